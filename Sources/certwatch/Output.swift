import Foundation

/// Writes what commands print: JSON for scripts (`--json`), aligned tables for people.
enum Output {
    static func json(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Left-aligned columns separated by two spaces, header first.
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        for row in all {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            print(cells.joined(separator: "  "))
        }
    }

    /// Writes a line to standard output unbuffered, for a long-running command whose output is
    /// piped to a log and must show at once.
    static func now(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func error(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// A progress callback that redraws "VERB done/total" on a terminal and does nothing otherwise.
    static func progress(_ verb: String) -> @Sendable (Int, Int) -> Void {
        guard isInteractive else { return { _, _ in } }
        return { done, total in FileHandle.standardError.write(Data("\r\(verb) \(done)/\(total)".utf8)) }
    }

    /// True when standard error is a terminal, where progress lines are wanted.
    static var isInteractive: Bool { isatty(FileHandle.standardError.fileDescriptor) == 1 }
}
