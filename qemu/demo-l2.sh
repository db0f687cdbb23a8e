#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# qemu/demo-l2.sh: a VM using a passed-through CXL device's memory, end to end.
#
# On this machine (L0) QEMU TCG emulates a CXL host (L1, topology l2-single:
# one host bridge, one root port, one 256 MiB cxl-type3 device backed by a
# file here). In L1 the firmware step commits the device's decoder, the
# vfio-cxl module takes the device, and the patched QEMU (make qemu) starts a
# Linux guest (L2) with KVM, the device passed through behind a CXL host
# bridge. L2's CXL core finds the endpoint with decoder 0 committed and
# locked at its window's base; L2 benchmarks the window against its RAM and
# writes patterns through the window; back here the patterns are looked for
# in the device's backing file. Prints a short report; exit 0 when it all
# holds.
. "$(dirname "$0")/demo-lib.sh"
demo_init demo-l2
demo_build "the patched QEMU and the L1/L2 images (make qemu)"
step "booting the emulated CXL host (L1, QEMU TCG); in it: firmware step, vfio-cxl, QEMU + KVM, guest L2"
GUEST_EXTRA_CPIO=$BUILD/qemu/l1-extra.cpio "$TOP/tests/vm/run" -q -s 2 -T 600 --firmware \
	-t l2-single -w "$WORK" -- l2-host run single l2.ndev=1 > "$WORK.log" 2>&1
rc=$?
log() { grep -E "$1" "$WORK.log" | head -n "${2:-1}"; }
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p" <<<"$bench"; }

fails=$(grep -c '^not ok' "$WORK.log")
oks=$(grep -c '^ok' "$WORK.log")
step "report"
echo "  L1 device         : $(log '^[0-9a-f]{4}:.*window 0' | sed 's/, Mem_Enable set//')"
echo "  QEMU (in L1)      : $(log 'decoder 0 at' | sed 's/.*info: vfio-cxl //')"
echo "  L2 CXL core       : $(log '^# l2: device 0:.*endpoint' | sed 's/^# l2: device 0: //')"
echo "  L2 window         : $(log '^# l2: device 0: window' | sed 's/^# l2: device 0: //')"
echo "  L2 region         : $(log '^# l2: device 0: (the CXL core assembled|no region)' | sed 's/^# l2: device 0: //')"
bench=$(log '^# l2-bench:' | sed 's/^# l2-bench: //')
if [ -n "$bench" ]; then
	printf '  L2 benchmark      : CXL window write %s MB/s read %s MB/s; RAM write %s MB/s read %s MB/s; RAM/CXL %sx write, %sx read\n' \
		"$(field cxl_write_mbs)" "$(field cxl_read_mbs)" "$(field ram_write_mbs)" "$(field ram_read_mbs)" \
		"$(field ram_over_cxl_write)" "$(field ram_over_cxl_read)"
fi
echo "  L2 patterns       : $(grep -c '^ok - l2: device 0: pattern' "$WORK.log") of 5 written and read back through the window"
host=$("$TOP/tests/vm/oracle-check" "$WORK" 1 2>&1)
hok=$(grep -c '^ok' <<<"$host")
echo "  host (L0) check   : $hok of 5 patterns found in $WORK/mem0.raw at their offsets, nowhere else"
echo "  checks            : $oks ok, $fails not ok in L1/L2 (log $WORK.log)"
if [ $rc = 0 ] && [ "$fails" = 0 ] && [ "$hok" = 5 ]; then
	step "demo passed in $(( $(date +%s) - t0 )) s: a KVM guest reads and writes a passed-through CXL device's memory through its CXL window"
	exit 0
fi
grep '^not ok' "$WORK.log" | head
step "demo FAILED (status $rc)"
exit 1
