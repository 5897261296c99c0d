// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the _DSM status mapping (pfru_dsm.c): every status the PFRU
 * firmware can return, and values it must not, become the errno the ABI
 * documents (include/uapi/linux/pfrut.h). pfru_test keeps two statuses end
 * to end through the emulated firmware; the whole table is checked here.
 * Part of module fwact-pfru-kunit (pfru_capsule_kunit.c has its MODULE_ lines).
 */
#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>

#include "pfru.h"

static void pfru_dsm_status_errno_maps_every_status(struct kunit *test)
{
	static const struct {
		u32 status;
		int err;
	} map[] = {
		{ DSM_SUCCEED, 0 },
		{ DSM_FUNC_NOT_SUPPORT, -EOPNOTSUPP },
		{ DSM_INVAL_INPUT, -EINVAL },
		{ DSM_HARDWARE_ERR, -EIO },
		{ DSM_RETRY_SUGGESTED, -EAGAIN },
		{ DSM_UNKNOWN, -EPROTO },
		{ DSM_FUNC_SPEC_ERR, -EREMOTEIO },
		/* Statuses the specification does not define. */
		{ DSM_FUNC_SPEC_ERR + 1, -EPROTO },
		{ 0x80000000, -EPROTO },
		{ U32_MAX, -EPROTO },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(map); i++)
		KUNIT_EXPECT_EQ_MSG(test, map[i].err,
				    pfru_dsm_status_errno(map[i].status),
				    "status %u", map[i].status);
}

static struct kunit_case pfru_dsm_cases[] = {
	KUNIT_CASE(pfru_dsm_status_errno_maps_every_status),
	{}
};

static struct kunit_suite pfru_dsm_suite = {
	.name = "fwact_pfru_dsm",
	.test_cases = pfru_dsm_cases,
};

kunit_test_suite(pfru_dsm_suite);
