// SPDX-License-Identifier: MIT
/*
 * The sysfs view of PCI functions for vfio-cxl: the CXL Device DVSEC and
 * Register Locator read from config space (parsed as hostile input), the
 * driver, the IOMMU group, and decoder 0 read through the component BAR's
 * resource file when it can be mapped. The sysfs root is $VFIO_CXL_SYSFS
 * (default /sys) so that tests can run against a fake tree.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxlemu.h"
#include "vfio-cxl.h"

const char *sysfs_root(void)
{
	const char *s = getenv("VFIO_CXL_SYSFS");

	return s && *s ? s : "/sys";
}

const char *proc_root(void)
{
	const char *s = getenv("VFIO_CXL_PROC");

	return s && *s ? s : "/proc";
}

int pci_addr_parse(const char *s, char *out, size_t len)
{
	unsigned int dom = 0, bus, slot, fn;
	int n = 0;

	if (!s || strlen(s) > 16 || strpbrk(s, " +-\t"))
		return -EINVAL;
	if (sscanf(s, "%4x:%2x:%2x.%1x%n", &dom, &bus, &slot, &fn, &n) == 4 && s[n] == '\0')
		;
	else if (dom = 0, n = 0, sscanf(s, "%2x:%2x.%1x%n", &bus, &slot, &fn, &n) == 3 && s[n] == '\0')
		;
	else
		return -EINVAL;
	if (slot > 0x1f || fn > 7)
		return -EINVAL;
	snprintf(out, len, "%04x:%02x:%02x.%x", dom, bus, slot, fn);
	return 0;
}

static void link_base(const char *path, char *out, size_t len)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(path, buf, sizeof(buf) - 1);
	const char *b;

	out[0] = '\0';
	if (n <= 0)
		return;
	buf[n] = '\0';
	b = strrchr(buf, '/');
	b = b ? b + 1 : buf;
	n = (ssize_t)strlen(b);
	if ((size_t)n >= len)
		n = (ssize_t)len - 1;
	memcpy(out, b, n);
	out[n] = '\0';
}

static void read_line(const char *path, char *out, size_t len)
{
	FILE *f = fopen(path, "re");

	out[0] = '\0';
	if (!f)
		return;
	if (fgets(out, (int)len, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
	if (!strcmp(out, "(null)"))
		out[0] = '\0';
}

static uint32_t cfg32(const uint8_t *c, uint32_t off) { return get_unaligned_le32(c + off); }
static uint16_t cfg16(const uint8_t *c, uint32_t off) { return get_unaligned_le16(c + off); }

/*
 * Walk the extended capabilities (PCIe r6.0 7.6.3): dword aligned, inside
 * the 4 KiB, at most one visit per dword. Records the CXL Device DVSEC and
 * the Register Locator DVSEC.
 */
static void parse_ext_caps(const uint8_t *cfg, struct pci_cxl *p, uint16_t *rl_off, uint32_t *rl_len)
{
	uint32_t off = CXL_PCI_EXT_CAP_START;
	unsigned int n;

	for (n = 0; off && n < CXL_PCI_CFG_SPACE_EXP_SIZE / 4; n++) {
		uint32_t hdr, h1, h2, len;

		if (off < CXL_PCI_EXT_CAP_START || off % 4 || off + 12 > CXL_PCI_CFG_SPACE_EXP_SIZE)
			return;
		hdr = cfg32(cfg, off);
		if (hdr == 0 || hdr == 0xffffffff)
			return;
		if (FIELD_GET(CXL_PCI_EXT_CAP_HDR_ID, hdr) == CXL_PCI_EXT_CAP_ID_DVSEC) {
			h1 = cfg32(cfg, off + CXL_DVSEC_HDR1);
			h2 = cfg32(cfg, off + CXL_DVSEC_HDR2);
			len = FIELD_GET(CXL_DVSEC_HDR1_LEN, h1);
			if (FIELD_GET(CXL_DVSEC_HDR1_VENDOR, h1) == CXL_DVSEC_VENDOR_ID &&
			    off + len <= CXL_PCI_CFG_SPACE_EXP_SIZE) {
				unsigned int id = FIELD_GET(CXL_DVSEC_HDR2_ID, h2);

				if (id == CXL_DVSEC_ID_DEVICE && len >= CXL_DVSEC_DEV_LEN_R1 && !p->cxl) {
					p->cxl = true;
					p->dvsec_off = off;
					p->dvsec_rev = FIELD_GET(CXL_DVSEC_HDR1_REV, h1);
				} else if (id == CXL_DVSEC_ID_REG_LOCATOR && !*rl_off) {
					*rl_off = off;
					*rl_len = len;
				}
			}
		}
		off = FIELD_GET(CXL_PCI_EXT_CAP_HDR_NEXT, hdr);
	}
}

static void parse_device_dvsec(const uint8_t *cfg, struct pci_cxl *p)
{
	uint32_t d = p->dvsec_off, i;

	p->dvsec_cap = cfg16(cfg, d + CXL_DVSEC_CAP);
	p->dvsec_ctrl = cfg16(cfg, d + CXL_DVSEC_CTRL);
	if ((p->dvsec_cap & CXL_DVSEC_CAP_CACHE) && (p->dvsec_cap & CXL_DVSEC_CAP_MEM))
		p->type = 2;
	else if (p->dvsec_cap & CXL_DVSEC_CAP_MEM)
		p->type = 3;
	else if (p->dvsec_cap & CXL_DVSEC_CAP_CACHE)
		p->type = 1;
	p->hdm_count = FIELD_GET(CXL_DVSEC_CAP_HDM_COUNT, p->dvsec_cap);
	for (i = 0; i < p->hdm_count && i < 2; i++) {
		uint32_t lo = cfg32(cfg, d + CXL_DVSEC_RANGE_SIZE_LO(i));
		uint32_t hi = cfg32(cfg, d + CXL_DVSEC_RANGE_SIZE_HI(i));

		if (!(lo & CXL_DVSEC_RANGE_SIZE_LO_VALID))
			continue;
		p->dpa_size += (uint64_t)hi << 32 |
			       (uint64_t)FIELD_GET(CXL_DVSEC_RANGE_SIZE_LO_SIZE, lo) << 28;
		if (i == 0) {
			p->mem_valid = true;
			p->mem_active = lo & CXL_DVSEC_RANGE_SIZE_LO_ACTIVE;
		}
	}
}

struct cfg_walk {
	const uint8_t *cfg;
	uint32_t pos;
};

static int cfg_walk_read32(void *priv, uint32_t off, uint32_t *val)
{
	const struct cfg_walk *w = priv;

	if ((uint64_t)w->pos + off + 4 > CXL_PCI_CFG_SPACE_EXP_SIZE)
		return -ERANGE;
	*val = cfg32(w->cfg, w->pos + off);
	return 0;
}

/* core/regwalk.c: the component block's BAR and offset inside it. */
static void parse_reg_locator(const uint8_t *cfg, struct pci_cxl *p, uint16_t off, uint32_t len)
{
	struct cfg_walk w = { .cfg = cfg, .pos = off };
	struct cxlemu_rl_block blk;

	if (cxlemu_rl_find_block(cfg_walk_read32, &w, len, CXL_RL_ID_COMPONENT, &blk))
		return;
	p->has_comp = true;
	p->comp_bar = blk.bar;
	p->comp_off = blk.offset;
}

static int mmio_walk_read32(void *priv, uint32_t off, uint32_t *val)
{
	*val = ((const volatile uint32_t *)priv)[off / 4];
	return 0;
}

/* Decoder 0 control through the component BAR's resource file (root only). */
static void read_decoder0(const char *dir, struct pci_cxl *p)
{
	char path[PATH_MAX + 32];
	const volatile uint32_t *area;
	struct cxlemu_hdm_loc loc;
	struct stat st;
	void *m;
	int fd;

	p->decoder0_committed = -1;
	if (!p->has_comp || p->comp_bar > 5)
		return;
	snprintf(path, sizeof(path), "%s/resource%u", dir, p->comp_bar);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) || p->comp_off + CXL_COMP_CM_OFFSET + CXL_COMP_CM_SIZE > (uint64_t)st.st_size) {
		close(fd);
		return;
	}
	m = mmap(NULL, CXL_COMP_CM_SIZE, PROT_READ, MAP_SHARED, fd,
		 (off_t)(p->comp_off + CXL_COMP_CM_OFFSET));
	close(fd);
	if (m == MAP_FAILED)
		return;
	area = m;
	/* all ones: memory decode off or the device gone; leave it unknown */
	if (area[0] != 0xffffffff &&
	    !cxlemu_cm_find_hdm(mmio_walk_read32, m, CXL_COMP_CM_SIZE, &loc, NULL)) {
		p->decoder0_ctrl = area[(loc.off + CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL) / 4];
		if (p->decoder0_ctrl != 0xffffffff)
			p->decoder0_committed = !!(p->decoder0_ctrl & CXL_HDM_DEC_CTRL_COMMITTED);
	}
	munmap(m, CXL_COMP_CM_SIZE);
}

/*
 * A VFIO group is viable when every device in it is unbound or bound to a
 * driver that leaves DMA ownership to VFIO: a VFIO driver, pci-stub, or
 * pcieport (bridges). The kernel checks the same at open; this says why
 * before a VMM tries.
 */
static bool dma_safe_driver(const char *drv)
{
	return !drv[0] || !strncmp(drv, "vfio", 4) || !strcmp(drv, "pci-stub") ||
	       !strcmp(drv, "pcieport");
}

static void read_group_viable(struct pci_cxl *p)
{
	char path[PATH_MAX], link[PATH_MAX + 300], drv[64];
	struct dirent *de;
	DIR *d;

	p->group_viable = -1;
	if (p->group < 0)
		return;
	snprintf(path, sizeof(path), "%s/kernel/iommu_groups/%d/devices", sysfs_root(), p->group);
	d = opendir(path);
	if (!d)
		return;
	p->group_viable = 1;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, p->addr))
			continue;
		snprintf(link, sizeof(link), "%s/%s/driver", path, de->d_name);
		link_base(link, drv, sizeof(drv));
		if (dma_safe_driver(drv))
			continue;
		p->group_viable = 0;
		snprintf(p->group_blocker, sizeof(p->group_blocker), "%.16s (%.64s)", de->d_name, drv);
		break;
	}
	closedir(d);
}

/* Append "; "-separated reasons to @why. */
static void why_add(char *why, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void why_add(char *why, size_t len, const char *fmt, ...)
{
	size_t n = strlen(why);
	va_list ap;

	if (n && n + 2 < len) {
		memcpy(why + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(why + n, len - n, fmt, ap);
	va_end(ap);
}

int pci_cxl_ready(const struct pci_cxl *p, char *why, size_t len)
{
	why[0] = '\0';
	if (!p->driver[0])
		why_add(why, len, "not bound (vfio-cxl bind %s)", p->addr);
	else if (strncmp(p->driver, "vfio", 4))
		why_add(why, len, "bound to %s, not to VFIO (vfio-cxl bind %s)", p->driver, p->addr);
	if (p->decoder0_committed == 0)
		why_add(why, len, "HDM decoder 0 not committed (the firmware did not set up the device memory)");
	else if (p->decoder0_committed < 0)
		why_add(why, len, "HDM decoder 0 unreadable (component BAR not mappable; run as root)");
	if (p->group < 0)
		why_add(why, len, "no IOMMU group");
	else if (p->group_viable == 0)
		why_add(why, len, "IOMMU group %d not viable: %s is in it", p->group, p->group_blocker);
	else if (p->group_viable < 0)
		why_add(why, len, "IOMMU group %d: its members are unreadable", p->group);
	return !why[0];
}

int pci_cxl_read(const char *addr, struct pci_cxl *p)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], buf[64];
	uint8_t cfg[CXL_PCI_CFG_SPACE_EXP_SIZE];
	uint16_t rl_off = 0;
	uint32_t rl_len = 0;
	ssize_t n;
	int fd;

	memset(p, 0, sizeof(*p));
	p->group = -1;
	p->group_viable = -1;
	p->decoder0_committed = -1;
	snprintf(p->addr, sizeof(p->addr), "%s", addr);
	snprintf(dir, sizeof(dir), "%s/bus/pci/devices/%s", sysfs_root(), addr);
	if (access(dir, F_OK))
		return -ENODEV;
	snprintf(path, sizeof(path), "%s/config", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(cfg, 0, sizeof(cfg));
	n = pread(fd, cfg, sizeof(cfg), 0);
	close(fd);
	if (n < 64)
		return -EIO;
	/* 64 bytes: not root; 256: conventional PCI, no extended capabilities */
	p->vendor = cfg16(cfg, 0);
	p->device = cfg16(cfg, 2);
	p->class_code = cfg32(cfg, 8) >> 8;
	p->ext_cfg = n > 64;
	if (n >= CXL_PCI_CFG_SPACE_EXP_SIZE)
		parse_ext_caps(cfg, p, &rl_off, &rl_len);
	if (p->cxl)
		parse_device_dvsec(cfg, p);
	if (rl_off)
		parse_reg_locator(cfg, p, rl_off, rl_len);
	snprintf(path, sizeof(path), "%s/driver", dir);
	link_base(path, p->driver, sizeof(p->driver));
	snprintf(path, sizeof(path), "%s/driver_override", dir);
	read_line(path, p->override, sizeof(p->override));
	snprintf(path, sizeof(path), "%s/iommu_group", dir);
	link_base(path, buf, sizeof(buf));
	if (buf[0])
		p->group = atoi(buf);
	read_group_viable(p);
	if (p->cxl)
		read_decoder0(dir, p);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pci_foreach(int (*fn)(const char *addr, void *arg), void *arg, unsigned int *unreadable)
{
	char path[PATH_MAX], **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/bus/pci/devices", sysfs_root());
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*names));

			if (!nn) {
				rc = -ENOMEM;
				break;
			}
			names = nn;
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		if (!rc && names[i])
			rc = fn(names[i], arg);
		free(names[i]);
	}
	free(names);
	(void)unreadable;
	return rc;
}

/* Does @link name the VFIO group or cdev, or a CXL memdev, of @p? */
static bool link_is_user(const char *link, const struct pci_cxl *p, const char *cdevs, const char *mems)
{
	char buf[64];
	const char *b;

	snprintf(buf, sizeof(buf), "/dev/vfio/%d", p->group);
	if (p->group >= 0 && !strcmp(link, buf))
		return true;
	b = strrchr(link, '/');
	if (!b)
		return false;
	b++;
	if (!strncmp(link, "/dev/vfio/devices/", 18) && strstr(cdevs, b))
		return true;
	if (!strncmp(link, "/dev/cxl/", 9) && strstr(mems, b))
		return true;
	return false;
}

int pci_users(const struct pci_cxl *p, int *first_pid)
{
	char path[PATH_MAX], link[PATH_MAX], cdevs[256] = "", mems[256] = "";
	struct dirent *pe, *fe;
	DIR *pd, *fd, *dd;
	int count = 0;

	/* the device's vfio cdevs (vfio-dev/vfioN) and CXL memdevs (memN) */
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/vfio-dev", sysfs_root(), p->addr);
	dd = opendir(path);
	if (dd) {
		while ((fe = readdir(dd)))
			if (!strncmp(fe->d_name, "vfio", 4) && strlen(cdevs) + strlen(fe->d_name) + 2 < sizeof(cdevs))
				strcat(strcat(cdevs, fe->d_name), " ");
		closedir(dd);
	}
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s", sysfs_root(), p->addr);
	dd = opendir(path);
	if (dd) {
		while ((fe = readdir(dd)))
			if (!strncmp(fe->d_name, "mem", 3) && strlen(mems) + strlen(fe->d_name) + 2 < sizeof(mems))
				strcat(strcat(mems, fe->d_name), " ");
		closedir(dd);
	}
	pd = opendir(proc_root());
	if (!pd)
		return 0;
	while ((pe = readdir(pd))) {
		if (pe->d_name[0] < '0' || pe->d_name[0] > '9' || atoi(pe->d_name) == getpid())
			continue;
		snprintf(path, sizeof(path), "%s/%s/fd", proc_root(), pe->d_name);
		fd = opendir(path);
		if (!fd)
			continue;
		while ((fe = readdir(fd))) {
			char lp[PATH_MAX + 300];
			ssize_t n;

			if (fe->d_name[0] == '.')
				continue;
			snprintf(lp, sizeof(lp), "%s/%s", path, fe->d_name);
			n = readlink(lp, link, sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = '\0';
			if (link_is_user(link, p, cdevs, mems)) {
				if (!count && first_pid)
					*first_pid = atoi(pe->d_name);
				count++;
				break;
			}
		}
		closedir(fd);
	}
	closedir(pd);
	return count;
}

int sysfs_write(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);	/* as a shell ">" does */
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0)
		rc = -errno;
	else if ((size_t)n != len)
		rc = -EIO;
	close(fd);
	return rc;
}

int check_vfio_device(const char *cmd, const char *addr, struct pci_cxl *p)
{
	int rc = pci_cxl_read(addr, p);

	if (rc == -ENODEV)
		return fail(EXIT_NODEV, addr, "no such PCI device");
	if (rc)
		return fail(EXIT_FAIL, addr, "cannot read configuration space: %s", strerror(-rc));
	if (p->ext_cfg && !p->cxl)
		return fail(EXIT_NOTCXL, addr, "not a CXL device (no CXL Device DVSEC)");
	if (!p->driver[0])
		return fail(EXIT_BUSY, addr, "not bound to a driver; run 'vfio-cxl bind %s'", addr);
	if (strncmp(p->driver, "vfio", 4))
		return fail(EXIT_BUSY, addr, "bound to %s, not to a VFIO driver; run 'vfio-cxl bind %s'",
			    p->driver, addr);
	return 0;
}
