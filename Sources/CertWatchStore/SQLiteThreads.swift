import NIOCore
import NIOPosix
import Synchronization

/// The blocking threads SQLite connections run on: a set for every open database, never shut down.
///
/// Each connection blocks a thread while it waits for the file's lock (busy_timeout): with fewer
/// threads than connections, the waiters can hold them all and the lock's holder cannot commit.
/// So a database gets a thread for every connection its pool may open, and shares them with no
/// other open database.
///
/// A closed database's set is kept for the next one opened instead of shut down: a connection that
/// a cancelled task hands back after the pool closed is closed then, on these threads, and a
/// stopped pool would refuse that close and leave the connection open. Until such a straggler
/// is done it shares the set with the next database: a server opens one database, so only a
/// process opening many (the tests) can see a waiter of the old one take a thread of the new.
enum SQLiteThreads {
    private static let idle = Mutex<[NIOThreadPool]>([])

    /// A running set of `count` threads, one kept from a closed database when there is one.
    static func take(count: Int) -> NIOThreadPool {
        if let kept = idle.withLock({ sets in sets.firstIndex { $0.numberOfThreads == count }.map { sets.remove(at: $0) } }) {
            return kept
        }
        let threads = NIOThreadPool(numberOfThreads: count)
        threads.start()
        return threads
    }

    /// Keeps a closed database's set for the next database opened.
    static func giveBack(_ threads: NIOThreadPool) {
        idle.withLock { $0.append(threads) }
    }
}
