import CertWatchCore
import Foundation

/// What a test waited for and never saw before its deadline.
public struct WaitTimedOut: Error, CustomStringConvertible {
    public var what: String
    public var deadline: Duration
    public var description: String { "gave up after \(deadline) waiting for \(what)" }
}

/// Asks `probe` until it returns a value, and returns that value: tests wait for an event (a row,
/// an answer, a state), never for a fixed time. The deadline only bounds a hang: it is generous
/// because a 2-core CI machine under a parallel test run can stall for seconds.
public func eventually<T>(
    _ what: String, deadline: Duration = .seconds(120), every interval: Duration = .milliseconds(100),
    _ probe: () async throws -> T?
) async throws -> T {
    let clock = ContinuousClock()
    let end = clock.now.advanced(by: deadline)
    while true {
        if let value = try await probe() { return value }
        guard clock.now < end else { throw WaitTimedOut(what: what, deadline: deadline) }
        try await Task.sleep(for: interval)
    }
}

/// Dates for fixtures, relative to the real clock the code under test reads: a test asserting on
/// "the anniversary is in the future" passes on any day it runs.
public enum TestDates {
    /// Today in UTC, as the purchase gate and the alert scan compute it from `Date()`.
    public static var today: CalendarDate { CalendarDate(utc: Date()) }

    /// `days` from today (negative: in the past), as ISO `YYYY-MM-DD`.
    public static func fromToday(_ days: Int) -> String { today.adding(days: days).description }
}
