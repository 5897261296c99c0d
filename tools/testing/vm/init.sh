#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the fwact test guest (busybox). Mounts the pseudo file systems,
# loads the guest kernel's helper modules, fwact.ko, the production backends
# and the test modules, then runs the kselftest programs listed in every
# /fwact/tests/<dir>/ksft.list, then every ksft.last (or the benchmarks of bench.list, or the
# command given to vm-run.sh --cmd), unloads the modules, asks kmemleak for
# a scan and powers off. Lines starting with "FWACT-VM:" are read by
# vm-run.sh on the host; the counts are made here from each program's own
# output so that kernel messages interleaved on the console cannot skew them.

/bin/busybox mkdir -p /proc /sys /dev /tmp /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/usr/bin:/usr/sbin:/bin:/sbin
export HOME=/root TERM=dumb

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mkdir -p /root /var/log
exec </dev/console >/dev/console 2>&1

. /fwact/run.conf

pass=0
fail=0
skip=0
stuck=0

vm_log()
{
	echo "FWACT-VM: $*"
}

# One check done by the harness itself (module load/unload), as TAP.
vm_check()
{
	if [ "$1" = 0 ]; then
		pass=$((pass + 1))
		echo "ok - fwact-vm: $2"
	else
		fail=$((fail + 1))
		echo "not ok - fwact-vm: $2 (rc=$1)"
	fi
}

vm_modules_load()
{
	local m rc

	for m in $(cat /fwact/kmod/load-order 2>/dev/null); do
		insmod "/fwact/kmod/$m" || vm_log "guest kernel module $m did not load"
	done
	for m in $(cat /fwact/modules/load-order 2>/dev/null); do
		insmod "/fwact/modules/$m"
		rc=$?
		vm_check $rc "insmod $m"
	done
}

vm_modules_unload()
{
	local m rc

	for m in $(sed '1!G;h;$!d' /fwact/modules/load-order 2>/dev/null); do
		m=${m%.ko}
		grep -q "^$(echo "$m" | tr - _) " /proc/modules || continue
		rmmod "$m" &
		vm_wait_bounded $! 120
		rc=$?
		vm_check $rc "rmmod $m"
		if [ "$rc" = 255 ]; then
			vm_stuck_dump "rmmod $m"
			return
		fi
	done
}

# What the guest's tasks and CPUs are doing, for a run that is stuck.
vm_stuck_dump()
{
	vm_log "STUCK $*: blocked tasks and CPU backtraces follow"
	echo w > /proc/sysrq-trigger
	echo l > /proc/sysrq-trigger
	sleep 2
}

# Wait for background job $1 for at most $2 seconds; its exit status, or
# 255 if it is still running then (a task the kernel does not let die).
vm_wait_bounded()
{
	local pid=$1 left=$(($2 * 10))

	while kill -0 "$pid" 2>/dev/null; do
		if [ "$left" -le 0 ]; then
			return 255
		fi
		left=$((left - 1))
		sleep 0.1
	done
	wait "$pid"
}

# Run one program of a list with a timeout, count its TAP results. A
# program still there 30 s after it was killed is stuck in the kernel: its
# tasks are dumped, it counts as failed and nothing more is run, so that
# the guest still reports (rather than running into vm-run.sh's timeout).
vm_prog_run()
{
	local dir=$1 prog=$2 out=/tmp/vm-prog.out rc p f s t0 job

	echo "FWACT-VM: BEGIN $dir/$prog"
	t0=$(cut -d. -f1 /proc/uptime)
	(
		set -o pipefail
		(cd "/fwact/tests/$dir" && timeout -s KILL "$FWACT_TIMEOUT" "./$prog" 2>&1) | tee "$out"
	) &
	job=$!
	vm_wait_bounded "$job" $((FWACT_TIMEOUT + 30))
	rc=$?
	if [ "$rc" = 255 ]; then
		vm_stuck_dump "$dir/$prog"
		echo "not ok - fwact-vm: $dir/$prog is stuck in the kernel"
		fail=$((fail + 1))
		stuck=1
		return
	fi
	p=$(grep -c -E '^ok ' "$out" | head -n1)
	s=$(grep -c -E '^ok .*# *(SKIP|skip)' "$out" | head -n1)
	f=$(grep -c -E '^not ok ' "$out" | head -n1)
	p=$((p - s))
	if [ "$rc" = 137 ]; then
		echo "not ok - fwact-vm: $dir/$prog timed out after ${FWACT_TIMEOUT}s"
		f=$((f + 1))
	elif [ "$rc" = 4 ] && [ $((p + f + s)) = 0 ]; then
		s=1
	elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "not ok - fwact-vm: $dir/$prog exited with $rc"
		f=$((f + 1))
	elif [ $((p + f + s)) = 0 ]; then
		p=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	skip=$((skip + s))
	echo "FWACT-VM: END $dir/$prog rc=$rc pass=$p fail=$f skip=$s time=$(( $(cut -d. -f1 /proc/uptime) - t0 ))s"
}

vm_lists_run()
{
	local list=$1 d dir prog

	for d in /fwact/tests/*/; do
		dir=$(basename "$d")
		[ -f "$d/$list" ] || continue
		case " $FWACT_SKIP_DIRS " in
		*" $dir "*)
			vm_log "skipping $dir/$list (--skip)"
			continue
			;;
		esac
		while read -r prog; do
			case "$prog" in ''|'#'*) continue ;; esac
			[ "$stuck" = 0 ] || return
			vm_prog_run "$dir" "$prog"
		done < "$d/$list"
	done
}

vm_kmemleak_scan()
{
	local k=/sys/kernel/debug/kmemleak

	[ -w $k ] || return 0
	# Objects younger than about five seconds are never reported.
	sleep 6
	echo scan > $k
	echo scan > $k
	# debugfs files have no size: read the report out first.
	cat $k > /tmp/kmemleak.txt
	if [ -s /tmp/kmemleak.txt ]; then
		vm_log "kmemleak report follows"
		cat /tmp/kmemleak.txt
	fi
	vm_log "kmemleak scan done"
}

vm_log "boot done uptime=$(cut -d' ' -f1 /proc/uptime) cpus=$(grep -c ^processor /proc/cpuinfo) kernel=$(uname -r)"
vm_log "cpu0 thread_siblings=$(cat /sys/devices/system/cpu/cpu0/topology/thread_siblings_list 2>/dev/null)"
vm_modules_load

case "$FWACT_MODE" in
cmd)
	sh /fwact/cmd
	rc=$?
	vm_check $rc "command"
	;;
bench)
	vm_lists_run bench.list
	;;
*)
	vm_lists_run ksft.list
	# Programs that change the boot for good (an IMA policy) come last.
	# Nothing runs after them: they may change the boot for good.
	export FWACT_LAST_IN_BOOT=1
	vm_lists_run ksft.last
	;;
esac

[ "$stuck" = 0 ] && vm_modules_unload
vm_kmemleak_scan
vm_log "SUMMARY pass=$pass fail=$fail skip=$skip uptime=$(cut -d' ' -f1 /proc/uptime)"
sync
poweroff -f
reboot -f
