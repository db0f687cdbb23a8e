#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# core_bench.sh BINARY OUTDIR: ns per access natively, instructions per
# access under callgrind (collection only inside the measured loops), merged
# into OUTDIR/core_bench.json.
set -eu
bin=$1 out=$2
mkdir -p "$out"
"$bin" 2000000 >"$out/core_bench_ns.json"
iters=20000
python3 - "$bin" "$out" $iters <<'PY'
import json, subprocess, sys, tempfile, os
binp, out, iters = sys.argv[1], sys.argv[2], int(sys.argv[3])
ns = json.load(open(os.path.join(out, "core_bench_ns.json")))
def ir(n, only):
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, "cg.out")
        env = dict(os.environ, CORE_BENCH_ONLY=only)
        subprocess.run(["valgrind", "--tool=callgrind", "--collect-atstart=no",
                        "--callgrind-out-file=" + f, binp, str(n)],
                       env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for line in open(f):
            if line.startswith("summary:") or line.startswith("totals:"):
                return int(line.split()[1])
    return 0
for b in ns["benchmarks"]:
    # difference of two runs cancels the fixed toggle overhead
    i1, i2 = ir(iters, b["name"]), ir(2 * iters, b["name"])
    b["instructions_per_iter"] = round((i2 - i1) / iters, 1)
    b["instructions_per_access"] = round((i2 - i1) / iters / b["accesses_per_iter"], 1)
    b["ns_per_access"] = round(b["ns_per_iter"] / b["accesses_per_iter"], 2)
ns["tool"] = "clock_gettime(CLOCK_MONOTONIC) over %d iterations; valgrind --tool=callgrind" % ns["iterations"]
json.dump(ns, open(os.path.join(out, "core_bench.json"), "w"), indent=2)
print("%-26s %10s %14s" % ("benchmark", "ns/access", "instr/access"))
for b in ns["benchmarks"]:
    print("%-26s %10.2f %14.1f" % (b["name"], b["ns_per_access"], b["instructions_per_access"]))
print("wrote", os.path.join(out, "core_bench.json"))
PY
