// SPDX-License-Identifier: GPL-2.0
/*
 * The PFRU update device (ACPI INTC1080): /dev/pfru/update, ABI-compatible
 * with the mainline pfr_update driver, and two fwact components,
 * "pfru-code" (code injection) and "pfru-driver" (driver update). A capsule
 * written to the device, or staged through the core's sysfs, is validated
 * completely before it is copied into the firmware's communication buffer;
 * staging and activating are _DSM calls to the platform's MM handler. The
 * SMI that runs the activation holds the CPUs itself, so the components'
 * program is one step of mode none. One mutex per device serializes every
 * use of the communication buffer and every _DSM call; it nests inside the
 * core's per-component lock, so the ioctls release it before calling the
 * core. Open files keep the device's memory alive, and a read-write
 * semaphore keeps their operations out once the device is removed.
 */
#include <linux/acpi.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/fwact.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/rwsem.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uuid.h>

#include "node.h"
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

static const guid_t pfru_dsm_guid =
	GUID_INIT(0xecf9533b, 0x4a3c, 0x4e89,
		  0x93, 0x9e, 0xc7, 0x71, 0x12, 0x60, 0x1c, 0x6d);

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

/* Only one update device exists on a platform: it owns the components. */
static bool pfru_update_bound;

#ifdef CONFIG_FWACT_TEST_HOOKS
/*
 * Test builds only: widen the window between the core's prepare op and the
 * activation's firmware call, so that a selftest can write another capsule
 * into it.
 */
static unsigned int test_activate_delay_ms;
module_param(test_activate_delay_ms, uint, 0600);
MODULE_PARM_DESC(test_activate_delay_ms,
		 "test builds: sleep this long before the activation's _DSM call");

static void pfru_test_activate_delay(void)
{
	unsigned int ms = READ_ONCE(test_activate_delay_ms);

	if (ms)
		msleep(ms);
}
#else
static inline void pfru_test_activate_delay(void)
{
}
#endif

static const char * const pfru_comp_names[PFRU_TYPE_NR] = {
	[PFRU_TYPE_CODE] = "pfru-code",
	[PFRU_TYPE_DRIVER] = "pfru-driver",
};

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
static int pfru_cap_query(struct pfru_device *pdev,
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
static int pfru_buf_query(struct pfru_device *pdev, phys_addr_t *addr,
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
static int pfru_start(struct pfru_comp *pc, u32 action, u64 *auth_ns,
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

/* Map the communication buffer; called with pdev->node.lock held. */
static void *pfru_buf_map(struct pfru_device *pdev, size_t len)
{
	phys_addr_t addr;
	void *buf;
	u32 size;
	int ret;

	ret = pfru_buf_query(pdev, &addr, &size);
	if (ret)
		return ERR_PTR(ret);
	if (len > size) {
		dev_warn_ratelimited(pdev->node.dev, "capsule rejected: %zu bytes exceed the %u-byte communication buffer\n",
				     len, size);
		return ERR_PTR(-EINVAL);
	}
	buf = memremap(addr, size, MEMREMAP_WB);
	if (!buf) {
		dev_err_ratelimited(pdev->node.dev, "cannot map the communication buffer\n");
		return ERR_PTR(-ENOMEM);
	}
	return buf;
}

/*
 * Validate @data against the firmware's current capability and copy it into
 * the communication buffer. Called with pdev->node.lock held.
 */
static int pfru_capsule_load(struct pfru_device *pdev, const void *data,
			     size_t len, struct pfru_capsule_info *info)
{
	struct pfru_update_cap_info cap;
	void *buf;
	int ret;

	ret = pfru_cap_query(pdev, &cap);
	if (ret)
		return ret;
	ret = pfru_capsule_validate(pdev->node.dev, data, len, &cap, info);
	if (ret)
		return ret;
	buf = pfru_buf_map(pdev, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	memcpy(buf, data, len);
	memunmap(buf);
	pdev->loaded = true;
	pdev->loaded_type = info->type;
	pdev->loaded_len = len;
	pdev->load_gen++;
	return 0;
}

/*
 * Validate the capsule already in the communication buffer again, against
 * the capability of now (an activation may have raised the versions).
 * Called with pdev->node.lock held.
 */
static int pfru_capsule_recheck(struct pfru_comp *pc,
				struct pfru_capsule_info *info)
{
	struct pfru_device *pdev = pc->pdev;
	struct pfru_update_cap_info cap;
	void *copy, *buf;
	int ret;

	if (!pdev->loaded || pdev->loaded_type != pc->type) {
		dev_err_ratelimited(pdev->node.dev, "%s: no capsule of this type was loaded\n",
				    pfru_comp_names[pc->type]);
		return -ENODATA;
	}
	ret = pfru_cap_query(pdev, &cap);
	if (ret)
		return ret;
	copy = kvmalloc(pdev->loaded_len, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	buf = pfru_buf_map(pdev, pdev->loaded_len);
	if (IS_ERR(buf)) {
		ret = PTR_ERR(buf);
		goto out_free;
	}
	memcpy(copy, buf, pdev->loaded_len);
	memunmap(buf);
	ret = pfru_capsule_validate(pdev->node.dev, copy, pdev->loaded_len, &cap,
				    info);
out_free:
	kvfree(copy);
	return ret;
}

/* Stage in the firmware the capsule in the buffer; pdev->node.lock held. */
static int pfru_capsule_stage(struct pfru_comp *pc,
			      const struct pfru_capsule_info *info)
{
	struct pfru_device *pdev = pc->pdev;
	u64 auth_ns = 0, exec_ns = 0;
	int i, ret;

	pc->deferred = false;
	if (pdev->combine_task == current) {
		/* STAGE_ACTIVATE: the activation's one call stages it. */
		pc->deferred = true;
		pc->deferred_gen = pdev->load_gen;
		pc->staged_rt = info->rt_ver;
		return 0;
	}
	ret = pfru_start(pc, PFRU_START_STAGE, &auth_ns, &exec_ns);
	if (ret)
		return ret;
	/* The firmware keeps one staged capsule: it replaced any other. */
	for (i = 0; i < PFRU_TYPE_NR; i++)
		pdev->comps[i].fw_staged = false;
	pc->fw_staged = true;
	pc->staged_rt = info->rt_ver;
	pc->auth_ns = auth_ns;
	return 0;
}

static int pfru_op_stage(struct fwact_component *comp, const void *data,
			 size_t size)
{
	struct pfru_comp *pc = fwact_priv(comp);
	struct pfru_device *pdev = pc->pdev;
	struct pfru_capsule_info info;
	int ret;

	mutex_lock(&pdev->node.lock);
	if (data)
		ret = pfru_capsule_load(pdev, data, size, &info);
	else
		ret = pfru_capsule_recheck(pc, &info);
	if (ret)
		goto out_unlock;
	if (info.type != pc->type) {
		dev_warn_ratelimited(pdev->node.dev, "capsule rejected: it is a %s capsule, not %s\n",
				     pfru_comp_names[info.type], pfru_comp_names[pc->type]);
		ret = -EINVAL;
		goto out_unlock;
	}
	ret = pfru_capsule_stage(pc, &info);
out_unlock:
	mutex_unlock(&pdev->node.lock);
	return ret;
}

static void pfru_info_fill(const struct pfru_comp *pc,
			   const struct pfru_update_cap_info *cap,
			   struct fwact_info *info)
{
	bool code = pc->type == PFRU_TYPE_CODE;

	snprintf(info->current_version, sizeof(info->current_version), "%u",
		 code ? cap->code_rt_version : cap->drv_rt_version);
	info->pending_version[0] = '\0';
	info->flags = 0;
	if (cap->update_cap &
	    (code ? PFRU_CAP_CODE_INJECT : PFRU_CAP_DRIVER_UPDATE))
		info->flags |= FWACT_F_CAPABLE;
	/* A capsule STAGE_ACTIVATE stages with its one call is pending too. */
	if (pc->fw_staged || pc->deferred) {
		info->flags |= FWACT_F_PENDING;
		snprintf(info->pending_version, sizeof(info->pending_version),
			 "%u", pc->staged_rt);
	}
}

static int pfru_op_get_info(struct fwact_component *comp,
			    struct fwact_info *info)
{
	struct pfru_comp *pc = fwact_priv(comp);
	struct pfru_update_cap_info cap;
	int ret;

	mutex_lock(&pc->pdev->node.lock);
	ret = pfru_cap_query(pc->pdev, &cap);
	if (!ret)
		pfru_info_fill(pc, &cap, info);
	mutex_unlock(&pc->pdev->node.lock);
	return ret;
}

static int pfru_op_prepare(struct fwact_component *comp)
{
	struct pfru_comp *pc = fwact_priv(comp);
	struct pfru_device *pdev = pc->pdev;
	int ret = 0;

	mutex_lock(&pdev->node.lock);
	if (pc->deferred && pc->deferred_gen != pdev->load_gen) {
		dev_err_ratelimited(pdev->node.dev, "%s: the capsule to stage was overwritten\n",
				    pfru_comp_names[pc->type]);
		pc->deferred = false;
		ret = -ENODATA;
	} else if (!pc->deferred && !pc->fw_staged) {
		dev_err_ratelimited(pdev->node.dev, "%s: the firmware holds no capsule of this type\n",
				    pfru_comp_names[pc->type]);
		ret = -ENODATA;
	}
	mutex_unlock(&pdev->node.lock);
	return ret;
}

static int pfru_op_cancel(struct fwact_component *comp)
{
	struct pfru_comp *pc = fwact_priv(comp);

	/*
	 * The firmware has no call to drop a staged capsule; forgetting it
	 * here makes every later activation of it fail in prepare.
	 */
	mutex_lock(&pc->pdev->node.lock);
	pc->fw_staged = false;
	pc->deferred = false;
	mutex_unlock(&pc->pdev->node.lock);
	return 0;
}

static int pfru_step_activate(void *priv, const struct fwact_call *call)
{
	struct pfru_comp *pc = priv;
	struct pfru_device *pdev = pc->pdev;
	u64 auth_ns = 0, exec_ns = 0;
	u32 action;
	int ret;

	pfru_test_activate_delay();
	mutex_lock(&pdev->node.lock);
	/*
	 * The lock was dropped since prepare checked the buffer: a write()
	 * may have replaced the capsule this component validated. Check
	 * again under the lock the firmware call runs under.
	 */
	if (pc->deferred && pc->deferred_gen != pdev->load_gen) {
		dev_err_ratelimited(pdev->node.dev, "%s: the capsule to activate was overwritten\n",
				    pfru_comp_names[pc->type]);
		ret = -ENODATA;
		goto out_used;
	}
	action = pc->deferred ? PFRU_START_STAGE_ACTIVATE : PFRU_START_ACTIVATE;
	ret = pfru_start(pc, action, &auth_ns, &exec_ns);
	if (!ret) {
		if (action == PFRU_START_ACTIVATE)
			auth_ns = pc->auth_ns;
		fwact_set_fw_times(pc->comp, auth_ns, exec_ns);
	}
out_used:
	/*
	 * Whatever the outcome, the firmware's staged capsule is used up, or
	 * (overwritten) was to be replaced by the one that is gone.
	 */
	pc->fw_staged = false;
	pc->deferred = false;
	mutex_unlock(&pdev->node.lock);
	return ret;
}

static const struct fwact_ops pfru_fwact_ops = {
	.get_info = pfru_op_get_info,
	.stage = pfru_op_stage,
	.prepare = pfru_op_prepare,
	.cancel = pfru_op_cancel,
};

/* The SMI handler holds the CPUs itself: nothing for fwact to gather. */
static const struct fwact_step pfru_steps[] = {
	{ .name = "pfru-activate", .mode = FWACT_MODE_NONE,
	  .act = pfru_step_activate },
};

static void pfru_device_release(struct pfru_node *node)
{
	kfree(container_of(node, struct pfru_device, node));
}

static int pfru_update_open(struct inode *inode, struct file *file)
{
	file->private_data = container_of(pfru_node_open(file),
					  struct pfru_device, node);
	return 0;
}

static int pfru_update_release(struct inode *inode, struct file *file)
{
	struct pfru_device *pdev = file->private_data;

	pfru_node_put(&pdev->node);
	return 0;
}

static ssize_t pfru_update_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct pfru_device *pdev = file->private_data;
	struct pfru_capsule_info info;
	void *data;
	int ret;

	/*
	 * A capsule is firmware loaded from user space's memory, as through
	 * the firmware loader's sysfs fallback: the same LSM hooks decide,
	 * before the bytes are taken and on the whole capsule.
	 */
	ret = security_kernel_load_data(LOADING_FIRMWARE, true);
	if (ret) {
		dev_warn_ratelimited(pdev->node.dev, "capsule refused by the security policy: %d\n",
				     ret);
		return ret;
	}
	/* Bound the copy before allocating; the buffer is checked again. */
	if (!len || len > pdev->buf_size) {
		dev_warn_ratelimited(pdev->node.dev, "capsule rejected: %zu bytes, the communication buffer holds %u\n",
				     len, pdev->buf_size);
		return -EINVAL;
	}
	data = vmemdup_user(ubuf, len);
	if (IS_ERR(data))
		return PTR_ERR(data);
	ret = security_kernel_post_load_data(data, len, LOADING_FIRMWARE,
					     "pfru-capsule");
	if (ret) {
		dev_warn_ratelimited(pdev->node.dev, "capsule of %zu bytes refused by the security policy: %d\n",
				     len, ret);
		goto out_free;
	}
	ret = -ENODEV;
	if (pfru_node_lock(&pdev->node)) {
		ret = pfru_capsule_load(pdev, data, len, &info);
		mutex_unlock(&pdev->node.lock);
	}
out_free:
	kvfree(data);
	return ret ?: len;
}

static int pfru_cap_get(struct pfru_device *pdev,
			struct pfru_update_cap_info *cap)
{
	int ret;

	if (!pfru_node_lock(&pdev->node))
		return -ENODEV;
	ret = pfru_cap_query(pdev, cap);
	mutex_unlock(&pdev->node.lock);
	return ret;
}

static ssize_t pfru_update_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct pfru_device *pdev = file->private_data;
	struct pfru_update_cap_info cap;
	int ret;

	if (*ppos >= sizeof(cap))
		return 0;
	ret = pfru_cap_get(pdev, &cap);
	if (ret)
		return ret;
	return simple_read_from_buffer(ubuf, count, ppos, &cap, sizeof(cap));
}

/* The component a STAGE/STAGE_ACTIVATE of the loaded capsule is for. */
static struct pfru_comp *pfru_loaded_comp(struct pfru_device *pdev)
{
	struct pfru_comp *pc = NULL;

	mutex_lock(&pdev->node.lock);
	if (pdev->loaded)
		pc = &pdev->comps[pdev->loaded_type];
	mutex_unlock(&pdev->node.lock);
	if (!pc)
		dev_err_ratelimited(pdev->node.dev, "no capsule loaded\n");
	return pc;
}

/* The component an ACTIVATE is for: the one the firmware holds. */
static struct pfru_comp *pfru_staged_comp(struct pfru_device *pdev)
{
	struct pfru_comp *pc = &pdev->comps[PFRU_TYPE_CODE];
	int i;

	mutex_lock(&pdev->node.lock);
	for (i = 0; i < PFRU_TYPE_NR; i++)
		if (pdev->comps[i].fw_staged || pdev->comps[i].deferred)
			pc = &pdev->comps[i];
	mutex_unlock(&pdev->node.lock);
	return pc;
}

static int pfru_ioctl_stage_activate(struct pfru_device *pdev)
{
	struct pfru_comp *pc = pfru_loaded_comp(pdev);
	int ret;

	if (!pc)
		return -ENODATA;
	mutex_lock(&pdev->node.lock);
	pdev->combine_task = current;
	mutex_unlock(&pdev->node.lock);
	ret = fwact_stage(pc->comp, NULL, 0);
	mutex_lock(&pdev->node.lock);
	pdev->combine_task = NULL;
	mutex_unlock(&pdev->node.lock);
	if (ret)
		return ret;
	return fwact_activate(pc->comp);
}

/*
 * The ioctls that go through the fwact core. They copy nothing from or to
 * user space, so they may hold gone_sem: remove waits for them before it
 * unregisters the components.
 */
static int pfru_ioctl_fwact(struct pfru_device *pdev, unsigned int cmd)
{
	struct pfru_comp *pc;
	int ret;

	down_read(&pdev->gone_sem);
	if (pdev->node.gone) {
		ret = -ENODEV;
	} else if (cmd == PFRU_IOC_STAGE) {
		pc = pfru_loaded_comp(pdev);
		ret = pc ? fwact_stage(pc->comp, NULL, 0) : -ENODATA;
	} else if (cmd == PFRU_IOC_ACTIVATE) {
		ret = fwact_activate(pfru_staged_comp(pdev)->comp);
	} else {
		ret = pfru_ioctl_stage_activate(pdev);
	}
	up_read(&pdev->gone_sem);
	return ret;
}

static int pfru_ioctl_set_rev(struct pfru_device *pdev, void __user *argp)
{
	unsigned int rev;

	if (copy_from_user(&rev, argp, sizeof(rev)))
		return -EFAULT;
	if (rev != PFRU_REVID_1 && rev != PFRU_REVID_2) {
		dev_warn_ratelimited(pdev->node.dev, "invalid _DSM revision %u\n", rev);
		return -EINVAL;
	}
	if (!pfru_node_lock(&pdev->node))
		return -ENODEV;
	pdev->rev_id = rev;
	mutex_unlock(&pdev->node.lock);
	return 0;
}

static long pfru_update_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct pfru_device *pdev = file->private_data;
	void __user *argp = (void __user *)arg;
	struct pfru_update_cap_info cap;
	int ret;

	switch (cmd) {
	case PFRU_IOC_QUERY_CAP:
		ret = pfru_cap_get(pdev, &cap);
		if (!ret && copy_to_user(argp, &cap, sizeof(cap)))
			ret = -EFAULT;
		return ret;
	case PFRU_IOC_SET_REV:
		return pfru_ioctl_set_rev(pdev, argp);
	case PFRU_IOC_STAGE:
	case PFRU_IOC_ACTIVATE:
	case PFRU_IOC_STAGE_ACTIVATE:
		return pfru_ioctl_fwact(pdev, cmd);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations pfru_update_fops = {
	.owner = THIS_MODULE,
	.open = pfru_update_open,
	.release = pfru_update_release,
	.read = pfru_update_read,
	.write = pfru_update_write,
	.unlocked_ioctl = pfru_update_ioctl,
	.llseek = default_llseek,
};

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
		.backend = "pfru",
		.ops = &pfru_fwact_ops,
		.steps = pfru_steps,
		.nr_steps = ARRAY_SIZE(pfru_steps),
		.max_image_size = max_size,
		.owner = THIS_MODULE,
	};
	struct pfru_comp *pc;
	int i;

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
