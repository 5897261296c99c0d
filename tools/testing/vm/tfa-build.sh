#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build Trusted Firmware-A for QEMU virt (PLAT=qemu) with fwact's emulated
# LFA agent (tools/testing/lfa/tf-a/), booting Debian's arm64 kernel
# (arm64-kernel.sh image) as BL33, and print the path of qemu_fw.rom.
#
# The source is Debian trixie's arm-trusted-firmware source package
# (2.12.1+dfsg-1 if trixie still serves it, else trixie's version, which
# must have plat/qemu), fetched once with apt-get source through a private
# apt configuration that has only trixie's deb-src line (nothing from
# trixie is ever installed or upgraded) and unpacked into
# ${FWACT_CACHE:-/var/cache/fwact}/tf-a/src-<version>/. Each build copies
# that tree to tf-a/build-<hash>/, applies lfa-emu.patch, adds the agent's
# sources and lfa_test_smc.h, and runs make; <hash> covers everything that
# goes into the ROM (our sources, the patch, this script, the kernel image,
# the make options), so the ROM is rebuilt only when one of them changes.
#
#   tfa-build.sh            fetch/build as needed, print the ROM path
#   tfa-build.sh --src      print the unpacked source tree (fetch if needed)
#
# Environment: TFA_MAKE_ARGS, extra make options (e.g. DEBUG=1
# QEMU_USE_GIC_DRIVER=QEMU_GICV3); they are part of the hash.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
cache=${FWACT_CACHE:-/var/cache/fwact}/tf-a
lfa=$repo/tools/testing/lfa/tf-a
smc_h=$repo/tools/testing/selftests/lfa/lfa_test_smc.h
pkg=arm-trusted-firmware
want_ver=2.12.1+dfsg-1
cross=aarch64-linux-gnu-

die()
{
	echo "tfa-build: $*" >&2
	exit 1
}

# apt-get with the private trixie deb-src configuration in $cache/apt.
tfa_apt()
{
	apt-get -qq -o "Dir::Etc::SourceList=$cache/apt/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$cache/apt/lists" \
		-o "Dir::Cache=$cache/apt/cache" -o APT::Get::List-Cleanup=0 \
		-o APT::Sandbox::User=root "$@"
}

# The unpacked source tree, fetched and unpacked once.
tfa_src()
{
	local d tmp ver

	d=$(ls -d "$cache"/src-*/ 2>/dev/null | sort -V | tail -n 1)
	if [ -n "$d" ] && [ -e "$d/.fwact-done" ]; then
		echo "${d%/}"
		return 0
	fi
	command -v dpkg-source > /dev/null || die "dpkg-source missing (apt-get install dpkg-dev)"
	mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial"
	echo 'deb-src http://deb.debian.org/debian trixie main' > "$cache/apt/sources.list"
	echo "tfa-build: fetching the $pkg source package from Debian trixie" >&2
	tfa_apt update || die "apt-get update (trixie deb-src) failed"
	tmp=$(mktemp -d "$cache/fetch.XXXXXX")
	# apt checks the files against trixie's signed Sources index.
	(cd "$tmp" && { tfa_apt source --download-only "$pkg=$want_ver" ||
			tfa_apt source --download-only "$pkg"; }) ||
		{ rm -rf "$tmp"; die "apt-get source $pkg failed"; }
	(cd "$tmp" && dpkg-source -q --no-check -x ./"${pkg}"_*.dsc src > unpack.log 2>&1) ||
		{ cat "$tmp/unpack.log" >&2; rm -rf "$tmp"; die "dpkg-source -x failed"; }
	[ -d "$tmp/src/plat/qemu/qemu" ] || { rm -rf "$tmp"; die "the $pkg source has no plat/qemu"; }
	ver=$(ls "$tmp"/"${pkg}"_*.dsc | sed 's|.*/[^_]*_||; s|\.dsc$||')
	rm -rf "$cache/src-$ver"
	mv "$tmp/src" "$cache/src-$ver"
	touch "$cache/src-$ver/.fwact-done"
	rm -rf "$tmp"
	echo "$cache/src-$ver"
}

# Everything that goes into the ROM, as one hash.
tfa_hash()
{
	local src=$1 bl33=$2

	{
		echo "$src"
		echo "${TFA_MAKE_ARGS:-}"
		stat -c '%n %s %Y' "$bl33"
		(cd "$lfa" && find . -type f ! -name '*.rst' | sort | xargs sha256sum)
		sha256sum "$smc_h" "$here/tfa-build.sh"
	} | sha256sum | cut -c1-12
}

tfa_build()
{
	local src=$1 bl33=$2 dir=$3 rc=0

	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	cp -a "$src/." "$dir.tmp/"
	(cd "$dir.tmp" && patch -s -p1 < "$lfa/lfa-emu.patch") || die "lfa-emu.patch does not apply to $src"
	cp -r "$lfa/services" "$lfa/include" "$dir.tmp/"
	cp "$smc_h" "$dir.tmp/services/std_svc/lfa_emu/"
	echo "tfa-build: building TF-A (PLAT=qemu LFA_EMU=1) in $dir" >&2
	# shellcheck disable=SC2086
	make -C "$dir.tmp" -j"$(nproc)" CROSS_COMPILE=$cross PLAT=qemu \
		ARM_LINUX_KERNEL_AS_BL33=1 BL33="$bl33" LFA_EMU=1 \
		${TFA_MAKE_ARGS:-} all fip > "$dir.tmp/fwact-build.log" 2>&1 || rc=$?
	if [ "$rc" != 0 ]; then
		tail -n 40 "$dir.tmp/fwact-build.log" >&2
		die "make failed (log: $dir.tmp/fwact-build.log)"
	fi
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
}

command -v "${cross}gcc" > /dev/null || die "${cross}gcc missing (run scripts/setup.sh)"
mkdir -p "$cache"
exec 9>"$cache/lock"
flock 9

src=$(tfa_src)
if [ "${1:-}" = --src ]; then
	echo "$src"
	exit 0
fi
bl33=$("$here/arm64-kernel.sh" image) || die "no arm64 kernel image"
[ -r "$bl33" ] || die "cannot read $bl33"
dir=$cache/build-$(tfa_hash "$src" "$bl33")
rom=$(ls "$dir"/build/qemu/*/qemu_fw.rom 2>/dev/null | head -n 1 || true)
if [ -z "$rom" ]; then
	start=$(date +%s)
	tfa_build "$src" "$bl33" "$dir"
	rom=$(ls "$dir"/build/qemu/*/qemu_fw.rom 2>/dev/null | head -n 1 || true)
	[ -n "$rom" ] || die "no qemu_fw.rom in $dir/build/qemu"
	echo "tfa-build: built in $(( $(date +%s) - start ))s" >&2
	# Older builds are of no use any more.
	for d in "$cache"/build-*; do
		[ "$d" = "$dir" ] || rm -rf "$d"
	done
fi
echo "$rom"
