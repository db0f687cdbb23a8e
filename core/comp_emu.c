// SPDX-License-Identifier: GPL-2.0
/*
 * The COMP_REGS region: the CXL.cache/mem area (CXL r3.1 8.2.3, component
 * register block + 4 KiB) as a VMM sees it. Offset 0 holds the CXL
 * Capability Array (8.2.4.1, 8.2.4.2), kept read-only exactly as the device
 * has it, so that offsets found by walking it are right; other capabilities'
 * registers read as 0 (they are not the VMM's business here). The HDM
 * Decoder Capability sits where the array says (id 5) and is emulated by
 * hdm_emu.c.
 */
#include "cxlemu.h"

int cxlemu_comp_init(struct cxlemu_comp *c, const u32 *area, u32 ndwords, u64 dpa_size,
		     const struct cxlemu_hdm_ops *ops, void *priv)
{
	u32 hdr, n, i, hdm_off = 0, hdm_cap;
	int ndec, ret;

	if (!c || !area || !ndwords)
		return -EINVAL;
	/* CXL r3.1 8.2.4.1: CXL Capability Header, id 1, entry count. */
	hdr = area[0];
	if (FIELD_GET(CXL_CM_CAP_HDR_ID, hdr) != CXL_CM_CAP_ID_CAP)
		return -EINVAL;
	n = FIELD_GET(CXL_CM_CAP_HDR_ARRAY_SIZE, hdr);
	if (!n || n + 1 > ndwords || n + 1 > CXLEMU_CAPARRAY_MAX)
		return -EINVAL;
	for (i = 1; i <= n; i++) {
		u32 e = area[i];
		u32 ptr = FIELD_GET(CXL_CM_CAP_ENTRY_PTR, e);

		/* Every entry points past the array, inside the snapshot, at a dword. */
		if (ptr < (n + 1) * 4 || ptr >= ndwords * 4 || ptr % 4)
			return -EINVAL;
		if (FIELD_GET(CXL_CM_CAP_ENTRY_ID, e) != CXL_CM_CAP_ID_HDM)
			continue;
		if (hdm_off)
			return -EINVAL;	/* one HDM Decoder Capability only */
		hdm_off = ptr;
	}
	if (!hdm_off)
		return -ENODEV;
	hdm_cap = area[hdm_off / 4];
	ndec = cxlemu_hdm_decoder_count(hdm_cap);
	if (ndec < 0 || ndec > CXLEMU_MAX_DECODERS)
		return -EINVAL;
	if (CXL_HDM_BLOCK_SIZE((u32)ndec) > ndwords * 4 - hdm_off)
		return -EINVAL;
	if (hdm_off + CXL_HDM_BLOCK_SIZE((u32)ndec) > CXL_COMP_CM_SIZE)
		return -EINVAL;

	memset(c, 0, sizeof(*c));
	ret = cxlemu_hdm_init(&c->hdm, hdm_cap, dpa_size, true, ops, priv);
	if (ret)
		return ret;
	for (i = 0; i <= n; i++)
		c->caparray[i] = area[i];
	c->ncap_dwords = n + 1;
	c->hdm_off = hdm_off;
	return 0;
}

u32 cxlemu_comp_size(const struct cxlemu_comp *c)
{
	return c->hdm_off + cxlemu_hdm_block_size(&c->hdm);
}

static int comp_check(const struct cxlemu_comp *c, u32 off, unsigned int width)
{
	u32 size = cxlemu_comp_size(c);

	if (width != 4 && width != 8)
		return -EINVAL;
	if (off & (width - 1))
		return -EINVAL;
	if (off >= size || width > size - off)
		return -ERANGE;
	/* An access lies wholly in the array part or wholly in the HDM block. */
	if (off < c->hdm_off && off + width > c->hdm_off)
		return -EINVAL;
	return 0;
}

static u32 comp_array_dword(const struct cxlemu_comp *c, u32 off)
{
	u32 i = off / 4;

	return i < c->ncap_dwords ? c->caparray[i] : 0;
}

int cxlemu_comp_read(struct cxlemu_comp *c, u32 off, unsigned int width, u64 *val)
{
	int ret = comp_check(c, off, width);

	if (ret)
		return ret;
	if (off >= c->hdm_off)
		return cxlemu_hdm_read(&c->hdm, off - c->hdm_off, width, val);
	*val = comp_array_dword(c, off);
	if (width == 8)
		*val |= (u64)comp_array_dword(c, off + 4) << 32;
	return 0;
}

int cxlemu_comp_write(struct cxlemu_comp *c, u32 off, unsigned int width, u64 val)
{
	int ret = comp_check(c, off, width);

	if (ret)
		return ret;
	if (off >= c->hdm_off)
		return cxlemu_hdm_write(&c->hdm, off - c->hdm_off, width, val);
	return -EPERM;	/* the capability array is read-only */
}
