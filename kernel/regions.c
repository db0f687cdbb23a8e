// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-cxl: what the user of the VFIO device sees of the CXL parts.
 *
 * - the DPA region: the device memory, read/write and mmap, faulted in with
 *   the largest page size that fits;
 * - the COMP_REGS region: the CXL.cache/mem capability array and the
 *   emulated HDM decoder block;
 * - the component register BAR with the component block left out of its
 *   sparse mmap and the HDM block served by the emulation;
 * - the CXL Device DVSEC in config space, served by the emulation;
 * - VFIO_DEVICE_GET_INFO with VFIO_DEVICE_FLAGS_CXL and the CXL capability.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/pfn_t.h>
#include <linux/pm_runtime.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include <uapi/linux/vfio_cxl.h>

#include "vfio_cxl_priv.h"

static_assert(sizeof(struct vfio_device_info_cap_cxl) == CXLEMU_VFIO_CAP_SIZE);

/* Bounce size for read()/write() on the DPA region. */
#define VCXL_RW_CHUNK	SZ_64K

/*
 * When the DPA may be served: the function in D0, no low-power state
 * requested by the user, no PM Control write to D3hot under way
 * (vcxl_pm_d3_begin()). Unlike vfio-pci's BARs, not the Command register's
 * Memory Space Enable: that bit governs the function's Memory Space (its
 * BARs), while CXL.mem is enabled by the DVSEC's Mem_Enable (CXL r3.1
 * 8.1.3.2) and routed by the HDM decoders (8.2.4.20); see kernel/README.md.
 * Stable while memory_lock is held.
 */
static bool vcxl_memory_enabled(struct vcxl_device *cd)
{
	return !cd->core.pm_runtime_engaged && !cd->d3_pending &&
	       cd->core.pdev->current_state < PCI_D3hot;
}

/* ---- DPA region --------------------------------------------------------- */

/*
 * A function without No_Soft_Reset resets itself on its way from D3hot back
 * to D0 (PCI PM 1.2 5.4), which clears its HDM decoders as a conventional
 * reset does, and vfio-pci puts back only config space. So once the user
 * has put the device in D3hot or low power (@pm_suspect), the host decoder
 * is checked, and restored if it was cleared, before the DPA is served
 * again. Called with memory_lock held for read and memory enabled (so the
 * function is in D0); returns with dpa_lock held for read, true when the
 * DPA may be accessed.
 */
static bool vcxl_dpa_lock(struct vcxl_device *cd)
{
	if (READ_ONCE(cd->pm_suspect) || READ_ONCE(cd->mem_inactive)) {
		down_write(&cd->dpa_lock);
		/* Not while a reset runs: its reset_done restores instead. */
		if (cd->pm_suspect && cd->dpa_ok) {
			cd->dpa_ok = !vcxl_host_restore(cd);
			cd->pm_suspect = false;
		}
		/* Memory_Active: a config read, nothing of the HPA touched. */
		if (cd->mem_inactive && cd->dpa_ok && vcxl_mem_active_recheck(cd))
			cd->mem_inactive = false;
		downgrade_write(&cd->dpa_lock);
	} else {
		down_read(&cd->dpa_lock);
	}
	return cd->dpa_ok && !cd->mem_inactive;
}

/**
 * vcxl_zap_dpa() - remove every user mapping of the DPA region
 * @cd: device
 *
 * They fault back in (or get SIGBUS) afterwards.
 */
void vcxl_zap_dpa(struct vcxl_device *cd)
{
	struct address_space *mapping = cd->core.vdev.inode->i_mapping;

	if (!cd->dpa_index)
		return;
	unmap_mapping_range(mapping, VFIO_PCI_INDEX_TO_OFFSET(cd->dpa_index),
			    VFIO_PCI_INDEX_TO_OFFSET(1), true);
}

static vm_fault_t vcxl_dpa_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct vcxl_device *cd = vma->vm_private_data;
	unsigned long len = PAGE_SIZE << order;
	unsigned long addr = ALIGN_DOWN(vmf->address, len);
	u64 off = (((u64)vma->vm_pgoff << PAGE_SHIFT) & VFIO_PCI_OFFSET_MASK) +
		  (addr - vma->vm_start);
	vm_fault_t ret = VM_FAULT_SIGBUS;
	unsigned long pfn;

	if (order && (addr < vma->vm_start || addr + len > vma->vm_end ||
		      off + len > cd->host.size))
		return VM_FAULT_FALLBACK;
	if (off + len > cd->host.size)
		return VM_FAULT_SIGBUS;
	pfn = PHYS_PFN(cd->host.base + off);
	if (order && !IS_ALIGNED(pfn, 1UL << order))
		return VM_FAULT_FALLBACK;

	down_read(&cd->core.memory_lock);
	if (!vcxl_memory_enabled(cd)) {
		up_read(&cd->core.memory_lock);
		return VM_FAULT_SIGBUS;
	}
	if (!vcxl_dpa_lock(cd))
		goto out;

	/* From here the user may have lines of it in the caches. */
	atomic_set(&cd->touched, 1);
	switch (order) {
	case 0:
		ret = vmf_insert_pfn(vma, addr, pfn);
		break;
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	case PMD_ORDER:
		ret = vmf_insert_pfn_pmd(vmf, __pfn_to_pfn_t(pfn, PFN_DEV),
					 vmf->flags & FAULT_FLAG_WRITE);
		break;
#endif
#ifdef CONFIG_ARCH_SUPPORTS_PUD_PFNMAP
	case PUD_ORDER:
		ret = vmf_insert_pfn_pud(vmf, __pfn_to_pfn_t(pfn, PFN_DEV),
					 vmf->flags & FAULT_FLAG_WRITE);
		break;
#endif
	default:
		ret = VM_FAULT_FALLBACK;
	}
out:
	up_read(&cd->dpa_lock);
	up_read(&cd->core.memory_lock);
	return ret;
}

static vm_fault_t vcxl_dpa_fault(struct vm_fault *vmf)
{
	return vcxl_dpa_huge_fault(vmf, 0);
}

static const struct vm_operations_struct vcxl_dpa_vm_ops = {
	.fault = vcxl_dpa_fault,
#ifdef CONFIG_ARCH_SUPPORTS_HUGE_PFNMAP
	.huge_fault = vcxl_dpa_huge_fault,
#endif
};

static int vcxl_dpa_mmap(struct vfio_pci_core_device *vdev,
			 struct vfio_pci_region *region,
			 struct vm_area_struct *vma)
{
	struct vcxl_device *cd = region->data;
	u64 start = ((u64)vma->vm_pgoff << PAGE_SHIFT) & VFIO_PCI_OFFSET_MASK;
	u64 len = vma->vm_end - vma->vm_start;

	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	if (start >= region->size || len > region->size - start)
		return -EINVAL;

	/* Cacheable: vm_page_prot is left write-back, as the PAT entry is. */
	vm_flags_set(vma, VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &vcxl_dpa_vm_ops;
	vma->vm_private_data = cd;
	return 0;
}

/*
 * One chunk between the bounce buffer and the device memory, as the pmem
 * driver does it: a read consumes poison, so it uses the machine-check-
 * safe copy and fails with EIO instead of taking the host down; a write
 * uses non-temporal stores, which do not read the lines first (no poison
 * consumed) and leave no dirty line behind.
 */
static int vcxl_dpa_copy(struct vcxl_device *cd, void *va, void *bounce,
			 size_t n, bool iswrite, u64 off)
{
	unsigned long left;

	atomic_set(&cd->touched, 1);
	if (iswrite) {
		memcpy_flushcache(va, bounce, n);
		return 0;
	}
	left = copy_mc_to_kernel(bounce, va, n);
	if (left) {
		dev_warn_ratelimited(&cd->core.pdev->dev,
				     "DPA read at %#llx hit poisoned device memory: EIO\n",
				     off + n - left);
		return -EIO;
	}
	return 0;
}

static ssize_t vcxl_dpa_rw(struct vfio_pci_core_device *vdev,
			   char __user *buf, size_t count, loff_t *ppos,
			   bool iswrite)
{
	struct vcxl_device *cd = vcxl_from_core(vdev);
	u64 pos = *ppos & VFIO_PCI_OFFSET_MASK;
	size_t done = 0;
	ssize_t ret = 0;
	void *bounce;

	if (pos >= cd->host.size)
		return -EINVAL;
	count = min_t(u64, count, cd->host.size - pos);
	bounce = kmalloc(min_t(size_t, count, VCXL_RW_CHUNK), GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;

	/*
	 * The user buffer is copied outside the locks: it may itself be a
	 * DPA mapping, whose fault takes memory_lock.
	 */
	while (done < count) {
		size_t n = min_t(size_t, count - done, VCXL_RW_CHUNK);
		void *va = cd->dpa_va + pos + done;

		if (iswrite && copy_from_user(bounce, buf + done, n)) {
			ret = -EFAULT;
			break;
		}
		down_read(&cd->core.memory_lock);
		if (!vcxl_memory_enabled(cd)) {
			ret = -EIO;
		} else {
			if (!vcxl_dpa_lock(cd))
				ret = -EIO;
			else
				ret = vcxl_dpa_copy(cd, va, bounce, n, iswrite,
						    pos + done);
			up_read(&cd->dpa_lock);
		}
		up_read(&cd->core.memory_lock);
		if (ret)
			break;
		if (!iswrite && copy_to_user(buf + done, bounce, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
		cond_resched();
	}
	kfree(bounce);
	if (!done)
		return ret;
	*ppos += done;
	return done;
}

static void vcxl_region_release(struct vfio_pci_core_device *vdev,
				struct vfio_pci_region *region)
{
	/* region->data is the device itself: nothing to free. */
}

static const struct vfio_pci_regops vcxl_dpa_regops = {
	.rw = vcxl_dpa_rw,
	.mmap = vcxl_dpa_mmap,
	.release = vcxl_region_release,
};

/* ---- COMP_REGS region and the HDM block inside the component BAR -------- */

/* One aligned 4- or 8-byte access to the emulated CXL.cache/mem area. */
static ssize_t vcxl_comp_access(struct vcxl_device *cd, char __user *buf,
				size_t count, u32 off, bool iswrite)
{
	u64 val = 0;
	int ret;

	if ((count != 4 && count != 8) || !IS_ALIGNED(off, count))
		return -EINVAL;

	if (iswrite) {
		if (count == 4) {
			u32 v;

			if (copy_from_user(&v, buf, 4))
				return -EFAULT;
			val = le32_to_cpu((__force __le32)v);
		} else {
			if (copy_from_user(&val, buf, 8))
				return -EFAULT;
			val = le64_to_cpu((__force __le64)val);
		}
		mutex_lock(&cd->emu_lock);
		ret = cxlemu_comp_write(&cd->emu_comp, off, count, val);
		mutex_unlock(&cd->emu_lock);
		return ret ? ret : count;
	}

	mutex_lock(&cd->emu_lock);
	ret = cxlemu_comp_read(&cd->emu_comp, off, count, &val);
	mutex_unlock(&cd->emu_lock);
	if (ret)
		return ret;
	if (count == 4) {
		__le32 v = cpu_to_le32((u32)val);

		if (copy_to_user(buf, &v, 4))
			return -EFAULT;
	} else {
		__le64 v = cpu_to_le64(val);

		if (copy_to_user(buf, &v, 8))
			return -EFAULT;
	}
	return count;
}

static ssize_t vcxl_comp_rw(struct vfio_pci_core_device *vdev,
			    char __user *buf, size_t count, loff_t *ppos,
			    bool iswrite)
{
	struct vcxl_device *cd = vcxl_from_core(vdev);
	u64 pos = *ppos & VFIO_PCI_OFFSET_MASK;
	u32 size = cxlemu_comp_size(&cd->emu_comp);
	ssize_t ret;

	if (pos >= size || count > size - pos)
		return -EINVAL;
	ret = vcxl_comp_access(cd, buf, count, pos, iswrite);
	if (ret > 0)
		*ppos += ret;
	return ret;
}

static int vcxl_comp_mmap(struct vfio_pci_core_device *vdev,
			  struct vfio_pci_region *region,
			  struct vm_area_struct *vma)
{
	/* Emulated registers: never mapped. */
	return -EINVAL;
}

static const struct vfio_pci_regops vcxl_comp_regops = {
	.rw = vcxl_comp_rw,
	.mmap = vcxl_comp_mmap,
	.release = vcxl_region_release,
};

/**
 * vcxl_register_regions() - add the DPA and COMP_REGS regions
 * @cd: device, acquired; called from open_device after vfio_pci_core_enable
 *
 * Return: 0 or a negative errno.
 */
int vcxl_register_regions(struct vcxl_device *cd)
{
	struct vfio_pci_core_device *vdev = &cd->core;
	u32 type = VFIO_REGION_TYPE_PCI_VENDOR_TYPE | PCI_VENDOR_ID_CXL;
	u32 idx = VFIO_PCI_NUM_REGIONS + vdev->num_regions;
	int ret;

	ret = vfio_pci_core_register_dev_region(vdev, type,
						VFIO_REGION_SUBTYPE_CXL,
						&vcxl_dpa_regops, cd->host.size,
						VFIO_REGION_INFO_FLAG_READ |
						VFIO_REGION_INFO_FLAG_WRITE |
						VFIO_REGION_INFO_FLAG_MMAP, cd);
	if (ret)
		return ret;
	cd->dpa_index = idx;

	ret = vfio_pci_core_register_dev_region(vdev, type,
						VFIO_REGION_SUBTYPE_CXL_COMP_REGS,
						&vcxl_comp_regops,
						cxlemu_comp_size(&cd->emu_comp),
						VFIO_REGION_INFO_FLAG_READ |
						VFIO_REGION_INFO_FLAG_WRITE, cd);
	if (ret)
		return ret;
	cd->comp_index = idx + 1;
	return 0;
}

/**
 * vcxl_bar_in_block() - does an access to the component BAR touch the block
 * @cd: device
 * @pos: offset in the BAR
 * @count: bytes
 *
 * Return: true when vcxl_bar_rw() must serve it.
 */
bool vcxl_bar_in_block(struct vcxl_device *cd, loff_t pos, size_t count)
{
	return pos < cd->comp_off + CXL_COMP_BLOCK_SIZE &&
	       pos + count > cd->comp_off;
}

/* A read of the real component block, as vfio-pci reads a BAR. */
static ssize_t vcxl_block_hw_read(struct vcxl_device *cd, char __user *buf,
				  size_t count, u32 off)
{
	struct device *dev = &cd->core.pdev->dev;
	u64 val = 0;
	int ret;

	ret = pm_runtime_resume_and_get(dev);
	if (ret)
		return -EIO;
	down_read(&cd->core.memory_lock);
	if (vcxl_memory_enabled(cd)) {
		if (count == 8)
			val = readq(cd->comp + off);
		else
			val = readl(cd->comp + off);
	} else {
		ret = -EIO;
	}
	up_read(&cd->core.memory_lock);
	pm_runtime_put(dev);
	if (ret)
		return ret;
	if (count == 8) {
		__le64 v = cpu_to_le64(val);

		return copy_to_user(buf, &v, 8) ? -EFAULT : 8;
	} else {
		__le32 v = cpu_to_le32((u32)val);

		return copy_to_user(buf, &v, 4) ? -EFAULT : 4;
	}
}

/**
 * vcxl_bar_rw() - an access to the component register block in its BAR
 * @cd: device
 * @buf: user buffer
 * @count: bytes
 * @ppos: file position (component BAR region)
 * @iswrite: direction
 *
 * CXL r3.1 8.2.2: component registers are accessed whole (4 bytes for a
 * 32-bit register, 8 for a 64-bit one) and naturally aligned; anything else
 * fails with EINVAL. The CXL.cache/mem area is the COMP_REGS region (the
 * capability array as the device has it, the emulated HDM decoders, the
 * other capabilities reading as zero), as the VMM's own view of it is. The
 * rest of the block (CXL.io, implementation-specific, ARB/MUX) reads from
 * the device; writes to any of it except the HDM decoders are dropped:
 * RAS (the host's error handling), Link (LL_Reset, LL_Init_Stall would
 * reset or stall the link the host's HPA range is routed through), IDE
 * (the platform's keys and streams), BI and Cache-ID decoders (coherence
 * routing the host programs) and ARB/MUX all belong to the host, not to
 * the guest.
 *
 * Return: bytes done or a negative errno.
 */
ssize_t vcxl_bar_rw(struct vcxl_device *cd, char __user *buf, size_t count,
		    loff_t *ppos, bool iswrite)
{
	u64 pos = *ppos & VFIO_PCI_OFFSET_MASK;
	u32 off, cm;
	ssize_t ret;

	if ((count != 4 && count != 8) || !IS_ALIGNED(pos, count) ||
	    pos < cd->comp_off || pos + count > cd->comp_off + CXL_COMP_BLOCK_SIZE)
		return -EINVAL;
	off = pos - cd->comp_off;
	cm = off - CXL_COMP_CM_OFFSET;
	if (off >= CXL_COMP_CM_OFFSET && cm < CXL_COMP_CM_SIZE) {
		if (cm < cxlemu_comp_size(&cd->emu_comp)) {
			ret = vcxl_comp_access(cd, buf, count, cm, iswrite);
			/* The capability array is read-only: dropped. */
			if (iswrite && ret == -EPERM)
				ret = count;
		} else if (iswrite) {
			ret = count;
		} else {
			u64 zero = 0;

			ret = copy_to_user(buf, &zero, count) ? -EFAULT : count;
		}
	} else if (iswrite) {
		ret = count;
	} else {
		ret = vcxl_block_hw_read(cd, buf, count, off);
	}
	if (ret > 0)
		*ppos += ret;
	return ret;
}

/**
 * vcxl_bar_mmap_refused() - does an mmap of the component BAR cover the block
 * @cd: device
 * @vma: the request
 *
 * Return: true when it overlaps the component register block.
 */
bool vcxl_bar_mmap_refused(struct vcxl_device *cd, struct vm_area_struct *vma)
{
	u64 start = ((u64)vma->vm_pgoff << PAGE_SHIFT) & VFIO_PCI_OFFSET_MASK;
	u64 len = vma->vm_end - vma->vm_start;

	return start < cd->comp_off + CXL_COMP_BLOCK_SIZE &&
	       start + len > cd->comp_off;
}

/**
 * vcxl_comp_bar_info() - VFIO_DEVICE_GET_REGION_INFO for the component BAR
 * @cd: device
 * @arg: user's struct vfio_region_info
 *
 * Same as vfio-pci's, plus a sparse mmap capability whose areas leave out
 * the component register block.
 *
 * Return: 0 or a negative errno.
 */
int vcxl_comp_bar_info(struct vcxl_device *cd, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_region_info, offset);
	struct pci_dev *pdev = cd->core.pdev;
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	struct vfio_region_info_cap_sparse_mmap *sparse;
	struct vfio_region_info info;
	u64 bar_len = pci_resource_len(pdev, cd->comp_bar);
	u64 blk_end = cd->comp_off + CXL_COMP_BLOCK_SIZE;
	size_t sz;
	u32 n = 0;
	int ret = 0;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;

	info.offset = VFIO_PCI_INDEX_TO_OFFSET(cd->comp_bar);
	info.size = bar_len;
	info.flags = VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE;
	info.cap_offset = 0;

	if (cd->core.bar_mmap_supported[cd->comp_bar]) {
		sz = struct_size(sparse, areas, 2);
		sparse = kzalloc(sz, GFP_KERNEL);
		if (!sparse)
			return -ENOMEM;
		sparse->header.id = VFIO_REGION_INFO_CAP_SPARSE_MMAP;
		sparse->header.version = 1;
		if (cd->comp_off) {
			sparse->areas[n].offset = 0;
			sparse->areas[n].size = cd->comp_off;
			n++;
		}
		if (blk_end < bar_len) {
			sparse->areas[n].offset = blk_end;
			sparse->areas[n].size = bar_len - blk_end;
			n++;
		}
		sparse->nr_areas = n;
		info.flags |= VFIO_REGION_INFO_FLAG_MMAP;
		ret = vfio_info_add_capability(&caps, &sparse->header,
					       struct_size(sparse, areas, n));
		kfree(sparse);
		if (ret)
			return ret;
	}

	if (caps.size) {
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
		if (info.argsz < sizeof(info) + caps.size) {
			info.argsz = sizeof(info) + caps.size;
		} else {
			vfio_info_cap_shift(&caps, sizeof(info));
			if (copy_to_user(arg + sizeof(info), caps.buf, caps.size))
				ret = -EFAULT;
			info.cap_offset = sizeof(info);
		}
		kfree(caps.buf);
	}
	if (ret)
		return ret;
	return copy_to_user(arg, &info, min_t(size_t, info.argsz, sizeof(info))) ?
	       -EFAULT : 0;
}

/*
 * What vfio-pci's own GET_INFO adds besides: the AtomicOp completer sizes
 * the path to the root port can route (an accelerator may depend on them).
 */
static int vcxl_atomic_cap(struct vcxl_device *cd, struct vfio_info_cap *caps)
{
	static const struct {
		u32 devcap2;
		u32 flag;
	} sizes[] = {
		{ PCI_EXP_DEVCAP2_ATOMIC_COMP32, VFIO_PCI_ATOMIC_COMP32 },
		{ PCI_EXP_DEVCAP2_ATOMIC_COMP64, VFIO_PCI_ATOMIC_COMP64 },
		{ PCI_EXP_DEVCAP2_ATOMIC_COMP128, VFIO_PCI_ATOMIC_COMP128 },
	};
	struct vfio_device_info_cap_pci_atomic_comp cap = {};
	struct pci_dev *pdev = pci_physfn(cd->core.pdev);
	unsigned int i;
	u32 devcap2 = 0;

	pcie_capability_read_dword(pdev, PCI_EXP_DEVCAP2, &devcap2);
	for (i = 0; i < ARRAY_SIZE(sizes); i++)
		if ((devcap2 & sizes[i].devcap2) &&
		    !pci_enable_atomic_ops_to_root(pdev, sizes[i].devcap2))
			cap.flags |= sizes[i].flag;
	if (!cap.flags)
		return 0;
	cap.header.id = VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP;
	cap.header.version = 1;
	return vfio_info_add_capability(caps, &cap.header, sizeof(cap));
}

/**
 * vcxl_get_info() - VFIO_DEVICE_GET_INFO with the CXL flag and capability
 * @cd: device
 * @arg: user's struct vfio_device_info
 *
 * Return: 0 or a negative errno.
 */
int vcxl_get_info(struct vcxl_device *cd, void __user *arg)
{
	unsigned long minsz = offsetofend(struct vfio_device_info, num_irqs);
	struct vfio_info_cap caps = { .buf = NULL, .size = 0 };
	struct vfio_device_info info = {};
	struct cxlemu_vfio_cap c = {};
	u8 raw[CXLEMU_VFIO_CAP_SIZE] __aligned(8);
	int ret;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	minsz = min_t(size_t, info.argsz, sizeof(info));

	info.flags = VFIO_DEVICE_FLAGS_PCI | VFIO_DEVICE_FLAGS_CXL;
	if (cd->core.reset_works)
		info.flags |= VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VFIO_PCI_NUM_REGIONS + cd->core.num_regions;
	info.num_irqs = VFIO_PCI_NUM_IRQS;

	c.hdm_regs_bar_index = cd->comp_bar;
	c.hdm_regs_offset = cd->comp_off + CXL_COMP_CM_OFFSET;
	c.dpa_region_index = cd->dpa_index;
	c.comp_regs_region_index = cd->comp_index;
	c.flags = cd->self_committed ? 0 : VFIO_CXL_CAP_FIRMWARE_COMMITTED;
	/* The device's own DVSEC says (emulate_cxl_reset changes no cache bit). */
	if (cd->dvsec_cap & CXL_DVSEC_CAP_CACHE)
		c.flags |= VFIO_CXL_CAP_CACHE_CAPABLE;

	ret = vcxl_atomic_cap(cd, &caps);
	if (!ret)
		ret = cxlemu_vfio_cap_encode(raw, sizeof(raw), 0, &c);
	if (!ret)
		ret = vfio_info_add_capability(&caps,
					       (struct vfio_info_cap_header *)raw,
					       sizeof(raw));
	if (ret) {
		kfree(caps.buf);
		return ret;
	}

	info.flags |= VFIO_DEVICE_FLAGS_CAPS;
	if (info.argsz < sizeof(info) + caps.size) {
		info.argsz = sizeof(info) + caps.size;
	} else {
		vfio_info_cap_shift(&caps, sizeof(info));
		if (copy_to_user(arg + sizeof(info), caps.buf, caps.size)) {
			kfree(caps.buf);
			return -EFAULT;
		}
		info.cap_offset = sizeof(info);
	}
	kfree(caps.buf);

	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

/* ---- config space: the CXL Device DVSEC --------------------------------- */

/**
 * vcxl_do_guest_reset() - carry out a CXL reset the user asked for
 * @cd: device
 * @mem_clr: with CXL Reset Mem Clr Enable
 *
 * From a DVSEC Control2 Initiate CXL Reset write, once emu_lock is dropped.
 * vfio-pci's own reset ioctl does the same: zap under memory_lock, reset.
 * A CXL Reset capable device gets a real CXL Reset (vcxl_cxl_reset());
 * one that offers it only through emulate_cxl_reset gets a conventional
 * reset through the PCI core, whose hooks do the rest.
 */
static void vcxl_do_guest_reset(struct vcxl_device *cd, bool mem_clr)
{
	struct vfio_pci_core_device *vdev = &cd->core;
	struct device *dev = &vdev->pdev->dev;
	int ret;

	/* A config write does not wake the function as an ioctl does. */
	ret = pm_runtime_resume_and_get(dev);
	if (!ret) {
		down_write(&vdev->memory_lock);
		unmap_mapping_range(vdev->vdev.inode->i_mapping,
				    VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_BAR0_REGION_INDEX),
				    VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_ROM_REGION_INDEX) -
				    VFIO_PCI_INDEX_TO_OFFSET(VFIO_PCI_BAR0_REGION_INDEX),
				    true);
		if (vcxl_has_cxl_reset(cd)) {
			/* As pci_try_reset_function(): never wait for the lock. */
			if (pci_dev_trylock(vdev->pdev)) {
				ret = vcxl_cxl_reset(cd, mem_clr);
				pci_dev_unlock(vdev->pdev);
			} else {
				ret = -EAGAIN;
			}
		} else {
			cd->reset_kind = CXLEMU_RESET_CXL;
			ret = pci_try_reset_function(vdev->pdev);
			cd->reset_kind = CXLEMU_RESET_CONVENTIONAL;
		}
		up_write(&vdev->memory_lock);
		pm_runtime_put(dev);
	}
	if (ret) {
		pci_warn(vdev->pdev, "guest CXL reset failed: %pe\n", ERR_PTR(ret));
		vcxl_emu_reset_failed(cd);
	}
}

static ssize_t vcxl_dvsec_access(struct vcxl_device *cd, char __user *buf,
				 unsigned int width, u32 off, bool iswrite)
{
	u32 val = 0;
	bool do_reset, mem_clr;
	int ret;

	if (iswrite) {
		if (copy_from_user(&val, buf, width))
			return -EFAULT;
		val = le32_to_cpu((__force __le32)val);
		mutex_lock(&cd->emu_lock);
		ret = cxlemu_dvsec_write(&cd->emu_dvsec, off, width, val);
		do_reset = cd->cxl_reset_req;
		mem_clr = cd->cxl_reset_mem_clr;
		cd->cxl_reset_req = false;
		mutex_unlock(&cd->emu_lock);
		if (do_reset)
			vcxl_do_guest_reset(cd, mem_clr);
		return ret ? ret : width;
	}

	mutex_lock(&cd->emu_lock);
	ret = cxlemu_dvsec_read(&cd->emu_dvsec, off, width, &val);
	mutex_unlock(&cd->emu_lock);
	if (ret)
		return ret;
	val = (__force u32)cpu_to_le32(val);
	/*
	 * The extended capability header is vfio-pci's, as for every other
	 * capability: its Next skips the capabilities vfio-pci hides.
	 */
	if (off < PCI_DVSEC_HEADER1)
		memcpy(&val, cd->core.vconfig + cd->dvsec + off, width);
	if (copy_to_user(buf, &val, width))
		return -EFAULT;
	return width;
}

/* The end of the read-only DVSEC holding config offset @p, or 0. */
static u64 vcxl_ro_dvsec_end(struct vcxl_device *cd, u64 p)
{
	unsigned int i;

	for (i = 0; i < cd->n_ro_dvsec; i++)
		if (p >= cd->ro_dvsec[i].start &&
		    p < cd->ro_dvsec[i].start + cd->ro_dvsec[i].len)
			return cd->ro_dvsec[i].start + cd->ro_dvsec[i].len;
	return 0;
}

/* Where the next emulated or read-only DVSEC after @p starts. */
static u64 vcxl_next_special(struct vcxl_device *cd, u64 p)
{
	u64 next = cd->dvsec > p ? cd->dvsec : U64_MAX;
	unsigned int i;

	for (i = 0; i < cd->n_ro_dvsec; i++)
		if (cd->ro_dvsec[i].start > p)
			next = min_t(u64, next, cd->ro_dvsec[i].start);
	return next;
}

/*
 * Does this config write ask for D3hot? vfio-pci acts on a PM Control
 * write whose first byte is PM Control's (its chunks start there: the
 * register is dword aligned) and takes the state from that byte (vfio_pm_
 * config_write()).
 */
static bool vcxl_pm_ctrl_d3(struct vcxl_device *cd, char __user *buf,
			    size_t count, u64 pos)
{
	u16 pmctrl = cd->core.pdev->pm_cap + PCI_PM_CTRL;
	u8 v;

	if (!cd->core.pdev->pm_cap || pos > pmctrl || pos + count <= pmctrl)
		return false;
	if (get_user(v, (u8 __user *)buf + (pmctrl - pos)))
		return false;
	return FIELD_GET(PCI_PM_CTRL_STATE_MASK, v) == PCI_D3hot;
}

/*
 * Before vfio-pci puts the function in D3hot for a PM Control write: as
 * vfio-pci does for its BARs, the DPA mappings go under memory_lock, with
 * memory counted as disabled from then on (a fault or read() racing the
 * write is refused, not served from a decoder about to be lost), and the
 * decoder is due a check on the way back to D0 (see vcxl_dpa_lock()).
 * Then the caches are written back, with nothing left to dirty them.
 */
static void vcxl_pm_d3_begin(struct vcxl_device *cd)
{
	down_write(&cd->core.memory_lock);
	down_write(&cd->dpa_lock);
	cd->d3_pending++;
	cd->pm_suspect = true;
	vcxl_zap_dpa(cd);
	up_write(&cd->dpa_lock);
	up_write(&cd->core.memory_lock);
	vcxl_flush_hpa(cd);
}

static void vcxl_pm_d3_end(struct vcxl_device *cd)
{
	down_write(&cd->core.memory_lock);
	cd->d3_pending--;
	up_write(&cd->core.memory_lock);
}

/**
 * vcxl_config_rw() - config space access with the DVSEC emulated
 * @cd: device
 * @buf: user buffer
 * @count: bytes
 * @ppos: file position (config region)
 * @iswrite: direction
 *
 * Bytes outside the DVSEC go to vfio-pci-core; bytes inside it go to the
 * emulation in naturally aligned pieces of 4, 2 or 1 bytes. Writes to the
 * device's other CXL DVSECs are dropped. A write to D3hot removes the DPA
 * mappings first.
 *
 * Return: bytes done or a negative errno.
 */
ssize_t vcxl_config_rw(struct vcxl_device *cd, char __user *buf, size_t count,
		       loff_t *ppos, bool iswrite)
{
	struct vfio_device *core_vdev = &cd->core.vdev;
	u64 pos = *ppos & VFIO_PCI_OFFSET_MASK;
	u64 start = cd->dvsec, end = start + cd->dvsec_len;
	bool d3 = iswrite && vcxl_pm_ctrl_d3(cd, buf, count, pos);
	size_t done = 0;
	ssize_t ret = 0;

	if (d3)
		vcxl_pm_d3_begin(cd);
	/* An FLR this write starts (vfio-pci does it inside) is the guest's. */
	if (iswrite)
		WRITE_ONCE(cd->cfg_writer, current);

	while (done < count) {
		u64 p = pos + done;
		size_t left = count - done;
		u64 ro_end = vcxl_ro_dvsec_end(cd, p);

		if (p >= start && p < end) {
			unsigned int w = 1;

			if (IS_ALIGNED(p, 4) && left >= 4 && p + 4 <= end)
				w = 4;
			else if (IS_ALIGNED(p, 2) && left >= 2 && p + 2 <= end)
				w = 2;
			ret = vcxl_dvsec_access(cd, buf + done, w, p - start,
						iswrite);
		} else if (iswrite && ro_end) {
			/* Read-only to the user: see vcxl_find_ro_dvsecs(). */
			ret = min_t(u64, left, ro_end - p);
		} else {
			loff_t cpos = *ppos + done;
			size_t n = min_t(u64, left, vcxl_next_special(cd, p) - p);

			ret = iswrite ? vfio_pci_core_write(core_vdev, buf + done,
							    n, &cpos) :
					vfio_pci_core_read(core_vdev, buf + done,
							   n, &cpos);
		}
		if (ret <= 0)
			break;
		done += ret;
	}

	if (iswrite)
		cmpxchg(&cd->cfg_writer, current, NULL);
	if (d3)
		vcxl_pm_d3_end(cd);
	if (!done)
		return ret ? ret : -EINVAL;
	*ppos += done;
	return done;
}
