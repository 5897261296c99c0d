// SPDX-License-Identifier: GPL-2.0
/*
 * Selftests of the uevents of the fwact core, driven against the emulated
 * components of fwact_testmod.ko and read from a netlink socket: every
 * state change is announced with FWACT_STATE (and FWACT_RESULT once an
 * activation is over), a refused operation announces nothing, and reading
 * never sends a uevent nor moves the state, even when the firmware forgot
 * the staged image without telling. Each test checks one behaviour and is
 * named after it; the fixture brings every test component back to idle
 * with default knobs.
 *
 * Skips (exit 4) when the core or the test module is not loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "fwact_util.h"

#define ONE	"test-one"

#include "fwact_core_fixture.h"

/*
 * Wait up to 2 s for a change uevent of component @comp with
 * FWACT_STATE=@state (and, if @result is not NULL, FWACT_RESULT=@result).
 */
static bool uevent_wait(int fd, const char *comp, const char *state,
			const char *result)
{
	char st[64], res[64];

	snprintf(st, sizeof(st), "FWACT_STATE=%s", state);
	snprintf(res, sizeof(res), "FWACT_RESULT=%s", result ?: "");
	return fwact_uevent_wait_vars(fd, comp, "ACTION=change", st,
				      result ? res : NULL, NULL);
}

/* Would a uevent of @comp arrive within @ms? */
static bool uevent_any(int fd, const char *comp, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char devpath[128], msg[8192];

	snprintf(devpath, sizeof(devpath), "DEVPATH=/firmware/fwact/%s", comp);
	while (poll(&pfd, 1, ms) == 1) {
		ssize_t n = recv(fd, msg, sizeof(msg) - 1, 0);

		if (n <= 0)
			return false;
		msg[n] = '\0';
		if (fwact_uevent_has(msg, n, devpath))
			return true;
	}
	return false;
}

TEST_F(fwact, uevents_announce_every_state_change)
{
	int fd = fwact_uevent_open();

	ASSERT_GE(fd, 0) TH_LOG("uevent socket: %s", strerror(-fd));
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	EXPECT_TRUE(uevent_wait(fd, ONE, "staged", NULL));
	ASSERT_EQ(0, fwact_attr_write(ONE, "activate", "1"));
	EXPECT_TRUE(uevent_wait(fd, ONE, "activating", NULL));
	EXPECT_TRUE(uevent_wait(fd, ONE, "activated", "0"));
	close(fd);
}

TEST_F(fwact, uevents_announce_failure_and_cancel)
{
	int fd = fwact_uevent_open();

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_attr_write(ONE, "cancel", "1"));
	EXPECT_TRUE(uevent_wait(fd, ONE, "idle", NULL));
	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	ASSERT_EQ(0, fwact_knob_set(ONE, "fail_errno", EIO));
	ASSERT_EQ(-EIO, fwact_attr_write(ONE, "activate", "1"));
	EXPECT_TRUE(uevent_wait(fd, ONE, "failed", "-5"));
	close(fd);
}

TEST_F(fwact, refused_operations_send_no_uevent)
{
	int fd = fwact_uevent_open();

	ASSERT_GE(fd, 0);
	ASSERT_EQ(-ENODATA, fwact_attr_write(ONE, "activate", "1"));
	ASSERT_EQ(-ENODATA, fwact_attr_write(ONE, "cancel", "1"));
	ASSERT_FALSE(uevent_wait(fd, ONE, "idle", NULL));
	close(fd);
}

/* --- state changes are serialized --- */

static const char * const every_file[] = {
	"name", "backend", "current_version", "pending_version",
	"activation_capable", "activation_pending", "may_reset_cpu",
	"cpu_rendezvous", "force_cpu_rendezvous", "max_blackout_us",
	"rendezvous_mode", "rendezvous_context", "state", "last_error",
	"last_fw_status", "last_activation/result",
};

TEST_F(fwact, reading_never_sends_a_uevent_nor_moves_the_state)
{
	char buf[256];
	unsigned int i;
	int fd;

	ASSERT_EQ(0, fwact_stage_version(ONE, 2, 100));
	fd = fwact_uevent_open();
	ASSERT_GE(fd, 0);
	/* The firmware forgets the image without telling anyone. */
	ASSERT_EQ(0, fwact_knob_write(ONE, "drop_staged", "2"));
	for (i = 0; i < ARRAY_SIZE(every_file); i++) {
		const char *file = every_file[i];

		EXPECT_EQ(0, fwact_attr_read(ONE, file, buf, sizeof(buf)));
	}
	EXPECT_FALSE(uevent_any(fd, ONE, 500));
	EXPECT_TRUE(fwact_attr_is(ONE, "state", "staged"));
	EXPECT_TRUE(fwact_attr_is(ONE, "activation_pending", "0"));

	/* The next operation sees it, moves the state and says so. */
	EXPECT_EQ(-ENODATA, fwact_attr_write(ONE, "activate", "1"));
	EXPECT_TRUE(uevent_wait(fd, ONE, "idle", NULL));
	EXPECT_TRUE(fwact_attr_is(ONE, "state", "idle"));
	close(fd);
}

/* Before the harness starts: skip the whole program without the module. */
static void __attribute__((constructor)) require_testmod(void)
{
	fwact_require_testmod();
}

TEST_HARNESS_MAIN
