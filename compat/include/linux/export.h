/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's <linux/export.h>, then fwact's shims for it (see fwact-compat.h). */
#include_next <linux/export.h>
#define FWACT_COMPAT_EXPORT
#include "../../fwact-compat.h"
