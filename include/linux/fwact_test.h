/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fwact's entry points for test modules only. They exist in kernels built
 * with CONFIG_FWACT_TEST_HOOKS, which production kernels must not enable,
 * and are exported in the FWACT_TEST symbol namespace: a module that uses
 * one says so with MODULE_IMPORT_NS("FWACT_TEST"). The backends' own test
 * hooks (the stand-ins for their firmware calls) are declared beside the
 * calls they replace and exported in the same namespace. Backends use
 * <linux/fwact.h> alone.
 */
#ifndef _LINUX_FWACT_TEST_H
#define _LINUX_FWACT_TEST_H

#include <linux/fwact.h>

#ifdef CONFIG_FWACT_TEST_HOOKS
int fwact_test_hold(const struct fwact_step *steps, unsigned int nr_steps,
		    void *priv, enum fwact_context context, u64 budget_ns,
		    struct fwact_measure *m);
#endif

#endif /* _LINUX_FWACT_TEST_H */
