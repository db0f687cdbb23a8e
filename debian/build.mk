# SPDX-License-Identifier: MIT
# debian/: `make deb` builds the four Debian packages (vfio-cxl-dkms,
# libvfiocxl1, libvfiocxl-dev, vfio-cxl) into $(BUILD)/deb with
# dpkg-buildpackage and checks them with lintian; the unit test pkg_deb
# installs them with apt, uses them and purges them.

DEB_OUT := $(BUILD)/deb
.PHONY: deb
deb:
	@bash $(TOP)/scripts/mkdeb.sh $(DEB_OUT)

DEB_TEST := $(BUILD)/tests/unit/pkg_deb
$(DEB_TEST): $(TOP)/debian/build.mk $(TOP)/tests/unit/pkg_deb.sh
	@mkdir -p $(@D)
	$(call quiet,GEN,$@)printf '#!/bin/sh\nexec bash %s %s %s %s\n' '$(TOP)/tests/unit/pkg_deb.sh' '$(TOP)' \
		'$(DEB_OUT)' '$(CACHE)' > $@
	$(Q)chmod +x $@
ALL += $(DEB_TEST)
UNIT_TESTS += $(DEB_TEST)
