#!/usr/bin/env bash
# Runs inside the guest bench/run.sh boots (user-mode Linux, or a Debian
# kernel in QEMU): every benchmark case, RUNS times, vtty and pty
# alternating, each result appended as one JSON line to OUT/raw.jsonl, with
# a plain pipe between the same two processes beside each single-port
# stream (the cost of moving the bytes at all) and the floor of each
# master->tty case (the same system calls with no tty). The Node-binding
# case is vtmx-native's own bench, NODE_BYTES each way; the startup case is
# bench/startup.mjs (run.sh has run it on the host too).
#
#   bash bench/guest.sh OUT RUNS BYTES LAT_COUNT NODE_RUNS NODE_BYTES STARTUP_RUNS TARGET
set -uo pipefail
out=${1:?}
runs=${2:?}
bytes=${3:?}
lat_count=${4:?}
node_runs=${5:?}
node_bytes=${6:?}
startup_runs=${7:?}
target=${8:?}
bin=bench/out/vttyperf
raw=$out/raw.jsonl

# One case: vttyperf's JSON lines, each tagged with the run number.
one() {
	local run=$1 out line
	shift
	if ! out=$("$bin" "$@"); then
		echo "bench: vttyperf $* failed" >&2
		return 1
	fi
	while IFS= read -r line; do
		printf '%s\n' "${line%\}},\"run\":$run}"
	done <<<"$out" >>"$raw"
	printf '.' >&2
}

{
	echo "{\"kind\":\"env\",\"target\":\"$target\",\"cpus\":$(nproc),\"kernel\":\"$(uname -r)\",\"flavor\":\"${VTTY_FLAVOR:-?}\",\"module\":\"$(sha256sum "$VTTY_MODULE" | cut -c1-16)\",\"bytes\":$bytes,\"runs\":$runs,\"lat_count\":$lat_count}"
} >>"$raw"

status=0
# How long the vtty command takes to start, against `node -e 0`.
node bench/startup.mjs --runs "$startup_runs" --where "$target" >>"$raw" || status=1

for run in $(seq 1 "$runs"); do
	# Alternate which device goes first, so drift does not favour one.
	if [ $((run % 2)) = 1 ]; then devs="vtty pty"; else devs="pty vtty"; fi
	echo "bench: run $run of $runs" >&2
	for dir in m2s s2m; do
		for wsize in 4096 64; do
			for dev in $devs pipe; do one "$run" tput "$dev" "$dir" "$wsize" "$bytes" || status=1; done
			# The same system calls with no tty, to set the stream against.
			if [ "$dir" = m2s ]; then one "$run" floor "$wsize" "$bytes" || status=1; fi
		done
	done
	# Both devices in one call, taking turns in blocks of round trips.
	one "$run" lat "$lat_count" || status=1
	for ports in 1 8 64; do
		for dir in m2s s2m; do
			for dev in $devs; do one "$run" tput "$dev" "$dir" 4096 "$bytes" "$ports" || status=1; done
		done
	done
	echo >&2
done

# Memory of 1,024 idle ports (the module's default max_ports).
for dev in vtty pty; do
	"$bin" mem "$dev" 1024 >>"$raw" || status=1
done

# The Node binding against the C master: vtmx-native's own benchmark.
for run in $(seq 1 "$node_runs"); do
	echo "bench: vtmx-native bench, run $run of $node_runs" >&2
	# Compiled on the host by run.sh: no pnpm or tsc to start here.
	VTTY_BENCH_BYTES=$node_bytes node packages/vtmx-native/build-test/bench/bench.js >"$out/node-$run.txt" 2>&1
	rc=$?
	cat "$out/node-$run.txt" >&2
	# Exit 1 only means "below 80%"; the report judges that itself.
	[ $rc -le 1 ] || status=1
done
exit $status
