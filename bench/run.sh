#!/usr/bin/env bash
# pnpm bench: vtty against the kernel's pty and a plain pipe, on Debian's
# own 6.1 SMP kernel in QEMU or on the release UML kernel.
#
#   bash bench/run.sh [--target debian-6.1|uml|all]    (pnpm bench --target ...)
#
# Targets (default $VTTY_BENCH_TARGET or debian-6.1):
#   debian-6.1  bookworm's linux-image-6.1.0-N-amd64 in QEMU, 2 vCPUs under
#               multi-threaded TCG (uml/qemu-run.sh), the module built by
#               DKMS against linux-headers-6.1.0-N-amd64; needs root
#   uml         the release UML kernel of VTTY_KERNEL (uml/run.sh), one CPU:
#               a second opinion, where every system call is a host round trip
#   all         both, one after the other
#
# Builds bench/vttyperf.c on the host, times the vtty command's start on the
# host (bench/startup.mjs), boots the target with a snapshot of kernel/ (so
# a concurrent edit or test build cannot change the module halfway), runs
# bench/guest.sh inside, then prints one line per case (vtty, pty, ratio,
# its spread over the runs, and vtty as a fraction of the pipe) and writes
# bench/results/latest-TARGET.json and bench/results/chart.svg (every
# target whose results are there).
#
# Environment (defaults in brackets, QEMU's where they differ):
#   VTTY_BENCH_RUNS        repetitions of every case [3]
#   VTTY_BENCH_BYTES       bytes per throughput case and direction
#                          [67108864; QEMU 16777216]
#   VTTY_BENCH_LAT_COUNT   round trips per latency case [5000; QEMU 2000]
#   VTTY_BENCH_NODE_RUNS   runs of vtmx-native's Node-vs-C bench [3; QEMU 2]
#   VTTY_BENCH_NODE_BYTES  bytes each way in that bench [67108864; QEMU 16777216]
#   VTTY_BENCH_STARTUP_RUNS  runs of each startup case, host and guest [10; QEMU 5]
#   VTTY_KERNEL            UML kernel series [6.1]
#   VTTY_BENCH_RESULTS     where latest-TARGET.json and chart.svg go [bench/results]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=uml/lib.sh
. uml/lib.sh

target=${VTTY_BENCH_TARGET:-debian-6.1}
while [ $# -gt 0 ]; do
	case $1 in
	--target) target=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
done
case $target in
all)
	status=0
	for one in debian-6.1 uml; do
		VTTY_BENCH_TARGET=$one bash bench/run.sh || status=$?
	done
	exit "$status"
	;;
uml) qemu=0 ;;
debian-6.1) qemu=1 ;;
*) die "--target must be debian-6.1, uml or all, not '$target'" ;;
esac

# QEMU's TCG runs a stream at a few MiB/s and Node starts in seconds, so
# its cases move fewer bytes; the spread over runs says whether that is
# enough.
runs=${VTTY_BENCH_RUNS:-3}
if [ "$qemu" = 1 ]; then
	bytes=${VTTY_BENCH_BYTES:-16777216}
	lat_count=${VTTY_BENCH_LAT_COUNT:-2000}
	node_runs=${VTTY_BENCH_NODE_RUNS:-2}
	node_bytes=${VTTY_BENCH_NODE_BYTES:-16777216}
	startup_runs=${VTTY_BENCH_STARTUP_RUNS:-5}
else
	bytes=${VTTY_BENCH_BYTES:-67108864}
	lat_count=${VTTY_BENCH_LAT_COUNT:-5000}
	node_runs=${VTTY_BENCH_NODE_RUNS:-3}
	node_bytes=${VTTY_BENCH_NODE_BYTES:-67108864}
	startup_runs=${VTTY_BENCH_STARTUP_RUNS:-10}
fi
kernel=${VTTY_KERNEL:-6.1}
results=${VTTY_BENCH_RESULTS:-bench/results}
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0 COREPACK_INTEGRITY_KEYS=0

mkdir -p bench/out "$results"
cc -O2 -Wall -Wextra -I kernel -o bench/out/vttyperf bench/vttyperf.c

# The Node case needs the binding built (dist/ and the .node file).
if [ ! -f packages/vtmx-native/dist/index.js ] ||
	[ ! -f packages/vtmx-native/build/Release/vtmx_native.node ]; then
	pnpm --filter vtmx-native... build
fi
# Compile its bench on the host; the guest runs the JavaScript directly
# (no pnpm or tsc to start there).
pnpm --silent --filter vtmx-native exec tsc -b bench
# The startup case runs the bundled vtty command.
if [ ! -f packages/vtty-cli/dist/bin/vtty.cjs ]; then
	pnpm --filter vtty-cli... build
fi

snapshot=$(mktemp -d /tmp/vtty-bench-module.XXXXXX)
trap 'rm -rf "$snapshot"' EXIT
module_sources kernel | xargs cp -t "$snapshot/"
cp kernel/Kbuild kernel/Makefile "$snapshot/"
# What DKMS takes besides (uml/qemu-kernel.sh copies the same set).
find kernel -maxdepth 1 -type f \( -name dkms.conf -o -name '*.rules' \) -exec cp -t "$snapshot/" {} +
# The UML scripts too: bash reads a script as it runs, so a commit that
# rewrites uml/run.sh during the (long) run would otherwise break it.
cp -r uml "$snapshot/uml"

# sizeof(struct vtty_port) of this snapshot on the target's kernel, for the
# memory figure (the driver's own allocations are that struct and the
# output ring, whose size VTTY_XMIT_SIZE is read the same way): against
# the UML build tree, or Debian's headers, which DKMS builds against.
if [ "$qemu" = 1 ]; then
	kdir=$(VTTY_MODULE_DIR=$snapshot "$snapshot/uml/qemu-kernel.sh" --target "$target" | sed -n 's/^build=//p')
	arch=()
else
	kdir=$(VTTY_KERNEL=$kernel VTTY_FLAVOR=release "$snapshot/uml/build-kernel.sh")
	arch=(ARCH=um)
fi
[ -n "$kdir" ] || die "no kernel build tree for $target"
# The sizer is a module of its own that includes the private header.
sizer=$snapshot/sizer
mkdir -p "$sizer"
cp "$snapshot"/*.h "$sizer/"
{
	grep '^ccflags' "$snapshot/Kbuild"
	echo 'obj-m := vtty_sizer.o'
} >"$sizer/Kbuild"
cat >"$sizer/vtty_sizer.c" <<'EOF'
// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include "vtty_internal.h"
char vtty_bench_sizeof_port[sizeof(struct vtty_port)];
EXPORT_SYMBOL(vtty_bench_sizeof_port);
char vtty_bench_xmit_size[VTTY_XMIT_SIZE];
EXPORT_SYMBOL(vtty_bench_xmit_size);
MODULE_LICENSE("GPL");
EOF
make -s -C "$kdir" M="$sizer" "${arch[@]}" modules >/dev/null 2>&1 || true
port_size=$(nm -S "$sizer/vtty_sizer.o" 2>/dev/null | awk '$4 == "vtty_bench_sizeof_port" { print $2 }' || true)
port_size=$((16#${port_size:-0}))
xmit_size=$(nm -S "$sizer/vtty_sizer.o" 2>/dev/null | awk '$4 == "vtty_bench_xmit_size" { print $2 }' || true)
xmit_size=$((16#${xmit_size:-0}))

# One hash for the module's sources: the name and hash of each file.
kernel_sha=$(cd "$snapshot" && { module_sources . | xargs sha256sum; sha256sum Kbuild; } | sha256sum | cut -c1-16)

out=bench/out/run-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
echo "{\"target\":\"$target\",\"sizeof_vtty_port\":$port_size,\"xmit_size\":$xmit_size,\"kernel_sha256\":\"$kernel_sha\",\"date\":\"$(date -u +%FT%TZ)\"}" >"$out/host.json"

echo "bench: $target, $runs runs, $((bytes / 1048576)) MiB per case, $lat_count round trips; results in $out" >&2
guest=(bash bench/guest.sh "$out" "$runs" "$bytes" "$lat_count" "$node_runs" "$node_bytes" "$startup_runs" "$target")
set +e
# The command's start on the host (no /dev/vtmx here: `vtty echo` is timed
# to its "module not loaded"); guest.sh appends the same inside the guest.
node bench/startup.mjs --runs "$startup_runs" >"$out/raw.jsonl"
startup_status=$?
if [ "$qemu" = 1 ]; then
	VTTY_MODULE_DIR=$snapshot "$snapshot/uml/qemu-run.sh" --target "$target" --timeout 5400 \
		--log "$out/kernel.log" -- "${guest[@]}"
else
	VTTY_MODULE_DIR=$snapshot "$snapshot/uml/run.sh" --kernel "$kernel" --flavor release --timeout 5400 \
		--log "$out/kernel.log" -- "${guest[@]}"
fi
status=$?
set -e
[ "$status" != 0 ] || status=$startup_status
[ -s "$out/raw.jsonl" ] || exit "$status"
node bench/report.mjs "$out" "$results"
exit "$status"
