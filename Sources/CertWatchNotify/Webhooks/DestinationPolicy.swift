import Foundation
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Refuses webhook URLs whose host resolves to a loopback, private, link-local or otherwise
/// non-public address, so an API key cannot be used to make CertWatch call services inside the
/// operator's network. Checked when an endpoint is saved and again before every send (the name
/// may resolve differently later).
///
/// Reads: `webhooks.allowPrivateNetworks` (tests and intranet receivers set it).
public struct DestinationPolicy: Sendable {
    public var allowPrivateNetworks: Bool

    public init(allowPrivateNetworks: Bool) {
        self.allowPrivateNetworks = allowPrivateNetworks
    }

    public struct Refused: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The URL if it is `http(s)` with a host and, unless private networks are allowed, every
    /// address it resolves to is public.
    public func check(_ text: String) async throws(Refused) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host(percentEncoded: false), !host.isEmpty else {
            throw Refused(description: "\"\(text)\" is not an http or https URL")
        }
        if allowPrivateNetworks { return url }
        let addresses: [[UInt8]]
        do {
            addresses = try await NIOThreadPool.singleton.runIfActive { try Self.resolve(host) }
        } catch {
            throw Refused(description: "\(host) does not resolve: \(error)")
        }
        if let blocked = addresses.first(where: { !Self.isPublic($0) }) {
            throw Refused(description: "\(host) resolves to \(Self.format(blocked)), a loopback, private or link-local address; set webhooks.allowPrivateNetworks to allow it")
        }
        return url
    }

    /// False for addresses a public webhook receiver never has: IPv4 (4 bytes) or IPv6 (16 bytes).
    static func isPublic(_ address: [UInt8]) -> Bool {
        if address.count == 16 {
            if address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xff, address[11] == 0xff {
                return isPublic(Array(address[12...]))  // IPv4-mapped
            }
            if address[0..<15].allSatisfy({ $0 == 0 }) { return false }  // :: and ::1
            if address[0] & 0xfe == 0xfc { return false }  // fc00::/7 unique local
            if address[0] == 0xfe, address[1] & 0xc0 == 0x80 { return false }  // fe80::/10 link-local
            if address[0] == 0xff { return false }  // multicast
            return true
        }
        guard address.count == 4 else { return false }
        switch (address[0], address[1]) {
        case (0, _), (10, _), (127, _), (169, 254), (192, 168), (255, 255): return false
        case (172, 16...31), (100, 64...127): return false  // private, carrier-grade NAT
        case (224...255, _): return false  // multicast and reserved
        default: return true
        }
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

    private static func format(_ address: [UInt8]) -> String {
        address.count == 4 ? address.map(String.init).joined(separator: ".")
            : stride(from: 0, to: address.count, by: 2).map { String(Int(address[$0]) << 8 | Int(address[$0 + 1]), radix: 16) }.joined(separator: ":")
    }
}
