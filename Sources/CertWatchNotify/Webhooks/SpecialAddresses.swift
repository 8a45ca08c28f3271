/// The IANA special-purpose address registries (IPv4 and IPv6, as of 2026), as prefixes: no
/// webhook receiver on the public internet has one of these addresses, so CertWatch never sends
/// to them unless `webhooks.allowPrivateNetworks` says the operator means it.
enum SpecialAddresses {
    struct Prefix {
        var bytes: [UInt8]
        var length: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var remaining = length
            for (a, b) in zip(address, bytes) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
                if a & mask != b & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    static func v4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, _ length: Int) -> Prefix { Prefix(bytes: [a, b, c, d], length: length) }

    static func v6(_ groups: [UInt16], _ length: Int) -> Prefix {
        let padded = groups + [UInt16](repeating: 0, count: max(0, 8 - groups.count))
        return Prefix(bytes: padded.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }, length: length)
    }

    static let ipv4: [Prefix] = [
        v4(0, 0, 0, 0, 8),        // "this network"
        v4(10, 0, 0, 0, 8),       // private
        v4(100, 64, 0, 0, 10),    // shared address space (carrier-grade NAT)
        v4(127, 0, 0, 0, 8),      // loopback
        v4(169, 254, 0, 0, 16),   // link-local
        v4(172, 16, 0, 0, 12),    // private
        v4(192, 0, 0, 0, 24),     // IETF protocol assignments
        v4(192, 0, 2, 0, 24),     // documentation (TEST-NET-1)
        v4(192, 31, 196, 0, 24),  // AS112
        v4(192, 52, 193, 0, 24),  // AMT
        v4(192, 88, 99, 0, 24),   // 6to4 relay anycast (deprecated)
        v4(192, 168, 0, 0, 16),   // private
        v4(192, 175, 48, 0, 24),  // direct delegation AS112
        v4(198, 18, 0, 0, 15),    // benchmarking
        v4(198, 51, 100, 0, 24),  // documentation (TEST-NET-2)
        v4(203, 0, 113, 0, 24),   // documentation (TEST-NET-3)
        v4(224, 0, 0, 0, 4),      // multicast
        v4(240, 0, 0, 0, 4),      // reserved, and 255.255.255.255
    ]

    static let ipv6: [Prefix] = [
        v6([], 128),                     // unspecified ::
        v6([0, 0, 0, 0, 0, 0, 0, 1], 128),  // loopback ::1
        v6([], 96),                      // IPv4-compatible (deprecated) ::/96
        v6([0x64, 0xff9b], 96),          // NAT64 well-known prefix
        v6([0x64, 0xff9b, 1], 48),       // local-use NAT64
        v6([0x100], 64),                 // discard-only
        v6([0x2001], 23),                // IETF protocol assignments (Teredo, benchmarking, ORCHID …)
        v6([0x2001, 0xdb8], 32),         // documentation
        v6([0x2002], 16),                // 6to4
        v6([0x3fff], 20),                // documentation
        v6([0x5f00], 16),                // segment routing (SRv6) SIDs
        v6([0xfc00], 7),                 // unique local
        v6([0xfe80], 10),                // link-local
        v6([0xff00], 8),                 // multicast
    ]

    /// IPv4-mapped IPv6 (`::ffff:a.b.c.d`): judged by the IPv4 address it carries.
    static let mapped = v6([0, 0, 0, 0, 0, 0xffff], 96)

    /// True for an address a public receiver may have: 4 bytes (IPv4) or 16 (IPv6).
    static func isPublic(_ address: [UInt8]) -> Bool {
        switch address.count {
        case 4: return !ipv4.contains { $0.contains(address) }
        case 16:
            if mapped.contains(address) { return isPublic(Array(address[12...])) }
            return !ipv6.contains { $0.contains(address) }
        default: return false
        }
    }
}
