#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# mkdeb.sh OUTDIR: build vfio-cxl's Debian packages with Debian's own
# tooling (dpkg-buildpackage, debhelper, dh-dkms) from a copy of the source
# tree (the tracked and untracked-but-not-ignored files: nothing is written
# into the tree), then run lintian on the result at its default level.
# OUTDIR gets the source package, the four .debs, build.log and lintian.log.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$1
ver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src=$out/vfio-cxl-$ver

step() { printf '  %-7s %s\n' "$1" "$2"; }
tail_log() { echo "mkdeb: $1 failed; last lines of $2:" >&2; tail -n 30 "$2" >&2; exit 1; }

rm -rf "$out"
mkdir -p "$src"
step COPY "source tree -> ${src#"$top"/}"
(cd "$top" && git ls-files -z -co --exclude-standard | while IFS= read -r -d '' f; do
	[ -e "$f" ] && printf '%s\0' "$f"; done | tar --null -T - -cf -) | tar -C "$src" -xf -
step DEB "dpkg-buildpackage -us -uc (log: ${out#"$top"/}/build.log)"
(cd "$src" && dpkg-buildpackage -us -uc > "$out/build.log" 2>&1) || tail_log dpkg-buildpackage "$out/build.log"
changes=$(ls "$out"/vfio-cxl_"${ver}"_*.changes)
step LINTIAN "$(basename "$changes")"
lintian --fail-on error,warning "$changes" > "$out/lintian.log" 2>&1 || tail_log lintian "$out/lintian.log"
[ -s "$out/lintian.log" ] && sed 's/^/    /' "$out/lintian.log"
for d in "$out"/*.deb; do step "" "$(basename "$d")"; done
