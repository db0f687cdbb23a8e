// SPDX-License-Identifier: MIT
/*
 * vfio-cxl: list CXL devices, bind them to the vfio-pci-cxl driver, and show
 * or program what a VMM sees through VFIO. Output is JSON as `cxl list`
 * prints it; errors are one line on stderr and an exit code (vfio-cxl.1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "vfio-cxl.h"

#ifdef VFIO_CXL_HAVE_TOPO
int vfio_cxl_cmd_plan(int argc, char **argv);
int vfio_cxl_cmd_cedt(int argc, char **argv);
#endif

struct opts opts;
const char *prog = "vfio-cxl";
static const char *cur_cmd;

int fail(int code, const char *dev, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	if (cur_cmd)
		fprintf(stderr, "%s: ", cur_cmd);
	if (dev)
		fprintf(stderr, "%s: ", dev);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int errno_exit(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return EXIT_OK;
	case EINVAL:
	case ERANGE:
		return EXIT_USAGE;
	case ENODEV:
	case ENOENT:
		return EXIT_NODEV;
	case EOPNOTSUPP:
		return EXIT_NOTCXL;
	case EBUSY:
	case EPERM:
		return EXIT_BUSY;
	default:
		return EXIT_FAIL;
	}
}

int parse_u64(const char *s, uint64_t *v)
{
	unsigned long long x;
	char *end;
	int shift = 0;

	if (!s || !*s || *s == '-')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || end == s)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	}
	if (*end == 'i' && shift)
		end++;
	if ((*end == 'B' || *end == 'b') && shift)
		end++;
	if (*end)
		return -EINVAL;
	if (shift && x > (~0ull >> shift))
		return -ERANGE;
	*v = x << shift;
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: vfio-cxl <command> [options]\n"
		"\n"
		"commands:\n"
		"  list               every PCI function with a CXL Device DVSEC (sysfs)\n"
		"  info DEV           the VFIO view: flags, CXL capability, regions, decoders\n"
		"  hdm DEV [...]      read, program (-d N --base B [--size S] [--lock]) or\n"
		"                     uncommit (-d N --uncommit) guest-visible HDM decoders\n"
		"  bind DEV           bind to " VFIO_CXL_DRIVER " through driver_override\n"
		"  unbind DEV         give the device back to its default driver\n"
#ifdef VFIO_CXL_HAVE_TOPO
		"  plan TOPOLOGY      place devices of a QEMU CXL topology in windows\n"
		"  cedt TOPOLOGY      build the guest's ACPI CEDT\n"
#endif
		"  vm-config [DEV...] the guest CXL topology (QEMU options, --libvirt, --json)\n"
		"                     for the devices bound to " VFIO_CXL_DRIVER " or the ones named\n"
		"\n"
		"common options: -u (human sizes), -t/--table, -v (library debug), -q, -h/--help\n"
		"vfio-cxl --version prints the version.\n"
		"DEV is a PCI address, DDDD:BB:DD.F. See vfio-cxl(1) for exit codes.\n");
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
	{ "list", cmd_list },
	{ "info", cmd_info },
	{ "hdm", cmd_hdm },
	{ "bind", cmd_bind },
	{ "unbind", cmd_unbind },
	{ "vm-config", cmd_vm_config },
#ifdef VFIO_CXL_HAVE_TOPO
	{ "plan", vfio_cxl_cmd_plan },
	{ "cedt", vfio_cxl_cmd_cedt },
#endif
};

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("vfio-cxl %s\n", VFIO_CXL_VERSION);
		return EXIT_OK;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name)) {
			cur_cmd = cmds[i].name;
			return cmds[i].fn(argc - 1, argv + 1);
		}
	fprintf(stderr, "%s: unknown command '%s' (see vfio-cxl --help)\n", prog, argv[1]);
	return EXIT_USAGE;
}
