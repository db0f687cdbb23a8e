/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio-cxl: private state of the vfio-pci-cxl variant driver.
 */
#ifndef _VFIO_CXL_PRIV_H
#define _VFIO_CXL_PRIV_H

#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/sched.h>
#include <linux/vfio_pci_core.h>

#include "cxlemu.h"

/* CXL DVSECs a device may carry besides the Device DVSEC (CXL r3.1 8.1). */
#define VCXL_MAX_RO_DVSEC	8

/**
 * struct vcxl_host_dec - the host's endpoint decoder 0, as firmware left it
 * @gctrl: HDM Decoder Global Control
 * @base: HPA base
 * @size: bytes decoded
 * @ctrl: decoder control, COMMITTED and ERROR bits cleared
 * @skip: DPA skip
 * @dvsec_ctrl: the CXL Device DVSEC Control (Mem_Enable set)
 * @dvsec_locked: the DVSEC's CONFIG_LOCK was set
 */
struct vcxl_host_dec {
	u32 gctrl;
	u64 base;
	u64 size;
	u32 ctrl;
	u64 skip;
	u16 dvsec_ctrl;
	bool dvsec_locked;
};

/**
 * struct vcxl_guest_dec - guest decoder 0 as the VMM committed it with Lock
 *	On Commit, for vcxl_guest_dec_restore()
 * @valid: the fields below hold a committed, locked decoder 0
 * @gctrl: HDM Decoder Global Control (guest view)
 * @base: guest base
 * @size: size
 * @ctrl: control as written (Commit and Lock On Commit set)
 * @skip: DPA skip
 */
struct vcxl_guest_dec {
	bool valid;
	u32 gctrl;
	u64 base;
	u64 size;
	u32 ctrl;
	u64 skip;
};

/**
 * struct vcxl_device - one device bound to vfio-pci-cxl
 * @core: vfio-pci-core state; must stay first (container_of)
 * @cxl: the CXL layer is on for this device
 * @dvsec: config offset of the CXL Device DVSEC
 * @dvsec_len: its length
 * @dvsec_cap: its CXL Capability register (the device's, not the emulated)
 * @comp_bar: BAR holding the component register block
 * @comp_off: offset of the block in that BAR
 * @comp: the block, mapped (64 KiB)
 * @hdm_off: offset of the HDM capability from the CXL.cache/mem area
 * @hdm_cap: the device's HDM Decoder Capability register
 * @ndec: decoders the device has
 * @dev_mem_size: device memory from the DVSEC ranges
 * @ro_dvsec: the device's other CXL DVSECs (config offset, length), which
 *	the user may read but not write
 * @n_ro_dvsec: entries in @ro_dvsec
 * @acquired: @host is valid and @hpa_res, @dpa_va are held
 * @self_committed: this driver committed decoder 0, not firmware
 * @refuse_err: why the device cannot be opened (0 when it can)
 * @refuse_why: the reason, for the log and sysfs
 * @host: snapshot of the host decoder
 * @hpa_res: the HPA range, reserved
 * @dpa_va: the HPA range, mapped write-back, for read()/write()
 * @dpa_lock: orders faults against the reset paths (after memory_lock)
 * @dpa_ok: host decoder valid and no reset in progress; faults allowed
 * @pm_suspect: the device went to D3hot or low power since the host decoder
 *	was last checked; a return to D0 may have reset it (No_Soft_Reset 0)
 * @d3_pending: PM Control writes to D3hot in progress; memory counts as
 *	disabled meanwhile (changed under memory_lock held for write)
 * @err_frozen: AER/DPC reported the channel frozen: the link gets reset
 * @touched: the host's caches may hold lines of the HPA range (a fault
 *	mapped it or read()/write() went through it since the last flush)
 * @mem_inactive: the device has not set Memory_Active since the last
 *	reset: device memory is refused until it does (under @dpa_lock)
 * @mem_inactive_logged: its Memory_Active_Timeout passed, and was logged
 * @mem_active_deadline: jiffies when Memory_Active_Timeout ends
 * @mem_enabled: emulated DVSEC Mem_Enable
 * @emu_lock: protects @emu_comp and @emu_dvsec
 * @emu_comp: COMP_REGS emulation (guest-visible decoders)
 * @emu_dvsec: DVSEC emulation
 * @reset_kind: kind of the next reset, for the emulated state
 * @restore_guest_dec: put @guest_dec back after a reset the guest did not
 *	cause (module parameter restore_guest_decoder at bind, then sysfs)
 * @guest_dec: the first guest decoder 0 committed with Lock On Commit since
 *	open, on a firmware-committed device (under @emu_lock)
 * @cfg_writer: task in a config space write: a reset it causes (an FLR
 *	written by the guest) is the guest's own
 * @cxl_reset_req: guest asked for a CXL reset; done after @emu_lock drops
 * @cxl_reset_mem_clr: ... with CXL Reset Mem Clr Enable set
 * @dpa_index: VFIO region index of the DPA region
 * @comp_index: VFIO region index of the COMP_REGS region
 */
struct vcxl_device {
	struct vfio_pci_core_device core;
	bool cxl;
	u16 dvsec;
	u16 dvsec_len;
	u16 dvsec_cap;
	int comp_bar;
	u64 comp_off;
	void __iomem *comp;
	u32 hdm_off;
	u32 hdm_cap;
	unsigned int ndec;
	u64 dev_mem_size;
	struct {
		u16 start;
		u16 len;
	} ro_dvsec[VCXL_MAX_RO_DVSEC];
	unsigned int n_ro_dvsec;

	bool acquired;
	bool self_committed;
	int refuse_err;
	const char *refuse_why;
	struct vcxl_host_dec host;
	struct resource *hpa_res;
	void *dpa_va;

	struct rw_semaphore dpa_lock;
	bool dpa_ok;
	bool pm_suspect;
	unsigned int d3_pending;
	bool err_frozen;
	atomic_t touched;
	bool mem_inactive;
	bool mem_inactive_logged;
	unsigned long mem_active_deadline;
	bool mem_enabled;

	struct mutex emu_lock;	/* protects emu_comp, emu_dvsec */
	struct cxlemu_comp emu_comp;
	struct cxlemu_dvsec emu_dvsec;
	enum cxlemu_reset_kind reset_kind;
	bool cxl_reset_req;
	bool cxl_reset_mem_clr;
	bool restore_guest_dec;
	struct vcxl_guest_dec guest_dec;
	struct task_struct *cfg_writer;

	u32 dpa_index;
	u32 comp_index;
};

static inline struct vcxl_device *vcxl_from_core(struct vfio_pci_core_device *c)
{
	return container_of(c, struct vcxl_device, core);
}

static inline struct vcxl_device *vcxl_from_vdev(struct vfio_device *v)
{
	return container_of(v, struct vcxl_device, core.vdev);
}

/* host_hdm.c */
int vcxl_probe_regs(struct vcxl_device *cd);
void vcxl_unmap_regs(struct vcxl_device *cd);
int vcxl_acquire(struct vcxl_device *cd);
void vcxl_release(struct vcxl_device *cd);
void vcxl_flush_hpa(struct vcxl_device *cd);
int vcxl_host_restore(struct vcxl_device *cd);
int vcxl_emu_setup(struct vcxl_device *cd);
void vcxl_emu_reset(struct vcxl_device *cd, enum cxlemu_reset_kind kind);
void vcxl_emu_reset_failed(struct vcxl_device *cd);
void vcxl_guest_dec_forget(struct vcxl_device *cd);
void vcxl_guest_dec_restore(struct vcxl_device *cd);
bool vcxl_host_kept(struct vcxl_device *cd);

/* main.c */
void vcxl_reset_prepare_dpa(struct vcxl_device *cd);
int vcxl_reset_finish(struct vcxl_device *cd, enum cxlemu_reset_kind kind,
		      bool guests);

/* type2.c */
bool vcxl_has_cache_wbi(struct vcxl_device *cd);
int vcxl_dev_cache_wbi(struct vcxl_device *cd, const char *why);
void vcxl_reset_cache_wbi(struct vcxl_device *cd);
bool vcxl_mem_active_now(struct vcxl_device *cd);
bool vcxl_mem_active_wait(struct vcxl_device *cd, const char *why);
bool vcxl_mem_active_recheck(struct vcxl_device *cd);
bool vcxl_has_cxl_reset(struct vcxl_device *cd);
int vcxl_cxl_reset(struct vcxl_device *cd, bool mem_clr);

/* regions.c */
int vcxl_register_regions(struct vcxl_device *cd);
void vcxl_zap_dpa(struct vcxl_device *cd);
ssize_t vcxl_config_rw(struct vcxl_device *cd, char __user *buf, size_t count,
		       loff_t *ppos, bool iswrite);
ssize_t vcxl_bar_rw(struct vcxl_device *cd, char __user *buf, size_t count,
		    loff_t *ppos, bool iswrite);
bool vcxl_bar_in_block(struct vcxl_device *cd, loff_t pos, size_t count);
bool vcxl_bar_mmap_refused(struct vcxl_device *cd, struct vm_area_struct *vma);
int vcxl_comp_bar_info(struct vcxl_device *cd, void __user *arg);
int vcxl_get_info(struct vcxl_device *cd, void __user *arg);

#endif /* _VFIO_CXL_PRIV_H */
