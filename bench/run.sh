#!/usr/bin/env bash
# pnpm bench: vtty against the kernel's pty, on the release UML kernel.
#
# Builds bench/vttyperf.c on the host, times the vtty command's start on the
# host (bench/startup.mjs), boots UML with the release kernel, loads a
# snapshot of kernel/ (so a concurrent edit or test build cannot change the
# module halfway), runs bench/guest.sh inside, then prints one line per case
# (vtty, pty, ratio) and writes bench/results/latest.json and
# bench/results/chart.svg.
#
# Environment (defaults in brackets):
#   VTTY_BENCH_RUNS        repetitions of every case, medians reported [3]
#   VTTY_BENCH_BYTES       bytes per throughput case and direction [67108864]
#   VTTY_BENCH_LAT_COUNT   round trips per latency case [5000]
#   VTTY_BENCH_NODE_RUNS   runs of vtmx-native's Node-vs-C bench [3]
#   VTTY_BENCH_STARTUP_RUNS  runs of each startup case, host and UML [10]
#   VTTY_KERNEL            kernel series [6.1]
#   VTTY_BENCH_RESULTS     where latest.json and chart.svg go [bench/results]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
# shellcheck source=uml/lib.sh
. uml/lib.sh

runs=${VTTY_BENCH_RUNS:-3}
bytes=${VTTY_BENCH_BYTES:-67108864}
lat_count=${VTTY_BENCH_LAT_COUNT:-5000}
node_runs=${VTTY_BENCH_NODE_RUNS:-3}
startup_runs=${VTTY_BENCH_STARTUP_RUNS:-10}
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
# Compile its bench on the host; inside UML `tsc -b` then has nothing to do.
pnpm --silent --filter vtmx-native exec tsc -b bench
# The startup case runs the bundled vtty command.
if [ ! -f packages/vtty-cli/dist/bin/vtty.cjs ]; then
	pnpm --filter vtty-cli... build
fi

snapshot=$(mktemp -d /tmp/vtty-bench-module.XXXXXX)
trap 'rm -rf "$snapshot"' EXIT
module_sources kernel | xargs cp -t "$snapshot/"
cp kernel/Kbuild kernel/Makefile "$snapshot/"
# The UML scripts too: bash reads a script as it runs, so a commit that
# rewrites uml/run.sh during the (long) run would otherwise break it.
cp -r uml "$snapshot/uml"

# sizeof(struct vtty_port) of this snapshot on this kernel, for the memory
# figure (the driver's own allocations are that struct and the output ring,
# whose size VTTY_XMIT_SIZE is read the same way).
kdir=$(VTTY_KERNEL=$kernel VTTY_FLAVOR=release "$snapshot/uml/build-kernel.sh")
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
make -s -C "$kdir" M="$sizer" ARCH=um modules >/dev/null 2>&1 || true
port_size=$(nm -S "$sizer/vtty_sizer.o" 2>/dev/null | awk '$4 == "vtty_bench_sizeof_port" { print $2 }' || true)
port_size=$((16#${port_size:-0}))
xmit_size=$(nm -S "$sizer/vtty_sizer.o" 2>/dev/null | awk '$4 == "vtty_bench_xmit_size" { print $2 }' || true)
xmit_size=$((16#${xmit_size:-0}))

# One hash for the module's sources: the name and hash of each file.
kernel_sha=$(cd "$snapshot" && { module_sources . | xargs sha256sum; sha256sum Kbuild; } | sha256sum | cut -c1-16)

out=bench/out/run-$(date +%Y%m%d-%H%M%S)
mkdir -p "$out"
echo "{\"sizeof_vtty_port\":$port_size,\"xmit_size\":$xmit_size,\"kernel_sha256\":\"$kernel_sha\",\"date\":\"$(date -u +%FT%TZ)\"}" >"$out/host.json"

echo "bench: $runs runs, $((bytes / 1048576)) MiB per case, $lat_count round trips; results in $out" >&2
set +e
# The command's start on the host (no /dev/vtmx here: `vtty echo` is timed
# to its "module not loaded"); guest.sh appends the same inside UML.
node bench/startup.mjs --runs "$startup_runs" >"$out/raw.jsonl"
startup_status=$?
VTTY_MODULE_DIR=$snapshot "$snapshot/uml/run.sh" --kernel "$kernel" --flavor release --timeout 5400 \
	--log "$out/kernel.log" -- bash bench/guest.sh "$out" "$runs" "$bytes" "$lat_count" "$node_runs" "$startup_runs"
status=$?
set -e
[ "$status" != 0 ] || status=$startup_status
[ -s "$out/raw.jsonl" ] || exit "$status"
node bench/report.mjs "$out" "$results"
exit "$status"
