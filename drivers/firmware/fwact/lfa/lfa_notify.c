// SPDX-License-Identifier: GPL-2.0
/*
 * The LFA platform notification: the firmware says an image is pending
 * (not which). DEN0147 bet1 defines it for ACPI as Notify() on a device
 * of _HID "ARML0003"; for device trees the binding proposed with the
 * upstream driver is a node compatible with "arm,lfa" with one interrupt.
 * This platform driver only wires the notification to the backend's work
 * item: the images are found at module init, from the agent, whether the
 * platform describes the device or not. Its ID tables make the module load
 * where the device exists.
 */
#define pr_fmt(fmt) "fwact-lfa: " fmt

#include <linux/acpi.h>
#include <linux/init.h>
#include <linux/interrupt.h>
#include <linux/mod_devicetable.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include "lfa.h"

static irqreturn_t lfa_irq_thread(int irq, void *data)
{
	lfa_notify();
	return IRQ_HANDLED;
}

#ifdef CONFIG_ACPI
static void lfa_acpi_notify(acpi_handle handle, u32 event, void *data)
{
	lfa_notify();
}

static void lfa_acpi_detach(void *handle)
{
	/* Returns once a handler in flight has run. */
	acpi_remove_notify_handler(handle, ACPI_DEVICE_NOTIFY, lfa_acpi_notify);
}

static int lfa_acpi_attach(struct platform_device *pdev)
{
	acpi_handle handle = ACPI_HANDLE(&pdev->dev);
	acpi_status status;

	status = acpi_install_notify_handler(handle, ACPI_DEVICE_NOTIFY,
					     lfa_acpi_notify, NULL);
	if (ACPI_FAILURE(status)) {
		dev_err(&pdev->dev, "cannot install the notify handler: %s\n",
			acpi_format_exception(status));
		return -ENODEV;
	}
	dev_info(&pdev->dev, "platform notifications through ACPI Notify()\n");
	return devm_add_action_or_reset(&pdev->dev, lfa_acpi_detach, handle);
}
#else
static int lfa_acpi_attach(struct platform_device *pdev)
{
	return -ENODEV;
}
#endif

static int lfa_probe(struct platform_device *pdev)
{
	int irq, ret;

	if (has_acpi_companion(&pdev->dev))
		return lfa_acpi_attach(pdev);
	irq = platform_get_irq(pdev, 0);
	if (irq < 0)
		return irq;
	/* The work item reads the inventory: nothing to do in hard IRQ. */
	ret = devm_request_threaded_irq(&pdev->dev, irq, NULL, lfa_irq_thread,
					IRQF_ONESHOT, "fwact-lfa", NULL);
	if (ret)
		return dev_err_probe(&pdev->dev, ret, "cannot request IRQ %d\n",
				     irq);
	dev_info(&pdev->dev, "platform notifications on IRQ %d\n", irq);
	return 0;
}

static const struct acpi_device_id lfa_acpi_ids[] = {
	{ "ARML0003" },
	{}
};
MODULE_DEVICE_TABLE(acpi, lfa_acpi_ids);

static const struct of_device_id lfa_of_ids[] = {
	{ .compatible = "arm,lfa" },
	{}
};
MODULE_DEVICE_TABLE(of, lfa_of_ids);

static struct platform_driver lfa_platform_driver = {
	.driver = {
		.name = "fwact-lfa",
		.acpi_match_table = lfa_acpi_ids,
		.of_match_table = lfa_of_ids,
	},
	.probe = lfa_probe,
};

/**
 * lfa_notify_init() - bind the notification device, where there is one
 *
 * Return: 0, or the error of platform_driver_register().
 */
int __init lfa_notify_init(void)
{
	return platform_driver_register(&lfa_platform_driver);
}

/**
 * lfa_notify_exit() - unbind it; no notification arrives after it returns
 */
void lfa_notify_exit(void)
{
	platform_driver_unregister(&lfa_platform_driver);
}
