import Crypto

/// RFC 4226/6238 written out from the RFCs, so the tests check `TwoStepCodes` against something
/// other than the library it uses.
enum TOTPReference {
    static func compute(secret: [UInt8], counter: UInt64) -> Int {
        let message = (0..<8).map { UInt8(truncatingIfNeeded: counter >> (8 * (7 - $0))) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[19] & 0x0F)
        let value = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16) | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        return Int(value % 1_000_000)
    }
}
