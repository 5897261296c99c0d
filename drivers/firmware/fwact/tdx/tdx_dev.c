// SPDX-License-Identifier: GPL-2.0
/*
 * The fwact TDX backend's files besides the core's:
 *
 * - in /sys/firmware/fwact/tdx-module/: ``seamldr_version``,
 *   ``num_remaining_updates`` (live SEAMLDR.INFO queries, admin only, as
 *   the kernel's), ``td_preserving`` and ``module_state``;
 * - /sys/devices/tdx/, the kernel's ABI for tools written for Linux 7.2:
 *   ``version``, ``seamldr_version`` and ``num_remaining_updates`` as in
 *   Documentation/ABI/testing/sysfs-devices-faux-tdx-host, the firmware
 *   upload directory ``firmware/tdx_module/`` (the core's, on kernels with
 *   CONFIG_FW_UPLOAD), and ``update``: write a whole signed image and it
 *   is checked, staged and activated; the write that completes the image
 *   returns the activation's result.
 *
 * All of them lead to the same component, checks and journal. None takes
 * &tdx_be.lock: detach removes them (draining their callers) while holding
 * it.
 */
#include <linux/device.h>
#include <linux/fwact.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "tdx_main.h"

/*
 * SEAMLDR.INFO is read live, for root only, in both directories: the
 * attribute's name says which field.
 */
static ssize_t tdx_ldr_emit(const struct attribute *attr, char *buf)
{
	struct tdx_seamldr ldr;
	int ret = fwact_tdx_seamldr_info(&fwact_tdx, &ldr);

	if (ret)
		return ret;
	if (!strcmp(attr->name, "num_remaining_updates"))
		return sysfs_emit(buf, "%u\n", ldr.remaining);
	return sysfs_emit(buf, "%u.%u.%02u\n", ldr.major, ldr.minor,
			  ldr.update);
}

static ssize_t tdx_comp_ldr_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return tdx_ldr_emit(&attr->attr, buf);
}

static ssize_t tdx_dev_ldr_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return tdx_ldr_emit(&attr->attr, buf);
}

static struct kobj_attribute tdx_comp_seamldr_version =
	__ATTR(seamldr_version, 0400, tdx_comp_ldr_show, NULL);
static struct kobj_attribute tdx_comp_num_remaining_updates =
	__ATTR(num_remaining_updates, 0400, tdx_comp_ldr_show, NULL);
static struct device_attribute tdx_dev_seamldr_version =
	__ATTR(seamldr_version, 0400, tdx_dev_ldr_show, NULL);
static struct device_attribute tdx_dev_num_remaining_updates =
	__ATTR(num_remaining_updates, 0400, tdx_dev_ldr_show, NULL);

/* /sys/firmware/fwact/tdx-module/ */

static ssize_t td_preserving_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	struct tdx_be *be = fwact_priv(fwact_from_kobj(kobj));

	return sysfs_emit(buf, "%d\n",
			  !!(READ_ONCE(be->mod.features0) &
			     TDX_FEATURES0_TD_PRESERVING));
}

static ssize_t module_state_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	struct tdx_be *be = fwact_priv(fwact_from_kobj(kobj));

	return sysfs_emit(buf, "%s\n", READ_ONCE(be->lost) ? "lost" : "running");
}

static struct kobj_attribute tdx_comp_td_preserving = __ATTR_RO(td_preserving);
static struct kobj_attribute tdx_comp_module_state = __ATTR_RO(module_state);

static struct attribute *tdx_comp_attrs[] = {
	&tdx_comp_seamldr_version.attr,
	&tdx_comp_num_remaining_updates.attr,
	&tdx_comp_td_preserving.attr,
	&tdx_comp_module_state.attr,
	NULL
};

static const struct attribute_group tdx_comp_group = {
	.attrs = tdx_comp_attrs,
};

const struct attribute_group *fwact_tdx_comp_groups[] = {
	&tdx_comp_group,
	NULL
};

/* /sys/devices/tdx/ */

static ssize_t version_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct tdx_be *be = &fwact_tdx;
	struct tdx_module mod;
	int ret;

	if (READ_ONCE(be->lost))
		return -ENXIO;
	ret = fwact_tdx_module_read(&mod);
	if (ret)
		return -ENXIO;
	return sysfs_emit(buf, "%u.%u.%02u\n", mod.major, mod.minor,
			  mod.update);
}
static DEVICE_ATTR_RO(version);

/*
 * update: the image arrives in pieces (sysfs hands a write over in pages);
 * it is whole when it is as long as its header says, and the write that
 * completes it installs it. A write at offset 0 starts a new image (an
 * incomplete one is dropped: sysfs tells no one when a writer closes);
 * one that would leave a hole is refused and changes nothing; while an
 * image is being installed every other write gets -EBUSY at once, as a
 * second activation does. Concurrent writers only wait for each other's
 * copy of a page, so the one whose write completes the image installs
 * it and the other fails (-EBUSY, or -EINVAL for the hole its next write
 * would leave): never both.
 */
static ssize_t update_write(struct file *file, struct kobject *kobj,
			    const struct bin_attribute *attr, char *buf,
			    loff_t off, size_t count)
{
	struct tdx_be *be = &fwact_tdx;
	size_t want;
	ssize_t ret;

	if (off < 0 || off > TDX_IMAGE_MAX_SIZE ||
	    count > TDX_IMAGE_MAX_SIZE - off) {
		pr_err_ratelimited("fwact-tdx: update: image larger than %lu bytes\n",
				   TDX_IMAGE_MAX_SIZE);
		return -EFBIG;
	}
	if (mutex_lock_interruptible(&be->upd_lock))
		return -EINTR;
	if (be->upd_installing) {
		ret = -EBUSY;
		goto out;
	}
	if (off == 0)
		be->upd_len = 0;
	if (off != be->upd_len) {
		pr_err_ratelimited("fwact-tdx: update: write at %lld leaves a hole after %zu bytes\n",
				   off, be->upd_len);
		ret = -EINVAL;
		goto out;
	}
	if (!be->upd_buf) {
		be->upd_buf = kvmalloc(TDX_IMAGE_MAX_SIZE, GFP_KERNEL);
		if (!be->upd_buf) {
			ret = -ENOMEM;
			goto out_drop;
		}
	}
	memcpy(be->upd_buf + off, buf, count);
	be->upd_len = off + count;
	ret = count;
	if (be->upd_len < TDX_IMAGE_PAGE_SIZE)
		goto out;

	want = tdx_image_declared_size(be->upd_buf, be->upd_len);
	if (!want || want > TDX_IMAGE_MAX_SIZE || be->upd_len > want) {
		pr_err_ratelimited("fwact-tdx: update: not a TDX module image, or longer than its header says\n");
		ret = -EINVAL;
		goto out_drop;
	}
	if (be->upd_len == want) {
		int err;

		/* Not under upd_lock: other writers fail at once. */
		be->upd_installing = true;
		mutex_unlock(&be->upd_lock);
		err = fwact_install(be->comp, be->upd_buf, want);
		mutex_lock(&be->upd_lock);
		be->upd_installing = false;
		if (err)
			ret = err;
		goto out_drop;
	}
out:
	mutex_unlock(&be->upd_lock);
	return ret;

out_drop:
	be->upd_len = 0;
	mutex_unlock(&be->upd_lock);
	return ret;
}

static const BIN_ATTR_WO(update, 0);

static struct attribute *tdx_dev_attrs[] = {
	&dev_attr_version.attr,
	&tdx_dev_seamldr_version.attr,
	&tdx_dev_num_remaining_updates.attr,
	NULL
};

/* update is added on its own: bin_attrs changed type in Linux 6.13. */
static const struct attribute_group tdx_dev_group = {
	.attrs = tdx_dev_attrs,
};

/**
 * fwact_tdx_dev_add() - create the files of /sys/devices/tdx/
 * @be: the backend, with its device and component
 *
 * Return: 0 or the error of sysfs.
 */
int fwact_tdx_dev_add(struct tdx_be *be)
{
	int ret;

	ret = sysfs_create_group(&be->dev->kobj, &tdx_dev_group);
	if (ret)
		return ret;
	ret = sysfs_create_bin_file(&be->dev->kobj, &bin_attr_update);
	if (ret)
		sysfs_remove_group(&be->dev->kobj, &tdx_dev_group);
	return ret;
}

/**
 * fwact_tdx_dev_remove_files() - remove them, waiting for their callers
 * @be: the backend
 */
void fwact_tdx_dev_remove_files(struct tdx_be *be)
{
	sysfs_remove_bin_file(&be->dev->kobj, &bin_attr_update);
	sysfs_remove_group(&be->dev->kobj, &tdx_dev_group);
}

/**
 * fwact_tdx_dev_remove() - free what the files kept
 * @be: the backend, its files removed
 */
void fwact_tdx_dev_remove(struct tdx_be *be)
{
	mutex_lock(&be->upd_lock);
	be->upd_len = 0;
	mutex_unlock(&be->upd_lock);
}
