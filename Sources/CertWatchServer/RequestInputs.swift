import CertWatchCore
import CertWatchStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import NIOCore

/// The API's readers of outside input as functions of bytes, read and validated as the routes
/// read them, for the fuzzer (`certwatch-fuzz query-string`, `api-json`).
public enum RequestInputs {
    /// A request target's query, as the lists read it: only the characters an HTTP request line
    /// may carry reach a route, so only those are tried.
    public static func readQuery(_ bytes: [UInt8]) {
        let query = String(decoding: bytes.filter { (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "#") }, as: UTF8.self)
        let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/v1/suppliers?" + query),
                              body: RequestBody(buffer: ByteBuffer()))
        let form = FormQuery(request)
        _ = SupplierQuery(status: form.nonEmpty("status"), text: form.nonEmpty("q"), tag: form.nonEmpty("tag"), cursor: form.nonEmpty("cursor"))
        let values = request.queryValues
        var errors: [FieldError] = []
        _ = ListLimit.parse(values, max: 500, errors: &errors)
        for name in ["since", "until", "date"] { _ = values[Substring(name)].map { CalendarDate(input: String($0)) } }
        _ = values["decision"].map { PurchaseDecision(rawValue: String($0)) }
        _ = values["type"].map { AlertKind(rawValue: String($0)) }
        _ = form.nonEmpty("status").map { CertificationStatus(codeOrText: $0) }
    }

    /// A JSON body, as each route that takes one decodes and validates it.
    public static func readJSON(_ bytes: [UInt8]) {
        let data = Data(bytes)
        let decoder = JSONDecoder()
        if let input = try? decoder.decode(SupplierInput.self, from: data) { _ = try? input.validated(id: "fuzz") }
        if let input = try? decoder.decode(ImportCertificateInput.self, from: data) { _ = try? input.validated(id: "fuzz", exporterId: nil) }
        if let request = try? decoder.decode(PurchaseCheckRequest.self, from: data) { _ = try? request.question(askedBy: "fuzz") }
        _ = try? decoder.decode(WebhookRoutes.EndpointInput.self, from: data)
        if case .failure(let error as DecodingError) = Result(catching: { try decoder.decode(SupplierInput.self, from: data) }) {
            _ = JSONBody.problem(for: error)
        }
    }
}
