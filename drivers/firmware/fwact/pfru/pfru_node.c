// SPDX-License-Identifier: GPL-2.0
/*
 * What the two PFRU devices share about their /dev/pfru/ nodes: the
 * reference that keeps a device's state alive while a file is open after
 * the device was removed, the "gone" flag that file operations check
 * under the device lock, the rule that a platform has one device of each
 * kind, and telling the admin when another driver (the mainline
 * pfr_update or pfr_telemetry) has the device.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>

#include "pfru_node.h"

static DEFINE_MUTEX(pfru_node_claim_lock);

/**
 * pfru_node_claim() - start probing the one device of a kind
 * @plat: the platform device being probed
 * @bound: the kind's flag
 * @kind: its kind, for the log line
 * @handle: set to the device's ACPI handle
 *
 * Return: 0, with the kind claimed until pfru_node_unclaim(); -ENODEV if
 * the device has no _DSM, -EBUSY if a device of the kind is already bound
 * (and one log line).
 */
int pfru_node_claim(struct platform_device *plat, bool *bound,
		    const char *kind, acpi_handle *handle)
{
	bool was_bound;

	*handle = ACPI_HANDLE(&plat->dev);
	if (!*handle || !acpi_has_method(*handle, "_DSM")) {
		dev_err(&plat->dev, "no _DSM method\n");
		return -ENODEV;
	}
	mutex_lock(&pfru_node_claim_lock);
	was_bound = *bound;
	*bound = true;
	mutex_unlock(&pfru_node_claim_lock);
	if (was_bound) {
		dev_err(&plat->dev, "only one PFRU %s device is supported\n",
			kind);
		return -EBUSY;
	}
	return 0;
}

/**
 * __pfru_node_init() - set up the node of a device being probed
 * @node: the node, zeroed, in the device's state
 * @plat: the platform device
 * @handle: its ACPI handle, from pfru_node_claim()
 * @release: frees the device's state when the last reference is put
 * @name: name of the device lock, for lockdep
 * @key: lock class of the device lock: one per kind of device
 *
 * Use pfru_node_init(), which gives each kind its own lock class. The
 * caller holds the first reference; pfru_node_put() drops it.
 */
void __pfru_node_init(struct pfru_node *node, struct platform_device *plat,
		      acpi_handle handle,
		      void (*release)(struct pfru_node *node),
		      const char *name, struct lock_class_key *key)
{
	kref_init(&node->ref);
	__mutex_init(&node->lock, name, key);
	node->dev = &plat->dev;
	node->handle = handle;
	node->release = release;
}

/**
 * pfru_node_unclaim() - let another device of a kind be bound
 * @bound: the kind's flag, claimed with pfru_node_claim()
 *
 * After a failed probe, or when the device is removed.
 */
void pfru_node_unclaim(bool *bound)
{
	mutex_lock(&pfru_node_claim_lock);
	*bound = false;
	mutex_unlock(&pfru_node_claim_lock);
}

static int pfru_node_misc_register(struct pfru_node *node, unsigned int i,
				   const char *name, const char *nodename,
				   const struct file_operations *fops)
{
	struct miscdevice *misc = &node->misc[i].miscdev;
	int ret;

	node->misc[i].node = node;
	misc->minor = MISC_DYNAMIC_MINOR;
	misc->name = name;
	misc->nodename = nodename;
	misc->fops = fops;
	misc->parent = node->dev;
	ret = misc_register(misc);
	if (ret)
		dev_err(node->dev, "cannot register /dev/%s: %d\n",
			nodename ?: name, ret);
	return ret;
}

/**
 * pfru_node_register() - create the device's nodes
 * @node: the node
 * @name: the misc device's name of the /dev/pfru/ node
 * @nodename: its path below /dev
 * @mainline_name: the name of the mainline driver's node, both its misc
 *	device's name and its path below /dev
 * @fops: the file operations of both; their open must call
 *	pfru_node_open()
 *
 * Both nodes lead to the same device, with the same state and lifetime.
 *
 * Return: 0, or misc_register()'s error (and one log line), with neither
 * node registered.
 */
int pfru_node_register(struct pfru_node *node, const char *name,
		       const char *nodename, const char *mainline_name,
		       const struct file_operations *fops)
{
	int ret;

	ret = pfru_node_misc_register(node, 0, name, nodename, fops);
	if (ret)
		return ret;
	ret = pfru_node_misc_register(node, 1, mainline_name, NULL, fops);
	if (ret)
		misc_deregister(&node->misc[0].miscdev);
	return ret;
}

/**
 * pfru_node_deregister() - remove the device's nodes
 * @node: the node, registered with pfru_node_register()
 *
 * Once it returns no open() of either node can reach the device; files
 * already open keep their reference.
 */
void pfru_node_deregister(struct pfru_node *node)
{
	int i;

	for (i = PFRU_NODE_NAMES - 1; i >= 0; i--)
		misc_deregister(&node->misc[i].miscdev);
}

/**
 * pfru_node_open() - the node a file is being opened on
 * @file: the file, in the node's open()
 *
 * Either of the device's nodes. Takes a reference for the file, dropped
 * with pfru_node_put() in its release().
 *
 * Return: the node.
 */
struct pfru_node *pfru_node_open(struct file *file)
{
	struct pfru_node_misc *misc = container_of(file->private_data,
						   struct pfru_node_misc,
						   miscdev);
	struct pfru_node *node = misc->node;

	/* misc_open() runs under the lock misc_deregister() takes. */
	kref_get(&node->ref);
	return node;
}

static void pfru_node_release(struct kref *ref)
{
	struct pfru_node *node = container_of(ref, struct pfru_node, ref);

	node->release(node);
}

/**
 * pfru_node_put() - drop a reference to a node
 * @node: the node
 */
void pfru_node_put(struct pfru_node *node)
{
	kref_put(&node->ref, pfru_node_release);
}

/**
 * pfru_node_lock() - take the device lock for a file operation
 * @node: the node
 *
 * Never held across a user copy.
 *
 * Return: true with the lock held; false, unlocked, once the device is gone.
 */
bool pfru_node_lock(struct pfru_node *node)
{
	mutex_lock(&node->lock);
	if (!node->gone)
		return true;
	mutex_unlock(&node->lock);
	return false;
}

/**
 * pfru_node_gone() - mark the device removed
 * @node: the node, already deregistered
 *
 * Waits for the file operation holding the device lock, if any; later ones
 * find the device gone.
 */
void pfru_node_gone(struct pfru_node *node)
{
	mutex_lock(&node->lock);
	node->gone = true;
	mutex_unlock(&node->lock);
}

struct pfru_node_others {
	const char *hid;
	const char *kind;
	struct device_driver *ours;
};

static int pfru_node_report_one(struct device *dev, void *data)
{
	const struct pfru_node_others *o = data;
	struct acpi_device *adev = ACPI_COMPANION(dev);

	if (!adev || !acpi_dev_hid_uid_match(adev, o->hid, NULL))
		return 0;
	device_lock(dev);
	if (dev->driver && dev->driver != o->ours)
		pr_notice("%s is bound to %s: no fwact PFRU %s device (see Documentation/arch/x86/pfru.rst)\n",
			  dev_name(dev), dev->driver->name, o->kind);
	device_unlock(dev);
	return 0;
}

/**
 * pfru_node_report_others() - say which devices another driver has
 * @hid: the ACPI ID of the kind
 * @kind: its kind, for the log line
 * @ours: our platform driver, just registered
 *
 * A device another driver is bound to is never offered to our probe: one
 * log line for each such device names that driver.
 */
void pfru_node_report_others(const char *hid, const char *kind,
			     struct device_driver *ours)
{
	struct pfru_node_others o = { .hid = hid, .kind = kind, .ours = ours };

	bus_for_each_dev(&platform_bus_type, NULL, &o, pfru_node_report_one);
}
