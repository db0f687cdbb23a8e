# tests/vm: the emulated-host harness, its guest programs and its own tests.
VM_DIR := $(TOP)/tests/vm
VM_RUN := $(VM_DIR)/run
VM_WORK := $(BUILD)/vm

$(BUILD)/guest/bin/cxl-fw: $(VM_DIR)/guest/cxl-fw.c $(TOP)/core/cxl_regs.h $(TOP)/core/cxlemu.h $(TOP)/core/regwalk.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) -static $(CPPFLAGS_COMMON) -o $@ $< $(TOP)/core/regwalk.c $(TOP)/core/hdm_emu.c

$(BUILD)/guest/bin/oracle-write: $(VM_DIR)/guest/oracle-write
	@mkdir -p $(@D)
	install -m 755 $< $@

ALL += $(BUILD)/guest/bin/cxl-fw $(BUILD)/guest/bin/oracle-write
GUEST_BINS += $(BUILD)/guest/bin/cxl-fw $(BUILD)/guest/bin/oracle-write

# The oracle: guest writes through /dev/mem after the firmware step, the host
# finds each pattern at the same offset of the right backing file only; and
# the checker is seen to fail when asked about a wrong offset.
vm-oracle-%: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-oracle-$*-guest.tap $(VM_RUN) -q -t $* -w $(VM_WORK)/oracle-$* --firmware -- oracle-write; \
	n=$$(ls $(VM_WORK)/oracle-$*/mem*.raw | wc -l); \
	$(TAP_RUN) $(RESULTS)/vm-oracle-$*-host.tap $(VM_DIR)/oracle-check $(VM_WORK)/oracle-$* $$n; \
	$(TAP_RUN) $(RESULTS)/vm-oracle-$*-negative.tap $(VM_DIR)/tests/expect-fail \
		"oracle-check sees a pattern checked 64 bytes off" \
		$(VM_DIR)/oracle-check $(VM_WORK)/oracle-$* $$n --shift 64

# The harness and the firmware step on bad input.
vm-harness: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-harness.tap $(VM_DIR)/tests/harness.sh

VM_TESTS += vm-harness vm-oracle-single vm-oracle-quad vm-oracle-multi-rp vm-kernel-big
.PHONY: vm-harness

$(BUILD)/guest/bin/demo-guest: $(VM_DIR)/guest/demo-guest
	@mkdir -p $(@D)
	install -m 755 $< $@
ALL += $(BUILD)/guest/bin/demo-guest
GUEST_BINS += $(BUILD)/guest/bin/demo-guest
