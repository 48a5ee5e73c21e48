/*
 * vttybench: the C side of the vtmx-native throughput benchmark.
 *
 *   vttybench app out|in TTY BYTES CHUNK   application side on a ttyV (raw mode):
 *                                          "out": read BYTES (master -> app),
 *                                          "in":  write BYTES in CHUNK writes (app -> master).
 *                                          Writes "R" to stdout when ready, waits for one
 *                                          byte on stdin before starting, writes "D" when done.
 *   vttybench master out|in BYTES CHUNK [nonblock]
 *                                          a plain C master on /dev/vtmx, with the same app
 *                                          side as a child process; prints MiB/s. Blocking
 *                                          calls, or with "nonblock" O_NONBLOCK ones that poll
 *                                          on EAGAIN, as the Node binding's do.
 *
 * Build: cc -O2 -Wall -Wextra -o vttybench vttybench.c
 */
#include <asm/termbits.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
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
	t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
	t.c_oflag &= ~OPOST;
	t.c_lflag &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
	t.c_cflag &= ~(CSIZE | PARENB);
	t.c_cflag |= CS8;
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (ioctl(fd, TCSETS2, &t) < 0)
		die("TCSETS2");
}

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			if (errno == EINTR)
				continue;
			if (errno == EAGAIN && poll(&p, 1, -1) >= 0)
				continue;
			die("write");
		}
		buf += n;
		len -= (size_t)n;
	}
}

static int app(const char *dir, const char *tty, long long bytes, size_t chunk)
{
	static char buf[65536];
	char go;
	int fd = open(tty, O_RDWR | O_NOCTTY);

	if (fd < 0)
		die("open tty");
	make_raw(fd);
	memset(buf, 'x', sizeof(buf));
	write_all(1, "R", 1);
	if (read(0, &go, 1) != 1)
		die("read go");
	if (strcmp(dir, "out") == 0) {
		long long got = 0;

		while (got < bytes) {
			ssize_t n = read(fd, buf, sizeof(buf));

			if (n < 0) {
				if (errno == EINTR)
					continue;
				die("read tty");
			}
			if (n == 0)
				break;
			got += n;
		}
	} else {
		long long sent = 0;

		while (sent < bytes) {
			size_t n = chunk;

			if ((long long)n > bytes - sent)
				n = (size_t)(bytes - sent);
			write_all(fd, buf, n);
			sent += (long long)n;
		}
		/* wait until the master has read everything */
		if (ioctl(fd, TCSBRK, 1) < 0)
			die("tcdrain");
	}
	write_all(1, "D", 1);
	close(fd);
	return 0;
}

static int master(const char *self, const char *dir, long long bytes, size_t chunk,
		  int nonblock)
{
	static char buf[65536];
	int to_child[2], from_child[2];
	unsigned int index;
	char path[64], bytes_s[32], chunk_s[32], c;
	double t0, t1;
	pid_t pid;
	int fd = open("/dev/vtmx", O_RDWR | O_NOCTTY);

	if (fd < 0)
		die("open /dev/vtmx");
	if (ioctl(fd, TIOCGPTN, &index) < 0)
		die("VTMX_GET_VTTY_NUM");
	snprintf(path, sizeof(path), "/dev/ttyV%u", index);
	snprintf(bytes_s, sizeof(bytes_s), "%lld", bytes);
	snprintf(chunk_s, sizeof(chunk_s), "%zu", chunk);
	if (pipe(to_child) < 0 || pipe(from_child) < 0)
		die("pipe");
	pid = fork();
	if (pid == 0) {
		dup2(to_child[0], 0);
		dup2(from_child[1], 1);
		execl(self, self, "app", dir, path, bytes_s, chunk_s, (char *)NULL);
		die("exec");
	}
	if (read(from_child[0], &c, 1) != 1 || c != 'R')
		die("child ready");
	/* drain the termios packet of the child's raw mode */
	if (strcmp(dir, "out") == 0) {
		fcntl(fd, F_SETFL, O_NONBLOCK);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		fcntl(fd, F_SETFL, 0);
	}
	if (nonblock && fcntl(fd, F_SETFL, O_NONBLOCK) < 0)
		die("O_NONBLOCK");
	t0 = now();
	write_all(to_child[1], "G", 1);
	if (strcmp(dir, "out") == 0) {
		long long sent = 0;

		memset(buf, 'y', sizeof(buf));
		while (sent < bytes) {
			size_t n = chunk;

			if ((long long)n > bytes - sent)
				n = (size_t)(bytes - sent);
			write_all(fd, buf, n);
			sent += (long long)n;
		}
		if (read(from_child[0], &c, 1) != 1 || c != 'D')
			die("child done");
	} else {
		long long got = 0;

		while (got < bytes) {
			ssize_t n = read(fd, buf, sizeof(buf));

			if (n < 0) {
				struct pollfd p = { .fd = fd, .events = POLLIN };

				if (errno == EINTR)
					continue;
				if (errno == EAGAIN && poll(&p, 1, -1) >= 0)
					continue;
				die("read vtmx");
			}
			if (n > 0 && buf[0] == 0)
				got += n - 1;
		}
		if (read(from_child[0], &c, 1) != 1 || c != 'D')
			die("child done");
	}
	t1 = now();
	waitpid(pid, NULL, 0);
	printf("%.1f\n", bytes / 1048576.0 / (t1 - t0));
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && strcmp(argv[1], "app") == 0)
		return app(argv[2], argv[3], atoll(argv[4]), (size_t)atol(argv[5]));
	if ((argc == 5 || (argc == 6 && strcmp(argv[5], "nonblock") == 0)) &&
	    strcmp(argv[1], "master") == 0)
		return master(argv[0], argv[2], atoll(argv[3]), (size_t)atol(argv[4]), argc == 6);
	fprintf(stderr, "usage: vttybench app out|in TTY BYTES CHUNK | master out|in BYTES CHUNK [nonblock]\n");
	return 2;
}
