import CertWatchStore

/// Who is signed in to the page: a person with an account, or (where the setting allows it) an
/// API key. What the page records about them comes from here.
struct Principal: Sendable {
    var role: Role
    /// How the page names them: the person's name, or the key's.
    var displayName: String
    /// Set when a person is signed in.
    var account: Account?
    /// What purchase checks record as `askedBy`: the person's address, or the key's name as before.
    var askedBy: String
    /// What the activity record names: the person's address, or `key NAME`.
    var actor: String

    init(account: Account) {
        role = account.role
        displayName = account.name
        self.account = account
        askedBy = account.email
        actor = account.email
    }

    init(key: APIKey) {
        role = key.role
        displayName = key.name
        askedBy = key.name
        actor = "key \(key.name)"
    }
}
