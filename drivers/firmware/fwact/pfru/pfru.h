/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces between the parts of the fwact PFRU backend: the update
 * device (pfru_update.c, ACPI INTC1080), the telemetry device
 * (pfru_telemetry.c, ACPI INTC1081), capsule validation (pfru_capsule.c)
 * and the _DSM helpers they share (pfru_dsm.c). The lifetime of the device
 * nodes is in pfru_node.h. This header is also built on the host with the
 * capsule validator, by its tests and fuzzer: it includes nothing a host
 * build lacks.
 */
#ifndef _FWACT_PFRU_H
#define _FWACT_PFRU_H

#include <linux/acpi.h>
#include <linux/types.h>
#include <linux/uuid.h>
#include <uapi/linux/pfrut.h>

struct device;

/* _DSM revisions both devices accept. */
#define PFRU_REVID_1		1
#define PFRU_REVID_2		2

/* Image types a capsule may carry; the index of the fwact component. */
enum pfru_image_type {
	PFRU_TYPE_CODE,
	PFRU_TYPE_DRIVER,
	PFRU_TYPE_NR
};

/**
 * struct pfru_capsule_info - what validation learned about a capsule
 * @type: image type (code injection or driver update)
 * @size: bytes the capsule occupies (its EFI capsule image size)
 * @image_hdr_ver: FMP image header version (1, 2 or 3)
 * @rt_ver: runtime version of the payload
 * @svn: security version number of the payload (driver update)
 */
struct pfru_capsule_info {
	enum pfru_image_type type;
	size_t size;
	u32 image_hdr_ver;
	u32 rt_ver;
	u32 svn;
};

int pfru_capsule_validate(struct device *dev, const void *data, size_t len,
			  const struct pfru_update_cap_info *cap,
			  struct pfru_capsule_info *info);

union acpi_object *pfru_dsm_eval(struct device *dev, acpi_handle handle,
				 const guid_t *guid, u32 rev, u32 func,
				 union acpi_object *argv4,
				 unsigned int min_count);
int pfru_dsm_status_errno(u32 status);
bool pfru_dsm_ints(const union acpi_object *pkg, unsigned int first,
		   unsigned int count);

int pfru_update_init(void);
void pfru_update_exit(void);
int pfru_telemetry_init(void);
void pfru_telemetry_exit(void);

#endif /* _FWACT_PFRU_H */
