/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The attributes of a component that fwactctl knows by name, with the JSON
 * type of their value, shared between "show" and "activate" (which prints
 * the last_activation/ measurements).
 */
#ifndef FWACTCTL_ATTRS_H
#define FWACTCTL_ATTRS_H

#include "fwactctl.h"

/**
 * struct fwactctl_attr - a sysfs file fwactctl knows
 * @name: file name
 * @type: how its value is typed in JSON
 */
struct fwactctl_attr {
	const char *name;
	enum fwactctl_type type;
};

/* Tables ended by an empty entry. */
extern const struct fwactctl_attr fwactctl_comp_attrs[];
extern const struct fwactctl_attr fwactctl_last_attrs[];

enum fwactctl_type fwactctl_attr_type(const struct fwactctl_attr *table,
				      const char *name);

#endif /* FWACTCTL_ATTRS_H */
