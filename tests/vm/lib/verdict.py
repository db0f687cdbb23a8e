# SPDX-License-Identifier: MIT
# Shared by the host-side checkers (tests/vm/oracle-check,
# tests/selftests/check-backing): each result is one of three verdicts, so a
# negative control can ask for the one it provokes, and any other failure
# (a missing file, bad arguments, a crash) exits 2, never 1.
#   FOUND    the pattern is at its offset and nowhere else
#   MISSING  the pattern is not at its offset            -> "not found"
#   STRAY    it is at its offset, and also elsewhere     -> "found elsewhere"
# Exit status: 0 all FOUND, 1 some MISSING or STRAY, 2 the check itself failed.
import sys, traceback

def find_all(data, p):
    out, pos = [], data.find(p)
    while pos >= 0:
        out.append(pos)
        pos = data.find(p, pos + 1)
    return out

def elsewhere(files, needle, dev, at):
    """Where else (device, offset) needle occurs, besides dev's file at at."""
    return [(j, q) for j, data in enumerate(files) for q in find_all(data, needle)
            if (j, q) != (dev, at)]

def parse_plants(specs):
    """--plant DEV:ID:OFF (repeatable): copy the needle of (DEV, ID) into
    DEV's file at OFF, in memory only: the checker's own negative control."""
    out = []
    for s in specs:
        d, i, o = s.split(":")
        out.append((int(d, 0), int(i, 0), int(o, 0)))
    return out

def plant(files, dev, off, needle):
    files[dev] = files[dev][:off] + needle + files[dev][off + len(needle):]

class Tap:
    def __init__(self, total):
        self.n = self.bad = 0
        print(f"1..{total}")

    def result(self, here, stray, name, want_at, where):
        self.n += 1
        if here and not stray:
            print(f"ok {self.n} - {name} at {want_at:#x} and nowhere else")
        elif not here:
            self.bad += 1
            print(f"not ok {self.n} - {name}: not found at {want_at:#x}" +
                  (f" (found at {fmt(where)})" if where else " (nowhere)"))
        else:
            self.bad += 1
            print(f"not ok {self.n} - {name}: at {want_at:#x} but found elsewhere too: {fmt(stray)}")

    def status(self):
        return 1 if self.bad else 0

def fmt(where):
    return ", ".join(f"mem{j}.raw+{q:#x}" for j, q in where[:8]) + (" ..." if len(where) > 8 else "")

def run(main):
    try:
        sys.exit(main())
    except SystemExit:
        raise
    except BaseException:
        traceback.print_exc()
        print("Bail out! the checker itself failed (see the traceback above)")
        sys.exit(2)
