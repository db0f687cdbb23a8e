#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# qemu-bases.sh TOPO_CMD OUT.tap [COUNT]
#
# Random property test against QEMU itself: for COUNT random machines (RAM,
# maxmem, slots, CPU vendor, phys-bits, window count and sizes, host bridges),
# the window bases `plan` predicts must equal the addresses of QEMU's
# "cxl-fixed-memory-region"s (`info mtree -f` of a stopped machine; no guest
# boots). Reproduce a run with SEED=N.
set -uo pipefail
CMD=$1 OUT=$2 COUNT=${3:-16}
SEED=${SEED:-$(date +%s)}
RANDOM=$SEED
mkdir -p "$(dirname "$OUT")"
if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "1..0 # SKIP qemu-system-x86_64 not installed" | tee "$OUT"
	exit 0
fi
pick() { local a=("$@"); echo "${a[RANDOM % ${#a[@]}]}"; }
tap=$(mktemp)
n=0
echo "# seed $SEED" >> "$tap"
for ((i = 0; i < COUNT; i++)); do
	ram=$(pick 128M 512M 1G 2G 2816M 3G 4G 6G)
	mem="$ram"
	case $((RANDOM % 3)) in
	1) mem="$ram,maxmem=$(pick 8G 12G 16G)";;
	2) mem="$ram,slots=$((RANDOM % 5)),maxmem=$(pick 8G 16G)";;
	esac
	cpu="$(pick max qemu64 Skylake-Client EPYC),phys-bits=$(pick 36 40 44 46 48)"
	nw=$((RANDOM % 4 + 1))
	m="q35,cxl=on"
	devs=()
	for ((w = 0; w < nw; w++)); do
		m="$m,cxl-fmw.$w.targets.0=hb$w,cxl-fmw.$w.size=$(pick 256M 1G 4G 16G 64G 256G 768G)"
		devs+=(-device "pxb-cxl,bus_nr=$((10 + 10 * w)),bus=pcie.0,id=hb$w")
	done
	args=(-m "$mem" -cpu "$cpu" -M "$m" "${devs[@]}")
	q=$(printf 'info mtree -f\nquit\n' | timeout 30 qemu-system-x86_64 -accel tcg -S -display none \
		-nodefaults -monitor stdio "${args[@]}" 2>&1)
	name="-m $mem -cpu $cpu, $nw window(s) [${m#q35,cxl=on,}]"
	if echo "$q" | grep -q "phys-bits too low"; then
		"$CMD" plan -- "${args[@]}" > /dev/null 2>&1
		prc=$?
		if [ $prc != 0 ]; then
			echo "ok - QEMU refuses (phys-bits too low), so does plan (exit $prc): $name" >> "$tap"
		else
			echo "not ok - QEMU refuses (phys-bits too low), plan does not: $name" >> "$tap"
			echo "$q" | grep "phys-bits too low" | sed 's/^/#   /' >> "$tap"
		fi
		continue
	fi
	got=$(echo "$q" | sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* .*cxl-fixed-memory-region.*/0x\1/p' |
		sort -u | tr '\n' ' ')
	exp=$("$CMD" plan --json -u -- "${args[@]}" | python3 -c '
import json, sys
p = json.load(sys.stdin)
print(" ".join("0x%016x" % int(w["base"], 16) if "base" in w else "none" for w in p["windows"]))')
	exp="$exp "
	n=$((n + 1))
	if [ "$got" = "$exp" ]; then
		echo "ok - bases as QEMU: $name" >> "$tap"
	else
		echo "not ok - bases as QEMU: $name" >> "$tap"
		echo "#   expected (QEMU): $got" >> "$tap"
		echo "#   actual (plan):   $exp" >> "$tap"
	fi
done
c=$(grep -cE '^(not )?ok' "$tap")
{ echo "1..$c"; awk '/^ok/ { i++; sub(/^ok/, "ok " i) } /^not ok/ { i++; sub(/^not ok/, "not ok " i) } { print }' "$tap"; } | tee "$OUT"
rm -f "$tap"
! grep -q '^not ok' "$OUT"
