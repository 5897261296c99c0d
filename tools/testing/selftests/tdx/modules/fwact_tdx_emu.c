// SPDX-License-Identifier: GPL-2.0
/*
 * Emulated Intel P-SEAMLDR and TDX module for the fwact TDX selftests
 * (test kernels only: it needs CONFIG_FWACT_TEST_HOOKS in fwact-tdx).
 * Once enabled it stands in for the SEAMCALL instruction of the backend
 * (struct fwact_tdx_hw_ops, tdx_seamcall.h). It models what the update
 * flow reaches, after the P-SEAMLDR's source (seamldr_install.c):
 *
 *   SEAMLDR.INFO     RCX: physical address of a 256-byte, 256-aligned
 *                    buffer (EBADPARAM otherwise), written with the
 *                    SEAMLDR_INFO layout: P-SEAMLDR 1.5.00, vendor 0x8086,
 *                    the updates left, the loaded module's SEAMEXTEND
 *                    (SVN, SEAMHASH; zero when there is none), seam_ready
 *                    (a module is loaded and no install session blocks
 *                    it: as the real SEAMEXTEND, it stays 1 after
 *                    TDH.SYS.SHUTDOWN) and p_seam_ready 1.
 *   SEAMLDR.INSTALL  RCX: physical address of SEAMLDR_PARAMS. One call per
 *                    CPU makes a session. The session waits for as many
 *                    calls as num_online_cpus() said at its first one (the
 *                    real loader waits for every LP the BIOS enabled; the
 *                    backend refuses to start with a CPU offline). A
 *                    second call on a CPU in one session: EBADCALL (RDX 0).
 *                    The first call blocks the old module: every module
 *                    leaf gets VMfailInvalid (TDX_SEAMCALL_VMFAILINVALID,
 *                    a SEAMCALL with no SEAM module ready) until the
 *                    session ends; one its caller abandons stays open
 *                    (until reset), as on the real loader, which has no
 *                    way out of a session. Every call records its CPU's
 *                    CPUID(1).EAX, for the CPUID table check. The calls
 *                    before the last return success; the last does the
 *                    work, in the loader's order: the params page (4 KiB
 *                    aligned, version 0, reserved zero, scenario LOAD or
 *                    UPDATE, 1..496 module pages, every address 4 KiB
 *                    aligned and a page the kernel has (pfn_valid()), for
 *                    UPDATE a module loaded: EBADPARAM), then the
 *                    sigstruct, read through its address (its form: fixed
 *                    header words, vendor, reserved bytes, attributes 0,
 *                    min_update_hv <= module_hv: EBADSIG; the modulus's
 *                    SHA-384 one of keys=: EBADSIG; debug-signed on a
 *                    platform not debug_unlocked: EBADSIG; major SVN 0, or
 *                    for UPDATE not the running module's: EUNSUPPORTED;
 *                    minor SVN below the running module's: EBADSIG; a CPU
 *                    outside a non-empty CPUID table, stepping ignored:
 *                    EUNSUPCPU; a production module without a table:
 *                    EBADSIG; the signature: EBADSIG, see below), then for
 *                    UPDATE no updates left (EBADCALL) and the handoff
 *                    data: TDH.SYS.SHUTDOWN must have written it, with a
 *                    version in [min_update_hv, module_hv] of the new
 *                    sigstruct (EBADHANDOFF). All these are recoverable
 *                    (RDX 0): the old module comes back as it was, and with
 *                    undo_shutdown also undoes its TDH.SYS.SHUTDOWN (see
 *                    the knob). Then the memory is modified: from here
 *                    failures are unrecoverable (RDX 1) and no module is
 *                    left. The module pages are read through their
 *                    addresses, in order, and their SHA-384 must be the
 *                    sigstruct's SEAMHASH (EBADHASH). On success the new
 *                    module is loaded but not initialized, one update is
 *                    used up, its SVN and handoff versions are the
 *                    sigstruct's, and its version is next_version (a real
 *                    module's version is in its binary, which is not
 *                    modelled). A LOAD starts over: updates left back to
 *                    8 (then one used), no handoff data.
 *   TDH.SYS.SHUTDOWN RCX[15:0]: the handoff version, which must be the
 *                    running module's MODULE_HV; bit 16
 *                    AVOID_COMPAT_SENSITIVE, only if FEATURES0 has
 *                    UPDATE_COMPAT; any other bit set: TDX_OPERAND_INVALID
 *                    (RCX). With td_build set and bit 16 set:
 *                    TDX_UPDATE_COMPAT_SENSITIVE and nothing changes;
 *                    with td_build set and bit 16 clear the shutdown goes
 *                    ahead and "state" says td_build_broken=1. Then the
 *                    module is shut down (every leaf: TDX_SYS_SHUTDOWN)
 *                    and has written its handoff data.
 *   TDH.SYS.INIT     once, on a module just installed (otherwise
 *                    TDX_SYS_INIT_NOT_PENDING).
 *   TDH.SYS.LP.INIT  once per CPU after TDH.SYS.INIT (again:
 *                    TDX_SYS_LP_INIT_DONE; before: TDX_SYS_STATE_INCORRECT).
 *                    On a running module, a CPU that has not done it yet
 *                    may (CPUs are all done at load and reset).
 *   TDH.SYS.UPDATE   after TDH.SYS.INIT (TDX_SYS_STATE_INCORRECT) and
 *                    LP.INIT on every online CPU (TDX_SYS_LP_INIT_NOT_DONE):
 *                    imports the handoff data (none, after a LOAD:
 *                    TDX_SYS_INVALID_HANDOFF) and the new module runs.
 *   TDH.SYS.RD       RDX: field id, R8: its value: MAJOR/MINOR/UPDATE
 *                    version, FEATURES0, MODULE_HV; another field:
 *                    TDX_METADATA_FIELD_ID_INCORRECT. Only on a running
 *                    module (installed, not yet updated: TDX_SYS_NOT_READY).
 *   anything else    P-SEAMLDR leaf: EBADPARAM; module leaf:
 *                    TDX_OPERAND_INVALID (after the checks above that
 *                    every module leaf makes).
 *
 * Module leaves answer only while a module runs: with none loaded (after
 * an unrecoverable failure, until an install succeeds) or an install
 * session open, every one gets TDX_SEAMCALL_VMFAILINVALID; shut down,
 * TDX_SYS_SHUTDOWN (0xc000050600000000); installed and not yet updated,
 * everything but the init leaves TDX_SYS_NOT_READY.
 *
 * The signature. RSA-3072 PKCS#1 v1.5 with SHA-384 over bytes [0, 128)
 * and [900, 2048) of the sigstruct, with the modulus and exponent it
 * carries (little-endian). The kernel's RSA code allocates and may sleep,
 * so it cannot run where SEAMLDR.INSTALL does (every CPU held, interrupts
 * off). The backend calls .prepare() in process context right before it
 * stops the CPUs: it reads the sigstruct through SEAMLDR_PARAMS, verifies
 * the signature and the key, and remembers a good verdict under the
 * SHA-384 of the whole 2048-byte sigstruct (the last 8). The last
 * INSTALL hashes the sigstruct it reads then, with interrupts off
 * (SHA-384 through a shash allocated at load), and takes the signature as
 * good only if that digest is remembered: a sigstruct changed after
 * prepare, or never prepared, is refused with EBADSIG.
 *
 * Calls. Every call, on any CPU, takes one raw spinlock for the state, and
 * nothing in it sleeps, allocates or logs. Each is recorded (the last 4096)
 * with its CPU, leaf and status. The knobs are in
 * /sys/kernel/debug/fwact_tdx_emu/:
 *
 *   enable      1 attaches the emulator (fwact_tdx_hw_attach(), which
 *               registers the backend's component), 0 detaches it (waits
 *               for an activation in flight); unloading detaches
 *   reset       write 1: the machine as at load (module 1.5.01 running,
 *               SVN 4.1, MODULE_HV 0, FEATURES0 TD_PRESERVING|UPDATE_COMPAT,
 *               8 updates left, no session) and every knob below at its
 *               default; enable and the calls record are kept. Behind
 *               the backend's back: disable first
 *   state       read: "key=value" lines: module=ready|shutdown|loaded|
 *               sysinit|none, version, svn, module_hv, min_update_hv,
 *               features0, handoff=none|HV, lp_init (CPUs done),
 *               seam_ready, seamldr (its version), remaining,
 *               session=closed|open CALLS/TARGET, last_install=none|
 *               0xSTATUS RDX, prepare (the last verdict: none|good|
 *               no-sigstruct|bad-key|bad-signature), prepares (count),
 *               next_version, td_build, td_build_broken, debug_unlocked,
 *               undo_shutdown, seamldr_overlaps (P-SEAMLDR calls found
 *               running on two CPUs at once: the backend must serialize
 *               them), enabled
 *   calls       read: "seq=N cpu=C leaf=NAME status=0xS", one line per
 *               call, oldest first, NAME one of info, install, shutdown,
 *               sysinit, lpinit, update, rd or the leaf in hex; seq counts
 *               from 0 (a first seq above 0: older calls were dropped);
 *               write anything: clear it
 *   fail        write "LEAF CPU STATUS [RDX]": that leaf's calls on CPU
 *               (-1: any) return STATUS (hex) and do nothing else, until
 *               cleared; one rule per leaf. LEAF: info, install, shutdown,
 *               sysinit, lpinit, update, rd. Only install takes RDX (0
 *               recoverable, the default, or 1 unrecoverable): its call
 *               still counts in the session, and the last call's failure
 *               ends it, restoring the old module, or with RDX 1 leaving
 *               none (an RDX 1 before the last loses the old module
 *               too). "none" clears every rule; read: "LEAF CPU 0xSTATUS
 *               RDX hits=N" per rule, or "none"
 *   stall       write "LEAF CPU MS": that leaf's calls on CPU (-1: any)
 *               busy-wait MS milliseconds (at most 20000, 0 clears)
 *               before doing their work, interrupts as the caller has
 *               them; "none" clears all; read: "LEAF CPU MS hits=N" per
 *               rule, or "none"
 *   td_build    1: a TD build is in progress (compat-sensitive), 0 none
 *   debug_unlocked
 *               1 (default): the platform is debug-unlocked, so that a
 *               debug-signed module installs; 0: it is refused (EBADSIG),
 *               as on a production platform
 *   undo_shutdown
 *               1 (default): a recoverable INSTALL failure brings the old
 *               module back running even if TDH.SYS.SHUTDOWN shut it
 *               down, as the backend's "nothing changed" outcome assumes;
 *               0: it comes back shut down (TDX_SYS_SHUTDOWN to every
 *               leaf, its handoff data kept for another install): the
 *               real P-SEAMLDR restores only SEAMEXTEND, and the module
 *               keeps its shut-down state in its own memory
 *   remaining   the P-SEAMLDR's num_remaining_updates (u32)
 *   next_version
 *               "MAJOR.MINOR.UPDATE" the next install gives the module it
 *               loads, once; "auto" (default): the running module's with
 *               update + 1. Read: the version the next install gives
 *   version     "MAJOR.MINOR.UPDATE" of the running module (-EBUSY while
 *               an install session is open or no module is loaded)
 *   svn         "MAJOR.MINOR" SVN of the running module (likewise)
 *   features0   its TDX_FEATURES0, hex (likewise)
 *   module_hv   its MODULE_HV, u16 (likewise)
 *
 * Module parameter keys=: the accepted signing keys, as the SHA-384 of
 * each 384-byte modulus as stored (little-endian), in hex, comma
 * separated; the default is the selftests' test key
 * (keys/tdx-test-key.pem; tdx_mkimage --print-key-hash). Intel's is
 * c8572f548869a0beca19376b81c2dffc2a23b5a5f71da0b87579b43f408daa1a33bad9c149eb56c634f883737968a34c
 *
 * Bad knob input is -EINVAL. Physical addresses are checked with
 * pfn_valid() and then read through the direct map (kmap_local_page()),
 * which holds every page the backend passes (page allocator, kmalloc,
 * vmalloc).
 */
#define pr_fmt(fmt) "fwact_tdx_emu: " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/unaligned.h>
#include <linux/vmalloc.h>
#include <asm/cpuid/api.h>
#include <crypto/hash.h>
#include <crypto/sig.h>

#include "../../../../../drivers/firmware/fwact/tdx/tdx_seamcall.h"
#include "../../../../../drivers/firmware/fwact/tdx/tdx_image.h"

/* TDX module completion statuses (the TDX module's error codes). */
#define EMU_TDX_OPERAND_INVALID		0xC000010000000000ULL
#define EMU_TDX_OPERAND_ID_RCX		1ULL
#define EMU_TDX_SYS_INIT_NOT_PENDING	0xC000050000000000ULL
#define EMU_TDX_SYS_LP_INIT_NOT_DONE	0xC000050200000000ULL
#define EMU_TDX_SYS_LP_INIT_DONE	0xC000050300000000ULL
#define EMU_TDX_SYS_NOT_READY		0xC000050500000000ULL
#define EMU_TDX_SYS_SHUTDOWN		0xC000050600000000ULL
#define EMU_TDX_SYS_STATE_INCORRECT	0xC000050800000000ULL
#define EMU_TDX_SYS_INVALID_HANDOFF	0xC000050900000000ULL
#define EMU_TDX_MD_FIELD_ID_INCORRECT	0xC0000C0000000000ULL
/* Not in tdx_seamcall.h: the loader's "unspecified error". */
#define EMU_PSEAMLDR_EUNSPECERR		0x8000000000010003ULL

/* SEAMLDR_INFO fields the backend does not read. */
#define EMU_INFO_BUILD_DATE		0x0C
#define EMU_INFO_SEAMEXTEND_VALID	0x20
#define EMU_INFO_MRSEAM			0x38
#define EMU_SEAMEXTEND_VALID		0x1FF

/* The emulated P-SEAMLDR. */
#define EMU_LDR_MAJOR			1
#define EMU_LDR_MINOR			5
#define EMU_LDR_UPDATE			0
#define EMU_LDR_BUILD_DATE		0x20240530
#define EMU_REMAINING_DEFAULT		8

/* The module running at load and reset. */
#define EMU_MOD_MAJOR			1
#define EMU_MOD_MINOR			5
#define EMU_MOD_UPDATE			1
#define EMU_MOD_SVN_MAJOR		4
#define EMU_MOD_SVN_MINOR		1
#define EMU_MOD_FEATURES0		(TDX_FEATURES0_TD_PRESERVING | \
					 TDX_FEATURES0_UPDATE_COMPAT)

#define EMU_SHA384			48
#define EMU_RSA_BYTES			TDX_SIGSTRUCT_RSA_BYTES
#define EMU_MEMO_NR			8
#define EMU_KEYS_MAX			8
#define EMU_RING_NR			4096
#define EMU_STALL_MAX_MS		20000
/* CPUID(1).EAX: the loader ignores the stepping. */
#define EMU_CPUID_STEPPING		0xfU
/* 3 parts of a u16 and 2 dots, or a rule's 4 tokens, fit with room. */
#define EMU_KNOB_MAX			128

/* The selftests' key, keys/tdx-test-key.pem (tdx_mkimage --print-key-hash). */
#define EMU_TEST_KEY \
	"e4bdd52643a82fa5d914cf2d3497ff4792e932bfa3420561c9c15dba142cc4fdea1ef9cddd4100b7b722698b10d22cf8"

static char *keys = EMU_TEST_KEY;
module_param(keys, charp, 0444);
MODULE_PARM_DESC(keys,
		 "SHA-384 (hex) of each accepted signing key's modulus as stored, comma separated (default: the selftests' test key)");

enum emu_leaf {
	EMU_LEAF_INFO,
	EMU_LEAF_INSTALL,
	EMU_LEAF_SHUTDOWN,
	EMU_LEAF_SYSINIT,
	EMU_LEAF_LPINIT,
	EMU_LEAF_UPDATE,
	EMU_LEAF_RD,
	EMU_LEAF_NR,
	EMU_LEAF_OTHER = EMU_LEAF_NR
};

static const char * const emu_leaf_names[EMU_LEAF_NR] = {
	[EMU_LEAF_INFO] = "info",
	[EMU_LEAF_INSTALL] = "install",
	[EMU_LEAF_SHUTDOWN] = "shutdown",
	[EMU_LEAF_SYSINIT] = "sysinit",
	[EMU_LEAF_LPINIT] = "lpinit",
	[EMU_LEAF_UPDATE] = "update",
	[EMU_LEAF_RD] = "rd",
};

enum emu_mod_state {
	EMU_MOD_NONE,		/* nothing loaded */
	EMU_MOD_READY,		/* running: initialized or updated */
	EMU_MOD_SHUTDOWN,	/* TDH.SYS.SHUTDOWN done */
	EMU_MOD_LOADED,		/* installed, waiting for TDH.SYS.INIT */
	EMU_MOD_SYSINIT,	/* TDH.SYS.INIT done: LP.INIT, then UPDATE */
};

static const char * const emu_mod_state_names[] = {
	[EMU_MOD_NONE] = "none",
	[EMU_MOD_READY] = "ready",
	[EMU_MOD_SHUTDOWN] = "shutdown",
	[EMU_MOD_LOADED] = "loaded",
	[EMU_MOD_SYSINIT] = "sysinit",
};

enum emu_verdict {
	EMU_VERDICT_NONE,
	EMU_VERDICT_GOOD,
	EMU_VERDICT_NO_SIGSTRUCT,
	EMU_VERDICT_BAD_KEY,
	EMU_VERDICT_BAD_SIG,
};

static const char * const emu_verdict_names[] = {
	[EMU_VERDICT_NONE] = "none",
	[EMU_VERDICT_GOOD] = "good",
	[EMU_VERDICT_NO_SIGSTRUCT] = "no-sigstruct",
	[EMU_VERDICT_BAD_KEY] = "bad-key",
	[EMU_VERDICT_BAD_SIG] = "bad-signature",
};

/**
 * struct emu_module - the loaded TDX module (and its SEAMEXTEND)
 * @state: where it is in its life
 * @major: major version
 * @minor: minor version
 * @update: update version
 * @svn_major: major SVN
 * @svn_minor: minor SVN
 * @module_hv: MODULE_HV, the handoff version it writes
 * @min_update_hv: the lowest handoff version it imported from
 * @features0: TDX_FEATURES0
 * @mrseam: SEAMHASH of its sigstruct (zero for the one at load)
 * @handoff: handoff data is there for the next module: written at
 *	TDH.SYS.SHUTDOWN, carried by an UPDATE install, imported at
 *	TDH.SYS.UPDATE
 * @handoff_hv: its version
 *
 * With @state %EMU_MOD_NONE the versions are kept, for next_version.
 */
struct emu_module {
	enum emu_mod_state state;
	u16 major;
	u16 minor;
	u16 update;
	u8 svn_major;
	u8 svn_minor;
	u16 module_hv;
	u16 min_update_hv;
	u64 features0;
	u8 mrseam[EMU_SHA384];
	bool handoff;
	u16 handoff_hv;
};

/**
 * struct emu_rule - a fail or stall rule of one leaf
 * @on: the rule is set
 * @cpu: the CPU it applies to, -1 for any
 * @status: fail: what the call returns
 * @rdx: fail, install only: its RDX
 * @ms: stall: milliseconds
 * @hits: calls it applied to
 */
struct emu_rule {
	bool on;
	int cpu;
	u64 status;
	u64 rdx;
	u32 ms;
	u64 hits;
};

/**
 * struct emu_state - everything a SEAMCALL reads or writes
 * @mod: the loaded module
 * @sess_open: a SEAMLDR.INSTALL session is open
 * @sess_lost: an injected unrecoverable failure in it lost the old module
 * @sess_target: calls the session waits for
 * @sess_calls: calls it had
 * @sess_saved: the module as at the session's first call
 * @remaining: the P-SEAMLDR's num_remaining_updates
 * @have_install: a session ended since load or reset
 * @install_status: how the last one ended: RAX
 * @install_rdx: and RDX
 * @td_build: knob
 * @td_build_broken: TDH.SYS.SHUTDOWN ran during a TD build without
 *	AVOID_COMPAT_SENSITIVE
 * @debug_unlocked: knob
 * @undo_shutdown: knob
 * @next_set: next_version was written
 * @next: its value (major, minor, update)
 * @fail: fail rules, per leaf
 * @stall: stall rules, per leaf
 * @memo: SHA-384 of sigstructs whose signature prepare found good
 * @memo_nr: entries of @memo in use
 * @memo_next: the entry the next good verdict replaces
 * @verdict: prepare's last verdict
 * @prepares: prepare calls
 * @ring_count: calls recorded since the record was cleared
 */
struct emu_state {
	struct emu_module mod;
	bool sess_open;
	bool sess_lost;
	unsigned int sess_target;
	unsigned int sess_calls;
	struct emu_module sess_saved;
	u32 remaining;
	bool have_install;
	u64 install_status;
	u64 install_rdx;
	bool td_build;
	bool td_build_broken;
	bool debug_unlocked;
	bool undo_shutdown;
	bool next_set;
	u16 next[3];
	struct emu_rule fail[EMU_LEAF_NR];
	struct emu_rule stall[EMU_LEAF_NR];
	u8 memo[EMU_MEMO_NR][EMU_SHA384];
	unsigned int memo_nr;
	unsigned int memo_next;
	enum emu_verdict verdict;
	u64 prepares;
	u64 ring_count;
};

/**
 * struct emu_call - one recorded SEAMCALL
 * @seq: its number since the record was cleared
 * @fn: RAX in
 * @status: RAX out
 * @cpu: where it ran
 */
struct emu_call {
	u64 seq;
	u64 fn;
	u64 status;
	int cpu;
};

/* Guards emu, the cpumasks, the buffers, the record and emu_cpuid. */
static DEFINE_RAW_SPINLOCK(emu_lock);
static struct emu_state emu;
/* CPUs that called SEAMLDR.INSTALL in the open session. */
static struct cpumask emu_sess_cpus;
/* CPUs that did TDH.SYS.LP.INIT on the loaded module. */
static struct cpumask emu_lp_done;
/* CPUID(1).EAX each CPU gave at its last SEAMLDR.INSTALL. */
static u32 *emu_cpuid;
/* The last INSTALL's copies of what it reads, as the loader copies. */
static u8 emu_params[TDX_PARAMS_SIZE] __aligned(8);
static u8 emu_sigstruct[TDX_SIGSTRUCT_SIZE] __aligned(8);
static struct emu_call emu_ring[EMU_RING_NR];

/* SHA-384, and the descriptor the SEAMCALLs use (under emu_lock). */
static struct crypto_shash *emu_sha;
static struct shash_desc *emu_desc;
/* Accepted keys, from keys=. */
static u8 emu_keys[EMU_KEYS_MAX][EMU_SHA384];
static unsigned int emu_nr_keys;

/* P-SEAMLDR calls in flight: more than one is a finding. */
static atomic_t emu_ldr_inside = ATOMIC_INIT(0);
static atomic_t emu_ldr_overlaps = ATOMIC_INIT(0);

/* Serializes prepare: the RSA tfm and its descriptor. */
static DEFINE_MUTEX(emu_prep_lock);
static struct crypto_sig *emu_rsa;
static struct shash_desc *emu_prep_desc;

/* Serializes enable; emu_enabled is read without it. */
static DEFINE_MUTEX(emu_enable_lock);
static bool emu_enabled;
static struct dentry *emu_dir;

static bool emu_rule_applies(const struct emu_rule *r, unsigned int cpu)
{
	return r->on && (r->cpu < 0 || r->cpu == (int)cpu);
}

/* A page the kernel has, at a 4 KiB-aligned address. */
static bool emu_page_ok(u64 pa)
{
	return !(pa % TDX_IMAGE_PAGE_SIZE) && pfn_valid(PHYS_PFN(pa));
}

static void emu_read_page(u64 pa, void *dst, size_t len)
{
	void *va = kmap_local_page(pfn_to_page(PHYS_PFN(pa)));

	memcpy(dst, va, len);
	kunmap_local(va);
}

static bool emu_key_known(const u8 *digest)
{
	unsigned int i;

	for (i = 0; i < emu_nr_keys; i++)
		if (!memcmp(emu_keys[i], digest, EMU_SHA384))
			return true;
	return false;
}

/* Everything as at load, but enable and the record. Under emu_lock. */
static void emu_defaults(void)
{
	u64 ring_count = emu.ring_count;

	memset(&emu, 0, sizeof(emu));
	emu.ring_count = ring_count;
	emu.mod.state = EMU_MOD_READY;
	emu.mod.major = EMU_MOD_MAJOR;
	emu.mod.minor = EMU_MOD_MINOR;
	emu.mod.update = EMU_MOD_UPDATE;
	emu.mod.svn_major = EMU_MOD_SVN_MAJOR;
	emu.mod.svn_minor = EMU_MOD_SVN_MINOR;
	emu.mod.features0 = EMU_MOD_FEATURES0;
	emu.remaining = EMU_REMAINING_DEFAULT;
	emu.debug_unlocked = true;
	emu.undo_shutdown = true;
	cpumask_clear(&emu_sess_cpus);
	cpumask_copy(&emu_lp_done, cpu_possible_mask);
	atomic_set(&emu_ldr_overlaps, 0);
}

static void emu_next_version(u16 *v)
{
	if (emu.next_set) {
		memcpy(v, emu.next, sizeof(emu.next));
		return;
	}
	v[0] = emu.mod.major;
	v[1] = emu.mod.minor;
	v[2] = emu.mod.update + 1;
}

/* Module leaves: is there a module to answer? 0 if so. */
static u64 emu_module_gate(void)
{
	if (emu.sess_open || emu.mod.state == EMU_MOD_NONE)
		return TDX_SEAMCALL_VMFAILINVALID;
	if (emu.mod.state == EMU_MOD_SHUTDOWN)
		return EMU_TDX_SYS_SHUTDOWN;
	return 0;
}

static u64 emu_info(struct fwact_tdx_args *args)
{
	const struct emu_module *m = &emu.mod;
	u64 pa = args->rcx;
	u8 *p;

	if (pa % TDX_SEAMLDR_INFO_SIZE || !pfn_valid(PHYS_PFN(pa)))
		return PSEAMLDR_EBADPARAM;
	p = phys_to_virt(pa);
	memset(p, 0, TDX_SEAMLDR_INFO_SIZE);
	put_unaligned_le32(TDX_SIGSTRUCT_VENDOR_INTEL, p + TDX_SEAMLDR_INFO_VENDOR);
	put_unaligned_le32(EMU_LDR_BUILD_DATE, p + EMU_INFO_BUILD_DATE);
	put_unaligned_le16(EMU_LDR_MINOR, p + TDX_SEAMLDR_INFO_MINOR);
	put_unaligned_le16(EMU_LDR_MAJOR, p + TDX_SEAMLDR_INFO_MAJOR);
	put_unaligned_le16(EMU_LDR_UPDATE, p + TDX_SEAMLDR_INFO_UPDATE);
	put_unaligned_le32(emu.remaining, p + TDX_SEAMLDR_INFO_REMAINING);
	if (m->state != EMU_MOD_NONE) {
		put_unaligned_le64(EMU_SEAMEXTEND_VALID,
				   p + EMU_INFO_SEAMEXTEND_VALID);
		p[TDX_SEAMLDR_INFO_SVN_MINOR] = m->svn_minor;
		p[TDX_SEAMLDR_INFO_SVN_MAJOR] = m->svn_major;
		memcpy(p + EMU_INFO_MRSEAM, m->mrseam, EMU_SHA384);
		p[TDX_SEAMLDR_INFO_SEAM_READY] = !emu.sess_open;
	}
	p[TDX_SEAMLDR_INFO_P_SEAM_READY] = 1;
	return PSEAMLDR_SUCCESS;
}

static u64 emu_params_check(const u8 *p, const struct emu_module *cur)
{
	u32 scenario = get_unaligned_le32(p + TDX_PARAMS_SCENARIO);
	u64 pages = get_unaligned_le64(p + TDX_PARAMS_NUM_MODULE_PAGES);
	u64 i;

	if (get_unaligned_le32(p + TDX_PARAMS_VERSION))
		return PSEAMLDR_EBADPARAM;
	if (memchr_inv(p + TDX_PARAMS_RESERVED, 0,
		       TDX_PARAMS_NUM_MODULE_PAGES - TDX_PARAMS_RESERVED))
		return PSEAMLDR_EBADPARAM;
	if (scenario != TDX_PARAMS_SCENARIO_LOAD &&
	    scenario != TDX_PARAMS_SCENARIO_UPDATE)
		return PSEAMLDR_EBADPARAM;
	if (!pages || pages > TDX_IMAGE_MAX_MODULE_PAGES)
		return PSEAMLDR_EBADPARAM;
	for (i = 0; i < pages; i++)
		if (!emu_page_ok(get_unaligned_le64(p + TDX_PARAMS_MODULE_PA_LIST +
						    8 * i)))
			return PSEAMLDR_EBADPARAM;
	if (!emu_page_ok(get_unaligned_le64(p + TDX_PARAMS_SIGSTRUCT_PA)))
		return PSEAMLDR_EBADPARAM;
	if (scenario == TDX_PARAMS_SCENARIO_UPDATE &&
	    cur->state == EMU_MOD_NONE)
		return PSEAMLDR_EBADPARAM;
	return PSEAMLDR_SUCCESS;
}

/* The header words the loader requires, as offset and value. */
static const struct {
	u16 off;
	u32 val;
} emu_sig_fixed[] = {
	{ TDX_SIGSTRUCT_HEADER_TYPE, TDX_SIGSTRUCT_TYPE_GENERIC_FW },
	{ TDX_SIGSTRUCT_HEADER_LEN, TDX_SIGSTRUCT_HEADER_DWORDS },
	{ TDX_SIGSTRUCT_HEADER_VER, TDX_SIGSTRUCT_VERSION_1_0 },
	{ TDX_SIGSTRUCT_VENDOR, TDX_SIGSTRUCT_VENDOR_INTEL },
	{ TDX_SIGSTRUCT_SIZE_DWORDS, TDX_SIGSTRUCT_DWORDS },
	{ TDX_SIGSTRUCT_KEY_SIZE, TDX_SIGSTRUCT_KEY_DWORDS },
	{ TDX_SIGSTRUCT_MODULUS_SIZE, TDX_SIGSTRUCT_KEY_DWORDS },
	{ TDX_SIGSTRUCT_EXPONENT_SIZE, TDX_SIGSTRUCT_EXPONENT_DWORDS },
	{ TDX_SIGSTRUCT_EXPONENT, TDX_SIGSTRUCT_RSA_EXPONENT },
};

/* The sigstruct's reserved fields, as start and end offsets. */
static const struct {
	u16 start;
	u16 end;
} emu_sig_reserved[] = {
	{ TDX_SIGSTRUCT_RESERVED0, TDX_SIGSTRUCT_MODULUS },
	{ TDX_SIGSTRUCT_RESERVED1, TDX_SIGSTRUCT_MODULE_HV },
	{ TDX_SIGSTRUCT_RESERVED2, TDX_SIGSTRUCT_HANDOFF_PAGES },
	{ TDX_SIGSTRUCT_RESERVED3, TDX_SIGSTRUCT_CPUID_SIZE },
};

/* What the loader checks of the sigstruct's form. */
static bool emu_sig_form_ok(const u8 *s)
{
	u32 type = get_unaligned_le32(s + TDX_SIGSTRUCT_MODULE_TYPE);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(emu_sig_fixed); i++)
		if (get_unaligned_le32(s + emu_sig_fixed[i].off) !=
		    emu_sig_fixed[i].val)
			return false;
	for (i = 0; i < ARRAY_SIZE(emu_sig_reserved); i++)
		if (memchr_inv(s + emu_sig_reserved[i].start, 0,
			       emu_sig_reserved[i].end - emu_sig_reserved[i].start))
			return false;
	if (type & ~TDX_SIGSTRUCT_DEBUG_SIGNED)
		return false;
	if (get_unaligned_le64(s + TDX_SIGSTRUCT_ATTRIBUTES))
		return false;
	if (get_unaligned_le32(s + TDX_SIGSTRUCT_CPUID_SIZE) >
	    TDX_SIGSTRUCT_MAX_CPUIDS)
		return false;
	return get_unaligned_le16(s + TDX_SIGSTRUCT_MIN_UPDATE_HV) <=
	       get_unaligned_le16(s + TDX_SIGSTRUCT_MODULE_HV);
}

/* Every CPU of the session in the sigstruct's (non-empty) CPUID table. */
static bool emu_cpus_supported(const u8 *s, u32 nr)
{
	unsigned int cpu;
	u32 i;

	for_each_cpu(cpu, &emu_sess_cpus) {
		for (i = 0; i < nr; i++)
			if (!((get_unaligned_le32(s + TDX_SIGSTRUCT_CPUID_TABLE +
						  4 * i) ^ emu_cpuid[cpu]) &
			      ~EMU_CPUID_STEPPING))
				break;
		if (i == nr)
			return false;
	}
	return true;
}

static bool emu_memo_has(const u8 *digest)
{
	unsigned int i;

	for (i = 0; i < emu.memo_nr; i++)
		if (!memcmp(emu.memo[i], digest, EMU_SHA384))
			return true;
	return false;
}

/* The loader's verify_manifest(), on emu_sigstruct. */
static u64 emu_manifest_check(u32 scenario, const struct emu_module *cur)
{
	const u8 *s = emu_sigstruct;
	u32 nr_cpuids = get_unaligned_le32(s + TDX_SIGSTRUCT_CPUID_SIZE);
	bool debug = get_unaligned_le32(s + TDX_SIGSTRUCT_MODULE_TYPE) &
		     TDX_SIGSTRUCT_DEBUG_SIGNED;
	u8 svn_minor = s[TDX_SIGSTRUCT_SEAMSVN];
	u8 svn_major = s[TDX_SIGSTRUCT_SEAMSVN + 1];
	u8 digest[EMU_SHA384];

	if (!emu_sig_form_ok(s))
		return PSEAMLDR_EBADSIG;
	if (crypto_shash_digest(emu_desc, s + TDX_SIGSTRUCT_MODULUS,
				EMU_RSA_BYTES, digest))
		return EMU_PSEAMLDR_EUNSPECERR;
	if (!emu_key_known(digest))
		return PSEAMLDR_EBADSIG;
	if (debug && !emu.debug_unlocked)
		return PSEAMLDR_EBADSIG;
	if (!svn_major)
		return PSEAMLDR_EUNSUPPORTED;
	if (scenario == TDX_PARAMS_SCENARIO_UPDATE) {
		if (svn_major != cur->svn_major)
			return PSEAMLDR_EUNSUPPORTED;
		if (svn_minor < cur->svn_minor)
			return PSEAMLDR_EBADSIG;
	}
	if (nr_cpuids && !emu_cpus_supported(s, nr_cpuids))
		return PSEAMLDR_EUNSUPCPU;
	if (!debug && !nr_cpuids)
		return PSEAMLDR_EBADSIG;
	/* The signature: prepare must have found it good for these bytes. */
	if (crypto_shash_digest(emu_desc, s, TDX_SIGSTRUCT_SIZE, digest))
		return EMU_PSEAMLDR_EUNSPECERR;
	if (!emu_memo_has(digest))
		return PSEAMLDR_EBADSIG;
	return PSEAMLDR_SUCCESS;
}

/* SHA-384 of the module pages, in order, is the sigstruct's SEAMHASH. */
static u64 emu_module_hash_check(const u8 *p)
{
	u64 pages = get_unaligned_le64(p + TDX_PARAMS_NUM_MODULE_PAGES);
	u8 digest[EMU_SHA384];
	u64 i;
	int ret;

	ret = crypto_shash_init(emu_desc);
	for (i = 0; !ret && i < pages; i++) {
		u64 pa = get_unaligned_le64(p + TDX_PARAMS_MODULE_PA_LIST +
					    8 * i);
		void *va = kmap_local_page(pfn_to_page(PHYS_PFN(pa)));

		ret = crypto_shash_update(emu_desc, va, TDX_IMAGE_PAGE_SIZE);
		kunmap_local(va);
	}
	if (!ret)
		ret = crypto_shash_final(emu_desc, digest);
	if (ret)
		return EMU_PSEAMLDR_EUNSPECERR;
	if (memcmp(digest, emu_sigstruct + TDX_SIGSTRUCT_SEAMHASH, EMU_SHA384))
		return PSEAMLDR_EBADHASH;
	return PSEAMLDR_SUCCESS;
}

/* The last CPU's SEAMLDR.INSTALL: the install itself. */
static u64 emu_install_last(u64 params_pa, u64 *rdx)
{
	const struct emu_module *cur = &emu.sess_saved;
	const u8 *s = emu_sigstruct;
	struct emu_module new = {};
	u16 next[3];
	u32 scenario;
	u64 status;
	u16 hv_lo, hv_hi;

	*rdx = PSEAMLDR_RECOVERABLE;
	if (!emu_page_ok(params_pa))
		return PSEAMLDR_EBADPARAM;
	emu_read_page(params_pa, emu_params, TDX_PARAMS_SIZE);
	status = emu_params_check(emu_params, cur);
	if (status)
		return status;
	scenario = get_unaligned_le32(emu_params + TDX_PARAMS_SCENARIO);
	emu_read_page(get_unaligned_le64(emu_params + TDX_PARAMS_SIGSTRUCT_PA),
		      emu_sigstruct, TDX_SIGSTRUCT_SIZE);
	status = emu_manifest_check(scenario, cur);
	if (status)
		return status;

	hv_lo = get_unaligned_le16(s + TDX_SIGSTRUCT_MIN_UPDATE_HV);
	hv_hi = get_unaligned_le16(s + TDX_SIGSTRUCT_MODULE_HV);
	if (scenario == TDX_PARAMS_SCENARIO_UPDATE) {
		if (!emu.remaining)
			return PSEAMLDR_EBADCALL;
		if (!cur->handoff || cur->handoff_hv < hv_lo ||
		    cur->handoff_hv > hv_hi)
			return PSEAMLDR_EBADHANDOFF;
		new.handoff = true;
		new.handoff_hv = cur->handoff_hv;
	} else {
		emu.remaining = EMU_REMAINING_DEFAULT;
	}

	/* The loader has written the SEAM range: no way back from here. */
	*rdx = PSEAMLDR_UNRECOVERABLE;
	status = emu_module_hash_check(emu_params);
	if (status)
		return status;

	emu_next_version(next);
	new.state = EMU_MOD_LOADED;
	new.major = next[0];
	new.minor = next[1];
	new.update = next[2];
	new.svn_minor = s[TDX_SIGSTRUCT_SEAMSVN];
	new.svn_major = s[TDX_SIGSTRUCT_SEAMSVN + 1];
	new.module_hv = hv_hi;
	new.min_update_hv = hv_lo;
	new.features0 = cur->features0;
	memcpy(new.mrseam, s + TDX_SIGSTRUCT_SEAMHASH, EMU_SHA384);
	emu.mod = new;
	emu.next_set = false;
	cpumask_clear(&emu_lp_done);
	if (emu.remaining)
		emu.remaining--;
	*rdx = 0;
	return PSEAMLDR_SUCCESS;
}

/* The session is over: with @status 0 the new module is already in. */
static void emu_session_end(u64 status, u64 rdx)
{
	emu.sess_open = false;
	cpumask_clear(&emu_sess_cpus);
	emu.have_install = true;
	emu.install_status = status;
	emu.install_rdx = rdx;
	if (!status)
		return;
	if (rdx == PSEAMLDR_UNRECOVERABLE || emu.sess_lost) {
		emu.mod.state = EMU_MOD_NONE;
		emu.mod.handoff = false;
		return;
	}
	emu.mod = emu.sess_saved;
	if (emu.undo_shutdown && emu.mod.state == EMU_MOD_SHUTDOWN) {
		emu.mod.state = EMU_MOD_READY;
		emu.mod.handoff = false;
	}
}

static u64 emu_install(struct fwact_tdx_args *args, unsigned int cpu, u32 eax)
{
	struct emu_rule *f = &emu.fail[EMU_LEAF_INSTALL];
	u64 status, rdx;
	bool last;

	args->rdx = PSEAMLDR_RECOVERABLE;
	if (emu.sess_open && cpumask_test_cpu(cpu, &emu_sess_cpus))
		return PSEAMLDR_EBADCALL;
	if (!emu.sess_open) {
		/* Blocks the old module until the session ends. */
		emu.sess_open = true;
		emu.sess_lost = false;
		emu.sess_target = num_online_cpus();
		emu.sess_calls = 0;
		emu.sess_saved = emu.mod;
	}
	cpumask_set_cpu(cpu, &emu_sess_cpus);
	emu.sess_calls++;
	emu_cpuid[cpu] = eax;
	last = emu.sess_calls >= emu.sess_target;

	if (emu_rule_applies(f, cpu)) {
		f->hits++;
		status = f->status;
		rdx = f->rdx;
		if (rdx == PSEAMLDR_UNRECOVERABLE)
			emu.sess_lost = true;
		if (last)
			emu_session_end(status, rdx);
		args->rdx = rdx;
		return status;
	}
	if (!last)
		return PSEAMLDR_SUCCESS;
	status = emu_install_last(args->rcx, &rdx);
	emu_session_end(status, rdx);
	args->rdx = status ? rdx : 0;
	return status;
}

static u64 emu_shutdown(u64 rcx)
{
	u64 status = emu_module_gate();
	u16 hv = rcx & TDX_SHUTDOWN_HV_MASK;

	if (status)
		return status;
	if (emu.mod.state != EMU_MOD_READY)
		return EMU_TDX_SYS_NOT_READY;
	if (rcx & ~(TDX_SHUTDOWN_HV_MASK | TDX_SHUTDOWN_AVOID_COMPAT))
		return EMU_TDX_OPERAND_INVALID | EMU_TDX_OPERAND_ID_RCX;
	if ((rcx & TDX_SHUTDOWN_AVOID_COMPAT) &&
	    !(emu.mod.features0 & TDX_FEATURES0_UPDATE_COMPAT))
		return EMU_TDX_OPERAND_INVALID | EMU_TDX_OPERAND_ID_RCX;
	if (hv != emu.mod.module_hv)
		return EMU_TDX_OPERAND_INVALID | EMU_TDX_OPERAND_ID_RCX;
	if (emu.td_build) {
		if (rcx & TDX_SHUTDOWN_AVOID_COMPAT)
			return TDX_UPDATE_COMPAT_SENSITIVE;
		emu.td_build_broken = true;
	}
	emu.mod.state = EMU_MOD_SHUTDOWN;
	emu.mod.handoff = true;
	emu.mod.handoff_hv = hv;
	return TDX_SUCCESS;
}

static u64 emu_sys_init(void)
{
	u64 status = emu_module_gate();

	if (status)
		return status;
	if (emu.mod.state != EMU_MOD_LOADED)
		return EMU_TDX_SYS_INIT_NOT_PENDING;
	emu.mod.state = EMU_MOD_SYSINIT;
	cpumask_clear(&emu_lp_done);
	return TDX_SUCCESS;
}

static u64 emu_lp_init(unsigned int cpu)
{
	u64 status = emu_module_gate();

	if (status)
		return status;
	if (emu.mod.state != EMU_MOD_READY && emu.mod.state != EMU_MOD_SYSINIT)
		return EMU_TDX_SYS_STATE_INCORRECT;
	if (cpumask_test_and_set_cpu(cpu, &emu_lp_done))
		return EMU_TDX_SYS_LP_INIT_DONE;
	return TDX_SUCCESS;
}

static u64 emu_sys_update(void)
{
	u64 status = emu_module_gate();

	if (status)
		return status;
	if (emu.mod.state != EMU_MOD_SYSINIT)
		return EMU_TDX_SYS_STATE_INCORRECT;
	if (!cpumask_subset(cpu_online_mask, &emu_lp_done))
		return EMU_TDX_SYS_LP_INIT_NOT_DONE;
	if (!emu.mod.handoff)
		return EMU_TDX_SYS_INVALID_HANDOFF;
	emu.mod.handoff = false;
	emu.mod.state = EMU_MOD_READY;
	return TDX_SUCCESS;
}

static u64 emu_sys_rd(struct fwact_tdx_args *args)
{
	u64 status = emu_module_gate();

	if (status)
		return status;
	if (emu.mod.state != EMU_MOD_READY)
		return EMU_TDX_SYS_NOT_READY;
	switch (args->rdx) {
	case TDX_MD_MAJOR_VERSION:
		args->r8 = emu.mod.major;
		break;
	case TDX_MD_MINOR_VERSION:
		args->r8 = emu.mod.minor;
		break;
	case TDX_MD_UPDATE_VERSION:
		args->r8 = emu.mod.update;
		break;
	case TDX_MD_FEATURES0:
		args->r8 = emu.mod.features0;
		break;
	case TDX_MD_MODULE_HV:
		args->r8 = emu.mod.module_hv;
		break;
	default:
		return EMU_TDX_MD_FIELD_ID_INCORRECT;
	}
	return TDX_SUCCESS;
}

static u64 emu_other(u64 fn)
{
	u64 status;

	if (fn & TDX_SEAMLDR_LEAF)
		return PSEAMLDR_EBADPARAM;
	status = emu_module_gate();
	if (status)
		return status;
	if (emu.mod.state != EMU_MOD_READY)
		return EMU_TDX_SYS_NOT_READY;
	return EMU_TDX_OPERAND_INVALID;
}

static enum emu_leaf emu_leaf_of(u64 fn)
{
	switch (fn) {
	case TDX_SEAMLDR_INFO:
		return EMU_LEAF_INFO;
	case TDX_SEAMLDR_INSTALL:
		return EMU_LEAF_INSTALL;
	case TDH_SYS_SHUTDOWN:
		return EMU_LEAF_SHUTDOWN;
	case TDH_SYS_INIT:
		return EMU_LEAF_SYSINIT;
	case TDH_SYS_LP_INIT:
		return EMU_LEAF_LPINIT;
	case TDH_SYS_UPDATE:
		return EMU_LEAF_UPDATE;
	case TDH_SYS_RD:
		return EMU_LEAF_RD;
	}
	return EMU_LEAF_OTHER;
}

static u64 emu_call(u64 fn, enum emu_leaf leaf, unsigned int cpu, u32 eax,
		    struct fwact_tdx_args *args)
{
	/* Install's rule is applied inside its session. */
	if (leaf < EMU_LEAF_NR && leaf != EMU_LEAF_INSTALL &&
	    emu_rule_applies(&emu.fail[leaf], cpu)) {
		emu.fail[leaf].hits++;
		return emu.fail[leaf].status;
	}
	switch (leaf) {
	case EMU_LEAF_INFO:
		return emu_info(args);
	case EMU_LEAF_INSTALL:
		return emu_install(args, cpu, eax);
	case EMU_LEAF_SHUTDOWN:
		return emu_shutdown(args->rcx);
	case EMU_LEAF_SYSINIT:
		return emu_sys_init();
	case EMU_LEAF_LPINIT:
		return emu_lp_init(cpu);
	case EMU_LEAF_UPDATE:
		return emu_sys_update();
	case EMU_LEAF_RD:
		return emu_sys_rd(args);
	default:
		return emu_other(fn);
	}
}

static void emu_record(u64 fn, u64 status, unsigned int cpu)
{
	struct emu_call *c = &emu_ring[emu.ring_count % EMU_RING_NR];

	c->seq = emu.ring_count++;
	c->fn = fn;
	c->status = status;
	c->cpu = cpu;
}

/* The SEAMCALL: preemption or interrupts off, on any CPU, concurrently. */
static u64 emu_seamcall(u64 fn, struct fwact_tdx_args *args)
{
	unsigned int cpu = smp_processor_id();
	enum emu_leaf leaf = emu_leaf_of(fn);
	bool ldr = fn & TDX_SEAMLDR_LEAF;
	unsigned long flags;
	u32 eax = 0, ms = 0;
	u64 status;

	if (ldr && atomic_inc_return(&emu_ldr_inside) > 1)
		atomic_inc(&emu_ldr_overlaps);
	if (leaf == EMU_LEAF_INSTALL)
		eax = cpuid_eax(1);
	if (leaf < EMU_LEAF_NR) {
		raw_spin_lock_irqsave(&emu_lock, flags);
		if (emu_rule_applies(&emu.stall[leaf], cpu)) {
			emu.stall[leaf].hits++;
			ms = emu.stall[leaf].ms;
		}
		raw_spin_unlock_irqrestore(&emu_lock, flags);
		if (ms)
			mdelay(ms);
	}

	raw_spin_lock_irqsave(&emu_lock, flags);
	status = emu_call(fn, leaf, cpu, eax, args);
	emu_record(fn, status, cpu);
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	if (ldr)
		atomic_dec(&emu_ldr_inside);
	return status;
}

/* Big-endian BER length of @len at @out; how many bytes it took. */
static unsigned int emu_ber_len(u8 *out, unsigned int len)
{
	if (len < 0x80) {
		out[0] = len;
		return 1;
	}
	if (len < 0x100) {
		out[0] = 0x81;
		out[1] = len;
		return 2;
	}
	out[0] = 0x82;
	out[1] = len >> 8;
	out[2] = len;
	return 3;
}

/* An unsigned INTEGER from @len little-endian bytes; its length. */
static unsigned int emu_ber_uint(u8 *out, const u8 *le, unsigned int len)
{
	unsigned int n = 0, i;
	bool pad;

	while (len > 1 && !le[len - 1])
		len--;
	pad = le[len - 1] & 0x80;
	out[n++] = 0x02;
	n += emu_ber_len(out + n, len + pad);
	if (pad)
		out[n++] = 0;
	for (i = 0; i < len; i++)
		out[n++] = le[len - 1 - i];
	return n;
}

/*
 * The kernel's RSA public key: RSAPublicKey ::= SEQUENCE { modulus
 * INTEGER, publicExponent INTEGER }, from the sigstruct's little-endian
 * modulus and exponent. @out has room for 512 bytes; returns the length.
 */
static unsigned int emu_rsa_key(u8 *out, const u8 *s)
{
	u8 body[EMU_RSA_BYTES + 16];
	unsigned int n, len;

	len = emu_ber_uint(body, s + TDX_SIGSTRUCT_MODULUS, EMU_RSA_BYTES);
	len += emu_ber_uint(body + len, s + TDX_SIGSTRUCT_EXPONENT, 4);
	out[0] = 0x30;
	n = 1 + emu_ber_len(out + 1, len);
	memcpy(out + n, body, len);
	return n + len;
}

/**
 * struct emu_prep_buf - prepare's scratch space
 * @sig: the sigstruct, as read through SEAMLDR_PARAMS (first, 16 bytes
 *	of SEAMLDR_PARAMS)
 * @key_digest: SHA-384 of its modulus
 * @key: its key, BER encoded
 * @signature: its signature, big-endian
 * @signed_digest: SHA-384 of its signed bytes
 * @whole_digest: SHA-384 of all of it: what the memo keeps
 */
struct emu_prep_buf {
	u8 sig[TDX_SIGSTRUCT_SIZE];
	u8 key_digest[EMU_SHA384];
	u8 key[512];
	u8 signature[EMU_RSA_BYTES];
	u8 signed_digest[EMU_SHA384];
	u8 whole_digest[EMU_SHA384];
};

/* Verify @b->sig; the verdict, or a negative errno of the machinery. */
static int emu_verify(struct emu_prep_buf *b)
{
	struct shash_desc *d = emu_prep_desc;
	unsigned int i, keylen;
	int ret;

	ret = crypto_shash_digest(d, b->sig + TDX_SIGSTRUCT_MODULUS,
				  EMU_RSA_BYTES, b->key_digest);
	if (ret)
		return ret;
	if (!emu_key_known(b->key_digest))
		return EMU_VERDICT_BAD_KEY;

	ret = crypto_shash_init(d);
	if (!ret)
		ret = crypto_shash_update(d, b->sig, TDX_SIGSTRUCT_SIGNED_HEAD);
	if (!ret)
		ret = crypto_shash_update(d, b->sig + TDX_SIGSTRUCT_SIGNED_BODY,
					  TDX_SIGSTRUCT_SIZE -
					  TDX_SIGSTRUCT_SIGNED_BODY);
	if (!ret)
		ret = crypto_shash_final(d, b->signed_digest);
	if (ret)
		return ret;
	for (i = 0; i < EMU_RSA_BYTES; i++)
		b->signature[i] = b->sig[TDX_SIGSTRUCT_SIGNATURE +
					 EMU_RSA_BYTES - 1 - i];
	keylen = emu_rsa_key(b->key, b->sig);
	/* A key the RSA code will not take verifies nothing. */
	if (crypto_sig_set_pubkey(emu_rsa, b->key, keylen))
		return EMU_VERDICT_BAD_SIG;
	ret = crypto_sig_verify(emu_rsa, b->signature, EMU_RSA_BYTES,
				b->signed_digest, EMU_SHA384);
	if (ret == -ENOMEM)
		return ret;
	return ret ? EMU_VERDICT_BAD_SIG : EMU_VERDICT_GOOD;
}

/*
 * Before the CPUs stop, in process context: the signature check that
 * SEAMLDR.INSTALL cannot make with interrupts off. A sigstruct that
 * cannot be found or does not verify is only not remembered: INSTALL
 * refuses it then, as the real loader would.
 */
static int emu_prepare(u64 params_pa)
{
	struct emu_prep_buf *b;
	unsigned long flags;
	u64 sig_pa;
	int verdict = EMU_VERDICT_NO_SIGSTRUCT;

	b = kzalloc_obj(*b, GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	mutex_lock(&emu_prep_lock);
	if (!emu_page_ok(params_pa))
		goto out;
	emu_read_page(params_pa, b->sig, TDX_PARAMS_SIGSTRUCT_PA + sizeof(sig_pa));
	sig_pa = get_unaligned_le64(b->sig + TDX_PARAMS_SIGSTRUCT_PA);
	if (!emu_page_ok(sig_pa))
		goto out;
	emu_read_page(sig_pa, b->sig, TDX_SIGSTRUCT_SIZE);
	verdict = crypto_shash_digest(emu_prep_desc, b->sig, TDX_SIGSTRUCT_SIZE,
				      b->whole_digest);
	if (!verdict)
		verdict = emu_verify(b);
out:
	mutex_unlock(&emu_prep_lock);
	if (verdict >= 0) {
		raw_spin_lock_irqsave(&emu_lock, flags);
		emu.prepares++;
		emu.verdict = verdict;
		if (verdict == EMU_VERDICT_GOOD &&
		    !emu_memo_has(b->whole_digest)) {
			memcpy(emu.memo[emu.memo_next], b->whole_digest,
			       EMU_SHA384);
			emu.memo_next = (emu.memo_next + 1) % EMU_MEMO_NR;
			if (emu.memo_nr < EMU_MEMO_NR)
				emu.memo_nr++;
		}
		raw_spin_unlock_irqrestore(&emu_lock, flags);
	}
	kfree(b);
	return verdict < 0 ? verdict : 0;
}

static const struct fwact_tdx_hw_ops emu_ops = {
	.seamcall = emu_seamcall,
	.prepare = emu_prepare,
};

/* The knobs. */

/* @ubuf as a string, surrounding white space stripped; kfree() it. */
static char *emu_knob_input(const char __user *ubuf, size_t count,
			    char **start)
{
	char *buf;

	if (count > EMU_KNOB_MAX)
		return ERR_PTR(-EINVAL);
	buf = memdup_user_nul(ubuf, count);
	if (!IS_ERR(buf))
		*start = strim(buf);
	return buf;
}

/* @s split at white space into at most @max tokens; how many, or -EINVAL. */
static int emu_tokens(char *s, char **tok, int max)
{
	int n = 0;
	char *t;

	while ((t = strsep(&s, " \t")) != NULL) {
		if (!*t)
			continue;
		if (n == max)
			return -EINVAL;
		tok[n++] = t;
	}
	return n;
}

/* @s is @n dot-separated numbers, each at most @max, into @out. */
static int emu_parse_dotted(char *s, unsigned int n, u16 max, u16 *out)
{
	unsigned int i;
	char *t;

	for (i = 0; i < n; i++) {
		t = strsep(&s, ".");
		if (!t || kstrtou16(t, 10, &out[i]) || out[i] > max)
			return -EINVAL;
	}
	return s ? -EINVAL : 0;
}

/* The numeric knobs, told apart by their files' data. */
enum emu_knob {
	EMU_KNOB_TD_BUILD,
	EMU_KNOB_DEBUG_UNLOCKED,
	EMU_KNOB_UNDO_SHUTDOWN,
	EMU_KNOB_REMAINING,
	EMU_KNOB_FEATURES0,
	EMU_KNOB_MODULE_HV,
	EMU_KNOB_RESET,
};

#define EMU_KNOB_DATA(knob)	((void *)(uintptr_t)(knob))

/* A module knob may change: a module is loaded, no session blocks it. */
static bool emu_module_settable(void)
{
	return !emu.sess_open && emu.mod.state != EMU_MOD_NONE;
}

static int emu_num_get(void *data, u64 *val)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&emu_lock, flags);
	switch ((uintptr_t)data) {
	case EMU_KNOB_TD_BUILD:
		*val = emu.td_build;
		break;
	case EMU_KNOB_DEBUG_UNLOCKED:
		*val = emu.debug_unlocked;
		break;
	case EMU_KNOB_UNDO_SHUTDOWN:
		*val = emu.undo_shutdown;
		break;
	case EMU_KNOB_REMAINING:
		*val = emu.remaining;
		break;
	case EMU_KNOB_FEATURES0:
		*val = emu.mod.features0;
		break;
	case EMU_KNOB_MODULE_HV:
		*val = emu.mod.module_hv;
		break;
	default:
		*val = 0;
		break;
	}
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	return 0;
}

static int emu_num_set(void *data, u64 val)
{
	enum emu_knob knob = (uintptr_t)data;
	unsigned long flags;
	int ret = 0;

	switch (knob) {
	case EMU_KNOB_TD_BUILD:
	case EMU_KNOB_DEBUG_UNLOCKED:
	case EMU_KNOB_UNDO_SHUTDOWN:
		if (val > 1)
			return -EINVAL;
		break;
	case EMU_KNOB_REMAINING:
		if (val > U32_MAX)
			return -EINVAL;
		break;
	case EMU_KNOB_MODULE_HV:
		if (val > U16_MAX)
			return -EINVAL;
		break;
	case EMU_KNOB_RESET:
		if (val != 1)
			return -EINVAL;
		break;
	default:
		break;
	}

	raw_spin_lock_irqsave(&emu_lock, flags);
	switch (knob) {
	case EMU_KNOB_TD_BUILD:
		emu.td_build = val;
		break;
	case EMU_KNOB_DEBUG_UNLOCKED:
		emu.debug_unlocked = val;
		break;
	case EMU_KNOB_UNDO_SHUTDOWN:
		emu.undo_shutdown = val;
		break;
	case EMU_KNOB_REMAINING:
		emu.remaining = val;
		break;
	case EMU_KNOB_FEATURES0:
		if (emu_module_settable())
			emu.mod.features0 = val;
		else
			ret = -EBUSY;
		break;
	case EMU_KNOB_MODULE_HV:
		if (emu_module_settable())
			emu.mod.module_hv = val;
		else
			ret = -EBUSY;
		break;
	case EMU_KNOB_RESET:
		emu_defaults();
		break;
	}
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(emu_num_fops, emu_num_get, emu_num_set, "%llu\n");
DEFINE_DEBUGFS_ATTRIBUTE(emu_hex_fops, emu_num_get, emu_num_set, "0x%016llx\n");

static int emu_enable_get(void *data, u64 *val)
{
	*val = READ_ONCE(emu_enabled);
	return 0;
}

/* Not under emu_lock: attaching makes SEAMCALLs, detaching waits for them. */
static int emu_enable_set(void *data, u64 val)
{
	int ret = 0;

	if (val > 1)
		return -EINVAL;
	mutex_lock(&emu_enable_lock);
	if (val && !emu_enabled) {
		ret = fwact_tdx_hw_attach(&emu_ops);
		if (!ret)
			WRITE_ONCE(emu_enabled, true);
	} else if (!val && emu_enabled) {
		fwact_tdx_hw_detach(&emu_ops);
		WRITE_ONCE(emu_enabled, false);
	}
	mutex_unlock(&emu_enable_lock);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(emu_enable_fops, emu_enable_get, emu_enable_set,
			 "%llu\n");

/* seq_file knobs: NAME_show() reads, NAME_write() writes. */
#define EMU_SEQ_FOPS(_name)						\
static int _name##_open(struct inode *inode, struct file *file)	\
{									\
	return single_open(file, _name##_show, inode->i_private);	\
}									\
static const struct file_operations _name##_fops = {			\
	.owner = THIS_MODULE,						\
	.open = _name##_open,						\
	.read = seq_read,						\
	.write = _name##_write,						\
	.llseek = seq_lseek,						\
	.release = single_release,					\
}

static int emu_version_show(struct seq_file *m, void *unused)
{
	unsigned long flags;
	struct emu_module mod;

	raw_spin_lock_irqsave(&emu_lock, flags);
	mod = emu.mod;
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	if (mod.state == EMU_MOD_NONE)
		seq_puts(m, "none\n");
	else
		seq_printf(m, "%u.%u.%02u\n", mod.major, mod.minor, mod.update);
	return 0;
}

static ssize_t emu_version_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	unsigned long flags;
	char *buf, *s;
	u16 v[3];
	int ret;

	buf = emu_knob_input(ubuf, count, &s);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = emu_parse_dotted(s, 3, U16_MAX, v);
	kfree(buf);
	if (ret)
		return ret;
	raw_spin_lock_irqsave(&emu_lock, flags);
	if (emu_module_settable()) {
		emu.mod.major = v[0];
		emu.mod.minor = v[1];
		emu.mod.update = v[2];
	} else {
		ret = -EBUSY;
	}
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	return ret ?: count;
}

EMU_SEQ_FOPS(emu_version);

static int emu_next_version_show(struct seq_file *m, void *unused)
{
	unsigned long flags;
	u16 v[3];

	raw_spin_lock_irqsave(&emu_lock, flags);
	emu_next_version(v);
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	seq_printf(m, "%u.%u.%02u\n", v[0], v[1], v[2]);
	return 0;
}

static ssize_t emu_next_version_write(struct file *file,
				      const char __user *ubuf, size_t count,
				      loff_t *ppos)
{
	unsigned long flags;
	bool set = true;
	char *buf, *s;
	u16 v[3] = {};
	int ret = 0;

	buf = emu_knob_input(ubuf, count, &s);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	if (!strcmp(s, "auto"))
		set = false;
	else
		ret = emu_parse_dotted(s, 3, U16_MAX, v);
	kfree(buf);
	if (ret)
		return ret;
	raw_spin_lock_irqsave(&emu_lock, flags);
	emu.next_set = set;
	memcpy(emu.next, v, sizeof(emu.next));
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	return count;
}

EMU_SEQ_FOPS(emu_next_version);

static int emu_svn_show(struct seq_file *m, void *unused)
{
	unsigned long flags;
	u8 major, minor;

	raw_spin_lock_irqsave(&emu_lock, flags);
	major = emu.mod.svn_major;
	minor = emu.mod.svn_minor;
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	seq_printf(m, "%u.%u\n", major, minor);
	return 0;
}

static ssize_t emu_svn_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	unsigned long flags;
	char *buf, *s;
	u16 v[2];
	int ret;

	buf = emu_knob_input(ubuf, count, &s);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = emu_parse_dotted(s, 2, U8_MAX, v);
	kfree(buf);
	if (ret)
		return ret;
	raw_spin_lock_irqsave(&emu_lock, flags);
	if (emu_module_settable()) {
		emu.mod.svn_major = v[0];
		emu.mod.svn_minor = v[1];
	} else {
		ret = -EBUSY;
	}
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	return ret ?: count;
}

EMU_SEQ_FOPS(emu_svn);

/* fail and stall share their code: stall's file data is non-NULL. */
#define EMU_RULES_STALL		EMU_KNOB_DATA(1)

static struct emu_rule *emu_rules(struct seq_file *m, struct emu_state *st)
{
	return m->private ? st->stall : st->fail;
}

static int emu_rules_show(struct seq_file *m, void *unused)
{
	struct emu_rule rules[EMU_LEAF_NR];
	bool stall = !!m->private, any = false;
	unsigned long flags;
	unsigned int i;

	raw_spin_lock_irqsave(&emu_lock, flags);
	memcpy(rules, emu_rules(m, &emu), sizeof(rules));
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	for (i = 0; i < EMU_LEAF_NR; i++) {
		const struct emu_rule *r = &rules[i];

		if (!r->on)
			continue;
		any = true;
		if (stall)
			seq_printf(m, "%s %d %u hits=%llu\n", emu_leaf_names[i],
				   r->cpu, r->ms, r->hits);
		else
			seq_printf(m, "%s %d 0x%llx %llu hits=%llu\n",
				   emu_leaf_names[i], r->cpu, r->status, r->rdx,
				   r->hits);
	}
	if (!any)
		seq_puts(m, "none\n");
	return 0;
}

/* "LEAF CPU STATUS [RDX]" (fail) or "LEAF CPU MS" (stall), or "none". */
static int emu_rule_parse(char *s, bool stall, int *leaf,
			  struct emu_rule *r)
{
	char *tok[4];
	int n, cpu;

	n = emu_tokens(s, tok, stall ? 3 : 4);
	if (n == 1 && !strcmp(tok[0], "none")) {
		*leaf = -1;
		return 0;
	}
	if (n < 3)
		return -EINVAL;
	*leaf = match_string(emu_leaf_names, EMU_LEAF_NR, tok[0]);
	if (*leaf < 0)
		return -EINVAL;
	if (kstrtoint(tok[1], 10, &cpu) || cpu < -1 || cpu >= (int)nr_cpu_ids)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->on = true;
	r->cpu = cpu;
	if (stall) {
		if (kstrtou32(tok[2], 10, &r->ms) || r->ms > EMU_STALL_MAX_MS)
			return -EINVAL;
		r->on = r->ms;
		return 0;
	}
	if (kstrtou64(tok[2], 16, &r->status))
		return -EINVAL;
	if (n == 4) {
		if (*leaf != EMU_LEAF_INSTALL || kstrtou64(tok[3], 0, &r->rdx) ||
		    r->rdx > PSEAMLDR_UNRECOVERABLE)
			return -EINVAL;
	}
	return 0;
}

static ssize_t emu_rules_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct seq_file *m = file->private_data;
	struct emu_rule rule, *rules;
	unsigned long flags;
	char *buf, *s;
	int ret, leaf;

	buf = emu_knob_input(ubuf, count, &s);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = emu_rule_parse(s, !!m->private, &leaf, &rule);
	kfree(buf);
	if (ret)
		return ret;
	raw_spin_lock_irqsave(&emu_lock, flags);
	rules = emu_rules(m, &emu);
	if (leaf < 0)
		memset(rules, 0, sizeof(emu.fail));
	else
		rules[leaf] = rule;
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	return count;
}

EMU_SEQ_FOPS(emu_rules);

static int emu_state_show(struct seq_file *m, void *unused)
{
	struct emu_state *st;
	unsigned int lp_init;
	unsigned long flags;
	bool enabled;
	u16 next[3];

	st = kzalloc_obj(*st, GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	enabled = READ_ONCE(emu_enabled);
	raw_spin_lock_irqsave(&emu_lock, flags);
	*st = emu;
	lp_init = cpumask_weight(&emu_lp_done);
	emu_next_version(next);
	raw_spin_unlock_irqrestore(&emu_lock, flags);

	seq_printf(m, "module=%s\n", emu_mod_state_names[st->mod.state]);
	seq_printf(m, "version=%u.%u.%02u\n", st->mod.major, st->mod.minor,
		   st->mod.update);
	seq_printf(m, "svn=%u.%u\n", st->mod.svn_major, st->mod.svn_minor);
	seq_printf(m, "module_hv=%u\n", st->mod.module_hv);
	seq_printf(m, "min_update_hv=%u\n", st->mod.min_update_hv);
	seq_printf(m, "features0=0x%016llx\n", st->mod.features0);
	if (st->mod.handoff)
		seq_printf(m, "handoff=%u\n", st->mod.handoff_hv);
	else
		seq_puts(m, "handoff=none\n");
	seq_printf(m, "lp_init=%u\n", lp_init);
	seq_printf(m, "seam_ready=%d\n",
		   st->mod.state != EMU_MOD_NONE && !st->sess_open);
	seq_printf(m, "seamldr=%u.%u.%02u\n", EMU_LDR_MAJOR, EMU_LDR_MINOR,
		   EMU_LDR_UPDATE);
	seq_printf(m, "remaining=%u\n", st->remaining);
	if (st->sess_open)
		seq_printf(m, "session=open %u/%u\n", st->sess_calls,
			   st->sess_target);
	else
		seq_puts(m, "session=closed\n");
	if (st->have_install)
		seq_printf(m, "last_install=0x%llx %llu\n", st->install_status,
			   st->install_rdx);
	else
		seq_puts(m, "last_install=none\n");
	seq_printf(m, "prepare=%s\n", emu_verdict_names[st->verdict]);
	seq_printf(m, "prepares=%llu\n", st->prepares);
	seq_printf(m, "next_version=%u.%u.%02u\n", next[0], next[1], next[2]);
	seq_printf(m, "td_build=%d\n", st->td_build);
	seq_printf(m, "td_build_broken=%d\n", st->td_build_broken);
	seq_printf(m, "debug_unlocked=%d\n", st->debug_unlocked);
	seq_printf(m, "undo_shutdown=%d\n", st->undo_shutdown);
	seq_printf(m, "seamldr_overlaps=%d\n", atomic_read(&emu_ldr_overlaps));
	seq_printf(m, "enabled=%d\n", enabled);
	kfree(st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(emu_state);

/**
 * struct emu_calls_snap - the record as one reader sees it
 * @n: calls in it
 * @c: the calls, oldest first
 */
struct emu_calls_snap {
	unsigned int n;
	struct emu_call c[EMU_RING_NR];
};

static int emu_calls_show(struct seq_file *m, void *unused)
{
	const struct emu_calls_snap *snap = m->private;
	unsigned int i;

	for (i = 0; i < snap->n; i++) {
		const struct emu_call *c = &snap->c[i];
		enum emu_leaf leaf = emu_leaf_of(c->fn);

		if (leaf < EMU_LEAF_NR)
			seq_printf(m, "seq=%llu cpu=%d leaf=%s status=0x%llx\n",
				   c->seq, c->cpu, emu_leaf_names[leaf],
				   c->status);
		else
			seq_printf(m, "seq=%llu cpu=%d leaf=0x%llx status=0x%llx\n",
				   c->seq, c->cpu, c->fn, c->status);
	}
	return 0;
}

/* Copied at open: one read sees one consistent record. */
static int emu_calls_open(struct inode *inode, struct file *file)
{
	struct emu_calls_snap *snap;
	unsigned long flags;
	unsigned int i;
	u64 first;
	int ret;

	snap = vmalloc(sizeof(*snap));
	if (!snap)
		return -ENOMEM;
	raw_spin_lock_irqsave(&emu_lock, flags);
	snap->n = min_t(u64, emu.ring_count, EMU_RING_NR);
	first = emu.ring_count - snap->n;
	for (i = 0; i < snap->n; i++)
		snap->c[i] = emu_ring[(first + i) % EMU_RING_NR];
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	ret = single_open_size(file, emu_calls_show, snap,
			       (size_t)(snap->n + 1) * 80);
	if (ret)
		vfree(snap);
	return ret;
}

static int emu_calls_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	vfree(m->private);
	return single_release(inode, file);
}

static ssize_t emu_calls_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&emu_lock, flags);
	emu.ring_count = 0;
	raw_spin_unlock_irqrestore(&emu_lock, flags);
	return count;
}

static const struct file_operations emu_calls_fops = {
	.owner = THIS_MODULE,
	.open = emu_calls_open,
	.read = seq_read,
	.write = emu_calls_write,
	.llseek = seq_lseek,
	.release = emu_calls_release,
};

static int __init emu_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -EINVAL;
}

/* @len bytes from the 2 * @len hex digits at @hex (<linux/hex.h> is 6.12+). */
static int __init emu_hex_digest(u8 *out, const char *hex, size_t len)
{
	size_t i;
	int hi, lo;

	if (strlen(hex) != 2 * len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		hi = emu_hex_digit(hex[2 * i]);
		lo = emu_hex_digit(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i] = hi << 4 | lo;
	}
	return 0;
}

static int __init emu_keys_parse(void)
{
	char *dup, *s, *tok;
	int ret = 0;

	dup = kstrdup(keys, GFP_KERNEL);
	if (!dup)
		return -ENOMEM;
	s = dup;
	while ((tok = strsep(&s, ",")) != NULL) {
		tok = strim(tok);
		if (!*tok && !s && !emu_nr_keys)
			break;		/* keys= empty: no key is accepted */
		if (emu_nr_keys == EMU_KEYS_MAX ||
		    emu_hex_digest(emu_keys[emu_nr_keys], tok, EMU_SHA384)) {
			ret = -EINVAL;
			break;
		}
		emu_nr_keys++;
	}
	kfree(dup);
	return ret;
}

static struct shash_desc *__init emu_desc_alloc(void)
{
	struct shash_desc *d;

	d = kzalloc(sizeof(*d) + crypto_shash_descsize(emu_sha), GFP_KERNEL);
	if (d)
		d->tfm = emu_sha;
	return d;
}

static void emu_crypto_free(void)
{
	kfree(emu_prep_desc);
	kfree(emu_desc);
	if (!IS_ERR_OR_NULL(emu_rsa))
		crypto_free_sig(emu_rsa);
	if (!IS_ERR_OR_NULL(emu_sha))
		crypto_free_shash(emu_sha);
}

static int __init emu_crypto_init(void)
{
	emu_sha = crypto_alloc_shash("sha384", 0, 0);
	if (IS_ERR(emu_sha))
		return PTR_ERR(emu_sha);
	emu_rsa = crypto_alloc_sig("pkcs1(rsa,sha384)", 0, 0);
	if (IS_ERR(emu_rsa))
		return PTR_ERR(emu_rsa);
	emu_desc = emu_desc_alloc();
	emu_prep_desc = emu_desc_alloc();
	if (!emu_desc || !emu_prep_desc)
		return -ENOMEM;
	return 0;
}

static int __init emu_init(void)
{
	int ret;

	ret = emu_keys_parse();
	if (ret) {
		pr_err("keys=: not a comma-separated list of up to %d SHA-384 digests in hex\n",
		       EMU_KEYS_MAX);
		return ret;
	}
	ret = emu_crypto_init();
	if (ret) {
		pr_err("no SHA-384 or RSA PKCS#1 v1.5 in the crypto API (%d)\n",
		       ret);
		goto err;
	}
	emu_cpuid = kcalloc(nr_cpu_ids, sizeof(*emu_cpuid), GFP_KERNEL);
	if (!emu_cpuid) {
		ret = -ENOMEM;
		goto err;
	}
	raw_spin_lock_irq(&emu_lock);
	emu_defaults();
	raw_spin_unlock_irq(&emu_lock);

	emu_dir = debugfs_create_dir("fwact_tdx_emu", NULL);
	debugfs_create_file_unsafe("enable", 0600, emu_dir, NULL,
				   &emu_enable_fops);
	debugfs_create_file_unsafe("reset", 0200, emu_dir,
				   EMU_KNOB_DATA(EMU_KNOB_RESET), &emu_num_fops);
	debugfs_create_file("state", 0400, emu_dir, NULL, &emu_state_fops);
	debugfs_create_file("calls", 0600, emu_dir, NULL, &emu_calls_fops);
	debugfs_create_file("fail", 0600, emu_dir, NULL, &emu_rules_fops);
	debugfs_create_file("stall", 0600, emu_dir, EMU_RULES_STALL,
			    &emu_rules_fops);
	debugfs_create_file_unsafe("td_build", 0600, emu_dir,
				   EMU_KNOB_DATA(EMU_KNOB_TD_BUILD), &emu_num_fops);
	debugfs_create_file_unsafe("debug_unlocked", 0600, emu_dir,
				   EMU_KNOB_DATA(EMU_KNOB_DEBUG_UNLOCKED),
				   &emu_num_fops);
	debugfs_create_file_unsafe("undo_shutdown", 0600, emu_dir,
				   EMU_KNOB_DATA(EMU_KNOB_UNDO_SHUTDOWN),
				   &emu_num_fops);
	debugfs_create_file_unsafe("remaining", 0600, emu_dir,
				   EMU_KNOB_DATA(EMU_KNOB_REMAINING), &emu_num_fops);
	debugfs_create_file("next_version", 0600, emu_dir, NULL,
			    &emu_next_version_fops);
	debugfs_create_file("version", 0600, emu_dir, NULL,
			    &emu_version_fops);
	debugfs_create_file("svn", 0600, emu_dir, NULL, &emu_svn_fops);
	debugfs_create_file_unsafe("features0", 0600, emu_dir,
				   EMU_KNOB_DATA(EMU_KNOB_FEATURES0), &emu_hex_fops);
	debugfs_create_file_unsafe("module_hv", 0600, emu_dir,
				   EMU_KNOB_DATA(EMU_KNOB_MODULE_HV), &emu_num_fops);
	return 0;

err:
	kfree(emu_cpuid);
	emu_crypto_free();
	return ret;
}
module_init(emu_init);

static void __exit emu_exit(void)
{
	debugfs_remove_recursive(emu_dir);
	mutex_lock(&emu_enable_lock);
	if (emu_enabled)
		fwact_tdx_hw_detach(&emu_ops);
	emu_enabled = false;
	mutex_unlock(&emu_enable_lock);
	kfree(emu_cpuid);
	emu_crypto_free();
}
module_exit(emu_exit);

MODULE_DESCRIPTION("fwact selftests: emulated Intel P-SEAMLDR and TDX module");
MODULE_LICENSE("GPL");
MODULE_IMPORT_NS("FWACT_TEST");
