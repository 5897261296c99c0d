// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 microcode backend's own files in its component's directory,
 * /sys/firmware/fwact/cpu-microcode/ (Documentation/ABI/testing/
 * sysfs-firmware-fwact-microcode): "request", which stages the CPUs'
 * standard microcode files, and "last_load/", what the last activation did
 * to the CPUs, one value per file. Root only, as the core's files; a write
 * also needs CAP_SYS_ADMIN.
 */
#define pr_fmt(fmt) "fwact microcode: " fmt

#include <linux/capability.h>
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "ucode_backend.h"

static struct ucode_backend *ucode_kobj_be(struct kobject *kobj)
{
	return fwact_priv(fwact_from_kobj(kobj));
}

static ssize_t request_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	bool val;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	ret = kstrtobool(buf, &val);
	if (ret)
		return ret;
	if (!val)
		return -EINVAL;
	ret = ucode_request_default(ucode_kobj_be(kobj));
	return ret ? ret : count;
}

static struct kobj_attribute ucode_attr_request =
	__ATTR(request, 0200, NULL, request_store);

static struct attribute *ucode_attrs[] = {
	&ucode_attr_request.attr,
	NULL
};

static const struct attribute_group ucode_group = {
	.attrs = ucode_attrs,
};

/* One field of struct ucode_last: an unsigned counter, or a bool. */
struct ucode_last_attr {
	struct kobj_attribute attr;
	size_t off;
	bool is_bool;
};

static ssize_t ucode_last_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	const struct ucode_last_attr *la =
		container_of(attr, struct ucode_last_attr, attr);
	struct ucode_backend *be = ucode_kobj_be(kobj);
	const void *field;
	unsigned int val;

	mutex_lock(&be->lock);
	field = (const u8 *)&be->last + la->off;
	val = la->is_bool ? *(const bool *)field : *(const unsigned int *)field;
	mutex_unlock(&be->lock);
	return sysfs_emit(buf, "%u\n", val);
}

static struct ucode_last_attr ucode_last_cpus = {
	__ATTR(cpus, 0400, ucode_last_show, NULL),
	offsetof(struct ucode_last, cpus),
};

static struct ucode_last_attr ucode_last_cores = {
	__ATTR(cores, 0400, ucode_last_show, NULL),
	offsetof(struct ucode_last, cores),
};

static struct ucode_last_attr ucode_last_updated = {
	__ATTR(updated, 0400, ucode_last_show, NULL),
	offsetof(struct ucode_last, updated),
};

static struct ucode_last_attr ucode_last_failed = {
	__ATTR(failed, 0400, ucode_last_show, NULL),
	offsetof(struct ucode_last, failed),
};

static struct ucode_last_attr ucode_last_parked = {
	__ATTR(parked, 0400, ucode_last_show, NULL),
	offsetof(struct ucode_last, parked),
};

static struct ucode_last_attr ucode_last_park_timeouts = {
	__ATTR(park_timeouts, 0400, ucode_last_show, NULL),
	offsetof(struct ucode_last, park_timeouts),
};

static struct ucode_last_attr ucode_last_tainted = {
	__ATTR(tainted, 0400, ucode_last_show, NULL),
	offsetof(struct ucode_last, tainted), true,
};

static struct ucode_last_attr ucode_last_unsafe = {
	__ATTR(unsafe, 0400, ucode_last_show, NULL),
	offsetof(struct ucode_last, unsafe), true,
};

static ssize_t failed_cpus_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct ucode_backend *be = ucode_kobj_be(kobj);
	ssize_t n;

	mutex_lock(&be->lock);
	n = sysfs_emit(buf, "%*pbl\n", cpumask_pr_args(be->failed));
	mutex_unlock(&be->lock);
	return n;
}

static struct kobj_attribute ucode_last_failed_cpus =
	__ATTR(failed_cpus, 0400, failed_cpus_show, NULL);

static struct attribute *ucode_last_attrs[] = {
	&ucode_last_cpus.attr.attr,
	&ucode_last_cores.attr.attr,
	&ucode_last_updated.attr.attr,
	&ucode_last_failed.attr.attr,
	&ucode_last_failed_cpus.attr,
	&ucode_last_parked.attr.attr,
	&ucode_last_park_timeouts.attr.attr,
	&ucode_last_tainted.attr.attr,
	&ucode_last_unsafe.attr.attr,
	NULL
};

static const struct attribute_group ucode_last_group = {
	.name = "last_load",
	.attrs = ucode_last_attrs,
};

const struct attribute_group *ucode_groups[] = {
	&ucode_group,
	&ucode_last_group,
	NULL
};
