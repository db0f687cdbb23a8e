/* SPDX-License-Identifier: MIT */
/*
 * A fake VFIO layer for libvfiocxl unit tests: one CXL device behind the
 * library's system-call table, with a GET_INFO reply, region infos and a
 * COMP_REGS register file that tests build and break on purpose.
 */
#ifndef _LIB_FAKE_H
#define _LIB_FAKE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/vfio.h>
#include "uapi/linux/vfio_cxl.h"
#include "cxlemu.h"
#include "libvfiocxl.h"

#define FAKE_ADDR	"0000:0d:00.0"
#define FAKE_GROUP	7
#define FAKE_CDEV	3
#define FAKE_FD_CONTAINER 100
#define FAKE_FD_GROUP	101
#define FAKE_FD_DEVICE	102
#define FAKE_FD_IOMMU	103
/* sizeof(struct vfio_device_info) in Linux 6.12, with its pad (6.1 headers say 20) */
#define FAKE_INFO_SIZE	24
#define FAKE_NREGIONS	11		/* 9 fixed + DPA (9) + COMP_REGS (10) */
#define FAKE_DPA_INDEX	9
#define FAKE_COMP_INDEX	10
#define FAKE_DPA_SIZE	(4u << 20)
#define FAKE_COMP_SIZE	0x1b8		/* array + HDM at 0x128 with 4 decoders */
#define FAKE_HDM_OFF	0x128
/* iommufd ioctls (numbers of Linux 6.12's uAPI) */
#define IOMMU_IOAS_ALLOC_FAKE			_IO(';', 0x81)
#define VFIO_DEVICE_BIND_IOMMUFD_FAKE		_IO(VFIO_TYPE, VFIO_BASE + 18)
#define VFIO_DEVICE_ATTACH_IOMMUFD_PT_FAKE	_IO(VFIO_TYPE, VFIO_BASE + 19)
#define FAKE_REGION_OFF(i)	((uint64_t)(i) << 40)

enum fake_commit {
	FAKE_COMMIT_OK,		/* COMMIT latches COMMITTED at once */
	FAKE_COMMIT_ERROR,	/* COMMIT latches Error Not Committed */
	FAKE_COMMIT_NEVER,	/* neither bit ever sets */
	FAKE_COMMIT_CORE,	/* served by core's cxlemu_comp emulation */
};

struct fake_region {
	uint8_t buf[1024] __attribute__((aligned(8)));	/* struct vfio_region_info + capabilities */
	uint32_t len;		/* argsz the kernel reports */
};

struct fake {
	/* failure switches */
	bool no_device, no_group, group_busy, device_busy, not_viable, no_container;
	bool cdev;		/* offer /dev/vfio/devices/vfio3 and /dev/iommu */
	/* replies */
	uint8_t info[1024] __attribute__((aligned(8)));
	uint32_t info_len;
	struct fake_region regions[FAKE_NREGIONS];
	uint32_t comp[FAKE_COMP_SIZE / 4];
	uint32_t comp_size;
	enum fake_commit commit;
	struct cxlemu_comp emu;
	bool emu_ready;
	int dpa_memfd;
	unsigned int resets, opens, closes, ioctls;
	int live_fds;		/* fds handed out and not closed */
	uint64_t clock_ns;
	char sysfs[256];	/* temporary sysfs root (for vfio-dev/) */
};

extern struct fake fake;

/* A good device: GET_INFO with the CXL capability, 11 regions, COMP_REGS. */
void fake_reset(void);
/* The ops table to hand to vfio_cxl_set_sys_ops(). */
extern const struct vfio_cxl_sys_ops fake_ops;
/* Build GET_INFO: flags, then the capability chain from the arguments. */
void fake_info_cxl(uint32_t flags);
struct vfio_device_info *fake_info(void);
struct vfio_region_info *fake_region(unsigned int i);
/* A fresh context wired to the fake, log captured into fake_log. */
struct vfio_cxl_ctx *fake_ctx(void);
extern char fake_log[4096];

/* TAP */
extern int tap_n, tap_failed;
void tap_plan(int n);
void tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define TAP_CHECK(name, expr)						\
	do {								\
		bool __c = (expr);					\
		if (!__c)						\
			printf("# %s:%d: %s\n", __FILE__, __LINE__, #expr); \
		tap_ok(__c, "%s", name);				\
	} while (0)

#endif
