import CertWatchNotify
import CertWatchTestSupport
import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 21: a webhook goes only where it was allowed to go — never to a special-purpose address,
/// not to a second DNS answer, not along a redirect.
@Suite struct WebhookDestinationTests {
    static func bytes(_ text: String) -> [UInt8] {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return []
    }

    static let body = Data(#"{"type": "webhook.test", "timestamp": "\#(Date().formatted(.iso8601))", "data": {"message": "test"}}"#.utf8)

    static func allowed(_ address: String) async -> Bool {
        let policy = DestinationPolicy(allowPrivateNetworks: false, resolver: { _ in [bytes(address)] })
        return (try? await policy.check("https://hooks.example/in")) != nil
    }

    /// The IANA special-purpose registries, IPv4 and IPv6, with the forms that hide one address in another.
    @Test(arguments: [
        "0.0.0.0", "10.1.2.3", "100.64.0.1", "127.0.0.1", "169.254.169.254", "172.31.255.255", "192.0.0.8", "192.0.2.1",
        "192.88.99.1", "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.5", "224.0.0.1", "240.0.0.1",
        "255.255.255.255", "::", "::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::7f00:1", "64:ff9b::a00:1", "64:ff9b:1::1", "100::1",
        "2001::1", "2001:db8::1", "2002:a00:1::", "3fff::1", "5f00::1", "fc00::1", "fd12:3456::1", "fe80::1", "ff02::1",
    ])
    func specialPurposeAddressesAreRefused(_ address: String) async {
        #expect(await !Self.allowed(address), "\(address)")
    }

    @Test(arguments: ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4001::1", "::ffff:8.8.8.8"])
    func publicAddressesAreAllowed(_ address: String) async {
        #expect(await Self.allowed(address), "\(address)")
    }

    @Test func oneSpecialAddressAmongPublicOnesRefusesTheName() async {
        let policy = DestinationPolicy(allowPrivateNetworks: false, resolver: { _ in [Self.bytes("8.8.8.8"), Self.bytes("10.0.0.1")] })
        await #expect(throws: DestinationPolicy.Refused.self) { try await policy.check("https://hooks.example/in") }
    }

    /// DNS rebinding: the name answers the receiver's address for the check and another address
    /// after; the message still reaches the address that was checked, and the name is asked once.
    @Test func theAddressCheckedIsTheAddressConnectedTo() async throws {
        try await WebhookReceiver.with { receiver in
            let asked = Mutex(0)
            let policy = DestinationPolicy(allowPrivateNetworks: true, resolver: { _ in
                let call = asked.withLock { count in count += 1; return count }
                return [Self.bytes(call == 1 ? "127.0.0.1" : "127.0.0.2")]  // nothing listens on the second
            })
            let port = try #require(URL(string: receiver.url)?.port)
            let result = await WebhookSender(policy: policy).send(
                WebhookMessage(id: "msg_rebind", body: Self.body), to: "http://receiver.test:\(port)/hooks",
                secrets: [WebhookSecret.generate()])
            #expect(result.status == 200, "\(result)")
            #expect(asked.withLock { $0 } == 1)
            #expect(try await receiver.received().count == 1)
        }
    }

    /// A receiver that redirects is answered as it answered: the sender does not follow.
    @Test func aRedirectIsNotFollowed() async throws {
        try await WebhookReceiver.with { receiver in
            try await WebhookReceiver.with { inside in
                try await receiver.redirect(307, to: inside.url)
                let result = await WebhookSender(policy: DestinationPolicy(allowPrivateNetworks: true)).send(
                    WebhookMessage(id: "msg_redirect", body: Self.body), to: receiver.url, secrets: [WebhookSecret.generate()])
                #expect(result.status == 307 && !result.succeeded, "\(result)")
                #expect(try await inside.received().isEmpty, "nothing reached the redirect's target")
            }
        }
    }
}
