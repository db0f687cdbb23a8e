// SPDX-License-Identifier: MIT
/*
 * Independent reference values for core/cxl_regs.h and the VFIO capability
 * layout of include/uapi/linux/vfio_cxl.h.
 *
 * Every other test builds its register images with the same named fields
 * as the code under test, so a field the header puts at the wrong place
 * (two bits swapped, a mask one bit too wide, an offset off by a register)
 * moves both sides together and goes unseen. This table restates each
 * offset, bit and mask as a literal number copied from the specification
 * (CXL r3.1, August 2023; PCIe r6.0 for the extended capability headers),
 * not from the header: this is the one file where hex masks are the point.
 * The wire layout of VFIO_DEVICE_INFO_CAP_CXL is checked byte by byte
 * on what core/vfio_cap.c encodes, against literal offsets and against the
 * UAPI struct.
 */
#include <stddef.h>
#include "cxlemu.h"
#include "core_tap.h"
#include "uapi/linux/vfio_cxl.h"

struct ref {
	const char *name;
	unsigned long long got;		/* what the header says */
	unsigned long long want;	/* what the spec says */
};

#define R(sym, lit)	{ #sym, (unsigned long long)(sym), (unsigned long long)(lit) }

/* One table per spec section; each case of the TAP is one table. */
static const struct ref pcie_hdr[] = {
	/* PCIe r6.0 7.6.3 Extended Capability Header */
	R(CXL_PCI_EXT_CAP_HDR, 0x00),
	R(CXL_PCI_EXT_CAP_HDR_ID, 0x0000ffff),
	R(CXL_PCI_EXT_CAP_HDR_VER, 0x000f0000),
	R(CXL_PCI_EXT_CAP_HDR_NEXT, 0xfff00000),
	R(CXL_PCI_EXT_CAP_ID_DVSEC, 0x23),
	R(CXL_PCI_EXT_CAP_START, 0x100),
	R(CXL_PCI_CFG_SPACE_EXP_SIZE, 0x1000),
	/* PCIe r6.0 7.9.6.2/3 DVSEC Header 1 and 2 */
	R(CXL_DVSEC_HDR1, 0x04),
	R(CXL_DVSEC_HDR1_VENDOR, 0x0000ffff),
	R(CXL_DVSEC_HDR1_REV, 0x000f0000),
	R(CXL_DVSEC_HDR1_LEN, 0xfff00000),
	R(CXL_DVSEC_HDR2, 0x08),
	R(CXL_DVSEC_HDR2_ID, 0xffff),
	/* CXL r3.1 8.1.1: the CXL DVSEC vendor; Table 8-2 DVSEC IDs */
	R(CXL_DVSEC_VENDOR_ID, 0x1e98),
	R(CXL_DVSEC_ID_DEVICE, 0),
	R(CXL_DVSEC_ID_NON_CXL_FUNC, 2),
	R(CXL_DVSEC_ID_PORT_EXT, 3),
	R(CXL_DVSEC_ID_GPF_PORT, 4),
	R(CXL_DVSEC_ID_GPF_DEVICE, 5),
	R(CXL_DVSEC_ID_FLEXBUS_PORT, 7),
	R(CXL_DVSEC_ID_REG_LOCATOR, 8),
	R(CXL_DVSEC_ID_MLD, 9),
};

static const struct ref dvsec_dev[] = {
	/* CXL r3.1 8.1.3: PCIe DVSEC for CXL Devices, register offsets */
	R(CXL_DVSEC_DEV_LEN_R1, 0x38),
	R(CXL_DVSEC_DEV_LEN_R2, 0x3c),
	R(CXL_DVSEC_CAP, 0x0a),
	R(CXL_DVSEC_CTRL, 0x0c),
	R(CXL_DVSEC_STATUS, 0x0e),
	R(CXL_DVSEC_CTRL2, 0x10),
	R(CXL_DVSEC_STATUS2, 0x12),
	R(CXL_DVSEC_LOCK, 0x14),
	R(CXL_DVSEC_CAP2, 0x16),
	R(CXL_DVSEC_RANGE_SIZE_HI(0), 0x18),
	R(CXL_DVSEC_RANGE_SIZE_LO(0), 0x1c),
	R(CXL_DVSEC_RANGE_BASE_HI(0), 0x20),
	R(CXL_DVSEC_RANGE_BASE_LO(0), 0x24),
	R(CXL_DVSEC_RANGE_SIZE_HI(1), 0x28),
	R(CXL_DVSEC_RANGE_SIZE_LO(1), 0x2c),
	R(CXL_DVSEC_RANGE_BASE_HI(1), 0x30),
	R(CXL_DVSEC_RANGE_BASE_LO(1), 0x34),
	R(CXL_DVSEC_CAP3, 0x38),
	R(CXL_DVSEC_RSVD_3A, 0x3a),
	R(CXLEMU_DVSEC_MAX_LEN, 0x3c),
};

static const struct ref dvsec_fields[] = {
	/* 8.1.3.1 DVSEC CXL Capability */
	R(CXL_DVSEC_CAP_CACHE, 0x0001),
	R(CXL_DVSEC_CAP_IO, 0x0002),
	R(CXL_DVSEC_CAP_MEM, 0x0004),
	R(CXL_DVSEC_CAP_MEM_HWINIT_MODE, 0x0008),
	R(CXL_DVSEC_CAP_HDM_COUNT, 0x0030),
	R(CXL_DVSEC_CAP_CACHE_WBI, 0x0040),
	R(CXL_DVSEC_CAP_CXL_RESET, 0x0080),
	R(CXL_DVSEC_CAP_CXL_RESET_TIMEOUT, 0x0700),
	R(CXL_DVSEC_RESET_TIMEOUT_10MS, 0),
	R(CXL_DVSEC_RESET_TIMEOUT_100MS, 1),
	R(CXL_DVSEC_RESET_TIMEOUT_1S, 2),
	R(CXL_DVSEC_RESET_TIMEOUT_10S, 3),
	R(CXL_DVSEC_RESET_TIMEOUT_100S, 4),
	R(CXL_DVSEC_CAP_CXL_RESET_MEM_CLR, 0x0800),
	R(CXL_DVSEC_CAP_TSP, 0x1000),
	R(CXL_DVSEC_CAP_MLD, 0x2000),
	R(CXL_DVSEC_CAP_VIRAL, 0x4000),
	R(CXL_DVSEC_CAP_PM_INIT_REPORT, 0x8000),
	/* 8.1.3.2 DVSEC CXL Control */
	R(CXL_DVSEC_CTRL_CACHE_EN, 0x0001),
	R(CXL_DVSEC_CTRL_IO_EN, 0x0002),
	R(CXL_DVSEC_CTRL_MEM_EN, 0x0004),
	R(CXL_DVSEC_CTRL_CACHE_SF_COVERAGE, 0x00f8),
	R(CXL_DVSEC_CTRL_CACHE_SF_GRAN, 0x0700),
	R(CXL_DVSEC_CTRL_CACHE_CLEAN_EVICT, 0x0800),
	R(CXL_DVSEC_CTRL_P2P_MEM_EN, 0x1000),
	R(CXL_DVSEC_CTRL_RSVD13, 0x2000),
	R(CXL_DVSEC_CTRL_VIRAL_EN, 0x4000),
	R(CXL_DVSEC_CTRL_RSVD15, 0x8000),
	/* 8.1.3.3 DVSEC CXL Status */
	R(CXL_DVSEC_STATUS_RSVD_LO, 0x3fff),
	R(CXL_DVSEC_STATUS_VIRAL, 0x4000),
	R(CXL_DVSEC_STATUS_RSVD15, 0x8000),
	/* 8.1.3.4 DVSEC CXL Control2 */
	R(CXL_DVSEC_CTRL2_DISABLE_CACHING, 0x0001),
	R(CXL_DVSEC_CTRL2_INIT_CACHE_WBI, 0x0002),
	R(CXL_DVSEC_CTRL2_INIT_CXL_RESET, 0x0004),
	R(CXL_DVSEC_CTRL2_RESET_MEM_CLR_EN, 0x0008),
	R(CXL_DVSEC_CTRL2_HOT_RESET_HDM_STATE, 0x0010),
	R(CXL_DVSEC_CTRL2_MOD_COMPLETION_EN, 0x0020),
	R(CXL_DVSEC_CTRL2_RSVD, 0xffc0),
	/* 8.1.3.5 DVSEC CXL Status2 */
	R(CXL_DVSEC_STATUS2_CACHE_INVALID, 0x0001),
	R(CXL_DVSEC_STATUS2_RESET_COMPLETE, 0x0002),
	R(CXL_DVSEC_STATUS2_RESET_ERROR, 0x0004),
	R(CXL_DVSEC_STATUS2_HDM_PRESERVE_ERR, 0x0008),
	R(CXL_DVSEC_STATUS2_RSVD, 0x7ff0),
	R(CXL_DVSEC_STATUS2_PM_INIT_COMPLETE, 0x8000),
	/* 8.1.3.6 DVSEC CXL Lock */
	R(CXL_DVSEC_LOCK_CONFIG_LOCK, 0x0001),
	R(CXL_DVSEC_LOCK_RSVD, 0xfffe),
	/* 8.1.3.7 DVSEC CXL Capability2 */
	R(CXL_DVSEC_CAP2_CACHE_SIZE_UNIT, 0x000f),
	R(CXL_DVSEC_CAP2_FALLBACK, 0x0030),
	R(CXL_DVSEC_CAP2_MOD_COMPLETION, 0x0040),
	R(CXL_DVSEC_CAP2_NO_CLEAN_WB, 0x0080),
	R(CXL_DVSEC_CAP2_CACHE_SIZE, 0xff00),
	/* 8.1.3.8 DVSEC CXL Range 1/2 Size Low and Base Low */
	R(CXL_DVSEC_RANGE_SIZE_LO_VALID, 0x00000001),
	R(CXL_DVSEC_RANGE_SIZE_LO_ACTIVE, 0x00000002),
	R(CXL_DVSEC_RANGE_SIZE_LO_MEDIA_TYPE, 0x0000001c),
	R(CXL_DVSEC_RANGE_SIZE_LO_MEM_CLASS, 0x000000e0),
	R(CXL_DVSEC_RANGE_SIZE_LO_INTERLEAVE, 0x00001f00),
	R(CXL_DVSEC_RANGE_SIZE_LO_ACT_TIMEOUT, 0x0000e000),
	R(CXL_DVSEC_RANGE_SIZE_LO_DEGRADED, 0x00010000),
	R(CXL_DVSEC_RANGE_SIZE_LO_RSVD, 0x0ffe0000),
	R(CXL_DVSEC_RANGE_SIZE_LO_SIZE, 0xf0000000),
	R(CXL_DVSEC_RANGE_BASE_LO_RSVD, 0x0fffffff),
	R(CXL_DVSEC_RANGE_BASE_LO_BASE, 0xf0000000),
	/* 8.1.3.9 DVSEC CXL Capability3 */
	R(CXL_DVSEC_CAP3_COLD_RESET_HDM_STATE, 0x0001),
	R(CXL_DVSEC_CAP3_WARM_RESET_HDM_STATE, 0x0002),
	R(CXL_DVSEC_CAP3_HOT_RESET_HDM_STATE, 0x0004),
	R(CXL_DVSEC_CAP3_HOT_RESET_CONFIGURABLE, 0x0008),
	R(CXL_DVSEC_CAP3_P2P_MEM, 0x0010),		/* Direct P2P Mem Capable */
	R(CXL_DVSEC_CAP3_RSVD, 0xffe0),
};

static const struct ref reg_locator[] = {
	/* CXL r3.1 8.1.9 Register Locator DVSEC */
	R(CXL_RL_RSVD, 0x0a),
	R(CXL_RL_BLOCK_BASE, 0x0c),
	R(CXL_RL_BLOCK_STRIDE, 0x08),
	R(CXL_RL_BLOCK_LO(0), 0x0c),
	R(CXL_RL_BLOCK_HI(0), 0x10),
	R(CXL_RL_BLOCK_LO(1), 0x14),
	R(CXL_RL_BLOCK_HI(1), 0x18),
	R(CXL_RL_BLOCK_LO(2), 0x1c),
	R(CXL_RL_BLOCK_LO_BIR, 0x00000007),
	R(CXL_RL_BLOCK_LO_RSVD, 0x000000f8),
	R(CXL_RL_BLOCK_LO_ID, 0x0000ff00),
	R(CXL_RL_BLOCK_LO_OFFSET, 0xffff0000),
	R(CXL_RL_BLOCK_OFFSET_SHIFT, 16),
	/* 8.1.9.1 Register Block Identifier */
	R(CXL_RL_ID_EMPTY, 0x00),
	R(CXL_RL_ID_COMPONENT, 0x01),
	R(CXL_RL_ID_BAR_VIRT_ACL, 0x02),
	R(CXL_RL_ID_MEMDEV, 0x03),
	R(CXL_RL_ID_CPMU, 0x04),
	R(CXL_RL_ID_VENDOR, 0xff),
};

static const struct ref comp_caps[] = {
	/* CXL r3.1 8.2.3 Table 8-23: component register ranges */
	R(CXL_COMP_BLOCK_SIZE, 0x10000),
	R(CXL_COMP_IO_OFFSET, 0x0000),
	R(CXL_COMP_CM_OFFSET, 0x1000),
	R(CXL_COMP_CM_SIZE, 0x1000),
	R(CXL_COMP_ARBMUX_OFFSET, 0xe000),
	R(CXL_COMP_ARBMUX_SIZE, 0x400),
	/* 8.2.4.1 CXL Capability Header */
	R(CXL_CM_CAP_HDR, 0x00),
	R(CXL_CM_CAP_HDR_ID, 0x0000ffff),
	R(CXL_CM_CAP_HDR_VER, 0x000f0000),
	R(CXL_CM_CAP_HDR_CM_VER, 0x00f00000),
	R(CXL_CM_CAP_HDR_ARRAY_SIZE, 0xff000000),
	/* 8.2.4.2 onwards: capability header entries, one dword each */
	R(CXL_CM_CAP_ENTRY(0), 0x04),
	R(CXL_CM_CAP_ENTRY(1), 0x08),
	R(CXL_CM_CAP_ENTRY(2), 0x0c),
	R(CXL_CM_CAP_ENTRY_ID, 0x0000ffff),
	R(CXL_CM_CAP_ENTRY_VER, 0x000f0000),
	R(CXL_CM_CAP_ENTRY_PTR, 0xfff00000),
	/* 8.2.4 Table 8-22: CXL_Capability_ID assignment */
	R(CXL_CM_CAP_ID_CAP, 0x01),
	R(CXL_CM_CAP_ID_RAS, 0x02),
	R(CXL_CM_CAP_ID_SECURITY, 0x03),
	R(CXL_CM_CAP_ID_LINK, 0x04),
	R(CXL_CM_CAP_ID_HDM, 0x05),
	R(CXL_CM_CAP_ID_EXT_SECURITY, 0x06),
	R(CXL_CM_CAP_ID_IDE, 0x07),
	R(CXL_CM_CAP_ID_SNOOP_FILTER, 0x08),
	R(CXL_CM_CAP_ID_TIMEOUT_ISOL, 0x09),
	R(CXL_CM_CAP_ID_CM_EXT_REG, 0x0a),
	R(CXL_CM_CAP_ID_BI_RT, 0x0b),
	R(CXL_CM_CAP_ID_BI_DECODER, 0x0c),
	R(CXL_CM_CAP_ID_CACHE_ID_RT, 0x0d),
	R(CXL_CM_CAP_ID_CACHE_ID_DECODER, 0x0e),
	R(CXL_CM_CAP_ID_EXT_HDM, 0x0f),
	R(CXL_CM_CAP_ID_EXT_METADATA, 0x10),
	/* 8.2.4.17 CXL RAS Capability Structure */
	R(CXL_RAS_UNC_STATUS, 0x00),
	R(CXL_RAS_UNC_MASK, 0x04),
	R(CXL_RAS_UNC_SEVERITY, 0x08),
	R(CXL_RAS_COR_STATUS, 0x0c),
	R(CXL_RAS_COR_MASK, 0x10),
	R(CXL_RAS_CAP_CTRL, 0x14),
};

static const struct ref hdm_regs[] = {
	/* CXL r3.1 8.2.4.20.1 HDM Decoder Capability Register */
	R(CXL_HDM_CAP, 0x00),
	R(CXL_HDM_CAP_DECODER_COUNT, 0x0000000f),
	R(CXL_HDM_CAP_TARGET_COUNT, 0x000000f0),
	R(CXL_HDM_CAP_A11TO8, 0x00000100),
	R(CXL_HDM_CAP_A14TO12, 0x00000200),
	R(CXL_HDM_CAP_POISON, 0x00000400),
	R(CXL_HDM_CAP_3_6_12_WAY, 0x00000800),
	R(CXL_HDM_CAP_16_WAY, 0x00001000),
	R(CXL_HDM_CAP_UIO, 0x00002000),
	R(CXL_HDM_CAP_RSVD_15_14, 0x0000c000),
	R(CXL_HDM_CAP_UIO_DECODER_COUNT, 0x000f0000),
	R(CXL_HDM_CAP_MEMDATA_NXM, 0x00100000),
	R(CXL_HDM_CAP_RSVD_31_21, 0xffe00000),
	R(CXL_HDM_DECODER_COUNT_ENC_MAX, 0xc),
	/* 8.2.4.20.2 HDM Decoder Global Control Register */
	R(CXL_HDM_GCTRL, 0x04),
	R(CXL_HDM_GCTRL_POISON_EN, 0x00000001),
	R(CXL_HDM_GCTRL_ENABLE, 0x00000002),
	R(CXL_HDM_GCTRL_RSVD, 0xfffffffc),
	R(CXL_HDM_RSVD_08, 0x08),
	/* 8.2.4.20.3..12: decoder n registers at 0x20 * n + 0x10 .. 0x2c */
	R(CXL_HDM_DEC_FIRST, 0x10),
	R(CXL_HDM_DEC_STRIDE, 0x20),
	R(CXL_HDM_DEC_OFF(0), 0x10),
	R(CXL_HDM_DEC_OFF(1), 0x30),
	R(CXL_HDM_DEC_OFF(3), 0x70),
	R(CXL_HDM_DEC_OFF(31), 0x3f0),
	R(CXL_HDM_BLOCK_SIZE(1), 0x30),
	R(CXL_HDM_BLOCK_SIZE(4), 0x90),
	R(CXL_HDM_BLOCK_SIZE(32), 0x410),
	R(CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_BASE_LO, 0x10),
	R(CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_BASE_HI, 0x14),
	R(CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_SIZE_LO, 0x18),
	R(CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_SIZE_HI, 0x1c),
	R(CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_CTRL, 0x20),
	R(CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_TL_LO, 0x24),
	R(CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_TL_HI, 0x28),
	R(CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_SKIP_LO, 0x24),
	R(CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_SKIP_HI, 0x28),
	R(CXL_HDM_DEC_OFF(0) + CXL_HDM_DEC_RSVD_1C, 0x2c),
	R(CXL_HDM_DEC_OFF(2) + CXL_HDM_DEC_CTRL, 0x60),
	R(CXL_HDM_DEC_BASE_LO_RSVD, 0x0fffffff),
	R(CXL_HDM_DEC_BASE_LO_BASE, 0xf0000000),
	R(CXL_HDM_DEC_SIZE_LO_RSVD, 0x0fffffff),
	R(CXL_HDM_DEC_SIZE_LO_SIZE, 0xf0000000),
	R(CXL_HDM_DEC_SKIP_LO_RSVD, 0x0fffffff),
	R(CXL_HDM_DEC_SKIP_LO_SKIP, 0xf0000000),
	R(CXL_HDM_DEC_TL_LO_T0, 0x000000ff),
	R(CXL_HDM_DEC_TL_LO_T1, 0x0000ff00),
	R(CXL_HDM_DEC_TL_LO_T2, 0x00ff0000),
	R(CXL_HDM_DEC_TL_LO_T3, 0xff000000),
	R(CXL_HDM_DEC_ALIGN, 0x10000000),
};

static const struct ref hdm_ctrl[] = {
	/* CXL r3.1 8.2.4.20.7 HDM Decoder n Control Register */
	R(CXL_HDM_DEC_CTRL_IG, 0x0000000f),
	R(CXL_HDM_DEC_CTRL_IW, 0x000000f0),
	R(CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT, 0x00000100),
	R(CXL_HDM_DEC_CTRL_COMMIT, 0x00000200),
	R(CXL_HDM_DEC_CTRL_COMMITTED, 0x00000400),
	R(CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED, 0x00000800),
	R(CXL_HDM_DEC_CTRL_TARGET_TYPE, 0x00001000),
	R(CXL_HDM_DEC_CTRL_BI, 0x00002000),
	R(CXL_HDM_DEC_CTRL_UIO, 0x00004000),
	R(CXL_HDM_DEC_CTRL_RSVD15, 0x00008000),
	R(CXL_HDM_DEC_CTRL_UIG, 0x000f0000),
	R(CXL_HDM_DEC_CTRL_UIW, 0x00f00000),
	R(CXL_HDM_DEC_CTRL_ISP, 0x0f000000),
	R(CXL_HDM_DEC_CTRL_RSVD_31_28, 0xf0000000),
	R(CXL_HDM_DEC_TARGET_DEV_COHERENT, 0),
	R(CXL_HDM_DEC_TARGET_HOST_ONLY, 1),
	/* Interleave Ways and Granularity encodings */
	R(CXL_HDM_IW_1, 0x0),
	R(CXL_HDM_IW_2, 0x1),
	R(CXL_HDM_IW_4, 0x2),
	R(CXL_HDM_IW_8, 0x3),
	R(CXL_HDM_IW_16, 0x4),
	R(CXL_HDM_IW_3, 0x8),
	R(CXL_HDM_IW_6, 0x9),
	R(CXL_HDM_IW_12, 0xa),
	R(CXL_HDM_IG_MAX, 0x6),
	R(CXL_HDM_IG_BASE_SHIFT, 8),
};

static const struct ref vfio_uapi[] = {
	/* include/uapi/linux/vfio_cxl.h, the 2026 series' numbers */
	R(VFIO_DEVICE_FLAGS_CXL, 0x200),
	R(VFIO_DEVICE_INFO_CAP_CXL, 6),
	R(VFIO_DEVICE_INFO_CAP_CXL_VERSION, 1),
	R(VFIO_CXL_CAP_FIRMWARE_COMMITTED, 0x1),
	R(VFIO_CXL_CAP_CACHE_CAPABLE, 0x2),
	R(PCI_VENDOR_ID_CXL, 0x1e98),
	R((u32)VFIO_REGION_TYPE_CXL, 0x80001e98),
	R(VFIO_REGION_SUBTYPE_CXL, 1),
	R(VFIO_REGION_SUBTYPE_CXL_COMP_REGS, 2),
	R(sizeof(struct vfio_device_info_cap_cxl), 32),
	R(offsetof(struct vfio_device_info_cap_cxl, header), 0),
	R(offsetof(struct vfio_device_info_cap_cxl, hdm_regs_bar_index), 8),
	R(offsetof(struct vfio_device_info_cap_cxl, reserved), 9),
	R(offsetof(struct vfio_device_info_cap_cxl, flags), 12),
	R(offsetof(struct vfio_device_info_cap_cxl, hdm_regs_offset), 16),
	R(offsetof(struct vfio_device_info_cap_cxl, dpa_region_index), 24),
	R(offsetof(struct vfio_device_info_cap_cxl, comp_regs_region_index), 28),
	/* core's mirrors of them */
	R(CXLEMU_VFIO_CAP_SIZE, 32),
	R(CXLEMU_VFIO_CAP_ID, 6),
	R(CXLEMU_VFIO_CAP_VERSION, 1),
	R(CXLEMU_VFIO_CAP_FIRMWARE_COMMITTED, 0x1),
	R(CXLEMU_VFIO_CAP_CACHE_CAPABLE, 0x2),
	R(CXLEMU_VFIO_CAP_FLAGS_KNOWN, 0x3),
	R(CXLEMU_VFIO_CAP_BAR_MAX, 5),
	R(CXLEMU_VFIO_INFO_MIN_OFF, 20),
};

static void check_table(const char *what, const struct ref *t, unsigned int n)
{
	unsigned int i;
	int ok = 1;

	for (i = 0; i < n; i++) {
		if (t[i].got != t[i].want) {
			ok = 0;
			tap_note("#   %s is %#llx, the spec says %#llx\n", t[i].name, t[i].got, t[i].want);
		}
	}
	tap_result(ok, "regs: %s (%u values)", what, n);
	tap_flush(ok);
}

#define TABLE(what, t)	check_table(what, t, ARRAY_SIZE(t))

/* ---- the pure helpers, on literal encodings ----------------------------- */

static void helper_cases(void)
{
	/* CXL r3.1 8.2.4.20.1 Decoder Count: encoding -> decoders */
	static const int ndec[16] = { 1, 2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32,
				      -EINVAL, -EINVAL, -EINVAL };
	/* 8.2.4.20.7 IW: encoding -> ways (reserved: -EINVAL) */
	static const int ways[16] = { 1, 2, 4, 8, 16, -EINVAL, -EINVAL, -EINVAL, 3, 6, 12,
				      -EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL };
	/* 8.2.4.20.7 IG: encoding -> bytes */
	static const int gran[16] = { 256, 512, 1024, 2048, 4096, 8192, 16384, -EINVAL,
				      -EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL, -EINVAL,
				      -EINVAL, -EINVAL };
	unsigned int e;
	int ok = 1;

	for (e = 0; e < 16; e++) {
		tap_note("#   encoding %u\n", e);
		/* the count sits in bits 3:0 of the literal register */
		EXPECT_EQ(ok, cxlemu_hdm_decoder_count(e), ndec[e]);
		EXPECT_EQ(ok, cxlemu_hdm_decoder_count(0xfffffff0 | e), ndec[e]);
		EXPECT_EQ(ok, cxlemu_hdm_iw_to_ways(e), ways[e]);
		if (ways[e] > 0)
			EXPECT_EQ(ok, cxlemu_hdm_ways_to_iw((unsigned int)ways[e]), e);
		EXPECT_EQ(ok, cxlemu_hdm_ig_to_bytes(e), gran[e]);
		if (gran[e] > 0)
			EXPECT_EQ(ok, cxlemu_hdm_bytes_to_ig((u32)gran[e]), e);
	}
	EXPECT_EQ(ok, cxlemu_hdm_ways_to_iw(5), -EINVAL);
	EXPECT_EQ(ok, cxlemu_hdm_ways_to_iw(32), -EINVAL);
	EXPECT_EQ(ok, cxlemu_hdm_bytes_to_ig(32768), -EINVAL);
	EXPECT_EQ(ok, cxlemu_hdm_bytes_to_ig(128), -EINVAL);
	tap_result(ok, "regs: decoder count, IW and IG encodings of every 4-bit value");
	tap_flush(ok);

	/* 8.2.4.20.1: 1/2/4/8 ways always; bit 11: 3/6/12; bit 12: 16 */
	ok = 1;
	EXPECT_EQ(ok, cxlemu_hdm_iw_cap_mask(0), 0x116);
	EXPECT_EQ(ok, cxlemu_hdm_iw_cap_mask(0x800), 0x115e);
	EXPECT_EQ(ok, cxlemu_hdm_iw_cap_mask(0x1000), 0x10116);
	EXPECT_EQ(ok, cxlemu_hdm_iw_cap_mask(0x1800), 0x1115e);
	EXPECT_EQ(ok, cxlemu_hdm_iw_cap_mask(0xffffe7ff), 0x116);
	tap_result(ok, "regs: interleave ways allowed by literal capability registers");
	tap_flush(ok);
}

/* ---- the emulation, driven with literal register values ----------------- */

static void hdm_literal_cases(void)
{
	struct cxlemu_hdm h;
	u64 v = 0;
	int ok = 1;

	/*
	 * QEMU's cxl-type3 capability 0x00001b12 (PLATFORM-NOTES): 4 decoders,
	 * target count 1, A11to8 and A14to12, 3/6/12 and 16 way capable. Bits
	 * 31:21 and 15:14 are reserved: 0xffe0c000 must read 0.
	 */
	EXPECT_EQ(ok, cxlemu_hdm_init(&h, 0x00001b12 | 0xffe0c000, 0x40000000ULL, true, NULL, NULL), 0);
	EXPECT_EQ(ok, h.ndecoders, 4);
	EXPECT_EQ(ok, cxlemu_hdm_read(&h, 0x00, 4, &v), 0);
	EXPECT_EQ(ok, v, 0x00001b12);
	EXPECT_EQ(ok, h.interleave_mask, 0x7f00);
	EXPECT_EQ(ok, cxlemu_hdm_block_size(&h), 0x90);
	/* Global Control: bit 1 enable; bit 0 poison (not capable here) */
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x04, 4, 0xffffffff), 0);
	EXPECT_EQ(ok, cxlemu_hdm_read(&h, 0x04, 4, &v), 0);
	EXPECT_EQ(ok, v, 0x2);
	/* decoder 1 at 0x30: base 0x4_9000_0000, size 256 MiB, commit + lock + HDM-H */
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x10, 4, 0x80000000), 0);	/* decoder 0 base low */
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x14, 4, 0x4), 0);
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x18, 4, 0x1fffffff), 0);	/* size low, bits 27:0 RsvdP */
	EXPECT_EQ(ok, cxlemu_hdm_read(&h, 0x18, 4, &v), 0);
	EXPECT_EQ(ok, v, 0x10000000);
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x20, 4, 0x200), 0);		/* Commit */
	EXPECT_EQ(ok, cxlemu_hdm_read(&h, 0x20, 4, &v), 0);
	EXPECT_EQ(ok, v, 0x600);					/* Commit | Committed */
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x30, 4, 0x90000000), 0);
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x34, 4, 0x4), 0);
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x38, 4, 0x10000000), 0);
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x44, 4, 0x10000000), 0);	/* DPA skip 256 MiB */
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x40, 4, 0x1300), 0);	/* HDM-H, Commit, Lock */
	EXPECT_EQ(ok, cxlemu_hdm_read(&h, 0x40, 4, &v), 0);
	EXPECT_EQ(ok, v, 0x1700);
	EXPECT_EQ(ok, cxlemu_hdm_locked(&h, 1), 1);
	EXPECT_EQ(ok, cxlemu_hdm_read(&h, 0x30, 8, &v), 0);
	EXPECT_EQ(ok, v, 0x490000000ULL);
	/* decoder 2: size past the device (1 GiB DPA, 512 MiB used) -> bit 11 */
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x50, 8, 0x4a0000000ULL), 0);
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x58, 8, 0x30000000ULL), 0);
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x60, 4, 0x200), 0);
	EXPECT_EQ(ok, cxlemu_hdm_read(&h, 0x60, 4, &v), 0);
	EXPECT_EQ(ok, v, 0xa00);					/* Commit | Error */
	/* reserved 0x08, 0x0c and decoder 0's 0x2c read 0 */
	EXPECT_EQ(ok, cxlemu_hdm_write(&h, 0x2c, 4, 0xffffffff), 0);
	EXPECT_EQ(ok, cxlemu_hdm_read(&h, 0x2c, 4, &v), 0);
	EXPECT_EQ(ok, v, 0);
	tap_result(ok, "regs: HDM block driven with literal offsets and values (QEMU cxl-type3)");
	tap_flush(ok);
}

static void dvsec_literal_cases(void)
{
	struct cxlemu_dvsec d;
	u8 hw[0x3c];
	u32 v = 0;
	int ok = 1;

	/* A CXL r3.1 Type-2 device DVSEC, byte by byte (little-endian). */
	memset(hw, 0, sizeof(hw));
	put_unaligned_le32(0x14810023, hw + 0x00);	/* DVSEC, version 1, next 0x148 */
	put_unaligned_le32(0x03c21e98, hw + 0x04);	/* CXL vendor, revision 2, length 0x3c */
	put_unaligned_le16(0x0000, hw + 0x08);		/* DVSEC id 0 */
	put_unaligned_le16(0x4017, hw + 0x0a);		/* Cache, IO, Mem, HDM_Count 1, Viral */
	put_unaligned_le16(0xa006, hw + 0x0c);		/* IO_En, Mem_En, reserved 13 and 15 */
	put_unaligned_le16(0xbfff, hw + 0x0e);		/* Status: all reserved bits set */
	put_unaligned_le16(0x8007, hw + 0x12);		/* Status2: PM init complete + results */
	put_unaligned_le16(0x0001, hw + 0x14);		/* CONFIG_LOCK set by firmware */
	put_unaligned_le32(0x00000001, hw + 0x18);	/* Range 1 size high: 4 GiB */
	put_unaligned_le32(0x1ffe0003, hw + 0x1c);	/* size low: 256 MiB, valid, active, rsvd */
	put_unaligned_le32(0x00000004, hw + 0x20);	/* base high (the host's) */
	put_unaligned_le32(0x9fffffff, hw + 0x24);	/* base low (the host's) + reserved */
	put_unaligned_le16(0xfff3, hw + 0x38);		/* Capability3 (P2P capable) + reserved */
	put_unaligned_le16(0xffff, hw + 0x3a);
	EXPECT_EQ(ok, cxlemu_dvsec_init(&d, hw, 0x3c, NULL, NULL), 0);
	/* the presented image: reserved 0, lock open, host base hidden */
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x0a, 2, &v), 0);
	EXPECT_EQ(ok, v, 0x4017);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x0c, 2, &v), 0);
	EXPECT_EQ(ok, v, 0x0006);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x0e, 2, &v), 0);
	EXPECT_EQ(ok, v, 0x0000);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x12, 2, &v), 0);
	EXPECT_EQ(ok, v, 0x8000);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x14, 2, &v), 0);
	EXPECT_EQ(ok, v, 0x0000);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x1c, 4, &v), 0);
	EXPECT_EQ(ok, v, 0x10000003);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x20, 4, &v), 0);
	EXPECT_EQ(ok, v, 0);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x24, 4, &v), 0);
	EXPECT_EQ(ok, v, 0);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x38, 4, &v), 0);
	EXPECT_EQ(ok, v, 0x0013);			/* bit 4: Direct P2P Mem Capable */
	/* Control: Cache_Enable (bit 0), P2P (bit 12), Viral_Enable (bit 14) writable */
	EXPECT_EQ(ok, cxlemu_dvsec_write(&d, 0x0c, 2, 0xffff), 0);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x0c, 2, &v), 0);
	EXPECT_EQ(ok, v, 0x5fff);
	/* Range 1 base: bits 31:28 of the low dword */
	EXPECT_EQ(ok, cxlemu_dvsec_write(&d, 0x24, 4, 0xffffffff), 0);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x24, 4, &v), 0);
	EXPECT_EQ(ok, v, 0xf0000000);
	/* CONFIG_LOCK is bit 0 at 0x14; then Control is frozen */
	EXPECT_EQ(ok, cxlemu_dvsec_write(&d, 0x14, 2, 0xffff), 0);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x14, 2, &v), 0);
	EXPECT_EQ(ok, v, 0x0001);
	EXPECT_EQ(ok, cxlemu_dvsec_write(&d, 0x0c, 2, 0x0000), 0);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x0c, 2, &v), 0);
	EXPECT_EQ(ok, v, 0x5fff);
	EXPECT_EQ(ok, cxlemu_dvsec_write(&d, 0x24, 4, 0), 0);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x24, 4, &v), 0);
	EXPECT_EQ(ok, v, 0xf0000000);
	/* Control2 bit 0 (Disable Caching) is RW, not locked */
	EXPECT_EQ(ok, cxlemu_dvsec_write(&d, 0x10, 2, 0x0001), 0);
	EXPECT_EQ(ok, cxlemu_dvsec_read(&d, 0x10, 2, &v), 0);
	EXPECT_EQ(ok, v, 0x0001);
	tap_result(ok, "regs: DVSEC driven with literal offsets and values (init masking, lock)");
	tap_flush(ok);
}

static void vcap_literal_cases(void)
{
	static const struct cxlemu_vfio_cap cap = {
		.hdm_regs_bar_index = 2,
		.flags = CXLEMU_VFIO_CAP_FIRMWARE_COMMITTED | CXLEMU_VFIO_CAP_CACHE_CAPABLE,
		.hdm_regs_offset = 0x0000001234561000ULL,
		.dpa_region_index = 9,
		.comp_regs_region_index = 10,
	};
	static const u8 want[32] = {
		0x06, 0x00, 0x01, 0x00, 0x40, 0x00, 0x00, 0x00,	/* id 6, version 1, next 0x40 */
		0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,	/* BAR 2, reserved, flags 3 */
		0x00, 0x10, 0x56, 0x34, 0x12, 0x00, 0x00, 0x00,	/* hdm_regs_offset */
		0x09, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x00,	/* dpa 9, comp_regs 10 */
	};
	union {
		u8 b[64];
		struct vfio_device_info_cap_cxl s;
	} u;
	u8 reply[20 + 32];
	struct cxlemu_vfio_cap out;
	unsigned int i;
	int ok = 1;

	memset(&u, 0xee, sizeof(u));
	EXPECT_EQ(ok, cxlemu_vfio_cap_encode(u.b, 32, 0x40, &cap), 0);
	for (i = 0; i < 32; i++) {
		tap_note("#   byte %u\n", i);
		EXPECT_EQ(ok, u.b[i], want[i]);
	}
	EXPECT_EQ(ok, u.b[32], 0xee);		/* nothing written past 32 bytes */
	/* the same bytes through the UAPI struct a VMM reads */
	EXPECT_EQ(ok, u.s.header.id, VFIO_DEVICE_INFO_CAP_CXL);
	EXPECT_EQ(ok, u.s.header.version, VFIO_DEVICE_INFO_CAP_CXL_VERSION);
	EXPECT_EQ(ok, u.s.header.next, 0x40);
	EXPECT_EQ(ok, u.s.hdm_regs_bar_index, 2);
	EXPECT_EQ(ok, u.s.flags, VFIO_CXL_CAP_FIRMWARE_COMMITTED | VFIO_CXL_CAP_CACHE_CAPABLE);
	EXPECT_EQ(ok, u.s.hdm_regs_offset, 0x0000001234561000ULL);
	EXPECT_EQ(ok, u.s.dpa_region_index, 9);
	EXPECT_EQ(ok, u.s.comp_regs_region_index, 10);
	tap_result(ok, "regs: VFIO capability encoded at the UAPI's byte offsets");
	tap_flush(ok);

	/* and the decoder reads the literal bytes, alone at offset 20 */
	ok = 1;
	memset(reply, 0, sizeof(reply));
	memcpy(reply + 20, want, 32);
	put_unaligned_le32(0, reply + 20 + 4);			/* last in the chain */
	memset(&out, 0, sizeof(out));
	EXPECT_EQ(ok, cxlemu_vfio_cap_decode(reply, sizeof(reply), 20, &out), 0);
	EXPECT_EQ(ok, out.hdm_regs_bar_index, 2);
	EXPECT_EQ(ok, out.flags, 3);
	EXPECT_EQ(ok, out.hdm_regs_offset, 0x0000001234561000ULL);
	EXPECT_EQ(ok, out.dpa_region_index, 9);
	EXPECT_EQ(ok, out.comp_regs_region_index, 10);
	tap_result(ok, "regs: VFIO capability decoded from literal bytes");
	tap_flush(ok);
}

int main(void)
{
	TABLE("PCIe extended capability and DVSEC headers, DVSEC ids (PCIe r6.0 7.6.3, 7.9.6; CXL 8.1.1)",
	      pcie_hdr);
	TABLE("CXL Device DVSEC register offsets (CXL r3.1 8.1.3)", dvsec_dev);
	TABLE("CXL Device DVSEC fields (CXL r3.1 8.1.3.1-9)", dvsec_fields);
	TABLE("Register Locator DVSEC (CXL r3.1 8.1.9)", reg_locator);
	TABLE("component registers, capability array, RAS (CXL r3.1 8.2.3, 8.2.4, 8.2.4.17)", comp_caps);
	TABLE("HDM Decoder Capability registers (CXL r3.1 8.2.4.20)", hdm_regs);
	TABLE("HDM decoder control and encodings (CXL r3.1 8.2.4.20.7)", hdm_ctrl);
	TABLE("VFIO CXL UAPI and core's mirrors (include/uapi/linux/vfio_cxl.h)", vfio_uapi);
	helper_cases();
	hdm_literal_cases();
	dvsec_literal_cases();
	vcap_literal_cases();
	return tap_done();
}
