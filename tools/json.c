// SPDX-License-Identifier: MIT
/*
 * Output for vfio-cxl: a small tree printed as JSON the way `cxl list`
 * prints it (json-c pretty style, snake_case keys, the first key naming the
 * object, sizes raw unless -u), or as a table for a person (--table).
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vfio-cxl.h"

static struct jnode *node(enum jtype t)
{
	struct jnode *n = calloc(1, sizeof(*n));

	if (!n) {
		perror("vfio-cxl");
		exit(EXIT_FAIL);
	}
	n->type = t;
	return n;
}

struct jnode *j_obj(void) { return node(J_OBJ); }
struct jnode *j_arr(void) { return node(J_ARR); }

struct jnode *j_add(struct jnode *parent, const char *key, struct jnode *child)
{
	if (key)
		child->key = strdup(key);
	if (parent->last)
		parent->last->next = child;
	else
		parent->child = child;
	parent->last = child;
	return child;
}

void j_str(struct jnode *o, const char *key, const char *v)
{
	struct jnode *n = node(J_STR);

	n->str = strdup(v ? v : "");
	j_add(o, key, n);
}

#define SCALAR(fn, T, field, ty)					\
	void fn(struct jnode *o, const char *key, T v)			\
	{								\
		struct jnode *n = node(ty);				\
		n->field = v;						\
		j_add(o, key, n);					\
	}
SCALAR(j_u64, uint64_t, u, J_U64)
SCALAR(j_i64, int64_t, i, J_I64)
SCALAR(j_bool, bool, u, J_BOOL)
SCALAR(j_hex, uint64_t, u, J_HEX)
SCALAR(j_size, uint64_t, u, J_SIZE)

void j_reg(struct jnode *o, const char *key, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	j_str(o, key, buf);
}

void j_free(struct jnode *n)
{
	while (n) {
		struct jnode *next = n->next;

		j_free(n->child);
		free(n->key);
		free(n->str);
		free(n);
		n = next;
	}
}

/* "256.00 MiB (268.44 MB)", as ndctl's util_size_to_string */
static void human_size(char *buf, size_t len, uint64_t v)
{
	static const char *const bin[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	static const char *const dec[] = { "KB", "MB", "GB", "TB", "PB" };
	double b = v, d = v;
	int i = -1, k = -1;

	if (v < 1000) {
		snprintf(buf, len, "%" PRIu64, v);
		return;
	}
	while (b >= 1024 && i < 4) {
		b /= 1024;
		i++;
	}
	while (d >= 1000 && k < 4) {
		d /= 1000;
		k++;
	}
	if (i < 0)
		snprintf(buf, len, "%" PRIu64, v);
	else
		snprintf(buf, len, "%.2f %s (%.2f %s)", b, bin[i], d, dec[k]);
}

static void print_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void scalar_text(char *buf, size_t len, const struct jnode *n, bool human)
{
	switch (n->type) {
	case J_STR:
		snprintf(buf, len, "%s", n->str);
		break;
	case J_U64:
		snprintf(buf, len, "%" PRIu64, n->u);
		break;
	case J_I64:
		snprintf(buf, len, "%" PRId64, n->i);
		break;
	case J_BOOL:
		snprintf(buf, len, "%s", n->u ? "true" : "false");
		break;
	case J_HEX:
		if (human)
			snprintf(buf, len, "0x%" PRIx64, n->u);
		else
			snprintf(buf, len, "%" PRIu64, n->u);
		break;
	case J_SIZE:
		if (human)
			human_size(buf, len, n->u);
		else
			snprintf(buf, len, "%" PRIu64, n->u);
		break;
	default:
		buf[0] = '\0';
	}
}

static void indent(FILE *f, int n)
{
	fprintf(f, "%*s", 2 * n, "");
}

static void print_node(FILE *f, const struct jnode *n, bool human, int depth)
{
	const struct jnode *c;
	char buf[96];

	switch (n->type) {
	case J_OBJ:
	case J_ARR:
		fputc(n->type == J_OBJ ? '{' : '[', f);
		if (!n->child) {
			fputc(n->type == J_OBJ ? '}' : ']', f);
			break;
		}
		fputc('\n', f);
		for (c = n->child; c; c = c->next) {
			indent(f, depth + 1);
			if (n->type == J_OBJ) {
				print_string(f, c->key ? c->key : "");
				fputc(':', f);
			}
			print_node(f, c, human, depth + 1);
			fputs(c->next ? ",\n" : "\n", f);
		}
		indent(f, depth);
		fputc(n->type == J_OBJ ? '}' : ']', f);
		break;
	case J_STR:
		print_string(f, n->str);
		break;
	case J_HEX:
	case J_SIZE:
		scalar_text(buf, sizeof(buf), n, human);
		if (human)
			print_string(f, buf);
		else
			fputs(buf, f);
		break;
	default:
		scalar_text(buf, sizeof(buf), n, human);
		fputs(buf, f);
	}
}

void j_print(FILE *f, struct jnode *n, bool human)
{
	if (n->type == J_ARR && n->child && !n->child->next)
		n = n->child;
	print_node(f, n, human, 0);
	fputc('\n', f);
}

/* ---- tables ----------------------------------------------------------------- */

#define MAX_COLS 32

static void print_rows(FILE *f, const struct jnode *arr)
{
	const char *cols[MAX_COLS];
	size_t width[MAX_COLS];
	const struct jnode *row, *c;
	char buf[96];
	int ncols = 0, i;

	for (row = arr->child; row; row = row->next) {
		if (row->type != J_OBJ)
			continue;
		for (c = row->child; c; c = c->next) {
			if (c->type == J_OBJ || c->type == J_ARR || !c->key)
				continue;
			for (i = 0; i < ncols && strcmp(cols[i], c->key); i++)
				;
			if (i == ncols && ncols < MAX_COLS) {
				cols[ncols] = c->key;
				width[ncols++] = strlen(c->key);
			}
		}
	}
	for (row = arr->child; row; row = row->next)
		for (c = row->child; c; c = c->next) {
			if (c->type == J_OBJ || c->type == J_ARR || !c->key)
				continue;
			scalar_text(buf, sizeof(buf), c, true);
			for (i = 0; i < ncols; i++)
				if (!strcmp(cols[i], c->key) && strlen(buf) > width[i])
					width[i] = strlen(buf);
		}
	for (i = 0; i < ncols; i++)
		fprintf(f, "%-*s%s", i + 1 < ncols ? (int)width[i] : 0, cols[i], i + 1 < ncols ? "  " : "\n");
	for (row = arr->child; row; row = row->next) {
		for (i = 0; i < ncols; i++) {
			const char *text = "-";

			for (c = row->child; c; c = c->next)
				if (c->key && !strcmp(c->key, cols[i])) {
					scalar_text(buf, sizeof(buf), c, true);
					text = buf;
					break;
				}
			fprintf(f, "%-*s%s", i + 1 < ncols ? (int)width[i] : 0, text, i + 1 < ncols ? "  " : "\n");
		}
	}
}

void j_print_table(FILE *f, struct jnode *n)
{
	const struct jnode *c;
	char buf[96];
	size_t w = 0;

	if (n->type == J_ARR) {
		print_rows(f, n);
		return;
	}
	/* scalars and one level of nested objects ("cxl.flags"), aligned */
	for (c = n->child; c; c = c->next) {
		if (c->type == J_OBJ) {
			const struct jnode *g;

			for (g = c->child; g; g = g->next)
				if (g->key && strlen(c->key) + 1 + strlen(g->key) > w)
					w = strlen(c->key) + 1 + strlen(g->key);
		} else if (c->type != J_ARR && c->key && strlen(c->key) > w) {
			w = strlen(c->key);
		}
	}
	for (c = n->child; c; c = c->next) {
		if (c->type == J_ARR)
			continue;
		if (c->type == J_OBJ) {
			const struct jnode *g;
			char name[128];

			for (g = c->child; g; g = g->next) {
				if (g->type == J_OBJ || g->type == J_ARR)
					continue;
				snprintf(name, sizeof(name), "%s.%s", c->key, g->key);
				scalar_text(buf, sizeof(buf), g, true);
				fprintf(f, "%-*s  %s\n", (int)w, name, buf);
			}
			continue;
		}
		scalar_text(buf, sizeof(buf), c, true);
		fprintf(f, "%-*s  %s\n", (int)w, c->key, buf);
	}
	for (c = n->child; c; c = c->next)
		if (c->type == J_ARR) {
			fprintf(f, "\n%s:\n", c->key);
			print_rows(f, c);
		}
}

void j_output(struct jnode *n)
{
	if (opts.table)
		j_print_table(stdout, n);
	else
		j_print(stdout, n, opts.human);
	fflush(stdout);
}
