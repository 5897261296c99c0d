// SPDX-License-Identifier: GPL-2.0
/*
 * Pure logic of the fwact LFA backend (lfa_logic.h): what the agent's
 * registers mean, decided without any firmware call, so that the KUnit
 * suite checks it on any architecture. Every value the agent returns is
 * treated as untrusted: status codes are matched with a switch, never used
 * as an index, and an unknown one has an errno of its own.
 */
#include <linux/errno.h>
#include <linux/fwact.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "lfa_logic.h"

/**
 * lfa_guid_from_regs() - the GUID of an inventory entry
 * @x1: GET_INVENTORY x1, bytes 0 to 7 of the GUID
 * @x2: GET_INVENTORY x2, bytes 8 to 15
 * @guid: filled in
 *
 * The agent copies the 16 bytes of its uuid_t into two registers, which
 * makes each a little-endian load of 8 bytes: TF-A's BL31 GUID arrives as
 * x1 = 0x4698fe4c6d08d447, x2 = 0x005abdcb5029959b and prints (%pUb) as
 * 47d4086d-4cfe-9846-9b95-2950cbbd5a00.
 */
void lfa_guid_from_regs(u64 x1, u64 x2, uuid_t *guid)
{
	put_unaligned_le64(x1, &guid->b[0]);
	put_unaligned_le64(x2, &guid->b[8]);
}

/* The images DEN0147 agents are known to report (TF-A's FIP GUIDs). */
static const struct {
	uuid_t guid;
	const char *name;
} lfa_guid_names[] = {
	{ UUID_INIT(0x47d4086d, 0x4cfe, 0x9846, 0x9b, 0x95, 0x29, 0x50,
		    0xcb, 0xbd, 0x5a, 0x00), "TF-A BL31 runtime" },
	{ UUID_INIT(0x05d0e189, 0x53dc, 0x1347, 0x8d, 0x2b, 0x50, 0x0a,
		    0x4b, 0x7a, 0x3e, 0x38), "BL32 secure payload" },
	{ UUID_INIT(0xd6d0eea7, 0xfcea, 0xd54b, 0x97, 0x82, 0x99, 0x34,
		    0xf2, 0x34, 0xb6, 0xe4), "BL33 non-secure payload" },
	{ UUID_INIT(0x6c0762a6, 0x12f2, 0x4b56, 0x92, 0xcb, 0xba, 0x8f,
		    0x63, 0x36, 0x06, 0xd9), "TF-RMM" },
	{ UUID_INIT(0xf07b2a96, 0x1d47, 0x4d17, 0x9e, 0xc8, 0x86, 0xa6,
		    0x4e, 0x25, 0x3e, 0x5c), "FVP secure partition SP1" },
	{ UUID_INIT(0xc3ff2127, 0x7e41, 0xa9f8, 0x05, 0xaf, 0x24, 0xa1,
		    0xaf, 0xa3, 0x34, 0x74), "FVP secure partition SP2" },
};

/**
 * lfa_guid_name() - the human name of an image
 * @guid: its GUID
 *
 * Return: the name, or NULL for a GUID the table does not know (the
 * caller then shows the GUID itself).
 */
const char *lfa_guid_name(const uuid_t *guid)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lfa_guid_names); i++)
		if (uuid_equal(guid, &lfa_guid_names[i].guid))
			return lfa_guid_names[i].name;
	return NULL;
}

/**
 * lfa_fwact_flags() - the fwact flags of an inventory entry
 * @x3: GET_INVENTORY x3
 *
 * Bit 3 has the inverse sense of the others: set, the rendezvous is
 * optional; clear, the firmware requires every CPU to enter ACTIVATE, which
 * is %FWACT_F_RENDEZVOUS. Bits the ABI does not define are ignored.
 *
 * Return: FWACT_F_* flags.
 */
unsigned long lfa_fwact_flags(u64 x3)
{
	unsigned long flags = 0;

	if (x3 & LFA_INV_CAPABLE)
		flags |= FWACT_F_CAPABLE;
	if (x3 & LFA_INV_PENDING)
		flags |= FWACT_F_PENDING;
	if (x3 & LFA_INV_MAY_RESET_CPU)
		flags |= FWACT_F_MAY_RESET_CPU;
	if (!(x3 & LFA_INV_RENDEZVOUS_OPTIONAL))
		flags |= FWACT_F_RENDEZVOUS;
	return flags;
}

/**
 * lfa_version_str() - a version word as text
 * @version: GET_INVENTORY x4 or x5: major in bits 63:32, minor in 31:0
 * @buf: filled with "major.minor", or "unknown" for 0 (TF-A does not
 *	report versions, and a driver that zeroes x4/x5 reads 0 back)
 * @size: size of @buf, at least %LFA_VERSION_STR_LEN for every value
 */
void lfa_version_str(u64 version, char *buf, size_t size)
{
	if (!version)
		strscpy(buf, "unknown", size);
	else
		snprintf(buf, size, "%u.%u", upper_32_bits(version),
			 lower_32_bits(version));
}

/**
 * lfa_version_check() - is LFA_VERSION's answer one this driver speaks
 * @x0: what LFA_VERSION returned
 * @major: filled with the major version (when it is a version at all)
 * @minor: filled with the minor version
 *
 * Return: 0 for version 1.x; -EOPNOTSUPP when the firmware has no LFA
 * agent (NOT_SUPPORTED or any other negative answer); -EPROTO for a value
 * that is no version (bits above 30 set); -EPROTONOSUPPORT for another
 * major version.
 */
int lfa_version_check(u64 x0, unsigned int *major, unsigned int *minor)
{
	*major = 0;
	*minor = 0;
	if ((s64)x0 < 0)
		return -EOPNOTSUPP;
	if (x0 & ~(u64)GENMASK(30, 0))
		return -EPROTO;
	*major = (x0 >> LFA_VERSION_MAJOR_SHIFT) & LFA_VERSION_MAJOR_MASK;
	*minor = x0 & LFA_VERSION_MINOR_MASK;
	return *major == 1 ? 0 : -EPROTONOSUPPORT;
}

/**
 * lfa_errno() - the errno of a call's status
 * @x0: the status register, as the agent left it
 *
 * Each status DEN0147 defines has an errno of its own, so that the errno
 * of a failed activation says which one the agent returned; any other
 * value (a status of a later version of the ABI, a positive value, a
 * rogue agent) is -EBADMSG. No value is ever used as an index.
 *
 * Return: 0 for LFA_SUCCESS, else a negative errno.
 */
int lfa_errno(u64 x0)
{
	switch ((s64)x0) {
	case LFA_SUCCESS:
		return 0;
	case LFA_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case LFA_BUSY:
		return -EBUSY;
	case LFA_AUTH_ERROR:
		return -EKEYREJECTED;
	case LFA_NO_MEMORY:
		return -ENOMEM;
	case LFA_CRITICAL_ERROR:
		return -ENOTRECOVERABLE;
	case LFA_DEVICE_ERROR:
		return -EIO;
	case LFA_WRONG_STATE:
		return -EPROTO;
	case LFA_INVALID_PARAMETERS:
		return -EINVAL;
	case LFA_COMPONENT_WRONG_STATE:
		return -EBADFD;
	case LFA_INVALID_ADDRESS:
		return -EFAULT;
	case LFA_ACTIVATION_FAILED:
		return -EREMOTEIO;
	default:
		return -EBADMSG;
	}
}

/**
 * lfa_status_name() - the name of a call's status, for log lines
 * @x0: the status register
 *
 * Return: the DEN0147 name without its LFA_ prefix, or "unknown".
 */
const char *lfa_status_name(u64 x0)
{
	switch ((s64)x0) {
	case LFA_SUCCESS:
		return "SUCCESS";
	case LFA_NOT_SUPPORTED:
		return "NOT_SUPPORTED";
	case LFA_BUSY:
		return "BUSY";
	case LFA_AUTH_ERROR:
		return "AUTH_ERROR";
	case LFA_NO_MEMORY:
		return "NO_MEMORY";
	case LFA_CRITICAL_ERROR:
		return "CRITICAL_ERROR";
	case LFA_DEVICE_ERROR:
		return "DEVICE_ERROR";
	case LFA_WRONG_STATE:
		return "WRONG_STATE";
	case LFA_INVALID_PARAMETERS:
		return "INVALID_PARAMETERS";
	case LFA_COMPONENT_WRONG_STATE:
		return "COMPONENT_WRONG_STATE";
	case LFA_INVALID_ADDRESS:
		return "INVALID_ADDRESS";
	case LFA_ACTIVATION_FAILED:
		return "ACTIVATION_FAILED";
	default:
		return "unknown";
	}
}

/**
 * lfa_fn_name() - the name of an LFA function, for log lines
 * @fid: its function ID
 *
 * Return: the DEN0147 name without its LFA_ prefix, or "?".
 */
const char *lfa_fn_name(u32 fid)
{
	switch (fid) {
	case LFA_FN_VERSION:
		return "VERSION";
	case LFA_FN_FEATURES:
		return "FEATURES";
	case LFA_FN_GET_INFO:
		return "GET_INFO";
	case LFA_FN_GET_INVENTORY:
		return "GET_INVENTORY";
	case LFA_FN_PRIME:
		return "PRIME";
	case LFA_FN_ACTIVATE:
		return "ACTIVATE";
	case LFA_FN_CANCEL:
		return "CANCEL";
	default:
		return "?";
	}
}

/**
 * lfa_inv_find() - the sequence id of an image in an inventory
 * @inv: the inventory, indexed by sequence id
 * @n: its length
 * @guid: the image
 *
 * Return: the first sequence id whose GUID is @guid, or -1.
 */
int lfa_inv_find(const struct lfa_inv *inv, unsigned int n,
		 const uuid_t *guid)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (uuid_equal(&inv[i].guid, guid))
			return i;
	return -1;
}

/**
 * lfa_inv_same() - do two entries of one image say the same
 * @a: one
 * @b: the other
 *
 * Return: true if the flags and both versions are equal (the sequence id,
 * which an activation may change, is not part of an entry).
 */
bool lfa_inv_same(const struct lfa_inv *a, const struct lfa_inv *b)
{
	return uuid_equal(&a->guid, &b->guid) && a->flags == b->flags &&
	       a->cur == b->cur && a->pend == b->pend;
}

/**
 * lfa_inv_diff() - match a fresh inventory against the images known
 * @known: the GUIDs of the images known
 * @nknown: how many
 * @fresh: the inventory just read, indexed by sequence id
 * @nfresh: its length
 * @seq: filled, one per known image: its sequence id now, or -1 if it is
 *	no longer in the inventory
 * @is_new: filled, one per sequence id: true if that entry is an image
 *	not known, the first entry of its GUID (an agent that reports a GUID
 *	twice gets one image, at the first of its sequence ids)
 *
 * The GUID is an image's identity: sequence ids may be reshuffled by any
 * activation, and images may appear or disappear.
 *
 * Return: the number of new images.
 */
unsigned int lfa_inv_diff(const uuid_t *known, unsigned int nknown,
			  const struct lfa_inv *fresh, unsigned int nfresh,
			  int *seq, bool *is_new)
{
	unsigned int i, nr_new = 0;

	for (i = 0; i < nknown; i++)
		seq[i] = lfa_inv_find(fresh, nfresh, &known[i]);
	for (i = 0; i < nfresh; i++) {
		unsigned int k;

		is_new[i] = lfa_inv_find(fresh, i, &fresh[i].guid) < 0;
		for (k = 0; is_new[i] && k < nknown; k++)
			if (uuid_equal(&known[k], &fresh[i].guid))
				is_new[i] = false;
		nr_new += is_new[i];
	}
	return nr_new;
}

/**
 * lfa_parse_bool() - the value written to a boolean file
 * @buf: what was written, with or without one trailing newline
 * @val: set on success
 *
 * Stricter than kstrtobool(), which reads "1abc" or "yes please" as true:
 * only a whole word is taken.
 *
 * Return: 0, or -EINVAL for anything else.
 */
int lfa_parse_bool(const char *buf, bool *val)
{
	static const char * const yes[] = { "1", "y", "Y", "yes", "true", "on" };
	static const char * const no[] = { "0", "n", "N", "no", "false", "off" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (sysfs_streq(buf, yes[i])) {
			*val = true;
			return 0;
		}
		if (sysfs_streq(buf, no[i])) {
			*val = false;
			return 0;
		}
	}
	return -EINVAL;
}
