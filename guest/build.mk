# guest/: drivers that run inside a guest (L1 directly, or L2 behind
# vfio-cxl), built out of tree against the same kernel headers as kernel/.
# Artifacts stay in the module's folder (gitignored), as kernel/ does.

ACCEL_KMOD := $(TOP)/guest/cxl-accel/cxl-accel.ko
ACCEL_KMOD_SRC := $(wildcard $(TOP)/guest/cxl-accel/*.c $(TOP)/guest/cxl-accel/Kbuild) \
	$(TOP)/core/regwalk.c $(TOP)/core/hdm_emu.c $(TOP)/core/cxlemu.h $(TOP)/core/kernel/cxlemu_deps.h \
	$(TOP)/core/cxl_regs.h $(TOP)/tests/accel/cxl_accel_regs.h $(TOP)/tests/accel/cxl_accel_cmd.h

$(ACCEL_KMOD): $(ACCEL_KMOD_SRC)
	@test -d $(KDIR) || { echo "kernel headers $(KDIR) missing: run make deps"; exit 1; }
	$(Q)$(MAKE) -C $(KDIR) M=$(TOP)/guest/cxl-accel W=1 modules

.PHONY: guest-module guest-clean guest-checkpatch
guest-module: $(ACCEL_KMOD)
guest-clean:
	$(MAKE) -C $(KDIR) M=$(TOP)/guest/cxl-accel clean
	rm -rf $(TOP)/guest/cxl-accel/coresrc
guest-checkpatch:
	$(CHECKPATCH) --strict --no-tree --terse --show-types -f $(filter-out %.mod.c,$(wildcard $(TOP)/guest/cxl-accel/*.c))

ALL += $(ACCEL_KMOD)
GUEST_MODULES += $(ACCEL_KMOD)

# The driver's test programs, in the guest's /usr/bin.
$(BUILD)/guest/bin/accel-driver $(BUILD)/guest/bin/accel-refuse: $(BUILD)/guest/bin/%: $(TOP)/guest/tests/%
	@mkdir -p $(@D)
	$(call quiet,INSTALL,$@)install -m 755 $< $@
ALL += $(BUILD)/guest/bin/accel-driver $(BUILD)/guest/bin/accel-refuse
GUEST_BINS += $(BUILD)/guest/bin/accel-driver $(BUILD)/guest/bin/accel-refuse

# L1 directly (no L2): the driver on the accelerator(s) after the firmware
# step committed and locked decoder 0; then on this machine the patterns in
# the backing files (accel-check), and its two negative controls on the same
# data (tests/vm/tests/expect-verdict): 64 bytes off every moved pattern is
# "not found"; a planted copy of step 0's pattern is "found elsewhere".
vm-guest-accel vm-guest-accel-quad: vm-guest-%: all
	@mkdir -p $(RESULTS)
	@rc=0; $(TAP_RUN) $(RESULTS)/vm-guest-$*-l1.tap $(VM_RUN) -q -t $* -w $(VM_WORK)/guest-$* \
		--firmware-lock -T 600 -- accel-driver || rc=1; \
	n=$$(ls $(VM_WORK)/guest-$*/mem*.raw | wc -l); \
	$(TAP_RUN) $(RESULTS)/vm-guest-$*-host.tap $(TOP)/guest/tests/accel-check $(VM_WORK)/guest-$* $$n || rc=1; \
	$(TAP_RUN) $(RESULTS)/vm-guest-$*-negative.tap $(VM_DIR)/tests/expect-verdict \
		"accel-check finds no moved pattern 64 bytes off" $(RESULTS)/vm-guest-$*-host.tap "not found" $$((n * 9)) -- \
		$(TOP)/guest/tests/accel-check $(VM_WORK)/guest-$* $$n --shift 64 || rc=1; \
	$(TAP_RUN) $(RESULTS)/vm-guest-$*-negative-stray.tap $(VM_DIR)/tests/expect-verdict \
		"accel-check sees a stray copy of step 0's pattern" $(RESULTS)/vm-guest-$*-host.tap "found elsewhere" 1 -- \
		$(TOP)/guest/tests/accel-check $(VM_WORK)/guest-$* $$n --plant 0:0:0x3000000 || rc=1; \
	exit $$rc

# The probe refusals, each once: absent, unlocked, outside every window.
vm-guest-accel-refuse: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-guest-accel-refuse.tap $(VM_RUN) -q -t accel \
		-w $(VM_WORK)/guest-accel-refuse -T 600 -- accel-refuse

.PHONY: vm-guest-accel vm-guest-accel-quad vm-guest-accel-refuse

# L2 (through the project's QEMU, qemu/build.mk): the driver in L2 on L1's
# accelerator passed through with vfio-cxl, the window's coherence as L2's
# CXL core reads it; then the patterns in L1's backing file. One nested boot:
# not in VM_TESTS until it passes (see guest/README.md).
vm-l2-accel: qemu-l1-cpio
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-l2-accel-guest.tap $(QEMU_VM_RUN) -t l2-accel -w $(VM_WORK)/l2-accel -- \
		l2-host run accel l2.mode=accel; \
	$(TAP_RUN) $(RESULTS)/vm-l2-accel-host.tap $(TOP)/guest/tests/accel-check $(VM_WORK)/l2-accel 1
.PHONY: vm-l2-accel
