#!/usr/bin/env bash
# Builds the fuzz binary with `swiftc -sanitize=fuzzer` and runs one target with libFuzzer.
#
#   Tests/Fuzz/run.sh TARGET SECONDS [libFuzzer options…]
#
# TARGET is json-reader, client-frame or server-frames (see FuzzTarget.swift); the inputs
# it keeps go to Tests/Fuzz/corpus/TARGET, and a crashing input to .build/fuzz/crashes.
# SwiftPM can only sanitize a whole build (`--sanitize fuzzer` instruments every target
# and rebuilds them all, and its executables bring their own `main`), so this script
# compiles PythiaProtocol and the targets with swiftc, instrumented, and links them with
# the uninstrumented SwiftNIO modules of the package's release build.
#
# Environment: FUZZ_MERGE=1 shrinks the target's corpus after the run to the hand-written
# seeds and a small set of inputs that covers the same edges (libFuzzer -set_cover_merge=1).
set -euo pipefail

targets="json-reader client-frame server-frames"
if [[ $# -lt 2 ]] || [[ " $targets " != *" $1 "* ]] || ! [[ $2 =~ ^[0-9]+$ ]]; then
    echo "usage: $0 TARGET SECONDS [libFuzzer options…]   (TARGET: ${targets// /, })" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=.build/fuzz
mkdir -p "$out/crashes" "Tests/Fuzz/corpus/$target"

# The SwiftNIO modules the server-frames target drives, built as the package builds them.
for module in NIOWebSocket; do
    swift build -c release --target "$module" >"$out/swift-build.log" 2>&1 ||
        { cat "$out/swift-build.log" >&2; exit 1; }
done
bin=$(swift build -c release --show-bin-path)

# The flags of Package.swift's swiftSettings, plus the fuzzer's instrumentation.
flags=(-sanitize=fuzzer -O -wmo -parse-as-library -swift-version 6
    -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
    -enable-upcoming-feature InternalImportsByDefault)
# The C modules that SwiftNIO's Swift modules import.
clang=()
for map in "$bin"/*.build/module.modulemap .build/checkouts/*/Sources/*/include/module.modulemap; do
    [[ -f $map ]] && clang+=(-Xcc "-fmodule-map-file=$map")
done
for include in .build/checkouts/*/Sources/*/include; do
    clang+=(-Xcc -I -Xcc "$include")
done

binary=$out/pythia-fuzz
# The server's reader of a client's frames (server-frames), compiled in with the targets.
reader=Sources/PythiaServer/Realtime/ClientMessageReader.swift
stale=$(find Sources/PythiaProtocol Tests/PythiaProtocolTests/Fuzzing Tests/Fuzz "$reader" -name '*.swift' -newer "$binary" 2>/dev/null || true)
if [[ ! -x $binary || -n $stale || $0 -nt $binary ]]; then
    echo "building $binary" >&2
    swiftc "${flags[@]}" -module-name PythiaProtocol -emit-module -emit-module-path "$out/PythiaProtocol.swiftmodule" \
        -c $(find Sources/PythiaProtocol -name '*.swift') -o "$out/PythiaProtocol.o"
    swiftc "${flags[@]}" -D PYTHIA_FUZZ -module-name PythiaFuzz -I "$out" -I "$bin/Modules" "${clang[@]}" \
        -c Tests/PythiaProtocolTests/Fuzzing/*.swift "$reader" Tests/Fuzz/FuzzMain.swift -o "$out/PythiaFuzz.o"
    # SwiftNIO's objects (Swift and C) that those modules need, uninstrumented.
    objects=()
    for module in NIOCore NIOWebSocket NIOHTTP1 NIOConcurrencyHelpers _NIODataStructures \
        _NIOBase64 DequeModule ContainersPreview InternalCollectionsUtilities Atomics _AtomicsShims \
        CNIOLinux CNIODarwin CNIOWindows CNIOWASI CNIOOpenBSD CNIOFreeBSD CNIOSHA1 CNIOLLHTTP CNIOAtomics; do
        while IFS= read -r object; do objects+=("$object"); done < <(find "$bin/$module.build" -name '*.o')
    done
    swiftc -sanitize=fuzzer "$out/PythiaProtocol.o" "$out/PythiaFuzz.o" "${objects[@]}" -o "$binary"
fi

corpus=Tests/Fuzz/corpus/$target
# Swift's own crash backtracer would take the signal from libFuzzer, which then keeps no input.
export SWIFT_BACKTRACE=enable=no
PYTHIA_FUZZ_TARGET=$target "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$out/crashes/$target-" -print_final_stats=1 "$@" "$corpus"

if [[ ${FUZZ_MERGE:-0} == 1 ]]; then
    merged=$out/merged-$target
    # The hand-written seeds stay; of the rest, only inputs that add coverage.
    rm -rf "$merged" && mkdir -p "$merged"
    cp "$corpus"/seed-* "$merged"/ 2>/dev/null || true
    # A set cover over edges (no hit counts) keeps far fewer files than a plain -merge=1.
    PYTHIA_FUZZ_TARGET=$target "$binary" -set_cover_merge=1 -use_counters=0 -timeout=10 "$merged" "$corpus"
    rm -f "$corpus"/* && cp "$merged"/* "$corpus"/
    echo "$corpus: $(ls "$corpus" | wc -l) files after merge" >&2
fi
