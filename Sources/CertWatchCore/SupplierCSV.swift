/// The supplier import file: one supplier per row, columns named in the header row.
///
/// Lists (`other_names`, `contact_emails`, `supplier_emails`, `tags`, `products`) are separated by `;`. Products are
/// `scope:Item name` with optional varieties in parentheses separated by `|`:
/// `crops:Avocados (Hass|Fuerte);handling:Avocado oil`.
public enum SupplierCSV {
    /// The columns the importer knows. Only `name` is required; any other may be left out.
    public enum Column: String, CaseIterable, Sendable {
        case name
        case otherNames = "other_names"
        case nopOperationId = "nop_operation_id"
        case certifier
        case country
        case contactEmails = "contact_emails"
        /// The supplier's own addresses for certificate requests; a file without the column
        /// leaves those on record alone.
        case supplierEmails = "supplier_emails"
        case timeZone = "time_zone"
        case tags
        case scheme
        case certificateNumber = "certificate_number"
        case status
        /// The wording of a status outside INTEGRITY's list, with `status` = `other` (e.g. "Applied; APEDA Certified").
        case statusText = "status_text"
        case statusEffectiveDate = "status_effective_date"
        case anniversaryDate = "anniversary_date"
        case validTo = "valid_to"
        case crops
        case livestock
        case wildCrops = "wild_crops"
        case handling
        case products
        /// `true` for a supplier whose purchases are imports (also: yes, 1); empty is false.
        case imports
    }

    static let certificateColumns: [Column] = [
        .scheme, .certificateNumber, .status, .statusText, .statusEffectiveDate, .anniversaryDate, .validTo,
        .crops, .livestock, .wildCrops, .handling, .products,
    ]

    /// One parsed row: the line it came from and the supplier it states.
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var input: SupplierInput
        /// False when the file has no certificate columns at all: importing it must leave the
        /// certificates on record (and their verified state) alone.
        public var statesCertificate: Bool
    }

    /// Parses the file into rows, or throws `ValidationFailure` with every header or row error found
    /// (line numbers included). Rows are only parsed here; `SupplierInput.validated` checks them.
    public static func rows(from data: [UInt8]) throws(ValidationFailure) -> [Row] {
        var header: (record: CSVReader.Record, columns: [Column], statesCertificate: Bool)?
        var errors: [FieldError] = []
        var rows: [Row] = []
        do {
            try CSVReader().forEachRecord(in: data) { record in
                guard let header else {
                    let columns = try columns(of: record)
                    header = (record, columns, columns.contains { certificateColumns.contains($0) })
                    return
                }
                guard record.fields.count == header.columns.count else {
                    errors.append(FieldError(
                        line: record.line, field: "row",
                        message: "has \(record.fields.count) fields, the header has \(header.columns.count)"))
                    return
                }
                var values: [Column: String] = [:]
                for (index, column) in header.columns.enumerated() {
                    let value = record.fields[index].trimmingWhitespace()
                    if !value.isEmpty { values[column] = value }
                }
                switch input(from: values) {
                case .success(var input):
                    if header.columns.contains(.supplierEmails), input.supplierEmails == nil { input.supplierEmails = [] }
                    rows.append(Row(line: record.line, input: input, statesCertificate: header.statesCertificate))
                case .failure(let error):
                    errors.append(FieldError(line: record.line, field: error.field, message: error.message))
                }
            }
        } catch let failure as CSVReader.Failure {
            throw ValidationFailure([FieldError(line: failure.line, field: "file", message: failure.message)])
        } catch let failure as ValidationFailure {
            throw failure
        } catch {
            throw ValidationFailure([FieldError(line: nil, field: "file", message: "\(error)")])
        }
        guard header != nil else {
            throw ValidationFailure([FieldError(line: 1, field: "file", message: "the file is empty; expected a header row")])
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return rows
    }

    private static func columns(of header: CSVReader.Record) throws(ValidationFailure) -> [Column] {
        var errors: [FieldError] = []
        var columns: [Column] = []
        for name in header.fields {
            let key = name.trimmingWhitespace().lowercased()
            if let column = Column(rawValue: key) {
                if columns.contains(column) {
                    errors.append(FieldError(line: header.line, field: key, message: "column appears twice"))
                }
                columns.append(column)
            } else {
                let known = Column.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(FieldError(line: header.line, field: key, message: "unknown column; known columns: \(known)"))
            }
        }
        if !columns.contains(.name) {
            errors.append(FieldError(line: header.line, field: "name", message: "the required column is missing"))
        }
        if !errors.isEmpty { throw ValidationFailure(errors) }
        return columns
    }

    /// One supplier from column values (absent or empty means not given): a file's row, or the
    /// web page's supplier form, whose fields are named as the columns.
    public static func input(from values: [Column: String]) -> Result<SupplierInput, FieldError> {
        func list(_ column: Column) -> [String]? {
            values[column].map { $0.split(separator: ";").map { String($0).trimmingWhitespace() } }
        }
        var input = SupplierInput(
            name: values[.name], otherNames: list(.otherNames), nopOperationId: values[.nopOperationId],
            certifier: values[.certifier], country: values[.country], contactEmails: list(.contactEmails),
            supplierEmails: list(.supplierEmails), timeZone: values[.timeZone], tags: list(.tags))
        if let text = values[.imports] {
            switch text.lowercased() {
            case "true", "yes", "1": input.imports = true
            case "false", "no", "0": input.imports = false
            default: return .failure(FieldError(field: Column.imports.rawValue, message: "must be true or false, got \"\(text)\""))
            }
        }
        guard certificateColumns.contains(where: { values[$0] != nil }) else { return .success(input) }
        var scopes: [String: ScopeStatusInput] = [:]
        for column in [Column.crops, .livestock, .wildCrops, .handling] {
            if let status = values[column] { scopes[column.rawValue] = ScopeStatusInput(status: status) }
        }
        var items: [CertifiedItemInput] = []
        for entry in list(.products) ?? [] where !entry.isEmpty {
            switch CertifiedItemInput.parsing(entry) {
            case .success(let item): items.append(item)
            case .failure(let error): return .failure(error)
            }
        }
        input.certificate = CertificateInput(
            scheme: values[.scheme], number: values[.certificateNumber], status: values[.status],
            statusText: values[.statusText], statusEffectiveDate: values[.statusEffectiveDate], anniversaryDate: values[.anniversaryDate],
            validTo: values[.validTo], scopes: scopes, items: items)
        return .success(input)
    }
}

extension CertifiedItemInput {
    /// Reads the compact product form used by the CSV `products` column and the CLI's `--product`:
    /// `crops:Avocados (Hass|Fuerte)` → scope, item name, varieties.
    public static func parsing(_ entry: String) -> Result<CertifiedItemInput, FieldError> {
        guard let colon = entry.firstIndex(of: ":") else {
            return .failure(FieldError(
                field: SupplierCSV.Column.products.rawValue,
                message: "\"\(entry)\" needs a scope, as scope:Item (e.g. crops:Avocados)"))
        }
        let scope = String(entry[..<colon]).trimmingWhitespace()
        var name = String(entry[entry.index(after: colon)...]).trimmingWhitespace()
        var varieties: [String] = []
        if name.hasSuffix(")"), let open = name.lastIndex(of: "(") {
            varieties = name[name.index(after: open)..<name.index(before: name.endIndex)]
                .split(separator: "|").map { String($0).trimmingWhitespace() }
            name = String(name[..<open]).trimmingWhitespace()
        }
        return .success(CertifiedItemInput(scope: scope, items: [name], varieties: varieties))
    }
}
