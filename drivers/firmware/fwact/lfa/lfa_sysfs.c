// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/firmware/lfa/<GUID>/: the sysfs ABI of the Linux LFA driver
 * proposed upstream (v3, Documentation/ABI/testing/sysfs-firmware-lfa),
 * backed by the image's fwact component. Every write is an operation of
 * the core, the one /sys/firmware/fwact/<GUID>/ does: activate and cancel
 * are fwact_activate() and fwact_cancel() (one state machine, one journal
 * record), force_cpu_rendezvous is the component's own setting. Reading
 * never changes state or sends a uevent; activation_pending and
 * pending_version ask the agent (GET_INVENTORY) on every read, the rest
 * is what the last inventory read found. Writes need CAP_SYS_ADMIN.
 *
 * The one LFA setting the core has no file for, auto_activate, is also
 * added to the component's fwact directory (lfa_comp_groups).
 */
#define pr_fmt(fmt) "fwact-lfa: " fmt

#include <linux/capability.h>
#include <linux/init.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "lfa.h"

static struct lfa_image *lfa_kobj_image(struct kobject *kobj)
{
	return container_of(kobj, struct lfa_image, kobj);
}

#define LFA_ATTR_RO(_name)						\
	static struct kobj_attribute lfa_attr_##_name =			\
		__ATTR(_name, 0444, lfa_##_name##_show, NULL)
#define LFA_ATTR_RW(_name)						\
	static struct kobj_attribute lfa_attr_##_name =			\
		__ATTR(_name, 0644, lfa_##_name##_show, lfa_##_name##_store)
#define LFA_ATTR_WO(_name)						\
	static struct kobj_attribute lfa_attr_##_name =			\
		__ATTR(_name, 0200, NULL, lfa_##_name##_store)

static ssize_t lfa_name_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%s\n", lfa_kobj_image(kobj)->name);
}
LFA_ATTR_RO(name);

static ssize_t lfa_current_version_show(struct kobject *kobj,
					struct kobj_attribute *attr, char *buf)
{
	char ver[LFA_VERSION_STR_LEN];
	struct lfa_inv inv;

	lfa_image_info(lfa_kobj_image(kobj), &inv);
	lfa_version_str(inv.cur, ver, sizeof(ver));
	return sysfs_emit(buf, "%s\n", ver);
}
LFA_ATTR_RO(current_version);

static ssize_t lfa_pending_version_show(struct kobject *kobj,
					struct kobj_attribute *attr, char *buf)
{
	char ver[LFA_VERSION_STR_LEN];
	struct lfa_inv inv;

	lfa_image_query(lfa_kobj_image(kobj), &inv);
	if (!(inv.flags & LFA_INV_PENDING) || !inv.pend)
		return sysfs_emit(buf, "N/A\n");
	lfa_version_str(inv.pend, ver, sizeof(ver));
	return sysfs_emit(buf, "%s\n", ver);
}
LFA_ATTR_RO(pending_version);

/* A flag of the last inventory read (@fresh: of a GET_INVENTORY now). */
static ssize_t lfa_flag_show(struct kobject *kobj, char *buf, u64 flag,
			     bool fresh, bool invert)
{
	struct lfa_image *img = lfa_kobj_image(kobj);
	struct lfa_inv inv;

	if (fresh)
		lfa_image_query(img, &inv);
	else
		lfa_image_info(img, &inv);
	return sysfs_emit(buf, "%d\n", !!(inv.flags & flag) != invert);
}

#define LFA_FLAG_ATTR(_name, _flag, _fresh, _invert)			\
static ssize_t lfa_##_name##_show(struct kobject *kobj,		\
				  struct kobj_attribute *attr, char *buf) \
{									\
	return lfa_flag_show(kobj, buf, _flag, _fresh, _invert);	\
}									\
LFA_ATTR_RO(_name)

LFA_FLAG_ATTR(activation_capable, LFA_INV_CAPABLE, false, false);
LFA_FLAG_ATTR(activation_pending, LFA_INV_PENDING, true, false);
LFA_FLAG_ATTR(may_reset_cpu, LFA_INV_MAY_RESET_CPU, false, false);
/* The inverted bit: 1 here means the firmware requires the rendezvous. */
LFA_FLAG_ATTR(cpu_rendezvous, LFA_INV_RENDEZVOUS_OPTIONAL, false, true);

/* A boolean write: CAP_SYS_ADMIN and a whole word (lfa_parse_bool()). */
static int lfa_bool_store(const char *buf, bool *val)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return lfa_parse_bool(buf, val);
}

static ssize_t lfa_force_cpu_rendezvous_show(struct kobject *kobj,
					     struct kobj_attribute *attr,
					     char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  fwact_get_force_rendezvous(lfa_kobj_image(kobj)->comp));
}

static ssize_t lfa_force_cpu_rendezvous_store(struct kobject *kobj,
					      struct kobj_attribute *attr,
					      const char *buf, size_t count)
{
	bool val;
	int ret;

	ret = lfa_bool_store(buf, &val);
	if (!ret)
		ret = fwact_set_force_rendezvous(lfa_kobj_image(kobj)->comp,
						 val);
	return ret ? ret : count;
}
LFA_ATTR_RW(force_cpu_rendezvous);

static ssize_t lfa_auto_show(struct lfa_image *img, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(img->auto_activate));
}

static ssize_t lfa_auto_store(struct lfa_image *img, const char *buf,
			      size_t count)
{
	bool val;
	int ret;

	ret = lfa_bool_store(buf, &val);
	if (ret)
		return ret;
	WRITE_ONCE(img->auto_activate, val);
	return count;
}

static ssize_t lfa_auto_activate_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	return lfa_auto_show(lfa_kobj_image(kobj), buf);
}

static ssize_t lfa_auto_activate_store(struct kobject *kobj,
				       struct kobj_attribute *attr,
				       const char *buf, size_t count)
{
	return lfa_auto_store(lfa_kobj_image(kobj), buf, count);
}
LFA_ATTR_RW(auto_activate);

/* A trigger: a true value runs @op; false or anything else is -EINVAL. */
static ssize_t lfa_trigger(struct kobject *kobj, const char *buf,
			   size_t count,
			   int (*op)(struct fwact_component *comp))
{
	bool val;
	int ret;

	ret = lfa_bool_store(buf, &val);
	if (!ret && !val)
		ret = -EINVAL;
	if (!ret)
		ret = op(lfa_kobj_image(kobj)->comp);
	return ret ? ret : count;
}

static ssize_t lfa_activate_store(struct kobject *kobj,
				  struct kobj_attribute *attr,
				  const char *buf, size_t count)
{
	return lfa_trigger(kobj, buf, count, fwact_activate);
}
LFA_ATTR_WO(activate);

static ssize_t lfa_cancel_store(struct kobject *kobj,
				struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	return lfa_trigger(kobj, buf, count, fwact_cancel);
}
LFA_ATTR_WO(cancel);

static struct attribute *lfa_image_attrs[] = {
	&lfa_attr_name.attr,
	&lfa_attr_current_version.attr,
	&lfa_attr_pending_version.attr,
	&lfa_attr_activation_capable.attr,
	&lfa_attr_activation_pending.attr,
	&lfa_attr_may_reset_cpu.attr,
	&lfa_attr_cpu_rendezvous.attr,
	&lfa_attr_force_cpu_rendezvous.attr,
	&lfa_attr_auto_activate.attr,
	&lfa_attr_activate.attr,
	&lfa_attr_cancel.attr,
	NULL
};
ATTRIBUTE_GROUPS(lfa_image);

static void lfa_image_release(struct kobject *kobj)
{
	kfree(lfa_kobj_image(kobj));
}

const struct kobj_type lfa_image_ktype = {
	.release = lfa_image_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = lfa_image_groups,
};

/* /sys/firmware/fwact/<GUID>/auto_activate: the same setting. */

static struct lfa_image *lfa_comp_image(struct kobject *kobj)
{
	return fwact_priv(fwact_from_kobj(kobj));
}

static ssize_t lfa_comp_auto_activate_show(struct kobject *kobj,
					   struct kobj_attribute *attr,
					   char *buf)
{
	return lfa_auto_show(lfa_comp_image(kobj), buf);
}

static ssize_t lfa_comp_auto_activate_store(struct kobject *kobj,
					    struct kobj_attribute *attr,
					    const char *buf, size_t count)
{
	return lfa_auto_store(lfa_comp_image(kobj), buf, count);
}

/* Root only, as every file of the fwact tree. */
static struct kobj_attribute lfa_comp_attr_auto_activate =
	__ATTR(auto_activate, 0600, lfa_comp_auto_activate_show,
	       lfa_comp_auto_activate_store);

static struct attribute *lfa_comp_attrs[] = {
	&lfa_comp_attr_auto_activate.attr,
	NULL
};

static const struct attribute_group lfa_comp_group = {
	.attrs = lfa_comp_attrs,
};

const struct attribute_group *lfa_comp_groups[] = {
	&lfa_comp_group,
	NULL
};

/**
 * lfa_sysfs_init() - create /sys/firmware/lfa/
 *
 * Return: 0, or -EEXIST (another LFA driver has it) or -ENOMEM.
 */
int __init lfa_sysfs_init(void)
{
	lfa_be.kset = kset_create_and_add("lfa", NULL, firmware_kobj);
	if (!lfa_be.kset) {
		pr_err("cannot create /sys/firmware/lfa (is another LFA driver loaded?)\n");
		return -EEXIST;
	}
	return 0;
}

/**
 * lfa_sysfs_exit() - remove /sys/firmware/lfa/, once it is empty
 */
void lfa_sysfs_exit(void)
{
	kset_unregister(lfa_be.kset);
}
