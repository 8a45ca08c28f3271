import CertWatchCore
import Foundation
import SQLKit

/// Certificate requests and the links emailed for them. The database keeps one open request per
/// supplier and kind (a partial unique index); each email carries a link of its own, a
/// `OneTimeToken` stored as its hash, that works while one of its requests is open.
public struct CertificateRequestStore: Sendable {
    /// An automatic request was already made for this governing date.
    public struct AlreadyAsked: Error, Equatable {
        public var autoKey: String
    }

    /// A request of this kind is already open for the supplier.
    public struct AlreadyOpen: Error, Equatable, CustomStringConvertible {
        public var kind: DocumentKind
        public var requestId: String
        public var description: String { "a request for the \(kind.words) is already open (\(requestId)); withdraw it first" }
    }

    /// What a link opens: its supplier and the requests it asked for that are still open.
    public struct Link: Sendable, Equatable {
        public var supplierId: String
        public var requests: [CertificateRequest]
    }

    public enum Lookup: Sendable, Equatable {
        case open(Link)
        /// The link was real but works no more: every request it asked for is answered,
        /// withdrawn or expired (the state of the latest one).
        case closed(CertificateRequest.State)
        case unknown
    }

    let database: Database
    let now: @Sendable () -> Date

    public init(database: Database, now: @escaping @Sendable () -> Date = { Date() }) {
        self.database = database
        self.now = now
    }

    /// Opens one request per kind for the supplier with a link for them, all or none, and
    /// returns the link's token (returned once, never stored). A request of a kind that is open
    /// throws `AlreadyOpen`; open ones past their time are marked expired first.
    public func open(supplierId: String, kinds: [DocumentKind], recipients: [String], origin: CertificateRequest.Origin,
                     by requestedBy: String, lifetime: Duration, autoKey: String? = nil) async throws -> (requests: [CertificateRequest], token: String) {
        let at = now()
        let expiresAt = at.addingTimeInterval(TimeInterval(lifetime.components.seconds))
        let requests = kinds.map {
            CertificateRequest(id: RecordID.make(), supplierId: supplierId, kind: $0, state: .open, origin: origin,
                               recipients: recipients, requestedBy: requestedBy, createdAt: at, expiresAt: expiresAt)
        }
        do {
            return try await database.transaction { db in
                try await expire(on: db, supplierId: supplierId, at: at)
                try await refuseOpen(kinds, supplierId: supplierId, on: db)
                for request in requests {
                    try await db.insert(into: "certificate_requests")
                        .columns("id", "supplier_id", "kind", "state", "origin", "auto_key", "recipients", "requested_by",
                                 "created_at", "expires_at", "emails_sent")
                        .values(request.id, supplierId, request.kind.rawValue, request.state.rawValue, origin.rawValue, autoKey,
                                JSONText.encode(recipients), requestedBy, Timestamp.format(at), Timestamp.format(expiresAt), 0)
                        .run()
                }
                return (requests, try await insertLink(for: requests, on: db))
            }
        } catch let error as AlreadyOpen {
            throw error
        } catch {
            // Another replica opened one between our check and insert, or an automatic request
            // for this date was made before: a unique index refused it.
            try await database.withConnection { db in
                try await refuseOpen(kinds, supplierId: supplierId, on: db)
                try await refuseAsked(autoKey, on: db)
            }
            throw error
        }
    }

    private func refuseAsked(_ autoKey: String?, on db: any SQLDatabase) async throws {
        guard let autoKey else { return }
        let asked = try await db.select().column("id").from("certificate_requests").where("auto_key", .equal, autoKey).first()
        if asked != nil { throw AlreadyAsked(autoKey: autoKey) }
    }

    private func refuseOpen(_ kinds: [DocumentKind], supplierId: String, on db: any SQLDatabase) async throws {
        let open = try await db.select().columns("id", "kind").from("certificate_requests")
            .where("supplier_id", .equal, supplierId).where("state", .equal, CertificateRequest.State.open.rawValue).all()
        for row in open {
            let kind = try row.decode(column: "kind", as: String.self)
            if let taken = kinds.first(where: { $0.rawValue == kind }) {
                throw AlreadyOpen(kind: taken, requestId: try row.decode(column: "id", as: String.self))
            }
        }
    }

    /// A new link for these open requests of one supplier (each reminder has its own), working
    /// until the last of them expires; the token is returned once and not stored.
    public func issueLink(for requests: [CertificateRequest]) async throws -> String {
        try await database.withConnection { try await insertLink(for: requests, on: $0) }
    }

    private func insertLink(for requests: [CertificateRequest], on db: any SQLDatabase) async throws -> String {
        guard let supplierId = requests.first?.supplierId, let expiresAt = requests.map(\.expiresAt).max() else {
            throw StoreError.notFound("certificate requests for a link")
        }
        let token = OneTimeToken.make()
        try await db.insert(into: "certificate_request_links")
            .columns("token_hash", "supplier_id", "request_ids", "created_at", "expires_at")
            .values(OneTimeToken.hash(token), supplierId, JSONText.encode(requests.map(\.id)), Timestamp.format(now()),
                    Timestamp.format(expiresAt))
            .run()
        return token
    }

    /// What stands for a link where it is counted (upload limits): the hash its row is kept by,
    /// so no table holds a token.
    public static func linkKey(_ token: String) -> String {
        OneTimeToken.hash(token)
    }

    /// Forgets a link whose email was never delivered.
    public func deleteLink(token: String) async throws {
        try await database.withConnection { db in
            try await db.delete(from: "certificate_request_links").where("token_hash", .equal, OneTimeToken.hash(token)).run()
        }
    }

    /// Counts an email sent for a request and sets when its next one is due (nil: none).
    public func recordEmail(requestId: String, nextEmailAt: Date?) async throws {
        let next: String? = nextEmailAt.map { Timestamp.format($0) }
        try await database.withConnection { db in
            try await db.update("certificate_requests").set("emails_sent", to: SQLRaw("emails_sent + 1"))
                .set("next_email_at", to: next).where("id", .equal, requestId).run()
        }
    }

    /// Makes the first email of these requests due at `date` (an automatic request's goes with the reminders).
    public func scheduleFirstEmail(requestIds: [String], at date: Date) async throws {
        let at = Timestamp.format(date)
        try await database.withConnection { db in
            try await db.update("certificate_requests").set("next_email_at", to: at).where("id", .in, requestIds).run()
        }
    }

    /// Open requests whose next email is due at `date`, oldest first.
    public func due(at date: Date, limit: Int = 500) async throws -> [CertificateRequest] {
        let at = Timestamp.format(date)
        let open = CertificateRequest.State.open.rawValue
        return try await database.withConnection { db in
            let rows = try await db.select().columns(Self.columns).from("certificate_requests").where("state", .equal, open)
                .where("next_email_at", .lessThanOrEqual, at).where("expires_at", .greaterThan, at)
                .orderBy("next_email_at").limit(limit).all()
            return try rows.map(Self.request)
        }
    }

    /// Takes a due email for this process: its next email moves to `retryAt` (when it is tried
    /// again if this one fails) only while it is still due at `date`, so of two replicas one sends it.
    public func claimEmail(requestId: String, at date: Date, retryAt: Date) async throws -> Bool {
        let at = Timestamp.format(date), retry = Timestamp.format(retryAt), open = CertificateRequest.State.open.rawValue
        return try await database.withConnection { db in
            let claimed = try await db.update("certificate_requests").set("next_email_at", to: retry)
                .where("id", .equal, requestId).where("state", .equal, open).where("next_email_at", .lessThanOrEqual, at)
                .returning("id").first()
            return claimed != nil
        }
    }

    /// Marks every open request past its time expired and returns them.
    public func expireDue() async throws -> [CertificateRequest] {
        let at = Timestamp.format(now())
        return try await database.transaction { db in
            let rows = try await db.update("certificate_requests").set("state", to: CertificateRequest.State.expired.rawValue)
                .set("closed_at", to: SQLColumn("expires_at")).set("closed_by", to: "certwatch").set("next_email_at", to: SQLLiteral.null)
                .where("state", .equal, CertificateRequest.State.open.rawValue).where("expires_at", .lessThanOrEqual, at)
                .returning("id").all()
            let ids = try rows.map { try $0.decode(column: "id", as: String.self) }
            var expired: [CertificateRequest] = []
            for chunk in ids.chunked(SupplierWriter.rowsPerStatement) { expired += try await Self.requests(on: db, ids: chunk) }
            return expired
        }
    }

    /// What `token` opens. A malformed token is refused before the database. The lookup compares
    /// the token's SHA-256, never the token, so its timing says nothing about the token; the
    /// stored digest is compared once more in constant time, so no comparison here of values
    /// derived from the secret stops where they first differ.
    public func link(token: String) async throws -> Lookup {
        guard OneTimeToken.wellFormed(token) else { return .unknown }
        let hash = OneTimeToken.hash(token)
        return try await database.withConnection { db in
            guard let row = try await db.select().columns("token_hash", "supplier_id", "request_ids", "expires_at")
                .from("certificate_request_links").where("token_hash", .equal, hash).first(),
                  ConstantTime.equal(try row.decode(column: "token_hash", as: String.self), hash)
            else { return .unknown }
            let ids = try JSONText.decode([String].self, from: row.decode(column: "request_ids", as: String.self))
            let requests = try await Self.requests(on: db, ids: ids)
            let at = now()
            let open = requests.filter { $0.isOpen(at: at) }
            guard open.isEmpty else {
                return .open(Link(supplierId: try row.decode(column: "supplier_id", as: String.self), requests: open))
            }
            let latest = requests.max { ($0.closedAt ?? $0.expiresAt) < ($1.closedAt ?? $1.expiresAt) }
            return .closed(latest.map { $0.state == .open ? .expired : $0.state } ?? .withdrawn)
        }
    }

    /// Marks the request answered by `documentId`, in the caller's transaction; false when it
    /// was no longer open (of two uploads, one wins).
    public func answer(requestId: String, documentId: String, by: String, in db: any SQLDatabase) async throws -> Bool {
        let at = Timestamp.format(now())
        return try await db.update("certificate_requests")
            .set("state", to: CertificateRequest.State.answered.rawValue).set("closed_at", to: at).set("closed_by", to: by)
            .set("document_id", to: documentId).set("next_email_at", to: SQLLiteral.null)
            .where("id", .equal, requestId).where("state", .equal, CertificateRequest.State.open.rawValue)
            .where("expires_at", .greaterThan, at)
            .returning("id").first() != nil
    }

    /// Closes an open request without an answer (withdrawn by staff, or `unsent` when its email
    /// failed); nil when it is unknown or no longer open.
    public func close(id: String, as state: CertificateRequest.State = .withdrawn, by: String) async throws -> CertificateRequest? {
        try await database.transaction { db in
            let updated = try await db.update("certificate_requests")
                .set("state", to: state.rawValue).set("closed_at", to: Timestamp.format(now())).set("closed_by", to: by)
                .set("next_email_at", to: SQLLiteral.null)
                .where("id", .equal, id).where("state", .equal, CertificateRequest.State.open.rawValue)
                .returning("id").first()
            guard updated != nil else { return nil }
            return try await Self.requests(on: db, ids: [id]).first
        }
    }

    public func get(id: String) async throws -> CertificateRequest? {
        try await database.withConnection { try await Self.requests(on: $0, ids: [id]).first }
    }

    /// A supplier's requests, newest first, with those past their time shown expired.
    public func list(supplierId: String, limit: Int = 100) async throws -> [CertificateRequest] {
        try await database.transaction { db in
            try await expire(on: db, supplierId: supplierId, at: now())
            return try await db.select().columns(Self.columns).from("certificate_requests").where("supplier_id", .equal, supplierId)
                .orderBy("created_at", .descending).orderBy("id", .descending).limit(max(1, min(limit, 1_000))).all().map(Self.request)
        }
    }

    /// For the dashboard: the requests still open (oldest first), then those answered since
    /// `answeredSince` (newest first), each with its supplier's name (nil once deleted).
    public func openAndRecent(answeredSince: Date, limit: Int = 50) async throws -> [(request: CertificateRequest, supplierName: String?)] {
        let at = Timestamp.format(now())
        let columns = Self.columns.map { "r." + $0 }.joined(separator: ", ")
        return try await database.withConnection { db in
            let open = try await db.raw("""
                SELECT \(unsafeRaw: columns), s.name AS supplier_name FROM certificate_requests r LEFT JOIN suppliers s ON s.id = r.supplier_id
                WHERE r.state = 'open' AND r.expires_at > \(bind: at) ORDER BY r.created_at, r.id LIMIT \(bind: limit)
                """).all()
            let answered = try await db.raw("""
                SELECT \(unsafeRaw: columns), s.name AS supplier_name FROM certificate_requests r LEFT JOIN suppliers s ON s.id = r.supplier_id
                WHERE r.state = 'answered' AND r.closed_at >= \(bind: Timestamp.format(answeredSince))
                ORDER BY r.closed_at DESC, r.id DESC LIMIT \(bind: limit)
                """).all()
            return try (open + answered).map { row in
                (try Self.request(row), try row.decode(column: "supplier_name", as: String?.self))
            }
        }
    }

    /// Marks the supplier's open requests past their time expired.
    private func expire(on db: any SQLDatabase, supplierId: String, at: Date) async throws {
        let text = Timestamp.format(at)
        try await db.update("certificate_requests").set("state", to: CertificateRequest.State.expired.rawValue)
            .set("closed_at", to: SQLColumn("expires_at")).set("closed_by", to: "certwatch").set("next_email_at", to: SQLLiteral.null)
            .where("supplier_id", .equal, supplierId).where("state", .equal, CertificateRequest.State.open.rawValue)
            .where("expires_at", .lessThanOrEqual, text).run()
    }

    static let columns = ["id", "supplier_id", "kind", "state", "origin", "recipients", "requested_by", "created_at", "expires_at",
                          "emails_sent", "next_email_at", "closed_at", "closed_by", "document_id"]

    private static func requests(on db: any SQLDatabase, ids: [String]) async throws -> [CertificateRequest] {
        guard !ids.isEmpty else { return [] }
        return try await db.select().columns(columns).from("certificate_requests").where("id", .in, ids)
            .orderBy("created_at").orderBy("id").all().map(request)
    }

    private static func request(_ row: any SQLRow) throws -> CertificateRequest {
        let table = "certificate_requests"
        func decoded<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T where T.RawValue == String {
            let text = try row.decode(column: column, as: String.self)
            guard let value = T(rawValue: text) else { throw CorruptRow(column: "\(table).\(column)", value: text) }
            return value
        }
        // A column a statement: one initializer call over all of them is slow to type-check.
        var request = CertificateRequest(
            id: try row.decode(column: "id", as: String.self), supplierId: try row.decode(column: "supplier_id", as: String.self),
            kind: try decoded("kind", as: DocumentKind.self), state: try decoded("state", as: CertificateRequest.State.self),
            origin: try decoded("origin", as: CertificateRequest.Origin.self), recipients: [], requestedBy: "",
            createdAt: try Timestamp.decode(row, "created_at", table: table), expiresAt: try Timestamp.decode(row, "expires_at", table: table))
        request.recipients = try JSONText.decode([String].self, from: row.decode(column: "recipients", as: String.self))
        request.requestedBy = try row.decode(column: "requested_by", as: String.self)
        request.emailsSent = try row.decode(column: "emails_sent", as: Int.self)
        request.nextEmailAt = try Timestamp.decodeIfPresent(row, "next_email_at", table: table)
        request.closedAt = try Timestamp.decodeIfPresent(row, "closed_at", table: table)
        request.closedBy = try row.decode(column: "closed_by", as: String?.self)
        request.documentId = try row.decode(column: "document_id", as: String?.self)
        return request
    }
}
