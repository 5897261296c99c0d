#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Selftest of fwactctl against the real fwact core and the test backend's
# "test-one" component (fwact_testmod.ko): list/show in text and JSON
# checked against sysfs, staging a good image and rejected ones, an
# activation that moves the version and prints the measurements, the
# kernel's errno carried into the message and the exit status (ENODATA,
# EINVAL, EBADMSG, EFBIG, ENOENT, EBUSY, ECANCELED), cancel, and the
# journal. Runs in the busybox guest (POSIX sh); prints TAP, exits 0 if
# every test passed, 1 if one failed, 4 if it cannot run here.

FWACTCTL=${FWACTCTL:-fwactctl}
SYS=/sys/firmware/fwact
C=test-one
KNOBS=/sys/kernel/debug/fwact_testmod/$C
FW=/lib/firmware
GOOD=fwact-testmod-v2.bin
BADCRC=fwact-testmod-badcrc.bin

skip()
{
	echo "TAP version 13"
	echo "1..0 # SKIP $1"
	exit 4
}

command -v "$FWACTCTL" >/dev/null 2>&1 || skip "no $FWACTCTL"
[ -d "$SYS/$C" ] || skip "no $SYS/$C (fwact_testmod not loaded)"
[ -w "$KNOBS/reset" ] || skip "no $KNOBS (debugfs not mounted?)"
[ -r "$FW/$GOOD" ] && [ -r "$FW/$BADCRC" ] || skip "no test images in $FW"

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# fw ARGS...: run fwactctl, stdout in $tmp/out, stderr in $tmp/err, $rc.
fw()
{
	"$FWACTCTL" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

dump()
{
	sed 's/^/out: /' "$tmp/out"
	sed 's/^/err: /' "$tmp/err"
}

# expect RC: the last fw exited RC; otherwise say so and fail.
expect()
{
	[ "$rc" = "$1" ] && return 0
	echo "exit status $rc, expected $1"
	dump
	return 1
}

# expect_err RC NAME TEXT: exit RC and stderr names errno NAME and TEXT.
expect_err()
{
	expect "$1" || return 1
	grep -q "($2)" "$tmp/err" && grep -qF "$3" "$tmp/err" && return 0
	echo "stderr lacks ($2) or '$3'"
	dump
	return 1
}

has()
{
	grep -qF -- "$1" "$tmp/out" && return 0
	echo "stdout lacks '$1'"
	dump
	return 1
}

sysattr()
{
	cat "$SYS/$C/$1"
}

knob()
{
	echo "$2" >"$KNOBS/$1"
}

# Firmware at version 1 with default knobs, nothing staged.
reset_comp()
{
	knob reset 1
	"$FWACTCTL" cancel "$C" >/dev/null 2>&1
	[ "$(sysattr current_version)" = 1 ] && [ "$(sysattr state)" != staged ]
}

test_list_text()
{
	fw list && expect 0 || return 1
	line=$(grep "^$C " "$tmp/out") || { echo "no $C line"; dump; return 1; }
	set -- $line
	[ "$2" = "$(sysattr backend)" ] && [ "$3" = "$(sysattr state)" ] &&
		[ "$4" = "$(sysattr current_version)" ] &&
		[ "$5" = "$(sysattr pending_version)" ] &&
		[ "$6" = "$(sysattr activation_capable)" ] &&
		[ "$7" = "$(sysattr activation_pending)" ] && return 0
	echo "list line '$line' does not match sysfs"
	return 1
}

test_list_json()
{
	fw --json list && expect 0 || return 1
	has "\"name\": \"$C\"" || return 1
	n=$(grep -c '"name": ' "$tmp/out")
	dirs=$(for d in "$SYS"/*/; do echo "$d"; done | grep -c .)
	[ "$n" = "$dirs" ] || { echo "$n objects for $dirs components"; return 1; }
	[ "$(head -n 1 "$tmp/out")" = "[" ] && [ "$(tail -n 1 "$tmp/out")" = "]" ] ||
		{ echo "not one array"; return 1; }
}

test_show_text()
{
	fw show "$C" && expect 0 || return 1
	for a in name backend state current_version pending_version \
		 activation_capable rendezvous_mode max_blackout_us last_error \
		 last_fw_status last_activation/count last_activation/result; do
		v=$(awk -v a="$a" '$1 == a { sub(/^[^ ]+ +/, ""); print; exit }' "$tmp/out")
		[ "$v" = "$(sysattr "$a")" ] && continue
		echo "show: $a is '$v', sysfs has '$(sysattr "$a")'"
		return 1
	done
	! grep -q '^image' "$tmp/out" || { echo "write-only image shown"; return 1; }
}

test_show_json()
{
	fw show "$C" --json && expect 0 || return 1
	cap=false
	[ "$(sysattr activation_capable)" = 1 ] && cap=true
	has "\"current_version\": \"$(sysattr current_version)\"" &&
		has "\"state\": \"$(sysattr state)\"" &&
		has "\"activation_capable\": $cap" &&
		has "\"max_blackout_us\": $(sysattr max_blackout_us)," &&
		has "\"last_error\": $(sysattr last_error)," &&
		has '"last_activation": {' &&
		has "\"count\": $(sysattr last_activation/count)"
}

test_activate_nothing_staged_is_enodata()
{
	reset_comp || return 1
	fw activate "$C"
	expect_err 61 ENODATA "fwactctl: activate $C: " || return 1
	[ ! -s "$tmp/out" ] || { echo "refused activation printed measurements"; return 1; }
}

test_stage_truncated_is_einval()
{
	head -c 16 "$FW/$GOOD" >"$tmp/trunc.bin"
	fw stage "$C" "$tmp/trunc.bin"
	expect_err 22 EINVAL "fwactctl: stage $C: " || return 1
	[ "$(sysattr state)" != staged ] || { echo "truncated image staged"; return 1; }
}

test_stage_bad_crc_is_ebadmsg()
{
	fw stage "$C" "$FW/$BADCRC"
	expect_err 74 EBADMSG "fwactctl: stage $C: " || return 1
	[ "$(sysattr state)" != staged ] || { echo "bad image staged"; return 1; }
}

test_stage_oversized_is_efbig()
{
	# One byte more than the test backend's 1 MiB limit.
	{ cat "$FW/$GOOD"; dd if=/dev/zero bs=1024 count=1024 2>/dev/null; } |
		head -c 1048577 >"$tmp/big.bin"
	fw stage "$C" "$tmp/big.bin"
	expect_err 27 EFBIG "fwactctl: stage $C: " || return 1
	[ "$(sysattr state)" != staged ] || { echo "oversized image staged"; return 1; }
}

test_missing_component_is_enoent()
{
	for cmd in show activate cancel; do
		fw "$cmd" no-such-component
		expect_err 2 ENOENT "fwactctl: $cmd no-such-component: " || return 1
	done
	fw stage no-such-component "$FW/$GOOD"
	expect_err 2 ENOENT "fwactctl: stage no-such-component: "
}

test_stage_missing_firmware_is_enoent()
{
	fw stage "$C" --firmware fwact-no-such-image.bin
	expect_err 2 ENOENT "firmware 'fwact-no-such-image.bin'"
}

test_stage_file()
{
	reset_comp || return 1
	fw stage "$C" "$FW/$GOOD" && expect 0 || return 1
	has "$C: staged $(wc -c <"$FW/$GOOD" | tr -d ' ') bytes" || return 1
	[ "$(sysattr state)" = staged ] && [ "$(sysattr pending_version)" = 2 ] ||
		{ echo "state $(sysattr state), pending $(sysattr pending_version)"; return 1; }
}

# ns as fwactctl prints it: microseconds with three decimals.
us()
{
	printf '%d.%03d us' $(($1 / 1000)) $(($1 % 1000))
}

test_activate_prints_measurements()
{
	before=$(sysattr last_activation/count)
	fw activate "$C" && expect 0 || return 1
	[ "$(sysattr current_version)" = 2 ] ||
		{ echo "version is $(sysattr current_version), not 2"; return 1; }
	[ "$(sysattr last_activation/count)" = $((before + 1)) ] ||
		{ echo "count did not move"; return 1; }
	L=$SYS/$C/last_activation
	has "$C: activated, version 1 -> 2" &&
		has "mode           $(cat "$L/mode")" &&
		has "cpus           $(cat "$L/cpus")" &&
		has "blackout       $(us "$(cat "$L/blackout_ns")")" &&
		has "arrival skew   $(us "$(cat "$L/arrival_skew_ns")")" &&
		has "irq-off max    $(us "$(cat "$L/irqoff_max_ns")")" &&
		has "irq-off mean   $(us "$(cat "$L/irqoff_mean_ns")")" &&
		has "action time    $(us "$(cat "$L/action_ns")")" &&
		has "fw auth time   $(us "$(cat "$L/fw_auth_ns")")" &&
		has "fw exec time   $(us "$(cat "$L/fw_exec_ns")")"
}

test_activate_again_is_enodata()
{
	fw activate "$C"
	expect_err 61 ENODATA "fwactctl: activate $C: No data available" || return 1
	[ ! -s "$tmp/out" ] || { echo "refused activation printed measurements"; return 1; }
}

test_journal_text()
{
	fw journal && expect 0 || return 1
	last=$(grep "component=$C " "$tmp/out" | tail -n 1)
	case "$last" in
	*" from=1 to=2 result=0 "*) return 0 ;;
	esac
	echo "last $C record: '$last'"
	return 1
}

test_journal_json()
{
	seq=$(grep "component=$C " "$SYS/journal" | tail -n 1 | sed 's/^seq=\([0-9]*\) .*/\1/')
	fw journal --json && expect 0 || return 1
	awk -v s="\"seq\": $seq," '$1 " " $2 == s { on = 1 } on { print } on && /}/ { exit }' \
		"$tmp/out" >"$tmp/rec"
	grep -qF "\"component\": \"$C\"" "$tmp/rec" && grep -qF '"to": "2"' "$tmp/rec" &&
		grep -qF '"result": 0,' "$tmp/rec" && grep -q '"blackout_ns": [0-9]' "$tmp/rec" &&
		return 0
	echo "record $seq:"
	cat "$tmp/rec"
	return 1
}

test_stage_firmware_then_cancel()
{
	reset_comp || return 1
	fw stage "$C" --firmware "$GOOD" && expect 0 || return 1
	has "$C: staged firmware '$GOOD'" || return 1
	[ "$(sysattr state)" = staged ] || { echo "state $(sysattr state)"; return 1; }
	fw cancel "$C" --json && expect 0 || return 1
	has '"state": "idle"' || return 1
	[ "$(sysattr state)" = idle ]
}

test_cancel_nothing_staged_is_enodata()
{
	fw cancel "$C"
	expect_err 61 ENODATA "fwactctl: cancel $C: "
}

test_activate_json()
{
	reset_comp || return 1
	fw stage "$C" "$FW/$GOOD" && expect 0 || return 1
	fw activate "$C" --json && expect 0 || return 1
	has "\"component\": \"$C\"" && has '"result": 0,' &&
		has "\"blackout_ns\": $(sysattr last_activation/blackout_ns)," &&
		has '"version_before": "1"' && has '"version_after": "2"'
}

test_activate_busy_then_cancelled()
{
	reset_comp || return 1
	fw stage "$C" "$FW/$GOOD" && expect 0 || return 1
	knob prepare_ms 2000
	("$FWACTCTL" activate "$C" >"$tmp/bg.out" 2>"$tmp/bg.err"; echo $? >"$tmp/bg.rc") &
	i=0
	while [ "$(sysattr state)" != activating ] && [ $i -lt 50 ]; do
		sleep 0.02
		i=$((i + 1))
	done
	fw activate "$C"
	expect_err 16 EBUSY "fwactctl: activate $C: Device or resource busy (EBUSY)" ||
		{ wait; return 1; }
	fw cancel "$C"
	expect 0 || { wait; return 1; }
	wait
	knob prepare_ms 0
	rc=$(cat "$tmp/bg.rc")
	cp "$tmp/bg.out" "$tmp/out"
	cp "$tmp/bg.err" "$tmp/err"
	expect_err 125 ECANCELED "fwactctl: activate $C: " || return 1
	has "$C: activation failed (ECANCELED), result -125" || return 1
	[ "$(sysattr current_version)" = 1 ] && [ "$(sysattr state)" = idle ] ||
		{ echo "cancelled activation changed version or state"; return 1; }
}

test_usage_errors()
{
	fw stage "$C"
	expect 64 || return 1
	fw no-such-command
	expect 64
}

TESTS="list_text list_json show_text show_json
activate_nothing_staged_is_enodata stage_truncated_is_einval
stage_bad_crc_is_ebadmsg stage_oversized_is_efbig
missing_component_is_enoent stage_missing_firmware_is_enoent stage_file
activate_prints_measurements activate_again_is_enodata journal_text
journal_json stage_firmware_then_cancel cancel_nothing_staged_is_enodata
activate_json activate_busy_then_cancelled usage_errors"

echo "TAP version 13"
echo "1..$(echo $TESTS | wc -w)"
nr=0
failed=0
for t in $TESTS; do
	nr=$((nr + 1))
	if "test_$t" >"$tmp/log" 2>&1; then
		echo "ok $nr $t"
	else
		failed=$((failed + 1))
		echo "not ok $nr $t"
		sed 's/^/# /' "$tmp/log"
	fi
done
knob reset 1
"$FWACTCTL" cancel "$C" >/dev/null 2>&1
[ "$failed" = 0 ] && exit 0
echo "# $failed of $nr failed"
exit 1
