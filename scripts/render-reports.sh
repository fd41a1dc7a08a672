#!/usr/bin/env bash
# Renders the example coaching reports and a population dashboard so that a person can look at
# them: HTML (coach advise --format html, coach stats --format html), PNG screenshots from
# headless Chromium, and A4 PDFs through the pages' print stylesheet.
#
#   scripts/render-reports.sh [OUTPUT_DIR]        (default: .build/reports)
#
# Needs Chromium (Debian: apt-get install -y chromium; or set CHROMIUM=/path/to/chrome).
# Environment: COUNT (population size, default 20000), SEED (default 7), RULES (a rules
# directory; default: the built-in rules), WIDTH (window width, default 1000).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/.build/reports"}
count=${COUNT:-20000}
seed=${SEED:-7}
width=${WIDTH:-1000}

chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$chromium" ]; then
    echo "render-reports: Chromium not found; install it (apt-get install -y chromium) or set CHROMIUM" >&2
    exit 1
fi
# Chromium refuses its sandbox when run as root (containers, CI).
sandbox=()
if [ "$(id -u)" = 0 ]; then sandbox=(--no-sandbox); fi

swift build --package-path "$root" --product coach >&2
coach="$(swift build --package-path "$root" --show-bin-path)/coach"
rules=()
if [ -n "${RULES:-}" ]; then rules=(--rules "$RULES"); fi

mkdir -p "$out"
out=$(cd "$out" && pwd)

# shot PAGE.html HEIGHT: PAGE.png (the top HEIGHT pixels at WIDTH) and PAGE.pdf (A4).
shot() {
    local page=$1 height=$2 base=${1%.html}
    "$chromium" --headless "${sandbox[@]}" --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
        --window-size="$width,$height" --screenshot="$base.png" "file://$page" >/dev/null 2>&1
    "$chromium" --headless "${sandbox[@]}" --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$base.pdf" "file://$page" >/dev/null 2>&1
    echo "$base.png $base.pdf"
}

for profile in "$root"/examples/*.json; do
    name=$(basename "$profile" .json)
    "$coach" advise "$profile" "${rules[@]}" --format html --output "$out/$name.html"
    "$coach" advise "$profile" "${rules[@]}" --format markdown --output "$out/$name.md"
    shot "$out/$name.html" 3000
done

"$coach" generate --count "$count" --seed "$seed" "${rules[@]}" --output "$out/population.csv"
"$coach" stats "$out/population.csv" "${rules[@]}" --format html --output "$out/stats.html"
shot "$out/stats.html" 4400
