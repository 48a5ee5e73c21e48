#!/usr/bin/env bash
# The kernel module's static checks, as the project promises them: the
# module builds with W=1 and sparse (C=2) without a single diagnostic against
# every supported kernel, and checkpatch.pl --strict (from that kernel's own
# source) finds nothing in any kernel/*.c or kernel/*.h. `make install`
# staged into a scratch DESTDIR puts the module where depmod finds it and
# installs the udev rule unchanged.
#
#   uml/kernel-lint.sh                 # 6.1 and 6.12
#   VTTY_KERNELS=6.12 uml/kernel-lint.sh
#
# Exit status 0 when clean, 1 with the diagnostics printed otherwise.
set -euo pipefail
# shellcheck source=uml/lib.sh
source "$(dirname "$0")/lib.sh"

ensure_packages sparse kmod

# make install into DESTDIR=WORK/stage; prints what is wrong and fails, if anything.
check_staged_install() {
	local work=$1 kdir=$2 stage=$1/stage out ko
	# depmod warns that a staged tree has no modules.order of its own kernel: expected.
	if ! out=$(make -s -C "$work" KDIR="$kdir" ARCH=um DESTDIR="$stage" install 2>&1); then
		echo "failed: $out"
		return 1
	fi
	ko=$(cd "$stage" && find lib/modules -name vtty.ko)
	if [ -z "$ko" ]; then
		echo "no vtty.ko under $stage/lib/modules"
		return 1
	fi
	if ! grep -q "^${ko#lib/modules/*/}:" "$(dirname "$stage/$ko")/../modules.dep"; then
		echo "modules.dep does not list ${ko#lib/modules/*/}"
		return 1
	fi
	if ! cmp -s "$work/99-vtty.rules" "$stage/etc/udev/rules.d/99-vtty.rules"; then
		echo "the udev rule is not at /etc/udev/rules.d/99-vtty.rules"
		return 1
	fi
}
status=0
for VTTY_KERNEL in ${VTTY_KERNELS:-6.1 6.12}; do
	# 5.10's UML cannot have KASAN, so it has no debug flavor: the module
	# is only built against it (see docs/kernels.md).
	VTTY_FLAVOR=debug
	[ "$VTTY_KERNEL" != 5.10 ] || VTTY_FLAVOR=release
	check_selection
	kdir=$("$UML_DIR/build-kernel.sh")
	sparse=$("$UML_DIR/sparse.sh" "$kdir/source")
	work=$(mktemp -d)
	module_sources "$REPO_DIR/kernel" | xargs cp -t "$work/"
	cp "$REPO_DIR"/kernel/{Kbuild,Makefile,99-vtty.rules} "$work/"
	# Every line kbuild prints beyond its own progress is a diagnostic.
	out=$(make -s -C "$work" KDIR="$kdir" ARCH=um W=1 C=2 CHECK="$sparse" 2>&1 | grep -v '^  [A-Z]' || true)
	if [ -n "$out" ]; then
		log "$VTTY_KERNEL: W=1 / sparse diagnostics:"
		echo "$out" >&2
		status=1
	else
		log "$VTTY_KERNEL: W=1 and sparse clean"
	fi
	if ! install_problem=$(check_staged_install "$work" "$kdir"); then
		log "$VTTY_KERNEL: make install: $install_problem"
		status=1
	else
		log "$VTTY_KERNEL: make install (staged) puts vtty.ko in modules.dep and the udev rule in place"
	fi
	rm -rf "$work"
	checkpatch_files=()
	while read -r file; do
		checkpatch_files+=(-f "$file")
	done < <(module_sources "$REPO_DIR/kernel")
	if ! "$kdir/source/scripts/checkpatch.pl" --strict --no-tree --quiet --terse \
		"${checkpatch_files[@]}" >&2; then
		status=1
	else
		log "$VTTY_KERNEL: checkpatch --strict clean"
	fi
done
exit $status
