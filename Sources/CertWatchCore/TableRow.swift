/// One row of a spreadsheet as a reader hands it on, for tables laid out by people (NOP's fraud
/// list): the line the spreadsheet numbers it by, which is what a person finds it by, and its
/// non-empty cells by zero-based column.
public struct TableRow: Sendable, Hashable {
    /// A cell's text as the file stores it (a date cell as Excel's serial day number) and the web
    /// address the cell links to, if any: NOP's list links each operation's name to its notice.
    public struct Cell: Sendable, Hashable {
        public var text: String
        public var link: String?

        public init(text: String, link: String? = nil) {
            self.text = text
            self.link = link
        }
    }

    public var line: Int
    public var cells: [Int: Cell]

    public init(line: Int, cells: [Int: Cell]) {
        self.line = line
        self.cells = cells
    }
}
