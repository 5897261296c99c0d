// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 microcode backend: the patches fwact loaded, kept so that a CPU
 * that comes online later, or the boot CPU at resume, runs what the
 * others run (or the component says it is out of date).
 */
#define pr_fmt(fmt) "fwact microcode: " fmt

#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/kernel.h>
#include <linux/smp.h>
#include <linux/syscore_ops.h>
#include <linux/vmalloc.h>
#include <asm/processor.h>

#include "ucode_backend.h"

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
void ucode_kept_update(struct ucode_backend *be)
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

void ucode_kept_drop(struct ucode_backend *be)
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

/* Nothing is kept yet: no callback to run for the CPUs online now. */
int ucode_kept_init(struct ucode_backend *be)
{
	int ret;

	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN,
					"fwact/microcode:online",
					ucode_cpu_online, NULL);
	if (ret < 0)
		return ret;
	be->hp_state = ret;
	register_syscore(&ucode_syscore);
	return 0;
}

void ucode_kept_exit(struct ucode_backend *be)
{
	unregister_syscore(&ucode_syscore);
	cpuhp_remove_state_nocalls(be->hp_state);
}
