import CertWatchCore
import Foundation
import Testing

// Fixed dates here are relative to the injected `now`, never to the real clock.
/// One test per reason code, each starting from a supplier the policy allows and changing one fact.
@Suite struct PurchasePolicyTests {
    static let now = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18 UTC
    static let today = CalendarDate(utc: now)
    let policy = PurchasePolicy(maxVerificationAgeDays: 7, anniversaryGraceDays: 0)

    static func certificate() -> Certificate {
        Certificate(
            scheme: .nop, status: .certified, statusEffectiveDate: CalendarDate(iso: "2020-01-15"),
            anniversaryDate: today.adding(days: 100),
            scopes: [.crops: ScopeStatus(status: .certified), .handling: ScopeStatus(status: .certified)],
            items: [
                CertifiedItem(scope: .crops, items: ["Avocados"], varieties: ["Hass"]),
                CertifiedItem(scope: .handling, items: ["Almonds"]),
            ])
    }

    /// Facts that allow: certified, verified an hour ago, product on the certificate.
    static func facts(_ change: (inout PurchaseFacts) -> Void = { _ in }) -> PurchaseFacts {
        var facts = PurchaseFacts(
            requested: "Northfield", supplier: Supplier(id: "s1", name: "Northfield Grain Co-op", nopOperationId: NOPOperationID("4920007290"),
                                                        certificate: certificate()),
            product: "hass avocados", date: today,
            verification: VerificationEvidence(id: "v1", at: now - 3_600, outcome: .verified, reason: nil),
            lastSuccessAt: now - 3_600, asOf: now)
        change(&facts)
        return facts
    }

    func codes(_ change: (inout PurchaseFacts) -> Void) -> (PurchaseDecision, [String]) {
        let answer = policy.assess(Self.facts(change))
        return (answer.decision, answer.reasons.map(\.code.rawValue))
    }

    @Test func allowsACertifiedSupplierAndNamesTheMatchedItem() {
        let answer = policy.assess(Self.facts())
        #expect(answer.decision == .allow)
        #expect(answer.reasons.isEmpty)
        #expect(answer.matchedItem == "Avocados (Hass)")
    }

    @Test func supplierUnknown() {
        let answer = policy.assess(Self.facts { $0.supplier = nil })
        #expect(answer.decision == .block)
        #expect(answer.reasons == [PurchaseReason(.supplierUnknown, "No supplier in the registry matches “Northfield”.")])
    }

    @Test func noCertificate() {
        #expect(codes { $0.supplier!.certificate = nil } == (.block, ["no_certificate"]))
    }

    @Test(arguments: [CertificationStatus.suspended, .revoked, .surrendered, .transitional, .deniedCertification, .withdrewWithNONC])
    func statusNotCertified(_ status: CertificationStatus) {
        let answer = policy.assess(Self.facts {
            $0.supplier!.certificate!.status = status
            $0.supplier!.certificate!.statusEffectiveDate = CalendarDate(iso: "2026-10-02")
        })
        #expect(answer.decision == .block)
        #expect(answer.reasons.map(\.message) == ["Certification \(status.text) since 2026-10-02."])
    }

    @Test func unknownStatusNeedsReview() {
        #expect(codes { $0.supplier!.certificate!.status = .other("Applied; APEDA Certified") } == (.review, ["unknown_status"]))
    }

    @Test func certificateExpiredOnTheDeliveryDate() {
        #expect(codes {
            $0.supplier!.certificate!.scheme = .eu
            $0.supplier!.certificate!.validTo = Self.today.adding(days: 10)
            $0.date = Self.today.adding(days: 11)
        } == (.block, ["certificate_expired"]))
        #expect(codes {
            $0.supplier!.certificate!.validTo = Self.today.adding(days: 10)
            $0.date = Self.today.adding(days: 10)
        } == (.allow, []))
    }

    @Test func anniversaryOverdueAfterTheGrace() {
        let overdue: (inout PurchaseFacts) -> Void = { $0.supplier!.certificate!.anniversaryDate = Self.today.adding(days: -5) }
        #expect(codes(overdue) == (.review, ["anniversary_overdue"]))
        let lenient = PurchasePolicy(maxVerificationAgeDays: 7, anniversaryGraceDays: 30)
        #expect(lenient.assess(Self.facts(overdue)).decision == .allow)
        // A future delivery date is checked against the anniversary too.
        #expect(codes { $0.date = Self.today.adding(days: 101) } == (.review, ["anniversary_overdue"]))
    }

    @Test func scopeNotCertifiedOrNotHeld() {
        #expect(codes { $0.supplier!.certificate!.scopes[.crops] = ScopeStatus(status: .suspended) } == (.block, ["scope_not_certified"]))
        #expect(codes { $0.supplier!.certificate!.scopes[.crops] = nil } == (.block, ["scope_not_certified"]))
        // Almonds are handled, so a crops suspension does not touch them.
        #expect(codes {
            $0.supplier!.certificate!.scopes[.crops] = ScopeStatus(status: .suspended)
            $0.product = "almonds"
        } == (.allow, []))
    }

    /// INTEGRITY's `Items` can name no scope ("Other" with the product in its varieties): the
    /// product counts when every scope the operation holds is Certified, and goes to review when
    /// one is not, because which one it falls under is not known.
    @Test func anItemOfUnknownScopeCountsOnlyWhenEveryScopeIsCertified() {
        func bunnies(_ facts: inout PurchaseFacts) {
            facts.supplier!.certificate!.items = [CertifiedItem(scope: nil, items: ["Other"], varieties: ["Cheddar Bunnies"])]
            facts.product = "Cheddar Bunnies"
        }
        #expect(codes { bunnies(&$0) } == (.allow, []))
        #expect(codes {
            bunnies(&$0)
            $0.supplier!.certificate!.scopes[.crops] = ScopeStatus(status: .suspended)
        } == (.review, ["scope_unknown"]))
        #expect(codes {
            bunnies(&$0)
            $0.product = "Crackers"
        } == (.block, ["product_not_on_certificate"]))
    }

    @Test func scopeUnknownWhenNoScopesAreRecorded() {
        #expect(codes { $0.supplier!.certificate!.scopes = [:] } == (.review, ["scope_unknown"]))
    }

    @Test func productNotOnCertificateSuggests() {
        let answer = policy.assess(Self.facts { $0.product = "avocado oil" })
        #expect(answer.decision == .block)
        #expect(answer.reasons.map(\.code) == [.productNotOnCertificate])
        #expect(answer.reasons[0].message.hasSuffix("Did you mean Avocados?"))
    }

    @Test func productNotCertifiedWhenTheItemIsNot() {
        #expect(codes { $0.supplier!.certificate!.items[0].status = .surrendered } == (.block, ["product_not_certified"]))
    }

    @Test func sameProductUnderAnotherCertifiedScopeSuffices() {
        #expect(codes {
            $0.supplier!.certificate!.items.append(CertifiedItem(scope: .handling, items: ["Avocados"]))
            $0.supplier!.certificate!.scopes[.crops] = ScopeStatus(status: .suspended)
            $0.product = "avocados"
        } == (.allow, []))
    }

    @Test func noItemsKnown() {
        #expect(codes { $0.supplier!.certificate!.items = [] } == (.review, ["no_items_known"]))
    }

    @Test func notFoundInIntegrity() {
        #expect(codes {
            $0.verification = VerificationEvidence(id: "v2", at: Self.now, outcome: .notFound, reason: nil)
        } == (.block, ["not_found_in_integrity"]))
    }

    @Test func notLinkedToIntegrity() {
        #expect(codes { $0.supplier!.nopOperationId = nil } == (.review, ["not_linked_to_integrity"]))
    }

    @Test func verificationStaleOrMissing() {
        #expect(codes { $0.lastSuccessAt = Self.now - 8 * 86_400 } == (.review, ["verification_stale"]))
        #expect(codes { $0.lastSuccessAt = Self.now - 7 * 86_400 } == (.allow, []))
        #expect(codes { $0.verification = nil; $0.lastSuccessAt = nil } == (.review, ["verification_stale"]))
    }

    @Test func lastVerificationFailedNeedsReview() {
        let answer = policy.assess(Self.facts {
            $0.verification = VerificationEvidence(id: "v2", at: Self.now, outcome: .failed, reason: "HTML instead of JSON")
        })
        #expect(answer.decision == .review)
        #expect(answer.reasons.map(\.code) == [.lastVerificationFailed])
        #expect(answer.reasons[0].message.contains("HTML instead of JSON"))
    }

    @Test func blockWinsOverReviewAndEveryReasonIsListed() {
        let answer = policy.assess(Self.facts {
            $0.supplier!.certificate!.status = .suspended
            $0.lastSuccessAt = Self.now - 30 * 86_400
            $0.product = "soybeans"
        })
        #expect(answer.decision == .block)
        #expect(answer.reasons.map(\.code) == [.statusNotCertified, .productNotOnCertificate, .verificationStale])
    }

    static func paper(_ findings: [DocumentFinding]) -> CertificateOnFile {
        CertificateOnFile(documentId: "d1", uploadedAt: now - 86_400, findings: findings)
    }

    @Test func documentMismatchWhenThePaperDisagrees() {
        let (decision, codes) = codes { $0.certificateOnFile = Self.paper([.init(.nameNotFound, "The name is not on the document.")]) }
        #expect(decision == .review)
        #expect(codes == ["document_mismatch"])
        #expect(policy.assess(Self.facts { $0.certificateOnFile = Self.paper([]) }).decision == .allow, "a paper that agrees")
        let scan = policy.assess(Self.facts { $0.certificateOnFile = Self.paper([.init(.noTextFound, "No text.")]) })
        #expect(scan.decision == .allow, "a scan is checked by hand, not a mismatch")
    }

    @Test func documentOfAnotherOperationBlocks() {
        let answer = policy.assess(Self.facts {
            $0.certificateOnFile = Self.paper([.init(.nopIdOfAnotherOperation, "The document's NOP ID 1230004567 belongs to another operation.")])
        })
        #expect(answer.decision == .block)
        #expect(answer.reasons.map(\.code) == [.documentOfAnotherOperation, .documentMismatch])
        #expect(answer.reasons[0].message.contains("1230004567"))
    }

    @Test func noCertificateOnFileOnlyWhenThePolicyAsks() {
        #expect(policy.assess(Self.facts()).decision == .allow)
        let strict = PurchasePolicy(requireCertificateOnFile: true)
        #expect(strict.assess(Self.facts()).reasons.map(\.code) == [.noCertificateOnFile])
        #expect(strict.assess(Self.facts()).decision == .review)
        #expect(strict.assess(Self.facts { $0.certificateOnFile = Self.paper([]) }).decision == .allow)
    }

    @Test func everyCodeHasASeverityAndAtLeastOneTestAbove() {
        #expect(PurchaseReason.Code.allCases.count == 25)
        #expect(PurchaseReason.Code.allCases.filter { $0.decision == .allow }.isEmpty)
    }
}

@Suite struct CertificateTimelineTests {
    let seen = Date(timeIntervalSince1970: 1_790_000_000)

    @Test func rewindsChangesSeenAfterTheMoment() {
        var current = PurchasePolicyTests.certificate()
        current.status = .suspended
        current.scopes[.crops] = ScopeStatus(status: .suspended)
        let changes = [
            RecordedStatusChange(field: "status", from: "Certified", to: "Suspended", at: seen, effectiveDate: CalendarDate(iso: "2026-09-01")),
            RecordedStatusChange(field: "scopes.crops", from: "Certified", to: "Suspended", at: seen, effectiveDate: nil),
        ]
        let before = CertificateTimeline.certificate(current, changes: changes, at: seen - 1)
        #expect(before?.status == .certified)
        #expect(before?.scopes[.crops]?.status == .certified)
        #expect(CertificateTimeline.certificate(current, changes: changes, at: seen)?.status == .suspended)
    }

    @Test func nothingKnownBeforeTheFirstCertificate() {
        let changes = [RecordedStatusChange(field: "status", from: nil, to: "Certified", at: seen, effectiveDate: nil)]
        #expect(CertificateTimeline.certificate(PurchasePolicyTests.certificate(), changes: changes, at: seen - 1) == nil)
    }
}

extension PurchasePolicyTests {
    /// The dashboard's judgement of a certificate alone: the same status and date rules as a check.
    @Test func theCertificateAloneIsJudgedByTheSameRules() {
        var suspended = Self.certificate()
        suspended.status = .suspended
        #expect(policy.certificateAssessment(suspended, on: Self.today).decision == .block)
        #expect(policy.certificateAssessment(suspended, on: Self.today).reasons.map(\.code) == [.statusNotCertified])
        var overdue = Self.certificate()
        overdue.anniversaryDate = Self.today.adding(days: -3)
        #expect(policy.certificateAssessment(overdue, on: Self.today).reasons.map(\.code) == [.anniversaryOverdue])
        #expect(PurchasePolicy(anniversaryGraceDays: 5).certificateAssessment(overdue, on: Self.today).decision == .allow, "within its grace days")
        #expect(policy.certificateAssessment(Self.certificate(), on: Self.today).decision == .allow)
    }
}
