extension Sequence<UInt8> {
    /// Lower-case hexadecimal, two digits a byte: how digests and keys are written everywhere.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Dictionary<String, String> {
    /// The trimmed value of an INTEGRITY field, nil when it is absent or blank (the exports'
    /// "empty or absent = null").
    public func field(_ key: String) -> String? {
        guard let value = self[key]?.trimmingWhitespace(), !value.isEmpty else { return nil }
        return value
    }
}
