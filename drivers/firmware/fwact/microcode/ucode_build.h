/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builders for synthetic microcode images used by the microcode tests (the
 * parser's KUnit suite beside it and the selftests): an Intel update with
 * chosen signature, platform mask, revision, min-rev, data size, extended
 * signatures and metadata, with every checksum made right, and an AMD
 * container with a chosen equivalence table and patches. Tests then break
 * one thing at a time to check that the parser rejects exactly that. It
 * compiles in the kernel and in user space; nothing but tests includes it.
 */
#ifndef UCODE_BUILD_H
#define UCODE_BUILD_H

#include <linux/types.h>
#ifdef __KERNEL__
#include <linux/string.h>
#else
#include <string.h>
#endif

#define UB_INTEL_HDR	48

/* Masked, not cast: sparse warns of casts that truncate a constant. */
static inline void ub_put32(__u8 *p, __u32 v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = v >> 24;
}

static inline __u32 ub_get32(const __u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (__u32)p[3] << 24;
}

static inline __u32 ub_sum(const __u8 *p, size_t len)
{
	__u32 s = 0;
	size_t i;

	for (i = 0; i + 4 <= len; i += 4)
		s += ub_get32(p + i);
	return s;
}

/**
 * struct ub_intel - what an Intel update should look like
 * @sig: processor signature
 * @pf: platform mask
 * @rev: revision
 * @min_rev: min_req_ver
 * @datasize: data bytes (multiple of 4)
 * @nr_ext: extended signatures, each sig + 1 + i with the same pf
 * @meta: append a metadata area with one block and an end block
 */
struct ub_intel {
	__u32 sig, pf, rev, min_rev, datasize, nr_ext;
	int meta;
};

/* Size of the update @u describes. */
static inline size_t ub_intel_size(const struct ub_intel *u)
{
	return UB_INTEL_HDR + u->datasize +
	       (u->nr_ext ? 20 + 12 * u->nr_ext : 0);
}

/* Fill @p (ub_intel_size() bytes) with a valid update. */
static inline void ub_intel_fill(__u8 *p, const struct ub_intel *u)
{
	size_t total = ub_intel_size(u), i;
	__u8 *ext = p + UB_INTEL_HDR + u->datasize;

	memset(p, 0, total);
	ub_put32(p + 0x00, 1);
	ub_put32(p + 0x04, u->rev);
	ub_put32(p + 0x08, 0x11222026);
	ub_put32(p + 0x0c, u->sig);
	ub_put32(p + 0x14, 1);
	ub_put32(p + 0x18, u->pf);
	ub_put32(p + 0x1c, u->datasize);
	ub_put32(p + 0x20, total);
	ub_put32(p + 0x28, u->min_rev);
	for (i = 0; i + 4 <= u->datasize; i += 4)
		ub_put32(p + UB_INTEL_HDR + i, 0x9e3779b9 * (i + 1));
	if (u->meta && u->datasize >= 20) {
		__u8 *m = p + UB_INTEL_HDR + u->datasize - 20;

		ub_put32(p + 0x24, 20);
		ub_put32(m, 3);
		ub_put32(m + 4, 12);
		ub_put32(m + 8, 0x1234);
		ub_put32(m + 12, 0);
		ub_put32(m + 16, 8);
	}
	ub_put32(p + 0x10, -ub_sum(p, UB_INTEL_HDR + u->datasize));
	if (!u->nr_ext)
		return;
	ub_put32(ext, u->nr_ext);
	for (i = 0; i < u->nr_ext; i++) {
		__u8 *s = ext + 20 + 12 * i;
		__u32 sig = u->sig + 1 + i;

		ub_put32(s, sig);
		ub_put32(s + 4, u->pf);
		/* Same sig + pf + cksum as the header. */
		ub_put32(s + 8, u->sig + u->pf + ub_get32(p + 0x10) -
			 sig - u->pf);
	}
	ub_put32(ext + 4, -ub_sum(ext, 20 + 12 * u->nr_ext));
}

/* Re-make the header checksum after a test changed a field. */
static inline void ub_intel_fix_cksum(__u8 *p)
{
	__u32 datasize = ub_get32(p + 0x1c);

	ub_put32(p + 0x10, 0);
	ub_put32(p + 0x10, -ub_sum(p, UB_INTEL_HDR + datasize));
}

#define UB_AMD_MAGIC	0x00414d44

/**
 * struct ub_amd_patch - one AMD patch section
 * @patch_id: patch id (the revision it loads)
 * @equiv_id: processor_rev_id
 * @size: patch bytes including the 64-byte header
 */
struct ub_amd_patch {
	__u32 patch_id;
	__u16 equiv_id;
	__u32 size;
};

/*
 * Write a container with @nr_eq (installed_cpu, equiv_id) pairs plus a zero
 * terminator and @nr patches into @p; return its size. @p == NULL only
 * computes the size.
 */
static inline size_t ub_amd_fill(__u8 *p, const __u32 *eq_cpu,
				 const __u16 *eq_id, unsigned int nr_eq,
				 const struct ub_amd_patch *pt, unsigned int nr)
{
	size_t off, elen = 16 * (nr_eq + 1);
	unsigned int i;

	off = 12 + elen;
	for (i = 0; i < nr; i++)
		off += 8 + pt[i].size;
	if (!p)
		return off;
	memset(p, 0, off);
	ub_put32(p, UB_AMD_MAGIC);
	ub_put32(p + 4, 0);
	ub_put32(p + 8, elen);
	for (i = 0; i < nr_eq; i++) {
		ub_put32(p + 12 + 16 * i, eq_cpu[i]);
		p[12 + 16 * i + 12] = eq_id[i];
		p[12 + 16 * i + 13] = eq_id[i] >> 8;
	}
	off = 12 + elen;
	for (i = 0; i < nr; i++) {
		__u8 *h = p + off + 8;

		ub_put32(p + off, 1);
		ub_put32(p + off + 4, pt[i].size);
		ub_put32(h, 0x11222026);
		ub_put32(h + 4, pt[i].patch_id);
		h[24] = pt[i].equiv_id;
		h[25] = pt[i].equiv_id >> 8;
		off += 8 + pt[i].size;
	}
	return off;
}

#endif /* UCODE_BUILD_H */
