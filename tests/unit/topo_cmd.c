// SPDX-License-Identifier: MIT
/*
 * The `plan` and `cedt` commands, run in-process. Also a stand-in driver
 * until tools/vfio-cxl.c dispatches them:
 *   topo_cmd plan [--json] [--dpa-size ID=SIZE]... -- QEMU-ARGS
 *   topo_cmd cedt [--dpa-size ID=SIZE]... -o FILE -- QEMU-ARGS
 * Without arguments it runs its TAP tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "vfiocxl-topo.h"
#include "topo_tap.h"

int vfio_cxl_cmd_plan(int argc, char **argv);
int vfio_cxl_cmd_cedt(int argc, char **argv);

static char out[65536];

/* run a command with stdout (and stderr) captured into out[] */
static int run(int (*cmd)(int, char **), const char *line)
{
	char *copy = strdup(line), *argv[128], *save = NULL, tmpl[] = "/tmp/topo_cmd.XXXXXX";
	int argc = 0, fd = mkstemp(tmpl), so = dup(1), se = dup(2), rc;
	ssize_t n;

	for (char *tok = strtok_r(copy, " ", &save); tok && argc < 127; tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	fflush(stdout);
	dup2(fd, 1);
	dup2(fd, 2);
	rc = cmd(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	n = pread(fd, out, sizeof(out) - 1, 0);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	unlink(tmpl);
	free(copy);
	return rc;
}

#define QEMU_ONE "-m 2G -M q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G " \
	"-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1 -device cxl-rp,port=0,bus=cxl.1,id=rp0,chassis=0,slot=2 " \
	"-device vfio-pci,host=0000:ee:00.0,bus=rp0,id=gpu0"
#define QEMU_T3 "-m 2G -M q35,cxl=on,cxl-fmw.0.targets.0=cxl.1,cxl-fmw.0.size=4G " \
	"-object memory-backend-file,id=cxl-mem1,share=on,mem-path=/tmp/cxltest.raw,size=256M " \
	"-device pxb-cxl,bus_nr=12,bus=pcie.0,id=cxl.1 -device cxl-rp,port=0,bus=cxl.1,id=root_port13,chassis=0,slot=2 " \
	"-device cxl-type3,bus=root_port13,volatile-memdev=cxl-mem1,id=cxl-vmem0"

static void tests(void)
{
	char path[] = "/tmp/topo_cedt.XXXXXX";
	struct vfiocxl_cedt c;
	uint8_t buf[4096];
	char err[256];
	int rc, fd;
	ssize_t n;

	rc = run(vfio_cxl_cmd_plan, "plan --dpa-size gpu0=1G -- " QEMU_ONE);
	TAP_EQ_INT("plan: placed device exits 0", 0, rc);
	TAP_HAS("plan: table names device, host bridge and uid", out, "gpu0    cxl.1 (12)");
	TAP_HAS("plan: table shows window and guest base", out, "fmw.0      0x0000000110000000  1 GiB");
	TAP_HAS("plan: table summary", out, "1 placed, 0 refused");

	rc = run(vfio_cxl_cmd_plan, "plan --json --dpa-size=gpu0=1G -- " QEMU_ONE);
	TAP_EQ_INT("plan --json: exits 0", 0, rc);
	TAP_HAS("plan --json: cxl list style keys, first key names the object", out,
		"{\"device\":\"gpu0\",\"driver\":\"vfio-pci\",\"memory_type\":\"type2\",\"host_bridge\":\"cxl.1\",\"uid\":12");
	TAP_HAS("plan --json: raw numbers by default", out, "\"base\":4563402752,\"size\":1073741824");
	rc = run(vfio_cxl_cmd_plan, "plan --json -u --dpa-size gpu0=1G -- " QEMU_ONE);
	TAP_HAS("plan --json -u: hex base and human size", out, "\"base\":\"0x110000000\",\"size\":\"1 GiB\"");

	rc = run(vfio_cxl_cmd_plan, "plan -- " QEMU_ONE);
	TAP_EQ_INT("plan: refused plan exits 1", 1, rc);
	TAP_HAS("plan: refusal shown with its reason", out,
		"REFUSED: gpu0: memory size unknown (host 0000:ee:00.0 not present): give --dpa-size gpu0=SIZE");

	rc = run(vfio_cxl_cmd_plan, "plan --json -- " QEMU_ONE);
	TAP_HAS("plan --json: refusal as state and reason", out, "\"state\":\"refused\",\"reason\":\"gpu0: memory size unknown");

	rc = run(vfio_cxl_cmd_plan, "plan -- " QEMU_T3);
	TAP_EQ_INT("plan: cxl-type3 sized by its memory backend", 0, rc);
	TAP_HAS("plan: cxl-type3 at the window base", out, "0x0000000110000000  256 MiB");

	rc = run(vfio_cxl_cmd_plan, "plan -- -device vfio-pci,host");
	TAP_EQ_INT("plan: malformed QEMU option exits 2", 2, rc);
	TAP_HAS("plan: malformed option quoted", out, "'vfio-pci,host'");
	rc = run(vfio_cxl_cmd_plan, "plan --dpa-size gpu0 -- " QEMU_ONE);
	TAP_EQ_INT("plan: bad --dpa-size exits 2", 2, rc);
	rc = run(vfio_cxl_cmd_plan, "plan --frobnicate -- " QEMU_ONE);
	TAP_EQ_INT("plan: unknown option exits 2", 2, rc);
	rc = run(vfio_cxl_cmd_plan, "plan");
	TAP_EQ_INT("plan: no QEMU arguments exits 2", 2, rc);

	fd = mkstemp(path);
	close(fd);
	{
		char line[1024];

		snprintf(line, sizeof(line), "cedt --dpa-size gpu0=1G -o %s -- " QEMU_ONE, path);
		rc = run(vfio_cxl_cmd_cedt, line);
	}
	TAP_EQ_INT("cedt: writes the table", 0, rc);
	TAP_HAS("cedt: reports what it wrote", out, "CEDT, 108 bytes, 1 CHBS, 1 CFMWS");
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	TAP_EQ_INT("cedt: file is 36 + 32 + 36 + 4 bytes", 108, n);
	rc = vfiocxl_topo_cedt_read(buf, n > 0 ? (size_t)n : 0, &c, err, sizeof(err));
	TAP_EQ_INT("cedt: file passes Linux's checks", 0, rc);
	tap_ok(!rc && c.nchbs == 1 && c.chbs[0].uid == 12 && c.chbs[0].base == 0x100000000 &&
	       c.ncfmws == 1 && c.cfmws[0].base == 0x110000000 && c.cfmws[0].size == 4ULL << 30 &&
	       c.cfmws[0].targets[0] == 12 &&
	       c.cfmws[0].restrictions == (VFIOCXL_CFMWS_RESTRICT_DEVMEM |
					   VFIOCXL_CFMWS_RESTRICT_VOLATILE |
					   VFIOCXL_CFMWS_RESTRICT_FIXED),
	       "cedt: CHBS uid 12 at 0x100000000, CFMWS Type-2 window at 0x110000000", err);
	{
		char line[1024];

		snprintf(line, sizeof(line), "cedt -o %s -- " QEMU_ONE, path);
		rc = run(vfio_cxl_cmd_cedt, line);
	}
	TAP_EQ_INT("cedt: refused plan exits 1", 1, rc);
	{
		char line[1024];

		snprintf(line, sizeof(line), "cedt --force -o %s -- " QEMU_ONE, path);
		rc = run(vfio_cxl_cmd_cedt, line);
		TAP_EQ_INT("cedt --force: writes the table despite a refused device", 0, rc);
		snprintf(line, sizeof(line), "cedt --read %s", path);
		rc = run(vfio_cxl_cmd_cedt, line);
		TAP_EQ_INT("cedt --read: accepts the table", 0, rc);
		TAP_HAS("cedt --read: one line per structure", out,
			"CHBS uid=12 version=1 base=0x100000000 length=0x10000\n"
			"CFMWS base=0x110000000 size=0x100000000 ways=1 granularity=256 arithmetic=0 "
			"restrictions=0xf qtg=0 targets=12\n");
		fd = open(path, O_WRONLY);
		if (pwrite(fd, "X", 1, 9) != 1)
			printf("# pwrite failed\n");
		close(fd);
		rc = run(vfio_cxl_cmd_cedt, line);
		TAP_EQ_INT("cedt --read: a corrupted table exits 1", 1, rc);
		TAP_HAS("cedt --read: says why", out, "checksum wrong");
	}
	rc = run(vfio_cxl_cmd_cedt, "cedt -- " QEMU_ONE);
	TAP_EQ_INT("cedt: -o required", 2, rc);
	unlink(path);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "plan"))
		return vfio_cxl_cmd_plan(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "cedt"))
		return vfio_cxl_cmd_cedt(argc - 1, argv + 1);
	tests();
	tap_plan(tap_n);
	return tap_exit();
}
