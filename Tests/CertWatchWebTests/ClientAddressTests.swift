import Testing

@testable import CertWatchWeb

/// Rate limits count an IPv6 client by its /64, so one subscriber's network cannot rotate
/// through addresses for fresh budgets; IPv4 and anything unreadable are counted as written.
@Suite struct ClientAddressTests {
    @Test func anIPv6NetworkIsCountedOnce() {
        #expect(ClientAddress.counted("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64")
        #expect(ClientAddress.counted("2001:0db8:0001:0002:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64")
        #expect(ClientAddress.counted("2001:db8:1:3::1") == "2001:db8:1:3::/64", "the next /64 is another client")
        #expect(ClientAddress.counted("::1") == "0:0:0:0::/64")
    }

    @Test func ipv4AndTheUnreadableAreCountedAsWritten() {
        #expect(ClientAddress.counted("192.0.2.7") == "192.0.2.7")
        #expect(ClientAddress.counted("::ffff:192.0.2.7") == "192.0.2.7", "an IPv4-mapped address is the IPv4 client")
        #expect(ClientAddress.counted("2001:db8::zz") == "2001:db8::zz")
        #expect(ClientAddress.counted("") == "")
    }
}
