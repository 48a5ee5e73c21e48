#!/usr/bin/env bash
# pnpm test:uml — the whole test suite, on the kernel matrix.
#
# On the host: build and lint every package, check the kernel module (W=1,
# sparse, checkpatch --strict, staged install) against every kernel of the
# lint matrix, run vtty-protocol's unit tests. Then, on each guest kernel:
#   - a uniprocessor UML kernel (6.1, 6.12; debug flavor): vtmx-native's and
#     vtty-tests' ava suites, which include the C conformance program, the
#     concurrency stress and the fuzz;
#   - Debian's kernels in QEMU (debian-6.1, debian-6.12-rt; 2 vCPUs, module
#     built by DKMS) and, when asked for, the SMP UML kernel (7.2, 2 CPUs,
#     debug flavor): the C programs alone, the conformance program, the
#     stress and the fuzz. Node takes ~20 s to start under QEMU, and an SMP
#     UML runs a guest system call ~25 times slower than a uniprocessor one:
#     the ava suites would take hours there. The SMP UML is not in the
#     default matrix: a timed wait in it did not wake (docs/kernels.md).
# A kernel report in a guest log (WARNING, lockdep, KASAN, kmemleak …) fails
# the run even when every test passed, and so does a skipped test.
#
# Every deadline in the ava suites is stretched by how slow the guest is:
# each such boot measures that first (uml/measure-pace.sh) and says the
# factor.
#
#   VTTY_KERNELS="6.12 debian-6.1 debian-6.12-rt"
#                             the guests to run on (the default; see docs/kernels.md)
#   VTTY_LINT_KERNELS="5.10 6.12 7.2 debian-6.1 debian-6.12-rt"
#                             the kernels to lint against (the default)
#   VTTY_TEST_MATCH=pattern   only ava tests whose title matches (ava --match)
#   VTTY_TEST_SLOW=1          run it all on a host made slow on purpose (one
#                             busy loop per core; see start_host_load in lib.sh)
#   VTTY_TEST_PACE=factor     skip the measurement and use this factor
set -euo pipefail
# shellcheck source=uml/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"
start_host_load

kernels=${VTTY_KERNELS:-6.12 debian-6.1 debian-6.12-rt}
lint_kernels=${VTTY_LINT_KERNELS:-5.10 6.12 7.2 debian-6.1 debian-6.12-rt}
ensure_packages python3-serial socat ser2net picocom setserial tmux udev

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
VTTY_KERNELS=$lint_kernels bash "$UML_DIR/kernel-lint.sh"

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

# What runs on the SMP guests: the C programs, each reported as one test
# in ava's format so that tally() counts them.
c_script=$logs/c-programs.sh
cat >"$c_script" <<'GUEST'
c=packages/vtty-tests/c/build
status=0
run() {
	local name=$1 rc=0
	shift
	"$@" || rc=$?
	if [ $rc -eq 0 ]; then echo "  ✔ $name"; else echo "  ✘ $name (exit status $rc)"; status=1; fi
}
run "vtty_check all" "$c/vtty_check" all
run "vtty_stress" "$c/vtty_stress" --seconds "${VTTY_TEST_STRESS_SECONDS:-60}"
run "vtty_fuzz" "$c/vtty_fuzz" --seed "${VTTY_TEST_FUZZ_SEED:-1}" --ops "${VTTY_TEST_FUZZ_OPS:-1000000}" \
	--seconds "${VTTY_TEST_FUZZ_SECONDS:-150}"
exit $status
GUEST

ran=()
for kernel in $kernels; do
	if is_qemu_target "$kernel"; then
		log "=== the C programs on Debian's $kernel kernel in QEMU ==="
		set +e
		"$UML_DIR/qemu-run.sh" --target "$kernel" --timeout 900 -- bash "$c_script" 2>&1 |
			tee "$logs/$kernel.log"
		status=${PIPESTATUS[0]}
		set -e
	elif [ "$kernel" = 5.10 ]; then
		continue
	elif [ "$kernel" = 7.2 ]; then
		log "=== the C programs on Linux 7.2 (UML with 2 CPUs, debug flavor) ==="
		set +e
		"$UML_DIR/run.sh" --kernel "$kernel" --flavor debug --timeout 2400 -- bash "$c_script" 2>&1 |
			tee "$logs/$kernel.log"
		status=${PIPESTATUS[0]}
		set -e
	else
		log "=== vtmx-native and vtty-tests on Linux $kernel (UML, debug flavor) ==="
		set +e
		"$UML_DIR/run.sh" --kernel "$kernel" --flavor debug --timeout 2700 -- bash "$guest_script" 2>&1 |
			tee "$logs/$kernel.log"
		status=${PIPESTATUS[0]}
		set -e
	fi
	tally "$kernel" "$logs/$kernel.log" "$status"
	ran+=("$kernel")
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
for kernel in "${ran[@]}"; do
	grep -q -a 'deadlines scaled by' "$logs/$kernel.log" || continue
	pace=$(grep -a -o 'deadlines scaled by [0-9.]*' "$logs/$kernel.log" | tail -1 || true)
	log "Linux $kernel: ${pace:-no pace measured}"
done
echo "vtty-tests: $passed passed, $failed failed"
exit $result
