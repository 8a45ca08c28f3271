import CertWatchStore
import Foundation
import Hummingbird
import Metrics
import Prometheus

/// The routes operators and load balancers call without a key: `/healthz` (the process answers),
/// `/readyz` (the database answers), `/metrics` (Prometheus text) and `/openapi.yaml`.
struct OperationsRoutes {
    let database: Database

    func register(on router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in
            try JSONBody.response(["status": "ok"])
        }
        router.get("readyz") { _, _ in
            guard await database.isReachable() else {
                throw Problem(.serviceUnavailable, "not-ready", title: "Not ready", detail: "the database does not answer")
            }
            return try JSONBody.response(["status": "ready"])
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(bytes: AppMetrics.registry.emitToBuffer())))
        }
        router.get("openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"],
                     body: .init(byteBuffer: ByteBuffer(bytes: try OpenAPIDocument.bytes())))
        }
    }
}

/// Process-wide metrics: swift-metrics is bootstrapped once, onto one Prometheus registry.
public enum AppMetrics {
    public static let registry = PrometheusCollectorRegistry()

    private static let bootstrapOnce: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    public static func bootstrap() { _ = bootstrapOnce }
}

/// The OpenAPI 3.1 document shipped as a resource; it describes exactly the routes the router has.
public enum OpenAPIDocument {
    public static func bytes() throws -> [UInt8] {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return Array(try Data(contentsOf: url))
    }
}
