#!/usr/bin/env bash
# mkinitramfs.sh OUT.cpio RUN_SH [GUEST_BIN...] [--modules KO...]
# mkinitramfs.sh --base     only the cached base; prints its path
#
# The kernel is the one `make deps` unpacked (deps.stamp), or the one named
# by GUEST_KVER and GUEST_KDIR (its vmlinuz and modules/; qemu/l2-newest.sh).
#
# The initramfs is two concatenated cpio archives: a base (busybox, the
# guest kernel's CXL, VFIO and KVM modules, decompressed) cached per kernel
# version, and a per-run part (the init script, the project's modules and
# test programs, the command to run). Extra newc cpio archives named in
# $GUEST_EXTRA_CPIO (space-separated) are appended as they are, for tests
# that need whole trees in the guest (qemu/: a QEMU, an L2 kernel).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${VFIO_CXL_CACHE:-/var/cache/vfio-cxl}
base_only=0
if [ "${1:-}" = --base ]; then
	base_only=1
	shift
else
	out=$1 runsh=$2
	shift 2
fi
bins=() mods=()
while [ $# -gt 0 ]; do
	case "$1" in --modules) shift; mods=("$@"); break;; *) bins+=("$1");; esac
	shift
done

die() { echo "vm: error: $*" >&2; exit 1; }
if [ -n "${GUEST_KVER:-}" ]; then
	KVER=$GUEST_KVER KDIR=${GUEST_KDIR:?GUEST_KDIR names GUEST_KVER\'s folder}
else
	[ -f "$CACHE/deps.stamp" ] || die "no guest kernel in $CACHE: run 'make deps' first"
	KVER=$(cat "$CACHE/deps.stamp")
	KDIR=$CACHE/kernel/$KVER
fi
[ -f "$KDIR/vmlinuz" ] || die "guest kernel $KVER missing from $KDIR: run 'make deps'"
BB=/bin/busybox
file -L "$BB" | grep -q 'statically linked' || die "$BB is not static: install busybox-static"

# Modules the tests may load, with their dependencies. modprobe reads no
# configuration of this host (-C /dev/null): an install rule there (ndctl's
# for libnvdimm) would hide a dependency that a newer kernel has (7.x's
# cxl_acpi needs cxl_pmem, which needs libnvdimm).
GUEST_KMODS="cxl_acpi cxl_pci cxl_mem vfio-pci vfio_iommu_type1 kvm-amd kvm-intel"
base=$CACHE/initramfs-base-$KVER.cpio
if [ ! -s "$base" ] || [ "$HERE/mkinitramfs.sh" -nt "$base" ]; then
	echo "vm: building base initramfs for $KVER" >&2
	kroot=$CACHE/kroot-$KVER
	mkdir -p "$kroot/lib/modules"
	ln -sfn "$KDIR/modules" "$kroot/lib/modules/$KVER"
	[ -f "$KDIR/modules/modules.dep" ] || depmod -b "$kroot" "$KVER"
	t=$(mktemp -d)
	mkdir -p "$t"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,lib/modules/$KVER}
	cp "$BB" "$t/bin/busybox"
	for m in $GUEST_KMODS; do
		modprobe -C /dev/null -d "$kroot" -S "$KVER" --show-depends "$m" ||
			die "guest kernel $KVER has no module $m"
	done | awk '$1=="insmod"{print $2}' | sort -u | while read -r ko; do
		rel=${ko#"$kroot/lib/modules/$KVER/"}
		dst=$t/lib/modules/$KVER/${rel%.ko*}.ko
		mkdir -p "$(dirname "$dst")"
		case "$ko" in
		*.ko.xz) xz -dc "$ko" > "$dst";;
		*.ko.zst) zstd -q -dc "$ko" > "$dst";;
		*.ko.gz) gzip -dc "$ko" > "$dst";;
		*) cp "$ko" "$dst";;
		esac
	done
	cp "$KDIR/modules/modules.order" "$KDIR/modules/modules.builtin" "$t/lib/modules/$KVER/"
	(cd "$t" && find . | cpio -o -H newc --quiet) > "$base.tmp"
	mv "$base.tmp" "$base"
	rm -rf "$t"
fi
if [ "$base_only" = 1 ]; then
	echo "$base"
	exit 0
fi

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
mkdir -p "$t/usr/bin" "$t/etc/vfio-cxl" "$t/lib/modules/$KVER/extra"
cp "$HERE/guest/init" "$t/init"
chmod +x "$t/init"
cp "$runsh" "$t/etc/vfio-cxl/run.sh"
for b in "${bins[@]}"; do
	[ -e "$b" ] || die "guest program $b does not exist (run 'make' first)"
	cp "$b" "$t/usr/bin/"
done
for m in "${mods[@]}"; do
	[ -e "$m" ] || die "guest module $m does not exist (run 'make' first)"
	cp "$m" "$t/lib/modules/$KVER/extra/"
done
(cd "$t" && find . | cpio -o -H newc --quiet) > "$t.cpio"
extra=()
for x in ${GUEST_EXTRA_CPIO:-}; do
	[ -s "$x" ] || die "extra initramfs archive $x does not exist"
	extra+=("$x")
done
cat "$base" "$t.cpio" "${extra[@]}" > "$out"
rm -f "$t.cpio"
