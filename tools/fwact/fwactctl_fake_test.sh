#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host-side test of fwactctl against a fake /sys/firmware/fwact tree made of
# plain files (--root), run by "make -C tools/fwact test". It checks what
# needs no kernel: output formats and JSON validity, the bytes written to
# image/stage/stage_firmware/activate/cancel, the errno carried into the
# message and exit status (a write to /dev/full gives ENOSPC), and usage
# errors. The guest test tools/testing/selftests/fwact/fwactctl_test.sh
# checks the same tool against the real core.

FWACTCTL=${FWACTCTL:-./fwactctl}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
root=$tmp/fwact
comp=$root/alpha
nr=0
failed=0

ok()
{
	nr=$((nr + 1))
	echo "ok $nr $1"
}

not_ok()
{
	nr=$((nr + 1))
	failed=$((failed + 1))
	echo "not ok $nr $1"
	[ -s "$tmp/out" ] && sed 's/^/#   out: /' "$tmp/out"
	[ -s "$tmp/err" ] && sed 's/^/#   err: /' "$tmp/err"
}

check()
{
	name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name"; fi
}

# run EXPECTED_EXIT ARGS...: run fwactctl, keep stdout/stderr, check status.
run()
{
	want=$1
	shift
	"$FWACTCTL" --root "$root" "$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
	if [ "$status" != "$want" ]; then
		echo "# fwactctl $*: exit $status, expected $want"
		return 1
	fi
	return 0
}

json_valid()
{
	command -v python3 >/dev/null || return 0
	python3 -m json.tool "$tmp/out" >/dev/null
}

attr()
{
	mkdir -p "$(dirname "$comp/$1")"
	printf '%s\n' "$2" >"$comp/$1"
	chmod 0400 "$comp/$1"
}

wo()
{
	: >"$comp/$1"
	chmod 0200 "$comp/$1"
}

make_tree()
{
	rm -rf "$root"
	mkdir -p "$comp/last_activation" "$root/beta"
	attr name alpha
	attr backend test
	attr current_version 1
	attr pending_version 'N/A'
	attr activation_capable 1
	attr activation_pending 0
	attr may_reset_cpu 0
	attr cpu_rendezvous 1
	attr force_cpu_rendezvous 1
	attr max_blackout_us 1000000
	attr rendezvous_mode one
	attr state staged
	attr last_error -22
	attr last_fw_status none
	for f in result mode cpus blackout_ns arrival_skew_ns irqoff_max_ns \
		 irqoff_mean_ns action_ns fw_auth_ns fw_exec_ns failed_step \
		 failed_cpu version_before version_after count; do
		attr "last_activation/$f" 0
	done
	attr last_activation/mode one
	attr last_activation/cpus 2
	attr last_activation/blackout_ns 1500
	attr last_activation/irqoff_mean_ns 999
	attr last_activation/failed_step -1
	attr last_activation/version_before 1
	attr last_activation/version_after 2
	attr last_activation/count 3
	for f in image stage stage_firmware activate cancel; do
		wo "$f"
	done
	# A second component with a version that needs escaping in JSON.
	printf 'test\n' >"$root/beta/backend"
	printf 'idle\n' >"$root/beta/state"
	printf 'v"2\\x\001\377\n' >"$root/beta/current_version"
	printf 'N/A\n' >"$root/beta/pending_version"
	printf '0\n' >"$root/beta/activation_capable"
	printf '0\n' >"$root/beta/activation_pending"
	{
		printf 'seq=1 time=12.000000345 component=alpha backend=test '
		printf 'from=1 to=2 result=0 mode=one cpus=2 blackout_ns=1500 '
		printf 'skew_ns=10 irqoff_max_ns=1600 action_ns=300 '
		printf 'failed_step=-1 failed_cpu=-1\n'
		printf 'seq=2 time=13.000000000 component=beta backend=test '
		printf 'from=1.0 (rev A) to=2 result=-110 mode=all cpus=2 '
		printf 'blackout_ns=0 skew_ns=0 irqoff_max_ns=0 action_ns=0 '
		printf 'failed_step=0 failed_cpu=1\n'
	} >"$root/journal"
	chmod 0400 "$root/journal"
}

echo "TAP version 13"
make_tree

run 0 --version && grep -q '^fwactctl ' "$tmp/out"
check "version" [ $? = 0 ]
run 0 --help && grep -q 'activate' "$tmp/out" && grep -q 'Exit status' "$tmp/out"
check "help lists commands and exit status" [ $? = 0 ]
run 0 stage --help && grep -q -- '--firmware NAME' "$tmp/out"
check "command help lists its options" [ $? = 0 ]
run 0 --help stage && grep -q -- '--firmware NAME' "$tmp/out"
check "--help before the command is the command's help" [ $? = 0 ]
run 64 frobnicate && grep -q "unknown command 'frobnicate'" "$tmp/err"
check "unknown command is a usage error (64)" [ $? = 0 ]
run 64
check "no command is a usage error" [ $? = 0 ]
run 64 show
check "missing argument is a usage error" [ $? = 0 ]
run 64 show alpha beta
check "extra argument is a usage error" [ $? = 0 ]
run 64 list --bogus && grep -q "unknown option '--bogus'" "$tmp/err"
check "unknown option is a usage error" [ $? = 0 ]
run 64 list --root
check "option without its argument is a usage error" [ $? = 0 ]

run 0 list && grep -q '^COMPONENT' "$tmp/out" &&
	grep -Eq '^alpha +test +staged +1 +N/A +1 +0$' "$tmp/out" &&
	grep -q '^beta ' "$tmp/out" && ! grep -q journal "$tmp/out"
check "list text" [ $? = 0 ]
run 0 list --json && json_valid && grep -q '"name": "alpha"' "$tmp/out" &&
	grep -q '"activation_capable": true' "$tmp/out" &&
	grep -q '"pending_version": "N/A"' "$tmp/out" &&
	grep -q '"current_version": "v\\"2\\\\x\\u0001\\ufffd"' "$tmp/out"
check "list json, escaped strings" [ $? = 0 ]
run 0 list && grep -q '^beta  *test  *idle  *v"2\\x?' "$tmp/out" &&
	! grep -q "$(printf '\001')" "$tmp/out"
check "list text shows control characters as ?" [ $? = 0 ]
"$FWACTCTL" list --json --root "$tmp/empty" >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] && grep -q 'No such file or directory (ENOENT)' "$tmp/err"
check "missing root is ENOENT (2)" [ $? = 0 ]
mkdir "$tmp/none"
"$FWACTCTL" --root "$tmp/none" --json list >"$tmp/out" 2>"$tmp/err" &&
	[ "$(cat "$tmp/out")" = "[]" ]
check "no component: empty json array" [ $? = 0 ]

run 0 show alpha && grep -Eq '^state +staged$' "$tmp/out" &&
	grep -Eq '^last_activation/blackout_ns +1500$' "$tmp/out" &&
	! grep -q '^image' "$tmp/out" && [ "$(head -n 1 "$tmp/out" | cut -c1-4)" = name ]
check "show text in ABI order without write-only files" [ $? = 0 ]
run 0 show alpha --json && json_valid && grep -q '"last_error": -22' "$tmp/out" &&
	grep -q '"last_activation": {' "$tmp/out" &&
	grep -q '"failed_step": -1' "$tmp/out" &&
	grep -q '"cpu_rendezvous": true' "$tmp/out" &&
	grep -q '"version_after": "2"' "$tmp/out"
check "show json typed and nested" [ $? = 0 ]
attr extra_future_attr hello
run 0 show alpha --json && json_valid && grep -q '"extra_future_attr": "hello"' "$tmp/out"
check "show includes attributes it does not know" [ $? = 0 ]
run 2 show nosuch && grep -q 'fwactctl: show nosuch: No such file or directory (ENOENT)' "$tmp/err"
check "show missing component is ENOENT (2)" [ $? = 0 ]
run 2 show journal
check "show of the journal file is ENOENT" [ $? = 0 ]
run 22 show ../fwact && grep -q '(EINVAL)' "$tmp/err"
check "component name with a slash is EINVAL (22)" [ $? = 0 ]

printf 'FWTSTIMG-small-image' >"$tmp/small.bin"
run 0 stage alpha "$tmp/small.bin" && cmp -s "$tmp/small.bin" "$comp/image" &&
	[ "$(cat "$comp/stage")" = 1 ] &&
	grep -q 'alpha: staged 20 bytes from .*, state staged, pending_version N/A' "$tmp/out"
check "stage FILE writes image then 1 to stage" [ $? = 0 ]
dd if=/dev/urandom of="$tmp/big.bin" bs=1024 count=300 2>/dev/null
wo image
wo stage
run 0 stage alpha "$tmp/big.bin" --json && json_valid &&
	cmp -s "$tmp/big.bin" "$comp/image" && grep -q '"bytes": 307200' "$tmp/out"
check "stage of 300 KiB in chunks, json" [ $? = 0 ]
wo image
wo stage
run 0 stage alpha - <"$tmp/small.bin" && cmp -s "$tmp/small.bin" "$comp/image"
check "stage from standard input" [ $? = 0 ]
wo image
wo stage
: >"$tmp/empty.bin"
run 61 stage alpha "$tmp/empty.bin" &&
	grep -q 'empty image: No data available (ENODATA)' "$tmp/err" &&
	[ ! -s "$comp/stage" ]
check "stage of an empty file is ENODATA and stages nothing" [ $? = 0 ]
run 2 stage alpha "$tmp/nosuch.bin" &&
	grep -q 'nosuch.bin: No such file or directory (ENOENT)' "$tmp/err" &&
	[ ! -s "$comp/stage" ]
check "stage of a missing file is ENOENT" [ $? = 0 ]
run 0 stage alpha --firmware fw-v2.bin &&
	[ "$(cat "$comp/stage_firmware")" = fw-v2.bin ] && [ ! -s "$comp/image" ]
check "stage --firmware writes the name only" [ $? = 0 ]
run 64 stage alpha "$tmp/small.bin" --firmware x
check "stage FILE and --firmware is a usage error" [ $? = 0 ]
run 64 stage alpha
check "stage without FILE is a usage error" [ $? = 0 ]
run 64 stage alpha --firmware ''
check "stage --firmware '' is a usage error" [ $? = 0 ]
ln -sf /dev/full "$comp/stage"
run 28 stage alpha "$tmp/small.bin" &&
	grep -qx 'fwactctl: stage alpha: No space left on device (ENOSPC)' "$tmp/err"
check "stage write error carries its errno" [ $? = 0 ]
rm -f "$comp/stage"
ln -sf /dev/full "$comp/image"
run 28 stage alpha "$tmp/small.bin" && grep -q 'stage alpha: image: .*(ENOSPC)' "$tmp/err"
check "image write error carries its errno" [ $? = 0 ]
wo image
wo stage

run 0 activate alpha && [ "$(cat "$comp/activate")" = 1 ] &&
	grep -q '^alpha: activated, version 1 -> 2$' "$tmp/out" &&
	grep -Eq '^  blackout +1\.500 us$' "$tmp/out" &&
	grep -Eq '^  irq-off mean +0\.999 us$' "$tmp/out" &&
	grep -Eq '^  fw exec time +0\.000 us$' "$tmp/out" &&
	grep -Eq '^  mode +one$' "$tmp/out"
check "activate writes 1 and prints the measurements" [ $? = 0 ]
run 0 activate alpha --json && json_valid && grep -q '"blackout_ns": 1500' "$tmp/out" &&
	grep -q '"component": "alpha"' "$tmp/out" && grep -q '"mode": "one"' "$tmp/out"
check "activate json" [ $? = 0 ]
ln -sf /dev/full "$comp/activate"
run 28 activate alpha &&
	grep -qx 'fwactctl: activate alpha: No space left on device (ENOSPC)' "$tmp/err" &&
	[ ! -s "$tmp/out" ]
check "refused activate: errno, no stale measurements" [ $? = 0 ]
run 2 activate nosuch && grep -q '(ENOENT)' "$tmp/err"
check "activate missing component is ENOENT" [ $? = 0 ]

run 0 cancel alpha && [ "$(cat "$comp/cancel")" = 1 ] &&
	grep -q '^alpha: cancelled, state staged$' "$tmp/out"
check "cancel writes 1" [ $? = 0 ]
ln -sf /dev/full "$comp/cancel"
run 28 cancel alpha --json && [ ! -s "$tmp/out" ]
check "cancel error: errno, nothing on stdout" [ $? = 0 ]

run 0 journal && cmp -s "$tmp/out" "$root/journal"
check "journal text is the file" [ $? = 0 ]
run 0 journal --json && json_valid && grep -q '"seq": 2' "$tmp/out" &&
	grep -q '"time": "12.000000345"' "$tmp/out" &&
	grep -q '"from": "1.0 (rev A)"' "$tmp/out" &&
	grep -q '"result": -110' "$tmp/out" &&
	[ "$(grep -c '"component"' "$tmp/out")" = 2 ]
check "journal json" [ $? = 0 ]
chmod 0600 "$root/journal"
printf 'seq=3 garbage\nnot a record\n' >>"$root/journal"
run 74 journal --json && json_valid &&
	grep -q 'journal: line 4: Bad message (EBADMSG)' "$tmp/err" &&
	grep -q '"seq": "3 garbage"' "$tmp/out"
check "journal json reports a malformed line, keeps the rest" [ $? = 0 ]
rm -f "$root/journal"
run 2 journal
check "missing journal is ENOENT" [ $? = 0 ]

# tdx-info needs no tree; signed images are tested by
# tools/testing/selftests/tdx/tdx_info_check.sh.
fault="$tmp/small.bin: offset 0x14: shorter than its 4 KiB header"
run 22 tdx-info "$tmp/small.bin" && [ ! -s "$tmp/out" ] &&
	grep -qxF "fwactctl: tdx-info: $fault: Invalid argument (EINVAL)" "$tmp/err"
check "tdx-info of a short file is EINVAL, named fault" [ $? = 0 ]
dd if=/dev/zero of="$tmp/zero.bin" bs=4096 count=3 2>/dev/null
fault='offset 0x0: header version is not 0x100 or 0x200'
run 22 tdx-info --json "$tmp/zero.bin" "$tmp/nosuch.bin" && json_valid &&
	grep -qF "\"error\": \"$fault\"" "$tmp/out" &&
	grep -qF "zero.bin: $fault: Invalid argument (EINVAL)" "$tmp/err" &&
	grep -q 'nosuch.bin: No such file or directory (ENOENT)' "$tmp/err"
check "tdx-info json of non-images: every file, first errno" [ $? = 0 ]
run 64 tdx-info
check "tdx-info without FILE is a usage error" [ $? = 0 ]

echo "1..$nr"
[ "$failed" = 0 ] || echo "# $failed of $nr failed"
[ "$failed" = 0 ]
