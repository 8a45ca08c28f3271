import CertWatchTestSupport
import Foundation
import Hummingbird
import Testing

@Suite struct SupplierAPITests {
    @Test(arguments: Backend.allCases)
    func createReadReplaceDelete(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let created = try await server.send(.post, "/v1/suppliers", key: server.admin, json: validSupplierJSON)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.headers[.location] == "/v1/suppliers/\(id)")
            let certificate = try #require(created.json["certificate"] as? [String: Any])
            #expect(certificate["anniversaryDate"] as? String == validSupplierAnniversary)
            #expect(certificate["validTo"] is NSNull, "absent values are null, not missing")
            #expect(created.json["lastVerification"] is NSNull)
            #expect(created.json["integrityProfileUrl"] as? String == "https://organic.ams.usda.gov/integrity/CP/OPP?nopid=8150001234")

            let read = try await server.send(.get, "/v1/suppliers/\(id)", key: server.purchaser)
            #expect(read.status == .ok && read.json["name"] as? String == "Valle Verde Aguacates")
            let items = (read.json["certificate"] as? [String: Any])?["items"] as? [[String: Any]]
            #expect(items?.first?["varieties"] as? [String] == ["Hass"])

            let replacement = validSupplierJSON.replacingOccurrences(of: "\"status\": \"certified\", \"statusEffectiveDate\"", with: "\"status\": \"Suspended\", \"statusEffectiveDate\"")
            let replaced = try await server.send(.put, "/v1/suppliers/\(id)", key: server.admin, json: replacement)
            #expect(replaced.status == .ok)
            #expect((replaced.json["certificate"] as? [String: Any])?["status"] as? String == "suspended")

            #expect(try await server.send(.delete, "/v1/suppliers/\(id)", key: server.admin).status == .noContent)
            let gone = try await server.send(.get, "/v1/suppliers/\(id)", key: server.admin)
            #expect(gone.status == .notFound && gone.headers[.contentType] == "application/problem+json")
            #expect(try await server.send(.put, "/v1/suppliers/\(id)", key: server.admin, json: validSupplierJSON).status == .notFound)
        }
    }

    /// Each bad request gets a 4xx problem document with a clear message and leaves the registry as it was.
    @Test(arguments: Backend.allCases)
    func badInputIsRefusedAndWritesNothing(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            _ = try await server.send(.post, "/v1/suppliers", key: server.admin, json: validSupplierJSON)
            let cases: [(String, HTTPResponse.Status, [String])] = [
                (#"{"name": "Broken", "#, .badRequest, []),
                (validSupplierJSON.replacingOccurrences(of: "\"status\": \"certified\", \"statusEffectiveDate\"", with: "\"status\": \"pending\", \"statusEffectiveDate\""),
                 .unprocessableContent, ["certificate.status"]),
                (validSupplierJSON.replacingOccurrences(of: "8150001234", with: "81500"), .unprocessableContent, ["nopOperationId"]),
                (#"{"name": "Tags as text", "tags": "fruit"}"#, .unprocessableContent, ["tags"]),
                (#"{"name": "No scope", "certificate": {"status": "certified", "items": [{"items": ["Oats"]}]}}"#,
                 .unprocessableContent, ["certificate.items[0].scope"]),
                (#"{"otherNames": []}"#, .unprocessableContent, ["name"]),
                (validSupplierJSON, .conflict, []),
            ]
            for (body, status, fields) in cases {
                let reply = try await server.send(.post, "/v1/suppliers", key: server.admin, json: body)
                #expect(reply.status == status, "\(body)")
                #expect(reply.headers[.contentType] == "application/problem+json")
                #expect(reply.errorFields == fields, "\(body)")
                #expect((reply.json["detail"] as? String)?.isEmpty == false)
            }
            let huge = #"{"name": "\#(String(repeating: "x", count: 2 << 20))"}"#
            #expect(try await server.send(.post, "/v1/suppliers", key: server.admin, json: huge).status == .contentTooLarge)
            let form = try await server.send(.post, "/v1/suppliers", key: server.admin, body: Array("name=x".utf8), contentType: "application/x-www-form-urlencoded")
            #expect(form.status == .unsupportedMediaType)
            #expect(try await server.supplierCount() == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func aPurchaserKeyReadsCannotWriteAndStopsWhenRevoked(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let missing = try await server.send(.get, "/v1/suppliers", key: nil)
            #expect(missing.status == .unauthorized && missing.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await server.send(.get, "/v1/suppliers", key: "cwk_wrong").status == .unauthorized)
            #expect(try await server.send(.get, "/v1/suppliers", key: server.purchaser).status == .ok)
            let forbidden = try await server.send(.post, "/v1/suppliers", key: server.purchaser, json: validSupplierJSON)
            #expect(forbidden.status == .forbidden)
            #expect(try await server.send(.post, "/v1/suppliers/import", key: server.purchaser, body: Array("name\nA\n".utf8), contentType: "text/csv").status == .forbidden)
            #expect(try await server.supplierCount() == 0)
            #expect(try await APIKeyStoreRevoker(server).revoke("buyer"))
            #expect(try await server.send(.get, "/v1/suppliers", key: server.purchaser).status == .unauthorized)
            #expect(try await server.send(.get, "/healthz", key: nil).status == .ok)
        }
    }

    @Test(arguments: Backend.allCases)
    func importIsAllOrNothingOverHTTP(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let bad = "name,nop_operation_id,status\nGood,1000000001,certified\nBad,99,certified\nWorse,1000000003,pending\n"
            let refused = try await server.send(.post, "/v1/suppliers/import", key: server.admin, body: Array(bad.utf8), contentType: "text/csv")
            #expect(refused.status == .unprocessableContent)
            let lines = (refused.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["line"] as? Int }
            #expect(lines == [3, 4])
            #expect(try await server.supplierCount() == 0)

            let good = "name,nop_operation_id,status,tags\nAlpha,1000000001,certified,grain\nBeta,1000000002,suspended,fruit\n"
            let dry = try await server.send(.post, "/v1/suppliers/import?dryRun=true", key: server.admin, body: Array(good.utf8), contentType: "text/csv")
            #expect(dry.status == .ok && dry.json["applied"] as? Bool == false && dry.json["created"] as? Int == 2)
            #expect(try await server.supplierCount() == 0)
            let applied = try await server.send(.post, "/v1/suppliers/import", key: server.admin, body: Array(good.utf8), contentType: "text/csv")
            #expect(applied.json["created"] as? Int == 2)
            let again = try await server.send(.post, "/v1/suppliers/import", key: server.admin, body: Array(good.utf8), contentType: "text/csv")
            #expect(again.json["updated"] as? Int == 2 && again.json["created"] as? Int == 0)
            #expect(try await server.supplierCount() == 2)
        }
    }

    @Test(arguments: Backend.allCases)
    func listFiltersAndPages(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let csv = "name,nop_operation_id,status,tags\n" + (1...7).map { "Supplier \($0),100000000\($0),\($0 % 2 == 0 ? "suspended" : "certified"),t\($0 % 3)\n" }.joined()
            _ = try await server.send(.post, "/v1/suppliers/import", key: server.admin, body: Array(csv.utf8), contentType: "text/csv")
            var names: [String] = []
            var uri = "/v1/suppliers?limit=3"
            while true {
                let page = try await server.send(.get, uri, key: server.purchaser)
                names += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                guard let cursor = page.json["nextCursor"] as? String else {
                    #expect(page.json["nextCursor"] is NSNull)
                    break
                }
                uri = "/v1/suppliers?limit=3&cursor=\(cursor)"
            }
            #expect(names == (1...7).map { "Supplier \($0)" })
            let suspended = try await server.send(.get, "/v1/suppliers?status=Suspended&tag=t1", key: server.purchaser)
            #expect((suspended.json["items"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["Supplier 4"])
            let text = try await server.send(.get, "/v1/suppliers?q=supplier%207", key: server.purchaser)
            #expect((text.json["items"] as? [[String: Any]])?.count == 1)
            let formEncoded = try await server.send(.get, "/v1/suppliers?q=supplier+7", key: server.purchaser)
            #expect((formEncoded.json["items"] as? [[String: Any]])?.count == 1, "+ is a space, as a browser's form writes it")
            #expect(try await server.send(.get, "/v1/suppliers?limit=0", key: server.purchaser).status == .unprocessableContent)
            #expect(try await server.send(.get, "/v1/suppliers?status=pending", key: server.purchaser).status == .unprocessableContent)
            #expect(try await server.send(.get, "/v1/suppliers?cursor=nonsense", key: server.purchaser).status == .badRequest)
        }
    }
}

import CertWatchStore

/// Revokes through the store, as `certwatch keys revoke` does, while the server runs.
struct APIKeyStoreRevoker {
    let server: TestServer
    init(_ server: TestServer) { self.server = server }
    func revoke(_ name: String) async throws -> Bool { try await APIKeyStore(database: server.database).revoke(name: name) }
}
