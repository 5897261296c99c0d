// SPDX-License-Identifier: GPL-2.0
/*
 * fwact firmware upload: /sys/class/firmware/<component>/.
 *
 * On kernels with CONFIG_FW_UPLOAD every component whose backend stages
 * images given as bytes (it has a stage op) is also registered with the
 * kernel's firmware upload framework (drivers/base/firmware_loader/
 * sysfs_upload.c), so that the generic tools that drive ``loading``,
 * ``data``, ``status``, ``error``, ``remaining_size`` and ``cancel`` can
 * update it. The framework owns those files and runs the upload in its
 * worker; this file only maps its ops onto the core's state machine:
 *
 * - prepare: the size and the security policy are checked and an upload
 *   while another operation runs is refused (fwact_fw_upload_begin());
 * - write: the image is already in the framework's buffer, taken whole;
 * - poll_complete: the image is staged through the same path as one
 *   written to the component's ``image`` file, and activated too when the
 *   backend set FWACT_DESC_UPLOAD_ACTIVATE (fwact_fw_upload_stage());
 * - cancel: flags the upload; the core acts on it at its next step.
 */

#define pr_fmt(fmt) "fwact: " fmt

#include <linux/err.h>
#include <linux/firmware.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "fwact-internal.h"

/**
 * struct fwact_fw_upload - one component's firmware upload
 * @comp: the component
 * @fwl: what firmware_upload_register() returned
 * @data: the image being uploaded, in the framework's buffer; set by
 *	prepare, valid until cleanup (the framework frees it after)
 * @size: its size
 *
 * @data and @size are used by the framework's worker only, one upload at
 * a time, so they need no lock.
 */
struct fwact_fw_upload {
	struct fwact_component *comp;
	struct fw_upload *fwl;
	const u8 *data;
	u32 size;
};

/* The core's errno as the closest of fw_upload's error codes. */
static enum fw_upload_err fwact_fw_upload_err(int err)
{
	switch (err) {
	case 0:
		return FW_UPLOAD_ERR_NONE;
	case -ECANCELED:
		return FW_UPLOAD_ERR_CANCELED;
	case -EBUSY:
		return FW_UPLOAD_ERR_BUSY;
	case -EFBIG:
	case -ENODATA:
		return FW_UPLOAD_ERR_INVALID_SIZE;
	case -EINVAL:
	case -EBADMSG:
	case -ENOEXEC:
	case -EKEYREJECTED:
	case -EPERM:
	case -EACCES:
		return FW_UPLOAD_ERR_FW_INVALID;
	case -ETIMEDOUT:
		return FW_UPLOAD_ERR_TIMEOUT;
	case -EIO:
	case -ENOMEM:
		return FW_UPLOAD_ERR_RW_ERROR;
	default:
		return FW_UPLOAD_ERR_HW_ERROR;
	}
}

static enum fw_upload_err fwact_fw_upload_prepare(struct fw_upload *fwl,
						  const u8 *data, u32 size)
{
	struct fwact_fw_upload *up = fwl->dd_handle;
	struct fwact_component *comp = up->comp;
	int ret;

	if (size > comp->desc.max_image_size) {
		pr_err_ratelimited("%s: uploaded image of %u bytes is larger than the %zu allowed\n",
				   comp->name, size, comp->desc.max_image_size);
		ret = -EFBIG;
	} else if (fwact_fw_upload_cancelled(comp)) {
		ret = -ECANCELED;
	} else {
		ret = fwact_fw_upload_begin(comp);
	}
	if (ret) {
		/* No cleanup follows a failed prepare. */
		fwact_fw_upload_cancel_set(comp, false);
		return fwact_fw_upload_err(ret);
	}
	up->data = data;
	up->size = size;
	return FW_UPLOAD_ERR_NONE;
}

static enum fw_upload_err fwact_fw_upload_write(struct fw_upload *fwl,
						const u8 *data, u32 offset,
						u32 size, u32 *written)
{
	struct fwact_fw_upload *up = fwl->dd_handle;

	if (fwact_fw_upload_cancelled(up->comp))
		return FW_UPLOAD_ERR_CANCELED;
	/* The image is handed on whole in poll_complete. */
	*written = size;
	return FW_UPLOAD_ERR_NONE;
}

static enum fw_upload_err fwact_fw_upload_poll_complete(struct fw_upload *fwl)
{
	struct fwact_fw_upload *up = fwl->dd_handle;

	return fwact_fw_upload_err(fwact_fw_upload_stage(up->comp, up->data,
							 up->size));
}

/*
 * Called by the framework with its own lock held, from the ``cancel`` file
 * and from firmware_upload_unregister(): only flag it, under the
 * component's spinlock. The upload stops at its next step; an operation
 * running then (a backend's stage, an activation's prepare) is never cut
 * short, but its result is undone (see fwact_fw_upload_stage()).
 */
static void fwact_fw_upload_cancel(struct fw_upload *fwl)
{
	struct fwact_fw_upload *up = fwl->dd_handle;

	fwact_fw_upload_cancel_set(up->comp, true);
}

/*
 * The upload is over: forget its cancel. The framework calls cancel only
 * while an upload is in progress, so one that comes after this stops the
 * next upload at the latest: it errs on the safe side.
 */
static void fwact_fw_upload_cleanup(struct fw_upload *fwl)
{
	struct fwact_fw_upload *up = fwl->dd_handle;

	up->data = NULL;
	up->size = 0;
	fwact_fw_upload_cancel_set(up->comp, false);
}

static const struct fw_upload_ops fwact_fw_upload_ops = {
	.prepare = fwact_fw_upload_prepare,
	.write = fwact_fw_upload_write,
	.poll_complete = fwact_fw_upload_poll_complete,
	.cancel = fwact_fw_upload_cancel,
	.cleanup = fwact_fw_upload_cleanup,
};

/**
 * fwact_fw_upload_register() - create /sys/class/firmware/<name>/
 * @comp: the component, its sysfs files already in place
 *
 * Only for a component with a stage op. The framework pins the module it
 * is given for as long as the directory exists: that is fwact's own, which
 * its backends pin anyway; the backend's module is pinned only while one
 * of its ops runs (fwact_op_begin()), so it can still be unloaded.
 *
 * Return: 0 or the framework's error (-EEXIST for a name it has already).
 */
int fwact_fw_upload_register(struct fwact_component *comp)
{
	struct fwact_fw_upload *up;
	struct fw_upload *fwl;

	if (!comp->desc.ops->stage)
		return 0;
	up = kzalloc_obj(*up, GFP_KERNEL);
	if (!up)
		return -ENOMEM;
	up->comp = comp;
	fwl = firmware_upload_register(THIS_MODULE, comp->desc.upload_parent,
				       comp->desc.upload_name ?: comp->name,
				       &fwact_fw_upload_ops, up);
	if (IS_ERR(fwl)) {
		pr_err("%s: cannot register for firmware upload: %ld\n",
		       comp->name, PTR_ERR(fwl));
		kfree(up);
		return PTR_ERR(fwl);
	}
	up->fwl = fwl;
	comp->fw_upload = up;
	return 0;
}

/**
 * fwact_fw_upload_unregister() - remove /sys/class/firmware/<name>/
 * @comp: the component
 *
 * Called first in fwact_unregister(), with no fwact lock held: the
 * framework cancels an upload in progress and waits for its worker, which
 * may be in fwact_fw_upload_stage() and take the component's op_lock and
 * the activation lock. The operation runs to its end (its result undone
 * if it staged an image); then nothing of the upload refers to @comp.
 */
void fwact_fw_upload_unregister(struct fwact_component *comp)
{
	struct fwact_fw_upload *up = comp->fw_upload;

	if (!up)
		return;
	firmware_upload_unregister(up->fwl);
	comp->fw_upload = NULL;
	kfree(up);
}
