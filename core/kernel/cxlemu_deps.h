/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cxlemu_deps.h, kernel side: core/ code is built with -I core/kernel -I core
 * and gets everything from the kernel's own headers.
 */
#ifndef _VFIO_CXL_CXLEMU_DEPS_H
#define _VFIO_CXL_CXLEMU_DEPS_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/bitfield.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#endif /* _VFIO_CXL_CXLEMU_DEPS_H */
