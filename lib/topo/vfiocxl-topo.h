/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * vfiocxl-topo: the guest CXL platform as QEMU builds it.
 *
 * Parses QEMU's own command-line syntax for everything CXL into a model
 * (machine memory, fixed memory windows, host bridges, root ports, switches,
 * devices, memory backends), places every passed-through CXL device in the
 * window that targets its host bridge (fail closed, with a reason naming the
 * device), computes the guest addresses QEMU 10.0 gives the windows and host
 * bridge registers on q35, plans the host-bridge and endpoint HDM decoders,
 * and builds/reads the ACPI CEDT.
 *
 * Life cycle (the machine-ready contract of seed 004's review):
 *   t = vfiocxl_topo_new();
 *   vfiocxl_topo_parse_args(t, argc, argv);   and/or vfiocxl_topo_add_device()
 *   vfiocxl_topo_set_dpa_size(t, "dev0", 1 << 30);
 *   vfiocxl_topo_machine_ready(t, &ops, priv);  places and programs decoders
 *   vfiocxl_topo_add_device(t, ...)           now -EBUSY; model untouched
 *
 * All functions returning int return 0 or a negative errno; the last error
 * message (starting with the device's id where there is one) is kept in the
 * object and read with vfiocxl_topo_strerror().
 */
#ifndef VFIOCXL_TOPO_H
#define VFIOCXL_TOPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VFIOCXL_TOPO_MAX_TARGETS	16	/* CXL r3.1 9.18.1.3: up to 16 ways */
#define VFIOCXL_TOPO_HB_DECODERS	4	/* QEMU pxb-cxl: CXL_HDM_DECODER_COUNT */
#define VFIOCXL_TOPO_ALIGN		(256ULL << 20)	/* HDM decoder granule */

struct vfiocxl_topo;

/* ---- building the model ------------------------------------------------ */

struct vfiocxl_topo *vfiocxl_topo_new(void);
void vfiocxl_topo_free(struct vfiocxl_topo *t);
/* Message for the last failing call (never NULL; "" if none). */
const char *vfiocxl_topo_strerror(const struct vfiocxl_topo *t);
/*
 * Pluggable logging: @fn gets every error and every refusal as it happens,
 * the message beginning with the device's id where there is one.
 */
typedef void (*vfiocxl_topo_log_fn)(void *priv, int err, const char *msg);
void vfiocxl_topo_set_log(struct vfiocxl_topo *t, vfiocxl_topo_log_fn fn, void *priv);

/*
 * Parse QEMU arguments (argv[0] is an option, not a program name). Options
 * that are not about CXL are kept, untouched, in the carried-through list.
 * On error nothing of this call is kept.
 */
int vfiocxl_topo_parse_args(struct vfiocxl_topo *t, int argc, char *const *argv);
/* One option and its value, e.g. ("-device", "cxl-rp,port=0,bus=cxl.1,id=rp0"). */
int vfiocxl_topo_add_option(struct vfiocxl_topo *t, const char *opt, const char *val);
/* A -device value (key=value or JSON); after machine-ready this is hotplug: -EBUSY. */
int vfiocxl_topo_add_device(struct vfiocxl_topo *t, const char *spec);
/* The memory a device decodes (its DPA size); overrides what the model knows. */
int vfiocxl_topo_set_dpa_size(struct vfiocxl_topo *t, const char *id, uint64_t size);
/* "ID=SIZE" as the commands' --dpa-size takes it (QEMU sizes: 1G, 256M). */
int vfiocxl_topo_set_dpa_arg(struct vfiocxl_topo *t, const char *arg);
/* Ask sysfs for the DPA size of vfio-pci devices whose host= is present. */
void vfiocxl_topo_set_sysfs_root(struct vfiocxl_topo *t, const char *root);

/* QEMU size syntax (qemu_strtosz): 1G, 256M, 0x10000000, 1.5G; default unit in bytes. */
int vfiocxl_topo_parse_size(const char *s, uint64_t default_unit, uint64_t *out);

/* The options carried through untouched, in order (argv-style). */
unsigned int vfiocxl_topo_num_carried(const struct vfiocxl_topo *t);
const char *vfiocxl_topo_carried(const struct vfiocxl_topo *t, unsigned int i);

/* ---- machine-ready: placement and decoder programming ------------------- */

/* Called at machine-ready, host-bridge decoders first (PLATFORM-NOTES: a HB
 * decoder must be committed before accesses reach the endpoint). */
struct vfiocxl_topo_ops {
	int (*program_hb)(void *priv, const char *host_bridge, unsigned int idx,
			  uint64_t base, uint64_t size, unsigned int target_port,
			  bool lock);
	int (*program_ep)(void *priv, const char *device, uint64_t base,
			  uint64_t size, bool lock);
};

/*
 * Declare the machine ready: compute the window and CHBS bases, place every
 * CXL device, and (when @ops is given and every device was placed) program
 * the decoders. Returns -ENXIO when any device was refused (each placement
 * carries its reason), or the first callback error. Either way the machine
 * is ready afterwards: later vfiocxl_topo_add_device() calls get -EBUSY.
 */
int vfiocxl_topo_machine_ready(struct vfiocxl_topo *t,
			       const struct vfiocxl_topo_ops *ops, void *priv);
bool vfiocxl_topo_is_ready(const struct vfiocxl_topo *t);

enum vfiocxl_topo_mem {
	VFIOCXL_TOPO_TYPE2 = 2,		/* vfio-pci: accelerator HDM, device-coherent */
	VFIOCXL_TOPO_TYPE3 = 3,		/* cxl-type3: host-only coherent memory */
};

struct vfiocxl_topo_hb_decoder {
	bool used;		/* false: passthrough host bridge, nothing to program */
	unsigned int index;	/* HB decoder number (0..3) */
	uint64_t base, size;
	unsigned int target;	/* root port number (Link Cap port number) */
	bool lock;
};

/* One CXL device's placement (a read-only view owned by the topo object). */
struct vfiocxl_topo_placement {
	const char *device;	/* id= */
	const char *driver;	/* vfio-pci, vfio-pci-nohotplug, cxl-type3 */
	enum vfiocxl_topo_mem mem;
	const char *host_bridge;	/* pxb-cxl id, NULL if unresolved */
	unsigned int uid;	/* ACPI _UID = bus_nr */
	const char *root_port;	/* cxl-rp id */
	unsigned int port;	/* cxl-rp port= */
	int window;		/* cxl-fmw index, -1 if none */
	uint64_t dpa_size;	/* device memory, 0 if unknown */
	uint64_t base, size;	/* guest HPA range the endpoint decodes */
	struct vfiocxl_topo_hb_decoder hb;
	int error;		/* 0 placed, else negative errno */
	const char *reason;	/* refusal, naming the device; NULL when placed */
};

unsigned int vfiocxl_topo_num_placements(const struct vfiocxl_topo *t);
const struct vfiocxl_topo_placement *
vfiocxl_topo_placement(const struct vfiocxl_topo *t, unsigned int i);
#define vfiocxl_topo_placement_foreach(t, i, p)					\
	for ((i) = 0; ((p) = vfiocxl_topo_placement((t), (i))) != NULL; (i)++)

struct vfiocxl_topo_window {
	unsigned int index;	/* N of cxl-fmw.N */
	uint64_t base, size;
	bool has_base;
	unsigned int ways;	/* number of targets */
	unsigned int granularity;	/* bytes, 256 .. 16384 */
	const char *targets[VFIOCXL_TOPO_MAX_TARGETS];	/* pxb-cxl ids */
	uint16_t restrictions;	/* CFMWS Window Restrictions we would write */
};
unsigned int vfiocxl_topo_num_windows(const struct vfiocxl_topo *t);
const struct vfiocxl_topo_window *vfiocxl_topo_window(const struct vfiocxl_topo *t,
						      unsigned int i);
#define vfiocxl_topo_window_foreach(t, i, w)					\
	for ((i) = 0; ((w) = vfiocxl_topo_window((t), (i))) != NULL; (i)++)

struct vfiocxl_topo_host_bridge {
	const char *id;
	unsigned int uid;	/* bus_nr */
	uint64_t chbs_base;	/* component registers (CHBS Base) */
	unsigned int root_ports;
	bool hdm_for_passthrough;
};
unsigned int vfiocxl_topo_num_host_bridges(const struct vfiocxl_topo *t);
const struct vfiocxl_topo_host_bridge *
vfiocxl_topo_host_bridge(const struct vfiocxl_topo *t, unsigned int i);
#define vfiocxl_topo_host_bridge_foreach(t, i, h)				\
	for ((i) = 0; ((h) = vfiocxl_topo_host_bridge((t), (i))) != NULL; (i)++)

/* ---- CEDT -------------------------------------------------------------- */

/* CEDT Window Restrictions (CXL r3.1 Table 9-22; ACPI actbl1.h names). */
#define VFIOCXL_CFMWS_RESTRICT_DEVMEM		(1u << 0)	/* device coherent (Type 2) */
#define VFIOCXL_CFMWS_RESTRICT_HOSTONLY		(1u << 1)	/* host-only coherent (Type 3) */
#define VFIOCXL_CFMWS_RESTRICT_VOLATILE		(1u << 2)
#define VFIOCXL_CFMWS_RESTRICT_PMEM		(1u << 3)
#define VFIOCXL_CFMWS_RESTRICT_FIXED		(1u << 4)	/* fixed device configuration */
#define VFIOCXL_CFMWS_RESTRICT_BI		(1u << 5)

/*
 * Write the CEDT (ACPI header, CHBS per host bridge in creation order, CFMWS
 * per window) into @buf. Needs machine-ready. *@len gets the table length;
 * -ENOSPC (and the needed length in *@len) when @cap is too small.
 */
int vfiocxl_topo_build_cedt(struct vfiocxl_topo *t, uint8_t *buf, size_t cap,
			    size_t *len);

#define VFIOCXL_CEDT_MAX	64

struct vfiocxl_cedt_chbs {
	uint32_t uid, version;
	uint64_t base, length;
};

struct vfiocxl_cedt_cfmws {
	uint64_t base, size;
	uint8_t eniw;		/* encoded interleave ways */
	unsigned int ways;
	uint8_t arithmetic;
	uint32_t hbig;		/* encoded granularity */
	unsigned int granularity;
	uint16_t restrictions, qtg_id;
	uint32_t targets[VFIOCXL_TOPO_MAX_TARGETS];
};

struct vfiocxl_cedt {
	uint8_t revision;
	unsigned int nchbs, ncfmws, nother;
	struct vfiocxl_cedt_chbs chbs[VFIOCXL_CEDT_MAX];
	struct vfiocxl_cedt_cfmws cfmws[VFIOCXL_CEDT_MAX];
};

/*
 * Read a CEDT applying the checks Linux applies (ACPI header and checksum,
 * subtable lengths, cxl_acpi_cfmws_verify(), granularity, CHBS length per
 * version). -EINVAL with a message in @err on the first violation.
 */
int vfiocxl_topo_cedt_read(const uint8_t *buf, size_t len, struct vfiocxl_cedt *out,
			   char *err, size_t errlen);

/* Spec encodings (CXL r3.1 8.2.4.20.7 / 9.18.1.3); -EINVAL on values the spec forbids. */
int vfiocxl_topo_ways_to_eniw(unsigned int ways, uint8_t *eniw);
int vfiocxl_topo_eniw_to_ways(uint8_t eniw, unsigned int *ways);
int vfiocxl_topo_gran_to_hbig(unsigned int gran, uint32_t *hbig);
int vfiocxl_topo_hbig_to_gran(uint32_t hbig, unsigned int *gran);

/* ---- the VFIO CXL capability, for a VMM that holds the device fd -------- */

/*
 * VFIO_DEVICE_INFO_CAP_CXL as core/'s hostile-input decoder
 * (cxlemu_vfio_cap_decode()) gives it, in plain types, for VMMs that
 * cannot include core/'s headers (QEMU links this library; its own
 * vfio_get_device_info_cap() trusts the kernel's chain).
 */
struct vfiocxl_topo_vfio_cap {
	uint8_t hdm_regs_bar_index;
	uint32_t flags;
	uint64_t hdm_regs_offset;
	uint32_t dpa_region_index;
	uint32_t comp_regs_region_index;
};

/*
 * Find and decode it in a VFIO_DEVICE_GET_INFO reply with @len valid bytes
 * and the reply's @cap_offset: every chain header inside @len and past the
 * fixed fields, 4-byte aligned, strictly increasing, at most 64 entries,
 * one CXL capability (version 1, known flags, BAR <= 5, hdm_regs_offset 4
 * KiB aligned, distinct region indices). Returns 0, -ENOENT (none) or
 * -EPROTO (a malformed chain or capability); @out is written only on 0.
 */
int vfiocxl_topo_vfio_cap_parse(const void *info, uint32_t len, uint32_t cap_offset,
				struct vfiocxl_topo_vfio_cap *out);

#ifdef __cplusplus
}
#endif
#endif
