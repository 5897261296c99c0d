/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The x86 microcode backend's own header: its state, shared by the files
 * that split it by concern.
 *
 *   ucode_main.c     the component: force knobs, fwact ops, tally and
 *                    report, test-hook override, init and exit
 *   ucode_plan.c     reading the CPUs and choosing and copying a patch
 *                    for each (outside the window)
 *   ucode_intel.c    the Intel errata that refuse a late load
 *   ucode_amd.c      the AMD EntrySign SHA-256 gate
 *   ucode_window.c   what runs inside the rendezvous: the load and verify
 *                    steps and the parking of SMT siblings in NMI context
 *   ucode_kept.c     the patches fwact loaded, for CPUs that come online
 *                    or resume later
 *   ucode_request.c  loading the CPUs' standard firmware files
 *   ucode_sysfs.c    the component's own sysfs files (request, last_load/)
 *   ucode_debugfs.c  the debugfs files (tests and diagnosis)
 */
#ifndef _FWACT_UCODE_BACKEND_H
#define _FWACT_UCODE_BACKEND_H

#include <linux/cpumask.h>
#include <linux/fwact.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "ucode_hw.h"
#include "ucode_parse.h"

struct attribute_group;
struct dentry;

/*
 * Locking. The fwact core calls prepare and finish with the CPU hotplug
 * lock held for reading (it takes it before prepare and drops it after
 * finish for a component whose program holds the CPUs), so the CPUs that
 * are planned for are the CPUs that are held. Everywhere else the backend
 * takes cpus_read_lock() itself, always before be->lock: the hotplug lock
 * comes first.
 *
 * lockdep_assert_cpus_held() is exported to modules only by newer kernels
 * (7.2 does, 6.1 does not), so the module build cannot check; built in,
 * the backend does.
 */
#ifndef MODULE
#define ucode_assert_cpus_held()	lockdep_assert_cpus_held()
#else
#define ucode_assert_cpus_held()	do { } while (0)
#endif

/* Largest image accepted: several concatenated vendor files. */
#define UCODE_MAX_IMAGE		SZ_16M

/**
 * enum ucode_result - what the last activation did to one CPU
 * @UCODE_R_NONE: no activation yet, or it was cancelled
 * @UCODE_R_CURRENT: no newer patch for it; nothing to do
 * @UCODE_R_UPDATED: it loaded the patch and now runs its revision
 * @UCODE_R_SIBLING: its core's first thread loaded it; verified here
 * @UCODE_R_FAILED: its revision did not change to the patch's
 * @UCODE_R_FAULT: the load MSR write faulted
 * @UCODE_R_TIMEOUT: the rendezvous timed out before it was verified, and
 *	its revision is not the patch's
 * @UCODE_R_UNPARKED: its core was not loaded because a sibling did not
 *	park in NMI context in time
 * @UCODE_R_NR: number of results
 */
enum ucode_result {
	UCODE_R_NONE,
	UCODE_R_CURRENT,
	UCODE_R_UPDATED,
	UCODE_R_SIBLING,
	UCODE_R_FAILED,
	UCODE_R_FAULT,
	UCODE_R_TIMEOUT,
	UCODE_R_UNPARKED,
	UCODE_R_NR
};

extern const char * const ucode_result_names[UCODE_R_NR];

/**
 * enum ucode_park_res - what the park protocol did on one CPU, for debugfs
 * @UCODE_PARK_R_NONE: nothing to park for (no sibling, or nothing to load)
 * @UCODE_PARK_R_NMI: sibling: parked in NMI context while its core loaded
 * @UCODE_PARK_R_LATE: sibling: parked after its primary had given up
 * @UCODE_PARK_R_LOST: sibling: its NMI did not come in time; gave up
 * @UCODE_PARK_R_LOADED: primary: loaded with every sibling parked
 * @UCODE_PARK_R_TIMEOUT: primary: a sibling did not park in time; no load
 * @UCODE_PARK_R_GAVE_UP: sibling: parked, but its primary never released
 *	it; it left after %UCODE_NMI_WAIT_MS and failed the run
 * @UCODE_PARK_R_NR: number of results
 */
enum ucode_park_res {
	UCODE_PARK_R_NONE,
	UCODE_PARK_R_NMI,
	UCODE_PARK_R_LATE,
	UCODE_PARK_R_LOST,
	UCODE_PARK_R_LOADED,
	UCODE_PARK_R_TIMEOUT,
	UCODE_PARK_R_GAVE_UP,
	UCODE_PARK_R_NR
};

/**
 * struct ucode_copy - one patch copied out of the image for loading
 * @data: page-aligned copy (the Intel data then lands 16-byte aligned)
 * @size: its bytes
 * @off: where it was in the image, to share it between CPUs
 * @rev: the revision it loads
 */
struct ucode_copy {
	void *data;
	size_t size;
	size_t off;
	u32 rev;
};

/**
 * struct ucode_cpu - the backend's view of one CPU
 * @id: identity and revision, as last read
 * @known: @id has been read since the CPU came online
 * @choice_off: offset in the image of the patch chosen for it
 * @choice_size: that patch's size, 0 if none is newer than @id.rev
 * @choice_rev: that patch's revision
 * @patch: copy to load in the running activation, NULL if none
 * @before: revision when the activation was prepared
 * @after: revision read back by the verify step, or in finish
 * @load_ret: what the load call returned (first threads only)
 * @loaded: the load step ran on this CPU
 * @verified: the verify step ran on this CPU
 * @result: outcome of the last activation
 */
struct ucode_cpu {
	struct fwact_ucode_id id;
	bool known;
	size_t choice_off;
	size_t choice_size;
	u32 choice_rev;
	const struct ucode_copy *patch;
	u32 before;
	u32 after;
	int load_ret;
	bool loaded;
	bool verified;
	enum ucode_result result;
};

/**
 * struct ucode_kept - a patch fwact loaded, kept for CPUs that come back
 * @sig: signature of the CPUs that loaded it
 * @pf: their platform-id bit
 * @rev: the revision it loads
 * @data: page-aligned copy, NULL if the slot is free
 * @size: its bytes
 */
struct ucode_kept {
	u32 sig;
	u32 pf;
	u32 rev;
	void *data;
	size_t size;
};

/**
 * struct ucode_last - summary of the last activation
 * @result: the core's result
 * @cpus: CPUs that had a patch to load
 * @cores: first threads that loaded it
 * @updated: CPUs now at their patch's revision (first threads and siblings)
 * @failed: CPUs not at their patch's revision
 * @parked: SMT siblings that were parked in NMI context while their core
 *	loaded
 * @park_timeouts: cores that loaded nothing because a sibling did not park
 * @tainted: this activation tainted the kernel
 * @unsafe: a patch was loaded without a min-rev guarantee (forced)
 */
struct ucode_last {
	int result;
	unsigned int cpus;
	unsigned int cores;
	unsigned int updated;
	unsigned int failed;
	unsigned int parked;
	unsigned int park_timeouts;
	bool tainted;
	bool unsafe;
};

/**
 * struct ucode_backend - state of the microcode backend
 * @lock: serializes everything but the steps themselves
 * @comp: the registered component
 * @hw: firmware calls in use (test builds may replace them)
 * @run_hw: firmware calls pinned from prepare to finish; non-NULL while an
 *	activation is in flight
 * @image: the staged, validated image (vmalloc), or NULL
 * @image_size: its bytes
 * @vendor: its vendor
 * @pending_rev: lowest revision it would bring a CPU to
 * @unsafe: the prepared plan loads a patch without a min-rev guarantee
 * @cpus: one entry per possible CPU
 * @copies: patch copies of the prepared plan
 * @nr_copies: entries used in @copies
 * @failed: CPUs that failed in the last activation
 * @last: summary of the last activation
 * @cpu_data_dirty: the kernel's per-CPU revision was set from test hooks
 * @dir: debugfs directory
 * @kept_lock: protects @kept, @nr_kept, @kept_hw and @kept_vendor for the
 *	CPU hotplug callback and the resume hook; see ucode_cpu_online()
 * @kept: the newest patch fwact loaded per CPU signature and platform id,
 *	one slot per possible CPU
 * @nr_kept: slots in use
 * @kept_hw: the firmware calls the kept patches were loaded with
 * @kept_vendor: their vendor
 * @hp_state: the dynamic CPU hotplug state, or 0
 */
struct ucode_backend {
	struct mutex lock;	/* see @lock above */
	struct fwact_component *comp;
	const struct fwact_ucode_hw_ops *hw;
	const struct fwact_ucode_hw_ops *run_hw;
	void *image;
	size_t image_size;
	enum ucode_vendor vendor;
	u32 pending_rev;
	bool unsafe;
	struct ucode_cpu *cpus;
	struct ucode_copy *copies;
	unsigned int nr_copies;
	cpumask_var_t failed;
	struct ucode_last last;
	bool cpu_data_dirty;
	struct dentry *dir;
	raw_spinlock_t kept_lock;	/* see @kept_lock above */
	struct ucode_kept *kept;
	unsigned int nr_kept;
	const struct fwact_ucode_hw_ops *kept_hw;
	enum ucode_vendor kept_vendor;
	int hp_state;
};

extern struct ucode_backend ucode_be;

/* A CPU's identity and revision, read on that CPU by a cross-call. */
struct ucode_ident {
	const struct fwact_ucode_hw_ops *hw;
	struct fwact_ucode_id *id;
};

/* ucode_main.c */
int ucode_refusal_check(void);
bool ucode_force_minrev(void);
bool ucode_force_amd_sha(void);

/* ucode_plan.c */
const char *ucode_vendor_name(enum ucode_vendor vendor);
void ucode_cpu_identify_ipi(void *data);
int ucode_cpus_identify(struct ucode_backend *be,
			const struct fwact_ucode_hw_ops *hw);
int ucode_plan(struct ucode_backend *be, const void *img, size_t len,
	       enum ucode_vendor vendor, u32 *pending, bool *unsafe);
int ucode_copies_make(struct ucode_backend *be);
void ucode_copies_free(struct ucode_backend *be);
void ucode_image_drop(struct ucode_backend *be);

/* ucode_intel.c */
int ucode_intel_refused(unsigned int cpu, const struct fwact_ucode_id *id);
bool ucode_intel_gnr98_jump(u32 sig, u32 pf, u32 cur, u32 rev);
void ucode_intel_gnr98_report(unsigned int cpu, u32 cur, u32 skipped);

/* ucode_amd.c */
int ucode_amd_sha_gate(unsigned int cpu, const struct fwact_ucode_id *id,
		       const struct ucode_file_patch *patch, bool *unsafe);

/* ucode_window.c */
int ucode_step_load(void *priv, const struct fwact_call *call);
int ucode_step_verify(void *priv, const struct fwact_call *call);
void ucode_park_prepare(struct ucode_backend *be, u32 nmi_wait_ms);
enum ucode_park_res ucode_park_res(unsigned int cpu);
const char *ucode_park_res_name(unsigned int cpu);
bool ucode_park_core_aborted(unsigned int cpu);
void ucode_report_unparked(void);
int ucode_park_init(void);
void ucode_park_exit(void);

/* ucode_kept.c */
void ucode_kept_update(struct ucode_backend *be);
void ucode_kept_drop(struct ucode_backend *be);
int ucode_kept_init(struct ucode_backend *be);
void ucode_kept_exit(struct ucode_backend *be);

/* ucode_request.c */
int ucode_request_default(struct ucode_backend *be);

/* ucode_sysfs.c */
extern const struct attribute_group *ucode_groups[];

/* ucode_debugfs.c */
void ucode_debugfs_init(struct ucode_backend *be);
void ucode_debugfs_exit(struct ucode_backend *be);

#endif /* _FWACT_UCODE_BACKEND_H */
