// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated HDM Decoder Capability structure (CXL r3.1 8.2.4.20).
 *
 * The guest-visible decoders live only here; the embedding side learns of
 * commits, uncommits and resets through struct cxlemu_hdm_ops. Rules:
 *
 * - Accesses are 4 bytes, or 8 bytes at a Base Low or Size Low offset (the
 *   64-bit Base and Size pairs, CXL r3.1 8.2.2: a 64-bit register is never
 *   split); naturally aligned; inside the block. Anything else fails with
 *   -EINVAL / -ERANGE and changes nothing.
 * - RsvdP bits read 0 (their reset value) and ignore writes; RO and HwInit
 *   fields (capability, COMMITTED, ERROR_NOT_COMMITTED) ignore writes.
 * - While Commit is set, Base, Size, DPA Skip / Target List and the control
 *   fields are frozen: software must clear Commit before reprogramming
 *   (CXL r3.1 8.2.4.20.7). Writing Commit 0 -> 1 runs the checks of
 *   hdm_check() and latches COMMITTED or ERROR_NOT_COMMITTED at once (the
 *   spec's 10 ms commit timeout, 8.2.4.20.7, is never reached).
 * - Decoders commit in index order and are decommitted in reverse order
 *   (8.2.4.20.12, as Linux's cxl_decoder_commit()/cxl_decoder_reset()
 *   require): clearing Commit of decoder n while n + 1 is committed is
 *   ignored, so every committed decoder always satisfies the checks.
 * - Lock On Commit (8.2.4.20.7): once a decoder commits with it set, all of
 *   its registers are read-only until a reset; writes are ignored, clearing
 *   Commit included.
 */
#include "cxlemu.h"

#define HDM_HPA_LIMIT	BIT_ULL(52)	/* CXL r3.1: HPA is 52 bits */

/* ---- encodings ---------------------------------------------------------- */

int cxlemu_hdm_decoder_count(u32 hdm_cap)
{
	u32 enc = FIELD_GET(CXL_HDM_CAP_DECODER_COUNT, hdm_cap);

	/* CXL r3.1 8.2.4.20.1: 0 -> 1, 1..8 -> 2n, 9..0xc -> 4(n - 4) */
	if (enc == 0)
		return 1;
	if (enc <= 8)
		return (int)enc * 2;
	if (enc <= CXL_HDM_DECODER_COUNT_ENC_MAX)
		return ((int)enc - 4) * 4;
	return -EINVAL;
}

int cxlemu_hdm_iw_to_ways(u32 iw)
{
	switch (iw) {
	case CXL_HDM_IW_1: return 1;
	case CXL_HDM_IW_2: return 2;
	case CXL_HDM_IW_4: return 4;
	case CXL_HDM_IW_8: return 8;
	case CXL_HDM_IW_16: return 16;
	case CXL_HDM_IW_3: return 3;
	case CXL_HDM_IW_6: return 6;
	case CXL_HDM_IW_12: return 12;
	default: return -EINVAL;
	}
}

int cxlemu_hdm_ways_to_iw(unsigned int ways)
{
	switch (ways) {
	case 1: return CXL_HDM_IW_1;
	case 2: return CXL_HDM_IW_2;
	case 4: return CXL_HDM_IW_4;
	case 8: return CXL_HDM_IW_8;
	case 16: return CXL_HDM_IW_16;
	case 3: return CXL_HDM_IW_3;
	case 6: return CXL_HDM_IW_6;
	case 12: return CXL_HDM_IW_12;
	default: return -EINVAL;
	}
}

int cxlemu_hdm_ig_to_bytes(u32 ig)
{
	if (ig > CXL_HDM_IG_MAX)
		return -EINVAL;
	return 1 << (ig + CXL_HDM_IG_BASE_SHIFT);
}

int cxlemu_hdm_bytes_to_ig(u32 bytes)
{
	u32 ig;

	for (ig = 0; ig <= CXL_HDM_IG_MAX; ig++)
		if (bytes == 1U << (ig + CXL_HDM_IG_BASE_SHIFT))
			return (int)ig;
	return -EINVAL;
}

u32 cxlemu_hdm_iw_cap_mask(u32 hdm_cap)
{
	/* 1, 2, 4 and 8 ways are mandatory (CXL r3.1 8.2.4.20.1) */
	u32 m = BIT(1) | BIT(2) | BIT(4) | BIT(8);

	if (FIELD_GET(CXL_HDM_CAP_3_6_12_WAY, hdm_cap))
		m |= BIT(3) | BIT(6) | BIT(12);
	if (FIELD_GET(CXL_HDM_CAP_16_WAY, hdm_cap))
		m |= BIT(16);
	return m;
}

/* ---- register masks, built from the named fields ------------------------ */

/* Control bits software may write (before UIO gating). */
#define HDM_CTRL_WRITABLE						\
	(CXL_HDM_DEC_CTRL_IG | CXL_HDM_DEC_CTRL_IW |			\
	 CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT | CXL_HDM_DEC_CTRL_COMMIT |	\
	 CXL_HDM_DEC_CTRL_TARGET_TYPE | CXL_HDM_DEC_CTRL_BI)
#define HDM_CTRL_UIO_FIELDS						\
	(CXL_HDM_DEC_CTRL_UIO | CXL_HDM_DEC_CTRL_UIG |			\
	 CXL_HDM_DEC_CTRL_UIW | CXL_HDM_DEC_CTRL_ISP)

static u32 hdm_ctrl_wmask(const struct cxlemu_hdm *h)
{
	u32 m = HDM_CTRL_WRITABLE;

	if (FIELD_GET(CXL_HDM_CAP_UIO, h->cap))
		m |= HDM_CTRL_UIO_FIELDS;
	return m;
}

static u32 hdm_gctrl_wmask(const struct cxlemu_hdm *h)
{
	u32 m = CXL_HDM_GCTRL_ENABLE;

	if (FIELD_GET(CXL_HDM_CAP_POISON, h->cap))
		m |= CXL_HDM_GCTRL_POISON_EN;
	return m;
}

/* Base, Size and DPA Skip keep only bits 63:28 (bits 27:0 are RsvdP). */
static u64 hdm_addr_mask(void)
{
	return ~(CXL_HDM_DEC_ALIGN - 1);
}

static bool dec_committed(const struct cxlemu_hdm_decoder *d)
{
	return FIELD_GET(CXL_HDM_DEC_CTRL_COMMITTED, d->ctrl);
}

static bool dec_commit_set(const struct cxlemu_hdm_decoder *d)
{
	return FIELD_GET(CXL_HDM_DEC_CTRL_COMMIT, d->ctrl);
}

static bool dec_locked(const struct cxlemu_hdm_decoder *d)
{
	return dec_committed(d) && FIELD_GET(CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT, d->ctrl);
}

/* ---- commit checks ------------------------------------------------------ */

/*
 * HPA bits an interleave of 2^eiw (or 3 * 2^(eiw-8)) ways at granularity
 * 256 << eig selects the target on (CXL r3.1 8.2.4.20.13); the decoder must
 * be capable of every one of them (A11to8 / A14to12 capability bits).
 */
static int hdm_check_interleave_bits(const struct cxlemu_hdm *h, u32 eiw, u32 eig)
{
	u32 lo, hi, need;

	if (eiw == CXL_HDM_IW_1 || eiw == CXL_HDM_IW_3)
		return 0;	/* no address bit selects the target */
	lo = eig + CXL_HDM_IG_BASE_SHIFT;
	if (eiw > CXL_HDM_IW_3)
		hi = lo + (eiw - CXL_HDM_IW_3) - 1;
	else
		hi = lo + eiw - 1;
	if (hi > 31)
		return -EINVAL;
	need = (u32)(GENMASK(31, 0) >> (31 - hi)) & ~((1U << lo) - 1);
	if ((h->interleave_mask & need) != need)
		return -EINVAL;
	return 0;
}

/* DPA bytes a decoder consumes on an endpoint: its skip plus its share. */
static u64 hdm_dpa_span(const struct cxlemu_hdm_decoder *d)
{
	int ways = cxlemu_hdm_iw_to_ways(FIELD_GET(CXL_HDM_DEC_CTRL_IW, d->ctrl));

	if (ways <= 0)
		return 0;
	return d->tl_or_skip + d->size / (u64)ways;
}

static bool ranges_overlap(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * The checks a commit must pass, in the spirit of Linux's
 * drivers/cxl/core/hdm.c (cxl_decoder_commit(), init_hdm_decoder()) and
 * drivers/cxl/core/region.c (check_interleave_cap()), on the decoder's
 * current programming. Returns 0 or the reason as -errno.
 */
static int hdm_check(const struct cxlemu_hdm *h, unsigned int idx)
{
	const struct cxlemu_hdm_decoder *d = &h->dec[idx];
	u32 ctrl = d->ctrl;
	u32 iw = FIELD_GET(CXL_HDM_DEC_CTRL_IW, ctrl);
	u32 ig = FIELD_GET(CXL_HDM_DEC_CTRL_IG, ctrl);
	bool host_only = FIELD_GET(CXL_HDM_DEC_CTRL_TARGET_TYPE, ctrl);
	int ways = cxlemu_hdm_iw_to_ways(iw);
	unsigned int j;

	/* Interleave: encodings the spec defines and the decoder supports. */
	if (ways < 0 || !(h->iw_cap_mask & BIT(ways)))
		return -EOPNOTSUPP;
	if (cxlemu_hdm_ig_to_bytes(ig) < 0)
		return -EINVAL;
	if (hdm_check_interleave_bits(h, iw, ig))
		return -EOPNOTSUPP;
	if (!h->endpoint) {
		int tc = (int)FIELD_GET(CXL_HDM_CAP_TARGET_COUNT, h->cap);

		if (tc && ways > tc)
			return -EOPNOTSUPP;
	}

	/* Target type and back-invalidate as the device allows. */
	if (host_only ? !h->allow_host_only : !h->allow_dev_coherent)
		return -EOPNOTSUPP;
	if (FIELD_GET(CXL_HDM_DEC_CTRL_BI, ctrl) && (host_only || !h->allow_bi))
		return -EOPNOTSUPP;

	/* Unordered I/O (CXL r3.1 8.2.4.20.7 UIO, UIW, UIG, ISP). */
	if (FIELD_GET(CXL_HDM_DEC_CTRL_UIO, ctrl)) {
		int uways = cxlemu_hdm_iw_to_ways(FIELD_GET(CXL_HDM_DEC_CTRL_UIW, ctrl));

		if (uways < 0 || !(h->iw_cap_mask & BIT(uways)))
			return -EOPNOTSUPP;
		if (cxlemu_hdm_ig_to_bytes(FIELD_GET(CXL_HDM_DEC_CTRL_UIG, ctrl)) < 0)
			return -EINVAL;
		if ((int)FIELD_GET(CXL_HDM_DEC_CTRL_ISP, ctrl) >= uways)
			return -EINVAL;
	} else if (ctrl & (CXL_HDM_DEC_CTRL_UIG | CXL_HDM_DEC_CTRL_UIW |
			   CXL_HDM_DEC_CTRL_ISP)) {
		return -EINVAL;	/* UIO parameters without UIO */
	}

	/* Base and size: 256 MiB units, nonzero, inside the 52-bit HPA space. */
	if (!d->size)
		return -EINVAL;
	if ((d->base | d->size) & (CXL_HDM_DEC_ALIGN - 1))
		return -EINVAL;
	if (d->base >= HDM_HPA_LIMIT || d->size > HDM_HPA_LIMIT - d->base)
		return -ERANGE;
	/* Each of the @ways devices holds a whole number of 256 MiB units. */
	if ((d->size / (u64)ways) % CXL_HDM_DEC_ALIGN || d->size % (u64)ways)
		return -EINVAL;

	/* In order: decoder n needs n - 1 committed (CXL r3.1 8.2.4.20.12). */
	if (idx > 0) {
		const struct cxlemu_hdm_decoder *p = &h->dec[idx - 1];

		if (!dec_committed(p))
			return -EBUSY;
		/* ascending addresses: above the previous decoder's range */
		if (d->base < p->base + p->size)
			return -EINVAL;
	}
	/* Endpoint: DPA skip plus this decoder's share within the device. */
	if (h->endpoint) {
		u64 dpa = 0;

		if (d->tl_or_skip & (CXL_HDM_DEC_ALIGN - 1))
			return -EINVAL;
		/* Committed decoders below passed this check: no overflow. */
		for (j = 0; j < idx; j++)
			dpa += hdm_dpa_span(&h->dec[j]);
		/* Skip and share apart: their sum may wrap (skip is 64-bit). */
		if (h->dpa_size &&
		    (dpa > h->dpa_size || d->tl_or_skip > h->dpa_size - dpa ||
		     d->size / (u64)ways > h->dpa_size - dpa - d->tl_or_skip))
			return -ENOSPC;
	}

	if (idx + 1 < h->ndecoders && dec_committed(&h->dec[idx + 1]) &&
	    d->base + d->size > h->dec[idx + 1].base)
		return -EINVAL;
	/* Never overlapping any committed decoder. */
	for (j = 0; j < h->ndecoders; j++) {
		const struct cxlemu_hdm_decoder *o = &h->dec[j];

		if (j != idx && dec_committed(o) &&
		    ranges_overlap(d->base, d->size, o->base, o->size))
			return -EBUSY;
	}
	return 0;
}

int cxlemu_hdm_check_commit(const struct cxlemu_hdm *h, unsigned int idx)
{
	if (!h || idx >= h->ndecoders)
		return -EINVAL;
	return hdm_check(h, idx);
}

/* ---- state -------------------------------------------------------------- */

int cxlemu_hdm_init(struct cxlemu_hdm *h, u32 hw_cap, u64 dpa_size, bool endpoint,
		    const struct cxlemu_hdm_ops *ops, void *priv)
{
	int n = cxlemu_hdm_decoder_count(hw_cap);
	unsigned int i;

	if (n < 0 || n > CXLEMU_MAX_DECODERS)
		return -EINVAL;
	if (dpa_size & (CXL_HDM_DEC_ALIGN - 1))
		return -EINVAL;
	memset(h, 0, sizeof(*h));
	/* Reserved capability bits are presented as 0, never passed through. */
	h->cap = hw_cap & ~(u32)(CXL_HDM_CAP_RSVD_15_14 | CXL_HDM_CAP_RSVD_31_21);
	h->ndecoders = (unsigned int)n;
	h->dpa_size = dpa_size;
	h->endpoint = endpoint;
	h->ops = ops;
	h->priv = priv;

	/* Interleave as Linux's parse_hdm_decoder_caps() reads the capability. */
	h->iw_cap_mask = cxlemu_hdm_iw_cap_mask(hw_cap);
	/*
	 * A passed-through endpoint's memory is mapped flat at the guest's
	 * decoder base: an interleaved endpoint decoder would describe a
	 * different layout, so endpoints start at 1 way only. The embedding
	 * side may allow more, up to cxlemu_hdm_iw_cap_mask(cap).
	 */
	if (endpoint)
		h->iw_cap_mask = BIT(1);
	if (FIELD_GET(CXL_HDM_CAP_A11TO8, hw_cap))
		h->interleave_mask |= GENMASK(11, 8);
	if (FIELD_GET(CXL_HDM_CAP_A14TO12, hw_cap))
		h->interleave_mask |= GENMASK(14, 12);
	h->allow_host_only = true;
	h->allow_dev_coherent = true;
	h->allow_bi = false;

	for (i = 0; i < h->ndecoders; i++) {
		h->dec[i].reset_base = 0;
		h->dec[i].reset_size = 0;
	}
	cxlemu_hdm_reset(h);
	return 0;
}

int cxlemu_hdm_set_reset_value(struct cxlemu_hdm *h, unsigned int idx, u64 base, u64 size)
{
	if (idx >= h->ndecoders)
		return -EINVAL;
	if ((base | size) & (CXL_HDM_DEC_ALIGN - 1))
		return -EINVAL;
	if (base >= HDM_HPA_LIMIT || size > HDM_HPA_LIMIT - base)
		return -ERANGE;
	h->dec[idx].reset_base = base;
	h->dec[idx].reset_size = size;
	return 0;
}

void cxlemu_hdm_reset(struct cxlemu_hdm *h)
{
	unsigned int i;

	/* CXL r3.1 8.2.4.20: every field resets to 0 except where given. */
	h->global_ctrl = 0;
	for (i = 0; i < CXLEMU_MAX_DECODERS; i++) {
		struct cxlemu_hdm_decoder *d = &h->dec[i];

		d->base = i < h->ndecoders ? d->reset_base : 0;
		d->size = i < h->ndecoders ? d->reset_size : 0;
		d->ctrl = 0;
		d->tl_or_skip = 0;
		d->commit_err = 0;
	}
	if (h->ops && h->ops->reset)
		h->ops->reset(h->priv);
}

u32 cxlemu_hdm_block_size(const struct cxlemu_hdm *h)
{
	return CXL_HDM_BLOCK_SIZE(h->ndecoders);
}

bool cxlemu_hdm_committed(const struct cxlemu_hdm *h, unsigned int idx)
{
	return idx < h->ndecoders && dec_committed(&h->dec[idx]);
}

bool cxlemu_hdm_locked(const struct cxlemu_hdm *h, unsigned int idx)
{
	return idx < h->ndecoders && dec_locked(&h->dec[idx]);
}

/* ---- access ------------------------------------------------------------- */

/*
 * Validate an access; on success *@idx is the decoder (or -1 for the
 * header registers) and *@reg the offset inside that decoder's set.
 */
static int hdm_decode_off(const struct cxlemu_hdm *h, u32 off, unsigned int width,
			  int *idx, u32 *reg)
{
	if (width != 4 && width != 8)
		return -EINVAL;
	if (off & (width - 1))
		return -EINVAL;
	if (off >= cxlemu_hdm_block_size(h) || width > cxlemu_hdm_block_size(h) - off)
		return -ERANGE;
	if (off < CXL_HDM_DEC_FIRST) {
		*idx = -1;
		*reg = off;
	} else {
		*idx = (int)((off - CXL_HDM_DEC_FIRST) / CXL_HDM_DEC_STRIDE);
		*reg = (off - CXL_HDM_DEC_FIRST) % CXL_HDM_DEC_STRIDE;
	}
	/* Only Base and Size are 64-bit registers (CXL r3.1 8.2.4.20.3-6). */
	if (width == 8 && !(*idx >= 0 && (*reg == CXL_HDM_DEC_BASE_LO ||
					  *reg == CXL_HDM_DEC_SIZE_LO)))
		return -EINVAL;
	return 0;
}

static u32 hdm_read32(const struct cxlemu_hdm *h, int idx, u32 reg)
{
	const struct cxlemu_hdm_decoder *d;

	if (idx < 0) {
		switch (reg) {
		case CXL_HDM_CAP:
			return h->cap;
		case CXL_HDM_GCTRL:
			return h->global_ctrl;
		default:
			return 0;	/* 0x08..0x0f reserved */
		}
	}
	d = &h->dec[idx];
	switch (reg) {
	case CXL_HDM_DEC_BASE_LO:
		return (u32)d->base;
	case CXL_HDM_DEC_BASE_HI:
		return (u32)(d->base >> 32);
	case CXL_HDM_DEC_SIZE_LO:
		return (u32)d->size;
	case CXL_HDM_DEC_SIZE_HI:
		return (u32)(d->size >> 32);
	case CXL_HDM_DEC_CTRL:
		return d->ctrl;
	case CXL_HDM_DEC_TL_LO:
		return (u32)d->tl_or_skip;
	case CXL_HDM_DEC_TL_HI:
		return (u32)(d->tl_or_skip >> 32);
	default:
		return 0;	/* 0x1c reserved */
	}
}

int cxlemu_hdm_read(struct cxlemu_hdm *h, u32 off, unsigned int width, u64 *val)
{
	int idx, ret;
	u32 reg;

	ret = hdm_decode_off(h, off, width, &idx, &reg);
	if (ret)
		return ret;
	*val = hdm_read32(h, idx, reg);
	if (width == 8)
		*val |= (u64)hdm_read32(h, idx, reg + 4) << 32;
	return 0;
}

/* Replace the 32-bit half of @old at byte @half (0 or 4) with @v. */
static u64 replace_half(u64 old, u32 half, u32 v)
{
	u64 m = (u64)GENMASK(31, 0) << (half * 8);

	return (old & ~m) | ((u64)v << (half * 8));
}

/* Commit was written 0 -> 1: latch COMMITTED or ERROR_NOT_COMMITTED. */
static void hdm_do_commit(struct cxlemu_hdm *h, unsigned int idx)
{
	struct cxlemu_hdm_decoder *d = &h->dec[idx];
	bool lock = FIELD_GET(CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT, d->ctrl);
	int err;

	err = hdm_check(h, idx);
	if (!err && h->ops && h->ops->commit) {
		err = h->ops->commit(h->priv, idx, d->base, d->size, lock);
		if (err > 0)
			err = -EIO;
	}
	d->commit_err = err;
	d->ctrl = u32_replace_bits(d->ctrl, !err, CXL_HDM_DEC_CTRL_COMMITTED);
	d->ctrl = u32_replace_bits(d->ctrl, !!err, CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED);
}

static void hdm_write_ctrl(struct cxlemu_hdm *h, unsigned int idx, u32 val)
{
	struct cxlemu_hdm_decoder *d = &h->dec[idx];
	u32 wmask = hdm_ctrl_wmask(h);
	bool was_committed = dec_committed(d);

	if (dec_commit_set(d)) {
		/* Frozen while Commit is set; only clearing Commit is honoured. */
		if (FIELD_GET(CXL_HDM_DEC_CTRL_COMMIT, val))
			return;
		/* decommit in reverse order only (CXL r3.1 8.2.4.20.12) */
		if (idx + 1 < h->ndecoders && dec_committed(&h->dec[idx + 1]))
			return;
		d->ctrl = (d->ctrl & ~wmask) | (val & wmask);
		d->ctrl &= ~(u32)(CXL_HDM_DEC_CTRL_COMMITTED |
				  CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED);
		d->commit_err = 0;
		if (was_committed && h->ops && h->ops->uncommit)
			h->ops->uncommit(h->priv, idx);
		return;
	}
	d->ctrl = (d->ctrl & ~wmask) | (val & wmask);
	if (FIELD_GET(CXL_HDM_DEC_CTRL_COMMIT, d->ctrl))
		hdm_do_commit(h, idx);
}

static void hdm_write32(struct cxlemu_hdm *h, int idx, u32 reg, u32 val)
{
	struct cxlemu_hdm_decoder *d;
	u64 amask = hdm_addr_mask();

	if (idx < 0) {
		if (reg == CXL_HDM_GCTRL) {
			u32 m = hdm_gctrl_wmask(h);

			h->global_ctrl = (h->global_ctrl & ~m) | (val & m);
		}
		return;		/* capability RO, 0x08..0x0f reserved */
	}
	d = &h->dec[idx];
	if (dec_locked(d))
		return;		/* lock on commit: read-only until reset */
	if (reg == CXL_HDM_DEC_CTRL) {
		hdm_write_ctrl(h, (unsigned int)idx, val);
		return;
	}
	if (dec_commit_set(d))
		return;		/* programming frozen while Commit is set */
	switch (reg) {
	case CXL_HDM_DEC_BASE_LO:
	case CXL_HDM_DEC_BASE_HI:
		d->base = replace_half(d->base, reg - CXL_HDM_DEC_BASE_LO, val) & amask;
		break;
	case CXL_HDM_DEC_SIZE_LO:
	case CXL_HDM_DEC_SIZE_HI:
		d->size = replace_half(d->size, reg - CXL_HDM_DEC_SIZE_LO, val) & amask;
		break;
	case CXL_HDM_DEC_TL_LO:
	case CXL_HDM_DEC_TL_HI:
		d->tl_or_skip = replace_half(d->tl_or_skip, reg - CXL_HDM_DEC_TL_LO, val);
		if (h->endpoint)	/* DPA Skip Low bits 27:0 are RsvdP */
			d->tl_or_skip &= amask;
		break;
	default:
		break;		/* 0x1c reserved */
	}
}

int cxlemu_hdm_write(struct cxlemu_hdm *h, u32 off, unsigned int width, u64 val)
{
	int idx, ret;
	u32 reg;

	ret = hdm_decode_off(h, off, width, &idx, &reg);
	if (ret)
		return ret;
	if (width == 4 && (val >> 32))
		return -EINVAL;
	/* One 64-bit Base or Size write: both halves land together. */
	hdm_write32(h, idx, reg, (u32)val);
	if (width == 8)
		hdm_write32(h, idx, reg + 4, (u32)(val >> 32));
	return 0;
}
