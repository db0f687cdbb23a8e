// SPDX-License-Identifier: MIT
/*
 * vfio-cxl cedt [--force] [--dpa-size ID=SIZE]... -o FILE -- QEMU-ARGS
 * vfio-cxl cedt --read FILE
 *
 * Writes the ACPI CEDT (CHBS per host bridge, CFMWS per window) the guest
 * should see for the given QEMU command line, after checking it with the
 * rules Linux applies. Refuses (exit 1) when the plan refuses a device, since
 * window restrictions depend on what each window carries, unless --force
 * (windows of refused devices then keep QEMU's restrictions); 2 on usage
 * errors. --read prints a CEDT's structures one per line (e.g. the guest's
 * /sys/firmware/acpi/tables/CEDT), exit 1 when it fails Linux's checks.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "topo-opts.h"

int vfio_cxl_cmd_cedt(int argc, char **argv);

static void usage(FILE *f)
{
	fprintf(f, "usage: vfio-cxl cedt [--force] [--dpa-size ID=SIZE]... -o FILE -- QEMU-ARGS\n"
		   "       vfio-cxl cedt --read FILE\n");
}

static int read_table(const char *path)
{
	static uint8_t buf[1 << 16];
	struct vfiocxl_cedt *c = malloc(sizeof(*c));
	char err[256];
	size_t len;
	FILE *f = fopen(path, "rb");
	int ret = 1;

	if (!f || !c) {
		fprintf(stderr, "vfio-cxl cedt: %s: %s\n", path, strerror(errno));
		free(c);
		if (f)
			fclose(f);
		return 2;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (vfiocxl_topo_cedt_read(buf, len, c, err, sizeof(err))) {
		fprintf(stderr, "vfio-cxl cedt: %s: %s\n", path, err);
		goto out;
	}
	printf("CEDT revision %u, %zu bytes, %u CHBS, %u CFMWS, %u other\n", c->revision, len,
	       c->nchbs, c->ncfmws, c->nother);
	for (unsigned int i = 0; i < c->nchbs; i++)
		printf("CHBS uid=%u version=%u base=0x%llx length=0x%llx\n", c->chbs[i].uid,
		       c->chbs[i].version, (unsigned long long)c->chbs[i].base,
		       (unsigned long long)c->chbs[i].length);
	for (unsigned int i = 0; i < c->ncfmws; i++) {
		const struct vfiocxl_cedt_cfmws *w = &c->cfmws[i];

		printf("CFMWS base=0x%llx size=0x%llx ways=%u granularity=%u arithmetic=%u restrictions=0x%x qtg=%u targets=",
		       (unsigned long long)w->base, (unsigned long long)w->size, w->ways,
		       w->granularity, w->arithmetic, w->restrictions, w->qtg_id);
		for (unsigned int k = 0; k < w->ways; k++)
			printf("%s%u", k ? "," : "", w->targets[k]);
		printf("\n");
	}
	ret = 0;
out:
	free(c);
	return ret;
}

int vfio_cxl_cmd_cedt(int argc, char **argv)
{
	struct vfiocxl_topo *t = topo_opt_new("cedt");
	struct vfiocxl_cedt *chk = NULL;
	const char *out = NULL;
	bool force = false;
	uint8_t *buf = NULL;
	size_t len = 0;
	char err[256];
	FILE *f;
	int i, rc, ret = 2;

	if (!t)
		return 2;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--read")) {
			vfiocxl_topo_free(t);
			if (i + 1 >= argc) {
				fprintf(stderr, "vfio-cxl cedt: --read needs a file\n");
				return 2;
			}
			return read_table(argv[i + 1]);
		}
		if (!strcmp(a, "--force") || !strcmp(a, "-f")) {
			force = true;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (i + 1 >= argc) {
				fprintf(stderr, "vfio-cxl cedt: -o needs a file\n");
				goto out;
			}
			out = argv[++i];
		} else if ((rc = topo_opt_dpa_size(t, "cedt", argc, argv, &i))) {
			if (rc < 0)
				goto out;
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
	if (rc == -ENXIO && force) {
		fprintf(stderr, "vfio-cxl cedt: --force: %s\n", vfiocxl_topo_strerror(t));
		rc = 0;
	}
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
