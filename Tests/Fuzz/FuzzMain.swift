// The libFuzzer entry of the fuzz binary that `run.sh` builds: the target is chosen by
// `PYTHIA_FUZZ_TARGET` (a `FuzzTarget` raw value), and a failed check is a crash so that
// libFuzzer keeps the input.
import Foundation

private let target: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["PYTHIA_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("PYTHIA_FUZZ_TARGET must be one of: \(names)\n".utf8))
        exit(2)
    }
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let problems = target.run(Data(bytes: bytes, count: count))
    if let problem = problems.first {
        FileHandle.standardError.write(Data("\(target.rawValue): \(problem)\n".utf8))
        abort()
    }
    return 0
}
