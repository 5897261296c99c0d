#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Images given as bytes pass the kernel's firmware-load security hooks:
# with an IMA policy that appraises firmware (func=FIRMWARE_CHECK, enforced)
# the bytes written to a component's image file are refused when staged,
# with EACCES and nothing staged, while the same image stages without the
# policy.
#
# The policy can be loaded only once and never removed, and it would refuse
# every later firmware load of the guest: the test runs only in a guest
# booted for it, with "fwact_lsm_test" on the kernel command line
# (make test does that), and skips anywhere else.

comp=test-one
sys=/sys/firmware/fwact/$comp
knob=/sys/kernel/debug/fwact_testmod/$comp
img=/lib/firmware/fwact-testmod-v2.bin
policy=/sys/kernel/security/ima/policy
n=0
failed=0

skip_all()
{
	echo "1..0 # SKIP $*"
	exit 4
}

check()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=1
	fi
}

# Write $2 to $1; print the error text of a failed write, nothing on success.
write_err()
{
	sh -c 'echo "$2" > "$1"' sh "$1" "$2" 2>&1 | sed 's/.*: //'
}

echo "TAP version 13"
grep -qw fwact_lsm_test /proc/cmdline ||
	skip_all "needs a guest booted with fwact_lsm_test (the IMA policy cannot be removed)"
[ -d "$sys" ] && [ -d "$knob" ] || skip_all "fwact_testmod not loaded"
[ -r "$img" ] || skip_all "$img missing"
grep -qs securityfs /proc/mounts ||
	mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
[ -w "$policy" ] || skip_all "no IMA policy file (kernel without IMA appraisal)"
echo "1..4"

echo 1 > "$knob/reset"
echo 1 > "$knob/version"

# Without the policy the image stages.
cat "$img" > "$sys/image" && echo 1 > "$sys/stage"
check $? "image_stages_without_a_policy"
echo 1 > "$sys/cancel"

echo "appraise func=FIRMWARE_CHECK" > "$policy"
check $? "firmware_appraisal_policy_loaded"

# With it, the bytes are refused by the hook and nothing is staged.
cat "$img" > "$sys/image"
err=$(write_err "$sys/stage" 1)
case "$err" in
*"ermission denied"*) check 0 "image_refused_with_eacces" ;;
*) echo "# stage: '${err:-succeeded}'"; check 1 "image_refused_with_eacces" ;;
esac
[ "$(cat "$sys/state")" = idle ] &&
	[ "$(cat "$sys/activation_pending")" = 0 ] &&
	[ "$(cat "$sys/current_version")" = 1 ]
check $? "nothing_staged_after_the_refusal"

exit $failed
