/// Turns concurrent requests into batches: while one batch is being processed, new requests wait
/// and are all processed together next. Under load a batch grows to the number of callers, so
/// they share one database round trip (or one commit) instead of queueing for one each; alone, a
/// request is processed at once.
///
/// Batches run in the callers' own tasks, not in a task of the queue's: the caller that finds the
/// queue idle leads (processes the batch it is in), and when its batch is done it hands the lead
/// to the first caller waiting. Nothing runs that no request awaits.
public actor BatchQueue<Input: Sendable, Output: Sendable> {
    /// Answers a batch in order: one result per input, so one bad input fails only its caller.
    public typealias Process = @Sendable ([Input]) async throws -> [Result<Output, any Error>]

    private enum Turn {
        case answered(Result<Output, any Error>)
        /// Process the next batch, which starts with this caller's input.
        case lead
    }

    private struct Waiter {
        var input: Input
        /// Nil for the leader, which is answered by its own call.
        var continuation: CheckedContinuation<Turn, Never>?
    }

    private let process: Process
    private var waiting: [Waiter] = []
    private var processing = false

    public init(_ process: @escaping Process) {
        self.process = process
    }

    public func submit(_ input: Input) async throws -> Output {
        if processing {
            let turn = await withCheckedContinuation { waiting.append(Waiter(input: input, continuation: $0)) }
            if case .answered(let result) = turn { return try result.get() }
        } else {
            processing = true
            waiting.append(Waiter(input: input, continuation: nil))
        }
        return try await lead()
    }

    /// Processes everyone waiting (this caller first), answers them, and hands the lead on.
    private func lead() async throws -> Output {
        let batch = waiting
        waiting = []
        let results: [Result<Output, any Error>]
        do {
            results = try await process(batch.map(\.input))
            precondition(results.count == batch.count, "a batch must answer every input")
        } catch {
            results = batch.map { _ in .failure(error) }
        }
        var own: Result<Output, any Error>?
        for (waiter, result) in zip(batch, results) {
            if let continuation = waiter.continuation { continuation.resume(returning: .answered(result)) } else { own = result }
        }
        if let next = waiting.first?.continuation {
            waiting[0].continuation = nil
            next.resume(returning: .lead)
        } else {
            processing = false
        }
        return try own!.get()
    }
}
