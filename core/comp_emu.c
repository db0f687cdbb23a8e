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
	struct cxlemu_dwords snap = { .dw = area, .ndwords = ndwords };
	struct cxlemu_hdm_loc loc;
	u32 i;
	int ret;

	if (!c || !area || !ndwords)
		return -EINVAL;
	/* regwalk.c: one HDM Decoder Capability, wholly inside the 4 KiB area. */
	ret = cxlemu_cm_find_hdm(cxlemu_read32_dwords, &snap,
				 min_t(u32, ndwords, CXL_COMP_CM_SIZE / 4) * 4, &loc, NULL);
	if (ret)
		return ret;

	memset(c, 0, sizeof(*c));
	ret = cxlemu_hdm_init(&c->hdm, loc.cap, dpa_size, true, ops, priv);
	if (ret)
		return ret;
	for (i = 0; i <= loc.nentries; i++)
		c->caparray[i] = area[i];
	c->ncap_dwords = loc.nentries + 1;
	c->hdm_off = loc.off;
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
