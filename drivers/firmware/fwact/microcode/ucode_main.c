// SPDX-License-Identifier: GPL-2.0
/*
 * fwact backend for x86 microcode late loading (Intel and AMD). It
 * registers one component, "cpu-microcode", whose activation program is two
 * steps run inside one rendezvous of the fwact core, both on every CPU:
 * "load" (the first thread of each core writes the patch address to the
 * load MSR while its SMT siblings are parked in NMI context, so that no
 * other NMI handler can run on them during the update) and "verify" (each
 * CPU reads back its revision into a slot prepared for it). Everything that can fail
 * slowly or noisily is done outside the window: parsing and validating the
 * image and choosing a patch per CPU when it is staged, re-choosing and
 * copying the patches in prepare, and counting the results, tainting,
 * logging and updating the kernel's per-CPU revision in finish.
 * Documentation/arch/x86/microcode-fwact.rst describes how it differs from
 * and coexists with the kernel's own loader.
 */
#define pr_fmt(fmt) "fwact microcode: " fmt

#include <linux/atomic.h>
#include <linux/bsearch.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/firmware.h>
#include <linux/fwact.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/nmi.h>
#include <linux/panic.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/syscore_ops.h>
#include <linux/topology.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/apic.h>
#include <asm/cpufeature.h>
#include <asm/nmi.h>
#include <asm/msr.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#include "ucode_amd_shas.h"
#include "ucode_hw.h"
#include "ucode_parse.h"

/*
 * The force knobs. Each lets through a load the backend would refuse, so
 * none may be set while the kernel is locked down (LOCKDOWN_MODULE_PARAMETERS,
 * the reason of the kernel's own unsafe module parameters): setting one to
 * 1 then fails with -EPERM, and one set before the lockdown is ignored
 * from then on (see ucode_forced()). Lockdown is never lifted, so the
 * first refusal is remembered in ucode_locked_down and read quietly by
 * get_info.
 */
static bool force_minrev;
static bool allow_hypervisor;
static bool force_amd_sha;
static bool ucode_locked_down;

static bool ucode_lockdown_check(const char *knob)
{
	if (!READ_ONCE(ucode_locked_down)) {
		if (!security_locked_down(LOCKDOWN_MODULE_PARAMETERS))
			return false;
		WRITE_ONCE(ucode_locked_down, true);
	}
	pr_err_ratelimited("%s refused: the kernel is locked down (unsafe module parameters)\n",
			   knob);
	return true;
}

static int ucode_knob_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret;

	ret = kstrtobool(val, &on);
	if (ret)
		return ret;
	if (on && ucode_lockdown_check(kp->name))
		return -EPERM;
	WRITE_ONCE(*(bool *)kp->arg, on);
	if (on && kp->arg == &force_amd_sha) {
		pr_warn_ratelimited("force_amd_sha=1: AMD patches not in the kernel's list of known patches will be loaded; tainting the kernel\n");
		add_taint(TAINT_CPU_OUT_OF_SPEC, LOCKDEP_STILL_OK);
	}
	return 0;
}

static const struct kernel_param_ops ucode_knob_ops = {
	.set = ucode_knob_set,
	.get = param_get_bool,
};

/* A knob is in force only if it is set and the kernel is not locked down. */
static bool ucode_forced(const bool *knob, const char *name)
{
	return READ_ONCE(*knob) && !ucode_lockdown_check(name);
}

module_param_cb(force_minrev, &ucode_knob_ops, &force_minrev, 0644);
MODULE_PARM_DESC(force_minrev,
		 "Load patches that do not declare a late load safe from the running revision (taints the kernel)");

module_param_cb(allow_hypervisor, &ucode_knob_ops, &allow_hypervisor, 0644);
MODULE_PARM_DESC(allow_hypervisor,
		 "Allow late loading under a hypervisor (for testing; a virtual CPU normally ignores the load)");

module_param_cb(force_amd_sha, &ucode_knob_ops, &force_amd_sha, 0644);
MODULE_PARM_DESC(force_amd_sha,
		 "Load AMD patches missing from the kernel's list of known SHA-256 digests on CPUs affected by EntrySign (taints the kernel)");

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

static const char * const ucode_result_names[UCODE_R_NR] = {
	[UCODE_R_NONE]		= "none",
	[UCODE_R_CURRENT]	= "current",
	[UCODE_R_UPDATED]	= "updated",
	[UCODE_R_SIBLING]	= "sibling",
	[UCODE_R_FAILED]	= "failed",
	[UCODE_R_FAULT]		= "fault",
	[UCODE_R_TIMEOUT]	= "timeout",
	[UCODE_R_UNPARKED]	= "unparked",
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

static struct ucode_backend ucode_be = {
	.lock = __MUTEX_INITIALIZER(ucode_be.lock),
	.kept_lock = __RAW_SPIN_LOCK_UNLOCKED(ucode_be.kept_lock),
};

static const char *ucode_vendor_name(enum ucode_vendor vendor)
{
	switch (vendor) {
	case UCODE_VENDOR_INTEL:
		return "Intel";
	case UCODE_VENDOR_AMD:
		return "AMD";
	default:
		return "unknown";
	}
}

/*
 * The kernel's own loader also refuses to run under a hypervisor. Quiet:
 * get_info asks too, so lockdown is only read as already seen.
 */
static bool ucode_hypervisor_refused(void)
{
	return boot_cpu_has(X86_FEATURE_HYPERVISOR) &&
	       (!READ_ONCE(allow_hypervisor) || READ_ONCE(ucode_locked_down));
}

static int ucode_refusal_check(void)
{
	if (boot_cpu_has(X86_FEATURE_HYPERVISOR) &&
	    ucode_forced(&allow_hypervisor, "allow_hypervisor"))
		return 0;
	if (!ucode_hypervisor_refused())
		return 0;
	pr_err_ratelimited("running under a hypervisor: late loading refused, as by the kernel's loader (allow_hypervisor=1 overrides, for testing)\n");
	return -EOPNOTSUPP;
}

struct ucode_ident {
	const struct fwact_ucode_hw_ops *hw;
	struct fwact_ucode_id *id;
};

static void ucode_cpu_identify_ipi(void *data)
{
	struct ucode_ident *arg = data;

	arg->hw->identify(arg->id);
}

/*
 * Read every online CPU's identity and revision. Called with cpus read
 * locked; the cross-call also waits for a CPU still inside a late action.
 */
static int ucode_cpus_identify(struct ucode_backend *be,
			       const struct fwact_ucode_hw_ops *hw)
{
	unsigned int cpu;
	int ret;

	for_each_online_cpu(cpu) {
		struct ucode_cpu *c = &be->cpus[cpu];
		struct fwact_ucode_id id = {};
		struct ucode_ident arg = { .hw = hw, .id = &id };

		ret = smp_call_function_single(cpu, ucode_cpu_identify_ipi,
					       &arg, 1);
		if (ret)
			return ret;
		c->id = id;
		c->known = true;
	}
	return 0;
}

/*
 * Intel erratum BDX90 (BDF90 in older documents; Xeon E7-8800/4800 v4
 * specification update #334165): a late load on Broadwell-X stepping 1
 * with more than 2.5 MB of LLC per core, running a revision below
 * 0x0b000021, may hang the system. The kernel's loader refuses any late
 * load there (arch/x86/kernel/cpu/microcode/intel.c, is_blacklisted()).
 */
#define UCODE_BDX90_MODEL	0x4f
#define UCODE_BDX90_STEPPING	0x1
#define UCODE_BDX90_LLC		2621440
#define UCODE_BDX90_REV		0x0b000021

static bool ucode_bdx90(const struct fwact_ucode_id *id)
{
	return id->vendor == UCODE_VENDOR_INTEL &&
	       ucode_sig_family(id->sig) == 6 &&
	       ucode_sig_model(id->sig) == UCODE_BDX90_MODEL &&
	       ucode_sig_stepping(id->sig) == UCODE_BDX90_STEPPING &&
	       id->llc_per_core > UCODE_BDX90_LLC && id->rev < UCODE_BDX90_REV;
}

/*
 * Intel erratum GNR98: on Granite Rapids-X stepping 1 (platform ids in
 * 0x95), jumping from below revision 0x1000405 to above it can cause
 * machine checks. The kernel's loader (Linux 7.2, intel.c,
 * revision_is_safe()) skips such patches; so does this backend, and
 * 0x1000405 itself stays loadable.
 */
#define UCODE_GNR98_MODEL	0xad
#define UCODE_GNR98_STEPPING	0x1
#define UCODE_GNR98_PF		0x95
#define UCODE_GNR98_REV		0x1000405

static bool ucode_gnr98_jump(u32 sig, u32 pf, u32 cur, u32 rev)
{
	return ucode_sig_family(sig) == 6 &&
	       ucode_sig_model(sig) == UCODE_GNR98_MODEL &&
	       ucode_sig_stepping(sig) == UCODE_GNR98_STEPPING &&
	       (pf & UCODE_GNR98_PF) && cur < UCODE_GNR98_REV &&
	       rev > UCODE_GNR98_REV;
}

/* The newest patch for one CPU that is newer than what it runs. */
struct ucode_pick {
	u32 sig;
	u32 pf;
	u32 rev;
	bool found;
	u32 gnr98_skipped;
	struct ucode_patch best;
};

static int ucode_pick_patch(void *ctx, const struct ucode_patch *patch)
{
	struct ucode_pick *pk = ctx;

	if (!ucode_patch_match(patch, pk->sig, pk->pf) || patch->rev <= pk->rev)
		return 0;
	if (patch->vendor == UCODE_VENDOR_INTEL &&
	    ucode_gnr98_jump(pk->sig, pk->pf, pk->rev, patch->rev)) {
		pk->gnr98_skipped = max(pk->gnr98_skipped, patch->rev);
		return 0;
	}
	if (!pk->found || patch->rev > pk->best.rev) {
		pk->best = *patch;
		pk->found = true;
	}
	return 0;
}

/*
 * AMD EntrySign: the CPUs that check a patch's signature too weakly, as
 * the kernel's loader lists them (Linux 7.2 amd.c, cpu_has_entrysign()).
 */
static bool ucode_amd_entrysign(u32 sig)
{
	unsigned int fam = ucode_sig_family(sig), model = ucode_sig_model(sig);

	if (fam == 0x17 || fam == 0x19)
		return true;
	return fam == 0x1a && (model <= 0x2f ||
			       (model >= 0x40 && model <= 0x4f) ||
			       (model >= 0x60 && model <= 0x7f));
}

static int ucode_amd_cutoff_cmp(const void *key, const void *elem)
{
	u32 prefix = *(const u32 *)key;
	const struct ucode_amd_cutoff *c = elem;

	return prefix < c->prefix ? -1 : prefix > c->prefix;
}

/* Past its family's cut-off a CPU checks patches well enough itself. */
static bool ucode_amd_sha_needed(u32 rev)
{
	u32 prefix = rev >> 8;
	const struct ucode_amd_cutoff *c;

	c = bsearch(&prefix, ucode_amd_cutoffs, ucode_amd_cutoffs_nr,
		    sizeof(*c), ucode_amd_cutoff_cmp);
	return !c || rev <= c->cutoff;
}

static int ucode_amd_sha_cmp(const void *key, const void *elem)
{
	u32 id = *(const u32 *)key;
	const struct ucode_amd_sha *d = elem;

	return id < d->patch_id ? -1 : id > d->patch_id;
}

/* 0 if the patch is a known one, -ENOKEY if unlisted, -EKEYREJECTED if not. */
static int ucode_amd_sha_verify(const struct ucode_patch *patch)
{
	const struct ucode_amd_sha *d;
	u8 digest[SHA256_DIGEST_SIZE];

	d = bsearch(&patch->rev, ucode_amd_shas, ucode_amd_shas_nr,
		    sizeof(*d), ucode_amd_sha_cmp);
	if (!d)
		return -ENOKEY;
	sha256(patch->data, patch->size, digest);
	return memcmp(digest, d->sha256, sizeof(digest)) ? -EKEYREJECTED : 0;
}

/*
 * The kernel's loader loads an AMD patch on an EntrySign CPU below its
 * cut-off only if the patch's SHA-256 is in its list; so does this
 * backend, unless force_amd_sha is set (it tainted the kernel when set).
 */
static int ucode_amd_sha_gate(unsigned int cpu, const struct fwact_ucode_id *id,
			      const struct ucode_patch *patch, bool *unsafe)
{
	int ret;

	if (patch->vendor != UCODE_VENDOR_AMD ||
	    !ucode_amd_entrysign(id->sig) || !ucode_amd_sha_needed(id->rev))
		return 0;
	ret = ucode_amd_sha_verify(patch);
	if (!ret)
		return 0;
	if (ucode_forced(&force_amd_sha, "force_amd_sha")) {
		*unsafe = true;
		return 0;
	}
	pr_err_ratelimited("CPU %u: AMD patch 0x%x %s; refused (force_amd_sha=1 overrides and taints)\n",
			   cpu, patch->rev, ret == -ENOKEY ?
			   "is not in the kernel's list of known patches" :
			   "does not match the SHA-256 digest the kernel knows for it");
	return -EKEYREJECTED;
}

/* Choose @cpu's patch; returns 1 if there is one, 0 if not, or -errno. */
static int ucode_cpu_choose(struct ucode_backend *be, unsigned int cpu,
			    const void *img, size_t len, enum ucode_vendor vendor,
			    bool *unsafe)
{
	struct ucode_cpu *c = &be->cpus[cpu];
	struct ucode_pick pk = {
		.sig = c->id.sig, .pf = c->id.pf, .rev = c->id.rev,
	};
	int ret;

	c->choice_size = 0;
	if (c->id.vendor != vendor) {
		pr_err_ratelimited("CPU %u takes %s microcode, the image is %s\n", cpu,
				   ucode_vendor_name(c->id.vendor),
				   ucode_vendor_name(vendor));
		return -EINVAL;
	}
	if (ucode_bdx90(&c->id)) {
		pr_err_ratelimited("CPU %u: erratum BDX90: late loading over revision 0x%x (below 0x%x) is refused, as by the kernel's loader; load microcode early\n",
				   cpu, c->id.rev, UCODE_BDX90_REV);
		return -EOPNOTSUPP;
	}
	ucode_walk(img, len, ucode_pick_patch, &pk, NULL);
	if (!pk.found && pk.gnr98_skipped) {
		pr_err_ratelimited("CPU %u: erratum GNR98: patch 0x%x would jump from 0x%x over 0x%x; refused, as by the kernel's loader (load 0x%x first)\n",
				   cpu, pk.gnr98_skipped, c->id.rev,
				   UCODE_GNR98_REV, UCODE_GNR98_REV);
		return -ENOENT;
	}
	if (!pk.found)
		return 0;
	ret = ucode_amd_sha_gate(cpu, &c->id, &pk.best, unsafe);
	if (ret)
		return ret;

	if (!ucode_patch_minrev_safe(&pk.best, c->id.rev)) {
		if (!ucode_forced(&force_minrev, "force_minrev")) {
			pr_err_ratelimited("CPU %u: patch 0x%x is not declared safe to load late over revision 0x%x (min_req_ver 0x%x); refused (force_minrev=1 overrides)\n",
					   cpu, pk.best.rev, c->id.rev,
					   vendor == UCODE_VENDOR_INTEL ?
					   pk.best.intel.min_req_ver : 0);
			return -EPERM;
		}
		*unsafe = true;
	}
	c->choice_off = pk.best.data - (const u8 *)img;
	c->choice_size = pk.best.size;
	c->choice_rev = pk.best.rev;
	return 1;
}

/*
 * Choose a patch for every online CPU (cpus read locked, identities
 * fresh). Fails if a CPU is of another vendor, if a chosen patch is not
 * min-rev safe and not forced, or if no CPU has anything to load.
 */
static int ucode_plan(struct ucode_backend *be, const void *img, size_t len,
		      enum ucode_vendor vendor, u32 *pending, bool *unsafe)
{
	unsigned int cpu, nr = 0;
	int ret;

	*pending = U32_MAX;
	*unsafe = false;
	for_each_possible_cpu(cpu)
		be->cpus[cpu].choice_size = 0;
	for_each_online_cpu(cpu) {
		ret = ucode_cpu_choose(be, cpu, img, len, vendor, unsafe);
		if (ret < 0)
			return ret;
		if (!ret)
			continue;
		nr++;
		*pending = min(*pending, be->cpus[cpu].choice_rev);
	}
	if (!nr) {
		pr_err_ratelimited("no patch in the image is newer than what the CPUs run\n");
		return -ENOENT;
	}
	return 0;
}

static void ucode_copies_free(struct ucode_backend *be)
{
	unsigned int cpu, i;

	for (i = 0; i < be->nr_copies; i++)
		vfree(be->copies[i].data);
	be->nr_copies = 0;
	for_each_possible_cpu(cpu)
		be->cpus[cpu].patch = NULL;
}

/* The copy of the patch at @off, made on first use. */
static const struct ucode_copy *ucode_copy_get(struct ucode_backend *be,
					       const struct ucode_cpu *c)
{
	struct ucode_copy *cp;
	unsigned int i;

	for (i = 0; i < be->nr_copies; i++)
		if (be->copies[i].off == c->choice_off)
			return &be->copies[i];
	if (be->nr_copies >= nr_cpu_ids)
		return NULL;
	cp = &be->copies[be->nr_copies];
	cp->data = vmalloc(c->choice_size);
	if (!cp->data)
		return NULL;
	memcpy(cp->data, (const u8 *)be->image + c->choice_off,
	       c->choice_size);
	cp->size = c->choice_size;
	cp->off = c->choice_off;
	cp->rev = c->choice_rev;
	be->nr_copies++;
	return cp;
}

/* Give every online CPU with a choice its copy and reset its slots. */
static int ucode_copies_make(struct ucode_backend *be)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		struct ucode_cpu *c = &be->cpus[cpu];

		c->patch = NULL;
		c->before = c->id.rev;
		c->after = 0;
		c->load_ret = 0;
		c->loaded = false;
		c->verified = false;
		c->result = UCODE_R_NONE;
	}
	for_each_online_cpu(cpu) {
		struct ucode_cpu *c = &be->cpus[cpu];

		if (!c->choice_size)
			continue;
		c->patch = ucode_copy_get(be, c);
		if (!c->patch) {
			ucode_copies_free(be);
			return -ENOMEM;
		}
	}
	return 0;
}

static void ucode_image_drop(struct ucode_backend *be)
{
	vfree(be->image);
	be->image = NULL;
	be->image_size = 0;
	be->pending_rev = 0;
}

static int ucode_get_info(struct fwact_component *comp,
			  struct fwact_info *info)
{
	struct ucode_backend *be = fwact_priv(comp);
	u32 lowest = U32_MAX;
	unsigned int cpu;

	mutex_lock(&be->lock);
	for_each_online_cpu(cpu)
		if (be->cpus[cpu].known)
			lowest = min(lowest, READ_ONCE(be->cpus[cpu].id.rev));
	if (lowest != U32_MAX)
		snprintf(info->current_version, FWACT_VERSION_LEN, "0x%x",
			 lowest);
	else
		strscpy(info->current_version, "unknown", FWACT_VERSION_LEN);
	if (be->image)
		snprintf(info->pending_version, FWACT_VERSION_LEN, "0x%x",
			 be->pending_rev);
	info->flags = FWACT_F_RENDEZVOUS;
	if (!ucode_hypervisor_refused())
		info->flags |= FWACT_F_CAPABLE;
	if (be->image)
		info->flags |= FWACT_F_PENDING;
	mutex_unlock(&be->lock);
	return 0;
}

static int ucode_stage(struct fwact_component *comp, const void *data,
		       size_t size)
{
	struct ucode_backend *be = fwact_priv(comp);
	enum ucode_vendor vendor;
	struct ucode_err err;
	bool unsafe;
	void *copy;
	u32 pending;
	int ret;

	if (!data || !size) {
		pr_err_ratelimited("no image given\n");
		return -EINVAL;
	}
	ret = ucode_refusal_check();
	if (ret)
		return ret;
	if (ucode_walk(data, size, NULL, NULL, &err)) {
		pr_err_ratelimited("image rejected at offset 0x%zx: %s\n", err.off,
				   ucode_fault_str(err.fault));
		return -EINVAL;
	}
	vendor = ucode_vendor_detect(data, size);

	copy = vmalloc(size);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, data, size);

	cpus_read_lock();
	mutex_lock(&be->lock);
	ret = ucode_cpus_identify(be, be->hw);
	if (!ret)
		ret = ucode_plan(be, copy, size, vendor, &pending, &unsafe);
	cpus_read_unlock();
	if (ret) {
		mutex_unlock(&be->lock);
		vfree(copy);
		return ret;
	}
	ucode_image_drop(be);
	be->image = copy;
	be->image_size = size;
	be->vendor = vendor;
	be->pending_rev = pending;
	mutex_unlock(&be->lock);
	pr_info_ratelimited("staged %s image: lowest new revision 0x%x%s\n",
			    ucode_vendor_name(vendor), pending,
			    unsafe ? " (not min-rev safe, forced)" : "");
	return 0;
}

/*
 * Parking the SMT siblings in NMI context.
 *
 * An NMI taken on a sibling while its core's microcode engine updates runs
 * kernel code (perf, the hard-lockup detector) beside the update. The load
 * step therefore runs on every CPU (mode "all"): each sibling of a core
 * that has something to load sends itself an NMI and waits inside this
 * backend's NMI handler, touching nothing but its core primary's release
 * word, until the primary has loaded. While an NMI handler runs, the CPU
 * holds any further NMI pending until the handler returns, so no other NMI
 * handler runs on the sibling during the load. The primary loads only once
 * every sibling of its core is parked; if one is not within
 * UCODE_PARK_TIMEOUT_MS, it loads nothing, releases the others and fails
 * the step, and the engine aborts the run.
 *
 * Roles are computed in prepare, never in the window. Everything the NMI
 * handler touches is per-CPU and static, so it needs no locking: the
 * handler runs on its own CPU, the state word is the only one two CPUs
 * write, and it changes by compare-and-exchange.
 */
#define UCODE_PARK_TIMEOUT_MS	100
#define UCODE_PARK_TIMEOUT_NS	((u64)UCODE_PARK_TIMEOUT_MS * NSEC_PER_MSEC)
/*
 * The longest a parked sibling waits in the NMI handler for its primary's
 * release: far past any load (the microcode component's budget is at most
 * 10 s), but not forever: a primary that never releases (a bug, or a load
 * that never returns) makes the sibling give up, leave, and fail the run,
 * instead of wedging the CPU. Counted in TSC cycles, the one clock the
 * handler may read.
 */
#define UCODE_NMI_WAIT_MS	30000
/* Without a known TSC rate: a count of pauses that takes longer still. */
#define UCODE_NMI_WAIT_SPINS	BIT_ULL(40)
static u64 ucode_nmi_wait_cycles __read_mostly = UCODE_NMI_WAIT_SPINS;

/* Set the park bound; before a run (or at init), never during one. */
static void ucode_nmi_wait_set(u32 ms)
{
	if (tsc_khz)
		WRITE_ONCE(ucode_nmi_wait_cycles, (u64)tsc_khz * ms);
}

/**
 * enum ucode_park_state - where a sibling is in the park protocol
 * @UCODE_PARK_IDLE: not parking; the NMI handler does not hold the CPU
 * @UCODE_PARK_ARMED: its action wants the next NMI to park it
 * @UCODE_PARK_PARKED: held in the NMI handler until its primary releases it
 * @UCODE_PARK_LEFT: released; it left the NMI handler
 */
enum ucode_park_state {
	UCODE_PARK_IDLE,
	UCODE_PARK_ARMED,
	UCODE_PARK_PARKED,
	UCODE_PARK_LEFT,
};

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

static const char * const ucode_park_res_names[UCODE_PARK_R_NR] = {
	[UCODE_PARK_R_NONE]	= "-",
	[UCODE_PARK_R_NMI]	= "nmi",
	[UCODE_PARK_R_LATE]	= "late",
	[UCODE_PARK_R_LOST]	= "lost",
	[UCODE_PARK_R_LOADED]	= "loaded",
	[UCODE_PARK_R_TIMEOUT]	= "timeout",
	[UCODE_PARK_R_GAVE_UP]	= "gave-up",
};

/**
 * struct ucode_park - one CPU's part in parking its core's siblings
 * @state: &enum ucode_park_state (siblings)
 * @gen: the run's generation, set in prepare
 * @release: primary: @gen once its siblings may leave the NMI handler
 * @aborted: primary: it gave up and loaded nothing (set before @release)
 * @primary: first online thread of its core (itself for a primary)
 * @next: primary: its first sibling to park; sibling: the next one of its
 *	core; nr_cpu_ids at the end
 * @park: sibling that must park in this run
 * @sent: NMIs its action sent itself (written by its action only)
 * @taken: of those, the ones its NMI handler claimed (written by the
 *	handler only); a later NMI is claimed while @taken < @sent
 * @res: &enum ucode_park_res of the last run
 * @gave_up: sibling: its NMI handler stopped waiting for @release after
 *	%UCODE_NMI_WAIT_MS (written by the handler, read by its action)
 */
struct ucode_park {
	atomic_t state;
	u32 gen;
	u32 release;
	bool aborted;
	unsigned int primary;
	unsigned int next;
	bool park;
	u32 sent;
	u32 taken;
	enum ucode_park_res res;
	bool gave_up;
};

static DEFINE_PER_CPU_ALIGNED(struct ucode_park, ucode_park);
static u32 ucode_park_gen;

/*
 * Prepare (cpus read locked): each online sibling of a core whose primary
 * has a patch parks; the primary gets the chain of them, in CPU order.
 */
static void ucode_park_plan(struct ucode_backend *be)
{
	struct ucode_park *p, *q;
	unsigned int cpu, prim;

	ucode_assert_cpus_held();
	if (!++ucode_park_gen)
		ucode_park_gen = 1;
	for_each_possible_cpu(cpu) {
		p = per_cpu_ptr(&ucode_park, cpu);
		atomic_set(&p->state, UCODE_PARK_IDLE);
		p->gen = ucode_park_gen;
		p->aborted = false;
		p->primary = cpu;
		p->next = nr_cpu_ids;
		p->park = false;
		p->res = UCODE_PARK_R_NONE;
	}
	for_each_online_cpu(cpu) {
		prim = cpumask_first_and(topology_sibling_cpumask(cpu),
					 cpu_online_mask);
		if (prim >= nr_cpu_ids || prim == cpu || !be->cpus[prim].patch)
			continue;
		p = per_cpu_ptr(&ucode_park, cpu);
		p->primary = prim;
		p->park = true;
		q = per_cpu_ptr(&ucode_park, prim);
		while (q->next < nr_cpu_ids)
			q = per_cpu_ptr(&ucode_park, q->next);
		q->next = cpu;
	}
}

/* Every present CPU must take part: an offline one would miss the load. */
static int ucode_cpus_all_online(void)
{
	unsigned int cpu;

	for_each_present_cpu(cpu) {
		if (!cpu_online(cpu)) {
			pr_err_ratelimited("CPU %u is offline; loading aborted\n", cpu);
			return -EBUSY;
		}
	}
	return 0;
}

static int ucode_prepare(struct fwact_component *comp)
{
	struct ucode_backend *be = fwact_priv(comp);
	const struct fwact_ucode_hw_ops *hw;
	bool unsafe;
	u32 pending;
	int ret;

	/* The core holds the hotplug lock until finish has run. */
	ucode_assert_cpus_held();
	ret = ucode_refusal_check();
	if (ret)
		return ret;

	mutex_lock(&be->lock);
	if (!be->image) {
		ret = -ENODATA;
		goto out_unlock;
	}
	hw = be->hw;
	if (hw->owner && !try_module_get(hw->owner)) {
		ret = -ENODEV;
		goto out_unlock;
	}

	ret = ucode_cpus_all_online();
	if (!ret)
		ret = ucode_cpus_identify(be, hw);
	if (!ret)
		ret = ucode_plan(be, be->image, be->image_size, be->vendor,
				 &pending, &unsafe);
	if (!ret)
		ret = ucode_copies_make(be);
	if (ret)
		goto out_put;
	ucode_park_plan(be);
#ifdef CONFIG_FWACT_TEST_HOOKS
	ucode_nmi_wait_set((hw->nmi_wait_ms ? hw->nmi_wait_ms() : 0) ?:
			   UCODE_NMI_WAIT_MS);
#endif

	be->run_hw = hw;
	be->unsafe = unsafe;
	if (unsafe)
		pr_warn_ratelimited("loading without a min-rev guarantee (a force knob is set); a successful load taints the kernel\n");
	mutex_unlock(&be->lock);
	/* Test builds: the emulated engine may widen the prepare window. */
	if (hw->prepared)
		hw->prepared();
	return 0;

out_put:
	module_put(hw->owner);
out_unlock:
	mutex_unlock(&be->lock);
	return ret;
}

/*
 * The NMI handler. It holds a sibling whose action armed it, and claims
 * the NMIs that action sent. Nothing here may fault, trap or be traced: an
 * IRET from an exception would let the next NMI in.
 */
static noinstr int ucode_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	struct ucode_park *me = raw_cpu_ptr(&ucode_park);
	const struct ucode_park *prim;
	int ret = NMI_DONE;
	u64 start;

	if (READ_ONCE(me->taken) != READ_ONCE(me->sent)) {
		WRITE_ONCE(me->taken, me->taken + 1);
		ret = NMI_HANDLED;
	}
	if (raw_atomic_cmpxchg(&me->state, UCODE_PARK_ARMED,
			       UCODE_PARK_PARKED) != UCODE_PARK_ARMED)
		return ret;
	prim = per_cpu_ptr(&ucode_park, me->primary);
	start = rdtsc();
	/* Pairs with the primary's release store once it has loaded. */
	while (smp_load_acquire(&prim->release) != me->gen) {
		if (rdtsc() - start > ucode_nmi_wait_cycles) {
			WRITE_ONCE(me->gave_up, true);
			break;
		}
		cpu_relax();
	}
	raw_atomic_set_release(&me->state, UCODE_PARK_LEFT);
	return ret;
}

/*
 * A sibling, in the load step: park in NMI context until its primary has
 * loaded. The lockup detector is touched first, so that a perf NMI held
 * pending by the park does not find the CPU overdue.
 */
static int ucode_park_sibling(struct ucode_backend *be, unsigned int cpu,
			      struct ucode_park *me)
{
	const struct ucode_park *prim = per_cpu_ptr(&ucode_park, me->primary);
	bool send = true;
	u64 deadline;
	int state;

#ifdef CONFIG_FWACT_TEST_HOOKS
	if (be->run_hw->parking)
		send = be->run_hw->parking();
#endif
	touch_nmi_watchdog();
	WRITE_ONCE(me->gave_up, false);
	atomic_set(&me->state, UCODE_PARK_ARMED);
	if (send) {
		WRITE_ONCE(me->sent, me->sent + 1);
		barrier();
		apic->send_IPI(cpu, NMI_VECTOR);
	}
	deadline = sched_clock() + UCODE_PARK_TIMEOUT_NS;
	for (;;) {
		state = atomic_read_acquire(&me->state);
		if (state == UCODE_PARK_LEFT &&
		    READ_ONCE(me->taken) == READ_ONCE(me->sent))
			break;
		if (sched_clock() >= deadline) {
			/* The NMI did not come: make sure it will not park. */
			if (state == UCODE_PARK_ARMED &&
			    atomic_cmpxchg(&me->state, UCODE_PARK_ARMED,
					   UCODE_PARK_IDLE) == UCODE_PARK_ARMED) {
				me->res = UCODE_PARK_R_LOST;
				return 0;
			}
			/* Parked and left; a stray NMI of ours is claimed later. */
			if (state == UCODE_PARK_LEFT)
				break;
		}
		cpu_relax();
	}
	touch_nmi_watchdog();
	if (READ_ONCE(me->gave_up)) {
		me->res = UCODE_PARK_R_GAVE_UP;
		return -ETIMEDOUT;
	}
	me->res = READ_ONCE(prim->aborted) ? UCODE_PARK_R_LATE : UCODE_PARK_R_NMI;
	return 0;
}

/* A primary: wait until every sibling of its core is parked. */
static bool ucode_park_wait(struct ucode_park *me)
{
	struct ucode_park *sib;
	unsigned int cpu;
	u64 deadline;

	if (me->next >= nr_cpu_ids)
		return true;
	touch_nmi_watchdog();
	deadline = sched_clock() + UCODE_PARK_TIMEOUT_NS;
	for (cpu = me->next; cpu < nr_cpu_ids; cpu = sib->next) {
		sib = per_cpu_ptr(&ucode_park, cpu);
		while (atomic_read_acquire(&sib->state) != UCODE_PARK_PARKED) {
			if (sched_clock() >= deadline)
				return false;
			cpu_relax();
		}
	}
	return true;
}

/*
 * Step "load", every CPU, interrupts off. The first thread of each core
 * hands the patch to the core's microcode engine once its siblings are
 * parked in NMI context (ucode_park_sibling()), then releases them.
 * Nothing else happens here.
 */
static int ucode_step_load(void *priv, const struct fwact_call *call)
{
	struct ucode_backend *be = priv;
	struct ucode_cpu *c = &be->cpus[call->cpu];
	struct ucode_park *me = per_cpu_ptr(&ucode_park, call->cpu);
	const struct ucode_copy *p = c->patch;
	int ret;

	if (me->park)
		return ucode_park_sibling(be, call->cpu, me);
	if (me->primary != call->cpu || !p)
		return 0;
	if (!ucode_park_wait(me)) {
		me->res = UCODE_PARK_R_TIMEOUT;
		WRITE_ONCE(me->aborted, true);
		ret = -ETIMEDOUT;
	} else {
		if (me->next < nr_cpu_ids)
			me->res = UCODE_PARK_R_LOADED;
		c->loaded = true;
		c->load_ret = be->run_hw->load(be->vendor, p->data, p->size);
		ret = c->load_ret;
	}
	/* Pairs with the acquire in the siblings' NMI handler. */
	smp_store_release(&me->release, me->gen);
	return ret;
}

#ifdef CONFIG_FWACT_TEST_HOOKS
/**
 * fwact_ucode_test_parked() - is @cpu held in the backend's NMI handler
 * @cpu: the CPU
 *
 * Test kernels only: the emulated engine's load asks it of every sibling of
 * the loading core, for the selftests' evidence.
 *
 * Return: true while @cpu is parked for its core's load.
 */
bool fwact_ucode_test_parked(unsigned int cpu)
{
	return atomic_read(&per_cpu(ucode_park, cpu).state) ==
	       UCODE_PARK_PARKED;
}
EXPORT_SYMBOL_GPL(fwact_ucode_test_parked);
#endif

/*
 * Step "verify", every CPU, interrupts off: read back the revision into
 * this CPU's slot. A CPU that should have moved and did not fails the step.
 */
static int ucode_step_verify(void *priv, const struct fwact_call *call)
{
	struct ucode_backend *be = priv;
	struct ucode_cpu *c = &be->cpus[call->cpu];

	c->after = be->run_hw->rev_read(be->vendor);
	c->verified = true;
	if (c->patch && c->after != c->patch->rev)
		return -EIO;
	return 0;
}

static enum ucode_result ucode_cpu_result(const struct ucode_cpu *c,
					  unsigned int cpu, int result)
{
	const struct ucode_park *me = per_cpu_ptr(&ucode_park, cpu);

	if (!c->patch)
		return UCODE_R_CURRENT;
	if (c->after == c->patch->rev)
		return c->loaded ? UCODE_R_UPDATED : UCODE_R_SIBLING;
	if (per_cpu(ucode_park, me->primary).aborted)
		return UCODE_R_UNPARKED;
	if (c->load_ret)
		return UCODE_R_FAULT;
	if (!c->verified && result == -ETIMEDOUT)
		return UCODE_R_TIMEOUT;
	return UCODE_R_FAILED;
}

/* Record what the kernel shows in /proc/cpuinfo for @cpu. */
static void ucode_cpu_data_set(struct ucode_backend *be, unsigned int cpu,
			       u32 rev)
{
	cpu_data(cpu).microcode = rev;
	if (cpu == boot_cpu_data.cpu_index)
		boot_cpu_data.microcode = rev;
	if (be->hw != fwact_ucode_hw_native())
		be->cpu_data_dirty = true;
}

/* Count the per-CPU results of an activation that ran (cpus read locked). */
static void ucode_tally(struct ucode_backend *be, int result)
{
	struct ucode_last *last = &be->last;
	struct fwact_ucode_id id;
	struct ucode_ident arg = { .hw = be->run_hw, .id = &id };
	unsigned int cpu;

	cpumask_clear(be->failed);
	for_each_online_cpu(cpu) {
		struct ucode_cpu *c = &be->cpus[cpu];

		/*
		 * A CPU the rendezvous gave up on may still be in its
		 * action; this cross-call waits for it to leave.
		 */
		if (smp_call_function_single(cpu, ucode_cpu_identify_ipi, &arg,
					     1))
			continue;
		if (!c->verified)
			c->after = id.rev;
		c->id = id;
		c->known = true;
		c->result = ucode_cpu_result(c, cpu, result);
		switch (per_cpu(ucode_park, cpu).res) {
		case UCODE_PARK_R_NMI:
			last->parked++;
			break;
		case UCODE_PARK_R_TIMEOUT:
			last->park_timeouts++;
			break;
		default:
			break;
		}
		if (c->result == UCODE_R_CURRENT)
			continue;
		last->cpus++;
		if (c->result == UCODE_R_UPDATED || c->result == UCODE_R_SIBLING) {
			last->updated++;
			last->cores += c->result == UCODE_R_UPDATED;
		} else {
			last->failed++;
			cpumask_set_cpu(cpu, be->failed);
		}
		if (c->after != c->before)
			ucode_cpu_data_set(be, cpu, c->after);
	}
}

/* Name the siblings that kept their core from loading. */
static void ucode_report_unparked(void)
{
	const struct ucode_park *me, *sib;
	unsigned int cpu, s;

	for_each_online_cpu(cpu) {
		me = per_cpu_ptr(&ucode_park, cpu);
		if (me->res != UCODE_PARK_R_TIMEOUT)
			continue;
		for (s = me->next; s < nr_cpu_ids; s = sib->next) {
			sib = per_cpu_ptr(&ucode_park, s);
			if (sib->res == UCODE_PARK_R_NMI)
				continue;
			pr_err("CPU %u did not park in NMI context within %u ms (%s): its core (CPU %u) was not loaded\n",
			       s, UCODE_PARK_TIMEOUT_MS,
			       sib->res == UCODE_PARK_R_LOST ? "its NMI never came" :
			       "late", cpu);
		}
	}
}

/* One summary line, and taint as the kernel's loader does. */
static void ucode_report(struct ucode_backend *be)
{
	struct ucode_last *last = &be->last;

	if (last->park_timeouts)
		ucode_report_unparked();

	if (!last->updated) {
		if (last->failed)
			pr_err("load failed: revision unchanged on CPUs %*pbl (result %d); nothing was loaded\n",
			       cpumask_pr_args(be->failed), last->result);
		return;
	}
	/* Tainted only if something changed and it was unsafe or partial. */
	if (last->unsafe || last->failed) {
		add_taint(TAINT_CPU_OUT_OF_SPEC, LOCKDEP_STILL_OK);
		last->tainted = true;
	}
	pr_info("load: updated on %u cores, %u CPUs now at their new revision\n",
		last->cores, last->updated);
	if (last->failed)
		pr_err("load incomplete: CPUs %*pbl did not reach the new revision (result %d)\n",
		       cpumask_pr_args(be->failed), last->result);
}

/*
 * The patches fwact loaded, for the CPUs that come back later.
 *
 * Lock rule: be->kept_lock is a leaf lock, taken with interrupts off. It
 * is taken by finish (the hotplug lock held for reading, be->lock held),
 * by the online callback (run by the hotplug machinery, which holds the
 * hotplug lock for writing), by the resume hook (interrupts off, only the
 * boot CPU running) and by the test-hook override and module exit (both
 * with be->lock held). Nothing is taken while it is held, so the
 * callbacks never wait for anything an activation holds: not be->lock,
 * not the core's locks, not the hotplug lock. Only finish, the override
 * and exit change the kept patches, all under be->lock, so they may read
 * them without kept_lock; the callbacks read them only under it.
 */
static int ucode_kept_find(struct ucode_backend *be, u32 sig, u32 pf)
{
	unsigned int i;

	for (i = 0; i < be->nr_kept; i++)
		if (be->kept[i].sig == sig && be->kept[i].pf == pf)
			return i;
	return -1;
}

/* Keep the patch each CPU reached in the activation just finished. */
static void ucode_kept_update(struct ucode_backend *be)
{
	unsigned long flags;
	unsigned int cpu;
	void *data, *old;
	int i;

	ucode_assert_cpus_held();
	lockdep_assert_held(&be->lock);
	for_each_online_cpu(cpu) {
		const struct ucode_cpu *c = &be->cpus[cpu];
		const struct ucode_copy *p = c->patch;

		if (c->result != UCODE_R_UPDATED && c->result != UCODE_R_SIBLING)
			continue;
		i = ucode_kept_find(be, c->id.sig, c->id.pf);
		if (i >= 0 && be->kept[i].rev >= p->rev)
			continue;
		if (i < 0 && be->nr_kept >= nr_cpu_ids)
			continue;
		data = vmalloc(p->size);
		if (!data) {
			pr_warn_ratelimited("no memory to keep patch 0x%x for CPUs that come online later\n",
					    p->rev);
			continue;
		}
		memcpy(data, p->data, p->size);

		raw_spin_lock_irqsave(&be->kept_lock, flags);
		if (i < 0)
			i = be->nr_kept++;
		old = be->kept[i].data;
		be->kept[i] = (struct ucode_kept) {
			.sig = c->id.sig, .pf = c->id.pf, .rev = p->rev,
			.data = data, .size = p->size,
		};
		be->kept_hw = be->run_hw;
		be->kept_vendor = be->vendor;
		raw_spin_unlock_irqrestore(&be->kept_lock, flags);
		vfree(old);
	}
}

static void ucode_kept_drop(struct ucode_backend *be)
{
	unsigned long flags;
	unsigned int i, nr;

	lockdep_assert_held(&be->lock);
	raw_spin_lock_irqsave(&be->kept_lock, flags);
	nr = be->nr_kept;
	be->nr_kept = 0;
	be->kept_hw = NULL;
	raw_spin_unlock_irqrestore(&be->kept_lock, flags);
	for (i = 0; i < nr; i++) {
		vfree(be->kept[i].data);
		be->kept[i].data = NULL;
	}
}

/**
 * struct ucode_reload - what reloading a kept patch on one CPU did
 * @id: the CPU as it came back
 * @want: revision of its kept patch, 0 if none fits it
 * @after: its revision afterwards
 * @load_ret: what the load call returned
 */
struct ucode_reload {
	struct fwact_ucode_id id;
	u32 want;
	u32 after;
	int load_ret;
};

/*
 * On the calling CPU, interrupts off, kept_lock held: if a kept patch fits
 * it and it runs an older revision, load the patch through the same calls
 * as the activation's load and verify steps.
 */
static void ucode_kept_reload_local(struct ucode_backend *be,
				    struct ucode_reload *r)
{
	const struct fwact_ucode_hw_ops *hw = be->kept_hw;
	const struct ucode_kept *k;
	int i;

	lockdep_assert_held(&be->kept_lock);
	if (!hw || !be->nr_kept)
		return;
	hw->identify(&r->id);
	i = ucode_kept_find(be, r->id.sig, r->id.pf);
	if (i < 0)
		return;
	k = &be->kept[i];
	r->want = k->rev;
	r->after = r->id.rev;
	if (r->id.rev >= k->rev)
		return;
	r->load_ret = hw->load(be->kept_vendor, k->data, k->size);
	r->after = hw->rev_read(be->kept_vendor);
}

/*
 * Record and report a reload. The CPU's slot in be->cpus is written here
 * without be->lock: every writer of it holds the hotplug lock (read side:
 * the backend; write side: a CPU coming up) or, at resume, is alone.
 */
static void ucode_kept_reload_done(struct ucode_backend *be, unsigned int cpu,
				   const struct ucode_reload *r, const char *why)
{
	struct ucode_cpu *c = &be->cpus[cpu];

	if (!r->want)
		return;
	if (!c->known) {
		c->id = r->id;
		c->known = true;
	}
	WRITE_ONCE(c->id.rev, r->after);
	if (r->after != r->id.rev) {
		cpu_data(cpu).microcode = r->after;
		if (cpu == boot_cpu_data.cpu_index)
			boot_cpu_data.microcode = r->after;
	}
	if (r->id.rev >= r->want)
		return;
	if (r->after >= r->want)
		pr_info_ratelimited("CPU %u %s at revision 0x%x: loaded 0x%x again\n",
				    cpu, why, r->id.rev, r->after);
	else
		pr_err_ratelimited("CPU %u %s at revision 0x%x, below the 0x%x fwact loaded, and loading it again failed (%d, now 0x%x): the component is out of date\n",
				   cpu, why, r->id.rev, r->want, r->load_ret,
				   r->after);
}

/*
 * CPU hotplug (CPUHP_AP_ONLINE_DYN), on the CPU that comes online: a CPU
 * that was offline or is new may run an older revision than fwact loaded
 * into the others. Never fails the online.
 */
static int ucode_cpu_online(unsigned int cpu)
{
	struct ucode_backend *be = &ucode_be;
	struct ucode_reload r = {};
	unsigned long flags;

	raw_spin_lock_irqsave(&be->kept_lock, flags);
	ucode_kept_reload_local(be, &r);
	raw_spin_unlock_irqrestore(&be->kept_lock, flags);
	ucode_kept_reload_done(be, cpu, &r, "came online");
	return 0;
}

/*
 * Resume from suspend, on the boot CPU with interrupts off; the other
 * CPUs come back through the hotplug callback.
 */
static void ucode_resume(void *data)
{
	struct ucode_backend *be = &ucode_be;
	struct ucode_reload r = {};

	raw_spin_lock(&be->kept_lock);
	ucode_kept_reload_local(be, &r);
	raw_spin_unlock(&be->kept_lock);
	ucode_kept_reload_done(be, smp_processor_id(), &r, "resumed");
}

static const struct syscore_ops ucode_syscore_ops = {
	.resume = ucode_resume,
};

static struct syscore ucode_syscore = {
	.ops = &ucode_syscore_ops,
};

static void ucode_finish(struct fwact_component *comp, int result,
			 const struct fwact_measure *m)
{
	struct ucode_backend *be = fwact_priv(comp);
	const struct fwact_ucode_hw_ops *hw;

	ucode_assert_cpus_held();
	mutex_lock(&be->lock);
	hw = be->run_hw;
	if (!hw)
		goto out_unlock;
	memset(&be->last, 0, sizeof(be->last));
	be->last.result = result;
	be->last.unsafe = be->unsafe;
	if (result != -ECANCELED) {
		ucode_tally(be, result);
		ucode_kept_update(be);
		ucode_report(be);
		if (be->last.updated && !be->last.failed)
			ucode_image_drop(be);
	}
	ucode_copies_free(be);
	be->run_hw = NULL;
	module_put(hw->owner);
out_unlock:
	mutex_unlock(&be->lock);
}

static int ucode_cancel(struct fwact_component *comp)
{
	struct ucode_backend *be = fwact_priv(comp);

	mutex_lock(&be->lock);
	ucode_image_drop(be);
	mutex_unlock(&be->lock);
	return 0;
}

static const struct fwact_ops ucode_ops = {
	.get_info = ucode_get_info,
	.stage = ucode_stage,
	.prepare = ucode_prepare,
	.finish = ucode_finish,
	.cancel = ucode_cancel,
};

static const struct fwact_step ucode_steps[] = {
	{ .name = "load", .mode = FWACT_MODE_ALL, .act = ucode_step_load },
	{ .name = "verify", .mode = FWACT_MODE_ALL, .act = ucode_step_verify },
};

/* File name the kernel's loader would request for a CPU signature. */
static void ucode_fw_name(enum ucode_vendor vendor, u32 sig, char *buf,
			  size_t size)
{
	unsigned int fam = ucode_sig_family(sig);

	if (vendor == UCODE_VENDOR_INTEL)
		snprintf(buf, size, "intel-ucode/%02x-%02x-%02x", fam,
			 ucode_sig_model(sig), ucode_sig_stepping(sig));
	else if (fam >= 0x15)
		snprintf(buf, size, "amd-ucode/microcode_amd_fam%02xh.bin",
			 fam);
	else
		strscpy(buf, "amd-ucode/microcode_amd.bin", size);
}

/* Append one firmware file to @buf (vmalloc), growing it. */
static int ucode_fw_append(const char *name, void **buf, size_t *len)
{
	const struct firmware *fw;
	void *grown;
	int ret;

	ret = request_firmware_direct(&fw, name, NULL);
	if (ret)
		return ret;
	if (*len + fw->size > UCODE_MAX_IMAGE) {
		ret = -EFBIG;
		goto out_release;
	}
	grown = vmalloc(*len + fw->size);
	if (!grown) {
		ret = -ENOMEM;
		goto out_release;
	}
	if (*buf)
		memcpy(grown, *buf, *len);
	memcpy(grown + *len, fw->data, fw->size);
	vfree(*buf);
	*buf = grown;
	*len += fw->size;
out_release:
	release_firmware(fw);
	return ret;
}

/*
 * Load the standard file of every distinct CPU model online (mixed CPUs
 * need several), concatenate them and stage the result through the core.
 */
static int ucode_request_default(struct ucode_backend *be)
{
	char name[64], prev[64] = "";
	size_t len = 0;
	void *buf = NULL;
	unsigned int cpu;
	int ret, found = 0;

	ret = ucode_refusal_check();
	if (ret)
		return ret;
	cpus_read_lock();
	mutex_lock(&be->lock);
	ret = ucode_cpus_identify(be, be->hw);
	cpus_read_unlock();
	if (ret)
		goto out_unlock;

	for_each_online_cpu(cpu) {
		const struct fwact_ucode_id *id = &be->cpus[cpu].id;

		ucode_fw_name(id->vendor, id->sig, name, sizeof(name));
		if (id->vendor == UCODE_VENDOR_UNKNOWN || !strcmp(name, prev))
			continue;
		strscpy(prev, name, sizeof(prev));
		ret = ucode_fw_append(name, &buf, &len);
		if (ret == -ENOENT)
			continue;
		if (ret)
			goto out_unlock;
		pr_info_ratelimited("requested %s\n", name);
		found++;
	}
	mutex_unlock(&be->lock);
	if (!found) {
		pr_err_ratelimited("no microcode file found for the CPUs (last tried %s)\n",
				   prev);
		ret = -ENOENT;
		goto out_free;
	}
	/* Not under the lock: the core calls back into ucode_stage(). */
	ret = fwact_stage(be->comp, buf, len);
	goto out_free;

out_unlock:
	mutex_unlock(&be->lock);
out_free:
	vfree(buf);
	return ret;
}

static int ucode_revisions_show(struct seq_file *s, void *unused)
{
	struct ucode_backend *be = s->private;
	unsigned int cpu;

	mutex_lock(&be->lock);
	for_each_online_cpu(cpu) {
		const struct ucode_cpu *c = &be->cpus[cpu];

		seq_printf(s, "cpu=%u core=%u sig=0x%08x pf=0x%02x rev=0x%x before=0x%x after=0x%x patch=0x%x result=%s park=%s\n",
			   cpu, cpumask_first(topology_sibling_cpumask(cpu)),
			   c->id.sig, c->id.pf, c->id.rev, c->before, c->after,
			   c->patch ? c->patch->rev : c->choice_rev,
			   ucode_result_names[c->result],
			   ucode_park_res_names[per_cpu(ucode_park, cpu).res]);
	}
	mutex_unlock(&be->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ucode_revisions);

static int ucode_status_show(struct seq_file *s, void *unused)
{
	struct ucode_backend *be = s->private;
	const struct ucode_last *l = &be->last;

	mutex_lock(&be->lock);
	seq_printf(s, "result=%d cpus=%u cores=%u updated=%u failed=%u failed_cpus=%*pbl parked=%u park_timeouts=%u tainted=%d unsafe=%d hw=%s\n",
		   l->result, l->cpus, l->cores, l->updated, l->failed,
		   cpumask_pr_args(be->failed), l->parked, l->park_timeouts,
		   l->tainted, l->unsafe,
		   be->hw == fwact_ucode_hw_native() ? "native" : "test");
	mutex_unlock(&be->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ucode_status);

static ssize_t ucode_request_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	bool val;
	int ret;

	ret = kstrtobool_from_user(ubuf, count, &val);
	if (ret)
		return ret;
	if (!val)
		return -EINVAL;
	ret = ucode_request_default(&ucode_be);
	return ret ? ret : count;
}

static const struct file_operations ucode_request_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = ucode_request_write,
};

/* Under the core's /sys/kernel/debug/fwact/ if it made one. */
static void ucode_debugfs_init(struct ucode_backend *be)
{
	struct dentry *parent = debugfs_lookup("fwact", NULL);

	be->dir = debugfs_create_dir(parent ? "microcode" : "fwact-microcode",
				     parent);
	dput(parent);
	debugfs_create_file("revisions", 0400, be->dir, be,
			    &ucode_revisions_fops);
	debugfs_create_file("status", 0400, be->dir, be, &ucode_status_fops);
	debugfs_create_file("request", 0200, be->dir, be, &ucode_request_fops);
}

#ifdef CONFIG_FWACT_TEST_HOOKS
/**
 * fwact_ucode_hw_override() - send the backend's firmware calls elsewhere
 * @ops: the replacement (an emulated microcode engine), or NULL for the
 *	real MSRs
 *
 * Test kernels only. Drops the staged image (it was chosen for the CPUs
 * the old calls described), re-reads every CPU through the new calls and,
 * when going back to the real MSRs, puts the real revisions back into the
 * kernel's per-CPU data.
 *
 * Return: 0, or -EBUSY while an activation is in flight.
 */
int fwact_ucode_hw_override(const struct fwact_ucode_hw_ops *ops)
{
	struct ucode_backend *be = &ucode_be;
	unsigned int cpu;
	int ret = 0;

	cpus_read_lock();
	mutex_lock(&be->lock);
	if (be->run_hw) {
		ret = -EBUSY;
		goto out_unlock;
	}
	be->hw = ops ? ops : fwact_ucode_hw_native();
	ucode_image_drop(be);
	/* The kept patches were loaded with the old calls. */
	ucode_kept_drop(be);
	ucode_cpus_identify(be, be->hw);
	if (!ops && be->cpu_data_dirty) {
		for_each_online_cpu(cpu)
			ucode_cpu_data_set(be, cpu, be->cpus[cpu].id.rev);
		be->cpu_data_dirty = false;
	}
	pr_warn("test hooks: firmware calls now go to %s\n",
		ops ? "a test module" : "the real MSRs");
out_unlock:
	mutex_unlock(&be->lock);
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(fwact_ucode_hw_override);
#endif

static int __init ucode_init(void)
{
	struct ucode_backend *be = &ucode_be;
	struct fwact_component_desc desc = {
		.name = "cpu-microcode",
		.backend = "microcode",
		.ops = &ucode_ops,
		.steps = ucode_steps,
		.nr_steps = ARRAY_SIZE(ucode_steps),
		.max_image_size = UCODE_MAX_IMAGE,
		.priv = be,
		.owner = THIS_MODULE,
		/*
		 * Stopper context: a CPU is never taken inside a region that
		 * must not see its core's microcode change under it. A core
		 * still loading when the budget is spent is waited for; the
		 * kernel's loader panics there, fwact taints.
		 */
		.context = FWACT_CONTEXT_STOPPER,
		.flags = FWACT_DESC_TAINT_OVERRUN | FWACT_DESC_RENDEZVOUS,
	};
	int ret;

	if (boot_cpu_data.x86_vendor != X86_VENDOR_INTEL &&
	    boot_cpu_data.x86_vendor != X86_VENDOR_AMD)
		return -ENODEV;

	be->hw = fwact_ucode_hw_native();
	be->cpus = kcalloc(nr_cpu_ids, sizeof(*be->cpus), GFP_KERNEL);
	if (!be->cpus)
		return -ENOMEM;
	be->copies = kcalloc(nr_cpu_ids, sizeof(*be->copies), GFP_KERNEL);
	if (!be->copies) {
		ret = -ENOMEM;
		goto err_free_cpus;
	}
	be->kept = kcalloc(nr_cpu_ids, sizeof(*be->kept), GFP_KERNEL);
	if (!be->kept) {
		ret = -ENOMEM;
		goto err_free_copies;
	}
	if (!zalloc_cpumask_var(&be->failed, GFP_KERNEL)) {
		ret = -ENOMEM;
		goto err_free_kept;
	}

	cpus_read_lock();
	ret = ucode_cpus_identify(be, be->hw);
	cpus_read_unlock();
	if (ret)
		goto err_free_mask;

	/* First: the NMI that parks a sibling should not wait for others. */
	ucode_nmi_wait_set(UCODE_NMI_WAIT_MS);
	ret = register_nmi_handler(NMI_LOCAL, ucode_nmi_handler, NMI_FLAG_FIRST,
				   "fwact_ucode");
	if (ret)
		goto err_free_mask;

	/* Nothing is kept yet: no callback to run for the CPUs online now. */
	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN,
					"fwact/microcode:online",
					ucode_cpu_online, NULL);
	if (ret < 0)
		goto err_nmi;
	be->hp_state = ret;
	register_syscore(&ucode_syscore);

	be->comp = fwact_register(&desc);
	if (IS_ERR(be->comp)) {
		ret = PTR_ERR(be->comp);
		goto err_hotplug;
	}
	ucode_debugfs_init(be);
	if (boot_cpu_has(X86_FEATURE_HYPERVISOR))
		pr_info("running under a hypervisor: late loading %s\n",
			allow_hypervisor ? "allowed for testing" : "refused");
	return 0;

err_hotplug:
	unregister_syscore(&ucode_syscore);
	cpuhp_remove_state_nocalls(be->hp_state);
err_nmi:
	unregister_nmi_handler(NMI_LOCAL, "fwact_ucode");
err_free_mask:
	free_cpumask_var(be->failed);
err_free_kept:
	kfree(be->kept);
err_free_copies:
	kfree(be->copies);
err_free_cpus:
	kfree(be->cpus);
	return ret;
}
module_init(ucode_init);

static void __exit ucode_exit(void)
{
	struct ucode_backend *be = &ucode_be;

	debugfs_remove(be->dir);
	fwact_unregister(be->comp);
	unregister_syscore(&ucode_syscore);
	cpuhp_remove_state_nocalls(be->hp_state);
	/* No activation runs any more: no CPU is parked. */
	unregister_nmi_handler(NMI_LOCAL, "fwact_ucode");
	mutex_lock(&be->lock);
	ucode_kept_drop(be);
	mutex_unlock(&be->lock);
	ucode_copies_free(be);
	ucode_image_drop(be);
	free_cpumask_var(be->failed);
	kfree(be->kept);
	kfree(be->copies);
	kfree(be->cpus);
}
module_exit(ucode_exit);

MODULE_DESCRIPTION("fwact backend: x86 microcode late loading");
MODULE_LICENSE("GPL");
