// SPDX-License-Identifier: MIT
/*
 * vfio-cxl bind / unbind: move a CXL device to the vfio-pci-cxl driver with
 * driver_override, and back. Every check comes before the first write, so
 * a refused request changes nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vfio-cxl.h"

static int parse(int argc, char **argv, const char *cmd, const char **driver, char *addr)
{
	static const struct option lo[] = {
		{ "driver", required_argument, NULL, 'D' }, { "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' }, { NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "hqD:", lo, NULL)) != -1) {
		switch (c) {
		case 'D':
			if (!*optarg || strchr(optarg, '/') || strlen(optarg) > 48)
				return fail(EXIT_USAGE, NULL, "bad driver name '%s'", optarg);
			*driver = optarg;
			break;
		case 'q': opts.quiet = true; break;
		case 'h':
			printf("usage: vfio-cxl %s DEV [--driver NAME] [-q]\n", cmd);
			return -1;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind + 1 != argc)
		return fail(EXIT_USAGE, NULL, "expected one device (vfio-cxl %s DEV)", cmd);
	if (pci_addr_parse(argv[optind], addr, 16))
		return fail(EXIT_USAGE, argv[optind], "not a PCI address (expected DDDD:BB:DD.F)");
	return 0;
}

static int check_cxl_and_users(const char *addr, struct pci_cxl *p)
{
	int rc = pci_cxl_read(addr, p), pid = 0, n;

	if (rc == -ENODEV)
		return fail(EXIT_NODEV, addr, "no such PCI device");
	if (rc)
		return fail(EXIT_FAIL, addr, "cannot read configuration space: %s", strerror(-rc));
	if (!p->ext_cfg)
		return fail(EXIT_FAIL, addr, "cannot read extended configuration space%s",
			    geteuid() ? " (run as root)" : "");
	if (!p->cxl)
		return fail(EXIT_NOTCXL, addr, "not a CXL device (no CXL Device DVSEC)");
	n = pci_users(p, &pid);
	if (n > 0)
		return fail(EXIT_BUSY, addr, "in use by process %d%s; close it first", pid,
			    n > 1 ? " and others" : "");
	return 0;
}

static int driver_path(char *buf, size_t len, const char *driver, const char *file)
{
	return snprintf(buf, len, "%s/bus/pci/drivers/%s%s%s", sysfs_root(), driver, file ? "/" : "",
			file ? file : "");
}

static int write_or_fail(const char *addr, const char *path, const char *val)
{
	int rc = sysfs_write(path, val);

	if (rc)
		return fail(rc == -EACCES || rc == -EPERM ? EXIT_BUSY : EXIT_FAIL, addr,
			    "writing '%s' to %s: %s", val, path, strerror(-rc));
	return 0;
}

int cmd_bind(int argc, char **argv)
{
	const char *driver = VFIO_CXL_DRIVER;
	char addr[16], path[PATH_MAX];
	struct pci_cxl p;
	int rc;

	rc = parse(argc, argv, "bind", &driver, addr);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	rc = check_cxl_and_users(addr, &p);
	if (rc)
		return rc;
	if (!strcmp(p.driver, driver)) {
		if (!opts.quiet)
			fprintf(stderr, "%s: bind: %s: already bound to %s\n", prog, addr, driver);
		return EXIT_OK;
	}
	driver_path(path, sizeof(path), driver, NULL);
	if (access(path, F_OK))
		return fail(EXIT_FAIL, addr, "driver %s is not loaded (modprobe vfio-cxl)", driver);
	if (p.group < 0)
		return fail(EXIT_FAIL, addr, "no IOMMU group: VFIO needs an IOMMU (intel_iommu=on?)");

	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver_override", sysfs_root(), addr);
	rc = write_or_fail(addr, path, driver);
	if (rc)
		return rc;
	if (p.driver[0]) {
		snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver/unbind", sysfs_root(), addr);
		rc = write_or_fail(addr, path, addr);
		if (rc)
			goto restore;
	}
	snprintf(path, sizeof(path), "%s/bus/pci/drivers_probe", sysfs_root());
	sysfs_write(path, addr);	/* probe errors show in the driver check below */
	pci_cxl_read(addr, &p);
	if (strcmp(p.driver, driver)) {
		rc = fail(EXIT_FAIL, addr, "%s did not bind it (see dmesg)", driver);
		goto restore;
	}
	if (!opts.quiet)
		fprintf(stderr, "%s: bind: %s: bound to %s, IOMMU group %d\n", prog, addr, driver, p.group);
	return EXIT_OK;
restore:
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver_override", sysfs_root(), addr);
	sysfs_write(path, "\n");
	snprintf(path, sizeof(path), "%s/bus/pci/drivers_probe", sysfs_root());
	sysfs_write(path, addr);
	return rc;
}

int cmd_unbind(int argc, char **argv)
{
	const char *driver = VFIO_CXL_DRIVER;
	char addr[16], path[PATH_MAX];
	struct pci_cxl p;
	int rc;

	rc = parse(argc, argv, "unbind", &driver, addr);
	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	rc = check_cxl_and_users(addr, &p);
	if (rc)
		return rc;
	if (p.driver[0] && strcmp(p.driver, driver))
		return fail(EXIT_BUSY, addr, "bound to %s, not to %s; leaving it alone", p.driver, driver);
	if (!p.driver[0] && strcmp(p.override, driver)) {
		if (!opts.quiet)
			fprintf(stderr, "%s: unbind: %s: not bound to %s\n", prog, addr, driver);
		return EXIT_OK;
	}
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver_override", sysfs_root(), addr);
	rc = write_or_fail(addr, path, "\n");
	if (rc)
		return rc;
	if (p.driver[0]) {
		snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver/unbind", sysfs_root(), addr);
		rc = write_or_fail(addr, path, addr);
		if (rc)
			return rc;
	}
	snprintf(path, sizeof(path), "%s/bus/pci/drivers_probe", sysfs_root());
	sysfs_write(path, addr);
	pci_cxl_read(addr, &p);
	if (!opts.quiet)
		fprintf(stderr, "%s: unbind: %s: %s%s\n", prog, addr,
			p.driver[0] ? "now bound to " : "unbound", p.driver);
	return EXIT_OK;
}
