# shellcheck shell=bash
# Shared settings of the UML bench scripts; sourced, not run.
# Every setting can be overridden from the environment.

# Kernel series (a Debian linux-source-<series> package) and flavor.
VTTY_KERNEL=${VTTY_KERNEL:-6.1}
VTTY_FLAVOR=${VTTY_FLAVOR:-debug}
# Builds are cached outside the repository, keyed by version and config.
VTTY_CACHE_DIR=${VTTY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/vtty-uml}

UML_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck disable=SC2034 # for the scripts that source this file
REPO_DIR=$(cd "$UML_DIR/.." && pwd)

die() {
	echo "uml: $*" >&2
	exit 2
}

log() {
	echo "uml: $*" >&2
}

# The module's C sources and headers in DIR, one per line: what kbuild
# generates there after an in-place build (*.mod.c) is not a source.
module_sources() {
	find "$1" -maxdepth 1 -type f -name '*.[ch]' ! -name '*.mod.c' | sort
}

# Validates the selection and hands it to the scripts this one runs.
check_selection() {
	case $VTTY_KERNEL in 5.10 | 6.1 | 6.12 | 7.2) ;; *) die "VTTY_KERNEL must be 5.10, 6.1, 6.12 or 7.2, not '$VTTY_KERNEL'" ;; esac
	case $VTTY_FLAVOR in debug | release) ;; *) die "VTTY_FLAVOR must be debug or release, not '$VTTY_FLAVOR'" ;; esac
	export VTTY_KERNEL VTTY_FLAVOR VTTY_CACHE_DIR
}

# Install Debian packages that are missing (needs root and the package lists).
ensure_packages() {
	local missing=() pkg
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		die "missing Debian packages (${missing[*]}); install them as root"
	fi
	# Another apt (a second script of ours) may hold dpkg's lock: wait for it.
	apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
		--no-install-recommends "${missing[@]}" >&2
}

kernel_package() {
	echo "linux-source-$VTTY_KERNEL"
}

kernel_package_version() {
	dpkg-query -W -f='${Version}' "$(kernel_package)"
}

# Extracts the selected series' Debian source package into the cache, once,
# and prints where it is. The flavors of one series (and the lint) share
# the tree: a second caller waits for the first one's extraction.
kernel_source_tree() {
	local src
	src=$VTTY_CACHE_DIR/src/linux-source-$(kernel_package_version)
	mkdir -p "$VTTY_CACHE_DIR/src"
	(
		flock 7
		if [ ! -f "$src/.vtty-extracted" ]; then
			log "extracting $(kernel_package) $(kernel_package_version) into $src"
			rm -rf "$src"
			mkdir -p "$src"
			tar -xf "/usr/src/linux-source-$VTTY_KERNEL.tar.xz" -C "$src" --strip-components=1
			# 5.10's UML names arch/um/include/uapi among the include
			# directories without having one (6.1 has it), and W=1's
			# -Wmissing-include-dirs then warns on every file of an
			# out-of-tree module.
			mkdir -p "$src/arch/um/include/uapi"
			touch "$src/.vtty-extracted"
		fi
	) 7>"$src.lock"
	echo "$src"
}

# The guest kernels of the test matrix (VTTY_KERNELS): a UML series (5.10,
# 6.1, 6.12, 7.2) or one of Debian's own kernels in QEMU.
is_qemu_target() {
	case $1 in debian-*) return 0 ;; *) return 1 ;; esac
}

# The kernel series of a QEMU target: its source's checkpatch lints for it.
qemu_target_series() {
	case $1 in
	debian-6.1) echo 6.1 ;;
	debian-6.12-rt) echo 6.12 ;;
	*) die "unknown QEMU target '$1' (debian-6.1 or debian-6.12-rt)" ;;
	esac
}

# The config fragments that define a kernel, in merge order: the base, what
# this kernel series needs in every flavor, the flavor, and what only this
# series offers for the flavor.
config_fragments() {
	local fragment
	for fragment in base "$VTTY_KERNEL" "$VTTY_FLAVOR" "$VTTY_FLAVOR-$VTTY_KERNEL"; do
		[ ! -f "$UML_DIR/config/$fragment.config" ] || echo "$UML_DIR/config/$fragment.config"
	done
}

# Where this kernel version + flavor + config is (or will be) built.
kernel_build_dir() {
	local hash
	# shellcheck disable=SC2046
	hash=$(cat $(config_fragments) | sha256sum | cut -c1-12)
	echo "$VTTY_CACHE_DIR/build/$VTTY_KERNEL-$(kernel_package_version)-$VTTY_FLAVOR-$hash"
}

# VTTY_TEST_SLOW=1 makes this host slow on purpose, as a hypervisor that
# takes a share of the CPU does: one busy loop per core competes with
# everything the calling script starts. The loops end by themselves when
# the script that started them exits (its pid survives `exec`), so no trap
# is needed; a script run by one that loads the host already adds none.
# VTTY_TEST_SLOW_NICE sets their niceness (default 0; -5 hits harder).
start_host_load() {
	[ "${VTTY_TEST_SLOW:-0}" = 1 ] || return 0
	[ -z "${VTTY_HOST_LOADED_BY:-}" ] || return 0
	export VTTY_HOST_LOADED_BY=$$
	local cores _
	cores=$(nproc)
	for _ in $(seq "$cores"); do
		nice -n "${VTTY_TEST_SLOW_NICE:-0}" \
			bash -c 'while kill -0 "$1" 2>/dev/null; do :; done' busy-loop "$$" \
			</dev/null >/dev/null 2>&1 &
	done
	log "VTTY_TEST_SLOW=1: $cores busy loops compete for the CPUs until pid $$ exits"
}

# Writes what a guest's PID 1 (uml/guest-init.sh) reads from the run
# directory RUN: its environment, and the command (the rest of the
# arguments) unless there is none (an interactive shell).
#   write_guest_run RUN KERNEL FLAVOR INTERACTIVE GUEST_TIMEOUT [COMMAND...]
write_guest_run() {
	local run=$1 kernel=$2 flavor=$3 interactive=$4 guest_timeout=$5 name
	shift 5
	{
		printf 'export VTTY_GUEST_CWD=%q\n' "$PWD"
		printf 'export VTTY_MODULE=%q\n' "$run/vtty.ko"
		printf 'export VTTY_INTERACTIVE=%q\n' "$interactive"
		printf 'export VTTY_KERNEL=%q VTTY_FLAVOR=%q\n' "$kernel" "$flavor"
		printf 'export VTTY_GUEST_TIMEOUT=%d\n' "$guest_timeout"
		printf 'export HOME=%q TERM=%q TMPDIR=/run/tmp\n' "$HOME" "${TERM:-dumb}"
		printf 'export PATH=%q\n' "$PATH"
		for name in CI COREPACK_ENABLE_DOWNLOAD_PROMPT COREPACK_INTEGRITY_KEYS NO_COLOR FORCE_COLOR; do
			[ -z "${!name+set}" ] || printf 'export %s=%q\n' "$name" "${!name}"
		done
		# Anything the caller exports as VTTY_TEST_* reaches the guest too.
		while IFS='=' read -r name _; do
			printf 'export %s=%q\n' "$name" "${!name}"
		done < <(env | grep '^VTTY_TEST_' || true)
	} >"$run/env"
	if [ $# -gt 0 ]; then
		printf '%q ' "$@" >"$run/command"
		echo >>"$run/command"
	fi
}

# The verdict on a guest run once the guest is gone: the command's exit
# status, or 3 when the kernel log shows a report from the module's load
# onwards (a 6.1 lockdep kernel reports RCU usage in lib/maple_tree.c while
# booting, before the module), 4 when the guest timed out or died without
# reporting. Exits with it.
#   judge_guest_run RUN LOG_COPY HOST_TIMEOUT GUEST_TIMEOUT VM_STATUS DONE_NOTE
judge_guest_run() {
	local run=$1 log_copy=$2 timeout_s=$3 guest_timeout_s=$4 vm_status=$5 note=$6
	local status report
	if [ -f "$run/kernel.log" ] && [ -n "$log_copy" ]; then
		cp "$run/kernel.log" "$log_copy"
	fi
	if [ ! -f "$run/status" ]; then
		if [ "$vm_status" = 124 ] || [ "$vm_status" = 137 ]; then
			log "FAILED: timed out after ${timeout_s}s"
		else
			log "FAILED: the guest stopped without reporting (exit $vm_status)"
		fi
		exit 4
	fi
	status=$(cat "$run/status")
	if grep -q 'vtty-bench: guest timeout' "$run/kernel.log"; then
		log "FAILED: the command was still running after ${guest_timeout_s}s"
		"$UML_DIR/kernel-report.sh" "$run/kernel.log" "$run/kmemleak" >&2 || true
		log "tasks blocked in the guest kernel when it was stopped:"
		sed -n '/vtty-bench: guest timeout/,$p' "$run/kernel.log" | head -300 >&2
		exit 4
	fi
	report=$("$UML_DIR/kernel-report.sh" "$run/kernel.log" "$run/kmemleak" || true)
	if [ -n "$report" ]; then
		log "FAILED: the guest kernel reported problems (command status $status):"
		echo "$report" >&2
		exit 3
	fi
	log "guest kernel log clean; command exited with status $status$note"
	exit "$status"
}
