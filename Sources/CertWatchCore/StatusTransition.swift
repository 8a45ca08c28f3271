/// One line of a supplier's status history, as a verification saw it: the operation's status
/// (`field` `status`) or a scope's (`scopes.crops` …), before and after. Computed once per
/// verification (`between`), and both the history row and the alert come from it, so they
/// cannot disagree.
public struct StatusTransition: Sendable, Equatable {
    public var field: String
    public var from: String?
    /// Nil when INTEGRITY does not list the operation (a first sighting of an unknown NOP ID).
    public var to: String?
    public var effectiveDate: CalendarDate?
    /// The first answer from INTEGRITY about this supplier under its current NOP ID: what it
    /// says is news, not a change (`from` is what a person entered or imported, if anything).
    public var firstSighting: Bool

    public init(field: String, from: String?, to: String?, effectiveDate: CalendarDate?, firstSighting: Bool) {
        self.field = field
        self.from = from
        self.to = to
        self.effectiveDate = effectiveDate
        self.firstSighting = firstSighting
    }

    public static let statusField = "status"

    /// What a verification changes in the history. `new` is the certificate INTEGRITY's answer
    /// gives (nil when it keeps the record as it is, or does not list the operation: then
    /// `listedStatus` says which). A first sighting always records the operation's status,
    /// even when it equals what was entered; later verifications record only changes.
    public static func between(_ old: Certificate?, _ new: Certificate?, listed: Bool, firstSighting: Bool) -> [StatusTransition] {
        var transitions: [StatusTransition] = []
        if let new {
            if firstSighting || old?.status != new.status {
                transitions.append(StatusTransition(field: statusField, from: old?.status.text, to: new.status.text,
                                                    effectiveDate: new.statusEffectiveDate, firstSighting: firstSighting))
            }
            for scope in Scope.allCases where old?.scopes[scope]?.status != new.scopes[scope]?.status {
                transitions.append(StatusTransition(
                    field: "scopes.\(scope.rawValue)", from: old?.scopes[scope]?.status.text, to: new.scopes[scope]?.status.text,
                    effectiveDate: new.scopes[scope]?.effectiveDate, firstSighting: firstSighting))
            }
        } else if firstSighting {
            // Nothing to store: INTEGRITY agrees with what was entered, or does not list the operation.
            transitions.append(StatusTransition(field: statusField, from: old?.status.text, to: listed ? old?.status.text : nil,
                                                effectiveDate: listed ? old?.statusEffectiveDate : nil, firstSighting: true))
        }
        return transitions
    }

    /// Whether this transition is worth telling someone at once. A change of the operation's
    /// status always is. A first sighting is only when a purchase from the supplier would be
    /// blocked or held for review (any status but Certified, or not listed at all): a buyer has
    /// just registered a supplier that cannot sell organic. A Certified first sighting is not.
    public var warrantsAlert: Bool {
        guard field == Self.statusField else { return false }
        if firstSighting { return to.map { CertificationStatus(integrity: $0) } != .certified }
        return from != to
    }
}
