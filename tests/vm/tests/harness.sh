#!/usr/bin/env bash
# The harness and the firmware step on good and bad input (TAP).
HERE=$(cd "$(dirname "$0")/.." && pwd)
RUN=$HERE/run
n=0 fail=0
echo "1..10"
check() { # check DESC EXPECTED_RC GREP_PATTERN -- run args...
	local desc=$1 want=$2 pat=$3 out rc
	shift 4
	n=$((n + 1))
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" = "$want" ] && echo "$out" | grep -qE -- "$pat"; then
		echo "ok $n - $desc"
	else
		fail=1
		echo "not ok $n - $desc: exit $rc (want $want), output lacks /$pat/"
		echo "$out" | tail -n 8 | sed 's/^/#   /'
	fi
}
check "unknown topology is refused by name" 2 "unknown topology 'nosuch' \(known: .*single" -- \
	"$RUN" -q -t nosuch -- true
check "missing guest kernel is reported" 2 "run 'make deps'" -- \
	env VFIO_CXL_CACHE=/nonexistent "$RUN" -q -- true
check "the guest command's exit status and output come back" 7 "^hello from the guest$" -- \
	"$RUN" -q -- sh -c 'echo hello from the guest; exit 7'
check "a guest that hangs is killed and reported with its console" 3 \
	"did not finish within 8s.*|console tail" -- "$RUN" -q -T 8 -- sleep 600
check "firmware step refuses a device behind a switch" 124 \
	"0000:..:00.0: a switch sits between the device and its host bridge" -- \
	"$RUN" -q -t switch --firmware -- true
check "firmware step refuses an interleaved window" 124 \
	"window 0 interleaves across 2 host bridges" -- "$RUN" -q -t interleave --firmware -- true
check "firmware step with lock-on-commit leaves decoder 0 committed and locked" 0 \
	"decoder 0: base 0x110000000 size 0x10000000 control 0x17.. COMMITTED LOCKED" -- \
	"$RUN" -q -t single --firmware-lock -- cxl-fw show
check "a refused firmware step writes nothing (Mem_Enable, decoders untouched)" 0 "^4$" -- \
	"$RUN" -q -t switch -- sh -c 'cxl-fw commit 2>/dev/null; cxl-fw show |
		grep -c -e "Mem_Enable off" -e "enable off; decoder 0: base 0 size 0 control 0$"'
# A QEMU that aborts on an assertion fails the run, with QEMU's own words,
# even when a second boot would have passed: the harness never boots twice.
fake=$(mktemp -d)
real=$(command -v "${VM_QEMU:-$HERE/../../build/qemu/qemu-system-x86_64}")
cat > "$fake/qemu-system-x86_64" <<EOF2
#!/bin/sh
if [ ! -e "$fake/aborted" ] || [ -n "\${ALWAYS_ABORT:-}" ]; then
	touch "$fake/aborted"
	echo "qemu: ../accel/tcg/cputlb.c:1: iotlb_to_section: Assertion \\\`x' failed." >&2
	kill -ABRT \$\$
fi
exec "$real" "\$@"
EOF2
chmod +x "$fake/qemu-system-x86_64"
check "an emulator abort fails the run, not retried (qemu exit 134)" 3 "qemu exit 134" -- \
	env VM_QEMU="$fake/qemu-system-x86_64" "$RUN" -q -- echo hello
check "... and the failure shows QEMU's assertion" 3 "vm: +qemu: .*iotlb_to_section: Assertion" -- \
	env VM_QEMU="$fake/qemu-system-x86_64" ALWAYS_ABORT=1 "$RUN" -q -- echo hello
rm -rf "$fake"
exit $fail
