// SPDX-License-Identifier: MIT
/*
 * Randomized test: long sequences of HDM and DVSEC register accesses against a small
 * reference model written separately from core/hdm_emu.c (a plain array of
 * dwords and the rules restated in the simplest form), comparing every
 * register after every access. The configurations are endpoints with the
 * default policy (1 way, no BI), with and without a DPA limit, with and
 * without poison capability, with a commit callback that vetoes one base.
 * The DVSEC runs use random device images (every byte random but the
 * header: capabilities, reserved bits, a lock the firmware set, length)
 * with and without doorbell handlers, some of which fail, against the model
 * of core_dvsec_model.h, which computes the presented image from the
 * device's bytes itself: init, resets and the CONFIG_LOCK are checked too.
 *
 * Usage: core_random [seed]
 */
#include "cxlemu.h"
#include "core_tap.h"
#include "core_hdm_model.h"
#include "core_dvsec_model.h"

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

/* ---- DVSEC: against the reference model of core_dvsec_model.h -------- */

struct dcalls {
	int wbi, rst, on, off;
};

/* every second write-back fails; every third reset from the second on */
static bool wbi_fails(int n)
{
	return n % 2 == 0;
}

static bool rst_fails(int n)
{
	return n % 3 == 2;
}

static int d_wbi(void *priv)
{
	struct dcalls *c = priv;

	return wbi_fails(++c->wbi) ? -EIO : 0;
}

static int d_rst(void *priv)
{
	struct dcalls *c = priv;

	return rst_fails(++c->rst) ? -ETIMEDOUT : 0;
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

/* Every byte of the emulation against the model, and the callback counts. */
static bool dvsec_same(struct cxlemu_dvsec *d, const struct dmodel *m, const struct dcalls *c,
		       const char *what, unsigned int step)
{
	unsigned int k;

	for (k = 0; k < m->len; k++) {
		u32 v;

		if (cxlemu_dvsec_read(d, k, 1, &v) || v != m->r[k]) {
			printf("#   step %u (%s): byte %#x reads %#x, model %#x\n", step, what, k, v,
			       m->r[k]);
			return false;
		}
	}
	if (c->wbi != m->n_wbi || c->rst != m->n_rst || c->on != m->n_on || c->off != m->n_off) {
		printf("#   step %u (%s): calls wbi %d/%d reset %d/%d mem on %d/%d off %d/%d (emu/model)\n",
		       step, what, c->wbi, m->n_wbi, c->rst, m->n_rst, c->on, m->n_on, c->off, m->n_off);
		return false;
	}
	return true;
}

static bool run_dvsec_sequence(unsigned int nops)
{
	u8 hw[CXLEMU_DVSEC_MAX_LEN];
	struct cxlemu_dvsec d;
	struct dmodel m = { .wbi_fails = wbi_fails, .rst_fails = rst_fails };
	struct dcalls c = { 0 };
	bool with_ops = rnd_below(4);
	unsigned int k, step;
	char what[64];
	u32 len;

	/* a random device image: every register, lock and reserved bits included */
	for (k = 0; k < sizeof(hw); k++)
		hw[k] = (u8)rnd();
	len = rnd_below(3) ? CXL_DVSEC_DEV_LEN_R2 : CXL_DVSEC_DEV_LEN_R1;
	put_unaligned_le32(FIELD_PREP(CXL_PCI_EXT_CAP_HDR_ID, CXL_PCI_EXT_CAP_ID_DVSEC) |
			   (get_unaligned_le32(hw) & ~(u32)CXL_PCI_EXT_CAP_HDR_ID), hw);
	put_unaligned_le32(FIELD_PREP(CXL_DVSEC_HDR1_VENDOR, CXL_DVSEC_VENDOR_ID) |
			   FIELD_PREP(CXL_DVSEC_HDR1_REV, rnd_below(16)) |
			   FIELD_PREP(CXL_DVSEC_HDR1_LEN, len), hw + CXL_DVSEC_HDR1);
	put_unaligned_le16(CXL_DVSEC_ID_DEVICE, hw + CXL_DVSEC_HDR2);
	if (cxlemu_dvsec_init(&d, hw, len, with_ops ? &dops : NULL, &c)) {
		printf("#   init failed\n");
		return false;
	}
	/* the model computes the presented image from the device's bytes itself */
	dm_init(&m, hw, len, with_ops);
	if (!dvsec_same(&d, &m, &c, "after init", 0))
		return false;

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
			snprintf(what, sizeof(what), "reset kind %d", kind);
		} else {
			r1 = cxlemu_dvsec_write(&d, off, width, val);
			r2 = dm_write(&m, off, width, val);
			if (r1 != r2) {
				printf("#   step %u: write %#x/%u = %#x returned %d, model %d\n", step, off,
				       width, val, r1, r2);
				return false;
			}
			snprintf(what, sizeof(what), "write %#x/%u = %#x", off, width, val);
		}
		if (!dvsec_same(&d, &m, &c, what, step))
			return false;
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
