/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Arm Live Firmware Activation ABI (DEN0147) as the fwact LFA backend
 * speaks it, and the pure logic around it: GUIDs from registers, their
 * names, the inventory flags, version strings, status codes to errnos,
 * matching an inventory by GUID. Nothing here needs arm64 or makes a
 * firmware call, so that the KUnit suite (lfa_kunit.c) runs anywhere.
 */
#ifndef _FWACT_LFA_LOGIC_H
#define _FWACT_LFA_LOGIC_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/uuid.h>

/* SMC64, fast, Standard Secure Service (OEN 4), functions 0x2E0..0x2E6. */
#define LFA_FN_VERSION			0xC40002E0U
#define LFA_FN_FEATURES			0xC40002E1U
#define LFA_FN_GET_INFO			0xC40002E2U
#define LFA_FN_GET_INVENTORY		0xC40002E3U
#define LFA_FN_PRIME			0xC40002E4U
#define LFA_FN_ACTIVATE			0xC40002E5U
#define LFA_FN_CANCEL			0xC40002E6U

/* x0 of every call: 0 or one of these (signed 64-bit). */
#define LFA_SUCCESS			0
#define LFA_NOT_SUPPORTED		(-1)
#define LFA_BUSY			(-2)
#define LFA_AUTH_ERROR			(-3)
#define LFA_NO_MEMORY			(-4)
#define LFA_CRITICAL_ERROR		(-5)
#define LFA_DEVICE_ERROR		(-6)
#define LFA_WRONG_STATE			(-7)
#define LFA_INVALID_PARAMETERS		(-8)
#define LFA_COMPONENT_WRONG_STATE	(-9)
#define LFA_INVALID_ADDRESS		(-10)
#define LFA_ACTIVATION_FAILED		(-11)

/* LFA_VERSION x0: bits [30:16] major, [15:0] minor, bit 31 clear. */
#define LFA_VERSION_MAJOR_SHIFT		16
#define LFA_VERSION_MAJOR_MASK		0x7fffU
#define LFA_VERSION_MINOR_MASK		0xffffU

/* GET_INVENTORY x3. Bit 3 is inverted: set means the rendezvous is optional. */
#define LFA_INV_CAPABLE			BIT_ULL(0)
#define LFA_INV_PENDING			BIT_ULL(1)
#define LFA_INV_MAY_RESET_CPU		BIT_ULL(2)
#define LFA_INV_RENDEZVOUS_OPTIONAL	BIT_ULL(3)

/* PRIME and ACTIVATE x1 out; ACTIVATE x2 in. */
#define LFA_CALL_AGAIN			BIT_ULL(0)
#define LFA_SKIP_CPU_RENDEZVOUS		BIT_ULL(0)

/* A version string of "%u.%u" with two u32, or "unknown". */
#define LFA_VERSION_STR_LEN		24

/**
 * struct lfa_inv - one entry of the agent's inventory (GET_INVENTORY)
 * @guid: the image's GUID (x1, x2)
 * @flags: x3, LFA_INV_*
 * @cur: x4, the running version (major << 32 | minor), 0 if unknown
 * @pend: x5, the pending version, 0 if none or unknown
 */
struct lfa_inv {
	uuid_t guid;
	u64 flags;
	u64 cur;
	u64 pend;
};

void lfa_guid_from_regs(u64 x1, u64 x2, uuid_t *guid);
const char *lfa_guid_name(const uuid_t *guid);
unsigned long lfa_fwact_flags(u64 x3);
void lfa_version_str(u64 version, char *buf, size_t size);
int lfa_version_check(u64 x0, unsigned int *major, unsigned int *minor);
int lfa_errno(u64 x0);
const char *lfa_status_name(u64 x0);
const char *lfa_fn_name(u32 fid);
int lfa_inv_find(const struct lfa_inv *inv, unsigned int n,
		 const uuid_t *guid);
bool lfa_inv_same(const struct lfa_inv *a, const struct lfa_inv *b);
unsigned int lfa_inv_diff(const uuid_t *known, unsigned int nknown,
			  const struct lfa_inv *fresh, unsigned int nfresh,
			  int *seq, bool *is_new);
int lfa_parse_bool(const char *buf, bool *val);

#endif /* _FWACT_LFA_LOGIC_H */
