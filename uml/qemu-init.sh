#!/bin/busybox sh
# shellcheck shell=sh
# /init of the initramfs uml/qemu-kernel.sh makes for a Debian kernel in
# QEMU: loads the kernel's own virtio and 9p modules, mounts the host's root
# (shared by uml/qemu-run.sh as the 9p tag "hostroot") and hands over to
# uml/guest-init.sh there, as PID 1 in the host's root, which runs the
# command. Only busybox exists here.
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
	echo "qemu init: $*" >/dev/console
	# The host sees no status and reports a guest that died.
	echo o >/proc/sysrq-trigger
	while :; do sleep 1; done
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null

while read -r module; do
	insmod "/lib/modules/$module" || fail "insmod $module failed"
done </lib/modules/load-order

# A large msize (virtio's largest) means fewer, bigger round trips through
# QEMU. cache=loose keeps what the guest read (programs, libraries) in its
# page cache: a boot reaches the command in half the time. The price: a
# change the host makes to a file during the run may not be seen inside.
# What the guest writes reaches the host at the latest with the sync
# before power-off.
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,rw hostroot /newroot ||
	fail "cannot mount the host's root over 9p"

run=$(sed -n 's/.*vtty_run=\([^ ]*\).*/\1/p' /proc/cmdline)
init=$(sed -n 's/.*vtty_init=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -x "/newroot$init" ] || fail "no init '$init' in the host's root"
[ -d "/newroot$run" ] || fail "no run directory '$run' in the host's root"

# The new root's init mounts its own proc, sysfs and devtmpfs.
umount /dev 2>/dev/null
umount /sys
umount /proc
exec switch_root /newroot "$init"
