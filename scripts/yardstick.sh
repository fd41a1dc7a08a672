#!/usr/bin/env bash
# The C yardstick for one shape family: generate the rules and a population of three-decimal
# eighths, build the C program with the rules hard-coded (gcc -O3, baseline x86-64), time it
# against `coach stats --jobs 1` and check that every rule fires as often in both.
#
#   scripts/yardstick.sh [FAMILY] [ROWS] [RULES]     (defaults: linear 1000000 120)
#
# FAMILY: bands, linear, logic or nonlinear (the yardstick reads the combined view only;
# rater-views and mixed are refused). COACH=path/to/coach skips the release build.
set -euo pipefail
family=${1:-linear}
rows=${2:-1000000}
rules=${3:-120}
root=$(cd "$(dirname "$0")/.." && pwd)
work=${YARDSTICK_DIR:-${TMPDIR:-/tmp}/coach-yardstick}
mkdir -p "$work"
if [[ -z "${COACH:-}" ]]; then
    swift build -c release --product coach --package-path "$root" >&2
    COACH="$root/.build/release/coach"
fi
rm -rf "$work/rules-$family"
"$COACH" generate --rules-family "$family" --rule-count "$rules" --seed 1 --output "$work/rules-$family"
population="$work/eighths-$rows.csv"
[[ -f "$population" ]] || "$COACH" generate --count "$rows" --seed 1 --raters none --precision eighths \
    --output "$population"
python3 "$root/scripts/c_yardstick.py" --rules "$work/rules-$family" --csv "$population" \
    --work "$work/c-$family" --coach "$COACH"
