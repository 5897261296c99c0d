/* SPDX-License-Identifier: GPL-2.0 */
/*
 * <crypto/sig.h>: Linux 6.5 added it; the kernel's header where there is
 * one, then fwact's shims for it, or in its place (see fwact-compat.h).
 */
#include <linux/version.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
#include_next <crypto/sig.h>
#endif
#define FWACT_COMPAT_SIG
#include "../../fwact-compat.h"
