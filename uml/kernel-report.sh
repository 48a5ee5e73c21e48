#!/usr/bin/env bash
# Print the kernel reports (WARNING, BUG, Oops, lockdep, KASAN, kmemleak,
# hung task, RCU stall, lockup, list/object debugging, the tty core's
# complaints about a driver) in a guest kernel log, from the line where the
# bench loaded the module onwards, up to the guest's own timeout marker if
# it has one: what the guest's diagnostics print after it (the blocked
# tasks' stacks) is theirs, and the run has failed anyway. Prints nothing
# when clean.
#
#   uml/kernel-report.sh KERNEL_LOG [KMEMLEAK_REPORT]
set -euo pipefail
log=${1:?kernel log}
kmemleak=${2:-}

pattern='WARNING:|BUG:|Oops|Kernel panic|general protection|KASAN|kmemleak|'
pattern+='possible recursive locking|possible circular locking|inconsistent lock state|'
pattern+='suspicious RCU usage|lock held when returning|bad unlock balance|'
pattern+='INFO: task .* blocked|list_add corruption|list_del corruption|ODEBUG|'
pattern+='sleeping function called from invalid context|scheduling while atomic|'
pattern+='refcount_t:|UBSAN|stack-protector|cut here|'
# RCU stalls print neither BUG nor WARNING ("rcu: INFO: rcu_preempt detected
# stalls on CPUs/tasks", "self-detected stall"); nor does a hard lockup.
pattern+='detected stall|hard LOCKUP|'
# The tty core's complaints about a driver, at KERN_WARNING but without
# "WARNING:" ("ttyV ttyV3: tty_port_close_start: bad port count (-1)"):
# counts that disagree, waiters left at the last close, flags it does not
# know.  Not n_tty's "input overrun(s)", which the tests cause on purpose.
pattern+='tty(V|USBV|ACMV)[0-9]+: .*(count|wait queue active|unknown flag|missing )'

if ! grep -q 'vtty-bench: loading' "$log"; then
	echo "the module was never loaded (no bench marker in the kernel log)"
	exit 0
fi
# Show every report with some context after it, so the trace is readable.
sed -n '/vtty-bench: loading/,/vtty-bench: guest timeout/p' "$log" | grep -E -A25 "$pattern" | head -200 || true
if [ -n "$kmemleak" ] && [ -s "$kmemleak" ]; then
	echo "kmemleak reports unreferenced objects:"
	head -100 "$kmemleak"
fi
