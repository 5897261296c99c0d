/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lifetime of the PFRU devices' nodes in /dev/pfru/ and under the
 * mainline drivers' names (pfru_node.c), shared by the update device
 * (pfru_update.c) and the telemetry device (pfru_telemetry.c).
 */
#ifndef _FWACT_PFRU_NODE_H
#define _FWACT_PFRU_NODE_H

#include <linux/acpi.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/lockdep.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct device;
struct device_driver;
struct platform_device;

/* Each device has two nodes: /dev/pfru/<kind> and the mainline name. */
#define PFRU_NODE_NAMES		2

/**
 * struct pfru_node - a PFRU device's node in /dev/pfru/ and its lifetime
 * @ref: held by the platform device and by every open file
 * @gone: the device was removed; file operations fail with -ENODEV (set
 *	under @lock)
 * @dev: the platform device's device
 * @handle: its ACPI handle
 * @lock: the device's lock: serializes its _DSM calls and its state
 * @misc: the nodes: /dev/pfru/<kind> and the mainline driver's name
 * @release: frees the device's state after the last reference
 */
struct pfru_node {
	struct kref ref;
	bool gone;
	struct device *dev;
	acpi_handle handle;
	struct mutex lock;	/* see the kernel-doc above */
	struct pfru_node_misc {
		struct miscdevice miscdev;
		struct pfru_node *node;
	} misc[PFRU_NODE_NAMES];
	void (*release)(struct pfru_node *node);
};

int pfru_node_claim(struct platform_device *plat, bool *bound,
		    const char *kind, acpi_handle *handle);
void __pfru_node_init(struct pfru_node *node, struct platform_device *plat,
		      acpi_handle handle,
		      void (*release)(struct pfru_node *node),
		      const char *name, struct lock_class_key *key);

/*
 * Each kind of device (each caller) gets its own lock class, named after
 * its release function, so that lockdep keeps their locks apart.
 */
#define pfru_node_init(node, plat, handle, release)			\
do {									\
	static struct lock_class_key __pfru_node_key;			\
									\
	__pfru_node_init(node, plat, handle, release,			\
			 "pfru_node:" #release, &__pfru_node_key);	\
} while (0)
void pfru_node_unclaim(bool *bound);
int pfru_node_register(struct pfru_node *node, const char *name,
		       const char *nodename, const char *mainline_name,
		       const struct file_operations *fops);
void pfru_node_deregister(struct pfru_node *node);
void pfru_node_report_others(const char *hid, const char *kind,
			     struct device_driver *ours);
struct pfru_node *pfru_node_open(struct file *file);
void pfru_node_put(struct pfru_node *node);
bool pfru_node_lock(struct pfru_node *node);
void pfru_node_gone(struct pfru_node *node);

#endif /* _FWACT_PFRU_NODE_H */
