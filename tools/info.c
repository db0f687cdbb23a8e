// SPDX-License-Identifier: MIT
/* vfio-cxl info / hdm: the device as a VMM sees it through VFIO. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <linux/vfio.h>
#include "uapi/linux/vfio_cxl.h"
#include "cxlemu.h"
#include "libvfiocxl.h"
#include "vfio-cxl.h"

/* The library's first error line (it names the device); printed once. */
static char lib_err[512];

static void tool_log(struct vfio_cxl_ctx *ctx, int priority, const char *file, int line,
		     const char *fn, const char *format, va_list args)
{
	if (opts.verbose) {
		fprintf(stderr, "%s: ", prog);
		vfprintf(stderr, format, args);
		return;
	}
	if (priority <= LOG_ERR && !lib_err[0]) {
		vsnprintf(lib_err, sizeof(lib_err), format, args);
		lib_err[strcspn(lib_err, "\n")] = '\0';
	}
}

/* Report a library failure: its own message when it gave one. */
static int lib_fail(const char *addr, int rc, const char *what)
{
	int code = errno_exit(rc);

	if (lib_err[0])
		fprintf(stderr, "%s: %s\n", prog, lib_err);
	else
		fail(code, addr, "%s: %s", what, strerror(-rc));
	return code;
}

static int open_device(const char *cmd, const char *arg, struct vfio_cxl_ctx **ctx,
		       struct vfio_cxl_dev **dev)
{
	struct pci_cxl p;
	char addr[16];
	int rc;

	if (pci_addr_parse(arg, addr, sizeof(addr)))
		return fail(EXIT_USAGE, arg, "not a PCI address (expected DDDD:BB:DD.F)");
	rc = check_vfio_device(cmd, addr, &p);
	if (rc)
		return rc;
	rc = vfio_cxl_new(ctx);
	if (rc)
		return fail(EXIT_FAIL, addr, "%s", strerror(-rc));
	vfio_cxl_set_log_fn(*ctx, tool_log);
	if (opts.verbose)
		vfio_cxl_set_log_priority(*ctx, LOG_DEBUG);
	rc = vfio_cxl_dev_open(*ctx, addr, 0, dev);
	if (rc) {
		vfio_cxl_unref(*ctx);
		return lib_fail(addr, rc, "open");
	}
	return 0;
}

static void flags_json(struct jnode *o, uint32_t f)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ VFIO_DEVICE_FLAGS_RESET, "reset" }, { VFIO_DEVICE_FLAGS_PCI, "pci" },
		{ VFIO_DEVICE_FLAGS_CAPS, "caps" }, { VFIO_DEVICE_FLAGS_CXL, "cxl" },
	};
	char buf[64] = "";
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (f & names[i].bit)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
				 buf[0] ? "," : "", names[i].name);
	j_reg(o, "flags", f);
	j_str(o, "flags_decoded", buf);
}

static void region_json(struct jnode *arr, struct vfio_cxl_region *r)
{
	struct jnode *o = j_add(arr, NULL, j_obj());
	uint32_t f = vfio_cxl_region_get_flags(r), type, subtype;
	const char *name = vfio_cxl_region_get_name(r);
	char acc[32];
	int n, i;

	j_u64(o, "region", vfio_cxl_region_get_index(r));
	if (name)
		j_str(o, "name", name);
	j_size(o, "size", vfio_cxl_region_get_size(r));
	j_hex(o, "offset", vfio_cxl_region_get_offset(r));
	snprintf(acc, sizeof(acc), "%s%s%s", f & VFIO_REGION_INFO_FLAG_READ ? "r" : "-",
		 f & VFIO_REGION_INFO_FLAG_WRITE ? "w" : "-", f & VFIO_REGION_INFO_FLAG_MMAP ? "m" : "-");
	j_str(o, "access", acc);
	if (vfio_cxl_region_get_type(r, &type, &subtype)) {
		j_reg(o, "region_type", type);
		j_u64(o, "region_subtype", subtype);
	}
	n = vfio_cxl_region_get_nr_areas(r);
	if (n >= 0) {
		struct jnode *a;

		j_u64(o, "nr_mmap_areas", n);
		a = j_add(o, "mmap_areas", j_arr());
		for (i = 0; i < n; i++) {
			struct jnode *e = j_add(a, NULL, j_obj());
			uint64_t off, size;

			vfio_cxl_region_get_area(r, i, &off, &size);
			j_hex(e, "offset", off);
			j_size(e, "size", size);
		}
	}
}

static int decoder_json(struct jnode *arr, struct vfio_cxl_decoder *d)
{
	struct vfio_cxl_decoder_state st;
	struct jnode *o;
	int rc;

	rc = vfio_cxl_decoder_read(d, &st);
	if (rc)
		return rc;
	o = j_add(arr, NULL, j_obj());
	j_u64(o, "decoder", vfio_cxl_decoder_get_id(d));
	j_hex(o, "base", st.base);
	j_size(o, "size", st.size);
	j_hex(o, "dpa_skip", st.dpa_skip);
	j_bool(o, "committed", st.committed);
	j_bool(o, "locked", st.locked);
	j_bool(o, "error", st.error);
	j_str(o, "target_type", st.host_only ? "host-only" : "device-coherent");
	j_reg(o, "ctrl", st.ctrl);
	return 0;
}

/* Every decoder of @dev into @arr; the first error, or 0. */
static int decoders_json(struct jnode *arr, struct vfio_cxl_dev *dev)
{
	struct vfio_cxl_decoder *d;
	int rc = 0;

	vfio_cxl_decoder_foreach(dev, d)
		if (!rc)
			rc = decoder_json(arr, d);
	return rc;
}

static int common_opt(int c, const char *usage_line)
{
	switch (c) {
	case 'u': opts.human = true; return 0;
	case 't': opts.table = true; return 0;
	case 'v': opts.verbose = true; return 0;
	case 'q': opts.quiet = true; return 0;
	case 'h': printf("usage: %s\n", usage_line); return -1;
	default: return EXIT_USAGE;
	}
}

int cmd_info(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "human", no_argument, NULL, 'u' }, { "table", no_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vfio_cxl_region *r;
	struct vfio_cxl_ctx *ctx;
	struct vfio_cxl_dev *dev;
	struct jnode *o, *cap, *arr;
	uint32_t gctrl = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "utvqh", lo, NULL)) != -1) {
		rc = common_opt(c, "vfio-cxl info DEV [-u] [--table] [-v]");
		if (rc)
			return rc < 0 ? EXIT_OK : rc;
	}
	if (optind + 1 != argc)
		return fail(EXIT_USAGE, NULL, "expected one device (vfio-cxl info DEV)");
	rc = open_device("info", argv[optind], &ctx, &dev);
	if (rc)
		return rc;
	o = j_obj();
	j_str(o, "dev", vfio_cxl_dev_get_devname(dev));
	if (vfio_cxl_dev_get_iommu_group(dev) >= 0)
		j_u64(o, "iommu_group", vfio_cxl_dev_get_iommu_group(dev));
	j_str(o, "interface", vfio_cxl_dev_is_iommufd(dev) ? "iommufd" : "group");
	flags_json(o, vfio_cxl_dev_get_flags(dev));
	j_u64(o, "num_regions", vfio_cxl_dev_get_num_regions(dev));
	j_u64(o, "num_irqs", vfio_cxl_dev_get_num_irqs(dev));
	cap = j_add(o, "cxl", j_obj());
	j_u64(cap, "hdm_regs_bar_index", vfio_cxl_dev_get_comp_bar(dev));
	j_hex(cap, "hdm_regs_offset", vfio_cxl_dev_get_hdm_regs_offset(dev));
	j_reg(cap, "flags", vfio_cxl_dev_get_cap_flags(dev));
	j_bool(cap, "firmware_committed", vfio_cxl_dev_is_firmware_committed(dev));
	j_bool(cap, "cache_capable", vfio_cxl_dev_is_cache_capable(dev));
	j_u64(cap, "dpa_region_index", vfio_cxl_region_get_index(vfio_cxl_dev_get_dpa_region(dev)));
	j_u64(cap, "comp_regs_region_index",
	      vfio_cxl_region_get_index(vfio_cxl_dev_get_comp_regs_region(dev)));
	j_size(o, "dpa_size", vfio_cxl_dev_get_dpa_size(dev));
	j_size(o, "comp_regs_size", vfio_cxl_region_get_size(vfio_cxl_dev_get_comp_regs_region(dev)));
	j_reg(o, "hdm_offset", vfio_cxl_dev_get_hdm_offset(dev));
	j_reg(o, "hdm_cap", vfio_cxl_dev_get_hdm_cap(dev));
	if (!vfio_cxl_dev_get_hdm_global_ctrl(dev, &gctrl))
		j_bool(o, "hdm_enabled", gctrl & CXL_HDM_GCTRL_ENABLE);
	j_u64(o, "num_decoders", vfio_cxl_dev_get_num_decoders(dev));
	arr = j_add(o, "regions", j_arr());
	vfio_cxl_region_foreach(dev, r)
		region_json(arr, r);
	arr = j_add(o, "decoders", j_arr());
	rc = decoders_json(arr, dev);
	if (rc)
		rc = lib_fail(vfio_cxl_dev_get_devname(dev), rc, "read decoders");
	else
		j_output(o);
	j_free(o);
	vfio_cxl_dev_close(dev);
	vfio_cxl_unref(ctx);
	return rc;
}

int cmd_hdm(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "human", no_argument, NULL, 'u' }, { "table", no_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' },
		{ "decoder", required_argument, NULL, 'd' }, { "base", required_argument, NULL, 'b' },
		{ "size", required_argument, NULL, 's' }, { "lock", no_argument, NULL, 'l' },
		{ "uncommit", no_argument, NULL, 'U' }, { "host-only", no_argument, NULL, 'H' },
		{ "device-coherent", no_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage_line =
		"vfio-cxl hdm DEV [-d N] [--base ADDR [--size SIZE] [--lock] "
		"[--host-only|--device-coherent] | --uncommit] [-u] [--table]";
	bool have_base = false, have_size = false, lock = false, uncommit = false;
	int target = -1, c, rc;
	uint64_t base = 0, size = 0, id = 0;
	bool have_id = false;
	struct vfio_cxl_decoder *d;
	struct vfio_cxl_ctx *ctx;
	struct vfio_cxl_dev *dev;
	struct jnode *arr;

	while ((c = getopt_long(argc, argv, "utvqhd:b:s:l", lo, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (parse_u64(optarg, &id) || id >= 32)
				return fail(EXIT_USAGE, NULL, "bad decoder number '%s'", optarg);
			have_id = true;
			break;
		case 'b':
			if (parse_u64(optarg, &base))
				return fail(EXIT_USAGE, NULL, "bad base address '%s'", optarg);
			have_base = true;
			break;
		case 's':
			if (parse_u64(optarg, &size) || !size)
				return fail(EXIT_USAGE, NULL, "bad size '%s'", optarg);
			have_size = true;
			break;
		case 'l': lock = true; break;
		case 'U': uncommit = true; break;
		case 'H': target = 1; break;
		case 'D': target = 0; break;
		default:
			rc = common_opt(c, usage_line);
			if (rc)
				return rc < 0 ? EXIT_OK : rc;
		}
	}
	if (optind + 1 != argc)
		return fail(EXIT_USAGE, NULL, "expected one device (%s)", usage_line);
	if (uncommit && (have_base || have_size || lock))
		return fail(EXIT_USAGE, NULL, "--uncommit takes no --base, --size or --lock");
	if ((have_size || lock || target >= 0) && !have_base)
		return fail(EXIT_USAGE, NULL, "programming a decoder needs --base");
	if ((have_base || uncommit) && !have_id)
		return fail(EXIT_USAGE, NULL, "name the decoder with -d N");
	if (have_base && (base % CXL_HDM_DEC_ALIGN || size % CXL_HDM_DEC_ALIGN))
		return fail(EXIT_USAGE, NULL, "--base and --size must be multiples of 256 MiB");
	rc = open_device("hdm", argv[optind], &ctx, &dev);
	if (rc)
		return rc;
	d = have_id ? vfio_cxl_decoder_get_by_id(dev, id) : NULL;
	if (have_id && !d) {
		rc = fail(EXIT_USAGE, vfio_cxl_dev_get_devname(dev), "no decoder %llu (the device has %u)",
			  (unsigned long long)id, vfio_cxl_dev_get_num_decoders(dev));
		goto out;
	}
	if (have_base) {
		unsigned int flags = lock ? VFIO_CXL_DECODER_LOCK : 0;

		if (!have_size)
			size = vfio_cxl_dev_get_dpa_size(dev);
		/* A device that cannot cache is a type-3 style device: host-only coherent. */
		if (target == 1 || (target < 0 && !vfio_cxl_dev_is_cache_capable(dev)))
			flags |= VFIO_CXL_DECODER_HOST_ONLY;
		rc = vfio_cxl_decoder_program(d, base, size, flags);
	} else if (uncommit) {
		rc = vfio_cxl_decoder_uncommit(d);
	}
	if (rc) {
		rc = lib_fail(vfio_cxl_dev_get_devname(dev), rc, "decoder");
		goto out;
	}
	arr = j_arr();
	rc = d ? decoder_json(arr, d) : decoders_json(arr, dev);
	if (rc)
		rc = lib_fail(vfio_cxl_dev_get_devname(dev), rc, "read decoders");
	else
		j_output(arr);
	j_free(arr);
out:
	vfio_cxl_dev_close(dev);
	vfio_cxl_unref(ctx);
	return rc;
}
