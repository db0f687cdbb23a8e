// SPDX-License-Identifier: MIT
/*
 * vfio-cxl-demo: play the VMM against one device bound to vfio-pci-cxl, as
 * QEMU does at machine-ready in the 2026 proposal (seeds 001, 003, 004):
 * open it through libvfiocxl, program guest decoder 0 at the guest window
 * base and lock it, map the device memory, write and read back a pattern,
 * reset the device and read the pattern again. Prints a short report;
 * exit 0 when every step passed.
 *
 * The pattern is a 64-byte ASCII record at each offset,
 *   "vfio-cxl demo: offset 0x<16 hex digits> seed 0x<8 hex digits>" padded
 * with '.', so the host can find it in the device's backing file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "libvfiocxl.h"

#define REC 64
#define MAX_OFFS 16

static int failures;
static bool quiet_lib;	/* during a refusal the demo expects */

static void step(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("  [%s] ", ok ? " ok " : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		failures++;
}

static void record(char *buf, uint64_t off, uint32_t seed)
{
	int n = snprintf(buf, REC + 1, "vfio-cxl demo: offset 0x%016" PRIx64 " seed 0x%08x", off, seed);

	memset(buf + n, '.', REC - n);
}

static void log_fn(struct vfio_cxl_ctx *ctx, int priority, const char *file, int line,
		   const char *fn, const char *format, va_list args)
{
	if (quiet_lib)
		return;
	printf("         library: ");
	vprintf(format, args);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: vfio-cxl-demo DEV [--base GPA] [--offsets O1,O2,...] [--seed N] [--no-lock]\n"
		   "  DEV     PCI address of a device bound to vfio-pci-cxl\n"
		   "  --base  guest physical base for decoder 0 (256 MiB aligned, default 0x4000000000)\n");
}

static const char *sz(uint64_t v, char *buf, size_t len)
{
	if (v >= (1ull << 30) && !(v % (1ull << 30)))
		snprintf(buf, len, "%" PRIu64 " GiB", v >> 30);
	else if (v >= (1ull << 20))
		snprintf(buf, len, "%" PRIu64 " MiB", v >> 20);
	else
		snprintf(buf, len, "%" PRIu64 " bytes", v);
	return buf;
}

static int check_pattern(const volatile uint8_t *mem, const uint64_t *offs, int n, uint32_t seed,
			 int *bad)
{
	char want[REC + 1], got[REC + 1];
	int i, ok = 0, j;

	*bad = -1;
	for (i = 0; i < n; i++) {
		record(want, offs[i], seed);
		for (j = 0; j < REC; j++)
			got[j] = mem[offs[i] + j];
		if (!memcmp(want, got, REC))
			ok++;
		else if (*bad < 0)
			*bad = i;
	}
	return ok;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "base", required_argument, NULL, 'b' }, { "offsets", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 's' }, { "no-lock", no_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t base = 0x4000000000ull, offs[MAX_OFFS], dpa_size = 0, dpa_len = 0;
	const char *offsets_arg = NULL;
	uint32_t seed = 0x2026cafe;
	bool lock = true, verbose = false;
	struct vfio_cxl_decoder_state st;
	struct vfio_cxl_decoder *d;
	struct vfio_cxl_ctx *ctx;
	struct vfio_cxl_dev *dev;
	volatile uint8_t *mem;
	char b1[32], rec[REC + 1];
	int c, i, n = 0, rc, ok, bad;
	void *addr;

	while ((c = getopt_long(argc, argv, "b:o:s:nvh", lo, NULL)) != -1) {
		switch (c) {
		case 'b': base = strtoull(optarg, NULL, 0); break;
		case 'o': offsets_arg = optarg; break;
		case 's': seed = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'n': lock = false; break;
		case 'v': verbose = true; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind + 1 != argc) {
		usage(stderr);
		return 2;
	}
	printf("vfio-cxl-demo: playing the VMM for %s\n", argv[optind]);
	rc = vfio_cxl_new(&ctx);
	if (rc)
		return 1;
	vfio_cxl_set_log_fn(ctx, log_fn);
	if (verbose)
		vfio_cxl_set_log_priority(ctx, LOG_DEBUG);

	/* 1. open */
	rc = vfio_cxl_dev_open(ctx, argv[optind], 0, &dev);
	step(!rc, "open through VFIO: %s", rc ? strerror(-rc) : "done");
	if (rc)
		goto out_ctx;
	dpa_size = vfio_cxl_dev_get_dpa_size(dev);
	printf("         %s via %s %d: CXL capability bar %u offset %#" PRIx64 ", %s%s\n",
	       vfio_cxl_dev_get_devname(dev), vfio_cxl_dev_is_iommufd(dev) ? "iommufd, group" : "IOMMU group",
	       vfio_cxl_dev_get_iommu_group(dev), vfio_cxl_dev_get_comp_bar(dev),
	       vfio_cxl_dev_get_hdm_regs_offset(dev),
	       vfio_cxl_dev_is_firmware_committed(dev) ? "firmware-committed" : "not firmware-committed",
	       vfio_cxl_dev_is_cache_capable(dev) ? ", cache-capable" : "");
	printf("         device memory (DPA region) %s, %u guest-visible HDM decoder(s) at COMP_REGS +%#x\n",
	       sz(dpa_size, b1, sizeof(b1)), vfio_cxl_dev_get_num_decoders(dev),
	       vfio_cxl_dev_get_hdm_offset(dev));

	/* offsets: default start, 4 KiB, 2 MiB + 64, last record */
	if (offsets_arg) {
		char *s = strdup(offsets_arg), *tok, *save = NULL;

		for (tok = strtok_r(s, ",", &save); tok && n < MAX_OFFS; tok = strtok_r(NULL, ",", &save))
			offs[n++] = strtoull(tok, NULL, 0);
		free(s);
	} else {
		offs[n++] = 0;
		offs[n++] = 4096;
		if (dpa_size > (2u << 20) + 2 * REC)
			offs[n++] = (2u << 20) + 64;
		offs[n++] = dpa_size - REC;
	}
	for (i = 0; i < n; i++)
		if (offs[i] % 8 || offs[i] + REC > dpa_size) {
			step(false, "offset %#" PRIx64 " outside the device memory or misaligned", offs[i]);
			goto out_dev;
		}

	/* 2. program guest decoder 0 at the window base and lock it */
	d = vfio_cxl_decoder_get_by_id(dev, 0);
	rc = d ? vfio_cxl_decoder_program(d, base, dpa_size,
					  (lock ? VFIO_CXL_DECODER_LOCK : 0) |
					  (vfio_cxl_dev_is_cache_capable(dev) ? 0 : VFIO_CXL_DECODER_HOST_ONLY))
	       : -ENODEV;
	step(!rc, "program guest decoder 0: base %#" PRIx64 " size %s%s: %s", base,
	     sz(dpa_size, b1, sizeof(b1)), lock ? ", lock-on-commit" : "", rc ? strerror(-rc) : "committed");
	if (rc)
		goto out_dev;
	rc = vfio_cxl_decoder_read(d, &st);
	step(!rc && st.committed && st.base == base && st.size == dpa_size && st.locked == lock,
	     "decoder 0 reads back: base %#" PRIx64 " size %s, %s%s (ctrl %#x)", st.base,
	     sz(st.size, b1, sizeof(b1)), st.committed ? "COMMITTED" : "not committed",
	     st.locked ? ", locked" : "", st.ctrl);
	if (lock) {
		quiet_lib = true;
		rc = vfio_cxl_decoder_program(d, base + (1ull << 28), dpa_size, 0);
		quiet_lib = false;
		step(rc == -EPERM, "moving the locked decoder is refused: %s", strerror(-rc));
	}

	/* 3. map the device memory */
	rc = vfio_cxl_dpa_map(dev, &addr, &dpa_len);
	step(!rc, "map device memory: %s at %p (%s aligned)", rc ? strerror(-rc) : "mapped",
	     rc ? NULL : addr,
	     rc ? "-" : ((uintptr_t)addr % (1ull << 30) == 0 ? "1 GiB" :
			 (uintptr_t)addr % (2ull << 20) == 0 ? "2 MiB" : "4 KiB"));
	if (rc)
		goto out_dev;
	mem = addr;

	/* 4. write and read back */
	for (i = 0; i < n; i++) {
		record(rec, offs[i], seed);
		memcpy((void *)(mem + offs[i]), rec, REC);
	}
	__sync_synchronize();
	ok = check_pattern(mem, offs, n, seed, &bad);
	step(ok == n, "write and read back the pattern at %d offsets: %d match", n, ok);
	for (i = 0; i < n; i++)
		printf("         DPA +0x%08" PRIx64 " (guest 0x%" PRIx64 "): \"%.40s...\"\n", offs[i],
		       base + offs[i], (const char *)(mem + offs[i]));

	/* 5. reset, then read again */
	rc = vfio_cxl_dev_reset(dev);
	step(!rc, "reset the device (VFIO_DEVICE_RESET): %s", rc ? strerror(-rc) : "done");
	if (!rc) {
		rc = vfio_cxl_decoder_read(d, &st);
		step(!rc, "decoder 0 after reset: %s%s (ctrl %#x)",
		     st.committed ? "COMMITTED" : "not committed", st.locked ? ", locked" : ", unlocked",
		     st.ctrl);
		ok = check_pattern(mem, offs, n, seed, &bad);
		step(ok == n, "device memory after reset: %d of %d records intact", ok, n);
	}
	vfio_cxl_dpa_unmap(dev);
out_dev:
	vfio_cxl_dev_close(dev);
out_ctx:
	vfio_cxl_unref(ctx);
	printf("vfio-cxl-demo: %s (%d step%s failed)\n", failures ? "FAILED" : "PASSED", failures,
	       failures == 1 ? "" : "s");
	return failures ? 1 : 0;
}
