import CertWatchCore
import CertWatchTestSupport
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Issue 20's proof: CertWatch as a new user meets it, with the built binary and real servers,
/// each journey in the order a person takes it — the service is started first, data comes after.
@Suite struct JourneyTests {
    /// Operations the double places in the United States (no import certificate is needed to buy from them).
    static func domestic(_ double: IntegrityDouble) async throws -> [[String: Any]] {
        try await double.operations().filter { $0["opPA_country"] as? String == "United States of America (the)" }
    }

    static func nop(_ operation: [String: Any]) -> String { operation["op_nopOpID"] as? String ?? "" }

    /// 1. `serve` on an empty database → its first run finishes → a CSV import → `verify --all`
    /// → every supplier has INTEGRITY's status → checks allow and block as INTEGRITY says →
    /// INTEGRITY suspends one → the next scheduled run sees it → the alert arrives by webhook and
    /// by email → the next check blocks.
    @Test(arguments: Backend.allCases)
    func aNewInstallationVerifiesWhatIsAddedAfterItsFirstNight(_ backend: Backend) async throws {
        // The nightly slot two to three minutes from now: the steps before the suspension take seconds.
        let minute = (Date().timeIntervalSince1970 / 60).rounded(.down) * 60
        let slot = Date(timeIntervalSince1970: minute + 180)
        let time = Int(slot.timeIntervalSince1970) % 86_400
        let nightlyAt = String(format: "%02d:%02d", time / 3_600, time % 3_600 / 60)
        try await JourneyWorld.with(backend, nightlyAt: nightlyAt) { world in
            let first = try await world.finishedNightly()
            #expect(first["outcome"] as? String == "succeeded", "the first night, with nobody registered yet: \(first)")
            try await world.subscribeWebhooks()

            let chosen = Array(try await Self.domestic(world.double).prefix(6))
            #expect(Set(chosen.compactMap { $0["op_status"] as? String }).count >= 3, "certified and blocked suppliers alike")
            try await world.importSuppliers(chosen)
            let verified = try await world.cli(["verify", "--all"])
            #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
            #expect(verified.stdout.hasPrefix("bulk: ") && verified.stdout.contains("0 failed"), "\(verified.stdout)")

            let suppliers = try await world.suppliersByNOPID()
            for operation in chosen {
                let certificate = suppliers[Self.nop(operation)]?["certificate"] as? [String: Any]
                #expect(certificate?["statusText"] as? String == operation["op_status"] as? String, "\(Self.nop(operation))")
                let (decision, codes) = try await world.check(Self.nop(operation), JourneyWorld.product(of: operation))
                if operation["op_status"] as? String == "Certified" {
                    #expect(decision == "allow", "\(Self.nop(operation)): \(codes)")
                } else {
                    #expect(decision == "block" && codes.contains("status_not_certified"), "\(Self.nop(operation)): \(decision) \(codes)")
                }
            }

            let target = try #require(chosen.first { $0["op_status"] as? String == "Certified" })
            let (nop, name) = (Self.nop(target), target["op_name"] as? String ?? "")
            try #require(Date() < slot.addingTimeInterval(-5), "the suspension comes before the scheduled slot")
            try await world.double.update(nop, ["op_status": "Suspended", "op_statusEffectiveDate": CalendarDate(utc: Date()).description])

            let scheduled = try await world.finishedNightly(where: { $0["slot"] as? String == CalendarDate(utc: slot).description },
                                                           deadline: .seconds(300))
            #expect(scheduled["outcome"] as? String == "succeeded")
            let webhooks = try await world.receiver.waitFor(timeout: .seconds(60)) { received in
                received.contains { Self.isSuspension($0, of: nop) }
            }
            let suspensions = webhooks.filter { Self.isSuspension($0, of: nop) }
            #expect(suspensions.allSatisfy { $0.verified }, "signed as standardwebhooks checks")
            let email = try await eventually("the status change by email", deadline: .seconds(60), every: .milliseconds(250)) {
                try await world.smtp.messages().first { $0.subject == "CertWatch: \(name) is now Suspended in INTEGRITY" }
            }
            #expect(email.envelopeTo.contains(JourneyWorld.recipient))
            let after = try await world.check(nop, JourneyWorld.product(of: target))
            #expect(after.decision == "block" && after.codes.contains("status_not_certified"), "\(after)")
        }
    }

    static func isSuspension(_ message: WebhookReceiver.Received, of nop: String) -> Bool {
        guard message.body?.type == "supplier.status_changed", case .object(let supplier)? = message.body?.data["supplier"] else { return false }
        return supplier["nopOperationId"]?.string == nop && message.body?.data["to"]?.string == "Suspended"
    }

    /// 2. A supplier added on the page after the first night → *Verify now* → verified at once
    /// (from the bulk download: no earlier answer vouches for it), not `failed` for being new.
    @Test(arguments: Backend.allCases)
    func aSupplierAddedOnThePageIsVerifiedByVerifyNow(_ backend: Backend) async throws {
        try await JourneyWorld.with(backend) { world in
            _ = try await world.finishedNightly()
            let operation = try #require(try await Self.domestic(world.double).first { $0["op_status"] as? String == "Suspended" })
            try await PageSession.with(world.server, key: world.key) { page in
                let form = try await page.get("/admin/suppliers/new")
                let created = try await page.post("/admin/suppliers", [
                    "csrf": try #require(form.csrf), "name": "Added on the page", "nop_operation_id": Self.nop(operation),
                ])
                let path = try #require(created.location, "the new supplier's page: \(created.status) \(created.html.prefix(300))")
                let shown = try await page.get(path)
                #expect(shown.html.contains("Verify now"))
                let verifiedPage = try await page.post("/admin" + path + "/verify", ["csrf": try #require(shown.csrf)])
                #expect(verifiedPage.status == 200)
                #expect(verifiedPage.html.contains("Verified just now from bulk: INTEGRITY&#39;s record differed")
                        || verifiedPage.html.contains("Verified just now from bulk: INTEGRITY's record differed"), "\(verifiedPage.html.prefix(2_000))")
                #expect(verifiedPage.html.contains("Suspended"))
            }
            let supplier = try #require(try await world.suppliersByNOPID()[Self.nop(operation)])
            #expect((supplier["certificate"] as? [String: Any])?["statusText"] as? String == "Suspended")
            #expect((supplier["lastVerification"] as? [String: Any])?["outcome"] as? String == "changed", "\(supplier)")
        }
    }

    /// 3. A supplier's NOP ID edited on the page → *Verify now* → verified under the new ID at
    /// once; the old ID's answer no longer vouches for it.
    @Test(arguments: Backend.allCases)
    func anEditedNOPIDIsVerifiedUnderTheNewIDAtOnce(_ backend: Backend) async throws {
        try await JourneyWorld.with(backend) { world in
            _ = try await world.finishedNightly()
            let operations = try await Self.domestic(world.double)
            let old = try #require(operations.first { $0["op_status"] as? String == "Certified" })
            let new = try #require(operations.first { $0["op_status"] as? String == "Suspended" })
            try await world.importSuppliers([old])
            #expect(try await world.cli(["verify", "--all"]).status == 0)
            let id = try #require(try await world.suppliersByNOPID()[Self.nop(old)]?["id"] as? String)

            try await PageSession.with(world.server, key: world.key) { page in
                let form = try await page.get("/admin/suppliers/\(id)/edit")
                let saved = try await page.post("/admin/suppliers/\(id)", [
                    "csrf": try #require(form.csrf), "name": old["op_name"] as? String ?? "", "nop_operation_id": Self.nop(new),
                ])
                #expect(saved.status == 303, "\(saved.html.prefix(500))")
            }
            let record = try await world.server.post("/v1/suppliers/\(id)/verify", key: world.key, json: "{}")
            #expect(record["source"] as? String == "bulk" && record["outcome"] as? String == "changed", "\(record)")
            #expect(record["foundStatus"] as? String == "Suspended")
            let supplier = try #require(try await world.suppliersByNOPID()[Self.nop(new)])
            #expect((supplier["certificate"] as? [String: Any])?["statusText"] as? String == "Suspended")
            #expect(try await world.check(Self.nop(new), JourneyWorld.product(of: new)).decision == "block")
        }
    }

    /// 4. The web service gone (every route answers WCF's 404 "Endpoint not found"): the bulk
    /// download answers, statuses are right, the run says why, and no alert goes out for it.
    @Test(arguments: Backend.allCases)
    func aRetiredWebServiceIsAnsweredByTheBulkDownloadWithoutAlertNoise(_ backend: Backend) async throws {
        try await JourneyWorld.with(backend, sources: "web-service,bulk") { world in
            _ = try await world.finishedNightly()
            let chosen = Array(try await Self.domestic(world.double).prefix(6))
            try await world.importSuppliers(chosen)
            let bootstrap = try await world.cli(["verify", "--all"])
            #expect(bootstrap.status == 0 && bootstrap.stdout.hasPrefix("bulk: "), "new suppliers: the complete source first: \(bootstrap.stdout)")
            let target = try #require(chosen.first { $0["op_status"] as? String == "Certified" })
            try await world.double.update(Self.nop(target), ["op_status": "Suspended"])
            try await world.double.retireWebService()

            let run = try await world.cli(["verify", "--all"])
            #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.hasPrefix("bulk: ") && run.stdout.contains("0 failed"), "\(run.stdout)")
            #expect(run.stdout.contains("web-service did not answer: HTTP 404") && run.stdout.contains("Endpoint not found"), "\(run.stdout)")
            let suppliers = try await world.suppliersByNOPID()
            for operation in chosen {
                let expected = Self.nop(operation) == Self.nop(target) ? "Suspended" : operation["op_status"] as? String
                #expect((suppliers[Self.nop(operation)]?["certificate"] as? [String: Any])?["statusText"] as? String == expected)
            }

            // The same through the service: a run started by hand records the declined source, and the metric counts it.
            let started = try await world.server.post("/v1/verifications", key: world.key, json: "{}")
            let runId = try #require(started["runId"] as? String, "\(started)")
            let finished = try await eventually("the run to finish") {
                let run = try await world.server.get("/v1/verifications/\(runId)", key: world.key)
                return run["outcome"] as? String == "running" ? nil : run
            }
            let declined = finished["declined"] as? [[String: Any]] ?? []
            #expect(finished["source"] as? String == "bulk" && declined.first?["source"] as? String == "web-service", "\(finished)")
            let (metrics, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(world.server.port)/metrics")!)
            #expect(String(decoding: metrics, as: UTF8.self).contains(#"certwatch_integrity_source_declined_total{source="web-service",answeredBy="bulk"}"#))

            #expect(try await world.alerts("verification.failed").isEmpty, "the fallback answered: no failure to alert")
            let changes = try await world.alerts("supplier.status_changed").filter {
                ($0["data"] as? [String: Any]).flatMap { $0["to"] as? String } == "Suspended"
                    && (($0["data"] as? [String: Any])?["supplier"] as? [String: Any])?["nopOperationId"] as? String == Self.nop(target)
            }
            #expect(changes.count == 1, "one alert, for the one change")
        }
    }

    /// 5. An `Items` answer shaped like the one real answer seen (no scope, the generic `Other`
    /// with the product in its varieties, some names lower-cased) → verified, and checked by variety.
    @Test(arguments: Backend.allCases)
    func anItemsAnswerShapedLikeTheRealOneIsVerifiedAndChecked(_ backend: Backend) async throws {
        try await JourneyWorld.with(backend, sources: "web-service,bulk") { world in
            _ = try await world.finishedNightly()
            let operation = try #require(try await Self.domestic(world.double).first { $0["op_status"] as? String == "Certified" })
            let nop = Self.nop(operation)
            try await world.importSuppliers([operation])
            #expect(try await world.cli(["verify", "--all"]).status == 0)
            try await world.double.setItems(nop, [
                ["ci_itemList": "Other", "ci_varieties": "Pretzels Bunnies", "ci_organic": "true"],
                ["ci_itemList": "Other", "ci_varieties": "Cheddar Bunnies", "ci_madeWithOrganic": "true"],
            ])
            try await world.double.itemsShape("real")

            let run = try await world.cli(["verify", "--all"])
            #expect(run.status == 0 && run.stdout.hasPrefix("web-service: ") && run.stdout.contains("1 changed, 0 not found, 0 failed"),
                    "\(run.stdout)\(run.stderr)")
            #expect(try await world.check(nop, "Cheddar Bunnies").decision == "allow")
            let crackers = try await world.check(nop, "Crackers")
            #expect(crackers.decision == "block" && crackers.codes == ["product_not_on_certificate"], "\(crackers)")
        }
    }

    /// 6. INTEGRITY down entirely (nothing answers at either URL): `verify --all` exits 1 saying
    /// how many suppliers failed and why, no status flips, and one alert goes out.
    @Test(arguments: Backend.allCases)
    func integrityDownEntirelyFailsLoudlyAndChangesNothing(_ backend: Backend) async throws {
        try await JourneyWorld.with(backend) { world in
            _ = try await world.finishedNightly()
            let chosen = Array(try await Self.domestic(world.double).prefix(6))
            try await world.importSuppliers(chosen)
            #expect(try await world.cli(["verify", "--all"]).status == 0)
            let before = try await world.suppliersByNOPID().mapValues { ($0["certificate"] as? [String: Any])?["statusText"] as? String }

            let dead = "http://127.0.0.1:\(try CLI.freePort())"
            let down = try await world.cli(["verify", "--all"], [
                "INTEGRITY_BULK_URL": dead + "/IntegrityPubDataServices/OIDPublicAPI/GetAllOperationsPublicData",
                "INTEGRITY_WEB_SERVICE_URL": dead + "/IntegrityPubDataServices/OidPublicDataService.svc/rest",
            ])
            #expect(down.status == 1, "\(down.stdout)\(down.stderr)")
            #expect(down.stdout.contains("0 verified, 0 changed, 0 not found, 6 failed") && down.stdout.contains("  6 failed: bulk: "), "\(down.stdout)")
            #expect(down.stderr.contains("no status changed"), "\(down.stderr)")
            let after = try await world.suppliersByNOPID().mapValues { ($0["certificate"] as? [String: Any])?["statusText"] as? String }
            #expect(after == before, "nothing flipped")
            #expect(try await world.alerts("verification.failed").count == 1)
        }
    }
}
