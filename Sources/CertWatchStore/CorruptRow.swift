/// A stored value this version cannot read: a sign of manual edits or a botched migration. Every
/// reader throws it for a value it cannot read (a status code, a timestamp), rather than guessing.
struct CorruptRow: Error, CustomStringConvertible {
    var column: String
    var value: String
    var description: String { "stored value \"\(value)\" in \(column) cannot be read" }
}
