// SPDX-License-Identifier: MIT
/*
 * vfio_cxl_lifecycle: the driver's life around an open, mapped device.
 *  - rmmod is refused while the device is open;
 *  - a reset from sysfs (outside VFIO) zaps and restores like VFIO's;
 *  - unbind while another process has the DPA region mapped waits for it
 *    to let go, the mapping keeps working meanwhile, and nothing breaks;
 *  - rebind, rmmod with the device bound, reload: the data is still there;
 *  - reloaded with emulate_cxl_reset=1, a guest CXL reset request works.
 */
#include <pthread.h>
#include <sys/wait.h>

#include "vfio_cxl_harness.h"

#define LEN	0x200000ull

static void *map_dpa(struct cxl_dev *d)
{
	void *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd, d->dpa_off);

	ASSERT_TRUE(p != MAP_FAILED);
	return p;
}

static void fill(volatile uint64_t *p, unsigned int tag)
{
	uint64_t i;

	for (i = 0; i < LEN / 8; i += 512)
		p[i] = pat(tag, i * 8);
}

static int check(volatile uint64_t *p, unsigned int tag)
{
	uint64_t i;

	for (i = 0; i < LEN / 8; i += 512)
		if (p[i] != pat(tag, i * 8))
			return -1;
	return 0;
}

static void reopen(struct cxl_dev *d)
{
	char bdf[32];

	snprintf(bdf, sizeof(bdf), "%s", d->bdf);
	dev_close(d);
	ASSERT_OK(dev_bind(bdf));
	ASSERT_OK(dev_open(d, bdf));
	ASSERT_TRUE(d->have_cap);
}

static void t_rmmod_refused_while_open(struct cxl_dev *d)
{
	ASSERT_NE(system("rmmod vfio-cxl 2>/dev/null"), 0);
	ASSERT_OK(access("/sys/module/vfio_cxl", F_OK));
}

static void t_sysfs_reset_while_mapped(struct cxl_dev *d)
{
	volatile uint64_t *p = map_dpa(d);
	char path[256];
	long f0;

	fill(p, 11);
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset", d->bdf);
	ASSERT_OK(sysfs_write(path, "1"));
	f0 = minflt();
	ASSERT_OK(check(p, 11));
	ASSERT_GE(minflt() - f0, 1);
	munmap((void *)p, LEN);
}

/* Shared between the parent and the child that holds the mapping. */
struct unbind_state {
	volatile int unbind_returned;	/* set by the parent's unbind thread */
	volatile int returned_while_mapped;	/* seen by the child before munmap */
};

struct unbind_arg {
	const char *bdf;
	struct unbind_state *st;
	double took;
	int ret;
};

static void *do_unbind(void *arg)
{
	struct unbind_arg *u = arg;
	double t0 = now_s();

	u->ret = dev_unbind(u->bdf);
	u->took = now_s() - t0;
	u->st->unbind_returned = 1;
	return NULL;
}

static void t_unbind_while_mapped(struct cxl_dev *d)
{
	int to_parent[2], to_child[2], status = -1;
	struct unbind_state *st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct unbind_arg u = { .bdf = d->bdf, .st = st };
	char drv[64], c = 0;
	pthread_t th;
	pid_t pid;

	ASSERT_TRUE(st != MAP_FAILED);
	memset((void *)st, 0, sizeof(*st));
	ASSERT_OK(pipe(to_parent));
	ASSERT_OK(pipe(to_child));
	/* The child holds the device (it inherits the fd) and its mapping. */
	pid = fork();
	ASSERT_OK(pid);
	if (!pid) {
		volatile uint64_t *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE,
					    MAP_SHARED, d->fd, d->dpa_off);
		double end;
		int bad = 0;

		if (p == MAP_FAILED)
			_exit(2);
		fill(p, 12);
		dev_close(d);		/* only the mapping keeps it open now */
		if (write(to_parent[1], "m", 1) != 1)
			_exit(3);
		if (read(to_child[0], &c, 1) != 1)
			_exit(4);
		/* Unbind is waiting for us: the mapping still works. */
		for (end = now_s() + 1.5; now_s() < end;)
			bad |= check(p, 12);
		/* ... and it has not returned while we still map the device. */
		st->returned_while_mapped = st->unbind_returned;
		munmap((void *)p, LEN);
		_exit(bad ? 5 : 0);
	}
	dev_close(d);
	ASSERT_EQ(read(to_parent[0], &c, 1), 1);
	pthread_create(&th, NULL, do_unbind, &u);
	usleep(300000);
	ASSERT_EQ(write(to_child[1], "u", 1), 1);
	pthread_join(th, NULL);
	waitpid(pid, &status, 0);
	tap_diag("%s: unbind returned %d after %.2f s; child status %#x", d->bdf,
		 u.ret, u.took, status);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(WEXITSTATUS(status), 0);
	ASSERT_EQ(u.ret, 0);
	/* It waited for the mapping to go: it had not returned when the child
	 * looked, just before its munmap, and it has returned now. */
	ASSERT_EQ(st->returned_while_mapped, 0);
	ASSERT_EQ(st->unbind_returned, 1);
	munmap((void *)st, sizeof(*st));
	ASSERT_EQ(dev_driver(d->bdf, drv, sizeof(drv))[0], 0);
	/* Rebind: the decoder came back at the last close, probe takes it. */
	reopen(d);
	{
		volatile uint64_t *p = map_dpa(d);

		ASSERT_OK(check(p, 12));
		munmap((void *)p, LEN);
	}
}

static void t_rmmod_reload(struct cxl_dev *d)
{
	char bdf[32];
	volatile uint64_t *p;

	snprintf(bdf, sizeof(bdf), "%s", d->bdf);
	p = map_dpa(d);
	fill(p, 13);
	munmap((void *)p, LEN);
	dev_close(d);
	ASSERT_EQ(system("rmmod vfio-cxl"), 0);
	ASSERT_NE(system("grep -q vfio-cxl /proc/iomem"), 0);
	ASSERT_EQ(system("modprobe vfio-cxl"), 0);
	ASSERT_OK(dev_bind(bdf));
	ASSERT_OK(dev_open(d, bdf));
	ASSERT_TRUE(d->info.flags & VFIO_DEVICE_FLAGS_CXL);
	p = map_dpa(d);
	ASSERT_OK(check(p, 13));
	munmap((void *)p, LEN);
}

/*
 * A guest CXL reset request (DVSEC Control2 Initiate CXL Reset) on a device
 * the module offers CXL Reset for (emulate_cxl_reset=1): completes, zaps
 * the mappings, restores the decoder, keeps the data.
 */
static void t_guest_cxl_reset(struct cxl_dev *d)
{
	char bdf[32];
	volatile uint64_t *p;
	uint16_t v, cap, lock;
	long f0;

	snprintf(bdf, sizeof(bdf), "%s", d->bdf);
	dev_close(d);
	ASSERT_EQ(system("rmmod vfio-cxl && modprobe vfio-cxl emulate_cxl_reset=1"), 0);
	ASSERT_OK(dev_bind(bdf));
	ASSERT_OK(dev_open(d, bdf));
	ASSERT_OK(cfg_read(d, d->dvsec + CXL_DVSEC_CAP, &cap, 2));
	ASSERT_TRUE(cap & CXL_DVSEC_CAP_CXL_RESET);
	p = map_dpa(d);
	fill(p, 14);
	/* CONFIG_LOCK survives a CXL reset (CXL r3.1 8.1.3.6). */
	v = CXL_DVSEC_LOCK_CONFIG_LOCK;
	ASSERT_OK(cfg_write(d, d->dvsec + CXL_DVSEC_LOCK, &v, 2));
	v = CXL_DVSEC_CTRL2_INIT_CXL_RESET;
	ASSERT_OK(cfg_write(d, d->dvsec + CXL_DVSEC_CTRL2, &v, 2));
	ASSERT_OK(cfg_read(d, d->dvsec + CXL_DVSEC_STATUS2, &v, 2));
	ASSERT_TRUE(v & CXL_DVSEC_STATUS2_RESET_COMPLETE);
	ASSERT_FALSE(v & CXL_DVSEC_STATUS2_RESET_ERROR);
	ASSERT_OK(cfg_read(d, d->dvsec + CXL_DVSEC_LOCK, &lock, 2));
	ASSERT_TRUE(lock & CXL_DVSEC_LOCK_CONFIG_LOCK);
	/* The doorbell reads 0. */
	ASSERT_OK(cfg_read(d, d->dvsec + CXL_DVSEC_CTRL2, &v, 2));
	ASSERT_FALSE(v & CXL_DVSEC_CTRL2_INIT_CXL_RESET);
	f0 = minflt();
	ASSERT_OK(check(p, 14));
	ASSERT_GE(minflt() - f0, 1);
	munmap((void *)p, LEN);
}

/*
 * A guest CXL reset that cannot be carried out (here: the PCI core has no
 * reset method left) reads back CXL Reset Error, not Reset Complete.
 * Runs after guest_cxl_reset_emulated (emulate_cxl_reset=1 loaded).
 */
static void t_guest_cxl_reset_fails(struct cxl_dev *d)
{
	char path[256];
	uint16_t v = CXL_DVSEC_CTRL2_INIT_CXL_RESET, s2 = 0, cap = 0;
	int r;

	ASSERT_OK(cfg_read(d, d->dvsec + CXL_DVSEC_CAP, &cap, 2));
	if (!(cap & CXL_DVSEC_CAP_CXL_RESET))
		SKIP("the device is not CXL Reset capable");
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/reset_method", d->bdf);
	ASSERT_OK(sysfs_write(path, "\n"));
	r = cfg_write(d, d->dvsec + CXL_DVSEC_CTRL2, &v, 2);
	if (!r)
		r = cfg_read(d, d->dvsec + CXL_DVSEC_STATUS2, &s2, 2);
	ASSERT_OK(sysfs_write(path, "default"));
	ASSERT_OK(r);
	ASSERT_TRUE(s2 & CXL_DVSEC_STATUS2_RESET_ERROR);
	ASSERT_FALSE(s2 & CXL_DVSEC_STATUS2_RESET_COMPLETE);
	/* A reset that works reports completion again. */
	ASSERT_OK(cfg_write(d, d->dvsec + CXL_DVSEC_CTRL2, &v, 2));
	ASSERT_OK(cfg_read(d, d->dvsec + CXL_DVSEC_STATUS2, &s2, 2));
	ASSERT_TRUE(s2 & CXL_DVSEC_STATUS2_RESET_COMPLETE);
	ASSERT_FALSE(s2 & CXL_DVSEC_STATUS2_RESET_ERROR);
}

static const struct fixture_test tests[] = {
	{ "rmmod_refused_while_open", t_rmmod_refused_while_open },
	{ "sysfs_reset_while_mapped", t_sysfs_reset_while_mapped },
	{ "unbind_while_mapped", t_unbind_while_mapped },
	{ "rmmod_with_device_bound_and_reload", t_rmmod_reload },
	{ "guest_cxl_reset_emulated", t_guest_cxl_reset },
	{ "guest_cxl_reset_fails", t_guest_cxl_reset_fails },
};
#define NTESTS (sizeof(tests) / sizeof(tests[0]))

int main(int argc, char **argv)
{
	return one_device_main(argc, argv, tests, NTESTS);
}
