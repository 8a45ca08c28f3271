import CertWatchFuzzTargets
import Foundation

/// The fuzzer's target, from `CERTWATCH_FUZZ_TARGET` (one of `FuzzTarget`'s names).
let selected: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["CERTWATCH_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("CERTWATCH_FUZZ_TARGET must be one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    return target
}()

#if FUZZING
import CFuzzDriver

/// The process's entry point (SwiftPM links `main` to this name): libFuzzer's driver, with the
/// command line libFuzzer takes (corpus folders, -max_total_time, …).
@_cdecl("certwatch_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}

/// libFuzzer's entry point (built with `-sanitize=fuzzer -DFUZZING`, see scripts/fuzz.sh).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
#else
/// Without the fuzzer: replays the files given, as a crash's reproducer does.
@main enum Replay {
    static func main() throws {
        for path in CommandLine.arguments.dropFirst() {
            selected.run(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        }
    }
}
#endif
