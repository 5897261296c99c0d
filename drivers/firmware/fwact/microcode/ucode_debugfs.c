// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 microcode backend's debugfs files, for tests and diagnosis:
 * revisions (every CPU's identity, revisions and last result, park role)
 * and status (the last activation's summary on one line, and which
 * firmware calls are in use). What an admin needs is in sysfs
 * (ucode_sysfs.c).
 */
#define pr_fmt(fmt) "fwact microcode: " fmt

#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/topology.h>

#include "ucode_backend.h"

const char * const ucode_result_names[UCODE_R_NR] = {
	[UCODE_R_NONE]		= "none",
	[UCODE_R_CURRENT]	= "current",
	[UCODE_R_UPDATED]	= "updated",
	[UCODE_R_SIBLING]	= "sibling",
	[UCODE_R_FAILED]	= "failed",
	[UCODE_R_FAULT]		= "fault",
	[UCODE_R_TIMEOUT]	= "timeout",
	[UCODE_R_UNPARKED]	= "unparked",
};

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
			   ucode_park_res_name(cpu));
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

/* Under the core's /sys/kernel/debug/fwact/ if it made one. */
void ucode_debugfs_init(struct ucode_backend *be)
{
	struct dentry *parent = debugfs_lookup("fwact", NULL);

	be->dir = debugfs_create_dir(parent ? "microcode" : "fwact-microcode",
				     parent);
	dput(parent);
	debugfs_create_file("revisions", 0400, be->dir, be,
			    &ucode_revisions_fops);
	debugfs_create_file("status", 0400, be->dir, be, &ucode_status_fops);
}

void ucode_debugfs_exit(struct ucode_backend *be)
{
	debugfs_remove(be->dir);
}
