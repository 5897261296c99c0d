#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Host check of fwactctl ucode-info over the installed Debian microcode
# packages: every file must list without error, every Intel file must list
# exactly the signatures, platform masks, dates and revisions that
# iucode_tool --list-all lists (header and extended signatures alike), and
# every AMD file at least one patch.
#
#   FWACTCTL=path/to/fwactctl ucode_info_check.sh SCRATCH_DIR FILE...
set -u

dir=$1
shift
[ $# -gt 0 ] || { echo "ucode_info_check: no microcode files installed"; exit 1; }
fail=0

if ! "$FWACTCTL" ucode-info "$@" > "$dir/ucode-info.txt"; then
	echo "ucode_info_check: fwactctl ucode-info failed"
	exit 1
fi
for f in "$@"; do
	n=$(grep -c "^$f: " "$dir/ucode-info.txt")
	if [ "$n" -eq 0 ]; then
		echo "ucode_info_check: $f: no patch listed"
		fail=1
	fi
done

intel=$(for f in "$@"; do case "$f" in */intel-ucode/*) echo "$f" ;; esac; done)
if [ -n "$intel" ] && command -v iucode_tool > /dev/null; then
	# shellcheck disable=SC2086
	iucode_tool --list-all $intel 2>/dev/null |
		sed -n 's/^ *[0-9/:]* *\(sig 0x[0-9a-f]*, pf_mask 0x[0-9a-f]*, [0-9-]*, rev 0x[0-9a-f]*\).*/\1/p' |
		sort > "$dir/iucode.txt"
	grep '/intel-ucode/' "$dir/ucode-info.txt" |
		sed -n 's/^[^:]*: [0-9]*: \(sig 0x[0-9a-f]*, pf_mask 0x[0-9a-f]*, [0-9-]*, rev 0x[0-9a-f]*\).*/\1/p' |
		sort > "$dir/fwact.txt"
	if ! cmp -s "$dir/iucode.txt" "$dir/fwact.txt"; then
		echo "ucode_info_check: ucode-info and iucode_tool disagree:"
		diff "$dir/iucode.txt" "$dir/fwact.txt" | head -n 20
		fail=1
	fi
	echo "ucode_info_check: $(wc -l < "$dir/fwact.txt") Intel signatures match iucode_tool"
fi
echo "ucode_info_check: $# files, $(wc -l < "$dir/ucode-info.txt") lines, $([ $fail = 0 ] && echo PASS || echo FAIL)"
exit $fail
