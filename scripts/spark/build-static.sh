#!/usr/bin/env bash
# Builds what a Spark job ships to its executors (docs/spark.md):
#   .build-static/coach       a release build with the Swift runtime and libyaml linked in
#                             statically, stripped: it needs only glibc, libstdc++ and libgcc_s,
#                             which every Debian, Ubuntu or RHEL-family system has
#   .build-static/rules.zip   the rules folder (default Rules/), for --archives rules.zip#rules
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

# SwiftPM reads yaml-0.1.pc itself and puts its library folder (the system's, where the shared
# libyaml wins) first on the linker's search path. A yaml-0.1.pc found first whose library
# folder holds only libyaml.a makes the package's `-lyaml` link the static library.
static_libs="$PWD/$scratch/static-libs"
mkdir -p "$static_libs/pkgconfig"
ln -sf "$libyaml_a" "$static_libs/libyaml.a"
{
    echo "libdir=$static_libs"
    echo "Name: LibYAML"
    echo "Description: libyaml.a alone, so that coach links it statically"
    echo "Version: $(pkg-config --modversion yaml-0.1 2>/dev/null || echo 0.2.5)"
    echo 'Libs: -L${libdir} -lyaml'
    echo "Cflags:"
} >"$static_libs/pkgconfig/yaml-0.1.pc"

PKG_CONFIG_PATH="$static_libs/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
    swift build -c release --product coach --static-swift-stdlib --scratch-path "$scratch"
bin="$scratch/release/coach"

# Nothing of Swift's or libyaml's may be left to load at run time.
if ldd "$bin" | grep -E 'libyaml|libswift|libFoundation|libdispatch|libBlocksRuntime|/opt/swift'; then
    echo "build-static: $bin still loads the libraries above" >&2
    exit 1
fi
strip -o "$scratch/coach" "$bin"
echo "build-static: $scratch/coach ($(du -h "$scratch/coach" | cut -f1), stripped) loads only:"
ldd "$scratch/coach" | sed 's/^/    /'

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
"$scratch/coach" --version
"$scratch/coach" lint --rules "$rules" >/dev/null
echo "build-static: $scratch/rules.zip holds $rules ($(python3 -c 'import sys, zipfile; print(len(zipfile.ZipFile(sys.argv[1]).namelist()))' "$scratch/rules.zip") files)"
