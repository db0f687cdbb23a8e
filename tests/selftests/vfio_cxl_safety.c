// SPDX-License-Identifier: MIT
/*
 * vfio_cxl_safety: the host under a hostile VMM (issue 12), one test per
 * defect the emulated host can show. Run with 2 vCPUs (the WBINVD tests
 * count function-call IPIs, which one CPU never sends).
 *
 *  1. a reset during low power keeps the decoder check for the exit;
 *  2. no cache flush (WBINVD on every CPU) for a request that fails, and
 *     one for a reset after the memory was touched;
 *  8. the DPA mappings are zapped before the cache flush (ftrace order);
 *  7. a decoder 0 whose host range is in no CEDT window of the device's
 *     host bridge is refused;
 *  9. the component block outside the HDM decoders is read-only to the
 *     user, accessed 4 or 8 bytes naturally aligned only;
 * 10. host suspend is refused while a device is bound, allowed after.
 */
#include <sys/mount.h>

#include "vfio_cxl_harness.h"

#define SZ_2M		0x200000ull
#define PAT_LEN		0x1000

/* ---- the real registers, through sysfs resourceN (outside VFIO) -------- */

/* Uncommit, move and commit the real decoder 0 (the device is unbound). */
static int real_dec0_commit_at(struct cxl_dev *d, uint64_t base, uint32_t ctrl)
{
	uint16_t cmd = 0;
	char path[256];
	void *m;
	volatile uint32_t *r;
	int fd, i;

	/* Memory decode on in the real Command register, as firmware has it. */
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", d->bdf);
	fd = open(path, O_RDWR);
	if (fd < 0 || pread(fd, &cmd, 2, 4) != 2)
		return -1;
	cmd |= 2;
	if (pwrite(fd, &cmd, 2, 4) != 2)
		return -1;
	close(fd);
	r = map_real_dec0(d, PROT_READ | PROT_WRITE, &m);
	if (!r)
		return -1;
	r[CXL_HDM_DEC_CTRL / 4] = 0;
	r[CXL_HDM_DEC_BASE_LO / 4] = (uint32_t)base;
	r[CXL_HDM_DEC_BASE_HI / 4] = base >> 32;
	r[CXL_HDM_DEC_CTRL / 4] = (ctrl & ~(CXL_HDM_DEC_CTRL_COMMITTED |
					   CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED)) |
				  CXL_HDM_DEC_CTRL_COMMIT;
	for (i = 0; i < 100 && !(r[CXL_HDM_DEC_CTRL / 4] & CXL_HDM_DEC_CTRL_COMMITTED); i++)
		usleep(1000);
	i = r[CXL_HDM_DEC_CTRL / 4] & CXL_HDM_DEC_CTRL_COMMITTED ? 0 : -1;
	munmap(m, REAL_DEC0_MAP);
	return i;
}

/* ---- helpers -------------------------------------------------------------- */

static void *map_dpa(struct cxl_dev *d, uint64_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd, d->dpa_off);

	ASSERT_TRUE(p != MAP_FAILED);
	return p;
}

static void fill(volatile uint64_t *p, unsigned int tag, uint64_t off, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < len / 8; i++)
		p[i] = pat(tag, off + i * 8);
}

static int low_power(struct cxl_dev *d, uint32_t flags)
{
	struct vfio_device_feature f = { .argsz = sizeof(f), .flags = flags };

	return ioctl(d->fd, VFIO_DEVICE_FEATURE, &f);
}

#define LP_ENTRY (VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY)
#define LP_EXIT (VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_LOW_POWER_EXIT)

/* Function-call IPIs so far, every CPU (/proc/interrupts "CAL"). */
static long long cal_ipis(void)
{
	char line[4096];
	long long sum = -1;
	FILE *f = fopen("/proc/interrupts", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *p = line, *end;

		while (*p == ' ')
			p++;
		if (strncmp(p, "CAL:", 4))
			continue;
		sum = 0;
		for (p += 4;; p = end) {
			long long v = strtoll(p, &end, 10);

			if (end == p)
				break;
			sum += v;
		}
	}
	if (f)
		fclose(f);
	return sum;
}

static int hot_reset(struct cxl_dev *d)
{
	struct {
		struct vfio_pci_hot_reset hr;
		int32_t fd;
	} a = { .hr = { .argsz = sizeof(a), .count = 1 }, .fd = d->group };

	return ioctl(d->fd, VFIO_DEVICE_PCI_HOT_RESET, &a);
}

/* ---- 1: a reset during low power keeps the decoder check ---------------- */

/*
 * LOW_POWER_ENTRY, a reset (which resumes the function, resets it, restores
 * the decoder, and lets it sleep again), then the return to D0 at
 * LOW_POWER_EXIT clears decoder 0 of a function without No_Soft_Reset.
 * QEMU's device has no PM capability, so the test clears the real decoder
 * itself while the device sleeps after the reset: the driver must still
 * check it and restore it before the DPA is served.
 */
static void lp_reset_case(struct cxl_dev *d, int hot, unsigned int tag)
{
	uint64_t off = (tag % 8) * SZ_2M, v = 0, v2 = 0, rbase;
	volatile uint64_t *p = map_dpa(d, 16 * SZ_2M);
	uint32_t rctrl;
	ssize_t r;

	fill(p + off / 8, tag, off, PAT_LEN);
	if (low_power(d, LP_ENTRY)) {
		munmap((void *)p, 16 * SZ_2M);
		ASSERT_OK(-1);
	}
	r = hot ? hot_reset(d) : ioctl(d->fd, VFIO_DEVICE_RESET);
	if (r) {
		low_power(d, LP_EXIT);
		munmap((void *)p, 16 * SZ_2M);
		ASSERT_OK(r);
	}
	/* What the D3hot -> D0 at exit does to a function without No_Soft_Reset. */
	ASSERT_OK(real_dec0_set_ctrl(d, 0));
	ASSERT_OK(real_dec0(d, &rctrl, &rbase));
	if (rctrl & CXL_HDM_DEC_CTRL_COMMITTED) {
		low_power(d, LP_EXIT);
		munmap((void *)p, 16 * SZ_2M);
		SKIP("the real decoder 0 is locked: it cannot be cleared");
	}
	ASSERT_OK(low_power(d, LP_EXIT));
	r = pread(d->fd, &v, 8, d->dpa_off + off);
	/* And through the mapping (zapped at entry: it faults again). */
	v2 = p[off / 8 + 1];
	munmap((void *)p, 16 * SZ_2M);
	ASSERT_EQ(r, 8);
	ASSERT_OK(real_dec0(d, &rctrl, &rbase));
	ASSERT_TRUE(rctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	ASSERT_EQ(v, pat(tag, off));
	ASSERT_EQ(v2, pat(tag, off + 8));
}

static void t_lp_reset_keeps_check(struct cxl_dev *d)
{
	lp_reset_case(d, 0, 31);
}

static void t_lp_hot_reset_keeps_check(struct cxl_dev *d)
{
	struct vfio_pci_hot_reset_info info = { .argsz = sizeof(info) };

	if (ioctl(d->fd, VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, &info) && errno == ENODEV)
		SKIP("no bus or slot reset for this device");
	lp_reset_case(d, 1, 32);
}

/* ---- 2: WBINVD only when a decoder really goes away --------------------- */

#define IPI_LOOPS	400
#define IPI_RESETS	10

static void t_no_flush_on_failed_request(struct cxl_dev *d)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	long long c0, c1, c2;
	int i, fails = 0;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP("needs 2 CPUs: WBINVD on one CPU sends no IPI");
	/* The memory was touched: a flush would be due at a real entry. */
	ASSERT_EQ(pread(d->fd, &c0, 8, d->dpa_off), 8);

	c0 = cal_ipis();
	for (i = 0; i < IPI_LOOPS; i++) {
		/* The call raises argsz to what the capabilities need. */
		info.argsz = sizeof(info);
		ioctl(d->fd, VFIO_DEVICE_GET_INFO, &info);
	}
	c1 = cal_ipis();
	/* Low power entry with GET as well: refused (EINVAL) each time, by
	 * the VFIO core already: the control for the driver's refusals. */
	for (i = 0; i < IPI_LOOPS; i++)
		fails += low_power(d, LP_ENTRY | VFIO_DEVICE_FEATURE_GET) < 0 &&
			 errno == EINVAL;
	c2 = cal_ipis();
	tap_diag("%s: CAL IPIs: %lld for %d GET_INFO, %lld for %d refused LOW_POWER_ENTRY",
		 d->bdf, c1 - c0, IPI_LOOPS, c2 - c1, fails);
	ASSERT_TRUE(c0 >= 0);
	ASSERT_EQ(fails, IPI_LOOPS);
	ASSERT_LE(c2 - c1, (c1 - c0) + IPI_LOOPS / 20);
}

static void t_no_flush_on_second_entry(struct cxl_dev *d)
{
	long long c0, c1;
	int i, fails = 0;
	uint64_t v;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP("needs 2 CPUs: WBINVD on one CPU sends no IPI");
	ASSERT_EQ(pread(d->fd, &v, 8, d->dpa_off), 8);
	ASSERT_OK(low_power(d, LP_ENTRY));
	c0 = cal_ipis();
	/* Already in low power: each further entry fails with EINVAL. */
	for (i = 0; i < IPI_LOOPS; i++)
		fails += low_power(d, LP_ENTRY) < 0 && errno == EINVAL;
	c1 = cal_ipis();
	ASSERT_OK(low_power(d, LP_EXIT));
	tap_diag("%s: CAL IPIs: %lld for %d refused second entries", d->bdf, c1 - c0,
		 fails);
	ASSERT_EQ(fails, IPI_LOOPS);
	ASSERT_LE(c1 - c0, IPI_LOOPS / 20);
}

/* A reset after the memory was touched still writes the caches back. */
static void t_flush_on_reset_after_touch(struct cxl_dev *d)
{
	long long c0, c1;
	uint64_t v;
	int i;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP("needs 2 CPUs: WBINVD on one CPU sends no IPI");
	c0 = cal_ipis();
	for (i = 0; i < IPI_RESETS; i++) {
		ASSERT_EQ(pwrite(d->fd, &c0, 8, d->dpa_off + 8 * i), 8);
		ASSERT_OK(ioctl(d->fd, VFIO_DEVICE_RESET));
	}
	c1 = cal_ipis();
	tap_diag("%s: CAL IPIs: %lld for %d resets after a write", d->bdf, c1 - c0,
		 IPI_RESETS);
	ASSERT_GE(c1 - c0, IPI_RESETS);
	ASSERT_EQ(pread(d->fd, &v, 8, d->dpa_off), 8);
	ASSERT_EQ(v, (uint64_t)c0);
}

/* ---- 8: zap first, then flush (the order, seen with ftrace) ------------- */

/* Written as a shell does (O_TRUNC): tracefs files act on it. */
static int trace_w(const char *file, const char *val)
{
	char path[256];
	int fd, ret;

	snprintf(path, sizeof(path), "/sys/kernel/tracing/%s", file);
	fd = open(path, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val));
	close(fd);
	return ret < 0 ? -1 : 0;
}

/* Line numbers of the first call of each function in the trace, or -1. */
static void trace_order(const char *a, const char *b, int *la, int *lb)
{
	FILE *f = fopen("/sys/kernel/tracing/trace", "r");
	char line[512];
	int n = 0;

	*la = *lb = -1;
	while (f && fgets(line, sizeof(line), f)) {
		n++;
		if (line[0] == '#')
			continue;
		if (getenv("TRACE_DUMP"))
			printf("# trace %d: %s", n, line);
		if (*la < 0 && strstr(line, a))
			*la = n;
		if (*lb < 0 && strstr(line, b))
			*lb = n;
	}
	if (f)
		fclose(f);
}

static void trace_start(void)
{
	if (access("/sys/kernel/tracing/trace", F_OK))
		mount("nodev", "/sys/kernel/tracing", "tracefs", 0, NULL);
	if (access("/sys/kernel/tracing/trace", F_OK))
		SKIP("no tracefs");
	ASSERT_EQ(system("cd /sys/kernel/tracing && echo 0 > tracing_on && "
			 "echo nop > current_tracer && "
			 "echo vcxl_zap_dpa vcxl_flush_hpa > set_ftrace_filter && "
			 "echo function > current_tracer && echo 1 > tracing_on"), 0);
}

/* Stops tracing; the buffer stays (a change of tracer would clear it). */
static void trace_stop(void)
{
	trace_w("tracing_on", "0");
}

static void trace_reset(void)
{
	trace_w("current_tracer", "nop");
	trace_w("set_ftrace_filter", "\n");
}

static void zap_then_flush(struct cxl_dev *d, int lowpower)
{
	volatile uint64_t *p = map_dpa(d, SZ_2M);
	int lz, lf, r, r2 = 0;

	trace_start();
	p[0] = pat(33, 0);
	r = lowpower ? low_power(d, LP_ENTRY) : ioctl(d->fd, VFIO_DEVICE_RESET);
	trace_stop();
	trace_order("vcxl_zap_dpa", "vcxl_flush_hpa", &lz, &lf);
	trace_reset();
	if (lowpower && !r)
		r2 = low_power(d, LP_EXIT);
	munmap((void *)p, SZ_2M);
	tap_diag("%s: %s: zap at trace line %d, flush at line %d", d->bdf,
		 lowpower ? "LOW_POWER_ENTRY" : "VFIO_DEVICE_RESET", lz, lf);
	ASSERT_OK(r);
	ASSERT_OK(r2);
	ASSERT_TRUE(lz > 0);
	ASSERT_TRUE(lf > 0);
	ASSERT_TRUE(lz < lf);
}

static void t_zap_then_flush_low_power(struct cxl_dev *d)
{
	zap_then_flush(d, 1);
}

static void t_zap_then_flush_reset(struct cxl_dev *d)
{
	zap_then_flush(d, 0);
}

/* ---- 9: the rest of the component block -------------------------------- */

/* Offset in the CXL.cache/mem area of capability @id, from COMP_REGS' array. */
static uint32_t cm_cap(struct cxl_dev *d, unsigned int id)
{
	uint32_t hdr = 0, e = 0, i;

	ASSERT_OK(comp_read32(d, CXL_CM_CAP_HDR, &hdr));
	for (i = 0; i < FIELD_GET(CXL_CM_CAP_HDR_ARRAY_SIZE, hdr) && i < 64; i++) {
		ASSERT_OK(comp_read32(d, CXL_CM_CAP_ENTRY(i), &e));
		if (FIELD_GET(CXL_CM_CAP_ENTRY_ID, e) == id)
			return FIELD_GET(CXL_CM_CAP_ENTRY_PTR, e);
	}
	return 0;
}

static void t_comp_block_read_only(struct cxl_dev *d)
{
	uint64_t cm = d->bar_off + d->cap.hdm_regs_offset;
	uint32_t ras = cm_cap(d, CXL_CM_CAP_ID_RAS), before, after, v;
	volatile uint32_t *r;
	void *m;

	if (!ras)
		SKIP("the device has no RAS capability");
	r = map_real_comp(d, d->cap.hdm_regs_offset + ras, PROT_READ, &m);
	ASSERT_TRUE(r);
	before = r[CXL_RAS_UNC_MASK / 4];
	/* Every mask bit flipped, through the component BAR. */
	v = ~before;
	pwrite(d->fd, &v, 4, cm + ras + CXL_RAS_UNC_MASK);
	v = ~before;
	pwrite(d->fd, &v, 4, cm + ras + CXL_RAS_COR_MASK);
	after = r[CXL_RAS_UNC_MASK / 4];
	tap_diag("%s: RAS at +%#x: uncorrectable mask %#x, after the write %#x",
		 d->bdf, ras, before, after);
	munmap(m, REAL_DEC0_MAP);
	ASSERT_EQ(after, before);
}

static void t_comp_block_widths(struct cxl_dev *d)
{
	uint64_t blk = d->bar_off + d->cap.hdm_regs_offset - CXL_COMP_CM_OFFSET;
	uint64_t v8 = 0;
	uint32_t v4 = 0, hdr = 0;
	uint16_t v2 = 0;
	uint8_t v1 = 0;

	/* CXL r3.1 8.2.2: whole registers, naturally aligned, no partial reads. */
	ASSERT_ERRNO(pread(d->fd, &v1, 1, blk + CXL_COMP_CM_OFFSET), EINVAL);
	ASSERT_ERRNO(pread(d->fd, &v2, 2, blk + CXL_COMP_CM_OFFSET), EINVAL);
	ASSERT_ERRNO(pread(d->fd, &v4, 4, blk + CXL_COMP_CM_OFFSET + 2), EINVAL);
	ASSERT_ERRNO(pread(d->fd, &v8, 8, blk + CXL_COMP_CM_OFFSET + 4), EINVAL);
	ASSERT_ERRNO(pread(d->fd, &v2, 2, blk + CXL_COMP_ARBMUX_OFFSET), EINVAL);
	ASSERT_ERRNO(pwrite(d->fd, &v1, 1, blk + CXL_COMP_ARBMUX_OFFSET), EINVAL);
	ASSERT_ERRNO(pread(d->fd, &v4, 4, blk + CXL_COMP_ARBMUX_OFFSET + 1), EINVAL);
	/* An access may not run out of the block, or into it. */
	ASSERT_ERRNO(pread(d->fd, &v8, 8, blk + CXL_COMP_BLOCK_SIZE - 4), EINVAL);
	/* Whole aligned reads work; the capability header is the device's. */
	ASSERT_EQ(pread(d->fd, &hdr, 4, blk + CXL_COMP_CM_OFFSET), 4);
	ASSERT_EQ(FIELD_GET(CXL_CM_CAP_HDR_ID, hdr), CXL_CM_CAP_ID_CAP);
	ASSERT_EQ(pread(d->fd, &v8, 8, blk + CXL_COMP_CM_OFFSET), 8);
	ASSERT_EQ((uint32_t)v8, hdr);
	ASSERT_EQ(pread(d->fd, &v4, 4, blk + CXL_COMP_ARBMUX_OFFSET), 4);
	ASSERT_EQ(pread(d->fd, &v8, 8, blk + CXL_COMP_ARBMUX_OFFSET), 8);
}

/* ---- 7: decoder 0 outside the host bridge's windows --------------------- */

/* The end of the highest CFMWS window in the CEDT, or 0. */
static uint64_t cedt_windows_end(void)
{
	static uint8_t t[65536];
	uint64_t end = 0;
	uint32_t len, p;
	ssize_t n;
	int fd = open("/sys/firmware/acpi/tables/CEDT", O_RDONLY);

	if (fd < 0)
		return 0;
	n = read(fd, t, sizeof(t));
	close(fd);
	if (n < 36)
		return 0;
	memcpy(&len, t + 4, 4);
	if (len > n)
		len = n;
	for (p = 36; p + 4 <= len;) {
		uint16_t l;
		uint64_t base, size;

		memcpy(&l, t + p + 2, 2);
		if (l < 4 || p + l > len)
			break;
		if (t[p] == 1 && l >= 24) {	/* CFMWS */
			memcpy(&base, t + p + 8, 8);
			memcpy(&size, t + p + 16, 8);
			if (base + size > end)
				end = base + size;
		}
		p += l;
	}
	return end;
}

static void t_decoder_outside_windows_refused(struct cxl_dev *d)
{
	char bdf[32], path[256], st[256] = "", st2[256] = "";
	uint64_t base0, bad = cedt_windows_end();
	struct cxl_dev real = *d;	/* dev_open() clears *d when it fails */
	uint32_t ctrl0;
	int moved, opened, back, reopened;

	snprintf(bdf, sizeof(bdf), "%s", d->bdf);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/cxl_status", bdf);
	ASSERT_NE(bad, 0);
	bad = (bad + 0xfffffffull) & ~0xfffffffull;
	ASSERT_OK(real_dec0(d, &ctrl0, &base0));
	if (ctrl0 & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT)
		SKIP("the real decoder 0 is locked: it cannot be moved");
	dev_close(d);
	ASSERT_OK(dev_unbind(bdf));
	/* An earlier tenant left decoder 0 committed past every window. */
	moved = real_dec0_commit_at(&real, bad, ctrl0);
	dev_bind(bdf);
	sysfs_read(path, st, sizeof(st));
	opened = dev_open(d, bdf);
	dev_close(d);
	/* Put it back where firmware had it, whatever happened. */
	dev_unbind(bdf);
	back = real_dec0_commit_at(&real, base0, ctrl0);
	dev_bind(bdf);
	sysfs_read(path, st2, sizeof(st2));
	reopened = dev_open(d, bdf);
	tap_diag("%s: decoder 0 at %#llx: cxl_status \"%s\"; back at %#llx: \"%s\"",
		 bdf, (unsigned long long)bad, st, (unsigned long long)base0, st2);
	ASSERT_OK(moved);
	ASSERT_OK(back);
	ASSERT_OK(reopened);
	ASSERT_EQ(opened, -1);
	ASSERT_TRUE(strstr(st, "refused") != NULL);
	ASSERT_TRUE(strstr(st2, "ok") == st2);
}

/* ---- 10: host suspend ---------------------------------------------------- */

/* s2idle with the PM core's freezer test: devices are not touched. */
static int try_suspend(int *err)
{
	int fd, r;

	if (sysfs_write("/sys/power/pm_test", "freezer"))
		return -2;
	fd = open("/sys/power/state", O_WRONLY);
	if (fd < 0)
		return -2;
	errno = 0;
	r = write(fd, "freeze", 6);
	*err = errno;
	close(fd);
	sysfs_write("/sys/power/pm_test", "none");
	return r < 0 ? -1 : 0;
}

static void t_suspend_refused_while_bound(struct cxl_dev *d)
{
	char bdf[32];
	int r, e = 0, r2, e2 = 0;

	if (access("/sys/power/pm_test", W_OK))
		SKIP("no /sys/power/pm_test (CONFIG_PM_DEBUG)");
	snprintf(bdf, sizeof(bdf), "%s", d->bdf);
	r = try_suspend(&e);
	/* Unbound, nothing holds suspend back. */
	dev_close(d);
	ASSERT_OK(dev_unbind(bdf));
	r2 = try_suspend(&e2);
	ASSERT_OK(dev_bind(bdf));
	ASSERT_OK(dev_open(d, bdf));
	tap_diag("%s: suspend while bound: %d (%s); unbound: %d (%s)", bdf, r,
		 strerror(e), r2, strerror(e2));
	ASSERT_EQ(r, -1);
	ASSERT_EQ(e, EBUSY);
	ASSERT_EQ(r2, 0);
}

static const struct fixture_test tests[] = {
	{ "low_power_reset_keeps_decoder_check", t_lp_reset_keeps_check },
	{ "low_power_hot_reset_keeps_decoder_check", t_lp_hot_reset_keeps_check },
	{ "no_flush_on_refused_low_power_entry", t_no_flush_on_failed_request },
	{ "no_flush_on_second_low_power_entry", t_no_flush_on_second_entry },
	{ "flush_on_reset_after_touch", t_flush_on_reset_after_touch },
	{ "zap_then_flush_low_power_entry", t_zap_then_flush_low_power },
	{ "zap_then_flush_reset", t_zap_then_flush_reset },
	{ "comp_block_read_only", t_comp_block_read_only },
	{ "comp_block_access_widths", t_comp_block_widths },
	{ "decoder_outside_windows_refused", t_decoder_outside_windows_refused },
	{ "suspend_refused_while_bound", t_suspend_refused_while_bound },
};
#define NTESTS (sizeof(tests) / sizeof(tests[0]))

int main(int argc, char **argv)
{
	return one_device_main(argc, argv, tests, NTESTS);
}
