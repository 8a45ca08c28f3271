import CertWatchCore
import CertWatchJobs
import CertWatchNotify
import CertWatchStore
import Foundation
import Logging

extension Settings {
    /// How email is sent, or nil while `smtp.url` is unset (email alerts are off).
    public var smtpSettings: SMTPSettings? {
        guard let smtpURL, let smtpFrom else { return nil }
        return SMTPSettings(url: smtpURL, from: smtpFrom, username: smtpUsername, password: smtpPassword,
                            startTLS: smtpStartTLS, caFile: smtpCAFile)
    }

    /// Where alert emails go, or nil while email is off.
    public var emailRouting: AlertFanOut.EmailRouting? {
        guard smtpSettings != nil else { return nil }
        return AlertFanOut.EmailRouting(recipients: alertRecipients, digestAt: digestAt,
                                        timeZone: scheduleTimeZone)
    }

    /// Names this process in the leases it holds: host and process id.
    public static var replicaName: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// The delivery worker `certwatch serve` runs. `owner` names this process in the leases it takes.
    public func deliveryWorker(database: Database, logger: Logger, owner: String = Settings.replicaName) -> DeliveryWorker {
        let webhooks = WebhookDispatch(
            database: database, sender: WebhookSender(policy: DestinationPolicy(allowPrivateNetworks: webhooksAllowPrivateNetworks)),
            schedule: RetrySchedule(delays: webhooksRetryDelays), lease: Settings.seconds(deliveryLease), owner: owner)
        let emails = smtpSettings.map { smtp in
            EmailDispatch(database: database, mailer: SMTPMailer(settings: smtp), schedule: RetrySchedule(delays: emailRetryDelays),
                          lease: Settings.seconds(deliveryLease), owner: owner, timeZone: scheduleTimeZone)
        }
        return DeliveryWorker(database: database, email: emailRouting, webhooks: webhooks, emails: emails, logger: logger)
    }
}
