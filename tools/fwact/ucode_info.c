// SPDX-License-Identifier: GPL-2.0
/*
 * fwactctl ucode-info: list every patch of x86 microcode files, with the
 * parser the kernel backend uses (drivers/firmware/fwact/microcode/
 * ucode_parse.c, built into fwactctl unchanged). Intel updates are listed
 * one line per signature they carry (the header's and each extended one),
 * as "iucode_tool -l" does; AMD patches one line each with their patch id,
 * equivalence id and the CPU signatures they are for. A file that does not
 * parse, or whose checksums do not hold, is reported and makes the command
 * fail, after the other files were listed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "fwactctl.h"
#include "../../drivers/firmware/fwact/microcode/ucode_parse.h"

/* What one file's walk prints into. */
struct ucode_info_out {
	struct fwactctl_ctx *ctx;
	struct fwactctl_json *json;
	const char *path;
	unsigned int nr;
};

static void ucode_info_date(u32 date, char *buf, size_t size)
{
	snprintf(buf, size, "%04x-%02x-%02x", date & 0xffff, date >> 24,
		 (date >> 16) & 0xff);
}

static void ucode_info_intel_sig(struct ucode_info_out *out,
				 const struct ucode_file_patch *patch, u32 sig,
				 u32 pf, int ext)
{
	const struct ucode_intel_patch *p = &patch->intel;
	char date[16], hex[16];

	ucode_info_date(patch->date, date, sizeof(date));
	if (!out->json) {
		printf("%s: %03u: sig 0x%08x, pf_mask 0x%02x, %s, ",
		       out->path, out->nr, sig, pf, date);
		printf("rev 0x%04x, size %u, min_rev 0x%x, %s%s\n",
		       patch->rev, p->totalsize, p->min_req_ver,
		       ext < 0 ? "header" : "extended",
		       p->ext_count && ext < 0 ? " (has extended table)" : "");
		return;
	}
	fwactctl_json_object_begin(out->json, NULL);
	fwactctl_json_int(out->json, "patch", out->nr);
	snprintf(hex, sizeof(hex), "0x%08x", sig);
	fwactctl_json_string(out->json, "sig", hex);
	snprintf(hex, sizeof(hex), "0x%02x", pf);
	fwactctl_json_string(out->json, "pf_mask", hex);
	fwactctl_json_string(out->json, "date", date);
	snprintf(hex, sizeof(hex), "0x%x", patch->rev);
	fwactctl_json_string(out->json, "rev", hex);
	fwactctl_json_int(out->json, "size", p->totalsize);
	snprintf(hex, sizeof(hex), "0x%x", p->min_req_ver);
	fwactctl_json_string(out->json, "min_rev", hex);
	fwactctl_json_bool(out->json, "extended", ext >= 0);
	fwactctl_json_object_end(out->json);
}

static void ucode_info_intel(struct ucode_info_out *out,
			     const struct ucode_file_patch *patch)
{
	const struct ucode_intel_patch *p = &patch->intel;
	u32 i, sig, pf;

	ucode_info_intel_sig(out, patch, p->sig, p->pf, -1);
	for (i = 0; i < p->ext_count; i++) {
		ucode_intel_ext_sig(p, i, &sig, &pf);
		ucode_info_intel_sig(out, patch, sig, pf, i);
	}
}

/* CPU signatures a patch is for: Zen from the id, older via the table. */
static int ucode_info_amd_sigs(const struct ucode_amd_patch *p, char *buf,
			       size_t size)
{
	size_t used = 0;
	u32 i, cpu;
	u16 id;

	buf[0] = '\0';
	if (p->family >= UCODE_AMD_ZEN_FAMILY)
		return snprintf(buf, size, "0x%08x",
				ucode_amd_zen_sig(p->patch_id));
	for (i = 0; i < p->nr_equiv && used < size; i++) {
		ucode_amd_equiv_get(p, i, &cpu, &id);
		if (!cpu)
			break;
		if (id == p->processor_rev_id)
			used += snprintf(buf + used, size - used, "%s0x%08x",
					 used ? "," : "", cpu);
	}
	return used;
}

static void ucode_info_amd(struct ucode_info_out *out,
			   const struct ucode_file_patch *patch)
{
	const struct ucode_amd_patch *p = &patch->amd;
	char date[16], sigs[256], hex[16];

	ucode_info_date(patch->date, date, sizeof(date));
	ucode_info_amd_sigs(p, sigs, sizeof(sigs));
	if (!out->json) {
		printf("%s: %03u: patch_id 0x%08x, equiv_id 0x%04x, ",
		       out->path, out->nr, p->patch_id, p->processor_rev_id);
		printf("family 0x%02x, %s, size %zu, cpus %s%s\n",
		       p->family, date, patch->size, sigs[0] ? sigs : "none",
		       p->nb_dev_id || p->sb_dev_id ? ", chipset specific" : "");
		return;
	}
	fwactctl_json_object_begin(out->json, NULL);
	fwactctl_json_int(out->json, "patch", out->nr);
	snprintf(hex, sizeof(hex), "0x%08x", p->patch_id);
	fwactctl_json_string(out->json, "patch_id", hex);
	snprintf(hex, sizeof(hex), "0x%04x", p->processor_rev_id);
	fwactctl_json_string(out->json, "equiv_id", hex);
	fwactctl_json_int(out->json, "family", p->family);
	fwactctl_json_string(out->json, "date", date);
	fwactctl_json_int(out->json, "size", patch->size);
	fwactctl_json_string(out->json, "cpus", sigs);
	fwactctl_json_object_end(out->json);
}

static int ucode_info_patch(void *ctx, const struct ucode_file_patch *patch)
{
	struct ucode_info_out *out = ctx;

	out->nr++;
	if (patch->vendor == UCODE_VENDOR_AMD)
		ucode_info_amd(out, patch);
	else
		ucode_info_intel(out, patch);
	return 0;
}

static int ucode_info_file(struct ucode_info_out *out, const char *path)
{
	struct ucode_err err;
	size_t len;
	char *buf;
	int ret;

	ret = fwactctl_file_read(path, &buf, &len);
	if (ret)
		return fwactctl_error(-ret, "ucode-info: %s", path);

	out->path = path;
	out->nr = 0;
	if (out->json) {
		fwactctl_json_object_begin(out->json, NULL);
		fwactctl_json_string(out->json, "file", path);
		fwactctl_json_string(out->json, "vendor",
				     ucode_vendor_detect(buf, len) ==
				     UCODE_VENDOR_AMD ? "amd" : "intel");
		fwactctl_json_array_begin(out->json, "patches");
	}
	ret = ucode_walk(buf, len, ucode_info_patch, out, &err);
	if (out->json) {
		fwactctl_json_array_end(out->json);
		fwactctl_json_string(out->json, "error",
				     ret ? ucode_fault_str(err.fault) : "");
		fwactctl_json_object_end(out->json);
	}
	free(buf);
	if (ret)
		return fwactctl_error(-ret, "ucode-info: %s: offset 0x%zx: %s",
				      path, err.off,
				      ucode_fault_str(err.fault));
	return 0;
}

static int ucode_info_run(struct fwactctl_ctx *ctx, int argc, char **argv)
{
	struct ucode_info_out out = { .ctx = ctx };
	struct fwactctl_json json;
	int i, ret, status = 0;

	if (ctx->json) {
		fwactctl_json_init(&json, stdout);
		out.json = &json;
		fwactctl_json_array_begin(&json, NULL);
	}
	for (i = 0; i < argc; i++) {
		ret = ucode_info_file(&out, argv[i]);
		if (ret && !status)
			status = ret;
	}
	if (ctx->json) {
		fwactctl_json_array_end(&json);
		putchar('\n');
	}
	return status;
}

const struct fwactctl_cmd fwactctl_cmd_ucode_info = {
	.name = "ucode-info",
	.args = "FILE...",
	.summary = "list the patches of x86 microcode files",
	.help = "Validate each Intel microcode file (header, sizes, checksums, extended\n"
		"signature table, metadata) or AMD container (equivalence table, patch\n"
		"sections) with the parser of the kernel backend and list its patches,\n"
		"one line per signature (Intel) or patch (AMD). Exits with EINVAL if any\n"
		"file is malformed.",
	.min_args = 1,
	.max_args = 4096,
	.run = ucode_info_run,
};
