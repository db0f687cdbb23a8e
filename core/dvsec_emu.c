// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated PCIe DVSEC for CXL Devices (CXL r3.1 8.1.3) in configuration
 * space. Every byte the guest reads comes from d->regs; nothing is passed to
 * the hardware. Each register has one entry in dvsec_perms[], built from the
 * named fields of cxl_regs.h, that says which bits are which access type;
 * one generic merge function applies a write (model: Linux
 * drivers/vfio/pci/vfio_pci_config.c, struct perm_bits).
 *
 * Access types (CXL r3.1 8.2.2 conventions):
 *   RO, HwInit  value of the device at init (the presented image), fixed
 *   RsvdP/RsvdZ read 0, writes ignored
 *   RW          writable
 *   RWL         writable until CONFIG_LOCK is set, then read-only
 *   RW1C(S)     writing 1 clears; S: sticky, kept across every reset
 *   RWO         written once: set by writing 1, read-only until reset
 *   doorbell    writing 1 asks the embedding side to act; reads 0
 * Fields whose capability the device lacks are read-only (gated).
 *
 * Reset kinds:
 *   conventional  every non-sticky field back to its reset value, lock open
 *   CXL reset     same, but CONFIG_LOCK and Status2's reset bits survive
 *                 (the lock is a conventional-reset register; Status2 reports
 *                 the CXL reset itself, CXL r3.1 8.1.3.5, 9.7)
 *   FLR           no effect on the CXL DVSEC (CXL r3.1 9.5: FLR does not
 *                 affect CXL.cache/CXL.mem state or its configuration)
 */
#include "cxlemu.h"

struct dvsec_perm {
	u8 off;
	u8 size;	/* 2 or 4 bytes */
	u32 rsvd;	/* RsvdP / RsvdZ: read 0 */
	u32 virt;	/* reset value 0, not the device's (emulated state) */
	u32 rw;
	u32 rwl;
	u32 rw1c;
	u32 rw1cs;
	u32 rwo;
	u32 doorbell;
	const char *why;
};

/* Bits not named in an entry are RO/HwInit (from the presented image). */
static const struct dvsec_perm dvsec_perms[] = {
	{ .off = CXL_PCI_EXT_CAP_HDR, .size = 4,
	  .why = "extended capability header: RO" },
	{ .off = CXL_DVSEC_HDR1, .size = 4,
	  .why = "DVSEC header 1: RO" },
	{ .off = CXL_DVSEC_HDR2, .size = 2,
	  .why = "DVSEC header 2: RO" },
	{ .off = CXL_DVSEC_CAP, .size = 2,
	  .why = "Capability: RO/HwInit; doorbell caps hidden without a handler" },
	{ .off = CXL_DVSEC_CTRL, .size = 2,
	  .rsvd = CXL_DVSEC_CTRL_RSVD13 | CXL_DVSEC_CTRL_RSVD15,
	  .rwl = CXL_DVSEC_CTRL_CACHE_EN | CXL_DVSEC_CTRL_MEM_EN |
		 CXL_DVSEC_CTRL_CACHE_SF_COVERAGE | CXL_DVSEC_CTRL_CACHE_SF_GRAN |
		 CXL_DVSEC_CTRL_CACHE_CLEAN_EVICT | CXL_DVSEC_CTRL_P2P_MEM_EN |
		 CXL_DVSEC_CTRL_VIRAL_EN,
	  .why = "Control: enables are RWL (CONFIG_LOCK), IO_Enable RO" },
	{ .off = CXL_DVSEC_STATUS, .size = 2,
	  .rsvd = CXL_DVSEC_STATUS_RSVD_LO | CXL_DVSEC_STATUS_RSVD15,
	  .rw1cs = CXL_DVSEC_STATUS_VIRAL,
	  .why = "Status: Viral_Status RW1CS" },
	{ .off = CXL_DVSEC_CTRL2, .size = 2,
	  .rsvd = CXL_DVSEC_CTRL2_RSVD,
	  .virt = CXL_DVSEC_CTRL2_INIT_CACHE_WBI | CXL_DVSEC_CTRL2_INIT_CXL_RESET,
	  .rw = CXL_DVSEC_CTRL2_DISABLE_CACHING | CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN |
		CXL_DVSEC_CTRL2_HOT_RESET_HDM_STATE | CXL_DVSEC_CTRL2_MOD_COMPLETION_EN,
	  .doorbell = CXL_DVSEC_CTRL2_INIT_CACHE_WBI | CXL_DVSEC_CTRL2_INIT_CXL_RESET,
	  .why = "Control2: RW; WBI and CXL reset are doorbells forwarded to ops" },
	{ .off = CXL_DVSEC_STATUS2, .size = 2,
	  .rsvd = CXL_DVSEC_STATUS2_RSVD,
	  .virt = CXL_DVSEC_STATUS2_CACHE_INVALID | CXL_DVSEC_STATUS2_RESET_COMPLETE |
		  CXL_DVSEC_STATUS2_RESET_ERROR,
	  .rw1cs = CXL_DVSEC_STATUS2_HDM_PRESERVE_ERR,
	  .why = "Status2: doorbell results emulated RO, HDM preserve error RW1CS" },
	{ .off = CXL_DVSEC_LOCK, .size = 2,
	  .rsvd = CXL_DVSEC_LOCK_RSVD,
	  .virt = CXL_DVSEC_LOCK_CONFIG_LOCK,
	  .rwo = CXL_DVSEC_LOCK_CONFIG_LOCK,
	  .why = "Lock: CONFIG_LOCK RWO, the guest's own one-shot latch" },
	{ .off = CXL_DVSEC_CAP2, .size = 2,
	  .why = "Capability2: RO" },
	{ .off = CXL_DVSEC_RANGE_SIZE_HI(0), .size = 4,
	  .why = "Range 1 Size High: RO" },
	{ .off = CXL_DVSEC_RANGE_SIZE_LO(0), .size = 4,
	  .rsvd = CXL_DVSEC_RANGE_SIZE_LO_RSVD,
	  .why = "Range 1 Size Low: RO/HwInit" },
	{ .off = CXL_DVSEC_RANGE_BASE_HI(0), .size = 4,
	  .virt = GENMASK(31, 0), .rwl = GENMASK(31, 0),
	  .why = "Range 1 Base High: RWL, guest's own (host HPA hidden)" },
	{ .off = CXL_DVSEC_RANGE_BASE_LO(0), .size = 4,
	  .rsvd = CXL_DVSEC_RANGE_BASE_LO_RSVD,
	  .virt = CXL_DVSEC_RANGE_BASE_LO_BASE, .rwl = CXL_DVSEC_RANGE_BASE_LO_BASE,
	  .why = "Range 1 Base Low: RWL, guest's own (host HPA hidden)" },
	{ .off = CXL_DVSEC_RANGE_SIZE_HI(1), .size = 4,
	  .why = "Range 2 Size High: RO" },
	{ .off = CXL_DVSEC_RANGE_SIZE_LO(1), .size = 4,
	  .rsvd = CXL_DVSEC_RANGE_SIZE_LO_RSVD,
	  .why = "Range 2 Size Low: RO/HwInit" },
	{ .off = CXL_DVSEC_RANGE_BASE_HI(1), .size = 4,
	  .virt = GENMASK(31, 0), .rwl = GENMASK(31, 0),
	  .why = "Range 2 Base High: RWL if HDM_Count is 2" },
	{ .off = CXL_DVSEC_RANGE_BASE_LO(1), .size = 4,
	  .rsvd = CXL_DVSEC_RANGE_BASE_LO_RSVD,
	  .virt = CXL_DVSEC_RANGE_BASE_LO_BASE, .rwl = CXL_DVSEC_RANGE_BASE_LO_BASE,
	  .why = "Range 2 Base Low: RWL if HDM_Count is 2" },
	{ .off = CXL_DVSEC_CAP3, .size = 2,
	  .rsvd = CXL_DVSEC_CAP3_RSVD,
	  .why = "Capability3: RO (revision 2+)" },
	{ .off = CXL_DVSEC_RSVD_3A, .size = 2,
	  .rsvd = GENMASK(15, 0),
	  .why = "reserved" },
};

static u32 reg_get(const u8 *b, const struct dvsec_perm *p)
{
	return p->size == 4 ? get_unaligned_le32(b + p->off) : get_unaligned_le16(b + p->off);
}

static void reg_put(u8 *b, const struct dvsec_perm *p, u32 v)
{
	if (p->size == 4)
		put_unaligned_le32(v, b + p->off);
	else
		put_unaligned_le16((u16)v, b + p->off);
}

static u16 dvsec_reg16(const struct cxlemu_dvsec *d, u32 off)
{
	return get_unaligned_le16(d->regs + off);
}

static bool perm_present(const struct cxlemu_dvsec *d, const struct dvsec_perm *p)
{
	return p->off + p->size <= d->len;
}

/* Bits of register @p this device cannot change (capability absent). */
static u32 dvsec_gate(const struct cxlemu_dvsec *d, const struct dvsec_perm *p)
{
	u16 cap = dvsec_reg16(d, CXL_DVSEC_CAP);
	u32 g = 0;

	switch (p->off) {
	case CXL_DVSEC_CTRL:
		if (!FIELD_GET(CXL_DVSEC_CAP_CACHE, cap))
			g |= CXL_DVSEC_CTRL_CACHE_EN | CXL_DVSEC_CTRL_CACHE_SF_COVERAGE |
			     CXL_DVSEC_CTRL_CACHE_SF_GRAN | CXL_DVSEC_CTRL_CACHE_CLEAN_EVICT;
		if (!FIELD_GET(CXL_DVSEC_CAP_MEM, cap))
			g |= CXL_DVSEC_CTRL_MEM_EN;
		if (!FIELD_GET(CXL_DVSEC_CAP_VIRAL, cap))
			g |= CXL_DVSEC_CTRL_VIRAL_EN;
		/* Direct P2P Mem Enable needs Capability3's P2P Mem Capable */
		if (d->len < CXL_DVSEC_DEV_LEN_R2 ||
		    !FIELD_GET(CXL_DVSEC_CAP3_P2P_MEM, dvsec_reg16(d, CXL_DVSEC_CAP3)))
			g |= CXL_DVSEC_CTRL_P2P_MEM_EN;
		break;
	case CXL_DVSEC_CTRL2:
		if (!FIELD_GET(CXL_DVSEC_CAP_CACHE, cap))
			g |= CXL_DVSEC_CTRL2_DISABLE_CACHING;
		if (!FIELD_GET(CXL_DVSEC_CAP_CACHE_WBI, cap))
			g |= CXL_DVSEC_CTRL2_INIT_CACHE_WBI;
		if (!FIELD_GET(CXL_DVSEC_CAP_CXL_RESET, cap))
			g |= CXL_DVSEC_CTRL2_INIT_CXL_RESET;
		if (!FIELD_GET(CXL_DVSEC_CAP_CXL_RESET_MEM_CLR, cap))
			g |= CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN;
		if (d->len < CXL_DVSEC_DEV_LEN_R2 ||
		    !FIELD_GET(CXL_DVSEC_CAP3_HOT_RESET_CONFIGURABLE,
			       dvsec_reg16(d, CXL_DVSEC_CAP3)))
			g |= CXL_DVSEC_CTRL2_HOT_RESET_HDM_STATE;
		if (!FIELD_GET(CXL_DVSEC_CAP2_MOD_COMPLETION, dvsec_reg16(d, CXL_DVSEC_CAP2)))
			g |= CXL_DVSEC_CTRL2_MOD_COMPLETION_EN;
		break;
	case CXL_DVSEC_RANGE_BASE_HI(1):
	case CXL_DVSEC_RANGE_BASE_LO(1):
		if (FIELD_GET(CXL_DVSEC_CAP_HDM_COUNT, cap) < 2)
			g = GENMASK(31, 0);
		break;
	default:
		break;
	}
	return g;
}

/*
 * The generic merge: the new value of register @p given its current value,
 * the written value and @bytes, the mask of bits the access covers.
 */
static u32 perm_merge(const struct dvsec_perm *p, u32 cur, u32 val, u32 bytes,
		      u32 gate, bool locked)
{
	u32 wr = (p->rw | (locked ? 0 : p->rwl)) & ~gate & bytes;
	u32 once = p->rwo & ~gate & bytes & ~cur;
	u32 clr = (p->rw1c | p->rw1cs) & ~gate & bytes & val;
	u32 v = (cur & ~wr) | (val & wr);

	v |= val & once;
	return v & ~clr & ~p->rsvd;
}

int cxlemu_dvsec_init(struct cxlemu_dvsec *d, const u8 *hw, u32 len,
		      const struct cxlemu_dvsec_ops *ops, void *priv)
{
	u32 hdr, hdr1;
	unsigned int i;
	u16 cap;

	if (!d || !hw || len < CXL_DVSEC_DEV_LEN_R1 || len > CXLEMU_DVSEC_MAX_LEN)
		return -EINVAL;
	hdr = get_unaligned_le32(hw + CXL_PCI_EXT_CAP_HDR);
	hdr1 = get_unaligned_le32(hw + CXL_DVSEC_HDR1);
	if (FIELD_GET(CXL_PCI_EXT_CAP_HDR_ID, hdr) != CXL_PCI_EXT_CAP_ID_DVSEC ||
	    FIELD_GET(CXL_DVSEC_HDR1_VENDOR, hdr1) != CXL_DVSEC_VENDOR_ID ||
	    FIELD_GET(CXL_DVSEC_HDR1_LEN, hdr1) != len ||
	    FIELD_GET(CXL_DVSEC_HDR2_ID, get_unaligned_le16(hw + CXL_DVSEC_HDR2)) !=
	    CXL_DVSEC_ID_DEVICE)
		return -EINVAL;

	memset(d, 0, sizeof(*d));
	d->len = len;
	d->ops = ops;
	d->priv = priv;
	memcpy(d->hw, hw, len);
	/* Doorbells without a handler are presented as not capable. */
	cap = get_unaligned_le16(d->hw + CXL_DVSEC_CAP);
	if (!ops || !ops->cache_wbi)
		cap &= ~(u16)CXL_DVSEC_CAP_CACHE_WBI;
	if (!ops || !ops->cxl_reset)
		cap &= ~(u16)(CXL_DVSEC_CAP_CXL_RESET | CXL_DVSEC_CAP_CXL_RESET_MEM_CLR);
	put_unaligned_le16(cap, d->hw + CXL_DVSEC_CAP);
	/* The presented image: reserved and emulated bits start at 0. */
	for (i = 0; i < ARRAY_SIZE(dvsec_perms); i++) {
		const struct dvsec_perm *p = &dvsec_perms[i];

		if (perm_present(d, p))
			reg_put(d->hw, p, reg_get(d->hw, p) & ~p->rsvd & ~p->virt);
	}
	memcpy(d->regs, d->hw, len);
	d->config_locked = false;
	return 0;
}

void cxlemu_dvsec_reset(struct cxlemu_dvsec *d, enum cxlemu_reset_kind kind)
{
	unsigned int i;

	if (kind == CXLEMU_RESET_FLR)
		return;		/* CXL r3.1 9.5: the DVSEC is unaffected */
	for (i = 0; i < ARRAY_SIZE(dvsec_perms); i++) {
		const struct dvsec_perm *p = &dvsec_perms[i];
		u32 keep = p->rw1cs;

		if (!perm_present(d, p))
			continue;
		if (kind == CXLEMU_RESET_CXL) {
			if (p->off == CXL_DVSEC_LOCK)
				keep |= CXL_DVSEC_LOCK_CONFIG_LOCK;
			if (p->off == CXL_DVSEC_STATUS2)
				keep |= CXL_DVSEC_STATUS2_RESET_COMPLETE |
					CXL_DVSEC_STATUS2_RESET_ERROR;
		}
		reg_put(d->regs, p, (reg_get(d->regs, p) & keep) | (reg_get(d->hw, p) & ~keep));
	}
	d->config_locked = FIELD_GET(CXL_DVSEC_LOCK_CONFIG_LOCK,
				     dvsec_reg16(d, CXL_DVSEC_LOCK));
}

static int dvsec_check(const struct cxlemu_dvsec *d, u32 off, unsigned int width)
{
	if (width != 1 && width != 2 && width != 4)
		return -EINVAL;
	if (off >= d->len || width > d->len - off)
		return -ERANGE;
	return 0;
}

int cxlemu_dvsec_read(struct cxlemu_dvsec *d, u32 off, unsigned int width, u32 *val)
{
	unsigned int i;
	int ret = dvsec_check(d, off, width);

	if (ret)
		return ret;
	*val = 0;
	for (i = 0; i < width; i++)
		*val |= (u32)d->regs[off + i] << (8 * i);
	return 0;
}

static void dvsec_cache_wbi(struct cxlemu_dvsec *d)
{
	u16 s2 = dvsec_reg16(d, CXL_DVSEC_STATUS2) & ~(u16)CXL_DVSEC_STATUS2_CACHE_INVALID;

	put_unaligned_le16(s2, d->regs + CXL_DVSEC_STATUS2);
	/* Cache_Invalid reads 0 while Disable Caching is 0 (CXL r3.1 8.1.3.5). */
	if (d->ops->cache_wbi(d->priv) == 0 &&
	    (dvsec_reg16(d, CXL_DVSEC_CTRL2) & CXL_DVSEC_CTRL2_DISABLE_CACHING)) {
		s2 |= CXL_DVSEC_STATUS2_CACHE_INVALID;
		put_unaligned_le16(s2, d->regs + CXL_DVSEC_STATUS2);
	}
}

static void dvsec_cxl_reset(struct cxlemu_dvsec *d)
{
	u16 s2 = dvsec_reg16(d, CXL_DVSEC_STATUS2);
	int err;

	s2 &= ~(u16)(CXL_DVSEC_STATUS2_RESET_COMPLETE | CXL_DVSEC_STATUS2_RESET_ERROR);
	put_unaligned_le16(s2, d->regs + CXL_DVSEC_STATUS2);
	err = d->ops->cxl_reset(d->priv);
	if (!err)
		cxlemu_dvsec_reset(d, CXLEMU_RESET_CXL);
	s2 = dvsec_reg16(d, CXL_DVSEC_STATUS2);
	s2 |= err ? CXL_DVSEC_STATUS2_RESET_ERROR : CXL_DVSEC_STATUS2_RESET_COMPLETE;
	put_unaligned_le16(s2, d->regs + CXL_DVSEC_STATUS2);
}

int cxlemu_dvsec_write(struct cxlemu_dvsec *d, u32 off, unsigned int width, u32 val)
{
	bool mem_before = cxlemu_dvsec_mem_enabled(d);
	u32 bells = 0;
	unsigned int i, b;
	int ret = dvsec_check(d, off, width);

	if (ret)
		return ret;
	for (i = 0; i < ARRAY_SIZE(dvsec_perms); i++) {
		const struct dvsec_perm *p = &dvsec_perms[i];
		u32 bytes = 0, v = 0, gate, cur;

		if (!perm_present(d, p) || p->off >= off + width || p->off + p->size <= off)
			continue;
		for (b = 0; b < p->size; b++) {
			u32 a = p->off + b;

			if (a < off || a >= off + width)
				continue;
			bytes |= (u32)GENMASK(7, 0) << (8 * b);
			v |= ((val >> (8 * (a - off))) & GENMASK(7, 0)) << (8 * b);
		}
		gate = dvsec_gate(d, p);
		cur = reg_get(d->regs, p);
		reg_put(d->regs, p, perm_merge(p, cur, v, bytes, gate, d->config_locked));
		if (p->off == CXL_DVSEC_CTRL2)
			bells = v & bytes & p->doorbell & ~gate;
	}
	/* Caching allowed again: the cache may hold lines (CXL r3.1 8.1.3.5). */
	if (!(dvsec_reg16(d, CXL_DVSEC_CTRL2) & CXL_DVSEC_CTRL2_DISABLE_CACHING))
		put_unaligned_le16(dvsec_reg16(d, CXL_DVSEC_STATUS2) &
				   ~(u16)CXL_DVSEC_STATUS2_CACHE_INVALID,
				   d->regs + CXL_DVSEC_STATUS2);
	/* CONFIG_LOCK latches after the write that sets it (RWO). */
	d->config_locked = FIELD_GET(CXL_DVSEC_LOCK_CONFIG_LOCK,
				     dvsec_reg16(d, CXL_DVSEC_LOCK));

	if (d->ops && d->ops->mem_enable && cxlemu_dvsec_mem_enabled(d) != mem_before)
		d->ops->mem_enable(d->priv, !mem_before);
	/* Write back and invalidate before a reset asked in the same write. */
	if (FIELD_GET(CXL_DVSEC_CTRL2_INIT_CACHE_WBI, bells))
		dvsec_cache_wbi(d);
	if (FIELD_GET(CXL_DVSEC_CTRL2_INIT_CXL_RESET, bells))
		dvsec_cxl_reset(d);
	return 0;
}

bool cxlemu_dvsec_mem_enabled(const struct cxlemu_dvsec *d)
{
	return FIELD_GET(CXL_DVSEC_CTRL_MEM_EN, dvsec_reg16(d, CXL_DVSEC_CTRL));
}

bool cxlemu_dvsec_cache_capable(const struct cxlemu_dvsec *d)
{
	return FIELD_GET(CXL_DVSEC_CAP_CACHE, dvsec_reg16(d, CXL_DVSEC_CAP));
}
