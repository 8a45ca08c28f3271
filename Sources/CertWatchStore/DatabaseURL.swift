/// Where the store lives, as read from `database.url`.
///
/// `sqlite:PATH` (relative or absolute; `sqlite:///abs/path` also works) is the embedded default;
/// `postgres://user:pw@host:5432/db` (or `postgresql://`) is for several replicas on one server.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public init(parsing text: String) throws(Invalid) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else { throw Invalid(description: "a sqlite: URL needs a file path, as sqlite:./data/certwatch.sqlite") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            let scheme = text.split(separator: ":", maxSplits: 1).first.map(String.init) ?? text
            throw Invalid(description: "unknown database scheme \"\(scheme)\"; use sqlite:PATH or postgres://user:password@host:5432/db")
        }
    }

    /// The URL with any password replaced, safe for logs and error messages.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard let at = url.lastIndex(of: "@"), let schemeEnd = url.range(of: "://")?.upperBound,
                  let colon = url[schemeEnd..<at].firstIndex(of: ":")
            else { return url }
            return String(url[..<colon]) + ":***" + String(url[at...])
        }
    }
}
