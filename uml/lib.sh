# Shared settings of the UML bench scripts; sourced, not run.
# Every setting can be overridden from the environment.

# Kernel series (a Debian linux-source-<series> package) and flavor.
VTTY_KERNEL=${VTTY_KERNEL:-6.1}
VTTY_FLAVOR=${VTTY_FLAVOR:-debug}
# Builds are cached outside the repository, keyed by version and config.
VTTY_CACHE_DIR=${VTTY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/vtty-uml}

UML_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$UML_DIR/.." && pwd)

die() {
	echo "uml: $*" >&2
	exit 2
}

log() {
	echo "uml: $*" >&2
}

# Validates the selection and hands it to the scripts this one runs.
check_selection() {
	case $VTTY_KERNEL in 6.1 | 6.12) ;; *) die "VTTY_KERNEL must be 6.1 or 6.12, not '$VTTY_KERNEL'" ;; esac
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
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

kernel_package() {
	echo "linux-source-$VTTY_KERNEL"
}

kernel_package_version() {
	dpkg-query -W -f='${Version}' "$(kernel_package)"
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
