#!/usr/bin/env bash
# Runs inside the guest, before the test suites: how many times slower than
# a quiet machine this boot runs. Prints the factor on stdout (at least 1,
# one decimal) and how it was found on stderr. The suites stretch every
# deadline by it (VTTY_TEST_PACE, read by vtmx-native/testing's
# scaledDeadline()), so a loaded host gives slower tests, not failed ones.
#
#   VTTY_TEST_PACE=$(bash uml/measure-pace.sh)
#
# Two probes, because a loaded host slows them differently: starting Node
# (reads hundreds of files through hostfs, as every test's child process
# does) and a loop of cheap system calls (each one a round trip to the host
# in UML). The slower of the two, against the same probe on a quiet
# machine, is the factor.
set -euo pipefail

# The probes on a quiet 2-core machine of the usual kind, per kernel series
# (debug flavor, which the suites run on), in milliseconds: node -e 0, then
# the system-call loop. Measured in December 2026 with nothing else
# running: node -e 0 took 1.00-1.19 s on both, the loop 0.6-1.1 s (it
# drifts within one boot); the figures below are the top of those ranges,
# so that a quiet machine gets a factor of 1.
case ${VTTY_KERNEL:-6.1} in
6.12) quiet_node_ms=1150 quiet_calls_ms=1000 ;;
*) quiet_node_ms=1100 quiet_calls_ms=1000 ;;
esac

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# The median of three runs of a command, in milliseconds.
median_ms() {
	local runs=() started
	for _ in 1 2 3; do
		started=$(now_ms)
		"$@" >/dev/null
		runs+=($(($(now_ms) - started)))
	done
	printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p
}

node_ms=$(median_ms node -e 0)
# 5,000 one-byte reads and writes: 10,000 system calls.
calls_ms=$(median_ms dd if=/dev/zero of=/dev/null bs=1 count=5000 status=none)

# Tenths, rounded up: the larger of the two slowdowns, and never below 1.
pace_tenths=$(((node_ms * 10 + quiet_node_ms - 1) / quiet_node_ms))
calls_tenths=$(((calls_ms * 10 + quiet_calls_ms - 1) / quiet_calls_ms))
[ "$calls_tenths" -le "$pace_tenths" ] || pace_tenths=$calls_tenths
[ "$pace_tenths" -ge 10 ] || pace_tenths=10
pace=$((pace_tenths / 10)).$((pace_tenths % 10))

echo "pace: node -e 0 took $node_ms ms (quiet machine: $quiet_node_ms ms)," \
	"10,000 system calls $calls_ms ms (quiet: $quiet_calls_ms ms); deadlines scaled by $pace" >&2
echo "$pace"
