// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/pfru/update (also /dev/acpi_pfr_update0, mainline's name): the
 * update device's file operations, ABI-compatible with mainline's
 * pfr_update: write() validates a capsule and loads it into the
 * communication buffer, read() gives the capabilities, and the ioctls of
 * <uapi/linux/pfrut.h> stage and activate it through the fwact core. Open
 * files keep the device's memory alive, and pdev->gone_sem keeps their
 * operations out once the device is removed.
 */
#include <linux/fs.h>
#include <linux/fwact.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "pfru_update.h"

static int pfru_update_open(struct inode *inode, struct file *file)
{
	file->private_data = container_of(pfru_node_open(file),
					  struct pfru_device, node);
	return 0;
}

static int pfru_update_release(struct inode *inode, struct file *file)
{
	struct pfru_device *pdev = file->private_data;

	pfru_node_put(&pdev->node);
	return 0;
}

static ssize_t pfru_update_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct pfru_device *pdev = file->private_data;
	struct pfru_capsule_info info;
	void *data;
	int ret;

	/*
	 * A capsule is firmware loaded from user space's memory, as through
	 * the firmware loader's sysfs fallback: the same LSM hooks decide,
	 * before the bytes are taken and on the whole capsule.
	 */
	ret = security_kernel_load_data(LOADING_FIRMWARE, true);
	if (ret) {
		dev_warn_ratelimited(pdev->node.dev, "capsule refused by the security policy: %d\n",
				     ret);
		return ret;
	}
	/* Bound the copy before allocating; the buffer is checked again. */
	if (!len || len > pdev->buf_size) {
		dev_warn_ratelimited(pdev->node.dev, "capsule rejected: %zu bytes, the communication buffer holds %u\n",
				     len, pdev->buf_size);
		return -EINVAL;
	}
	data = vmemdup_user(ubuf, len);
	if (IS_ERR(data))
		return PTR_ERR(data);
	ret = security_kernel_post_load_data(data, len, LOADING_FIRMWARE,
					     "pfru-capsule");
	if (ret) {
		dev_warn_ratelimited(pdev->node.dev, "capsule of %zu bytes refused by the security policy: %d\n",
				     len, ret);
		goto out_free;
	}
	ret = -ENODEV;
	if (pfru_node_lock(&pdev->node)) {
		ret = pfru_capsule_load(pdev, data, len, &info);
		mutex_unlock(&pdev->node.lock);
	}
out_free:
	kvfree(data);
	return ret ?: len;
}

static int pfru_cap_get(struct pfru_device *pdev,
			struct pfru_update_cap_info *cap)
{
	int ret;

	if (!pfru_node_lock(&pdev->node))
		return -ENODEV;
	ret = pfru_cap_query(pdev, cap);
	mutex_unlock(&pdev->node.lock);
	return ret;
}

static ssize_t pfru_update_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct pfru_device *pdev = file->private_data;
	struct pfru_update_cap_info cap;
	int ret;

	if (*ppos >= sizeof(cap))
		return 0;
	ret = pfru_cap_get(pdev, &cap);
	if (ret)
		return ret;
	return simple_read_from_buffer(ubuf, count, ppos, &cap, sizeof(cap));
}

/* The component a STAGE/STAGE_ACTIVATE of the loaded capsule is for. */
static struct pfru_comp *pfru_loaded_comp(struct pfru_device *pdev)
{
	struct pfru_comp *pc = NULL;

	mutex_lock(&pdev->node.lock);
	if (pdev->loaded)
		pc = &pdev->comps[pdev->loaded_type];
	mutex_unlock(&pdev->node.lock);
	if (!pc)
		dev_err_ratelimited(pdev->node.dev, "no capsule loaded\n");
	return pc;
}

/* The component an ACTIVATE is for: the one the firmware holds. */
static struct pfru_comp *pfru_staged_comp(struct pfru_device *pdev)
{
	struct pfru_comp *pc = &pdev->comps[PFRU_TYPE_CODE];
	int i;

	mutex_lock(&pdev->node.lock);
	for (i = 0; i < PFRU_TYPE_NR; i++)
		if (pdev->comps[i].fw_staged || pdev->comps[i].deferred)
			pc = &pdev->comps[i];
	mutex_unlock(&pdev->node.lock);
	return pc;
}

static int pfru_ioctl_stage_activate(struct pfru_device *pdev)
{
	struct pfru_comp *pc = pfru_loaded_comp(pdev);
	int ret;

	if (!pc)
		return -ENODATA;
	mutex_lock(&pdev->node.lock);
	pdev->combine_task = current;
	mutex_unlock(&pdev->node.lock);
	ret = fwact_stage(pc->comp, NULL, 0);
	mutex_lock(&pdev->node.lock);
	pdev->combine_task = NULL;
	mutex_unlock(&pdev->node.lock);
	if (ret)
		return ret;
	return fwact_activate(pc->comp);
}

/*
 * The ioctls that go through the fwact core. They copy nothing from or to
 * user space, so they may hold gone_sem: remove waits for them before it
 * unregisters the components.
 */
static int pfru_ioctl_fwact(struct pfru_device *pdev, unsigned int cmd)
{
	struct pfru_comp *pc;
	int ret;

	down_read(&pdev->gone_sem);
	if (pdev->node.gone) {
		ret = -ENODEV;
	} else if (cmd == PFRU_IOC_STAGE) {
		pc = pfru_loaded_comp(pdev);
		ret = pc ? fwact_stage(pc->comp, NULL, 0) : -ENODATA;
	} else if (cmd == PFRU_IOC_ACTIVATE) {
		ret = fwact_activate(pfru_staged_comp(pdev)->comp);
	} else {
		ret = pfru_ioctl_stage_activate(pdev);
	}
	up_read(&pdev->gone_sem);
	return ret;
}

static int pfru_ioctl_set_rev(struct pfru_device *pdev, void __user *argp)
{
	unsigned int rev;

	if (copy_from_user(&rev, argp, sizeof(rev)))
		return -EFAULT;
	if (rev != PFRU_REVID_1 && rev != PFRU_REVID_2) {
		dev_warn_ratelimited(pdev->node.dev, "invalid _DSM revision %u\n", rev);
		return -EINVAL;
	}
	if (!pfru_node_lock(&pdev->node))
		return -ENODEV;
	pdev->rev_id = rev;
	mutex_unlock(&pdev->node.lock);
	return 0;
}

static long pfru_update_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct pfru_device *pdev = file->private_data;
	void __user *argp = (void __user *)arg;
	struct pfru_update_cap_info cap;
	int ret;

	switch (cmd) {
	case PFRU_IOC_QUERY_CAP:
		ret = pfru_cap_get(pdev, &cap);
		if (!ret && copy_to_user(argp, &cap, sizeof(cap)))
			ret = -EFAULT;
		return ret;
	case PFRU_IOC_SET_REV:
		return pfru_ioctl_set_rev(pdev, argp);
	case PFRU_IOC_STAGE:
	case PFRU_IOC_ACTIVATE:
	case PFRU_IOC_STAGE_ACTIVATE:
		return pfru_ioctl_fwact(pdev, cmd);
	default:
		return -ENOTTY;
	}
}

const struct file_operations pfru_update_fops = {
	.owner = THIS_MODULE,
	.open = pfru_update_open,
	.release = pfru_update_release,
	.read = pfru_update_read,
	.write = pfru_update_write,
	.unlocked_ioctl = pfru_update_ioctl,
	.llseek = default_llseek,
};
