#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the KASAN + lockdep + kmemleak guest kernel from the Linux
# 7.2 source and print the directory of its build tree. The tree is cached
# in /var/cache/fwact/kasan-<hash>/, keyed on the config fragment and the
# source version, and kept whole because fwact's modules are built against
# it. Concurrent callers wait on a lock instead of building twice.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
frag=$here/kasan.config
src=${FWACT_DEBUG_SRC:-/var/cache/fwact/linux-source-7.2}
cache=${FWACT_CACHE:-/var/cache/fwact}

[ -f "$src/Makefile" ] || { echo "kasan-kernel: no Linux source in $src (run scripts/setup.sh)" >&2; exit 1; }

srcver="$(make -s -C "$src" kernelversion 2>/dev/null) $(cat "$src/.fwact-deb" 2>/dev/null || true)"
hash=$( { cat "$frag"; echo "$srcver"; } | sha256sum | cut -c1-12)
out=$cache/kasan-$hash

mkdir -p "$cache"
exec 9>"$cache/kasan.lock"
flock 9

if [ -e "$out/.fwact-done" ]; then
	echo "$out"
	exit 0
fi

# Check that every option of the fragment survived Kconfig: a typo or an
# unmet dependency must not silently drop a debugging feature.
kasan_config_verify() {
	local line opt val bad=0

	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			opt=${line%%=*}
			val=${line#*=}
			grep -qx "$opt=$val" "$out/.config" || {
				echo "kasan-kernel: $opt=$val did not stick" >&2
				bad=1
			}
			;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }
			opt=${opt%% *}
			if grep -q "^$opt=" "$out/.config"; then
				echo "kasan-kernel: $opt should be off" >&2
				bad=1
			fi
			;;
		esac
	done < "$frag"
	return $bad
}

rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
echo "kasan-kernel: building $srcver in $out" >&2
KCONFIG_ALLCONFIG=$frag make -s -C "$src" O="$out" allnoconfig >&2
kasan_config_verify
make -s -C "$src" O="$out" -j"$(nproc)" bzImage modules >&2
cp "$frag" "$out/fwact-kasan.config"
echo "$(( $(date +%s) - start ))" > "$out/.fwact-build-seconds"
touch "$out/.fwact-done"
echo "kasan-kernel: built in $(( $(date +%s) - start ))s" >&2
echo "$out"
