/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's <asm/msr.h>, then fwact's shims for it (see fwact-compat.h). */
#include_next <asm/msr.h>
#define FWACT_COMPAT_MSR
#include "../../fwact-compat.h"
