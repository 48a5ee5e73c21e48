#!/usr/bin/env bash
# Boot one of Debian's own amd64 kernels in QEMU (2 vCPUs, TCG) on the
# host's root (virtio-9p), load the vtty.ko DKMS built for it, run a
# command inside, and return its exit status. The run fails (status 3) when
# the guest kernel log shows a WARNING, BUG, Oops or other report after the
# module was loaded, even if the command passed. The sibling of
# uml/run.sh for real SMP kernels as users install them.
#
#   uml/qemu-run.sh --target debian-6.1|debian-6.12-rt [options] -- COMMAND [ARGS...]
#   uml/qemu-run.sh --target debian-6.1 --interactive
#
# Options:
#   --target NAME           debian-6.1 (bookworm's generic kernel) or
#                           debian-6.12-rt (bookworm's 6.12 PREEMPT_RT);
#                           default $VTTY_QEMU_TARGET or debian-6.1
#   --timeout SECONDS       hard limit for the whole boot (default 1800); a
#                           minute before it, the guest stops the command
#                           and shows what was blocked
#   --mem SIZE              guest memory (default 2G)
#   --log FILE              also copy the guest kernel log there
#   --interactive           a shell on the serial console instead of a
#                           command (ctrl-a x ends QEMU)
#
# uml/qemu-kernel.sh prepares the kernel and builds the module first
# (VTTY_MODULE_DIR builds it from another directory). Needs root. Exit
# status: the command's own, or 3 for a kernel report, 4 for a timeout or
# a guest that died without reporting, 2 for usage errors.
set -euo pipefail
# shellcheck source=uml/lib.sh
. "$(dirname "$0")/lib.sh"

target=${VTTY_QEMU_TARGET:-debian-6.1}
timeout_s=1800
mem=2G
log_copy=
interactive=0
while [ $# -gt 0 ]; do
	case $1 in
	--target) target=${2:?}; shift 2 ;;
	--timeout) timeout_s=${2:?}; shift 2 ;;
	--mem) mem=${2:?}; shift 2 ;;
	--log) log_copy=${2:?}; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--) shift; break ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done
case $target in debian-6.1 | debian-6.12-rt) ;; *) die "--target must be debian-6.1 or debian-6.12-rt, not '$target'" ;; esac
[ $interactive = 1 ] || [ $# -gt 0 ] || die "no command given (see --help)"
# The guest gives up on the command a minute before the host gives up on
# the boot: time to show where it hung and to collect the kernel log.
guest_timeout_s=$((timeout_s > 120 ? timeout_s - 60 : timeout_s / 2))
ensure_packages qemu-system-x86

mkdir -p "$VTTY_CACHE_DIR"
run=$(mktemp -d "$VTTY_CACHE_DIR/run.XXXXXX")
trap 'rm -rf "$run"' EXIT

prepare_started=$SECONDS
declare -A prepared
while IFS='=' read -r name value; do
	prepared[$name]=$value
done < <("$UML_DIR/qemu-kernel.sh" --target "$target" --module-to "$run/vtty.ko")
[ -n "${prepared[kernel]:-}" ] || die "uml/qemu-kernel.sh failed"
kver=${prepared[kver]}
prepare_s=$((SECONDS - prepare_started))

# What the guest's init (uml/guest-init.sh, as in UML) needs.
write_guest_run "$run" "$target" debian "$interactive" "$guest_timeout_s" "$@"

if [ $interactive = 1 ]; then
	# The serial console on this terminal; QEMU must stay in its group.
	serial=(-serial mon:stdio)
	foreground=--foreground
	stdin=/dev/stdin
else
	serial=(-serial stdio)
	foreground=
	stdin=/dev/null
fi

log "booting Debian $kver in QEMU, 2 vCPUs under TCG (prepared in ${prepare_s}s, timeout ${timeout_s}s)"
boot_started=$SECONDS
set +e
# The host's root is shared whole, as UML's hostfs does; it spans several
# file systems, whose inode numbers multidevs=remap keeps apart. The
# passthrough model makes files the guest writes (the run directory)
# plain files of the host, owned as inside. ACPI power-off (sysrq o) ends
# QEMU; -no-reboot turns a panic's reboot into an exit too.
# shellcheck disable=SC2086
timeout $foreground -k 10 "$timeout_s" qemu-system-x86_64 \
	-accel tcg,thread=multi -smp 2 -m "$mem" -cpu max \
	-nodefaults -no-user-config -display none "${serial[@]}" -no-reboot \
	-fsdev "local,id=hostroot,path=/,security_model=passthrough,multidevs=remap" \
	-device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
	-kernel "${prepared[kernel]}" -initrd "${prepared[initrd]}" \
	-append "console=ttyS0 quiet loglevel=4 panic=-1 hung_task_panic=0 vtty_run=$run vtty_init=$UML_DIR/guest-init.sh" \
	<"$stdin" 2>&1
qemu_status=$?
set -e
boot_s=$((SECONDS - boot_started))

judge_guest_run "$run" "$log_copy" "$timeout_s" "$guest_timeout_s" "$qemu_status" " (boot and run ${boot_s}s)"
