#!/usr/bin/env bash
# The kernel module's static checks, as the project promises them: the
# module builds with W=1 and sparse (C=2) without a single diagnostic against
# every supported kernel, and checkpatch.pl --strict (from that kernel's own
# source) finds nothing in any kernel/*.c or kernel/*.h. `make install`
# staged into a scratch DESTDIR puts the module where depmod finds it and
# installs the udev rule unchanged.
#
#   uml/kernel-lint.sh                 # UML 5.10, 6.1, 6.12 and 7.2
#   VTTY_KERNELS="7.2 debian-6.12-rt" uml/kernel-lint.sh
#
# A UML series is linted against its UML build (uml/build-kernel.sh); a
# QEMU target (debian-6.1, debian-6.12-rt) against Debian's own headers
# for it, the tree DKMS builds against (uml/qemu-kernel.sh).
#
# Exit status 0 when clean, 1 with the diagnostics printed otherwise.
set -euo pipefail
# shellcheck source=uml/lib.sh
source "$(dirname "$0")/lib.sh"

ensure_packages sparse kmod

# make install into DESTDIR=WORK/stage (more make arguments after KDIR);
# prints what is wrong and fails, if anything.
check_staged_install() {
	local work=$1 kdir=$2 stage=$1/stage out ko
	shift 2
	# depmod warns that a staged tree has no modules.order of its own kernel: expected.
	if ! out=$(make -s -C "$work" KDIR="$kdir" "$@" DESTDIR="$stage" install 2>&1); then
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
# Lints the module against one kernel build tree (NAME KDIR SOURCE
# STAGED_INSTALL): W=1 and sparse, the staged install (yes or no), and
# checkpatch from that kernel's own source.
lint_against() {
	local name=$1 kdir=$2 src=$3 staged_install=$4 work out install_problem sparse file
	local arch=()
	[ ! -f "$kdir/include/generated/autoconf.h" ] || ! grep -q 'CONFIG_UML 1' \
		"$kdir/include/generated/autoconf.h" || arch=(ARCH=um)
	sparse=$("$UML_DIR/sparse.sh" "$src")
	work=$(mktemp -d)
	module_sources "$REPO_DIR/kernel" | xargs cp -t "$work/"
	cp "$REPO_DIR"/kernel/{Kbuild,Makefile,99-vtty.rules} "$work/"
	# Every line kbuild prints beyond its own progress is a diagnostic, but
	# for the note of a BTF-enabled distribution kernel (Debian's) whose
	# headers come without vmlinux.
	out=$(make -s -C "$work" KDIR="$kdir" "${arch[@]}" W=1 C=2 CHECK="$sparse" 2>&1 |
		grep -v -e '^  [A-Z]' -e '^Skipping BTF generation for .* due to unavailability of vmlinux$' ||
		true)
	if [ -n "$out" ]; then
		log "$name: W=1 / sparse diagnostics:"
		echo "$out" >&2
		status=1
	else
		log "$name: W=1 and sparse clean"
	fi
	if [ "$staged_install" = no ]; then
		: # Debian's headers: DKMS installed the module (uml/qemu-kernel.sh).
	elif ! install_problem=$(check_staged_install "$work" "$kdir" "${arch[@]}"); then
		log "$name: make install: $install_problem"
		status=1
	else
		log "$name: make install (staged) puts vtty.ko in modules.dep and the udev rule in place"
	fi
	rm -rf "$work"
	local checkpatch_files=()
	while read -r file; do
		checkpatch_files+=(-f "$file")
	done < <(module_sources "$REPO_DIR/kernel")
	local checkpatch_status=0 findings
	out=$("$src/scripts/checkpatch.pl" --strict --no-tree --quiet --terse \
		"${checkpatch_files[@]}" 2>&1) || checkpatch_status=$?
	# Some versions print a clean total per file even with --quiet.
	findings=$(grep -v -e '^total: 0 errors, 0 warnings, 0 checks' -e '^$' <<<"$out" || true)
	if [ $checkpatch_status -eq 0 ] && [ -z "$findings" ]; then
		log "$name: checkpatch --strict clean"
	else
		log "$name: checkpatch --strict (status $checkpatch_status):"
		echo "$findings" >&2
		status=1
	fi
}

status=0
for target in ${VTTY_KERNELS:-5.10 6.1 6.12 7.2}; do
	if is_qemu_target "$target"; then
		# Debian's own headers, as DKMS builds against them for a user.
		build=$("$UML_DIR/qemu-kernel.sh" --target "$target" | sed -n 's/^build=//p')
		[ -n "$build" ] || die "$target: uml/qemu-kernel.sh failed"
		VTTY_KERNEL=$(qemu_target_series "$target")
		lint_against "$target" "$build" "$(kernel_source_tree)" no
		continue
	fi
	VTTY_KERNEL=$target
	# The series the suites boot are linted against the debug build they
	# boot; the others (5.10, whose UML cannot have KASAN, and 7.2, see
	# docs/kernels.md) against a release build, a third of the build time.
	case $VTTY_KERNEL in
	6.1 | 6.12) export VTTY_FLAVOR=debug ;;
	*) export VTTY_FLAVOR=release ;;
	esac
	check_selection
	kdir=$("$UML_DIR/build-kernel.sh")
	lint_against "$VTTY_KERNEL" "$kdir" "$kdir/source" yes
done
exit $status
