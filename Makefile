# vserver-ng top-level Makefile.
#
#   make demo    install what is missing, build everything, boot a demo guest
#   make check   install what is missing, build everything, run all tests
#
# Other targets: deps kernel kmod userspace tests image unit-check vm-check
# bench series-check cluster-check clean.  VSERVER_KERNEL=debug selects the
# KASAN/lockdep kernel (see Documentation/testing.md for why CI runs the
# release one).

SHELL := /bin/bash
S := scripts

.PHONY: all deps kernel kmod userspace tests image demo check unit-check \
	vm-check bench series-check cluster-check clean

all: image

deps:
	$(S)/install-deps

kernel: deps
	$(S)/build-kernel >/dev/null

kmod: kernel
	$(S)/build-kmod

userspace: deps
	$(S)/build-userspace

tests: kernel
	$(S)/build-tests

image: kmod userspace tests
	$(S)/build-image

demo: image
	$(S)/vm-run $(S)/demo.sh

unit-check: userspace
	ctest --test-dir build/userspace --output-on-failure

vm-check: image
	tests/run-vm-tests

check: export VSERVER_KERNEL ?= release
check:
	$(S)/check

bench: image
	VM_NIC_PAIR=1 $(S)/vm-run bench/run.sh

# every patch of the series builds on its own (slow, not in check)
series-check: deps
	$(S)/check-series

# the Pacemaker cluster tests on Debian 12 nodes in QEMU (slow, needs
# root and debootstrap; Documentation/cluster.md)
cluster-check: kmod userspace
	$(S)/cluster-check

clean:
	rm -rf build
