/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <linux/unaligned.h>: Linux 6.12 moved it from <asm/unaligned.h>; older
 * kernels get the old header (see fwact-compat.h).
 */
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include_next <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif
