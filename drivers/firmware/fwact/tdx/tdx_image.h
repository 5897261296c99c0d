/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TDX module images and their SEAM sigstruct. An image is one of two
 * formats, both starting with a 4 KiB header that says "TDX-BLOB":
 *
 *  - version 0x200, the format of Linux 7.2: the header gives the number
 *    of sigstruct pages (1) and module pages (1..496); those pages follow
 *    the header, and the image is exactly that long. Every reserved byte
 *    of the header (from offset 20) is zero; its checksum field is not
 *    checked.
 *  - version 0x100, the blobs Intel publishes: the header gives the offset
 *    of the module and the length of the whole blob, whose 16-bit
 *    little-endian words sum to zero; the sigstruct is at 4 KiB and the
 *    module runs from its offset to the end.
 *
 * The sigstruct (2048 bytes) carries the RSA-3072 key and signature, the
 * SHA-384 of the module (SEAMHASH), the module's SVN and handoff versions
 * and the CPUs it runs on. Bytes the formats leave unused but the kernel
 * and the P-SEAMLDR never read (the sigstruct page after its 2048 bytes,
 * a 0x100 blob's header after its length and its padding pages) are not
 * checked, so that a blob Intel publishes is taken as it is.
 *
 * The same parser is built into the fwact TDX backend, the fwactctl
 * tdx-info command, the host tests and a libFuzzer target, so nothing here
 * allocates, logs or depends on the running CPU: every function works on a
 * caller's buffer and checks every length and offset against it before
 * reading.
 */
#ifndef _FWACT_TDX_IMAGE_H
#define _FWACT_TDX_IMAGE_H

#include "../parse-compat.h"

#define TDX_IMAGE_PAGE_SIZE		4096
#define TDX_IMAGE_SIGNATURE		"TDX-BLOB"
#define TDX_IMAGE_SIGNATURE_LEN		8
#define TDX_IMAGE_V1			0x100
#define TDX_IMAGE_V2			0x200
#define TDX_IMAGE_MAX_MODULE_PAGES	496
#define TDX_IMAGE_SIGSTRUCT_PAGES	1
/*
 * The largest image accepted: a version 0x100 blob may pad between its
 * sigstruct and its module, but not by more than this allows.
 */
#define TDX_IMAGE_MAX_SIZE		(4UL << 20)

/* Header of version 0x200. */
#define TDX_IMAGE_V2_SIGNATURE		4
#define TDX_IMAGE_V2_SIG_PAGES		12
#define TDX_IMAGE_V2_MOD_PAGES		16
#define TDX_IMAGE_V2_RESERVED		20

/* Header of version 0x100. */
#define TDX_IMAGE_V1_MODULE_OFF		4
#define TDX_IMAGE_V1_SIGNATURE		8
#define TDX_IMAGE_V1_LENGTH		16
#define TDX_IMAGE_V1_MIN_MODULE_OFF	8192

/* SEAM sigstruct layout (Intel P-SEAMLDR, seam_sigstruct.h). */
#define TDX_SIGSTRUCT_SIZE		2048
#define TDX_SIGSTRUCT_HEADER_TYPE	0
#define TDX_SIGSTRUCT_HEADER_LEN	4
#define TDX_SIGSTRUCT_HEADER_VER	8
#define TDX_SIGSTRUCT_MODULE_TYPE	12
#define TDX_SIGSTRUCT_VENDOR		16
#define TDX_SIGSTRUCT_DATE		20
#define TDX_SIGSTRUCT_SIZE_DWORDS	24
#define TDX_SIGSTRUCT_KEY_SIZE		28
#define TDX_SIGSTRUCT_MODULUS_SIZE	32
#define TDX_SIGSTRUCT_EXPONENT_SIZE	36
#define TDX_SIGSTRUCT_RESERVED0		40
#define TDX_SIGSTRUCT_MODULUS		128
#define TDX_SIGSTRUCT_EXPONENT		512
#define TDX_SIGSTRUCT_SIGNATURE		516
#define TDX_SIGSTRUCT_SEAMHASH		900
#define TDX_SIGSTRUCT_SEAMSVN		948
#define TDX_SIGSTRUCT_ATTRIBUTES	950
#define TDX_SIGSTRUCT_RESERVED1		978
#define TDX_SIGSTRUCT_MODULE_HV		984
#define TDX_SIGSTRUCT_MIN_UPDATE_HV	986
#define TDX_SIGSTRUCT_NO_DOWNGRADE	988
#define TDX_SIGSTRUCT_RESERVED2		989
#define TDX_SIGSTRUCT_HANDOFF_PAGES	990
#define TDX_SIGSTRUCT_RESERVED3		1000
#define TDX_SIGSTRUCT_CPUID_SIZE	1024
#define TDX_SIGSTRUCT_CPUID_TABLE	1028

#define TDX_SIGSTRUCT_RSA_BYTES		384
#define TDX_SIGSTRUCT_HASH_BYTES	48
#define TDX_SIGSTRUCT_MAX_CPUIDS	255
/* The signature covers [0, 128) and [900, 2048): all but key and signature. */
#define TDX_SIGSTRUCT_SIGNED_HEAD	TDX_SIGSTRUCT_MODULUS
#define TDX_SIGSTRUCT_SIGNED_BODY	TDX_SIGSTRUCT_SEAMHASH

/* Values the P-SEAMLDR requires of the sigstruct header. */
#define TDX_SIGSTRUCT_TYPE_GENERIC_FW	0x6
#define TDX_SIGSTRUCT_HEADER_DWORDS	0xe1
#define TDX_SIGSTRUCT_VERSION_1_0	0x10000
#define TDX_SIGSTRUCT_DWORDS		0x200
#define TDX_SIGSTRUCT_KEY_DWORDS	0x60
#define TDX_SIGSTRUCT_EXPONENT_DWORDS	0x1
#define TDX_SIGSTRUCT_RSA_EXPONENT	0x10001
#define TDX_SIGSTRUCT_VENDOR_INTEL	0x8086
#define TDX_SIGSTRUCT_DEBUG_SIGNED	BIT(31)

/**
 * enum tdx_image_format - which header an image has
 * @TDX_IMAGE_FORMAT_NONE: not parsed
 * @TDX_IMAGE_FORMAT_V1: version 0x100, the blobs Intel publishes
 * @TDX_IMAGE_FORMAT_V2: version 0x200, the format of Linux 7.2
 */
enum tdx_image_format {
	TDX_IMAGE_FORMAT_NONE,
	TDX_IMAGE_FORMAT_V1,
	TDX_IMAGE_FORMAT_V2,
};

/**
 * enum tdx_image_fault - why an image was refused
 * @TDX_IMAGE_FAULT_NONE: not refused
 * @TDX_IMAGE_FAULT_TRUNC_HDR: shorter than the 4 KiB header
 * @TDX_IMAGE_FAULT_TOO_BIG: larger than %TDX_IMAGE_MAX_SIZE
 * @TDX_IMAGE_FAULT_VERSION: header version is neither 0x100 nor 0x200
 * @TDX_IMAGE_FAULT_SIGNATURE: the header does not say "TDX-BLOB"
 * @TDX_IMAGE_FAULT_RESERVED: a reserved byte of a 0x200 header is set
 * @TDX_IMAGE_FAULT_SIG_PAGES: a 0x200 header's sigstruct pages are not 1
 * @TDX_IMAGE_FAULT_MOD_PAGES: no module pages, more than 496, or (0x100)
 *	a module that is not a whole number of pages
 * @TDX_IMAGE_FAULT_LENGTH: the image is not as long as its header says
 * @TDX_IMAGE_FAULT_MOD_OFFSET: a 0x100 blob's module offset is below 8 KiB,
 *	not page aligned or not inside the blob
 * @TDX_IMAGE_FAULT_CHECKSUM: a 0x100 blob's 16-bit words do not sum to 0
 * @TDX_IMAGE_FAULT_SIG_HEADER: the sigstruct's header type, length,
 *	version, size, key size or exponent is not the one the P-SEAMLDR takes
 * @TDX_IMAGE_FAULT_SIG_VENDOR: the sigstruct's module vendor is not Intel
 * @TDX_IMAGE_FAULT_SIG_RESERVED: a reserved byte of the sigstruct is set
 * @TDX_IMAGE_FAULT_SIG_CPUID: the CPUID table has more than 255 entries,
 *	or none in a production module
 * @TDX_IMAGE_FAULT_NR: number of faults
 */
enum tdx_image_fault {
	TDX_IMAGE_FAULT_NONE,
	TDX_IMAGE_FAULT_TRUNC_HDR,
	TDX_IMAGE_FAULT_TOO_BIG,
	TDX_IMAGE_FAULT_VERSION,
	TDX_IMAGE_FAULT_SIGNATURE,
	TDX_IMAGE_FAULT_RESERVED,
	TDX_IMAGE_FAULT_SIG_PAGES,
	TDX_IMAGE_FAULT_MOD_PAGES,
	TDX_IMAGE_FAULT_LENGTH,
	TDX_IMAGE_FAULT_MOD_OFFSET,
	TDX_IMAGE_FAULT_CHECKSUM,
	TDX_IMAGE_FAULT_SIG_HEADER,
	TDX_IMAGE_FAULT_SIG_VENDOR,
	TDX_IMAGE_FAULT_SIG_RESERVED,
	TDX_IMAGE_FAULT_SIG_CPUID,
	TDX_IMAGE_FAULT_NR
};

/**
 * struct tdx_image_err - where and why parsing stopped
 * @fault: the reason (&enum tdx_image_fault)
 * @off: byte offset in the image of the field that was refused; for an
 *	image of the wrong size (%TDX_IMAGE_FAULT_TRUNC_HDR, TOO_BIG, and
 *	LENGTH of a 0x200 image) the size itself, and for a 0x100 module
 *	that is not 1..496 whole pages the module's offset
 */
struct tdx_image_err {
	enum tdx_image_fault fault;
	size_t off;
};

/**
 * struct tdx_sigstruct - the fields of a validated SEAM sigstruct
 * @raw: the 2048 bytes of the sigstruct
 * @module_type: module type word; %TDX_SIGSTRUCT_DEBUG_SIGNED is bit 31
 * @debug: the module is debug-signed
 * @vendor: module vendor (0x8086)
 * @date: build date, BCD 0xYYYYMMDD
 * @exponent: RSA public exponent (65537)
 * @modulus: RSA-3072 modulus, %TDX_SIGSTRUCT_RSA_BYTES, little-endian
 * @signature: RSA signature, %TDX_SIGSTRUCT_RSA_BYTES, little-endian
 * @seamhash: SHA-384 of the module pages, %TDX_SIGSTRUCT_HASH_BYTES
 * @svn_minor: minor security version
 * @svn_major: major security version
 * @attributes: module attributes
 * @module_hv: highest handoff version the module can import
 * @min_update_hv: lowest handoff version the module can import
 * @no_downgrade: the sigstruct's no_downgrade flag, shown but not used:
 *	tdx_image_update_check() refuses a lower SVN whatever it says
 * @num_handoff_pages: pages of handoff data the module keeps
 * @nr_cpuids: entries in the CPUID table
 * @cpuid_table: first entry of the CPUID table (CPUID(1).EAX values,
 *	32-bit little-endian each); read them with tdx_sigstruct_cpuid()
 */
struct tdx_sigstruct {
	const u8 *raw;
	u32 module_type;
	bool debug;
	u32 vendor;
	u32 date;
	u32 exponent;
	const u8 *modulus;
	const u8 *signature;
	const u8 *seamhash;
	u8 svn_minor;
	u8 svn_major;
	u64 attributes;
	u16 module_hv;
	u16 min_update_hv;
	bool no_downgrade;
	u16 num_handoff_pages;
	u32 nr_cpuids;
	const u8 *cpuid_table;
};

/**
 * struct tdx_image - a validated TDX module image
 * @format: which header it has
 * @version: header version (0x100 or 0x200)
 * @data: first byte of the image
 * @size: bytes of the image
 * @sigstruct_off: offset of the sigstruct's page
 * @module_off: offset of the first module page
 * @module_pages: number of module pages
 * @sig: the sigstruct's fields
 */
struct tdx_image {
	enum tdx_image_format format;
	u16 version;
	const u8 *data;
	size_t size;
	size_t sigstruct_off;
	size_t module_off;
	u32 module_pages;
	struct tdx_sigstruct sig;
};

/**
 * struct tdx_running - what the running module's update rules compare
 * @svn_minor: its minor security version
 * @svn_major: its major security version
 * @module_hv: the handoff version it writes at shutdown (its MODULE_HV)
 */
struct tdx_running {
	u8 svn_minor;
	u8 svn_major;
	u16 module_hv;
};

/**
 * enum tdx_update_fault - why an image may not replace the running module
 * @TDX_UPDATE_FAULT_NONE: it may
 * @TDX_UPDATE_FAULT_SVN: its SVN is lower than the running module's
 * @TDX_UPDATE_FAULT_HANDOFF: it cannot import the running module's handoff
 *	data (the running MODULE_HV is outside [min_update_hv, module_hv])
 * @TDX_UPDATE_FAULT_DEBUG: it is debug-signed and that was not allowed
 * @TDX_UPDATE_FAULT_CPU: a CPU's CPUID(1).EAX is not in its CPUID table
 * @TDX_UPDATE_FAULT_NR: number of faults
 */
enum tdx_update_fault {
	TDX_UPDATE_FAULT_NONE,
	TDX_UPDATE_FAULT_SVN,
	TDX_UPDATE_FAULT_HANDOFF,
	TDX_UPDATE_FAULT_DEBUG,
	TDX_UPDATE_FAULT_CPU,
	TDX_UPDATE_FAULT_NR
};

const char *tdx_image_fault_str(enum tdx_image_fault fault);
const char *tdx_update_fault_str(enum tdx_update_fault fault);

int tdx_image_parse(const void *data, size_t size, struct tdx_image *img,
		    struct tdx_image_err *err);
int tdx_sigstruct_parse(const void *raw, struct tdx_sigstruct *sig,
			struct tdx_image_err *err);
u16 tdx_image_v1_checksum(const void *data, size_t size);
size_t tdx_image_declared_size(const void *hdr, size_t len);

const u8 *tdx_image_module(const struct tdx_image *img);
const u8 *tdx_image_sigstruct(const struct tdx_image *img);

u32 tdx_sigstruct_cpuid(const struct tdx_sigstruct *sig, u32 idx);
bool tdx_sigstruct_runs_on(const struct tdx_sigstruct *sig, u32 cpuid1_eax);
enum tdx_update_fault tdx_image_update_check(const struct tdx_sigstruct *sig,
					     const struct tdx_running *cur,
					     bool allow_debug);

/*
 * SEAMLDR_PARAMS: what SEAMLDR.INSTALL is given (RCX = its physical
 * address), one 4 KiB-aligned page: version 0, the scenario, the physical
 * address of the sigstruct's page and of each module page.
 */
#define TDX_PARAMS_SIZE			4096
#define TDX_PARAMS_VERSION		0
#define TDX_PARAMS_SCENARIO		4
#define TDX_PARAMS_SIGSTRUCT_PA		8
#define TDX_PARAMS_RESERVED		16
#define TDX_PARAMS_NUM_MODULE_PAGES	120
#define TDX_PARAMS_MODULE_PA_LIST	128
#define TDX_PARAMS_SCENARIO_LOAD	0
#define TDX_PARAMS_SCENARIO_UPDATE	1

/**
 * enum tdx_params_fault - why SEAMLDR_PARAMS is not what the P-SEAMLDR takes
 * @TDX_PARAMS_FAULT_NONE: it is
 * @TDX_PARAMS_FAULT_VERSION: version is not 0
 * @TDX_PARAMS_FAULT_SCENARIO: scenario is neither LOAD nor UPDATE
 * @TDX_PARAMS_FAULT_RESERVED: a reserved byte is set
 * @TDX_PARAMS_FAULT_PAGES: the module page count is not 1..496
 * @TDX_PARAMS_FAULT_ALIGN: the sigstruct's or a module page's address is
 *	not 4 KiB aligned
 * @TDX_PARAMS_FAULT_NR: number of faults
 */
enum tdx_params_fault {
	TDX_PARAMS_FAULT_NONE,
	TDX_PARAMS_FAULT_VERSION,
	TDX_PARAMS_FAULT_SCENARIO,
	TDX_PARAMS_FAULT_RESERVED,
	TDX_PARAMS_FAULT_PAGES,
	TDX_PARAMS_FAULT_ALIGN,
	TDX_PARAMS_FAULT_NR
};

/*
 * The physical address of @page, a page-aligned pointer into the image;
 * for tdx_image_params().
 */
typedef u64 (*tdx_image_pa_fn)(const void *page, void *ctx);

int tdx_image_params(const struct tdx_image *img, void *params,
		     tdx_image_pa_fn pa, void *ctx);
enum tdx_params_fault tdx_params_check(const void *params);

#endif /* _FWACT_TDX_IMAGE_H */
