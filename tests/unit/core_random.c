// SPDX-License-Identifier: MIT
/*
 * Randomized test: long sequences of HDM and DVSEC register accesses against a small
 * reference model written separately from core/hdm_emu.c (a plain array of
 * dwords and the rules restated in the simplest form), comparing every
 * register after every access. The configurations are endpoints with the
 * default policy (1 way, no BI), with and without a DPA limit, with and
 * without poison capability, with a commit callback that vetoes one base.
 * The DVSEC runs use random device images (capabilities, length) with and
 * without doorbell handlers, some of which fail.
 *
 * Usage: core_random [seed]
 */
#include "cxlemu.h"
#include "core_tap.h"
#include "core_hdm_model.h"

#define G		CXL_HDM_DEC_ALIGN
#define VETO_BASE	HDM_MODEL_VETO_BASE

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

/* ---- DVSEC: the reference model --------------------------------------- */

/*
 * The model starts from the emulation's presented image (its reads right
 * after init, which the table-driven tests pin down) and restates the write
 * rules of CXL r3.1 8.1.3 register by register, bit by bit.
 */
struct dmodel {
	u8 r[CXLEMU_DVSEC_MAX_LEN];
	u8 init[CXLEMU_DVSEC_MAX_LEN];
	u32 len;
	bool ops, cache, mem, viral, wbi, rst, memclr, hot, modc, range2;
	int n_wbi, n_rst, n_on, n_off;
};

struct dcalls {
	int wbi, rst, on, off;
};

static int d_wbi(void *priv)
{
	struct dcalls *c = priv;

	return ++c->wbi % 2 ? 0 : -EIO;		/* every second one fails */
}

static int d_rst(void *priv)
{
	struct dcalls *c = priv;

	return ++c->rst % 3 == 2 ? -ETIMEDOUT : 0;
}

static void d_mem(void *priv, bool on)
{
	struct dcalls *c = priv;

	if (on)
		c->on++;
	else
		c->off++;
}

static const struct cxlemu_dvsec_ops dops = { .cxl_reset = d_rst, .cache_wbi = d_wbi, .mem_enable = d_mem };

static u32 mget(const u8 *r, u32 off, unsigned int w)
{
	return w == 4 ? get_unaligned_le32(r + off) : get_unaligned_le16(r + off);
}

static void mput(u8 *r, u32 off, unsigned int w, u32 v)
{
	if (w == 4)
		put_unaligned_le32(v, r + off);
	else
		put_unaligned_le16((u16)v, r + off);
}

static void dm_reset(struct dmodel *m, bool cxl)
{
	u16 st = get_unaligned_le16(m->r + CXL_DVSEC_STATUS);
	u16 st2 = get_unaligned_le16(m->r + CXL_DVSEC_STATUS2);
	u16 lock = get_unaligned_le16(m->r + CXL_DVSEC_LOCK);
	u16 keep2 = CXL_DVSEC_STATUS2_HDM_PRESERVE_ERR;

	memcpy(m->r, m->init, sizeof(m->r));
	/* sticky bits keep their value */
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
	u32 old = mget(m->r, off, w);
	u32 v = (old & ~(wr & cov)) | (val & wr & cov);

	v &= ~(val & w1c & cov);
	mput(m->r, off, w, v);
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
	bool do_wbi = false, do_rst = false;
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
				wr = CXL_DVSEC_CTRL_P2P_MEM_EN;
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
			wr = (v & CXL_DVSEC_LOCK_CONFIG_LOCK) ? CXL_DVSEC_LOCK_CONFIG_LOCK : 0;
			break;
		default:	/* range bases */
			if (locked || (ro >= CXL_DVSEC_RANGE_BASE_HI(1) && !m->range2))
				break;
			wr = (ro == CXL_DVSEC_RANGE_BASE_HI(0) || ro == CXL_DVSEC_RANGE_BASE_HI(1)) ?
			     0xffffffffU : 0xf0000000U;
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
	if (do_wbi) {
		u16 s2 = get_unaligned_le16(m->r + CXL_DVSEC_STATUS2) & ~CXL_DVSEC_STATUS2_CACHE_INVALID;

		if (++m->n_wbi % 2)
			s2 |= CXL_DVSEC_STATUS2_CACHE_INVALID;
		put_unaligned_le16(s2, m->r + CXL_DVSEC_STATUS2);
	}
	if (do_rst) {
		u16 s2 = get_unaligned_le16(m->r + CXL_DVSEC_STATUS2) &
			 ~(CXL_DVSEC_STATUS2_RESET_COMPLETE | CXL_DVSEC_STATUS2_RESET_ERROR);
		bool fail = ++m->n_rst % 3 == 2;

		put_unaligned_le16(s2, m->r + CXL_DVSEC_STATUS2);
		if (!fail)
			dm_reset(m, true);
		s2 = get_unaligned_le16(m->r + CXL_DVSEC_STATUS2);
		s2 |= fail ? CXL_DVSEC_STATUS2_RESET_ERROR : CXL_DVSEC_STATUS2_RESET_COMPLETE;
		put_unaligned_le16(s2, m->r + CXL_DVSEC_STATUS2);
	}
	return 0;
}

static bool run_dvsec_sequence(unsigned int nops)
{
	u8 hw[CXLEMU_DVSEC_MAX_LEN];
	struct cxlemu_dvsec d;
	struct dmodel m = { 0 };
	struct dcalls c = { 0 };
	bool with_ops = rnd_below(4);
	unsigned int k, step;
	u16 cap, cap2, cap3;

	for (k = 0; k < sizeof(hw); k++)
		hw[k] = (u8)rnd();
	m.len = rnd_below(3) ? CXL_DVSEC_DEV_LEN_R2 : CXL_DVSEC_DEV_LEN_R1;
	put_unaligned_le32(FIELD_PREP(CXL_PCI_EXT_CAP_HDR_ID, CXL_PCI_EXT_CAP_ID_DVSEC), hw);
	put_unaligned_le32(FIELD_PREP(CXL_DVSEC_HDR1_VENDOR, CXL_DVSEC_VENDOR_ID) |
			   FIELD_PREP(CXL_DVSEC_HDR1_LEN, m.len), hw + CXL_DVSEC_HDR1);
	put_unaligned_le16(CXL_DVSEC_ID_DEVICE, hw + CXL_DVSEC_HDR2);
	put_unaligned_le16(0, hw + CXL_DVSEC_LOCK);	/* start unlocked more often than not */
	if (cxlemu_dvsec_init(&d, hw, m.len, with_ops ? &dops : NULL, &c)) {
		printf("#   init failed\n");
		return false;
	}
	for (k = 0; k < m.len; k++)
		m.r[k] = m.init[k] = d.regs[k];
	cap = get_unaligned_le16(m.r + CXL_DVSEC_CAP);
	cap2 = get_unaligned_le16(m.r + CXL_DVSEC_CAP2);
	cap3 = m.len > CXL_DVSEC_CAP3 ? get_unaligned_le16(m.r + CXL_DVSEC_CAP3) : 0;
	m.ops = with_ops;
	m.cache = cap & CXL_DVSEC_CAP_CACHE;
	m.mem = cap & CXL_DVSEC_CAP_MEM;
	m.viral = cap & CXL_DVSEC_CAP_VIRAL;
	m.wbi = cap & CXL_DVSEC_CAP_CACHE_WBI;		/* presented: hidden without ops */
	m.rst = cap & CXL_DVSEC_CAP_CXL_RESET;
	m.memclr = cap & CXL_DVSEC_CAP_CXL_RESET_MEM_CLR;
	m.hot = cap3 & CXL_DVSEC_CAP3_HOT_RESET_CONFIGURABLE;
	m.modc = cap2 & CXL_DVSEC_CAP2_MOD_COMPLETION;
	m.range2 = FIELD_GET(CXL_DVSEC_CAP_HDM_COUNT, cap) >= 2;
	if (!with_ops && (m.wbi || m.rst || m.memclr)) {
		printf("#   doorbell capability visible without ops\n");
		return false;
	}

	for (step = 0; step < nops; step++) {
		static const unsigned int widths[] = { 1, 2, 4, 4, 2, 2, 3, 8 };
		unsigned int width = widths[rnd_below(ARRAY_SIZE(widths))];
		u32 off = rnd_below(m.len + 4), val = (u32)rnd();
		int r1, r2;

		if (!rnd_below(3))		/* aim at a writable register */
			off = CXL_DVSEC_CTRL + 2 * rnd_below(6);
		if (!rnd_below(200)) {
			enum cxlemu_reset_kind kind = (enum cxlemu_reset_kind)rnd_below(3);

			cxlemu_dvsec_reset(&d, kind);
			if (kind != CXLEMU_RESET_FLR)
				dm_reset(&m, kind == CXLEMU_RESET_CXL);
			continue;
		}
		r1 = cxlemu_dvsec_write(&d, off, width, val);
		r2 = dm_write(&m, off, width, val);
		if (r1 != r2) {
			printf("#   step %u: write %#x/%u = %#x returned %d, model %d\n", step, off, width,
			       val, r1, r2);
			return false;
		}
		for (k = 0; k < m.len; k++) {
			u32 v;

			if (cxlemu_dvsec_read(&d, k, 1, &v) || v != m.r[k]) {
				printf("#   step %u (write %#x/%u = %#x): byte %#x reads %#x, model %#x\n",
				       step, off, width, val, k, v, m.r[k]);
				return false;
			}
		}
		if (c.wbi != m.n_wbi || c.rst != m.n_rst || c.on != m.n_on || c.off != m.n_off) {
			printf("#   step %u: calls wbi %d/%d reset %d/%d mem on %d/%d off %d/%d (emu/model)\n",
			       step, c.wbi, m.n_wbi, c.rst, m.n_rst, c.on, m.n_on, c.off, m.n_off);
			return false;
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
	for (rep = 0; rep < 20; rep++) {
		rng_state = seed ^ (0xd1b54a32d192ed03ULL * (rep + 1));
		tap_result(run_dvsec_sequence(5000), "random: DVSEC image %u: 5000 accesses match the "
			   "reference model", rep);
	}
	return tap_done();
}
