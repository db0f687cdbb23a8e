/* SPDX-License-Identifier: MIT */
/*
 * Minimal TAP for the core/ unit tests: one "ok N - name" per case, the
 * failed expression and its values as diagnostics, the plan at the end.
 */
#ifndef CORE_TAP_H
#define CORE_TAP_H

#include <stdio.h>
#include <stdarg.h>

static int tap_count, tap_failed;

static inline int tap_result(int pass, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return pass;
}

/* Diagnostics for the case being evaluated; printed only when it fails. */
static char tap_diag[4096];
static int tap_diag_len;

static inline void tap_note(const char *fmt, ...)
{
	va_list ap;

	if (tap_diag_len >= (int)sizeof(tap_diag) - 1)
		return;
	va_start(ap, fmt);
	tap_diag_len += vsnprintf(tap_diag + tap_diag_len, sizeof(tap_diag) - tap_diag_len,
				  fmt, ap);
	va_end(ap);
	if (tap_diag_len > (int)sizeof(tap_diag) - 1)
		tap_diag_len = sizeof(tap_diag) - 1;
}

static inline void tap_flush(int pass)
{
	if (!pass && tap_diag_len)
		printf("%s", tap_diag);
	tap_diag_len = 0;
	tap_diag[0] = 0;
}

/* Inside a case: record a failed expectation, keep going. */
#define EXPECT_EQ(ok, a, b)						\
	do {								\
		unsigned long long _a = (unsigned long long)(a);	\
		unsigned long long _b = (unsigned long long)(b);	\
		if (_a != _b) {						\
			(ok) = 0;					\
			tap_note("#   %s:%d: %s == %s: got %#llx (%lld), want %#llx (%lld)\n", \
				 __FILE__, __LINE__, #a, #b, _a, (long long)_a, _b, (long long)_b); \
		}							\
	} while (0)

/* A one-expression case. */
#define TAP_CHECK(name, expr)						\
	do {								\
		int _p = !!(expr);					\
		tap_result(_p, "%s", name);				\
		if (!_p)						\
			printf("#   %s:%d: %s\n", __FILE__, __LINE__, #expr); \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif
