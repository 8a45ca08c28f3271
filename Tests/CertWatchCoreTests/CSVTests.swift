import CertWatchCore
import Testing

// Fixed dates here are only parsed and read back, never compared with today.
@Suite struct CSVReaderTests {
    func read(_ text: String) throws -> [CSVReader.Record] { try CSVReader().records(in: Array(text.utf8)) }

    @Test func quotesCommasAndLineBreaksKeepPhysicalLineNumbers() throws {
        let records = try read("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\n\nlast,row")
        #expect(records.map(\.line) == [1, 2, 3, 6])
        #expect(records[1].fields == ["x, y", "say \"hi\""])
        #expect(records[2].fields == ["two\nlines", "z"])
        #expect(records[3].fields == ["last", "row"])
    }

    @Test func skipsTheByteOrderMarkAndKeepsEmptyFields() throws {
        let records = try CSVReader().records(in: [0xEF, 0xBB, 0xBF] + Array("name,,x\n".utf8))
        #expect(records == [CSVReader.Record(line: 1, fields: ["name", "", "x"])])
    }

    @Test func anUnclosedQuoteNamesItsLine() {
        #expect(throws: CSVReader.Failure(line: 2, message: "a quoted field is never closed")) {
            try read("a,b\n\"open,b\nmore")
        }
    }

    @Test func aStrayQuoteIsAnError() {
        #expect(throws: CSVReader.Failure.self) { try read("a,b\nx\"y,b") }
    }
}

@Suite struct SupplierCSVTests {
    @Test func aStatusOutsideINTEGRITYsListIsImportedAsWritten() throws {
        let file = "name,status,status_text\nNilgiri,other,Applied; APEDA Certified\nTypo,certifed,\n"
        let rows = try SupplierCSV.rows(from: Array(file.utf8))
        #expect(try rows[0].input.validated(id: "n").certificate?.status == .other("Applied; APEDA Certified"))
        #expect(throws: ValidationFailure.self, "an unknown code is still an error, not a status") { try rows[1].input.validated(id: "t") }
    }

    @Test func readsEveryColumn() throws {
        let file = """
            name,other_names,nop_operation_id,certifier,country,contact_emails,time_zone,tags,scheme,certificate_number,status,status_effective_date,anniversary_date,valid_to,crops,livestock,wild_crops,handling,products
            Valle Verde,VV S.A.;Aguacates VV,8150001234,CCOF,Mexico,a@example.com;b@example.com,America/Mexico_City,fruit;import,nop,C-1,certified,2021-02-01,2027-01-15,,certified,,,suspended,crops:Avocados (Hass|Fuerte);handling:Guacamole
            Plain Supplier,,,,,,,,,,,,,,,,,,
            """
        let rows = try SupplierCSV.rows(from: Array(file.utf8))
        #expect(rows.map(\.line) == [2, 3])
        let input = rows[0].input
        #expect(input.otherNames == ["VV S.A.", "Aguacates VV"])
        #expect(input.contactEmails == ["a@example.com", "b@example.com"])
        let supplier = try input.validated(id: "x")
        let certificate = try #require(supplier.certificate)
        #expect(certificate.number == "C-1")
        #expect(certificate.scopes[.handling]?.status == .suspended)
        #expect(certificate.items.map(\.items) == [["Avocados"], ["Guacamole"]])
        #expect(certificate.items[0].varieties == ["Hass", "Fuerte"])
        #expect(rows[1].input.certificate == nil)
    }

    @Test func refusesUnknownAndMissingColumns() {
        #expect {
            try SupplierCSV.rows(from: Array("nme,nop_id\nA,1\n".utf8))
        } throws: { error in
            let errors = (error as? ValidationFailure)?.errors ?? []
            return errors.map(\.field) == ["nme", "nop_id", "name"] && errors.allSatisfy { $0.line == 1 }
        }
    }

    @Test func reportsShortRowsAndBadProductsWithTheirLines() {
        let file = "name,products\nA,crops:Oats\nB\nC,Oats without scope\n"
        #expect {
            try SupplierCSV.rows(from: Array(file.utf8))
        } throws: { error in
            (error as? ValidationFailure)?.errors.map(\.line) == [3, 4]
        }
    }

    @Test func anEmptyFileIsAnError() {
        #expect(throws: ValidationFailure.self) { try SupplierCSV.rows(from: []) }
    }
}

@Suite struct CSVWriterTests {
    @Test func cellsASpreadsheetWouldRunAsFormulasAreNeutralised() throws {
        var csv = CSVWriter(header: ["name", "note"])
        csv.append(["=HYPERLINK(\"http://x\")", "+1"])
        csv.append(["@SUM(A1)", "-2,5"])
        csv.append(["Plain Co-op", nil])
        let records = try CSVReader().records(in: Array(csv.text.utf8))
        #expect(records[1].fields == ["'=HYPERLINK(\"http://x\")", "'+1"])
        #expect(records[2].fields == ["'@SUM(A1)", "'-2,5"])
        #expect(records[3].fields == ["Plain Co-op", ""])
    }
}
