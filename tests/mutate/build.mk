# SPDX-License-Identifier: MIT
# tests/mutate: mutation testing of the unit suite (not part of `make check`:
# it rebuilds and reruns the unit programs once per mutation, minutes).
#   make mutate                     every mutation, unit programs only
#   make mutate MUTATE_ARGS='-k dvsec --fuzz'
# The report and its figures: tests/mutate/README.md.

.PHONY: mutate mutate-print-units mutate-print-fuzz
mutate:
	@python3 $(TOP)/tests/mutate/run $(MUTATE_ARGS)

# For tests/mutate/run: the unit programs of check-unit but the kernel
# build check, and the fuzz run targets.
mutate-print-units:
	@echo $(filter-out %/core_kcheck,$(UNIT_TESTS))
mutate-print-fuzz:
	@echo $(FUZZ_RUNS)
