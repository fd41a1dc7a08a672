#!/usr/bin/env bash
# Fuzzes Coach's parsers with libFuzzer.
#
#   scripts/fuzz.sh build                 build every fuzz target (release, fuzzer + address sanitizers)
#   scripts/fuzz.sh TARGET SECONDS [ARGS] fuzz one target for SECONDS (ARGS go to libFuzzer)
#   scripts/fuzz.sh all SECONDS           fuzz each target in turn for SECONDS
#   scripts/fuzz.sh smoke                 `all 30` when this toolchain can build fuzz targets, else skip
#
# TARGET is one of: RuleFiles Expressions Profiles Populations Server.
# The committed seeds are in Fuzz/Corpus/TARGET; what a run adds goes to .build/fuzz-corpus/TARGET,
# crashes, hangs and leaks to .build/fuzz-artifacts/TARGET (each is a file to reproduce with
# `.build/fuzz/release/FuzzTARGET FILE`). Fuzz targets are not part of the normal build: they
# exist only when COACH_FUZZ is set.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(RuleFiles Expressions Profiles Populations Server)
build_path=.build/fuzz
export COACH_FUZZ=1

declare -A dictionary=(
    [RuleFiles]=rules [Expressions]=expressions [Profiles]=profiles [Populations]=populations [Server]=server
)

build() {
    for target in "${targets[@]}"; do
        swift build -c release --build-path "$build_path" \
            --sanitize address \
            -Xswiftc -enable-testing -Xswiftc -sanitize-coverage=edge,indirect-calls,trace-cmp,inline-8bit-counters,pc-table \
            --product "Fuzz$target"
    done
}

run() {
    local target=$1 seconds=$2
    shift 2
    local binary="$build_path/release/Fuzz$target"
    [[ -x $binary ]] || build
    local corpus=.build/fuzz-corpus/$target artifacts=.build/fuzz-artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    echo "== Fuzz$target for ${seconds}s"
    # New inputs go to the first folder; the committed seeds are read from the second.
    "$binary" "$corpus" "Fuzz/Corpus/$target" \
        -dict="Fuzz/Dictionaries/${dictionary[$target]}.dict" \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 "$@"
}

case "${1:-}" in
build) build ;;
all)
    for target in "${targets[@]}"; do run "$target" "${2:?seconds}"; done
    ;;
smoke)
    # Fuzzing needs a toolchain with libFuzzer (the swift.org Linux toolchains have it).
    if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
        clang -x c -fsanitize=fuzzer -o /tmp/coach-fuzz-probe - >/dev/null 2>&1; then
        echo "fuzz smoke skipped: this toolchain has no libFuzzer"
        exit 0
    fi
    build
    for target in "${targets[@]}"; do run "$target" 30; done
    ;;
RuleFiles | Expressions | Profiles | Populations | Server)
    run "$1" "${2:?seconds}" "${@:3}"
    ;;
*)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 64
    ;;
esac
