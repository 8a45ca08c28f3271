import Foundation

/// When a certificate request's next email is due: the first goes when it is opened, then one
/// reminder `reminderDays[i]` days after it was opened, while it is open and before it expires.
public enum CertificateRequestSchedule {
    /// The default reminders: a week, two and three after the request.
    public static let defaultReminderDays = [7, 14, 21]

    /// The next email after `emailsSent` emails; nil when no reminder is left before `expiresAt`.
    public static func nextEmail(createdAt: Date, emailsSent: Int, reminderDays: [Int], expiresAt: Date) -> Date? {
        let days = reminderDays.sorted()
        guard emailsSent >= 1, emailsSent - 1 < days.count else { return nil }
        let due = createdAt.addingTimeInterval(TimeInterval(days[emailsSent - 1]) * 86_400)
        return due < expiresAt ? due : nil
    }
}
