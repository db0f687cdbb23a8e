# tests/accel/: the emulated CXL Type-2 accelerator (cxl-accel, QEMU patch
# 0008): its register map (cxl_accel_regs.h), an in-guest test of the device
# itself (static, TAP) and the VM runs on the accel topologies.

ACCEL_DIR := $(TOP)/tests/accel
ACCEL_TEST := $(BUILD)/guest/bin/accel_test
ACCEL_HDRS := $(ACCEL_DIR)/cxl_accel_regs.h $(ACCEL_DIR)/cxl_accel_cmd.h $(TOP)/tests/selftests/vfio_cxl_harness.h \
	$(TOP)/core/cxl_regs.h $(TOP)/include/uapi/linux/vfio_cxl.h

$(ACCEL_TEST): $(ACCEL_DIR)/accel_test.c $(ACCEL_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) -static $(CFLAGS) $(WARN) -I$(TOP)/include/uapi -I$(TOP)/core -I$(TOP)/core/user \
		-I$(TOP)/tests/selftests -I$(ACCEL_DIR) -pthread -Wno-format-truncation -o $@ $<

ALL += $(ACCEL_TEST)
GUEST_BINS += $(ACCEL_TEST)

# The device on its own (accel.topo's properties are the test's defaults),
# then the oracle on the three accel topologies: patterns the guest writes
# through each window land in the right backing file only.
vm-accel: all qemu
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-accel.tap $(VM_RUN) -q -t accel -w $(VM_WORK)/accel \
		--firmware -T 600 -- accel_test

VM_TESTS += vm-accel vm-oracle-accel vm-oracle-accel-quad vm-oracle-accel-mixed
.PHONY: vm-accel
