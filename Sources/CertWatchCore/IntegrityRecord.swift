/// Turns INTEGRITY's field vocabulary (`op_status`, `opSC_CR_ED`, `ci_itemList` …), as every
/// source delivers it (the web service's PascalCase names are translated to it first), into
/// `IntegrityOperation` — refusing what it cannot read rather than guessing: a date in no known
/// format, a missing ID, a missing status.
///
/// A status outside the data dictionary (real data has "Applied; APEDA Certified") is data:
/// it is kept as written (`.other`). Only a flood of them refuses a whole answer (`StatusCensus`).
///
/// Field values are text; empty or absent means null, as in INTEGRITY's exports.
public enum IntegrityRecord {
    /// The operation fields a source must deliver; an answer without them has changed shape.
    public static let requiredOperationFields = ["op_nopOpID", "op_name", "op_status"]
    public static let requiredItemFields = ["ci_nopOpID", "ci_nopScope", "ci_itemList"]

    public static func operation(
        _ fields: [String: String], items: [[String: String]]
    ) throws(IntegrityFormatError) -> IntegrityOperation {
        let text = fields.field
        guard let rawID = text("op_nopOpID"), let id = NOPOperationID(rawID) else {
            throw IntegrityFormatError(field: "op_nopOpID", message: "missing or not 10 digits: \"\(fields["op_nopOpID"] ?? "")\"")
        }
        guard let name = text("op_name") else { throw IntegrityFormatError(field: "op_name", message: "missing for \(id)") }
        let status = try status(text("op_status"), field: "op_status", id: id)
        var scopes: [Scope: ScopeStatus] = [:]
        for scope in Scope.allCases {
            guard let raw = text(scope.integrityField) else { continue }
            scopes[scope] = ScopeStatus(
                status: CertificationStatus(integrity: raw),
                effectiveDate: try date(text("\(scope.integrityField)_ED"), field: "\(scope.integrityField)_ED", id: id))
        }
        let otherNames = (text("op_otherNames").map { splitList($0) } ?? []).filter { !IntegrityValues.isPlaceholder($0) }
        let certifier = IntegrityValues.certifier(text("op_certifierName"))
        // An item that names no scope falls under the operation's only scope; with several it stays unknown.
        let onlyScope = scopes.count == 1 ? scopes.keys.first : nil
        var certifiedItems: [CertifiedItem] = []
        for fields in items {
            var certified = try item(fields, id: id)
            if certified.scope == nil { certified.scope = onlyScope }
            certifiedItems.append(certified)
        }
        return IntegrityOperation(
            nopOperationId: id, name: name, otherNames: otherNames, certifierName: certifier.name,
            certifierShortName: certifier.shortName,
            status: status,
            statusEffectiveDate: try date(text("op_statusEffectiveDate"), field: "op_statusEffectiveDate", id: id),
            anniversaryDate: try date(text("op_nopAnniversaryDate"), field: "op_nopAnniversaryDate", id: id),
            lastUpdated: try date(text("op_lastUpdatedDate"), field: "op_lastUpdatedDate", id: id),
            scopes: scopes, city: text("opPA_city"), state: text("opPA_state"), country: text("opPA_country"),
            items: certifiedItems)
    }

    /// One item. A scope that is named must be one of the four; one that is not named is nil
    /// (the web service's items were seen without one).
    public static func item(_ fields: [String: String], id: NOPOperationID) throws(IntegrityFormatError) -> CertifiedItem {
        let text = fields.field
        let scope: Scope?
        if let rawScope = text("ci_nopScope") {
            guard let known = Scope(loose: rawScope) else {
                throw IntegrityFormatError(field: "ci_nopScope", message: "unknown scope \"\(rawScope)\" for \(id)")
            }
            scope = known
        } else {
            scope = nil
        }
        guard let list = text("ci_itemList") else { throw IntegrityFormatError(field: "ci_itemList", message: "missing for \(id)") }
        let status = text("ci_status").map(CertificationStatus.init(integrity:))
        return CertifiedItem(
            scope: scope, category: text("ci_nopCatName") ?? text("ci_nopCategory"), items: splitList(list),
            varieties: text("ci_varieties").map { splitList($0) } ?? [], status: status ?? .certified,
            statusEffectiveDate: try date(text("ci_statusEffectiveDate"), field: "ci_statusEffectiveDate", id: id))
    }

    /// INTEGRITY separates list entries with commas or semicolons.
    static func splitList(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == ";" }).map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    private static func status(_ raw: String?, field: String, id: NOPOperationID) throws(IntegrityFormatError) -> CertificationStatus {
        guard let raw else { throw IntegrityFormatError(field: field, message: "missing for \(id)") }
        return CertificationStatus(integrity: raw)
    }

    /// The statuses of an operation record (`op_status` and the scope statuses) that lie outside
    /// the data dictionary, as written: what `StatusCensus` counts.
    public static func unknownStatuses(in fields: [String: String]) -> [String] {
        ([fields.field("op_status")] + Scope.allCases.map { fields.field($0.integrityField) }).compactMap { raw in
            raw.flatMap { CertificationStatus(codeOrText: $0) == nil ? $0 : nil }
        }
    }

    private static func date(_ raw: String?, field: String, id: NOPOperationID) throws(IntegrityFormatError) -> CalendarDate? {
        guard let raw else { return nil }
        do {
            return try IntegrityDate.parse(raw)
        } catch {
            throw IntegrityFormatError(field: field, message: "\(error) for \(id)")
        }
    }
}
