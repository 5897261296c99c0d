#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Prepare (once) a Linux source tree for building external modules against
# it, for make check's compile-only kernels, and print its build directory:
#
#   kernel-prepare.sh VERSION        e.g. 6.12 or 7.2
#
# The source is /var/cache/fwact/linux-source-VERSION (scripts/setup.sh
# unpacks it). It is configured as the debug guest kernel is (allnoconfig
# plus tools/testing/vm/kasan.config), then "make modules_prepare" runs in
# /var/cache/fwact/prep-VERSION-<hash>, keyed on the fragment and the
# source package. Such a tree has no Module.symvers: modules build, but
# modpost cannot resolve their imports (check.sh knows).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${FWACT_CACHE:-/var/cache/fwact}
frag=$repo/tools/testing/vm/kasan.config
ver=${1:?usage: kernel-prepare.sh VERSION}
src=$cache/linux-source-$ver

[ -f "$src/Makefile" ] || {
	echo "kernel-prepare: no Linux $ver source in $src: run make setup (scripts/setup.sh)" >&2
	exit 1
}
hash=$( { cat "$frag"; cat "$src/.fwact-deb" 2>/dev/null || true; } | sha256sum | cut -c1-12)
out=$cache/prep-$ver-$hash

mkdir -p "$cache"
exec 9>"$cache/prep-$ver.lock"
flock 9
if [ ! -e "$out/.fwact-done" ]; then
	rm -rf "$out"
	mkdir -p "$out"
	start=$SECONDS
	echo "kernel-prepare: configuring and preparing Linux $ver in $out" >&2
	KCONFIG_ALLCONFIG=$frag make -s -C "$src" O="$out" allnoconfig >&2
	make -s -C "$src" O="$out" -j"$(nproc)" modules_prepare >&2
	touch "$out/.fwact-done"
	echo "kernel-prepare: done in $((SECONDS - start))s" >&2
fi
echo "$out"
