// SPDX-License-Identifier: MIT
/*
 * topo_vcap: the parse of VFIO_DEVICE_INFO_CAP_CXL that QEMU's realize
 * calls (vfiocxl_topo_vfio_cap_parse(), patch 7 of qemu/patches), fed the
 * replies a hostile kernel could give: a chain that loops (on itself, and
 * between two entries), a chain longer than the 64 entries walked, entries
 * past argsz or near 4 GiB. Upstream's vfio_get_device_info_cap(), which
 * the series used before, follows `next` with no bound and no loop check.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "core_tap.h"
#include "vfiocxl-topo.h"

#define INFO_LEN	1024

static uint8_t b[INFO_LEN];

static void le32(uint32_t off, uint32_t v)
{
	b[off] = v; b[off + 1] = v >> 8; b[off + 2] = v >> 16; b[off + 3] = v >> 24;
}

/* struct vfio_info_cap_header: id (16), version (16), next (32) */
static void hdr(uint32_t off, uint16_t id, uint16_t ver, uint32_t next)
{
	le32(off, id | (uint32_t)ver << 16);
	le32(off + 4, next);
}

/* the CXL capability (id 6, v1): BAR 0, flags 1, offset 0x1000, regions 9/10 */
static void cxl_cap(uint32_t off, uint32_t next)
{
	memset(b + off, 0, 32);
	hdr(off, 6, 1, next);
	b[off + 8] = 0;
	le32(off + 12, 1);
	le32(off + 16, 0x1000);
	le32(off + 24, 9);
	le32(off + 28, 10);
}

static int parse(uint32_t len, uint32_t cap_off, struct vfiocxl_topo_vfio_cap *c)
{
	le32(0, len);		/* argsz */
	le32(16, cap_off);	/* cap_offset */
	return vfiocxl_topo_vfio_cap_parse(b, len, cap_off, c);
}

int main(void)
{
	struct vfiocxl_topo_vfio_cap c;
	uint32_t o, i;
	int r;

	memset(b, 0, sizeof(b));
	hdr(24, 1, 1, 40);
	cxl_cap(40, 0);
	memset(&c, 0, sizeof(c));
	r = parse(72, 24, &c);
	tap_result(r == 0 && c.hdm_regs_offset == 0x1000 && c.dpa_region_index == 9 &&
		   c.comp_regs_region_index == 10 && c.flags == 1,
		   "a well-formed chain decodes (ret %d)", r);

	hdr(24, 1, 1, 24);
	r = parse(72, 24, &c);
	tap_result(r == -EPROTO, "a chain looping on itself is refused (ret %d)", r);

	memset(b, 0, sizeof(b));
	hdr(24, 1, 1, 32);
	hdr(32, 1, 1, 24);
	r = parse(72, 24, &c);
	tap_result(r == -EPROTO, "a chain looping between two entries is refused (ret %d)", r);

	memset(b, 0, sizeof(b));
	for (i = 0, o = 24; i < 80; i++, o += 8)
		hdr(o, 1, 1, o + 8);
	cxl_cap(o, 0);
	r = parse(INFO_LEN, 24, &c);
	tap_result(r == -EPROTO, "an overlong chain (80 entries before the CXL one) is refused (ret %d)", r);

	memset(b, 0, sizeof(b));
	hdr(24, 1, 1, 40);
	cxl_cap(40, 0);
	r = parse(64, 24, &c);
	tap_result(r == -EPROTO, "a CXL capability running past argsz is refused (ret %d)", r);

	hdr(24, 1, 1, 0xfffffff8);
	r = parse(72, 24, &c);
	tap_result(r == -EPROTO, "a next near 4 GiB is refused, no wrap (ret %d)", r);

	hdr(24, 1, 1, 0);
	r = parse(72, 24, &c);
	tap_result(r == -ENOENT, "a chain without the CXL capability gives -ENOENT (ret %d)", r);

	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}
