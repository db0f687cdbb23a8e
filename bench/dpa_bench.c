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
 *    31 rounds of one of each (reset_rounds()): the medians, and the
 *    median of the rounds' differences per GiB mapped (what the module
 *    adds beyond the device's own waits); where the DPA is smaller than
 *    1 GiB (so 1 GiB is several mappings, which no VMM makes), the same
 *    difference with the whole DPA mapped once, as a VMM maps it;
 *  - where the reset is spent: 11 more rounds of the two resets under the
 *    function_graph tracer (reset_trace()), filtered to this process and
 *    to the steps of a reset, each step's median time in us, mapped and
 *    bare: the ioctl, every zap (unmap_mapping_range: vfio-pci's of the
 *    BARs, the module's of the DPA; their difference per GiB is
 *    zap_us_per_gib_mapped), the PCI core's
 *    reset with its hooks, and the module's hooks and their parts (the
 *    host cache flush, the device cache write-back, the host decoder
 *    restore, the wait for Memory_Active); what is left of
 *    pci_try_reset_function beside the hooks is the device's reset itself,
 *    and the hooks less their two device waits is the module's own time
 *    (module_hooks_us_beside_device_waits_*): the medians of the paired
 *    rounds above move by a few ms from round to round under TCG, more
 *    than the module adds, and these do not;
 *  - on a device with a cache (the accelerator): the same two with the
 *    module's write-back of the device cache before the reset turned off
 *    (reset_cache_wbi=0), and the time of a guest Cache WBI through the
 *    emulated DVSEC against the same Cache WBI done on the device directly
 *    (its real config space, through sysfs): the device's own wait.
 * Under TCG the absolute numbers are emulation speed; the ratios are what
 * to compare.
 */
#include <ctype.h>
#include <sys/mount.h>

#include "vfio_cxl_harness.h"

#define SZ_2M	0x200000ull
#define SZ_1G	(1ull << 30)
#define RESET_ROUNDS	31	/* of reset_rounds(): two resets each */

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
	double q1, q3;		/* their quartiles: the spread of @diff */
};

static double reset_once(void)
{
	double t0 = now_s();

	if (ioctl(dev.fd, VFIO_DEVICE_RESET))
		return -1;
	return (now_s() - t0) * 1e3;
}

/* munmap() the @n mappings of the whole DPA in @maps. */
static void unmap_dpa(void **maps, int n)
{
	while (n-- > 0)
		munmap(maps[n], dev.dpa_size);
}

/*
 * @n (<= 64) mappings of the whole DPA into @maps, every page of each
 * touched, as the reset figures want them: 0, or -1 with none left.
 */
static int map_dpa_populated(void **maps, int n)
{
	long f;
	int k;

	for (k = 0; k < n; k++) {
		maps[k] = map_aligned(dev.fd, dev.dpa_off, dev.dpa_size, false);
		if (!maps[k]) {
			unmap_dpa(maps, k);
			return -1;
		}
		touch(maps[k], dev.dpa_size, &f);
	}
	return 0;
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
	int i, j;

	for (i = 0; i < n && i < 32; i++) {
		for (j = 0; j < 2; j++) {
			if ((i + j) % 2) {
				tb[i] = reset_once();
				if (tb[i] < 0)
					return -1;
				continue;
			}
			if (map_dpa_populated(maps, nmaps))
				return -1;
			tm[i] = reset_once();
			unmap_dpa(maps, nmaps);
			if (tm[i] < 0)
				return -1;
		}
		td[i] = tm[i] - tb[i];
	}
	r->mapped = median(tm, i);
	r->bare = median(tb, i);
	r->diff = median(td, i);	/* sorts td */
	r->q1 = td[i / 4];
	r->q3 = td[3 * i / 4];
	return 0;
}

/*
 * The steps of a VFIO_DEVICE_RESET timed by ftrace's function_graph
 * tracer: nested as they run, so each includes the steps below it.
 */
enum {
	TR_IOCTL, TR_ZAP, TR_PCI_RESET, TR_PREPARE, TR_FLUSH_HPA, TR_CACHE_WBI,
	TR_DONE, TR_HOST_RESTORE, TR_MEM_ACTIVE, NTRACE
};
static const char *const trace_fns[NTRACE] = {
	[TR_IOCTL]	  = "vcxl_ioctl",		/* the whole ioctl */
	[TR_ZAP]	  = "unmap_mapping_range",	/* every zap: vfio-pci's, the module's */
	[TR_PCI_RESET]	  = "pci_try_reset_function",	/* the PCI core: hooks + device reset */
	[TR_PREPARE]	  = "vcxl_reset_prepare",	/* module hook before the reset */
	[TR_FLUSH_HPA]	  = "vcxl_flush_hpa",		/* host caches of the HPA written back */
	[TR_CACHE_WBI]	  = "vcxl_reset_cache_wbi",	/* device cache written back */
	[TR_DONE]	  = "vcxl_reset_done",		/* module hook after the reset */
	[TR_HOST_RESTORE] = "vcxl_host_restore",	/* host decoder back */
	[TR_MEM_ACTIVE]	  = "vcxl_mem_active_wait",	/* the device's Memory_Active */
};
#define TRACE_ROUNDS	11
#define TRACEFS		"/sys/kernel/tracing"

/*
 * @val into tracefs @file, opened with O_TRUNC (which clears "trace" and
 * replaces a filter); ftrace takes one word of a filter a write, so the
 * rest is written until all of it is taken.
 */
static int trace_write(const char *file, const char *val)
{
	size_t len = strlen(val), done = 0;
	char path[128];
	ssize_t n = 0;
	int fd;

	snprintf(path, sizeof(path), TRACEFS "/%s", file);
	fd = open(path, O_WRONLY | O_TRUNC);
	while (fd >= 0 && done < len && (n = write(fd, val + done, len - done)) > 0)
		done += n;
	if (fd >= 0)
		close(fd);
	if (fd < 0 || done < len) {
		fprintf(stderr, "dpa_bench: writing '%s' to %s: %s\n", val, path,
			fd < 0 || n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

static int trace_setup(void)
{
	char buf[1024] = "", pid[16];
	size_t i;

	if (access(TRACEFS "/trace", F_OK) &&
	    mount("tracefs", TRACEFS, "tracefs", 0, NULL)) {
		fprintf(stderr, "dpa_bench: mounting tracefs: %s\n", strerror(errno));
		return -1;
	}
	for (i = 0; i < NTRACE; i++) {
		strcat(buf, trace_fns[i]);	/* 9 names: well inside buf */
		strcat(buf, " ");
	}
	snprintf(pid, sizeof(pid), "%d", getpid());
	return trace_write("tracing_on", "0") || trace_write("current_tracer", "nop") ||
	       trace_write("set_ftrace_filter", buf) || trace_write("set_ftrace_pid", pid) ||
	       trace_write("options/funcgraph-tail", "1") ||
	       trace_write("current_tracer", "function_graph") ? -1 : 0;
}

static void trace_teardown(void)
{
	trace_write("tracing_on", "0");
	trace_write("current_tracer", "nop");
	trace_write("set_ftrace_filter", "");
	trace_write("set_ftrace_pid", "");
}

/*
 * From a function_graph line, the function and its time in us: "... 12.345
 * us | name();" for a leaf, "... us | } /\* name [mod] *\/" for an exit;
 * entries ("name() {") carry no time. -1 if the line has none of ours.
 */
static int trace_line(const char *l, double *us)
{
	const char *bar = strchr(l, '|'), *u, *n;
	size_t i, len;

	if (l[0] == '#' || !bar)
		return -1;
	u = strstr(l, " us ");
	if (!u || u > bar)
		return -1;
	while (u > l && (isdigit((unsigned char)u[-1]) || u[-1] == '.'))
		u--;
	*us = strtod(u, NULL);
	n = strstr(bar, "/* ");
	n = n ? n + 3 : bar + 1;
	while (*n == ' ')
		n++;
	for (i = 0; i < NTRACE; i++) {
		len = strlen(trace_fns[i]);
		if (!strncmp(n, trace_fns[i], len) && strchr(" (;", n[len]))
			return i;
	}
	return -1;
}

/*
 * One traced VFIO_DEVICE_RESET: @us[i] the sum of trace_fns[i]'s times.
 * DPA_TRACE_DUMP=1 in the environment copies the trace to stderr.
 */
static int trace_reset(double *us)
{
	bool dump = getenv("DPA_TRACE_DUMP");
	char line[512];
	double t;
	FILE *f;
	int i;

	memset(us, 0, NTRACE * sizeof(*us));
	if (trace_write("trace", "") || trace_write("tracing_on", "1"))
		return -1;
	t = reset_once();
	if (trace_write("tracing_on", "0") || t < 0)
		return -1;
	f = fopen(TRACEFS "/trace", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		double d;

		if (dump)
			fputs(line, stderr);
		i = trace_line(line, &d);
		if (i >= 0)
			us[i] += d;
	}
	fclose(f);
	return us[TR_IOCTL] > 0 ? 0 : -1;	/* no vcxl_ioctl seen: not traced */
}

/*
 * reset_trace() - where a reset spends its time, with @nmaps populated
 * mappings of the DPA (as reset_rounds()) and with nothing mapped:
 * TRACE_ROUNDS rounds of the two, alternating; @mapped[i] and @bare[i] the
 * medians of trace_fns[i]. Kept apart from reset_rounds(), so the tracer's
 * own cost is in none of the other figures.
 */
static int reset_trace(int nmaps, double *mapped, double *bare)
{
	double m[NTRACE][TRACE_ROUNDS], b[NTRACE][TRACE_ROUNDS], us[NTRACE];
	void *maps[64];
	size_t i, j, k;
	int ret = -1;

	if (trace_setup())
		goto out;
	for (i = 0; i < TRACE_ROUNDS; i++) {
		for (j = 0; j < 2; j++) {
			bool with = (i + j) % 2;

			int n = with ? nmaps : 0, rc;

			if (map_dpa_populated(maps, n))
				goto out;
			rc = trace_reset(us);
			unmap_dpa(maps, n);
			if (rc) {
				fprintf(stderr, "dpa_bench: %s: traced reset failed\n", dev.bdf);
				goto out;
			}
			for (k = 0; k < NTRACE; k++)
				(with ? m : b)[k][i] = us[k];
		}
	}
	for (k = 0; k < NTRACE; k++) {
		mapped[k] = median(m[k], TRACE_ROUNDS);
		bare[k] = median(b[k], TRACE_ROUNDS);
	}
	ret = 0;
out:
	trace_teardown();
	return ret;
}

/*
 * Of the module's two reset hooks, the time not spent waiting on the
 * device (its cache write-back, its Memory_Active), in us.
 */
static double hooks_own(const double *us)
{
	return us[TR_PREPARE] + us[TR_DONE] - us[TR_CACHE_WBI] - us[TR_MEM_ACTIVE];
}

static void print_trace(const char *name, const double *us)
{
	size_t i;

	printf(", \"%s\": {", name);
	for (i = 0; i < NTRACE; i++)
		printf("%s\"%s\": %.1f", i ? ", " : "", trace_fns[i], us[i]);
	printf("}");
}

/* `, "@name": [q1, q3]`: the quartiles of @r's differences, times @scale. */
static void print_quartiles(const char *name, const struct reset_fig *r, double scale)
{
	printf(", \"%s\": [%.2f, %.2f]", name, r->q1 * scale, r->q3 * scale);
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
	struct reset_fig rs, rs_one = { 0 }, rs_nowb = { 0 };
	double tr_mapped[NTRACE], tr_bare[NTRACE];
	bool traced;
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
	if (nmaps > 1 && reset_rounds(1, RESET_ROUNDS, &rs_one))
		return 1;
	traced = !reset_trace(nmaps, tr_mapped, tr_bare);
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
	print_quartiles("module_ms_per_gib_mapped_quartiles", &rs, per_gib);
	if (nmaps > 1) {
		printf(", \"reset_ms_whole_dpa_mapped_once\": %.2f, "
		       "\"module_ms_whole_dpa_mapped_once\": %.2f",
		       rs_one.mapped, rs_one.diff);
		print_quartiles("module_ms_whole_dpa_mapped_once_quartiles", &rs_one, 1);
	}
	/* a tracer that failed (said on stderr) leaves only these out */
	if (traced) {
		printf(", \"reset_trace_rounds\": %d", TRACE_ROUNDS);
		print_trace("reset_trace_us_with_1gib_mapped", tr_mapped);
		print_trace("reset_trace_us_nothing_mapped", tr_bare);
		printf(", \"zap_us_per_gib_mapped\": %.1f", (tr_mapped[TR_ZAP] - tr_bare[TR_ZAP]) * per_gib);
		printf(", \"module_hooks_us_beside_device_waits_with_1gib_mapped\": %.1f"
		       ", \"module_hooks_us_beside_device_waits_nothing_mapped\": %.1f",
		       hooks_own(tr_mapped), hooks_own(tr_bare));
	} else {
		printf(", \"reset_trace_rounds\": null");
	}
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
	if (cache)
		print_quartiles("module_ms_per_gib_mapped_no_cache_wb_quartiles", &rs_nowb, per_gib);
	printf("}\n");
	dev_close(&dev);
	return 0;
}
