import CertWatchCore
import CertWatchStore
import CertWatchTestSupport
import Crypto
import Foundation
import Hummingbird
import Testing

/// Documents on file through the API: stored once per content, typed by their bytes, limited in
/// size, downloaded as attachments.
@Suite struct DocumentAPITests {
    /// A small but well-formed PDF (one empty page), written here so the test needs no tool.
    static let pdf: [UInt8] = Array("""
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj
        trailer << /Root 1 0 R >>
        %%EOF
        """.utf8)

    static func supplier(_ server: TestServer) async throws -> String {
        let created = try await server.send(.post, "/v1/suppliers", key: server.admin, json: #"{"name": "Paper Farm"}"#)
        return try #require(created.json["id"] as? String)
    }

    @Test(arguments: Backend.allCases)
    func aCertificateIsFiledOnceAndDownloadedAsItWasSent(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let id = try await Self.supplier(server)
            let path = "/v1/suppliers/\(id)/documents?kind=organic_certificate&fileName=cert.pdf"
            let first = try await server.send(.post, path, key: server.admin, body: Self.pdf, contentType: "application/pdf")
            #expect(first.status == .created, "\(first.text)")
            #expect(first.json["sha256"] as? String == SHA256.hash(data: Self.pdf).hexString)
            #expect(first.json["contentType"] as? String == "application/pdf" && first.json["uploadedBy"] as? String == "admin")
            let again = try await server.send(.post, path, key: server.admin, body: Self.pdf, contentType: "application/octet-stream")
            #expect(again.status == .created, "the type comes from the bytes, not the header")

            let listed = try await server.send(.get, "/v1/suppliers/\(id)/documents", key: server.purchaser)
            #expect((listed.json["items"] as? [[String: Any]])?.count == 2, "\(listed.text)")
            #expect(try await DocumentStore(database: server.database).contentCount() == 1, "the same bytes are stored once")

            let location = try #require(first.headers[.location])
            let download = try await server.send(.get, location, key: server.purchaser)
            #expect(download.status == .ok && download.body == Self.pdf)
            #expect(download.headers[.contentType] == "application/pdf")
            #expect(download.headers[.contentDisposition] == "attachment; filename=\"cert.pdf\"")
            #expect(download.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test(arguments: Backend.allCases)
    func aMultipartUploadCarriesItsKindAndName(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let id = try await Self.supplier(server)
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 64)
            let body = Array("--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncertificate_addendum\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"scan.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
                + png + Array("\r\n--XyZ--\r\n".utf8)
            let reply = try await server.send(.post, "/v1/suppliers/\(id)/documents", key: server.admin, body: body,
                                              contentType: "multipart/form-data; boundary=XyZ")
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.json["kind"] as? String == "certificate_addendum" && reply.json["fileName"] as? String == "scan.png")
            #expect(reply.json["contentType"] as? String == "image/png" && reply.json["byteCount"] as? Int == png.count)
        }
    }

    @Test(arguments: Backend.allCases)
    func badUploadsAreRefusedAndStoreNothing(_ backend: Backend) async throws {
        try await TestServer.run(backend, settings: { $0.documentMaxBytes = 4_096 }) { server in
            let id = try await Self.supplier(server)
            let path = "/v1/suppliers/\(id)/documents?kind=organic_certificate"
            let notPDF = try await server.send(.post, path, key: server.admin, body: Array("<html>a certificate</html>".utf8), contentType: "application/pdf")
            #expect(notPDF.status == .unsupportedMediaType)
            let large = try await server.send(.post, path, key: server.admin, body: Self.pdf + Array(repeating: 32, count: 5_000), contentType: "application/pdf")
            #expect(large.status == .contentTooLarge, "documents.maxBytes")
            #expect(try await server.send(.post, "/v1/suppliers/\(id)/documents?kind=passport", key: server.admin, body: Self.pdf).status == .unprocessableContent)
            #expect(try await server.send(.post, "/v1/suppliers/nobody/documents?kind=other", key: server.admin, body: Self.pdf).status == .notFound)
            #expect(try await server.send(.post, path, key: server.purchaser, body: Self.pdf).status == .forbidden)
            #expect(try await server.send(.post, path, key: server.admin, body: []).status == .unsupportedMediaType)
            // A byte past ASCII in a part's header name crashed multipart-kit (found by schemathesis and libFuzzer).
            let hostile = try await server.send(.post, path, key: server.admin, body: Array("--XX\r\n\u{E9}: x\r\n\r\nabc\r\n--XX--\r\n".utf8),
                                                contentType: "multipart/form-data; boundary=XX")
            #expect(hostile.status == .badRequest, "\(hostile.text)")
            let kindPart = Array("--XX\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nother\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.pdf\"\r\n\r\n".utf8)
                + Self.pdf + Array("\r\n--XX--\r\n".utf8)
            let badQueryKind = try await server.send(.post, "/v1/suppliers/\(id)/documents?kind=passport", key: server.admin, body: kindPart,
                                                     contentType: "multipart/form-data; boundary=XX")
            #expect(badQueryKind.status == .unprocessableContent, "a wrong kind in the query is refused even when the part names one")
            #expect(try await DocumentStore(database: server.database).list(supplierId: id).isEmpty)
            #expect(try await DocumentStore(database: server.database).contentCount() == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func aDocumentIsKeptForTheRetentionPeriod(_ backend: Backend) async throws {
        try await TestServer.run(backend) { server in
            let id = try await Self.supplier(server)
            let filed = try await server.send(.post, "/v1/suppliers/\(id)/documents?kind=organic_certificate", key: server.admin,
                                              body: Self.pdf, contentType: "application/pdf")
            let documentId = try #require(filed.json["id"] as? String)
            let refused = try await server.send(.delete, "/v1/documents/\(documentId)", key: server.admin)
            #expect(refused.status == .conflict, "\(refused.text)")
            let uploaded = try #require(try await DocumentStore(database: server.database).get(id: documentId)).uploadedAt
            let day = CalendarDate(utc: uploaded)
            #expect(refused.json["deletableFrom"] as? String == CalendarDate(year: day.year + 5, month: day.month, day: day.day)?.description
                        ?? CalendarDate(year: day.year + 5, month: 3, day: 1)!.description)
            #expect(try await server.send(.get, "/v1/documents/\(documentId)/content", key: server.admin).status == .ok, "and is still there")
            #expect(try await server.send(.delete, "/v1/documents/\(documentId)", key: server.purchaser).status == .forbidden)

            // Filed six years ago: it may go now.
            let sixYearsAgo = Date().addingTimeInterval(-6 * 366 * 86_400)
            let old = try await DocumentStore(database: server.database, now: { sixYearsAgo })
                .add(supplierId: id, kind: .organicCertificate, fileName: nil, bytes: Self.pdf + [0x0A], uploadedBy: "t")
            #expect(try await server.send(.delete, "/v1/documents/\(old.id)", key: server.admin).status == .noContent)
            #expect(try await server.send(.get, "/v1/documents/\(old.id)/content", key: server.admin).status == .notFound)
            #expect(try await DocumentStore(database: server.database).contentCount() == 1, "its content went with it; the other stays")
        }
    }
}
