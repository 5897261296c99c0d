// SPDX-License-Identifier: GPL-2.0
/*
 * fwact sysfs: /sys/firmware/fwact/<component>/ and the journal.
 *
 * Every file holds one value and is documented in
 * Documentation/ABI/testing/sysfs-firmware-fwact. Files are readable by
 * root only; every write also needs CAP_SYS_ADMIN. The store handlers parse
 * and check their input, then call into core.c, which owns the state.
 */

#define pr_fmt(fmt) "fwact: " fmt

#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "fwact-internal.h"

#define FWACT_ATTR_RO(_name)						\
	static struct kobj_attribute fwact_attr_##_name =		\
		__ATTR(_name, 0400, _name##_show, NULL)
#define FWACT_ATTR_RW(_name)						\
	static struct kobj_attribute fwact_attr_##_name =		\
		__ATTR(_name, 0600, _name##_show, _name##_store)
#define FWACT_ATTR_WO(_name)						\
	static struct kobj_attribute fwact_attr_##_name =		\
		__ATTR(_name, 0200, NULL, _name##_store)

static ssize_t name_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", fwact_kobj_to_comp(kobj)->name);
}
FWACT_ATTR_RO(name);

static ssize_t backend_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", fwact_kobj_to_comp(kobj)->desc.backend);
}
FWACT_ATTR_RO(backend);

static ssize_t current_version_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	struct fwact_info info;

	fwact_info_read(fwact_kobj_to_comp(kobj), &info);
	return sysfs_emit(buf, "%s\n", info.current_version);
}
FWACT_ATTR_RO(current_version);

static ssize_t pending_version_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	struct fwact_info info;

	fwact_info_read(fwact_kobj_to_comp(kobj), &info);
	if (!(info.flags & FWACT_F_PENDING) || !info.pending_version[0])
		return sysfs_emit(buf, "N/A\n");
	return sysfs_emit(buf, "%s\n", info.pending_version);
}
FWACT_ATTR_RO(pending_version);

static ssize_t fwact_flag_show(struct kobject *kobj, char *buf,
			       unsigned long flag)
{
	struct fwact_info info;

	fwact_info_read(fwact_kobj_to_comp(kobj), &info);
	return sysfs_emit(buf, "%d\n", !!(info.flags & flag));
}

#define FWACT_FLAG_ATTR(_name, _flag)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return fwact_flag_show(kobj, buf, _flag);			\
}									\
FWACT_ATTR_RO(_name)

FWACT_FLAG_ATTR(activation_capable, FWACT_F_CAPABLE);
FWACT_FLAG_ATTR(activation_pending, FWACT_F_PENDING);
FWACT_FLAG_ATTR(may_reset_cpu, FWACT_F_MAY_RESET_CPU);

static ssize_t cpu_rendezvous_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	struct fwact_component *comp = fwact_kobj_to_comp(kobj);

	if (fwact_program_is_none(comp))
		return sysfs_emit(buf, "0\n");
	if (comp->desc.flags & FWACT_DESC_RENDEZVOUS)
		return sysfs_emit(buf, "1\n");
	return fwact_flag_show(kobj, buf, FWACT_F_RENDEZVOUS);
}
FWACT_ATTR_RO(cpu_rendezvous);

static ssize_t force_cpu_rendezvous_show(struct kobject *kobj,
					 struct kobj_attribute *attr,
					 char *buf)
{
	struct fwact_component *comp = fwact_kobj_to_comp(kobj);

	return sysfs_emit(buf, "%d\n", READ_ONCE(comp->force_rendezvous));
}

static ssize_t force_cpu_rendezvous_store(struct kobject *kobj,
					  struct kobj_attribute *attr,
					  const char *buf, size_t count)
{
	bool force;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = kstrtobool(buf, &force);
	if (ret)
		return ret;
	ret = fwact_set_force_rendezvous(fwact_kobj_to_comp(kobj), force);
	return ret ? ret : count;
}
FWACT_ATTR_RW(force_cpu_rendezvous);

static ssize_t max_blackout_us_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	struct fwact_component *comp = fwact_kobj_to_comp(kobj);

	return sysfs_emit(buf, "%u\n", READ_ONCE(comp->budget_us));
}

static ssize_t max_blackout_us_store(struct kobject *kobj,
				     struct kobj_attribute *attr,
				     const char *buf, size_t count)
{
	u32 budget;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	/* Out of u32's range is out of the attribute's range too. */
	if (kstrtou32(buf, 0, &budget))
		return -EINVAL;
	ret = fwact_set_budget(fwact_kobj_to_comp(kobj), budget);
	return ret ? ret : count;
}
FWACT_ATTR_RW(max_blackout_us);

static ssize_t rendezvous_mode_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	struct fwact_component *comp = fwact_kobj_to_comp(kobj);
	struct fwact_info info;

	fwact_info_read(comp, &info);
	return sysfs_emit(buf, "%s\n", fwact_mode_name(comp, &info));
}
FWACT_ATTR_RO(rendezvous_mode);

static ssize_t rendezvous_context_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	struct fwact_component *comp = fwact_kobj_to_comp(kobj);

	return sysfs_emit(buf, "%s\n",
			  fwact_context_names[comp->desc.context]);
}
FWACT_ATTR_RO(rendezvous_context);

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct fwact_component *comp = fwact_kobj_to_comp(kobj);
	struct fwact_info info;

	/* Catches up with an image the firmware dropped on its own. */
	fwact_info_read(comp, &info);
	return sysfs_emit(buf, "%s\n",
			  fwact_state_names[fwact_get_state(comp)]);
}
FWACT_ATTR_RO(state);

static ssize_t last_error_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  READ_ONCE(fwact_kobj_to_comp(kobj)->last_error));
}
FWACT_ATTR_RO(last_error);

static ssize_t last_fw_status_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	struct fwact_component *comp = fwact_kobj_to_comp(kobj);
	u64 status, ext_status;
	bool valid;

	spin_lock(&comp->lock);
	valid = comp->fw_status_valid;
	status = comp->fw_status;
	ext_status = comp->fw_ext_status;
	spin_unlock(&comp->lock);
	if (!valid)
		return sysfs_emit(buf, "none\n");
	return sysfs_emit(buf, "0x%llx 0x%llx\n", status, ext_status);
}
FWACT_ATTR_RO(last_fw_status);

/*
 * The write-only triggers accept the number 1 only ("1", "0x1", with or
 * without a newline), as the kernel's microcode reload file does:
 * kstrtobool() would take "1abc" or "yes please" for a yes.
 */
static int fwact_trigger_parse(const char *buf)
{
	unsigned int val;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (kstrtouint(buf, 0, &val) || val != 1)
		return -EINVAL;
	return 0;
}

/* A trigger file: "1" runs @_op on the component. */
#define FWACT_TRIGGER_ATTR(_name, _op)					\
static ssize_t _name##_store(struct kobject *kobj,			\
			     struct kobj_attribute *attr,		\
			     const char *buf, size_t count)		\
{									\
	int ret = fwact_trigger_parse(buf);				\
									\
	if (!ret)							\
		ret = _op(fwact_kobj_to_comp(kobj));			\
	return ret ? ret : count;					\
}									\
FWACT_ATTR_WO(_name)

FWACT_TRIGGER_ATTR(activate, fwact_activate);
FWACT_TRIGGER_ATTR(cancel, fwact_cancel);
FWACT_TRIGGER_ATTR(stage, fwact_stage_upload);

/*
 * A firmware file name: relative, no ".." component, printable. The
 * firmware loader of older kernels does not refuse names that climb out of
 * the firmware directories, so we do.
 */
static bool fwact_fw_name_valid(const char *name)
{
	const char *p;

	if (!*name || *name == '/' || strlen(name) > NAME_MAX)
		return false;
	for (p = name; *p; p++)
		if (*p <= ' ' || *p > '~')
			return false;
	for (p = name; p; p = strchr(p, '/')) {
		if (*p == '/')
			p++;
		if (!strncmp(p, "..", 2) && (p[2] == '/' || !p[2]))
			return false;
	}
	return true;
}

static ssize_t stage_firmware_store(struct kobject *kobj,
				    struct kobj_attribute *attr,
				    const char *buf, size_t count)
{
	struct fwact_component *comp = fwact_kobj_to_comp(kobj);
	char *name;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	name = kstrndup(buf, count, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	strim(name);
	if (!fwact_fw_name_valid(name)) {
		pr_err_ratelimited("%s: invalid firmware file name\n", comp->name);
		ret = -EINVAL;
	} else {
		ret = fwact_stage_firmware(comp, name);
	}
	kfree(name);
	return ret ? ret : count;
}
FWACT_ATTR_WO(stage_firmware);

static ssize_t image_write(struct file *file, struct kobject *kobj,
			   const struct bin_attribute *attr, char *buf, loff_t off,
			   size_t count)
{
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = fwact_upload_write(fwact_kobj_to_comp(kobj), buf, off, count);
	return ret ? ret : count;
}

static const BIN_ATTR_WO(image, 0);

static struct attribute *fwact_component_attrs[] = {
	&fwact_attr_name.attr,
	&fwact_attr_backend.attr,
	&fwact_attr_current_version.attr,
	&fwact_attr_pending_version.attr,
	&fwact_attr_activation_capable.attr,
	&fwact_attr_activation_pending.attr,
	&fwact_attr_may_reset_cpu.attr,
	&fwact_attr_cpu_rendezvous.attr,
	&fwact_attr_force_cpu_rendezvous.attr,
	&fwact_attr_max_blackout_us.attr,
	&fwact_attr_rendezvous_mode.attr,
	&fwact_attr_rendezvous_context.attr,
	&fwact_attr_state.attr,
	&fwact_attr_last_error.attr,
	&fwact_attr_last_fw_status.attr,
	&fwact_attr_activate.attr,
	&fwact_attr_cancel.attr,
	&fwact_attr_stage.attr,
	&fwact_attr_stage_firmware.attr,
	NULL
};

/*
 * A component shows no file for an operation its backend does not provide:
 * without a stage op (the firmware gets its images another way, as LFA's
 * do), there is nothing to stage, so no stage, stage_firmware or image.
 */
static umode_t fwact_component_attr_visible(struct kobject *kobj,
					    struct attribute *attr, int n)
{
	const struct fwact_component *comp = fwact_kobj_to_comp(kobj);

	if (!comp->desc.ops->stage &&
	    (attr == &fwact_attr_stage.attr ||
	     attr == &fwact_attr_stage_firmware.attr))
		return 0;
	return attr->mode;
}

static const struct attribute_group fwact_component_group = {
	.attrs = fwact_component_attrs,
	.is_visible = fwact_component_attr_visible,
};

/*
 * The one binary file of a component is created on its own, before the
 * component's KOBJ_ADD uevent: the type of an attribute group's bin_attrs
 * array changed in Linux 6.16, sysfs_create_bin_file() did not. Like the
 * other staging files, only where the backend stages images.
 */
int fwact_sysfs_add_bin_files(struct fwact_component *comp)
{
	if (!comp->desc.ops->stage)
		return 0;
	return sysfs_create_bin_file(&comp->kobj, &bin_attr_image);
}

/* last_activation/: the measurements of the component's last activation */

#define FWACT_LAST_ATTR(_name, _field, _fmt)				\
static ssize_t last_##_name##_show(struct kobject *kobj,		\
				   struct kobj_attribute *attr,		\
				   char *buf)				\
{									\
	struct fwact_component *comp = fwact_kobj_to_comp(kobj);	\
	struct fwact_last last;						\
									\
	spin_lock(&comp->lock);						\
	last = comp->last;						\
	spin_unlock(&comp->lock);					\
	return sysfs_emit(buf, _fmt, last._field);			\
}									\
static struct kobj_attribute fwact_last_attr_##_name =			\
	__ATTR(_name, 0400, last_##_name##_show, NULL)

FWACT_LAST_ATTR(result, result, "%d\n");
FWACT_LAST_ATTR(mode, mode, "%s\n");
FWACT_LAST_ATTR(count, count, "%llu\n");
FWACT_LAST_ATTR(cpus, m.cpus, "%u\n");
FWACT_LAST_ATTR(blackout_ns, m.blackout_ns, "%llu\n");
FWACT_LAST_ATTR(arrival_skew_ns, m.arrival_skew_ns, "%llu\n");
FWACT_LAST_ATTR(irqoff_max_ns, m.irqoff_max_ns, "%llu\n");
FWACT_LAST_ATTR(irqoff_mean_ns, m.irqoff_mean_ns, "%llu\n");
FWACT_LAST_ATTR(action_ns, m.action_ns, "%llu\n");
FWACT_LAST_ATTR(fw_auth_ns, m.fw_auth_ns, "%llu\n");
FWACT_LAST_ATTR(fw_exec_ns, m.fw_exec_ns, "%llu\n");
FWACT_LAST_ATTR(failed_step, m.failed_step, "%d\n");
FWACT_LAST_ATTR(failed_cpu, m.failed_cpu, "%d\n");
FWACT_LAST_ATTR(overrun_step, m.overrun_step, "%d\n");
FWACT_LAST_ATTR(overrun_cpu, m.overrun_cpu, "%d\n");
FWACT_LAST_ATTR(version_before, version_before, "%s\n");
FWACT_LAST_ATTR(version_after, version_after, "%s\n");

static struct attribute *fwact_last_attrs[] = {
	&fwact_last_attr_result.attr,
	&fwact_last_attr_mode.attr,
	&fwact_last_attr_count.attr,
	&fwact_last_attr_cpus.attr,
	&fwact_last_attr_blackout_ns.attr,
	&fwact_last_attr_arrival_skew_ns.attr,
	&fwact_last_attr_irqoff_max_ns.attr,
	&fwact_last_attr_irqoff_mean_ns.attr,
	&fwact_last_attr_action_ns.attr,
	&fwact_last_attr_fw_auth_ns.attr,
	&fwact_last_attr_fw_exec_ns.attr,
	&fwact_last_attr_failed_step.attr,
	&fwact_last_attr_failed_cpu.attr,
	&fwact_last_attr_overrun_step.attr,
	&fwact_last_attr_overrun_cpu.attr,
	&fwact_last_attr_version_before.attr,
	&fwact_last_attr_version_after.attr,
	NULL
};

static const struct attribute_group fwact_last_group = {
	.name = "last_activation",
	.attrs = fwact_last_attrs,
};

static const struct attribute_group *fwact_component_groups[] = {
	&fwact_component_group,
	&fwact_last_group,
	NULL
};

const struct kobj_type fwact_component_ktype = {
	.release = fwact_component_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = fwact_component_groups,
};

static ssize_t journal_read(struct file *file, struct kobject *kobj,
			    const struct bin_attribute *attr, char *buf, loff_t off,
			    size_t count)
{
	return fwact_journal_read(file, buf, off, count);
}

static const BIN_ATTR_ADMIN_RO(journal, 0);

int fwact_sysfs_init(struct kset *kset)
{
	return sysfs_create_bin_file(&kset->kobj, &bin_attr_journal);
}

void fwact_sysfs_exit(struct kset *kset)
{
	sysfs_remove_bin_file(&kset->kobj, &bin_attr_journal);
	fwact_journal_exit();
}
