#!/usr/bin/env bash
# The Spark job's local check (docs/spark.md), run by CI:
#   scripts/spark/check.sh [COACH] [ROWS]
# Runs scripts/spark/coach_spark.py in Spark's local mode (local[2], 4 partitions) with the given
# coach binary (default: the debug build) on ROWS generated profiles (default 20,000) and checks:
#   1. a clean CSV population: the merged statistics are byte-identical to one `coach stats` run,
#      the advice part files together to one `coach batch` run, and no record is rejected;
#   2. a JSON Lines population with corrupted rows and blank lines: exactly those rows are
#      reported (record, line, code), in errors.jsonl and the summary, the job still exits 0,
#      and the merged statistics (rejected count included) equal one `coach stats` run;
#   3. a broken rules folder: exit 1 with its file:line:col message and no trace.
# Installs Java 17 (Debian's openjdk-17-jre-headless) and PySpark (PyPI, into a virtual
# environment in a cache folder) when missing; when either cannot be installed it says why and
# exits 0 (skipped). Environment: COACH_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/coach),
# PYSPARK_VERSION (default 4.3.0, the version this was last run with; empty for the newest).
set -euo pipefail
cd "$(dirname "$0")/../.."

coach="${1:-$(swift build --show-bin-path)/coach}"
rows="${2:-20000}"
version="${PYSPARK_VERSION-4.3.0}"
cache="${COACH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coach}"
venv="$cache/pyspark-venv"
job="$PWD/scripts/spark/coach_spark.py"

say() { echo "spark check: $*"; }
skip() { say "SKIPPED: $*"; exit 0; }

java_major() {
    java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}
# Installs are bounded in time, so that CI's step stays within its few minutes.
mkdir -p "$cache"
if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ]; then
    say "installing openjdk-17-jre-headless (Spark 4 needs Java 17 or later)"
    DEBIAN_FRONTEND=noninteractive timeout 150 bash -c \
        'apt-cache show openjdk-17-jre-headless >/dev/null 2>&1 || apt-get update -q
         apt-get install -y -q openjdk-17-jre-headless' >"$cache/java-install.log" 2>&1 || true
    if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ]; then
        skip "Java 17 could not be installed (apt-get install openjdk-17-jre-headless: see $cache/java-install.log)"
    fi
fi
have_pyspark() {
    "$venv/bin/python" -c 'import sys, pyspark; sys.exit(0 if not sys.argv[1] or pyspark.__version__ == sys.argv[1] else 1)' \
        "$version" 2>/dev/null
}
if ! have_pyspark; then
    say "installing PySpark ${version:-(newest)} into $venv"
    if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive timeout 120 apt-get install -y -q python3-venv >/dev/null 2>&1 ||
            skip "python3-venv could not be installed, so PySpark has no virtual environment to go in"
    fi
    rm -rf "$venv"
    if ! { python3 -m venv "$venv" &&
        timeout 240 "$venv/bin/pip" install -q "pyspark${version:+==$version}" >"$cache/pyspark-install.log" 2>&1; }; then
        rm -rf "$venv"
        skip "PySpark could not be installed from PyPI (see $cache/pyspark-install.log)"
    fi
fi
python="$venv/bin/python"
say "$(java -version 2>&1 | head -n 1), PySpark $("$python" -c 'import pyspark; print(pyspark.__version__)'), $("$coach" --version | head -n 1)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { say "FAILED: $*"; exit 1; }
spark() { "$python" "$job" --master 'local[2]' --partitions 4 --coach "$coach" "$@"; }

# 1. A clean population: Spark's results are one coach run's, byte for byte.
"$coach" generate --count "$rows" --seed 20 --output "$work/clean.csv"
"$coach" stats "$work/clean.csv" --format json >"$work/single-stats.json"
"$coach" batch "$work/clean.csv" --output "$work/single-advice.jsonl" 2>/dev/null
spark "$work/clean.csv" "$work/clean-out" --advice >"$work/clean-report.txt" 2>"$work/clean.log" ||
    { cat "$work/clean.log"; fail "the job failed on a clean population"; }
cmp "$work/clean-out/stats.json" "$work/single-stats.json" ||
    fail "merged statistics differ from one coach stats run"
cat "$work/clean-out/advice"/part-* | cmp - "$work/single-advice.jsonl" ||
    fail "the advice part files differ from one coach batch run"
[ ! -s "$work/clean-out/errors.jsonl" ] || fail "records of a clean population were rejected"
say "clean: $rows rows in $(ls "$work/clean-out/advice" | grep -c '^part-') partitions: stats.json ($(wc -c <"$work/clean-out/stats.json") bytes) and advice ($(wc -c <"$work/single-advice.jsonl") bytes) byte-identical to one coach run"

# 2. Corrupted rows: exactly those are reported, with their whole-file record and line numbers.
"$coach" generate --count "$rows" --seed 21 --format jsonl --output "$work/good.jsonl"
python3 - "$work/good.jsonl" "$work/bad.jsonl" "$work/expected.json" <<'EOF'
import json, re, sys
source, target, expected_path = sys.argv[1:]
lines = open(source, encoding="utf-8").read().split("\n")
if lines[-1] == "":
    lines.pop()
n = len(lines)
damage = {  # record number (1-based, in the clean file) -> how it is broken, spread over partitions
    3: "out-of-scale", n // 4 + 1: "malformed-json", n // 2 + 7: "invalid-count",
    3 * n // 4 + 2: "unknown-dimension", n: "out-of-scale",
}
out, expected = [], []
for number, line in enumerate(lines, 1):
    if number == n // 3:
        out += ["", "  \t"]  # blank lines are not records, but they count as lines
    if number == 2 * n // 3:
        out.append("not a profile")  # an extra record
        expected.append({"record": len([l for l in out if l.strip(" \t\r")]), "line": len(out),
                         "code": "malformed-json"})
    how = damage.get(number)
    if how == "out-of-scale":
        broken = re.sub(r'("systems":)[0-9.]+', r"\g<1>9", line, count=1)
    elif how == "malformed-json":
        broken = line[: len(line) // 2]
    elif how == "invalid-count":
        broken = re.sub(r'"count":[0-9]+', '"count":"many"', line, count=1)
    elif how == "unknown-dimension":
        broken = line.replace('"systems":', '"sytems":', 1)
    else:
        broken = None
    if broken == line:
        sys.exit(f"spark check: cannot corrupt line {number} as {how}")
    out.append(broken if how else line)
    if how:
        expected.append({"record": len([l for l in out if l.strip(" \t\r")]), "line": len(out),
                         "code": how})
open(target, "w", encoding="utf-8").write("\n".join(out) + "\n")
json.dump(expected, open(expected_path, "w"))
EOF
"$coach" stats "$work/bad.jsonl" --format json >"$work/bad-single-stats.json" 2>/dev/null && fail "coach stats accepted every corrupted row"
spark "$work/bad.jsonl" "$work/bad-out" >"$work/bad-report.txt" 2>"$work/bad.log" ||
    { cat "$work/bad.log"; fail "rejected records failed the job"; }
python3 - "$work/expected.json" "$work/bad-out/errors.jsonl" "$work/bad-out/stats.json" "$work/bad.log" <<'EOF'
import json, sys
expected = json.load(open(sys.argv[1]))
errors = [json.loads(l) for l in open(sys.argv[2])]
got = [{"record": e["record"], "line": e["line"], "code": e["code"]} for e in errors]
if got != expected:
    sys.exit(f"spark check: FAILED: errors.jsonl reports {got}, the corrupted rows are {expected}")
stats = json.load(open(sys.argv[3]))
if stats["rejected"] != len(expected):
    sys.exit(f"spark check: FAILED: merged statistics count {stats['rejected']} rejected, not {len(expected)}")
log = open(sys.argv[4]).read()
for e in expected:
    if f"rejected record {e['record']} (line {e['line']})" not in log:
        sys.exit(f"spark check: FAILED: the summary does not list record {e['record']} (line {e['line']})")
if f"{len(expected)} rejected" not in log:
    sys.exit("spark check: FAILED: the summary does not count the rejected records")
print(f"spark check: corrupted: exactly the {len(expected)} corrupted rows reported "
      f"({', '.join(str(e['record']) + '/' + str(e['line']) for e in expected)} as record/line)")
EOF
cmp "$work/bad-out/stats.json" "$work/bad-single-stats.json" ||
    fail "merged statistics of the corrupted population differ from one coach stats run"

# 3. Broken rules: exit 1 with coach's own file:line:col message, no Python or Java trace.
if spark "$work/clean.csv" "$work/broken-out" --rules examples/broken-rules >/dev/null 2>"$work/broken.log"; then
    fail "the job succeeded with broken rules"
fi
grep -qF "examples/broken-rules/control.yaml:5:11: error: unknown variable 'contrl'; did you mean 'control'?" "$work/broken.log" ||
    { cat "$work/broken.log"; fail "no file:line:col message for the broken rules"; }
if grep -qE 'Traceback|Py4J|^\s+at [a-z]+\.' "$work/broken.log"; then
    cat "$work/broken.log"
    fail "a trace was printed for broken rules"
fi
[ ! -e "$work/broken-out" ] || fail "broken rules left an output folder"
say "broken rules: exit 1 with $(grep -m1 -o 'examples/broken-rules/control.yaml:5:11: error: [^;]*' "$work/broken.log")"
say "passed (3 checks)"
