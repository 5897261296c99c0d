/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fwact: activate new platform firmware on a running machine.
 *
 * This header is the contract between the fwact core and its backends
 * (PFRU, x86 microcode, Arm LFA, TDX module update, the test backend). A
 * backend registers one component per activatable firmware image with a
 * table of operations and a program of steps. The core owns everything the
 * backends share: sysfs, the per-component state machine, uevents, the
 * activation journal and the CPU rendezvous that runs the steps.
 */
#ifndef _LINUX_FWACT_H
#define _LINUX_FWACT_H

#include <linux/bits.h>
#include <linux/types.h>

struct attribute_group;
struct device;
struct kobject;
struct module;
struct fwact_component;

/* Longest version string a backend may report, including the NUL. */
#define FWACT_VERSION_LEN	64
/* Longest component name, including the NUL (an LFA GUID takes 37). */
#define FWACT_NAME_LEN		64

/**
 * DOC: component flags
 *
 * Flags a backend reports in &fwact_info.flags. Each one is shown in a
 * sysfs file of the same name.
 *
 * FWACT_F_CAPABLE: the firmware can activate this component at run time
 * (``activation_capable``).
 *
 * FWACT_F_PENDING: the firmware holds an image of this component that is
 * ready to be activated (``activation_pending``). The core allows an
 * activation when this is set, whether the image was staged through fwact
 * or reached the firmware by other means.
 *
 * FWACT_F_MAY_RESET_CPU: activating this component may reset the CPUs
 * (``may_reset_cpu``). The core refuses such activations with -EOPNOTSUPP.
 *
 * FWACT_F_RENDEZVOUS: the firmware requires every CPU to be held while it
 * acts (``cpu_rendezvous``). Without it the admin may clear
 * ``force_cpu_rendezvous`` to run the steps without holding the CPUs.
 */
#define FWACT_F_CAPABLE		BIT(0)
#define FWACT_F_PENDING		BIT(1)
#define FWACT_F_MAY_RESET_CPU	BIT(2)
#define FWACT_F_RENDEZVOUS	BIT(3)

/**
 * struct fwact_info - what the firmware says about a component now
 * @current_version: version running now, as the firmware reports it
 * @pending_version: version that an activation would run, or "" if none
 * @flags: FWACT_F_* flags
 */
struct fwact_info {
	char current_version[FWACT_VERSION_LEN];
	char pending_version[FWACT_VERSION_LEN];
	unsigned long flags;
};

/**
 * enum fwact_state - where a component is in its life cycle
 * @FWACT_STATE_IDLE: nothing staged through fwact
 * @FWACT_STATE_STAGED: an image was validated and handed to the firmware
 * @FWACT_STATE_ACTIVATING: an activation is running
 * @FWACT_STATE_ACTIVATED: the last activation succeeded
 * @FWACT_STATE_FAILED: the last activation failed (see ``last_error``)
 * @FWACT_STATE_NR: number of states
 *
 * ``idle -> staged -> activating -> activated | failed``; ``cancel`` returns
 * a staged component (or one whose activation has not yet stopped the CPUs)
 * to idle, and a new image may be staged from any state but activating.
 */
enum fwact_state {
	FWACT_STATE_IDLE,
	FWACT_STATE_STAGED,
	FWACT_STATE_ACTIVATING,
	FWACT_STATE_ACTIVATED,
	FWACT_STATE_FAILED,
	FWACT_STATE_NR
};

/**
 * enum fwact_mode - how the CPUs take part in one step
 * @FWACT_MODE_NONE: no CPU is held; the step runs once in process context
 *	on the calling CPU and may sleep (PFRU: the SMI holds the CPUs itself)
 * @FWACT_MODE_ONE: every online CPU is held with interrupts off and one CPU,
 *	the lowest-numbered online CPU, acts
 * @FWACT_MODE_ALL: every online CPU is held and every one of them acts,
 *	concurrently (LFA ACTIVATE under TF-A)
 * @FWACT_MODE_PER_CORE: every online CPU is held; the first online thread of
 *	each core acts, its SMT siblings wait for their own core to finish
 *	(microcode)
 * @FWACT_MODE_SERIAL: every online CPU is held and acts in turn, in
 *	ascending CPU number, one at a time (TDX SEAMLDR.INSTALL)
 * @FWACT_MODE_NR: number of modes
 *
 * A program of several steps whose modes are not %FWACT_MODE_NONE runs
 * inside a single rendezvous: the CPUs are gathered once, run every step in
 * order with a barrier between steps, and are released once.
 */
enum fwact_mode {
	FWACT_MODE_NONE,
	FWACT_MODE_ONE,
	FWACT_MODE_ALL,
	FWACT_MODE_PER_CORE,
	FWACT_MODE_SERIAL,
	FWACT_MODE_NR
};

/**
 * enum fwact_context - where the CPUs are held, a property of a component
 * @FWACT_CONTEXT_STOPPER: each CPU is taken by a per-CPU kernel thread of
 *	the highest real-time priority, so only at a point where the task it
 *	ran could have been scheduled out: never inside a spinlocked,
 *	preempt-disabled or interrupt-disabled region, nor between two
 *	firmware calls a backend makes with preemption off. This is what
 *	stop_machine() guarantees, and the default. The actions run in that
 *	thread with interrupts off.
 * @FWACT_CONTEXT_IRQ: each CPU is taken by a cross-call interrupt wherever
 *	it has interrupts on. For actions that are safe from any interrupted
 *	point (they touch nothing the interrupted code may hold); it gathers
 *	the CPUs faster. A backend chooses it explicitly, with its reason.
 * @FWACT_CONTEXT_NR: number of contexts
 *
 * In both, a CPU that does not arrive within the budget makes the run fail
 * with nothing done, and nothing but the actions runs inside the window.
 */
enum fwact_context {
	FWACT_CONTEXT_STOPPER,
	FWACT_CONTEXT_IRQ,
	FWACT_CONTEXT_NR
};

/**
 * struct fwact_call - what a step's action is told about its call
 * @cpu: the CPU it runs on
 * @step: index of the step in the program
 * @held: true if the CPUs are held (the action runs with interrupts off and
 *	must not sleep, take locks, allocate or print); false if the program
 *	runs without a rendezvous, in process context
 */
struct fwact_call {
	unsigned int cpu;
	unsigned int step;
	bool held;
};

/**
 * struct fwact_step - one step of an activation program
 * @name: short name, shown when the step fails
 * @mode: how the CPUs take part (&enum fwact_mode)
 * @act: the firmware action. With the CPUs held it runs with interrupts
 *	off on the CPUs that @mode names and must do nothing but the firmware
 *	call: no parsing, copying, allocation, locking or logging. It returns
 *	0 or a negative errno; any error stops every later step on every CPU.
 *	A step that has started is completed: when one action of a
 *	%FWACT_MODE_ALL or %FWACT_MODE_PER_CORE step fails, the step's other
 *	actors still run theirs, so actors of one step may wait for each
 *	other; in a %FWACT_MODE_SERIAL step no turn after the failing one
 *	starts.
 */
struct fwact_step {
	const char *name;
	enum fwact_mode mode;
	int (*act)(void *priv, const struct fwact_call *call);
};

/**
 * struct fwact_measure - measurements of one activation
 * @cpus: CPUs held (0 when no rendezvous was used)
 * @blackout_ns: first CPU held to last CPU released; for a program run
 *	without a rendezvous, the time the steps took
 * @arrival_skew_ns: first to last CPU arriving at the rendezvous
 * @irqoff_max_ns: longest time one CPU spent with interrupts off for it
 * @irqoff_mean_ns: mean of that time over the held CPUs
 * @action_ns: longest time one action took
 * @fw_auth_ns: authentication time the firmware reported, 0 if none
 * @fw_exec_ns: execution time the firmware reported, 0 if none
 * @failed_step: index of the step that failed, -1 if none
 * @failed_cpu: CPU on which it failed or that did not arrive, -1 if none
 * @overrun_step: step that was still running when the budget ran out, -1
 *	if none. It was waited for to its end (an action is never abandoned
 *	half-done); later steps did not start.
 * @overrun_cpu: a CPU whose action or wait of that step ran late, -1 if
 *	not known
 */
struct fwact_measure {
	unsigned int cpus;
	u64 blackout_ns;
	u64 arrival_skew_ns;
	u64 irqoff_max_ns;
	u64 irqoff_mean_ns;
	u64 action_ns;
	u64 fw_auth_ns;
	u64 fw_exec_ns;
	int failed_step;
	int failed_cpu;
	int overrun_step;
	int overrun_cpu;
};

/**
 * struct fwact_ops - what a backend does for the core
 *
 * Every op is called in process context, may sleep, and is serialized per
 * component by the core. None is called with CPUs held.
 *
 * @get_info: fill @info from the firmware. Required.
 * @stage: validate the image completely and hand it to the firmware (or
 *	copy it where the firmware will take it). @data is NULL and @size 0
 *	when the image already reached the backend through its own interface
 *	(e.g. a write to /dev/pfru/update). Return 0 or a negative errno and
 *	change nothing on error. Optional: without it images cannot be staged
 *	through fwact and only images the firmware reports pending can be
 *	activated.
 * @prepare: last checks before the CPUs are held, and any work the steps
 *	need done first (allocation, copying, priming the firmware). An error
 *	fails the activation with nothing changed. One that waits for the
 *	firmware polls fwact_cancel_requested() and returns -ECANCELED when
 *	it is true; the core then calls @cancel. Optional.
 * @finish: called after the CPUs are released with the activation's result,
 *	@result (0 or a negative errno) and its measurements @m (which step
 *	failed, on which CPU, which overran; see &struct fwact_measure), to
 *	refresh cached state and log. When @prepare failed it is not called.
 *	Optional.
 * @cancel: drop the staged image; after it returns the firmware must not
 *	activate it. Optional.
 * @retry: called after a run of the program failed with @result (never
 *	after a success or a cancellation before the run), with the CPUs
 *	released, when the firmware asked to be called again (LFA's
 *	CALL_AGAIN and BUSY): return 0 to run the program once more, in a new
 *	rendezvous, or the errno the activation ends with (normally
 *	@result). It may sleep, to wait between runs; bounding the runs is
 *	the backend's business. The activation stays one operation: prepare
 *	and finish are called once each, and one journal record is written,
 *	with the measurements @m of the last run. Optional: without it a
 *	failed run ends the activation.
 */
struct fwact_ops {
	int (*get_info)(struct fwact_component *comp, struct fwact_info *info);
	int (*stage)(struct fwact_component *comp, const void *data,
		     size_t size);
	int (*prepare)(struct fwact_component *comp);
	void (*finish)(struct fwact_component *comp, int result,
		       const struct fwact_measure *m);
	int (*cancel)(struct fwact_component *comp);
	int (*retry)(struct fwact_component *comp, int result,
		     const struct fwact_measure *m);
};

/**
 * DOC: descriptor flags
 *
 * Flags in &fwact_component_desc.flags.
 *
 * FWACT_DESC_TAINT_OVERRUN: a step that runs past the budget leaves the
 * machine out of its specification (the kernel's microcode loader panics
 * there): taint the kernel with %TAINT_CPU_OUT_OF_SPEC when it happens.
 *
 * FWACT_DESC_UPLOAD_ACTIVATE: an image that reaches the component through
 * the firmware upload interface (/sys/class/firmware/<name>/, on kernels
 * with CONFIG_FW_UPLOAD) is activated as soon as it is staged, in the same
 * operation. Without it such an image is only staged, as one written to
 * ``image`` is. Needs a &fwact_ops.stage op: fwact_register() refuses it
 * without one.
 *
 * FWACT_DESC_RENDEZVOUS: the firmware always requires every CPU held while
 * it acts (microcode, TDX). Every activation holds them whatever
 * &fwact_ops.get_info reports, ``cpu_rendezvous`` reads 1 and
 * ``force_cpu_rendezvous`` cannot be cleared, so the steps' actions are
 * only ever called with &fwact_call.held true. fwact_register() refuses
 * it with a program of mode %FWACT_MODE_NONE.
 */
#define FWACT_DESC_TAINT_OVERRUN	BIT(0)
#define FWACT_DESC_UPLOAD_ACTIVATE	BIT(1)
#define FWACT_DESC_RENDEZVOUS		BIT(2)

/**
 * struct fwact_component_desc - what a backend registers
 * @name: component name, the directory under /sys/firmware/fwact/ and, for
 *	a component with a @ops.stage op on a kernel with CONFIG_FW_UPLOAD,
 *	under /sys/class/firmware/; unique
 * @backend: backend name, e.g. "pfru", "microcode", "lfa", "tdx", "test"
 * @ops: operations, see &struct fwact_ops
 * @steps: the activation program, run in order
 * @nr_steps: number of @steps (1 to %FWACT_MAX_STEPS)
 * @max_image_size: largest image accepted for staging, in bytes
 * @priv: backend data, passed to every action and returned by fwact_priv()
 * @owner: the backend's module (THIS_MODULE); the core pins it while one
 *	of its operations or an activation runs
 * @context: where the CPUs are held (&enum fwact_context); 0, the stopper
 *	context, unless the backend states why another is safe
 * @flags: FWACT_DESC_* flags
 * @groups: optional, NULL-terminated: the backend's own attribute groups,
 *	added to /sys/firmware/fwact/<name>/ (an ``is_visible`` callback may
 *	hide files). Their files are &struct kobj_attribute; fwact_from_kobj()
 *	gives their callbacks the component. They are removed before
 *	fwact_unregister() waits for an operation in flight.
 * @upload_name: optional: the name under /sys/class/firmware/ when it is
 *	not @name (the kernel's ABI for the component has its own)
 * @upload_parent: optional: the device the firmware upload directory is
 *	created under (``<device>/firmware/<upload_name>/``)
 * @budget_us: optional: the default ``max_blackout_us``, what the firmware
 *	needs on this machine (a step that runs on every CPU in turn needs
 *	more on more CPUs); 0 for %FWACT_DEFAULT_BUDGET_US. At most the
 *	component's largest.
 * @max_budget_us: optional: the largest ``max_blackout_us`` an admin may
 *	set, at most %FWACT_BUDGET_CEILING_US; 0 for %FWACT_MAX_BUDGET_US.
 *	An activation is also bounded by half the running kernel's RCU CPU
 *	stall timeout.
 *
 * Either every step has mode %FWACT_MODE_NONE (the program never holds the
 * CPUs) or none has.
 */
struct fwact_component_desc {
	const char *name;
	const char *backend;
	const struct fwact_ops *ops;
	const struct fwact_step *steps;
	unsigned int nr_steps;
	size_t max_image_size;
	void *priv;
	struct module *owner;
	enum fwact_context context;
	unsigned long flags;
	const struct attribute_group **groups;
	const char *upload_name;
	struct device *upload_parent;
	u32 budget_us;
	u32 max_budget_us;
};

/*
 * Budgets (``max_blackout_us``), in microseconds: the default and the
 * largest value of a component whose backend sets neither, and the core's
 * ceiling for what a backend may set.
 */
#define FWACT_DEFAULT_BUDGET_US		1000000U
#define FWACT_MAX_BUDGET_US		10000000U
#define FWACT_BUDGET_CEILING_US		60000000U

/* Most steps one program may have. */
#define FWACT_MAX_STEPS		8

struct fwact_component *fwact_register(const struct fwact_component_desc *desc);
void fwact_unregister(struct fwact_component *comp);
void *fwact_priv(const struct fwact_component *comp);
struct fwact_component *fwact_from_kobj(struct kobject *kobj);

int fwact_stage(struct fwact_component *comp, const void *data, size_t size);
int fwact_activate(struct fwact_component *comp);
int fwact_cancel(struct fwact_component *comp);
int fwact_install(struct fwact_component *comp, const void *data,
		  size_t size);

int fwact_set_force_rendezvous(struct fwact_component *comp, bool force);
bool fwact_get_force_rendezvous(const struct fwact_component *comp);
bool fwact_cancel_requested(struct fwact_component *comp);

void fwact_set_fw_status(struct fwact_component *comp, u64 status,
			 u64 ext_status);
void fwact_set_fw_times(struct fwact_component *comp, u64 auth_ns,
			u64 exec_ns);
void fwact_notify(struct fwact_component *comp);

#endif /* _LINUX_FWACT_H */
