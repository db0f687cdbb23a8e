# kernel/: the vfio-cxl module, built out of tree against the guest kernel's
# headers. Artifacts stay in kernel/ (gitignored).

KMOD := $(TOP)/kernel/vfio-cxl.ko
KMOD_SRC := $(wildcard $(TOP)/kernel/*.c $(TOP)/kernel/*.h $(TOP)/kernel/Kbuild \
	$(TOP)/core/*.c $(TOP)/core/*.h $(TOP)/core/kernel/*.h $(TOP)/include/uapi/linux/*.h)

$(KMOD): $(KMOD_SRC)
	@test -d $(KDIR) || { echo "kernel headers $(KDIR) missing: run make deps"; exit 1; }
	$(Q)$(MAKE) -C $(KDIR) M=$(TOP)/kernel W=1 modules

.PHONY: kernel-module kernel-clean kernel-checkpatch
kernel-module: $(KMOD)

kernel-clean:
	$(MAKE) -C $(KDIR) M=$(TOP)/kernel clean
	rm -rf $(TOP)/kernel/coresrc

CHECKPATCH ?= $(firstword $(wildcard /usr/src/linux-source-6.12/scripts/checkpatch.pl /work/ksrc/linux-source-6.12/scripts/checkpatch.pl))
kernel-checkpatch:
	$(CHECKPATCH) --strict --no-tree --terse --show-types -f $(filter-out %.mod.c,$(wildcard $(TOP)/kernel/*.c)) $(TOP)/kernel/*.h

# core/'s emulation is linked in: without it there is no module to build.
ALL += $(KMOD)
GUEST_MODULES += $(KMOD)

# The DKMS source tree: /usr/src/vfio-cxl-<version> (or DKMS_SRC=...).
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(TOP)/kernel/dkms.conf)
DKMS_SRC ?= /usr/src/vfio-cxl-$(DKMS_VERSION)
.PHONY: kernel-dkms-src
kernel-dkms-src:
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)/kernel $(DKMS_SRC)/core/kernel $(DKMS_SRC)/include/uapi/linux
	cp $(TOP)/kernel/dkms.conf $(DKMS_SRC)/
	cp $(TOP)/kernel/Kbuild $(filter-out %.mod.c,$(wildcard $(TOP)/kernel/*.c)) $(TOP)/kernel/*.h $(DKMS_SRC)/kernel/
	cp $(TOP)/core/*.c $(TOP)/core/*.h $(DKMS_SRC)/core/
	cp $(TOP)/core/kernel/*.h $(DKMS_SRC)/core/kernel/
	cp $(TOP)/include/uapi/linux/*.h $(DKMS_SRC)/include/uapi/linux/
