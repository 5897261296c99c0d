#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything fwact needs to build, check and test on a Debian bookworm
# machine: kernel headers and image, linux-source (kselftest harness,
# checkpatch, KASAN kernel), QEMU, OVMF, busybox, sparse, iasl, cross tools and
# the microcode packages; unpack the Linux source to /var/cache/fwact.
# The mainline (7.2, Debian's sid) and 6.12 (trixie) sources are fetched as
# single packages with a private apt configuration: nothing from those
# suites is ever installed or upgraded on the machine.
# Idempotent: every step checks what is there first, so a second run installs
# nothing and takes a second, and a half-finished machine is completed.
set -eu

SUDO=
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
cache=/var/cache/fwact

packages="build-essential bc bison flex libelf-dev libssl-dev dwarves cpio kmod
	rsync xz-utils zstd python3 perl git file
	linux-headers-amd64 linux-image-amd64 linux-source-6.1 linux-kbuild-6.1
	sparse acpica-tools busybox-static
	qemu-system-x86 qemu-system-arm qemu-utils ovmf qemu-efi-aarch64
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross device-tree-compiler
	intel-microcode amd64-microcode iucode-tool
	clang llvm libclang-rt-14-dev openssl"

setup_apt_sources()
{
	local f changed=1

	# The microcode packages live in non-free-firmware and contrib.
	for f in /etc/apt/sources.list.d/debian.sources; do
		[ -e "$f" ] || continue
		grep -q non-free-firmware "$f" && continue
		$SUDO sed -i 's/^Components: main$/Components: main contrib non-free-firmware/' "$f"
		changed=0
	done
	if [ -e /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list &&
	   ! grep -q non-free-firmware /etc/apt/sources.list; then
		$SUDO sed -i -E 's/^(deb .* main)$/\1 contrib non-free-firmware/' /etc/apt/sources.list
		changed=0
	fi
	# arm64 packages (kernel, headers, busybox) for the arm64 guest.
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$SUDO dpkg --add-architecture arm64
		changed=0
	fi
	return $changed
}

setup_packages_missing()
{
	local p

	for p in $packages; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
			echo "$p"
	done
}

setup_packages()
{
	local missing updated=0

	setup_apt_sources && { $SUDO apt-get update -qq; updated=1; }
	missing=$(setup_packages_missing)
	[ -n "$missing" ] || return 0
	echo "setup: installing:" $missing
	[ "$updated" = 1 ] || $SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
}

# The Linux source: kselftest harness, checkpatch.pl, the debug kernel.
setup_linux_source()
{
	local tarball=/usr/src/linux-source-6.1.tar.xz tmp

	[ -f "$cache/linux-source-6.1/Makefile" ] &&
		[ -f "$cache/linux-source-6.1/scripts/checkpatch.pl" ] && return 0
	[ -f "$tarball" ] || { echo "setup: $tarball missing" >&2; return 1; }
	echo "setup: unpacking $tarball into $cache"
	$SUDO mkdir -p "$cache"
	tmp=$(mktemp -d "$cache/src.XXXXXX")
	$SUDO tar -C "$tmp" -xJf "$tarball"
	$SUDO rm -rf "$cache/linux-source-6.1"
	$SUDO mv "$tmp/linux-source-6.1" "$cache/linux-source-6.1"
	$SUDO rmdir "$tmp"
}

# apt-get with the private configuration of Debian suite $1, in
# $cache/apt-$1, apart from the machine's own apt state: its index is read
# and its packages are fetched (and verified) there; nothing is installed.
suite_apt()
{
	local dir=$cache/apt-$1

	shift
	$SUDO apt-get -qq -o "Dir::Etc::SourceList=$dir/sources.list" \
		-o Dir::Etc::SourceParts=/dev/null -o "Dir::State::Lists=$dir/lists" \
		-o "Dir::Cache=$dir/cache" -o APT::Get::List-Cleanup=0 \
		-o APT::Sandbox::User=root "$@"
}

# The suite's binary and source index, fetched once per setup run.
suite_apt_ready()
{
	local suite=$1 dir=$cache/apt-$1

	case " $suites_ready " in *" $suite "*) return 0 ;; esac
	$SUDO mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/deb"
	printf 'deb http://deb.debian.org/debian %s main\ndeb-src http://deb.debian.org/debian %s main\n' \
		"$suite" "$suite" | $SUDO tee "$dir/sources.list" > /dev/null
	suite_apt "$suite" update
	suites_ready="$suites_ready $suite"
}
suites_ready=

# Download one source package of another suite and unpack its tarball into
# the cache, as $cache/linux-source-$ver.
setup_suite_source()
{
	local suite=$1 ver=$2 dir=$cache/apt-$1 deb tmp

	[ -f "$cache/linux-source-$ver/Makefile" ] &&
		[ -f "$cache/linux-source-$ver/scripts/checkpatch.pl" ] && return 0
	echo "setup: fetching linux-source-$ver from Debian $suite (not installed)"
	suite_apt_ready "$suite"
	deb=$(ls "$dir"/deb/linux-source-"${ver}"_*_all.deb 2>/dev/null | tail -n1)
	if [ -z "$deb" ]; then
		(cd "$dir/deb" && suite_apt "$suite" download "linux-source-$ver")
		deb=$(ls "$dir"/deb/linux-source-"${ver}"_*_all.deb | tail -n1)
	fi
	tmp=$(mktemp -d "$cache/src.XXXXXX")
	dpkg-deb --fsys-tarfile "$deb" |
		tar -C "$tmp" -xf - "./usr/src/linux-source-$ver.tar.xz"
	tar -C "$tmp" -xJf "$tmp/usr/src/linux-source-$ver.tar.xz"
	$SUDO rm -rf "$cache/linux-source-$ver"
	$SUDO mv "$tmp/linux-source-$ver" "$cache/linux-source-$ver"
	basename "$deb" | $SUDO tee "$cache/linux-source-$ver/.fwact-deb" > /dev/null
	$SUDO rm -rf "$tmp"
}

# sparse new enough for Linux 7.2 (it checks for __typeof_unqual__;
# bookworm's 0.6.4 fails that and 7.2 then skips C=2 with a warning): built
# from sid's source package into $cache/sparse, used by make check alone
# (with the host's gcc: Debian's patch names gcc-16).
setup_sparse()
{
	local tmp

	[ -x "$cache/sparse/sparse" ] && return 0
	echo "setup: building sparse from Debian sid's source package into $cache/sparse"
	suite_apt_ready sid
	tmp=$(mktemp -d "$cache/sparse.XXXXXX")
	# apt checked the files against sid's signed Sources index.
	(cd "$tmp" && suite_apt sid source --download-only sparse &&
		dpkg-source -q --no-check -x sparse_*.dsc src > build.log 2>&1 &&
		make -s -C src -j"$(nproc)" CC=gcc sparse >> build.log 2>&1) ||
		{ cat "$tmp/build.log" >&2; return 1; }
	$SUDO rm -rf "$cache/sparse"
	$SUDO mv "$tmp/src" "$cache/sparse"
	$SUDO rm -rf "$tmp"
}

setup_packages
setup_linux_source
setup_suite_source sid 7.2
setup_suite_source trixie 6.12
setup_sparse
