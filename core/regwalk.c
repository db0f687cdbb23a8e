// SPDX-License-Identifier: GPL-2.0
/*
 * One walk per structure: the Register Locator DVSEC (CXL r3.1 8.1.9) and
 * the CXL.cache/mem capability array (8.2.4.1, 8.2.4.2). Every side (the
 * COMP_REGS emulation, the module's probe, libvfiocxl, the vfio-cxl command,
 * the emulated host's firmware step, the selftests) finds the component
 * block and the HDM Decoder Capability through these functions, each over a
 * read callback, so that all of them agree on what a well-formed structure
 * is. The input is hostile: every offset is bounded before it is read.
 */
#include "cxlemu.h"

int cxlemu_rl_find_block(cxlemu_read32_t rd, void *priv, u32 rl_len, u32 id,
			 struct cxlemu_rl_block *blk)
{
	u32 n, nblocks, lo, hi;
	int ret;

	if (!rd || !blk)
		return -EINVAL;
	if (rl_len < CXL_RL_BLOCK_BASE || rl_len > CXL_PCI_CFG_SPACE_EXP_SIZE)
		return -EINVAL;
	nblocks = (rl_len - CXL_RL_BLOCK_BASE) / CXL_RL_BLOCK_STRIDE;
	for (n = 0; n < nblocks; n++) {
		ret = rd(priv, CXL_RL_BLOCK_LO(n), &lo);
		if (ret)
			return ret;
		if (FIELD_GET(CXL_RL_BLOCK_LO_ID, lo) != id)
			continue;
		ret = rd(priv, CXL_RL_BLOCK_HI(n), &hi);
		if (ret)
			return ret;
		/* BIR 0..5 name BARs 10h..24h; the other encodings are reserved. */
		if (FIELD_GET(CXL_RL_BLOCK_LO_BIR, lo) > CXLEMU_VFIO_CAP_BAR_MAX)
			return -EINVAL;
		blk->bar = FIELD_GET(CXL_RL_BLOCK_LO_BIR, lo);
		blk->offset = (u64)hi << 32 | (lo & CXL_RL_BLOCK_LO_OFFSET);
		return 0;
	}
	return -ENODEV;
}

static int walk_err(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EINVAL;
}

int cxlemu_cm_find_cap(cxlemu_read32_t rd, void *priv, u32 area_size, u32 id,
		       u32 *off, u32 *nentries, const char **why)
{
	u32 hdr, n, i, e, ptr, found = 0;
	int ret;

	if (why)
		*why = "read failed";
	if (!rd || !off)
		return walk_err(why, "bad arguments");
	if (area_size > CXL_COMP_CM_SIZE)
		area_size = CXL_COMP_CM_SIZE;
	ret = rd(priv, CXL_CM_CAP_HDR, &hdr);
	if (ret)
		return ret;
	/* CXL r3.1 8.2.4.1: CXL Capability Header, id 1, entry count. */
	if (FIELD_GET(CXL_CM_CAP_HDR_ID, hdr) != CXL_CM_CAP_ID_CAP)
		return walk_err(why, "not a CXL capability array (header id is not 1)");
	n = FIELD_GET(CXL_CM_CAP_HDR_ARRAY_SIZE, hdr);
	if (!n)
		return walk_err(why, "the CXL capability array is empty");
	if ((n + 1) * 4 > area_size || n + 1 > CXLEMU_CAPARRAY_MAX)
		return walk_err(why, "the CXL capability array does not fit the area");
	for (i = 0; i < n; i++) {
		ret = rd(priv, CXL_CM_CAP_ENTRY(i), &e);
		if (ret)
			return ret;
		/*
		 * An all-zero entry (capability id 0 is not assigned, CXL r3.1
		 * Table 8-22) is an unused slot: QEMU's host bridge leaves its
		 * RAS entry so. Nothing is read through it.
		 */
		if (!e)
			continue;
		ptr = FIELD_GET(CXL_CM_CAP_ENTRY_PTR, e);
		/* Every other entry points past the array, inside the area, at a dword. */
		if (ptr < (n + 1) * 4 || ptr >= area_size || ptr % 4)
			return walk_err(why, "a capability entry points at a bad offset (into the array, past the area or unaligned)");
		if (FIELD_GET(CXL_CM_CAP_ENTRY_ID, e) != id)
			continue;
		if (found)
			return walk_err(why, "the capability is listed twice");
		found = ptr;
	}
	if (nentries)
		*nentries = n;
	if (!found) {
		if (why)
			*why = "capability absent";
		return -ENODEV;
	}
	*off = found;
	return 0;
}

int cxlemu_cm_find_hdm(cxlemu_read32_t rd, void *priv, u32 area_size,
		       struct cxlemu_hdm_loc *loc, const char **why)
{
	u32 off, cap, n;
	int ndec, ret;

	if (!loc)
		return walk_err(why, "bad arguments");
	ret = cxlemu_cm_find_cap(rd, priv, area_size, CXL_CM_CAP_ID_HDM, &off, &n, why);
	if (ret == -ENODEV && why)
		*why = "no HDM Decoder Capability in the CXL capability array";
	if (ret)
		return ret;
	if (area_size > CXL_COMP_CM_SIZE)
		area_size = CXL_COMP_CM_SIZE;
	ret = rd(priv, off + CXL_HDM_CAP, &cap);
	if (ret)
		return ret;
	ndec = cxlemu_hdm_decoder_count(cap);
	if (ndec < 0)
		return walk_err(why, "the HDM Decoder Capability has a reserved decoder count");
	/* The whole block lies inside the area (CXL r3.1 8.2.4.20). */
	if (ndec > CXLEMU_MAX_DECODERS || CXL_HDM_BLOCK_SIZE((u32)ndec) > area_size - off)
		return walk_err(why, "the HDM decoders do not fit the area");
	loc->off = off;
	loc->cap = cap;
	loc->ndecoders = ndec;
	loc->nentries = n;
	return 0;
}

int cxlemu_read32_dwords(void *priv, u32 off, u32 *val)
{
	const struct cxlemu_dwords *d = priv;

	if (off % 4 || off / 4 >= d->ndwords)
		return -ERANGE;
	*val = d->dw[off / 4];
	return 0;
}
