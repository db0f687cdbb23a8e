/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Internal model of lib/topo; not installed. */
#ifndef VFIOCXL_TOPO_INTERNAL_H
#define VFIOCXL_TOPO_INTERNAL_H

#include <errno.h>
#include <stdarg.h>
#include "vfiocxl-topo.h"

#define KiB	(1ULL << 10)
#define MiB	(1ULL << 20)
#define GiB	(1ULL << 30)
#define TiB	(1ULL << 40)

#define TOPO_MAX_WINDOWS	64	/* cap on cxl-fmw.N */
#define TOPO_MAX_DEVICES	4096
#define TOPO_MAX_HOST_BRIDGES	16	/* 1 MiB host register area / 64 KiB each */

enum topo_kind {
	TK_OTHER,
	TK_PXB,		/* pxb-cxl: a CXL host bridge */
	TK_RP,		/* cxl-rp */
	TK_USP,		/* cxl-upstream (switch) */
	TK_DSP,		/* cxl-downstream (switch) */
	TK_TYPE3,	/* cxl-type3 */
	TK_VFIO,	/* vfio-pci, vfio-pci-nohotplug */
};

struct topo_kv {
	char *key;
	char *val;
};

struct topo_kvlist {
	struct topo_kv *kv;
	unsigned int n, cap;
};

struct topo_dev {
	enum topo_kind kind;
	char *driver;
	char *id;		/* may be NULL for devices without id= */
	char *bus;		/* NULL: the root bus pcie.0 */
	char *host;		/* vfio-pci host= */
	char *memdev[3];	/* cxl-type3 memdev, volatile-memdev, persistent-memdev */
	unsigned int bus_nr;	/* pxb-cxl */
	unsigned int port;	/* cxl-rp, cxl-downstream */
	bool hdm_pt;		/* pxb-cxl hdm_for_passthrough */
};

struct topo_obj {
	char *type;
	char *id;
	uint64_t size;
	bool has_size;
};

struct topo_win {
	unsigned int ntargets;
	char *targets[VFIOCXL_TOPO_MAX_TARGETS];
	uint64_t size;
	unsigned int gran;
};

struct topo_dpa {
	char *id;
	uint64_t size;
};

struct vfiocxl_topo {
	char err[512];
	vfiocxl_topo_log_fn log;
	void *log_priv;

	/* -M */
	char *machine_type;
	bool cxl_on;
	bool machine_has_fmw;
	uint64_t max_ram_below_4g;	/* 0: not given */
	/* -m */
	uint64_t ram_size, maxmem;
	unsigned int slots;
	/* -cpu */
	unsigned int phys_bits;	/* 0: default */
	int amd;		/* 1 AMD vendor (1 TiB hole rule), 0 not, -1 unknown */

	struct topo_dev *devs;
	unsigned int ndevs, capdevs;
	struct topo_obj *objs;
	unsigned int nobjs, capobjs;
	struct topo_win *wins;
	unsigned int nwins;
	char **carried;
	unsigned int ncarried, capcarried;
	struct topo_dpa *dpas;
	unsigned int ndpas;
	char *sysfs_root;

	bool ready;

	/* results of machine-ready */
	struct vfiocxl_topo_placement *pl;
	char **reasons;
	unsigned int npl;
	struct vfiocxl_topo_window *rwins;
	struct vfiocxl_topo_host_bridge *hbs;
	unsigned int nhbs;
	uint64_t cxl_host_base;
	char machine_err[160];	/* QEMU would not start this machine */
	/* device ids hashed for the walks of machine-ready (open addressing) */
	int *idtab;
	unsigned int idmask;
};

int topo_err(struct vfiocxl_topo *t, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
char *topo_strdup(const char *s);
char *topo_strndup(const char *s, size_t n);

/* keyval / JSON into a flat list of dotted keys */
int topo_kv_parse(struct vfiocxl_topo *t, const char *opt, const char *text,
		  const char *implied_key, struct topo_kvlist *out);
void topo_kv_free(struct topo_kvlist *l);
const char *topo_kv_get(const struct topo_kvlist *l, const char *key);

void topo_results_free(struct vfiocxl_topo *t);
uint64_t topo_sysfs_dpa_size(const char *root, const char *host);
unsigned int topo_host_phys_bits(void);

#endif
