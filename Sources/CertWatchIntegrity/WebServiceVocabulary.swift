import CertWatchCore

/// The web service's PascalCase DataContract names, translated into the `op_`/`ci_` vocabulary of
/// the bulk download, so one reader (`IntegrityRecord`) makes the same `IntegrityOperation` of
/// either. Element names are those of a real `Operations` answer (docs/integrity.md); the
/// `Items` names for scope, category, certificate number and effective date were not in the
/// public evidence and are this adapter's reading — a missing required one refuses the answer.
enum WebServiceVocabulary {
    /// An operation answer is refused, not guessed at, without these.
    static let requiredOperationElements = ["NOPOperationID", "OperationName", "NOPOperationStatus"]
    static let requiredItemElements = ["NOPScope", "ItemName"]

    static let operationFields: [String: String] = [
        "NOPOperationID": "op_nopOpID", "OperationName": "op_name", "OperationOtherNames": "op_otherNames",
        "CertifierName": "op_certifierName", "ClientOperationID": "op_clientID", "ContactFirstName": "op_contFirstName",
        "ContactLastName": "op_contLastName", "NOPOperationStatus": "op_status", "StatusEffectiveDate": "op_statusEffectiveDate",
        "NOPAnniversaryDate": "op_nopAnniversaryDate", "LastUpdateDate": "op_lastUpdatedDate", "Phone": "op_phone",
        "Email": "op_email", "WebsiteURL": "op_url", "AdditionalInformation": "op_opExtraInfo", "CertificateURL": "opCert_url",
        "Broker": "opEx_broker", "CSA": "opEx_csa", "Copacker": "opEx_copacker", "Dairy": "opEx_dairy",
        "Distributor": "opEx_distributor", "GrowerGroup": "opEx_growerGroup", "MarketerTrader": "opEx_marketerTrader",
        "Poultry": "opEx_poultry", "PrivateLabeler": "opEx_privateLabeler", "Restaurant": "opEx_restaurant",
        "RetailFoodEstablishment": "opEx_retailer", "Slaughterhouse": "opEx_slaughterHouse", "Storage": "opEx_storage",
    ]
    /// `a:Address` children, after the `opPA_` (Physical) or `opMA_` (Mailing) prefix.
    static let addressFields: [String: String] = [
        "AddressLine1": "line1", "AddressLine2": "line2", "City": "city", "StateOrProvince": "state",
        "CountryCode3": "country", "ZipOrPostalCode": "zip", "County": "county", "CountyCode": "countyCode",
    ]
    static let itemFields: [String: String] = [
        "ItemName": "ci_itemList", "ItemVarieties": "ci_varieties", "NOPScope": "ci_nopScope",
        "NOPCategoryName": "ci_nopCatName", "NOPCategory": "ci_nopCategory", "CertificateNumber": "ci_certNumber",
        "StatusEffectiveDate": "ci_statusEffectiveDate", "Organic100": "ci_organic100", "Organic": "ci_organic",
        "MadeWithOrganic": "ci_madeWithOrganic",
    ]

    /// An `a:Operation` as `op_…` fields (scopes as `opSC_…`, addresses as `opPA_…`/`opMA_…`).
    static func operation(_ node: AnswerNode) throws(WebServiceProblem) -> [String: String] {
        if let missing = requiredOperationElements.first(where: { !node.childNames.contains($0) }) {
            throw WebServiceProblem(message: "an <Operation> has no <\(missing)>: the service's format has changed")
        }
        var fields: [String: String] = [:]
        for (name, value) in node.fields { if let field = operationFields[name] { fields[field] = value } }
        for address in node.child("Addresses")?.entries("Address") ?? [] {
            let values = address.fields
            let prefix: String
            switch values["AddressType"]?.trimmingWhitespace().lowercased() {
            case "physical": prefix = "opPA_"
            case "mailing": prefix = "opMA_"
            default: continue  // another kind of address says nothing the registry keeps
            }
            for (name, value) in values { if let field = addressFields[name] { fields[prefix + field] = value } }
        }
        for scopeNode in node.child("Scopes")?.entries("Scope") ?? [] {
            let values = scopeNode.fields
            guard let raw = values["NOPScope"], let scope = Scope(loose: raw) else {
                throw WebServiceProblem(message: "operation \(fields["op_nopOpID"] ?? "?") lists a scope \"\(values["NOPScope"] ?? "")\" that is none of Crops, Livestock, Wild Crops, Handling")
            }
            fields[scope.integrityField] = values["NOPScopeStatus"] ?? ""
            fields[scope.integrityField + "_ED"] = values["StatusEffectiveDate"]
        }
        return fields
    }

    /// An `a:Item` of operation `id` as `ci_…` fields. Its status is the one child whose name ends
    /// in `Status` (the real name was not captured; its value was `Certified`).
    static func item(_ node: AnswerNode, id: NOPOperationID) throws(WebServiceProblem) -> [String: String] {
        if let missing = requiredItemElements.first(where: { !node.childNames.contains($0) }) {
            throw WebServiceProblem(message: "an <Item> of \(id) has no <\(missing)>: the service's format has changed (or names it otherwise than this adapter reads; see docs/integrity.md)")
        }
        let statuses = node.childNames.filter { $0.hasSuffix("Status") }
        guard statuses.count <= 1 else {
            throw WebServiceProblem(message: "an <Item> of \(id) has several status elements (\(statuses.sorted().joined(separator: ", "))): which one counts is not known")
        }
        let values = node.fields
        var fields = ["ci_nopOpID": id.rawValue]
        for (name, value) in values { if let field = itemFields[name] { fields[field] = value } }
        if let status = statuses.first { fields["ci_status"] = values[status] }
        return fields
    }
}
