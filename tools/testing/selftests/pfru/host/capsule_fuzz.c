// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the PFRU backend's capsule validation (pfru_capsule.c,
 * compiled unchanged against kcompat.h): every input is validated from a
 * heap block of exactly its size under AddressSanitizer and UBSan, and a
 * rejection must log exactly one line, an acceptance none.
 */
#include <stdlib.h>
#include <string.h>

#include "kcompat.h"

#include <uapi/linux/pfrut.h>

#include "../../../../../drivers/firmware/fwact/pfru/pfru.h"

unsigned int kcompat_log_lines;

/* Built with -Dfuzz_one_input=LLVMFuzzerTestOneInput. */
int fuzz_one_input(const u8 *data, size_t size)
{
	static const struct pfru_update_cap_info cap = { .code_rt_version = 1,
							 .drv_svn = 1 };
	struct device dev = { .quiet = 1 };
	struct pfru_capsule_info info;
	unsigned int before = kcompat_log_lines;
	u8 *copy = malloc(size ? size : 1);
	int ret;

	memcpy(copy, data, size);
	ret = pfru_capsule_validate(&dev, copy, size, &cap, &info);
	free(copy);
	if (kcompat_log_lines - before != (ret ? 1u : 0u) ||
	    (ret && ret != -EINVAL) || (!ret && info.size > size))
		abort();
	return 0;
}
