// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 microcode backend: load the standard microcode file of every
 * distinct CPU model online, as the kernel's loader names them, and stage
 * them through the core (the sysfs "request" file).
 */
#define pr_fmt(fmt) "fwact microcode: " fmt

#include <linux/cpu.h>
#include <linux/firmware.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "ucode_backend.h"

/* File name the kernel's loader would request for a CPU signature. */
static void ucode_fw_name(enum ucode_vendor vendor, u32 sig, char *buf,
			  size_t size)
{
	unsigned int fam = ucode_sig_family(sig);

	if (vendor == UCODE_VENDOR_INTEL)
		snprintf(buf, size, "intel-ucode/%02x-%02x-%02x", fam,
			 ucode_sig_model(sig), ucode_sig_stepping(sig));
	else if (fam >= 0x15)
		snprintf(buf, size, "amd-ucode/microcode_amd_fam%02xh.bin",
			 fam);
	else
		strscpy(buf, "amd-ucode/microcode_amd.bin", size);
}

/* Append one firmware file to @buf (vmalloc), growing it. */
static int ucode_fw_append(const char *name, void **buf, size_t *len)
{
	const struct firmware *fw;
	void *grown;
	int ret;

	ret = request_firmware_direct(&fw, name, NULL);
	if (ret)
		return ret;
	if (*len + fw->size > UCODE_MAX_IMAGE) {
		ret = -EFBIG;
		goto out_release;
	}
	grown = vmalloc(*len + fw->size);
	if (!grown) {
		ret = -ENOMEM;
		goto out_release;
	}
	if (*buf)
		memcpy(grown, *buf, *len);
	memcpy(grown + *len, fw->data, fw->size);
	vfree(*buf);
	*buf = grown;
	*len += fw->size;
out_release:
	release_firmware(fw);
	return ret;
}

/*
 * Load the standard file of every distinct CPU model online (mixed CPUs
 * need several), concatenate them and stage the result through the core.
 */
int ucode_request_default(struct ucode_backend *be)
{
	char name[64], prev[64] = "";
	size_t len = 0;
	void *buf = NULL;
	unsigned int cpu;
	int ret, found = 0;

	ret = ucode_refusal_check();
	if (ret)
		return ret;
	cpus_read_lock();
	mutex_lock(&be->lock);
	ret = ucode_cpus_identify(be, be->hw);
	cpus_read_unlock();
	if (ret)
		goto out_unlock;

	for_each_online_cpu(cpu) {
		const struct fwact_ucode_id *id = &be->cpus[cpu].id;

		ucode_fw_name(id->vendor, id->sig, name, sizeof(name));
		if (id->vendor == UCODE_VENDOR_UNKNOWN || !strcmp(name, prev))
			continue;
		strscpy(prev, name, sizeof(prev));
		ret = ucode_fw_append(name, &buf, &len);
		if (ret == -ENOENT)
			continue;
		if (ret)
			goto out_unlock;
		pr_info_ratelimited("requested %s\n", name);
		found++;
	}
	mutex_unlock(&be->lock);
	if (!found) {
		pr_err_ratelimited("no microcode file found for the CPUs (last tried %s)\n",
				   prev);
		ret = -ENOENT;
		goto out_free;
	}
	/* Not under the lock: the core calls back into ucode_stage(). */
	ret = fwact_stage(be->comp, buf, len);
	goto out_free;

out_unlock:
	mutex_unlock(&be->lock);
out_free:
	vfree(buf);
	return ret;
}
