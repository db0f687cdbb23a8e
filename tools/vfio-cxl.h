/* SPDX-License-Identifier: MIT */
/* vfio-cxl command: shared declarations. */
#ifndef _VFIO_CXL_TOOL_H
#define _VFIO_CXL_TOOL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes a script can rely on (also in vfio-cxl.1). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,		/* the operation failed */
	EXIT_USAGE = 2,		/* bad command line or argument value */
	EXIT_NODEV = 3,		/* no such PCI device */
	EXIT_NOTCXL = 4,	/* not a CXL device / CXL layer not present */
	EXIT_BUSY = 5,		/* in use, bound elsewhere, or locked */
};

#define VFIO_CXL_DRIVER	"vfio-pci-cxl"

/* ---- output: a small JSON tree printed as `cxl list` does, or as a table */
enum jtype { J_OBJ, J_ARR, J_STR, J_U64, J_I64, J_BOOL, J_HEX, J_SIZE };
struct jnode {
	enum jtype type;
	char *key;
	char *str;
	uint64_t u;
	int64_t i;
	struct jnode *child, *last, *next;
};
struct jnode *j_obj(void);
struct jnode *j_arr(void);
struct jnode *j_add(struct jnode *parent, const char *key, struct jnode *child);
void j_str(struct jnode *o, const char *key, const char *v);
void j_u64(struct jnode *o, const char *key, uint64_t v);
void j_i64(struct jnode *o, const char *key, int64_t v);
void j_bool(struct jnode *o, const char *key, bool v);
void j_hex(struct jnode *o, const char *key, uint64_t v);	/* address: raw, or 0x.. with -u */
void j_reg(struct jnode *o, const char *key, uint64_t v);	/* register: always "0x.." */
void j_size(struct jnode *o, const char *key, uint64_t v);	/* size: raw, or human with -u */
void j_free(struct jnode *n);
/* JSON; a one-element array prints as its element, as `cxl list` does. */
void j_print(FILE *f, struct jnode *n, bool human);
void j_print_table(FILE *f, struct jnode *n);
void j_output(struct jnode *n);		/* per the global options */

struct opts {
	bool human;		/* -u */
	bool table;		/* --table */
	bool verbose;		/* -v */
	bool quiet;		/* -q */
};
extern struct opts opts;
extern const char *prog;

/* One error line, "vfio-cxl: <cmd>: <dev>: message", and an exit code. */
int fail(int code, const char *dev, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int errno_exit(int err);
const char *sysfs_root(void);
const char *proc_root(void);

/* ---- sysfs view of a PCI function ---------------------------------------- */
struct pci_cxl {
	char addr[16];
	uint16_t vendor, device;
	uint32_t class_code;
	bool ext_cfg;		/* extended config space readable (root) */
	bool cxl;		/* CXL Device DVSEC present */
	uint16_t dvsec_off, dvsec_cap, dvsec_ctrl;
	unsigned int dvsec_rev;
	int type;		/* 1, 2, 3, or 0 unknown */
	unsigned int hdm_count;	/* DVSEC HDM_Count: ranges */
	uint64_t dpa_size;
	bool mem_active, mem_valid;
	bool has_comp;		/* Register Locator names a component block */
	unsigned int comp_bar;
	uint64_t comp_off;
	int decoder0_committed;	/* -1: unknown (component BAR not readable) */
	uint32_t decoder0_ctrl;
	char driver[64];	/* "" when unbound */
	char override[64];
	int group;		/* -1 when none */
	int group_viable;	/* every other member unbound or DMA-safe; -1 unknown */
	char group_blocker[96];	/* "DEV (driver)" making the group not viable */
};

/* Canonical "dddd:bb:dd.f" from a user's address; -EINVAL when malformed. */
int pci_addr_parse(const char *in, char *out, size_t len);
/* -ENODEV when absent; otherwise fills @p (cxl false when no DVSEC). */
int pci_cxl_read(const char *addr, struct pci_cxl *p);
/* Every PCI function; calls @fn for each; count of unreadable configs. */
int pci_foreach(int (*fn)(const char *addr, void *arg), void *arg, unsigned int *unreadable);
/* Processes holding the device's VFIO group/cdev or CXL memdev open: count, first pid. */
int pci_users(const struct pci_cxl *p, int *first_pid);
int sysfs_write(const char *path, const char *val);
/* Common checks before opening through VFIO: exists, is CXL, bound to VFIO. */
int check_vfio_device(const char *cmd, const char *addr, struct pci_cxl *p);
/* Ready for a VM: bound to VFIO, decoder 0 committed, IOMMU group viable.
 * 1 when ready; else 0 and the reasons in @why. */
int pci_cxl_ready(const struct pci_cxl *p, char *why, size_t len);

void pci_cxl_json(struct jnode *o, const struct pci_cxl *p);
int cmd_list(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_hdm(int argc, char **argv);
int cmd_bind(int argc, char **argv);
int cmd_unbind(int argc, char **argv);
int cmd_vm_config(int argc, char **argv);

/* parse a number with an optional K/M/G/T suffix (binary) */
int parse_u64(const char *s, uint64_t *v);

#endif
