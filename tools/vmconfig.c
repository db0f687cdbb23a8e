// SPDX-License-Identifier: MIT
/*
 * vfio-cxl vm-config: the guest CXL topology a VM needs for the devices bound
 * to vfio-pci-cxl (or the ones named): per host bridge one pxb-cxl and one
 * CXL fixed memory window (cxl-fmw) sized for its devices' memory, per
 * device one cxl-rp root port and the vfio-pci device below it; bus
 * numbers, chassis/slot pairs and ids that collide neither with each other
 * nor with an existing command line given after "--" (which is then
 * extended). Written as QEMU options (one option and its value per line),
 * as a libvirt <qemu:commandline> fragment, or as JSON. Before anything is
 * printed the result is planned in-process, as `vfio-cxl plan` would plan
 * it: a configuration the planner refuses is never written.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vfio-cxl.h"
#ifdef VFIO_CXL_HAVE_TOPO
#include "vfiocxl-topo.h"
#endif

#define VMC_MAX_DEVS	64
#define VMC_HB_PORTS	4		/* pxb-cxl: four HDM decoders, one per device */
#define VMC_ALIGN	(256ULL << 20)	/* HDM decoder granule; QEMU's window alignment */
#define VMC_BUS_STEP	8		/* bus numbers a pxb-cxl is given room for */
#define VMC_MAX_ARGS	4096

enum vmc_format { VMC_QEMU, VMC_LIBVIRT, VMC_JSON };

struct vmc_dev {
	char addr[16];
	uint64_t dpa_size;
	char id[32], rp[32];
	unsigned int hb, port, chassis, slot;
};

struct vmc_hb {
	char id[32];
	unsigned int bus_nr, window, ndevs;
	uint64_t window_size;
};

/* What an existing command line already uses. */
struct vmc_existing {
	int argc;
	char **argv;
	char **ids;
	unsigned int nids;
	unsigned int bus_nrs[256], nbus;
	unsigned int pairs[512][2], npairs;	/* chassis, slot */
	unsigned int nwindows, nbridges;
	int fmw_arg;		/* index of the -machine value holding cxl-fmw, or -1 */
	bool has_machine, cxl_on;
	char machine_type[64];
};

struct vmc {
	enum vmc_format format;
	unsigned int per_hb, first_bus;
	bool hb_decoders;	/* every pxb-cxl gets hdm_for_passthrough=on */
	const char *driver;
	uint64_t min_window;
	struct vmc_dev devs[VMC_MAX_DEVS];
	unsigned int ndevs;
	struct vmc_hb hbs[VMC_MAX_DEVS];
	unsigned int nhbs;
	struct { char addr[16]; uint64_t size; } dpa[VMC_MAX_DEVS];
	unsigned int ndpa;
	struct vmc_existing ex;
	/* the generated options, in order (argv style, malloc'd) */
	char *out[VMC_MAX_ARGS];
	unsigned int nout;
	int machine_out;	/* index in out[] of our -machine value, or -1 */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vfio-cxl vm-config [DEV...] [--qemu | --libvirt | --json] [-u]\n"
		"                          [--per-host-bridge N] [--host-bridge-decoders]\n"
		"                          [--driver vfio-pci|vfio-pci-nohotplug]\n"
		"                          [--window-size SIZE] [--first-bus N] [--dpa-size DEV=SIZE]...\n"
		"                          [-- EXISTING-QEMU-ARGS]\n"
		"Without DEV: every CXL device bound to " VFIO_CXL_DRIVER ". After --: a command\n"
		"line to extend (printed whole, with the CXL topology added).\n");
}

/* ---- output buffer --------------------------------------------------------- */

static int emit(struct vmc *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int emit(struct vmc *v, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (v->nout >= VMC_MAX_ARGS)
		return -E2BIG;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s)
		return -ENOMEM;
	v->out[v->nout++] = s;
	return 0;
}

/* QEMU's size syntax, the largest exact unit: 256M, 4G. */
static void qemu_size(char *buf, size_t n, uint64_t v)
{
	if (v && !(v % (1ULL << 40)))
		snprintf(buf, n, "%" PRIu64 "T", v >> 40);
	else if (v && !(v % (1ULL << 30)))
		snprintf(buf, n, "%" PRIu64 "G", v >> 30);
	else
		snprintf(buf, n, "%" PRIu64 "M", v >> 20);
}

/* ---- the existing command line --------------------------------------------- */

/* The value of KEY in a QEMU key=value,... option, or NULL (malloc'd). */
static char *kv_get(const char *val, const char *key)
{
	size_t kl = strlen(key);
	const char *p = val;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > kl && !strncmp(p, key, kl) && p[kl] == '=')
			return strndup(p + kl + 1, len - kl - 1);
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

static bool kv_first_is(const char *val, const char *prefix)
{
	size_t l = strlen(prefix);

	return !strncmp(val, prefix, l) && (val[l] == ',' || val[l] == '\0');
}

static bool id_used(const struct vmc *v, const char *id)
{
	for (unsigned int i = 0; i < v->ex.nids; i++)
		if (!strcmp(v->ex.ids[i], id))
			return true;
	return false;
}

static int add_id(struct vmc *v, const char *id)
{
	char **n = realloc(v->ex.ids, (v->ex.nids + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	v->ex.ids = n;
	n[v->ex.nids] = strdup(id);
	if (!n[v->ex.nids])
		return -ENOMEM;
	v->ex.nids++;
	return 0;
}

static bool is_machine_opt(const char *a)
{
	return !strcmp(a, "-M") || !strcmp(a, "-machine") || !strcmp(a, "--machine");
}

static bool is_device_opt(const char *a)
{
	return !strcmp(a, "-device") || !strcmp(a, "--device");
}

static int scan_machine(struct vmc *v, int i, const char *val)
{
	const char *p = val;
	size_t first = strcspn(val, ",");
	char *type, *cxl;

	v->ex.has_machine = true;
	/* type=NAME, or a first item without '=' (QEMU's implied key) */
	type = kv_get(val, "type");
	if (!type && first && !memchr(val, '=', first))
		type = strndup(val, first);
	if (type)
		snprintf(v->ex.machine_type, sizeof(v->ex.machine_type), "%s", type);
	free(type);
	cxl = kv_get(val, "cxl");
	if (cxl && (!strcmp(cxl, "on") || !strcmp(cxl, "true") || !strcmp(cxl, "yes")))
		v->ex.cxl_on = true;
	free(cxl);
	/* cxl-fmw.N.*: windows already there */
	while ((p = strstr(p, "cxl-fmw."))) {
		unsigned int n;

		if ((p == val || p[-1] == ',') && sscanf(p, "cxl-fmw.%u.", &n) == 1) {
			if (n + 1 > v->ex.nwindows)
				v->ex.nwindows = n + 1;
			v->ex.fmw_arg = i;
		}
		p += 8;
	}
	return 0;
}

static int scan_existing(struct vmc *v)
{
	struct vmc_existing *e = &v->ex;
	int rc;

	e->fmw_arg = -1;
	for (int i = 0; i < e->argc; i++) {
		const char *a = e->argv[i], *val = i + 1 < e->argc ? e->argv[i + 1] : NULL;
		char *id, *x;

		if (a[0] != '-' || !val)
			continue;
		if (is_machine_opt(a)) {
			scan_machine(v, i + 1, val);
			i++;
			continue;
		}
		/* every id= in any option's value is taken */
		id = kv_get(val, "id");
		if (id) {
			rc = add_id(v, id);
			free(id);
			if (rc)
				return rc;
		}
		if (!is_device_opt(a)) {
			i++;
			continue;
		}
		if (kv_first_is(val, "pxb-cxl") || kv_first_is(val, "pxb-pcie") || kv_first_is(val, "pxb")) {
			x = kv_get(val, "bus_nr");
			if (x && e->nbus < 256)
				e->bus_nrs[e->nbus++] = (unsigned int)strtoul(x, NULL, 0);
			free(x);
		}
		if (kv_first_is(val, "pcie-root-port") || kv_first_is(val, "ioh3420") ||
		    kv_first_is(val, "cxl-rp") || kv_first_is(val, "pci-bridge") ||
		    kv_first_is(val, "pcie-pci-bridge") || kv_first_is(val, "x3130-upstream") ||
		    kv_first_is(val, "xio3130-downstream") || kv_first_is(val, "cxl-upstream") ||
		    kv_first_is(val, "cxl-downstream"))
			e->nbridges++;
		x = kv_get(val, "chassis");
		if (x || (id = kv_get(val, "slot"))) {
			char *s = x ? kv_get(val, "slot") : id;

			if (e->npairs < 512) {
				e->pairs[e->npairs][0] = x ? (unsigned int)strtoul(x, NULL, 0) : 0;
				e->pairs[e->npairs][1] = s ? (unsigned int)strtoul(s, NULL, 0) : 0;
				e->npairs++;
			}
			free(s);
		}
		free(x);
		i++;
	}
	return 0;
}

static bool pair_used(const struct vmc *v, unsigned int chassis, unsigned int slot)
{
	for (unsigned int i = 0; i < v->ex.npairs; i++)
		if (v->ex.pairs[i][0] == chassis && v->ex.pairs[i][1] == slot)
			return true;
	for (unsigned int i = 0; i < v->ndevs; i++)
		if (v->devs[i].rp[0] && v->devs[i].chassis == chassis && v->devs[i].slot == slot)
			return true;
	return false;
}

static bool bus_free(const struct vmc *v, unsigned int b)
{
	for (unsigned int i = 0; i < v->ex.nbus; i++)
		if (b + VMC_BUS_STEP > v->ex.bus_nrs[i] && b < v->ex.bus_nrs[i] + VMC_BUS_STEP)
			return false;
	for (unsigned int i = 0; i < v->nhbs; i++)
		if (v->hbs[i].bus_nr && b + VMC_BUS_STEP > v->hbs[i].bus_nr &&
		    b < v->hbs[i].bus_nr + VMC_BUS_STEP)
			return false;
	return true;
}

/* The first "<prefix><n>" (n >= @from) no existing option and none of ours uses. */
static void free_id(struct vmc *v, char *out, size_t len, const char *prefix, unsigned int from)
{
	char cand[32];

	for (unsigned int n = from;; n++) {
		bool taken = false;

		snprintf(cand, sizeof(cand), "%s%u", prefix, n);
		if (id_used(v, cand))
			continue;
		for (unsigned int i = 0; i < v->nhbs && !taken; i++)
			taken = !strcmp(v->hbs[i].id, cand);
		for (unsigned int i = 0; i < v->ndevs && !taken; i++)
			taken = !strcmp(v->devs[i].id, cand) || !strcmp(v->devs[i].rp, cand);
		if (!taken)
			break;
	}
	snprintf(out, len, "%s", cand);
}

/* ---- devices ------------------------------------------------------------------ */

static int add_device(struct vmc *v, const struct pci_cxl *p)
{
	struct vmc_dev *d;

	for (unsigned int i = 0; i < v->ndevs; i++)
		if (!strcmp(v->devs[i].addr, p->addr))
			return fail(EXIT_USAGE, p->addr, "named twice");
	if (v->ndevs == VMC_MAX_DEVS)
		return fail(EXIT_USAGE, p->addr, "more than %d devices", VMC_MAX_DEVS);
	d = &v->devs[v->ndevs++];
	memset(d, 0, sizeof(*d));
	snprintf(d->addr, sizeof(d->addr), "%s", p->addr);
	d->dpa_size = p->dpa_size;
	for (unsigned int i = 0; i < v->ndpa; i++)
		if (!strcmp(v->dpa[i].addr, p->addr))
			d->dpa_size = v->dpa[i].size;
	if (!d->dpa_size) {
		if (!p->ext_cfg)
			return fail(EXIT_FAIL, p->addr,
				    "device memory size unknown: extended configuration space not readable (run as root, or give --dpa-size %s=SIZE)",
				    p->addr);
		return fail(EXIT_FAIL, p->addr,
			    "device memory size unknown: no valid range in its CXL Device DVSEC (give --dpa-size %s=SIZE)",
			    p->addr);
	}
	return 0;
}

static int bound_one(const char *addr, void *arg)
{
	struct vmc *v = arg;
	struct pci_cxl p;
	int rc;

	/* the driver binds CXL devices only; without root the DVSEC is unread */
	if (pci_cxl_read(addr, &p) || strcmp(p.driver, VFIO_CXL_DRIVER) || (p.ext_cfg && !p.cxl))
		return 0;
	rc = add_device(v, &p);
	return rc ? -rc - 1000 : 0;	/* keep the exit code through pci_foreach */
}

static int named_one(struct vmc *v, const char *arg)
{
	char addr[16];
	struct pci_cxl p;
	int rc;

	if (pci_addr_parse(arg, addr, sizeof(addr)))
		return fail(EXIT_USAGE, arg, "not a PCI address (expected DDDD:BB:DD.F)");
	rc = pci_cxl_read(addr, &p);
	if (rc == -ENODEV)
		return fail(EXIT_NODEV, addr, "no such PCI device");
	if (rc)
		return fail(EXIT_FAIL, addr, "cannot read configuration space: %s", strerror(-rc));
	if (p.ext_cfg && !p.cxl)
		return fail(EXIT_NOTCXL, addr, "not a CXL device (no CXL Device DVSEC)");
	if (strncmp(p.driver, "vfio", 4) && !opts.quiet)
		fprintf(stderr, "%s: vm-config: %s: %s; QEMU can open it only once it is bound ('vfio-cxl bind %s')\n",
			prog, addr, p.driver[0] ? "bound to a driver that is not VFIO" : "not bound to a driver", addr);
	return add_device(v, &p);
}

/* ---- layout ------------------------------------------------------------------ */

static int layout(struct vmc *v)
{
	unsigned int bus = v->first_bus, fmw = v->ex.nwindows;

	if (v->ex.nbridges + 2 > bus)
		bus = v->ex.nbridges + 2;
	for (unsigned int i = 0; i < v->ndevs; i++) {
		struct vmc_dev *d = &v->devs[i];
		struct vmc_hb *h;

		if (i % v->per_hb == 0) {
			h = &v->hbs[v->nhbs];
			memset(h, 0, sizeof(*h));
			while (!bus_free(v, bus))
				bus++;
			if (bus + VMC_BUS_STEP > 256)
				return fail(EXIT_FAIL, d->addr,
					    "no bus number left for a host bridge (%u host bridges from bus %u)",
					    v->nhbs + 1, v->first_bus);
			free_id(v, h->id, sizeof(h->id), "cxl.", 1);
			h->bus_nr = bus;
			h->window = fmw++;
			v->nhbs++;
		}
		h = &v->hbs[v->nhbs - 1];
		d->hb = v->nhbs - 1;
		d->port = h->ndevs++;
		h->window_size += (d->dpa_size + VMC_ALIGN - 1) / VMC_ALIGN * VMC_ALIGN;
		/* chassis: the host bridge's bus number (unique); slot: the port */
		d->chassis = h->bus_nr;
		d->slot = d->port;
		while (pair_used(v, d->chassis, d->slot))
			d->slot++;
		free_id(v, d->rp, sizeof(d->rp), "cxl-rp", 0);
		free_id(v, d->id, sizeof(d->id), "cxl-dev", 0);
	}
	for (unsigned int i = 0; i < v->nhbs; i++)
		if (v->hbs[i].window_size < v->min_window)
			v->hbs[i].window_size = v->min_window;
	return 0;
}

/*
 * The generated options, in v->out. Extending: the existing command line
 * with our windows added to its -machine value that has cxl-fmw keys (QEMU
 * merges -machine options, but a second cxl-fmw list is an error), else one
 * -machine more. @libvirt: no machine type (the domain's <os> names it).
 */
static int generate(struct vmc *v, bool libvirt)
{
	char *m = NULL, *n, size[32];
	int rc = 0;
	bool extend = v->ex.argc > 0;

	v->machine_out = -1;
	/* the windows, as -machine keys */
	for (unsigned int i = 0; i < v->nhbs; i++) {
		qemu_size(size, sizeof(size), v->hbs[i].window_size);
		if (asprintf(&n, "%s%scxl-fmw.%u.targets.0=%s,cxl-fmw.%u.size=%s", m ? m : "",
			     m ? "," : "", v->hbs[i].window, v->hbs[i].id, v->hbs[i].window, size) < 0)
			n = NULL;
		free(m);
		m = n;
		if (!m)
			return -ENOMEM;
	}
	if (extend) {
		for (int i = 0; i < v->ex.argc && !rc; i++) {
			if (i == v->ex.fmw_arg) {
				rc = emit(v, "%s,%s%s", v->ex.argv[i], m, v->ex.cxl_on ? "" : ",cxl=on");
				v->machine_out = (int)v->nout - 1;
			} else {
				rc = emit(v, "%s", v->ex.argv[i]);
			}
		}
		if (!rc && v->ex.fmw_arg < 0) {
			rc = emit(v, "-machine");
			if (!rc)
				rc = emit(v, "%s%scxl=on,%s", v->ex.machine_type[0] ? "" : "q35",
					  v->ex.machine_type[0] ? "" : ",", m);
			v->machine_out = (int)v->nout - 1;
		}
	} else {
		rc = emit(v, "-machine");
		if (!rc)
			rc = emit(v, "%scxl=on,%s", libvirt ? "" : "q35,", m);
		v->machine_out = (int)v->nout - 1;
	}
	free(m);
	for (unsigned int i = 0; i < v->nhbs && !rc; i++) {
		rc = emit(v, "-device");
		if (!rc)
			rc = emit(v, "pxb-cxl,bus_nr=%u,bus=pcie.0,id=%s%s", v->hbs[i].bus_nr, v->hbs[i].id,
				  v->hb_decoders ? ",hdm_for_passthrough=on" : "");
	}
	for (unsigned int i = 0; i < v->ndevs && !rc; i++) {
		const struct vmc_dev *d = &v->devs[i];

		rc = emit(v, "-device");
		if (!rc)
			rc = emit(v, "cxl-rp,port=%u,bus=%s,id=%s,chassis=%u,slot=%u", d->port,
				  v->hbs[d->hb].id, d->rp, d->chassis, d->slot);
		if (!rc)
			rc = emit(v, "-device");
		if (!rc)
			rc = emit(v, "%s,host=%s,bus=%s,id=%s", v->driver, d->addr, d->rp, d->id);
	}
	return rc;
}

#ifdef VFIO_CXL_HAVE_TOPO
/* Plan the result as `vfio-cxl plan` does; every device of ours must be placed. */
static int self_check(struct vmc *v)
{
	struct vfiocxl_topo *t = vfiocxl_topo_new();
	const struct vfiocxl_topo_placement *p;
	char **argv = calloc(v->nout + 2, sizeof(*argv));
	unsigned int argc = 0, i, placed = 0;
	int rc, ret = 0;

	if (!t || !argv) {
		vfiocxl_topo_free(t);
		free(argv);
		return fail(EXIT_FAIL, NULL, "out of memory");
	}
	/* the libvirt fragment leaves the machine type to the domain: q35 */
	if (v->format == VMC_LIBVIRT) {
		argv[argc++] = "-machine";
		argv[argc++] = "q35";
	}
	for (i = 0; i < v->nout; i++)
		argv[argc++] = v->out[i];
	/* a program name in front of an extended command line is no option */
	rc = vfiocxl_topo_parse_args(t, (int)argc - (argv[0][0] != '-'), argv + (argv[0][0] != '-'));
	for (i = 0; !rc && i < v->ndevs; i++)
		rc = vfiocxl_topo_set_dpa_size(t, v->devs[i].id, v->devs[i].dpa_size);
	if (rc) {
		ret = fail(EXIT_FAIL, NULL, "the generated options do not parse: %s", vfiocxl_topo_strerror(t));
		goto out;
	}
	rc = vfiocxl_topo_machine_ready(t, NULL, NULL);
	vfiocxl_topo_placement_foreach(t, i, p) {
		bool ours = false;

		for (unsigned int k = 0; k < v->ndevs; k++)
			ours |= !strcmp(p->device, v->devs[k].id);
		if (!p->error) {
			placed += ours;
			continue;
		}
		if (ours) {
			ret = fail(EXIT_FAIL, NULL, "the planner refuses the result: %s", p->reason);
			goto out;
		}
		if (!opts.quiet)
			fprintf(stderr, "%s: vm-config: note: the existing command line's %s\n", prog, p->reason);
	}
	if (rc && rc != -ENXIO)
		ret = fail(EXIT_FAIL, NULL, "the planner refuses the machine: %s", vfiocxl_topo_strerror(t));
	else if (placed != v->ndevs)
		ret = fail(EXIT_FAIL, NULL, "the planner placed %u of the %u devices", placed, v->ndevs);
out:
	free(argv);
	vfiocxl_topo_free(t);
	return ret;
}
#endif

/* ---- printing ----------------------------------------------------------------- */

static bool shell_plain(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "-_.,=:/@%+", *s))
			return false;
	return true;
}

static void print_word(const char *s)
{
	if (shell_plain(s)) {
		fputs(s, stdout);
		return;
	}
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

/* one option and its value per line (what the .l2 files and $(...) take) */
static void print_qemu(const struct vmc *v)
{
	for (unsigned int i = 0; i < v->nout; i++) {
		bool opt = v->out[i][0] == '-' && v->out[i][1];
		bool next_val = opt && i + 1 < v->nout && v->out[i + 1][0] != '-';

		print_word(v->out[i]);
		if (next_val) {
			putchar(' ');
			print_word(v->out[++i]);
		}
		putchar('\n');
	}
}

static void xml_attr(const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", stdout); break;
		case '<': fputs("&lt;", stdout); break;
		case '>': fputs("&gt;", stdout); break;
		case '\'': fputs("&apos;", stdout); break;
		case '"': fputs("&quot;", stdout); break;
		default: putchar(*s);
		}
	}
}

static void print_libvirt(const struct vmc *v)
{
	printf("<!-- vfio-cxl vm-config: %u CXL device(s) behind %u host bridge(s). Inside <domain>,\n"
	       "     whose machine is q35 and whose start tag declares\n"
	       "     xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'. QEMU opens the\n"
	       "     devices itself: it needs access to their /dev/vfio groups. -->\n",
	       v->ndevs, v->nhbs);
	printf("<qemu:commandline xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n");
	for (unsigned int i = 0; i < v->nout; i++) {
		printf("  <qemu:arg value='");
		xml_attr(v->out[i]);
		printf("'/>\n");
	}
	printf("</qemu:commandline>\n");
}

static void print_json(const struct vmc *v)
{
	struct jnode *root = j_obj(), *a, *o;

	j_u64(root, "devices_count", v->ndevs);
	j_u64(root, "host_bridges_count", v->nhbs);
	a = j_add(root, "host_bridges", j_arr());
	for (unsigned int i = 0; i < v->nhbs; i++) {
		o = j_add(a, NULL, j_obj());
		j_str(o, "host_bridge", v->hbs[i].id);
		j_u64(o, "bus_nr", v->hbs[i].bus_nr);
		j_u64(o, "window", v->hbs[i].window);
		j_size(o, "window_size", v->hbs[i].window_size);
		j_u64(o, "root_ports", v->hbs[i].ndevs);
		j_bool(o, "hdm_decoders", v->hb_decoders || v->hbs[i].ndevs > 1);
	}
	a = j_add(root, "devices", j_arr());
	for (unsigned int i = 0; i < v->ndevs; i++) {
		const struct vmc_dev *d = &v->devs[i];

		o = j_add(a, NULL, j_obj());
		j_str(o, "dev", d->addr);
		j_str(o, "id", d->id);
		j_str(o, "driver", v->driver);
		j_size(o, "dpa_size", d->dpa_size);
		j_str(o, "host_bridge", v->hbs[d->hb].id);
		j_str(o, "root_port", d->rp);
		j_u64(o, "port", d->port);
		j_u64(o, "chassis", d->chassis);
		j_u64(o, "slot", d->slot);
		j_u64(o, "window", v->hbs[d->hb].window);
	}
	a = j_add(root, "qemu_args", j_arr());
	for (unsigned int i = 0; i < v->nout; i++)
		j_str(a, NULL, v->out[i]);
	j_print(stdout, root, opts.human);
	j_free(root);
}

/* ---- the command ------------------------------------------------------------ */

static int opt_dpa(struct vmc *v, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char addr[16], dev[32];

	if (!eq || (size_t)(eq - arg) >= sizeof(dev))
		return fail(EXIT_USAGE, NULL, "--dpa-size wants DEV=SIZE, not '%s'", arg);
	snprintf(dev, sizeof(dev), "%.*s", (int)(eq - arg), arg);
	if (pci_addr_parse(dev, addr, sizeof(addr)))
		return fail(EXIT_USAGE, dev, "--dpa-size: not a PCI address (expected DDDD:BB:DD.F)");
	if (v->ndpa == VMC_MAX_DEVS)
		return fail(EXIT_USAGE, NULL, "--dpa-size given more than %d times", VMC_MAX_DEVS);
	if (parse_u64(eq + 1, &v->dpa[v->ndpa].size) || !v->dpa[v->ndpa].size)
		return fail(EXIT_USAGE, addr, "--dpa-size: bad size '%s'", eq + 1);
	snprintf(v->dpa[v->ndpa].addr, sizeof(v->dpa[v->ndpa].addr), "%s", addr);
	v->ndpa++;
	return 0;
}

int cmd_vm_config(int argc, char **argv)
{
	struct vmc *v = calloc(1, sizeof(*v));
	const char *names[VMC_MAX_DEVS];
	unsigned int nnames = 0;
	int i, rc = EXIT_USAGE;
	uint64_t x;

	if (!v)
		return fail(EXIT_FAIL, NULL, "out of memory");
	v->per_hb = 1;
	v->first_bus = 12;
	v->driver = "vfio-pci-nohotplug";
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--")) {
			v->ex.argc = argc - i - 1;
			v->ex.argv = argv + i + 1;
			if (!v->ex.argc) {
				fail(EXIT_USAGE, NULL, "no QEMU arguments after --");
				goto out;
			}
			break;
		} else if (!strcmp(a, "--qemu")) {
			v->format = VMC_QEMU;
		} else if (!strcmp(a, "--libvirt")) {
			v->format = VMC_LIBVIRT;
		} else if (!strcmp(a, "--json") || !strcmp(a, "-j")) {
			v->format = VMC_JSON;
		} else if (!strcmp(a, "-u") || !strcmp(a, "--human")) {
			opts.human = true;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			opts.quiet = true;
		} else if (!strcmp(a, "-v")) {
			opts.verbose = true;
		} else if (!strcmp(a, "--host-bridge-decoders")) {
			v->hb_decoders = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			rc = EXIT_OK;
			goto out;
		} else if (!strcmp(a, "--per-host-bridge") || !strcmp(a, "--driver") ||
			   !strcmp(a, "--window-size") || !strcmp(a, "--dpa-size") ||
			   !strcmp(a, "--first-bus")) {
			if (!val) {
				fail(EXIT_USAGE, NULL, "%s needs a value", a);
				goto out;
			}
			i++;
			if (!strcmp(a, "--per-host-bridge")) {
				if (parse_u64(val, &x) || x < 1 || x > VMC_HB_PORTS) {
					fail(EXIT_USAGE, NULL,
					     "--per-host-bridge: '%s' is not 1 to %d (a pxb-cxl has %d HDM decoders, one per device)",
					     val, VMC_HB_PORTS, VMC_HB_PORTS);
					goto out;
				}
				v->per_hb = (unsigned int)x;
			} else if (!strcmp(a, "--driver")) {
				if (strcmp(val, "vfio-pci") && strcmp(val, "vfio-pci-nohotplug")) {
					fail(EXIT_USAGE, NULL, "--driver: '%s' is not vfio-pci or vfio-pci-nohotplug", val);
					goto out;
				}
				v->driver = val;
			} else if (!strcmp(a, "--window-size")) {
				if (parse_u64(val, &x) || !x || x % VMC_ALIGN) {
					fail(EXIT_USAGE, NULL, "--window-size: '%s' is not a multiple of 256M", val);
					goto out;
				}
				v->min_window = x;
			} else if (!strcmp(a, "--first-bus")) {
				if (parse_u64(val, &x) || x < 1 || x > 255 - VMC_BUS_STEP) {
					fail(EXIT_USAGE, NULL, "--first-bus: '%s' is not 1 to %d", val, 255 - VMC_BUS_STEP);
					goto out;
				}
				v->first_bus = (unsigned int)x;
			} else if (opt_dpa(v, val)) {
				goto out;
			}
		} else if (a[0] == '-') {
			fail(EXIT_USAGE, NULL, "unknown option '%s' (see vfio-cxl vm-config --help)", a);
			goto out;
		} else if (nnames == VMC_MAX_DEVS) {
			fail(EXIT_USAGE, NULL, "more than %d devices", VMC_MAX_DEVS);
			goto out;
		} else {
			names[nnames++] = a;
		}
	}
	if (v->ex.argc && v->format == VMC_LIBVIRT) {
		fail(EXIT_USAGE, NULL, "--libvirt writes a fragment for a domain; it extends no command line");
		goto out;
	}
	if (v->ex.argc && scan_existing(v)) {
		rc = fail(EXIT_FAIL, NULL, "out of memory");
		goto out;
	}
	if (v->ex.machine_type[0] && strcmp(v->ex.machine_type, "q35") &&
	    strncmp(v->ex.machine_type, "pc-q35-", 7)) {
		rc = fail(EXIT_USAGE, NULL, "machine type '%s' has no CXL host bridges (q35 needed)",
			  v->ex.machine_type);
		goto out;
	}
	for (unsigned int k = 0; k < nnames; k++) {
		rc = named_one(v, names[k]);
		if (rc)
			goto out;
	}
	if (!nnames) {
		int r = pci_foreach(bound_one, v, NULL);

		if (r <= -1000) {
			rc = -r - 1000;
			goto out;
		}
		if (r) {
			rc = fail(EXIT_FAIL, NULL, "cannot read %s/bus/pci/devices: %s", sysfs_root(), strerror(-r));
			goto out;
		}
		if (!v->ndevs) {
			rc = fail(EXIT_NODEV, NULL,
				  "no CXL device is bound to %s (bind one with 'vfio-cxl bind DEV', or name it)",
				  VFIO_CXL_DRIVER);
			goto out;
		}
	}
	for (unsigned int k = 0; k < v->ndpa; k++) {
		bool found = false;

		for (unsigned int j = 0; j < v->ndevs; j++)
			found |= !strcmp(v->devs[j].addr, v->dpa[k].addr);
		if (!found) {
			rc = fail(EXIT_USAGE, v->dpa[k].addr, "--dpa-size names a device that is not configured");
			goto out;
		}
	}
	rc = layout(v);
	if (rc)
		goto out;
	if (generate(v, v->format == VMC_LIBVIRT)) {
		rc = fail(EXIT_FAIL, NULL, "out of memory");
		goto out;
	}
#ifdef VFIO_CXL_HAVE_TOPO
	rc = self_check(v);
	if (rc)
		goto out;
#endif
	if (v->format == VMC_LIBVIRT)
		print_libvirt(v);
	else if (v->format == VMC_JSON)
		print_json(v);
	else
		print_qemu(v);
	fflush(stdout);
	rc = EXIT_OK;
out:
	for (unsigned int k = 0; k < v->nout; k++)
		free(v->out[k]);
	for (unsigned int k = 0; k < v->ex.nids; k++)
		free(v->ex.ids[k]);
	free(v->ex.ids);
	free(v);
	return rc;
}
