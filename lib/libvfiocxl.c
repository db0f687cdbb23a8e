// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libvfiocxl: context, logging, device open (legacy container/group or
 * iommufd cdev), VFIO_DEVICE_GET_INFO and region tables, DPA mapping, reset.
 *
 * Everything the kernel returns is parsed as hostile input: sizes are
 * bounded, capability chains are walked with strictly increasing, aligned,
 * in-bounds offsets and an iteration cap (QEMU's vfio_get_cap trusts the
 * kernel; we do not).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/vfio.h>
#include "uapi/linux/vfio_cxl.h"
#include "cxlemu.h"

#include "private.h"

/* iommufd uAPI, for build hosts whose headers predate it (Linux 6.6). */
#ifndef VFIO_DEVICE_BIND_IOMMUFD
struct vfio_device_bind_iommufd {
	__u32 argsz;
	__u32 flags;
	__s32 iommufd;
	__u32 out_devid;
};
#define VFIO_DEVICE_BIND_IOMMUFD	_IO(VFIO_TYPE, VFIO_BASE + 18)
struct vfio_device_attach_iommufd_pt {
	__u32 argsz;
	__u32 flags;
	__u32 pt_id;
};
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT	_IO(VFIO_TYPE, VFIO_BASE + 19)
#endif
#ifndef IOMMU_IOAS_ALLOC
struct iommu_ioas_alloc {
	__u32 size;
	__u32 flags;
	__u32 out_ioas_id;
};
#define IOMMU_IOAS_ALLOC	_IO(';', 0x81)
#endif

_Static_assert(VFIO_CXL_REGION_TYPE == (uint32_t)(VFIO_REGION_TYPE_PCI_VENDOR_TYPE | PCI_VENDOR_ID_CXL),
	       "CXL region type as the uAPI defines it");
_Static_assert(VFIO_CXL_REGION_SUBTYPE_DPA == VFIO_REGION_SUBTYPE_CXL &&
	       VFIO_CXL_REGION_SUBTYPE_COMP_REGS == VFIO_REGION_SUBTYPE_CXL_COMP_REGS, "subtypes");

#define LVC_INFO_MAX		(64 * 1024)	/* largest GET_INFO reply accepted */
#define LVC_CAP_CHAIN_MAX	64		/* capability chain iteration cap */
#define LVC_MAX_REGIONS		64

/* ---- default system calls --------------------------------------------- */

static int sys_open(const char *path, int flags) { return open(path, flags | O_CLOEXEC); }
static int sys_ioctl(int fd, unsigned long req, void *arg) { return ioctl(fd, req, arg); }
static uint64_t sys_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}
static void sys_sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000ull, .tv_nsec = ns % 1000000000ull };

	nanosleep(&ts, NULL);
}

static const struct vfio_cxl_sys_ops default_ops = {
	.open = sys_open,
	.close = close,
	.ioctl = sys_ioctl,
	.pread = pread,
	.pwrite = pwrite,
	.mmap = mmap,
	.munmap = munmap,
	.readlink = readlink,
	.access = access,
	.now_ns = sys_now_ns,
	.sleep_ns = sys_sleep_ns,
};

/* ---- context and logging ---------------------------------------------- */

static void log_stderr(struct vfio_cxl_ctx *ctx, int priority, const char *file, int line,
		       const char *fn, const char *format, va_list args)
{
	fprintf(stderr, "libvfiocxl: ");
	vfprintf(stderr, format, args);
}

void vfio_cxl_log(struct vfio_cxl_ctx *ctx, int priority, const char *file, int line,
		  const char *fn, const char *format, ...)
{
	va_list args;

	va_start(args, format);
	ctx->log_fn(ctx, priority, file, line, fn, format, args);
	va_end(args);
}

static int log_priority(const char *s)
{
	char *end;
	long v;

	if (!strcmp(s, "err"))
		return LOG_ERR;
	if (!strcmp(s, "info"))
		return LOG_INFO;
	if (!strcmp(s, "debug"))
		return LOG_DEBUG;
	v = strtol(s, &end, 10);
	if (end != s && *end == '\0' && v >= 0 && v <= LOG_DEBUG)
		return (int)v;
	return LOG_ERR;
}

VFIO_CXL_EXPORT int vfio_cxl_new(struct vfio_cxl_ctx **out)
{
	struct vfio_cxl_ctx *ctx;
	const char *env;

	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->refcount = 1;
	ctx->log_fn = log_stderr;
	ctx->log_priority = LOG_ERR;
	ctx->ops = default_ops;
	env = secure_getenv("VFIO_CXL_LOG");
	if (env)
		ctx->log_priority = log_priority(env);
	env = secure_getenv("VFIO_CXL_SYSFS");
	ctx->sysfs_root = strdup(env && *env ? env : "/sys");
	env = secure_getenv("VFIO_CXL_DEV");
	ctx->dev_root = strdup(env && *env ? env : "/dev");
	if (!ctx->sysfs_root || !ctx->dev_root) {
		vfio_cxl_unref(ctx);
		return -ENOMEM;
	}
	*out = ctx;
	return 0;
}

VFIO_CXL_EXPORT struct vfio_cxl_ctx *vfio_cxl_ref(struct vfio_cxl_ctx *ctx)
{
	if (ctx)
		ctx->refcount++;
	return ctx;
}

VFIO_CXL_EXPORT void vfio_cxl_unref(struct vfio_cxl_ctx *ctx)
{
	if (!ctx || --ctx->refcount > 0)
		return;
	free(ctx->sysfs_root);
	free(ctx->dev_root);
	free(ctx);
}

VFIO_CXL_EXPORT void vfio_cxl_set_sys_ops(struct vfio_cxl_ctx *ctx, const struct vfio_cxl_sys_ops *ops)
{
	ctx->ops = default_ops;
	if (!ops)
		return;
#define SET(m) do { if (ops->m) ctx->ops.m = ops->m; } while (0)
	SET(open); SET(close); SET(ioctl); SET(pread); SET(pwrite); SET(mmap);
	SET(munmap); SET(readlink); SET(access); SET(now_ns); SET(sleep_ns);
#undef SET
}

static int set_path(char **dst, const char *path)
{
	char *p;

	if (!path || !*path)
		return -EINVAL;
	p = strdup(path);
	if (!p)
		return -ENOMEM;
	free(*dst);
	*dst = p;
	return 0;
}

VFIO_CXL_EXPORT int vfio_cxl_set_sysfs_root(struct vfio_cxl_ctx *ctx, const char *path)
{
	return set_path(&ctx->sysfs_root, path);
}

VFIO_CXL_EXPORT const char *vfio_cxl_get_sysfs_root(struct vfio_cxl_ctx *ctx)
{
	return ctx->sysfs_root;
}

VFIO_CXL_EXPORT int vfio_cxl_set_dev_root(struct vfio_cxl_ctx *ctx, const char *path)
{
	return set_path(&ctx->dev_root, path);
}

VFIO_CXL_EXPORT void vfio_cxl_set_log_fn(struct vfio_cxl_ctx *ctx, vfio_cxl_log_fn log_fn)
{
	ctx->log_fn = log_fn ? log_fn : log_stderr;
}

VFIO_CXL_EXPORT int vfio_cxl_get_log_priority(struct vfio_cxl_ctx *ctx)
{
	return ctx->log_priority;
}

VFIO_CXL_EXPORT void vfio_cxl_set_log_priority(struct vfio_cxl_ctx *ctx, int priority)
{
	ctx->log_priority = priority;
}

VFIO_CXL_EXPORT void vfio_cxl_set_userdata(struct vfio_cxl_ctx *ctx, void *userdata)
{
	ctx->userdata = userdata;
}

VFIO_CXL_EXPORT void *vfio_cxl_get_userdata(struct vfio_cxl_ctx *ctx)
{
	return ctx->userdata;
}

/* ---- helpers ------------------------------------------------------------ */

/* "DDDD:BB:DD.F" or "BB:DD.F" -> canonical lower-case "dddd:bb:dd.f" */
static int parse_pci_addr(const char *s, char *out, size_t len)
{
	unsigned int dom = 0, bus, slot, fn;
	int n = 0;

	if (!s || strlen(s) > 16)
		return -EINVAL;
	if (sscanf(s, "%4x:%2x:%2x.%1x%n", &dom, &bus, &slot, &fn, &n) == 4 && s[n] == '\0')
		;
	else if (dom = 0, n = 0,
		 sscanf(s, "%2x:%2x.%1x%n", &bus, &slot, &fn, &n) == 3 && s[n] == '\0')
		;
	else
		return -EINVAL;
	if (slot > 0x1f || fn > 7 || strchr(s, ' ') || strchr(s, '+') || strchr(s, '-'))
		return -EINVAL;
	snprintf(out, len, "%04x:%02x:%02x.%x", dom, bus, slot, fn);
	return 0;
}

static int lvc_close_fd(struct vfio_cxl_ctx *ctx, int fd)
{
	return fd >= 0 ? ctx->ops.close(fd) : 0;
}

/* The group number from <sysfs>/bus/pci/devices/<addr>/iommu_group. */
static int read_iommu_group(struct vfio_cxl_dev *dev)
{
	struct vfio_cxl_ctx *ctx = dev->ctx;
	char path[PATH_MAX], link[PATH_MAX];
	const char *base;
	char *end;
	ssize_t n;
	long g;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", ctx->sysfs_root, dev->name);
	if (ctx->ops.access(path, F_OK) < 0) {
		dev_err(dev, "no such PCI device\n");
		return -ENODEV;
	}
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/iommu_group", ctx->sysfs_root, dev->name);
	n = ctx->ops.readlink(path, link, sizeof(link) - 1);
	if (n <= 0) {
		dev_err(dev, "no IOMMU group (is an IOMMU enabled?)\n");
		return -ENODEV;
	}
	link[n] = '\0';
	base = strrchr(link, '/');
	base = base ? base + 1 : link;
	errno = 0;
	g = strtol(base, &end, 10);
	if (end == base || *end || g < 0 || g > INT_MAX || errno) {
		dev_err(dev, "unreadable IOMMU group link '%s'\n", link);
		return -EPROTO;
	}
	dev->group = (int)g;
	return 0;
}

/* The cdev number N of <sysfs>/bus/pci/devices/<addr>/vfio-dev/vfioN, or -1. */
static int find_cdev(struct vfio_cxl_dev *dev)
{
	char path[PATH_MAX];
	struct dirent *de;
	int n = -1;
	DIR *d;

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/vfio-dev", dev->ctx->sysfs_root, dev->name);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		unsigned int v;
		int used = 0;

		if (sscanf(de->d_name, "vfio%u%n", &v, &used) == 1 && de->d_name[used] == '\0' &&
		    v < INT_MAX) {
			n = (int)v;
			break;
		}
	}
	closedir(d);
	return n;
}

static int open_iommufd(struct vfio_cxl_dev *dev, int cdev)
{
	struct vfio_cxl_ctx *ctx = dev->ctx;
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	struct vfio_device_attach_iommufd_pt attach = { .argsz = sizeof(attach) };
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	char path[PATH_MAX];
	int rc;

	snprintf(path, sizeof(path), "%s/iommu", ctx->dev_root);
	dev->iommufd = ctx->ops.open(path, O_RDWR);
	if (dev->iommufd < 0) {
		rc = -errno;
		dev_dbg(dev, "%s: %s\n", path, strerror(errno));
		return rc;
	}
	snprintf(path, sizeof(path), "%s/vfio/devices/vfio%d", ctx->dev_root, cdev);
	dev->fd = ctx->ops.open(path, O_RDWR);
	if (dev->fd < 0) {
		rc = -errno;
		if (rc == -ENOENT)	/* no device cdev (CONFIG_VFIO_DEVICE_CDEV=n) */
			dev_dbg(dev, "%s: %s\n", path, strerror(-rc));
		else if (rc == -EBUSY)
			dev_err(dev, "device busy: %s is open elsewhere\n", path);
		else
			dev_err(dev, "cannot open %s: %s\n", path, strerror(-rc));
		return rc;
	}
	bind.iommufd = dev->iommufd;
	if (ctx->ops.ioctl(dev->fd, VFIO_DEVICE_BIND_IOMMUFD, &bind) < 0) {
		rc = -errno;
		dev_err(dev, "VFIO_DEVICE_BIND_IOMMUFD: %s\n", strerror(-rc));
		return rc;
	}
	if (ctx->ops.ioctl(dev->iommufd, IOMMU_IOAS_ALLOC, &alloc) < 0) {
		rc = -errno;
		dev_err(dev, "IOMMU_IOAS_ALLOC: %s\n", strerror(-rc));
		return rc;
	}
	attach.pt_id = alloc.out_ioas_id;
	if (ctx->ops.ioctl(dev->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &attach) < 0) {
		rc = -errno;
		dev_err(dev, "VFIO_DEVICE_ATTACH_IOMMUFD_PT: %s\n", strerror(-rc));
		return rc;
	}
	dev->cdev = true;
	dev_dbg(dev, "opened through iommufd cdev vfio%d\n", cdev);
	return 0;
}

static int open_legacy(struct vfio_cxl_dev *dev)
{
	struct vfio_cxl_ctx *ctx = dev->ctx;
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[PATH_MAX];
	int rc;

	snprintf(path, sizeof(path), "%s/vfio/vfio", ctx->dev_root);
	dev->container_fd = ctx->ops.open(path, O_RDWR);
	if (dev->container_fd < 0) {
		rc = -errno;
		dev_err(dev, "cannot open %s: %s (is vfio loaded?)\n", path, strerror(-rc));
		return rc == -ENOENT ? -ENODEV : rc;
	}
	rc = ctx->ops.ioctl(dev->container_fd, VFIO_GET_API_VERSION, NULL);
	if (rc != VFIO_API_VERSION) {
		dev_err(dev, "unknown VFIO API version %d\n", rc);
		return -EPROTO;
	}
	snprintf(path, sizeof(path), "%s/vfio/%d", ctx->dev_root, dev->group);
	dev->group_fd = ctx->ops.open(path, O_RDWR);
	if (dev->group_fd < 0) {
		rc = -errno;
		if (rc == -EBUSY)
			dev_err(dev, "device busy: IOMMU group %d is open elsewhere\n", dev->group);
		else if (rc == -ENOENT)
			dev_err(dev, "no %s: the device is not bound to a VFIO driver\n", path);
		else
			dev_err(dev, "cannot open %s: %s\n", path, strerror(-rc));
		return rc == -ENOENT ? -ENODEV : rc;
	}
	if (ctx->ops.ioctl(dev->group_fd, VFIO_GROUP_GET_STATUS, &status) < 0) {
		rc = -errno;
		dev_err(dev, "VFIO_GROUP_GET_STATUS: %s\n", strerror(-rc));
		return rc;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		dev_err(dev, "IOMMU group %d is not viable: bind every device in it to VFIO\n",
			dev->group);
		return -EBUSY;
	}
	if (ctx->ops.ioctl(dev->container_fd, VFIO_CHECK_EXTENSION,
			   (void *)(uintptr_t)VFIO_TYPE1v2_IOMMU) <= 0) {
		dev_err(dev, "the VFIO container has no type1v2 IOMMU (is vfio_iommu_type1 loaded?)\n");
		return -ENXIO;
	}
	if (ctx->ops.ioctl(dev->group_fd, VFIO_GROUP_SET_CONTAINER, &dev->container_fd) < 0) {
		rc = -errno;
		dev_err(dev, "VFIO_GROUP_SET_CONTAINER: %s\n", strerror(-rc));
		return rc;
	}
	if (ctx->ops.ioctl(dev->container_fd, VFIO_SET_IOMMU,
			   (void *)(uintptr_t)VFIO_TYPE1v2_IOMMU) < 0) {
		rc = -errno;
		dev_err(dev, "VFIO_SET_IOMMU: %s\n", strerror(-rc));
		return rc;
	}
	dev->fd = ctx->ops.ioctl(dev->group_fd, VFIO_GROUP_GET_DEVICE_FD, dev->name);
	if (dev->fd < 0) {
		rc = -errno;
		if (rc == -EBUSY)
			dev_err(dev, "device busy: already opened by another user\n");
		else
			dev_err(dev, "VFIO_GROUP_GET_DEVICE_FD: %s\n", strerror(-rc));
		return rc;
	}
	dev_dbg(dev, "opened through IOMMU group %d\n", dev->group);
	return 0;
}

/*
 * Walk a VFIO capability chain inside buf[0, len): headers 4-byte aligned,
 * inside the buffer, past @min_off, strictly increasing, at most
 * LVC_CAP_CHAIN_MAX of them. Calls @fn for each; stops at its nonzero return.
 */
static int walk_caps(struct vfio_cxl_dev *dev, const char *what, const uint8_t *buf, uint32_t len,
		     uint32_t first, uint32_t min_off,
		     int (*fn)(struct vfio_cxl_dev *dev, const uint8_t *cap, uint32_t room, void *arg),
		     void *arg)
{
	uint32_t off = first, prev = 0;
	unsigned int n;

	for (n = 0; off; n++) {
		const struct vfio_info_cap_header *h;
		int rc;

		if (n >= LVC_CAP_CHAIN_MAX) {
			dev_err(dev, "%s: capability chain longer than %d entries\n", what,
				LVC_CAP_CHAIN_MAX);
			return -EPROTO;
		}
		if (off < min_off || off % 4 || off <= prev || (uint64_t)off + sizeof(*h) > len) {
			dev_err(dev, "%s: capability at bad offset %#x (reply is %u bytes)\n", what,
				off, len);
			return -EPROTO;
		}
		h = (const void *)(buf + off);
		rc = fn(dev, buf + off, len - off, arg);
		if (rc)
			return rc < 0 ? rc : 0;
		prev = off;
		off = h->next;
	}
	return 0;
}

struct region_parse {
	struct vfio_cxl_region *r;
};

static int region_cap(struct vfio_cxl_dev *dev, const uint8_t *cap, uint32_t room, void *arg)
{
	const struct vfio_info_cap_header *h = (const void *)cap;
	struct vfio_cxl_region *r = ((struct region_parse *)arg)->r;

	if (h->id == VFIO_REGION_INFO_CAP_TYPE) {
		const struct vfio_region_info_cap_type *t = (const void *)cap;

		if (room < sizeof(*t)) {
			dev_err(dev, "region %u: truncated type capability\n", r->index);
			return -EPROTO;
		}
		r->has_type = true;
		r->type = t->type;
		r->subtype = t->subtype;
	} else if (h->id == VFIO_REGION_INFO_CAP_SPARSE_MMAP) {
		/*
		 * A capability is only 4-byte aligned (the kernel's chain
		 * is hostile input too), the struct needs 8: copy it out.
		 */
		const uint8_t *raw = (const void *)cap;
		struct vfio_region_info_cap_sparse_mmap hdr, *s = &hdr;
		struct vfio_region_sparse_mmap_area area;
		uint32_t i;

		if (room < sizeof(hdr)) {
			dev_err(dev, "region %u: truncated sparse-mmap capability\n", r->index);
			return -EPROTO;
		}
		memcpy(&hdr, raw, sizeof(hdr));
		if (s->nr_areas > (room - sizeof(*s)) / sizeof(s->areas[0])) {
			dev_err(dev, "region %u: truncated sparse-mmap capability\n", r->index);
			return -EPROTO;
		}
		if (r->nr_areas >= 0) {
			dev_err(dev, "region %u: two sparse-mmap capabilities\n", r->index);
			return -EPROTO;
		}
		r->areas = calloc(s->nr_areas ? s->nr_areas : 1, 2 * sizeof(uint64_t));
		if (!r->areas)
			return -ENOMEM;
		for (i = 0; i < s->nr_areas; i++) {
			uint64_t o, sz;

			memcpy(&area, raw + sizeof(hdr) + i * sizeof(area), sizeof(area));
			o = area.offset;
			sz = area.size;

			if (o > r->size || sz > r->size - o) {
				dev_err(dev, "region %u: sparse area %u [%#llx+%#llx] outside the region\n",
					r->index, i, (unsigned long long)o, (unsigned long long)sz);
				return -EPROTO;
			}
			r->areas[2 * i] = o;
			r->areas[2 * i + 1] = sz;
		}
		r->nr_areas = (int)s->nr_areas;
	}
	return 0;
}

static int read_region(struct vfio_cxl_dev *dev, struct vfio_cxl_region *r, unsigned int index)
{
	struct vfio_cxl_ctx *ctx = dev->ctx;
	struct vfio_region_info *info;
	uint32_t buflen = 256, len;
	struct region_parse p = { r };
	int rc, tries;

	r->dev = dev;
	r->index = index;
	r->nr_areas = -1;
	for (tries = 0;; tries++) {
		info = calloc(1, buflen);
		if (!info)
			return -ENOMEM;
		info->argsz = buflen;
		info->index = index;
		if (ctx->ops.ioctl(dev->fd, VFIO_DEVICE_GET_REGION_INFO, info) < 0) {
			rc = -errno;
			/* vfio-pci: EINVAL for the VGA region of a device without VGA */
			if (rc == -EINVAL && index == VFIO_PCI_VGA_REGION_INDEX) {
				dev_dbg(dev, "no VGA region\n");
				free(info);
				return 0;
			}
			dev_err(dev, "VFIO_DEVICE_GET_REGION_INFO %u: %s\n", index, strerror(-rc));
			free(info);
			return rc;
		}
		if (info->argsz <= buflen || tries == 2)
			break;
		if (info->argsz > LVC_INFO_MAX) {
			dev_err(dev, "region %u: info of %u bytes is too large\n", index, info->argsz);
			free(info);
			return -EPROTO;
		}
		buflen = info->argsz;
		free(info);
	}
	len = info->argsz < buflen ? info->argsz : buflen;
	rc = -EPROTO;
	if (info->index != index || len < sizeof(*info)) {
		dev_err(dev, "region %u: malformed region info\n", index);
		goto out;
	}
	r->flags = info->flags;
	r->size = info->size;
	r->offset = info->offset;
	rc = 0;
	if (info->flags & VFIO_REGION_INFO_FLAG_CAPS)
		rc = walk_caps(dev, "region info", (const uint8_t *)info, len, info->cap_offset,
			       sizeof(*info), region_cap, &p);
out:
	free(info);
	return rc;
}

static int get_info(struct vfio_cxl_dev *dev)
{
	struct vfio_cxl_ctx *ctx = dev->ctx;
	struct vfio_device_info *info;
	struct cxlemu_vfio_cap cap;
	uint32_t buflen = 256, len;
	int rc, tries;

	for (tries = 0;; tries++) {
		info = calloc(1, buflen);
		if (!info)
			return -ENOMEM;
		info->argsz = buflen;
		if (ctx->ops.ioctl(dev->fd, VFIO_DEVICE_GET_INFO, info) < 0) {
			rc = -errno;
			dev_err(dev, "VFIO_DEVICE_GET_INFO: %s\n", strerror(-rc));
			free(info);
			return rc;
		}
		if (info->argsz <= buflen || tries == 2)
			break;
		if (info->argsz > LVC_INFO_MAX) {
			dev_err(dev, "VFIO_DEVICE_GET_INFO reply of %u bytes is too large\n", info->argsz);
			free(info);
			return -EPROTO;
		}
		buflen = info->argsz;
		free(info);
	}
	len = info->argsz < buflen ? info->argsz : buflen;
	rc = -EPROTO;
	if (len < sizeof(*info)) {
		dev_err(dev, "VFIO_DEVICE_GET_INFO reply too short (%u bytes)\n", len);
		goto out;
	}
	dev->flags = info->flags;
	dev->num_regions = info->num_regions;
	dev->num_irqs = info->num_irqs;
	if (!(info->flags & VFIO_DEVICE_FLAGS_PCI)) {
		dev_err(dev, "not a VFIO PCI device\n");
		rc = -EOPNOTSUPP;
		goto out;
	}
	if (!(info->flags & VFIO_DEVICE_FLAGS_CXL)) {
		dev_err(dev, "no CXL layer: VFIO_DEVICE_FLAGS_CXL is clear (CXL disabled, or not a CXL device)\n");
		rc = -EOPNOTSUPP;
		goto out;
	}
	if (info->num_regions > LVC_MAX_REGIONS || info->num_regions <= VFIO_PCI_CONFIG_REGION_INDEX) {
		dev_err(dev, "implausible region count %u\n", info->num_regions);
		goto out;
	}
	if (!(info->flags & VFIO_DEVICE_FLAGS_CAPS)) {
		dev_err(dev, "CXL device without a capability chain\n");
		goto out;
	}
	rc = cxlemu_vfio_cap_decode(info, len, info->cap_offset, &cap);
	if (rc == -ENOENT) {
		dev_err(dev, "no CXL capability in VFIO_DEVICE_GET_INFO\n");
		rc = -EPROTO;
		goto out;
	}
	if (rc) {
		dev_err(dev, "malformed CXL capability in VFIO_DEVICE_GET_INFO: %s\n", strerror(-rc));
		rc = -EPROTO;
		goto out;
	}
	if (cap.hdm_regs_bar_index > VFIO_PCI_BAR5_REGION_INDEX ||
	    cap.dpa_region_index >= info->num_regions ||
	    cap.comp_regs_region_index >= info->num_regions ||
	    cap.dpa_region_index == cap.comp_regs_region_index) {
		dev_err(dev, "CXL capability names bad indices (bar %u, dpa %u, comp_regs %u of %u)\n",
			cap.hdm_regs_bar_index, cap.dpa_region_index, cap.comp_regs_region_index,
			info->num_regions);
		rc = -EPROTO;
		goto out;
	}
	dev->comp_bar = cap.hdm_regs_bar_index;
	dev->cap_flags = cap.flags;
	dev->hdm_regs_offset = cap.hdm_regs_offset;
	dev->regions = calloc(info->num_regions, sizeof(*dev->regions));
	rc = -ENOMEM;
	if (!dev->regions)
		goto out;
	dev->dpa = &dev->regions[cap.dpa_region_index];
	dev->comp = &dev->regions[cap.comp_regs_region_index];
	rc = 0;
out:
	free(info);
	return rc;
}

static int check_cxl_region(struct vfio_cxl_dev *dev, struct vfio_cxl_region *r, uint32_t subtype,
			    const char *what, uint64_t min_size)
{
	uint32_t need = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;

	if (!r->has_type || r->type != VFIO_CXL_REGION_TYPE || r->subtype != subtype) {
		dev_err(dev, "region %u is not the %s region its capability says\n", r->index, what);
		return -EPROTO;
	}
	if ((r->flags & need) != need || r->size < min_size) {
		dev_err(dev, "%s region %u: flags %#x size %#llx not usable\n", what, r->index,
			r->flags, (unsigned long long)r->size);
		return -EPROTO;
	}
	return 0;
}

static void dev_free(struct vfio_cxl_dev *dev)
{
	struct vfio_cxl_ctx *ctx = dev->ctx;
	unsigned int i;

	vfio_cxl_dpa_unmap(dev);
	if (dev->regions)
		for (i = 0; i < dev->num_regions; i++)
			free(dev->regions[i].areas);
	free(dev->regions);
	lvc_close_fd(ctx, dev->fd);
	lvc_close_fd(ctx, dev->group_fd);
	lvc_close_fd(ctx, dev->container_fd);
	lvc_close_fd(ctx, dev->iommufd);
	vfio_cxl_unref(ctx);
	free(dev);
}

VFIO_CXL_EXPORT int vfio_cxl_dev_open(struct vfio_cxl_ctx *ctx, const char *addr, unsigned int flags,
				      struct vfio_cxl_dev **out)
{
	struct vfio_cxl_dev *dev;
	unsigned int i;
	int rc, cdev;

	*out = NULL;
	if ((flags & VFIO_CXL_OPEN_LEGACY) && (flags & VFIO_CXL_OPEN_IOMMUFD))
		return -EINVAL;
	dev = calloc(1, sizeof(*dev));
	if (!dev)
		return -ENOMEM;
	dev->ctx = vfio_cxl_ref(ctx);
	dev->container_fd = dev->group_fd = dev->iommufd = dev->fd = -1;
	dev->group = -1;
	if (parse_pci_addr(addr, dev->name, sizeof(dev->name))) {
		snprintf(dev->name, sizeof(dev->name), "%.31s", addr ? addr : "(null)");
		dev_err(dev, "not a PCI address (expected DDDD:BB:DD.F)\n");
		rc = -EINVAL;
		goto err;
	}
	cdev = (flags & VFIO_CXL_OPEN_LEGACY) ? -1 : find_cdev(dev);
	rc = read_iommu_group(dev);
	if (rc && !(rc == -ENODEV && cdev >= 0))
		goto err;
	rc = -ENODEV;
	if (cdev >= 0) {
		rc = open_iommufd(dev, cdev);
		if (rc && (flags & VFIO_CXL_OPEN_IOMMUFD || rc != -ENOENT || dev->group < 0))
			goto err;
		if (rc) {
			lvc_close_fd(ctx, dev->iommufd);
			lvc_close_fd(ctx, dev->fd);
			dev->iommufd = dev->fd = -1;
		}
	} else if (flags & VFIO_CXL_OPEN_IOMMUFD) {
		dev_err(dev, "no VFIO device cdev (vfio-dev/vfioN)\n");
		goto err;
	}
	if (rc) {
		rc = open_legacy(dev);
		if (rc)
			goto err;
	}
	rc = get_info(dev);
	if (rc)
		goto err;
	for (i = 0; i < dev->num_regions; i++) {
		rc = read_region(dev, &dev->regions[i], i);
		if (rc)
			goto err;
	}
	rc = check_cxl_region(dev, dev->dpa, VFIO_REGION_SUBTYPE_CXL, "DPA", 1);
	if (!rc)
		rc = check_cxl_region(dev, dev->comp, VFIO_REGION_SUBTYPE_CXL_COMP_REGS, "COMP_REGS", 8);
	if (rc)
		goto err;
	rc = lvc_hdm_probe(dev);
	if (rc)
		goto err;
	dev_dbg(dev, "%u regions, dpa %#llx bytes, %u decoders\n", dev->num_regions,
		(unsigned long long)dev->dpa->size, dev->ndecoders);
	*out = dev;
	return 0;
err:
	dev_free(dev);
	return rc;
}

VFIO_CXL_EXPORT void vfio_cxl_dev_close(struct vfio_cxl_dev *dev)
{
	if (dev)
		dev_free(dev);
}

VFIO_CXL_EXPORT struct vfio_cxl_ctx *vfio_cxl_dev_get_ctx(struct vfio_cxl_dev *dev) { return dev->ctx; }
VFIO_CXL_EXPORT const char *vfio_cxl_dev_get_devname(struct vfio_cxl_dev *dev) { return dev->name; }
VFIO_CXL_EXPORT int vfio_cxl_dev_get_fd(struct vfio_cxl_dev *dev) { return dev->fd; }
VFIO_CXL_EXPORT int vfio_cxl_dev_get_iommu_group(struct vfio_cxl_dev *dev) { return dev->group; }
VFIO_CXL_EXPORT bool vfio_cxl_dev_is_iommufd(struct vfio_cxl_dev *dev) { return dev->cdev; }
VFIO_CXL_EXPORT uint32_t vfio_cxl_dev_get_flags(struct vfio_cxl_dev *dev) { return dev->flags; }
VFIO_CXL_EXPORT unsigned int vfio_cxl_dev_get_num_regions(struct vfio_cxl_dev *dev) { return dev->num_regions; }
VFIO_CXL_EXPORT unsigned int vfio_cxl_dev_get_num_irqs(struct vfio_cxl_dev *dev) { return dev->num_irqs; }
VFIO_CXL_EXPORT unsigned int vfio_cxl_dev_get_comp_bar(struct vfio_cxl_dev *dev) { return dev->comp_bar; }
VFIO_CXL_EXPORT uint64_t vfio_cxl_dev_get_hdm_regs_offset(struct vfio_cxl_dev *dev) { return dev->hdm_regs_offset; }
VFIO_CXL_EXPORT uint32_t vfio_cxl_dev_get_cap_flags(struct vfio_cxl_dev *dev) { return dev->cap_flags; }
VFIO_CXL_EXPORT bool vfio_cxl_dev_is_firmware_committed(struct vfio_cxl_dev *dev)
{
	return dev->cap_flags & VFIO_CXL_CAP_FIRMWARE_COMMITTED;
}
VFIO_CXL_EXPORT bool vfio_cxl_dev_is_cache_capable(struct vfio_cxl_dev *dev)
{
	return dev->cap_flags & VFIO_CXL_CAP_CACHE_CAPABLE;
}
VFIO_CXL_EXPORT uint64_t vfio_cxl_dev_get_dpa_size(struct vfio_cxl_dev *dev) { return dev->dpa->size; }
VFIO_CXL_EXPORT struct vfio_cxl_region *vfio_cxl_dev_get_dpa_region(struct vfio_cxl_dev *dev) { return dev->dpa; }
VFIO_CXL_EXPORT struct vfio_cxl_region *vfio_cxl_dev_get_comp_regs_region(struct vfio_cxl_dev *dev) { return dev->comp; }

VFIO_CXL_EXPORT int vfio_cxl_dev_reset(struct vfio_cxl_dev *dev)
{
	int rc;

	if (!(dev->flags & VFIO_DEVICE_FLAGS_RESET)) {
		dev_err(dev, "the device does not support reset\n");
		return -ENOTTY;
	}
	if (dev->ctx->ops.ioctl(dev->fd, VFIO_DEVICE_RESET, NULL) < 0) {
		rc = -errno;
		dev_err(dev, "VFIO_DEVICE_RESET: %s\n", strerror(-rc));
		return rc;
	}
	dev_dbg(dev, "reset\n");
	return 0;
}

/* ---- regions ------------------------------------------------------------ */

VFIO_CXL_EXPORT struct vfio_cxl_region *vfio_cxl_region_get_first(struct vfio_cxl_dev *dev)
{
	return dev->num_regions ? &dev->regions[0] : NULL;
}

VFIO_CXL_EXPORT struct vfio_cxl_region *vfio_cxl_region_get_next(struct vfio_cxl_region *r)
{
	return r->index + 1 < r->dev->num_regions ? r + 1 : NULL;
}

VFIO_CXL_EXPORT struct vfio_cxl_region *vfio_cxl_region_get_by_index(struct vfio_cxl_dev *dev, unsigned int i)
{
	return i < dev->num_regions ? &dev->regions[i] : NULL;
}

VFIO_CXL_EXPORT unsigned int vfio_cxl_region_get_index(struct vfio_cxl_region *r) { return r->index; }
VFIO_CXL_EXPORT uint32_t vfio_cxl_region_get_flags(struct vfio_cxl_region *r) { return r->flags; }
VFIO_CXL_EXPORT uint64_t vfio_cxl_region_get_size(struct vfio_cxl_region *r) { return r->size; }
VFIO_CXL_EXPORT uint64_t vfio_cxl_region_get_offset(struct vfio_cxl_region *r) { return r->offset; }

VFIO_CXL_EXPORT bool vfio_cxl_region_get_type(struct vfio_cxl_region *r, uint32_t *type, uint32_t *subtype)
{
	if (!r->has_type)
		return false;
	if (type)
		*type = r->type;
	if (subtype)
		*subtype = r->subtype;
	return true;
}

VFIO_CXL_EXPORT const char *vfio_cxl_region_get_name(struct vfio_cxl_region *r)
{
	static const char *const fixed[] = { "bar0", "bar1", "bar2", "bar3", "bar4", "bar5",
					     "rom", "config", "vga" };

	if (r == r->dev->dpa)
		return "cxl_dpa";
	if (r == r->dev->comp)
		return "cxl_comp_regs";
	if (r->index < sizeof(fixed) / sizeof(fixed[0]))
		return fixed[r->index];
	return NULL;
}

VFIO_CXL_EXPORT int vfio_cxl_region_get_nr_areas(struct vfio_cxl_region *r) { return r->nr_areas; }

VFIO_CXL_EXPORT int vfio_cxl_region_get_area(struct vfio_cxl_region *r, unsigned int i,
					     uint64_t *offset, uint64_t *size)
{
	if (r->nr_areas < 0 || i >= (unsigned int)r->nr_areas)
		return -ERANGE;
	*offset = r->areas[2 * i];
	*size = r->areas[2 * i + 1];
	return 0;
}

/* ---- DPA mapping -------------------------------------------------------- */

VFIO_CXL_EXPORT int vfio_cxl_dpa_map(struct vfio_cxl_dev *dev, void **addr, uint64_t *size)
{
	struct vfio_cxl_ctx *ctx = dev->ctx;
	struct vfio_cxl_region *r = dev->dpa;
	uintptr_t start, aligned;
	size_t align, len, resv;
	void *base, *p;
	int rc;

	if (dev->dpa_addr)
		goto done;
	if (!(r->flags & VFIO_REGION_INFO_FLAG_MMAP)) {
		dev_err(dev, "DPA region %u cannot be mapped (no MMAP flag)\n", r->index);
		return -EOPNOTSUPP;
	}
	if (r->size > SIZE_MAX / 2) {
		dev_err(dev, "DPA region too large to map\n");
		return -EOVERFLOW;
	}
	len = r->size;
	/* Align so that the kernel can insert PUD (1 GiB) or PMD (2 MiB) entries. */
	align = len >= (1ull << 30) ? (1ull << 30) : len >= (2ull << 20) ? (2ull << 20) : 4096;
	resv = len + align;
	base = ctx->ops.mmap(NULL, resv, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		rc = -errno;
		dev_err(dev, "cannot reserve %zu bytes of address space: %s\n", resv, strerror(-rc));
		return rc;
	}
	start = (uintptr_t)base;
	aligned = (start + align - 1) & ~(uintptr_t)(align - 1);
	p = ctx->ops.mmap((void *)aligned, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
			  dev->fd, (off_t)r->offset);
	if (p == MAP_FAILED) {
		rc = -errno;
		dev_err(dev, "mmap of DPA region %u: %s\n", r->index, strerror(-rc));
		ctx->ops.munmap(base, resv);
		return rc;
	}
	/* Give back the slack on either side of the aligned mapping. */
	if (aligned > start)
		ctx->ops.munmap(base, aligned - start);
	if (start + resv > aligned + len)
		ctx->ops.munmap((void *)(aligned + len), start + resv - (aligned + len));
	dev->map_base = p;
	dev->map_len = len;
	dev->dpa_addr = p;
	dev_dbg(dev, "DPA mapped at %p (%zu bytes, %zu aligned)\n", p, len, align);
done:
	*addr = dev->dpa_addr;
	if (size)
		*size = dev->map_len;
	return 0;
}

VFIO_CXL_EXPORT int vfio_cxl_dpa_unmap(struct vfio_cxl_dev *dev)
{
	if (!dev->dpa_addr)
		return 0;
	dev->ctx->ops.munmap(dev->map_base, dev->map_len);
	dev->map_base = dev->dpa_addr = NULL;
	dev->map_len = 0;
	return 0;
}
