# SPDX-License-Identifier: GPL-2.0
# core/: the freestanding CXL register emulation (issue 3).
#   $(CORE_LIB)   userspace static library that lib/ and tools/ link
#   unit tests    tests/unit/core_*.c, each a TAP program
#   kcheck        core/ built as a kernel module against $(KDIR) (TAP)
#   fuzz          tests/fuzz/core_*.c libFuzzer targets, FUZZ_SECONDS each
#   bench-core    bench/core_bench.c (not part of check)

CORE_NAMES   := hdm_emu comp_emu dvsec_emu vfio_cap regwalk
CORE_SRCS    := $(CORE_NAMES:%=$(TOP)/core/%.c)
CORE_HDRS    := $(wildcard $(TOP)/core/*.h $(TOP)/core/user/*.h)
CORE_OBJS    := $(CORE_NAMES:%=$(BUILD)/core/%.o)
CORE_LIB     := $(BUILD)/core/libcxlemu.a
CORE_CPPFLAGS := $(CPPFLAGS_COMMON)
CORE_CFLAGS  := $(CFLAGS) $(WARN) -fPIC

ALL += $(CORE_LIB)

$(BUILD)/core/%.o: $(TOP)/core/%.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CORE_CFLAGS) $(CORE_CPPFLAGS) -c $< -o $@

$(CORE_LIB): $(CORE_OBJS)
	@rm -f $@
	$(call quiet,AR,$@)ar rcs $@ $^

# ---- unit tests: each test is compiled together with the core sources, with
# WARN_ON aborting so a broken invariant is a failure.
CORE_TEST_NAMES := core_hdm core_dvsec core_comp_vcap core_random core_regwalk core_regs
CORE_TESTS   := $(CORE_TEST_NAMES:%=$(BUILD)/tests/unit/%)
CORE_TEST_CFLAGS := $(CFLAGS) $(WARN) -DCXLEMU_WARN_ABORT $(CORE_CPPFLAGS) -I$(TOP)/tests/unit

# tests that #include a core .c file (to reach static tables) skip linking it
CORE_TEST_INCLUDES_dvsec := $(TOP)/core/dvsec_emu.c
$(BUILD)/tests/unit/core_%: $(TOP)/tests/unit/core_%.c $(TOP)/tests/unit/core_tap.h $(TOP)/tests/unit/core_hdm_model.h $(TOP)/tests/unit/core_dvsec_model.h $(CORE_SRCS) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CORE_TEST_CFLAGS) $< $(filter-out $(CORE_TEST_INCLUDES_$*),$(CORE_SRCS)) -o $@

# kcheck: a tiny out-of-tree module from the same .c files (-I core/kernel).
CORE_KCHECK  := $(BUILD)/tests/unit/core_kcheck
$(CORE_KCHECK): $(TOP)/core/kcheck/run.sh
	@mkdir -p $(@D)
	$(call quiet,GEN,$@)printf '#!/bin/sh\nexec bash %s %s %s %s\n' '$(TOP)/core/kcheck/run.sh' '$(TOP)' \
		'$(BUILD)/core/kcheck' '$(KDIR)' >$@
	$(Q)chmod +x $@

ALL += $(CORE_TESTS) $(CORE_KCHECK)
UNIT_TESTS += $(CORE_TESTS) $(CORE_KCHECK)

# ---- fuzz: clang libFuzzer targets, each run time-boxed into TAP.
CORE_FUZZ_NAMES := hdm dvsec vcap
CORE_FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-DCXLEMU_WARN_ABORT $(WARN) $(CORE_CPPFLAGS)
CORE_FUZZ_RUNS := $(CORE_FUZZ_NAMES:%=fuzz-core-%)

# (the fuzzers include no core .c: each links all of core)
$(BUILD)/tests/fuzz/fuzz_core_%: $(TOP)/tests/fuzz/core_%.c $(CORE_SRCS) $(CORE_HDRS) \
		$(TOP)/tests/unit/core_hdm_model.h $(TOP)/tests/unit/core_dvsec_model.h
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CLANG) $(CORE_FUZZ_CFLAGS) $< $(CORE_SRCS) -o $@

.PHONY: $(CORE_FUZZ_RUNS) fuzz-core
$(CORE_FUZZ_RUNS): fuzz-core-%: $(BUILD)/tests/fuzz/fuzz_core_%
	@mkdir -p $(RESULTS)
	@bash $(TOP)/tests/fuzz/fuzz_run.sh fuzz_core_$* $< $(FUZZ_SECONDS) \
		$(RESULTS)/unit-fuzz_core_$*.tap $(BUILD)/tests/fuzz/corpus_core_$* \
		$(TOP)/tests/fuzz/corpus/core_$*
fuzz-core: $(CORE_FUZZ_RUNS)
FUZZ_RUNS += $(CORE_FUZZ_RUNS)

# ---- benchmark (not part of check)
CORE_BENCH := $(BUILD)/bench/core_bench
$(CORE_BENCH): $(TOP)/bench/core_bench.c $(CORE_SRCS) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) -O2 -g $(WARN) $(CORE_CPPFLAGS) $< $(CORE_SRCS) -o $@

.PHONY: bench-core
bench-core: $(CORE_BENCH)
	@bash $(TOP)/bench/core_bench.sh $(CORE_BENCH) $(BUILD)/bench
