/* SPDX-License-Identifier: MIT */
/*
 * What the vfio-cxl command tests (tool_*_test.c) share: TAP output, the
 * command run with a fake sysfs tree ($VFIO_CXL_SYSFS, and $VFIO_CXL_PROC
 * when proc[] is set) with its stdout and stderr caught, and the pieces of a
 * fake PCI function (its folder, config space, driver). Each test fills
 * root[] and sys[] (proc[] if it fakes /proc) before the first call.
 */
#ifndef TOOL_FAKE_H
#define TOOL_FAKE_H

#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cxlemu.h"

static char root[256], sys[300], proc[300];
static char out[1 << 18], err[1 << 16];
static int tap_n, failed;

static void ok(bool c, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", c ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!c) {
		failed++;
		printf("# stdout: %.600s\n# stderr: %.400s\n", out, err);
	}
	fflush(stdout);
}

/* A shell command the set-up needs; the test ends when it fails. */
static void sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd)) {
		printf("# failed: %s\n", cmd);
		exit(1);
	}
}

static void slurp(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, len - 1) : 0;

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

static void write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len) {
		printf("# cannot write %s\n", path);
		exit(1);
	}
	close(fd);
}

/* Run @argv (argv[0] is the program) with the fake sysfs; its exit code. */
static int runv(char **argv)
{
	char o[400], e[400];
	int st;
	pid_t pid;

	snprintf(o, sizeof(o), "%s/out", root);
	snprintf(e, sizeof(e), "%s/err", root);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fo = open(o, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(e, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fo, 1);
		dup2(fe, 2);
		setenv("VFIO_CXL_SYSFS", sys, 1);
		if (proc[0])
			setenv("VFIO_CXL_PROC", proc, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	slurp(o, out, sizeof(out));
	slurp(e, err, sizeof(err));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Run vfio-cxl with the arguments (NULL-terminated); its exit code. */
static int run(const char *first, ...)
{
	char *argv[64] = { VFIO_CXL_TOOL };
	int argc = 1;
	va_list ap;

	va_start(ap, first);
	for (const char *a = first; a && argc < 63; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return runv(argv);
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void put32(uint8_t *b, uint32_t off, uint32_t v) { put_unaligned_le32(v, b + off); }
static void put16(uint8_t *b, uint32_t off, uint16_t v) { put_unaligned_le16(v, b + off); }

/* ---- a fake PCI function ------------------------------------------------- */

/* Its folder @d under devices/pci0000:00, linked from bus/pci/devices. */
static void fake_dev_dir(const char *addr, char *d, size_t len)
{
	snprintf(d, len, "%s/devices/pci0000:00/%s", sys, addr);
	sh("mkdir -p %s && ln -s ../../../devices/pci0000:00/%s %s/bus/pci/devices/%s", d, addr, sys, addr);
}

/* Config space header: vendor 0x8086, @devid, class code @class (0: none). */
static void fake_cfg_ids(uint8_t *cfg, uint16_t devid, uint32_t class)
{
	put16(cfg, 0, 0x8086);
	put16(cfg, 2, devid);
	if (class)
		put32(cfg, 8, class);
}

/*
 * A CXL Device DVSEC (CXL r3.1 8.1.3), revision 2, at @pos in @cfg with
 * capability @cap; @next is the next extended capability (0: the last).
 */
static void fake_cfg_device_dvsec(uint8_t *cfg, uint32_t pos, uint32_t next, uint16_t cap)
{
	put32(cfg, pos, FIELD_PREP(CXL_PCI_EXT_CAP_HDR_ID, CXL_PCI_EXT_CAP_ID_DVSEC) |
			FIELD_PREP(CXL_PCI_EXT_CAP_HDR_VER, 1) |
			FIELD_PREP(CXL_PCI_EXT_CAP_HDR_NEXT, next));
	put32(cfg, pos + CXL_DVSEC_HDR1, FIELD_PREP(CXL_DVSEC_HDR1_VENDOR, CXL_DVSEC_VENDOR_ID) |
					 FIELD_PREP(CXL_DVSEC_HDR1_REV, 2) |
					 FIELD_PREP(CXL_DVSEC_HDR1_LEN, CXL_DVSEC_DEV_LEN_R2));
	put32(cfg, pos + CXL_DVSEC_HDR2, CXL_DVSEC_ID_DEVICE);
	put16(cfg, pos + CXL_DVSEC_CAP, cap);
}

/* @cfg (4 KiB) as the function's config file. */
static void fake_dev_config(const char *d, const uint8_t *cfg)
{
	char p[700];

	snprintf(p, sizeof(p), "%s/config", d);
	write_file(p, cfg, 4096);
}

/* Bound to @driver ("" unbound), driver_override "(null)" as Linux has it. */
static void fake_dev_driver(const char *d, const char *driver)
{
	char p[700];

	if (driver[0])
		sh("ln -s ../../../bus/pci/drivers/%s %s/driver", driver, d);
	snprintf(p, sizeof(p), "%s/driver_override", d);
	write_file(p, "(null)\n", 7);
}

#endif
