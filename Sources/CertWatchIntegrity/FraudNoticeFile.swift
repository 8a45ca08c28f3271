import CertWatchCore
import Foundation

/// A fraud list as operators bring it, told apart by its first bytes rather than its name (a
/// download may be renamed, a page upload has none to trust): NOP's spreadsheet (xlsx, a zip) or
/// CSV, read as strictly as ever (`FraudNoticeCSV`). An old Excel file (xls) is converted to
/// xlsx before (`LegacyWorkbook.readable`, a child process), and refused here with what to do
/// when it was not. Used by `certwatch fraud-notices import` and the fraud notices' page.
public enum FraudNoticeFile {
    static let zipMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    /// The OLE2 compound file an .xls workbook is.
    static let xlsMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
    static let xlsRefusal = "an .xls file: save it as .xlsx (Excel: File › Save As › Excel Workbook)"

    /// Every notice of the file (ids made by `makeId`), or `ValidationFailure` naming every bad
    /// line, or the file (field `file`) when it cannot be read at all.
    public static func notices(from bytes: [UInt8], limits: ZipLimits, makeId: () -> String) throws(ValidationFailure) -> [FraudNotice] {
        if bytes.starts(with: xlsMagic) { throw ValidationFailure([FieldError(field: "file", message: xlsRefusal)]) }
        guard bytes.starts(with: zipMagic) else { return try FraudNoticeCSV.notices(from: bytes, makeId: makeId) }
        // The zip reader reads files: the bytes are written to one for the read, then removed.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("certwatch-fraud-list-\(UUID().uuidString).xlsx")
        guard FileManager.default.createFile(atPath: file.path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw ValidationFailure([FieldError(field: "file", message: "cannot write \(file.path)")])
        }
        defer { try? FileManager.default.removeItem(at: file) }
        let sheets: [[TableRow]]
        do { sheets = try SpreadsheetTable.read(file, limits: limits) } catch {
            throw ValidationFailure([FieldError(field: "file", message: error.description)])
        }
        return try FraudNoticeTable.notices(in: sheets, makeId: makeId)
    }
}
