import Foundation

/// The text of an uploaded PDF, by Debian's `pdftotext` (poppler-utils), confined as every tool
/// given an uploaded file is (`ConfinedTool`): a file it cannot read is "not read", never a
/// crash or a hang.
public enum PDFText {
    public enum Outcome: Sendable, Equatable {
        case text(String)
        /// A scan or an image-only PDF: checked by hand.
        case noText
        case notRead(String)
    }

    public typealias Limits = ConfinedTool.Limits

    static let pdftotext = "/usr/bin/pdftotext"

    public static func extract(_ bytes: [UInt8], limits: Limits = Limits()) async -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: pdftotext) else {
            return .notRead("pdftotext is not installed (apt-get install poppler-utils)")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("certwatch-pdf-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: file) }
        do {
            try Data(bytes).write(to: file)
        } catch {
            return .notRead("cannot write a temporary file: \(error)")
        }
        switch await ConfinedTool.run(pdftotext, ["-q", "-enc", "UTF-8", "-eol", "unix", file.path, "-"], limits: limits) {
        case .success(let text): return text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? .noText : .text(text)
        case .failure(let failure): return .notRead(failure.description)
        }
    }
}
