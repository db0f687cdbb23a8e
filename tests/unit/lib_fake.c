// SPDX-License-Identifier: MIT
/* A fake VFIO layer for libvfiocxl unit tests (see lib_fake.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <syslog.h>
#include <unistd.h>

#include "lib_fake.h"

struct fake fake;
char fake_log[4096];
int tap_n, tap_failed;

void tap_plan(int n)
{
	printf("1..%d\n", n);
}

void tap_ok(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		tap_failed++;
	fflush(stdout);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

struct vfio_device_info *fake_info(void)
{
	return (struct vfio_device_info *)fake.info;
}

struct vfio_region_info *fake_region(unsigned int i)
{
	return (struct vfio_region_info *)fake.regions[i].buf;
}

void fake_info_cxl(uint32_t flags)
{
	struct vfio_device_info *info = fake_info();
	struct vfio_device_info_cap_cxl *cap;

	memset(fake.info, 0, sizeof(fake.info));
	info->flags = flags;
	info->num_regions = FAKE_NREGIONS;
	info->num_irqs = 5;
	info->cap_offset = FAKE_INFO_SIZE;
	cap = (void *)(fake.info + info->cap_offset);
	cap->header.id = VFIO_DEVICE_INFO_CAP_CXL;
	cap->header.version = VFIO_DEVICE_INFO_CAP_CXL_VERSION;
	cap->header.next = 0;
	cap->hdm_regs_bar_index = 0;
	cap->flags = VFIO_CXL_CAP_FIRMWARE_COMMITTED;
	cap->hdm_regs_offset = 0x1000;
	cap->dpa_region_index = FAKE_DPA_INDEX;
	cap->comp_regs_region_index = FAKE_COMP_INDEX;
	fake.info_len = info->cap_offset + sizeof(*cap);
}

static void region_set(unsigned int i, uint32_t flags, uint64_t size, bool typed, uint32_t subtype,
		       int nareas, const uint64_t *areas)
{
	struct vfio_region_info *r = fake_region(i);
	uint32_t off = sizeof(*r);

	memset(r, 0, sizeof(fake.regions[i].buf));
	r->index = i;
	r->flags = flags;
	r->size = size;
	r->offset = FAKE_REGION_OFF(i);
	if (typed) {
		struct vfio_region_info_cap_type *t = (void *)((uint8_t *)r + off);

		r->flags |= VFIO_REGION_INFO_FLAG_CAPS;
		r->cap_offset = off;
		t->header.id = VFIO_REGION_INFO_CAP_TYPE;
		t->header.version = 1;
		t->type = VFIO_CXL_REGION_TYPE;
		t->subtype = subtype;
		off += sizeof(*t);
	}
	if (nareas >= 0) {
		struct vfio_region_info_cap_sparse_mmap *s = (void *)((uint8_t *)r + off);
		int k;

		r->flags |= VFIO_REGION_INFO_FLAG_CAPS;
		if (r->cap_offset)
			((struct vfio_info_cap_header *)((uint8_t *)r + r->cap_offset))->next = off;
		else
			r->cap_offset = off;
		s->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
		s->header.version = 1;
		s->nr_areas = nareas;
		for (k = 0; k < nareas; k++) {
			s->areas[k].offset = areas[2 * k];
			s->areas[k].size = areas[2 * k + 1];
		}
		off += sizeof(*s) + nareas * sizeof(s->areas[0]);
	}
	fake.regions[i].len = off;
	r->argsz = off;
}

void fake_reset(void)
{
	uint32_t rw = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	/* BAR0: 128 KiB, the component block (first 64 KiB) left out of mmap */
	static const uint64_t bar0_areas[] = { 0x10000, 0x10000 };
	int memfd = fake.dpa_memfd;
	unsigned int i;

	memset(&fake, 0, sizeof(fake));
	snprintf(fake.sysfs, sizeof(fake.sysfs), "/nonexistent-sysfs");
	fake_info_cxl(VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_RESET | VFIO_DEVICE_FLAGS_CAPS |
		      VFIO_DEVICE_FLAGS_CXL);
	for (i = 0; i < FAKE_NREGIONS; i++)
		region_set(i, 0, 0, false, 0, -1, NULL);
	region_set(0, rw | VFIO_REGION_INFO_FLAG_MMAP, 0x20000, false, 0, 1, bar0_areas);
	region_set(2, rw | VFIO_REGION_INFO_FLAG_MMAP, 0x1000, false, 0, -1, NULL);
	region_set(VFIO_PCI_CONFIG_REGION_INDEX, rw, 0x1000, false, 0, -1, NULL);
	region_set(FAKE_DPA_INDEX, rw | VFIO_REGION_INFO_FLAG_MMAP, FAKE_DPA_SIZE, true,
		   VFIO_REGION_SUBTYPE_CXL, -1, NULL);
	region_set(FAKE_COMP_INDEX, rw, FAKE_COMP_SIZE, true, VFIO_REGION_SUBTYPE_CXL_COMP_REGS, -1,
		   NULL);
	/* As QEMU's cxl-type3 presents it: RAS at 0x80, Link at 0xd8, HDM at 0x128 */
	fake.comp[0] = FIELD_PREP(CXL_CM_CAP_HDR_ID, CXL_CM_CAP_ID_CAP) |
		       FIELD_PREP(CXL_CM_CAP_HDR_VER, 1) | FIELD_PREP(CXL_CM_CAP_HDR_CM_VER, 1) |
		       FIELD_PREP(CXL_CM_CAP_HDR_ARRAY_SIZE, 3);
	fake.comp[1] = FIELD_PREP(CXL_CM_CAP_ENTRY_ID, CXL_CM_CAP_ID_RAS) |
		       FIELD_PREP(CXL_CM_CAP_ENTRY_PTR, 0x80);
	fake.comp[2] = FIELD_PREP(CXL_CM_CAP_ENTRY_ID, CXL_CM_CAP_ID_LINK) |
		       FIELD_PREP(CXL_CM_CAP_ENTRY_PTR, 0xd8);
	fake.comp[3] = FIELD_PREP(CXL_CM_CAP_ENTRY_ID, CXL_CM_CAP_ID_HDM) |
		       FIELD_PREP(CXL_CM_CAP_ENTRY_PTR, FAKE_HDM_OFF);
	/* 4 decoders (encoding 2), 256B/4K interleave capable: 0x00001b12's low bits */
	fake.comp[FAKE_HDM_OFF / 4] = FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, 2) |
				      FIELD_PREP(CXL_HDM_CAP_TARGET_COUNT, 1) |
				      CXL_HDM_CAP_A11TO8 | CXL_HDM_CAP_A14TO12 |
				      CXL_HDM_CAP_3_6_12_WAY | CXL_HDM_CAP_16_WAY;
	fake.comp_size = FAKE_COMP_SIZE;
	fake.commit = FAKE_COMMIT_OK;
	if (memfd <= 0) {
		memfd = memfd_create("fake-dpa", 0);
		if (memfd < 0 || ftruncate(memfd, FAKE_DPA_SIZE)) {
			perror("memfd");
			exit(1);
		}
	}
	fake.dpa_memfd = memfd;
	fake_log[0] = '\0';
}

static void capture_log(struct vfio_cxl_ctx *ctx, int priority, const char *file, int line,
			const char *fn, const char *format, va_list args)
{
	size_t n = strlen(fake_log);

	if (n < sizeof(fake_log) - 1)
		vsnprintf(fake_log + n, sizeof(fake_log) - n, format, args);
}

struct vfio_cxl_ctx *fake_ctx(void)
{
	struct vfio_cxl_ctx *ctx;

	if (vfio_cxl_new(&ctx))
		exit(1);
	vfio_cxl_set_sys_ops(ctx, &fake_ops);
	vfio_cxl_set_sysfs_root(ctx, fake.sysfs);
	vfio_cxl_set_dev_root(ctx, "/fakedev");
	vfio_cxl_set_log_fn(ctx, capture_log);
	vfio_cxl_set_log_priority(ctx, LOG_ERR);
	return ctx;
}

/* ---- system calls --------------------------------------------------------- */

static int f_open(const char *path, int flags)
{
	char buf[64];

	fake.opens++;
	if (ends_with(path, "/vfio/vfio")) {
		if (fake.no_container)
			return errno = ENOENT, -1;
		return fake.live_fds++, FAKE_FD_CONTAINER;
	}
	snprintf(buf, sizeof(buf), "/vfio/%d", FAKE_GROUP);
	if (ends_with(path, buf)) {
		if (fake.group_busy)
			return errno = EBUSY, -1;
		return fake.live_fds++, FAKE_FD_GROUP;
	}
	if (ends_with(path, "/iommu"))
		return fake.cdev ? (fake.live_fds++, FAKE_FD_IOMMU) : (errno = ENOENT, -1);
	snprintf(buf, sizeof(buf), "/vfio/devices/vfio%d", FAKE_CDEV);
	if (ends_with(path, buf)) {
		if (!fake.cdev)
			return errno = ENOENT, -1;
		if (fake.device_busy)
			return errno = EBUSY, -1;
		return fake.live_fds++, FAKE_FD_DEVICE;
	}
	return errno = ENOENT, -1;
}

static int f_close(int fd)
{
	if (fd >= FAKE_FD_CONTAINER && fd <= FAKE_FD_IOMMU) {
		fake.closes++;
		fake.live_fds--;
		return 0;
	}
	return close(fd);
}

static void core_init(void)
{
	if (fake.commit != FAKE_COMMIT_CORE || fake.emu_ready)
		return;
	/* core checks decoder sizes against this: one 256 MiB granule */
	if (cxlemu_comp_init(&fake.emu, fake.comp, FAKE_COMP_SIZE / 4, 256u << 20, NULL, NULL)) {
		printf("# cxlemu_comp_init failed\n");
		exit(1);
	}
	fake.emu_ready = true;
}

static uint32_t *dec_ctrl(unsigned int d)
{
	return &fake.comp[(FAKE_HDM_OFF + CXL_HDM_DEC_OFF(d) + CXL_HDM_DEC_CTRL) / 4];
}

static void comp_write32(uint32_t off, uint32_t val)
{
	uint32_t rel, d, reg, *ctrl;

	if (off < FAKE_HDM_OFF + CXL_HDM_GCTRL)
		return;					/* capability array: RO */
	rel = off - FAKE_HDM_OFF;
	if (rel == CXL_HDM_GCTRL) {
		fake.comp[off / 4] = val & (CXL_HDM_GCTRL_ENABLE | CXL_HDM_GCTRL_POISON_EN);
		return;
	}
	if (rel < CXL_HDM_DEC_FIRST)
		return;
	d = (rel - CXL_HDM_DEC_FIRST) / CXL_HDM_DEC_STRIDE;
	reg = (rel - CXL_HDM_DEC_FIRST) % CXL_HDM_DEC_STRIDE;
	ctrl = dec_ctrl(d);
	if ((*ctrl & CXL_HDM_DEC_CTRL_COMMITTED) && (*ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT))
		return;					/* locked until reset */
	if (reg != CXL_HDM_DEC_CTRL) {
		if (!(*ctrl & CXL_HDM_DEC_CTRL_COMMITTED))
			fake.comp[off / 4] = val;
		return;
	}
	val &= ~(CXL_HDM_DEC_CTRL_COMMITTED | CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED);
	if (val & CXL_HDM_DEC_CTRL_COMMIT) {
		if (fake.commit == FAKE_COMMIT_OK)
			val |= CXL_HDM_DEC_CTRL_COMMITTED;
		else if (fake.commit == FAKE_COMMIT_ERROR)
			val |= CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED;
	}
	*ctrl = val;
}

static ssize_t comp_rw(void *buf, size_t len, uint64_t off, bool write)
{
	size_t i;

	if (off % 4 || len % 4 || off + len > fake.comp_size)
		return errno = EINVAL, -1;
	core_init();
	for (i = 0; i < len; i += 4) {
		uint32_t v;

		if (fake.commit == FAKE_COMMIT_CORE) {
			uint64_t v64 = 0;
			int rc;

			memcpy(&v, (uint8_t *)buf + i, 4);
			rc = write ? cxlemu_comp_write(&fake.emu, off + i, 4, v) :
				     cxlemu_comp_read(&fake.emu, off + i, 4, &v64);
			if (rc && rc != -EPERM)
				return errno = -rc, -1;
			v = (uint32_t)v64;
		} else if (write) {
			memcpy(&v, (uint8_t *)buf + i, 4);
			comp_write32(off + i, v);
		} else {
			v = fake.comp[(off + i) / 4];
		}
		if (!write)
			memcpy((uint8_t *)buf + i, &v, 4);
	}
	return len;
}

static ssize_t dev_rw(void *buf, size_t len, off_t off, bool write)
{
	unsigned int idx = (uint64_t)off >> 40;
	uint64_t roff = (uint64_t)off & ((1ull << 40) - 1);

	if (idx == FAKE_COMP_INDEX)
		return comp_rw(buf, len, roff, write);
	if (idx == FAKE_DPA_INDEX)
		return write ? pwrite(fake.dpa_memfd, buf, len, roff) :
			       pread(fake.dpa_memfd, buf, len, roff);
	if (!write)
		memset(buf, 0, len);
	return len;
}

static ssize_t f_pread(int fd, void *buf, size_t len, off_t off)
{
	if (fd != FAKE_FD_DEVICE)
		return pread(fd, buf, len, off);
	return dev_rw(buf, len, off, false);
}

static ssize_t f_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	if (fd != FAKE_FD_DEVICE)
		return pwrite(fd, buf, len, off);
	return dev_rw((void *)buf, len, off, true);
}

static void *f_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (fd != FAKE_FD_DEVICE)
		return mmap(addr, len, prot, flags, fd, off);
	if (((uint64_t)off >> 40) != FAKE_DPA_INDEX)
		return errno = EINVAL, MAP_FAILED;
	return mmap(addr, len, prot, flags, fake.dpa_memfd, off & ((1ll << 40) - 1));
}

static ssize_t f_readlink(const char *path, char *buf, size_t len)
{
	char link[128];
	size_t n;

	if (fake.no_device || fake.no_group || !ends_with(path, FAKE_ADDR "/iommu_group"))
		return errno = ENOENT, -1;
	snprintf(link, sizeof(link), "../../../../kernel/iommu_groups/%d", FAKE_GROUP);
	n = strlen(link) < len ? strlen(link) : len;
	memcpy(buf, link, n);
	return n;
}

static int f_access(const char *path, int mode)
{
	char buf[64];

	if (ends_with(path, "/bus/pci/devices/" FAKE_ADDR))
		return fake.no_device ? (errno = ENOENT, -1) : 0;
	snprintf(buf, sizeof(buf), "/vfio/devices/vfio%d", FAKE_CDEV);
	if (ends_with(path, buf) && fake.cdev)
		return 0;
	return errno = ENOENT, -1;
}

static int f_ioctl(int fd, unsigned long req, void *arg)
{
	fake.ioctls++;
	switch (fd) {
	case FAKE_FD_CONTAINER:
		if (req == VFIO_GET_API_VERSION)
			return VFIO_API_VERSION;
		if (req == VFIO_CHECK_EXTENSION || req == VFIO_SET_IOMMU)
			return req == VFIO_CHECK_EXTENSION ? 1 : 0;
		break;
	case FAKE_FD_GROUP:
		if (req == VFIO_GROUP_GET_STATUS) {
			struct vfio_group_status *s = arg;

			s->flags = fake.not_viable ? 0 : VFIO_GROUP_FLAGS_VIABLE;
			return 0;
		}
		if (req == VFIO_GROUP_SET_CONTAINER)
			return 0;
		if (req == VFIO_GROUP_GET_DEVICE_FD) {
			if (strcmp(arg, FAKE_ADDR))
				return errno = ENODEV, -1;
			if (fake.device_busy)
				return errno = EBUSY, -1;
			return fake.live_fds++, FAKE_FD_DEVICE;
		}
		break;
	case FAKE_FD_IOMMU:
		if (req == IOMMU_IOAS_ALLOC_FAKE) {
			((uint32_t *)arg)[2] = 1;
			return 0;
		}
		break;
	case FAKE_FD_DEVICE:
		if (req == VFIO_DEVICE_GET_INFO) {
			struct vfio_device_info *in = arg;
			uint32_t argsz = in->argsz;

			if (argsz < sizeof(*in))
				return errno = EINVAL, -1;
			memcpy(in, fake.info, argsz < fake.info_len ? sizeof(*in) :
					      (argsz < sizeof(fake.info) ? argsz : sizeof(fake.info)));
			if (argsz < fake.info_len)
				in->cap_offset = 0;
			in->argsz = fake.info_len;
			return 0;
		}
		if (req == VFIO_DEVICE_GET_REGION_INFO) {
			struct vfio_region_info *in = arg;
			uint32_t argsz = in->argsz, idx = in->index;
			struct fake_region *r;

			if (idx >= FAKE_NREGIONS || argsz < sizeof(*in))
				return errno = EINVAL, -1;
			if (idx == VFIO_PCI_VGA_REGION_INDEX)	/* as vfio-pci without VGA */
				return errno = EINVAL, -1;
			r = &fake.regions[idx];
			memcpy(in, r->buf, argsz < r->len ? sizeof(*in) :
					   (argsz < sizeof(r->buf) ? argsz : sizeof(r->buf)));
			if (argsz < r->len)
				in->cap_offset = 0;
			in->argsz = r->len;
			return 0;
		}
		if (req == VFIO_DEVICE_RESET) {
			unsigned int d;

			fake.resets++;
			if (fake.commit == FAKE_COMMIT_CORE) {
				core_init();
				cxlemu_hdm_reset(&fake.emu.hdm);
				return 0;
			}
			fake.comp[(FAKE_HDM_OFF + CXL_HDM_GCTRL) / 4] = 0;
			for (d = 0; d < 4; d++)
				memset(&fake.comp[(FAKE_HDM_OFF + CXL_HDM_DEC_OFF(d)) / 4], 0,
				       CXL_HDM_DEC_STRIDE);
			return 0;
		}
		if (req == VFIO_DEVICE_BIND_IOMMUFD_FAKE || req == VFIO_DEVICE_ATTACH_IOMMUFD_PT_FAKE)
			return fake.cdev ? 0 : (errno = EINVAL, -1);
		break;
	}
	return errno = ENOTTY, -1;
}

static uint64_t f_now_ns(void)
{
	return fake.clock_ns;
}

static void f_sleep_ns(uint64_t ns)
{
	fake.clock_ns += ns;
}

const struct vfio_cxl_sys_ops fake_ops = {
	.open = f_open,
	.close = f_close,
	.ioctl = f_ioctl,
	.pread = f_pread,
	.pwrite = f_pwrite,
	.mmap = f_mmap,
	.munmap = munmap,
	.readlink = f_readlink,
	.access = f_access,
	.now_ns = f_now_ns,
	.sleep_ns = f_sleep_ns,
};
