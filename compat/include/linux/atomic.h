/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's <linux/atomic.h>, then fwact's shims for it (see fwact-compat.h). */
#include_next <linux/atomic.h>
#define FWACT_COMPAT_ATOMIC
#include "../../fwact-compat.h"
