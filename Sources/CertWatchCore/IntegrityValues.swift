/// INTEGRITY's values as they really come, read into what they mean.
///
/// Certifiers arrive as `[MOSA] Midwest Organic Services Association, Inc.`: the bracketed short
/// name is what buyers search for, so it is kept apart from the full name. Other names arrive as
/// `N/A` when there are none: that is no alias.
public enum IntegrityValues {
    /// `[MOSA] Midwest Organic Services Association, Inc.` → (`MOSA`, `Midwest Organic Services
    /// Association, Inc.`). Text without a leading bracket is the full name with no short name.
    public static func certifier(_ raw: String?) -> (shortName: String?, name: String?) {
        guard let text = raw?.trimmingWhitespace(), !text.isEmpty else { return (nil, nil) }
        guard text.first == "[", let close = text.firstIndex(of: "]") else { return (nil, text) }
        let short = String(text[text.index(after: text.startIndex)..<close]).trimmingWhitespace()
        let name = String(text[text.index(after: close)...]).trimmingWhitespace()
        return (short.isEmpty ? nil : short, name.isEmpty ? nil : name)
    }

    /// The certifier as INTEGRITY writes it, rebuilt from its parts (what the directory stores).
    public static func certifierText(shortName: String?, name: String?) -> String? {
        switch (shortName, name) {
        case let (short?, name?): "[\(short)] \(name)"
        case let (short?, nil): "[\(short)]"
        case let (nil, name): name
        }
    }

    /// An entry that stands for "none" (`N/A`, as seen in real answers), not for a name.
    public static func isPlaceholder(_ entry: String) -> Bool {
        entry.trimmingWhitespace().lowercased() == "n/a"
    }
}
