// SPDX-License-Identifier: MIT
/*
 * l2-bench: in the second-level guest, touch the CXL window (the passed-
 * through device's memory, through /dev/mem) and the guest's own RAM (an
 * anonymous buffer) the same way, in the same run, and report throughput
 * and their ratio.
 *
 *   l2-bench ADDR SIZE [PASSES]
 *
 * Each pass writes every 64-bit word of the buffer, then reads them all
 * back and checks them. Prints one JSON object.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct result {
	double write_mbs, read_mbs;
	unsigned long errors;
};

static struct result touch(volatile uint64_t *p, size_t size, unsigned int passes)
{
	size_t n = size / sizeof(*p);
	double tw = 0, tr = 0, t;
	struct result r = { 0 };

	for (unsigned int k = 0; k < passes; k++) {
		uint64_t seed = 0x9e3779b97f4a7c15ull * (k + 1);
		uint64_t sum = 0;

		t = now();
		for (size_t i = 0; i < n; i++)
			p[i] = seed ^ i;
		tw += now() - t;
		t = now();
		for (size_t i = 0; i < n; i++)
			sum += (p[i] != (seed ^ i));
		tr += now() - t;
		r.errors += sum;
	}
	r.write_mbs = (double)size * passes / tw / 1e6;
	r.read_mbs = (double)size * passes / tr / 1e6;
	return r;
}

int main(int argc, char **argv)
{
	uint64_t addr;
	size_t size;
	unsigned int passes;
	struct result cxl, ram;
	void *win, *buf;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: %s ADDR SIZE [PASSES]\n", argv[0]);
		return 2;
	}
	addr = strtoull(argv[1], NULL, 0);
	size = strtoull(argv[2], NULL, 0);
	passes = argc > 3 ? strtoul(argv[3], NULL, 0) : 2;
	if (!size || size % 4096 || addr % 4096 || !passes) {
		fprintf(stderr, "l2-bench: bad address, size or passes\n");
		return 2;
	}
	fd = open("/dev/mem", O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "l2-bench: /dev/mem: %s\n", strerror(errno));
		return 1;
	}
	win = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, addr);
	if (win == MAP_FAILED) {
		fprintf(stderr, "l2-bench: mmap 0x%llx: %s\n", (unsigned long long)addr,
			strerror(errno));
		return 1;
	}
	buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		   -1, 0);
	if (buf == MAP_FAILED) {
		fprintf(stderr, "l2-bench: anonymous buffer: %s\n", strerror(errno));
		return 1;
	}
	cxl = touch(win, size, passes);
	ram = touch(buf, size, passes);
	printf("{\"bench\":\"l2-touch\",\"addr\":\"0x%llx\",\"size\":%zu,\"passes\":%u,"
	       "\"cxl_write_mbs\":%.1f,\"cxl_read_mbs\":%.1f,"
	       "\"ram_write_mbs\":%.1f,\"ram_read_mbs\":%.1f,"
	       "\"ram_over_cxl_write\":%.1f,\"ram_over_cxl_read\":%.1f,\"errors\":%lu}\n",
	       (unsigned long long)addr, size, passes, cxl.write_mbs, cxl.read_mbs,
	       ram.write_mbs, ram.read_mbs, ram.write_mbs / cxl.write_mbs,
	       ram.read_mbs / cxl.read_mbs, cxl.errors + ram.errors);
	return cxl.errors + ram.errors ? 1 : 0;
}
