/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fwact is written for mainline Linux (7.2). This header supplies what the
 * older kernels it is also built for (Debian's 6.1 and 6.12) lack, one
 * shim per kernel API, each saying which kernel brought the real thing.
 * No source file names it: the out-of-tree build puts compat/include/
 * first on the include path, where a stand-in for each affected kernel
 * header includes the real one (#include_next) and then the section of
 * this header for it. The shims compile to nothing on a kernel that has
 * the API. An in-tree submission drops compat/ and nothing else changes.
 */
#include <linux/version.h>

/* <linux/atomic.h>: Linux 6.5 added raw_atomic_*() (for noinstr code). */
#if defined(FWACT_COMPAT_ATOMIC) && !defined(FWACT_COMPAT_ATOMIC_DONE)
#define FWACT_COMPAT_ATOMIC_DONE
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#define raw_atomic_cmpxchg(v, old, new)	arch_atomic_cmpxchg(v, old, new)
#define raw_atomic_set_release(v, i)	arch_atomic_set_release(v, i)
#endif
#endif

/*
 * <linux/mm.h>: Linux 6.3 made vma->vm_flags read-only and added
 * vm_flags_set()/vm_flags_clear().
 */
#if defined(FWACT_COMPAT_MM) && !defined(FWACT_COMPAT_MM_DONE)
#define FWACT_COMPAT_MM_DONE
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
static inline void vm_flags_clear(struct vm_area_struct *vma,
				  vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif
#endif

/*
 * <linux/sysfs.h>: Linux 6.16 gave struct bin_attribute's read() and
 * write() a const attribute. Before, the __BIN_ATTR*() initializers cast
 * a callback written for 6.16 to the old type: the const-ness of a pointer
 * argument does not change the calling convention (and those kernels, as
 * Debian builds them, have no kCFI, which would tell the types apart).
 */
#if defined(FWACT_COMPAT_SYSFS) && !defined(FWACT_COMPAT_SYSFS_DONE)
#define FWACT_COMPAT_SYSFS_DONE
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 16, 0)
typedef ssize_t (*fwact_compat_bin_rw_t)(struct file *, struct kobject *,
					 struct bin_attribute *, char *,
					 loff_t, size_t);

#undef __BIN_ATTR
#define __BIN_ATTR(_name, _mode, _read, _write, _size) {		\
	.attr = { .name = __stringify(_name), .mode = _mode },		\
	.read = (fwact_compat_bin_rw_t)(_read),				\
	.write = (fwact_compat_bin_rw_t)(_write),			\
	.size = _size,							\
}

#undef __BIN_ATTR_RO
#define __BIN_ATTR_RO(_name, _size)					\
	__BIN_ATTR(_name, 0444, _name##_read, NULL, _size)

#undef __BIN_ATTR_WO
#define __BIN_ATTR_WO(_name, _size)					\
	__BIN_ATTR(_name, 0200, NULL, _name##_write, _size)

#undef __BIN_ATTR_ADMIN_RO
#define __BIN_ATTR_ADMIN_RO(_name, _size)				\
	__BIN_ATTR(_name, 0400, _name##_read, NULL, _size)
#endif
#endif

/*
 * <linux/syscore_ops.h>: the syscore callbacks take a context (void *)
 * and are registered as a struct syscore with register_syscore() in 7.2,
 * and in Debian's 6.12 through the stable series; not in 6.1. There,
 * struct syscore_ops is renamed so that the drivers' name means the new
 * shape, and the kernel's legacy ops call back into the one struct
 * syscore their file registered.
 */
#if defined(FWACT_COMPAT_SYSCORE) && !defined(FWACT_COMPAT_SYSCORE_DONE)
#define FWACT_COMPAT_SYSCORE_DONE
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#include <linux/bug.h>
#include <linux/compiler_attributes.h>

typedef struct syscore_ops fwact_compat_legacy_syscore_ops_t;

#define syscore_ops fwact_compat_syscore_ops
struct syscore_ops {
	int (*suspend)(void *data);
	void (*resume)(void *data);
	void (*shutdown)(void *data);
};

struct syscore {
	fwact_compat_legacy_syscore_ops_t legacy;
	const struct syscore_ops *ops;
	void *data;
};

static struct syscore *fwact_compat_syscore __maybe_unused;

static int __maybe_unused fwact_compat_syscore_suspend(void)
{
	return fwact_compat_syscore->ops->suspend(fwact_compat_syscore->data);
}

static void __maybe_unused fwact_compat_syscore_resume(void)
{
	fwact_compat_syscore->ops->resume(fwact_compat_syscore->data);
}

static void __maybe_unused fwact_compat_syscore_shutdown(void)
{
	fwact_compat_syscore->ops->shutdown(fwact_compat_syscore->data);
}

static inline void register_syscore(struct syscore *syscore)
{
	if (WARN_ON(fwact_compat_syscore))
		return;
	fwact_compat_syscore = syscore;
	if (syscore->ops->suspend)
		syscore->legacy.suspend = fwact_compat_syscore_suspend;
	if (syscore->ops->resume)
		syscore->legacy.resume = fwact_compat_syscore_resume;
	if (syscore->ops->shutdown)
		syscore->legacy.shutdown = fwact_compat_syscore_shutdown;
	register_syscore_ops(&syscore->legacy);
}

static inline void unregister_syscore(struct syscore *syscore)
{
	if (fwact_compat_syscore != syscore)
		return;
	unregister_syscore_ops(&syscore->legacy);
	fwact_compat_syscore = NULL;
}
#endif
#endif

/*
 * <linux/topology.h>: topology_num_cores_per_package() came with the x86
 * topology rework (6.12 has it, 6.1 has cpuinfo_x86.x86_max_cores).
 */
#if defined(FWACT_COMPAT_TOPOLOGY) && !defined(FWACT_COMPAT_TOPOLOGY_DONE)
#define FWACT_COMPAT_TOPOLOGY_DONE
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0) && defined(CONFIG_X86)
#define topology_num_cores_per_package()	(boot_cpu_data.x86_max_cores)
#endif
#endif

/* <asm/msr.h>: Linux 6.16 renamed wrmsrl_safe() to wrmsrq_safe() (x86). */
#if defined(FWACT_COMPAT_MSR) && !defined(FWACT_COMPAT_MSR_DONE)
#define FWACT_COMPAT_MSR_DONE
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 16, 0)
#define wrmsrq_safe(msr, val)	wrmsrl_safe(msr, val)
#endif
#endif

/*
 * <linux/preempt.h>: x86 kept the per-CPU preempt count in struct
 * pcpu_hot from Linux 6.2 to 6.14 (6.12 has it there); before and after,
 * it is the per-CPU variable __preempt_count.
 */
#if defined(FWACT_COMPAT_PREEMPT) && !defined(FWACT_COMPAT_PREEMPT_DONE)
#define FWACT_COMPAT_PREEMPT_DONE
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0) && \
	LINUX_VERSION_CODE < KERNEL_VERSION(6, 15, 0) && defined(CONFIG_X86)
#define __preempt_count	pcpu_hot.preempt_count
#endif
#endif

/*
 * <linux/slab.h>: Linux 7.0 added kzalloc_obj() and its family; the
 * stand-in takes the gfp flags always (mainline lets them default).
 */
#if defined(FWACT_COMPAT_SLAB) && !defined(FWACT_COMPAT_SLAB_DONE)
#define FWACT_COMPAT_SLAB_DONE
#ifndef kzalloc_obj	/* Debian's 6.12 has it through the stable series */
#define kzalloc_obj(P, gfp)	kzalloc(sizeof(P), gfp)
#endif
#endif

/*
 * <linux/export.h>, <linux/module.h>: Linux 6.13 made a symbol namespace
 * a string literal ("NS", not NS); before, the macros stringified it.
 */
#if defined(FWACT_COMPAT_EXPORT) && !defined(FWACT_COMPAT_EXPORT_DONE)
#define FWACT_COMPAT_EXPORT_DONE
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
#undef EXPORT_SYMBOL_NS_GPL
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	__EXPORT_SYMBOL(sym, "_gpl", ns)
#else	/* Linux 6.5 rewrote the exports in C, with license "GPL" */
#define EXPORT_SYMBOL_NS_GPL(sym, ns)	__EXPORT_SYMBOL(sym, "GPL", ns)
#endif
#endif
#endif

#if defined(FWACT_COMPAT_MODULE) && !defined(FWACT_COMPAT_MODULE_DONE)
#define FWACT_COMPAT_MODULE_DONE
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
#undef MODULE_IMPORT_NS
#define MODULE_IMPORT_NS(ns)	MODULE_INFO(import_ns, ns)
#endif
#endif

/*
 * <crypto/sig.h>: Linux 6.5 added the public-key signature API
 * (crypto_alloc_sig(), crypto_sig_set_pubkey(), crypto_sig_verify()), and
 * 6.13 made RSASSA-PKCS1-v1_5 one of its algorithms, "pkcs1(rsa,HASH)".
 * Before, the scheme is the akcipher template "pkcs1pad(rsa,HASH)", whose
 * verify takes the signature and the digest in one scatterlist: 6.5 to
 * 6.12 (Debian's 6.12) reach it through the same API under that name,
 * and 6.1 gets the API itself, on akcipher. The stand-in covers what
 * fwact uses: alloc, free, set_pubkey and verify, in process context.
 */
#if defined(FWACT_COMPAT_SIG) && !defined(FWACT_COMPAT_SIG_DONE)
#define FWACT_COMPAT_SIG_DONE
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
#include <linux/crypto.h>
#include <linux/err.h>
#include <linux/string.h>
#include <linux/types.h>

/* "pkcs1(rsa,HASH)" as these kernels name it, in @buf; else @name. */
static inline const char *fwact_compat_sig_name(const char *name, char *buf,
						size_t size)
{
	int n;

	if (strncmp(name, "pkcs1(", 6))
		return name;
	n = snprintf(buf, size, "pkcs1pad(%s", name + 6);
	if (n < 0 || (size_t)n >= size)
		return name;
	return buf;
}

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 5, 0)
#include <crypto/akcipher.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

struct crypto_sig {
	struct crypto_akcipher *akc;
};

static inline struct crypto_sig *crypto_alloc_sig(const char *alg_name,
						  u32 type, u32 mask)
{
	char buf[CRYPTO_MAX_ALG_NAME];
	struct crypto_akcipher *akc;
	struct crypto_sig *tfm;

	akc = crypto_alloc_akcipher(fwact_compat_sig_name(alg_name, buf,
							  sizeof(buf)),
				    type, mask);
	if (IS_ERR(akc))
		return ERR_CAST(akc);
	tfm = kzalloc_obj(*tfm, GFP_KERNEL);
	if (!tfm) {
		crypto_free_akcipher(akc);
		return ERR_PTR(-ENOMEM);
	}
	tfm->akc = akc;
	return tfm;
}

static inline void crypto_free_sig(struct crypto_sig *tfm)
{
	if (IS_ERR_OR_NULL(tfm))
		return;
	crypto_free_akcipher(tfm->akc);
	kfree(tfm);
}

static inline int crypto_sig_set_pubkey(struct crypto_sig *tfm,
					const void *key, unsigned int keylen)
{
	return crypto_akcipher_set_pub_key(tfm->akc, key, keylen);
}

/* pkcs1pad's verify: src is the signature then the digest, dst NULL. */
static inline int crypto_sig_verify(struct crypto_sig *tfm, const void *src,
				    unsigned int slen, const void *digest,
				    unsigned int dlen)
{
	DECLARE_CRYPTO_WAIT(wait);
	struct akcipher_request *req;
	struct scatterlist sg;
	u8 *buf;
	int err;

	buf = kmalloc(slen + dlen, GFP_KERNEL);
	req = akcipher_request_alloc(tfm->akc, GFP_KERNEL);
	if (!buf || !req) {
		kfree(buf);
		akcipher_request_free(req);
		return -ENOMEM;
	}
	memcpy(buf, src, slen);
	memcpy(buf + slen, digest, dlen);
	sg_init_one(&sg, buf, slen + dlen);
	akcipher_request_set_crypt(req, &sg, NULL, slen, dlen);
	akcipher_request_set_callback(req, CRYPTO_TFM_REQ_MAY_SLEEP,
				      crypto_req_done, &wait);
	err = crypto_wait_req(crypto_akcipher_verify(req), &wait);
	akcipher_request_free(req);
	kfree(buf);
	return err;
}
#else
static inline struct crypto_sig *fwact_compat_alloc_sig(const char *alg_name,
							u32 type, u32 mask)
{
	char buf[CRYPTO_MAX_ALG_NAME];

	return crypto_alloc_sig(fwact_compat_sig_name(alg_name, buf,
						      sizeof(buf)),
				type, mask);
}

#define crypto_alloc_sig	fwact_compat_alloc_sig
#endif
#endif
#endif

/*
 * Headers that older kernels do not have at all are stood in for by
 * compat/include/ alone: <linux/unaligned.h> (Linux 6.12 moved it from
 * <asm/unaligned.h>) and <asm/cpuid/api.h> (7.2 has it, 6.12 keeps
 * cpuid_eax() and its kind in <asm/processor.h>).
 */
