// SPDX-License-Identifier: GPL-2.0
/*
 * Module glue of the fwact PFRU backend: one module holding the platform
 * drivers of the update device (ACPI INTC1080) and of the telemetry device
 * (ACPI INTC1081), with one ACPI ID table so that either device loads it.
 */
#include <linux/acpi.h>
#include <linux/module.h>

#include "pfru.h"

static const struct acpi_device_id pfru_module_ids[] = {
	{ "INTC1080" },
	{ "INTC1081" },
	{}
};
MODULE_DEVICE_TABLE(acpi, pfru_module_ids);

static int __init pfru_module_init(void)
{
	int ret;

	ret = pfru_update_init();
	if (ret)
		return ret;
	ret = pfru_telemetry_init();
	if (ret)
		goto out_update_exit;
	return 0;

out_update_exit:
	pfru_update_exit();
	return ret;
}
module_init(pfru_module_init);

static void __exit pfru_module_exit(void)
{
	pfru_telemetry_exit();
	pfru_update_exit();
}
module_exit(pfru_module_exit);

MODULE_DESCRIPTION("fwact backend for Intel Platform Firmware Runtime Update and Telemetry");
MODULE_LICENSE("GPL");
