import CertWatchCore
import Foundation

/// `requests.*`: how certificate requests are sent and how their upload links are guarded.
public struct RequestSettings: Sendable, Equatable {
    /// `requests.handlerName`: the company the email and the upload page name as asking. Needed
    /// to send: a supplier must know who asks before it sends anything.
    public var handlerName: String?
    /// `requests.linkDays`: how long a request and its links work.
    public var lifetime: Duration = .seconds(30 * 86_400)
    /// `requests.maxUploadsPerLinkPerHour`: uploads one link takes in an hour.
    public var maxUploadsPerLink = 10
    /// `requests.maxUploadsPerAddressPerHour`: uploads, and lookups of unknown links, one client
    /// address makes in an hour.
    public var maxUploadsPerAddress = 30
    /// `requests.reminderDays`: days after a request when it is emailed again while unanswered.
    public var reminderDays = CertificateRequestSchedule.defaultReminderDays
    /// `requests.autoWithinDays`: a supplier with addresses for requests is asked by itself when
    /// its certificate's governing date is this near (0: never).
    public var autoWithinDays = 60
    /// How long a reminder or automatic request whose email failed waits before it is tried again.
    public static let retryAfterFailure: TimeInterval = 3_600

    /// The window the two limits count in.
    public static let uploadWindow: Duration = .seconds(3_600)

    public init() {}
}
