/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * cxl-accel: how software starts one command on the emulated accelerator's
 * command interface (tests/accel/README.md), written once for the guest
 * driver (guest/cxl-accel/cxl_accel.c) and the in-guest device test
 * (tests/accel/accel_test.c), over the includer's BAR0 write accessors.
 * Waiting for the outcome stays with the caller: the driver polls STATUS
 * with a timeout, the test reads it once (the doorbell is synchronous).
 *
 * The includer supplies u32, u64 and BIT() (the kernel's headers, or
 * core/user/cxlemu_deps.h in userspace), as for cxl_accel_regs.h.
 */
#ifndef _VFIO_CXL_ACCEL_CMD_H
#define _VFIO_CXL_ACCEL_CMD_H

#include "cxl_accel_regs.h"

/* Writes to BAR0 at byte offset @off; 64-bit registers as one qword. */
struct cxl_accel_io {
	void (*wr32)(void *priv, u32 off, u32 val);
	void (*wr64)(void *priv, u32 off, u64 val);
	void *priv;
};

/*
 * DONE and ERROR are RW1C: clear them first, so that the STATUS the caller
 * reads afterwards speaks of this command; then the opcode and operands,
 * and the doorbell last.
 */
static inline void cxl_accel_cmd_start(const struct cxl_accel_io *io, u32 op,
				       u64 src, u64 dst, u64 len, u64 pattern)
{
	io->wr32(io->priv, CXL_ACCEL_STATUS, CXL_ACCEL_STATUS_DONE | CXL_ACCEL_STATUS_ERROR);
	io->wr32(io->priv, CXL_ACCEL_OPCODE, op);
	io->wr64(io->priv, CXL_ACCEL_SRC, src);
	io->wr64(io->priv, CXL_ACCEL_DST, dst);
	io->wr64(io->priv, CXL_ACCEL_LEN, len);
	io->wr64(io->priv, CXL_ACCEL_PATTERN, pattern);
	io->wr32(io->priv, CXL_ACCEL_DOORBELL, CXL_ACCEL_DOORBELL_RUN);
}

#endif /* _VFIO_CXL_ACCEL_CMD_H */
