/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libvfiocxl internals: object layouts, logging macros. */
#ifndef _LIBVFIOCXL_PRIVATE_H_
#define _LIBVFIOCXL_PRIVATE_H_

#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

#include "cxlemu.h"
#include "libvfiocxl.h"

#define VFIO_CXL_EXPORT __attribute__((visibility("default")))

/* Register fields come from core/cxl_regs.h (through cxlemu.h). */
/* CXL r3.1 8.2.4.20.12: software waits up to 10 ms for COMMITTED/ERROR */
#define LVC_HDM_COMMIT_TIMEOUT_NS	(10ull * 1000 * 1000)
#define LVC_MAX_DECODERS		32

struct vfio_cxl_ctx {
	int refcount;
	int log_priority;
	vfio_cxl_log_fn log_fn;
	void *userdata;
	struct vfio_cxl_sys_ops ops;
	char *sysfs_root;
	char *dev_root;
};

struct vfio_cxl_region {
	struct vfio_cxl_dev *dev;
	unsigned int index;
	uint32_t flags;
	uint64_t size;
	uint64_t offset;
	bool has_type;
	uint32_t type, subtype;
	int nr_areas;			/* -1: no sparse-mmap capability */
	uint64_t *areas;		/* offset, size pairs */
};

struct vfio_cxl_decoder {
	struct vfio_cxl_dev *dev;
	unsigned int id;
};

struct vfio_cxl_dev {
	struct vfio_cxl_ctx *ctx;
	char name[32];
	int container_fd, group_fd, iommufd, fd;
	int group;
	bool cdev;
	uint32_t flags;
	unsigned int num_regions, num_irqs;
	/* the CXL capability */
	unsigned int comp_bar;
	uint32_t cap_flags;
	uint64_t hdm_regs_offset;
	struct vfio_cxl_region *regions;
	struct vfio_cxl_region *dpa, *comp;
	uint32_t hdm_off, hdm_cap;
	unsigned int ndecoders;
	struct vfio_cxl_decoder decoders[LVC_MAX_DECODERS];
	void *map_base;			/* whole reservation */
	size_t map_len;
	void *dpa_addr;
};

void vfio_cxl_log(struct vfio_cxl_ctx *ctx, int priority, const char *file, int line,
		  const char *fn, const char *format, ...)
	__attribute__((format(printf, 6, 7)));

#define lvc_log_cond(ctx, prio, ...)						\
	do {									\
		if ((ctx)->log_priority >= (prio))				\
			vfio_cxl_log(ctx, prio, __FILE__, __LINE__, __func__,	\
				     __VA_ARGS__);				\
	} while (0)
#define ctx_err(ctx, ...)	lvc_log_cond(ctx, LOG_ERR, __VA_ARGS__)
#define ctx_dbg(ctx, ...)	lvc_log_cond(ctx, LOG_DEBUG, __VA_ARGS__)
/* Device messages begin with the device's name. */
#define dev_err(d, fmt, ...)	ctx_err((d)->ctx, "%s: " fmt, (d)->name, ##__VA_ARGS__)
#define dev_info(d, fmt, ...)	lvc_log_cond((d)->ctx, LOG_INFO, "%s: " fmt, (d)->name, ##__VA_ARGS__)
#define dev_dbg(d, fmt, ...)	ctx_dbg((d)->ctx, "%s: " fmt, (d)->name, ##__VA_ARGS__)

/* hdm.c */
int lvc_hdm_probe(struct vfio_cxl_dev *dev);

#endif
