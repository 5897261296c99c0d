/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <kunit/visibility.h>: Linux 6.2 added it. Older kernels have no KUnit
 * suites of fwact's (CONFIG_KUNIT is off in Debian's 6.1), so the symbols
 * it would export for them stay local.
 */
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#include_next <kunit/visibility.h>
#else
#define VISIBLE_IF_KUNIT static
#define EXPORT_SYMBOL_IF_KUNIT(symbol)
#endif
