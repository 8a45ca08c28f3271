import CertWatchCore
import CertWatchGate
import CertWatchStore
import CertWatchServer
import Foundation
import Hummingbird

/// "Check before order": the form, the answer with every reason, and a printable answer for
/// the purchase file. The question goes through the same validation and gate as the API.
struct CheckPages {
    let context: PageContext

    func register(on group: RouterGroup<WebRequestContext>) {
        group.get("check", use: form)
        group.post("check", use: check)
        group.get("checks/{id}", use: answer)
        group.get("checks/{id}/print", use: printable)
    }

    struct FormContent: Sendable {
        var supplier: String
        var product: String
        var date: String
        var importCertificate = ""
        var quantity = ""
        var unit = ""
        var supplierError: String?
        var productError: String?
        var dateError: String?
        var lotError: String?
        var supplierName: String?
    }

    struct CheckForm: PostedForm {
        var csrf: String?
        var supplier: String?
        var product: String?
        var date: String?
        var importCertificate: String?
        var quantity: String?
        var unit: String?
    }

    @Sendable func form(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let supplier = FormQuery(request)["supplier"] ?? ""
        let name = supplier.isEmpty ? nil : try await context.stores.suppliers.get(id: supplier)?.supplier.name
        return context.views.page("check", try page.frame("Check before order", section: .check),
                                  FormContent(supplier: supplier, product: "", date: context.today.description, supplierName: name))
    }

    @Sendable func check(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let form = try await Forms.decode(CheckForm.self, request, page)
        // A check is a record in the audit log: auditors read it, they do not add to it.
        guard try page.signedIn.role != .auditor else { throw PageError.readOnly }
        var content = FormContent(supplier: form.supplier ?? "", product: form.product ?? "", date: form.date ?? "",
                                  importCertificate: form.importCertificate ?? "", quantity: form.quantity ?? "", unit: form.unit ?? "")
        let quantityText = (form.quantity ?? "").trimmingCharacters(in: .whitespaces)
        let quantity = quantityText.isEmpty ? nil : Double(quantityText)
        if !quantityText.isEmpty, quantity == nil { content.lotError = "Give the quantity as a number, e.g. 1200 or 12.5." }
        let dateText = (form.date ?? "").trimmingCharacters(in: .whitespaces)
        let date = dateText.isEmpty ? nil : CalendarDate(input: dateText)
        if !dateText.isEmpty, date == nil { content.dateError = "Give the delivery date as YYYY-MM-DD, between \(CalendarDate.inputRange.lowerBound) and \(CalendarDate.inputRange.upperBound)." }
        do {
            let supplierText = (form.supplier ?? "").trimmingCharacters(in: .whitespaces)
            let question = try PurchaseGate.Question.validated(
                supplier: supplierText.isEmpty ? nil : .typed(supplierText), supplierField: "supplier",
                missingSupplier: "Name the supplier: its name, NOP ID or CertWatch ID.",
                product: form.product ?? "", date: date ?? context.today, askedBy: try page.signedIn.askedBy,
                lot: .init(importCertificate: form.importCertificate, quantity: quantity, unit: form.unit))
            guard content.dateError == nil, content.lotError == nil else { throw ValidationFailure([]) }
            let check = try await context.deps.purchaseGate.check(question)
            return .seeOther("/checks/\(check.id)")
        } catch let failure as ValidationFailure {
            for error in failure.errors {
                let message = Formatting.sentence(error.message)
                switch error.field {
                case "supplier": content.supplierError = message
                case "product": content.productError = "The product " + error.message + "."
                case "importCertificate": content.lotError = "The import certificate number \(error.message)."
                case "quantity", "unit": content.lotError = "The \(error.field) \(error.message)."
                default: content.dateError = message
                }
            }
            return context.views.page("check", try page.frame("Check before order: correct the form", section: .check), content,
                                      status: .unprocessableContent)
        }
    }

    @Sendable func answer(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let check = try await stored(page)
        return context.views.page("check-answer", try page.frame("\(check.decision.rawValue.uppercased()): \(check.product)", section: .check),
                                  AnswerContent(check))
    }

    @Sendable func printable(_ request: Request, context page: WebRequestContext) async throws -> Response {
        let check = try await stored(page)
        return context.views.page("check-print", Frame(title: "Purchase check \(check.id)"), AnswerContent(check))
    }

    private func stored(_ page: WebRequestContext) async throws -> PurchaseCheck {
        let id = try page.parameters.require("id")
        guard let check = try await context.stores.purchaseChecks.check(id: id) else {
            throw PageError.notFound("purchase check \(id)")
        }
        return check
    }
}

/// A recorded check as the answer page and its printable view show it.
struct AnswerContent: Sendable {
    struct Reason: Sendable {
        var code: String
        var message: String
        var decision: String
    }
    var id: String
    var decision: String
    var tone: String
    var headline: String
    var reasons: [Reason]
    var supplierId: String?
    var supplierName: String
    var requested: String
    var nopOperationId: String?
    var product: String
    var date: String
    var matchedItem: String?
    var status: String?
    var checkedAt: String
    var askedBy: String
    var verificationId: String?
    var verifiedAt: String?
    var hash: String
    var seq: Int
    /// The imported lot, for the purchase file: "NOP-IC-… · 1200 kg of Avocados".
    var lot: String?

    init(_ check: PurchaseCheck) {
        id = check.id
        decision = check.decision.rawValue.uppercased()
        tone = Formatting.tone(of: check.decision)
        headline = switch check.decision {
        case .allow: "You may buy this product from this supplier on this date."
        case .review: "Someone must review this purchase before the order goes out."
        case .block: "Do not buy this product from this supplier on this date."
        }
        reasons = check.reasons.map { Reason(code: $0.code.rawValue, message: $0.message, decision: $0.decision.rawValue) }
        supplierId = check.supplierId
        supplierName = check.supplierName ?? check.requested
        requested = check.requested
        nopOperationId = check.nopOperationId
        product = check.product
        date = check.date.description
        matchedItem = check.matchedItem
        status = check.status?.text
        checkedAt = check.checkedAt.utcMinuteText
        askedBy = check.askedBy
        verificationId = check.verificationId
        verifiedAt = check.verifiedAt?.utcMinuteText
        hash = check.hash
        seq = check.seq
        lot = check.lot.map { lot in
            let quantity = lot.quantity.map { "\(ImportCertificate.quantityText($0)) \(lot.unit ?? "")" }
            return [lot.importCertificate.map { "import certificate \($0)" }, quantity, check.importLine.map { "counted against \($0)" }]
                .compactMap { $0 }.joined(separator: " · ")
        }
    }
}
