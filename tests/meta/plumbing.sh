#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# tests/meta/plumbing.sh TOP BUILD: the test plumbing tested as a skeptic
# would, each case a way the suite could report success while a test failed
# (issue 16): scripts/tap-run, scripts/tap-summary, the negative controls
# (tests/vm/tests/expect-verdict on the host checkers' verdicts), the ABI
# check's stale binaries, qemu/guest/l2-host booting L2 once only, the
# refusals lib/topo/vm-test.sh holds topologies to, and a make VM target
# whose guest step fails under a fake QEMU. No guest boots. TAP.
set -u
TOP=$1 BUILD=$2
S=$(mktemp -d "${TMPDIR:-/tmp}/vfio-cxl-plumbing.XXXXXX")
trap 'rm -rf "$S"' EXIT
n=0 fails=0
t() { # t STATUS DESC [DIAG-FILE]
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else
		echo "not ok $n - $2"; fails=$((fails + 1))
		[ -n "${3:-}" ] && [ -f "$3" ] && tail -n 15 "$3" | sed 's/^/#   /'
	fi
}
is() { [ "$1" = "$2" ]; }
TAPRUN=$TOP/scripts/tap-run SUMMARY=$TOP/scripts/tap-summary
EXPECT=$TOP/tests/vm/tests/expect-verdict
echo "1..45"

# ---- tap-run ------------------------------------------------------------------
tr_rc() { "$TAPRUN" "$S/tr.tap" "$@" > "$S/tr.out" 2>&1; echo $?; }
emit() { printf '%b' "$1"; }
export -f emit
is "$(tr_rc bash -c 'emit "1..1\nnot ok 1 - x\n# vm: retry: QEMU aborted: fake\n1..1\nok 1 - y\n"')" 1
t $? "tap-run: a line claiming a retry does not hide an earlier 'not ok' (no run is retried)" "$S/tr.out"
is "$(tr_rc bash -c 'emit "1..1\nnot ok 1 - x\n# vm: retry $TAP_RUN_NONCE: QEMU aborted: fake\n1..1\nok 1 - y\n"')" 1
t $? "tap-run: ... nor does one naming the nonce the old retry trusted (TAP_RUN_NONCE)" "$S/tr.out"
is "$(tr_rc bash -c 'emit "ok 1 - x\nok 2 - y\n"')" 1
t $? "tap-run: output without a plan fails (its count cannot be checked)" "$S/tr.out"
grep -q "printed no plan" "$S/tr.tap"; t $? "tap-run: ... and says so in the TAP file"
printf 'tr 2\n' > "$S/tr.suites"
is "$(TAP_SUITES=$S/tr.suites tr_rc bash -c 'emit "ok - x\nok - y\n"')" 0
t $? "tap-run: plan-less output passes when tests/suites declares its count (2 of 2)" "$S/tr.out"
is "$(TAP_SUITES=$S/tr.suites tr_rc bash -c 'emit "ok - x\n"')" 1
t $? "tap-run: plan-less output that dropped a result (1 of 2 declared) fails" "$S/tr.out"
is "$(tr_rc bash -c 'emit "1..2\nok 1 - x\nBail out! the device is gone\n"')" 1
t $? "tap-run: 'Bail out!' fails the suite" "$S/tr.out"
is "$(tr_rc bash -c 'emit "1..0 # SKIP no device\n"')" 1
t $? "tap-run: a suite that skips itself whole (1..0) fails" "$S/tr.out"
is "$(tr_rc bash -c 'emit "1..3\nok 1\nok 2\n"')" 1
t $? "tap-run: fewer results than planned fails" "$S/tr.out"
is "$(tr_rc bash -c 'emit "1..1\nok 1\n"; exit 3')" 1
t $? "tap-run: a non-zero exit with only passing results fails" "$S/tr.out"
is "$(tr_rc bash -c 'emit "1..2\nok 1\nok 2 # SKIP not here\n"')" 0
t $? "tap-run: a planned, passing run with a skip passes" "$S/tr.out"

# ---- tap-summary ----------------------------------------------------------------
mkdir -p "$S/r"
printf '1..2\nok 1 - a\nnot ok 2 - b # SKIP not really\n' > "$S/r/unit-a.tap"
"$SUMMARY" "$S/r/unit-a.tap" > "$S/sum.out"; rc=$?
[ $rc = 1 ] && grep -q '^1 passed, 1 failed, 0 skipped$' "$S/sum.out"
t $? "tap-summary: a 'not ok' with a SKIP directive is a failure, not dropped" "$S/sum.out"
printf '1..1\nok 1 - a\nBail out! gone\n' > "$S/r/unit-b.tap"
"$SUMMARY" "$S/r/unit-b.tap" > "$S/sum.out"; rc=$?
[ $rc = 1 ] && grep -q '^1 passed, 1 failed' "$S/sum.out"
t $? "tap-summary: 'Bail out!' counts as a failure" "$S/sum.out"
"$SUMMARY" "$S/r/none-"*.tap > "$S/sum.out"; rc=$?
[ $rc = 1 ] && grep -q 'no test result' "$S/sum.out"
t $? "tap-summary: zero files is a failure, not 0/0" "$S/sum.out"
printf '1..2\nok 1\nok 2\n' > "$S/r/unit-c.tap"
printf '1..1\nok 1\n' > "$S/r/vm-d.tap"
printf '# suite count\nunit-c 2\nvm-d 1\n' > "$S/manifest"
"$SUMMARY" --manifest "$S/manifest" --prefix '' "$S/r/unit-c.tap" "$S/r/vm-d.tap" > "$S/sum.out"; rc=$?
[ $rc = 0 ] && grep -q '^3 passed, 0 failed, 0 skipped$' "$S/sum.out"
t $? "tap-summary: declared suites with their declared counts pass" "$S/sum.out"
"$SUMMARY" --manifest "$S/manifest" --prefix '' "$S/r/unit-c.tap" > "$S/sum.out"; rc=$?
[ $rc = 1 ] && grep -q 'suite vm-d reported nothing' "$S/sum.out"
t $? "tap-summary: a declared suite that reported nothing fails the run" "$S/sum.out"
"$SUMMARY" --manifest "$S/manifest" --prefix 'unit-' "$S/r/unit-c.tap" > "$S/sum.out"; rc=$?
is $rc 0; t $? "tap-summary: --prefix limits the declarations that must have reported" "$S/sum.out"
printf 'unit-c 3\nvm-d 1\n' > "$S/manifest2"
"$SUMMARY" --manifest "$S/manifest2" --prefix '' "$S/r/unit-c.tap" "$S/r/vm-d.tap" > "$S/sum.out"; rc=$?
[ $rc = 1 ] && grep -q 'suite unit-c reported 2 results, .* declares 3' "$S/sum.out"
t $? "tap-summary: a suite that dropped a result (2 of 3 declared) fails the run" "$S/sum.out"
printf 'unit-c plan\nvm-d 1\n' > "$S/manifest3"
"$SUMMARY" --manifest "$S/manifest3" --prefix '' "$S/r/unit-c.tap" "$S/r/vm-d.tap" > "$S/sum.out"; rc=$?
is $rc 0; t $? "tap-summary: a suite declared 'plan' is held to its own plan (by tap-run), not to a number" "$S/sum.out"
"$SUMMARY" --manifest "$S/manifest" --prefix '' "$S/r/unit-a.tap" "$S/r/unit-c.tap" "$S/r/vm-d.tap" > "$S/sum.out"; rc=$?
[ $rc = 1 ] && grep -q 'suite unit-a (2 results) is not declared' "$S/sum.out"
t $? "tap-summary: an undeclared suite fails the run" "$S/sum.out"

# ---- the checkers' verdicts and the negative controls ---------------------------
# A fake device memory holding what oracle-write and vfio_cxl_test write.
W=$S/work; mkdir -p "$W"
python3 - "$W" <<'PY'
import struct, sys
w = sys.argv[1]
size = 256 << 20
with open(f"{w}/mem0.raw", "wb") as f:
    f.truncate(size)
    for k, off in enumerate([0x0, 0x1000, 0x123440, 0x7ffffc0, 0xffffff0]):
        f.seek(off)
        f.write(struct.pack("<QQ", 0x4C58435600000000 + k, off ^ 0x5A5A5A5A5A5A5A5A))
with open(f"{w}/kmem0.raw", "wb") as f:
    f.truncate(size)
    # where vfio_cxl_test writes, and tag 1's copy at 1 MiB (its pread into the mapping)
    for tag, off, at in [(1, 0x0, 0x0), (1, 0x0, 0x100000), (6, 0x300000, 0x300000),
                         (2, 0x200000, 0x200000), (3, 0x4000000, 0x4000000), (4, 0x8000000, 0x8000000)]:
        f.seek(at)
        f.write(b"".join(struct.pack("<Q", 0xc0de000000000000 ^ (tag << 40) ^ (off + i * 8))
                         for i in range(0x10000 // 8)))
PY
mkdir -p "$S/kwork" && mv "$W/kmem0.raw" "$S/kwork/mem0.raw"
OC=$TOP/tests/vm/oracle-check CB=$TOP/tests/selftests/check-backing
"$TAPRUN" "$S/oracle-host.tap" "$OC" "$W" 1 > "$S/oc.out" 2>&1
t $? "oracle-check passes on the patterns where oracle-write puts them" "$S/oc.out"
"$TAPRUN" "$S/neg.tap" "$EXPECT" "64 bytes off" "$S/oracle-host.tap" "not found" all -- "$OC" "$W" 1 --shift 64 > "$S/neg.out" 2>&1
t $? "expect-verdict: oracle-check 64 bytes off says 'not found' for all 5" "$S/neg.out"
"$TAPRUN" "$S/neg.tap" "$EXPECT" "stray" "$S/oracle-host.tap" "found elsewhere" 1 -- "$OC" "$W" 1 --plant 0:1:0x2000000 > "$S/neg.out" 2>&1
t $? "expect-verdict: oracle-check sees a planted copy as 'found elsewhere'" "$S/neg.out"
"$TAPRUN" "$S/neg.tap" "$EXPECT" "missing" "$S/oracle-host.tap" "not found" all -- "$OC" "$S/nowhere" 1 > "$S/neg.out" 2>&1
is $? 1; t $? "expect-verdict: a checker that cannot read its file (exit 2) is no negative verdict" "$S/neg.out"
"$TAPRUN" "$S/neg.tap" "$EXPECT" "wrong verdict" "$S/oracle-host.tap" "found elsewhere" all -- "$OC" "$W" 1 --shift 64 > "$S/neg.out" 2>&1
is $? 1; t $? "expect-verdict: 'not found' when 'found elsewhere' was asked fails" "$S/neg.out"
printf '1..1\nnot ok 1 - pattern missing\n' > "$S/bad-host.tap"
"$TAPRUN" "$S/neg.tap" "$EXPECT" "after a failed positive" "$S/bad-host.tap" "not found" all -- "$OC" "$W" 1 --shift 64 > "$S/neg.out" 2>&1
is $? 1; t $? "expect-verdict: a control after a failed positive check fails (it proves nothing)" "$S/neg.out"
"$TAPRUN" "$S/neg.tap" "$EXPECT" "nothing written" "$S/oracle-host.tap" "not found" all -- true > "$S/neg.out" 2>&1
is $? 1; t $? "expect-verdict: a command that writes nothing and succeeds fails" "$S/neg.out"
"$TAPRUN" "$S/kb.tap" "$CB" "$S/kwork" 1 > "$S/kb.out" 2>&1
t $? "check-backing passes on the regions where vfio_cxl_test writes them" "$S/kb.out"
"$TAPRUN" "$S/neg.tap" "$EXPECT" "stray region" "$S/kb.tap" "found elsewhere" 1 -- "$CB" "$S/kwork" 1 --plant 0:2:0x6000000 > "$S/neg.out" 2>&1
t $? "check-backing: a region's head planted elsewhere is 'found elsewhere' (it checks nowhere else)" "$S/neg.out"
"$TAPRUN" "$S/neg.tap" "$EXPECT" "8 off" "$S/kb.tap" "not found" all -- "$CB" "$S/kwork" 1 --shift 8 > "$S/neg.out" 2>&1
t $? "check-backing 8 bytes off says 'not found' for all 5" "$S/neg.out"

# ---- the ABI check never runs an earlier build's binary ----------------------------
A=$S/abi; mkdir -p "$A/out"
printf '#include <libvfiocxl.h>\n#error the public header no longer compiles\n' > "$A/broken.c"
printf '#!/bin/sh\nexit 0\n' > "$A/out/lib-stage-shared"; chmod +x "$A/out/lib-stage-shared"
cp "$A/out/lib-stage-shared" "$A/out/lib-stage-shared-static"
TOP=$TOP BUILD=$BUILD STAGE=$A/stage PREFIX=/usr/local ABI_MAIN=$A/broken.c ABI_OUT=$A/out \
	sh "$TOP/tests/unit/lib_abi_check.sh" > "$A/tap" 2>&1
[ "$(grep -c '^not ok' "$A/tap")" = 3 ] && grep -q '^not ok 3 ' "$A/tap" &&
	grep -q '^not ok 4 ' "$A/tap" && grep -q '^not ok 5 ' "$A/tap"
t $? "lib_abi_check: with a program that no longer compiles, its 3 build-and-run checks fail (stale binaries ignored)" "$A/tap"

# ---- L2 boots (qemu/guest/l2-host run) are never retried, under a fake QEMU -----
# A fake "realize error" QEMU (exits 1 at once, empty console, QEMU's error
# on stderr) and a fake stall (QEMU's info line about the CXL device, as
# the real one prints in every boot, L2's kernel printed to the console,
# then nothing until the boot timeout kills it). Each call records itself.
L=$S/l2; mkdir -p "$L/run" "$L/topo"
printf '# fake\n-device vfio-pci,host=@DEV0@,id=accel0\n' > "$L/topo/fake.l2"
cat > "$L/qemu" <<'FAKE'
#!/usr/bin/env bash
echo x >> "$FAKE_CALLS"; call=$(wc -l < "$FAKE_CALLS")
serial=()
for a in "$@"; do case "$a" in file:*) serial+=("${a#file:}");; esac; done
: > "${serial[0]}"; : > "${serial[1]}"
echo "fake QEMU call $call" >&2
if [ "$FAKE_L2" = boots ]; then
	k=$(printf '%s\n' "$@" | sed -n 's/.*l2\.boot=\([0-9]*\).*/\1/p')
	v=ok; [ "$k" = 2 ] && v="not ok"
	printf 'l2: up\n%s - l2: boot %s: fake\nl2: end\n' "$v" "$k" > "${serial[1]}"
	exit 0
fi
case "$FAKE_L2" in viommu-*)
	printf 'l2: up\nl2: end\n' > "${serial[1]}"
	echo "Linux version fake" > "${serial[0]}"
	echo "vfio_iommu_map_notify iommu MAP @ 0x10000000 - 0x101fffff" >&2
	echo "vfio_iommu_map_notify iommu MAP @ 0x20000000 - 0x201fffff" >&2
	[ "$FAKE_L2" = viommu-ok ] &&
		echo "qemu-system-x86_64: warning: vfio: a vIOMMU mapping of IOVA 0x20000000 to memory left out of DMA mapping (fake) is ignored" >&2
	exit 0;;
esac
if [ "$FAKE_L2" = realize ]; then
	echo "qemu-system-x86_64: -device vfio-pci,host=0000:0d:00.0,id=accel0: vfio-cxl: fake realize error" >&2
	exit 1
fi
echo "qemu-system-x86_64: -device vfio-pci,host=0000:0d:00.0,id=accel0: info: vfio-cxl accel0: CXL device: 256 MiB of device memory" >&2
echo "Linux version fake (call $call)" > "${serial[0]}"
exec sleep 30
FAKE
chmod +x "$L/qemu"
l2run() { # l2run MODE [l2-host ARGS]: l2-host ARGS (run fake), a fresh run dir, setup skipped
	m=$1; shift
	rm -rf "$L/run" "$L/calls"; mkdir -p "$L/run"; touch "$L/run/.l2-setup"
	FAKE_L2=$m FAKE_CALLS=$L/calls L2_QEMU=$L/qemu L2_TOPOLOGIES=$L/topo L2_RUN_DIR=$L/run \
		L2_TIMEOUT=1 VFIO_CXL_DEVICES=0000:0d:00.0 sh "$TOP/qemu/guest/l2-host" ${*:-run fake} > "$L/out" 2>&1
}
l2run realize
[ "$(wc -l < "$L/calls")" = 1 ] && ! grep -q 'stopped before' "$L/out" && grep -q '^not ok - l1: QEMU ran L2' "$L/out"
t $? "l2-host: a QEMU that fails to realize (exit 1, empty console) is not retried: one boot, 'not ok'" "$L/out"
grep -qx 'fake QEMU call 1' "$L/run/l2-qemu.err" && grep -q 'fake realize error' "$L/run/l2-qemu.err" &&
	grep -q '^# qemu: .*fake realize error' "$L/out"
t $? "l2-host: ... and that boot's own QEMU log (call 1's) is kept and shown" "$L/out"
l2run stall
[ "$(wc -l < "$L/calls")" = 1 ] && grep -q "^# l1: L2's kernel ran but its init never started" "$L/out" &&
	grep -q '^# qemu: fake QEMU call 1' "$L/out" && grep -q '^not ok - l1: QEMU ran L2 .*status 137' "$L/out"
t $? "l2-host: a boot whose init never starts (console output, no 'l2: up' before the timeout) is not tried again: one boot, said so, its QEMU log shown, 'not ok'" "$L/out"
l2run viommu-ok run fake l2.mode=viommu
grep -q "^ok - l1: QEMU left the window's IOVA out of DMA mapping (1 warning)" "$L/out" &&
	grep -q "^ok - l1: the guest's vIOMMU mappings .* reached VFIO (2 MAP" "$L/out"
t $? "l2-host viommu: QEMU's trace of both MAP notifications and its one warning for the window pass" "$L/out"
l2run viommu-leak run fake l2.mode=viommu
grep -q "^not ok - l1: QEMU left the window's IOVA out of DMA mapping (0 warning)" "$L/out"
t $? "l2-host viommu: a QEMU that DMA-maps the window's IOVA (no warning) fails the check" "$L/out"
l2run boots boots 3 fake
[ "$(wc -l < "$L/calls")" = 3 ] && grep -q '^ok - l1: boot 1 of 3 ' "$L/out" &&
	grep -q '^not ok - l1: boot 2 of 3 ' "$L/out" && grep -q '^ok - l1: boot 3 of 3 ' "$L/out" &&
	grep -q '^not ok - l1: 3 consecutive L2 boots .*: 0 stall(s), 1 other failure(s)' "$L/out"
t $? "l2-host boots: a boot whose L2 check fails is a failure of its own and of the run, never booted again (3 boots for 3)" "$L/out"

# ---- lib/topo/vm-test.sh: the refusals a topology declares, under a fake QEMU ----
# The fake is a guest whose Linux agrees with the plan: root decoders and a
# CEDT as TOPO_CMD computes them for its command line. A scratch cache (an
# empty kernel, a stub base initramfs) keeps the real one out of it.
V=$S/vt; mkdir -p "$V/topo" "$V/cache/kernel/fake"
TOPO_CMD=$BUILD/tests/unit/topo_cmd
echo fake > "$V/cache/deps.stamp"; : > "$V/cache/kernel/fake/vmlinuz"
echo stub > "$V/cache/initramfs-base-fake.cpio"
cat > "$V/qemu" <<'FAKE'
#!/usr/bin/env bash
serial=()
for a in "$@"; do case "$a" in file:*) serial+=("${a#file:}");; esac; done
: > "${serial[0]}"
d=$(dirname "${serial[1]}")
"$FAKE_TOPO_CMD" plan --json -- "$@" > "$d/fake-plan.json" 2> /dev/null
"$FAKE_TOPO_CMD" cedt --force -o "$d/fake-cedt" -- "$@" > /dev/null 2>&1
{
	echo '@@VFIO-CXL-BEGIN@@'
	python3 - "$d/fake-plan.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
uid = {h["host_bridge"]: h["uid"] for h in p["host_bridges"]}
for i, w in enumerate(p["windows"]):
    t = ",".join(str(uid[x]) for x in w["targets"])
    print(f"DEC decoder0.{i} {w['base']:#x} {w['size']:#x} {w['interleave_ways']} {w['interleave_granularity']} {t}")
PY
	echo CEDTHEX
	od -An -tx1 -v "$d/fake-cedt"
	echo '@@VFIO-CXL-EXIT 0@@'
} > "${serial[1]}"
FAKE
chmod +x "$V/qemu"
VT=$TOP/tests/vm/topologies
grep -v '^# plan-refuses:' "$VT/switch.topo" > "$V/topo/undeclared.topo"
{ echo '# plan-refuses: 1 a switch'; cat "$VT/single.topo"; } > "$V/topo/unrefused.topo"
cp "$VT/switch.topo" "$V/topo/declared.topo"
sed 's/^# plan-refuses: .*/# plan-refuses: 2 interleaves across/' "$VT/switch.topo" > "$V/topo/wrongreason.topo"
vt() { # vt TOPOLOGY: vm-test.sh on one scratch topology; its status
	TMPDIR=$V VM_TOPOLOGIES=$V/topo VM_QEMU=$V/qemu FAKE_TOPO_CMD=$TOPO_CMD VFIO_CXL_CACHE=$V/cache \
		bash "$TOP/lib/topo/vm-test.sh" "$TOPO_CMD" "$1" > "$V/$1.out" 2>&1
	echo $?
}
# a refusal's 'not ok' lines, and none else (the fake agrees on the rest)
only() { ! grep '^not ok' "$V/$1.out" | grep -vq "$2"; }
[ "$(vt undeclared)" = 1 ] && grep -q '^not ok .*the plan refuses 2 device(s), the topology declares 0' "$V/undeclared.out" &&
	only undeclared 'refused as the topology declares\|the topology declares\|plan exits 1'
t $? "vm-test.sh: a topology whose devices the plan refuses, undeclared, fails" "$V/undeclared.out"
[ "$(vt unrefused)" = 1 ] && grep -q '^not ok .*the plan refuses 0 device(s), the topology declares 1' "$V/unrefused.out" &&
	only unrefused 'the topology declares\|plan exits 0'
t $? "vm-test.sh: a declared refusal ('# plan-refuses: 1 ...') that does not happen fails" "$V/unrefused.out"
[ "$(vt wrongreason)" = 1 ] && grep -q '^not ok .*refused as the topology declares (.interleaves across.)' "$V/wrongreason.out" &&
	only wrongreason 'refused as the topology declares'
t $? "vm-test.sh: refusals of the declared count for another reason than declared fail" "$V/wrongreason.out"
[ "$(vt declared)" = 0 ] && grep -q '^ok .*mem1 refused as the topology declares' "$V/declared.out" &&
	! grep -q '^not ok' "$V/declared.out"
t $? "vm-test.sh: the declared refusals (switch.topo's own line), happening, pass" "$V/declared.out"

# ---- a make VM target whose guest step fails, under a fake QEMU ---------------------
# The fake writes the guest's TAP (one 'not ok', exit marker 1) to the
# second serial file and creates each memory backend's file, as QEMU would.
F=$S/fake; mkdir -p "$F"
cat > "$F/qemu" <<'FAKE'
#!/usr/bin/env bash
serial=() 
for a in "$@"; do
	case "$a" in file:*) serial+=("${a#file:}");; esac
	case "$a" in *mem-path=*) p=${a#*mem-path=}; p=${p%%,*}; truncate -s 256M "$p";; esac
done
: > "${serial[0]}"
if [ "${FAKE_GUEST:-fail}" = fail ]; then
	printf '@@VFIO-CXL-BEGIN@@\n1..2\nok 1 - fake\nnot ok 2 - fake failure\n@@VFIO-CXL-EXIT 1@@\n' > "${serial[1]}"
else
	printf '@@VFIO-CXL-BEGIN@@\n1..1\nok 1 - fake\n@@VFIO-CXL-EXIT 0@@\n' > "${serial[1]}"
fi
FAKE
chmod +x "$F/qemu"
mk() { make --no-print-directory -C "$TOP" BUILD="$BUILD" RESULTS="$S/results" VM_WORK="$S/vm" VM_QEMU="$F/qemu" "$@"; }
mk vm-oracle-single > "$S/mk.out" 2>&1; rc=$?
[ $rc != 0 ] && grep -q '^not ok 2 - fake failure' "$S/results/vm-oracle-single-guest.tap"
t $? "make vm-oracle-single exits non-zero when the guest reports a failure (status $rc)" "$S/mk.out"
grep -q '^not ok 1 .*did not pass' "$S/results/vm-oracle-single-negative.tap"
t $? "... and its negative controls refuse to run on data whose positive check failed" "$S/results/vm-oracle-single-negative.tap"
FAKE_GUEST=pass mk vm-oracle-single > "$S/mk.out" 2>&1; rc=$?
[ $rc != 0 ] && grep -q '^not ok .*not found' "$S/results/vm-oracle-single-host.tap"
t $? "make vm-oracle-single exits non-zero when the guest passes but the host finds nothing (status $rc)" "$S/mk.out"
mk check-vm VM_TESTS=vm-oracle-single > "$S/mk.out" 2>&1; rc=$?
sum=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$S/mk.out")
[ $rc != 0 ] && echo "$sum" | grep -qE '^[0-9]+ passed, [1-9][0-9]* failed'
t $? "make check-vm exits non-zero and its summary counts the failures (status $rc: $sum)" "$S/mk.out"
[ $fails = 0 ]
