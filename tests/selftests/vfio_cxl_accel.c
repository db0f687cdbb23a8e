// SPDX-License-Identifier: MIT
/*
 * vfio_cxl_accel: what makes a device Type-2, tested through vfio-pci-cxl
 * on the emulated accelerator cxl-accel (tests/accel/README.md): the device
 * cache written back before every reset (and what is lost without it), FLR
 * against a bus reset, the guest's Cache WBI and CXL Reset carried out on
 * the device, Memory_Active, DVSEC Mem_Enable after a reset, the vendor
 * areas of the shared BAR. In L1 on accel.topo, after the firmware step;
 * one fixture per device (argv or $VFIO_CXL_DEVICES), TAP.
 *
 * Host memory for the device's DMA engine is a buffer of this program
 * mapped through the VFIO container (type1): the device writes it through
 * its cache, and the test reads it here.
 */
#include <linux/pci_regs.h>

#include "vfio_cxl_fixture.h"
#include "cxl_accel_cmd.h"

#define PARAM_DIR	"/sys/module/vfio_cxl/parameters/"
#define IOVA		0x80000000ull	/* where the DMA buffer is mapped */
#define BUF_SIZE	SZ_2M
#define NLINES		4		/* cache lines a test dirties (< capacity) */
#define GUEST_BASE	0x400000000ull

static uint8_t *g_buf;			/* the DMA buffer, at IOVA */

/* ---- the accelerator's command interface, through the VFIO BAR region ---- */

static uint32_t acc_rd(struct cxl_dev *d, uint32_t off)
{
	uint32_t v = 0xdeadbeef;

	ASSERT_EQ(pread(d->fd, &v, 4, d->bar_off + off), 4);
	return v;
}

static void acc_wr(struct cxl_dev *d, uint32_t off, uint32_t v)
{
	ASSERT_EQ(pwrite(d->fd, &v, 4, d->bar_off + off), 4);
}

static void io_wr32(void *priv, u32 off, u32 v)
{
	acc_wr(priv, off, v);
}

/* 64-bit registers as two dwords (the device takes both). */
static void io_wr64(void *priv, u32 off, u64 v)
{
	acc_wr(priv, off, (uint32_t)v);
	acc_wr(priv, off + 4, v >> 32);
}

/* Run one command (synchronous); returns ERROR_CODE (0 when DONE). */
static uint32_t acc_cmd(struct cxl_dev *d, uint32_t op, uint64_t src, uint64_t dst,
			uint64_t len, uint64_t pattern)
{
	const struct cxl_accel_io io = { .wr32 = io_wr32, .wr64 = io_wr64, .priv = d };
	uint32_t st;

	cxl_accel_cmd_start(&io, op, src, dst, len, pattern);
	st = acc_rd(d, CXL_ACCEL_STATUS);
	if (st & CXL_ACCEL_STATUS_ERROR)
		return acc_rd(d, CXL_ACCEL_ERROR_CODE);
	ASSERT_TRUE(st & CXL_ACCEL_STATUS_DONE);
	return 0;
}

static uint64_t line_pat(unsigned int tag)
{
	return pat(tag, 0x5ca1ab1e);
}

/* How many qwords of buffer lines 0..NLINES-1 hold @p. */
static unsigned int buf_count(uint64_t p)
{
	volatile uint64_t *q = (volatile uint64_t *)g_buf;
	unsigned int i, n = 0;

	for (i = 0; i < NLINES * CXL_ACCEL_CACHE_LINE / 8; i++)
		n += q[i] == p;
	return n;
}

/*
 * The device writes @tag's pattern to NLINES lines of the buffer through
 * its cache: dirty in the device, not yet in memory (checked).
 */
static void cache_write(struct cxl_dev *d, unsigned int tag)
{
	memset(g_buf, 0, NLINES * CXL_ACCEL_CACHE_LINE);
	ASSERT_EQ(acc_cmd(d, CXL_ACCEL_OP_CACHE_WRITE_HOST, 0, IOVA,
			  NLINES * CXL_ACCEL_CACHE_LINE, line_pat(tag)), 0);
	ASSERT_EQ(acc_rd(d, CXL_ACCEL_CACHE_DIRTY), NLINES);
	ASSERT_EQ(buf_count(line_pat(tag)), 0);
}

static void set_param(const char *name, const char *val)
{
	ASSERT_OK(sysfs_write(name, val));
}

static void set_restore_guest(struct cxl_dev *d, const char *v)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/restore_guest_decoder",
		 d->bdf);
	ASSERT_OK(sysfs_write(path, v));
}

static uint32_t real_range1_lo(struct cxl_dev *d)
{
	uint32_t v = 0;

	ASSERT_OK(real_cfg_read(d->bdf, d->dvsec + CXL_DVSEC_RANGE_SIZE_LO(0), &v, 4));
	return v;
}

static int real_mem_active(struct cxl_dev *d)
{
	return !!(real_range1_lo(d) & CXL_DVSEC_RANGE_SIZE_LO_ACTIVE);
}

/*
 * Before each test: the switches a test changes back at their defaults,
 * so that one failing midway does not change what the next one tests.
 */
static void knobs_default(struct cxl_dev *d)
{
	sysfs_write(PARAM_DIR "reset_cache_wbi", "1");
	sysfs_write(PARAM_DIR "mem_active_wait_ms", "-1");
	set_reset_method(d, "default");
	set_restore_guest(d, "1");
}

/* ---- tests --------------------------------------------------------------- */

/* Open: bus master on, the DMA buffer mapped, the device is the accelerator. */
static void t_setup(struct cxl_dev *d)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.iova = IOVA,
		.size = BUF_SIZE,
	};
	uint16_t cmd = 0;

	ASSERT_EQ(acc_rd(d, CXL_ACCEL_ID), CXL_ACCEL_ID_VALUE);
	if (!g_buf) {
		g_buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_TRUE(g_buf != MAP_FAILED);
		memset(g_buf, 0, BUF_SIZE);
	}
	map.vaddr = (uintptr_t)g_buf;
	ASSERT_OK(ioctl(d->container, VFIO_IOMMU_MAP_DMA, &map));
	ASSERT_OK(cfg_read(d, PCI_COMMAND, &cmd, 2));
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	ASSERT_OK(cfg_write(d, PCI_COMMAND, &cmd, 2));
	/* The DMA engine against the DPA region: the test's own plumbing. */
	g_buf[0x1000] = 0x5a;
	ASSERT_EQ(acc_cmd(d, CXL_ACCEL_OP_COPY_H2D, IOVA, 0x300000, 0x1000, 0), 0);
	ASSERT_EQ(acc_cmd(d, CXL_ACCEL_OP_COPY_D2H, 0x300000, IOVA + 0x1000, 0x1000, 0), 0);
	ASSERT_EQ(memcmp(g_buf, g_buf + 0x1000, 0x1000), 0);
}

/* The real DVSEC says Type-2; the VFIO capability says cache capable. */
static void t_cache_capable(struct cxl_dev *d)
{
	uint16_t cap = real_rd16(d, CXL_DVSEC_CAP);

	ASSERT_TRUE(cap & CXL_DVSEC_CAP_CACHE);
	ASSERT_TRUE(cap & CXL_DVSEC_CAP_CACHE_WBI);
	ASSERT_TRUE(cap & CXL_DVSEC_CAP_CXL_RESET);
	ASSERT_TRUE(d->cap.flags & VFIO_CXL_CAP_CACHE_CAPABLE);
	/* Emulated CXL Reset and Mem Clr pass through as capable. */
	ASSERT_TRUE(dvsec_rd16(d, CXL_DVSEC_CAP) & CXL_DVSEC_CAP_CXL_RESET_MEM_CLR);
}

/* The shared BAR: vendor areas on both sides of the block, mmap-able, RW. */
static void t_vendor_areas(struct cxl_dev *d)
{
	struct vfio_region_info *ri;
	struct vfio_region_info_cap_sparse_mmap *sp;
	int below = 0, above = 0;
	volatile uint32_t *a, *b;
	uint32_t i;
	void *p;

	ASSERT_OK(vfio_region(d->fd, CXL_ACCEL_BAR, &ri));
	sp = (void *)vfio_find_cap(ri, ri->argsz, ri->cap_offset,
				   VFIO_REGION_INFO_CAP_SPARSE_MMAP);
	ASSERT_TRUE(sp);
	for (i = 0; i < sp->nr_areas; i++) {
		uint64_t s = sp->areas[i].offset, e = s + sp->areas[i].size;

		below |= s <= CXL_ACCEL_VENDOR_A_OFFSET && e >= CXL_ACCEL_COMP_OFFSET;
		above |= s <= CXL_ACCEL_VENDOR_B_OFFSET &&
			 e >= CXL_ACCEL_VENDOR_B_OFFSET + CXL_ACCEL_VENDOR_B_SIZE;
	}
	free(ri);
	ASSERT_TRUE(below);
	ASSERT_TRUE(above);
	a = mmap(NULL, CXL_ACCEL_VENDOR_A_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 d->fd, d->bar_off + CXL_ACCEL_VENDOR_A_OFFSET);
	ASSERT_TRUE(a != MAP_FAILED);
	ASSERT_EQ(a[CXL_ACCEL_ID / 4], CXL_ACCEL_ID_VALUE);
	b = mmap(NULL, CXL_ACCEL_VENDOR_B_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 d->fd, d->bar_off + CXL_ACCEL_VENDOR_B_OFFSET);
	ASSERT_TRUE(b != MAP_FAILED);
	b[0] = 0x600dcafe;
	b[CXL_ACCEL_VENDOR_B_SIZE / 4 - 1] = 0x0b0e0b0e;
	ASSERT_EQ(b[0], 0x600dcafe);
	ASSERT_EQ(acc_rd(d, CXL_ACCEL_VENDOR_B_OFFSET + CXL_ACCEL_VENDOR_B_SIZE - 4),
		  0x0b0e0b0e);
	munmap((void *)a, CXL_ACCEL_VENDOR_A_SIZE);
	munmap((void *)b, CXL_ACCEL_VENDOR_B_SIZE);
	errno = 0;
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, d->fd, d->bar_off + CXL_ACCEL_COMP_OFFSET);
	ASSERT_TRUE(p == MAP_FAILED);
	ASSERT_EQ(errno, EINVAL);
}

/* Dirty lines, then a VMM reset of @method: are they in memory after? */
static void reset_keeps_lines(struct cxl_dev *d, const char *method, unsigned int tag)
{
	cache_write(d, tag);
	reset_with(d, method);
	ASSERT_EQ(buf_count(line_pat(tag)), NLINES * CXL_ACCEL_CACHE_LINE / 8);
	ASSERT_EQ(acc_rd(d, CXL_ACCEL_CACHE_DIRTY), 0);
}

/* The data-loss test: VFIO_DEVICE_RESET (an FLR here) after cache writes. */
static void t_reset_writes_back_flr(struct cxl_dev *d)
{
	reset_keeps_lines(d, "flr", 40);
}

static void t_reset_writes_back_bus(struct cxl_dev *d)
{
	reset_keeps_lines(d, "cxl_bus", 41);
}

/*
 * Its negative control: the module's write-back off (reset_cache_wbi=0).
 * An FLR leaves the dirty lines in the device (CXL r3.1 9.5), a bus reset
 * drops them; either way memory does not have them.
 */
static void t_no_reset_wbi(struct cxl_dev *d)
{
	unsigned int dirty_flr, dirty_bus, got_flr, got_bus_;

	set_param(PARAM_DIR "reset_cache_wbi", "0");
	cache_write(d, 42);
	reset_with(d, "flr");
	got_flr = buf_count(line_pat(42));
	dirty_flr = acc_rd(d, CXL_ACCEL_CACHE_DIRTY);
	reset_with(d, "cxl_bus");
	got_bus_ = buf_count(line_pat(42));
	dirty_bus = acc_rd(d, CXL_ACCEL_CACHE_DIRTY);
	set_param(PARAM_DIR "reset_cache_wbi", "1");
	ASSERT_EQ(got_flr, 0);
	ASSERT_EQ(dirty_flr, NLINES);
	ASSERT_EQ(got_bus_, 0);
	ASSERT_EQ(dirty_bus, 0);
}

/*
 * An FLR leaves device memory and the guest-visible decoder 0 (committed,
 * locked) as they were; a bus reset clears decoder 0 (the VMM's restore
 * switched off to see it) but not what the host restores: the real decoder
 * and DVSEC Mem_Enable, so device memory reads back, not all-ones.
 */
static void t_flr_vs_bus(struct cxl_dev *d)
{
	volatile uint64_t *p = map_dpa(d, 0, SZ_2M, SZ_2M);
	uint32_t gctrl, rctrl;
	uint64_t rbase, v = 0;

	fill(p, 43, 0, 0x1000);
	program_dec0(d, GUEST_BASE);
	comp_wr(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL),
		CXL_HDM_DEC_CTRL_COMMIT | CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
	ASSERT_TRUE(comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL)) & CXL_HDM_DEC_CTRL_COMMITTED);
	set_restore_guest(d, "0");

	reset_with(d, "flr");
	gctrl = comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL));
	ASSERT_TRUE(gctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	ASSERT_TRUE(gctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
	ASSERT_EQ(comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_BASE_HI)), GUEST_BASE >> 32);
	check(p, 43, 0, 0x1000);

	reset_with(d, "cxl_bus");
	set_restore_guest(d, "1");
	gctrl = comp_rd(d, dec_reg(d, 0, CXL_HDM_DEC_CTRL));
	ASSERT_FALSE(gctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	ASSERT_FALSE(gctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
	/* The device cleared its decoder and Mem_Enable; the host put both back. */
	ASSERT_OK(real_dec0(d, &rctrl, &rbase));
	ASSERT_TRUE(rctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	ASSERT_TRUE(real_rd16(d, CXL_DVSEC_CTRL) & CXL_DVSEC_CTRL_MEM_EN);
	ASSERT_EQ(pread(d->fd, &v, 8, d->dpa_off + 8), 8);
	ASSERT_EQ(v, pat(43, 8));
	check(p, 43, 0, 0x1000);
	munmap((void *)p, SZ_2M);
}

/* The guest's Cache WBI through the emulated DVSEC reaches the device. */
static void t_guest_cache_wbi(struct cxl_dev *d)
{
	cache_write(d, 44);
	dvsec_wr16(d, CXL_DVSEC_CTRL2, CXL_DVSEC_CTRL2_DISABLE_CACHING);
	dvsec_wr16(d, CXL_DVSEC_CTRL2, CXL_DVSEC_CTRL2_DISABLE_CACHING |
		   CXL_DVSEC_CTRL2_INIT_CACHE_WBI);
	ASSERT_TRUE(dvsec_rd16(d, CXL_DVSEC_STATUS2) & CXL_DVSEC_STATUS2_CACHE_INVALID);
	ASSERT_EQ(buf_count(line_pat(44)), NLINES * CXL_ACCEL_CACHE_LINE / 8);
	ASSERT_EQ(acc_rd(d, CXL_ACCEL_CACHE_DIRTY), 0);
	/* The guest's Disable Caching is the guest's: the device caches again. */
	ASSERT_FALSE(real_rd16(d, CXL_DVSEC_CTRL2) & CXL_DVSEC_CTRL2_DISABLE_CACHING);
	dvsec_wr16(d, CXL_DVSEC_CTRL2, 0);
	ASSERT_FALSE(dvsec_rd16(d, CXL_DVSEC_STATUS2) & CXL_DVSEC_STATUS2_CACHE_INVALID);
}

/* A guest CXL Reset: real, Mem Clr as asked, the host decoder back after. */
static void guest_cxl_reset(struct cxl_dev *d, bool mem_clr, unsigned int tag)
{
	volatile uint64_t *p = map_dpa(d, 0, SZ_2M, SZ_2M);
	uint16_t c2 = mem_clr ? CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN : 0;
	uint32_t rctrl;
	uint64_t rbase, v = ~0ull;

	fill(p, tag, 0, 0x1000);
	/* Dirty lines too: the module writes them back before the reset. */
	cache_write(d, tag);
	dvsec_wr16(d, CXL_DVSEC_CTRL2, c2);
	dvsec_wr16(d, CXL_DVSEC_CTRL2, c2 | CXL_DVSEC_CTRL2_INIT_CXL_RESET);
	ASSERT_TRUE(dvsec_rd16(d, CXL_DVSEC_STATUS2) & CXL_DVSEC_STATUS2_RESET_COMPLETE);
	ASSERT_FALSE(dvsec_rd16(d, CXL_DVSEC_STATUS2) & CXL_DVSEC_STATUS2_RESET_ERROR);
	ASSERT_EQ(buf_count(line_pat(tag)), NLINES * CXL_ACCEL_CACHE_LINE / 8);
	ASSERT_OK(real_dec0(d, &rctrl, &rbase));
	ASSERT_TRUE(rctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	ASSERT_TRUE(real_rd16(d, CXL_DVSEC_CTRL) & CXL_DVSEC_CTRL_MEM_EN);
	ASSERT_EQ(pread(d->fd, &v, 8, d->dpa_off + 16), 8);
	if (mem_clr) {
		ASSERT_EQ(v, 0);
		ASSERT_EQ(p[0], 0);
		ASSERT_EQ(p[0x1000 / 8 - 1], 0);
	} else {
		ASSERT_EQ(v, pat(tag, 16));
		check(p, tag, 0, 0x1000);
	}
	munmap((void *)p, SZ_2M);
}

static void t_guest_cxl_reset_mem_clr(struct cxl_dev *d)
{
	guest_cxl_reset(d, true, 45);
}

static void t_guest_cxl_reset_keeps(struct cxl_dev *d)
{
	guest_cxl_reset(d, false, 46);
}

/*
 * Memory_Active comes a delay after every reset (2 s on accel.topo). By
 * default the reset waits for it: when VFIO_DEVICE_RESET returns, the
 * device says active and memory is served.
 */
static void t_mem_active_waited(struct cxl_dev *d)
{
	volatile uint64_t *p = map_dpa(d, 0, SZ_2M, SZ_2M);
	uint64_t v = 0;

	fill(p, 47, 0, 64);
	dev_reset(d);
	ASSERT_EQ(real_mem_active(d), 1);
	ASSERT_EQ(read_or_bus(p, &v), 0);
	ASSERT_EQ(v, pat(47, 0));
	munmap((void *)p, SZ_2M);
}

/*
 * With the wait off (mem_active_wait_ms=0) the reset returns at once: a
 * touch before Memory_Active gets SIGBUS and read() EIO, without a host
 * access to the range; once the device sets it, both work.
 */
static void t_mem_inactive_refused(struct cxl_dev *d)
{
	volatile uint64_t *p = map_dpa(d, 0, SZ_2M, SZ_2M);
	uint64_t v = 0;
	int active_after, bus, i;
	ssize_t r;
	int e;

	fill(p, 48, 0, 64);
	set_param(PARAM_DIR "mem_active_wait_ms", "0");
	dev_reset(d);
	set_param(PARAM_DIR "mem_active_wait_ms", "-1");
	active_after = real_mem_active(d);
	bus = read_or_bus(p, &v);
	errno = 0;
	r = pread(d->fd, &v, 8, d->dpa_off);
	e = errno;
	ASSERT_EQ(active_after, 0);
	ASSERT_EQ(bus, 1);
	ASSERT_EQ(r, -1);
	ASSERT_EQ(e, EIO);
	for (i = 0; i < 100 && !real_mem_active(d); i++)
		usleep(50000);
	ASSERT_EQ(real_mem_active(d), 1);
	ASSERT_EQ(read_or_bus(p, &v), 0);
	ASSERT_EQ(v, pat(48, 0));
	ASSERT_EQ(pread(d->fd, &v, 8, d->dpa_off + 8), 8);
	ASSERT_EQ(v, pat(48, 8));
	munmap((void *)p, SZ_2M);
}

static const struct fixture_test tests[] = {
	{ "setup_dma", t_setup },
	{ "cache_capable", t_cache_capable },
	{ "comp_bar_vendor_areas", t_vendor_areas },
	{ "reset_writes_back_cache_flr", t_reset_writes_back_flr },
	{ "reset_writes_back_cache_bus", t_reset_writes_back_bus },
	{ "no_reset_wbi_loses_lines", t_no_reset_wbi },
	{ "flr_keeps_bus_clears", t_flr_vs_bus },
	{ "guest_cache_wbi", t_guest_cache_wbi },
	{ "guest_cxl_reset_mem_clr", t_guest_cxl_reset_mem_clr },
	{ "guest_cxl_reset_keeps_memory", t_guest_cxl_reset_keeps },
	{ "mem_active_waited", t_mem_active_waited },
	{ "mem_inactive_refused", t_mem_inactive_refused },
};
#define NTESTS (sizeof(tests) / sizeof(tests[0]))

int main(int argc, char **argv)
{
	g_before_each = knobs_default;
	return fixture_main(argc, argv, tests, NTESTS);
}
