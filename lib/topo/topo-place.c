// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Machine-ready: guest addresses as QEMU 10.0 assigns them on q35, placement
 * of each passed-through CXL device in the window that targets its host
 * bridge (by topology, never by order; fail closed with a reason naming the
 * device), sub-allocation of a window among the root ports of one host
 * bridge, and the host-bridge / endpoint HDM decoder plan.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "topo-internal.h"

#define CXL_HOST_REG_SIZE	(1 * MiB)	/* QEMU pc_memory_init: "cxl_host_reg" */
#define CXL_CHBS_SIZE		(64 * KiB)	/* one pxb-cxl component block */
#define Q35_PCI_HOLE64_SIZE	(32 * GiB)	/* Q35_PCI_HOST_HOLE64_SIZE_DEFAULT */
#define AMD_HT_START		0xfd00000000ULL	/* AMD HyperTransport hole */
#define AMD_ABOVE_1TB_START	(1 * TiB)
#define TCG_PHYS_BITS		40

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) / a * a;
}

/* ---- encodings (CXL r3.1 8.2.4.20.7 decoder control; 9.18.1.3 CFMWS) ---- */

int vfiocxl_topo_ways_to_eniw(unsigned int ways, uint8_t *eniw)
{
	switch (ways) {
	case 1: *eniw = 0; return 0;
	case 2: *eniw = 1; return 0;
	case 4: *eniw = 2; return 0;
	case 8: *eniw = 3; return 0;
	case 16: *eniw = 4; return 0;
	case 3: *eniw = 8; return 0;
	case 6: *eniw = 9; return 0;
	case 12: *eniw = 10; return 0;
	}
	return -EINVAL;
}

int vfiocxl_topo_eniw_to_ways(uint8_t eniw, unsigned int *ways)
{
	if (eniw <= 4) {
		*ways = 1u << eniw;
		return 0;
	}
	if (eniw >= 8 && eniw <= 10) {
		*ways = 3u << (eniw - 8);
		return 0;
	}
	return -EINVAL;
}

int vfiocxl_topo_gran_to_hbig(unsigned int gran, uint32_t *hbig)
{
	for (uint32_t g = 0; g <= 6; g++)
		if (gran == 256u << g) {
			*hbig = g;
			return 0;
		}
	return -EINVAL;
}

int vfiocxl_topo_hbig_to_gran(uint32_t hbig, unsigned int *gran)
{
	if (hbig > 6)
		return -EINVAL;
	*gran = 256u << hbig;
	return 0;
}

/* ---- results ------------------------------------------------------------ */

void topo_results_free(struct vfiocxl_topo *t)
{
	for (unsigned int i = 0; i < t->npl; i++)
		free(t->reasons[i]);
	free(t->reasons);
	free(t->pl);
	free(t->rwins);
	free(t->hbs);
	free(t->idtab);
	t->idtab = NULL;
	t->reasons = NULL;
	t->pl = NULL;
	t->rwins = NULL;
	t->hbs = NULL;
	t->npl = t->nhbs = 0;
}

unsigned int vfiocxl_topo_num_placements(const struct vfiocxl_topo *t)
{
	return t->npl;
}

const struct vfiocxl_topo_placement *
vfiocxl_topo_placement(const struct vfiocxl_topo *t, unsigned int i)
{
	return i < t->npl ? &t->pl[i] : NULL;
}

unsigned int vfiocxl_topo_num_windows(const struct vfiocxl_topo *t)
{
	return t->rwins ? t->nwins : 0;
}

const struct vfiocxl_topo_window *vfiocxl_topo_window(const struct vfiocxl_topo *t,
						      unsigned int i)
{
	return t->rwins && i < t->nwins ? &t->rwins[i] : NULL;
}

unsigned int vfiocxl_topo_num_host_bridges(const struct vfiocxl_topo *t)
{
	return t->nhbs;
}

const struct vfiocxl_topo_host_bridge *
vfiocxl_topo_host_bridge(const struct vfiocxl_topo *t, unsigned int i)
{
	return i < t->nhbs ? &t->hbs[i] : NULL;
}

bool vfiocxl_topo_is_ready(const struct vfiocxl_topo *t)
{
	return t->ready;
}

/* ---- the DPA size of a device present on this host ------------------------ */

/*
 * Walk the PCIe extended capabilities of sysfs' config file for the CXL
 * Device DVSEC (CXL r3.1 8.1.3: vendor 0x1E98, id 0) and add up its valid
 * ranges. Hostile input: bounded walk, aligned and increasing offsets.
 */
uint64_t topo_sysfs_dpa_size(const char *root, const char *host)
{
	uint8_t cfg[4096];
	char path[512];
	uint64_t size = 0;
	unsigned int off = 0x100, prev = 0;
	ssize_t n;
	int fd;

	if (!host || strchr(host, '/') || strstr(host, ".."))
		return 0;
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/config", root ? root : "/sys", host);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = pread(fd, cfg, sizeof(cfg), 0);
	close(fd);
	for (int iter = 0; iter < 64 && n > 0 && off + 0x28 <= (size_t)n; iter++) {
		uint32_t hdr, h1, h2;

		memcpy(&hdr, cfg + off, 4);
		if (hdr == 0 || hdr == 0xffffffff)
			break;
		memcpy(&h1, cfg + off + 4, 4);
		memcpy(&h2, cfg + off + 8, 4);
		/* DVSEC (ext cap 0x23), vendor 0x1E98, DVSEC id 0: CXL Device */
		if ((hdr & 0xffff) == 0x23 && (h1 & 0xffff) == 0x1e98 && (h2 & 0xffff) == 0) {
			for (int r = 0; r < 2; r++) {
				uint32_t hi, lo;

				memcpy(&hi, cfg + off + 0x18 + r * 0x10, 4);
				memcpy(&lo, cfg + off + 0x1c + r * 0x10, 4);
				if (lo & 1)	/* Memory_Info_Valid */
					size += ((uint64_t)hi << 32) | (lo & 0xf0000000u);
			}
			return size;
		}
		prev = off;
		off = hdr >> 20;
		if (off <= prev || off & 3 || off < 0x100)
			break;
	}
	return 0;
}

/* ---- bases: hw/i386/pc.c pc_memory_init / pc_get_cxl_range_start --------- */

static int host_vendor_amd(void)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");
	int amd = 1;

	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "vendor_id", 9)) {
			amd = strstr(line, "AuthenticAMD") || strstr(line, "HygonGenuine");
			break;
		}
	fclose(f);
	return amd;
}

/* "address sizes : 46 bits physical" from /proc/cpuinfo; 0 when unknown */
unsigned int topo_host_phys_bits(void)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");
	unsigned int bits = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "address sizes", 13)) {
			const char *c = strchr(line, ':');

			if (c && sscanf(c + 1, "%u", &bits) == 1 && (bits < 32 || bits > 52))
				bits = 0;
			break;
		}
	fclose(f);
	return bits;
}

static uint64_t cxl_range_start(const struct vfiocxl_topo *t, uint64_t above_4g_start)
{
	uint64_t lowmem, above, end;

	/* pc_q35_init: the RAM split below and above 4 GiB */
	lowmem = t->ram_size >= 0xb0000000ULL ? 0x80000000ULL : 0xb0000000ULL;
	if (t->max_ram_below_4g && lowmem > t->max_ram_below_4g)
		lowmem = t->max_ram_below_4g;
	above = t->ram_size >= lowmem ? t->ram_size - lowmem : 0;
	end = above_4g_start + above;	/* pc_above_4g_end */
	/* pc_get_device_memory_range: hotplug memory area, 1 GiB per slot */
	if (t->maxmem > t->ram_size)
		end = align_up(end, GiB) + (t->maxmem - t->ram_size) + GiB * (uint64_t)t->slots;
	return end;
}

static uint64_t cxl_range_end(const struct vfiocxl_topo *t, uint64_t start)
{
	uint64_t end = start + CXL_HOST_REG_SIZE;

	if (t->nwins) {
		end = align_up(end, VFIOCXL_TOPO_ALIGN);
		for (unsigned int i = 0; i < t->nwins; i++)
			end += t->wins[i].size;
	}
	return end;
}

static void compute_bases(struct vfiocxl_topo *t)
{
	uint64_t start = cxl_range_start(t, 4 * GiB), limit, maxused, base;
	unsigned int bits = t->phys_bits ? t->phys_bits : TCG_PHYS_BITS;
	int amd = t->amd < 0 ? host_vendor_amd() : t->amd;

	/*
	 * pc_memory_init: on AMD, when the highest address in use (the end of
	 * the 64-bit PCI hole after the CXL range) reaches the HyperTransport
	 * hole, RAM above 4 GiB moves to 1 TiB.
	 */
	maxused = align_up(cxl_range_end(t, start), GiB) + Q35_PCI_HOLE64_SIZE - 1;
	if (amd && maxused >= AMD_HT_START) {
		start = cxl_range_start(t, AMD_ABOVE_1TB_START);
		maxused = align_up(cxl_range_end(t, start), GiB) + Q35_PCI_HOLE64_SIZE - 1;
	}
	t->cxl_host_base = start;
	limit = bits >= 64 ? UINT64_MAX : (1ULL << bits) - 1;
	/* pc_memory_init: QEMU exits when the highest address used is beyond reach */
	t->machine_err[0] = '\0';
	if (t->cxl_on && maxused > limit)
		snprintf(t->machine_err, sizeof(t->machine_err),
			 "QEMU refuses this machine: address space limit 0x%llx < 0x%llx, phys-bits too low (%u)",
			 (unsigned long long)limit, (unsigned long long)maxused, bits);
	base = align_up(start + CXL_HOST_REG_SIZE, VFIOCXL_TOPO_ALIGN);
	for (unsigned int i = 0; i < t->nwins; i++) {
		struct vfiocxl_topo_window *w = &t->rwins[i];

		w->base = base;
		w->has_base = t->cxl_on && base + w->size - 1 <= limit;
		base += w->size;
	}
}

/* ---- topology walk -------------------------------------------------------- */

static unsigned int id_hash(const char *s)
{
	unsigned int h = 2166136261u;	/* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int build_idtab(struct vfiocxl_topo *t)
{
	unsigned int size = 16;

	while (size < 2 * t->ndevs)
		size *= 2;
	free(t->idtab);
	t->idtab = malloc(size * sizeof(*t->idtab));
	if (!t->idtab)
		return -ENOMEM;
	memset(t->idtab, 0xff, size * sizeof(*t->idtab));
	t->idmask = size - 1;
	for (unsigned int i = 0; i < t->ndevs; i++) {
		unsigned int h;

		if (!t->devs[i].id)
			continue;
		for (h = id_hash(t->devs[i].id) & t->idmask; t->idtab[h] >= 0; h = (h + 1) & t->idmask)
			;
		t->idtab[h] = (int)i;
	}
	return 0;
}

static struct topo_dev *find_dev(struct vfiocxl_topo *t, const char *id)
{
	if (t->idtab) {
		for (unsigned int h = id_hash(id) & t->idmask; t->idtab[h] >= 0;
		     h = (h + 1) & t->idmask)
			if (!strcmp(t->devs[t->idtab[h]].id, id))
				return &t->devs[t->idtab[h]];
		return NULL;
	}
	for (unsigned int i = 0; i < t->ndevs; i++)
		if (t->devs[i].id && !strcmp(t->devs[i].id, id))
			return &t->devs[i];
	return NULL;
}

struct walk {
	struct topo_dev *rp, *hb, *sw;	/* sw: the first switch port met */
	struct topo_dev *first;		/* the device's parent bridge */
	const char *missing;		/* a bus id that does not exist */
	bool cycle;
};

static void walk_up(struct vfiocxl_topo *t, struct topo_dev *d, struct walk *w)
{
	const char *bus = d->bus;

	memset(w, 0, sizeof(*w));
	for (int steps = 0; bus; steps++) {
		struct topo_dev *p;

		if (steps > 32) {
			w->cycle = true;
			return;
		}
		p = find_dev(t, bus);
		if (!p) {
			w->missing = bus;
			return;
		}
		if (!w->first)
			w->first = p;
		if ((p->kind == TK_DSP || p->kind == TK_USP) && !w->sw)
			w->sw = p;
		if (p->kind == TK_RP && !w->rp)
			w->rp = p;
		if (p->kind == TK_PXB) {
			w->hb = p;
			return;
		}
		bus = p->bus;
	}
}

static int hb_index(struct vfiocxl_topo *t, const struct topo_dev *hb)
{
	for (unsigned int i = 0; i < t->nhbs; i++)
		if (!strcmp(t->hbs[i].id, hb->id))
			return (int)i;
	return -1;
}

static uint64_t device_size(struct vfiocxl_topo *t, struct topo_dev *d, char *why, size_t n)
{
	uint64_t sum = 0;

	for (unsigned int i = 0; i < t->ndpas; i++)
		if (!strcmp(t->dpas[i].id, d->id))
			return t->dpas[i].size;
	if (d->kind == TK_TYPE3) {
		for (int k = 0; k < 3; k++) {
			const char *m = d->memdev[k];
			bool found = false;

			if (!m)
				continue;
			for (unsigned int i = 0; i < t->nobjs; i++)
				if (!strcmp(t->objs[i].id, m)) {
					found = true;
					if (!t->objs[i].has_size) {
						snprintf(why, n, "memory backend '%s' has no size=", m);
						return 0;
					}
					sum += t->objs[i].size;
				}
			if (!found) {
				snprintf(why, n, "memory backend '%s' not found", m);
				return 0;
			}
		}
		if (!sum)
			snprintf(why, n, "no memdev=, volatile-memdev= or persistent-memdev=");
		return sum;
	}
	sum = topo_sysfs_dpa_size(t->sysfs_root, d->host);
	if (!sum)
		snprintf(why, n, "memory size unknown (host %s not present): give --dpa-size %s=SIZE",
			 d->host ? d->host : "-", d->id);
	return sum;
}

static bool has_dpa_override(const struct vfiocxl_topo *t, const char *id)
{
	for (unsigned int i = 0; i < t->ndpas; i++)
		if (!strcmp(t->dpas[i].id, id))
			return true;
	return false;
}

static void refuse(struct vfiocxl_topo *t, unsigned int i, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void refuse(struct vfiocxl_topo *t, unsigned int i, int err, const char *fmt, ...)
{
	char msg[400], *full;
	size_t n;
	va_list ap;

	if (t->pl[i].error)
		return;		/* the first reason stands */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	n = strlen(t->pl[i].device) + strlen(msg) + 3;
	full = malloc(n);
	if (full)
		snprintf(full, n, "%s: %s", t->pl[i].device, msg);
	t->reasons[i] = full;
	t->pl[i].reason = full ? full : "refused (out of memory)";
	t->pl[i].error = err;
	if (t->log)
		t->log(t->log_priv, err, t->pl[i].reason);
	t->pl[i].base = t->pl[i].size = 0;
}

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

/* within a window: by root port number, then id; never by command-line order */
static int cmp_slot(const struct vfiocxl_topo_placement *x,
		    const struct vfiocxl_topo_placement *y)
{
	int c = cmp_u64(x->port, y->port);

	return c ? c : strcmp(x->device, y->device);
}

static void sort_slots(const struct vfiocxl_topo *t, unsigned int *order, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		unsigned int v = order[i], j = i;

		for (; j > 0 && cmp_slot(&t->pl[order[j - 1]], &t->pl[v]) > 0; j--)
			order[j] = order[j - 1];
		order[j] = v;
	}
}

static int check_machine(struct vfiocxl_topo *t)
{
	unsigned int npxb = 0;

	for (unsigned int i = 0; i < t->nwins; i++)
		for (unsigned int k = 0; k < t->wins[i].ntargets; k++) {
			struct topo_dev *hb = find_dev(t, t->wins[i].targets[k]);

			if (!hb || hb->kind != TK_PXB)
				return topo_err(t, -EINVAL,
						"cxl-fmw.%u.targets.%u: '%s' is not a pxb-cxl host bridge",
						i, k, t->wins[i].targets[k]);
			for (unsigned int j = 0; j < k; j++)
				if (!strcmp(t->wins[i].targets[j], t->wins[i].targets[k]))
					return topo_err(t, -EINVAL,
							"cxl-fmw.%u: host bridge '%s' listed twice",
							i, t->wins[i].targets[k]);
		}
	for (unsigned int i = 0; i < t->ndevs; i++) {
		if (t->devs[i].kind == TK_PXB)
			npxb++;
		if (t->devs[i].kind == TK_PXB && t->devs[i].bus && find_dev(t, t->devs[i].bus))
			return topo_err(t, -EINVAL, "%s: a pxb-cxl goes on the root bus pcie.0",
					t->devs[i].id);
	}
	if (npxb > TOPO_MAX_HOST_BRIDGES)
		return topo_err(t, -EINVAL, "%u pxb-cxl host bridges; QEMU has room for %u",
				npxb, TOPO_MAX_HOST_BRIDGES);
	if (npxb && !t->cxl_on)
		return topo_err(t, -EINVAL, "pxb-cxl needs -M ...,cxl=on");
	return 0;
}

static int plan(struct vfiocxl_topo *t)
{
	unsigned int n = 0, k = 0, nhb = 0, *order;
	int refused = 0, rc;

	topo_results_free(t);
	rc = build_idtab(t);
	if (rc)
		return rc;
	rc = check_machine(t);
	if (rc)
		return rc;
	for (unsigned int i = 0; i < t->ndevs; i++) {
		if (t->devs[i].kind == TK_VFIO || t->devs[i].kind == TK_TYPE3)
			n++;
		if (t->devs[i].kind == TK_PXB)
			nhb++;
	}
	t->pl = calloc(n ? n : 1, sizeof(*t->pl));
	t->reasons = calloc(n ? n : 1, sizeof(*t->reasons));
	t->rwins = calloc(t->nwins ? t->nwins : 1, sizeof(*t->rwins));
	t->hbs = calloc(nhb ? nhb : 1, sizeof(*t->hbs));
	order = calloc(n ? n : 1, sizeof(*order));
	if (!t->pl || !t->reasons || !t->rwins || !t->hbs || !order) {
		free(order);
		topo_results_free(t);
		return -ENOMEM;
	}

	/* windows and host bridges, with their QEMU addresses */
	for (unsigned int i = 0; i < t->nwins; i++) {
		struct vfiocxl_topo_window *w = &t->rwins[i];

		w->index = i;
		w->size = t->wins[i].size;
		w->ways = t->wins[i].ntargets;
		w->granularity = t->wins[i].gran;
		for (unsigned int j = 0; j < w->ways; j++)
			w->targets[j] = t->wins[i].targets[j];
	}
	compute_bases(t);
	for (unsigned int i = 0; i < t->ndevs; i++) {
		struct topo_dev *d = &t->devs[i];

		if (d->kind != TK_PXB)
			continue;
		t->hbs[t->nhbs].id = d->id;
		t->hbs[t->nhbs].uid = d->bus_nr;	/* QEMU: _UID = bus_nr */
		t->hbs[t->nhbs].hdm_for_passthrough = d->hdm_pt;
		/* CHBS: hooked up walking the root bus's child list, newest first */
		t->hbs[t->nhbs].chbs_base = t->cxl_host_base + CXL_CHBS_SIZE * (nhb - 1 - t->nhbs);
		t->nhbs++;
	}
	for (unsigned int i = 0; i < t->ndevs; i++) {
		struct topo_dev *d = &t->devs[i];
		struct topo_dev *p = d->bus ? find_dev(t, d->bus) : NULL;

		if (d->kind == TK_RP && p && p->kind == TK_PXB)
			t->hbs[hb_index(t, p)].root_ports++;
	}

	/* each CXL device: its host bridge, root port, size and window */
	t->npl = 0;
	for (unsigned int i = 0; i < t->ndevs; i++) {
		struct topo_dev *d = &t->devs[i];
		struct vfiocxl_topo_placement *pl;
		unsigned int idx, matches = 0, other = 0;
		int win = -1;
		struct walk w;
		char why[200] = "";

		if (d->kind != TK_VFIO && d->kind != TK_TYPE3)
			continue;
		walk_up(t, d, &w);
		/* a vfio-pci device outside any CXL hierarchy is plain PCI passthrough */
		if (d->kind == TK_VFIO && !w.hb && !w.rp && !w.sw && !w.missing && !w.cycle &&
		    !has_dpa_override(t, d->id))
			continue;
		idx = t->npl++;
		pl = &t->pl[idx];
		pl->device = d->id;
		pl->driver = d->driver;
		pl->mem = d->kind == TK_VFIO ? VFIOCXL_TOPO_TYPE2 : VFIOCXL_TOPO_TYPE3;
		pl->window = -1;
		if (w.hb) {
			pl->host_bridge = w.hb->id;
			pl->uid = w.hb->bus_nr;
		}
		if (w.rp) {
			pl->root_port = w.rp->id;
			pl->port = w.rp->port;
		}
		if (w.missing) {
			refuse(t, idx, -ENODEV, "bus '%s' does not exist", w.missing);
			continue;
		}
		if (w.cycle) {
			refuse(t, idx, -ELOOP, "its bus chain loops");
			continue;
		}
		if (w.sw) {
			refuse(t, idx, -EOPNOTSUPP,
			       "a switch (%s %s) sits between it and its host bridge%s%s; only direct-attached devices are placed",
			       w.sw->driver, w.sw->id, w.hb ? " " : "", w.hb ? w.hb->id : "");
			continue;
		}
		if (!w.hb) {
			refuse(t, idx, -ENODEV, "not below a pxb-cxl host bridge");
			continue;
		}
		if (!w.rp || w.first != w.rp) {
			refuse(t, idx, -EOPNOTSUPP, "not directly below a cxl-rp root port of %s",
			       w.hb->id);
			continue;
		}
		pl->dpa_size = device_size(t, d, why, sizeof(why));
		if (!pl->dpa_size) {
			refuse(t, idx, -ENODATA, "%s", why);
			continue;
		}
		for (unsigned int j = 0; j < t->nwins; j++)
			for (unsigned int m = 0; m < t->wins[j].ntargets; m++)
				if (!strcmp(t->wins[j].targets[m], w.hb->id)) {
					if (matches++ == 0)
						win = (int)j;
					else if (matches == 2)
						other = j;
				}
		if (!matches) {
			refuse(t, idx, -ENOENT, "no window targets host bridge %s (uid %u)",
			       w.hb->id, w.hb->bus_nr);
			continue;
		}
		pl->window = win;
		if (matches > 1) {
			refuse(t, idx, -EEXIST,
			       "host bridge %s is in more than one window (cxl-fmw.%d and cxl-fmw.%u)",
			       w.hb->id, win, other);
			continue;
		}
		if (t->wins[win].ntargets > 1) {
			refuse(t, idx, -EOPNOTSUPP,
			       "window cxl-fmw.%d interleaves across %u host bridges; device memory maps 1:1",
			       win, t->wins[win].ntargets);
			continue;
		}
		if (!t->rwins[win].has_base) {
			if (!t->cxl_on)
				refuse(t, idx, -EFAULT, "window cxl-fmw.%d has no base: -M has no cxl=on", win);
			else
				refuse(t, idx, -EFAULT,
				       "window cxl-fmw.%d has no base: it would end at 0x%llx, beyond the %u-bit guest address space",
				       win, (unsigned long long)(t->rwins[win].base + t->rwins[win].size - 1),
				       t->phys_bits ? t->phys_bits : TCG_PHYS_BITS);
			continue;
		}
		if (align_up(pl->dpa_size, VFIOCXL_TOPO_ALIGN) > t->wins[win].size) {
			refuse(t, idx, -ENOSPC,
			       "window cxl-fmw.%d (0x%llx bytes) is smaller than the device memory (0x%llx bytes)",
			       win, (unsigned long long)t->wins[win].size,
			       (unsigned long long)pl->dpa_size);
			continue;
		}
	}

	/* sub-allocate each window among its devices, in root-port order */
	for (unsigned int j = 0; j < t->nwins; j++) {
		struct vfiocxl_topo_window *rw = &t->rwins[j];
		uint64_t cursor = rw->base;
		unsigned int cnt = 0, hbdec = 0;
		const char *prev_dev;
		int h;

		for (unsigned int i = 0; i < t->npl; i++)
			if (!t->pl[i].error && t->pl[i].window == (int)j)
				order[cnt++] = i;
		if (!cnt)
			continue;
		sort_slots(t, order, cnt);
		h = -1;
		for (unsigned int x = 0; x < t->nhbs; x++)
			if (!strcmp(t->hbs[x].id, t->wins[j].targets[0]))
				h = (int)x;
		for (k = 0; k < cnt; k++) {
			struct vfiocxl_topo_placement *pl = &t->pl[order[k]];
			uint64_t sz = align_up(pl->dpa_size, VFIOCXL_TOPO_ALIGN);

			/*
			 * Every device placed before in this window, not only
			 * the previous one: sort_slots() orders by port number,
			 * which two root ports may share.
			 */
			prev_dev = NULL;
			for (unsigned int m = 0; m < k && !prev_dev; m++)
				if (!t->pl[order[m]].error &&
				    !strcmp(t->pl[order[m]].root_port, pl->root_port))
					prev_dev = t->pl[order[m]].device;
			if (prev_dev) {
				refuse(t, order[k], -EBUSY, "root port %s already leads to %s",
				       pl->root_port, prev_dev);
				continue;
			}
			if (cursor + sz > rw->base + rw->size) {
				refuse(t, order[k], -ENOSPC,
				       "window cxl-fmw.%u has 0x%llx bytes left, the device needs 0x%llx",
				       j, (unsigned long long)(rw->base + rw->size - cursor),
				       (unsigned long long)sz);
				continue;
			}
			/*
			 * One root port under a host bridge without hdm_for_passthrough:
			 * QEMU routes the window to the port, no HB decoder. Otherwise
			 * the HB decoder routes this range to the device's root port.
			 */
			if (h >= 0 && (t->hbs[h].root_ports > 1 || t->hbs[h].hdm_for_passthrough)) {
				if (hbdec >= VFIOCXL_TOPO_HB_DECODERS) {
					refuse(t, order[k], -ENOSPC,
					       "host bridge %s has only %u HDM decoders",
					       t->hbs[h].id, VFIOCXL_TOPO_HB_DECODERS);
					continue;
				}
				pl->hb = (struct vfiocxl_topo_hb_decoder){
					.used = true, .index = hbdec++, .base = cursor, .size = sz,
					.target = pl->port, .lock = true,
				};
			}
			pl->base = cursor;
			pl->size = sz;
			cursor += sz;
			rw->restrictions |= pl->mem == VFIOCXL_TOPO_TYPE2 ?
				VFIOCXL_CFMWS_RESTRICT_DEVMEM | VFIOCXL_CFMWS_RESTRICT_FIXED :
				VFIOCXL_CFMWS_RESTRICT_HOSTONLY | VFIOCXL_CFMWS_RESTRICT_PMEM;
		}
	}
	for (unsigned int j = 0; j < t->nwins; j++) {
		/*
		 * Restrictions: a window that carries Type-2 memory is device
		 * coherent and fixed (we lock its decoders); Type-3 windows are
		 * host-only coherent, volatile or persistent. A window nobody uses
		 * keeps QEMU's value (Type 2 and 3, volatile and persistent).
		 */
		if (!t->rwins[j].restrictions)
			t->rwins[j].restrictions = VFIOCXL_CFMWS_RESTRICT_DEVMEM |
				VFIOCXL_CFMWS_RESTRICT_HOSTONLY | VFIOCXL_CFMWS_RESTRICT_PMEM;
		t->rwins[j].restrictions |= VFIOCXL_CFMWS_RESTRICT_VOLATILE;
	}
	free(order);
	for (unsigned int i = 0; i < t->npl; i++)
		if (t->pl[i].error)
			refused++;
	if (refused) {
		const struct vfiocxl_topo_placement *first = NULL;

		for (unsigned int i = 0; i < t->npl && !first; i++)
			if (t->pl[i].error)
				first = &t->pl[i];
		return topo_err(t, -ENXIO, "%d of %u CXL devices refused; %s%s%s", refused, t->npl,
				first->reason, t->machine_err[0] ? "; " : "", t->machine_err);
	}
	if (t->machine_err[0])
		return topo_err(t, -EINVAL, "%s", t->machine_err);
	return 0;
}

int vfiocxl_topo_machine_ready(struct vfiocxl_topo *t, const struct vfiocxl_topo_ops *ops,
			       void *priv)
{
	int rc;

	if (t->ready)
		return topo_err(t, -EALREADY, "the machine is already ready");
	t->err[0] = '\0';
	rc = plan(t);
	t->ready = true;
	if (rc || !ops)
		return rc;
	/* host-bridge decoders first, in decoder order, then the endpoints */
	for (unsigned int h = 0; h < t->nhbs; h++)
		for (unsigned int d = 0; d < VFIOCXL_TOPO_HB_DECODERS; d++)
			for (unsigned int i = 0; i < t->npl; i++) {
				const struct vfiocxl_topo_placement *pl = &t->pl[i];

				if (!pl->hb.used || pl->hb.index != d ||
				    strcmp(pl->host_bridge, t->hbs[h].id) || !ops->program_hb)
					continue;
				rc = ops->program_hb(priv, pl->host_bridge, d, pl->hb.base,
						     pl->hb.size, pl->hb.target, pl->hb.lock);
				if (rc)
					return topo_err(t, rc, "%s: programming host bridge %s decoder %u failed",
							pl->device, pl->host_bridge, d);
			}
	for (unsigned int i = 0; i < t->npl && ops->program_ep; i++) {
		const struct vfiocxl_topo_placement *pl = &t->pl[i];

		rc = ops->program_ep(priv, pl->device, pl->base, pl->size, true);
		if (rc)
			return topo_err(t, rc, "%s: programming endpoint decoder 0 failed", pl->device);
	}
	return 0;
}
