import CertWatchCore
import Foundation

/// A supplier as the registry holds it, with the bookkeeping the API shows.
public struct StoredSupplier: Sendable, Equatable {
    public var supplier: Supplier
    public var createdAt: Date
    public var updatedAt: Date
}

/// Which suppliers a list shows: all filters are optional and combine with AND.
public struct SupplierQuery: Sendable, Equatable {
    /// A status code (`suspended`); `none` lists suppliers without a certificate.
    public var status: String?
    /// Matched case-insensitively against name, other names and NOP operation ID.
    public var text: String?
    public var tag: String?
    public var limit: Int
    /// The opaque `nextCursor` of the previous page.
    public var cursor: String?

    public static let maxLimit = 500

    public init(status: String? = nil, text: String? = nil, tag: String? = nil, limit: Int = 50, cursor: String? = nil) {
        self.status = status
        self.text = text
        self.tag = tag
        self.limit = limit
        self.cursor = cursor
    }
}

public struct SupplierPage: Sendable, Equatable {
    public var items: [StoredSupplier]
    /// Pass back as `cursor` for the next page; nil on the last page.
    public var nextCursor: String?
}
