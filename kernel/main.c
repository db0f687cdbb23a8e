// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-pci-cxl: a vfio-pci variant driver that passes a CXL device with
 * host-managed device memory (a CXL Type-2 device) through to a VMM.
 *
 * The host keeps the real HDM decoders: firmware committed endpoint decoder
 * 0, this driver reserves its HPA range at bind, serves it as the DPA region,
 * and restores the decoder after every reset. The VMM sees emulated decoders
 * (COMP_REGS region, and the HDM block inside the component BAR) and an
 * emulated CXL Device DVSEC, both from core/.
 */
#include <linux/ctype.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/pm_runtime.h>
#include <linux/string.h>
#include <linux/suspend.h>
#include <linux/vfio.h>

#include <uapi/linux/vfio_cxl.h>

#include "vfio_cxl_priv.h"

static bool disable_cxl;
module_param(disable_cxl, bool, 0644);
MODULE_PARM_DESC(disable_cxl,
		 "Bind every device as plain vfio-pci, without the CXL layer (takes effect at bind)");

static char *disable_cxl_devices;
module_param(disable_cxl_devices, charp, 0644);
MODULE_PARM_DESC(disable_cxl_devices,
		 "Comma-separated PCI addresses (0000:0d:00.0) bound as plain vfio-pci (takes effect at bind)");

static bool restore_guest_decoder = true;
module_param(restore_guest_decoder, bool, 0644);
MODULE_PARM_DESC(restore_guest_decoder,
		 "After a reset the guest did not cause, commit and lock again the guest decoder 0 the VMM locked on a firmware-committed device (default for devices bound after; per device: sysfs restore_guest_decoder)");

static bool vcxl_listed(struct pci_dev *pdev)
{
	size_t len = strlen(pci_name(pdev));
	bool found = false;
	const char *p;

	/* The string may be replaced through sysfs meanwhile. */
	kernel_param_lock(THIS_MODULE);
	for (p = disable_cxl_devices; p && *p && !found; ) {
		p = skip_spaces(p);
		found = !strncmp(p, pci_name(pdev), len) &&
			(p[len] == '\0' || p[len] == ',' || isspace(p[len]));
		p = strchr(p, ',');
		if (p)
			p++;
	}
	kernel_param_unlock(THIS_MODULE);
	return found;
}

/* Acquire the host decoder and set up the emulation; all or nothing. */
static int vcxl_setup_cxl(struct vcxl_device *cd)
{
	int ret;

	if (cd->acquired)
		return 0;
	ret = vcxl_acquire(cd);
	if (ret)
		return ret;
	ret = vcxl_emu_setup(cd);
	if (ret) {
		vcxl_release(cd);
		cd->refuse_err = ret;
		cd->refuse_why = "register emulation setup failed";
	}
	return ret;
}

/*
 * vfio_pci_core_disable() resets the function without the reset hooks:
 * leave the host decoder as firmware set it, for the next open and for
 * the host.
 */
static void vcxl_restore_after_disable(struct vcxl_device *cd)
{
	struct pci_dev *pdev = cd->core.pdev;

	if (pm_runtime_resume_and_get(&pdev->dev) == 0) {
		vcxl_host_restore(cd);
		pm_runtime_put(&pdev->dev);
	}
}

static int vcxl_open_device(struct vfio_device *core_vdev)
{
	struct vcxl_device *cd = vcxl_from_vdev(core_vdev);
	struct vfio_pci_core_device *vdev = &cd->core;
	bool active;
	int ret;

	/*
	 * Firmware may have committed the decoder since bind: look again,
	 * with the function awake (vfio-pci lets an idle one sit in D3hot,
	 * where its registers read as all ones).
	 */
	ret = 0;
	if (!cd->acquired) {
		ret = pm_runtime_resume_and_get(&vdev->pdev->dev);
		if (ret) {
			pci_err(vdev->pdev, "open refused: cannot resume the device: %pe\n",
				ERR_PTR(ret));
			return ret;
		}
		ret = vcxl_setup_cxl(cd);
		pm_runtime_put(&vdev->pdev->dev);
	}
	if (ret) {
		pci_err(vdev->pdev, "open refused: %s: %pe\n",
			cd->refuse_why ?: "CXL setup failed", ERR_PTR(ret));
		return ret;
	}

	/* A new user: nothing of the last one's guest decoder comes back. */
	vcxl_guest_dec_forget(cd);
	/* Resets the device; the reset hooks restore the host decoder. */
	ret = vfio_pci_core_enable(vdev);
	if (ret)
		return ret;

	/* In case no reset went through the hooks, check it ourselves. */
	ret = vcxl_host_restore(cd);
	if (ret)
		goto err_disable;
	vcxl_emu_reset(cd, CXLEMU_RESET_CONVENTIONAL);
	active = vcxl_mem_active_wait(cd, "at open");
	down_write(&cd->dpa_lock);
	cd->dpa_ok = true;
	cd->mem_inactive = !active;
	cd->pm_suspect = false;
	up_write(&cd->dpa_lock);

	ret = vcxl_register_regions(cd);
	if (ret)
		goto err_disable;

	vfio_pci_core_finish_enable(vdev);
	return 0;

err_disable:
	vcxl_flush_hpa(cd);
	vfio_pci_core_disable(vdev);
	cd->dpa_index = 0;
	cd->comp_index = 0;
	vcxl_restore_after_disable(cd);
	return ret;
}

static void vcxl_close_device(struct vfio_device *core_vdev)
{
	struct vcxl_device *cd = vcxl_from_vdev(core_vdev);

	/* No mapping is left; cached lines may be, here and in the device. */
	vcxl_flush_hpa(cd);
	if (pm_runtime_resume_and_get(&cd->core.pdev->dev) == 0) {
		vcxl_reset_cache_wbi(cd);
		pm_runtime_put(&cd->core.pdev->dev);
	}
	/* Releases our regions and resets the device (no reset hooks). */
	vfio_pci_core_close_device(core_vdev);
	cd->dpa_index = 0;
	cd->comp_index = 0;
	vcxl_restore_after_disable(cd);
	vcxl_guest_dec_forget(cd);
}

static long vcxl_ioctl(struct vfio_device *core_vdev, unsigned int cmd,
		       unsigned long arg)
{
	struct vcxl_device *cd = vcxl_from_vdev(core_vdev);
	void __user *uarg = (void __user *)arg;
	struct vfio_region_info info;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return vcxl_get_info(cd, uarg);
	case VFIO_DEVICE_GET_REGION_INFO:
		if (copy_from_user(&info, uarg,
				   offsetofend(struct vfio_region_info, index)))
			return -EFAULT;
		if (info.index == cd->comp_bar)
			return vcxl_comp_bar_info(cd, uarg);
		break;
	case VFIO_DEVICE_IOEVENTFD:
		/*
		 * vfio-pci's ioeventfds write the BAR directly, past vcxl_rw(),
		 * so one on the HDM block would program the real decoders.
		 * Filtering the request here and handing the user pointer on
		 * would read it twice; refuse them all, as nvgrace-gpu does
		 * for its emulated BARs (a VMM falls back to trapped writes).
		 */
		return -ENOTTY;
	}
	return vfio_pci_core_ioctl(core_vdev, cmd, arg);
}

static int vcxl_device_feature(struct vfio_device *core_vdev, u32 flags,
			       void __user *arg, size_t argsz)
{
	struct vcxl_device *cd = vcxl_from_vdev(core_vdev);
	u32 feature = flags & VFIO_DEVICE_FEATURE_MASK;
	bool low_power = (flags & VFIO_DEVICE_FEATURE_SET) &&
			 !(flags & VFIO_DEVICE_FEATURE_PROBE) &&
			 (feature == VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY ||
			  feature == VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP);
	int ret;

	ret = vfio_pci_core_ioctl_feature(core_vdev, flags, arg, argsz);
	/*
	 * Low power: vfio-pci zaps the BAR mappings and refuses their faults
	 * while pm_runtime_engaged; do the same for the DPA mappings. The
	 * function goes to D3hot once this ioctl returns, which may reset it
	 * (see vcxl_dpa_lock()): zap first, then write the caches back, and
	 * only for an entry that happened.
	 */
	if (!ret && low_power) {
		down_write(&cd->dpa_lock);
		vcxl_zap_dpa(cd);
		cd->pm_suspect = true;
		up_write(&cd->dpa_lock);
		vcxl_flush_hpa(cd);
	}
	return ret;
}

static ssize_t vcxl_rw(struct vfio_device *core_vdev, char __user *buf,
		       size_t count, loff_t *ppos, bool iswrite)
{
	struct vcxl_device *cd = vcxl_from_vdev(core_vdev);
	unsigned int index = VFIO_PCI_OFFSET_TO_INDEX(*ppos);

	if (index == VFIO_PCI_CONFIG_REGION_INDEX)
		return vcxl_config_rw(cd, buf, count, ppos, iswrite);
	if (index == cd->comp_bar &&
	    vcxl_bar_in_block(cd, *ppos & VFIO_PCI_OFFSET_MASK, count))
		return vcxl_bar_rw(cd, buf, count, ppos, iswrite);
	if (iswrite)
		return vfio_pci_core_write(core_vdev, buf, count, ppos);
	return vfio_pci_core_read(core_vdev, buf, count, ppos);
}

static ssize_t vcxl_read(struct vfio_device *core_vdev, char __user *buf,
			 size_t count, loff_t *ppos)
{
	return vcxl_rw(core_vdev, buf, count, ppos, false);
}

static ssize_t vcxl_write(struct vfio_device *core_vdev, const char __user *buf,
			  size_t count, loff_t *ppos)
{
	return vcxl_rw(core_vdev, (char __user *)buf, count, ppos, true);
}

static int vcxl_mmap(struct vfio_device *core_vdev, struct vm_area_struct *vma)
{
	struct vcxl_device *cd = vcxl_from_vdev(core_vdev);
	unsigned int index = vma->vm_pgoff >> (VFIO_PCI_OFFSET_SHIFT - PAGE_SHIFT);

	/* The component block holds the HDM decoders: never mapped. */
	if (index == cd->comp_bar && vcxl_bar_mmap_refused(cd, vma))
		return -EINVAL;
	return vfio_pci_core_mmap(core_vdev, vma);
}

static int vcxl_init_dev(struct vfio_device *core_vdev)
{
	struct vcxl_device *cd = vcxl_from_vdev(core_vdev);

	init_rwsem(&cd->dpa_lock);
	mutex_init(&cd->emu_lock);
	cd->comp_bar = -1;
	return vfio_pci_core_init_dev(core_vdev);
}

static void vcxl_release_dev(struct vfio_device *core_vdev)
{
	struct vcxl_device *cd = vcxl_from_vdev(core_vdev);

	mutex_destroy(&cd->emu_lock);
	vfio_pci_core_release_dev(core_vdev);
}

static const struct vfio_device_ops vcxl_ops = {
	.name		= "vfio-pci-cxl",
	.init		= vcxl_init_dev,
	.release	= vcxl_release_dev,
	.open_device	= vcxl_open_device,
	.close_device	= vcxl_close_device,
	.ioctl		= vcxl_ioctl,
	.device_feature	= vcxl_device_feature,
	.read		= vcxl_read,
	.write		= vcxl_write,
	.mmap		= vcxl_mmap,
	.request	= vfio_pci_core_request,
	.match		= vfio_pci_core_match,
	.bind_iommufd	= vfio_iommufd_physical_bind,
	.unbind_iommufd	= vfio_iommufd_physical_unbind,
	.attach_ioas	= vfio_iommufd_physical_attach_ioas,
	.detach_ioas	= vfio_iommufd_physical_detach_ioas,
};

/* disable_cxl: exactly vfio-pci. */
static int vcxl_plain_open_device(struct vfio_device *core_vdev)
{
	struct vfio_pci_core_device *vdev =
		container_of(core_vdev, struct vfio_pci_core_device, vdev);
	int ret;

	ret = vfio_pci_core_enable(vdev);
	if (ret)
		return ret;
	vfio_pci_core_finish_enable(vdev);
	return 0;
}

static const struct vfio_device_ops vcxl_plain_ops = {
	.name		= "vfio-pci-cxl",
	.init		= vcxl_init_dev,
	.release	= vcxl_release_dev,
	.open_device	= vcxl_plain_open_device,
	.close_device	= vfio_pci_core_close_device,
	.ioctl		= vfio_pci_core_ioctl,
	.device_feature	= vfio_pci_core_ioctl_feature,
	.read		= vfio_pci_core_read,
	.write		= vfio_pci_core_write,
	.mmap		= vfio_pci_core_mmap,
	.request	= vfio_pci_core_request,
	.match		= vfio_pci_core_match,
	.bind_iommufd	= vfio_iommufd_physical_bind,
	.unbind_iommufd	= vfio_iommufd_physical_unbind,
	.attach_ioas	= vfio_iommufd_physical_attach_ioas,
	.detach_ioas	= vfio_iommufd_physical_detach_ioas,
};

static struct vcxl_device *vcxl_from_pdev(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *vdev = dev_get_drvdata(&pdev->dev);

	if (!vdev)
		return NULL;
	return vcxl_from_core(vdev);
}

/**
 * vcxl_reset_prepare_dpa() - before a reset: device memory out of reach
 * @cd: device with its host decoder acquired
 *
 * The user's mappings go and faults, read() and write() are refused; then
 * the host's caches and the device's own cache are written back while the
 * device still decodes the range (CXL r3.1 9.7).
 */
void vcxl_reset_prepare_dpa(struct vcxl_device *cd)
{
	down_write(&cd->dpa_lock);
	cd->dpa_ok = false;
	vcxl_zap_dpa(cd);
	up_write(&cd->dpa_lock);
	vcxl_flush_hpa(cd);
	vcxl_reset_cache_wbi(cd);
}

/**
 * vcxl_reset_finish() - after a reset: the host decoder back, the emulated
 *	registers through the same reset, the memory waited for
 * @cd: device
 * @kind: the reset asked for; a conventional one that left the host decoder
 *	committed was an FLR (CXL r3.1 9.5) and is emulated as one
 * @guests: the guest caused it (a CXL Reset or an FLR it wrote to config)
 *
 * The guest's own resets end as the spec says; any other (VFIO_DEVICE_RESET,
 * a hot reset: the VMM's, for a system reset or a guest bus reset) ends as
 * on a platform whose firmware commits its decoders again.
 *
 * Return: 0 or the host decoder restore's error (device memory then stays
 * refused).
 */
int vcxl_reset_finish(struct vcxl_device *cd, enum cxlemu_reset_kind kind,
		      bool guests)
{
	bool active = false;
	int ret;

	if (kind == CXLEMU_RESET_CONVENTIONAL && vcxl_host_kept(cd))
		kind = CXLEMU_RESET_FLR;
	ret = vcxl_host_restore(cd);
	vcxl_emu_reset(cd, kind);
	if (!ret && kind != CXLEMU_RESET_CXL && !guests)
		vcxl_guest_dec_restore(cd);
	if (!ret)
		active = vcxl_mem_active_wait(cd, "after a reset");
	down_write(&cd->dpa_lock);
	cd->dpa_ok = !ret;
	cd->mem_inactive = !active;
	/*
	 * A reset while the user holds the device in low power runs with the
	 * function woken for it; it sleeps again when the reset is over, and
	 * its next return to D0 may clear the decoder once more: the check
	 * stays due.
	 */
	cd->pm_suspect = READ_ONCE(cd->core.pm_runtime_engaged);
	up_write(&cd->dpa_lock);
	return ret;
}

/*
 * Every reset through the PCI core (vfio-pci's at open, VFIO_DEVICE_RESET,
 * an FLR written to config space, a bus reset of the device set, sysfs)
 * comes through here. A conventional reset clears HDM decoders (CXL r3.1
 * 8.2.4.20.7): mappings go first, the decoder comes back after.
 */
static void vcxl_reset_prepare(struct pci_dev *pdev)
{
	struct vcxl_device *cd = vcxl_from_pdev(pdev);

	if (!cd || !cd->cxl || !cd->acquired)
		return;
	vcxl_reset_prepare_dpa(cd);
}

static void vcxl_reset_done(struct pci_dev *pdev)
{
	struct vcxl_device *cd = vcxl_from_pdev(pdev);

	if (!cd || !cd->cxl || !cd->acquired)
		return;
	vcxl_reset_finish(cd, cd->reset_kind,
			  READ_ONCE(cd->cfg_writer) == current);
}

/*
 * AER and DPC recovery reset the link (pcie_do_recovery(): a secondary bus
 * reset or DPC's link reset) without reset_prepare/reset_done: the same
 * as a reset, in three steps. vfio-pci's own handler tells the user.
 */
static pci_ers_result_t vcxl_error_detected(struct pci_dev *pdev,
					    pci_channel_state_t state)
{
	struct vcxl_device *cd = vcxl_from_pdev(pdev);

	if (cd && cd->cxl && cd->acquired) {
		pci_warn(pdev, "PCIe error (channel %s): device memory unmapped until recovery\n",
			 state == pci_channel_io_normal ? "normal" :
			 state == pci_channel_io_frozen ? "frozen" : "failed");
		down_write(&cd->dpa_lock);
		cd->dpa_ok = false;
		cd->err_frozen = state != pci_channel_io_normal;
		vcxl_zap_dpa(cd);
		up_write(&cd->dpa_lock);
		/* Dirty lines go now, while the link may still carry them. */
		if (state != pci_channel_io_perm_failure) {
			vcxl_flush_hpa(cd);
			vcxl_reset_cache_wbi(cd);
		}
	}
	return vfio_pci_core_aer_err_detected(pdev, state);
}

/* After recovery (reset or not): the decoder back, faults allowed again. */
static void vcxl_err_recovered(struct pci_dev *pdev)
{
	struct vcxl_device *cd = vcxl_from_pdev(pdev);
	bool frozen;
	int ret;

	if (!cd || !cd->cxl || !cd->acquired)
		return;
	down_write(&cd->dpa_lock);
	frozen = cd->err_frozen;
	cd->err_frozen = false;
	up_write(&cd->dpa_lock);
	if (frozen) {
		/* The link was reset: not the guest's reset, as vcxl_reset_done(). */
		ret = vcxl_reset_finish(cd, CXLEMU_RESET_CONVENTIONAL, false);
	} else {
		ret = vcxl_host_restore(cd);
		down_write(&cd->dpa_lock);
		cd->dpa_ok = !ret;
		cd->pm_suspect = READ_ONCE(cd->core.pm_runtime_engaged);
		up_write(&cd->dpa_lock);
	}
	if (ret)
		pci_err(pdev, "device memory stays unmapped after error recovery\n");
}

static pci_ers_result_t vcxl_slot_reset(struct pci_dev *pdev)
{
	struct vcxl_device *cd = vcxl_from_pdev(pdev);

	if (!cd || !cd->cxl || !cd->acquired)
		return PCI_ERS_RESULT_RECOVERED;
	return vcxl_host_restore(cd) ? PCI_ERS_RESULT_DISCONNECT :
				       PCI_ERS_RESULT_RECOVERED;
}

static const struct pci_error_handlers vcxl_err_handlers = {
	.error_detected	= vcxl_error_detected,
	.slot_reset	= vcxl_slot_reset,
	.resume		= vcxl_err_recovered,
	.reset_prepare	= vcxl_reset_prepare,
	.reset_done	= vcxl_reset_done,
};

static ssize_t cxl_status_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct vcxl_device *cd = vcxl_from_pdev(to_pci_dev(dev));

	if (!cd)
		return -ENODEV;
	if (!cd->cxl)
		return sysfs_emit(buf, "disabled\n");
	if (cd->acquired)
		return sysfs_emit(buf, "ok hpa=%#llx size=%#llx%s\n",
				  cd->host.base, cd->host.size,
				  cd->host.ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT ?
				  " locked" : "");
	return sysfs_emit(buf, "refused: %s\n", cd->refuse_why ?: "unknown");
}
static DEVICE_ATTR_RO(cxl_status);

static ssize_t restore_guest_decoder_show(struct device *dev,
					  struct device_attribute *attr,
					  char *buf)
{
	struct vcxl_device *cd = vcxl_from_pdev(to_pci_dev(dev));

	if (!cd)
		return -ENODEV;
	return sysfs_emit(buf, "%d\n", READ_ONCE(cd->restore_guest_dec));
}

/* Takes effect at the next reset. */
static ssize_t restore_guest_decoder_store(struct device *dev,
					   struct device_attribute *attr,
					   const char *buf, size_t count)
{
	struct vcxl_device *cd = vcxl_from_pdev(to_pci_dev(dev));
	bool on;
	int ret;

	if (!cd)
		return -ENODEV;
	ret = kstrtobool(buf, &on);
	if (ret) {
		pci_info(to_pci_dev(dev), "restore_guest_decoder: '%.*s' is not 0 or 1\n",
			 (int)min_t(size_t, count, 16), buf);
		return ret;
	}
	WRITE_ONCE(cd->restore_guest_dec, on);
	return count;
}
static DEVICE_ATTR_RW(restore_guest_decoder);

static struct attribute *vcxl_attrs[] = {
	&dev_attr_cxl_status.attr,
	&dev_attr_restore_guest_decoder.attr,
	NULL,
};
ATTRIBUTE_GROUPS(vcxl);

static int vcxl_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	bool cxl = !READ_ONCE(disable_cxl) && !vcxl_listed(pdev);
	struct vcxl_device *cd;
	int ret;

	cd = vfio_alloc_device(vcxl_device, core.vdev, &pdev->dev,
			       cxl ? &vcxl_ops : &vcxl_plain_ops);
	if (IS_ERR(cd))
		return PTR_ERR(cd);
	cd->cxl = cxl;
	cd->restore_guest_dec = READ_ONCE(restore_guest_decoder);
	dev_set_drvdata(&pdev->dev, &cd->core);

	if (cxl) {
		ret = vcxl_probe_regs(cd);
		if (ret)
			goto err_put;
		/* Snapshot before anything resets it; a refusal waits for open. */
		vcxl_setup_cxl(cd);
	} else {
		pci_info(pdev, "CXL layer disabled: plain vfio-pci\n");
	}

	ret = vfio_pci_core_register_device(&cd->core);
	if (ret)
		goto err_release;
	return 0;

err_release:
	vcxl_release(cd);
	vcxl_unmap_regs(cd);
err_put:
	dev_set_drvdata(&pdev->dev, NULL);
	vfio_put_device(&cd->core.vdev);
	return ret;
}

static void vcxl_remove(struct pci_dev *pdev)
{
	struct vcxl_device *cd = vcxl_from_pdev(pdev);

	vfio_pci_core_unregister_device(&cd->core);
	vcxl_release(cd);
	vcxl_unmap_regs(cd);
	vfio_put_device(&cd->core.vdev);
}

static const struct pci_device_id vcxl_table[] = {
	/* Any function, bound only through driver_override. */
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(PCI_ANY_ID, PCI_ANY_ID) },
	{}
};
MODULE_DEVICE_TABLE(pci, vcxl_table);

static struct pci_driver vcxl_driver = {
	.name			= "vfio-pci-cxl",
	.id_table		= vcxl_table,
	.probe			= vcxl_probe,
	.remove			= vcxl_remove,
	.err_handler		= &vcxl_err_handlers,
	.driver_managed_dma	= true,
	.dev_groups		= vcxl_groups,
};

/*
 * Host suspend (S3, s2idle) and hibernation power the device down: its HDM
 * decoders come back cleared, with the user's mappings still in place and
 * nothing to put the decoder back (vfio-pci-core installs its own dev_pm_ops
 * over the driver's, with runtime callbacks only). The Linux CXL core
 * refuses S3 and hibernation while CXL memory is active (cxl_mem_active());
 * refuse every suspend while a device here holds its decoder.
 */
static int vcxl_holds_decoder(struct device *dev, void *data)
{
	struct vcxl_device *cd = vcxl_from_pdev(to_pci_dev(dev));

	if (!cd || !cd->cxl || !cd->acquired)
		return 0;
	pci_warn(to_pci_dev(dev), "host suspend refused: bound to vfio-pci-cxl with decoder 0 at %#llx, which suspend would clear; unbind the device first\n",
		 cd->host.base);
	return 1;
}

static int vcxl_pm_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	if (action != PM_SUSPEND_PREPARE && action != PM_HIBERNATION_PREPARE)
		return NOTIFY_DONE;
	if (driver_for_each_device(&vcxl_driver.driver, NULL, NULL,
				   vcxl_holds_decoder))
		return notifier_from_errno(-EBUSY);
	return NOTIFY_DONE;
}

static struct notifier_block vcxl_pm_nb = {
	.notifier_call = vcxl_pm_notify,
};

static int __init vcxl_init(void)
{
	int ret;

	ret = register_pm_notifier(&vcxl_pm_nb);
	if (ret)
		return ret;
	ret = pci_register_driver(&vcxl_driver);
	if (ret)
		unregister_pm_notifier(&vcxl_pm_nb);
	return ret;
}
module_init(vcxl_init);

static void __exit vcxl_exit(void)
{
	pci_unregister_driver(&vcxl_driver);
	unregister_pm_notifier(&vcxl_pm_nb);
}
module_exit(vcxl_exit);

MODULE_LICENSE("GPL");
MODULE_IMPORT_NS(DEVMEM);
MODULE_DESCRIPTION("VFIO PCI variant driver for CXL Type-2 device passthrough");
