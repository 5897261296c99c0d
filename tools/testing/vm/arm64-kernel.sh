#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fetch (once) what the arm64 guest needs into /var/cache/fwact/arm64/:
# Debian's arm64 kernel image and headers of the same ABI as the amd64
# kernel installed here, and the arm64 busybox-static, downloaded with
# apt-get download and unpacked with dpkg -x. The headers' scripts/ and
# tools/ links point at the host's native linux-kbuild-6.1, so modules can
# be cross-built with ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-.
#
#   arm64-kernel.sh kdir|image|busybox     print that path
set -euo pipefail

cache=${FWACT_CACHE:-/var/cache/fwact}/arm64

die()
{
	echo "arm64-kernel: $*" >&2
	exit 1
}

# The ABI of the newest amd64 headers installed, e.g. 6.1.0-56.
abi=$(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sed 's|.*/linux-headers-||; s|-amd64$||' |
	sort -V | tail -n 1)
[ -n "$abi" ] || die "no amd64 headers installed (run scripts/setup.sh)"
root=$cache/$abi
kdir=$root/usr/src/linux-headers-$abi-arm64

arm64_fetch()
{
	local tmp p deb

	dpkg --print-foreign-architectures | grep -qx arm64 ||
		die "arm64 is not a dpkg architecture here (run scripts/setup.sh)"
	tmp=$(mktemp -d "$cache/fetch.XXXXXX")
	chmod 755 "$tmp"
	(
		cd "$tmp" || exit 1
		for p in "linux-image-$abi-arm64:arm64" "linux-headers-$abi-arm64:arm64" \
			"linux-headers-$abi-common" busybox-static:arm64; do
			apt-get download -q "$p" > /dev/null || {
				apt-get update -qq && apt-get download -q "$p" > /dev/null
			} || exit 1
		done
	) || { rm -rf "$tmp"; die "apt-get download failed"; }
	rm -rf "$root"
	mkdir -p "$root"
	for deb in "$tmp"/*.deb; do
		dpkg -x "$deb" "$root"
	done
	rm -rf "$tmp"
	ln -sfn /usr/lib/linux-kbuild-6.1/scripts "$kdir/scripts"
	ln -sfn /usr/lib/linux-kbuild-6.1/tools "$kdir/tools"
	[ -f "$kdir/Makefile" ] || die "no headers in $kdir"
	touch "$root/.fwact-done"
}

mkdir -p "$cache"
exec 9>"$cache/fetch.lock"
flock 9
[ -e "$root/.fwact-done" ] || arm64_fetch

case "${1:-kdir}" in
kdir)		echo "$kdir" ;;
image)		echo "$root/boot/vmlinuz-$abi-arm64" ;;
busybox)	echo "$root/bin/busybox" ;;
*)		die "usage: arm64-kernel.sh kdir|image|busybox" ;;
esac
