#!/bin/sh
# SPDX-License-Identifier: MIT
# patch-file.sh PATCH PATH: print the file PATH that PATCH (git format-patch)
# adds, as it adds it (only for a new file: one hunk, every line added).
# Lets host-side unit tests compile QEMU code the series carries.
awk -v path="$2" '
	$0 == "+++ b/" path { on = 1; next }
	on && /^@@ -0,0 / { hunk = 1; next }
	on && hunk && /^\+/ { print substr($0, 2); next }
	on && hunk && (/^diff --git / || /^-- $/) { found = 1; exit }
	END { if (!hunk) { print "patch-file.sh: " path " is not a new file in the patch" > "/dev/stderr"; exit 1 } }
' "$1"
