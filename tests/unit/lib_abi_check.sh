#!/bin/sh
# SPDX-License-Identifier: MIT
# The installed libvfiocxl as a VMM's build sees it: `make install-libvfiocxl`
# into a staging DESTDIR, then pkg-config, the public header alone, a shared
# and a static link, and the versioned symbol map. TAP.
# Env: TOP BUILD STAGE PREFIX (set by the generated wrapper in $BUILD);
# ABI_MAIN (the program, default tests/unit/lib_abi_main.c) and ABI_OUT
# (where its binaries go, default $BUILD) for the plumbing tests.
n=0 fails=0
t() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi; }
echo "1..7"
rm -rf "$STAGE"
make -s -C "$TOP" BUILD="$BUILD" DESTDIR="$STAGE" PREFIX="$PREFIX" install-libvfiocxl >/dev/null 2>&1
t $? "make install-libvfiocxl into a staging DESTDIR"
lib=$STAGE$PREFIX/lib
export PKG_CONFIG_PATH=$lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$STAGE
flags=$(pkg-config --cflags --libs libvfiocxl 2>/dev/null)
t $? "pkg-config knows libvfiocxl ($flags)"
# Each program is built afresh: a binary left by an earlier run must never
# stand in for one that no longer compiles (the compiler's own status counts,
# and a failed build leaves nothing to run).
main=${ABI_MAIN:-$TOP/tests/unit/lib_abi_main.c}
exe=${ABI_OUT:-$BUILD}/lib-stage-shared
cc_log=${ABI_OUT:-$BUILD}/lib-stage-cc.log
build() { # build OUT ARGS...: compile, show the compiler's words, return its status
	out=$1; shift
	rm -f "$out"
	${CC:-cc} -Wall -Werror -o "$out" "$@" > "$cc_log" 2>&1
	rc=$?
	sed 's/^/# /' "$cc_log"
	return $rc
}
build "$exe" "$main" $flags
t $? "the public header compiles alone; linked against the shared library"
if [ -x "$exe" ]; then LD_LIBRARY_PATH=$lib "$exe" >/dev/null; else false; fi
t $? "runs against the installed .so (open of an absent device: -ENODEV)"
build "$exe-static" -static "$main" \
	$(pkg-config --cflags libvfiocxl) "$lib/libvfiocxl.a" &&
	"$exe-static" >/dev/null
t $? "static link with libvfiocxl.a alone (core inside it)"
exported=$(nm -D --defined-only "$lib/libvfiocxl.so" | awk '$3 ~ /@@LIBVFIOCXL_/ {sub(/@@.*/, "", $3); print $3}' | sort)
mapped=$(sed -n 's/^[[:space:]]*\(vfio_cxl_[a-z0-9_]*\);$/\1/p' "$TOP/lib/libvfiocxl.sym" | sort)
t $([ -n "$exported" ] && [ "$exported" = "$mapped" ]; echo $?) "exported symbols are exactly the map's ($(echo "$mapped" | wc -l))"
others=$(nm -D --defined-only "$lib/libvfiocxl.so" | awk '$2 ~ /[TDB]/ && $3 !~ /@@LIBVFIOCXL_/' | wc -l)
t $([ "$others" = 0 ]; echo $?) "no unversioned symbol leaks (core's stay hidden)"
[ $fails = 0 ]
