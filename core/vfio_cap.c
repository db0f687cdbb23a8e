// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO_DEVICE_INFO_CAP_CXL (include/uapi/linux/vfio_cxl.h): the encoder the
 * kernel uses and the decoder a VMM uses. The decoder treats the reply of
 * VFIO_DEVICE_GET_INFO as hostile: every header inside the valid bytes,
 * 4-byte aligned, past struct vfio_device_info, offsets strictly increasing,
 * at most CXLEMU_VFIO_CAP_MAX_ITER entries (QEMU's vfio_get_cap() trusts
 * the kernel; this does not).
 *
 * Wire layout, little-endian, offsets from the capability's first byte:
 *   0  u16 id (6)   2 u16 version (1)   4 u32 next
 *   8  u8 hdm_regs_bar_index   9 u8 reserved[3]   12 u32 flags
 *   16 u64 hdm_regs_offset   24 u32 dpa_region_index
 *   28 u32 comp_regs_region_index
 */
#include "cxlemu.h"

#define VCAP_ID			0x00
#define VCAP_VERSION		0x02
#define VCAP_NEXT		0x04
#define VCAP_HDR_SIZE		0x08
#define VCAP_BAR		0x08
#define VCAP_RSVD		0x09
#define VCAP_RSVD_LEN		3
#define VCAP_FLAGS		0x0c
#define VCAP_HDM_OFFSET		0x10
#define VCAP_DPA_INDEX		0x18
#define VCAP_COMP_INDEX		0x1c

static_assert(VCAP_COMP_INDEX + 4 == CXLEMU_VFIO_CAP_SIZE, "cap layout");

static int vfio_cap_check(const struct cxlemu_vfio_cap *c)
{
	if (c->flags & ~(u32)CXLEMU_VFIO_CAP_FLAGS_KNOWN)
		return -EPROTO;
	if (c->hdm_regs_bar_index > CXLEMU_VFIO_CAP_BAR_MAX)
		return -EPROTO;
	/* the CXL.cache/mem area is 4 KiB into a 64 KiB aligned block */
	if (c->hdm_regs_offset & (CXL_COMP_CM_SIZE - 1))
		return -EPROTO;
	if (c->dpa_region_index == c->comp_regs_region_index)
		return -EPROTO;
	return 0;
}

int cxlemu_vfio_cap_encode(void *buf, u32 len, u32 next, const struct cxlemu_vfio_cap *cap)
{
	u8 *b = buf;

	if (!buf || !cap || len < CXLEMU_VFIO_CAP_SIZE)
		return -EINVAL;
	if (vfio_cap_check(cap))
		return -EINVAL;
	memset(b, 0, CXLEMU_VFIO_CAP_SIZE);
	put_unaligned_le16(CXLEMU_VFIO_CAP_ID, b + VCAP_ID);
	put_unaligned_le16(CXLEMU_VFIO_CAP_VERSION, b + VCAP_VERSION);
	put_unaligned_le32(next, b + VCAP_NEXT);
	b[VCAP_BAR] = cap->hdm_regs_bar_index;
	put_unaligned_le32(cap->flags, b + VCAP_FLAGS);
	put_unaligned_le64(cap->hdm_regs_offset, b + VCAP_HDM_OFFSET);
	put_unaligned_le32(cap->dpa_region_index, b + VCAP_DPA_INDEX);
	put_unaligned_le32(cap->comp_regs_region_index, b + VCAP_COMP_INDEX);
	return 0;
}

static int vfio_cap_parse(const u8 *b, struct cxlemu_vfio_cap *c)
{
	unsigned int i;

	if (get_unaligned_le16(b + VCAP_VERSION) != CXLEMU_VFIO_CAP_VERSION)
		return -EPROTO;
	for (i = 0; i < VCAP_RSVD_LEN; i++)
		if (b[VCAP_RSVD + i])
			return -EPROTO;
	c->hdm_regs_bar_index = b[VCAP_BAR];
	c->flags = get_unaligned_le32(b + VCAP_FLAGS);
	c->hdm_regs_offset = get_unaligned_le64(b + VCAP_HDM_OFFSET);
	c->dpa_region_index = get_unaligned_le32(b + VCAP_DPA_INDEX);
	c->comp_regs_region_index = get_unaligned_le32(b + VCAP_COMP_INDEX);
	return vfio_cap_check(c);
}

int cxlemu_vfio_cap_decode(const void *info, u32 len, u32 cap_offset, struct cxlemu_vfio_cap *out)
{
	const u8 *b = info;
	struct cxlemu_vfio_cap c = { 0 };
	bool found = false;
	u32 off = cap_offset, n;
	int ret;

	if (!info || !out)
		return -EINVAL;
	if (!off)
		return -ENOENT;
	/* The whole chain is validated, then the result is published. */
	for (n = 0; off; n++) {
		u32 next;

		if (n >= CXLEMU_VFIO_CAP_MAX_ITER)
			return -EPROTO;
		if (off < CXLEMU_VFIO_INFO_MIN_OFF || off & 3)
			return -EPROTO;
		if (off > len || len - off < VCAP_HDR_SIZE)
			return -EPROTO;
		next = get_unaligned_le32(b + off + VCAP_NEXT);
		if (next && (next <= off || next - off < VCAP_HDR_SIZE))
			return -EPROTO;
		if (get_unaligned_le16(b + off + VCAP_ID) == CXLEMU_VFIO_CAP_ID) {
			if (found || len - off < CXLEMU_VFIO_CAP_SIZE)
				return -EPROTO;
			if (next && next - off < CXLEMU_VFIO_CAP_SIZE)
				return -EPROTO;	/* overlaps the next header */
			ret = vfio_cap_parse(b + off, &c);
			if (ret)
				return ret;
			found = true;
		}
		off = next;
	}
	if (!found)
		return -ENOENT;
	*out = c;
	return 0;
}
