/*
 * Copyright (c) 2026, The fwact authors.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */

/*
 * fwact's emulated Live Firmware Activation agent (Arm DEN0147): the seven
 * LFA calls of the Standard Secure Service, answered by a model of an agent
 * whose components exist only as state, and the SiP test controls that
 * shape what the model answers next (tools/testing/selftests/lfa/
 * lfa_test_smc.h in fwact). Test firmware only: built with LFA_EMU=1.
 */

#ifndef LFA_EMU_SVC_H
#define LFA_EMU_SVC_H

#include <stdbool.h>
#include <stdint.h>

#include <lib/utils_def.h>

/* SMC64, fast, Standard Secure Service (OEN 4), functions 0x2E0..0x2E6. */
#define LFA_EMU_VERSION			U(0xC40002E0)
#define LFA_EMU_FEATURES		U(0xC40002E1)
#define LFA_EMU_GET_INFO		U(0xC40002E2)
#define LFA_EMU_GET_INVENTORY		U(0xC40002E3)
#define LFA_EMU_PRIME			U(0xC40002E4)
#define LFA_EMU_ACTIVATE		U(0xC40002E5)
#define LFA_EMU_CANCEL			U(0xC40002E6)

#ifndef __ASSEMBLER__

static inline bool is_lfa_emu_fid(uint32_t smc_fid)
{
	return (smc_fid >= LFA_EMU_VERSION) && (smc_fid <= LFA_EMU_CANCEL);
}

int32_t lfa_emu_setup(void);
uintptr_t lfa_emu_smc_handler(uint32_t smc_fid, u_register_t x1,
			      u_register_t x2, u_register_t x3,
			      u_register_t x4, void *cookie, void *handle,
			      u_register_t flags);

#endif /* __ASSEMBLER__ */
#endif /* LFA_EMU_SVC_H */
