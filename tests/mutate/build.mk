# SPDX-License-Identifier: MIT
# tests/mutate: mutation testing of the unit suite (not part of `make check`:
# it rebuilds and reruns the unit programs once per mutation, minutes).
#   make mutate                     every mutation, unit programs only
#   make mutate MUTATE_ARGS='-k dvsec --fuzz'
# The report and its figures: tests/mutate/README.md.

.PHONY: mutate mutate-print-units mutate-print-fuzz
mutate:
	@python3 $(TOP)/tests/mutate/run $(MUTATE_ARGS)

# For tests/mutate/run: the unit programs of check-unit but those that test
# no code a mutation changes and are slow: the kernel build check
# (core_kcheck), the Debian packages (pkg_deb: builds the packages, installs
# them into this machine with apt and DKMS, purges them) and the test
# plumbing's own tests (meta_plumbing: fake QEMU runs, over 120 s on a
# loaded machine); and the fuzz run targets.
MUTATE_SKIP := core_kcheck pkg_deb meta_plumbing
mutate-print-units:
	@echo $(filter-out $(addprefix %/,$(MUTATE_SKIP)),$(UNIT_TESTS))
mutate-print-fuzz:
	@echo $(FUZZ_RUNS)
