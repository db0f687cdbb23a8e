// SPDX-License-Identifier: MIT
/*
 * cxl-fw: what platform firmware does for CXL memory on a real machine,
 * done from inside the emulated host because QEMU does not do it.
 *
 *   cxl-fw list                 CXL endpoints (CXL Device DVSEC), one per line
 *   cxl-fw show                 each endpoint's DVSEC, decoder 0 and window
 *   cxl-fw commit [--lock]      commit decoder 0 of every endpoint
 *   cxl-fw decoder BDF          "BASE SIZE" of BDF's committed decoder 0
 *
 * commit: for each endpoint, find the window (CEDT CFMWS) that targets its
 * host bridge, allocate the device's memory inside it (256 MiB aligned, in
 * bus order), commit the host-bridge HDM decoder that routes the range to
 * the root port when the host bridge has one, commit endpoint decoder 0,
 * enable HDM decode and set the DVSEC Mem_Enable. A topology that gives a
 * device no unambiguous window (none, several, an interleaved window, a
 * switch in the path, a window too small) is refused, naming the device,
 * before anything is written.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cxlemu.h"

#define SYS_PCI		"/sys/bus/pci/devices"
#define CEDT_PATH	"/sys/firmware/acpi/tables/CEDT"
#define MAX_DEV		16
#define MAX_WIN		16
#define MAX_HB		16
#define SZ_256M		(256ULL << 20)
#define COMP_MAP_SIZE	0x10000
#define COMMIT_TIMEOUT_MS 10	/* CXL r3.1 8.2.4.20.7: commit within 10 ms */

/* PCI config space (PCIe r6.0 7.5.1 / 7.5.3). */
#define PCI_CMD			0x04
#define   PCI_CMD_MEM			BIT(1)
#define PCI_CAP_PTR		0x34
#define PCI_CAP_ID_EXP		0x10
#define PCI_EXP_LNKCAP		0x0c
#define   PCI_EXP_LNKCAP_PN		GENMASK(31, 24)

/* ACPI CEDT (CXL r3.1 9.18). */
#define CEDT_HDR_LEN		36
#define CEDT_TYPE_CHBS		0
#define CEDT_TYPE_CFMWS		1
#define CFMWS_HDR_LEN		36

struct window {
	int idx;
	u64 base, size, cursor;
	unsigned int ways;
	u32 targets[16];
};

struct hbridge {
	u32 uid;
	u64 base, len;
	unsigned int ndec_used;
};

struct dev {
	char bdf[NAME_MAX + 1], rp_bdf[NAME_MAX + 1];
	int depth;			/* PCI levels below the host bridge */
	u32 hb_uid;
	int dvsec;			/* offset of the CXL Device DVSEC */
	int regloc;			/* offset of the Register Locator DVSEC */
	u8 cfg[4096];
	u64 dpa_size;
	u32 rp_port;
	struct window *win;
	u64 hpa;
};

static struct window wins[MAX_WIN];
static int nwins;
static struct hbridge hbs[MAX_HB];
static int nhbs;
static struct dev devs[MAX_DEV];
static int ndevs;

static void err(const char *who, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "cxl-fw: %s: ", who);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static u16 rd16(const u8 *p) { return p[0] | p[1] << 8; }
static u32 rd32(const u8 *p) { return rd16(p) | (u32)rd16(p + 2) << 16; }
static u64 rd64(const u8 *p) { return rd32(p) | (u64)rd32(p + 4) << 32; }

static int read_file(const char *path, void *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = pread(fd, buf, len, 0);
	close(fd);
	return n < 0 ? -errno : (int)n;
}

static int cfg_write(const char *bdf, unsigned int off, const void *val, size_t len)
{
	char path[PATH_MAX];
	int fd, ret = 0;

	snprintf(path, sizeof(path), SYS_PCI "/%s/config", bdf);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (pwrite(fd, val, len, off) != (ssize_t)len)
		ret = -EIO;
	close(fd);
	return ret;
}

/* ---- CEDT ------------------------------------------------------------- */

static int parse_cedt(void)
{
	static u8 t[65536];
	int len = read_file(CEDT_PATH, t, sizeof(t));
	u8 sum = 0;
	u32 off;

	if (len < 0) {
		err(CEDT_PATH, "cannot read: %s (no CXL host bridge in this machine?)", strerror(-len));
		return -1;
	}
	if (len < CEDT_HDR_LEN || memcmp(t, "CEDT", 4) || rd32(t + 4) != (u32)len) {
		err(CEDT_PATH, "not a well-formed CEDT (%d bytes)", len);
		return -1;
	}
	for (int i = 0; i < len; i++)
		sum += t[i];
	if (sum) {
		err(CEDT_PATH, "bad checksum");
		return -1;
	}
	for (off = CEDT_HDR_LEN; off + 4 <= (u32)len;) {
		u8 type = t[off];
		u16 slen = rd16(t + off + 2);

		if (slen < 4 || off + slen > (u32)len) {
			err(CEDT_PATH, "structure at offset %u has bad length %u", off, slen);
			return -1;
		}
		if (type == CEDT_TYPE_CHBS && slen >= 32 && nhbs < MAX_HB) {
			struct hbridge *h = &hbs[nhbs++];

			h->uid = rd32(t + off + 4);
			h->base = rd64(t + off + 16);
			h->len = rd64(t + off + 24);
		} else if (type == CEDT_TYPE_CFMWS && slen >= CFMWS_HDR_LEN && nwins < MAX_WIN) {
			struct window *w = &wins[nwins];
			unsigned int eniw = t[off + 24];

			w->idx = nwins;
			w->base = rd64(t + off + 8);
			w->size = rd64(t + off + 16);
			/* ENIW: 0..4 -> 1..16 ways; 8..10 -> 3, 6, 12 ways */
			w->ways = eniw < 8 ? 1u << eniw : 3u << (eniw - 8);
			if (w->ways > 16 || CFMWS_HDR_LEN + 4 * w->ways > slen) {
				err(CEDT_PATH, "CFMWS %d: bad interleave ways encoding %u", nwins, eniw);
				return -1;
			}
			for (unsigned int i = 0; i < w->ways; i++)
				w->targets[i] = rd32(t + off + CFMWS_HDR_LEN + 4 * i);
			w->cursor = w->base;
			nwins++;
		}
		off += slen;
	}
	return 0;
}

static struct hbridge *find_hb(u32 uid)
{
	for (int i = 0; i < nhbs; i++)
		if (hbs[i].uid == uid)
			return &hbs[i];
	return NULL;
}

/* ---- device discovery ------------------------------------------------- */

static int find_dvsec(const u8 *cfg, u16 id)
{
	unsigned int off = CXL_PCI_EXT_CAP_START, n = 0;

	while (off >= CXL_PCI_EXT_CAP_START && off + 12 <= 4096 && n++ < 256) {
		u32 hdr = rd32(cfg + off);

		if (FIELD_GET(CXL_PCI_EXT_CAP_HDR_ID, hdr) == CXL_PCI_EXT_CAP_ID_DVSEC &&
		    FIELD_GET(CXL_DVSEC_HDR1_VENDOR, rd32(cfg + off + CXL_DVSEC_HDR1)) == CXL_DVSEC_VENDOR_ID &&
		    FIELD_GET(CXL_DVSEC_HDR2_ID, rd16(cfg + off + CXL_DVSEC_HDR2)) == id)
			return off;
		off = FIELD_GET(CXL_PCI_EXT_CAP_HDR_NEXT, hdr);
	}
	return -1;
}

static int cmp_dev(const void *a, const void *b)
{
	return strcmp(((const struct dev *)a)->bdf, ((const struct dev *)b)->bdf);
}

static int discover(void)
{
	DIR *d = opendir(SYS_PCI);
	struct dirent *e;

	if (!d) {
		err(SYS_PCI, "%s", strerror(errno));
		return -1;
	}
	while ((e = readdir(d))) {
		char path[PATH_MAX], real[PATH_MAX], *p, *tok, *save;
		struct dev *v;

		if (e->d_name[0] == '.' || ndevs == MAX_DEV)
			continue;
		v = &devs[ndevs];
		memset(v, 0, sizeof(*v));
		snprintf(path, sizeof(path), SYS_PCI "/%s/config", e->d_name);
		if (read_file(path, v->cfg, sizeof(v->cfg)) < 4096)
			continue;
		v->dvsec = find_dvsec(v->cfg, CXL_DVSEC_ID_DEVICE);
		if (v->dvsec < 0)
			continue;
		snprintf(v->bdf, sizeof(v->bdf), "%s", e->d_name);
		v->regloc = find_dvsec(v->cfg, CXL_DVSEC_ID_REG_LOCATOR);
		v->dpa_size = (u64)rd32(v->cfg + v->dvsec + CXL_DVSEC_RANGE_SIZE_HI(0)) << 32 |
			(rd32(v->cfg + v->dvsec + CXL_DVSEC_RANGE_SIZE_LO(0)) &
			 CXL_DVSEC_RANGE_SIZE_LO_SIZE);

		/* /sys/devices/pci0000:0c/0000:0c:00.0/0000:0d:00.0 */
		snprintf(path, sizeof(path), SYS_PCI "/%s", e->d_name);
		if (!realpath(path, real))
			continue;
		p = strstr(real, "/pci0000:");
		if (!p)
			continue;
		p++;
		tok = strtok_r(p, "/", &save);	/* pci0000:0c */
		snprintf(path, sizeof(path), "/sys/devices/%s/firmware_node/uid", tok);
		{
			char buf[32] = "";

			v->hb_uid = read_file(path, buf, sizeof(buf) - 1) > 0 ?
				(u32)strtoul(buf, NULL, 0) : UINT32_MAX;
		}
		v->depth = 0;
		while ((tok = strtok_r(NULL, "/", &save))) {
			if (v->depth == 0)
				snprintf(v->rp_bdf, sizeof(v->rp_bdf), "%s", tok);
			v->depth++;
		}
		ndevs++;
	}
	closedir(d);
	qsort(devs, ndevs, sizeof(devs[0]), cmp_dev);
	return 0;
}

static u32 root_port_number(const char *bdf)
{
	char path[PATH_MAX];
	u8 cfg[256];
	unsigned int pos, n = 0;

	snprintf(path, sizeof(path), SYS_PCI "/%s/config", bdf);
	if (read_file(path, cfg, sizeof(cfg)) < (int)sizeof(cfg))
		return UINT32_MAX;
	for (pos = cfg[PCI_CAP_PTR] & ~3u; pos && pos < 0xfc && n++ < 48; pos = cfg[pos + 1] & ~3u)
		if (cfg[pos] == PCI_CAP_ID_EXP)
			return FIELD_GET(PCI_EXP_LNKCAP_PN, rd32(cfg + pos + PCI_EXP_LNKCAP));
	return UINT32_MAX;
}

/* ---- component registers ---------------------------------------------- */

struct hdm {
	volatile u8 *map;	/* mapping of the component block */
	size_t maplen;
	volatile u8 *regs;	/* HDM Decoder Capability structure */
	unsigned int ndec;
};

static u32 mmio_rd(struct hdm *h, u32 off) { return *(volatile u32 *)(h->regs + off); }
static void mmio_wr(struct hdm *h, u32 off, u32 v) { *(volatile u32 *)(h->regs + off) = v; }

static int mmio_walk_read32(void *priv, u32 off, u32 *val)
{
	*val = *(volatile u32 *)((volatile u8 *)priv + off);
	return 0;
}

/* The HDM capability in the CXL.cache/mem area at @cm (core/regwalk.c). */
static int find_hdm(const char *who, struct hdm *h, volatile u8 *cm)
{
	struct cxlemu_hdm_loc loc;
	const char *why = NULL;
	int r;

	r = cxlemu_cm_find_hdm(mmio_walk_read32, (void *)cm, CXL_COMP_CM_SIZE, &loc, &why);
	if (r == -ENODEV)
		return 1;	/* no HDM capability */
	if (r) {
		err(who, "CXL.cache/mem area: %s", why);
		return -1;
	}
	h->regs = cm + loc.off;
	h->ndec = loc.ndecoders;
	return 0;
}

static int cfg_walk_read32(void *priv, u32 off, u32 *val)
{
	const struct dev *v = priv;

	if ((u64)v->regloc + off + 4 > sizeof(v->cfg))
		return -ERANGE;
	*val = rd32(v->cfg + v->regloc + off);
	return 0;
}

static int map_dev_hdm(struct dev *v, struct hdm *h)
{
	char path[PATH_MAX];
	struct cxlemu_rl_block blk;
	u32 bir;
	u64 off;
	int fd;
	long pg = sysconf(_SC_PAGESIZE);
	u16 cmd;

	if (v->regloc < 0) {
		err(v->bdf, "no Register Locator DVSEC: cannot find the component registers");
		return -1;
	}
	if (cxlemu_rl_find_block(cfg_walk_read32, v,
				 FIELD_GET(CXL_DVSEC_HDR1_LEN, rd32(v->cfg + v->regloc + CXL_DVSEC_HDR1)),
				 CXL_RL_ID_COMPONENT, &blk)) {
		err(v->bdf, "Register Locator names no component register block");
		return -1;
	}
	bir = blk.bar;
	off = blk.offset;

	/* Firmware enables memory decoding to reach the BAR. */
	cmd = rd16(v->cfg + PCI_CMD);
	if (!(cmd & PCI_CMD_MEM)) {
		cmd |= PCI_CMD_MEM;
		if (cfg_write(v->bdf, PCI_CMD, &cmd, 2)) {
			err(v->bdf, "cannot enable memory decoding");
			return -1;
		}
	}
	snprintf(path, sizeof(path), SYS_PCI "/%s/resource%u", v->bdf, bir);
	fd = open(path, O_RDWR | O_SYNC);
	if (fd < 0) {
		err(v->bdf, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	h->maplen = COMP_MAP_SIZE;
	h->map = mmap(NULL, h->maplen, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off & ~(u64)(pg - 1));
	close(fd);
	if (h->map == MAP_FAILED) {
		err(v->bdf, "cannot map BAR %u: %s", bir, strerror(errno));
		return -1;
	}
	if (find_hdm(v->bdf, h, h->map + (off & (pg - 1)) + CXL_COMP_CM_OFFSET)) {
		err(v->bdf, "no HDM Decoder Capability in the component registers");
		return -1;
	}
	return 0;
}

/* Map a host bridge's component registers (CHBS) through /dev/mem. */
static int map_hb_hdm(struct hbridge *hb, struct hdm *h)
{
	char who[32];
	int fd, r;

	snprintf(who, sizeof(who), "host bridge %u", hb->uid);
	fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (fd < 0) {
		err(who, "cannot open /dev/mem: %s", strerror(errno));
		return -1;
	}
	h->maplen = COMP_MAP_SIZE;
	h->map = mmap(NULL, h->maplen, PROT_READ | PROT_WRITE, MAP_SHARED, fd, hb->base);
	close(fd);
	if (h->map == MAP_FAILED) {
		err(who, "cannot map CHBS at %#" PRIx64 ": %s (boot with iomem=relaxed)",
		    hb->base, strerror(errno));
		return -1;
	}
	r = find_hdm(who, h, h->map + CXL_COMP_CM_OFFSET);
	if (r)
		h->ndec = 0;	/* passthrough host bridge: no decoder to program */
	return r < 0 ? -1 : 0;
}

static u64 dec_base(struct hdm *h, unsigned int i)
{
	return (u64)mmio_rd(h, CXL_HDM_DEC_OFF(i) + CXL_HDM_DEC_BASE_HI) << 32 |
	       (mmio_rd(h, CXL_HDM_DEC_OFF(i) + CXL_HDM_DEC_BASE_LO) & CXL_HDM_DEC_BASE_LO_BASE);
}

static u64 dec_size(struct hdm *h, unsigned int i)
{
	return (u64)mmio_rd(h, CXL_HDM_DEC_OFF(i) + CXL_HDM_DEC_SIZE_HI) << 32 |
	       (mmio_rd(h, CXL_HDM_DEC_OFF(i) + CXL_HDM_DEC_SIZE_LO) & CXL_HDM_DEC_SIZE_LO_SIZE);
}

/* Program and commit decoder @i; @tl is the target list (port) or DPA skip. */
static int commit_decoder(const char *who, struct hdm *h, unsigned int i, u64 base, u64 size,
			  u32 tl, bool host_only, bool lock)
{
	u32 d = CXL_HDM_DEC_OFF(i), ctrl;
	struct timespec t0, t;

	ctrl = mmio_rd(h, d + CXL_HDM_DEC_CTRL);
	if (ctrl & CXL_HDM_DEC_CTRL_COMMITTED) {
		if (dec_base(h, i) == base && dec_size(h, i) == size)
			return 0;
		err(who, "decoder %u is already committed elsewhere [%#" PRIx64 ", size %#" PRIx64 "]",
		    i, dec_base(h, i), dec_size(h, i));
		return -1;
	}
	mmio_wr(h, CXL_HDM_GCTRL, mmio_rd(h, CXL_HDM_GCTRL) | CXL_HDM_GCTRL_ENABLE);
	mmio_wr(h, d + CXL_HDM_DEC_BASE_LO, FIELD_PREP(CXL_HDM_DEC_BASE_LO_BASE, base >> 28));
	mmio_wr(h, d + CXL_HDM_DEC_BASE_HI, base >> 32);
	mmio_wr(h, d + CXL_HDM_DEC_SIZE_LO, FIELD_PREP(CXL_HDM_DEC_SIZE_LO_SIZE, size >> 28));
	mmio_wr(h, d + CXL_HDM_DEC_SIZE_HI, size >> 32);
	mmio_wr(h, d + CXL_HDM_DEC_TL_LO, tl);
	mmio_wr(h, d + CXL_HDM_DEC_TL_HI, 0);
	ctrl = FIELD_PREP(CXL_HDM_DEC_CTRL_IW, CXL_HDM_IW_1) |
	       FIELD_PREP(CXL_HDM_DEC_CTRL_TARGET_TYPE,
			  host_only ? CXL_HDM_DEC_TARGET_HOST_ONLY : CXL_HDM_DEC_TARGET_DEV_COHERENT) |
	       (lock ? CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT : 0) | CXL_HDM_DEC_CTRL_COMMIT;
	mmio_wr(h, d + CXL_HDM_DEC_CTRL, ctrl);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		ctrl = mmio_rd(h, d + CXL_HDM_DEC_CTRL);
		if (ctrl & CXL_HDM_DEC_CTRL_COMMITTED)
			return 0;
		if (ctrl & CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED) {
			err(who, "decoder %u: commit refused (Error Not Committed, control %#x)", i, ctrl);
			return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 > COMMIT_TIMEOUT_MS) {
			err(who, "decoder %u: not committed within %d ms (control %#x)", i,
			    COMMIT_TIMEOUT_MS, ctrl);
			return -1;
		}
	}
}

/* ---- commands ---------------------------------------------------------- */

/* Decide every device's window and address; refuse before writing. */
static int plan(void)
{
	int bad = 0;

	for (int i = 0; i < ndevs; i++) {
		struct dev *v = &devs[i];
		struct window *w = NULL;
		int nmatch = 0;

		if (v->depth != 2) {
			err(v->bdf, "a switch sits between the device and its host bridge: "
			    "this firmware step programs no switch decoders");
			bad = 1;
			continue;
		}
		if (!v->dpa_size) {
			err(v->bdf, "DVSEC range 1 reports no memory");
			bad = 1;
			continue;
		}
		for (int j = 0; j < nwins; j++)
			for (unsigned int k = 0; k < wins[j].ways; k++)
				if (wins[j].targets[k] == v->hb_uid) {
					w = &wins[j];
					nmatch++;
				}
		if (!nmatch) {
			err(v->bdf, "no CXL window (CFMWS) targets its host bridge (uid %u)", v->hb_uid);
			bad = 1;
			continue;
		}
		if (nmatch > 1) {
			err(v->bdf, "its host bridge (uid %u) is a target of %d windows: ambiguous",
			    v->hb_uid, nmatch);
			bad = 1;
			continue;
		}
		if (w->ways != 1) {
			err(v->bdf, "window %d interleaves across %u host bridges: "
			    "a single device cannot back it", w->idx, w->ways);
			bad = 1;
			continue;
		}
		v->win = w;
		v->hpa = (w->cursor + SZ_256M - 1) & ~(SZ_256M - 1);
		if (v->hpa + v->dpa_size > w->base + w->size) {
			err(v->bdf, "window %d [%#" PRIx64 ", size %#" PRIx64 "] has no room for its "
			    "%#" PRIx64 " bytes", w->idx, w->base, w->size, v->dpa_size);
			bad = 1;
			continue;
		}
		w->cursor = v->hpa + v->dpa_size;
		v->rp_port = root_port_number(v->rp_bdf);
		if (v->rp_port == UINT32_MAX) {
			err(v->bdf, "cannot read the port number of root port %s", v->rp_bdf);
			bad = 1;
		}
	}
	return bad ? -1 : 0;
}

static int do_commit(bool lock)
{
	int rc = 0;

	if (!ndevs) {
		err("commit", "no CXL device (no function with a CXL Device DVSEC)");
		return 1;
	}
	if (plan())
		return 1;
	for (int i = 0; i < ndevs; i++) {
		struct dev *v = &devs[i];
		struct hbridge *hb = find_hb(v->hb_uid);
		struct hdm eh = { 0 }, hh = { 0 };
		bool host_only = !(rd16(v->cfg + v->dvsec + CXL_DVSEC_CAP) & CXL_DVSEC_CAP_CACHE);
		char who[48];
		u16 ctrl;

		if (!hb) {
			err(v->bdf, "no CHBS for host bridge uid %u in the CEDT", v->hb_uid);
			return 1;
		}
		if (map_hb_hdm(hb, &hh))
			return 1;
		if (hh.ndec) {
			/* The host bridge decodes: route this range to the root port. */
			snprintf(who, sizeof(who), "host bridge %u", hb->uid);
			if (hb->ndec_used >= hh.ndec) {
				err(who, "all %u decoders in use", hh.ndec);
				return 1;
			}
			if (commit_decoder(who, &hh, hb->ndec_used, v->hpa, v->dpa_size,
					   FIELD_PREP(CXL_HDM_DEC_TL_LO_T0, v->rp_port), host_only, lock))
				return 1;
			printf("%s: host bridge %u decoder %u -> root port %u (%s)\n", v->bdf, hb->uid,
			       hb->ndec_used, v->rp_port, v->rp_bdf);
			hb->ndec_used++;
		}
		munmap((void *)hh.map, hh.maplen);

		if (map_dev_hdm(v, &eh))
			return 1;
		if (commit_decoder(v->bdf, &eh, 0, v->hpa, v->dpa_size, 0, host_only, lock))
			rc = 1;
		munmap((void *)eh.map, eh.maplen);
		if (rc)
			return rc;

		ctrl = rd16(v->cfg + v->dvsec + CXL_DVSEC_CTRL) | CXL_DVSEC_CTRL_MEM_EN;
		if (cfg_write(v->bdf, v->dvsec + CXL_DVSEC_CTRL, &ctrl, 2)) {
			err(v->bdf, "cannot set DVSEC Mem_Enable");
			return 1;
		}
		printf("%s: window %d (host bridge %u): decoder 0 committed%s at %#" PRIx64
		       ", size %#" PRIx64 " (%" PRIu64 " MiB), %s, Mem_Enable set\n",
		       v->bdf, v->win->idx, v->hb_uid, lock ? " and locked" : "", v->hpa,
		       v->dpa_size, v->dpa_size >> 20, host_only ? "host-only coherent (HDM-H)" :
		       "device coherent (HDM-D)");
	}
	return 0;
}

static int do_show(void)
{
	for (int i = 0; i < ndevs; i++) {
		struct dev *v = &devs[i];
		const u8 *dv = v->cfg + v->dvsec;
		u16 cap = rd16(dv + CXL_DVSEC_CAP), ctl = rd16(dv + CXL_DVSEC_CTRL);
		u32 szlo = rd32(dv + CXL_DVSEC_RANGE_SIZE_LO(0));
		struct hdm h = { 0 };
		u32 dctrl;
		u64 base;

		printf("device %s  [%04x:%04x]  host bridge uid %u, root port %s\n", v->bdf,
		       rd16(v->cfg), rd16(v->cfg + 2), v->hb_uid, v->rp_bdf);
		printf("  CXL Device DVSEC at %#x: %s%s%s, Mem_Enable %s, range 1 %" PRIu64
		       " MiB (valid %d, active %d)\n", v->dvsec,
		       cap & CXL_DVSEC_CAP_CACHE ? "cache " : "", cap & CXL_DVSEC_CAP_MEM ? "mem " : "",
		       cap & CXL_DVSEC_CAP_CACHE ? "capable (type 2)" : "capable (type 3)",
		       ctl & CXL_DVSEC_CTRL_MEM_EN ? "on" : "off", v->dpa_size >> 20,
		       !!(szlo & CXL_DVSEC_RANGE_SIZE_LO_VALID), !!(szlo & CXL_DVSEC_RANGE_SIZE_LO_ACTIVE));
		if (map_dev_hdm(v, &h))
			continue;
		dctrl = mmio_rd(&h, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL);
		base = dec_base(&h, 0);
		printf("  HDM decoders: %u, enable %s; decoder 0: base %#" PRIx64 " size %#" PRIx64
		       " control %#x%s%s%s\n", h.ndec,
		       mmio_rd(&h, CXL_HDM_GCTRL) & CXL_HDM_GCTRL_ENABLE ? "on" : "off", base,
		       dec_size(&h, 0), dctrl, dctrl & CXL_HDM_DEC_CTRL_COMMITTED ? " COMMITTED" : "",
		       dctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT ? " LOCKED" : "",
		       dctrl & CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED ? " ERROR" : "");
		for (int j = 0; j < nwins; j++)
			if (dctrl & CXL_HDM_DEC_CTRL_COMMITTED && base >= wins[j].base &&
			    base < wins[j].base + wins[j].size)
				printf("  in window %d: [%#" PRIx64 " - %#" PRIx64 "], %u-way, host bridge uid %u\n",
				       j, wins[j].base, wins[j].base + wins[j].size - 1, wins[j].ways,
				       wins[j].targets[0]);
		munmap((void *)h.map, h.maplen);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "list")) {
		if (discover())
			return 1;
		for (int i = 0; i < ndevs; i++)
			printf("%s\n", devs[i].bdf);
		return 0;
	}
	if (!strcmp(cmd, "decoder") && argc == 3) {
		if (discover())
			return 1;
		for (int i = 0; i < ndevs; i++) {
			struct hdm h = { 0 };

			if (strcmp(devs[i].bdf, argv[2]))
				continue;
			if (map_dev_hdm(&devs[i], &h))
				return 1;
			if (!(mmio_rd(&h, CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL) &
			      CXL_HDM_DEC_CTRL_COMMITTED)) {
				err(argv[2], "decoder 0 is not committed");
				return 1;
			}
			printf("%#" PRIx64 " %#" PRIx64 "\n", dec_base(&h, 0), dec_size(&h, 0));
			return 0;
		}
		err(argv[2], "not a CXL device");
		return 1;
	}
	if (!strcmp(cmd, "show"))
		return discover() || parse_cedt() ? 1 : do_show();
	if (!strcmp(cmd, "commit")) {
		bool lock = argc > 2 && !strcmp(argv[2], "--lock");

		if (argc > 2 + lock) {
			fprintf(stderr, "cxl-fw: commit: unexpected argument '%s'\n", argv[2 + lock]);
			return 2;
		}
		return discover() || parse_cedt() ? 1 : do_commit(lock);
	}
	fprintf(stderr, "usage: cxl-fw list | show | commit [--lock] | decoder BDF\n");
	return 2;
}
