#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Demo part: an Arm Live Firmware Activation of the TF-RMM image of
# fwact's emulated LFA agent, a runtime service in the guest's real EL3
# firmware (TF-A, tools/testing/lfa/tf-a/). On a server the new image is
# put in place out of band; here the agent's test control (fwact_lfa_ctl)
# makes version 1.1 pending. The activation goes through the upstream
# driver's ABI, /sys/firmware/lfa/<GUID>/activate: PRIME, then ACTIVATE on
# every CPU in one rendezvous. Then the fwact component of the same image
# shows the measurements, and the agent says how many CPUs entered.

guid=6c0762a6-12f2-4b56-92cb-ba8f633606d9
lfa=/sys/firmware/lfa/$guid
comp=/sys/firmware/fwact/$guid
ctl=/sys/kernel/debug/fwact_lfa_ctl
want=1.1

. "$(dirname "$0")/../demo-lib.sh"

# LFA_TEST_GET of key $1 for TF-RMM (index 0 in the agent's table).
agent_get()
{
	echo "$1 0" > "$ctl/get" && cat "$ctl/get"
}

case "$(uname -m)" in
aarch64) ;;
*) echo "demo: Arm LFA is arm64 only; nothing to show on $(uname -m)"; exit 0 ;;
esac
if [ ! -d /sys/firmware/lfa ]; then
	echo "demo: no LFA agent (QEMU's own PSCI, not TF-A): make run-arm64 boots on TF-A"
	exit 0
fi
[ -d "$lfa" ] && [ -d "$comp" ] || demo_fail "no $lfa or $comp: is fwact-lfa loaded?"
[ -w "$ctl/set" ] || demo_fail "no $ctl: is fwact_lfa_ctl loaded?"

echo "== the images the agent reports (/sys/firmware/lfa/)"
for d in /sys/firmware/lfa/*/; do
	printf '    %s  %-26s %s\n' "$(basename "$d")" "$(cat "$d/name")" \
		"$(cat "$d/current_version")"
done

echo "== TF-RMM before: $lfa"
demo_show "$lfa" name current_version pending_version activation_capable \
	activation_pending cpu_rendezvous force_cpu_rendezvous may_reset_cpu

echo "== the firmware stages version $want out of band (agent test control)"
# LFA_TEST_K_PENDING (1), component 0, version 1.1 (major << 32 | minor).
echo "1 0 0x100000001" > "$ctl/set" || demo_fail "the agent refused"
demo_show "$lfa" activation_pending pending_version

echo "== activate through $lfa/activate"
echo 1 > "$lfa/activate" ||
	demo_fail "activate failed: last_error=$(cat "$comp/last_error")"
demo_show "$lfa" current_version pending_version activation_pending

echo "== the same image as an fwact component: $comp"
demo_show "$comp" name backend state current_version last_error \
	last_fw_status rendezvous_mode rendezvous_context
demo_measurements "$comp"
# LFA_TEST_K_ACTIVATES (33), LFA_TEST_K_LAST_CPUS (36), LFA_TEST_K_ROUNDS (38).
echo "== what the agent saw"
printf '    %-26s %s\n' "ACTIVATE calls" "$(agent_get 33)" \
	"CPUs in the last round" "$(printf '0x%x' "$(agent_get 36)")" \
	"rounds" "$(agent_get 38)"
echo "== journal (/sys/firmware/fwact/journal), the last line"
cat /sys/firmware/fwact/journal | tail -n 1 | sed 's/^/    /'

[ "$(cat "$lfa/current_version")" = "$want" ] ||
	demo_fail "current_version is $(cat "$lfa/current_version"), not $want"
[ "$(cat "$comp/last_activation/result")" = 0 ] ||
	demo_fail "the activation did not succeed"
[ "$(cat "$comp/last_activation/cpus")" = "$(grep -c ^processor /proc/cpuinfo)" ] ||
	demo_fail "not every CPU was held"
echo "== TF-RMM now runs version $want, activated on every CPU in one rendezvous"
