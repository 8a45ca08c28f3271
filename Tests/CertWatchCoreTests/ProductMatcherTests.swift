import CertWatchCore
import Testing

@Suite struct ProductMatcherTests {
    let matcher = ProductMatcher(items: [
        CertifiedItem(scope: .crops, category: "Fruits", items: ["Avocados", "Lemons"], varieties: ["Hass", "Fuerte"]),
        CertifiedItem(scope: .handling, category: "Grains", items: ["Crème fraîche", "Wheat berries"]),
        CertifiedItem(scope: .crops, items: ["Tomatoes", "Peaches"]),
    ])

    func matched(_ product: String) -> [String] {
        if case .matched(let matches) = matcher.match(product) { return matches.map(\.name) }
        return []
    }

    @Test(arguments: ["Avocados", "avocado", "Organic Avocados", "AVOCADOS!", " organic  avocado. "])
    func caseOrganicPluralAndPunctuationDoNotMatter(_ product: String) {
        #expect(matched(product) == ["Avocados"])
    }

    /// INTEGRITY lists the taxonomy's catch-all `Other` with the real product in its varieties.
    @Test func aCatchAllItemMatchesOnlyThroughItsVarieties() {
        let bunnies = ProductMatcher(items: [
            CertifiedItem(scope: nil, items: ["Other"], varieties: ["Pretzels Bunnies"]),
            CertifiedItem(scope: nil, items: ["Other"], varieties: ["Cheddar Bunnies"]),
        ])
        func names(_ product: String) -> [String] {
            if case .matched(let matches) = bunnies.match(product) { return matches.map(\.name) }
            return []
        }
        #expect(names("Cheddar Bunnies") == ["Other (Cheddar Bunnies)"])
        #expect(names("organic cheddar bunny") == ["Other (Cheddar Bunnies)"])
        #expect(names("Crackers").isEmpty)
        #expect(names("Other").isEmpty, "a catch-all name is no product")
        guard case .matched(let plain) = ProductMatcher(items: [CertifiedItem(scope: .crops, items: ["Other"])]).match("other") else {
            Issue.record("without varieties the name is all there is")
            return
        }
        #expect(plain.map(\.name) == ["Other"])
    }

    @Test func accentsDoNotMatter() {
        #expect(matched("creme fraiche") == ["Crème fraîche"])
        #expect(matched("Wheat Berry") == ["Wheat berries"])
        #expect(matched("tomato") == ["Tomatoes"])
        #expect(matched("peach") == ["Peaches"])
    }

    @Test func varietiesMatchAloneOrWithTheirItem() {
        #expect(matched("Hass avocados") == ["Avocados (Hass)"])
        #expect(matched("hass") == ["Avocados (Hass)"])
        #expect(matched("Avocado Fuerte") == ["Avocados (Fuerte)"])
    }

    @Test func categoryMatchesByName() {
        #expect(matched("fruit") == ["category Fruits"])
    }

    @Test func nearMissSuggestsButDoesNotMatch() {
        #expect(matcher.match("avocado oil") == .notListed(suggestions: ["Avocados"]))
        #expect(matcher.match("avocadso") == .notListed(suggestions: ["Avocados"]))
        #expect(matcher.match("lemmon") == .notListed(suggestions: ["Lemons"]))
        #expect(matcher.match("soybeans") == .notListed(suggestions: []))
        #expect(matcher.match("organic") == .notListed(suggestions: []))
    }
}
