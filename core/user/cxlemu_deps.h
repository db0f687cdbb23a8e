/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxlemu_deps.h, userspace side: the few kernel types and helpers the
 * freestanding core/ code uses, mapped onto libc (model: Linux
 * lib/zstd/common/zstd_deps.h). The kernel side is core/kernel/cxlemu_deps.h.
 */
#ifndef _VFIO_CXL_CXLEMU_DEPS_H
#define _VFIO_CXL_CXLEMU_DEPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

#include "bitfield.h"

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#ifndef static_assert
#define static_assert _Static_assert
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#ifndef fallthrough
#define fallthrough	__attribute__((__fallthrough__))
#endif

/*
 * WARN_ON: a broken internal invariant. Tests and fuzzers build with
 * CXLEMU_WARN_ABORT so that one is a crash, not a log line.
 */
#ifdef CXLEMU_WARN_ABORT
#define __cxlemu_warn(f, l)	abort()
#else
#define __cxlemu_warn(f, l)	fprintf(stderr, "WARNING at %s:%d\n", f, l)
#endif
#define WARN_ON(cond)							\
	({ int __w = !!(cond); if (__w) __cxlemu_warn(__FILE__, __LINE__); __w; })
#define WARN_ON_ONCE(cond)	WARN_ON(cond)

#define min_t(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))

static inline u16 get_unaligned_le16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] | b[1] << 8);
}

static inline u32 get_unaligned_le32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
}

static inline u64 get_unaligned_le64(const void *p)
{
	const u8 *b = p;

	return (u64)get_unaligned_le32(b) | (u64)get_unaligned_le32(b + 4) << 32;
}

static inline void put_unaligned_le16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = (u8)v;
	b[1] = (u8)(v >> 8);
}

static inline void put_unaligned_le32(u32 v, void *p)
{
	u8 *b = p;

	b[0] = (u8)v;
	b[1] = (u8)(v >> 8);
	b[2] = (u8)(v >> 16);
	b[3] = (u8)(v >> 24);
}

static inline void put_unaligned_le64(u64 v, void *p)
{
	put_unaligned_le32((u32)v, p);
	put_unaligned_le32((u32)(v >> 32), (u8 *)p + 4);
}

#endif /* _VFIO_CXL_CXLEMU_DEPS_H */
