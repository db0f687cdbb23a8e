// SPDX-License-Identifier: MIT
/*
 * Tests of the one walk per structure (core/regwalk.c): the Register
 * Locator DVSEC and the CXL.cache/mem capability array, over a read
 * callback that records every offset it is asked for, so that a walk that
 * reads outside what it was given fails here.
 */
#include "cxlemu.h"
#include "core_tap.h"

struct fake {
	u32 dw[1024];
	u32 size;		/* bytes readable */
	u32 max_read;		/* highest offset read + 4 */
	int fail_at;		/* offset whose read fails, or -1 */
};

static int fake_rd(void *priv, u32 off, u32 *val)
{
	struct fake *f = priv;

	if (off % 4 || off + 4 > f->size)
		return -ERANGE;
	if ((int)off == f->fail_at)
		return -EIO;
	if (off + 4 > f->max_read)
		f->max_read = off + 4;
	*val = f->dw[off / 4];
	return 0;
}

/* ---- Register Locator (CXL r3.1 8.1.9) --------------------------------- */

#define RL_LO(bir, id, off)	(FIELD_PREP_CONST(CXL_RL_BLOCK_LO_BIR, bir) | \
				 FIELD_PREP_CONST(CXL_RL_BLOCK_LO_ID, id) | \
				 ((u32)(off) & CXL_RL_BLOCK_LO_OFFSET))

static void rl_set(struct fake *f, unsigned int n, u32 lo, u32 hi)
{
	f->dw[CXL_RL_BLOCK_LO(n) / 4] = lo;
	f->dw[CXL_RL_BLOCK_HI(n) / 4] = hi;
}

static const struct rl_case {
	const char *name;
	unsigned int nblocks;	/* blocks in the DVSEC length */
	u32 lo[3], hi[3];
	int len_adj;		/* added to the length */
	int fail_at;
	int ret;
	u8 bar;
	u64 off;
} rl_cases[] = {
	{ "type-3 layout: component block alone at BAR 0 + 0", 1,
	  { RL_LO(0, CXL_RL_ID_COMPONENT, 0) }, { 0 }, 0, -1, 0, 0, 0 },
	{ "accelerator layout: component block at BAR 0 + 0x10000 after a vendor block", 2,
	  { RL_LO(0, CXL_RL_ID_VENDOR, 0), RL_LO(0, CXL_RL_ID_COMPONENT, 0x10000) }, { 0, 0 },
	  0, -1, 0, 0, 0x10000 },
	{ "BAR 2, offset above 4 GiB (high dword)", 1,
	  { RL_LO(2, CXL_RL_ID_COMPONENT, 0x30000) }, { 1 }, 0, -1, 0, 2, 0x100030000ULL },
	{ "no component block: -ENODEV", 2,
	  { RL_LO(0, CXL_RL_ID_MEMDEV, 0), RL_LO(0, CXL_RL_ID_EMPTY, 0) }, { 0, 0 },
	  0, -1, -ENODEV, 0, 0 },
	{ "a block past the length is not seen", 1,
	  { RL_LO(0, CXL_RL_ID_MEMDEV, 0), RL_LO(0, CXL_RL_ID_COMPONENT, 0x10000) }, { 0, 0 },
	  0, -1, -ENODEV, 0, 0 },
	{ "reserved BIR 6: -EINVAL", 1,
	  { RL_LO(6, CXL_RL_ID_COMPONENT, 0) }, { 0 }, 0, -1, -EINVAL, 0, 0 },
	{ "length shorter than the header: -EINVAL", 0, { 0 }, { 0 }, -4, -1, -EINVAL, 0, 0 },
	{ "length past config space: -EINVAL", 0, { 0 }, { 0 }, 0x1000, -1, -EINVAL, 0, 0 },
	{ "a read error is passed on", 1,
	  { RL_LO(0, CXL_RL_ID_COMPONENT, 0) }, { 0 }, 0, CXL_RL_BLOCK_LO(0), -EIO, 0, 0 },
};

static void rl_tests(void)
{
	static struct fake f;
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(rl_cases); i++) {
		const struct rl_case *c = &rl_cases[i];
		struct cxlemu_rl_block blk = { .bar = 0xee, .offset = 0xdead };
		u32 len = CXL_RL_BLOCK_BASE + c->nblocks * CXL_RL_BLOCK_STRIDE + c->len_adj;
		int ok = 1, ret;

		memset(&f, 0, sizeof(f));
		f.size = sizeof(f.dw);
		f.fail_at = c->fail_at;
		for (n = 0; n < 3; n++)
			rl_set(&f, n, c->lo[n], c->hi[n]);
		ret = cxlemu_rl_find_block(fake_rd, &f, len, CXL_RL_ID_COMPONENT, &blk);
		EXPECT_EQ(ok, ret, c->ret);
		if (!c->ret) {
			EXPECT_EQ(ok, blk.bar, c->bar);
			EXPECT_EQ(ok, blk.offset, c->off);
		} else {
			EXPECT_EQ(ok, blk.bar, 0xee);	/* untouched on error */
		}
		if (len >= CXL_RL_BLOCK_BASE && len <= 0x1000)
			EXPECT_EQ(ok, f.max_read <= len, 1);
		tap_result(ok, "regloc: %s", c->name);
		tap_flush(ok);
	}
}

/* ---- CXL.cache/mem capability array (CXL r3.1 8.2.4) ------------------- */

#define ENTRY(id, ptr)	(FIELD_PREP(CXL_CM_CAP_ENTRY_ID, id) | FIELD_PREP(CXL_CM_CAP_ENTRY_VER, 1) | \
			 FIELD_PREP(CXL_CM_CAP_ENTRY_PTR, ptr))
#define HDR(n)		(FIELD_PREP(CXL_CM_CAP_HDR_ID, CXL_CM_CAP_ID_CAP) | \
			 FIELD_PREP(CXL_CM_CAP_HDR_ARRAY_SIZE, n))

static void cm_area(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->size = CXL_COMP_CM_SIZE;
	f->fail_at = -1;
	f->dw[0] = HDR(3);
	f->dw[1] = ENTRY(CXL_CM_CAP_ID_RAS, 0x80);
	f->dw[2] = ENTRY(CXL_CM_CAP_ID_LINK, 0xd8);
	f->dw[3] = ENTRY(CXL_CM_CAP_ID_HDM, 0x128);
	f->dw[0x128 / 4] = FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, 0);	/* 1 decoder */
}

static void cm_tests(void)
{
	static struct fake f;
	struct cxlemu_hdm_loc loc;
	const char *why;
	u32 off = 0, n = 0;
	int ok;

	cm_area(&f);
	ok = 1;
	EXPECT_EQ(ok, cxlemu_cm_find_cap(fake_rd, &f, f.size, CXL_CM_CAP_ID_LINK, &off, &n, NULL), 0);
	EXPECT_EQ(ok, off, 0xd8);
	EXPECT_EQ(ok, n, 3);
	tap_result(ok, "cm: finds a capability other than HDM (Link at 0xd8), entry count 3");
	tap_flush(ok);

	cm_area(&f);
	ok = 1;
	EXPECT_EQ(ok, cxlemu_cm_find_hdm(fake_rd, &f, f.size, &loc, NULL), 0);
	EXPECT_EQ(ok, loc.off, 0x128);
	EXPECT_EQ(ok, loc.ndecoders, 1);
	EXPECT_EQ(ok, loc.nentries, 3);
	EXPECT_EQ(ok, f.max_read, 0x12c);	/* the array and the HDM capability register */
	tap_result(ok, "cm: HDM at 0x128, one decoder; nothing read but the array and the cap register");
	tap_flush(ok);

	cm_area(&f);
	n = 99;
	why = NULL;
	ok = 1;
	EXPECT_EQ(ok, cxlemu_cm_find_cap(fake_rd, &f, f.size, CXL_CM_CAP_ID_IDE, &off, &n, &why), -ENODEV);
	EXPECT_EQ(ok, n, 3);
	EXPECT_EQ(ok, why != NULL, 1);
	tap_result(ok, "cm: an absent capability is -ENODEV with the entry count set");
	tap_flush(ok);

	cm_area(&f);
	f.dw[0] = HDR(63);
	f.size = 16;
	why = NULL;
	ok = 1;
	EXPECT_EQ(ok, cxlemu_cm_find_hdm(fake_rd, &f, f.size, &loc, &why), -EINVAL);
	EXPECT_EQ(ok, f.max_read, 4);
	EXPECT_EQ(ok, why && strstr(why, "does not fit"), 1);
	tap_result(ok, "cm: an array longer than the area is refused before any entry is read");
	tap_flush(ok);

	cm_area(&f);
	f.dw[1] = ENTRY(CXL_CM_CAP_ID_RAS, 0xffc);
	f.size = 0x200;
	why = NULL;
	ok = 1;
	EXPECT_EQ(ok, cxlemu_cm_find_hdm(fake_rd, &f, f.size, &loc, &why), -EINVAL);
	EXPECT_EQ(ok, why && strstr(why, "bad offset"), 1);
	tap_result(ok, "cm: an entry other than HDM pointing past the area is refused");
	tap_flush(ok);

	cm_area(&f);
	f.dw[1] = 0;	/* QEMU's host bridge: the RAS slot left zero */
	ok = 1;
	EXPECT_EQ(ok, cxlemu_cm_find_hdm(fake_rd, &f, f.size, &loc, NULL), 0);
	EXPECT_EQ(ok, loc.off, 0x128);
	f.dw[1] = FIELD_PREP(CXL_CM_CAP_ENTRY_VER, 1);	/* version only: ptr 0, into the array */
	EXPECT_EQ(ok, cxlemu_cm_find_hdm(fake_rd, &f, f.size, &loc, NULL), -EINVAL);
	tap_result(ok, "cm: an all-zero entry is an unused slot; a non-zero one pointing at 0 is refused");
	tap_flush(ok);

	cm_area(&f);
	f.fail_at = CXL_CM_CAP_ENTRY(1);
	ok = 1;
	EXPECT_EQ(ok, cxlemu_cm_find_hdm(fake_rd, &f, f.size, &loc, NULL), -EIO);
	tap_result(ok, "cm: a read error is passed on");
	tap_flush(ok);

	cm_area(&f);
	f.fail_at = 0x128;
	ok = 1;
	EXPECT_EQ(ok, cxlemu_cm_find_hdm(fake_rd, &f, f.size, &loc, NULL), -EIO);
	tap_result(ok, "cm: a read error on the HDM capability register is passed on");
	tap_flush(ok);

	cm_area(&f);
	f.dw[0x128 / 4] = FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, 8);	/* 16 decoders */
	f.size = 0x128 + CXL_HDM_BLOCK_SIZE(15);
	why = NULL;
	ok = 1;
	EXPECT_EQ(ok, cxlemu_cm_find_hdm(fake_rd, &f, f.size, &loc, &why), -EINVAL);
	EXPECT_EQ(ok, why && strstr(why, "do not fit"), 1);
	f.size = 0x128 + CXL_HDM_BLOCK_SIZE(16);
	EXPECT_EQ(ok, cxlemu_cm_find_hdm(fake_rd, &f, f.size, &loc, NULL), 0);
	EXPECT_EQ(ok, loc.ndecoders, 16);
	tap_result(ok, "cm: 16 decoders fit an area one decoder longer only");
	tap_flush(ok);

	ok = 1;
	EXPECT_EQ(ok, cxlemu_cm_find_cap(NULL, &f, f.size, 5, &off, NULL, NULL), -EINVAL);
	EXPECT_EQ(ok, cxlemu_cm_find_cap(fake_rd, &f, f.size, 5, NULL, NULL, NULL), -EINVAL);
	EXPECT_EQ(ok, cxlemu_cm_find_hdm(fake_rd, &f, f.size, NULL, NULL), -EINVAL);
	EXPECT_EQ(ok, cxlemu_rl_find_block(NULL, &f, 0x14, 1, NULL), -EINVAL);
	tap_result(ok, "walks refuse NULL arguments");
	tap_flush(ok);
}

int main(void)
{
	rl_tests();
	cm_tests();
	return tap_done();
}
