// SPDX-License-Identifier: MIT
/*
 * vfio-cxl plan [--json] [-u] [--dpa-size ID=SIZE]... -- QEMU-ARGS
 *
 * Where each passed-through CXL device's memory will live in the guest, for
 * the given QEMU command line: device, host bridge, window, guest base and
 * size, and the host-bridge decoder when one routes the range; or the reason
 * the device is refused. Exits 0 when every device is placed, 1 when any is
 * refused, 2 on a usage or command-line error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "topo-opts.h"

int vfio_cxl_cmd_plan(int argc, char **argv);

static void usage(FILE *f)
{
	fprintf(f, "usage: vfio-cxl plan [--json] [-u] [--dpa-size ID=SIZE]... -- QEMU-ARGS\n");
}

static void json_str(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void human(char *buf, size_t n, uint64_t v)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	int u = 0;

	while (u < 6 && v >= 1024 && !(v % 1024)) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, "%" PRIu64 " %s", v, unit[u]);
}

/* cxl list style: raw numbers by default, hex addresses and human sizes with -u */
static void json_addr(const char *key, uint64_t v, bool hum)
{
	if (hum)
		printf("\"%s\":\"0x%" PRIx64 "\"", key, v);
	else
		printf("\"%s\":%" PRIu64, key, v);
}

static void json_size(const char *key, uint64_t v, bool hum)
{
	char b[32];

	if (hum) {
		human(b, sizeof(b), v);
		printf("\"%s\":\"%s\"", key, b);
	} else {
		printf("\"%s\":%" PRIu64, key, v);
	}
}

static void print_json(const struct vfiocxl_topo *t, int rc, bool hum)
{
	unsigned int n = vfiocxl_topo_num_placements(t);

	printf("{\"plan\":\"%s\",\"devices\":[", rc ? "refused" : "ok");
	for (unsigned int i = 0; i < n; i++) {
		const struct vfiocxl_topo_placement *p = vfiocxl_topo_placement(t, i);

		printf("%s{\"device\":", i ? "," : "");
		json_str(p->device);
		printf(",\"driver\":");
		json_str(p->driver);
		printf(",\"memory_type\":\"type%d\"", p->mem);
		if (p->host_bridge) {
			printf(",\"host_bridge\":");
			json_str(p->host_bridge);
			printf(",\"uid\":%u", p->uid);
		}
		if (p->root_port) {
			printf(",\"root_port\":");
			json_str(p->root_port);
			printf(",\"port\":%u", p->port);
		}
		if (p->window >= 0)
			printf(",\"window\":%d", p->window);
		if (p->dpa_size) {
			putchar(',');
			json_size("dpa_size", p->dpa_size, hum);
		}
		if (p->error) {
			printf(",\"state\":\"refused\",\"reason\":");
			json_str(p->reason);
		} else {
			printf(",\"state\":\"placed\",");
			json_addr("base", p->base, hum);
			putchar(',');
			json_size("size", p->size, hum);
			if (p->hb.used) {
				printf(",\"hb_decoder\":{\"decoder\":%u,", p->hb.index);
				json_addr("base", p->hb.base, hum);
				putchar(',');
				json_size("size", p->hb.size, hum);
				printf(",\"target\":%u,\"lock\":%s}", p->hb.target,
				       p->hb.lock ? "true" : "false");
			}
			printf(",\"ep_decoder\":{\"decoder\":0,");
			json_addr("base", p->base, hum);
			putchar(',');
			json_size("size", p->size, hum);
			printf(",\"lock\":true}");
		}
		putchar('}');
	}
	printf("],\"windows\":[");
	for (unsigned int i = 0; i < vfiocxl_topo_num_windows(t); i++) {
		const struct vfiocxl_topo_window *w = vfiocxl_topo_window(t, i);

		printf("%s{\"window\":%u,", i ? "," : "", w->index);
		if (w->has_base) {
			json_addr("base", w->base, hum);
			putchar(',');
		}
		json_size("size", w->size, hum);
		printf(",\"interleave_ways\":%u,\"interleave_granularity\":%u,\"restrictions\":%u,\"targets\":[",
		       w->ways, w->granularity, w->restrictions);
		for (unsigned int k = 0; k < w->ways; k++) {
			if (k)
				putchar(',');
			json_str(w->targets[k]);
		}
		printf("]}");
	}
	printf("],\"host_bridges\":[");
	for (unsigned int i = 0; i < vfiocxl_topo_num_host_bridges(t); i++) {
		const struct vfiocxl_topo_host_bridge *h = vfiocxl_topo_host_bridge(t, i);

		printf("%s{\"host_bridge\":", i ? "," : "");
		json_str(h->id);
		printf(",\"uid\":%u,", h->uid);
		json_addr("chbs_base", h->chbs_base, hum);
		printf(",\"root_ports\":%u}", h->root_ports);
	}
	printf("]}\n");
}

static void print_table(const struct vfiocxl_topo *t, int rc)
{
	unsigned int n = vfiocxl_topo_num_placements(t), placed = 0;
	int wd = 6, wh = 11;

	for (unsigned int i = 0; i < n; i++) {
		const struct vfiocxl_topo_placement *p = vfiocxl_topo_placement(t, i);
		int l = (int)strlen(p->device);

		wd = l > wd ? l : wd;
		l = p->host_bridge ? (int)strlen(p->host_bridge) + 6 : 1;
		wh = l > wh ? l : wh;
	}
	printf("%-*s  %-*s  %-9s  %-18s  %-9s  %s\n", wd, "DEVICE", wh, "HOST BRIDGE", "WINDOW",
	       "GUEST BASE", "SIZE", "ROUTE");
	for (unsigned int i = 0; i < n; i++) {
		const struct vfiocxl_topo_placement *p = vfiocxl_topo_placement(t, i);
		char hb[96], win[24], size[32], route[96];

		if (p->host_bridge)
			snprintf(hb, sizeof(hb), "%s (%u)", p->host_bridge, p->uid);
		else
			snprintf(hb, sizeof(hb), "-");
		if (p->window >= 0)
			snprintf(win, sizeof(win), "fmw.%d", p->window);
		else
			snprintf(win, sizeof(win), "-");
		if (p->error) {
			printf("%-*s  %-*s  %-9s  REFUSED: %s\n", wd, p->device, wh, hb, win, p->reason);
			continue;
		}
		placed++;
		human(size, sizeof(size), p->size);
		if (p->hb.used)
			snprintf(route, sizeof(route), "HB decoder %u -> port %u (%s), locked",
				 p->hb.index, p->hb.target, p->root_port);
		else
			snprintf(route, sizeof(route), "passthrough HB -> %s", p->root_port);
		printf("%-*s  %-*s  %-9s  0x%016" PRIx64 "  %-9s  %s\n", wd, p->device, wh, hb, win,
		       p->base, size, route);
	}
	for (unsigned int i = 0; i < vfiocxl_topo_num_windows(t); i++) {
		const struct vfiocxl_topo_window *w = vfiocxl_topo_window(t, i);
		char size[32];

		human(size, sizeof(size), w->size);
		if (i == 0)
			printf("\n");
		if (w->has_base)
			printf("window fmw.%u: 0x%016" PRIx64 " %s, %u-way, targets", w->index, w->base,
			       size, w->ways);
		else
			printf("window fmw.%u: no base, %s, %u-way, targets", w->index, size, w->ways);
		for (unsigned int k = 0; k < w->ways; k++)
			printf(" %s", w->targets[k]);
		printf("\n");
	}
	printf("\n%u placed, %u refused%s\n", placed, n - placed,
	       rc && rc != -ENXIO ? " (machine refused)" : "");
}

int vfio_cxl_cmd_plan(int argc, char **argv)
{
	struct vfiocxl_topo *t = topo_opt_new("plan");
	bool json = false, hum = false;
	int i, rc, ret = 2;

	if (!t)
		return 2;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--json") || !strcmp(a, "-j")) {
			json = true;
		} else if (!strcmp(a, "-u") || !strcmp(a, "--human")) {
			hum = true;
		} else if ((rc = topo_opt_dpa_size(t, "plan", argc, argv, &i))) {
			if (rc < 0)
				goto out;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			ret = 0;
			goto out;
		} else {
			fprintf(stderr, "vfio-cxl plan: unknown option '%s'\n", a);
			usage(stderr);
			goto out;
		}
	}
	if (i >= argc) {
		fprintf(stderr, "vfio-cxl plan: no QEMU arguments after --\n");
		usage(stderr);
		goto out;
	}
	rc = vfiocxl_topo_parse_args(t, argc - i, argv + i);
	if (rc) {
		fprintf(stderr, "vfio-cxl plan: %s\n", vfiocxl_topo_strerror(t));
		goto out;
	}
	rc = vfiocxl_topo_machine_ready(t, NULL, NULL);
	if (rc && rc != -ENXIO) {
		fprintf(stderr, "vfio-cxl plan: %s\n", vfiocxl_topo_strerror(t));
		goto out;
	}
	if (json)
		print_json(t, rc, hum);
	else
		print_table(t, rc);
	fflush(stdout);
	ret = rc ? 1 : 0;
out:
	vfiocxl_topo_free(t);
	return ret;
}
