import Foundation

/// An old Excel workbook (.xls: BIFF in an OLE2 file, what NOP's "Download Fraudulent Certificate
/// List (xls)" may give) made into .xlsx by gnumeric's `ssconvert`, a Debian tool, confined as
/// `pdftotext` is (`ConfinedTool`), so the one .xlsx reader reads both. No Swift library reads
/// .xls; gnumeric has read it for twenty years.
public enum LegacyWorkbook {
    static let ssconvert = "/usr/bin/ssconvert"
    /// The OLE2 compound file an .xls workbook is.
    static let oleMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]

    /// The bytes as an .xlsx reader takes them: an OLE2 file converted, anything else as it is.
    public static func readable(_ bytes: [UInt8], limits: ConfinedTool.Limits = ConfinedTool.Limits(timeout: .seconds(30))) async
        -> Result<[UInt8], ConfinedTool.Failure> {
        bytes.starts(with: oleMagic) ? await xlsx(from: bytes, limits: limits) : .success(bytes)
    }

    /// The workbook as .xlsx bytes, or a `Failure` saying why not (the tool missing included).
    public static func xlsx(from bytes: [UInt8], limits: ConfinedTool.Limits = ConfinedTool.Limits(timeout: .seconds(30))) async
        -> Result<[UInt8], ConfinedTool.Failure> {
        guard FileManager.default.isExecutableFile(atPath: ssconvert) else {
            return .failure(.init(description: "an .xls file needs gnumeric's ssconvert to be read (apt-get install gnumeric), or save it as .xlsx"))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("certwatch-xls-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("list.xls"), output = directory.appendingPathComponent("list.xlsx")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            try Data(bytes).write(to: input)
        } catch {
            return .failure(.init(description: "cannot write a temporary file: \(error)"))
        }
        let arguments = ["--export-type=Gnumeric_Excel:xlsx2", input.path, output.path]
        if case .failure(let failure) = await ConfinedTool.run(ssconvert, arguments, limits: limits) {
            return .failure(.init(description: "an .xls file that cannot be read (\(failure)): save it as .xlsx (Excel: File › Save As › Excel Workbook)"))
        }
        guard let size = (try? FileManager.default.attributesOfItem(atPath: output.path))?[.size] as? Int,
              size <= limits.outputBytes, let converted = FileManager.default.contents(atPath: output.path) else {
            return .failure(.init(description: "ssconvert wrote no workbook of at most \(limits.outputBytes) bytes"))
        }
        return .success(Array(converted))
    }
}
