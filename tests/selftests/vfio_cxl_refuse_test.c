// SPDX-License-Identifier: MIT
/*
 * vfio_cxl_refuse_test: what vfio-pci-cxl refuses, and its off switches.
 * Runs in a guest booted WITHOUT the firmware step (no committed decoder):
 *  - the device binds, but open is refused with the reason in sysfs;
 *  - a PCI function without a CXL Device DVSEC is refused at probe;
 *  - disable_cxl_devices=<bdf> and disable_cxl=1 make it plain vfio-pci;
 *  - commit_uncommitted=1: the driver commits decoder 0 itself at the base
 *    of the window for its host bridge (tag 21 at 16 MiB, for the host check),
 *    and uncommits it at unbind;
 *  - once firmware commits the decoder (cxl-fw commit), open succeeds;
 *  - a second committed decoder, or an interleaved decoder 0, is refused
 *    with the reason, nothing reserved, and accepted again once undone.
 */
#include "vfio_cxl_harness.h"

#define PARAM_DIR "/sys/module/vfio_cxl/parameters/"

static void learn_layout(struct cxl_dev *o);
static uint32_t real_hdm_read(const char *bdf, uint32_t reg);

static char status_buf[256];

static const char *cxl_status(const char *bdf)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/cxl_status", bdf);
	if (sysfs_read(path, status_buf, sizeof(status_buf)))
		snprintf(status_buf, sizeof(status_buf), "(none)");
	return status_buf;
}

static void rebind(struct cxl_dev *d)
{
	dev_unbind(d->bdf);
	ASSERT_OK(dev_bind(d->bdf));
}

static void t_open_refused(struct cxl_dev *d)
{
	struct cxl_dev o;
	char bdf[32];

	snprintf(bdf, sizeof(bdf), "%s", d->bdf);
	rebind(d);
	tap_diag("%s: cxl_status: %s", bdf, cxl_status(bdf));
	ASSERT_TRUE(strstr(cxl_status(bdf), "refused: decoder 0 not committed"));
	errno = 0;
	ASSERT_TRUE(dev_open(&o, bdf) < 0);
	ASSERT_EQ(errno, ENXIO);
	dev_close(&o);
	/* Nothing half set up: the HPA range is not reserved. */
	ASSERT_EQ(system("grep -q vfio-cxl /proc/iomem"), 256 * 1);
}

static void t_probe_refuses_non_cxl(struct cxl_dev *d)
{
	DIR *dir = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	char victim[64] = "", path[300], drv[64], cls[32];
	int r;

	ASSERT_TRUE(dir);
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class", e->d_name);
		if (sysfs_read(path, cls, sizeof(cls)))
			continue;
		/* No driver, not a bridge, not a CXL memory device. */
		if (dev_driver(e->d_name, drv, sizeof(drv))[0] ||
		    !strncmp(cls, "0x06", 4) || !strncmp(cls, "0x0502", 6))
			continue;
		snprintf(victim, sizeof(victim), "%s", e->d_name);
		break;
	}
	closedir(dir);
	if (!victim[0])
		SKIP("no free non-CXL PCI function");
	system("dmesg -c >/dev/null");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", victim);
	ASSERT_OK(sysfs_write(path, "vfio-pci-cxl"));
	sysfs_write("/sys/bus/pci/drivers_probe", victim);
	r = strcmp(dev_driver(victim, drv, sizeof(drv)), "vfio-pci-cxl");
	sysfs_write(path, "\n");
	tap_diag("%s (class %s) bound: %s", victim, cls, r ? "no" : "yes");
	ASSERT_NE(r, 0);
	snprintf(path, sizeof(path),
		 "dmesg | grep -q '%s: not a CXL device: no CXL Device DVSEC'", victim);
	ASSERT_EQ(system(path), 0);
}

static void check_plain(const char *bdf)
{
	struct cxl_dev o;
	uint32_t hdr;

	ASSERT_TRUE(strstr(cxl_status(bdf), "disabled"));
	ASSERT_OK(dev_open(&o, bdf));
	ASSERT_FALSE(o.info.flags & VFIO_DEVICE_FLAGS_CXL);
	ASSERT_FALSE(o.have_cap);
	ASSERT_EQ(o.info.num_regions, VFIO_PCI_NUM_REGIONS);
	/* Config space is vfio-pci's: the DVSEC header reads through. */
	ASSERT_NE(o.dvsec = find_dvsec(&o, CXL_DVSEC_VENDOR_ID, CXL_DVSEC_ID_DEVICE), 0);
	ASSERT_OK(real_cfg_read(bdf, o.dvsec, &hdr, 4));
	ASSERT_EQ(cfg_read32(&o, o.dvsec), hdr);
	dev_close(&o);
}

static void t_disable_per_device(struct cxl_dev *d)
{
	ASSERT_OK(sysfs_write(PARAM_DIR "disable_cxl_devices", d->bdf));
	rebind(d);
	check_plain(d->bdf);
	ASSERT_OK(sysfs_write(PARAM_DIR "disable_cxl_devices", "\n"));
	rebind(d);
	ASSERT_FALSE(strstr(cxl_status(d->bdf), "disabled"));
}

static void t_disable_global(struct cxl_dev *d)
{
	ASSERT_OK(sysfs_write(PARAM_DIR "disable_cxl", "1"));
	rebind(d);
	check_plain(d->bdf);
	ASSERT_OK(sysfs_write(PARAM_DIR "disable_cxl", "0"));
	rebind(d);
	ASSERT_FALSE(strstr(cxl_status(d->bdf), "disabled"));
}

/* Base of the first CFMWS in the ACPI CEDT (ACPI table header: 36 bytes). */
static unsigned long long cedt_first_window(void)
{
	unsigned char buf[4096];
	unsigned long long base = 0;
	int fd = open("/sys/firmware/acpi/tables/CEDT", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));
	size_t p = 36;

	if (fd >= 0)
		close(fd);
	while (n > 0 && p + 4 <= (size_t)n) {
		unsigned int len = buf[p + 2] | buf[p + 3] << 8;

		if (len < 4 || p + len > (size_t)n)
			break;
		if (buf[p] == 1 && len >= 16) {	/* CFMWS: Base HPA at +8 */
			memcpy(&base, buf + p + 8, 8);
			break;
		}
		p += len;
	}
	return base;
}

/* commit_uncommitted=1: the driver commits decoder 0 at the window base. */
static void t_self_commit(struct cxl_dev *d)
{
	unsigned long long hpa = 0, win = cedt_first_window();
	volatile uint64_t *p;
	struct cxl_dev o;
	uint64_t i, off = 0x1000000;

	const char *topo = getenv("TOPOLOGY");

	system("dmesg -c >/dev/null");
	ASSERT_OK(sysfs_write(PARAM_DIR "commit_uncommitted", "1"));
	rebind(d);
	ASSERT_OK(sysfs_write(PARAM_DIR "commit_uncommitted", "0"));
	tap_diag("%s: cxl_status: %s", d->bdf, cxl_status(d->bdf));
	/* Two root ports under one host bridge: not the driver's to commit. */
	if (topo && !strcmp(topo, "multi-rp")) {
		ASSERT_TRUE(strstr(cxl_status(d->bdf), "refused: decoder 0 not committed"));
		ASSERT_EQ(system("dmesg | grep -q 'not committing decoder 0: the host bridge has 2 root ports'"), 0);
		return;
	}
	ASSERT_EQ(sscanf(cxl_status(d->bdf), "ok hpa=%llx", &hpa), 1);
	/* At the base of the (only) window that targets its host bridge. */
	ASSERT_NE(win, 0);
	ASSERT_EQ(hpa, win);

	ASSERT_OK(dev_open(&o, d->bdf));
	ASSERT_TRUE(o.have_cap);
	ASSERT_FALSE(o.cap.flags & VFIO_CXL_CAP_FIRMWARE_COMMITTED);
	p = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE, MAP_SHARED, o.fd,
		 o.dpa_off + off);
	ASSERT_TRUE(p != MAP_FAILED);
	for (i = 0; i < 0x10000 / 8; i++)
		p[i] = pat(21, off + i * 8);
	for (i = 0; i < 0x10000 / 8; i++)
		if (p[i] != pat(21, off + i * 8))
			ASSERT_EQ(p[i], pat(21, off + i * 8));
	munmap((void *)p, 0x10000);
	learn_layout(&o);
	dev_close(&o);

	/* Unbinding leaves the decoder as it was found: uncommitted. */
	dev_unbind(d->bdf);
	ASSERT_FALSE(real_hdm_read(d->bdf, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL) &
		     CXL_HDM_DEC_CTRL_COMMITTED);
	rebind(d);
	ASSERT_TRUE(strstr(cxl_status(d->bdf), "refused: decoder 0 not committed"));
}

static void t_open_after_firmware(struct cxl_dev *d)
{
	struct cxl_dev o;
	static int committed;

	if (!committed) {
		ASSERT_EQ(system("cxl-fw commit >/dev/null 2>&1"), 0);
		committed = 1;
	}
	/* Bound before the commit: open looks again and takes it. */
	ASSERT_OK(dev_open(&o, d->bdf));
	ASSERT_TRUE(o.info.flags & VFIO_DEVICE_FLAGS_CXL);
	ASSERT_TRUE(o.have_cap);
	tap_diag("%s: cxl_status: %s", d->bdf, cxl_status(d->bdf));
	ASSERT_TRUE(strstr(cxl_status(d->bdf), "ok hpa="));
	learn_layout(&o);
	dev_close(&o);
}

/* Where decoder registers are in the component BAR (set once open works). */
static uint64_t g_hdm_bar_off;
static unsigned int g_bar;

static void learn_layout(struct cxl_dev *o)
{
	g_bar = o->cap.hdm_regs_bar_index;
	g_hdm_bar_off = o->cap.hdm_regs_offset + o->hdm_off;
}

/* Write the real HDM block through sysfs resourceN, as firmware would. */
static void real_hdm_write(const char *bdf, uint32_t reg, uint32_t val)
{
	char path[256];
	uint64_t off = g_hdm_bar_off + reg, pg = off & ~0xfffull;
	volatile uint32_t *r;
	void *m;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/enable", bdf);
	sysfs_write(path, "1");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%u", bdf, g_bar);
	fd = open(path, O_RDWR | O_SYNC);
	ASSERT_OK(fd);
	m = mmap(NULL, 0x2000, PROT_READ | PROT_WRITE, MAP_SHARED, fd, pg);
	close(fd);
	ASSERT_TRUE(m != MAP_FAILED);
	r = (volatile uint32_t *)((char *)m + (off - pg));
	*r = val;
	munmap(m, 0x2000);
}

static uint32_t real_hdm_read(const char *bdf, uint32_t reg)
{
	char path[256];
	uint64_t off = g_hdm_bar_off + reg, pg = off & ~0xfffull;
	uint32_t v;
	void *m;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%u", bdf, g_bar);
	fd = open(path, O_RDONLY | O_SYNC);
	ASSERT_OK(fd);
	m = mmap(NULL, 0x2000, PROT_READ, MAP_SHARED, fd, pg);
	close(fd);
	ASSERT_TRUE(m != MAP_FAILED);
	v = *(volatile uint32_t *)((char *)m + (off - pg));
	munmap(m, 0x2000);
	return v;
}

static void expect_refused(struct cxl_dev *d, const char *why, int err)
{
	struct cxl_dev o;

	rebind(d);
	tap_diag("%s: cxl_status: %s", d->bdf, cxl_status(d->bdf));
	ASSERT_TRUE(strstr(cxl_status(d->bdf), why));
	errno = 0;
	ASSERT_TRUE(dev_open(&o, d->bdf) < 0);
	ASSERT_EQ(errno, err);
	dev_close(&o);
	ASSERT_NE(system("grep -q vfio-cxl /proc/iomem"), 0);
}

static void expect_ok(struct cxl_dev *d)
{
	struct cxl_dev o;

	rebind(d);
	ASSERT_TRUE(strstr(cxl_status(d->bdf), "ok hpa="));
	ASSERT_OK(dev_open(&o, d->bdf));
	dev_close(&o);
}

static void t_refuse_two_committed(struct cxl_dev *d)
{
	uint32_t base_lo, base_hi, ctrl0;

	if (!g_hdm_bar_off)
		SKIP("layout unknown: the device never opened");
	dev_unbind(d->bdf);
	base_lo = real_hdm_read(d->bdf, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_BASE_LO);
	base_hi = real_hdm_read(d->bdf, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_BASE_HI);
	ctrl0 = real_hdm_read(d->bdf, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL);
	ASSERT_TRUE(ctrl0 & CXL_HDM_DEC_CTRL_COMMITTED);
	/* Decoder 1: the next 256 MiB of HPA, committed as firmware would. */
	real_hdm_write(d->bdf, CXL_HDM_DEC_OFF(1) + CXL_HDM_DEC_BASE_LO, base_lo + 0x10000000);
	real_hdm_write(d->bdf, CXL_HDM_DEC_OFF(1) + CXL_HDM_DEC_BASE_HI, base_hi);
	real_hdm_write(d->bdf, CXL_HDM_DEC_OFF(1) + CXL_HDM_DEC_SIZE_LO, 0x10000000);
	real_hdm_write(d->bdf, CXL_HDM_DEC_OFF(1) + CXL_HDM_DEC_SIZE_HI, 0);
	real_hdm_write(d->bdf, CXL_HDM_DEC_OFF(1) + CXL_HDM_DEC_CTRL,
		       (ctrl0 & ~(CXL_HDM_DEC_CTRL_COMMITTED | CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT)) |
		       CXL_HDM_DEC_CTRL_COMMIT);
	if (!(real_hdm_read(d->bdf, CXL_HDM_DEC_OFF(1) + CXL_HDM_DEC_CTRL) &
	      CXL_HDM_DEC_CTRL_COMMITTED))
		SKIP("the device would not commit a second decoder");
	expect_refused(d, "refused: more than one committed decoder", EOPNOTSUPP);
	dev_unbind(d->bdf);
	real_hdm_write(d->bdf, CXL_HDM_DEC_OFF(1) + CXL_HDM_DEC_CTRL, 0);
	ASSERT_FALSE(real_hdm_read(d->bdf, CXL_HDM_DEC_OFF(1) + CXL_HDM_DEC_CTRL) &
		     CXL_HDM_DEC_CTRL_COMMITTED);
	expect_ok(d);
}

static void t_refuse_interleaved(struct cxl_dev *d)
{
	uint32_t ctrl0;

	if (!g_hdm_bar_off)
		SKIP("layout unknown: the device never opened");
	dev_unbind(d->bdf);
	ctrl0 = real_hdm_read(d->bdf, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL) &
		~(CXL_HDM_DEC_CTRL_COMMITTED | CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED);
	if (ctrl0 & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT)
		SKIP("decoder 0 is locked");
	/* Recommit decoder 0 as a 2-way interleave. */
	real_hdm_write(d->bdf, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL,
		       ctrl0 & ~CXL_HDM_DEC_CTRL_COMMIT);
	real_hdm_write(d->bdf, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL,
		       (ctrl0 & ~CXL_HDM_DEC_CTRL_IW) |
		       FIELD_PREP(CXL_HDM_DEC_CTRL_IW, CXL_HDM_IW_2));
	if (!(real_hdm_read(d->bdf, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL) &
	      CXL_HDM_DEC_CTRL_COMMITTED))
		SKIP("the device would not commit an interleaved decoder");
	expect_refused(d, "refused: decoder 0 interleaved", EOPNOTSUPP);
	dev_unbind(d->bdf);
	real_hdm_write(d->bdf, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL,
		       ctrl0 & ~CXL_HDM_DEC_CTRL_COMMIT);
	real_hdm_write(d->bdf, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL, ctrl0);
	expect_ok(d);
}

static const struct fixture_test tests[] = {
	{ "open_refused_without_committed_decoder", t_open_refused },
	{ "probe_refuses_non_cxl_function", t_probe_refuses_non_cxl },
	{ "disable_cxl_devices_plain_vfio_pci", t_disable_per_device },
	{ "disable_cxl_plain_vfio_pci", t_disable_global },
	{ "commit_uncommitted_at_window_base", t_self_commit },
	{ "open_after_firmware_commit", t_open_after_firmware },
	{ "refuse_more_than_one_committed_decoder", t_refuse_two_committed },
	{ "refuse_interleaved_decoder", t_refuse_interleaved },
};
#define NTESTS (sizeof(tests) / sizeof(tests[0]))

int main(int argc, char **argv)
{
	char devs[16][32];
	int ndev = selftest_begin(argc, argv, devs, 16), i;
	unsigned int t;

	if (!ndev)
		return KSFT_SKIP;
	/* Only the first device: the commit step commits them all. */
	ndev = 1;
	printf("1..%d\n", (int)(ndev * NTESTS + 1));
	for (i = 0; i < ndev; i++) {
		struct cxl_dev d = { .fd = -1, .group = -1, .container = -1 };

		snprintf(d.bdf, sizeof(d.bdf), "%s", devs[i]);
		for (t = 0; t < NTESTS; t++)
			run_one(&tests[t], &d);
	}
	tap_kernel_log();
	printf("# %d tests, %d failed, %d skipped\n", __t_num, __t_fail, __t_skip);
	return __t_fail ? KSFT_FAIL : KSFT_PASS;
}
