@testable import CertWatchIntegrity
import CertWatchCore
import Foundation
import Logging
import Testing

/// How one `Item` or `Operation` element is read, as the 2026 evidence asks: by local name, in
/// any case; only an item name and one status required; flags true only on `true`.
@Suite struct WebServiceVocabularyTests {
    static let id = NOPOperationID("8150000355")!

    static func item(_ xml: String) throws -> [String: String] {
        let root = try AnswerXML.parse(Array("<Item xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\">\(xml)</Item>".utf8))
        return try WebServiceVocabulary.item(root, id: id)
    }

    @Test func theRealItemShapeIsReadInAnyCase() throws {
        let fields = try Self.item("<itemname>Other</itemname><itemvarieties>Cheddar Bunnies</itemvarieties><madewithorganic>true</madewithorganic><Organic i:nil=\"true\"/><organic100/><ItemStatus>Certified</ItemStatus>")
        #expect(fields["ci_itemList"] == "Other" && fields["ci_varieties"] == "Cheddar Bunnies" && fields["ci_status"] == "Certified")
        #expect(fields["ci_madeWithOrganic"] == "true" && fields["ci_organic"] == nil && fields["ci_organic100"] == nil)
        #expect(fields["ci_nopScope"] == nil, "no scope element: none invented")
        #expect(try Self.item("<ItemName>Oats</ItemName><Organic>TRUE </Organic><Organic100>yes</Organic100><Status>Certified</Status>")["ci_organic100"] == "false",
                "a flag is true only when it says true")
    }

    @Test func anItemNeedsANameAndExactlyOneStatus() {
        #expect(throws: WebServiceProblem.self) { try Self.item("<ItemVarieties>Cheddar Bunnies</ItemVarieties><ItemStatus>Certified</ItemStatus>") }
        #expect(throws: WebServiceProblem.self) { try Self.item("<ItemName>Other</ItemName>") }
        #expect(throws: WebServiceProblem.self) { try Self.item("<ItemName>Other</ItemName><ItemStatus>Certified</ItemStatus><NOPScopeStatus>Certified</NOPScopeStatus>") }
    }

    @Test func operationElementsAreReadInAnyCase() throws {
        let root = try AnswerXML.parse(Array("""
            <Operation><nopoperationid>8150000355</nopoperationid><OPERATIONNAME>Annie's</OPERATIONNAME><NopOperationStatus>Certified</NopOperationStatus>
            <scopes><scope><nopscope>Handling</nopscope><NOPScopeStatus>Certified</NOPScopeStatus></scope></scopes></Operation>
            """.utf8))
        let fields = try WebServiceVocabulary.operation(root)
        #expect(fields["op_nopOpID"] == "8150000355" && fields["op_name"] == "Annie's" && fields["op_status"] == "Certified")
        #expect(fields["opSC_HANDLING"] == "Certified")
        let operation = try IntegrityRecord.operation(fields, items: [["ci_nopOpID": "8150000355", "ci_itemList": "Other", "ci_status": "Certified"]])
        #expect(operation.items.first?.scope == .handling, "an item without a scope falls under the operation's only scope")
    }

    @Test func anElementNotSeenBeforeIsLoggedOnceWithTheAnswersDigest() throws {
        let bytes = Array("<Items><Item><ItemName>Oats</ItemName><ItemStatus>Certified</ItemStatus><BrandNewElement>x</BrandNewElement></Item></Items>".utf8)
        let root = try AnswerXML.parse(bytes)
        let logger = Logger(label: "test")
        #expect(UnseenElements.note(root, route: "Items", bytes: bytes, logger: logger).contains("brandnewelement"))
        #expect(!UnseenElements.note(root, route: "Items", bytes: bytes, logger: logger).contains("brandnewelement"), "once per process")
    }

    /// XML is parsed only as valid UTF-8 (FoundationXML traps on invalid UTF-8 in a comment);
    /// a character split by the check's 1 MiB chunks is still valid.
    @Test func xmlFilesAreCheckedAsUTF8AcrossChunks() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("utf8-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        let valid = Array(repeating: UInt8(ascii: "a"), count: (1 << 20) - 1) + Array("ü€𝄞 Bergkräuter".utf8)
        try Data(valid).write(to: file)
        try XMLSafety.checkFile(file)
        try Data(valid + [0xff]).write(to: file)
        #expect(throws: XMLSafety.Unsafe.self) { try XMLSafety.checkFile(file) }
        try Data(valid + [0xE2, 0x82]).write(to: file)  // a character cut off at the end
        #expect(throws: XMLSafety.Unsafe.self) { try XMLSafety.checkFile(file) }
        #expect(throws: AnswerXML.Malformed.self) { try AnswerXML.parse(Array("<!-- \u{0} -->".utf8) + [0xff] + Array("<a/>".utf8)) }
    }

    /// A processing instruction without data crashed FoundationXML (found by fuzzing the bulk
    /// reader): it is refused before parsing, also when a chunk's end splits it; a declaration
    /// and instructions with data are read as before.
    @Test func anInstructionWithoutDataIsRefusedBeforeParsing() throws {
        #expect(throws: AnswerXML.Malformed.self) { try AnswerXML.parse(Array("<?xmutf406b?>\n<a/>".utf8)) }
        #expect(throws: AnswerXML.Malformed.self) { try AnswerXML.parse(Array("<?xml version=\"1.0\"?><a><?pi  ?></a>".utf8)) }
        _ = try AnswerXML.parse(Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><a><?pi data?></a>".utf8))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pi-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: file) }
        let split = Array("<a>".utf8) + Array(repeating: UInt8(ascii: " "), count: (1 << 20) - 6) + Array("<?pi?></a>".utf8)
        try Data(split).write(to: file)
        #expect(throws: XMLSafety.Unsafe.self) { try XMLSafety.checkFile(file) }
    }
}
