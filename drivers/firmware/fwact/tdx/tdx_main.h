/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the fwact TDX backend, shared by its files: the SEAMCALL
 * boundary (tdx_seamcall.c), the component and its program (tdx_main.c)
 * and the kernel's ABI on /sys/devices/tdx/ (tdx_dev.c).
 */
#ifndef _FWACT_TDX_MAIN_H
#define _FWACT_TDX_MAIN_H

#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "tdx_image.h"
#include "tdx_seamcall.h"

struct device;
struct fwact_component;

/* The steps of the update program, in order. */
enum tdx_step {
	TDX_STEP_SHUTDOWN,
	TDX_STEP_INSTALL,
	TDX_STEP_SYS_INIT,
	TDX_STEP_LP_INIT,
	TDX_STEP_UPDATE,
	TDX_STEP_NR
};

/**
 * struct tdx_seamldr - what SEAMLDR.INFO said
 * @major: P-SEAMLDR major version
 * @minor: P-SEAMLDR minor version
 * @update: P-SEAMLDR update version
 * @remaining: updates the P-SEAMLDR will still take before a reboot
 * @seam_ready: a TDX module is loaded
 * @svn_minor: the loaded module's minor SVN (its SEAMEXTEND TEE_TCB_SVN)
 * @svn_major: the loaded module's major SVN
 */
struct tdx_seamldr {
	u16 major;
	u16 minor;
	u16 update;
	u32 remaining;
	bool seam_ready;
	u8 svn_minor;
	u8 svn_major;
};

/**
 * struct tdx_module - what the running TDX module says about itself
 * @major: major version
 * @minor: minor version
 * @update: update version
 * @features0: TDX_FEATURES0
 * @module_hv: the handoff version it writes at shutdown
 */
struct tdx_module {
	u16 major;
	u16 minor;
	u16 update;
	u64 features0;
	u16 module_hv;
};

/**
 * struct tdx_be - the backend: one TDX module, one component
 *
 * @lock: serializes attach and detach (tdx_main.c) and guards @comp and
 *	@dev for the sysfs files of /sys/devices/tdx/; taken before any of
 *	the core's locks
 * @comp: the component ``tdx-module``, NULL while none is registered
 * @dev: /sys/devices/tdx/
 * @info_buf: SEAMLDR_INFO buffer (256 bytes, 256-byte aligned), used
 *	under the P-SEAMLDR lock
 * @upd_lock: guards the four below (held for a write's copy, not while
 *	an image is installed)
 * @upd_buf: bytes written to /sys/devices/tdx/update so far
 * @upd_len: how many
 * @upd_size: size of the @upd_buf allocation
 * @upd_installing: the image in @upd_buf is being installed: every write
 *	gets -EBUSY and @upd_buf is not touched until it is done
 *
 * Owned by the component's ops, which the core serializes:
 * @image: the staged image, a vmalloc'd copy (its pages are what
 *	SEAMLDR_PARAMS points at), NULL if none
 * @img: @image parsed
 * @params: SEAMLDR_PARAMS for @image, one zeroed 4 KiB page
 * @params_pa: its physical address
 * @lost: a failed update shut the module down for good: nothing answers
 *	until a reboot; activations are refused
 *
 * Written by the steps' actions with the CPUs held, read in finish:
 * @fail_cpu: the CPU of the first call that failed, -1 if none; claimed
 *	with cmpxchg() by that call's CPU, which then writes the two below
 * @fail_status: RAX of that call
 * @fail_rdx: its RDX (SEAMLDR.INSTALL: recoverable or not)
 * @shut: TDH.SYS.SHUTDOWN succeeded in this run
 * @shutdown_rcx: RCX of TDH.SYS.SHUTDOWN, chosen in prepare
 *
 * Read from the firmware in process context:
 * @mod: the running module, as last read (valid unless @lost)
 * @ldr: the P-SEAMLDR, as last read
 */
struct tdx_be {
	struct mutex lock;	/* see @lock above */
	struct fwact_component *comp;
	struct device *dev;
	void *info_buf;
	struct mutex upd_lock;	/* see @upd_lock above */
	void *upd_buf;
	size_t upd_len;
	size_t upd_size;
	bool upd_installing;

	void *image;
	struct tdx_image img;
	void *params;
	u64 params_pa;
	bool lost;

	int fail_cpu;
	u64 fail_status;
	u64 fail_rdx;
	bool shut;
	u64 shutdown_rcx;

	struct tdx_module mod;
	struct tdx_seamldr ldr;
};

extern struct tdx_be fwact_tdx;

#ifdef CONFIG_FWACT_TEST_HOOKS
extern const struct fwact_tdx_hw_ops *fwact_tdx_hw;
#endif

u64 fwact_tdx_native_seamcall(u64 fn, struct fwact_tdx_args *args);
int fwact_tdx_seamldr_info(struct tdx_be *be, struct tdx_seamldr *ldr);
int fwact_tdx_module_read(struct tdx_module *mod);

/* tdx_dev.c: /sys/devices/tdx/ */
int fwact_tdx_dev_add(struct tdx_be *be);
void fwact_tdx_dev_remove_files(struct tdx_be *be);
void fwact_tdx_dev_remove(struct tdx_be *be);
extern const struct attribute_group *fwact_tdx_comp_groups[];

#endif /* _FWACT_TDX_MAIN_H */
