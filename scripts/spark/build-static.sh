#!/usr/bin/env bash
# Builds what a Spark job ships to its executors (docs/spark.md):
#   .build-static/release/coach   a release build with the Swift runtime and libyaml linked in
#                                 statically: it needs only glibc, libstdc++ and libgcc_s, which
#                                 every Debian, Ubuntu or RHEL-family system has
#   .build-static/rules.zip       the rules folder (default Rules/), for --archives rules.zip#rules
# Usage: scripts/spark/build-static.sh [RULES_DIR]
# Needs Debian's libyaml-dev (it carries libyaml.a). About 8 minutes on 2 cores the first time.
set -euo pipefail
cd "$(dirname "$0")/../.."

rules="${1:-Rules}"
scratch=.build-static
libyaml_a="$(pkg-config --variable=libdir yaml-0.1 2>/dev/null || true)/libyaml.a"
if [ ! -f "$libyaml_a" ]; then
    libyaml_a="$(find /usr/lib /usr/local/lib -name libyaml.a 2>/dev/null | head -n 1)"
fi
if [ -z "$libyaml_a" ] || [ ! -f "$libyaml_a" ]; then
    echo "build-static: no libyaml.a found; install Debian's libyaml-dev" >&2
    exit 1
fi

# The linker takes the first libyaml it finds along its search path, and in a folder it prefers
# the shared library. A folder that holds only libyaml.a, searched before the system's, makes
# the package's `-lyaml` link the static library.
static_libs="$PWD/$scratch/static-libs"
mkdir -p "$static_libs"
ln -sf "$libyaml_a" "$static_libs/libyaml.a"

swift build -c release --product coach --static-swift-stdlib --scratch-path "$scratch" \
    -Xlinker -L"$static_libs"
bin="$scratch/release/coach"

# Nothing of Swift's or libyaml's may be left to load at run time.
if ldd "$bin" | grep -E 'libyaml|libswift|libFoundation|libdispatch|libBlocksRuntime|/opt/swift'; then
    echo "build-static: $bin still loads the libraries above" >&2
    exit 1
fi
echo "build-static: $bin ($(du -h "$bin" | cut -f1)) loads only:"
ldd "$bin" | sed 's/^/    /'

rm -f "$scratch/rules.zip"
python3 - "$rules" "$scratch/rules.zip" <<'EOF'
import os, sys, zipfile
folder, archive = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            z.write(path, os.path.relpath(path, folder))
EOF
"$bin" --version
"$bin" lint --rules "$rules" >/dev/null
echo "build-static: $scratch/rules.zip holds $rules ($(python3 -c 'import sys, zipfile; print(len(zipfile.ZipFile(sys.argv[1]).namelist()))' "$scratch/rules.zip") files)"
