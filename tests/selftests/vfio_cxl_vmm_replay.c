// SPDX-License-Identifier: MIT
/*
 * vfio_cxl_vmm_replay [--switch-off] BDF=BASE...
 *
 * Plays, against the module, the decoder programming of the other VMM with
 * CXL Type-2 passthrough (NVIDIA's QEMU fork, "Program HDM decoder 0 at
 * machine_done for firmware-committed devices"), as issue 14 describes it,
 * then the reset QEMU sends right after machine-ready:
 *
 *   1. read decoder 0 Control (COMP_REGS, HDM block + 0x20);
 *   2. only if Lock On Commit reads set: write Control back without it;
 *   3. Base Low <- base & 0xF0000000, then Base High <- base >> 32;
 *   4. Control <- the value read | Commit | Lock On Commit;
 *   5. map the DPA region. No Size, Skip, Target Type or global HDM enable
 *      written, nothing read back, no reset handler;
 *   then VFIO_DEVICE_RESET, read decoder 0, write and read the DPA mapping.
 *
 * Each device gets its own guest window base (BDF=BASE), as the fork's
 * per-device base does. The patterns (tags 30 before the reset, 31 after)
 * are checked on the host in the backing files (check-backing --tags 30,31).
 *
 * --switch-off: the negative control. The module parameter
 * restore_guest_decoder is set to 0 and each device bound again (its
 * sysfs switch takes the parameter's value at bind); after the same
 * sequence and reset, decoder 0 must read back uncommitted at base 0.
 * Both switches are put back to 1 at the end.
 */
#include "vfio_cxl_harness.h"

#define PAT_LEN		0x10000
#define OFF_BEFORE	0x2000000ull	/* tag 30: written before the reset */
#define OFF_AFTER	0x2800000ull	/* tag 31: written after it */
#define PARAM		"/sys/module/vfio_cxl/parameters/restore_guest_decoder"

static bool g_switch_off;
static uint64_t g_base;
static volatile uint64_t *g_map;

static uint32_t dec0(struct cxl_dev *d, uint32_t reg)
{
	return d->hdm_off + CXL_HDM_DEC_OFF(0) + reg;
}

static uint32_t rd(struct cxl_dev *d, uint32_t off)
{
	uint32_t v = 0;

	ASSERT_OK(comp_read32(d, off, &v));
	return v;
}

static void wr(struct cxl_dev *d, uint32_t off, uint32_t v)
{
	ASSERT_OK(comp_write32(d, off, v));
}

static void fill(volatile uint64_t *p, unsigned int tag, uint64_t off)
{
	uint64_t i;

	for (i = 0; i < PAT_LEN / 8; i++)
		p[i] = pat(tag, off + i * 8);
}

static void check(volatile uint64_t *p, unsigned int tag, uint64_t off)
{
	uint64_t i;

	for (i = 0; i < PAT_LEN / 8; i++)
		if (p[i] != pat(tag, off + i * 8))
			ASSERT_EQ(p[i], pat(tag, off + i * 8));
}

/* Steps 1-4, exactly: nothing else written, nothing read back. */
static void t_program(struct cxl_dev *d)
{
	uint32_t ctrl = rd(d, dec0(d, CXL_HDM_DEC_CTRL));

	if (ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT)
		wr(d, dec0(d, CXL_HDM_DEC_CTRL), ctrl & ~CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
	wr(d, dec0(d, CXL_HDM_DEC_BASE_LO), (uint32_t)(g_base & 0xf0000000u));
	wr(d, dec0(d, CXL_HDM_DEC_BASE_HI), (uint32_t)(g_base >> 32));
	wr(d, dec0(d, CXL_HDM_DEC_CTRL),
	   ctrl | CXL_HDM_DEC_CTRL_COMMIT | CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
}

/* What steps 1-4 gave (the VMM itself does not look). */
static void t_committed(struct cxl_dev *d)
{
	uint32_t ctrl = rd(d, dec0(d, CXL_HDM_DEC_CTRL));

	ASSERT_TRUE(ctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	ASSERT_TRUE(ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
	ASSERT_EQ(rd(d, dec0(d, CXL_HDM_DEC_BASE_LO)), (uint32_t)g_base);
	ASSERT_EQ(rd(d, dec0(d, CXL_HDM_DEC_BASE_HI)), (uint32_t)(g_base >> 32));
}

/* Step 5, and a pattern through the mapping before the reset. */
static void t_map(struct cxl_dev *d)
{
	void *p = mmap(NULL, d->dpa_size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       d->fd, d->dpa_off);

	ASSERT_TRUE(p != MAP_FAILED);
	g_map = p;
	fill(g_map + OFF_BEFORE / 8, 30, OFF_BEFORE);
	check(g_map + OFF_BEFORE / 8, 30, OFF_BEFORE);
}

/* The reset vfio-pci sends from qemu_system_reset() after machine-done. */
static void t_reset(struct cxl_dev *d)
{
	ASSERT_OK(ioctl(d->fd, VFIO_DEVICE_RESET));
}

static void t_dec0_after_reset(struct cxl_dev *d)
{
	uint32_t ctrl = rd(d, dec0(d, CXL_HDM_DEC_CTRL));
	uint64_t size = rd(d, dec0(d, CXL_HDM_DEC_SIZE_LO)) |
			(uint64_t)rd(d, dec0(d, CXL_HDM_DEC_SIZE_HI)) << 32;

	tap_diag("%s: decoder 0 after the reset: control %#x base %#x_%08x",
		 d->bdf, ctrl, rd(d, dec0(d, CXL_HDM_DEC_BASE_HI)),
		 rd(d, dec0(d, CXL_HDM_DEC_BASE_LO)));
	ASSERT_EQ(size, d->dpa_size);
	if (g_switch_off) {
		/* The switch off: the reset's own result, nothing restored. */
		ASSERT_FALSE(ctrl & CXL_HDM_DEC_CTRL_COMMITTED);
		ASSERT_FALSE(ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
		ASSERT_EQ(rd(d, dec0(d, CXL_HDM_DEC_BASE_LO)), 0);
		ASSERT_EQ(rd(d, dec0(d, CXL_HDM_DEC_BASE_HI)), 0);
		return;
	}
	ASSERT_TRUE(ctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	ASSERT_TRUE(ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
	ASSERT_FALSE(ctrl & CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED);
	ASSERT_EQ(rd(d, dec0(d, CXL_HDM_DEC_BASE_LO)), (uint32_t)g_base);
	ASSERT_EQ(rd(d, dec0(d, CXL_HDM_DEC_BASE_HI)), (uint32_t)(g_base >> 32));
}

/*
 * Restored locked: a guest cannot move or uncommit it. With the switch off
 * the reset left it unlocked: the same base write goes through.
 */
static void t_dec0_still_locked(struct cxl_dev *d)
{
	if (g_switch_off) {
		wr(d, dec0(d, CXL_HDM_DEC_BASE_LO), (uint32_t)(g_base + 0x10000000u));
		ASSERT_EQ(rd(d, dec0(d, CXL_HDM_DEC_BASE_LO)), (uint32_t)(g_base + 0x10000000u));
		ASSERT_FALSE(rd(d, dec0(d, CXL_HDM_DEC_CTRL)) & CXL_HDM_DEC_CTRL_COMMITTED);
		wr(d, dec0(d, CXL_HDM_DEC_BASE_LO), 0);
		return;
	}
	wr(d, dec0(d, CXL_HDM_DEC_BASE_LO), (uint32_t)(g_base + 0x10000000u));
	wr(d, dec0(d, CXL_HDM_DEC_CTRL), 0);
	ASSERT_EQ(rd(d, dec0(d, CXL_HDM_DEC_BASE_LO)), (uint32_t)g_base);
	ASSERT_TRUE(rd(d, dec0(d, CXL_HDM_DEC_CTRL)) & CXL_HDM_DEC_CTRL_COMMITTED);
}

/* The VMM's mapping, unchanged by it, after the reset. */
static void t_dpa_after_reset(struct cxl_dev *d)
{
	check(g_map + OFF_BEFORE / 8, 30, OFF_BEFORE);
	fill(g_map + OFF_AFTER / 8, 31, OFF_AFTER);
	check(g_map + OFF_AFTER / 8, 31, OFF_AFTER);
}

static const struct fixture_test tests[] = {
	{ "replay_steps_1_to_4", t_program },
	{ "replay_decoder0_committed_locked", t_committed },
	{ "replay_step_5_map_dpa", t_map },
	{ "vfio_device_reset", t_reset },
	{ "decoder0_after_reset", t_dec0_after_reset },
	{ "decoder0_locked_after_reset", t_dec0_still_locked },
	{ "dpa_mapping_after_reset", t_dpa_after_reset },
};
#define NTESTS (sizeof(tests) / sizeof(tests[0]))

/* Set the module parameter and bind @bdf again, so the device takes it. */
static int rebind_with(const char *bdf, const char *val)
{
	char path[128], buf[8] = "", drv[64];

	if (sysfs_write(PARAM, val))
		return -1;
	if (dev_driver(bdf, drv, sizeof(drv))[0] && dev_unbind(bdf))
		return -1;
	if (dev_bind(bdf))
		return -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/restore_guest_decoder", bdf);
	if (sysfs_read(path, buf, sizeof(buf)) || buf[0] != val[0]) {
		printf("# %s: restore_guest_decoder reads '%s' after bind with the parameter %s\n",
		       bdf, buf, val);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char devs[16][32], *eq;
	uint64_t bases[16];
	int ndev = 0, i;
	unsigned int t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--switch-off")) {
			g_switch_off = true;
			continue;
		}
		eq = strchr(argv[i], '=');
		if (!eq || ndev == 16) {
			printf("1..0 # usage: vfio_cxl_vmm_replay [--switch-off] BDF=BASE...\n");
			return KSFT_FAIL;
		}
		*eq = 0;
		snprintf(devs[ndev], 32, "%s", argv[i]);
		bases[ndev++] = strtoull(eq + 1, NULL, 0);
	}
	if (!ndev) {
		printf("1..0 # SKIP no device: pass BDF=BASE\n");
		return KSFT_SKIP;
	}
	load_modules();
	printf("1..%d\n", (int)(ndev * (NTESTS + 1) + 1));
	for (i = 0; i < ndev; i++) {
		struct cxl_dev d;
		int r;

		__t_num++;
		g_dev_index = i;
		g_base = bases[i];
		g_map = NULL;
		r = g_switch_off ? rebind_with(devs[i], "0") : dev_bind(devs[i]);
		if (!r)
			r = dev_open(&d, devs[i]);
		if (r || !d.have_cap || !d.hdm_off) {
			printf("# %s: cannot bind/open as a CXL device: %s\n", devs[i],
			       strerror(errno));
			printf("not ok %d open %s\n", __t_num, devs[i]);
			__t_fail++;
			for (t = 0; t < NTESTS; t++)
				printf("not ok %d %s %s # device did not open\n",
				       ++__t_num, tests[t].name, devs[i]);
			__t_fail += NTESTS;
			continue;
		}
		printf("ok %d open %s (guest window base %#llx)\n", __t_num, devs[i],
		       (unsigned long long)g_base);
		for (t = 0; t < NTESTS; t++) {
			if (t > 2 && !g_map) {
				printf("not ok %d %s %s # the DPA region was not mapped\n",
				       ++__t_num, tests[t].name, devs[i]);
				__t_fail++;
				continue;
			}
			run_one(&tests[t], &d);
		}
		if (g_map)
			munmap((void *)g_map, d.dpa_size);
		dev_close(&d);
		if (g_switch_off && rebind_with(devs[i], "1"))
			printf("# %s: could not put the switch back on\n", devs[i]);
	}
	tap_kernel_log();
	printf("# %d tests, %d failed, %d skipped\n", __t_num, __t_fail, __t_skip);
	return __t_fail ? KSFT_FAIL : KSFT_PASS;
}
