/// Finds the certified items a product a buyer typed stands for: an item name ("Avocados"),
/// a variety with or without its item ("Hass", "Hass avocados"), or a category ("Fruits").
/// A near miss ("avocado oil", "avocadoes") only yields suggestions: a guess never allows a purchase.
public struct ProductMatcher: Sendable {
    /// One certified item the product matched, with the name it matched as a buyer reads it.
    public struct Match: Hashable, Sendable {
        public var item: CertifiedItem
        /// "Avocados", "Avocados (Hass)" or "category Fruits".
        public var name: String
    }

    public enum Result: Hashable, Sendable {
        case matched([Match])
        /// Up to three listed names close to the product, nearest first.
        case notListed(suggestions: [String])
    }

    /// An item with its names reduced once, so a matcher kept between checks costs one
    /// reduction per check (the product's), not one per listed name.
    private struct Listing: Sendable {
        var item: CertifiedItem
        var names: [(text: String, name: ProductName)]
        var varieties: [(text: String, name: ProductName)]
        var category: ProductName?
    }

    private let listings: [Listing]

    public init(items: [CertifiedItem]) {
        listings = items.map { item in
            Listing(item: item, names: item.items.map { ($0, ProductName($0)) }, varieties: item.varieties.map { ($0, ProductName($0)) },
                    category: item.category.map(ProductName.init))
        }
    }

    public func match(_ product: String) -> Result {
        let wanted = ProductName(product)
        guard !wanted.isEmpty else { return .notListed(suggestions: []) }
        var matches: [Match] = []
        for listing in listings {
            if let name = matchedName(of: listing, for: wanted) { matches.append(Match(item: listing.item, name: name)) }
        }
        return matches.isEmpty ? .notListed(suggestions: suggestions(for: wanted)) : .matched(matches)
    }

    /// The taxonomy's catch-all item names: INTEGRITY lists "Other" with the real product in its
    /// varieties ("Cheddar Bunnies"), so such a name with varieties matches only through them.
    static let genericNames: Set<ProductName> = [ProductName("Other"), ProductName("Others"), ProductName("Other items")]

    private func matchedName(of listing: Listing, for wanted: ProductName) -> String? {
        for (name, listed) in listing.names {
            let generic = !listing.varieties.isEmpty && Self.genericNames.contains(listed)
            if listed == wanted, !generic { return name }
            for (variety, kind) in listing.varieties {
                if kind == wanted || kind.words + listed.words == wanted.words || listed.words + kind.words == wanted.words {
                    return "\(name) (\(variety))"
                }
            }
        }
        if let category = listing.item.category, listing.category == wanted { return "category \(category)" }
        return nil
    }

    /// Listed names that share a word with the product or are a small edit away from it.
    private func suggestions(for wanted: ProductName) -> [String] {
        var scored: [String: Int] = [:]
        for (name, listed) in listings.flatMap(\.names) {
            let distance = listed.distance(to: wanted)
            let sharesWord = !Set(listed.words).isDisjoint(with: wanted.words)
            guard sharesWord || distance <= max(2, listed.description.count / 4) else { continue }
            scored[name] = min(scored[name] ?? .max, sharesWord ? min(distance, 1) : distance)
        }
        return scored.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(3).map(\.key)
    }
}
