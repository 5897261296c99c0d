/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internals of the fwact LFA backend, shared by its files: the firmware
 * calls (lfa_smc.c), the images and their fwact components (lfa_main.c),
 * /sys/firmware/lfa/ (lfa_sysfs.c), the platform notification
 * (lfa_notify.c) and, in test builds, the fault-injection knobs
 * (lfa_test.c). The locking rules are stated once, with &struct lfa_be.
 */
#ifndef _FWACT_LFA_H
#define _FWACT_LFA_H

#include <linux/arm-smccc.h>
#include <linux/atomic.h>
#include <linux/fwact.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/uuid.h>
#include <linux/workqueue.h>

#include "lfa_logic.h"

struct attribute_group;

/* Longest inventory taken; an agent reporting more is not believed. */
#define LFA_MAX_IMAGES			128

/* PRIME: CALL_AGAIN answered every 10 ms, for up to 30 s. */
#define LFA_PRIME_DELAY_MS		10
#define LFA_PRIME_BUDGET_MS		30000
/* ACTIVATE: CALL_AGAIN or BUSY, a new rendezvous every 10 ms, up to 10 s. */
#define LFA_ACTIVATE_DELAY_MS		10
#define LFA_ACTIVATE_BUDGET_MS		10000

/* &lfa_image.act_flags, set by the ACTIVATE actions. */
#define LFA_ACT_AGAIN			0
#define LFA_ACT_BUSY			1

/**
 * struct lfa_image - one image of the agent's inventory
 * @kobj: /sys/firmware/lfa/<GUID>/; its release frees the image
 * @node: in &lfa_be.images
 * @guid: the image's identity
 * @guid_str: @guid as text, the name of both sysfs directories
 * @name: the human name, or @guid_str for a GUID the table does not know
 * @comp: its fwact component; NULL until the work item registered it
 * @seq: under &lfa_be.seq_lock: its sequence id now, -1 once it left the
 *	inventory (the work item then unregisters it)
 * @inv: under &lfa_be.lock: the entry as the last inventory read had it
 * @changed: under &lfa_be.lock: @inv changed since the last uevent
 * @in_sysfs: /sys/firmware/lfa/<GUID>/ was added
 * @auto_activate: the admin's ``auto_activate``
 * @auto_gen: the notification pass that last tried to activate it (work
 *	item only)
 * @act_seq: the sequence id ACTIVATE names, fixed from prepare to finish
 * @act_budget_ms: how long ACTIVATE rounds may go on (LFA_ACTIVATE_BUDGET_MS)
 * @act_deadline: jiffies: no new ACTIVATE round after it
 * @act_x0: the first failing ACTIVATE status of the round, or 0
 * @act_flags: LFA_ACT_* of the round
 * @act_rounds: ACTIVATE rounds of the activation
 */
struct lfa_image {
	struct kobject kobj;
	struct list_head node;
	uuid_t guid;
	char guid_str[UUID_STRING_LEN + 1];
	const char *name;
	struct fwact_component *comp;
	int seq;
	struct lfa_inv inv;
	bool changed;
	bool in_sysfs;
	bool auto_activate;
	unsigned int auto_gen;
	u32 act_seq;
	unsigned int act_budget_ms;
	unsigned long act_deadline;
	atomic64_t act_x0;
	unsigned long act_flags;
	unsigned int act_rounds;
};

/**
 * struct lfa_be - the backend
 * @seq_lock: the sequence ids. Read: every call that names one (PRIME,
 *	CANCEL, GET_INVENTORY of an image). Write: an activation, from
 *	the end of prepare (PRIME done) to finish, which reads the inventory
 *	again: a successful ACTIVATE may reshuffle the ids. Also write: every
 *	inventory read that updates @images. sysfs readers only try it.
 * @lock: (spinlock, innermost) &lfa_image.inv and &lfa_image.changed,
 *	what readers copy without waiting
 * @images: every &lfa_image; the list changes under @seq_lock held for
 *	write, and entries are freed only by @rescan_work (and module exit,
 *	once @going stops that work)
 * @wq: ordered: @rescan_work and @notify_work never run at once, so the
 *	only place that registers and unregisters components is one thread
 * @rescan_work: register the images an inventory read found, unregister
 *	the ones it lost, send uevents for the ones that changed
 * @notify_work: a platform notification: the same, then the
 *	``auto_activate`` images, one after another
 * @kset: /sys/firmware/lfa/
 * @auto_gen: counts notification passes
 * @major: LFA_VERSION major
 * @minor: LFA_VERSION minor
 * @going: module exit has begun: no work is queued any more and the
 *	work item registers nothing (set under @seq_lock held for write)
 */
struct lfa_be {
	struct rw_semaphore seq_lock;
	spinlock_t lock;	/* see @lock above */
	struct list_head images;
	struct workqueue_struct *wq;
	struct work_struct rescan_work;
	struct work_struct notify_work;
	struct kset *kset;
	unsigned int auto_gen;
	unsigned int major;
	unsigned int minor;
	bool going;
};

extern struct lfa_be lfa_be;
extern const struct attribute_group *lfa_comp_groups[];

/* lfa_smc.c */
int lfa_conduit_init(void);
void lfa_smc(const struct arm_smccc_1_2_regs *args,
	     struct arm_smccc_1_2_regs *res);
u64 lfa_call(u32 fid, u64 x1, u64 *x1_out);
int lfa_get_inventory(u32 seq, struct lfa_inv *inv);

/* lfa_main.c */
void lfa_image_info(struct lfa_image *img, struct lfa_inv *inv);
bool lfa_image_query(struct lfa_image *img, struct lfa_inv *inv);
void lfa_rescan_sync(void);
void lfa_notify(void);

/* lfa_sysfs.c */
extern const struct kobj_type lfa_image_ktype;
int lfa_sysfs_init(void);
void lfa_sysfs_exit(void);

/* lfa_notify.c */
int lfa_notify_init(void);
void lfa_notify_exit(void);

/* lfa_test.c: fault injection, test builds only */
#ifdef CONFIG_FWACT_TEST_HOOKS
bool lfa_test_skip(unsigned int cpu, bool held);
unsigned int lfa_prime_budget_ms(void);
unsigned int lfa_activate_budget_ms(void);
void lfa_test_init(void);
void lfa_test_exit(void);
#else
static inline bool lfa_test_skip(unsigned int cpu, bool held)
{
	return false;
}

static inline unsigned int lfa_prime_budget_ms(void)
{
	return LFA_PRIME_BUDGET_MS;
}

static inline unsigned int lfa_activate_budget_ms(void)
{
	return LFA_ACTIVATE_BUDGET_MS;
}

static inline void lfa_test_init(void)
{
}

static inline void lfa_test_exit(void)
{
}
#endif

#endif /* _FWACT_LFA_H */
