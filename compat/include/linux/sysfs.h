/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's <linux/sysfs.h>, then fwact's shims for it (see fwact-compat.h). */
#include_next <linux/sysfs.h>
#define FWACT_COMPAT_SYSFS
#include "../../fwact-compat.h"
