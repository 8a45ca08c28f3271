import Foundation
import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt (hummingbird-auth's `HummingbirdBcrypt`) on NIO's blocking thread pool: a hash takes a
/// quarter of a second at cost 12, which must not hold one of the few threads Swift concurrency
/// runs everything on.
public struct PasswordHasher: Sendable {
    public let cost: UInt8

    /// `cost` outside 4–31 is refused by `Settings` before this is made (bcrypt traps on it).
    public init(cost: Int) {
        self.cost = UInt8(clamping: min(31, max(4, cost)))
    }

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`; with no hash (an unknown address, an account without a
    /// password) a dummy hash of the same cost is checked, so the answer takes as long either way.
    public func verify(_ password: String, hash: String?) async throws -> Bool {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive {
            guard let hash else {
                _ = Bcrypt.verify(password, hash: Self.dummyHash(cost: cost))
                return false
            }
            return Bcrypt.verify(password, hash: hash)
        }
    }

    /// A hash of nothing anyone can type, at this cost (made once per process and cost, on the
    /// blocking pool like every other hash).
    private static func dummyHash(cost: UInt8) -> String {
        dummies.withLock { dummies in
            if let hash = dummies[cost] { return hash }
            let hash = Bcrypt.hash(UUID().uuidString, cost: cost)
            dummies[cost] = hash
            return hash
        }
    }

    private static let dummies = Mutex<[UInt8: String]>([:])
}
