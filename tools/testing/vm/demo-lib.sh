# SPDX-License-Identifier: GPL-2.0
#
# What the parts of the make run demo (demo.d/*.sh) share; each part
# sources it from the directory above its own.

demo_fail()
{
	echo "demo: $*"
	exit 1
}

# demo_show DIR FILE...: each file of DIR with what it reads.
demo_show()
{
	local dir=$1 f

	shift
	for f in "$@"; do
		printf '    %-26s %s\n' "$f" "$(cat "$dir/$f" 2>&1)"
	done
}

# demo_measurements DIR: every file of the component DIR's last_activation/.
demo_measurements()
{
	local f

	echo "== measurements of the activation ($1/last_activation/)"
	for f in "$1"/last_activation/*; do
		printf '    %-26s %s\n' "$(basename "$f")" "$(cat "$f")"
	done
}
