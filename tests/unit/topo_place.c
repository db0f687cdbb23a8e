// SPDX-License-Identifier: MIT
/*
 * Placement: window bases as QEMU 10.0 assigns them on q35 (figures measured
 * with `info mtree` on qemu-system-x86_64 10.0.2), seed 004's four-device
 * layout, every refusal, sub-allocation among root ports with the host-bridge
 * decoder plan, and the machine-ready / hotplug contract.
 */
#include <errno.h>
#include <stdlib.h>
#include "vfiocxl-topo.h"
#include "topo_tap.h"

#define G (1ULL << 30)
#define M (1ULL << 20)

static struct vfiocxl_topo *topo_from(const char *cmdline, const char *dpas, int *rc)
{
	struct vfiocxl_topo *t = vfiocxl_topo_new();
	char *copy = strdup(cmdline), *argv[256], *save = NULL;
	int argc = 0;

	for (char *tok = strtok_r(copy, " \n", &save); tok && argc < 256;
	     tok = strtok_r(NULL, " \n", &save))
		argv[argc++] = tok;
	*rc = vfiocxl_topo_parse_args(t, argc, argv);
	if (!*rc && dpas) {
		char *d = strdup(dpas), *s2 = NULL;

		for (char *tok = strtok_r(d, " ", &s2); tok; tok = strtok_r(NULL, " ", &s2))
			if (vfiocxl_topo_set_dpa_arg(t, tok))
				*rc = -EINVAL;
		free(d);
	}
	free(copy);
	return t;
}

static const struct vfiocxl_topo_placement *find(const struct vfiocxl_topo *t, const char *id)
{
	for (unsigned int i = 0; i < vfiocxl_topo_num_placements(t); i++)
		if (!strcmp(vfiocxl_topo_placement(t, i)->device, id))
			return vfiocxl_topo_placement(t, i);
	return NULL;
}

/* ---- window bases ------------------------------------------------------- */

#define TWO_WINDOWS "-M q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G," \
	"cxl-fmw.1.targets.0=cxl.2,cxl-fmw.1.size=1G " \
	"-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1 -device pxb-cxl,bus_nr=36,bus=pcie.0,id=cxl.2 "

static const struct base_case {
	const char *name, *args;
	uint64_t base0, base1, host;
} base_cases[] = {
	{ "bases: -m 2G (PLATFORM-NOTES: 0x110000000)", TWO_WINDOWS "-m 2G",
	  0x110000000, 0x210000000, 0x100000000 },
	{ "bases: -m 2048 (MiB without suffix)", TWO_WINDOWS "-m 2048",
	  0x110000000, 0x210000000, 0x100000000 },
	{ "bases: -m 3G (RAM split at 2 GiB)", TWO_WINDOWS "-m 3G",
	  0x150000000, 0x250000000, 0x140000000 },
	{ "bases: -m 4G,maxmem=8G (no slots)", TWO_WINDOWS "-m 4G,maxmem=8G",
	  0x290000000, 0x390000000, 0x280000000 },
	{ "bases: -m 4G,slots=4,maxmem=8G", TWO_WINDOWS "-m 4G,slots=4,maxmem=8G",
	  0x390000000, 0x490000000, 0x380000000 },
	{ "bases: -m size=1G,maxmem=2G,slots=2", TWO_WINDOWS "-m size=1G,maxmem=2G,slots=2",
	  0x1d0000000, 0x2d0000000, 0x1c0000000 },
	{ "bases: default -m 128M", TWO_WINDOWS,
	  0x110000000, 0x210000000, 0x100000000 },
	{ "bases: AMD CPU moves RAM above 1 TiB when windows reach the HT hole",
	  "-cpu max,phys-bits=48 -m 2G -M q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=256G,"
	  "cxl-fmw.1.targets.0=cxl.2,cxl-fmw.1.size=768G -device pxb-cxl,bus_nr=12,id=cxl.1 "
	  "-device pxb-cxl,bus_nr=36,id=cxl.2", 0x10010000000, 0x14010000000, 0x10000000000 },
	{ "bases: Intel CPU keeps RAM at 4 GiB with the same windows",
	  "-cpu Skylake-Client,phys-bits=48 -m 2G -M q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,"
	  "cxl-fmw.0.size=256G,cxl-fmw.1.targets.0=cxl.2,cxl-fmw.1.size=768G "
	  "-device pxb-cxl,bus_nr=12,id=cxl.1 -device pxb-cxl,bus_nr=36,id=cxl.2",
	  0x110000000, 0x4110000000, 0x100000000 },
};

static void test_bases(void)
{
	for (size_t i = 0; i < sizeof(base_cases) / sizeof(base_cases[0]); i++) {
		const struct base_case *c = &base_cases[i];
		int rc;
		struct vfiocxl_topo *t = topo_from(c->args, NULL, &rc);
		const struct vfiocxl_topo_window *w0, *w1;
		char m[300];

		if (!rc)
			rc = vfiocxl_topo_machine_ready(t, NULL, NULL);
		w0 = vfiocxl_topo_window(t, 0);
		w1 = vfiocxl_topo_window(t, 1);
		snprintf(m, sizeof(m), "rc %d (%s); expected 0x%llx/0x%llx, actual 0x%llx/0x%llx",
			 rc, vfiocxl_topo_strerror(t), (unsigned long long)c->base0,
			 (unsigned long long)c->base1, w0 ? (unsigned long long)w0->base : 0ULL,
			 w1 ? (unsigned long long)w1->base : 0ULL);
		tap_ok(!rc && w0 && w1 && w0->has_base && w1->has_base && w0->base == c->base0 &&
		       w1->base == c->base1, c->name, m);
		/* CHBS: handed out newest first from the 1 MiB host register area */
		if (vfiocxl_topo_num_host_bridges(t) == 2) {
			snprintf(m, sizeof(m), "%s: CHBS of cxl.2 then cxl.1", c->name);
			tap_ok(vfiocxl_topo_host_bridge(t, 1)->chbs_base == c->host &&
			       vfiocxl_topo_host_bridge(t, 0)->chbs_base == c->host + 0x10000, m,
			       "expected the last-created host bridge at the area's start");
		} else {
			tap_ok(0, c->name, "expected two host bridges");
		}
		vfiocxl_topo_free(t);
	}
}

/* ---- seed 004: four devices, four host bridges, four windows ------------ */

/*
 * The seed's layout on q35, with the windows listed in the opposite order to
 * the host bridges: matching must be by topology, never by index or order.
 */
#define SEED004 "-m 2G -M q35,cxl=on," \
	"cxl-fmw.0.targets.0=cxl.4,cxl-fmw.0.size=4G,cxl-fmw.1.targets.0=cxl.3,cxl-fmw.1.size=4G," \
	"cxl-fmw.2.targets.0=cxl.2,cxl-fmw.2.size=4G,cxl-fmw.3.targets.0=cxl.1,cxl-fmw.3.size=4G " \
	"-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1 " \
	"-device cxl-rp,port=1,bus=cxl.1,id=rport0.1,chassis=4,pref64-reserve=2G,mem-reserve=1G " \
	"-device vfio-pci-nohotplug,host=0002:81:00.0,bus=rport0.1,id=dev0,iommufd=iommufd0 " \
	"-device pxb-cxl,bus_nr=20,bus=pcie.0,id=cxl.2 " \
	"-device cxl-rp,port=1,bus=cxl.2,id=rport0.2,chassis=5 " \
	"-device vfio-pci-nohotplug,host=0002:c1:00.0,bus=rport0.2,id=dev1 " \
	"-device pxb-cxl,bus_nr=28,bus=pcie.0,id=cxl.3 " \
	"-device cxl-rp,port=1,bus=cxl.3,id=rport0.3,chassis=6 " \
	"-device vfio-pci-nohotplug,host=000a:81:00.0,bus=rport0.3,id=dev2 " \
	"-device pxb-cxl,bus_nr=36,bus=pcie.0,id=cxl.4 " \
	"-device cxl-rp,port=1,bus=cxl.4,id=rport0.4,chassis=7 " \
	"-device vfio-pci-nohotplug,host=000a:e1:00.0,bus=rport0.4,id=dev3 " \
	"-object iommufd,id=iommufd0"
#define SEED004_DPA "dev0=1G dev1=1G dev2=2G dev3=4G"

static void test_seed004(void)
{
	static const struct { const char *id; int window; uint64_t base; unsigned int uid; } exp[] = {
		{ "dev0", 3, 0x410000000, 12 },
		{ "dev1", 2, 0x310000000, 20 },
		{ "dev2", 1, 0x210000000, 28 },
		{ "dev3", 0, 0x110000000, 36 },
	};
	int rc;
	struct vfiocxl_topo *t = topo_from(SEED004, SEED004_DPA, &rc);

	TAP_EQ_INT("seed 004: parses", 0, rc);
	rc = vfiocxl_topo_machine_ready(t, NULL, NULL);
	TAP_EQ_INT("seed 004: all four placed", 0, rc);
	TAP_EQ_INT("seed 004: four placements", 4, vfiocxl_topo_num_placements(t));
	{
		const struct vfiocxl_topo_placement *p;
		const struct vfiocxl_topo_window *w;
		const struct vfiocxl_topo_host_bridge *h;
		unsigned int i, np = 0, nw = 0, nh = 0;

		vfiocxl_topo_placement_foreach(t, i, p)
			np += !p->error;
		vfiocxl_topo_window_foreach(t, i, w)
			nw += w->has_base;
		vfiocxl_topo_host_bridge_foreach(t, i, h)
			nh += h->root_ports;
		tap_ok(np == 4 && nw == 4 && nh == 4, "seed 004: foreach over placements, windows, host bridges",
		       NULL);
	}
	for (size_t i = 0; i < 4; i++) {
		const struct vfiocxl_topo_placement *p = find(t, exp[i].id);
		char name[128], m[256];

		snprintf(name, sizeof(name), "seed 004: %s in window %d at 0x%llx (uid %u)",
			 exp[i].id, exp[i].window, (unsigned long long)exp[i].base, exp[i].uid);
		snprintf(m, sizeof(m), "actual window %d base 0x%llx uid %u err %d",
			 p ? p->window : -9, p ? (unsigned long long)p->base : 0ULL, p ? p->uid : 0,
			 p ? p->error : 0);
		tap_ok(p && !p->error && p->window == exp[i].window && p->base == exp[i].base &&
		       p->uid == exp[i].uid && !p->hb.used, name, m);
	}
	{
		bool distinct = true;

		for (unsigned int i = 0; i < 4; i++)
			for (unsigned int j = 0; j < i; j++)
				distinct &= vfiocxl_topo_placement(t, i)->base !=
					    vfiocxl_topo_placement(t, j)->base;
		tap_ok(distinct, "seed 004: distinct bases (the bug: all at the first window)", NULL);
	}
	TAP_EQ_INT("seed 004: dev2 size rounds to 2 GiB", 2 * G, find(t, "dev2")->size);
	TAP_EQ_INT("seed 004: iommufd object carried through", 2, vfiocxl_topo_num_carried(t));
	vfiocxl_topo_free(t);
}

/* ---- refusals ----------------------------------------------------------- */

#define HB1 "-device pxb-cxl,bus_nr=12,id=hb1 -device cxl-rp,port=0,bus=hb1,id=rp1 "
#define HB2 "-device pxb-cxl,bus_nr=20,id=hb2 -device cxl-rp,port=0,bus=hb2,id=rp2 "

static const struct refuse_case {
	const char *name, *args, *dpa, *dev, *reason;
	int err;
} refuse_cases[] = {
	{ "refuse: no window targets the host bridge",
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb2,cxl-fmw.0.size=4G " HB1 HB2
	  "-device vfio-pci,host=01:00.0,bus=rp1,id=gpu", "gpu=1G", "gpu",
	  "gpu: no window targets host bridge hb1 (uid 12)", -ENOENT },
	{ "refuse: no window at all (single host bridge machine)",
	  "-M q35,cxl=on " HB1 "-device vfio-pci,host=01:00.0,bus=rp1,id=gpu", "gpu=1G", "gpu",
	  "no window targets host bridge hb1", -ENOENT },
	{ "refuse: host bridge in more than one window",
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=4G,cxl-fmw.1.targets.0=hb1,"
	  "cxl-fmw.1.size=4G " HB1 "-device vfio-pci,host=01:00.0,bus=rp1,id=gpu", "gpu=1G", "gpu",
	  "host bridge hb1 is in more than one window (cxl-fmw.0 and cxl-fmw.1)", -EEXIST },
	{ "refuse: window interleaves across two host bridges",
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.targets.1=hb2,cxl-fmw.0.size=8G " HB1 HB2
	  "-device vfio-pci,host=01:00.0,bus=rp1,id=gpu", "gpu=1G", "gpu",
	  "window cxl-fmw.0 interleaves across 2 host bridges", -EOPNOTSUPP },
	{ "refuse: window has no base (beyond the 40-bit address space)",
	  "-m 2G -M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=1T " HB1
	  "-device vfio-pci,host=01:00.0,bus=rp1,id=gpu", "gpu=1G", "gpu",
	  "window cxl-fmw.0 has no base", -EFAULT },
	{ "refuse: window has no base (phys-bits=36)",
	  "-cpu max,phys-bits=36 -m 2G -M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=64G "
	  HB1 "-device vfio-pci,host=01:00.0,bus=rp1,id=gpu", "gpu=1G", "gpu",
	  "beyond the 36-bit guest address space", -EFAULT },
	{ "refuse: window smaller than the device memory",
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=512M " HB1
	  "-device vfio-pci,host=01:00.0,bus=rp1,id=gpu", "gpu=1G", "gpu",
	  "window cxl-fmw.0 (0x20000000 bytes) is smaller than the device memory (0x40000000 bytes)",
	  -ENOSPC },
	{ "refuse: a switch between the device and its host bridge",
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=4G " HB1
	  "-device cxl-upstream,bus=rp1,id=us0 -device cxl-downstream,port=0,bus=us0,id=ds0,chassis=1,slot=4 "
	  "-device vfio-pci,host=01:00.0,bus=ds0,id=gpu", "gpu=1G", "gpu",
	  "a switch (cxl-downstream ds0) sits between it and its host bridge hb1", -EOPNOTSUPP },
	{ "refuse: cxl-type3 below a switch too",
	  "-object memory-backend-ram,id=m0,size=256M "
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=4G " HB1
	  "-device cxl-upstream,bus=rp1,id=us0 -device cxl-downstream,port=0,bus=us0,id=ds0 "
	  "-device cxl-type3,bus=ds0,volatile-memdev=m0,id=mem0", NULL, "mem0",
	  "a switch (cxl-downstream ds0)", -EOPNOTSUPP },
	{ "refuse: size unknown offline without --dpa-size",
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=4G " HB1
	  "-device vfio-pci,host=0000:ee:1f.7,bus=rp1,id=gpu", NULL, "gpu",
	  "give --dpa-size gpu=SIZE", -ENODATA },
	{ "refuse: bus that does not exist",
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=4G " HB1
	  "-device vfio-pci,host=01:00.0,bus=nosuch,id=gpu", "gpu=1G", "gpu",
	  "bus 'nosuch' does not exist", -ENODEV },
	{ "refuse: directly on the host bridge's bus, no root port",
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=4G " HB1
	  "-device vfio-pci,host=01:00.0,bus=hb1,id=gpu", "gpu=1G", "gpu",
	  "not directly below a cxl-rp root port of hb1", -EOPNOTSUPP },
	{ "refuse: cxl-type3 memory backend missing",
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=4G " HB1
	  "-device cxl-type3,bus=rp1,volatile-memdev=nope,id=mem0", NULL, "mem0",
	  "memory backend 'nope' not found", -ENODATA },
	{ "refuse: two devices under one root port",
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=4G " HB1
	  "-device vfio-pci,host=01:00.0,bus=rp1,id=gpu0,addr=0 "
	  "-device vfio-pci,host=02:00.0,bus=rp1,id=gpu1,addr=1", "gpu0=1G gpu1=1G", "gpu1",
	  "root port rp1 already leads to gpu0", -EBUSY },
	{ "refuse: window full after sub-allocation",
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=2G " HB1
	  "-device cxl-rp,port=1,bus=hb1,id=rp1b "
	  "-device vfio-pci,host=01:00.0,bus=rp1,id=gpu0 -device vfio-pci,host=02:00.0,bus=rp1b,id=gpu1",
	  "gpu0=1G gpu1=1280M", "gpu1", "window cxl-fmw.0 has 0x40000000 bytes left, the device needs 0x50000000",
	  -ENOSPC },
	{ "refuse: fifth device on a host bridge with four HDM decoders",
	  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=8G -device pxb-cxl,bus_nr=12,id=hb1 "
	  "-device cxl-rp,port=0,bus=hb1,id=r0 -device cxl-rp,port=1,bus=hb1,id=r1 "
	  "-device cxl-rp,port=2,bus=hb1,id=r2 -device cxl-rp,port=3,bus=hb1,id=r3 "
	  "-device cxl-rp,port=4,bus=hb1,id=r4 "
	  "-device vfio-pci,host=1:0.0,bus=r0,id=g0 -device vfio-pci,host=2:0.0,bus=r1,id=g1 "
	  "-device vfio-pci,host=3:0.0,bus=r2,id=g2 -device vfio-pci,host=4:0.0,bus=r3,id=g3 "
	  "-device vfio-pci,host=5:0.0,bus=r4,id=g4", "g0=1G g1=1G g2=1G g3=1G g4=1G", "g4",
	  "host bridge hb1 has only 4 HDM decoders", -ENOSPC },
};

struct logbuf {
	int calls, last_err;
	char last[400];
};

static void log_cb(void *priv, int err, const char *msg)
{
	struct logbuf *l = priv;

	l->calls++;
	l->last_err = err;
	snprintf(l->last, sizeof(l->last), "%s", msg);
}

static void test_refusals(void)
{
	for (size_t i = 0; i < sizeof(refuse_cases) / sizeof(refuse_cases[0]); i++) {
		const struct refuse_case *c = &refuse_cases[i];
		const struct vfiocxl_topo_placement *p;
		char m[700];
		int rc, rr;
		struct vfiocxl_topo *t = topo_from(c->args, c->dpa, &rc);

		struct logbuf lb = { 0 };

		vfiocxl_topo_set_log(t, log_cb, &lb);
		rr = rc ? rc : vfiocxl_topo_machine_ready(t, NULL, NULL);
		p = find(t, c->dev);
		if (i == 0) {
			/* the log saw the refusal, then the summary naming it */
			tap_ok(lb.calls == 2 && lb.last_err == -ENXIO &&
			       strstr(lb.last, "1 of 1 CXL devices refused; gpu: no window targets"),
			       "log: refusal and summary reach the log callback", lb.last);
		}
		snprintf(m, sizeof(m), "parse %d ready %d (%s); expected err %d reason '%s', actual err %d reason '%s'",
			 rc, rr, vfiocxl_topo_strerror(t), c->err, c->reason, p ? p->error : 0,
			 p && p->reason ? p->reason : "(none)");
		tap_ok(!rc && rr == -ENXIO && p && p->error == c->err && p->reason &&
		       strstr(p->reason, c->reason) && !strncmp(p->reason, c->dev, strlen(c->dev)) &&
		       p->size == 0, c->name, m);
		vfiocxl_topo_free(t);
	}
}

/* ---- sub-allocation and host-bridge decoders ---------------------------- */

struct prog_log {
	char text[2048];
	size_t len;
	int fail_at;	/* fail the Nth call (1-based), 0 never */
	int calls;
};

static int log_hb(void *priv, const char *hb, unsigned int idx, uint64_t base, uint64_t size,
		  unsigned int target, bool lock)
{
	struct prog_log *l = priv;

	l->len += snprintf(l->text + l->len, sizeof(l->text) - l->len,
			   "hb %s.%u 0x%llx+0x%llx ->%u%s; ", hb, idx, (unsigned long long)base,
			   (unsigned long long)size, target, lock ? " lock" : "");
	return ++l->calls == l->fail_at ? -EIO : 0;
}

static int log_ep(void *priv, const char *dev, uint64_t base, uint64_t size, bool lock)
{
	struct prog_log *l = priv;

	l->len += snprintf(l->text + l->len, sizeof(l->text) - l->len, "ep %s 0x%llx+0x%llx%s; ",
			   dev, (unsigned long long)base, (unsigned long long)size,
			   lock ? " lock" : "");
	return ++l->calls == l->fail_at ? -EIO : 0;
}

static const struct vfiocxl_topo_ops log_ops = { .program_hb = log_hb, .program_ep = log_ep };

/* three root ports, devices listed in reverse port order: allocation follows ports */
#define SHARED "-m 2G -M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=8G " \
	"-device pxb-cxl,bus_nr=12,id=hb1 " \
	"-device cxl-rp,port=2,bus=hb1,id=rpC -device cxl-rp,port=0,bus=hb1,id=rpA " \
	"-device cxl-rp,port=1,bus=hb1,id=rpB " \
	"-object memory-backend-file,id=m0,mem-path=/tmp/m0,size=256M,share=on " \
	"-device vfio-pci,host=03:00.0,bus=rpC,id=gC " \
	"-device cxl-type3,bus=rpA,volatile-memdev=m0,id=t3 " \
	"-device vfio-pci-nohotplug,host=02:00.0,bus=rpB,id=gB"

static void test_shared(void)
{
	struct prog_log l = { 0 };
	const struct vfiocxl_topo_placement *a, *b, *c;
	const struct vfiocxl_topo_window *w;
	int rc;
	struct vfiocxl_topo *t = topo_from(SHARED, "gB=300M gC=1G", &rc);

	TAP_EQ_INT("shared: parses", 0, rc);
	rc = vfiocxl_topo_machine_ready(t, &log_ops, &l);
	TAP_EQ_INT("shared: three devices share one window", 0, rc);
	a = find(t, "t3");
	b = find(t, "gB");
	c = find(t, "gC");
	TAP_EQ_U64("shared: port 0 (cxl-type3 256M) first", 0x110000000, a->base);
	TAP_EQ_U64("shared: port 1 next, 300M rounded to 512M", 0x120000000, b->base);
	TAP_EQ_U64("shared: port 1 size", 512 * M, b->size);
	TAP_EQ_U64("shared: port 2 at 256 MiB alignment after it", 0x140000000, c->base);
	tap_ok(a->hb.used && a->hb.index == 0 && a->hb.target == 0 && a->hb.lock &&
	       b->hb.index == 1 && b->hb.target == 1 && c->hb.index == 2 && c->hb.target == 2 &&
	       b->hb.base == b->base && b->hb.size == b->size,
	       "shared: HB decoders 0..2 route each range to its root port, locked", NULL);
	TAP_HAS("shared: programs HB decoders first, in order, then endpoints", l.text,
		"hb hb1.0 0x110000000+0x10000000 ->0 lock; hb hb1.1 0x120000000+0x20000000 ->1 lock; "
		"hb hb1.2 0x140000000+0x40000000 ->2 lock; ep gC 0x140000000+0x40000000 lock; "
		"ep t3 0x110000000+0x10000000 lock; ep gB 0x120000000+0x20000000 lock; ");
	w = vfiocxl_topo_window(t, 0);
	TAP_EQ_INT("shared: window restrictions: Type 2 and Type 3 both present",
		   VFIOCXL_CFMWS_RESTRICT_DEVMEM | VFIOCXL_CFMWS_RESTRICT_FIXED |
		   VFIOCXL_CFMWS_RESTRICT_HOSTONLY | VFIOCXL_CFMWS_RESTRICT_PMEM |
		   VFIOCXL_CFMWS_RESTRICT_VOLATILE, w->restrictions);
	TAP_EQ_INT("shared: host bridge counts three root ports", 3,
		   vfiocxl_topo_host_bridge(t, 0)->root_ports);
	vfiocxl_topo_free(t);

	/* the same with the devices given in another order: same plan */
	t = topo_from("-m 2G -M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=8G "
		      "-object memory-backend-file,id=m0,mem-path=/tmp/m0,size=256M,share=on "
		      "-device pxb-cxl,bus_nr=12,id=hb1 -device cxl-rp,port=1,bus=hb1,id=rpB "
		      "-device vfio-pci-nohotplug,host=02:00.0,bus=rpB,id=gB "
		      "-device cxl-rp,port=0,bus=hb1,id=rpA "
		      "-device cxl-type3,bus=rpA,volatile-memdev=m0,id=t3 "
		      "-device cxl-rp,port=2,bus=hb1,id=rpC -device vfio-pci,host=03:00.0,bus=rpC,id=gC",
		      "gB=300M gC=1G", &rc);
	rc = rc ? rc : vfiocxl_topo_machine_ready(t, NULL, NULL);
	tap_ok(!rc && find(t, "t3")->base == 0x110000000 && find(t, "gB")->base == 0x120000000 &&
	       find(t, "gC")->base == 0x140000000,
	       "shared: command-line order does not change the plan", vfiocxl_topo_strerror(t));
	vfiocxl_topo_free(t);

	/* one root port, hdm_for_passthrough off: QEMU needs no HB decoder */
	t = topo_from("-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=4G " HB1
		      "-device vfio-pci,host=01:00.0,bus=rp1,id=gpu", "gpu=1G", &rc);
	rc = rc ? rc : vfiocxl_topo_machine_ready(t, NULL, NULL);
	tap_ok(!rc && !find(t, "gpu")->hb.used, "single root port: passthrough HB, no HB decoder",
	       vfiocxl_topo_strerror(t));
	vfiocxl_topo_free(t);
	t = topo_from("-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=4G "
		      "-device pxb-cxl,bus_nr=12,id=hb1,hdm_for_passthrough=on "
		      "-device cxl-rp,port=5,bus=hb1,id=rp1 -device vfio-pci,host=01:00.0,bus=rp1,id=gpu",
		      "gpu=1G", &rc);
	rc = rc ? rc : vfiocxl_topo_machine_ready(t, NULL, NULL);
	tap_ok(!rc && find(t, "gpu")->hb.used && find(t, "gpu")->hb.target == 5,
	       "hdm_for_passthrough=on: HB decoder targets port 5", vfiocxl_topo_strerror(t));
	vfiocxl_topo_free(t);

	/* a failing decoder commit is reported with the device's name */
	l = (struct prog_log){ .fail_at = 2 };
	t = topo_from(SHARED, "gB=300M gC=1G", &rc);
	rc = vfiocxl_topo_machine_ready(t, &log_ops, &l);
	tap_ok(rc == -EIO && strstr(vfiocxl_topo_strerror(t), "gB: programming host bridge hb1 decoder 1"),
	       "decoder programming error names the device", vfiocxl_topo_strerror(t));
	vfiocxl_topo_free(t);
}

/* ---- machine-ready and hotplug ------------------------------------------- */

static void test_hotplug(void)
{
	int rc;
	struct vfiocxl_topo *t = topo_from(SEED004, SEED004_DPA, &rc);
	struct prog_log l = { 0 };

	tap_ok(!vfiocxl_topo_is_ready(t), "hotplug: not ready before machine-ready", NULL);
	rc = vfiocxl_topo_add_device(t, "cxl-rp,port=2,bus=cxl.1,id=late-rp");
	TAP_EQ_INT("hotplug: cold-plugged root port accepted before ready", 0, rc);
	rc = vfiocxl_topo_machine_ready(t, NULL, NULL);
	TAP_EQ_INT("hotplug: machine ready", 0, rc);
	rc = vfiocxl_topo_add_device(t, "vfio-pci,host=0000:99:00.0,bus=late-rp,id=dev9");
	TAP_EQ_INT("hotplug: device added after ready gets -EBUSY", -EBUSY, rc);
	TAP_HAS("hotplug: the error quotes the device", vfiocxl_topo_strerror(t), "id=dev9");
	TAP_EQ_INT("hotplug: model untouched (still 4 placements)", 4, vfiocxl_topo_num_placements(t));
	tap_ok(find(t, "dev0")->base == 0x410000000 && !find(t, "dev9"),
	       "hotplug: running plan unchanged", NULL);
	TAP_EQ_INT("hotplug: -M after ready refused too", -EBUSY,
		   vfiocxl_topo_add_option(t, "-M", "q35,cxl-fmw.9.size=4G"));
	TAP_EQ_INT("hotplug: machine-ready twice refused", -EALREADY,
		   vfiocxl_topo_machine_ready(t, &log_ops, &l));
	TAP_EQ_INT("hotplug: nothing programmed by the second call", 0, l.calls);
	TAP_EQ_INT("hotplug: --dpa-size after ready refused", -EBUSY,
		   vfiocxl_topo_set_dpa_size(t, "dev0", 1ULL << 30));
	vfiocxl_topo_free(t);
}

/* ---- machine-level errors -------------------------------------------------- */

static void test_machine_errors(void)
{
	static const struct { const char *name, *args, *msg; } cases[] = {
		{ "machine: window target is not a pxb-cxl",
		  "-M q35,cxl=on,cxl-fmw.0.targets.0=nosuch,cxl-fmw.0.size=4G " HB1,
		  "cxl-fmw.0.targets.0: 'nosuch' is not a pxb-cxl host bridge" },
		{ "machine: pxb-cxl without cxl=on",
		  "-M q35 " HB1, "pxb-cxl needs -M ...,cxl=on" },
		{ "machine: windows fit but the 64-bit PCI hole after them does not (QEMU exits)",
		  "-cpu max,phys-bits=36 -m 2G -M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=28G "
		  HB1 "-device vfio-pci,host=01:00.0,bus=rp1,id=gpu",
		  "QEMU refuses this machine: address space limit 0xfffffffff < 0x103fffffff, phys-bits too low (36)" },
		{ "machine: the same host bridge twice in one window",
		  "-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.targets.1=hb1,cxl-fmw.0.size=4G " HB1,
		  "host bridge 'hb1' listed twice" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;
		struct vfiocxl_topo *t = topo_from(cases[i].args, "gpu=1G", &rc);

		rc = rc ? rc : vfiocxl_topo_machine_ready(t, NULL, NULL);
		tap_ok(rc == -EINVAL && strstr(vfiocxl_topo_strerror(t), cases[i].msg), cases[i].name,
		       vfiocxl_topo_strerror(t));
		vfiocxl_topo_free(t);
	}
	/* a plain vfio-pci outside any CXL hierarchy is not placed, nor refused */
	{
		int rc;
		struct vfiocxl_topo *t = topo_from("-M q35 -device pcie-root-port,id=p1 "
						   "-device vfio-pci,host=05:00.0,bus=p1,id=nic", NULL, &rc);

		rc = rc ? rc : vfiocxl_topo_machine_ready(t, NULL, NULL);
		tap_ok(!rc && vfiocxl_topo_num_placements(t) == 0,
		       "machine: plain PCI passthrough is left alone", vfiocxl_topo_strerror(t));
		vfiocxl_topo_free(t);
	}
}

/* ---- a device present on this host: its DPA size from sysfs config space ---- */

static void put32le(uint8_t *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

static void fake_config(const char *root, const char *bdf, bool loop)
{
	char path[512];
	uint8_t cfg[4096] = { 0 };
	FILE *f;

	snprintf(path, sizeof(path), "mkdir -p %s/bus/pci/devices/%s", root, bdf);
	if (system(path))
		return;
	/* 0x100: AER (id 1), next 0x140; 0x140: DVSEC (id 0x23), CXL Device (0x1E98, id 0) */
	put32le(cfg + 0x100, 0x0001 | 1u << 16 | (loop ? 0x100u : 0x140u) << 20);
	put32le(cfg + 0x140, 0x0023 | 1u << 16);
	put32le(cfg + 0x144, 0x1e98 | 2u << 16 | 0x3cu << 20);
	put32le(cfg + 0x148, 0x0000);
	put32le(cfg + 0x158, 0x1);		/* Range 1 Size High: 4 GiB */
	put32le(cfg + 0x15c, 0x1000004b);	/* Range 1 Size Low: +256 MiB, valid, active */
	put32le(cfg + 0x168, 0x0);		/* Range 2: not valid */
	put32le(cfg + 0x16c, 0x10000000);
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/config", root, bdf);
	f = fopen(path, "wb");
	if (f) {
		fwrite(cfg, 1, sizeof(cfg), f);
		fclose(f);
	}
}

static void test_sysfs(void)
{
	char root[] = "/tmp/topo_sysfs.XXXXXX", cmd[600];
	const struct vfiocxl_topo_placement *p;
	struct vfiocxl_topo *t;
	int rc;

	if (!mkdtemp(root)) {
		tap_ok(0, "sysfs: temporary directory", NULL);
		return;
	}
	fake_config(root, "0000:01:00.0", false);
	fake_config(root, "0000:02:00.0", true);
	t = topo_from("-M q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=8G,"
		      "cxl-fmw.1.targets.0=hb2,cxl-fmw.1.size=8G " HB1 HB2
		      "-device vfio-pci,sysfsdev=/sys/bus/pci/devices/0000:01:00.0,bus=rp1,id=gpu "
		      "-device vfio-pci,host=0000:02:00.0,bus=rp2,id=loopy", NULL, &rc);
	vfiocxl_topo_set_sysfs_root(t, root);
	rc = rc ? rc : vfiocxl_topo_machine_ready(t, NULL, NULL);
	p = find(t, "gpu");
	TAP_EQ_U64("sysfs: DPA size from the CXL Device DVSEC ranges (4 GiB + 256 MiB)",
		   0x110000000ULL, p ? p->dpa_size : 0);
	tap_ok(p && !p->error && p->size == 0x110000000ULL, "sysfs: sysfsdev= device placed",
	       vfiocxl_topo_strerror(t));
	p = find(t, "loopy");
	tap_ok(rc == -ENXIO && p && p->error == -ENODATA,
	       "sysfs: a looping capability chain gives no size (refused, not hung)",
	       p ? p->reason : vfiocxl_topo_strerror(t));
	vfiocxl_topo_free(t);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	if (system(cmd))
		printf("# could not remove %s\n", root);
}

int main(void)
{
	test_bases();
	test_seed004();
	test_refusals();
	test_shared();
	test_hotplug();
	test_machine_errors();
	test_sysfs();
	tap_plan(tap_n);
	return tap_exit();
}
