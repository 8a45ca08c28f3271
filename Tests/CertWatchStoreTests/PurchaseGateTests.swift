import CertWatchCore
import CertWatchGate
import CertWatchStore
import CertWatchTestSupport
import Crypto
import Foundation
import SQLKit
import Testing

// Fixed dates here are relative to the injected `now` (and Fixtures' certificate), never to the real clock.
/// The gate against a real database: evidence read fresh on every check, point-in-time answers,
/// and a hash chain that names the record someone edited.
@Suite struct PurchaseGateTests {
    static let now = Timestamp.parse("2026-11-20T12:00:00.000Z")!

    /// Valle Verde ships from Mexico; import certificates have their own tests (ImportCertificateGateTests).
    func gate(_ database: Database) -> PurchaseGate {
        PurchaseGate(database: database, policy: PurchasePolicy(importCertificate: .off), now: { Self.now })
    }

    func record(_ database: Database, _ supplier: StoredSupplier, _ decision: VerificationDecision, at: String) async throws {
        try await VerificationStore(database: database).record(
            [.init(supplier: supplier, decision: decision, foundStatus: decision.certificate?.status.text ?? "Certified")],
            runId: RecordID.make(), evidence: .init(source: "test", url: nil, digest: nil, at: Timestamp.parse(at)!))
    }

    func ask(_ gate: PurchaseGate, _ supplier: SupplierReference = .nopOperationId("8150001234"),
             _ product: String = "avocados", on date: String? = nil) async throws -> PurchaseCheck {
        try await gate.check(.init(supplier: supplier, product: product, date: date.flatMap(CalendarDate.init(iso:)), askedBy: "buyer"))
    }

    @Test(arguments: Backend.allCases)
    func aSuspensionBlocksTheNextCheckAndThePastStaysAsItWasKnown(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let stored = try await SupplierStore(database: database).create(Fixtures.supplier())
            try await record(database, stored, VerificationDecision(outcome: .verified, certificate: nil, changes: [], reason: nil),
                             at: "2026-11-15T02:30:00.000Z")
            let gate = gate(database)
            let before = try await ask(gate)
            #expect(before.decision == .allow)
            #expect(before.matchedItem == "Avocados")
            #expect(before.verifiedAt == Timestamp.parse("2026-11-15T02:30:00.000Z"))

            var suspended = stored.supplier.certificate!
            suspended.status = .suspended
            suspended.statusEffectiveDate = CalendarDate(iso: "2026-11-19")
            try await record(database, stored, VerificationDecision(
                outcome: .changed, certificate: suspended, changes: CertificateChange.between(stored.supplier.certificate, suspended), reason: nil),
                at: "2026-11-20T10:00:00.000Z")

            let after = try await ask(gate)
            #expect(after.decision == .block)
            #expect(after.reasons.map(\.message) == ["Certification Suspended since 2026-11-19."])
            #expect(after.status == .suspended)

            let pastAnswer = try await ask(gate, on: "2026-11-16")
            #expect(pastAnswer.decision == .allow)
            #expect(pastAnswer.status == .certified)
            let beforeAnyEvidence = try await ask(gate, on: "2026-11-01")
            #expect(beforeAnyEvidence.decision == .review)
            #expect(beforeAnyEvidence.reasons.map(\.code) == [.verificationStale])
        }
    }

    /// The gate keeps suppliers in memory between checks; whatever writes the registry, through
    /// CertWatch or behind its back, the very next check answers from the new state.
    @Test(arguments: Backend.allCases)
    func everyChangeToTheRegistryGovernsTheNextCheck(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let suppliers = SupplierStore(database: database)
            let stored = try await suppliers.create(Fixtures.supplier())
            try await record(database, stored, VerificationDecision(outcome: .verified, certificate: nil, changes: [], reason: nil),
                             at: "2026-11-19T02:30:00.000Z")
            let gate = gate(database)
            for reference in [SupplierReference.id("s-valle"), .nopOperationId("8150001234")] {
                #expect(try await ask(gate, reference).decision == .allow)
                #expect(try await ask(gate, reference).decision == .allow, "answered again from what the gate kept")
            }

            var renamed = stored.supplier
            renamed.name = "Valle Verde Export"
            renamed.certificate?.items.removeAll { $0.items == ["Avocados"] }
            _ = try await suppliers.replace(renamed)
            let afterEdit = try await ask(gate, .id("s-valle"))
            #expect(afterEdit.supplierName == "Valle Verde Export")
            #expect(afterEdit.reasons.map(\.code) == [.productNotOnCertificate])

            _ = try await suppliers.replace(stored.supplier)
            #expect(try await ask(gate).decision == .allow)
            try await database.withConnection {
                try await $0.update("certificates").set("status_code", to: "revoked").set("status_text", to: "Revoked")
                    .where("supplier_id", .equal, "s-valle").run()
            }
            let afterConsoleEdit = try await ask(gate)
            #expect(afterConsoleEdit.decision == .block, "a change made in an SQL console, not through CertWatch")
            #expect(afterConsoleEdit.status == .revoked)

            try await record(database, stored, VerificationDecision(outcome: .failed, certificate: nil, changes: [], reason: "HTML page"),
                             at: "2026-11-20T11:00:00.000Z")
            #expect(try await ask(gate, .id("s-valle")).reasons.map(\.code).contains(.lastVerificationFailed))

            #expect(try await suppliers.delete(id: "s-valle"))
            #expect(try await ask(gate, .id("s-valle")).reasons.map(\.code) == [.supplierUnknown])
            #expect(try await ask(gate).reasons.map(\.code) == [.supplierUnknown])
        }
    }

    @Test(arguments: Backend.allCases)
    func unknownSuppliersAreBlockedAndLogged(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            let check = try await ask(gate(database), .typed("Nobody Farms"))
            #expect(check.decision == .block)
            #expect(check.reasons.map(\.code) == [.supplierUnknown])
            #expect(try await PurchaseCheckStore(database: database).list(.init()).items == [check])
        }
    }

    @Test(arguments: Backend.allCases)
    func concurrentChecksFormOneChainAndAnEditIsNamed(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            _ = try await SupplierStore(database: database).create(Fixtures.supplier())
            let gate = gate(database)
            let checks = try await withThrowingTaskGroup(of: PurchaseCheck.self) { group in
                for index in 0..<40 { group.addTask { try await ask(gate, .nopOperationId("8150001234"), index % 2 == 0 ? "avocados" : "guacamole") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(checks.map(\.seq)) == Set(1...40))
            let chain = AuditChain(database: database)
            let intact = try await chain.verify(pageSize: 7)
            #expect(intact.intact && intact.checked == 40)
            #expect(intact.headHash == checks.max { $0.seq < $1.seq }?.hash)

            let target = try #require(checks.first { $0.seq == 17 })
            await #expect(throws: (any Error).self, "the database refuses to edit a check") {
                try await database.withConnection { try await $0.update("purchase_checks").set("decision", to: "allow").where("seq", .equal, 17).run() }
            }
            try await AuditTampering.dropGuards(database)
            try await database.withConnection {
                try await $0.update("purchase_checks").set("decision", to: "allow").where("seq", .equal, 17).run()
            }
            let broken = try await chain.verify(pageSize: 7)
            #expect(broken.firstBroken == AuditChain.Broken(seq: 17, id: target.id, problem: "its contents do not match its hash"))

            try await database.withConnection {
                try await $0.update("purchase_checks").set("decision", to: target.decision.rawValue).where("seq", .equal, 17).run()
                try await $0.delete(from: "purchase_checks").where("seq", .equal, 40).run()
            }
            #expect(try await chain.verify().firstBroken?.problem == "the chain's head says 40 records, but 39 are stored")
        }
    }

    /// An inspector recomputes a record's hash from its row alone: SHA-256 of the hashed columns'
    /// stored text as one JSON object with sorted keys, as any JSON library writes it.
    @Test(arguments: Backend.allCases)
    func aRecordsHashIsTheJSONOfItsStoredText(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            _ = try await SupplierStore(database: database).create(Fixtures.supplier())
            let controls = (1..<0x20).map { String(UnicodeScalar(UInt8($0))) }.joined()
            let product = "Avocados \"Hass\" \\ 1/2 kg \u{7F} é e\u{301} 日本 👍🏽 \u{2028}" + controls
            let check = try await ask(gate(database), .nopOperationId("8150001234"), product)
            let hashed = [
                "seq", "id", "checked_at", "asked_by", "requested", "supplier_id", "supplier_name", "nop_operation_id", "product",
                "for_date", "decision", "reasons", "matched_item", "status", "status_text", "verification_id", "verified_at", "prev_hash",
            ]
            let row = try #require(try await database.withConnection { db in
                try await db.select().column("*").from("purchase_checks").where("seq", .equal, check.seq).first()
            })
            var columns: [String: String?] = ["seq": String(check.seq)]
            for name in hashed where name != "seq" { columns[name] = try row.decode(column: name, as: String?.self) }
            #expect(columns["product"] == product)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let digest = SHA256.hash(data: try encoder.encode(columns)).map { String(format: "%02x", $0) }.joined()
            #expect(columns["reasons"] == String(decoding: try encoder.encode(check.reasons), as: UTF8.self))
            #expect(try row.decode(column: "hash", as: String.self) == digest)
            #expect(check.hash == digest)
        }
    }

    @Test(arguments: Backend.allCases)
    func listsFilterBySupplierAndDecisionNewestFirst(_ backend: Backend) async throws {
        try await withTestDatabase(backend) { database in
            _ = try await SupplierStore(database: database).create(Fixtures.supplier())
            let gate = gate(database)
            for product in ["avocados", "guacamole", "avocados", "soy"] { _ = try await ask(gate, .id("s-valle"), product) }
            _ = try await ask(gate, .typed("Nobody"))
            let store = PurchaseCheckStore(database: database)
            let blocked = try await store.list(.init(supplierId: "s-valle", decision: .block, limit: 1))
            #expect(blocked.items.map(\.product) == ["soy"])
            let next = try await store.list(.init(supplierId: "s-valle", decision: .block, limit: 1, cursor: blocked.nextCursor))
            #expect(next.items.map(\.product) == ["guacamole"])
            #expect(next.nextCursor == nil)
            #expect(try await store.checks(supplierId: "s-valle").map(\.seq) == [1, 2, 3, 4])
        }
    }
}
