import CertWatchCore
import Testing

// Fixed dates here are relative to the injected `today`, never to the real clock.
@Suite struct AlertPlannerTests {
    let planner = AlertPlanner(thresholdDays: [60, 30, 7, 1])
    let today = CalendarDate(iso: "2026-11-23")!

    func nop(anniversaryIn days: Int, status: CertificationStatus = .certified) -> Certificate {
        Certificate(scheme: .nop, status: status, anniversaryDate: today.adding(days: days))
    }

    func threshold(_ days: Int) -> Int? {
        planner.plan(supplierId: "s", certificate: nop(anniversaryIn: days), today: today)?.thresholdDays
    }

    @Test func theNearestThresholdReachedFires() {
        #expect(threshold(61) == nil)
        #expect(threshold(60) == 60)
        #expect(threshold(45) == 60)
        #expect(threshold(30) == 30)
        #expect(threshold(20) == 30, "added 20 days before: one 30-day alert, never the 60-day one")
        #expect(threshold(7) == 7)
        #expect(threshold(1) == 1)
        #expect(threshold(0) == 1, "on the date itself")
    }

    @Test func theDayAfterTheDateItHasExpired() {
        let alert = planner.plan(supplierId: "s", certificate: nop(anniversaryIn: -1), today: today)
        #expect(alert?.kind == .certificateExpired && alert?.daysLeft == -1 && alert?.thresholdDays == 0)
    }

    @Test func aValidToDateGovernsOverTheAnniversary() {
        var certificate = nop(anniversaryIn: 10)
        certificate.validTo = today.adding(days: 50)
        let alert = planner.plan(supplierId: "s", certificate: certificate, today: today)
        #expect(alert?.governing == .validTo(today.adding(days: 50)) && alert?.thresholdDays == 60)
        #expect(alert?.governing.basis == "valid_to")
    }

    @Test func onlyCertifiedCertificatesWithADateAreWatched() {
        #expect(planner.plan(supplierId: "s", certificate: nop(anniversaryIn: 5, status: .suspended), today: today) == nil)
        #expect(planner.plan(supplierId: "s", certificate: Certificate(status: .certified), today: today) == nil)
        #expect(planner.plan(supplierId: "s", certificate: nil, today: today) == nil)
    }

    @Test func aRenewedCertificateStartsANewLadder() {
        let old = planner.plan(supplierId: "s", certificate: nop(anniversaryIn: 5), today: today)
        let renewed = planner.plan(supplierId: "s", certificate: nop(anniversaryIn: 370), today: today)
        #expect(old?.thresholdDays == 7)
        #expect(renewed == nil)
        let nextYear = planner.plan(supplierId: "s", certificate: nop(anniversaryIn: 370), today: today.adding(days: 320))
        #expect(nextYear?.thresholdDays == 60 && nextYear?.governing.date == today.adding(days: 370))
    }
}
