// SPDX-License-Identifier: MIT
/*
 * Tests of the COMP_REGS region (core/comp_emu.c) and of the
 * VFIO_DEVICE_INFO_CAP_CXL encoder and hostile-input decoder
 * (core/vfio_cap.c), including its agreement with the UAPI header.
 */
#include <stddef.h>
#include "cxlemu.h"
#include "core_tap.h"
#include "uapi/linux/vfio_cxl.h"

/* The wire layout the decoder assumes is the UAPI struct's. */
static_assert(sizeof(struct vfio_device_info_cap_cxl) == CXLEMU_VFIO_CAP_SIZE, "size");
static_assert(offsetof(struct vfio_device_info_cap_cxl, hdm_regs_bar_index) == 8, "bar");
static_assert(offsetof(struct vfio_device_info_cap_cxl, flags) == 12, "flags");
static_assert(offsetof(struct vfio_device_info_cap_cxl, hdm_regs_offset) == 16, "offset");
static_assert(offsetof(struct vfio_device_info_cap_cxl, dpa_region_index) == 24, "dpa");
static_assert(offsetof(struct vfio_device_info_cap_cxl, comp_regs_region_index) == 28, "comp");
static_assert(offsetof(struct vfio_device_info, cap_offset) + 4 == CXLEMU_VFIO_INFO_MIN_OFF, "info");
static_assert(VFIO_DEVICE_INFO_CAP_CXL == CXLEMU_VFIO_CAP_ID, "id");
static_assert(VFIO_DEVICE_INFO_CAP_CXL_VERSION == CXLEMU_VFIO_CAP_VERSION, "version");
static_assert(VFIO_CXL_CAP_FIRMWARE_COMMITTED == CXLEMU_VFIO_CAP_FIRMWARE_COMMITTED, "fw");
static_assert(VFIO_CXL_CAP_CACHE_CAPABLE == CXLEMU_VFIO_CAP_CACHE_CAPABLE, "cache");

/* ---- COMP_REGS ---------------------------------------------------------- */

#define AREA_DW		(CXL_COMP_CM_SIZE / 4)
#define ENTRY(id, ptr)	(FIELD_PREP(CXL_CM_CAP_ENTRY_ID, id) | FIELD_PREP(CXL_CM_CAP_ENTRY_VER, 1) | \
			 FIELD_PREP(CXL_CM_CAP_ENTRY_PTR, ptr))
#define HDR(n)		(FIELD_PREP(CXL_CM_CAP_HDR_ID, CXL_CM_CAP_ID_CAP) | \
			 FIELD_PREP(CXL_CM_CAP_HDR_VER, 1) | FIELD_PREP(CXL_CM_CAP_HDR_CM_VER, 1) | \
			 FIELD_PREP(CXL_CM_CAP_HDR_ARRAY_SIZE, n))
#define QEMU_HDM_CAP	0x00001b12	/* cxl-type3, PLATFORM-NOTES.md */

/* The CXL.cache/mem area of QEMU's cxl-type3 (RAS, Link, HDM). */
static void qemu_area(u32 *a, u32 hdm_off)
{
	memset(a, 0, AREA_DW * 4);
	a[0] = HDR(3);
	a[1] = ENTRY(CXL_CM_CAP_ID_RAS, 0x80);
	a[2] = ENTRY(CXL_CM_CAP_ID_LINK, 0xd8);
	a[3] = ENTRY(CXL_CM_CAP_ID_HDM, hdm_off);
	a[0x80 / 4] = 0x12345678;	/* RAS contents: not exposed */
	a[hdm_off / 4] = QEMU_HDM_CAP;
}

static void comp_cases(void)
{
	static u32 a[AREA_DW];
	struct cxlemu_comp c;
	u64 v = 0;
	int ok;

	qemu_area(a, 0x128);
	TAP_CHECK("comp: the header the platform notes give is what qemu_area builds", a[0] == 0x03110001);
	ok = 1;
	EXPECT_EQ(ok, cxlemu_comp_init(&c, a, AREA_DW, 1ULL << 28, NULL, NULL), 0);
	EXPECT_EQ(ok, c.hdm_off, 0x128);
	EXPECT_EQ(ok, c.hdm.ndecoders, 4);
	EXPECT_EQ(ok, cxlemu_comp_size(&c), 0x128 + CXL_HDM_BLOCK_SIZE(4));
	EXPECT_EQ(ok, c.hdm.dpa_size, 1ULL << 28);
	EXPECT_EQ(ok, c.hdm.endpoint, 1);
	tap_result(ok, "comp: init on QEMU's cxl-type3 layout");
	tap_flush(ok);

	ok = 1;
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 0, 4, &v), 0);
	EXPECT_EQ(ok, v, 0x03110001);
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 12, 4, &v), 0);
	EXPECT_EQ(ok, v, ENTRY(CXL_CM_CAP_ID_HDM, 0x128));
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 0, 8, &v), 0);
	EXPECT_EQ(ok, v, (u64)a[1] << 32 | a[0]);
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 0x80, 4, &v), 0);
	EXPECT_EQ(ok, v, 0);
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 0x128, 4, &v), 0);
	EXPECT_EQ(ok, v, QEMU_HDM_CAP);
	tap_result(ok, "comp: capability array readable, other capabilities read 0, HDM cap at its offset");
	tap_flush(ok);

	ok = 1;
	EXPECT_EQ(ok, cxlemu_comp_write(&c, 0, 4, 0), -EPERM);
	EXPECT_EQ(ok, cxlemu_comp_write(&c, 0x80, 4, 0), -EPERM);
	EXPECT_EQ(ok, cxlemu_comp_write(&c, 0, 8, 0), -EPERM);
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 0, 4, &v), 0);
	EXPECT_EQ(ok, v, 0x03110001);
	tap_result(ok, "comp: capability array writes refused with -EPERM");
	tap_flush(ok);

	ok = 1;
	EXPECT_EQ(ok, cxlemu_comp_write(&c, 0x128 + CXL_HDM_GCTRL, 4, CXL_HDM_GCTRL_ENABLE), 0);
	EXPECT_EQ(ok, cxlemu_comp_write(&c, 0x128 + CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_BASE_LO, 8,
					0x490000000ULL), 0);
	EXPECT_EQ(ok, cxlemu_comp_write(&c, 0x128 + CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_SIZE_LO, 8,
					1ULL << 28), 0);
	EXPECT_EQ(ok, cxlemu_comp_write(&c, 0x128 + CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL, 4,
					CXL_HDM_DEC_CTRL_COMMIT | CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT |
					CXL_HDM_DEC_CTRL_TARGET_TYPE), 0);
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 0x128 + CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL, 4, &v), 0);
	EXPECT_EQ(ok, v, 0x1700);	/* PLATFORM-NOTES: 0x1300 commits to 0x1700 */
	EXPECT_EQ(ok, cxlemu_hdm_locked(&c.hdm, 0), 1);
	tap_result(ok, "comp: commit and lock decoder 0 through the region (reads 0x1700)");
	tap_flush(ok);

	ok = 1;
	EXPECT_EQ(ok, cxlemu_comp_read(&c, cxlemu_comp_size(&c), 4, &v), -ERANGE);
	EXPECT_EQ(ok, cxlemu_comp_read(&c, cxlemu_comp_size(&c) - 4, 4, &v), 0);
	EXPECT_EQ(ok, cxlemu_comp_write(&c, 0xfffffffc, 4, 0), -ERANGE);
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 2, 4, &v), -EINVAL);
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 4, 8, &v), -EINVAL);
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 0, 2, &v), -EINVAL);
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 0x128, 8, &v), -EINVAL);	/* cap+gctrl not 64-bit */
	tap_result(ok, "comp: out-of-range, unaligned and odd-width accesses refused");
	tap_flush(ok);

	/* HDM block at 0x12c: an aligned 8-byte access at 0x128 straddles it */
	qemu_area(a, 0x12c);
	ok = 1;
	EXPECT_EQ(ok, cxlemu_comp_init(&c, a, AREA_DW, 0, NULL, NULL), 0);
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 0x128, 8, &v), -EINVAL);
	EXPECT_EQ(ok, cxlemu_comp_write(&c, 0x128, 8, 0), -EINVAL);
	EXPECT_EQ(ok, cxlemu_comp_read(&c, 0x12c, 4, &v), 0);
	EXPECT_EQ(ok, v, QEMU_HDM_CAP);
	tap_result(ok, "comp: an access straddling the array and the HDM block is refused");
	tap_flush(ok);

	/* malformed arrays */
	qemu_area(a, 0x128);
	a[0] = u32_replace_bits(a[0], 2, CXL_CM_CAP_HDR_ID);
	TAP_CHECK("comp: refuses a header id other than 1", cxlemu_comp_init(&c, a, AREA_DW, 0, NULL, NULL) == -EINVAL);
	qemu_area(a, 0x128);
	a[0] = HDR(0);
	TAP_CHECK("comp: refuses an empty array", cxlemu_comp_init(&c, a, AREA_DW, 0, NULL, NULL) == -EINVAL);
	qemu_area(a, 0x128);
	TAP_CHECK("comp: refuses an array longer than the snapshot",
		  cxlemu_comp_init(&c, a, 3, 0, NULL, NULL) == -EINVAL);
	qemu_area(a, 0x128);
	a[0] = HDR(CXLEMU_CAPARRAY_MAX);
	TAP_CHECK("comp: refuses an array longer than CXLEMU_CAPARRAY_MAX",
		  cxlemu_comp_init(&c, a, AREA_DW, 0, NULL, NULL) == -EINVAL);
	qemu_area(a, 0x128);
	a[1] = ENTRY(CXL_CM_CAP_ID_RAS, 0x8);
	TAP_CHECK("comp: refuses an entry pointing into the array",
		  cxlemu_comp_init(&c, a, AREA_DW, 0, NULL, NULL) == -EINVAL);
	qemu_area(a, 0x128);
	a[2] = ENTRY(CXL_CM_CAP_ID_LINK, 0xda);
	TAP_CHECK("comp: refuses an entry pointer that is not dword aligned (found by fuzzing)",
		  cxlemu_comp_init(&c, a, AREA_DW, 0, NULL, NULL) == -EINVAL);
	qemu_area(a, 0x128);
	TAP_CHECK("comp: refuses an entry pointing past the snapshot",
		  cxlemu_comp_init(&c, a, 0x100 / 4, 0, NULL, NULL) == -EINVAL);
	qemu_area(a, 0x128);
	a[3] = ENTRY(CXL_CM_CAP_ID_EXT_HDM, 0x128);
	TAP_CHECK("comp: -ENODEV without an HDM Decoder Capability",
		  cxlemu_comp_init(&c, a, AREA_DW, 0, NULL, NULL) == -ENODEV);
	qemu_area(a, 0x128);
	a[2] = ENTRY(CXL_CM_CAP_ID_HDM, 0xd8);
	TAP_CHECK("comp: refuses two HDM Decoder Capabilities",
		  cxlemu_comp_init(&c, a, AREA_DW, 0, NULL, NULL) == -EINVAL);
	qemu_area(a, 0x128);
	TAP_CHECK("comp: refuses an HDM block running past the snapshot",
		  cxlemu_comp_init(&c, a, (0x128 + 0x40) / 4, 0, NULL, NULL) == -EINVAL);
	/* the exact boundaries: a snapshot that ends with the 4-decoder block, 4 bytes short */
	qemu_area(a, 0x128);
	TAP_CHECK("comp: accepts a snapshot that ends exactly with the HDM block",
		  cxlemu_comp_init(&c, a, (0x128 + CXL_HDM_BLOCK_SIZE(4)) / 4, 0, NULL, NULL) == 0 &&
		  cxlemu_comp_size(&c) == 0x128 + 0x90);
	qemu_area(a, 0x128);
	TAP_CHECK("comp: refuses a snapshot 4 bytes short of the HDM block",
		  cxlemu_comp_init(&c, a, (0x128 + CXL_HDM_BLOCK_SIZE(4)) / 4 - 1, 0, NULL, NULL) == -EINVAL);
	qemu_area(a, 0x128);
	a[1] = ENTRY(CXL_CM_CAP_ID_RAS, 0x128 + 0x90);
	TAP_CHECK("comp: refuses an entry pointing exactly at the snapshot's end",
		  cxlemu_comp_init(&c, a, (0x128 + CXL_HDM_BLOCK_SIZE(4)) / 4, 0, NULL, NULL) == -EINVAL);
	qemu_area(a, 0x128);
	a[1] = ENTRY(CXL_CM_CAP_ID_RAS, 0x128 + 0x8c);
	TAP_CHECK("comp: accepts an entry pointing at the snapshot's last dword",
		  cxlemu_comp_init(&c, a, (0x128 + CXL_HDM_BLOCK_SIZE(4)) / 4, 0, NULL, NULL) == 0);
	qemu_area(a, 0x1000 - 0x90);
	TAP_CHECK("comp: accepts an HDM block ending at the 4 KiB area's end",
		  cxlemu_comp_init(&c, a, AREA_DW, 0, NULL, NULL) == 0);
	qemu_area(a, 0x1000 - 0x90 + 4);
	TAP_CHECK("comp: refuses an HDM block running 4 bytes past the 4 KiB area",
		  cxlemu_comp_init(&c, a, AREA_DW, 0, NULL, NULL) == -EINVAL);
	qemu_area(a, 0xf80);
	a[0xf80 / 4] = FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, 4);
	TAP_CHECK("comp: refuses an HDM block running past the 4 KiB area",
		  cxlemu_comp_init(&c, a, AREA_DW, 0, NULL, NULL) == -EINVAL);
	{
		static u32 big[2 * AREA_DW];

		qemu_area(big, 0xf80);
		big[0xf80 / 4] = FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, 4);
		TAP_CHECK("comp: refuses an HDM block past 4 KiB even in a longer snapshot",
			  cxlemu_comp_init(&c, big, 2 * AREA_DW, 0, NULL, NULL) == -EINVAL);
	}
	qemu_area(a, 0x128);
	TAP_CHECK("comp: passes cxlemu_hdm_init()'s refusal on (unaligned DPA size)",
		  cxlemu_comp_init(&c, a, AREA_DW, 4096, NULL, NULL) == -EINVAL);
	qemu_area(a, 0x128);
	a[0x128 / 4] = FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, 0xe);
	TAP_CHECK("comp: refuses a reserved decoder count",
		  cxlemu_comp_init(&c, a, AREA_DW, 0, NULL, NULL) == -EINVAL);
	TAP_CHECK("comp: refuses NULL", cxlemu_comp_init(&c, NULL, AREA_DW, 0, NULL, NULL) == -EINVAL &&
		  cxlemu_comp_init(&c, a, 0, 0, NULL, NULL) == -EINVAL);
}

/* ---- VFIO capability ---------------------------------------------------- */

static const struct cxlemu_vfio_cap good = {
	.hdm_regs_bar_index = 0,
	.flags = CXLEMU_VFIO_CAP_FIRMWARE_COMMITTED,
	.hdm_regs_offset = 0x1000,
	.dpa_region_index = 9,
	.comp_regs_region_index = 10,
};

/* An info reply: struct vfio_device_info, then caps at @off... */
static void put_hdr(u8 *b, u32 off, u16 id, u16 ver, u32 next)
{
	put_unaligned_le16(id, b + off);
	put_unaligned_le16(ver, b + off + 2);
	put_unaligned_le32(next, b + off + 4);
}

static int cap_eq(const struct cxlemu_vfio_cap *a, const struct cxlemu_vfio_cap *b)
{
	return a->hdm_regs_bar_index == b->hdm_regs_bar_index && a->flags == b->flags &&
	       a->hdm_regs_offset == b->hdm_regs_offset && a->dpa_region_index == b->dpa_region_index &&
	       a->comp_regs_region_index == b->comp_regs_region_index;
}

struct vcase {
	const char *name;
	int ret;
	void (*mutate)(u8 *b, u32 *len, u32 *cap_off);
};

/* Baseline: a sparse-mmap-like cap at 24 (id 1, 16 bytes) then CXL at 40. */
static void baseline(u8 *b, u32 *len, u32 *cap_off)
{
	memset(b, 0, 1024);
	put_unaligned_le32(72, b);		/* argsz */
	put_unaligned_le32(24, b + 16);		/* cap_offset */
	put_hdr(b, 24, 1, 1, 40);
	cxlemu_vfio_cap_encode(b + 40, 32, 0, &good);
	*len = 72;
	*cap_off = 24;
}

static void m_none(u8 *b, u32 *len, u32 *off) { }
static void m_off0(u8 *b, u32 *len, u32 *off) { *off = 0; }
static void m_nocxl(u8 *b, u32 *len, u32 *off) { put_hdr(b, 24, 1, 1, 0); }
static void m_cxl_first(u8 *b, u32 *len, u32 *off) { *off = 40; }
static void m_low(u8 *b, u32 *len, u32 *off) { *off = 16; }
static void m_unaligned(u8 *b, u32 *len, u32 *off) { *off = 26; }
static void m_beyond(u8 *b, u32 *len, u32 *off) { *off = 72; }
static void m_far(u8 *b, u32 *len, u32 *off) { *off = 0xfffffff8; }
static void m_trunc(u8 *b, u32 *len, u32 *off) { *len = 70; }
static void m_hdr_trunc(u8 *b, u32 *len, u32 *off) { *len = 30; }
static void m_loop(u8 *b, u32 *len, u32 *off) { put_hdr(b, 24, 1, 1, 24); }
static void m_back(u8 *b, u32 *len, u32 *off) { put_unaligned_le32(24, b + 44); put_hdr(b, 24, 1, 1, 40); }
static void m_overlap(u8 *b, u32 *len, u32 *off) { put_hdr(b, 24, 1, 1, 28); }
static void m_into_cxl(u8 *b, u32 *len, u32 *off)
{
	*len = 200;
	put_unaligned_le32(48, b + 44);	/* next points inside the CXL cap body */
	put_hdr(b, 48, 1, 1, 0);
}
static void m_dup(u8 *b, u32 *len, u32 *off)
{
	*len = 200;
	put_unaligned_le32(80, b + 44);
	cxlemu_vfio_cap_encode(b + 80, 32, 0, &good);
}
static void m_after(u8 *b, u32 *len, u32 *off)
{
	*len = 200;
	put_unaligned_le32(72, b + 44);
	put_hdr(b, 72, 3, 1, 0);
}
static void m_bad_next_after(u8 *b, u32 *len, u32 *off)
{
	*len = 200;
	put_unaligned_le32(72, b + 44);
	put_hdr(b, 72, 3, 1, 400);
}
/* @n headers 8 bytes apart from 24, the last one the CXL capability */
static void chain_of(u8 *b, u32 *len, unsigned int n)
{
	u32 o = 24, i;

	*len = 1024;
	for (i = 0; i + 1 < n; i++, o += 8)
		put_hdr(b, o, 1, 1, o + 8);
	cxlemu_vfio_cap_encode(b + o, 32, 0, &good);
}
static void m_64(u8 *b, u32 *len, u32 *off) { chain_of(b, len, 64); }
static void m_long(u8 *b, u32 *len, u32 *off) { chain_of(b, len, 65); }
static void m_version(u8 *b, u32 *len, u32 *off) { put_unaligned_le16(2, b + 42); }
static void m_rsvd(u8 *b, u32 *len, u32 *off) { b[40 + 10] = 1; }
static void m_flags(u8 *b, u32 *len, u32 *off) { b[40 + 12] |= 4; }
static void m_bar(u8 *b, u32 *len, u32 *off) { b[40 + 8] = 6; }
static void m_offset(u8 *b, u32 *len, u32 *off) { b[40 + 16] = 8; }
static void m_same_idx(u8 *b, u32 *len, u32 *off) { b[40 + 28] = 9; }

static const struct vcase vcases[] = {
	{ "decodes the CXL capability second in a chain", 0, m_none },
	{ "decodes the CXL capability first in a chain", 0, m_cxl_first },
	{ "decodes the CXL capability followed by another", 0, m_after },
	{ "-ENOENT for cap_offset 0", -ENOENT, m_off0 },
	{ "-ENOENT for a chain without the CXL capability", -ENOENT, m_nocxl },
	{ "refuses an offset inside struct vfio_device_info", -EPROTO, m_low },
	{ "refuses an unaligned offset", -EPROTO, m_unaligned },
	{ "refuses a header at the end of the valid bytes", -EPROTO, m_beyond },
	{ "refuses an offset near 4 GiB (no wrap)", -EPROTO, m_far },
	{ "refuses a truncated CXL capability", -EPROTO, m_trunc },
	{ "refuses a truncated header", -EPROTO, m_hdr_trunc },
	{ "refuses a self loop", -EPROTO, m_loop },
	{ "refuses a backwards next", -EPROTO, m_back },
	{ "refuses a next overlapping its header", -EPROTO, m_overlap },
	{ "refuses a next inside the CXL capability", -EPROTO, m_into_cxl },
	{ "refuses a second CXL capability", -EPROTO, m_dup },
	{ "refuses a later header past the valid bytes", -EPROTO, m_bad_next_after },
	{ "decodes a chain of exactly 64 entries", 0, m_64 },
	{ "refuses a chain longer than 64 entries", -EPROTO, m_long },
	{ "refuses version 2", -EPROTO, m_version },
	{ "refuses nonzero reserved bytes", -EPROTO, m_rsvd },
	{ "refuses unknown flags", -EPROTO, m_flags },
	{ "refuses BAR index 6", -EPROTO, m_bar },
	{ "refuses hdm_regs_offset not 4 KiB aligned", -EPROTO, m_offset },
	{ "refuses equal region indices", -EPROTO, m_same_idx },
};

static void vcap_cases(void)
{
	static u8 b[1024];
	struct cxlemu_vfio_cap out, sentinel = { .hdm_regs_bar_index = 0xee, .flags = 0xeeee };
	struct vfio_device_info_cap_cxl u;
	unsigned int i;
	u32 len, off;
	int ok, ret;

	for (i = 0; i < ARRAY_SIZE(vcases); i++) {
		ok = 1;
		baseline(b, &len, &off);
		vcases[i].mutate(b, &len, &off);
		out = sentinel;
		ret = cxlemu_vfio_cap_decode(b, len, off, &out);
		EXPECT_EQ(ok, ret, vcases[i].ret);
		if (!ret)
			EXPECT_EQ(ok, cap_eq(&out, &good), 1);
		else
			EXPECT_EQ(ok, cap_eq(&out, &sentinel), 1);	/* untouched */
		tap_result(ok, "vcap: %s", vcases[i].name);
		tap_flush(ok);
	}

	ok = 1;
	memset(b, 0xaa, sizeof(b));
	EXPECT_EQ(ok, cxlemu_vfio_cap_encode(b, 32, 0x40, &good), 0);
	memcpy(&u, b, sizeof(u));
	EXPECT_EQ(ok, u.header.id, VFIO_DEVICE_INFO_CAP_CXL);
	EXPECT_EQ(ok, u.header.version, VFIO_DEVICE_INFO_CAP_CXL_VERSION);
	EXPECT_EQ(ok, u.header.next, 0x40);
	EXPECT_EQ(ok, u.hdm_regs_bar_index, good.hdm_regs_bar_index);
	EXPECT_EQ(ok, u.reserved[0] | u.reserved[1] | u.reserved[2], 0);
	EXPECT_EQ(ok, u.flags, good.flags);
	EXPECT_EQ(ok, u.hdm_regs_offset, good.hdm_regs_offset);
	EXPECT_EQ(ok, u.dpa_region_index, good.dpa_region_index);
	EXPECT_EQ(ok, u.comp_regs_region_index, good.comp_regs_region_index);
	EXPECT_EQ(ok, b[32], 0xaa);	/* nothing written past 32 bytes */
	tap_result(ok, "vcap: encoding matches struct vfio_device_info_cap_cxl field by field");
	tap_flush(ok);

	out = good;
	out.flags = 1U << 5;
	TAP_CHECK("vcap: encode refuses unknown flags", cxlemu_vfio_cap_encode(b, 32, 0, &out) == -EINVAL);
	TAP_CHECK("vcap: encode refuses a short buffer", cxlemu_vfio_cap_encode(b, 31, 0, &good) == -EINVAL);
	TAP_CHECK("vcap: decode refuses NULL", cxlemu_vfio_cap_decode(NULL, 64, 24, &out) == -EINVAL);
}

int main(void)
{
	comp_cases();
	vcap_cases();
	return tap_done();
}
