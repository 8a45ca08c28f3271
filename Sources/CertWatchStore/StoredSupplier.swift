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
    /// How a list is ordered; the cursor of one order is not valid for the other.
    public enum Order: String, Sendable, CaseIterable {
        case name
        /// The governing date (valid-to, else anniversary), soonest first; suppliers without one last.
        case governingDate = "date"
    }

    /// A status code (`suspended`); `none` lists suppliers without a certificate.
    public var status: String?
    /// Matched case-insensitively against name, other names, NOP operation ID and certifier.
    public var text: String?
    public var tag: String?
    /// Suppliers whose certificate covers this scope.
    public var scope: Scope?
    /// Part of the certifier's name, any case.
    public var certifier: String?
    /// Part of the country's name, any case.
    public var country: String?
    /// Certified suppliers whose governing date is on or before this day.
    public var lapsingThrough: CalendarDate?
    public var order: Order
    public var limit: Int
    /// The opaque `nextCursor` of the previous page.
    public var cursor: String?

    public static let maxLimit = 500

    public init(status: String? = nil, text: String? = nil, tag: String? = nil, scope: Scope? = nil, certifier: String? = nil,
                country: String? = nil, lapsingThrough: CalendarDate? = nil, order: Order = .name, limit: Int = 50, cursor: String? = nil) {
        self.status = status
        self.text = text
        self.tag = tag
        self.scope = scope
        self.certifier = certifier
        self.country = country
        self.lapsingThrough = lapsingThrough
        self.order = order
        self.limit = limit
        self.cursor = cursor
    }
}

public struct SupplierPage: Sendable, Equatable {
    public var items: [StoredSupplier]
    /// Pass back as `cursor` for the next page; nil on the last page.
    public var nextCursor: String?
}
