/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The firmware-call boundary of the fwact microcode backend: every MSR and
 * CPUID access the backend makes goes through the three operations below.
 * A production build has exactly one implementation, the real MSRs. Only
 * a kernel built with CONFIG_FWACT_TEST_HOOKS lets a test module (the
 * emulated microcode engine under tools/testing/selftests/microcode/)
 * install its own operations; without that option the override does not
 * exist and nothing can redirect the backend's firmware calls.
 */
#ifndef _FWACT_UCODE_HW_H
#define _FWACT_UCODE_HW_H

#include <linux/types.h>

#include "ucode_parse.h"

struct module;

/**
 * struct fwact_ucode_id - what a CPU says about itself
 * @vendor: whose microcode it takes
 * @sig: CPUID(1).EAX
 * @pf: platform-id bit, 1 << MSR_IA32_PLATFORM_ID[52:50] (Intel family 6
 *	model >= 5 or later), otherwise 0
 * @rev: microcode revision it runs now
 * @llc_per_core: bytes of last-level cache per core of its package (Intel
 *	erratum BDX90 depends on it), 0 if unknown
 */
struct fwact_ucode_id {
	enum ucode_vendor vendor;
	u32 sig;
	u32 pf;
	u32 rev;
	u32 llc_per_core;
};

/**
 * struct fwact_ucode_hw_ops - the backend's firmware calls
 * @owner: module providing them; pinned while an activation uses them
 * @identify: fill @id for the calling CPU. Called through a cross-call
 *	(interrupts off) in process context's stead; must not sleep.
 * @rev_read: return the calling CPU's microcode revision. Called with the
 *	CPUs held and interrupts off: no locks, allocation or printing.
 * @load: ask the calling CPU's microcode engine to load a patch: @patch is
 *	its first byte (Intel: the 48-byte header; AMD: the patch header),
 *	@size its length; the memory stays valid and unchanged until the
 *	activation ends. Called on the first thread of each core with the
 *	CPUs held and interrupts off. Returns 0 if the engine took the
 *	request (whether it loaded is seen in the revision), -EIO if the
 *	write faulted. Also called, interrupts off, on a CPU that comes online
 *	or resumes running an older revision than fwact loaded.
 * @prepared: optional, NULL in the real calls: called in process context
 *	at the end of a successful prepare, the CPU hotplug lock held for
 *	reading; may sleep (the emulated engine widens the window between
 *	prepare and the rendezvous with it)
 * @parking: optional, NULL in the real calls and called only in test
 *	builds: on an SMT sibling in the load step, interrupts off, before it
 *	parks in NMI context for its core's load; false means "do not send
 *	the NMI" (the emulated engine delays or loses a sibling's park with
 *	it). Same rules as @rev_read.
 * @nmi_wait_ms: optional, NULL in the real calls and called only in test
 *	builds, in prepare: how long a parked sibling waits for its primary
 *	before it gives up, instead of 30 s; 0 keeps 30 s (the emulated
 *	engine shortens it to show that a sibling does give up)
 */
struct fwact_ucode_hw_ops {
	struct module *owner;
	void (*identify)(struct fwact_ucode_id *id);
	u32 (*rev_read)(enum ucode_vendor vendor);
	int (*load)(enum ucode_vendor vendor, const void *patch, size_t size);
	void (*prepared)(void);
	bool (*parking)(void);
	u32 (*nmi_wait_ms)(void);
};

const struct fwact_ucode_hw_ops *fwact_ucode_hw_native(void);

/* Test builds only; exported in the FWACT_TEST namespace. */
#ifdef CONFIG_FWACT_TEST_HOOKS
int fwact_ucode_hw_override(const struct fwact_ucode_hw_ops *ops);
bool fwact_ucode_test_parked(unsigned int cpu);
#endif

#endif /* _FWACT_UCODE_HW_H */
