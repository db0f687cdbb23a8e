// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the HDM decoder block's write path (core/hdm_emu.c).
 * Input: 4 configuration bytes, then 11-byte accesses (bit 7 of the first
 * byte of an access: a real register of one decoder with a plausible value). After every
 * access it asserts:
 *   - a locked decoder never changes (all of its registers);
 *   - reserved bits read as their reset value (0), the capability never
 *     changes, RsvdP registers read 0;
 *   - no access outside the block (or otherwise refused) is accepted, and a
 *     refused access changes nothing;
 *   - a decoder never reports COMMITTED with a configuration the checks
 *     refuse, and COMMITTED / ERROR_NOT_COMMITTED imply Commit and are
 *     exclusive;
 *   - in model mode (first byte bit 7: an endpoint with the default policy),
 *     every return value and every register equal those of the independent
 *     reference model of tests/unit/core_hdm_model.h.
 */
#include "cxlemu.h"
#include "../unit/core_hdm_model.h"

#define NREG_MAX	(CXL_HDM_BLOCK_SIZE(CXLEMU_MAX_DECODERS) / 4)
#define G		CXL_HDM_DEC_ALIGN

static void snapshot(struct cxlemu_hdm *h, u32 *regs)
{
	u32 k, n = cxlemu_hdm_block_size(h) / 4;

	for (k = 0; k < n; k++) {
		u64 v;

		if (cxlemu_hdm_read(h, k * 4, 4, &v))
			abort();
		regs[k] = (u32)v;
	}
}

static void check(const struct cxlemu_hdm *h, const u32 *r, u32 cap0)
{
	unsigned int i;
	u32 rsvd_ctrl = CXL_HDM_DEC_CTRL_RSVD15 | CXL_HDM_DEC_CTRL_RSVD_31_28;

	if (!FIELD_GET(CXL_HDM_CAP_UIO, cap0))
		rsvd_ctrl |= CXL_HDM_DEC_CTRL_UIO | CXL_HDM_DEC_CTRL_UIG | CXL_HDM_DEC_CTRL_UIW |
			     CXL_HDM_DEC_CTRL_ISP;
	if (r[CXL_HDM_CAP / 4] != cap0)
		abort();
	if (r[CXL_HDM_GCTRL / 4] & CXL_HDM_GCTRL_RSVD)
		abort();
	if (!FIELD_GET(CXL_HDM_CAP_POISON, cap0) && (r[CXL_HDM_GCTRL / 4] & CXL_HDM_GCTRL_POISON_EN))
		abort();
	if (r[2] || r[3])
		abort();
	for (i = 0; i < h->ndecoders; i++) {
		const u32 *d = r + CXL_HDM_DEC_OFF(i) / 4;
		u32 ctrl = d[CXL_HDM_DEC_CTRL / 4];

		if (d[CXL_HDM_DEC_BASE_LO / 4] & CXL_HDM_DEC_BASE_LO_RSVD ||
		    d[CXL_HDM_DEC_SIZE_LO / 4] & CXL_HDM_DEC_SIZE_LO_RSVD ||
		    (h->endpoint && d[CXL_HDM_DEC_SKIP_LO / 4] & CXL_HDM_DEC_SKIP_LO_RSVD) ||
		    d[CXL_HDM_DEC_RSVD_1C / 4] || ctrl & rsvd_ctrl)
			abort();
		if ((ctrl & CXL_HDM_DEC_CTRL_COMMITTED) && (ctrl & CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED))
			abort();
		if ((ctrl & (CXL_HDM_DEC_CTRL_COMMITTED | CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED)) &&
		    !(ctrl & CXL_HDM_DEC_CTRL_COMMIT))
			abort();
		if ((ctrl & CXL_HDM_DEC_CTRL_COMMITTED) && cxlemu_hdm_check_commit(h, i))
			abort();
	}
}

static int veto(void *priv, unsigned int idx, u64 base, u64 size, bool lock)
{
	return (base >> 28) % 13 == 12 ? -EPERM : 0;
}

static const struct cxlemu_hdm_ops ops = { .commit = veto };

static int model_veto(void *priv, unsigned int idx, u64 base, u64 size, bool lock)
{
	return base == HDM_MODEL_VETO_BASE ? -EPERM : 0;
}

static const struct cxlemu_hdm_ops model_ops = { .commit = model_veto };

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct cxlemu_hdm h;
	static u32 before[NREG_MAX], after[NREG_MAX];
	static struct model m;
	bool use_model = size >= 1 && (data[0] & 0x80);
	u32 cap, bsize;
	u64 dpa;
	bool endpoint;
	size_t p;

	if (size < 4)
		return 0;
	if (use_model) {
		/* endpoint, 1..8 decoders, default policy: the model's world */
		static const unsigned int nd[] = { 1, 2, 4, 6, 8 };

		memset(&m, 0, sizeof(m));
		m.ndec = nd[data[1] % 5];
		m.dpa = (u64)(data[3] & 0x3f) * G;
		m.poison = data[2] & 1;
		m_reset(&m);
		if (cxlemu_hdm_init(&h, m.r[0], m.dpa, true, &model_ops, NULL))
			abort();
		goto run;
	}
	/* config: decoder count (0..4 -> 1..8), capability bits, DPA, kind */
	cap = FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, data[0] % 5) |
	      (((u32)data[1] << 8) & GENMASK(13, 8)) | FIELD_PREP(CXL_HDM_CAP_TARGET_COUNT, data[2] & 0xf);
	dpa = (u64)(data[3] & 0x3f) * G;
	endpoint = !(data[2] & 0x80);
	if (cxlemu_hdm_init(&h, cap, dpa, endpoint, data[3] & 0x40 ? &ops : NULL, NULL))
		abort();
	if (data[1] & 0x40)
		h.iw_cap_mask = cxlemu_hdm_iw_cap_mask(cap);
	h.allow_bi = data[1] & 0x80;
	h.allow_host_only = !(data[3] & 0x80);
	if (data[2] & 0x40)
		cxlemu_hdm_set_reset_value(&h, 0, 4 * G, G);
run:
	bsize = cxlemu_hdm_block_size(&h);
	snapshot(&h, before);
	check(&h, before, h.cap);

	for (p = 4; p + 11 <= size; p += 11) {
		const u8 *o = data + p;
		unsigned int width = 1U << (o[0] & 3), i;
		u32 off = get_unaligned_le16(o + 1);
		u64 val = get_unaligned_le64(o + 3);
		int ret;

		if (o[0] & 0x80) {
			/* a real register of decoder o[1] with a plausible value */
			unsigned int dec = o[1] % h.ndecoders, r = (o[2] % 8) * 4;

			off = CXL_HDM_DEC_OFF(dec) + r;
			width = 4;
			if (r == CXL_HDM_DEC_CTRL) {
				val = get_unaligned_le16(o + 3);
			} else if (r == CXL_HDM_DEC_BASE_LO || r == CXL_HDM_DEC_SIZE_LO ||
				   r == CXL_HDM_DEC_SKIP_LO) {
				val = (u64)(o[3] % 16) * G;
				if (r != CXL_HDM_DEC_SKIP_LO && (o[0] & 1)) {
					width = 8;
					val |= (u64)(o[4] & 3) << 32;
				}
			} else if (r != CXL_HDM_DEC_RSVD_1C) {
				val = o[3] & 3;
			}
			if (o[0] & 0x40)
				val |= o[5];	/* reserved bits */
		} else if (o[0] & 0x40) {		/* structured values */
			off %= bsize + 8;
			val = (o[0] & 0x20) ? (val & GENMASK_ULL(35, 28)) : (val & GENMASK_ULL(15, 8));
			if (width == 4)
				val &= GENMASK_ULL(31, 0);
		}
		if ((o[0] & 0x1c) == 0x1c) {
			cxlemu_hdm_reset(&h);
			if (use_model)
				m_reset(&m);
			snapshot(&h, before);
			check(&h, before, h.cap);
			continue;
		}
		ret = cxlemu_hdm_write(&h, off, width, val);
		snapshot(&h, after);
		if (use_model && (m_write(&m, off, width, val) != ret || memcmp(m.r, after, bsize)))
			abort();	/* differs from the reference model */
		if (ret) {
			if (memcmp(before, after, bsize))
				abort();	/* refused, yet something changed */
		} else {
			if (width != 4 && width != 8)
				abort();
			if (off % width || off >= bsize || width > bsize - off)
				abort();
		}
		for (i = 0; i < h.ndecoders; i++) {
			u32 d = CXL_HDM_DEC_OFF(i) / 4;
			u32 c = before[d + CXL_HDM_DEC_CTRL / 4];

			if ((c & CXL_HDM_DEC_CTRL_COMMITTED) && (c & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT) &&
			    memcmp(before + d, after + d, CXL_HDM_DEC_STRIDE))
				abort();	/* a locked decoder changed */
		}
		check(&h, after, h.cap);
		/* reads agree with the same refusal rules */
		{
			u64 v;

			ret = cxlemu_hdm_read(&h, off, width, &v);
			if (!ret && (off % width || off >= bsize || width > bsize - off))
				abort();
		}
		memcpy(before, after, bsize);
	}
	return 0;
}
