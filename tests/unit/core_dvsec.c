// SPDX-License-Identifier: MIT
/*
 * Table-driven tests of the emulated CXL Device DVSEC (core/dvsec_emu.c):
 * each register's access types (RO, HwInit, RW, RWL, RW1CS, RWO, doorbell,
 * reserved), capability gating, CONFIG_LOCK, reset kinds, byte/word/dword
 * accesses at any offset, and the refused accesses.
 */
#include "cxlemu.h"
#include "core_tap.h"

/* T2X() overrides fields of a base image on purpose. */
#pragma GCC diagnostic ignored "-Woverride-init"

#define FP(m, v)	FIELD_PREP_CONST(m, v)

/* A device image: what the hardware DVSEC holds at init. */
struct hwimg {
	u16 cap, ctrl, status, ctrl2, status2, lock, cap2, cap3;
	u32 size_lo0, base_lo0, base_hi0, size_lo1;
	u32 len;
};

#define CAP_T2	(CXL_DVSEC_CAP_CACHE | CXL_DVSEC_CAP_IO | CXL_DVSEC_CAP_MEM | \
		 FP(CXL_DVSEC_CAP_HDM_COUNT, 1) | CXL_DVSEC_CAP_CACHE_WBI | \
		 CXL_DVSEC_CAP_CXL_RESET | CXL_DVSEC_CAP_CXL_RESET_MEM_CLR | CXL_DVSEC_CAP_VIRAL)
#define CAP_T3	(CXL_DVSEC_CAP_IO | CXL_DVSEC_CAP_MEM | FP(CXL_DVSEC_CAP_HDM_COUNT, 1))
#define SIZE_256M (CXL_DVSEC_RANGE_SIZE_LO_VALID | CXL_DVSEC_RANGE_SIZE_LO_ACTIVE | \
		   FP(CXL_DVSEC_RANGE_SIZE_LO_SIZE, 1))

static void build_hw(u8 *b, const struct hwimg *m)
{
	u32 len = m->len ? m->len : CXL_DVSEC_DEV_LEN_R2;

	memset(b, 0, CXLEMU_DVSEC_MAX_LEN);
	put_unaligned_le32(FIELD_PREP(CXL_PCI_EXT_CAP_HDR_ID, CXL_PCI_EXT_CAP_ID_DVSEC) |
			   FIELD_PREP(CXL_PCI_EXT_CAP_HDR_VER, 1) |
			   FIELD_PREP(CXL_PCI_EXT_CAP_HDR_NEXT, 0x148), b);
	put_unaligned_le32(FIELD_PREP(CXL_DVSEC_HDR1_VENDOR, CXL_DVSEC_VENDOR_ID) |
			   FIELD_PREP(CXL_DVSEC_HDR1_REV, 2) |
			   FIELD_PREP(CXL_DVSEC_HDR1_LEN, len), b + CXL_DVSEC_HDR1);
	put_unaligned_le16(CXL_DVSEC_ID_DEVICE, b + CXL_DVSEC_HDR2);
	put_unaligned_le16(m->cap, b + CXL_DVSEC_CAP);
	put_unaligned_le16(m->ctrl, b + CXL_DVSEC_CTRL);
	put_unaligned_le16(m->status, b + CXL_DVSEC_STATUS);
	put_unaligned_le16(m->ctrl2, b + CXL_DVSEC_CTRL2);
	put_unaligned_le16(m->status2, b + CXL_DVSEC_STATUS2);
	put_unaligned_le16(m->lock, b + CXL_DVSEC_LOCK);
	put_unaligned_le16(m->cap2, b + CXL_DVSEC_CAP2);
	put_unaligned_le32(m->size_lo0, b + CXL_DVSEC_RANGE_SIZE_LO(0));
	put_unaligned_le32(1, b + CXL_DVSEC_RANGE_SIZE_HI(0));
	put_unaligned_le32(m->base_lo0, b + CXL_DVSEC_RANGE_BASE_LO(0));
	put_unaligned_le32(m->base_hi0, b + CXL_DVSEC_RANGE_BASE_HI(0));
	put_unaligned_le32(m->size_lo1, b + CXL_DVSEC_RANGE_SIZE_LO(1));
	if (len >= CXL_DVSEC_DEV_LEN_R2) {
		put_unaligned_le16(m->cap3, b + CXL_DVSEC_CAP3);
		put_unaligned_le16(0xffff, b + CXL_DVSEC_RSVD_3A);
	}
}

enum { D_END, D_W, D_R, D_RESET, D_CALLS, D_MEM };

struct dop {
	int kind;
	u32 off;
	unsigned int width;
	u32 val;
	int ret;
	u32 want;
};

#define W(o, w, v)	{ D_W, (o), (w), (v), 0, 0 }
#define WE(o, w, e)	{ D_W, (o), (w), 0, (e), 0 }
#define R(o, w, v)	{ D_R, (o), (w), 0, 0, (v) }
#define RE(o, w, e)	{ D_R, (o), (w), 0, (e), 0 }
#define RESET(k)	{ D_RESET, (k), 0, 0, 0, 0 }
/* calls: wbi | reset << 4 | mem_on << 8 | mem_off << 12 */
#define CALLS(wb, rs, on, off) { D_CALLS, 0, 0, 0, 0, (wb) | (rs) << 4 | (on) << 8 | (off) << 12 }
#define MEM(v)		{ D_MEM, 0, 0, 0, 0, (v) }

#define O_NOOPS		BIT(0)	/* no ops at all */
#define O_WBI_FAIL	BIT(1)
#define O_RESET_FAIL	BIT(2)

struct dcase {
	const char *name;
	struct hwimg hw;
	u32 flags;
	struct dop ops[20];
};

#define T2	{ .cap = CAP_T2, .ctrl = CXL_DVSEC_CTRL_IO_EN, .size_lo0 = SIZE_256M, \
		  .base_hi0 = 0x4, .base_lo0 = 0x90000000, \
		  .status2 = CXL_DVSEC_STATUS2_PM_INIT_COMPLETE }
#define T2X(...) { .cap = CAP_T2, .ctrl = CXL_DVSEC_CTRL_IO_EN, .size_lo0 = SIZE_256M, __VA_ARGS__ }

#define HDR1_VAL (FP(CXL_DVSEC_HDR1_VENDOR, CXL_DVSEC_VENDOR_ID) | FP(CXL_DVSEC_HDR1_REV, 2) | \
		  FP(CXL_DVSEC_HDR1_LEN, CXL_DVSEC_DEV_LEN_R2))
#define CTL	CXL_DVSEC_CTRL
#define CTL2	CXL_DVSEC_CTRL2
#define ST	CXL_DVSEC_STATUS
#define ST2	CXL_DVSEC_STATUS2
#define LCK	CXL_DVSEC_LOCK
#define LOCKIT	W(LCK, 2, CXL_DVSEC_LOCK_CONFIG_LOCK)

static const struct dcase cases[] = {
	/* ---- headers and capabilities: RO ---- */
	{ "headers are RO", T2, 0,
	  { W(0, 4, 0), W(CXL_DVSEC_HDR1, 4, 0), W(CXL_DVSEC_HDR2, 2, 5), R(CXL_DVSEC_HDR1, 4, HDR1_VAL),
	    R(CXL_DVSEC_HDR2, 2, CXL_DVSEC_ID_DEVICE), R(0, 2, CXL_PCI_EXT_CAP_ID_DVSEC) } },
	{ "Capability is RO", T2, 0,
	  { W(CXL_DVSEC_CAP, 2, 0), R(CXL_DVSEC_CAP, 2, CAP_T2) } },
	{ "Capability: doorbell caps hidden without handlers", T2, O_NOOPS,
	  { R(CXL_DVSEC_CAP, 2, CAP_T2 & ~(CXL_DVSEC_CAP_CACHE_WBI | CXL_DVSEC_CAP_CXL_RESET |
					   CXL_DVSEC_CAP_CXL_RESET_MEM_CLR)) } },
	{ "Capability2 is RO", T2X(.cap2 = 0x1234), 0,
	  { W(CXL_DVSEC_CAP2, 2, 0), R(CXL_DVSEC_CAP2, 2, 0x1234) } },
	{ "Capability3 is RO, bits 15:5 reserved", T2X(.cap3 = 0xfff5), 0,
	  { W(CXL_DVSEC_CAP3, 2, 0), R(CXL_DVSEC_CAP3, 2, 0x15) } },
	{ "0x3a reserved reads 0", T2, 0,
	  { W(CXL_DVSEC_RSVD_3A, 2, 0xffff), R(CXL_DVSEC_RSVD_3A, 2, 0) } },

	/* ---- Control ---- */
	{ "Control: Mem_Enable RWL, forwarded to ops", T2, 0,
	  { W(CTL, 2, CXL_DVSEC_CTRL_MEM_EN), R(CTL, 2, CXL_DVSEC_CTRL_MEM_EN | CXL_DVSEC_CTRL_IO_EN),
	    MEM(1), W(CTL, 2, 0), MEM(0), CALLS(0, 0, 1, 1) } },
	{ "Control: Mem_Enable reset value is the device's", T2X(.ctrl = CXL_DVSEC_CTRL_IO_EN | CXL_DVSEC_CTRL_MEM_EN), 0,
	  { MEM(1), W(CTL, 2, 0), MEM(0), RESET(CXLEMU_RESET_CONVENTIONAL), MEM(1) } },
	{ "Control: IO_Enable RO", T2, 0,
	  { W(CTL, 2, 0), R(CTL, 2, CXL_DVSEC_CTRL_IO_EN) } },
	{ "Control: cache fields RWL when cache capable", T2, 0,
	  { W(CTL, 2, CXL_DVSEC_CTRL_CACHE_EN | CXL_DVSEC_CTRL_CACHE_SF_COVERAGE |
	      CXL_DVSEC_CTRL_CACHE_SF_GRAN | CXL_DVSEC_CTRL_CACHE_CLEAN_EVICT),
	    R(CTL, 2, CXL_DVSEC_CTRL_CACHE_EN | CXL_DVSEC_CTRL_CACHE_SF_COVERAGE |
	      CXL_DVSEC_CTRL_CACHE_SF_GRAN | CXL_DVSEC_CTRL_CACHE_CLEAN_EVICT | CXL_DVSEC_CTRL_IO_EN) } },
	{ "Control: cache fields RO without Cache_Capable", { .cap = CAP_T3, .ctrl = CXL_DVSEC_CTRL_IO_EN }, 0,
	  { W(CTL, 2, CXL_DVSEC_CTRL_CACHE_EN | CXL_DVSEC_CTRL_CACHE_SF_COVERAGE |
	      CXL_DVSEC_CTRL_CACHE_SF_GRAN | CXL_DVSEC_CTRL_CACHE_CLEAN_EVICT | CXL_DVSEC_CTRL_VIRAL_EN),
	    R(CTL, 2, CXL_DVSEC_CTRL_IO_EN) } },
	{ "Control: Mem_Enable RO without Mem_Capable", { .cap = CXL_DVSEC_CAP_IO }, 0,
	  { W(CTL, 2, CXL_DVSEC_CTRL_MEM_EN), R(CTL, 2, 0), CALLS(0, 0, 0, 0) } },
	{ "Control: Viral_Enable and P2P RWL", T2X(.cap3 = CXL_DVSEC_CAP3_P2P_MEM), 0,
	  { W(CTL, 2, CXL_DVSEC_CTRL_VIRAL_EN | CXL_DVSEC_CTRL_P2P_MEM_EN),
	    R(CTL, 2, CXL_DVSEC_CTRL_VIRAL_EN | CXL_DVSEC_CTRL_P2P_MEM_EN | CXL_DVSEC_CTRL_IO_EN),
	    LOCKIT, W(CTL, 2, CXL_DVSEC_CTRL_IO_EN),
	    R(CTL, 2, CXL_DVSEC_CTRL_VIRAL_EN | CXL_DVSEC_CTRL_P2P_MEM_EN | CXL_DVSEC_CTRL_IO_EN) } },
	{ "Control: P2P Mem Enable RO without Direct P2P Mem Capable", T2, 0,
	  { W(CTL, 2, CXL_DVSEC_CTRL_P2P_MEM_EN), R(CTL, 2, CXL_DVSEC_CTRL_IO_EN) } },
	{ "Control: P2P Mem Enable RO on a revision 1 DVSEC (no Capability3)",
	  T2X(.len = CXL_DVSEC_DEV_LEN_R1), 0,
	  { W(CTL, 2, CXL_DVSEC_CTRL_P2P_MEM_EN), R(CTL, 2, CXL_DVSEC_CTRL_IO_EN) } },
	{ "Control: bits 13 and 15 RsvdP (device value hidden)", T2X(.ctrl = 0xa002), 0,
	  { R(CTL, 2, CXL_DVSEC_CTRL_IO_EN), W(CTL, 2, 0xa000), R(CTL, 2, CXL_DVSEC_CTRL_IO_EN) } },
	{ "Control: RWL fields RO after CONFIG_LOCK", T2, 0,
	  { W(CTL, 2, CXL_DVSEC_CTRL_CACHE_EN), LOCKIT, W(CTL, 2, CXL_DVSEC_CTRL_MEM_EN),
	    R(CTL, 2, CXL_DVSEC_CTRL_CACHE_EN | CXL_DVSEC_CTRL_IO_EN), CALLS(0, 0, 0, 0) } },
	{ "Control: byte write to the high byte leaves the low byte", T2, 0,
	  { W(CTL, 2, CXL_DVSEC_CTRL_MEM_EN), W(CTL + 1, 1, 0x40),
	    R(CTL, 2, CXL_DVSEC_CTRL_MEM_EN | CXL_DVSEC_CTRL_IO_EN | CXL_DVSEC_CTRL_VIRAL_EN),
	    CALLS(0, 0, 1, 0) } },

	/* ---- Status ---- */
	{ "Status: Viral_Status RW1CS, write 0 keeps", T2X(.status = CXL_DVSEC_STATUS_VIRAL), 0,
	  { R(ST, 2, CXL_DVSEC_STATUS_VIRAL), W(ST, 2, 0), R(ST, 2, CXL_DVSEC_STATUS_VIRAL),
	    W(ST, 2, CXL_DVSEC_STATUS_VIRAL), R(ST, 2, 0) } },
	{ "Status: Viral_Status sticky across conventional reset",
	  T2X(.status = CXL_DVSEC_STATUS_VIRAL), 0,
	  { RESET(CXLEMU_RESET_CONVENTIONAL), R(ST, 2, CXL_DVSEC_STATUS_VIRAL),
	    W(ST, 2, CXL_DVSEC_STATUS_VIRAL), RESET(CXLEMU_RESET_CONVENTIONAL), R(ST, 2, 0),
	    RESET(CXLEMU_RESET_CXL), R(ST, 2, 0) } },
	{ "Status: reserved bits RsvdZ", T2X(.status = 0xbfff), 0,
	  { R(ST, 2, 0), W(ST, 2, 0xffff), R(ST, 2, 0) } },

	/* ---- Control2 and doorbells ---- */
	{ "Control2: Disable Caching RW", T2, 0,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_DISABLE_CACHING), R(CTL2, 2, CXL_DVSEC_CTRL2_DISABLE_CACHING),
	    LOCKIT, W(CTL2, 2, 0), R(CTL2, 2, 0) } },
	{ "Control2: Disable Caching RO without cache", { .cap = CAP_T3 }, 0,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_DISABLE_CACHING), R(CTL2, 2, 0) } },
	{ "Control2: WBI doorbell reads 0, sets Cache Invalid with Disable Caching", T2, 0,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_DISABLE_CACHING | CXL_DVSEC_CTRL2_INIT_CACHE_WBI),
	    R(CTL2, 2, CXL_DVSEC_CTRL2_DISABLE_CACHING),
	    R(ST2, 2, CXL_DVSEC_STATUS2_CACHE_INVALID | CXL_DVSEC_STATUS2_PM_INIT_COMPLETE),
	    CALLS(1, 0, 0, 0) } },
	{ "Control2: Cache Invalid reads 0 without Disable Caching, and once it is cleared", T2, 0,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_INIT_CACHE_WBI),
	    R(ST2, 2, CXL_DVSEC_STATUS2_PM_INIT_COMPLETE), CALLS(1, 0, 0, 0),
	    W(CTL2, 2, CXL_DVSEC_CTRL2_DISABLE_CACHING | CXL_DVSEC_CTRL2_INIT_CACHE_WBI),
	    R(ST2, 2, CXL_DVSEC_STATUS2_CACHE_INVALID | CXL_DVSEC_STATUS2_PM_INIT_COMPLETE),
	    W(CTL2, 2, 0), R(ST2, 2, CXL_DVSEC_STATUS2_PM_INIT_COMPLETE) } },
	{ "Control2: WBI failure leaves Cache Invalid clear", T2, O_WBI_FAIL,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_INIT_CACHE_WBI), R(ST2, 2, CXL_DVSEC_STATUS2_PM_INIT_COMPLETE),
	    CALLS(1, 0, 0, 0) } },
	{ "Control2: CXL reset doorbell completes and resets the DVSEC", T2, 0,
	  { W(CTL, 2, CXL_DVSEC_CTRL_MEM_EN), W(CXL_DVSEC_RANGE_BASE_LO(0), 4, 0x10000000), LOCKIT,
	    W(CTL2, 2, CXL_DVSEC_CTRL2_INIT_CXL_RESET), R(CTL2, 2, 0),
	    R(ST2, 2, CXL_DVSEC_STATUS2_RESET_COMPLETE | CXL_DVSEC_STATUS2_PM_INIT_COMPLETE),
	    R(CTL, 2, CXL_DVSEC_CTRL_IO_EN), R(CXL_DVSEC_RANGE_BASE_LO(0), 4, 0),
	    R(LCK, 2, CXL_DVSEC_LOCK_CONFIG_LOCK), CALLS(0, 1, 1, 0) } },
	{ "Control2: CXL reset failure sets Reset Error, nothing reset", T2, O_RESET_FAIL,
	  { W(CTL, 2, CXL_DVSEC_CTRL_MEM_EN), W(CTL2, 2, CXL_DVSEC_CTRL2_INIT_CXL_RESET),
	    R(ST2, 2, CXL_DVSEC_STATUS2_RESET_ERROR | CXL_DVSEC_STATUS2_PM_INIT_COMPLETE),
	    MEM(1), CALLS(0, 1, 1, 0) } },
	{ "Control2: WBI then CXL reset in one write", T2, 0,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_INIT_CACHE_WBI | CXL_DVSEC_CTRL2_INIT_CXL_RESET),
	    CALLS(1, 1, 0, 0) } },
	{ "Control2: doorbells ignored without capability", { .cap = CAP_T3 }, 0,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_INIT_CACHE_WBI | CXL_DVSEC_CTRL2_INIT_CXL_RESET),
	    R(ST2, 2, 0), CALLS(0, 0, 0, 0) } },
	{ "Control2: doorbells ignored without handlers", T2, O_NOOPS,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_INIT_CACHE_WBI | CXL_DVSEC_CTRL2_INIT_CXL_RESET),
	    R(ST2, 2, CXL_DVSEC_STATUS2_PM_INIT_COMPLETE) } },
	{ "Control2: Reset Mem Clr Enable RW with capability", T2, 0,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN), R(CTL2, 2, CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN) } },
	{ "Control2: Reset Mem Clr Enable RO without capability", { .cap = CAP_T3 }, 0,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN), R(CTL2, 2, 0) } },
	{ "Control2: hot reset HDM state RW when configurable",
	  T2X(.cap3 = CXL_DVSEC_CAP3_HOT_RESET_CONFIGURABLE), 0,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_HOT_RESET_HDM_STATE), R(CTL2, 2, CXL_DVSEC_CTRL2_HOT_RESET_HDM_STATE) } },
	{ "Control2: hot reset HDM state RO otherwise", T2, 0,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_HOT_RESET_HDM_STATE), R(CTL2, 2, 0) } },
	{ "Control2: modified completion RW when Capability2 says so",
	  T2X(.cap2 = CXL_DVSEC_CAP2_MOD_COMPLETION), 0,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_MOD_COMPLETION_EN), R(CTL2, 2, CXL_DVSEC_CTRL2_MOD_COMPLETION_EN) } },
	{ "Control2: modified completion RO otherwise", T2, 0,
	  { W(CTL2, 2, CXL_DVSEC_CTRL2_MOD_COMPLETION_EN), R(CTL2, 2, 0) } },
	{ "Control2: bits 15:6 RsvdP", T2X(.ctrl2 = 0xffc0), 0,
	  { R(CTL2, 2, 0), W(CTL2, 2, 0xffc0), R(CTL2, 2, 0) } },

	/* ---- Status2 ---- */
	{ "Status2: completion bits and PM init RO", T2X(.status2 = 0x8007), 0,
	  { R(ST2, 2, CXL_DVSEC_STATUS2_PM_INIT_COMPLETE), W(ST2, 2, 0xffff),
	    R(ST2, 2, CXL_DVSEC_STATUS2_PM_INIT_COMPLETE) } },
	{ "Status2: HDM preservation error RW1CS", T2X(.status2 = CXL_DVSEC_STATUS2_HDM_PRESERVE_ERR), 0,
	  { W(ST2, 2, 0), R(ST2, 2, CXL_DVSEC_STATUS2_HDM_PRESERVE_ERR), RESET(CXLEMU_RESET_CONVENTIONAL),
	    R(ST2, 2, CXL_DVSEC_STATUS2_HDM_PRESERVE_ERR), W(ST2, 2, CXL_DVSEC_STATUS2_HDM_PRESERVE_ERR),
	    R(ST2, 2, 0) } },
	{ "Status2: reserved bits 14:4 RsvdZ", T2X(.status2 = 0x7ff0), 0,
	  { R(ST2, 2, 0) } },

	/* ---- Lock ---- */
	{ "Lock: CONFIG_LOCK is RWO, starts open", T2X(.lock = CXL_DVSEC_LOCK_CONFIG_LOCK), 0,
	  { R(LCK, 2, 0), W(LCK, 2, 0), R(LCK, 2, 0), LOCKIT, R(LCK, 2, CXL_DVSEC_LOCK_CONFIG_LOCK),
	    W(LCK, 2, 0), R(LCK, 2, CXL_DVSEC_LOCK_CONFIG_LOCK) } },
	{ "Lock: bits 15:1 RsvdP", T2, 0,
	  { W(LCK, 2, 0xfffe), R(LCK, 2, 0) } },
	{ "Lock: conventional reset reopens", T2, 0,
	  { LOCKIT, RESET(CXLEMU_RESET_CONVENTIONAL), R(LCK, 2, 0), W(CTL, 2, CXL_DVSEC_CTRL_MEM_EN), MEM(1) } },
	{ "Lock: FLR changes nothing", T2, 0,
	  { W(CTL, 2, CXL_DVSEC_CTRL_MEM_EN), LOCKIT, W(CXL_DVSEC_STATUS2, 2, 0), RESET(CXLEMU_RESET_FLR),
	    R(LCK, 2, CXL_DVSEC_LOCK_CONFIG_LOCK), MEM(1) } },
	{ "Lock: CXL reset keeps the lock, resets Control", T2, 0,
	  { W(CTL, 2, CXL_DVSEC_CTRL_MEM_EN), LOCKIT, RESET(CXLEMU_RESET_CXL),
	    R(LCK, 2, CXL_DVSEC_LOCK_CONFIG_LOCK), MEM(0), W(CTL, 2, CXL_DVSEC_CTRL_MEM_EN), MEM(0) } },

	/* ---- Ranges ---- */
	{ "Range 1 size: RO, bits 27:17 RsvdP", T2X(.size_lo0 = SIZE_256M | CXL_DVSEC_RANGE_SIZE_LO_RSVD), 0,
	  { W(CXL_DVSEC_RANGE_SIZE_LO(0), 4, 0), W(CXL_DVSEC_RANGE_SIZE_HI(0), 4, 0),
	    R(CXL_DVSEC_RANGE_SIZE_LO(0), 4, SIZE_256M), R(CXL_DVSEC_RANGE_SIZE_HI(0), 4, 1) } },
	{ "Range 1 base: host HPA hidden, RWL, low bits 27:0 RsvdP", T2, 0,
	  { R(CXL_DVSEC_RANGE_BASE_LO(0), 4, 0), R(CXL_DVSEC_RANGE_BASE_HI(0), 4, 0),
	    W(CXL_DVSEC_RANGE_BASE_LO(0), 4, ~0U), W(CXL_DVSEC_RANGE_BASE_HI(0), 4, 0x11),
	    R(CXL_DVSEC_RANGE_BASE_LO(0), 4, CXL_DVSEC_RANGE_BASE_LO_BASE),
	    R(CXL_DVSEC_RANGE_BASE_HI(0), 4, 0x11), LOCKIT,
	    W(CXL_DVSEC_RANGE_BASE_LO(0), 4, 0), W(CXL_DVSEC_RANGE_BASE_HI(0), 4, 0),
	    R(CXL_DVSEC_RANGE_BASE_HI(0), 4, 0x11), RESET(CXLEMU_RESET_CONVENTIONAL),
	    R(CXL_DVSEC_RANGE_BASE_HI(0), 4, 0) } },
	{ "Range 2 base RO with HDM_Count 1", T2, 0,
	  { W(CXL_DVSEC_RANGE_BASE_LO(1), 4, ~0U), W(CXL_DVSEC_RANGE_BASE_HI(1), 4, ~0U),
	    R(CXL_DVSEC_RANGE_BASE_LO(1), 4, 0), R(CXL_DVSEC_RANGE_BASE_HI(1), 4, 0) } },
	{ "Range 2 base RWL with HDM_Count 2",
	  { .cap = (CAP_T2 & ~CXL_DVSEC_CAP_HDM_COUNT) | FP(CXL_DVSEC_CAP_HDM_COUNT, 2) }, 0,
	  { W(CXL_DVSEC_RANGE_BASE_HI(1), 4, 7), R(CXL_DVSEC_RANGE_BASE_HI(1), 4, 7), LOCKIT,
	    W(CXL_DVSEC_RANGE_BASE_HI(1), 4, 0), R(CXL_DVSEC_RANGE_BASE_HI(1), 4, 7) } },

	/* ---- widths and offsets ---- */
	{ "word access at an odd offset spans two registers", T2, 0,
	  { W(CTL + 1, 2, 0xffff), R(CTL, 2, CXL_DVSEC_CTRL_IO_EN | 0x4f00), R(ST, 2, 0) } },
	{ "dword access across Control2 and Status2", T2, 0,
	  { W(CTL2, 4, CXL_DVSEC_CTRL2_DISABLE_CACHING), R(CTL2, 4, CXL_DVSEC_CTRL2_DISABLE_CACHING |
	    (u32)CXL_DVSEC_STATUS2_PM_INIT_COMPLETE << 16) } },
	{ "byte reads of a dword register", T2X(.size_lo0 = 0x1000004b), 0,
	  { R(CXL_DVSEC_RANGE_SIZE_LO(0), 1, 0x4b), R(CXL_DVSEC_RANGE_SIZE_LO(0) + 3, 1, 0x10),
	    R(CXL_DVSEC_RANGE_SIZE_LO(0) + 1, 2, 0) } },
	{ "widths 0, 3, 8 refused", T2, 0,
	  { WE(CTL, 0, -EINVAL), WE(CTL, 3, -EINVAL), WE(CTL, 8, -EINVAL), RE(CTL, 3, -EINVAL),
	    RE(CTL, 8, -EINVAL) } },
	{ "access past the DVSEC refused, nothing applied", T2, 0,
	  { RE(CXL_DVSEC_DEV_LEN_R2, 1, -ERANGE), WE(CXL_DVSEC_DEV_LEN_R2 - 2, 4, -ERANGE),
	    RE(CXL_DVSEC_DEV_LEN_R2 - 1, 2, -ERANGE), RE(0xffffffff, 4, -ERANGE),
	    R(CXL_DVSEC_RSVD_3A, 2, 0), CALLS(0, 0, 0, 0) } },
	{ "revision 1 length 0x38: Capability3 out of range", T2X(.len = CXL_DVSEC_DEV_LEN_R1), 0,
	  { RE(CXL_DVSEC_CAP3, 2, -ERANGE), R(CXL_DVSEC_RANGE_BASE_LO(1), 4, 0),
	    W(CTL2, 2, CXL_DVSEC_CTRL2_HOT_RESET_HDM_STATE), R(CTL2, 2, 0) } },
};

struct calls {
	int wbi, reset, mem_on, mem_off;
	u32 flags;
};

static int op_wbi(void *priv)
{
	struct calls *c = priv;

	c->wbi++;
	return c->flags & O_WBI_FAIL ? -EIO : 0;
}

static int op_reset(void *priv)
{
	struct calls *c = priv;

	c->reset++;
	return c->flags & O_RESET_FAIL ? -ETIMEDOUT : 0;
}

static void op_mem(void *priv, bool on)
{
	struct calls *c = priv;

	if (on)
		c->mem_on++;
	else
		c->mem_off++;
}

static const struct cxlemu_dvsec_ops dops = {
	.cxl_reset = op_reset, .cache_wbi = op_wbi, .mem_enable = op_mem,
};

static void run_case(const struct dcase *t)
{
	struct cxlemu_dvsec d;
	struct calls c = { .flags = t->flags };
	u8 hw[CXLEMU_DVSEC_MAX_LEN];
	u32 len = t->hw.len ? t->hw.len : CXL_DVSEC_DEV_LEN_R2;
	int ok = 1, ret;
	unsigned int i;

	build_hw(hw, &t->hw);
	ret = cxlemu_dvsec_init(&d, hw, len, t->flags & O_NOOPS ? NULL : &dops, &c);
	EXPECT_EQ(ok, ret, 0);
	for (i = 0; !ret && i < ARRAY_SIZE(t->ops) && t->ops[i].kind != D_END; i++) {
		const struct dop *o = &t->ops[i];
		u32 v = 0xdeadbeef;

		switch (o->kind) {
		case D_W:
			tap_note("#   step %u: write %#x/%u = %#x\n", i, o->off, o->width, o->val);
			EXPECT_EQ(ok, cxlemu_dvsec_write(&d, o->off, o->width, o->val), o->ret);
			break;
		case D_R:
			tap_note("#   step %u: read %#x/%u\n", i, o->off, o->width);
			EXPECT_EQ(ok, cxlemu_dvsec_read(&d, o->off, o->width, &v), o->ret);
			if (!o->ret)
				EXPECT_EQ(ok, v, o->want);
			break;
		case D_RESET:
			cxlemu_dvsec_reset(&d, (enum cxlemu_reset_kind)o->off);
			break;
		case D_CALLS:
			EXPECT_EQ(ok, c.wbi | c.reset << 4 | c.mem_on << 8 | c.mem_off << 12, o->want);
			break;
		case D_MEM:
			EXPECT_EQ(ok, cxlemu_dvsec_mem_enabled(&d), o->want);
			break;
		}
	}
	tap_result(ok, "dvsec: %s", t->name);
	tap_flush(ok);
}

#include "../../core/dvsec_emu.c"	/* the permission table, for coverage */

static void table_cases(void)
{
	unsigned int i, j;
	int ok = 1;
	u64 covered = 0;

	/* Each register's classes are disjoint and inside the register. */
	for (i = 0; i < ARRAY_SIZE(dvsec_perms); i++) {
		const struct dvsec_perm *p = &dvsec_perms[i];
		u32 all = p->size == 4 ? GENMASK(31, 0) : GENMASK(15, 0);
		u32 cls[] = { p->rsvd, p->rw, p->rwl, p->rw1c | p->rw1cs, p->rwo };

		tap_note("#   entry %u (%s)\n", i, p->why);
		EXPECT_EQ(ok, p->why != NULL, 1);
		EXPECT_EQ(ok, p->size == 2 || p->size == 4, 1);
		for (j = 0; j < ARRAY_SIZE(cls); j++) {
			unsigned int k;

			EXPECT_EQ(ok, cls[j] & ~all, 0);
			for (k = j + 1; k < ARRAY_SIZE(cls); k++)
				EXPECT_EQ(ok, cls[j] & cls[k], 0);
		}
		EXPECT_EQ(ok, p->rw1c & p->rw1cs, 0);
		EXPECT_EQ(ok, p->doorbell & ~p->virt, 0);	/* doorbells read 0 */
		EXPECT_EQ(ok, p->doorbell & (p->rw | p->rwl), 0);
		for (j = 0; j < p->size; j++) {
			EXPECT_EQ(ok, covered & BIT_ULL(p->off + j), 0);	/* no overlap */
			covered |= BIT_ULL(p->off + j);
		}
	}
	tap_result(ok, "dvsec: permission table entries are consistent");
	tap_flush(ok);
	TAP_CHECK("dvsec: permission table covers every byte of the DVSEC",
		  covered == GENMASK_ULL(CXLEMU_DVSEC_MAX_LEN - 1, 0));
	TAP_CHECK("dvsec: DVSEC_MAX_LEN is the r3.1 length", CXLEMU_DVSEC_MAX_LEN == CXL_DVSEC_DEV_LEN_R2);
}

static void init_cases(void)
{
	struct cxlemu_dvsec d;
	struct hwimg m = T2;
	u8 hw[CXLEMU_DVSEC_MAX_LEN];

	build_hw(hw, &m);
	TAP_CHECK("dvsec: init accepts a CXL Device DVSEC", cxlemu_dvsec_init(&d, hw, 0x3c, NULL, NULL) == 0);
	TAP_CHECK("dvsec: cache_capable reports Cache_Capable", cxlemu_dvsec_cache_capable(&d));
	TAP_CHECK("dvsec: init refuses a length the header does not give",
		  cxlemu_dvsec_init(&d, hw, 0x38, NULL, NULL) == -EINVAL);
	TAP_CHECK("dvsec: init refuses length > 0x3c", cxlemu_dvsec_init(&d, hw, 0x40, NULL, NULL) == -EINVAL);
	TAP_CHECK("dvsec: init refuses length < 0x38", cxlemu_dvsec_init(&d, hw, 0x34, NULL, NULL) == -EINVAL);
	TAP_CHECK("dvsec: init refuses NULL", cxlemu_dvsec_init(&d, NULL, 0x3c, NULL, NULL) == -EINVAL);
	hw[0] = 0x10;
	TAP_CHECK("dvsec: init refuses a non-DVSEC capability id",
		  cxlemu_dvsec_init(&d, hw, 0x3c, NULL, NULL) == -EINVAL);
	build_hw(hw, &m);
	hw[CXL_DVSEC_HDR1] = 0x86;
	TAP_CHECK("dvsec: init refuses another vendor", cxlemu_dvsec_init(&d, hw, 0x3c, NULL, NULL) == -EINVAL);
	build_hw(hw, &m);
	hw[CXL_DVSEC_HDR2] = CXL_DVSEC_ID_REG_LOCATOR;
	TAP_CHECK("dvsec: init refuses another DVSEC id", cxlemu_dvsec_init(&d, hw, 0x3c, NULL, NULL) == -EINVAL);
}

int main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
	table_cases();
	init_cases();
	return tap_done();
}
