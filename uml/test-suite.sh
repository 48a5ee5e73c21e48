#!/usr/bin/env bash
# pnpm test:uml — the whole test suite.
#
# Builds and lints every package on the host, then boots each kernel's
# debug flavor in user-mode Linux with vtty.ko loaded and runs the ava
# integration suite (packages/vtty-tests) inside it. A kernel report in the
# guest log (WARNING, lockdep, KASAN, kmemleak …) fails the run even when
# every test passed, and so does a skipped test.
#
#   VTTY_KERNELS="6.1 6.12"   kernels to run on (default: both)
#   VTTY_TEST_MATCH=pattern   only tests whose title matches (ava --match)
set -euo pipefail
# shellcheck source=uml/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"

kernels=${VTTY_KERNELS:-6.1 6.12}
ensure_packages python3-serial socat ser2net picocom setserial tmux

pnpm run build
pnpm run lint

ava_args=()
[ -z "${VTTY_TEST_MATCH:-}" ] || ava_args+=(--match "$VTTY_TEST_MATCH")

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
passed=0
failed=0
result=0
for kernel in $kernels; do
	log "=== test suite on Linux $kernel (debug flavor) ==="
	set +e
	(cd packages/vtty-tests &&
		"$UML_DIR/run.sh" --kernel "$kernel" --flavor debug --timeout 2400 -- \
			node_modules/.bin/ava "${ava_args[@]}") 2>&1 |
		tee "$logs/$kernel.log"
	status=${PIPESTATUS[0]}
	set -e
	out=$(tr -d '\r' <"$logs/$kernel.log")
	count() { echo "$out" | sed -n "s/^ *\([0-9][0-9]*\) $1.*/\1/p" | tail -1; }
	p=$(count 'tests\{0,1\} passed')
	f=$(count 'tests\{0,1\} failed')
	s=$(count 'tests\{0,1\} skipped')
	k=$(count 'known failures\{0,1\}')
	todo=$(count 'tests\{0,1\} todo')
	u=$(count 'uncaught exceptions\{0,1\}')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$status" -ne 0 ]; then
		log "Linux $kernel: FAILED (status $status)"
		result=1
	fi
	if [ -z "$p" ]; then
		log "Linux $kernel: FAILED: no test passed"
		result=1
	fi
	if [ -n "$s$k$todo$u" ]; then
		log "Linux $kernel: FAILED: skipped ${s:-0}, known failures ${k:-0}, todo ${todo:-0}, uncaught ${u:-0}: nothing may be skipped"
		result=1
	fi
done
if [ $result -ne 0 ] && [ "$failed" -eq 0 ]; then
	# The run failed outside the assertions (kernel report, timeout, skip):
	# count it, so the summary line can never read as a pass.
	failed=1
fi
echo "vtty-tests: $passed passed, $failed failed"
exit $result
