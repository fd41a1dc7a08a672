#!/usr/bin/env bash
# Proves that the coach a Spark job ships runs on a bare Debian: no Swift toolchain, no libyaml,
# an empty environment. By hand, as root (debootstrap and chroot):
#   scripts/spark/check-bare-debian.sh [COACH] [RULES_ZIP]
# (defaults: .build-static/coach and .build-static/rules.zip, from build-static.sh).
# Makes a minimal Debian (debootstrap --variant=minbase, Debian's debootstrap package, from the
# Debian mirror apt uses on this machine) in a cache folder once, checks that it holds neither
# libyaml nor anything of Swift's, copies coach and the rules in, and runs coach there with
# `env -i`: --version, lint, generate, stats and batch. Their output must equal the same
# binary's on this machine, byte for byte.
# Environment: COACH_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/coach), DEBIAN_SUITE (default
# bookworm).
set -euo pipefail
cd "$(dirname "$0")/../.."

coach="${1:-.build-static/coach}"
rules_zip="${2:-.build-static/rules.zip}"
suite="${DEBIAN_SUITE:-bookworm}"
cache="${COACH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coach}"
root="$cache/debian-$suite-minbase"

say() { echo "bare-debian: $*"; }
fail() { say "FAILED: $*"; exit 1; }
[ -x "$coach" ] || fail "no coach at $coach (build it: scripts/spark/build-static.sh)"
[ -f "$rules_zip" ] || fail "no rules archive at $rules_zip (build it: scripts/spark/build-static.sh)"
[ "$(id -u)" = 0 ] || fail "run as root (debootstrap and chroot)"

if [ ! -x "$root/bin/sh" ]; then
    if ! command -v debootstrap >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
    fi
    # The Debian archive that apt on this machine already uses.
    mirror="$(sed -n 's/^URIs: *\([^ ]*\/debian\)\/\{0,1\} *$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1)"
    if [ -z "$mirror" ]; then
        mirror="$(sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\/debian\)\/\{0,1\} .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -n 1)"
    fi
    [ -n "$mirror" ] || fail "no Debian mirror found in apt's sources"
    say "debootstrap --variant=minbase $suite from apt's Debian mirror into $root"
    rm -rf "$root.partial"
    mkdir -p "$cache"
    debootstrap --variant=minbase "$suite" "$root.partial" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
        { tail -n 20 "$cache/debootstrap.log"; fail "debootstrap failed"; }
    mv "$root.partial" "$root"
fi

# Bare: nothing of Swift's, no libyaml.
if find "$root" -xdev \( -name 'libyaml*' -o -name 'libswift*' -o -name 'swift*' -o -name 'libFoundation*' \
    -o -name 'libdispatch*' \) -print | grep .; then
    fail "the Debian folder holds the files above"
fi
say "$(cat "$root/etc/debian_version" | sed 's/^/Debian /'), $(chroot "$root" dpkg-query -W -f '.\n' | wc -l) packages, no libyaml, no Swift"

work="/tmp/coach-bare-check"   # inside the Debian folder
host="$(mktemp -d)"             # the same files on this machine
rm -rf "${root:?}$work"
mkdir -p "$root$work"
trap 'umount "$root/proc" 2>/dev/null || true; rm -rf "${root:?}$work" "$host"' EXIT
mount -t proc proc "$root/proc"
for side in "$root$work" "$host"; do
    cp "$coach" "$side/coach"
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$rules_zip" "$side/rules"
done

inside() { chroot "$root" /usr/bin/env -i "$@"; }
here() { (cd "$host" && env -i "$@"); }
say "inside, coach loads: $(inside /usr/bin/ldd "$work/coach" | awk '{print $1}' | tr '\n' ' ')"
if inside /usr/bin/ldd "$work/coach" | grep 'not found'; then
    fail "coach needs the libraries above, which a bare Debian lacks"
fi
version="$(inside "$work/coach" --version 2>&1)" || { echo "$version"; fail "coach does not start inside"; }
echo "$version" | sed 's/^/    /'

# The same commands inside and here, each in its own folder; the outputs must be the same bytes.
both() {
    local name="$1"
    shift
    inside /bin/sh -c "cd $work && exec ./coach $* >$name 2>$name.err" ||
        { cat "$root$work/$name.err"; fail "coach $* failed inside"; }
    here /bin/sh -c "./coach $* >$name 2>$name.err" || fail "coach $* failed here"
    cmp "$root$work/$name" "$host/$name" || fail "coach $* wrote other bytes inside"
}
both lint.txt lint --rules rules
both pop.csv generate --count 5000 --seed 9
both stats.json stats pop.csv --rules rules --format json
both advice.jsonl batch pop.csv --rules rules
say "coach ran inside with an empty environment: lint, generate, stats and batch as here, byte for byte ($(wc -c <"$host/advice.jsonl") bytes of advice)"
