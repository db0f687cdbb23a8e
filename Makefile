# vfio-cxl top-level build.
#
# Each folder contributes a fragment, <folder>/build.mk, which appends to:
#   ALL        things `make` builds
#   UNIT_TESTS test programs (TAP on stdout) that `make check-unit` runs
#   FUZZ_RUNS  fuzz run targets (each a phony target producing TAP) for check-unit
#   VM_TESTS   phony targets that `make check-vm` runs (TAP into $(RESULTS)/vm-*.tap)
#   GUEST_BINS static executables or scripts the VM harness puts in the guest's /usr/bin
#   GUEST_MODULES .ko files the harness installs in the guest (modprobe-able)
# Objects go under $(BUILD); nothing is written into the source folders.

SHELL := /bin/bash
.DEFAULT_GOAL := all
TOP     := $(CURDIR)
BUILD   ?= $(TOP)/build
RESULTS := $(BUILD)/results
CACHE   ?= $(or $(VFIO_CXL_CACHE),/var/cache/vfio-cxl)
export VFIO_CXL_CACHE := $(CACHE)

CC      ?= gcc
CLANG   ?= clang
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS_COMMON := -I$(TOP)/include -I$(TOP)/core -I$(TOP)/core/user
# Fuzz budget per target, seconds (CI time-boxes every fuzzer with it).
FUZZ_SECONDS ?= 20
# The guest kernel version, resolved by `make deps` (newest 6.12 at install).
KVER = $(shell cat $(CACHE)/deps.stamp 2>/dev/null)
KDIR = /usr/src/linux-headers-$(KVER)

# Quiet build, in the kernel's style: one line per step ("  CC      core/hdm_emu.o"),
# the commands themselves with V=1. A fragment's recipe line starts with
# $(call quiet,TAG,$@) (prints the line, hides the command) or $(Q) (hides it).
V ?= 0
export V
ifeq ($(V),1)
Q :=
quiet :=
else
Q := @
quiet = @printf '  %-7s %s\n' '$(1)' '$(patsubst $(TOP)/%,%,$(patsubst $(BUILD)/%,%,$(2)))';
MAKEFLAGS += --no-print-directory
endif

ALL :=
UNIT_TESTS :=
FUZZ_RUNS :=
VM_TESTS :=
GUEST_BINS :=
GUEST_MODULES :=

include $(sort $(wildcard $(TOP)/*/build.mk $(TOP)/lib/*/build.mk $(TOP)/tests/*/build.mk $(TOP)/bench/*/build.mk))

TAP_RUN := $(TOP)/scripts/tap-run

# Every VM run boots the project's QEMU (tests/vm/run uses $(QEMU_BIN)):
# build it first (a no-op when the series is unchanged).
$(VM_TESTS) check-vm bench-dpa demo demo-vmm demo-l2 demo-accel: qemu

.PHONY: all deps check check-unit check-vm demo clean
all: $(ALL)

deps:
	@bash $(TOP)/scripts/deps.sh

# Every suite declares its count of results in tests/suites; the summary
# fails a suite that reported nothing, or another count, or was not declared.
# A target list given on the command line (make check-vm VM_TESTS=...) runs
# only some suites: then a missing one is not counted against the run.
SUITES := $(TOP)/tests/suites
SUMMARY = $(TOP)/scripts/tap-summary --manifest $(SUITES) --prefix '$(1)' \
	$(if $(filter command line,$(origin $(2))),--partial)

check-unit: all
	@mkdir -p $(RESULTS)
	@rm -f $(RESULTS)/unit-*.tap
	@rc=0; for t in $(UNIT_TESTS); do \
		$(TAP_RUN) $(RESULTS)/unit-$$(basename $$t).tap $$t || rc=1; \
	done; \
	for f in $(FUZZ_RUNS); do $(MAKE) --no-print-directory $$f || rc=1; done; \
	$(call SUMMARY,unit-,UNIT_TESTS) $(RESULTS)/unit-*.tap || rc=1; exit $$rc

check-vm: all
	@mkdir -p $(RESULTS)
	@rm -f $(RESULTS)/vm-*.tap
	@rc=0; for t in $(VM_TESTS); do $(MAKE) --no-print-directory $$t || rc=1; done; \
	$(call SUMMARY,vm-,VM_TESTS) $(RESULTS)/vm-*.tap || rc=1; exit $$rc

# All tests; the last line is the overall `N passed, N failed`. It exits
# non-zero when any step failed or the summary counts a failure.
check: deps
	@rc=0; $(MAKE) --no-print-directory check-unit || rc=1; \
	$(MAKE) --no-print-directory check-vm || rc=1; \
	echo "== overall =="; \
	$(call SUMMARY,,VM_TESTS) $(RESULTS)/unit-*.tap $(RESULTS)/vm-*.tap || rc=1; exit $$rc

# What each suite reported in the last run, in tests/suites' format (to
# review against the declarations; never copied in blindly).
suites-report:
	@for f in $(RESULTS)/*.tap; do \
		printf '%s %s\n' "$$(basename $$f .tap)" "$$(grep -cE '^ *(not )?ok' $$f)"; done
.PHONY: suites-report

# The main job: the host side (firmware step, vfio-cxl, a VMM through
# libvfiocxl) on the emulated CXL host, then a KVM guest inside it, started by
# the patched QEMU, using the device's memory end to end, then a guest driver
# running a passed-through Type-2 accelerator. The first run builds
# QEMU (about 6 minutes on 2 cores; cached after).
demo: deps all
	@bash $(TOP)/tests/vm/demo.sh && bash $(TOP)/qemu/demo-l2.sh && bash $(TOP)/qemu/demo-accel.sh
demo-vmm: deps all
	@bash $(TOP)/tests/vm/demo.sh
demo-l2: deps all
	@bash $(TOP)/qemu/demo-l2.sh
demo-accel: deps all
	@bash $(TOP)/qemu/demo-accel.sh
.PHONY: demo-vmm demo-l2 demo-accel

clean:
	rm -rf $(BUILD)

# For tests/vm/run: the guest programs and modules, as shell assignments.
print-guest:
	@echo "GUEST_BINS='$(strip $(GUEST_BINS))'; GUEST_MODULES='$(strip $(GUEST_MODULES))'"
.PHONY: print-guest
