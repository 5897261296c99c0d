/*
 * Copyright (c) 2026, The fwact authors.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */

/*
 * The SiP service of the emulated LFA agent's test controls
 * (lfa_test_smc.h: SMC64 fast calls 0xC2000F00..0xC2000F03). PLAT=qemu has
 * no SiP service of its own, so this one owns OEN 2; every other SiP call
 * is unknown.
 */

#include <stdint.h>

#include <common/debug.h>
#include <common/runtime_svc.h>
#include <lib/smccc.h>
#include <smccc_helpers.h>

#include "lfa_emu_private.h"
#include "lfa_test_smc.h"

static uintptr_t lfa_emu_sip_handler(uint32_t smc_fid, u_register_t x1,
				     u_register_t x2, u_register_t x3,
				     u_register_t x4, void *cookie,
				     void *handle, u_register_t flags)
{
	if (!is_caller_non_secure(flags)) {
		SMC_RET1(handle, SMC_UNK);
	}

	switch (smc_fid) {
	case LFA_TEST_RESET:
	case LFA_TEST_SET:
	case LFA_TEST_GET:
	case LFA_TEST_NOTIFY:
		return lfa_emu_test_smc(smc_fid, x1, x2, x3, handle);
	default:
		VERBOSE("LFA emu: unknown SiP call 0x%x\n", smc_fid);
		SMC_RET1(handle, SMC_UNK);
	}
}

DECLARE_RT_SVC(
	lfa_emu_sip,

	OEN_SIP_START,
	OEN_SIP_END,
	SMC_TYPE_FAST,
	NULL,
	lfa_emu_sip_handler
);
