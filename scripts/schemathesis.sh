#!/usr/bin/env bash
# Checks `coach serve` against its own OpenAPI document with Schemathesis (every check):
#   scripts/schemathesis.sh [MAX_EXAMPLES] [MAX_SECONDS]
# Installs Schemathesis into a virtual environment in a cache folder (Debian's Python refuses a
# global pip install), builds the debug `coach`, starts `coach serve` on 127.0.0.1 at a free port
# with a bearer token, runs `st run URL/openapi.yaml --url URL --max-examples N --checks all`
# (bounded by MAX_SECONDS), stops the server and exits non-zero if any check failed.
# Environment: COACH_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/coach), SCHEMATHESIS_VERSION
# (default 4.32.5, the version this was last run with; empty for the newest).
set -euo pipefail
cd "$(dirname "$0")/.."

examples="${1:-50}"
budget="${2:-120}"
version="${SCHEMATHESIS_VERSION-4.32.5}"
cache="${COACH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coach}"
venv="$cache/schemathesis-venv"

if [ ! -x "$venv/bin/st" ] || { [ -n "$version" ] && ! "$venv/bin/st" --version | grep -qF "$version"; }; then
    echo "schemathesis: installing schemathesis ${version:-(newest)} into $venv"
    mkdir -p "$cache"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "schemathesis${version:+==$version}"
fi

swift build --product coach
coach="$(swift build --show-bin-path)/coach"

work="$(mktemp -d)"
server=""
cleanup() {
    if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
token="$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
printf '%s\n' "$token" > "$work/token"
url="http://127.0.0.1:$port"

"$coach" serve --host 127.0.0.1 --port "$port" --token-file "$work/token" --log-level warning \
    2> "$work/server.log" &
server=$!
for _ in $(seq 100); do curl -sf "$url/readyz" >/dev/null && break; sleep 0.1; done
curl -sf "$url/readyz" >/dev/null || { echo "schemathesis: coach serve did not start" >&2; cat "$work/server.log" >&2; exit 1; }

status=0
# Run from the scratch folder: Schemathesis writes its state beside it (.schemathesis/).
cd "$work"
timeout --signal=INT $((budget + 60)) "$venv/bin/st" --no-color run "$url/openapi.yaml" --url "$url" \
    --header "Authorization: Bearer $token" \
    --max-examples "$examples" --max-time "$budget" --checks all --workers 2 \
    --generation-database none || status=$?

if grep -qE ' (error|critical) ' "$work/server.log"; then
    echo "schemathesis: the server logged errors:" >&2
    grep -E ' (error|critical) ' "$work/server.log" | head -20 >&2
    status=1
fi
exit "$status"
