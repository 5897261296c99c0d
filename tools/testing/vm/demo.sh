#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make run: the demonstration that runs inside the guest. Each part is a
# script in demo.d/ (copied to /fwact/demo.d/), run in name order; the demo
# fails if any part fails, so a broken activation path is never shown as a
# success.

rc=0
for part in /fwact/demo.d/*.sh; do
	[ -f "$part" ] || continue
	echo
	echo "######## demo: $(basename "$part")"
	if sh "$part"; then
		echo "######## demo: $(basename "$part"): OK"
	else
		echo "######## demo: $(basename "$part"): FAILED"
		rc=1
	fi
done
exit $rc
