#!/usr/bin/env bash
# Profiles bench cases on Debian's 6.1 kernel in QEMU: for each case, vtty
# and the pty (and the plain pipe for a single-port stream) run alone, one
# after the other in one boot, first under `perf stat` (system-wide
# software events and tracepoints: context switches, system calls, work
# items run by kworkers, CPU migrations), then under `perf record -a -g`
# (cpu-clock samples with call graphs). Prints, per case, the figures per
# MiB (per round trip for the latency case) side by side and the top kernel
# functions of each device; keeps everything under bench/out/profile-*/.
#
#   bash bench/profile.sh [--target debian-6.1] [--bytes N] [--count N] CASE...
#
# CASE: tput_m2s_4096, tput_m2s_64, tput_s2m_4096, tput_s2m_64 (one port,
# as bench/run.sh's cases of those names), agg_m2s_64 and agg_s2m_64
# (64 ports at once, 4 KiB writes), lat (the 1-byte round trip), node_m2s
# and node_s2m (vtmx-native's bench, one direction, the Node master's
# JavaScript named through node --perf-basic-prof), or all.
# --bytes: bytes per stream [8388608]; --count: round trips [2000].
#
# perf is Debian's linux-perf (the host's, run inside the guest over the
# shared root: bookworm's is 6.1's own). Kernel symbols come from
# /proc/kallsyms, which the guest makes readable (kptr_restrict=0,
# perf_event_paranoid=-1); the report says whether vtty.ko's and the tty
# core's functions were resolved. Needs root (QEMU, DKMS).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=uml/lib.sh
. uml/lib.sh

target=debian-6.1
bytes=8388608
count=2000
cases=()
while [ $# -gt 0 ]; do
	case $1 in
	--target) target=${2:?}; shift 2 ;;
	--bytes) bytes=${2:?}; shift 2 ;;
	--count) count=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	all) cases+=(tput_m2s_4096 tput_m2s_64 tput_s2m_4096 tput_s2m_64 lat agg_m2s_64 agg_s2m_64 node_m2s node_s2m); shift ;;
	tput_[ms]2[ms]_4096 | tput_[ms]2[ms]_64 | agg_[ms]2[ms]_64 | lat | node_[ms]2[ms]) cases+=("$1"); shift ;;
	*) die "unknown case or option '$1' (see --help)" ;;
	esac
done
[ ${#cases[@]} -gt 0 ] || die "no case given (see --help)"
[ "$target" = debian-6.1 ] || [ "$target" = debian-6.12-rt ] ||
	die "--target must be a QEMU target (debian-6.1, debian-6.12-rt): UML has no perf events"
ensure_packages linux-perf

out=bench/out/profile-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
# Its own binary: a bench/run.sh running meanwhile keeps bench/out/vttyperf.
cc -O2 -Wall -Wextra -I kernel -o "$out/vttyperf" bench/vttyperf.c
log "profiling ${cases[*]} on $target; output in $out"
status=0
uml/qemu-run.sh --target "$target" --timeout 5400 --log "$out/kernel.log" -- \
	bash bench/profile-guest.sh "$out" "$bytes" "$count" "${cases[@]}" || status=$?
[ -s "$out/summary.txt" ] && cat "$out/summary.txt"
exit "$status"
