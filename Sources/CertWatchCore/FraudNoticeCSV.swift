/// The fraud-notice file operators copy from NOP's page: one notice per row, columns named in
/// the header row: `operation_name`, `identifier` (NOP ID or certificate number, may be empty),
/// `certifier` (may be empty), `notice_date` (YYYY-MM-DD) and `url`. NOP's own spreadsheet, whose
/// columns are named otherwise, is read by `FraudNoticeTable`.
public enum FraudNoticeCSV {
    public enum Column: String, CaseIterable, Sendable {
        case operationName = "operation_name"
        case identifier
        case certifier
        case noticeDate = "notice_date"
        case url
    }

    static let required: [Column] = [.operationName, .noticeDate, .url]

    /// Dates as `YYYY-MM-DD`, the address in its own column.
    static let reading = FraudNoticeTable.Reading(
        date: { CalendarDate(input: $0) }, dateRule: "must be \(CalendarDate.inputRule)", urlRule: "must be the notice's http(s) address")

    /// Every row as a notice (ids made by `makeId`), or `ValidationFailure` naming every bad line.
    public static func notices(from data: [UInt8], makeId: () -> String) throws(ValidationFailure) -> [FraudNotice] {
        var columns: [Column]?
        var errors: [FieldError] = []
        var notices: [FraudNotice] = []
        do {
            try CSVReader().forEachRecord(in: data) { record in
                guard let header = columns else {
                    columns = try Self.columns(record)
                    return
                }
                guard record.fields.count == header.count else {
                    errors.append(FieldError(line: record.line, field: "row", message: "has \(record.fields.count) fields, the header has \(header.count)"))
                    return
                }
                var values: [Column: String] = [:]
                for (index, column) in header.enumerated() {
                    let value = record.fields[index].trimmingWhitespace()
                    if !value.isEmpty { values[column] = value }
                }
                switch FraudNoticeTable.notice(values, id: makeId(), reading: reading) {
                case .success(let notice): notices.append(notice)
                case .failure(let refusal): errors.append(FieldError(line: record.line, field: refusal.column.rawValue, message: refusal.message))
                }
            }
        } catch let failure as CSVReader.Failure {
            throw ValidationFailure([FieldError(line: failure.line, field: "file", message: failure.message)])
        } catch let failure as ValidationFailure {
            throw failure
        } catch {
            throw ValidationFailure([FieldError(field: "file", message: "\(error)")])
        }
        guard columns != nil else { throw ValidationFailure([FieldError(line: 1, field: "file", message: "the file is empty; expected a header row")]) }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return notices
    }

    private static func columns(_ header: CSVReader.Record) throws(ValidationFailure) -> [Column] {
        var errors: [FieldError] = []
        let columns = header.fields.compactMap { name -> Column? in
            let key = name.trimmingWhitespace().lowercased()
            guard let column = Column(rawValue: key) else {
                errors.append(FieldError(line: header.line, field: key,
                                         message: "unknown column; known columns: \(Column.allCases.map(\.rawValue).joined(separator: ", "))"))
                return nil
            }
            return column
        }
        for column in required where !columns.contains(column) {
            errors.append(FieldError(line: header.line, field: column.rawValue, message: "the required column is missing"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return columns
    }
}
