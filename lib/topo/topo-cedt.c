// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ACPI CEDT (CXL Early Discovery Table, CXL r3.1 9.18): a builder writing
 * CHBS and CFMWS field by field, little-endian, and a reader applying the
 * checks Linux applies when it reads them (drivers/acpi/tables.c subtable
 * walk, drivers/cxl/acpi.c cxl_acpi_cfmws_verify() and the CHBS checks of
 * cxl_get_chbs_iter()).
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>
#include "topo-internal.h"

#define ACPI_HDR_LEN		36	/* ACPI 6.5 5.2.6 System Description Table Header */
#define CEDT_SUB_HDR_LEN	4	/* Type, Reserved, Record Length */
#define CEDT_TYPE_CHBS		0
#define CEDT_TYPE_CFMWS		1
#define CEDT_TYPE_CXIMS		2
#define CEDT_TYPE_RDPAS		3
#define CHBS_LEN		32	/* CXL r3.1 Table 9-19 */
#define CFMWS_LEN(n)		(36 + 4 * (n))	/* CXL r3.1 Table 9-21 */
#define CHBS_VERSION_CXL11	0
#define CHBS_VERSION_CXL20	1
#define CHBS_LENGTH_CXL11	0x2000
#define CHBS_LENGTH_CXL20	0x10000
#define CFMWS_ARITH_MODULO	0
#define CFMWS_ARITH_XOR		1
#define CEDT_REVISION		1

static_assert(CFMWS_LEN(0) == 36, "CFMWS fixed part");
static_assert(CFMWS_LEN(VFIOCXL_TOPO_MAX_TARGETS) <= 0xffff, "CFMWS length fits u16");

static void put8(uint8_t *b, size_t off, uint8_t v)
{
	b[off] = v;
}

static void put16(uint8_t *b, size_t off, uint16_t v)
{
	b[off] = v & 0xff;
	b[off + 1] = v >> 8;
}

static void put32(uint8_t *b, size_t off, uint32_t v)
{
	put16(b, off, v & 0xffff);
	put16(b, off + 2, v >> 16);
}

static void put64(uint8_t *b, size_t off, uint64_t v)
{
	put32(b, off, (uint32_t)v);
	put32(b, off + 4, (uint32_t)(v >> 32));
}

static uint16_t get16(const uint8_t *b, size_t off)
{
	return (uint16_t)(b[off] | b[off + 1] << 8);
}

static uint32_t get32(const uint8_t *b, size_t off)
{
	return get16(b, off) | (uint32_t)get16(b, off + 2) << 16;
}

static uint64_t get64(const uint8_t *b, size_t off)
{
	return get32(b, off) | (uint64_t)get32(b, off + 4) << 32;
}

static size_t cedt_len(const struct vfiocxl_topo *t)
{
	size_t n = ACPI_HDR_LEN + (size_t)t->nhbs * CHBS_LEN;

	for (unsigned int i = 0; i < t->nwins; i++)
		n += CFMWS_LEN(t->rwins[i].ways);
	return n;
}

static size_t build_chbs(uint8_t *b, size_t off, const struct vfiocxl_topo_host_bridge *hb)
{
	put8(b, off + 0, CEDT_TYPE_CHBS);	/* Type */
	put8(b, off + 1, 0);			/* Reserved */
	put16(b, off + 2, CHBS_LEN);		/* Record Length */
	put32(b, off + 4, hb->uid);		/* UID: the host bridge's _UID (= bus_nr) */
	put32(b, off + 8, CHBS_VERSION_CXL20);	/* CXL Version */
	put32(b, off + 12, 0);			/* Reserved */
	put64(b, off + 16, hb->chbs_base);	/* Base */
	put64(b, off + 24, CHBS_LENGTH_CXL20);	/* Length */
	return off + CHBS_LEN;
}

static int build_cfmws(struct vfiocxl_topo *t, uint8_t *b, size_t off,
		       const struct vfiocxl_topo_window *w, size_t *next)
{
	uint8_t eniw;
	uint32_t hbig;

	if (vfiocxl_topo_ways_to_eniw(w->ways, &eniw) ||
	    vfiocxl_topo_gran_to_hbig(w->granularity, &hbig))
		return topo_err(t, -EINVAL, "cxl-fmw.%u: %u ways of %u bytes cannot be encoded",
				w->index, w->ways, w->granularity);
	put8(b, off + 0, CEDT_TYPE_CFMWS);		/* Type */
	put8(b, off + 1, 0);				/* Reserved */
	put16(b, off + 2, CFMWS_LEN(w->ways));		/* Record Length */
	put32(b, off + 4, 0);				/* Reserved */
	put64(b, off + 8, w->base);			/* Base HPA */
	put64(b, off + 16, w->size);			/* Window Size */
	put8(b, off + 24, eniw);			/* Encoded Number of Interleave Ways (ENIW) */
	put8(b, off + 25, CFMWS_ARITH_MODULO);		/* Interleave Arithmetic */
	put16(b, off + 26, 0);				/* Reserved */
	put32(b, off + 28, hbig);			/* Host Bridge Interleave Granularity (HBIG) */
	put16(b, off + 32, w->restrictions);		/* Window Restrictions */
	/*
	 * QTG ID: 0, the only class QEMU's _DSM (QTG) returns; one class is
	 * enough while every window is used 1:1 by one kind of memory.
	 */
	put16(b, off + 34, 0);
	for (unsigned int k = 0; k < w->ways; k++) {	/* Interleave Target List: _UIDs */
		uint32_t uid = 0;

		for (unsigned int h = 0; h < t->nhbs; h++)
			if (!strcmp(t->hbs[h].id, w->targets[k]))
				uid = t->hbs[h].uid;
		put32(b, off + 36 + 4 * k, uid);
	}
	*next = off + CFMWS_LEN(w->ways);
	return 0;
}

int vfiocxl_topo_build_cedt(struct vfiocxl_topo *t, uint8_t *buf, size_t cap, size_t *len)
{
	size_t n, off;
	uint8_t sum = 0;
	int rc;

	if (!t->ready || !t->rwins)
		return topo_err(t, -EAGAIN, "the CEDT is built after machine-ready");
	n = cedt_len(t);
	*len = n;
	if (n > cap || n > UINT32_MAX)
		return topo_err(t, -ENOSPC, "CEDT needs %zu bytes", n);
	if (!t->nwins && !t->nhbs)
		return topo_err(t, -ENODEV, "no CXL host bridge and no window: no CEDT");
	memset(buf, 0, n);
	memcpy(buf + 0, "CEDT", 4);		/* Signature */
	put32(buf, 4, (uint32_t)n);		/* Length */
	put8(buf, 8, CEDT_REVISION);		/* Revision */
	put8(buf, 9, 0);			/* Checksum, set below */
	memcpy(buf + 10, "VFCXL ", 6);		/* OEMID */
	memcpy(buf + 16, "VFIOCXL ", 8);	/* OEM Table ID */
	put32(buf, 24, 1);			/* OEM Revision */
	memcpy(buf + 28, "VFCX", 4);		/* Creator ID */
	put32(buf, 32, 1);			/* Creator Revision */
	off = ACPI_HDR_LEN;
	for (unsigned int h = 0; h < t->nhbs; h++)
		off = build_chbs(buf, off, &t->hbs[h]);
	for (unsigned int i = 0; i < t->nwins; i++) {
		rc = build_cfmws(t, buf, off, &t->rwins[i], &off);
		if (rc)
			return rc;
	}
	assert(off == n);
	for (size_t i = 0; i < n; i++)
		sum += buf[i];
	put8(buf, 9, (uint8_t)-sum);		/* Checksum: all bytes sum to 0 */
	return 0;
}

/* ---- reader ------------------------------------------------------------- */

static int rerr(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int rerr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static int read_cfmws(const uint8_t *b, size_t off, unsigned int len, unsigned int idx,
		      struct vfiocxl_cedt_cfmws *c, char *err, size_t errlen)
{
	if (len < CFMWS_LEN(0))
		return rerr(err, errlen, "CFMWS %u: length %u shorter than 36", idx, len);
	c->base = get64(b, off + 8);
	c->size = get64(b, off + 16);
	c->eniw = b[off + 24];
	c->arithmetic = b[off + 25];
	c->hbig = get32(b, off + 28);
	c->restrictions = get16(b, off + 32);
	c->qtg_id = get16(b, off + 34);
	/* cxl_acpi_cfmws_verify() */
	if (c->arithmetic != CFMWS_ARITH_MODULO && c->arithmetic != CFMWS_ARITH_XOR)
		return rerr(err, errlen, "CFMWS %u: unknown interleave arithmetic %u", idx,
			    c->arithmetic);
	if (c->base % VFIOCXL_TOPO_ALIGN)
		return rerr(err, errlen, "CFMWS %u: base HPA 0x%llx not 256MB aligned", idx,
			    (unsigned long long)c->base);
	if (!c->size || c->size % VFIOCXL_TOPO_ALIGN)
		return rerr(err, errlen, "CFMWS %u: window size 0x%llx not 256MB aligned", idx,
			    (unsigned long long)c->size);
	if (c->base + c->size < c->base)
		return rerr(err, errlen, "CFMWS %u: window wraps the address space", idx);
	if (vfiocxl_topo_eniw_to_ways(c->eniw, &c->ways))
		return rerr(err, errlen, "CFMWS %u: interleave ways (%u) invalid", idx, c->eniw);
	if (len < CFMWS_LEN(c->ways))
		return rerr(err, errlen, "CFMWS %u: length %u less than expected %u", idx, len,
			    CFMWS_LEN(c->ways));
	/* cxl_parse_cfmws(): eig_to_granularity() */
	if (vfiocxl_topo_hbig_to_gran(c->hbig, &c->granularity))
		return rerr(err, errlen, "CFMWS %u: interleave granularity (%u) invalid", idx,
			    c->hbig);
	for (unsigned int k = 0; k < c->ways; k++)
		c->targets[k] = get32(b, off + 36 + 4 * k);
	return 0;
}

int vfiocxl_topo_cedt_read(const uint8_t *buf, size_t len, struct vfiocxl_cedt *out,
			   char *err, size_t errlen)
{
	uint32_t tlen;
	uint8_t sum = 0;
	size_t off;

	memset(out, 0, sizeof(*out));
	if (!buf || len < ACPI_HDR_LEN)
		return rerr(err, errlen, "table shorter than the ACPI header (%zu bytes)", len);
	if (memcmp(buf, "CEDT", 4))
		return rerr(err, errlen, "signature is not CEDT");
	tlen = get32(buf, 4);
	if (tlen < ACPI_HDR_LEN || tlen > len)
		return rerr(err, errlen, "header length %u outside 36..%zu", tlen, len);
	for (size_t i = 0; i < tlen; i++)
		sum += buf[i];
	if (sum)
		return rerr(err, errlen, "checksum wrong (bytes sum to 0x%02x)", sum);
	out->revision = buf[8];
	/* acpi_parse_entries_array(): walk while a subtable header fits */
	for (off = ACPI_HDR_LEN; off + CEDT_SUB_HDR_LEN <= tlen;) {
		uint8_t type = buf[off];
		unsigned int slen = get16(buf, off + 2);

		if (slen < CEDT_SUB_HDR_LEN)
			return rerr(err, errlen, "subtable at offset %zu: invalid length %u", off, slen);
		if (off + slen > tlen)
			return rerr(err, errlen, "subtable at offset %zu: length %u runs past the table end",
				    off, slen);
		if (type == CEDT_TYPE_CHBS) {
			struct vfiocxl_cedt_chbs *c;

			if (out->nchbs >= VFIOCXL_CEDT_MAX)
				return rerr(err, errlen, "more than %u CHBS", VFIOCXL_CEDT_MAX);
			if (slen < CHBS_LEN)
				return rerr(err, errlen, "CHBS at offset %zu: length %u shorter than 32",
					    off, slen);
			c = &out->chbs[out->nchbs];
			c->uid = get32(buf, off + 4);
			c->version = get32(buf, off + 8);
			c->base = get64(buf, off + 16);
			c->length = get64(buf, off + 24);
			/* cxl_get_chbs_iter(): Linux skips CHBS that fail these */
			if (c->version == CHBS_VERSION_CXL11 && c->length != CHBS_LENGTH_CXL11)
				return rerr(err, errlen, "CHBS uid %u: CXL 1.1 length 0x%llx is not 0x2000",
					    c->uid, (unsigned long long)c->length);
			if (c->version == CHBS_VERSION_CXL20 && c->length != CHBS_LENGTH_CXL20)
				return rerr(err, errlen, "CHBS uid %u: CXL 2.0 length 0x%llx is not 0x10000",
					    c->uid, (unsigned long long)c->length);
			if (c->version > CHBS_VERSION_CXL20)
				return rerr(err, errlen, "CHBS uid %u: unknown CXL version %u",
					    c->uid, c->version);
			if (!c->base)
				return rerr(err, errlen, "CHBS uid %u: base is 0", c->uid);
			for (unsigned int i = 0; i < out->nchbs; i++)
				if (out->chbs[i].uid == c->uid)
					return rerr(err, errlen, "CHBS uid %u appears twice", c->uid);
			out->nchbs++;
		} else if (type == CEDT_TYPE_CFMWS) {
			int rc;

			if (out->ncfmws >= VFIOCXL_CEDT_MAX)
				return rerr(err, errlen, "more than %u CFMWS", VFIOCXL_CEDT_MAX);
			rc = read_cfmws(buf, off, slen, out->ncfmws, &out->cfmws[out->ncfmws],
					err, errlen);
			if (rc)
				return rc;
			out->ncfmws++;
		} else {
			out->nother++;	/* CXIMS, RDPAS, or newer: not ours to judge */
		}
		off += slen;
	}
	if (off != tlen)
		return rerr(err, errlen, "%zu trailing bytes after the last subtable", tlen - off);
	/* windows become resources: Linux's insert_resource() refuses overlaps */
	for (unsigned int i = 0; i < out->ncfmws; i++) {
		const struct vfiocxl_cedt_cfmws *a = &out->cfmws[i];

		for (unsigned int j = 0; j < i; j++) {
			const struct vfiocxl_cedt_cfmws *o = &out->cfmws[j];

			if (a->base < o->base + o->size && o->base < a->base + a->size)
				return rerr(err, errlen, "CFMWS %u overlaps CFMWS %u", i, j);
		}
		/* each target is a host bridge _UID; Linux finds its CHBS by it */
		for (unsigned int k = 0; k < a->ways; k++) {
			bool found = false;

			for (unsigned int h = 0; h < out->nchbs; h++)
				found |= out->chbs[h].uid == a->targets[k];
			if (!found)
				return rerr(err, errlen, "CFMWS %u: target uid %u has no CHBS", i,
					    a->targets[k]);
		}
	}
	return 0;
}
