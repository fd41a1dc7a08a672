#!/usr/bin/env bash
# Renders every example coaching report (examples/*.json and the bad inputs in
# examples/edge-cases/) and a population dashboard so that a person can look at them: HTML and
# Markdown, PNG screenshots from headless Chromium at a desktop width (1280 px) and a phone width
# (390 px), and A4 PDFs through the pages' print stylesheet. Then it measures each page at
# 390 px: the smallest chart text as rendered (SVG font size × rendered width ÷ viewBox width,
# read from the laid-out page) must be at least 11 px, and the page must not be wider than the
# window. It prints one line per page and exits non-zero when a check fails.
#
#   scripts/render-reports.sh [OUTPUT_DIR]        (default: .build/reports)
#
# Needs Chromium (Debian: apt-get install -y chromium; or set CHROMIUM=/path/to/chrome).
# Environment: COUNT (population size, default 20000), SEED (default 7), RULES (a rules
# directory; default: the built-in rules), COACH (a built coach binary; default: swift build),
# MIN_TEXT (default 11), CHECK_ONLY=1 (measure every page but take pictures of the first
# example and the dashboard only: what CI runs).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/.build/reports"}
count=${COUNT:-20000}
seed=${SEED:-7}
min_text=${MIN_TEXT:-11}

chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$chromium" ]; then
    echo "render-reports: Chromium not found; install it (apt-get install -y chromium) or set CHROMIUM" >&2
    exit 1
fi
# Chromium refuses its sandbox when run as root (containers, CI).
flags=(--headless --disable-gpu --hide-scrollbars --force-device-scale-factor=1 --no-first-run)
if [ "$(id -u)" = 0 ]; then flags+=(--no-sandbox); fi

if [ -n "${COACH:-}" ]; then
    coach=$COACH
else
    swift build --package-path "$root" --product coach >&2
    coach="$(swift build --package-path "$root" --show-bin-path)/coach"
fi
rules=()
if [ -n "${RULES:-}" ]; then rules=(--rules "$RULES"); fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
failed=0

# look PAGE.html: PAGE-1280.png and PAGE-390.png (the whole page at each width), PAGE.pdf (A4),
# and the measurements at 390 px.
look() {
    local page=$1 pictures=$2 base=${1%.html} width height measure line smallest overflow shown
    for width in 1280 390; do
        if [ "$pictures" = no ]; then break; fi
        # Tall enough for the whole page: Chromium captures the window, not the document.
        height=$(( $(wc -c <"$page") / (width == 390 ? 12 : 25) + 1500 ))
        if [ "$height" -gt 16000 ]; then height=16000; fi
        "$chromium" "${flags[@]}" --window-size="$width,$height" --screenshot="$base-$width.png" \
            "file://$page" >/dev/null 2>&1 || true
        if [ ! -s "$base-$width.png" ]; then
            echo "render-reports: FAIL $page: no screenshot at $width px" >&2
            failed=1
        fi
    done
    if [ "$pictures" = yes ]; then
        "$chromium" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$base.pdf" "file://$page" >/dev/null 2>&1 || true
        if [ ! -s "$base.pdf" ]; then
            echo "render-reports: FAIL $page: no PDF" >&2
            failed=1
        fi
    fi
    # The page in a frame 390 px wide, measured by scripts/render/measure.js.
    measure="$base.measure.html"
    {
        echo '<!DOCTYPE html><html><head><meta charset="utf-8"><title>MEASURE pending</title></head>'
        echo "<body style=\"margin: 0\"><iframe id=\"page\" src=\"$(basename "$page")\" style=\"width: 390px; height: 2000px; border: 0\"></iframe><script>"
        cat "$root/scripts/render/measure.js"
        echo "</script></body></html>"
    } >"$measure"
    line=$("$chromium" "${flags[@]}" --allow-file-access-from-files --window-size=800,2200 --dump-dom \
        "file://$measure" 2>/dev/null | grep -o '<title>MEASURE[^<]*' | head -n 1 || true)
    rm -f "$measure"
    if [ -z "$line" ] || [[ "$line" != *smallest=* ]]; then
        echo "render-reports: FAIL $page: could not measure the page (${line#<title>})" >&2
        failed=1
        return
    fi
    smallest=$(sed -n 's/.*smallest=\([^ ]*\).*/\1/p' <<<"$line")
    overflow=$(sed -n 's/.*overflow=\([^ ]*\).*/\1/p' <<<"$line")
    if [ "$smallest" = none ]; then shown="no chart text (no chart to draw)"; else shown="smallest chart text $smallest px"; fi
    if [ "$overflow" -lt 0 ]; then overflow=0; fi
    echo "$(basename "$page") at 390 px: $shown, page wider than the window by $overflow px"
    if [ "$smallest" != none ] && awk -v s="$smallest" -v m="$min_text" 'BEGIN { exit !(s < m) }'; then
        echo "render-reports: FAIL $page: chart text renders at $smallest px at 390 px wide (< $min_text)" >&2
        failed=1
    fi
    if [ "$overflow" -gt 0 ]; then
        echo "render-reports: FAIL $page: the page is $overflow px wider than a 390 px window" >&2
        failed=1
    fi
}

pictures=yes
for profile in "$root"/examples/*.json "$root"/examples/edge-cases/*.json; do
    name=$(basename "$profile" .json)
    "$coach" advise "$profile" "${rules[@]}" --format html --output "$out/$name.html"
    "$coach" advise "$profile" "${rules[@]}" --format markdown --explain --output "$out/$name.md"
    look "$out/$name.html" "$pictures"
    if [ "${CHECK_ONLY:-}" = 1 ]; then pictures=no; fi
done

"$coach" generate --count "$count" --seed "$seed" "${rules[@]}" --output "$out/population.csv"
"$coach" stats "$out/population.csv" "${rules[@]}" --format html --output "$out/stats.html"
look "$out/stats.html" yes

echo "render-reports: pages, PNGs (1280 and 390 px) and PDFs in $out"
exit "$failed"
