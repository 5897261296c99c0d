// SPDX-License-Identifier: GPL-2.0
/*
 * The PFRU telemetry device (ACPI INTC1081): /dev/pfru/telemetry, with the
 * ioctls and mmap() of the mainline pfr_telemetry driver and a read() that
 * returns the firmware's log in order, oldest first. The log is a ring in
 * firmware memory: once it has wrapped, chunk 1 holds the older bytes (from
 * the write position to the end of the ring) and chunk 2 the newer ones
 * (from the start of the ring). read() positions count bytes of the log
 * stream a reader started on, so a reader that falls behind the firmware
 * learns it (-ESTALE) instead of getting a torn log, and every copy is
 * checked against a second look at the firmware's counters. Open files
 * keep the device's memory alive; once it is removed their operations fail.
 */
#include <linux/acpi.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uuid.h>

#include "pfru_node.h"
#include "pfru.h"

/* Telemetry _DSM functions. */
#define PFRT_FUNC_SET_LEV	1
#define PFRT_FUNC_GET_LEV	2
#define PFRT_FUNC_GET_DATA	3

#define PFRT_LOG_EXEC_IDX	0
#define PFRT_LOG_HISTORY_IDX	1

#define PFRT_LOG_ERR		0
#define PFRT_LOG_WARN		1
#define PFRT_LOG_INFO		2
#define PFRT_LOG_VERB		4

/* A SET_INFO field with this value leaves the setting unchanged. */
#define PFRT_UNCHANGED		U32_MAX

#define PFRT_SET_LEV_COUNT	2
#define PFRT_GET_LEV_COUNT	3
#define PFRT_GET_DATA_COUNT	11

/* Most bytes one read() copies, and tries to get a stable copy. */
#define PFRT_READ_MAX		SZ_64K
#define PFRT_READ_TRIES		3

static const guid_t pfrt_dsm_guid =
	GUID_INIT(0x75191659, 0x8178, 0x4d9d,
		  0xb8, 0x8f, 0xac, 0x5e, 0x5e, 0x93, 0xe8, 0xbf);

/**
 * struct pfrt_device - the telemetry device
 * @node: /dev/pfru/telemetry and the device's lifetime; its lock
 *	serializes the _DSM calls and @info
 * @info: log type and revision of later calls; the level as last set
 */
struct pfrt_device {
	struct pfru_node node;
	struct pfrt_log_info info;
};

/**
 * struct pfrt_reader - per open file state of read()
 * @pdev: the device
 * @started: @start and @reset_cnt are valid
 * @start: stream offset of the oldest byte when the reader read offset 0
 * @reset_cnt: the firmware's reset count at that time
 */
struct pfrt_reader {
	struct pfrt_device *pdev;
	bool started;
	u64 start;
	u32 reset_cnt;
};

/* Where the log is: what GET_DATA returned, checked and decoded. */
struct pfrt_log_layout {
	struct pfrt_log_data_info di;
	phys_addr_t c1, c2;
	u64 end;	/* stream offset one past the newest byte */
};

/* Only one telemetry device exists on a platform. */
static bool pfrt_bound;

static union acpi_object *pfrt_dsm(struct pfrt_device *pdev, u32 func,
				   union acpi_object *argv4,
				   unsigned int min_count)
{
	return pfru_dsm_eval(pdev->node.dev, pdev->node.handle, &pfrt_dsm_guid,
			     pdev->info.log_revid, func, argv4, min_count);
}

/* Evaluate @func with Package(1){@val}; called with pdev->node.lock held. */
static union acpi_object *pfrt_dsm_arg(struct pfrt_device *pdev, u32 func,
				       u32 val, unsigned int min_count)
{
	union acpi_object arg = {}, argv4 = {};

	arg.type = ACPI_TYPE_INTEGER;
	arg.integer.value = val;
	argv4.type = ACPI_TYPE_PACKAGE;
	argv4.package.count = 1;
	argv4.package.elements = &arg;
	return pfrt_dsm(pdev, func, &argv4, min_count);
}

static int pfrt_status(struct pfrt_device *pdev, const char *what,
		       const union acpi_object *pkg)
{
	const union acpi_object *el = pkg->package.elements;
	int ret;

	if (!pfru_dsm_ints(pkg, 0, 2)) {
		dev_err_ratelimited(pdev->node.dev, "%s returned malformed elements\n", what);
		return -EIO;
	}
	ret = pfru_dsm_status_errno(el[0].integer.value);
	if (ret)
		dev_err_ratelimited(pdev->node.dev, "%s: firmware status %llu, extended status %#llx (%d)\n",
				    what, el[0].integer.value, el[1].integer.value, ret);
	return ret;
}

static int pfrt_level_set(struct pfrt_device *pdev, u32 level)
{
	union acpi_object *pkg;
	int ret;

	pkg = pfrt_dsm_arg(pdev, PFRT_FUNC_SET_LEV, level, PFRT_SET_LEV_COUNT);
	if (!pkg)
		return -EIO;
	ret = pfrt_status(pdev, "set log level", pkg);
	ACPI_FREE(pkg);
	return ret;
}

static int pfrt_level_get(struct pfrt_device *pdev, u32 *level)
{
	union acpi_object *pkg;
	int ret;

	pkg = pfrt_dsm(pdev, PFRT_FUNC_GET_LEV, NULL, PFRT_GET_LEV_COUNT);
	if (!pkg)
		return -EIO;
	ret = pfrt_status(pdev, "get log level", pkg);
	if (!ret && !pfru_dsm_ints(pkg, 2, 1)) {
		dev_err_ratelimited(pdev->node.dev, "get log level returned a malformed level\n");
		ret = -EIO;
	}
	if (!ret)
		*level = pkg->package.elements[2].integer.value;
	ACPI_FREE(pkg);
	return ret;
}

static int pfrt_data_info_get(struct pfrt_device *pdev,
			      struct pfrt_log_data_info *di)
{
	const union acpi_object *el;
	union acpi_object *pkg;
	int ret;

	memset(di, 0, sizeof(*di));
	pkg = pfrt_dsm_arg(pdev, PFRT_FUNC_GET_DATA, pdev->info.log_type,
			   PFRT_GET_DATA_COUNT);
	if (!pkg)
		return -EIO;
	ret = pfrt_status(pdev, "get log data info", pkg);
	if (ret)
		goto out_free;
	if (!pfru_dsm_ints(pkg, 0, PFRT_GET_DATA_COUNT)) {
		dev_err_ratelimited(pdev->node.dev, "get log data info returned malformed elements\n");
		ret = -EIO;
		goto out_free;
	}
	el = pkg->package.elements;
	di->status = el[0].integer.value;
	di->ext_status = el[1].integer.value;
	di->max_data_size = el[2].integer.value;
	di->chunk1_addr_lo = el[3].integer.value;
	di->chunk1_addr_hi = el[4].integer.value;
	di->chunk1_size = el[5].integer.value;
	di->chunk2_addr_lo = el[6].integer.value;
	di->chunk2_addr_hi = el[7].integer.value;
	di->chunk2_size = el[8].integer.value;
	di->rollover_cnt = el[9].integer.value;
	di->reset_cnt = el[10].integer.value;
out_free:
	ACPI_FREE(pkg);
	return ret;
}

static phys_addr_t pfrt_addr(u64 lo, u64 hi)
{
	return (phys_addr_t)((hi & U32_MAX) << 32 | (lo & U32_MAX));
}

static bool pfrt_range_reserved(phys_addr_t addr, u64 size)
{
	return region_intersects(addr, size, IORESOURCE_SYSTEM_RAM,
				 IORES_DESC_NONE) == REGION_DISJOINT;
}

/* Fetch and check where the log is; called with pdev->node.lock held. */
static int pfrt_layout_get(struct pfrt_device *pdev, struct pfrt_log_layout *l)
{
	struct pfrt_log_data_info *di = &l->di;
	int ret;

	ret = pfrt_data_info_get(pdev, di);
	if (ret)
		return ret;
	l->c1 = pfrt_addr(di->chunk1_addr_lo, di->chunk1_addr_hi);
	l->c2 = pfrt_addr(di->chunk2_addr_lo, di->chunk2_addr_hi);
	if (!l->c2)
		return -EBUSY;	/* no update has run: no log yet */
	if ((u64)di->chunk1_size + di->chunk2_size > di->max_data_size ||
	    (di->chunk1_size && !l->c1) ||
	    !pfrt_range_reserved(l->c2, di->max_data_size) ||
	    (di->chunk1_size && !pfrt_range_reserved(l->c1, di->chunk1_size))) {
		dev_err_ratelimited(pdev->node.dev, "firmware log layout is inconsistent\n");
		return -EIO;
	}
	/*
	 * After a wrap the firmware writes from the start of the ring again,
	 * so chunk 2 ends where the stream ends.
	 */
	l->end = (u64)di->rollover_cnt * di->max_data_size + di->chunk2_size;
	return 0;
}

static bool pfrt_layout_same(const struct pfrt_log_layout *a,
			     const struct pfrt_log_layout *b)
{
	return a->c1 == b->c1 && a->c2 == b->c2 &&
	       a->di.chunk1_size == b->di.chunk1_size &&
	       a->di.chunk2_size == b->di.chunk2_size &&
	       a->di.rollover_cnt == b->di.rollover_cnt &&
	       a->di.reset_cnt == b->di.reset_cnt;
}

static int pfrt_chunk_copy(void *dst, phys_addr_t base, u64 off, size_t len)
{
	void *p;

	if (!len)
		return 0;
	/* Write-back, like ACPICA's own mappings of the ring and mmap(). */
	p = memremap(base + off, len, MEMREMAP_WB);
	if (!p)
		return -EAGAIN;
	memcpy(dst, p, len);
	memunmap(p);
	return 0;
}

/* Copy @len bytes of the log from byte @idx of its oldest-first order. */
static int pfrt_log_copy(const struct pfrt_log_layout *l, void *dst, u64 idx,
			 size_t len)
{
	size_t n1 = 0;
	int ret;

	if (idx < l->di.chunk1_size) {
		n1 = min_t(u64, len, l->di.chunk1_size - idx);
		ret = pfrt_chunk_copy(dst, l->c1, idx, n1);
		if (ret)
			return ret;
		idx = 0;
	} else {
		idx -= l->di.chunk1_size;
	}
	return pfrt_chunk_copy(dst + n1, l->c2, idx, len - n1);
}

/* Where the reader's @pos is in the log now; -ESTALE if overwritten. */
static int pfrt_reader_index(struct pfrt_reader *r,
			     const struct pfrt_log_layout *l, loff_t pos,
			     u64 *idx)
{
	u64 size = (u64)l->di.chunk1_size + l->di.chunk2_size;
	u64 start = l->end - size;

	if (!pos || !r->started) {
		r->started = true;
		r->start = start;
		r->reset_cnt = l->di.reset_cnt;
	}
	if (r->reset_cnt != l->di.reset_cnt || r->start + pos < start) {
		dev_dbg(r->pdev->node.dev, "log overwritten since the reader started\n");
		return -ESTALE;
	}
	*idx = r->start + pos - start;
	return 0;
}

/* One stable copy of the log at @pos; called with pdev->node.lock held. */
static ssize_t pfrt_log_read(struct pfrt_reader *r, void *buf, size_t count,
			     loff_t pos)
{
	struct pfrt_log_layout a, b;
	size_t len;
	u64 idx;
	int i, ret;

	for (i = 0; i < PFRT_READ_TRIES; i++) {
		ret = pfrt_layout_get(r->pdev, &a);
		if (ret)
			return ret;
		ret = pfrt_reader_index(r, &a, pos, &idx);
		if (ret)
			return ret;
		len = a.di.chunk1_size + a.di.chunk2_size;
		if (idx >= len)
			return 0;
		len = min_t(u64, count, len - idx);
		ret = pfrt_log_copy(&a, buf, idx, len);
		if (ret)
			return ret;
		ret = pfrt_layout_get(r->pdev, &b);
		if (ret)
			return ret;
		if (pfrt_layout_same(&a, &b))
			return len;
	}
	dev_dbg(r->pdev->node.dev, "log kept changing during the copy\n");
	return -EAGAIN;
}

static void pfrt_device_release(struct pfru_node *node)
{
	kfree(container_of(node, struct pfrt_device, node));
}

/*
 * Take the device lock for a file operation; false once the device is
 * gone. Never held across a user copy: mmap() takes it under mmap_lock.
 */
static bool pfrt_lock(struct pfrt_device *pdev)
{
	return pfru_node_lock(&pdev->node);
}

static ssize_t pfrt_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	struct pfrt_reader *r = file->private_data;
	struct pfrt_device *pdev = r->pdev;
	ssize_t ret;
	void *buf;

	if (*ppos < 0)
		return -EINVAL;
	count = min_t(size_t, count, PFRT_READ_MAX);
	if (!count)
		return 0;
	buf = kvmalloc(count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ret = -ENODEV;
	if (pfrt_lock(pdev)) {
		ret = pfrt_log_read(r, buf, count, *ppos);
		mutex_unlock(&pdev->node.lock);
	}
	if (ret > 0) {
		if (copy_to_user(ubuf, buf, ret))
			ret = -EFAULT;
		else
			*ppos += ret;
	}
	kvfree(buf);
	return ret;
}

static int pfrt_open(struct inode *inode, struct file *file)
{
	struct pfrt_reader *r;

	r = kzalloc_obj(*r, GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->pdev = container_of(pfru_node_open(file), struct pfrt_device, node);
	file->private_data = r;
	return 0;
}

static int pfrt_release(struct inode *inode, struct file *file)
{
	struct pfrt_reader *r = file->private_data;

	pfru_node_put(&r->pdev->node);
	kfree(r);
	return 0;
}

static int pfrt_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct pfrt_reader *r = file->private_data;
	struct pfrt_device *pdev = r->pdev;
	unsigned long vsize = vma->vm_end - vma->vm_start;
	struct pfrt_log_layout l;
	u64 off;
	int ret;

	if (vma->vm_flags & VM_WRITE)
		return -EROFS;
	vm_flags_clear(vma, VM_MAYWRITE);

	if (!pfrt_lock(pdev))
		return -ENODEV;
	ret = pfrt_layout_get(pdev, &l);
	mutex_unlock(&pdev->node.lock);
	if (ret == -EBUSY)
		return -ENODEV;	/* what mainline returns before any update */
	if (ret)
		return ret;
	if (!PAGE_ALIGNED(l.c2) || !PAGE_ALIGNED(l.di.max_data_size))
		return -ENODEV;
	off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	if (off > l.di.max_data_size || vsize > l.di.max_data_size - off)
		return -EINVAL;
	/*
	 * Write-back, as ACPICA and read() map the ring: the mainline
	 * driver's uncached mapping fails in PAT for as long as ACPICA still
	 * holds its own mapping of the ring (it drops it after an RCU grace
	 * period, which can take seconds). x86 keeps the two coherent.
	 */
	if (io_remap_pfn_range(vma, vma->vm_start, PHYS_PFN(l.c2 + off), vsize,
			       vma->vm_page_prot))
		return -EAGAIN;
	return 0;
}

static bool pfrt_info_valid(const struct pfrt_log_info *info)
{
	u32 lv = info->log_level, ty = info->log_type, rev = info->log_revid;

	return (lv == PFRT_UNCHANGED || lv == PFRT_LOG_ERR ||
		lv == PFRT_LOG_WARN || lv == PFRT_LOG_INFO ||
		lv == PFRT_LOG_VERB) &&
	       (ty == PFRT_UNCHANGED || ty == PFRT_LOG_EXEC_IDX ||
		ty == PFRT_LOG_HISTORY_IDX) &&
	       (rev == PFRT_UNCHANGED || rev == PFRU_REVID_1 ||
		rev == PFRU_REVID_2);
}

static int pfrt_info_set(struct pfrt_device *pdev, void __user *argp)
{
	struct pfrt_log_info info;
	int ret = 0;

	if (copy_from_user(&info, argp, sizeof(info)))
		return -EFAULT;
	if (!pfrt_info_valid(&info)) {
		dev_warn_ratelimited(pdev->node.dev, "invalid log settings: level %u type %u revision %u\n",
				     info.log_level, info.log_type, info.log_revid);
		return -EINVAL;
	}
	if (!pfrt_lock(pdev))
		return -ENODEV;
	if (info.log_revid != PFRT_UNCHANGED)
		pdev->info.log_revid = info.log_revid;
	if (info.log_level != PFRT_UNCHANGED) {
		ret = pfrt_level_set(pdev, info.log_level);
		if (!ret)
			pdev->info.log_level = info.log_level;
	}
	if (!ret && info.log_type != PFRT_UNCHANGED)
		pdev->info.log_type = info.log_type;
	mutex_unlock(&pdev->node.lock);
	return ret;
}

static long pfrt_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pfrt_reader *r = file->private_data;
	struct pfrt_device *pdev = r->pdev;
	void __user *argp = (void __user *)arg;
	struct pfrt_log_data_info di;
	struct pfrt_log_info info;
	int ret;

	switch (cmd) {
	case PFRT_LOG_IOC_SET_INFO:
		return pfrt_info_set(pdev, argp);
	case PFRT_LOG_IOC_GET_INFO:
		if (!pfrt_lock(pdev))
			return -ENODEV;
		ret = pfrt_level_get(pdev, &pdev->info.log_level);
		info = pdev->info;
		mutex_unlock(&pdev->node.lock);
		if (!ret && copy_to_user(argp, &info, sizeof(info)))
			ret = -EFAULT;
		return ret;
	case PFRT_LOG_IOC_GET_DATA_INFO:
		if (!pfrt_lock(pdev))
			return -ENODEV;
		ret = pfrt_data_info_get(pdev, &di);
		mutex_unlock(&pdev->node.lock);
		if (!ret && copy_to_user(argp, &di, sizeof(di)))
			ret = -EFAULT;
		return ret;
	default:
		return -ENOTTY;
	}
}

static const struct file_operations pfrt_fops = {
	.owner = THIS_MODULE,
	.open = pfrt_open,
	.release = pfrt_release,
	.read = pfrt_read,
	.mmap = pfrt_mmap,
	.unlocked_ioctl = pfrt_ioctl,
	.llseek = default_llseek,
};

/* Undoes the probe when the device goes (a devm action). */
static void pfrt_teardown(void *data)
{
	struct pfrt_device *pdev = data;

	pfru_node_deregister(&pdev->node);
	/* Wait for file operations in progress; later ones see it gone. */
	pfru_node_gone(&pdev->node);
	pfru_node_unclaim(&pfrt_bound);
	pfru_node_put(&pdev->node);
}

static int pfrt_probe(struct platform_device *plat)
{
	acpi_handle handle;
	struct pfrt_device *pdev;
	int ret;

	ret = pfru_node_claim(plat, &pfrt_bound, "telemetry", &handle);
	if (ret)
		return ret;
	pdev = kzalloc_obj(*pdev, GFP_KERNEL);
	if (!pdev) {
		ret = -ENOMEM;
		goto out_unclaim;
	}
	pfru_node_init(&pdev->node, plat, handle, pfrt_device_release);
	pdev->info.log_revid = PFRU_REVID_1;
	pdev->info.log_type = PFRT_LOG_EXEC_IDX;
	ret = pfru_node_register(&pdev->node, "pfrt0", "pfru/telemetry",
				 "acpi_pfr_telemetry0",
				 &pfrt_fops);
	if (ret) {
		pfru_node_put(&pdev->node);
		goto out_unclaim;
	}
	return devm_add_action_or_reset(&plat->dev, pfrt_teardown, pdev);

out_unclaim:
	pfru_node_unclaim(&pfrt_bound);
	return ret;
}

static const struct acpi_device_id pfrt_ids[] = {
	{ "INTC1081" },
	{}
};

static struct platform_driver pfrt_driver = {
	.driver = {
		.name = "fwact-pfru-telemetry",
		.acpi_match_table = pfrt_ids,
	},
	.probe = pfrt_probe,
};

int pfru_telemetry_init(void)
{
	int ret;

	ret = platform_driver_register(&pfrt_driver);
	if (!ret)
		pfru_node_report_others("INTC1081", "telemetry", &pfrt_driver.driver);
	return ret;
}

void pfru_telemetry_exit(void)
{
	platform_driver_unregister(&pfrt_driver);
}
