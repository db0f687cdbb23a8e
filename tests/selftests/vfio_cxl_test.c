// SPDX-License-Identifier: MIT
/*
 * vfio_cxl_test: in-guest selftests of the vfio-pci-cxl driver, one fixture
 * per device (argv, or $VFIO_CXL_DEVICES), TAP on stdout.
 *
 * The tests leave data in device memory for the host to check in the
 * backing file (tests/selftests/check-backing): tag 1 at 0 (after open),
 * tag 6 at 3 MiB (written before VFIO_DEVICE_RESET, read back after), tag 2
 * at 2 MiB (after VFIO_DEVICE_RESET), tag 3 at 64 MiB (after close and
 * reopen), tag 4 at 128 MiB (pwrite through the file offset); 64 KiB each.
 */
#include <signal.h>
#include <sys/eventfd.h>

#include "vfio_cxl_harness.h"
#include "vfio_cxl_fixture.h"

#define GUEST_BASE	0x400000000ull	/* any 256 MiB-aligned guest address */

/* ---- tests --------------------------------------------------------------- */

static void t_device_flags(struct cxl_dev *d)
{
	ASSERT_TRUE(d->info.flags & VFIO_DEVICE_FLAGS_PCI);
	ASSERT_TRUE(d->info.flags & VFIO_DEVICE_FLAGS_CXL);
	ASSERT_TRUE(d->info.flags & VFIO_DEVICE_FLAGS_CAPS);
	ASSERT_TRUE(d->info.flags & VFIO_DEVICE_FLAGS_RESET);
	ASSERT_GE(d->info.num_regions, VFIO_PCI_NUM_REGIONS + 2);
}

static void t_cap_fields(struct cxl_dev *d)
{
	uint16_t rl;
	uint32_t lo, hi, i, len;
	uint64_t comp_block = ~0ull;
	int bir = -1;

	ASSERT_TRUE(d->have_cap);
	ASSERT_EQ(d->cap.header.id, VFIO_DEVICE_INFO_CAP_CXL);
	ASSERT_EQ(d->cap.header.version, VFIO_DEVICE_INFO_CAP_CXL_VERSION);
	ASSERT_EQ(d->cap.reserved[0] | d->cap.reserved[1] | d->cap.reserved[2], 0);
	ASSERT_TRUE(d->cap.flags & VFIO_CXL_CAP_FIRMWARE_COMMITTED);
	ASSERT_EQ(d->cap.flags & ~(VFIO_CXL_CAP_FIRMWARE_COMMITTED |
				   VFIO_CXL_CAP_CACHE_CAPABLE), 0);
	ASSERT_GE(d->cap.dpa_region_index, VFIO_PCI_NUM_REGIONS);
	ASSERT_GE(d->cap.comp_regs_region_index, VFIO_PCI_NUM_REGIONS);
	ASSERT_NE(d->cap.dpa_region_index, d->cap.comp_regs_region_index);
	ASSERT_LT(d->cap.dpa_region_index, d->info.num_regions);
	ASSERT_LT(d->cap.comp_regs_region_index, d->info.num_regions);

	/* CACHE_CAPABLE follows the DVSEC's Cache_Capable. */
	{
		uint16_t cap = 0;

		ASSERT_NE(d->dvsec, 0);
		ASSERT_OK(real_cfg_read(d->bdf, d->dvsec + CXL_DVSEC_CAP, &cap, 2));
		ASSERT_EQ(!!(d->cap.flags & VFIO_CXL_CAP_CACHE_CAPABLE),
			  !!(cap & CXL_DVSEC_CAP_CACHE));
	}
	/* BAR and offset agree with the Register Locator in real config space. */
	rl = find_dvsec(d, CXL_DVSEC_VENDOR_ID, CXL_DVSEC_ID_REG_LOCATOR);
	ASSERT_NE(rl, 0);
	ASSERT_OK(real_cfg_read(d->bdf, rl + CXL_DVSEC_HDR1, &len, 4));
	len = FIELD_GET(CXL_DVSEC_HDR1_LEN, len);
	for (i = 0; CXL_RL_BLOCK_LO(i) + 8 <= len; i++) {
		ASSERT_OK(real_cfg_read(d->bdf, rl + CXL_RL_BLOCK_LO(i), &lo, 4));
		ASSERT_OK(real_cfg_read(d->bdf, rl + CXL_RL_BLOCK_HI(i), &hi, 4));
		if (FIELD_GET(CXL_RL_BLOCK_LO_ID, lo) == CXL_RL_ID_COMPONENT) {
			bir = FIELD_GET(CXL_RL_BLOCK_LO_BIR, lo);
			comp_block = (uint64_t)hi << 32 | (lo & CXL_RL_BLOCK_LO_OFFSET);
		}
	}
	ASSERT_EQ(d->cap.hdm_regs_bar_index, bir);
	ASSERT_EQ(d->cap.hdm_regs_offset, comp_block + CXL_COMP_CM_OFFSET);
}

static struct vfio_region_info_cap_type *type_cap(struct vfio_region_info *ri)
{
	if (!(ri->flags & VFIO_REGION_INFO_FLAG_CAPS))
		return NULL;
	return (void *)vfio_find_cap(ri, ri->argsz, ri->cap_offset,
				     VFIO_REGION_INFO_CAP_TYPE);
}

static void t_dpa_region_info(struct cxl_dev *d)
{
	struct vfio_region_info *ri;
	struct vfio_region_info_cap_type *t;
	uint32_t hi, lo;

	ASSERT_OK(vfio_region(d->fd, d->cap.dpa_region_index, &ri));
	t = type_cap(ri);
	ASSERT_TRUE(t);
	ASSERT_EQ(t->type, (uint32_t)VFIO_REGION_TYPE_CXL);
	ASSERT_EQ(t->subtype, VFIO_REGION_SUBTYPE_CXL);
	ASSERT_TRUE(ri->flags & VFIO_REGION_INFO_FLAG_READ);
	ASSERT_TRUE(ri->flags & VFIO_REGION_INFO_FLAG_WRITE);
	ASSERT_TRUE(ri->flags & VFIO_REGION_INFO_FLAG_MMAP);
	/* Device memory size: DVSEC Range 1 (CXL r3.1 8.1.3.8). */
	ASSERT_NE(d->dvsec, 0);
	ASSERT_OK(real_cfg_read(d->bdf, d->dvsec + CXL_DVSEC_RANGE_SIZE_HI(0), &hi, 4));
	ASSERT_OK(real_cfg_read(d->bdf, d->dvsec + CXL_DVSEC_RANGE_SIZE_LO(0), &lo, 4));
	ASSERT_EQ(ri->size, (uint64_t)hi << 32 |
		  (uint64_t)FIELD_GET(CXL_DVSEC_RANGE_SIZE_LO_SIZE, lo) << 28);
	tap_diag("%s: DPA region %u, %llu MiB", d->bdf, d->cap.dpa_region_index,
		 (unsigned long long)(ri->size >> 20));
	free(ri);
}

static void t_comp_region_info(struct cxl_dev *d)
{
	struct vfio_region_info *ri;
	struct vfio_region_info_cap_type *t;

	ASSERT_OK(vfio_region(d->fd, d->cap.comp_regs_region_index, &ri));
	t = type_cap(ri);
	ASSERT_TRUE(t);
	ASSERT_EQ(t->type, (uint32_t)VFIO_REGION_TYPE_CXL);
	ASSERT_EQ(t->subtype, VFIO_REGION_SUBTYPE_CXL_COMP_REGS);
	ASSERT_TRUE(ri->flags & VFIO_REGION_INFO_FLAG_READ);
	ASSERT_TRUE(ri->flags & VFIO_REGION_INFO_FLAG_WRITE);
	ASSERT_FALSE(ri->flags & VFIO_REGION_INFO_FLAG_MMAP);
	ASSERT_NE(d->hdm_off, 0);
	ASSERT_GE(ri->size, d->hdm_off + CXL_HDM_BLOCK_SIZE(d->ndec));
	free(ri);
}

static void t_comp_regs_no_mmap(struct cxl_dev *d)
{
	void *p;

	errno = 0;
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, d->fd, d->comp_off);
	ASSERT_TRUE(p == MAP_FAILED);
	ASSERT_EQ(errno, EINVAL);
}

static void t_bar_sparse(struct cxl_dev *d)
{
	struct vfio_region_info *ri;
	struct vfio_region_info_cap_sparse_mmap *sp;
	uint64_t blk = d->cap.hdm_regs_offset - CXL_COMP_CM_OFFSET;
	uint32_t i;
	void *p;

	ASSERT_OK(vfio_region(d->fd, d->cap.hdm_regs_bar_index, &ri));
	ASSERT_TRUE(ri->flags & VFIO_REGION_INFO_FLAG_CAPS);
	sp = (void *)vfio_find_cap(ri, ri->argsz, ri->cap_offset,
				   VFIO_REGION_INFO_CAP_SPARSE_MMAP);
	ASSERT_TRUE(sp);
	for (i = 0; i < sp->nr_areas; i++) {
		uint64_t s = sp->areas[i].offset, e = s + sp->areas[i].size;

		ASSERT_TRUE(e <= blk || s >= blk + CXL_COMP_BLOCK_SIZE);
		ASSERT_LE(e, ri->size);
	}
	tap_diag("%s: BAR%u %llu KiB, %u sparse areas outside the block at %#llx",
		 d->bdf, d->cap.hdm_regs_bar_index,
		 (unsigned long long)(ri->size >> 10), sp->nr_areas,
		 (unsigned long long)blk);
	free(ri);

	errno = 0;
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, d->fd,
		 d->bar_off + d->cap.hdm_regs_offset);
	ASSERT_TRUE(p == MAP_FAILED);
	ASSERT_EQ(errno, EINVAL);
	errno = 0;
	p = mmap(NULL, CXL_COMP_BLOCK_SIZE, PROT_READ, MAP_SHARED, d->fd,
		 d->bar_off + blk);
	ASSERT_TRUE(p == MAP_FAILED);
	ASSERT_EQ(errno, EINVAL);
}

/*
 * An ioeventfd writes the BAR directly, bypassing the emulation: one on the
 * HDM block would reach the real decoder 0. The driver refuses them.
 */
static void t_bar_no_ioeventfd(struct cxl_dev *d)
{
	struct vfio_device_ioeventfd ie = { .argsz = sizeof(ie) };
	uint32_t ctrl0, ctrl1;
	uint64_t base0, base1;
	int efd, r;

	ASSERT_OK(real_dec0(d, &ctrl0, &base0));
	efd = eventfd(0, EFD_CLOEXEC);
	ASSERT_GE(efd, 0);
	ie.flags = VFIO_DEVICE_IOEVENTFD_32;
	ie.offset = d->bar_off + d->cap.hdm_regs_offset +
		    d->hdm_off + CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_BASE_LO;
	ie.data = 0x10000000;
	ie.fd = efd;
	errno = 0;
	r = ioctl(d->fd, VFIO_DEVICE_IOEVENTFD, &ie);
	if (!r) {
		uint64_t one = 1;

		/* Show what it would do, then remove it. */
		ASSERT_EQ(write(efd, &one, 8), 8);
		usleep(10000);
		ie.fd = -1;
		ioctl(d->fd, VFIO_DEVICE_IOEVENTFD, &ie);
	}
	close(efd);
	ASSERT_OK(real_dec0(d, &ctrl1, &base1));
	ASSERT_EQ(base1, base0);
	ASSERT_EQ(ctrl1, ctrl0);
	ASSERT_EQ(r, -1);
	ASSERT_EQ(errno, ENOTTY);
}

static void t_hdm_cap(struct cxl_dev *d)
{
	uint32_t hdr = comp_rd(d, CXL_CM_CAP_HDR), cap, via_bar = 0;

	ASSERT_EQ(FIELD_GET(CXL_CM_CAP_HDR_ID, hdr), CXL_CM_CAP_ID_CAP);
	ASSERT_GE(FIELD_GET(CXL_CM_CAP_HDR_ARRAY_SIZE, hdr), 1);
	ASSERT_NE(d->hdm_off, 0);
	cap = comp_rd(d, d->hdm_off + CXL_HDM_CAP);
	ASSERT_GE(d->ndec, 1);
	ASSERT_LE(FIELD_GET(CXL_HDM_CAP_DECODER_COUNT, cap), CXL_HDM_DECODER_COUNT_ENC_MAX);
	/* The same register through the component BAR. */
	ASSERT_EQ(pread(d->fd, &via_bar, 4, d->bar_off + d->cap.hdm_regs_offset +
			d->hdm_off + CXL_HDM_CAP), 4);
	ASSERT_EQ(via_bar, cap);
	tap_diag("%s: HDM capability %#x at +%#x, %u decoders", d->bdf, cap,
		 d->hdm_off, d->ndec);
}

static void t_dec0_preset(struct cxl_dev *d)
{
	uint32_t ctrl = comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL));
	uint64_t size = comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_SIZE_LO)) |
			(uint64_t)comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_SIZE_HI)) << 32;

	ASSERT_EQ(comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_BASE_LO)), 0);
	ASSERT_EQ(comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_BASE_HI)), 0);
	ASSERT_EQ(size, d->dpa_size);
	ASSERT_FALSE(ctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	ASSERT_FALSE(ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
	ASSERT_FALSE(ctrl & CXL_HDM_DEC_CTRL_COMMIT);
}

static void t_commit_latch(struct cxl_dev *d)
{
	uint32_t ctrl0 = comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL)), ctrl, rctrl;
	uint64_t rbase0, rbase;
	char path[128];

	ASSERT_OK(real_dec0(d, &rctrl, &rbase0));
	program_dec0(d, GUEST_BASE);

	/* COMMIT -> COMMITTED (CXL r3.1 8.2.4.20.7). */
	comp_wr(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL), ctrl0 | CXL_HDM_DEC_CTRL_COMMIT);
	ctrl = comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL));
	ASSERT_TRUE(ctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	ASSERT_FALSE(ctrl & CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED);
	/* Seen the same through the component BAR. */
	ASSERT_EQ(pread(d->fd, &ctrl, 4, d->bar_off + d->cap.hdm_regs_offset +
			dec_reg(d, 0, CXL_HDM_DEC_CTRL)), 4);
	ASSERT_TRUE(ctrl & CXL_HDM_DEC_CTRL_COMMITTED);

	/* Clearing COMMIT un-commits an unlocked decoder. */
	comp_wr(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL), ctrl0 & ~CXL_HDM_DEC_CTRL_COMMIT);
	ctrl = comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL));
	ASSERT_FALSE(ctrl & CXL_HDM_DEC_CTRL_COMMITTED);

	/* Lock-on-commit: read-only until reset. */
	comp_wr(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL), ctrl0 | CXL_HDM_DEC_CTRL_COMMIT |
		CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
	ctrl = comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL));
	ASSERT_TRUE(ctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	ASSERT_TRUE(ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
	pwrite(d->fd, &(uint32_t){ 0x10000000 }, 4,
	       d->comp_off + dec_reg(d, 0, CXL_HDM_DEC_BASE_LO));
	pwrite(d->fd, &(uint32_t){ 0 }, 4,
	       d->comp_off + dec_reg(d, 0, CXL_HDM_DEC_CTRL));
	ASSERT_EQ(comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_BASE_LO)), (uint32_t)GUEST_BASE);
	ASSERT_EQ(comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_BASE_HI)), GUEST_BASE >> 32);
	ctrl = comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL));
	ASSERT_TRUE(ctrl & CXL_HDM_DEC_CTRL_COMMITTED);

	/* The real decoder never saw the guest address. */
	ASSERT_OK(real_dec0(d, &rctrl, &rbase));
	ASSERT_EQ(rbase, rbase0);
	ASSERT_TRUE(rctrl & CXL_HDM_DEC_CTRL_COMMITTED);

	/*
	 * A reset the guest did not cause (VFIO_DEVICE_RESET) commits the
	 * decoder the VMM locked again (restore_guest_decoder, default 1),
	 * as platform firmware does after a reset.
	 */
	dev_reset(d);
	ctrl = comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL));
	ASSERT_TRUE(ctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	ASSERT_TRUE(ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
	ASSERT_EQ(comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_BASE_LO)), (uint32_t)GUEST_BASE);
	ASSERT_EQ(comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_BASE_HI)), GUEST_BASE >> 32);

	/* With the device's switch off, reset unlocks and returns it to its preset. */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/restore_guest_decoder", d->bdf);
	ASSERT_OK(sysfs_write(path, "0"));
	conv_reset(d);
	ASSERT_OK(sysfs_write(path, "1"));
	ctrl = comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL));
	ASSERT_FALSE(ctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	ASSERT_FALSE(ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
	ASSERT_EQ(comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_BASE_LO)), 0);
	ASSERT_EQ(comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_BASE_HI)), 0);
	ASSERT_OK(real_dec0(d, &rctrl, &rbase));
	ASSERT_EQ(rbase, rbase0);
	ASSERT_TRUE(rctrl & CXL_HDM_DEC_CTRL_COMMITTED);
}

static void t_comp_bad_access(struct cxl_dev *d)
{
	uint64_t v8 = 0;
	uint32_t v = 0, hdr0 = comp_rd(d, 0);
	uint16_t v2;
	uint8_t v1;

	ASSERT_ERRNO(pread(d->fd, &v, 4, d->comp_off + 2), EINVAL);
	ASSERT_ERRNO(pread(d->fd, &v2, 2, d->comp_off), EINVAL);
	ASSERT_ERRNO(pread(d->fd, &v1, 1, d->comp_off + dec_reg(d, 0, CXL_HDM_DEC_CTRL)), EINVAL);
	ASSERT_ERRNO(pread(d->fd, &v8, 8, d->comp_off + dec_reg(d, 0, 4)), EINVAL);
	ASSERT_ERRNO(pread(d->fd, &v, 4, d->comp_off + d->comp_size), EINVAL);
	ASSERT_ERRNO(pread(d->fd, &v8, 8, d->comp_off + d->comp_size - 4), EINVAL);
	ASSERT_ERRNO(pwrite(d->fd, &v, 4, d->comp_off + d->comp_size + 4), EINVAL);
	ASSERT_ERRNO(pwrite(d->fd, &v, 4, d->comp_off + dec_reg(d, 0, CXL_HDM_DEC_CTRL) + 1), EINVAL);
	/* The capability array is read-only. */
	v = 0;
	pwrite(d->fd, &v, 4, d->comp_off);
	ASSERT_EQ(comp_rd(d, 0), hdr0);
	/* Unaligned or straddling accesses to the HDM block inside the BAR. */
	ASSERT_ERRNO(pread(d->fd, &v, 4, d->bar_off + d->cap.hdm_regs_offset +
			   d->hdm_off + 2), EINVAL);
}

static void t_dvsec_virtualized(struct cxl_dev *d)
{
	uint16_t real0, ctrl0, ctrl, cap;
	uint8_t real_all[CXL_DVSEC_DEV_LEN_R1], after[CXL_DVSEC_DEV_LEN_R1];

	ASSERT_NE(d->dvsec, 0);
	cap = dvsec_rd16(d, CXL_DVSEC_CAP);
	ASSERT_TRUE(cap & CXL_DVSEC_CAP_MEM);
	ASSERT_OK(real_cfg_read(d->bdf, d->dvsec, real_all, sizeof(real_all)));
	real0 = real_rd16(d, CXL_DVSEC_CTRL);
	ctrl0 = dvsec_rd16(d, CXL_DVSEC_CTRL);
	/* IO_Enable reads 1 (RO). */
	ASSERT_TRUE(ctrl0 & CXL_DVSEC_CTRL_IO_EN);

	dvsec_wr16(d, CXL_DVSEC_CTRL, ctrl0 ^ CXL_DVSEC_CTRL_MEM_EN);
	ctrl = dvsec_rd16(d, CXL_DVSEC_CTRL);
	ASSERT_EQ(ctrl & CXL_DVSEC_CTRL_MEM_EN, (ctrl0 ^ CXL_DVSEC_CTRL_MEM_EN) & CXL_DVSEC_CTRL_MEM_EN);
	/* RO IO_Enable cannot be cleared. */
	dvsec_wr16(d, CXL_DVSEC_CTRL, ctrl & ~CXL_DVSEC_CTRL_IO_EN);
	ASSERT_TRUE(dvsec_rd16(d, CXL_DVSEC_CTRL) & CXL_DVSEC_CTRL_IO_EN);
	/* Range 1 Base (RWL): the guest's value, never the device's. */
	{
		uint32_t hi = 0x4, lo = 0x30000000, rhi = 0, rlo = 0;

		ASSERT_OK(cfg_write(d, d->dvsec + CXL_DVSEC_RANGE_BASE_HI(0), &hi, 4));
		ASSERT_OK(cfg_write(d, d->dvsec + CXL_DVSEC_RANGE_BASE_LO(0), &lo, 4));
		ASSERT_OK(cfg_read(d, d->dvsec + CXL_DVSEC_RANGE_BASE_HI(0), &rhi, 4));
		ASSERT_OK(cfg_read(d, d->dvsec + CXL_DVSEC_RANGE_BASE_LO(0), &rlo, 4));
		ASSERT_EQ(rhi, hi);
		ASSERT_EQ(rlo & CXL_DVSEC_RANGE_BASE_LO_BASE, lo);
	}
	/* The real DVSEC is unchanged, all of it. */
	ASSERT_EQ(real_rd16(d, CXL_DVSEC_CTRL), real0);
	ASSERT_OK(real_cfg_read(d->bdf, d->dvsec, after, sizeof(after)));
	ASSERT_EQ(memcmp(real_all, after, sizeof(after)), 0);
	dvsec_wr16(d, CXL_DVSEC_CTRL, ctrl0);
	ASSERT_EQ(dvsec_rd16(d, CXL_DVSEC_CTRL), ctrl0);
}

/*
 * The device's other CXL DVSECs (Register Locator, GPF, Flex Bus Port, ...)
 * are read-only to the user: Flex Bus Port Control picks what the link
 * trains to (CXL.mem off after a reset would leave the host's HPA range
 * undecoded). Writes through VFIO leave the real registers as they were.
 */
static void t_other_dvsecs_ro(struct cxl_dev *d)
{
	uint32_t pos = CXL_PCI_EXT_CAP_START;
	unsigned int hops = 0, seen = 0;

	while (pos >= CXL_PCI_EXT_CAP_START && pos < CXL_PCI_CFG_SPACE_EXP_SIZE &&
	       hops++ < 128) {
		uint32_t hdr = cfg_read32(d, pos), h1, len, i;
		uint8_t before[256], after[256], ones[256];

		if (FIELD_GET(CXL_PCI_EXT_CAP_HDR_ID, hdr) != CXL_PCI_EXT_CAP_ID_DVSEC)
			goto next;
		h1 = cfg_read32(d, pos + CXL_DVSEC_HDR1);
		len = FIELD_GET(CXL_DVSEC_HDR1_LEN, h1);
		if (FIELD_GET(CXL_DVSEC_HDR1_VENDOR, h1) != CXL_DVSEC_VENDOR_ID ||
		    pos == d->dvsec || len <= CXL_DVSEC_HDR2 + 2 || len > sizeof(before))
			goto next;
		seen++;
		ASSERT_OK(real_cfg_read(d->bdf, pos, before, len));
		/* Everything past the DVSEC ID, all ones then all zeros. */
		for (i = 0; i < 2; i++) {
			memset(ones, i ? 0 : 0xff, sizeof(ones));
			ASSERT_OK(cfg_write(d, pos + CXL_DVSEC_HDR2 + 2, ones,
					    len - CXL_DVSEC_HDR2 - 2));
			ASSERT_OK(real_cfg_read(d->bdf, pos, after, len));
			ASSERT_EQ(memcmp(before, after, len), 0);
		}
next:
		pos = FIELD_GET(CXL_PCI_EXT_CAP_HDR_NEXT, hdr);
	}
	tap_diag("%s: %u other CXL DVSECs, unchanged by writes", d->bdf, seen);
}

static void t_dvsec_lock(struct cxl_dev *d)
{
	uint16_t ctrl0 = dvsec_rd16(d, CXL_DVSEC_CTRL), real_lock;

	real_lock = real_rd16(d, CXL_DVSEC_LOCK);
	ASSERT_FALSE(dvsec_rd16(d, CXL_DVSEC_LOCK) & CXL_DVSEC_LOCK_CONFIG_LOCK);
	dvsec_wr16(d, CXL_DVSEC_LOCK, CXL_DVSEC_LOCK_CONFIG_LOCK);
	ASSERT_TRUE(dvsec_rd16(d, CXL_DVSEC_LOCK) & CXL_DVSEC_LOCK_CONFIG_LOCK);
	/* RWL: Control is frozen. */
	dvsec_wr16(d, CXL_DVSEC_CTRL, ctrl0 ^ CXL_DVSEC_CTRL_MEM_EN);
	ASSERT_EQ(dvsec_rd16(d, CXL_DVSEC_CTRL), ctrl0);
	/* RWO: the lock cannot be cleared. */
	dvsec_wr16(d, CXL_DVSEC_LOCK, 0);
	ASSERT_TRUE(dvsec_rd16(d, CXL_DVSEC_LOCK) & CXL_DVSEC_LOCK_CONFIG_LOCK);
	ASSERT_EQ(real_rd16(d, CXL_DVSEC_LOCK), real_lock);
	/* A conventional reset clears it. */
	conv_reset(d);
	ASSERT_FALSE(dvsec_rd16(d, CXL_DVSEC_LOCK) & CXL_DVSEC_LOCK_CONFIG_LOCK);
	dvsec_wr16(d, CXL_DVSEC_CTRL, ctrl0 ^ CXL_DVSEC_CTRL_MEM_EN);
	ASSERT_EQ(dvsec_rd16(d, CXL_DVSEC_CTRL), ctrl0 ^ CXL_DVSEC_CTRL_MEM_EN);
	dvsec_wr16(d, CXL_DVSEC_CTRL, ctrl0);
}

static void t_dpa_mmap_rw(struct cxl_dev *d)
{
	volatile uint64_t *p = map_dpa(d, 0, d->dpa_size, SZ_2M);
	uint64_t buf[PAT_LEN / 8];
	uint64_t off4 = 128ull << 20;

	ASSERT_GE(d->dpa_size, off4 + PAT_LEN);
	fill(p, 1, 0, PAT_LEN);
	check(p, 1, 0, PAT_LEN);
	/* Read through the file offset: the same bytes. */
	ASSERT_EQ(pread(d->fd, buf, PAT_LEN, d->dpa_off), PAT_LEN);
	check(buf, 1, 0, PAT_LEN);
	/* Write through the file offset, read through the mapping. */
	fill(buf, 4, off4, PAT_LEN);
	ASSERT_EQ(pwrite(d->fd, buf, PAT_LEN, d->dpa_off + off4), PAT_LEN);
	check(p + off4 / 8, 4, off4, PAT_LEN);
	/* A read whose buffer is the DPA mapping itself (at 1 MiB). */
	ASSERT_EQ(pread(d->fd, (void *)(p + (1 << 20) / 8), PAT_LEN, d->dpa_off), PAT_LEN);
	check(p + (1 << 20) / 8, 1, 0, PAT_LEN);
	/* Out of range. */
	ASSERT_ERRNO(pread(d->fd, buf, 8, d->dpa_off + d->dpa_size), EINVAL);
	munmap((void *)p, d->dpa_size);
	/* A mapping beyond the region is refused. */
	errno = 0;
	ASSERT_TRUE(mmap(NULL, 2 * d->dpa_size, PROT_READ, MAP_SHARED, d->fd,
			 d->dpa_off) == MAP_FAILED);
	errno = 0;
	ASSERT_TRUE(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, d->fd,
			 d->dpa_off) == MAP_FAILED);
}

static void t_dpa_huge_mapping(struct cxl_dev *d)
{
	uint64_t len = 8 * SZ_2M, i;
	volatile uint8_t *p;
	long f0, f1;
	char thp[128] = "";

	sysfs_read("/sys/kernel/mm/transparent_hugepage/enabled", thp, sizeof(thp));
	if (!strstr(thp, "[always]"))
		sysfs_write("/sys/kernel/mm/transparent_hugepage/enabled", "always");
	p = map_dpa(d, 0, len, SZ_2M);
	f0 = minflt();
	for (i = 0; i < len; i += 4096)
		(void)p[i];
	f1 = minflt();
	tap_diag("%s: %llu pages of 4 KiB touched with %ld faults", d->bdf,
		 (unsigned long long)(len / 4096), f1 - f0);
	/* 2 MiB mappings: one fault per 2 MiB (slack for the test's own pages). */
	ASSERT_LE(f1 - f0, len / SZ_2M + 4);
	munmap((void *)p, len);
}

/* 1 GiB mappings (PUD), where the device and its HPA alignment allow; else 2 MiB. */
static void t_dpa_pud_mapping(struct cxl_dev *d)
{
	uint64_t len = 1ull << 30, i;
	unsigned long long hpa = 1;
	volatile uint8_t *p;
	char path[256], st[256] = "";
	long f0, f1;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/cxl_status", d->bdf);
	sysfs_read(path, st, sizeof(st));
	sscanf(st, "ok hpa=%llx", &hpa);
	if (d->dpa_size < len || hpa % len) {
		/*
		 * No 1 GiB mapping fits: the whole region mapped 1 GiB-aligned
		 * falls back to 2 MiB mappings (one fault each), with no SIGBUS
		 * where a 1 GiB mapping would pass the region's end.
		 */
		len = d->dpa_size;
		p = map_dpa(d, 0, len, 1ull << 30);
		f0 = minflt();
		for (i = 0; i < len; i += SZ_2M)
			(void)p[i];
		f1 = minflt();
		tap_diag("%s: %llu MiB at %#llx: no 1 GiB mapping fits; touched every 2 MiB with %ld faults",
			 d->bdf, (unsigned long long)(len >> 20), hpa, f1 - f0);
		ASSERT_GE(f1 - f0, (long)(len / SZ_2M));
		ASSERT_LE(f1 - f0, (long)(len / SZ_2M) + 4);
		munmap((void *)p, len);
		return;
	}
	p = map_dpa(d, 0, len, len);
	f0 = minflt();
	for (i = 0; i < len; i += SZ_2M)
		(void)p[i];
	f1 = minflt();
	tap_diag("%s: 1 GiB touched every 2 MiB with %ld faults", d->bdf, f1 - f0);
	ASSERT_LE(f1 - f0, 4);
	munmap((void *)p, len);
}

static void t_reset_zaps(struct cxl_dev *d)
{
	volatile uint64_t *p = map_dpa(d, 0, 4 * SZ_2M, SZ_2M);
	uint64_t off6 = 3ull << 20, off2 = 2ull << 20;
	uint32_t rctrl;
	uint64_t rbase;
	long f0, f1;

	fill(p + off6 / 8, 6, off6, PAT_LEN);
	dev_reset(d);
	/* The reset cleared the real decoder; the driver put it back. */
	ASSERT_OK(real_dec0(d, &rctrl, &rbase));
	ASSERT_TRUE(rctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	f0 = minflt();
	check(p + off6 / 8, 6, off6, PAT_LEN);
	f1 = minflt();
	/* The mapping was zapped: it faulted back in. */
	ASSERT_GE(f1 - f0, 1);
	fill(p + off2 / 8, 2, off2, PAT_LEN);
	check(p + off2 / 8, 2, off2, PAT_LEN);
	munmap((void *)p, 4 * SZ_2M);
}

/*
 * Memory Space Enable governs the function's BARs, not CXL.mem (CXL r3.1
 * 8.1.3.2: Mem_Enable does): the DPA stays mapped and served while the
 * user turns it off, and after it is turned back on (the series' newer
 * selftest's hdm_mem_survives_mem_space_toggle: a gate that stayed shut).
 */
static void t_mem_space_toggle(struct cxl_dev *d)
{
	volatile uint64_t *p = map_dpa(d, 0, 8 * SZ_2M, SZ_2M);
	struct sigaction sa = { .sa_handler = on_bus }, old;
	uint64_t off10 = 9ull << 20, v = 0;
	uint16_t cmd = 0, off;
	ssize_t r;

	fill(p + off10 / 8, 10, off10, PAT_LEN);
	ASSERT_OK(cfg_read(d, 0x04, &cmd, 2));	/* PCI_COMMAND */
	off = cmd & ~0x2;			/* Memory Space off */
	ASSERT_OK(cfg_write(d, 0x04, &off, 2));
	sigaction(SIGBUS, &sa, &old);
	got_bus = 0;
	if (!sigsetjmp(bus_jmp, 1))
		v = p[off10 / 8];
	sigaction(SIGBUS, &old, NULL);
	r = pread(d->fd, &v, 8, d->dpa_off + off10);
	ASSERT_OK(cfg_write(d, 0x04, &cmd, 2));
	ASSERT_EQ(got_bus, 0);
	ASSERT_EQ(r, 8);
	ASSERT_EQ(v, pat(10, off10));
	/* Off and on again: the mapping and read() still work. */
	ASSERT_OK(cfg_write(d, 0x04, &off, 2));
	ASSERT_OK(cfg_write(d, 0x04, &cmd, 2));
	check(p + off10 / 8, 10, off10, PAT_LEN);
	ASSERT_EQ(pread(d->fd, &v, 8, d->dpa_off + off10), 8);
	ASSERT_EQ(v, pat(10, off10));
	munmap((void *)p, 8 * SZ_2M);
}

/* VFIO_DEVICE_PCI_HOT_RESET: a bus reset through the PCI core's bus path. */
static void t_hot_reset(struct cxl_dev *d)
{
	size_t isz = sizeof(struct vfio_pci_hot_reset_info) +
		     8 * sizeof(struct vfio_pci_dependent_device);
	struct vfio_pci_hot_reset_info *info = calloc(1, isz);
	struct vfio_pci_hot_reset *hr = calloc(1, sizeof(*hr) + sizeof(int32_t));
	volatile uint64_t *p = map_dpa(d, 0, 4 * SZ_2M, SZ_2M);
	uint64_t off8 = 6ull << 20;
	uint32_t rctrl;
	uint64_t rbase;
	long f0;
	int r;

	info->argsz = isz;
	r = ioctl(d->fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, info);
	if (r && errno == ENODEV)
		SKIP("no bus or slot reset for this device");
	ASSERT_OK(r);
	if (info->count != 1)
		SKIP("the reset would reach other devices");
	fill(p + off8 / 8, 8, off8, PAT_LEN);
	hr->argsz = sizeof(*hr) + sizeof(int32_t);
	hr->count = 1;
	hr->group_fds[0] = d->group;
	ASSERT_OK(ioctl(d->fd, VFIO_DEVICE_PCI_HOT_RESET, hr));
	ASSERT_OK(real_dec0(d, &rctrl, &rbase));
	ASSERT_TRUE(rctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	f0 = minflt();
	check(p + off8 / 8, 8, off8, PAT_LEN);
	ASSERT_GE(minflt() - f0, 1);
	munmap((void *)p, 4 * SZ_2M);
	free(info);
	free(hr);
}

static int low_power(struct cxl_dev *d, uint32_t feature)
{
	struct vfio_device_feature f = {
		.argsz = sizeof(f),
		.flags = VFIO_DEVICE_FEATURE_SET | feature,
	};

	return ioctl(d->fd, VFIO_DEVICE_FEATURE, &f);
}

static void t_sigbus_low_power(struct cxl_dev *d)
{
	volatile uint64_t *p = map_dpa(d, 0, SZ_2M, SZ_2M);
	struct sigaction sa = { .sa_handler = on_bus }, old;
	uint64_t v = 0;
	int r;

	(void)p[0];
	r = low_power(d, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY);
	if (r && errno == ENOTTY)
		SKIP("no low-power feature");
	ASSERT_OK(r);
	sigaction(SIGBUS, &sa, &old);
	got_bus = 0;
	if (!sigsetjmp(bus_jmp, 1))
		v = p[0];
	sigaction(SIGBUS, &old, NULL);
	ASSERT_OK(low_power(d, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT));
	ASSERT_EQ(got_bus, 1);
	(void)p[0];
	munmap((void *)p, SZ_2M);
	(void)v;
}

/*
 * A function without No_Soft_Reset resets itself on its way back from
 * D3hot, clearing its HDM decoders. QEMU's device has no PM capability, so
 * the test clears the real decoder 0 itself while the device is in low
 * power: the driver must check and restore it before the DPA is served.
 */
static void t_low_power_decoder_lost(struct cxl_dev *d)
{
	volatile uint64_t *p = map_dpa(d, 0, 4 * SZ_2M, SZ_2M);
	uint64_t off9 = 7ull << 20;
	uint32_t rctrl;
	uint64_t rbase, v = 0;
	int r;

	fill(p + off9 / 8, 9, off9, PAT_LEN);
	r = low_power(d, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY);
	if (r && errno == ENOTTY)
		SKIP("no low-power feature");
	ASSERT_OK(r);
	ASSERT_OK(real_dec0_set_ctrl(d, 0));
	ASSERT_OK(real_dec0(d, &rctrl, &rbase));
	if (rctrl & CXL_HDM_DEC_CTRL_COMMITTED) {
		/* An emulator that honours Lock On Commit keeps it. */
		ASSERT_OK(low_power(d, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT));
		munmap((void *)p, 4 * SZ_2M);
		SKIP("the real decoder 0 is locked: it cannot be cleared");
	}
	ASSERT_OK(low_power(d, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT));
	check(p + off9 / 8, 9, off9, PAT_LEN);
	ASSERT_OK(real_dec0(d, &rctrl, &rbase));
	ASSERT_TRUE(rctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	/* The same through read(), after another round. */
	ASSERT_OK(low_power(d, VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY));
	ASSERT_OK(real_dec0_set_ctrl(d, 0));
	ASSERT_OK(low_power(d, VFIO_DEVICE_FEATURE_LOW_POWER_EXIT));
	ASSERT_EQ(pread(d->fd, &v, 8, d->dpa_off + off9), 8);
	ASSERT_EQ(v, pat(9, off9));
	munmap((void *)p, 4 * SZ_2M);
}

static void t_close_reopen(struct cxl_dev *d)
{
	char bdf[32];
	volatile uint64_t *p;
	uint64_t off3 = 64ull << 20;

	snprintf(bdf, sizeof(bdf), "%s", d->bdf);
	dev_close(d);
	ASSERT_OK(dev_open(d, bdf));
	ASSERT_TRUE(d->have_cap);
	p = map_dpa(d, 0, d->dpa_size, SZ_2M);
	/* What was written before the close is still there (two resets later). */
	check(p, 1, 0, PAT_LEN);
	fill(p + off3 / 8, 3, off3, PAT_LEN);
	check(p + off3 / 8, 3, off3, PAT_LEN);
	munmap((void *)p, d->dpa_size);
}

static void t_guest_cxl_reset(struct cxl_dev *d)
{
	volatile uint64_t *p;
	uint64_t off7 = 5ull << 20;
	uint32_t rctrl;
	uint64_t rbase;
	long f0;

	p = map_dpa(d, 0, 4 * SZ_2M, SZ_2M);
	if (!(dvsec_rd16(d, CXL_DVSEC_CAP) & CXL_DVSEC_CAP_CXL_RESET)) {
		/*
		 * Not offered (QEMU's cxl-type3 has none; emulate_cxl_reset off):
		 * the doorbell does nothing: no reset, no result, the mapping
		 * stays (no fault to take again).
		 */
		fill(p + off7 / 8, 7, off7, PAT_LEN);
		f0 = minflt();
		dvsec_wr16(d, CXL_DVSEC_CTRL2, CXL_DVSEC_CTRL2_INIT_CXL_RESET);
		ASSERT_FALSE(dvsec_rd16(d, CXL_DVSEC_STATUS2) &
			     (CXL_DVSEC_STATUS2_RESET_COMPLETE | CXL_DVSEC_STATUS2_RESET_ERROR));
		check(p + off7 / 8, 7, off7, PAT_LEN);
		ASSERT_EQ(minflt() - f0, 0);
		munmap((void *)p, 4 * SZ_2M);
		return;
	}
	fill(p + off7 / 8, 7, off7, PAT_LEN);
	dvsec_wr16(d, CXL_DVSEC_CTRL2, CXL_DVSEC_CTRL2_INIT_CXL_RESET);
	ASSERT_TRUE(dvsec_rd16(d, CXL_DVSEC_STATUS2) & CXL_DVSEC_STATUS2_RESET_COMPLETE);
	ASSERT_FALSE(dvsec_rd16(d, CXL_DVSEC_STATUS2) & CXL_DVSEC_STATUS2_RESET_ERROR);
	ASSERT_OK(real_dec0(d, &rctrl, &rbase));
	ASSERT_TRUE(rctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	f0 = minflt();
	check(p + off7 / 8, 7, off7, PAT_LEN);
	ASSERT_GE(minflt() - f0, 1);
	munmap((void *)p, 4 * SZ_2M);
}

static const struct fixture_test tests[] = {
	{ "device_flags", t_device_flags },
	{ "cap_fields", t_cap_fields },
	{ "dpa_region_info", t_dpa_region_info },
	{ "comp_regs_region_info", t_comp_region_info },
	{ "comp_regs_no_mmap", t_comp_regs_no_mmap },
	{ "comp_bar_sparse_mmap", t_bar_sparse },
	{ "comp_bar_no_ioeventfd", t_bar_no_ioeventfd },
	{ "hdm_cap_read", t_hdm_cap },
	{ "hdm_dec0_preset", t_dec0_preset },
	{ "hdm_commit_latch_lock_until_reset", t_commit_latch },
	{ "comp_regs_bad_access", t_comp_bad_access },
	{ "dvsec_virtualized", t_dvsec_virtualized },
	{ "dvsec_config_lock", t_dvsec_lock },
	{ "other_cxl_dvsecs_read_only", t_other_dvsecs_ro },
	{ "dpa_mmap_rw", t_dpa_mmap_rw },
	{ "dpa_huge_mapping", t_dpa_huge_mapping },
	{ "dpa_pud_mapping", t_dpa_pud_mapping },
	{ "reset_zaps_and_restores", t_reset_zaps },
	{ "hdm_mem_survives_mem_space_toggle", t_mem_space_toggle },
	{ "guest_cxl_reset", t_guest_cxl_reset },
	{ "sigbus_low_power", t_sigbus_low_power },
	{ "low_power_decoder_lost", t_low_power_decoder_lost },
	{ "pci_hot_reset", t_hot_reset },
	{ "close_reopen", t_close_reopen },
};
#define NTESTS (sizeof(tests) / sizeof(tests[0]))

int main(int argc, char **argv)
{
	return fixture_main(argc, argv, tests, NTESTS);
}
