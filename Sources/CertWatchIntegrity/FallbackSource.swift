import CertWatchCore

/// Tries sources in the configured order (`integrity.sources`) and answers with the first that
/// gives an acceptable answer. When all fail, the error lists every source's reason.
public struct FallbackSource: IntegritySource {
    public let sources: [any IntegritySource]
    public var name: String { sources.map(\.name).joined(separator: ",") }

    public init(_ sources: [any IntegritySource]) {
        self.sources = sources
    }

    public func fetch(_ wanted: Set<NOPOperationID>) async throws -> IntegrityAnswer {
        try await fetch(wanted, knownDigests: [:])
    }

    public func fetch(_ wanted: Set<NOPOperationID>, knownDigests: [NOPOperationID: String]) async throws -> IntegrityAnswer {
        var reasons: [String] = []
        var last: IntegrityAnswerRejected?
        for source in sources {
            do {
                return try await source.fetch(wanted, knownDigests: knownDigests)
            } catch let rejected as IntegrityAnswerRejected {
                reasons.append("\(source.name): \(rejected.reason)")
                last = rejected
            } catch {
                reasons.append("\(source.name): \(error)")
            }
        }
        throw IntegrityAnswerRejected(
            source: name, url: last?.url ?? "", reason: reasons.joined(separator: "; "), digest: last?.digest)
    }
}
