/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's <linux/syscore_ops.h>, then fwact's shims for it (see fwact-compat.h). */
#include_next <linux/syscore_ops.h>
#define FWACT_COMPAT_SYSCORE
#include "../../fwact-compat.h"
