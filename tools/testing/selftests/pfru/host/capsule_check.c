// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of the PFRU backend's capsule validation (capsule.c, compiled
 * unchanged against kcompat.h) under AddressSanitizer and UBSan: every
 * capsule lives in a heap block of exactly its size, so any read past the
 * bytes written is caught. Good capsules of every shape are accepted with
 * the right type and versions; every truncation is rejected; every byte
 * and every 32-bit field is overwritten with hostile values; the version
 * rules hold; and each rejection logs exactly one line, each acceptance
 * none. With -s DIR it writes seed capsules for the fuzzer instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../pfru_capsule.h"
#include "kcompat.h"

#include <uapi/linux/pfrut.h>

#include "../../../../../drivers/firmware/fwact/pfru/pfru.h"

unsigned int kcompat_log_lines;
static struct device dev = { .quiet = 1 };
static unsigned int failures, checks;

#define CHECK(cond, ...)						\
do {									\
	checks++;							\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);	\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	}								\
} while (0)

/* Validate @len bytes of @src copied into a block of exactly that size. */
static int validate(const u8 *src, size_t len,
		    const struct pfru_update_cap_info *cap,
		    struct pfru_capsule_info *info)
{
	unsigned int before = kcompat_log_lines;
	u8 *copy = malloc(len ? len : 1);
	int ret;

	memcpy(copy, src, len);
	ret = pfru_capsule_validate(&dev, copy, len, cap, info);
	free(copy);
	CHECK(kcompat_log_lines - before == (ret ? 1u : 0u),
	      "ret %d with %u log lines", ret, kcompat_log_lines - before);
	CHECK(ret == 0 || ret == -EINVAL, "ret %d", ret);
	if (!ret)
		CHECK(info->size <= len, "size %zu > len %zu", info->size, len);
	return ret;
}

static const struct pfru_update_cap_info cap0 = { .code_rt_version = 0 };

static void check_good(void)
{
	struct pfru_cap_params p = { .rt_ver = 5, .svn = 3, .seed = 1 };
	struct pfru_capsule_info info;
	struct pfru_cap_layout l;
	static u8 buf[4096];
	size_t len;

	for (p.type = 0; p.type <= 1; p.type++)
		for (p.img_ver = 1; p.img_ver <= 3; p.img_ver++)
			for (p.nr_drv = 0; p.nr_drv <= 3; p.nr_drv++)
				for (p.payload_len = 0; p.payload_len <= 64;
				     p.payload_len += 16) {
					len = pfru_cap_build(buf, &p, &l);
					CHECK(!validate(buf, len, &cap0, &info),
					      "good capsule type %d v%u drv %u",
					      p.type, p.img_ver, p.nr_drv);
					CHECK(info.type == (p.type ? PFRU_TYPE_DRIVER :
							    PFRU_TYPE_CODE), "type");
					CHECK(info.rt_ver == 5 && info.svn == 3 &&
					      info.image_hdr_ver == p.img_ver,
					      "versions");
				}
}

static void check_versions(void)
{
	struct pfru_cap_params p = { .img_ver = 2, .rt_ver = 5, .svn = 3 };
	struct pfru_update_cap_info cap = { 0 };
	struct pfru_capsule_info info;
	struct pfru_cap_layout l;
	static u8 buf[4096];
	size_t len;

	len = pfru_cap_build(buf, &p, &l);
	cap.code_rt_version = 5;
	CHECK(!validate(buf, len, &cap, &info), "code rt equal");
	cap.code_rt_version = 6;
	CHECK(validate(buf, len, &cap, &info) == -EINVAL, "code rt older");

	p.type = PFRU_CAP_DRIVER;
	len = pfru_cap_build(buf, &p, &l);
	cap.drv_rt_version = 100;	/* not what the rule looks at */
	cap.drv_svn = 3;
	CHECK(!validate(buf, len, &cap, &info), "driver svn equal");
	cap.drv_svn = 4;
	CHECK(validate(buf, len, &cap, &info) == -EINVAL, "driver svn lower");
	p.no_svn = 1;
	cap.drv_svn = 0;
	len = pfru_cap_build(buf, &p, &l);
	CHECK(validate(buf, len, &cap, &info) == -EINVAL, "driver without svn");
}

static void check_truncations(void)
{
	struct pfru_cap_params p = { .img_ver = 3, .nr_drv = 1,
				     .payload_len = 8 };
	struct pfru_capsule_info info;
	struct pfru_cap_layout l;
	static u8 buf[4096], cut[4096];
	size_t len, n;

	len = pfru_cap_build(buf, &p, &l);
	for (n = 0; n < len; n++) {
		CHECK(validate(buf, n, &cap0, &info) == -EINVAL,
		      "truncated to %zu accepted", n);
		/*
		 * The same with the image size saying the truncated length:
		 * rejected while the cut is in the image. An embedded driver
		 * after the image has no size of its own, so a cut inside it
		 * cannot be told; it must only not be read out of bounds.
		 */
		memcpy(cut, buf, len);
		if (n >= 28)
			pfru_cap_put32(cut + 24, n);
		if (n < l.end)
			CHECK(validate(cut, n, &cap0, &info) == -EINVAL,
			      "consistently truncated to %zu accepted", n);
		else
			validate(cut, n, &cap0, &info);
	}
}

static void check_mutations(void)
{
	static const u32 hostile[] = { 0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x10000,
				       0x7fffffff, 0x80000000, 0xfffffff0,
				       0xffffffff };
	struct pfru_cap_params p = { .img_ver = 2, .nr_drv = 2,
				     .payload_len = 16 };
	struct pfru_capsule_info info;
	struct pfru_cap_layout l;
	static u8 buf[4096], m[4096];
	size_t len, off, i;

	for (p.img_ver = 1; p.img_ver <= 3; p.img_ver++) {
		len = pfru_cap_build(buf, &p, &l);
		for (off = 0; off < len; off++) {
			for (i = 0; i < ARRAY_SIZE(hostile); i++) {
				memcpy(m, buf, len);
				m[off] = hostile[i];
				validate(m, len, &cap0, &info);
				if (off + 4 > len)
					continue;
				memcpy(m, buf, len);
				pfru_cap_put32(m + off, hostile[i]);
				validate(m, len, &cap0, &info);
				/* Sizes and offsets relative to the length. */
				pfru_cap_put32(m + off, len - (hostile[i] & 0xff));
				validate(m, len, &cap0, &info);
				pfru_cap_put32(m + off, len + (hostile[i] & 0xff));
				validate(m, len, &cap0, &info);
			}
		}
	}
}

static int write_seeds(const char *dir)
{
	struct pfru_cap_params p = { .rt_ver = 2, .svn = 2, .payload_len = 32 };
	struct pfru_cap_layout l;
	static u8 buf[4096];
	char path[4096];
	size_t len;
	FILE *f;

	for (p.type = 0; p.type <= 1; p.type++)
		for (p.img_ver = 1; p.img_ver <= 3; p.img_ver++) {
			p.nr_drv = p.img_ver - 1;
			len = pfru_cap_build(buf, &p, &l);
			snprintf(path, sizeof(path), "%s/seed-%d-%u", dir,
				 p.type, p.img_ver);
			f = fopen(path, "wb");
			if (!f || fwrite(buf, 1, len, f) != len) {
				perror(path);
				return 1;
			}
			fclose(f);
		}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "-s"))
		return write_seeds(argv[2]);
	check_good();
	check_versions();
	check_truncations();
	check_mutations();
	printf("capsule_check: %u checks, %u failures, %u rejections logged\n",
	       checks, failures, kcompat_log_lines);
	return failures ? 1 : 0;
}
