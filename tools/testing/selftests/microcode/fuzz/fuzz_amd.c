// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the AMD container parser of the fwact microcode
 * backend (drivers/firmware/fwact/microcode/ucode_parse.c, built here
 * unchanged). An input that does not start with the container magic gets
 * it prepended, so that the fuzzer spends its time in the equivalence
 * table and the patch sections rather than rediscovering the magic, while
 * real container files still work as seeds; every patch the walk yields is then
 * matched (equivalence table lookup and Zen patch-id decoding) against a
 * CPU signature taken from the input, as the backend would.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ucode_parse.h"

/* Renamed to libFuzzer's entry point by the Makefile (-D). */
int fuzz_one_input(const __u8 *data, size_t size);

struct fuzz_amd_ctx {
	u32 sig;
	size_t len;
};

static int fuzz_amd_patch(void *data, const struct ucode_file_patch *patch)
{
	struct fuzz_amd_ctx *ctx = data;
	u32 i, cpu;
	u16 id;

	if (patch->vendor != UCODE_VENDOR_AMD || patch->off > ctx->len ||
	    patch->size > ctx->len - patch->off)
		__builtin_trap();
	ucode_patch_match(patch, ctx->sig, 0);
	ucode_amd_equiv_id(&patch->amd, patch->amd.patch_id);
	ucode_amd_zen_sig(patch->amd.patch_id);
	for (i = 0; i < patch->amd.nr_equiv; i++)
		ucode_amd_equiv_get(&patch->amd, i, &cpu, &id);
	return 0;
}

int fuzz_one_input(const __u8 *data, size_t size)
{
	struct fuzz_amd_ctx ctx = { 0 };
	size_t pre = 4;
	struct ucode_err err;
	__u8 *buf;

	if (size >= 4 && get_unaligned_le32(data) == UCODE_AMD_MAGIC)
		pre = 0;
	/* Exactly sized, so ASan flags any read past the end. */
	buf = malloc(size + pre);
	if (!buf)
		return 0;
	memcpy(buf, "DMA", pre);
	memcpy(buf + pre, data, size);
	ctx.len = size + pre;
	if (size >= 4)
		ctx.sig = get_unaligned_le32(data + size - 4);
	if (ucode_walk(buf, ctx.len, fuzz_amd_patch, &ctx, &err) &&
	    (err.fault == UCODE_FAULT_NONE || err.off > ctx.len))
		__builtin_trap();
	free(buf);
	return 0;
}
