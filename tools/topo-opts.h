/* SPDX-License-Identifier: MIT */
/* Options `vfio-cxl plan` and `vfio-cxl cedt` share. */
#ifndef VFIO_CXL_TOPO_OPTS_H
#define VFIO_CXL_TOPO_OPTS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vfiocxl-topo.h"

/*
 * A topology for `vfio-cxl CMD`, reading the devices' memory sizes from
 * sysfs ($VFIO_CXL_SYSFS in tests); NULL after printing why.
 */
static inline struct vfiocxl_topo *topo_opt_new(const char *cmd)
{
	struct vfiocxl_topo *t = vfiocxl_topo_new();
	const char *sysfs = getenv("VFIO_CXL_SYSFS");

	if (!t) {
		fprintf(stderr, "vfio-cxl %s: out of memory\n", cmd);
		return NULL;
	}
	if (sysfs && *sysfs)
		vfiocxl_topo_set_sysfs_root(t, sysfs);
	return t;
}

/*
 * --dpa-size ID=SIZE (or --dpa-size=ID=SIZE) at argv[*i]: applies it to @t
 * and advances *i past its value. Returns 1 when consumed, 0 when argv[*i]
 * is another option, -1 after printing "vfio-cxl CMD: why" on bad input.
 */
static inline int topo_opt_dpa_size(struct vfiocxl_topo *t, const char *cmd, int argc,
				    char **argv, int *i)
{
	const char *a = argv[*i], *v;

	if (strcmp(a, "--dpa-size") && strncmp(a, "--dpa-size=", 11))
		return 0;
	v = a[10] == '=' ? a + 11 : (*i + 1 < argc ? argv[++*i] : NULL);
	if (!v) {
		fprintf(stderr, "vfio-cxl %s: --dpa-size needs ID=SIZE\n", cmd);
		return -1;
	}
	if (vfiocxl_topo_set_dpa_arg(t, v)) {
		fprintf(stderr, "vfio-cxl %s: %s\n", cmd, vfiocxl_topo_strerror(t));
		return -1;
	}
	return 1;
}

#endif
