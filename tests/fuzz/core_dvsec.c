// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the CXL Device DVSEC write path (core/dvsec_emu.c), in
 * lockstep with the independent reference model of
 * tests/unit/core_dvsec_model.h (not the emulation's own permission table).
 * Input: 60 bytes of device image (header forced valid), an ops byte, then
 * 6-byte accesses. It asserts:
 *   - right after init, every byte equals the image the model computes from
 *     the device's bytes (reserved bits 0, Range Bases 0, CONFIG_LOCK open,
 *     doorbell results 0, doorbell capabilities hidden without handlers);
 *   - after every access and every reset, the return value, every byte and
 *     the callback counts equal the model's;
 *   - an access outside the DVSEC (or any refused access) changes nothing;
 *   - CONFIG_LOCK stays set until a conventional reset, and while it is set
 *     Control and the Range Bases do not change (unless a CXL reset ran).
 */
#include "cxlemu.h"
#include "../unit/core_dvsec_model.h"

struct calls {
	int wbi, rst, on, off;
};

static struct calls calls;

/* every fourth CXL reset fails; write-back and invalidate always works */
static bool rst_fails(int n)
{
	return (n & 3) == 3;
}

static bool wbi_fails(int n)
{
	return false;
}

static int op_reset(void *priv)
{
	return rst_fails(++calls.rst) ? -EIO : 0;
}

static int op_wbi(void *priv)
{
	return wbi_fails(++calls.wbi) ? -EIO : 0;
}

static void op_mem(void *priv, bool on)
{
	if (on)
		calls.on++;
	else
		calls.off++;
}

static const struct cxlemu_dvsec_ops ops_all = {
	.cxl_reset = op_reset, .cache_wbi = op_wbi, .mem_enable = op_mem,
};

static void same(struct cxlemu_dvsec *d, const struct dmodel *m)
{
	unsigned int k;

	for (k = 0; k < m->len; k++) {
		u32 v;

		if (cxlemu_dvsec_read(d, k, 1, &v) || v != m->r[k])
			abort();	/* differs from the reference model */
	}
	if (calls.wbi != m->n_wbi || calls.rst != m->n_rst || calls.on != m->n_on ||
	    calls.off != m->n_off)
		abort();
	if (d->config_locked != !!FIELD_GET(CXL_DVSEC_LOCK_CONFIG_LOCK,
					    get_unaligned_le16(m->r + CXL_DVSEC_LOCK)))
		abort();
}

/* Registers CONFIG_LOCK freezes (CXL r3.1 8.1.3.2, 8.1.3.8): RWL. */
static bool locked_regs_same(const u8 *a, const u8 *b)
{
	return !memcmp(a + CXL_DVSEC_CTRL, b + CXL_DVSEC_CTRL, 2) &&
	       !memcmp(a + CXL_DVSEC_RANGE_BASE_HI(0), b + CXL_DVSEC_RANGE_BASE_HI(0), 8) &&
	       !memcmp(a + CXL_DVSEC_RANGE_BASE_HI(1), b + CXL_DVSEC_RANGE_BASE_HI(1), 8);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct cxlemu_dvsec d;
	static struct dmodel m;
	u8 hw[CXLEMU_DVSEC_MAX_LEN], prev[CXLEMU_DVSEC_MAX_LEN];
	bool with_ops;
	u32 len;
	size_t p;

	if (size < CXLEMU_DVSEC_MAX_LEN + 1)
		return 0;
	memcpy(hw, data, sizeof(hw));
	len = data[CXLEMU_DVSEC_MAX_LEN] & 1 ? CXL_DVSEC_DEV_LEN_R1 : CXL_DVSEC_DEV_LEN_R2;
	with_ops = data[CXLEMU_DVSEC_MAX_LEN] & 2;
	put_unaligned_le32(FIELD_PREP(CXL_PCI_EXT_CAP_HDR_ID, CXL_PCI_EXT_CAP_ID_DVSEC) |
			   (get_unaligned_le32(hw) & ~(u32)CXL_PCI_EXT_CAP_HDR_ID), hw);
	put_unaligned_le32(FIELD_PREP(CXL_DVSEC_HDR1_VENDOR, CXL_DVSEC_VENDOR_ID) |
			   (get_unaligned_le32(hw + CXL_DVSEC_HDR1) & CXL_DVSEC_HDR1_REV) |
			   FIELD_PREP(CXL_DVSEC_HDR1_LEN, len), hw + CXL_DVSEC_HDR1);
	put_unaligned_le16(CXL_DVSEC_ID_DEVICE, hw + CXL_DVSEC_HDR2);
	memset(&calls, 0, sizeof(calls));
	if (cxlemu_dvsec_init(&d, hw, len, with_ops ? &ops_all : NULL, NULL))
		abort();
	memset(&m, 0, sizeof(m));
	m.wbi_fails = wbi_fails;
	m.rst_fails = rst_fails;
	dm_init(&m, hw, len, with_ops);
	same(&d, &m);

	for (p = CXLEMU_DVSEC_MAX_LEN + 1; p + 6 <= size; p += 6) {
		const u8 *o = data + p;
		unsigned int width = o[0] & 7;
		u32 off = o[1];
		u32 val = get_unaligned_le32(o + 2);
		bool was_locked = d.config_locked;
		int resets = calls.rst, ret;

		memcpy(prev, m.r, sizeof(prev));
		if ((o[0] & 0xf0) == 0xf0) {
			enum cxlemu_reset_kind kind = (enum cxlemu_reset_kind)((o[0] & 3) % 3);

			cxlemu_dvsec_reset(&d, kind);
			if (kind != CXLEMU_RESET_FLR)
				dm_reset(&m, kind == CXLEMU_RESET_CXL);
			same(&d, &m);
			/* only a conventional reset opens the lock */
			if (was_locked && kind != CXLEMU_RESET_CONVENTIONAL && !d.config_locked)
				abort();
			continue;
		}
		if (o[0] & 0x80)
			off %= CXLEMU_DVSEC_MAX_LEN + 4;
		ret = cxlemu_dvsec_write(&d, off, width, val);
		if (ret != dm_write(&m, off, width, val))
			abort();
		same(&d, &m);
		if (ret) {
			if (memcmp(prev, m.r, sizeof(prev)))
				abort();	/* refused, yet something changed */
		} else if ((width != 1 && width != 2 && width != 4) || off + width > d.len) {
			abort();
		}
		if (was_locked && calls.rst == resets && (!d.config_locked || !locked_regs_same(prev, m.r)))
			abort();	/* a locked register changed */
		{
			u32 v;

			ret = cxlemu_dvsec_read(&d, off, width, &v);
			if (!ret && ((width != 1 && width != 2 && width != 4) || off + width > d.len))
				abort();
		}
	}
	return 0;
}
