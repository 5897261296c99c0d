#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything fwact needs to build, check and test on a Debian bookworm
# machine: kernel headers and image, linux-source (kselftest harness,
# checkpatch, KASAN kernel), QEMU, OVMF, busybox, sparse, iasl, cross tools and
# the microcode packages. Idempotent: a second run installs nothing.
set -eu

stamp=/var/lib/fwact-setup.v1
[ -e "$stamp" ] && exit 0

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive

# The microcode packages live in non-free-firmware and contrib.
for f in /etc/apt/sources.list.d/debian.sources; do
	[ -e "$f" ] || continue
	grep -q non-free-firmware "$f" ||
		$SUDO sed -i 's/^Components: main$/Components: main contrib non-free-firmware/' "$f"
done
if [ -e /etc/apt/sources.list ] && ! grep -q non-free-firmware /etc/apt/sources.list; then
	$SUDO sed -i -E 's/^(deb .* main)$/\1 contrib non-free-firmware/' /etc/apt/sources.list
fi
dpkg --print-foreign-architectures | grep -q arm64 || $SUDO dpkg --add-architecture arm64

$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
	build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod \
	rsync xz-utils zstd python3 perl git \
	linux-headers-amd64 linux-image-amd64 linux-source-6.1 linux-kbuild-6.1 \
	sparse acpica-tools busybox-static \
	qemu-system-x86 qemu-system-arm qemu-utils ovmf qemu-efi-aarch64 \
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
	intel-microcode amd64-microcode iucode-tool \
	clang llvm libclang-rt-14-dev
$SUDO touch "$stamp"
