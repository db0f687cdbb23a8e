// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: libvfiocxl's open path against a hostile kernel. The
 * input is a list of patches applied to a good fake device (lib_fake.c):
 * the VFIO_DEVICE_GET_INFO reply, each region's info and capabilities,
 * COMP_REGS, their lengths, and the decoder commit behaviour. Then the
 * device is opened and, when that succeeds, walked and programmed.
 * Checked: no crash or sanitizer report, no fd leaked on any path, and
 * every accepted device satisfies the invariants the library promises.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "lib_fake.h"

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "invariant: %s\n", #c); abort(); } } while (0)

static void patch(uint8_t *dst, size_t dst_len, const uint8_t *src, size_t off, size_t len)
{
	if (off >= dst_len)
		return;
	if (len > dst_len - off)
		len = dst_len - off;
	memcpy(dst + off, src, len);
}

static void apply(const uint8_t *data, size_t size)
{
	size_t i = 0;

	while (i + 4 <= size) {
		unsigned int target = data[i], off = data[i + 1] | data[i + 2] << 8, len = data[i + 3];
		const uint8_t *src = data + i + 4;

		if (len > size - i - 4)
			len = size - i - 4;
		i += 4 + len;
		switch (target % 16) {
		case 0:
			patch(fake.info, sizeof(fake.info), src, off, len);
			break;
		case 1 ... FAKE_NREGIONS:
			patch(fake.regions[target % 16 - 1].buf, sizeof(fake.regions[0].buf), src, off, len);
			break;
		case 12:
			patch((uint8_t *)fake.comp, sizeof(fake.comp), src, off, len);
			break;
		case 13:
			fake.info_len = off % (sizeof(fake.info) + 1);
			break;
		case 14:
			fake.regions[len % FAKE_NREGIONS].len = off % (sizeof(fake.regions[0].buf) + 1);
			break;
		case 15:
			fake.commit = (enum fake_commit)(off % 3);
			fake.comp_size = off >> 2 < FAKE_COMP_SIZE ? (off >> 2) & ~3u : FAKE_COMP_SIZE;
			break;
		}
	}
}

static void check_device(struct vfio_cxl_dev *dev, const uint8_t *data, size_t size)
{
	struct vfio_cxl_decoder_state st;
	struct vfio_cxl_region *r, *comp;
	struct vfio_cxl_decoder *d;
	uint32_t type, subtype;
	uint64_t o, s, base = 0;
	unsigned int n = 0;
	int i, k;
	void *p;

	CHECK(vfio_cxl_dev_get_num_regions(dev) <= 64);
	r = vfio_cxl_dev_get_dpa_region(dev);
	comp = vfio_cxl_dev_get_comp_regs_region(dev);
	CHECK(r != comp);
	CHECK(vfio_cxl_region_get_type(r, &type, &subtype) && type == VFIO_CXL_REGION_TYPE &&
	      subtype == VFIO_REGION_SUBTYPE_CXL);
	CHECK(vfio_cxl_region_get_type(comp, &type, &subtype) && subtype == VFIO_REGION_SUBTYPE_CXL_COMP_REGS);
	CHECK(vfio_cxl_dev_get_num_decoders(dev) >= 1 && vfio_cxl_dev_get_num_decoders(dev) <= 32);
	CHECK(vfio_cxl_dev_get_hdm_offset(dev) + CXL_HDM_BLOCK_SIZE(vfio_cxl_dev_get_num_decoders(dev)) <=
	      vfio_cxl_region_get_size(comp));
	vfio_cxl_region_foreach(dev, r) {
		n++;
		k = vfio_cxl_region_get_nr_areas(r);
		for (i = 0; i < k; i++) {
			CHECK(!vfio_cxl_region_get_area(r, i, &o, &s));
			CHECK(o <= vfio_cxl_region_get_size(r) && s <= vfio_cxl_region_get_size(r) - o);
		}
		vfio_cxl_region_get_name(r);
	}
	CHECK(n == vfio_cxl_dev_get_num_regions(dev));
	/* reads may fail (the fake can refuse COMP_REGS accesses), never crash */
	vfio_cxl_decoder_foreach(dev, d)
		vfio_cxl_decoder_read(d, &st);
	if (size >= 8)
		memcpy(&base, data + size - 8, 8);
	d = vfio_cxl_decoder_get_first(dev);
	vfio_cxl_decoder_program(d, base & ~((1ull << 28) - 1), 1ull << 28, (unsigned int)base & 3);
	vfio_cxl_decoder_uncommit(d);
	if (vfio_cxl_dev_get_dpa_size(dev) <= (64ull << 20) && !vfio_cxl_dpa_map(dev, &p, NULL))
		vfio_cxl_dpa_unmap(dev);
	vfio_cxl_dev_reset(dev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfio_cxl_ctx *ctx;
	struct vfio_cxl_dev *dev;

	fake_reset();
	apply(data, size);
	ctx = fake_ctx();
	if (!vfio_cxl_dev_open(ctx, FAKE_ADDR, 0, &dev)) {
		check_device(dev, data, size);
		vfio_cxl_dev_close(dev);
	}
	vfio_cxl_unref(ctx);
	CHECK(fake.live_fds == 0);
	return 0;
}
