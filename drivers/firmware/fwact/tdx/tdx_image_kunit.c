// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite of the TDX module image parser (tdx_image.c). Images are
 * built here in both formats, unsigned (the parser does not check the
 * signature: the P-SEAMLDR does), each in an allocation of exactly its
 * size so that KASAN sees any read past it. Good images of both formats
 * carry the same fields; every header and sigstruct rule refuses with its
 * own fault and the offset of the field; the CPUID table and the update
 * rules compare what they should; SEAMLDR_PARAMS names every page of the
 * image and is refused by the P-SEAMLDR's rules when it breaks one.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "tdx_image.h"

#define PG	TDX_IMAGE_PAGE_SIZE

/* What an image is built from; zero values are the defaults below. */
struct tdx_kt_spec {
	enum tdx_image_format format;
	u32 module_pages;
	u32 v1_pad;
	u32 nr_cpuids;
	bool debug;
};

static void tdx_kt_sigstruct(u8 *s, const struct tdx_kt_spec *spec)
{
	u32 i;

	put_unaligned_le32(TDX_SIGSTRUCT_TYPE_GENERIC_FW, s + TDX_SIGSTRUCT_HEADER_TYPE);
	put_unaligned_le32(TDX_SIGSTRUCT_HEADER_DWORDS, s + TDX_SIGSTRUCT_HEADER_LEN);
	put_unaligned_le32(TDX_SIGSTRUCT_VERSION_1_0, s + TDX_SIGSTRUCT_HEADER_VER);
	put_unaligned_le32(spec->debug ? TDX_SIGSTRUCT_DEBUG_SIGNED : 0,
			   s + TDX_SIGSTRUCT_MODULE_TYPE);
	put_unaligned_le32(TDX_SIGSTRUCT_VENDOR_INTEL, s + TDX_SIGSTRUCT_VENDOR);
	put_unaligned_le32(0x20261201, s + TDX_SIGSTRUCT_DATE);
	put_unaligned_le32(TDX_SIGSTRUCT_DWORDS, s + TDX_SIGSTRUCT_SIZE_DWORDS);
	put_unaligned_le32(TDX_SIGSTRUCT_KEY_DWORDS, s + TDX_SIGSTRUCT_KEY_SIZE);
	put_unaligned_le32(TDX_SIGSTRUCT_KEY_DWORDS, s + TDX_SIGSTRUCT_MODULUS_SIZE);
	put_unaligned_le32(TDX_SIGSTRUCT_EXPONENT_DWORDS,
			   s + TDX_SIGSTRUCT_EXPONENT_SIZE);
	put_unaligned_le32(TDX_SIGSTRUCT_RSA_EXPONENT, s + TDX_SIGSTRUCT_EXPONENT);
	memset(s + TDX_SIGSTRUCT_MODULUS, 0xa5, TDX_SIGSTRUCT_RSA_BYTES);
	memset(s + TDX_SIGSTRUCT_SIGNATURE, 0x5a, TDX_SIGSTRUCT_RSA_BYTES);
	memset(s + TDX_SIGSTRUCT_SEAMHASH, 0x3c, TDX_SIGSTRUCT_HASH_BYTES);
	s[TDX_SIGSTRUCT_SEAMSVN] = 2;
	s[TDX_SIGSTRUCT_SEAMSVN + 1] = 1;
	put_unaligned_le64(0x1234, s + TDX_SIGSTRUCT_ATTRIBUTES);
	put_unaligned_le16(3, s + TDX_SIGSTRUCT_MODULE_HV);
	put_unaligned_le16(1, s + TDX_SIGSTRUCT_MIN_UPDATE_HV);
	s[TDX_SIGSTRUCT_NO_DOWNGRADE] = 1;
	put_unaligned_le16(2, s + TDX_SIGSTRUCT_HANDOFF_PAGES);
	put_unaligned_le32(spec->nr_cpuids, s + TDX_SIGSTRUCT_CPUID_SIZE);
	for (i = 0; i < spec->nr_cpuids && i < TDX_SIGSTRUCT_MAX_CPUIDS; i++)
		put_unaligned_le32(0x806f8 + 0x10000 * i,
				   s + TDX_SIGSTRUCT_CPUID_TABLE + 4 * i);
}

static size_t tdx_kt_size(const struct tdx_kt_spec *spec)
{
	if (spec->format == TDX_IMAGE_FORMAT_V1)
		return (size_t)PG * (2 + spec->v1_pad + spec->module_pages);
	return (size_t)PG * (2 + spec->module_pages);
}

/* Make the 16-bit words of a version 0x100 blob sum to zero again. */
static void tdx_kt_fix_checksum(u8 *img, size_t size)
{
	u16 cur;

	put_unaligned_le16(0, img + 2);
	cur = tdx_image_v1_checksum(img, size);
	put_unaligned_le16((u16)-cur, img + 2);
}

/* An image of exactly its size, freed with the test. */
static u8 *tdx_kt_build(struct kunit *test, struct tdx_kt_spec spec,
			size_t *size)
{
	size_t i, len;
	u8 *img;

	if (!spec.module_pages)
		spec.module_pages = 2;
	if (!spec.nr_cpuids)
		spec.nr_cpuids = 2;
	len = tdx_kt_size(&spec);
	img = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, img);
	memcpy(img + (spec.format == TDX_IMAGE_FORMAT_V1 ?
		      TDX_IMAGE_V1_SIGNATURE : TDX_IMAGE_V2_SIGNATURE),
	       TDX_IMAGE_SIGNATURE, TDX_IMAGE_SIGNATURE_LEN);
	tdx_kt_sigstruct(img + PG, &spec);
	for (i = len - (size_t)PG * spec.module_pages; i < len; i++)
		img[i] = (u8)(i * 7 + 1);
	if (spec.format == TDX_IMAGE_FORMAT_V1) {
		put_unaligned_le16(TDX_IMAGE_V1, img);
		put_unaligned_le32(PG * (2 + spec.v1_pad),
				   img + TDX_IMAGE_V1_MODULE_OFF);
		put_unaligned_le32(len, img + TDX_IMAGE_V1_LENGTH);
		tdx_kt_fix_checksum(img, len);
	} else {
		put_unaligned_le16(TDX_IMAGE_V2, img);
		put_unaligned_le32(1, img + TDX_IMAGE_V2_SIG_PAGES);
		put_unaligned_le32(spec.module_pages,
				   img + TDX_IMAGE_V2_MOD_PAGES);
	}
	*size = len;
	return img;
}

/*
 * Parse @len bytes of @src from a copy of exactly that size, which lives
 * as long as the test so that @img may point into it.
 */
static int tdx_kt_parse(struct kunit *test, const u8 *src, size_t len,
			struct tdx_image *img, struct tdx_image_err *err)
{
	u8 *copy = kunit_kmalloc(test, len ? len : 1, GFP_KERNEL);
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, copy);
	memcpy(copy, src, len);
	memset(err, 0, sizeof(*err));
	ret = tdx_image_parse(copy, len, img, err);
	if (!ret) {
		KUNIT_EXPECT_EQ(test, img->module_off +
				(size_t)PG * img->module_pages, len);
	} else {
		KUNIT_EXPECT_EQ(test, ret, -EINVAL);
		KUNIT_EXPECT_GT(test, err->fault, TDX_IMAGE_FAULT_NONE);
		KUNIT_EXPECT_LT(test, err->fault, TDX_IMAGE_FAULT_NR);
	}
	return ret;
}

/* Expect @fault at @off from the image as modified. */
static void tdx_kt_expect(struct kunit *test, const u8 *img, size_t len,
			  enum tdx_image_fault fault, size_t off)
{
	struct tdx_image_err err;
	struct tdx_image parsed;

	KUNIT_EXPECT_EQ(test, -EINVAL, tdx_kt_parse(test, img, len, &parsed, &err));
	KUNIT_EXPECT_STREQ(test, tdx_image_fault_str(fault),
			   tdx_image_fault_str(err.fault));
	KUNIT_EXPECT_EQ(test, off, err.off);
}

static void tdx_kt_expect_ok(struct kunit *test, const u8 *img, size_t len)
{
	struct tdx_image_err err;
	struct tdx_image parsed;

	KUNIT_EXPECT_EQ_MSG(test, 0, tdx_kt_parse(test, img, len, &parsed, &err),
			    "%s at %zu", tdx_image_fault_str(err.fault), err.off);
}

static void tdx_image_both_formats_carry_the_same_fields(struct kunit *test)
{
	struct tdx_kt_spec v1 = { .format = TDX_IMAGE_FORMAT_V1, .v1_pad = 1 };
	struct tdx_kt_spec v2 = { .format = TDX_IMAGE_FORMAT_V2 };
	struct tdx_image a, b;
	struct tdx_image_err err;
	size_t la, lb;
	u8 *ia = tdx_kt_build(test, v1, &la);
	u8 *ib = tdx_kt_build(test, v2, &lb);

	KUNIT_ASSERT_EQ(test, 0, tdx_kt_parse(test, ia, la, &a, &err));
	KUNIT_ASSERT_EQ(test, 0, tdx_kt_parse(test, ib, lb, &b, &err));
	KUNIT_EXPECT_EQ(test, a.format, TDX_IMAGE_FORMAT_V1);
	KUNIT_EXPECT_EQ(test, b.format, TDX_IMAGE_FORMAT_V2);
	KUNIT_EXPECT_EQ(test, a.module_off, 3 * PG);
	KUNIT_EXPECT_EQ(test, b.module_off, 2 * PG);
	KUNIT_EXPECT_EQ(test, a.module_pages, 2);
	KUNIT_EXPECT_EQ(test, b.module_pages, 2);
	KUNIT_EXPECT_EQ(test, 0, memcmp(tdx_image_module(&a),
					tdx_image_module(&b), 2 * PG));
	KUNIT_EXPECT_EQ(test, 0, memcmp(tdx_image_sigstruct(&a),
					tdx_image_sigstruct(&b), PG));
	KUNIT_EXPECT_FALSE(test, b.sig.debug);
	KUNIT_EXPECT_EQ(test, b.sig.vendor, 0x8086);
	KUNIT_EXPECT_EQ(test, b.sig.date, 0x20261201);
	KUNIT_EXPECT_EQ(test, b.sig.svn_major, 1);
	KUNIT_EXPECT_EQ(test, b.sig.svn_minor, 2);
	KUNIT_EXPECT_EQ(test, b.sig.attributes, 0x1234);
	KUNIT_EXPECT_EQ(test, b.sig.module_hv, 3);
	KUNIT_EXPECT_EQ(test, b.sig.min_update_hv, 1);
	KUNIT_EXPECT_TRUE(test, b.sig.no_downgrade);
	KUNIT_EXPECT_EQ(test, b.sig.num_handoff_pages, 2);
	KUNIT_EXPECT_EQ(test, b.sig.nr_cpuids, 2);
	KUNIT_EXPECT_EQ(test, tdx_sigstruct_cpuid(&b.sig, 1), 0x906f8);
	KUNIT_EXPECT_PTR_EQ(test, b.sig.seamhash,
			    tdx_image_sigstruct(&b) + TDX_SIGSTRUCT_SEAMHASH);
}

static void tdx_image_page_counts_have_limits(struct kunit *test)
{
	struct tdx_kt_spec max = { .module_pages = TDX_IMAGE_MAX_MODULE_PAGES };
	struct tdx_image_err err;
	struct tdx_image parsed;
	size_t len;
	u8 *img = tdx_kt_build(test, max, &len);

	KUNIT_EXPECT_EQ(test, 0, tdx_kt_parse(test, img, len, &parsed, &err));
	KUNIT_EXPECT_EQ(test, parsed.module_pages, 496);
	/* 497 pages, in the count and in the length. */
	put_unaligned_le32(497, img + TDX_IMAGE_V2_MOD_PAGES);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_MOD_PAGES,
		      TDX_IMAGE_V2_MOD_PAGES);
	put_unaligned_le32(0, img + TDX_IMAGE_V2_MOD_PAGES);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_MOD_PAGES,
		      TDX_IMAGE_V2_MOD_PAGES);
	put_unaligned_le32(U32_MAX, img + TDX_IMAGE_V2_MOD_PAGES);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_MOD_PAGES,
		      TDX_IMAGE_V2_MOD_PAGES);
	put_unaligned_le32(496, img + TDX_IMAGE_V2_MOD_PAGES);
	put_unaligned_le32(0, img + TDX_IMAGE_V2_SIG_PAGES);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_SIG_PAGES,
		      TDX_IMAGE_V2_SIG_PAGES);
	put_unaligned_le32(2, img + TDX_IMAGE_V2_SIG_PAGES);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_SIG_PAGES,
		      TDX_IMAGE_V2_SIG_PAGES);
}

static void tdx_image_v2_header_rules(struct kunit *test)
{
	static const size_t reserved[] = { 20, 21, 1000, PG - 1 };
	struct tdx_kt_spec v2 = { .format = TDX_IMAGE_FORMAT_V2 };
	size_t len, i;
	u8 *img = tdx_kt_build(test, v2, &len);

	tdx_kt_expect(test, img, 0, TDX_IMAGE_FAULT_TRUNC_HDR, 0);
	tdx_kt_expect(test, img, PG - 1, TDX_IMAGE_FAULT_TRUNC_HDR, PG - 1);
	/* Cut at each page and one byte short or long of the end. */
	for (i = PG; i < len; i += PG)
		tdx_kt_expect(test, img, i, TDX_IMAGE_FAULT_LENGTH, i);
	tdx_kt_expect(test, img, len - 1, TDX_IMAGE_FAULT_LENGTH, len - 1);
	for (i = 0; i < ARRAY_SIZE(reserved); i++) {
		img[reserved[i]] = 0x80;
		tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_RESERVED,
			      reserved[i]);
		img[reserved[i]] = 0;
	}
	img[TDX_IMAGE_V2_SIGNATURE + 7] ^= 1;
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_SIGNATURE,
		      TDX_IMAGE_V2_SIGNATURE);
	img[TDX_IMAGE_V2_SIGNATURE + 7] ^= 1;
	put_unaligned_le16(0x201, img);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_VERSION, 0);
	put_unaligned_le16(TDX_IMAGE_V2, img);
	/* The 0x200 checksum field is not checked. */
	put_unaligned_le16(0xbeef, img + 2);
	tdx_kt_expect_ok(test, img, len);
}

static void tdx_image_v1_header_rules(struct kunit *test)
{
	struct tdx_kt_spec v1 = { .format = TDX_IMAGE_FORMAT_V1 };
	size_t len;
	u8 *img = tdx_kt_build(test, v1, &len);

	img[len - 1] ^= 0x40;
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_CHECKSUM, 2);
	img[len - 1] ^= 0x40;
	tdx_kt_expect(test, img, len - PG, TDX_IMAGE_FAULT_LENGTH,
		      TDX_IMAGE_V1_LENGTH);
	/* A length that lies matches neither the bytes nor the checksum. */
	put_unaligned_le32(len + PG, img + TDX_IMAGE_V1_LENGTH);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_LENGTH,
		      TDX_IMAGE_V1_LENGTH);
	put_unaligned_le32(len, img + TDX_IMAGE_V1_LENGTH);

	put_unaligned_le32(PG, img + TDX_IMAGE_V1_MODULE_OFF);
	tdx_kt_fix_checksum(img, len);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_MOD_OFFSET,
		      TDX_IMAGE_V1_MODULE_OFF);
	put_unaligned_le32(2 * PG + 8, img + TDX_IMAGE_V1_MODULE_OFF);
	tdx_kt_fix_checksum(img, len);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_MOD_OFFSET,
		      TDX_IMAGE_V1_MODULE_OFF);
	put_unaligned_le32(len, img + TDX_IMAGE_V1_MODULE_OFF);
	tdx_kt_fix_checksum(img, len);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_MOD_OFFSET,
		      TDX_IMAGE_V1_MODULE_OFF);
	put_unaligned_le32(U32_MAX & ~(PG - 1), img + TDX_IMAGE_V1_MODULE_OFF);
	tdx_kt_fix_checksum(img, len);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_MOD_OFFSET,
		      TDX_IMAGE_V1_MODULE_OFF);
	put_unaligned_le32(2 * PG, img + TDX_IMAGE_V1_MODULE_OFF);

	/* A module that is not a whole number of pages. */
	put_unaligned_le32(len - 2, img + TDX_IMAGE_V1_LENGTH);
	tdx_kt_fix_checksum(img, len - 2);
	tdx_kt_expect(test, img, len - 2, TDX_IMAGE_FAULT_MOD_PAGES, 2 * PG);
}

static void tdx_image_v1_module_page_limit(struct kunit *test)
{
	struct tdx_kt_spec v1 = { .format = TDX_IMAGE_FORMAT_V1,
				  .module_pages = TDX_IMAGE_MAX_MODULE_PAGES + 1 };
	struct tdx_image_err err;
	struct tdx_image parsed;
	size_t len;
	u8 *img = tdx_kt_build(test, v1, &len);

	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_MOD_PAGES, 2 * PG);
	/* The same blob with its first module page taken as padding. */
	put_unaligned_le32(3 * PG, img + TDX_IMAGE_V1_MODULE_OFF);
	tdx_kt_fix_checksum(img, len);
	KUNIT_EXPECT_EQ(test, 0, tdx_kt_parse(test, img, len, &parsed, &err));
	KUNIT_EXPECT_EQ(test, parsed.module_pages, 496);
}

static void tdx_image_sigstruct_rules(struct kunit *test)
{
	static const u16 fixed[] = {
		TDX_SIGSTRUCT_HEADER_TYPE, TDX_SIGSTRUCT_HEADER_LEN,
		TDX_SIGSTRUCT_HEADER_VER, TDX_SIGSTRUCT_SIZE_DWORDS,
		TDX_SIGSTRUCT_KEY_SIZE, TDX_SIGSTRUCT_MODULUS_SIZE,
		TDX_SIGSTRUCT_EXPONENT_SIZE, TDX_SIGSTRUCT_EXPONENT,
	};
	static const u16 reserved[] = {
		TDX_SIGSTRUCT_RESERVED0, TDX_SIGSTRUCT_MODULUS - 1,
		TDX_SIGSTRUCT_RESERVED1, TDX_SIGSTRUCT_MODULE_HV - 1,
		TDX_SIGSTRUCT_RESERVED2,
		TDX_SIGSTRUCT_RESERVED3, TDX_SIGSTRUCT_CPUID_SIZE - 1,
	};
	struct tdx_kt_spec v2 = { .format = TDX_IMAGE_FORMAT_V2 };
	u8 *img, *s;
	size_t len, i;

	img = tdx_kt_build(test, v2, &len);
	s = img + PG;
	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		s[fixed[i]] ^= 2;
		tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_SIG_HEADER,
			      PG + fixed[i]);
		s[fixed[i]] ^= 2;
	}
	s[TDX_SIGSTRUCT_VENDOR] ^= 1;
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_SIG_VENDOR,
		      PG + TDX_SIGSTRUCT_VENDOR);
	s[TDX_SIGSTRUCT_VENDOR] ^= 1;
	for (i = 0; i < ARRAY_SIZE(reserved); i++) {
		s[reserved[i]] = 1;
		tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_SIG_RESERVED,
			      PG + reserved[i]);
		s[reserved[i]] = 0;
	}
	put_unaligned_le32(TDX_SIGSTRUCT_MAX_CPUIDS + 1,
			   s + TDX_SIGSTRUCT_CPUID_SIZE);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_SIG_CPUID,
		      PG + TDX_SIGSTRUCT_CPUID_SIZE);
	put_unaligned_le32(0, s + TDX_SIGSTRUCT_CPUID_SIZE);
	tdx_kt_expect(test, img, len, TDX_IMAGE_FAULT_SIG_CPUID,
		      PG + TDX_SIGSTRUCT_CPUID_SIZE);
	/* A debug module may have no CPUID table. */
	put_unaligned_le32(TDX_SIGSTRUCT_DEBUG_SIGNED,
			   s + TDX_SIGSTRUCT_MODULE_TYPE);
	tdx_kt_expect_ok(test, img, len);
	/* The full table, 255 entries up to the sigstruct's last byte. */
	put_unaligned_le32(TDX_SIGSTRUCT_MAX_CPUIDS,
			   s + TDX_SIGSTRUCT_CPUID_SIZE);
	tdx_kt_expect_ok(test, img, len);
}

static void tdx_image_cpuid_table_ignores_stepping(struct kunit *test)
{
	struct tdx_kt_spec v2 = { .nr_cpuids = 2 };
	struct tdx_image_err err;
	struct tdx_image img;
	size_t len;
	u8 *raw = tdx_kt_build(test, v2, &len);

	KUNIT_ASSERT_EQ(test, 0, tdx_kt_parse(test, raw, len, &img, &err));
	/* Entries 0x806f8 and 0x906f8. */
	KUNIT_EXPECT_TRUE(test, tdx_sigstruct_runs_on(&img.sig, 0x806f8));
	KUNIT_EXPECT_TRUE(test, tdx_sigstruct_runs_on(&img.sig, 0x806f0));
	KUNIT_EXPECT_TRUE(test, tdx_sigstruct_runs_on(&img.sig, 0x906f3));
	KUNIT_EXPECT_FALSE(test, tdx_sigstruct_runs_on(&img.sig, 0xa06f8));
	KUNIT_EXPECT_FALSE(test, tdx_sigstruct_runs_on(&img.sig, 0x806e8));
	KUNIT_EXPECT_FALSE(test, tdx_sigstruct_runs_on(&img.sig, 0x807f8));
	/* Only the entries the size counts are looked at. */
	img.sig.nr_cpuids = 1;
	KUNIT_EXPECT_FALSE(test, tdx_sigstruct_runs_on(&img.sig, 0x906f8));
}

static void tdx_image_update_rules(struct kunit *test)
{
	/* SVN 1.2, handoff versions 1..3 (tdx_kt_sigstruct()). */
	struct tdx_kt_spec v2 = {};
	struct tdx_running cur = { .svn_major = 1, .svn_minor = 2,
				   .module_hv = 1 };
	struct tdx_image_err err;
	struct tdx_image img;
	size_t len;
	u8 *raw = tdx_kt_build(test, v2, &len);

	KUNIT_ASSERT_EQ(test, 0, tdx_kt_parse(test, raw, len, &img, &err));
	KUNIT_EXPECT_EQ(test, TDX_UPDATE_FAULT_NONE,
			tdx_image_update_check(&img.sig, &cur, false));
	cur.svn_minor = 3;
	KUNIT_EXPECT_EQ(test, TDX_UPDATE_FAULT_SVN,
			tdx_image_update_check(&img.sig, &cur, false));
	/* The major SVN weighs more than any minor one. */
	cur.svn_major = 0;
	cur.svn_minor = 0xff;
	KUNIT_EXPECT_EQ(test, TDX_UPDATE_FAULT_NONE,
			tdx_image_update_check(&img.sig, &cur, false));
	cur.module_hv = 3;
	KUNIT_EXPECT_EQ(test, TDX_UPDATE_FAULT_NONE,
			tdx_image_update_check(&img.sig, &cur, false));
	cur.module_hv = 4;
	KUNIT_EXPECT_EQ(test, TDX_UPDATE_FAULT_HANDOFF,
			tdx_image_update_check(&img.sig, &cur, false));
	cur.module_hv = 0;
	KUNIT_EXPECT_EQ(test, TDX_UPDATE_FAULT_HANDOFF,
			tdx_image_update_check(&img.sig, &cur, false));
	cur.module_hv = 2;
	img.sig.debug = true;
	KUNIT_EXPECT_EQ(test, TDX_UPDATE_FAULT_DEBUG,
			tdx_image_update_check(&img.sig, &cur, false));
	KUNIT_EXPECT_EQ(test, TDX_UPDATE_FAULT_NONE,
			tdx_image_update_check(&img.sig, &cur, true));
}

static void tdx_image_every_truncation_is_refused(struct kunit *test)
{
	struct tdx_kt_spec spec = { .module_pages = 1 };
	struct tdx_image_err err;
	struct tdx_image parsed;
	size_t len, cut;
	u8 *img;

	for (spec.format = TDX_IMAGE_FORMAT_V1;
	     spec.format <= TDX_IMAGE_FORMAT_V2; spec.format++) {
		img = tdx_kt_build(test, spec, &len);
		KUNIT_EXPECT_EQ(test, 0, tdx_kt_parse(test, img, len, &parsed, &err));
		for (cut = 0; cut < len; cut += 61)
			KUNIT_EXPECT_EQ(test, -EINVAL,
					tdx_kt_parse(test, img, cut, &parsed, &err));
	}
}

/* A physical address space of its own: the image's offsets from 1 GiB. */
#define TDX_KT_PA_BASE	0x40000000ULL

struct tdx_kt_pa {
	const u8 *base;
	u32 bad_page;	/* the call that gets an unaligned address, or 0 */
	u32 calls;
};

static u64 tdx_kt_pa(const void *page, void *ctx)
{
	struct tdx_kt_pa *pa = ctx;
	u64 addr = TDX_KT_PA_BASE + ((const u8 *)page - pa->base);

	if (++pa->calls == pa->bad_page)
		addr += 8;
	return addr;
}

static void tdx_image_params_describe_every_page(struct kunit *test)
{
	struct tdx_kt_spec spec = { .format = TDX_IMAGE_FORMAT_V1,
				    .module_pages = 3, .v1_pad = 2 };
	u8 *params = kunit_kmalloc(test, TDX_PARAMS_SIZE, GFP_KERNEL);
	struct tdx_image_err err;
	struct tdx_image img;
	struct tdx_kt_pa pa;
	size_t len;
	u8 *raw = tdx_kt_build(test, spec, &len);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, params);
	KUNIT_ASSERT_EQ(test, 0, tdx_kt_parse(test, raw, len, &img, &err));
	pa = (struct tdx_kt_pa){ .base = img.data };
	memset(params, 0xff, TDX_PARAMS_SIZE);
	KUNIT_ASSERT_EQ(test, 0, tdx_image_params(&img, params, tdx_kt_pa, &pa));
	KUNIT_EXPECT_EQ(test, pa.calls, 4);
	KUNIT_EXPECT_EQ(test, 0, get_unaligned_le32(params + TDX_PARAMS_VERSION));
	KUNIT_EXPECT_EQ(test, TDX_PARAMS_SCENARIO_UPDATE,
			get_unaligned_le32(params + TDX_PARAMS_SCENARIO));
	KUNIT_EXPECT_EQ(test, TDX_KT_PA_BASE + PG,
			get_unaligned_le64(params + TDX_PARAMS_SIGSTRUCT_PA));
	KUNIT_EXPECT_EQ(test, 3,
			get_unaligned_le64(params + TDX_PARAMS_NUM_MODULE_PAGES));
	/* The module starts after the header, sigstruct and 2 pad pages. */
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, TDX_KT_PA_BASE + (4 + i) * PG,
				get_unaligned_le64(params + TDX_PARAMS_MODULE_PA_LIST +
						   8 * i));
	KUNIT_EXPECT_NULL(test, memchr_inv(params + TDX_PARAMS_MODULE_PA_LIST + 8 * 3,
					   0, TDX_PARAMS_SIZE -
					   TDX_PARAMS_MODULE_PA_LIST - 8 * 3));
	KUNIT_EXPECT_NULL(test, memchr_inv(params + TDX_PARAMS_RESERVED, 0,
					   TDX_PARAMS_NUM_MODULE_PAGES -
					   TDX_PARAMS_RESERVED));
	KUNIT_EXPECT_EQ(test, TDX_PARAMS_FAULT_NONE, tdx_params_check(params));

	/* An address that is not page aligned leaves nothing behind. */
	pa = (struct tdx_kt_pa){ .base = img.data, .bad_page = 3 };
	KUNIT_EXPECT_EQ(test, -EINVAL,
			tdx_image_params(&img, params, tdx_kt_pa, &pa));
	KUNIT_EXPECT_NULL(test, memchr_inv(params, 0, TDX_PARAMS_SIZE));
}

static void tdx_params_check_rules(struct kunit *test)
{
	static const struct {
		u16 off;
		u8 width;
		u64 val;
		enum tdx_params_fault fault;
	} cases[] = {
		{ TDX_PARAMS_VERSION, 4, 1, TDX_PARAMS_FAULT_VERSION },
		{ TDX_PARAMS_SCENARIO, 4, 2, TDX_PARAMS_FAULT_SCENARIO },
		{ TDX_PARAMS_SCENARIO, 4, TDX_PARAMS_SCENARIO_LOAD,
		  TDX_PARAMS_FAULT_NONE },
		{ TDX_PARAMS_RESERVED, 1, 1, TDX_PARAMS_FAULT_RESERVED },
		{ TDX_PARAMS_NUM_MODULE_PAGES - 1, 1, 0x80,
		  TDX_PARAMS_FAULT_RESERVED },
		{ TDX_PARAMS_NUM_MODULE_PAGES, 8, 0, TDX_PARAMS_FAULT_PAGES },
		{ TDX_PARAMS_NUM_MODULE_PAGES, 8, TDX_IMAGE_MAX_MODULE_PAGES + 1,
		  TDX_PARAMS_FAULT_PAGES },
		{ TDX_PARAMS_NUM_MODULE_PAGES, 8, U64_MAX, TDX_PARAMS_FAULT_PAGES },
		/* 496 pages: the whole list is read, and entry 495 is 0. */
		{ TDX_PARAMS_NUM_MODULE_PAGES, 8, TDX_IMAGE_MAX_MODULE_PAGES,
		  TDX_PARAMS_FAULT_NONE },
		{ TDX_PARAMS_SIGSTRUCT_PA, 8, 0x1000 + 8, TDX_PARAMS_FAULT_ALIGN },
		{ TDX_PARAMS_MODULE_PA_LIST + 8, 8, 0x3001, TDX_PARAMS_FAULT_ALIGN },
	};
	u8 *params = kunit_kzalloc(test, TDX_PARAMS_SIZE, GFP_KERNEL);
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, params);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		memset(params, 0, TDX_PARAMS_SIZE);
		put_unaligned_le32(TDX_PARAMS_SCENARIO_UPDATE,
				   params + TDX_PARAMS_SCENARIO);
		put_unaligned_le64(0x1000, params + TDX_PARAMS_SIGSTRUCT_PA);
		put_unaligned_le64(2, params + TDX_PARAMS_NUM_MODULE_PAGES);
		put_unaligned_le64(0x2000, params + TDX_PARAMS_MODULE_PA_LIST);
		put_unaligned_le64(0x3000, params + TDX_PARAMS_MODULE_PA_LIST + 8);
		if (cases[i].width == 8)
			put_unaligned_le64(cases[i].val, params + cases[i].off);
		else if (cases[i].width == 4)
			put_unaligned_le32(cases[i].val, params + cases[i].off);
		else
			params[cases[i].off] = cases[i].val;
		KUNIT_EXPECT_EQ_MSG(test, cases[i].fault, tdx_params_check(params),
				    "case %zu", i);
	}
}

/* What an upload in pieces is told: the length the header declares. */
static void tdx_image_declared_size_of_each_header(struct kunit *test)
{
	struct tdx_kt_spec v1 = { .format = TDX_IMAGE_FORMAT_V1, .v1_pad = 1 };
	struct tdx_kt_spec v2 = { .format = TDX_IMAGE_FORMAT_V2 };
	size_t l1, l2;
	u8 *i1 = tdx_kt_build(test, v1, &l1);
	u8 *i2 = tdx_kt_build(test, v2, &l2);

	KUNIT_EXPECT_EQ(test, tdx_image_declared_size(i2, l2), l2);
	KUNIT_EXPECT_EQ(test, tdx_image_declared_size(i1, l1), l1);
	/* The header alone is enough; less is not. */
	KUNIT_EXPECT_EQ(test, tdx_image_declared_size(i2, PG), l2);
	KUNIT_EXPECT_EQ(test, tdx_image_declared_size(i2, PG - 1), 0);
	/* Page counts as large as they come: no overflow on 64 bits. */
	put_unaligned_le32(0xffffffff, i2 + TDX_IMAGE_V2_MOD_PAGES);
	KUNIT_EXPECT_EQ(test, tdx_image_declared_size(i2, PG),
			(size_t)PG * (2 + 0xffffffffULL));
	put_unaligned_le16(0x300, i2);
	KUNIT_EXPECT_EQ(test, tdx_image_declared_size(i2, l2), 0);
}

static void tdx_image_fault_strings(struct kunit *test)
{
	unsigned int i, j;

	/* One distinct description per fault, none missing. */
	for (i = 0; i <= TDX_IMAGE_FAULT_NR; i++)
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, tdx_image_fault_str(i),
					    tdx_image_fault_str(j));
	for (i = 0; i <= TDX_UPDATE_FAULT_NR; i++)
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_STRNEQ(test, tdx_update_fault_str(i),
					    tdx_update_fault_str(j));
}

static struct kunit_case tdx_image_cases[] = {
	KUNIT_CASE(tdx_image_both_formats_carry_the_same_fields),
	KUNIT_CASE(tdx_image_page_counts_have_limits),
	KUNIT_CASE(tdx_image_v2_header_rules),
	KUNIT_CASE(tdx_image_v1_header_rules),
	KUNIT_CASE(tdx_image_v1_module_page_limit),
	KUNIT_CASE(tdx_image_sigstruct_rules),
	KUNIT_CASE(tdx_image_cpuid_table_ignores_stepping),
	KUNIT_CASE(tdx_image_update_rules),
	KUNIT_CASE(tdx_image_every_truncation_is_refused),
	KUNIT_CASE(tdx_image_params_describe_every_page),
	KUNIT_CASE(tdx_params_check_rules),
	KUNIT_CASE(tdx_image_declared_size_of_each_header),
	KUNIT_CASE(tdx_image_fault_strings),
	{}
};

static struct kunit_suite tdx_image_suite = {
	.name = "fwact_tdx_image",
	.test_cases = tdx_image_cases,
};

kunit_test_suite(tdx_image_suite);

MODULE_DESCRIPTION("KUnit tests of fwact's TDX module image parser");
MODULE_LICENSE("GPL");
