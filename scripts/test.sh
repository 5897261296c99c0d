#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test: set up the machine, run make check (against 6.1, 6.12 and
# 7.2), build both flavours of fwact for the Debian 6.1 kernel and for the
# Linux 7.2 KASAN/lockdep/kmemleak kernel, then run the guest suite under
#
#   debian x pc/SeaBIOS -smp 2        debian x q35/OVMF -smp 4 (2 cores x 2 threads)
#   kasan  x pc/SeaBIOS -smp 2        kasan  x q35/OVMF -smp 4 (2 cores x 2 threads)
#
# plus, on each kernel, two pc guests for tests that change the kernel for
# good: fwact_lsm_test.sh (an IMA policy cannot be removed and would refuse
# every image after it) and ucode_lockdown_test (lockdown is permanent);
# and on the Debian kernel one pc guest with an AMD CPU (-cpu EPYC-Rome),
# where the microcode tests of Debian's real AMD blob run, and one where
# the kernel's own runner (run_kselftest.sh) runs every selftest directory
# as installed by lib.mk's make install, as on any machine with fwact.
#
# Arm LFA runs in arm64 guests (Debian's arm64 kernel, QEMU virt): the
# core's and the LFA suites on Trusted Firmware-A with fwact's emulated
# LFA agent at -smp 2 and -smp 4, and one boot on QEMU's own PSCI, where
# no agent answers and fwact-lfa must refuse to load and say why. They run
# while the debug kernel builds; FWACT_TEST_ARM64=0 leaves them out.
#
# The debug kernel is built in the background while make check and the
# Debian runs go on. Every check stage counts as one pass or failure, every
# build that fails as one failure (a module that does not build is never
# skipped quietly), each guest run adds its TAP counts and one failure if
# it crashed, hung, showed a kernel splat or ended without its summary.
# The last line is "N passed, N failed, N skipped"; the exit status is
# non-zero if anything failed. Each step's output goes to build/logs/
# (STEP.log; a guest's console stays under build/vm/) and the terminal
# shows one line per step, and a failure's last lines; V=1 shows it all.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/build
results=$out/test-results
logs=$out/logs
verbose=${V:-0}
vm=$repo/tools/testing/vm
start=$(date +%s)

mkdir -p "$out" "$logs"
: > "$results"

test_header()
{
	[ "$verbose" = 0 ] || echo
	echo "======== make test: $* ($(( $(date +%s) - start ))s)"
}

# Run "$@" with its output in build/logs/NAME.log, on the terminal as
# well with V=1; its exit status.
test_to_log()
{
	local log=$logs/$1.log
	shift

	if [ "$verbose" = 1 ]; then
		"$@" 2>&1 | tee "$log"
		return "${PIPESTATUS[0]}"
	fi
	"$@" > "$log" 2>&1
}

# test_to_log; quiet, a failure shows the log's last lines.
test_logged()
{
	local rc

	test_to_log "$@"
	rc=$?
	if [ "$verbose" = 0 ] && [ "$rc" != 0 ]; then
		tail -n 30 "$logs/$1.log" | sed 's/^/  | /'
		echo "  (the whole log: build/logs/$1.log)"
	fi
	return "$rc"
}

# One guest run (vm-run.sh --name NAME ARGS...) through test_to_log;
# quiet, its verdict line, or on a failure what vm-run.sh says about it,
# is all that is shown.
test_guest()
{
	local name=$1 log=$logs/$1.log rc
	shift

	test_to_log "$name" "$vm/vm-run.sh" --name "$name" "$@"
	rc=$?
	[ "$verbose" = 0 ] || return "$rc"
	if [ "$rc" = 0 ]; then
		grep -a 'guest pass=' "$log" | tail -n 1 | sed 's/^==== vm-run: /  /'
	else
		sed -n '/guest pass=/,$p' "$log" | sed 's/^/  | /'
		grep -q -a 'guest pass=' "$log" || tail -n 30 "$log" | sed 's/^/  | /'
		echo "  (the whole log: build/logs/$name.log; the console: under build/vm/)"
	fi
	return "$rc"
}

# Record one pass or failure of a step that is not a guest run.
test_step()
{
	local name=$1
	shift

	test_header "$name"
	if test_logged "$name" "$@"; then
		echo "$name pass" >> "$results"
		return 0
	fi
	echo "======== make test: $name FAILED"
	echo "$name fail" >> "$results"
	return 1
}

# A guest can run once the core module and some selftests were built.
test_runnable()
{
	if [ -f "$out/$1-test/modules/fwact.ko" ] &&
	   ls "$out"/user-x86_64/tests/*/ksft.list > /dev/null 2>&1; then
		echo 1
	else
		echo 0
	fi
}

# fwact_stress_test runs for its default 30 s in the first full guest of
# each kernel (pc -smp 2, arm64 -smp 2); the guests that repeat the whole
# suite on another shape, and the kernel's runner, give it 10 s.
short_stress="--env FWACT_STRESS_SECONDS=10"

# Every guest runs every selftest directory, but for one: the debug kernel
# on q35 leaves out pfru. Its emulated firmware is AML, which the debug
# kernel interprets at a few milliseconds an opcode (KASAN and kmemleak
# record a stack per ACPICA allocation), so pfru_test costs that guest
# over four minutes; pfru meets the debug kernel on pc and q35's firmware
# (OVMF, its DSDT) under the Debian kernel, and nothing of pfru depends on
# the pair of them.
test_runs()
{
	local kernel=$1 ok=$2 machine skip smp stress

	for machine in pc q35; do
		test_header "guest run $kernel x $machine"
		if [ "$ok" != 1 ]; then
			echo "======== make test: $kernel x $machine not run: its build failed"
			echo "$kernel-$machine 0 1 0 not-built" >> "$results"
			continue
		fi
		skip=
		[ "$kernel-$machine" != kasan-q35 ] || skip="--skip pfru"
		smp=smp2
		stress=
		[ "$machine" != q35 ] || { smp=smp4smt; stress=$short_stress; }
		# shellcheck disable=SC2086
		test_guest "$kernel-$machine-$smp" --no-build \
			--kernel "$kernel" --machine "$machine" $skip $stress \
			--result "$results"
	done
}

# One guest for one test that changes the kernel for good (both kernels
# have IMA appraisal and the lockdown LSM).
test_alone_run()
{
	local kernel=$1 ok=$2 name=$3 append=$4 cmd=$5

	test_header "guest run $kernel x pc alone: $name"
	if [ "$ok" != 1 ]; then
		echo "$kernel-pc-$name 0 1 0 not-built" >> "$results"
		return
	fi
	test_guest "$kernel-pc-$name" --no-build --kernel "$kernel" \
		--machine pc ${append:+--append "$append"} --cmd "$cmd" \
		--result "$results"
}

test_alone_runs()
{
	test_alone_run "$1" "$2" lsm fwact_lsm_test \
		'cd /fwact/tests/fwact && ./fwact_lsm_test.sh'
	test_alone_run "$1" "$2" lockdown "" \
		'cd /fwact/tests/microcode && ./ucode_lockdown_test'
}

test_summary()
{
	local line p=0 f=0 s=0 a b c d e

	test_header "summary"
	while read -r a b c d e; do
		case "$b" in
		pass)	p=$((p + 1)); echo "  PASS  $a" ;;
		fail)	f=$((f + 1)); echo "  FAIL  $a" ;;
		*)
			p=$((p + b)); f=$((f + c)); s=$((s + d))
			printf '  %-5s %s: %s passed, %s failed, %s skipped (%s)\n' \
				"$( [ "$c" = 0 ] && echo RUN || echo FAIL)" "$a" "$b" "$c" "$d" "$e"
			;;
		esac
	done < "$results"
	echo "make test took $(( $(date +%s) - start ))s"
	line="$p passed, $f failed, $s skipped"
	echo "$line"
	[ "$f" = 0 ]
}

test_step setup "$repo/scripts/setup.sh" || { test_summary; exit 1; }

# The debug kernel takes the longest: start it now, next to the rest.
test_header "debug kernel build started in the background (log: build/kasan-kernel.log)"
# Niced, so that the guests running meanwhile keep their vCPUs on the host.
nice -n 15 "$vm/kasan-kernel.sh" > "$out/kasan-kernel.log" 2>&1 &
kasan_pid=$!

test_header "make check"
checked=$(wc -l < "$results")
FWACT_CHECK_RESULT=$results test_logged check "$repo/scripts/check.sh"
# Quiet, one line per stage of make check.
[ "$verbose" = 1 ] || tail -n +"$((checked + 1))" "$results" | sed 's/^/  /'

# A failed build is counted, but whatever did build still runs: one broken
# selftest directory must not hide the results of all the others.
test_step build-user-x86_64 "$repo/scripts/build.sh" user x86_64
# The production flavour was built by make check (w1-prod).
test_step build-debian-test "$repo/scripts/build.sh" modules debian test
test_runs debian "$(test_runnable debian)"
test_alone_runs debian "$(test_runnable debian)"

# The real AMD blob (amd64-microcode's fam17h container) through the real
# MSR path: the other guests are Intel CPUs, where its tests skip.
test_header "guest run debian x pc, AMD EPYC-Rome: microcode"
if [ "$(test_runnable debian)" = 1 ]; then
	test_guest debian-pc-amd --no-build --kernel debian --machine pc \
		--cpu EPYC-Rome --result "$results" \
		--cmd 'cd /fwact/tests/microcode && ./ucode_late_test'
else
	echo "debian-pc-amd 0 1 0 not-built" >> "$results"
fi

# The kernel's own runner over the selftests as lib.mk's make install
# leaves them (tools/testing/vm/ksft-run.sh).
test_header "guest run debian x pc: the kernel's kselftest runner"
if [ "$(test_runnable debian)" = 1 ]; then
	# shellcheck disable=SC2086
	test_guest debian-pc-runner --no-build --kernel debian --machine pc \
		--ksft $short_stress --result "$results" \
		--cmd "sh /fwact/ksft-run.sh"
else
	echo "debian-pc-runner 0 1 0 not-built" >> "$results"
fi

# A production-shaped boot: no EL3 firmware, so no LFA agent.
arm64_nolfa_cmd='insmod /fwact/modules/fwact-lfa.ko 2> /dev/null && {
	echo "fwact-lfa loaded with no LFA agent"; exit 1; }
dmesg | grep "fwact-lfa: not loaded: " || {
	echo "fwact-lfa said nothing about why it did not load"; exit 1; }
[ ! -e /sys/firmware/lfa ] || { echo "/sys/firmware/lfa exists"; exit 1; }'

test_arm64_runs()
{
	local smp stress=

	test_step build-arm64-test "$repo/scripts/build.sh" modules arm64 test || return 0
	test_step build-user-arm64 "$repo/scripts/build.sh" user arm64 || return 0
	for smp in 2 4; do
		test_header "guest run arm64 x virt on TF-A (LFA agent) -smp $smp"
		# shellcheck disable=SC2086
		test_guest "arm64-tfa-smp$smp" --arch arm64 --firmware tfa \
			--smp "$smp" --no-build $stress --result "$results"
		stress=$short_stress
	done
	test_header "guest run arm64 x virt on QEMU's PSCI: fwact-lfa does not load"
	test_guest arm64-psci-nolfa --arch arm64 --no-build \
		--result "$results" --cmd "$arm64_nolfa_cmd"
}

[ "${FWACT_TEST_ARM64:-1}" = 0 ] || test_arm64_runs

test_header "waiting for the debug kernel"
kasan_ok=0
if wait $kasan_pid; then
	tail -n 2 "$out/kasan-kernel.log"
	echo "kasan-kernel pass" >> "$results"
	test_step build-kasan-test "$repo/scripts/build.sh" modules kasan test
	kasan_ok=$(test_runnable kasan)
else
	tail -n 40 "$out/kasan-kernel.log"
	echo "kasan-kernel fail" >> "$results"
fi
test_runs kasan "$kasan_ok"
test_alone_runs kasan "$kasan_ok"

test_summary
