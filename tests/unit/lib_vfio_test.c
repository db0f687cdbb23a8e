// SPDX-License-Identifier: MIT
/*
 * libvfiocxl against a fake VFIO layer: opening (each failure on the way),
 * the GET_INFO and region capability chains as hostile input, the
 * COMP_REGS walk, decoder programming (committed, error, timeout, locked),
 * reset, DPA mapping and logging.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "lib_fake.h"

static int open_dev(struct vfio_cxl_dev **dev)
{
	struct vfio_cxl_ctx *ctx = fake_ctx();
	int rc;

	rc = vfio_cxl_dev_open(ctx, FAKE_ADDR, 0, dev);
	vfio_cxl_unref(ctx);	/* the device keeps its own reference */
	return rc;
}

/* Open expecting @want; closes on success. Leaves the log in fake_log. */
static int try_open(void)
{
	struct vfio_cxl_dev *dev = NULL;
	int rc = open_dev(&dev);

	if (!rc)
		vfio_cxl_dev_close(dev);
	return rc;
}

static struct vfio_device_info_cap_cxl *info_cap(void)
{
	return (void *)(fake.info + fake_info()->cap_offset);
}

/* ---- table of open failures --------------------------------------------- */

static void f_no_device(void) { fake.no_device = true; }
static void f_no_group(void) { fake.no_group = true; }
static void f_no_container(void) { fake.no_container = true; }
static void f_group_busy(void) { fake.group_busy = true; }
static void f_device_busy(void) { fake.device_busy = true; }
static void f_not_viable(void) { fake.not_viable = true; }
static void f_cxl_disabled(void)
{
	fake_info()->flags &= ~VFIO_DEVICE_FLAGS_CXL;
}
static void f_not_pci(void) { fake_info()->flags &= ~VFIO_DEVICE_FLAGS_PCI; }
static void f_no_caps_flag(void) { fake_info()->flags &= ~VFIO_DEVICE_FLAGS_CAPS; }
static void f_no_cap_chain(void) { fake_info()->cap_offset = 0; }
static void f_cap_beyond(void) { fake_info()->cap_offset = 0x400; }
static void f_cap_inside_header(void) { fake_info()->cap_offset = 8; }
static void f_cap_misaligned(void)
{
	memmove(fake.info + 26, fake.info + 24, 32);
	fake_info()->cap_offset = 26;
	fake.info_len += 2;
}
static void f_cap_loop(void)
{
	/* a foreign capability first whose next points back to itself */
	struct vfio_info_cap_header *h;

	memmove(fake.info + 32, fake.info + 24, 32);
	h = (void *)(fake.info + 24);
	h->id = 1;			/* ZPCI_BASE, not ours */
	h->version = 1;
	h->next = 24;
	fake.info_len += 8;
}
static void f_cap_truncated(void) { fake.info_len = 40; }
static void f_cap_wrong_id(void) { info_cap()->header.id = 5; }
static void f_cap_wrong_version(void) { info_cap()->header.version = 2; }
static void f_cap_reserved(void) { info_cap()->reserved[1] = 1; }
static void f_cap_bad_dpa_index(void) { info_cap()->dpa_region_index = 40; }
static void f_cap_same_index(void) { info_cap()->dpa_region_index = FAKE_COMP_INDEX; }
static void f_cap_bar_index(void) { info_cap()->hdm_regs_bar_index = 7; }
static void f_regions_huge(void) { fake_info()->num_regions = 100000; }
static void f_dpa_untyped(void) { info_cap()->dpa_region_index = 2; }
static void f_comp_wrong_subtype(void)
{
	struct vfio_region_info *r = fake_region(FAKE_COMP_INDEX);
	struct vfio_region_info_cap_type *t = (void *)((uint8_t *)r + r->cap_offset);

	t->subtype = VFIO_REGION_SUBTYPE_CXL;
}
static void f_region_cap_beyond(void) { fake_region(FAKE_DPA_INDEX)->cap_offset = 0x3f0; }
static void f_region_cap_inside(void) { fake_region(FAKE_DPA_INDEX)->cap_offset = 4; }
static void f_region_cap_loop(void)
{
	struct vfio_region_info *r = fake_region(0);
	struct vfio_info_cap_header *h = (void *)((uint8_t *)r + r->cap_offset);

	h->next = r->cap_offset;
}
static void f_region_sparse_truncated(void)
{
	struct vfio_region_info *r = fake_region(0);
	struct vfio_region_info_cap_sparse_mmap *s = (void *)((uint8_t *)r + r->cap_offset);

	s->nr_areas = 1000;
}
static void f_region_sparse_outside(void)
{
	struct vfio_region_info *r = fake_region(0);
	struct vfio_region_info_cap_sparse_mmap *s = (void *)((uint8_t *)r + r->cap_offset);

	s->areas[0].size = ~0ull - 0x1000;
}
static void f_region_truncated_reply(void)
{
	fake.regions[FAKE_DPA_INDEX].len = sizeof(struct vfio_region_info) + 8;
	fake_region(FAKE_DPA_INDEX)->argsz = fake.regions[FAKE_DPA_INDEX].len;
}
static void f_dpa_readonly(void) { fake_region(FAKE_DPA_INDEX)->flags &= ~VFIO_REGION_INFO_FLAG_WRITE; }
static void f_comp_bad_header(void) { fake.comp[0] = 0x03110002; }
static void f_comp_count_too_big(void)
{
	fake.comp[0] = FIELD_PREP(CXL_CM_CAP_HDR_ID, 1) | FIELD_PREP(CXL_CM_CAP_HDR_ARRAY_SIZE, 200);
}
static void f_comp_no_hdm(void) { fake.comp[3] = FIELD_PREP(CXL_CM_CAP_ENTRY_ID, 7) |
					    FIELD_PREP(CXL_CM_CAP_ENTRY_PTR, 0x128); }
static void f_comp_hdm_outside(void)
{
	fake.comp[3] = FIELD_PREP(CXL_CM_CAP_ENTRY_ID, CXL_CM_CAP_ID_HDM) |
		       FIELD_PREP(CXL_CM_CAP_ENTRY_PTR, 0xff0);
}
static void f_comp_hdm_in_array(void)
{
	fake.comp[3] = FIELD_PREP(CXL_CM_CAP_ENTRY_ID, CXL_CM_CAP_ID_HDM) |
		       FIELD_PREP(CXL_CM_CAP_ENTRY_PTR, 0x4);
}
static void f_comp_two_hdm(void)
{
	fake.comp[1] = fake.comp[3];
}
static void f_comp_too_many_decoders(void)
{
	fake.comp[FAKE_HDM_OFF / 4] = FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, 8);
}
static void f_comp_reserved_count(void)
{
	fake.comp[FAKE_HDM_OFF / 4] = FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, 0xd);
}
static void f_comp_region_small(void)
{
	fake_region(FAKE_COMP_INDEX)->size = 4;
}

static const struct {
	const char *name;
	void (*setup)(void);
	int rc;
	const char *msg;	/* expected in the log */
} open_cases[] = {
	{ "no such device", f_no_device, -ENODEV, "no such PCI device" },
	{ "no IOMMU group", f_no_group, -ENODEV, "no IOMMU group" },
	{ "no VFIO container", f_no_container, -ENODEV, "is vfio loaded" },
	{ "group open elsewhere", f_group_busy, -EBUSY, "device busy" },
	{ "device busy", f_device_busy, -EBUSY, "device busy" },
	{ "group not viable", f_not_viable, -EBUSY, "not viable" },
	{ "CXL layer disabled", f_cxl_disabled, -EOPNOTSUPP, "VFIO_DEVICE_FLAGS_CXL" },
	{ "not a PCI device", f_not_pci, -EOPNOTSUPP, "not a VFIO PCI" },
	{ "CXL flag without CAPS flag", f_no_caps_flag, -EPROTO, "capability chain" },
	{ "CXL flag without a chain", f_no_cap_chain, -EPROTO, "no CXL capability" },
	{ "capability beyond the reply", f_cap_beyond, -EPROTO, "malformed CXL capability" },
	{ "capability inside the header", f_cap_inside_header, -EPROTO, "malformed" },
	{ "capability misaligned", f_cap_misaligned, -EPROTO, "malformed" },
	{ "capability chain loop", f_cap_loop, -EPROTO, "malformed" },
	{ "capability truncated by argsz", f_cap_truncated, -EPROTO, "malformed" },
	{ "capability with another id", f_cap_wrong_id, -EPROTO, "no CXL capability" },
	{ "capability version 2", f_cap_wrong_version, -EPROTO, "malformed" },
	{ "capability reserved bytes set", f_cap_reserved, -EPROTO, "malformed" },
	{ "DPA index past the regions", f_cap_bad_dpa_index, -EPROTO, "bad indices" },
	{ "DPA index equal to COMP_REGS", f_cap_same_index, -EPROTO, "malformed" },
	{ "BAR index 7", f_cap_bar_index, -EPROTO, "malformed" },
	{ "100000 regions", f_regions_huge, -EPROTO, "implausible region count" },
	{ "DPA index names a BAR", f_dpa_untyped, -EPROTO, "not the DPA region" },
	{ "COMP_REGS with the DPA subtype", f_comp_wrong_subtype, -EPROTO, "not the COMP_REGS" },
	{ "region capability beyond the reply", f_region_cap_beyond, -EPROTO, "bad offset" },
	{ "region capability inside the header", f_region_cap_inside, -EPROTO, "bad offset" },
	{ "region capability loop", f_region_cap_loop, -EPROTO, "bad offset" },
	{ "sparse mmap with 1000 areas", f_region_sparse_truncated, -EPROTO, "truncated sparse" },
	{ "sparse area outside its region", f_region_sparse_outside, -EPROTO, "outside the region" },
	{ "region reply truncated", f_region_truncated_reply, -EPROTO, "truncated type" },
	{ "read-only DPA region", f_dpa_readonly, -EPROTO, "not usable" },
	{ "COMP_REGS header id 2", f_comp_bad_header, -EPROTO, "capability array" },
	{ "COMP_REGS array of 200 entries", f_comp_count_too_big, -EPROTO, "does not fit" },
	{ "COMP_REGS without HDM capability", f_comp_no_hdm, -EPROTO, "no HDM Decoder" },
	{ "HDM capability outside COMP_REGS", f_comp_hdm_outside, -EPROTO, "bad offset" },
	{ "HDM capability inside the array", f_comp_hdm_in_array, -EPROTO, "bad offset" },
	{ "two HDM capabilities", f_comp_two_hdm, -EPROTO, "listed twice" },
	{ "16 decoders in a 4-decoder region", f_comp_too_many_decoders, -EPROTO, "do not fit" },
	{ "reserved decoder count", f_comp_reserved_count, -EPROTO, "reserved decoder count" },
	{ "COMP_REGS region of 4 bytes", f_comp_region_small, -EPROTO, "not usable" },
};

#define N_OPEN_CASES (int)(sizeof(open_cases) / sizeof(open_cases[0]))

static void test_open_failures(void)
{
	int i;

	for (i = 0; i < N_OPEN_CASES; i++) {
		unsigned int opens, closes;
		int rc;

		fake_reset();
		open_cases[i].setup();
		rc = try_open();
		opens = fake.opens;
		closes = fake.closes;
		if (fake.live_fds)
			printf("# %d fds leaked\n", fake.live_fds);
		if (rc != open_cases[i].rc || !strstr(fake_log, open_cases[i].msg) ||
		    strncmp(fake_log, FAKE_ADDR ": ", strlen(FAKE_ADDR) + 2))
			printf("# rc %d (want %d), log: %s", rc, open_cases[i].rc, fake_log);
		tap_ok(rc == open_cases[i].rc && strstr(fake_log, open_cases[i].msg) && !fake.live_fds &&
		       !strncmp(fake_log, FAKE_ADDR ": ", strlen(FAKE_ADDR) + 2),
		       "open fails cleanly: %s", open_cases[i].name);
		(void)opens;
		(void)closes;
	}
}

static void test_open_good(void)
{
	struct vfio_cxl_dev *dev;
	struct vfio_cxl_region *r;
	uint64_t o, s;
	uint32_t type, subtype;
	int rc, n;

	fake_reset();
	rc = open_dev(&dev);
	TAP_CHECK("open a good device", rc == 0 && !fake_log[0]);
	if (rc) {
		printf("# %s", fake_log);
		exit(1);
	}
	TAP_CHECK("device name is canonical", !strcmp(vfio_cxl_dev_get_devname(dev), FAKE_ADDR));
	TAP_CHECK("legacy group path", !vfio_cxl_dev_is_iommufd(dev) &&
		  vfio_cxl_dev_get_iommu_group(dev) == FAKE_GROUP);
	TAP_CHECK("flags carry CXL", vfio_cxl_dev_get_flags(dev) & VFIO_DEVICE_FLAGS_CXL);
	TAP_CHECK("capability fields", vfio_cxl_dev_get_comp_bar(dev) == 0 &&
		  vfio_cxl_dev_get_hdm_regs_offset(dev) == 0x1000 &&
		  vfio_cxl_dev_is_firmware_committed(dev) && !vfio_cxl_dev_is_cache_capable(dev));
	TAP_CHECK("region count", vfio_cxl_dev_get_num_regions(dev) == FAKE_NREGIONS);
	TAP_CHECK("DPA size from the region", vfio_cxl_dev_get_dpa_size(dev) == FAKE_DPA_SIZE);
	r = vfio_cxl_dev_get_dpa_region(dev);
	TAP_CHECK("DPA region typed", vfio_cxl_region_get_index(r) == FAKE_DPA_INDEX &&
		  vfio_cxl_region_get_type(r, &type, &subtype) &&
		  type == VFIO_CXL_REGION_TYPE && subtype == VFIO_REGION_SUBTYPE_CXL &&
		  !strcmp(vfio_cxl_region_get_name(r), "cxl_dpa"));
	r = vfio_cxl_dev_get_comp_regs_region(dev);
	TAP_CHECK("COMP_REGS region typed", vfio_cxl_region_get_index(r) == FAKE_COMP_INDEX &&
		  vfio_cxl_region_get_size(r) == FAKE_COMP_SIZE &&
		  !(vfio_cxl_region_get_flags(r) & VFIO_REGION_INFO_FLAG_MMAP) &&
		  !strcmp(vfio_cxl_region_get_name(r), "cxl_comp_regs"));
	n = 0;
	vfio_cxl_region_foreach(dev, r)
		n++;
	TAP_CHECK("foreach visits every region", n == FAKE_NREGIONS);
	r = vfio_cxl_region_get_by_index(dev, 0);
	TAP_CHECK("BAR0 sparse areas leave out the component block",
		  vfio_cxl_region_get_nr_areas(r) == 1 &&
		  !vfio_cxl_region_get_area(r, 0, &o, &s) && o == 0x10000 && s == 0x10000 &&
		  vfio_cxl_region_get_area(r, 1, &o, &s) == -ERANGE);
	TAP_CHECK("VGA region refused with EINVAL is absent, not an error",
		  vfio_cxl_region_get_size(vfio_cxl_region_get_by_index(dev, VFIO_PCI_VGA_REGION_INDEX)) == 0 &&
		  !strcmp(vfio_cxl_region_get_name(vfio_cxl_region_get_by_index(dev, VFIO_PCI_VGA_REGION_INDEX)), "vga"));
	TAP_CHECK("untyped region has no type", !vfio_cxl_region_get_type(vfio_cxl_region_get_by_index(dev, 2), NULL, NULL) &&
		  vfio_cxl_region_get_nr_areas(vfio_cxl_region_get_by_index(dev, 2)) == -1);
	TAP_CHECK("HDM found by walking the array", vfio_cxl_dev_get_hdm_offset(dev) == FAKE_HDM_OFF &&
		  vfio_cxl_dev_get_num_decoders(dev) == 4);
	vfio_cxl_dev_close(dev);
	TAP_CHECK("close releases every fd", fake.closes == 3 && fake.live_fds == 0);
}

static void test_open_variants(void)
{
	struct vfio_cxl_ctx *ctx;
	struct vfio_cxl_dev *dev;
	char path[600];
	int rc;

	/* GET_INFO reply larger than the first buffer: retried with the size asked */
	fake_reset();
	memmove(fake.info + 24 + 256, fake.info + 24, 32);
	fake_info()->cap_offset = 24 + 256;
	fake.info_len += 256;
	TAP_CHECK("GET_INFO retried with a larger buffer", try_open() == 0);

	/* decoder count encoding 0 means one decoder */
	fake_reset();
	fake.comp[FAKE_HDM_OFF / 4] = 0;
	rc = open_dev(&dev);
	TAP_CHECK("decoder count 0 means 1", rc == 0 && vfio_cxl_dev_get_num_decoders(dev) == 1);
	if (!rc)
		vfio_cxl_dev_close(dev);

	/* short address form */
	fake_reset();
	ctx = fake_ctx();
	rc = vfio_cxl_dev_open(ctx, "0d:00.0", 0, &dev);
	TAP_CHECK("BB:DD.F address accepted", rc == 0);
	if (!rc)
		vfio_cxl_dev_close(dev);
	static const char *const bad[] = { "", "0000:0d:00", "0000:0d:20.0", "0000:0d:00.8",
					   "zzzz:0d:00.0", "0000:0d:00.0x", "00000:0d:00.0" };
	unsigned int i;
	bool all = true;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fake_log[0] = '\0';
		rc = vfio_cxl_dev_open(ctx, bad[i], 0, &dev);
		if (rc != -EINVAL || !strstr(fake_log, "not a PCI address")) {
			printf("# '%s': %d %s", bad[i], rc, fake_log);
			all = false;
		}
	}
	TAP_CHECK("malformed addresses refused with -EINVAL", all);
	vfio_cxl_unref(ctx);

	/* iommufd cdev: sysfs has vfio-dev/vfio3 */
	fake_reset();
	snprintf(fake.sysfs, sizeof(fake.sysfs), "/tmp/lib_vfio_test.%d", getpid());
	snprintf(path, sizeof(path), "mkdir -p %s/bus/pci/devices/%s/vfio-dev/vfio%d", fake.sysfs,
		 FAKE_ADDR, FAKE_CDEV);
	if (system(path))
		printf("# mkdir failed\n");
	fake.cdev = true;
	rc = open_dev(&dev);
	TAP_CHECK("iommufd cdev used when vfio-dev/vfioN exists",
		  rc == 0 && vfio_cxl_dev_is_iommufd(dev));
	if (!rc)
		vfio_cxl_dev_close(dev);
	fake.device_busy = true;
	TAP_CHECK("iommufd cdev busy", try_open() == -EBUSY && strstr(fake_log, "device busy"));
	fake.device_busy = false;
	fake.cdev = false;	/* cdev dir present, but no /dev/iommu: legacy fallback */
	rc = open_dev(&dev);
	TAP_CHECK("legacy fallback without /dev/iommu", rc == 0 && !vfio_cxl_dev_is_iommufd(dev));
	if (!rc)
		vfio_cxl_dev_close(dev);
	snprintf(path, sizeof(path), "rm -rf %s", fake.sysfs);
	if (system(path))
		printf("# rm failed\n");
}

static void test_comp_access(void)
{
	struct vfio_cxl_dev *dev;
	uint32_t v;
	uint64_t v64;

	fake_reset();
	if (open_dev(&dev))
		exit(1);
	TAP_CHECK("COMP_REGS read of the array header", !vfio_cxl_comp_read32(dev, 0, &v) &&
		  FIELD_GET(CXL_CM_CAP_HDR_ID, v) == 1);
	TAP_CHECK("COMP_REGS 64-bit read", !vfio_cxl_comp_read64(dev, 0, &v64) &&
		  (uint32_t)v64 == fake.comp[0] && (v64 >> 32) == fake.comp[1]);
	fake_log[0] = '\0';
	TAP_CHECK("COMP_REGS misaligned access refused", vfio_cxl_comp_read32(dev, 2, &v) == -EINVAL &&
		  vfio_cxl_comp_read64(dev, 4, &v64) == -EINVAL);
	TAP_CHECK("COMP_REGS access past the end refused",
		  vfio_cxl_comp_read32(dev, FAKE_COMP_SIZE, &v) == -EINVAL &&
		  vfio_cxl_comp_write32(dev, 0xfffffffc, 0) == -EINVAL &&
		  !strncmp(fake_log, FAKE_ADDR ": COMP_REGS", strlen(FAKE_ADDR) + 11));
	vfio_cxl_dev_close(dev);
}

static void test_decoders(void)
{
	struct vfio_cxl_decoder_state st;
	struct vfio_cxl_decoder *d;
	struct vfio_cxl_dev *dev;
	uint32_t gctrl = 0;
	const uint64_t base = 0x490000000ull, size = 256ull << 20;
	int n, rc;

	fake_reset();
	if (open_dev(&dev))
		exit(1);
	n = 0;
	vfio_cxl_decoder_foreach(dev, d)
		n += vfio_cxl_decoder_get_id(d) == (unsigned int)n;
	TAP_CHECK("decoder foreach in order", n == 4);
	d = vfio_cxl_decoder_get_by_id(dev, 0);
	TAP_CHECK("decoder 0 reads uncommitted", !vfio_cxl_decoder_read(d, &st) && !st.committed &&
		  !st.base && !st.size);
	TAP_CHECK("misaligned base refused", vfio_cxl_decoder_program(d, base + 4096, size, 0) == -EINVAL);
	TAP_CHECK("zero size refused", vfio_cxl_decoder_program(d, base, 0, 0) == -EINVAL);
	TAP_CHECK("wrapping range refused", vfio_cxl_decoder_program(d, ~0ull << 28, 1ull << 29, 0) == -EINVAL);
	rc = vfio_cxl_decoder_program(d, base, size, VFIO_CXL_DECODER_LOCK | VFIO_CXL_DECODER_HOST_ONLY);
	TAP_CHECK("program, commit and lock decoder 0", rc == 0);
	TAP_CHECK("decoder 0 reads back committed and locked",
		  !vfio_cxl_decoder_read(d, &st) && st.committed && st.locked && st.host_only &&
		  !st.error && st.base == base && st.size == size && st.dpa_skip == 0);
	TAP_CHECK("global HDM enable set", !vfio_cxl_dev_get_hdm_global_ctrl(dev, &gctrl) &&
		  (gctrl & CXL_HDM_GCTRL_ENABLE));
	fake_log[0] = '\0';
	TAP_CHECK("locked decoder refuses a new program",
		  vfio_cxl_decoder_program(d, base, size, 0) == -EPERM && strstr(fake_log, "locked"));
	TAP_CHECK("locked decoder refuses uncommit", vfio_cxl_decoder_uncommit(d) == -EPERM);

	d = vfio_cxl_decoder_get_by_id(dev, 1);
	TAP_CHECK("program decoder 1 unlocked", !vfio_cxl_decoder_program(d, base + size, size, 0));
	TAP_CHECK("committed decoder refuses a new program", vfio_cxl_decoder_program(d, base, size, 0) == -EBUSY);
	TAP_CHECK("uncommit decoder 1", !vfio_cxl_decoder_uncommit(d) &&
		  !vfio_cxl_decoder_read(d, &st) && !st.committed);

	fake.commit = FAKE_COMMIT_ERROR;
	d = vfio_cxl_decoder_get_by_id(dev, 2);
	fake_log[0] = '\0';
	rc = vfio_cxl_decoder_program(d, base, size, 0);
	TAP_CHECK("commit refused gives -EIO and one message", rc == -EIO &&
		  strstr(fake_log, "commit refused") && !strchr(strchr(fake_log, '\n') + 1, '\n'));
	TAP_CHECK("COMMIT cleared after an error", !vfio_cxl_decoder_read(d, &st) &&
		  !(st.ctrl & CXL_HDM_DEC_CTRL_COMMIT) && !st.committed);

	fake.commit = FAKE_COMMIT_NEVER;
	fake.clock_ns = 0;
	rc = vfio_cxl_decoder_program(d, base, size, 0);
	TAP_CHECK("commit that never completes times out", rc == -ETIMEDOUT);
	TAP_CHECK("timeout is the spec's 10 ms", fake.clock_ns >= 10000000 && fake.clock_ns < 11000000);

	fake.commit = FAKE_COMMIT_OK;
	TAP_CHECK("reset", !vfio_cxl_dev_reset(dev) && fake.resets == 1);
	d = vfio_cxl_decoder_get_by_id(dev, 0);
	TAP_CHECK("reset unlocks decoder 0", !vfio_cxl_decoder_read(d, &st) && !st.committed && !st.locked);
	TAP_CHECK("program again after reset", !vfio_cxl_decoder_program(d, base, size, VFIO_CXL_DECODER_LOCK));
	TAP_CHECK("no decoder 4", !vfio_cxl_decoder_get_by_id(dev, 4));
	vfio_cxl_dev_close(dev);

	fake_reset();
	fake_info()->flags &= ~VFIO_DEVICE_FLAGS_RESET;
	if (open_dev(&dev))
		exit(1);
	TAP_CHECK("reset without RESET flag", vfio_cxl_dev_reset(dev) == -ENOTTY);
	vfio_cxl_dev_close(dev);
}

/* COMP_REGS served by core's HDM emulation, as the module serves it. */
static void test_core_emulation(void)
{
	struct vfio_cxl_decoder_state st;
	struct vfio_cxl_decoder *d;
	struct vfio_cxl_dev *dev;
	const uint64_t base = 0x490000000ull, size = 256ull << 20;
	int rc;

	fake_reset();
	fake.commit = FAKE_COMMIT_CORE;
	if (open_dev(&dev)) {
		printf("# %s", fake_log);
		exit(1);
	}
	TAP_CHECK("core: 4 decoders found", vfio_cxl_dev_get_num_decoders(dev) == 4);
	d = vfio_cxl_decoder_get_by_id(dev, 0);
	rc = vfio_cxl_decoder_program(d, base, size, VFIO_CXL_DECODER_LOCK | VFIO_CXL_DECODER_HOST_ONLY);
	TAP_CHECK("core: decoder 0 commits and locks", rc == 0 && !vfio_cxl_decoder_read(d, &st) &&
		  st.committed && st.locked && st.base == base && st.size == size);
	fake_log[0] = '\0';
	d = vfio_cxl_decoder_get_by_id(dev, 1);
	rc = vfio_cxl_decoder_program(d, base + size, 2 * size, 0);
	TAP_CHECK("core: decoder beyond the DPA refused with -EIO", rc == -EIO &&
		  strstr(fake_log, "commit refused"));
	TAP_CHECK("core: refused decoder left uncommitted", !vfio_cxl_decoder_read(d, &st) &&
		  !st.committed && !(st.ctrl & CXL_HDM_DEC_CTRL_COMMIT));
	TAP_CHECK("core: reset clears the lock", !vfio_cxl_dev_reset(dev) &&
		  !vfio_cxl_decoder_read(vfio_cxl_decoder_get_by_id(dev, 0), &st) && !st.committed);
	vfio_cxl_dev_close(dev);
}

static void test_dpa_map(void)
{
	struct vfio_cxl_dev *dev;
	uint64_t size = 0;
	uint32_t *p = NULL, *q = NULL, v = 0;

	fake_reset();
	if (open_dev(&dev))
		exit(1);
	TAP_CHECK("map DPA", !vfio_cxl_dpa_map(dev, (void **)&p, &size) && p && size == FAKE_DPA_SIZE);
	TAP_CHECK("DPA mapping 2 MiB aligned", ((uintptr_t)p & ((2u << 20) - 1)) == 0);
	p[0x1000 / 4] = 0xc0ffee11;
	TAP_CHECK("DPA write reaches the device", pread(fake.dpa_memfd, &v, 4, 0x1000) == 4 &&
		  v == 0xc0ffee11);
	TAP_CHECK("second map returns the same address",
		  !vfio_cxl_dpa_map(dev, (void **)&q, NULL) && q == p);
	TAP_CHECK("unmap", !vfio_cxl_dpa_unmap(dev));
	vfio_cxl_dev_close(dev);

	fake_reset();
	fake_region(FAKE_DPA_INDEX)->flags &= ~VFIO_REGION_INFO_FLAG_MMAP;
	if (open_dev(&dev))
		exit(1);
	TAP_CHECK("DPA without MMAP flag not mapped", vfio_cxl_dpa_map(dev, (void **)&p, &size) == -EOPNOTSUPP);
	vfio_cxl_dev_close(dev);
}

static void test_ctx(void)
{
	struct vfio_cxl_ctx *ctx;

	setenv("VFIO_CXL_SYSFS", "/tmp/x-sysfs", 1);
	setenv("VFIO_CXL_LOG", "debug", 1);
	TAP_CHECK("context from environment", !vfio_cxl_new(&ctx) &&
		  !strcmp(vfio_cxl_get_sysfs_root(ctx), "/tmp/x-sysfs") &&
		  vfio_cxl_get_log_priority(ctx) == LOG_DEBUG);
	TAP_CHECK("empty sysfs root refused", vfio_cxl_set_sysfs_root(ctx, "") == -EINVAL);
	vfio_cxl_unref(ctx);
	unsetenv("VFIO_CXL_SYSFS");
	unsetenv("VFIO_CXL_LOG");
}

int main(void)
{
	tap_plan(N_OPEN_CASES + 61);
	test_open_failures();
	test_open_good();
	test_open_variants();
	test_comp_access();
	test_decoders();
	test_core_emulation();
	test_dpa_map();
	test_ctx();
	return tap_failed ? 1 : 0;
}
