/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * VFIO additions for CXL Type-2 passthrough.
 *
 * These follow the 2026 vfio-pci CXL series (Documentation/driver-api/
 * vfio-pci-cxl.rst of that series) number for number, so that a VMM written
 * for it works with vfio-cxl. A kernel whose <linux/vfio.h> already carries
 * them wins: every definition here is guarded.
 */
#ifndef _UAPI_LINUX_VFIO_CXL_H
#define _UAPI_LINUX_VFIO_CXL_H

#include <linux/types.h>
#include <linux/vfio.h>

/* VFIO_DEVICE_GET_INFO flags: the device is a CXL device with HDM memory. */
#ifndef VFIO_DEVICE_FLAGS_CXL
#define VFIO_DEVICE_FLAGS_CXL		(1 << 9)
#endif

#ifndef VFIO_DEVICE_INFO_CAP_CXL
#define VFIO_DEVICE_INFO_CAP_CXL	6

/**
 * struct vfio_device_info_cap_cxl - CXL capability of VFIO_DEVICE_GET_INFO
 * @header: standard capability header, id VFIO_DEVICE_INFO_CAP_CXL, version 1
 * @hdm_regs_bar_index: BAR that holds the component registers
 * @reserved: zero
 * @flags: VFIO_CXL_CAP_*
 * @hdm_regs_offset: offset in that BAR of the CXL.cache/mem area (component
 *	register block + 4 KiB); its capability array is at COMP_REGS offset 0
 * @dpa_region_index: index of the DPA (device memory) region
 * @comp_regs_region_index: index of the emulated COMP_REGS region
 */
struct vfio_device_info_cap_cxl {
	struct vfio_info_cap_header header;
	__u8	hdm_regs_bar_index;
	__u8	reserved[3];
	__u32	flags;
#define VFIO_CXL_CAP_FIRMWARE_COMMITTED	(1 << 0)
#define VFIO_CXL_CAP_CACHE_CAPABLE	(1 << 1)
	__u64	hdm_regs_offset;
	__u32	dpa_region_index;
	__u32	comp_regs_region_index;
};
#define VFIO_DEVICE_INFO_CAP_CXL_VERSION	1
#endif

/* Region type: VFIO_REGION_TYPE_PCI_VENDOR_TYPE | CXL's DVSEC vendor id. */
#ifndef PCI_VENDOR_ID_CXL
#define PCI_VENDOR_ID_CXL			0x1e98
#endif
#ifndef VFIO_REGION_SUBTYPE_CXL
#define VFIO_REGION_TYPE_CXL	(VFIO_REGION_TYPE_PCI_VENDOR_TYPE | PCI_VENDOR_ID_CXL)
#define VFIO_REGION_SUBTYPE_CXL			1	/* DPA: device memory */
#define VFIO_REGION_SUBTYPE_CXL_COMP_REGS	2	/* emulated HDM registers */
#endif

#endif /* _UAPI_LINUX_VFIO_CXL_H */
