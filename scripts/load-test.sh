#!/usr/bin/env bash
# Load test for `coach serve` on loopback with wrk (Debian package `wrk`). Run by hand, not in CI:
#   scripts/load-test.sh [SECONDS] [CONNECTIONS]
# Builds a release binary, starts the service with a copy of the built-in rules, and drives
#   1. POST /v1/advice with one profile, while the rules are reloaded every second (half of the
#      reloads install a changed rule set) — requests/s, p50/p99 latency, errors, reloads;
#   2. POST /v1/advice/batch with 1,000 JSON Lines records per request — records/s.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-15}"
connections="${2:-64}"
port="${COACH_PORT:-18181}"
command -v wrk >/dev/null || { echo "load-test: install wrk (apt-get install -y wrk)" >&2; exit 1; }

swift build -c release --product coach >/dev/null
coach="$(swift build -c release --show-bin-path)/coach"

work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cp -R Rules "$work/rules"
"$coach" generate --count 1000 --seed 7 --format jsonl --raters all > "$work/batch.jsonl"

"$coach" serve --rules "$work/rules" --port "$port" --log-level "${COACH_LOG_LEVEL:-warning}" \
    2> "$work/server.log" &
server=$!
for _ in $(seq 100); do curl -sf "localhost:$port/readyz" >/dev/null && break; sleep 0.1; done

echo "== single advice: $seconds s, $connections connections, reloads every second =="
(
    balance="$work/rules/balance.yaml"
    cp "$balance" "$work/balance.orig"
    for round in $(seq "$seconds"); do
        sleep 1
        if (( round % 2 )); then printf '\n# reload %s\n' "$round" >> "$balance"; else cp "$work/balance.orig" "$balance"; fi
        curl -s -o /dev/null -w '%{http_code}\n' -X POST "localhost:$port/v1/rules/reload" >> "$work/reloads"
    done
) &
reloader=$!
COACH_BODY=examples/controlling-manager.json wrk -t2 -c"$connections" -d"${seconds}s" --latency \
    -s scripts/load/advice.lua "http://127.0.0.1:$port/v1/advice" | tee "$work/advice.txt"
wait "$reloader"
echo "reloads: $(grep -c '^200$' "$work/reloads") answered 200 of $(wc -l < "$work/reloads")"

echo
echo "== batch: 1,000 records per request, $seconds s, 4 connections =="
COACH_BODY="$work/batch.jsonl" COACH_CONTENT_TYPE=application/x-ndjson \
    wrk -t2 -c4 -d"${seconds}s" --latency -s scripts/load/advice.lua \
    "http://127.0.0.1:$port/v1/advice/batch" | tee "$work/batch.txt"
rate="$(awk '/Requests\/sec/ {print $2}' "$work/batch.txt")"
echo "batch records/s: $(awk -v r="$rate" 'BEGIN {printf "%.0f", r * 1000}')"

echo
echo "server errors logged: $(grep -c -E ' (error|critical) ' "$work/server.log" || true)"
