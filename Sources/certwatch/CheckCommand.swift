import ArgumentParser
import CertWatchCore
import CertWatchApp
import CertWatchGate
import CertWatchServer
import CertWatchStore
import Foundation

/// `certwatch check SUPPLIER --product P [--date D]`: the purchase gate for scripts. The exit
/// status is the answer, so `if certwatch check …; then order; fi` works.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "May we buy PRODUCT from SUPPLIER? Logs the answer for audit.",
        discussion: """
            Exit status: 0 allow, 1 block, 2 review, 3 no answer (database unreachable, ambiguous name), 64 bad arguments.
            """)

    /// The exit status for each decision: the contract scripts are written against.
    static func exitCode(_ decision: PurchaseDecision) -> Int32 {
        switch decision {
        case .allow: 0
        case .block: 1
        case .review: 2
        }
    }

    static let noAnswer: Int32 = 3

    @OptionGroup var options: GlobalOptions
    @Argument(help: "The supplier: NOP operation ID, id or exact name.") var supplier: String
    @Option(help: "The product, as you would name it.") var product: String
    @Option(help: "The delivery date, YYYY-MM-DD (default: today, UTC).") var date: String?
    @Option(name: .customLong("import-certificate"), help: "The lot's NOP Import Certificate number (imports need one).") var importCertificate: String?
    @Option(help: "The lot's quantity, counted against the import certificate.") var quantity: Double?
    @Option(help: "The quantity's unit, as on the import certificate (kg, lb, …).") var unit: String?
    @Flag(help: "Print JSON (the API's shape).") var json = false

    func validate() throws {
        if let date, CalendarDate(input: date) == nil { throw ValidationError("--date must be \(CalendarDate.inputRule), not \(date)") }
        do {
            _ = try question()
        } catch {
            throw ValidationError(error.errors.map { "\(Self.option($0.field)) \($0.message)" }.joined(separator: "; "))
        }
    }

    /// The question as the API would validate it (one rule for every front end).
    func question() throws(ValidationFailure) -> PurchaseGate.Question {
        try .validated(supplier: .typed(supplier), supplierField: "SUPPLIER", product: product, date: date.flatMap(CalendarDate.init(input:)),
                       askedBy: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")",
                       lot: .init(importCertificate: importCertificate, quantity: quantity, unit: unit))
    }

    /// The option a validation error's field came from.
    static func option(_ field: String) -> String {
        switch field {
        case "product": "--product"
        case "importCertificate": "--import-certificate"
        case "quantity": "--quantity"
        case "unit": "--unit"
        default: field
        }
    }

    func run() async throws {
        let check: PurchaseCheck
        do {
            check = try await options.withDependencies { deps, _ in try await deps.purchaseGate.check(try question()) }
        } catch {
            Output.error("Error: \(error)")
            throw ExitCode(Self.noAnswer)
        }
        if json {
            try Output.json(PurchaseCheckResponse(check: check))
        } else {
            print(check.headline)
            for reason in check.reasons { print("  \(reason.code.rawValue): \(reason.message)") }
            print("  check \(check.id), audit record \(check.seq)")
        }
        throw ExitCode(Self.exitCode(check.decision))
    }
}
