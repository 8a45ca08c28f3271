import CertWatchCore

/// How many of an answer's operations carry statuses outside INTEGRITY's data dictionary.
///
/// One such status is data ("Applied; APEDA Certified", 1.9% of a 2022 bulk file): it is
/// recorded as written. A flood of them is not data but a changed contract (renamed statuses):
/// more than `integrity.maxUnknownStatusShare` of the operations, and the whole answer is
/// refused. Every operation the answer lists counts, wanted or not. A small answer (a quiet
/// night's delta) is judged as if it listed `minimumSample` operations, so a handful of real
/// unknown statuses in it is data, not a flood.
public struct StatusCensus: Sendable, Equatable {
    public static let defaultMaxShare = 0.05
    public static let minimumSample = 100

    public private(set) var operations = 0
    /// Each unknown status as written, with how many operations carry it.
    public private(set) var unknown: [String: Int] = [:]
    public private(set) var operationsWithUnknown = 0

    public init() {}

    /// Counts one operation record (`op_…` fields).
    public mutating func count(_ fields: [String: String]) {
        operations += 1
        let statuses = IntegrityRecord.unknownStatuses(in: fields)
        guard !statuses.isEmpty else { return }
        operationsWithUnknown += 1
        for status in Set(statuses) { unknown[status, default: 0] += 1 }
    }

    /// Why the answer must be refused, or nil when its unknown statuses are few enough to be data.
    public func flood(maxShare: Double) -> String? {
        let share = Double(operationsWithUnknown) / Double(max(operations, Self.minimumSample))
        guard share > maxShare else { return nil }
        let examples = unknown.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3)
            .map { "\"\($0.key)\" ×\($0.value)" }.joined(separator: ", ")
        return "\(operationsWithUnknown) of \(operations) operations carry statuses outside INTEGRITY's known list (\(examples)), "
            + "more than integrity.maxUnknownStatusShare (\(Self.percent(maxShare))) allows: the answer's vocabulary has changed, so nothing is applied"
    }

    private static func percent(_ share: Double) -> String {
        let value = share * 100
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}

extension IntegrityAnswer {
    /// The answer, or a rejection when its census is a flood.
    func refusingFlood(maxShare: Double) throws(IntegrityAnswerRejected) -> IntegrityAnswer {
        if let reason = census.flood(maxShare: maxShare) {
            throw IntegrityAnswerRejected(source: source, url: url, reason: reason, digest: digest)
        }
        return self
    }
}
