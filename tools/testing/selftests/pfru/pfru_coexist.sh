#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# fwact-pfru next to the mainline pfr_update and pfr_telemetry drivers
# (CONFIG_ACPI_PFRUT), which match the same ACPI IDs: with the mainline
# drivers loaded first, fwact-pfru binds nothing and says which driver has
# each device in one line; unbinding them and binding fwact's drivers
# through sysfs gives fwact's nodes, and back. Leaves fwact-pfru bound as
# it found it. The harness puts the mainline modules in /fwact/kmod/ (see
# tools/testing/vm/README.rst); without them this skips (exit 4).
dir=$(dirname "$0")
kmod=/fwact/kmod
mods=/fwact/modules
pfrut=$dir/pfrut
plat=/sys/bus/platform
upd=INTC1080:00
tel=INTC1081:00
. "$dir/pfru_tap.sh"

# The driver a platform device is bound to, or "none".
bound()
{
	if [ -e "$plat/devices/$1/driver" ]; then
		basename "$(readlink "$plat/devices/$1/driver")"
	else
		echo none
	fi
}

# Move a device from driver $2 to driver $3.
rebind()
{
	echo "$1" > "$plat/drivers/$2/unbind" &&
		echo "$1" > "$plat/drivers/$3/bind"
}

echo "TAP version 13"
[ -f $kmod/pfr_update.ko ] && [ -f $kmod/pfr_telemetry.ko ] ||
	skip "no pfr_update.ko/pfr_telemetry.ko: this kernel has no CONFIG_ACPI_PFRUT modules"
[ -c /dev/pfru/update ] && [ -e "$plat/devices/$upd" ] && [ -e "$plat/devices/$tel" ] ||
	skip "no fwact PFRU devices $upd/$tel"
[ -x "$pfrut" ] || skip "no pfrut"
echo "1..12"

# The mainline drivers first, as when their module loads first at boot.
rmmod fwact-pfru
insmod $kmod/pfr_update.ko && insmod $kmod/pfr_telemetry.ko
ok $? "pfr_update and pfr_telemetry loaded"
[ "$(bound $upd)" = pfr_update ] && [ "$(bound $tel)" = pfr_telemetry ]
ok $? "the mainline drivers have the devices ($(bound $upd), $(bound $tel))"

dmesg -c > /dev/null
insmod $mods/fwact-pfru.ko
ok $? "fwact-pfru loaded"
log=$(dmesg | grep 'fwact_pfru: ')
echo "$log"
[ "$(echo "$log" | grep -c "$upd is bound to pfr_update: ")" = 1 ] &&
	[ "$(echo "$log" | grep -c "$tel is bound to pfr_telemetry: ")" = 1 ] &&
	[ "$(echo "$log" | wc -l)" = 2 ]
ok $? "one line per device names the driver that has it"
[ ! -e /dev/pfru/update ] && [ ! -e /sys/firmware/fwact/pfru-code ] &&
	[ "$(bound $upd)" = pfr_update ]
ok $? "fwact-pfru bound nothing"
"$pfrut" -q > /dev/null
ok $? "pfrut -q on pfr_update's /dev/acpi_pfr_update0"

# The admin picks fwact.
rebind $upd pfr_update fwact-pfru-update &&
	rebind $tel pfr_telemetry fwact-pfru-telemetry
ok $? "unbind from pfr_update/pfr_telemetry, bind to fwact-pfru"
[ "$(bound $upd)" = fwact-pfru-update ] && [ -c /dev/pfru/update ] &&
	[ -c /dev/acpi_pfr_update0 ] && [ -c /dev/pfru/telemetry ] &&
	[ -c /dev/acpi_pfr_telemetry0 ] && [ -d /sys/firmware/fwact/pfru-code ]
ok $? "fwact's nodes and components are there"
out=$("$pfrut" -q) && out2=$("$pfrut" -G) &&
	[ "$(echo "$out" | sed -n 's/^code_rt_version://p')" = "$(cat /sys/firmware/fwact/pfru-code/current_version)" ]
ok $? "pfrut -q and -G work on fwact's /dev/acpi_pfr_*0 ($(echo "$out2" | head -n1))"

# And back.
rebind $upd fwact-pfru-update pfr_update &&
	rebind $tel fwact-pfru-telemetry pfr_telemetry
ok $? "back to pfr_update/pfr_telemetry"
[ "$(bound $upd)" = pfr_update ] && [ ! -e /dev/pfru/update ] &&
	[ ! -e /sys/firmware/fwact/pfru-code ] && "$pfrut" -q > /dev/null
ok $? "pfr_update has the device again"

# Leave fwact-pfru bound, as the other tests expect it.
rmmod pfr_telemetry && rmmod pfr_update &&
	echo $upd > $plat/drivers/fwact-pfru-update/bind &&
	echo $tel > $plat/drivers/fwact-pfru-telemetry/bind &&
	[ -c /dev/pfru/update ] && [ -c /dev/pfru/telemetry ]
ok $? "mainline drivers unloaded, fwact-pfru bound again"
exit $fail
