// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: QEMU command lines (one argument per line) through the
 * parser, placement and CEDT builder, checked against invariants a simple
 * model states: placed ranges are 256 MiB aligned, inside their window, big
 * enough, pairwise disjoint; the CEDT we build passes the reader. Input
 * starting with "CEDT" goes to the CEDT reader instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vfiocxl-topo.h"

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "invariant broken: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vfiocxl_topo *t;
	char *buf, *argv[128];
	int argc = 0, rc;
	static uint8_t cedt[1 << 16];
	static struct vfiocxl_cedt out;
	char err[128];
	size_t len;

	if (size >= 4 && !memcmp(data, "CEDT", 4)) {
		vfiocxl_topo_cedt_read(data, size, &out, err, sizeof(err));
		return 0;
	}
	buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (char *p = buf, *line; p && argc < 127; p = line) {
		line = strchr(p, '\n');
		if (line)
			*line++ = '\0';
		argv[argc++] = p;
	}
	t = vfiocxl_topo_new();
	vfiocxl_topo_set_sysfs_root(t, "/nonexistent");
	rc = vfiocxl_topo_parse_args(t, argc, argv);
	check(rc <= 0, "negative errno");
	check(vfiocxl_topo_strerror(t) != NULL, "message");
	/* every device a size, so placement gets past the size check */
	for (int i = 0; i < argc; i++) {
		const char *id = strstr(argv[i], "id=");

		if (id && id[3] && strlen(id + 3) < 64) {
			char name[64];

			snprintf(name, sizeof(name), "%.*s", (int)strcspn(id + 3, ","), id + 3);
			if (*name)
				vfiocxl_topo_set_dpa_size(t, name, (uint64_t)(i + 1) << 28);
		}
	}
	rc = vfiocxl_topo_machine_ready(t, NULL, NULL);
	if (rc == 0 || rc == -22 || rc == -6) {
		unsigned int n = vfiocxl_topo_num_placements(t);

		for (unsigned int i = 0; i < n; i++) {
			const struct vfiocxl_topo_placement *p = vfiocxl_topo_placement(t, i);
			const struct vfiocxl_topo_window *w;

			check(p->device && p->device[0], "placement names its device");
			if (p->error) {
				check(p->reason && !strncmp(p->reason, p->device, strlen(p->device)),
				      "refusal names the device");
				continue;
			}
			w = vfiocxl_topo_window(t, (unsigned int)p->window);
			check(w && w->has_base && w->ways == 1, "placed in a 1-way window with a base");
			check(p->base % VFIOCXL_TOPO_ALIGN == 0 && p->size % VFIOCXL_TOPO_ALIGN == 0,
			      "256 MiB aligned");
			check(p->size >= p->dpa_size, "range covers the device");
			check(p->base >= w->base && p->base + p->size <= w->base + w->size,
			      "inside its window");
			for (unsigned int j = 0; j < i; j++) {
				const struct vfiocxl_topo_placement *q = vfiocxl_topo_placement(t, j);

				if (!q->error)
					check(p->base + p->size <= q->base || q->base + q->size <= p->base,
					      "disjoint ranges");
			}
		}
		if (rc == 0 && !vfiocxl_topo_build_cedt(t, cedt, sizeof(cedt), &len)) {
			int r = vfiocxl_topo_cedt_read(cedt, len, &out, err, sizeof(err));

			if (r)
				fprintf(stderr, "reader: %s\n", err);
			check(r == 0 || vfiocxl_topo_num_windows(t) > 64 ||
			      vfiocxl_topo_num_host_bridges(t) > 64, "built CEDT passes the reader");
		}
	}
	check(vfiocxl_topo_add_device(t, "vfio-pci,host=1:0.0,id=late") == -16, "hotplug refused");
	vfiocxl_topo_free(t);
	free(buf);
	return 0;
}
