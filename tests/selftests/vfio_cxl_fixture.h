/* SPDX-License-Identifier: MIT */
/*
 * vfio_cxl_fixture.h: what the per-device selftests (vfio_cxl_test,
 * vfio_cxl_accel) do to a device again and again: the emulated decoders
 * through COMP_REGS, the DPA region mapped, patterns written and checked,
 * the emulated and the real DVSEC, a SIGBUS caught. On top of
 * vfio_cxl_harness.h.
 */
#ifndef VFIO_CXL_FIXTURE_H
#define VFIO_CXL_FIXTURE_H

#include <signal.h>

#include "vfio_cxl_harness.h"

#define PAT_LEN		0x10000
#define SZ_2M		0x200000ull

static inline uint32_t dec_reg(struct cxl_dev *d, unsigned int n, uint32_t reg)
{
	return d->hdm_off + CXL_HDM_DEC_OFF(n) + reg;
}

static inline uint32_t comp_rd(struct cxl_dev *d, uint32_t off)
{
	uint32_t v = 0xdeadbeef;

	ASSERT_OK(comp_read32(d, off, &v));
	return v;
}

static inline void comp_wr(struct cxl_dev *d, uint32_t off, uint32_t v)
{
	ASSERT_OK(comp_write32(d, off, v));
}

static inline void *map_dpa(struct cxl_dev *d, uint64_t off, uint64_t len, uint64_t align)
{
	char *res, *a, *p;

	res = mmap(NULL, len + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(res != MAP_FAILED);
	a = (char *)(((uintptr_t)res + align - 1) & ~(uintptr_t)(align - 1));
	p = mmap(a, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, d->fd,
		 d->dpa_off + off);
	ASSERT_TRUE(p != MAP_FAILED);
	if (a > res)
		munmap(res, a - res);
	if (res + len + align > a + len)
		munmap(a + len, res + len + align - (a + len));
	return p;
}

static inline void fill(volatile uint64_t *p, unsigned int tag, uint64_t off, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len / 8; i++)
		p[i] = pat(tag, off + i * 8);
}

static inline void check(volatile uint64_t *p, unsigned int tag, uint64_t off, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len / 8; i++)
		if (p[i] != pat(tag, off + i * 8))
			ASSERT_EQ(p[i], pat(tag, off + i * 8));
}

static inline void dev_reset(struct cxl_dev *d)
{
	ASSERT_OK(ioctl(d->fd, VFIO_DEVICE_RESET));
}

static inline void set_reset_method(struct cxl_dev *d, const char *m)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset_method", d->bdf);
	ASSERT_OK(sysfs_write(path, m));
}

/*
 * VFIO_DEVICE_RESET with the PCI core's reset method @m: "flr", or
 * "cxl_bus" (a secondary bus reset with the CXL port's SBR unmasked:
 * Linux refuses plain "bus" below a CXL port that masks SBR).
 */
static inline void reset_with(struct cxl_dev *d, const char *m)
{
	int r, e;

	set_reset_method(d, m);
	r = ioctl(d->fd, VFIO_DEVICE_RESET);
	e = errno;
	set_reset_method(d, "default");
	errno = e;
	ASSERT_EQ(r, 0);
}

/*
 * A conventional reset through VFIO_DEVICE_RESET: on a device whose first
 * reset method is an FLR (which keeps CXL.mem state, CXL r3.1 9.5), a bus
 * reset instead.
 */
static inline void conv_reset(struct cxl_dev *d)
{
	char path[128], m[256] = "";

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset_method", d->bdf);
	if (sysfs_read(path, m, sizeof(m)) || strncmp(m, "flr", 3)) {
		dev_reset(d);
		return;
	}
	reset_with(d, strstr(m, "cxl_bus") ? "cxl_bus" : "bus");
}

static inline void program_dec0(struct cxl_dev *d, uint64_t base)
{
	comp_wr(d, d->hdm_off + CXL_HDM_GCTRL, CXL_HDM_GCTRL_ENABLE);
	comp_wr(d, dec_reg(d, 0, CXL_HDM_DEC_BASE_LO), (uint32_t)base);
	comp_wr(d, dec_reg(d, 0, CXL_HDM_DEC_BASE_HI), base >> 32);
	comp_wr(d, dec_reg(d, 0, CXL_HDM_DEC_SIZE_LO), (uint32_t)d->dpa_size);
	comp_wr(d, dec_reg(d, 0, CXL_HDM_DEC_SIZE_HI), d->dpa_size >> 32);
}

static inline uint16_t dvsec_rd16(struct cxl_dev *d, uint32_t reg)
{
	return cfg_read16(d, d->dvsec + reg);
}

static inline void dvsec_wr16(struct cxl_dev *d, uint32_t reg, uint16_t v)
{
	ASSERT_OK(cfg_write(d, d->dvsec + reg, &v, 2));
}

static inline uint16_t real_rd16(struct cxl_dev *d, uint32_t reg)
{
	uint16_t v = 0xffff;

	ASSERT_OK(real_cfg_read(d->bdf, d->dvsec + reg, &v, 2));
	return v;
}

static sigjmp_buf bus_jmp;
static volatile int got_bus;

static inline void on_bus(int sig)
{
	got_bus = 1;
	siglongjmp(bus_jmp, 1);
}


/* Read *p; 1 when that took SIGBUS (and *v is left alone), else 0. */
static inline int read_or_bus(volatile uint64_t *p, uint64_t *v)
{
	struct sigaction sa = { .sa_handler = on_bus }, old;

	sigaction(SIGBUS, &sa, &old);
	got_bus = 0;
	if (!sigsetjmp(bus_jmp, 1))
		*v = *p;
	sigaction(SIGBUS, &old, NULL);
	return got_bus;
}

/*
 * The main of a per-device selftest: each device bound and opened, @tests
 * run on it in order, then the kernel log checked. The plan counts the
 * open and every test of every device, whether it opened or not.
 */
static inline int fixture_main(int argc, char **argv,
			       const struct fixture_test *tests, unsigned int ntests)
{
	char devs[16][32];
	int ndev = selftest_begin(argc, argv, devs, 16), i;
	unsigned int t;

	if (!ndev)
		return KSFT_SKIP;
	printf("1..%d\n", (int)(ndev * (ntests + 1) + 1));
	for (i = 0; i < ndev; i++) {
		struct cxl_dev d;
		int r;

		__t_num++;
		g_dev_index = i;
		r = dev_bind(devs[i]);
		if (!r)
			r = dev_open(&d, devs[i]);
		if (r) {
			printf("# %s: cannot bind/open: %s\n", devs[i], strerror(errno));
			printf("not ok %d open %s\n", __t_num, devs[i]);
			__t_fail++;
			for (t = 0; t < ntests; t++)
				printf("not ok %d %s %s # device did not open\n",
				       ++__t_num, tests[t].name, devs[i]);
			__t_fail += ntests;
			continue;
		}
		printf("ok %d open %s\n", __t_num, devs[i]);
		run_all(tests, ntests, &d);
		dev_close(&d);
	}
	return tap_finish();
}

#endif /* VFIO_CXL_FIXTURE_H */
