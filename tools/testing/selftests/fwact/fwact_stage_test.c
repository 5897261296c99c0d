// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of staging an image with the fwact core, driven against the
 * emulated components of fwact_testmod.ko: uploading through the ``image``
 * file (in chunks, across pages, up to the size limit and beyond it) and
 * staging it, every kind of bad image (one FIXTURE_VARIANT each), errors
 * from the firmware, and staging by file name through ``stage_firmware``.
 * A refused image changes nothing. Each test checks one behaviour and is
 * named after it; the fixtures bring the test components back to idle with
 * default knobs.
 *
 * Skips (exit 4) when the core or the test module is not loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fwact_util.h"

#define ONE		"test-one"
#define MAX_IMAGE	FWACT_TESTMOD_MAX_IMAGE

#include "fwact_core_fixture.h"

/* --- staging by bytes --- */

TEST_F(fwact, stage_moves_idle_to_staged)
{
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "staged"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
	ASSERT_TRUE(fwact_attr_is(ONE, "activation_pending", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "current_version", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "last_error", "0"));
}

TEST_F(fwact, stage_accepts_an_image_written_in_chunks_over_4k)
{
	static const size_t chunks[] = { 1, 100, 3000, 4096, 5000 };
	uint8_t *img;
	unsigned int i;
	size_t len;

	img = fwact_image_build(2, 20000, &len);
	ASSERT_NE(NULL, img);
	for (i = 0; i < ARRAY_SIZE(chunks); i++) {
		if (chunks[i] == 1)	/* byte by byte: only a short image */
			continue;
		ASSERT_EQ(0, fwact_image_upload(ONE, img, len, chunks[i]));
		ASSERT_EQ(0, fwact_attr_write(ONE, "stage", "1"))
			TH_LOG("chunks of %zu", chunks[i]);
		ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
		ASSERT_EQ(0, fwact_attr_write(ONE, "cancel", "1"));
	}
	free(img);

	img = fwact_image_build(3, 40, &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, fwact_image_upload(ONE, img, len, 1));
	free(img);
	ASSERT_EQ(0, fwact_attr_write(ONE, "stage", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "3"));
}

TEST_F(fwact, image_write_at_offset_zero_starts_a_new_upload)
{
	uint8_t *big, *img;
	size_t big_len, len;

	/* A longer bad upload first: its tail must not survive. */
	big = fwact_image_build(9, 8000, &big_len);
	ASSERT_NE(NULL, big);
	memset(big, 0xee, big_len);
	ASSERT_EQ(0, fwact_image_upload(ONE, big, big_len, 4096));
	free(big);

	img = fwact_image_build(2, 100, &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(0, fwact_image_upload(ONE, img, len, len));
	free(img);
	ASSERT_EQ(0, fwact_attr_write(ONE, "stage", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
}

TEST_F(fwact, image_write_leaving_a_hole_is_refused)
{
	char path[PATH_MAX];
	char byte = 0;
	int fd;

	fwact_attr_path(path, sizeof(path), ONE, "image");
	fd = open(path, O_WRONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(1, pwrite(fd, &byte, 1, 0));
	ASSERT_EQ(-1, pwrite(fd, &byte, 1, 100));
	ASSERT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(fwact, image_of_exactly_max_size_is_accepted)
{
	uint8_t *img;
	size_t len;

	img = fwact_image_build(2, MAX_IMAGE - FWACT_IMAGE_HDR_SIZE, &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ((size_t)MAX_IMAGE, len);
	ASSERT_EQ(0, fwact_image_upload(ONE, img, len, 65536));
	free(img);
	ASSERT_EQ(0, fwact_attr_write(ONE, "stage", "1"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "staged"));
}

TEST_F(fwact, oversized_image_is_efbig)
{
	struct fwact_snapshot before;
	char path[PATH_MAX];
	uint8_t *img;
	size_t len;
	int fd;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	fwact_snap_take(ONE, &before);

	img = fwact_image_build(3, MAX_IMAGE - FWACT_IMAGE_HDR_SIZE + 1, &len);
	ASSERT_NE(NULL, img);
	ASSERT_EQ(-EFBIG, fwact_image_upload(ONE, img, len, 65536));
	ASSERT_EQ(-EFBIG, fwact_image_upload(ONE, img, len, len));
	free(img);

	/* A write that starts beyond the limit. */
	fwact_attr_path(path, sizeof(path), ONE, "image");
	fd = open(path, O_WRONLY);
	ASSERT_GE(fd, 0);
	ASSERT_EQ(-1, pwrite(fd, "x", 1, (off_t)MAX_IMAGE + 4096));
	ASSERT_EQ(EFBIG, errno);
	close(fd);
	FWACT_ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, stage_error_from_the_firmware_is_returned)
{
	struct fwact_snapshot before;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	fwact_snap_take(ONE, &before);
	ASSERT_EQ(0, fwact_knob_set(ONE, "fail_stage", EIO));
	ASSERT_EQ(-EIO, fwact_stage_version(ONE, 3, 100));
	FWACT_ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, newer_image_replaces_the_staged_one)
{
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_stage_version(ONE, 5, 100));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "staged"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "5"));
}

/* --- bad images --- */

/*
 * Stage @img (built as version 3 and then broken) while version 2 is
 * staged: the error must be @err and nothing may change.
 */
static void stage_bad(struct __test_metadata *_metadata, const void *img,
		      size_t len, int err)
{
	struct fwact_snapshot before;
	char buf[32];

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	fwact_snap_take(ONE, &before);
	ASSERT_EQ(err, fwact_stage_bytes(ONE, img, len));
	FWACT_ASSERT_UNCHANGED(ONE, &before);
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
	snprintf(buf, sizeof(buf), "%d", err);
	ASSERT_TRUE(fwact_attr_is(ONE, "last_error", buf));

	/* The same from idle: stays idle. */
	ASSERT_EQ(0, fwact_attr_write(ONE, "cancel", "1"));
	fwact_snap_take(ONE, &before);
	ASSERT_EQ(err, fwact_stage_bytes(ONE, img, len));
	FWACT_ASSERT_UNCHANGED(ONE, &before);
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "idle"));
}

/* One kind of bad image: a valid version 3 image, then broken this way. */
FIXTURE(bad_image) {
	int unused;
};

FIXTURE_VARIANT(bad_image) {
	int err;		/* the errno staging it must give */
	long cut_to;		/* >= 0: keep only this many bytes */
	long cut_off;		/* drop this many bytes from the end */
	long field;		/* >= 0: offset of a u32 field to overwrite */
	uint32_t value;		/* what to write there */
	bool flip_payload;	/* flip a bit of the last payload byte */
	bool flip_magic;	/* break the first magic byte */
};

FIXTURE_VARIANT_ADD(bad_image, truncated_header) {
	.err = -EINVAL, .cut_to = FWACT_IMAGE_HDR_SIZE - 1, .field = -1,
};

FIXTURE_VARIANT_ADD(bad_image, one_byte) {
	.err = -EINVAL, .cut_to = 1, .field = -1,
};

FIXTURE_VARIANT_ADD(bad_image, truncated_payload) {
	.err = -EINVAL, .cut_to = -1, .cut_off = 10, .field = -1,
};

FIXTURE_VARIANT_ADD(bad_image, wrong_magic) {
	.err = -EINVAL, .cut_to = -1, .field = -1, .flip_magic = true,
};

FIXTURE_VARIANT_ADD(bad_image, bad_payload_crc) {
	.err = -EBADMSG, .cut_to = -1, .field = -1, .flip_payload = true,
};

FIXTURE_VARIANT_ADD(bad_image, bad_crc_field) {
	.err = -EBADMSG, .cut_to = -1, .field = 16, .value = 0xdeadbeef,
};

FIXTURE_VARIANT_ADD(bad_image, payload_size_beyond_data) {
	.err = -EINVAL, .cut_to = -1, .field = 12, .value = 101,
};

FIXTURE_VARIANT_ADD(bad_image, payload_size_huge) {
	.err = -EINVAL, .cut_to = -1, .field = 12, .value = 0xffffffff,
};

FIXTURE_VARIANT_ADD(bad_image, payload_size_short_of_data) {
	.err = -EINVAL, .cut_to = -1, .field = 12, .value = 99,
};

FIXTURE_VARIANT_ADD(bad_image, reserved_field_set) {
	.err = -EINVAL, .cut_to = -1, .field = 20, .value = 1,
};

FIXTURE_VARIANT_ADD(bad_image, rollback_to_same_version) {
	.err = -EINVAL, .cut_to = -1, .field = 8, .value = FWACT_BASE_VERSION,
};

FIXTURE_VARIANT_ADD(bad_image, rollback_to_older_version) {
	.err = -EINVAL, .cut_to = -1, .field = 8, .value = 0,
};

FIXTURE_SETUP(bad_image)
{
	ASSERT_TRUE(fwact_testmod_loaded())
		TH_LOG("fwact_testmod (or debugfs) went away");
	ASSERT_EQ(0, fwact_comp_reset(ONE, FWACT_BASE_VERSION,
				      FWACT_BUDGET_US_STR));
}

FIXTURE_TEARDOWN(bad_image)
{
	fwact_knob_write(ONE, "reset", "1");
}

TEST_F(bad_image, is_refused_with_nothing_changed)
{
	uint8_t *img;
	size_t len;

	img = fwact_image_build(3, 100, &len);
	ASSERT_NE(NULL, img);
	if (variant->cut_to >= 0)
		len = variant->cut_to;
	len -= variant->cut_off;
	if (variant->field >= 0)
		fwact_image_set_u32(img, variant->field, variant->value);
	if (variant->flip_payload)
		img[len - 1] ^= 1;
	if (variant->flip_magic)
		img[0] ^= 0x20;
	stage_bad(_metadata, img, len, variant->err);
	free(img);
}

/* --- staging by file name --- */

TEST_F(fwact, stage_firmware_loads_the_named_file)
{
	if (access(FWACT_FW_DIR "/" FWACT_FW_GOOD, R_OK))
		SKIP(return, FWACT_FW_DIR "/" FWACT_FW_GOOD " not installed");
	ASSERT_EQ(0, fwact_attr_write(ONE, "stage_firmware",
				      FWACT_FW_GOOD "\n"));
	ASSERT_TRUE(fwact_attr_is(ONE, "state", "staged"));
	ASSERT_TRUE(fwact_attr_is(ONE, "pending_version", "2"));
}

TEST_F(fwact, stage_firmware_missing_file_is_enoent)
{
	struct fwact_snapshot before;

	fwact_snap_take(ONE, &before);
	ASSERT_EQ(-ENOENT, fwact_attr_write(ONE, "stage_firmware",
					    "fwact-testmod-no-such-file.bin"));
	FWACT_ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, stage_firmware_bad_image_is_rejected)
{
	struct fwact_snapshot before;

	if (access(FWACT_FW_DIR "/" FWACT_FW_BADCRC, R_OK))
		SKIP(return, FWACT_FW_DIR "/" FWACT_FW_BADCRC " not installed");
	fwact_snap_take(ONE, &before);
	ASSERT_EQ(-EBADMSG, fwact_attr_write(ONE, "stage_firmware",
					     FWACT_FW_BADCRC));
	FWACT_ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, stage_firmware_oversized_file_is_efbig)
{
	const char *path = FWACT_FW_DIR "/fwact-testmod-oversized.bin";
	struct fwact_snapshot before;
	uint8_t *img;
	size_t len;
	FILE *f;

	img = fwact_image_build(3, MAX_IMAGE - FWACT_IMAGE_HDR_SIZE + 1, &len);
	ASSERT_NE(NULL, img);
	f = fopen(path, "wb");
	if (!f) {
		free(img);
		SKIP(return, "cannot write %s", path);
	}
	ASSERT_EQ(len, fwrite(img, 1, len, f));
	ASSERT_EQ(0, fclose(f));
	free(img);

	fwact_snap_take(ONE, &before);
	EXPECT_EQ(-EFBIG, fwact_attr_write(ONE, "stage_firmware",
					   "fwact-testmod-oversized.bin"));
	unlink(path);
	FWACT_ASSERT_UNCHANGED(ONE, &before);
}

TEST_F(fwact, stage_firmware_rejects_bad_names)
{
	static const char * const bad[] = {
		"\n", "/etc/passwd", "../etc/passwd", "a/../../etc/passwd",
		"name with spaces",
	};
	struct fwact_snapshot before;
	char longname[300];
	unsigned int i;

	fwact_snap_take(ONE, &before);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, fwact_attr_write(ONE, "stage_firmware",
						    bad[i]))
			TH_LOG("input '%s'", bad[i]);
		FWACT_ASSERT_UNCHANGED(ONE, &before);
	}
	/* Longer than NAME_MAX. */
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	EXPECT_EQ(-EINVAL, fwact_attr_write(ONE, "stage_firmware", longname));
	FWACT_ASSERT_UNCHANGED(ONE, &before);
}

/* Before the harness starts: skip the whole program without the module. */
static void __attribute__((constructor)) require_testmod(void)
{
	fwact_require_testmod();
}

TEST_HARNESS_MAIN
