import Foundation

/// A notice NOP published of a fraudulent organic certificate: the operation named on the
/// fraudulent paper, the NOP ID or certificate number it gives, the certifier it names, the date
/// and the notice's page. Operators import NOP's list (its xlsx, or a CSV) with `certwatch fraud-notices import`.
public struct FraudNotice: Sendable, Hashable, Codable {
    public var id: String
    /// The operation's name as written on the fraudulent certificate.
    public var operationName: String
    /// The NOP operation ID or certificate number on it, if the notice gives one.
    public var identifier: String?
    public var certifier: String?
    public var noticeDate: CalendarDate
    public var url: String

    public init(id: String, operationName: String, identifier: String?, certifier: String?, noticeDate: CalendarDate, url: String) {
        self.id = id
        self.operationName = operationName
        self.identifier = identifier
        self.certifier = certifier
        self.noticeDate = noticeDate
        self.url = url
    }

    /// A name as notices are matched: case, accents, punctuation and legal forms dropped, as the
    /// cross-check compares names ("Valle Verde S.A. de C.V." is "valle verde").
    public static func nameKey(_ name: String) -> String {
        CertificateCrossCheck.legalName(name).joined(separator: " ")
    }

    /// The identifier as matched: letters and digits only, upper case.
    public static func identifierKey(_ text: String) -> String {
        String(text.uppercased().filter { $0.isLetter || $0.isNumber })
    }

    /// What a supplier is looked up by: its names, its NOP operation ID and certificate number, as keys.
    public struct Keys: Sendable {
        public var names: [String]
        public var identifiers: [String]

        public init(names: [String], identifiers: [String?]) {
            self.names = names.map(FraudNotice.nameKey).filter { !$0.isEmpty }
            self.identifiers = identifiers.compactMap { $0 }.map(FraudNotice.identifierKey).filter { !$0.isEmpty }
        }
    }

    public static func keys(of supplier: Supplier) -> Keys {
        Keys(names: [supplier.name] + supplier.otherNames, identifiers: [supplier.nopOperationId?.rawValue, supplier.certificate?.number])
    }

    /// Whether the notice names the supplier with these keys: by NOP ID or certificate number, else by name.
    public func names(_ keys: Keys) -> Bool {
        if let identifier, keys.identifiers.contains(Self.identifierKey(identifier)) { return true }
        return keys.names.contains(Self.nameKey(operationName))
    }

    public func names(_ supplier: Supplier) -> Bool {
        names(Self.keys(of: supplier))
    }

    /// What a buyer reads: who, when, where to read more.
    public var sentence: String {
        let id = identifier.map { " (\($0))" } ?? ""
        let by = certifier.map { ", naming \($0) as certifier" } ?? ""
        return "NOP's notice of \(noticeDate) reports a fraudulent certificate in the name of \(operationName)\(id)\(by): \(url)"
    }
}
