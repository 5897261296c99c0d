// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 microcode backend, outside the window: read every CPU's
 * identity and revision, choose for each the newest patch of the staged
 * image it may load late (the vendors' refusals in ucode_intel.c and
 * ucode_amd.c, the min-rev rule), and copy the chosen patches for the
 * load step.
 */
#define pr_fmt(fmt) "fwact microcode: " fmt

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "ucode_backend.h"

const char *ucode_vendor_name(enum ucode_vendor vendor)
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

void ucode_cpu_identify_ipi(void *data)
{
	struct ucode_ident *arg = data;

	arg->hw->identify(arg->id);
}

/*
 * Read every online CPU's identity and revision. Called with cpus read
 * locked; the cross-call also waits for a CPU still inside a late action.
 */
int ucode_cpus_identify(struct ucode_backend *be,
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

/* The newest patch for one CPU that is newer than what it runs. */
struct ucode_pick {
	u32 sig;
	u32 pf;
	u32 rev;
	bool found;
	u32 gnr98_skipped;
	struct ucode_file_patch best;
};

static int ucode_pick_patch(void *ctx, const struct ucode_file_patch *patch)
{
	struct ucode_pick *pk = ctx;

	if (!ucode_patch_match(patch, pk->sig, pk->pf) || patch->rev <= pk->rev)
		return 0;
	if (patch->vendor == UCODE_VENDOR_INTEL &&
	    ucode_intel_gnr98_jump(pk->sig, pk->pf, pk->rev, patch->rev)) {
		pk->gnr98_skipped = max(pk->gnr98_skipped, patch->rev);
		return 0;
	}
	if (!pk->found || patch->rev > pk->best.rev) {
		pk->best = *patch;
		pk->found = true;
	}
	return 0;
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
	ret = ucode_intel_refused(cpu, &c->id);
	if (ret)
		return ret;
	ucode_walk(img, len, ucode_pick_patch, &pk, NULL);
	if (!pk.found && pk.gnr98_skipped) {
		ucode_intel_gnr98_report(cpu, c->id.rev, pk.gnr98_skipped);
		return -ENOENT;
	}
	if (!pk.found)
		return 0;
	ret = ucode_amd_sha_gate(cpu, &c->id, &pk.best, unsafe);
	if (ret)
		return ret;

	if (!ucode_patch_minrev_safe(&pk.best, c->id.rev)) {
		if (!ucode_force_minrev()) {
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
int ucode_plan(struct ucode_backend *be, const void *img, size_t len,
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

void ucode_copies_free(struct ucode_backend *be)
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
int ucode_copies_make(struct ucode_backend *be)
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

void ucode_image_drop(struct ucode_backend *be)
{
	vfree(be->image);
	be->image = NULL;
	be->image_size = 0;
	be->pending_rev = 0;
}
