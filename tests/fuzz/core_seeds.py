#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""core_seeds.py NAME DIR: write seed inputs for the core/ fuzz targets.

Seeds reach the deep states quickly (two committed decoders, a locked one,
CONFIG_LOCK, doorbells) so that the time-boxed runs spend their budget there.
Formats are those documented in tests/fuzz/core_hdm.c and core_dvsec.c.
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


def main():
    name, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    gens = {"hdm": hdm_seeds, "dvsec": dvsec_seeds}
    for seed_name, data in gens.get(name, lambda: [])():
        with open(os.path.join(out, "seed_" + seed_name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
