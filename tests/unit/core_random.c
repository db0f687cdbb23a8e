// SPDX-License-Identifier: MIT
/*
 * Randomized test: long sequences of HDM register accesses against a small
 * reference model written separately from core/hdm_emu.c (a plain array of
 * dwords and the rules restated in the simplest form), comparing every
 * register after every access. The configurations are endpoints with the
 * default policy (1 way, no BI), with and without a DPA limit, with and
 * without poison capability, with a commit callback that vetoes one base.
 *
 * Usage: core_random [seed]
 */
#include "cxlemu.h"
#include "core_tap.h"

#define G		CXL_HDM_DEC_ALIGN
#define NDEC_MAX	8
#define NREG		(CXL_HDM_BLOCK_SIZE(NDEC_MAX) / 4)
#define VETO_BASE	(7 * G)

static u64 rng_state;

static u64 rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static u32 rnd_below(u32 n)
{
	return (u32)(rnd() % n);
}

/* ---- the reference model ------------------------------------------------ */

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
	u64 used = 0;
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
	return base != VETO_BASE;	/* the callback's veto */
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

/* ---- the emulation under test ------------------------------------------- */

static int veto(void *priv, unsigned int idx, u64 base, u64 size, bool lock)
{
	return base == VETO_BASE ? -EPERM : 0;
}

static const struct cxlemu_hdm_ops ops = { .commit = veto };

static u64 pick_value(unsigned int reg)
{
	static const u32 ctrl_bits[] = {
		CXL_HDM_DEC_CTRL_COMMIT, CXL_HDM_DEC_CTRL_COMMIT, CXL_HDM_DEC_CTRL_COMMIT,
		CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT, CXL_HDM_DEC_CTRL_TARGET_TYPE, CXL_HDM_DEC_CTRL_BI,
		CXL_HDM_DEC_CTRL_COMMITTED, CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED,
	};
	u32 v;

	switch (rnd_below(8)) {
	case 0:
		return rnd() & GENMASK(31, 0);		/* anything */
	case 1:
		return 0;
	default:
		break;
	}
	switch (reg) {
	case CXL_HDM_DEC_CTRL:
		v = 0;
		if (rnd_below(2))
			v |= ctrl_bits[rnd_below(ARRAY_SIZE(ctrl_bits))];
		if (rnd_below(2))
			v |= CXL_HDM_DEC_CTRL_COMMIT;
		if (!rnd_below(8))
			v |= FIELD_PREP(CXL_HDM_DEC_CTRL_IG, rnd_below(16));
		if (!rnd_below(8))
			v |= FIELD_PREP(CXL_HDM_DEC_CTRL_IW, rnd_below(16));
		return v;
	case CXL_HDM_DEC_BASE_HI:
	case CXL_HDM_DEC_SIZE_HI:
	case CXL_HDM_DEC_SKIP_HI:
		return rnd_below(10) ? 0 : rnd_below(3) ? 1 : 0x100000;
	default:	/* low halves: small multiples of 256 MiB */
		return (u32)(rnd_below(16) * G) | (rnd_below(4) ? 0 : (u32)rnd() & GENMASK(27, 0));
	}
}

static bool run_sequence(unsigned int ndec, u64 dpa, bool poison, unsigned int nops)
{
	struct model m = { .ndec = ndec, .dpa = dpa, .poison = poison };
	struct cxlemu_hdm h;
	u32 cap = FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, ndec / 2) | (poison ? CXL_HDM_CAP_POISON : 0);
	u32 bsize = CXL_HDM_BLOCK_SIZE(ndec);
	unsigned int step, k;

	if (cxlemu_hdm_init(&h, cap, dpa, true, &ops, NULL)) {
		printf("#   init failed\n");
		return false;
	}
	m_reset(&m);
	for (step = 0; step < nops; step++) {
		unsigned int i = rnd_below(ndec), width = 4;
		u32 reg = rnd_below(8) * 4, off = CXL_HDM_DEC_OFF(i) + reg;
		u64 val = pick_value(reg);
		int r1, r2;

		switch (rnd_below(40)) {
		case 0:		/* reset */
			cxlemu_hdm_reset(&h);
			m_reset(&m);
			goto compare;
		case 1:		/* global control */
			off = CXL_HDM_GCTRL;
			val = rnd() & GENMASK(31, 0);
			break;
		case 2:		/* any access at all */
			off = rnd_below(bsize + 16);
			width = 1U << rnd_below(5);
			val = rnd();
			break;
		case 3: case 4: case 5: case 6:	/* a 64-bit base or size */
			width = 8;
			off = CXL_HDM_DEC_OFF(i) + (rnd_below(2) ? CXL_HDM_DEC_BASE_LO : CXL_HDM_DEC_SIZE_LO);
			val = rnd_below(24) * G | (rnd_below(8) ? 0 : rnd() & GENMASK(27, 0));
			break;
		default:
			break;
		}
		r1 = cxlemu_hdm_write(&h, off, width, val);
		r2 = m_write(&m, off, width, val);
		if (r1 != r2) {
			printf("#   step %u: write %#x/%u = %#llx returned %d, model %d\n", step, off,
			       width, (unsigned long long)val, r1, r2);
			return false;
		}
compare:
		for (k = 0; k < bsize / 4; k++) {
			u64 v = 0;

			if (cxlemu_hdm_read(&h, k * 4, 4, &v) || v != m.r[k]) {
				printf("#   step %u (write %#x/%u = %#llx): dword %#x reads %#llx, model %#x\n",
				       step, off, width, (unsigned long long)val, k * 4,
				       (unsigned long long)v, m.r[k]);
				return false;
			}
		}
		/* The emulation's own invariant: committed means the checks pass. */
		for (k = 0; k < ndec; k++) {
			if (cxlemu_hdm_committed(&h, k) && cxlemu_hdm_check_commit(&h, k)) {
				printf("#   step %u: decoder %u committed but check says %d\n", step, k,
				       cxlemu_hdm_check_commit(&h, k));
				return false;
			}
		}
	}
	return true;
}

int main(int argc, char **argv)
{
	static const struct {
		unsigned int ndec;
		u64 dpa;
		bool poison;
	} cfg[] = {
		{ 2, 4 * G, false }, { 4, 8 * G, true }, { 4, 0, false }, { 8, 64 * G, false },
		{ 2, 1 * G, true },
	};
	u64 seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 0x5eed2026cafeULL;
	unsigned int i, rep;

	printf("# seed %#llx\n", (unsigned long long)seed);
	for (i = 0; i < ARRAY_SIZE(cfg); i++) {
		for (rep = 0; rep < 4; rep++) {
			bool pass;

			rng_state = seed ^ (0x9e3779b97f4a7c15ULL * (i * 4 + rep + 1));
			pass = run_sequence(cfg[i].ndec, cfg[i].dpa, cfg[i].poison, 20000);
			tap_result(pass, "random: %u decoders, DPA %llu MiB, poison %d, run %u: 20000 "
				   "accesses match the reference model", cfg[i].ndec,
				   (unsigned long long)(cfg[i].dpa >> 20), cfg[i].poison, rep);
		}
	}
	return tap_done();
}
