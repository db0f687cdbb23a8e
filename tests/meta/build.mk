# tests/meta: tests of the test plumbing itself (tap-run, tap-summary, the
# negative controls, the ABI check, a failing VM target under a fake QEMU).
META_TEST := $(BUILD)/tests/unit/meta_plumbing
$(META_TEST): $(TOP)/tests/meta/build.mk
	@mkdir -p $(@D)
	@printf '#!/bin/sh\nexec bash %s %s %s\n' $(TOP)/tests/meta/plumbing.sh $(TOP) $(BUILD) > $@
	@chmod +x $@
ALL += $(META_TEST)
UNIT_TESTS += $(META_TEST)
