/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libvfiocxl: access to a CXL device passed through with VFIO (the vfio-cxl
 * module, or vfio-pci with the 2026 CXL layer), for VMMs and tools.
 *
 * Style of ndctl's libcxl: opaque objects, foreach macros, every function
 * that can fail returns 0 or a negative errno, and log messages begin with
 * the device's name. Objects belong to their context; a device and all its
 * regions and decoders go away with vfio_cxl_dev_close().
 */
#ifndef _LIBVFIOCXL_H_
#define _LIBVFIOCXL_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vfio_cxl_ctx;
struct vfio_cxl_dev;
struct vfio_cxl_region;
struct vfio_cxl_decoder;

/* ---- context ----------------------------------------------------------- */

/**
 * struct vfio_cxl_sys_ops - every system call the library makes
 *
 * Defaults are the libc calls. A test (or a sandboxed VMM) substitutes its
 * own; any member left NULL keeps the default. Return conventions are
 * those of libc (-1 and errno).
 */
struct vfio_cxl_sys_ops {
	int (*open)(const char *path, int flags);
	int (*close)(int fd);
	int (*ioctl)(int fd, unsigned long req, void *arg);
	ssize_t (*pread)(int fd, void *buf, size_t len, off_t off);
	ssize_t (*pwrite)(int fd, const void *buf, size_t len, off_t off);
	void *(*mmap)(void *addr, size_t len, int prot, int flags, int fd, off_t off);
	int (*munmap)(void *addr, size_t len);
	ssize_t (*readlink)(const char *path, char *buf, size_t len);
	int (*access)(const char *path, int mode);
	/* monotonic clock in nanoseconds, and a sleep, for register polling */
	uint64_t (*now_ns)(void);
	void (*sleep_ns)(uint64_t ns);
};

int vfio_cxl_new(struct vfio_cxl_ctx **ctx);
struct vfio_cxl_ctx *vfio_cxl_ref(struct vfio_cxl_ctx *ctx);
void vfio_cxl_unref(struct vfio_cxl_ctx *ctx);
/* Copy @ops (NULL members keep the default); NULL restores all defaults. */
void vfio_cxl_set_sys_ops(struct vfio_cxl_ctx *ctx, const struct vfio_cxl_sys_ops *ops);
/* Root of sysfs (default "/sys", or $VFIO_CXL_SYSFS) and of /dev. */
int vfio_cxl_set_sysfs_root(struct vfio_cxl_ctx *ctx, const char *path);
const char *vfio_cxl_get_sysfs_root(struct vfio_cxl_ctx *ctx);
int vfio_cxl_set_dev_root(struct vfio_cxl_ctx *ctx, const char *path);

/* Logging: syslog priorities (LOG_ERR 3 ... LOG_DEBUG 7). Default LOG_ERR,
 * or $VFIO_CXL_LOG ("err", "info", "debug" or a number). */
typedef void (*vfio_cxl_log_fn)(struct vfio_cxl_ctx *ctx, int priority, const char *file,
				int line, const char *fn, const char *format, va_list args);
void vfio_cxl_set_log_fn(struct vfio_cxl_ctx *ctx, vfio_cxl_log_fn log_fn);
int vfio_cxl_get_log_priority(struct vfio_cxl_ctx *ctx);
void vfio_cxl_set_log_priority(struct vfio_cxl_ctx *ctx, int priority);
void vfio_cxl_set_userdata(struct vfio_cxl_ctx *ctx, void *userdata);
void *vfio_cxl_get_userdata(struct vfio_cxl_ctx *ctx);

/* ---- device ------------------------------------------------------------ */

/* Open flags */
#define VFIO_CXL_OPEN_LEGACY	(1u << 0)	/* never use the iommufd cdev */
#define VFIO_CXL_OPEN_IOMMUFD	(1u << 1)	/* only the iommufd cdev */

/**
 * vfio_cxl_dev_open() - open a VFIO CXL device by PCI address
 * @addr: "DDDD:BB:DD.F" (or "BB:DD.F", domain 0)
 *
 * Finds the IOMMU group, opens the device through the iommufd cdev when
 * /dev/vfio/devices/vfioN exists, else through the legacy container and
 * group, then reads and checks VFIO_DEVICE_GET_INFO, the CXL capability,
 * every region and the COMP_REGS capability array.
 * Errors: -EINVAL bad address, -ENODEV no such device or no IOMMU group,
 * -EBUSY the device or its group is open elsewhere or the group is not
 * viable, -EOPNOTSUPP not a VFIO CXL device (CXL layer disabled),
 * -EPROTO malformed reply from the kernel.
 */
int vfio_cxl_dev_open(struct vfio_cxl_ctx *ctx, const char *addr, unsigned int flags,
		      struct vfio_cxl_dev **dev);
void vfio_cxl_dev_close(struct vfio_cxl_dev *dev);
struct vfio_cxl_ctx *vfio_cxl_dev_get_ctx(struct vfio_cxl_dev *dev);
const char *vfio_cxl_dev_get_devname(struct vfio_cxl_dev *dev);
int vfio_cxl_dev_get_fd(struct vfio_cxl_dev *dev);
int vfio_cxl_dev_get_iommu_group(struct vfio_cxl_dev *dev);	/* -1 for a cdev without group */
bool vfio_cxl_dev_is_iommufd(struct vfio_cxl_dev *dev);
uint32_t vfio_cxl_dev_get_flags(struct vfio_cxl_dev *dev);	/* VFIO_DEVICE_FLAGS_* */
unsigned int vfio_cxl_dev_get_num_regions(struct vfio_cxl_dev *dev);
unsigned int vfio_cxl_dev_get_num_irqs(struct vfio_cxl_dev *dev);

/* The CXL capability (VFIO_DEVICE_INFO_CAP_CXL) */
unsigned int vfio_cxl_dev_get_comp_bar(struct vfio_cxl_dev *dev);
uint64_t vfio_cxl_dev_get_hdm_regs_offset(struct vfio_cxl_dev *dev);
uint32_t vfio_cxl_dev_get_cap_flags(struct vfio_cxl_dev *dev);	/* VFIO_CXL_CAP_* */
bool vfio_cxl_dev_is_firmware_committed(struct vfio_cxl_dev *dev);
bool vfio_cxl_dev_is_cache_capable(struct vfio_cxl_dev *dev);
uint64_t vfio_cxl_dev_get_dpa_size(struct vfio_cxl_dev *dev);
struct vfio_cxl_region *vfio_cxl_dev_get_dpa_region(struct vfio_cxl_dev *dev);
struct vfio_cxl_region *vfio_cxl_dev_get_comp_regs_region(struct vfio_cxl_dev *dev);

/* VFIO_DEVICE_RESET. Guest decoders return to their reset values. */
int vfio_cxl_dev_reset(struct vfio_cxl_dev *dev);

/* ---- regions ----------------------------------------------------------- */

/*
 * The CXL regions' type (VFIO_REGION_TYPE_PCI_VENDOR_TYPE | 0x1E98, spelled
 * unsigned: the uAPI's (1 << 31) is a signed overflow) and subtypes.
 */
#define VFIO_CXL_REGION_TYPE			0x80001e98u
#define VFIO_CXL_REGION_SUBTYPE_DPA		1u
#define VFIO_CXL_REGION_SUBTYPE_COMP_REGS	2u

struct vfio_cxl_region *vfio_cxl_region_get_first(struct vfio_cxl_dev *dev);
struct vfio_cxl_region *vfio_cxl_region_get_next(struct vfio_cxl_region *region);
#define vfio_cxl_region_foreach(dev, region)				\
	for (region = vfio_cxl_region_get_first(dev); region != NULL;	\
	     region = vfio_cxl_region_get_next(region))
struct vfio_cxl_region *vfio_cxl_region_get_by_index(struct vfio_cxl_dev *dev, unsigned int index);
unsigned int vfio_cxl_region_get_index(struct vfio_cxl_region *region);
uint32_t vfio_cxl_region_get_flags(struct vfio_cxl_region *region);	/* VFIO_REGION_INFO_FLAG_* */
uint64_t vfio_cxl_region_get_size(struct vfio_cxl_region *region);
uint64_t vfio_cxl_region_get_offset(struct vfio_cxl_region *region);
/* From VFIO_REGION_INFO_CAP_TYPE; false when the region has none. */
bool vfio_cxl_region_get_type(struct vfio_cxl_region *region, uint32_t *type, uint32_t *subtype);
/* "bar0".."bar5", "rom", "config", "vga", "cxl_dpa", "cxl_comp_regs" or NULL */
const char *vfio_cxl_region_get_name(struct vfio_cxl_region *region);
/* Sparse mmap areas (VFIO_REGION_INFO_CAP_SPARSE_MMAP); -1 when none. */
int vfio_cxl_region_get_nr_areas(struct vfio_cxl_region *region);
int vfio_cxl_region_get_area(struct vfio_cxl_region *region, unsigned int i,
			     uint64_t *offset, uint64_t *size);

/* ---- COMP_REGS --------------------------------------------------------- */

/* Aligned accesses at @off from the CXL.cache/mem area's start. */
int vfio_cxl_comp_read32(struct vfio_cxl_dev *dev, uint32_t off, uint32_t *val);
int vfio_cxl_comp_write32(struct vfio_cxl_dev *dev, uint32_t off, uint32_t val);
int vfio_cxl_comp_read64(struct vfio_cxl_dev *dev, uint32_t off, uint64_t *val);
int vfio_cxl_comp_write64(struct vfio_cxl_dev *dev, uint32_t off, uint64_t val);
/* Offset of the HDM Decoder Capability in COMP_REGS, and its register. */
uint32_t vfio_cxl_dev_get_hdm_offset(struct vfio_cxl_dev *dev);
uint32_t vfio_cxl_dev_get_hdm_cap(struct vfio_cxl_dev *dev);
int vfio_cxl_dev_get_hdm_global_ctrl(struct vfio_cxl_dev *dev, uint32_t *val);

/* ---- guest-visible HDM decoders ---------------------------------------- */

unsigned int vfio_cxl_dev_get_num_decoders(struct vfio_cxl_dev *dev);
struct vfio_cxl_decoder *vfio_cxl_decoder_get_first(struct vfio_cxl_dev *dev);
struct vfio_cxl_decoder *vfio_cxl_decoder_get_next(struct vfio_cxl_decoder *decoder);
#define vfio_cxl_decoder_foreach(dev, decoder)				\
	for (decoder = vfio_cxl_decoder_get_first(dev); decoder != NULL;	\
	     decoder = vfio_cxl_decoder_get_next(decoder))
struct vfio_cxl_decoder *vfio_cxl_decoder_get_by_id(struct vfio_cxl_dev *dev, unsigned int id);
struct vfio_cxl_dev *vfio_cxl_decoder_get_dev(struct vfio_cxl_decoder *decoder);
unsigned int vfio_cxl_decoder_get_id(struct vfio_cxl_decoder *decoder);

/* A snapshot of the decoder's registers, read by vfio_cxl_decoder_read(). */
struct vfio_cxl_decoder_state {
	uint64_t base;
	uint64_t size;
	uint64_t dpa_skip;
	uint32_t ctrl;		/* raw control register */
	bool committed;
	bool error;		/* Error Not Committed */
	bool locked;		/* Lock On Commit (and committed) */
	bool host_only;		/* Target Device Type: host-only coherent */
};
int vfio_cxl_decoder_read(struct vfio_cxl_decoder *decoder, struct vfio_cxl_decoder_state *st);

/* Program flags */
#define VFIO_CXL_DECODER_LOCK		(1u << 0)	/* set Lock On Commit */
#define VFIO_CXL_DECODER_HOST_ONLY	(1u << 1)	/* host-only coherent (type 3) */

/**
 * vfio_cxl_decoder_program() - program and commit a guest-visible decoder
 * @base, @size: guest physical range, 256 MiB aligned, size > 0
 * @flags: VFIO_CXL_DECODER_*
 *
 * Enables the HDM decoders (global control) when they are not, writes
 * base, size and a DPA skip of 0, sets COMMIT and waits for COMMITTED or
 * ERROR for at most the spec's 10 ms (CXL r3.1 8.2.4.20.12).
 * Errors: -EINVAL bad range, -EBUSY already committed, -EPERM locked,
 * -EIO the emulation refused the commit (ERROR; the COMMIT bit is
 * cleared again), -ETIMEDOUT neither bit within the timeout.
 */
int vfio_cxl_decoder_program(struct vfio_cxl_decoder *decoder, uint64_t base, uint64_t size,
			     unsigned int flags);
/* Clear COMMIT and wait for COMMITTED to clear. -EPERM when locked. */
int vfio_cxl_decoder_uncommit(struct vfio_cxl_decoder *decoder);

/* ---- DPA (device memory) ----------------------------------------------- */

/**
 * vfio_cxl_dpa_map() - map the whole DPA region read/write, shared
 *
 * The mapping is aligned to 1 GiB when the region is at least that big,
 * else 2 MiB, so the kernel can fault it in with PUD or PMD mappings.
 * One mapping per device; a second call returns the same address.
 */
int vfio_cxl_dpa_map(struct vfio_cxl_dev *dev, void **addr, uint64_t *size);
int vfio_cxl_dpa_unmap(struct vfio_cxl_dev *dev);

#ifdef __cplusplus
}
#endif

#endif /* _LIBVFIOCXL_H_ */
