import CertWatchTestSupport
import Foundation
import Hummingbird
import Testing

/// What schemathesis found the server doing differently from its OpenAPI document, each as a
/// client meets it (issue 21, finding 9).
@Suite struct APIContractTests {
    /// An empty query value is a value not given, on every list (a form's empty field sends it).
    @Test(arguments: Backend.allCases)
    func anEmptyQueryValueIsNoValue(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            for path in ["/v1/suppliers?cursor=&status=&q=&tag=", "/v1/purchase-checks?cursor=&decision=&since=&until=&supplierId=",
                         "/v1/alerts?cursor=&type=&supplierId=", "/v1/suppliers?limit="] {
                let reply = try await server.send(.get, path, key: server.admin)
                #expect(reply.status == .ok, "\(path): \(reply.text)")
            }
            #expect(try await server.send(.get, "/v1/suppliers?cursor=nonsense", key: server.admin).status == .badRequest)
        }
    }

    /// A path served for other methods answers 405 and says which; an unknown path stays 404.
    @Test(arguments: Backend.allCases)
    func anUnservedMethodIsNamedAsSuch(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let trace = try await server.send(.trace, "/v1/jobs", key: server.admin)
            #expect(trace.status == .methodNotAllowed && trace.headers[.allow] == "GET", "\(trace.status) \(trace.headers)")
            let put = try await server.send(.put, "/healthz", key: nil)
            #expect(put.status == .methodNotAllowed && put.headers[.allow] == "GET")
            let supplier = try await server.send(.patch, "/v1/suppliers/any-id", key: server.admin)
            #expect(supplier.status == .methodNotAllowed && supplier.headers[.allow] == "DELETE, GET, PUT", "\(supplier.headers)")
            let literal = try await server.send(.options, "/v1/suppliers/import", key: server.admin)
            #expect(literal.headers[.allow] == "POST", "a literal segment is not the {id} beside it: \(literal.headers)")
            #expect(try await server.send(.get, "/v1/no-such-list", key: server.admin).status == .notFound)
        }
    }

    /// A date from outside far in the future is a 422 naming the field (finding 1: it crashed the server).
    @Test(arguments: Backend.allCases)
    func aDateBeyondTheRangeIsRefusedNotACrash(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let far = try await server.send(.get, "/v1/purchase-checks?until=9999-12-31", key: server.purchaser)
            #expect(far.status == .unprocessableContent && far.text.contains("until"), "\(far.text)")
            let check = try await server.send(.post, "/v1/purchase-checks", key: server.purchaser,
                                              json: #"{"nopOperationId": "8150001234", "product": "avocados", "date": "9999-12-31"}"#)
            #expect(check.status == .unprocessableContent && check.text.contains("date"), "\(check.text)")
            #expect(try await server.send(.get, "/healthz", key: nil).status == .ok, "still serving")
        }
    }

    /// `+` is a space in a query, as browsers and form encoders send it.
    @Test(arguments: Backend.allCases)
    func aSearchReadsPlusAsASpace(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let blank = try await server.send(.get, "/v1/integrity/search?q=+++", key: server.purchaser)
            #expect(blank.status == .unprocessableContent, "three spaces are no words: \(blank.text)")
        }
    }

    /// A mistyped dry-run flag must not write to the registry.
    @Test(arguments: Backend.allCases)
    func anUnreadableDryRunFlagImportsNothing(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let csv = Array("name,nop_operation_id,status\nPaper Farm,4920007290,certified\n".utf8)
            for flag in ["yes", ""] {
                let refused = try await server.send(.post, "/v1/suppliers/import?dryRun=\(flag)", key: server.admin, body: csv, contentType: "text/csv")
                #expect(refused.status == .unprocessableContent && refused.text.contains("dryRun"), "\(refused.text)")
            }
            let dry = try await server.send(.post, "/v1/suppliers/import?dryRun=true", key: server.admin, body: csv, contentType: "text/csv")
            #expect(dry.status == .ok, "\(dry.text)")
            let listed = try await server.send(.get, "/v1/suppliers", key: server.admin)
            #expect((listed.json["items"] as? [Any])?.isEmpty == true, "neither wrote a supplier")
        }
    }

    /// A change cannot mean `null`: leaving a field out keeps it.
    @Test(arguments: Backend.allCases)
    func aWebhookChangeRefusesNull(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            try await WebhookReceiver.with { receiver in
                let created = try await server.send(.post, "/v1/webhook-endpoints", key: server.admin, json: #"{"url": "\#(receiver.url)"}"#)
                let id = try #require(created.json["id"] as? String)
                let refused = try await server.send(.patch, "/v1/webhook-endpoints/\(id)", key: server.admin, json: #"{"url": null, "eventTypes": null}"#)
                #expect(refused.status == .unprocessableContent, "\(refused.text)")
                #expect(refused.text.contains("url") && refused.text.contains("eventTypes"))
                let kept = try await server.send(.patch, "/v1/webhook-endpoints/\(id)", key: server.admin, json: #"{"description": "ERP"}"#)
                #expect(kept.status == .ok && kept.json["url"] as? String == receiver.url)
            }
        }
    }
}
