// SPDX-License-Identifier: MIT
/*
 * vfio_cxl_fuzz: a hostile VMM against the bound device, seeded and
 * reproducible (each thread draws its operations from its own generator,
 * seeded from $FUZZ_SEED and its number; the interleaving is the
 * scheduler's). $FUZZ_THREADS threads (4) for $FUZZ_SECONDS (60) do, at
 * random:
 *  - reads and writes of every region (config, BARs, DPA, COMP_REGS and
 *    indexes past the last) at 1/2/4/8 bytes and odd sizes, unaligned, at
 *    offsets near 0, near the region's end and near 2^63;
 *  - mmap, munmap, mremap of the DPA region and the BARs, touches through
 *    them (SIGBUS is an allowed answer), fork with the mappings inherited;
 *  - config writes anywhere (the CXL DVSECs and PM Control included);
 *  - VFIO_DEVICE_RESET, PCI hot reset, low-power entry and exit;
 *  - VFIO ioctls with random arguments;
 *  - close and reopen of the device.
 * DPA writes stay inside the first FUZZ_ZONE bytes; writes to BARs other
 * than the component BAR are not made (they reach the device's mailbox,
 * whose commands, Sanitize among them, may rewrite device memory as the
 * device is entitled to). Afterwards: the real decoder 0 and the real CXL
 * DVSECs and the rest of the CXL.cache/mem registers (RAS, Link, ...)
 * are as before the run, the kernel log holds no warning, the
 * module unloads. A signature at FUZZ_SIG_OFF lets the host check the
 * backing file (tests/selftests/check-fuzz): outside the zone, untouched.
 * Prints operations done and per second.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/wait.h>

#include "vfio_cxl_harness.h"

#define FUZZ_ZONE	(16ull << 20)
#define FUZZ_SIG_OFF	(FUZZ_ZONE - 0x1000)
#define FUZZ_SIG_TAG	40
#define MAX_THREADS	16
#define MAX_MAPS	8
#define SZ_2M		0x200000ull
#define PG		4096ull
/* vfio-pci's region offsets: index << 40 (drivers/vfio/pci/vfio_pci_priv.h) */
#define REGION_SHIFT	40
#define REGION_OFF(i)	((uint64_t)(i) << REGION_SHIFT)

enum op {
	OP_RW, OP_DPA_RW, OP_CFG_WRITE, OP_DVSEC_WRITE, OP_PM_WRITE, OP_MMAP,
	OP_MUNMAP, OP_MREMAP, OP_TOUCH, OP_FORK, OP_RESET, OP_HOT_RESET,
	OP_LOW_POWER, OP_IOCTL, OP_REOPEN, NOPS
};

static const char *const op_name[NOPS] = {
	"region_rw", "dpa_rw", "config_write", "dvsec_write", "pm_write", "mmap",
	"munmap", "mremap", "touch", "fork", "reset", "hot_reset", "low_power",
	"ioctl", "reopen",
};

/* Weights, per 1000. */
static const unsigned int op_weight[NOPS] = {
	[OP_RW] = 300, [OP_DPA_RW] = 150, [OP_CFG_WRITE] = 80, [OP_DVSEC_WRITE] = 60,
	[OP_PM_WRITE] = 10, [OP_MMAP] = 60, [OP_MUNMAP] = 40, [OP_MREMAP] = 20,
	[OP_TOUCH] = 150, [OP_FORK] = 5, [OP_RESET] = 8, [OP_HOT_RESET] = 4,
	[OP_LOW_POWER] = 15, [OP_IOCTL] = 95, [OP_REOPEN] = 3,
};

struct mapping {
	char *p;
	uint64_t len;
	uint64_t dpa;		/* DPA offset, or ~0 for a BAR */
};

struct thread {
	int id;
	uint64_t rng;
	struct mapping maps[MAX_MAPS];
	unsigned long long ops[NOPS], sigbus;
	sigjmp_buf jb;
	volatile int in_touch;
	pthread_t th;
};

static struct cxl_dev dev;
static pthread_rwlock_t devlock = PTHREAD_RWLOCK_INITIALIZER;
static struct thread threads[MAX_THREADS];
static int nthreads;
static volatile int stop;
static uint16_t pm_cap;
static uint64_t region_size[32];
static uint32_t nregions;
static __thread struct thread *self;

static uint64_t rnd(struct thread *t)
{
	/* xorshift64* */
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545f4914f6cdd1dull;
}

static uint64_t rnd_below(struct thread *t, uint64_t n)
{
	return n ? rnd(t) % n : 0;
}

static unsigned int rnd_width(struct thread *t)
{
	static const unsigned int w[] = { 1, 2, 4, 8, 1, 2, 4, 8, 3, 16, 64, 4096 };

	return w[rnd_below(t, sizeof(w) / sizeof(w[0]))];
}

/* An offset in a region of @size: near 0, near the end, anywhere, or past it. */
static uint64_t rnd_offset(struct thread *t, uint64_t size)
{
	switch (rnd_below(t, 6)) {
	case 0:
		return rnd_below(t, 64);
	case 1:
		return size - rnd_below(t, 16);
	case 2:
		return size + rnd_below(t, 16);
	case 3:
		return (1ull << REGION_SHIFT) - 1 - rnd_below(t, 16);
	default:
		return rnd_below(t, size ? size : 4096);
	}
}

static void on_bus(int sig)
{
	if (self && self->in_touch) {
		self->in_touch = 0;
		siglongjmp(self->jb, 1);
	}
	_exit(99);
}

/* ---- operations (called with devlock held for read) ---------------------- */

static void op_rw(struct thread *t)
{
	uint8_t buf[4096];
	uint32_t idx = rnd_below(t, nregions + 3);
	uint64_t size = idx < nregions ? region_size[idx] : 4096, off, pos;
	unsigned int w = rnd_width(t);
	int write = rnd_below(t, 2);

	off = rnd_offset(t, size);
	/* A third of the time the component block's CXL.cache/mem area. */
	if (!rnd_below(t, 3)) {
		idx = dev.cap.hdm_regs_bar_index;
		/* Where the capabilities are, mostly: RAS, Link, HDM, ... */
		off = dev.cap.hdm_regs_offset +
		      rnd_below(t, rnd_below(t, 4) ? 0x200 : 0x1000);
		if (rnd_below(t, 2)) {
			off &= ~3ull;
			w = 4 << rnd_below(t, 2);
		}
	}
	pos = REGION_OFF(idx) + off;
	if (!rnd_below(t, 50))
		pos = (1ull << 63) - 1 - rnd_below(t, 64);	/* near 2^63 */
	if (w > sizeof(buf))
		w = sizeof(buf);
	/* Writes: the component BAR, config, COMP_REGS, and past the regions. */
	if (write && (idx == dev.cap.dpa_region_index ||
		      (idx <= VFIO_PCI_BAR5_REGION_INDEX && idx != dev.cap.hdm_regs_bar_index) ||
		      idx == VFIO_PCI_ROM_REGION_INDEX))
		write = 0;
	if (write) {
		uint64_t i;

		for (i = 0; i < w; i++)
			buf[i] = rnd(t);
		(void)!pwrite(dev.fd, buf, w, pos);
	} else {
		(void)!pread(dev.fd, buf, w, pos);
	}
}

static void op_dpa_rw(struct thread *t)
{
	static __thread uint8_t buf[65536];
	unsigned int w = rnd_below(t, 4) ? rnd_width(t) : rnd_below(t, sizeof(buf)) + 1;
	uint64_t off;

	if (w > sizeof(buf))
		w = sizeof(buf);
	if (rnd_below(t, 2)) {
		uint64_t i;

		off = rnd_below(t, FUZZ_ZONE - w + 1);
		for (i = 0; i < w; i += 8)
			buf[i] = rnd(t);
		(void)!pwrite(dev.fd, buf, w, dev.dpa_off + off);
	} else {
		off = rnd_offset(t, dev.dpa_size);
		(void)!pread(dev.fd, buf, w, dev.dpa_off + off);
	}
}

static void cfg_write_at(struct thread *t, uint32_t off)
{
	unsigned int w = 1u << rnd_below(t, 3);
	uint32_t v = rnd(t);

	/* Now and then all ones or zeros, which flip every bit. */
	if (!rnd_below(t, 4))
		v = rnd_below(t, 2) ? ~0u : 0;
	(void)!pwrite(dev.fd, &v, w, dev.cfg_off + off);
}

static void op_cfg_write(struct thread *t)
{
	uint32_t off = rnd_below(t, 4096);

	/* Not Command's Memory and Bus Master bits half the time: ops go on. */
	if (off < 8 && rnd_below(t, 2))
		return;
	cfg_write_at(t, off);
}

static void op_dvsec_write(struct thread *t)
{
	uint32_t off = dev.dvsec + rnd_below(t, 0x3c);

	cfg_write_at(t, off & ~(uint32_t)rnd_below(t, 4));
}

static void op_pm_write(struct thread *t)
{
	uint16_t v = rnd_below(t, 4);

	if (pm_cap)
		(void)!pwrite(dev.fd, &v, 2, dev.cfg_off + pm_cap + 4);
	else
		cfg_write_at(t, rnd_below(t, 256));
}

static int free_slot(struct thread *t)
{
	int i;

	for (i = 0; i < MAX_MAPS; i++)
		if (!t->maps[i].p)
			return i;
	return -1;
}

static int used_slot(struct thread *t)
{
	int i, n = rnd_below(t, MAX_MAPS);

	for (i = 0; i < MAX_MAPS; i++)
		if (t->maps[(n + i) % MAX_MAPS].p)
			return (n + i) % MAX_MAPS;
	return -1;
}

static void op_mmap(struct thread *t)
{
	int s = free_slot(t), bar = rnd_below(t, 5) == 0;
	uint64_t off, len, base;
	void *p;

	if (s < 0)
		return;
	if (bar) {
		uint32_t idx = rnd_below(t, VFIO_PCI_ROM_REGION_INDEX);

		base = REGION_OFF(idx);
		len = PG << rnd_below(t, 5);
		off = rnd_below(t, 2) ? 0 : rnd_below(t, region_size[idx] / PG + 2) * PG;
	} else {
		base = dev.dpa_off;
		len = rnd_below(t, 3) ? SZ_2M << rnd_below(t, 3) : PG * (1 + rnd_below(t, 64));
		off = rnd_below(t, 4) ? rnd_below(t, dev.dpa_size / SZ_2M) * SZ_2M :
					rnd_below(t, dev.dpa_size / PG + 8) * PG;
		if (!rnd_below(t, 20))
			len = dev.dpa_size;
	}
	p = mmap(NULL, len, PROT_READ | (bar ? 0 : PROT_WRITE),
		 rnd_below(t, 30) ? MAP_SHARED : MAP_PRIVATE, dev.fd, base + off);
	if (p == MAP_FAILED)
		return;
	t->maps[s] = (struct mapping){ p, len, bar ? ~0ull : off };
}

static void op_munmap(struct thread *t)
{
	int s = used_slot(t);

	if (s < 0)
		return;
	munmap(t->maps[s].p, t->maps[s].len);
	t->maps[s].p = NULL;
}

static void op_mremap(struct thread *t)
{
	int s = used_slot(t);
	uint64_t nlen;
	void *p;

	if (s < 0)
		return;
	nlen = rnd_below(t, 2) ? t->maps[s].len / 2 : t->maps[s].len * 2;
	nlen = (nlen + PG - 1) & ~(PG - 1);
	if (!nlen)
		nlen = PG;
	p = mremap(t->maps[s].p, t->maps[s].len, nlen, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		return;
	t->maps[s].p = p;
	t->maps[s].len = nlen;
}

/* Reads anywhere in the mapping; writes only where it covers the zone. */
static void touch(struct thread *t, struct mapping *m, int n)
{
	volatile uint64_t sink = 0;
	int i;

	for (i = 0; i < n; i++) {
		uint64_t o = rnd_below(t, m->len / 8) * 8;

		if (m->dpa != ~0ull && m->dpa + o + 8 <= FUZZ_ZONE && rnd_below(t, 2))
			*(volatile uint64_t *)(m->p + o) = rnd(t);
		else
			sink += *(volatile uint64_t *)(m->p + o);
	}
	(void)sink;
}

static void op_touch(struct thread *t)
{
	int s = used_slot(t);

	if (s < 0)
		return;
	if (sigsetjmp(t->jb, 1)) {
		t->sigbus++;
		return;
	}
	t->in_touch = 1;
	touch(t, &t->maps[s], 1 + rnd_below(t, 16));
	t->in_touch = 0;
}

static void op_fork(struct thread *t)
{
	volatile int s = used_slot(t);
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return;
	if (!pid) {
		/* Only this thread lives here; no locks, no stdio. */
		self = t;
		if (s >= 0) {
			if (sigsetjmp(t->jb, 1))
				_exit(0);
			t->in_touch = 1;
			touch(t, &t->maps[s], 8);
		}
		_exit(0);
	}
	waitpid(pid, &status, 0);
}

static void op_reset(struct thread *t)
{
	ioctl(dev.fd, VFIO_DEVICE_RESET);
}

static void op_hot_reset(struct thread *t)
{
	struct {
		struct vfio_pci_hot_reset hr;
		int32_t fd[2];
	} a = { .hr = { .argsz = sizeof(a), .count = 1 }, .fd = { dev.group, -1 } };

	if (!rnd_below(t, 4))
		a.hr.count = rnd_below(t, 3);
	ioctl(dev.fd, VFIO_DEVICE_PCI_HOT_RESET, &a);
}

static void op_low_power(struct thread *t)
{
	struct {
		struct vfio_device_feature f;
		struct vfio_device_low_power_entry_with_wakeup w;
	} a = { .f = { .argsz = sizeof(a) } };
	static const uint32_t feats[] = {
		VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY,
		VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP,
		VFIO_DEVICE_FEATURE_LOW_POWER_EXIT,
		VFIO_DEVICE_FEATURE_LOW_POWER_EXIT,
	};
	int efd = -1;

	a.f.flags = feats[rnd_below(t, 4)] | VFIO_DEVICE_FEATURE_SET;
	if (!rnd_below(t, 8))
		a.f.flags |= rnd_below(t, 2) ? VFIO_DEVICE_FEATURE_GET : VFIO_DEVICE_FEATURE_PROBE;
	if ((a.f.flags & VFIO_DEVICE_FEATURE_MASK) ==
	    VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY_WITH_WAKEUP) {
		efd = eventfd(0, EFD_CLOEXEC);
		a.w.wakeup_eventfd = rnd_below(t, 4) ? efd : (int32_t)rnd(t);
	}
	ioctl(dev.fd, VFIO_DEVICE_FEATURE, &a);
	if (efd >= 0)
		close(efd);
}

static void op_ioctl(struct thread *t)
{
	static const unsigned long cmds[] = {
		VFIO_DEVICE_GET_INFO, VFIO_DEVICE_GET_REGION_INFO,
		VFIO_DEVICE_GET_IRQ_INFO, VFIO_DEVICE_SET_IRQS,
		VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, VFIO_DEVICE_FEATURE,
		VFIO_DEVICE_IOEVENTFD, VFIO_DEVICE_QUERY_GFX_PLANE,
		VFIO_DEVICE_GET_GFX_DMABUF,
	};
	uint32_t buf[256];
	unsigned int i, n = rnd_below(t, 5);
	unsigned long cmd = cmds[rnd_below(t, sizeof(cmds) / sizeof(cmds[0]))];
	void *arg = buf;

	for (i = 0; i < 256; i++)
		buf[i] = rnd_below(t, 4) ? (uint32_t)rnd_below(t, 64) : (uint32_t)rnd(t);
	/* Plausible argsz and index most of the time. */
	if (n)
		buf[0] = 16u << rnd_below(t, 7);
	if (n > 1)
		buf[2] = rnd_below(t, nregions + 4);
	/* No eventfds our own fds could be taken for, mostly. */
	if (cmd == VFIO_DEVICE_SET_IRQS && rnd_below(t, 8))
		buf[1] = (buf[1] & ~VFIO_IRQ_SET_DATA_TYPE_MASK) |
			 (rnd_below(t, 2) ? VFIO_IRQ_SET_DATA_NONE : VFIO_IRQ_SET_DATA_BOOL);
	if (cmd == VFIO_DEVICE_FEATURE) {
		/* Not the low-power features: op_low_power has them. */
		if ((buf[1] & VFIO_DEVICE_FEATURE_MASK) >= VFIO_DEVICE_FEATURE_LOW_POWER_ENTRY &&
		    (buf[1] & VFIO_DEVICE_FEATURE_MASK) <= VFIO_DEVICE_FEATURE_LOW_POWER_EXIT)
			buf[1] &= ~VFIO_DEVICE_FEATURE_MASK;
	}
	if (!rnd_below(t, 20))
		arg = rnd_below(t, 2) ? NULL : (void *)0x1000;
	ioctl(dev.fd, cmd, arg);
	if (!rnd_below(t, 50))
		ioctl(dev.fd, rnd(t), arg);
}

/* With devlock held for write: every thread is between operations. */
static int op_reopen(struct thread *t)
{
	char bdf[32];
	int i, j;

	for (i = 0; i < nthreads; i++)
		for (j = 0; j < MAX_MAPS; j++)
			if (threads[i].maps[j].p) {
				munmap(threads[i].maps[j].p, threads[i].maps[j].len);
				threads[i].maps[j].p = NULL;
			}
	snprintf(bdf, sizeof(bdf), "%s", dev.bdf);
	dev_close(&dev);
	return dev_open(&dev, bdf);
}

static volatile int reopen_failed;

static void *fuzz_thread(void *arg)
{
	struct thread *t = arg;
	unsigned int total = 0, i;

	self = t;
	for (i = 0; i < NOPS; i++)
		total += op_weight[i];
	while (!stop && !reopen_failed) {
		unsigned int r = rnd_below(t, total);
		enum op op;

		for (op = 0; op < NOPS - 1 && r >= op_weight[op]; op++)
			r -= op_weight[op];
		if (op == OP_REOPEN) {
			pthread_rwlock_wrlock(&devlock);
			if (op_reopen(t))
				reopen_failed = 1;
			pthread_rwlock_unlock(&devlock);
			t->ops[op]++;
			continue;
		}
		pthread_rwlock_rdlock(&devlock);
		switch (op) {
		case OP_RW: op_rw(t); break;
		case OP_DPA_RW: op_dpa_rw(t); break;
		case OP_CFG_WRITE: op_cfg_write(t); break;
		case OP_DVSEC_WRITE: op_dvsec_write(t); break;
		case OP_PM_WRITE: op_pm_write(t); break;
		case OP_MMAP: op_mmap(t); break;
		case OP_MUNMAP: op_munmap(t); break;
		case OP_MREMAP: op_mremap(t); break;
		case OP_TOUCH: op_touch(t); break;
		case OP_FORK: op_fork(t); break;
		case OP_RESET: op_reset(t); break;
		case OP_HOT_RESET: op_hot_reset(t); break;
		case OP_LOW_POWER: op_low_power(t); break;
		case OP_IOCTL: op_ioctl(t); break;
		default: break;
		}
		pthread_rwlock_unlock(&devlock);
		t->ops[op]++;
	}
	return NULL;
}

/* ---- before and after ---------------------------------------------------- */

struct real_state {
	uint32_t cm[1024];		/* the CXL.cache/mem area */
	uint32_t dec[8][9];		/* decoder registers, 0x20 apart */
	uint8_t dvsecs[4096 - 256];	/* extended config space */
	uint32_t gctrl;
};

static int real_state(struct cxl_dev *d, struct real_state *s)
{
	uint64_t cm = d->cap.hdm_regs_offset;
	uint64_t off = cm + d->hdm_off;
	uint64_t pg = cm & ~0xfffull;
	unsigned int i, j;
	char path[256];
	void *m;
	int fd;

	memset(s, 0, sizeof(*s));
	if (real_cfg_read(d->bdf, 256, s->dvsecs, sizeof(s->dvsecs)))
		return -1;
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource%u", d->bdf,
		 d->cap.hdm_regs_bar_index);
	fd = open(path, O_RDONLY | O_SYNC);
	if (fd < 0)
		return -1;
	m = mmap(NULL, 0x2000, PROT_READ, MAP_SHARED, fd, pg);
	close(fd);
	if (m == MAP_FAILED)
		return -1;
	{
		volatile uint32_t *h = (volatile uint32_t *)((char *)m + (off - pg));

		volatile uint32_t *a = (volatile uint32_t *)((char *)m + (cm - pg));

		for (i = 0; i < 1024; i++)
			s->cm[i] = a[i];
		s->gctrl = h[CXL_HDM_GCTRL / 4];
		for (i = 0; i < d->ndec && i < 8; i++)
			for (j = 0; j < 9; j++)
				s->dec[i][j] = h[(CXL_HDM_DEC_OFF(i) + 4 * j) / 4];
	}
	munmap(m, 0x2000);
	return 0;
}

/* The CXL DVSECs in extended config space (other capabilities may change). */
static int dvsecs_equal(struct cxl_dev *d, const struct real_state *a,
			const struct real_state *b)
{
	uint32_t pos = 256;
	unsigned int hops = 0;

	while (pos >= 256 && pos < 4096 && hops++ < 128) {
		uint32_t hdr, h1, len;

		memcpy(&hdr, a->dvsecs + pos - 256, 4);
		if (!hdr || hdr == ~0u)
			break;
		if (FIELD_GET(CXL_PCI_EXT_CAP_HDR_ID, hdr) == CXL_PCI_EXT_CAP_ID_DVSEC) {
			memcpy(&h1, a->dvsecs + pos - 256 + CXL_DVSEC_HDR1, 4);
			len = FIELD_GET(CXL_DVSEC_HDR1_LEN, h1);
			if (FIELD_GET(CXL_DVSEC_HDR1_VENDOR, h1) == CXL_DVSEC_VENDOR_ID &&
			    pos + len <= 4096 &&
			    memcmp(a->dvsecs + pos - 256, b->dvsecs + pos - 256, len)) {
				tap_diag("real CXL DVSEC at %#x changed", pos);
				return 0;
			}
		}
		pos = FIELD_GET(CXL_PCI_EXT_CAP_HDR_NEXT, hdr);
	}
	return 1;
}

static int nfail, nres;

/* Decoders and the rest of the CXL.cache/mem area (RAS, Link, ...). */
static int state_equal(const struct real_state *a, const struct real_state *b,
		       const char *when)
{
	unsigned int j;
	int eq = 1;

	for (j = 0; j < 1024; j++)
		if (a->cm[j] != b->cm[j]) {
			tap_diag("%s: real CXL.cache/mem area +%#x: %#x before, %#x now",
				 when, j * 4, a->cm[j], b->cm[j]);
			eq = 0;
		}
	if (memcmp(a->dec, b->dec, sizeof(a->dec)) || a->gctrl != b->gctrl) {
		for (j = 0; j < 9; j++)
			tap_diag("%s: real decoder 0 +%#x: %#x before, %#x now", when,
				 CXL_HDM_DEC_OFF(0) + 4 * j, a->dec[0][j], b->dec[0][j]);
		eq = 0;
	}
	return eq;
}

static void low_power_exit_now(void)
{
	struct vfio_device_feature f = {
		.argsz = sizeof(f),
		.flags = VFIO_DEVICE_FEATURE_SET | VFIO_DEVICE_FEATURE_LOW_POWER_EXIT,
	};

	ioctl(dev.fd, VFIO_DEVICE_FEATURE, &f);
}

static void result(int ok, const char *name)
{
	printf("%s %d %s\n", ok ? "ok" : "not ok", ++nres, name);
	nfail += !ok;
}

static uint16_t find_pm_cap(struct cxl_dev *d)
{
	uint8_t pos = 0;
	unsigned int hops = 0;

	if (cfg_read(d, 0x34, &pos, 1))
		return 0;
	while (pos >= 0x40 && hops++ < 48) {
		uint8_t id = 0, next = 0;

		cfg_read(d, pos, &id, 1);
		cfg_read(d, pos + 1, &next, 1);
		if (id == 0x01)		/* PCI Power Management */
			return pos;
		pos = next & ~3;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char devs[16][32];
	int ndev = selftest_begin(argc, argv, devs, 16), i, j, ok;
	const char *e;
	double secs = 60, t0, dt;
	uint64_t seed = 1;
	unsigned long long total = 0, sigbus = 0, by_op[NOPS] = { 0 };
	struct real_state before, after;
	struct sigaction sa = { .sa_handler = on_bus };
	uint64_t *sig;
	void *m;

	if (!ndev)
		return KSFT_SKIP;
	if ((e = getenv("FUZZ_SECONDS")))
		secs = atof(e);
	if ((e = getenv("FUZZ_SEED")))
		seed = strtoull(e, NULL, 0);
	nthreads = (e = getenv("FUZZ_THREADS")) ? atoi(e) : 4;
	if (nthreads < 1 || nthreads > MAX_THREADS)
		nthreads = 4;
	printf("1..8\n");
	tap_diag("seed %llu, %d threads, %.0f s (FUZZ_SEED, FUZZ_THREADS, FUZZ_SECONDS)",
		 (unsigned long long)seed, nthreads, secs);
	if (dev_bind(devs[0]) || dev_open(&dev, devs[0]) || !dev.have_cap) {
		tap_diag("%s: cannot bind/open: %s", devs[0], strerror(errno));
		result(0, "open");
		return KSFT_FAIL;
	}
	result(1, "open");
	nregions = dev.info.num_regions < 32 ? dev.info.num_regions : 32;
	for (i = 0; i < (int)nregions; i++) {
		struct vfio_region_info *ri;

		if (!vfio_region(dev.fd, i, &ri)) {
			region_size[i] = ri->size;
			free(ri);
		}
	}
	pm_cap = find_pm_cap(&dev);
	ok = !real_state(&dev, &before);
	sigaction(SIGBUS, &sa, NULL);
	{
		/* A reopen must get its turn among readers that never stop. */
		pthread_rwlockattr_t ra;

		pthread_rwlockattr_init(&ra);
		pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
		pthread_rwlock_init(&devlock, &ra);
	}

	t0 = now_s();
	for (i = 0; i < nthreads; i++) {
		threads[i].id = i;
		threads[i].rng = seed * 0x9e3779b97f4a7c15ull + i + 1;
		pthread_create(&threads[i].th, NULL, fuzz_thread, &threads[i]);
	}
	while (now_s() - t0 < secs && !reopen_failed)
		usleep(100000);
	stop = 1;
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i].th, NULL);
	dt = now_s() - t0;
	for (i = 0; i < nthreads; i++) {
		for (j = 0; j < NOPS; j++) {
			by_op[j] += threads[i].ops[j];
			total += threads[i].ops[j];
		}
		sigbus += threads[i].sigbus;
		for (j = 0; j < MAX_MAPS; j++)
			if (threads[i].maps[j].p)
				munmap(threads[i].maps[j].p, threads[i].maps[j].len);
	}
	for (j = 0; j < NOPS; j++)
		tap_diag("%-12s %llu", op_name[j], by_op[j]);
	tap_diag("%llu operations in %.1f s: %.0f ops/s (%llu touches answered with SIGBUS)",
		 total, dt, total / dt, sigbus);
	printf("{\"fuzz_ops\": %llu, \"seconds\": %.1f, \"ops_per_s\": %.0f, \"threads\": %d, \"seed\": %llu}\n",
	       total, dt, total / dt, nthreads, (unsigned long long)seed);
	result(!reopen_failed, "fuzz_ran_without_losing_the_device");

	/*
	 * Still open, as the fuzzer left it (memory decode and D0 put back,
	 * as a VMM would find them after a guest reboot): the real registers
	 * are what the design allows. A device reset puts QEMU's component
	 * registers back to their defaults, so this look comes before the
	 * close (which resets the device).
	 */
	if (!reopen_failed) {
		uint16_t cmd = 0;

		low_power_exit_now();
		if (!cfg_read(&dev, 4, &cmd, 2)) {
			cmd |= 2;
			cfg_write(&dev, 4, &cmd, 2);
		}
	}
	ok = ok && !reopen_failed;
	i = ok && !real_state(&dev, &after) && state_equal(&before, &after, "open");
	result(i, "open_real_decoders_and_component_registers_as_before");
	i = ok && dvsecs_equal(&dev, &before, &after);
	result(i, "open_real_cxl_dvsecs_as_before");

	/* Leave the signature for the host, through a fresh open. */
	if (ok) {
		char bdf[32];

		snprintf(bdf, sizeof(bdf), "%s", dev.bdf);
		dev_close(&dev);
		ok = !dev_open(&dev, bdf);
	}
	m = ok ? mmap(NULL, SZ_2M, PROT_READ | PROT_WRITE, MAP_SHARED, dev.fd,
		      dev.dpa_off + (FUZZ_SIG_OFF & ~(SZ_2M - 1))) : MAP_FAILED;
	if (m != MAP_FAILED) {
		sig = (uint64_t *)((char *)m + (FUZZ_SIG_OFF & (SZ_2M - 1)));
		for (i = 0; i < 512; i++)
			sig[i] = pat(FUZZ_SIG_TAG, FUZZ_SIG_OFF + i * 8);
		munmap(m, SZ_2M);
	}
	result(m != MAP_FAILED, "signature_written");
	dev_close(&dev);

	/* Closed: the decoders as firmware left them, for the host. */
	i = ok && !real_state(&dev, &after) && state_equal(&before, &after, "closed") &&
	    dvsecs_equal(&dev, &before, &after);
	result(i, "closed_real_registers_as_firmware_left_them");
	__t_num = nres;
	__t_fail = 0;
	tap_kernel_log();
	nres = __t_num;
	nfail += __t_fail;
	i = system("rmmod vfio-cxl") == 0 && system("grep -q vfio-cxl /proc/iomem") != 0;
	result(i, "module_unloads");
	return nfail ? KSFT_FAIL : KSFT_PASS;
}
