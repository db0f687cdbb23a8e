/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * cxl-accel: the register map of the project's emulated CXL Type-2
 * accelerator (qemu/patches/0008-hw-cxl-cxl-accel-*.patch). The device side
 * has its own copy of these numbers in QEMU's style; this header is the one
 * the selftests, the tests in tests/accel/ and any guest driver include.
 * Keep both in step: tests/accel/README.md says what each register does.
 *
 * Standard CXL registers (DVSEC fields, component registers, HDM decoder)
 * are in core/cxl_regs.h; only what is particular to this device is here:
 * its ids, its BAR layout, the DVSEC values it advertises, and the vendor
 * command interface. The includer supplies BIT()/GENMASK() (linux/bits.h in
 * the kernel, core/user/bitfield.h in userspace).
 *
 * Layout as core/cxl_regs.h: offsets at column 0, fields indented.
 */
#ifndef _VFIO_CXL_ACCEL_REGS_H
#define _VFIO_CXL_ACCEL_REGS_H

/* ---- PCI identity ---------------------------------------------------------- */
/*
 * QEMU's (Red Hat's) vendor id with a device id that is NOT allocated in
 * QEMU's docs/specs/pci-ids.rst: project-local, good for this emulator only.
 */
#define CXL_ACCEL_PCI_VENDOR_ID		0x1b36
#define CXL_ACCEL_PCI_DEVICE_ID		0x7ac0
#define CXL_ACCEL_PCI_CLASS		0x1200	/* processing accelerator */
#define CXL_ACCEL_PCI_REVISION		0x01

/* ---- What the CXL Device DVSEC (id 0) advertises ----------------------------- */
/*
 * CXL Capability (CXL_DVSEC_CAP): Cache_Capable, IO_Capable, Mem_Capable,
 * HDM_Count = 1, Cache WBI Capable, CXL Reset Capable, CXL Reset Mem Clr
 * Capable; CXL Reset Timeout is the smallest encoding that covers the
 * property cxl-reset-delay-ms (default 5 ms: encoding 0 = 10 ms).
 * Range 1: size = the memory backend's size (a multiple of 256 MiB),
 * Media Type 010b / Memory Class 010b (CXL), Memory_Active_Timeout = the
 * smallest encoding covering mem-active-delay-ms. No Range 2.
 * DVSEC revision 3 (length 0x3c, with Capability3 = 0).
 * Capability2: Cache Size Unit 1 (64 KiB), Cache Size 1.
 */
#define CXL_ACCEL_DVSEC_REV		3

/* ---- Register Locator DVSEC (id 8) ----------------------------------------- */
/* One entry: block id CXL_RL_ID_COMPONENT, BIR 0, offset 0x10000. */
#define CXL_ACCEL_RL_ENTRIES		1
/*
 * Config space: PCIe capability at 0x80 (FLR capable), then the DVSECs from
 * 0x100: CXL Device (id 0), Register Locator (id 8), Flex Bus Port (id 7:
 * Cache, IO, Mem capable). Find them by walking, not by these offsets.
 */

/* ---- BAR0: 64-bit memory BAR, 256 KiB ----------------------------------------- */
#define CXL_ACCEL_BAR			0
#define CXL_ACCEL_BAR_SIZE		0x40000
#define CXL_ACCEL_VENDOR_A_OFFSET	0x00000	/* page A: command interface */
#define CXL_ACCEL_VENDOR_A_SIZE		0x10000
#define CXL_ACCEL_COMP_OFFSET		0x10000	/* CXL component register block */
#define CXL_ACCEL_COMP_SIZE		0x10000
#define CXL_ACCEL_HDM_OFFSET		0x11000	/* CXL.cache/mem area (cap array) */
#define CXL_ACCEL_VENDOR_B_OFFSET	0x20000	/* page B: scratch RAM, RW */
#define CXL_ACCEL_VENDOR_B_SIZE		0x20000

/*
 * The CXL.cache/mem capability array has a single HDM Decoder Capability
 * (CXL_CM_CAP_ID_HDM) with one decoder (Decoder Count 0 = 1 decoder),
 * Target Type 0 = device-coherent (HDM-D). Every reset other than FLR
 * clears it (uncommitted, unlocked, zero base/size).
 */
#define CXL_ACCEL_HDM_DECODERS		1
/*
 * The array as the device builds it: header, then RAS (1), Link (2) and HDM
 * (3) entries. Software walks it; tests may check this exact layout.
 */
#define CXL_ACCEL_CM_HDM_ENTRY		3	/* HDM is the 3rd entry (array size 3) */

/* ---- Command interface: BAR0 + 0x0, little-endian ------------------------------ */
/* 64-bit registers may be accessed as one qword or as two dwords. */
#define CXL_ACCEL_ID			0x000	/* RO */
#define   CXL_ACCEL_ID_VALUE			0x4143584c	/* "LXCA" */
#define CXL_ACCEL_VERSION		0x004	/* RO */
#define   CXL_ACCEL_VERSION_VALUE		1
#define CXL_ACCEL_STATUS		0x008
#define   CXL_ACCEL_STATUS_BUSY			BIT(0)	/* RO */
#define   CXL_ACCEL_STATUS_DONE			BIT(1)	/* RW1C */
#define   CXL_ACCEL_STATUS_ERROR		BIT(2)	/* RW1C */
#define CXL_ACCEL_ERROR_CODE		0x00c	/* RO, why the last command failed */
#define   CXL_ACCEL_ERR_NONE			0
#define   CXL_ACCEL_ERR_BAD_OPCODE		1
#define   CXL_ACCEL_ERR_BAD_RANGE		2	/* length/alignment/bounds */
#define   CXL_ACCEL_ERR_DMA_FAULT		3	/* pci_dma_* failed (IOMMU, BME) */
#define   CXL_ACCEL_ERR_MEM_INACTIVE		4	/* device memory not active */
#define CXL_ACCEL_OPCODE		0x010	/* RW */
#define   CXL_ACCEL_OP_COPY_H2D			1	/* host SRC iova -> dev DST offset */
#define   CXL_ACCEL_OP_COPY_D2H			2	/* dev SRC offset -> host DST iova */
#define   CXL_ACCEL_OP_FILL_DEV			3	/* PATTERN -> dev DST offset */
#define   CXL_ACCEL_OP_CACHE_WRITE_HOST		4	/* PATTERN -> host DST iova, cached */
#define CXL_ACCEL_SRC			0x018	/* RW, 64-bit */
#define CXL_ACCEL_DST			0x020	/* RW, 64-bit */
#define CXL_ACCEL_LEN			0x028	/* RW, 64-bit, bytes */
#define   CXL_ACCEL_LEN_ALIGN			8	/* copies and fill */
#define   CXL_ACCEL_CACHE_LINE			64	/* cache op: DST and LEN */
#define CXL_ACCEL_PATTERN		0x030	/* RW, 64-bit */
#define CXL_ACCEL_DOORBELL		0x038	/* WO, write 1: run (synchronous) */
#define   CXL_ACCEL_DOORBELL_RUN		BIT(0)
#define CXL_ACCEL_CACHE_DIRTY		0x040	/* RO, dirty 64-byte lines */
#define CXL_ACCEL_CACHE_LINES		0x044	/* RO, capacity in lines */
#define CXL_ACCEL_MAX_LEN		0x10000000ULL	/* one command moves <= 256 MiB */

/* ---- QEMU properties and their defaults --------------------------------------- */
#define CXL_ACCEL_DEF_CACHE_LINES	16	/* cache-lines (1..256) */
#define CXL_ACCEL_DEF_MEM_ACTIVE_MS	0	/* mem-active-delay-ms */
#define CXL_ACCEL_DEF_WBI_MS		1	/* wbi-delay-ms */
#define CXL_ACCEL_DEF_CXL_RESET_MS	5	/* cxl-reset-delay-ms */

#endif /* _VFIO_CXL_ACCEL_REGS_H */
