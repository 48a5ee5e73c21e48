/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtty_util.h - what vtty_stress and vtty_fuzz share: a seeded PRNG, the
 * per-kind operation counts each worker process keeps in memory shared with
 * its parent, the parent's watch over its workers, and the checks that the
 * module is still usable after a run.
 *
 * Both programs also run on distribution kernels in QEMU, where Node is too
 * slow to drive them: plain C, no dependencies, a verdict in the exit
 * status (and the runner's look at the kernel log).  Include it after
 * <asm/termbits.h> (never <termios.h>, which declares struct termios
 * differently) and "vtty.h", with _GNU_SOURCE defined.
 */
#ifndef VTTY_UTIL_H
#define VTTY_UTIL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- randomness ---------------------------------------------------------- */

/* splitmix64: one 64-bit word of state, so a stream is just a number. */
struct vt_rng {
	uint64_t s;
};

static inline uint64_t vt_rand(struct vt_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number below n (0 for n == 0), without modulo bias worth noticing. */
static inline uint32_t vt_below(struct vt_rng *r, uint32_t n)
{
	return (uint32_t)(((vt_rand(r) >> 32) * n) >> 32);
}

/* Stream i of a run: independent of the others, fixed by seed and i. */
static inline struct vt_rng vt_stream(uint64_t seed, unsigned int i)
{
	struct vt_rng r = { seed ^ (0xd1b54a32d192ed03ULL * (i + 1)) };

	vt_rand(&r);
	return r;
}

/* ---- time ---------------------------------------------------------------- */

static inline long long vt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * VTTY_TEST_PACE: how many times slower than a quiet machine this one is
 * (uml/measure-pace.sh).  It stretches deadlines only, never a run's
 * duration.
 */
static inline double vt_pace(void)
{
	const char *s = getenv("VTTY_TEST_PACE");
	double pace = s ? atof(s) : 1;

	return pace >= 1 ? pace : 1;
}

/* ---- counting ------------------------------------------------------------ */

#define VT_MAX_KINDS	40
#define VT_ERRNOS	134	/* errno values counted one by one */

/* One kind of operation: successes, the errors the race allows, failures. */
struct vt_count {
	uint64_t ok;
	uint64_t unexpected;
	uint64_t err[VT_ERRNOS];
};

/* Failures printed per kind and worker; the counts tell the rest. */
#define VT_SHOWN	10

/*
 * A worker's page of shared memory.  op_no and op_kind are its heartbeat:
 * the parent calls a worker stuck when op_no stops moving, and names the
 * kind of call it is stuck in.
 */
struct vt_worker {
	struct vt_count count[VT_MAX_KINDS];
	volatile uint64_t op_no;
	volatile int op_kind;
	volatile int done;
	uint64_t rounds;	/* the worker's loop, where a program counts */
	char name[32];
};

static const char *const *vt_kind_names;
static int vt_kinds;

static inline const char *vt_errname(int err)
{
	const char *name = strerrorname_np(err);

	return name ? name : "E?";
}

/* A call of this kind starts now (the heartbeat the parent watches). */
static inline void vt_begin(struct vt_worker *w, int kind)
{
	w->op_kind = kind;
	w->op_no++;
}

static inline int vt_errno_in(int err, const int *list)
{
	for (; *list; list++)
		if (*list == err)
			return 1;
	return 0;
}

static inline void __attribute__((format(printf, 3, 4)))
vt_fail(struct vt_worker *w, int kind, const char *fmt, ...)
{
	va_list ap;

	if (++w->count[kind].unexpected > VT_SHOWN)
		return;
	fprintf(stderr, "FAIL %s %s: ", w->name, vt_kind_names[kind]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (w->count[kind].unexpected == VT_SHOWN)
		fprintf(stderr, " (and no more of %s's %s failures)",
			w->name, vt_kind_names[kind]);
	fputc('\n', stderr);
}

/*
 * Counts a call that returned ret with errno err: a success, an error from
 * the list (what the interface allows in the race), or a failure printed
 * with the call and errno.  Returns 1 for a success.
 */
static inline int vt_note(struct vt_worker *w, int kind, long ret, int err,
			  const int *allowed)
{
	if (ret >= 0) {
		w->count[kind].ok++;
		return 1;
	}
	if (allowed && vt_errno_in(err, allowed) && err < VT_ERRNOS)
		w->count[kind].err[err]++;
	else
		vt_fail(w, kind, "%s (%d)", vt_errname(err), err);
	return 0;
}

/* The workers' pages, one each, shared with the parent. */
static inline struct vt_worker *vt_workers_alloc(int n)
{
	void *p = mmap(NULL, sizeof(struct vt_worker) * (size_t)n,
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	return p;
}

/*
 * Per-kind lines and the totals; returns the number of failures: calls
 * that failed unexpectedly, and kinds of call that never ran.
 */
static inline uint64_t vt_report(const char *prog, struct vt_worker *w,
				 int n, uint64_t *total_ops,
				 uint64_t *total_errs)
{
	uint64_t ops = 0, errs = 0, bad = 0;

	for (int k = 0; k < vt_kinds; k++) {
		struct vt_count sum = { 0 };
		uint64_t before = ops;
		char line[1024];
		int len;

		for (int i = 0; i < n; i++) {
			sum.ok += w[i].count[k].ok;
			sum.unexpected += w[i].count[k].unexpected;
			for (int e = 0; e < VT_ERRNOS; e++)
				sum.err[e] += w[i].count[k].err[e];
		}
		len = snprintf(line, sizeof(line), "%s: %-14s %9llu ok",
			       prog, vt_kind_names[k],
			       (unsigned long long)sum.ok);
		ops += sum.ok + sum.unexpected;
		bad += sum.unexpected;
		for (int e = 0; e < VT_ERRNOS; e++) {
			if (!sum.err[e])
				continue;
			ops += sum.err[e];
			errs += sum.err[e];
			if (len < (int)sizeof(line) - 40)
				len += snprintf(line + len, sizeof(line) - len,
						", %llu %s",
						(unsigned long long)sum.err[e],
						vt_errname(e));
		}
		if (sum.unexpected)
			snprintf(line + len, sizeof(line) - len,
				 ", %llu UNEXPECTED",
				 (unsigned long long)sum.unexpected);
		printf("%s\n", line);
		/* A kind of call that never ran was not tested: a failure. */
		if (ops == before) {
			printf("%s: no %s call ran\n", prog, vt_kind_names[k]);
			bad++;
		}
	}
	*total_ops = ops;
	*total_errs = errs;
	return bad;
}

/* ---- packets ------------------------------------------------------------- */

/*
 * A packet read from the master is well formed: a known tag and that tag's
 * length; a break's duration is positive, -1 (on) or 0 (off).
 */
static inline int vt_packet_ok(const unsigned char *b, long n)
{
	int32_t brk;

	switch (b[0]) {
	case TAG_UART_RX:
		return n >= 2;
	case TAG_SET_TERMIOS:
		return n == 1 + VTTY_TERMIOS2_SIZE;
	case TAG_BREAK_CTL:
		if (n != 5)
			return 0;
		memcpy(&brk, b + 1, sizeof(brk));
		return brk >= -1;
	case TAG_SET_MODEM:
	case TAG_OPEN_COUNT:
	case TAG_FLUSH:
		return n == 5;
	}
	return 0;
}

/* The first payload word of a packet, for messages about it. */
static inline int32_t vt_packet_word(const unsigned char *b, long n)
{
	int32_t v = 0;

	if (n >= 5)
		memcpy(&v, b + 1, sizeof(v));
	return v;
}

/* ---- signals ------------------------------------------------------------- */

static volatile sig_atomic_t vt_stray_signal;

static void vt_on_alarm(int sig)
{
	(void)sig;
}

static void vt_on_stray(int sig)
{
	vt_stray_signal = sig;
}

static volatile sig_atomic_t vt_stopped;

static void vt_on_stop(int sig)
{
	vt_stopped = sig;
}

/*
 * SIGALRM interrupts without SA_RESTART, so that a blocked call ends with
 * EINTR (or a short count).  SIGIO follows FIOASYNC on a tty, SIGPIPE is
 * of no interest: ignored.  The job control signals and SIGHUP only come
 * from a controlling tty, which no port ever becomes here (every open has
 * O_NOCTTY): they are noted, as failures, instead of stopping us.
 */
static inline void vt_signals(void)
{
	static const int stray[] = { SIGHUP, SIGINT, SIGQUIT, SIGTSTP,
				     SIGTTIN, SIGTTOU };
	struct sigaction sa = { .sa_handler = vt_on_alarm };

	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = vt_on_stray;
	for (size_t i = 0; i < ARRAY_SIZE(stray); i++)
		sigaction(stray[i], &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGIO, SIG_IGN);
}

/* SIGALRM after first_us, then every every_us (0: once; 0, 0: off). */
static inline void vt_alarm(long first_us, long every_us)
{
	struct itimerval it = {
		.it_value = { first_us / 1000000, first_us % 1000000 },
		.it_interval = { every_us / 1000000, every_us % 1000000 },
	};

	setitimer(ITIMER_REAL, &it, NULL);
}

/* ---- the parent ---------------------------------------------------------- */

/* A task's state letter from /proc (R, S, D...), '?' if unreadable. */
static inline char vt_task_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	return p && p[1] && p[2] ? p[2] : '?';
}

/*
 * Prints a worker's kernel stack from /proc (root only; a kernel without
 * CONFIG_STACKTRACE has none): where a stuck call sleeps, and who holds
 * what it waits for, is the first thing a finding needs.
 */
static inline void vt_print_stack(const char *name, pid_t pid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stack", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return;
	fprintf(stderr, "%s (pid %d, state %c) kernel stack:\n", name,
		(int)pid, vt_task_state(pid));
	while (fgets(line, sizeof(line), f))
		fprintf(stderr, "  %s", line);
	fclose(f);
}

/*
 * Waits for the workers.  One whose heartbeat has not moved for stuck_ms
 * is blocked in the kernel where nothing should block: the kind of call is
 * named and every worker is killed.  Returns the number of failures
 * (workers stuck, killed by a signal or exiting non-zero).
 */
static inline int vt_wait_workers(const pid_t *pids, struct vt_worker *w,
				  int n, long long stuck_ms)
{
	uint64_t *seen = calloc((size_t)n, sizeof(*seen));
	long long *since = calloc((size_t)n, sizeof(*since));
	struct sigaction sa = { .sa_handler = vt_on_stop };
	int left = n, failures = 0, killed = 0;

	/* Stopped from outside (a test's deadline, ^C): take the workers along. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	vt_alarm(500000, 500000);
	while (left) {
		int status, i;
		pid_t pid = waitpid(-1, &status, 0);

		if (pid > 0) {
			for (i = 0; i < n && pids[i] != pid; i++)
				;
			if (i == n)
				continue;
			left--;
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				if (!killed)
					fprintf(stderr, "FAIL %s: %s %d\n",
						w[i].name,
						WIFEXITED(status) ?
						"exit status" : "killed by signal",
						WIFEXITED(status) ?
						WEXITSTATUS(status) :
						WTERMSIG(status));
				failures++;
			}
			continue;
		}
		if (errno != EINTR)
			break;
		if (vt_stopped && !killed) {
			fprintf(stderr, "FAIL: stopped by signal %d; killing the workers\n",
				vt_stopped);
			failures++;
			killed = 1;
			for (int j = 0; j < n; j++)
				kill(pids[j], SIGKILL);
		}
		for (i = 0; i < n && !killed; i++) {
			long long now = vt_now_ms();

			if (w[i].done || w[i].op_no != seen[i] || !since[i]) {
				seen[i] = w[i].op_no;
				since[i] = now;
				continue;
			}
			if (now - since[i] < stuck_ms)
				continue;
			fprintf(stderr,
				"FAIL %s: no progress for %lld ms, in a %s call (op %llu, task state %c); killing the workers\n",
				w[i].name, now - since[i],
				vt_kind_names[w[i].op_kind],
				(unsigned long long)w[i].op_no,
				vt_task_state(pids[i]));
			failures++;
			killed = 1;
			for (int j = 0; j < n; j++)
				vt_print_stack(w[j].name, pids[j]);
			for (int j = 0; j < n; j++)
				kill(pids[j], SIGKILL);
		}
	}
	vt_alarm(0, 0);
	free(seen);
	free(since);
	return failures;
}

/* ---- the port afterwards ------------------------------------------------- */

static inline const char *vt_tty_path(int idx)
{
	static char path[32];

	snprintf(path, sizeof(path), "/dev/ttyV%d", idx);
	return path;
}

/* How many /dev/ttyV<n> nodes exist: ports whose master is open. */
static inline int vt_count_ports(void)
{
	DIR *d = opendir("/dev");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "ttyV", 4))
			n++;
	closedir(d);
	return n;
}

/*
 * Whether a tty descriptor is hung up, waiting up to ms for it.  EIO from a
 * tty may come a moment before the hangup that explains it: the master's
 * close marks the port gone (TIOCMIWAIT and breaks fail with EIO from then
 * on) before it hangs the tty up, and DCD falling hangs it up from a work
 * item.  No events are asked for, so only POLLHUP or POLLERR end the wait;
 * a signal (the workers' SIGALRM) does not.
 */
static inline int vt_hung_up(int fd, long long ms)
{
	long long end = vt_now_ms() + ms;
	struct pollfd p = { .fd = fd };
	int n;

	while ((n = poll(&p, 1, (int)ms)) < 0 && errno == EINTR) {
		ms = end - vt_now_ms();
		if (ms <= 0)
			return 0;
	}
	return n == 1 && (p.revents & (POLLHUP | POLLERR));
}

/* Waits for events on fd, up to ms; 1 when they came. */
static inline int vt_wait_fd(int fd, short events, long long ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, (int)ms) == 1 && (p.revents & events);
}

/*
 * A fresh port, after a run, must still do the basics: the application's
 * termios set and reported to the master as it is, bytes both ways.
 * Prints what is wrong; returns the number of problems.
 */
static inline int vt_check_port_usable(const char *prog)
{
	static const char up[] = "vtty up", down[] = "vtty down";
	long long wait_ms = (long long)(5000 * vt_pace());
	unsigned char buf[VTMX_MAX_PACKET_SIZE + 64];
	struct termios2 want, got;
	unsigned int idx;
	int m, t, n, got_up = 0, got_tio = 0;
	size_t have = 0;
	long long end;

	m = open("/dev/vtmx", O_RDWR | O_NONBLOCK);
	if (m < 0 || ioctl(m, VTMX_GET_VTTY_NUM, &idx)) {
		printf("%s: after the run: /dev/vtmx: %s\n", prog,
		       strerror(errno));
		return 1;
	}
	t = open(vt_tty_path((int)idx), O_RDWR | O_NOCTTY | O_NONBLOCK);
	if (t < 0 || ioctl(t, TCGETS2, &want)) {
		printf("%s: after the run: %s: %s\n", prog,
		       vt_tty_path((int)idx), strerror(errno));
		close(m);
		return 1;
	}
	want.c_iflag = 0;
	want.c_oflag = 0;
	want.c_lflag = 0;
	want.c_cflag = (want.c_cflag & ~(CBAUD | CSIZE)) | BOTHER | CS7 |
		       PARENB | CREAD | CLOCAL;
	want.c_ispeed = want.c_ospeed = 31250;
	if (ioctl(t, TCSETS2, &want) || ioctl(t, TCGETS2, &want) ||
	    write(t, up, sizeof(up)) != sizeof(up) ||
	    write(m, down, sizeof(down)) != sizeof(down)) {
		printf("%s: after the run: port %u: %s\n", prog, idx,
		       strerror(errno));
		close(t);
		close(m);
		return 1;
	}
	end = vt_now_ms() + wait_ms;
	while ((!got_up || !got_tio) && vt_now_ms() < end) {
		if (!vt_wait_fd(m, POLLIN, end - vt_now_ms()))
			break;
		n = (int)read(m, buf, sizeof(buf));
		if (n == 1 + (int)sizeof(got) && buf[0] == TAG_SET_TERMIOS) {
			memcpy(&got, buf + 1, sizeof(got));
			got_tio = !memcmp(&got, &want, sizeof(got));
		} else if (n == 1 + (int)sizeof(up) && buf[0] == TAG_UART_RX) {
			got_up = !memcmp(buf + 1, up, sizeof(up));
		}
	}
	while (have < sizeof(down) && vt_now_ms() < end) {
		if (!vt_wait_fd(t, POLLIN, end - vt_now_ms()))
			break;
		n = (int)read(t, buf + have, sizeof(down) - have);
		if (n <= 0)
			break;
		have += (size_t)n;
	}
	close(t);
	close(m);
	if (!got_tio)
		printf("%s: after the run: port %u: no termios packet equal to TCGETS2\n",
		       prog, idx);
	if (!got_up)
		printf("%s: after the run: port %u: the application's bytes did not reach the master\n",
		       prog, idx);
	if (have != sizeof(down) || memcmp(buf, down, sizeof(down)))
		printf("%s: after the run: port %u: the master's bytes did not reach the application\n",
		       prog, idx);
	return !got_tio + !got_up +
	       (have != sizeof(down) || memcmp(buf, down, sizeof(down)));
}

/* ---- a run --------------------------------------------------------------- */

/* What a run came to, over all its workers. */
struct vt_totals {
	uint64_t ops;
	uint64_t errs;		/* errors the interface allows */
	uint64_t bad;		/* unexpected results, kinds that never ran */
	int failures;		/* workers stuck or dying, ports left, a bad port */
	double seconds;
};

typedef int (*vt_work_fn)(struct vt_worker *w, int i, void *ctx);

/* A worker process: fn, and whether a signal came that never should. */
static inline int vt_worker_main(vt_work_fn fn, struct vt_worker *w, int i,
				 void *ctx)
{
	int status = fn(w, i, ctx);

	w->done = 1;
	if (vt_stray_signal) {
		fprintf(stderr, "FAIL %s: signal %d (%s) arrived\n", w->name,
			vt_stray_signal, strsignal(vt_stray_signal));
		return status ? status : 1;
	}
	return status;
}

/*
 * Runs fn(w[i], i, ctx) in n worker processes (named by the caller in
 * w[i].name) and waits for them, then reports: the per-kind counts, the
 * ports left behind, the check of a fresh port.
 */
static inline struct vt_totals vt_run(const char *prog, struct vt_worker *w,
				      int n, vt_work_fn fn, void *ctx)
{
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	struct vt_totals t = { 0 };
	int before = vt_count_ports(), after;
	long long t0 = vt_now_ms();

	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			exit(2);
		}
		if (!pids[i])
			_exit(vt_worker_main(fn, &w[i], i, ctx));
	}
	t.failures = vt_wait_workers(pids, w, n,
				     (long long)(20000 * vt_pace()));
	t.seconds = (vt_now_ms() - t0) / 1000.0;
	free(pids);
	t.bad = vt_report(prog, w, n, &t.ops, &t.errs);
	after = vt_count_ports();
	if (after != before) {
		printf("%s: %d ports before the run, %d after\n", prog, before,
		       after);
		t.failures++;
	}
	t.failures += vt_check_port_usable(prog);
	return t;
}

#endif /* VTTY_UTIL_H */
