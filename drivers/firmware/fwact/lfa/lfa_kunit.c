// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite fwact_lfa_logic: what the LFA backend decides without a
 * firmware call (lfa_logic.c), on any architecture. The register values
 * are those an agent returns: TF-A's BL31 GUID in x1/x2, the inventory
 * flags with the inverted rendezvous bit, versions as major << 32 | minor,
 * status codes of the ABI and ones it does not define, and inventories
 * whose sequence ids were reshuffled, lost an image or gained one.
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/fwact.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "lfa_logic.h"

/* TF-A's BL31 (tf-a-tests BL31_X1/X2), and its GUID as text. */
#define BL31_X1		0x4698fe4c6d08d447ULL
#define BL31_X2		0x005abdcb5029959bULL
#define BL31_STR	"47d4086d-4cfe-9846-9b95-2950cbbd5a00"

static void lfa_guid_str(const uuid_t *guid, char *buf, size_t size)
{
	snprintf(buf, size, "%pUb", guid);
}

static void lfa_test_guid_from_regs(struct kunit *test)
{
	char buf[UUID_STRING_LEN + 1];
	uuid_t guid;

	lfa_guid_from_regs(BL31_X1, BL31_X2, &guid);
	lfa_guid_str(&guid, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, BL31_STR);
	/* Byte 0 is x1's least significant byte, byte 15 x2's most. */
	KUNIT_EXPECT_EQ(test, guid.b[0], 0x47);
	KUNIT_EXPECT_EQ(test, guid.b[7], 0x46);
	KUNIT_EXPECT_EQ(test, guid.b[8], 0x9b);
	KUNIT_EXPECT_EQ(test, guid.b[15], 0x00);

	lfa_guid_from_regs(0, 0, &guid);
	lfa_guid_str(&guid, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "00000000-0000-0000-0000-000000000000");
}

static void lfa_test_guid_names(struct kunit *test)
{
	static const struct {
		const char *guid;
		const char *name;
	} cases[] = {
		{ BL31_STR, "TF-A BL31 runtime" },
		{ "d6d0eea7-fcea-d54b-9782-9934f234b6e4", "BL33 non-secure payload" },
		{ "6c0762a6-12f2-4b56-92cb-ba8f633606d9", "TF-RMM" },
		{ "05d0e189-53dc-1347-8d2b-500a4b7a3e38", "BL32 secure payload" },
		{ "f07b2a96-1d47-4d17-9ec8-86a64e253e5c", "FVP secure partition SP1" },
		{ "c3ff2127-7e41-a9f8-05af-24a1afa33474", "FVP secure partition SP2" },
		/* The test agent's unknown image: no name, the GUID is shown. */
		{ "0b5c6a44-0f9e-4c2b-8a1e-fa57c0de0004", NULL },
	};
	unsigned int i;
	uuid_t guid;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		KUNIT_ASSERT_EQ(test, uuid_parse(cases[i].guid, &guid), 0);
		if (cases[i].name)
			KUNIT_EXPECT_STREQ(test, lfa_guid_name(&guid),
					   cases[i].name);
		else
			KUNIT_EXPECT_NULL(test, lfa_guid_name(&guid));
	}
	/* The table's GUIDs are the ones the registers give. */
	lfa_guid_from_regs(BL31_X1, BL31_X2, &guid);
	KUNIT_EXPECT_STREQ(test, lfa_guid_name(&guid), "TF-A BL31 runtime");
}

static void lfa_test_flags(struct kunit *test)
{
	/* Bit 3 clear: the rendezvous is required. */
	KUNIT_EXPECT_EQ(test, lfa_fwact_flags(0), FWACT_F_RENDEZVOUS);
	KUNIT_EXPECT_EQ(test, lfa_fwact_flags(LFA_INV_RENDEZVOUS_OPTIONAL), 0);
	KUNIT_EXPECT_EQ(test, lfa_fwact_flags(LFA_INV_CAPABLE),
			FWACT_F_CAPABLE | FWACT_F_RENDEZVOUS);
	KUNIT_EXPECT_EQ(test, lfa_fwact_flags(LFA_INV_CAPABLE | LFA_INV_PENDING),
			FWACT_F_CAPABLE | FWACT_F_PENDING | FWACT_F_RENDEZVOUS);
	KUNIT_EXPECT_EQ(test, lfa_fwact_flags(LFA_INV_MAY_RESET_CPU |
					      LFA_INV_RENDEZVOUS_OPTIONAL),
			FWACT_F_MAY_RESET_CPU);
	KUNIT_EXPECT_EQ(test, lfa_fwact_flags(0xf),
			FWACT_F_CAPABLE | FWACT_F_PENDING |
			FWACT_F_MAY_RESET_CPU);
	/* Bits the ABI does not define change nothing. */
	KUNIT_EXPECT_EQ(test, lfa_fwact_flags(~0xfULL), FWACT_F_RENDEZVOUS);
	KUNIT_EXPECT_EQ(test, lfa_fwact_flags(~0ULL),
			FWACT_F_CAPABLE | FWACT_F_PENDING |
			FWACT_F_MAY_RESET_CPU);
}

static void lfa_test_versions(struct kunit *test)
{
	static const struct {
		u64 v;
		const char *s;
	} cases[] = {
		{ 0, "unknown" },
		{ 1ULL << 32, "1.0" },
		{ (2ULL << 32) | 12, "2.12" },
		{ 5, "0.5" },
		{ ~0ULL, "4294967295.4294967295" },
	};
	char buf[LFA_VERSION_STR_LEN];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		lfa_version_str(cases[i].v, buf, sizeof(buf));
		KUNIT_EXPECT_STREQ(test, buf, cases[i].s);
	}
	/* A short buffer is cut, never overrun. */
	memset(buf, 'x', sizeof(buf));
	lfa_version_str(~0ULL, buf, 4);
	KUNIT_EXPECT_STREQ(test, buf, "429");
	KUNIT_EXPECT_EQ(test, buf[4], 'x');
}

static void lfa_test_version_check(struct kunit *test)
{
	unsigned int major, minor;

	KUNIT_EXPECT_EQ(test, lfa_version_check(0x10000, &major, &minor), 0);
	KUNIT_EXPECT_EQ(test, major, 1);
	KUNIT_EXPECT_EQ(test, minor, 0);
	KUNIT_EXPECT_EQ(test, lfa_version_check(0x10003, &major, &minor), 0);
	KUNIT_EXPECT_EQ(test, minor, 3);
	/* NOT_SUPPORTED, as QEMU's PSCI answers an unknown function. */
	KUNIT_EXPECT_EQ(test, lfa_version_check((u64)-1LL, &major, &minor),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, lfa_version_check((u64)-8LL, &major, &minor),
			-EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, lfa_version_check(0x20000, &major, &minor),
			-EPROTONOSUPPORT);
	KUNIT_EXPECT_EQ(test, major, 2);
	KUNIT_EXPECT_EQ(test, lfa_version_check(0, &major, &minor),
			-EPROTONOSUPPORT);
	/* Bit 31, or anything above: no version. */
	KUNIT_EXPECT_EQ(test, lfa_version_check(0x80010000ULL, &major, &minor),
			-EPROTO);
	KUNIT_EXPECT_EQ(test, lfa_version_check(1ULL << 40, &major, &minor),
			-EPROTO);
}

static void lfa_test_errno(struct kunit *test)
{
	static const int want[] = {
		-EOPNOTSUPP, -EBUSY, -EKEYREJECTED, -ENOMEM, -ENOTRECOVERABLE,
		-EIO, -EPROTO, -EINVAL, -EBADFD, -EFAULT, -EREMOTEIO,
	};
	unsigned int i, j;

	KUNIT_EXPECT_EQ(test, lfa_errno(LFA_SUCCESS), 0);
	KUNIT_EXPECT_STREQ(test, lfa_status_name(LFA_SUCCESS), "SUCCESS");
	/* -1 .. -11: each its own errno, and a name. */
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		u64 x0 = (u64)-(s64)(i + 1);

		KUNIT_EXPECT_EQ(test, lfa_errno(x0), want[i]);
		KUNIT_EXPECT_STRNEQ(test, lfa_status_name(x0), "unknown");
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, want[i], want[j]);
		KUNIT_EXPECT_NE(test, want[i], -EBADMSG);
	}
	KUNIT_EXPECT_STREQ(test, lfa_status_name((u64)LFA_ACTIVATION_FAILED),
			   "ACTIVATION_FAILED");
}

/* Values the ABI does not define: one errno, one name, no table index. */
static void lfa_test_errno_unknown(struct kunit *test)
{
	static const u64 unknown[] = {
		(u64)-12LL, (u64)-32LL, (u64)-33LL, (u64)-1000LL,
		(u64)S64_MIN, 1, 11, 32, 33, 0x7fffffffffffffffULL,
		0xffffffffULL, 0xfffffff5ULL,	/* -11 as a 32-bit value */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(unknown); i++) {
		KUNIT_EXPECT_EQ(test, lfa_errno(unknown[i]), -EBADMSG);
		KUNIT_EXPECT_STREQ(test, lfa_status_name(unknown[i]), "unknown");
	}
	KUNIT_EXPECT_STREQ(test, lfa_fn_name(LFA_FN_ACTIVATE), "ACTIVATE");
	KUNIT_EXPECT_STREQ(test, lfa_fn_name(0xC40002E7U), "?");
}

/* An inventory entry of the test agent's images. */
static struct lfa_inv lfa_test_inv(struct kunit *test, const char *guid,
				   u64 flags, u64 cur)
{
	struct lfa_inv inv = { .flags = flags, .cur = cur };

	KUNIT_EXPECT_EQ(test, uuid_parse(guid, &inv.guid), 0);
	return inv;
}

#define RMM	"6c0762a6-12f2-4b56-92cb-ba8f633606d9"
#define SP1	"f07b2a96-1d47-4d17-9ec8-86a64e253e5c"
#define UNK	"0b5c6a44-0f9e-4c2b-8a1e-fa57c0de0004"

static void lfa_test_inv_reshuffle(struct kunit *test)
{
	struct lfa_inv fresh[3];
	uuid_t known[3];
	bool is_new[3];
	int seq[3];

	fresh[0] = lfa_test_inv(test, SP1, 0xb, 1ULL << 32);
	fresh[1] = lfa_test_inv(test, RMM, 0x1, 2ULL << 32);
	fresh[2] = lfa_test_inv(test, BL31_STR, 0x5, 0);
	/* Known as RMM at 0, SP1 at 1, BL31 at 2: now 1, 0, 2. */
	known[0] = fresh[1].guid;
	known[1] = fresh[0].guid;
	known[2] = fresh[2].guid;
	KUNIT_EXPECT_EQ(test, lfa_inv_diff(known, 3, fresh, 3, seq, is_new), 0);
	KUNIT_EXPECT_EQ(test, seq[0], 1);
	KUNIT_EXPECT_EQ(test, seq[1], 0);
	KUNIT_EXPECT_EQ(test, seq[2], 2);
	KUNIT_EXPECT_FALSE(test, is_new[0]);
	KUNIT_EXPECT_FALSE(test, is_new[1]);
	KUNIT_EXPECT_FALSE(test, is_new[2]);
	KUNIT_EXPECT_EQ(test, lfa_inv_find(fresh, 3, &known[0]), 1);
}

static void lfa_test_inv_vanish(struct kunit *test)
{
	struct lfa_inv fresh[1];
	uuid_t known[2];
	bool is_new[1];
	int seq[2];

	fresh[0] = lfa_test_inv(test, SP1, 0xb, 0);
	KUNIT_ASSERT_EQ(test, uuid_parse(RMM, &known[0]), 0);
	known[1] = fresh[0].guid;
	KUNIT_EXPECT_EQ(test, lfa_inv_diff(known, 2, fresh, 1, seq, is_new), 0);
	KUNIT_EXPECT_EQ(test, seq[0], -1);
	KUNIT_EXPECT_EQ(test, seq[1], 0);
	KUNIT_EXPECT_FALSE(test, is_new[0]);
	/* An empty inventory: everything vanished. */
	KUNIT_EXPECT_EQ(test, lfa_inv_diff(known, 2, fresh, 0, seq, is_new), 0);
	KUNIT_EXPECT_EQ(test, seq[0], -1);
	KUNIT_EXPECT_EQ(test, seq[1], -1);
}

static void lfa_test_inv_appear(struct kunit *test)
{
	struct lfa_inv fresh[4];
	uuid_t known[1];
	bool is_new[4];
	int seq[1];

	fresh[0] = lfa_test_inv(test, RMM, 0x3, 0);
	fresh[1] = lfa_test_inv(test, UNK, 0x1, 0);
	fresh[2] = lfa_test_inv(test, SP1, 0x9, 0);
	/* A GUID reported twice is one image, at its first sequence id. */
	fresh[3] = lfa_test_inv(test, UNK, 0x3, 0);
	known[0] = fresh[0].guid;
	KUNIT_EXPECT_EQ(test, lfa_inv_diff(known, 1, fresh, 4, seq, is_new), 2);
	KUNIT_EXPECT_EQ(test, seq[0], 0);
	KUNIT_EXPECT_FALSE(test, is_new[0]);
	KUNIT_EXPECT_TRUE(test, is_new[1]);
	KUNIT_EXPECT_TRUE(test, is_new[2]);
	KUNIT_EXPECT_FALSE(test, is_new[3]);
	/* Nothing known yet: every distinct GUID is new. */
	KUNIT_EXPECT_EQ(test, lfa_inv_diff(known, 0, fresh, 4, seq, is_new), 3);
	KUNIT_EXPECT_TRUE(test, is_new[0]);
}

static void lfa_test_inv_same(struct kunit *test)
{
	struct lfa_inv a = lfa_test_inv(test, RMM, 0x1, 1ULL << 32);
	struct lfa_inv b = a;

	KUNIT_EXPECT_TRUE(test, lfa_inv_same(&a, &b));
	b.flags |= LFA_INV_PENDING;
	KUNIT_EXPECT_FALSE(test, lfa_inv_same(&a, &b));
	b = a;
	b.pend = (1ULL << 32) | 1;
	KUNIT_EXPECT_FALSE(test, lfa_inv_same(&a, &b));
	b = a;
	b.cur = 0;
	KUNIT_EXPECT_FALSE(test, lfa_inv_same(&a, &b));
}

static void lfa_test_parse_bool(struct kunit *test)
{
	static const char * const yes[] = { "1", "1\n", "y", "Y", "yes", "true\n", "on" };
	static const char * const no[] = { "0", "0\n", "n", "N", "no", "false", "off\n" };
	static const char * const bad[] = {
		"", "\n", "2", "10", "1abc", "yes please", " 1", "1\n\n", "-1",
		"0x1", "truex", "of",
	};
	unsigned int i;
	bool val;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		val = false;
		KUNIT_EXPECT_EQ(test, lfa_parse_bool(yes[i], &val), 0);
		KUNIT_EXPECT_TRUE(test, val);
	}
	for (i = 0; i < ARRAY_SIZE(no); i++) {
		val = true;
		KUNIT_EXPECT_EQ(test, lfa_parse_bool(no[i], &val), 0);
		KUNIT_EXPECT_FALSE(test, val);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, lfa_parse_bool(bad[i], &val), -EINVAL,
				    "accepted \"%s\"", bad[i]);
}

static struct kunit_case lfa_logic_cases[] = {
	KUNIT_CASE(lfa_test_guid_from_regs),
	KUNIT_CASE(lfa_test_guid_names),
	KUNIT_CASE(lfa_test_flags),
	KUNIT_CASE(lfa_test_versions),
	KUNIT_CASE(lfa_test_version_check),
	KUNIT_CASE(lfa_test_errno),
	KUNIT_CASE(lfa_test_errno_unknown),
	KUNIT_CASE(lfa_test_inv_reshuffle),
	KUNIT_CASE(lfa_test_inv_vanish),
	KUNIT_CASE(lfa_test_inv_appear),
	KUNIT_CASE(lfa_test_inv_same),
	KUNIT_CASE(lfa_test_parse_bool),
	{}
};

static struct kunit_suite lfa_logic_suite = {
	.name = "fwact_lfa_logic",
	.test_cases = lfa_logic_cases,
};

kunit_test_suite(lfa_logic_suite);

MODULE_DESCRIPTION("KUnit tests of the fwact LFA backend's logic");
MODULE_LICENSE("GPL");
