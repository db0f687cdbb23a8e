// SPDX-License-Identifier: MIT
/*
 * The vfio-cxl command against a fake sysfs tree ($VFIO_CXL_SYSFS) and a
 * fake /proc ($VFIO_CXL_PROC): list output (JSON, -u, --table), and for bad
 * input (an address that does not exist, a device that is not CXL, one bound
 * elsewhere, one in use, bad options) one error line, the documented exit
 * code, and nothing changed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

/*
 * A PCI function. @cap: DVSEC CXL Capability (0: no DVSEC), @committed:
 * decoder 0 control in resource0 (-1: no resource file), @driver "" unbound.
 */
static void make_dev(const char *addr, uint16_t devid, uint16_t cap, int committed,
		     const char *driver, int group)
{
	char d[600], p[700];
	uint8_t cfg[4096] = { 0 };

	fake_dev_dir(addr, d, sizeof(d));
	fake_cfg_ids(cfg, devid, 0x05020000);	/* CXL memory device class */
	if (cap) {
		/* 0x100: AER-like capability, then the CXL Device DVSEC at 0x10c */
		put32(cfg, 0x100, FIELD_PREP(CXL_PCI_EXT_CAP_HDR_ID, 1) |
				  FIELD_PREP(CXL_PCI_EXT_CAP_HDR_VER, 2) |
				  FIELD_PREP(CXL_PCI_EXT_CAP_HDR_NEXT, 0x10c));
		fake_cfg_device_dvsec(cfg, 0x10c, 0x148, cap);
		put16(cfg, 0x10c + CXL_DVSEC_CTRL, CXL_DVSEC_CTRL_IO_EN);
		put32(cfg, 0x10c + CXL_DVSEC_RANGE_SIZE_LO(0), 0x1000004b);	/* QEMU: 256 MiB, active */
		/* Register Locator at 0x148: component block in BAR 0 at offset 0 */
		put32(cfg, 0x148, FIELD_PREP(CXL_PCI_EXT_CAP_HDR_ID, CXL_PCI_EXT_CAP_ID_DVSEC) |
				  FIELD_PREP(CXL_PCI_EXT_CAP_HDR_VER, 1));
		put32(cfg, 0x148 + CXL_DVSEC_HDR1, FIELD_PREP(CXL_DVSEC_HDR1_VENDOR, CXL_DVSEC_VENDOR_ID) |
						   FIELD_PREP(CXL_DVSEC_HDR1_LEN, 0x24));
		put32(cfg, 0x148 + CXL_DVSEC_HDR2, CXL_DVSEC_ID_REG_LOCATOR);
		put32(cfg, 0x148 + CXL_RL_BLOCK_LO(0), FIELD_PREP(CXL_RL_BLOCK_LO_ID, CXL_RL_ID_COMPONENT));
		put32(cfg, 0x148 + CXL_RL_BLOCK_LO(1), FIELD_PREP(CXL_RL_BLOCK_LO_ID, CXL_RL_ID_MEMDEV) |
						       FIELD_PREP(CXL_RL_BLOCK_LO_BIR, 2));
	}
	fake_dev_config(d, cfg);
	if (committed >= 0) {
		static uint8_t bar[0x10000];
		uint32_t a = CXL_COMP_CM_OFFSET;

		memset(bar, committed == 2 ? 0xff : 0, sizeof(bar));	/* 2: reads all ones */
		if (committed != 2)
			put32(bar, a, 0x03110001);
		put32(bar, a + 4, FIELD_PREP(CXL_CM_CAP_ENTRY_ID, 2) | FIELD_PREP(CXL_CM_CAP_ENTRY_PTR, 0x80));
		put32(bar, a + 8, FIELD_PREP(CXL_CM_CAP_ENTRY_ID, 4) | FIELD_PREP(CXL_CM_CAP_ENTRY_PTR, 0xd8));
		put32(bar, a + 12, FIELD_PREP(CXL_CM_CAP_ENTRY_ID, CXL_CM_CAP_ID_HDM) |
				   FIELD_PREP(CXL_CM_CAP_ENTRY_PTR, 0x128));
		put32(bar, a + 0x128 + CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL,
		      committed ? 0x1600 : 0);
		snprintf(p, sizeof(p), "%s/resource0", d);
		write_file(p, bar, sizeof(bar));
	}
	if (group >= 0)
		sh("ln -s ../../../kernel/iommu_groups/%d %s/iommu_group", group, d);
	fake_dev_driver(d, driver);
}

/* A function whose extended capability chain loops back on itself. */
static void make_loop_dev(const char *addr)
{
	char d[600];
	uint8_t cfg[4096] = { 0 };

	fake_dev_dir(addr, d, sizeof(d));
	fake_cfg_ids(cfg, 0x4242, 0);
	put32(cfg, 0x100, FIELD_PREP(CXL_PCI_EXT_CAP_HDR_ID, 1) | FIELD_PREP(CXL_PCI_EXT_CAP_HDR_NEXT, 0x104));
	put32(cfg, 0x104, FIELD_PREP(CXL_PCI_EXT_CAP_HDR_ID, 2) | FIELD_PREP(CXL_PCI_EXT_CAP_HDR_NEXT, 0x100));
	fake_dev_config(d, cfg);
}

static bool json_ok(void)
{
	char p[400];

	snprintf(p, sizeof(p), "python3 -c 'import json,sys; json.load(sys.stdin)' < %s/out 2>/dev/null", root);
	return system(p) == 0;
}

static bool override_is_null(const char *addr)
{
	char p[700], buf[64];

	snprintf(p, sizeof(p), "%s/bus/pci/devices/%s/driver_override", sys, addr);
	slurp(p, buf, sizeof(buf));
	return !strcmp(buf, "(null)\n");
}

int main(void)
{
	const uint16_t type3 = CXL_DVSEC_CAP_IO | CXL_DVSEC_CAP_MEM | FIELD_PREP(CXL_DVSEC_CAP_HDM_COUNT, 1);
	const uint16_t type2 = type3 | CXL_DVSEC_CAP_CACHE;
	int rc;

	snprintf(root, sizeof(root), "/tmp/tool_cli_test.%d", getpid());
	snprintf(sys, sizeof(sys), "%s/sys", root);
	snprintf(proc, sizeof(proc), "%s/proc", root);
	sh("rm -rf %s && mkdir -p %s/bus/pci/devices %s/bus/pci/drivers/cxl_pci %s/kernel/iommu_groups/7 %s",
	   root, sys, sys, sys, proc);
	sh("touch %s/bus/pci/drivers_probe %s/bus/pci/drivers/cxl_pci/unbind", sys, sys);
	make_dev("0000:0d:00.0", 0x0d93, type3, 1, "cxl_pci", 7);
	make_dev("0000:0e:00.0", 0x0d94, type2, -1, "", -1);
	make_dev("0000:00:02.0", 0x1234, 0, -1, "", 3);
	make_loop_dev("0000:00:03.0");
	make_dev("0000:0f:00.0", 0x0d95, type3, 2, "", 9);

	printf("1..45\n");
	rc = run("list", NULL);
	ok(rc == 0 && !err[0], "list exits 0 quietly");
	ok(strstr(out, "\"dev\":\"0000:0d:00.0\"") && strstr(out, "\"dev\":\"0000:0e:00.0\"") &&
	   strstr(out, "\"dev\":\"0000:0f:00.0\"") &&
	   !strstr(out, "0000:00:02.0"), "list shows the three CXL functions only");
	ok(out[0] == '[' && strstr(out, "{\n    \"dev\":\"0000:0d:00.0\",\n    \"vendor_id\":\"0x8086\""),
	   "list is a JSON array, first key names the device");
	ok(strstr(out, "\"type\":3") && strstr(out, "\"type\":2"), "type 3 and type 2 from DVSEC capability bits");
	ok(strstr(out, "\"dpa_size\":268435456") && strstr(out, "\"memory_active\":true"),
	   "DPA size and Memory_Active from DVSEC range 1");
	ok(strstr(out, "\"driver\":\"cxl_pci\"") && strstr(out, "\"iommu_group\":7"), "driver and IOMMU group");
	ok(strstr(out, "\"decoder_committed\":true") && strstr(out, "\"component_bar\":0"),
	   "decoder 0 COMMITTED read through the component BAR");
	ok(!strstr(strstr(out, "0000:0e:00.0"), "decoder_committed") &&
	   !strstr(strstr(out, "0000:0e:00.0"), "\"driver\""), "unknown fields left out");
	ok(json_ok(), "list output is valid JSON");
	rc = run("list", "-u", NULL);
	ok(rc == 0 && strstr(out, "\"dpa_size\":\"256.00 MiB (268.44 MB)\""), "list -u prints human sizes");
	ok(json_ok(), "list -u output is valid JSON");
	rc = run("list", "-d", "0000:0f:00.0", NULL);
	ok(rc == 0 && !strstr(out, "decoder_committed"), "component BAR reading all ones: decoder state left out");
	rc = run("list", "-d", "0000:00:03.0", NULL);
	ok(rc == 4 && lines(err) == 1, "a looping capability chain ends: not CXL, exit 4");
	rc = run("list", "--table", NULL);
	ok(rc == 0 && !strncmp(out, "dev ", 4) && lines(out) == 4, "list --table: header and three rows");
	rc = run("list", "-d", "0d:00.0", NULL);
	ok(rc == 0 && out[0] == '{' && json_ok(), "list -d: one object, not an array");
	rc = run("list", "-d", "0000:00:02.0", NULL);
	ok(rc == 4 && lines(err) == 1 && strstr(err, "0000:00:02.0") && strstr(err, "not a CXL device"),
	   "list -d non-CXL device: exit 4, one line");
	rc = run("list", "-d", "0000:99:00.0", NULL);
	ok(rc == 3 && lines(err) == 1 && strstr(err, "no such PCI device"), "list -d absent device: exit 3");


	rc = run("info", "0000:99:00.0", NULL);
	ok(rc == 3 && lines(err) == 1 && strstr(err, "0000:99:00.0: no such PCI device") && !out[0],
	   "info absent device: exit 3, one line naming it");
	rc = run("info", "0000:00:02.0", NULL);
	ok(rc == 4 && lines(err) == 1 && strstr(err, "not a CXL device"), "info non-CXL device: exit 4");
	rc = run("info", "0000:0d:00.0", NULL);
	ok(rc == 5 && lines(err) == 1 && strstr(err, "bound to cxl_pci"), "info device bound elsewhere: exit 5");
	rc = run("info", "0000:0e:00.0", NULL);
	ok(rc == 5 && lines(err) == 1 && strstr(err, "not bound"), "info unbound device: exit 5");
	rc = run("info", "0000:0d:00", NULL);
	ok(rc == 2 && lines(err) == 1 && strstr(err, "not a PCI address"), "info malformed address: exit 2");
	rc = run("info", NULL);
	ok(rc == 2 && lines(err) == 1, "info without a device: exit 2");
	rc = run("frobnicate", NULL);
	ok(rc == 2 && lines(err) == 1 && strstr(err, "unknown command"), "unknown command: exit 2");
	rc = run(NULL);
	ok(rc == 2 && strstr(err, "usage"), "no command: usage, exit 2");
	rc = run("--help", NULL);
	ok(rc == 0 && strstr(out, "usage: vfio-cxl") && !err[0], "--help: usage on stdout, exit 0");
	rc = run("info", "--bogus", "0000:0d:00.0", NULL);
	ok(rc == 2, "unknown option: exit 2");

	rc = run("hdm", "0000:0d:00.0", "--base", "0x1000", NULL);
	ok(rc == 2 && lines(err) == 1 && strstr(err, "-d N"), "hdm --base without -d: exit 2");
	rc = run("hdm", "0000:0d:00.0", "-d", "0", "--base", "0x1000", NULL);
	ok(rc == 2 && lines(err) == 1 && strstr(err, "256 MiB"), "hdm misaligned base: exit 2");
	rc = run("hdm", "0000:0d:00.0", "-d", "0", "--base", "4G", "--size", "junk", NULL);
	ok(rc == 2 && lines(err) == 1 && strstr(err, "bad size"), "hdm bad size: exit 2");
	rc = run("hdm", "0000:0d:00.0", "-d", "0", "--base", "4G", NULL);
	ok(rc == 5 && lines(err) == 1 && strstr(err, "bound to cxl_pci"), "hdm on a device bound elsewhere: exit 5");

	rc = run("bind", "0000:99:00.0", NULL);
	ok(rc == 3 && lines(err) == 1, "bind absent device: exit 3");
	rc = run("bind", "0000:00:02.0", NULL);
	ok(rc == 4 && lines(err) == 1 && override_is_null("0000:00:02.0"), "bind non-CXL device: exit 4, unchanged");
	rc = run("bind", "0000:0d:00.0", NULL);
	ok(rc == 1 && lines(err) == 1 && strstr(err, "not loaded") && override_is_null("0000:0d:00.0"),
	   "bind without the driver loaded: exit 1, driver_override unchanged");
	sh("mkdir -p %s/bus/pci/drivers/vfio-pci-cxl", sys);
	rc = run("bind", "0000:0e:00.0", NULL);
	ok(rc == 1 && lines(err) == 1 && strstr(err, "no IOMMU group") && override_is_null("0000:0e:00.0"),
	   "bind without an IOMMU group: exit 1, unchanged");
	sh("mkdir -p %s/4242/fd && ln -s /dev/vfio/7 %s/4242/fd/9", proc, proc);
	rc = run("bind", "0000:0d:00.0", NULL);
	ok(rc == 5 && lines(err) == 1 && strstr(err, "in use by process 4242") &&
	   override_is_null("0000:0d:00.0"), "bind while the group is open: exit 5, unchanged");
	rc = run("unbind", "0000:0d:00.0", NULL);
	ok(rc == 5 && lines(err) == 1 && strstr(err, "in use"), "unbind while open: exit 5");
	sh("rm -rf %s/4242", proc);
	rc = run("unbind", "0000:0d:00.0", NULL);
	ok(rc == 5 && lines(err) == 1 && strstr(err, "bound to cxl_pci, not to vfio-pci-cxl") &&
	   override_is_null("0000:0d:00.0"), "unbind of a device bound elsewhere: exit 5, unchanged");
	/* the fake kernel never rebinds: bind must notice and put driver_override back */
	rc = run("bind", "0000:0d:00.0", NULL);
	{
		char p[700], buf[64];

		snprintf(p, sizeof(p), "%s/bus/pci/devices/0000:0d:00.0/driver_override", sys);
		slurp(p, buf, sizeof(buf));
		ok(rc == 1 && lines(err) == 1 && strstr(err, "did not bind") && !strcmp(buf, "\n"),
		   "bind that the driver does not take: exit 1, driver_override cleared again");
	}
	rc = run("unbind", "0000:0e:00.0", NULL);
	ok(rc == 0 && strstr(err, "not bound to vfio-pci-cxl"), "unbind of an unbound device: nothing to do, exit 0");

	/* ready for a VM: bound to VFIO, decoder 0 committed, IOMMU group viable */
	sh("mkdir -p %s/bus/pci/drivers/vfio-pci-cxl %s/bus/pci/drivers/e1000e %s/kernel/iommu_groups/11/devices "
	   "%s/kernel/iommu_groups/12/devices", sys, sys, sys, sys);
	make_dev("0000:21:00.0", 0x0d96, type2, 1, "vfio-pci-cxl", 11);
	make_dev("0000:22:00.0", 0x0d97, type2, 1, "vfio-pci-cxl", 12);
	make_dev("0000:22:00.1", 0x1234, 0, -1, "e1000e", 12);
	sh("ln -s ../../../../devices/pci0000:00/0000:21:00.0 %s/kernel/iommu_groups/11/devices/0000:21:00.0 && "
	   "ln -s ../../../../devices/pci0000:00/0000:22:00.0 %s/kernel/iommu_groups/12/devices/0000:22:00.0 && "
	   "ln -s ../../../../devices/pci0000:00/0000:22:00.1 %s/kernel/iommu_groups/12/devices/0000:22:00.1",
	   sys, sys, sys);
	rc = run("list", "-d", "0000:21:00.0", NULL);
	ok(rc == 0 && strstr(out, "\"driver\":\"vfio-pci-cxl\"") && strstr(out, "\"iommu_group_viable\":true") &&
	   strstr(out, "\"vm_ready\":true") && !strstr(out, "not_ready"),
	   "list: bound to vfio-pci-cxl, decoder 0 committed, group alone: vm_ready");
	rc = run("list", "-d", "0000:22:00.0", NULL);
	ok(rc == 0 && strstr(out, "\"iommu_group_viable\":false") && strstr(out, "\"vm_ready\":false") &&
	   strstr(out, "IOMMU group 12 not viable: 0000:22:00.1 (e1000e) is in it"),
	   "list: a group shared with a device bound to e1000e: not viable, not ready, says which");
	rc = run("list", "-d", "0000:0d:00.0", NULL);
	ok(rc == 0 && strstr(out, "\"vm_ready\":false") && strstr(out, "bound to cxl_pci, not to VFIO") &&
	   strstr(out, "IOMMU group 7: its members are unreadable"),
	   "list: bound to cxl_pci: not ready, every reason given");
	rc = run("list", "-d", "0000:0e:00.0", NULL);
	ok(rc == 0 && strstr(out, "not bound (vfio-cxl bind 0000:0e:00.0)") && strstr(out, "HDM decoder 0 unreadable") &&
	   strstr(out, "no IOMMU group"), "list: unbound, no component BAR file, no group: three reasons");
	rc = run("--version", NULL);
	ok(rc == 0 && !strncmp(out, "vfio-cxl ", 9) && lines(out) == 1, "--version: one line, 'vfio-cxl VERSION'");

	sh("rm -rf %s", root);
	return failed ? 1 : 0;
}
