#!/usr/bin/env bash
# Install every build and test dependency of vfio-cxl with apt.
#
# Idempotent and quiet when already done. Nothing is pinned: QEMU comes from
# bookworm-backports (added by deriving its entry from the machine's own
# Debian source entry), the guest kernel is the newest 6.12 image that
# bookworm-security offers at install time, unpacked (never installed) into
# the cache directory.
set -euo pipefail

CACHE=${VFIO_CXL_CACHE:-/var/cache/vfio-cxl}
STAMP=$CACHE/deps.stamp
BP_LIST=/etc/apt/sources.list.d/vfio-cxl-backports.sources

log() { printf 'deps: %s\n' "$*" >&2; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (apt-get install)"

# Host packages, from bookworm itself. The Debian packaging (make deb and
# its test) needs debhelper, dh-dkms, dkms and lintian; vm-config's libvirt
# XML is checked with virt-xml-validate (libvirt-clients, xmllint).
HOST_PKGS=(gcc make clang llvm libclang-rt-14-dev dwarves busybox-static kmod
	   cpio pciutils ndctl python3 valgrind hyperfine zstd xz-utils
	   file bc flex bison libelf-dev
	   dpkg-dev debhelper dh-dkms dkms lintian man-db
	   libvirt-clients libxml2-utils)

# ---- bookworm-backports, derived from the machine's Debian entry ---------
add_backports() {
	[ -f "$BP_LIST" ] && return 0
	local uri="" keyring=""
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		# The stanza whose Suites has plain "bookworm" is the main archive.
		uri=$(awk 'BEGIN{RS=""; FS="\n"}
			/(^|\n)Suites:[^\n]*(^|[ \t])bookworm([ \t]|$)/ {
				for (i = 1; i <= NF; i++)
					if ($i ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", $i); split($i, a, /[ \t]+/); print a[1]; exit }
			}' "$f")
		keyring=$(awk 'BEGIN{RS=""; FS="\n"}
			/(^|\n)Suites:[^\n]*(^|[ \t])bookworm([ \t]|$)/ {
				for (i = 1; i <= NF; i++)
					if ($i ~ /^Signed-By:/) { sub(/^Signed-By:[ \t]*/, "", $i); print $i; exit }
			}' "$f")
		[ -n "$uri" ] && break
	done
	if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
		uri=$(awk '$1=="deb" && $3=="bookworm" {print $2; exit}' /etc/apt/sources.list)
	fi
	[ -n "$uri" ] || die "no Debian bookworm entry in /etc/apt/sources.list{,.d} to derive bookworm-backports from"
	log "adding bookworm-backports (derived from $uri)"
	{
		echo "Types: deb deb-src"
		echo "URIs: $uri"
		echo "Suites: bookworm-backports"
		echo "Components: main"
		[ -n "$keyring" ] && echo "Signed-By: $keyring"
	} > "$BP_LIST"
	APT_UPDATED=0
}

APT_UPDATED=${APT_UPDATED:-0}
apt_update() {
	[ "$APT_UPDATED" = 1 ] && return 0
	log "apt-get update"
	apt-get update -qq > "$CACHE/apt.log" 2>&1 ||
		{ tail -n 20 "$CACHE/apt.log" >&2; die "apt-get update failed (log: $CACHE/apt.log)"; }
	APT_UPDATED=1
}

missing() {
	local p out=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "${p%%/*}" 2>/dev/null | grep -q 'ok installed' || out+=("$p")
	done
	printf '%s\n' "${out[@]}"
}

apt_install() {
	[ $# -gt 0 ] || return 0
	apt_update
	log "installing: $*"
	# apt's own chatter (debconf's notes) goes to a log, shown if it fails
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
		> "$CACHE/apt.log" 2>&1 || { tail -n 20 "$CACHE/apt.log" >&2; die "apt-get install $* failed (log: $CACHE/apt.log)"; }
}

qemu_ok() {
	command -v qemu-system-x86_64 >/dev/null &&
		qemu-system-x86_64 --version | grep -qE 'version (1[0-9])\.'
}

# The newest 6.12 amd64 kernel that apt offers now (e.g. 6.12.117+deb12-amd64).
newest_kernel() {
	apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb[0-9]+-amd64-unsigned$' |
		awk '{print $1}' | sed -e 's/^linux-image-//' -e 's/-unsigned$//' | sort -V | tail -n 1
}

# Building the patched QEMU (qemu/build.sh): glib from bookworm, meson >= 1.5
# and pycotap from bookworm-backports (installed explicitly from there).
QEMU_BUILD_PKGS=(libglib2.0-dev ninja-build pkg-config meson/bookworm-backports
		 python3-pycotap/bookworm-backports)
meson_ok() {
	command -v meson >/dev/null &&
		[ "$(printf '%s\n1.5\n' "$(meson --version)" | sort -V | head -n1)" = 1.5 ]
}

# ---- fast path -------------------------------------------------------------
if [ -f "$STAMP" ] && qemu_ok && meson_ok && [ -z "$(missing "${HOST_PKGS[@]}" "${QEMU_BUILD_PKGS[@]}")" ]; then
	kver=$(cat "$STAMP")
	if [ -f "$CACHE/kernel/$kver/vmlinuz" ] && [ -d "/usr/src/linux-headers-$kver" ]; then
		exit 0
	fi
fi

mkdir -p "$CACHE"
add_backports

# shellcheck disable=SC2046
apt_install $(missing "${HOST_PKGS[@]}")

if ! qemu_ok; then
	apt_update
	apt_install qemu-system-x86/bookworm-backports qemu-system-common/bookworm-backports \
		qemu-system-data/bookworm-backports seabios/bookworm-backports ipxe-qemu
	qemu_ok || die "qemu-system-x86_64 10.x not available after install"
fi

if ! meson_ok || [ -n "$(missing "${QEMU_BUILD_PKGS[@]}")" ]; then
	apt_install "${QEMU_BUILD_PKGS[@]}"
	meson_ok || die "meson >= 1.5 not available after install"
fi

apt_update
kver=$(newest_kernel)
[ -n "$kver" ] || die "no linux-image-6.12.*-amd64-unsigned package found in apt (is bookworm-security in the sources?)"

# Headers are installed (module builds need them); the image is only unpacked.
if [ ! -d "/usr/src/linux-headers-$kver" ]; then
	apt_install "linux-headers-$kver"
fi
kdir=$CACHE/kernel/$kver
if [ ! -f "$kdir/vmlinuz" ]; then
	log "unpacking linux-image-$kver-unsigned into $kdir"
	tmp=$(mktemp -d "$CACHE/dl.XXXXXX")
	# (as root into a root-owned folder apt warns it downloads unsandboxed)
	(cd "$tmp" && apt-get download -qq "linux-image-$kver-unsigned" > "$CACHE/apt.log" 2>&1) \
		|| { tail -n 20 "$CACHE/apt.log" >&2; rm -rf "$tmp"; die "cannot download linux-image-$kver-unsigned"; }
	mkdir -p "$tmp/root"
	dpkg-deb -x "$tmp"/linux-image-*.deb "$tmp/root"
	rm -rf "$kdir"
	mkdir -p "$kdir"
	mv "$tmp/root/boot/vmlinuz-$kver" "$kdir/vmlinuz"
	mv "$tmp/root/lib/modules/$kver" "$kdir/modules"
	rm -rf "$tmp"
fi
echo "$kver" > "$STAMP"
log "ready: qemu $(qemu-system-x86_64 --version | head -n1 | awk '{print $4}'), guest kernel $kver"
