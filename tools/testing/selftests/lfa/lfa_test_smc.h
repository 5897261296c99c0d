/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The test controls of fwact's emulated LFA agent (a TF-A runtime service
 * in tools/testing/lfa/tf-a/). Test-only: SiP service calls (SMC64, fast,
 * OEN 2) that the test module fwact_lfa_ctl issues for the selftests, to
 * shape what the agent's seven DEN0147 calls do next. Included by the
 * agent (TF-A, C99), the test module and the selftests: plain defines only.
 *
 * Every call returns x0 = 0 (LFA_TEST_OK) or LFA_TEST_EINVAL (-8) for an
 * unknown key, component or value.
 */
#ifndef LFA_TEST_SMC_H
#define LFA_TEST_SMC_H

/* SiP, SMC64, fast: 0xC2000000 | function number. */
#define LFA_TEST_FID(n)			(0xC2000F00U + (n))

/* Reset every component and counter to its boot state. */
#define LFA_TEST_RESET			LFA_TEST_FID(0)
/* x1 = key, x2 = component index (the agent's table), x3 = value. */
#define LFA_TEST_SET			LFA_TEST_FID(1)
/* x1 = key, x2 = component index; returns x0 = 0, x1 = value. */
#define LFA_TEST_GET			LFA_TEST_FID(2)
/* Raise the "new image pending" notification (the DT node's SPI). */
#define LFA_TEST_NOTIFY			LFA_TEST_FID(3)
/*
 * That SPI (GIC INTID 32 + it), edge-triggered; QEMU virt leaves SPIs 176
 * to 255 unused. The guest's DT node is compatible = "arm,lfa" with
 * interrupts = <GIC_SPI LFA_TEST_NOTIFY_SPI IRQ_TYPE_EDGE_RISING>.
 */
#define LFA_TEST_NOTIFY_SPI		200

#define LFA_TEST_OK			0
#define LFA_TEST_EINVAL			(-8)

/*
 * The agent's components, by index in its table (the sequence ids follow
 * the table order until LFA_TEST_K_SHUFFLE reorders them).
 *   0  RMM GUID   6c0762a6-12f2-4b56-92cb-ba8f633606d9: capable, the
 *      rendezvous required
 *   1  SP1 GUID   f07b2a96-1d47-4d17-9ec8-86a64e253e5c: capable, the
 *      rendezvous optional
 *   2  BL31 GUID  47d4086d-4cfe-9846-9b95-2950cbbd5a00: capable, may reset
 *      the CPU
 *   3  BL33 GUID  d6d0eea7-fcea-d54b-9782-9934f234b6e4: not capable
 *   4  unknown    0b5c6a44-0f9e-4c2b-8a1e-fa57c0de0004: capable,
 *      rendezvous required; absent until LFA_TEST_K_PRESENT sets it
 * At boot and after LFA_TEST_RESET nothing is pending; the current
 * versions are 1.0, 1.0, 2.12, 6.1 and 1.0 (major << 32 | minor).
 */
#define LFA_TEST_NR_COMPONENTS		5

/* Keys of LFA_TEST_SET and LFA_TEST_GET (per component unless noted). */
/*
 * SET: value nonzero makes it pending with pending version = value (u64,
 * major << 32 | minor); 0 clears it. GET: 1 if pending.
 */
#define LFA_TEST_K_PENDING		1
/* SET/GET: the current version (major << 32 | minor). */
#define LFA_TEST_K_VERSION		2
/* SET: PRIME answers CALL_AGAIN this many times before it completes. */
#define LFA_TEST_K_PRIME_AGAIN		3
/* SET: ACTIVATE answers CALL_AGAIN this many rounds before it activates. */
#define LFA_TEST_K_ACTIVATE_AGAIN	4
/* SET: ACTIVATE answers LFA_BUSY this many rounds before it activates. */
#define LFA_TEST_K_ACTIVATE_BUSY	5
/*
 * SET: the next PRIME, ACTIVATE or CANCEL returns this LFA error code
 * (negative, any value, also undefined ones), once; 0 for none.
 */
#define LFA_TEST_K_PRIME_ERR		6
#define LFA_TEST_K_ACTIVATE_ERR		7
#define LFA_TEST_K_CANCEL_ERR		8
/* SET/GET: the component is in the inventory (1) or not (0). */
#define LFA_TEST_K_PRESENT		9
/*
 * SET (component ignored): 1 = after the next successful activation the
 * inventory is reordered (sequence ids reversed).
 */
#define LFA_TEST_K_SHUFFLE		10
/*
 * SET (component ignored): how long the holding pen waits for every
 * running CPU, in ms (default 1000); then ACTIVATE fails with
 * LFA_ACTIVATION_FAILED on every CPU that entered, nothing activated.
 */
#define LFA_TEST_K_PEN_TIMEOUT_MS	11
/*
 * SET: 1 = this component disappears from the inventory after its next
 * successful activation.
 */
#define LFA_TEST_K_VANISH		12

/* Counters, GET only (reset by LFA_TEST_RESET). */
/* PRIME, ACTIVATE and CANCEL calls made for the component. */
#define LFA_TEST_K_PRIMES		32
#define LFA_TEST_K_ACTIVATES		33
#define LFA_TEST_K_CANCELS		34
/* Successful activations of the component. */
#define LFA_TEST_K_ACTIVATIONS		35
/*
 * Bit mask of the CPUs (by MPIDR linear index) that entered ACTIVATE in
 * the component's last ACTIVATE round.
 */
#define LFA_TEST_K_LAST_CPUS		36
/* Skip flag (x2 bit 0) of the component's last ACTIVATE call. */
#define LFA_TEST_K_LAST_SKIP		37
/*
 * Rounds of ACTIVATE of the component (a round ends when the pen opens or
 * times out, or at once for a skip-rendezvous call).
 */
#define LFA_TEST_K_ROUNDS		38

/*
 * The test module fwact_lfa_ctl (tools/testing/selftests/lfa/modules/)
 * gives the selftests these calls in /sys/kernel/debug/fwact_lfa_ctl/
 * (root, 0600; numbers decimal or 0x-prefixed hex):
 *   reset         write anything: LFA_TEST_RESET
 *   set           write "KEY COMP VALUE": LFA_TEST_SET; the write fails
 *                 with EINVAL when the agent refuses
 *   get           write "KEY COMP", then read "VALUE\n": LFA_TEST_GET
 *   notify        write anything: LFA_TEST_NOTIFY
 *   raw           write "FID X1 X2 X3 X4": one SMCCC 1.2 SMC on the
 *                 writing CPU, only LFA (0xC40002E0..E6) and the test FIDs;
 *                 read "X0 X1 X2 X3 X4 X5\n" (hex) of the last call
 *   activate_all  write "SEQ SKIP": LFA_ACTIVATE(SEQ, SKIP) on every
 *                 online CPU at once under stop_machine(); read "X0 X1\n"
 *                 (hex) of each CPU's answer, one line per CPU "cpu X0 X1"
 */

#endif /* LFA_TEST_SMC_H */
