// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the fwact PFRU backend against the emulated firmware of
 * acpi/pfru-emu.asl: the capability through read() and QUERY_CAP, loading,
 * staging and activating capsules through /dev/pfru/update and through the
 * core's sysfs, SET_REV, every kind of bad capsule (each must fail with
 * EINVAL and leave the capsule loaded before untouched), firmware error
 * statuses and their errnos, the telemetry ioctls, read() across a wrapped
 * log, mmap(), and concurrent writers. The emulator keeps its state for the
 * whole boot, so every test works from the versions it finds. Skips when
 * the machine has no /dev/pfru/update.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/pfrut.h>

#include "kselftest_harness.h"
#include "../../../../drivers/firmware/fwact/pfru/pfru_capsule_build.h"

#define UPD_DEV		"/dev/pfru/update"
#define TEL_DEV		"/dev/pfru/telemetry"
#define UPD_MAINLINE	"/dev/acpi_pfr_update0"	/* mainline names */
#define TEL_MAINLINE	"/dev/acpi_pfr_telemetry0"
#define SYS_CODE	"/sys/firmware/fwact/pfru-code/"
#define SYS_DRV		"/sys/firmware/fwact/pfru-driver/"
#define COMM_BUF_SIZE	0x4000	/* what the emulator reports */
#define REC_SIZE	64	/* the emulator's log record */
#define RING_SIZE	4096
#define RECS_PER_VERBOSE_STAGE	5	/* records a stage logs at level 4 */

static const __u8 code_type[16] = {
	0x79, 0x4b, 0xf8, 0xb2, 0x6e, 0x7b, 0x45, 0x4e,
	0x88, 0x5f, 0x3f, 0xb9, 0xbb, 0x18, 0x54, 0x02 };
static const __u8 drv_type[16] = {
	0x8c, 0xdd, 0x69, 0x45, 0xf1, 0x75, 0x9a, 0x42,
	0xa3, 0xd6, 0x24, 0xde, 0x80, 0x97, 0xa0, 0xdf };

static int sysfs_read(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

static long sysfs_long(const char *path)
{
	char buf[64];

	if (sysfs_read(path, buf, sizeof(buf)))
		return -99999;
	return strtol(buf, NULL, 0);
}

/* Write @len bytes to a sysfs file in one write(); 0 or -errno. */
static int sysfs_write(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, data, len);
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static int sysfs_puts(const char *path, const char *s)
{
	return sysfs_write(path, s, strlen(s));
}

static int query_cap(int fd, struct pfru_update_cap_info *cap)
{
	return ioctl(fd, PFRU_IOC_QUERY_CAP, cap) ? -errno : 0;
}

static int do_ioctl(int fd, unsigned long cmd)
{
	return ioctl(fd, cmd, NULL) ? -errno : 0;
}

/* write() a capsule; returns bytes written or -errno. */
static ssize_t load(int fd, const void *buf, size_t len)
{
	ssize_t n = write(fd, buf, len);

	return n < 0 ? -errno : n;
}

/*
 * Helpers take the fixture data as the harness names its type. Tests that
 * stage many capsules get long timeouts: AML runs slowly under TCG and a
 * debug kernel.
 */
FIXTURE(pfru) {
	int upd;
	int tel;
	struct pfru_update_cap_info cap;
	__u8 buf[8192];
	struct pfru_cap_params p;
	struct pfru_cap_layout l;
	size_t len;
};

FIXTURE_SETUP(pfru)
{
	unsigned int rev = 1;

	self->upd = open(UPD_DEV, O_RDWR);
	ASSERT_LE(0, self->upd);
	self->tel = open(TEL_DEV, O_RDWR);
	ASSERT_LE(0, self->tel);
	ASSERT_EQ(0, ioctl(self->upd, PFRU_IOC_SET_REV, &rev));
	ASSERT_EQ(0, query_cap(self->upd, &self->cap));
	/* A valid code capsule that does not change the running version. */
	self->p = (struct pfru_cap_params){
		.type = PFRU_CAP_CODE, .img_ver = 2,
		.rt_ver = self->cap.code_rt_version, .payload_len = 64,
		.seed = 7,
	};
	self->len = pfru_cap_build(self->buf, &self->p, &self->l);
}

FIXTURE_TEARDOWN(pfru)
{
	close(self->upd);
	close(self->tel);
}

static size_t build(struct _test_data_pfru *self)
{
	self->len = pfru_cap_build(self->buf, &self->p, &self->l);
	return self->len;
}

/* The tests below run in this order: this one needs a fresh boot. */
TEST_F(pfru, telemetry_busy_before_any_update)
{
	struct pfrt_log_data_info di;
	char buf[64];
	void *map;

	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_GET_DATA_INFO, &di));
	if (di.chunk2_addr_lo || di.chunk2_addr_hi)
		SKIP(return, "an update already ran in this boot");
	EXPECT_EQ(-1, read(self->tel, buf, sizeof(buf)));
	EXPECT_EQ(EBUSY, errno);
	map = mmap(NULL, RING_SIZE, PROT_READ, MAP_SHARED, self->tel, 0);
	EXPECT_EQ(MAP_FAILED, map);
	EXPECT_EQ(ENODEV, errno);
}

TEST_F(pfru, cap_read_matches_query_cap)
{
	struct pfru_update_cap_info rd;
	ssize_t n;

	memset(&rd, 0xa5, sizeof(rd));
	n = pread(self->upd, &rd, sizeof(rd), 0);
	ASSERT_EQ(sizeof(rd), n);
	EXPECT_EQ(0, memcmp(&rd, &self->cap, sizeof(rd)));
	EXPECT_EQ(0, self->cap.status);
	EXPECT_EQ(3, self->cap.update_cap);
	EXPECT_EQ(0, memcmp(self->cap.code_type, code_type, 16));
	EXPECT_EQ(0, memcmp(self->cap.drv_type, drv_type, 16));
	EXPECT_EQ(4, self->cap.oem_info_len);
	/* Past the structure: end of file. */
	EXPECT_EQ(0, pread(self->upd, &rd, sizeof(rd), sizeof(rd)));
	/* A short read returns a prefix. */
	memset(&rd, 0, sizeof(rd));
	EXPECT_EQ(8, pread(self->upd, &rd, 8, 0));
	EXPECT_EQ(self->cap.update_cap, rd.update_cap);
}

TEST_F(pfru, unknown_ioctl_enotty)
{
	EXPECT_EQ(-ENOTTY, do_ioctl(self->upd, _IO(PFRUT_IOCTL_MAGIC, 0x30)));
	EXPECT_EQ(-ENOTTY, do_ioctl(self->tel, _IO(PFRUT_IOCTL_MAGIC, 0x30)));
	EXPECT_EQ(-ENOTTY, do_ioctl(self->tel, PFRU_IOC_STAGE));
}

/* The mainline names are the same devices, not symlinks. */
TEST_F(pfru, mainline_node_names)
{
	struct pfru_update_cap_info cap;
	struct pfrt_log_info info, info2;
	struct stat st, st2;
	char s[64];
	int fd;

	ASSERT_EQ(0, lstat(UPD_MAINLINE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	ASSERT_EQ(0, stat(UPD_DEV, &st2));
	EXPECT_NE(st.st_rdev, st2.st_rdev);
	ASSERT_EQ(0, lstat(TEL_MAINLINE, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);

	fd = open(UPD_MAINLINE, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, query_cap(fd, &cap));
	EXPECT_EQ(0, memcmp(&cap, &self->cap, sizeof(cap)));
	/* A capsule loaded through one node is staged through the other. */
	self->p.seed = 0x21;
	build(self);
	EXPECT_EQ(self->len, load(fd, self->buf, self->len));
	EXPECT_EQ(0, do_ioctl(self->upd, PFRU_IOC_STAGE));
	EXPECT_EQ(0, sysfs_read(SYS_CODE "pending_version", s, sizeof(s)));
	EXPECT_EQ(self->p.rt_ver, strtoul(s, NULL, 10));
	EXPECT_EQ(0, sysfs_puts(SYS_CODE "cancel", "1"));
	close(fd);

	fd = open(TEL_MAINLINE, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, PFRT_LOG_IOC_GET_INFO, &info));
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_GET_INFO, &info2));
	EXPECT_EQ(0, memcmp(&info, &info2, sizeof(info)));
	close(fd);
}

TEST_F(pfru, set_rev)
{
	struct pfru_update_cap_info cap;
	unsigned int rev;
	int fd;

	rev = 2;
	ASSERT_EQ(0, ioctl(self->upd, PFRU_IOC_SET_REV, &rev));
	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_EQ(8, cap.oem_info_len);
	/* The revision is per device: it holds for another open file. */
	fd = open(UPD_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, query_cap(fd, &cap));
	EXPECT_EQ(8, cap.oem_info_len);
	close(fd);
	rev = 3;
	EXPECT_EQ(-1, ioctl(self->upd, PFRU_IOC_SET_REV, &rev));
	EXPECT_EQ(EINVAL, errno);
	rev = 0;
	EXPECT_EQ(-1, ioctl(self->upd, PFRU_IOC_SET_REV, &rev));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->upd, PFRU_IOC_SET_REV, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	/* Rejected values changed nothing. */
	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_EQ(8, cap.oem_info_len);
	rev = 1;
	ASSERT_EQ(0, ioctl(self->upd, PFRU_IOC_SET_REV, &rev));
	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_EQ(4, cap.oem_info_len);
}

TEST_F(pfru, load_stage_activate_code)
{
	struct pfru_update_cap_info cap;
	char s[128];
	__u32 want = self->cap.code_rt_version + 1;
	long count = sysfs_long(SYS_CODE "last_activation/count");

	self->p.rt_ver = want;
	build(self);
	ASSERT_EQ(self->len, load(self->upd, self->buf, self->len));
	ASSERT_EQ(0, do_ioctl(self->upd, PFRU_IOC_STAGE));
	ASSERT_EQ(0, sysfs_read(SYS_CODE "state", s, sizeof(s)));
	EXPECT_STREQ("staged", s);
	ASSERT_EQ(0, sysfs_read(SYS_CODE "pending_version", s, sizeof(s)));
	EXPECT_EQ(want, strtoul(s, NULL, 10));
	EXPECT_EQ(1, sysfs_long(SYS_CODE "activation_pending"));
	/* Staging changes nothing in the running firmware. */
	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_EQ(want - 1, cap.code_rt_version);

	ASSERT_EQ(0, do_ioctl(self->upd, PFRU_IOC_ACTIVATE));
	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_EQ(want, cap.code_rt_version);
	EXPECT_EQ(self->cap.fw_version + 1, cap.fw_version);
	EXPECT_EQ(want, sysfs_long(SYS_CODE "current_version"));
	ASSERT_EQ(0, sysfs_read(SYS_CODE "state", s, sizeof(s)));
	EXPECT_STREQ("activated", s);
	/* The activation was recorded with the firmware's own times. */
	EXPECT_EQ(count + 1, sysfs_long(SYS_CODE "last_activation/count"));
	EXPECT_EQ(0, sysfs_long(SYS_CODE "last_activation/result"));
	EXPECT_LT(0, sysfs_long(SYS_CODE "last_activation/fw_auth_ns"));
	EXPECT_LT(0, sysfs_long(SYS_CODE "last_activation/fw_exec_ns"));
	ASSERT_EQ(0, sysfs_read(SYS_CODE "last_activation/mode", s, sizeof(s)));
	EXPECT_STREQ("none", s);
	/* Nothing is staged any more. */
	EXPECT_EQ(-ENODATA, do_ioctl(self->upd, PFRU_IOC_ACTIVATE));
}

TEST_F(pfru, stage_activate_driver)
{
	struct pfru_update_cap_info cap;

	self->p.type = PFRU_CAP_DRIVER;
	self->p.rt_ver = self->cap.drv_rt_version + 1;
	self->p.svn = self->cap.drv_svn + 1;
	build(self);
	ASSERT_EQ(self->len, load(self->upd, self->buf, self->len));
	ASSERT_EQ(0, do_ioctl(self->upd, PFRU_IOC_STAGE_ACTIVATE));
	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_EQ(self->p.rt_ver, cap.drv_rt_version);
	EXPECT_EQ(self->p.svn, cap.drv_svn);
	EXPECT_EQ(self->cap.code_rt_version, cap.code_rt_version);
	EXPECT_EQ(self->p.rt_ver, sysfs_long(SYS_DRV "current_version"));
	EXPECT_LT(0, sysfs_long(SYS_DRV "last_activation/fw_auth_ns"));
	EXPECT_LT(0, sysfs_long(SYS_DRV "last_activation/fw_exec_ns"));
}

/* The driver rule is on the SVN: a lower runtime version is a rollback. */
TEST_F(pfru, driver_rollback_same_svn_accepted)
{
	struct pfru_update_cap_info cap;

	self->p.type = PFRU_CAP_DRIVER;
	self->p.rt_ver = 0;
	self->p.svn = self->cap.drv_svn;
	build(self);
	ASSERT_EQ(self->len, load(self->upd, self->buf, self->len));
	ASSERT_EQ(0, do_ioctl(self->upd, PFRU_IOC_STAGE_ACTIVATE));
	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_EQ(0, cap.drv_rt_version);
}

TEST_F_TIMEOUT(pfru, image_header_v1_v3_and_embedded_drivers_accepted, 300)
{
	unsigned int v;

	for (v = 1; v <= 3; v++) {
		self->p.img_ver = v;
		self->p.nr_drv = v - 1;
		build(self);
		EXPECT_EQ(self->len, load(self->upd, self->buf, self->len));
		EXPECT_EQ(0, do_ioctl(self->upd, PFRU_IOC_STAGE)) {
			TH_LOG("image header v%u with %u embedded drivers", v,
			       v - 1);
		}
	}
	EXPECT_EQ(0, sysfs_puts(SYS_CODE "cancel", "1"));
}

/*
 * Assert that writing the fixture's buffer is rejected with EINVAL and
 * that the good capsule loaded before is still the one STAGE stages.
 */
/* Load a good code-injection capsule; returns its runtime version. */
static __u32 load_good(struct __test_metadata *_metadata,
		       struct _test_data_pfru *self)
{
	struct pfru_cap_params good = self->p;
	struct pfru_cap_layout l;
	static __u8 gbuf[4096];
	size_t glen;

	good.rt_ver = self->cap.code_rt_version;
	good.type = PFRU_CAP_CODE;
	good.seed = 0x33;
	glen = pfru_cap_build(gbuf, &good, &l);
	EXPECT_EQ(glen, load(self->upd, gbuf, glen));
	return good.rt_ver;
}

/* The good capsule loaded before is intact in the firmware's buffer. */
static void expect_good_intact(struct __test_metadata *_metadata,
			       struct _test_data_pfru *self, __u32 rt_ver,
			       const char *what)
{
	char s[64];

	EXPECT_EQ(0, do_ioctl(self->upd, PFRU_IOC_STAGE)) {
		TH_LOG("%s: the loaded capsule was disturbed", what);
	}
	EXPECT_EQ(0, sysfs_read(SYS_CODE "pending_version", s, sizeof(s)));
	EXPECT_EQ(rt_ver, strtoul(s, NULL, 10));
}

static void expect_rejected(struct __test_metadata *_metadata,
			    struct _test_data_pfru *self, const void *buf,
			    size_t len, const char *what)
{
	__u32 rt_ver = load_good(_metadata, self);

	EXPECT_EQ(-EINVAL, load(self->upd, buf, len)) {
		TH_LOG("%s: not rejected", what);
	}
	expect_good_intact(_metadata, self, rt_ver, what);
}

static void put32(struct _test_data_pfru *self, size_t off, __u32 v)
{
	pfru_cap_put32(self->buf + off, v);
}

TEST_F_TIMEOUT(pfru, reject_oversized, 300)
{
	static __u8 big[COMM_BUF_SIZE * 4];

	memcpy(big, self->buf, self->len);
	pfru_cap_put32(big + 24, COMM_BUF_SIZE + 1);
	expect_rejected(_metadata, self, big, COMM_BUF_SIZE + 1,
			"larger than the communication buffer");
	pfru_cap_put32(big + 24, sizeof(big));
	expect_rejected(_metadata, self, big, sizeof(big), "64 KiB capsule");
	expect_rejected(_metadata, self, big, 0, "empty write");
}

TEST_F_TIMEOUT(pfru, reject_truncated_at_each_header, 300)
{
	const struct {
		const char *what;
		size_t len;
	} cut[] = {
		{ "EFI capsule header", 27 },
		{ "FMP header", self->l.fmp + 4 },
		{ "FMP item offset list", self->l.list + 4 },
		{ "FMP image header", self->l.img + 20 },
		{ "authentication header", self->l.auth + 20 },
		{ "certificate", self->l.cert_data + 4 },
		{ "payload header", self->l.payload + 20 },
		{ "payload", self->len - 1 },
	};
	__u8 saved[4096];
	unsigned int i;

	__u32 rt_ver;

	/* As for hostile capsules: one good capsule survives them all. */
	memcpy(saved, self->buf, self->len);
	rt_ver = load_good(_metadata, self);
	for (i = 0; i < ARRAY_SIZE(cut); i++) {
		/* Shorter than its own image size says. */
		memcpy(self->buf, saved, self->len);
		EXPECT_EQ(-EINVAL, load(self->upd, self->buf, cut[i].len)) {
			TH_LOG("%s: not rejected", cut[i].what);
		}
		/* And consistent: the image size says the truncated length. */
		if (cut[i].len >= 28)
			put32(self, 24, cut[i].len);
		EXPECT_EQ(-EINVAL, load(self->upd, self->buf, cut[i].len)) {
			TH_LOG("%s (consistent size): not rejected",
			       cut[i].what);
		}
	}
	expect_good_intact(_metadata, self, rt_ver, "truncated capsules");
}

TEST_F_TIMEOUT(pfru, reject_hostile_offsets_and_counts, 300)
{
	const struct {
		const char *what;
		size_t off;
		__u32 val;
		int width;	/* 16, 32 or 64 */
	} bad[] = {
		{ "header size 0xffffffff", 16, 0xffffffff, 32 },
		{ "header size below the EFI header", 16, 4, 32 },
		{ "header size past the image", 16, 0x1000, 32 },
		{ "image size below the header", 24, 20, 32 },
		{ "FMP version 2", self->l.fmp, 2, 32 },
		{ "no payload item", self->l.fmp + 6, 0, 16 },
		{ "65535 payload items", self->l.fmp + 6, 0xffff, 16 },
		{ "65535 embedded drivers", self->l.fmp + 4, 0xffff, 16 },
		{ "item offset 2^63", self->l.list + 4, 0x80000000, 32 },
		{ "item offset inside the list", self->l.list, 4, 64 },
		{ "item offset at the end", self->l.list, self->len - 28, 64 },
		{ "item offset past the end", self->l.list, 0x7fffffff, 64 },
		{ "image header version 0", self->l.img, 0, 32 },
		{ "image header version 4", self->l.img, 4, 32 },
		{ "image size 0xffffffff", self->l.img + 24, 0xffffffff, 32 },
		{ "image size past the end", self->l.img + 24, 0x1000, 32 },
		{ "image size below the auth header", self->l.img + 24, 16, 32 },
		{ "vendor code size 0xffffffff", self->l.img + 28, 0xffffffff, 32 },
		{ "vendor code past the end", self->l.img + 28, 8, 32 },
		{ "certificate length 0xffffffff", self->l.auth + 8, 0xffffffff, 32 },
		{ "certificate length 0", self->l.auth + 8, 0, 32 },
		{ "certificate length past the image", self->l.auth + 8, 0x200, 32 },
		{ "certificate type not EFI_GUID", self->l.auth + 14, 0x0002, 16 },
		{ "payload header size 0xffffffff", self->l.payload + 8, 0xffffffff, 32 },
		{ "payload header size 4", self->l.payload + 8, 4, 32 },
		{ "payload header size past the image", self->l.payload + 8, 0x400, 32 },
	};
	__u8 saved[4096];
	unsigned int i;
	__u32 rt_ver;

	/*
	 * One good capsule, then every hostile one: each must be refused,
	 * and the good one must survive all of them. Staging once at the
	 * end keeps the test fast where the emulated firmware is slow
	 * (AML under KASAN).
	 */
	memcpy(saved, self->buf, self->len);
	rt_ver = load_good(_metadata, self);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memcpy(self->buf, saved, self->len);
		if (bad[i].width == 16)
			pfru_cap_put16(self->buf + bad[i].off, bad[i].val);
		else if (bad[i].width == 64)
			pfru_cap_put64(self->buf + bad[i].off, bad[i].val);
		else
			put32(self, bad[i].off, bad[i].val);
		EXPECT_EQ(-EINVAL, load(self->upd, self->buf, self->len)) {
			TH_LOG("%s: not rejected", bad[i].what);
		}
	}
	expect_good_intact(_metadata, self, rt_ver, "hostile capsules");
}

TEST_F_TIMEOUT(pfru, reject_guids, 300)
{
	__u8 saved[4096];

	memcpy(saved, self->buf, self->len);
	self->buf[3] ^= 0xff;
	expect_rejected(_metadata, self, self->buf, self->len,
			"capsule GUID not FMP");
	memcpy(self->buf, saved, self->len);
	self->buf[self->l.img + 4] ^= 0xff;
	expect_rejected(_metadata, self, self->buf, self->len,
			"unknown image type GUID");
}

TEST_F_TIMEOUT(pfru, reject_older_versions, 300)
{
	self->p.rt_ver = self->cap.code_rt_version - 1;
	build(self);
	expect_rejected(_metadata, self, self->buf, self->len,
			"older code runtime version");

	self->p.type = PFRU_CAP_DRIVER;
	self->p.rt_ver = self->cap.drv_rt_version + 5;
	self->p.svn = self->cap.drv_svn - 1;
	build(self);
	expect_rejected(_metadata, self, self->buf, self->len,
			"lower driver SVN");

	self->p.svn = self->cap.drv_svn;
	self->p.no_svn = 1;
	build(self);
	expect_rejected(_metadata, self, self->buf, self->len,
			"driver payload header without SVN");
}

/* Load a capsule failing on demand; the STAGE or ACTIVATE errno. */
static int fw_fault(struct _test_data_pfru *self, __u32 hw_ver,
		    unsigned long cmd)
{
	self->p.hw_ver = hw_ver;
	build(self);
	if (load(self->upd, self->buf, self->len) != (ssize_t)self->len)
		return -1000;
	if (cmd == PFRU_IOC_ACTIVATE) {
		int ret = do_ioctl(self->upd, PFRU_IOC_STAGE);

		if (ret)
			return -2000 + ret;
	}
	return do_ioctl(self->upd, cmd);
}

/*
 * A status the firmware returns reaches user space as its errno and in
 * last_fw_status. Two statuses, end to end: each stage costs a full parse
 * of the capsule in AML (seconds in the debug kernel), and the mapping of
 * every status is the KUnit suite fwact_pfru_dsm.
 */
TEST_F_TIMEOUT(pfru, firmware_status_to_errno, 300)
{
	const struct {
		__u32 status;
		int err;
	} map[] = {
		{ DSM_HARDWARE_ERR, -EIO },
		{ DSM_FUNC_SPEC_ERR, -EREMOTEIO },
	};
	char s[64], want[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(map); i++) {
		EXPECT_EQ(map[i].err,
			  fw_fault(self, PFRU_FAULT_STAGE(map[i].status),
				   PFRU_IOC_STAGE)) {
			TH_LOG("stage status %u", map[i].status);
		}
		snprintf(want, sizeof(want), "0x%x 0xfa17", map[i].status);
		ASSERT_EQ(0, sysfs_read(SYS_CODE "last_fw_status", s, sizeof(s)));
		EXPECT_STREQ(want, s);
		EXPECT_EQ(map[i].err, sysfs_long(SYS_CODE "last_error"));
	}
}

TEST_F(pfru, firmware_rejects_bad_signature_and_platform)
{
	char s[64];

	/* A payload byte changed after signing: only the firmware can tell. */
	self->buf[self->l.end - 1] ^= 1;
	ASSERT_EQ(self->len, load(self->upd, self->buf, self->len));
	EXPECT_EQ(-EINVAL, do_ioctl(self->upd, PFRU_IOC_STAGE));
	ASSERT_EQ(0, sysfs_read(SYS_CODE "last_fw_status", s, sizeof(s)));
	EXPECT_STREQ("0x2 0x8", s);

	build(self);
	self->buf[self->l.payload + 20] ^= 1;	/* platform GUID */
	pfru_cap_sign(self->buf, &self->l);
	ASSERT_EQ(self->len, load(self->upd, self->buf, self->len));
	EXPECT_EQ(-EINVAL, do_ioctl(self->upd, PFRU_IOC_STAGE));
	ASSERT_EQ(0, sysfs_read(SYS_CODE "last_fw_status", s, sizeof(s)));
	EXPECT_STREQ("0x2 0xa", s);
}

TEST_F(pfru, activation_failure_recorded)
{
	struct pfru_update_cap_info cap;
	char s[64];

	self->p.rt_ver = self->cap.code_rt_version + 1;
	EXPECT_EQ(-EIO, fw_fault(self, PFRU_FAULT_ACTIVATE(DSM_HARDWARE_ERR),
				 PFRU_IOC_ACTIVATE));
	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_EQ(self->cap.code_rt_version, cap.code_rt_version);
	ASSERT_EQ(0, sysfs_read(SYS_CODE "state", s, sizeof(s)));
	EXPECT_STREQ("failed", s);
	EXPECT_EQ(-EIO, sysfs_long(SYS_CODE "last_activation/result"));
	ASSERT_EQ(0, sysfs_read(SYS_CODE "last_fw_status", s, sizeof(s)));
	EXPECT_STREQ("0x3 0xfa17", s);

	EXPECT_EQ(-EAGAIN, fw_fault(self,
				    PFRU_FAULT_ACTIVATE(DSM_RETRY_SUGGESTED),
				    PFRU_IOC_STAGE_ACTIVATE));
	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_EQ(self->cap.code_rt_version, cap.code_rt_version);
}

#define DELAY_PARAM "/sys/module/fwact_pfru/parameters/test_activate_delay_ms"

/* Writes a capsule on its own file once the activation has begun. */
struct racer {
	int fd;
	const __u8 *buf;
	size_t len;
	int seen;	/* the write came after the component was activating */
	ssize_t ret;
};

static void *racer_run(void *arg)
{
	struct racer *r = arg;
	char s[64];
	int i;

	/* Activating: STAGE_ACTIVATE has validated its capsule. */
	for (i = 0; i < 20000; i++) {
		if (!sysfs_read(SYS_CODE "state", s, sizeof(s)) &&
		    !strcmp(s, "activating"))
			break;
		usleep(500);
	}
	r->seen = i < 20000;
	r->ret = load(r->fd, r->buf, r->len);
	return NULL;
}

/*
 * A capsule written on another file while STAGE_ACTIVATE runs must not be
 * the one activated: either the validated capsule is activated, or the
 * activation fails with ENODATA and changes nothing. Test builds widen the
 * window between the core's prepare op and the firmware call.
 */
TEST_F_TIMEOUT(pfru, stage_activate_races_a_write, 300)
{
	struct pfru_cap_params pb = self->p;
	struct pfru_update_cap_info cap;
	__u32 cur = self->cap.code_rt_version;
	static __u8 bbuf[4096];
	struct pfru_cap_layout lb;
	struct racer r = {};
	pthread_t t;
	char s[64];
	int delay, ret;

	delay = !sysfs_puts(DELAY_PARAM, "1500");
	if (!delay)
		TH_LOG("no %s: the race window is not widened", DELAY_PARAM);
	self->p.rt_ver = cur + 1;
	build(self);
	pb.rt_ver = cur + 2;
	pb.seed = 0x55;
	r.buf = bbuf;
	r.len = pfru_cap_build(bbuf, &pb, &lb);
	r.fd = open(UPD_DEV, O_RDWR);
	ASSERT_LE(0, r.fd);
	ASSERT_EQ(self->len, load(self->upd, self->buf, self->len));
	ASSERT_EQ(0, pthread_create(&t, NULL, racer_run, &r));
	ret = do_ioctl(self->upd, PFRU_IOC_STAGE_ACTIVATE);
	pthread_join(t, NULL);
	if (delay)
		EXPECT_EQ(0, sysfs_puts(DELAY_PARAM, "0"));
	close(r.fd);
	EXPECT_TRUE(r.seen);
	EXPECT_EQ(r.len, r.ret);

	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_NE(cur + 2, cap.code_rt_version) {
		TH_LOG("the capsule written during the activation was activated");
	}
	if (!ret) {
		EXPECT_EQ(cur + 1, cap.code_rt_version);
		EXPECT_EQ(0, sysfs_long(SYS_CODE "last_activation/result"));
	} else {
		EXPECT_EQ(-ENODATA, ret);
		EXPECT_EQ(cur, cap.code_rt_version);
		EXPECT_EQ(-ENODATA,
			  sysfs_long(SYS_CODE "last_activation/result"));
		ASSERT_EQ(0, sysfs_read(SYS_CODE "state", s, sizeof(s)));
		EXPECT_STREQ("failed", s);
	}
	EXPECT_EQ(0, sysfs_long(SYS_CODE "activation_pending"));
	EXPECT_EQ(cap.code_rt_version, sysfs_long(SYS_CODE "current_version"));
}

TEST_F(pfru, stage_without_load_or_of_other_type)
{
	int fd;

	/* STAGE of a driver capsule goes to pfru-driver, not pfru-code. */
	self->p.type = PFRU_CAP_DRIVER;
	self->p.svn = self->cap.drv_svn;
	self->p.rt_ver = self->cap.drv_rt_version;
	build(self);
	ASSERT_EQ(self->len, load(self->upd, self->buf, self->len));
	ASSERT_EQ(0, do_ioctl(self->upd, PFRU_IOC_STAGE));
	EXPECT_EQ(1, sysfs_long(SYS_DRV "activation_pending"));
	EXPECT_EQ(0, sysfs_long(SYS_CODE "activation_pending"));
	EXPECT_EQ(0, sysfs_puts(SYS_DRV "cancel", "1"));
	EXPECT_EQ(0, sysfs_long(SYS_DRV "activation_pending"));
	/* A cancelled capsule is never activated. */
	EXPECT_EQ(-ENODATA, do_ioctl(self->upd, PFRU_IOC_ACTIVATE));
	/* The loaded capsule survives close(): it is the device's. */
	fd = open(UPD_DEV, O_RDWR);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, do_ioctl(fd, PFRU_IOC_STAGE));
	EXPECT_EQ(0, sysfs_puts(SYS_DRV "cancel", "1"));
	close(fd);
}

TEST_F(pfru, sysfs_stage_and_activate)
{
	struct pfru_update_cap_info cap;
	char s[64];

	self->p.rt_ver = self->cap.code_rt_version + 1;
	build(self);
	ASSERT_EQ(0, sysfs_write(SYS_CODE "image", self->buf, self->len));
	ASSERT_EQ(0, sysfs_puts(SYS_CODE "stage", "1"));
	ASSERT_EQ(0, sysfs_read(SYS_CODE "rendezvous_mode", s, sizeof(s)));
	EXPECT_STREQ("none", s);
	EXPECT_EQ(-EOPNOTSUPP, sysfs_puts(SYS_CODE "force_cpu_rendezvous", "1"));
	ASSERT_EQ(0, sysfs_puts(SYS_CODE "activate", "1"));
	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_EQ(self->p.rt_ver, cap.code_rt_version);
	EXPECT_LT(0, sysfs_long(SYS_CODE "last_activation/fw_auth_ns"));
	EXPECT_LT(0, sysfs_long(SYS_CODE "last_activation/fw_exec_ns"));

	/* A driver capsule is not a pfru-code image. */
	self->p.type = PFRU_CAP_DRIVER;
	self->p.svn = self->cap.drv_svn;
	build(self);
	ASSERT_EQ(0, sysfs_write(SYS_CODE "image", self->buf, self->len));
	EXPECT_EQ(-EINVAL, sysfs_puts(SYS_CODE "stage", "1"));
	/* Bad capsules are rejected through sysfs too. */
	self->p.type = PFRU_CAP_CODE;
	self->p.rt_ver = 0;
	build(self);
	ASSERT_EQ(0, sysfs_write(SYS_CODE "image", self->buf, self->len));
	EXPECT_EQ(-EINVAL, sysfs_puts(SYS_CODE "stage", "1"));
	put32(self, 16, 0xffffffff);
	ASSERT_EQ(0, sysfs_write(SYS_CODE "image", self->buf, self->len));
	EXPECT_EQ(-EINVAL, sysfs_puts(SYS_CODE "stage", "1"));

	/* Firmware failures show in last_fw_status. */
	self->p.rt_ver = self->cap.code_rt_version + 1;
	self->p.hw_ver = PFRU_FAULT_ACTIVATE(DSM_HARDWARE_ERR);
	build(self);
	ASSERT_EQ(0, sysfs_write(SYS_CODE "image", self->buf, self->len));
	ASSERT_EQ(0, sysfs_puts(SYS_CODE "stage", "1"));
	EXPECT_EQ(-EIO, sysfs_puts(SYS_CODE "activate", "1"));
	ASSERT_EQ(0, sysfs_read(SYS_CODE "last_fw_status", s, sizeof(s)));
	EXPECT_STREQ("0x3 0xfa17", s);
}

TEST_F(pfru, sysfs_stage_firmware)
{
	struct pfru_update_cap_info cap;
	int ret;

	EXPECT_EQ(-ENOENT, sysfs_puts(SYS_CODE "stage_firmware",
				      "pfru/no-such.cap"));
	ret = sysfs_puts(SYS_CODE "stage_firmware", "pfru/code-rt3.cap");
	if (self->cap.code_rt_version > 3) {
		EXPECT_EQ(-EINVAL, ret);
		return;
	}
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, sysfs_puts(SYS_CODE "activate", "1"));
	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_EQ(3, cap.code_rt_version);
}

struct writer {
	int fd;
	unsigned int id;
	__u32 rt;
	int errors;
};

static void *writer_run(void *arg)
{
	struct pfru_cap_params p = { .type = PFRU_CAP_CODE, .img_ver = 2 };
	struct writer *w = arg;
	struct pfru_cap_layout l;
	__u8 buf[4096];
	size_t len;
	int i;

	p.rt_ver = w->rt;
	p.seed = w->id * 31;
	/*
	 * Different sizes: an interleaving would break the signature. Kept
	 * small: the emulated firmware sums the payload in AML, a word at a
	 * time, and ACPICA aborts a loop that runs 30 s (debug kernel, TCG).
	 */
	p.payload_len = 200 + 64 * w->id;
	len = pfru_cap_build(buf, &p, &l);
	for (i = 0; i < 20; i++)
		if (write(w->fd, buf, len) != (ssize_t)len)
			w->errors++;
	return NULL;
}

TEST_F_TIMEOUT(pfru, concurrent_writers, 300)
{
	struct writer w[6];
	pthread_t t[6];
	unsigned int i;
	int ret;

	for (i = 0; i < 6; i++) {
		w[i] = (struct writer){ .id = i, .rt = self->cap.code_rt_version };
		w[i].fd = i % 2 ? open(UPD_DEV, O_RDWR) : self->upd;
		ASSERT_LE(0, w[i].fd);
		ASSERT_EQ(0, pthread_create(&t[i], NULL, writer_run, &w[i]));
	}
	for (i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		EXPECT_EQ(0, w[i].errors);
		if (w[i].fd != self->upd)
			close(w[i].fd);
	}
	/* The firmware checks the signature: the buffer holds one capsule. */
	EXPECT_EQ(0, do_ioctl(self->upd, PFRU_IOC_STAGE));
	/* Concurrent stages: each succeeds or finds the other busy. */
	for (i = 0; i < 2; i++) {
		if (fork() == 0) {
			ret = do_ioctl(self->upd, PFRU_IOC_STAGE);
			_exit(ret == 0 || ret == -EBUSY ? 0 : 1);
		}
	}
	for (i = 0; i < 2; i++) {
		int status;

		wait(&status);
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	EXPECT_EQ(0, sysfs_puts(SYS_CODE "cancel", "1"));
}

/* Check a log in order: 64-byte records "seq=N ..." with N consecutive. */
static unsigned long check_log(struct __test_metadata *_metadata,
			       const char *log, size_t len)
{
	unsigned long seq, prev = 0;
	size_t off;

	EXPECT_EQ(0, len % REC_SIZE);
	for (off = 0; off + REC_SIZE <= len; off += REC_SIZE) {
		EXPECT_EQ(0, strncmp(log + off, "seq=", 4));
		EXPECT_EQ('\n', log[off + REC_SIZE - 1]);
		seq = strtoul(log + off + 4, NULL, 10);
		if (off)
			EXPECT_EQ(prev + 1, seq);
		prev = seq;
	}
	return prev;
}

TEST_F(pfru, write_bad_user_pointer)
{
	EXPECT_EQ(-EFAULT, load(self->upd, (void *)8, self->len));
	/* The capsule loaded before is untouched. */
	ASSERT_EQ(self->len, load(self->upd, self->buf, self->len));
	EXPECT_EQ(-EFAULT, load(self->upd, (void *)8, self->len));
	EXPECT_EQ(0, do_ioctl(self->upd, PFRU_IOC_STAGE));
	EXPECT_EQ(0, sysfs_puts(SYS_CODE "cancel", "1"));
	EXPECT_EQ(-EFAULT, query_cap(self->upd, (void *)8));
}

/* Earlier tests activated capsules: the history log lists them. */
TEST_F(pfru, telemetry_history_log)
{
	struct pfrt_log_info set = { .log_level = ~0u, .log_type = 1,
				     .log_revid = ~0u };
	static char log[RING_SIZE + 1];
	ssize_t n;

	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_SET_INFO, &set));
	n = pread(self->tel, log, RING_SIZE, 0);
	set.log_type = 0;
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_SET_INFO, &set));
	ASSERT_LT(0, n);
	log[n] = '\0';
	check_log(_metadata, log, n);
	EXPECT_NE(NULL, strstr(log, "activation ")) {
		TH_LOG("history log: %s", log);
	}
	EXPECT_EQ(NULL, strstr(log, "stage ok"));
}

TEST_F(pfru, telemetry_info)
{
	struct pfrt_log_info info, set;
	struct pfrt_log_data_info di, di2;

	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_GET_INFO, &info));
	EXPECT_EQ(0, info.log_type);
	EXPECT_EQ(1, info.log_revid);
	/* All fields 0xffffffff: nothing changes (what pfrut sends). */
	memset(&set, 0xff, sizeof(set));
	EXPECT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_SET_INFO, &set));
	/* Invalid values are refused and change nothing. */
	set.log_level = 3;
	EXPECT_EQ(-1, ioctl(self->tel, PFRT_LOG_IOC_SET_INFO, &set));
	EXPECT_EQ(EINVAL, errno);
	set.log_level = ~0u;
	set.log_type = 2;
	EXPECT_EQ(-1, ioctl(self->tel, PFRT_LOG_IOC_SET_INFO, &set));
	EXPECT_EQ(EINVAL, errno);
	set.log_type = ~0u;
	set.log_revid = 3;
	EXPECT_EQ(-1, ioctl(self->tel, PFRT_LOG_IOC_SET_INFO, &set));
	EXPECT_EQ(EINVAL, errno);

	/* Setting the level restarts the emulator's telemetry. */
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_GET_DATA_INFO, &di));
	set = (struct pfrt_log_info){ .log_level = 4, .log_type = ~0u,
				      .log_revid = 2 };
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_SET_INFO, &set));
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_GET_INFO, &info));
	EXPECT_EQ(4, info.log_level);
	EXPECT_EQ(2, info.log_revid);
	memset(&di2, 0xa5, sizeof(di2));
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_GET_DATA_INFO, &di2));
	EXPECT_EQ(di.reset_cnt + 1, di2.reset_cnt);
	EXPECT_EQ(0, di2.rollover_cnt);
	EXPECT_EQ(0, di2.chunk1_size);
	EXPECT_EQ(RING_SIZE, di2.max_data_size);
	/* The structure's tail hole is cleared. */
	EXPECT_EQ(0, *(__u32 *)((char *)&di2 + 60));

	/* The history log is a separate ring. */
	set = (struct pfrt_log_info){ .log_level = ~0u, .log_type = 1,
				      .log_revid = 1 };
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_SET_INFO, &set));
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_GET_DATA_INFO, &di));
	EXPECT_NE(di.chunk2_addr_lo, di2.chunk2_addr_lo);
	set.log_type = 0;
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_SET_INFO, &set));
	set = (struct pfrt_log_info){ .log_level = 2, .log_type = ~0u,
				      .log_revid = ~0u };
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_SET_INFO, &set));
}

TEST_F_TIMEOUT(pfru, telemetry_read_across_wrap, 600)
{
	struct pfrt_log_info set = { .log_level = 4, .log_type = 0,
				     .log_revid = 1 };
	struct pfrt_log_data_info di;
	static char log[RING_SIZE], part[RING_SIZE], ring[RING_SIZE];
	unsigned long last;
	ssize_t n, got;
	char *map;
	int fd, i;

	/*
	 * Verbose: RECS_PER_VERBOSE_STAGE records per stage. Fill the
	 * 64-record ring and more, in few stages: each costs seconds of AML
	 * in the debug kernel.
	 */
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_SET_INFO, &set));
	ASSERT_EQ(self->len, load(self->upd, self->buf, self->len));
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, do_ioctl(self->upd, PFRU_IOC_STAGE));
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_GET_DATA_INFO, &di));
	EXPECT_EQ(1, di.rollover_cnt);
	EXPECT_EQ(RING_SIZE, di.chunk1_size + di.chunk2_size);
	EXPECT_LT(0, di.chunk1_size);

	/* One read: the whole log, oldest first, no gap at the wrap. */
	n = pread(self->tel, log, sizeof(log), 0);
	ASSERT_EQ(RING_SIZE, n);
	last = check_log(_metadata, log, n);
	EXPECT_EQ(last - RING_SIZE / REC_SIZE + 1, strtoul(log + 4, NULL, 10));

	/* Small reads on another file give the same bytes. */
	fd = open(TEL_DEV, O_RDONLY);
	ASSERT_LE(0, fd);
	for (got = 0; got < RING_SIZE; got += n) {
		n = read(fd, part + got, 100);
		ASSERT_LT(0, n);
	}
	EXPECT_EQ(0, read(fd, part, 100));
	EXPECT_EQ(0, memcmp(log, part, RING_SIZE));

	/* mmap() maps the ring itself: chunk 2 first, then chunk 1. */
	map = mmap(NULL, RING_SIZE, PROT_READ, MAP_SHARED, self->tel, 0);
	ASSERT_NE(MAP_FAILED, map);
	memcpy(ring, map + di.chunk2_size, di.chunk1_size);
	memcpy(ring + di.chunk1_size, map, di.chunk2_size);
	EXPECT_EQ(0, memcmp(log, ring, RING_SIZE));
	munmap(map, RING_SIZE);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, RING_SIZE, PROT_READ | PROT_WRITE,
				   MAP_SHARED, self->tel, 0));
	EXPECT_EQ(EROFS, errno);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, RING_SIZE * 2, PROT_READ, MAP_SHARED,
				   self->tel, 0));
	EXPECT_EQ(EINVAL, errno);

	/* A reader the firmware overtook is told so, not given a torn log. */
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	ASSERT_EQ(REC_SIZE, read(fd, part, REC_SIZE));
	ASSERT_EQ(0, do_ioctl(self->upd, PFRU_IOC_STAGE));
	EXPECT_EQ(-1, read(fd, part, REC_SIZE));
	EXPECT_EQ(ESTALE, errno);
	/* Right after the firmware wrote its log, mmap() still works. */
	map = mmap(NULL, RING_SIZE, PROT_READ, MAP_SHARED, self->tel, 0);
	EXPECT_NE(MAP_FAILED, map) {
		TH_LOG("mmap right after an update: %s", strerror(errno));
	}
	if (map != MAP_FAILED)
		munmap(map, RING_SIZE);
	/* Reading from the start again works. */
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	n = read(fd, log, sizeof(log));
	EXPECT_EQ(RING_SIZE, n);
	EXPECT_EQ(last + RECS_PER_VERBOSE_STAGE, check_log(_metadata, log, n));
	close(fd);

	EXPECT_EQ(0, sysfs_puts(SYS_CODE "cancel", "1"));
	set.log_level = 2;
	ASSERT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_SET_INFO, &set));
}

#define UPD_DRV	"/sys/bus/platform/drivers/fwact-pfru-update/"
#define TEL_DRV	"/sys/bus/platform/drivers/fwact-pfru-telemetry/"

/* Last: unbinding the devices under open files must not hurt. */
TEST_F(pfru, unbind_with_open_files)
{
	struct pfru_update_cap_info cap;
	struct pfrt_log_info info;
	char buf[16];

	if (access(UPD_DRV "INTC1080:00", F_OK) ||
	    access(TEL_DRV "INTC1081:00", F_OK))
		SKIP(return, "devices not named INTC1080:00/INTC1081:00");
	ASSERT_EQ(0, sysfs_puts(UPD_DRV "unbind", "INTC1080:00"));
	ASSERT_EQ(0, sysfs_puts(TEL_DRV "unbind", "INTC1081:00"));
	EXPECT_NE(0, access(SYS_CODE, F_OK));
	EXPECT_NE(0, access(UPD_DEV, F_OK));
	EXPECT_NE(0, access(UPD_MAINLINE, F_OK));
	EXPECT_NE(0, access(TEL_MAINLINE, F_OK));
	EXPECT_EQ(-ENODEV, query_cap(self->upd, &cap));
	EXPECT_EQ(-1, read(self->upd, buf, sizeof(buf)));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, write(self->upd, self->buf, self->len));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, ioctl(self->tel, PFRT_LOG_IOC_GET_INFO, &info));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, read(self->tel, buf, sizeof(buf)));
	EXPECT_EQ(ENODEV, errno);

	ASSERT_EQ(0, sysfs_puts(UPD_DRV "bind", "INTC1080:00"));
	ASSERT_EQ(0, sysfs_puts(TEL_DRV "bind", "INTC1081:00"));
	close(self->upd);
	close(self->tel);
	self->upd = open(UPD_DEV, O_RDWR);
	ASSERT_LE(0, self->upd);
	self->tel = open(TEL_DEV, O_RDWR);
	ASSERT_LE(0, self->tel);
	EXPECT_EQ(0, access(UPD_MAINLINE, F_OK));
	EXPECT_EQ(0, access(TEL_MAINLINE, F_OK));
	ASSERT_EQ(0, query_cap(self->upd, &cap));
	EXPECT_EQ(self->cap.code_rt_version, cap.code_rt_version);
	EXPECT_EQ(cap.code_rt_version, sysfs_long(SYS_CODE "current_version"));
	EXPECT_EQ(0, ioctl(self->tel, PFRT_LOG_IOC_GET_INFO, &info));
	/* A new device has no capsule loaded and nothing staged. */
	EXPECT_EQ(-ENODATA, do_ioctl(self->upd, PFRU_IOC_STAGE));
	EXPECT_EQ(-ENODATA, do_ioctl(self->upd, PFRU_IOC_STAGE_ACTIVATE));
	EXPECT_EQ(-ENODATA, do_ioctl(self->upd, PFRU_IOC_ACTIVATE));
}

int main(int argc, char **argv)
{
	if (access(UPD_DEV, F_OK)) {
		ksft_print_header();
		ksft_exit_skip("no %s (no PFRU firmware or module)\n", UPD_DEV);
	}
	return test_harness_run(argc, argv);
}
