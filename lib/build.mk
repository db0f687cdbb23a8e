# SPDX-License-Identifier: LGPL-2.1-or-later
# libvfiocxl: shared and static library, pkg-config file, unit tests.
#
# Needs core's userspace library ($(CORE_LIB), from core/build.mk) for the
# hostile-input capability decoder; until core provides it nothing here is
# built, so the tree keeps building.

LIBVFIOCXL_VERSION := 1.0.0
LIBVFIOCXL_SOVER   := 1
LIB_DIR    := $(BUILD)/lib
LIB_SRCS   := $(wildcard $(TOP)/lib/*.c)
LIB_OBJS   := $(patsubst $(TOP)/lib/%.c,$(LIB_DIR)/%.o,$(LIB_SRCS))
LIB_SO     := $(LIB_DIR)/libvfiocxl.so.$(LIBVFIOCXL_VERSION)
LIB_A      := $(LIB_DIR)/libvfiocxl.a
LIB_PC     := $(LIB_DIR)/libvfiocxl.pc
LIB_CPPFLAGS := $(CPPFLAGS_COMMON) -I$(TOP)/lib
PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib

LIB_UNIT_SRCS := $(wildcard $(TOP)/tests/unit/lib_*_test.c)
LIB_UNIT_BINS := $(patsubst $(TOP)/tests/unit/%.c,$(BUILD)/tests/unit/%,$(LIB_UNIT_SRCS))
LIB_UNIT_HELPERS := $(wildcard $(TOP)/tests/unit/lib_fake*.c)

LIB_ABI_TEST := $(BUILD)/tests/unit/lib_abi_check

ALL += $(LIB_SO) $(LIB_A) $(LIB_PC) $(LIB_UNIT_BINS) $(LIB_ABI_TEST)
UNIT_TESTS += $(LIB_UNIT_BINS) $(LIB_ABI_TEST)

$(LIB_OBJS): $(LIB_DIR)/%.o: $(TOP)/lib/%.c $(TOP)/lib/libvfiocxl.h $(TOP)/lib/private.h \
		$(TOP)/core/cxlemu.h $(TOP)/core/cxl_regs.h $(TOP)/include/uapi/linux/vfio_cxl.h
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(LIB_CPPFLAGS) -fPIC -fvisibility=hidden -c -o $@ $<

# The shared library carries core's decoder inside it (core is static, PIC).
$(LIB_SO): $(LIB_OBJS) $(TOP)/lib/libvfiocxl.sym $(CORE_LIB)
	$(call quiet,LD,$@)$(CC) $(CFLAGS) $(LDFLAGS) -shared -fPIC -Wl,-soname,libvfiocxl.so.$(LIBVFIOCXL_SOVER) \
		-Wl,--version-script=$(TOP)/lib/libvfiocxl.sym -o $@ $(LIB_OBJS) $(CORE_LIB)
	$(Q)ln -sf $(notdir $@) $(LIB_DIR)/libvfiocxl.so.$(LIBVFIOCXL_SOVER)
	$(Q)ln -sf $(notdir $@) $(LIB_DIR)/libvfiocxl.so

# The static library carries core's objects too: -lvfiocxl is all a user needs.
$(LIB_A): $(LIB_OBJS) $(CORE_LIB)
	@rm -f $@
	$(call quiet,AR,$@)cp $(CORE_LIB) $@
	$(Q)ar rs $@ $(LIB_OBJS)

$(LIB_PC): $(TOP)/lib/libvfiocxl.pc.in
	@mkdir -p $(@D)
	$(call quiet,GEN,$@)sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@VERSION@|$(LIBVFIOCXL_VERSION)|' $< > $@

$(BUILD)/tests/unit/lib_%_test: $(TOP)/tests/unit/lib_%_test.c $(LIB_UNIT_HELPERS) \
		$(TOP)/tests/unit/lib_fake.h $(LIB_A) $(CORE_LIB)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CFLAGS) $(WARN) $(LIB_CPPFLAGS) -I$(TOP)/tests/unit -o $@ $< $(LIB_UNIT_HELPERS) \
		$(LIB_A) $(CORE_LIB)

# ---- install (DESTDIR, PREFIX)
LIBDIR_INSTALL = $(DESTDIR)$(LIBDIR)
.PHONY: install-libvfiocxl
install-libvfiocxl: $(LIB_SO) $(LIB_A) $(LIB_PC)
	$(call quiet,INSTALL,$@)install -d $(LIBDIR_INSTALL)/pkgconfig $(DESTDIR)$(PREFIX)/include
	$(Q)install -m 0755 $(LIB_SO) $(LIBDIR_INSTALL)/
	$(Q)ln -sf $(notdir $(LIB_SO)) $(LIBDIR_INSTALL)/libvfiocxl.so.$(LIBVFIOCXL_SOVER)
	$(Q)ln -sf $(notdir $(LIB_SO)) $(LIBDIR_INSTALL)/libvfiocxl.so
	$(Q)install -m 0644 $(LIB_A) $(LIBDIR_INSTALL)/
	$(Q)install -m 0644 $(TOP)/lib/libvfiocxl.h $(DESTDIR)$(PREFIX)/include/
	$(Q)install -m 0644 $(LIB_PC) $(LIBDIR_INSTALL)/pkgconfig/

# The installed library as a VMM sees it: public header alone, pkg-config,
# shared and static link, versioned symbols. A generated TAP script.
$(LIB_ABI_TEST): $(TOP)/lib/build.mk $(TOP)/tests/unit/lib_abi_check.sh $(TOP)/tests/unit/lib_abi_main.c $(LIB_SO) $(LIB_A) $(LIB_PC)
	@mkdir -p $(@D)
	$(call quiet,GEN,$@){ echo '#!/bin/sh'; \
	  echo 'TOP=$(TOP) BUILD=$(BUILD) STAGE=$(BUILD)/lib-stage PREFIX=$(PREFIX)'; \
	  echo 'export TOP BUILD STAGE PREFIX'; \
	  echo 'exec sh $(TOP)/tests/unit/lib_abi_check.sh'; } > $@
	$(Q)chmod +x $@

# ---- fuzz: the open path against a hostile kernel (libFuzzer, time-boxed)
LIB_FUZZ := $(BUILD)/tests/fuzz/lib_fuzz_open
$(LIB_FUZZ): $(TOP)/tests/unit/lib_fuzz_open.c $(LIB_UNIT_HELPERS) $(TOP)/tests/unit/lib_fake.h \
		$(LIB_SRCS) $(TOP)/lib/private.h $(CORE_SRCS)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined $(WARN) \
		$(LIB_CPPFLAGS) -I$(TOP)/tests/unit -o $@ $(TOP)/tests/unit/lib_fuzz_open.c \
		$(LIB_UNIT_HELPERS) $(LIB_SRCS) $(CORE_SRCS)

.PHONY: fuzz-lib
fuzz-lib: $(LIB_FUZZ)
	@mkdir -p $(RESULTS)
	@bash $(TOP)/tests/fuzz/fuzz_run.sh fuzz_lib $< $(FUZZ_SECONDS) $(RESULTS)/unit-fuzz_lib.tap \
		$(BUILD)/tests/fuzz/corpus_lib $(TOP)/tests/fuzz/corpus/lib_open -max_len=2048

FUZZ_RUNS += fuzz-lib
