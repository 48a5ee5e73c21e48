#!/usr/bin/env bash
# Build the UML kernel the bench boots, or reuse the cached build.
#
#   uml/build-kernel.sh            # VTTY_KERNEL=6.1 VTTY_FLAVOR=debug by default
#   VTTY_KERNEL=6.12 VTTY_FLAVOR=release uml/build-kernel.sh
#
# Prints the build directory (the KDIR to build vtty.ko against) on stdout.
set -euo pipefail
# shellcheck source=uml/lib.sh
. "$(dirname "$0")/lib.sh"
check_selection

# pahole before the configuration: 7.x records its version there and warns
# on every module build when another one (or none) was used for the kernel,
# and Debian's kbuild packages (the QEMU targets' headers) bring it in.
bash "$UML_DIR/apt-suites.sh"
ensure_packages "$(kernel_package)" flex bison bc libelf-dev xz-utils make gcc kmod pahole
kdir=$(kernel_build_dir)
mkdir -p "$VTTY_CACHE_DIR/build"
# One build of a given kernel at a time; a second caller waits for it.
exec 9>"$kdir.lock"
flock 9
if [ -x "$kdir/linux" ] && [ -f "$kdir/Module.symvers" ]; then
	log "reusing $VTTY_KERNEL $VTTY_FLAVOR kernel in $kdir"
	echo "$kdir"
	exit 0
fi

src=$(kernel_source_tree)

# Build next to the final place and rename at the end, so an interrupted
# build is never mistaken for a finished one.
work=$kdir.partial
rm -rf "$work"
mkdir -p "$work"
started=$SECONDS
log "building $VTTY_KERNEL $VTTY_FLAVOR kernel in $kdir (takes several minutes the first time)"
make -s -C "$src" O="$work" ARCH=um defconfig >&2
# shellcheck disable=SC2046
"$src/scripts/kconfig/merge_config.sh" -m -O "$work" "$work/.config" $(config_fragments) >/dev/null
make -s -C "$src" O="$work" ARCH=um olddefconfig >&2

# merge_config only warns when Kconfig drops an option; the bench must not
# silently lose a checker, so every requested value has to be in the result.
# A later fragment overrides an earlier one, as in merge_config: the last
# value asked for each option is the one that must be in the result.
declare -A wanted
order=()
# shellcheck disable=SC2046
while IFS= read -r line; do
	case $line in '' | '#'*) continue ;; esac
	name=${line%%=*}
	[ -n "${wanted[$name]+set}" ] || order+=("$name")
	wanted[$name]=${line#*=}
done < <(cat $(config_fragments))
lost=0
for name in "${order[@]}"; do
	value=${wanted[$name]}
	if [ "$value" = n ]; then
		! grep -q "^$name=[ym]" "$work/.config" || {
			log "config: $name=n did not take"
			lost=1
		}
	else
		grep -qxF "$name=$value" "$work/.config" || {
			log "config: $name=$value did not take (got: $(grep "^$name=" "$work/.config" || echo unset))"
			lost=1
		}
	fi
done
[ $lost -eq 0 ] || die "the kernel configuration lost requested options"

make -s -C "$src" O="$work" ARCH=um -j"$(nproc)" all >&2
rm -rf "$kdir"
mv "$work" "$kdir"
# 7.x writes the output directory into the Makefile of its object tree,
# which module builds go through: it must name the final place.
sed -i "s|^export KBUILD_OUTPUT = .*|export KBUILD_OUTPUT = $kdir|" "$kdir/Makefile"
log "built in $((SECONDS - started)) s; KDIR=$kdir"
echo "$kdir"
