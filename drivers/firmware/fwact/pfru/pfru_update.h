/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The PFRU update device's own header, shared by the files that split it
 * by concern:
 *
 *   pfru_update.c       probe and removal, the components' registration
 *   pfru_update_dsm.c   the update _DSM protocol (capabilities, buffer,
 *                       start)
 *   pfru_update_buf.c   the communication buffer: loading a validated
 *                       capsule into it and checking it is still there
 *   pfru_update_ops.c   the fwact ops and the activation step
 *   pfru_update_cdev.c  /dev/pfru/update: write, read, mmap and the ioctl
 *                       ABI
 *
 * Lock rule: pdev->node.lock serializes the communication buffer, every
 * _DSM call and the fields of &struct pfru_device; it nests inside the
 * core's per-component lock, so the ioctls release it before calling the
 * core.
 */
#ifndef _FWACT_PFRU_UPDATE_H
#define _FWACT_PFRU_UPDATE_H

#include <linux/fwact.h>
#include <linux/rwsem.h>
#include <linux/types.h>
#include <uapi/linux/pfrut.h>

#include "pfru_node.h"
#include "pfru.h"

/* Update _DSM functions. */
#define PFRU_FUNC_QUERY_UPDATE_CAP	1
#define PFRU_FUNC_QUERY_BUF		2
#define PFRU_FUNC_START			3

/* Actions of PFRU_FUNC_START. */
#define PFRU_START_STAGE		0
#define PFRU_START_ACTIVATE		1
#define PFRU_START_STAGE_ACTIVATE	2

/* Elements of the capability package; the GUIDs are 16-byte Buffers. */
#define PFRU_CAP_COUNT		11
#define PFRU_BUF_COUNT		5
#define PFRU_START_COUNT	6

/* update_cap bits: which image types the firmware can update. */
#define PFRU_CAP_CODE_INJECT	BIT(0)
#define PFRU_CAP_DRIVER_UPDATE	BIT(1)

struct pfru_device;

/**
 * struct pfru_comp - one fwact component of the update device
 * @pdev: the device
 * @comp: the registered component
 * @type: image type it updates
 * @fw_staged: the firmware holds a staged capsule of this type
 * @staged_rt: runtime version of that capsule
 * @deferred: validated for a stage+activate: the capsule is in the
 *	communication buffer and the activation stages it too
 * @deferred_gen: @pdev->load_gen when @deferred was set
 * @auth_ns: authentication time the firmware reported when staging
 */
struct pfru_comp {
	struct pfru_device *pdev;
	struct fwact_component *comp;
	enum pfru_image_type type;
	bool fw_staged;
	u32 staged_rt;
	bool deferred;
	u64 deferred_gen;
	u64 auth_ns;
};

/**
 * struct pfru_device - the update device
 * @node: /dev/pfru/update and the device's lifetime; its lock serializes
 *	the communication buffer, the _DSM calls and all of the fields below,
 *	and its gone flag is set under both that lock and @gone_sem
 * @gone_sem: held for reading by the ioctls that call the fwact core, for
 *	writing by remove
 * @rev_id: _DSM revision
 * @buf_size: size of the communication buffer when the device was probed
 * @loaded: a validated capsule is in the communication buffer
 * @loaded_type: its type
 * @loaded_len: its length
 * @load_gen: bumped by every write to the communication buffer
 * @combine_task: task running a STAGE_ACTIVATE ioctl, whose stage is
 *	folded into the activation
 * @comps: the components, indexed by &enum pfru_image_type
 */
struct pfru_device {
	struct pfru_node node;
	struct rw_semaphore gone_sem;
	u32 rev_id;
	u32 buf_size;
	bool loaded;
	enum pfru_image_type loaded_type;
	size_t loaded_len;
	u64 load_gen;
	struct task_struct *combine_task;
	struct pfru_comp comps[PFRU_TYPE_NR];
};

extern const char * const pfru_comp_names[PFRU_TYPE_NR];
extern const struct file_operations pfru_update_fops;

/* pfru_update_dsm.c */
int pfru_cap_query(struct pfru_device *pdev,
		   struct pfru_update_cap_info *cap);
int pfru_buf_query(struct pfru_device *pdev, phys_addr_t *addr, u32 *size);
int pfru_start(struct pfru_comp *pc, u32 action, u64 *auth_ns,
	       u64 *exec_ns);

/* pfru_update_buf.c */
int pfru_capsule_load(struct pfru_device *pdev, const void *data,
		      size_t len, struct pfru_capsule_info *info);
int pfru_capsule_recheck(struct pfru_comp *pc,
			 struct pfru_capsule_info *info);
int pfru_capsule_stage(struct pfru_comp *pc,
		       const struct pfru_capsule_info *info);

/* pfru_update_ops.c */
void pfru_comp_desc_fill(struct fwact_component_desc *desc);

#endif /* _FWACT_PFRU_UPDATE_H */
