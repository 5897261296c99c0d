/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the fwact selftests: reading and writing the core's sysfs
 * files (/sys/firmware/fwact/<component>/) and the test backend's debugfs
 * knobs (/sys/kernel/debug/fwact_testmod/<component>/), uploading and
 * staging images, and facts about the online CPUs. Every helper returns 0
 * or a negative errno (or LLONG_MIN for a number it could not read), so
 * that a test can assert the exact errno the kernel gave.
 */
#ifndef _FWACT_UTIL_H
#define _FWACT_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fwact_image.h"
#include "kselftest.h"

#define FWACT_SYSFS		"/sys/firmware/fwact"
#define FWACT_TESTMOD_DEBUGFS	"/sys/kernel/debug/fwact_testmod"
#define FWACT_NO_NUMBER		LLONG_MIN
#define FWACT_TESTMOD_NAME	"fwact_testmod"
#define FWACT_TESTMOD_KO	"/fwact/modules/fwact_testmod.ko"

/* The components of fwact_testmod.ko. */
static const char * const fwact_test_comps[] = {
	"test-none", "test-one", "test-all", "test-per-core", "test-serial",
	"test-steps", "test-irq-one", "test-irq-all",
};

/* Read a whole small file into @buf, without its trailing newline. */
static inline int fwact_path_read(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

/* One write() of @len bytes from @buf; 0 if all were taken. */
static inline int fwact_path_write(const char *path, const void *buf,
				   size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	return (size_t)n == len ? 0 : -EIO;
}

static inline long long fwact_path_ll(const char *path)
{
	char buf[64], *end;
	long long val;

	if (fwact_path_read(path, buf, sizeof(buf)))
		return FWACT_NO_NUMBER;
	errno = 0;
	val = strtoll(buf, &end, 0);
	if (errno || end == buf || *end)
		return FWACT_NO_NUMBER;
	return val;
}

static inline void fwact_attr_path(char *path, size_t size, const char *comp,
				   const char *attr)
{
	if (comp)
		snprintf(path, size, FWACT_SYSFS "/%s/%s", comp, attr);
	else
		snprintf(path, size, FWACT_SYSFS "/%s", attr);
}

static inline int fwact_attr_read(const char *comp, const char *attr,
				  char *buf, size_t size)
{
	char path[PATH_MAX];

	fwact_attr_path(path, sizeof(path), comp, attr);
	return fwact_path_read(path, buf, size);
}

static inline int fwact_attr_write(const char *comp, const char *attr,
				   const char *val)
{
	char path[PATH_MAX];

	fwact_attr_path(path, sizeof(path), comp, attr);
	return fwact_path_write(path, val, strlen(val));
}

static inline long long fwact_attr_ll(const char *comp, const char *attr)
{
	char path[PATH_MAX];

	fwact_attr_path(path, sizeof(path), comp, attr);
	return fwact_path_ll(path);
}

/*
 * True if @ret, what an activation of @comp returned, is a run the host
 * kept from gathering: under TCG a host that deschedules a virtual CPU for
 * longer than the budget makes a held run time out at the gather, before
 * any action ran (failed_step -1), as seen in CI with 4 vCPUs on 2 host
 * cores. Such a run changed nothing and may be tried again; says so.
 */
static inline bool fwact_gather_missed(const char *comp, int ret)
{
	if (ret != -ETIMEDOUT ||
	    fwact_attr_ll(comp, "last_activation/failed_step") != -1)
		return false;
	ksft_print_msg("%s: CPU %lld did not arrive in time; again\n", comp,
		       fwact_attr_ll(comp, "last_activation/failed_cpu"));
	return true;
}

/*
 * Activate @comp, trying a run the host kept from gathering again
 * (fwact_gather_missed()), at most @tries times in all. Tests of the
 * gather's own timeout must not use this.
 */
static inline int fwact_activate_gathered(const char *comp, int tries)
{
	int ret;

	do
		ret = fwact_attr_write(comp, "activate", "1");
	while (--tries > 0 && fwact_gather_missed(comp, ret));
	return ret;
}

/*
 * Test kernels: make @cpu start every step of the following held runs @us
 * microseconds after the other CPUs (the engine's rendezvous_late_* files;
 * @us 0 turns it off). 0 on success, or the errno of the write.
 */
#define FWACT_RV_LATE		"/sys/kernel/debug/fwact/rendezvous_late_"
static inline int fwact_rv_late_set(int cpu, unsigned int us)
{
	char val[16];
	int ret;

	snprintf(val, sizeof(val), "%d", cpu);
	ret = fwact_path_write(FWACT_RV_LATE "cpu", val, strlen(val));
	if (ret)
		return ret;
	snprintf(val, sizeof(val), "%u", us);
	return fwact_path_write(FWACT_RV_LATE "us", val, strlen(val));
}

/* True if sysfs file @attr of @comp reads exactly @want. */
static inline bool fwact_attr_is(const char *comp, const char *attr,
				 const char *want)
{
	char buf[256];

	return !fwact_attr_read(comp, attr, buf, sizeof(buf)) &&
	       !strcmp(buf, want);
}

static inline int fwact_knob_write(const char *comp, const char *knob,
				   const char *val)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FWACT_TESTMOD_DEBUGFS "/%s/%s", comp,
		 knob);
	return fwact_path_write(path, val, strlen(val));
}

static inline int fwact_knob_set(const char *comp, const char *knob,
				 long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", val);
	return fwact_knob_write(comp, knob, buf);
}

static inline long long fwact_knob_ll(const char *comp, const char *knob)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FWACT_TESTMOD_DEBUGFS "/%s/%s", comp,
		 knob);
	return fwact_path_ll(path);
}

/*
 * Write @len bytes of @img to the ``image`` file of @comp in writes of at
 * most @chunk bytes at increasing offsets, the first at offset 0; a short
 * write is continued where it stopped.
 */
static inline int fwact_image_upload(const char *comp, const void *img,
				     size_t len, size_t chunk)
{
	char path[PATH_MAX];
	size_t off = 0;
	int fd, ret = 0;

	fwact_attr_path(path, sizeof(path), comp, "image");
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	do {
		size_t n = len - off < chunk ? len - off : chunk;
		ssize_t done = pwrite(fd, (const char *)img + off, n, off);

		if (done < 0) {
			ret = -errno;
			break;
		}
		/* sysfs takes at most a page per write: carry on after it. */
		if (!done) {
			ret = -EIO;
			break;
		}
		off += done;
	} while (off < len);
	close(fd);
	return ret;
}

/* Upload @img in one write and stage it. */
static inline int fwact_stage_bytes(const char *comp, const void *img,
				    size_t len)
{
	int ret = fwact_image_upload(comp, img, len, len ? len : 1);

	return ret ? ret : fwact_attr_write(comp, "stage", "1");
}

/* Build a valid image of @version and stage it. */
static inline int fwact_stage_version(const char *comp, uint32_t version,
				      size_t payload)
{
	uint8_t *img;
	size_t len;
	int ret;

	img = fwact_image_build(version, payload, &len);
	if (!img)
		return -ENOMEM;
	ret = fwact_stage_bytes(comp, img, len);
	free(img);
	return ret;
}

/* Read a whole (possibly binary, possibly large) file; caller frees. */
static inline char *fwact_path_slurp(const char *path, size_t *len)
{
	size_t size = 4096, n = 0;
	char *buf = malloc(size + 1);
	ssize_t r;
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	while ((r = read(fd, buf + n, size - n)) > 0) {
		n += r;
		if (n == size) {
			char *bigger = realloc(buf, 2 * size + 1);

			if (!bigger) {
				r = -1;
				break;
			}
			buf = bigger;
			size *= 2;
		}
	}
	close(fd);
	if (r < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* True if the file at @path can be read and contains @needle. */
static inline bool fwact_path_contains(const char *path, const char *needle)
{
	char *text = fwact_path_slurp(path, NULL);
	bool found = text && strstr(text, needle);

	free(text);
	return found;
}

/* Online CPUs, from /sys/devices/system/cpu/online ("0-3,5"). */
static inline int fwact_cpus_online(bool *online, int max)
{
	char buf[4096], *p;
	int count = 0;

	memset(online, 0, max * sizeof(*online));
	if (fwact_path_read("/sys/devices/system/cpu/online", buf,
			    sizeof(buf)))
		return -1;
	for (p = strtok(buf, ","); p; p = strtok(NULL, ",")) {
		int lo, hi, cpu;

		if (sscanf(p, "%d-%d", &lo, &hi) != 2) {
			lo = atoi(p);
			hi = lo;
		}
		for (cpu = lo; cpu <= hi && cpu < max; cpu++) {
			online[cpu] = true;
			count++;
		}
	}
	return count;
}

#define FWACT_MAX_CPUS	1024

static inline int fwact_nr_online(void)
{
	static bool online[FWACT_MAX_CPUS];

	return fwact_cpus_online(online, FWACT_MAX_CPUS);
}

static inline int fwact_first_online(void)
{
	static bool online[FWACT_MAX_CPUS];
	int cpu;

	fwact_cpus_online(online, FWACT_MAX_CPUS);
	for (cpu = 0; cpu < FWACT_MAX_CPUS; cpu++)
		if (online[cpu])
			return cpu;
	return -1;
}

static inline int fwact_last_online(void)
{
	static bool online[FWACT_MAX_CPUS];
	int cpu;

	fwact_cpus_online(online, FWACT_MAX_CPUS);
	for (cpu = FWACT_MAX_CPUS - 1; cpu >= 0; cpu--)
		if (online[cpu])
			return cpu;
	return -1;
}

/**
 * struct fwact_rec - one line of the test backend's ``record`` file
 */
struct fwact_rec {
	unsigned int order, step, cpu;
	unsigned long long start_ns, end_ns;
};

/* Parse the record of @comp into @rec (at most @max); return the count. */
static inline int fwact_record_read(const char *comp, struct fwact_rec *rec,
				    int max)
{
	char path[PATH_MAX], *text, *line, *save;
	int n = 0;

	snprintf(path, sizeof(path), FWACT_TESTMOD_DEBUGFS "/%s/record", comp);
	text = fwact_path_slurp(path, NULL);
	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%u %u %u %llu %llu", &rec[n].order,
			   &rec[n].step, &rec[n].cpu, &rec[n].start_ns,
			   &rec[n].end_ns) != 5) {
			n = -1;
			break;
		}
		n++;
	}
	free(text);
	return n;
}

/*
 * Knobs of @comp to their defaults, running version @version, the core's
 * settings to the defaults with a budget of @budget_us, state idle.
 */
static inline int fwact_comp_reset(const char *comp, unsigned int version,
				   const char *budget_us)
{
	bool none = !strcmp(comp, "test-none");
	int ret;

	ret = fwact_knob_write(comp, "reset", "1");
	if (ret)
		return ret;
	ret = fwact_knob_set(comp, "version", version);
	if (ret)
		return ret;
	ret = fwact_attr_write(comp, "force_cpu_rendezvous", none ? "0" : "1");
	if (ret)
		return ret;
	ret = fwact_attr_write(comp, "max_blackout_us", budget_us);
	if (ret)
		return ret;
	if (fwact_attr_is(comp, "state", "idle"))
		return 0;
	/* activated/failed only leave through a new stage (then cancel). */
	fwact_attr_write(comp, "cancel", "1");
	if (!fwact_attr_is(comp, "state", "idle")) {
		ret = fwact_stage_version(comp, version + 1, 16);
		if (ret)
			return ret;
		ret = fwact_attr_write(comp, "cancel", "1");
		if (ret)
			return ret;
	}
	return fwact_attr_is(comp, "state", "idle") ? 0 : -EPROTO;
}

/* fwact and fwact_testmod are loaded, and debugfs is there. */
static inline bool fwact_testmod_loaded(void)
{
	return !access(FWACT_TESTMOD_DEBUGFS "/test-one/version", W_OK) &&
	       !access(FWACT_SYSFS "/test-one", F_OK);
}

/* The test module's file: $FWACT_TESTMOD_KO, or where the guest has it. */
static inline const char *fwact_testmod_ko(void)
{
	const char *ko = getenv("FWACT_TESTMOD_KO");

	return ko ? ko : FWACT_TESTMOD_KO;
}

/* Unload module @name, retrying for 5 s while something holds it. */
static inline int fwact_module_unload(const char *name)
{
	int i;

	/* Retry while a reader in another process holds it briefly. */
	for (i = 0; i < 50; i++) {
		if (!syscall(SYS_delete_module, name, O_NONBLOCK))
			return 0;
		if (errno != EAGAIN && errno != EBUSY)
			return -errno;
		usleep(100000);
	}
	return -EBUSY;
}

/* Load the module file @path, with no parameters. */
static inline int fwact_module_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, "", 0))
		ret = -errno;
	close(fd);
	return ret;
}

static inline int fwact_testmod_unload(void)
{
	return fwact_module_unload(FWACT_TESTMOD_NAME);
}

static inline int fwact_testmod_load(void)
{
	return fwact_module_load(fwact_testmod_ko());
}

#define FWACT_DEBUGFS_MAGIC	0x64626720

/* Mount debugfs where the knobs live, unless it is already there. */
static inline void fwact_debugfs_mount(void)
{
	struct statfs sfs;

	if (!statfs("/sys/kernel/debug", &sfs) &&
	    sfs.f_type == FWACT_DEBUGFS_MAGIC)
		return;
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
}

/**
 * struct fwact_jline - one record of /sys/firmware/fwact/journal
 */
struct fwact_jline {
	unsigned long long seq, blackout, skew, irqoff, action;
	long long sec;
	long nsec;
	char comp[64], backend[32], from[64], to[64], mode[16];
	int result, failed_step, failed_cpu;
	unsigned int cpus;
};

static inline int fwact_jline_parse(const char *line, struct fwact_jline *j)
{
	return sscanf(line,
		      "seq=%llu time=%lld.%ld component=%63s backend=%31s from=%63s to=%63s result=%d mode=%15s cpus=%u blackout_ns=%llu skew_ns=%llu irqoff_max_ns=%llu action_ns=%llu failed_step=%d failed_cpu=%d",
		      &j->seq, &j->sec, &j->nsec, j->comp, j->backend, j->from,
		      j->to, &j->result, j->mode, &j->cpus, &j->blackout,
		      &j->skew, &j->irqoff, &j->action, &j->failed_step,
		      &j->failed_cpu) == 16 ? 0 : -1;
}

/* Parse the whole journal into @j (at most @max lines); return the count. */
static inline int fwact_journal_parse(struct fwact_jline *j, int max)
{
	char *text = fwact_path_slurp(FWACT_SYSFS "/journal", NULL);
	char *line, *save;
	int n = 0;

	if (!text)
		return -1;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (n == max || fwact_jline_parse(line, &j[n])) {
			n = -1;
			break;
		}
		n++;
	}
	free(text);
	return n;
}

/*
 * Before the harness runs: mount debugfs if needed, and skip the whole
 * program (kselftest's exit code 4) without fwact and its test backend.
 */
static inline void fwact_require_testmod(void)
{
	fwact_debugfs_mount();
	if (access(FWACT_SYSFS, F_OK) || !fwact_testmod_loaded()) {
		ksft_print_header();
		ksft_exit_skip("%s\n", access(FWACT_SYSFS, F_OK) ?
			       "fwact not loaded" : "fwact_testmod not loaded");
	}
}

/*
 * The rest is shared by the selftests of the core's user-space ABI, one
 * program per subject (fwact_sysfs_test.c, fwact_stage_test.c, ...): what
 * their fixtures bring the test components back to, the files a refused
 * operation must leave alone, activations run from a thread, and uevents.
 */
#include <linux/netlink.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <time.h>

/* The fixtures set every test component's running version to this, */
#define FWACT_BASE_VERSION	1
/*
 * and its budget to the largest one: under TCG a vCPU can stall for a
 * second or more, which only the tests of the budget itself should see.
 */
#define FWACT_BUDGET_US		10000000
#define FWACT_BUDGET_US_STR	"10000000"

/* Images of firmware/, in the guest's /lib/firmware. */
#define FWACT_FW_DIR		"/lib/firmware"
#define FWACT_FW_GOOD		"fwact-testmod-v2.bin"
#define FWACT_FW_BADCRC		"fwact-testmod-badcrc.bin"

/*
 * Every component of fwact_testmod idle, with default knobs and core
 * settings, running FWACT_BASE_VERSION with a budget of FWACT_BUDGET_US.
 * 0, or the error of the first component that could not be reset, whose
 * name is then in *@comp.
 */
static inline int fwact_test_comps_reset(const char **comp)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++) {
		ret = fwact_comp_reset(fwact_test_comps[i], FWACT_BASE_VERSION,
				       FWACT_BUDGET_US_STR);
		if (ret) {
			*comp = fwact_test_comps[i];
			return ret;
		}
	}
	return 0;
}

/* Disarm every fault of every test component, for whoever runs next. */
static inline void fwact_test_comps_disarm(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fwact_test_comps); i++)
		fwact_knob_write(fwact_test_comps[i], "reset", "1");
}

/**
 * struct fwact_snapshot - the files of a component a refused write must
 * not change
 */
struct fwact_snapshot {
	char state[32];
	char cur[64];
	char pending[64];
	char last_error[32];
	long long count;
};

static inline void fwact_snap_take(const char *comp, struct fwact_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	fwact_attr_read(comp, "state", s->state, sizeof(s->state));
	fwact_attr_read(comp, "current_version", s->cur, sizeof(s->cur));
	fwact_attr_read(comp, "pending_version", s->pending,
			sizeof(s->pending));
	fwact_attr_read(comp, "last_error", s->last_error,
			sizeof(s->last_error));
	s->count = fwact_attr_ll(comp, "last_activation/count");
}

/* In a kselftest_harness.h test: @comp still reads as in @before. */
#define FWACT_ASSERT_UNCHANGED(comp, before) do {			\
	const struct fwact_snapshot *__was = (before);			\
	struct fwact_snapshot __now;					\
									\
	fwact_snap_take(comp, &__now);					\
	ASSERT_STREQ(__was->state, __now.state);			\
	ASSERT_STREQ(__was->cur, __now.cur);				\
	ASSERT_STREQ(__was->pending, __now.pending);			\
	ASSERT_EQ(__was->count, __now.count);				\
} while (0)

static inline long long fwact_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Wait until @comp reads @state; false after 5 s. */
static inline bool fwact_state_wait(const char *comp, const char *state)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (fwact_attr_is(comp, "state", state))
			return true;
		usleep(1000);
	}
	return false;
}

/**
 * struct fwact_activator - a thread that writes 1 to ``activate``
 * @comp: the component
 * @barrier: if not NULL, waited on right before the write
 * @fd: the ``activate`` file, opened before the thread starts
 * @ret: 0 or the negative errno of the write, once joined
 */
struct fwact_activator {
	const char *comp;
	pthread_barrier_t *barrier;
	int fd;
	int ret;
};

static inline void *fwact_activator_run(void *arg)
{
	struct fwact_activator *a = arg;

	if (a->barrier)
		pthread_barrier_wait(a->barrier);
	a->ret = write(a->fd, "1", 1) < 0 ? -errno : 0;
	return NULL;
}

/* Start activating @comp in *@thread; 0 or a negative errno. */
static inline int fwact_activator_start(struct fwact_activator *a,
					const char *comp,
					pthread_barrier_t *barrier,
					pthread_t *thread)
{
	char path[PATH_MAX];
	int ret;

	a->comp = comp;
	a->barrier = barrier;
	a->ret = 1;
	fwact_attr_path(path, sizeof(path), comp, "activate");
	a->fd = open(path, O_WRONLY);
	if (a->fd < 0)
		return -errno;
	ret = pthread_create(thread, NULL, fwact_activator_run, a);
	if (ret)
		close(a->fd);
	return -ret;
}

static inline void fwact_activator_join(struct fwact_activator *a,
					pthread_t thread)
{
	pthread_join(thread, NULL);
	close(a->fd);
}

/* A socket that receives the kernel's uevents; or a negative errno. */
static inline int fwact_uevent_open(void)
{
	struct sockaddr_nl addr = {
		.nl_family = AF_NETLINK,
		.nl_groups = 1,	/* kernel uevents */
	};
	int fd, size = 1 << 20;

	fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC,
		    NETLINK_KOBJECT_UEVENT);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Does the uevent in @msg (@len bytes) carry @var exactly? */
static inline bool fwact_uevent_has(const char *msg, size_t len,
				    const char *var)
{
	size_t off = 0;

	while (off < len) {
		if (!strcmp(msg + off, var))
			return true;
		off += strlen(msg + off) + 1;
	}
	return false;
}

/* Whether uevent @msg carries every variable of the NULL-ended @vars. */
static inline bool fwact_uevent_has_all(const char *msg, size_t len,
					va_list vars)
{
	const char *var;

	while ((var = va_arg(vars, const char *)))
		if (!fwact_uevent_has(msg, len, var))
			return false;
	return true;
}

/*
 * Wait up to 2 s for a uevent of component @comp that carries every
 * variable named after it, up to a NULL.
 */
static inline bool fwact_uevent_wait_vars(int fd, const char *comp, ...)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char devpath[128], msg[8192];
	va_list vars;
	bool found;

	snprintf(devpath, sizeof(devpath), "DEVPATH=/firmware/fwact/%s", comp);
	while (poll(&pfd, 1, 2000) == 1) {
		ssize_t n = recv(fd, msg, sizeof(msg) - 1, 0);

		if (n <= 0)
			return false;
		msg[n] = '\0';
		if (!fwact_uevent_has(msg, n, devpath))
			continue;
		va_start(vars, comp);
		found = fwact_uevent_has_all(msg, n, vars);
		va_end(vars);
		if (found)
			return true;
	}
	return false;
}

/* Wait up to 2 s for an @action uevent of component @comp. */
static inline bool fwact_uevent_wait_action(int fd, const char *comp,
					    const char *action)
{
	char act[64];

	snprintf(act, sizeof(act), "ACTION=%s", action);
	return fwact_uevent_wait_vars(fd, comp, act, NULL);
}

#endif /* _FWACT_UTIL_H */
