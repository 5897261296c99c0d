#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fwact's KUnit suites in the running kernel, each case one TAP line:
#
#   fwact-kunit.ko           fwact_register       the component contract
#                            fwact_journal        the journal's ring and lines
#                            fwact_rv_word        the rendezvous failure word
#   fwact-pfru-kunit.ko      fwact_pfru_capsule   PFRU capsule validation
#                            fwact_pfru_dsm       PFRU _DSM status to errno
#   fwact-microcode-kunit.ko fwact_ucode_parse    microcode parser
#   fwact-tdx-kunit.ko       fwact_tdx_image      TDX module image parser
#   fwact-lfa-kunit.ko       fwact_lfa_logic      LFA inventory, flags, errors
#
# KUnit runs a module's suites when the module loads; the results are read
# from debugfs (CONFIG_KUNIT_DEBUGFS) before the module is unloaded again.
# A suite whose module was not built (a kernel without KUnit, or without
# the backend) is skipped; a kernel with none of them skips the script.
mods=${FWACT_MODULES:-/fwact/modules}
kunit=/sys/kernel/debug/kunit
out=/tmp/fwact-kunit.tap

echo "TAP version 13"
set -- fwact-kunit:fwact_register,fwact_journal,fwact_rv_word \
	fwact-pfru-kunit:fwact_pfru_capsule,fwact_pfru_dsm \
	fwact-microcode-kunit:fwact_ucode_parse fwact-tdx-kunit:fwact_tdx_image \
	fwact-lfa-kunit:fwact_lfa_logic
have=0
for s in "$@"; do
	[ -r "$mods/${s%%:*}.ko" ] && have=1
done
if [ "$have" = 0 ]; then
	echo "1..0 # SKIP no KUnit suite built: the kernel has no KUnit"
	exit 4
fi
grep -q " /sys/kernel/debug " /proc/mounts ||
	mount -t debugfs debugfs /sys/kernel/debug

: > "$out"

# One suite's results, read from debugfs while its module is loaded.
suite_report()
{
	local suite=$1 res=$kunit/$1/results

	if [ ! -r "$res" ]; then
		echo "not ok - $suite: no $res (CONFIG_KUNIT_DEBUGFS off?)" >> "$out"
		return
	fi
	# Indented result lines are the cases, the unindented one the suite.
	sed -n -E "s/^[[:space:]]+((not )?ok) [0-9]+ /\1 - $suite./p" "$res" >> "$out"
	if grep -q -E "^ok [0-9]+ $suite\$" "$res"; then
		echo "ok - $suite: the suite as a whole" >> "$out"
	else
		echo "not ok - $suite: the suite as a whole" >> "$out"
		# What KUnit said (each failed expectation, file and line).
		grep -E '^[[:space:]]*# ' "$res" | head -n 40 | sed 's/^[[:space:]]*/# /'
	fi
}

for s in "$@"; do
	ko=$mods/${s%%:*}.ko
	mod=$(echo "${s%%:*}" | tr - _)
	suites=$(echo "${s#*:}" | tr , ' ')
	if [ ! -r "$ko" ]; then
		for suite in $suites; do
			echo "ok - $suite # SKIP $ko not built" >> "$out"
		done
		continue
	fi
	rmmod "$mod" 2> /dev/null
	if ! insmod "$ko"; then
		for suite in $suites; do
			echo "not ok - $suite: insmod $ko" >> "$out"
		done
		continue
	fi
	for suite in $suites; do
		suite_report "$suite"
	done
	rmmod "$mod"
done
echo "1..$(wc -l < "$out")"
awk '{ sub(/ - /, " " NR " "); print }' "$out"
! grep -q '^not ok' "$out"
