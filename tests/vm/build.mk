# tests/vm: the emulated-host harness, its guest programs and its own tests.
VM_DIR := $(TOP)/tests/vm
VM_RUN := $(VM_DIR)/run
VM_WORK := $(BUILD)/vm

$(BUILD)/guest/bin/cxl-fw: $(VM_DIR)/guest/cxl-fw.c $(TOP)/core/cxl_regs.h $(TOP)/core/cxlemu.h $(TOP)/core/regwalk.c
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CFLAGS) $(WARN) -static $(CPPFLAGS_COMMON) -o $@ $< $(TOP)/core/regwalk.c $(TOP)/core/hdm_emu.c

$(BUILD)/guest/bin/oracle-write: $(VM_DIR)/guest/oracle-write
	@mkdir -p $(@D)
	$(call quiet,INSTALL,$@)install -m 755 $< $@

ALL += $(BUILD)/guest/bin/cxl-fw $(BUILD)/guest/bin/oracle-write
GUEST_BINS += $(BUILD)/guest/bin/cxl-fw $(BUILD)/guest/bin/oracle-write

# The oracle: guest writes through /dev/mem after the firmware step, the host
# finds each pattern at the same offset of the right backing file only; and,
# on that very data, the checker's two negative verdicts: 64 bytes off it
# finds nothing ("not found"), and a copy of one pattern planted elsewhere
# (in the checker's memory) is caught ("found elsewhere"). Every step runs;
# the target fails when any of them fails.
# ORACLE_CHECKS RESULT-PREFIX WORKDIR NDEV: the host check and its controls.
ORACLE_CHECKS = \
	$(TAP_RUN) $(1)-host.tap $(VM_DIR)/oracle-check $(2) $(3) || rc=1; \
	$(TAP_RUN) $(1)-negative.tap $(VM_DIR)/tests/expect-verdict \
		"oracle-check finds no pattern 64 bytes off" $(1)-host.tap "not found" all -- \
		$(VM_DIR)/oracle-check $(2) $(3) --shift 64 || rc=1; \
	$(TAP_RUN) $(1)-negative-stray.tap $(VM_DIR)/tests/expect-verdict \
		"oracle-check sees a stray copy of pattern 1" $(1)-host.tap "found elsewhere" 1 -- \
		$(VM_DIR)/oracle-check $(2) $(3) --plant 0:1:0x2000000 || rc=1

vm-oracle-%: all
	@mkdir -p $(RESULTS)
	@rc=0; $(TAP_RUN) $(RESULTS)/vm-oracle-$*-guest.tap $(VM_RUN) -q -t $* -w $(VM_WORK)/oracle-$* --firmware -- oracle-write || rc=1; \
	n=$$(grep -c memory-backend-file $(VM_DIR)/topologies/$*.topo); \
	$(call ORACLE_CHECKS,$(RESULTS)/vm-oracle-$*,$(VM_WORK)/oracle-$*,$$n); \
	exit $$rc

# The harness and the firmware step on bad input.
vm-harness: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-harness.tap $(VM_DIR)/tests/harness.sh

VM_TESTS += vm-harness vm-oracle-single vm-oracle-quad vm-oracle-multi-rp vm-kernel-big
.PHONY: vm-harness

$(BUILD)/guest/bin/demo-guest: $(VM_DIR)/guest/demo-guest
	@mkdir -p $(@D)
	$(call quiet,INSTALL,$@)install -m 755 $< $@
ALL += $(BUILD)/guest/bin/demo-guest
GUEST_BINS += $(BUILD)/guest/bin/demo-guest
