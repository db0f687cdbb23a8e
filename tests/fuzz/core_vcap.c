// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the hostile-input parsers of core/: the VFIO capability
 * chain decoder (core/vfio_cap.c) and the CXL.cache/mem capability array
 * walk (cxlemu_comp_init() in core/comp_emu.c). The input is copied into a
 * buffer of exactly its size so that ASan catches any read past it.
 * Invariants: a decoded capability re-encodes to the same bytes and decodes
 * alone to the same value; on error the output is untouched; a COMP_REGS
 * region that parses has its HDM block inside the snapshot.
 */
#include "cxlemu.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct cxlemu_vfio_cap out, again, sentinel;
	static struct cxlemu_comp c;
	u8 *buf, enc[CXLEMU_VFIO_CAP_SIZE + 8];
	u32 cap_off, len;
	int ret;

	if (size < 5)
		return 0;
	if (data[0] & 1) {
		/* COMP_REGS: the rest is the CXL.cache/mem area snapshot */
		u32 n = (u32)(size - 1) / 4;
		u32 *area;

		if (!n)
			return 0;
		area = malloc(n * 4);
		memcpy(area, data + 1, n * 4);
		ret = cxlemu_comp_init(&c, area, n, 0, NULL, NULL);
		if (!ret) {
			u64 v;

			if (c.hdm_off + cxlemu_hdm_block_size(&c.hdm) > n * 4)
				abort();
			if (cxlemu_comp_read(&c, cxlemu_comp_size(&c), 4, &v) != -ERANGE)
				abort();
			/* the HDM capability as the device has it, reserved bits 0 */
			if (cxlemu_comp_read(&c, c.hdm_off, 4, &v) ||
			    v != (area[c.hdm_off / 4] & ~(u32)(CXL_HDM_CAP_RSVD_15_14 |
							       CXL_HDM_CAP_RSVD_31_21)))
				abort();
		} else if (ret != -EINVAL && ret != -ENODEV) {
			abort();
		}
		free(area);
		return 0;
	}

	cap_off = get_unaligned_le32(data + 1);
	if (data[0] & 2)
		cap_off %= (u32)size + 8;	/* mostly plausible offsets */
	len = (u32)size;
	buf = malloc(size);
	memcpy(buf, data, size);
	memset(&sentinel, 0xa5, sizeof(sentinel));
	out = sentinel;
	ret = cxlemu_vfio_cap_decode(buf, len, cap_off, &out);
	if (ret) {
		if (memcmp(&out, &sentinel, sizeof(out)))
			abort();
		if (ret != -ENOENT && ret != -EPROTO)
			abort();
	} else {
		if (out.flags & ~(u32)CXLEMU_VFIO_CAP_FLAGS_KNOWN || out.hdm_regs_bar_index > 5)
			abort();
		memset(enc, 0, sizeof(enc));
		if (cxlemu_vfio_cap_encode(enc + 8, CXLEMU_VFIO_CAP_SIZE, 0, &out))
			abort();
		/* a lone capability at offset 20 of a minimal reply */
		{
			u8 reply[CXLEMU_VFIO_INFO_MIN_OFF + CXLEMU_VFIO_CAP_SIZE];

			memset(reply, 0, sizeof(reply));
			memcpy(reply + CXLEMU_VFIO_INFO_MIN_OFF, enc + 8, CXLEMU_VFIO_CAP_SIZE);
			if (cxlemu_vfio_cap_decode(reply, sizeof(reply), CXLEMU_VFIO_INFO_MIN_OFF, &again))
				abort();
			if (memcmp(&again, &out, sizeof(out)))
				abort();
		}
	}
	free(buf);
	return 0;
}
