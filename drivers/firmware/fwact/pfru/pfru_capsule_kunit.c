// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the PFRU capsule validation (pfru_capsule.c), run in the
 * kernel it validates for: every capsule is copied into a kmalloc() block of
 * exactly its size, so that KASAN reports any read past the bytes given.
 * Good capsules of every shape are accepted with the right type and
 * versions, the version rules hold, every truncation is refused, and no
 * hostile byte or 32-bit field makes the validation read out of bounds or
 * return anything but 0 or -EINVAL.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "pfru.h"
#include "pfru_capsule_build.h"

#define CAP_BUF_SIZE	4096

static const struct pfru_update_cap_info cap0;

/* Validate @len bytes of @src from a block of exactly that size. */
static int cap_validate(struct kunit *test, const u8 *src, size_t len,
			const struct pfru_update_cap_info *cap,
			struct pfru_capsule_info *info)
{
	u8 *copy = kunit_kmalloc(test, len ? len : 1, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, copy);
	memcpy(copy, src, len);
	ret = pfru_capsule_validate(NULL, copy, len, cap, info);
	kunit_kfree(test, copy);
	KUNIT_EXPECT_TRUE_MSG(test, ret == 0 || ret == -EINVAL, "ret %d", ret);
	if (!ret)
		KUNIT_EXPECT_LE(test, info->size, len);
	return ret;
}

static u8 *cap_buf(struct kunit *test)
{
	u8 *buf = kunit_kzalloc(test, CAP_BUF_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return buf;
}

static void pfru_capsule_good_shapes_are_accepted(struct kunit *test)
{
	struct pfru_cap_params p = { .rt_ver = 5, .svn = 3, .seed = 1 };
	struct pfru_capsule_info info;
	struct pfru_cap_layout l;
	u8 *buf = cap_buf(test);
	size_t len;

	for (p.type = 0; p.type <= 1; p.type++)
		for (p.img_ver = 1; p.img_ver <= 3; p.img_ver++)
			for (p.nr_drv = 0; p.nr_drv <= 3; p.nr_drv++) {
				len = pfru_cap_build(buf, &p, &l);
				KUNIT_ASSERT_EQ_MSG(test, 0,
						    cap_validate(test, buf, len, &cap0, &info),
						    "type %d v%u drv %u", p.type,
						    p.img_ver, p.nr_drv);
				KUNIT_EXPECT_EQ(test, info.type,
						p.type ? PFRU_TYPE_DRIVER : PFRU_TYPE_CODE);
				KUNIT_EXPECT_EQ(test, info.rt_ver, 5);
				KUNIT_EXPECT_EQ(test, info.svn, 3);
				KUNIT_EXPECT_EQ(test, info.image_hdr_ver, p.img_ver);
			}
}

static void pfru_capsule_version_rules(struct kunit *test)
{
	struct pfru_cap_params p = { .img_ver = 2, .rt_ver = 5, .svn = 3 };
	struct pfru_update_cap_info cap = { };
	struct pfru_capsule_info info;
	struct pfru_cap_layout l;
	u8 *buf = cap_buf(test);
	size_t len;

	len = pfru_cap_build(buf, &p, &l);
	cap.code_rt_version = 5;
	KUNIT_EXPECT_EQ(test, 0, cap_validate(test, buf, len, &cap, &info));
	cap.code_rt_version = 6;
	KUNIT_EXPECT_EQ(test, -EINVAL, cap_validate(test, buf, len, &cap, &info));

	p.type = PFRU_CAP_DRIVER;
	len = pfru_cap_build(buf, &p, &l);
	cap.drv_rt_version = 100;	/* not what the rule looks at */
	cap.drv_svn = 3;
	KUNIT_EXPECT_EQ(test, 0, cap_validate(test, buf, len, &cap, &info));
	cap.drv_svn = 4;
	KUNIT_EXPECT_EQ(test, -EINVAL, cap_validate(test, buf, len, &cap, &info));
	p.no_svn = 1;
	cap.drv_svn = 0;
	len = pfru_cap_build(buf, &p, &l);
	KUNIT_EXPECT_EQ(test, -EINVAL, cap_validate(test, buf, len, &cap, &info));
}

static void pfru_capsule_every_truncation_is_refused(struct kunit *test)
{
	struct pfru_cap_params p = { .img_ver = 3, .nr_drv = 1,
				     .payload_len = 8 };
	struct pfru_capsule_info info;
	struct pfru_cap_layout l;
	u8 *buf = cap_buf(test), *cut = cap_buf(test);
	size_t len, n;

	len = pfru_cap_build(buf, &p, &l);
	for (n = 0; n < len; n++) {
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL,
				    cap_validate(test, buf, n, &cap0, &info),
				    "truncated to %zu", n);
		/*
		 * The image size saying the truncated length too: refused
		 * while the cut is in the image (an embedded driver after it
		 * has no size of its own; a cut there must only stay in
		 * bounds).
		 */
		memcpy(cut, buf, len);
		if (n >= 28)
			pfru_cap_put32(cut + 24, n);
		if (n < l.end)
			KUNIT_EXPECT_EQ_MSG(test, -EINVAL,
					    cap_validate(test, cut, n, &cap0, &info),
					    "consistently truncated to %zu", n);
		else
			cap_validate(test, cut, n, &cap0, &info);
	}
}

static void pfru_capsule_hostile_fields_stay_in_bounds(struct kunit *test)
{
	static const u32 hostile[] = { 0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x10000,
				       0x7fffffff, 0x80000000, 0xfffffff0,
				       0xffffffff };
	struct pfru_cap_params p = { .img_ver = 2, .nr_drv = 2,
				     .payload_len = 16 };
	struct pfru_capsule_info info;
	struct pfru_cap_layout l;
	u8 *buf = cap_buf(test), *m = cap_buf(test);
	size_t len, off, i;

	for (p.img_ver = 1; p.img_ver <= 3; p.img_ver++) {
		len = pfru_cap_build(buf, &p, &l);
		for (off = 0; off + 4 <= len; off++) {
			for (i = 0; i < ARRAY_SIZE(hostile); i++) {
				memcpy(m, buf, len);
				pfru_cap_put32(m + off, hostile[i]);
				cap_validate(test, m, len, &cap0, &info);
				/* Sizes and offsets relative to the length. */
				pfru_cap_put32(m + off, len - (hostile[i] & 0xff));
				cap_validate(test, m, len, &cap0, &info);
				pfru_cap_put32(m + off, len + (hostile[i] & 0xff));
				cap_validate(test, m, len, &cap0, &info);
			}
		}
	}
}

static struct kunit_case pfru_capsule_cases[] = {
	KUNIT_CASE(pfru_capsule_good_shapes_are_accepted),
	KUNIT_CASE(pfru_capsule_version_rules),
	KUNIT_CASE(pfru_capsule_every_truncation_is_refused),
	KUNIT_CASE(pfru_capsule_hostile_fields_stay_in_bounds),
	{}
};

static struct kunit_suite pfru_capsule_suite = {
	.name = "fwact_pfru_capsule",
	.test_cases = pfru_capsule_cases,
};

kunit_test_suite(pfru_capsule_suite);

MODULE_DESCRIPTION("KUnit tests of fwact's PFRU capsule validation and _DSM status mapping");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING");
