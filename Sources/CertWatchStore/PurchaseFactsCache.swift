import CertWatchCore
import Synchronization

/// The suppliers and evidence purchase checks read, kept in memory under the registry revision
/// they were read at, so a check costs no supplier reads while nothing changes.
///
/// The gate syncs it with the revision it reads in every check's transaction; any other revision
/// drops everything (a nightly verification changes every supplier's evidence anyway), and
/// suppliers are read back as checks ask for them. See `RegistryRevision`.
final class PurchaseFactsCache: Sendable {
    struct Facts: Sendable {
        let supplier: Supplier
        let evidence: SupplierEvidence
        /// The certificate's items prepared once for every check that reads them.
        let matcher: ProductMatcher

        init(supplier: Supplier, evidence: SupplierEvidence) {
            self.supplier = supplier
            self.evidence = evidence
            matcher = ProductMatcher(items: supplier.certificate?.items ?? [])
        }
    }

    private struct State {
        var revision: Int
        var byId: [String: Facts] = [:]
        var idByNOP: [String: String] = [:]
    }

    /// Past this many suppliers the cache starts again: a bound on memory well above the
    /// registries one process serves.
    static let capacity = 250_000

    private let state = Mutex(State(revision: -1))

    /// Drops everything read under another revision.
    func sync(to revision: Int) {
        state.withLock { state in
            if state.revision != revision { state = State(revision: revision) }
        }
    }

    func facts(id: String) -> Facts? {
        state.withLock { $0.byId[id] }
    }

    func facts(nopOperationId: String) -> Facts? {
        state.withLock { state in state.idByNOP[nopOperationId].flatMap { state.byId[$0] } }
    }

    /// Keeps facts read under `revision`; nothing if the cache has moved on since.
    func insert(_ facts: [Facts], readAt revision: Int) {
        state.withLock { state in
            guard state.revision == revision else { return }
            if state.byId.count + facts.count > Self.capacity { state = State(revision: revision) }
            for entry in facts {
                state.byId[entry.supplier.id] = entry
                if let nop = entry.supplier.nopOperationId { state.idByNOP[nop.rawValue] = entry.supplier.id }
            }
        }
    }
}
