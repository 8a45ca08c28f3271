import ArgumentParser

/// `certwatch`: one binary for the server and for operators' and buyers' scripts.
@main
struct CertWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certwatch",
        abstract: "Verify organic suppliers against USDA INTEGRITY, gate purchases, alert before certificates lapse.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, KeysCommand.self, UsersCommand.self, SuppliersCommand.self, VerifyCommand.self,
            IntegrityCommand.self, CheckCommand.self, AuditCommand.self, AlertsCommand.self, WebhooksCommand.self, JobsCommand.self,
            DocumentsCommand.self, RetentionCommand.self, FraudNoticesCommand.self, ImportCertificatesCommand.self,
        ])
}
