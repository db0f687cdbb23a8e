// SPDX-License-Identifier: MIT
/*
 * vfio-cxl vm-config against a fake sysfs tree ($VFIO_CXL_SYSFS): for 1, 4
 * and 16 devices, the multi-root-port layouts and devices of mixed sizes,
 * the options it writes are checked for collisions (bus numbers, chassis and
 * slot, ids) and fed to `vfio-cxl plan --json` (round trip: every device
 * placed, in its own host bridge's window, at its size); the JSON's
 * qemu_args and the libvirt fragment carry the same options, and the
 * fragment, inside a domain, passes libvirt's schema (virt-xml-validate).
 * An existing command line is extended without collisions; bad input gets
 * one error line and the documented exit code.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cxlemu.h"
#include "tool_fake.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define MAXA 512

/* A PCI function; @size: its CXL Device DVSEC range 0 (0: a DVSEC without a
 * valid range; ~0: no DVSEC at all); @driver "" unbound. */
static void make_dev(const char *addr, uint64_t size, const char *driver)
{
	char d[600];
	uint8_t cfg[4096] = { 0 };

	fake_dev_dir(addr, d, sizeof(d));
	fake_cfg_ids(cfg, 0x0d93, 0x05020000);
	if (size != ~0ULL) {
		fake_cfg_device_dvsec(cfg, 0x100, 0, CXL_DVSEC_CAP_CACHE | CXL_DVSEC_CAP_MEM |
				      FIELD_PREP(CXL_DVSEC_CAP_HDM_COUNT, 1));
		if (size) {
			put32(cfg, 0x100 + CXL_DVSEC_RANGE_SIZE_HI(0), (uint32_t)(size >> 32));
			put32(cfg, 0x100 + CXL_DVSEC_RANGE_SIZE_LO(0),
			      ((uint32_t)size & 0xf0000000u) | 0x4b);	/* valid, active */
		}
	}
	fake_dev_config(d, cfg);
	fake_dev_driver(d, driver);
}

static void fresh_sysfs(void)
{
	sh("rm -rf %s && mkdir -p %s/bus/pci/devices %s/bus/pci/drivers/vfio-pci-cxl "
	   "%s/bus/pci/drivers/cxl_pci %s/devices/pci0000:00", sys, sys, sys, sys, sys);
}

/* ---- the options vm-config printed, one option and its value per line ---- */
static char *args[MAXA];
static int nargs;

static void split_output(void)
{
	char *s = out, *nl;

	for (int i = 0; i < nargs; i++)
		free(args[i]);
	nargs = 0;
	while (*s && (nl = strchr(s, '\n')) && nargs < MAXA - 2) {
		char *sp;

		*nl = '\0';
		sp = strchr(s, ' ');
		if (sp) {
			*sp = '\0';
			args[nargs++] = strdup(s);
			args[nargs++] = strdup(sp + 1);
			*sp = ' ';
		} else {
			args[nargs++] = strdup(s);
		}
		*nl = '\n';
		s = nl + 1;
	}
}

static char *kv(const char *val, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = val; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, key, kl) && p[kl] == '=')
			return strndup(p + kl + 1, strcspn(p + kl + 1, ","));
	return NULL;
}

static int count_prefix(const char *prefix)
{
	int n = 0;

	for (int i = 0; i + 1 < nargs; i++)
		if (!strcmp(args[i], "-device") && !strncmp(args[i + 1], prefix, strlen(prefix)))
			n++;
	return n;
}

/* bus numbers 8 apart, (chassis, slot) pairs and ids all distinct */
static bool no_collisions(char *why, size_t n)
{
	unsigned int bus[MAXA], cs[MAXA][2], nb = 0, nc = 0, ni = 0;
	char *ids[MAXA];
	bool good = true;

	for (int i = 0; i + 1 < nargs; i++) {
		char *x;

		if (strcmp(args[i], "-device"))
			continue;
		if ((x = kv(args[i + 1], "id")))
			ids[ni++] = x;
		if (!strncmp(args[i + 1], "pxb-cxl,", 8) && (x = kv(args[i + 1], "bus_nr"))) {
			bus[nb++] = (unsigned int)atoi(x);
			free(x);
		}
		if (!strncmp(args[i + 1], "cxl-rp,", 7)) {
			char *c = kv(args[i + 1], "chassis"), *s = kv(args[i + 1], "slot");

			cs[nc][0] = c ? (unsigned int)atoi(c) : 0;
			cs[nc][1] = s ? (unsigned int)atoi(s) : 0;
			nc++;
			free(c);
			free(s);
		}
	}
	for (unsigned int a = 0; a < nb; a++)
		for (unsigned int b = a + 1; b < nb; b++)
			if ((bus[a] > bus[b] ? bus[a] - bus[b] : bus[b] - bus[a]) < 8) {
				snprintf(why, n, "bus_nr %u and %u", bus[a], bus[b]);
				good = false;
			}
	for (unsigned int a = 0; a < nb; a++)
		if (bus[a] + 8 > 256) {
			snprintf(why, n, "bus_nr %u", bus[a]);
			good = false;
		}
	for (unsigned int a = 0; a < nc; a++)
		for (unsigned int b = a + 1; b < nc; b++)
			if (cs[a][0] == cs[b][0] && cs[a][1] == cs[b][1]) {
				snprintf(why, n, "chassis %u slot %u twice", cs[a][0], cs[a][1]);
				good = false;
			}
	for (unsigned int a = 0; a < ni; a++)
		for (unsigned int b = a + 1; b < ni; b++)
			if (!strcmp(ids[a], ids[b])) {
				snprintf(why, n, "id %s twice", ids[a]);
				good = false;
			}
	for (unsigned int a = 0; a < ni; a++)
		free(ids[a]);
	if (good)
		snprintf(why, n, "%u host bridges, %u root ports, %u ids", nb, nc, ni);
	return good;
}

/* `vfio-cxl plan --json -- -m RAM ARGS`: exit code; JSON left in out[] */
static int plan(const char *ram, int skip)
{
	char *argv[MAXA + 8] = { VFIO_CXL_TOOL, "plan", "--json", "--" };
	int argc = 4;

	if (ram) {
		argv[argc++] = "-m";
		argv[argc++] = (char *)ram;
	}
	for (int i = skip; i < nargs; i++)
		argv[argc++] = args[i];
	argv[argc] = NULL;
	return runv(argv);
}

static int count_str(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* In plan's JSON, the "size" of device @id. */
static uint64_t placed_size(const char *id)
{
	char key[64];
	const char *p, *s;

	snprintf(key, sizeof(key), "{\"device\":\"%s\"", id);
	p = strstr(out, key);
	if (!p || !(s = strstr(p, "\"state\":\"placed\",")))
		return 0;
	s = strstr(s, "\"size\":");
	return s ? strtoull(s + 7, NULL, 10) : 0;
}

struct vcase {
	const char *name;
	unsigned int ndev;
	uint64_t sizes[4];	/* cycled */
	const char *per_hb;	/* NULL: default (1) */
	unsigned int want_hbs;
	const char *window_size;
	bool hb_decoders;	/* --host-bridge-decoders */
};

static const struct vcase cases[] = {
	{ "1 device", 1, { 256 * MiB }, NULL, 1, NULL, false },
	{ "4 devices", 4, { 256 * MiB }, NULL, 4, NULL, false },
	{ "16 devices", 16, { 256 * MiB }, NULL, 16, NULL, false },
	{ "4 devices of 256M, 512M, 1G and 768M", 4, { 256 * MiB, 512 * MiB, GiB, 768 * MiB }, NULL, 4, NULL, false },
	{ "multi-rp: 2 devices on one host bridge", 2, { 256 * MiB }, "2", 1, NULL, false },
	{ "multi-rp: 4 devices, 2 per host bridge", 4, { 256 * MiB, 512 * MiB }, "2", 2, NULL, false },
	{ "multi-rp: 16 devices, 4 per host bridge", 16, { 256 * MiB, 512 * MiB, GiB, 768 * MiB }, "4", 4, NULL, false },
	{ "multi-rp: 3 devices, 2 per host bridge (one alone)", 3, { 256 * MiB }, "2", 2, NULL, false },
	{ "4 devices, 4G windows", 4, { 256 * MiB }, NULL, 4, "4G", false },
	{ "seeds' topology with host-bridge decoders: 1 device", 1, { 256 * MiB }, NULL, 1, NULL, true },
	{ "host-bridge decoders: 3 devices, 2 per host bridge", 3, { 512 * MiB }, "2", 2, NULL, true },
};

static void addr_of(unsigned int i, char *buf, size_t n)
{
	snprintf(buf, n, "0000:%02x:00.0", 0x10 + i);
}

static void one_case(const struct vcase *c)
{
	char addr[16], why[200], id[32];
	char *argv[16] = { VFIO_CXL_TOOL, "vm-config" };
	int argc = 2, rc;
	bool sizes_ok = true, hbd_ok = true;
	unsigned int nhbdec, want_hbdec = 0;

	fresh_sysfs();
	for (unsigned int i = 0; i < c->ndev; i++) {
		addr_of(i, addr, sizeof(addr));
		make_dev(addr, c->sizes[i % 4] ? c->sizes[i % 4] : c->sizes[0], "vfio-pci-cxl");
	}
	/* neither a CXL device bound elsewhere nor a plain device is configured */
	make_dev("0000:05:00.0", 256 * MiB, "cxl_pci");
	make_dev("0000:06:00.0", ~0ULL, "vfio-pci-cxl");
	if (c->per_hb) {
		argv[argc++] = "--per-host-bridge";
		argv[argc++] = (char *)c->per_hb;
	}
	if (c->window_size) {
		argv[argc++] = "--window-size";
		argv[argc++] = (char *)c->window_size;
	}
	if (c->hb_decoders)
		argv[argc++] = "--host-bridge-decoders";
	argv[argc] = NULL;
	rc = runv(argv);
	split_output();
	ok(count_str(out, ",hdm_for_passthrough=on") == (c->hb_decoders ? (int)c->want_hbs : 0),
	   "%s: %d pxb-cxl with hdm_for_passthrough=on (%u wanted)", c->name,
	   count_str(out, ",hdm_for_passthrough=on"), c->hb_decoders ? c->want_hbs : 0);
	ok(rc == 0 && count_prefix("pxb-cxl,") == (int)c->want_hbs &&
	   count_prefix("cxl-rp,") == (int)c->ndev &&
	   count_prefix("vfio-pci-nohotplug,") == (int)c->ndev && !strstr(out, "0000:05:00.0") &&
	   !strstr(out, "0000:06:00.0"),
	   "%s: vm-config exits %d: %d pxb-cxl (%u wanted), %d cxl-rp, %d vfio-pci-nohotplug (%u); only the %s's CXL devices",
	   c->name, rc, count_prefix("pxb-cxl,"), c->want_hbs, count_prefix("cxl-rp,"),
	   count_prefix("vfio-pci-nohotplug,"), c->ndev, "vfio-pci-cxl");
	ok(no_collisions(why, sizeof(why)), "%s: no collisions (%s)", c->name, why);

	rc = plan("2G", 0);
	for (unsigned int i = 0; i < c->ndev; i++) {
		uint64_t s = c->sizes[i % 4] ? c->sizes[i % 4] : c->sizes[0];

		snprintf(id, sizeof(id), "cxl-dev%u", i);
		if (placed_size(id) != (s + 256 * MiB - 1) / (256 * MiB) * (256 * MiB)) {
			sizes_ok = false;
			printf("# %s: placed size %" PRIu64 ", want %" PRIu64 "\n", id, placed_size(id), s);
		}
	}
	/* each host bridge with several root ports routes through its HDM decoders */
	for (unsigned int h = 0; h < c->want_hbs; h++) {
		unsigned int per = c->per_hb ? (unsigned int)atoi(c->per_hb) : 1;
		unsigned int in = c->ndev - h * per < per ? c->ndev - h * per : per;

		if (in > 1 || c->hb_decoders)
			want_hbdec += in;
	}
	nhbdec = (unsigned int)count_str(out, "\"hb_decoder\"");
	hbd_ok = nhbdec == want_hbdec;
	ok(rc == 0 && count_str(out, "\"state\":\"placed\"") == (int)c->ndev &&
	   !strstr(out, "refused\",\"reason") && sizes_ok && hbd_ok &&
	   count_str(out, "{\"window\":") == (int)c->want_hbs,
	   "%s: round trip: vfio-cxl plan exits %d, places %d of %u devices at their sizes, %d windows, %u host-bridge decoders (%u wanted)",
	   c->name, rc, count_str(out, "\"state\":\"placed\""), c->ndev,
	   count_str(out, "{\"window\":"), nhbdec, want_hbdec);

	/* JSON: qemu_args are the same options */
	argv[1] = "vm-config";
	argv[argc] = "--json";
	argv[argc + 1] = NULL;
	rc = runv(argv);
	{
		const char *p = strstr(out, "\"qemu_args\"");
		int k = 0;
		bool same = p != NULL;

		while (same && p && k < nargs) {
			char want[1024];

			snprintf(want, sizeof(want), "\"%s\"", args[k]);
			p = strstr(p, want);
			if (p)
				p += strlen(want), k++;
			else
				same = false;
		}
		ok(rc == 0 && same && k == nargs && count_str(out, "\"dev\":") == (int)c->ndev,
		   "%s: --json: the %d qemu_args in order, %d devices", c->name, k,
		   count_str(out, "\"dev\":"));
	}
}

/* The libvirt fragment in a minimal q35 domain: libvirt's schema, same options. */
static void libvirt_case(unsigned int ndev, const char *per_hb)
{
	char addr[16], path[400], cmd[1200], vout[1024] = "";
	char *argv[8] = { VFIO_CXL_TOOL, "vm-config", "--libvirt" };
	int argc = 3, rc, k = 0;
	const char *validator = "/usr/bin/virt-xml-validate";
	FILE *f;
	bool same = true;

	fresh_sysfs();
	for (unsigned int i = 0; i < ndev; i++) {
		addr_of(i, addr, sizeof(addr));
		make_dev(addr, 512 * MiB, "vfio-pci-cxl");
	}
	if (per_hb) {
		argv[argc++] = "--per-host-bridge";
		argv[argc++] = (char *)per_hb;
	}
	argv[argc] = NULL;
	rc = run("vm-config", per_hb ? "--per-host-bridge" : NULL, per_hb, NULL);
	split_output();
	rc = runv(argv);
	for (const char *p = out; k < nargs && p && (p = strstr(p, "<qemu:arg value='")); k++) {
		/* the same options, but the domain names the machine type */
		const char *want = strncmp(args[k], "q35,", 4) ? args[k] : args[k] + 4;
		size_t l = strlen(want);

		p += 17;
		if (strncmp(p, want, l) || strncmp(p + l, "'/>", 3))
			same = false;
	}
	snprintf(path, sizeof(path), "%s/domain.xml", root);
	f = fopen(path, "w");
	fprintf(f, "<domain type='kvm' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>\n"
		   "  <name>cxl-guest</name>\n  <memory unit='GiB'>4</memory>\n"
		   "  <os><type arch='x86_64' machine='q35'>hvm</type></os>\n"
		   "  <devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>\n%s</domain>\n",
		   out);
	fclose(f);
	ok(rc == 0 && same && k == nargs && nargs > 0 && strstr(out, "<qemu:arg value='cxl=on,cxl-fmw.0.targets.0=cxl.1,"),
	   "--libvirt, %u devices%s%s: one qemu:arg per option (%d of %d, same order), -machine without its type",
	   ndev, per_hb ? ", per host bridge " : "", per_hb ? per_hb : "", k, nargs);
	snprintf(cmd, sizeof(cmd), "%s %s domain 2>&1", validator, path);
	f = popen(cmd, "r");
	if (f) {
		if (!fgets(vout, sizeof(vout), f))
			vout[0] = '\0';
		rc = pclose(f);
	}
	vout[strcspn(vout, "\n")] = '\0';
	ok(f && rc == 0 && strstr(vout, "validates"),
	   "--libvirt, %u devices: the fragment in a q35 domain passes virt-xml-validate (%s)", ndev, vout);
}

static void extend_case(void)
{
	char *argv[64] = { VFIO_CXL_TOOL, "vm-config", "--" };
	static const char *const existing[] = {
		"qemu-system-x86_64", "-m", "4G", "-M", "q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G",
		"-object", "memory-backend-ram,id=cxl-mem0,size=256M",
		"-device", "pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1",
		"-device", "cxl-rp,port=0,bus=cxl.1,id=cxl-rp0,chassis=20,slot=0",
		"-device", "cxl-type3,bus=cxl-rp0,volatile-memdev=cxl-mem0,id=cxl-dev0",
		"-append", "console=ttyS0 quiet",
	};
	unsigned int ne = sizeof(existing) / sizeof(existing[0]);
	char why[200], addr[16];
	int argc = 3, rc, fmw = 0;
	bool prefix = true;

	fresh_sysfs();
	for (unsigned int i = 0; i < 2; i++) {
		addr_of(i, addr, sizeof(addr));
		make_dev(addr, 256 * MiB, "vfio-pci-cxl");
	}
	for (unsigned int i = 0; i < ne; i++)
		argv[argc++] = (char *)existing[i];
	argv[argc] = NULL;
	rc = runv(argv);
	/* the quoted -append value: put it back to one word for the checks */
	split_output();
	for (int i = 0; i + 1 < nargs; i++)
		if (!strcmp(args[i], "-append") && !strcmp(args[i + 1], "'console=ttyS0 quiet'")) {
			free(args[i + 1]);
			args[i + 1] = strdup("console=ttyS0 quiet");
		}
	for (unsigned int i = 0; i < ne && prefix; i++)
		prefix = (int)i < nargs && (!strcmp(args[i], existing[i]) ||
					    (i == 4 && !strncmp(args[i], existing[i], strlen(existing[i]))));
	for (int i = 0; i < nargs; i++)
		fmw += strstr(args[i], "cxl-fmw.") != NULL;
	ok(rc == 0 && prefix && fmw == 1 && strstr(args[4], "cxl-fmw.1.targets.0=cxl.2") &&
	   strstr(args[4], "cxl-fmw.2.targets.0=cxl.3") && count_prefix("pxb-cxl,") == 3,
	   "extend: the existing options kept in order (the -append value quoted), windows 1 and 2 added to its cxl-fmw -M (%d option(s) with cxl-fmw), 3 host bridges",
	   fmw);
	ok(no_collisions(why, sizeof(why)) && !strstr(out, "bus_nr=12,bus=pcie.0,id=cxl.2") &&
	   strstr(out, "id=cxl-dev1") && strstr(out, "id=cxl-dev2"),
	   "extend: no collision with the existing bus_nr 12, ids cxl.1, cxl-rp0, cxl-dev0 (%s)", why);
	rc = plan(NULL, 1);
	ok(rc == 0 && count_str(out, "\"state\":\"placed\"") == 3 && placed_size("cxl-dev0") == 256 * MiB &&
	   placed_size("cxl-dev1") == 256 * MiB && placed_size("cxl-dev2") == 256 * MiB,
	   "extend: round trip: vfio-cxl plan places the existing Type-3 device and the two new ones (%d placed)",
	   count_str(out, "\"state\":\"placed\""));

	/* no cxl-fmw yet, no machine type: one -machine q35,cxl=on,... more */
	argc = 3;
	argv[argc++] = "-m";
	argv[argc++] = "2G";
	argv[argc] = NULL;
	rc = runv(argv);
	ok(rc == 0 && strstr(out, "\n-machine q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=256M,cxl-fmw.1.") &&
	   !strncmp(out, "-m 2G\n", 6),
	   "extend '-m 2G': '-m 2G' then '-machine q35,cxl=on,cxl-fmw.0...'");
	argc = 3;
	argv[argc++] = "-M";
	argv[argc++] = "pc";
	argv[argc] = NULL;
	rc = runv(argv);
	ok(rc == 2 && lines(err) == 1 && strstr(err, "machine type 'pc'") && !out[0],
	   "extend '-M pc': exit 2, 'machine type pc has no CXL host bridges', nothing printed");
}

static void error_cases(void)
{
	int rc;

	fresh_sysfs();
	make_dev("0000:05:00.0", 256 * MiB, "cxl_pci");
	rc = run("vm-config", NULL);
	ok(rc == 3 && lines(err) == 1 && strstr(err, "no CXL device is bound to vfio-pci-cxl") && !out[0],
	   "nothing bound to vfio-pci-cxl: exit 3, one line saying so");
	rc = run("vm-config", "0000:05:00.0", NULL);
	ok(rc == 0 && strstr(out, "host=0000:05:00.0") && strstr(err, "0000:05:00.0") &&
	   strstr(err, "not VFIO"),
	   "a named device bound to cxl_pci: configured, with a warning naming it");
	rc = run("vm-config", "0000:09:00.0", NULL);
	ok(rc == 3 && lines(err) == 1 && strstr(err, "0000:09:00.0: no such PCI device"),
	   "a named device that does not exist: exit 3, naming it");
	make_dev("0000:06:00.0", ~0ULL, "");
	rc = run("vm-config", "06:00.0", NULL);
	ok(rc == 4 && lines(err) == 1 && strstr(err, "0000:06:00.0: not a CXL device"),
	   "a named device without CXL Device DVSEC: exit 4");
	make_dev("0000:07:00.0", 0, "vfio-pci-cxl");
	rc = run("vm-config", "0000:07:00.0", NULL);
	ok(rc == 1 && lines(err) == 1 && strstr(err, "0000:07:00.0: device memory size unknown") &&
	   strstr(err, "--dpa-size 0000:07:00.0=SIZE") && !out[0],
	   "a device with no valid DVSEC range: exit 1, asks for --dpa-size");
	rc = run("vm-config", "0000:07:00.0", "--dpa-size", "0000:07:00.0=1G", NULL);
	ok(rc == 0 && strstr(out, "cxl-fmw.0.size=1G"), "--dpa-size DEV=1G gives it a 1G window");
	rc = run("vm-config", "0000:05:00.0", "0000:05:00.0", NULL);
	ok(rc == 2 && strstr(err, "named twice"), "a device named twice: exit 2");
	rc = run("vm-config", "0000:05:00.0", "--per-host-bridge", "5", NULL);
	ok(rc == 2 && lines(err) == 1 && strstr(err, "1 to 4"), "--per-host-bridge 5: exit 2 (four HDM decoders)");
	rc = run("vm-config", "0000:05:00.0", "--driver", "cxl-type3", NULL);
	ok(rc == 2 && lines(err) == 1, "--driver cxl-type3: exit 2");
	rc = run("vm-config", "0000:05:00.0", "--window-size", "100M", NULL);
	ok(rc == 2 && strstr(err, "multiple of 256M"), "--window-size 100M: exit 2");
	rc = run("vm-config", "0000:05:00.0", "--libvirt", "--", "-m", "2G", NULL);
	ok(rc == 2 && lines(err) == 1, "--libvirt with a command line to extend: exit 2");
	rc = run("vm-config", "0000:05:00.0", "--bogus", NULL);
	ok(rc == 2 && lines(err) == 1 && strstr(err, "--bogus"), "an unknown option: exit 2, naming it");
	rc = run("vm-config", "0000:05:00.0", "--driver", "vfio-pci", NULL);
	ok(rc == 0 && strstr(out, "-device vfio-pci,host=0000:05:00.0,bus=cxl-rp0,id=cxl-dev0\n"),
	   "--driver vfio-pci");
}

int main(void)
{
	unsigned int nc = sizeof(cases) / sizeof(cases[0]);
	char tmpl[] = "/tmp/vfio-cxl-vmconfig.XXXXXX";

	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(root, sizeof(root), "%s", tmpl);
	snprintf(sys, sizeof(sys), "%s/sys", root);
	printf("1..%u\n", nc * 5 + 2 * 3 + 5 + 13);
	for (unsigned int i = 0; i < nc; i++)
		one_case(&cases[i]);
	libvirt_case(1, NULL);
	libvirt_case(16, NULL);
	libvirt_case(4, "2");
	extend_case();
	error_cases();
	sh("rm -rf %s", root);
	return failed ? 1 : 0;
}
