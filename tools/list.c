// SPDX-License-Identifier: MIT
/* vfio-cxl list: every PCI function with a CXL Device DVSEC, from sysfs. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cxlemu.h"
#include "vfio-cxl.h"

struct list_state {
	struct jnode *arr;
	unsigned int unreadable;
	const char *only;	/* -d DEV filter */
	int count;
};

void pci_cxl_json(struct jnode *o, const struct pci_cxl *p)
{
	char buf[16];

	j_str(o, "dev", p->addr);
	snprintf(buf, sizeof(buf), "%#06x", p->vendor);
	j_str(o, "vendor_id", buf);
	snprintf(buf, sizeof(buf), "%#06x", p->device);
	j_str(o, "device_id", buf);
	if (p->type)
		j_u64(o, "type", p->type);
	j_bool(o, "cache_capable", p->dvsec_cap & CXL_DVSEC_CAP_CACHE);
	j_bool(o, "mem_capable", p->dvsec_cap & CXL_DVSEC_CAP_MEM);
	if (p->driver[0])
		j_str(o, "driver", p->driver);
	if (p->override[0])
		j_str(o, "driver_override", p->override);
	if (p->group >= 0)
		j_u64(o, "iommu_group", p->group);
	j_size(o, "dpa_size", p->dpa_size);
	j_u64(o, "hdm_count", p->hdm_count);
	j_bool(o, "memory_active", p->mem_active);
	if (p->has_comp) {
		j_u64(o, "component_bar", p->comp_bar);
		j_hex(o, "component_offset", p->comp_off);
	}
	if (p->decoder0_committed >= 0)
		j_bool(o, "decoder_committed", p->decoder0_committed);
	if (p->group_viable >= 0)
		j_bool(o, "iommu_group_viable", p->group_viable);
}

/* list only: the one-glance verdict (info and the others open the device) */
static void ready_json(struct jnode *o, const struct pci_cxl *p)
{
	char why[512];
	bool ready = pci_cxl_ready(p, why, sizeof(why));

	j_bool(o, "vm_ready", ready);
	if (!ready)
		j_str(o, "not_ready", why);
}

static int list_one(const char *addr, void *arg)
{
	struct list_state *s = arg;
	struct jnode *o;
	struct pci_cxl p;

	if (s->only && strcmp(addr, s->only))
		return 0;
	if (pci_cxl_read(addr, &p))
		return 0;
	if (!p.ext_cfg) {
		s->unreadable++;
		return 0;
	}
	if (!p.cxl)
		return 0;
	o = j_add(s->arr, NULL, j_obj());
	pci_cxl_json(o, &p);
	ready_json(o, &p);
	s->count++;
	return 0;
}

int cmd_list(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "human", no_argument, NULL, 'u' },
		{ "table", no_argument, NULL, 't' },
		{ "dev", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct list_state s = { 0 };
	char addr[16];
	int c, rc;

	while ((c = getopt_long(argc, argv, "utd:hvq", lo, NULL)) != -1) {
		switch (c) {
		case 'u': opts.human = true; break;
		case 't': opts.table = true; break;
		case 'v': opts.verbose = true; break;
		case 'q': opts.quiet = true; break;
		case 'd':
			if (pci_addr_parse(optarg, addr, sizeof(addr)))
				return fail(EXIT_USAGE, optarg, "not a PCI address (expected DDDD:BB:DD.F)");
			s.only = addr;
			break;
		case 'h':
			printf("usage: vfio-cxl list [-u] [--table] [-d DEV]\n");
			return EXIT_OK;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc)
		return fail(EXIT_USAGE, NULL, "unexpected argument '%s'", argv[optind]);
	s.arr = j_arr();
	rc = pci_foreach(list_one, &s, NULL);
	if (rc) {
		j_free(s.arr);
		return fail(EXIT_FAIL, NULL, "cannot read %s/bus/pci/devices: %s", sysfs_root(),
			    strerror(-rc));
	}
	if (s.unreadable && !opts.quiet)
		fprintf(stderr, "%s: list: extended configuration space of %u devices not readable%s\n",
			prog, s.unreadable, geteuid() ? " (run as root)" : "");
	if (s.only && !s.count) {
		j_free(s.arr);
		if (pci_cxl_read(s.only, &(struct pci_cxl){ 0 }) == -ENODEV)
			return fail(EXIT_NODEV, s.only, "no such PCI device");
		return fail(EXIT_NOTCXL, s.only, "not a CXL device (no CXL Device DVSEC)");
	}
	/* nothing at all when nothing matches, as `cxl list` */
	if (s.count)
		j_output(s.arr);
	j_free(s.arr);
	return EXIT_OK;
}
