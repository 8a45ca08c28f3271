import Foundation

/// XML from outside is parsed only once it is known to be safe for FoundationXML's `XMLParser`,
/// which crashes the process on two inputs found by fuzzing the readers: invalid UTF-8 inside a
/// comment (a trap), and a processing instruction without data such as `<?name?>` (libxml2 hands
/// it no data and FoundationXML reads it as a C string: a null dereference). Every XML INTEGRITY
/// and Excel write is UTF-8 and carries no such instruction, so both are refused as not their text.
enum XMLSafety {
    struct Unsafe: Error, CustomStringConvertible {
        var description: String
        static let notUTF8 = Unsafe(description: "the XML is not valid UTF-8 text")
        static let emptyInstruction = Unsafe(description: "the XML holds a processing instruction without data (<?name?>), which the XML parser cannot read")
    }

    static func check(_ bytes: some Collection<UInt8>) throws(Unsafe) {
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .notUTF8 }
        var instructions = InstructionScan()
        guard instructions.scan(bytes) else { throw .emptyInstruction }
    }

    /// Checks a file in 1 MiB chunks: memory stays flat for a download of any size. A character
    /// split by a chunk's end is carried into the next chunk; the instruction scan carries its state.
    static func checkFile(_ url: URL) throws {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var carried: [UInt8] = []
        var instructions = InstructionScan()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            var bytes = carried + chunk
            let cut = completeLength(bytes)
            carried = Array(bytes[cut...])
            bytes.removeSubrange(cut...)
            guard String(validating: bytes, as: UTF8.self) != nil, carried.count < 4 else { throw Unsafe.notUTF8 }
            guard instructions.scan(bytes) else { throw Unsafe.emptyInstruction }
        }
        guard carried.isEmpty else { throw Unsafe.notUTF8 }
    }

    /// How many leading bytes end on a character boundary: a trailing lead byte and its
    /// continuation bytes, when fewer than the lead announces, are left for the next chunk.
    static func completeLength(_ bytes: [UInt8]) -> Int {
        var start = bytes.count
        var continuation = 0
        while start > 0, continuation < 3, bytes[start - 1] & 0xC0 == 0x80 {
            start -= 1
            continuation += 1
        }
        guard start > 0 else { return bytes.count }
        let lead = bytes[start - 1]
        let needed = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0
        return needed > continuation ? start - 1 : bytes.count
    }

    /// Finds `<?target?>` or `<?target   ?>`: an instruction whose target is followed by nothing
    /// but spaces. Streams, so an instruction split across chunks is still seen. (Inside a comment
    /// or CDATA such text is refused too: stricter than needed, never looser.)
    struct InstructionScan {
        private enum State { case text, lessThan, target, space, question }
        private var state = State.text

        /// False once an instruction without data is seen.
        mutating func scan(_ bytes: some Sequence<UInt8>) -> Bool {
            for byte in bytes {
                let isSpace = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
                switch state {
                case .text: if byte == UInt8(ascii: "<") { state = .lessThan }
                case .lessThan: state = byte == UInt8(ascii: "?") ? .target : byte == UInt8(ascii: "<") ? .lessThan : .text
                case .target: if isSpace { state = .space } else if byte == UInt8(ascii: "?") { state = .question }
                case .space: if byte == UInt8(ascii: "?") { state = .question } else if !isSpace { state = .text }
                case .question:
                    if byte == UInt8(ascii: ">") { return false }
                    state = byte == UInt8(ascii: "?") ? .question : byte == UInt8(ascii: "<") ? .lessThan : .text
                }
            }
            return true
        }
    }
}
