/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's <linux/mm.h>, then fwact's shims for it (see fwact-compat.h). */
#include_next <linux/mm.h>
#define FWACT_COMPAT_MM
#include "../../fwact-compat.h"
