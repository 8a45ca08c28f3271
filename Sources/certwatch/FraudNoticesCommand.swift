import ArgumentParser
import CertWatchCore
import CertWatchDocuments
import CertWatchIntegrity
import CertWatchStore
import Foundation

/// `certwatch fraud-notices import FILE` and `list`: NOP's notices of fraudulent certificates, as
/// NOP's spreadsheet (xlsx) or a CSV operators made. A supplier or a certificate on file they name blocks.
struct FraudNoticesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fraud-notices", abstract: "NOP's notices of fraudulent certificates: a supplier or certificate they name blocks purchases.",
        subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import notices from NOP's spreadsheet (xlsx) or CSV: all rows or none; a notice already known is kept once.",
            discussion: """
                A spreadsheet's header row is found by its content (Operation Name, Date Posted, …) below any title rows; \
                each notice's address is a URL column, else the link on the operation's name. .xls is refused: save it as .xlsx. \
                CSV columns: \(FraudNoticeCSV.Column.allCases.map(\.rawValue).joined(separator: ", ")); identifier (NOP ID or \
                certificate number) and certifier may be empty.
                """)
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The spreadsheet (.xlsx) or CSV file; told apart by content, not name.") var file: String
        @Flag(help: "Print JSON.") var json = false

        struct Report: Encodable {
            var added: Int
            var alreadyKnown: Int
            var suppliersNamed: [String]
        }

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
            let settings = try await options.settings()
            let bytes: [UInt8]
            switch await LegacyWorkbook.readable(Array(data)) {
            case .success(let readable): bytes = readable
            case .failure(let failure): throw CLIError("\(file): \(failure); nothing was imported")
            }
            let notices: [FraudNotice]
            do {
                notices = try FraudNoticeFile.notices(from: bytes, limits: settings.importLimits, makeId: { RecordID.make() })
            } catch {
                for error in error.errors { Output.error("\(file):\(error)") }
                throw CLIError("\(file) has \(error.errors.count) error(s); nothing was imported")
            }
            let imported = try await options.withDatabase(settings) { database in
                try await FraudNoticeStore(database: database).importNotices(notices, at: Date())
            }
            let named = Array(Set(imported.named.map(\.supplier))).sorted()
            if json { return try Output.json(Report(added: imported.added, alreadyKnown: imported.alreadyKnown, suppliersNamed: named)) }
            print("imported \(imported.added) notices (\(imported.alreadyKnown) already known); \(named.count) suppliers named")
            for (supplier, notice) in imported.named { print("  \(supplier): \(notice.sentence)") }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The notices imported, newest first.")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let notices = try await options.withDatabase { database, _ in try await FraudNoticeStore(database: database).all() }
            if json { return try Output.json(notices) }
            Output.table(["DATE", "OPERATION", "IDENTIFIER", "CERTIFIER", "URL"], notices.map {
                [$0.noticeDate.description, $0.operationName, $0.identifier ?? "", $0.certifier ?? "", $0.url]
            })
        }
    }
}
