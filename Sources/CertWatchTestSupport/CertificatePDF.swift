import Foundation

/// The PDFs the document tests upload, made by `testing/make_certificate_pdf.py` (fpdf2): real
/// files, as a certifier's software writes them.
public enum CertificatePDF {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// A certificate stating these fields (`kind` "certificate"), a page without text ("scan"), or
    /// a thousand pages of text that take pdftotext a while ("long"), as bytes.
    public static func make(_ kind: String, _ fields: String...) throws -> [UInt8] {
        let path = try write(kind, fields)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The same, written to a temporary file; returns its path.
    public static func write(_ kind: String, _ fields: String...) throws -> String {
        try write(kind, fields)
    }

    private static func write(_ kind: String, _ fields: [String]) throws -> String {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("certificate-\(UUID().uuidString).pdf").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", LoopbackProcess.repository.appendingPathComponent("testing/make_certificate_pdf.py").path, kind, out] + fields
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "make_certificate_pdf.py \(kind) \(fields) exited \(process.terminationStatus)")
        }
        return out
    }
}
