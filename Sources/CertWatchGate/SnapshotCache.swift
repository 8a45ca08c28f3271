import CertWatchCore
import CertWatchStore
import Synchronization

/// The supplier snapshots purchase checks are answered from, kept in memory under the registry
/// revision they were read at, so a check costs no supplier reads while nothing changes.
///
/// The gate syncs it with the revision it reads in every batch's transaction; any other revision
/// drops everything (a nightly verification changes every supplier's evidence anyway), and
/// suppliers are read back as checks name them. See `RegistryRevision`.
final class SnapshotCache: Sendable {
    private struct State {
        var revision: Int
        var byId: [String: SupplierSnapshot] = [:]
        var idByNOP: [String: String] = [:]
    }

    /// Past this many suppliers the cache starts again: a bound on memory well above the
    /// registries one process serves.
    static let capacity = 250_000

    private let state = Mutex(State(revision: -1))

    /// Drops everything read under another revision, then reads the current snapshots of the
    /// suppliers named by id or NOP operation ID that it lacks, in one go for the batch.
    func sync(to revision: Int, adding references: [SupplierReference], from reader: SupplierSnapshotReader) async throws {
        state.withLock { state in
            if state.revision != revision { state = State(revision: revision) }
        }
        var ids: Set<String> = []
        var nops: Set<String> = []
        for reference in references where snapshot(reference) == nil {
            switch reference {
            case .id(let id): ids.insert(id)
            case .nopOperationId(let text): if let nop = NOPOperationID(text) { nops.insert(nop.rawValue) }
            case .typed: break
            }
        }
        guard !ids.isEmpty || !nops.isEmpty else { return }
        insert(try await reader.current(ids: ids, nopOperationIds: nops), readAt: revision)
    }

    /// The kept snapshot of the supplier a reference names by id or NOP operation ID.
    func snapshot(_ reference: SupplierReference) -> SupplierSnapshot? {
        state.withLock { state in
            switch reference {
            case .id(let id): state.byId[id]
            case .nopOperationId(let text): NOPOperationID(text).flatMap { state.idByNOP[$0.rawValue] }.flatMap { state.byId[$0] }
            case .typed: nil
            }
        }
    }

    /// Keeps snapshots read under `revision`; nothing if the cache has moved on since.
    private func insert(_ snapshots: [SupplierSnapshot], readAt revision: Int) {
        state.withLock { state in
            guard state.revision == revision else { return }
            if state.byId.count + snapshots.count > Self.capacity { state = State(revision: revision) }
            for snapshot in snapshots {
                state.byId[snapshot.supplier.id] = snapshot
                if let nop = snapshot.supplier.nopOperationId { state.idByNOP[nop.rawValue] = snapshot.supplier.id }
            }
        }
    }
}
