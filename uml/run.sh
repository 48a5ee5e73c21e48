#!/usr/bin/env bash
# Boot user-mode Linux on the host's root (hostfs), load kernel/vtty.ko, run
# a command inside, and return its exit status. The run fails (status 3)
# when the guest kernel log shows a WARNING, BUG, Oops, lockdep, KASAN or
# kmemleak report after the module was loaded, even if the command passed.
#
#   uml/run.sh [options] -- COMMAND [ARGS...]
#   uml/run.sh --interactive          # a shell inside UML, module loaded
#
# Options:
#   --kernel 5.10|6.1|6.12|7.2
#                           kernel series (default $VTTY_KERNEL or 6.1)
#   --flavor debug|release  kernel flavor (default $VTTY_FLAVOR or debug)
#   --timeout SECONDS       hard limit for the whole boot (default 1800); a
#                           minute before it, the guest stops the command
#                           and shows what was blocked
#   --mem SIZE              guest memory (default 2G)
#   --log FILE              also copy the guest kernel log there
#   --interactive           run a shell instead of a command
#
# VTTY_MODULE_DIR builds and loads the module from another directory.
#
# The module is rebuilt against the selected kernel first. Exit status: the
# command's own, or 3 for a kernel report, 4 for a timeout or a guest that
# died without reporting, 2 for usage errors.
set -euo pipefail
# shellcheck source=uml/lib.sh
. "$(dirname "$0")/lib.sh"

timeout_s=1800
mem=2G
log_copy=
interactive=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) VTTY_KERNEL=${2:?}; shift 2 ;;
	--flavor) VTTY_FLAVOR=${2:?}; shift 2 ;;
	--timeout) timeout_s=${2:?}; shift 2 ;;
	--mem) mem=${2:?}; shift 2 ;;
	--log) log_copy=${2:?}; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--) shift; break ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done
check_selection
# The guest gives up on the command a minute before the host gives up on
# the boot: time to show where it hung and to collect the kernel log.
guest_timeout_s=$((timeout_s > 120 ? timeout_s - 60 : timeout_s / 2))
[ $interactive = 1 ] || [ $# -gt 0 ] || die "no command given (see --help)"

kdir=$("$UML_DIR/build-kernel.sh")
run=$(mktemp -d "$VTTY_CACHE_DIR/run.XXXXXX")
cleanup() { rm -rf "$run"; }
trap cleanup EXIT

# The module is built for the kernel it is about to meet, in a directory of
# that kernel's own, and the run loads a private copy: concurrent runs on
# different kernels (or an edit mid-run) cannot swap the module under a boot.
module_src=${VTTY_MODULE_DIR:-$REPO_DIR/kernel}
module_build=$kdir.module
(
	flock 8
	mkdir -p "$module_build"
	# A source the module no longer has (an older layout's, another
	# checkout's) would still be built, or clash with an object's name.
	find "$module_build" -maxdepth 1 -type f -name '*.[ch]' ! -name '*.mod.c' |
		while read -r file; do
			[ -e "$module_src/${file##*/}" ] || rm -f "$file"
		done
	# Copy what differs, with a new mtime: a source older than the objects
	# (another checkout, a snapshot) must still be rebuilt.
	find "$module_src" -maxdepth 1 -type f \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) |
		while read -r file; do
			cmp -s "$file" "$module_build/${file##*/}" || cp "$file" "$module_build/"
		done
	make -s -C "$module_build" KDIR="$kdir" ARCH=um >&2
	cp "$module_build/vtty.ko" "$run/vtty.ko"
) 8>"$module_build.lock"

# What the guest's init needs: where to go, what to run, which environment.
write_guest_run "$run" "$VTTY_KERNEL" "$VTTY_FLAVOR" "$interactive" "$guest_timeout_s" "$@"

if [ $interactive = 1 ]; then
	console="con0=fd:0,fd:1"
	# The shell inside reads the terminal, so UML must stay in its group.
	foreground=--foreground
	stdin=/dev/stdin
else
	# No terminal needed (CI): the guest reads nothing, writes to stdout.
	console="con0=null,fd:1"
	foreground=
	stdin=/dev/null
fi

# A guest frozen inside its kernel cannot run its own watchdog. Just before
# the host's timeout, show where the UML kernel (the main host process) is.
# Stopped early, it takes its sleep along: nothing of the run outlives it.
(
	sleep $((timeout_s - 5)) &
	trap 'kill $! 2>/dev/null; exit 0' TERM
	wait $!
	uml_pid=$(cat "$run/vtty/pid" 2>/dev/null) || exit 0
	command -v gdb >/dev/null || exit 0
	log "the guest is still running after $((timeout_s - 5))s; its kernel, as gdb sees it:"
	gdb -p "$uml_pid" -batch -nx -ex 'bt 30' "$kdir/linux" 2>&1 | grep '^#' >&2
) &
frozen_watcher=$!

# A kernel built with SMP (7.x) runs two virtual CPUs: the driver meets
# itself on two CPUs at once only there. UML runs several CPUs only with
# its seccomp userspace (processes stopped by a signal at each system
# call) instead of ptrace; the guest is trusted, which that mode requires.
cpus=()
if grep -q '^CONFIG_SMP=y' "$kdir/.config"; then
	cpus=("ncpus=${VTTY_UML_CPUS:-2}" "seccomp=${VTTY_UML_SECCOMP:-on}")
fi

log "booting $VTTY_KERNEL $VTTY_FLAVOR kernel${cpus:+ with ${cpus[0]#ncpus=} CPUs} (timeout ${timeout_s}s)"
set +e
# shellcheck disable=SC2086
timeout $foreground -k 10 "$timeout_s" "$kdir/linux" \
	mem="$mem" root=/dev/root rootfstype=hostfs rootflags=/ rw \
	init="$UML_DIR/guest-init.sh" vtty_run="$run" uml_dir="$run" umid=vtty \
	con=null "$console" ssl=null quiet loglevel=4 hung_task_panic=0 "${cpus[@]}" \
	<"$stdin" 2>&1
uml_status=$?
kill "$frozen_watcher" 2>/dev/null
set -e
# UML's helper processes carry the same command line; none may outlive
# the run (after a timeout, only the main process was signalled).
pkill -KILL -f "vtty_run=$run" 2>/dev/null || true

judge_guest_run "$run" "$log_copy" "$timeout_s" "$guest_timeout_s" "$uml_status" ""
