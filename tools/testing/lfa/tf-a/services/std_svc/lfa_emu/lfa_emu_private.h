/*
 * Copyright (c) 2026, The fwact authors.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */

#ifndef LFA_EMU_PRIVATE_H
#define LFA_EMU_PRIVATE_H

#include <stdint.h>

/* The SiP test controls of lfa_test_smc.h, answered by the agent. */
uintptr_t lfa_emu_test_smc(uint32_t smc_fid, u_register_t x1,
			   u_register_t x2, u_register_t x3, void *handle);

#endif /* LFA_EMU_PRIVATE_H */
