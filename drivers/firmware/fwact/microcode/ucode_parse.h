/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsers for x86 microcode files: Intel microcode updates (a 48-byte
 * header, the data, an optional extended signature table, all covered by
 * dword checksums) and AMD containers (an equivalence table followed by
 * patch sections). The same code is built into the fwact microcode backend,
 * the fwactctl ucode-info command and the libFuzzer harnesses, so nothing
 * here allocates, logs or depends on the running CPU: every function works
 * on a caller's buffer and checks every length and offset against it.
 */
#ifndef _FWACT_UCODE_PARSE_H
#define _FWACT_UCODE_PARSE_H

#include "../parse-compat.h"

/* Intel: header layout and sizes (Intel SDM vol. 3A, 10.11.1). */
#define UCODE_INTEL_HDR_SIZE		48
#define UCODE_INTEL_DEFAULT_DATASIZE	2000
#define UCODE_INTEL_EXT_HDR_SIZE	20
#define UCODE_INTEL_EXT_SIG_SIZE	12
#define UCODE_INTEL_META_BLK_SIZE	8

/* AMD: container layout. */
#define UCODE_AMD_MAGIC			0x00414d44
#define UCODE_AMD_EQUIV_TYPE		0
#define UCODE_AMD_PATCH_TYPE		1
#define UCODE_AMD_CONTAINER_HDR_SIZE	12
#define UCODE_AMD_SECTION_HDR_SIZE	8
#define UCODE_AMD_EQUIV_SIZE		16
#define UCODE_AMD_PATCH_HDR_SIZE	64

/* AMD families from which the patch id names the CPU (Zen). */
#define UCODE_AMD_ZEN_FAMILY		0x17

/**
 * enum ucode_vendor - whose format a file is in
 * @UCODE_VENDOR_UNKNOWN: neither
 * @UCODE_VENDOR_INTEL: Intel microcode update(s)
 * @UCODE_VENDOR_AMD: AMD container(s)
 */
enum ucode_vendor {
	UCODE_VENDOR_UNKNOWN,
	UCODE_VENDOR_INTEL,
	UCODE_VENDOR_AMD,
};

/**
 * enum ucode_fault - why a file was rejected
 * @UCODE_FAULT_NONE: not rejected
 * @UCODE_FAULT_EMPTY: no bytes at all
 * @UCODE_FAULT_INTEL_TRUNC_HDR: fewer bytes left than a header
 * @UCODE_FAULT_INTEL_HDRVER: header version is not 1
 * @UCODE_FAULT_INTEL_LDRVER: loader version is not 1
 * @UCODE_FAULT_INTEL_DATASIZE: data size not a dword multiple or larger
 *	than the total size allows
 * @UCODE_FAULT_INTEL_TOTALSIZE: total size not a dword multiple
 * @UCODE_FAULT_INTEL_TRUNC: total size runs past the end of the file
 * @UCODE_FAULT_INTEL_CHECKSUM: header and data do not sum to zero
 * @UCODE_FAULT_INTEL_EXT_SIZE: extended table too small for its header or
 *	its signature count
 * @UCODE_FAULT_INTEL_EXT_CHECKSUM: extended table does not sum to zero
 * @UCODE_FAULT_INTEL_EXT_SIG_CHECKSUM: an extended signature's checksum
 *	does not match the header's
 * @UCODE_FAULT_INTEL_METASIZE: metadata larger than the data or not a
 *	dword multiple
 * @UCODE_FAULT_INTEL_META_BLOCK: a metadata block is too small, unaligned
 *	or runs past the metadata
 * @UCODE_FAULT_AMD_TRUNC_HDR: fewer bytes left than a container header
 * @UCODE_FAULT_AMD_MAGIC: container magic is wrong
 * @UCODE_FAULT_AMD_EQUIV_TYPE: first section is not an equivalence table
 * @UCODE_FAULT_AMD_EQUIV_LEN: equivalence table empty, not a whole number
 *	of entries, or past the end of the file
 * @UCODE_FAULT_AMD_TRUNC_SECTION: a section header is cut off
 * @UCODE_FAULT_AMD_SECTION_TYPE: a section is neither a patch nor the start
 *	of the next container
 * @UCODE_FAULT_AMD_SECTION_LEN: a section's length runs past the end of
 *	the file
 * @UCODE_FAULT_AMD_PATCH_SIZE: a patch is smaller than its header or larger
 *	than its family allows
 * @UCODE_FAULT_NR: number of faults
 */
enum ucode_fault {
	UCODE_FAULT_NONE,
	UCODE_FAULT_EMPTY,
	UCODE_FAULT_INTEL_TRUNC_HDR,
	UCODE_FAULT_INTEL_HDRVER,
	UCODE_FAULT_INTEL_LDRVER,
	UCODE_FAULT_INTEL_DATASIZE,
	UCODE_FAULT_INTEL_TOTALSIZE,
	UCODE_FAULT_INTEL_TRUNC,
	UCODE_FAULT_INTEL_CHECKSUM,
	UCODE_FAULT_INTEL_EXT_SIZE,
	UCODE_FAULT_INTEL_EXT_CHECKSUM,
	UCODE_FAULT_INTEL_EXT_SIG_CHECKSUM,
	UCODE_FAULT_INTEL_METASIZE,
	UCODE_FAULT_INTEL_META_BLOCK,
	UCODE_FAULT_AMD_TRUNC_HDR,
	UCODE_FAULT_AMD_MAGIC,
	UCODE_FAULT_AMD_EQUIV_TYPE,
	UCODE_FAULT_AMD_EQUIV_LEN,
	UCODE_FAULT_AMD_TRUNC_SECTION,
	UCODE_FAULT_AMD_SECTION_TYPE,
	UCODE_FAULT_AMD_SECTION_LEN,
	UCODE_FAULT_AMD_PATCH_SIZE,
	UCODE_FAULT_NR
};

/**
 * struct ucode_err - where and why parsing stopped
 * @fault: the reason (&enum ucode_fault)
 * @off: byte offset in the file of the structure that was rejected
 */
struct ucode_err {
	enum ucode_fault fault;
	size_t off;
};

/**
 * struct ucode_intel_patch - one validated Intel microcode update
 * @hdrver: header version (1)
 * @rev: update revision
 * @date: BCD date, 0xMMDDYYYY
 * @sig: processor signature (CPUID(1).EAX) of the main header
 * @cksum: checksum field of the main header
 * @ldrver: loader revision (1)
 * @pf: platform-id mask of the main header
 * @datasize: size of the data in bytes (2000 if the header says 0)
 * @totalsize: header + data + extended table in bytes
 * @metasize: bytes of metadata at the end of the data
 * @min_req_ver: lowest revision from which a late load is safe, 0 if the
 *	update does not say
 * @ext_count: number of extended signatures
 * @ext: first extended signature, or NULL if @ext_count is 0
 */
struct ucode_intel_patch {
	u32 hdrver;
	u32 rev;
	u32 date;
	u32 sig;
	u32 cksum;
	u32 ldrver;
	u32 pf;
	u32 datasize;
	u32 totalsize;
	u32 metasize;
	u32 min_req_ver;
	u32 ext_count;
	const u8 *ext;
};

/**
 * struct ucode_amd_patch - one validated AMD patch
 * @date: BCD date, 0xMMDDYYYY (data_code)
 * @patch_id: patch level the CPU reports after loading it
 * @processor_rev_id: equivalence id the patch is for
 * @nb_dev_id: northbridge device id (non-zero: chipset specific)
 * @sb_dev_id: southbridge device id (non-zero: chipset specific)
 * @family: CPU family the patch is for
 * @equiv: equivalence table of its container
 * @nr_equiv: entries in @equiv, including any zero terminator
 */
struct ucode_amd_patch {
	u32 date;
	u32 patch_id;
	u16 processor_rev_id;
	u32 nb_dev_id;
	u32 sb_dev_id;
	unsigned int family;
	const u8 *equiv;
	u32 nr_equiv;
};

/**
 * struct ucode_file_patch - one patch of a file, as found by ucode_walk()
 * @vendor: whose patch it is
 * @data: first byte of the patch (Intel: the header; AMD: the patch header,
 *	after the section header)
 * @size: bytes of the patch from @data
 * @off: offset of @data in the file
 * @rev: revision the CPU reports once it runs this patch
 * @date: BCD date, 0xMMDDYYYY
 * @intel: Intel details, valid if @vendor is %UCODE_VENDOR_INTEL
 * @amd: AMD details, valid if @vendor is %UCODE_VENDOR_AMD
 */
struct ucode_file_patch {
	enum ucode_vendor vendor;
	const u8 *data;
	size_t size;
	size_t off;
	u32 rev;
	u32 date;
	union {
		struct ucode_intel_patch intel;
		struct ucode_amd_patch amd;
	};
};

/*
 * Called for every patch of a file in order; a non-zero return stops the
 * walk and is returned by ucode_walk().
 */
typedef int (*ucode_walk_fn)(void *ctx, const struct ucode_file_patch *patch);

const char *ucode_fault_str(enum ucode_fault fault);
enum ucode_vendor ucode_vendor_detect(const void *buf, size_t len);
int ucode_walk(const void *buf, size_t len, ucode_walk_fn fn, void *ctx,
	       struct ucode_err *err);

int ucode_intel_parse(const void *buf, size_t len, size_t off,
		      struct ucode_file_patch *patch, struct ucode_err *err);
void ucode_intel_ext_sig(const struct ucode_intel_patch *p, u32 idx,
			 u32 *sig, u32 *pf);
bool ucode_intel_match(const struct ucode_intel_patch *p, u32 sig, u32 pf);

u16 ucode_amd_equiv_id(const struct ucode_amd_patch *p, u32 sig);
void ucode_amd_equiv_get(const struct ucode_amd_patch *p, u32 idx,
			 u32 *installed_cpu, u16 *equiv_id);
u32 ucode_amd_zen_sig(u32 patch_id);
bool ucode_amd_match(const struct ucode_amd_patch *p, u32 sig);

bool ucode_patch_match(const struct ucode_file_patch *patch, u32 sig, u32 pf);
bool ucode_patch_minrev_safe(const struct ucode_file_patch *patch, u32 cur_rev);

unsigned int ucode_sig_family(u32 sig);
unsigned int ucode_sig_model(u32 sig);
unsigned int ucode_sig_stepping(u32 sig);

#endif /* _FWACT_UCODE_PARSE_H */
