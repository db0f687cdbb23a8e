/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfio-cxl core: the emulated CXL registers a VMM (and through it a guest)
 * sees instead of the device's real ones. Freestanding: compiled into the
 * kernel module and into userspace. Includes only cxlemu_deps.h, which each
 * side supplies (core/kernel/ and core/user/).
 *
 * API CONTRACT shared by kernel/, lib/ and tests/. Function signatures here
 * are fixed; struct contents may grow. All entry points return 0 or a
 * negative errno; nothing is half-applied on error.
 */
#ifndef _VFIO_CXL_CXLEMU_H
#define _VFIO_CXL_CXLEMU_H

#include "cxlemu_deps.h"
#include "cxl_regs.h"

#define CXLEMU_MAX_DECODERS	32

/* ---- HDM Decoder Capability block (CXL r3.1 8.2.4.20) ------------------ */

struct cxlemu_hdm;

/**
 * struct cxlemu_hdm_ops - callbacks to the embedding side
 * @commit: decoder @idx is about to latch COMMITTED with [base, base+size);
 *	@lock is true when lock-on-commit was set. Return 0 to let it latch,
 *	or a negative errno to latch ERROR_NOT_COMMITTED instead.
 * @uncommit: decoder @idx went from COMMITTED to not committed.
 * @reset: the block was reset to its reset values (no @uncommit calls are
 *	made for the decoders a reset uncommits).
 * Any of them may be NULL. They run inside cxlemu_hdm_write() /
 * cxlemu_hdm_reset() and must not call back into the same block.
 */
struct cxlemu_hdm_ops {
	int (*commit)(void *priv, unsigned int idx, u64 base, u64 size, bool lock);
	void (*uncommit)(void *priv, unsigned int idx);
	void (*reset)(void *priv);
};

struct cxlemu_hdm_decoder {
	u64 base;		/* base low/high as last written */
	u64 size;
	u32 ctrl;		/* control register value as the guest reads it */
	u64 tl_or_skip;		/* target list (ports) or DPA skip (endpoint) */
	/* values applied by cxlemu_hdm_reset() */
	u64 reset_base;
	u64 reset_size;
	/* why the last commit attempt latched ERROR_NOT_COMMITTED (-errno), 0 */
	int commit_err;
};

struct cxlemu_hdm {
	u32 cap;		/* HDM Decoder Capability register (RO) */
	u32 global_ctrl;	/* HDM Decoder Global Control */
	unsigned int ndecoders;	/* decoded from @cap */
	u64 dpa_size;		/* bytes the device can decode, for size checks */
	bool endpoint;		/* endpoint: DPA skip; port: target list */
	struct cxlemu_hdm_decoder dec[CXLEMU_MAX_DECODERS];
	const struct cxlemu_hdm_ops *ops;
	void *priv;
	/*
	 * Commit policy, derived from @cap by cxlemu_hdm_init(); the embedding
	 * side may narrow it (never widen it beyond @cap) before first use.
	 */
	u32 iw_cap_mask;	/* BIT(ways) allowed; endpoints: BIT(1) only */
	u32 interleave_mask;	/* HPA bits the decoder can interleave on */
	bool allow_host_only;	/* Target Type 1 (HDM-H) accepted at commit */
	bool allow_dev_coherent; /* Target Type 0 (HDM-D/HDM-DB) accepted */
	bool allow_bi;		/* BI (HDM-DB) accepted; default false */
};

/*
 * Pure encode/decode helpers; each returns -EINVAL for an encoding the spec
 * reserves (CXL r3.1 8.2.4.20.1 Decoder Count, 8.2.4.20.7 IW and IG).
 */
int cxlemu_hdm_decoder_count(u32 hdm_cap);	/* decoders, from Decoder Count */
int cxlemu_hdm_iw_to_ways(u32 iw);		/* IW encoding -> ways */
int cxlemu_hdm_ways_to_iw(unsigned int ways);	/* ways -> IW encoding */
int cxlemu_hdm_ig_to_bytes(u32 ig);		/* IG encoding -> bytes */
int cxlemu_hdm_bytes_to_ig(u32 bytes);		/* bytes -> IG encoding */
/* BIT(ways) for every way count the capability register allows. */
u32 cxlemu_hdm_iw_cap_mask(u32 hdm_cap);

/**
 * cxlemu_hdm_check_commit() - would decoder @idx, as programmed now, pass
 * the commit checks (ignoring ops->commit and its own Commit state)?
 * Returns 0 or the -errno that would latch ERROR_NOT_COMMITTED. Tests and
 * fuzzers use it to assert that no refused configuration ever commits.
 */
int cxlemu_hdm_check_commit(const struct cxlemu_hdm *h, unsigned int idx);

/**
 * cxlemu_hdm_init() - set up an emulated HDM decoder block
 * @h: state to initialise
 * @hw_cap: the device's HDM Decoder Capability register, as read from it;
 *	the emulation presents it unchanged (decoder count, interleave caps)
 *	except for its reserved bits, which read 0
 * @dpa_size: bytes of device memory decodable (0: no size limit, a port);
 *	a multiple of 256 MiB
 * @endpoint: true for an endpoint (DPA skip), false for a port (target list)
 * Values are as after reset. Returns -EINVAL for a capability the spec
 * forbids (reserved decoder count encoding, more than 32 decoders) or an
 * unaligned @dpa_size.
 *
 * Register semantics (details in hdm_emu.c): RsvdP bits read 0; Base, Size
 * and DPA Skip keep bits 63:28; while Commit is set the decoder's
 * programming is frozen and only clearing Commit is honoured (in reverse
 * index order); Commit 0 -> 1 latches COMMITTED or ERROR_NOT_COMMITTED at
 * once (@commit_err says why); a decoder committed with Lock On Commit
 * ignores every write until cxlemu_hdm_reset().
 */
int cxlemu_hdm_init(struct cxlemu_hdm *h, u32 hw_cap, u64 dpa_size, bool endpoint,
		    const struct cxlemu_hdm_ops *ops, void *priv);
/*
 * Value decoder @idx takes on reset (base, size), from the next
 * cxlemu_hdm_reset() on; others reset to 0. Control always resets to 0
 * (not committed). -EINVAL: bad @idx or not 256 MiB aligned; -ERANGE: past
 * the 52-bit HPA space.
 */
int cxlemu_hdm_set_reset_value(struct cxlemu_hdm *h, unsigned int idx, u64 base, u64 size);
/* Back to reset values (conventional/CXL reset); calls ops->reset. */
void cxlemu_hdm_reset(struct cxlemu_hdm *h);
/* Bytes covered by the block: 0x10 + 0x20 * ndecoders. */
u32 cxlemu_hdm_block_size(const struct cxlemu_hdm *h);
/*
 * Accesses at @off from the block start; @width 4 or 8, aligned to @width.
 * 8-byte accesses only at a decoder's Base Low or Size Low (the 64-bit
 * registers); both halves are applied together. -EINVAL: bad width,
 * alignment, an 8-byte access elsewhere, or a dword write of a value above
 * 32 bits; -ERANGE: outside the block. On error nothing changes.
 */
int cxlemu_hdm_read(struct cxlemu_hdm *h, u32 off, unsigned int width, u64 *val);
int cxlemu_hdm_write(struct cxlemu_hdm *h, u32 off, unsigned int width, u64 val);
bool cxlemu_hdm_committed(const struct cxlemu_hdm *h, unsigned int idx);
bool cxlemu_hdm_locked(const struct cxlemu_hdm *h, unsigned int idx);

/* ---- One walk per structure: Register Locator, capability array --------- */

/*
 * A read callback: the dword at byte offset @off of the structure being
 * walked (from the DVSEC's first byte, or from the CXL.cache/mem area's
 * first byte). Returns 0 or a negative errno, which the walk passes on.
 */
typedef int (*cxlemu_read32_t)(void *priv, u32 off, u32 *val);

/* A register block the Register Locator names (CXL r3.1 8.1.9.1). */
struct cxlemu_rl_block {
	u8 bar;			/* BAR index 0..5 (BIR) */
	u64 offset;		/* from the BAR's start, 64 KiB aligned */
};

/**
 * cxlemu_rl_find_block() - the first Register Block of @id
 * @rd: reads the Register Locator DVSEC from its first byte
 * @rl_len: the DVSEC's length (DVSEC Header 1 length field)
 * @id: Register Block Identifier (CXL_RL_ID_*)
 * @blk: set on success
 * Returns 0, -ENODEV when no block has @id, -EINVAL for a length shorter
 * than the header or past config space, or a block whose BIR is reserved.
 */
int cxlemu_rl_find_block(cxlemu_read32_t rd, void *priv, u32 rl_len, u32 id,
			 struct cxlemu_rl_block *blk);

/**
 * cxlemu_cm_find_cap() - walk the CXL.cache/mem capability array
 * @rd: reads the CXL.cache/mem area (component block + 4 KiB) from offset 0
 * @area_size: bytes @rd may read (at most 4 KiB are walked)
 * @id: capability id (CXL_CM_CAP_ID_*)
 * @off: the capability's offset from the area's start
 * @nentries: if not NULL, the array's entry count (set when the array is
 *	well formed, even when @id is absent)
 * The array is hostile input: header id 1, a nonzero entry count whose
 * array fits the area and CXLEMU_CAPARRAY_MAX, every entry (not only
 * @id's) pointing past the array, inside the area, at a dword, except
 * all-zero entries (unused slots, skipped); @id listed at most once. Returns 0, -ENODEV when @id is absent, -EINVAL when the
 * array is malformed, or @rd's error; @why (may be NULL) is then set to a
 * static string saying which rule the array broke, for a message.
 */
int cxlemu_cm_find_cap(cxlemu_read32_t rd, void *priv, u32 area_size, u32 id,
		       u32 *off, u32 *nentries, const char **why);

/* The HDM Decoder Capability as the capability array places it. */
struct cxlemu_hdm_loc {
	u32 off;		/* from the CXL.cache/mem area's start */
	u32 cap;		/* HDM Decoder Capability register */
	unsigned int ndecoders;	/* decoded from @cap */
	u32 nentries;		/* capability array entries */
};

/*
 * cxlemu_cm_find_cap() for id 5, then the capability register: -EINVAL
 * also for a reserved Decoder Count, more than CXLEMU_MAX_DECODERS, or a
 * block (0x10 + 0x20 * decoders) running past the area or its 4 KiB.
 */
int cxlemu_cm_find_hdm(cxlemu_read32_t rd, void *priv, u32 area_size,
		       struct cxlemu_hdm_loc *loc, const char **why);

/* A snapshot in memory as a read callback (priv: struct cxlemu_dwords). */
struct cxlemu_dwords {
	const u32 *dw;
	u32 ndwords;
};

int cxlemu_read32_dwords(void *priv, u32 off, u32 *val);

/* ---- COMP_REGS: the CXL.cache/mem area as the VFIO region presents it --- */

#define CXLEMU_CAPARRAY_MAX	64	/* dwords of capability headers kept */

/**
 * struct cxlemu_comp - the COMP_REGS region: offset 0 is the CXL.cache/mem
 * area's capability array (read-only snapshot), the HDM block sits at
 * @hdm_off and is served by @hdm. Region size is hdm_off + hdm block size.
 */
struct cxlemu_comp {
	u32 caparray[CXLEMU_CAPARRAY_MAX];
	u32 ncap_dwords;
	u32 hdm_off;
	struct cxlemu_hdm hdm;
};

/**
 * cxlemu_comp_init() - parse a snapshot of the CXL.cache/mem area
 * @c: state
 * @area: dwords read from the device's CXL.cache/mem area (from offset 0)
 * @ndwords: how many (must cover the capability array and the HDM block)
 * @dpa_size, @ops, @priv: as for cxlemu_hdm_init(); endpoint is implied
 * Walks the capability array as hostile input (header id 1, entry count,
 * each entry's offset inside @ndwords*4, one HDM capability, id 5).
 * Returns -ENODEV when there is no HDM Decoder Capability, -EINVAL when
 * the array is malformed.
 */
int cxlemu_comp_init(struct cxlemu_comp *c, const u32 *area, u32 ndwords, u64 dpa_size,
		     const struct cxlemu_hdm_ops *ops, void *priv);
u32 cxlemu_comp_size(const struct cxlemu_comp *c);
/*
 * Capability array part [0, hdm_off): reads return the header and entries
 * as snapshotted (other bytes, i.e. other capabilities, read 0), writes
 * -EPERM. HDM part: cxlemu_hdm_*() at off - hdm_off. Width 4 or 8, aligned
 * to the width, never straddling the two parts (-EINVAL); -ERANGE outside.
 */
int cxlemu_comp_read(struct cxlemu_comp *c, u32 off, unsigned int width, u64 *val);
int cxlemu_comp_write(struct cxlemu_comp *c, u32 off, unsigned int width, u64 val);

/* ---- CXL Device DVSEC in configuration space (CXL r3.1 8.1.3) ----------- */

enum cxlemu_reset_kind {
	CXLEMU_RESET_CONVENTIONAL,	/* hot/warm/cold, SBR: all but RW1CS reset */
	CXLEMU_RESET_FLR,		/* FLR: the DVSEC keeps every value */
	CXLEMU_RESET_CXL,		/* CXL reset: as conventional, lock kept */
};

/**
 * struct cxlemu_dvsec_ops - doorbells the emulation forwards on purpose
 * @cxl_reset: guest set Initiate CXL Reset; perform it, return 0 or -errno.
 *	The emulation sets Status2 CXL Reset Complete (or Error) from it.
 * @cache_wbi: guest set Initiate Cache Write Back and Invalidate; the
 *	emulation sets Status2 Cache Invalid when it returns 0.
 * @mem_enable: guest changed Control Mem_Enable.
 * A doorbell whose handler is NULL is presented as not capable (Capability
 * Cache WBI / CXL Reset bits read 0) and writing it does nothing. Handlers
 * run inside cxlemu_dvsec_write() and must not call back into the DVSEC.
 * After @cxl_reset succeeds the DVSEC resets itself (CXLEMU_RESET_CXL); the
 * HDM block is the embedding side's to reset.
 */
struct cxlemu_dvsec_ops {
	int (*cxl_reset)(void *priv);
	int (*cache_wbi)(void *priv);
	void (*mem_enable)(void *priv, bool on);
};

#define CXLEMU_DVSEC_MAX_LEN	0x3c	/* CXL Device DVSEC length, r3.1 */

struct cxlemu_dvsec {
	u8 regs[CXLEMU_DVSEC_MAX_LEN];	/* emulated values, little-endian */
	u8 hw[CXLEMU_DVSEC_MAX_LEN];	/* presented image at init: reset values */
	u32 len;
	bool config_locked;
	const struct cxlemu_dvsec_ops *ops;
	void *priv;
};

/**
 * cxlemu_dvsec_init() - emulate a CXL Device DVSEC
 * @hw: bytes of the real DVSEC read from config space, from its first byte
 *	(the PCIe extended capability header)
 * @len: its length (DVSEC header 1 length field; 0x38 or 0x3c)
 * -EINVAL unless the header is a DVSEC (id 0x23) of vendor 0x1E98, id 0,
 * whose length field equals @len. The presented image is @hw with reserved
 * bits 0, Range Base registers 0 (the host's HPA is not shown), CONFIG_LOCK
 * open, Status2 doorbell results 0. Access types per register are in the
 * permission table of dvsec_emu.c.
 */
int cxlemu_dvsec_init(struct cxlemu_dvsec *d, const u8 *hw, u32 len,
		      const struct cxlemu_dvsec_ops *ops, void *priv);
/*
 * Any byte/word/dword access at any offset inside the DVSEC (@width 1, 2, 4;
 * an access may span registers). -EINVAL bad width, -ERANGE past @len.
 */
int cxlemu_dvsec_read(struct cxlemu_dvsec *d, u32 off, unsigned int width, u32 *val);
int cxlemu_dvsec_write(struct cxlemu_dvsec *d, u32 off, unsigned int width, u32 val);
void cxlemu_dvsec_reset(struct cxlemu_dvsec *d, enum cxlemu_reset_kind kind);
bool cxlemu_dvsec_mem_enabled(const struct cxlemu_dvsec *d);
bool cxlemu_dvsec_cache_capable(const struct cxlemu_dvsec *d);

/* ---- VFIO_DEVICE_INFO_CAP_CXL encode / hostile decode ------------------- */

/* Plain-typed mirror of struct vfio_device_info_cap_cxl (minus header). */
struct cxlemu_vfio_cap {
	u8 hdm_regs_bar_index;
	u32 flags;
	u64 hdm_regs_offset;
	u32 dpa_region_index;
	u32 comp_regs_region_index;
};

#define CXLEMU_VFIO_CAP_SIZE	32	/* sizeof(struct vfio_device_info_cap_cxl) */
/* Mirrors of include/uapi/linux/vfio_cxl.h (checked equal by the tests). */
#define CXLEMU_VFIO_CAP_ID		6	/* VFIO_DEVICE_INFO_CAP_CXL */
#define CXLEMU_VFIO_CAP_VERSION		1
#define CXLEMU_VFIO_CAP_FIRMWARE_COMMITTED	BIT(0)
#define CXLEMU_VFIO_CAP_CACHE_CAPABLE		BIT(1)
#define CXLEMU_VFIO_CAP_FLAGS_KNOWN	(CXLEMU_VFIO_CAP_FIRMWARE_COMMITTED | \
					 CXLEMU_VFIO_CAP_CACHE_CAPABLE)
#define CXLEMU_VFIO_CAP_BAR_MAX		5	/* BARs 0..5 */
#define CXLEMU_VFIO_CAP_MAX_ITER	64	/* capability chain entries walked */
/*
 * Lowest offset a capability may sit at: past struct vfio_device_info's
 * cap_offset field (20; 6.12's struct adds a pad making it 24, older ones
 * are 20 bytes long).
 */
#define CXLEMU_VFIO_INFO_MIN_OFF	20

/*
 * Write the capability (header id 6, version 1, @next) into @buf (32 bytes).
 * -EINVAL for @len < 32 or a capability the decoder would refuse (unknown
 * flags, BAR index > 5, hdm_regs_offset not 4 KiB aligned, both region
 * indices equal).
 */
int cxlemu_vfio_cap_encode(void *buf, u32 len, u32 next, const struct cxlemu_vfio_cap *cap);
/**
 * cxlemu_vfio_cap_decode() - find and decode the CXL capability
 * @info: the VFIO_DEVICE_GET_INFO reply as the kernel returned it
 * @len: bytes valid in @info (min of argsz returned and buffer size)
 * @cap_offset: struct vfio_device_info.cap_offset (0: no chain)
 * Walks the chain as hostile input: every header inside @len and at or
 * past offset 20 (the end of struct vfio_device_info's fields), 4-byte aligned,
 * strictly increasing offsets with no overlap, at most 64 entries, one CXL
 * capability. The whole chain is checked before @out is written. Returns
 * -ENOENT when no CXL capability is present, -EPROTO for a malformed
 * chain or capability (wrong version, nonzero reserved, unknown flags, a
 * field the encoder refuses).
 */
int cxlemu_vfio_cap_decode(const void *info, u32 len, u32 cap_offset, struct cxlemu_vfio_cap *out);

#endif /* _VFIO_CXL_CXLEMU_H */
