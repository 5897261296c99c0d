// SPDX-License-Identifier: GPL-2.0
/*
 * The fwact microcode parser (drivers/firmware/fwact/microcode/
 * ucode_parse.c, built here unchanged) over every file of the installed
 * intel-microcode and amd64-microcode packages: each must parse with no
 * fault and hold at least one patch (skipped where the packages are not
 * installed). The parser's rules, one broken field at a time, are the
 * KUnit suite fwact_ucode_parse (ucode_parse_kunit.c beside the parser).
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

static int count_patch(void *ctx, const struct ucode_file_patch *patch)
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
