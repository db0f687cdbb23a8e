// SPDX-License-Identifier: MIT
/*
 * vfio_cxl_refuse_test: what vfio-pci-cxl refuses, and its off switches.
 * Runs in a guest booted WITHOUT the firmware step (no committed decoder):
 *  - the device binds, but open is refused with the reason in sysfs;
 *  - a PCI function without a CXL Device DVSEC is refused at probe;
 *  - disable_cxl_devices=<bdf> and disable_cxl=1 make it plain vfio-pci;
 *  - once firmware commits the decoder (cxl-fw commit), open succeeds.
 */
#include "vfio_cxl_harness.h"

#define PARAM_DIR "/sys/module/vfio_cxl/parameters/"

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
	dev_close(&o);
}

static const struct fixture_test tests[] = {
	{ "open_refused_without_committed_decoder", t_open_refused },
	{ "probe_refuses_non_cxl_function", t_probe_refuses_non_cxl },
	{ "disable_cxl_devices_plain_vfio_pci", t_disable_per_device },
	{ "disable_cxl_plain_vfio_pci", t_disable_global },
	{ "open_after_firmware_commit", t_open_after_firmware },
};
#define NTESTS (sizeof(tests) / sizeof(tests[0]))

int main(int argc, char **argv)
{
	char devs[16][32];
	int ndev = get_devices(argc, argv, devs, 16), i;
	unsigned int t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	if (!ndev) {
		printf("1..0 # SKIP no device: pass a BDF or set VFIO_CXL_DEVICES\n");
		return KSFT_SKIP;
	}
	load_modules();
	/* Only the first device: the commit step commits them all. */
	ndev = 1;
	printf("1..%d\n", (int)(ndev * NTESTS));
	for (i = 0; i < ndev; i++) {
		struct cxl_dev d = { .fd = -1, .group = -1, .container = -1 };

		snprintf(d.bdf, sizeof(d.bdf), "%s", devs[i]);
		for (t = 0; t < NTESTS; t++)
			run_one(&tests[t], &d);
	}
	printf("# %d tests, %d failed, %d skipped\n", __t_num, __t_fail, __t_skip);
	return __t_fail ? KSFT_FAIL : KSFT_PASS;
}
