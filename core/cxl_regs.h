/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CXL register definitions used by every side of vfio-cxl (core/, kernel/,
 * lib/, tools/, tests/). One definition per field: nothing else in the tree
 * spells a register mask in hex.
 *
 * Layout: register offsets at column 0, their fields indented under them,
 * built with GENMASK()/BIT() and read/written only through FIELD_GET(),
 * FIELD_PREP() and u32_replace_bits(). Every block cites the section of the
 * CXL Specification Revision 3.1 (August 2023) that defines it. Access types
 * are noted per field: RO, HwInit, RW, RWL (locked by CONFIG_LOCK or by
 * lock-on-commit), RW1C, RW1CS (sticky), RWO (write once), RsvdP, RsvdZ.
 *
 * Names carry a CXL_ prefix and deliberately differ from Linux's private
 * drivers/cxl/cxl.h names so that kernel code may include both.
 */
#ifndef _VFIO_CXL_CXL_REGS_H
#define _VFIO_CXL_CXL_REGS_H

/* ---- PCIe extended capability header (PCIe r6.0 7.6.3) ------------------ */
#define CXL_PCI_EXT_CAP_HDR		0x00
#define   CXL_PCI_EXT_CAP_HDR_ID		GENMASK(15, 0)
#define   CXL_PCI_EXT_CAP_HDR_VER		GENMASK(19, 16)
#define   CXL_PCI_EXT_CAP_HDR_NEXT		GENMASK(31, 20)
#define CXL_PCI_EXT_CAP_ID_DVSEC	0x23	/* Designated Vendor-Specific */
#define CXL_PCI_EXT_CAP_START		0x100	/* first extended capability */
#define CXL_PCI_CFG_SPACE_EXP_SIZE	0x1000

/* ---- DVSEC headers (PCIe r6.0 7.9.6.2, 7.9.6.3) ------------------------- */
#define CXL_DVSEC_HDR1			0x04
#define   CXL_DVSEC_HDR1_VENDOR		GENMASK(15, 0)
#define   CXL_DVSEC_HDR1_REV		GENMASK(19, 16)
#define   CXL_DVSEC_HDR1_LEN		GENMASK(31, 20)
#define CXL_DVSEC_HDR2			0x08
#define   CXL_DVSEC_HDR2_ID		GENMASK(15, 0)

#define CXL_DVSEC_VENDOR_ID		0x1e98	/* CXL r3.1 8.1.1 */
/* DVSEC IDs assigned by CXL (CXL r3.1 Table 8-2) */
#define CXL_DVSEC_ID_DEVICE		0	/* PCIe DVSEC for CXL Devices */
#define CXL_DVSEC_ID_NON_CXL_FUNC	2
#define CXL_DVSEC_ID_PORT_EXT		3
#define CXL_DVSEC_ID_GPF_PORT		4
#define CXL_DVSEC_ID_GPF_DEVICE		5
#define CXL_DVSEC_ID_FLEXBUS_PORT	7
#define CXL_DVSEC_ID_REG_LOCATOR	8
#define CXL_DVSEC_ID_MLD		9

/* ---- PCIe DVSEC for CXL Devices (CXL r3.1 8.1.3) ------------------------ */
/* Revision 2 and later are 0x3c bytes long (Capability3 at 0x38). */
#define CXL_DVSEC_DEV_REV_MIN		1
#define CXL_DVSEC_DEV_LEN_R2		0x3c
#define CXL_DVSEC_DEV_LEN_R1		0x38

/* CXL r3.1 8.1.3.1 DVSEC CXL Capability (16 bit; all RO or HwInit) */
#define CXL_DVSEC_CAP			0x0a
#define   CXL_DVSEC_CAP_CACHE			BIT(0)	/* Cache_Capable */
#define   CXL_DVSEC_CAP_IO			BIT(1)	/* IO_Capable, always 1 */
#define   CXL_DVSEC_CAP_MEM			BIT(2)	/* Mem_Capable */
#define   CXL_DVSEC_CAP_MEM_HWINIT_MODE	BIT(3)
#define   CXL_DVSEC_CAP_HDM_COUNT		GENMASK(5, 4)	/* 1 or 2 ranges */
#define   CXL_DVSEC_CAP_CACHE_WBI		BIT(6)	/* Cache WB and Inv Capable */
#define   CXL_DVSEC_CAP_CXL_RESET		BIT(7)	/* CXL Reset Capable */
#define   CXL_DVSEC_CAP_CXL_RESET_TIMEOUT	GENMASK(10, 8)
#define     CXL_DVSEC_RESET_TIMEOUT_10MS	0
#define     CXL_DVSEC_RESET_TIMEOUT_100MS	1
#define     CXL_DVSEC_RESET_TIMEOUT_1S		2
#define     CXL_DVSEC_RESET_TIMEOUT_10S		3
#define     CXL_DVSEC_RESET_TIMEOUT_100S	4
#define   CXL_DVSEC_CAP_CXL_RESET_MEM_CLR	BIT(11)	/* Reset Mem Clr Capable */
#define   CXL_DVSEC_CAP_TSP			BIT(12)
#define   CXL_DVSEC_CAP_MLD			BIT(13)	/* Multiple Logical Device */
#define   CXL_DVSEC_CAP_VIRAL			BIT(14)
#define   CXL_DVSEC_CAP_PM_INIT_REPORT		BIT(15)

/* CXL r3.1 8.1.3.2 DVSEC CXL Control (16 bit) */
#define CXL_DVSEC_CTRL			0x0c
#define   CXL_DVSEC_CTRL_CACHE_EN		BIT(0)	/* RWL */
#define   CXL_DVSEC_CTRL_IO_EN			BIT(1)	/* RO, reads 1 */
#define   CXL_DVSEC_CTRL_MEM_EN			BIT(2)	/* RWL */
#define   CXL_DVSEC_CTRL_CACHE_SF_COVERAGE	GENMASK(7, 3)	/* RWL */
#define   CXL_DVSEC_CTRL_CACHE_SF_GRAN		GENMASK(10, 8)	/* RWL */
#define   CXL_DVSEC_CTRL_CACHE_CLEAN_EVICT	BIT(11)	/* RWL */
#define   CXL_DVSEC_CTRL_P2P_MEM_EN		BIT(12)	/* RWL if Cap3 P2P Mem Capable */
#define   CXL_DVSEC_CTRL_RSVD13			BIT(13)	/* RsvdP */
#define   CXL_DVSEC_CTRL_VIRAL_EN		BIT(14)	/* RWL */
#define   CXL_DVSEC_CTRL_RSVD15			BIT(15)	/* RsvdP */

/* CXL r3.1 8.1.3.3 DVSEC CXL Status (16 bit) */
#define CXL_DVSEC_STATUS		0x0e
#define   CXL_DVSEC_STATUS_RSVD_LO		GENMASK(13, 0)	/* RsvdZ */
#define   CXL_DVSEC_STATUS_VIRAL		BIT(14)	/* RW1CS */
#define   CXL_DVSEC_STATUS_RSVD15		BIT(15)	/* RsvdZ */

/* CXL r3.1 8.1.3.4 DVSEC CXL Control2 (16 bit) */
#define CXL_DVSEC_CTRL2			0x10
#define   CXL_DVSEC_CTRL2_DISABLE_CACHING	BIT(0)	/* RW */
#define   CXL_DVSEC_CTRL2_INIT_CACHE_WBI	BIT(1)	/* RW, doorbell, reads 0 */
#define   CXL_DVSEC_CTRL2_INIT_CXL_RESET	BIT(2)	/* RW, doorbell, reads 0 */
#define   CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN	BIT(3)	/* RW if Mem Clr Capable */
#define   CXL_DVSEC_CTRL2_HOT_RESET_HDM_STATE	BIT(4)	/* RW if Cap3 Configurable */
#define   CXL_DVSEC_CTRL2_MOD_COMPLETION_EN	BIT(5)	/* RW if Cap2 capable */
#define   CXL_DVSEC_CTRL2_RSVD			GENMASK(15, 6)	/* RsvdP */

/* CXL r3.1 8.1.3.5 DVSEC CXL Status2 (16 bit) */
#define CXL_DVSEC_STATUS2		0x12
#define   CXL_DVSEC_STATUS2_CACHE_INVALID	BIT(0)	/* RO */
#define   CXL_DVSEC_STATUS2_RESET_COMPLETE	BIT(1)	/* RO */
#define   CXL_DVSEC_STATUS2_RESET_ERROR		BIT(2)	/* RO */
#define   CXL_DVSEC_STATUS2_HDM_PRESERVE_ERR	BIT(3)	/* RW1CS */
#define   CXL_DVSEC_STATUS2_RSVD		GENMASK(14, 4)	/* RsvdZ */
#define   CXL_DVSEC_STATUS2_PM_INIT_COMPLETE	BIT(15)	/* RO */

/* CXL r3.1 8.1.3.6 DVSEC CXL Lock (16 bit) */
#define CXL_DVSEC_LOCK			0x14
#define   CXL_DVSEC_LOCK_CONFIG_LOCK		BIT(0)	/* RWO */
#define   CXL_DVSEC_LOCK_RSVD			GENMASK(15, 1)	/* RsvdP */

/* CXL r3.1 8.1.3.7 DVSEC CXL Capability2 (16 bit; RO) */
#define CXL_DVSEC_CAP2			0x16
#define   CXL_DVSEC_CAP2_CACHE_SIZE_UNIT	GENMASK(3, 0)
#define   CXL_DVSEC_CAP2_FALLBACK		GENMASK(5, 4)
#define   CXL_DVSEC_CAP2_MOD_COMPLETION		BIT(6)
#define   CXL_DVSEC_CAP2_NO_CLEAN_WB		BIT(7)
#define   CXL_DVSEC_CAP2_CACHE_SIZE		GENMASK(15, 8)

/* CXL r3.1 8.1.3.8 DVSEC CXL Range 1/2 registers (32 bit each) */
#define CXL_DVSEC_RANGE_STRIDE		0x10
#define CXL_DVSEC_RANGE_SIZE_HI(n)	(0x18 + (n) * CXL_DVSEC_RANGE_STRIDE)	/* RO */
#define CXL_DVSEC_RANGE_SIZE_LO(n)	(0x1c + (n) * CXL_DVSEC_RANGE_STRIDE)
#define   CXL_DVSEC_RANGE_SIZE_LO_VALID		BIT(0)	/* Memory_Info_Valid, RO */
#define   CXL_DVSEC_RANGE_SIZE_LO_ACTIVE	BIT(1)	/* Memory_Active, RO */
#define   CXL_DVSEC_RANGE_SIZE_LO_MEDIA_TYPE	GENMASK(4, 2)	/* HwInit */
#define   CXL_DVSEC_RANGE_SIZE_LO_MEM_CLASS	GENMASK(7, 5)	/* HwInit */
#define   CXL_DVSEC_RANGE_SIZE_LO_INTERLEAVE	GENMASK(12, 8)	/* HwInit */
#define   CXL_DVSEC_RANGE_SIZE_LO_ACT_TIMEOUT	GENMASK(15, 13)	/* HwInit */
#define   CXL_DVSEC_RANGE_SIZE_LO_DEGRADED	BIT(16)	/* RO */
#define   CXL_DVSEC_RANGE_SIZE_LO_RSVD		GENMASK(27, 17)	/* RsvdP */
#define   CXL_DVSEC_RANGE_SIZE_LO_SIZE		GENMASK(31, 28)	/* RO, 256 MiB units */
#define CXL_DVSEC_RANGE_BASE_HI(n)	(0x20 + (n) * CXL_DVSEC_RANGE_STRIDE)	/* RWL */
#define CXL_DVSEC_RANGE_BASE_LO(n)	(0x24 + (n) * CXL_DVSEC_RANGE_STRIDE)
#define   CXL_DVSEC_RANGE_BASE_LO_RSVD		GENMASK(27, 0)	/* RsvdP */
#define   CXL_DVSEC_RANGE_BASE_LO_BASE		GENMASK(31, 28)	/* RWL */

/* CXL r3.1 8.1.3.9 DVSEC CXL Capability3 (16 bit; RO) */
#define CXL_DVSEC_CAP3			0x38
#define   CXL_DVSEC_CAP3_COLD_RESET_HDM_STATE	BIT(0)
#define   CXL_DVSEC_CAP3_WARM_RESET_HDM_STATE	BIT(1)
#define   CXL_DVSEC_CAP3_HOT_RESET_HDM_STATE	BIT(2)
#define   CXL_DVSEC_CAP3_HOT_RESET_CONFIGURABLE	BIT(3)
#define   CXL_DVSEC_CAP3_P2P_MEM		BIT(4)	/* Direct P2P Mem Capable */
#define   CXL_DVSEC_CAP3_RSVD			GENMASK(15, 5)	/* RsvdP */
#define CXL_DVSEC_RSVD_3A		0x3a	/* 16 bit, RsvdP */

/* ---- Register Locator DVSEC (CXL r3.1 8.1.9) ---------------------------- */
#define CXL_RL_RSVD			0x0a	/* 16 bit, RsvdP */
#define CXL_RL_BLOCK_BASE		0x0c	/* first Register Block entry */
#define CXL_RL_BLOCK_STRIDE		0x08
#define CXL_RL_BLOCK_LO(n)		(CXL_RL_BLOCK_BASE + (n) * CXL_RL_BLOCK_STRIDE)
#define   CXL_RL_BLOCK_LO_BIR			GENMASK(2, 0)
#define   CXL_RL_BLOCK_LO_RSVD			GENMASK(7, 3)	/* RsvdP */
#define   CXL_RL_BLOCK_LO_ID			GENMASK(15, 8)
#define   CXL_RL_BLOCK_LO_OFFSET		GENMASK(31, 16)	/* 64 KiB units */
#define CXL_RL_BLOCK_HI(n)		(CXL_RL_BLOCK_LO(n) + 4)	/* offset 63:32 */
#define CXL_RL_BLOCK_OFFSET_SHIFT	16	/* offset bits 31:16 sit in place */
/* Register Block Identifiers (CXL r3.1 Table 8-21 ... 8.1.9.1) */
#define CXL_RL_ID_EMPTY			0x00
#define CXL_RL_ID_COMPONENT		0x01
#define CXL_RL_ID_BAR_VIRT_ACL		0x02
#define CXL_RL_ID_MEMDEV		0x03
#define CXL_RL_ID_CPMU			0x04
#define CXL_RL_ID_VENDOR		0xff

/* ---- Component registers (CXL r3.1 8.2.3, Table 8-23) ------------------- */
#define CXL_COMP_BLOCK_SIZE		0x10000	/* 64 KiB */
#define CXL_COMP_IO_OFFSET		0x0000	/* CXL.io registers (reserved) */
#define CXL_COMP_CM_OFFSET		0x1000	/* CXL.cache and CXL.mem area */
#define CXL_COMP_CM_SIZE		0x1000
#define CXL_COMP_ARBMUX_OFFSET		0xe000	/* CXL ARB/MUX registers */
#define CXL_COMP_ARBMUX_SIZE		0x400

/* CXL r3.1 8.2.4.1 CXL Capability Header (dword 0 of the CXL.cache/mem area) */
#define CXL_CM_CAP_HDR			0x00
#define   CXL_CM_CAP_HDR_ID			GENMASK(15, 0)	/* 1 */
#define   CXL_CM_CAP_HDR_VER			GENMASK(19, 16)
#define   CXL_CM_CAP_HDR_CM_VER			GENMASK(23, 20)
#define   CXL_CM_CAP_HDR_ARRAY_SIZE		GENMASK(31, 24)	/* entries after it */
/* CXL r3.1 8.2.4.2 onwards: capability array entry, dword 1..N */
#define CXL_CM_CAP_ENTRY(n)		(0x04 + (n) * 4)
#define   CXL_CM_CAP_ENTRY_ID			GENMASK(15, 0)
#define   CXL_CM_CAP_ENTRY_VER			GENMASK(19, 16)
#define   CXL_CM_CAP_ENTRY_PTR			GENMASK(31, 20)	/* from area start */

/* CXL r3.1 Table 8-22 CXL.cache/mem capability identifiers */
#define CXL_CM_CAP_ID_CAP		0x01	/* the array header itself */
#define CXL_CM_CAP_ID_RAS		0x02
#define CXL_CM_CAP_ID_SECURITY		0x03
#define CXL_CM_CAP_ID_LINK		0x04
#define CXL_CM_CAP_ID_HDM		0x05
#define CXL_CM_CAP_ID_EXT_SECURITY	0x06
#define CXL_CM_CAP_ID_IDE		0x07
#define CXL_CM_CAP_ID_SNOOP_FILTER	0x08
#define CXL_CM_CAP_ID_TIMEOUT_ISOL	0x09
#define CXL_CM_CAP_ID_CM_EXT_REG	0x0a
#define CXL_CM_CAP_ID_BI_RT		0x0b
#define CXL_CM_CAP_ID_BI_DECODER	0x0c
#define CXL_CM_CAP_ID_CACHE_ID_RT	0x0d
#define CXL_CM_CAP_ID_CACHE_ID_DECODER	0x0e
#define CXL_CM_CAP_ID_EXT_HDM		0x0f
#define CXL_CM_CAP_ID_EXT_METADATA	0x10

/* CXL r3.1 8.2.4.17 CXL RAS Capability Structure (32-bit registers) */
#define CXL_RAS_UNC_STATUS		0x00
#define CXL_RAS_UNC_MASK		0x04
#define CXL_RAS_UNC_SEVERITY		0x08
#define CXL_RAS_COR_STATUS		0x0c
#define CXL_RAS_COR_MASK		0x10
#define CXL_RAS_CAP_CTRL		0x14

/* ---- HDM Decoder Capability Structure (CXL r3.1 8.2.4.20) --------------- */
/* CXL r3.1 8.2.4.20.1 HDM Decoder Capability Register (RO) */
#define CXL_HDM_CAP			0x00
#define   CXL_HDM_CAP_DECODER_COUNT		GENMASK(3, 0)	/* see decode helper */
#define   CXL_HDM_CAP_TARGET_COUNT		GENMASK(7, 4)	/* ports only */
#define   CXL_HDM_CAP_A11TO8			BIT(8)	/* HPA[11:8] interleave */
#define   CXL_HDM_CAP_A14TO12			BIT(9)	/* HPA[14:12] interleave */
#define   CXL_HDM_CAP_POISON			BIT(10)	/* poison on decode error */
#define   CXL_HDM_CAP_3_6_12_WAY		BIT(11)
#define   CXL_HDM_CAP_16_WAY			BIT(12)
#define   CXL_HDM_CAP_UIO			BIT(13)
#define   CXL_HDM_CAP_RSVD_15_14		GENMASK(15, 14)	/* RsvdP */
#define   CXL_HDM_CAP_UIO_DECODER_COUNT		GENMASK(19, 16)
#define   CXL_HDM_CAP_MEMDATA_NXM		BIT(20)
#define   CXL_HDM_CAP_RSVD_31_21		GENMASK(31, 21)	/* RsvdP */
/* Decoder Count encodings: 0 -> 1, 1..8 -> 2n, 9..0xc -> 4(n-4); rest rsvd */
#define CXL_HDM_DECODER_COUNT_ENC_MAX	0xc

/* CXL r3.1 8.2.4.20.2 HDM Decoder Global Control Register */
#define CXL_HDM_GCTRL			0x04
#define   CXL_HDM_GCTRL_POISON_EN		BIT(0)	/* RW if POISON capable */
#define   CXL_HDM_GCTRL_ENABLE			BIT(1)	/* RW: HDM Decoder Enable */
#define   CXL_HDM_GCTRL_RSVD			GENMASK(31, 2)	/* RsvdP */
#define CXL_HDM_RSVD_08			0x08	/* 0x08..0x0f reserved */

/* Per decoder n: 0x20-byte register set from 0x10 (CXL r3.1 8.2.4.20.3..12) */
#define CXL_HDM_DEC_FIRST		0x10
#define CXL_HDM_DEC_STRIDE		0x20
#define CXL_HDM_DEC_OFF(n)		(CXL_HDM_DEC_FIRST + (n) * CXL_HDM_DEC_STRIDE)
#define CXL_HDM_BLOCK_SIZE(ndec)	(CXL_HDM_DEC_FIRST + (ndec) * CXL_HDM_DEC_STRIDE)
/* Offsets inside one decoder's register set */
#define CXL_HDM_DEC_BASE_LO		0x00	/* 8.2.4.20.3 */
#define   CXL_HDM_DEC_BASE_LO_RSVD		GENMASK(27, 0)	/* RsvdP */
#define   CXL_HDM_DEC_BASE_LO_BASE		GENMASK(31, 28)	/* RWL, HPA[31:28] */
#define CXL_HDM_DEC_BASE_HI		0x04	/* 8.2.4.20.4, RWL, HPA[63:32] */
#define CXL_HDM_DEC_SIZE_LO		0x08	/* 8.2.4.20.5 */
#define   CXL_HDM_DEC_SIZE_LO_RSVD		GENMASK(27, 0)	/* RsvdP */
#define   CXL_HDM_DEC_SIZE_LO_SIZE		GENMASK(31, 28)	/* RWL, size[31:28] */
#define CXL_HDM_DEC_SIZE_HI		0x0c	/* 8.2.4.20.6, RWL, size[63:32] */
#define CXL_HDM_DEC_CTRL		0x10	/* 8.2.4.20.7 */
#define   CXL_HDM_DEC_CTRL_IG			GENMASK(3, 0)	/* RWL */
#define   CXL_HDM_DEC_CTRL_IW			GENMASK(7, 4)	/* RWL */
#define   CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT	BIT(8)	/* RWL */
#define   CXL_HDM_DEC_CTRL_COMMIT		BIT(9)	/* RWL */
#define   CXL_HDM_DEC_CTRL_COMMITTED		BIT(10)	/* RO */
#define   CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED	BIT(11)	/* RO */
#define   CXL_HDM_DEC_CTRL_TARGET_TYPE		BIT(12)	/* RWL: 1 host-only (HDM-H) */
#define   CXL_HDM_DEC_CTRL_BI			BIT(13)	/* RWL: HDM-DB */
#define   CXL_HDM_DEC_CTRL_UIO			BIT(14)	/* RWL if UIO capable */
#define   CXL_HDM_DEC_CTRL_RSVD15		BIT(15)	/* RsvdP */
#define   CXL_HDM_DEC_CTRL_UIG			GENMASK(19, 16)	/* RWL if UIO capable */
#define   CXL_HDM_DEC_CTRL_UIW			GENMASK(23, 20)	/* RWL if UIO capable */
#define   CXL_HDM_DEC_CTRL_ISP			GENMASK(27, 24)	/* RWL if UIO capable */
#define   CXL_HDM_DEC_CTRL_RSVD_31_28		GENMASK(31, 28)	/* RsvdP */
#define     CXL_HDM_DEC_TARGET_DEV_COHERENT	0	/* HDM-D / HDM-DB */
#define     CXL_HDM_DEC_TARGET_HOST_ONLY	1	/* HDM-H */
/* Ports: Target List (8.2.4.20.8/9); endpoints: DPA Skip (8.2.4.20.10/11) */
#define CXL_HDM_DEC_TL_LO		0x14	/* RWL, target ports 0..3 */
#define   CXL_HDM_DEC_TL_LO_T0			GENMASK(7, 0)
#define   CXL_HDM_DEC_TL_LO_T1			GENMASK(15, 8)
#define   CXL_HDM_DEC_TL_LO_T2			GENMASK(23, 16)
#define   CXL_HDM_DEC_TL_LO_T3			GENMASK(31, 24)
#define CXL_HDM_DEC_TL_HI		0x18	/* RWL, target ports 4..7 */
#define CXL_HDM_DEC_SKIP_LO		0x14
#define   CXL_HDM_DEC_SKIP_LO_RSVD		GENMASK(27, 0)	/* RsvdP */
#define   CXL_HDM_DEC_SKIP_LO_SKIP		GENMASK(31, 28)	/* RWL, DPA skip[31:28] */
#define CXL_HDM_DEC_SKIP_HI		0x18	/* RWL, DPA skip[63:32] */
#define CXL_HDM_DEC_RSVD_1C		0x1c	/* reserved */

/* Decoders decode in 256 MiB units (base, size and DPA skip). */
#define CXL_HDM_DEC_ALIGN		BIT_ULL(28)

/* Interleave Ways encodings (CXL r3.1 8.2.4.20.7, IW): ways = 2^n or 3*2^(n-8) */
#define CXL_HDM_IW_1			0x0
#define CXL_HDM_IW_2			0x1
#define CXL_HDM_IW_4			0x2
#define CXL_HDM_IW_8			0x3
#define CXL_HDM_IW_16			0x4
#define CXL_HDM_IW_3			0x8
#define CXL_HDM_IW_6			0x9
#define CXL_HDM_IW_12			0xa
/* Interleave Granularity: 256 << n bytes, n = 0 (256 B) .. 6 (16 KiB) */
#define CXL_HDM_IG_MAX			0x6
#define CXL_HDM_IG_BASE_SHIFT		8

#endif /* _VFIO_CXL_CXL_REGS_H */
