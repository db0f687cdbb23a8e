# SPDX-License-Identifier: MIT
# tools/: the vfio-cxl command (host build and a static build for the
# emulated host guest) and vfio-cxl-demo, the guest program of `make demo`.
# The `plan` and `cedt` subcommands come from lib/topo (TOPO_LIB,
# TOPO_TOOL_OBJS) when that fragment exists.

TOOL_DIR      := $(BUILD)/tools
TOOL_NAMES    := vfio-cxl json sysfs list info bind vmconfig
TOOL_OBJS     := $(TOOL_NAMES:%=$(TOOL_DIR)/%.o)
TOOL_HDRS     := $(TOP)/tools/vfio-cxl.h $(TOP)/lib/libvfiocxl.h $(TOP)/core/cxl_regs.h \
		 $(wildcard $(TOP)/lib/topo/vfiocxl-topo.h)
TOOL_CPPFLAGS  = $(CPPFLAGS_COMMON) -I$(TOP)/lib $(if $(TOPO_LIB),-DVFIO_CXL_HAVE_TOPO -I$(TOP)/lib/topo) \
		 -DVFIO_CXL_VERSION='"$(LIBVFIOCXL_VERSION)"'
TOOL_TOPO      = $(TOPO_TOOL_OBJS) $(TOPO_LIB)
VFIO_CXL_BIN  := $(TOOL_DIR)/vfio-cxl
VFIO_CXL_STATIC := $(TOOL_DIR)/static/vfio-cxl
VFIO_CXL_DEMO := $(TOOL_DIR)/static/vfio-cxl-demo
TOOL_UNIT_SRCS := $(wildcard $(TOP)/tests/unit/tool_*_test.c)
TOOL_UNIT_BINS := $(patsubst $(TOP)/tests/unit/%.c,$(BUILD)/tests/unit/%,$(TOOL_UNIT_SRCS))

ALL += $(VFIO_CXL_BIN) $(VFIO_CXL_STATIC) $(VFIO_CXL_DEMO) $(TOOL_UNIT_BINS)
GUEST_BINS += $(VFIO_CXL_STATIC) $(VFIO_CXL_DEMO)
UNIT_TESTS += $(TOOL_UNIT_BINS)

$(TOOL_OBJS): $(TOOL_DIR)/%.o: $(TOP)/tools/%.c $(TOOL_HDRS) $(wildcard $(TOP)/lib/topo/build.mk)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(TOOL_CPPFLAGS) -c -o $@ $<

$(TOOL_DIR)/demo.o: $(TOP)/tools/demo.c $(TOP)/lib/libvfiocxl.h
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CFLAGS) $(WARN) $(TOOL_CPPFLAGS) -c -o $@ $<

$(VFIO_CXL_BIN): $(TOOL_OBJS) $(LIB_A) $(CORE_LIB) $(TOOL_TOPO)
	$(call quiet,LD,$@)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TOOL_OBJS) $(TOOL_TOPO) $(LIB_A) $(CORE_LIB)

$(VFIO_CXL_STATIC): $(TOOL_OBJS) $(LIB_A) $(CORE_LIB) $(TOOL_TOPO)
	@mkdir -p $(@D)
	$(call quiet,LD,$@)$(CC) $(CFLAGS) -static -o $@ $(TOOL_OBJS) $(TOOL_TOPO) $(LIB_A) $(CORE_LIB)

$(VFIO_CXL_DEMO): $(TOOL_DIR)/demo.o $(LIB_A) $(CORE_LIB)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CFLAGS) -static -o $@ $< $(LIB_A) $(CORE_LIB)

$(BUILD)/tests/unit/tool_%_test: $(TOP)/tests/unit/tool_%_test.c $(TOP)/tests/unit/tool_fake.h $(VFIO_CXL_BIN)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CFLAGS) $(WARN) $(TOOL_CPPFLAGS) -DVFIO_CXL_TOOL='"$(VFIO_CXL_BIN)"' -o $@ $<

# ---- in-guest tests against the real module (tests/vm/run), TAP into $(RESULTS)
VFIO_CXL_LIBTEST := $(TOOL_DIR)/static/vfio-cxl-libtest
VFIO_CXL_AGREE   := $(TOOL_DIR)/static/vfio-cxl-agree
VFIO_CXL_CLITEST := $(TOOL_DIR)/static/vfio-cxl-clitest
ALL += $(VFIO_CXL_LIBTEST) $(VFIO_CXL_AGREE) $(VFIO_CXL_CLITEST)
GUEST_BINS += $(VFIO_CXL_LIBTEST) $(VFIO_CXL_AGREE) $(VFIO_CXL_CLITEST)
VM_TESTS += vm-lib-single vm-lib-quad vm-agree-quad vm-cli-single vm-demo-single

$(VFIO_CXL_LIBTEST): $(TOP)/tools/tests/vfio-cxl-libtest.c $(TOOL_HDRS) $(LIB_A) $(CORE_LIB)
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CFLAGS) $(WARN) $(TOOL_CPPFLAGS) -static -o $@ $< $(LIB_A) $(CORE_LIB)

$(VFIO_CXL_AGREE) $(VFIO_CXL_CLITEST): $(TOOL_DIR)/static/%: $(TOP)/tools/tests/%
	@mkdir -p $(@D)
	$(call quiet,INSTALL,$@)install -m 755 $< $@

# lspci (pciutils) is dynamic: its libraries and loader ride along in /usr/bin.
LSPCI_FILES = $(shell command -v lspci >/dev/null && { echo $$(command -v lspci); ldd $$(command -v lspci) | grep -o '/[^ ]*'; })
TOOL_VM_MODS := vfio_iommu_type1,vfio-cxl

.PHONY: vm-lib-single vm-lib-quad vm-agree-quad vm-cli-single vm-demo-single
vm-lib-single vm-lib-quad: vm-lib-%: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-lib-$*.tap $(TOP)/tests/vm/run -q -t $* -w $(BUILD)/vm/lib-$* \
		--firmware -m $(TOOL_VM_MODS) -- sh -c \
		'for d in $$VFIO_CXL_DEVICES; do vfio-cxl bind -q $$d || exit 1; done; vfio-cxl-libtest'

vm-agree-quad: vm-agree-%: all
	@mkdir -p $(RESULTS) $(BUILD)/vm/lspci
	@for f in $(LSPCI_FILES); do cp -L $$f $(BUILD)/vm/lspci/$$(basename $$f); done
	@GUEST_EXTRA_BINS="$$(ls $(BUILD)/vm/lspci/* | tr '\n' ' ')" \
	$(TAP_RUN) $(RESULTS)/vm-agree-$*.tap $(TOP)/tests/vm/run -q -t $* -w $(BUILD)/vm/agree-$* \
		--firmware -m $(TOOL_VM_MODS) -- vfio-cxl-agree

vm-cli-single: vm-cli-%: all
	@mkdir -p $(RESULTS)
	@$(TAP_RUN) $(RESULTS)/vm-cli-$*.tap $(TOP)/tests/vm/run -q -t $* -w $(BUILD)/vm/cli-$* \
		--firmware -m $(TOOL_VM_MODS) -- vfio-cxl-clitest

.PHONY: install-vfio-cxl userspace
install-vfio-cxl: $(VFIO_CXL_BIN)
	$(call quiet,INSTALL,$@)install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	$(Q)install -m 0755 $(VFIO_CXL_BIN) $(DESTDIR)$(PREFIX)/bin/vfio-cxl
	$(Q)install -m 0644 $(TOP)/tools/vfio-cxl.1 $(DESTDIR)$(PREFIX)/share/man/man1/vfio-cxl.1
	$(Q)install -m 0644 $(TOP)/tools/vfio-cxl.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/vfio-cxl

# What the Debian packages ship (debian/rules): library, command; no tests.
userspace: $(LIB_SO) $(LIB_A) $(LIB_PC) $(VFIO_CXL_BIN)

vm-demo-single: all
	@mkdir -p $(RESULTS) $(BUILD)/vm
	@$(TAP_RUN) $(RESULTS)/vm-demo-single.tap bash $(TOP)/tools/tests/vm-demo-test $(TOP) $(BUILD)/vm/demo-single
