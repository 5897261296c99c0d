/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <asm/cpuid/api.h>: 7.2 has cpuid_eax() and its kind here, 6.12 and
 * older in <asm/processor.h> (see fwact-compat.h).
 */
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#include_next <asm/cpuid/api.h>
#else
#include <asm/processor.h>
#endif
