#!/bin/sh
# SPDX-License-Identifier: MIT
# The installed libvfiocxl as a VMM's build sees it: `make install-libvfiocxl`
# into a staging DESTDIR, then pkg-config, the public header alone, a shared
# and a static link, and the versioned symbol map. TAP.
# Env: TOP BUILD STAGE PREFIX (set by the generated wrapper in $BUILD).
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
exe=$BUILD/lib-stage-shared
${CC:-cc} -Wall -Werror -o "$exe" "$TOP/tests/unit/lib_abi_main.c" $flags 2>&1 | sed 's/^/# /'
t $([ -x "$exe" ]; echo $?) "the public header compiles alone; linked against the shared library"
LD_LIBRARY_PATH=$lib "$exe" >/dev/null
t $? "runs against the installed .so (open of an absent device: -ENODEV)"
${CC:-cc} -Wall -Werror -static -o "$exe-static" "$TOP/tests/unit/lib_abi_main.c" \
	$(pkg-config --cflags libvfiocxl) "$lib/libvfiocxl.a" 2>&1 | sed 's/^/# /'
"$exe-static" >/dev/null
t $? "static link with libvfiocxl.a alone (core inside it)"
exported=$(nm -D --defined-only "$lib/libvfiocxl.so" | awk '$3 ~ /@@LIBVFIOCXL_/ {sub(/@@.*/, "", $3); print $3}' | sort)
mapped=$(sed -n 's/^[[:space:]]*\(vfio_cxl_[a-z0-9_]*\);$/\1/p' "$TOP/lib/libvfiocxl.sym" | sort)
t $([ -n "$exported" ] && [ "$exported" = "$mapped" ]; echo $?) "exported symbols are exactly the map's ($(echo "$mapped" | wc -l))"
others=$(nm -D --defined-only "$lib/libvfiocxl.so" | awk '$2 ~ /[TDB]/ && $3 !~ /@@LIBVFIOCXL_/' | wc -l)
t $([ "$others" = 0 ]; echo $?) "no unversioned symbol leaks (core's stay hidden)"
[ $fails = 0 ]
