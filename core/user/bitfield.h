/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for <linux/bits.h> and <linux/bitfield.h>, with the
 * kernel's semantics (GENMASK is unsigned long; FIELD_* take a constant,
 * contiguous, nonzero mask), as Linux's tools/include/linux/bitfield.h does.
 */
#ifndef _VFIO_CXL_USER_BITFIELD_H
#define _VFIO_CXL_USER_BITFIELD_H

#include <stdint.h>

#ifndef BITS_PER_LONG
#define BITS_PER_LONG		(8 * (int)sizeof(long))
#endif
#define BIT(n)			(1UL << (n))
#define BIT_ULL(n)		(1ULL << (n))
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (63 - (h))))

#define __bf_shf(x)		__builtin_ctzll((unsigned long long)(x))

/* Compile-time check of a constant mask: nonzero and contiguous. */
#define __BF_CHECK_MASK(m)						\
	_Static_assert((m) != 0 &&					\
		       ((((unsigned long long)(m) >> __bf_shf(m)) + 1) &	\
			((unsigned long long)(m) >> __bf_shf(m))) == 0,	\
		       "bad bitfield mask")

#define FIELD_GET(mask, reg)						\
	({ __BF_CHECK_MASK(mask);					\
	   (__typeof__(mask))(((reg) & (mask)) >> __bf_shf(mask)); })
#define FIELD_PREP(mask, val)						\
	({ __BF_CHECK_MASK(mask);					\
	   ((__typeof__(mask))(val) << __bf_shf(mask)) & (mask); })
/* For static initialisers (no statement expression), as in Linux 6.12. */
#define FIELD_PREP_CONST(mask, val)					\
	(((__typeof__(mask))(val) << __bf_shf(mask)) & (mask))
#define FIELD_FIT(mask, val)						\
	({ __BF_CHECK_MASK(mask);					\
	   !((((__typeof__(mask))(val)) << __bf_shf(mask)) & ~(mask)); })
#define FIELD_MAX(mask)							\
	({ __BF_CHECK_MASK(mask); (__typeof__(mask))((mask) >> __bf_shf(mask)); })

static inline uint32_t __u32_field_prep(uint32_t field, uint32_t val)
{
	return field ? (val << __builtin_ctz(field)) & field : 0;
}

static inline uint32_t u32_replace_bits(uint32_t old, uint32_t val, uint32_t field)
{
	return (old & ~field) | __u32_field_prep(field, val);
}

static inline uint32_t u32_get_bits(uint32_t v, uint32_t field)
{
	return field ? (v & field) >> __builtin_ctz(field) : 0;
}

static inline uint32_t u32_encode_bits(uint32_t v, uint32_t field)
{
	return __u32_field_prep(field, v);
}

#endif /* _VFIO_CXL_USER_BITFIELD_H */
