import CertWatchAccounts
import Foundation
import Testing

/// RFC 6238's SHA-1 test vectors (secret "12345678901234567890"), cut to the six digits
/// authenticator apps show.
@Suite struct TwoStepCodesTests {
    let secret = "12345678901234567890"

    @Test(arguments: [(59.0, "287082"), (1_111_111_109, "081804"), (1_234_567_890, "005924"), (2_000_000_000, "279037")])
    func theRFCVectorsMatchTheirStep(_ seconds: Double, _ code: String) {
        let at = Date(timeIntervalSince1970: seconds)
        #expect(TwoStepCodes.matchingStep(code, secret: secret, at: at) == Int64(seconds / 30))
        // A phone's clock a step behind or ahead still works; two steps off does not.
        #expect(TwoStepCodes.matchingStep(code, secret: secret, at: at.addingTimeInterval(30)) == Int64(seconds / 30))
        #expect(TwoStepCodes.matchingStep(code, secret: secret, at: at.addingTimeInterval(-30)) == Int64(seconds / 30))
        #expect(TwoStepCodes.matchingStep(code, secret: secret, at: at.addingTimeInterval(90)) == nil)
    }

    @Test func anythingButSixDigitsMatchesNothing() {
        let at = Date(timeIntervalSince1970: 59)
        for code in ["", "28708", "2870822", "28708a", "٢٨٧٠٨٢", "287 082x"] {
            #expect(TwoStepCodes.matchingStep(code, secret: secret, at: at) == nil, "\(code)")
        }
        #expect(TwoStepCodes.matchingStep("287 082", secret: secret, at: at) == 1)
    }

    @Test func newSecretsAreDistinctAndTheTypedFormIsBase32OfTheirBytes() {
        let first = TwoStepCodes.newSecret(), second = TwoStepCodes.newSecret()
        #expect(first != second)
        #expect(TwoStepCodes.isSecret(first))
        // base32("12345678901234567890") from RFC 4648's alphabet, as authenticator apps read it.
        #expect(TwoStepCodes.typedSecret(secret) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    }

    @Test func recoveryCodesAreTenDistinctCodesWhoseHashDependsOnTheAccount() {
        let codes = RecoveryCodes.make()
        #expect(codes.count == 10 && Set(codes).count == 10)
        #expect(codes.allSatisfy(RecoveryCodes.looksLikeOne))
        #expect(!RecoveryCodes.looksLikeOne("287082"))
        #expect(RecoveryCodes.hash(codes[0], accountId: "a") == RecoveryCodes.hash(codes[0].uppercased(), accountId: "a"))
        #expect(RecoveryCodes.hash(codes[0], accountId: "a") != RecoveryCodes.hash(codes[0], accountId: "b"))
    }
}
