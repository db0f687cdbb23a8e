// SPDX-License-Identifier: GPL-2.0
/*
 * cxl-accel: a guest driver for the project's emulated CXL Type-2
 * accelerator (tests/accel/README.md). It does what a driver does on a host
 * whose firmware committed the device's memory: it finds HDM decoder 0
 * through the Register Locator DVSEC and the component registers, insists
 * that it is committed, locked and inside a CEDT CFMWS window that admits
 * device-coherent memory, maps the device memory write-back at that address
 * and drives the device's DMA engine and write-back cache.
 *
 * The operations are reached through debugfs (cxl-accel/<device>/cmd and
 * .../result), so that a test script can move a pattern and read what
 * happened; the module parameter skip_wbi is a test-only switch that leaves
 * the device cache dirty after a cache write (the negative control).
 */
#include <linux/acpi.h>
#include <linux/bitfield.h>
#include <linux/bits.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <asm/cacheflush.h>

#include "cxlemu.h"
#include "cxl_accel_regs.h"
#include "cxl_accel_cmd.h"

#define DRV_NAME		"cxl-accel"

/* System-memory DMA buffer: copies use the first half, cache writes the second. */
#define ACCEL_BUF_SIZE		SZ_256K
#define ACCEL_BUF_HALF		(ACCEL_BUF_SIZE / 2)
#define ACCEL_RESULT_LEN	256
#define ACCEL_CMD_TIMEOUT_US	(1000 * USEC_PER_MSEC)

static bool skip_wbi;
module_param(skip_wbi, bool, 0644);
MODULE_PARM_DESC(skip_wbi,
		 "test only: do not write the device cache back after a cache write (the data stays in the device cache)");

static unsigned int wbi_timeout_ms = 1000;
module_param(wbi_timeout_ms, uint, 0644);
MODULE_PARM_DESC(wbi_timeout_ms, "how long a Cache WBI may take before it is reported as failed");

static struct dentry *accel_debugfs_root;

struct cxl_accel {
	struct pci_dev *pdev;
	void __iomem *bar;	/* BAR0: command interface */
	void __iomem *hdm;	/* HDM Decoder Capability structure */
	u16 dvsec;		/* CXL Device DVSEC */
	u64 hpa;		/* decoder 0 base (host physical) */
	u64 size;		/* decoder 0 size */
	void *mem;		/* [hpa, hpa + size) mapped write-back */
	void *buf;		/* system-memory DMA buffer */
	dma_addr_t buf_dma;
	struct mutex lock;	/* serialises operations and resets */
	const char *dead;	/* why operations are refused, or NULL */
	unsigned int resets;	/* resets seen through reset_done */
	unsigned int active_ms;	/* the last wait for Memory_Active, ms */
	struct dentry *dbg;
	char result[ACCEL_RESULT_LEN];
};

/* ---- finding decoder 0 --------------------------------------------------- */

/*
 * The walks are core/'s (regwalk.c), the ones the vfio-cxl module, the
 * library, the command and the firmware step use, over read callbacks.
 */
struct accel_cfg_rd {
	struct pci_dev *pdev;
	u16 base;
};

static int accel_cfg_read32(void *priv, u32 off, u32 *val)
{
	struct accel_cfg_rd *c = priv;

	if (off > PCI_CFG_SPACE_EXP_SIZE - 4 - c->base)
		return -ERANGE;
	return pcibios_err_to_errno(pci_read_config_dword(c->pdev, c->base + off, val));
}

static int accel_mmio_read32(void *priv, u32 off, u32 *val)
{
	void __iomem *area = priv;

	if (off % 4 || off > CXL_COMP_CM_SIZE - 4)
		return -ERANGE;
	*val = readl(area + off);
	return 0;
}

/* The Register Locator DVSEC (CXL r3.1 8.1.9): the component register block. */
static int accel_find_component_block(struct cxl_accel *a, int *bar, u64 *off)
{
	struct pci_dev *pdev = a->pdev;
	struct accel_cfg_rd c = { .pdev = pdev };
	struct cxlemu_rl_block blk;
	u32 hdr1;
	int ret;

	c.base = pci_find_dvsec_capability(pdev, PCI_VENDOR_ID_CXL, CXL_DVSEC_ID_REG_LOCATOR);
	if (!c.base) {
		pci_err(pdev, "refused: no Register Locator DVSEC, the component registers cannot be found\n");
		return -ENODEV;
	}
	pci_read_config_dword(pdev, c.base + CXL_DVSEC_HDR1, &hdr1);
	ret = cxlemu_rl_find_block(accel_cfg_read32, &c, FIELD_GET(CXL_DVSEC_HDR1_LEN, hdr1),
				   CXL_RL_ID_COMPONENT, &blk);
	if (ret == -ENODEV) {
		pci_err(pdev, "refused: the Register Locator names no component register block\n");
		return ret;
	}
	if (ret) {
		pci_err(pdev, "refused: malformed Register Locator DVSEC: %pe\n", ERR_PTR(ret));
		return -ENODEV;
	}
	if (blk.offset + CXL_COMP_BLOCK_SIZE > pci_resource_len(pdev, blk.bar)) {
		pci_err(pdev, "refused: component block at BAR %u + %#llx lies outside the BAR\n",
			blk.bar, blk.offset);
		return -ENODEV;
	}
	*bar = blk.bar;
	*off = blk.offset;
	return 0;
}

/* The CXL.cache/mem capability array (CXL r3.1 8.2.4.1): the HDM capability. */
static int accel_find_hdm(struct cxl_accel *a, void __iomem *cm)
{
	struct cxlemu_hdm_loc loc;
	const char *why;
	int ret;

	ret = cxlemu_cm_find_hdm(accel_mmio_read32, (void __force *)cm, CXL_COMP_CM_SIZE,
				 &loc, &why);
	if (ret) {
		pci_err(a->pdev, "refused: decoder absent: %s (%pe)\n", why, ERR_PTR(ret));
		return -ENODEV;
	}
	a->hdm = cm + loc.off;
	return 0;
}

static u64 accel_dec_reg64(struct cxl_accel *a, u32 lo)
{
	return (u64)readl(a->hdm + CXL_HDM_DEC_OFF(0) + lo + 4) << 32 |
	       readl(a->hdm + CXL_HDM_DEC_OFF(0) + lo);
}

/*
 * Decoder 0 as firmware left it: committed (absent otherwise), locked
 * (lock-on-commit: nothing can move it under the mapping), non-empty and
 * with HDM decoding enabled. Returns a reason, or NULL with *base, *size.
 */
static const char *accel_read_decoder(struct cxl_accel *a, u64 *base, u64 *size)
{
	u32 ctrl = readl(a->hdm + CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL);

	if (ctrl == ~0u)
		return "the device does not answer (component registers read all-ones)";
	if (!(ctrl & CXL_HDM_DEC_CTRL_COMMITTED))
		return "decoder absent: HDM decoder 0 is not committed (no firmware committed it)";
	if (!(ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT))
		return "decoder unlocked: HDM decoder 0 is committed without lock-on-commit, so it could move under the mapping";
	if (!(readl(a->hdm + CXL_HDM_GCTRL) & CXL_HDM_GCTRL_ENABLE))
		return "HDM decoding is disabled (HDM Decoder Global Control Enable is clear)";
	if (FIELD_GET(CXL_HDM_DEC_CTRL_TARGET_TYPE, ctrl) != CXL_HDM_DEC_TARGET_DEV_COHERENT)
		return "HDM decoder 0 is host-only coherent (HDM-H); this device's memory is device-coherent";
	*base = accel_dec_reg64(a, CXL_HDM_DEC_BASE_LO) & ~(CXL_HDM_DEC_ALIGN - 1);
	*size = accel_dec_reg64(a, CXL_HDM_DEC_SIZE_LO) & ~(CXL_HDM_DEC_ALIGN - 1);
	if (!*size)
		return "decoder absent: HDM decoder 0 is committed with size 0";
	if (*base + *size < *base)
		return "HDM decoder 0 wraps past the end of the address space";
	return NULL;
}

/* ---- the CEDT: is decoder 0 inside a window? ------------------------------ */

struct accel_win_ctx {
	u64 base, size;
	int idx;		/* CFMWS being looked at */
	int found;		/* index of the window holding the range, or -1 */
	u64 win_base, win_size;
	u16 restrictions;
};

static int accel_cfmws_cb(union acpi_subtable_headers *h, void *arg, const unsigned long end)
{
	struct acpi_cedt_cfmws *w = (struct acpi_cedt_cfmws *)h;
	struct accel_win_ctx *c = arg;
	int idx = c->idx++;

	/* A CFMWS too short for its fixed part is skipped, as cxl_acpi does. */
	if (w->header.length < sizeof(*w) || (unsigned long)w + sizeof(*w) > end)
		return 0;
	if (c->found >= 0 || !w->window_size || w->base_hpa + w->window_size < w->base_hpa)
		return 0;
	if (c->base >= w->base_hpa && c->base + c->size <= w->base_hpa + w->window_size) {
		c->found = idx;
		c->win_base = w->base_hpa;
		c->win_size = w->window_size;
		c->restrictions = w->restrictions;
	}
	return 0;
}

static int accel_check_window(struct cxl_accel *a)
{
	struct accel_win_ctx c = { .base = a->hpa, .size = a->size, .found = -1 };
	int n;

	n = acpi_table_parse_cedt(ACPI_CEDT_TYPE_CFMWS, accel_cfmws_cb, &c);
	if (n < 0) {
		pci_err(a->pdev, "refused: outside every CFMWS window: no CEDT (%pe)\n", ERR_PTR(n));
		return -ENODEV;
	}
	if (c.found < 0) {
		pci_err(a->pdev, "refused: outside every CFMWS window: decoder 0 [%#llx-%#llx] is in none of the %d windows of the CEDT\n",
			a->hpa, a->hpa + a->size - 1, n);
		return -ENODEV;
	}
	if (!(c.restrictions & ACPI_CEDT_CFMWS_RESTRICT_TYPE2)) {
		pci_err(a->pdev, "refused: decoder 0 [%#llx-%#llx] is in CFMWS window %d [%#llx-%#llx], which does not admit device-coherent memory (restrictions %#x)\n",
			a->hpa, a->hpa + a->size - 1, c.found, c.win_base,
			c.win_base + c.win_size - 1, c.restrictions);
		return -ENODEV;
	}
	pci_info(a->pdev, "decoder 0 [%#llx-%#llx] is in CFMWS window %d [%#llx-%#llx], restrictions %#x\n",
		 a->hpa, a->hpa + a->size - 1, c.found, c.win_base,
		 c.win_base + c.win_size - 1, c.restrictions);
	return 0;
}

/* ---- DVSEC: memory active, Cache WBI -------------------------------------- */

/* CXL r3.1 8.1.3.8.2: Memory_Active_Timeout, 0 = 1 s .. 4 = 256 s. */
static int accel_wait_mem_active(struct cxl_accel *a)
{
	struct pci_dev *pdev = a->pdev;
	unsigned long start = jiffies, timeout;
	u32 lo;

	pci_read_config_dword(pdev, a->dvsec + CXL_DVSEC_RANGE_SIZE_LO(0), &lo);
	timeout = jiffies + HZ * (1UL << (2 * min_t(u32, FIELD_GET(CXL_DVSEC_RANGE_SIZE_LO_ACT_TIMEOUT, lo), 4)));
	for (;;) {
		pci_read_config_dword(pdev, a->dvsec + CXL_DVSEC_RANGE_SIZE_LO(0), &lo);
		a->active_ms = jiffies_to_msecs(jiffies - start);
		if (lo == ~0u)
			return -ENODEV;
		if ((lo & CXL_DVSEC_RANGE_SIZE_LO_VALID) && (lo & CXL_DVSEC_RANGE_SIZE_LO_ACTIVE))
			return 0;
		if (time_after(jiffies, timeout))
			return -ETIMEDOUT;
		msleep(20);
	}
}

static u16 accel_status2(struct cxl_accel *a)
{
	u16 v;

	pci_read_config_word(a->pdev, a->dvsec + CXL_DVSEC_STATUS2, &v);
	return v;
}

/*
 * Cache Write Back and Invalidate (CXL r3.1 9.6): set Disable Caching, then
 * Initiate Cache WBI; the device writes every dirty line back and sets
 * Cache_Invalid. Caching is enabled again afterwards.
 */
static int accel_cache_wbi(struct cxl_accel *a)
{
	struct pci_dev *pdev = a->pdev;
	u16 ctrl2, st2;
	int ret;

	pci_read_config_word(pdev, a->dvsec + CXL_DVSEC_CTRL2, &ctrl2);
	ctrl2 &= ~(CXL_DVSEC_CTRL2_INIT_CACHE_WBI | CXL_DVSEC_CTRL2_INIT_CXL_RESET);
	ctrl2 |= CXL_DVSEC_CTRL2_DISABLE_CACHING;
	pci_write_config_word(pdev, a->dvsec + CXL_DVSEC_CTRL2, ctrl2);
	pci_write_config_word(pdev, a->dvsec + CXL_DVSEC_CTRL2,
			      ctrl2 | CXL_DVSEC_CTRL2_INIT_CACHE_WBI);
	ret = read_poll_timeout(accel_status2, st2, st2 & CXL_DVSEC_STATUS2_CACHE_INVALID,
				1000, wbi_timeout_ms * USEC_PER_MSEC, false, a);
	pci_write_config_word(pdev, a->dvsec + CXL_DVSEC_CTRL2,
			      ctrl2 & ~CXL_DVSEC_CTRL2_DISABLE_CACHING);
	if (ret)
		pci_err(pdev, "Cache WBI: Cache_Invalid not set within %u ms (Status2 %#x)\n",
			wbi_timeout_ms, st2);
	return ret;
}

/* ---- the command interface ------------------------------------------------ */

static const char *const accel_errors[] = {
	[CXL_ACCEL_ERR_NONE] = "no error",
	[CXL_ACCEL_ERR_BAD_OPCODE] = "bad opcode",
	[CXL_ACCEL_ERR_BAD_RANGE] = "bad range",
	[CXL_ACCEL_ERR_DMA_FAULT] = "DMA fault",
	[CXL_ACCEL_ERR_MEM_INACTIVE] = "device memory not active",
};

static void accel_bar_wr32(void *priv, u32 off, u32 val)
{
	struct cxl_accel *a = priv;

	writel(val, a->bar + off);
}

static void accel_bar_wr64(void *priv, u32 off, u64 val)
{
	struct cxl_accel *a = priv;

	writeq(val, a->bar + off);
}

static int accel_run(struct cxl_accel *a, u32 op, u64 src, u64 dst, u64 len, u64 pattern)
{
	const struct cxl_accel_io io = {
		.wr32 = accel_bar_wr32, .wr64 = accel_bar_wr64, .priv = a,
	};
	u32 st, code;
	int ret;

	cxl_accel_cmd_start(&io, op, src, dst, len, pattern);
	ret = readl_poll_timeout(a->bar + CXL_ACCEL_STATUS, st,
				 st & (CXL_ACCEL_STATUS_DONE | CXL_ACCEL_STATUS_ERROR),
				 10, ACCEL_CMD_TIMEOUT_US);
	if (ret || st == ~0u) {
		pci_err(a->pdev, "command %u did not finish (status %#x)\n", op, st);
		return -ETIMEDOUT;
	}
	if (st & CXL_ACCEL_STATUS_ERROR) {
		code = readl(a->bar + CXL_ACCEL_ERROR_CODE);
		pci_err(a->pdev, "command %u failed: error %u (%s)\n", op, code,
			code < ARRAY_SIZE(accel_errors) ? accel_errors[code] : "unknown");
		return -EIO;
	}
	return 0;
}

static unsigned int accel_count(const u64 *q, u64 len, u64 pattern)
{
	unsigned int i, n = 0;

	for (i = 0; i < len / 8; i++)
		n += READ_ONCE(q[i]) == pattern;
	return n;
}

static void accel_fill(u64 *q, u64 len, u64 pattern)
{
	unsigned int i;

	for (i = 0; i < len / 8; i++)
		q[i] = pattern;
}

/*
 * Is the device still the one probed? A reset the driver was not told of
 * (one the VMM did behind the guest's back) shows as a decoder that moved
 * or vanished. Called with a->lock held.
 */
static int accel_check_alive(struct cxl_accel *a)
{
	const char *why;
	u64 base, size;

	if (a->dead)
		return -ENODEV;
	if (readl(a->bar + CXL_ACCEL_ID) != CXL_ACCEL_ID_VALUE) {
		a->dead = "the command interface does not answer (ID register)";
	} else {
		why = accel_read_decoder(a, &base, &size);
		if (why)
			a->dead = why;
		else if (base != a->hpa || size != a->size)
			a->dead = "HDM decoder 0 moved since probe";
	}
	if (a->dead) {
		pci_err(a->pdev, "device lost: %s; unbind and bind the driver again\n", a->dead);
		return -ENODEV;
	}
	return 0;
}

enum accel_op { OP_H2D, OP_D2H, OP_BACK, OP_FILL, OP_CACHE, OP_WBI, OP_CPU_READ };

static const struct {
	const char *name;
	enum accel_op op;
	unsigned int align;
} accel_ops[] = {
	{ "h2d", OP_H2D, CXL_ACCEL_LEN_ALIGN },
	{ "d2h", OP_D2H, CXL_ACCEL_LEN_ALIGN },
	{ "back", OP_BACK, CXL_ACCEL_LEN_ALIGN },
	{ "fill", OP_FILL, CXL_ACCEL_LEN_ALIGN },
	{ "cache", OP_CACHE, CXL_ACCEL_CACHE_LINE },
	{ "wbi", OP_WBI, 0 },
	{ "read", OP_CPU_READ, CXL_ACCEL_LEN_ALIGN },
};

/*
 * One operation. @off is a device-memory offset, @len bytes, @pattern the
 * qword moved. The outcome is one line in a->result.
 *   h2d:   the buffer in system memory filled with @pattern, COPY_H2D to @off
 *   d2h:   @pattern written by the CPU through the write-back mapping at @off
 *          (and flushed), COPY_D2H into the zeroed buffer, buffer checked
 *   back:  the buffer as the last d2h left it, counted for @pattern, then
 *          COPY_H2D to @off: what the D2H put in system memory, where the
 *          host can see it (the CPU's own copy at the d2h offset proves
 *          nothing of the D2H)
 *   fill:  FILL_DEV @pattern at @off
 *   cache: CACHE_WRITE_HOST @pattern into the zeroed cache buffer, a Cache
 *          WBI (unless skip_wbi), the buffer checked, then COPY_H2D of the
 *          buffer to @off so the host sees what reached system memory
 *   wbi:   a Cache WBI alone
 *   read:  the CPU reads @len bytes at @off through the mapping, counted
 */
static int accel_do(struct cxl_accel *a, enum accel_op op, u64 off, u64 len, u64 pattern)
{
	u64 *cbuf = a->buf + ACCEL_BUF_HALF;
	char *res = a->result;
	u32 dirty, dirty2, got;
	int ret;

	ret = accel_check_alive(a);
	if (ret) {
		scnprintf(res, ACCEL_RESULT_LEN, "error: device lost: %s\n", a->dead);
		return ret;
	}
	switch (op) {
	case OP_H2D:
		accel_fill(a->buf, len, pattern);
		dma_wmb();
		ret = accel_run(a, CXL_ACCEL_OP_COPY_H2D, a->buf_dma, off, len, 0);
		if (!ret)
			scnprintf(res, ACCEL_RESULT_LEN, "h2d ok: %llu bytes of %#llx to device offset %#llx\n",
				  len, pattern, off);
		break;
	case OP_D2H:
		accel_fill(a->mem + off, len, pattern);
		clflush_cache_range(a->mem + off, len);
		memset(a->buf, 0, len);
		ret = accel_run(a, CXL_ACCEL_OP_COPY_D2H, off, a->buf_dma, len, 0);
		if (ret)
			break;
		dma_rmb();
		got = accel_count(a->buf, len, pattern);
		scnprintf(res, ACCEL_RESULT_LEN, "d2h %s: %u of %llu qwords of %#llx read back from device offset %#llx\n",
			  got == len / 8 ? "ok" : "mismatch", got, len / 8, pattern, off);
		break;
	case OP_BACK:
		got = accel_count(a->buf, len, pattern);
		ret = accel_run(a, CXL_ACCEL_OP_COPY_H2D, a->buf_dma, off, len, 0);
		if (!ret)
			scnprintf(res, ACCEL_RESULT_LEN, "back %s: %u of %llu qwords of %#llx in system memory copied to device offset %#llx\n",
				  got == len / 8 ? "ok" : "mismatch", got, len / 8, pattern, off);
		break;
	case OP_FILL:
		ret = accel_run(a, CXL_ACCEL_OP_FILL_DEV, 0, off, len, pattern);
		if (!ret)
			scnprintf(res, ACCEL_RESULT_LEN, "fill ok: %llu bytes of %#llx at device offset %#llx\n",
				  len, pattern, off);
		break;
	case OP_CACHE:
		memset(cbuf, 0, len);
		dma_wmb();
		ret = accel_run(a, CXL_ACCEL_OP_CACHE_WRITE_HOST, 0,
				a->buf_dma + ACCEL_BUF_HALF, len, pattern);
		if (ret)
			break;
		dirty = readl(a->bar + CXL_ACCEL_CACHE_DIRTY);
		if (!skip_wbi) {
			ret = accel_cache_wbi(a);
			if (ret) {
				scnprintf(res, ACCEL_RESULT_LEN, "error: Cache WBI timed out\n");
				break;
			}
		}
		dirty2 = readl(a->bar + CXL_ACCEL_CACHE_DIRTY);
		dma_rmb();
		got = accel_count(cbuf, len, pattern);
		ret = accel_run(a, CXL_ACCEL_OP_COPY_H2D, a->buf_dma + ACCEL_BUF_HALF, off, len, 0);
		if (ret)
			break;
		scnprintf(res, ACCEL_RESULT_LEN, "cache %s: %u of %llu qwords of %#llx reached system memory (%s; dirty lines %u, then %u); copied to device offset %#llx\n",
			  got == len / 8 ? "ok" : "lost", got, len / 8, pattern,
			  skip_wbi ? "WBI skipped" : "after WBI", dirty, dirty2, off);
		break;
	case OP_WBI:
		ret = accel_cache_wbi(a);
		scnprintf(res, ACCEL_RESULT_LEN, ret ? "error: Cache WBI timed out\n" :
			  "wbi ok: dirty lines %u\n", readl(a->bar + CXL_ACCEL_CACHE_DIRTY));
		break;
	case OP_CPU_READ:
		got = accel_count(a->mem + off, len, pattern);
		scnprintf(res, ACCEL_RESULT_LEN, "read %s: %u of %llu qwords of %#llx at device offset %#llx\n",
			  got == len / 8 ? "ok" : "mismatch", got, len / 8, pattern, off);
		break;
	}
	if (ret && !*res)
		scnprintf(res, ACCEL_RESULT_LEN, "error: %pe\n", ERR_PTR(ret));
	return ret;
}

/* ---- debugfs: cmd ("OP OFFSET LEN PATTERN"), result, info ----------------- */

static ssize_t accel_cmd_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct cxl_accel *a = file->private_data;
	u64 v[3] = { 0, 0, 0 };
	char kbuf[128], *p = kbuf, *tok;
	unsigned int i, n = 0;
	int ret = -EINVAL;

	if (count >= sizeof(kbuf))
		return -EINVAL;
	if (copy_from_user(kbuf, ubuf, count))
		return -EFAULT;
	kbuf[count] = '\0';
	tok = strsep(&p, " \t\n");
	for (i = 0; i < ARRAY_SIZE(accel_ops); i++)
		if (tok && !strcmp(tok, accel_ops[i].name))
			break;

	mutex_lock(&a->lock);
	a->result[0] = '\0';
	if (i == ARRAY_SIZE(accel_ops)) {
		scnprintf(a->result, ACCEL_RESULT_LEN, "error: unknown operation '%s' (h2d, d2h, back, fill, cache, wbi, read)\n",
			  tok ? tok : "");
		goto out;
	}
	while ((tok = strsep(&p, " \t\n"))) {
		if (!*tok)
			continue;
		if (n == ARRAY_SIZE(v) || kstrtou64(tok, 0, &v[n])) {
			scnprintf(a->result, ACCEL_RESULT_LEN, "error: usage: %s OFFSET LEN PATTERN (numbers)\n",
				  accel_ops[i].name);
			goto out;
		}
		n++;
	}
	if (accel_ops[i].align &&
	    (n < 2 || !v[1] || v[0] % accel_ops[i].align || v[1] % accel_ops[i].align ||
	     v[1] > ACCEL_BUF_HALF || v[0] > a->size || v[1] > a->size - v[0])) {
		scnprintf(a->result, ACCEL_RESULT_LEN, "error: %s: offset %#llx and length %#llx must be multiples of %u, the length 1..%#lx, inside the %#llx bytes of device memory\n",
			  accel_ops[i].name, v[0], v[1], accel_ops[i].align,
			  (unsigned long)ACCEL_BUF_HALF, a->size);
		goto out;
	}
	ret = accel_do(a, accel_ops[i].op, v[0], v[1], v[2]);
out:
	if (ret)
		pci_warn(a->pdev, "debugfs cmd: %s", a->result);
	mutex_unlock(&a->lock);
	return ret ? ret : count;
}

static const struct file_operations accel_cmd_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = accel_cmd_write,
	.llseek = noop_llseek,
};

static ssize_t accel_result_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct cxl_accel *a = file->private_data;
	char kbuf[ACCEL_RESULT_LEN];

	mutex_lock(&a->lock);
	strscpy(kbuf, a->result, sizeof(kbuf));
	mutex_unlock(&a->lock);
	return simple_read_from_buffer(ubuf, count, ppos, kbuf, strlen(kbuf));
}

static const struct file_operations accel_result_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = accel_result_read,
	.llseek = default_llseek,
};

static ssize_t accel_info_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct cxl_accel *a = file->private_data;
	char kbuf[ACCEL_RESULT_LEN];
	int n;

	mutex_lock(&a->lock);
	n = scnprintf(kbuf, sizeof(kbuf), "hpa %#llx size %#llx cache_lines %u dirty %u resets %u state %s\n",
		      a->hpa, a->size, readl(a->bar + CXL_ACCEL_CACHE_LINES),
		      readl(a->bar + CXL_ACCEL_CACHE_DIRTY), a->resets,
		      a->dead ? a->dead : "ok");
	mutex_unlock(&a->lock);
	return simple_read_from_buffer(ubuf, count, ppos, kbuf, n);
}

static const struct file_operations accel_info_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = accel_info_read,
	.llseek = default_llseek,
};

/* ---- probe, remove, reset -------------------------------------------------- */

static void accel_debugfs_remove(void *data)
{
	struct cxl_accel *a = data;

	debugfs_remove_recursive(a->dbg);
}

static int accel_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct device *dev = &pdev->dev;
	struct cxl_accel *a;
	const char *why;
	u64 comp_off;
	u16 cap, ctrl;
	int bar, ret;

	a = devm_kzalloc(dev, sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->pdev = pdev;
	mutex_init(&a->lock);
	pci_set_drvdata(pdev, a);

	ret = pcim_enable_device(pdev);
	if (ret)
		return dev_err_probe(dev, ret, "refused: cannot enable the device\n");

	a->dvsec = pci_find_dvsec_capability(pdev, PCI_VENDOR_ID_CXL, CXL_DVSEC_ID_DEVICE);
	if (!a->dvsec)
		return dev_err_probe(dev, -ENODEV, "refused: no CXL Device DVSEC\n");
	pci_read_config_word(pdev, a->dvsec + CXL_DVSEC_CAP, &cap);
	if (!(cap & CXL_DVSEC_CAP_MEM) || !(cap & CXL_DVSEC_CAP_CACHE) ||
	    !(cap & CXL_DVSEC_CAP_CACHE_WBI))
		return dev_err_probe(dev, -ENODEV, "refused: not a Type-2 device with Cache WBI (DVSEC capability %#x)\n",
				     cap);

	ret = accel_find_component_block(a, &bar, &comp_off);
	if (ret)
		return ret;
	if (bar != CXL_ACCEL_BAR)
		return dev_err_probe(dev, -ENODEV, "refused: component block in BAR %d, the command interface is in BAR %d\n",
				     bar, CXL_ACCEL_BAR);
	a->bar = pcim_iomap_region(pdev, CXL_ACCEL_BAR, DRV_NAME);
	if (IS_ERR(a->bar))
		return dev_err_probe(dev, PTR_ERR(a->bar), "refused: cannot map BAR %d\n",
				     CXL_ACCEL_BAR);
	if (readl(a->bar + CXL_ACCEL_ID) != CXL_ACCEL_ID_VALUE)
		return dev_err_probe(dev, -ENODEV, "refused: ID register reads %#x, not %#x\n",
				     readl(a->bar + CXL_ACCEL_ID), CXL_ACCEL_ID_VALUE);
	ret = accel_find_hdm(a, a->bar + comp_off + CXL_COMP_CM_OFFSET);
	if (ret)
		return ret;

	why = accel_read_decoder(a, &a->hpa, &a->size);
	if (why)
		return dev_err_probe(dev, -ENODEV, "refused: %s\n", why);
	pci_read_config_word(pdev, a->dvsec + CXL_DVSEC_CTRL, &ctrl);
	if (!(ctrl & CXL_DVSEC_CTRL_MEM_EN))
		return dev_err_probe(dev, -ENODEV, "refused: DVSEC Mem_Enable is clear (firmware did not enable CXL.mem)\n");
	ret = accel_check_window(a);
	if (ret)
		return ret;
	ret = accel_wait_mem_active(a);
	if (ret)
		return dev_err_probe(dev, ret, "refused: device memory never became active\n");

	if (!devm_request_mem_region(dev, a->hpa, a->size, dev_name(dev)))
		return dev_err_probe(dev, -EBUSY, "refused: [%#llx-%#llx] is claimed by someone else\n",
				     a->hpa, a->hpa + a->size - 1);
	a->mem = devm_memremap(dev, a->hpa, a->size, MEMREMAP_WB);
	if (IS_ERR(a->mem))
		return dev_err_probe(dev, PTR_ERR(a->mem), "refused: cannot map [%#llx-%#llx] write-back\n",
				     a->hpa, a->hpa + a->size - 1);

	ret = dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64));
	if (ret)
		return dev_err_probe(dev, ret, "refused: no 64-bit DMA\n");
	a->buf = dmam_alloc_coherent(dev, ACCEL_BUF_SIZE, &a->buf_dma, GFP_KERNEL);
	if (!a->buf)
		return dev_err_probe(dev, -ENOMEM, "refused: no DMA buffer\n");
	pci_set_master(pdev);

	a->dbg = debugfs_create_dir(pci_name(pdev), accel_debugfs_root);
	debugfs_create_file("cmd", 0200, a->dbg, a, &accel_cmd_fops);
	debugfs_create_file("result", 0400, a->dbg, a, &accel_result_fops);
	debugfs_create_file("info", 0400, a->dbg, a, &accel_info_fops);
	ret = devm_add_action_or_reset(dev, accel_debugfs_remove, a);
	if (ret)
		return ret;

	pci_info(pdev, "probed: decoder 0 committed and locked at %#llx, %llu MiB mapped write-back, %u cache lines (Memory_Active after %u ms)\n",
		 a->hpa, a->size >> 20, readl(a->bar + CXL_ACCEL_CACHE_LINES), a->active_ms);
	return 0;
}

static void accel_reset_prepare(struct pci_dev *pdev)
{
	struct cxl_accel *a = pci_get_drvdata(pdev);

	mutex_lock(&a->lock);
}

/*
 * After a function reset (FLR keeps the decoder, CXL r3.1 9.5; a bus reset
 * clears it): carry on when decoder 0 is back where it was, else refuse
 * every operation until the driver is bound again.
 */
static void accel_reset_done(struct pci_dev *pdev)
{
	struct cxl_accel *a = pci_get_drvdata(pdev);
	const char *why;
	u64 base, size;

	a->resets++;
	why = accel_read_decoder(a, &base, &size);
	if (!why && (base != a->hpa || size != a->size))
		why = "HDM decoder 0 moved";
	if (!why && accel_wait_mem_active(a))
		why = "device memory did not become active again";
	if (!why)
		pci_set_master(pdev);
	a->dead = why;
	if (why)
		pci_err(pdev, "after reset: %s; unbind and bind the driver again\n", why);
	else
		pci_info(pdev, "after reset: decoder 0 still committed and locked at %#llx, carrying on (Memory_Active after %u ms)\n",
			 a->hpa, a->active_ms);
	mutex_unlock(&a->lock);
}

static const struct pci_error_handlers accel_err_handlers = {
	.reset_prepare = accel_reset_prepare,
	.reset_done = accel_reset_done,
};

static const struct pci_device_id accel_ids[] = {
	{ PCI_DEVICE(CXL_ACCEL_PCI_VENDOR_ID, CXL_ACCEL_PCI_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, accel_ids);

static struct pci_driver accel_driver = {
	.name = DRV_NAME,
	.id_table = accel_ids,
	.probe = accel_probe,
	.err_handler = &accel_err_handlers,
};

static int __init accel_init(void)
{
	int ret;

	accel_debugfs_root = debugfs_create_dir(DRV_NAME, NULL);
	ret = pci_register_driver(&accel_driver);
	if (ret)
		debugfs_remove_recursive(accel_debugfs_root);
	return ret;
}

static void __exit accel_exit(void)
{
	pci_unregister_driver(&accel_driver);
	debugfs_remove_recursive(accel_debugfs_root);
}

module_init(accel_init);
module_exit(accel_exit);

MODULE_DESCRIPTION("Guest driver for the vfio-cxl project's emulated CXL Type-2 accelerator");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(ACPI);
