// SPDX-License-Identifier: GPL-2.0
/*
 * The PFRU update device's _DSM protocol: the firmware's update
 * capabilities, where its communication buffer is, and starting a stage,
 * an activation or both. Every call is made with pdev->node.lock held.
 */
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/ioport.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/uuid.h>

#include "pfru_update.h"

static const guid_t pfru_dsm_guid =
	GUID_INIT(0xecf9533b, 0x4a3c, 0x4e89,
		  0x93, 0x9e, 0xc7, 0x71, 0x12, 0x60, 0x1c, 0x6d);

static union acpi_object *pfru_update_dsm(struct pfru_device *pdev, u32 func,
					  union acpi_object *argv4,
					  unsigned int min_count)
{
	return pfru_dsm_eval(pdev->node.dev, pdev->node.handle, &pfru_dsm_guid,
			     pdev->rev_id, func, argv4, min_count);
}

static int pfru_update_status(struct pfru_device *pdev, const char *what,
			      u32 status, u32 ext_status)
{
	int ret = pfru_dsm_status_errno(status);

	if (ret)
		dev_err_ratelimited(pdev->node.dev, "%s: firmware status %u, extended status %#x (%d)\n",
				    what, status, ext_status, ret);
	return ret;
}

static int pfru_cap_buffer_copy(const union acpi_object *obj, u8 *dst)
{
	if (obj->type != ACPI_TYPE_BUFFER || obj->buffer.length > 16)
		return -EIO;
	memset(dst, 0, 16);
	memcpy(dst, obj->buffer.pointer, obj->buffer.length);
	return 0;
}

static int pfru_cap_parse(struct pfru_device *pdev, const union acpi_object *pkg,
			  struct pfru_update_cap_info *cap)
{
	const union acpi_object *el = pkg->package.elements;

	if (!pfru_dsm_ints(pkg, 0, 2) || !pfru_dsm_ints(pkg, 3, 2) ||
	    !pfru_dsm_ints(pkg, 6, 2) ||
	    pfru_cap_buffer_copy(&el[2], cap->code_type) ||
	    pfru_cap_buffer_copy(&el[5], cap->drv_type) ||
	    pfru_cap_buffer_copy(&el[8], cap->platform_id) ||
	    pfru_cap_buffer_copy(&el[9], cap->oem_id) ||
	    el[10].type != ACPI_TYPE_BUFFER) {
		dev_err_ratelimited(pdev->node.dev, "capability query returned malformed elements\n");
		return -EIO;
	}
	cap->status = el[0].integer.value;
	cap->update_cap = el[1].integer.value;
	cap->fw_version = el[3].integer.value;
	cap->code_rt_version = el[4].integer.value;
	cap->drv_rt_version = el[6].integer.value;
	cap->drv_svn = el[7].integer.value;
	cap->oem_info_len = el[10].buffer.length;
	return 0;
}

/* Called with pdev->node.lock held. */
int pfru_cap_query(struct pfru_device *pdev,
		   struct pfru_update_cap_info *cap)
{
	union acpi_object *pkg;
	int ret;

	memset(cap, 0, sizeof(*cap));
	pkg = pfru_update_dsm(pdev, PFRU_FUNC_QUERY_UPDATE_CAP, NULL,
			      PFRU_CAP_COUNT);
	if (!pkg)
		return -EIO;
	ret = pfru_cap_parse(pdev, pkg, cap);
	ACPI_FREE(pkg);
	if (ret)
		return ret;
	return pfru_update_status(pdev, "capability query", cap->status, 0);
}

/* Called with pdev->node.lock held. */
int pfru_buf_query(struct pfru_device *pdev, phys_addr_t *addr,
		   u32 *size)
{
	const union acpi_object *el;
	union acpi_object *pkg;
	u64 lo, hi;
	int ret;

	pkg = pfru_update_dsm(pdev, PFRU_FUNC_QUERY_BUF, NULL, PFRU_BUF_COUNT);
	if (!pkg)
		return -EIO;
	el = pkg->package.elements;
	if (!pfru_dsm_ints(pkg, 0, PFRU_BUF_COUNT)) {
		dev_err_ratelimited(pdev->node.dev, "buffer query returned malformed elements\n");
		ret = -EIO;
		goto out_free;
	}
	ret = pfru_update_status(pdev, "buffer query", el[0].integer.value,
				 el[1].integer.value);
	if (ret)
		goto out_free;
	lo = el[2].integer.value & U32_MAX;
	hi = el[3].integer.value & U32_MAX;
	*addr = (phys_addr_t)(hi << 32 | lo);
	*size = el[4].integer.value;
	/* Firmware memory must never be the kernel's own RAM. */
	if (!*addr || !*size ||
	    region_intersects(*addr, *size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		dev_err_ratelimited(pdev->node.dev, "communication buffer %pa+%#x is not reserved memory\n",
				    addr, *size);
		ret = -EIO;
	}
out_free:
	ACPI_FREE(pkg);
	return ret;
}

/*
 * Run a PFRU_FUNC_START action. Reports the firmware's status to @pc's
 * component on failure; returns the times it reported in nanoseconds.
 * Called with pdev->node.lock held.
 */
int pfru_start(struct pfru_comp *pc, u32 action, u64 *auth_ns,
	       u64 *exec_ns)
{
	static const char * const names[] = {
		[PFRU_START_STAGE] = "stage",
		[PFRU_START_ACTIVATE] = "activate",
		[PFRU_START_STAGE_ACTIVATE] = "stage+activate",
	};
	struct pfru_device *pdev = pc->pdev;
	union acpi_object arg = {}, argv4 = {};
	const union acpi_object *el;
	union acpi_object *pkg;
	u32 status, ext;
	int ret;

	arg.type = ACPI_TYPE_INTEGER;
	arg.integer.value = action;
	argv4.type = ACPI_TYPE_PACKAGE;
	argv4.package.count = 1;
	argv4.package.elements = &arg;
	pkg = pfru_update_dsm(pdev, PFRU_FUNC_START, &argv4, PFRU_START_COUNT);
	if (!pkg)
		return -EIO;
	if (!pfru_dsm_ints(pkg, 0, PFRU_START_COUNT)) {
		dev_err_ratelimited(pdev->node.dev, "%s returned malformed elements\n",
				    names[action]);
		ret = -EIO;
		goto out_free;
	}
	el = pkg->package.elements;
	status = el[0].integer.value;
	ext = el[1].integer.value;
	ret = pfru_update_status(pdev, names[action], status, ext);
	if (ret) {
		fwact_set_fw_status(pc->comp, status, ext);
		goto out_free;
	}
	/* Each half is a 32-bit quantity; the times are in nanoseconds. */
	*auth_ns = (el[3].integer.value & U32_MAX) << 32 |
		   (el[2].integer.value & U32_MAX);
	*exec_ns = (el[5].integer.value & U32_MAX) << 32 |
		   (el[4].integer.value & U32_MAX);
	dev_dbg(pdev->node.dev, "%s: auth %llu ns, exec %llu ns\n", names[action],
		*auth_ns, *exec_ns);
out_free:
	ACPI_FREE(pkg);
	return ret;
}
