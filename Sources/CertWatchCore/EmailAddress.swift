/// The shape of an email address as CertWatch checks it (contact addresses, people's accounts):
/// one `@` with something before it, and after it a domain with a dot that neither starts nor
/// ends it. Judged scalar by scalar, as `openapi.yaml`'s patterns are: by characters, an `@`
/// followed by a combining mark (an emoji skin tone, say) would be one character and no `@`.
public enum EmailAddress {
    /// Whether `text` has that shape and no scalar `refusing` refuses.
    public static func isPlausible(_ text: String, refusing: (Unicode.Scalar) -> Bool) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard let at = scalars.firstIndex(of: "@"), scalars.lastIndex(of: "@") == at, at > 0 else { return false }
        let domain = scalars[(at + 1)...]
        guard domain.contains("."), domain.first != ".", domain.last != "." else { return false }
        return !scalars.contains(where: refusing)
    }

    /// A contact's address (a supplier's or a buyer's): plausible, without spaces, commas or
    /// semicolons, which separate addresses in lists.
    public static func isContactAddress(_ text: String) -> Bool {
        isPlausible(text, refusing: { $0.properties.isWhitespace || $0 == "," || $0 == ";" })
    }
}
