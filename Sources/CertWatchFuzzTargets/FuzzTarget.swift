import CertWatchCore
import CertWatchIntegrity
import CertWatchStore
import CertWatchServer
import CertWatchWeb
import Foundation

/// Every parser of outside data, each as a function of raw bytes: what `certwatch-fuzz` hands
/// libFuzzer's inputs to, and what the regression tests replay the corpora through. A target
/// only feeds the bytes in; finding nothing, refusing them or answering is all fine — a crash,
/// a hang or runaway memory is the finding.
public enum FuzzTarget: String, CaseIterable, Sendable {
    case certificateText = "certificate-text"
    case supplierCSV = "supplier-csv"
    case fraudNoticeCSV = "fraud-notice-csv"
    case fraudNoticeXLSX = "fraud-notice-xlsx"
    case bulkXML = "bulk-xml"
    case bulkZip = "bulk-zip"
    case webServiceXML = "web-service-xml"
    case webServiceJSON = "web-service-json"
    case workbook
    case dates
    case queryString = "query-string"
    case apiJSON = "api-json"
    case pageForm = "page-form"
    case pageUpload = "page-upload"
    case checkpoints

    /// Feeds `bytes` to the target's parser.
    public func run(_ bytes: [UInt8]) {
        switch self {
        case .certificateText:
            _ = CertificateText(String(decoding: bytes, as: UTF8.self))
        case .supplierCSV:
            guard let rows = try? SupplierCSV.rows(from: bytes) else { return }
            for row in rows { _ = try? row.input.validated(id: "fuzz") }
        case .fraudNoticeCSV:
            _ = try? FraudNoticeCSV.notices(from: bytes, makeId: { "fuzz" })
        case .fraudNoticeXLSX:
            _ = try? FraudNoticeFile.notices(from: bytes, limits: Self.limits, makeId: { "fuzz" })
        case .bulkXML, .bulkZip:
            Self.withFile(bytes, suffix: self == .bulkXML ? ".xml" : ".zip") { file in
                _ = try? BulkFileSource(file: file, limits: Self.limits).answer(IntegrityQuestion(wanted: Self.wanted))
            }
        case .webServiceXML, .webServiceJSON:
            let type = self == .webServiceXML ? "application/xml; charset=utf-8" : "application/json; charset=utf-8"
            _ = try? WebServiceRecords.operations(bytes, contentType: type)
            _ = try? WebServiceRecords.items(bytes, contentType: type, of: Self.operation)
            _ = try? WebServiceRecords.count(bytes, contentType: type)
            if let fields = try? WebServiceRecords.operations(bytes, contentType: type) {
                for operation in fields {
                    let items = (try? WebServiceRecords.items(bytes, contentType: type, of: Self.operation)) ?? []
                    _ = try? IntegrityRecord.operation(operation, items: items)
                }
            }
        case .workbook:
            Self.withFile(bytes, suffix: ".xlsx") { file in
                _ = try? WorkbookFileSource(file: file, limits: Self.limits).answer(IntegrityQuestion(wanted: Self.wanted))
            }
        case .dates:
            let text = String(decoding: bytes, as: UTF8.self)
            _ = try? IntegrityDate.parse(text)
            _ = CalendarDate(input: text)
            if let date = CalendarDate(iso: text) {
                _ = date.adding(days: Int(truncatingIfNeeded: bytes.count) &* 1_000_003)
                _ = RetentionPeriod(years: 5)?.latestPurgeDate(today: date)
            }
            _ = CertificateText.firstDate(in: text)
        case .queryString:
            RequestInputs.readQuery(bytes)
        case .apiJSON:
            RequestInputs.readJSON(bytes)
        case .pageForm:
            PageInputs.readForm(bytes)
        case .pageUpload:
            PageInputs.readUpload(bytes)
        case .checkpoints:
            _ = AuditCheckpoint.tokens(in: Substring(String(decoding: bytes, as: UTF8.self)))
        }
    }

    static let operation = NOPOperationID("4920000001")!
    static let wanted: Set<NOPOperationID> = [operation, NOPOperationID("8150000355")!]
    /// Small, so a fuzzer finds the limits instead of filling the disk.
    static let limits = ZipLimits(maxEntryBytes: 8 << 20, maxRatio: 200)

    static func withFile(_ bytes: [UInt8], suffix: String, _ body: (URL) -> Void) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("certwatch-fuzz-\(UUID().uuidString)\(suffix)")
        guard FileManager.default.createFile(atPath: file.path, contents: Data(bytes)) else { return }
        defer { try? FileManager.default.removeItem(at: file) }
        body(file)
    }
}
