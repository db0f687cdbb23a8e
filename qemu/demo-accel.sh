#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# qemu/demo-accel.sh: a guest driver running a passed-through CXL Type-2
# accelerator, end to end (the demo's third act).
#
# On this machine (L0) QEMU TCG emulates a CXL host (L1, topology l2-accel:
# one cxl-accel, the project's emulated Type-2 accelerator, its 256 MiB of
# device memory a file here). In L1 the firmware step commits and locks its
# decoder, vfio-cxl takes it, and the patched QEMU starts a Linux guest (L2)
# with KVM and the accelerator behind a CXL host bridge. In L2 the guest
# driver (guest/cxl-accel) probes it, copies with its DMA engine both ways,
# writes through the device cache and flushes it with a Cache WBI, resets
# the device (its FLR goes through QEMU to the host's vfio-cxl) and carries
# on, and binds again. Back here every pattern is looked for in the
# device's backing file. Prints a short report; exit 0 when it all holds.
. "$(dirname "$0")/demo-lib.sh"
demo_init demo-accel
demo_build "the patched QEMU, the guest driver and the L1/L2 images"
step "booting the emulated CXL host with a Type-2 accelerator (L1); in it: firmware step, vfio-cxl, QEMU + KVM, guest L2 with the driver"
GUEST_EXTRA_CPIO=$BUILD/qemu/l1-extra.cpio "$TOP/tests/vm/run" -q -s 2 -T 900 --firmware \
	-t l2-accel -w "$WORK" -- env L2_TIMEOUT=420 l2-host run accel l2.ndev=1 l2.mode=accel > "$WORK.log" 2>&1
rc=$?
# the text of the first L2 check whose name matches $1
res() { grep -E "^ok - l2: [0-9a-f:.]+: $1" "$WORK.log" | head -n 1 | sed -E 's/^ok - l2: [0-9a-f:.]+: //'; }

fails=$(grep -c '^not ok' "$WORK.log")
oks=$(grep -c '^ok' "$WORK.log")
step "report"
echo "  L1 accelerator    : $(grep -E '^[0-9a-f]{4}:.*window 0' "$WORK.log" | head -n 1)"
echo "  L2 window         : $(res 'decoder 0 at .* is in root decoder')"
echo "  driver probe      : $(res 'probe:' | sed 's/^probe: //')"
echo "  DMA host -> dev   : $(res 'DMA system -> device memory' | sed 's/^[^:]*: //')"
echo "  DMA dev -> host   : $(res 'CPU write through the WB mapping, DMA device -> system memory' | sed 's/^[^:]*: //')"
echo "  cache + WBI       : $(res 'cache write \+ Cache WBI reaches' | sed 's/^[^:]*: //')"
echo "  without the WBI   : $(res 'negative control' | sed 's/^[^:]*: [^:]*: //')"
echo "  reset, carry on   : $(res 'FLR: reset_done' | sed 's/^[^:]*: //')"
echo "  after a rebind    : $(res 'DMA after the rebind' | sed 's/^[^:]*: //')"
host=$("$TOP/guest/tests/accel-check" "$WORK" 1 2>&1)
hok=$(grep -c '^ok' <<<"$host") hn=$(grep -cE '^(not )?ok' <<<"$host")
echo "  host (L0) check   : $hok of $hn checks: each pattern whole at its offset of $WORK/mem0.raw and nowhere else, the skipped WBI's lost"
echo "  checks            : $oks ok, $fails not ok in L1/L2 (log $WORK.log)"
if [ $rc = 0 ] && [ "$fails" = 0 ] && [ "$hn" -gt 0 ] && [ "$hok" = "$hn" ]; then
	step "demo passed in $(( $(date +%s) - t0 )) s: a guest driver runs a passed-through CXL Type-2 accelerator: DMA both ways, its cache flushed, a reset survived"
	exit 0
fi
grep "^not ok" <<<"$host" | head
grep '^not ok' "$WORK.log" | head
step "demo FAILED (status $rc)"
exit 1
