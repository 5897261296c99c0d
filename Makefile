# SPDX-License-Identifier: GPL-2.0
#
# Out-of-tree build of fwact against installed kernel headers.
#
#   make            modules (production build) and user-space tools
#   make check      W=1, sparse (C=2) and checkpatch --strict, zero warnings
#   make test       set up the machine, make check, the guest test suite
#   make run        set up the machine, boot a guest, show an activation
#
# KDIR selects the kernel tree to build against (default: the newest
# Debian 6.1 amd64 headers installed).

KVER	?= $(shell ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
KDIR	?= /usr/src/linux-headers-$(KVER)

FWACT_CONFIG := CONFIG_FWACT=m CONFIG_FWACT_PFRU=m CONFIG_FWACT_MICROCODE=m
KBUILD_ARGS  := -C $(KDIR) M=$(CURDIR) $(FWACT_CONFIG) \
		KCFLAGS="-I$(CURDIR)/include $(EXTRA_KCFLAGS)"

.PHONY: all modules clean

all: modules

modules:
	$(MAKE) $(KBUILD_ARGS) modules

clean:
	$(MAKE) $(KBUILD_ARGS) clean
