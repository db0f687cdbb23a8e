/* SPDX-License-Identifier: MIT */
/*
 * A small TAP test harness and VFIO helpers for the in-guest vfio-cxl
 * selftests, in the manner of Linux tools/testing/selftests (kselftest
 * harness, selftests/vfio): tests grouped per device fixture, assertions
 * that print the expression, both values and errno, exit 4 to skip.
 */
#ifndef VFIO_CXL_HARNESS_H
#define VFIO_CXL_HARNESS_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>
#include <linux/vfio_cxl.h>

#include "cxlemu.h"

#define KSFT_PASS	0
#define KSFT_FAIL	1
#define KSFT_SKIP	4

/* ---- TAP and assertions ------------------------------------------------ */

static jmp_buf __t_jmp;
static int __t_num, __t_fail, __t_skip;
static const char *__t_skip_why;

#define __T_FAIL(fmt, ...) do {						\
	int __e = errno;						\
	printf("# %s:%d: " fmt " (errno %d: %s)\n", __FILE__, __LINE__,	\
	       ##__VA_ARGS__, __e, strerror(__e));			\
	fflush(stdout);							\
	longjmp(__t_jmp, 1);						\
} while (0)

#define __T_CMP(a, op, b) do {						\
	unsigned long long __a = (unsigned long long)(a);		\
	unsigned long long __b = (unsigned long long)(b);		\
	if (!(__a op __b))						\
		__T_FAIL("ASSERT(%s %s %s): %llu (%#llx) vs %llu (%#llx)", \
			 #a, #op, #b, __a, __a, __b, __b);		\
} while (0)

#define ASSERT_EQ(a, b)	__T_CMP(a, ==, b)
#define ASSERT_NE(a, b)	__T_CMP(a, !=, b)
#define ASSERT_GE(a, b)	__T_CMP(a, >=, b)
#define ASSERT_LE(a, b)	__T_CMP(a, <=, b)
#define ASSERT_LT(a, b)	__T_CMP(a, <, b)
#define ASSERT_GT(a, b)	__T_CMP(a, >, b)
#define ASSERT_TRUE(c) do {						\
	if (!(c))							\
		__T_FAIL("ASSERT_TRUE(%s)", #c);			\
} while (0)
#define ASSERT_FALSE(c) do {						\
	if (c)								\
		__T_FAIL("ASSERT_FALSE(%s)", #c);			\
} while (0)
/* A call that must succeed (return >= 0). */
#define ASSERT_OK(expr) do {						\
	long long __r = (long long)(expr);				\
	if (__r < 0)							\
		__T_FAIL("ASSERT_OK(%s): returned %lld", #expr, __r);	\
} while (0)
/* A call that must fail with errno @e. */
#define ASSERT_ERRNO(expr, e) do {					\
	long long __r;							\
	errno = 0;							\
	__r = (long long)(expr);					\
	if (__r >= 0 || errno != (e))					\
		__T_FAIL("ASSERT_ERRNO(%s, %s): returned %lld, want errno %d", \
			 #expr, #e, __r, (e));				\
} while (0)

#define SKIP(why) do { __t_skip_why = (why); longjmp(__t_jmp, 2); } while (0)

static inline void tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* ---- the device ---------------------------------------------------------- */

struct cxl_dev {
	char bdf[32];
	int container, group, fd;
	struct vfio_device_info info;
	struct vfio_device_info_cap_cxl cap;
	bool have_cap;
	uint64_t cfg_off;		/* file offset of the config region */
	uint64_t dpa_off, dpa_size;	/* DPA region */
	uint32_t dpa_flags;
	uint64_t comp_off, comp_size;	/* COMP_REGS region */
	uint32_t comp_flags;
	uint64_t bar_off;		/* component BAR region */
	uint64_t bar_size;
	uint32_t hdm_off;		/* HDM block in COMP_REGS */
	unsigned int ndec;
	uint16_t dvsec;			/* CXL Device DVSEC in config */
};

static inline int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val));
	close(fd);
	return ret < 0 ? -1 : 0;
}

static inline int sysfs_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = 0;
	return 0;
}

static inline const char *dev_driver(const char *bdf, char *buf, size_t len)
{
	char path[256], link[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return "";
	link[n] = 0;
	snprintf(buf, len, "%s", basename(link));
	return buf;
}

/* Bind @bdf to vfio-pci-cxl through driver_override (no udev here). */
static inline int dev_bind(const char *bdf)
{
	char path[256], drv[64];

	if (!strcmp(dev_driver(bdf, drv, sizeof(drv)), "vfio-pci-cxl"))
		return 0;
	if (drv[0] && strcmp(drv, "")) {
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", bdf);
		sysfs_write(path, bdf);
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", bdf);
	if (sysfs_write(path, "vfio-pci-cxl"))
		return -1;
	sysfs_write("/sys/bus/pci/drivers_probe", bdf);
	return strcmp(dev_driver(bdf, drv, sizeof(drv)), "vfio-pci-cxl") ? -1 : 0;
}

static inline int dev_unbind(const char *bdf)
{
	char path[256];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", bdf);
	return sysfs_write(path, bdf);
}

static inline int vfio_region(int fd, uint32_t index, struct vfio_region_info **out)
{
	struct vfio_region_info *ri = calloc(1, sizeof(*ri));
	uint32_t argsz;

	ri->argsz = sizeof(*ri);
	ri->index = index;
	if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, ri)) {
		free(ri);
		return -1;
	}
	argsz = ri->argsz;
	if (argsz > sizeof(*ri)) {
		ri = realloc(ri, argsz);
		memset(ri, 0, argsz);
		ri->argsz = argsz;
		ri->index = index;
		if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, ri)) {
			free(ri);
			return -1;
		}
	}
	*out = ri;
	return 0;
}

/* Find capability @id in a region info or device info chain, bounded. */
static inline struct vfio_info_cap_header *vfio_find_cap(void *base, uint32_t len,
							 uint32_t off, uint16_t id)
{
	unsigned int hops = 0;
	uint32_t prev = 0;

	while (off && hops++ < 64) {
		struct vfio_info_cap_header *h;

		if (off < prev + 1 || off % 4 || off + sizeof(*h) > len)
			return NULL;
		h = (void *)((char *)base + off);
		if (h->id == id)
			return h;
		prev = off;
		off = h->next;
	}
	return NULL;
}

static inline int cfg_read(struct cxl_dev *d, uint32_t off, void *buf, size_t n)
{
	return pread(d->fd, buf, n, d->cfg_off + off) == (ssize_t)n ? 0 : -1;
}

static inline int cfg_write(struct cxl_dev *d, uint32_t off, const void *buf, size_t n)
{
	return pwrite(d->fd, buf, n, d->cfg_off + off) == (ssize_t)n ? 0 : -1;
}

static inline uint32_t cfg_read32(struct cxl_dev *d, uint32_t off)
{
	uint32_t v = ~0u;

	cfg_read(d, off, &v, 4);
	return v;
}

static inline uint16_t cfg_read16(struct cxl_dev *d, uint32_t off)
{
	uint16_t v = 0xffff;

	cfg_read(d, off, &v, 2);
	return v;
}

/* The device's real config space, through sysfs. */
static inline int real_cfg_read(const char *bdf, uint32_t off, void *buf, size_t n)
{
	char path[256];
	int fd;
	ssize_t r;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	r = pread(fd, buf, n, off);
	close(fd);
	return r == (ssize_t)n ? 0 : -1;
}

static inline int comp_read32(struct cxl_dev *d, uint32_t off, uint32_t *v)
{
	return pread(d->fd, v, 4, d->comp_off + off) == 4 ? 0 : -1;
}

static inline int comp_write32(struct cxl_dev *d, uint32_t off, uint32_t v)
{
	return pwrite(d->fd, &v, 4, d->comp_off + off) == 4 ? 0 : -1;
}

/*
 * The real (host) decoder 0 of the device, through sysfs resourceN of the
 * component BAR, outside VFIO as a host tool would: what the module
 * programmed, not what the user sees. map_real_comp() maps REAL_DEC0_MAP
 * bytes of that BAR around offset OFF and returns OFF's register, or NULL
 * (*map is what to munmap); map_real_dec0() does so for decoder 0, and
 * real_dec0() reads its control and base.
 */
#define REAL_DEC0_MAP	0x2000
static inline volatile uint32_t *map_real_comp(struct cxl_dev *d, uint64_t off, int prot,
						void **map)
{
	char path[256];
	uint64_t pg = off & ~0xfffull;
	void *m;
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%u", d->bdf,
		 d->cap.hdm_regs_bar_index);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		return NULL;
	m = mmap(NULL, REAL_DEC0_MAP, prot, MAP_SHARED, fd, pg);
	close(fd);
	if (m == MAP_FAILED)
		return NULL;
	*map = m;
	return (volatile uint32_t *)((char *)m + (off - pg));
}

static inline volatile uint32_t *map_real_dec0(struct cxl_dev *d, int prot, void **map)
{
	return map_real_comp(d, d->cap.hdm_regs_offset + d->hdm_off + CXL_HDM_DEC_OFF(0),
			     prot, map);
}

static inline int real_dec0(struct cxl_dev *d, uint32_t *ctrl, uint64_t *base)
{
	void *m;
	volatile uint32_t *r = map_real_dec0(d, PROT_READ, &m);

	if (!r)
		return -1;
	*ctrl = r[CXL_HDM_DEC_CTRL / 4];
	*base = r[CXL_HDM_DEC_BASE_LO / 4] | (uint64_t)r[CXL_HDM_DEC_BASE_HI / 4] << 32;
	munmap(m, REAL_DEC0_MAP);
	return 0;
}

/* Write the real decoder 0's control (the device unbound or in low power). */
static inline int real_dec0_set_ctrl(struct cxl_dev *d, uint32_t ctrl)
{
	void *m;
	volatile uint32_t *r = map_real_dec0(d, PROT_READ | PROT_WRITE, &m);

	if (!r)
		return -1;
	r[CXL_HDM_DEC_CTRL / 4] = ctrl;
	munmap(m, REAL_DEC0_MAP);
	return 0;
}

static inline int comp_walk_read32(void *priv, uint32_t off, uint32_t *v)
{
	return comp_read32(priv, off, v) ? -EIO : 0;
}

static inline uint16_t find_dvsec(struct cxl_dev *d, uint16_t vendor, uint16_t id)
{
	uint32_t pos = CXL_PCI_EXT_CAP_START;
	unsigned int hops = 0;

	while (pos >= CXL_PCI_EXT_CAP_START && pos < CXL_PCI_CFG_SPACE_EXP_SIZE &&
	       hops++ < 128) {
		uint32_t hdr = cfg_read32(d, pos);

		if (hdr == 0 || hdr == ~0u)
			return 0;
		if (FIELD_GET(CXL_PCI_EXT_CAP_HDR_ID, hdr) == CXL_PCI_EXT_CAP_ID_DVSEC &&
		    FIELD_GET(CXL_DVSEC_HDR1_VENDOR, cfg_read32(d, pos + CXL_DVSEC_HDR1)) == vendor &&
		    cfg_read16(d, pos + CXL_DVSEC_HDR2) == id)
			return pos;
		pos = FIELD_GET(CXL_PCI_EXT_CAP_HDR_NEXT, hdr);
	}
	return 0;
}

static inline int load_modules(void)
{
	static int done;

	if (done)
		return 0;
	done = 1;
	/* modprobe output would break TAP: keep it quiet. */
	if (system("modprobe vfio_iommu_type1 >/dev/null 2>&1; modprobe vfio-cxl >/dev/null 2>&1"))
		return -1;
	return 0;
}

/* Open @bdf through its IOMMU group; fills in every region the tests use. */
static inline int dev_open(struct cxl_dev *d, const char *bdf)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_region_info *ri;
	char path[256], link[256];
	void *buf;
	uint32_t argsz;
	ssize_t n;

	memset(d, 0, sizeof(*d));
	d->fd = d->group = d->container = -1;
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = 0;
	d->container = open("/dev/vfio/vfio", O_RDWR);
	if (d->container < 0)
		return -1;
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	d->group = open(path, O_RDWR);
	if (d->group < 0)
		return -1;
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &gs) ||
	    !(gs.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		errno = EBUSY;
		return -1;
	}
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container) ||
	    ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return -1;
	d->fd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (d->fd < 0)
		return -1;

	d->info.argsz = sizeof(d->info);
	if (ioctl(d->fd, VFIO_DEVICE_GET_INFO, &d->info))
		return -1;
	argsz = d->info.argsz;
	buf = calloc(1, argsz);
	((struct vfio_device_info *)buf)->argsz = argsz;
	if (ioctl(d->fd, VFIO_DEVICE_GET_INFO, buf)) {
		free(buf);
		return -1;
	}
	memcpy(&d->info, buf, sizeof(d->info));
	if (d->info.flags & VFIO_DEVICE_FLAGS_CAPS) {
		struct vfio_info_cap_header *h =
			vfio_find_cap(buf, argsz, d->info.cap_offset,
				      VFIO_DEVICE_INFO_CAP_CXL);
		if (h) {
			memcpy(&d->cap, h, sizeof(d->cap));
			d->have_cap = true;
		}
	}
	free(buf);

	if (vfio_region(d->fd, VFIO_PCI_CONFIG_REGION_INDEX, &ri))
		return -1;
	d->cfg_off = ri->offset;
	free(ri);
	if (!d->have_cap)
		return 0;

	if (vfio_region(d->fd, d->cap.dpa_region_index, &ri))
		return -1;
	d->dpa_off = ri->offset;
	d->dpa_size = ri->size;
	d->dpa_flags = ri->flags;
	free(ri);
	if (vfio_region(d->fd, d->cap.comp_regs_region_index, &ri))
		return -1;
	d->comp_off = ri->offset;
	d->comp_size = ri->size;
	d->comp_flags = ri->flags;
	free(ri);
	if (vfio_region(d->fd, d->cap.hdm_regs_bar_index, &ri))
		return -1;
	d->bar_off = ri->offset;
	d->bar_size = ri->size;
	free(ri);

	/* COMP_REGS' capability array, walked by core/regwalk.c. */
	{
		struct cxlemu_hdm_loc loc;

		if (!cxlemu_cm_find_hdm(comp_walk_read32, d, CXL_COMP_CM_SIZE, &loc, NULL)) {
			d->hdm_off = loc.off;
			d->ndec = loc.ndecoders;
		}
	}
	d->dvsec = find_dvsec(d, CXL_DVSEC_VENDOR_ID, CXL_DVSEC_ID_DEVICE);
	return 0;
}

static inline void dev_close(struct cxl_dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	d->fd = d->group = d->container = -1;
}

static inline long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Devices: argv[1..], else $VFIO_CXL_DEVICES (space separated). */
static inline int get_devices(int argc, char **argv, char devs[][32], int max)
{
	int n = 0, i;
	char *env, *tok, *save;

	for (i = 1; i < argc && n < max; i++)
		if (argv[i][0] != '-')
			snprintf(devs[n++], 32, "%s", argv[i]);
	if (n)
		return n;
	env = getenv("VFIO_CXL_DEVICES");
	if (!env)
		return 0;
	env = strdup(env);
	for (tok = strtok_r(env, " ,", &save); tok && n < max;
	     tok = strtok_r(NULL, " ,", &save))
		snprintf(devs[n++], 32, "%s", tok);
	free(env);
	return n;
}

/*
 * The start every selftest shares: line-buffered TAP, the devices from
 * argv or $VFIO_CXL_DEVICES, the modules loaded. Returns the device count,
 * or 0 after printing the TAP skip line (the caller returns KSFT_SKIP).
 */
static inline int selftest_begin(int argc, char **argv, char devs[][32], int max)
{
	int ndev = get_devices(argc, argv, devs, max);

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	if (!ndev) {
		printf("1..0 # SKIP no device: pass a BDF or set VFIO_CXL_DEVICES\n");
		return 0;
	}
	load_modules();
	return ndev;
}

/*
 * Data pattern the host checks in the backing file (tests/selftests/
 * check-backing): device index (topology order), tag, offset.
 */
static unsigned int g_dev_index;

static inline uint64_t pat(unsigned int tag, uint64_t off)
{
	return 0xc0de000000000000ull ^ ((uint64_t)g_dev_index << 48) ^
	       ((uint64_t)tag << 40) ^ off;
}

/* ---- running tests ------------------------------------------------------- */

struct fixture_test {
	const char *name;
	void (*fn)(struct cxl_dev *d);
};

/* Set by a program: runs before each test, inside it (may assert). */
static void (*g_before_each)(struct cxl_dev *d);

/* Run @t on device @d; prints one TAP result. */
static inline void run_one(const struct fixture_test *t, struct cxl_dev *d)
{
	int r;

	__t_num++;
	fflush(stdout);
	r = setjmp(__t_jmp);
	if (r == 0) {
		if (g_before_each)
			g_before_each(d);
		t->fn(d);
		printf("ok %d %s %s\n", __t_num, t->name, d->bdf);
	} else if (r == 2) {
		__t_skip++;
		printf("ok %d %s %s # SKIP %s\n", __t_num, t->name, d->bdf,
		       __t_skip_why ? __t_skip_why : "");
	} else {
		__t_fail++;
		printf("not ok %d %s %s\n", __t_num, t->name, d->bdf);
	}
	fflush(stdout);
}

/*
 * One more TAP result: the guest kernel's log holds no warning, BUG, oops,
 * hung task or memory-debugging report (the console shows errors only).
 */
static inline void tap_kernel_log(void)
{
	int r = system("dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|blocked for more than|"
		       "refcount_t:|list_add corruption|list_del corruption|UBSAN|KASAN|"
		       "general protection' > /tmp/klog.bad 2>/dev/null");
	char line[256];
	FILE *f;

	__t_num++;
	if (r != 0) {
		printf("ok %d kernel_log_clean\n", __t_num);
		return;
	}
	__t_fail++;
	f = fopen("/tmp/klog.bad", "r");
	for (r = 0; f && r < 20 && fgets(line, sizeof(line), f); r++)
		printf("# %s", line);
	if (f)
		fclose(f);
	printf("not ok %d kernel_log_clean\n", __t_num);
}

/* Every test of @tests on @d, in order. */
static inline void run_all(const struct fixture_test *tests, unsigned int ntests,
			   struct cxl_dev *d)
{
	unsigned int t;

	for (t = 0; t < ntests; t++)
		run_one(&tests[t], d);
}

/* The end every selftest shares: the kernel log checked, the counts, the exit code. */
static inline int tap_finish(void)
{
	tap_kernel_log();
	printf("# %d tests, %d failed, %d skipped\n", __t_num, __t_fail, __t_skip);
	return __t_fail ? KSFT_FAIL : KSFT_PASS;
}

/*
 * The main of a test of one device (the first given): bound and opened,
 * @tests run on it, the kernel log checked; a fixed plan of ntests + 2.
 */
static inline int one_device_main(int argc, char **argv,
				  const struct fixture_test *tests, unsigned int ntests)
{
	char devs[16][32];
	int ndev = selftest_begin(argc, argv, devs, 16);
	struct cxl_dev d;

	if (!ndev)
		return KSFT_SKIP;
	printf("1..%d\n", (int)(ntests + 2));
	__t_num++;
	if (dev_bind(devs[0]) || dev_open(&d, devs[0]) || !d.have_cap) {
		printf("not ok 1 open %s: %s\n", devs[0], strerror(errno));
		return KSFT_FAIL;
	}
	printf("ok 1 open %s\n", devs[0]);
	run_all(tests, ntests, &d);
	dev_close(&d);
	return tap_finish();
}

#endif /* VFIO_CXL_HARNESS_H */
