// SPDX-License-Identifier: MIT
/*
 * The QEMU-syntax parser: sizes, both syntaxes (key=value and JSON) giving
 * the same model, options carried through untouched, malformed input
 * refused with the offending text quoted, and all-or-nothing calls.
 */
#include <errno.h>
#include <stdlib.h>
#include "vfiocxl-topo.h"
#include "topo_tap.h"

static const struct size_case {
	const char *in;
	uint64_t unit, exp;
	int rc;
} size_cases[] = {
	{ "1G", 1, 1ULL << 30, 0 },
	{ "256M", 1, 256ULL << 20, 0 },
	{ "256m", 1, 256ULL << 20, 0 },
	{ "4k", 1, 4096, 0 },
	{ "2T", 1, 2ULL << 40, 0 },
	{ "0x10000000", 1, 0x10000000, 0 },
	{ "1.5G", 1, 3ULL << 29, 0 },
	{ "268435456", 1, 268435456, 0 },
	{ "2048", 1ULL << 20, 2ULL << 30, 0 },	/* -m: MiB without a suffix */
	{ "512B", 1ULL << 20, 512, 0 },
	{ "", 1, 0, -EINVAL },
	{ "G", 1, 0, -EINVAL },
	{ "4X", 1, 0, -EINVAL },
	{ "1GG", 1, 0, -EINVAL },
	{ "-1", 1, 0, -EINVAL },
	{ "1.3B", 1, 0, -EINVAL },		/* fractional bytes */
	{ "0x1.8G", 1, 0, -EINVAL },
	{ "99999999999999999999", 1, 0, -ERANGE },
	{ "16E", 1, 0, -ERANGE },
};

static void test_sizes(void)
{
	for (size_t i = 0; i < sizeof(size_cases) / sizeof(size_cases[0]); i++) {
		const struct size_case *c = &size_cases[i];
		uint64_t v = 0;
		char name[96], m[200];
		int rc = vfiocxl_topo_parse_size(c->in, c->unit, &v);

		snprintf(name, sizeof(name), "size '%s' (unit %llu)", c->in, (unsigned long long)c->unit);
		snprintf(m, sizeof(m), "expected rc %d value 0x%llx, actual rc %d value 0x%llx", c->rc,
			 (unsigned long long)c->exp, rc, (unsigned long long)v);
		tap_ok(rc == c->rc && (rc || v == c->exp), name, m);
	}
}

static int parse_line(struct vfiocxl_topo *t, const char *line)
{
	char *copy = strdup(line), *argv[64], *save = NULL;
	int argc = 0, rc;

	/* '|' separates arguments so that values may hold spaces */
	for (char *tok = strtok_r(copy, "|", &save); tok && argc < 64; tok = strtok_r(NULL, "|", &save))
		argv[argc++] = tok;
	rc = vfiocxl_topo_parse_args(t, argc, argv);
	free(copy);
	return rc;
}

/* a plan as one string, to compare two models */
static void plan_string(const char *line, const char *dpa, char *out, size_t n)
{
	struct vfiocxl_topo *t = vfiocxl_topo_new();
	size_t o = 0;
	int rc = parse_line(t, line);

	if (!rc && dpa)
		rc = vfiocxl_topo_set_dpa_arg(t, dpa);
	rc = rc ? rc : vfiocxl_topo_machine_ready(t, NULL, NULL);
	o += snprintf(out + o, n - o, "rc=%d;", rc);
	for (unsigned int i = 0; i < vfiocxl_topo_num_placements(t) && o < n; i++) {
		const struct vfiocxl_topo_placement *p = vfiocxl_topo_placement(t, i);

		o += snprintf(out + o, n - o, "%s@%s/%s w%d 0x%llx+0x%llx hb%d;", p->device,
			      p->host_bridge, p->root_port, p->window, (unsigned long long)p->base,
			      (unsigned long long)p->size, p->hb.used);
	}
	for (unsigned int i = 0; i < vfiocxl_topo_num_windows(t) && o < n; i++) {
		const struct vfiocxl_topo_window *w = vfiocxl_topo_window(t, i);

		o += snprintf(out + o, n - o, "W%u 0x%llx+0x%llx %u/%u;", w->index,
			      (unsigned long long)w->base, (unsigned long long)w->size, w->ways,
			      w->granularity);
	}
	vfiocxl_topo_free(t);
}

static const struct equiv_case {
	const char *name, *kv, *json;
} equiv_cases[] = {
	{ "JSON -device and -object give the same plan as key=value",
	  "-m|2G|-M|q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G"
	  "|-object|memory-backend-ram,id=m0,size=512M"
	  "|-device|pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1"
	  "|-device|cxl-rp,port=0,bus=cxl.1,id=rp0,chassis=0,slot=2"
	  "|-device|cxl-type3,bus=rp0,volatile-memdev=m0,id=mem0",
	  "-m|2G|-M|q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G"
	  "|-object|{\"qom-type\": \"memory-backend-ram\", \"id\": \"m0\", \"size\": 536870912}"
	  "|-device|{\"driver\":\"pxb-cxl\",\"bus_nr\":12,\"bus\":\"pcie.0\",\"id\":\"cxl.1\"}"
	  "|-device|{\"driver\":\"cxl-rp\",\"port\":0,\"bus\":\"cxl.1\",\"id\":\"rp0\",\"chassis\":0,\"slot\":2}"
	  "|-device|{ \"driver\" : \"cxl-type3\", \"bus\" : \"rp0\", \"volatile-memdev\" : \"m0\", \"id\" : \"mem0\" }" },
	{ "JSON -M with a cxl-fmw list equals the dotted keys",
	  "-M|q35,cxl=on,cxl-fmw.0.targets.0=a,cxl-fmw.0.size=4G,cxl-fmw.1.targets.0=b,"
	  "cxl-fmw.1.targets.1=c,cxl-fmw.1.size=8G,cxl-fmw.1.interleave-granularity=2k"
	  "|-device|pxb-cxl,bus_nr=1,id=a|-device|pxb-cxl,bus_nr=2,id=b|-device|pxb-cxl,bus_nr=3,id=c",
	  "-M|{\"type\":\"q35\",\"cxl\":true,\"cxl-fmw\":[{\"targets\":[\"a\"],\"size\":\"4G\"},"
	  "{\"targets\":[\"b\",\"c\"],\"size\":\"8G\",\"interleave-granularity\":\"2k\"}]}"
	  "|-device|pxb-cxl,bus_nr=1,id=a|-device|pxb-cxl,bus_nr=2,id=b|-device|pxb-cxl,bus_nr=3,id=c" },
	{ "--device and -machine spellings, vfio-pci-nohotplug in JSON",
	  "-M|q35,cxl=on,cxl-fmw.0.targets.0=h,cxl-fmw.0.size=4G|-device|pxb-cxl,bus_nr=9,id=h"
	  "|-device|cxl-rp,bus=h,id=r|-device|vfio-pci-nohotplug,host=0000:01:00.0,bus=r,id=g",
	  "-machine|q35,cxl=on,cxl-fmw.0.targets.0=h,cxl-fmw.0.size=4G|--device|pxb-cxl,bus_nr=9,id=h"
	  "|--device|cxl-rp,bus=h,id=r"
	  "|-device|{\"driver\":\"vfio-pci-nohotplug\",\"host\":\"0000:01:00.0\",\"bus\":\"r\",\"id\":\"g\"}" },
};

static void test_equivalence(void)
{
	for (size_t i = 0; i < sizeof(equiv_cases) / sizeof(equiv_cases[0]); i++) {
		char a[2048], b[2048], m[4200];

		plan_string(equiv_cases[i].kv, "g=1G", a, sizeof(a));
		plan_string(equiv_cases[i].json, "g=1G", b, sizeof(b));
		snprintf(m, sizeof(m), "key=value: %s | JSON: %s", a, b);
		tap_ok(!strcmp(a, b) && !strncmp(a, "rc=0;", 5), equiv_cases[i].name, m);
	}
}

static const struct bad_case {
	const char *name, *line, *msg;
} bad_cases[] = {
	{ "malformed: -device without a value", "-device", "option '-device' needs a value" },
	{ "malformed: empty -device", "@", "-device '': empty value" },
	{ "malformed: parameter with no name", "-device|vfio-pci,=x,id=g",
	  "-device 'vfio-pci,=x,id=g': parameter with no name" },
	{ "malformed: no driver", "-device|,id=g", "-device ',id=g': no device driver" },
	{ "malformed: pxb-cxl without bus_nr", "-device|pxb-cxl,id=hb",
	  "-device 'pxb-cxl,id=hb': pxb-cxl needs bus_nr= from 0 to 255" },
	{ "malformed: bus_nr out of range", "-device|pxb-cxl,bus_nr=300,id=hb", "'pxb-cxl,bus_nr=300,id=hb'" },
	{ "malformed: bus_nr used twice", "-device|pxb-cxl,bus_nr=3,id=a|-device|pxb-cxl,bus_nr=3,id=b",
	  "bus_nr 3 already used by a" },
	{ "malformed: port not a number", "-device|cxl-rp,port=x,id=r", "-device 'cxl-rp,port=x,id=r': bad port 'x'" },
	{ "malformed: CXL device without id", "-device|cxl-rp,port=0,bus=hb",
	  "-device 'cxl-rp,port=0,bus=hb': cxl-rp needs an id=" },
	{ "malformed: duplicate id", "-device|cxl-rp,id=r|-device|cxl-rp,id=r",
	  "-device 'cxl-rp,id=r': duplicate device id 'r'" },
	{ "malformed: vfio-pci without host=", "-device|vfio-pci,id=g", "vfio-pci needs host= or sysfsdev=" },
	{ "malformed: JSON unterminated", "-device|{\"driver\":\"vfio-pci\",",
	  "-device '{\"driver\":\"vfio-pci\",': expected a string at offset 21" },
	{ "malformed: JSON trailing text", "-device|{\"driver\":\"x\",\"id\":\"y\"} junk", "trailing text" },
	{ "malformed: JSON bad escape", "-device|{\"driver\":\"a\\q\"}", "bad escape" },
	{ "malformed: JSON unclosed array", "-M|{\"cxl-fmw\":[1,2}", "expected ',' or ']'" },
	{ "malformed: JSON nested too deeply",
	  "-device|{\"a\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}", "nested too deeply" },
	{ "malformed: JSON null", "-device|{\"driver\":null}", "expected a value" },
	{ "malformed: window without targets", "-M|q35,cxl-fmw.0.size=4G", "cxl-fmw.0.targets missing" },
	{ "malformed: window without size", "-M|q35,cxl-fmw.0.targets.0=a", "cxl-fmw.0.size missing" },
	{ "malformed: window size not 256 MiB multiple", "-M|q35,cxl-fmw.0.targets.0=a,cxl-fmw.0.size=100M",
	  "cxl-fmw.0.size=100M is not a multiple of 256 MiB" },
	{ "malformed: window list with a gap", "-M|q35,cxl-fmw.1.targets.0=a,cxl-fmw.1.size=4G",
	  "cxl-fmw.0.size missing" },
	{ "malformed: target list with a gap",
	  "-M|q35,cxl-fmw.0.targets.1=a,cxl-fmw.0.size=4G", "cxl-fmw.0.targets.0 missing" },
	{ "malformed: window index not a number", "-M|q35,cxl-fmw.x.size=4G",
	  "-M 'q35,cxl-fmw.x.size=4G': bad window parameter 'cxl-fmw.x.size'" },
	{ "malformed: five-way interleave",
	  "-M|q35,cxl-fmw.0.targets.0=a,cxl-fmw.0.targets.1=b,cxl-fmw.0.targets.2=c,"
	  "cxl-fmw.0.targets.3=d,cxl-fmw.0.targets.4=e,cxl-fmw.0.size=5G", "has 5 targets" },
	{ "malformed: seventeen targets", "-M|q35,cxl-fmw.0.targets.16=a", "at most 16 per window" },
	{ "malformed: granularity 3k",
	  "-M|q35,cxl-fmw.0.targets.0=a,cxl-fmw.0.size=4G,cxl-fmw.0.interleave-granularity=3k",
	  "granularity must be 256 to 16k" },
	{ "malformed: unknown window parameter", "-M|q35,cxl-fmw.0.foo=1", "unknown window parameter 'cxl-fmw.0.foo'" },
	{ "malformed: cxl=maybe", "-M|q35,cxl=maybe", "cxl='maybe' is not a boolean" },
	{ "malformed: windows in two -M options",
	  "-M|q35,cxl-fmw.0.targets.0=a,cxl-fmw.0.size=4G|-M|cxl-fmw.1.targets.0=b,cxl-fmw.1.size=4G",
	  "used inconsistently" },
	{ "malformed: -m 0", "-m|0", "-m '0': bad size '0'" },
	{ "malformed: maxmem below size", "-m|4G,maxmem=2G", "maxmem is smaller than the memory size" },
	{ "malformed: unknown -m parameter", "-m|2G,foo=1", "unknown parameter 'foo'" },
	{ "malformed: -m not a MiB multiple", "-m|1500K", "not a multiple of 1 MiB" },
	{ "malformed: memory backend without id", "-object|memory-backend-ram,size=1G",
	  "memory backend without id=" },
	{ "malformed: memory backend bad size", "-object|memory-backend-ram,id=m,size=zz", "bad size 'zz'" },
	{ "malformed: phys-bits 99", "-cpu|max,phys-bits=99", "bad phys-bits '99'" },
	{ "malformed: --dpa-size without '='", "", "" },
};

static void test_malformed(void)
{
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct vfiocxl_topo *t = vfiocxl_topo_new();
		char m[800];
		int rc;

		if (!*c->line) {
			rc = vfiocxl_topo_set_dpa_arg(t, "gpu1G");
			tap_ok(rc == -EINVAL && strstr(vfiocxl_topo_strerror(t), "'gpu1G'"), c->name,
			       vfiocxl_topo_strerror(t));
		} else {
			/* "@SPEC": one -device through the hotplug-capable API */
			rc = c->line[0] == '@' ? vfiocxl_topo_add_device(t, c->line + 1) :
				parse_line(t, c->line);
			snprintf(m, sizeof(m), "expected -EINVAL with '%s', actual %d '%s'", c->msg, rc,
				 vfiocxl_topo_strerror(t));
			tap_ok(rc == -EINVAL && strstr(vfiocxl_topo_strerror(t), c->msg), c->name, m);
		}
		vfiocxl_topo_free(t);
	}
}

static void test_carried(void)
{
	static const char *const args[] = {
		"-nodefaults", "-display", "none", "-kernel", "/boot/vmlinuz", "-append",
		"console=ttyS0 quiet", "-M", "q35,cxl=on", "-object", "iommufd,id=fd0", "-S",
		"-device", "virtio-net,id=n0", "-accel", "tcg", "-cpu", "max,-hypervisor",
	};
	static const char *const carried[] = {
		"-nodefaults", "-display", "none", "-kernel", "/boot/vmlinuz", "-append",
		"console=ttyS0 quiet", "-object", "iommufd,id=fd0", "-S", "-accel", "tcg",
		"-cpu", "max,-hypervisor",
	};
	struct vfiocxl_topo *t = vfiocxl_topo_new();
	int rc = vfiocxl_topo_parse_args(t, sizeof(args) / sizeof(args[0]), (char *const *)args);
	bool same = vfiocxl_topo_num_carried(t) == sizeof(carried) / sizeof(carried[0]);

	TAP_EQ_INT("carried: unknown options parse", 0, rc);
	for (unsigned int i = 0; same && i < vfiocxl_topo_num_carried(t); i++)
		same = !strcmp(vfiocxl_topo_carried(t, i), carried[i]);
	tap_ok(same, "carried: unknown options kept untouched, in order (non-CXL -device kept in the model)",
	       NULL);
	vfiocxl_topo_free(t);

	/* all or nothing: a failing call leaves no trace */
	t = vfiocxl_topo_new();
	rc = parse_line(t, "-M|q35,cxl=on,cxl-fmw.0.targets.0=h,cxl-fmw.0.size=4G|-device|pxb-cxl,bus_nr=1,id=h"
			"|-device|cxl-rp,id=r,bus=h|-device|vfio-pci,host=1:0.0,bus=r,id=g");
	TAP_EQ_INT("rollback: first call parses", 0, rc);
	rc = parse_line(t, "-nodefaults|-m|8G"
			"|-device|cxl-rp,id=r2,bus=h|-device|vfio-pci,host=2:0.0,bus=r2,id=g2|-device|pxb-cxl,id=bad");
	TAP_EQ_INT("rollback: second call fails on its last option", -EINVAL, rc);
	vfiocxl_topo_set_dpa_size(t, "g", 1ULL << 30);
	vfiocxl_topo_set_dpa_size(t, "g2", 1ULL << 30);
	rc = vfiocxl_topo_machine_ready(t, NULL, NULL);
	tap_ok(!rc && vfiocxl_topo_num_placements(t) == 1 && vfiocxl_topo_num_windows(t) == 1 &&
	       vfiocxl_topo_num_carried(t) == 0 && vfiocxl_topo_placement(t, 0)->base == 0x110000000,
	       "rollback: devices, windows, -m and carried options of the failed call are gone",
	       vfiocxl_topo_strerror(t));
	vfiocxl_topo_free(t);

	/* ",," is a literal comma; a bare flag means flag=on */
	t = vfiocxl_topo_new();
	rc = parse_line(t, "-M|q35,cxl,cxl-fmw.0.targets.0=h,cxl-fmw.0.size=4G"
			"|-object|memory-backend-file,id=m,,x,mem-path=/tmp/a,,b,size=256M"
			"|-device|pxb-cxl,bus_nr=1,id=h|-device|cxl-rp,id=r,bus=h"
			"|-device|cxl-type3,bus=r,volatile-memdev=m,,x,id=t3");
	rc = rc ? rc : vfiocxl_topo_machine_ready(t, NULL, NULL);
	tap_ok(!rc && vfiocxl_topo_num_placements(t) == 1 &&
	       vfiocxl_topo_placement(t, 0)->size == 256ULL << 20,
	       "escapes: ',,' in ids and paths; bare 'cxl' means cxl=on", vfiocxl_topo_strerror(t));
	vfiocxl_topo_free(t);
}

int main(void)
{
	test_sizes();
	test_equivalence();
	test_malformed();
	test_carried();
	tap_plan(tap_n);
	return tap_exit();
}
