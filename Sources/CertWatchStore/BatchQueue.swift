/// Turns concurrent requests into batches: while one batch is being processed, new requests wait
/// and are all processed together next. Under load a batch grows to the number of callers, so
/// they share one database round trip (or one commit) instead of queueing for one each; alone, a
/// request is processed at once.
actor BatchQueue<Input: Sendable, Output: Sendable> {
    /// Answers a batch in order: one result per input, so one bad input fails only its caller.
    typealias Process = @Sendable ([Input]) async throws -> [Result<Output, any Error>]

    private let process: Process
    private var waiting: [(Input, CheckedContinuation<Output, any Error>)] = []
    private var processing = false

    init(_ process: @escaping Process) {
        self.process = process
    }

    func submit(_ input: Input) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append((input, continuation))
            if !processing {
                processing = true
                Task { await drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            let batch = waiting
            waiting = []
            do {
                let results = try await process(batch.map(\.0))
                precondition(results.count == batch.count, "a batch must answer every input")
                for ((_, continuation), result) in zip(batch, results) { continuation.resume(with: result) }
            } catch {
                for (_, continuation) in batch { continuation.resume(throwing: error) }
            }
        }
        processing = false
    }
}
