// SPDX-License-Identifier: MIT
/*
 * Table-driven tests of the emulated HDM Decoder Capability (core/hdm_emu.c):
 * every field's access type and every commit rejection. Each case is a
 * short script of accesses with the expected return and read values.
 */
#include "cxlemu.h"
#include "core_tap.h"

#define G	CXL_HDM_DEC_ALIGN		/* 256 MiB */
#define D(n, r)	(CXL_HDM_DEC_OFF(n) + CXL_HDM_DEC_##r)
#define CM	CXL_HDM_DEC_CTRL_COMMIT
#define CD	CXL_HDM_DEC_CTRL_COMMITTED
#define ER	CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED
#define LK	CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT
#define TT	CXL_HDM_DEC_CTRL_TARGET_TYPE
#define BI	CXL_HDM_DEC_CTRL_BI
#define IW(n)	FIELD_PREP_CONST(CXL_HDM_DEC_CTRL_IW, n)
#define IG(n)	FIELD_PREP_CONST(CXL_HDM_DEC_CTRL_IG, n)
#define DC(n)	FIELD_PREP_CONST(CXL_HDM_CAP_DECODER_COUNT, n)

enum {
	OP_END, OP_W, OP_R, OP_RESET, OP_SETRESET, OP_ERR, OP_CALLS,
};

struct op {
	int kind;
	u32 off;
	unsigned int width;
	u64 val;	/* value written, or for OP_SETRESET the base */
	int ret;	/* expected return */
	u64 want;	/* expected read, or OP_SETRESET size, OP_ERR commit_err */
};

#define W(o, v)		{ OP_W, (o), 4, (v), 0, 0 }
#define W8(o, v)	{ OP_W, (o), 8, (v), 0, 0 }
#define WE(o, w, v, e)	{ OP_W, (o), (w), (v), (e), 0 }
#define R(o, v)		{ OP_R, (o), 4, 0, 0, (v) }
#define R8(o, v)	{ OP_R, (o), 8, 0, 0, (v) }
#define RE(o, w, e)	{ OP_R, (o), (w), 0, (e), 0 }
#define RESET		{ OP_RESET, 0, 0, 0, 0, 0 }
#define SETRESET(i, b, s, e) { OP_SETRESET, (i), 0, (b), (e), (s) }
#define ERRIS(i, e)	{ OP_ERR, (i), 0, 0, 0, (u64)(s64)(e) }
/* calls: commit, uncommit, reset counts packed as c | u << 8 | r << 16 */
#define CALLS(c, u, r)	{ OP_CALLS, 0, 0, 0, 0, (c) | (u) << 8 | (r) << 16 }
/* program decoder n and commit with control @c */
#define PROG(n, b, s, c) W8(D(n, BASE_LO), b), W8(D(n, SIZE_LO), s), W(D(n, CTRL), c)

/* policy tweaks applied after init */
#define P_PORT_IW_ALL	BIT(0)	/* iw_cap_mask = everything the cap allows */
#define P_NO_HOST_ONLY	BIT(1)
#define P_NO_DEV_COH	BIT(2)
#define P_BI		BIT(3)
#define P_VETO		BIT(4)	/* ops->commit refuses with -EACCES */
#define P_VETO_POS	BIT(5)	/* ops->commit returns 1 (not an errno) */

struct tcase {
	const char *name;
	u32 cap;
	u64 dpa;
	bool port;
	u32 policy;
	struct op ops[24];
};

static const struct tcase cases[] = {
	/* ---- register access types ---- */
	{ "capability is RO", DC(1) | CXL_HDM_CAP_A11TO8, 4 * G, false, 0,
	  { W(0, 0), R(0, DC(1) | CXL_HDM_CAP_A11TO8) } },
	{ "capability reserved bits read 0", DC(1) | CXL_HDM_CAP_RSVD_31_21 | CXL_HDM_CAP_RSVD_15_14,
	  4 * G, false, 0, { R(0, DC(1)) } },
	{ "global control: HDM Decoder Enable is RW", 0, 4 * G, false, 0,
	  { R(CXL_HDM_GCTRL, 0), W(CXL_HDM_GCTRL, CXL_HDM_GCTRL_ENABLE),
	    R(CXL_HDM_GCTRL, CXL_HDM_GCTRL_ENABLE), W(CXL_HDM_GCTRL, 0), R(CXL_HDM_GCTRL, 0) } },
	{ "global control: poison enable RW when capable", CXL_HDM_CAP_POISON, 4 * G, false, 0,
	  { W(CXL_HDM_GCTRL, CXL_HDM_GCTRL_POISON_EN), R(CXL_HDM_GCTRL, CXL_HDM_GCTRL_POISON_EN) } },
	{ "global control: poison enable RO 0 when not capable", 0, 4 * G, false, 0,
	  { W(CXL_HDM_GCTRL, CXL_HDM_GCTRL_POISON_EN), R(CXL_HDM_GCTRL, 0) } },
	{ "global control: reserved bits RsvdP", 0, 4 * G, false, 0,
	  { W(CXL_HDM_GCTRL, CXL_HDM_GCTRL_RSVD), R(CXL_HDM_GCTRL, 0) } },
	{ "reserved 0x08 and 0x0c read 0, writes ignored", 0, 4 * G, false, 0,
	  { W(0x08, ~0U), W(0x0c, ~0U), R(0x08, 0), R(0x0c, 0) } },
	{ "base low bits 27:0 RsvdP, 31:28 RW", 0, 4 * G, false, 0,
	  { W(D(0, BASE_LO), ~0U), R(D(0, BASE_LO), CXL_HDM_DEC_BASE_LO_BASE) } },
	{ "base high RW", 0, 4 * G, false, 0,
	  { W(D(0, BASE_HI), 0x12345678), R(D(0, BASE_HI), 0x12345678) } },
	{ "size low bits 27:0 RsvdP, size high RW", 0, 4 * G, false, 0,
	  { W(D(0, SIZE_LO), ~0U), W(D(0, SIZE_HI), 7), R(D(0, SIZE_LO), CXL_HDM_DEC_SIZE_LO_SIZE),
	    R(D(0, SIZE_HI), 7) } },
	{ "endpoint DPA skip low bits 27:0 RsvdP", 0, 4 * G, false, 0,
	  { W(D(0, SKIP_LO), ~0U), W(D(0, SKIP_HI), 3), R(D(0, SKIP_LO), CXL_HDM_DEC_SKIP_LO_SKIP),
	    R(D(0, SKIP_HI), 3) } },
	{ "port target list: all 64 bits RW", 0, 0, true, 0,
	  { W(D(0, TL_LO), 0x04030201), W(D(0, TL_HI), 0x08070605),
	    R(D(0, TL_LO), 0x04030201), R(D(0, TL_HI), 0x08070605) } },
	{ "decoder reserved 0x1c reads 0", 0, 4 * G, false, 0,
	  { W(D(0, RSVD_1C), ~0U), R(D(0, RSVD_1C), 0) } },
	{ "control: COMMITTED and ERROR_NOT_COMMITTED are RO", 0, 4 * G, false, 0,
	  { W(D(0, CTRL), CD | ER), R(D(0, CTRL), 0) } },
	{ "control: reserved bits 15 and 31:28 RsvdP", 0, 4 * G, false, 0,
	  { W(D(0, CTRL), CXL_HDM_DEC_CTRL_RSVD15 | CXL_HDM_DEC_CTRL_RSVD_31_28), R(D(0, CTRL), 0) } },
	{ "control: UIO fields RsvdP without UIO capability", 0, 4 * G, false, 0,
	  { W(D(0, CTRL), CXL_HDM_DEC_CTRL_UIO | CXL_HDM_DEC_CTRL_UIG | CXL_HDM_DEC_CTRL_UIW |
	    CXL_HDM_DEC_CTRL_ISP), R(D(0, CTRL), 0) } },
	{ "control: UIO fields RW with UIO capability", CXL_HDM_CAP_UIO, 4 * G, false, 0,
	  { W(D(0, CTRL), CXL_HDM_DEC_CTRL_UIO | CXL_HDM_DEC_CTRL_UIG),
	    R(D(0, CTRL), CXL_HDM_DEC_CTRL_UIO | CXL_HDM_DEC_CTRL_UIG) } },
	{ "control: IG IW lock TT BI RW while not committed", 0, 4 * G, false, 0,
	  { W(D(0, CTRL), IG(3) | IW(2) | LK | TT | BI), R(D(0, CTRL), IG(3) | IW(2) | LK | TT | BI) } },
	{ "64-bit base write lands both halves", 0, 4 * G, false, 0,
	  { W8(D(0, BASE_LO), 0x0000001230000000ULL), R(D(0, BASE_LO), 0x30000000), R(D(0, BASE_HI), 0x12),
	    R8(D(0, BASE_LO), 0x0000001230000000ULL) } },
	{ "64-bit size read", 0, 4 * G, false, 0,
	  { W(D(0, SIZE_HI), 1), W(D(0, SIZE_LO), 0x70000000), R8(D(0, SIZE_LO), 0x170000000ULL) } },

	/* ---- access rejections: nothing applied ---- */
	{ "width 1 and 2 refused", 0, 4 * G, false, 0,
	  { WE(D(0, BASE_HI), 1, 1, -EINVAL), WE(D(0, BASE_HI), 2, 1, -EINVAL),
	    RE(D(0, BASE_HI), 1, -EINVAL), RE(D(0, BASE_HI), 2, -EINVAL), R(D(0, BASE_HI), 0) } },
	{ "width 3, 16 refused", 0, 4 * G, false, 0,
	  { WE(0, 3, 0, -EINVAL), RE(0, 16, -EINVAL) } },
	{ "unaligned dword refused", 0, 4 * G, false, 0,
	  { WE(D(0, BASE_HI) + 1, 4, ~0U, -EINVAL), RE(D(0, CTRL) + 2, 4, -EINVAL), R(D(0, BASE_HI), 0) } },
	{ "8-byte access only at base and size low", 0, 4 * G, false, 0,
	  { WE(D(0, CTRL) - 8, 8, 0, 0), RE(0, 8, -EINVAL), WE(0, 8, ~0ULL, -EINVAL),
	    WE(D(0, TL_HI) + 4, 8, ~0ULL, -EINVAL), RE(D(0, TL_HI) + 4, 8, -EINVAL),
	    WE(D(0, BASE_HI), 8, ~0ULL, -EINVAL), R(CXL_HDM_GCTRL, 0) } },
	{ "8-byte access at size low+4 (unaligned) refused", 0, 4 * G, false, 0,
	  { WE(D(0, SIZE_HI), 8, ~0ULL, -EINVAL), R(D(0, SIZE_HI), 0) } },
	{ "dword write with a value above 32 bits refused", 0, 4 * G, false, 0,
	  { WE(D(0, BASE_HI), 4, 1ULL << 32, -EINVAL), R(D(0, BASE_HI), 0) } },
	{ "access at block end refused (1 decoder)", 0, 4 * G, false, 0,
	  { RE(CXL_HDM_BLOCK_SIZE(1), 4, -ERANGE), WE(CXL_HDM_BLOCK_SIZE(1), 4, 0, -ERANGE),
	    RE(CXL_HDM_BLOCK_SIZE(1) - 4, 4, 0), RE(0xfffffffc, 4, -ERANGE),
	    WE(0xfffffff8, 8, 0, -ERANGE) } },
	{ "access at block end refused (2 decoders)", DC(1), 4 * G, false, 0,
	  { RE(CXL_HDM_BLOCK_SIZE(2), 4, -ERANGE), R(D(1, RSVD_1C), 0) } },

	/* ---- commit ---- */
	{ "commit latches COMMITTED", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM), R(D(0, CTRL), CM | CD), ERRIS(0, 0) } },
	{ "commit with DPA skip inside the device", 0, 4 * G, false, 0,
	  { W8(D(0, BASE_LO), 4 * G), W8(D(0, SIZE_LO), 2 * G), W(D(0, SKIP_LO), 0x10000000), W(D(0, SKIP_HI), 0),
	    W(D(0, CTRL), CM), R(D(0, CTRL), CM | CD) } },
	{ "commit refused: size 0", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, 0, CM), R(D(0, CTRL), CM | ER), ERRIS(0, -EINVAL) } },
	{ "commit refused: size beyond DPA", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, 5 * G, CM), R(D(0, CTRL), CM | ER), ERRIS(0, -ENOSPC) } },
	{ "commit refused: skip + size beyond DPA", 0, 4 * G, false, 0,
	  { W(D(0, SKIP_HI), 0), W(D(0, SKIP_LO), 0x10000000), PROG(0, 4 * G, 4 * G, CM),
	    R(D(0, CTRL), CM | ER), ERRIS(0, -ENOSPC) } },
	{ "commit refused: skip + size wraps past 2^64", 0, 4 * G, false, 0,
	  { W(D(0, SKIP_HI), 0xffffffff), W(D(0, SKIP_LO), 0xf0000000), PROG(0, 4 * G, G, CM),
	    R(D(0, CTRL), CM | ER), ERRIS(0, -ENOSPC) } },
	{ "commit refused: DPA exhausted by decoder 0", DC(1), 2 * G, false, 0,
	  { PROG(0, 4 * G, 2 * G, CM), R(D(0, CTRL), CM | CD),
	    PROG(1, 8 * G, G, CM), R(D(1, CTRL), CM | ER), ERRIS(1, -ENOSPC) } },
	{ "commit refused: base + size past 52-bit HPA", 0, 0, true, 0,
	  { PROG(0, (1ULL << 52) - G, 2 * G, CM), R(D(0, CTRL), CM | ER), ERRIS(0, -ERANGE) } },
	{ "commit refused: base at or beyond 2^52", 0, 0, true, 0,
	  { PROG(0, 1ULL << 52, G, CM), R(D(0, CTRL), CM | ER), ERRIS(0, -ERANGE) } },
	{ "commit refused: decoder 1 before decoder 0", DC(1), 4 * G, false, 0,
	  { PROG(1, 4 * G, G, CM), R(D(1, CTRL), CM | ER), ERRIS(1, -EBUSY) } },
	{ "commit refused: decoder 2 with decoder 1 uncommitted", DC(2), 8 * G, false, 0,
	  { PROG(0, 4 * G, G, CM), PROG(2, 8 * G, G, CM), R(D(2, CTRL), CM | ER), ERRIS(2, -EBUSY) } },
	{ "commit refused: decoder 1 below decoder 0", DC(1), 4 * G, false, 0,
	  { PROG(0, 8 * G, G, CM), PROG(1, 4 * G, G, CM), R(D(1, CTRL), CM | ER), ERRIS(1, -EINVAL) } },
	{ "commit refused: decoder 1 overlapping decoder 0", DC(1), 4 * G, false, 0,
	  { PROG(0, 8 * G, 2 * G, CM), PROG(1, 9 * G, G, CM), R(D(1, CTRL), CM | ER), ERRIS(1, -EINVAL) } },
	{ "commit: decoder 1 above decoder 0", DC(1), 4 * G, false, 0,
	  { PROG(0, 8 * G, 2 * G, CM), PROG(1, 10 * G, G, CM), R(D(1, CTRL), CM | CD) } },
	{ "commit refused: endpoint interleave by default", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, 2 * G, CM | IW(CXL_HDM_IW_2)), R(D(0, CTRL), CM | ER | IW(1)),
	    ERRIS(0, -EOPNOTSUPP) } },
	{ "commit refused: reserved IW encoding", CXL_HDM_CAP_A11TO8 | CXL_HDM_CAP_16_WAY, 0, true,
	  P_PORT_IW_ALL, { PROG(0, 4 * G, 4 * G, CM | IW(5)), R(D(0, CTRL), CM | ER | IW(5)),
	  ERRIS(0, -EOPNOTSUPP) } },
	{ "commit refused: 3-way without capability", CXL_HDM_CAP_A11TO8, 0, true, P_PORT_IW_ALL,
	  { PROG(0, 4 * G, 3 * G, CM | IW(CXL_HDM_IW_3)), R(D(0, CTRL), CM | ER | IW(CXL_HDM_IW_3)) } },
	{ "commit: 3-way with capability", CXL_HDM_CAP_3_6_12_WAY, 0, true, P_PORT_IW_ALL,
	  { PROG(0, 3 * G, 3 * G, CM | IW(CXL_HDM_IW_3)), R(D(0, CTRL), CM | CD | IW(CXL_HDM_IW_3)) } },
	{ "commit refused: 3-way size not a multiple of 3 x 256 MiB", CXL_HDM_CAP_3_6_12_WAY, 0, true,
	  P_PORT_IW_ALL, { PROG(0, 3 * G, 4 * G, CM | IW(CXL_HDM_IW_3)), ERRIS(0, -EINVAL) } },
	{ "commit refused: 16-way without capability", CXL_HDM_CAP_A11TO8 | CXL_HDM_CAP_A14TO12, 0,
	  true, P_PORT_IW_ALL, { PROG(0, 16 * G, 16 * G, CM | IW(CXL_HDM_IW_16)), ERRIS(0, -EOPNOTSUPP) } },
	{ "commit: 16-way with capability and address bits", CXL_HDM_CAP_A11TO8 | CXL_HDM_CAP_16_WAY,
	  0, true, P_PORT_IW_ALL, { PROG(0, 16 * G, 16 * G, CM | IW(CXL_HDM_IW_16)), ERRIS(0, 0) } },
	{ "commit refused: 2-way without HPA[11:8] capability", 0, 0, true, P_PORT_IW_ALL,
	  { PROG(0, 4 * G, 2 * G, CM | IW(CXL_HDM_IW_2)), ERRIS(0, -EOPNOTSUPP) } },
	{ "commit: 2-way at 4 KiB needs HPA[14:12]", CXL_HDM_CAP_A11TO8, 0, true, P_PORT_IW_ALL,
	  { PROG(0, 4 * G, 2 * G, CM | IW(CXL_HDM_IW_2) | IG(4)), ERRIS(0, -EOPNOTSUPP) } },
	{ "commit: 2-way at 4 KiB with HPA[14:12]", CXL_HDM_CAP_A14TO12, 0, true, P_PORT_IW_ALL,
	  { PROG(0, 4 * G, 2 * G, CM | IW(CXL_HDM_IW_2) | IG(4)), ERRIS(0, 0) } },
	{ "commit: 6-way at 256 B needs only HPA[8]", CXL_HDM_CAP_3_6_12_WAY | CXL_HDM_CAP_A11TO8, 0, true,
	  P_PORT_IW_ALL, { PROG(0, 6 * G, 6 * G, CM | IW(CXL_HDM_IW_6)), ERRIS(0, 0) } },
	{ "commit refused: 6-way without HPA[11:8] capability", CXL_HDM_CAP_3_6_12_WAY, 0, true,
	  P_PORT_IW_ALL, { PROG(0, 6 * G, 6 * G, CM | IW(CXL_HDM_IW_6)), ERRIS(0, -EOPNOTSUPP) } },
	{ "commit refused: 12-way at 2 KiB needs HPA[12:11]", CXL_HDM_CAP_3_6_12_WAY | CXL_HDM_CAP_A11TO8,
	  0, true, P_PORT_IW_ALL, { PROG(0, 12 * G, 12 * G, CM | IW(CXL_HDM_IW_12) | IG(3)),
	  ERRIS(0, -EOPNOTSUPP) } },
	{ "commit: 12-way at 2 KiB with HPA[11:8] and HPA[14:12]",
	  CXL_HDM_CAP_3_6_12_WAY | CXL_HDM_CAP_A11TO8 | CXL_HDM_CAP_A14TO12, 0, true, P_PORT_IW_ALL,
	  { PROG(0, 12 * G, 12 * G, CM | IW(CXL_HDM_IW_12) | IG(3)), ERRIS(0, 0) } },
	{ "commit refused: more ways than port targets", CXL_HDM_CAP_A11TO8 | FIELD_PREP_CONST(CXL_HDM_CAP_TARGET_COUNT, 2),
	  0, true, P_PORT_IW_ALL, { PROG(0, 4 * G, 4 * G, CM | IW(CXL_HDM_IW_4)), ERRIS(0, -EOPNOTSUPP) } },
	{ "commit refused: reserved IG encoding", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM | IG(7)), R(D(0, CTRL), CM | ER | IG(7)), ERRIS(0, -EINVAL) } },
	{ "commit refused: host-only target type not allowed", 0, 4 * G, false, P_NO_HOST_ONLY,
	  { PROG(0, 4 * G, G, CM | TT), ERRIS(0, -EOPNOTSUPP) } },
	{ "commit refused: device-coherent target type not allowed", 0, 4 * G, false, P_NO_DEV_COH,
	  { PROG(0, 4 * G, G, CM), ERRIS(0, -EOPNOTSUPP) } },
	{ "commit refused: BI not allowed by default", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM | BI), ERRIS(0, -EOPNOTSUPP) } },
	{ "commit: BI when allowed (HDM-DB)", 0, 4 * G, false, P_BI,
	  { PROG(0, 4 * G, G, CM | BI), R(D(0, CTRL), CM | CD | BI) } },
	{ "commit refused: BI with host-only target type", 0, 4 * G, false, P_BI,
	  { PROG(0, 4 * G, G, CM | BI | TT), ERRIS(0, -EOPNOTSUPP) } },
	{ "commit refused: UIO parameters without UIO", CXL_HDM_CAP_UIO, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM | CXL_HDM_DEC_CTRL_UIG), ERRIS(0, -EINVAL) } },
	{ "commit refused: UIO with reserved UIG", CXL_HDM_CAP_UIO, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM | CXL_HDM_DEC_CTRL_UIO | FIELD_PREP_CONST(CXL_HDM_DEC_CTRL_UIG, 9)),
	    ERRIS(0, -EINVAL) } },
	{ "commit refused: UIO ISP beyond UIW ways", CXL_HDM_CAP_UIO, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM | CXL_HDM_DEC_CTRL_UIO | FIELD_PREP_CONST(CXL_HDM_DEC_CTRL_ISP, 1)),
	    ERRIS(0, -EINVAL) } },
	{ "commit refused: UIO with reserved UIW", CXL_HDM_CAP_UIO, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM | CXL_HDM_DEC_CTRL_UIO | FIELD_PREP_CONST(CXL_HDM_DEC_CTRL_UIW, 7)),
	    ERRIS(0, -EOPNOTSUPP) } },
	{ "commit: UIO 1 way", CXL_HDM_CAP_UIO, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM | CXL_HDM_DEC_CTRL_UIO), ERRIS(0, 0) } },
	{ "commit refused by a positive ops->commit return (-EIO)", 0, 4 * G, false, P_VETO_POS,
	  { PROG(0, 4 * G, G, CM), R(D(0, CTRL), CM | ER), ERRIS(0, -EIO) } },
	{ "commit refused by ops->commit latches error", 0, 4 * G, false, P_VETO,
	  { PROG(0, 4 * G, G, CM), R(D(0, CTRL), CM | ER), ERRIS(0, -EACCES), CALLS(1, 0, 1) } },

	/* ---- committed and locked decoders ---- */
	{ "committed: base, size, skip frozen", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM), W8(D(0, BASE_LO), 8 * G), W8(D(0, SIZE_LO), 2 * G),
	    W(D(0, SKIP_LO), 0x10000000), R8(D(0, BASE_LO), 4 * G), R8(D(0, SIZE_LO), G),
	    R(D(0, SKIP_LO), 0) } },
	{ "committed: control write keeping COMMIT ignored", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM), W(D(0, CTRL), CM | IG(2) | LK), R(D(0, CTRL), CM | CD) } },
	{ "uncommit clears COMMITTED and calls ops", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM), W(D(0, CTRL), 0), R(D(0, CTRL), 0), R8(D(0, BASE_LO), 4 * G),
	    CALLS(1, 1, 1) } },
	{ "uncommit out of order ignored", DC(1), 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM), PROG(1, 5 * G, G, CM), W(D(0, CTRL), 0), R(D(0, CTRL), CM | CD),
	    W(D(1, CTRL), 0), W(D(0, CTRL), 0), R(D(0, CTRL), 0), CALLS(2, 2, 1) } },
	{ "error latch cleared by clearing COMMIT", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, 0, CM), R(D(0, CTRL), CM | ER), W(D(0, CTRL), 0), R(D(0, CTRL), 0),
	    ERRIS(0, 0), CALLS(0, 0, 1) } },
	{ "after an error: fix, clear and set COMMIT again", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, 0, CM), W8(D(0, SIZE_LO), G), R8(D(0, SIZE_LO), 0), W(D(0, CTRL), CM),
	    R(D(0, CTRL), CM | ER), W(D(0, CTRL), 0), W8(D(0, SIZE_LO), G), W(D(0, CTRL), CM),
	    R(D(0, CTRL), CM | CD) } },
	{ "locked: every register write ignored", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM | LK), R(D(0, CTRL), CM | CD | LK),
	    W(D(0, BASE_LO), 0), W(D(0, BASE_HI), 1), W8(D(0, BASE_LO), 0), W(D(0, SIZE_LO), 0),
	    W(D(0, SIZE_HI), 1), W8(D(0, SIZE_LO), 0), W(D(0, SKIP_LO), 0x10000000), W(D(0, SKIP_HI), 1),
	    W(D(0, CTRL), 0), W(D(0, CTRL), IG(1)), W(D(0, CTRL), CM | LK | TT),
	    R8(D(0, BASE_LO), 4 * G), R8(D(0, SIZE_LO), G), R(D(0, SKIP_LO), 0), R(D(0, SKIP_HI), 0),
	    R(D(0, CTRL), CM | CD | LK), CALLS(1, 0, 1) } },
	{ "locked: global control still RW", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, G, CM | LK), W(CXL_HDM_GCTRL, CXL_HDM_GCTRL_ENABLE),
	    R(CXL_HDM_GCTRL, CXL_HDM_GCTRL_ENABLE) } },
	{ "locked until reset; reset values apply", 0, 4 * G, false, 0,
	  { SETRESET(0, 2 * G, G, 0), PROG(0, 4 * G, G, CM | LK), RESET, R(D(0, CTRL), 0),
	    R8(D(0, BASE_LO), 2 * G), R8(D(0, SIZE_LO), G), W8(D(0, BASE_LO), 6 * G),
	    R8(D(0, BASE_LO), 6 * G), CALLS(1, 0, 2) } },
	{ "reset clears global control and decoders", DC(1), 4 * G, false, 0,
	  { W(CXL_HDM_GCTRL, CXL_HDM_GCTRL_ENABLE), PROG(0, 4 * G, G, CM), W(D(1, SKIP_LO), 0x10000000),
	    RESET, R(CXL_HDM_GCTRL, 0), R(D(0, CTRL), 0), R8(D(0, BASE_LO), 0), R(D(1, SKIP_LO), 0) } },
	{ "set_reset_value refused: unaligned, out of range, bad index", 0, 4 * G, false, 0,
	  { SETRESET(0, 0x1000, G, -EINVAL), SETRESET(0, G, 0x1000, -EINVAL), SETRESET(1, G, G, -EINVAL),
	    SETRESET(0, 1ULL << 52, G, -ERANGE) } },
	{ "lock bit without commit does not lock", 0, 4 * G, false, 0,
	  { W(D(0, CTRL), LK), W8(D(0, BASE_LO), 4 * G), R8(D(0, BASE_LO), 4 * G) } },
	{ "locked after failed commit? no: error state not locked", 0, 4 * G, false, 0,
	  { PROG(0, 4 * G, 0, CM | LK), R(D(0, CTRL), CM | ER | LK), W(D(0, CTRL), 0), R(D(0, CTRL), 0) } },
};

struct calls {
	int commit, uncommit, reset;
	bool veto, veto_pos;
	u64 last_base, last_size;
	bool last_lock;
};

static int op_commit(void *priv, unsigned int idx, u64 base, u64 size, bool lock)
{
	struct calls *c = priv;

	c->commit++;
	c->last_base = base;
	c->last_size = size;
	c->last_lock = lock;
	if (c->veto_pos)
		return 1;
	return c->veto ? -EACCES : 0;
}

static void op_uncommit(void *priv, unsigned int idx)
{
	((struct calls *)priv)->uncommit++;
}

static void op_reset(void *priv)
{
	((struct calls *)priv)->reset++;
}

static const struct cxlemu_hdm_ops ops = {
	.commit = op_commit, .uncommit = op_uncommit, .reset = op_reset,
};

static void run_case(const struct tcase *t)
{
	struct cxlemu_hdm h;
	struct calls c = { 0 };
	int ok = 1, ret;
	unsigned int i;

	c.veto = t->policy & P_VETO;
	c.veto_pos = t->policy & P_VETO_POS;
	ret = cxlemu_hdm_init(&h, t->cap, t->dpa, !t->port, &ops, &c);
	EXPECT_EQ(ok, ret, 0);
	if (t->policy & P_PORT_IW_ALL)
		h.iw_cap_mask = cxlemu_hdm_iw_cap_mask(t->cap);
	if (t->policy & P_NO_HOST_ONLY)
		h.allow_host_only = false;
	if (t->policy & P_NO_DEV_COH)
		h.allow_dev_coherent = false;
	if (t->policy & P_BI)
		h.allow_bi = true;
	for (i = 0; !ret && i < ARRAY_SIZE(t->ops) && t->ops[i].kind != OP_END; i++) {
		const struct op *o = &t->ops[i];
		u64 v = 0xdeadbeef;

		switch (o->kind) {
		case OP_W:
			tap_note("#   step %u: write %#x/%u = %#llx\n", i, o->off, o->width,
				 (unsigned long long)o->val);
			EXPECT_EQ(ok, cxlemu_hdm_write(&h, o->off, o->width, o->val), o->ret);
			break;
		case OP_R:
			tap_note("#   step %u: read %#x/%u\n", i, o->off, o->width);
			EXPECT_EQ(ok, cxlemu_hdm_read(&h, o->off, o->width, &v), o->ret);
			if (!o->ret)
				EXPECT_EQ(ok, v, o->want);
			break;
		case OP_RESET:
			cxlemu_hdm_reset(&h);
			break;
		case OP_SETRESET:
			EXPECT_EQ(ok, cxlemu_hdm_set_reset_value(&h, o->off, o->val, o->want), o->ret);
			break;
		case OP_ERR:
			EXPECT_EQ(ok, h.dec[o->off].commit_err, (int)(s64)o->want);
			break;
		case OP_CALLS:
			EXPECT_EQ(ok, c.commit | c.uncommit << 8 | c.reset << 16, o->want);
			break;
		}
	}
	tap_result(ok, "hdm: %s", t->name);
	tap_flush(ok);
}

/* Cases that are not scripts. */
static void other_cases(void)
{
	struct cxlemu_hdm h;
	struct calls c = { 0 };
	int ok;

	TAP_CHECK("hdm: init refuses reserved decoder count 0xd",
		  cxlemu_hdm_init(&h, DC(0xd), 0, true, NULL, NULL) == -EINVAL);
	TAP_CHECK("hdm: init refuses decoder count 0xf",
		  cxlemu_hdm_init(&h, DC(0xf), 0, true, NULL, NULL) == -EINVAL);
	TAP_CHECK("hdm: init refuses DPA size not 256 MiB aligned",
		  cxlemu_hdm_init(&h, 0, G + 4096, true, NULL, NULL) == -EINVAL);
	TAP_CHECK("hdm: decoder count 0 -> 1, block 0x30",
		  cxlemu_hdm_init(&h, DC(0), 0, true, NULL, NULL) == 0 && h.ndecoders == 1 &&
		  cxlemu_hdm_block_size(&h) == 0x30);
	TAP_CHECK("hdm: decoder count 8 -> 16",
		  cxlemu_hdm_init(&h, DC(8), 0, true, NULL, NULL) == 0 && h.ndecoders == 16);
	TAP_CHECK("hdm: decoder count 9 -> 20",
		  cxlemu_hdm_init(&h, DC(9), 0, true, NULL, NULL) == 0 && h.ndecoders == 20);
	TAP_CHECK("hdm: decoder count 0xc -> 32, block 0x410",
		  cxlemu_hdm_init(&h, DC(0xc), 0, true, NULL, NULL) == 0 && h.ndecoders == 32 &&
		  cxlemu_hdm_block_size(&h) == 0x410);
	TAP_CHECK("hdm: IW encodings round-trip",
		  cxlemu_hdm_ways_to_iw(3) == CXL_HDM_IW_3 && cxlemu_hdm_iw_to_ways(CXL_HDM_IW_12) == 12 &&
		  cxlemu_hdm_iw_to_ways(5) == -EINVAL && cxlemu_hdm_iw_to_ways(0xb) == -EINVAL &&
		  cxlemu_hdm_ways_to_iw(5) == -EINVAL && cxlemu_hdm_ways_to_iw(32) == -EINVAL);
	ok = 1;
	{
		u32 iw;

		for (iw = 0; iw < 16; iw++) {
			int ways = cxlemu_hdm_iw_to_ways(iw);

			tap_note("#   iw %u\n", iw);
			if (ways > 0)
				EXPECT_EQ(ok, cxlemu_hdm_ways_to_iw((unsigned int)ways), iw);
			EXPECT_EQ(ok, ways > 0, iw <= 4 || (iw >= 8 && iw <= 10));
		}
	}
	tap_result(ok, "hdm: every IW encoding: 0-4 and 8-10 defined and round-trip, others -EINVAL");
	tap_flush(ok);
	TAP_CHECK("hdm: IG encodings round-trip",
		  cxlemu_hdm_ig_to_bytes(0) == 256 && cxlemu_hdm_ig_to_bytes(6) == 16384 &&
		  cxlemu_hdm_ig_to_bytes(7) == -EINVAL && cxlemu_hdm_bytes_to_ig(4096) == 4 &&
		  cxlemu_hdm_bytes_to_ig(300) == -EINVAL && cxlemu_hdm_bytes_to_ig(32768) == -EINVAL);
	TAP_CHECK("hdm: endpoint policy defaults (1 way, no BI, both target types)",
		  cxlemu_hdm_init(&h, CXL_HDM_CAP_3_6_12_WAY, 0, true, NULL, NULL) == 0 &&
		  h.iw_cap_mask == BIT(1) && !h.allow_bi && h.allow_host_only && h.allow_dev_coherent);
	TAP_CHECK("hdm: port policy follows the capability",
		  cxlemu_hdm_init(&h, CXL_HDM_CAP_3_6_12_WAY, 0, false, NULL, NULL) == 0 &&
		  h.iw_cap_mask == (BIT(1) | BIT(2) | BIT(3) | BIT(4) | BIT(6) | BIT(8) | BIT(12)));

	/* ops->commit sees base, size and the lock flag */
	ok = 1;
	cxlemu_hdm_init(&h, 0, 4 * G, true, &ops, &c);
	cxlemu_hdm_write(&h, D(0, BASE_LO), 8, 12 * G);
	cxlemu_hdm_write(&h, D(0, SIZE_LO), 8, 2 * G);
	cxlemu_hdm_write(&h, D(0, CTRL), 4, CM | LK);
	EXPECT_EQ(ok, c.last_base, 12 * G);
	EXPECT_EQ(ok, c.last_size, 2 * G);
	EXPECT_EQ(ok, c.last_lock, 1);
	EXPECT_EQ(ok, cxlemu_hdm_committed(&h, 0), 1);
	EXPECT_EQ(ok, cxlemu_hdm_locked(&h, 0), 1);
	EXPECT_EQ(ok, cxlemu_hdm_locked(&h, 1), 0);
	EXPECT_EQ(ok, cxlemu_hdm_check_commit(&h, 0), 0);
	EXPECT_EQ(ok, cxlemu_hdm_check_commit(&h, 1), -EINVAL);
	tap_result(ok, "hdm: ops->commit gets base, size, lock; committed/locked queries");
	tap_flush(ok);

	ok = 1;
	cxlemu_hdm_init(&h, 0, 4 * G, true, NULL, NULL);
	cxlemu_hdm_write(&h, D(0, SIZE_LO), 8, G);
	EXPECT_EQ(ok, cxlemu_hdm_check_commit(&h, 0), 0);
	cxlemu_hdm_write(&h, D(0, CTRL), 4, IG(9));
	EXPECT_EQ(ok, cxlemu_hdm_check_commit(&h, 0), -EINVAL);
	EXPECT_EQ(ok, cxlemu_hdm_committed(&h, 0), 0);
	tap_result(ok, "hdm: check_commit predicts without committing, NULL ops work");
	tap_flush(ok);
}

int main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	other_cases();
	return tap_done();
}
