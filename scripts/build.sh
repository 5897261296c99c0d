#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build one flavour of fwact out of the source tree, for make test, make
# check and the VM harness. The tree is copied (without .git and build/) to
# build/<kernel>-<flavour>/src so that nothing is built inside the
# checkout; the core and backends are built against the chosen kernel,
# then (test flavour) every tools/testing/selftests/*/modules/ directory
# against the core's Module.symvers. All .ko files end up in
# build/<kernel>-<flavour>/modules/ with a load-order file: fwact.ko, the
# production backends, then the test modules, each group alphabetical.
#
#   build.sh modules KERNEL FLAVOUR [make args...]   KERNEL: debian|kasan|arm64|
#                                                    6.12|7.2 (compile only)
#                                                    FLAVOUR: prod|test
#   build.sh user ARCH                               ARCH: x86_64|arm64
#   build.sh kdir KERNEL                             print the kernel build dir
#   build.sh kdir-check DIR                          is DIR a prepared kernel tree?
#   build.sh kimage KERNEL                           print the kernel image
#
# Any compiler or make failure makes the exit status non-zero; a failing
# test module or selftest directory does not stop the others from being
# built, so that the rest can still run (and the failure is still counted).
#
# arm64 has the core and the selftest directories of FWACT_ARM64_DIRS
# only: the PFRU and microcode backends and their tests are x86 code.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out_root=${FWACT_BUILD:-$repo/build}
cache=${FWACT_CACHE:-/var/cache/fwact}
arm64_dirs=${FWACT_ARM64_DIRS:-fwact lfa}
# Parallel make, as the kernel builds (FWACT_JOBS=1 for a serial log).
jobs=${FWACT_JOBS:-$(nproc)}

die()
{
	echo "build: $*" >&2
	exit 1
}

# Newest Debian 6.1 amd64 headers that have the matching kernel image.
debian_kver()
{
	local d v best=

	for d in /usr/src/linux-headers-6.1.*-amd64; do
		[ -d "$d" ] || continue
		v=${d#/usr/src/linux-headers-}
		[ -r "/boot/vmlinuz-$v" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$v" | sed '/^$/d' | sort -V | tail -n1)
	done
	[ -n "$best" ] || die "no /usr/src/linux-headers-6.1.*-amd64 with /boot/vmlinuz (run scripts/setup.sh)"
	echo "$best"
}

kernel_kdir()
{
	case "$1" in
	debian)	echo "/usr/src/linux-headers-$(debian_kver)" ;;
	kasan)	"$repo/tools/testing/vm/kasan-kernel.sh" ;;
	arm64)	"$repo/tools/testing/vm/arm64-kernel.sh" kdir ;;
	6.12|7.2) "$repo/scripts/kernel-prepare.sh" "$1" ;;
	*)	die "unknown kernel '$1'" ;;
	esac
}

# Is $1 a kernel tree that external modules can be built against? One
# clear line naming what is missing, not a compiler error.
kdir_check()
{
	local kdir=$1

	if [ ! -f "$kdir/Makefile" ]; then
		die "no kernel tree at $kdir: run make setup (scripts/setup.sh), or give KDIR= a prepared kernel build directory"
	fi
	if [ ! -f "$kdir/include/generated/autoconf.h" ] ||
	   [ ! -x "$kdir/scripts/mod/modpost" ]; then
		die "kernel tree $kdir is not prepared (no include/generated/autoconf.h or scripts/mod/modpost): run make modules_prepare in it, or make setup for the trees fwact uses"
	fi
}

kernel_image()
{
	case "$1" in
	debian)	echo "/boot/vmlinuz-$(debian_kver)" ;;
	kasan)	echo "$("$repo/tools/testing/vm/kasan-kernel.sh")/arch/x86/boot/bzImage" ;;
	arm64)	"$repo/tools/testing/vm/arm64-kernel.sh" image ;;
	*)	die "unknown kernel '$1'" ;;
	esac
}

kernel_arch_args()
{
	[ "$1" = arm64 ] && echo "ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"
	return 0
}

# Is the selftest directory $2 built for kernel or arch $1?
selftest_wanted()
{
	local name

	[ "$1" = arm64 ] || return 0
	name=$(basename "$(cd "$2" && pwd)")
	case " $arm64_dirs " in *" $name "*) return 0 ;; esac
	return 1
}

tree_copy()
{
	mkdir -p "$2"
	rsync -a --delete --exclude /.git --exclude /build \
		--exclude '*.o' --exclude '*.ko' --exclude '.*.cmd' "$1/" "$2/"
}

modules_build()
{
	local kernel=$1 flavour=$2
	shift 2
	local dir=$out_root/$kernel-$flavour kdir src cfg kcflags m d failed=0

	kdir=$(kernel_kdir "$kernel")
	kdir_check "$kdir"
	src=$dir/src
	tree_copy "$repo" "$src"
	# Objects are kept between builds; modules are linked again, so that a
	# renamed module leaves no stale .ko behind to be loaded.
	find "$src" -name '*.ko' -delete
	cfg="CONFIG_FWACT=m CONFIG_FWACT_PFRU=m CONFIG_FWACT_MICROCODE=m CONFIG_FWACT_TDX=m"
	[ "$kernel" != arm64 ] || cfg="CONFIG_FWACT=m CONFIG_FWACT_LFA=m"
	kcflags="-I$src/include"
	# compat/include/ first: what older kernels lack (compat/fwact-compat.h).
	nostdinc="-nostdinc -I$src/compat/include"
	if [ "$flavour" = test ]; then
		cfg="$cfg CONFIG_FWACT_TEST_HOOKS=y"
		kcflags="$kcflags -DCONFIG_FWACT_TEST_HOOKS"
		# The KUnit suites, where the kernel has KUnit.
		if grep -q '^CONFIG_KUNIT=y' "$kdir/.config" 2>/dev/null; then
			cfg="$cfg CONFIG_FWACT_KUNIT_TEST=m"
			[ "$kernel" = arm64 ] ||
				cfg="$cfg CONFIG_FWACT_PFRU_KUNIT_TEST=m
				     CONFIG_FWACT_MICROCODE_KUNIT_TEST=m
				     CONFIG_FWACT_TDX_KUNIT_TEST=m
				     CONFIG_FWACT_LFA_KUNIT_TEST=m"
		fi
	fi
	# -k: a backend that fails to build must not hide the others' errors.
	# shellcheck disable=SC2046
	make -k -j"$jobs" -C "$kdir" M="$src" $cfg $(kernel_arch_args "$kernel") \
		NOSTDINC_FLAGS="$nostdinc" KCFLAGS="$kcflags" "$@" modules || {
		echo "build: FAILED: the core or a backend (${kernel}, $flavour)" >&2
		failed=1
	}

	rm -rf "$dir/modules"
	mkdir -p "$dir/modules"
	[ -f "$src/drivers/firmware/fwact/fwact.ko" ] || die "fwact.ko was not built"
	echo fwact.ko > "$dir/modules/load-order"
	cp "$src/drivers/firmware/fwact/fwact.ko" "$dir/modules/"
	for m in $(find "$src/drivers" -name '*.ko' ! -name fwact.ko -printf '%f\n' | sort); do
		cp "$(find "$src/drivers" -name "$m" | head -n1)" "$dir/modules/"
		# A KUnit suite runs when its test loads it, not at boot.
		[[ "$m" == *-kunit.ko ]] || echo "$m" >> "$dir/modules/load-order"
	done
	[ "$flavour" = test ] || return $failed

	for d in "$src"/tools/testing/selftests/*/modules; do
		[ -f "$d/Kbuild" ] || [ -f "$d/Makefile" ] || continue
		selftest_wanted "$kernel" "$d/.." || continue
		# shellcheck disable=SC2046
		make -j"$jobs" -C "$kdir" M="$d" $cfg $(kernel_arch_args "$kernel") \
			KBUILD_EXTRA_SYMBOLS="$src/Module.symvers" \
			NOSTDINC_FLAGS="$nostdinc" KCFLAGS="$kcflags" "$@" modules || {
			echo "build: FAILED: test modules in ${d#"$src"/}" >&2
			failed=1
			continue
		}
		for m in $(find "$d" -name '*.ko' -printf '%f\n' | sort); do
			cp "$(find "$d" -name "$m" | head -n1)" "$dir/modules/"
			echo "$m" >> "$dir/modules/test-order"
		done
	done
	if [ -f "$dir/modules/test-order" ]; then
		sort "$dir/modules/test-order" >> "$dir/modules/load-order"
		rm -f "$dir/modules/test-order"
	fi
	echo "build: $kernel-$flavour modules: $(tr '\n' ' ' < "$dir/modules/load-order")" >&2
	return $failed
}

# Static user-space programs: every selftest directory and fwactctl. Each
# directory's programs go to build/user-ARCH/tests/DIR/ (the guest
# harness runs its ksft.list) and are installed the kselftest way in
# build/user-ARCH/ksft/ with the kernel's run_kselftest.sh and
# kselftest-list.txt (make install and make emit_tests of lib.mk), for
# the kernel's own runner.
user_build()
{
	local arch=$1 dir=$out_root/user-$1 src cc t name failed=0
	local ksft=$cache/linux-source-6.1/tools/testing/selftests

	src=$dir/src
	tree_copy "$repo" "$src"
	case "$arch" in
	x86_64)	cc=gcc ;;
	arm64)	cc=aarch64-linux-gnu-gcc ;;
	*)	die "unknown arch '$arch'" ;;
	esac
	rm -rf "${dir:?}/tests" "${dir:?}/bin" "${dir:?}/ksft"
	mkdir -p "$dir/tests" "$dir/bin" "$dir/ksft"
	for t in "$src"/tools/testing/selftests/*/Makefile; do
		[ -f "$t" ] || continue
		t=$(dirname "$t")
		name=$(basename "$t")
		selftest_wanted "$arch" "$t" || continue
		mkdir -p "$dir/tests/$name"
		if ! make -j"$jobs" -C "$t" CC="$cc" OUTPUT="$dir/tests/$name" \
			KSFT="$ksft" ||
		   [ ! -f "$dir/tests/$name/ksft.list" ]; then
			echo "build: FAILED: selftests in ${t#"$src"/} (no programs or no ksft.list)" >&2
			failed=1
		fi
		# The same programs installed the kselftest way, for the
		# kernel's own runner (run_kselftest.sh, kselftest-list.txt).
		if ! make -s -C "$t" CC="$cc" OUTPUT="$dir/tests/$name" \
			KSFT="$ksft" INSTALL_PATH="$dir/ksft/$name" install ||
		   ! make -s --no-print-directory -C "$t" CC="$cc" \
			OUTPUT="$dir/tests/$name" KSFT="$ksft" \
			COLLECTION="$name" emit_tests >> "$dir/ksft/kselftest-list.txt"; then
			echo "build: FAILED: kselftest install of ${t#"$src"/}" >&2
			failed=1
		fi
		# make bench runs bench.list; its programs come from the Makefile.
		if [ -f "$t/bench.list" ] && [ ! -f "$dir/tests/$name/bench.list" ]; then
			cp "$t/bench.list" "$dir/tests/$name/"
		fi
	done
	cp "$ksft/run_kselftest.sh" "$dir/ksft/"
	cp -r "$ksft/kselftest" "$dir/ksft/"
	if [ -f "$src/tools/fwact/Makefile" ]; then
		# CRYPTO=0: the guest needs no tdx-info signature checks,
		# and libc alone keeps the static binary small.
		if ! make -j"$jobs" -C "$src/tools/fwact" CC="$cc" STATIC=1 CRYPTO=0 OUTPUT="$dir/bin" ||
		   ! file "$dir/bin/fwactctl" | grep -q 'statically linked'; then
			echo "build: FAILED: static fwactctl" >&2
			failed=1
		fi
	fi
	return $failed
}

case "${1:-}" in
modules)
	[ $# -ge 3 ] || die "usage: build.sh modules KERNEL FLAVOUR [make args]"
	shift
	modules_build "$@"
	;;
user)
	user_build "${2:-x86_64}"
	;;
kdir)
	kernel_kdir "$2"
	;;
kdir-check)
	kdir_check "$2"
	;;
kimage)
	kernel_image "$2"
	;;
*)
	die "usage: build.sh modules|user|kdir|kimage ..."
	;;
esac
