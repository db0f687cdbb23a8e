# SPDX-License-Identifier: MIT
# tools/: the vfio-cxl command (host build and a static build for the
# emulated host guest) and vfio-cxl-demo, the guest program of `make demo`.
# The `plan` and `cedt` subcommands come from lib/topo (TOPO_LIB,
# TOPO_TOOL_OBJS) when that fragment exists.

TOOL_DIR      := $(BUILD)/tools
TOOL_NAMES    := vfio-cxl json sysfs list info bind
TOOL_OBJS     := $(TOOL_NAMES:%=$(TOOL_DIR)/%.o)
TOOL_HDRS     := $(TOP)/tools/vfio-cxl.h $(TOP)/lib/libvfiocxl.h $(TOP)/core/cxl_regs.h
TOOL_CPPFLAGS  = $(CPPFLAGS_COMMON) -I$(TOP)/lib $(if $(TOPO_LIB),-DVFIO_CXL_HAVE_TOPO)
TOOL_TOPO      = $(if $(TOPO_LIB),$(TOPO_TOOL_OBJS) $(TOPO_LIB))
VFIO_CXL_BIN  := $(TOOL_DIR)/vfio-cxl
VFIO_CXL_STATIC := $(TOOL_DIR)/static/vfio-cxl
VFIO_CXL_DEMO := $(TOOL_DIR)/static/vfio-cxl-demo
TOOL_UNIT_SRCS := $(wildcard $(TOP)/tests/unit/tool_*_test.c)
TOOL_UNIT_BINS := $(patsubst $(TOP)/tests/unit/%.c,$(BUILD)/tests/unit/%,$(TOOL_UNIT_SRCS))

ifneq ($(HAVE_LIBVFIOCXL),)
ALL += $(VFIO_CXL_BIN) $(VFIO_CXL_STATIC) $(VFIO_CXL_DEMO) $(TOOL_UNIT_BINS)
GUEST_BINS += $(VFIO_CXL_STATIC) $(VFIO_CXL_DEMO)
UNIT_TESTS += $(TOOL_UNIT_BINS)
endif

$(TOOL_OBJS): $(TOOL_DIR)/%.o: $(TOP)/tools/%.c $(TOOL_HDRS) $(wildcard $(TOP)/lib/topo/build.mk)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(TOOL_CPPFLAGS) -c -o $@ $<

$(TOOL_DIR)/demo.o: $(TOP)/tools/demo.c $(TOP)/lib/libvfiocxl.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(TOOL_CPPFLAGS) -c -o $@ $<

$(VFIO_CXL_BIN): $(TOOL_OBJS) $(LIB_A) $(CORE_LIB) $(TOOL_TOPO)
	$(CC) $(CFLAGS) -o $@ $(TOOL_OBJS) $(TOOL_TOPO) $(LIB_A) $(CORE_LIB)

$(VFIO_CXL_STATIC): $(TOOL_OBJS) $(LIB_A) $(CORE_LIB) $(TOOL_TOPO)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $(TOOL_OBJS) $(TOOL_TOPO) $(LIB_A) $(CORE_LIB)

$(VFIO_CXL_DEMO): $(TOOL_DIR)/demo.o $(LIB_A) $(CORE_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -static -o $@ $< $(LIB_A) $(CORE_LIB)

$(BUILD)/tests/unit/tool_%_test: $(TOP)/tests/unit/tool_%_test.c $(VFIO_CXL_BIN)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(WARN) $(TOOL_CPPFLAGS) -DVFIO_CXL_TOOL='"$(VFIO_CXL_BIN)"' -o $@ $<
