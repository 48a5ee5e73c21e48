#!/usr/bin/env bash
# Prepare one of Debian's own amd64 kernels for a QEMU run: the newest image
# of the target in apt's lists, extracted (never installed) into the cache
# with an initramfs that mounts the host's root over virtio-9p, and
# vtty.ko built and installed for it through DKMS with kernel/dkms.conf,
# as a user of that kernel would.
#
#   uml/qemu-kernel.sh --target debian-6.1|debian-6.12-rt [--module-to FILE]
#
# Prints what uml/qemu-run.sh needs on stdout, one NAME=VALUE a line:
# kver, build (the headers' build tree, KDIR), kernel (the bzImage), initrd
# and module (the module DKMS installed). --module-to also copies the module to FILE before another
# run can rebuild it. VTTY_MODULE_DIR takes the module's source from
# another directory (default: kernel/).
set -euo pipefail
# shellcheck source=uml/lib.sh
. "$(dirname "$0")/lib.sh"

target=
module_to=
while [ $# -gt 0 ]; do
	case $1 in
	--target) target=${2:?}; shift 2 ;;
	--module-to) module_to=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done

# Each target is a family of Debian packages; its newest member is used.
case $target in
debian-6.1) image_pattern='linux-image-6\.1\.0-[0-9]+-amd64-unsigned' ;;
debian-6.12-rt) image_pattern='linux-image-6\.12\.[0-9]+\+deb12-rt-amd64-unsigned' ;;
*) die "--target must be debian-6.1 or debian-6.12-rt, not '${target:-}'" ;;
esac

[ "$(id -u)" -eq 0 ] || die "needs root: DKMS and apt install system-wide"
ensure_packages busybox-static dkms kmod xz-utils

# The newest image of the family that apt can install and that has the
# headers of the same build, and what those headers depend on. apt-cache
# takes seconds a call where its binary cache is off (Debian's container
# images turn it off), so the answer is kept until apt's lists change.
resolve() {
	local names name kver
	names=$(apt-cache pkgnames linux-image- | grep -E "^$image_pattern\$" | sort -V -r || true)
	for name in $names; do
		kver=${name#linux-image-}
		kver=${kver%-unsigned}
		# Both candidates, the same version, or neither is installable.
		apt-cache policy "$name" "linux-headers-$kver" |
			sed -n 's/^ *Candidate: //p' |
			awk 'NR == 1 { first = $1 } END { exit !(NR == 2 && $1 == first && first != "(none)") }' ||
			continue
		echo "kver=$kver"
		apt-cache show --no-all-versions "linux-headers-$kver" |
			sed -n 's/^Depends: /headers_depends=/p'
		return
	done
}
lists_state() {
	stat -c '%Y %s %n' /var/lib/apt/lists/*Packages* 2>/dev/null | sha256sum | cut -c1-16
}
resolved=$VTTY_CACHE_DIR/qemu/$target.resolved
mkdir -p "$VTTY_CACHE_DIR/qemu"
if [ "$(head -1 "$resolved" 2>/dev/null)" != "lists=$(lists_state)" ]; then
	answer=$(resolve)
	if [ -z "$answer" ]; then
		log "no $target kernel in apt's lists; updating them"
		apt-get update -qq >&2
		answer=$(resolve)
		[ -n "$answer" ] || die "apt offers no package matching $image_pattern with its headers"
	fi
	printf 'lists=%s\n%s\n' "$(lists_state)" "$answer" >"$resolved.new"
	mv "$resolved.new" "$resolved"
fi
kver=$(sed -n 's/^kver=//p' "$resolved")
headers_depends=$(sed -n 's/^headers_depends=//p' "$resolved")

# Downloads packages into a directory.
download() {
	local dir=$1
	shift
	# As root, into the cache: apt's own download user could not write
	# there.
	(cd "$dir" && apt-get download -q=2 -o APT::Sandbox::User=root "$@" >&2) || {
		# Stale lists name versions the mirror no longer has.
		apt-get update -qq >&2
		(cd "$dir" && apt-get download -q=2 -o APT::Sandbox::User=root "$@" >&2)
	}
}

cache=$VTTY_CACHE_DIR/qemu/$kver
exec 9>"$cache.lock"
flock 9
if [ -f "$cache/.complete" ]; then
	log "reusing Debian kernel $kver in $cache"
else
	started=$SECONDS
	log "preparing Debian kernel $kver in $cache"
	work=$cache.partial
	rm -rf "$work"
	mkdir -p "$work/debs" "$work/root" "$work/modules"
	download "$work/debs" "linux-image-$kver-unsigned"
	dpkg-deb -x "$work"/debs/linux-image-*.deb "$work/root"
	cp "$work/root/boot/vmlinuz-$kver" "$work/vmlinuz"
	cp "$work/root/boot/config-$kver" "$work/config"
	# What the initramfs needs to reach the host's root, in load order.
	# Each kernel builds a different part of virtio and 9p in (6.12's
	# virtio_pci is built in, 6.1's is a module), so the list comes from
	# the kernel's own dependencies. 6.12's modules are xz-compressed,
	# which busybox's insmod may not read.
	depmod -b "$work/root" "$kver"
	modprobe -d "$work/root" -S "$kver" --show-depends -a virtio_pci 9pnet_virtio 9p |
		awk '$1 == "insmod" && !seen[$2]++ { print $2 }' |
		while read -r module; do
			name=${module##*/}
			name=${name%.xz}
			case $module in
			*.xz) xz -dc "$module" >"$work/modules/$name" ;;
			*) cp "$module" "$work/modules/$name" ;;
			esac
			echo "$name" >>"$work/modules/load-order"
		done
	[ -s "$work/modules/load-order" ] || die "$kver: found no modules for virtio and 9p"
	rm -rf "$work/debs" "$work/root"
	touch "$work/.complete"
	rm -rf "$cache"
	mv "$work" "$cache"
	log "Debian kernel $kver ready in $((SECONDS - started))s"
fi

# The initramfs: busybox, those modules and uml/qemu-init.sh as /init. It
# takes a second to make, and is made again whenever that init changes.
initrd=$cache/initrd-$(cat "$UML_DIR/qemu-init.sh" /bin/busybox | sha256sum | cut -c1-12).cpio
if [ ! -f "$initrd" ]; then
	initramfs=$(mktemp -d)
	mkdir -p "$initramfs"/{bin,dev,proc,sys,newroot,lib}
	cp /bin/busybox "$initramfs/bin/busybox"
	cp "$UML_DIR/qemu-init.sh" "$initramfs/init"
	chmod 755 "$initramfs/init"
	mknod -m 600 "$initramfs/dev/console" c 5 1
	cp -r "$cache/modules" "$initramfs/lib/modules"
	(cd "$initramfs" && find . | busybox cpio -o -H newc 2>/dev/null) >"$initrd.new"
	rm -rf "$initramfs"
	rm -f "$cache"/initrd-*.cpio
	mv "$initrd.new" "$initrd"
fi
exec 9>&-

# The headers, as a user installs them: apt's linux-headers-<kver>, which
# gives /lib/modules/<kver>/build. Debian's 6.12 headers also depend on
# their kernel image, which this machine (running another kernel) must not
# install: there apt installs everything the headers package depends on
# but the image, and the headers package itself (its .config,
# Module.symvers and generated headers, a few MB) is extracted into the
# cache and given to DKMS with --kernelsourcedir.
headers=linux-headers-$kver
kernel_source_args=()
build_tree=/lib/modules/$kver/build
if ! grep -q 'linux-image-' <<<"$headers_depends"; then
	ensure_packages "$headers"
else
	# shellcheck disable=SC2046
	ensure_packages $(tr ',' '\n' <<<"$headers_depends" | grep -v 'linux-image-' |
		sed 's/([^)]*)//g; s/|.*//; s/ //g')
	tree=$cache/headers
	(
		flock 8
		if [ ! -f "$tree/.complete" ]; then
			rm -rf "$tree"
			mkdir -p "$tree/debs"
			download "$tree/debs" "$headers"
			dpkg-deb -x "$tree"/debs/*.deb "$tree"
			rm -rf "$tree/debs"
			# Its scripts/ and tools/ point into linux-kbuild-<version>
			# by a relative path; that package is installed in /usr/lib.
			for kbuild in /usr/lib/linux-kbuild-*; do
				mkdir -p "$tree/usr/lib"
				ln -sfn "$kbuild" "$tree/usr/lib/${kbuild##*/}"
			done
			touch "$tree/.complete"
		fi
	) 8>"$cache/headers.lock"
	build_tree=$tree/usr/src/$headers
	kernel_source_args=(--kernelsourcedir "$build_tree")
	# dkms install puts the module in /lib/modules/<kver>/updates/dkms,
	# and refuses a kernel without that directory, which the image (or
	# the headers package) would have made.
	mkdir -p "/lib/modules/$kver"
fi

# DKMS, with the project's dkms.conf. The source under /usr/src is shared
# by every kernel and every run on this machine: one at a time changes or
# builds it. It is replaced only when the module's sources changed, then
# built and installed for each kernel that needs it.
module_src=${VTTY_MODULE_DIR:-$REPO_DIR/kernel}
version=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$module_src/dkms.conf")
[ -n "$version" ] || die "no PACKAGE_VERSION in $module_src/dkms.conf"
dkms_log=$VTTY_CACHE_DIR/qemu/dkms-$kver.log
exec 8>"$VTTY_CACHE_DIR/qemu/dkms.lock"
flock 8
# What a user's checkout holds of the module, without any build products.
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
find "$module_src" -maxdepth 1 -type f \( -name '*.[ch]' ! -name '*.mod.c' \
	-o -name Kbuild -o -name Makefile -o -name dkms.conf -o -name '*.rules' \) \
	-exec cp {} "$stage/" \;
dkms_status=$(dkms status -m vtty 2>/dev/null)
ours=$(grep -F -e "vtty/$version," -e "vtty/$version:" <<<"$dkms_status" || true)
if ! diff -rq "$stage" "/usr/src/vtty-$version" >/dev/null 2>&1 || [ -z "$ours" ]; then
	log "DKMS: adding vtty $version from $module_src"
	# Every build of the old source goes, and any other version, whose
	# vtty.ko would stand beside this one in /lib/modules.
	sed -n 's|^vtty/\([^,:]*\)[,:].*|\1|p' <<<"$dkms_status" | sort -u |
		while read -r old; do
			dkms remove -m vtty -v "$old" --all >"$dkms_log" 2>&1 || {
				cat "$dkms_log" >&2
				die "dkms remove of vtty $old failed"
			}
		done
	# --force replaces /usr/src/vtty-<version> instead of copying over it.
	dkms add "$stage" --force >"$dkms_log" 2>&1 || {
		cat "$dkms_log" >&2
		die "dkms add failed"
	}
	ours=
fi
if ! grep -F ", $kver, " <<<"$ours" | grep -q ': installed'; then
	log "DKMS: building and installing vtty $version for $kver"
	started=$SECONDS
	if ! dkms install -m vtty -v "$version" -k "$kver" "${kernel_source_args[@]}" >"$dkms_log" 2>&1; then
		cat "$dkms_log" >&2
		if [ -f "/var/lib/dkms/vtty/$version/build/make.log" ]; then
			log "DKMS's make.log:"
			cat "/var/lib/dkms/vtty/$version/build/make.log" >&2
		fi
		die "dkms install failed for $kver"
	fi
	log "DKMS: built and installed in $((SECONDS - started))s"
fi
module=$(find "/lib/modules/$kver/updates/dkms" -name 'vtty.ko*' 2>/dev/null | head -1)
[ -n "$module" ] || die "DKMS installed no vtty.ko in /lib/modules/$kver/updates/dkms"
[ -z "$module_to" ] || cp "$module" "$module_to"
exec 8>&-

echo "kver=$kver"
echo "build=$build_tree"
echo "kernel=$cache/vmlinuz"
echo "initrd=$initrd"
echo "module=$module"
