# SPDX-License-Identifier: MIT
# qemu/: QEMU 10.0.2 (bookworm-backports' source) with the vfio-cxl series.
#
#   make qemu      fetch, patch, build qemu-system-x86_64 (cached by the hash of
#                  tarball + series + library: an unchanged series is not rebuilt)
#
# The binary is $(QEMU_BIN) (a symlink into $(CACHE)/qemu/<key>/).

QEMU_DIR := $(BUILD)/qemu
QEMU_BIN := $(QEMU_DIR)/qemu-system-x86_64
QEMU_TOPO_LIB := $(BUILD)/lib/libvfiocxl-topo.a

.PHONY: qemu
qemu: $(QEMU_TOPO_LIB)
	@bash $(TOP)/qemu/build.sh $(TOP) $(BUILD) $(CACHE)
