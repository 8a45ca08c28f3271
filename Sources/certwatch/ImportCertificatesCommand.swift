import ArgumentParser
import CertWatchCore
import CertWatchStore
import Foundation

/// `certwatch import-certificates add|list|show`: NOP Import Certificates, one per imported
/// shipment or per period (time frame), that checks of imported lots name.
struct ImportCertificatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-certificates", abstract: "Record and read NOP Import Certificates (one per imported shipment, or per period).",
        subcommands: [Add.self, List.self, Show.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record an import certificate.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Its number, as printed.") var number: String
        @Option(help: "The exporter: NOP operation ID, id or exact name of a supplier.") var exporter: String
        @Option(help: "The importer of record.") var importer: String
        @Option(help: "shipment or time_frame.") var kind: String
        @Option(name: .customLong("shipment-date"), help: "shipment: YYYY-MM-DD.") var shipmentDate: String?
        @Option(name: .customLong("valid-from"), help: "time_frame: YYYY-MM-DD.") var validFrom: String?
        @Option(name: .customLong("valid-to"), help: "time_frame: YYYY-MM-DD.") var validTo: String?
        @Option(help: "The port of entry.") var port: String?
        @Option(help: "The certifier that issued it.") var certifier: String?
        @Option(name: .customLong("product"), help: "PRODUCT=QUANTITY UNIT, e.g. \"Avocados=20000 kg\"; repeat for each product.")
        var products: [String] = []
        @Option(help: "The id of the certificate filed with `documents add --kind import_certificate`.") var document: String?
        @Option(help: "Where the shipment comes from.") var origin: String?
        @Option(help: "Where it goes.") var destination: String?
        @Option(name: .customLong("hts-code"), help: "Its Harmonized Tariff Schedule code, e.g. 0804.40.") var htsCode: String?
        @Option(name: .customLong("total-weight-kg"), help: "Its total weight in kilograms.") var totalWeightKg: Double?
        @Option(name: .customLong("lot"), help: "A lot number; repeat for each lot.") var lots: [String] = []
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let lines = try products.map(Self.line)
            let recorded = try await options.withDatabase { database, _ in
                let exporter = try await resolve(exporter, database: database)
                let input = ImportCertificateInput(
                    number: number, importer: importer, kind: kind, shipmentDate: shipmentDate, validFrom: validFrom, validTo: validTo,
                    portOfEntry: port, certifier: certifier, products: lines, documentId: document, origin: origin, destination: destination,
                    htsCode: htsCode, totalWeightKg: totalWeightKg, lotNumbers: lots.isEmpty ? nil : lots)
                do {
                    let certificate = try input.validated(id: RecordID.make(), exporterId: exporter.supplier.id)
                    return try await ImportCertificateStore(database: database)
                        .add(certificate, recordedBy: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")")
                } catch let failure as ValidationFailure {
                    throw CLIError(failure.errors.map(\.description).joined(separator: "; "))
                } catch let duplicate as ImportCertificateStore.Duplicate {
                    throw CLIError(duplicate.description)
                }
            }
            if json { return try Output.json(recorded.certificate) }
            print("recorded import certificate \(recorded.certificate.number) (\(recorded.certificate.kind.rawValue), \(recorded.certificate.periodText))")
        }

        /// `Avocados=20000 kg`.
        static func line(_ text: String) throws -> ImportCertificateInput.LineInput {
            let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let amount = parts.count == 2 ? parts[1].split(separator: " ", maxSplits: 1).map(String.init) : []
            guard amount.count == 2, let quantity = Double(amount[0]) else {
                throw ValidationError("--product must be PRODUCT=QUANTITY UNIT, e.g. \"Avocados=20000 kg\", not \(text)")
            }
            return .init(product: parts[0], quantity: quantity, unit: amount[1])
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The import certificates recorded, newest first.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this exporter's: NOP operation ID, id or exact name.") var exporter: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let listed = try await options.withDatabase { database, _ in
                var exporterId: String?
                if let exporter { exporterId = try await resolve(exporter, database: database).supplier.id }
                return try await ImportCertificateStore(database: database).list(exporterId: exporterId)
            }
            if json { return try Output.json(listed.map(\.certificate)) }
            Output.table(["NUMBER", "KIND", "PERIOD", "IMPORTER", "PRODUCTS"], listed.map { recorded in
                let c = recorded.certificate
                return [c.number, c.kind.rawValue, c.periodText, c.importer, Show.linesText(recorded)]
            })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One import certificate, with what checks have counted against each product.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "Its number.") var number: String
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard let recorded = try await options.withDatabase({ database, _ in try await ImportCertificateStore(database: database).get(number: number) }) else {
                throw CLIError("no import certificate \(number)")
            }
            let c = recorded.certificate
            if json { return try Output.json(c) }
            print("\(c.number): \(c.kind.rawValue), \(c.periodText), importer \(c.importer)\(c.portOfEntry.map { ", port of entry \($0)" } ?? "")")
            print("  exporter \(c.exporterId)\(c.certifier.map { ", issued by \($0)" } ?? "")\(c.documentId.map { ", document \($0)" } ?? "")")
            print("  products: \(Self.linesText(recorded))")
            let details = [c.origin.map { "from \($0)" }, c.destination.map { "to \($0)" }, c.htsCode.map { "HTS \($0)" },
                           c.totalWeightKg.map { "\(ImportCertificate.quantityText($0)) kg in all" },
                           c.lotNumbers.isEmpty ? nil : "lots \(c.lotNumbers.joined(separator: ", "))"].compactMap { $0 }
            if !details.isEmpty { print("  shipment: \(details.joined(separator: "; "))") }
            print("  number: \(c.numberIsElectronic ? "electronic" : "free text")")
        }

        /// `Avocados 1200 of 20000 kg used`.
        static func linesText(_ recorded: ImportCertificateStore.Recorded) -> String {
            let q = ImportCertificate.quantityText
            return recorded.certificate.lines.map { "\($0.product) \(q(recorded.used[$0.product] ?? 0)) of \(q($0.quantity)) \($0.unit) used" }
                .joined(separator: "; ")
        }
    }
}
