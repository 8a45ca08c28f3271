import CertWatchFuzzTargets
import Foundation
import Testing

/// Every seed of the fuzzers' corpora and every input a fuzzer ever crashed on (`Fuzz/`) runs
/// through its target on every test run: a crash found once stays fixed (a crash here ends the
/// test process, so the suite fails). Longer fuzzing: scripts/fuzz.sh TARGET SECONDS.
@Suite struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    @Test(arguments: FuzzTarget.allCases)
    func everySeedAndEveryCrashFoundRunsThrough(_ target: FuzzTarget) throws {
        var inputs = 0
        for folder in ["corpus", "regressions"] {
            let directory = Self.root.appendingPathComponent(folder).appendingPathComponent(target.rawValue)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] {
                target.run(Array(try Data(contentsOf: directory.appendingPathComponent(name))))
                inputs += 1
            }
        }
        #expect(inputs > 0, "every target has a seed corpus in Fuzz/corpus/\(target.rawValue)")
    }
}
