#!/usr/bin/env bash
# make demo: the main job on the built-in `single` topology.
# Boots the emulated CXL host, runs the firmware step, loads the module,
# binds the device, plays the VMM through libvfiocxl, then confirms from the
# host that the pattern the "guest" wrote is in the device's backing file.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$TOP/build}
WORK=$BUILD/vm/demo
OFFSETS=0x0,0x200000,0x4000000,0xfffffc0
SEED=0x$(printf '%08x' $(( $(date +%s) & 0xffffffff )))
t0=$(date +%s)

step() { printf '\033[1m>> %s\033[0m\n' "$*"; }
step "vfio-cxl demo: a CXL device's memory passed through VFIO, on an emulated CXL host"
step "booting Debian's $(cat "${VFIO_CXL_CACHE:-/var/cache/vfio-cxl}/deps.stamp") under QEMU TCG" \
	"(topology 'single': 1 host bridge, 1 root port, 1 CXL device of 256 MiB, 1 window of 4 GiB)"
"$HERE/run" -q -t single -w "$WORK" -T 240 --firmware-lock -- \
	env DEMO_OFFSETS=$OFFSETS DEMO_SEED=$SEED demo-guest
rc=$?
if [ $rc != 0 ]; then
	echo "demo: FAILED in the emulated host (status $rc); logs in $WORK" >&2
	exit 1
fi

step "host: looking for the pattern in the device's backing file ($WORK/mem0.raw)"
bad=0
for off in ${OFFSETS//,/ }; do
	want=$(printf 'vfio-cxl demo: offset 0x%016x seed %s' $((off)) "$SEED")
	got=$(dd if="$WORK/mem0.raw" bs=1 skip=$((off)) count=${#want} status=none)
	if [ "$got" = "$want" ]; then
		printf '  [ ok ] offset %-10s "%s"\n' "$off" "$got"
	else
		printf '  [FAIL] offset %-10s expected "%s", found "%s"\n' "$off" "$want" "$got"
		bad=1
	fi
done
if [ $bad = 0 ]; then
	step "demo passed in $(( $(date +%s) - t0 )) s: what the VMM wrote through the DPA mapping is in the device's memory"
else
	step "demo FAILED: the device's memory does not hold what the VMM wrote"
fi
exit $bad
