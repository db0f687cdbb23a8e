// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * QEMU option values, in both of QEMU's syntaxes, flattened into one list of
 * dotted keys: "cxl-fmw.0.targets.0=cxl.1" from the key=value form and
 * {"cxl-fmw":[{"targets":["cxl.1"]}]} from the JSON form give the same key.
 * Everything here is user input: bounded, and every error quotes the text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "topo-internal.h"

#define KV_MAX_PAIRS	1024
#define JSON_MAX_DEPTH	16
#define KEY_MAX		256

void topo_kv_free(struct topo_kvlist *l)
{
	for (unsigned int i = 0; i < l->n; i++) {
		free(l->kv[i].key);
		free(l->kv[i].val);
	}
	free(l->kv);
	l->kv = NULL;
	l->n = l->cap = 0;
}

const char *topo_kv_get(const struct topo_kvlist *l, const char *key)
{
	/* QemuOpts semantics: the last occurrence wins */
	for (unsigned int i = l->n; i-- > 0;)
		if (!strcmp(l->kv[i].key, key))
			return l->kv[i].val;
	return NULL;
}

static int kv_add(struct topo_kvlist *l, char *key, char *val)
{
	if (!key || !val || l->n >= KV_MAX_PAIRS)
		goto fail;
	if (l->n == l->cap) {
		unsigned int cap = l->cap ? l->cap * 2 : 16;
		struct topo_kv *kv = realloc(l->kv, cap * sizeof(*kv));

		if (!kv)
			goto fail;
		l->kv = kv;
		l->cap = cap;
	}
	l->kv[l->n].key = key;
	l->kv[l->n].val = val;
	l->n++;
	return 0;
fail:
	free(key);
	free(val);
	return -ENOMEM;
}

/* ---- key=value (QemuOpts): "drv,a=1,b=x,,y,flag" ------------------------ */

static int kv_parse_opts(struct vfiocxl_topo *t, const char *opt, const char *text,
			 const char *implied, struct topo_kvlist *out)
{
	const char *p = text;
	bool first = true;

	if (!*text)
		return topo_err(t, -EINVAL, "-%s '': empty value", opt);
	while (*p) {
		/* one item, with ",," standing for a literal comma */
		size_t n = strlen(p);
		char *item = malloc(n + 1);
		size_t k = 0;
		char *eq;
		int rc;

		if (!item)
			return -ENOMEM;
		while (*p) {
			if (*p == ',') {
				if (p[1] == ',') {
					item[k++] = ',';
					p += 2;
					continue;
				}
				break;
			}
			item[k++] = *p++;
		}
		item[k] = '\0';
		if (*p == ',')
			p++;
		eq = strchr(item, '=');
		if (first && implied && !eq) {
			rc = kv_add(out, topo_strdup(implied), item);
		} else if (!eq) {
			if (!*item) {
				free(item);
				if (!*p)	/* a trailing comma is harmless */
					break;
				return topo_err(t, -EINVAL, "-%s '%s': empty parameter", opt, text);
			}
			/* QemuOpts: a bare "flag" means flag=on */
			rc = kv_add(out, item, topo_strdup("on"));
		} else {
			if (eq == item) {
				free(item);
				return topo_err(t, -EINVAL, "-%s '%s': parameter with no name", opt, text);
			}
			if (eq - item >= KEY_MAX) {
				free(item);
				return topo_err(t, -EINVAL, "-%s '%s': parameter name too long", opt, text);
			}
			rc = kv_add(out, topo_strndup(item, eq - item), topo_strdup(eq + 1));
			free(item);
		}
		if (rc)
			return rc == -ENOMEM && out->n >= KV_MAX_PAIRS ?
				topo_err(t, -E2BIG, "-%s '%.64s...': too many parameters", opt, text) : rc;
		first = false;
	}
	return 0;
}

/* ---- JSON: {"driver":"vfio-pci","host":"0000:01:00.0"} -------------------- */

struct json {
	struct vfiocxl_topo *t;
	const char *opt, *text, *p;
	struct topo_kvlist *out;
};

static int json_fail(struct json *j, const char *what)
{
	return topo_err(j->t, -EINVAL, "-%s '%s': %s at offset %zu", j->opt, j->text,
			what, (size_t)(j->p - j->text));
}

static void json_ws(struct json *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static int json_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int json_string(struct json *j, char **res)
{
	size_t cap = strlen(j->p) + 1, k = 0;
	char *s;

	if (*j->p != '"')
		return json_fail(j, "expected a string");
	j->p++;
	s = malloc(cap);
	if (!s)
		return -ENOMEM;
	for (;;) {
		unsigned char c = *j->p;

		if (!c) {
			free(s);
			return json_fail(j, "unterminated string");
		}
		if (c < 0x20) {
			free(s);
			return json_fail(j, "control character in string");
		}
		j->p++;
		if (c == '"')
			break;
		if (c != '\\') {
			s[k++] = c;
			continue;
		}
		c = *j->p++;
		switch (c) {
		case '"': case '\\': case '/':
			s[k++] = c;
			break;
		case 'b': s[k++] = '\b'; break;
		case 'f': s[k++] = '\f'; break;
		case 'n': s[k++] = '\n'; break;
		case 'r': s[k++] = '\r'; break;
		case 't': s[k++] = '\t'; break;
		case 'u': {
			int v = 0;

			for (int i = 0; i < 4; i++) {
				int h = json_hex(j->p[i]);

				if (h < 0) {
					free(s);
					return json_fail(j, "bad \\u escape");
				}
				v = v * 16 + h;
			}
			j->p += 4;
			if (v == 0) {
				free(s);
				return json_fail(j, "NUL in string");
			}
			/* ids and paths are ASCII; anything else is kept as '?' */
			s[k++] = v < 0x80 ? (char)v : '?';
			break;
		}
		default:
			free(s);
			j->p--;
			return json_fail(j, "bad escape");
		}
	}
	s[k] = '\0';
	*res = s;
	return 0;
}

static char *json_key(const char *prefix, const char *name)
{
	size_t lp = strlen(prefix), ln = strlen(name), o = 0;
	char *k;

	if (lp + ln + 2 > KEY_MAX)
		return NULL;
	k = malloc(lp + ln + 2);
	if (!k)
		return NULL;
	memcpy(k, prefix, lp);
	o = lp;
	if (lp)
		k[o++] = '.';
	memcpy(k + o, name, ln + 1);
	return k;
}

static int json_value(struct json *j, const char *key, int depth);

static int json_container(struct json *j, const char *key, int depth, bool obj)
{
	unsigned int idx = 0;
	char close = obj ? '}' : ']';

	if (depth > JSON_MAX_DEPTH)
		return json_fail(j, "nested too deeply");
	j->p++;
	json_ws(j);
	if (*j->p == close) {
		j->p++;
		return 0;
	}
	for (;;) {
		char *name = NULL, *sub;
		char num[16];
		int rc;

		json_ws(j);
		if (obj) {
			rc = json_string(j, &name);
			if (rc)
				return rc;
			if (!*name || strchr(name, '.') || strchr(name, '=') || strchr(name, ',')) {
				free(name);
				return json_fail(j, "bad member name");
			}
			json_ws(j);
			if (*j->p != ':') {
				free(name);
				return json_fail(j, "expected ':'");
			}
			j->p++;
		} else {
			snprintf(num, sizeof(num), "%u", idx);
			name = topo_strdup(num);
			if (!name)
				return -ENOMEM;
		}
		sub = json_key(key, name);
		free(name);
		if (!sub)
			return json_fail(j, "key too long");
		rc = json_value(j, sub, depth + 1);
		free(sub);
		if (rc)
			return rc;
		idx++;
		json_ws(j);
		if (*j->p == ',') {
			j->p++;
			continue;
		}
		if (*j->p == close) {
			j->p++;
			return 0;
		}
		return json_fail(j, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int json_value(struct json *j, const char *key, int depth)
{
	const char *start;
	char *val;
	int rc;

	json_ws(j);
	switch (*j->p) {
	case '{':
		return json_container(j, key, depth, true);
	case '[':
		return json_container(j, key, depth, false);
	case '"':
		rc = json_string(j, &val);
		if (rc)
			return rc;
		break;
	default:
		if (!*key)
			return json_fail(j, "expected an object");
		start = j->p;
		if (!strncmp(j->p, "true", 4)) {
			j->p += 4;
			val = topo_strdup("on");
		} else if (!strncmp(j->p, "false", 5)) {
			j->p += 5;
			val = topo_strdup("off");
		} else if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) {
			j->p++;
			while ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' ||
			       *j->p == 'e' || *j->p == 'E' || *j->p == '+' || *j->p == '-')
				j->p++;
			val = topo_strndup(start, j->p - start);
		} else {
			return json_fail(j, "expected a value");
		}
		if (!val)
			return -ENOMEM;
	}
	if (!*key) {
		free(val);
		return json_fail(j, "expected an object");
	}
	rc = kv_add(j->out, topo_strdup(key), val);
	if (rc)
		return json_fail(j, "too many parameters");
	return 0;
}

int topo_kv_parse(struct vfiocxl_topo *t, const char *opt, const char *text,
		  const char *implied, struct topo_kvlist *out)
{
	const char *p = text;
	int rc;

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p == '{') {
		struct json j = { .t = t, .opt = opt, .text = text, .p = p, .out = out };

		rc = json_value(&j, "", 0);
		if (rc)
			goto fail;
		json_ws(&j);
		if (*j.p) {
			rc = json_fail(&j, "trailing text");
			goto fail;
		}
		return 0;
	}
	rc = kv_parse_opts(t, opt, text, implied, out);
	if (!rc)
		return 0;
fail:
	topo_kv_free(out);
	return rc;
}
