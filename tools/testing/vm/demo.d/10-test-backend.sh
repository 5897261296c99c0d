#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Demo part: stage and activate an image end to end through
# /sys/firmware/fwact/ on the "test-one" component of fwact_testmod (an
# emulated firmware whose activation holds one CPU), then show the
# activation's measurements and the journal. The image is the version 2
# test image from tools/testing/selftests/fwact/firmware/, in the format of
# fwact_testmod.h (24-byte header, version at offset 8).

comp=test-one
dir=/sys/firmware/fwact/$comp
img=/lib/firmware/fwact-testmod-v2.bin

. "$(dirname "$0")/../demo-lib.sh"

[ -d "$dir" ] || demo_fail "no $dir: is fwact_testmod loaded?"
[ -f "$img" ] || demo_fail "no $img"
want=$(od -An -tu4 -j8 -N4 "$img" | tr -d ' ')

echo "== $comp before the update"
demo_show "$dir" name backend current_version pending_version state \
	activation_capable cpu_rendezvous rendezvous_mode max_blackout_us

echo "== upload $img ($(wc -c < "$img") bytes, version $want) to $dir/image, then stage it"
cat "$img" > "$dir/image" || demo_fail "writing the image failed"
echo 1 > "$dir/stage" || demo_fail "staging failed: last_error=$(cat "$dir/last_error")"
demo_show "$dir" state pending_version activation_pending

echo "== activate"
echo 1 > "$dir/activate" || demo_fail "activate failed: last_error=$(cat "$dir/last_error")"
n=0
while [ "$(cat "$dir/state")" = activating ] && [ $n -lt 100 ]; do
	sleep 0.1
	n=$((n + 1))
done
demo_show "$dir" state current_version pending_version last_error last_fw_status

demo_measurements "$dir"

echo "== journal (/sys/firmware/fwact/journal)"
sed 's/^/    /' /sys/firmware/fwact/journal

if command -v fwactctl > /dev/null; then
	echo "== fwactctl show $comp"
	fwactctl show "$comp" | sed 's/^/    /'
fi

[ "$(cat "$dir/state")" = activated ] || demo_fail "state is $(cat "$dir/state"), not activated"
[ "$(cat "$dir/last_activation/result")" = 0 ] || demo_fail "the activation did not succeed"
[ "$(cat "$dir/current_version")" = "$want" ] ||
	demo_fail "current_version is $(cat "$dir/current_version"), not $want"
echo "== $comp now runs version $want"
