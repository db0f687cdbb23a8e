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

# ACCEL_CHECKS RESULT-PREFIX WORKDIR NDEV: on this machine, the patterns
# accel-driver moved, in the backing files (accel-check), and its two
# negative controls on the same data (tests/vm/tests/expect-verdict): 64
# bytes off every moved pattern is "not found" (10 per device); a planted
# copy of device 0's step-0 pattern is "found elsewhere". Each step sets rc.
ACCEL_CHECKS = \
	$(TAP_RUN) $(1)-host.tap $(TOP)/guest/tests/accel-check $(2) $(3) || rc=1; \
	$(TAP_RUN) $(1)-negative.tap $(VM_DIR)/tests/expect-verdict \
		"accel-check finds no moved pattern 64 bytes off" $(1)-host.tap "not found" $$(($(3) * 10)) -- \
		$(TOP)/guest/tests/accel-check $(2) $(3) --shift 64 || rc=1; \
	$(TAP_RUN) $(1)-negative-stray.tap $(VM_DIR)/tests/expect-verdict \
		"accel-check sees a stray copy of step 0's pattern" $(1)-host.tap "found elsewhere" 1 -- \
		$(TOP)/guest/tests/accel-check $(2) $(3) --plant 0:0:0x3000000 || rc=1

# L1 directly (no L2): the driver on the accelerator(s) after the firmware
# step committed and locked decoder 0; then ACCEL_CHECKS on the backing files.
vm-guest-accel vm-guest-accel-quad: vm-guest-%: all
	@mkdir -p $(RESULTS)
	@rc=0; $(TAP_RUN) $(RESULTS)/vm-guest-$*-l1.tap $(VM_RUN) -q -t $* -w $(VM_WORK)/guest-$* \
		--firmware-lock -T 600 -- accel-driver || rc=1; \
	n=$$(grep -c memory-backend-file $(VM_DIR)/topologies/$*.topo); \
	$(call ACCEL_CHECKS,$(RESULTS)/vm-guest-$*,$(VM_WORK)/guest-$*,$$n); \
	exit $$rc

# The probe refusals, each once: absent, unlocked, outside every window.
vm-guest-accel-refuse: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-guest-accel-refuse.tap $(VM_RUN) -q -t accel \
		-w $(VM_WORK)/guest-accel-refuse -T 600 -- accel-refuse

.PHONY: vm-guest-accel vm-guest-accel-quad vm-guest-accel-refuse
VM_TESTS += vm-guest-accel vm-guest-accel-quad vm-guest-accel-refuse

# L2 (through the project's QEMU, qemu/build.mk): the driver in L2 on L1's
# accelerator(s) passed through with vfio-cxl, each window's coherence as
# L2's CXL core reads it; then ACCEL_CHECKS on L1's backing files. L1
# topology l2-NAME, L2 topology qemu/guest/l2/NAME.l2. L2 may take 300 s
# per accelerator (seen: 301 s for one, 436 s for four, on this 2-core
# machine under load; l2-host's default is 240 s), L1 300 s more.
vm-l2-accel vm-l2-accel-quad: vm-l2-%: qemu-l1-cpio
	@mkdir -p $(RESULTS)
	@rc=0; n=$$(grep -c memory-backend-file $(VM_DIR)/topologies/l2-$*.topo); t=$$((120 + 300 * n)); \
	$(TAP_RUN) $(RESULTS)/vm-l2-$*-guest.tap $(QEMU_VM_RUN) -T $$((t + 300)) -t l2-$* -w $(VM_WORK)/l2-$* -- \
		env L2_TIMEOUT=$$t l2-host run $* l2.ndev=$$n l2.mode=accel $$([ $* = accel ] && echo l2.attack=1) || rc=1; \
	$(call ACCEL_CHECKS,$(RESULTS)/vm-l2-$*,$(VM_WORK)/l2-$*,$$n); \
	exit $$rc
.PHONY: vm-l2-accel vm-l2-accel-quad
VM_TESTS += vm-l2-accel vm-l2-accel-quad
