#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Compatibility check: the kernel's own pfrut tool (built from the Linux
# source against our include/uapi/linux/pfrut.h) drives /dev/pfru/update
# and /dev/pfru/telemetry through the names it knows. Skips (exit 4) when
# there is no PFRU device or pfrut was not built.
dir=$(dirname "$0")
pfrut=$dir/pfrut
mkcap=$dir/pfru_mkcap
n=0
fail=0

ok()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		fail=1
	fi
}

echo "TAP version 13"
if [ ! -c /dev/pfru/update ] || [ ! -x "$pfrut" ]; then
	echo "1..0 # SKIP no /dev/pfru/update or no pfrut"
	exit 4
fi
echo "1..6"
# pfrut opens the mainline node names.
ln -sf /dev/pfru/update /dev/acpi_pfr_update0
ln -sf /dev/pfru/telemetry /dev/acpi_pfr_telemetry0

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

rm -f /dev/acpi_pfr_update0 /dev/acpi_pfr_telemetry0 /tmp/pfrut-compat.cap
exit $fail
