// SPDX-License-Identifier: MIT
/*
 * accel_test: in-guest (L1) tests of the emulated CXL Type-2 accelerator
 * cxl-accel (qemu/patches/0008-*), TAP. Registers through sysfs config
 * space and the BAR0 resource mmap, device memory through /dev/mem at
 * decoder 0's base (committed by the firmware step), host memory for the
 * DMA engine through VFIO type1: the vIOMMU is on, so the device reaches
 * only IOVAs someone mapped, and vfio-pci is the one way to map them from
 * userspace. Every test has its negative case.
 *
 *   accel_test [BDF] [active_ms=N] [reset_tmo=N] [mem_mib=N] [lines=N]
 *
 * The defaults are accel.topo's properties. Without a cxl-accel the run
 * fails (it is only run on topologies that have one).
 */
#include "vfio_cxl_harness.h"
#include "cxl_accel_regs.h"
#include "cxl_accel_cmd.h"

#define IOVA		0x40000000ULL
#define BUF_SIZE	(2u << 20)
#define UNMAPPED_IOVA	0x80000000ULL

static struct {
	char bdf[32];
	int cfg;			/* sysfs config */
	volatile uint8_t *bar;		/* BAR0 via resource0 */
	volatile uint8_t *win;		/* device memory via /dev/mem */
	uint64_t win_base;		/* decoder 0 base as the firmware set it */
	uint64_t win_size;
	uint16_t dvsec, regloc;
	unsigned int exp;		/* PCI Express capability */
	unsigned int pm;		/* PCI Power Management capability */
	unsigned int hdm;		/* HDM block offset in BAR0 */
	int container, group, fd;	/* VFIO */
	uint8_t *buf;			/* DMA buffer, at IOVA */
	/* expectations (accel.topo) */
	unsigned int active_ms, reset_tmo, mem_mib, lines;
} A = { .cfg = -1, .container = -1, .group = -1, .fd = -1,
	.active_ms = 2000, .reset_tmo = CXL_DVSEC_RESET_TIMEOUT_100MS,
	.mem_mib = 256, .lines = CXL_ACCEL_DEF_CACHE_LINES };

/* ---- access ------------------------------------------------------------ */

static uint32_t cfg32(unsigned int off)
{
	uint32_t v = ~0u;

	if (pread(A.cfg, &v, 4, off) != 4)
		return ~0u;
	return v;
}

static uint16_t cfg16(unsigned int off)
{
	uint16_t v = 0xffff;

	if (pread(A.cfg, &v, 2, off) != 2)
		return 0xffff;
	return v;
}

static int cfg_w16(unsigned int off, uint16_t v)
{
	return pwrite(A.cfg, &v, 2, off) == 2 ? 0 : -1;
}

static uint16_t dv16(unsigned int off)
{
	return cfg16(A.dvsec + off);
}

static int dv_w16(unsigned int off, uint16_t v)
{
	return cfg_w16(A.dvsec + off, v);
}

static uint32_t rd32(unsigned int off)
{
	return *(volatile uint32_t *)(A.bar + off);
}

static void wr32(unsigned int off, uint32_t v)
{
	*(volatile uint32_t *)(A.bar + off) = v;
}

static uint64_t rd64(unsigned int off)
{
	return *(volatile uint64_t *)(A.bar + off);
}

static void wr64(unsigned int off, uint64_t v)
{
	*(volatile uint64_t *)(A.bar + off) = v;
}

static uint32_t dec0(unsigned int reg)
{
	return rd32(A.hdm + CXL_HDM_DEC_OFF(0) + reg);
}

static bool dec0_committed(void)
{
	return dec0(CXL_HDM_DEC_CTRL) & CXL_HDM_DEC_CTRL_COMMITTED;
}

static bool mem_active(void)
{
	return cfg32(A.dvsec + CXL_DVSEC_RANGE_SIZE_LO(0)) & CXL_DVSEC_RANGE_SIZE_LO_ACTIVE;
}

static double ms_since(double t0)
{
	return (now_s() - t0) * 1000;
}

static bool wait_active(unsigned int ms)
{
	double t0 = now_s();

	while (!mem_active()) {
		if (ms_since(t0) > ms)
			return false;
		usleep(10000);
	}
	return true;
}

static void io_wr32(void *priv, u32 off, u32 v)
{
	wr32(off, v);
}

static void io_wr64(void *priv, u32 off, u64 v)
{
	wr64(off, v);
}

static const struct cxl_accel_io bar_io = { .wr32 = io_wr32, .wr64 = io_wr64 };

/* One command; returns ERROR_CODE (0: DONE was set). */
static uint32_t cmd(uint32_t op, uint64_t src, uint64_t dst, uint64_t len, uint64_t pattern)
{
	uint32_t st;

	cxl_accel_cmd_start(&bar_io, op, src, dst, len, pattern);
	st = rd32(CXL_ACCEL_STATUS);
	if (st & CXL_ACCEL_STATUS_ERROR)
		return rd32(CXL_ACCEL_ERROR_CODE) ?: 0xff;
	return st & CXL_ACCEL_STATUS_DONE ? 0 : 0xfe;
}

static bool buf_has(unsigned int off, unsigned int len, uint64_t pattern)
{
	for (unsigned int i = 0; i < len; i += 8)
		if (*(uint64_t *)(A.buf + off + i) != pattern)
			return false;
	return true;
}

static bool buf_lacks(unsigned int off, unsigned int len, uint64_t pattern)
{
	for (unsigned int i = 0; i < len; i += 8)
		if (*(uint64_t *)(A.buf + off + i) == pattern)
			return false;
	return true;
}

static uint64_t win64(uint64_t off)
{
	return *(volatile uint64_t *)(A.win + off);
}

static int sysfs_dev(const char *attr, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", A.bdf, attr);
	return sysfs_write(path, val);
}

/*
 * A reset through the PCI core: "flr", or "cxl_bus" for the secondary bus
 * reset (Linux refuses plain "bus" below a CXL port whose Port Control
 * Extensions leave SBR masked; cxl_bus unmasks it around the reset).
 */
static int pci_reset(const char *method)
{
	int r;

	if (sysfs_dev("reset_method", method))
		return -1;
	r = sysfs_dev("reset", "1");
	sysfs_dev("reset_method", "default");
	return r;
}

/* Decoder 0 back where the firmware step put it, and Mem_Enable. */
static int recommit(void)
{
	unsigned int d = A.hdm + CXL_HDM_DEC_OFF(0);

	wr32(d + CXL_HDM_DEC_BASE_LO, (uint32_t)A.win_base);
	wr32(d + CXL_HDM_DEC_BASE_HI, A.win_base >> 32);
	wr32(d + CXL_HDM_DEC_SIZE_LO, (uint32_t)A.win_size);
	wr32(d + CXL_HDM_DEC_SIZE_HI, A.win_size >> 32);
	wr32(d + CXL_HDM_DEC_CTRL, CXL_HDM_DEC_CTRL_COMMIT);
	wr32(A.hdm + CXL_HDM_GCTRL, rd32(A.hdm + CXL_HDM_GCTRL) | CXL_HDM_GCTRL_ENABLE);
	if (dv_w16(CXL_DVSEC_CTRL, dv16(CXL_DVSEC_CTRL) | CXL_DVSEC_CTRL_MEM_EN))
		return -1;
	return dec0_committed() ? 0 : -1;
}

/* Cache WBI through DVSEC Control2; true when Cache_Invalid came. */
static bool wbi(unsigned int ms)
{
	double t0 = now_s();

	dv_w16(CXL_DVSEC_CTRL2, CXL_DVSEC_CTRL2_DISABLE_CACHING);
	dv_w16(CXL_DVSEC_CTRL2, CXL_DVSEC_CTRL2_DISABLE_CACHING | CXL_DVSEC_CTRL2_INIT_CACHE_WBI);
	while (!(dv16(CXL_DVSEC_STATUS2) & CXL_DVSEC_STATUS2_CACHE_INVALID)) {
		if (ms_since(t0) > ms)
			return false;
		usleep(1000);
	}
	return true;
}

static void caching_on(void)
{
	dv_w16(CXL_DVSEC_CTRL2, 0);
}

/* ---- set-up ------------------------------------------------------------- */

static int find_ext_dvsec(uint16_t id)
{
	unsigned int pos = CXL_PCI_EXT_CAP_START, n = 0;

	while (pos && n++ < 64) {
		uint32_t hdr = cfg32(pos);

		if (!hdr || hdr == ~0u)
			return 0;
		if (FIELD_GET(CXL_PCI_EXT_CAP_HDR_ID, hdr) == CXL_PCI_EXT_CAP_ID_DVSEC &&
		    FIELD_GET(CXL_DVSEC_HDR1_VENDOR, cfg32(pos + CXL_DVSEC_HDR1)) == CXL_DVSEC_VENDOR_ID &&
		    cfg16(pos + CXL_DVSEC_HDR2) == id)
			return pos;
		pos = FIELD_GET(CXL_PCI_EXT_CAP_HDR_NEXT, hdr);
	}
	return 0;
}

static int find_accel(char *bdf, size_t len)
{
	DIR *d = opendir("/sys/bus/pci/devices");
	struct dirent *e;
	int found = -1;

	if (!d)
		return -1;
	while ((e = readdir(d)) && found < 0) {
		char path[300], v[16] = "", dv[16] = "";

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/vendor", e->d_name);
		sysfs_read(path, v, sizeof(v));
		snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/device", e->d_name);
		sysfs_read(path, dv, sizeof(dv));
		if (strtoul(v, NULL, 0) == CXL_ACCEL_PCI_VENDOR_ID &&
		    strtoul(dv, NULL, 0) == CXL_ACCEL_PCI_DEVICE_ID) {
			snprintf(bdf, len, "%s", e->d_name);
			found = 0;
		}
	}
	closedir(d);
	return found;
}

static int vfio_setup(void)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	char path[256], link[256], drv[64];
	ssize_t n;

	if (system("modprobe vfio-pci >/dev/null 2>&1; modprobe vfio_iommu_type1 >/dev/null 2>&1"))
		tap_diag("modprobe vfio-pci failed");
	if (strcmp(dev_driver(A.bdf, drv, sizeof(drv)), "vfio-pci")) {
		if (sysfs_dev("driver_override", "vfio-pci"))
			return -1;
		sysfs_write("/sys/bus/pci/drivers_probe", A.bdf);
		if (strcmp(dev_driver(A.bdf, drv, sizeof(drv)), "vfio-pci")) {
			tap_diag("%s: not bound to vfio-pci", A.bdf);
			return -1;
		}
	}
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", A.bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = 0;
	snprintf(path, sizeof(path), "/dev/vfio/%s", basename(link));
	A.container = open("/dev/vfio/vfio", O_RDWR);
	A.group = open(path, O_RDWR);
	if (A.container < 0 || A.group < 0)
		return -1;
	if (ioctl(A.group, VFIO_GROUP_GET_STATUS, &gs) || !(gs.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		tap_diag("%s: IOMMU group %s not viable", A.bdf, path);
		return -1;
	}
	if (ioctl(A.group, VFIO_GROUP_SET_CONTAINER, &A.container) ||
	    ioctl(A.container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return -1;
	A.buf = mmap(NULL, BUF_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (A.buf == MAP_FAILED)
		return -1;
	memset(A.buf, 0, BUF_SIZE);
	map.vaddr = (uintptr_t)A.buf;
	map.iova = IOVA;
	map.size = BUF_SIZE;
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	if (ioctl(A.container, VFIO_IOMMU_MAP_DMA, &map))
		return -1;
	/* Opening the device resets it (FLR): Memory_Active goes away a while. */
	A.fd = ioctl(A.group, VFIO_GROUP_GET_DEVICE_FD, A.bdf);
	return A.fd < 0 ? -1 : 0;
}

/* A standard capability's offset in config space, or 0 (48 entries at most). */
static unsigned int find_cap(uint8_t id)
{
	for (unsigned int pos = cfg16(0x34) & 0xfc, n = 0; pos && n < 48; n++) {
		if ((cfg16(pos) & 0xff) == id)
			return pos;
		pos = (cfg16(pos) >> 8) & 0xfc;
	}
	return 0;
}

static int setup(void)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/config", A.bdf);
	A.cfg = open(path, O_RDWR);
	if (A.cfg < 0)
		return -1;
	A.exp = find_cap(0x10);
	A.pm = find_cap(0x01);
	A.dvsec = find_ext_dvsec(CXL_DVSEC_ID_DEVICE);
	A.regloc = find_ext_dvsec(CXL_DVSEC_ID_REG_LOCATOR);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource0", A.bdf);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0)
		return -1;
	A.bar = mmap(NULL, CXL_ACCEL_BAR_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (A.bar == MAP_FAILED)
		return -1;
	A.hdm = CXL_ACCEL_HDM_OFFSET +
		FIELD_GET(CXL_CM_CAP_ENTRY_PTR,
			  rd32(CXL_ACCEL_HDM_OFFSET + CXL_CM_CAP_ENTRY(CXL_ACCEL_CM_HDM_ENTRY - 1)));
	A.win_base = (uint64_t)dec0(CXL_HDM_DEC_BASE_HI) << 32 |
		     (dec0(CXL_HDM_DEC_BASE_LO) & CXL_HDM_DEC_BASE_LO_BASE);
	A.win_size = (uint64_t)dec0(CXL_HDM_DEC_SIZE_HI) << 32 |
		     (dec0(CXL_HDM_DEC_SIZE_LO) & CXL_HDM_DEC_SIZE_LO_SIZE);
	if (!A.win_base || !A.win_size) {
		tap_diag("%s: decoder 0 not set up (run with --firmware)", A.bdf);
		return -1;
	}
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0)
		return -1;
	A.win = mmap(NULL, 4u << 20, PROT_READ | PROT_WRITE, MAP_SHARED, fd, A.win_base);
	close(fd);
	if (A.win == MAP_FAILED)
		return -1;
	if (vfio_setup())
		return -1;
	/* Memory Space and Bus Master Enable for the DMA engine */
	return cfg_w16(0x04, cfg16(0x04) | 0x6);
}

/* ---- tests ---------------------------------------------------------------- */

static void t_identity(struct cxl_dev *d)
{
	char path[128], v[32];

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/class", A.bdf);
	ASSERT_OK(sysfs_read(path, v, sizeof(v)));
	ASSERT_EQ(strtoul(v, NULL, 0) >> 8, CXL_ACCEL_PCI_CLASS);
	ASSERT_EQ(rd32(CXL_ACCEL_ID), CXL_ACCEL_ID_VALUE);
	ASSERT_EQ(rd32(CXL_ACCEL_VERSION), CXL_ACCEL_VERSION_VALUE);
	ASSERT_EQ(rd32(CXL_ACCEL_CACHE_LINES), A.lines);
	/* negative: ID is read-only */
	wr32(CXL_ACCEL_ID, 0x12345678);
	ASSERT_EQ(rd32(CXL_ACCEL_ID), CXL_ACCEL_ID_VALUE);
	/* FLR advertised (PCIe Device Capabilities bit 28) */
	ASSERT_NE(A.exp, 0);
	ASSERT_TRUE(cfg32(A.exp + 0x04) & BIT(28));
}

static void t_dvsec(struct cxl_dev *d)
{
	uint16_t cap, want = CXL_DVSEC_CAP_CACHE | CXL_DVSEC_CAP_IO | CXL_DVSEC_CAP_MEM |
		CXL_DVSEC_CAP_CACHE_WBI | CXL_DVSEC_CAP_CXL_RESET | CXL_DVSEC_CAP_CXL_RESET_MEM_CLR;
	uint32_t lo;

	ASSERT_NE(A.dvsec, 0);
	/* opening the VFIO device reset it: Memory_Info_Valid comes back */
	ASSERT_TRUE(wait_active(A.active_ms * 3 + 5000));
	ASSERT_EQ(FIELD_GET(CXL_DVSEC_HDR1_REV, cfg32(A.dvsec + CXL_DVSEC_HDR1)), CXL_ACCEL_DVSEC_REV);
	cap = dv16(CXL_DVSEC_CAP);
	ASSERT_EQ(cap & want, want);
	ASSERT_EQ(FIELD_GET(CXL_DVSEC_CAP_HDM_COUNT, cap), 1);
	ASSERT_EQ(FIELD_GET(CXL_DVSEC_CAP_CXL_RESET_TIMEOUT, cap), A.reset_tmo);
	/* negative: not an MLD, no HW-init memory mode, no viral */
	ASSERT_EQ(cap & (CXL_DVSEC_CAP_MLD | CXL_DVSEC_CAP_MEM_HWINIT_MODE | CXL_DVSEC_CAP_VIRAL), 0);
	/* negative: Capability is read-only */
	ASSERT_OK(dv_w16(CXL_DVSEC_CAP, 0));
	ASSERT_EQ(dv16(CXL_DVSEC_CAP), cap);
	lo = cfg32(A.dvsec + CXL_DVSEC_RANGE_SIZE_LO(0));
	ASSERT_EQ(((uint64_t)cfg32(A.dvsec + CXL_DVSEC_RANGE_SIZE_HI(0)) << 32 |
		   (lo & CXL_DVSEC_RANGE_SIZE_LO_SIZE)), (uint64_t)A.mem_mib << 20);
	ASSERT_TRUE(lo & CXL_DVSEC_RANGE_SIZE_LO_VALID);
	/* Memory_Active_Timeout covers the delay: 1 s, 4 s, 16 s, ... */
	ASSERT_GE(1000u << (2 * FIELD_GET(CXL_DVSEC_RANGE_SIZE_LO_ACT_TIMEOUT, lo)), A.active_ms);
	/* no Range 2 (HDM_Count 1) */
	ASSERT_EQ(cfg32(A.dvsec + CXL_DVSEC_RANGE_SIZE_LO(1)) & CXL_DVSEC_RANGE_SIZE_LO_SIZE, 0);
}

static void t_register_locator(struct cxl_dev *d)
{
	uint32_t lo;

	ASSERT_NE(A.regloc, 0);
	/* one entry: header (0x0c) + 8 */
	ASSERT_EQ(FIELD_GET(CXL_DVSEC_HDR1_LEN, cfg32(A.regloc + CXL_DVSEC_HDR1)),
		  CXL_RL_BLOCK_LO(CXL_ACCEL_RL_ENTRIES));
	lo = cfg32(A.regloc + CXL_RL_BLOCK_LO(0));
	ASSERT_EQ(FIELD_GET(CXL_RL_BLOCK_LO_BIR, lo), CXL_ACCEL_BAR);
	ASSERT_EQ(FIELD_GET(CXL_RL_BLOCK_LO_ID, lo), CXL_RL_ID_COMPONENT);
	ASSERT_EQ(lo & CXL_RL_BLOCK_LO_OFFSET, CXL_ACCEL_COMP_OFFSET);
	ASSERT_EQ(cfg32(A.regloc + CXL_RL_BLOCK_HI(0)), 0);
	/* what it points to: the CXL.cache/mem capability array header */
	ASSERT_EQ(FIELD_GET(CXL_CM_CAP_HDR_ID, rd32(CXL_ACCEL_HDM_OFFSET)), CXL_CM_CAP_ID_CAP);
	ASSERT_EQ(FIELD_GET(CXL_CM_CAP_HDR_ARRAY_SIZE, rd32(CXL_ACCEL_HDM_OFFSET)),
		  CXL_ACCEL_CM_HDM_ENTRY);
	ASSERT_EQ(FIELD_GET(CXL_CM_CAP_ENTRY_ID,
			    rd32(CXL_ACCEL_HDM_OFFSET + CXL_CM_CAP_ENTRY(CXL_ACCEL_CM_HDM_ENTRY - 1))),
		  CXL_CM_CAP_ID_HDM);
	/* negative: vendor page A at the component block's offset would be the ID */
	ASSERT_NE(rd32(CXL_ACCEL_COMP_OFFSET), CXL_ACCEL_ID_VALUE);
}

static void t_hdm_one_decoder(struct cxl_dev *d)
{
	uint32_t cap = rd32(A.hdm + CXL_HDM_CAP);
	unsigned int d1 = A.hdm + CXL_HDM_DEC_OFF(1);

	ASSERT_EQ(FIELD_GET(CXL_HDM_CAP_DECODER_COUNT, cap), 0);	/* 0 = 1 decoder */
	ASSERT_TRUE(dec0_committed());
	/* HDM-D: Target Type 0 (device-coherent), as the firmware step set it */
	ASSERT_EQ(dec0(CXL_HDM_DEC_CTRL) & CXL_HDM_DEC_CTRL_TARGET_TYPE, 0);
	ASSERT_EQ(A.win_size, (uint64_t)A.mem_mib << 20);
	/* negative: there is no decoder 1 to program */
	wr32(d1 + CXL_HDM_DEC_BASE_HI, 0x12);
	wr32(d1 + CXL_HDM_DEC_SIZE_LO, 0x10000000);
	ASSERT_EQ(rd32(d1 + CXL_HDM_DEC_BASE_HI), 0);
	ASSERT_EQ(rd32(d1 + CXL_HDM_DEC_SIZE_LO), 0);
}

static void t_vendor_pages(struct cxl_dev *d)
{
	unsigned int i;

	for (i = 0; i < CXL_ACCEL_VENDOR_B_SIZE; i += 4096)
		wr64(CXL_ACCEL_VENDOR_B_OFFSET + i, 0x5ca7c4000000ull + i);
	for (i = 0; i < CXL_ACCEL_VENDOR_B_SIZE; i += 4096)
		ASSERT_EQ(rd64(CXL_ACCEL_VENDOR_B_OFFSET + i), 0x5ca7c4000000ull + i);
	/* 64-bit command registers: as a qword and as two dwords */
	wr64(CXL_ACCEL_PATTERN, 0x1122334455667788ull);
	ASSERT_EQ(rd32(CXL_ACCEL_PATTERN), 0x55667788);
	ASSERT_EQ(rd32(CXL_ACCEL_PATTERN + 4), 0x11223344);
	wr32(CXL_ACCEL_PATTERN + 4, 0xaabbccdd);
	ASSERT_EQ(rd64(CXL_ACCEL_PATTERN), 0xaabbccdd55667788ull);
	/* negative: unused page A space is not memory */
	wr32(0x1000, 0xdeadbeef);
	ASSERT_EQ(rd32(0x1000), 0);
}

static void t_mem_enable(struct cxl_dev *d)
{
	volatile uint64_t *p = (volatile uint64_t *)(A.win + 0x3000);

	ASSERT_TRUE(wait_active(A.active_ms * 3 + 5000));
	ASSERT_TRUE(dv16(CXL_DVSEC_CTRL) & CXL_DVSEC_CTRL_MEM_EN);
	*p = 0x11aa22bb33cc44ddull;
	ASSERT_EQ(*p, 0x11aa22bb33cc44ddull);
	ASSERT_OK(dv_w16(CXL_DVSEC_CTRL, dv16(CXL_DVSEC_CTRL) & ~CXL_DVSEC_CTRL_MEM_EN));
	ASSERT_EQ(*p, ~0ull);
	*p = 0x5555555555555555ull;		/* dropped */
	ASSERT_OK(dv_w16(CXL_DVSEC_CTRL, dv16(CXL_DVSEC_CTRL) | CXL_DVSEC_CTRL_MEM_EN));
	ASSERT_EQ(*p, 0x11aa22bb33cc44ddull);
}

static void t_dma(struct cxl_dev *d)
{
	const unsigned int len = 64 << 10, doff = 0x100000;
	unsigned int i;

	ASSERT_TRUE(wait_active(A.active_ms * 3 + 5000));
	for (i = 0; i < len; i += 8)
		*(uint64_t *)(A.buf + i) = 0xd1a0000000000000ull | i;
	/* H2D, checked through the window (the host's own path) */
	ASSERT_EQ(cmd(CXL_ACCEL_OP_COPY_H2D, IOVA, doff, len, 0), 0);
	for (i = 0; i < len; i += 8)
		ASSERT_EQ(win64(doff + i), 0xd1a0000000000000ull | i);
	/* D2H into a second part of the buffer */
	memset(A.buf + len, 0, len);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_COPY_D2H, doff, IOVA + len, len, 0), 0);
	ASSERT_EQ(memcmp(A.buf, A.buf + len, len), 0);
	/* FILL_DEV */
	ASSERT_EQ(cmd(CXL_ACCEL_OP_FILL_DEV, 0, doff + len, 8192, 0xf111f111f111f111ull), 0);
	ASSERT_EQ(win64(doff + len), 0xf111f111f111f111ull);
	ASSERT_EQ(win64(doff + len + 8184), 0xf111f111f111f111ull);
	ASSERT_NE(win64(doff + len + 8192), 0xf111f111f111f111ull);
	/* negative: an IOVA nobody mapped is a DMA fault, no byte moves */
	memset(A.buf + 2 * len, 0, 64);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_COPY_D2H, doff, UNMAPPED_IOVA, 64, 0), CXL_ACCEL_ERR_DMA_FAULT);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_COPY_H2D, UNMAPPED_IOVA, doff, 64, 0), CXL_ACCEL_ERR_DMA_FAULT);
	ASSERT_EQ(win64(doff), 0xd1a0000000000000ull);
	/* negative: ranges, opcode */
	ASSERT_EQ(cmd(CXL_ACCEL_OP_FILL_DEV, 0, 0, 12, 1), CXL_ACCEL_ERR_BAD_RANGE);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_FILL_DEV, 0, 0, 0, 1), CXL_ACCEL_ERR_BAD_RANGE);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_FILL_DEV, 0, ((uint64_t)A.mem_mib << 20) - 8, 16, 1),
		  CXL_ACCEL_ERR_BAD_RANGE);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_COPY_D2H, ~0ull - 7, IOVA, 16, 1), CXL_ACCEL_ERR_BAD_RANGE);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_CACHE_WRITE_HOST, 0, IOVA + 8, 64, 1), CXL_ACCEL_ERR_BAD_RANGE);
	ASSERT_EQ(cmd(0x77, 0, 0, 8, 1), CXL_ACCEL_ERR_BAD_OPCODE);
	ASSERT_TRUE(rd32(CXL_ACCEL_STATUS) & CXL_ACCEL_STATUS_ERROR);
	/* ERROR is RW1C */
	wr32(CXL_ACCEL_STATUS, CXL_ACCEL_STATUS_ERROR);
	ASSERT_EQ(rd32(CXL_ACCEL_STATUS) & CXL_ACCEL_STATUS_ERROR, 0);
}

static void t_cache_wbi(struct cxl_dev *d)
{
	const unsigned int off = 0x10000, n = 4 * CXL_ACCEL_CACHE_LINE;
	const uint64_t pattern = 0xcace0001cace0001ull;

	caching_on();
	memset(A.buf + off, 0, n);
	ASSERT_EQ(rd32(CXL_ACCEL_CACHE_DIRTY), 0);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_CACHE_WRITE_HOST, 0, IOVA + off, n, pattern), 0);
	ASSERT_EQ(rd32(CXL_ACCEL_CACHE_DIRTY), 4);
	/* negative: before the WBI host memory does not have it */
	usleep(200000);
	ASSERT_TRUE(buf_lacks(off, n, pattern));
	ASSERT_EQ(dv16(CXL_DVSEC_STATUS2) & CXL_DVSEC_STATUS2_CACHE_INVALID, 0);
	ASSERT_TRUE(wbi(5000));
	ASSERT_TRUE(buf_has(off, n, pattern));
	ASSERT_EQ(rd32(CXL_ACCEL_CACHE_DIRTY), 0);
	/* Cache_Invalid reads 0 once caching is allowed again */
	caching_on();
	ASSERT_EQ(dv16(CXL_DVSEC_STATUS2) & CXL_DVSEC_STATUS2_CACHE_INVALID, 0);
}

static void t_cache_eviction(struct cxl_dev *d)
{
	const unsigned int off = 0x20000, n = (A.lines + 1) * CXL_ACCEL_CACHE_LINE;
	const uint64_t pattern = 0xe71c7000e71c7000ull;

	caching_on();
	memset(A.buf + off, 0, n);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_CACHE_WRITE_HOST, 0, IOVA + off, n, pattern), 0);
	ASSERT_EQ(rd32(CXL_ACCEL_CACHE_DIRTY), A.lines);
	/* the oldest line was evicted to memory, the others not */
	ASSERT_TRUE(buf_has(off, CXL_ACCEL_CACHE_LINE, pattern));
	ASSERT_TRUE(buf_lacks(off + CXL_ACCEL_CACHE_LINE, n - CXL_ACCEL_CACHE_LINE, pattern));
	ASSERT_TRUE(wbi(5000));
	ASSERT_TRUE(buf_has(off, n, pattern));
	caching_on();
	/* negative: with Disable Caching the write goes straight through */
	dv_w16(CXL_DVSEC_CTRL2, CXL_DVSEC_CTRL2_DISABLE_CACHING);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_CACHE_WRITE_HOST, 0, IOVA + off, 64, ~pattern), 0);
	ASSERT_EQ(rd32(CXL_ACCEL_CACHE_DIRTY), 0);
	ASSERT_TRUE(buf_has(off, 64, ~pattern));
	caching_on();
}

static void t_memory_active_delay(struct cxl_dev *d)
{
	double t0, t;

	ASSERT_TRUE(wait_active(A.active_ms * 3 + 5000));
	ASSERT_EQ(cmd(CXL_ACCEL_OP_FILL_DEV, 0, 0x200000, 64, 0xac71feac71feull), 0);
	t0 = now_s();
	ASSERT_OK(pci_reset("flr"));
	/* right after the reset: not active, and nothing decodes */
	ASSERT_FALSE(mem_active());
	ASSERT_EQ(win64(0x200000), ~0ull);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_FILL_DEV, 0, 0, 64, 1), CXL_ACCEL_ERR_MEM_INACTIVE);
	ASSERT_TRUE(wait_active(A.active_ms * 3 + 5000));
	t = ms_since(t0);
	tap_diag("Memory_Active %.0f ms after the FLR began (delay %u ms)", t, A.active_ms);
	ASSERT_GE(t, A.active_ms * 0.95);
	ASSERT_EQ(win64(0x200000), 0xac71feac71feull);
}

/* Two cache lines of @pattern, bound for the buffer at @off, dirty in the device. */
static void dirty_two_lines(unsigned int off, uint64_t pattern)
{
	caching_on();
	memset(A.buf + off, 0, 128);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_CACHE_WRITE_HOST, 0, IOVA + off, 128, pattern), 0);
	ASSERT_EQ(rd32(CXL_ACCEL_CACHE_DIRTY), 2);
}

static void t_flr_keeps_cxl_state(struct cxl_dev *d)
{
	const unsigned int off = 0x30000;
	const uint64_t pattern = 0xf17f17f17f17ull;
	uint32_t ctrl = dec0(CXL_HDM_DEC_CTRL);

	ASSERT_TRUE(wait_active(A.active_ms * 3 + 5000));
	dirty_two_lines(off, pattern);
	*(volatile uint64_t *)(A.win + 0x4000) = 0x0f1f0f1f0f1f0f1full;
	ASSERT_OK(pci_reset("flr"));
	ASSERT_TRUE(dec0_committed());
	ASSERT_EQ(dec0(CXL_HDM_DEC_CTRL), ctrl);
	ASSERT_EQ(dec0(CXL_HDM_DEC_BASE_LO) & CXL_HDM_DEC_BASE_LO_BASE, (uint32_t)A.win_base);
	ASSERT_TRUE(dv16(CXL_DVSEC_CTRL) & CXL_DVSEC_CTRL_MEM_EN);
	ASSERT_EQ(rd32(CXL_ACCEL_CACHE_DIRTY), 2);
	ASSERT_TRUE(buf_lacks(off, 128, pattern));
	/* command registers are CXL.io: the FLR cleared them */
	ASSERT_EQ(rd64(CXL_ACCEL_PATTERN), 0);
	ASSERT_TRUE(wait_active(A.active_ms * 3 + 5000));
	ASSERT_EQ(win64(0x4000), 0x0f1f0f1f0f1f0f1full);
	/* the kept lines still reach memory */
	ASSERT_TRUE(wbi(5000));
	ASSERT_TRUE(buf_has(off, 128, pattern));
	caching_on();
}

/*
 * D3hot and back (PCI PM 1.2 with No_Soft_Reset, as vfio-pci puts an idle
 * device): CXL.io answers nothing in D3hot (the BAR is off), and back in D0
 * the decoder, Mem_Enable, memory and the dirty lines are all kept.
 */
static void t_d3hot_keeps_cxl_state(struct cxl_dev *d)
{
	const unsigned int off = 0x38000;
	const uint64_t pattern = 0xd3d3d3d3d3d3ull;
	uint32_t ctrl = dec0(CXL_HDM_DEC_CTRL), id;
	uint16_t pmc, pmcsr, d3;
	int w;

	ASSERT_NE(A.pm, 0);
	pmc = cfg16(A.pm + 2);
	pmcsr = cfg16(A.pm + 4);
	/* No_Soft_Reset (PMCSR bit 3), and the function is in D0 */
	ASSERT_TRUE(pmcsr & BIT(3));
	ASSERT_EQ(pmcsr & 3, 0);
	tap_diag("PM capability at %#x: PMC %#06x PMCSR %#06x", A.pm, pmc, pmcsr);
	ASSERT_TRUE(wait_active(A.active_ms * 3 + 5000));
	dirty_two_lines(off, pattern);
	*(volatile uint64_t *)(A.win + 0x6000) = 0xd3d3000000d3d3d3ull;
	/* read what D3hot shows first, so that nothing returns before D0 */
	w = cfg_w16(A.pm + 4, (pmcsr & ~3) | 3);
	usleep(10000);
	d3 = cfg16(A.pm + 4);
	id = rd32(CXL_ACCEL_ID);
	ASSERT_OK(cfg_w16(A.pm + 4, pmcsr & ~3));
	usleep(10000);
	ASSERT_OK(w);
	ASSERT_EQ(d3 & 3, 3);
	/* negative: in D3hot the BAR decodes nothing */
	ASSERT_NE(id, CXL_ACCEL_ID_VALUE);
	ASSERT_EQ(cfg16(A.pm + 4) & 3, 0);
	ASSERT_EQ(rd32(CXL_ACCEL_ID), CXL_ACCEL_ID_VALUE);
	ASSERT_EQ(dec0(CXL_HDM_DEC_CTRL), ctrl);
	ASSERT_TRUE(dv16(CXL_DVSEC_CTRL) & CXL_DVSEC_CTRL_MEM_EN);
	ASSERT_EQ(rd32(CXL_ACCEL_CACHE_DIRTY), 2);
	ASSERT_EQ(win64(0x6000), 0xd3d3000000d3d3d3ull);
	ASSERT_TRUE(wbi(5000));
	ASSERT_TRUE(buf_has(off, 128, pattern));
	caching_on();
}

static void t_bus_reset_clears_cxl_state(struct cxl_dev *d)
{
	const unsigned int off = 0x40000;
	const uint64_t pattern = 0xb05b05b05b05ull;

	ASSERT_TRUE(wait_active(A.active_ms * 3 + 5000));
	ASSERT_TRUE(dec0_committed());
	dirty_two_lines(off, pattern);
	*(volatile uint64_t *)(A.win + 0x5000) = 0xb0b0b0b0b0b0b0b0ull;
	ASSERT_OK(pci_reset("cxl_bus"));
	ASSERT_FALSE(dec0_committed());
	ASSERT_EQ(dec0(CXL_HDM_DEC_SIZE_LO) & CXL_HDM_DEC_SIZE_LO_SIZE, 0);
	ASSERT_EQ(dv16(CXL_DVSEC_CTRL) & CXL_DVSEC_CTRL_MEM_EN, 0);
	ASSERT_EQ(rd32(CXL_ACCEL_CACHE_DIRTY), 0);
	/* the dirty lines are lost: software did not flush */
	ASSERT_TRUE(wait_active(A.active_ms * 3 + 5000));
	ASSERT_TRUE(buf_lacks(off, 128, pattern));
	/* back for the tests after this one; memory itself survived */
	ASSERT_OK(recommit());
	ASSERT_EQ(win64(0x5000), 0xb0b0b0b0b0b0b0b0ull);
}

/* CXL Reset through Control2; the time until Reset Complete, or -1. */
static double cxl_reset(bool mem_clr)
{
	uint16_t c2 = mem_clr ? CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN : 0;
	double t0 = now_s();

	dv_w16(CXL_DVSEC_CTRL2, c2);
	dv_w16(CXL_DVSEC_CTRL2, c2 | CXL_DVSEC_CTRL2_INIT_CXL_RESET);
	while (!(dv16(CXL_DVSEC_STATUS2) &
		 (CXL_DVSEC_STATUS2_RESET_COMPLETE | CXL_DVSEC_STATUS2_RESET_ERROR))) {
		if (ms_since(t0) > 10000)
			return -1;
		usleep(1000);
	}
	return dv16(CXL_DVSEC_STATUS2) & CXL_DVSEC_STATUS2_RESET_ERROR ? -1 : ms_since(t0);
}

static void check_cxl_reset(bool mem_clr)
{
	const unsigned int off = 0x50000, doff = 0x300000, len = 64 << 10;
	const uint64_t pattern = 0xc1c1c1c1c1c1c1c1ull, lpat = 0x1e57c1e57c1e5700ull;
	static const unsigned int tmo_ms[] = { 10, 100, 1000, 10000, 100000 };
	double t;

	ASSERT_TRUE(wait_active(A.active_ms * 3 + 5000));
	ASSERT_TRUE(dec0_committed());
	ASSERT_EQ(cmd(CXL_ACCEL_OP_FILL_DEV, 0, doff, len, pattern), 0);
	caching_on();
	memset(A.buf + off, 0, 128);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_CACHE_WRITE_HOST, 0, IOVA + off, 128, lpat), 0);
	t = cxl_reset(mem_clr);
	ASSERT_GE(t, 0);
	tap_diag("CXL Reset%s: Reset Complete after %.1f ms (advertised timeout %u ms)",
		 mem_clr ? " with Mem Clr" : "", t, tmo_ms[A.reset_tmo]);
	/* the guest's poll may be late under TCG; the device is not */
	ASSERT_LE(t, tmo_ms[A.reset_tmo] + 2000);
	ASSERT_FALSE(dec0_committed());
	ASSERT_EQ(dv16(CXL_DVSEC_CTRL) & CXL_DVSEC_CTRL_MEM_EN, 0);
	ASSERT_EQ(rd32(CXL_ACCEL_CACHE_DIRTY), 0);
	ASSERT_TRUE(wait_active(A.active_ms * 3 + 5000));
	ASSERT_TRUE(buf_lacks(off, 128, lpat));
	/* CXL.io survives a CXL Reset: BAR, command registers */
	ASSERT_EQ(rd32(CXL_ACCEL_ID), CXL_ACCEL_ID_VALUE);
	ASSERT_EQ(rd64(CXL_ACCEL_PATTERN), lpat);
	memset(A.buf, 0xee, len);
	ASSERT_EQ(cmd(CXL_ACCEL_OP_COPY_D2H, doff, IOVA, len, 0), 0);
	if (mem_clr)
		ASSERT_TRUE(buf_has(0, len, 0));
	else
		ASSERT_TRUE(buf_has(0, len, pattern));
	ASSERT_OK(recommit());
}

static void t_cxl_reset_mem_clr(struct cxl_dev *d)
{
	check_cxl_reset(true);
}

static void t_cxl_reset_keeps_memory(struct cxl_dev *d)
{
	check_cxl_reset(false);
}

static const struct fixture_test tests[] = {
	{ "identity", t_identity },
	{ "dvsec_capabilities", t_dvsec },
	{ "register_locator", t_register_locator },
	{ "hdm_one_decoder", t_hdm_one_decoder },
	{ "vendor_pages", t_vendor_pages },
	{ "mem_enable_gates_window", t_mem_enable },
	{ "dma_h2d_d2h_fill", t_dma },
	{ "cache_write_lands_after_wbi", t_cache_wbi },
	{ "cache_eviction", t_cache_eviction },
	{ "memory_active_delay", t_memory_active_delay },
	{ "flr_keeps_cxl_state", t_flr_keeps_cxl_state },
	{ "d3hot_keeps_cxl_state", t_d3hot_keeps_cxl_state },
	{ "bus_reset_clears_cxl_state", t_bus_reset_clears_cxl_state },
	{ "cxl_reset_mem_clr", t_cxl_reset_mem_clr },
	{ "cxl_reset_keeps_memory", t_cxl_reset_keeps_memory },
};

int main(int argc, char **argv)
{
	struct cxl_dev d = { 0 };
	unsigned int i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("TAP version 13\n");
	for (i = 1; i < (unsigned int)argc; i++) {
		if (sscanf(argv[i], "active_ms=%u", &A.active_ms) == 1 ||
		    sscanf(argv[i], "reset_tmo=%u", &A.reset_tmo) == 1 ||
		    sscanf(argv[i], "mem_mib=%u", &A.mem_mib) == 1 ||
		    sscanf(argv[i], "lines=%u", &A.lines) == 1)
			continue;
		snprintf(A.bdf, sizeof(A.bdf), "%s", argv[i]);
	}
	if (A.reset_tmo > CXL_DVSEC_RESET_TIMEOUT_100S) {
		printf("Bail out! reset_tmo=%u is not a CXL Reset Timeout encoding\n", A.reset_tmo);
		return KSFT_FAIL;
	}
	if (!A.bdf[0] && find_accel(A.bdf, sizeof(A.bdf))) {
		printf("Bail out! no cxl-accel (%04x:%04x) in this machine\n",
		       CXL_ACCEL_PCI_VENDOR_ID, CXL_ACCEL_PCI_DEVICE_ID);
		return KSFT_FAIL;
	}
	if (setup()) {
		printf("Bail out! %s: set-up failed: %s\n", A.bdf, strerror(errno));
		return KSFT_FAIL;
	}
	snprintf(d.bdf, sizeof(d.bdf), "%s", A.bdf);
	printf("1..%zu\n", sizeof(tests) / sizeof(tests[0]) + 1);
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		run_one(&tests[i], &d);
	tap_kernel_log();
	return __t_fail ? KSFT_FAIL : KSFT_PASS;
}
