// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the CXL Device DVSEC write path (core/dvsec_emu.c).
 * Input: 60 bytes of device image (header forced valid), an ops byte, then
 * 6-byte accesses. After every access it asserts, from the permission table:
 *   - reserved bits read 0; RO/HwInit bits keep the presented image;
 *   - RWL bits do not change while CONFIG_LOCK is set (unless a CXL reset
 *     doorbell ran); CONFIG_LOCK stays set until a conventional reset;
 *   - RW1CS bits are never set by a write; doorbell bits read 0;
 *   - an access outside the DVSEC (or any refused access) changes nothing.
 */
#include "cxlemu.h"
#include "../../core/dvsec_emu.c"

static int n_reset;

static int op_reset(void *priv)
{
	n_reset++;
	return (n_reset & 3) == 3 ? -EIO : 0;
}

static int op_wbi(void *priv)
{
	return 0;
}

static void op_mem(void *priv, bool on)
{
}

static const struct cxlemu_dvsec_ops ops_all = {
	.cxl_reset = op_reset, .cache_wbi = op_wbi, .mem_enable = op_mem,
};

static void check(const struct cxlemu_dvsec *d, const u8 *prev, bool was_locked, bool reset_ran)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(dvsec_perms); i++) {
		const struct dvsec_perm *p = &dvsec_perms[i];
		u32 v, img, old, ro;

		if (!perm_present(d, p))
			continue;
		v = reg_get(d->regs, p);
		img = reg_get(d->hw, p);
		old = reg_get(prev, p);
		ro = ~(p->rw | p->rwl | p->rw1c | p->rw1cs | p->rwo | p->virt | p->rsvd);
		if (p->size == 2)
			ro &= GENMASK(15, 0);
		if (v & p->rsvd)
			abort();
		if ((v & ro) != (img & ro))
			abort();
		if (v & p->doorbell)
			abort();
		if (was_locked && !reset_ran && ((v ^ old) & p->rwl))
			abort();
		if (!reset_ran && (v & ~old & p->rw1cs))
			abort();
	}
	if (was_locked && !d->config_locked)
		abort();
	if (d->config_locked != !!FIELD_GET(CXL_DVSEC_LOCK_CONFIG_LOCK,
					    get_unaligned_le16(d->regs + CXL_DVSEC_LOCK)))
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct cxlemu_dvsec d;
	u8 hw[CXLEMU_DVSEC_MAX_LEN], prev[CXLEMU_DVSEC_MAX_LEN];
	u32 len;
	size_t p;

	if (size < CXLEMU_DVSEC_MAX_LEN + 1)
		return 0;
	memcpy(hw, data, sizeof(hw));
	len = data[CXLEMU_DVSEC_MAX_LEN] & 1 ? CXL_DVSEC_DEV_LEN_R1 : CXL_DVSEC_DEV_LEN_R2;
	put_unaligned_le32(FIELD_PREP(CXL_PCI_EXT_CAP_HDR_ID, CXL_PCI_EXT_CAP_ID_DVSEC) |
			   (get_unaligned_le32(hw) & ~(u32)CXL_PCI_EXT_CAP_HDR_ID), hw);
	put_unaligned_le32(FIELD_PREP(CXL_DVSEC_HDR1_VENDOR, CXL_DVSEC_VENDOR_ID) |
			   FIELD_PREP(CXL_DVSEC_HDR1_LEN, len), hw + CXL_DVSEC_HDR1);
	put_unaligned_le16(CXL_DVSEC_ID_DEVICE, hw + CXL_DVSEC_HDR2);
	if (cxlemu_dvsec_init(&d, hw, len, data[CXLEMU_DVSEC_MAX_LEN] & 2 ? &ops_all : NULL, NULL))
		abort();
	n_reset = 0;
	memcpy(prev, d.regs, sizeof(prev));
	check(&d, prev, false, false);

	for (p = CXLEMU_DVSEC_MAX_LEN + 1; p + 6 <= size; p += 6) {
		const u8 *o = data + p;
		unsigned int width = o[0] & 7;
		u32 off = o[1];
		u32 val = get_unaligned_le32(o + 2);
		bool was_locked = d.config_locked;
		int resets = n_reset, ret;

		if ((o[0] & 0xf0) == 0xf0) {
			cxlemu_dvsec_reset(&d, (enum cxlemu_reset_kind)(o[0] & 3) % 3);
			memcpy(prev, d.regs, sizeof(prev));
			check(&d, prev, false, true);
			continue;
		}
		if (o[0] & 0x80)
			off %= CXLEMU_DVSEC_MAX_LEN + 4;
		ret = cxlemu_dvsec_write(&d, off, width, val);
		if (ret) {
			if (memcmp(prev, d.regs, sizeof(prev)))
				abort();
		} else if ((width != 1 && width != 2 && width != 4) || off + width > d.len) {
			abort();
		}
		check(&d, prev, was_locked, n_reset != resets);
		memcpy(prev, d.regs, sizeof(prev));
		{
			u32 v;

			ret = cxlemu_dvsec_read(&d, off, width, &v);
			if (!ret && ((width != 1 && width != 2 && width != 4) || off + width > d.len))
				abort();
		}
	}
	return 0;
}
