// SPDX-License-Identifier: GPL-2.0
/*
 * The real firmware calls of the fwact microcode backend: CPUID(1) and the
 * platform-id MSR to identify a CPU, MSR 0x8B to read its revision, and
 * MSR 0x79 (Intel) or 0xC0010020 (AMD) to make its microcode engine load a
 * patch. These are the only MSR accesses the backend makes. Every access
 * uses the fault-tolerant MSR helpers: a patch the CPU rejects by faulting
 * the write becomes -EIO, and a hypervisor that does not implement an MSR
 * reads as a revision of 0 instead of an oops.
 */
#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/smp.h>
#include <linux/topology.h>
#include <linux/types.h>
#include <asm/cpuid/api.h>
#include <asm/msr.h>
#include <asm/processor.h>

#include "ucode_hw.h"

static enum ucode_vendor ucode_native_vendor(void)
{
	switch (boot_cpu_data.x86_vendor) {
	case X86_VENDOR_INTEL:
		return UCODE_VENDOR_INTEL;
	case X86_VENDOR_AMD:
		return UCODE_VENDOR_AMD;
	default:
		return UCODE_VENDOR_UNKNOWN;
	}
}

static u32 ucode_native_rev_read(enum ucode_vendor vendor)
{
	u32 lo = 0, hi = 0;

	if (vendor == UCODE_VENDOR_AMD) {
		if (rdmsr_safe(MSR_AMD64_PATCH_LEVEL, &lo, &hi))
			return 0;
		return lo;
	}
	/*
	 * Intel SDM 10.11.7: clear the MSR, execute CPUID(1), and the
	 * revision appears in the high half.
	 */
	if (wrmsr_safe(MSR_IA32_UCODE_REV, 0, 0))
		return 0;
	cpuid_eax(1);
	if (rdmsr_safe(MSR_IA32_UCODE_REV, &lo, &hi))
		return 0;
	return hi;
}

static u32 ucode_native_pf(u32 sig)
{
	u32 lo, hi;

	/* Only family 6 model >= 5 and later families have a platform id. */
	if (ucode_sig_family(sig) < 6 ||
	    (ucode_sig_family(sig) == 6 && ucode_sig_model(sig) < 5))
		return 0;
	if (rdmsr_safe(MSR_IA32_PLATFORM_ID, &lo, &hi))
		return 0;
	return 1U << ((hi >> 18) & 7);
}

/* As the kernel's Intel loader computes it for erratum BDX90. */
static u32 ucode_native_llc_per_core(void)
{
	const struct cpuinfo_x86 *c = &cpu_data(smp_processor_id());
	u64 llc = (u64)c->x86_cache_size * 1024;

	if (!topology_num_cores_per_package())
		return 0;
	do_div(llc, topology_num_cores_per_package());
	return min_t(u64, llc, U32_MAX);
}

static void ucode_native_identify(struct fwact_ucode_id *id)
{
	id->vendor = ucode_native_vendor();
	id->llc_per_core = ucode_native_llc_per_core();
	id->sig = cpuid_eax(1);
	id->pf = id->vendor == UCODE_VENDOR_INTEL ? ucode_native_pf(id->sig) : 0;
	id->rev = ucode_native_rev_read(id->vendor);
}

static int ucode_native_load(enum ucode_vendor vendor, const void *patch,
			     size_t size)
{
	unsigned long addr = (unsigned long)patch;

	/* Intel takes the address of the data, AMD that of the header. */
	if (vendor == UCODE_VENDOR_INTEL)
		return wrmsrq_safe(MSR_IA32_UCODE_WRITE,
				   addr + UCODE_INTEL_HDR_SIZE) ? -EIO : 0;
	if (vendor == UCODE_VENDOR_AMD)
		return wrmsrq_safe(MSR_AMD64_PATCH_LOADER, addr) ? -EIO : 0;
	return -EIO;
}

static const struct fwact_ucode_hw_ops ucode_native_ops = {
	.owner = NULL,
	.identify = ucode_native_identify,
	.rev_read = ucode_native_rev_read,
	.load = ucode_native_load,
	.prepared = NULL,
	.parking = NULL,
};

/**
 * fwact_ucode_hw_native() - the real firmware calls
 *
 * Return: the operations that access the real MSRs.
 */
const struct fwact_ucode_hw_ops *fwact_ucode_hw_native(void)
{
	return &ucode_native_ops;
}
