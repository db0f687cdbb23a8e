// SPDX-License-Identifier: MIT
/*
 * CEDT: the spec encodings (ways, granularity), builder -> reader round trip
 * field by field, and every corruption the reader must refuse as Linux
 * would (checksum, lengths, ways, alignment, arithmetic, CHBS lengths).
 */
#include <errno.h>
#include <stdlib.h>
#include "vfiocxl-topo.h"
#include "topo_tap.h"

static void test_encodings(void)
{
	static const struct { unsigned int ways; int eniw; } w[] = {
		{ 1, 0 }, { 2, 1 }, { 4, 2 }, { 8, 3 }, { 16, 4 }, { 3, 8 }, { 6, 9 }, { 12, 10 },
		{ 0, -1 }, { 5, -1 }, { 7, -1 }, { 24, -1 }, { 32, -1 },
	};
	static const int bad_eniw[] = { 5, 6, 7, 11, 15, 255 };
	static const struct { unsigned int gran; int hbig; } g[] = {
		{ 256, 0 }, { 512, 1 }, { 1024, 2 }, { 2048, 3 }, { 4096, 4 }, { 8192, 5 },
		{ 16384, 6 }, { 128, -1 }, { 300, -1 }, { 32768, -1 }, { 0, -1 },
	};

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		uint8_t e = 0xee;
		unsigned int back = 0;
		char name[64];
		int rc = vfiocxl_topo_ways_to_eniw(w[i].ways, &e);

		snprintf(name, sizeof(name), "ways %u -> eniw %d and back", w[i].ways, w[i].eniw);
		if (w[i].eniw < 0)
			TAP_EQ_INT(name, -EINVAL, rc);
		else
			tap_ok(!rc && e == w[i].eniw && !vfiocxl_topo_eniw_to_ways(e, &back) &&
			       back == w[i].ways, name, NULL);
	}
	for (size_t i = 0; i < sizeof(bad_eniw) / sizeof(bad_eniw[0]); i++) {
		unsigned int ways;
		char name[64];

		snprintf(name, sizeof(name), "eniw %d is reserved", bad_eniw[i]);
		TAP_EQ_INT(name, -EINVAL, vfiocxl_topo_eniw_to_ways((uint8_t)bad_eniw[i], &ways));
	}
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		uint32_t h = 99;
		unsigned int back = 0;
		char name[64];
		int rc = vfiocxl_topo_gran_to_hbig(g[i].gran, &h);

		snprintf(name, sizeof(name), "granularity %u -> hbig %d and back", g[i].gran, g[i].hbig);
		if (g[i].hbig < 0)
			TAP_EQ_INT(name, -EINVAL, rc);
		else
			tap_ok(!rc && h == (uint32_t)g[i].hbig && !vfiocxl_topo_hbig_to_gran(h, &back) &&
			       back == g[i].gran, name, NULL);
	}
	{
		unsigned int gr;

		TAP_EQ_INT("hbig 7 is reserved", -EINVAL, vfiocxl_topo_hbig_to_gran(7, &gr));
	}
}

/* two Type-2 devices on two host bridges, a Type-3, and an interleaved window */
static const char *const ARGS[] = {
	"-m", "2G",
	"-M", "q35,cxl=on,cxl-fmw.0.targets.0=hb1,cxl-fmw.0.size=4G,"
	"cxl-fmw.1.targets.0=hb2,cxl-fmw.1.size=4G,"
	"cxl-fmw.2.targets.0=hb3,cxl-fmw.2.targets.1=hb4,cxl-fmw.2.targets.2=hb5,"
	"cxl-fmw.2.size=3G,cxl-fmw.2.interleave-granularity=4k",
	"-object", "memory-backend-ram,id=m0,size=256M",
	"-device", "pxb-cxl,bus_nr=12,id=hb1", "-device", "cxl-rp,port=0,bus=hb1,id=rp1",
	"-device", "vfio-pci,host=01:00.0,bus=rp1,id=gpu",
	"-device", "pxb-cxl,bus_nr=20,id=hb2", "-device", "cxl-rp,port=0,bus=hb2,id=rp2",
	"-device", "cxl-type3,bus=rp2,volatile-memdev=m0,id=mem0",
	"-device", "pxb-cxl,bus_nr=28,id=hb3", "-device", "pxb-cxl,bus_nr=36,id=hb4",
	"-device", "pxb-cxl,bus_nr=44,id=hb5",
};

static size_t build(uint8_t *buf, size_t cap)
{
	struct vfiocxl_topo *t = vfiocxl_topo_new();
	size_t len = 0;
	int rc = vfiocxl_topo_parse_args(t, sizeof(ARGS) / sizeof(ARGS[0]), (char *const *)ARGS);

	rc = rc ? rc : vfiocxl_topo_set_dpa_size(t, "gpu", 1ULL << 30);
	rc = rc ? rc : vfiocxl_topo_machine_ready(t, NULL, NULL);
	rc = rc ? rc : vfiocxl_topo_build_cedt(t, buf, cap, &len);
	if (rc)
		printf("# build: %d %s\n", rc, vfiocxl_topo_strerror(t));
	vfiocxl_topo_free(t);
	return rc ? 0 : len;
}

static void fix_sum(uint8_t *b, size_t len)
{
	uint8_t s = 0;

	b[9] = 0;
	for (size_t i = 0; i < len; i++)
		s += b[i];
	b[9] = (uint8_t)-s;
}

static void test_roundtrip(void)
{
	uint8_t buf[1024];
	struct vfiocxl_cedt c;
	char err[256] = "";
	size_t len = build(buf, sizeof(buf));
	int rc;

	/* 36 header + 5 CHBS * 32 + CFMWS 40 + 40 + 48 */
	TAP_EQ_INT("build: length 36 + 5*32 + 40 + 40 + 48", 36 + 160 + 128, len);
	rc = vfiocxl_topo_cedt_read(buf, len, &c, err, sizeof(err));
	tap_ok(rc == 0, "read: the built table passes Linux's checks", err);
	TAP_EQ_INT("read: 5 CHBS", 5, c.nchbs);
	TAP_EQ_INT("read: 3 CFMWS", 3, c.ncfmws);
	tap_ok(!memcmp(buf, "CEDT", 4) && buf[8] == 1, "header: signature CEDT, revision 1", NULL);
	tap_ok(c.chbs[0].uid == 12 && c.chbs[0].version == 1 && c.chbs[0].length == 0x10000 &&
	       c.chbs[0].base == 0x100040000 && c.chbs[4].uid == 44 && c.chbs[4].base == 0x100000000,
	       "CHBS: uid = bus_nr, CXL 2.0, 64 KiB, newest host bridge first in the register area",
	       NULL);
	tap_ok(c.cfmws[0].base == 0x110000000 && c.cfmws[0].size == 4ULL << 30 &&
	       c.cfmws[0].ways == 1 && c.cfmws[0].eniw == 0 && c.cfmws[0].targets[0] == 12 &&
	       c.cfmws[0].granularity == 256 && c.cfmws[0].arithmetic == 0 && c.cfmws[0].qtg_id == 0,
	       "CFMWS 0: base, size, 1 way, 256 B, modulo, target uid 12, QTG 0", NULL);
	TAP_EQ_INT("CFMWS 0: Type-2 window is device-coherent, volatile, fixed",
		   VFIOCXL_CFMWS_RESTRICT_DEVMEM | VFIOCXL_CFMWS_RESTRICT_VOLATILE |
		   VFIOCXL_CFMWS_RESTRICT_FIXED, c.cfmws[0].restrictions);
	TAP_EQ_INT("CFMWS 1: Type-3 window is host-only coherent, volatile, persistent",
		   VFIOCXL_CFMWS_RESTRICT_HOSTONLY | VFIOCXL_CFMWS_RESTRICT_VOLATILE |
		   VFIOCXL_CFMWS_RESTRICT_PMEM, c.cfmws[1].restrictions);
	tap_ok(c.cfmws[2].ways == 3 && c.cfmws[2].eniw == 8 && c.cfmws[2].hbig == 4 &&
	       c.cfmws[2].granularity == 4096 && c.cfmws[2].targets[0] == 28 &&
	       c.cfmws[2].targets[1] == 36 && c.cfmws[2].targets[2] == 44 &&
	       c.cfmws[2].base == 0x310000000 && c.cfmws[2].size == 3ULL << 30,
	       "CFMWS 2: 3-way (ENIW 8) at 4 KiB (HBIG 4), targets in order", NULL);
	TAP_EQ_INT("CFMWS 2: unused window keeps QEMU's restrictions (0x0f)", 0x0f,
		   c.cfmws[2].restrictions);
	{
		/* the raw bytes of CFMWS 0 at offset 36 + 5*32, little-endian */
		const uint8_t *p = buf + 36 + 160;

		tap_ok(p[0] == 1 && p[2] == 40 && p[3] == 0 && p[8] == 0 && p[11] == 0x10 &&
		       p[12] == 1 && p[16] == 0 && p[20] == 1 && p[32] == 0x15 && p[36] == 12,
		       "CFMWS 0 bytes: type 1, length 40, base/size/restrictions little-endian", NULL);
	}
}

enum mut { M_SUM, M_HDRLEN, M_SIG, M_SHORT, M_SUBLEN0, M_SUBPAST, M_CFMWS_SHORT, M_ENIW, M_BASE,
	   M_SIZE, M_ARITH, M_HBIG, M_CHBS_LEN, M_CHBS_VER, M_CHBS_BASE, M_TARGET, M_OVERLAP,
	   M_WRAP, M_CHBS_DUP, M_TRAIL };

static const struct corrupt_case {
	const char *name;
	enum mut m;
	bool refix;	/* recompute the checksum after the change */
	const char *msg;
} corrupt_cases[] = {
	{ "refuse: checksum wrong", M_SUM, false, "checksum wrong" },
	{ "refuse: header length beyond the buffer", M_HDRLEN, true, "header length" },
	{ "refuse: signature", M_SIG, true, "signature is not CEDT" },
	{ "refuse: table shorter than the header", M_SHORT, false, "shorter than the ACPI header" },
	{ "refuse: subtable length 0", M_SUBLEN0, true, "invalid length 0" },
	{ "refuse: subtable runs past the end", M_SUBPAST, true, "runs past the table end" },
	{ "refuse: CFMWS length less than 36 + 4 * ways", M_CFMWS_SHORT, true, "length 44 less than expected 48" },
	{ "refuse: CFMWS interleave ways reserved encoding", M_ENIW, true, "interleave ways (5) invalid" },
	{ "refuse: CFMWS base not 256MB aligned", M_BASE, true, "not 256MB aligned" },
	{ "refuse: CFMWS size not 256MB aligned", M_SIZE, true, "window size 0x100100000 not 256MB aligned" },
	{ "refuse: CFMWS unknown arithmetic", M_ARITH, true, "unknown interleave arithmetic 2" },
	{ "refuse: CFMWS granularity reserved", M_HBIG, true, "interleave granularity (7) invalid" },
	{ "refuse: CHBS CXL 2.0 length not 64 KiB", M_CHBS_LEN, true, "CXL 2.0 length 0x2000" },
	{ "refuse: CHBS unknown version", M_CHBS_VER, true, "unknown CXL version 7" },
	{ "refuse: CHBS base 0", M_CHBS_BASE, true, "base is 0" },
	{ "refuse: CFMWS target without CHBS", M_TARGET, true, "target uid 99 has no CHBS" },
	{ "refuse: overlapping windows", M_OVERLAP, true, "CFMWS 1 overlaps CFMWS 0" },
	{ "refuse: window wraps", M_WRAP, true, "wraps" },
	{ "refuse: CHBS uid twice", M_CHBS_DUP, true, "appears twice" },
	{ "refuse: trailing bytes after the last subtable", M_TRAIL, true, "trailing bytes" },
};

static void put32(uint8_t *b, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

static void test_corruptions(void)
{
	uint8_t orig[1024];
	size_t olen = build(orig, sizeof(orig));
	const size_t chbs0 = 36, cfmws0 = 36 + 160, cfmws1 = cfmws0 + 40, cfmws2 = cfmws1 + 40;

	for (size_t i = 0; i < sizeof(corrupt_cases) / sizeof(corrupt_cases[0]); i++) {
		const struct corrupt_case *c = &corrupt_cases[i];
		uint8_t b[1100];
		size_t len = olen;
		struct vfiocxl_cedt out;
		char err[256] = "", m[400];
		int rc;

		memcpy(b, orig, olen);
		switch (c->m) {
		case M_SUM: b[9] ^= 1; break;
		case M_HDRLEN: put32(b + 4, (uint32_t)olen + 4); break;
		case M_SIG: b[0] = 'X'; break;
		case M_SHORT: len = 20; break;
		case M_SUBLEN0: b[chbs0 + 2] = 0; b[chbs0 + 3] = 0; break;
		case M_SUBPAST: b[cfmws2 + 2] = 60; break;
		case M_CFMWS_SHORT:	/* drop the last target of the 3-way window */
			b[cfmws2 + 2] = 44;
			len = olen - 4;
			put32(b + 4, (uint32_t)len);
			break;
		case M_ENIW: b[cfmws0 + 24] = 5; break;
		case M_BASE: b[cfmws0 + 10] = 0x10; break;	/* + 1 MiB */
		case M_SIZE: b[cfmws0 + 18] = 0x10; break;
		case M_ARITH: b[cfmws0 + 25] = 2; break;
		case M_HBIG: b[cfmws0 + 28] = 7; break;
		case M_CHBS_LEN: b[chbs0 + 24] = 0; b[chbs0 + 25] = 0x20; b[chbs0 + 26] = 0; break;
		case M_CHBS_VER: b[chbs0 + 8] = 7; break;
		case M_CHBS_BASE: memset(b + chbs0 + 16, 0, 8); break;
		case M_TARGET: put32(b + cfmws0 + 36, 99); break;
		case M_OVERLAP: memcpy(b + cfmws1 + 8, b + cfmws0 + 8, 8); break;
		case M_WRAP:	/* base 0xfffffffff0000000: aligned, but base + 4 GiB wraps */
			memset(b + cfmws0 + 8, 0xff, 8);
			memset(b + cfmws0 + 8, 0, 3);
			b[cfmws0 + 11] = 0xf0;
			break;
		case M_CHBS_DUP: put32(b + chbs0 + 32 + 4, 12); break;
		case M_TRAIL:
			b[olen] = b[olen + 1] = 0;
			len = olen + 2;
			put32(b + 4, (uint32_t)len);
			break;
		}
		if (c->refix)
			fix_sum(b, len);
		rc = vfiocxl_topo_cedt_read(b, len, &out, err, sizeof(err));
		snprintf(m, sizeof(m), "expected -EINVAL '%s', actual %d '%s'", c->msg, rc, err);
		tap_ok(rc == -EINVAL && strstr(err, c->msg), c->name, m);
	}
	{
		uint8_t small[64];
		struct vfiocxl_topo *t = vfiocxl_topo_new();
		size_t need = 0;

		TAP_EQ_INT("build: before machine-ready refused", -EAGAIN,
			   vfiocxl_topo_build_cedt(t, small, sizeof(small), &need));
		vfiocxl_topo_parse_args(t, sizeof(ARGS) / sizeof(ARGS[0]), (char *const *)ARGS);
		vfiocxl_topo_set_dpa_size(t, "gpu", 1ULL << 30);
		vfiocxl_topo_machine_ready(t, NULL, NULL);
		TAP_EQ_INT("build: too small a buffer gives -ENOSPC", -ENOSPC,
			   vfiocxl_topo_build_cedt(t, small, sizeof(small), &need));
		TAP_EQ_INT("build: ... and the length needed", olen, need);
		vfiocxl_topo_free(t);
	}
}

int main(void)
{
	test_encodings();
	test_roundtrip();
	test_corruptions();
	tap_plan(tap_n);
	return tap_exit();
}
