import Foundation
import SQLKit

/// Failed sign-ins counted per subject (`account:EMAIL`, `address:IP`) in fixed windows: at most
/// `limit` failures per window, then refused until the window ends. In the database, so every
/// replica counts the same failures. Upload links count their uploads here too
/// (`upload-link:`, `upload-address:`), with a window of their own.
public struct SignInFailureStore: Sendable {
    /// What is counted, and how many failures a window allows it.
    public struct Subject: Sendable, Hashable {
        public var key: String
        public var limit: Int

        public init(key: String, limit: Int) {
            self.key = key
            self.limit = limit
        }
    }

    /// Rows older than this are deleted whoever counts: no caller's window is longer.
    static let longestWindow: TimeInterval = 24 * 3_600

    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    /// Until when the first of `subjects` that has used up its window is refused; nil if none has.
    public func lockedUntil(_ subjects: [Subject], window: Duration) async throws -> Date? {
        let at = now()
        return try await database.withConnection { db in
            var until: Date?
            for subject in subjects {
                guard let row = try await db.select().columns("window_started_at", "failures").from("sign_in_failures")
                    .where("subject", .equal, subject.key).first() else { continue }
                let end = try Timestamp.decode(row, "window_started_at", table: "sign_in_failures").addingTimeInterval(Self.seconds(window))
                if end > at, try row.decode(column: "failures", as: Int.self) >= subject.limit {
                    until = max(until ?? end, end)
                }
            }
            return until
        }
    }

    /// Counts an attempt against each subject before it is judged (so parallel attempts cannot
    /// all pass a check made before any of them failed), starting a new window where the last
    /// has ended; until when the attempt is refused, if a subject is now over its limit. Callers
    /// may use windows of different lengths, so only these subjects' ended windows are deleted,
    /// and anyone's older than `longestWindow`.
    public func countAttempt(_ subjects: [Subject], window: Duration) async throws -> Date? {
        let at = now()
        let windowStart = Timestamp.format(at.addingTimeInterval(-Self.seconds(window)))
        return try await database.transaction { db in
            // This window's subjects start again where their window ended; anyone's row older than
            // the longest window any caller uses (a day) is gone for good.
            try await db.delete(from: "sign_in_failures").where("subject", .in, subjects.map(\.key))
                .where("window_started_at", .lessThanOrEqual, windowStart).run()
            try await db.delete(from: "sign_in_failures")
                .where("window_started_at", .lessThanOrEqual, Timestamp.format(at.addingTimeInterval(-Self.longestWindow))).run()
            var until: Date?
            for subject in subjects {
                let row = try await db.insert(into: "sign_in_failures").columns("subject", "window_started_at", "failures")
                    .values(subject.key, Timestamp.format(at), 1)
                    .onConflict(with: ["subject"]) { $0.set("failures", to: SQLRaw("sign_in_failures.failures + 1")) }
                    .returning("window_started_at", "failures").first()
                guard let row, try row.decode(column: "failures", as: Int.self) > subject.limit else { continue }
                let end = try Timestamp.decode(row, "window_started_at", table: "sign_in_failures").addingTimeInterval(Self.seconds(window))
                until = max(until ?? end, end)
            }
            return until
        }
    }

    /// Takes back an attempt counted against `key` that succeeded.
    public func uncount(_ key: String) async throws {
        try await database.withConnection { db in
            try await db.update("sign_in_failures").set("failures", to: SQLRaw("failures - 1"))
                .where("subject", .equal, key).where("failures", .greaterThan, 0).run()
        }
    }

    /// Forgets the failures of a subject: a right password clears its account's count.
    public func clear(_ key: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "sign_in_failures").where("subject", .equal, key).run()
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds)
    }
}
