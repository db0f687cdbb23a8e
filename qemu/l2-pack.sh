#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# qemu/l2-pack.sh OUT.cpio QEMU TOP BUILD CACHE
#
# The extra initramfs archive the emulated host (L1) needs to run a
# second-level guest (L2) with the patched QEMU (tests/vm/mkinitramfs.sh
# appends it, named in GUEST_EXTRA_CPIO):
#   /opt/vfio-cxl-qemu/qemu-system-x86_64  stripped, with the libraries ldd
#                                          lists and the loader at their paths
#   /opt/vfio-cxl-qemu/share/              firmware files (-L)
#   /l2/vmlinuz, /l2/initramfs.cpio        L2: the same Debian kernel (or
#                                          L2_KVER's in L2_KDIR); the
#                                          base initramfs + qemu/guest/l2-init
#                                          (+ cxl-accel.ko, accel-driver, cxl-fw)
#   /usr/bin/l2-host, /etc/l2/*.l2         the L1 driver and L2 topologies
set -euo pipefail
out=$1 qemu=$2 TOP=$3 BUILD=$4 CACHE=$5
die() { echo "l2-pack: error: $*" >&2; exit 1; }
[ -x "$qemu" ] || die "$qemu missing: run 'make qemu'"
KVER=$(cat "$CACHE/deps.stamp")
# L2's kernel: L1's, or the one L2_KVER and L2_KDIR name (qemu/l2-newest.sh)
L2_KVER=${L2_KVER:-$KVER}
L2_KDIR=${L2_KDIR:-$CACHE/kernel/$KVER}
base=$(GUEST_KVER=$L2_KVER GUEST_KDIR=$L2_KDIR bash "$TOP/tests/vm/mkinitramfs.sh" --base) ||
	die "no base initramfs for L2's kernel $L2_KVER"
bench=$BUILD/qemu/l2-bench
[ -x "$bench" ] || die "$bench missing"
poke=$BUILD/qemu/l2-poke
[ -x "$poke" ] || die "$poke missing"

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
chmod 755 "$t"
Q=$t/opt/vfio-cxl-qemu
mkdir -p "$Q/share" "$t/l2" "$t/usr/bin" "$t/etc/l2"
strip -o "$Q/qemu-system-x86_64" "$qemu"
ldd "$qemu" | awk '/=>/ {print $3} /^\t\/[^ ]*ld-linux/ {print $1}' | while read -r lib; do
	[ -f "$lib" ] || continue
	mkdir -p "$t$(dirname "$lib")"
	cp -L "$lib" "$t$lib"
done
for f in bios-256k.bin vgabios-stdvga.bin kvmvapic.bin linuxboot.bin linuxboot_dma.bin pvh.bin; do
	src=""
	for d in /usr/share/qemu /usr/share/seabios /usr/lib/ipxe/qemu; do
		[ -f "$d/$f" ] && { src=$d/$f; break; }
	done
	[ -n "$src" ] || die "firmware file $f not found (qemu-system-data, seabios)"
	cp -L "$src" "$Q/share/$f"
done

# L2's initramfs: the base (busybox, CXL modules) and our init, bench, poke.
l2=$t/l2root
mkdir -p "$l2/usr/bin"
cp "$TOP/qemu/guest/l2-init" "$l2/init"
chmod +x "$l2/init"
cp "$bench" "$l2/usr/bin/l2-bench"
cp "$poke" "$l2/usr/bin/l2-poke"
# The accelerator's guest driver and its test, for l2.mode=accel.
# (built for L1's kernel: not for another L2 kernel)
accel_ko=$TOP/guest/cxl-accel/cxl-accel.ko
if [ -f "$accel_ko" ] && [ "$L2_KVER" = "$KVER" ]; then
	mkdir -p "$l2/lib/modules/$KVER/extra"
	cp "$accel_ko" "$l2/lib/modules/$KVER/extra/"
	cp "$TOP/guest/tests/accel-driver" "$BUILD/guest/bin/cxl-fw" "$l2/usr/bin/"
fi
(cd "$l2" && find . | cpio -o -H newc --quiet) > "$t/l2part.cpio"
cat "$base" "$t/l2part.cpio" > "$t/l2/initramfs.cpio"
rm -rf "$l2" "$t/l2part.cpio"
cp "$L2_KDIR/vmlinuz" "$t/l2/vmlinuz"

cp "$TOP/qemu/guest/l2-host" "$t/usr/bin/l2-host"
chmod +x "$t/usr/bin/l2-host"
cp "$TOP"/qemu/guest/l2/*.l2 "$t/etc/l2/"

(cd "$t" && find . | cpio -o -H newc --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
echo "l2-pack: $(du -h "$out" | cut -f1) for L1 ($out)" >&2
