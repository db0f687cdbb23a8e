// SPDX-License-Identifier: MIT
/*
 * dpa_bench: figures for the vfio-cxl DPA and COMP_REGS paths, in the guest,
 * in one run, printed as one JSON object (the line starting with '{'):
 *  - first-touch throughput of the DPA mapping against anonymous memory
 *    (one 8-byte write per 4 KiB page of a fresh mapping, best of three,
 *    after a warm-up pass so QEMU's own backing-file faults are not
 *    counted), and their ratio (anonymous first touch zeroes its pages);
 *  - faults taken per GiB touched (getrusage minor faults), both, and for a
 *    DPA mapping placed 4 KiB off 2 MiB alignment (PTE faults only);
 *  - latency of a 4-byte COMP_REGS read against a 4-byte config read;
 *  - time of VFIO_DEVICE_RESET with 1 GiB of DPA mappings populated (the
 *    region mapped as many times as it takes) and with nothing mapped, in
 *    15 rounds of one of each (reset_rounds()): the medians, and the
 *    median of the rounds' differences per GiB mapped (what the module
 *    adds beyond the device's own waits);
 *  - on a device with a cache (the accelerator): the same two with the
 *    module's write-back of the device cache before the reset turned off
 *    (reset_cache_wbi=0), and the time of a guest Cache WBI through the
 *    emulated DVSEC against the same Cache WBI done on the device directly
 *    (its real config space, through sysfs): the device's own wait.
 * Under TCG the absolute numbers are emulation speed; the ratios are what
 * to compare.
 */
#include "vfio_cxl_harness.h"

#define SZ_2M	0x200000ull
#define SZ_1G	(1ull << 30)
#define RESET_ROUNDS	15	/* of reset_rounds(): two resets each */

static struct cxl_dev dev;

static void *map_aligned(int fd, uint64_t off, uint64_t len, bool anon)
{
	char *res = mmap(NULL, len + SZ_2M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a = (char *)(((uintptr_t)res + SZ_2M - 1) & ~(uintptr_t)(SZ_2M - 1));
	void *p;

	if (res == MAP_FAILED)
		return NULL;
	if (anon)
		p = mmap(a, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	else
		p = mmap(a, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, off);
	return p == MAP_FAILED ? NULL : p;
}

/* Seconds and faults to write one word per 4 KiB page. */
static double touch(volatile char *p, uint64_t len, long *faults)
{
	long f0 = minflt();
	double t0 = now_s();
	uint64_t i;

	for (i = 0; i < len; i += 4096)
		*(volatile uint64_t *)(p + i) = i;
	*faults = minflt() - f0;
	return now_s() - t0;
}

static double read_ns(uint64_t off, int n)
{
	uint32_t v;
	double t0 = now_s();
	int i;

	for (i = 0; i < n; i++)
		if (pread(dev.fd, &v, 4, off) != 4)
			return -1;
	return (now_s() - t0) * 1e9 / n;
}

#define PARAM_WBI	"/sys/module/vfio_cxl/parameters/reset_cache_wbi"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *t, int n)
{
	qsort(t, n, sizeof(t[0]), cmp_double);
	return t[n / 2];
}

/* Reset times in ms, medians over the rounds of reset_rounds(). */
struct reset_fig {
	double mapped;		/* with the mappings populated */
	double bare;		/* with nothing mapped */
	double diff;		/* of each round's mapped minus bare */
};

static double reset_once(void)
{
	double t0 = now_s();

	if (ioctl(dev.fd, VFIO_DEVICE_RESET))
		return -1;
	return (now_s() - t0) * 1e3;
}

/*
 * @n rounds (n <= 32) of two VFIO_DEVICE_RESETs: one with @nmaps (<= 64) mappings
 * of the whole DPA made and every page touched (unmapped after it), one
 * with nothing mapped; which comes first alternates from round to round.
 * Medians, not means: on a shared machine under TCG one slow reset moves a
 * mean by more than what is measured. Pairing the two in each round, rather
 * than all of one kind and then all of the other, keeps the machine's drift
 * over the run out of their difference, which is what the module adds.
 */
static int reset_rounds(int nmaps, int n, struct reset_fig *r)
{
	double tm[32], tb[32], td[32];
	void *maps[64];
	long f;
	int i, j, k;

	for (i = 0; i < n && i < 32; i++) {
		for (j = 0; j < 2; j++) {
			if ((i + j) % 2) {
				tb[i] = reset_once();
				if (tb[i] < 0)
					return -1;
				continue;
			}
			for (k = 0; k < nmaps; k++) {
				maps[k] = map_aligned(dev.fd, dev.dpa_off, dev.dpa_size, false);
				if (!maps[k])
					return -1;
				touch(maps[k], dev.dpa_size, &f);
			}
			tm[i] = reset_once();
			for (k = 0; k < nmaps; k++)
				munmap(maps[k], dev.dpa_size);
			if (tm[i] < 0)
				return -1;
		}
		td[i] = tm[i] - tb[i];
	}
	r->mapped = median(tm, i);
	r->bare = median(tb, i);
	r->diff = median(td, i);
	return 0;
}

/*
 * Mean ms of @n Cache WBIs: Disable Caching + Initiate Cache WBI written to
 * Control2 at @ctrl2 of @fd (the VFIO config region: the module's; the
 * sysfs config file: the device's own), then Status2 polled for
 * Cache_Invalid; Control2 back to 0.
 */
static double wbi_ms(int fd, off_t ctrl2, int n)
{
	uint16_t on = CXL_DVSEC_CTRL2_DISABLE_CACHING | CXL_DVSEC_CTRL2_INIT_CACHE_WBI,
		 off = 0, st2 = 0;
	double t0 = now_s();
	int i, spins;

	for (i = 0; i < n; i++) {
		if (pwrite(fd, &on, 2, ctrl2) != 2)
			return -1;
		for (spins = 0; spins < 1000000; spins++)
			if (pread(fd, &st2, 2, ctrl2 + 2) != 2 ||
			    (st2 & CXL_DVSEC_STATUS2_CACHE_INVALID))
				break;
		if (!(st2 & CXL_DVSEC_STATUS2_CACHE_INVALID) ||
		    pwrite(fd, &off, 2, ctrl2) != 2)
			return -1;
	}
	return (now_s() - t0) * 1e3 / n;
}

/*
 * VFIO_IOMMU_MAP_DMA of @len bytes at @va (then unmapped again): ms, or -1.
 * What a VMM pays to make that much memory reachable by device DMA; for
 * the DPA (VM_PFNMAP) 6.12's type1 looks up one page at a time.
 */
#define DMA_IOVA	(1ull << 32)	/* inside a 39-bit IOMMU too */
static double dma_map_ms(void *va, uint64_t len)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map), .vaddr = (uintptr_t)va, .iova = DMA_IOVA, .size = len,
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
	};
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap), .iova = DMA_IOVA, .size = len,
	};
	double t0 = now_s(), t;

	if (ioctl(dev.container, VFIO_IOMMU_MAP_DMA, &map)) {
		fprintf(stderr, "dpa_bench: %s: VFIO_IOMMU_MAP_DMA of %#llx bytes: %s\n",
			dev.bdf, (unsigned long long)len, strerror(errno));
		return -1;
	}
	t = now_s() - t0;
	if (ioctl(dev.container, VFIO_IOMMU_UNMAP_DMA, &unmap)) {
		fprintf(stderr, "dpa_bench: %s: VFIO_IOMMU_UNMAP_DMA: %s\n", dev.bdf, strerror(errno));
		return -1;
	}
	return t * 1000;
}

/* Best of three fresh mappings (DPA or anonymous), ms per GiB, or -1. */
static double dma_map_ms_per_gib(uint64_t len, bool anon)
{
	double best = 1e12, t;
	void *p;
	int i;

	for (i = 0; i < 3; i++) {
		p = map_aligned(anon ? -1 : dev.fd, anon ? 0 : dev.dpa_off, len, anon);
		if (!p)
			return -1;
		t = dma_map_ms(p, len);
		munmap(p, len);
		if (t < 0)
			return -1;
		best = t < best ? t : best;
	}
	return best * SZ_1G / len;
}

int main(int argc, char **argv)
{
	char devs[16][32];
	int ndev = get_devices(argc, argv, devs, 16), nmaps, i;
	uint64_t len = 64ull << 20;
	long f_dpa, f_anon, f_4k, f;
	double t_dpa, t_anon, t_4k, ns_comp, ns_cfg, t;
	double ms_wbi_dev = 0, ms_wbi_mod = 0, per_gib;
	struct reset_fig rs, rs_nowb = { 0 };
	double dma_dpa, dma_anon;
	uint64_t dma_len;
	bool cache;
	void *p;

	if (!ndev) {
		printf("1..0 # SKIP no device: pass a BDF or set VFIO_CXL_DEVICES\n");
		return KSFT_SKIP;
	}
	load_modules();
	if (dev_bind(devs[0]) || dev_open(&dev, devs[0]) || !dev.have_cap) {
		fprintf(stderr, "dpa_bench: %s: %s\n", devs[0], strerror(errno));
		return 1;
	}
	cache = dev.cap.flags & VFIO_CXL_CAP_CACHE_CAPABLE;
	system("echo always > /sys/kernel/mm/transparent_hugepage/enabled");
	if (len > dev.dpa_size)
		len = dev.dpa_size;

	/*
	 * Warm-up: the first guest access to a page also makes QEMU populate
	 * its backing file; keep that out of the comparison.
	 */
	p = map_aligned(dev.fd, dev.dpa_off, len, false);
	if (!p)
		return 1;
	touch(p, len, &f);
	munmap(p, len);

	/* Best of three fresh mappings each: 2 MiB-aligned, 4 KiB off, anon. */
	t_dpa = t_4k = t_anon = 1e9;
	for (i = 0; i < 3; i++) {
		p = map_aligned(dev.fd, dev.dpa_off, len, false);
		if (!p)
			return 1;
		t = touch(p, len, &f_dpa);
		t_dpa = t < t_dpa ? t : t_dpa;
		munmap(p, len);

		p = map_aligned(dev.fd, dev.dpa_off, len + 4096, false);
		if (!p)
			return 1;
		munmap(p, len + 4096);
		p = mmap((char *)p + 4096, len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, dev.fd, dev.dpa_off);
		if (p == MAP_FAILED)
			return 1;
		t = touch(p, len, &f_4k);
		t_4k = t < t_4k ? t : t_4k;
		munmap(p, len);

		p = map_aligned(-1, 0, len, true);
		if (!p)
			return 1;
		t = touch(p, len, &f_anon);
		t_anon = t < t_anon ? t : t_anon;
		munmap(p, len);
	}

	/* DMA-mapping fresh mappings of the DPA and of anonymous memory. */
	dma_len = dev.dpa_size < (256ull << 20) ? dev.dpa_size : 256ull << 20;
	dma_dpa = dma_map_ms_per_gib(dma_len, false);
	dma_anon = dma_map_ms_per_gib(dma_len, true);

	ns_comp = read_ns(dev.comp_off + dev.hdm_off, 20000);
	ns_cfg = read_ns(dev.cfg_off + 0x0, 20000);

	/* 1 GiB of populated DPA mappings, then reset; against nothing mapped. */
	nmaps = (SZ_1G + dev.dpa_size - 1) / dev.dpa_size;
	if (nmaps > 64)
		nmaps = 64;
	if (reset_rounds(nmaps, RESET_ROUNDS, &rs))
		return 1;
	if (cache) {
		if (sysfs_write(PARAM_WBI, "0"))
			return 1;
		i = reset_rounds(nmaps, RESET_ROUNDS, &rs_nowb);
		if (sysfs_write(PARAM_WBI, "1") || i)
			return 1;
	}
	if (cache) {
		char path[128];
		int cfd;

		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", dev.bdf);
		cfd = open(path, O_RDWR);
		if (cfd < 0)
			return 1;
		ms_wbi_dev = wbi_ms(cfd, dev.dvsec + CXL_DVSEC_CTRL2, 20);
		close(cfd);
		ms_wbi_mod = wbi_ms(dev.fd, dev.cfg_off + dev.dvsec + CXL_DVSEC_CTRL2, 20);
		if (ms_wbi_dev < 0 || ms_wbi_mod < 0)
			return 1;
	}

	per_gib = SZ_1G / ((double)nmaps * dev.dpa_size);
	printf("{\"bench\": \"dpa\", \"device\": \"%s\", \"topology\": \"%s\", "
	       "\"dpa_size\": %llu, \"touched_bytes\": %llu, "
	       "\"first_touch_dpa_mib_s\": %.1f, \"first_touch_anon_mib_s\": %.1f, "
	       "\"first_touch_ratio_dpa_over_anon\": %.3f, "
	       "\"faults_per_gib_dpa\": %.0f, \"faults_per_gib_anon\": %.0f, "
	       "\"first_touch_dpa_4k_only_mib_s\": %.1f, \"faults_per_gib_dpa_4k_only\": %.0f, "
	       "\"comp_regs_read4_ns\": %.0f, \"config_read4_ns\": %.0f, "
	       "\"comp_regs_over_config_ratio\": %.3f, "
	       "\"reset_rounds\": %d, "
	       "\"reset_ms_with_1gib_mapped\": %.2f, \"mapped_bytes\": %llu, "
	       "\"reset_ms_nothing_mapped\": %.2f, \"module_ms_per_gib_mapped\": %.2f",
	       dev.bdf, getenv("TOPOLOGY") ? getenv("TOPOLOGY") : "",
	       (unsigned long long)dev.dpa_size, (unsigned long long)len,
	       len / t_dpa / (1 << 20), len / t_anon / (1 << 20), t_anon / t_dpa,
	       (double)f_dpa * SZ_1G / len, (double)f_anon * SZ_1G / len,
	       len / t_4k / (1 << 20), (double)f_4k * SZ_1G / len,
	       ns_comp, ns_cfg, ns_comp / ns_cfg, RESET_ROUNDS, rs.mapped,
	       (unsigned long long)nmaps * dev.dpa_size, rs.bare, rs.diff * per_gib);
	/* a failed map (said on stderr) leaves only these figures out */
	if (dma_dpa >= 0 && dma_anon >= 0)
		printf(", \"dma_map_bytes\": %llu, \"dma_map_ms_per_gib_dpa\": %.2f, "
		       "\"dma_map_ms_per_gib_anon\": %.2f, \"dma_map_ratio_dpa_over_anon\": %.3f",
		       (unsigned long long)dma_len, dma_dpa, dma_anon, dma_dpa / dma_anon);
	else
		printf(", \"dma_map_bytes\": null");
	if (cache)
		printf(", \"reset_ms_with_1gib_mapped_no_cache_wb\": %.2f, "
		       "\"reset_ms_nothing_mapped_no_cache_wb\": %.2f, "
		       "\"module_ms_per_gib_mapped_no_cache_wb\": %.2f, "
		       "\"cache_wbi_ms_guest_via_module\": %.3f, \"cache_wbi_ms_device_direct\": %.3f, "
		       "\"cache_wbi_module_over_device_ratio\": %.3f",
		       rs_nowb.mapped, rs_nowb.bare, rs_nowb.diff * per_gib,
		       ms_wbi_mod, ms_wbi_dev, ms_wbi_mod / ms_wbi_dev);
	printf("}\n");
	dev_close(&dev);
	return 0;
}
