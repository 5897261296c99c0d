/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's <linux/preempt.h>, then fwact's shims for it (see fwact-compat.h). */
#include_next <linux/preempt.h>
#define FWACT_COMPAT_PREEMPT
#include "../../fwact-compat.h"
