/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's <linux/slab.h>, then fwact's shims for it (see fwact-compat.h). */
#include_next <linux/slab.h>
#define FWACT_COMPAT_SLAB
#include "../../fwact-compat.h"
