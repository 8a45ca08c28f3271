import CertWatchTestSupport
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

// The fixed date here is a status effective date that lies in the past and is only echoed back.
/// The server keeps suppliers in memory between purchase checks. A verification recorded by
/// another process (the CLI here, another replica in production) must still govern the server's
/// very next check.
@Suite struct GateAcrossProcessesTests {
    @Test(arguments: Backend.allCases)
    func aSuspensionRecordedByAnotherProcessBlocksTheServersNextCheck(_ backend: Backend) async throws {
        try await IntegrityDouble.with { double in
            let db = try await CLI.databaseArgument(backend)
            let operations = try await double.operations()
            let nop = try #require(operations.first { $0["op_status"] as? String == "Certified" }?["op_nopOpID"] as? String)
            let csv = "name,nop_operation_id,status\nKept Supplier,\(nop),certified\n"
            #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
            let environment = ["INTEGRITY_BASE_URL": double.baseURL, "INTEGRITY_API_KEY": "key"]
            #expect(try await CLI.run(["verify", "--all", "--database-url", db], environment: environment).status == 0)
            let key = try await CLI.run(["keys", "create", "--name", "buyer", "--role", "purchaser", "--database-url", db])
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let admin = try await CLI.run(["keys", "create", "--name", "ops", "--role", "admin", "--database-url", db])
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)

            // The server's own nightly verification reads the double too; `integrity import` runs
            // only once it has finished (one verification at a time), so wait for it.
            try await ServeProcess.with(db, environment: environment) { server in
                _ = try await eventually("the server's nightly verification to finish") {
                    let jobs = (try? await server.get("/v1/jobs", key: admin))?["items"] as? [[String: Any]] ?? []  // nil until it listens
                    let nightly = jobs.first { $0["name"] as? String == "verification" }?["lastRun"] as? [String: Any]
                    let scheduled = (nightly?["slot"] as? String).map { !$0.hasPrefix("manual") } ?? false
                    return scheduled && nightly?["finishedAt"] is String ? true : nil
                }
                func check() async throws -> [String: Any] {
                    try await server.post("/v1/purchase-checks", key: key, json: #"{"nopOperationId": "\#(nop)", "product": "anything"}"#)
                }
                let before = try await check()
                #expect(before["status"] as? String == "certified")
                #expect(try await check()["status"] as? String == "certified", "answered again from what the server kept")

                try await double.update(nop, ["op_status": "Suspended", "op_statusEffectiveDate": "2026-10-02T00:00:00"])
                let zip = FileManager.default.temporaryDirectory.appendingPathComponent("integrity-\(UUID().uuidString).zip")
                try await URLSession.shared.data(from: URL(string: double.baseURL + "/rest/GetAllOperationsPublicData")!).0.write(to: zip)
                let verify = try await CLI.run(["integrity", "import", zip.path, "--database-url", db])
                #expect(verify.status == 0 && verify.stdout.contains("1 changed"), "\(verify.stdout)\(verify.stderr)")

                let after = try await check()
                #expect(after["decision"] as? String == "block")
                #expect(after["status"] as? String == "suspended")
                let codes = (after["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
                #expect(codes.contains("status_not_certified"))
            }
        }
    }
}
