// SPDX-License-Identifier: MIT
/*
 * Planning 64 devices: 64 host bridges would exceed QEMU's 16, so 16 host
 * bridges with 4 root ports each, one device per root port, one window per
 * host bridge (sub-allocation and HB decoder planning included). Reports
 * the median and best of many runs as JSON; a figure, not a timed test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "vfiocxl-topo.h"

#define HBS 16
#define PORTS 4
#define RUNS 2000

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	static char machine[8192], opts[HBS * (1 + 2 * PORTS)][128];
	static char *argv[6 + 2 * HBS * (1 + 2 * PORTS)];
	static double parse_t[RUNS], plan_t[RUNS];
	int argc = 0, n = 0, placed = 0;
	size_t off = 0;

	off += snprintf(machine + off, sizeof(machine) - off, "q35,cxl=on");
	for (int h = 0; h < HBS; h++)
		off += snprintf(machine + off, sizeof(machine) - off,
				",cxl-fmw.%d.targets.0=hb%d,cxl-fmw.%d.size=8G", h, h, h);
	argv[argc++] = "-m";
	argv[argc++] = "4G,maxmem=8G";
	argv[argc++] = "-M";
	argv[argc++] = machine;
	argv[argc++] = "-cpu";
	argv[argc++] = "max,phys-bits=46";
	for (int h = 0; h < HBS; h++) {
		snprintf(opts[n], sizeof(opts[n]), "pxb-cxl,bus_nr=%d,id=hb%d", 10 + 8 * h, h);
		argv[argc++] = "-device";
		argv[argc++] = opts[n++];
		for (int p = 0; p < PORTS; p++) {
			snprintf(opts[n], sizeof(opts[n]), "cxl-rp,port=%d,bus=hb%d,id=rp%d.%d", p, h, h, p);
			argv[argc++] = "-device";
			argv[argc++] = opts[n++];
			snprintf(opts[n], sizeof(opts[n]),
				 "vfio-pci-nohotplug,host=%04x:%02x:00.0,bus=rp%d.%d,id=dev%d", h, p, h, p,
				 h * PORTS + p);
			argv[argc++] = "-device";
			argv[argc++] = opts[n++];
		}
	}
	for (int r = 0; r < RUNS; r++) {
		struct vfiocxl_topo *t = vfiocxl_topo_new();
		double t0, t1, t2;
		char id[16];
		int rc;

		vfiocxl_topo_set_sysfs_root(t, "/nonexistent");
		t0 = now_us();
		rc = vfiocxl_topo_parse_args(t, argc, argv);
		for (int d = 0; d < HBS * PORTS && !rc; d++) {
			snprintf(id, sizeof(id), "dev%d", d);
			rc = vfiocxl_topo_set_dpa_size(t, id, 1ULL << 30);
		}
		t1 = now_us();
		rc = rc ? rc : vfiocxl_topo_machine_ready(t, NULL, NULL);
		t2 = now_us();
		if (rc) {
			fprintf(stderr, "topo_bench: %s\n", vfiocxl_topo_strerror(t));
			return 1;
		}
		placed = (int)vfiocxl_topo_num_placements(t);
		parse_t[r] = t1 - t0;
		plan_t[r] = t2 - t1;
		vfiocxl_topo_free(t);
	}
	qsort(parse_t, RUNS, sizeof(double), cmp);
	qsort(plan_t, RUNS, sizeof(double), cmp);
	printf("{\"benchmark\":\"topo_plan\",\"devices\":%d,\"host_bridges\":%d,\"runs\":%d,"
	       "\"plan_us_median\":%.2f,\"plan_us_min\":%.2f,\"plan_us_p99\":%.2f,"
	       "\"parse_us_median\":%.2f}\n", placed, HBS, RUNS, plan_t[RUNS / 2], plan_t[0],
	       plan_t[RUNS * 99 / 100], parse_t[RUNS / 2]);
	return 0;
}
