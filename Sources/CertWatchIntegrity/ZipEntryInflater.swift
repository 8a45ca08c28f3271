import CompressNIO
import Foundation
import NIOCore
import ZIPFoundation

/// Inflates one zip entry in a loop that always ends. ZIPFoundation 0.9.20's `Archive.extract`
/// asks for input past the end of the file for ever on a deflate stream zlib neither finishes nor
/// rejects (`Fuzz/known-hangs`), so ZIPFoundation only lists the entries: this finds an entry's
/// stored bytes itself, inflates them with zlib (compress-nio) and checks the result against the
/// directory's size and CRC-32, so a cut or damaged stream is refused, never taken as complete.
struct ZipEntryInflater {
    /// The entry cannot be read as its directory record describes it.
    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    /// Streams `entry` of the zip file at `archive` to `consumer` in chunks of about `chunkSize`
    /// bytes, and never more in all than the directory declares.
    static func inflate(_ entry: Entry, in archive: URL, chunkSize: Int = 64 << 10, _ consumer: (Data) throws -> Void) throws {
        let file = try FileHandle(forReadingFrom: archive)
        defer { try? file.close() }
        let inflater = ZipEntryInflater(file: file, fileSize: try file.seekToEnd(), path: entry.path)
        try inflater.inflate(entry, chunkSize: max(chunkSize, 1), consumer)
    }

    private let file: FileHandle
    private let fileSize: UInt64
    private let path: String

    private func inflate(_ entry: Entry, chunkSize: Int, _ consumer: (Data) throws -> Void) throws {
        // ISO Latin-1 maps each byte to one scalar: this gives back the name's bytes as stored.
        let name = entry.path(using: .isoLatin1).unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
        let (start, method) = try storedBytes(of: entry, name: name)
        let end = start &+ entry.compressedSize  // within the file: checked by storedBytes
        var position = start
        var produced: UInt64 = 0
        var crc: CRC32 = 0
        func nextInput() throws -> [UInt8] {
            let count = Int(min(end - position, UInt64(chunkSize)))
            let bytes = try read(count, at: position)
            position &+= UInt64(count)
            return bytes
        }
        func emit(_ chunk: Data) throws {
            produced &+= UInt64(chunk.count)
            guard produced <= entry.uncompressedSize else {
                throw unreadable("inflates past the \(entry.uncompressedSize) bytes its directory record declares: truncated or corrupt")
            }
            crc = chunk.crc32(checksum: crc)
            try consumer(chunk)
        }
        switch method {
        case 0:  // stored
            while position < end { try emit(Data(try nextInput())) }
        case 8:  // raw deflate
            let zlib = try ZlibDecompressor(algorithm: .deflate, windowSize: 15)
            // Allocated, so never without a base address, which compress-nio needs even when empty.
            var input = ByteBufferAllocator().buffer(capacity: chunkSize)
            var output = ByteBufferAllocator().buffer(capacity: chunkSize)
            // Each pass reads stored bytes (finitely many), or zlib consumes input or produces output
            // (at most the declared size), or the loop stops: so it ends on any input. Once every
            // stored byte is given, passes go on with no input while zlib still has output to give.
            while true {
                if input.readableBytes == 0, position < end {
                    input.clear()
                    input.writeBytes(try nextInput())
                }
                output.clear()
                let before = input.readableBytes
                do {
                    try zlib.inflate(from: &input, to: &output)
                } catch let error as CompressNIOError where error == .bufferOverflow || error == .inputBufferOverflow {
                    // Output full, or more input wanted: the next pass carries on.
                } catch let error as CompressNIOError {
                    throw unreadable("the deflate stream is corrupt (\(error)): truncated or corrupt")
                }
                let progressed = input.readableBytes < before || output.readableBytes > 0
                if output.readableBytes > 0 { try emit(Data(output.readableBytesView)) }
                // zlib stops making progress once the stream has ended (what is left is padding), when
                // it needs input there is none of, or when it cannot go on: stop; size and CRC judge.
                if !progressed { break }
            }
        default:
            throw unreadable("compression method \(method) is not supported")
        }
        guard produced == entry.uncompressedSize, crc == entry.checksum else {
            throw unreadable("""
                inflates to \(produced) bytes (CRC-32 \(String(crc, radix: 16))) where its directory record says \
                \(entry.uncompressedSize) (CRC-32 \(String(entry.checksum, radix: 16))): truncated or corrupt
                """)
        }
    }

    // MARK: Locating the stored bytes

    /// Where the entry's stored bytes start and how they are compressed, once its local header is
    /// found where the directory points and agrees with it.
    private func storedBytes(of entry: Entry, name: [UInt8]) throws -> (start: UInt64, method: Int) {
        let (header, method) = try directoryRecord(of: name, crc: entry.checksum)
        let fixed = try read(30, at: header)
        guard try littleEndian(fixed, 0, 4) == 0x0403_4B50 else { throw unreadable("no local header where the directory points: truncated or corrupt") }
        guard try littleEndian(fixed, 6, 2) & 1 == 0 else { throw unreadable("encrypted entries are not supported") }
        guard try littleEndian(fixed, 8, 2) == method else { throw unreadable("the local header and the directory disagree on the compression method: corrupt") }
        let nameLength = try littleEndian(fixed, 26, 2), extraLength = try littleEndian(fixed, 28, 2)
        guard try read(nameLength, at: header &+ 30) == name else { throw unreadable("the local header names another file: corrupt") }
        let start = header &+ 30 &+ UInt64(nameLength) &+ UInt64(extraLength)  // header < 2^32: no wrap
        guard start <= fileSize, entry.compressedSize <= fileSize - start else {
            throw unreadable("claims \(entry.compressedSize) stored bytes past the end of the file: truncated or corrupt")
        }
        return (start, method)
    }

    /// The local header offset and compression method of the first directory record with this
    /// name and CRC-32 (two entries may share a name). ZIPFoundation keeps them internal, so the
    /// central directory is walked here; ZIP64 archives are refused.
    private func directoryRecord(of name: [UInt8], crc: CRC32) throws -> (localHeader: UInt64, method: Int) {
        let tailLength = Int(min(fileSize, 22 + 0xFFFF))  // the end record, and a comment of at most 64 KiB
        let tail = try read(tailLength, at: fileSize - UInt64(tailLength))
        // The last end-record signature with room for the record, as ZIPFoundation finds it.
        guard let end = try stride(from: tail.count - 22, through: 0, by: -1).first(where: { try littleEndian(tail, $0, 4) == 0x0605_4B50 }) else {
            throw unreadable("no end of central directory: truncated or corrupt")
        }
        let count = try littleEndian(tail, end &+ 10, 2), size = try littleEndian(tail, end &+ 12, 4), start = try littleEndian(tail, end &+ 16, 4)
        guard count != 0xFFFF, size != 0xFFFF_FFFF, start != 0xFFFF_FFFF else { throw unreadable("ZIP64 archives are not supported") }
        let directory = try read(size, at: UInt64(start))
        var at = 0
        for _ in 0..<count {
            guard try littleEndian(directory, at, 4) == 0x0201_4B50 else { break }
            let nameLength = try littleEndian(directory, at &+ 28, 2)
            if try slice(directory, at &+ 46, nameLength).elementsEqual(name), try littleEndian(directory, at &+ 16, 4) == crc {
                let offset = try littleEndian(directory, at &+ 42, 4)
                guard offset != 0xFFFF_FFFF else { throw unreadable("ZIP64 archives are not supported") }
                return (UInt64(offset), try littleEndian(directory, at &+ 10, 2))
            }
            // Lengths are at most 65 535 each and `at` stays within the directory: no wrap.
            at = at &+ 46 &+ nameLength &+ (try littleEndian(directory, at &+ 30, 2)) &+ (try littleEndian(directory, at &+ 32, 2))
        }
        throw unreadable("not found in the central directory: corrupt")
    }

    // MARK: Bounded reads

    /// Exactly `count` bytes of the file from `offset`, or an error: every read of the file is this one.
    private func read(_ count: Int, at offset: UInt64) throws -> [UInt8] {
        guard count >= 0, offset <= fileSize, UInt64(count) <= fileSize - offset else {
            throw unreadable("reads past the end of the file: truncated or corrupt")
        }
        guard count > 0 else { return [] }
        try file.seek(toOffset: offset)
        guard let data = try file.read(upToCount: count), data.count == count else { throw unreadable("the file ends early: truncated") }
        return [UInt8](data)
    }

    /// `count` bytes of `bytes` from `at`, or an error if they are not all there.
    private func slice(_ bytes: [UInt8], _ at: Int, _ count: Int) throws -> ArraySlice<UInt8> {
        guard at >= 0, count >= 0, bytes.count - at >= count else { throw unreadable("a record runs past its end: corrupt") }
        return bytes[at..<(at &+ count)]
    }

    /// The little-endian unsigned integer of `width` bytes (at most 4) at `at`.
    private func littleEndian(_ bytes: [UInt8], _ at: Int, _ width: Int) throws -> Int {
        try slice(bytes, at, width).reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    private func unreadable(_ reason: String) -> Unreadable {
        Unreadable(description: "\(path): \(reason)")
    }
}
