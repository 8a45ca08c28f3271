import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Foundation
import Hummingbird
import Testing

/// The answer to `POST /v1/purchase-checks` is written directly, not through Codable (it was a
/// tenth of the server's time under load): it must be byte for byte what `GET` of the same check
/// answers through the encoder every other route uses, whatever the buyer typed.
@Suite struct PurchaseCheckAnswerJSONTests {
    /// Products a buyer or a script might send: quotes, backslashes, slashes, control
    /// characters, non-ASCII letters and emoji, and random text besides.
    static func products() -> [String] {
        var products = ["Organic Hass avocados", "\"Hass\" avocados \\ 10/12 kg", "Äpfel — Bio\tsorte\u{1}\u{1F}", "soja 🌱 ñ",
                        "line\nbreak\r\u{8}\u{C}", "</script>"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<12 {
            let scalars = (0..<Int.random(in: 1...40, using: &generator)).compactMap { _ in
                Unicode.Scalar(UInt32.random(in: 1...0x1_FFFF, using: &generator))
            }
            let text = String(String.UnicodeScalarView(scalars)).trimmingWhitespace()
            if !text.isEmpty, text.unicodeScalars.count <= 200 { products.append(text) }
        }
        return products
    }

    @Test(arguments: Backend.allCases)
    func thePostAnswerIsWhatGetShowsByteForByte(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            _ = try await PurchaseCheckAPITests.verifiedSupplier(server)
            var bodies: [String] = try Self.products().map { product in
                #"{"nopOperationId": "8150001234", "product": \#(try Self.quoted(product))}"#
            }
            bodies.append(#"{"nopOperationId": "8150009999", "product": "wheat"}"#)  // no such supplier: null supplier
            bodies.append(#"{"nopOperationId": "8150001234", "product": "avocados", "importCertificate": "IC-1", "quantity": 12.5, "unit": "kg"}"#)
            bodies.append(#"{"nopOperationId": "8150001234", "product": "avocados", "importCertificate": "IC-2", "quantity": 400, "unit": "kg"}"#)
            for body in bodies {
                let posted = try await server.send(.post, "/v1/purchase-checks", key: server.purchaser, json: body)
                #expect(posted.status == .created, "\(body): \(posted.text)")
                let id = try #require(posted.json["checkId"] as? String, "\(body): \(posted.text)")
                let shown = try await server.send(.get, "/v1/purchase-checks/\(id)", key: server.purchaser)
                #expect(posted.text == shown.text, "asked \(body)")
            }
        }
    }

    private static func quoted(_ text: String) throws -> String {
        String(decoding: try JSONEncoder().encode(text), as: UTF8.self)
    }
}
