/// An RFC 4180 CSV reader that remembers the physical line each record starts on, so import errors
/// can say "line 1042" and mean the line a person sees in their editor.
///
/// Accepts a UTF-8 BOM, CRLF or LF line ends, quoted fields with `""` escapes and line breaks.
public struct CSVReader: Sendable {
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    public init() {}

    /// Parses the whole file; blank lines are skipped. Throws `Failure`.
    public func records(in data: [UInt8]) throws -> [Record] {
        var records: [Record] = []
        try forEachRecord(in: data) { records.append($0) }
        return records
    }

    /// Hands each record to `body` as soon as it is read, so a large file is never held twice.
    /// Throws `Failure` for malformed CSV, or whatever `body` throws.
    public func forEachRecord(in data: [UInt8], _ body: (Record) throws -> Void) throws {
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var fieldWasQuoted = false
        var index = data.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRecord() throws {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                try body(Record(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while index < data.count {
            let byte = data[index]
            index += 1
            if inQuotes {
                if byte == quote {
                    if index < data.count, data[index] == quote {
                        field.append(quote)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == lf { line += 1 }
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case quote where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
            case quote:
                throw Failure(line: line, message: "a quote inside an unquoted field; quote the whole field and double inner quotes")
            case comma:
                endField()
            case cr where index < data.count && data[index] == lf:
                break
            case lf, cr:
                try endRecord()
                line += 1
                recordLine = line
            default:
                if fieldWasQuoted {
                    throw Failure(line: line, message: "text after a closing quote")
                }
                field.append(byte)
            }
        }
        if inQuotes {
            throw Failure(line: recordLine, message: "a quoted field is never closed")
        }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { try endRecord() }
    }
}
