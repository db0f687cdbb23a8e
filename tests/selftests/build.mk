# tests/selftests/: in-guest tests of the vfio-cxl module (static, TAP),
# the VM runs that drive them, and the host-side backing-file checks.

SELFTEST_DIR := $(TOP)/tests/selftests
GUEST_BIN_DIR := $(BUILD)/guest/bin
SELFTEST_HDRS := $(SELFTEST_DIR)/vfio_cxl_harness.h $(SELFTEST_DIR)/vfio_cxl_fixture.h \
	$(TOP)/tests/accel/cxl_accel_regs.h $(TOP)/core/cxl_regs.h \
	$(TOP)/core/cxlemu.h $(TOP)/include/uapi/linux/vfio_cxl.h
# core/regwalk.c (and the decoder-count decoder it uses) find the HDM block.
SELFTEST_CORE := $(TOP)/core/regwalk.c $(TOP)/core/hdm_emu.c
SELFTEST_CFLAGS := -static $(CFLAGS) $(WARN) -I$(TOP)/include/uapi -I$(TOP)/core \
	-I$(TOP)/core/user -I$(SELFTEST_DIR) -I$(TOP)/tests/accel -pthread -Wno-format-truncation

SELFTEST_PROGS := vfio_cxl_test vfio_cxl_refuse_test vfio_cxl_stress vfio_cxl_lifecycle \
	vfio_cxl_safety vfio_cxl_fuzz vfio_cxl_vmm_replay vfio_cxl_accel
SELFTEST_BINS := $(addprefix $(GUEST_BIN_DIR)/,$(SELFTEST_PROGS)) $(GUEST_BIN_DIR)/dpa_bench

$(GUEST_BIN_DIR)/vfio_cxl_%: $(SELFTEST_DIR)/vfio_cxl_%.c $(SELFTEST_HDRS) $(SELFTEST_CORE)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(SELFTEST_CFLAGS) -o $@ $< $(SELFTEST_CORE)

$(GUEST_BIN_DIR)/dpa_bench: $(TOP)/bench/dpa_bench.c $(SELFTEST_HDRS) $(SELFTEST_CORE)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(SELFTEST_CFLAGS) -o $@ $< $(SELFTEST_CORE)

ALL += $(SELFTEST_BINS)
GUEST_BINS += $(SELFTEST_BINS)

# ---- VM runs (make check-vm) ------------------------------------------------
# Each boots the emulated host, runs the firmware step (except the refusal
# run), runs the guest test; the host then checks the devices' backing
# files for what the guest wrote through the DPA region, and that the
# checker fails when asked to look 8 bytes off.
SELFTEST_VM := $(TOP)/tests/vm/run
SELFTEST_WORK := $(BUILD)/vm

# BACKING_CHECKS RESULT-PREFIX WORKDIR NDEV [--tags T]: the host check of
# what the guest wrote, and on that data its two negative verdicts (8 bytes
# off: "not found"; a planted copy of the first region's head: "found
# elsewhere").
BACKING_CHECKS = \
	$(TAP_RUN) $(1)-backing.tap $(SELFTEST_DIR)/check-backing $(2) $(3) $(4) || rc=1; \
	$(TAP_RUN) $(1)-backing-negative.tap $(TOP)/tests/vm/tests/expect-verdict \
		"check-backing finds no pattern 8 bytes off" $(1)-backing.tap "not found" all -- \
		$(SELFTEST_DIR)/check-backing $(2) $(3) $(4) --shift 8 || rc=1; \
	$(TAP_RUN) $(1)-backing-negative-stray.tap $(TOP)/tests/vm/tests/expect-verdict \
		"check-backing sees a stray copy of a region" $(1)-backing.tap "found elsewhere" 1 -- \
		$(SELFTEST_DIR)/check-backing $(2) $(3) $(4) --plant 0:$(or $(5),1):0x6000000 || rc=1

vm-kernel-%: all
	@mkdir -p $(RESULTS)
	@rc=0; $(TAP_RUN) $(RESULTS)/vm-kernel-$*-guest.tap $(SELFTEST_VM) -q -t $* \
		-w $(SELFTEST_WORK)/kernel-$* --firmware -T 300 -- vfio_cxl_test || rc=1; \
	n=$$(grep -c memory-backend-file $(TOP)/tests/vm/topologies/$*.topo); \
	$(call BACKING_CHECKS,$(RESULTS)/vm-kernel-$*,$(SELFTEST_WORK)/kernel-$*,$$n); \
	exit $$rc

# Locked firmware decoder: the driver restores the lock with the decoder.
vm-kernel-locked: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-kernel-locked.tap $(SELFTEST_VM) -q -t single \
		-w $(SELFTEST_WORK)/kernel-locked --firmware-lock -T 300 -- vfio_cxl_test

vm-kernel-refuse: all
	@mkdir -p $(RESULTS)
	@rc=0; $(TAP_RUN) $(RESULTS)/vm-kernel-refuse.tap $(SELFTEST_VM) -q -t single \
		-w $(SELFTEST_WORK)/kernel-refuse -T 300 -- vfio_cxl_refuse_test || rc=1; \
	$(call BACKING_CHECKS,$(RESULTS)/vm-kernel-refuse,$(SELFTEST_WORK)/kernel-refuse,1,--tags 21,21); \
	exit $$rc

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

# Host safety under a hostile VMM (issue 12); 2 vCPUs: the WBINVD checks
# count function-call IPIs. L0 is the project's QEMU like every VM test:
# the SIGSEGV and ramblock_ptr aborts it died of under these tests were
# QEMU 10.0.2's use-after-free of a vCPU's cached memory dispatch, fixed by
# qemu/patches/0009 (issue 12).
vm-kernel-safety: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-kernel-safety.tap $(SELFTEST_VM) -q -t single -s 2 \
		-w $(SELFTEST_WORK)/kernel-safety --firmware -T 300 -- vfio_cxl_safety

# The hostile-VMM fuzzer: about a minute in make check; make soak runs it
# for SOAK_MINUTES on single and SOAK_QUAD_MINUTES on quad (its first
# device). The host then checks the backing file outside the fuzzer's zone,
# and that the check fails when asked about a zone that excludes its writes.
FUZZ_VM_SECONDS ?= 60
FUZZ_VM_SEED ?= 1
SOAK_MINUTES ?= 30
SOAK_QUAD_MINUTES ?= 10
define fuzz_vm
	@mkdir -p $(RESULTS)
	@rc=0; $(TAP_RUN) $(RESULTS)/$(1)-guest.tap $(SELFTEST_VM) -q -t $(2) -s 2 \
		-w $(SELFTEST_WORK)/$(1) --firmware -T $$(( $(3) + 300 )) -- \
		env FUZZ_SECONDS=$(3) FUZZ_SEED=$(FUZZ_VM_SEED) vfio_cxl_fuzz || rc=1; \
	$(TAP_RUN) $(RESULTS)/$(1)-backing.tap $(SELFTEST_DIR)/check-fuzz $(SELFTEST_WORK)/$(1) || rc=1; \
	$(TAP_RUN) $(RESULTS)/$(1)-backing-negative.tap $(TOP)/tests/vm/tests/expect-verdict \
		"check-fuzz sees the fuzzer's writes when the zone is left out" \
		$(RESULTS)/$(1)-backing.tap "found elsewhere" 1 -- \
		$(SELFTEST_DIR)/check-fuzz $(SELFTEST_WORK)/$(1) --zone 0 || rc=1; \
	exit $$rc
endef
vm-fuzz-single: all
	$(call fuzz_vm,vm-fuzz-single,single,$(FUZZ_VM_SECONDS))
soak-single: all
	$(call fuzz_vm,soak-single,single,$$(( $(SOAK_MINUTES) * 60 )))
soak-quad: all
	$(call fuzz_vm,soak-quad,quad,$$(( $(SOAK_QUAD_MINUTES) * 60 )))
soak:
	@rc=0; $(MAKE) --no-print-directory soak-single || rc=1; \
	$(MAKE) --no-print-directory soak-quad || rc=1; \
	$(TOP)/scripts/tap-summary $(RESULTS)/soak-*.tap; exit $$rc
.PHONY: vm-fuzz-single soak soak-single soak-quad

# Benchmark (not a test): figures as JSON into $(RESULTS) and bench/.
bench-dpa: all
	@mkdir -p $(RESULTS)
	$(SELFTEST_VM) -q -t single -w $(SELFTEST_WORK)/bench-dpa --firmware -T 600 -- dpa_bench \
		| grep '^{' | tee $(RESULTS)/bench-dpa.json
	cp $(RESULTS)/bench-dpa.json $(TOP)/bench/dpa_bench.json
	VM_TOPOLOGIES=$(TOP)/bench/topologies $(SELFTEST_VM) -q -t accel-1g \
		-w $(SELFTEST_WORK)/bench-dpa-accel --firmware -T 600 -- dpa_bench \
		| grep '^{' | tee $(RESULTS)/bench-dpa-accel.json
	cp $(RESULTS)/bench-dpa-accel.json $(TOP)/bench/dpa_bench_accel.json

# The Type-2 paths on the emulated accelerator (issue 10): vm-kernel-accel
# runs vfio_cxl_test on it (the rule above); vm-kernel-type2 runs
# vfio_cxl_accel: the cache written back before resets (and the loss
# without it), FLR against bus reset, the guest's Cache WBI and CXL Reset,
# Memory_Active. Its checks are in L1 (the DMA buffer is L1's memory).
vm-kernel-type2: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-kernel-type2.tap $(SELFTEST_VM) -q -t accel \
		-w $(SELFTEST_WORK)/kernel-type2 --firmware -T 300 -- vfio_cxl_accel
.PHONY: vm-kernel-type2

VM_TESTS += vm-kernel-accel vm-kernel-type2
VM_TESTS += vm-kernel-single vm-kernel-quad vm-kernel-locked vm-kernel-refuse \
	vm-kernel-refuse-multi-rp vm-kernel-lifecycle vm-kernel-stress vm-kernel-safety \
	vm-fuzz-single
.PHONY: vm-kernel-safety vm-kernel-locked vm-kernel-refuse vm-kernel-refuse-multi-rp vm-kernel-lifecycle vm-kernel-stress bench-dpa

# ---- issue 14: a VMM written for the seeds' series, across the reset ---------
# vmm-replay gives each device its own guest window base (vfio-cxl plan) and
# runs vfio_cxl_vmm_replay: NVIDIA's QEMU fork's decoder programming, then
# VFIO_DEVICE_RESET; decoder 0 must come back committed and locked at the
# base and the DPA mapping keep working (host: the backing files hold what
# it wrote, and the same check 8 bytes off fails). Negative control: with
# restore_guest_decoder=0 the decoder reads back uncommitted after the reset.
$(GUEST_BIN_DIR)/vmm-replay: $(SELFTEST_DIR)/vmm-replay
	@mkdir -p $(@D)
	install -m 755 $< $@
ALL += $(GUEST_BIN_DIR)/vmm-replay
GUEST_BINS += $(GUEST_BIN_DIR)/vmm-replay

REPLAY_TAGS := --tags 30,31
vm-replay-%: all
	@mkdir -p $(RESULTS)
	@rc=0; $(TAP_RUN) $(RESULTS)/vm-replay-$*-guest.tap $(SELFTEST_VM) -q -t $* \
		-w $(SELFTEST_WORK)/replay-$* --firmware -T 300 -- vmm-replay || rc=1; \
	n=$$(grep -c memory-backend-file $(TOP)/tests/vm/topologies/$*.topo); \
	$(call BACKING_CHECKS,$(RESULTS)/vm-replay-$*,$(SELFTEST_WORK)/replay-$*,$$n,$(REPLAY_TAGS),30); \
	$(TAP_RUN) $(RESULTS)/vm-replay-$*-switch-off.tap $(SELFTEST_VM) -q -t $* \
		-w $(SELFTEST_WORK)/replay-off-$* --firmware -T 300 -- vmm-replay --switch-off || rc=1; \
	exit $$rc

VM_TESTS += vm-replay-single vm-replay-quad
