#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Debian packages as an operator meets them: `make deb` (debhelper,
# dh-dkms, lintian at its default level), then on this machine: apt installs
# the four built files, DKMS builds the module for the guest's 6.12 kernel
# (named by deps.stamp; the running kernel is another one), modinfo shows
# it, a program built with `pkg-config --cflags --libs libvfiocxl` links and
# runs, the command, its man page and completion are there; apt purges them
# and nothing is left (files, DKMS tree, module). TAP.
#
#   pkg_deb.sh TOP OUTDIR CACHE
#
# It installs into this machine's root: root only; the install, use and
# purge run one at a time (flock; the build before it needs no lock), apt
# waits for the dpkg lock. Packages of an earlier run that died half way are
# purged first.
set -u
top=$1 out=$2 cache=$3
n=0 fails=0
t() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}
PKGS="vfio-cxl-dkms libvfiocxl1 libvfiocxl-dev vfio-cxl"
APT="apt-get -y -q -o DPkg::Lock::Timeout=600"
export DEBIAN_FRONTEND=noninteractive
echo "1..16"

[ "$(id -u)" = 0 ] || { echo "# must run as root (apt, dkms)"; exit 1; }

kver=$(cat "$cache/deps.stamp" 2>/dev/null)
ver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
echo "# version $ver, guest kernel ${kver:-?} (running kernel $(uname -r))"

# 1-4: build (into this tree's OUTDIR: no lock needed)
bash "$top/scripts/mkdeb.sh" "$out" 2>&1 | sed 's/^/# /'
rc=${PIPESTATUS[0]}
debs=""
for p in $PKGS; do
	a=$arch
	[ "$p" = vfio-cxl-dkms ] && a=all
	[ -f "$out/${p}_${ver}_$a.deb" ] && debs="$debs $out/${p}_${ver}_$a.deb"
done
t $([ "$rc" = 0 ] && [ "$(echo $debs | wc -w)" = 4 ]; echo $?) \
	"make deb builds the four packages ($(cd "$out" 2>/dev/null && ls *.deb | tr '\n' ' '))"
nlint=$(grep -cE '^[EW]: ' "$out/lintian.log" 2>/dev/null)
t $([ -f "$out/lintian.log" ] && [ "$nlint" = 0 ]; echo $?) \
	"lintian at its default level: ${nlint:-?} error or warning tag(s) (overrides: $(cat "$top"/debian/*lintian-overrides "$top"/debian/source/lintian-overrides 2>/dev/null | grep -cv '^#'))"
dkver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/kernel/dkms.conf")
libver=$(sed -n 's/^LIBVFIOCXL_VERSION *:= *//p' "$top/lib/build.mk")
t $([ "$dkver" = "$ver" ] && [ "$libver" = "$ver" ]; echo $?) \
	"one version: debian/changelog $ver, dkms.conf $dkver, libvfiocxl $libver"
nsym=$(dpkg-deb --ctrl-tarfile "$out/libvfiocxl1_${ver}_$arch.deb" 2>/dev/null | tar -xOf - ./symbols | grep -c '^ vfio_cxl_')
nmap=$(grep -cE '^[[:space:]]+vfio_cxl_[a-z0-9_]*;' "$top/lib/libvfiocxl.sym")
t $([ "$nsym" = "$nmap" ] && ! grep -q 'dpkg-gensymbols: warning' "$out/build.log"; echo $?) \
	"libvfiocxl1's symbols file lists the map's $nmap symbols ($nsym), dpkg-gensymbols saw no difference"

# 5-16 change this machine's root: one run at a time (other work trees too)
exec 9> /var/lock/vfio-cxl-pkg-deb.lock
flock 9
for p in $PKGS; do
	if dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null | grep -qv '^not-installed$'; then
		echo "# purging $p left by an earlier run"
		$APT purge $PKGS > /dev/null 2>&1
		break
	fi
done

# 5-6: install with apt from the built files
before=$(mktemp) after=$(mktemp) files=$(mktemp)
trap 'rm -f "$before" "$after" "$files"' EXIT
snap() { find /usr/src /var/lib/dkms "/lib/modules/$kver" /usr/include /usr/lib/"$multiarch" \
	/usr/bin /usr/share/man/man1 /usr/share/bash-completion /usr/share/doc 2>/dev/null | sort; }
snap > "$before"
# shellcheck disable=SC2086
$APT install $debs > "$out/apt-install.log" 2>&1
rc=$?
sed -n '/dkms\|DKMS\|Building\|Installing\|Module/p' "$out/apt-install.log" | head -n 12 | sed 's/^/# apt: /'
t $rc "apt-get install of the four built files (log: apt-install.log)"
st=0
for p in $PKGS; do
	s=$(dpkg-query -W -f='${Status} ${Version}' "$p" 2>/dev/null)
	[ "$s" = "install ok installed $ver" ] || { st=1; echo "# $p: $s"; }
done
t $st "dpkg: $PKGS installed at $ver"

# 7-8: DKMS and the module, for the 6.12 headers explicitly
[ -n "$kver" ] && [ -d "/usr/src/linux-headers-$kver" ] || echo "# no headers for '$kver': run make deps"
dkms install "vfio-cxl/$ver" -k "$kver" > "$out/dkms-install.log" 2>&1
rc=$?
tail -n 3 "$out/dkms-install.log" | sed 's/^/# dkms: /'
dst=$(dkms status -m vfio-cxl -v "$ver" -k "$kver" 2>/dev/null)
echo "# dkms status: $dst"
t $([ $rc = 0 ] && echo "$dst" | grep -q ": installed"; echo $?) \
	"dkms install vfio-cxl/$ver -k $kver: installed"
fn=$(modinfo -k "$kver" -F filename vfio-cxl 2>/dev/null)
vm=$(modinfo -k "$kver" -F vermagic vfio-cxl 2>/dev/null)
al=$(modinfo -k "$kver" -F alias vfio-cxl 2>/dev/null | wc -l)
echo "# modinfo: $fn; vermagic $vm; $al alias(es)"
case "$fn" in "/lib/modules/$kver/updates/dkms/vfio-cxl.ko"*) fok=0;; *) fok=1;; esac
t $([ $fok = 0 ] && [ "${vm%% *}" = "$kver" ]; echo $?) \
	"modinfo -k $kver vfio-cxl: the DKMS-built module, vermagic $kver"

# 9-10: a program built with pkg-config against the installed library
flags=$(pkg-config --cflags --libs libvfiocxl 2>&1)
exe=$out/pkgconfig-user
rm -f "$exe" "$exe-static"
# shellcheck disable=SC2086
gcc -Wall -Werror -o "$exe" "$top/tests/unit/lib_abi_main.c" $flags 2>&1 | sed 's/^/# cc: /'
res=$([ -x "$exe" ] && "$exe")
so=$(ldd "$exe" 2>/dev/null | awk '/libvfiocxl/ {print $3}')
t $([ "$res" = -19 ] && [ -n "$so" ] && \
	[ "$(readlink -f "$so")" = "$(readlink -f "/usr/lib/$multiarch/libvfiocxl.so.1")" ]; echo $?) \
	"cc \$(pkg-config --cflags --libs libvfiocxl) = '$flags': links $so, runs (open of an absent device: ${res:-?}, -ENODEV wanted)"
# shellcheck disable=SC2046
gcc -Wall -Werror -static -o "$exe-static" "$top/tests/unit/lib_abi_main.c" \
	$(pkg-config --cflags libvfiocxl) "/usr/lib/$multiarch/libvfiocxl.a" 2>&1 | sed 's/^/# cc: /'
res=$([ -x "$exe-static" ] && "$exe-static")
t $([ "$res" = -19 ]; echo $?) "static link with libvfiocxl-dev's libvfiocxl.a runs (${res:-?})"

# 11-12: the command, its man page and completion
v=$(vfio-cxl --version 2>&1)
man=$(man -w vfio-cxl 2>/dev/null)
t $([ "$v" = "vfio-cxl $ver" ] && [ "$man" = /usr/share/man/man1/vfio-cxl.1.gz ] && \
	[ "$(command -v vfio-cxl)" = /usr/bin/vfio-cxl ]; echo $?) \
	"/usr/bin/vfio-cxl --version: '$v'; man page $man"
comp=$(bash -c '. /usr/share/bash-completion/completions/vfio-cxl && COMP_WORDS=(vfio-cxl vm) COMP_CWORD=1 && _vfio_cxl && echo "${COMPREPLY[*]}"; COMP_WORDS=(vfio-cxl vm-config --li) COMP_CWORD=2 && _vfio_cxl && echo "${COMPREPLY[*]}"' 2>&1 | tr '\n' ' ')
t $([ "$comp" = "vm-config --libvirt " ]; echo $?) "bash completion: 'vfio-cxl vm<TAB>', 'vm-config --li<TAB>' -> $comp"

# 13-16: purge; nothing left
for p in $PKGS; do dpkg -L "$p" 2>/dev/null; done | sort -u > "$files"
$APT purge $PKGS > "$out/apt-purge.log" 2>&1
t $? "apt-get purge of the four packages (log: apt-purge.log)"
left=""
while read -r f; do
	[ -e "$f" ] || continue
	grep -qxF "$f" "$before" && continue	# there before (e.g. /usr/bin)
	[ -d "$f" ] && [ -n "$(ls -A "$f")" ] && continue	# shared, not empty (/usr)
	left="$left $f"
done < "$files"
st=0
for p in $PKGS; do
	s=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
	[ -z "$s" ] || [ "$s" = not-installed ] || { st=1; echo "# $p: $s"; }
done
t $([ $st = 0 ] && [ -z "$left" ]; echo $?) \
	"dpkg knows none of them; none of their $(wc -l < "$files") files is left${left:+:$left}"
t $([ ! -e /var/lib/dkms/vfio-cxl ] && [ ! -e "/usr/src/vfio-cxl-$ver" ] && \
	[ -z "$(find "/lib/modules/$kver" -name 'vfio-cxl.ko*' 2>/dev/null)" ] && \
	! modinfo -k "$kver" vfio-cxl > /dev/null 2>&1; echo $?) \
	"no DKMS tree, no source in /usr/src, no vfio-cxl.ko for $kver, modinfo finds none"
snap > "$after"
# dkms makes its module-signing key on its first build, for every module it
# will build (/var/lib/dkms/mok.*): dkms's state, not this package's.
d=$(diff "$before" "$after" | grep '^[<>]' | grep -v '^> /var/lib/dkms/mok\.\(key\|pub\)$')
[ -n "$d" ] && echo "$d" | head -n 10 | sed 's/^/# changed: /'
t $([ -z "$d" ]; echo $?) "the trees the packages touch list the same paths as before the install"
[ $fails = 0 ]
