// SPDX-License-Identifier: GPL-2.0
/*
 * Parser of TDX module images (both header formats) and of the SEAM
 * sigstruct they carry, and the update rules the kernel can check before
 * any CPU is stopped. Built unchanged into the kernel and into user space:
 * see tdx_image.h.
 */
#include "tdx_image.h"

static const char * const tdx_image_fault_names[TDX_IMAGE_FAULT_NR] = {
	[TDX_IMAGE_FAULT_NONE]		= "no fault",
	[TDX_IMAGE_FAULT_TRUNC_HDR]	= "shorter than its 4 KiB header",
	[TDX_IMAGE_FAULT_TOO_BIG]	= "larger than 4 MiB",
	[TDX_IMAGE_FAULT_VERSION]	= "header version is not 0x100 or 0x200",
	[TDX_IMAGE_FAULT_SIGNATURE]	= "header signature is not TDX-BLOB",
	[TDX_IMAGE_FAULT_RESERVED]	= "reserved header bytes are not zero",
	[TDX_IMAGE_FAULT_SIG_PAGES]	= "sigstruct pages are not 1",
	[TDX_IMAGE_FAULT_MOD_PAGES]	= "module pages not 1..496 whole pages",
	[TDX_IMAGE_FAULT_LENGTH]	= "length is not the one its header gives",
	[TDX_IMAGE_FAULT_MOD_OFFSET]	= "module offset not a page from 8 KiB inside the blob",
	[TDX_IMAGE_FAULT_CHECKSUM]	= "16-bit checksum is not zero",
	[TDX_IMAGE_FAULT_SIG_HEADER]	= "sigstruct header, sizes or exponent unsupported",
	[TDX_IMAGE_FAULT_SIG_VENDOR]	= "sigstruct module vendor is not Intel",
	[TDX_IMAGE_FAULT_SIG_RESERVED]	= "reserved sigstruct bytes are not zero",
	[TDX_IMAGE_FAULT_SIG_CPUID]	= "sigstruct CPUID table empty or too long",
};

static const char * const tdx_update_fault_names[TDX_UPDATE_FAULT_NR] = {
	[TDX_UPDATE_FAULT_NONE]		= "no fault",
	[TDX_UPDATE_FAULT_SVN]		= "SVN lower than the running module's",
	[TDX_UPDATE_FAULT_HANDOFF]	= "cannot import the running module's handoff version",
	[TDX_UPDATE_FAULT_DEBUG]	= "debug-signed module not allowed",
	[TDX_UPDATE_FAULT_CPU]		= "a CPU is not in the module's CPUID table",
};

/**
 * tdx_image_fault_str() - describe why an image was refused
 * @fault: the reason
 *
 * Return: a short description, never NULL.
 */
const char *tdx_image_fault_str(enum tdx_image_fault fault)
{
	if ((unsigned int)fault >= TDX_IMAGE_FAULT_NR)
		return "unknown fault";
	return tdx_image_fault_names[fault];
}

/**
 * tdx_update_fault_str() - describe why an image may not be installed
 * @fault: the reason
 *
 * Return: a short description, never NULL.
 */
const char *tdx_update_fault_str(enum tdx_update_fault fault)
{
	if ((unsigned int)fault >= TDX_UPDATE_FAULT_NR)
		return "unknown fault";
	return tdx_update_fault_names[fault];
}

static int tdx_image_refuse(struct tdx_image_err *err,
			    enum tdx_image_fault fault, size_t off)
{
	err->fault = fault;
	err->off = off;
	return -EINVAL;
}

/**
 * tdx_image_v1_checksum() - 16-bit sum of an image's little-endian words
 * @data: the image
 * @size: its length in bytes; an odd last byte counts as a word's low half
 *
 * A valid version 0x100 blob sums to 0.
 *
 * Return: the sum, modulo 2^16.
 */
u16 tdx_image_v1_checksum(const void *data, size_t size)
{
	const u8 *b = data;
	u32 sum = 0;
	size_t i;

	for (i = 0; i + 1 < size; i += 2)
		sum += get_unaligned_le16(b + i);
	if (size & 1)
		sum += b[size - 1];
	return (u16)sum;
}

/* Every reserved field of the sigstruct, as offset and length. */
static const struct {
	u16 off;
	u16 len;
} tdx_sigstruct_reserved[] = {
	{ TDX_SIGSTRUCT_RESERVED0, TDX_SIGSTRUCT_MODULUS - TDX_SIGSTRUCT_RESERVED0 },
	{ TDX_SIGSTRUCT_RESERVED1, TDX_SIGSTRUCT_MODULE_HV - TDX_SIGSTRUCT_RESERVED1 },
	{ TDX_SIGSTRUCT_RESERVED2, TDX_SIGSTRUCT_HANDOFF_PAGES - TDX_SIGSTRUCT_RESERVED2 },
	{ TDX_SIGSTRUCT_RESERVED3, TDX_SIGSTRUCT_CPUID_SIZE - TDX_SIGSTRUCT_RESERVED3 },
};

/* The header words the P-SEAMLDR requires, as offset and value. */
static const struct {
	u16 off;
	u32 val;
} tdx_sigstruct_fixed[] = {
	{ TDX_SIGSTRUCT_HEADER_TYPE, TDX_SIGSTRUCT_TYPE_GENERIC_FW },
	{ TDX_SIGSTRUCT_HEADER_LEN, TDX_SIGSTRUCT_HEADER_DWORDS },
	{ TDX_SIGSTRUCT_HEADER_VER, TDX_SIGSTRUCT_VERSION_1_0 },
	{ TDX_SIGSTRUCT_SIZE_DWORDS, TDX_SIGSTRUCT_DWORDS },
	{ TDX_SIGSTRUCT_KEY_SIZE, TDX_SIGSTRUCT_KEY_DWORDS },
	{ TDX_SIGSTRUCT_MODULUS_SIZE, TDX_SIGSTRUCT_KEY_DWORDS },
	{ TDX_SIGSTRUCT_EXPONENT_SIZE, TDX_SIGSTRUCT_EXPONENT_DWORDS },
	{ TDX_SIGSTRUCT_EXPONENT, TDX_SIGSTRUCT_RSA_EXPONENT },
};

/**
 * tdx_sigstruct_parse() - validate a SEAM sigstruct and decode its fields
 * @raw: %TDX_SIGSTRUCT_SIZE bytes
 * @sig: filled in on success; its pointers point into @raw
 * @err: on failure, the fault and its offset in @raw
 *
 * Checks what the P-SEAMLDR checks of the sigstruct's form: the fixed
 * header words, the vendor, every reserved byte and the CPUID table's
 * size. The signature itself is not checked here.
 *
 * Return: 0, or -EINVAL with @err set.
 */
int tdx_sigstruct_parse(const void *raw, struct tdx_sigstruct *sig,
			struct tdx_image_err *err)
{
	const u8 *s = raw;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(tdx_sigstruct_fixed); i++)
		if (get_unaligned_le32(s + tdx_sigstruct_fixed[i].off) !=
		    tdx_sigstruct_fixed[i].val)
			return tdx_image_refuse(err, TDX_IMAGE_FAULT_SIG_HEADER,
						tdx_sigstruct_fixed[i].off);
	if (get_unaligned_le32(s + TDX_SIGSTRUCT_VENDOR) !=
	    TDX_SIGSTRUCT_VENDOR_INTEL)
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_SIG_VENDOR,
					TDX_SIGSTRUCT_VENDOR);
	for (i = 0; i < ARRAY_SIZE(tdx_sigstruct_reserved); i++) {
		const u8 *r = s + tdx_sigstruct_reserved[i].off;
		const u8 *bad = memchr_inv(r, 0, tdx_sigstruct_reserved[i].len);

		if (bad)
			return tdx_image_refuse(err, TDX_IMAGE_FAULT_SIG_RESERVED,
						bad - s);
	}

	sig->raw = s;
	sig->module_type = get_unaligned_le32(s + TDX_SIGSTRUCT_MODULE_TYPE);
	sig->debug = sig->module_type & TDX_SIGSTRUCT_DEBUG_SIGNED;
	sig->vendor = get_unaligned_le32(s + TDX_SIGSTRUCT_VENDOR);
	sig->date = get_unaligned_le32(s + TDX_SIGSTRUCT_DATE);
	sig->exponent = get_unaligned_le32(s + TDX_SIGSTRUCT_EXPONENT);
	sig->modulus = s + TDX_SIGSTRUCT_MODULUS;
	sig->signature = s + TDX_SIGSTRUCT_SIGNATURE;
	sig->seamhash = s + TDX_SIGSTRUCT_SEAMHASH;
	sig->svn_minor = s[TDX_SIGSTRUCT_SEAMSVN];
	sig->svn_major = s[TDX_SIGSTRUCT_SEAMSVN + 1];
	sig->attributes = get_unaligned_le64(s + TDX_SIGSTRUCT_ATTRIBUTES);
	sig->module_hv = get_unaligned_le16(s + TDX_SIGSTRUCT_MODULE_HV);
	sig->min_update_hv = get_unaligned_le16(s + TDX_SIGSTRUCT_MIN_UPDATE_HV);
	sig->no_downgrade = s[TDX_SIGSTRUCT_NO_DOWNGRADE];
	sig->num_handoff_pages =
		get_unaligned_le16(s + TDX_SIGSTRUCT_HANDOFF_PAGES);
	sig->nr_cpuids = get_unaligned_le32(s + TDX_SIGSTRUCT_CPUID_SIZE);
	sig->cpuid_table = s + TDX_SIGSTRUCT_CPUID_TABLE;
	if (sig->nr_cpuids > TDX_SIGSTRUCT_MAX_CPUIDS ||
	    (!sig->nr_cpuids && !sig->debug))
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_SIG_CPUID,
					TDX_SIGSTRUCT_CPUID_SIZE);
	return 0;
}

static int tdx_image_parse_v2(const u8 *d, size_t size, struct tdx_image *img,
			      struct tdx_image_err *err)
{
	u32 sig_pages = get_unaligned_le32(d + TDX_IMAGE_V2_SIG_PAGES);
	u32 mod_pages = get_unaligned_le32(d + TDX_IMAGE_V2_MOD_PAGES);
	const u8 *bad;

	bad = memchr_inv(d + TDX_IMAGE_V2_RESERVED, 0,
			 TDX_IMAGE_PAGE_SIZE - TDX_IMAGE_V2_RESERVED);
	if (bad)
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_RESERVED, bad - d);
	if (sig_pages != TDX_IMAGE_SIGSTRUCT_PAGES)
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_SIG_PAGES,
					TDX_IMAGE_V2_SIG_PAGES);
	if (!mod_pages || mod_pages > TDX_IMAGE_MAX_MODULE_PAGES)
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_MOD_PAGES,
					TDX_IMAGE_V2_MOD_PAGES);
	/* Both counts are bounded above, so this cannot overflow. */
	if (size != (size_t)TDX_IMAGE_PAGE_SIZE * (1 + sig_pages + mod_pages))
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_LENGTH, size);

	img->sigstruct_off = TDX_IMAGE_PAGE_SIZE;
	img->module_off = (size_t)TDX_IMAGE_PAGE_SIZE * (1 + sig_pages);
	img->module_pages = mod_pages;
	return 0;
}

static int tdx_image_parse_v1(const u8 *d, size_t size, struct tdx_image *img,
			      struct tdx_image_err *err)
{
	u32 mod_off = get_unaligned_le32(d + TDX_IMAGE_V1_MODULE_OFF);
	u32 length = get_unaligned_le32(d + TDX_IMAGE_V1_LENGTH);
	size_t mod_size;

	if (length != size)
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_LENGTH,
					TDX_IMAGE_V1_LENGTH);
	if (mod_off < TDX_IMAGE_V1_MIN_MODULE_OFF ||
	    mod_off % TDX_IMAGE_PAGE_SIZE || mod_off >= size)
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_MOD_OFFSET,
					TDX_IMAGE_V1_MODULE_OFF);
	mod_size = size - mod_off;
	if (mod_size % TDX_IMAGE_PAGE_SIZE ||
	    mod_size / TDX_IMAGE_PAGE_SIZE > TDX_IMAGE_MAX_MODULE_PAGES)
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_MOD_PAGES, mod_off);
	if (tdx_image_v1_checksum(d, size))
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_CHECKSUM, 2);

	img->sigstruct_off = TDX_IMAGE_PAGE_SIZE;
	img->module_off = mod_off;
	img->module_pages = mod_size / TDX_IMAGE_PAGE_SIZE;
	return 0;
}

/**
 * tdx_image_parse() - validate a TDX module image of either format
 * @data: the image
 * @size: its length in bytes
 * @img: filled in on success; its pointers point into @data
 * @err: on failure, the fault and the offset of the field refused
 *
 * Every length and offset of the header is checked against @size before
 * anything it points to is read; then the sigstruct is validated by
 * tdx_sigstruct_parse(). Neither the signature nor SEAMHASH is checked:
 * the P-SEAMLDR does that, and fwactctl tdx-info can.
 *
 * Return: 0, or -EINVAL with @err set.
 */
int tdx_image_parse(const void *data, size_t size, struct tdx_image *img,
		    struct tdx_image_err *err)
{
	const u8 *d = data;
	size_t sig_off;
	u16 version;
	int ret;

	if (size < TDX_IMAGE_PAGE_SIZE)
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_TRUNC_HDR, size);
	if (size > TDX_IMAGE_MAX_SIZE)
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_TOO_BIG, size);

	memset(img, 0, sizeof(*img));
	version = get_unaligned_le16(d);
	switch (version) {
	case TDX_IMAGE_V2:
		sig_off = TDX_IMAGE_V2_SIGNATURE;
		img->format = TDX_IMAGE_FORMAT_V2;
		break;
	case TDX_IMAGE_V1:
		sig_off = TDX_IMAGE_V1_SIGNATURE;
		img->format = TDX_IMAGE_FORMAT_V1;
		break;
	default:
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_VERSION, 0);
	}
	if (memcmp(d + sig_off, TDX_IMAGE_SIGNATURE, TDX_IMAGE_SIGNATURE_LEN))
		return tdx_image_refuse(err, TDX_IMAGE_FAULT_SIGNATURE, sig_off);

	if (img->format == TDX_IMAGE_FORMAT_V2)
		ret = tdx_image_parse_v2(d, size, img, err);
	else
		ret = tdx_image_parse_v1(d, size, img, err);
	if (ret)
		return ret;

	img->version = version;
	img->data = d;
	img->size = size;
	ret = tdx_sigstruct_parse(d + img->sigstruct_off, &img->sig, err);
	if (ret)
		err->off += img->sigstruct_off;
	return ret;
}

/**
 * tdx_image_declared_size() - how long an image says it is
 * @hdr: the first bytes of an image
 * @len: how many of them there are
 *
 * For an interface that receives an image in pieces and must know when
 * it is whole: a 0x200 header gives its page counts, a 0x100 header its
 * length. Nothing else of the header is checked (tdx_image_parse() does).
 *
 * Return: the size in bytes the header declares, or 0 if @len is shorter
 * than the header or the header has neither version.
 */
size_t tdx_image_declared_size(const void *hdr, size_t len)
{
	const u8 *d = hdr;

	if (len < TDX_IMAGE_PAGE_SIZE)
		return 0;
	switch (get_unaligned_le16(d)) {
	case TDX_IMAGE_V2:
		return TDX_IMAGE_PAGE_SIZE *
		       (1 + (u64)get_unaligned_le32(d + TDX_IMAGE_V2_SIG_PAGES) +
			get_unaligned_le32(d + TDX_IMAGE_V2_MOD_PAGES));
	case TDX_IMAGE_V1:
		return get_unaligned_le32(d + TDX_IMAGE_V1_LENGTH);
	}
	return 0;
}

/**
 * tdx_image_module() - the first module page of a parsed image
 * @img: the image
 *
 * Return: a pointer to @img->module_pages pages of module.
 */
const u8 *tdx_image_module(const struct tdx_image *img)
{
	return img->data + img->module_off;
}

/**
 * tdx_image_sigstruct() - the sigstruct of a parsed image
 * @img: the image
 *
 * Return: a pointer to the page that holds the %TDX_SIGSTRUCT_SIZE bytes.
 */
const u8 *tdx_image_sigstruct(const struct tdx_image *img)
{
	return img->data + img->sigstruct_off;
}

/**
 * tdx_sigstruct_cpuid() - one entry of the CPUID table
 * @sig: a validated sigstruct
 * @idx: index below @sig->nr_cpuids
 *
 * Return: the CPUID(1).EAX value of that entry.
 */
u32 tdx_sigstruct_cpuid(const struct tdx_sigstruct *sig, u32 idx)
{
	return get_unaligned_le32(sig->cpuid_table + 4 * idx);
}

/*
 * Family, model and type of CPUID(1).EAX: the stepping and the reserved
 * bits are not compared, as Intel's module selection tool does not.
 */
#define TDX_CPUID_FMS_MASK	0x0fff3ff0

/**
 * tdx_sigstruct_runs_on() - whether the module is built for a CPU
 * @sig: a validated sigstruct
 * @cpuid1_eax: the CPU's CPUID(1).EAX
 *
 * Return: true if an entry of the CPUID table has the CPU's family, model
 * and type.
 */
bool tdx_sigstruct_runs_on(const struct tdx_sigstruct *sig, u32 cpuid1_eax)
{
	u32 i;

	for (i = 0; i < sig->nr_cpuids; i++)
		if (!((tdx_sigstruct_cpuid(sig, i) ^ cpuid1_eax) &
		      TDX_CPUID_FMS_MASK))
			return true;
	return false;
}

/**
 * tdx_image_update_check() - whether a module may replace the running one
 * @sig: the new module's validated sigstruct
 * @cur: the running module
 * @allow_debug: whether a debug-signed module may be installed
 *
 * The rules the P-SEAMLDR applies that the kernel can check before it
 * stops any CPU: the SVN does not go down, and the new module can import
 * the handoff data the running one writes at shutdown
 * (min_update_hv <= running MODULE_HV <= module_hv). The CPUID table is
 * checked per CPU with tdx_sigstruct_runs_on().
 *
 * Return: %TDX_UPDATE_FAULT_NONE, or the first rule broken.
 */
enum tdx_update_fault tdx_image_update_check(const struct tdx_sigstruct *sig,
					     const struct tdx_running *cur,
					     bool allow_debug)
{
	u16 svn = sig->svn_major << 8 | sig->svn_minor;
	u16 cur_svn = cur->svn_major << 8 | cur->svn_minor;

	if (sig->debug && !allow_debug)
		return TDX_UPDATE_FAULT_DEBUG;
	if (svn < cur_svn)
		return TDX_UPDATE_FAULT_SVN;
	if (cur->module_hv < sig->min_update_hv ||
	    cur->module_hv > sig->module_hv)
		return TDX_UPDATE_FAULT_HANDOFF;
	return TDX_UPDATE_FAULT_NONE;
}

/**
 * tdx_image_params() - describe a parsed image to SEAMLDR.INSTALL
 * @img: the image, as tdx_image_parse() left it
 * @params: %TDX_PARAMS_SIZE bytes, all of which are written
 * @pa: gives the physical address of one 4 KiB page of the image
 * @ctx: passed to @pa
 *
 * Fills SEAMLDR_PARAMS for the scenario UPDATE: version 0, the address of
 * the sigstruct's page and of each module page in order. The pages need
 * not be contiguous.
 *
 * Return: 0, or -EINVAL if @pa gave an address that is not 4 KiB aligned
 * (@params is then all zero).
 */
int tdx_image_params(const struct tdx_image *img, void *params,
		     tdx_image_pa_fn pa, void *ctx)
{
	const u8 *module = tdx_image_module(img);
	u8 *p = params;
	u64 addr;
	u32 i;

	memset(p, 0, TDX_PARAMS_SIZE);
	put_unaligned_le32(TDX_PARAMS_SCENARIO_UPDATE, p + TDX_PARAMS_SCENARIO);
	addr = pa(tdx_image_sigstruct(img), ctx);
	if (addr % TDX_IMAGE_PAGE_SIZE)
		goto unaligned;
	put_unaligned_le64(addr, p + TDX_PARAMS_SIGSTRUCT_PA);
	put_unaligned_le64(img->module_pages, p + TDX_PARAMS_NUM_MODULE_PAGES);
	for (i = 0; i < img->module_pages; i++) {
		addr = pa(module + (size_t)i * TDX_IMAGE_PAGE_SIZE, ctx);
		if (addr % TDX_IMAGE_PAGE_SIZE)
			goto unaligned;
		put_unaligned_le64(addr, p + TDX_PARAMS_MODULE_PA_LIST + 8 * i);
	}
	return 0;

unaligned:
	memset(p, 0, TDX_PARAMS_SIZE);
	return -EINVAL;
}

/**
 * tdx_params_check() - what the P-SEAMLDR checks of SEAMLDR_PARAMS
 * @params: %TDX_PARAMS_SIZE bytes
 *
 * Version 0, scenario LOAD or UPDATE, reserved bytes zero, 1 to 496 module
 * pages, the sigstruct's and every module page's address 4 KiB aligned.
 * Whether the addresses are memory the P-SEAMLDR may read is for its
 * caller to check.
 *
 * Return: %TDX_PARAMS_FAULT_NONE, or the first rule broken.
 */
enum tdx_params_fault tdx_params_check(const void *params)
{
	const u8 *p = params;
	u32 scenario = get_unaligned_le32(p + TDX_PARAMS_SCENARIO);
	u64 pages = get_unaligned_le64(p + TDX_PARAMS_NUM_MODULE_PAGES);
	u64 i;

	if (get_unaligned_le32(p + TDX_PARAMS_VERSION))
		return TDX_PARAMS_FAULT_VERSION;
	if (scenario != TDX_PARAMS_SCENARIO_LOAD &&
	    scenario != TDX_PARAMS_SCENARIO_UPDATE)
		return TDX_PARAMS_FAULT_SCENARIO;
	if (memchr_inv(p + TDX_PARAMS_RESERVED, 0,
		       TDX_PARAMS_NUM_MODULE_PAGES - TDX_PARAMS_RESERVED))
		return TDX_PARAMS_FAULT_RESERVED;
	if (!pages || pages > TDX_IMAGE_MAX_MODULE_PAGES)
		return TDX_PARAMS_FAULT_PAGES;
	if (get_unaligned_le64(p + TDX_PARAMS_SIGSTRUCT_PA) %
	    TDX_IMAGE_PAGE_SIZE)
		return TDX_PARAMS_FAULT_ALIGN;
	for (i = 0; i < pages; i++)
		if (get_unaligned_le64(p + TDX_PARAMS_MODULE_PA_LIST + 8 * i) %
		    TDX_IMAGE_PAGE_SIZE)
			return TDX_PARAMS_FAULT_ALIGN;
	return TDX_PARAMS_FAULT_NONE;
}
