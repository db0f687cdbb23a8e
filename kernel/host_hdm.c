// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-cxl: the host side of the device's CXL registers.
 *
 * Finds the component registers (Register Locator DVSEC, CXL r3.1 8.1.9),
 * the HDM Decoder Capability (8.2.4.20), acquires the HPA range that
 * firmware committed endpoint decoder 0 to, and puts that decoder back after
 * every reset: a conventional or CXL reset clears HDM decoders (8.2.4.20.7
 * reset values), and vfio-pci resets the device at open and after the last
 * close.
 */
#include <linux/acpi.h>
#include <linux/delay.h>
#include <linux/io.h>
#include <linux/iopoll.h>
#include <linux/ioport.h>
#include <linux/memregion.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include "vfio_cxl_priv.h"

static bool commit_uncommitted;
module_param(commit_uncommitted, bool, 0644);
MODULE_PARM_DESC(commit_uncommitted,
		 "Commit endpoint decoder 0 at its window's base when firmware did not, for a device alone below a passthrough host bridge (read at bind and open)");

static bool emulate_cxl_reset;
module_param(emulate_cxl_reset, bool, 0644);
MODULE_PARM_DESC(emulate_cxl_reset,
		 "Offer CXL Reset in the emulated DVSEC of devices without it, carried out as a conventional reset (read at bind)");

#define VCXL_CM_DWORDS		(CXL_COMP_CM_SIZE / 4)
/* Linux drivers/cxl/core/hdm.c waits this long for COMMITTED; so do we. */
#define VCXL_COMMIT_TIMEOUT_MS	10

/*
 * MMIO to the component registers needs memory decode on; vfio-pci leaves
 * it to the user, so turn it on around our own accesses when it is off.
 */
static u16 vcxl_mmio_on(struct pci_dev *pdev)
{
	u16 cmd;

	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	if (!(cmd & PCI_COMMAND_MEMORY))
		pci_write_config_word(pdev, PCI_COMMAND, cmd | PCI_COMMAND_MEMORY);
	return cmd;
}

static void vcxl_mmio_off(struct pci_dev *pdev, u16 cmd)
{
	if (!(cmd & PCI_COMMAND_MEMORY))
		pci_write_config_word(pdev, PCI_COMMAND, cmd);
}

static void __iomem *vcxl_hdm(struct vcxl_device *cd)
{
	return cd->comp + CXL_COMP_CM_OFFSET + cd->hdm_off;
}

static void __iomem *vcxl_dec(struct vcxl_device *cd, unsigned int n)
{
	return vcxl_hdm(cd) + CXL_HDM_DEC_OFF(n);
}

static u64 vcxl_read_lohi(void __iomem *lo)
{
	return (u64)readl(lo) | (u64)readl(lo + 4) << 32;
}

static void vcxl_write_lohi(u64 v, void __iomem *lo)
{
	writel(lower_32_bits(v), lo);
	writel(upper_32_bits(v), lo + 4);
}

/* Device memory size from DVSEC Range 1/2 Size (CXL r3.1 8.1.3.8). */
static u64 vcxl_dvsec_mem_size(struct pci_dev *pdev, u16 dvsec)
{
	unsigned int n, ranges;
	u16 cap;
	u64 total = 0;

	pci_read_config_word(pdev, dvsec + CXL_DVSEC_CAP, &cap);
	ranges = FIELD_GET(CXL_DVSEC_CAP_HDM_COUNT, cap);
	for (n = 0; n < min(ranges, 2U); n++) {
		u32 hi, lo;

		pci_read_config_dword(pdev, dvsec + CXL_DVSEC_RANGE_SIZE_HI(n), &hi);
		pci_read_config_dword(pdev, dvsec + CXL_DVSEC_RANGE_SIZE_LO(n), &lo);
		if (!(lo & CXL_DVSEC_RANGE_SIZE_LO_VALID))
			continue;
		total += (u64)hi << 32 |
			 (u64)FIELD_GET(CXL_DVSEC_RANGE_SIZE_LO_SIZE, lo) << 28;
	}
	return total;
}

struct vcxl_cfg_walk {
	struct pci_dev *pdev;
	u16 pos;
};

static int vcxl_cfg_read32(void *priv, u32 off, u32 *val)
{
	struct vcxl_cfg_walk *w = priv;

	return pcibios_err_to_errno(pci_read_config_dword(w->pdev, w->pos + off,
							  val));
}

/* Component register block from the Register Locator (CXL r3.1 8.1.9.1). */
static int vcxl_find_comp_block(struct vcxl_device *cd, u16 rl)
{
	struct vcxl_cfg_walk w = { .pdev = cd->core.pdev, .pos = rl };
	struct cxlemu_rl_block blk;
	u32 hdr1;
	int ret;

	pci_read_config_dword(w.pdev, rl + CXL_DVSEC_HDR1, &hdr1);
	ret = cxlemu_rl_find_block(vcxl_cfg_read32, &w,
				   FIELD_GET(CXL_DVSEC_HDR1_LEN, hdr1),
				   CXL_RL_ID_COMPONENT, &blk);
	if (ret)
		return ret;
	cd->comp_bar = blk.bar;
	cd->comp_off = blk.offset;
	return 0;
}

static int vcxl_read_cm_area(struct vcxl_device *cd, u32 *area)
{
	struct pci_dev *pdev = cd->core.pdev;
	unsigned int i;
	u16 cmd;

	cmd = vcxl_mmio_on(pdev);
	for (i = 0; i < VCXL_CM_DWORDS; i++)
		area[i] = readl(cd->comp + CXL_COMP_CM_OFFSET + i * 4);
	vcxl_mmio_off(pdev, cmd);
	return 0;
}

/*
 * The device's other CXL DVSECs stay read-only to the user: vfio-pci
 * passes DVSEC writes to the hardware raw, and some of them reach past the
 * guest (Flex Bus Port Control picks what the link trains to: CXL.mem off
 * after a reset would leave the host's HPA range undecoded; GPF DVSEC
 * timings are the platform's).
 */
static void vcxl_find_ro_dvsecs(struct vcxl_device *cd)
{
	struct pci_dev *pdev = cd->core.pdev;
	u16 pos = 0;
	u32 hdr1;

	while ((pos = pci_find_next_ext_capability(pdev, pos,
						   PCI_EXT_CAP_ID_DVSEC))) {
		pci_read_config_dword(pdev, pos + PCI_DVSEC_HEADER1, &hdr1);
		if (PCI_DVSEC_HEADER1_VID(hdr1) != CXL_DVSEC_VENDOR_ID ||
		    pos == cd->dvsec)
			continue;
		if (cd->n_ro_dvsec == VCXL_MAX_RO_DVSEC) {
			pci_warn(pdev, "more than %u CXL DVSECs: the one at %#x stays writable\n",
				 VCXL_MAX_RO_DVSEC, pos);
			continue;
		}
		cd->ro_dvsec[cd->n_ro_dvsec].start = pos;
		cd->ro_dvsec[cd->n_ro_dvsec].len = PCI_DVSEC_HEADER1_LEN(hdr1);
		cd->n_ro_dvsec++;
	}
}

/**
 * vcxl_probe_regs() - find the CXL Device DVSEC and the HDM capability
 * @cd: device
 *
 * Return: 0, or -ENODEV with a message naming what is missing.
 */
int vcxl_probe_regs(struct vcxl_device *cd)
{
	struct cxlemu_dwords snap = { .ndwords = VCXL_CM_DWORDS };
	struct pci_dev *pdev = cd->core.pdev;
	struct cxlemu_hdm_loc loc;
	const char *why = NULL;
	u32 hdr1, *area;
	u16 rl;
	int ret;

	cd->dvsec = pci_find_dvsec_capability(pdev, CXL_DVSEC_VENDOR_ID,
					      CXL_DVSEC_ID_DEVICE);
	if (!cd->dvsec) {
		pci_err(pdev, "not a CXL device: no CXL Device DVSEC (vendor 0x1e98, id 0)\n");
		return -ENODEV;
	}
	pci_read_config_dword(pdev, cd->dvsec + CXL_DVSEC_HDR1, &hdr1);
	cd->dvsec_len = FIELD_GET(CXL_DVSEC_HDR1_LEN, hdr1);
	if (cd->dvsec_len < CXL_DVSEC_DEV_LEN_R1 ||
	    cd->dvsec_len > CXLEMU_DVSEC_MAX_LEN) {
		pci_err(pdev, "CXL Device DVSEC length %#x unsupported\n",
			cd->dvsec_len);
		return -ENODEV;
	}
	pci_read_config_word(pdev, cd->dvsec + CXL_DVSEC_CAP, &cd->dvsec_cap);
	cd->dev_mem_size = vcxl_dvsec_mem_size(pdev, cd->dvsec);
	vcxl_find_ro_dvsecs(cd);

	rl = pci_find_dvsec_capability(pdev, CXL_DVSEC_VENDOR_ID,
				       CXL_DVSEC_ID_REG_LOCATOR);
	if (!rl || vcxl_find_comp_block(cd, rl)) {
		pci_err(pdev, "no HDM Decoder Capability: no component registers in a Register Locator DVSEC\n");
		return -ENODEV;
	}
	if (cd->comp_bar >= PCI_STD_NUM_BARS ||
	    !(pci_resource_flags(pdev, cd->comp_bar) & IORESOURCE_MEM) ||
	    cd->comp_off + CXL_COMP_BLOCK_SIZE > pci_resource_len(pdev, cd->comp_bar)) {
		pci_err(pdev, "no HDM Decoder Capability: component registers at BAR %d + %#llx are outside the BAR\n",
			cd->comp_bar, cd->comp_off);
		return -ENODEV;
	}
	cd->comp = pci_iomap_range(pdev, cd->comp_bar, cd->comp_off,
				   CXL_COMP_BLOCK_SIZE);
	if (!cd->comp) {
		pci_err(pdev, "cannot map the component registers at BAR %d + %#llx\n",
			cd->comp_bar, cd->comp_off);
		return -ENOMEM;
	}

	area = kmalloc_array(VCXL_CM_DWORDS, sizeof(*area), GFP_KERNEL);
	if (!area) {
		ret = -ENOMEM;
		goto err_unmap;
	}
	vcxl_read_cm_area(cd, area);
	snap.dw = area;
	ret = cxlemu_cm_find_hdm(cxlemu_read32_dwords, &snap, CXL_COMP_CM_SIZE,
				 &loc, &why);
	if (!ret)
		ret = cxlemu_comp_init(&cd->emu_comp, area, VCXL_CM_DWORDS,
				       cd->dev_mem_size, NULL, NULL);
	kfree(area);
	if (ret) {
		pci_err(pdev, "no HDM Decoder Capability at BAR %d + %#llx: %s (%pe)\n",
			cd->comp_bar, cd->comp_off + CXL_COMP_CM_OFFSET,
			why ? why : "unusable", ERR_PTR(ret));
		ret = -ENODEV;
		goto err_unmap;
	}
	cd->hdm_off = cd->emu_comp.hdm_off;
	cd->hdm_cap = cd->emu_comp.hdm.cap;
	cd->ndec = cd->emu_comp.hdm.ndecoders;
	return 0;

err_unmap:
	pci_iounmap(pdev, cd->comp);
	cd->comp = NULL;
	return ret;
}

void vcxl_unmap_regs(struct vcxl_device *cd)
{
	if (cd->comp)
		pci_iounmap(cd->core.pdev, cd->comp);
	cd->comp = NULL;
}

static int vcxl_refuse(struct vcxl_device *cd, int err, const char *why)
{
	cd->refuse_err = err;
	cd->refuse_why = why;
	return err;
}

/* Read the host decoder state and decide whether this module can serve it. */
static int vcxl_snapshot(struct vcxl_device *cd, struct vcxl_host_dec *d)
{
	struct pci_dev *pdev = cd->core.pdev;
	unsigned int n;
	u16 lock;
	u32 ctrl;

	d->gctrl = readl(vcxl_hdm(cd) + CXL_HDM_GCTRL);
	ctrl = readl(vcxl_dec(cd, 0) + CXL_HDM_DEC_CTRL);
	d->base = vcxl_read_lohi(vcxl_dec(cd, 0) + CXL_HDM_DEC_BASE_LO);
	d->size = vcxl_read_lohi(vcxl_dec(cd, 0) + CXL_HDM_DEC_SIZE_LO);
	d->skip = vcxl_read_lohi(vcxl_dec(cd, 0) + CXL_HDM_DEC_SKIP_LO);
	d->ctrl = ctrl & ~(CXL_HDM_DEC_CTRL_COMMITTED |
			   CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED);

	if (!(ctrl & CXL_HDM_DEC_CTRL_COMMITTED) ||
	    !(d->gctrl & CXL_HDM_GCTRL_ENABLE)) {
		pci_err(pdev, "refused: endpoint decoder 0 is not committed (control %#x, global control %#x)\n",
			ctrl, d->gctrl);
		return vcxl_refuse(cd, -ENXIO, "decoder 0 not committed");
	}
	if (FIELD_GET(CXL_HDM_DEC_CTRL_IW, ctrl) != CXL_HDM_IW_1) {
		pci_err(pdev, "refused: endpoint decoder 0 is interleaved (IW %lu)\n",
			FIELD_GET(CXL_HDM_DEC_CTRL_IW, ctrl));
		return vcxl_refuse(cd, -EOPNOTSUPP, "decoder 0 interleaved");
	}
	for (n = 1; n < cd->ndec && n < CXLEMU_MAX_DECODERS; n++) {
		if (readl(vcxl_dec(cd, n) + CXL_HDM_DEC_CTRL) &
		    CXL_HDM_DEC_CTRL_COMMITTED) {
			pci_err(pdev, "refused: decoder %u is committed as well as decoder 0\n",
				n);
			return vcxl_refuse(cd, -EOPNOTSUPP,
					   "more than one committed decoder");
		}
	}
	/*
	 * CXL.mem is on only with Mem_Enable (CXL r3.1 8.1.3.2): a decoder
	 * committed without it routes to a device that does not answer.
	 */
	pci_read_config_word(pdev, cd->dvsec + CXL_DVSEC_CTRL, &d->dvsec_ctrl);
	pci_read_config_word(pdev, cd->dvsec + CXL_DVSEC_LOCK, &lock);
	d->dvsec_locked = lock & CXL_DVSEC_LOCK_CONFIG_LOCK;
	if (!(d->dvsec_ctrl & CXL_DVSEC_CTRL_MEM_EN)) {
		pci_err(pdev, "refused: CXL.mem is off at the device (DVSEC Control %#x: Mem_Enable 0)\n",
			d->dvsec_ctrl);
		return vcxl_refuse(cd, -ENXIO, "DVSEC Mem_Enable off");
	}
	if (d->skip) {
		pci_err(pdev, "refused: decoder 0 skips %#llx bytes of DPA\n",
			d->skip);
		return vcxl_refuse(cd, -EOPNOTSUPP, "decoder 0 has a DPA skip");
	}
	if (!d->size || !IS_ALIGNED(d->base | d->size, CXL_HDM_DEC_ALIGN) ||
	    (cd->dev_mem_size && d->size > cd->dev_mem_size)) {
		pci_err(pdev, "refused: decoder 0 base %#llx size %#llx does not fit the device's %#llx bytes\n",
			d->base, d->size, cd->dev_mem_size);
		return vcxl_refuse(cd, -EINVAL, "decoder 0 size invalid");
	}
	return 0;
}

/*
 * Committing decoder 0 ourselves, where firmware did not: only for the
 * simplest topology, where nothing else decodes on the way: the device is
 * directly below the only root port of a host bridge that has no HDM
 * decoders of its own (a passthrough host bridge: CXL r3.1 9.13.1.1 lets
 * it route without decoders when it has one root port), and an ACPI CEDT
 * CFMWS window (CXL r3.1 9.18.1.3) targets that host bridge alone.
 */
struct vcxl_window {
	u64 base;
	u64 size;
	u64 chbs;
	u64 chbs_len;
};

static int vcxl_hb_uid(struct pci_dev *pdev, u32 *uid)
{
	struct pci_host_bridge *hb = pci_find_host_bridge(pdev->bus);
	struct acpi_device *adev = hb ? ACPI_COMPANION(&hb->dev) : NULL;

	if (!adev || !acpi_device_uid(adev))
		return -ENODEV;
	return kstrtou32(acpi_device_uid(adev), 0, uid);
}

static int vcxl_find_window(u32 uid, u16 restrict_bit, struct vcxl_window *w)
{
	struct acpi_table_header *tbl;
	u8 *p, *end;
	int ret = -ENOENT;

	if (ACPI_FAILURE(acpi_get_table(ACPI_SIG_CEDT, 0, &tbl)))
		return -ENODEV;
	p = (u8 *)tbl + sizeof(struct acpi_table_cedt);
	end = (u8 *)tbl + tbl->length;
	w->chbs = 0;
	while (p + sizeof(struct acpi_cedt_header) <= end) {
		struct acpi_cedt_header *h = (void *)p;

		if (h->length < sizeof(*h) || h->length > end - p)
			break;
		if (h->type == ACPI_CEDT_TYPE_CHBS &&
		    h->length >= sizeof(struct acpi_cedt_chbs)) {
			struct acpi_cedt_chbs *c = (void *)h;

			if (c->uid == uid) {
				w->chbs = c->base;
				w->chbs_len = c->length;
			}
		}
		if (h->type == ACPI_CEDT_TYPE_CFMWS && ret &&
		    h->length >= sizeof(struct acpi_cedt_cfmws) + sizeof(u32)) {
			struct acpi_cedt_cfmws *c = (void *)h;

			/* interleave_ways 0 encodes one target. */
			if (!c->interleave_ways && c->interleave_targets[0] == uid &&
			    (c->restrictions & restrict_bit)) {
				w->base = c->base_hpa;
				w->size = c->window_size;
				ret = 0;
			}
		}
		p += h->length;
	}
	acpi_put_table(tbl);
	if (!ret && !w->chbs)
		ret = -ENOENT;
	return ret;
}

/* CFMWS Interleave Targets from the encoded Interleave Ways (CXL r3.1 9.18.1.3). */
static unsigned int vcxl_cfmws_targets(u8 eniw)
{
	if (eniw <= 4)
		return 1U << eniw;
	if (eniw >= 8 && eniw <= 10)
		return 3U << (eniw - 8);
	return 0;
}

/*
 * Is [@base, @base + @size) inside a CEDT CFMWS window that has host
 * bridge @uid among its targets? Only such a range is routed to the device
 * by the platform: anything else (a decoder an earlier tenant left, a
 * range that happens to be free in /proc/iomem) is not this device's.
 */
static int vcxl_range_in_window(u32 uid, u64 base, u64 size)
{
	struct acpi_table_header *tbl;
	u8 *p, *end;
	int ret = -ENOENT;

	if (ACPI_FAILURE(acpi_get_table(ACPI_SIG_CEDT, 0, &tbl)))
		return -ENODEV;
	p = (u8 *)tbl + sizeof(struct acpi_table_cedt);
	end = (u8 *)tbl + tbl->length;
	while (ret && p + sizeof(struct acpi_cedt_header) <= end) {
		struct acpi_cedt_header *h = (void *)p;
		struct acpi_cedt_cfmws *c = (void *)p;
		unsigned int n, i;

		if (h->length < sizeof(*h) || h->length > end - p)
			break;
		p += h->length;
		if (h->type != ACPI_CEDT_TYPE_CFMWS || h->length < sizeof(*c))
			continue;
		n = vcxl_cfmws_targets(c->interleave_ways);
		if (!n || h->length < sizeof(*c) + n * sizeof(u32))
			continue;
		if (base < c->base_hpa || size > c->window_size ||
		    base - c->base_hpa > c->window_size - size)
			continue;
		for (i = 0; i < n; i++)
			if (c->interleave_targets[i] == uid)
				ret = 0;
	}
	acpi_put_table(tbl);
	return ret;
}

static int vcxl_check_window(struct vcxl_device *cd, const struct vcxl_host_dec *d)
{
	struct pci_dev *pdev = cd->core.pdev;
	u32 uid;
	int ret;

	ret = vcxl_hb_uid(pdev, &uid);
	if (ret) {
		pci_err(pdev, "refused: cannot tell the CXL host bridge (no ACPI _UID): %pe\n",
			ERR_PTR(ret));
		return vcxl_refuse(cd, -EINVAL, "host bridge unknown");
	}
	ret = vcxl_range_in_window(uid, d->base, d->size);
	if (ret) {
		pci_err(pdev, "refused: decoder 0's host range %#llx-%#llx is in no CEDT window of host bridge %u%s\n",
			d->base, d->base + d->size - 1, uid,
			ret == -ENODEV ? " (no CEDT)" : "");
		return vcxl_refuse(cd, -EINVAL,
				   "decoder 0 outside the host bridge's CXL windows");
	}
	return 0;
}

static int vcxl_mmio_read32(void *priv, u32 off, u32 *val)
{
	*val = readl((void __iomem *)priv + off);
	return 0;
}

/* Does the host bridge's component block list an HDM Decoder Capability? */
static int vcxl_hb_has_hdm(struct vcxl_window *w)
{
	void __iomem *cm;
	u32 off;
	int ret;

	if (w->chbs_len < CXL_COMP_CM_OFFSET + CXL_COMP_CM_SIZE)
		return -EINVAL;
	cm = ioremap(w->chbs + CXL_COMP_CM_OFFSET, CXL_COMP_CM_SIZE);
	if (!cm)
		return -ENOMEM;
	ret = cxlemu_cm_find_cap(vcxl_mmio_read32, (void __force *)cm,
				 CXL_COMP_CM_SIZE, CXL_CM_CAP_ID_HDM, &off, NULL,
				 NULL);
	iounmap(cm);
	/* A malformed array is an error, not "no decoders". */
	if (ret == -ENODEV)
		return 0;
	return ret ? ret : 1;
}

static int vcxl_self_commit(struct vcxl_device *cd)
{
	struct pci_dev *pdev = cd->core.pdev, *rp, *d;
	struct vcxl_window w;
	void __iomem *dec;
	unsigned int nrp = 0;
	bool cache;
	u16 cap, ctrl16;
	u32 uid, ctrl;
	u64 size;
	int ret, i;

	rp = pci_upstream_bridge(pdev);
	if (!rp || pci_pcie_type(rp) != PCI_EXP_TYPE_ROOT_PORT)
		return -EOPNOTSUPP;
	list_for_each_entry(d, &rp->bus->devices, bus_list)
		if (pci_is_pcie(d) && pci_pcie_type(d) == PCI_EXP_TYPE_ROOT_PORT)
			nrp++;
	if (nrp != 1) {
		pci_err(pdev, "not committing decoder 0: the host bridge has %u root ports\n",
			nrp);
		return -EOPNOTSUPP;
	}
	ret = vcxl_hb_uid(pdev, &uid);
	if (ret)
		return ret;
	pci_read_config_word(pdev, cd->dvsec + CXL_DVSEC_CAP, &cap);
	cache = cap & CXL_DVSEC_CAP_CACHE;
	ret = vcxl_find_window(uid, cache ? ACPI_CEDT_CFMWS_RESTRICT_TYPE2 :
				    ACPI_CEDT_CFMWS_RESTRICT_TYPE3, &w);
	if (ret) {
		pci_err(pdev, "not committing decoder 0: no CEDT window for host bridge %u alone\n",
			uid);
		return ret;
	}
	ret = vcxl_hb_has_hdm(&w);
	if (ret < 0) {
		pci_err(pdev, "not committing decoder 0: host bridge %u component registers unreadable: %pe\n",
			uid, ERR_PTR(ret));
		return ret;
	}
	if (ret) {
		pci_err(pdev, "not committing decoder 0: host bridge %u has HDM decoders\n",
			uid);
		return -EOPNOTSUPP;
	}
	size = min(cd->dev_mem_size, w.size) & ~(CXL_HDM_DEC_ALIGN - 1);
	if (!size || !IS_ALIGNED(w.base, CXL_HDM_DEC_ALIGN))
		return -EINVAL;

	dec = vcxl_dec(cd, 0);
	writel(readl(vcxl_hdm(cd) + CXL_HDM_GCTRL) | CXL_HDM_GCTRL_ENABLE,
	       vcxl_hdm(cd) + CXL_HDM_GCTRL);
	vcxl_write_lohi(w.base, dec + CXL_HDM_DEC_BASE_LO);
	vcxl_write_lohi(size, dec + CXL_HDM_DEC_SIZE_LO);
	vcxl_write_lohi(0, dec + CXL_HDM_DEC_SKIP_LO);
	writel(FIELD_PREP(CXL_HDM_DEC_CTRL_TARGET_TYPE,
			  cache ? CXL_HDM_DEC_TARGET_DEV_COHERENT :
				  CXL_HDM_DEC_TARGET_HOST_ONLY) |
	       CXL_HDM_DEC_CTRL_COMMIT, dec + CXL_HDM_DEC_CTRL);
	for (i = 0; i < VCXL_COMMIT_TIMEOUT_MS * 10; i++) {
		ctrl = readl(dec + CXL_HDM_DEC_CTRL);
		if (ctrl & (CXL_HDM_DEC_CTRL_COMMITTED |
			    CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED))
			break;
		usleep_range(100, 200);
	}
	if (!(ctrl & CXL_HDM_DEC_CTRL_COMMITTED)) {
		pci_err(pdev, "committing decoder 0 failed (control %#x)\n", ctrl);
		writel(0, dec + CXL_HDM_DEC_CTRL);
		return -EIO;
	}
	/* CXL.mem on, as firmware would have left it (CXL r3.1 8.1.3.2). */
	pci_read_config_word(pdev, cd->dvsec + CXL_DVSEC_CTRL, &ctrl16);
	pci_write_config_word(pdev, cd->dvsec + CXL_DVSEC_CTRL,
			      ctrl16 | CXL_DVSEC_CTRL_MEM_EN);
	cd->self_committed = true;
	pci_info(pdev, "committed decoder 0 at %#llx+%#llx (window of host bridge %u)\n",
		 w.base, size, uid);
	return 0;
}

/**
 * vcxl_acquire() - take the HPA range of the firmware-committed decoder 0
 * @cd: device
 *
 * Snapshots decoder 0, reserves its HPA range and maps it write-back.
 * Nothing is held on failure; the reason is kept for open() and sysfs.
 *
 * Return: 0 or a negative errno.
 */
int vcxl_acquire(struct vcxl_device *cd)
{
	struct pci_dev *pdev = cd->core.pdev;
	struct vcxl_host_dec d = {};
	u16 cmd;
	int ret;

	if (cd->acquired)
		return 0;

	cmd = vcxl_mmio_on(pdev);
	if (READ_ONCE(commit_uncommitted) &&
	    !(readl(vcxl_dec(cd, 0) + CXL_HDM_DEC_CTRL) & CXL_HDM_DEC_CTRL_COMMITTED))
		vcxl_self_commit(cd);
	ret = vcxl_snapshot(cd, &d);
	vcxl_mmio_off(pdev, cmd);
	if (!ret)
		ret = vcxl_check_window(cd, &d);
	if (ret)
		return ret;

	cd->hpa_res = request_mem_region(d.base, d.size, "vfio-cxl");
	if (!cd->hpa_res) {
		pci_err(pdev, "refused: HPA range %#llx-%#llx is in use\n",
			d.base, d.base + d.size - 1);
		return vcxl_refuse(cd, -EBUSY, "HPA range in use");
	}
	/* CXL.mem is coherent memory: map it write-back (records WB in PAT). */
	cd->dpa_va = memremap(d.base, d.size, MEMREMAP_WB);
	if (!cd->dpa_va) {
		release_mem_region(d.base, d.size);
		cd->hpa_res = NULL;
		return vcxl_refuse(cd, -ENOMEM, "cannot map the HPA range");
	}
	cd->host = d;
	/* Firmware may have used it: a flush is due before the first reset. */
	atomic_set(&cd->touched, 1);
	cd->acquired = true;
	cd->dpa_ok = true;
	cd->refuse_err = 0;
	cd->refuse_why = NULL;
	pci_info(pdev, "HPA %#llx-%#llx (decoder 0, %s)\n", d.base,
		 d.base + d.size - 1,
		 d.ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT ? "locked" : "unlocked");
	return 0;
}

/**
 * vcxl_flush_hpa() - write back and drop the host's cache lines of the HPA
 * @cd: device
 *
 * The range is mapped write-back, so the host's caches may hold lines of
 * it, dirty ones from the user's writes. Before anything that clears the
 * device's decoder (a reset, D3hot, uncommitting it) dirty lines must reach
 * the device while it still decodes them, and clean ones must go, or they
 * would be read instead of what the device holds after. The Linux CXL
 * core does the same around decoder changes (cxl_region_invalidate_
 * memregion()).
 *
 * On x86 this is WBINVD on every CPU, which a user must not be able to
 * trigger at will: it runs only when the decoder is really about to go
 * away, and only when the range was used since the last flush (@touched).
 * Call it after the user's mappings are zapped and faults and read()/
 * write() are refused, so that nothing dirties a line after it.
 */
void vcxl_flush_hpa(struct vcxl_device *cd)
{
	if (!cd->acquired || !atomic_xchg(&cd->touched, 0))
		return;
	if (!cpu_cache_has_invalidate_memregion()) {
		pci_warn_once(cd->core.pdev,
			      "cannot write back the CPU caches before a reset (running under a hypervisor?)\n");
		return;
	}
	cpu_cache_invalidate_memregion(IORES_DESC_CXL);
}

void vcxl_release(struct vcxl_device *cd)
{
	u16 cmd;

	if (!cd->acquired)
		return;
	/* Leave the decoder as we found it: uncommitted. */
	if (cd->self_committed) {
		vcxl_flush_hpa(cd);
		cmd = vcxl_mmio_on(cd->core.pdev);
		writel(cd->host.ctrl & ~CXL_HDM_DEC_CTRL_COMMIT,
		       vcxl_dec(cd, 0) + CXL_HDM_DEC_CTRL);
		vcxl_mmio_off(cd->core.pdev, cmd);
		cd->self_committed = false;
	}
	memunmap(cd->dpa_va);
	release_mem_region(cd->host.base, cd->host.size);
	cd->dpa_va = NULL;
	cd->hpa_res = NULL;
	cd->acquired = false;
	cd->dpa_ok = false;
}

static bool vcxl_host_intact(struct vcxl_device *cd)
{
	u32 ctrl = readl(vcxl_dec(cd, 0) + CXL_HDM_DEC_CTRL);

	return (ctrl & CXL_HDM_DEC_CTRL_COMMITTED) &&
	       (readl(vcxl_hdm(cd) + CXL_HDM_GCTRL) & CXL_HDM_GCTRL_ENABLE) &&
	       vcxl_read_lohi(vcxl_dec(cd, 0) + CXL_HDM_DEC_BASE_LO) == cd->host.base &&
	       vcxl_read_lohi(vcxl_dec(cd, 0) + CXL_HDM_DEC_SIZE_LO) == cd->host.size;
}

/**
 * vcxl_host_kept() - is the host decoder 0 still committed at its range?
 * @cd: device, awake
 *
 * Right after a reset: a conventional reset clears HDM decoders (CXL r3.1
 * 8.2.4.20.7), an FLR leaves them (9.5). The PCI core does not say which
 * method it used; the decoder does.
 */
bool vcxl_host_kept(struct vcxl_device *cd)
{
	u16 cmd;
	bool kept;

	if (!cd->acquired)
		return false;
	cmd = vcxl_mmio_on(cd->core.pdev);
	kept = vcxl_host_intact(cd);
	vcxl_mmio_off(cd->core.pdev, cmd);
	return kept;
}

/*
 * A conventional reset (and a CXL Reset) clears DVSEC Control, Mem_Enable
 * with it, and CONFIG_LOCK (CXL r3.1 8.1.3.2, 8.1.3.6): put back what
 * firmware left, Control first (CONFIG_LOCK freezes it).
 */
static int vcxl_dvsec_restore(struct vcxl_device *cd)
{
	struct pci_dev *pdev = cd->core.pdev;
	u16 ctrl, lock;

	pci_read_config_word(pdev, cd->dvsec + CXL_DVSEC_CTRL, &ctrl);
	if (!(ctrl & CXL_DVSEC_CTRL_MEM_EN)) {
		pci_write_config_word(pdev, cd->dvsec + CXL_DVSEC_CTRL,
				      cd->host.dvsec_ctrl);
		pci_read_config_word(pdev, cd->dvsec + CXL_DVSEC_CTRL, &ctrl);
		if (!(ctrl & CXL_DVSEC_CTRL_MEM_EN)) {
			pci_err(pdev, "cannot set DVSEC Mem_Enable again (Control %#x)\n",
				ctrl);
			return -EIO;
		}
	}
	pci_read_config_word(pdev, cd->dvsec + CXL_DVSEC_LOCK, &lock);
	if (cd->host.dvsec_locked && !(lock & CXL_DVSEC_LOCK_CONFIG_LOCK))
		pci_write_config_word(pdev, cd->dvsec + CXL_DVSEC_LOCK,
				      lock | CXL_DVSEC_LOCK_CONFIG_LOCK);
	return 0;
}

/**
 * vcxl_host_restore() - put the host decoder back as firmware left it
 * @cd: device
 *
 * A no-op when the decoder is still committed with the snapshot's range.
 * Otherwise programs it as CXL r3.1 8.2.4.20.12 describes (registers first,
 * then COMMIT) and waits for COMMITTED.
 *
 * Return: 0, -ETIMEDOUT or -EIO (ERROR_NOT_COMMITTED).
 */
int vcxl_host_restore(struct vcxl_device *cd)
{
	struct pci_dev *pdev = cd->core.pdev;
	void __iomem *dec;
	unsigned long end;
	u32 ctrl = 0;
	int ret = 0;
	u16 cmd;

	if (!cd->acquired)
		return -ENXIO;

	cmd = vcxl_mmio_on(pdev);
	if (vcxl_host_intact(cd))
		goto dvsec;

	dec = vcxl_dec(cd, 0);
	writel(cd->host.gctrl, vcxl_hdm(cd) + CXL_HDM_GCTRL);
	vcxl_write_lohi(cd->host.base, dec + CXL_HDM_DEC_BASE_LO);
	vcxl_write_lohi(cd->host.size, dec + CXL_HDM_DEC_SIZE_LO);
	vcxl_write_lohi(cd->host.skip, dec + CXL_HDM_DEC_SKIP_LO);
	writel(cd->host.ctrl | CXL_HDM_DEC_CTRL_COMMIT, dec + CXL_HDM_DEC_CTRL);

	end = jiffies + msecs_to_jiffies(VCXL_COMMIT_TIMEOUT_MS);
	for (;;) {
		ctrl = readl(dec + CXL_HDM_DEC_CTRL);
		if (ctrl & (CXL_HDM_DEC_CTRL_COMMITTED |
			    CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED))
			break;
		if (time_after(jiffies, end))
			break;
		usleep_range(50, 100);
	}
	if (ctrl & CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED)
		ret = -EIO;
	else if (!(ctrl & CXL_HDM_DEC_CTRL_COMMITTED))
		ret = -ETIMEDOUT;
	else if (!vcxl_host_intact(cd))
		ret = -EIO;
dvsec:
	if (!ret)
		ret = vcxl_dvsec_restore(cd);
	vcxl_mmio_off(pdev, cmd);
	if (ret)
		pci_err(pdev, "cannot restore host decoder 0 (control %#x): %pe\n",
			ctrl, ERR_PTR(ret));
	return ret;
}

static int vcxl_hdm_commit(void *priv, unsigned int idx, u64 base, u64 size,
			   bool lock)
{
	struct vcxl_device *cd = priv;
	struct cxlemu_hdm *h = &cd->emu_comp.hdm;
	struct vcxl_guest_dec *g = &cd->guest_dec;

	/*
	 * The guest-visible decoders hold guest addresses; the real decoder
	 * keeps the host range. Nothing to program here.
	 */
	pci_dbg(cd->core.pdev, "guest decoder %u committed: %#llx+%#llx%s\n",
		idx, base, size, lock ? " locked" : "");
	/*
	 * The first decoder 0 locked after open is the VMM's, at machine
	 * ready (the guest runs later): remember it, as firmware remembers
	 * what it commits at boot. Called under emu_lock, with the decoder's
	 * registers as written (only the COMMITTED latch is still to come).
	 */
	if (idx == 0 && lock && !cd->self_committed && !g->valid) {
		g->gctrl = h->global_ctrl;
		g->base = base;
		g->size = size;
		g->ctrl = h->dec[0].ctrl & ~(CXL_HDM_DEC_CTRL_COMMITTED |
					     CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED);
		g->skip = h->dec[0].tl_or_skip;
		g->valid = true;
	}
	return 0;
}

static const struct cxlemu_hdm_ops vcxl_hdm_ops = {
	.commit = vcxl_hdm_commit,
};

static int vcxl_dvsec_cxl_reset(void *priv)
{
	struct vcxl_device *cd = priv;

	/*
	 * Called under emu_lock from a config write: the reset takes
	 * memory_lock, which the VFIO reset path holds before emu_lock, so
	 * it runs once the config write has dropped emu_lock.
	 */
	cd->cxl_reset_req = true;
	/* Control2 holds the guest's write already, doorbell aside. */
	cd->cxl_reset_mem_clr = get_unaligned_le16(cd->emu_dvsec.regs + CXL_DVSEC_CTRL2) &
				CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN;
	return 0;
}

/*
 * The guest's Initiate Cache WBI (CXL r3.1 8.1.3.4, 9.6): the device's own
 * cache holds lines of the guest's memory, so the doorbell goes to the
 * device (vcxl_dev_cache_wbi()). An error leaves the emulated
 * Cache_Invalid clear: the guest sees the WBI never end. Sleeps; called
 * under emu_lock (a mutex) from a config write.
 */
static int vcxl_dvsec_cache_wbi(void *priv)
{
	struct vcxl_device *cd = priv;

	if (!vcxl_has_cache_wbi(cd))
		return 0;	/* no device cache: nothing to write back */
	return vcxl_dev_cache_wbi(cd, "for the guest");
}

static void vcxl_dvsec_mem_enable(void *priv, bool on)
{
	struct vcxl_device *cd = priv;

	WRITE_ONCE(cd->mem_enabled, on);
}

static const struct cxlemu_dvsec_ops vcxl_dvsec_ops = {
	.cxl_reset = vcxl_dvsec_cxl_reset,
	.cache_wbi = vcxl_dvsec_cache_wbi,
	.mem_enable = vcxl_dvsec_mem_enable,
};

/**
 * vcxl_emu_setup() - (re)build the emulated COMP_REGS and DVSEC
 * @cd: device with its host decoder acquired
 *
 * Guest decoder 0 resets to base 0, the device's size, unlocked, so a VMM
 * can program the guest address and commit it.
 *
 * Return: 0 or a negative errno.
 */
int vcxl_emu_setup(struct vcxl_device *cd)
{
	struct pci_dev *pdev = cd->core.pdev;
	u8 dv[CXLEMU_DVSEC_MAX_LEN] = {};
	u32 *area;
	unsigned int i;
	int ret;

	area = kmalloc_array(VCXL_CM_DWORDS, sizeof(*area), GFP_KERNEL);
	if (!area)
		return -ENOMEM;
	vcxl_read_cm_area(cd, area);

	mutex_lock(&cd->emu_lock);
	ret = cxlemu_comp_init(&cd->emu_comp, area, VCXL_CM_DWORDS,
			       cd->host.size, &vcxl_hdm_ops, cd);
	if (ret)
		goto out;
	ret = cxlemu_hdm_set_reset_value(&cd->emu_comp.hdm, 0, 0, cd->host.size);
	if (ret)
		goto out;
	cxlemu_hdm_reset(&cd->emu_comp.hdm);

	for (i = 0; i < cd->dvsec_len; i += 4) {
		u32 v;

		pci_read_config_dword(pdev, cd->dvsec + i, &v);
		put_unaligned_le32(v, dv + i);
	}
	/*
	 * A conventional reset clears at least what a CXL reset does (CXL
	 * r3.1 9.7), and the host decoder is restored after either, so a
	 * device without CXL Reset may offer it on request.
	 */
	if (emulate_cxl_reset)
		put_unaligned_le16(get_unaligned_le16(dv + CXL_DVSEC_CAP) |
				   CXL_DVSEC_CAP_CXL_RESET, dv + CXL_DVSEC_CAP);
	ret = cxlemu_dvsec_init(&cd->emu_dvsec, dv, cd->dvsec_len,
				&vcxl_dvsec_ops, cd);
	if (ret)
		goto out;
	cd->mem_enabled = cxlemu_dvsec_mem_enabled(&cd->emu_dvsec);
out:
	mutex_unlock(&cd->emu_lock);
	kfree(area);
	if (ret)
		pci_err(pdev, "CXL register emulation setup failed: %pe\n",
			ERR_PTR(ret));
	return ret;
}

/**
 * vcxl_emu_reset_failed() - a CXL reset the user asked for did not happen
 * @cd: device
 *
 * The emulation reported Reset Complete when the doorbell rang (the reset
 * runs after emu_lock drops); report CXL Reset Error instead (CXL r3.1
 * 8.1.3.7).
 */
void vcxl_emu_reset_failed(struct vcxl_device *cd)
{
	u8 *s2 = cd->emu_dvsec.regs + CXL_DVSEC_STATUS2;

	mutex_lock(&cd->emu_lock);
	put_unaligned_le16((get_unaligned_le16(s2) &
			    ~(u16)CXL_DVSEC_STATUS2_RESET_COMPLETE) |
			   CXL_DVSEC_STATUS2_RESET_ERROR, s2);
	mutex_unlock(&cd->emu_lock);
}

/**
 * vcxl_guest_dec_forget() - a new user: no guest decoder to restore
 * @cd: device
 */
void vcxl_guest_dec_forget(struct vcxl_device *cd)
{
	mutex_lock(&cd->emu_lock);
	cd->guest_dec.valid = false;
	mutex_unlock(&cd->emu_lock);
}

/**
 * vcxl_guest_dec_restore() - commit the remembered guest decoder 0 again
 * @cd: device, after a reset the guest did not cause
 *
 * A VMM written for the seeds' series programs decoder 0 once, at machine
 * ready, and has no reset handler; the reset that follows (QEMU's
 * qemu_system_reset() sends VFIO_DEVICE_RESET) would leave its guest with
 * no decoder. Platform firmware commits a firmware-locked decoder again
 * after a reset; do the same with the guest decoder the VMM locked: replay
 * its registers through the emulation's own write path (the same checks
 * as any commit), when the reset cleared it and the switch is on.
 */
void vcxl_guest_dec_restore(struct vcxl_device *cd)
{
	struct cxlemu_hdm *h = &cd->emu_comp.hdm;
	const struct vcxl_guest_dec *g = &cd->guest_dec;
	u32 dec = CXL_HDM_DEC_OFF(0);
	bool ok;

	mutex_lock(&cd->emu_lock);
	if (!g->valid || !READ_ONCE(cd->restore_guest_dec) ||
	    cxlemu_hdm_committed(h, 0)) {
		mutex_unlock(&cd->emu_lock);
		return;
	}
	cxlemu_hdm_write(h, CXL_HDM_GCTRL, 4, g->gctrl);
	cxlemu_hdm_write(h, dec + CXL_HDM_DEC_BASE_LO, 8, g->base);
	cxlemu_hdm_write(h, dec + CXL_HDM_DEC_SIZE_LO, 8, g->size);
	cxlemu_hdm_write(h, dec + CXL_HDM_DEC_TL_LO, 4, (u32)g->skip);
	cxlemu_hdm_write(h, dec + CXL_HDM_DEC_TL_HI, 4, (u32)(g->skip >> 32));
	cxlemu_hdm_write(h, dec + CXL_HDM_DEC_CTRL, 4, g->ctrl);
	ok = cxlemu_hdm_committed(h, 0) && cxlemu_hdm_locked(h, 0);
	mutex_unlock(&cd->emu_lock);
	if (ok)
		pci_dbg(cd->core.pdev, "guest decoder 0 committed and locked again at %#llx\n",
			g->base);
	else
		dev_warn_ratelimited(&cd->core.pdev->dev,
				     "cannot commit guest decoder 0 again at %#llx after the reset\n",
				     g->base);
}

/**
 * vcxl_emu_reset() - the emulated registers go through a reset of @kind
 * @cd: device
 * @kind: conventional, FLR or CXL reset
 *
 * Takes emu_lock: never called with it held (a guest CXL reset request is
 * carried out after the config write drops it).
 */
void vcxl_emu_reset(struct vcxl_device *cd, enum cxlemu_reset_kind kind)
{
	mutex_lock(&cd->emu_lock);
	/* CXL r3.1 8.2.4.20.7: decoders return to their reset values. */
	if (kind != CXLEMU_RESET_FLR)
		cxlemu_hdm_reset(&cd->emu_comp.hdm);
	cxlemu_dvsec_reset(&cd->emu_dvsec, kind);
	cd->mem_enabled = cxlemu_dvsec_mem_enabled(&cd->emu_dvsec);
	mutex_unlock(&cd->emu_lock);
}
