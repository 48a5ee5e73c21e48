#!/usr/bin/env bash
# pnpm test:uml — the whole test suite.
#
# On the host: build and lint every package, check the kernel module (W=1,
# sparse, checkpatch --strict on each kernel), run vtty-protocol's unit tests.
# Then, for each kernel's debug flavor, boot user-mode Linux with vtty.ko
# loaded and run vtmx-native's and vtty-tests' ava suites inside it. A
# kernel report in the guest log (WARNING, lockdep, KASAN, kmemleak …) fails
# the run even when every test passed, and so does a skipped test.
#
# Every deadline in the suites is stretched by how slow the guest is: each
# boot measures that first (uml/measure-pace.sh) and says the factor.
#
#   VTTY_KERNELS="6.1 6.12"   kernels to run on (default: both)
#   VTTY_TEST_MATCH=pattern   only tests whose title matches (ava --match)
#   VTTY_TEST_SLOW=1          run it all on a host made slow on purpose (one
#                             busy loop per core; see start_host_load in lib.sh)
#   VTTY_TEST_PACE=factor     skip the measurement and use this factor
set -euo pipefail
# shellcheck source=uml/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"
start_host_load

kernels=${VTTY_KERNELS:-6.1 6.12}
ensure_packages python3-serial socat ser2net picocom setserial tmux

passed=0
failed=0
result=0
failed_runs=()

# Adds one ava run's per-test lines to the totals; a skip, todo or known
# failure fails the run: a test that did not run has not passed.
tally() {
	local name=$1 log=$2 status=$3 out p f s
	out=$(tr -d '\r' <"$log" | sed 's/\x1b\[[0-9;]*m//g')
	p=$(grep -c '^ *✔' <<<"$out" || true)
	f=$(grep -c '^ *✘' <<<"$out" || true)
	s=$(grep -c -E '\[(skip|todo|expected fail)\]|known failure' <<<"$out" || true)
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$status" -ne 0 ] || [ "$f" -ne 0 ] || [ "$p" -eq 0 ] || [ "$s" -ne 0 ]; then
		log "$name: FAILED (status $status, $p passed, $f failed, $s skipped)"
		failed_runs+=("$name=$log")
		result=1
	else
		log "$name: $p passed"
	fi
}

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

pnpm run build
pnpm run lint
VTTY_KERNELS=$kernels bash "$UML_DIR/kernel-lint.sh"

set +e
pnpm --filter vtty-protocol test 2>&1 | tee "$logs/protocol.log"
status=${PIPESTATUS[0]}
set -e
tally "vtty-protocol (host)" "$logs/protocol.log" "$status"

# vtmx-native's tests are compiled on the host; they run in the guest.
pnpm --filter vtmx-native exec tsc -b test

ava_args=()
[ -z "${VTTY_TEST_MATCH:-}" ] || ava_args+=(--match "$VTTY_TEST_MATCH")
guest_script=$logs/guest.sh
{
	# How slow this boot is, once, before any suite: every deadline scales by it.
	echo 'VTTY_TEST_PACE=${VTTY_TEST_PACE:-$(bash uml/measure-pace.sh)} || exit 1'
	echo 'export VTTY_TEST_PACE'
	echo 'status=0'
	for package in vtmx-native vtty-tests; do
		printf '(cd packages/%s && node_modules/.bin/ava' "$package"
		# printf repeats its format once even with no arguments left.
		[ ${#ava_args[@]} -eq 0 ] || printf ' %q' "${ava_args[@]}"
		echo ') || status=1'
	done
	echo 'exit $status'
} >"$guest_script"

for kernel in $kernels; do
	log "=== vtmx-native and vtty-tests on Linux $kernel (debug flavor) ==="
	set +e
	"$UML_DIR/run.sh" --kernel "$kernel" --flavor debug --timeout 2700 -- bash "$guest_script" 2>&1 |
		tee "$logs/$kernel.log"
	status=${PIPESTATUS[0]}
	set -e
	tally "Linux $kernel" "$logs/$kernel.log" "$status"
done

# CI shows only the end of the output: repeat there what went wrong.
for run in "${failed_runs[@]}"; do
	log "=== what failed in ${run%%=*} ==="
	plain=$(tr -d '\r' <"${run#*=}" | sed 's/\x1b\[[0-9;]*m//g')
	grep -E -A4 '✘|Timed out|pending|Uncaught|uml: FAILED|\[(skip|todo|expected fail)\]' <<<"$plain" |
		head -50 || true
	# A hang: the guest's processes and blocked tasks, or the backtrace of
	# a guest frozen in its kernel.
	sed -n -E '/^uml guest: |^uml: the guest is still running/,$p' <<<"$plain" | head -70
done

if [ $result -ne 0 ] && [ "$failed" -eq 0 ]; then
	# The run failed outside the assertions (kernel report, timeout, skip):
	# count it, so the summary line can never read as a pass.
	failed=1
fi
for kernel in $kernels; do
	pace=$(grep -a -o 'deadlines scaled by [0-9.]*' "$logs/$kernel.log" | tail -1 || true)
	log "Linux $kernel: ${pace:-no pace measured}"
done
echo "vtty-tests: $passed passed, $failed failed"
exit $result
