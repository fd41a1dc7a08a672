#!/usr/bin/env bash
# Load test for `coach serve` on loopback with wrk (Debian package `wrk`). Run by hand, not in CI:
#   scripts/load-test.sh [SECONDS] [CONNECTIONS]
# Builds a release binary, starts the service with a copy of the built-in rules, and drives
#   1. the load aim, as a ratio measured in one run: GET /healthz, then POST /v1/advice with one
#      profile, each for SECONDS at CONNECTIONS, then both once more in the same order; prints
#      requests/s and p99 of each and advice/healthz (the aim: at least 0.8). wrk shares the
#      machine's cores with the server, so only the ratio means anything, not the req/s;
#   2. POST /v1/advice with one profile, while the rules are reloaded every second (half of the
#      reloads install a changed rule set) — requests/s, p50/p99 latency, errors, reloads;
#   3. POST /v1/advice/batch with 1,000 JSON Lines records per request — records/s.
# Only 127.0.0.1 is loaded; every wrk run is bounded by its duration.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-15}"
connections="${2:-64}"
command -v wrk >/dev/null || { echo "load-test: install wrk (apt-get install -y wrk)" >&2; exit 1; }

swift build -c release --product coach >/dev/null
coach="$(swift build -c release --show-bin-path)/coach"

work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
cp -R Rules "$work/rules"
"$coach" generate --count 1000 --seed 7 --format jsonl --raters all > "$work/batch.jsonl"

port="${COACH_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
url="http://127.0.0.1:$port"
"$coach" serve --rules "$work/rules" --host 127.0.0.1 --port "$port" --log-level "${COACH_LOG_LEVEL:-info}" \
    2> "$work/server.log" &
server=$!
for _ in $(seq 100); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done

# requests/s and p99 (in ms) of a wrk --latency report
rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() {
    awk '$1 == "99%" {
        v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v)
        if (unit == "us") v /= 1000; else if (unit == "s") v *= 1000; else if (unit == "m") v *= 60000
        printf "%.2f", v }' "$1"
}

# the server's CPU time so far (user + system), in clock ticks
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
ticks="$(getconf CLK_TCK)"
# wrk on $2 with output file $1 (extra wrk arguments after); prints the server's CPU µs per request
drive() {
    local out="$1" target="$2" before after requests
    shift 2
    before="$(cpu)"
    wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" "$target" > "$out"
    after="$(cpu)"
    requests="$(awk '/requests in/ {print $1}' "$out")"
    awk -v t="$((after - before))" -v hz="$ticks" -v n="$requests" 'BEGIN {printf "%.1f", t / hz * 1e6 / n}'
}

echo "== the load aim: POST /v1/advice vs GET /healthz, $seconds s each, $connections connections, twice =="
echo "(the server's CPU per request is the figure the machine's other load disturbs least)"
for round in 1 2; do
    hc="$(drive "$work/healthz-$round.txt" "$url/healthz")"
    ac="$(COACH_BODY=examples/controlling-manager.json drive "$work/advice-$round.txt" "$url/v1/advice" \
        -s scripts/load/advice.lua)"
    h="$(rate "$work/healthz-$round.txt")"
    a="$(rate "$work/advice-$round.txt")"
    printf 'round %d: healthz %s req/s (p99 %s ms, %s µs CPU each), advice %s req/s (p99 %s ms, %s µs CPU each)\n' \
        "$round" "$h" "$(p99 "$work/healthz-$round.txt")" "$hc" "$a" "$(p99 "$work/advice-$round.txt")" "$ac"
    printf '         ratio advice/healthz: %s (aim: at least 0.8); CPU per request healthz/advice: %s\n' \
        "$(awk -v a="$a" -v h="$h" 'BEGIN {printf "%.2f", a / h}')" \
        "$(awk -v a="$ac" -v h="$hc" 'BEGIN {printf "%.2f", h / a}')"
    grep -h "non-200\|Non-2xx\|Socket errors" "$work/advice-$round.txt" "$work/healthz-$round.txt" || true
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== single advice: $seconds s, $connections connections, reloads every second =="
(
    balance="$work/rules/balance.yaml"
    cp "$balance" "$work/balance.orig"
    for round in $(seq "$seconds"); do
        sleep 1
        if (( round % 2 )); then printf '\n# reload %s\n' "$round" >> "$balance"; else cp "$work/balance.orig" "$balance"; fi
        curl -s -o /dev/null -w '%{http_code}\n' -X POST "$url/v1/rules/reload" >> "$work/reloads"
    done
) &
reloader=$!
COACH_BODY=examples/controlling-manager.json wrk -t2 -c"$connections" -d"${seconds}s" --latency \
    -s scripts/load/advice.lua "$url/v1/advice" | tee "$work/advice.txt"
wait "$reloader"
echo "reloads: $(grep -c '^200$' "$work/reloads") answered 200 of $(wc -l < "$work/reloads")"

echo
echo "== batch: 1,000 records per request, $seconds s, 4 connections =="
COACH_BODY="$work/batch.jsonl" COACH_CONTENT_TYPE=application/x-ndjson \
    wrk -t2 -c4 -d"${seconds}s" --latency -s scripts/load/advice.lua \
    "$url/v1/advice/batch" | tee "$work/batch.txt"
echo "batch records/s: $(awk -v r="$(rate "$work/batch.txt")" 'BEGIN {printf "%.0f", r * 1000}')"

echo
echo "server errors logged: $(grep -c -E ' (error|critical) ' "$work/server.log" || true)"
