#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# qemu/build.sh: build qemu-system-x86_64 10.0.2 (bookworm-backports' source)
# with the vfio-cxl patch series, cached by the hash of tarball, series,
# this script and the libvfiocxl-topo library it links.
#
#   build.sh TOP BUILD CACHE
#
# - The orig tarball comes from apt (`apt-get source --download-only
#   qemu/bookworm-backports`, the deb-src entry scripts/deps.sh writes); its
#   .dsc and Debian patches are not on the mirror, so it is unpacked with tar.
# - The source lives in a git tree under CACHE/qemu/src-<tarball hash>: the
#   series is applied with `git am` on top of the pristine tree, and files
#   the series does not touch keep their time stamps, so a changed series
#   rebuilds incrementally in the persistent build directory next to it.
# - The result is CACHE/qemu/<key>/qemu-system-x86_64 (key = hash of
#   tarball + series + build.sh + library); an unchanged key is not rebuilt.
#   BUILD/qemu/qemu-system-x86_64 is a symlink to it.
set -euo pipefail
TOP=$1 BUILD=$2 CACHE=$3
QVER=10.0.2
SUITE=bookworm-backports
JOBS=${QEMU_JOBS:-2}
Q=$CACHE/qemu
log() { printf 'qemu: %s\n' "$*" >&2; }
die() { printf 'qemu: error: %s\n' "$*" >&2; exit 1; }

mkdir -p "$Q/dl" "$BUILD/qemu"
# One build at a time per cache (several work trees may share it).
exec 9> "$Q/.lock"
flock 9

# ---- the tarball -------------------------------------------------------------
tarball=$(ls "$Q"/dl/qemu_"$QVER"*.orig.tar.* 2>/dev/null | head -n1 || true)
if [ -z "$tarball" ]; then
	log "fetching the qemu $QVER source from $SUITE with apt"
	# The .dsc/.debian.tar are missing on the mirror: apt fails after the
	# tarball arrived, so judge by the file, not the status.
	(cd "$Q/dl" && apt-get source -qq --download-only "qemu/$SUITE" >/dev/null 2>&1) || true
	tarball=$(ls "$Q"/dl/qemu_"$QVER"*.orig.tar.* 2>/dev/null | head -n1 || true)
	[ -n "$tarball" ] || die "apt-get source --download-only qemu/$SUITE gave no qemu_$QVER orig tarball (run 'make deps': it adds the deb-src entry)"
fi

# ---- the library QEMU links (headers + static archive) -------------------------
LIBDIR=$Q/vfiocxl
TOPO_A=$BUILD/lib/libvfiocxl-topo.a
[ -f "$TOPO_A" ] || die "$TOPO_A missing: run 'make' first"
mkdir -p "$LIBDIR/include" "$LIBDIR/lib"
# Copy only what changed, so time stamps (and ninja) stay quiet.
sync_file() { cmp -s "$1" "$2" || cp "$1" "$2"; }
sync_file "$TOPO_A" "$LIBDIR/lib/libvfiocxl-topo.a"
sync_file "$TOP/lib/topo/vfiocxl-topo.h" "$LIBDIR/include/vfiocxl-topo.h"
sync_file "$TOP/include/uapi/linux/vfio_cxl.h" "$LIBDIR/include/vfio_cxl.h"

series=$(ls "$TOP"/qemu/patches/*.patch 2>/dev/null | sort || true)
key=$( { sha256sum "$tarball" | cut -d' ' -f1
	 for p in $series; do sha256sum < "$p"; done
	 sha256sum < "$0"
	 sha256sum < "$LIBDIR/lib/libvfiocxl-topo.a"
	 sha256sum < "$LIBDIR/include/vfiocxl-topo.h"
	 sha256sum < "$LIBDIR/include/vfio_cxl.h"; } | sha256sum | cut -c1-16)
out=$Q/$key/qemu-system-x86_64
if [ -x "$out" ]; then
	ln -sfn "$out" "$BUILD/qemu/qemu-system-x86_64"
	log "up to date ($out)"
	exit 0
fi

# ---- the source tree -------------------------------------------------------------
thash=$(sha256sum "$tarball" | cut -c1-12)
src=$Q/src-$thash
if [ ! -d "$src/.git" ]; then
	log "unpacking $(basename "$tarball")"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf "$tarball" -C "$src.tmp" --strip-components=1 --no-same-owner
	git -C "$src.tmp" init -q
	git -C "$src.tmp" add -A -f
	git -C "$src.tmp" -c user.name=vfio-cxl -c user.email=vfio-cxl@localhost \
		commit -q -m "qemu $QVER orig" --no-verify
	git -C "$src.tmp" tag orig
	mv "$src.tmp" "$src"
fi
# Apply the series in a second work tree, then move the build tree to the
# result with one checkout: git rewrites only the files whose content
# differs, so everything else keeps its time stamp and ninja rebuilds only
# what the change touches.
apply=$Q/apply-$thash
if [ ! -d "$apply" ]; then
	git -C "$src" worktree prune
	git -C "$src" worktree add -q --detach "$apply" orig
fi
git -C "$apply" am --abort >/dev/null 2>&1 || true
git -C "$apply" checkout -q -f --detach orig
git -C "$apply" clean -q -fdx
n=0
for p in $series; do
	git -C "$apply" -c user.name=vfio-cxl -c user.email=vfio-cxl@localhost am -q --keep-cr "$p" ||
		{ git -C "$apply" am --abort >/dev/null 2>&1 || true; die "patch $(basename "$p") does not apply"; }
	n=$((n + 1))
done
git -C "$src" checkout -q -f --detach "$(git -C "$apply" rev-parse HEAD)"
git -C "$src" clean -q -fdx -e /build/
cd "$src"
log "applied $n patch(es)"

# ---- configure and build -----------------------------------------------------------
cflags="-I$LIBDIR/include"
ldflags="-L$LIBDIR/lib"
mkdir -p build
if [ ! -f build/build.ninja ] || [ "$(cat build/.vfiocxl-flags 2>/dev/null)" != "$cflags $ldflags" ]; then
	log "configuring"
	rm -rf build && mkdir build
	(cd build && ../configure --python=/usr/bin/python3 --target-list=x86_64-softmmu \
		--without-default-features --enable-tcg --enable-kvm --disable-fdt --disable-docs \
		--disable-werror --disable-install-blobs --extra-cflags="$cflags" --extra-ldflags="$ldflags" \
		> configure.log 2>&1) || { tail -n 30 build/configure.log >&2; die "configure failed (build/configure.log)"; }
	echo "$cflags $ldflags" > build/.vfiocxl-flags
fi
log "building qemu-system-x86_64 (-j$JOBS)"
start=$(date +%s)
# Progress: ninja's "[412/2210]" about every 5 % (V=1: every line), all of
# it in build/ninja.log; a failure prints the log's errors or its tail.
progress() {
	if [ "${V:-0}" = 1 ]; then
		cat
	else
		awk '$1 ~ /^\[[0-9]+\/[0-9]+\]$/ {
			s = $1; gsub(/[][]/, "", s); split(s, a, "/")
			p = int(a[1] * 20 / a[2])
			if (p != last || a[1] == a[2]) { last = p; printf "qemu: [%d/%d]\n", a[1], a[2]; fflush() }
		}'
	fi
}
ninja -C build -j "$JOBS" qemu-system-x86_64 2>&1 | tee build/ninja.log | progress >&2 ||
	{ grep -B2 -A12 -m3 'error' build/ninja.log >&2 || tail -n 40 build/ninja.log >&2; die "build failed ($src/build/ninja.log)"; }
log "built in $(( $(date +%s) - start ))s"
mkdir -p "$Q/$key"
cp build/qemu-system-x86_64 "$out.tmp" && mv "$out.tmp" "$out"
ln -sfn "$out" "$BUILD/qemu/qemu-system-x86_64"
# Old keys: keep the newest few.
ls -1dt "$Q"/[0-9a-f]*[0-9a-f] 2>/dev/null | grep -E '/[0-9a-f]{16}$' | tail -n +5 | xargs -r rm -rf
log "ready: $out"
