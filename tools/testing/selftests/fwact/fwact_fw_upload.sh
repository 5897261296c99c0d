#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of fwact components under the kernel's firmware upload
# interface, /sys/class/firmware/<component>/ (CONFIG_FW_UPLOAD), driven as
# tools/testing/selftests/firmware/fw_upload.sh drives test_firmware: echo
# 1 > loading; cat image > data; echo 0 > loading; wait for status idle;
# read error and remaining_size. Uses the test backend (fwact_testmod.ko):
# test-one stages only, test-upload-activate (FWACT_DESC_UPLOAD_ACTIVATE)
# stages and activates. Runs in the busybox guest (POSIX sh); prints TAP,
# exits 0 if every test passed, 1 if one failed, 4 if it cannot run here.
# On a kernel without CONFIG_FW_UPLOAD every case is skipped.

SYS=/sys/firmware/fwact
CLASS=/sys/class/firmware
DBG=/sys/kernel/debug/fwact_testmod
C=test-one
A=test-upload-activate
FW=/lib/firmware
GOOD=$FW/fwact-testmod-v2.bin
BADCRC=$FW/fwact-testmod-badcrc.bin
# Where init.sh loads the test modules from.
TESTMOD=${TESTMOD:-/fwact/modules/fwact_testmod.ko}
# FWACT_TESTMOD_MAX_IMAGE is 1 MiB.
MAX_IMAGE=1048576

TESTS="test_valid_image_is_staged
test_corrupt_image_leaves_component_unchanged
test_oversized_image_is_invalid_size
test_cancel_during_upload_leaves_state
test_upload_while_busy_is_refused
test_upload_activate_flag_activates
test_directory_goes_with_backend_module"

skip()
{
	echo "TAP version 13"
	echo "1..0 # SKIP $1"
	exit 4
}

[ -d "$SYS/$C" ] || skip "no $SYS/$C (fwact_testmod not loaded)"
[ -w "$DBG/$C/reset" ] || skip "no $DBG/$C (debugfs not mounted?)"
[ -r "$GOOD" ] && [ -r "$BADCRC" ] || skip "no test images in $FW"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

knob()
{
	echo "$3" > "$DBG/$1/$2"
}

attr()
{
	cat "$SYS/$1/$2"
}

# reset COMP: knobs to their defaults (running version 1), nothing staged.
reset_comp()
{
	knob "$1" reset 1
	if [ "$(attr "$1" state)" = staged ]; then
		echo 1 > "$SYS/$1/cancel" || return 1
	fi
	[ "$(attr "$1" pending_version)" = N/A ] && return 0
	echo "$1: still pending after reset: $(attr "$1" pending_version)"
	return 1
}

# upload COMP FILE: the upload sequence of fw_upload.sh's upload_fw().
upload()
{
	echo 1 > "$CLASS/$1/loading" || return 1
	cat "$2" > "$CLASS/$1/data" || return 1
	echo 0 > "$CLASS/$1/loading"
}

# await_status COMP STATUS: within 10 s.
await_status()
{
	i=0
	while [ $i -lt 200 ]; do
		status=$(cat "$CLASS/$1/status")
		[ "$status" = "$2" ] && return 0
		sleep 0.05
		i=$((i + 1))
	done
	echo "$1: status '$status', expected '$2'"
	return 1
}

# expect COMP ERROR REMAINING: once idle, error and remaining_size are these.
expect()
{
	await_status "$1" idle || return 1
	error=$(cat "$CLASS/$1/error")
	remaining=$(cat "$CLASS/$1/remaining_size")
	[ "$error" = "$2" ] && [ "$remaining" = "$3" ] && return 0
	echo "$1: error '$error' remaining_size $remaining, expected '$2' $3"
	return 1
}

# same COMP NAME VALUE: the component attribute NAME is VALUE.
same()
{
	v=$(attr "$1" "$2")
	[ "$v" = "$3" ] && return 0
	echo "$1: $2 is '$v', expected '$3'"
	return 1
}

test_valid_image_is_staged()
{
	reset_comp $C || return 1
	upload $C "$GOOD" || return 1
	expect $C "" 0 || return 1
	same $C state staged && same $C pending_version 2 &&
		same $C current_version 1 && same $C last_error 0 || return 1
	echo 1 > "$SYS/$C/cancel"
}

test_corrupt_image_leaves_component_unchanged()
{
	reset_comp $C || return 1
	upload $C "$BADCRC" || return 1
	expect $C "programming:firmware-invalid" 0 || return 1
	same $C state idle && same $C pending_version N/A &&
		same $C current_version 1 && same $C last_error -74
}

test_oversized_image_is_invalid_size()
{
	reset_comp $C || return 1
	dd if=/dev/zero of="$tmp/big" bs=1024 count=$((MAX_IMAGE / 1024 + 1)) \
		2>/dev/null || return 1
	upload $C "$tmp/big" || return 1
	expect $C "preparing:invalid-file-size" $((MAX_IMAGE + 1024)) || return 1
	same $C state idle && same $C pending_version N/A
}

test_cancel_during_upload_leaves_state()
{
	reset_comp $C || return 1
	knob $C stage_ms 1500
	upload $C "$GOOD" || return 1
	await_status $C programming || return 1
	echo 1 > "$CLASS/$C/cancel" || return 1
	expect $C "programming:user-abort" 0 || return 1
	knob $C stage_ms 0
	same $C state idle && same $C pending_version N/A &&
		same $C current_version 1
}

test_upload_while_busy_is_refused()
{
	reset_comp $C || return 1
	knob $C stage_ms 1500
	cat "$GOOD" > "$SYS/$C/image" || return 1
	echo 1 > "$SYS/$C/stage" &
	bg=$!
	sleep 0.3
	upload $C "$GOOD" || { wait $bg; return 1; }
	expect $C "preparing:device-busy" "$(wc -c < "$GOOD")" ||
		{ wait $bg; return 1; }
	wait $bg || { echo "stage through $SYS/$C/stage failed"; return 1; }
	knob $C stage_ms 0
	# The stage that held the component is the one that took effect.
	same $C state staged && same $C pending_version 2 || return 1
	echo 1 > "$SYS/$C/cancel"
}

test_upload_activate_flag_activates()
{
	reset_comp $A || return 1
	upload $A "$GOOD" || return 1
	expect $A "" 0 || return 1
	same $A state activated && same $A current_version 2 &&
		same $A pending_version N/A && same $A last_activation/result 0
}

test_directory_goes_with_backend_module()
{
	[ -d "$CLASS/$C" ] && [ -d "$CLASS/$A" ] || return 1
	rmmod fwact_testmod || return 1
	gone=0
	[ -e "$CLASS/$C" ] || [ -e "$CLASS/$A" ] || gone=1
	insmod "$TESTMOD" || { echo "cannot reload $TESTMOD"; return 1; }
	[ "$gone" = 1 ] || { echo "$CLASS/$C still there after rmmod"; return 1; }
	[ -d "$CLASS/$C" ]
}

echo "TAP version 13"
echo "1..$(echo $TESTS | wc -w)"
nr=0
failed=0
for t in $TESTS; do
	nr=$((nr + 1))
	if [ ! -d "$CLASS/$C" ]; then
		echo "ok $nr $t # SKIP kernel has no CONFIG_FW_UPLOAD"
		continue
	fi
	if $t > "$tmp/log" 2>&1; then
		echo "ok $nr $t"
	else
		echo "not ok $nr $t"
		sed 's/^/# /' "$tmp/log"
		failed=1
	fi
done
[ -d "$DBG/$C" ] && knob $C reset 1
exit $failed
