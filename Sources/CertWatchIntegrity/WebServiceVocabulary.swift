import CertWatchCore

/// The web service's PascalCase DataContract names, translated into the `op_`/`ci_` vocabulary of
/// the bulk download, so one reader (`IntegrityRecord`) makes the same `IntegrityOperation` of
/// either. Names are matched by local name, case-insensitively (`AnswerNode`).
///
/// Operation names are those of a real `Operations` answer. For items only a notebook's print of
/// one real `Items` answer is public (docs/integrity.md): `ItemName` (the taxonomy's generic
/// `Other` there, with the product in `ItemVarieties`), the labelling flags, and a status. So an
/// item needs nothing but its name and one status element; its scope comes from the operation's
/// `Scopes` when it has none, and is otherwise left unknown, never guessed.
enum WebServiceVocabulary {
    /// An operation answer is refused, not guessed at, without these.
    static let requiredOperationElements = ["NOPOperationID", "OperationName", "NOPOperationStatus"]

    static let operationFields = lowerCased([
        "NOPOperationID": "op_nopOpID", "OperationName": "op_name", "OperationOtherNames": "op_otherNames",
        "CertifierName": "op_certifierName", "ClientOperationID": "op_clientID", "ContactFirstName": "op_contFirstName",
        "ContactLastName": "op_contLastName", "NOPOperationStatus": "op_status", "StatusEffectiveDate": "op_statusEffectiveDate",
        "NOPAnniversaryDate": "op_nopAnniversaryDate", "LastUpdateDate": "op_lastUpdatedDate", "Phone": "op_phone",
        "Email": "op_email", "WebsiteURL": "op_url", "AdditionalInformation": "op_opExtraInfo", "CertificateURL": "opCert_url",
        "Broker": "opEx_broker", "CSA": "opEx_csa", "Copacker": "opEx_copacker", "Dairy": "opEx_dairy",
        "Distributor": "opEx_distributor", "GrowerGroup": "opEx_growerGroup", "MarketerTrader": "opEx_marketerTrader",
        "Poultry": "opEx_poultry", "PrivateLabeler": "opEx_privateLabeler", "Restaurant": "opEx_restaurant",
        "RetailFoodEstablishment": "opEx_retailer", "Slaughterhouse": "opEx_slaughterHouse", "Storage": "opEx_storage",
    ])
    /// `a:Address` children, after the `opPA_` (Physical) or `opMA_` (Mailing) prefix.
    static let addressFields = lowerCased([
        "AddressLine1": "line1", "AddressLine2": "line2", "City": "city", "StateOrProvince": "state",
        "CountryCode3": "country", "ZipOrPostalCode": "zip", "County": "county", "CountyCode": "countyCode",
    ])
    /// Item elements read. Only `ItemName`, `ItemVarieties` and the flags were seen; the others
    /// are read when present (the names `Scope` uses, and guesses for the rest), never required.
    static let itemFields = lowerCased([
        "ItemName": "ci_itemList", "ItemVarieties": "ci_varieties", "NOPScope": "ci_nopScope",
        "NOPCategoryName": "ci_nopCatName", "NOPCategory": "ci_nopCategory", "CertificateNumber": "ci_certNumber",
        "StatusEffectiveDate": "ci_statusEffectiveDate", "Organic100": "ci_organic100", "Organic": "ci_organic",
        "MadeWithOrganic": "ci_madeWithOrganic",
    ])
    /// The labelling flags: true only when the text is `true` (empty, nil or absent says nothing).
    static let labellingFields: Set<String> = ["ci_organic100", "ci_organic", "ci_madeWithOrganic"]

    /// Every element name this adapter knows, lower-cased: one outside it is logged once, with the
    /// answer's SHA-256, so the first real answer settles the contract (`UnseenElements`).
    static let knownElements: Set<String> = Set(operationFields.keys).union(addressFields.keys).union(itemFields.keys)
        .union(["operationsresult", "itemsresult", "errormessage", "operations", "operation", "items", "item", "success",
                "addresses", "address", "addresstype", "scopes", "scope", "nopscopestatus", "growergroupsize",
                "hascertificate", "totalacreageinacres", "otheritems"])

    /// An `a:Operation` as `op_…` fields (scopes as `opSC_…`, addresses as `opPA_…`/`opMA_…`).
    static func operation(_ node: AnswerNode) throws(WebServiceProblem) -> [String: String] {
        if let missing = requiredOperationElements.first(where: { !node.childNames.contains($0.lowercased()) }) {
            throw WebServiceProblem(message: "an <Operation> has no <\(missing)>: the service's format has changed")
        }
        var fields: [String: String] = [:]
        for (name, value) in node.fields { if let field = operationFields[name] { fields[field] = value } }
        for address in node.child("Addresses")?.entries("Address") ?? [] {
            let values = address.fields
            let prefix: String
            switch values["addresstype"]?.trimmingWhitespace().lowercased() {
            case "physical": prefix = "opPA_"
            case "mailing": prefix = "opMA_"
            default: continue  // another kind of address says nothing the registry keeps
            }
            for (name, value) in values { if let field = addressFields[name] { fields[prefix + field] = value } }
        }
        for scopeNode in node.child("Scopes")?.entries("Scope") ?? [] {
            let values = scopeNode.fields
            guard let raw = values["nopscope"], let scope = Scope(loose: raw) else {
                throw WebServiceProblem(message: "operation \(fields["op_nopOpID"] ?? "?") lists a scope \"\(values["nopscope"] ?? "")\" that is none of Crops, Livestock, Wild Crops, Handling")
            }
            fields[scope.integrityField] = values["nopscopestatus"] ?? ""
            fields[scope.integrityField + "_ED"] = values["statuseffectivedate"]
        }
        return fields
    }

    /// An `a:Item` of operation `id` as `ci_…` fields. It needs an item name and exactly one
    /// status: the child whose name ends in `Status` (its real name was not captured).
    static func item(_ node: AnswerNode, id: NOPOperationID) throws(WebServiceProblem) -> [String: String] {
        guard node.childNames.contains("itemname") else {
            throw WebServiceProblem(message: "an <Item> of \(id) has no <ItemName>: the service's format has changed")
        }
        let statuses = node.childNames.filter { $0.hasSuffix("status") }
        guard statuses.count == 1, let status = statuses.first else {
            throw WebServiceProblem(message: statuses.isEmpty
                ? "an <Item> of \(id) has no status element (one whose name ends in Status): the service's format has changed"
                : "an <Item> of \(id) has several status elements (\(statuses.sorted().joined(separator: ", "))): which one counts is not known")
        }
        let values = node.fields
        var fields = ["ci_nopOpID": id.rawValue]
        for (name, value) in values {
            guard let field = itemFields[name] else { continue }
            if labellingFields.contains(field) {
                fields[field] = value.trimmingWhitespace().lowercased() == "true" ? "true" : "false"
            } else {
                fields[field] = value
            }
        }
        guard let statusText = values[status] else {
            throw WebServiceProblem(message: "an <Item> of \(id) has an empty <\(status)>: its status is not known")
        }
        fields["ci_status"] = statusText
        return fields
    }

    private static func lowerCased(_ names: [String: String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: names.map { ($0.key.lowercased(), $0.value) })
    }
}
