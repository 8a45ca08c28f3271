import CertWatchCore
import Testing

/// One comparison yields the history rows and the alerts (issue 25): INTEGRITY's first answer
/// about a supplier is a first sighting, recorded but alerted only when a purchase would stop.
@Suite struct StatusTransitionTests {
    static func certificate(_ status: CertificationStatus, crops: CertificationStatus? = nil) -> Certificate {
        Certificate(scheme: .nop, status: status, scopes: crops.map { [.crops: ScopeStatus(status: $0)] } ?? [:])
    }

    @Test func aCertifiedFirstSightingIsRecordedButNotAlerted() {
        let entered = Self.certificate(.certified)
        // INTEGRITY agrees with what was imported: nothing to store, still a first sighting.
        let agreeing = StatusTransition.between(entered, nil, listed: true, firstSighting: true)
        #expect(agreeing.map(\.field) == ["status"] && agreeing.allSatisfy { $0.firstSighting })
        #expect(!agreeing.contains { $0.warrantsAlert })
        let fromNothing = StatusTransition.between(nil, Self.certificate(.certified, crops: .certified), listed: true, firstSighting: true)
        #expect(fromNothing.map(\.field) == ["status", "scopes.crops"])
        #expect(!fromNothing.contains { $0.warrantsAlert })
    }

    @Test(arguments: [CertificationStatus.suspended, .revoked, .surrendered, .other("Applied; APEDA Certified")])
    func aFirstSightingThatStopsPurchasesIsAlerted(_ status: CertificationStatus) {
        let transitions = StatusTransition.between(Self.certificate(.certified), Self.certificate(status), listed: true, firstSighting: true)
        #expect(transitions.filter { $0.warrantsAlert }.map(\.to) == [status.text])
    }

    @Test func aNOPIDINTEGRITYDoesNotListIsAlertedAtFirstSightingOnly() {
        let first = StatusTransition.between(Self.certificate(.certified), nil, listed: false, firstSighting: true)
        #expect(first.count == 1 && first[0].to == nil && first[0].warrantsAlert)
        #expect(StatusTransition.between(Self.certificate(.certified), nil, listed: false, firstSighting: false).isEmpty)
    }

    @Test func laterVerificationsRecordAndAlertChangesOnly() {
        let before = Self.certificate(.certified, crops: .certified)
        #expect(StatusTransition.between(before, nil, listed: true, firstSighting: false).isEmpty)
        let suspended = StatusTransition.between(before, Self.certificate(.suspended, crops: .certified), listed: true, firstSighting: false)
        #expect(suspended.map(\.field) == ["status"] && suspended[0].warrantsAlert && suspended[0].from == "Certified")
        let scopeOnly = StatusTransition.between(before, Self.certificate(.certified, crops: .suspended), listed: true, firstSighting: false)
        #expect(scopeOnly.map(\.field) == ["scopes.crops"] && !scopeOnly[0].warrantsAlert, "scope changes are history, the gate judges them")
    }
}
