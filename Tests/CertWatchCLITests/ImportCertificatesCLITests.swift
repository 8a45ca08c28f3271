import CertWatchTestSupport
import Foundation
import Testing

/// `certwatch import-certificates add|show` and `certwatch check --import-certificate` as a
/// compliance manager and a buyer's script use them.
@Suite struct ImportCertificatesCLITests {
    @Test func aCheckOfAnImportedLotNamesItsCertificate() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let csv = "name,nop_operation_id,country,status,crops,products\nValle Verde Aguacates,8150001234,Mexico,certified,certified,crops:Avocados\n"
        #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
        let added = try await CLI.run([
            "import-certificates", "add", "--number", "IC-MX-7", "--exporter", "8150001234", "--importer", "Northern Organic Foods Inc.",
            "--kind", "shipment", "--shipment-date", TestDates.fromToday(-3), "--product", "Avocados=800 kg", "--database-url", db,
        ])
        #expect(added.status == 0 && added.stdout.contains("recorded import certificate IC-MX-7"), "\(added.stdout)\(added.stderr)")
        let badLine = try await CLI.run(["import-certificates", "add", "--number", "IC-MX-8", "--exporter", "8150001234", "--importer", "X",
                                         "--kind", "shipment", "--shipment-date", TestDates.fromToday(-3), "--product", "Avocados 800", "--database-url", db])
        #expect(badLine.status != 0 && badLine.stderr.contains("PRODUCT=QUANTITY UNIT"), "\(badLine.stderr)")

        let without = try await CLI.run(["check", "8150001234", "--product", "avocados", "--database-url", db])
        #expect(without.status == 1 && without.stdout.contains("import_certificate_missing"), "\(without.stdout)")
        let with = try await CLI.run(["check", "8150001234", "--product", "avocados", "--import-certificate", "IC-MX-7",
                                      "--quantity", "500", "--unit", "kg", "--database-url", db])
        #expect(!with.stdout.contains("import_certificate"), "the certificate covers the lot: \(with.stdout)")
        let noUnit = try await CLI.run(["check", "8150001234", "--product", "avocados", "--quantity", "5", "--database-url", db])
        #expect(noUnit.status == 64 && noUnit.stderr.contains("--unit"), "\(noUnit.stderr)")

        let shown = try await CLI.run(["import-certificates", "show", "IC-MX-7", "--database-url", db])
        #expect(shown.stdout.contains("Avocados 500 of 800 kg used"), "\(shown.stdout)")
    }

    /// Issue 24: an electronic number and the shipment details brokers file, as a compliance
    /// manager types them from the certificate.
    @Test func anElectronicNumberAndTheShipmentDetailsAreRecorded() async throws {
        let db = try await CLI.databaseArgument(.sqlite)
        let csv = "name,nop_operation_id,country,status,crops,products\nValle Verde Aguacates,8150001234,Mexico,certified,certified,crops:Avocados\n"
        #expect(try await CLI.run(["suppliers", "import", try CLI.writeTemporary(csv), "--database-url", db]).status == 0)
        let added = try await CLI.run([
            "import-certificates", "add", "--number", "123 4567890123 456789", "--exporter", "8150001234", "--importer", "Northern Organic Foods Inc.",
            "--kind", "shipment", "--shipment-date", TestDates.fromToday(-3), "--product", "Avocados=800 kg", "--origin", "Uruapan, MX",
            "--destination", "Laredo, TX", "--hts-code", "080440", "--total-weight-kg", "820.5", "--lot", "L-1", "--lot", "L-2", "--database-url", db,
        ])
        #expect(added.status == 0 && added.stdout.contains("recorded import certificate 123-4567890123-456789"), "\(added.stdout)\(added.stderr)")
        let shown = try await CLI.run(["import-certificates", "show", "1234567890123456789", "--database-url", db])
        #expect(shown.stdout.contains("shipment: from Uruapan, MX; to Laredo, TX; HTS 0804.40; 820.5 kg in all; lots L-1, L-2"), "\(shown.stdout)")
        #expect(shown.stdout.contains("number: electronic"))
        let badCode = try await CLI.run(["import-certificates", "add", "--number", "IC-9", "--exporter", "8150001234", "--importer", "X",
                                         "--kind", "shipment", "--shipment-date", TestDates.fromToday(-3), "--product", "Avocados=1 kg",
                                         "--hts-code", "0804", "--database-url", db])
        #expect(badCode.status != 0 && badCode.stderr.contains("htsCode"), "\(badCode.stderr)")
    }
}
