import Foundation

/// A wall clock a test moves: session lifetimes, link expiry, rate-limit windows.
public final class TestNow: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date

    public init(_ start: Date = Date()) { value = start }

    public func date() -> Date { lock.withLock { value } }
    public func advance(seconds: TimeInterval) { lock.withLock { value = value.addingTimeInterval(seconds) } }
}
