#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kcheck: build core/ as a kernel module against the 6.12 headers; TAP.
# Usage: run.sh TOP BUILDDIR KDIR
set -u
top=$1; out=$2; kdir=$3
echo "1..2"
if [ ! -d "$kdir" ]; then
	echo "not ok 1 - kernel headers at $kdir # missing"
	echo "not ok 2 - core builds as a kernel module # no headers"
	exit 0
fi
echo "ok 1 - kernel headers at $kdir"
rm -rf "$out"; mkdir -p "$out"
cp "$top"/core/kcheck/Kbuild "$top"/core/kcheck/kcheck.c "$out"/
for f in hdm_emu comp_emu dvsec_emu vfio_cap regwalk; do cp "$top/core/$f.c" "$out/"; done
if make -s -C "$kdir" M="$out" CXLEMU_TOP="$top" modules >"$out/build.log" 2>&1 &&
   [ -f "$out/cxlemu_kcheck.ko" ] && ! grep -qi "warning:" "$out/build.log"; then
	echo "ok 2 - core builds as a kernel module without warnings ($(basename "$kdir"))"
else
	echo "not ok 2 - core builds as a kernel module ($(basename "$kdir"))"
	sed 's/^/# /' "$out/build.log" | head -40
fi
