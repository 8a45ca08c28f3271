import AsyncHTTPClient
import CertWatchCore
import CertWatchIntegrity
import CertWatchJobs
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Logging
import Testing

// Fixed dates here are past status effective dates the double is told to send and that are read back; the registry's anniversary comes from today.
/// Verification from the bulk download, against the INTEGRITY double on loopback.
@Suite struct BulkVerificationTests {
    static let logger = Logger(label: "test")

    /// Registers every operation the double serves as a Certified supplier (as a buyer would
    /// from the certificates they were sent) and returns the operations.
    static func register(_ double: IntegrityDouble, in database: Database) async throws -> [[String: Any]] {
        let operations = try await double.operations()
        let csv = "name,nop_operation_id,status,anniversary_date\n" + operations.map { op in
            "\"\(op["op_name"] as! String)\",\(op["op_nopOpID"] as! String),certified,\(TestDates.fromToday(200))\n"
        }.joined()
        _ = try await SupplierImporter(database: database).run(try SupplierCSV.rows(from: Array(csv.utf8)), dryRun: false)
        return operations
    }

    static func http(attempts: Int = 3) -> IntegrityHTTP {
        IntegrityHTTP(apiKey: "test-key", limiter: RateLimiter(requestsPerHour: 1_000),
                      retry: .init(attempts: attempts, baseDelay: .milliseconds(10)), timeout: .seconds(10), logger: logger)
    }

    static func source(_ double: IntegrityDouble, database: Database, ratio: Double = 0.5, url: String? = nil) async throws -> BulkDownloadSource {
        BulkDownloadSource(http: http(), url: url ?? double.bulkURL,
                           minimumBytes: try await VerificationJob.minimumBulkBytes(database: database, ratio: ratio))
    }

    static func run(_ source: any IntegritySource, _ database: Database) async throws -> VerificationRun {
        try await VerificationJob.run(source: source, database: database, logger: logger)
    }

    static func status(_ nop: String, _ database: Database) async throws -> CertificationStatus? {
        try await SupplierStore(database: database).find(nopOperationId: NOPOperationID(nop)!)?.supplier.certificate?.status
    }

    @Test(arguments: Backend.allCases)
    func aSuspensionInINTEGRITYShowsAfterTheNextVerificationWithHistoryAndEvidence(_ backend: Backend) async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(backend) { database in
                let operations = try await Self.register(double, in: database)
                let first = try await VerificationJob.run(source: try await Self.source(double, database: database), database: database, logger: Self.logger)
                #expect(first.outcome == .completed)
                #expect(first.verified + first.changed == operations.count && first.failed == 0)
                let certifiedId = try #require(operations.first { $0["op_status"] as? String == "Certified" }?["op_nopOpID"] as? String)
                #expect(try await Self.status(certifiedId, database) == .certified)
                let revoked = try #require(operations.first { $0["op_status"] as? String == "Revoked" }?["op_nopOpID"] as? String)
                #expect(try await Self.status(revoked, database) == .revoked, "the first verification corrects what was registered")

                try await double.update(certifiedId, ["op_status": "Suspended", "op_statusEffectiveDate": "2026-10-02T00:00:00"])
                let second = try await VerificationJob.run(source: try await Self.source(double, database: database), database: database, logger: Self.logger)
                #expect(second.changed == 1 && second.verified == operations.count - 1)

                let supplier = try #require(try await SupplierStore(database: database).find(nopOperationId: NOPOperationID(certifiedId)!))
                #expect(supplier.supplier.certificate?.status == .suspended)
                #expect(supplier.supplier.certificate?.statusEffectiveDate?.description == "2026-10-02")
                let evidence = VerificationStore(database: database)
                let history = try await evidence.history(supplierId: supplier.supplier.id)
                #expect(history.map(\.outcome) == [.changed, .changed], "the first run corrected the registered dates")
                let latest = try #require(history.first)
                #expect(latest.source == "bulk" && latest.foundStatus == "Suspended")
                #expect(latest.url == double.baseURL + "/rest/GetAllOperationsPublicData", "the key is not in the evidence")
                #expect(latest.digest?.count == 64)
                #expect(latest.changes.contains(CertificateChange(field: "status", from: "Certified", to: "Suspended")))
                let statuses = try await evidence.statusHistory(supplierId: supplier.supplier.id)
                #expect(statuses.contains { $0.field == "status" && $0.from == "Certified" && $0.to == "Suspended" && $0.verificationId == latest.id })
                let alerts = try await AlertStore(database: database).list(.init(kind: .statusChanged, supplierId: supplier.supplier.id)).items
                #expect(alerts.count == 1, "raised at once, by the run that saw it")
                #expect(alerts.first?.data.message == "\(supplier.supplier.name): INTEGRITY status Certified → Suspended (effective 2026-10-02).")
                #expect(alerts.first?.data.verificationId == latest.id)
            }
        }
    }

    @Test(arguments: [("Revoked", CertificationStatus.revoked), ("Surrendered", .surrendered), ("Suspended", .suspended)])
    func everyLapseShowsAfterTheNextVerification(_ text: String, _ status: CertificationStatus) async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await Self.register(double, in: database)
                _ = try await VerificationJob.run(source: try await Self.source(double, database: database), database: database, logger: Self.logger)
                let target = operations.first { $0["op_status"] as? String == "Certified" }!["op_nopOpID"] as! String
                try await double.update(target, ["op_status": text, "op_statusEffectiveDate": "11/20/2026"])
                let run = try await VerificationJob.run(source: try await Self.source(double, database: database), database: database, logger: Self.logger)
                #expect(run.changed == 1)
                let supplier = try #require(try await SupplierStore(database: database).find(nopOperationId: NOPOperationID(target)!))
                #expect(supplier.supplier.certificate?.status == status)
                let history = try await VerificationStore(database: database).statusHistory(supplierId: supplier.supplier.id)
                #expect(history.last?.to == text && history.last?.effectiveDate?.description == "2026-11-20")
            }
        }
    }

    @Test func anOperationNoLongerListedIsNotFoundAndKeepsNoClaim() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await Self.register(double, in: database)
                let gone = operations[0]["op_nopOpID"] as! String
                try await double.delete(gone)
                let run = try await VerificationJob.run(source: try await Self.source(double, database: database), database: database, logger: Self.logger)
                #expect(run.notFound == 1)
                let supplier = try #require(try await SupplierStore(database: database).find(nopOperationId: NOPOperationID(gone)!))
                let latest = try await VerificationStore(database: database).latest(for: [supplier.supplier.id])[supplier.supplier.id]
                #expect(latest?.outcome == .notFound)
            }
        }
    }

    /// Each bad answer is refused: nobody's status changes, and every supplier gets a failed
    /// verification that says why.
    @Test(arguments: [
        ("html", "HTML page arrived instead of data: “Service Unavailable”"), ("truncated_zip", "truncated or corrupt"),
        ("corrupt_zip", "truncated or corrupt"), ("unknown_status_flood", "outside INTEGRITY's known list"),
        ("missing_column", "has no <op_status>"), ("small", "far smaller than the last accepted"),
        ("http_500", "HTTP 500 after 3 attempts"), ("http_403", "rejected the API key"),
    ])
    func aBadAnswerChangesNoStatusAndSaysWhy(_ fault: String, _ reason: String) async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await Self.register(double, in: database)
                _ = try await VerificationJob.run(source: try await Self.source(double, database: database), database: database, logger: Self.logger)
                let before = try await SupplierStore(database: database).list(SupplierQuery(limit: 500)).items.map(\.supplier)
                let target = operations.first { $0["op_status"] as? String == "Certified" }!["op_nopOpID"] as! String
                try await double.update(target, ["op_status": "Revoked"])
                try await double.fault(fault)

                let run = try await VerificationJob.run(source: try await Self.source(double, database: database), database: database, logger: Self.logger)
                #expect(run.outcome == .rejected)
                #expect(run.reason?.contains(reason) == true, "\(run.reason ?? "")")
                #expect(run.failed == operations.count)
                let after = try await SupplierStore(database: database).list(SupplierQuery(limit: 500)).items.map(\.supplier)
                #expect(after == before, "no status changed")
                let latest = try await VerificationStore(database: database).latest(for: after.map(\.id))
                #expect(latest.values.allSatisfy { $0.outcome == .failed && $0.reason?.contains(reason) == true })
                let failed = try await AlertStore(database: database).list(.init(kind: .verificationFailed)).items
                #expect(failed.map(\.data.runId) == [run.id], "the monitor reports its own failure once")
                #expect(failed.first?.data.failed == operations.count && failed.first?.data.reason?.contains(reason) == true)
            }
        }
    }

    @Test(arguments: [("bad_date", "op_nopAnniversaryDate")])
    func aRecordThatCannotBeReadFailsOnlyItsSupplier(_ fault: String, _ reason: String) async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                let operations = try await Self.register(double, in: database)
                let first = operations[0]["op_nopOpID"] as! String
                try await double.update(first, ["op_status": "Revoked"])  // what a misread could wrongly apply
                let registered = try await SupplierStore(database: database).find(nopOperationId: NOPOperationID(first)!)
                try await double.fault(fault)
                let run = try await VerificationJob.run(source: try await Self.source(double, database: database), database: database, logger: Self.logger)
                #expect(run.outcome == .completed && run.failed == 1)
                let supplier = try #require(try await SupplierStore(database: database).find(nopOperationId: NOPOperationID(first)!))
                #expect(supplier.supplier.certificate == registered?.supplier.certificate, "the certificate is exactly as registered")
                let latest = try await VerificationStore(database: database).latest(for: [supplier.supplier.id])[supplier.supplier.id]
                #expect(latest?.outcome == .failed && latest?.reason?.contains(reason) == true)
            }
        }
    }

    @Test func transientFailuresAreRetried() async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(.sqlite) { database in
                _ = try await Self.register(double, in: database)
                try await double.fault("http_500", times: 2)
                let run = try await VerificationJob.run(source: try await Self.source(double, database: database), database: database, logger: Self.logger)
                #expect(run.outcome == .completed && run.failed == 0)
                #expect(try await double.requestCounts()["/IntegrityPubDataServices/OidPublicDataService.svc/rest/GetAllOperationsPublicData"] == 3)
            }
        }
    }
}

/// Nightly runs skip what INTEGRITY has not changed, and only that.
@Suite struct RecordDigestTests {
    @Test(arguments: Backend.allCases)
    func anUnchangedRecordIsVerifiedWithoutComparingAndAnEditedSupplierIsComparedAgain(_ backend: Backend) async throws {
        try await IntegrityDouble.with { double in
            try await withTestDatabase(backend) { database in
                let operations = try await BulkVerificationTests.register(double, in: database)
                let source = { try await BulkVerificationTests.source(double, database: database) }
                _ = try await VerificationJob.run(source: try await source(), database: database, logger: BulkVerificationTests.logger)
                let store = VerificationStore(database: database)
                let known = try await store.knownRecordDigests()
                #expect(known.count == operations.count)
                let answer = try await source().fetch(IntegrityQuestion(wanted: Set(known.keys), knownDigests: known))
                #expect(answer.unchanged.count == operations.count && answer.operations.isEmpty)
                for operation in operations {
                    let status = try #require(operation["op_status"] as? String)
                    #expect(answer.unchanged[NOPOperationID(operation["op_nopOpID"] as! String)!] == CertificationStatus(codeOrText: status)?.text,
                            "an unchanged operation, left unparsed, still reports its status")
                }

                let target = operations.first { $0["op_status"] as? String == "Certified" }!["op_nopOpID"] as! String
                let edited = operations.first { $0["op_status"] as? String == "Surrendered" }!["op_nopOpID"] as! String
                try await double.update(target, ["op_status": "Revoked"])
                var local = try #require(try await SupplierStore(database: database).find(nopOperationId: NOPOperationID(edited)!))
                local.supplier.certificate?.status = .certified
                _ = try await SupplierStore(database: database).replace(local.supplier)

                let run = try await VerificationJob.run(source: try await source(), database: database, logger: BulkVerificationTests.logger)
                #expect(run.changed == 2 && run.verified == operations.count - 2)
                #expect(try await BulkVerificationTests.status(target, database) == .revoked)
                #expect(try await BulkVerificationTests.status(edited, database) == .surrendered, "a hand edit is compared, not skipped")
                let history = try await store.history(supplierId: local.supplier.id)
                #expect(history.first?.foundStatus == "Surrendered")
            }
        }
    }

    @Test func itemsNotListedTogetherAreReadInFull() async throws {
        func op(_ id: String) -> String {
            "<Operation><op_nopOpID>\(id)</op_nopOpID><op_name>Op \(id)</op_name><op_status>Certified</op_status></Operation>"
        }
        func item(_ id: String, _ product: String) -> String {
            "<Item><ci_nopOpID>\(id)</ci_nopOpID><ci_nopScope>CROPS</ci_nopScope><ci_itemList>\(product)</ci_itemList></Item>"
        }
        func write(_ items: String) throws -> URL {
            let xml = "<?xml version=\"1.0\"?><OidPublicData><Operations>\(op("1000000001"))\(op("1000000002"))</Operations><Items>"
                + items + "</Items></OidPublicData>"
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("bulk-\(UUID().uuidString).xml")
            try Data(xml.utf8).write(to: file)
            return file
        }
        let wanted: Set = [NOPOperationID("1000000001")!, NOPOperationID("1000000002")!]
        // Yesterday 1000000001 listed only oats; today a wheat item for it comes after another operation's.
        let yesterday = try await BulkFileSource(file: try write(item("1000000001", "Oats") + item("1000000002", "Milk"))).fetch(wanted)
        #expect(yesterday.recordDigests.count == 2)
        let today = try write(item("1000000001", "Oats") + item("1000000002", "Milk") + item("1000000001", "Wheat"))
        #expect(try await BulkFileSource(file: today).fetch(wanted).recordDigests.isEmpty,
                "no digest is trusted from a file that does not group items")
        let second = try await BulkFileSource(file: today).fetch(IntegrityQuestion(wanted: wanted, knownDigests: yesterday.recordDigests))
        #expect(second.unchanged.isEmpty, "the oats-only digest matched too early, so the file was read again in full")
        let items = try second.operations[NOPOperationID("1000000001")!]?.get().items.flatMap(\.items)
        #expect(items == ["Oats", "Wheat"])
    }
}
