#!/usr/bin/env bash
# Soak test: is the service's memory bounded under sustained load? Run by hand, not in CI:
#   scripts/soak.sh [SECONDS] [CONNECTIONS]
# Builds the release `coach`, starts `coach serve` on 127.0.0.1 at a free port, drives it with
# wrk (Debian package `wrk`) for SECONDS (default 120) at CONNECTIONS (default 64): POST
# /v1/advice on most connections, GET /v1/rules and a 404 path on a few more, and prints the
# server's resident memory (VmRSS) every 10 s, then once more 10 s after the load stops.
# Only 127.0.0.1 is ever loaded; every wrk run is bounded by its duration.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-120}"
connections="${2:-64}"
command -v wrk >/dev/null || { echo "soak: install wrk (apt-get install -y wrk)" >&2; exit 1; }

swift build -c release --product coach >/dev/null
coach="$(swift build -c release --show-bin-path)/coach"

work="$(mktemp -d)"
server=""
cleanup() {
    jobs -p | xargs -r kill 2>/dev/null || true
    if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
"$coach" serve --host 127.0.0.1 --port "$port" --log-level "${COACH_LOG_LEVEL:-info}" 2> "$work/server.log" &
server=$!
for _ in $(seq 100); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done

rss() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"; }
echo "coach serve on $url (pid $server); $seconds s of load, $connections connections"
printf '%8s  %8s\n' "seconds" "RSS MB"
printf '%8d  %8s\n' 0 "$(rss)"

others=$(( connections / 8 > 1 ? connections / 8 : 1 ))
COACH_BODY=examples/controlling-manager.json wrk -t2 -c"$connections" -d"${seconds}s" \
    -s scripts/load/advice.lua "$url/v1/advice" > "$work/advice.txt" 2>&1 &
wrk -t1 -c"$others" -d"${seconds}s" "$url/v1/rules" > "$work/rules.txt" 2>&1 &
wrk -t1 -c"$others" -d"${seconds}s" "$url/v2/no-such-path" > "$work/missing.txt" 2>&1 &

for elapsed in $(seq 10 10 "$seconds"); do
    sleep 10
    printf '%8d  %8s\n' "$elapsed" "$(rss)"
done
wait $(jobs -p | grep -v "^$server$") 2>/dev/null || true
sleep 10
printf '%8s  %8s\n' "+10 idle" "$(rss)"

echo
echo "advice:   $(awk '/Requests\/sec/ {print $2}' "$work/advice.txt") req/s, $(awk '/requests in/ {print $1}' "$work/advice.txt") requests"
echo "rules:    $(awk '/Requests\/sec/ {print $2}' "$work/rules.txt") req/s"
echo "404 path: $(awk '/Requests\/sec/ {print $2}' "$work/missing.txt") req/s"
grep -h "Non-2xx\|Socket errors" "$work/advice.txt" "$work/rules.txt" || true
echo "server errors logged: $(grep -c -E ' (error|critical) ' "$work/server.log" || true)"
