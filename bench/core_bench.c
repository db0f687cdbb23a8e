// SPDX-License-Identifier: MIT
/*
 * Cost of one emulated register access in core/ (issue 3): wall-clock ns
 * per access (clock_gettime over many iterations) and, under
 * `valgrind --tool=callgrind`, instructions per access (collection toggled
 * on around each measured loop only).
 *
 * Usage: core_bench [iterations]      prints one JSON object
 */
#include <time.h>
#include <valgrind/callgrind.h>
#include "cxlemu.h"

#define G	CXL_HDM_DEC_ALIGN
#define D(n, r)	(CXL_HDM_DEC_OFF(n) + CXL_HDM_DEC_##r)

static volatile u64 sink;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

struct bench {
	const char *name;
	const char *what;
	unsigned int accesses;	/* emulated accesses per iteration */
	void (*setup)(void);
	void (*iter)(void);
};

static struct cxlemu_hdm h1, h8;
static struct cxlemu_dvsec dv;

static void setup_hdm(void)
{
	unsigned int i;

	cxlemu_hdm_init(&h1, 0, 16 * G, true, NULL, NULL);
	cxlemu_hdm_write(&h1, D(0, BASE_LO), 8, 4 * G);
	cxlemu_hdm_write(&h1, D(0, SIZE_LO), 8, G);
	/* 8 decoders, 0..6 committed: decoder 7's commit checks them all */
	cxlemu_hdm_init(&h8, FIELD_PREP(CXL_HDM_CAP_DECODER_COUNT, 4), 16 * G, true, NULL, NULL);
	for (i = 0; i < 8; i++) {
		cxlemu_hdm_write(&h8, D(i, BASE_LO), 8, (4 + i) * G);
		cxlemu_hdm_write(&h8, D(i, SIZE_LO), 8, G);
		if (i < 7)
			cxlemu_hdm_write(&h8, D(i, CTRL), 4, CXL_HDM_DEC_CTRL_COMMIT);
	}
}

static void setup_dvsec(void)
{
	u8 hw[CXLEMU_DVSEC_MAX_LEN] = { 0 };

	put_unaligned_le32(FIELD_PREP(CXL_PCI_EXT_CAP_HDR_ID, CXL_PCI_EXT_CAP_ID_DVSEC), hw);
	put_unaligned_le32(FIELD_PREP(CXL_DVSEC_HDR1_VENDOR, CXL_DVSEC_VENDOR_ID) |
			   FIELD_PREP(CXL_DVSEC_HDR1_LEN, CXL_DVSEC_DEV_LEN_R2), hw + CXL_DVSEC_HDR1);
	put_unaligned_le16(CXL_DVSEC_CAP_MEM | CXL_DVSEC_CAP_IO, hw + CXL_DVSEC_CAP);
	cxlemu_dvsec_init(&dv, hw, CXL_DVSEC_DEV_LEN_R2, NULL, NULL);
}

static void it_read(void)
{
	u64 v;

	cxlemu_hdm_read(&h1, D(0, CTRL), 4, &v);
	sink = v;
}

static void it_read64(void)
{
	u64 v;

	cxlemu_hdm_read(&h1, D(0, BASE_LO), 8, &v);
	sink = v;
}

static void it_write_base(void)
{
	cxlemu_hdm_write(&h1, D(0, BASE_LO), 8, 4 * G);
}

static void it_commit1(void)
{
	cxlemu_hdm_write(&h1, D(0, CTRL), 4, CXL_HDM_DEC_CTRL_COMMIT);
	cxlemu_hdm_write(&h1, D(0, CTRL), 4, 0);
}

static void it_commit8(void)
{
	cxlemu_hdm_write(&h8, D(7, CTRL), 4, CXL_HDM_DEC_CTRL_COMMIT);
	cxlemu_hdm_write(&h8, D(7, CTRL), 4, 0);
}

static void it_dvsec_read(void)
{
	u32 v;

	cxlemu_dvsec_read(&dv, CXL_DVSEC_CTRL, 2, &v);
	sink = v;
}

static void it_dvsec_write(void)
{
	cxlemu_dvsec_write(&dv, CXL_DVSEC_CTRL, 2, CXL_DVSEC_CTRL_MEM_EN);
}

static const struct bench benches[] = {
	{ "hdm_read32", "read decoder 0 control (dword)", 1, setup_hdm, it_read },
	{ "hdm_read64", "read decoder 0 base (64-bit)", 1, setup_hdm, it_read64 },
	{ "hdm_write64_base", "write decoder 0 base (64-bit)", 1, setup_hdm, it_write_base },
	{ "hdm_commit_uncommit_1dec", "commit then uncommit decoder 0 of 1 (2 writes)", 2, setup_hdm,
	  it_commit1 },
	{ "hdm_commit_uncommit_8dec", "commit then uncommit decoder 7 of 8, 0..6 committed (2 writes)", 2,
	  setup_hdm, it_commit8 },
	{ "dvsec_read16", "read DVSEC Control (word)", 1, setup_dvsec, it_dvsec_read },
	{ "dvsec_write16", "write DVSEC Control (word)", 1, setup_dvsec, it_dvsec_write },
};

int main(int argc, char **argv)
{
	unsigned long iters = argc > 1 ? strtoul(argv[1], NULL, 0) : 2000000;
	bool under_vg = RUNNING_ON_VALGRIND;
	unsigned int b;

	printf("{\n  \"iterations\": %lu,\n  \"valgrind\": %s,\n  \"benchmarks\": [\n", iters,
	       under_vg ? "true" : "false");
	for (b = 0; b < ARRAY_SIZE(benches); b++) {
		const struct bench *x = &benches[b];
		const char *only = getenv("CORE_BENCH_ONLY");
		double t0, t1;
		unsigned long i;

		if (only && strcmp(only, x->name))
			continue;

		x->setup();
		for (i = 0; i < iters / 10; i++)	/* warm up */
			x->iter();
		t0 = now_ns();
		CALLGRIND_TOGGLE_COLLECT;
		for (i = 0; i < iters; i++)
			x->iter();
		CALLGRIND_TOGGLE_COLLECT;
		t1 = now_ns();
		printf("    { \"name\": \"%s\", \"what\": \"%s\", \"accesses_per_iter\": %u, "
		       "\"ns_per_iter\": %.2f }%s\n", x->name, x->what, x->accesses,
		       (t1 - t0) / iters, b + 1 < ARRAY_SIZE(benches) && !only ? "," : "");
	}
	printf("  ]\n}\n");
	return 0;
}
