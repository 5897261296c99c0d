// SPDX-License-Identifier: GPL-2.0
/*
 * The PFRU update device (ACPI INTC1080): /dev/pfru/update, ABI-compatible
 * with the mainline pfr_update driver, and two fwact components,
 * "pfru-code" (code injection) and "pfru-driver" (driver update). A capsule
 * written to the device, or staged through the core's sysfs, is validated
 * completely before it is copied into the firmware's communication buffer;
 * staging and activating are _DSM calls to the platform's MM handler. The
 * SMI that runs the activation holds the CPUs itself, so the components'
 * program is one step of mode none. This file probes and removes the
 * device and registers its components; pfru_update.h lists the others and
 * states the lock rule.
 */
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/fwact.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/rwsem.h>
#include <linux/slab.h>

#include "pfru_update.h"

/* Only one update device exists on a platform: it owns the components. */
static bool pfru_update_bound;

static void pfru_device_release(struct pfru_node *node)
{
	kfree(container_of(node, struct pfru_device, node));
}

static void pfru_comps_unregister(struct pfru_device *pdev)
{
	int i;

	for (i = PFRU_TYPE_NR - 1; i >= 0; i--) {
		if (!IS_ERR_OR_NULL(pdev->comps[i].comp))
			fwact_unregister(pdev->comps[i].comp);
		pdev->comps[i].comp = NULL;
	}
}

static int pfru_comps_register(struct pfru_device *pdev, size_t max_size)
{
	struct fwact_component_desc desc = {
		.max_image_size = max_size,
		.owner = THIS_MODULE,
	};
	struct pfru_comp *pc;
	int i;

	pfru_comp_desc_fill(&desc);
	for (i = 0; i < PFRU_TYPE_NR; i++) {
		pc = &pdev->comps[i];
		pc->pdev = pdev;
		pc->type = i;
		desc.name = pfru_comp_names[i];
		desc.priv = pc;
		pc->comp = fwact_register(&desc);
		if (IS_ERR(pc->comp)) {
			int ret = PTR_ERR(pc->comp);

			dev_err(pdev->node.dev, "cannot register %s: %d\n",
				desc.name, ret);
			pfru_comps_unregister(pdev);
			return ret;
		}
	}
	return 0;
}

static int pfru_update_setup(struct pfru_device *pdev)
{
	phys_addr_t addr;
	u32 size;
	int ret;

	mutex_lock(&pdev->node.lock);
	ret = pfru_buf_query(pdev, &addr, &size);
	mutex_unlock(&pdev->node.lock);
	if (ret)
		return ret;
	pdev->buf_size = size;
	ret = pfru_comps_register(pdev, size);
	if (ret)
		return ret;

	ret = pfru_node_register(&pdev->node, "pfru0", "pfru/update",
				 "acpi_pfr_update0",
				 &pfru_update_fops);
	if (ret)
		pfru_comps_unregister(pdev);
	return ret;
}

/* Undoes the probe when the device goes (a devm action). */
static void pfru_update_teardown(void *data)
{
	struct pfru_device *pdev = data;

	pfru_node_deregister(&pdev->node);
	/* Wait for file operations in progress; later ones see it gone. */
	down_write(&pdev->gone_sem);
	pfru_node_gone(&pdev->node);
	pfru_comps_unregister(pdev);
	up_write(&pdev->gone_sem);
	pfru_node_unclaim(&pfru_update_bound);
	pfru_node_put(&pdev->node);
}

static int pfru_update_probe(struct platform_device *plat)
{
	acpi_handle handle;
	struct pfru_device *pdev;
	int ret;

	ret = pfru_node_claim(plat, &pfru_update_bound, "update", &handle);
	if (ret)
		return ret;
	pdev = kzalloc_obj(*pdev, GFP_KERNEL);
	if (!pdev) {
		ret = -ENOMEM;
		goto out_unclaim;
	}
	pfru_node_init(&pdev->node, plat, handle, pfru_device_release);
	init_rwsem(&pdev->gone_sem);
	pdev->rev_id = PFRU_REVID_1;
	ret = pfru_update_setup(pdev);
	if (ret) {
		pfru_node_put(&pdev->node);
		goto out_unclaim;
	}
	return devm_add_action_or_reset(&plat->dev, pfru_update_teardown, pdev);

out_unclaim:
	pfru_node_unclaim(&pfru_update_bound);
	return ret;
}

static const struct acpi_device_id pfru_update_ids[] = {
	{ "INTC1080" },
	{}
};

static struct platform_driver pfru_update_driver = {
	.driver = {
		.name = "fwact-pfru-update",
		.acpi_match_table = pfru_update_ids,
	},
	.probe = pfru_update_probe,
};

int pfru_update_init(void)
{
	int ret;

	ret = platform_driver_register(&pfru_update_driver);
	if (!ret)
		pfru_node_report_others("INTC1080", "update", &pfru_update_driver.driver);
	return ret;
}

void pfru_update_exit(void)
{
	platform_driver_unregister(&pfru_update_driver);
}
