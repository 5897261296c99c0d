// SPDX-License-Identifier: GPL-2.0
/*
 * User-space tests of the fwact microcode parser, built from the same
 * source file as the kernel backend (drivers/firmware/fwact/microcode/
 * ucode_parse.c). Each test builds a valid Intel update or AMD container,
 * breaks exactly one thing (truncation, checksum, extended table, sizes that
 * lie, section lengths that lie, hostile counts) and checks that the parser
 * names that fault; matching and the min-rev rule are checked on valid
 * images. The last tests walk every file of the installed intel-microcode
 * and amd64-microcode packages and require zero faults (skipped where the
 * packages are not installed, e.g. in the test guest).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ucode_parse.h"
#include "ucode_build.h"

#define SIG	0x50654
#define PF	0xb7

static __u8 *intel_make(const struct ub_intel *u, size_t *len)
{
	__u8 *p;

	*len = ub_intel_size(u);
	p = malloc(*len);
	if (p)
		ub_intel_fill(p, u);
	return p;
}

static enum ucode_fault walk_fault(const void *buf, size_t len)
{
	struct ucode_err err;

	if (!ucode_walk(buf, len, NULL, NULL, &err))
		return UCODE_FAULT_NONE;
	return err.fault;
}

FIXTURE(intel) {
	struct ub_intel u;
	__u8 *p;
	size_t len;
};

FIXTURE_SETUP(intel)
{
	self->u = (struct ub_intel){ .sig = SIG, .pf = PF, .rev = 0x2007006,
				     .min_rev = 0x2006b06, .datasize = 1024,
				     .nr_ext = 2, .meta = 1 };
	self->p = intel_make(&self->u, &self->len);
	ASSERT_NE(NULL, self->p);
}

FIXTURE_TEARDOWN(intel)
{
	free(self->p);
}

TEST_F(intel, valid_parses)
{
	struct ucode_patch patch;
	struct ucode_err err;

	ASSERT_EQ(0, ucode_intel_parse(self->p, self->len, 0, &patch, &err));
	EXPECT_EQ(0x2007006, patch.rev);
	EXPECT_EQ(SIG, patch.intel.sig);
	EXPECT_EQ(PF, patch.intel.pf);
	EXPECT_EQ(1024, patch.intel.datasize);
	EXPECT_EQ(self->len, patch.intel.totalsize);
	EXPECT_EQ(2, patch.intel.ext_count);
	EXPECT_EQ(20, patch.intel.metasize);
	EXPECT_EQ(0x2006b06, patch.intel.min_req_ver);
	EXPECT_EQ(UCODE_FAULT_NONE, walk_fault(self->p, self->len));
}

TEST_F(intel, truncated_header)
{
	EXPECT_EQ(UCODE_FAULT_INTEL_TRUNC_HDR, walk_fault(self->p, 47));
}

TEST_F(intel, truncated_patch)
{
	EXPECT_EQ(UCODE_FAULT_INTEL_TRUNC, walk_fault(self->p, self->len - 4));
}

TEST_F(intel, trailing_partial_header)
{
	__u8 *q = realloc(self->p, self->len + 12);

	ASSERT_NE(NULL, q);
	self->p = q;
	memset(q + self->len, 0, 12);
	EXPECT_EQ(UCODE_FAULT_INTEL_TRUNC_HDR, walk_fault(q, self->len + 12));
}

TEST_F(intel, bad_checksum)
{
	self->p[UB_INTEL_HDR + 100] ^= 1;
	EXPECT_EQ(UCODE_FAULT_INTEL_CHECKSUM, walk_fault(self->p, self->len));
}

TEST_F(intel, bad_header_version)
{
	ub_put32(self->p, 2);
	ub_intel_fix_cksum(self->p);
	EXPECT_EQ(UCODE_FAULT_INTEL_HDRVER, walk_fault(self->p, self->len));
}

TEST_F(intel, bad_loader_version)
{
	ub_put32(self->p + 0x14, 0);
	ub_intel_fix_cksum(self->p);
	EXPECT_EQ(UCODE_FAULT_INTEL_LDRVER, walk_fault(self->p, self->len));
}

TEST_F(intel, total_size_lies_long)
{
	ub_put32(self->p + 0x20, self->len + 1024);
	ub_intel_fix_cksum(self->p);
	EXPECT_EQ(UCODE_FAULT_INTEL_TRUNC, walk_fault(self->p, self->len));
}

TEST_F(intel, total_size_huge)
{
	ub_put32(self->p + 0x20, 0xfffffffc);
	ub_intel_fix_cksum(self->p);
	EXPECT_EQ(UCODE_FAULT_INTEL_TRUNC, walk_fault(self->p, self->len));
}

TEST_F(intel, total_size_unaligned)
{
	ub_put32(self->p + 0x20, self->len - 2);
	ub_intel_fix_cksum(self->p);
	EXPECT_EQ(UCODE_FAULT_INTEL_TOTALSIZE, walk_fault(self->p, self->len));
}

TEST_F(intel, total_size_below_data)
{
	ub_put32(self->p + 0x20, UB_INTEL_HDR + 512);
	ub_intel_fix_cksum(self->p);
	EXPECT_EQ(UCODE_FAULT_INTEL_DATASIZE, walk_fault(self->p, self->len));
}

TEST_F(intel, data_size_huge)
{
	ub_put32(self->p + 0x1c, 0xfffffff0);
	ub_put32(self->p + 0x10, 0);
	EXPECT_EQ(UCODE_FAULT_INTEL_DATASIZE, walk_fault(self->p, self->len));
}

TEST_F(intel, ext_count_lies)
{
	__u8 *ext = self->p + UB_INTEL_HDR + 1024;

	ub_put32(ext, 3);
	ub_put32(ext + 4, ub_get32(ext + 4) - 1);
	EXPECT_EQ(UCODE_FAULT_INTEL_EXT_SIZE, walk_fault(self->p, self->len));
}

TEST_F(intel, ext_count_hostile)
{
	__u8 *ext = self->p + UB_INTEL_HDR + 1024;

	ub_put32(ext, 0xffffffff);
	EXPECT_EQ(UCODE_FAULT_INTEL_EXT_SIZE, walk_fault(self->p, self->len));
}

TEST_F(intel, ext_table_too_small)
{
	/* Total size leaves 8 bytes for the table: less than its header. */
	ub_put32(self->p + 0x20, UB_INTEL_HDR + 1024 + 8);
	ub_intel_fix_cksum(self->p);
	EXPECT_EQ(UCODE_FAULT_INTEL_EXT_SIZE, walk_fault(self->p, self->len));
}

TEST_F(intel, ext_table_bad_checksum)
{
	__u8 *ext = self->p + UB_INTEL_HDR + 1024;

	ub_put32(ext + 8, 1);
	EXPECT_EQ(UCODE_FAULT_INTEL_EXT_CHECKSUM,
		  walk_fault(self->p, self->len));
}

TEST_F(intel, ext_sig_bad_checksum)
{
	__u8 *s = self->p + UB_INTEL_HDR + 1024 + 20 + 12;

	/* Keep the table sum zero but break the signature's own triple. */
	ub_put32(s, ub_get32(s) + 1);
	ub_put32(s + 4, ub_get32(s + 4) - 1);
	ub_put32(s + 8, ub_get32(s + 8) + 5);
	ub_put32(s - 8, ub_get32(s - 8) - 5);
	EXPECT_EQ(UCODE_FAULT_INTEL_EXT_SIG_CHECKSUM,
		  walk_fault(self->p, self->len));
}

/* Header edits change the checksum the extended signatures must match. */
static void intel_drop_ext(struct ub_intel *u, __u8 **p, size_t *len)
{
	u->nr_ext = 0;
	free(*p);
	*p = intel_make(u, len);
}

TEST_F(intel, metasize_too_big)
{
	intel_drop_ext(&self->u, &self->p, &self->len);
	ASSERT_NE(NULL, self->p);
	ub_put32(self->p + 0x24, 2048);
	ub_intel_fix_cksum(self->p);
	EXPECT_EQ(UCODE_FAULT_INTEL_METASIZE, walk_fault(self->p, self->len));
}

TEST_F(intel, meta_block_overruns)
{
	__u8 *m;

	intel_drop_ext(&self->u, &self->p, &self->len);
	ASSERT_NE(NULL, self->p);
	m = self->p + UB_INTEL_HDR + 1024 - 20;

	ub_put32(m + 4, 64);
	ub_intel_fix_cksum(self->p);
	EXPECT_EQ(UCODE_FAULT_INTEL_META_BLOCK,
		  walk_fault(self->p, self->len));
}

TEST_F(intel, meta_block_zero_size)
{
	__u8 *m;

	intel_drop_ext(&self->u, &self->p, &self->len);
	ASSERT_NE(NULL, self->p);
	m = self->p + UB_INTEL_HDR + 1024 - 20;

	ub_put32(m + 4, 0);
	ub_intel_fix_cksum(self->p);
	EXPECT_EQ(UCODE_FAULT_INTEL_META_BLOCK,
		  walk_fault(self->p, self->len));
}

TEST_F(intel, fault_offset_names_second_patch)
{
	size_t len2 = 2 * self->len;
	__u8 *q = malloc(len2);
	struct ucode_err err;

	ASSERT_NE(NULL, q);
	memcpy(q, self->p, self->len);
	memcpy(q + self->len, self->p, self->len);
	q[self->len + UB_INTEL_HDR + 8] ^= 0x80;
	EXPECT_EQ(-EINVAL, ucode_walk(q, len2, NULL, NULL, &err));
	EXPECT_EQ(UCODE_FAULT_INTEL_CHECKSUM, err.fault);
	EXPECT_EQ(self->len, err.off);
	free(q);
}

TEST_F(intel, match_header_ext_and_pf)
{
	struct ucode_patch patch;

	ASSERT_EQ(0, ucode_intel_parse(self->p, self->len, 0, &patch, NULL));
	EXPECT_TRUE(ucode_patch_match(&patch, SIG, 0x01));
	EXPECT_TRUE(ucode_patch_match(&patch, SIG + 1, 0x80));
	EXPECT_TRUE(ucode_patch_match(&patch, SIG + 2, 0x04));
	EXPECT_FALSE(ucode_patch_match(&patch, SIG + 3, 0x01));
	EXPECT_FALSE(ucode_patch_match(&patch, SIG, 0x08));
	EXPECT_FALSE(ucode_patch_match(&patch, SIG, 0));
}

TEST(intel_match_pf_zero_both)
{
	struct ub_intel u = { .sig = SIG, .pf = 0, .rev = 5, .datasize = 64 };
	struct ucode_patch patch;
	size_t len;
	__u8 *p = intel_make(&u, &len);

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, ucode_intel_parse(p, len, 0, &patch, NULL));
	EXPECT_TRUE(ucode_patch_match(&patch, SIG, 0));
	EXPECT_FALSE(ucode_patch_match(&patch, SIG, 1));
	free(p);
}

TEST_F(intel, minrev_rule)
{
	struct ucode_patch patch;

	ASSERT_EQ(0, ucode_intel_parse(self->p, self->len, 0, &patch, NULL));
	EXPECT_TRUE(ucode_patch_minrev_safe(&patch, 0x2006b06));
	EXPECT_TRUE(ucode_patch_minrev_safe(&patch, 0x2006e05));
	EXPECT_FALSE(ucode_patch_minrev_safe(&patch, 0x1));
	patch.intel.min_req_ver = 0;
	EXPECT_FALSE(ucode_patch_minrev_safe(&patch, 0x2006e05));
}

TEST(intel_default_datasize)
{
	__u8 p[2048] = { 0 };
	struct ucode_patch patch;

	ub_put32(p, 1);
	ub_put32(p + 0x04, 0x42);
	ub_put32(p + 0x0c, 0x6f2);
	ub_put32(p + 0x14, 1);
	ub_put32(p + 0x18, 1);
	ub_put32(p + 0x10, -ub_sum(p, sizeof(p)));
	ASSERT_EQ(0, ucode_intel_parse(p, sizeof(p), 0, &patch, NULL));
	EXPECT_EQ(2000, patch.intel.datasize);
	EXPECT_EQ(2048, patch.size);
	EXPECT_EQ(UCODE_FAULT_INTEL_TRUNC, walk_fault(p, 2047));
}

/* AMD: family 0x15 (equivalence table) and family 0x19 (Zen patch id). */
#define FAM15_SIG	0x00600f12
#define FAM15_EQ	0x6012
#define ZEN3_SIG	0x00a20f10
#define ZEN3_ID		0x0a20102d

FIXTURE(amd) {
	__u8 *p;
	size_t len;
};

FIXTURE_SETUP(amd)
{
	static const __u32 cpu[] = { FAM15_SIG, ZEN3_SIG };
	static const __u16 id[] = { FAM15_EQ, 0xa210 };
	static const struct ub_amd_patch pt[] = {
		{ .patch_id = 0x0600063e, .equiv_id = FAM15_EQ, .size = 2592 },
		{ .patch_id = ZEN3_ID, .equiv_id = 0xa210, .size = 5568 },
	};

	self->len = ub_amd_fill(NULL, cpu, id, 2, pt, 2);
	self->p = malloc(self->len);
	ASSERT_NE(NULL, self->p);
	ub_amd_fill(self->p, cpu, id, 2, pt, 2);
}

FIXTURE_TEARDOWN(amd)
{
	free(self->p);
}

struct amd_seen {
	int nr;
	struct ucode_patch last[4];
};

static int amd_collect(void *ctx, const struct ucode_patch *patch)
{
	struct amd_seen *seen = ctx;

	if (seen->nr < 4)
		seen->last[seen->nr] = *patch;
	seen->nr++;
	return 0;
}

TEST_F(amd, valid_parses_and_matches)
{
	struct amd_seen seen = { 0 };

	ASSERT_EQ(0, ucode_walk(self->p, self->len, amd_collect, &seen, NULL));
	ASSERT_EQ(2, seen.nr);
	EXPECT_EQ(UCODE_VENDOR_AMD, seen.last[0].vendor);
	EXPECT_EQ(0x15, seen.last[0].amd.family);
	EXPECT_EQ(0x19, seen.last[1].amd.family);
	EXPECT_TRUE(ucode_patch_match(&seen.last[0], FAM15_SIG, 0));
	EXPECT_FALSE(ucode_patch_match(&seen.last[0], FAM15_SIG + 1, 0));
	EXPECT_TRUE(ucode_patch_match(&seen.last[1], ZEN3_SIG, 0));
	/* CPUID type bits do not matter, stepping does. */
	EXPECT_TRUE(ucode_patch_match(&seen.last[1], ZEN3_SIG | 0x3000, 0));
	EXPECT_FALSE(ucode_patch_match(&seen.last[1], ZEN3_SIG + 1, 0));
	EXPECT_EQ(ZEN3_SIG, ucode_amd_zen_sig(ZEN3_ID));
	EXPECT_FALSE(ucode_patch_minrev_safe(&seen.last[1], ZEN3_ID));
}

TEST_F(amd, bad_magic_is_not_amd)
{
	/* Without the magic the file is read as Intel, and rejected. */
	self->p[0] ^= 0xff;
	EXPECT_EQ(UCODE_FAULT_INTEL_HDRVER, walk_fault(self->p, self->len));
}

TEST_F(amd, trailing_garbage)
{
	__u8 *q = malloc(self->len + 8);

	ASSERT_NE(NULL, q);
	memcpy(q, self->p, self->len);
	ub_put32(q + self->len, 0x12345678);
	ub_put32(q + self->len + 4, 0);
	EXPECT_EQ(UCODE_FAULT_AMD_TRUNC_SECTION,
		  walk_fault(q, self->len + 2));
	EXPECT_EQ(UCODE_FAULT_AMD_SECTION_TYPE, walk_fault(q, self->len + 8));
	free(q);
}

TEST_F(amd, not_equiv_table_first)
{
	ub_put32(self->p + 4, 1);
	EXPECT_EQ(UCODE_FAULT_AMD_EQUIV_TYPE, walk_fault(self->p, self->len));
}

TEST_F(amd, equiv_len_not_entries)
{
	ub_put32(self->p + 8, 47);
	EXPECT_EQ(UCODE_FAULT_AMD_EQUIV_LEN, walk_fault(self->p, self->len));
}

TEST_F(amd, equiv_len_past_end)
{
	ub_put32(self->p + 8, 0xfffffff0);
	EXPECT_EQ(UCODE_FAULT_AMD_EQUIV_LEN, walk_fault(self->p, self->len));
}

TEST_F(amd, truncated_container_header)
{
	EXPECT_EQ(UCODE_FAULT_AMD_TRUNC_HDR, walk_fault(self->p, 11));
}

TEST_F(amd, section_length_lies)
{
	size_t sec = 12 + 48;

	ub_put32(self->p + sec + 4, 0x10000000);
	EXPECT_EQ(UCODE_FAULT_AMD_SECTION_LEN, walk_fault(self->p, self->len));
	ub_put32(self->p + sec + 4, 2592 + 8);
	EXPECT_EQ(UCODE_FAULT_AMD_SECTION_TYPE,
		  walk_fault(self->p, self->len));
}

TEST_F(amd, section_truncated)
{
	EXPECT_EQ(UCODE_FAULT_AMD_SECTION_LEN,
		  walk_fault(self->p, self->len - 1));
	EXPECT_EQ(UCODE_FAULT_AMD_TRUNC_SECTION,
		  walk_fault(self->p, 12 + 48 + 6));
}

TEST_F(amd, unknown_section_type)
{
	ub_put32(self->p + 12 + 48, 7);
	EXPECT_EQ(UCODE_FAULT_AMD_SECTION_TYPE,
		  walk_fault(self->p, self->len));
}

TEST_F(amd, patch_smaller_than_header)
{
	__u8 c[12 + 32 + 8 + 40] = { 0 };

	ub_put32(c, UB_AMD_MAGIC);
	ub_put32(c + 8, 32);
	ub_put32(c + 44, 1);
	ub_put32(c + 48, 40);
	EXPECT_EQ(UCODE_FAULT_AMD_PATCH_SIZE, walk_fault(c, sizeof(c)));
}

TEST(amd_patch_over_family_limit)
{
	static const __u32 cpu[] = { FAM15_SIG };
	static const __u16 id[] = { FAM15_EQ };
	struct ub_amd_patch pt = { 0x0600063e, FAM15_EQ, 4100 };
	size_t len = ub_amd_fill(NULL, cpu, id, 1, &pt, 1);
	__u8 *p = malloc(len);

	ASSERT_NE(NULL, p);
	ub_amd_fill(p, cpu, id, 1, &pt, 1);
	EXPECT_EQ(UCODE_FAULT_AMD_PATCH_SIZE, walk_fault(p, len));
	free(p);
}

TEST_F(amd, two_containers)
{
	struct amd_seen seen = { 0 };
	__u8 *q = malloc(2 * self->len);

	ASSERT_NE(NULL, q);
	memcpy(q, self->p, self->len);
	memcpy(q + self->len, self->p, self->len);
	ASSERT_EQ(0, ucode_walk(q, 2 * self->len, amd_collect, &seen, NULL));
	EXPECT_EQ(4, seen.nr);
	free(q);
}

TEST(empty_file)
{
	EXPECT_EQ(UCODE_FAULT_EMPTY, walk_fault("", 0));
}

static int count_patch(void *ctx, const struct ucode_patch *patch)
{
	(*(int *)ctx)++;
	return 0;
}

/* Every file of an installed microcode package must parse cleanly. */
static int walk_dir(struct __test_metadata *_metadata, const char *dir,
		    int *patches)
{
	struct ucode_err err;
	struct dirent *de;
	int files = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char path[512];
		struct stat st;
		__u8 *buf;
		int fd, cnt = 0;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		fd = open(path, O_RDONLY);
		ASSERT_LE(0, fd);
		buf = malloc(st.st_size ? st.st_size : 1);
		ASSERT_NE(NULL, buf);
		ASSERT_EQ(st.st_size, read(fd, buf, st.st_size));
		close(fd);
		EXPECT_EQ(0, ucode_walk(buf, st.st_size, count_patch,
					&cnt, &err)) {
			TH_LOG("%s: offset 0x%zx: %s", path, err.off,
			       ucode_fault_str(err.fault));
		}
		EXPECT_LT(0, cnt);
		*patches += cnt;
		files++;
		free(buf);
	}
	closedir(d);
	return files;
}

TEST(debian_intel_microcode)
{
	int patches = 0, files = walk_dir(_metadata, "/lib/firmware/intel-ucode",
					  &patches);

	if (files <= 0)
		SKIP(return, "intel-microcode not installed");
	TH_LOG("%d files, %d patches", files, patches);
}

TEST(debian_amd64_microcode)
{
	int patches = 0, files = walk_dir(_metadata, "/lib/firmware/amd-ucode",
					  &patches);

	if (files <= 0)
		SKIP(return, "amd64-microcode not installed");
	TH_LOG("%d files, %d patches", files, patches);
}

TEST_HARNESS_MAIN
