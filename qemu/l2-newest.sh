#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# qemu/l2-newest.sh CACHE: the newest Debian amd64 kernel, for L2 only
# (issue 11: does a newer guest kernel assemble a region behind a
# passthrough host bridge?). Prints "VERSION FOLDER"; FOLDER holds vmlinuz
# and modules/ (what l2-pack.sh takes as L2_KVER and L2_KDIR).
#
# - Where from: the suites past bookworm that carry released kernels,
#   trixie-backports and sid, at the URI of the machine's own Debian entry
#   (the one scripts/deps.sh derived bookworm-backports from). Experimental
#   carries release candidates only and is not searched.
# - How: a private apt state under CACHE/apt-newest (its own sources list,
#   lists and archives), so the machine's apt sources and packages are not
#   touched; the packages are downloaded and unpacked, never installed.
# - The newest version wins, by its number (7.3.4+deb13 over 7.2.13+deb14).
#   It is unpacked once into CACHE/kernel-newest/VERSION.
set -euo pipefail
CACHE=$1
log() { printf 'l2-newest: %s\n' "$*" >&2; }
die() { printf 'l2-newest: error: %s\n' "$*" >&2; exit 1; }

bp=/etc/apt/sources.list.d/vfio-cxl-backports.sources
[ -f "$bp" ] || die "$bp missing: run 'make deps' (it derives that entry from the machine's own)"
uri=$(awk '/^URIs:/ {print $2; exit}' "$bp")
keyring=$(awk '/^Signed-By:/ {print $2; exit}' "$bp")
[ -n "$uri" ] || die "no URIs: line in $bp"

A=$CACHE/apt-newest
mkdir -p "$A/lists/partial" "$A/archives/partial" "$A/parts"
{
	echo "Types: deb"
	echo "URIs: $uri"
	echo "Suites: trixie-backports sid"
	echo "Components: main"
	[ -n "$keyring" ] && echo "Signed-By: $keyring"
} > "$A/parts/newest.sources"
apt_opts=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$A/parts"
	  -o "Dir::State::Lists=$A/lists" -o "Dir::Cache=$A" -o "Dir::Cache::Archives=$A/archives"
	  -o "Debug::NoLocking=1")
log "apt-get update (trixie-backports, sid at $uri; private state in $A)"
apt-get "${apt_opts[@]}" update -qq > "$A/apt.log" 2>&1 ||
	{ tail -n 20 "$A/apt.log" >&2; die "apt-get update failed (log: $A/apt.log)"; }

ver=$(apt-cache "${apt_opts[@]}" search --names-only '^linux-image-[0-9]+\.[0-9]+\.[0-9]+\+deb[0-9]+-amd64$' |
	awk '{print $1}' | sed -e 's/^linux-image-//' | sort -V | tail -n 1)
[ -n "$ver" ] || die "no linux-image-X.Y.Z+debN-amd64 in trixie-backports or sid"
kdir=$CACHE/kernel-newest/$ver
if [ ! -f "$kdir/vmlinuz" ] || [ ! -d "$kdir/modules" ]; then
	# The image package is a meta package on newer kernels (the kernel is
	# in linux-binary-*, the modules in linux-modules-*, modules.order and
	# modules.builtin in linux-base-*); older ones hold it all themselves.
	# Download it and whichever of those exist.
	pkgs=("linux-image-$ver")
	for p in "linux-binary-$ver" "linux-modules-$ver" "linux-base-$ver"; do
		apt-cache "${apt_opts[@]}" show "$p" > /dev/null 2>&1 && pkgs+=("$p")
	done
	log "downloading ${pkgs[*]}"
	tmp=$(mktemp -d "$CACHE/dl-newest.XXXXXX")
	(cd "$tmp" && apt-get "${apt_opts[@]}" download -qq "${pkgs[@]}" >> "$A/apt.log" 2>&1) ||
		{ tail -n 20 "$A/apt.log" >&2; rm -rf "$tmp"; die "cannot download ${pkgs[*]}"; }
	mkdir -p "$tmp/root"
	for d in "$tmp"/*.deb; do dpkg-deb -x "$d" "$tmp/root"; done
	# (/usr/lib/modules/VERSION/vmlinuz on newer kernels)
	mods=$tmp/root/lib/modules/$ver
	[ -d "$mods" ] || mods=$tmp/root/usr/lib/modules/$ver
	vmlinuz=$tmp/root/boot/vmlinuz-$ver
	[ -f "$vmlinuz" ] || vmlinuz=$mods/vmlinuz
	[ -f "$vmlinuz" ] || { rm -rf "$tmp"; die "no vmlinuz for $ver in ${pkgs[*]}"; }
	[ -d "$mods" ] || { rm -rf "$tmp"; die "no modules/$ver in ${pkgs[*]}"; }
	rm -rf "$kdir"
	mkdir -p "$kdir"
	mv "$vmlinuz" "$kdir/vmlinuz"
	mv "$mods" "$kdir/modules"
	rm -rf "$tmp"
fi
log "L2 kernel $ver ($kdir)"
echo "$ver $kdir"
