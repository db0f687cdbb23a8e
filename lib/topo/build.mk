# lib/topo: the guest CXL platform (QEMU syntax, placement, CEDT).
# Produces $(BUILD)/lib/libvfiocxl-topo.a; the vfio-cxl program links it with
# TOPO_TOOL_SRCS (the `plan` and `cedt` commands).

TOPO_DIR   := $(TOP)/lib/topo
TOPO_OBJ   := $(BUILD)/lib/topo
TOPO_SRCS  := $(wildcard $(TOPO_DIR)/*.c)
TOPO_OBJS  := $(patsubst $(TOPO_DIR)/%.c,$(TOPO_OBJ)/%.o,$(TOPO_SRCS))
TOPO_HDRS  := $(wildcard $(TOPO_DIR)/*.h)
TOPO_LIB   := $(BUILD)/lib/libvfiocxl-topo.a
TOPO_TOOL_SRCS := $(TOP)/tools/plan.c $(TOP)/tools/cedt.c
TOPO_CFLAGS = $(CFLAGS) $(WARN) $(CPPFLAGS_COMMON) -I$(TOPO_DIR) -std=gnu11 -fPIC

$(TOPO_OBJ)/%.o: $(TOPO_DIR)/%.c $(TOPO_HDRS)
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(CC) $(TOPO_CFLAGS) -c -o $@ $<

# core's capability decoder rides along (vfiocxl_topo_vfio_cap_parse()).
$(TOPO_LIB): $(TOPO_OBJS) $(BUILD)/core/vfio_cap.o
	@mkdir -p $(dir $@)
	$(call quiet,AR,$@)rm -f $@ && ar rcs $@ $^

# The commands, objects of their own so the main program can link them too.
$(TOPO_OBJ)/tools/%.o: $(TOP)/tools/%.c $(TOP)/tools/topo-opts.h $(TOPO_HDRS)
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(CC) $(TOPO_CFLAGS) -c -o $@ $<
TOPO_TOOL_OBJS := $(TOPO_OBJ)/tools/plan.o $(TOPO_OBJ)/tools/cedt.o

# Unit tests: tests/unit/topo_*.c, each a TAP program. topo_cmd.c drives the
# two commands in-process (a stand-in for tools/vfio-cxl.c).
TOPO_TEST_SRCS := $(wildcard $(TOP)/tests/unit/topo_*.c)
TOPO_TESTS := $(patsubst $(TOP)/tests/unit/%.c,$(BUILD)/tests/unit/%,$(TOPO_TEST_SRCS))
$(BUILD)/tests/unit/topo_%: $(TOP)/tests/unit/topo_%.c $(TOPO_LIB) $(TOPO_TOOL_OBJS) $(TOPO_HDRS) $(TOP)/tests/unit/topo_tap.h
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(CC) $(TOPO_CFLAGS) -I$(TOP)/tests/unit -o $@ $< $(TOPO_TOOL_OBJS) $(TOPO_LIB)

ALL += $(TOPO_LIB) $(TOPO_TOOL_OBJS) $(TOPO_TESTS)
UNIT_TESTS += $(TOPO_TESTS)

# Fuzzing the QEMU-syntax parser and the CEDT reader (libFuzzer, time-boxed).
TOPO_FUZZ_CC ?= clang-14
TOPO_FUZZ := $(BUILD)/tests/fuzz/topo_fuzz_parse
$(TOPO_FUZZ): $(TOP)/tests/fuzz/topo_fuzz_parse.c $(TOPO_SRCS) $(TOPO_HDRS) $(TOP)/core/vfio_cap.c
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(TOPO_FUZZ_CC) -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		$(WARN) $(CPPFLAGS_COMMON) -I$(TOPO_DIR) -o $@ $< $(TOPO_SRCS) $(TOP)/core/vfio_cap.c

.PHONY: fuzz-topo
fuzz-topo: $(TOPO_FUZZ)
	@mkdir -p $(RESULTS)
	@bash $(TOP)/tests/fuzz/fuzz_run.sh fuzz_topo $< $(FUZZ_SECONDS) $(RESULTS)/unit-fuzz_topo.tap \
		$(BUILD)/tests/fuzz/topo-corpus $(TOP)/tests/fuzz/corpus/topo -max_len=4096
FUZZ_RUNS += fuzz-topo

# Benchmark: planning 64 devices (reported, not a timed test).
TOPO_BENCH := $(BUILD)/bench/topo_bench
$(TOPO_BENCH): $(TOP)/bench/topo_bench.c $(TOPO_LIB) $(TOPO_HDRS)
	@mkdir -p $(dir $@)
	$(call quiet,CC,$@)$(CC) $(TOPO_CFLAGS) -O2 -o $@ $< $(TOPO_LIB)
.PHONY: bench-topo
bench-topo: $(TOPO_BENCH)
	@mkdir -p $(BUILD)/bench
	$(TOPO_BENCH) | tee $(BUILD)/bench/topo.json

# VM test: each harness topology booted with cxl_acpi; Linux's root decoders
# and QEMU's CEDT against the plan and our CEDT for the same command line.
.PHONY: vm-topo
vm-topo: $(BUILD)/tests/unit/topo_cmd
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-topo.tap bash $(TOPO_DIR)/vm-test.sh $(BUILD)/tests/unit/topo_cmd
VM_TESTS += vm-topo

# QEMU as the oracle for window bases: random machines, `info mtree -f` of a
# stopped QEMU against the plan (no guest boot; a few seconds).
.PHONY: vm-topo-qemu
vm-topo-qemu: $(BUILD)/tests/unit/topo_cmd
	@mkdir -p $(RESULTS)
	@bash $(TOPO_DIR)/qemu-bases.sh $(BUILD)/tests/unit/topo_cmd $(RESULTS)/vm-topo-qemu.tap 24
VM_TESTS += vm-topo-qemu
