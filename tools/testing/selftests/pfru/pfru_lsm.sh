#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The firmware-load LSM hooks decide about capsules written to the PFRU
# update device: with a policy that denies firmware loaded from memory, a
# write() to /dev/pfru/update or /dev/acpi_pfr_update0 fails with EACCES,
# logs one line and leaves the capsule loaded before in place.
#
# The policy is IMA's: a rule "appraise func=FIRMWARE_CHECK" makes IMA
# refuse firmware that comes with no file (security_kernel_post_load_data()
# of LOADING_FIRMWARE, "Prevent firmware loading_store."). Its fsmagic
# matches no file system, so firmware files are still read. A kernel
# without CONFIG_IMA_WRITE_POLICY takes one policy per boot and it cannot
# be undone: this test must run last in a boot (it is the one program of
# pfru's ksft.last, which the guest runs after every directory's
# ksft.list, with FWACT_LAST_IN_BOOT=1), and it skips anywhere else (the
# kernel's runner, run_tests: a policy would refuse every later test's
# images), when the policy was already written or the kernel has no IMA.
# A boot for it ("fwact_lsm_test" on the command line) runs it as well.
dir=$(dirname "$0")
mkcap=$dir/pfru_mkcap
pfrut=$dir/pfrut
sec=/sys/kernel/security
pol=$sec/ima/policy
code=/sys/firmware/fwact/pfru-code
. "$dir/pfru_tap.sh"

# One write() of a capsule file to a node; prints dd's error, if any.
capsule_write()
{
	dd if="$1" of="$2" bs=8192 2>&1 >/dev/null | grep -i error
}

echo "TAP version 13"
[ "${FWACT_LAST_IN_BOOT:-0}" = 1 ] || grep -qw fwact_lsm_test /proc/cmdline ||
	skip "its IMA policy would stay for the rest of the boot: only last (FWACT_LAST_IN_BOOT=1) or in a boot for it"
[ -c /dev/pfru/update ] || skip "no /dev/pfru/update"
[ -x "$mkcap" ] && [ -x "$pfrut" ] || skip "no pfru_mkcap or pfrut"
grep -q securityfs /proc/filesystems || skip "kernel without securityfs (no LSM)"
grep -q " $sec " /proc/mounts || mount -t securityfs securityfs "$sec"
[ -e "$pol" ] || skip "no $pol: kernel without IMA, or its policy was already written in this boot"
echo "1..7"

cur=$(cat $code/current_version)
"$mkcap" code "$cur" > /tmp/pfru-lsm-good.cap
"$mkcap" code $((cur + 1)) > /tmp/pfru-lsm-new.cap
err=$(capsule_write /tmp/pfru-lsm-good.cap /dev/pfru/update)
[ -z "$err" ]
ok $? "a capsule is accepted before the policy ($err)"

echo "appraise func=FIRMWARE_CHECK fsmagic=0x46574143" > "$pol"
ok $? "IMA policy written"

dmesg -c > /dev/null
err=$(capsule_write /tmp/pfru-lsm-new.cap /dev/pfru/update)
echo "$err" | grep -q "Permission denied"
ok $? "/dev/pfru/update: write() fails with EACCES ($err)"
err=$(capsule_write /tmp/pfru-lsm-new.cap /dev/acpi_pfr_update0)
echo "$err" | grep -q "Permission denied"
ok $? "/dev/acpi_pfr_update0: write() fails with EACCES ($err)"

log=$(dmesg)
echo "$log"
[ "$(echo "$log" | grep -c 'refused by the security policy: -13')" = 2 ] &&
	echo "$log" | grep -q "Prevent firmware loading_store"
ok $? "one log line per refused write, and IMA's reason"

# Nothing was staged or loaded: STAGE stages the capsule loaded before.
"$pfrut" -s > /dev/null 2>&1
[ "$(cat $code/pending_version)" = "$cur" ]
ok $? "the capsule loaded before is still the loaded one ($(cat $code/pending_version), want $cur)"
echo 1 > $code/cancel
[ "$(cat $code/current_version)" = "$cur" ]
ok $? "the running version is unchanged"

rm -f /tmp/pfru-lsm-good.cap /tmp/pfru-lsm-new.cap
exit $fail
