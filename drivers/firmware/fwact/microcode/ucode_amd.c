// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 microcode backend: the AMD EntrySign gate. On the CPUs that
 * check a patch's signature too weakly, a patch is loaded only if its
 * SHA-256 is in the list the kernel's loader carries (amd_shas.c).
 */
#define pr_fmt(fmt) "fwact microcode: " fmt

#include <linux/bsearch.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "ucode_amd_shas.h"
#include "ucode_backend.h"

/*
 * AMD EntrySign: the CPUs that check a patch's signature too weakly, as
 * the kernel's loader lists them (Linux 7.2 amd.c, cpu_has_entrysign()).
 */
static bool ucode_amd_entrysign(u32 sig)
{
	unsigned int fam = ucode_sig_family(sig), model = ucode_sig_model(sig);

	if (fam == 0x17 || fam == 0x19)
		return true;
	return fam == 0x1a && (model <= 0x2f ||
			       (model >= 0x40 && model <= 0x4f) ||
			       (model >= 0x60 && model <= 0x7f));
}

static int ucode_amd_cutoff_cmp(const void *key, const void *elem)
{
	u32 prefix = *(const u32 *)key;
	const struct ucode_amd_cutoff *c = elem;

	return prefix < c->prefix ? -1 : prefix > c->prefix;
}

/* Past its family's cut-off a CPU checks patches well enough itself. */
static bool ucode_amd_sha_needed(u32 rev)
{
	u32 prefix = rev >> 8;
	const struct ucode_amd_cutoff *c;

	c = bsearch(&prefix, ucode_amd_cutoffs, ucode_amd_cutoffs_nr,
		    sizeof(*c), ucode_amd_cutoff_cmp);
	return !c || rev <= c->cutoff;
}

static int ucode_amd_sha_cmp(const void *key, const void *elem)
{
	u32 id = *(const u32 *)key;
	const struct ucode_amd_sha *d = elem;

	return id < d->patch_id ? -1 : id > d->patch_id;
}

/* 0 if the patch is a known one, -ENOKEY if unlisted, -EKEYREJECTED if not. */
static int ucode_amd_sha_verify(const struct ucode_file_patch *patch)
{
	const struct ucode_amd_sha *d;
	u8 digest[SHA256_DIGEST_SIZE];

	d = bsearch(&patch->rev, ucode_amd_shas, ucode_amd_shas_nr,
		    sizeof(*d), ucode_amd_sha_cmp);
	if (!d)
		return -ENOKEY;
	sha256(patch->data, patch->size, digest);
	return memcmp(digest, d->sha256, sizeof(digest)) ? -EKEYREJECTED : 0;
}

/*
 * The kernel's loader loads an AMD patch on an EntrySign CPU below its
 * cut-off only if the patch's SHA-256 is in its list; so does this
 * backend, unless force_amd_sha is set (it tainted the kernel when set).
 */
int ucode_amd_sha_gate(unsigned int cpu, const struct fwact_ucode_id *id,
		       const struct ucode_file_patch *patch, bool *unsafe)
{
	int ret;

	if (patch->vendor != UCODE_VENDOR_AMD ||
	    !ucode_amd_entrysign(id->sig) || !ucode_amd_sha_needed(id->rev))
		return 0;
	ret = ucode_amd_sha_verify(patch);
	if (!ret)
		return 0;
	if (ucode_force_amd_sha()) {
		*unsafe = true;
		return 0;
	}
	pr_err_ratelimited("CPU %u: AMD patch 0x%x %s; refused (force_amd_sha=1 overrides and taints)\n",
			   cpu, patch->rev, ret == -ENOKEY ?
			   "is not in the kernel's list of known patches" :
			   "does not match the SHA-256 digest the kernel knows for it");
	return -EKEYREJECTED;
}
