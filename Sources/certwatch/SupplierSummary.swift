import CertWatchCore
import CertWatchStore
import Foundation

/// A supplier as the CLI prints it: the same field names as the API so scripts can use either.
struct SupplierSummary: Encodable {
    var id: String
    var name: String
    var otherNames: [String]
    var nopOperationId: String?
    var certifier: String?
    var country: String?
    var contactEmails: [String]
    var supplierEmails: [String]
    var timeZone: String?
    var tags: [String]
    var status: String?
    var statusText: String?
    var anniversaryDate: CalendarDate?
    var validTo: CalendarDate?
    var products: [String]

    init(_ stored: StoredSupplier) {
        let s = stored.supplier
        id = s.id
        name = s.name
        otherNames = s.otherNames
        nopOperationId = s.nopOperationId?.rawValue
        certifier = s.certifier
        country = s.country
        contactEmails = s.contactEmails
        supplierEmails = s.supplierEmails
        timeZone = s.timeZone
        tags = s.tags
        status = s.certificate?.status.code
        statusText = s.certificate?.status.text
        anniversaryDate = s.certificate?.anniversaryDate
        validTo = s.certificate?.validTo
        products = (s.certificate?.items ?? []).map(\.compactForm)
    }

    func printDetails() {
        let lines: [(String, String?)] = [
            ("Name", name), ("Other names", otherNames.isEmpty ? nil : otherNames.joined(separator: "; ")),
            ("NOP operation ID", nopOperationId), ("Certifier", certifier), ("Country", country),
            ("Status", statusText), ("Anniversary date", anniversaryDate?.description),
            ("Valid to", validTo?.description), ("Contacts", contactEmails.isEmpty ? nil : contactEmails.joined(separator: ", ")),
            ("Supplier's emails", supplierEmails.isEmpty ? nil : supplierEmails.joined(separator: ", ")),
            ("Time zone", timeZone), ("Tags", tags.isEmpty ? nil : tags.joined(separator: ", ")),
            ("Products", products.isEmpty ? nil : products.joined(separator: "; ")), ("Id", id),
        ]
        for (label, value) in lines {
            print(label.padding(toLength: 18, withPad: " ", startingAt: 0) + (value ?? "-"))
        }
    }
}
