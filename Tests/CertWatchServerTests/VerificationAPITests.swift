import CertWatchStore
import CertWatchTestSupport
import Foundation
import Hummingbird
import Testing

// The fixed date here is a past status effective date only echoed back.
@Suite struct VerificationAPITests {
    /// Registers two of the double's operations through the API and returns their supplier ids.
    static func register(_ server: TestServer, _ double: IntegrityDouble) async throws -> (certified: String, nop: String) {
        let operations = try await double.operations()
        let op = try #require(operations.first { $0["op_status"] as? String == "Certified" })
        let nop = op["op_nopOpID"] as! String
        let created = try await server.send(.post, "/v1/suppliers", key: server.admin, json: """
            {"name": "Registered name", "nopOperationId": "\(nop)", "certificate": {"status": "certified"}}
            """)
        return (try #require(created.json["id"] as? String), nop)
    }

    @Test func verifyNowRecordsEvidenceAndTheSupplierShowsIt() async throws {
        try await IntegrityDouble.with { double in
            try await TestServer.run(.sqlite, integrityBaseURL: double.baseURL) { server in
                let (id, nop) = try await Self.register(server, double)
                #expect(try await server.send(.post, "/v1/suppliers/\(id)/verify", key: server.purchaser).status == .forbidden)
                // 200 with the record, or 202 followed to its end on a slow machine: the record is the same.
                let verified = try await server.verifyNow(id)
                #expect(verified["outcome"] as? String == "changed", "INTEGRITY's dates and scopes were added")
                #expect((verified["digest"] as? String)?.count == 64)

                try await double.update(nop, ["op_status": "Revoked", "op_statusEffectiveDate": "2026-11-20T00:00:00"])
                let revoked = try await server.verifyNow(id)
                #expect(revoked["foundStatus"] as? String == "Revoked")

                let supplier = try await server.send(.get, "/v1/suppliers/\(id)", key: server.purchaser)
                #expect((supplier.json["certificate"] as? [String: Any])?["status"] as? String == "revoked")
                #expect((supplier.json["lastVerification"] as? [String: Any])?["id"] as? String == revoked["id"] as? String)
                let history = try await server.send(.get, "/v1/suppliers/\(id)/verifications", key: server.purchaser)
                #expect((history.json["items"] as? [[String: Any]])?.count == 2)
                let statuses = try await server.send(.get, "/v1/suppliers/\(id)/status-history", key: server.purchaser)
                let changes = (statuses.json["items"] as? [[String: Any]] ?? []).filter { $0["field"] as? String == "status" }
                #expect(changes.last?["to"] as? String == "Revoked" && changes.last?["effectiveDate"] as? String == "2026-11-20")
            }
        }
    }

    @Test func aRunForAllIsStartedAndFollowed() async throws {
        try await IntegrityDouble.with { double in
            try await TestServer.run(.sqlite, integrityBaseURL: double.baseURL) { server in
                _ = try await Self.register(server, double)
                let started = try await server.send(.post, "/v1/verifications", key: server.admin)
                #expect(started.status == .accepted)
                let runId = try #require(started.json["runId"] as? String)
                let run = try await eventually("the verification run to finish") {
                    let run = try await server.send(.get, "/v1/verifications/\(runId)", key: server.purchaser).json
                    return run["outcome"] as? String == "running" ? nil : run
                }
                #expect(run["outcome"] as? String == "completed" && run["changed"] as? Int == 1 && run["source"] as? String == "bulk")

                let found = try await server.send(.get, "/v1/integrity/search?q=kr%C3%A4uter", key: server.purchaser)
                let candidates = (found.json["items"] as? [[String: Any]] ?? []).map { entry in
                    ([entry["name"] as? String ?? ""] + (entry["otherNames"] as? [String] ?? [])).joined(separator: " ")
                }
                #expect(!candidates.isEmpty && candidates.allSatisfy { $0.contains("Bergkräuter") })
                #expect(try await server.send(.get, "/v1/integrity/search", key: server.purchaser).status == .unprocessableContent)
                #expect(try await server.send(.get, "/v1/verifications/nope", key: server.purchaser).status == .notFound)
            }
        }
    }

    /// A run for all goes through the job runner: while one runs (the double's bulk download
    /// takes 5 s), asking again answers 409 with the running one, never a second run.
    @Test func aSecondRunForAllWhileOneRunsAnswersTheRunningOne() async throws {
        try await IntegrityDouble.with { double in
            try await TestServer.run(.sqlite, integrityBaseURL: double.baseURL) { server in
                _ = try await Self.register(server, double)
                try await double.fault("slow", times: 1)
                let started = try await server.send(.post, "/v1/verifications", key: server.admin)
                #expect(started.status == .accepted)
                let runId = try #require(started.json["runId"] as? String)
                let again = try await server.send(.post, "/v1/verifications", key: server.admin)
                #expect(again.status == .conflict && again.headers[.location] == "/v1/verifications/\(runId)", "\(again.text)")
                let run = try await eventually("the verification run to finish") {
                    let run = try await server.send(.get, "/v1/verifications/\(runId)", key: server.purchaser).json
                    return run["outcome"] as? String == "running" ? nil : run
                }
                #expect(run["outcome"] as? String == "completed")
                let jobRuns = try await eventually("the job run (verification, then alert scan) to finish") {
                    let runs = try await JobRunStore(database: server.database).runs(of: "verification")
                    return runs.allSatisfy { $0.finishedAt != nil } ? runs : nil
                }
                #expect(jobRuns.count == 1, "no second run started")
                let after = try await server.send(.post, "/v1/verifications", key: server.admin)
                #expect(after.status == .accepted, "once it has finished, another may start")
            }
        }
    }

    /// INTEGRITY slower than the request may wait (two 3 s timeouts against a 5 s wait): the
    /// answer is 202 with the run to follow, and the run ends on its own.
    @Test func verifyNowAnswersWithinItsWaitWhenINTEGRITYIsSlow() async throws {
        try await IntegrityDouble.with { double in
            try await TestServer.run(.sqlite, integrityBaseURL: double.baseURL) { server in
                let (id, _) = try await Self.register(server, double)
                try await double.fault("slow", times: 2)
                let asked = ContinuousClock.now
                let reply = try await server.send(.post, "/v1/suppliers/\(id)/verify", key: server.admin)
                #expect(reply.status == .accepted, "\(reply.text)")
                #expect(ContinuousClock.now - asked < .seconds(10), "the request was not held for INTEGRITY's retries")
                let location = try #require(reply.headers[.location])
                let run = try await eventually("the verification to end") {
                    let run = try await server.send(.get, location, key: server.purchaser).json
                    return run["outcome"] as? String == "running" ? nil : run
                }
                #expect(run["outcome"] as? String != nil && run["runId"] as? String == reply.json["runId"] as? String)
            }
        }
    }

    /// A status outside INTEGRITY's list reaches the API as written, and the gate sends it to review.
    @Test func anAPEDAStatusIsShownAsWrittenAndReviewed() async throws {
        try await IntegrityDouble.with { double in
            try await TestServer.run(.sqlite, integrityBaseURL: double.baseURL) { server in
                let (id, nop) = try await Self.register(server, double)
                try await double.update(nop, ["op_status": "Applied; APEDA Certified"])
                let verified = try await server.verifyNow(id)
                #expect(verified["outcome"] as? String == "changed" && verified["foundStatus"] as? String == "Applied; APEDA Certified")
                let supplier = try await server.send(.get, "/v1/suppliers/\(id)", key: server.purchaser)
                let certificate = supplier.json["certificate"] as? [String: Any]
                #expect(certificate?["status"] as? String == "other" && certificate?["statusText"] as? String == "Applied; APEDA Certified")
                let listed = try await server.send(.get, "/v1/suppliers?status=other", key: server.purchaser)
                #expect((listed.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
                let check = try await server.send(.post, "/v1/purchase-checks", key: server.purchaser, json: """
                    {"nopOperationId": "\(nop)", "product": "anything"}
                    """)
                let codes = (check.json["reasons"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
                #expect(codes.contains("unknown_status"), "\(codes)")
            }
        }
    }

    @Test func theDirectoryShowsTheCertifiersShortNameAndFindsByIt() async throws {
        try await IntegrityDouble.with { double in
            try await TestServer.run(.sqlite, integrityBaseURL: double.baseURL) { server in
                _ = try await Self.register(server, double)
                let started = try await server.send(.post, "/v1/verifications", key: server.admin)
                let runId = try #require(started.json["runId"] as? String)
                _ = try await eventually("the verification run to finish") {
                    try await server.send(.get, "/v1/verifications/\(runId)", key: server.purchaser).json["outcome"] as? String == "running" ? nil : true
                }
                let found = try await server.send(.get, "/v1/integrity/search?q=mosa", key: server.purchaser)
                let entries = found.json["items"] as? [[String: Any]] ?? []
                #expect(!entries.isEmpty)
                #expect(entries.allSatisfy {
                    $0["certifierShortName"] as? String == "MOSA" && $0["certifier"] as? String == "Midwest Organic Services Association, Inc."
                })
                #expect(entries.allSatisfy { !($0["otherNames"] as? [String] ?? []).contains("N/A") })
            }
        }
    }

    @Test func anUnreachableINTEGRITYIsAFailedVerificationNotAnError() async throws {
        try await TestServer.run(.sqlite) { server in
            let created = try await server.send(.post, "/v1/suppliers", key: server.admin, json: """
                {"name": "Somebody", "nopOperationId": "1234567890", "certificate": {"status": "certified"}}
                """)
            let id = try #require(created.json["id"] as? String)
            let reply = try await server.send(.post, "/v1/suppliers/\(id)/verify", key: server.admin)
            #expect(reply.status == .ok || reply.status == .accepted, "a busy machine may take longer than the 5 s wait")
            // The supplier's verification record, as answered at once or once the run has ended.
            let record = try await eventually("the supplier's verification record") {
                let items = try await server.send(.get, "/v1/suppliers/\(id)/verifications", key: server.admin).json["items"] as? [[String: Any]]
                return items?.first
            }
            #expect(record["outcome"] as? String == "failed")
            #expect((record["reason"] as? String)?.isEmpty == false)
            let supplier = try await server.send(.get, "/v1/suppliers/\(id)", key: server.admin)
            #expect((supplier.json["certificate"] as? [String: Any])?["status"] as? String == "certified")
        }
    }
}
