// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: QEMU command lines (one argument per line) through the
 * parser, placement and CEDT builder, checked against invariants a simple
 * model states. Placement (sub-allocation of each window):
 *   - every placed device lies inside its window, 256 MiB aligned, its
 *     range its memory rounded up to 256 MiB (no more, no less);
 *   - no two placed ranges overlap, one device per root port and window;
 *   - the sizes placed in a window sum to at most the window's size, and
 *     the devices are packed from the window base in (root port, id) order;
 *   - a device refused for lack of room ("bytes left") really does not fit
 *     after the ones placed before it;
 *   - a host-bridge decoder, when planned, covers exactly the device's
 *     range, targets its root port, and its index is below 4 and unique on
 *     the host bridge.
 * The CEDT we build passes the reader. Input starting with "CEDT" goes to
 * the CEDT reader instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vfiocxl-topo.h"

#define ALIGN_UP(v)	(((v) + VFIOCXL_TOPO_ALIGN - 1) / VFIOCXL_TOPO_ALIGN * VFIOCXL_TOPO_ALIGN)

static void check(int cond, const char *what)
{
	if (!cond) {
		fprintf(stderr, "invariant broken: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* (root port, id) order, as the placement promises */
static int before(const struct vfiocxl_topo_placement *a, const struct vfiocxl_topo_placement *b)
{
	if (a->port != b->port)
		return a->port < b->port;
	return strcmp(a->device, b->device) < 0;
}

/*
 * Per window: the placed devices, taken in (root port, id) order, sit one
 * after the other from the window's base; their sizes sum within the
 * window; a device refused for room would not fit after those placed
 * before it.
 */
static void check_windows(const struct vfiocxl_topo *t)
{
	unsigned int n = vfiocxl_topo_num_placements(t);

	for (unsigned int j = 0; j < vfiocxl_topo_num_windows(t); j++) {
		const struct vfiocxl_topo_window *w = vfiocxl_topo_window(t, j);
		unsigned __int128 sum = 0;

		for (unsigned int i = 0; i < n; i++) {
			const struct vfiocxl_topo_placement *p = vfiocxl_topo_placement(t, i);
			uint64_t expect = w->base;

			if (p->window != (int)j)
				continue;
			/* what the placed devices ordered before p occupy */
			for (unsigned int k = 0; k < n; k++) {
				const struct vfiocxl_topo_placement *q = vfiocxl_topo_placement(t, k);

				if (k != i && !q->error && q->window == (int)j && before(q, p))
					expect += q->size;
			}
			if (!p->error) {
				sum += p->size;
				check(p->base == expect, "packed from the window base in root-port order");
			} else if (p->error == -28 && p->reason && strstr(p->reason, "bytes left")) {
				check((unsigned __int128)expect + ALIGN_UP(p->dpa_size) >
				      (unsigned __int128)w->base + w->size, "refused for room only when it does not fit");
			}
		}
		check(sum <= w->size, "sizes placed in a window sum within it");
	}
}

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
	/*
	 * every device a size, so placement gets past the size check; every
	 * other one not a multiple of 256 MiB, so rounding is exercised
	 */
	for (int i = 0; i < argc; i++) {
		const char *id = strstr(argv[i], "id=");

		if (id && id[3] && strlen(id + 3) < 64) {
			char name[64];

			snprintf(name, sizeof(name), "%.*s", (int)strcspn(id + 3, ","), id + 3);
			if (*name)
				vfiocxl_topo_set_dpa_size(t, name, i % 2 ? ((uint64_t)i << 28) + (1 << 20) :
							  (uint64_t)(i + 1) << 28);
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
			check(p->size == ALIGN_UP(p->dpa_size), "range is the memory rounded to 256 MiB");
			if (p->hb.used) {
				check(p->hb.base == p->base && p->hb.size == p->size,
				      "host-bridge decoder covers the device's range");
				check(p->hb.target == p->port, "host-bridge decoder targets its root port");
				check(p->hb.index < VFIOCXL_TOPO_HB_DECODERS, "host-bridge decoder index < 4");
			}
			check(p->base >= w->base && p->base + p->size <= w->base + w->size,
			      "inside its window");
			for (unsigned int j = 0; j < i; j++) {
				const struct vfiocxl_topo_placement *q = vfiocxl_topo_placement(t, j);

				if (q->error)
					continue;
				check(p->base + p->size <= q->base || q->base + q->size <= p->base,
				      "disjoint ranges");
				if (q->window == p->window)
					check(strcmp(p->root_port, q->root_port), "one device per root port");
				if (p->hb.used && q->hb.used && !strcmp(p->host_bridge, q->host_bridge))
					check(p->hb.index != q->hb.index, "host-bridge decoder indices unique");
			}
		}
		check_windows(t);
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
