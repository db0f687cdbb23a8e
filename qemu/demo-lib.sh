# SPDX-License-Identifier: MIT
# qemu/demo-lib.sh: what qemu/demo-l2.sh and qemu/demo-accel.sh share
# (sourced). demo_init NAME: TOP, BUILD, WORK (BUILD/vm/NAME), t0; step
# TEXT: a headline; demo_build WHAT: make qemu-l1-cpio quietly, its log's
# tail and exit 1 if it fails.
set -uo pipefail
demo_init() {
	TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	BUILD=${BUILD:-$TOP/build}
	WORK=$BUILD/vm/$1
	DEMO=$1
	t0=$(date +%s)
	mkdir -p "$(dirname "$WORK")"
}
step() { printf '\033[1m>> %s\033[0m\n' "$*"; }
demo_build() {
	step "building $1 (cached)"
	make -s -C "$TOP" qemu-l1-cpio > "$WORK.build.log" 2>&1 ||
		{ tail -n 20 "$WORK.build.log" >&2; echo "$DEMO: build failed" >&2; exit 1; }
}
