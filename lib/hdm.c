// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libvfiocxl: the COMP_REGS region and the guest-visible HDM decoders.
 *
 * COMP_REGS offset 0 is the CXL.cache/mem area's capability array (CXL r3.1
 * 8.2.4); the HDM Decoder Capability (id 5, 8.2.4.20) is found by walking it,
 * as a VMM written for the 2026 proposal does. Accesses are aligned dwords,
 * or qwords for the 64-bit-only registers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>

#include "private.h"

static int comp_access(struct vfio_cxl_dev *dev, uint32_t off, void *val, unsigned int width,
		       bool write)
{
	struct vfio_cxl_region *r = dev->comp;
	ssize_t n;

	if (off % width || (uint64_t)off + width > r->size) {
		dev_err(dev, "COMP_REGS access of %u bytes at %#x outside the region (%#llx bytes)\n",
			width, off, (unsigned long long)r->size);
		return -EINVAL;
	}
	if (write)
		n = dev->ctx->ops.pwrite(dev->fd, val, width, (off_t)(r->offset + off));
	else
		n = dev->ctx->ops.pread(dev->fd, val, width, (off_t)(r->offset + off));
	if (n == (ssize_t)width)
		return 0;
	n = n < 0 ? -errno : -EIO;
	dev_err(dev, "COMP_REGS %s of %u bytes at %#x: %s\n", write ? "write" : "read", width, off,
		strerror((int)-n));
	return (int)n;
}

VFIO_CXL_EXPORT int vfio_cxl_comp_read32(struct vfio_cxl_dev *dev, uint32_t off, uint32_t *val)
{
	return comp_access(dev, off, val, 4, false);
}

VFIO_CXL_EXPORT int vfio_cxl_comp_write32(struct vfio_cxl_dev *dev, uint32_t off, uint32_t val)
{
	return comp_access(dev, off, &val, 4, true);
}

VFIO_CXL_EXPORT int vfio_cxl_comp_read64(struct vfio_cxl_dev *dev, uint32_t off, uint64_t *val)
{
	return comp_access(dev, off, val, 8, false);
}

VFIO_CXL_EXPORT int vfio_cxl_comp_write64(struct vfio_cxl_dev *dev, uint32_t off, uint64_t val)
{
	return comp_access(dev, off, &val, 8, true);
}

struct comp_walk {
	struct vfio_cxl_dev *dev;
	uint32_t size;
	uint32_t bad_off;
};

/* The region covers the area up to the HDM block: refuse reads past it. */
static int comp_walk_read32(void *priv, uint32_t off, uint32_t *val)
{
	struct comp_walk *w = priv;

	if ((uint64_t)off + 4 > w->size) {
		w->bad_off = off;
		return -ERANGE;
	}
	return vfio_cxl_comp_read32(w->dev, off, val);
}

/*
 * core/regwalk.c walks the array, with the rules the module's probe uses.
 * The array describes the whole 4 KiB CXL.cache/mem area (entries may point
 * past the HDM block); COMP_REGS must reach to the end of the HDM block.
 */
int lvc_hdm_probe(struct vfio_cxl_dev *dev)
{
	struct comp_walk w = {
		.dev = dev,
		.size = (uint32_t)(dev->comp->size > UINT32_MAX ? UINT32_MAX : dev->comp->size),
	};
	struct cxlemu_hdm_loc loc;
	const char *why = NULL;
	unsigned int i;
	int rc;

	rc = cxlemu_cm_find_hdm(comp_walk_read32, &w, CXL_COMP_CM_SIZE, &loc, &why);
	if (rc == -ERANGE) {
		dev_err(dev, "COMP_REGS: bad offset %#x: the capability array reaches past the region (%u bytes)\n",
			w.bad_off, w.size);
		return -EPROTO;
	}
	if (rc == -EINVAL || rc == -ENODEV) {
		dev_err(dev, "COMP_REGS: %s\n", why);
		return -EPROTO;
	}
	if (rc)
		return rc;
	if (loc.ndecoders > LVC_MAX_DECODERS ||
	    (uint64_t)loc.off + CXL_HDM_BLOCK_SIZE(loc.ndecoders) > w.size) {
		dev_err(dev, "%u HDM decoders do not fit COMP_REGS (%u bytes, HDM at %#x)\n",
			loc.ndecoders, w.size, loc.off);
		return -EPROTO;
	}
	dev->hdm_off = loc.off;
	dev->hdm_cap = loc.cap;
	dev->ndecoders = loc.ndecoders;
	for (i = 0; i < loc.ndecoders; i++) {
		dev->decoders[i].dev = dev;
		dev->decoders[i].id = i;
	}
	return 0;
}

VFIO_CXL_EXPORT uint32_t vfio_cxl_dev_get_hdm_offset(struct vfio_cxl_dev *dev) { return dev->hdm_off; }
VFIO_CXL_EXPORT uint32_t vfio_cxl_dev_get_hdm_cap(struct vfio_cxl_dev *dev) { return dev->hdm_cap; }
VFIO_CXL_EXPORT unsigned int vfio_cxl_dev_get_num_decoders(struct vfio_cxl_dev *dev) { return dev->ndecoders; }

VFIO_CXL_EXPORT int vfio_cxl_dev_get_hdm_global_ctrl(struct vfio_cxl_dev *dev, uint32_t *val)
{
	return vfio_cxl_comp_read32(dev, dev->hdm_off + CXL_HDM_GCTRL, val);
}

VFIO_CXL_EXPORT struct vfio_cxl_decoder *vfio_cxl_decoder_get_first(struct vfio_cxl_dev *dev)
{
	return dev->ndecoders ? &dev->decoders[0] : NULL;
}

VFIO_CXL_EXPORT struct vfio_cxl_decoder *vfio_cxl_decoder_get_next(struct vfio_cxl_decoder *d)
{
	return d->id + 1 < d->dev->ndecoders ? d + 1 : NULL;
}

VFIO_CXL_EXPORT struct vfio_cxl_decoder *vfio_cxl_decoder_get_by_id(struct vfio_cxl_dev *dev, unsigned int id)
{
	return id < dev->ndecoders ? &dev->decoders[id] : NULL;
}

VFIO_CXL_EXPORT struct vfio_cxl_dev *vfio_cxl_decoder_get_dev(struct vfio_cxl_decoder *d) { return d->dev; }
VFIO_CXL_EXPORT unsigned int vfio_cxl_decoder_get_id(struct vfio_cxl_decoder *d) { return d->id; }

static uint32_t dec_reg(struct vfio_cxl_decoder *d, uint32_t reg)
{
	return d->dev->hdm_off + CXL_HDM_DEC_OFF(d->id) + reg;
}

static int read_pair(struct vfio_cxl_decoder *d, uint32_t lo_reg, uint32_t hi_reg, uint64_t *v)
{
	uint32_t lo, hi;
	int rc;

	rc = vfio_cxl_comp_read32(d->dev, dec_reg(d, lo_reg), &lo);
	if (!rc)
		rc = vfio_cxl_comp_read32(d->dev, dec_reg(d, hi_reg), &hi);
	if (!rc)
		*v = (uint64_t)hi << 32 | lo;
	return rc;
}

VFIO_CXL_EXPORT int vfio_cxl_decoder_read(struct vfio_cxl_decoder *d, struct vfio_cxl_decoder_state *st)
{
	uint32_t ctrl;
	int rc;

	memset(st, 0, sizeof(*st));
	rc = vfio_cxl_comp_read32(d->dev, dec_reg(d, CXL_HDM_DEC_CTRL), &ctrl);
	if (!rc)
		rc = read_pair(d, CXL_HDM_DEC_BASE_LO, CXL_HDM_DEC_BASE_HI, &st->base);
	if (!rc)
		rc = read_pair(d, CXL_HDM_DEC_SIZE_LO, CXL_HDM_DEC_SIZE_HI, &st->size);
	if (!rc)
		rc = read_pair(d, CXL_HDM_DEC_SKIP_LO, CXL_HDM_DEC_SKIP_HI, &st->dpa_skip);
	if (rc)
		return rc;
	/* The low dwords hold address bits 31:28 in place; the rest is RsvdP. */
	st->base &= ~(uint64_t)CXL_HDM_DEC_BASE_LO_RSVD;
	st->size &= ~(uint64_t)CXL_HDM_DEC_SIZE_LO_RSVD;
	st->dpa_skip &= ~(uint64_t)CXL_HDM_DEC_SKIP_LO_RSVD;
	st->ctrl = ctrl;
	st->committed = ctrl & CXL_HDM_DEC_CTRL_COMMITTED;
	st->error = ctrl & CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED;
	st->locked = st->committed && (ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT);
	st->host_only = ctrl & CXL_HDM_DEC_CTRL_TARGET_TYPE;
	return 0;
}

/*
 * Poll the control register until @done(ctrl) or the spec's 10 ms timeout
 * (CXL r3.1 8.2.4.20.12). One last read after the deadline, so a slow
 * scheduler cannot turn a success into a timeout.
 */
static int poll_ctrl(struct vfio_cxl_decoder *d, uint32_t mask, uint32_t *ctrl)
{
	struct vfio_cxl_ctx *ctx = d->dev->ctx;
	uint64_t deadline = ctx->ops.now_ns() + LVC_HDM_COMMIT_TIMEOUT_NS;
	bool last = false;
	int rc;

	for (;;) {
		rc = vfio_cxl_comp_read32(d->dev, dec_reg(d, CXL_HDM_DEC_CTRL), ctrl);
		if (rc)
			return rc;
		if (*ctrl & mask)
			return 0;
		if (last)
			return -ETIMEDOUT;
		if (ctx->ops.now_ns() >= deadline)
			last = true;
		else
			ctx->ops.sleep_ns(100 * 1000);
	}
}

static int write_pair(struct vfio_cxl_decoder *d, uint32_t lo_reg, uint32_t hi_reg, uint64_t v)
{
	int rc;

	rc = vfio_cxl_comp_write32(d->dev, dec_reg(d, hi_reg), (uint32_t)(v >> 32));
	if (!rc)
		rc = vfio_cxl_comp_write32(d->dev, dec_reg(d, lo_reg), (uint32_t)v);
	return rc;
}

VFIO_CXL_EXPORT int vfio_cxl_decoder_program(struct vfio_cxl_decoder *d, uint64_t base, uint64_t size,
					     unsigned int flags)
{
	struct vfio_cxl_dev *dev = d->dev;
	uint32_t ctrl, gctrl;
	int rc;

	if (flags & ~(VFIO_CXL_DECODER_LOCK | VFIO_CXL_DECODER_HOST_ONLY) || !size ||
	    base % CXL_HDM_DEC_ALIGN || size % CXL_HDM_DEC_ALIGN || base + size < base) {
		dev_err(dev, "decoder %u: base %#llx size %#llx: both must be multiples of 256 MiB, size > 0\n",
			d->id, (unsigned long long)base, (unsigned long long)size);
		return -EINVAL;
	}
	rc = vfio_cxl_comp_read32(dev, dec_reg(d, CXL_HDM_DEC_CTRL), &ctrl);
	if (rc)
		return rc;
	if (ctrl & CXL_HDM_DEC_CTRL_COMMITTED) {
		if (ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT) {
			dev_err(dev, "decoder %u is committed and locked until reset\n", d->id);
			return -EPERM;
		}
		dev_err(dev, "decoder %u is already committed\n", d->id);
		return -EBUSY;
	}
	rc = vfio_cxl_dev_get_hdm_global_ctrl(dev, &gctrl);
	if (!rc && !(gctrl & CXL_HDM_GCTRL_ENABLE))
		rc = vfio_cxl_comp_write32(dev, dev->hdm_off + CXL_HDM_GCTRL,
					   gctrl | CXL_HDM_GCTRL_ENABLE);
	if (!rc)
		rc = write_pair(d, CXL_HDM_DEC_BASE_LO, CXL_HDM_DEC_BASE_HI, base);
	if (!rc)
		rc = write_pair(d, CXL_HDM_DEC_SIZE_LO, CXL_HDM_DEC_SIZE_HI, size);
	if (!rc)
		rc = write_pair(d, CXL_HDM_DEC_SKIP_LO, CXL_HDM_DEC_SKIP_HI, 0);
	if (rc)
		return rc;
	/* One decoder, no interleave: IG and IW 0 (CXL r3.1 8.2.4.20.7). */
	ctrl = CXL_HDM_DEC_CTRL_COMMIT;
	if (flags & VFIO_CXL_DECODER_LOCK)
		ctrl |= CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT;
	if (flags & VFIO_CXL_DECODER_HOST_ONLY)
		ctrl |= CXL_HDM_DEC_CTRL_TARGET_TYPE;
	rc = vfio_cxl_comp_write32(dev, dec_reg(d, CXL_HDM_DEC_CTRL), ctrl);
	if (rc)
		return rc;
	rc = poll_ctrl(d, CXL_HDM_DEC_CTRL_COMMITTED | CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED, &ctrl);
	if (!rc && (ctrl & CXL_HDM_DEC_CTRL_COMMITTED)) {
		dev_dbg(dev, "decoder %u committed [%#llx, +%#llx)%s\n", d->id,
			(unsigned long long)base, (unsigned long long)size,
			(flags & VFIO_CXL_DECODER_LOCK) ? ", locked" : "");
		return 0;
	}
	if (rc == -ETIMEDOUT)
		dev_err(dev, "decoder %u: neither COMMITTED nor ERROR within 10 ms\n", d->id);
	else if (!rc) {
		dev_err(dev, "decoder %u: commit refused (Error Not Committed) for base %#llx size %#llx\n",
			d->id, (unsigned long long)base, (unsigned long long)size);
		rc = -EIO;
	}
	/* Drop COMMIT again so that a later attempt starts clean. */
	vfio_cxl_comp_write32(dev, dec_reg(d, CXL_HDM_DEC_CTRL), ctrl & ~(CXL_HDM_DEC_CTRL_COMMIT |
							      CXL_HDM_DEC_CTRL_COMMITTED | CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED));
	return rc;
}

VFIO_CXL_EXPORT int vfio_cxl_decoder_uncommit(struct vfio_cxl_decoder *d)
{
	struct vfio_cxl_dev *dev = d->dev;
	struct vfio_cxl_ctx *ctx = dev->ctx;
	uint64_t deadline;
	uint32_t ctrl;
	int rc;

	rc = vfio_cxl_comp_read32(dev, dec_reg(d, CXL_HDM_DEC_CTRL), &ctrl);
	if (rc)
		return rc;
	if ((ctrl & CXL_HDM_DEC_CTRL_COMMITTED) && (ctrl & CXL_HDM_DEC_CTRL_LOCK_ON_COMMIT)) {
		dev_err(dev, "decoder %u is locked until reset\n", d->id);
		return -EPERM;
	}
	rc = vfio_cxl_comp_write32(dev, dec_reg(d, CXL_HDM_DEC_CTRL),
				   ctrl & ~(CXL_HDM_DEC_CTRL_COMMIT | CXL_HDM_DEC_CTRL_COMMITTED |
					    CXL_HDM_DEC_CTRL_ERR_NOT_COMMITTED));
	if (rc)
		return rc;
	deadline = ctx->ops.now_ns() + LVC_HDM_COMMIT_TIMEOUT_NS;
	for (;;) {
		rc = vfio_cxl_comp_read32(dev, dec_reg(d, CXL_HDM_DEC_CTRL), &ctrl);
		if (rc)
			return rc;
		if (!(ctrl & CXL_HDM_DEC_CTRL_COMMITTED))
			return 0;
		if (ctx->ops.now_ns() >= deadline)
			break;
		ctx->ops.sleep_ns(100 * 1000);
	}
	dev_err(dev, "decoder %u: still COMMITTED 10 ms after clearing COMMIT\n", d->id);
	return -ETIMEDOUT;
}
