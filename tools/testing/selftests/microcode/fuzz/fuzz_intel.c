// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the Intel microcode parser of the fwact microcode
 * backend (drivers/firmware/fwact/microcode/ucode_parse.c, built here
 * unchanged). Every input is parsed as a sequence of Intel updates even if
 * it starts with the AMD magic, and every accessor the backend uses on a
 * validated patch (matching against a CPU signature taken from the input,
 * extended signature reads, the min-rev rule) is run on each update found,
 * so that AddressSanitizer sees every read the kernel would make.
 */
#include <stddef.h>

#include "ucode_parse.h"

/* Renamed to libFuzzer's entry point by the Makefile (-D). */
int fuzz_one_input(const __u8 *data, size_t size);

int fuzz_one_input(const __u8 *data, size_t size)
{
	struct ucode_file_patch patch;
	struct ucode_err err;
	u32 sig = 0, pf = 0, i, esig, epf;
	size_t off = 0;

	if (size >= 8) {
		sig = get_unaligned_le32(data);
		pf = 1u << (data[4] & 7);
	}
	while (off < size) {
		if (ucode_intel_parse(data, size, off, &patch, &err)) {
			/* A fault must name a reason and an offset inside. */
			if (err.fault == UCODE_FAULT_NONE || err.off > size)
				__builtin_trap();
			break;
		}
		if (patch.size < UCODE_INTEL_HDR_SIZE ||
		    patch.size > size - off)
			__builtin_trap();
		ucode_patch_match(&patch, sig, pf);
		ucode_patch_match(&patch, patch.intel.sig, patch.intel.pf);
		ucode_patch_minrev_safe(&patch, sig);
		for (i = 0; i < patch.intel.ext_count; i++)
			ucode_intel_ext_sig(&patch.intel, i, &esig, &epf);
		off += patch.size;
	}
	return 0;
}
