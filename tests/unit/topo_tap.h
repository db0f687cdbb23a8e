/* SPDX-License-Identifier: MIT */
/* A few TAP helpers for the lib/topo tests: one "ok N - name" per case. */
#ifndef TOPO_TAP_H
#define TOPO_TAP_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

static inline void tap_plan(int n)
{
	printf("1..%d\n", n);
}

/* Report one case; on failure print what was expected and what came. */
static inline int tap_ok(int cond, const char *name, const char *fmt_expected_actual)
{
	tap_n++;
	if (cond) {
		printf("ok %d - %s\n", tap_n, name);
	} else {
		tap_failed++;
		printf("not ok %d - %s\n", tap_n, name);
		if (fmt_expected_actual)
			printf("#   %s\n", fmt_expected_actual);
	}
	fflush(stdout);
	return cond;
}

#define TAP_EQ_U64(name, exp, act) do {						\
	char _m[256];								\
	unsigned long long _e = (exp), _a = (act);				\
	snprintf(_m, sizeof(_m), "%s: expected 0x%llx, actual 0x%llx", #act, _e, _a); \
	tap_ok(_e == _a, name, _m);						\
} while (0)

#define TAP_EQ_INT(name, exp, act) do {						\
	char _m[256];								\
	long long _e = (exp), _a = (act);					\
	snprintf(_m, sizeof(_m), "%s: expected %lld, actual %lld", #act, _e, _a); \
	tap_ok(_e == _a, name, _m);						\
} while (0)

#define TAP_HAS(name, hay, needle) do {						\
	char _m[2048];								\
	const char *_h = (hay), *_n = (needle);					\
	snprintf(_m, sizeof(_m), "expected text containing '%s', actual '%.500s'", _n, _h ? _h : "(null)"); \
	tap_ok(_h && strstr(_h, _n) != NULL, name, _m);				\
} while (0)

static inline int tap_exit(void)
{
	return tap_failed ? 1 : 0;
}

#endif
