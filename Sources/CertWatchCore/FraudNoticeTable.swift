/// A fraud list laid out as people lay out spreadsheets, NOP's download among them: title rows
/// above the header, columns named in many ways, each operation's name linked to its notice.
///
/// NOP's own columns have not been seen (docs/integrity.md), hence a wide vocabulary, compared
/// folded: case, spaces, punctuation and `_` do not count, and `#` reads as "number". The header
/// is the first of the first 30 rows that names both the operation and the date. A table it does
/// not cover is refused naming what was expected and quoting the rows read, so the first real
/// file settles the contract. The CSV import (`FraudNoticeCSV`) stays strict; both build each
/// notice with `notice(_:id:reading:)`.
public enum FraudNoticeTable {
    typealias Column = FraudNoticeCSV.Column

    /// How far down the header is looked for, counting rows that hold something.
    public static let headerSearchRows = 30

    /// The names each column goes by, as people write them; the refusal quotes them.
    static let vocabulary: [(column: Column, names: [String])] = [
        (.operationName, ["operation_name", "Operation", "Operation Name", "Operation Name on Certificate", "Business",
                          "Business Name", "Company", "Company Name", "Name on Certificate"]),
        (.identifier, ["identifier", "NOP ID", "Operation ID", "Certificate Number", "Certificate No", "Cert #", "Cert No"]),
        (.certifier, ["certifier", "Certifier Name", "Certifying Agent", "Certifying Agent on Certificate", "Certification Body"]),
        (.noticeDate, ["notice_date", "Date", "Date Posted", "Posted", "Date Added", "Notice Date", "Date of Notice", "Date Reported"]),
        (.url, ["url", "Link", "Certificate", "Certificate PDF", "PDF"]),
    ]

    static let columnsByName: [String: Column] = Dictionary(
        vocabulary.flatMap { entry in entry.names.map { (fold($0), entry.column) } }, uniquingKeysWith: { first, _ in first })

    /// How a spreadsheet writes what a notice needs.
    static let spreadsheet = Reading(
        date: spreadsheetDate,
        dateRule: "must be a date (a date cell, YYYY-MM-DD or M/D/YYYY) between \(CalendarDate.inputRange.lowerBound) and \(CalendarDate.inputRange.upperBound)",
        urlRule: "needs the notice's http(s) address: a link on the operation's name, any link in the row, or a URL column")

    /// The notices of the first sheet whose header is found (ids made by `makeId`), or
    /// `ValidationFailure` naming every bad line, each by the column's name as the sheet writes it.
    /// Rows with neither a name nor a date (blank or section rows) are skipped.
    public static func notices(in sheets: [[TableRow]], makeId: () -> String) throws(ValidationFailure) -> [FraudNotice] {
        for rows in sheets {
            for (index, row) in rows.prefix(headerSearchRows).enumerated() {
                if let columns = header(row) { return try notices(rows.dropFirst(index + 1), columns: columns, header: row, makeId: makeId) }
            }
        }
        throw ValidationFailure([FieldError(field: "file", message: noHeader(sheets.first { !$0.isEmpty } ?? []))])
    }

    private static func notices(_ rows: ArraySlice<TableRow>, columns: [Column: Int], header: TableRow,
                                makeId: () -> String) throws(ValidationFailure) -> [FraudNotice] {
        var notices: [FraudNotice] = []
        var errors: [FieldError] = []
        for row in rows {
            var values: [Column: String] = [:]
            for (column, index) in columns {
                if let text = row.cells[index]?.text.trimmingWhitespace(), !text.isEmpty { values[column] = text }
            }
            guard values[.operationName] != nil || values[.noticeDate] != nil else { continue }
            values[.url] = address(row, columns: columns)
            switch notice(values, id: makeId(), reading: spreadsheet) {
            case .success(let notice): notices.append(notice)
            case .failure(let refusal):
                let name = columns[refusal.column].flatMap { header.cells[$0]?.text.trimmingWhitespace() } ?? refusal.column.rawValue
                errors.append(FieldError(line: row.line, field: name, message: refusal.message))
            }
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return notices
    }

    /// The columns a row names, when it names at least the operation and the date; the first of
    /// two columns with one meaning counts.
    static func header(_ row: TableRow) -> [Column: Int]? {
        var columns: [Column: Int] = [:]
        for (index, cell) in row.cells.sorted(by: { $0.key < $1.key }) {
            if let column = columnsByName[fold(cell.text)], columns[column] == nil { columns[column] = index }
        }
        return columns[.operationName] != nil && columns[.noticeDate] != nil ? columns : nil
    }

    /// "Date Posted:", "DATE_POSTED" and "date posted" are one name. Long text is no column's name,
    /// so only its start is folded.
    static func fold(_ name: String) -> String {
        var folded = ""
        for character in name.prefix(64).lowercased() {
            if character == "#" { folded += "number" } else if character.isLetter || character.isNumber { folded.append(character) }
        }
        return folded
    }

    /// The notice's address: the URL column's link or text, else the link on the operation's name,
    /// else the first link in the row.
    static func address(_ row: TableRow, columns: [Column: Int]) -> String? {
        let urlCell = columns[.url].flatMap { row.cells[$0] }
        let linked = columns[.operationName].flatMap { row.cells[$0]?.link }
        let candidates = [urlCell?.link, urlCell?.text.trimmingWhitespace(), linked] + row.cells.sorted { $0.key < $1.key }.map(\.value.link)
        return candidates.lazy.compactMap { $0 }.first(where: isWebAddress)
    }

    /// A date cell (Excel's serial day number) or a date written as text, within the input range.
    static func spreadsheetDate(_ text: String) -> CalendarDate? {
        let day = if let serial = Double(text) { CalendarDate(excelSerial: serial) } else { try? IntegrityDate.parse(text) }
        return day.flatMap { CalendarDate.inputRange.contains($0) ? $0 : nil }
    }

    private static func noHeader(_ rows: [TableRow]) -> String {
        func names(_ column: Column) -> String {
            vocabulary.first { $0.column == column }.map { $0.names.joined(separator: ", ") } ?? column.rawValue
        }
        let quoted = rows.prefix(3).map { row in
            let text = row.cells.sorted { $0.key < $1.key }.map { String($0.value.text.prefix(40)) }.joined(separator: " | ")
            return "line \(row.line): \(text.prefix(160))"
        }
        return """
            no row names the columns of a fraud list: expected one naming the operation (\(names(.operationName))) \
            and one giving the date (\(names(.noticeDate))) among the first \(headerSearchRows) rows; \
            the first rows read: \(quoted.isEmpty ? "none, the file holds no text" : quoted.joined(separator: "; "))
            """
    }
}

extension FraudNoticeTable {
    /// How a file writes what a notice needs, and what a refused field is told: CSV and
    /// spreadsheets write dates and addresses differently.
    struct Reading: Sendable {
        var date: @Sendable (String) -> CalendarDate?
        var dateRule: String
        var urlRule: String
    }

    /// The field of a row that is wrong, and why.
    struct Refusal: Error {
        var column: Column
        var message: String
    }

    static func isWebAddress(_ text: String) -> Bool {
        text.hasPrefix("https://") || text.hasPrefix("http://")
    }

    /// One notice from a row's fields, or the first field that is wrong.
    static func notice(_ values: [Column: String], id: String, reading: Reading) -> Result<FraudNotice, Refusal> {
        guard let name = values[.operationName], !FraudNotice.nameKey(name).isEmpty else {
            return .failure(Refusal(column: .operationName, message: "is required"))
        }
        guard let dateText = values[.noticeDate], let date = reading.date(dateText) else {
            return .failure(Refusal(column: .noticeDate, message: reading.dateRule))
        }
        guard let url = values[.url], isWebAddress(url) else {
            return .failure(Refusal(column: .url, message: reading.urlRule))
        }
        return .success(FraudNotice(id: id, operationName: name, identifier: values[.identifier], certifier: values[.certifier],
                                    noticeDate: date, url: url))
    }
}
