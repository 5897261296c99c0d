// SPDX-License-Identifier: GPL-2.0
/*
 * The microcode backend's force knobs under kernel lockdown. Not in
 * ksft.list: it locks the guest down for good (integrity mode, through
 * securityfs), after which debugfs writes are refused as well, so it runs
 * alone: vm-run.sh --cmd 'cd /fwact/tests/microcode && ./ucode_lockdown_test'.
 * The guest cannot boot with lockdown=integrity instead: the fwact modules
 * are not signed, and a locked-down kernel does not load them.
 *
 * Before the lockdown it installs the emulated engine and sets
 * allow_hypervisor (a TCG guest needs it); after it, setting any force
 * knob fails with EPERM, the knob already set is ignored (staging is
 * refused as under a hypervisor without it), and the kernel log names the
 * lockdown reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ucode_build.h"
#include "ucode_sysfs.h"

#define LOCKDOWN	"/sys/kernel/security/lockdown"

static int stage_good(void)
{
	struct ub_intel u = {
		.sig = 0x000906a3, .pf = 0x1, .rev = 0x200, .min_rev = 0x100,
		.datasize = 2048,
	};
	size_t len = ub_intel_size(&u);
	__u8 *p = malloc(len);
	int ret;

	if (!p)
		return -ENOMEM;
	ub_intel_fill(p, &u);
	ret = image_stage(p, len);
	free(p);
	return ret;
}

/* The kernel log holds @s. */
static int klog_has(const char *s)
{
	int len = klogctl(10, NULL, 0), found;
	char *buf;

	if (len <= 0)
		return 0;
	buf = malloc(len + 1);
	if (!buf)
		return 0;
	len = klogctl(3, buf, len);
	buf[len > 0 ? len : 0] = '\0';
	found = !!strstr(buf, s);
	free(buf);
	return found;
}

TEST(force_knobs_refused_under_lockdown)
{
	char buf[256];

	if (access(COMP, F_OK) || access(EMU "/enable", F_OK))
		SKIP(return, "fwact_microcode or fwact_ucode_emu not loaded");
	if (access(LOCKDOWN, F_OK))
		mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL);
	if (file_read(LOCKDOWN, buf, sizeof(buf)) < 0)
		SKIP(return, "no lockdown LSM (%s)", LOCKDOWN);
	if (!strstr(buf, "[none]"))
		SKIP(return, "already locked down: %s", buf);

	/* Before: the knobs work and an image stages under TCG. */
	ASSERT_EQ(0, file_write(EMU "/vendor", "1"));
	ASSERT_EQ(0, file_write(EMU "/sig", "0x000906a3"));
	ASSERT_EQ(0, file_write(EMU "/rev", "256"));
	ASSERT_EQ(0, file_write(EMU "/enable", "1"));
	ASSERT_EQ(0, file_write(PARAM "/allow_hypervisor", "1"));
	ASSERT_EQ(0, file_write(PARAM "/force_minrev", "0"));
	ASSERT_EQ(0, stage_good());
	ASSERT_EQ(0, file_write(COMP "/cancel", "1"));

	ASSERT_EQ(0, file_write(LOCKDOWN, "integrity"));
	ASSERT_LT(0, file_read(LOCKDOWN, buf, sizeof(buf)));
	TH_LOG("lockdown: %s", buf);

	EXPECT_EQ(-EPERM, file_write(PARAM "/force_minrev", "1"));
	EXPECT_EQ(-EPERM, file_write(PARAM "/force_amd_sha", "1"));
	EXPECT_EQ(-EPERM, file_write(PARAM "/allow_hypervisor", "1"));
	ASSERT_LT(0, file_read(PARAM "/force_minrev", buf, sizeof(buf)));
	EXPECT_STREQ("N", buf);
	ASSERT_LT(0, file_read(PARAM "/force_amd_sha", buf, sizeof(buf)));
	EXPECT_STREQ("N", buf);
	EXPECT_TRUE(klog_has("unsafe module parameters is restricted; see man kernel_lockdown.7"));
	EXPECT_TRUE(klog_has("force_minrev refused: the kernel is locked down"));

	/* allow_hypervisor was set before: it no longer counts. */
	ASSERT_LT(0, file_read(PARAM "/allow_hypervisor", buf, sizeof(buf)));
	EXPECT_STREQ("Y", buf);
	EXPECT_EQ(-EOPNOTSUPP, stage_good());
	ASSERT_LT(0, file_read(COMP "/activation_capable", buf, sizeof(buf)));
	EXPECT_STREQ("0", buf);
	ASSERT_LT(0, file_read(COMP "/pending_version", buf, sizeof(buf)));
	EXPECT_STREQ("N/A", buf);
	/* Turning a knob off is always allowed. */
	EXPECT_EQ(0, file_write(PARAM "/allow_hypervisor", "0"));
}

TEST_HARNESS_MAIN
