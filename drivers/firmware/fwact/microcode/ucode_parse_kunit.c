// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the microcode parser (ucode_parse.c), run in the kernel
 * the backend runs in. Each case builds a valid Intel update or AMD
 * container (ucode_build.h), breaks exactly one thing (truncation, a
 * checksum, the extended table, sizes that lie, section lengths that lie,
 * hostile counts) and checks that the parser names that fault; matching
 * and the min-rev rule are checked on valid images. Every image is parsed
 * from an allocation of exactly its size, so that KASAN sees any read past
 * it. The files of Debian's microcode packages are walked by the selftest
 * parse_test.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "ucode_parse.h"
#include "ucode_build.h"

#define SIG	0x50654
#define PF	0xb7

/* A copy of @len bytes of @src, of exactly that size, freed with the test. */
static u8 *uk_copy(struct kunit *test, const void *src, size_t len)
{
	u8 *p = kunit_kmalloc(test, len ? len : 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	memcpy(p, src, len);
	return p;
}

static enum ucode_fault uk_fault(struct kunit *test, const void *buf,
				 size_t len)
{
	struct ucode_err err;

	if (!ucode_walk(uk_copy(test, buf, len), len, NULL, NULL, &err))
		return UCODE_FAULT_NONE;
	return err.fault;
}

static const struct ub_intel uk_intel_default = {
	.sig = SIG, .pf = PF, .rev = 0x2007006, .min_rev = 0x2006b06,
	.datasize = 1024, .nr_ext = 2, .meta = 1,
};

static u8 *uk_intel(struct kunit *test, const struct ub_intel *u, size_t *len)
{
	u8 *p;

	*len = ub_intel_size(u);
	p = kunit_kmalloc(test, *len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	ub_intel_fill(p, u);
	return p;
}

static void ucode_intel_valid_parses(struct kunit *test)
{
	struct ucode_file_patch patch;
	struct ucode_err err;
	size_t len;
	u8 *p = uk_intel(test, &uk_intel_default, &len);

	KUNIT_ASSERT_EQ(test, 0, ucode_intel_parse(p, len, 0, &patch, &err));
	KUNIT_EXPECT_EQ(test, 0x2007006, patch.rev);
	KUNIT_EXPECT_EQ(test, SIG, patch.intel.sig);
	KUNIT_EXPECT_EQ(test, PF, patch.intel.pf);
	KUNIT_EXPECT_EQ(test, 1024, patch.intel.datasize);
	KUNIT_EXPECT_EQ(test, len, patch.intel.totalsize);
	KUNIT_EXPECT_EQ(test, 2, patch.intel.ext_count);
	KUNIT_EXPECT_EQ(test, 20, patch.intel.metasize);
	KUNIT_EXPECT_EQ(test, 0x2006b06, patch.intel.min_req_ver);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_NONE, uk_fault(test, p, len));
}

static void ucode_intel_truncations(struct kunit *test)
{
	size_t len;
	u8 *p = uk_intel(test, &uk_intel_default, &len);
	u8 *q = kunit_kzalloc(test, len + 12, GFP_KERNEL);

	KUNIT_EXPECT_EQ(test, UCODE_FAULT_EMPTY, uk_fault(test, p, 0));
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_TRUNC_HDR, uk_fault(test, p, 47));
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_TRUNC, uk_fault(test, p, len - 4));
	/* A valid update followed by less than a header. */
	KUNIT_ASSERT_NOT_NULL(test, q);
	memcpy(q, p, len);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_TRUNC_HDR,
			uk_fault(test, q, len + 12));
}

static void ucode_intel_header_fields(struct kunit *test)
{
	static const struct {
		u32 off, val;
		enum ucode_fault fault;
	} cases[] = {
		{ 0x00, 2, UCODE_FAULT_INTEL_HDRVER },
		{ 0x14, 0, UCODE_FAULT_INTEL_LDRVER },
		/* Total sizes that lie long, huge, unaligned, below the data. */
		{ 0x20, 0x2000, UCODE_FAULT_INTEL_TRUNC },
		{ 0x20, 0xfffffffc, UCODE_FAULT_INTEL_TRUNC },
		{ 0x20, UB_INTEL_HDR + 1024 + 20 + 24 - 2,
		  UCODE_FAULT_INTEL_TOTALSIZE },
		{ 0x20, UB_INTEL_HDR + 512, UCODE_FAULT_INTEL_DATASIZE },
		/* It leaves 8 bytes for the extended table: below its header. */
		{ 0x20, UB_INTEL_HDR + 1024 + 8, UCODE_FAULT_INTEL_EXT_SIZE },
	};
	size_t len, i;
	u8 *p;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		p = uk_intel(test, &uk_intel_default, &len);
		ub_put32(p + cases[i].off, cases[i].val);
		ub_intel_fix_cksum(p);
		KUNIT_EXPECT_EQ_MSG(test, cases[i].fault, uk_fault(test, p, len),
				    "field 0x%x = 0x%x", cases[i].off, cases[i].val);
	}
	p = uk_intel(test, &uk_intel_default, &len);
	p[UB_INTEL_HDR + 100] ^= 1;
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_CHECKSUM, uk_fault(test, p, len));
	/* A data size that overflows any sum with the header. */
	p = uk_intel(test, &uk_intel_default, &len);
	ub_put32(p + 0x1c, 0xfffffff0);
	ub_put32(p + 0x10, 0);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_DATASIZE, uk_fault(test, p, len));
}

static void ucode_intel_extended_table(struct kunit *test)
{
	size_t len;
	u8 *p, *ext, *s;

	p = uk_intel(test, &uk_intel_default, &len);
	ext = p + UB_INTEL_HDR + 1024;
	ub_put32(ext, 3);
	ub_put32(ext + 4, ub_get32(ext + 4) - 1);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_EXT_SIZE, uk_fault(test, p, len));
	ub_put32(ext, 0xffffffff);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_EXT_SIZE, uk_fault(test, p, len));

	p = uk_intel(test, &uk_intel_default, &len);
	ext = p + UB_INTEL_HDR + 1024;
	ub_put32(ext + 8, 1);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_EXT_CHECKSUM,
			uk_fault(test, p, len));

	/* Keep the table's sum zero but break a signature's own triple. */
	p = uk_intel(test, &uk_intel_default, &len);
	s = p + UB_INTEL_HDR + 1024 + 20 + 12;
	ub_put32(s, ub_get32(s) + 1);
	ub_put32(s + 4, ub_get32(s + 4) - 1);
	ub_put32(s + 8, ub_get32(s + 8) + 5);
	ub_put32(s - 8, ub_get32(s - 8) - 5);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_EXT_SIG_CHECKSUM,
			uk_fault(test, p, len));
}

static void ucode_intel_metadata(struct kunit *test)
{
	/* Header edits change the checksum extended signatures must match. */
	struct ub_intel u = uk_intel_default;
	size_t len;
	u8 *p, *m;

	u.nr_ext = 0;
	p = uk_intel(test, &u, &len);
	ub_put32(p + 0x24, 2048);
	ub_intel_fix_cksum(p);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_METASIZE, uk_fault(test, p, len));

	p = uk_intel(test, &u, &len);
	m = p + UB_INTEL_HDR + 1024 - 20;
	ub_put32(m + 4, 64);
	ub_intel_fix_cksum(p);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_META_BLOCK, uk_fault(test, p, len));
	ub_put32(m + 4, 0);
	ub_intel_fix_cksum(p);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_META_BLOCK, uk_fault(test, p, len));
}

static void ucode_intel_fault_offset_names_second_patch(struct kunit *test)
{
	struct ucode_err err;
	size_t len;
	u8 *p = uk_intel(test, &uk_intel_default, &len);
	u8 *q = kunit_kmalloc(test, 2 * len, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, q);
	memcpy(q, p, len);
	memcpy(q + len, p, len);
	q[len + UB_INTEL_HDR + 8] ^= 0x80;
	KUNIT_EXPECT_EQ(test, -EINVAL, ucode_walk(q, 2 * len, NULL, NULL, &err));
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_CHECKSUM, err.fault);
	KUNIT_EXPECT_EQ(test, len, err.off);
}

static void ucode_intel_match_and_minrev(struct kunit *test)
{
	struct ub_intel u0 = { .sig = SIG, .pf = 0, .rev = 5, .datasize = 64 };
	struct ucode_file_patch patch;
	size_t len;
	u8 *p = uk_intel(test, &uk_intel_default, &len);

	KUNIT_ASSERT_EQ(test, 0, ucode_intel_parse(p, len, 0, &patch, NULL));
	KUNIT_EXPECT_TRUE(test, ucode_patch_match(&patch, SIG, 0x01));
	KUNIT_EXPECT_TRUE(test, ucode_patch_match(&patch, SIG + 1, 0x80));
	KUNIT_EXPECT_TRUE(test, ucode_patch_match(&patch, SIG + 2, 0x04));
	KUNIT_EXPECT_FALSE(test, ucode_patch_match(&patch, SIG + 3, 0x01));
	KUNIT_EXPECT_FALSE(test, ucode_patch_match(&patch, SIG, 0x08));
	KUNIT_EXPECT_FALSE(test, ucode_patch_match(&patch, SIG, 0));

	KUNIT_EXPECT_TRUE(test, ucode_patch_minrev_safe(&patch, 0x2006b06));
	KUNIT_EXPECT_TRUE(test, ucode_patch_minrev_safe(&patch, 0x2006e05));
	KUNIT_EXPECT_FALSE(test, ucode_patch_minrev_safe(&patch, 0x1));
	patch.intel.min_req_ver = 0;
	KUNIT_EXPECT_FALSE(test, ucode_patch_minrev_safe(&patch, 0x2006e05));

	/* Platform mask 0 in both the update and the CPU matches. */
	p = uk_intel(test, &u0, &len);
	KUNIT_ASSERT_EQ(test, 0, ucode_intel_parse(p, len, 0, &patch, NULL));
	KUNIT_EXPECT_TRUE(test, ucode_patch_match(&patch, SIG, 0));
	KUNIT_EXPECT_FALSE(test, ucode_patch_match(&patch, SIG, 1));
}

static void ucode_intel_default_datasize(struct kunit *test)
{
	struct ucode_file_patch patch;
	u8 *p = kunit_kzalloc(test, 2048, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	ub_put32(p, 1);
	ub_put32(p + 0x04, 0x42);
	ub_put32(p + 0x0c, 0x6f2);
	ub_put32(p + 0x14, 1);
	ub_put32(p + 0x18, 1);
	ub_put32(p + 0x10, -ub_sum(p, 2048));
	KUNIT_ASSERT_EQ(test, 0, ucode_intel_parse(p, 2048, 0, &patch, NULL));
	KUNIT_EXPECT_EQ(test, 2000, patch.intel.datasize);
	KUNIT_EXPECT_EQ(test, 2048, patch.size);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_TRUNC, uk_fault(test, p, 2047));
}

/* AMD: family 0x15 (equivalence table) and family 0x19 (Zen patch id). */
#define FAM15_SIG	0x00600f12
#define FAM15_EQ	0x6012
#define ZEN3_SIG	0x00a20f10
#define ZEN3_ID		0x0a20102d
/* Where the first patch section of uk_amd()'s container starts. */
#define UK_AMD_SEC	(12 + 48)

static u8 *uk_amd(struct kunit *test, size_t *len)
{
	static const u32 cpu[] = { FAM15_SIG, ZEN3_SIG };
	static const u16 id[] = { FAM15_EQ, 0xa210 };
	static const struct ub_amd_patch pt[] = {
		{ .patch_id = 0x0600063e, .equiv_id = FAM15_EQ, .size = 2592 },
		{ .patch_id = ZEN3_ID, .equiv_id = 0xa210, .size = 5568 },
	};
	u8 *p;

	*len = ub_amd_fill(NULL, cpu, id, 2, pt, 2);
	p = kunit_kmalloc(test, *len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	ub_amd_fill(p, cpu, id, 2, pt, 2);
	return p;
}

struct uk_amd_seen {
	int nr;
	struct ucode_file_patch last[4];
};

static int uk_amd_collect(void *ctx, const struct ucode_file_patch *patch)
{
	struct uk_amd_seen *seen = ctx;

	if (seen->nr < 4)
		seen->last[seen->nr] = *patch;
	seen->nr++;
	return 0;
}

static void ucode_amd_valid_parses_and_matches(struct kunit *test)
{
	struct uk_amd_seen seen = {};
	size_t len;
	u8 *p = uk_amd(test, &len);
	u8 *two = kunit_kmalloc(test, 2 * len, GFP_KERNEL);

	KUNIT_ASSERT_EQ(test, 0, ucode_walk(p, len, uk_amd_collect, &seen, NULL));
	KUNIT_ASSERT_EQ(test, 2, seen.nr);
	KUNIT_EXPECT_EQ(test, UCODE_VENDOR_AMD, seen.last[0].vendor);
	KUNIT_EXPECT_EQ(test, 0x15, seen.last[0].amd.family);
	KUNIT_EXPECT_EQ(test, 0x19, seen.last[1].amd.family);
	KUNIT_EXPECT_TRUE(test, ucode_patch_match(&seen.last[0], FAM15_SIG, 0));
	KUNIT_EXPECT_FALSE(test, ucode_patch_match(&seen.last[0], FAM15_SIG + 1, 0));
	KUNIT_EXPECT_TRUE(test, ucode_patch_match(&seen.last[1], ZEN3_SIG, 0));
	/* CPUID type bits do not matter, stepping does. */
	KUNIT_EXPECT_TRUE(test, ucode_patch_match(&seen.last[1], ZEN3_SIG | 0x3000, 0));
	KUNIT_EXPECT_FALSE(test, ucode_patch_match(&seen.last[1], ZEN3_SIG + 1, 0));
	KUNIT_EXPECT_EQ(test, ZEN3_SIG, ucode_amd_zen_sig(ZEN3_ID));
	KUNIT_EXPECT_FALSE(test, ucode_patch_minrev_safe(&seen.last[1], ZEN3_ID));

	/* Two containers back to back. */
	KUNIT_ASSERT_NOT_NULL(test, two);
	memcpy(two, p, len);
	memcpy(two + len, p, len);
	seen.nr = 0;
	KUNIT_ASSERT_EQ(test, 0, ucode_walk(two, 2 * len, uk_amd_collect, &seen,
					    NULL));
	KUNIT_EXPECT_EQ(test, 4, seen.nr);
}

static void ucode_amd_container_faults(struct kunit *test)
{
	size_t len;
	u8 *p = uk_amd(test, &len);
	u8 *q = kunit_kzalloc(test, len + 8, GFP_KERNEL);

	KUNIT_EXPECT_EQ(test, UCODE_FAULT_AMD_TRUNC_HDR, uk_fault(test, p, 11));
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_AMD_SECTION_LEN,
			uk_fault(test, p, len - 1));
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_AMD_TRUNC_SECTION,
			uk_fault(test, p, UK_AMD_SEC + 6));

	/* Trailing bytes: a cut section header, then an unknown section. */
	KUNIT_ASSERT_NOT_NULL(test, q);
	memcpy(q, p, len);
	ub_put32(q + len, 0x12345678);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_AMD_TRUNC_SECTION,
			uk_fault(test, q, len + 2));
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_AMD_SECTION_TYPE,
			uk_fault(test, q, len + 8));

	/* Without the magic the file is read as Intel, and refused. */
	p[0] ^= 0xff;
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_INTEL_HDRVER, uk_fault(test, p, len));
}

static void ucode_amd_field_faults(struct kunit *test)
{
	static const struct {
		u32 off, val;
		enum ucode_fault fault;
	} cases[] = {
		{ 4, 1, UCODE_FAULT_AMD_EQUIV_TYPE },
		{ 8, 47, UCODE_FAULT_AMD_EQUIV_LEN },
		{ 8, 0xfffffff0, UCODE_FAULT_AMD_EQUIV_LEN },
		{ UK_AMD_SEC, 7, UCODE_FAULT_AMD_SECTION_TYPE },
		{ UK_AMD_SEC + 4, 0x10000000, UCODE_FAULT_AMD_SECTION_LEN },
		/* Long by one section header: the next "section" is data. */
		{ UK_AMD_SEC + 4, 2592 + 8, UCODE_FAULT_AMD_SECTION_TYPE },
	};
	size_t len, i;
	u8 *p;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		p = uk_amd(test, &len);
		ub_put32(p + cases[i].off, cases[i].val);
		KUNIT_EXPECT_EQ_MSG(test, cases[i].fault, uk_fault(test, p, len),
				    "field 0x%x = 0x%x", cases[i].off, cases[i].val);
	}
}

static void ucode_amd_patch_sizes(struct kunit *test)
{
	static const u32 cpu[] = { FAM15_SIG };
	static const u16 id[] = { FAM15_EQ };
	struct ub_amd_patch pt = { 0x0600063e, FAM15_EQ, 4100 };
	u8 *c = kunit_kzalloc(test, 12 + 32 + 8 + 40, GFP_KERNEL);
	size_t len;
	u8 *p;

	/* A patch smaller than its own header. */
	KUNIT_ASSERT_NOT_NULL(test, c);
	ub_put32(c, UB_AMD_MAGIC);
	ub_put32(c + 8, 32);
	ub_put32(c + 44, 1);
	ub_put32(c + 48, 40);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_AMD_PATCH_SIZE,
			uk_fault(test, c, 12 + 32 + 8 + 40));

	/* Larger than family 15h allows. */
	len = ub_amd_fill(NULL, cpu, id, 1, &pt, 1);
	p = kunit_kmalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, p);
	ub_amd_fill(p, cpu, id, 1, &pt, 1);
	KUNIT_EXPECT_EQ(test, UCODE_FAULT_AMD_PATCH_SIZE, uk_fault(test, p, len));
}

static struct kunit_case ucode_parse_cases[] = {
	KUNIT_CASE(ucode_intel_valid_parses),
	KUNIT_CASE(ucode_intel_truncations),
	KUNIT_CASE(ucode_intel_header_fields),
	KUNIT_CASE(ucode_intel_extended_table),
	KUNIT_CASE(ucode_intel_metadata),
	KUNIT_CASE(ucode_intel_fault_offset_names_second_patch),
	KUNIT_CASE(ucode_intel_match_and_minrev),
	KUNIT_CASE(ucode_intel_default_datasize),
	KUNIT_CASE(ucode_amd_valid_parses_and_matches),
	KUNIT_CASE(ucode_amd_container_faults),
	KUNIT_CASE(ucode_amd_field_faults),
	KUNIT_CASE(ucode_amd_patch_sizes),
	{}
};

static struct kunit_suite ucode_parse_suite = {
	.name = "fwact_ucode_parse",
	.test_cases = ucode_parse_cases,
};

kunit_test_suite(ucode_parse_suite);

MODULE_DESCRIPTION("KUnit tests of fwact's x86 microcode parser");
MODULE_LICENSE("GPL");
