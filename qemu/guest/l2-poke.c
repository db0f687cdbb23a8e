// SPDX-License-Identifier: MIT
/*
 * l2-poke: what a guest with root does to its VMM, for the L2 checks of
 * issue 15 (static, in L2's initramfs).
 *
 *   l2-poke fwcfg ADDR [DST LEN]  point fw_cfg DMA (port 0x514) at ADDR;
 *                                 with DST, first write there (through
 *                                 /dev/mem) a request to read LEN bytes of
 *                                 the fw_cfg signature to DST, and print
 *                                 the control word QEMU leaves (0: done)
 *   l2-poke fwcfg ram DST LEN     the same request, in a locked page of
 *                                 this process's RAM instead
 *   l2-poke flood ADDR N W|R      N 8-byte writes (W) or reads (R) at ADDR
 *                                 through /dev/mem (uncached)
 *   l2-poke cfg BDF OFF W [VAL]   config space read (printed) or write of
 *                                 W (1, 2, 4) bytes, one access
 *   l2-poke cap BDF ID            offset of capability ID (0 if none)
 *   l2-poke dvsec BDF ID          offset of the CXL DVSEC (vendor 0x1e98)
 *                                 with DVSEC ID ID (0 if none)
 *   l2-poke viommu BDF ADDR LEN   bind BDF to vfio-pci and, through this
 *                                 guest's vIOMMU (VFIO type1), DMA-map LEN
 *                                 bytes of RAM at IOVA 0x10000000 and LEN
 *                                 bytes of physical ADDR (/dev/mem) at IOVA
 *                                 0x20000000; one line each: "ram|phys
 *                                 IOVA LEN ok|error"
 *
 * Exits 1 with a message when something fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <libgen.h>
#include <linux/vfio.h>

#define FW_CFG_DMA_PORT	0x514
/* QEMU's fw_cfg DMA interface (docs/specs/fw_cfg.rst), fields big-endian */
#define FW_CFG_DMA_CTL_READ	0x02
#define FW_CFG_DMA_CTL_SELECT	0x08
#define FW_CFG_SIGNATURE	0x0000

static int die(const char *what)
{
	fprintf(stderr, "l2-poke: %s: %s\n", what, strerror(errno));
	return 1;
}

static void *map_phys(uint64_t addr, volatile void **p)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t base = addr & ~(uint64_t)(pg - 1);
	void *m;
	int fd;

	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0)
		return NULL;
	m = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, base);
	close(fd);
	if (m == MAP_FAILED)
		return NULL;
	*p = (char *)m + (addr - base);
	return m;
}

/* A fault on the port write itself (not on memory): say so, distinctly. */
static void on_segv_port(int sig)
{
	static const char msg[] = "port-io-fault\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

/* A locked page of RAM and its physical address (/proc/self/pagemap). */
static void *ram_page(uint64_t *phys)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t e = 0;
	void *m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd;

	if (m == MAP_FAILED)
		return NULL;
	memset(m, 0, pg);
	if (mlock(m, pg))
		return NULL;
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return NULL;
	if (pread(fd, &e, 8, (uintptr_t)m / pg * 8) != 8) {
		close(fd);
		return NULL;
	}
	close(fd);
	/* not present, or no PFN (it reads 0 without CAP_SYS_ADMIN) */
	if (!(e >> 63) || !(e & ((1ull << 55) - 1))) {
		errno = ENOENT;
		return NULL;
	}
	*phys = (e & ((1ull << 55) - 1)) * pg;
	return m;
}

/* The DMA address register takes the address big-endian, high dword first. */
static int fwcfg(uint64_t addr, uint64_t dst, uint32_t len, int in_ram)
{
	volatile uint32_t *req = NULL;
	void *m = NULL;

	if (in_ram) {
		m = ram_page(&addr);
		if (!m)
			return die("a RAM page for the request");
		req = m;
	} else if (dst) {
		m = map_phys(addr, (volatile void **)&req);
		if (!m)
			return die("map the request");
	}
	if (dst) {
		req[0] = __builtin_bswap32(FW_CFG_SIGNATURE << 16 |
					   FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ);
		req[1] = __builtin_bswap32(len);
		req[2] = __builtin_bswap32((uint32_t)(dst >> 32));
		req[3] = __builtin_bswap32((uint32_t)dst);
	}
	if (ioperm(FW_CFG_DMA_PORT, 8, 1))
		return die("ioperm");
	signal(SIGSEGV, on_segv_port);
	outl(__builtin_bswap32((uint32_t)(addr >> 32)), FW_CFG_DMA_PORT);
	outl(__builtin_bswap32((uint32_t)addr), FW_CFG_DMA_PORT + 4);
	if (m) {
		printf("%#x\n", __builtin_bswap32(req[0]));
		if (!in_ram)
			munmap(m, 2 * sysconf(_SC_PAGESIZE));
	}
	return 0;
}

static int cfg_open(const char *bdf, int flags)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", bdf);
	return open(path, flags);
}

static int cfg(const char *bdf, long off, int w, const char *val)
{
	uint32_t v = val ? strtoul(val, NULL, 0) : 0;
	int fd = cfg_open(bdf, val ? O_RDWR : O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return die(bdf);
	n = val ? pwrite(fd, &v, w, off) : pread(fd, &v, w, off);
	close(fd);
	if (n != w)
		return die("config access");
	if (!val)
		printf("%#x\n", w == 4 ? v : w == 2 ? (uint16_t)v : (uint8_t)v);
	return 0;
}

static int cap(const char *bdf, int id)
{
	uint8_t c[256];
	int fd = cfg_open(bdf, O_RDONLY), pos, n;

	if (fd < 0 || pread(fd, c, sizeof(c), 0) != sizeof(c))
		return die(bdf);
	close(fd);
	for (pos = c[0x34] & ~3, n = 0; pos >= 0x40 && n < 48; n++) {
		if (c[pos] == id) {
			printf("%#x\n", pos);
			return 0;
		}
		pos = c[pos + 1] & ~3;
	}
	printf("0\n");
	return 0;
}

/* PCIe r6.0 7.9.6: extended capability 0x23, vendor and DVSEC ID in header 1/2 */
static int dvsec(const char *bdf, int id)
{
	uint8_t c[4096];
	int fd = cfg_open(bdf, O_RDONLY), pos = 0x100, n;
	uint32_t h, h1, h2;

	if (fd < 0 || pread(fd, c, sizeof(c), 0) != sizeof(c))
		return die(bdf);
	close(fd);
	/* a header and both DVSEC headers (12 bytes) must fit */
	for (n = 0; pos >= 0x100 && pos <= (int)sizeof(c) - 12 && n < 960; n++) {
		memcpy(&h, c + pos, 4);
		if (!h)
			break;
		memcpy(&h1, c + pos + 4, 4);
		memcpy(&h2, c + pos + 8, 4);
		if ((h & 0xffff) == 0x23 && (h1 & 0xffff) == 0x1e98 && (h2 & 0xffff) == (uint32_t)id) {
			printf("%#x\n", pos);
			return 0;
		}
		pos = (h >> 20) & ~3;
	}
	printf("0\n");
	return 0;
}

static int sysfs_put(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, v, strlen(v)) == (ssize_t)strlen(v);
	close(fd);
	return ok ? 0 : -1;
}

static void dma_map(int container, const char *what, void *va, uint64_t iova, uint64_t len)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map), .vaddr = (uintptr_t)va, .iova = iova, .size = len,
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
	};

	if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map))
		printf("%s %#llx %#llx error %s\n", what, (unsigned long long)iova,
		       (unsigned long long)len, strerror(errno));
	else
		printf("%s %#llx %#llx ok\n", what, (unsigned long long)iova,
		       (unsigned long long)len);
}

static int viommu(const char *bdf, uint64_t addr, uint64_t len)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	char path[256], link[256];
	void *ram, *phys;
	ssize_t n;
	int container, group, fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", bdf);
	if (sysfs_put(path, "vfio-pci"))
		return die("driver_override");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", bdf);
	sysfs_put(path, bdf);
	if (sysfs_put("/sys/bus/pci/drivers_probe", bdf))
		return die("drivers_probe");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return die("no IOMMU group");
	link[n] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	container = open("/dev/vfio/vfio", O_RDWR);
	group = open(path, O_RDWR);
	if (container < 0 || group < 0)
		return die(path);
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &gs) || !(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		return die("group not viable");
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) ||
	    ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return die("VFIO type1");
	ram = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	phys = fd < 0 ? MAP_FAILED : mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, addr);
	if (ram == MAP_FAILED || phys == MAP_FAILED)
		return die("mmap");
	memset(ram, 0x5a, len);
	dma_map(container, "ram", ram, 0x10000000, len);
	dma_map(container, "phys", phys, 0x20000000, len);
	return 0;
}

static int flood(uint64_t addr, unsigned long n, int write)
{
	volatile uint64_t *p = NULL;
	unsigned long i;
	uint64_t v = 0;
	void *m = map_phys(addr, (volatile void **)&p);

	if (!m)
		return die("map /dev/mem");
	for (i = 0; i < n; i++) {
		if (write)
			*p = 0;
		else
			v += *p;
	}
	munmap(m, 2 * sysconf(_SC_PAGESIZE));
	(void)v;
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 3 || argc == 5) && !strcmp(argv[1], "fwcfg"))
		return fwcfg(strtoull(argv[2], NULL, 0),
			     argc == 5 ? strtoull(argv[3], NULL, 0) : 0,
			     argc == 5 ? strtoul(argv[4], NULL, 0) : 0,
			     !strcmp(argv[2], "ram"));
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "cfg"))
		return cfg(argv[2], strtol(argv[3], NULL, 0), atoi(argv[4]),
			   argc == 6 ? argv[5] : NULL);
	if (argc == 4 && !strcmp(argv[1], "cap"))
		return cap(argv[2], strtol(argv[3], NULL, 0));
	if (argc == 5 && !strcmp(argv[1], "viommu"))
		return viommu(argv[2], strtoull(argv[3], NULL, 0), strtoull(argv[4], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "dvsec"))
		return dvsec(argv[2], strtol(argv[3], NULL, 0));
	if (argc == 5 && !strcmp(argv[1], "flood"))
		return flood(strtoull(argv[2], NULL, 0), strtoul(argv[3], NULL, 0),
			     argv[4][0] == 'W');
	fprintf(stderr, "usage: l2-poke fwcfg ADDR|ram [DST LEN] | flood ADDR N W|R | cfg BDF OFF W [VAL] | cap BDF ID | dvsec BDF ID | viommu BDF ADDR LEN\n");
	return 2;
}
