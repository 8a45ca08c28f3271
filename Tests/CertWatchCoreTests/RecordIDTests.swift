import CertWatchCore
import Foundation
import Testing

@Suite struct RecordIDTests {
    @Test func idsAreVersion7UUIDsThatSortByTime() {
        // Two milliseconds apart: within one millisecond the order is the random bits'.
        let ids = (0..<1_000).map { RecordID.make(at: Date(timeIntervalSince1970: Double(1_790_000_000_123 + 2 * $0) / 1000)) }
        for id in ids {
            let parts = id.split(separator: "-").map(\.count)
            #expect(parts == [8, 4, 4, 4, 12], "\(id)")
            #expect(UUID(uuidString: id) != nil)
            #expect(Array(id)[14] == "7", "version nibble of \(id)")
            #expect("89ab".contains(Array(id)[19]), "variant of \(id)")
        }
        #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }, "a later millisecond sorts later")
        #expect(Set(ids).count == ids.count)
        #expect(ids[0].hasPrefix("01a0c450-6c7"), "the first 48 bits are the milliseconds since 1970")
    }
}
