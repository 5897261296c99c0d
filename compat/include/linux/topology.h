/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's <linux/topology.h>, then fwact's shims for it (see fwact-compat.h). */
#include_next <linux/topology.h>
#define FWACT_COMPAT_TOPOLOGY
#include "../../fwact-compat.h"
