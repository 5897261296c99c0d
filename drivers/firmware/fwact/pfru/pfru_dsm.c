// SPDX-License-Identifier: GPL-2.0
/*
 * _DSM helpers shared by the PFRU update and telemetry devices: evaluate a
 * function and check the shape of the Package it returns, and turn the
 * status the firmware reports into an errno that tells the admin what went
 * wrong (the ACPI drivers this replaces return -EBUSY for every failure).
 */
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <kunit/visibility.h>

#include "pfru.h"

/**
 * pfru_dsm_ints() - check that package elements are integers
 * @pkg: a Package
 * @first: index of the first element to check
 * @count: number of elements to check
 *
 * Return: true if @pkg has at least @first + @count elements and all of
 * those are integers.
 */
bool pfru_dsm_ints(const union acpi_object *pkg, unsigned int first,
		   unsigned int count)
{
	unsigned int i;

	if (pkg->package.count < first + count)
		return false;
	for (i = first; i < first + count; i++)
		if (pkg->package.elements[i].type != ACPI_TYPE_INTEGER)
			return false;
	return true;
}

/**
 * pfru_dsm_eval() - evaluate a _DSM function that returns a Package
 * @dev: device to log failures against
 * @handle: ACPI handle of the device
 * @guid: _DSM GUID
 * @rev: _DSM revision
 * @func: function index
 * @argv4: argument Package, or NULL for an empty one
 * @min_count: fewest elements the returned Package must have
 *
 * The first element of every Package these functions return is the status,
 * so it is checked to be an integer here.
 *
 * Return: the Package (free with ACPI_FREE()), or NULL after one log line
 * if the evaluation failed or the result has the wrong shape.
 */
union acpi_object *pfru_dsm_eval(struct device *dev, acpi_handle handle,
				 const guid_t *guid, u32 rev, u32 func,
				 union acpi_object *argv4,
				 unsigned int min_count)
{
	union acpi_object *obj;

	obj = acpi_evaluate_dsm_typed(handle, guid, rev, func, argv4,
				      ACPI_TYPE_PACKAGE);
	if (!obj) {
		dev_err_ratelimited(dev, "_DSM function %u failed or returned no package\n",
				    func);
		return NULL;
	}
	if (obj->package.count < min_count || !pfru_dsm_ints(obj, 0, 1)) {
		dev_err_ratelimited(dev, "_DSM function %u returned a malformed package (%u elements)\n",
				    func, obj->package.count);
		ACPI_FREE(obj);
		return NULL;
	}
	return obj;
}

/**
 * pfru_dsm_status_errno() - errno for a _DSM status
 * @status: &enum pfru_dsm_status value
 *
 * Return: 0 for %DSM_SUCCEED, otherwise a negative errno.
 */
int pfru_dsm_status_errno(u32 status)
{
	switch (status) {
	case DSM_SUCCEED:
		return 0;
	case DSM_FUNC_NOT_SUPPORT:
		return -EOPNOTSUPP;
	case DSM_INVAL_INPUT:
		return -EINVAL;
	case DSM_HARDWARE_ERR:
		return -EIO;
	case DSM_RETRY_SUGGESTED:
		return -EAGAIN;
	case DSM_FUNC_SPEC_ERR:
		return -EREMOTEIO;
	case DSM_UNKNOWN:
	default:
		return -EPROTO;
	}
}
EXPORT_SYMBOL_IF_KUNIT(pfru_dsm_status_errno);
