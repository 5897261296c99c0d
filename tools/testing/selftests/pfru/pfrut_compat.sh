#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Compatibility check: the kernel's own pfrut tool (built from the Linux
# source against our include/uapi/linux/pfrut.h) drives the fwact PFRU
# devices through the nodes it opens, /dev/acpi_pfr_update0 and
# /dev/acpi_pfr_telemetry0, which fwact-pfru creates itself: no symlink is
# made here. Skips (exit 4) when there is no PFRU device or pfrut was not
# built.
dir=$(dirname "$0")
pfrut=$dir/pfrut
mkcap=$dir/pfru_mkcap
. "$dir/pfru_tap.sh"

echo "TAP version 13"
if [ ! -c /dev/pfru/update ] || [ ! -x "$pfrut" ]; then
	echo "1..0 # SKIP no /dev/pfru/update or no pfrut"
	exit 4
fi
echo "1..7"
# pfrut opens the mainline node names: fwact's own character devices.
[ -c /dev/acpi_pfr_update0 ] && [ ! -L /dev/acpi_pfr_update0 ] &&
	[ -c /dev/acpi_pfr_telemetry0 ] && [ ! -L /dev/acpi_pfr_telemetry0 ] &&
	[ -e /sys/bus/platform/drivers/fwact-pfru-update/INTC1080:00/misc/acpi_pfr_update0 ] &&
	[ -e /sys/bus/platform/drivers/fwact-pfru-telemetry/INTC1081:00/misc/acpi_pfr_telemetry0 ]
ok $? "/dev/acpi_pfr_update0 and /dev/acpi_pfr_telemetry0 are fwact's nodes"

out=$("$pfrut" -q)
ok $? "pfrut -q"
cur=$(echo "$out" | sed -n 's/^code_rt_version:\([0-9]*\)$/\1/p')
echo "$out" | grep -q '^code injection image type:794bf8b2-6e7b-454e-885f-3fb9bb185402$'
ok $? "pfrut -q prints the code injection GUID"

"$mkcap" code $((cur + 1)) > /tmp/pfrut-compat.cap
out=$("$pfrut" -l /tmp/pfrut-compat.cap -u 2>&1)
echo "$out" | grep -q "Update finished, return 0"
ok $? "pfrut -l capsule -u (stage and activate)"

new=$("$pfrut" -q | sed -n 's/^code_rt_version:\([0-9]*\)$/\1/p')
[ "$new" = $((cur + 1)) ]
ok $? "code_rt_version $cur -> $new"

out=$("$pfrut" -G)
echo "$out" | grep -q '^max_data_size:4096$'
ok $? "pfrut -G"

"$pfrut" -R | grep -q "activate ok code $cur -> $((cur + 1))"
ok $? "pfrut -R shows the activation in the log"

rm -f /tmp/pfrut-compat.cap
exit $fail
