// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the TDX module image parser of the fwact TDX
 * backend (drivers/firmware/fwact/tdx/tdx_image.c, built here unchanged).
 * Every input is parsed as an image of either format. An image accepted
 * must describe itself consistently (its module ends where the input
 * ends, its sigstruct lies inside it before the module, its CPUID table
 * inside the sigstruct), becomes SEAMLDR_PARAMS the P-SEAMLDR's rules
 * accept, and every accessor the backend uses on it is run, so that
 * AddressSanitizer sees every read the kernel would make; an image
 * refused must name a fault and an offset inside the input (or
 * inside the sigstruct, for a fault of the sigstruct). Any broken rule
 * aborts, which libFuzzer reports as a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tdx_image.h"

/* Renamed to libFuzzer's entry point by the Makefile (-D). */
int fuzz_one_input(const __u8 *data, size_t size);

/* Where the module's end bytes are stored, so their reads stay. */
u8 fuzz_image_sink;

#define FUZZ_CHECK(cond)		\
	do {				\
		if (!(cond))		\
			abort();	\
	} while (0)

static bool fuzz_sigstruct_fault(enum tdx_image_fault fault)
{
	return fault >= TDX_IMAGE_FAULT_SIG_HEADER &&
	       fault < TDX_IMAGE_FAULT_NR;
}

/* A refused input: the fault is a real one, the offset is sane. */
static void fuzz_refused(size_t size, const struct tdx_image_err *err)
{
	FUZZ_CHECK(err->fault > TDX_IMAGE_FAULT_NONE &&
		   err->fault < TDX_IMAGE_FAULT_NR);
	FUZZ_CHECK(tdx_image_fault_str(err->fault));
	FUZZ_CHECK((size < TDX_IMAGE_PAGE_SIZE) ==
		   (err->fault == TDX_IMAGE_FAULT_TRUNC_HDR));
	if (err->fault == TDX_IMAGE_FAULT_TOO_BIG)
		FUZZ_CHECK(size > TDX_IMAGE_MAX_SIZE);
	FUZZ_CHECK(err->off <= size);
	/* The sigstruct is only looked at once the header put it inside. */
	if (fuzz_sigstruct_fault(err->fault))
		FUZZ_CHECK(err->off >= TDX_IMAGE_PAGE_SIZE &&
			   err->off < TDX_IMAGE_PAGE_SIZE + TDX_SIGSTRUCT_SIZE);
}

/* The decoded fields are those of the sigstruct's bytes. */
static void fuzz_sigstruct(const struct tdx_sigstruct *sig)
{
	const u8 *raw = sig->raw;
	struct tdx_sigstruct again;
	struct tdx_image_err err;
	u32 i;

	FUZZ_CHECK(sig->nr_cpuids <= TDX_SIGSTRUCT_MAX_CPUIDS);
	FUZZ_CHECK(sig->nr_cpuids || sig->debug);
	FUZZ_CHECK(sig->debug ==
		   !!(sig->module_type & TDX_SIGSTRUCT_DEBUG_SIGNED));
	FUZZ_CHECK(sig->vendor == TDX_SIGSTRUCT_VENDOR_INTEL);
	FUZZ_CHECK(sig->exponent == TDX_SIGSTRUCT_RSA_EXPONENT);
	FUZZ_CHECK(sig->modulus == raw + TDX_SIGSTRUCT_MODULUS);
	FUZZ_CHECK(sig->signature == raw + TDX_SIGSTRUCT_SIGNATURE);
	FUZZ_CHECK(sig->seamhash == raw + TDX_SIGSTRUCT_SEAMHASH);
	FUZZ_CHECK(sig->svn_minor == raw[TDX_SIGSTRUCT_SEAMSVN]);
	FUZZ_CHECK(sig->svn_major == raw[TDX_SIGSTRUCT_SEAMSVN + 1]);
	FUZZ_CHECK(sig->cpuid_table == raw + TDX_SIGSTRUCT_CPUID_TABLE);
	FUZZ_CHECK(TDX_SIGSTRUCT_CPUID_TABLE + 4 * (size_t)sig->nr_cpuids <=
		   TDX_SIGSTRUCT_SIZE);

	/* Every entry of the table describes a CPU the module runs on. */
	for (i = 0; i < sig->nr_cpuids; i++)
		FUZZ_CHECK(tdx_sigstruct_runs_on(sig,
						 tdx_sigstruct_cpuid(sig, i)));
	if (!sig->nr_cpuids)
		FUZZ_CHECK(!tdx_sigstruct_runs_on(sig, 0x000806f0));

	/* Parsing is a function of the bytes: a second pass agrees. */
	FUZZ_CHECK(!tdx_sigstruct_parse(raw, &again, &err));
	FUZZ_CHECK(again.raw == raw && again.date == sig->date &&
		   again.attributes == sig->attributes &&
		   again.module_hv == sig->module_hv &&
		   again.min_update_hv == sig->min_update_hv &&
		   again.no_downgrade == sig->no_downgrade &&
		   again.num_handoff_pages == sig->num_handoff_pages &&
		   again.nr_cpuids == sig->nr_cpuids);
}

/* The update rules, against a running module taken from the input. */
static void fuzz_update(const struct tdx_sigstruct *sig, const u8 *data,
			size_t size)
{
	struct tdx_running cur = {
		.svn_minor = data[size - 1],
		.svn_major = data[size - 2],
		.module_hv = get_unaligned_le16(data + size - 4),
	};
	enum tdx_update_fault f;
	int debug;

	for (debug = 0; debug < 2; debug++) {
		f = tdx_image_update_check(sig, &cur, debug);
		FUZZ_CHECK(f >= TDX_UPDATE_FAULT_NONE &&
			   f < TDX_UPDATE_FAULT_NR);
		FUZZ_CHECK(tdx_update_fault_str(f));
		if (sig->debug && !debug)
			FUZZ_CHECK(f == TDX_UPDATE_FAULT_DEBUG);
	}
	/*
	 * Against itself, with debug allowed, a module is acceptable unless
	 * its own handoff range is empty.
	 */
	cur.svn_minor = sig->svn_minor;
	cur.svn_major = sig->svn_major;
	cur.module_hv = sig->module_hv;
	if (sig->min_update_hv <= sig->module_hv)
		FUZZ_CHECK(tdx_image_update_check(sig, &cur, true) ==
			   TDX_UPDATE_FAULT_NONE);
}

/* Physical addresses as offsets into the input, from 4 GiB. */
static u64 fuzz_pa(const void *page, void *ctx)
{
	return 0x100000000ULL + ((const u8 *)page - (const u8 *)ctx);
}

/*
 * Every image accepted becomes SEAMLDR_PARAMS that the P-SEAMLDR's rules
 * accept, naming the sigstruct's page and each module page in order.
 */
static void fuzz_params(const struct tdx_image *img)
{
	static u8 params[TDX_PARAMS_SIZE];
	u32 i;

	FUZZ_CHECK(!tdx_image_params(img, params, fuzz_pa, (void *)img->data));
	FUZZ_CHECK(tdx_params_check(params) == TDX_PARAMS_FAULT_NONE);
	FUZZ_CHECK(get_unaligned_le64(params + TDX_PARAMS_NUM_MODULE_PAGES) ==
		   img->module_pages);
	FUZZ_CHECK(get_unaligned_le64(params + TDX_PARAMS_SIGSTRUCT_PA) ==
		   fuzz_pa(tdx_image_sigstruct(img), (void *)img->data));
	for (i = 0; i < img->module_pages; i++)
		FUZZ_CHECK(get_unaligned_le64(params + TDX_PARAMS_MODULE_PA_LIST +
					      8 * i) ==
			   0x100000000ULL + img->module_off +
			   (u64)i * TDX_IMAGE_PAGE_SIZE);
}

int fuzz_one_input(const __u8 *data, size_t size)
{
	struct tdx_image_err err = {
		.fault = TDX_IMAGE_FAULT_NONE,
		.off = (size_t)-1,
	};
	struct tdx_image img;
	const u8 *mod;

	if (tdx_image_parse(data, size, &img, &err)) {
		fuzz_refused(size, &err);
		return 0;
	}

	FUZZ_CHECK(img.data == data && img.size == size);
	FUZZ_CHECK((img.format == TDX_IMAGE_FORMAT_V1 &&
		    img.version == TDX_IMAGE_V1) ||
		   (img.format == TDX_IMAGE_FORMAT_V2 &&
		    img.version == TDX_IMAGE_V2));
	FUZZ_CHECK(size <= TDX_IMAGE_MAX_SIZE);

	/* The sigstruct lies inside the image, before the module. */
	FUZZ_CHECK(img.sigstruct_off == TDX_IMAGE_PAGE_SIZE);
	FUZZ_CHECK(img.sigstruct_off + TDX_SIGSTRUCT_SIZE <= img.module_off);
	FUZZ_CHECK(tdx_image_sigstruct(&img) == data + img.sigstruct_off);
	FUZZ_CHECK(img.sig.raw == data + img.sigstruct_off);

	/* The module is whole pages and ends where the image ends. */
	FUZZ_CHECK(img.module_pages >= 1 &&
		   img.module_pages <= TDX_IMAGE_MAX_MODULE_PAGES);
	FUZZ_CHECK(img.module_off >= 2 * TDX_IMAGE_PAGE_SIZE &&
		   !(img.module_off % TDX_IMAGE_PAGE_SIZE));
	FUZZ_CHECK(img.module_off +
		   (size_t)img.module_pages * TDX_IMAGE_PAGE_SIZE == size);
	mod = tdx_image_module(&img);
	FUZZ_CHECK(mod == data + img.module_off);
	/* Its first and last byte, for AddressSanitizer. */
	fuzz_image_sink ^= mod[0] ^
		mod[(size_t)img.module_pages * TDX_IMAGE_PAGE_SIZE - 1];

	if (img.format == TDX_IMAGE_FORMAT_V1)
		FUZZ_CHECK(!tdx_image_v1_checksum(data, size));
	else
		FUZZ_CHECK(img.module_off == 2 * TDX_IMAGE_PAGE_SIZE);

	fuzz_sigstruct(&img.sig);
	fuzz_update(&img.sig, data, size);
	fuzz_params(&img);
	return 0;
}
