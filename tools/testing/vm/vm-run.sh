#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one fwact test guest under QEMU (TCG) and report what it ran.
#
#   vm-run.sh [--kernel debian|kasan|arm64] [--machine pc|q35]
#             [--smp 2|4smt] [--cpu MODEL] [--arch x86_64|arm64]
#             [--cmd 'shell command' | --cmd-file FILE | --bench]
#             [--name NAME] [--result FILE] [--timeout SECONDS]
#             [--test-timeout SECONDS] [--append 'KERNEL ARGS'] [--no-build]
#             [--skip DIR]... [--firmware tfa] [--quiet] [--ksft]
#             [--env NAME=VALUE]...
#
# It builds the test flavour of the modules for the chosen kernel and the
# static user-space programs (scripts/build.sh), packs a busybox initramfs
# (init.sh as /init, the modules in /fwact/modules/, each selftest
# directory's programs in /fwact/tests/<dir>/, fwactctl in /usr/bin, each
# selftest directory's firmware/ in /lib/firmware/), compiles every
# tools/testing/selftests/*/acpi/*.asl into an extra ACPI table (x86), boots
# the guest with a hard timeout and reads its console: the guest's own
# summary line, kernel splats (KASAN, lockdep, kmemleak, WARNING, Oops, Call
# Trace, panics), a missing SMT topology in the 4smt configuration, a hang.
# --skip DIR leaves out the ksft.list of tools/testing/selftests/DIR.
# --env NAME=VALUE is exported to every test in the guest (e.g.
# FWACT_STRESS_SECONDS=10).
# --firmware tfa (arm64 only) boots the guest on Trusted Firmware-A with
# fwact's emulated LFA agent (tfa-build.sh) instead of QEMU's own PSCI:
# -M virt,secure=on, the ROM as -bios, the kernel as BL33, and QEMU's own
# device tree with the initramfs in /chosen and the LFA agent's node
# (compatible "arm,lfa", its notification SPI) added.
# --quiet (make run) keeps the build and the console in log files and
# shows only the story of a demo (what demo.sh prints, without the kernel's
# lines), one line per step before it and the verdict; V=1 in the
# environment turns it off.
# --ksft also packs the selftests installed the kselftest way, with the
# kernel's runner, in /fwact/ksft/, and /fwact/ksft-run.sh, which runs
# them all (--ksft --cmd 'sh /fwact/ksft-run.sh').
# The last line is "N passed, N failed, N skipped" for this run; --result
# writes "name pass fail skip status" to FILE for make test.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
out_root=${FWACT_BUILD:-$repo/build}
cache=${FWACT_CACHE:-/var/cache/fwact}

kernel=debian
machine=pc
smp=
cpu=
arch=x86_64
mode=tests
skip_dirs=
guest_env=
cmd=
name=
result=
timeout=900
test_timeout=
build=1
append=
firmware=
quiet=0
ksft=0

usage()
{
	sed -n '4,13p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
}

while [ $# -gt 0 ]; do
	case "$1" in
	--kernel)	kernel=$2; shift ;;
	--machine)	machine=$2; shift ;;
	--smp)		smp=$2; shift ;;
	--cpu)		cpu=$2; shift ;;
	--arch)		arch=$2; shift ;;
	--cmd)		mode=cmd; cmd=$2; shift ;;
	--cmd-file)	mode=cmd; cmd=$(cat "$2") || exit 2; shift ;;
	--bench)	mode=bench ;;
	--skip)		skip_dirs="$skip_dirs $2"; shift ;;
	--env)
		[[ "$2" =~ ^[A-Z_][A-Z0-9_]*=[A-Za-z0-9_.,:/-]*$ ]] || {
			echo "vm-run: --env wants NAME=VALUE (plain characters), not '$2'" >&2
			exit 2
		}
		guest_env="$guest_env$2
"
		shift
		;;
	--name)		name=$2; shift ;;
	--result)	result=$2; shift ;;
	--timeout)	timeout=$2; shift ;;
	--test-timeout)	test_timeout=$2; shift ;;
	--append)	append=$2; shift ;;
	--no-build)	build=0 ;;
	--firmware)	firmware=$2; shift ;;
	--quiet)	quiet=1 ;;
	--ksft)		ksft=1 ;;
	-h|--help)	usage ;;
	*)		echo "vm-run: unknown argument '$1'" >&2; usage ;;
	esac
	shift
done

[ "${V:-0}" = 0 ] || quiet=0

if [ "$arch" = arm64 ] || [ "$kernel" = arm64 ]; then
	arch=arm64
	kernel=arm64
	machine=virt
fi
[ -n "$smp" ] || case "$machine" in q35) smp=4smt ;; *) smp=2 ;; esac
# Per-program timeout: the debug kernel runs the emulated firmware's AML
# some 30 times slower, and the PFRU tests are mostly AML.
[ -n "$test_timeout" ] || case "$kernel" in kasan) test_timeout=600 ;; *) test_timeout=240 ;; esac
case "$firmware" in
''|tfa) ;;
*)	echo "vm-run: unknown firmware '$firmware'" >&2; usage ;;
esac
if [ -n "$firmware" ] && [ "$arch" != arm64 ]; then
	echo "vm-run: --firmware $firmware needs --arch arm64" >&2
	usage
fi
[ -n "$name" ] || name=$kernel-$machine-smp$smp${cpu:+-$cpu}${firmware:+-$firmware}
[ "$mode" = tests ] || name=$name-$mode
# The name is a directory and ends up in QEMU options: keep it plain.
name=$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_')

work=$out_root/vm/$name
log=$work/console.log

# --quiet: what runs before the boot goes to $prep, not the terminal.
prep=$work/prepare.log

prep_redirected=0

vm_quiet_begin()
{
	[ "$quiet" = 1 ] || return 0
	exec 3>&1 4>&2 > "$prep" 2>&1
	prep_redirected=1
}

vm_quiet_end()
{
	[ "$prep_redirected" = 1 ] || return 0
	exec 1>&3 2>&4 3>&- 4>&-
	prep_redirected=0
}

vm_fail()
{
	if [ "$prep_redirected" = 1 ]; then
		vm_quiet_end
		tail -n 20 "$prep" >&2
	fi
	echo "vm-run: $name: $*" >&2
	[ -z "$result" ] || echo "$name 0 1 0 setup-failed" >> "$result"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}

vm_build()
{
	"$repo/scripts/build.sh" modules "$kernel" test ||
		vm_fail "building the $kernel test modules failed"
	"$repo/scripts/build.sh" user "$arch" ||
		vm_fail "building the $arch user-space programs failed"
}

# The guest kernel's own modules the tests may need (Debian builds msr
# and SHA-384, which the TDX backend hashes module images with, as
# modules; the debug kernel has them built in, and the mainline PFRU
# drivers as modules for the coexistence test).
vm_kmods_add()
{
	local root=$1 kver m f

	mkdir -p "$root/fwact/kmod"
	: > "$root/fwact/kmod/load-order"
	# The debug kernel builds the mainline PFRU drivers as modules.
	if [ "$kernel" = kasan ]; then
		for m in pfr_update pfr_telemetry; do
			f=$("$repo/scripts/build.sh" kdir kasan)/drivers/acpi/$m.ko
			[ -f "$f" ] && cp "$f" "$root/fwact/kmod/"
		done
	fi
	[ "$kernel" = debian ] || return 0
	kver=$(basename "$kimage")
	kver=${kver#vmlinuz-}
	for m in msr cpuid sha512_generic; do
		f=$(find "/lib/modules/$kver/kernel" -name "$m.ko" 2>/dev/null | head -n1)
		[ -n "$f" ] || continue
		cp "$f" "$root/fwact/kmod/"
		echo "$m.ko" >> "$root/fwact/kmod/load-order"
	done
	vm_pfrut_kmods_add "$root" "$kver"
}

# The mainline PFRU drivers pfr_update and pfr_telemetry, for the PFRU
# coexistence test, which loads them itself (they are not in load-order):
# Debian's modules if its kernel has CONFIG_ACPI_PFRUT, else (Debian's 6.1
# kernel has not) built from the unchanged 6.1 source against Debian's
# headers, into build/. Without them that test skips.
vm_pfrut_kmods_add()
{
	local root=$1 kver=$2 acpi=$cache/linux-source-6.1/drivers/acpi d m f

	d=$out_root/kmod-pfrut-$kver
	for m in pfr_update pfr_telemetry; do
		f=$(find "/lib/modules/$kver/kernel/drivers/acpi" -name "$m.ko*" 2>/dev/null | head -n1)
		case "$f" in
		*.ko)	cp "$f" "$root/fwact/kmod/" ;;
		*.ko.xz) xz -dc "$f" > "$root/fwact/kmod/$m.ko" ;;
		esac
	done
	[ -f "$root/fwact/kmod/pfr_update.ko" ] && return 0
	if [ ! -f "$d/pfr_telemetry.ko" ] && [ -f "$acpi/pfr_update.c" ]; then
		mkdir -p "$d"
		cp "$acpi/pfr_update.c" "$acpi/pfr_telemetry.c" "$d/"
		echo 'obj-m := pfr_update.o pfr_telemetry.o' > "$d/Kbuild"
		make -C "$("$repo/scripts/build.sh" kdir debian)" M="$d" modules \
			> "$d/build.log" 2>&1 ||
			echo "vm-run: building pfr_update/pfr_telemetry failed (see $d/build.log)" >&2
	fi
	[ -f "$d/pfr_telemetry.ko" ] && cp "$d/pfr_update.ko" "$d/pfr_telemetry.ko" "$root/fwact/kmod/"
	return 0
}

vm_initramfs_make()
{
	local root=$work/root user=$out_root/user-$arch bb d

	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib/firmware,fwact/tests,proc,sys,dev,tmp,root,etc}
	if [ "$arch" = arm64 ]; then
		bb=$("$here/arm64-kernel.sh" busybox) || vm_fail "no arm64 busybox"
	else
		bb=/bin/busybox
	fi
	file -L "$bb" | grep -q 'statically linked' || vm_fail "$bb is not a static busybox"
	cp "$bb" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$here/init.sh" "$root/init"
	chmod 755 "$root/init"
	cp -r "$out_root/$kernel-test/modules" "$root/fwact/modules"
	# Without TF-A no LFA agent answers: the LFA modules would refuse to
	# load (the run that checks that refusal loads them itself).
	if [ "$arch" = arm64 ] && [ "$firmware" != tfa ]; then
		sed -i '/^fwact-lfa\.ko$/d; /^fwact_lfa_ctl\.ko$/d' \
			"$root/fwact/modules/load-order"
	fi
	vm_kmods_add "$root"
	for d in "$user"/tests/*/; do
		[ -d "$d" ] && cp -r "$d" "$root/fwact/tests/"
	done
	# --ksft: the selftests installed the kselftest way as well, with the
	# kernel's runner (/fwact/ksft/run_kselftest.sh).
	if [ "$ksft" = 1 ]; then
		[ -x "$user/ksft/run_kselftest.sh" ] || vm_fail "no $user/ksft/run_kselftest.sh (scripts/build.sh user)"
		cp -r "$user/ksft" "$root/fwact/ksft"
		cp "$here/ksft-run.sh" "$root/fwact/"
	fi
	[ -x "$user/bin/fwactctl" ] && cp "$user/bin/fwactctl" "$root/usr/bin/"
	for d in "$repo"/tools/testing/selftests/*/firmware; do
		[ -d "$d" ] && cp -r "$d/." "$root/lib/firmware/"
	done
	if [ "$mode" = cmd ]; then
		printf '%s\n' "$cmd" > "$root/fwact/cmd"
		[ -d "$here/demo.d" ] && cp -r "$here/demo.d" "$here/demo.sh" "$here/demo-lib.sh" "$root/fwact/"
	fi
	cat > "$root/fwact/run.conf" <<-EOC
	FWACT_MODE=$mode
	FWACT_TIMEOUT=$test_timeout
	FWACT_RUN_NAME=$name
	FWACT_SKIP_DIRS="$skip_dirs"
	EOC
	printf '%s' "$guest_env" | sed 's/^/export /' >> "$root/fwact/run.conf"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) > "$work/initramfs.cpio.gz" ||
		vm_fail "packing the initramfs failed"
}

vm_acpi_tables()
{
	local asl aml

	acpi_args=()
	[ "$arch" = x86_64 ] || return 0
	mkdir -p "$work/acpi"
	for asl in "$repo"/tools/testing/selftests/*/acpi/*.asl; do
		[ -f "$asl" ] || continue
		aml=$work/acpi/$(basename "$asl" .asl)
		iasl -p "$aml" "$asl" > "$aml.log" 2>&1 ||
			{ cat "$aml.log" >&2; vm_fail "iasl $asl failed"; }
		acpi_args+=(-acpitable "file=$aml.aml")
	done
}

# Where the initramfs is put for TF-A: inside the guest's RAM (from
# 0x40000000; the device tree sits at its start, QEMU's copy of the kernel
# at 0x40200000) and below BL33, which TF-A loads at 0x60000000.
tfa_initrd_addr=0x48000000
tfa_initrd_max=$((0x60000000 - 0x48000000))

# The arguments of a boot on TF-A with the emulated LFA agent: the ROM
# (tfa-build.sh), and QEMU's own device tree for these options (dumpdtb)
# with /chosen's linux,initrd-start/end and the LFA agent's node added;
# BL2 passes the tree on to the kernel and adds the PSCI node, QEMU puts
# -append into /chosen/bootargs.
vm_tfa_args()
{
	local rom dtb=$work/virt.dtb dts=$work/virt.dts spi size end

	rom=$("$here/tfa-build.sh") || vm_fail "building TF-A failed"
	command -v dtc > /dev/null || vm_fail "dtc missing (run scripts/setup.sh)"
	spi=$(sed -n 's/^#define LFA_TEST_NOTIFY_SPI[[:space:]]*\([0-9]*\).*/\1/p' \
		"$repo/tools/testing/selftests/lfa/lfa_test_smc.h")
	[ -n "$spi" ] || vm_fail "no LFA_TEST_NOTIFY_SPI in lfa_test_smc.h"
	size=$(stat -c %s "$work/initramfs.cpio.gz")
	[ "$size" -lt "$tfa_initrd_max" ] || vm_fail "the initramfs is too big for TF-A ($size bytes)"
	end=$(printf '0x%x' $((tfa_initrd_addr + size)))
	# shellcheck disable=SC2054
	qemu_args+=(-accel tcg -machine virt,secure=on -cpu "${cpu:-max}")
	rm -f "$dtb"
	"$qemu" "${qemu_args[@]}" -bios "$rom" -machine "dumpdtb=$dtb" \
		< /dev/null > "$work/dumpdtb.log" 2>&1
	[ -s "$dtb" ] || { cat "$work/dumpdtb.log" >&2; vm_fail "qemu dumpdtb failed"; }
	dtc -q -I dtb -O dts -o "$dts" "$dtb" || vm_fail "dtc could not read $dtb"
	# A second root block: dtc merges it into the first.
	cat >> "$dts" <<-EOD

	/ {
		chosen {
			linux,initrd-start = <0x00 $tfa_initrd_addr>;
			linux,initrd-end = <0x00 $end>;
		};

		firmware-update {
			compatible = "arm,lfa";
			interrupts = <0x00 $spi 0x01>;
		};
	};
	EOD
	dtc -q -I dts -O dtb -o "$work/virt-lfa.dtb" "$dts" || vm_fail "dtc could not compile $dts"
	qemu_args+=(-bios "$rom" -dtb "$work/virt-lfa.dtb"
		-device "loader,file=$work/initramfs.cpio.gz,addr=$tfa_initrd_addr,force-raw=on")
}

vm_qemu_args()
{
	local smp_arg

	case "$smp" in
	4smt)	smp_arg=4,sockets=1,cores=2,threads=2 ;;
	*)	smp_arg=$smp ;;
	esac
	qemu_args=(-m 2G -nographic -no-reboot -smp "$smp_arg" -kernel "$kimage")
	# TF-A gets the initramfs through the device tree (vm_tfa_args).
	[ "$firmware" = tfa ] || qemu_args+=(-initrd "$work/initramfs.cpio.gz")
	case "$machine" in
	pc)
		qemu=qemu-system-x86_64
		qemu_args+=(-accel tcg -machine pc -cpu "${cpu:-Skylake-Server}")
		;;
	q35)
		# TCG's "max" CPU says AuthenticAMD without topoext, so Linux
		# would see no SMT siblings; as GenuineIntel it reads the
		# threads from CPUID leaf 0xb.
		qemu=qemu-system-x86_64
		qemu_args+=(-accel tcg -machine q35 -cpu "${cpu:-max,vendor=GenuineIntel}"
			-bios /usr/share/ovmf/OVMF.fd)
		;;
	virt)
		qemu=qemu-system-aarch64
		if [ "$firmware" = tfa ]; then
			vm_tfa_args
		else
			qemu_args+=(-accel tcg -machine virt -cpu "${cpu:-max}")
		fi
		;;
	*)
		vm_fail "unknown machine '$machine'"
		;;
	esac
	# A TCG vCPU thread can be kept off the host CPU for many seconds on
	# a loaded two-core machine: give the RCU stall and lockup detectors
	# room, so that only a real stall trips them.
	local common="panic=-1 nokaslr printk.time=1 kasan_multi_shot rcupdate.rcu_cpu_stall_timeout=120 watchdog_thresh=60${append:+ $append}"

	if [ "$arch" = x86_64 ]; then
		# memmap reserves 16M at 768M for the firmware emulators.
		qemu_args+=(-append "console=ttyS0 memmap=16M\$0x30000000 $common"
			"${acpi_args[@]}")
	else
		qemu_args+=(-append "console=ttyAMA0 $common")
	fi
}

# Kernel lines carry a printk timestamp; only those are searched for splats
# so that a test printing such a word cannot fail the run by itself.
splat_re='\[ *[0-9]+\.[0-9]+\] (BUG:|WARNING:|Oops|Call Trace|Kernel panic|general protection fault|UBSAN:|INFO: task .* blocked|rcu: INFO:|.*circular locking|.*inconsistent lock state|.*possible recursive locking|.*suspected memory leak)|^unreferenced object 0x'

vm_log_judge()
{
	local qrc=$1 sum p=0 f=0 s=0 status=ok splats sib last failed

	sum=$(tr -d '\r' < "$log" | grep -a -o 'FWACT-VM: SUMMARY pass=[0-9]* fail=[0-9]* skip=[0-9]*' | tail -n1)
	if [ -n "$sum" ]; then
		p=$(echo "$sum" | sed 's/.*pass=\([0-9]*\).*/\1/')
		f=$(echo "$sum" | sed 's/.*fail=\([0-9]*\).*/\1/')
		s=$(echo "$sum" | sed 's/.*skip=\([0-9]*\).*/\1/')
	fi
	splats=$(tr -d '\r' < "$log" | grep -a -c -E "$splat_re")
	if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
		# Name the program it was in, so that the summary says it.
		last=$(tr -d '\r' < "$log" | grep -a -o 'FWACT-VM: \(BEGIN\|END\) [^ ]*' | tail -n1)
		case "$last" in
		*BEGIN*) status=timeout-in-${last##* } ;;
		*) status=timeout ;;
		esac
	elif [ -z "$sum" ]; then
		status=no-summary
	elif [ "$splats" -gt 0 ]; then
		status=splat
	fi
	if [ "$smp" = 4smt ] && [ "$status" = ok ]; then
		sib=$(tr -d '\r' < "$log" | grep -a -o 'thread_siblings=[0-9,-]*' | tail -n1)
		case "$sib" in
		thread_siblings=0-1|thread_siblings=0,1|thread_siblings=0,2) ;;
		*) status=no-smt ;;
		esac
	fi

	echo "==== vm-run: $name: guest pass=$p fail=$f skip=$s splat-lines=$splats qemu-rc=$qrc status=$status boot+run=${elapsed}s"
	case "$status" in
	timeout*)
		echo "==== vm-run: $name: the last console lines:"
		tr -d '\r' < "$log" | tail -n 40
		;;
	esac
	if [ "$splats" -gt 0 ]; then
		echo "==== vm-run: $name: kernel splat lines:"
		tr -d '\r' < "$log" | grep -a -E "$splat_re" | head -n 20
	fi
	[ "$status" = ok ] || f=$((f + 1))
	# The failed tests by name, for make test's summary: often the only
	# part of a CI log that is kept.
	failed=$(tr -d '\r' < "$log" | grep -a -E '^not ok ([0-9]+|-) ' |
		sed -E 's/^not ok ([0-9]+|-) //; s/ /_/g' | head -n 6 | tr '\n' ' ')
	if [ -n "$failed" ]; then
		echo "==== vm-run: $name: failed: $failed"
		status="$status; failed: ${failed% }"
	fi
	[ -z "$result" ] || echo "$name $p $f $s $status" >> "$result"
	echo "$p passed, $f failed, $s skipped"
	[ "$f" = 0 ]
}

mkdir -p "$work"
[ "$quiet" = 0 ] ||
	echo "vm-run: $name: building the modules and tools, packing the guest (log: $prep)"
vm_quiet_begin
if [ "$arch" = arm64 ]; then
	command -v qemu-system-aarch64 > /dev/null || vm_fail "qemu-system-aarch64 missing (run scripts/setup.sh)"
else
	command -v qemu-system-x86_64 > /dev/null || vm_fail "qemu-system-x86_64 missing (run scripts/setup.sh)"
fi
[ "$build" = 0 ] || vm_build
kimage=$("$repo/scripts/build.sh" kimage "$kernel") || vm_fail "no $kernel kernel image"
[ -r "$kimage" ] || vm_fail "cannot read $kimage"
vm_initramfs_make
vm_acpi_tables
vm_qemu_args
vm_quiet_end

# One boot. A guest whose kernel never reaches init.sh (no "fwact-vm:"
# line within $boot_timeout seconds) is stuck booting under TCG before any
# fwact code ran (seen: the debug kernel on q35 after SMP bring-up): it is
# killed, boot_stuck says so, and the caller boots it once more.
vm_qemu_once()
{
	local tpid t=0 rc

	boot_stuck=0
	: > "$log"
	if [ "$quiet" = 0 ]; then
		timeout -k 10 "$timeout" "$qemu" "${qemu_args[@]}" < /dev/null \
			> >(tee "$log") 2>&1 &
	else
		timeout -k 10 "$timeout" "$qemu" "${qemu_args[@]}" < /dev/null \
			> >(tee "$log" | vm_story) 2>&1 &
	fi
	tpid=$!
	while kill -0 "$tpid" 2> /dev/null; do
		if [ "$t" -ge "$boot_timeout" ] && ! grep -qi 'fwact-vm:' "$log"; then
			boot_stuck=1
			kill -TERM "$tpid" 2> /dev/null
			break
		fi
		sleep 1
		t=$((t + 1))
	done
	wait "$tpid"
	rc=$?
	# Let tee write the last lines before the log is read.
	sleep 1
	return "$rc"
}

# --quiet: of the console, only what the demo prints (from its first part
# to its end), without the kernel's timestamped lines.
vm_story()
{
	tr -d '\r' | awk '/^######## demo/ { on = 1 }
		/^ok - fwact-vm: command/ { on = 0 }
		on && !/^\[ *[0-9]+\.[0-9]+\]/ { print; fflush() }'
}

boot_timeout=${FWACT_BOOT_TIMEOUT:-300}
if [ "$quiet" = 0 ]; then
	echo "==== vm-run: $name: $qemu ${qemu_args[*]}"
else
	echo "$qemu ${qemu_args[*]}" > "$work/qemu-command"
	echo "vm-run: $name: booting the guest (console: $log)"
fi
start=$(date +%s)
vm_qemu_once
qrc=$?
if [ "$boot_stuck" = 1 ]; then
	echo "==== vm-run: $name: the kernel did not reach init in ${boot_timeout}s (stuck booting, no fwact code run yet): booting once more"
	cp "$log" "$work/console-stuck-boot.log"
	vm_qemu_once
	qrc=$?
	[ "$boot_stuck" = 0 ] ||
		echo "==== vm-run: $name: stuck booting again; the run fails"
fi
elapsed=$(( $(date +%s) - start ))
vm_log_judge "$qrc"
