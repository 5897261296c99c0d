#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Demo part: a PFRU runtime update against the emulated firmware of
# tools/testing/selftests/pfru/acpi/pfru-emu.asl. First a code injection
# capsule is loaded, staged and activated through /dev/pfru/update with the
# kernel's own pfrut tool (the mainline ABI); then a driver update capsule
# goes through /sys/firmware/fwact/pfru-driver/. Both show the versions the
# firmware reports before and after and the authentication and execution
# times it measured, then the firmware's telemetry log and the journal.

tests=/fwact/tests/pfru
pfrut=$tests/pfrut
mkcap=$tests/pfru_mkcap
code=/sys/firmware/fwact/pfru-code
drv=/sys/firmware/fwact/pfru-driver

. "$(dirname "$0")/../demo-lib.sh"

demo_cap()
{
	"$pfrut" -q | grep -E '^(fw_version|code_rt_version|drv_rt_version|drv_svn)' |
		sed 's/^/    /'
}

case "$(uname -m)" in
x86_64) ;;
*) echo "demo: PFRU is x86 only; nothing to show on $(uname -m)"; exit 0 ;;
esac
[ -c /dev/pfru/update ] || demo_fail "no /dev/pfru/update: is fwact-pfru loaded and the SSDT present?"
[ -x "$pfrut" ] && [ -x "$mkcap" ] || demo_fail "no $pfrut or $mkcap"
# pfrut knows the mainline node names only.
ln -sf /dev/pfru/update /dev/acpi_pfr_update0
ln -sf /dev/pfru/telemetry /dev/acpi_pfr_telemetry0

echo "== PFRU firmware capability before (pfrut -q)"
demo_cap
cur=$(cat "$code/current_version")
want=$((cur + 1))
"$mkcap" code "$want" > /tmp/code.cap || demo_fail "pfru_mkcap failed"

echo "== /dev/pfru/update: load and stage a code injection capsule, runtime version $want (pfrut -l code.cap -s)"
"$pfrut" -l /tmp/code.cap -s | sed 's/^/    /'
demo_show "$code" state pending_version activation_pending rendezvous_mode
[ "$(cat "$code/state")" = staged ] || demo_fail "pfru-code is not staged"

echo "== /dev/pfru/update: activate (pfrut -a)"
"$pfrut" -a | sed 's/^/    /'
demo_show "$code" state current_version last_error last_fw_status \
	last_activation/result last_activation/mode \
	last_activation/blackout_ns last_activation/fw_auth_ns \
	last_activation/fw_exec_ns last_activation/version_before \
	last_activation/version_after
[ "$(cat "$code/current_version")" = "$want" ] ||
	demo_fail "pfru-code runs $(cat "$code/current_version"), not $want"

dcur=$(cat "$drv/current_version")
dwant=$((dcur + 1))
svn=$("$pfrut" -q | sed -n 's/^drv_svn:\([0-9]*\)$/\1/p')
"$mkcap" driver "$dwant" "$((svn + 1))" 3 > /tmp/driver.cap || demo_fail "pfru_mkcap failed"
echo "== sysfs: upload a driver update capsule (runtime $dwant, SVN $((svn + 1)), FMP image header v3) to $drv/image, stage, activate"
cat /tmp/driver.cap > "$drv/image" || demo_fail "writing the image failed"
echo 1 > "$drv/stage" || demo_fail "staging failed: last_error=$(cat "$drv/last_error")"
demo_show "$drv" state pending_version
echo 1 > "$drv/activate" || demo_fail "activation failed: last_error=$(cat "$drv/last_error")"
demo_show "$drv" state current_version last_fw_status \
	last_activation/result last_activation/blackout_ns \
	last_activation/fw_auth_ns last_activation/fw_exec_ns \
	last_activation/version_before last_activation/version_after
[ "$(cat "$drv/current_version")" = "$dwant" ] ||
	demo_fail "pfru-driver runs $(cat "$drv/current_version"), not $dwant"

echo "== PFRU firmware capability after (pfrut -q)"
demo_cap

echo "== a capsule with an older runtime version is refused before it reaches the firmware"
"$mkcap" code "$cur" > /tmp/old.cap
"$pfrut" -l /tmp/old.cap 2>&1 | sed 's/^/    /'
dmesg | grep 'capsule rejected' | tail -n 1 | sed 's/^/    /'

echo "== firmware execution log (cat /dev/pfru/telemetry)"
sed 's/ *$//; s/^/    /' /dev/pfru/telemetry
echo "== firmware history log (pfrut -T 1 -R)"
"$pfrut" -T 1 -R | sed 's/ *$//; /^$/d; s/^/    /'
"$pfrut" -T 0 > /dev/null

echo "== journal (PFRU lines)"
grep 'backend=pfru' /sys/firmware/fwact/journal | sed 's/^/    /'
rm -f /dev/acpi_pfr_update0 /dev/acpi_pfr_telemetry0 /tmp/code.cap /tmp/driver.cap /tmp/old.cap
echo "== pfru-code runs $want, pfru-driver runs $dwant"
