import Foundation
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Where a webhook may go. A URL whose host resolves to an address in the IANA special-purpose
/// registries (loopback, private, link-local, NAT64, 6to4, documentation, benchmarking …,
/// `SpecialAddresses`) is refused, so an API key cannot make CertWatch call services inside
/// the operator's network. Checked when an endpoint is saved and before every send, and the send
/// connects to the very address that was checked (`Destination.address`): a name that resolves
/// to a public address for the check and to a private one a moment later (DNS rebinding) is not
/// asked again. Redirects are not followed (`WebhookSender`).
///
/// Reads: `webhooks.allowPrivateNetworks` (tests and intranet receivers set it).
public struct DestinationPolicy: Sendable {
    public var allowPrivateNetworks: Bool
    /// Resolves a host name to its addresses (4 or 16 bytes each); the system resolver unless a test gives another.
    let resolver: @Sendable (String) async throws -> [[UInt8]]

    public init(allowPrivateNetworks: Bool,
                resolver: @escaping @Sendable (String) async throws -> [[UInt8]] = DestinationPolicy.systemResolver) {
        self.allowPrivateNetworks = allowPrivateNetworks
        self.resolver = resolver
    }

    public struct Refused: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// A checked URL and the address to connect to for it.
    public struct Destination: Sendable {
        public var url: URL
        public var host: String
        /// The checked address, as text (`203.0.113.9`, `2001:db8::1` style); nil only when private
        /// networks are allowed and the name did not resolve here (the client then resolves it).
        public var address: String?
    }

    /// The URL, if it is `http(s)` with a host that resolves and, unless private networks are
    /// allowed, every address it resolves to is public; with the address to connect to.
    public func check(_ text: String) async throws(Refused) -> Destination {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host(percentEncoded: false), !host.isEmpty else {
            throw Refused(description: "\"\(text)\" is not an http or https URL")
        }
        let addresses: [[UInt8]]
        do {
            addresses = try await resolver(host)
        } catch {
            // With private networks allowed there is nothing to keep out, so a name only the
            // receiver's network resolves is accepted; otherwise it must resolve to be judged.
            if allowPrivateNetworks { return Destination(url: url, host: host, address: nil) }
            throw Refused(description: "\(host) does not resolve: \(error)")
        }
        guard let first = addresses.first else {
            if allowPrivateNetworks { return Destination(url: url, host: host, address: nil) }
            throw Refused(description: "\(host) resolves to no address")
        }
        if !allowPrivateNetworks, let blocked = addresses.first(where: { !Self.isPublic($0) }) {
            throw Refused(description: "\(host) resolves to \(Self.format(blocked)), a loopback, private, link-local or other special-purpose address; set webhooks.allowPrivateNetworks to allow it")
        }
        return Destination(url: url, host: host, address: Self.format(first))
    }

    /// False for addresses a public webhook receiver never has: IPv4 (4 bytes) or IPv6 (16 bytes).
    static func isPublic(_ address: [UInt8]) -> Bool {
        SpecialAddresses.isPublic(address)
    }

    /// The system's resolver (getaddrinfo), off the event loops.
    public static let systemResolver: @Sendable (String) async throws -> [[UInt8]] = { host in
        try await NIOThreadPool.singleton.runIfActive { try Self.resolve(host) }
    }

    private static func resolve(_ host: String) throws -> [[UInt8]] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw Refused(description: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(first) }
        var addresses: [[UInt8]] = []
        for info in sequence(first: first, next: { $0.pointee.ai_next }) {
            guard let sockaddr = info.pointee.ai_addr else { continue }
            switch Int32(sockaddr.pointee.sa_family) {
            case AF_INET:
                sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    addresses.append(withUnsafeBytes(of: $0.pointee.sin_addr) { Array($0) })
                }
            case AF_INET6:
                sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                    addresses.append(withUnsafeBytes(of: $0.pointee.sin6_addr) { Array($0) })
                }
            default: continue
            }
        }
        return addresses
    }

    static func format(_ address: [UInt8]) -> String {
        address.count == 4 ? address.map(String.init).joined(separator: ".")
            : stride(from: 0, to: address.count, by: 2).map { String(Int(address[$0]) << 8 | Int(address[$0 + 1]), radix: 16) }.joined(separator: ":")
    }
}
