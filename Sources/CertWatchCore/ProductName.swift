import Foundation

/// A product name reduced to the words that identify it, so "Organic Hass Avocados",
/// "hass avocado" and "HASS-AVOCADOS" compare equal: case, accents, punctuation, plurals and the
/// word "organic" are dropped. Both sides of a comparison are reduced the same way, so the crude
/// English singular rule only has to be consistent, not correct ("hummus" becomes "hummu").
public struct ProductName: Hashable, Sendable, CustomStringConvertible {
    public let words: [String]

    /// Words that say how a product was grown, not what it is.
    static let ignored: Set<String> = ["organic", "organically", "grown", "certified"]

    public init(_ text: String) {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        words = folded
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map(String.init)
            .filter { !Self.ignored.contains($0) }
            .map(Self.singular)
    }

    public var description: String { words.joined(separator: " ") }
    public var isEmpty: Bool { words.isEmpty }

    static func singular(_ word: String) -> String {
        guard word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") else { return word }
        if word.hasSuffix("ies") { return String(word.dropLast(3)) + "y" }
        for ending in ["oes", "ches", "shes", "xes", "zes", "sses"] where word.hasSuffix(ending) {
            return String(word.dropLast(2))
        }
        return String(word.dropLast())
    }

    /// Edit distance between the joined words: how far a typo is from a listed item.
    func distance(to other: ProductName) -> Int {
        let a = Array(description), b = Array(other.description)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
