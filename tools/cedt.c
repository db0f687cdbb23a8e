// SPDX-License-Identifier: MIT
/*
 * vfio-cxl cedt [--dpa-size ID=SIZE]... -o FILE -- QEMU-ARGS
 *
 * Writes the ACPI CEDT (CHBS per host bridge, CFMWS per window) the guest
 * should see for the given QEMU command line, after checking it with the
 * rules Linux applies. Refuses (exit 1) when the plan refuses a device, since
 * window restrictions depend on what each window carries; 2 on usage errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vfiocxl-topo.h"

int vfio_cxl_cmd_cedt(int argc, char **argv);

static void usage(FILE *f)
{
	fprintf(f, "usage: vfio-cxl cedt [--dpa-size ID=SIZE]... -o FILE -- QEMU-ARGS\n");
}

int vfio_cxl_cmd_cedt(int argc, char **argv)
{
	struct vfiocxl_topo *t = vfiocxl_topo_new();
	struct vfiocxl_cedt *chk = NULL;
	const char *out = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	char err[256];
	FILE *f;
	int i, rc, ret = 2;

	if (!t) {
		fprintf(stderr, "vfio-cxl cedt: out of memory\n");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "vfio-cxl cedt: -o needs a file\n");
				goto out;
			}
			out = argv[++i];
		} else if (!strcmp(a, "--dpa-size") || !strncmp(a, "--dpa-size=", 11)) {
			const char *v = a[10] == '=' ? a + 11 : (i + 1 < argc ? argv[++i] : NULL);

			if (!v || vfiocxl_topo_set_dpa_arg(t, v)) {
				fprintf(stderr, "vfio-cxl cedt: %s\n",
					v ? vfiocxl_topo_strerror(t) : "--dpa-size needs ID=SIZE");
				goto out;
			}
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			ret = 0;
			goto out;
		} else {
			fprintf(stderr, "vfio-cxl cedt: unknown option '%s'\n", a);
			usage(stderr);
			goto out;
		}
	}
	if (!out || i >= argc) {
		fprintf(stderr, "vfio-cxl cedt: %s\n", !out ? "-o FILE is required" :
			"no QEMU arguments after --");
		usage(stderr);
		goto out;
	}
	rc = vfiocxl_topo_parse_args(t, argc - i, argv + i);
	if (rc) {
		fprintf(stderr, "vfio-cxl cedt: %s\n", vfiocxl_topo_strerror(t));
		goto out;
	}
	rc = vfiocxl_topo_machine_ready(t, NULL, NULL);
	if (rc) {
		fprintf(stderr, "vfio-cxl cedt: %s\n", vfiocxl_topo_strerror(t));
		ret = rc == -ENXIO ? 1 : 2;
		goto out;
	}
	rc = vfiocxl_topo_build_cedt(t, NULL, 0, &len);
	if (rc != -ENOSPC) {
		fprintf(stderr, "vfio-cxl cedt: %s\n", vfiocxl_topo_strerror(t));
		goto out;
	}
	buf = malloc(len);
	chk = malloc(sizeof(*chk));
	if (!buf || !chk || vfiocxl_topo_build_cedt(t, buf, len, &len)) {
		fprintf(stderr, "vfio-cxl cedt: %s\n", buf && chk ? vfiocxl_topo_strerror(t) :
			"out of memory");
		goto out;
	}
	if (vfiocxl_topo_cedt_read(buf, len, chk, err, sizeof(err))) {
		fprintf(stderr, "vfio-cxl cedt: built table fails Linux's checks: %s\n", err);
		goto out;
	}
	f = fopen(out, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "vfio-cxl cedt: %s: %s\n", out, strerror(errno));
		goto out;
	}
	printf("%s: CEDT, %zu bytes, %u CHBS, %u CFMWS\n", out, len, chk->nchbs, chk->ncfmws);
	fflush(stdout);
	ret = 0;
out:
	free(buf);
	free(chk);
	vfiocxl_topo_free(t);
	return ret;
}
