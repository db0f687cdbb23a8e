/* SPDX-License-Identifier: MIT */
/*
 * A small reference model of an endpoint HDM decoder block with the
 * default policy of core/hdm_emu.c (1 way, no BI, both target types, no
 * UIO), written separately from it: a plain array of dwords and the rules
 * restated in their simplest form. Commits whose base is HDM_MODEL_VETO_BASE
 * are vetoed (the embedding side's callback must do the same). Used by
 * tests/unit/core_random.c and tests/fuzz/core_hdm.c.
 */
#ifndef CORE_HDM_MODEL_H
#define CORE_HDM_MODEL_H

#include "cxlemu.h"

#define HDM_MODEL_G		CXL_HDM_DEC_ALIGN
#define NDEC_MAX		8
#define NREG			(CXL_HDM_BLOCK_SIZE(NDEC_MAX) / 4)
#define HDM_MODEL_VETO_BASE	(7 * HDM_MODEL_G)

struct model {
	u32 r[NREG];		/* dwords as the guest reads them */
	unsigned int ndec;
	u64 dpa;
	bool poison;
};

/* dword index of register @reg of decoder @i */
#define MI(i, reg)	((CXL_HDM_DEC_OFF(i) + (reg)) / 4)

static u64 m64(const struct model *m, unsigned int i, u32 reg)
{
	return (u64)m->r[MI(i, reg) + 1] << 32 | m->r[MI(i, reg)];
}

static bool m_committed(const struct model *m, unsigned int i)
{
	return m->r[MI(i, CXL_HDM_DEC_CTRL)] & CXL_HDM_DEC_CTRL_COMMITTED;
}

static bool m_locked(const struct model *m, unsigned int i)
{
	u32 c = m->r[MI(i, CXL_HDM_DEC_CTRL)];

	return (c & CXL_HDM_DEC_CTRL_COMMITTED) && (c & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
}

static void m_reset(struct model *m)
{
	memset(m->r, 0, sizeof(m->r));
	m->r[0] = FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, m->ndec / 2) |
		  (m->poison ? CXL_HDM_CAP_POISON : 0);
}

static bool m_commit_ok(const struct model *m, unsigned int i)
{
	u32 c = m->r[MI(i, CXL_HDM_DEC_CTRL)];
	u64 base = m64(m, i, CXL_HDM_DEC_BASE_LO), size = m64(m, i, CXL_HDM_DEC_SIZE_LO);
	unsigned __int128 used = 0;	/* skips are 64-bit: no wrap here */
	unsigned int j;

	if (FIELD_GET(CXL_HDM_DEC_CTRL_IW, c) != 0 || FIELD_GET(CXL_HDM_DEC_CTRL_IG, c) > 6)
		return false;
	if (c & CXL_HDM_DEC_CTRL_BI)
		return false;
	if (size == 0 || base >= (1ULL << 52) || base + size > (1ULL << 52))
		return false;
	if (i > 0 && !m_committed(m, i - 1))
		return false;
	if (i > 0 && base < m64(m, i - 1, CXL_HDM_DEC_BASE_LO) + m64(m, i - 1, CXL_HDM_DEC_SIZE_LO))
		return false;
	for (j = 0; j < m->ndec; j++) {
		u64 b2 = m64(m, j, CXL_HDM_DEC_BASE_LO), s2 = m64(m, j, CXL_HDM_DEC_SIZE_LO);

		if (j != i && m_committed(m, j) && base < b2 + s2 && b2 < base + size)
			return false;
	}
	for (j = 0; j <= i; j++)
		used += m64(m, j, CXL_HDM_DEC_SKIP_LO) + m64(m, j, CXL_HDM_DEC_SIZE_LO);
	if (m->dpa && used > m->dpa)
		return false;
	return base != HDM_MODEL_VETO_BASE;	/* the callback's veto */
}

static void m_write32(struct model *m, u32 off, u32 val)
{
	u32 ctrl_w = CXL_HDM_DEC_CTRL_IG | CXL_HDM_DEC_CTRL_IW | CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT |
		     CXL_HDM_DEC_CTRL_COMMIT | CXL_HDM_DEC_CTRL_TARGET_TYPE | CXL_HDM_DEC_CTRL_BI;
	unsigned int i;
	u32 reg, *c;

	if (off == CXL_HDM_GCTRL) {
		m->r[1] = val & (CXL_HDM_GCTRL_ENABLE | (m->poison ? CXL_HDM_GCTRL_POISON_EN : 0));
		return;
	}
	if (off < CXL_HDM_DEC_FIRST)
		return;
	i = (off - CXL_HDM_DEC_FIRST) / CXL_HDM_DEC_STRIDE;
	reg = (off - CXL_HDM_DEC_FIRST) % CXL_HDM_DEC_STRIDE;
	c = &m->r[MI(i, CXL_HDM_DEC_CTRL)];
	if (m_locked(m, i) || reg == CXL_HDM_DEC_RSVD_1C)
		return;
	if (reg != CXL_HDM_DEC_CTRL) {
		if (*c & CXL_HDM_DEC_CTRL_COMMIT)
			return;
		if (reg == CXL_HDM_DEC_BASE_LO || reg == CXL_HDM_DEC_SIZE_LO || reg == CXL_HDM_DEC_SKIP_LO)
			val &= GENMASK(31, 28);
		m->r[off / 4] = val;
		return;
	}
	if (*c & CXL_HDM_DEC_CTRL_COMMIT) {
		if (val & CXL_HDM_DEC_CTRL_COMMIT)
			return;
		if (i + 1 < m->ndec && m_committed(m, i + 1))
			return;
		*c = val & ctrl_w;
		return;
	}
	*c = val & ctrl_w;
	if (*c & CXL_HDM_DEC_CTRL_COMMIT)
		*c |= m_commit_ok(m, i) ? CXL_HDM_DEC_CTRL_COMMITTED : CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED;
}

static int m_write(struct model *m, u32 off, unsigned int width, u64 val)
{
	u32 size = CXL_HDM_BLOCK_SIZE(m->ndec), reg;

	if (width != 4 && width != 8)
		return -EINVAL;
	if (off % width)
		return -EINVAL;
	if (off >= size || off + width > size)
		return -ERANGE;
	reg = (off - CXL_HDM_DEC_FIRST) % CXL_HDM_DEC_STRIDE;
	if (width == 8 && (off < CXL_HDM_DEC_FIRST ||
			   (reg != CXL_HDM_DEC_BASE_LO && reg != CXL_HDM_DEC_SIZE_LO)))
		return -EINVAL;
	if (width == 4 && val > GENMASK(31, 0))
		return -EINVAL;
	m_write32(m, off, (u32)val);
	if (width == 8)
		m_write32(m, off + 4, (u32)(val >> 32));
	return 0;
}

#endif
