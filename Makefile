# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of fwact against installed kernel headers.
#
#   make            production modules and the user-space tools
#   make check      W=1, sparse (C=2) and checkpatch --strict, zero findings,
#                   plus the check targets of tools/fwact and the selftests
#   make test       set up the machine, make check, build both flavours for
#                   the Debian and the KASAN kernel, run the guest suite
#   make run        set up the machine, boot a guest, show an activation;
#                   then the same on arm64 with an LFA activation (run-arm64)
#   make bench      boot a guest and run the selftests' bench.list programs
#   make bench-arm64 the same in an arm64 guest on TF-A with the emulated
#                   LFA agent: adds an LFA activation beside stop_machine
#   make test-arm64 the core's and the LFA selftests in an arm64 guest
#                   (Debian's arm64 kernel) on TF-A with the emulated LFA
#                   agent (also part of make test, unless FWACT_TEST_ARM64=0)
#   make setup      install what the above need (scripts/setup.sh)
#
# KDIR selects the kernel tree to build against (default: the newest
# Debian 6.1 amd64 headers installed). Everything but "make" builds in
# build/, a copy of the tree, never in the checkout itself.

KVER	?= $(shell ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
KDIR	?= /usr/src/linux-headers-$(KVER)

FWACT_CONFIG := CONFIG_FWACT=m CONFIG_FWACT_PFRU=m CONFIG_FWACT_MICROCODE=m \
		CONFIG_FWACT_TDX=m
# compat/include/ goes first on the include path: the stand-ins there add
# what older kernels lack to the kernel's headers (compat/fwact-compat.h).
KBUILD_ARGS  := -C $(KDIR) M=$(CURDIR) $(FWACT_CONFIG) \
		NOSTDINC_FLAGS="-nostdinc -I$(CURDIR)/compat/include" \
		KCFLAGS="-I$(CURDIR)/include $(EXTRA_KCFLAGS)"

VM	:= tools/testing/vm/vm-run.sh

.PHONY: all modules tools check test test-arm64 run run-x86 run-arm64 bench \
	bench-arm64 setup clean

all: modules tools

modules:
	@scripts/build.sh kdir-check "$(KDIR)"
	$(MAKE) $(KBUILD_ARGS) modules

tools:
	@if [ -f tools/fwact/Makefile ]; then $(MAKE) -C tools/fwact; fi

# The installation's output goes to build/setup.log (V=1: to the terminal).
setup:
ifeq ($(V),1)
	scripts/setup.sh
else
	@mkdir -p build
	@echo "setup: installing what fwact needs (log: build/setup.log)"
	@scripts/setup.sh > build/setup.log 2>&1 || \
		{ tail -n 20 build/setup.log; echo "setup: failed, see build/setup.log"; exit 1; }
endif

check:
	scripts/check.sh

test:
	scripts/test.sh

test-arm64: setup
	$(VM) --arch arm64 --firmware tfa

run: run-x86 run-arm64

# make run shows the demo's story; V=1 shows the build and the console too.
run-x86: setup
	@$(VM) --kernel debian --machine pc --name demo --quiet \
		--cmd 'sh /fwact/demo.sh'

run-arm64: setup
	@$(VM) --arch arm64 --firmware tfa --name demo-arm64 --quiet \
		--cmd 'sh /fwact/demo.sh'

bench: setup
	$(VM) --kernel debian --machine pc --smp 2 --bench

bench-arm64: setup
	$(VM) --arch arm64 --firmware tfa --smp 2 --bench

clean:
	$(MAKE) $(KBUILD_ARGS) clean
	@if [ -f tools/fwact/Makefile ]; then $(MAKE) -C tools/fwact clean; fi
	rm -rf build
