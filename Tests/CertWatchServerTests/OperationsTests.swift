import CertWatchApp
import CertWatchServer
import CertWatchTestSupport
import Foundation
import Hummingbird
import Logging
import Testing

@Suite struct OperationsTests {
    @Test func healthReadinessAndMetricsNeedNoKey() async throws {
        try await TestServer.run(.sqlite) { server in
            #expect(try await server.send(.get, "/readyz", key: nil).json["status"] as? String == "ready")
            _ = try await server.send(.get, "/v1/suppliers", key: server.purchaser)
            let metrics = try await server.send(.get, "/metrics", key: nil)
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains(#"hb_requests{http_route="/v1/suppliers",http_request_method="GET",http_response_status_code="200"}"#))
            #expect(metrics.text.contains("http_server_request_duration"))
            let unknown = try await server.send(.get, "/nope", key: nil)
            #expect(unknown.status == .notFound && unknown.headers[.contentType] == "application/problem+json")
        }
    }

    @Test func readinessFailsWhenTheDatabaseIsGone() async throws {
        try await TestServer.run(.sqlite) { server in
            try await server.database.close()
            let reply = try await server.send(.get, "/readyz", key: nil)
            #expect(reply.status == .serviceUnavailable)
            #expect(try await server.send(.get, "/healthz", key: nil).status == .ok)
        }
    }

    /// The OpenAPI document lists exactly the routes the router serves, method by method.
    @Test func theOpenAPIDocumentDescribesExactlyTheRoutes() async throws {
        let document = String(decoding: try OpenAPIDocument.bytes(), as: UTF8.self)
        var documented = Set<String>()
        var path: String?
        var inPaths = false
        for line in document.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, let first = line.first, !first.isWhitespace { break }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path,
                      let method = ["get", "put", "post", "delete", "patch"].first(where: { line.hasPrefix("    \($0):") }) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let served = try await withTestDatabase(.sqlite) { database in
            Set(buildRouter(.live(settings: Settings(), database: database, logger: Logger(label: "test"))).routes.map { "\($0.method) \($0.path)" })
        }
        #expect(!served.isEmpty)
        #expect(served.subtracting(documented).isEmpty, "served but not documented")
        #expect(documented.subtracting(served).isEmpty, "documented but not served")
        let reply = try await TestServer.runReturning(.sqlite) { try await $0.send(.get, "/openapi.yaml", key: nil) }
        #expect(reply.text == document)
    }
}

extension TestServer {
    static func runReturning<T: Sendable>(_ backend: Backend, _ body: @escaping @Sendable (TestServer) async throws -> T) async throws -> T {
        let box = ResultBox<T>()
        try await run(backend) { box.value = try await body($0) }
        return try #require(box.value)
    }
}

final class ResultBox<T: Sendable>: @unchecked Sendable {
    var value: T?
}
