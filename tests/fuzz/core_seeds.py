#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""core_seeds.py NAME DIR: write seed inputs for a fuzz target into DIR.

The seed corpora committed under tests/fuzz/corpus/<target>/ are this
script's output (NAME hdm -> core_hdm, dvsec -> core_dvsec, vcap ->
core_vcap, lib -> lib_open); regenerate them with `core_seeds.py all`.
The fuzz runs read them as a read-only second corpus.

Seeds reach the deep states quickly (two committed decoders, a locked one,
CONFIG_LOCK, doorbells, a COMP_REGS region exactly as large as its HDM
block) so that the time-boxed runs spend their budget there. Formats are
those documented in tests/fuzz/core_hdm.c, core_dvsec.c, core_vcap.c and
tests/unit/lib_fuzz_open.c.
"""
import os
import struct
import sys

G = 1 << 28


def hdm_op(dec, reg, v3=0, v4=0, wide=False, flags=0x80):
    # structured access: decoder, register index (0 base lo .. 7 rsvd), value bytes
    return bytes([flags | (1 if wide else 0), dec, reg, v3, v4, 0]) + bytes(5)


def ctrl(dec, val):
    return hdm_op(dec, 4, val & 0xff, val >> 8)


RESET = bytes([0x1c]) + bytes(10)
COMMIT, LOCK, TT = 0x200, 0x100, 0x1000


def hdm_seeds():
    two = (hdm_op(0, 0, 4) + hdm_op(0, 2, 1) + ctrl(0, COMMIT) +
           hdm_op(1, 0, 8) + hdm_op(1, 2, 1) + ctrl(1, COMMIT))
    yield "two_commits", bytes([0x80, 1, 0, 0x3f]) + two + ctrl(0, 0) + ctrl(1, 0) + ctrl(0, 0)
    yield "lock", (bytes([0x80, 2, 1, 0x3f]) + hdm_op(0, 0, 4, wide=True) + hdm_op(0, 2, 1, wide=True) +
                   ctrl(0, COMMIT | LOCK | TT) + hdm_op(0, 0, 9) + ctrl(0, 0) + RESET + hdm_op(0, 0, 5))
    yield "veto", bytes([0x80, 0, 0, 0x3f]) + hdm_op(0, 0, 7) + hdm_op(0, 2, 1) + ctrl(0, COMMIT)
    yield "dpa", bytes([0x80, 1, 0, 2]) + hdm_op(0, 5, 1) + hdm_op(0, 2, 2) + ctrl(0, COMMIT) + two
    # port, 4 decoders, A11to8 + 3/6/12 + 16-way capable, every way count allowed, BI allowed
    port = bytes([2, 0x40 | 0x80 | 0x01 | 0x08 | 0x10, 0x80 | 0x08, 0])
    yield "port_interleave", (port + hdm_op(0, 0, 6) + hdm_op(0, 2, 6) + ctrl(0, COMMIT | (9 << 4)) +
                              hdm_op(1, 0, 12) + hdm_op(1, 2, 4) + ctrl(1, COMMIT | (2 << 4) | 0x2000))


def dvsec_image(cap, length=0x3C):
    img = bytearray(0x3C)
    struct.pack_into("<I", img, 0, 0x23 | (1 << 16))
    struct.pack_into("<I", img, 4, 0x1E98 | (2 << 16) | (length << 20))
    struct.pack_into("<H", img, 0x0A, cap)
    struct.pack_into("<H", img, 0x0C, 0x2)
    struct.pack_into("<I", img, 0x1C, 0x1000004B)
    return bytes(img)


def dv_op(off, val, width=2):
    return bytes([0x80 | width, off]) + struct.pack("<I", val)


def dvsec_seeds():
    cap = 0x1 | 0x2 | 0x4 | (1 << 4) | 0x40 | 0x80 | 0x800 | 0x4000
    ops = (dv_op(0x0C, 0x4005) + dv_op(0x20, 0x12, 4) + dv_op(0x24, 0x30000000, 4) +
           dv_op(0x10, 0x2) + dv_op(0x10, 0x4) + dv_op(0x14, 1) + dv_op(0x0C, 0) +
           dv_op(0x0E, 0x4000) + dv_op(0x12, 0x8) + dv_op(0x0D, 0xFFFF) + bytes([0xF0]) + bytes(5))
    yield "t2_ops", dvsec_image(cap) + bytes([2]) + ops
    yield "t2_noops", dvsec_image(cap) + bytes([0]) + ops
    yield "r1", dvsec_image(0x6 | (2 << 4), 0x38) + bytes([3]) + ops


def vcap_cap(next_off=0, bar=0, flags=1, offset=0x1000, dpa=9, comp=10):
    return (struct.pack("<HHI", 6, 1, next_off) + bytes([bar, 0, 0, 0]) +
            struct.pack("<IQII", flags, offset, dpa, comp))


def qemu_area():
    # CXL.cache/mem area of QEMU's cxl-type3: RAS 0x80, Link 0xd8, HDM 0x128
    a = [0] * (0x1b8 // 4)
    a[0] = 0x03110001
    a[1] = 0x00100002 | (0x80 << 20)
    a[2] = 0x00100004 | (0xd8 << 20)
    a[3] = 0x00100005 | (0x128 << 20)
    a[0x128 // 4] = 0x00001b12
    return a


def vcap_seeds():
    # VFIO_DEVICE_GET_INFO reply: byte 0 mode, 1..4 cap_offset, CXL cap at 24
    yield "info_one", bytes([0]) + struct.pack("<I", 24) + bytes(19) + vcap_cap()
    # a foreign capability (8-byte header) first, then ours at 32
    yield "info_chain", (bytes([0]) + struct.pack("<I", 24) + bytes(19) +
                         struct.pack("<HHI", 1, 1, 32) + vcap_cap(bar=2, flags=3))
    # COMP_REGS snapshot: byte 0 odd, then the area's dwords
    yield "comp_qemu", bytes([1]) + struct.pack("<%dI" % len(qemu_area()), *qemu_area())
    a = qemu_area()
    a[0x128 // 4] = 0  # one decoder: the block ends at 0x158
    yield "comp_one_decoder", bytes([1]) + struct.pack("<%dI" % (0x158 // 4), *a[:0x158 // 4])


def lib_patch(target, off, data):
    # lib_fuzz_open.c: target, 16-bit offset, length, bytes
    return bytes([target, off & 0xff, off >> 8, len(data)]) + data


COMP_REGION = 11           # region 10 (COMP_REGS) is patch target 11
REGION_SIZE_OFF = 16       # struct vfio_region_info.size


def lib_seeds():
    yield "good", b""
    yield "comp_short", lib_patch(COMP_REGION, REGION_SIZE_OFF, struct.pack("<Q", 0x1b4))
    yield "hdm_at_end", lib_patch(12, 12, struct.pack("<I", 0x00000005 | (0x1a8 << 20)))
    yield "32_decoders", (lib_patch(12, 0x128, struct.pack("<I", 0xc)) +
                          lib_patch(COMP_REGION, REGION_SIZE_OFF, struct.pack("<Q", 0x538)))
    # commit behaviour: Error Not Committed (off % 3 == 1), COMP_REGS fully backed
    yield "commit_error", lib_patch(15, 0x6e2, b"")


GENS = {"hdm": hdm_seeds, "dvsec": dvsec_seeds, "vcap": vcap_seeds, "lib": lib_seeds}
CORPUS = {"hdm": "core_hdm", "dvsec": "core_dvsec", "vcap": "core_vcap", "lib": "lib_open"}


def write(name, out):
    os.makedirs(out, exist_ok=True)
    for seed_name, data in GENS[name]():
        with open(os.path.join(out, "seed_" + seed_name), "wb") as f:
            f.write(data)


def main():
    if sys.argv[1] == "all":
        top = os.path.dirname(os.path.abspath(__file__))
        for name, d in CORPUS.items():
            write(name, os.path.join(top, "corpus", d))
        return
    write(sys.argv[1], sys.argv[2])


if __name__ == "__main__":
    main()
