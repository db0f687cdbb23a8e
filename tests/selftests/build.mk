# tests/selftests/: in-guest tests of the vfio-cxl module (static, TAP),
# the VM runs that drive them, and the host-side backing-file checks.

SELFTEST_DIR := $(TOP)/tests/selftests
GUEST_BIN_DIR := $(BUILD)/guest/bin
SELFTEST_HDRS := $(SELFTEST_DIR)/vfio_cxl_harness.h $(TOP)/core/cxl_regs.h \
	$(TOP)/core/cxlemu.h $(TOP)/include/uapi/linux/vfio_cxl.h
# core/regwalk.c (and the decoder-count decoder it uses) find the HDM block.
SELFTEST_CORE := $(TOP)/core/regwalk.c $(TOP)/core/hdm_emu.c
SELFTEST_CFLAGS := -static $(CFLAGS) $(WARN) -I$(TOP)/include/uapi -I$(TOP)/core \
	-I$(TOP)/core/user -I$(SELFTEST_DIR) -pthread -Wno-format-truncation

SELFTEST_PROGS := vfio_cxl_test vfio_cxl_refuse_test vfio_cxl_stress vfio_cxl_lifecycle
SELFTEST_BINS := $(addprefix $(GUEST_BIN_DIR)/,$(SELFTEST_PROGS)) $(GUEST_BIN_DIR)/dpa_bench

$(GUEST_BIN_DIR)/vfio_cxl_%: $(SELFTEST_DIR)/vfio_cxl_%.c $(SELFTEST_HDRS) $(SELFTEST_CORE)
	@mkdir -p $(@D)
	$(CC) $(SELFTEST_CFLAGS) -o $@ $< $(SELFTEST_CORE)

$(GUEST_BIN_DIR)/dpa_bench: $(TOP)/bench/dpa_bench.c $(SELFTEST_HDRS) $(SELFTEST_CORE)
	@mkdir -p $(@D)
	$(CC) $(SELFTEST_CFLAGS) -o $@ $< $(SELFTEST_CORE)

ALL += $(SELFTEST_BINS)
GUEST_BINS += $(SELFTEST_BINS)

# ---- VM runs (make check-vm) ------------------------------------------------
# Each boots the emulated host, runs the firmware step (except the refusal
# run), runs the guest test; the host then checks the devices' backing
# files for what the guest wrote through the DPA region, and that the
# checker fails when asked to look 8 bytes off.
SELFTEST_VM := $(TOP)/tests/vm/run
SELFTEST_WORK := $(BUILD)/vm

vm-kernel-%: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-kernel-$*-guest.tap $(SELFTEST_VM) -q -t $* \
		-w $(SELFTEST_WORK)/kernel-$* --firmware -T 300 -- vfio_cxl_test; \
	n=$$(ls $(SELFTEST_WORK)/kernel-$*/mem*.raw | wc -l); \
	$(TAP_RUN) $(RESULTS)/vm-kernel-$*-backing.tap $(SELFTEST_DIR)/check-backing \
		$(SELFTEST_WORK)/kernel-$* $$n; \
	$(TAP_RUN) $(RESULTS)/vm-kernel-$*-backing-negative.tap $(TOP)/tests/vm/tests/expect-fail \
		"check-backing sees the patterns 8 bytes off" \
		$(SELFTEST_DIR)/check-backing $(SELFTEST_WORK)/kernel-$* $$n --shift 8

# Locked firmware decoder: the driver restores the lock with the decoder.
vm-kernel-locked: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-kernel-locked.tap $(SELFTEST_VM) -q -t single \
		-w $(SELFTEST_WORK)/kernel-locked --firmware-lock -T 300 -- vfio_cxl_test

vm-kernel-refuse: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-kernel-refuse.tap $(SELFTEST_VM) -q -t single \
		-w $(SELFTEST_WORK)/kernel-refuse -T 300 -- vfio_cxl_refuse_test; \
	$(TAP_RUN) $(RESULTS)/vm-kernel-refuse-backing.tap $(SELFTEST_DIR)/check-backing \
		$(SELFTEST_WORK)/kernel-refuse 1 --tags 21

# Two root ports below one host bridge: commit_uncommitted must decline.
vm-kernel-refuse-multi-rp: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-kernel-refuse-multi-rp.tap $(SELFTEST_VM) -q -t multi-rp \
		-w $(SELFTEST_WORK)/kernel-refuse-multi-rp -T 300 -- vfio_cxl_refuse_test

vm-kernel-lifecycle: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-kernel-lifecycle.tap $(SELFTEST_VM) -q -t single \
		-w $(SELFTEST_WORK)/kernel-lifecycle --firmware -T 300 -- vfio_cxl_lifecycle

vm-kernel-stress: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-kernel-stress.tap $(SELFTEST_VM) -q -t single -s 2 \
		-w $(SELFTEST_WORK)/kernel-stress --firmware -T 300 -- \
		env STRESS_SECONDS=10 vfio_cxl_stress

# Benchmark (not a test): figures as JSON into $(RESULTS) and bench/.
bench-dpa: all
	@mkdir -p $(RESULTS)
	$(SELFTEST_VM) -q -t single -w $(SELFTEST_WORK)/bench-dpa --firmware -T 600 -- dpa_bench \
		| grep '^{' | tee $(RESULTS)/bench-dpa.json
	cp $(RESULTS)/bench-dpa.json $(TOP)/bench/dpa_bench.json

VM_TESTS += vm-kernel-single vm-kernel-quad vm-kernel-locked vm-kernel-refuse \
	vm-kernel-refuse-multi-rp vm-kernel-lifecycle vm-kernel-stress
.PHONY: vm-kernel-locked vm-kernel-refuse vm-kernel-refuse-multi-rp vm-kernel-lifecycle vm-kernel-stress bench-dpa
