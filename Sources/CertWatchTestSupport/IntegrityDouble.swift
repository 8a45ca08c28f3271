import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The project's INTEGRITY test double (`testing/integrity_double.py`) running on a loopback
/// port for the duration of a test: a real HTTP server, controlled over HTTP.
public final class IntegrityDouble: Sendable {
    private let server: LoopbackProcess
    public var port: Int { server.port }

    public static let repository = LoopbackProcess.repository

    /// The service's base URL as the older `integrity.baseUrl` takes it.
    public var baseURL: String { "http://127.0.0.1:\(port)/IntegrityPubDataServices/OidPublicDataService.svc" }
    /// `integrity.webServiceUrl`: the `…/rest` root of Operations, Operations/Count, OperationsCount, Items.
    public var webServiceURL: String { baseURL + "/rest" }
    /// `integrity.bulkUrl` at the path the download has always had.
    public var bulkURL: String { webServiceURL + "/GetAllOperationsPublicData" }
    /// `integrity.bulkUrl` at the newer path public code uses (no `.svc`, no `/rest`).
    public var newerBulkURL: String { "http://127.0.0.1:\(port)/IntegrityPubDataServices/OIDPublicAPI/GetAllOperationsPublicData" }
    /// The double's data as a monthly INTEGRITY_Export workbook.
    public var exportWorkbookURL: String { "http://127.0.0.1:\(port)/Integrity/MonthlyReports/INTEGRITY_Export_20261101.xlsx" }

    /// Starts a double with `operations` generated operations, runs `body`, stops the double.
    public static func with<T: Sendable>(operations: Int = 40, _ body: (IntegrityDouble) async throws -> T) async throws -> T {
        try await LoopbackProcess.with("integrity_double.py", ["--port", "0", "--operations", "\(operations)"]) {
            try await body(IntegrityDouble(server: $0))
        }
    }

    private init(server: LoopbackProcess) {
        self.server = server
    }

    /// Every operation the double serves: its `op_…` fields (and `items`).
    public func operations() async throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: try await request("GET", "/_control/operations")) as? [[String: Any]] ?? []
    }

    /// Changes fields of one operation, e.g. `["op_status": "Suspended"]`; unless the fields
    /// say otherwise, its `op_lastUpdatedDate` becomes now, as INTEGRITY's does.
    public func update(_ nopId: String, _ fields: [String: String]) async throws {
        _ = try await request("POST", "/_control/operations/\(nopId)", body: fields)
    }

    /// The operation is no longer listed.
    public func delete(_ nopId: String) async throws {
        _ = try await request("POST", "/_control/delete/\(nopId)", body: [:])
    }

    /// Injects a fault (see the script) for the next `times` answers, or until cleared (times 0).
    /// `seconds` is how long `slow` waits before answering.
    public func fault(_ name: String, times: Int = 0, seconds: Double = 5) async throws {
        _ = try await request("POST", "/_control/fault", body: ["fault": name, "times": times, "seconds": seconds])
    }

    /// How the web service answers from now on: `xml` (DataContract XML, as the real service does) or `json` (WCF JSON).
    public func format(_ format: String) async throws {
        _ = try await request("POST", "/_control/format", body: ["format": format])
    }

    /// Retires the web service (every route answers WCF's 404 "Endpoint not found" page; the bulk
    /// download still answers), or brings it back.
    public func retireWebService(_ retired: Bool = true) async throws {
        _ = try await request("POST", "/_control/web_service", body: ["state": retired ? "retired" : "live"])
    }

    /// `real`: `Items` answers carry only what the one real answer seen had (item name, varieties,
    /// labelling flags, one status; no scope, category or certificate number; some names
    /// lower-cased). `full`: every element this adapter reads.
    public func itemsShape(_ shape: String) async throws {
        _ = try await request("POST", "/_control/items_shape", body: ["shape": shape])
    }

    /// Replaces an operation's items (`ci_…` fields; the rest default) and moves its last update to now.
    public func setItems(_ nopId: String, _ items: [[String: String]]) async throws {
        _ = try await request("POST", "/_control/items/\(nopId)", body: items)
    }

    public func requestCounts() async throws -> [String: Int] {
        try JSONSerialization.jsonObject(with: try await request("GET", "/_control/requests")) as? [String: Int] ?? [:]
    }

    /// One request the double received, as its log shows it.
    public struct LoggedRequest: Sendable {
        public var method: String
        public var path: String
        public var query: [String: String]
        /// The JSON body's members as text (numbers and strings alike), for POSTs.
        public var body: [String: String]
        public var status: Int?
    }

    /// Every request the double received since it started or was reset, in order.
    public func log() async throws -> [LoggedRequest] {
        let entries = try JSONSerialization.jsonObject(with: try await request("GET", "/_control/log")) as? [[String: Any]] ?? []
        return entries.map { entry in
            let body = (entry["body"] as? [String: Any] ?? [:]).compactMapValues { value -> String? in
                if let text = value as? String { return text }
                if let number = value as? NSNumber { return number.stringValue }
                return value is NSNull ? nil : "\(value)"
            }
            return LoggedRequest(
                method: entry["method"] as? String ?? "", path: entry["path"] as? String ?? "",
                query: entry["query"] as? [String: String] ?? [:], body: body, status: entry["status"] as? Int)
        }
    }

    private func request(_ method: String, _ path: String, body: Any? = nil) async throws -> Data {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = HTTPMethod(rawValue: method)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        guard response.status == .ok else { throw DoubleFailure(message: "\(method) \(path): HTTP \(response.status.code)") }
        return Data(bytes.readableBytesView)
    }

    public struct DoubleFailure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
