/* SPDX-License-Identifier: MIT */
/*
 * A reference model of the emulated CXL Device DVSEC (CXL r3.1 8.1.3),
 * written separately from core/dvsec_emu.c: no permission table, the
 * rules restated register by register in the simplest form, a plain byte
 * array as state. Used by tests/unit/core_random.c and, in lockstep, by
 * tests/fuzz/core_dvsec.c.
 *
 * It computes the presented image itself from the device's bytes
 * (dm_init(): reserved bits 0, Range Base registers 0, CONFIG_LOCK open,
 * Status2 doorbell results and Control2 doorbells 0, doorbell
 * capabilities hidden without handlers), so the emulation's init is
 * checked, not copied. Doorbell outcomes come from the test's own
 * wbi_fails()/rst_fails(), the n-th call counting from 1, which must agree
 * with the handlers the test gives the emulation.
 */
#ifndef CORE_DVSEC_MODEL_H
#define CORE_DVSEC_MODEL_H

#include "cxlemu.h"

struct dmodel {
	u8 r[CXLEMU_DVSEC_MAX_LEN];	/* bytes as the guest reads them */
	u8 init[CXLEMU_DVSEC_MAX_LEN];	/* the presented image: reset values */
	u32 len;
	bool ops, cache, mem, viral, wbi, rst, memclr, hot, modc, range2, p2p;
	int n_wbi, n_rst, n_on, n_off;
	bool (*wbi_fails)(int n);
	bool (*rst_fails)(int n);
};

static u32 dm_get(const u8 *r, u32 off, unsigned int w)
{
	return w == 4 ? get_unaligned_le32(r + off) : get_unaligned_le16(r + off);
}

static void dm_put(u8 *r, u32 off, unsigned int w, u32 v)
{
	if (w == 4)
		put_unaligned_le32(v, r + off);
	else
		put_unaligned_le16((u16)v, r + off);
}

/* Clear @bits of the @w-byte register at @off of the image. */
static void dm_clear(u8 *r, u32 off, unsigned int w, u32 bits)
{
	dm_put(r, off, w, dm_get(r, off, w) & ~bits);
}

/*
 * The image a guest sees after init, from the device's @hw bytes; @ops:
 * the emulation was given all three handlers (else none).
 */
static void dm_init(struct dmodel *m, const u8 *hw, u32 len, bool ops)
{
	u16 cap, cap2, cap3;
	unsigned int n;

	memset(m->r, 0, sizeof(m->r));
	memcpy(m->r, hw, len);
	m->len = len;
	m->ops = ops;
	m->n_wbi = m->n_rst = m->n_on = m->n_off = 0;
	/* 8.1.3.1: a doorbell nobody answers is presented as not capable */
	if (!ops)
		dm_clear(m->r, CXL_DVSEC_CAP, 2, CXL_DVSEC_CAP_CACHE_WBI | CXL_DVSEC_CAP_CXL_RESET |
			 CXL_DVSEC_CAP_CXL_RESET_MEM_CLR);
	/* 8.1.3.2 Control: bits 13 and 15 RsvdP */
	dm_clear(m->r, CXL_DVSEC_CTRL, 2, CXL_DVSEC_CTRL_RSVD13 | CXL_DVSEC_CTRL_RSVD15);
	/* 8.1.3.3 Status: everything but Viral_Status is RsvdZ */
	dm_put(m->r, CXL_DVSEC_STATUS, 2, dm_get(m->r, CXL_DVSEC_STATUS, 2) & CXL_DVSEC_STATUS_VIRAL);
	/* 8.1.3.4 Control2: doorbells read 0, bits 15:6 RsvdP */
	dm_clear(m->r, CXL_DVSEC_CTRL2, 2, CXL_DVSEC_CTRL2_RSVD | CXL_DVSEC_CTRL2_INIT_CACHE_WBI |
		 CXL_DVSEC_CTRL2_INIT_CXL_RESET);
	/* 8.1.3.5 Status2: the doorbells' results are ours (0 until rung), 14:4 RsvdZ */
	dm_clear(m->r, CXL_DVSEC_STATUS2, 2, CXL_DVSEC_STATUS2_RSVD | CXL_DVSEC_STATUS2_CACHE_INVALID |
		 CXL_DVSEC_STATUS2_RESET_COMPLETE | CXL_DVSEC_STATUS2_RESET_ERROR);
	/* 8.1.3.6 Lock: the guest's own latch starts open; 15:1 RsvdP */
	dm_put(m->r, CXL_DVSEC_LOCK, 2, 0);
	/* 8.1.3.8 ranges: size low 27:17 RsvdP; bases are the guest's (0) */
	for (n = 0; n < 2; n++) {
		dm_clear(m->r, CXL_DVSEC_RANGE_SIZE_LO(n), 4, CXL_DVSEC_RANGE_SIZE_LO_RSVD);
		dm_put(m->r, CXL_DVSEC_RANGE_BASE_HI(n), 4, 0);
		dm_put(m->r, CXL_DVSEC_RANGE_BASE_LO(n), 4, 0);
	}
	/* 8.1.3.9 Capability3 (revision 2+): 15:4 RsvdP; 0x3a reserved */
	if (len >= CXL_DVSEC_DEV_LEN_R2) {
		dm_clear(m->r, CXL_DVSEC_CAP3, 2, CXL_DVSEC_CAP3_RSVD);
		dm_put(m->r, CXL_DVSEC_RSVD_3A, 2, 0);
	}
	memcpy(m->init, m->r, sizeof(m->init));

	cap = get_unaligned_le16(m->r + CXL_DVSEC_CAP);
	cap2 = get_unaligned_le16(m->r + CXL_DVSEC_CAP2);
	cap3 = len >= CXL_DVSEC_DEV_LEN_R2 ? get_unaligned_le16(m->r + CXL_DVSEC_CAP3) : 0;
	m->cache = cap & CXL_DVSEC_CAP_CACHE;
	m->mem = cap & CXL_DVSEC_CAP_MEM;
	m->viral = cap & CXL_DVSEC_CAP_VIRAL;
	m->wbi = cap & CXL_DVSEC_CAP_CACHE_WBI;
	m->rst = cap & CXL_DVSEC_CAP_CXL_RESET;
	m->memclr = cap & CXL_DVSEC_CAP_CXL_RESET_MEM_CLR;
	m->hot = cap3 & CXL_DVSEC_CAP3_HOT_RESET_CONFIGURABLE;
	m->p2p = cap3 & CXL_DVSEC_CAP3_P2P_MEM;
	m->modc = cap2 & CXL_DVSEC_CAP2_MOD_COMPLETION;
	m->range2 = FIELD_GET(CXL_DVSEC_CAP_HDM_COUNT, cap) >= 2;
}

/*
 * Conventional reset (@cxl false): every field back to the presented
 * image but the sticky RW1CS bits. CXL reset: the same, and CONFIG_LOCK
 * and Status2's reset result bits survive (CXL r3.1 8.1.3.5, 9.7). FLR
 * changes nothing: the caller does not call this.
 */
static void dm_reset(struct dmodel *m, bool cxl)
{
	u16 st = get_unaligned_le16(m->r + CXL_DVSEC_STATUS);
	u16 st2 = get_unaligned_le16(m->r + CXL_DVSEC_STATUS2);
	u16 lock = get_unaligned_le16(m->r + CXL_DVSEC_LOCK);
	u16 keep2 = CXL_DVSEC_STATUS2_HDM_PRESERVE_ERR;

	memcpy(m->r, m->init, sizeof(m->r));
	put_unaligned_le16((get_unaligned_le16(m->init + CXL_DVSEC_STATUS) & ~CXL_DVSEC_STATUS_VIRAL) |
			   (st & CXL_DVSEC_STATUS_VIRAL), m->r + CXL_DVSEC_STATUS);
	if (cxl) {
		keep2 |= CXL_DVSEC_STATUS2_RESET_COMPLETE | CXL_DVSEC_STATUS2_RESET_ERROR;
		put_unaligned_le16(lock, m->r + CXL_DVSEC_LOCK);
	}
	put_unaligned_le16((get_unaligned_le16(m->init + CXL_DVSEC_STATUS2) & ~keep2) | (st2 & keep2),
			   m->r + CXL_DVSEC_STATUS2);
}

/* one register: writable bits @wr, write-1-to-clear @w1c, covered bits @cov */
static void dm_reg(struct dmodel *m, u32 off, unsigned int w, u32 val, u32 cov, u32 wr, u32 w1c)
{
	u32 old = dm_get(m->r, off, w);
	u32 v = (old & ~(wr & cov)) | (val & wr & cov);

	v &= ~(val & w1c & cov);
	dm_put(m->r, off, w, v);
}

static int dm_write(struct dmodel *m, u32 off, unsigned int width, u32 val)
{
	static const struct { u32 off; unsigned int w; } regs[] = {
		{ CXL_DVSEC_CTRL, 2 }, { CXL_DVSEC_STATUS, 2 }, { CXL_DVSEC_CTRL2, 2 },
		{ CXL_DVSEC_STATUS2, 2 }, { CXL_DVSEC_LOCK, 2 },
		{ CXL_DVSEC_RANGE_BASE_HI(0), 4 }, { CXL_DVSEC_RANGE_BASE_LO(0), 4 },
		{ CXL_DVSEC_RANGE_BASE_HI(1), 4 }, { CXL_DVSEC_RANGE_BASE_LO(1), 4 },
	};
	bool locked = get_unaligned_le16(m->r + CXL_DVSEC_LOCK) & CXL_DVSEC_LOCK_CONFIG_LOCK;
	bool mem0 = get_unaligned_le16(m->r + CXL_DVSEC_CTRL) & CXL_DVSEC_CTRL_MEM_EN, mem1;
	bool do_wbi = false, do_rst = false, caching;
	unsigned int i, b;

	if (width != 1 && width != 2 && width != 4)
		return -EINVAL;
	if (off >= m->len || off + width > m->len)
		return -ERANGE;
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		u32 ro = regs[i].off, w = regs[i].w, cov = 0, v = 0, wr = 0, w1c = 0;

		for (b = 0; b < w; b++) {
			if (ro + b >= off && ro + b < off + width) {
				cov |= 0xffU << (8 * b);
				v |= ((val >> (8 * (ro + b - off))) & 0xff) << (8 * b);
			}
		}
		if (!cov)
			continue;
		switch (ro) {
		case CXL_DVSEC_CTRL:
			if (!locked) {
				/* 8.1.3.2: Direct P2P Mem Enable only when Cap3 says capable */
				wr = m->p2p ? CXL_DVSEC_CTRL_P2P_MEM_EN : 0;
				if (m->cache)
					wr |= CXL_DVSEC_CTRL_CACHE_EN | CXL_DVSEC_CTRL_CACHE_SF_COVERAGE |
					      CXL_DVSEC_CTRL_CACHE_SF_GRAN | CXL_DVSEC_CTRL_CACHE_CLEAN_EVICT;
				if (m->mem)
					wr |= CXL_DVSEC_CTRL_MEM_EN;
				if (m->viral)
					wr |= CXL_DVSEC_CTRL_VIRAL_EN;
			}
			break;
		case CXL_DVSEC_STATUS:
			w1c = CXL_DVSEC_STATUS_VIRAL;
			break;
		case CXL_DVSEC_CTRL2:
			wr = (m->cache ? CXL_DVSEC_CTRL2_DISABLE_CACHING : 0) |
			     (m->memclr ? CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN : 0) |
			     (m->hot ? CXL_DVSEC_CTRL2_HOT_RESET_HDM_STATE : 0) |
			     (m->modc ? CXL_DVSEC_CTRL2_MOD_COMPLETION_EN : 0);
			do_wbi = m->wbi && (v & cov & CXL_DVSEC_CTRL2_INIT_CACHE_WBI);
			do_rst = m->rst && (v & cov & CXL_DVSEC_CTRL2_INIT_CXL_RESET);
			break;
		case CXL_DVSEC_STATUS2:
			w1c = CXL_DVSEC_STATUS2_HDM_PRESERVE_ERR;
			break;
		case CXL_DVSEC_LOCK:
			/* RWO: writing 1 sets it; nothing clears it but a reset */
			wr = (v & CXL_DVSEC_LOCK_CONFIG_LOCK) ? CXL_DVSEC_LOCK_CONFIG_LOCK : 0;
			break;
		default:	/* range bases: RWL, range 2 only with HDM_Count 2 */
			if (locked || (ro >= CXL_DVSEC_RANGE_BASE_HI(1) && !m->range2))
				break;
			wr = (ro == CXL_DVSEC_RANGE_BASE_HI(0) || ro == CXL_DVSEC_RANGE_BASE_HI(1)) ?
			     0xffffffffU : CXL_DVSEC_RANGE_BASE_LO_BASE;
			break;
		}
		dm_reg(m, ro, w, v, cov, wr, w1c);
	}
	mem1 = get_unaligned_le16(m->r + CXL_DVSEC_CTRL) & CXL_DVSEC_CTRL_MEM_EN;
	if (m->ops && mem1 != mem0) {
		if (mem1)
			m->n_on++;
		else
			m->n_off++;
	}
	/* 8.1.3.5: Cache_Invalid is 0 whenever Disable Caching is 0 */
	caching = !(get_unaligned_le16(m->r + CXL_DVSEC_CTRL2) & CXL_DVSEC_CTRL2_DISABLE_CACHING);
	if (caching)
		dm_clear(m->r, CXL_DVSEC_STATUS2, 2, CXL_DVSEC_STATUS2_CACHE_INVALID);
	if (do_wbi) {
		u16 s2 = get_unaligned_le16(m->r + CXL_DVSEC_STATUS2) & ~CXL_DVSEC_STATUS2_CACHE_INVALID;

		if (!m->wbi_fails(++m->n_wbi) && !caching)
			s2 |= CXL_DVSEC_STATUS2_CACHE_INVALID;
		put_unaligned_le16(s2, m->r + CXL_DVSEC_STATUS2);
	}
	if (do_rst) {
		u16 s2 = get_unaligned_le16(m->r + CXL_DVSEC_STATUS2) &
			 ~(CXL_DVSEC_STATUS2_RESET_COMPLETE | CXL_DVSEC_STATUS2_RESET_ERROR);
		bool fail = m->rst_fails(++m->n_rst);

		put_unaligned_le16(s2, m->r + CXL_DVSEC_STATUS2);
		if (!fail)
			dm_reset(m, true);
		s2 = get_unaligned_le16(m->r + CXL_DVSEC_STATUS2);
		s2 |= fail ? CXL_DVSEC_STATUS2_RESET_ERROR : CXL_DVSEC_STATUS2_RESET_COMPLETE;
		put_unaligned_le16(s2, m->r + CXL_DVSEC_STATUS2);
	}
	return 0;
}

#endif
