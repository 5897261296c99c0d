/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The firmware-call boundary of the fwact TDX backend: every call the
 * backend makes into SEAM, to the P-SEAMLDR or to the TDX module, is one
 * fwact_tdx_seamcall(). A production build has one implementation, the
 * SEAMCALL instruction (tdx_seamcall.c). Only a kernel built with
 * CONFIG_FWACT_TEST_HOOKS lets a test module (the emulated P-SEAMLDR and
 * TDX module under tools/testing/selftests/tdx/modules/) attach its own
 * implementation; without that option the attach call does not exist and
 * nothing can redirect a SEAMCALL.
 *
 * Leaf numbers, status codes and metadata field identifiers are those of
 * the Intel TDX module base specification and the SEAM loader interface
 * specification.
 */
#ifndef _FWACT_TDX_SEAMCALL_H
#define _FWACT_TDX_SEAMCALL_H

#include <linux/bits.h>
#include <linux/types.h>

struct module;

/* SEAMCALL leaves: RAX bit 63 selects the P-SEAMLDR. */
#define TDX_SEAMLDR_LEAF		BIT_ULL(63)
#define TDX_SEAMLDR_INFO		(TDX_SEAMLDR_LEAF | 0)
#define TDX_SEAMLDR_INSTALL		(TDX_SEAMLDR_LEAF | 1)
#define TDH_SYS_INIT			33
#define TDH_SYS_RD			34
#define TDH_SYS_LP_INIT			35
#define TDH_SYS_SHUTDOWN		52
#define TDH_SYS_UPDATE			53

/* TDH.SYS.SHUTDOWN: RCX[15:0] the handoff version, bit 16 the flag. */
#define TDX_SHUTDOWN_HV_MASK		GENMASK_ULL(15, 0)
#define TDX_SHUTDOWN_AVOID_COMPAT	BIT_ULL(16)

/* Global metadata fields read with TDH.SYS.RD (RDX in, R8 out). */
#define TDX_MD_MINOR_VERSION		0x0800000100000003ULL
#define TDX_MD_MAJOR_VERSION		0x0800000100000004ULL
#define TDX_MD_UPDATE_VERSION		0x0800000100000005ULL
#define TDX_MD_FEATURES0		0x0A00000300000008ULL
#define TDX_MD_MODULE_HV		0x8900000100000000ULL

/* TDX_FEATURES0 bits. */
#define TDX_FEATURES0_TD_PRESERVING	BIT_ULL(1)
#define TDX_FEATURES0_UPDATE_COMPAT	BIT_ULL(47)

/* TDX module completion status: the class is in bits 63:32. */
#define TDX_SUCCESS			0ULL
#define TDX_STATUS_MASK			GENMASK_ULL(63, 32)
#define TDX_UPDATE_COMPAT_SENSITIVE	0x8000051200000000ULL

/*
 * What the instruction itself can end with instead of a status (the
 * kernel's encoding, arch/x86/include/asm/tdx.h): no SEAM module
 * (VMfailInvalid), #GP (SEAMCALL outside VMX operation) or #UD (no SEAM).
 */
#define TDX_ERROR			BIT_ULL(63)
#define TDX_SW_ERROR			(TDX_ERROR | GENMASK_ULL(47, 40))
#define TDX_SEAMCALL_VMFAILINVALID	(TDX_SW_ERROR | 0xFFFF0000ULL)
#define TDX_SEAMCALL_GP			(TDX_SW_ERROR | 13)
#define TDX_SEAMCALL_UD			(TDX_SW_ERROR | 6)

/* P-SEAMLDR status codes (RAX); INSTALL also returns RDX. */
#define PSEAMLDR_SUCCESS		0ULL
#define PSEAMLDR_EBADPARAM		0x8000000000000000ULL
#define PSEAMLDR_EBADCALL		0x8000000000000003ULL
#define PSEAMLDR_EBADHANDOFF		0x8000000000000004ULL
#define PSEAMLDR_EUNSUPPORTED		0x8000000000000006ULL
#define PSEAMLDR_ENOMEM			0x8000000000010002ULL
#define PSEAMLDR_EUNSUPCPU		0x8000000000010004ULL
#define PSEAMLDR_EBADSIG		0x8000000000020000ULL
#define PSEAMLDR_EBADHASH		0x8000000000020001ULL
#define PSEAMLDR_ENOENTROPY		0x8000000000030001ULL
/* SEAMLDR.INSTALL RDX on error: was the old module kept? */
#define PSEAMLDR_RECOVERABLE		0ULL
#define PSEAMLDR_UNRECOVERABLE		1ULL

/*
 * SEAMLDR_INFO: 256 bytes, 256-byte aligned, written by SEAMLDR.INFO at
 * the physical address in RCX. Offsets of the fields the backend reads.
 */
#define TDX_SEAMLDR_INFO_SIZE		256
#define TDX_SEAMLDR_INFO_VERSION	0x00
#define TDX_SEAMLDR_INFO_VENDOR		0x08
#define TDX_SEAMLDR_INFO_MINOR		0x12
#define TDX_SEAMLDR_INFO_MAJOR		0x14
#define TDX_SEAMLDR_INFO_UPDATE		0x16
#define TDX_SEAMLDR_INFO_REMAINING	0x1C
/* SEAMEXTEND of the loaded module: TEE_TCB_SVN[0] minor, [1] major SVN. */
#define TDX_SEAMLDR_INFO_SVN_MINOR	0x28
#define TDX_SEAMLDR_INFO_SVN_MAJOR	0x29
#define TDX_SEAMLDR_INFO_SEAM_READY	0xA0
#define TDX_SEAMLDR_INFO_P_SEAM_READY	0xA2

/**
 * struct fwact_tdx_args - the registers of one SEAMCALL
 * @rcx: in and out
 * @rdx: in and out
 * @r8: in and out
 * @r9: in and out
 *
 * RAX is the leaf going in and the status coming out. The four registers
 * are every one the leaves of the update flow use; the others are
 * neither passed nor read.
 */
struct fwact_tdx_args {
	u64 rcx;
	u64 rdx;
	u64 r8;
	u64 r9;
};

/**
 * struct fwact_tdx_hw_ops - a stand-in for the SEAMCALL instruction
 * @seamcall: make the call @fn (RAX) with @args, return RAX. Called with
 *	preemption off, in process context or, inside an activation, with
 *	the CPUs held and interrupts off: it must not sleep, take a sleeping
 *	lock or allocate. The backend calls the P-SEAMLDR leaves (bit 63) on
 *	one CPU at a time, as the real P-SEAMLDR requires.
 * @prepare: optional, test builds only: called in process context, may
 *	sleep, when an activation is about to stop the CPUs with
 *	SEAMLDR_PARAMS at physical address @params_pa (the emulator does its
 *	sleeping work there, see its source). Returns 0 or a negative errno,
 *	which fails the activation with nothing changed.
 *
 * The ops must stay valid until fwact_tdx_hw_detach() returns: it removes
 * every way into the backend and waits for the callers in flight, so no
 * module reference is taken.
 */
struct fwact_tdx_hw_ops {
	u64 (*seamcall)(u64 fn, struct fwact_tdx_args *args);
	int (*prepare)(u64 params_pa);
};

u64 fwact_tdx_seamcall(u64 fn, struct fwact_tdx_args *args);
int fwact_tdx_seamcall_errno(u64 status);

/* Test builds only; exported in the FWACT_TEST namespace. */
#ifdef CONFIG_FWACT_TEST_HOOKS
int fwact_tdx_hw_attach(const struct fwact_tdx_hw_ops *ops);
void fwact_tdx_hw_detach(const struct fwact_tdx_hw_ops *ops);
#endif

#endif /* _FWACT_TDX_SEAMCALL_H */
