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
