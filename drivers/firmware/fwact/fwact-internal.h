/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the parts of the fwact core module: the component
 * core (core.c), its sysfs files (sysfs.c), the activation journal
 * (journal.c) and the rendezvous engine (rendezvous.c). Nothing here is
 * visible to backends; their contract is include/linux/fwact.h.
 */
#ifndef _FWACT_INTERNAL_H
#define _FWACT_INTERNAL_H

#include <linux/err.h>
#include <linux/fwact.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/time64.h>

struct dentry;
struct file;
struct fwact_fw_upload;

extern const char * const fwact_mode_names[FWACT_MODE_NR];
extern const char * const fwact_context_names[FWACT_CONTEXT_NR];

/**
 * struct fwact_rv_req - one run of an activation program
 * @steps: the steps, in order
 * @nr_steps: number of @steps
 * @priv: passed to every action
 * @held: true to hold the CPUs and run each step in its mode; false to run
 *	every step once, in process context, on the calling CPU
 * @context: with @held, where the CPUs are held (&enum fwact_context)
 * @budget_ns: with @held, the longest the CPUs may be held before the run
 *	is stopped. If not every CPU arrives within it nobody acts and the run
 *	fails with -ETIMEDOUT; a step still running when it is spent is
 *	waited for to its end, reported as an overrun, and the run fails with
 *	-ETIMEDOUT before the next step (or succeeds if it was the last).
 */
struct fwact_rv_req {
	const struct fwact_step *steps;
	unsigned int nr_steps;
	void *priv;
	bool held;
	enum fwact_context context;
	u64 budget_ns;
};

/*
 * lockdep_assert_cpus_held() is not exported to modules: built into the
 * kernel the engine checks the hotplug lock with it; as a module it cannot.
 */
#ifdef MODULE
#define fwact_assert_cpus_held()	do { } while (0)
#else
#define fwact_assert_cpus_held()	lockdep_assert_cpus_held()
#endif

#ifdef CONFIG_TREE_RCU
/*
 * The RCU CPU stall timeout in jiffies, as RCU reads it now. Exported by
 * kernel/rcu/tree_stall.h but declared only in kernel/rcu/rcu.h; in a
 * kernel tree this declaration moves to <linux/rcutree.h>.
 */
int rcu_jiffies_till_stall_check(void);
#endif

/* The step of a failure before any step started: the gather. */
#define FWACT_RV_GATHER		(-1)

/*
 * A run's first failure (and its first overrun) is one word, set once with
 * a compare-and-exchange: an errno, a step + 1 and a CPU + 1; 0 for none.
 * An errno takes 16 bits (MAX_ERRNO is 4095), a step 16, a CPU 32.
 */
static inline s64 fwact_rv_pack(int err, int step, int cpu)
{
	return ((s64)(u32)(cpu + 1) << 32) | ((u32)(step + 1) << 16) |
	       (u16)-err;
}

static inline void fwact_rv_unpack(s64 word, int *err, int *step, int *cpu)
{
	*err = -(int)(word & 0xffff);
	*step = (int)((word >> 16) & 0xffff) - 1;
	*cpu = (int)(u32)(word >> 32) - 1;
}

/* An action's result as an errno the failure word can hold. */
static inline int fwact_rv_errno(int ret)
{
	if (ret > 0 || ret < -MAX_ERRNO)
		return -EIO;
	return ret;
}

int fwact_rv_run(const struct fwact_rv_req *req, struct fwact_measure *m);
u32 fwact_rv_budget_max_us(void);
int fwact_rv_init(struct dentry *dir);
void fwact_rv_exit(void);

/**
 * struct fwact_last - the last activation of a component, for sysfs
 * @result: 0 or the negative errno it ended with
 * @mode: rendezvous mode name it ran with
 * @count: activations attempted since the component was registered
 * @m: its measurements
 * @version_before: current_version before it
 * @version_after: current_version after it
 */
struct fwact_last {
	int result;
	const char *mode;
	u64 count;
	struct fwact_measure m;
	char version_before[FWACT_VERSION_LEN];
	char version_after[FWACT_VERSION_LEN];
};

/**
 * struct fwact_component - a registered firmware component
 * @kobj: /sys/firmware/fwact/<name>/
 * @desc: what the backend registered (@desc.name points at @name)
 * @name: copy of the component name
 * @op_lock: serializes the backend's ops. Writers take it after claiming
 *	@op_busy, so that a second writer gets -EBUSY instead of waiting;
 *	readers only try it, to refresh @info
 * @lock: protects the fields below it
 * @op_busy: a writer owns the component
 * @gone: fwact_unregister() has begun; no new operation starts
 * @state: &enum fwact_state
 * @cancel_req: cancel asked for while activating, before the CPUs stop
 * @no_return: the activation is past the point where cancel can act
 * @force_rendezvous: the admin's ``force_cpu_rendezvous``
 * @budget_us: the admin's ``max_blackout_us``
 * @budget_max_us: the largest ``max_blackout_us`` the backend allows
 * @info: the backend's info, as last read
 * @last_error: 0 or the errno of the last failed stage or activation
 * @fw_status_valid: @fw_status and @fw_ext_status were set
 * @fw_status: firmware status of the last operation
 * @fw_ext_status: firmware extended status of the last operation
 * @fw_auth_ns: firmware-reported authentication time of the last operation
 * @fw_exec_ns: firmware-reported execution time of the last operation
 * @last: the last activation
 * @upload_lock: protects the upload buffer
 * @upload: bytes written to the ``image`` attribute, not yet staged
 * @upload_len: bytes in @upload
 * @upload_size: size of the @upload allocation
 * @fw_upload: its /sys/class/firmware/<name>/ (upload.c), or NULL
 * @upload_op: under @lock; the operation running is a firmware upload's
 * @upload_cancel: under @lock; that upload's cancel was asked for
 */
struct fwact_component {
	struct kobject kobj;
	struct fwact_component_desc desc;
	const char *name;
	struct mutex op_lock;	/* see @op_lock above */

	spinlock_t lock;	/* see @lock above */
	bool op_busy;
	bool gone;
	enum fwact_state state;
	bool cancel_req;
	bool no_return;
	bool force_rendezvous;
	u32 budget_us;
	u32 budget_max_us;
	struct fwact_info info;
	int last_error;
	bool fw_status_valid;
	u64 fw_status;
	u64 fw_ext_status;
	u64 fw_auth_ns;
	u64 fw_exec_ns;
	struct fwact_last last;

	struct mutex upload_lock;	/* see @upload_lock above */
	void *upload;
	size_t upload_len;
	size_t upload_size;

	struct fwact_fw_upload *fw_upload;
	bool upload_op;
	bool upload_cancel;
};

static inline struct fwact_component *fwact_kobj_to_comp(struct kobject *kobj)
{
	return container_of(kobj, struct fwact_component, kobj);
}

/* core.c */
extern const char * const fwact_state_names[FWACT_STATE_NR];
/* The core's own; exported only for its KUnit suite. */
const char *fwact_name(const struct fwact_component *comp);
enum fwact_state fwact_get_state(const struct fwact_component *comp);

bool fwact_program_is_none(const struct fwact_component *comp);
bool fwact_uses_rendezvous(const struct fwact_component *comp,
			   const struct fwact_info *info);
const char *fwact_mode_name(const struct fwact_component *comp,
			    const struct fwact_info *info);
void fwact_info_read(struct fwact_component *comp, struct fwact_info *info);
int fwact_set_budget(struct fwact_component *comp, u32 budget_us);
int fwact_upload_write(struct fwact_component *comp, const char *buf,
		       loff_t off, size_t count);
int fwact_stage_upload(struct fwact_component *comp);
int fwact_stage_firmware(struct fwact_component *comp, const char *name);
int fwact_fw_upload_begin(struct fwact_component *comp);
bool fwact_fw_upload_cancelled(struct fwact_component *comp);
void fwact_fw_upload_cancel_set(struct fwact_component *comp, bool on);
int fwact_fw_upload_stage(struct fwact_component *comp, const void *data,
			  size_t size);
void fwact_component_release(struct kobject *kobj);

/* sysfs.c */
extern const struct kobj_type fwact_component_ktype;
int fwact_sysfs_add_bin_files(struct fwact_component *comp);
int fwact_sysfs_init(struct kset *kset);
void fwact_sysfs_exit(struct kset *kset);

/* upload.c: the firmware upload interface, on kernels that have it */
#if IS_ENABLED(CONFIG_FW_UPLOAD)
int fwact_fw_upload_register(struct fwact_component *comp);
void fwact_fw_upload_unregister(struct fwact_component *comp);
#else
static inline int fwact_fw_upload_register(struct fwact_component *comp)
{
	return 0;
}

static inline void fwact_fw_upload_unregister(struct fwact_component *comp)
{
}
#endif

/* journal.c */

/**
 * struct fwact_journal_rec - one activation attempt
 * @seq: sequence number, counting from 1; never reused
 * @time: wall-clock time it ended
 * @component: component name
 * @backend: backend name
 * @from: current_version before
 * @to: current_version after
 * @result: 0 or negative errno
 * @mode: rendezvous mode name
 * @m: measurements
 */
struct fwact_journal_rec {
	u64 seq;
	struct timespec64 time;
	char component[FWACT_NAME_LEN];
	char backend[16];
	char from[FWACT_VERSION_LEN];
	char to[FWACT_VERSION_LEN];
	int result;
	const char *mode;
	struct fwact_measure m;
};

/* Records kept; the oldest is dropped first. */
#define FWACT_JOURNAL_LEN	64

/* Longest text of one record. */
#define FWACT_JOURNAL_LINE	(440 + FWACT_NAME_LEN + 2 * FWACT_VERSION_LEN)

/**
 * struct fwact_journal_ring - the records kept, the oldest dropped first
 * @rec: the records; the one numbered seq is in slot
 *	(seq - 1) % %FWACT_JOURNAL_LEN
 * @seq: seq of the newest record, 0 if none
 */
struct fwact_journal_ring {
	struct fwact_journal_rec rec[FWACT_JOURNAL_LEN];
	u64 seq;
};

#if IS_ENABLED(CONFIG_KUNIT)
/* journal.c's own; exported only for its KUnit suite. */
void fwact_journal_ring_add(struct fwact_journal_ring *ring,
			    struct fwact_journal_rec *rec);
unsigned int fwact_journal_ring_copy(const struct fwact_journal_ring *ring,
				     struct fwact_journal_rec *out);
int fwact_journal_format(char *buf, size_t size,
			 const struct fwact_journal_rec *rec);
#endif

void fwact_journal_add(struct fwact_journal_rec *rec);
ssize_t fwact_journal_read(const struct file *file, char *buf, loff_t off,
			   size_t count);
void fwact_journal_exit(void);

#endif /* _FWACT_INTERNAL_H */
