/*
 * Copyright (c) 2026, The fwact authors.
 *
 * SPDX-License-Identifier: BSD-3-Clause
 */

/*
 * fwact's emulated LFA agent: the seven DEN0147 calls answered from a table
 * of components that exist only as state (GUID, flags, current and pending
 * version, priming state), with a holding pen for the CPU rendezvous of
 * ACTIVATE that gives up after a timeout. The SiP test controls in
 * lfa_emu_sip.c shape what the next calls answer. See README.rst in fwact's
 * tools/testing/lfa/tf-a/ for the model.
 *
 * Concurrency: every CPU may call at once. All state is guarded by one
 * spinlock, which is never held while a CPU waits in the pen: a waiting CPU
 * polls its own pen slot and the generic timer, and takes the lock only to
 * read its answer or to end a round that has timed out.
 */

#include <stdbool.h>
#include <stdint.h>

#include <arch.h>
#include <arch_helpers.h>
#include <common/debug.h>
#include <lib/mmio.h>
#include <lib/psci/psci.h>
#include <lib/spinlock.h>
#include <lib/utils_def.h>
#include <plat/common/platform.h>
#include <platform_def.h>
#include <services/lfa_emu_svc.h>
#include <smccc_helpers.h>

#include "lfa_emu_private.h"
#include "lfa_test_smc.h"

/* Return codes (x0) of the LFA calls. */
#define LFA_SUCCESS			0
#define LFA_NOT_SUPPORTED		(-1)
#define LFA_BUSY			(-2)
#define LFA_WRONG_STATE			(-7)
#define LFA_INVALID_PARAMETERS		(-8)
#define LFA_COMPONENT_WRONG_STATE	(-9)
#define LFA_ACTIVATION_FAILED		(-11)

/* LFA_VERSION: bits [30:16] major, [15:0] minor. */
#define LFA_EMU_VERSION_1_0		U(0x10000)

/* GET_INVENTORY x3 flags. */
#define LFA_FLAG_CAPABLE		BIT_64(0)
#define LFA_FLAG_PENDING		BIT_64(1)
#define LFA_FLAG_MAY_RESET		BIT_64(2)
#define LFA_FLAG_RENDEZVOUS_OPTIONAL	BIT_64(3)

/* PRIME and ACTIVATE x1 output, ACTIVATE x2 input. */
#define LFA_CALL_AGAIN			ULL(1)
#define LFA_SKIP_CPU_RENDEZVOUS		ULL(1)

#define LFA_EMU_NONE			(-1)
#define LFA_EMU_PEN_TIMEOUT_MS		U(1000)
#define LFA_EMU_PEN_TIMEOUT_MAX_MS	U(600000)

#define LFA_EMU_VER(maj, min)		(((uint64_t)(maj) << 32) | (min))

CASSERT(PLATFORM_CORE_COUNT <= 64, lfa_emu_cpu_mask_fits_u64);

/* What a component is; fixed. */
struct lfa_emu_desc {
	uint8_t guid[16];
	bool capable;
	bool rendezvous_required;
	bool may_reset_cpu;
	bool present;
	uint64_t version;
};

/* The component table of lfa_test_smc.h, in its order. */
static const struct lfa_emu_desc lfa_emu_desc[LFA_TEST_NR_COMPONENTS] = {
	/* RMM 6c0762a6-12f2-4b56-92cb-ba8f633606d9 */
	{
		.guid = { 0x6c, 0x07, 0x62, 0xa6, 0x12, 0xf2, 0x4b, 0x56,
			  0x92, 0xcb, 0xba, 0x8f, 0x63, 0x36, 0x06, 0xd9 },
		.capable = true, .rendezvous_required = true,
		.present = true, .version = LFA_EMU_VER(1, 0),
	},
	/* SP1 f07b2a96-1d47-4d17-9ec8-86a64e253e5c */
	{
		.guid = { 0xf0, 0x7b, 0x2a, 0x96, 0x1d, 0x47, 0x4d, 0x17,
			  0x9e, 0xc8, 0x86, 0xa6, 0x4e, 0x25, 0x3e, 0x5c },
		.capable = true, .rendezvous_required = false,
		.present = true, .version = LFA_EMU_VER(1, 0),
	},
	/* BL31 47d4086d-4cfe-9846-9b95-2950cbbd5a00 */
	{
		.guid = { 0x47, 0xd4, 0x08, 0x6d, 0x4c, 0xfe, 0x98, 0x46,
			  0x9b, 0x95, 0x29, 0x50, 0xcb, 0xbd, 0x5a, 0x00 },
		.capable = true, .rendezvous_required = true,
		.may_reset_cpu = true,
		.present = true, .version = LFA_EMU_VER(2, 12),
	},
	/* BL33 d6d0eea7-fcea-d54b-9782-9934f234b6e4 */
	{
		.guid = { 0xd6, 0xd0, 0xee, 0xa7, 0xfc, 0xea, 0xd5, 0x4b,
			  0x97, 0x82, 0x99, 0x34, 0xf2, 0x34, 0xb6, 0xe4 },
		.capable = false, .rendezvous_required = true,
		.present = true, .version = LFA_EMU_VER(6, 1),
	},
	/* unknown 0b5c6a44-0f9e-4c2b-8a1e-fa57c0de0004 */
	{
		.guid = { 0x0b, 0x5c, 0x6a, 0x44, 0x0f, 0x9e, 0x4c, 0x2b,
			  0x8a, 0x1e, 0xfa, 0x57, 0xc0, 0xde, 0x00, 0x04 },
		.capable = true, .rendezvous_required = true,
		.present = false, .version = LFA_EMU_VER(1, 0),
	},
};

/* What a component is now, and what the tests asked of it. */
struct lfa_emu_comp {
	bool present;
	bool pending;
	bool vanish;
	uint64_t version;
	uint64_t pending_version;
	uint64_t prime_again;
	uint64_t activate_again;
	uint64_t activate_busy;
	int64_t prime_err;
	int64_t activate_err;
	int64_t cancel_err;
	uint64_t primes;
	uint64_t activates;
	uint64_t cancels;
	uint64_t activations;
	uint64_t last_cpus;
	uint64_t last_skip;
	uint64_t rounds;
};

enum lfa_emu_prime_status {
	LFA_EMU_PRIME_NONE,
	LFA_EMU_PRIME_STARTED,
	LFA_EMU_PRIME_COMPLETE,
};

/* The one component being primed or primed, system-wide. */
struct lfa_emu_slot {
	int comp;
	enum lfa_emu_prime_status status;
};

/* The rendezvous round of ACTIVATE that CPUs are entering. */
struct lfa_emu_round {
	bool active;
	int comp;
	unsigned int expected;
	unsigned int entered;
	uint64_t mask;
	uint64_t deadline;
	int64_t err;		/* an injected error the round answers, or 0 */
};

/* A CPU's place in the holding pen and the answer it leaves with. */
struct lfa_emu_pen {
	volatile uint32_t waiting;
	uint64_t x0;
	uint64_t x1;
};

static spinlock_t lfa_emu_lock;
static struct lfa_emu_comp lfa_emu_comp[LFA_TEST_NR_COMPONENTS];
/*
 * The inventory order: component indices; sequence id = position among
 * the present ones.
 */
static int lfa_emu_order[LFA_TEST_NR_COMPONENTS];
static bool lfa_emu_shuffle;
static uint64_t lfa_emu_pen_timeout_ms;
static struct lfa_emu_slot lfa_emu_slot;
static struct lfa_emu_round lfa_emu_round;
static struct lfa_emu_pen lfa_emu_pen[PLATFORM_CORE_COUNT];

static uint64_t lfa_emu_guid_word(const uint8_t *b)
{
	uint64_t v = 0;
	unsigned int i;

	/* A little-endian load of 8 bytes of the uuid, as TF-A's memcpy. */
	for (i = 0U; i < 8U; i++) {
		v |= (uint64_t)b[i] << (8U * i);
	}
	return v;
}

static uint64_t lfa_emu_now(void)
{
	isb();
	return read_cntpct_el0();
}

/* Called with the lock held, or before any CPU can call. */
static void lfa_emu_reset_locked(void)
{
	unsigned int i;

	for (i = 0U; i < LFA_TEST_NR_COMPONENTS; i++) {
		struct lfa_emu_comp *c = &lfa_emu_comp[i];

		*c = (struct lfa_emu_comp){ 0 };
		c->present = lfa_emu_desc[i].present;
		c->version = lfa_emu_desc[i].version;
		lfa_emu_order[i] = (int)i;
	}
	lfa_emu_shuffle = false;
	lfa_emu_pen_timeout_ms = LFA_EMU_PEN_TIMEOUT_MS;
	lfa_emu_slot.comp = LFA_EMU_NONE;
	lfa_emu_slot.status = LFA_EMU_PRIME_NONE;
}

/* The number of components in the inventory. */
static unsigned int lfa_emu_count(void)
{
	unsigned int i, n = 0U;

	for (i = 0U; i < LFA_TEST_NR_COMPONENTS; i++) {
		if (lfa_emu_comp[i].present) {
			n++;
		}
	}
	return n;
}

/*
 * The component at sequence id @seq, or LFA_EMU_NONE with *err set: no
 * component at all is LFA_WRONG_STATE, @seq past the end
 * LFA_INVALID_PARAMETERS.
 */
static int lfa_emu_seq_comp(u_register_t seq, int64_t *err)
{
	unsigned int i;
	u_register_t n = 0U;

	if (lfa_emu_count() == 0U) {
		*err = LFA_WRONG_STATE;
		return LFA_EMU_NONE;
	}
	for (i = 0U; i < LFA_TEST_NR_COMPONENTS; i++) {
		int c = lfa_emu_order[i];

		if (!lfa_emu_comp[c].present) {
			continue;
		}
		if (n == seq) {
			return c;
		}
		n++;
	}
	*err = LFA_INVALID_PARAMETERS;
	return LFA_EMU_NONE;
}

/* Forget the priming of component @c, if it is the one primed. */
static void lfa_emu_unprime_locked(int c)
{
	if (lfa_emu_slot.comp == c) {
		lfa_emu_slot.comp = LFA_EMU_NONE;
		lfa_emu_slot.status = LFA_EMU_PRIME_NONE;
	}
}

/*
 * The CPUs that PSCI has running: each must enter a rendezvous. Only
 * PLAT=qemu's topology (clusters of PLATFORM_MAX_CPUS_PER_CLUSTER) is
 * known here.
 */
static unsigned int lfa_emu_cpus_running(void)
{
	u_register_t cl, core;
	unsigned int n = 0U;

	for (cl = 0U; cl < PLATFORM_CLUSTER_COUNT; cl++) {
		for (core = 0U; core < PLATFORM_MAX_CPUS_PER_CLUSTER; core++) {
			u_register_t mpidr = (cl << MPIDR_AFF1_SHIFT) |
					     (core << MPIDR_AFF0_SHIFT);

			if (psci_affinity_info(mpidr, MPIDR_AFFLVL0) ==
			    (int)AFF_STATE_ON) {
				n++;
			}
		}
	}
	return n;
}

/*
 * End the current round: every CPU that entered leaves with @x0, @x1.
 * Called with the lock held.
 */
static void lfa_emu_round_end_locked(uint64_t x0, uint64_t x1)
{
	struct lfa_emu_comp *c = &lfa_emu_comp[lfa_emu_round.comp];
	unsigned int i;

	for (i = 0U; i < PLATFORM_CORE_COUNT; i++) {
		if ((lfa_emu_round.mask & BIT_64(i)) == 0U) {
			continue;
		}
		lfa_emu_pen[i].x0 = x0;
		lfa_emu_pen[i].x1 = x1;
		lfa_emu_pen[i].waiting = 0U;
	}
	c->rounds++;
	c->last_cpus = lfa_emu_round.mask;
	lfa_emu_round.active = false;
	dsbish();
}

/* A test reset ends a round that CPUs wait in: they fail. */
static void lfa_emu_abort_round_locked(void)
{
	if (lfa_emu_round.active) {
		lfa_emu_round_end_locked((uint64_t)LFA_ACTIVATION_FAILED, 0U);
	}
}

static void lfa_emu_reverse_order(void)
{
	unsigned int i;

	for (i = 0U; i < (LFA_TEST_NR_COMPONENTS / 2U); i++) {
		int t = lfa_emu_order[i];

		lfa_emu_order[i] = lfa_emu_order[LFA_TEST_NR_COMPONENTS - 1U - i];
		lfa_emu_order[LFA_TEST_NR_COMPONENTS - 1U - i] = t;
	}
}

/*
 * What a round of ACTIVATE of component @ci answers, once every CPU it
 * needs is there: an injected error, BUSY or CALL_AGAIN while the tests
 * asked for them, else the activation itself.
 */
static void lfa_emu_outcome_locked(int ci, int64_t err, uint64_t *x0,
				   uint64_t *x1)
{
	struct lfa_emu_comp *c = &lfa_emu_comp[ci];

	*x1 = 0U;
	if (err != 0) {
		*x0 = (uint64_t)err;
		return;
	}
	if (c->activate_busy != 0U) {
		c->activate_busy--;
		*x0 = (uint64_t)LFA_BUSY;
		return;
	}
	if (c->activate_again != 0U) {
		c->activate_again--;
		*x0 = LFA_SUCCESS;
		*x1 = LFA_CALL_AGAIN;
		return;
	}
	c->version = c->pending_version;
	c->pending = false;
	c->pending_version = 0U;
	c->activations++;
	lfa_emu_unprime_locked(ci);
	if (c->vanish) {
		c->vanish = false;
		c->present = false;
	}
	if (lfa_emu_shuffle) {
		lfa_emu_shuffle = false;
		lfa_emu_reverse_order();
	}
	*x0 = LFA_SUCCESS;
}

/* Whether component @ci can be activated now, as a first caller. */
static int64_t lfa_emu_activate_check(int ci, bool skip)
{
	const struct lfa_emu_desc *d = &lfa_emu_desc[ci];

	if (!d->capable) {
		return LFA_NOT_SUPPORTED;
	}
	if (skip && d->rendezvous_required) {
		return LFA_INVALID_PARAMETERS;
	}
	if (!lfa_emu_comp[ci].pending) {
		return LFA_COMPONENT_WRONG_STATE;
	}
	if ((lfa_emu_slot.comp != LFA_EMU_NONE) && (lfa_emu_slot.comp != ci)) {
		return LFA_INVALID_PARAMETERS;
	}
	if ((lfa_emu_slot.comp != ci) ||
	    (lfa_emu_slot.status != LFA_EMU_PRIME_COMPLETE)) {
		return LFA_COMPONENT_WRONG_STATE;
	}
	/* No warm reset with ep_address/context_id in this model. */
	if (d->may_reset_cpu) {
		return LFA_NOT_SUPPORTED;
	}
	return LFA_SUCCESS;
}

/*
 * LFA_ACTIVATE on this CPU. A skip-rendezvous call is a round of its own.
 * Otherwise the first CPU opens a round that expects every running CPU;
 * each waits in the pen until the last one arrives, which decides the
 * round's answer for all, or until the round's deadline, when every CPU
 * that entered fails with LFA_ACTIVATION_FAILED and nothing is activated.
 */
static void lfa_emu_activate(u_register_t seq, u_register_t flags,
			     uint64_t *x0, uint64_t *x1)
{
	unsigned int me = plat_my_core_pos();
	bool skip = (flags & LFA_SKIP_CPU_RENDEZVOUS) != 0U;
	unsigned int running = lfa_emu_cpus_running();
	struct lfa_emu_comp *c;
	uint64_t deadline;
	int64_t err = 0;
	int ci;

	*x1 = 0U;
	spin_lock(&lfa_emu_lock);
	ci = lfa_emu_seq_comp(seq, &err);
	if (ci == LFA_EMU_NONE) {
		*x0 = (uint64_t)err;
		goto out;
	}
	c = &lfa_emu_comp[ci];
	c->activates++;
	c->last_skip = skip ? 1U : 0U;

	if (lfa_emu_round.active) {
		/* A round is open: join it, as the same component, no skip. */
		if (ci != lfa_emu_round.comp) {
			*x0 = (uint64_t)LFA_INVALID_PARAMETERS;
			goto out;
		}
		if (skip) {
			*x0 = (uint64_t)LFA_BUSY;
			goto out;
		}
	} else {
		if (c->activate_err != 0) {
			err = c->activate_err;
			c->activate_err = 0;
		} else {
			err = lfa_emu_activate_check(ci, skip);
			if (err != LFA_SUCCESS) {
				*x0 = (uint64_t)err;
				goto out;
			}
		}
		if (skip) {
			c->rounds++;
			c->last_cpus = BIT_64(me);
			lfa_emu_outcome_locked(ci, err, x0, x1);
			goto out;
		}
		lfa_emu_round.active = true;
		lfa_emu_round.comp = ci;
		lfa_emu_round.expected = running;
		lfa_emu_round.entered = 0U;
		lfa_emu_round.mask = 0U;
		lfa_emu_round.err = err;
		lfa_emu_round.deadline = lfa_emu_now() +
			(read_cntfrq_el0() / 1000U) * lfa_emu_pen_timeout_ms;
	}

	/* Into the pen. */
	lfa_emu_pen[me].waiting = 1U;
	lfa_emu_round.entered++;
	lfa_emu_round.mask |= BIT_64(me);
	deadline = lfa_emu_round.deadline;
	if (lfa_emu_round.entered >= lfa_emu_round.expected) {
		uint64_t r0, r1;

		lfa_emu_outcome_locked(ci, lfa_emu_round.err, &r0, &r1);
		lfa_emu_round_end_locked(r0, r1);
	}
	spin_unlock(&lfa_emu_lock);

	while (lfa_emu_pen[me].waiting != 0U) {
		if (lfa_emu_now() < deadline) {
			continue;
		}
		spin_lock(&lfa_emu_lock);
		if (lfa_emu_pen[me].waiting != 0U) {
			VERBOSE("LFA emu: pen timed out, %u of %u CPUs\n",
				lfa_emu_round.entered, lfa_emu_round.expected);
			lfa_emu_round_end_locked(
				(uint64_t)LFA_ACTIVATION_FAILED, 0U);
		}
		spin_unlock(&lfa_emu_lock);
	}

	spin_lock(&lfa_emu_lock);
	*x0 = lfa_emu_pen[me].x0;
	*x1 = lfa_emu_pen[me].x1;
out:
	spin_unlock(&lfa_emu_lock);
}

/*
 * LFA_PRIME. One component at a time is being primed: PRIME of another one
 * while a priming is unfinished (CALL_AGAIN outstanding), or while an
 * activation round is open, is LFA_BUSY. Priming a component again starts
 * it over; priming another one after a completed priming drops that one.
 */
static void lfa_emu_prime(u_register_t seq, uint64_t *x0, uint64_t *x1)
{
	struct lfa_emu_comp *c;
	int64_t err = 0;
	int ci;

	*x1 = 0U;
	spin_lock(&lfa_emu_lock);
	ci = lfa_emu_seq_comp(seq, &err);
	if (ci == LFA_EMU_NONE) {
		*x0 = (uint64_t)err;
		goto out;
	}
	c = &lfa_emu_comp[ci];
	c->primes++;
	if (c->prime_err != 0) {
		*x0 = (uint64_t)c->prime_err;
		c->prime_err = 0;
		goto out;
	}
	if (lfa_emu_round.active) {
		*x0 = (uint64_t)LFA_BUSY;
		goto out;
	}
	if (!lfa_emu_desc[ci].capable) {
		*x0 = (uint64_t)LFA_NOT_SUPPORTED;
		goto out;
	}
	if (!c->pending) {
		*x0 = (uint64_t)LFA_WRONG_STATE;
		goto out;
	}
	if ((lfa_emu_slot.comp != LFA_EMU_NONE) && (lfa_emu_slot.comp != ci) &&
	    (lfa_emu_slot.status == LFA_EMU_PRIME_STARTED)) {
		*x0 = (uint64_t)LFA_BUSY;
		goto out;
	}
	if ((lfa_emu_slot.comp != ci) ||
	    (lfa_emu_slot.status == LFA_EMU_PRIME_COMPLETE)) {
		lfa_emu_slot.comp = ci;
		lfa_emu_slot.status = LFA_EMU_PRIME_NONE;
	}
	if (c->prime_again != 0U) {
		c->prime_again--;
		lfa_emu_slot.status = LFA_EMU_PRIME_STARTED;
		*x1 = LFA_CALL_AGAIN;
	} else {
		lfa_emu_slot.status = LFA_EMU_PRIME_COMPLETE;
	}
	*x0 = LFA_SUCCESS;
out:
	spin_unlock(&lfa_emu_lock);
}

/*
 * LFA_CANCEL: forgets the priming of the component primed (or being
 * primed). Nothing primed is LFA_WRONG_STATE, another component
 * LFA_INVALID_PARAMETERS, an open activation round LFA_BUSY.
 */
static int64_t lfa_emu_cancel(u_register_t seq)
{
	struct lfa_emu_comp *c;
	int64_t ret = 0;
	int ci;

	spin_lock(&lfa_emu_lock);
	ci = lfa_emu_seq_comp(seq, &ret);
	if (ci == LFA_EMU_NONE) {
		goto out;
	}
	c = &lfa_emu_comp[ci];
	c->cancels++;
	if (c->cancel_err != 0) {
		ret = c->cancel_err;
		c->cancel_err = 0;
	} else if (lfa_emu_round.active) {
		ret = LFA_BUSY;
	} else if ((lfa_emu_slot.comp == LFA_EMU_NONE) ||
		   (lfa_emu_slot.status == LFA_EMU_PRIME_NONE)) {
		ret = LFA_WRONG_STATE;
	} else if (lfa_emu_slot.comp != ci) {
		ret = LFA_INVALID_PARAMETERS;
	} else {
		lfa_emu_unprime_locked(ci);
		ret = LFA_SUCCESS;
	}
out:
	spin_unlock(&lfa_emu_lock);
	return ret;
}

/* LFA_GET_INVENTORY: x1/x2 GUID, x3 flags, x4/x5 versions. */
static uintptr_t lfa_emu_inventory(u_register_t seq, void *handle)
{
	const struct lfa_emu_desc *d;
	struct lfa_emu_comp *c;
	uint64_t flags = 0U, cur, pend;
	int64_t err = 0;
	int ci;

	spin_lock(&lfa_emu_lock);
	ci = lfa_emu_seq_comp(seq, &err);
	if (ci == LFA_EMU_NONE) {
		spin_unlock(&lfa_emu_lock);
		SMC_RET1(handle, (uint64_t)err);
	}
	d = &lfa_emu_desc[ci];
	c = &lfa_emu_comp[ci];
	if (d->capable) {
		flags |= LFA_FLAG_CAPABLE;
	}
	if (c->pending) {
		flags |= LFA_FLAG_PENDING;
	}
	if (d->may_reset_cpu) {
		flags |= LFA_FLAG_MAY_RESET;
	}
	if (!d->rendezvous_required) {
		flags |= LFA_FLAG_RENDEZVOUS_OPTIONAL;
	}
	cur = c->version;
	pend = c->pending ? c->pending_version : 0U;
	spin_unlock(&lfa_emu_lock);

	SMC_RET6(handle, LFA_SUCCESS, lfa_emu_guid_word(&d->guid[0]),
		 lfa_emu_guid_word(&d->guid[8]), flags, cur, pend);
}

int32_t lfa_emu_setup(void)
{
	lfa_emu_reset_locked();
	NOTICE("LFA emu: %u components, notification SPI %u\n",
	     lfa_emu_count(), LFA_TEST_NOTIFY_SPI);
	return 0;
}

uintptr_t lfa_emu_smc_handler(uint32_t smc_fid, u_register_t x1,
			      u_register_t x2, u_register_t x3,
			      u_register_t x4, void *cookie, void *handle,
			      u_register_t flags)
{
	uint64_t r0, r1;
	unsigned int n;

	switch (smc_fid) {
	case LFA_EMU_VERSION:
		SMC_RET1(handle, LFA_EMU_VERSION_1_0);

	case LFA_EMU_FEATURES:
		if (is_lfa_emu_fid((uint32_t)x1) && ((x1 >> 32) == 0U)) {
			SMC_RET1(handle, LFA_SUCCESS);
		}
		SMC_RET1(handle, (uint64_t)LFA_NOT_SUPPORTED);

	case LFA_EMU_GET_INFO:
		if (x1 != 0U) {
			SMC_RET1(handle, (uint64_t)LFA_INVALID_PARAMETERS);
		}
		spin_lock(&lfa_emu_lock);
		n = lfa_emu_count();
		spin_unlock(&lfa_emu_lock);
		SMC_RET3(handle, LFA_SUCCESS, n, 0U);

	case LFA_EMU_GET_INVENTORY:
		return lfa_emu_inventory(x1, handle);

	case LFA_EMU_PRIME:
		lfa_emu_prime(x1, &r0, &r1);
		SMC_RET2(handle, r0, r1);

	case LFA_EMU_ACTIVATE:
		/* x3 ep_address and x4 context_id: no CPU is reset here. */
		lfa_emu_activate(x1, x2, &r0, &r1);
		SMC_RET2(handle, r0, r1);

	case LFA_EMU_CANCEL:
		SMC_RET1(handle, (uint64_t)lfa_emu_cancel(x1));

	default:
		SMC_RET1(handle, SMC_UNK);
	}
}

/* The test controls (lfa_test_smc.h), called from the SiP service. */

static bool lfa_emu_key_global(u_register_t key)
{
	return (key == LFA_TEST_K_SHUFFLE) || (key == LFA_TEST_K_PEN_TIMEOUT_MS);
}

static bool lfa_emu_err_ok(u_register_t v)
{
	return (int64_t)v <= 0;
}

static int64_t lfa_emu_test_set(u_register_t key, u_register_t ci,
				u_register_t v)
{
	struct lfa_emu_comp *c;

	if (lfa_emu_key_global(key)) {
		if (key == LFA_TEST_K_SHUFFLE) {
			if (v > 1U) {
				return LFA_TEST_EINVAL;
			}
			lfa_emu_shuffle = v != 0U;
			return LFA_TEST_OK;
		}
		if ((v == 0U) || (v > LFA_EMU_PEN_TIMEOUT_MAX_MS)) {
			return LFA_TEST_EINVAL;
		}
		lfa_emu_pen_timeout_ms = v;
		return LFA_TEST_OK;
	}
	if (ci >= LFA_TEST_NR_COMPONENTS) {
		return LFA_TEST_EINVAL;
	}
	c = &lfa_emu_comp[ci];
	switch (key) {
	case LFA_TEST_K_PENDING:
		c->pending = v != 0U;
		c->pending_version = v;
		if (v == 0U) {
			lfa_emu_unprime_locked((int)ci);
		}
		break;
	case LFA_TEST_K_VERSION:
		c->version = v;
		break;
	case LFA_TEST_K_PRIME_AGAIN:
	case LFA_TEST_K_ACTIVATE_AGAIN:
	case LFA_TEST_K_ACTIVATE_BUSY:
		if (v > UINT32_MAX) {
			return LFA_TEST_EINVAL;
		}
		if (key == LFA_TEST_K_PRIME_AGAIN) {
			c->prime_again = v;
		} else if (key == LFA_TEST_K_ACTIVATE_AGAIN) {
			c->activate_again = v;
		} else {
			c->activate_busy = v;
		}
		break;
	case LFA_TEST_K_PRIME_ERR:
	case LFA_TEST_K_ACTIVATE_ERR:
	case LFA_TEST_K_CANCEL_ERR:
		if (!lfa_emu_err_ok(v)) {
			return LFA_TEST_EINVAL;
		}
		if (key == LFA_TEST_K_PRIME_ERR) {
			c->prime_err = (int64_t)v;
		} else if (key == LFA_TEST_K_ACTIVATE_ERR) {
			c->activate_err = (int64_t)v;
		} else {
			c->cancel_err = (int64_t)v;
		}
		break;
	case LFA_TEST_K_PRESENT:
	case LFA_TEST_K_VANISH:
		if (v > 1U) {
			return LFA_TEST_EINVAL;
		}
		if (key == LFA_TEST_K_VANISH) {
			c->vanish = v != 0U;
			break;
		}
		c->present = v != 0U;
		if (v == 0U) {
			lfa_emu_unprime_locked((int)ci);
		}
		break;
	default:
		return LFA_TEST_EINVAL;
	}
	return LFA_TEST_OK;
}

static int64_t lfa_emu_test_get(u_register_t key, u_register_t ci,
				uint64_t *v)
{
	struct lfa_emu_comp *c;

	if (key == LFA_TEST_K_SHUFFLE) {
		*v = lfa_emu_shuffle ? 1U : 0U;
		return LFA_TEST_OK;
	}
	if (key == LFA_TEST_K_PEN_TIMEOUT_MS) {
		*v = lfa_emu_pen_timeout_ms;
		return LFA_TEST_OK;
	}
	if (ci >= LFA_TEST_NR_COMPONENTS) {
		return LFA_TEST_EINVAL;
	}
	c = &lfa_emu_comp[ci];
	switch (key) {
	case LFA_TEST_K_PENDING:
		*v = c->pending ? 1U : 0U;
		break;
	case LFA_TEST_K_VERSION:
		*v = c->version;
		break;
	case LFA_TEST_K_PRIME_AGAIN:
		*v = c->prime_again;
		break;
	case LFA_TEST_K_ACTIVATE_AGAIN:
		*v = c->activate_again;
		break;
	case LFA_TEST_K_ACTIVATE_BUSY:
		*v = c->activate_busy;
		break;
	case LFA_TEST_K_PRIME_ERR:
		*v = (uint64_t)c->prime_err;
		break;
	case LFA_TEST_K_ACTIVATE_ERR:
		*v = (uint64_t)c->activate_err;
		break;
	case LFA_TEST_K_CANCEL_ERR:
		*v = (uint64_t)c->cancel_err;
		break;
	case LFA_TEST_K_PRESENT:
		*v = c->present ? 1U : 0U;
		break;
	case LFA_TEST_K_VANISH:
		*v = c->vanish ? 1U : 0U;
		break;
	case LFA_TEST_K_PRIMES:
		*v = c->primes;
		break;
	case LFA_TEST_K_ACTIVATES:
		*v = c->activates;
		break;
	case LFA_TEST_K_CANCELS:
		*v = c->cancels;
		break;
	case LFA_TEST_K_ACTIVATIONS:
		*v = c->activations;
		break;
	case LFA_TEST_K_LAST_CPUS:
		*v = c->last_cpus;
		break;
	case LFA_TEST_K_LAST_SKIP:
		*v = c->last_skip;
		break;
	case LFA_TEST_K_ROUNDS:
		*v = c->rounds;
		break;
	default:
		return LFA_TEST_EINVAL;
	}
	return LFA_TEST_OK;
}

/* Set the notification SPI pending in the distributor (GICv2 and v3). */
static void lfa_emu_notify(void)
{
	unsigned int id = 32U + LFA_TEST_NOTIFY_SPI;

	mmio_write_32(GICD_BASE + 0x200U + (4U * (id / 32U)),
		      BIT_32(id % 32U));
}

uintptr_t lfa_emu_test_smc(uint32_t smc_fid, u_register_t x1,
			   u_register_t x2, u_register_t x3, void *handle)
{
	uint64_t v = 0U;
	int64_t ret;

	switch (smc_fid) {
	case LFA_TEST_RESET:
		spin_lock(&lfa_emu_lock);
		lfa_emu_abort_round_locked();
		lfa_emu_reset_locked();
		spin_unlock(&lfa_emu_lock);
		SMC_RET1(handle, LFA_TEST_OK);

	case LFA_TEST_SET:
		spin_lock(&lfa_emu_lock);
		ret = lfa_emu_test_set(x1, x2, x3);
		spin_unlock(&lfa_emu_lock);
		SMC_RET1(handle, (uint64_t)ret);

	case LFA_TEST_GET:
		spin_lock(&lfa_emu_lock);
		ret = lfa_emu_test_get(x1, x2, &v);
		spin_unlock(&lfa_emu_lock);
		SMC_RET2(handle, (uint64_t)ret, v);

	case LFA_TEST_NOTIFY:
		lfa_emu_notify();
		SMC_RET1(handle, LFA_TEST_OK);

	default:
		SMC_RET1(handle, SMC_UNK);
	}
}
