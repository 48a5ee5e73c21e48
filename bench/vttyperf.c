/*
 * vttyperf: vtty (/dev/vtmx -> /dev/ttyV<n>) against the kernel's pty
 * (/dev/ptmx -> /dev/pts/<n>), measured the same way on the same boot.
 *
 *   vttyperf tput vtty|pty|pipe m2s|s2m WSIZE BYTES [PORTS]
 *       Throughput.  m2s: the master writes BYTES in WSIZE writes and the
 *       application reads them from the tty; s2m: the application writes,
 *       the master reads.  With PORTS > 1, that many pairs stream at once
 *       and BYTES is split between them (the aggregate figure).  "pipe"
 *       puts a plain pipe where the master and the tty would be, between
 *       the same two processes with the same writes and reads: the cost of
 *       moving bytes from one process to another, the ceiling of any tty.
 *   vttyperf lat COUNT [vtty|pty]
 *       Round trip of one byte: the application writes it to the tty, the
 *       master reads it and writes one byte back, the application reads it.
 *       COUNT round trips on each device, the two devices taking turns in
 *       blocks of 50 within one run; one line per device.  Naming a device
 *       measures that one alone (for a profile of one device).
 *   vttyperf mem vtty|pty PORTS
 *       Kernel memory of PORTS idle ports: /proc/meminfo and /proc/slabinfo
 *       before, with the masters open, with masters and ttys open.
 *   vttyperf floor WSIZE BYTES
 *       The system calls of a master->tty stream by themselves, with no
 *       tty: one process writes BYTES to /dev/null in WSIZE writes and
 *       reads as many bytes from /dev/zero in reads of at most
 *       N_TTY_READ_MAX, the most an application's read() gets from n_tty.
 *
 * Every figure is printed as one JSON object per line on stdout.
 * Both sides are separate processes and every tty is in raw mode (the pty
 * master too).  The master and the application are forked per pair; the
 * clock runs from a common start signal to the last pair's "done" (teardown
 * is not timed).
 *
 * Build: cc -O2 -Wall -Wextra -I kernel -o vttyperf bench/vttyperf.c
 */
#define _GNU_SOURCE
#include <asm/termbits.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vtty.h"

#define BUF_SIZE 65536
/* n_tty keeps a 4096-byte ring one slot short of full. */
#define N_TTY_READ_MAX 4095

/* Which device the master and tty ends are. */
enum dev_kind { DEV_PTY, DEV_VTTY, DEV_PIPE };

static enum dev_kind dev;
static const char *const dev_name[] = { "pty", "vtty", "pipe" };

static void die(const char *what)
{
	fprintf(stderr, "vttyperf: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void make_raw(int fd)
{
	struct termios2 t;

	if (ioctl(fd, TCGETS2, &t) < 0)
		die("TCGETS2");
	t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
		       ICRNL | IXON | IXOFF);
	t.c_oflag &= ~OPOST;
	t.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cflag &= ~(CSIZE | PARENB | CRTSCTS);
	t.c_cflag |= CS8 | CLOCAL | CREAD;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (ioctl(fd, TCSETS2, &t) < 0)
		die("TCSETS2");
}

static void write_all(int fd, const void *p, size_t len)
{
	const char *buf = p;

	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("write");
		}
		buf += n;
		len -= (size_t)n;
	}
}

static void read_all(int fd, void *p, size_t len)
{
	char *buf = p;

	while (len > 0) {
		ssize_t n = read(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("read (pipe)");
		buf += n;
		len -= (size_t)n;
	}
}

/* Opens a master; returns its fd and the path of its tty. */
static int open_master(char *path, size_t size)
{
	unsigned int index;
	int fd;

	if (dev == DEV_VTTY) {
		fd = open("/dev/vtmx", O_RDWR | O_NOCTTY);
		if (fd < 0)
			die("open /dev/vtmx");
		if (ioctl(fd, VTMX_GET_VTTY_NUM, &index) < 0)
			die("VTMX_GET_VTTY_NUM");
		snprintf(path, size, "/dev/ttyV%u", index);
	} else {
		int unlock = 0;

		fd = open("/dev/ptmx", O_RDWR | O_NOCTTY);
		if (fd < 0)
			die("open /dev/ptmx");
		if (ioctl(fd, TIOCSPTLCK, &unlock) < 0)
			die("TIOCSPTLCK");
		if (ioctl(fd, TIOCGPTN, &index) < 0)
			die("TIOCGPTN");
		snprintf(path, size, "/dev/pts/%u", index);
		make_raw(fd);
	}
	return fd;
}

/* Reads the master; returns the number of data bytes (tag 0 payload). */
static ssize_t master_read(int fd, char *buf, size_t size)
{
	ssize_t n;

	for (;;) {
		n = read(fd, buf, size);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("read master");
		}
		if (dev != DEV_VTTY)
			return n;
		if (n > 0 && buf[0] == TAG_UART_RX)
			return n - 1;
		/* a control packet (the application's raw-mode termios) */
	}
}

/* What one side of one pair did, sent to the parent in one pipe write. */
struct side_stats {
	double user, sys;		/* CPU seconds */
	long nvcsw, nivcsw;		/* voluntary / involuntary switches */
	long long calls;		/* read() or write() calls in the loop */
	long long bytes;
};

struct pair_stats {
	struct side_stats master, app;
};

static void rusage_to(struct side_stats *s, const struct rusage *a,
		      const struct rusage *b)
{
	s->user = (b->ru_utime.tv_sec - a->ru_utime.tv_sec) +
		  (b->ru_utime.tv_usec - a->ru_utime.tv_usec) / 1e6;
	s->sys = (b->ru_stime.tv_sec - a->ru_stime.tv_sec) +
		 (b->ru_stime.tv_usec - a->ru_stime.tv_usec) / 1e6;
	s->nvcsw = b->ru_nvcsw - a->ru_nvcsw;
	s->nivcsw = b->ru_nivcsw - a->ru_nivcsw;
}

/* Writes BYTES in WSIZE writes; returns the number of write() calls. */
static long long stream_out(int fd, long long bytes, size_t wsize, char *buf)
{
	long long sent = 0, calls = 0;

	memset(buf, 'y', BUF_SIZE);
	while (sent < bytes) {
		size_t n = wsize;
		ssize_t w;

		if ((long long)n > bytes - sent)
			n = (size_t)(bytes - sent);
		w = write(fd, buf, n);
		calls++;
		if (w < 0) {
			if (errno == EINTR)
				continue;
			die("write stream");
		}
		sent += w;
	}
	return calls;
}

/*
 * The application side of one pair: its end FD (the tty in raw mode, or
 * the pipe), says 'R' on ready_fd, waits for 'G' on go_fd, streams, then
 * sends its stats on done_fd.
 */
static void app_side(int fd, int m2s, size_t wsize, long long bytes,
		     int ready_fd, int go_fd, int done_fd)
{
	static char buf[BUF_SIZE];
	struct side_stats st = { 0 };
	struct rusage r0, r1;
	char c;

	write_all(ready_fd, "R", 1);
	read_all(go_fd, &c, 1);
	getrusage(RUSAGE_SELF, &r0);
	if (m2s) {
		while (st.bytes < bytes) {
			ssize_t n = read(fd, buf, sizeof(buf));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				die("read tty");
			st.calls++;
			st.bytes += n;
		}
	} else {
		st.calls = stream_out(fd, bytes, wsize, buf);
		st.bytes = bytes;
	}
	getrusage(RUSAGE_SELF, &r1);
	rusage_to(&st, &r0, &r1);
	write_all(done_fd, &st, sizeof(st));
	/* s2m: the master must read everything before the tty closes. */
	read_all(go_fd, &c, 1);
	close(fd);
	_exit(0);
}

/*
 * One pair, in its own process: the master side, with the application as
 * its child.  Says 'R' on ready_fd when both are ready, waits for the start
 * byte on start_fd, streams, sends a struct pair_stats on report_fd.
 */
static void pair_run(int m2s, size_t wsize, long long bytes, int ready_fd,
		     int start_fd, int report_fd)
{
	static char buf[BUF_SIZE];
	int app_ready[2], app_go[2], app_done[2], data[2];
	struct pair_stats ps = { 0 };
	struct rusage r0, r1;
	char path[64], c;
	pid_t pid;
	int fd;

	if (dev == DEV_PIPE) {
		/* The master's end: the writing one for m2s. */
		if (pipe(data))
			die("pipe");
		fd = m2s ? data[1] : data[0];
	} else {
		fd = open_master(path, sizeof(path));
	}
	if (pipe(app_ready) || pipe(app_go) || pipe(app_done))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		int app;

		close(fd);
		if (dev == DEV_PIPE) {
			app = m2s ? data[0] : data[1];
		} else {
			app = open(path, O_RDWR | O_NOCTTY);
			if (app < 0)
				die("open tty");
			make_raw(app);
		}
		app_side(app, m2s, wsize, bytes, app_ready[1], app_go[0],
			 app_done[1]);
	}
	if (dev == DEV_PIPE)
		close(m2s ? data[0] : data[1]);
	read_all(app_ready[0], &c, 1);
	if (dev == DEV_VTTY) {
		/* drop the termios packet of the application's raw mode */
		int fl = fcntl(fd, F_GETFL);

		fcntl(fd, F_SETFL, fl | O_NONBLOCK);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		fcntl(fd, F_SETFL, fl);
	}
	write_all(ready_fd, "R", 1);
	read_all(start_fd, &c, 1);
	write_all(app_go[1], "G", 1);
	getrusage(RUSAGE_SELF, &r0);
	if (m2s) {
		ps.master.calls = stream_out(fd, bytes, wsize, buf);
		ps.master.bytes = bytes;
	} else {
		while (ps.master.bytes < bytes) {
			ps.master.bytes += master_read(fd, buf, sizeof(buf));
			ps.master.calls++;
		}
	}
	getrusage(RUSAGE_SELF, &r1);
	rusage_to(&ps.master, &r0, &r1);
	read_all(app_done[0], &ps.app, sizeof(ps.app));
	write_all(report_fd, &ps, sizeof(ps));
	write_all(app_go[1], "E", 1);
	waitpid(pid, NULL, 0);
	close(fd);
	_exit(0);
}

struct sys_stat {
	unsigned long long ctxt;
	unsigned long long user, nice, system, idle, iowait, irq, softirq;
};

static void read_sys_stat(struct sys_stat *s)
{
	char line[512];
	FILE *f = fopen("/proc/stat", "r");

	memset(s, 0, sizeof(*s));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "cpu ", 4) == 0)
			sscanf(line + 4, "%llu %llu %llu %llu %llu %llu %llu",
			       &s->user, &s->nice, &s->system, &s->idle,
			       &s->iowait, &s->irq, &s->softirq);
		else if (strncmp(line, "ctxt ", 5) == 0)
			sscanf(line + 5, "%llu", &s->ctxt);
	}
	fclose(f);
}

static void print_side(const char *name, const struct side_stats *s)
{
	printf(",\"%s\":{\"user_s\":%.3f,\"sys_s\":%.3f,\"nvcsw\":%ld,"
	       "\"nivcsw\":%ld,\"calls\":%lld,\"bytes\":%lld,"
	       "\"bytes_per_call\":%.1f}",
	       name, s->user, s->sys, s->nvcsw, s->nivcsw, s->calls, s->bytes,
	       s->calls ? (double)s->bytes / s->calls : 0.0);
}

static int cmd_tput(int m2s, size_t wsize, long long bytes, int ports)
{
	int ready[2], start[2], report[2];
	struct pair_stats sum = { 0 };
	struct sys_stat s0, s1;
	long long per = bytes / ports;
	double t0, t1;
	char c;
	int i;

	if (wsize < 1 || wsize > BUF_SIZE || ports < 1 || per < 1) {
		fprintf(stderr, "vttyperf: bad tput arguments\n");
		return 2;
	}
	if (pipe(ready) || pipe(start) || pipe(report))
		die("pipe");
	for (i = 0; i < ports; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			pair_run(m2s, wsize, per, ready[1], start[0], report[1]);
	}
	for (i = 0; i < ports; i++)
		read_all(ready[0], &c, 1);
	read_sys_stat(&s0);
	t0 = now();
	for (i = 0; i < ports; i++)
		write_all(start[1], "G", 1);
	for (i = 0; i < ports; i++) {
		struct pair_stats ps;

		read_all(report[0], &ps, sizeof(ps));
		sum.master.user += ps.master.user;
		sum.master.sys += ps.master.sys;
		sum.master.nvcsw += ps.master.nvcsw;
		sum.master.nivcsw += ps.master.nivcsw;
		sum.master.calls += ps.master.calls;
		sum.master.bytes += ps.master.bytes;
		sum.app.user += ps.app.user;
		sum.app.sys += ps.app.sys;
		sum.app.nvcsw += ps.app.nvcsw;
		sum.app.nivcsw += ps.app.nivcsw;
		sum.app.calls += ps.app.calls;
		sum.app.bytes += ps.app.bytes;
	}
	t1 = now();
	read_sys_stat(&s1);
	while (wait(NULL) > 0)
		;
	printf("{\"kind\":\"tput\",\"dev\":\"%s\",\"dir\":\"%s\",\"wsize\":%zu,"
	       "\"ports\":%d,\"bytes\":%lld,\"seconds\":%.6f,\"mibps\":%.3f,"
	       "\"ctxt\":%llu,\"jiffies\":{\"user\":%llu,\"system\":%llu,"
	       "\"idle\":%llu,\"softirq\":%llu}",
	       dev_name[dev], m2s ? "m2s" : "s2m", wsize, ports,
	       per * ports, t1 - t0, per * ports / 1048576.0 / (t1 - t0),
	       s1.ctxt - s0.ctxt, s1.user + s1.nice - s0.user - s0.nice,
	       s1.system - s0.system, s1.idle + s1.iowait - s0.idle - s0.iowait,
	       s1.softirq + s1.irq - s0.softirq - s0.irq);
	print_side("master", &sum.master);
	print_side("app", &sum.app);
	printf("}\n");
	return 0;
}

/*
 * The floor: the same writes and the fewest reads a master->tty stream
 * needs, each system call as cheap as it gets (/dev/null copies nothing,
 * /dev/zero only clears), no second process, no tty.  In user-mode Linux
 * a system call costs tens of microseconds; when the floor is no faster
 * than the pty's stream, the stream's time is its system calls', and the
 * tty layer's own work, all that a driver can change, is lost in it.
 */
static int cmd_floor(size_t wsize, long long bytes)
{
	static char buf[BUF_SIZE];
	long long written = 0, unread = 0;
	double t0, t1;
	int out, in;

	if (wsize < 1 || wsize > BUF_SIZE || bytes < 1) {
		fprintf(stderr, "vttyperf: bad floor arguments\n");
		return 2;
	}
	out = open("/dev/null", O_WRONLY);
	in = open("/dev/zero", O_RDONLY);
	if (out < 0 || in < 0)
		die("open /dev/null or /dev/zero");
	memset(buf, 'y', sizeof(buf));
	t0 = now();
	while (written < bytes || unread > 0) {
		if (written < bytes) {
			size_t n = wsize;

			if ((long long)n > bytes - written)
				n = (size_t)(bytes - written);
			write_all(out, buf, n);
			written += n;
			unread += n;
		}
		/* Read only whole n_tty loads, except for the last. */
		while (unread >= N_TTY_READ_MAX ||
		       (written == bytes && unread > 0)) {
			size_t n = unread < N_TTY_READ_MAX ? (size_t)unread :
				   N_TTY_READ_MAX;

			read_all(in, buf, n);
			unread -= n;
		}
	}
	t1 = now();
	printf("{\"kind\":\"floor\",\"wsize\":%zu,\"bytes\":%lld,"
	       "\"seconds\":%.6f,\"mibps\":%.3f}\n",
	       wsize, bytes, t1 - t0, bytes / 1048576.0 / (t1 - t0));
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define LAT_WARMUP 200
/* Round trips on one device before the other device's turn. */
#define LAT_BLOCK 50

/* One device of the latency case: its tty (ours), its echoing master. */
struct lat_dev {
	enum dev_kind kind;
	int tty;
	pid_t master;
	double *rtt;
};

/*
 * The master's side: every byte goes straight back, until a 'q', which
 * does not: closing the master right after answering could hang the tty up
 * before the application has read the answer.
 */
static void echo_master(int fd)
{
	static char buf[BUF_SIZE];

	for (;;) {
		ssize_t n = master_read(fd, buf, sizeof(buf));
		const char *data = dev == DEV_VTTY ? buf + 1 : buf;

		if (n <= 0)
			die("master read: end of data");
		if (data[n - 1] == 'q') {
			write_all(fd, data, (size_t)n - 1);
			return;
		}
		write_all(fd, data, (size_t)n);
	}
}

/* The application's side: one byte out, one back; returns the seconds. */
static double round_trip(int tty, char b)
{
	double t0 = now();

	write_all(tty, &b, 1);
	for (;;) {
		ssize_t n = read(tty, &b, 1);

		if (n == 1)
			return now() - t0;
		if (n < 0 && errno == EINTR)
			continue;
		die("read tty");
	}
}

static void print_lat(const struct lat_dev *d, int count, double ctxt_per_rt)
{
	double sum = 0, *rtt = d->rtt;
	int i;

	for (i = 0; i < count; i++)
		sum += rtt[i];
	qsort(rtt, (size_t)count, sizeof(*rtt), cmp_double);
	printf("{\"kind\":\"lat\",\"dev\":\"%s\",\"count\":%d,"
	       "\"interleave\":%d,"
	       "\"p50_us\":%.2f,\"p90_us\":%.2f,\"p99_us\":%.2f,"
	       "\"min_us\":%.2f,\"max_us\":%.2f,\"mean_us\":%.2f,"
	       "\"ctxt_per_rt\":%.2f}\n",
	       dev_name[d->kind], count, LAT_BLOCK,
	       rtt[count / 2] * 1e6, rtt[count * 90 / 100] * 1e6,
	       rtt[count * 99 / 100] * 1e6, rtt[0] * 1e6,
	       rtt[count - 1] * 1e6, sum / count * 1e6, ctxt_per_rt);
}

/*
 * Both devices in one measurement, in alternating blocks of LAT_BLOCK round
 * trips (which goes first alternates too): a burst of host noise, which in
 * UML stretches round trips many times over, then falls on both alike
 * instead of on whichever ran at that moment.
 */
static int cmd_lat(int count, int only)
{
	struct lat_dev lat[2] = { { .kind = DEV_VTTY }, { .kind = DEV_PTY } };
	struct sys_stat s0, s1;
	char path[64];
	/* The devices measured: lat[first] to lat[last]. */
	int first = only < 0 ? 0 : only, last = only < 0 ? 1 : only;
	int d, i, j;

	if (count < 100) {
		fprintf(stderr, "vttyperf: at least 100 round trips\n");
		return 2;
	}
	for (d = first; d <= last; d++) {
		int master;

		dev = lat[d].kind;
		master = open_master(path, sizeof(path));
		lat[d].tty = open(path, O_RDWR | O_NOCTTY);
		if (lat[d].tty < 0)
			die("open tty");
		make_raw(lat[d].tty);
		lat[d].rtt = calloc((size_t)count, sizeof(double));
		if (!lat[d].rtt)
			die("calloc");
		lat[d].master = fork();
		if (lat[d].master < 0)
			die("fork");
		if (lat[d].master == 0) {
			echo_master(master);
			_exit(0);
		}
		close(master);
	}
	for (i = 0; i < LAT_WARMUP; i++)
		for (d = first; d <= last; d++)
			round_trip(lat[d].tty, 'x');
	read_sys_stat(&s0);
	for (i = 0; i < count; i += LAT_BLOCK) {
		int turn;

		for (turn = 0; turn < 2; turn++) {
			d = turn ^ ((i / LAT_BLOCK) & 1);
			if (d < first || d > last)
				continue;
			for (j = i; j < i + LAT_BLOCK && j < count; j++)
				lat[d].rtt[j] = round_trip(lat[d].tty, 'x');
		}
	}
	read_sys_stat(&s1);
	for (d = first; d <= last; d++) {
		write_all(lat[d].tty, "q", 1);
		waitpid(lat[d].master, NULL, 0);
		close(lat[d].tty);
	}
	/* The switches of all devices measured: a run cannot tell them apart. */
	for (d = first; d <= last; d++) {
		print_lat(&lat[d], count, (double)(s1.ctxt - s0.ctxt) /
			  ((last - first + 1.0) * count));
		free(lat[d].rtt);
	}
	return 0;
}

/* ---- memory ------------------------------------------------------------ */

#define MAX_CACHES 512

struct mem_snap {
	long long memfree, slab, sunreclaim, vmalloc, kstack, pagetables;
	int ncaches;
	struct {
		char name[64];
		long long bytes;	/* num_slabs * pages_per_slab * 4096 */
		long long objs;
		long objsize;
	} cache[MAX_CACHES];
};

static void snap(struct mem_snap *m)
{
	char line[1024];
	FILE *f;

	/* Reclaimable caches and RCU-freed objects out of the way. */
	sync();
	f = fopen("/proc/sys/vm/drop_caches", "w");
	if (f) {
		fputs("3\n", f);
		fclose(f);
	}
	usleep(300000);
	memset(m, 0, sizeof(*m));
	f = fopen("/proc/meminfo", "r");
	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f)) {
		long long v;
		char key[64];

		if (sscanf(line, "%63[^:]: %lld", key, &v) != 2)
			continue;
		if (!strcmp(key, "MemFree"))
			m->memfree = v;
		else if (!strcmp(key, "Slab"))
			m->slab = v;
		else if (!strcmp(key, "SUnreclaim"))
			m->sunreclaim = v;
		else if (!strcmp(key, "VmallocUsed"))
			m->vmalloc = v;
		else if (!strcmp(key, "KernelStack"))
			m->kstack = v;
		else if (!strcmp(key, "PageTables"))
			m->pagetables = v;
	}
	fclose(f);
	f = fopen("/proc/slabinfo", "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && m->ncaches < MAX_CACHES) {
		long long active, num, slabs;
		long size, perslab, pages;
		char name[64];

		if (sscanf(line, "%63s %lld %lld %ld %ld %ld : tunables %*d %*d %*d : slabdata %*d %lld",
			   name, &active, &num, &size, &perslab, &pages,
			   &slabs) != 7)
			continue;
		strcpy(m->cache[m->ncaches].name, name);
		m->cache[m->ncaches].bytes = slabs * pages * 4096;
		m->cache[m->ncaches].objs = active;
		m->cache[m->ncaches].objsize = size;
		m->ncaches++;
	}
	fclose(f);
}

static void print_delta(const char *step, const struct mem_snap *a,
			const struct mem_snap *b, int ports)
{
	int i, j, shown = 0;
	int used[MAX_CACHES] = { 0 };

	printf("{\"kind\":\"mem\",\"dev\":\"%s\",\"step\":\"%s\",\"ports\":%d,"
	       "\"per_port_bytes\":{\"memfree\":%.0f,\"slab\":%.0f,"
	       "\"sunreclaim\":%.0f,\"vmalloc\":%.0f,\"kstack\":%.0f,"
	       "\"pagetables\":%.0f},\"caches\":[",
	       dev_name[dev], step, ports,
	       (a->memfree - b->memfree) * 1024.0 / ports,
	       (b->slab - a->slab) * 1024.0 / ports,
	       (b->sunreclaim - a->sunreclaim) * 1024.0 / ports,
	       (b->vmalloc - a->vmalloc) * 1024.0 / ports,
	       (b->kstack - a->kstack) * 1024.0 / ports,
	       (b->pagetables - a->pagetables) * 1024.0 / ports);
	/* The caches that grew by at least half an object per port. */
	for (;;) {
		long long best = 0;
		int bi = -1;

		for (i = 0; i < b->ncaches; i++) {
			long long objs0 = 0, bytes0 = 0, d;

			if (used[i])
				continue;
			for (j = 0; j < a->ncaches; j++)
				if (!strcmp(a->cache[j].name, b->cache[i].name)) {
					objs0 = a->cache[j].objs;
					bytes0 = a->cache[j].bytes;
					break;
				}
			d = b->cache[i].objs - objs0;
			if (d * 2 < ports)
				continue;
			if (b->cache[i].bytes - bytes0 + 1 > best) {
				best = b->cache[i].bytes - bytes0 + 1;
				bi = i;
			}
		}
		if (bi < 0 || shown >= 16)
			break;
		used[bi] = 1;
		for (j = 0; j < a->ncaches; j++)
			if (!strcmp(a->cache[j].name, b->cache[bi].name))
				break;
		printf("%s{\"name\":\"%s\",\"objsize\":%ld,\"objs_per_port\":%.2f,"
		       "\"bytes_per_port\":%.0f}",
		       shown ? "," : "", b->cache[bi].name, b->cache[bi].objsize,
		       (double)(b->cache[bi].objs -
				(j < a->ncaches ? a->cache[j].objs : 0)) / ports,
		       (double)(b->cache[bi].bytes -
				(j < a->ncaches ? a->cache[j].bytes : 0)) / ports);
		shown++;
	}
	printf("]}\n");
}

static int cmd_mem(int ports)
{
	struct mem_snap *s0, *s1, *s2;
	struct rlimit rl;
	int *mfd, *tfd, i;
	char path[64];

	rl.rlim_cur = rl.rlim_max = (rlim_t)ports * 2 + 64;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("RLIMIT_NOFILE");
	s0 = malloc(sizeof(*s0));
	s1 = malloc(sizeof(*s1));
	s2 = malloc(sizeof(*s2));
	mfd = calloc((size_t)ports, sizeof(int));
	tfd = calloc((size_t)ports, sizeof(int));
	if (!s0 || !s1 || !s2 || !mfd || !tfd)
		die("malloc");
	snap(s0);
	for (i = 0; i < ports; i++)
		mfd[i] = open_master(path, sizeof(path));
	snap(s1);
	for (i = 0; i < ports; i++) {
		char p[64];

		/* open_master() named the tty; name it again per port */
		if (dev == DEV_VTTY) {
			unsigned int index;

			ioctl(mfd[i], VTMX_GET_VTTY_NUM, &index);
			snprintf(p, sizeof(p), "/dev/ttyV%u", index);
		} else {
			unsigned int index;

			ioctl(mfd[i], TIOCGPTN, &index);
			snprintf(p, sizeof(p), "/dev/pts/%u", index);
		}
		tfd[i] = open(p, O_RDWR | O_NOCTTY);
		if (tfd[i] < 0)
			die("open tty");
	}
	snap(s2);
	print_delta("masters", s0, s1, ports);
	print_delta("masters+ttys", s0, s2, ports);
	print_delta("ttys", s1, s2, ports);
	for (i = 0; i < ports; i++) {
		close(tfd[i]);
		close(mfd[i]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (argc == 3 && !strcmp(argv[1], "lat"))
		return cmd_lat(atoi(argv[2]), -1);
	if (argc == 4 && !strcmp(argv[1], "lat") &&
	    (!strcmp(argv[3], "vtty") || !strcmp(argv[3], "pty")))
		return cmd_lat(atoi(argv[2]), !strcmp(argv[3], "pty"));
	if (argc == 4 && !strcmp(argv[1], "floor"))
		return cmd_floor((size_t)atol(argv[2]), atoll(argv[3]));
	if (argc >= 3) {
		if (!strcmp(argv[2], "vtty"))
			dev = DEV_VTTY;
		else if (!strcmp(argv[2], "pipe") && !strcmp(argv[1], "tput"))
			dev = DEV_PIPE;
		else if (strcmp(argv[2], "pty"))
			goto usage;
	}
	if ((argc == 6 || argc == 7) && !strcmp(argv[1], "tput"))
		return cmd_tput(!strcmp(argv[3], "m2s"), (size_t)atol(argv[4]),
				atoll(argv[5]), argc == 7 ? atoi(argv[6]) : 1);
	if (argc == 4 && !strcmp(argv[1], "mem"))
		return cmd_mem(atoi(argv[3]));
usage:
	fprintf(stderr,
		"usage: vttyperf tput vtty|pty|pipe m2s|s2m WSIZE BYTES [PORTS]\n"
		"       vttyperf lat COUNT [vtty|pty]\n"
		"       vttyperf mem vtty|pty PORTS\n"
		"       vttyperf floor WSIZE BYTES\n");
	return 2;
}
