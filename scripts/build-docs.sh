#!/usr/bin/env bash
# Builds the CoachEngine documentation (DocC) into .build/docs without the swift-docc-plugin:
# the toolchain's symbol-graph extraction and `docc` are enough. Run by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package dump-symbol-graph --minimum-access-level public >/dev/null
graphs="$(mktemp -d)"
trap 'rm -rf "$graphs"' EXIT
cp .build/*/symbolgraph/CoachEngine*.symbols.json "$graphs/"
docc convert Sources/CoachEngine/CoachEngine.docc \
    --additional-symbol-graph-dir "$graphs" \
    --fallback-display-name CoachEngine --fallback-bundle-identifier coach.CoachEngine \
    --output-path .build/docs
echo "documentation in .build/docs (serve it with: python3 -m http.server -d .build/docs)"
