import Foundation

/// The PDFs the document tests upload, made by `testing/make_certificate_pdf.py` (fpdf2): real
/// files, as a certifier's software writes them.
public enum CertificatePDF {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A certificate stating these fields (`kind` "certificate"), a page without text ("scan"), or
    /// a thousand pages of text that take pdftotext a while ("long"), as bytes.
    public static func make(_ kind: String, _ fields: String...) async throws -> [UInt8] {
        let path = try await write(kind, fields)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The same, written to a temporary file; returns its path.
    public static func write(_ kind: String, _ fields: String...) async throws -> String {
        try await write(kind, fields)
    }

    private static func write(_ kind: String, _ fields: [String]) async throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("certificate-\(UUID().uuidString).pdf").path
        let script = LoopbackProcess.repository.appendingPathComponent("testing/make_certificate_pdf.py").path
        let made = try await ChildProcess.run("/usr/bin/env", ["python3", script, kind, out] + fields)
        guard made.status == 0 else {
            throw Failure(description: "make_certificate_pdf.py \(kind) \(fields) exited \(made.status): \(made.stderr)")
        }
        return out
    }
}
