// SPDX-License-Identifier: GPL-2.0
/*
 * Parsers for Intel microcode updates and AMD microcode containers, and the
 * rules that say which patch fits which CPU. This file is compiled three
 * times: into the fwact microcode backend, into fwactctl (ucode-info) and
 * into the libFuzzer harnesses under tools/testing/selftests/microcode/.
 * It therefore only reads the caller's buffer: every field is read with an
 * unaligned little-endian load after checking that it lies inside the
 * buffer, and every size taken from the file is checked before it is used
 * to compute another offset.
 */
#include "ucode_parse.h"

static const char * const ucode_fault_names[UCODE_FAULT_NR] = {
	[UCODE_FAULT_NONE]			= "no error",
	[UCODE_FAULT_EMPTY]			= "empty file",
	[UCODE_FAULT_INTEL_TRUNC_HDR]		= "truncated header",
	[UCODE_FAULT_INTEL_HDRVER]		= "unknown header version",
	[UCODE_FAULT_INTEL_LDRVER]		= "unknown loader version",
	[UCODE_FAULT_INTEL_DATASIZE]		= "bad data size",
	[UCODE_FAULT_INTEL_TOTALSIZE]		= "bad total size",
	[UCODE_FAULT_INTEL_TRUNC]		= "total size past end of file",
	[UCODE_FAULT_INTEL_CHECKSUM]		= "bad checksum",
	[UCODE_FAULT_INTEL_EXT_SIZE]		= "bad extended signature table size",
	[UCODE_FAULT_INTEL_EXT_CHECKSUM]	= "bad extended signature table checksum",
	[UCODE_FAULT_INTEL_EXT_SIG_CHECKSUM]	= "bad extended signature checksum",
	[UCODE_FAULT_INTEL_METASIZE]		= "bad metadata size",
	[UCODE_FAULT_INTEL_META_BLOCK]		= "bad metadata block",
	[UCODE_FAULT_AMD_TRUNC_HDR]		= "truncated container header",
	[UCODE_FAULT_AMD_MAGIC]			= "bad container magic",
	[UCODE_FAULT_AMD_EQUIV_TYPE]		= "missing equivalence table",
	[UCODE_FAULT_AMD_EQUIV_LEN]		= "bad equivalence table length",
	[UCODE_FAULT_AMD_TRUNC_SECTION]		= "truncated section header",
	[UCODE_FAULT_AMD_SECTION_TYPE]		= "unknown section type",
	[UCODE_FAULT_AMD_SECTION_LEN]		= "section length past end of file",
	[UCODE_FAULT_AMD_PATCH_SIZE]		= "bad patch size",
};

/**
 * ucode_fault_str() - describe a parse fault
 * @fault: the fault
 *
 * Return: a short lower-case text, never NULL.
 */
const char *ucode_fault_str(enum ucode_fault fault)
{
	if ((unsigned int)fault >= UCODE_FAULT_NR)
		return "unknown fault";
	return ucode_fault_names[fault];
}

static int ucode_fault_set(struct ucode_err *err, enum ucode_fault fault,
			   size_t off)
{
	if (err) {
		err->fault = fault;
		err->off = off;
	}
	return -EINVAL;
}

/* Sum of @len bytes of little-endian dwords; @len is a multiple of 4. */
static u32 ucode_dword_sum(const u8 *p, size_t len)
{
	u32 sum = 0;
	size_t i;

	for (i = 0; i < len; i += 4)
		sum += get_unaligned_le32(p + i);
	return sum;
}

/**
 * ucode_sig_family() - CPU family of a CPUID(1).EAX signature
 * @sig: the signature
 *
 * Return: the family, with the extended family added for family 0xf.
 */
unsigned int ucode_sig_family(u32 sig)
{
	unsigned int fam = (sig >> 8) & 0xf;

	if (fam == 0xf)
		fam += (sig >> 20) & 0xff;
	return fam;
}

/**
 * ucode_sig_model() - CPU model of a CPUID(1).EAX signature
 * @sig: the signature
 *
 * Return: the model, with the extended model for families 6 and >= 0xf.
 */
unsigned int ucode_sig_model(u32 sig)
{
	unsigned int fam = ucode_sig_family(sig);
	unsigned int model = (sig >> 4) & 0xf;

	if (fam == 6 || fam >= 0xf)
		model |= ((sig >> 16) & 0xf) << 4;
	return model;
}

/**
 * ucode_sig_stepping() - stepping of a CPUID(1).EAX signature
 * @sig: the signature
 *
 * Return: the stepping.
 */
unsigned int ucode_sig_stepping(u32 sig)
{
	return sig & 0xf;
}

/* Metadata blocks {u32 type; u32 size incl. this header}, type 0 ends. */
static int ucode_intel_meta_check(const u8 *hdr, u32 datasize, u32 metasize,
				  size_t off, struct ucode_err *err)
{
	size_t start, pos = 0;

	if (metasize > datasize || metasize % 4)
		return ucode_fault_set(err, UCODE_FAULT_INTEL_METASIZE, off);
	start = UCODE_INTEL_HDR_SIZE + datasize - metasize;

	while (pos < metasize) {
		const u8 *blk = hdr + start + pos;
		u32 type, size;

		if (metasize - pos < UCODE_INTEL_META_BLK_SIZE)
			return ucode_fault_set(err, UCODE_FAULT_INTEL_META_BLOCK,
					       off + start + pos);
		type = get_unaligned_le32(blk);
		size = get_unaligned_le32(blk + 4);
		if (!type)
			break;
		if (size < UCODE_INTEL_META_BLK_SIZE || size % 4 ||
		    size > metasize - pos)
			return ucode_fault_set(err, UCODE_FAULT_INTEL_META_BLOCK,
					       off + start + pos);
		pos += size;
	}
	return 0;
}

static int ucode_intel_ext_check(const u8 *hdr, struct ucode_intel_patch *p,
				 size_t off, struct ucode_err *err)
{
	size_t ext_off = UCODE_INTEL_HDR_SIZE + p->datasize;
	u32 ext_size = p->totalsize - ext_off;
	u32 hdr_triple = p->sig + p->pf + p->cksum;
	const u8 *ext = hdr + ext_off;
	u32 count, i;

	p->ext = NULL;
	p->ext_count = 0;
	if (!ext_size)
		return 0;

	if (ext_size < UCODE_INTEL_EXT_HDR_SIZE)
		return ucode_fault_set(err, UCODE_FAULT_INTEL_EXT_SIZE,
				       off + ext_off);
	count = get_unaligned_le32(ext);
	/* Divide rather than multiply: a hostile count must not wrap. */
	if ((ext_size - UCODE_INTEL_EXT_HDR_SIZE) % UCODE_INTEL_EXT_SIG_SIZE ||
	    (ext_size - UCODE_INTEL_EXT_HDR_SIZE) / UCODE_INTEL_EXT_SIG_SIZE !=
	    count)
		return ucode_fault_set(err, UCODE_FAULT_INTEL_EXT_SIZE,
				       off + ext_off);
	if (ucode_dword_sum(ext, ext_size))
		return ucode_fault_set(err, UCODE_FAULT_INTEL_EXT_CHECKSUM,
				       off + ext_off);

	ext += UCODE_INTEL_EXT_HDR_SIZE;
	for (i = 0; i < count; i++) {
		const u8 *s = ext + i * UCODE_INTEL_EXT_SIG_SIZE;
		u32 triple = get_unaligned_le32(s) + get_unaligned_le32(s + 4) +
			     get_unaligned_le32(s + 8);

		/*
		 * The main checksum must still hold with this signature in
		 * place of the header's, i.e. both triples sum alike.
		 */
		if (triple != hdr_triple)
			return ucode_fault_set(err,
					       UCODE_FAULT_INTEL_EXT_SIG_CHECKSUM,
					       off + (s - hdr));
	}
	p->ext = ext;
	p->ext_count = count;
	return 0;
}

/**
 * ucode_intel_parse() - validate one Intel microcode update
 * @buf: the file
 * @len: bytes in @buf
 * @off: offset of the update's header in @buf
 * @patch: filled in on success
 * @err: on failure, why and where (may be NULL)
 *
 * Checks the header and loader versions, the data and total sizes against
 * each other and against @len, the checksum of header and data, the
 * extended signature table (size, its own checksum and every signature's
 * checksum) and the metadata blocks.
 *
 * Return: 0, or -EINVAL with @err filled in.
 */
int ucode_intel_parse(const void *buf, size_t len, size_t off,
		      struct ucode_file_patch *patch, struct ucode_err *err)
{
	struct ucode_intel_patch *p = &patch->intel;
	const u8 *hdr = (const u8 *)buf + off;
	u32 datasize, totalsize;
	size_t avail;
	int ret;

	if (off > len || len - off < UCODE_INTEL_HDR_SIZE)
		return ucode_fault_set(err, UCODE_FAULT_INTEL_TRUNC_HDR, off);
	avail = len - off;

	p->hdrver = get_unaligned_le32(hdr + 0x00);
	p->rev = get_unaligned_le32(hdr + 0x04);
	p->date = get_unaligned_le32(hdr + 0x08);
	p->sig = get_unaligned_le32(hdr + 0x0c);
	p->cksum = get_unaligned_le32(hdr + 0x10);
	p->ldrver = get_unaligned_le32(hdr + 0x14);
	p->pf = get_unaligned_le32(hdr + 0x18);
	datasize = get_unaligned_le32(hdr + 0x1c);
	totalsize = get_unaligned_le32(hdr + 0x20);
	p->metasize = get_unaligned_le32(hdr + 0x24);
	p->min_req_ver = get_unaligned_le32(hdr + 0x28);

	if (p->hdrver != 1)
		return ucode_fault_set(err, UCODE_FAULT_INTEL_HDRVER, off);
	if (p->ldrver != 1)
		return ucode_fault_set(err, UCODE_FAULT_INTEL_LDRVER, off);

	/* A zero data size means the original fixed 2000 + 48 layout. */
	if (!datasize) {
		datasize = UCODE_INTEL_DEFAULT_DATASIZE;
		totalsize = UCODE_INTEL_DEFAULT_DATASIZE + UCODE_INTEL_HDR_SIZE;
	}
	if (totalsize % 4 || totalsize < UCODE_INTEL_HDR_SIZE)
		return ucode_fault_set(err, UCODE_FAULT_INTEL_TOTALSIZE, off);
	if (datasize % 4 || datasize > totalsize - UCODE_INTEL_HDR_SIZE)
		return ucode_fault_set(err, UCODE_FAULT_INTEL_DATASIZE, off);
	if (totalsize > avail)
		return ucode_fault_set(err, UCODE_FAULT_INTEL_TRUNC, off);
	p->datasize = datasize;
	p->totalsize = totalsize;

	if (ucode_dword_sum(hdr, UCODE_INTEL_HDR_SIZE + datasize))
		return ucode_fault_set(err, UCODE_FAULT_INTEL_CHECKSUM, off);

	ret = ucode_intel_ext_check(hdr, p, off, err);
	if (ret)
		return ret;
	ret = ucode_intel_meta_check(hdr, datasize, p->metasize, off, err);
	if (ret)
		return ret;

	patch->vendor = UCODE_VENDOR_INTEL;
	patch->data = hdr;
	patch->size = totalsize;
	patch->off = off;
	patch->rev = p->rev;
	patch->date = p->date;
	return 0;
}

/**
 * ucode_intel_ext_sig() - read one extended signature
 * @p: a patch validated by ucode_intel_parse()
 * @idx: index, below @p->ext_count
 * @sig: its processor signature
 * @pf: its platform-id mask
 */
void ucode_intel_ext_sig(const struct ucode_intel_patch *p, u32 idx,
			 u32 *sig, u32 *pf)
{
	const u8 *s = p->ext + (size_t)idx * UCODE_INTEL_EXT_SIG_SIZE;

	*sig = get_unaligned_le32(s);
	*pf = get_unaligned_le32(s + 4);
}

static bool ucode_intel_sig_match(u32 psig, u32 ppf, u32 sig, u32 pf)
{
	return psig == sig && ((!ppf && !pf) || (ppf & pf));
}

/**
 * ucode_intel_match() - does an Intel patch fit a CPU
 * @p: a patch validated by ucode_intel_parse()
 * @sig: the CPU's CPUID(1).EAX
 * @pf: the CPU's platform-id bit (1 << MSR_IA32_PLATFORM_ID[52:50]), or 0
 *
 * Return: true if the main header or an extended signature names @sig and
 * shares a platform bit with @pf (or both masks are 0).
 */
bool ucode_intel_match(const struct ucode_intel_patch *p, u32 sig, u32 pf)
{
	u32 i, esig, epf;

	if (ucode_intel_sig_match(p->sig, p->pf, sig, pf))
		return true;
	for (i = 0; i < p->ext_count; i++) {
		ucode_intel_ext_sig(p, i, &esig, &epf);
		if (ucode_intel_sig_match(esig, epf, sig, pf))
			return true;
	}
	return false;
}

/* Largest patch each pre-Zen family's loader accepts. */
static u32 ucode_amd_max_patch(unsigned int family)
{
	switch (family) {
	case 0x10 ... 0x12:
		return 2048;
	case 0x14:
		return 1824;
	case 0x15:
		return 4096;
	case 0x16:
		return 3458;
	default:
		return ~0U;
	}
}

/**
 * ucode_amd_equiv_get() - read one equivalence table entry
 * @p: a patch found by ucode_walk()
 * @idx: index, below @p->nr_equiv
 * @installed_cpu: the CPUID(1).EAX the entry is for
 * @equiv_id: the equivalence id patches for that CPU carry
 */
void ucode_amd_equiv_get(const struct ucode_amd_patch *p, u32 idx,
			 u32 *installed_cpu, u16 *equiv_id)
{
	const u8 *e = p->equiv + (size_t)idx * UCODE_AMD_EQUIV_SIZE;

	*installed_cpu = get_unaligned_le32(e);
	*equiv_id = get_unaligned_le16(e + 12);
}

/**
 * ucode_amd_equiv_id() - equivalence id of a CPU in a patch's container
 * @p: a patch found by ucode_walk()
 * @sig: the CPU's CPUID(1).EAX
 *
 * Return: the equivalence id, or 0 if the table does not list @sig.
 */
u16 ucode_amd_equiv_id(const struct ucode_amd_patch *p, u32 sig)
{
	u32 i, cpu;
	u16 id;

	for (i = 0; i < p->nr_equiv; i++) {
		ucode_amd_equiv_get(p, i, &cpu, &id);
		if (!cpu)
			break;
		if (cpu == sig)
			return id;
	}
	return 0;
}

/**
 * ucode_amd_zen_sig() - CPU signature a Zen patch id names
 * @patch_id: the patch id (rev[7:0] stepping[11:8] model[15:12]
 *	ext_model[23:20] ext_family[31:24])
 *
 * Return: the CPUID(1).EAX value (family field 0xf) the patch is for.
 */
u32 ucode_amd_zen_sig(u32 patch_id)
{
	u32 stepping = (patch_id >> 8) & 0xf;
	u32 model = (patch_id >> 12) & 0xf;
	u32 ext_model = (patch_id >> 20) & 0xf;
	u32 ext_fam = (patch_id >> 24) & 0xff;

	return stepping | model << 4 | 0xf << 8 | ext_model << 16 |
	       ext_fam << 20;
}

/**
 * ucode_amd_match() - does an AMD patch fit a CPU
 * @p: a patch found by ucode_walk()
 * @sig: the CPU's CPUID(1).EAX
 *
 * Chipset-specific patches never match. From family 0x17 (Zen) the patch
 * id names the CPU; before, the container's equivalence table maps the
 * CPU to the id the patch carries.
 *
 * Return: true if the patch is for this CPU.
 */
bool ucode_amd_match(const struct ucode_amd_patch *p, u32 sig)
{
	u16 id;

	if (p->nb_dev_id || p->sb_dev_id)
		return false;
	if (p->family != ucode_sig_family(sig))
		return false;
	if (p->family >= UCODE_AMD_ZEN_FAMILY)
		return ucode_amd_zen_sig(p->patch_id) == (sig & 0x0fff0fff);
	id = ucode_amd_equiv_id(p, sig);
	return id && id == p->processor_rev_id;
}

/* Patch sections of one container, from @pos up to the next container. */
static int ucode_amd_sections_walk(const u8 *buf, size_t len, size_t *pos,
				   struct ucode_file_patch *patch, ucode_walk_fn fn,
				   void *ctx, struct ucode_err *err)
{
	struct ucode_amd_patch *p = &patch->amd;
	u32 type, size;
	const u8 *h;
	int ret;

	while (*pos < len) {
		if (len - *pos < 4)
			return ucode_fault_set(err, UCODE_FAULT_AMD_TRUNC_SECTION,
					       *pos);
		type = get_unaligned_le32(buf + *pos);
		if (type == UCODE_AMD_MAGIC)
			return 0;
		if (len - *pos < UCODE_AMD_SECTION_HDR_SIZE)
			return ucode_fault_set(err, UCODE_FAULT_AMD_TRUNC_SECTION,
					       *pos);
		if (type != UCODE_AMD_PATCH_TYPE)
			return ucode_fault_set(err, UCODE_FAULT_AMD_SECTION_TYPE,
					       *pos);
		size = get_unaligned_le32(buf + *pos + 4);
		if (size > len - *pos - UCODE_AMD_SECTION_HDR_SIZE)
			return ucode_fault_set(err, UCODE_FAULT_AMD_SECTION_LEN,
					       *pos);
		if (size < UCODE_AMD_PATCH_HDR_SIZE)
			return ucode_fault_set(err, UCODE_FAULT_AMD_PATCH_SIZE,
					       *pos);

		h = buf + *pos + UCODE_AMD_SECTION_HDR_SIZE;
		p->date = get_unaligned_le32(h);
		p->patch_id = get_unaligned_le32(h + 4);
		p->nb_dev_id = get_unaligned_le32(h + 16);
		p->sb_dev_id = get_unaligned_le32(h + 20);
		p->processor_rev_id = get_unaligned_le16(h + 24);
		p->family = 0xf + (p->processor_rev_id >> 12);
		if (size > ucode_amd_max_patch(p->family))
			return ucode_fault_set(err, UCODE_FAULT_AMD_PATCH_SIZE,
					       *pos);

		patch->vendor = UCODE_VENDOR_AMD;
		patch->data = h;
		patch->size = size;
		patch->off = *pos + UCODE_AMD_SECTION_HDR_SIZE;
		patch->rev = p->patch_id;
		patch->date = p->date;
		*pos += UCODE_AMD_SECTION_HDR_SIZE + size;
		if (fn) {
			ret = fn(ctx, patch);
			if (ret)
				return ret;
		}
	}
	return 0;
}

static int ucode_amd_walk(const u8 *buf, size_t len, ucode_walk_fn fn,
			  void *ctx, struct ucode_err *err)
{
	struct ucode_file_patch patch = { .vendor = UCODE_VENDOR_AMD };
	size_t off = 0, pos;
	u32 elen;
	int ret;

	while (off < len) {
		if (len - off < UCODE_AMD_CONTAINER_HDR_SIZE)
			return ucode_fault_set(err, UCODE_FAULT_AMD_TRUNC_HDR,
					       off);
		if (get_unaligned_le32(buf + off) != UCODE_AMD_MAGIC)
			return ucode_fault_set(err, UCODE_FAULT_AMD_MAGIC, off);
		if (get_unaligned_le32(buf + off + 4) != UCODE_AMD_EQUIV_TYPE)
			return ucode_fault_set(err, UCODE_FAULT_AMD_EQUIV_TYPE,
					       off);
		elen = get_unaligned_le32(buf + off + 8);
		if (!elen || elen % UCODE_AMD_EQUIV_SIZE ||
		    elen > len - off - UCODE_AMD_CONTAINER_HDR_SIZE)
			return ucode_fault_set(err, UCODE_FAULT_AMD_EQUIV_LEN,
					       off);

		patch.amd.equiv = buf + off + UCODE_AMD_CONTAINER_HDR_SIZE;
		patch.amd.nr_equiv = elen / UCODE_AMD_EQUIV_SIZE;
		pos = off + UCODE_AMD_CONTAINER_HDR_SIZE + elen;
		ret = ucode_amd_sections_walk(buf, len, &pos, &patch, fn, ctx,
					      err);
		if (ret)
			return ret;
		off = pos;
	}
	return 0;
}

static int ucode_intel_walk(const u8 *buf, size_t len, ucode_walk_fn fn,
			    void *ctx, struct ucode_err *err)
{
	struct ucode_file_patch patch;
	size_t off = 0;
	int ret;

	while (off < len) {
		ret = ucode_intel_parse(buf, len, off, &patch, err);
		if (ret)
			return ret;
		off += patch.size;
		if (fn) {
			ret = fn(ctx, &patch);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/**
 * ucode_vendor_detect() - guess whose format a file is in
 * @buf: the file
 * @len: bytes in @buf
 *
 * Return: %UCODE_VENDOR_AMD if it starts with the container magic,
 * %UCODE_VENDOR_INTEL if it is long enough for an Intel header (which
 * ucode_walk() then checks), %UCODE_VENDOR_UNKNOWN otherwise.
 */
enum ucode_vendor ucode_vendor_detect(const void *buf, size_t len)
{
	if (len >= 4 && get_unaligned_le32(buf) == UCODE_AMD_MAGIC)
		return UCODE_VENDOR_AMD;
	if (len)
		return UCODE_VENDOR_INTEL;
	return UCODE_VENDOR_UNKNOWN;
}

/**
 * ucode_walk() - validate a microcode file and visit each of its patches
 * @buf: the file
 * @len: bytes in @buf
 * @fn: called for each patch in file order, or NULL to only validate
 * @ctx: passed to @fn
 * @err: on failure, why and where (may be NULL)
 *
 * The file is AMD (one or more containers) if it starts with the container
 * magic and Intel (one or more updates back to back) otherwise. Parsing
 * stops at the first fault, so @fn may already have seen earlier patches:
 * callers that must not act on a partly bad file walk it once with a NULL
 * @fn first.
 *
 * Return: 0, -EINVAL for a malformed file (with @err filled in), or the
 * first non-zero value @fn returned.
 */
int ucode_walk(const void *buf, size_t len, ucode_walk_fn fn, void *ctx,
	       struct ucode_err *err)
{
	if (err) {
		err->fault = UCODE_FAULT_NONE;
		err->off = 0;
	}
	switch (ucode_vendor_detect(buf, len)) {
	case UCODE_VENDOR_AMD:
		return ucode_amd_walk(buf, len, fn, ctx, err);
	case UCODE_VENDOR_INTEL:
		return ucode_intel_walk(buf, len, fn, ctx, err);
	default:
		return ucode_fault_set(err, UCODE_FAULT_EMPTY, 0);
	}
}

/**
 * ucode_patch_match() - does a patch fit a CPU
 * @patch: a patch found by ucode_walk()
 * @sig: the CPU's CPUID(1).EAX
 * @pf: the CPU's platform-id bit (Intel; ignored for AMD)
 *
 * Return: true if @patch is for this CPU.
 */
bool ucode_patch_match(const struct ucode_file_patch *patch, u32 sig, u32 pf)
{
	switch (patch->vendor) {
	case UCODE_VENDOR_INTEL:
		return ucode_intel_match(&patch->intel, sig, pf);
	case UCODE_VENDOR_AMD:
		return ucode_amd_match(&patch->amd, sig);
	default:
		return false;
	}
}

/**
 * ucode_patch_minrev_safe() - may a patch be loaded late over a revision
 * @patch: a patch found by ucode_walk()
 * @cur_rev: the revision the CPU runs now
 *
 * Intel updates name the lowest revision from which a late load is safe
 * (min_req_ver); an update that names none is not known to be safe. AMD
 * patches carry no such field and are never known to be safe.
 *
 * Return: true if the patch declares a late load from @cur_rev safe.
 */
bool ucode_patch_minrev_safe(const struct ucode_file_patch *patch, u32 cur_rev)
{
	if (patch->vendor != UCODE_VENDOR_INTEL)
		return false;
	return patch->intel.min_req_ver && cur_rev >= patch->intel.min_req_ver;
}
