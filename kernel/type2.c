// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-cxl: what makes a device Type-2, carried out on the device.
 *
 * - The device cache (CXL.cache): written back with Cache WBI (CXL r3.1
 *   8.1.3.4, 9.6) when the guest asks through the emulated DVSEC, and
 *   before every reset of a cache-capable device, so that no dirty line of
 *   the guest's memory is lost (CXL r3.1 9.7: software writes the cache
 *   back before a CXL Reset; a conventional reset loses it as well).
 * - CXL Reset (CXL r3.1 9.7): a guest's Initiate CXL Reset on a device
 *   that is CXL Reset capable is a real one, with the Mem Clr the guest
 *   asked for and the timeout the device advertises.
 * - Memory_Active (CXL r3.1 8.1.3.8.2): device memory is served only once
 *   the device says it is active, after bind and after every reset; a
 *   touch before gets SIGBUS or EIO, never a host access to memory that is
 *   not there (on a real GPU, a first touch too early hung the host).
 * - Which reset the PCI core really did: an FLR leaves CXL.cache and
 *   CXL.mem state (cache, device memory, HDM decoders, DVSEC) alone (CXL
 *   r3.1 9.5); a conventional reset clears it. The emulated registers
 *   follow what the device's own decoder shows.
 */
#include <linux/delay.h>
#include <linux/iopoll.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>

#include "vfio_cxl_priv.h"

static bool reset_cache_wbi = true;
module_param(reset_cache_wbi, bool, 0644);
MODULE_PARM_DESC(reset_cache_wbi,
		 "Write the device cache back (Cache WBI) before every reset of a cache-capable device (default on; off only to show in a test what a reset then loses)");

static int mem_active_wait_ms = -1;
module_param(mem_active_wait_ms, int, 0644);
MODULE_PARM_DESC(mem_active_wait_ms,
		 "How long a reset waits for the device's Memory_Active before it returns (-1, the default: the device's Memory_Active_Timeout; 0: do not wait). Device memory is refused (SIGBUS, EIO) until Memory_Active, whatever this is");

/* How long the device may take to write its cache back (CXL r3.1 sets no bound). */
#define VCXL_WBI_TIMEOUT_MS	1000

static u16 vcxl_cfg16(struct vcxl_device *cd, u16 reg)
{
	u16 v = 0xffff;

	pci_read_config_word(cd->core.pdev, cd->dvsec + reg, &v);
	return v;
}

static void vcxl_cfg16_write(struct vcxl_device *cd, u16 reg, u16 v)
{
	pci_write_config_word(cd->core.pdev, cd->dvsec + reg, v);
}

bool vcxl_has_cache_wbi(struct vcxl_device *cd)
{
	return (cd->dvsec_cap & CXL_DVSEC_CAP_CACHE) &&
	       (cd->dvsec_cap & CXL_DVSEC_CAP_CACHE_WBI);
}

/**
 * vcxl_dev_cache_wbi() - write the device cache back and invalidate it
 * @cd: device with a cache and Cache WBI
 * @why: for the log
 *
 * CXL r3.1 9.6: Disable Caching, Initiate Cache WBI, wait for
 * Cache_Invalid; then Control2 as it was (the guest's Disable Caching is
 * emulated and never reaches the device). Sleeps.
 *
 * Return: 0, or -ETIMEDOUT when Cache_Invalid did not come.
 */
int vcxl_dev_cache_wbi(struct vcxl_device *cd, const char *why)
{
	u16 ctrl2, st2;
	int ret;

	ctrl2 = vcxl_cfg16(cd, CXL_DVSEC_CTRL2) &
		~(CXL_DVSEC_CTRL2_INIT_CACHE_WBI | CXL_DVSEC_CTRL2_INIT_CXL_RESET);
	vcxl_cfg16_write(cd, CXL_DVSEC_CTRL2, ctrl2 | CXL_DVSEC_CTRL2_DISABLE_CACHING);
	vcxl_cfg16_write(cd, CXL_DVSEC_CTRL2, ctrl2 | CXL_DVSEC_CTRL2_DISABLE_CACHING |
			 CXL_DVSEC_CTRL2_INIT_CACHE_WBI);
	ret = read_poll_timeout(vcxl_cfg16, st2,
				st2 != 0xffff && (st2 & CXL_DVSEC_STATUS2_CACHE_INVALID),
				USEC_PER_MSEC, VCXL_WBI_TIMEOUT_MS * USEC_PER_MSEC,
				false, cd, CXL_DVSEC_STATUS2);
	vcxl_cfg16_write(cd, CXL_DVSEC_CTRL2, ctrl2);
	if (ret)
		pci_err(cd->core.pdev, "Cache WBI %s: the device did not set Cache_Invalid within %u ms (Status2 %#x): dirty lines may be lost\n",
			why, VCXL_WBI_TIMEOUT_MS, st2);
	return ret;
}

/**
 * vcxl_reset_cache_wbi() - before a reset: the device cache to memory
 * @cd: device
 *
 * A no-op for a device without a cache (or without Cache WBI), for one not
 * in D0 (nothing cached survives D3hot), and with reset_cache_wbi off.
 */
void vcxl_reset_cache_wbi(struct vcxl_device *cd)
{
	if (!vcxl_has_cache_wbi(cd) || !READ_ONCE(reset_cache_wbi) ||
	    cd->core.pdev->current_state != PCI_D0)
		return;
	vcxl_dev_cache_wbi(cd, "before a reset");
}

/* ---- Memory_Active -------------------------------------------------------- */

/* Memory_Active_Timeout of Range 1 (CXL r3.1 8.1.3.8.2), in ms. */
static unsigned int vcxl_mem_active_timeout_ms(u32 size_lo)
{
	static const unsigned int ms[] = { 1000, 4000, 16000, 64000, 256000 };
	u32 enc = FIELD_GET(CXL_DVSEC_RANGE_SIZE_LO_ACT_TIMEOUT, size_lo);

	return enc < ARRAY_SIZE(ms) ? ms[enc] : ms[ARRAY_SIZE(ms) - 1];
}

static u32 vcxl_range1_lo(struct vcxl_device *cd)
{
	u32 v = ~0u;

	pci_read_config_dword(cd->core.pdev,
			      cd->dvsec + CXL_DVSEC_RANGE_SIZE_LO(0), &v);
	return v;
}

/* Memory_Info_Valid and Memory_Active both set (a device with no range: yes). */
static bool vcxl_active(u32 lo)
{
	u32 m = CXL_DVSEC_RANGE_SIZE_LO_VALID | CXL_DVSEC_RANGE_SIZE_LO_ACTIVE;

	return lo != ~0u && (lo & m) == m;
}

bool vcxl_mem_active_now(struct vcxl_device *cd)
{
	if (!FIELD_GET(CXL_DVSEC_CAP_HDM_COUNT, cd->dvsec_cap))
		return true;
	return vcxl_active(vcxl_range1_lo(cd));
}

/**
 * vcxl_mem_active_wait() - after bind or a reset: wait for Memory_Active
 * @cd: device
 * @why: for the log
 *
 * Waits up to the device's Memory_Active_Timeout, or mem_active_wait_ms.
 * Device memory is served only once Memory_Active is set: while it is not,
 * vcxl_dpa_lock() looks again at each access and refuses it.
 *
 * Return: true when the memory is active.
 */
bool vcxl_mem_active_wait(struct vcxl_device *cd, const char *why)
{
	int param = READ_ONCE(mem_active_wait_ms);
	unsigned int tmo, wait;
	u32 lo;

	if (!FIELD_GET(CXL_DVSEC_CAP_HDM_COUNT, cd->dvsec_cap))
		return true;
	lo = vcxl_range1_lo(cd);
	tmo = vcxl_mem_active_timeout_ms(lo);
	wait = param < 0 ? tmo : min_t(unsigned int, param, tmo);
	if (!vcxl_active(lo) && wait)
		read_poll_timeout(vcxl_range1_lo, lo, vcxl_active(lo),
				  10 * USEC_PER_MSEC, wait * USEC_PER_MSEC,
				  false, cd);
	cd->mem_active_deadline = jiffies + msecs_to_jiffies(tmo);
	cd->mem_inactive_logged = false;
	if (vcxl_active(lo))
		return true;
	pci_info(cd->core.pdev, "device memory not active %u ms %s (range 1 size low %#x): refused until the device sets Memory_Active\n",
		 wait, why, lo);
	return false;
}

/**
 * vcxl_mem_active_recheck() - device memory still inactive: look again
 * @cd: device, dpa_lock held for write
 *
 * Return: true once Memory_Active is set.
 */
bool vcxl_mem_active_recheck(struct vcxl_device *cd)
{
	if (vcxl_mem_active_now(cd)) {
		pci_info(cd->core.pdev, "device memory active\n");
		return true;
	}
	if (!cd->mem_inactive_logged &&
	    time_after(jiffies, cd->mem_active_deadline)) {
		cd->mem_inactive_logged = true;
		pci_err(cd->core.pdev, "device memory not active within its Memory_Active_Timeout: refused until it is\n");
	}
	return false;
}

/* ---- CXL Reset ---------------------------------------------------------------- */

/* CXL Reset Timeout (CXL r3.1 8.1.3.1), in ms. */
static unsigned int vcxl_cxl_reset_timeout_ms(u16 cap)
{
	static const unsigned int ms[] = { 10, 100, 1000, 10000, 100000 };
	u16 enc = FIELD_GET(CXL_DVSEC_CAP_CXL_RESET_TIMEOUT, cap);

	return enc < ARRAY_SIZE(ms) ? ms[enc] : ms[ARRAY_SIZE(ms) - 1];
}

bool vcxl_has_cxl_reset(struct vcxl_device *cd)
{
	return cd->dvsec_cap & CXL_DVSEC_CAP_CXL_RESET;
}

/**
 * vcxl_cxl_reset() - a real CXL Reset of the device
 * @cd: device with CXL Reset capability, awake, memory_lock held for write
 *	and the device lock held
 * @mem_clr: ask the device to clear its memory (when it can)
 *
 * CXL r3.1 9.7: the device cache written back first, then Mem Clr Enable
 * as asked, Initiate CXL Reset, and Reset Complete or Reset Error within
 * the advertised timeout. CXL.io is not reset (config space and BARs stay);
 * CXL.mem is: decoders and DVSEC Control come back cleared, so the host
 * decoder is restored after, and the memory waited for.
 *
 * Return: 0, -ETIMEDOUT, -EIO (Reset Error) or the restore's error.
 */
int vcxl_cxl_reset(struct vcxl_device *cd, bool mem_clr)
{
	struct pci_dev *pdev = cd->core.pdev;
	unsigned int tmo = vcxl_cxl_reset_timeout_ms(cd->dvsec_cap);
	u16 ctrl2, st2;
	int ret, rret;

	if (!(cd->dvsec_cap & CXL_DVSEC_CAP_CXL_RESET_MEM_CLR))
		mem_clr = false;
	vcxl_reset_prepare_dpa(cd);
	ctrl2 = vcxl_cfg16(cd, CXL_DVSEC_CTRL2) &
		~(CXL_DVSEC_CTRL2_INIT_CACHE_WBI | CXL_DVSEC_CTRL2_INIT_CXL_RESET |
		  CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN);
	if (mem_clr)
		ctrl2 |= CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN;
	vcxl_cfg16_write(cd, CXL_DVSEC_CTRL2, ctrl2);
	vcxl_cfg16_write(cd, CXL_DVSEC_CTRL2, ctrl2 | CXL_DVSEC_CTRL2_INIT_CXL_RESET);
	ret = read_poll_timeout(vcxl_cfg16, st2, st2 != 0xffff &&
				(st2 & (CXL_DVSEC_STATUS2_RESET_COMPLETE |
					CXL_DVSEC_STATUS2_RESET_ERROR)),
				USEC_PER_MSEC, tmo * USEC_PER_MSEC, false, cd,
				CXL_DVSEC_STATUS2);
	vcxl_cfg16_write(cd, CXL_DVSEC_CTRL2, ctrl2 & ~CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN);
	if (ret)
		pci_err(pdev, "CXL Reset: neither Reset Complete nor Reset Error within %u ms (Status2 %#x)\n",
			tmo, st2);
	else if (st2 & CXL_DVSEC_STATUS2_RESET_ERROR)
		ret = -EIO;
	if (ret == -EIO)
		pci_err(pdev, "CXL Reset: the device reports CXL Reset Error (Status2 %#x)\n",
			st2);
	/* Whatever the device did, the host decoder is put back. */
	rret = vcxl_reset_finish(cd, CXLEMU_RESET_CXL, false);
	pci_dbg(pdev, "CXL Reset%s done: %pe\n", mem_clr ? " with Mem Clr" : "",
		ERR_PTR(ret ?: rret));
	return ret ?: rret;
}
