import ArgumentParser
import CertWatchCore
import CertWatchJobs
import CertWatchApp
import CertWatchStore
import Foundation

/// `certwatch webhooks add|list|test`: the endpoints that receive signed alerts.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Endpoints that receive alerts as signed webhooks (Standard Webhooks).",
        subcommands: [Add.self, List.self, Test.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an endpoint and print its signing secret (shown once).")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The URL CertWatch posts to.") var url: String
        @Option(name: .customLong("event-type"), help: "Only this event type (repeatable); every type when omitted.")
        var eventTypes: [String] = []
        @Option(help: "What the endpoint is for.") var description: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            if let refused = WebhookRegistry.unknownEventType(in: eventTypes) { throw ValidationError("--event-type: \(refused)") }
            let (endpoint, secret) = try await options.withDependencies { deps, _ -> (WebhookEndpoint, String) in
                do {
                    let registered = try await deps.webhooks.register(url: url, description: description, eventTypes: eventTypes)
                    return (registered.endpoint, registered.secret)
                } catch let failure as ValidationFailure {
                    throw CLIError(failure.description)
                }
            }
            if json { return try Output.json(["id": endpoint.id, "url": endpoint.url, "secret": secret]) }
            print("""
                endpoint \(endpoint.id) → \(endpoint.url) (\(eventTypes.isEmpty ? "every event type" : eventTypes.joined(separator: ", ")))
                signing secret (shown once): \(secret)
                """)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every endpoint (secrets are not shown).")
        @OptionGroup var options: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            var id: String
            var url: String
            var eventTypes: [String]
            var enabled: Bool
            var disabledReason: String?
        }

        func run() async throws {
            let endpoints = try await options.withDatabase { database, _ in try await WebhookEndpointStore(database: database).list() }
            let rows = endpoints.map { Row(id: $0.id, url: $0.url, eventTypes: $0.eventTypes, enabled: $0.enabled, disabledReason: $0.disabledReason) }
            if json { return try Output.json(rows) }
            Output.table(["ID", "STATE", "EVENTS", "URL"], rows.map { row in
                [row.id, row.enabled ? "enabled" : "disabled" + (row.disabledReason.map { " (\($0))" } ?? ""),
                 row.eventTypes.isEmpty ? "all" : row.eventTypes.joined(separator: ","), row.url]
            })
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a signed webhook.test message to an endpoint now and print what it answered; exit 1 if it did not answer 2xx.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The endpoint's id.") var id: String

        func run() async throws {
            let result = try await options.withDependencies { deps, _ -> AttemptResult in
                guard let result = try await deps.webhooks.sendTest(to: id) else { throw CLIError("no webhook endpoint \(id)") }
                return result
            }
            guard result.succeeded else {
                throw CLIError("the endpoint did not accept the test message: \(result.error ?? "HTTP \(result.status ?? 0)")")
            }
            print("the endpoint answered HTTP \(result.status ?? 0) to a signed webhook.test message")
        }
    }
}
