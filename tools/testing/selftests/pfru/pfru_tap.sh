# SPDX-License-Identifier: GPL-2.0
#
# TAP helpers the PFRU test scripts source (not a test itself):
# ok RC NAME prints test number n as ok or not ok and remembers a failure
# in $fail; skip REASON skips the whole script (kselftest exit code 4).
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

skip()
{
	echo "1..0 # SKIP $*"
	exit 4
}
