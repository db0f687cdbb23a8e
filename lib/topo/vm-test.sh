#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# vm-test.sh TOPO_CMD [TOPOLOGY...]   (TAP on stdout; run it under tap-run)
#
# For each topology of the VM harness (default: all of tests/vm/topologies),
# boots the guest with cxl_acpi loaded, reads what Linux reports
# (/sys/bus/cxl/devices root decoders, /sys/firmware/acpi/tables/CEDT), and
# compares it with what lib/topo predicts for the very same QEMU command line
# (the harness's qemu.cmd): window bases and sizes against the root decoders,
# and our CEDT against QEMU's structure by structure, saying where they differ
# on purpose. TOPO_CMD is a program with the `plan` and `cedt` commands
# (tests/unit/topo_cmd, or vfio-cxl). A topology whose devices the plan must
# refuse says so in a comment, "# plan-refuses: N SUBSTRING" (N devices, each
# reason containing SUBSTRING); every other topology's devices must all be
# placed, and the plan's exit status must agree (1 when it refused any).
# The count of results is declared in tests/suites (suite vm-topo).
# VM_TOPOLOGIES (as for tests/vm/run): another directory of topologies, for
# the harness's own tests (tests/meta/plumbing.sh).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
CMD=$1
shift
TOPOS=${VM_TOPOLOGIES:-$TOP/tests/vm/topologies}
topos=("$@")
if [ ${#topos[@]} = 0 ]; then
	for f in "$TOPOS"/*.topo; do
		t=${f##*/}
		topos+=("${t%.topo}")
	done
fi
# a directory of its own: other runs (check-vm elsewhere) may be going on
base=$(mktemp -d "${TMPDIR:-/tmp}/vfio-cxl-topo-vm.XXXXXX")
tap=$(mktemp)

# The guest prints every CXL decoder and the CEDT QEMU gave it, in hex.
guest='for d in /sys/bus/cxl/devices/decoder*; do
  [ -e "$d/start" ] && echo "DEC ${d##*/} $(cat $d/start) $(cat $d/size) $(cat $d/interleave_ways) $(cat $d/interleave_granularity) $(cat $d/target_list)"
done
echo CEDTHEX
od -An -tx1 -v /sys/firmware/acpi/tables/CEDT'

for topo in "${topos[@]}"; do
	work=$base/$topo
	rm -rf "$work"
	mkdir -p "$work"
	GUEST_BINS='' GUEST_MODULES='' VM_TIMEOUT=${VM_TIMEOUT:-120} \
		"$TOP/tests/vm/run" -q -t "$topo" -m cxl_acpi -w "$work" -- sh -c "$guest" \
		> "$work/guest.txt" 2> "$work/run.err"
	rc=$?
	if [ $rc != 0 ]; then
		echo "not ok - $topo: guest did not run (tests/vm/run exit $rc, work dir $work)" >> "$tap"
		tail -n 8 "$work/run.err" | sed 's/^/#   /' >> "$tap"
		continue
	fi
	# the same command line QEMU ran, less the program name
	eval "qargs=($(cat "$work/qemu.cmd"))"
	qargs=("${qargs[@]:1}")
	"$CMD" plan --json -- "${qargs[@]}" > "$work/plan.json" 2> "$work/plan.err"
	echo $? > "$work/plan.rc"
	sed -n 's/^# plan-refuses: *//p' "$TOPOS/$topo.topo" > "$work/refuses"
	"$CMD" cedt --force -o "$work/cedt.ours" -- "${qargs[@]}" > /dev/null 2> "$work/cedt.err"
	python3 - "$work" "$CMD" "$topo" >> "$tap" <<'EOF'
import json, subprocess, sys
work, cmd, topo = sys.argv[1:4]
lines = open(f"{work}/guest.txt").read().splitlines()
decs, hexes, inhex = {}, [], False
for l in lines:
    if l.startswith("DEC "):
        f = l.split()
        decs[f[1]] = dict(start=int(f[2], 16), size=int(f[3], 16), ways=int(f[4]),
                          gran=int(f[5]), targets=f[6] if len(f) > 6 else "")
    elif l.strip() == "CEDTHEX":
        inhex = True
    elif inhex:
        hexes += l.split()
open(f"{work}/cedt.qemu", "wb").write(bytes(int(h, 16) for h in hexes))

def ok(cond, name, diag=None):
    print(("ok" if cond else "not ok") + f" - {topo}: {name}")
    if diag and not cond:
        for d in diag.splitlines():
            print("#   " + d)

def read(path):
    r = subprocess.run([cmd, "cedt", "--read", path], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr

try:
    plan = json.load(open(f"{work}/plan.json"))
except Exception as e:
    ok(False, "plan --json parses", open(f"{work}/plan.err").read() + str(e))
    sys.exit(0)
uid = {h["host_bridge"]: h["uid"] for h in plan["host_bridges"]}
roots = {k: v for k, v in decs.items() if k.startswith("decoder0.")}
ok(len(roots) == len(plan["windows"]) and len(roots) > 0,
   f"Linux has one root decoder per planned window ({len(plan['windows'])})",
   f"root decoders: {sorted(roots)}")
for w in plan["windows"]:
    d = [v for v in roots.values() if v["start"] == w.get("base")]
    targets = ",".join(str(uid[t]) for t in w["targets"])
    ok(len(d) == 1 and d[0]["size"] == w["size"] and d[0]["ways"] == w["interleave_ways"]
       and d[0]["gran"] == w["interleave_granularity"] and d[0]["targets"] == targets,
       f"window {w['window']} planned at 0x{w.get('base', 0):x}+0x{w['size']:x} "
       f"({w['interleave_ways']}-way, targets {targets}) is a Linux root decoder",
       f"Linux root decoders: " + "; ".join(
           f"{k} 0x{v['start']:x}+0x{v['size']:x} {v['ways']}-way {v['gran']} [{v['targets']}]"
           for k, v in sorted(roots.items())))
refuses = open(f"{work}/refuses").read().split(None, 1)
want_refused = int(refuses[0]) if refuses else 0
want_reason = refuses[1].strip() if len(refuses) > 1 else None
refused = [p for p in plan["devices"] if p["state"] != "placed"]
for p in plan["devices"]:
    if p["state"] == "placed":
        w = [v for v in roots.values() if v["start"] <= p["base"] and
             p["base"] + p["size"] <= v["start"] + v["size"]]
        ok(len(w) == 1, f"{p['device']} placed at 0x{p['base']:x} inside a root decoder")
    else:
        ok(want_reason is not None and want_reason in p["reason"],
           f"{p['device']} refused as the topology declares ({want_reason!r}): {p['reason']}")
ok(len(refused) == want_refused,
   f"the plan refuses {len(refused)} device(s), the topology declares {want_refused}")
plan_rc = int(open(f"{work}/plan.rc").read())
ok(plan_rc == (1 if want_refused else 0),
   f"plan exits {plan_rc} ({'1: it refused a device' if want_refused else '0: all placed'} expected)",
   open(f"{work}/plan.err").read())
rq, tq = read(f"{work}/cedt.qemu")
ok(rq == 0, "QEMU's CEDT passes our reader (Linux's checks)", tq)
ro, to = read(f"{work}/cedt.ours")
ok(ro == 0, "our CEDT passes our reader", to + open(f"{work}/cedt.err").read())
if rq or ro:
    sys.exit(0)
def structs(text, kind):
    out = {}
    for l in text.splitlines():
        if l.startswith(kind + " "):
            f = dict(x.split("=", 1) for x in l.split()[1:])
            out[f["uid"] if kind == "CHBS" else f["base"]] = f
    return out
for kind in ("CHBS", "CFMWS"):
    q, o = structs(tq, kind), structs(to, kind)
    ok(sorted(q) == sorted(o), f"same {kind} set ({len(q)}, keyed by {'uid' if kind == 'CHBS' else 'base'})",
       f"QEMU: {sorted(q)}\nours: {sorted(o)}")
    for k in sorted(set(q) & set(o)):
        a, b = q[k], o[k]
        diff = [f for f in a if a[f] != b.get(f)]
        onpurpose = [f for f in diff if f == "restrictions"]
        rest = [f for f in diff if f not in onpurpose]
        ok(not rest, f"{kind} {k} identical field by field" +
           (f" except restrictions (on purpose: ours {b['restrictions']}, QEMU {a['restrictions']})"
            if onpurpose else ""),
           "\n".join(f"{f}: QEMU {a[f]} ours {b.get(f)}" for f in rest))
        if onpurpose:
            print(f"# {topo}: CFMWS {k}: restrictions differ on purpose: QEMU writes 0x0f "
                  f"(Type 2 and 3, volatile and persistent) for every window; ours say what "
                  f"the window carries (0x15 device-coherent fixed Type-2, 0x0e host-only "
                  f"Type-3, 0x0f unused)")
EOF
done
n=$(grep -cE '^(not )?ok' "$tap")
bad=$(grep -cE '^not ok' "$tap")
awk '/^ok/ { i++; sub(/^ok/, "ok " i) } /^not ok/ { i++; sub(/^not ok/, "not ok " i) } { print }' "$tap"
rm -f "$tap"
if [ "$bad" != 0 ]; then
	echo "# $bad of $n results failed; work directories kept in $base"
	exit 1
fi
rm -rf "$base"
