// SPDX-License-Identifier: MIT
/* A VMM's view of the installed libvfiocxl: only <libvfiocxl.h>. */
#include <errno.h>
#include <stdio.h>
#include <libvfiocxl.h>

int main(void)
{
	struct vfio_cxl_ctx *ctx;
	struct vfio_cxl_dev *dev;
	int rc;

	if (vfio_cxl_new(&ctx))
		return 1;
	vfio_cxl_set_sysfs_root(ctx, "/nonexistent");
	vfio_cxl_set_log_priority(ctx, 0);
	rc = vfio_cxl_dev_open(ctx, "0000:0d:00.0", 0, &dev);
	vfio_cxl_unref(ctx);
	printf("%d\n", rc);
	return rc == -ENODEV ? 0 : 1;
}
