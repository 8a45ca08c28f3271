import CertWatchCore

/// Decides which source answers a verification: the configured order (`integrity.sources`), with
/// one rule on top. When a complete answer is needed — some wanted supplier has not been vouched
/// for since it was added, edited or relinked (`IntegrityQuestion.unvouched`), or the periodic
/// complete sync is due (`completeSyncDue`) — the complete sources are asked first, and a
/// "changed since" source only if all of them fail. So a new supplier is verified in the run
/// that first sees it, at the cost of one bulk request, and never ends `failed` for being new.
///
/// Every source asked or passed over before the one that answered is listed in the answer's
/// `declined`, with its reason; when none answers, the error lists every reason.
public struct FallbackSource: IntegritySource {
    public let sources: [any IntegritySource]
    /// The last complete sync is older than `integrity.completeSyncDays`: disappeared operations
    /// show only in a complete answer, so one is asked for first.
    let completeSyncDue: Bool
    public var name: String { sources.map(\.name).joined(separator: ",") }
    public var answersCompletely: Bool { sources.contains { $0.answersCompletely } }

    public init(_ sources: [any IntegritySource], completeSyncDue: Bool = false) {
        self.sources = sources
        self.completeSyncDue = completeSyncDue
    }

    public func fetch(_ question: IntegrityQuestion) async throws -> IntegrityAnswer {
        var declined: [DeclinedSource] = []
        var last: IntegrityAnswerRejected?
        for source in order(for: question, passedOver: &declined) {
            try Task.checkCancellation()  // shutdown: no source "failed", nobody is told so
            do {
                var answer = try await source.fetch(question)
                // A source passed over that answered in the end was not declined.
                answer.declined = declined.filter { $0.source != source.name } + answer.declined
                return answer
            } catch let rejected as IntegrityAnswerRejected {
                declined.append(DeclinedSource(source: source.name, reason: rejected.reason))
                last = rejected
            } catch {
                if Task.isCancelled { throw CancellationError() }
                declined.append(DeclinedSource(source: source.name, reason: "\(error)"))
            }
        }
        throw IntegrityAnswerRejected(
            source: name, url: last?.url ?? "", reason: declined.map { "\($0.source): \($0.reason)" }.joined(separator: "; "),
            digest: last?.digest)
    }

    /// The sources in the order they are asked for this question. A partial source configured
    /// ahead of a complete one that must answer first is noted in `passedOver`.
    func order(for question: IntegrityQuestion, passedOver: inout [DeclinedSource]) -> [any IntegritySource] {
        guard let why = completeAnswerNeeded(question), sources.contains(where: \.answersCompletely) else { return sources }
        let complete = sources.filter(\.answersCompletely)
        let partial = sources.filter { !$0.answersCompletely }
        if let first = sources.first, !first.answersCompletely {
            passedOver.append(DeclinedSource(source: first.name, reason: "passed over for a complete source: \(why)"))
        }
        return complete + partial
    }

    /// Why this question needs a complete answer, or nil when a "changed since" answer will do.
    func completeAnswerNeeded(_ question: IntegrityQuestion) -> String? {
        if !question.unvouched.isEmpty {
            let example = question.unvouched.sorted().first.map { ", e.g. \($0)" } ?? ""
            return "\(question.unvouched.count) supplier(s) not yet verified since they were added or edited\(example)"
        }
        return completeSyncDue ? "the periodic complete sync is due" : nil
    }
}
