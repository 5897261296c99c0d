// SPDX-License-Identifier: GPL-2.0
/*
 * The firmware-call boundary of the fwact TDX backend (tdx_seamcall.h):
 * the SEAMCALL instruction, the one place the backend enters SEAM, and in
 * test builds the stand-in a test module may attach.
 *
 * The instruction can end three ways besides a status in RAX, as the
 * kernel's own wrapper encodes them: #UD (the CPU has no SEAM, or is not
 * in VMX operation), #GP, or VMfailInvalid (VMX root operation but no SEAM
 * module). The exception table turns a fault into the trap number in RAX
 * and the code below ORs in TDX_SW_ERROR, so no SEAMCALL ever oopses: on
 * a machine without TDX the backend reads TDX_SEAMCALL_UD and stays away.
 *
 * The call passes RCX, RDX, R8 and R9 and reads them back. Every other
 * general-purpose register but RSP and RBP is declared clobbered: the TDX
 * module may use them for outputs of leaves this backend does not call.
 * RBP is kept by every module the kernel initializes (it refuses modules
 * without TDX_FEATURES0.NO_RBP_MOD), and the backend only runs where the
 * kernel initialized the module.
 */
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/types.h>
#include <asm/asm.h>

#include "tdx_seamcall.h"
#include "tdx_main.h"

/* SEAMCALL, spelled out for assemblers that do not know it. */
#define TDX_SEAMCALL_INSN	".byte 0x66, 0x0f, 0x01, 0xcf"

u64 fwact_tdx_native_seamcall(u64 fn, struct fwact_tdx_args *args)
{
	register u64 r8 asm("r8") = args->r8;
	register u64 r9 asm("r9") = args->r9;
	u64 rax = fn, rcx = args->rcx, rdx = args->rdx;

	asm volatile("1:	" TDX_SEAMCALL_INSN "\n"
		     "	jnc	3f\n"
		     "	movabsq	%[vmfail], %%rax\n"
		     "	jmp	3f\n"
		     /* A fault: the handler left the trap number in RAX. */
		     "2:	movabsq	%[sw], %%rcx\n"
		     "	orq	%%rcx, %%rax\n"
		     "3:\n"
		     _ASM_EXTABLE_FAULT(1b, 2b)
		     : "+a" (rax), "+c" (rcx), "+d" (rdx), "+r" (r8), "+r" (r9)
		     : [vmfail] "i" (TDX_SEAMCALL_VMFAILINVALID),
		       [sw] "i" (TDX_SW_ERROR)
		     : "rbx", "rsi", "rdi", "r10", "r11", "r12", "r13", "r14",
		       "r15", "memory", "cc");
	args->rcx = rcx;
	args->rdx = rdx;
	args->r8 = r8;
	args->r9 = r9;
	return rax;
}

/**
 * fwact_tdx_seamcall() - make one SEAMCALL
 * @fn: the leaf (RAX); bit 63 selects the P-SEAMLDR
 * @args: the registers it takes and returns
 *
 * Goes to the instruction, or in a test build to the attached stand-in.
 * The caller keeps preemption off across it, and for a P-SEAMLDR leaf
 * holds the P-SEAMLDR lock (only one CPU may be in the P-SEAMLDR).
 *
 * Return: RAX, the call's status.
 */
u64 fwact_tdx_seamcall(u64 fn, struct fwact_tdx_args *args)
{
#ifdef CONFIG_FWACT_TEST_HOOKS
	const struct fwact_tdx_hw_ops *hw = READ_ONCE(fwact_tdx_hw);

	if (hw)
		return hw->seamcall(fn, args);
#endif
	return fwact_tdx_native_seamcall(fn, args);
}

/**
 * fwact_tdx_seamcall_errno() - the errno of a SEAMCALL's status
 * @status: RAX after the call
 *
 * Return: 0 for success; -EACCES for #UD (no SEAM here), -EOPNOTSUPP for
 * #GP, -ENODEV for no SEAM module; for a P-SEAMLDR status the errno that
 * says what it refused (-EKEYREJECTED signature or SVN, -EBADMSG hash,
 * -EOPNOTSUPP a CPU the module does not support, -EPERM a call out of
 * sequence or no updates left, -EPROTO handoff data, -EINVAL a parameter,
 * -ENOMEM no room in the SEAM range, -EAGAIN no entropy); -EBUSY for a
 * compat-sensitive operation in flight; -EIO for any other failure.
 */
int fwact_tdx_seamcall_errno(u64 status)
{
	switch (status) {
	case TDX_SUCCESS:
		return 0;
	case TDX_SEAMCALL_UD:
		return -EACCES;
	case TDX_SEAMCALL_GP:
		return -EOPNOTSUPP;
	case TDX_SEAMCALL_VMFAILINVALID:
		return -ENODEV;
	case PSEAMLDR_EBADSIG:
		return -EKEYREJECTED;
	case PSEAMLDR_EBADHASH:
		return -EBADMSG;
	case PSEAMLDR_EUNSUPCPU:
	case PSEAMLDR_EUNSUPPORTED:
		return -EOPNOTSUPP;
	case PSEAMLDR_EBADCALL:
		return -EPERM;
	case PSEAMLDR_EBADHANDOFF:
		return -EPROTO;
	case PSEAMLDR_EBADPARAM:
		return -EINVAL;
	case PSEAMLDR_ENOMEM:
		return -ENOMEM;
	case PSEAMLDR_ENOENTROPY:
		return -EAGAIN;
	}
	if ((status & TDX_STATUS_MASK) == TDX_UPDATE_COMPAT_SENSITIVE)
		return -EBUSY;
	return -EIO;
}
