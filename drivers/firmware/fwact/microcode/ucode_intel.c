// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 microcode backend: the Intel errata under which the kernel's own
 * loader refuses a late load, refused here too, each with its reason.
 */
#define pr_fmt(fmt) "fwact microcode: " fmt

#include <linux/kernel.h>

#include "ucode_backend.h"

/*
 * Intel erratum BDX90 (BDF90 in older documents; Xeon E7-8800/4800 v4
 * specification update #334165): a late load on Broadwell-X stepping 1
 * with more than 2.5 MB of LLC per core, running a revision below
 * 0x0b000021, may hang the system. The kernel's loader refuses any late
 * load there (arch/x86/kernel/cpu/microcode/intel.c, is_blacklisted()).
 */
#define UCODE_BDX90_MODEL	0x4f
#define UCODE_BDX90_STEPPING	0x1
#define UCODE_BDX90_LLC		2621440
#define UCODE_BDX90_REV		0x0b000021

static bool ucode_intel_bdx90(const struct fwact_ucode_id *id)
{
	return id->vendor == UCODE_VENDOR_INTEL &&
	       ucode_sig_family(id->sig) == 6 &&
	       ucode_sig_model(id->sig) == UCODE_BDX90_MODEL &&
	       ucode_sig_stepping(id->sig) == UCODE_BDX90_STEPPING &&
	       id->llc_per_core > UCODE_BDX90_LLC && id->rev < UCODE_BDX90_REV;
}

/*
 * Intel erratum GNR98: on Granite Rapids-X stepping 1 (platform ids in
 * 0x95), jumping from below revision 0x1000405 to above it can cause
 * machine checks. The kernel's loader (Linux 7.2, intel.c,
 * revision_is_safe()) skips such patches; so does this backend, and
 * 0x1000405 itself stays loadable.
 */
#define UCODE_GNR98_MODEL	0xad
#define UCODE_GNR98_STEPPING	0x1
#define UCODE_GNR98_PF		0x95
#define UCODE_GNR98_REV		0x1000405

bool ucode_intel_gnr98_jump(u32 sig, u32 pf, u32 cur, u32 rev)
{
	return ucode_sig_family(sig) == 6 &&
	       ucode_sig_model(sig) == UCODE_GNR98_MODEL &&
	       ucode_sig_stepping(sig) == UCODE_GNR98_STEPPING &&
	       (pf & UCODE_GNR98_PF) && cur < UCODE_GNR98_REV &&
	       rev > UCODE_GNR98_REV;
}

/* BDX90: 0, or -EOPNOTSUPP (and one line) if @cpu must not load late. */
int ucode_intel_refused(unsigned int cpu, const struct fwact_ucode_id *id)
{
	if (!ucode_intel_bdx90(id))
		return 0;
	pr_err_ratelimited("CPU %u: erratum BDX90: late loading over revision 0x%x (below 0x%x) is refused, as by the kernel's loader; load microcode early\n",
			   cpu, id->rev, UCODE_BDX90_REV);
	return -EOPNOTSUPP;
}

/* GNR98: the only newer patch for @cpu, @skipped, would jump over the gap. */
void ucode_intel_gnr98_report(unsigned int cpu, u32 cur, u32 skipped)
{
	pr_err_ratelimited("CPU %u: erratum GNR98: patch 0x%x would jump from 0x%x over 0x%x; refused, as by the kernel's loader (load 0x%x first)\n",
			   cpu, skipped, cur, UCODE_GNR98_REV, UCODE_GNR98_REV);
}
