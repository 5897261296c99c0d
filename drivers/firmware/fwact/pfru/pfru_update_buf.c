// SPDX-License-Identifier: GPL-2.0
/*
 * The PFRU update device's communication buffer: a capsule is validated
 * completely (pfru_capsule.c) before it is copied into the buffer, and checked
 * to be still there, unchanged, at the point of use. Called with
 * pdev->node.lock held.
 */
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/lockdep.h>
#include <linux/mm.h>

#include "pfru_update.h"

/* Map the communication buffer; called with pdev->node.lock held. */
static void *pfru_buf_map(struct pfru_device *pdev, size_t len)
{
	phys_addr_t addr;
	void *buf;
	u32 size;
	int ret;

	ret = pfru_buf_query(pdev, &addr, &size);
	if (ret)
		return ERR_PTR(ret);
	if (len > size) {
		dev_warn_ratelimited(pdev->node.dev, "capsule rejected: %zu bytes exceed the %u-byte communication buffer\n",
				     len, size);
		return ERR_PTR(-EINVAL);
	}
	buf = memremap(addr, size, MEMREMAP_WB);
	if (!buf) {
		dev_err_ratelimited(pdev->node.dev, "cannot map the communication buffer\n");
		return ERR_PTR(-ENOMEM);
	}
	return buf;
}

/*
 * Validate @data against the firmware's current capability and copy it into
 * the communication buffer. Called with pdev->node.lock held.
 */
int pfru_capsule_load(struct pfru_device *pdev, const void *data,
		      size_t len, struct pfru_capsule_info *info)
{
	struct pfru_update_cap_info cap;
	void *buf;
	int ret;

	ret = pfru_cap_query(pdev, &cap);
	if (ret)
		return ret;
	ret = pfru_capsule_validate(pdev->node.dev, data, len, &cap, info);
	if (ret)
		return ret;
	buf = pfru_buf_map(pdev, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	memcpy(buf, data, len);
	memunmap(buf);
	pdev->loaded = true;
	pdev->loaded_type = info->type;
	pdev->loaded_len = len;
	pdev->load_gen++;
	return 0;
}

/*
 * Validate the capsule already in the communication buffer again, against
 * the capability of now (an activation may have raised the versions).
 * Called with pdev->node.lock held.
 */
int pfru_capsule_recheck(struct pfru_comp *pc,
			 struct pfru_capsule_info *info)
{
	struct pfru_device *pdev = pc->pdev;
	struct pfru_update_cap_info cap;
	void *copy, *buf;
	int ret;

	if (!pdev->loaded || pdev->loaded_type != pc->type) {
		dev_err_ratelimited(pdev->node.dev, "%s: no capsule of this type was loaded\n",
				    pfru_comp_names[pc->type]);
		return -ENODATA;
	}
	ret = pfru_cap_query(pdev, &cap);
	if (ret)
		return ret;
	copy = kvmalloc(pdev->loaded_len, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	buf = pfru_buf_map(pdev, pdev->loaded_len);
	if (IS_ERR(buf)) {
		ret = PTR_ERR(buf);
		goto out_free;
	}
	memcpy(copy, buf, pdev->loaded_len);
	memunmap(buf);
	ret = pfru_capsule_validate(pdev->node.dev, copy, pdev->loaded_len, &cap,
				    info);
out_free:
	kvfree(copy);
	return ret;
}

/* Stage in the firmware the capsule in the buffer; pdev->node.lock held. */
int pfru_capsule_stage(struct pfru_comp *pc,
		       const struct pfru_capsule_info *info)
{
	struct pfru_device *pdev = pc->pdev;
	u64 auth_ns = 0, exec_ns = 0;
	int i, ret;

	pc->deferred = false;
	if (pdev->combine_task == current) {
		/* STAGE_ACTIVATE: the activation's one call stages it. */
		pc->deferred = true;
		pc->deferred_gen = pdev->load_gen;
		pc->staged_rt = info->rt_ver;
		return 0;
	}
	ret = pfru_start(pc, PFRU_START_STAGE, &auth_ns, &exec_ns);
	if (ret)
		return ret;
	/* The firmware keeps one staged capsule: it replaced any other. */
	for (i = 0; i < PFRU_TYPE_NR; i++)
		pdev->comps[i].fw_staged = false;
	pc->fw_staged = true;
	pc->staged_rt = info->rt_ver;
	pc->auth_ns = auth_ns;
	return 0;
}
