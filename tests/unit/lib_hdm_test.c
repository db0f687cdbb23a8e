// SPDX-License-Identifier: MIT
/*
 * libvfiocxl's bounds against the COMP_REGS region (lib/hdm.c) through the
 * fake VFIO layer: the HDM Decoder Capability and its decoder block must lie
 * inside the region the kernel reports, checked at the exact boundaries
 * (a region that holds the block exactly, one 4 bytes or one decoder
 * short, a capability header that ends at or past the region's end), the
 * Decoder Count encodings up to 32 decoders, the accessors' own bounds and
 * alignment (refused by the library, before the kernel sees them), and the
 * reserved bits of the decoder registers it reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "lib_fake.h"

#define HDR_ENTRY(id, ptr)	(FIELD_PREP(CXL_CM_CAP_ENTRY_ID, id) | FIELD_PREP(CXL_CM_CAP_ENTRY_PTR, ptr))
#define DEC_REG(n, r)		((FAKE_HDM_OFF + CXL_HDM_DEC_OFF(n) + (r)) / 4)

static int open_dev(struct vfio_cxl_dev **dev)
{
	struct vfio_cxl_ctx *ctx = fake_ctx();
	int rc;

	rc = vfio_cxl_dev_open(ctx, FAKE_ADDR, 0, dev);
	vfio_cxl_unref(ctx);
	return rc;
}

static void comp_size(uint64_t size)
{
	fake_region(FAKE_COMP_INDEX)->size = size;
}

static void hdm_at(uint32_t off)
{
	fake.comp[3] = HDR_ENTRY(CXL_CM_CAP_ID_HDM, off);
}

static void count_enc(uint32_t enc)
{
	fake.comp[FAKE_HDM_OFF / 4] = FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, enc);
}

/* setups: the fake's good device changed in one way */
static void s_exact(void) { comp_size(FAKE_HDM_OFF + 0x90); }
static void s_short4(void) { comp_size(FAKE_HDM_OFF + 0x90 - 4); }
static void s_short_decoder(void) { comp_size(FAKE_HDM_OFF + 0x90 - 0x20); }
static void s_longer(void) { comp_size(FAKE_HDM_OFF + 0x90 + 0x44); }
static void s_cap_at_end(void) { hdm_at(FAKE_COMP_SIZE); }
static void s_cap_hdr_past_end(void) { hdm_at(FAKE_COMP_SIZE - 8); }
static void s_cap_hdr_at_end(void) { hdm_at(FAKE_COMP_SIZE - 0x10); }
static void s_one_decoder_exact(void) { count_enc(0); comp_size(FAKE_HDM_OFF + 0x30); }
static void s_one_decoder_short(void) { count_enc(0); comp_size(FAKE_HDM_OFF + 0x2c); }
static void s_20_exact(void) { count_enc(9); comp_size(FAKE_HDM_OFF + 0x10 + 20 * 0x20); }
static void s_20_short(void) { count_enc(9); comp_size(FAKE_HDM_OFF + 0x10 + 20 * 0x20 - 4); }
static void s_32_exact(void) { count_enc(0xc); comp_size(FAKE_HDM_OFF + 0x410); }
static void s_32_short(void) { count_enc(0xc); comp_size(FAKE_HDM_OFF + 0x40c); }
static void s_array_fills_region(void)
{
	/* header + 3 entries = 16 bytes: a 16-byte region holds the array, not the HDM block */
	comp_size(16);
	hdm_at(16);
}
static void s_comp_index_count(void)
{
	struct vfio_device_info_cap_cxl *cap = (void *)(fake.info + fake_info()->cap_offset);

	cap->comp_regs_region_index = FAKE_NREGIONS;
}
static void s_dpa_index_count(void)
{
	struct vfio_device_info_cap_cxl *cap = (void *)(fake.info + fake_info()->cap_offset);

	cap->dpa_region_index = FAKE_NREGIONS;
}

static const struct {
	const char *name;
	void (*setup)(void);
	int rc;
	unsigned int ndec;	/* when rc == 0 */
	const char *msg;	/* when rc != 0: expected in the log */
} cases[] = {
	{ "region holds the 4-decoder block exactly", s_exact, 0, 4, NULL },
	{ "region 4 bytes short of the block", s_short4, -EPROTO, 0, "4 HDM decoders do not fit" },
	{ "region one decoder short of the block", s_short_decoder, -EPROTO, 0, "do not fit" },
	{ "region longer than the block", s_longer, 0, 4, NULL },
	{ "HDM capability at the region's end", s_cap_at_end, -EPROTO, 0,
	  "bad offset 0x1b8: the capability array reaches past the region (440 bytes)" },
	{ "HDM capability header running past the end", s_cap_hdr_past_end, -EPROTO, 0,
	  "1 HDM decoders do not fit COMP_REGS (440 bytes, HDM at 0x1b0)" },
	{ "HDM header fits, its decoders do not", s_cap_hdr_at_end, -EPROTO, 0, "do not fit" },
	{ "1 decoder (encoding 0), region exact", s_one_decoder_exact, 0, 1, NULL },
	{ "1 decoder (encoding 0), region 4 bytes short", s_one_decoder_short, -EPROTO, 0,
	  "1 HDM decoders do not fit" },
	{ "20 decoders (encoding 9), region exact", s_20_exact, 0, 20, NULL },
	{ "20 decoders (encoding 9), region 4 bytes short", s_20_short, -EPROTO, 0,
	  "20 HDM decoders do not fit" },
	{ "32 decoders (encoding 0xc), region exact", s_32_exact, 0, 32, NULL },
	{ "32 decoders (encoding 0xc), region 4 bytes short", s_32_short, -EPROTO, 0,
	  "32 HDM decoders do not fit" },
	{ "region holding the array only", s_array_fills_region, -EPROTO, 0, "bad offset 0x10" },
	{ "COMP_REGS index equal to the region count", s_comp_index_count, -EPROTO, 0, "bad indices" },
	{ "DPA index equal to the region count", s_dpa_index_count, -EPROTO, 0, "bad indices" },
};

static void test_bounds(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vfio_cxl_dev *dev = NULL;
		bool ok;
		int rc;

		fake_reset();
		cases[i].setup();
		rc = open_dev(&dev);
		if (!rc) {
			ok = !cases[i].rc && vfio_cxl_dev_get_num_decoders(dev) == cases[i].ndec &&
			     vfio_cxl_decoder_get_by_id(dev, cases[i].ndec - 1) &&
			     !vfio_cxl_decoder_get_by_id(dev, cases[i].ndec) && !fake_log[0];
			if (!ok)
				printf("# opened with %u decoders (want rc %d, %u)\n",
				       vfio_cxl_dev_get_num_decoders(dev), cases[i].rc, cases[i].ndec);
			vfio_cxl_dev_close(dev);
		} else {
			ok = rc == cases[i].rc && cases[i].msg && strstr(fake_log, cases[i].msg) &&
			     !strncmp(fake_log, FAKE_ADDR ": ", strlen(FAKE_ADDR) + 2);
			if (!ok)
				printf("# rc %d (want %d), log: %s", rc, cases[i].rc, fake_log);
		}
		ok = ok && !fake.live_fds;
		tap_ok(ok, "HDM bounds: %s", cases[i].name);
	}
}

static void test_access(void)
{
	struct vfio_cxl_decoder_state st;
	struct vfio_cxl_dev *dev;
	uint32_t v = 0;
	uint64_t v64 = 0;

	fake_reset();
	if (open_dev(&dev)) {
		printf("# %s", fake_log);
		exit(1);
	}
	TAP_CHECK("COMP_REGS: last dword and last qword of the region readable",
		  !vfio_cxl_comp_read32(dev, FAKE_COMP_SIZE - 4, &v) &&
		  !vfio_cxl_comp_read64(dev, FAKE_COMP_SIZE - 8, &v64) && !fake_log[0]);
	/* refused by the library itself: its own message, not the kernel's errno */
	fake_log[0] = '\0';
	TAP_CHECK("COMP_REGS: unaligned dword refused by the library",
		  vfio_cxl_comp_read32(dev, 2, &v) == -EINVAL &&
		  strstr(fake_log, "COMP_REGS access of 4 bytes at 0x2 "));
	fake_log[0] = '\0';
	TAP_CHECK("COMP_REGS: unaligned qword refused by the library",
		  vfio_cxl_comp_write64(dev, 4, 0) == -EINVAL &&
		  strstr(fake_log, "COMP_REGS access of 8 bytes at 0x4 "));
	fake_log[0] = '\0';
	TAP_CHECK("COMP_REGS: dword at the region's end refused by the library",
		  vfio_cxl_comp_read32(dev, FAKE_COMP_SIZE, &v) == -EINVAL &&
		  strstr(fake_log, "COMP_REGS access of 4 bytes at 0x1b8 outside the region (0x1b8 bytes)"));

	/* Base/Size/Skip Low bits 27:0 are RsvdP: never part of the address */
	fake.comp[DEC_REG(1, CXL_HDM_DEC_BASE_LO)] = 0x9fffffff;
	fake.comp[DEC_REG(1, CXL_HDM_DEC_BASE_HI)] = 0x4;
	fake.comp[DEC_REG(1, CXL_HDM_DEC_SIZE_LO)] = 0x1ffffff0;
	fake.comp[DEC_REG(1, CXL_HDM_DEC_SIZE_HI)] = 0x1;
	fake.comp[DEC_REG(1, CXL_HDM_DEC_SKIP_LO)] = 0x20000001;
	fake.comp[DEC_REG(1, CXL_HDM_DEC_SKIP_HI)] = 0x2;
	TAP_CHECK("decoder read drops the reserved low bits of base, size and skip",
		  !vfio_cxl_decoder_read(vfio_cxl_decoder_get_by_id(dev, 1), &st) &&
		  st.base == 0x490000000ull && st.size == 0x110000000ull &&
		  st.dpa_skip == 0x220000000ull);
	fake_log[0] = '\0';
	TAP_CHECK("decoder program refuses a size that is not a multiple of 256 MiB",
		  vfio_cxl_decoder_program(vfio_cxl_decoder_get_by_id(dev, 2), 0x490000000ull,
					   (256ull << 20) + 4096, 0) == -EINVAL &&
		  strstr(fake_log, "multiples of 256 MiB"));
	vfio_cxl_dev_close(dev);

	/* a region whose size is not a multiple of 8: the last qword is 4 bytes short */
	fake_reset();
	comp_size(FAKE_COMP_SIZE + 4);
	if (open_dev(&dev)) {
		printf("# %s", fake_log);
		exit(1);
	}
	fake_log[0] = '\0';
	TAP_CHECK("COMP_REGS: qword running 4 bytes past the region refused by the library",
		  vfio_cxl_comp_read64(dev, FAKE_COMP_SIZE, &v64) == -EINVAL &&
		  strstr(fake_log, "COMP_REGS access of 8 bytes at 0x1b8 outside the region (0x1bc bytes)"));
	vfio_cxl_dev_close(dev);
}

int main(void)
{
	tap_plan((int)(sizeof(cases) / sizeof(cases[0])) + 7);
	test_bounds();
	test_access();
	return tap_failed ? 1 : 0;
}
