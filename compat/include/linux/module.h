/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's <linux/module.h>, then fwact's shims for it (see fwact-compat.h). */
#include_next <linux/module.h>
#define FWACT_COMPAT_MODULE
#include "../../fwact-compat.h"
