import CertWatchCore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Streams INTEGRITY's bulk XML (`<Operation>` records, then `<Item>` records, each field a child
/// element named as in the data dictionary) and keeps only the wanted operations, turned into
/// compact values as soon as each record ends, so memory grows with the registry, not the file.
///
/// The schema is checked on the first operation: if a required field is absent, the file has
/// changed shape and the whole answer is refused.
///
/// With `knownDigests`, each wanted operation's record is hashed as it streams; once its items
/// are read (the file lists an operation's items together) an operation that hashes to its known
/// digest is reported as unchanged and dropped unread, so a quiet night parses and holds next
/// to nothing. Until then (the file lists every operation before any item) such an operation
/// waits as its digest bytes, which cost less memory than its fields and no parsing.
///
/// Item and variety lists repeat across thousands of operations ("Corn", "Hay"): each distinct
/// list is kept once and shared, which is most of the memory a first verification needs.
final class BulkXMLReader: NSObject, XMLParserDelegate {
    struct Result {
        var operations: [NOPOperationID: Swift.Result<IntegrityOperation, IntegrityFormatError>]
        var directory: [IntegrityDirectoryEntry]
        var unchanged: [NOPOperationID: String]
        var recordDigests: [NOPOperationID: String]
        /// False when an operation's items were not listed together: its digest came too early.
        var itemsGrouped: Bool
        /// Every listed operation's statuses, wanted or not.
        var census: StatusCensus
    }

    private let wanted: Set<NOPOperationID>
    private let knownDigests: [NOPOperationID: String]
    private var digests: [NOPOperationID: RecordDigest] = [:]
    private var recordDigests: [NOPOperationID: String] = [:]
    private var unchanged: [NOPOperationID: String] = [:]
    /// Operations with a known digest, as their digest bytes, and their items' fields, held until
    /// the digest says whether to read them.
    private var unreadOperations: [NOPOperationID: [UInt8]] = [:]
    private var unreadItems: [NOPOperationID: [[String: String]]] = [:]
    /// One shared copy of each distinct item or variety list.
    private var lists: Set<[String]> = []
    private var itemsGrouped = true
    /// Wanted operations read so far, kept apart from the unreadable ones so items are appended
    /// in place (a `Result` would have to be copied out and back for every item).
    private var kept: [NOPOperationID: IntegrityOperation] = [:]
    private var unreadable: [NOPOperationID: IntegrityFormatError] = [:]
    /// The operation the previous item belonged to: the file lists an operation's items together.
    private var lastItemOwner: NOPOperationID?
    private var record: [String: String]?
    private var recordKind: String?
    private var field: String?
    /// The current record's fields in document order, as its digest reads them.
    private var recordBytes: [UInt8] = []
    private var text = ""
    private var directory: [IntegrityDirectoryEntry] = []
    private var census = StatusCensus()
    private var operationCount = 0
    private var itemCount = 0
    private(set) var schemaProblem: String?

    init(wanted: Set<NOPOperationID>, knownDigests: [NOPOperationID: String] = [:]) {
        self.wanted = wanted
        self.knownDigests = knownDigests
    }

    /// Parses the XML file at `url`; throws with the parser's message for malformed XML.
    func read(_ url: URL) throws -> Result {
        do { try XMLSafety.checkFile(url) } catch { throw ReadFailure(message: "\(error)") }
        guard let stream = InputStream(url: url) else { throw ReadFailure(message: "cannot open \(url.path)") }
        let parser = XMLParser(stream: stream)
        parser.delegate = self
        parser.shouldProcessNamespaces = false
        let ok = parser.parse()
        if let schemaProblem { throw ReadFailure(message: schemaProblem) }
        guard ok else {
            let message = parser.parserError.map { "\($0.localizedDescription)" } ?? "unknown error"
            throw ReadFailure(message: "the XML is malformed at line \(parser.lineNumber): \(message)")
        }
        guard operationCount > 0 else { throw ReadFailure(message: "the file lists no <Operation> records") }
        for id in Array(digests.keys) { finishDigest(of: id) }
        var operations = kept.mapValues { Swift.Result<IntegrityOperation, IntegrityFormatError>.success($0) }
        for (id, error) in unreadable { operations[id] = .failure(error) }
        return Result(operations: operations, directory: directory, unchanged: unchanged, recordDigests: itemsGrouped ? recordDigests : [:],
                      itemsGrouped: itemsGrouped, census: census)
    }

    struct ReadFailure: Error { var message: String }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "Operation" || name == "Item" {
            record = Dictionary(minimumCapacity: 40)
            recordBytes.removeAll(keepingCapacity: true)
            recordKind = name
        } else if record != nil {
            field = name
            text = ""
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if field != nil { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == recordKind, let finished = record {
            finish(finished, kind: name, parser: parser)
            record = nil
            recordKind = nil
        } else if let current = field, current == name {
            record?[current] = text
            if !wanted.isEmpty { RecordDigest.append(field: current, value: text, to: &recordBytes) }
            field = nil
        }
    }

    private func finish(_ fields: [String: String], kind: String, parser: XMLParser) {
        if kind == "Operation" {
            operationCount += 1
            if operationCount == 1, let missing = IntegrityRecord.requiredOperationFields.first(where: { fields[$0] == nil }) {
                schemaProblem = "the first <Operation> has no <\(missing)>: the export format has changed"
                parser.abortParsing()
                return
            }
            if let entry = IntegrityDirectoryEntry(fields: fields) { directory.append(entry) }
            census.count(fields)
            if let id = fields["op_nopOpID"].flatMap(NOPOperationID.init), wanted.contains(id) {
                var digest = RecordDigest()
                digest.add(UInt8(ascii: "O"), recordBytes)
                digests[id] = digest
                if knownDigests[id] != nil {
                    // An exact-size copy: `recordBytes` keeps its buffer for the next record.
                    unreadOperations[id] = recordBytes.withUnsafeBufferPointer { Array($0) }
                } else {
                    read(fields, id: id)
                }
            }
        } else {
            itemCount += 1
            if itemCount == 1, let missing = IntegrityRecord.requiredItemFields.first(where: { fields[$0] == nil }) {
                schemaProblem = "the first <Item> has no <\(missing)>: the export format has changed"
                parser.abortParsing()
                return
            }
            guard let id = fields["ci_nopOpID"].flatMap(NOPOperationID.init), wanted.contains(id) else { return }
            if id != lastItemOwner {
                if let previous = lastItemOwner { finishDigest(of: previous) }
                lastItemOwner = id
            }
            if digests[id] == nil, kept[id] != nil || unchanged[id] != nil { itemsGrouped = false }
            guard kept[id] != nil || unreadOperations[id] != nil else { return }
            digests[id]?.add(UInt8(ascii: "I"), recordBytes)
            if unreadOperations[id] != nil {
                // Most of these will hash as before: read the item only if the operation changed.
                unreadItems[id, default: []].append(fields)
            } else {
                appendItem(fields, to: id)
            }
        }
    }

    /// Called once an operation's items are all read: records its digest, drops its values when
    /// the digest is the known one, else drops the spare capacity appending left in its item
    /// list (over a million items the slack adds up).
    private func finishDigest(of id: NOPOperationID) {
        guard let digest = digests.removeValue(forKey: id)?.finalize() else { return }
        recordDigests[id] = digest
        let pending = unreadItems.removeValue(forKey: id) ?? []
        if let bytes = unreadOperations.removeValue(forKey: id) {
            if knownDigests[id] == digest {
                // The same bytes as at the last success, when this status read as a known one.
                let status = RecordDigest.value(of: "op_status", in: bytes)?.trimmingWhitespace() ?? ""
                unchanged[id] = CertificationStatus(codeOrText: status)?.text ?? status
                return
            }
            read(RecordDigest.fields(in: bytes), id: id)
        }
        for fields in pending { appendItem(fields, to: id) }
        if let items = kept[id]?.items, items.capacity > items.count {
            kept[id]!.items = items.withUnsafeBufferPointer { Array($0) }
        }
    }

    private func read(_ fields: [String: String], id: NOPOperationID) {
        do {
            kept[id] = try IntegrityRecord.operation(fields, items: [])
        } catch {
            digests[id] = nil
            unreadable[id] = error
        }
    }

    private func appendItem(_ fields: [String: String], to id: NOPOperationID) {
        guard kept[id] != nil else { return }
        do {
            var item = try IntegrityRecord.item(fields, id: id)
            item.items = shared(item.items)
            item.varieties = shared(item.varieties)
            kept[id]!.items.append(item)
        } catch {
            kept[id] = nil
            digests[id] = nil
            unreadable[id] = error
        }
    }

    private func shared(_ list: [String]) -> [String] {
        if list.isEmpty { return list }
        if let known = lists.firstIndex(of: list) { return lists[known] }
        lists.insert(list)
        return list
    }
}
