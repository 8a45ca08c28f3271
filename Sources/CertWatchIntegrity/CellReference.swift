/// Excel's cell references (`B12`, `A5:C7`) as zero-based columns and the sheet's own row numbers,
/// read without trapping on what a hostile file may write instead.
enum CellReference {
    /// Excel's last row.
    static let maxRow = 1_048_576

    /// `B12` → 1 (zero-based column of a cell reference); -1 for a reference that names no column
    /// a workbook can have (Excel's last is XFD, 16,384): at most three ASCII letters, so a hostile
    /// `r="AAAAAAAAAAAAAAAA1"` is ignored instead of overflowing an `Int`.
    static func column(_ reference: some StringProtocol) -> Int {
        let letters = reference.utf8.prefix { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0 & 0xDF) && $0 & 0x80 == 0 }
        guard (1...3).contains(letters.count) else { return -1 }
        let index = letters.reduce(0) { $0 * 26 + Int($1 & 0xDF) - 64 } - 1
        return index < 16_384 ? index : -1
    }

    /// `B12` → 12; nil unless the letters are followed by a row a sheet can have.
    static func row(_ reference: some StringProtocol) -> Int? {
        let digits = reference.drop { $0.isASCII && $0.isLetter }
        guard digits.count <= 7, let row = Int(digits), (1...maxRow).contains(row) else { return nil }
        return row
    }

    /// `A5:C7` (or one cell, `A5`) → its rows and zero-based columns; nil for anything else.
    static func range(_ reference: String) -> (rows: ClosedRange<Int>, columns: ClosedRange<Int>)? {
        let corners = reference.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(corners.count), let first = corners.first, let last = corners.last,
              let top = row(first), let bottom = row(last), top <= bottom else { return nil }
        let left = column(first), right = column(last)
        guard left >= 0, left <= right else { return nil }
        return (top...bottom, left...right)
    }
}
