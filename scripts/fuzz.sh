#!/usr/bin/env bash
# Fuzzes Coach's parsers with libFuzzer.
#
#   scripts/fuzz.sh build                 build every fuzz target (release, fuzzer + address sanitizers)
#   scripts/fuzz.sh TARGET SECONDS [ARGS] fuzz one target for SECONDS (ARGS go to libFuzzer)
#   scripts/fuzz.sh all SECONDS           fuzz each target in turn for SECONDS
#   scripts/fuzz.sh smoke                 `all 20` when this toolchain can build fuzz targets, else skip
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

# Coverage for libFuzzer on everything (the fuzz targets themselves add -sanitize=fuzzer, which
# links libFuzzer and its main), and internal APIs visible to the targets.
flags=(--sanitize address -Xswiftc -enable-testing
    -Xswiftc -sanitize-coverage=edge,indirect-calls,trace-cmp,inline-8bit-counters,pc-table)

build() {
    # SwiftPM does not rebuild what is up to date when only flags change: start afresh then.
    if [[ -d $build_path && "$(cat "$build_path/flags" 2>/dev/null)" != "${flags[*]}" ]]; then
        rm -rf "$build_path"
    fi
    for target in "${targets[@]}"; do
        swift build -c release --build-path "$build_path" "${flags[@]}" --product "Fuzz$target"
    done
    echo "${flags[*]}" >"$build_path/flags"
}

run() {
    local target=$1 seconds=$2
    shift 2
    local binary="$build_path/release/Fuzz$target"
    [[ -x $binary ]] || build
    local corpus=.build/fuzz-corpus/$target artifacts=.build/fuzz-artifacts/$target
    mkdir -p "$corpus" "$artifacts"
    echo "== Fuzz$target for ${seconds}s"
    export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0"
    # libFuzzer reports crashes itself; Swift's backtracer would race it (and trip the sanitizer).
    export SWIFT_BACKTRACE=enable=no
    # New inputs go to the first folder; the committed seeds are read from the second. Leak
    # checks after every input that allocates more than it frees would make the service and
    # population targets 5-8 times slower, so the run fuzzes without them and then replays the
    # whole corpus once with them.
    local options=(-dict="Fuzz/Dictionaries/${dictionary[$target]}.dict" -timeout=10 -rss_limit_mb=2048
        -max_len=65536 -artifact_prefix="$artifacts/")
    "$binary" "$corpus" "Fuzz/Corpus/$target" "${options[@]}" -detect_leaks=0 \
        -max_total_time="$seconds" -print_final_stats=1 "$@"
    echo "== Fuzz$target: replaying $(find "$corpus" "Fuzz/Corpus/$target" -type f | wc -l) inputs with leak checks"
    "$binary" "$corpus" "Fuzz/Corpus/$target" "${options[@]}" -detect_leaks=1 -runs=0
}

all() {
    for target in "${targets[@]}"; do run "$target" "$1"; done
}

case "${1:-}" in
build) build ;;
all) all "${2:?seconds}" ;;
smoke)
    # Fuzzing needs a toolchain with libFuzzer (the swift.org Linux toolchains have it).
    if ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
        clang -x c -fsanitize=fuzzer -o /tmp/coach-fuzz-probe - >/dev/null 2>&1; then
        echo "fuzz smoke skipped: this toolchain has no libFuzzer"
        exit 0
    fi
    build
    all 20
    ;;
RuleFiles | Expressions | Profiles | Populations | Server)
    run "$1" "${2:?seconds}" "${@:3}"
    ;;
*)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    exit 64
    ;;
esac
