// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * QEMU command-line options into the topology model: -M/-machine (cxl=on,
 * cxl-fmw.N.*), -m, -cpu (phys-bits, vendor), -device and -object.
 * Options not about CXL are carried through untouched. Each call is all or
 * nothing: on error the model is as it was before the call.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "topo-internal.h"

int topo_err(struct vfiocxl_topo *t, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
	if (t->log)
		t->log(t->log_priv, err, t->err);
	return err;
}

void vfiocxl_topo_set_log(struct vfiocxl_topo *t, vfiocxl_topo_log_fn fn, void *priv)
{
	t->log = fn;
	t->log_priv = priv;
}

char *topo_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *topo_strndup(const char *s, size_t n)
{
	return strndup(s, n);
}

const char *vfiocxl_topo_strerror(const struct vfiocxl_topo *t)
{
	return t ? t->err : "no topology";
}

struct vfiocxl_topo *vfiocxl_topo_new(void)
{
	struct vfiocxl_topo *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->ram_size = 128 * MiB;	/* QEMU's default -m for pc machines */
	t->amd = 1;			/* TCG's default qemu64 is AuthenticAMD */
	return t;
}

static void dev_free(struct topo_dev *d)
{
	free(d->driver);
	free(d->id);
	free(d->bus);
	free(d->host);
	for (int i = 0; i < 3; i++)
		free(d->memdev[i]);
}

static void wins_free(struct topo_win *w, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int k = 0; k < w[i].ntargets; k++)
			free(w[i].targets[k]);
	free(w);
}

void vfiocxl_topo_free(struct vfiocxl_topo *t)
{
	if (!t)
		return;
	topo_results_free(t);
	for (unsigned int i = 0; i < t->ndevs; i++)
		dev_free(&t->devs[i]);
	free(t->devs);
	for (unsigned int i = 0; i < t->nobjs; i++) {
		free(t->objs[i].type);
		free(t->objs[i].id);
	}
	free(t->objs);
	wins_free(t->wins, t->nwins);
	for (unsigned int i = 0; i < t->ncarried; i++)
		free(t->carried[i]);
	free(t->carried);
	for (unsigned int i = 0; i < t->ndpas; i++)
		free(t->dpas[i].id);
	free(t->dpas);
	free(t->machine_type);
	free(t->sysfs_root);
	free(t);
}

unsigned int vfiocxl_topo_num_carried(const struct vfiocxl_topo *t)
{
	return t->ncarried;
}

const char *vfiocxl_topo_carried(const struct vfiocxl_topo *t, unsigned int i)
{
	return i < t->ncarried ? t->carried[i] : NULL;
}

void vfiocxl_topo_set_sysfs_root(struct vfiocxl_topo *t, const char *root)
{
	free(t->sysfs_root);
	t->sysfs_root = topo_strdup(root);
}

/* ---- sizes, numbers, booleans as QEMU spells them ---------------------- */

int vfiocxl_topo_parse_size(const char *s, uint64_t default_unit, uint64_t *out)
{
	unsigned __int128 v = 0, frac = 0, fdiv = 1, unit = default_unit;
	const char *p = s;
	bool hex = false, any = false;

	if (!s || !*s)
		return -EINVAL;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		hex = true;
		p += 2;
		while (isxdigit((unsigned char)*p)) {
			v = v * 16 + (isdigit((unsigned char)*p) ? *p - '0' :
				      (tolower((unsigned char)*p) - 'a' + 10));
			if (v > UINT64_MAX)
				return -ERANGE;
			p++;
			any = true;
		}
	} else {
		while (isdigit((unsigned char)*p)) {
			v = v * 10 + (*p - '0');
			if (v > UINT64_MAX)
				return -ERANGE;
			p++;
			any = true;
		}
		if (*p == '.') {
			p++;
			while (isdigit((unsigned char)*p)) {
				if (fdiv < 1000000000000000ULL) {
					frac = frac * 10 + (*p - '0');
					fdiv *= 10;
				}
				p++;
				any = true;
			}
		}
	}
	if (!any)
		return -EINVAL;
	switch (tolower((unsigned char)*p)) {
	case '\0': break;
	case 'b': unit = 1; break;
	case 'k': unit = KiB; break;
	case 'm': unit = MiB; break;
	case 'g': unit = GiB; break;
	case 't': unit = TiB; break;
	case 'p': unit = 1024 * TiB; break;
	case 'e': unit = 1024 * 1024 * TiB; break;
	default: return -EINVAL;
	}
	if (*p && p[1])
		return -EINVAL;
	if (hex && frac)
		return -EINVAL;
	v = v * unit;
	if (frac) {
		unsigned __int128 f = frac * unit;

		if (f % fdiv)
			return -EINVAL;	/* fractional bytes */
		v += f / fdiv;
	}
	if (v > UINT64_MAX)
		return -ERANGE;
	*out = (uint64_t)v;
	return 0;
}

static int parse_uint(const char *s, unsigned long max, unsigned int *out)
{
	unsigned long v = 0;
	const char *p = s;

	if (!s || !*s)
		return -EINVAL;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (!*p)
			return -EINVAL;
		for (; *p; p++) {
			if (!isxdigit((unsigned char)*p))
				return -EINVAL;
			v = v * 16 + (isdigit((unsigned char)*p) ? *p - '0' :
				      tolower((unsigned char)*p) - 'a' + 10);
			if (v > max)
				return -ERANGE;
		}
	} else {
		for (; *p; p++) {
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
			v = v * 10 + (*p - '0');
			if (v > max)
				return -ERANGE;
		}
	}
	*out = (unsigned int)v;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "y")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "n")) {
		*out = false;
		return 0;
	}
	return -EINVAL;
}

/* ---- -M / -machine ----------------------------------------------------- */

static int parse_index(const char *s, const char **end, unsigned int max, unsigned int *out)
{
	unsigned long v = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p) || (p[0] == '0' && isdigit((unsigned char)p[1])))
		return -EINVAL;
	while (isdigit((unsigned char)*p)) {
		v = v * 10 + (*p++ - '0');
		if (v >= max)
			return -ERANGE;
	}
	*end = p;
	*out = (unsigned int)v;
	return 0;
}

static int machine_option(struct vfiocxl_topo *t, const char *opt, const char *text)
{
	struct topo_kvlist kv = { 0 };
	struct topo_win *w = NULL;
	unsigned int nw = 0;
	bool has_size[TOPO_MAX_WINDOWS] = { 0 };
	bool cxl_on = t->cxl_on;
	uint64_t below = t->max_ram_below_4g;
	const char *type = NULL;
	int rc;

	rc = topo_kv_parse(t, opt, text, "type", &kv);
	if (rc)
		return rc;
	for (unsigned int i = 0; i < kv.n; i++) {
		const char *key = kv.kv[i].key, *val = kv.kv[i].val, *p;
		unsigned int n, m;
		struct topo_win *fw;

		if (!strcmp(key, "type")) {
			type = val;
		} else if (!strcmp(key, "cxl")) {
			if (parse_bool(val, &cxl_on)) {
				rc = topo_err(t, -EINVAL, "-%s '%s': cxl='%s' is not a boolean",
					      opt, text, val);
				goto out;
			}
		} else if (!strcmp(key, "max-ram-below-4g")) {
			if (vfiocxl_topo_parse_size(val, 1, &below)) {
				rc = topo_err(t, -EINVAL, "-%s '%s': bad size '%s'", opt, text, val);
				goto out;
			}
		} else if (!strncmp(key, "cxl-fmw.", 8)) {
			if (t->machine_has_fmw) {
				rc = topo_err(t, -EINVAL,
					      "-%s '%s': parameters 'cxl-fmw.*' used inconsistently (all windows go in one -M)",
					      opt, text);
				goto out;
			}
			if (parse_index(key + 8, &p, TOPO_MAX_WINDOWS, &n) || *p != '.') {
				rc = topo_err(t, -EINVAL, "-%s '%s': bad window parameter '%s'",
					      opt, text, key);
				goto out;
			}
			if (n >= nw) {
				struct topo_win *nwp = realloc(w, (n + 1) * sizeof(*w));

				if (!nwp) {
					rc = -ENOMEM;
					goto out;
				}
				memset(nwp + nw, 0, (n + 1 - nw) * sizeof(*w));
				w = nwp;
				nw = n + 1;
			}
			fw = &w[n];
			p++;
			if (!strncmp(p, "targets.", 8)) {
				const char *e;

				if (parse_index(p + 8, &e, VFIOCXL_TOPO_MAX_TARGETS, &m) || *e) {
					rc = topo_err(t, -EINVAL,
						      "-%s '%s': bad target '%s' (at most %u per window)",
						      opt, text, key, VFIOCXL_TOPO_MAX_TARGETS);
					goto out;
				}
				if (!*val) {
					rc = topo_err(t, -EINVAL, "-%s '%s': empty target '%s'", opt, text, key);
					goto out;
				}
				if (m >= fw->ntargets)
					fw->ntargets = m + 1;
				free(fw->targets[m]);
				fw->targets[m] = topo_strdup(val);
			} else if (!strcmp(p, "size")) {
				if (vfiocxl_topo_parse_size(val, 1, &fw->size) || !fw->size) {
					rc = topo_err(t, -EINVAL, "-%s '%s': bad size '%s' for %s",
						      opt, text, val, key);
					goto out;
				}
				if (fw->size % VFIOCXL_TOPO_ALIGN) {
					rc = topo_err(t, -EINVAL,
						      "-%s '%s': %s=%s is not a multiple of 256 MiB",
						      opt, text, key, val);
					goto out;
				}
				has_size[n] = true;
			} else if (!strcmp(p, "interleave-granularity")) {
				uint64_t g;
				uint32_t hbig;

				if (vfiocxl_topo_parse_size(val, 1, &g) || g > 16384 ||
				    vfiocxl_topo_gran_to_hbig((unsigned int)g, &hbig)) {
					rc = topo_err(t, -EINVAL,
						      "-%s '%s': %s=%s: granularity must be 256 to 16k, a power of two",
						      opt, text, key, val);
					goto out;
				}
				fw->gran = (unsigned int)g;
			} else {
				rc = topo_err(t, -EINVAL, "-%s '%s': unknown window parameter '%s'",
					      opt, text, key);
				goto out;
			}
		}
		/* other machine properties are QEMU's business */
	}
	for (unsigned int i = 0; i < nw; i++) {
		uint8_t eniw;

		if (!has_size[i]) {
			rc = topo_err(t, -EINVAL, "-%s '%s': cxl-fmw.%u.size missing", opt, text, i);
			goto out;
		}
		if (!w[i].ntargets) {
			rc = topo_err(t, -EINVAL, "-%s '%s': cxl-fmw.%u.targets missing", opt, text, i);
			goto out;
		}
		for (unsigned int k = 0; k < w[i].ntargets; k++)
			if (!w[i].targets[k]) {
				rc = topo_err(t, -EINVAL, "-%s '%s': cxl-fmw.%u.targets.%u missing",
					      opt, text, i, k);
				goto out;
			}
		if (vfiocxl_topo_ways_to_eniw(w[i].ntargets, &eniw)) {
			rc = topo_err(t, -EINVAL,
				      "-%s '%s': cxl-fmw.%u has %u targets; interleave ways must be 1, 2, 3, 4, 6, 8, 12 or 16",
				      opt, text, i, w[i].ntargets);
			goto out;
		}
		if (!w[i].gran)
			w[i].gran = 256;	/* QEMU's default */
	}
	if (nw && !cxl_on) {
		/* QEMU checks this when the machine is created; so do we, at ready */
	}
	if (type) {
		char *ty = topo_strdup(type);

		if (!ty) {
			rc = -ENOMEM;
			goto out;
		}
		free(t->machine_type);
		t->machine_type = ty;
	}
	t->cxl_on = cxl_on;
	t->max_ram_below_4g = below;
	if (nw) {
		wins_free(t->wins, t->nwins);
		t->wins = w;
		t->nwins = nw;
		t->machine_has_fmw = true;
		w = NULL;
		nw = 0;
	}
	rc = 0;
out:
	wins_free(w, nw);
	topo_kv_free(&kv);
	return rc;
}

/* ---- -m ---------------------------------------------------------------- */

static int memory_option(struct vfiocxl_topo *t, const char *opt, const char *text)
{
	struct topo_kvlist kv = { 0 };
	uint64_t size = t->ram_size, maxmem = t->maxmem;
	unsigned int slots = t->slots;
	const char *v;
	int rc;

	rc = topo_kv_parse(t, opt, text, "size", &kv);
	if (rc)
		return rc;
	v = topo_kv_get(&kv, "size");
	/* QEMU: a size without a suffix is in MiB; maxmem= is in bytes */
	if (v && (vfiocxl_topo_parse_size(v, MiB, &size) || !size)) {
		rc = topo_err(t, -EINVAL, "-%s '%s': bad size '%s'", opt, text, v);
		goto out;
	}
	v = topo_kv_get(&kv, "maxmem");
	if (v && vfiocxl_topo_parse_size(v, 1, &maxmem)) {
		rc = topo_err(t, -EINVAL, "-%s '%s': bad maxmem '%s'", opt, text, v);
		goto out;
	}
	v = topo_kv_get(&kv, "slots");
	if (v && parse_uint(v, 256, &slots)) {
		rc = topo_err(t, -EINVAL, "-%s '%s': bad slots '%s'", opt, text, v);
		goto out;
	}
	for (unsigned int i = 0; i < kv.n; i++)
		if (strcmp(kv.kv[i].key, "size") && strcmp(kv.kv[i].key, "maxmem") &&
		    strcmp(kv.kv[i].key, "slots")) {
			rc = topo_err(t, -EINVAL, "-%s '%s': unknown parameter '%s'",
				      opt, text, kv.kv[i].key);
			goto out;
		}
	if (maxmem && maxmem < size) {
		rc = topo_err(t, -EINVAL, "-%s '%s': maxmem is smaller than the memory size",
			      opt, text);
		goto out;
	}
	if (size % MiB) {
		rc = topo_err(t, -EINVAL, "-%s '%s': memory size not a multiple of 1 MiB", opt, text);
		goto out;
	}
	t->ram_size = size;
	t->maxmem = maxmem;
	t->slots = slots;
out:
	topo_kv_free(&kv);
	return rc;
}

/* ---- -cpu: phys-bits and the vendor (the AMD 1 TiB hole moves RAM) ------ */

static const char *const intel_models[] = {
	"Conroe", "Penryn", "Nehalem", "Westmere", "SandyBridge", "IvyBridge",
	"Haswell", "Broadwell", "Skylake", "Cascadelake", "Cooperlake", "Icelake",
	"SapphireRapids", "GraniteRapids", "SierraForest", "ClearwaterForest",
	"Snowridge", "Denverton", "KnightsMill", "core2duo", "coreduo", "pentium",
	"n270", "486",
};

static int cpu_option(struct vfiocxl_topo *t, const char *opt, const char *text)
{
	struct topo_kvlist kv = { 0 };
	const char *model, *v;
	unsigned int bits = t->phys_bits;
	int amd = 1, rc;

	rc = topo_kv_parse(t, opt, text, "model", &kv);
	if (rc)
		return rc;
	model = topo_kv_get(&kv, "model");
	v = topo_kv_get(&kv, "phys-bits");
	if (v && (parse_uint(v, 52, &bits) || bits < 32)) {
		rc = topo_err(t, -EINVAL, "-%s '%s': bad phys-bits '%s'", opt, text, v);
		goto out;
	}
	/* TCG's qemu64 and max are AuthenticAMD; named Intel models are not */
	if (model) {
		for (size_t i = 0; i < sizeof(intel_models) / sizeof(intel_models[0]); i++)
			if (!strncmp(model, intel_models[i], strlen(intel_models[i])))
				amd = 0;
		if (!strcmp(model, "host"))
			amd = -1;	/* the host's vendor, read at machine-ready */
	}
	/* -cpu host (and host-phys-bits=on) take the host's physical address width */
	v = topo_kv_get(&kv, "host-phys-bits");
	if (!topo_kv_get(&kv, "phys-bits") &&
	    ((model && !strcmp(model, "host") && !(v && !strcmp(v, "off"))) ||
	     (v && strcmp(v, "off"))))
		bits = topo_host_phys_bits();
	v = topo_kv_get(&kv, "vendor");
	if (v)
		amd = !strcmp(v, "AuthenticAMD") || !strcmp(v, "HygonGenuine");
	t->phys_bits = bits;
	t->amd = amd;
out:
	topo_kv_free(&kv);
	return rc;
}

/* ---- -object memory-backend-* ------------------------------------------- */

static bool id_taken(const struct vfiocxl_topo *t, const char *id)
{
	for (unsigned int i = 0; i < t->ndevs; i++)
		if (t->devs[i].id && !strcmp(t->devs[i].id, id))
			return true;
	return false;
}

static int object_option(struct vfiocxl_topo *t, const char *opt, const char *text, bool *carry)
{
	struct topo_kvlist kv = { 0 };
	const char *type, *id, *size;
	struct topo_obj o = { 0 };
	int rc;

	rc = topo_kv_parse(t, opt, text, "qom-type", &kv);
	if (rc)
		return rc;
	type = topo_kv_get(&kv, "qom-type");
	id = topo_kv_get(&kv, "id");
	if (!type || !*type) {
		rc = topo_err(t, -EINVAL, "-%s '%s': no object type", opt, text);
		goto out;
	}
	if (strncmp(type, "memory-backend-", 15)) {
		*carry = true;	/* not ours: carried through untouched */
		goto out;
	}
	if (!id || !*id) {
		rc = topo_err(t, -EINVAL, "-%s '%s': memory backend without id=", opt, text);
		goto out;
	}
	for (unsigned int i = 0; i < t->nobjs; i++)
		if (!strcmp(t->objs[i].id, id)) {
			rc = topo_err(t, -EINVAL, "-%s '%s': duplicate object id '%s'", opt, text, id);
			goto out;
		}
	size = topo_kv_get(&kv, "size");
	if (size) {
		if (vfiocxl_topo_parse_size(size, 1, &o.size) || !o.size) {
			rc = topo_err(t, -EINVAL, "-%s '%s': bad size '%s'", opt, text, size);
			goto out;
		}
		o.has_size = true;
	}
	if (t->nobjs == t->capobjs) {
		unsigned int cap = t->capobjs ? t->capobjs * 2 : 8;
		struct topo_obj *no = realloc(t->objs, cap * sizeof(*no));

		if (!no) {
			rc = -ENOMEM;
			goto out;
		}
		t->objs = no;
		t->capobjs = cap;
	}
	o.type = topo_strdup(type);
	o.id = topo_strdup(id);
	if (!o.type || !o.id) {
		free(o.type);
		free(o.id);
		rc = -ENOMEM;
		goto out;
	}
	t->objs[t->nobjs++] = o;
out:
	topo_kv_free(&kv);
	return rc;
}

/* ---- -device ------------------------------------------------------------- */

static enum topo_kind driver_kind(const char *drv)
{
	if (!strcmp(drv, "pxb-cxl"))
		return TK_PXB;
	if (!strcmp(drv, "cxl-rp"))
		return TK_RP;
	if (!strcmp(drv, "cxl-upstream"))
		return TK_USP;
	if (!strcmp(drv, "cxl-downstream"))
		return TK_DSP;
	if (!strcmp(drv, "cxl-type3"))
		return TK_TYPE3;
	if (!strcmp(drv, "vfio-pci") || !strcmp(drv, "vfio-pci-nohotplug"))
		return TK_VFIO;
	return TK_OTHER;
}

static int device_option(struct vfiocxl_topo *t, const char *opt, const char *text)
{
	static const char *const memkeys[3] = { "memdev", "volatile-memdev", "persistent-memdev" };
	struct topo_kvlist kv = { 0 };
	struct topo_dev d = { 0 };
	const char *drv, *v;
	int rc;

	rc = topo_kv_parse(t, opt, text, "driver", &kv);
	if (rc)
		return rc;
	drv = topo_kv_get(&kv, "driver");
	if (!drv || !*drv) {
		rc = topo_err(t, -EINVAL, "-%s '%s': no device driver", opt, text);
		goto out;
	}
	d.kind = driver_kind(drv);
	v = topo_kv_get(&kv, "id");
	if (v) {
		if (!*v) {
			rc = topo_err(t, -EINVAL, "-%s '%s': empty id=", opt, text);
			goto out;
		}
		if (id_taken(t, v)) {
			rc = topo_err(t, -EINVAL, "-%s '%s': duplicate device id '%s'", opt, text, v);
			goto out;
		}
	} else if (d.kind != TK_OTHER) {
		/* buses are found by id, and every message names the device */
		rc = topo_err(t, -EINVAL, "-%s '%s': %s needs an id=", opt, text, drv);
		goto out;
	}
	d.id = topo_strdup(v);
	v = topo_kv_get(&kv, "bus");
	if (v && strcmp(v, "pcie.0"))
		d.bus = topo_strdup(v);
	if (d.kind == TK_PXB) {
		v = topo_kv_get(&kv, "bus_nr");
		if (!v || parse_uint(v, 255, &d.bus_nr)) {
			rc = topo_err(t, -EINVAL, "-%s '%s': pxb-cxl needs bus_nr= from 0 to 255",
				      opt, text);
			goto out;
		}
		for (unsigned int i = 0; i < t->ndevs; i++)
			if (t->devs[i].kind == TK_PXB && t->devs[i].bus_nr == d.bus_nr) {
				rc = topo_err(t, -EINVAL, "-%s '%s': bus_nr %u already used by %s",
					      opt, text, d.bus_nr, t->devs[i].id);
				goto out;
			}
		v = topo_kv_get(&kv, "hdm_for_passthrough");
		if (v && parse_bool(v, &d.hdm_pt)) {
			rc = topo_err(t, -EINVAL, "-%s '%s': hdm_for_passthrough='%s' is not a boolean",
				      opt, text, v);
			goto out;
		}
	}
	if (d.kind == TK_RP || d.kind == TK_DSP) {
		v = topo_kv_get(&kv, "port");
		if (v && parse_uint(v, 255, &d.port)) {
			rc = topo_err(t, -EINVAL, "-%s '%s': bad port '%s'", opt, text, v);
			goto out;
		}
	}
	if (d.kind == TK_VFIO) {
		const char *sysfsdev = topo_kv_get(&kv, "sysfsdev");

		v = topo_kv_get(&kv, "host");
		/* sysfsdev=/sys/bus/pci/devices/0000:01:00.0 names the same device */
		if (!v && sysfsdev && strrchr(sysfsdev, '/'))
			v = strrchr(sysfsdev, '/') + 1;
		else if (!v)
			v = sysfsdev;
		d.host = topo_strdup(v);
		if (!d.host || !*d.host) {
			rc = topo_err(t, -EINVAL, "-%s '%s': %s needs host= or sysfsdev=", opt, text, drv);
			goto out;
		}
	}
	if (d.kind == TK_TYPE3)
		for (int i = 0; i < 3; i++)
			d.memdev[i] = topo_strdup(topo_kv_get(&kv, memkeys[i]));
	if (t->ndevs >= TOPO_MAX_DEVICES) {
		rc = topo_err(t, -E2BIG, "-%s '%s': more than %u devices", opt, text, TOPO_MAX_DEVICES);
		goto out;
	}
	if (t->ndevs == t->capdevs) {
		unsigned int cap = t->capdevs ? t->capdevs * 2 : 16;
		struct topo_dev *nd = realloc(t->devs, cap * sizeof(*nd));

		if (!nd) {
			rc = -ENOMEM;
			goto out;
		}
		t->devs = nd;
		t->capdevs = cap;
	}
	d.driver = topo_strdup(drv);
	if (!d.driver) {
		rc = -ENOMEM;
		goto out;
	}
	t->devs[t->ndevs++] = d;
	topo_kv_free(&kv);
	return 0;
out:
	dev_free(&d);
	topo_kv_free(&kv);
	return rc;
}

static int carry(struct vfiocxl_topo *t, const char *s)
{
	if (t->ncarried == t->capcarried) {
		unsigned int cap = t->capcarried ? t->capcarried * 2 : 16;
		char **nc = realloc(t->carried, cap * sizeof(*nc));

		if (!nc)
			return -ENOMEM;
		t->carried = nc;
		t->capcarried = cap;
	}
	t->carried[t->ncarried] = topo_strdup(s);
	if (!t->carried[t->ncarried])
		return -ENOMEM;
	t->ncarried++;
	return 0;
}

static const char *opt_name(const char *a)
{
	if (a[0] != '-')
		return NULL;
	return a[1] == '-' ? a + 2 : a + 1;
}

/* Known options that take a value: returns the handler id, 0 if not ours. */
enum { O_NONE, O_MACHINE, O_MEM, O_CPU, O_DEVICE, O_OBJECT };

static int opt_kind(const char *name)
{
	if (!strcmp(name, "M") || !strcmp(name, "machine"))
		return O_MACHINE;
	if (!strcmp(name, "m"))
		return O_MEM;
	if (!strcmp(name, "cpu"))
		return O_CPU;
	if (!strcmp(name, "device"))
		return O_DEVICE;
	if (!strcmp(name, "object"))
		return O_OBJECT;
	return O_NONE;
}

static int one_option(struct vfiocxl_topo *t, const char *a, const char *val)
{
	const char *name = opt_name(a);
	bool carry_it = false;
	int rc;

	if (t->ready)
		return topo_err(t, -EBUSY, "%s '%s': the machine is ready; %s refused", a,
				val ? val : "", opt_kind(name ? name : "") == O_DEVICE ?
				"hotplug of devices is" : "changing it is");
	switch (opt_kind(name ? name : "")) {
	case O_MACHINE:
		return machine_option(t, name, val);
	case O_MEM:
		return memory_option(t, name, val);
	case O_CPU:
		rc = cpu_option(t, name, val);
		if (rc)
			return rc;
		carry_it = true;
		break;
	case O_DEVICE:
		return device_option(t, name, val);
	case O_OBJECT:
		rc = object_option(t, name, val, &carry_it);
		if (rc)
			return rc;
		break;
	default:
		carry_it = true;
	}
	if (carry_it) {
		rc = carry(t, a);
		if (!rc && val)
			rc = carry(t, val);
		return rc;
	}
	return 0;
}

/* Snapshot of what a failing call must give back. */
struct topo_snap {
	unsigned int ndevs, nobjs, ncarried;
	uint64_t ram_size, maxmem, below;
	unsigned int slots, phys_bits;
	int amd;
	bool cxl_on;
	struct topo_win *wins;
	unsigned int nwins;
	bool has_fmw;
	char *machine_type;
};

static int snap_take(struct vfiocxl_topo *t, struct topo_snap *s)
{
	*s = (struct topo_snap){
		.ndevs = t->ndevs, .nobjs = t->nobjs, .ncarried = t->ncarried,
		.ram_size = t->ram_size, .maxmem = t->maxmem, .below = t->max_ram_below_4g,
		.slots = t->slots, .phys_bits = t->phys_bits, .amd = t->amd,
		.cxl_on = t->cxl_on, .nwins = t->nwins, .has_fmw = t->machine_has_fmw,
	};
	s->machine_type = topo_strdup(t->machine_type);
	if (t->machine_type && !s->machine_type)
		return -ENOMEM;
	if (t->nwins) {
		s->wins = calloc(t->nwins, sizeof(*s->wins));
		if (!s->wins)
			goto nomem;
		for (unsigned int i = 0; i < t->nwins; i++) {
			s->wins[i] = t->wins[i];
			for (unsigned int k = 0; k < t->wins[i].ntargets; k++)
				s->wins[i].targets[k] = topo_strdup(t->wins[i].targets[k]);
		}
	}
	return 0;
nomem:
	free(s->machine_type);
	return -ENOMEM;
}

static void snap_restore(struct vfiocxl_topo *t, struct topo_snap *s, bool failed)
{
	if (!failed) {
		wins_free(s->wins, s->nwins);
		free(s->machine_type);
		return;
	}
	while (t->ndevs > s->ndevs)
		dev_free(&t->devs[--t->ndevs]);
	while (t->nobjs > s->nobjs) {
		t->nobjs--;
		free(t->objs[t->nobjs].type);
		free(t->objs[t->nobjs].id);
	}
	while (t->ncarried > s->ncarried)
		free(t->carried[--t->ncarried]);
	t->ram_size = s->ram_size;
	t->maxmem = s->maxmem;
	t->max_ram_below_4g = s->below;
	t->slots = s->slots;
	t->phys_bits = s->phys_bits;
	t->amd = s->amd;
	t->cxl_on = s->cxl_on;
	t->machine_has_fmw = s->has_fmw;
	wins_free(t->wins, t->nwins);
	t->wins = s->wins;
	t->nwins = s->nwins;
	free(t->machine_type);
	t->machine_type = s->machine_type;
}

int vfiocxl_topo_add_option(struct vfiocxl_topo *t, const char *opt, const char *val)
{
	struct topo_snap s;
	int rc;

	if (!opt)
		return -EINVAL;
	rc = snap_take(t, &s);
	if (rc)
		return rc;
	rc = one_option(t, opt, val);
	snap_restore(t, &s, rc != 0);
	return rc;
}

int vfiocxl_topo_add_device(struct vfiocxl_topo *t, const char *spec)
{
	if (!spec)
		return -EINVAL;
	return vfiocxl_topo_add_option(t, "-device", spec);
}

int vfiocxl_topo_parse_args(struct vfiocxl_topo *t, int argc, char *const *argv)
{
	struct topo_snap s;
	int rc = 0;

	rc = snap_take(t, &s);
	if (rc)
		return rc;
	for (int i = 0; i < argc && !rc; i++) {
		const char *a = argv[i], *name = opt_name(a);

		if (!name || !*name) {
			rc = carry(t, a);	/* a stray word: QEMU's business */
			continue;
		}
		if (opt_kind(name) != O_NONE) {
			if (i + 1 >= argc) {
				rc = topo_err(t, -EINVAL, "option '%s' needs a value", a);
				break;
			}
			rc = one_option(t, a, argv[++i]);
			continue;
		}
		/* unknown option: carried with its value, if it has one */
		if (i + 1 < argc && argv[i + 1][0] != '-')
			rc = one_option(t, a, argv[++i]);
		else
			rc = one_option(t, a, NULL);
	}
	snap_restore(t, &s, rc != 0);
	return rc;
}

int vfiocxl_topo_set_dpa_size(struct vfiocxl_topo *t, const char *id, uint64_t size)
{
	struct topo_dpa *nd;

	if (!id || !*id || !size)
		return topo_err(t, -EINVAL, "%s: a DPA size must be a non-zero size for an id",
				id ? id : "(null)");
	if (t->ready)
		return topo_err(t, -EBUSY, "%s: the machine is ready", id);
	for (unsigned int i = 0; i < t->ndpas; i++)
		if (!strcmp(t->dpas[i].id, id)) {
			t->dpas[i].size = size;
			return 0;
		}
	nd = realloc(t->dpas, (t->ndpas + 1) * sizeof(*nd));
	if (!nd)
		return -ENOMEM;
	t->dpas = nd;
	nd[t->ndpas].id = topo_strdup(id);
	if (!nd[t->ndpas].id)
		return -ENOMEM;
	nd[t->ndpas].size = size;
	t->ndpas++;
	return 0;
}

int vfiocxl_topo_set_dpa_arg(struct vfiocxl_topo *t, const char *arg)
{
	const char *eq = arg ? strchr(arg, '=') : NULL;
	uint64_t size;
	char *id;
	int rc;

	if (!eq || eq == arg || vfiocxl_topo_parse_size(eq + 1, 1, &size) || !size)
		return topo_err(t, -EINVAL, "--dpa-size '%s': expected ID=SIZE (e.g. dev0=1G)",
				arg ? arg : "");
	id = topo_strndup(arg, eq - arg);
	if (!id)
		return -ENOMEM;
	rc = vfiocxl_topo_set_dpa_size(t, id, size);
	free(id);
	return rc;
}
