// SPDX-License-Identifier: MIT
/*
 * vfio_cxl_stress: threads touch the DPA mapping while another thread
 * resets the device (VFIO_DEVICE_RESET) in a loop, for a bounded time
 * ($STRESS_SECONDS, default 10). No SIGBUS, no hang (the harness times
 * out), and every page holds what its thread last wrote, during and after;
 * then a close and reopen (two more resets) keeps it.
 */
#include <pthread.h>
#include <signal.h>

#include "vfio_cxl_harness.h"

#define NTOUCH		2
#define MAP_LEN		(32ull << 20)
#define PAGE		4096ull
#define NPAGES		(MAP_LEN / PAGE)

static struct cxl_dev dev;
static volatile uint64_t *map;
static volatile int stop;
static uint64_t last[NPAGES];
static long mismatches[NTOUCH], touches[NTOUCH];
static long resets, reset_errors;
/* Set by the resetter around each VFIO_DEVICE_RESET; touches that start
 * while it is set are the ones that raced a reset. */
static volatile int in_reset;
static long raced[NTOUCH];
static volatile int got_bus;

static void on_bus(int sig)
{
	got_bus = 1;
	/* Nothing sane to continue with: report and leave. */
	printf("not ok - SIGBUS while touching the DPA mapping\n");
	fflush(stdout);
	_exit(1);
}

static void *toucher(void *arg)
{
	long tid = (long)arg;
	uint64_t iter = 0, pg;

	while (!stop) {
		for (pg = tid; pg < NPAGES && !stop; pg += NTOUCH) {
			volatile uint64_t *w = map + pg * PAGE / 8;
			uint64_t v = (uint64_t)tid << 56 | ++iter;

			if (in_reset)
				raced[tid]++;
			/* What we wrote last time must still be there. */
			if (last[pg] && w[0] != last[pg])
				mismatches[tid]++;
			w[0] = v;
			w[PAGE / 8 - 1] = ~v;
			if (w[0] != v || w[PAGE / 8 - 1] != ~v)
				mismatches[tid]++;
			last[pg] = v;
			touches[tid]++;
		}
	}
	return NULL;
}

static void *resetter(void *arg)
{
	double end = now_s() + *(double *)arg;

	while (now_s() < end) {
		in_reset = 1;
		if (ioctl(dev.fd, VFIO_DEVICE_RESET))
			reset_errors++;
		in_reset = 0;
		resets++;
	}
	stop = 1;
	return NULL;
}

static long verify(void)
{
	uint64_t pg;
	long bad = 0;

	for (pg = 0; pg < NPAGES; pg++) {
		volatile uint64_t *w = map + pg * PAGE / 8;

		if (last[pg] && (w[0] != last[pg] || w[PAGE / 8 - 1] != ~last[pg]))
			bad++;
	}
	return bad;
}

static volatile uint64_t *map_it(void)
{
	void *p = mmap(NULL, MAP_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, dev.fd,
		       dev.dpa_off);

	return p == MAP_FAILED ? NULL : p;
}

int main(int argc, char **argv)
{
	char devs[16][32];
	int ndev = selftest_begin(argc, argv, devs, 16), n = 0, fail = 0;
	double secs = getenv("STRESS_SECONDS") ? atof(getenv("STRESS_SECONDS")) : 10;
	pthread_t th[NTOUCH + 1];
	long t, tot_touch = 0, tot_mis = 0, tot_raced = 0, bad;
	struct sigaction sa = { .sa_handler = on_bus };
	uint32_t ctrl0 = 0, rctrl = 0;
	uint64_t base0 = 0, rbase = 0;
	char bdf[32];

	if (!ndev)
		return KSFT_SKIP;
	printf("1..7\n");
	if (dev_bind(devs[0]) || dev_open(&dev, devs[0]) || !dev.have_cap ||
	    !(map = map_it())) {
		printf("# %s: %s\n", devs[0], strerror(errno));
		printf("not ok 1 - open and map %s\n", devs[0]);
		for (n = 2; n <= 7; n++)
			printf("not ok %d - skipped: no device\n", n);
		return KSFT_FAIL;
	}
	printf("ok %d - open and map %s (%llu MiB of DPA)\n", ++n, devs[0],
	       MAP_LEN >> 20);
	/* The host decoder as the module restored it after open's reset. */
	if (real_dec0(&dev, &ctrl0, &base0))
		printf("# cannot read the real decoder 0: %s\n", strerror(errno));
	sigaction(SIGBUS, &sa, NULL);

	for (t = 0; t < NTOUCH; t++)
		pthread_create(&th[t], NULL, toucher, (void *)t);
	pthread_create(&th[NTOUCH], NULL, resetter, &secs);
	for (t = 0; t <= NTOUCH; t++)
		pthread_join(th[t], NULL);
	for (t = 0; t < NTOUCH; t++) {
		tot_touch += touches[t];
		tot_mis += mismatches[t];
		tot_raced += raced[t];
	}
	printf("# %.0f s: %ld resets (%ld failed), %ld page touches by %d threads, %ld of them begun during a reset\n",
	       secs, resets, reset_errors, tot_touch, NTOUCH, tot_raced);
	/* Both threads touched pages while a reset was in progress: the
	 * reset really raced the mappings (not one after the other). */
	if (resets >= 10 && !reset_errors && raced[0] > 0 && raced[1] > 0) {
		printf("ok %d - resets and touches ran concurrently (%ld touches raced %ld resets)\n",
		       ++n, tot_raced, resets);
	} else {
		printf("not ok %d - resets and touches ran concurrently: %ld resets (%ld failed), raced touches %ld/%ld\n",
		       ++n, resets, reset_errors, raced[0], raced[1]);
		fail = 1;
	}
	if (!tot_mis) {
		printf("ok %d - every touch read back what was last written\n", ++n);
	} else {
		printf("not ok %d - %ld touches read a stale value\n", ++n, tot_mis);
		fail = 1;
	}
	bad = verify();
	if (!bad) {
		printf("ok %d - after the loop every page holds its last value\n", ++n);
	} else {
		printf("not ok %d - %ld pages lost their last value\n", ++n, bad);
		fail = 1;
	}

	/* Close (reset) and reopen (reset): still there, decoder restored. */
	munmap((void *)map, MAP_LEN);
	snprintf(bdf, sizeof(bdf), "%s", dev.bdf);
	dev_close(&dev);
	bad = -1;
	if (!dev_open(&dev, bdf) && (map = map_it()))
		bad = verify();
	if (!real_dec0(&dev, &rctrl, &rbase) && (ctrl0 & CXL_HDM_DEC_CTRL_COMMITTED) &&
	    (rctrl & CXL_HDM_DEC_CTRL_COMMITTED) && rbase == base0) {
		printf("ok %d - after %ld resets, a close and a reopen the real decoder 0 is committed at %#llx\n",
		       ++n, resets, (unsigned long long)rbase);
	} else {
		printf("not ok %d - real decoder 0: before the loop ctrl %#x base %#llx, after reopen ctrl %#x base %#llx\n",
		       ++n, ctrl0, (unsigned long long)base0, rctrl, (unsigned long long)rbase);
		fail = 1;
	}
	if (!bad) {
		printf("ok %d - after close and reopen every page holds its last value\n", ++n);
	} else {
		printf("not ok %d - after close and reopen: %ld bad pages\n", ++n, bad);
		fail = 1;
	}
	dev_close(&dev);
	__t_num = n;
	tap_kernel_log();
	return fail || __t_fail ? KSFT_FAIL : KSFT_PASS;
}
