// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vfiocxl_topo_vfio_cap_parse(): core/'s hostile-input decoder of
 * VFIO_DEVICE_INFO_CAP_CXL, in the plain types of vfiocxl-topo.h, so a VMM
 * that links only this library (QEMU) walks the chain the way the
 * project's library, command and tests do. core/vfio_cap.o is in the
 * archive (lib/topo/build.mk).
 */
#include "cxlemu.h"
#include "vfiocxl-topo.h"

int vfiocxl_topo_vfio_cap_parse(const void *info, uint32_t len, uint32_t cap_offset,
				struct vfiocxl_topo_vfio_cap *out)
{
	struct cxlemu_vfio_cap c;
	int ret = cxlemu_vfio_cap_decode(info, len, cap_offset, &c);

	if (ret)
		return ret;
	out->hdm_regs_bar_index = c.hdm_regs_bar_index;
	out->flags = c.flags;
	out->hdm_regs_offset = c.hdm_regs_offset;
	out->dpa_region_index = c.dpa_region_index;
	out->comp_regs_region_index = c.comp_regs_region_index;
	return 0;
}
