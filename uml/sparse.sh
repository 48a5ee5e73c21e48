#!/usr/bin/env bash
# Prints the path of a sparse that the kernel source tree SRC accepts.
# bookworm's sparse (0.6.4) is too old for 7.x, whose kbuild turns C=2
# off, with only a warning, when sparse lacks __typeof_unqual__
# (scripts/checker-valid.sh): the module would go unchecked. Then sid's
# sparse is built from its Debian source package (uml/apt-suites.sh adds
# the suite's deb-src) and cached; it takes about a minute.
#
#   uml/sparse.sh SRC
set -euo pipefail
# shellcheck source=uml/lib.sh
. "$(dirname "$0")/lib.sh"
src=${1:?kernel source tree}

ensure_packages sparse
accepts() {
	# Kernels before 7.x have no such check: any sparse will do.
	[ ! -f "$src/scripts/checker-valid.sh" ] ||
		[ "$(sh "$src/scripts/checker-valid.sh" "$1" -m64 -mlittle-endian)" = 1 ]
}
if accepts "$(command -v sparse)"; then
	command -v sparse
	exit 0
fi

bash "$UML_DIR/apt-suites.sh"
version=$(apt-cache showsrc sparse | sed -n 's/^Version: //p' | sort -V | tail -1)
tools=$VTTY_CACHE_DIR/tools
built=$tools/sparse-$version/sparse
mkdir -p "$tools"
exec 9>"$tools/sparse.lock"
flock 9
if [ ! -x "$built" ]; then
	log "building sparse $version from Debian's source (bookworm's is too old for this kernel)"
	work=$(mktemp -d "$tools/sparse.XXXXXX")
	# apt warns that root downloads unsandboxed into a private directory.
	(cd "$work" && apt-get source --download-only -qq "sparse=$version" 2>/dev/null)
	mkdir -p "$work/tree"
	tar -xf "$work"/sparse_*.orig.tar.* -C "$work/tree" --strip-components=1
	if ! out=$(make -C "$work/tree" -j"$(nproc)" sparse HAVE_LLVM=no HAVE_GTK=no \
		HAVE_LIBXML=no HAVE_SQLITE=no 2>&1); then
		echo "$out" >&2
		die "building sparse $version failed"
	fi
	mkdir -p "${built%/*}"
	cp "$work/tree/sparse" "$built"
	rm -rf "$work"
fi
accepts "$built" || die "sparse $version does not pass $src/scripts/checker-valid.sh either"
echo "$built"
