#!/bin/bash
# PID 1 inside user-mode Linux. uml/run.sh boots the kernel with
# init=<this file> and vtty_run=<run directory>; the run directory (on the
# host, reached through hostfs) holds the command to run and receives its
# exit status and the kernel log. uml/qemu-run.sh starts it the same way
# in a Debian kernel under QEMU, from an initramfs that mounted the host's
# root over 9p (uml/qemu-init.sh).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
set -u

run=
for arg in $(cat /proc/cmdline 2>/dev/null || true); do
	case $arg in vtty_run=*) run=${arg#vtty_run=} ;; esac
done

power_off() {
	sync
	echo o >/proc/sysrq-trigger
	# Power-off is asynchronous; PID 1 must not exit before it happens.
	# Under QEMU the 9p root goes away first, and sleep no longer starts.
	while :; do sleep 1; done 2>/dev/null
}

# Runs the command. If it is still running VTTY_GUEST_TIMEOUT seconds
# later, shows what every process is doing and which tasks are blocked in
# the kernel, then kills it: the host's own timeout would end the boot
# with no word on where it hung.
run_with_watchdog() {
	local command_pid watchdog_pid status
	# A session of its own, so that the whole tree can be killed at once.
	setsid bash "$run/command" </dev/null &
	command_pid=$!
	(
		sleep "${VTTY_GUEST_TIMEOUT:-infinity}"
		echo "uml guest: the command is still running after ${VTTY_GUEST_TIMEOUT}s; its processes:"
		# No wchan column: reading another task's kernel stack trips KASAN
		# in UML's own __get_wchan(), and the report would read as ours.
		ps -ww -s "$command_pid" -o pid,ppid,stat,etime,args
		echo "vtty-bench: guest timeout after ${VTTY_GUEST_TIMEOUT}s" >/dev/kmsg
		echo w >/proc/sysrq-trigger
		touch /run/guest-timeout
		kill -KILL -- "-$command_pid"
	) &
	watchdog_pid=$!
	wait "$command_pid"
	status=$?
	# Its sleep may outlive it, harmlessly: power-off follows.
	kill "$watchdog_pid" 2>/dev/null
	[ ! -e /run/guest-timeout ] || status=124
	return $status
}

mount -t proc proc /proc
run=${run:-$(sed -n 's/.*vtty_run=\([^ ]*\).*/\1/p' /proc/cmdline)}
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
# Guest-only scratch. /tmp is left alone: the repository may live there.
mount -t tmpfs -o mode=755 tmpfs /run
mkdir -p /run/lock /run/tmp
chmod 1777 /run/lock /run/tmp
ip link set lo up 2>/dev/null || ifconfig lo up

# shellcheck source=/dev/null
. "$run/env"
cd "$VTTY_GUEST_CWD" || power_off

kmemleak=/sys/kernel/debug/kmemleak
# Everything before this line is the kernel's own boot; the host judges the
# log from here on.
echo "vtty-bench: loading $VTTY_MODULE" >/dev/kmsg
[ -w $kmemleak ] && echo clear >$kmemleak
if insmod "$VTTY_MODULE"; then
	if [ "${VTTY_INTERACTIVE:-0}" = 1 ]; then
		echo "vtty: module loaded; this shell runs inside UML. Exit it to power off."
		setsid -c bash -i </dev/console >/dev/console 2>&1
		status=$?
	else
		run_with_watchdog
		status=$?
	fi
else
	echo "vtty-bench: insmod $VTTY_MODULE failed" >&2
	status=125
fi
echo "vtty-bench: command exited with status $status" >/dev/kmsg

if [ -w $kmemleak ]; then
	# kmemleak only reports objects older than 5 s, and needs two scans to
	# be sure; a leak of the module's shows up here before power-off.
	sleep 6
	echo scan >$kmemleak
	echo scan >$kmemleak
	cat $kmemleak >"$run/kmemleak"
fi
dmesg >"$run/kernel.log"
echo "$status" >"$run/status"
power_off
