#!/usr/bin/env bash
# Runs inside the QEMU guest bench/profile.sh boots: each case for each
# device, first under `perf stat -a` (counts), then under `perf record -a -g`
# (cpu-clock samples with call graphs); writes OUT/summary.txt (the figures
# per MiB side by side, the top kernel functions) and OUT/summary.jsonl,
# and keeps each perf.data and its full report under OUT/CASE-DEV.*.
#
#   bash bench/profile-guest.sh OUT BYTES COUNT CASE...
set -uo pipefail
out=${1:?}
bytes=${2:?}
count=${3:?}
shift 3
bin=$out/vttyperf
summary=$out/summary.txt
# vttyperf lat's round trips before the timed ones (LAT_WARMUP).
lat_warmup=200
# The counts: switches between tasks, system calls entered, work items run
# by kworkers (the tty core's flip buffer work among them), wake-ups.
events=context-switches,cpu-migrations,raw_syscalls:sys_enter,workqueue:workqueue_execute_start,sched:sched_wakeup
# Samples of an idle CPU, left out of the top functions.
idle_re='(_idle|safe_halt|native_halt|mwait|cpuidle|do_idle)'

# perf reads kernel and module symbols from /proc/kallsyms, the
# tracepoints from tracefs, and root may count every CPU.
sysctl -qw kernel.kptr_restrict=0 kernel.perf_event_paranoid=-1
mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
perf=(perf)
# node --perf-basic-prof writes /tmp/perf-PID.map as it compiles; on the
# host's /tmp (9p) those writes would fill the profile. A guest tmpfs
# takes them, unless the repository itself lives under /tmp.
case $PWD/ in /tmp/*) ;; *) mount -t tmpfs tmpfs /tmp ;; esac
"${perf[@]}" --version >"$out/perf-version.txt" 2>&1 || {
	echo "profile: perf does not run here" >&2
	exit 1
}

# The command of CASE for DEV, and how many units (MiB, or round trips)
# its figures are divided by.
case_command() {
	local name=$1 dev=$2
	case $name in
	tput_*)
		IFS=_ read -r _ dir wsize <<<"$name"
		cmd=("$bin" tput "$dev" "$dir" "$wsize" "$bytes")
		units=$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')
		unit=MiB
		;;
	agg_*)
		IFS=_ read -r _ dir ports <<<"$name"
		cmd=("$bin" tput "$dev" "$dir" 4096 "$bytes" "$ports")
		units=$(awk -v b="$bytes" 'BEGIN { print b / 1048576 }')
		unit=MiB
		;;
	node_*)
		# vtmx-native's bench, one direction: a C master, the Node
		# master, and one more pass (information), BYTES each.
		local d=out
		[ "$name" = node_s2m ] && d=in
		# From /tmp: V8 leaves a small log in its working directory.
		cmd=(env -C /tmp VTTY_BENCH_BYTES="$bytes" VTTY_BENCH_DIRECTION="$d"
			node --perf-basic-prof "$PWD/packages/vtmx-native/build-test/bench/bench.js")
		units=$(awk -v b="$bytes" 'BEGIN { print 3 * b / 1048576 }')
		unit=MiB
		;;
	lat)
		cmd=("$bin" lat "$count" "$dev")
		units=$((count + lat_warmup))
		unit="round trip"
		;;
	esac
}

# The value of EVENT in a `perf stat -x,` file (0 when not counted).
stat_value() {
	awk -F, -v e="$2" '$3 == e { v = $1 } END { print (v ~ /^[0-9.]+$/) ? v : 0 }' "$1"
}

status=0
{
	echo "perf: $(cat "$out/perf-version.txt"), kernel $(uname -r), $(nproc) CPUs"
	echo "bytes per stream $bytes, round trips $count (+$lat_warmup warm-up); counts are system-wide (-a): kworkers count too"
	echo "vtty.ko symbols in /proc/kallsyms: $(grep -c '\[vtty\]' /proc/kallsyms)"
} >"$summary"
for name in "$@"; do
	case $name in tput_*) devs="vtty pty pipe" ;; node_*) devs=vtty ;; *) devs="vtty pty" ;; esac
	{
		echo
		echo "== $name"
	} >>"$summary"
	for dev in $devs; do
		case_command "$name" "$dev"
		base=$out/$name-$dev
		echo "profile: $name $dev" >&2
		# perf exits with the command's status; vtmx-native's bench exits
		# 1 for "below 80%", a result, not a failure.
		ok=0
		[ "${name#node_}" = "$name" ] || ok=1
		"${perf[@]}" stat -a -x, -o "$base.stat" -e "$events" -- "${cmd[@]}" >"$base.result"
		if [ $? -gt $ok ]; then
			echo "profile: perf stat of $name $dev failed" >&2
			status=1
			continue
		fi
		"${perf[@]}" record -q -N -a -g -e cpu-clock -F 1000 -o "$base.data" -- "${cmd[@]}" >"$base.record-result" 2>"$base.record-err"
		if [ $? -gt $ok ]; then
			echo "profile: perf record of $name $dev failed" >&2
			cat "$base.record-err" >&2
			status=1
			continue
		fi
		"${perf[@]}" report -i "$base.data" --stdio --no-children --sort dso,sym -g none \
			--percent-limit 0.3 >"$base.top.txt" 2>/dev/null
		"${perf[@]}" report -i "$base.data" --stdio --no-children --sort sym -g caller,2,callee \
			--percent-limit 2 >"$base.callgraph.txt" 2>/dev/null
		"${perf[@]}" report -i "$base.data" --stdio --no-children --sort dso -g none >"$base.dso.txt" 2>/dev/null
		# Inclusive: a function's samples with everything it called. Without
		# a PMU (QEMU's TCG has none) cpu-clock is a timer interrupt, which
		# cannot land where interrupts are off: such time is charged to the
		# spin_unlock_irq*() that turns them back on, and only the callers
		# say whose it was.
		"${perf[@]}" report -i "$base.data" --stdio --children --sort sym -g none \
			--percent-limit 3 >"$base.inclusive.txt" 2>/dev/null
		if [ "${name#node_}" != "$name" ]; then
			# Whose samples: the C master (vttybench), Node's own
			# threads, the kworkers.
			"${perf[@]}" report -i "$base.data" --stdio --no-children --sort comm,dso -g none \
				--percent-limit 1 >"$base.comm.txt" 2>/dev/null
			"${perf[@]}" report -i "$base.data" --stdio --no-children --sort comm,dso,sym -g none \
				--percent-limit 0.3 >"$base.node.txt" 2>/dev/null
		fi
		figure=$(sed -n 's/.*"mibps":\([0-9.]*\).*/\1 MiB\/s/p; s/.*"p50_us":\([0-9.]*\),"p90_us":[0-9.]*,"p99_us":\([0-9.]*\).*/p50 \1 us, p99 \2 us/p; s/.*: C master \([0-9.]*\) MiB\/s, vtmx-native \([0-9.]*\) MiB\/s.*/C \1, Node \2 MiB\/s/p' "$base.result" | head -1)
		ctx=$(stat_value "$base.stat" context-switches)
		mig=$(stat_value "$base.stat" cpu-migrations)
		sys=$(stat_value "$base.stat" raw_syscalls:sys_enter)
		wq=$(stat_value "$base.stat" workqueue:workqueue_execute_start)
		wake=$(stat_value "$base.stat" sched:sched_wakeup)
		samples=$(awk '/^# Samples:/ { print $3; exit }' "$base.top.txt")
		idle=$(awk -v re="$idle_re" '/^ +[0-9.]+%/ && $0 ~ re { s += $1 } END { printf "%.1f", s }' "$base.top.txt")
		{
			awk -v d="$dev" -v f="$figure" -v u="$unit" -v n="$units" -v c="$ctx" -v s="$sys" -v w="$wq" -v k="$wake" -v m="$mig" -v i="$idle" -v sm="$samples" 'BEGIN {
				printf "%-5s %-26s per %s: %8.1f switches %8.1f syscalls %8.1f work items %8.1f wake-ups %6.1f migrations; %s samples, %s%% idle\n",
					d, f, u, c / n, s / n, w / n, k / n, m / n, sm, i }'
			echo "      top kernel and user functions (self, % of all samples, idle left out):"
			grep -E '^ +[0-9.]+%' "$base.top.txt" | grep -Ev "$idle_re" | head -12 | sed 's/^ */        /'
			if [ -f "$base.comm.txt" ]; then
				echo "      samples by process and object:"
				grep -E '^ +[0-9.]+%' "$base.comm.txt" | head -10 | sed 's/^ */        /'
				echo "      the Node process's top functions (JIT code named by --perf-basic-prof):"
				grep -E '^ +[0-9.]+% +node ' "$base.node.txt" | head -14 | sed 's/^ */        /'
			fi
			echo "      kernel functions with their callees (children, self), idle and entry code left out:"
			grep -E '^ +[0-9.]+% +[0-9.]+% +\[k\]' "$base.inclusive.txt" |
				grep -Ev "$idle_re|entry_SYSCALL|do_syscall_64|ret_from_fork|kthread|secondary_startup|start_kernel|rest_init|cpu_startup_entry|asm_sysvec|sysvec_apic" |
				head -14 | sed 's/^ */        /'
		} >>"$summary"
		printf '{"case":"%s","dev":"%s","figure":"%s","per":"%s","units":%s,"context_switches":%s,"syscalls":%s,"work_items":%s,"wakeups":%s,"migrations":%s,"samples":%s,"idle_pct":%s}\n' \
			"$name" "$dev" "$figure" "$unit" "$units" "$ctx" "$sys" "$wq" "$wake" "$mig" "${samples:-0}" "${idle:-0}" >>"$out/summary.jsonl"
	done
done

# Whether perf put names on vtty.ko's and the tty core's code.
{
	echo
	echo "== symbol check (all profiles)"
	# perf names module code from /proc/kallsyms; its samples count
	# under [kernel.kallsyms].
	echo "  vtty.ko functions named in the call graphs: $(cat "$out"/*-vtty.callgraph.txt 2>/dev/null |
		grep -oE '\bvtty_[a-z0-9_]+' | sort -u | tr '\n' ' ')"
	echo "  tty core functions named: $(cat "$out"/*.callgraph.txt 2>/dev/null |
		grep -oE '\b(n_tty_[a-z0-9_]+|tty_[a-z0-9_]+|flush_to_ldisc|pty_[a-z0-9_]+)' | sort -u | head -30 | tr '\n' ' ')"
	if cat "$out"/*.top.txt 2>/dev/null | grep -qE '\[unknown\] +\[k\] 0x'; then
		echo "  some kernel samples were left unresolved (raw addresses)"
	fi
} >>"$summary"
exit $status
