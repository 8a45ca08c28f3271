/// Writes a string as JSON, byte for byte as `JSONEncoder` with `.withoutEscapingSlashes` writes
/// it (quotes, backslashes and control characters escaped, nothing else), at a fraction of its
/// cost: the audit hash of every purchase check and the API's answer to it are written with it.
public enum JSONString {
    public static func append(_ string: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in string.utf8 {
            let escaped: UInt8? = switch byte {
            case 0x22: 0x22
            case 0x5C: 0x5C
            case 0x08: UInt8(ascii: "b")
            case 0x09: UInt8(ascii: "t")
            case 0x0A: UInt8(ascii: "n")
            case 0x0C: UInt8(ascii: "f")
            case 0x0D: UInt8(ascii: "r")
            default: nil
            }
            if let escaped {
                out.append(0x5C)
                out.append(escaped)
            } else if byte < 0x20 {
                out.append(contentsOf: "\\u00".utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0xF)])
            } else {
                out.append(byte)
            }
        }
        out.append(0x22)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
