import Logging
import ServiceLifecycle

/// Work a request starts and does not wait for (a job run by hand, a verification of everyone),
/// run as child tasks of a service the `ServiceGroup` owns, so that graceful shutdown waits for
/// it before the database pool closes, and nothing outlives the process's structure.
///
/// Shutdown stops taking work and cancels what is running at once: a *Verify now* waiting on a
/// slow INTEGRITY, a run by hand (the job runner releases it for another replica). Nothing is
/// waited for that would only be thrown away: work that honours cancellation ends at once, and
/// `shutdown.graceSeconds` bounds only work that does not. A cancelled *Verify now* keeps its
/// lease until it runs out; then any replica closes it as abandoned.
public final class BackgroundWork: Service, Sendable {
    public struct Work: Sendable {
        var name: String
        var body: @Sendable () async -> Void
    }

    private let queue: AsyncStream<Work>
    private let submit: AsyncStream<Work>.Continuation
    private let logger: Logger

    public init(logger: Logger) {
        (queue, submit) = AsyncStream.makeStream(of: Work.self)
        self.logger = logger
    }

    /// Queues `body`; false once shutdown has begun (the caller answers 503, nothing starts).
    @discardableResult
    public func start(_ name: String, _ body: @escaping @Sendable () async -> Void) -> Bool {
        if case .enqueued = submit.yield(Work(name: name, body: body)) { return true }
        return false
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            // Shutdown finishes the queue: what was queued before still runs, nothing after.
            await withGracefulShutdownHandler {
                for await work in queue {
                    logger.debug("background work started", metadata: ["work": "\(work.name)"])
                    group.addTask { await cancelWhenGracefulShutdown { await work.body() } }
                }
            } onGracefulShutdown: { [submit] in
                submit.finish()
            }
        }
    }
}
