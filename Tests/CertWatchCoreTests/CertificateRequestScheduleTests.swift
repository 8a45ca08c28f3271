import CertWatchCore
import Foundation
import Testing

@Suite struct CertificateRequestScheduleTests {
    let opened = Date(timeIntervalSince1970: 1_800_000_000)
    var expires: Date { opened.addingTimeInterval(30 * 86_400) }

    func next(after emails: Int, _ days: [Int] = [7, 14, 21]) -> Double? {
        CertificateRequestSchedule.nextEmail(createdAt: opened, emailsSent: emails, reminderDays: days, expiresAt: expires)
            .map { $0.timeIntervalSince(opened) / 86_400 }
    }

    @Test func remindersFollowTheDaysAfterTheRequestUntilNoneIsLeft() {
        #expect(next(after: 0) == nil, "the first email is sent when the request is made, not scheduled")
        #expect(next(after: 1) == 7)
        #expect(next(after: 2) == 14)
        #expect(next(after: 3) == 21)
        #expect(next(after: 4) == nil)
        #expect(next(after: 1, [21, 7]) == 7, "in order of days")
        #expect(next(after: 1, []) == nil)
    }

    @Test func noReminderOnOrAfterTheRequestExpires() {
        #expect(next(after: 1, [30]) == nil)
        #expect(next(after: 1, [29]) == 29)
    }
}
