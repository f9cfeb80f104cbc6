// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * churngen: the soak test's load. For --duration seconds it keeps making
 *   - short loopback TCP connections, --conns per second: connect, send 64
 *     bytes, accept, read, close (both ends here). One in TW_EVERY closes
 *     normally and leaves a TIME_WAIT; the others close with SO_LINGER 0 (an
 *     RST) so the TIME_WAIT table and the ephemeral ports stay bounded;
 *   - short-lived processes, --procs per second: fork, connect one socket to
 *     the listener, exit (the kernel closes the socket);
 *   - a growing leak, --leak bytes per second: one child whose heap grows by
 *     that much every second (touched, so it is RSS) up to --leak-max, and
 *     which sends a quarter of it on a connection whose receiver never reads.
 * Loopback only, paced on a 10 ms tick without catch-up bursts, so the rates
 * it reports are the rates it reached. It stops after --duration, on
 * SIGTERM/SIGINT/SIGHUP; children carry PR_SET_PDEATHSIG(SIGKILL).
 *
 * stdout: "ready pid= leak_pid= port=" once, "rate t= conns= procs= conn_per_s=
 * proc_per_s= leak_rss_kb= errors=" every 10 s (over the last 10 s), and
 * "summary ..." with the same fields over the whole run. Exit status 0, 1 on
 * a setup failure, 2 on a usage error. Uses nothing from core/.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS		10
#define TW_EVERY	16		/* one normal close (TIME_WAIT) in 16 */
#define MAX_CONNS	20000		/* per second */
#define MAX_PROCS	2000		/* per second */
#define MAX_LIVE_KIDS	256		/* short-lived children alive at once */
#define MAX_LEAK	(64ULL << 20)	/* bytes per second */
#define MAX_LEAK_TOTAL	(1ULL << 30)
#define MAX_DURATION	7200
#define REPORT_MS	10000

struct churn {
	unsigned long conns, procs;	/* per second */
	unsigned long long leak, leak_max;
	int duration;
	struct sockaddr_in addr;	/* the listener */
	int lfd, sigfd;
	pid_t leak_pid;
	int live_kids;
	/* totals, and the same at the last report */
	unsigned long long n_conn, n_proc, n_err;
	unsigned long long r_conn, r_proc;
	int64_t start_ms, report_ms;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_rst(int fd)
{
	struct linger l = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

static int connect_listener(const struct churn *c)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&c->addr, sizeof(c->addr)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Everything waiting in the accept queue: read what came, close it first
 * (a FIN): the connecting end then decides between RST and TIME_WAIT. */
static void drain_accept(struct churn *c)
{
	char b[256];
	int fd;

	while ((fd = accept4(c->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		(void)!read(fd, b, sizeof(b));
		close(fd);
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
		c->n_err++;
}

static void make_conns(struct churn *c, unsigned long n)
{
	static const char msg[64] = "churngen: a short connection";
	int fds[256];

	while (n > 0) {
		unsigned long batch = n < 256 ? n : 256, made = 0;

		for (unsigned long i = 0; i < batch; i++) {
			int fd = connect_listener(c);

			if (fd < 0 || write(fd, msg, sizeof(msg)) != (ssize_t)sizeof(msg)) {
				c->n_err++;
				if (fd >= 0)
					close(fd);
				continue;
			}
			fds[made++] = fd;
		}
		drain_accept(c);
		for (unsigned long i = 0; i < made; i++) {
			if ((c->n_conn + i) % TW_EVERY == 0)
				close(fds[i]);
			else
				close_rst(fds[i]);
		}
		c->n_conn += made;
		n -= batch;
	}
}

static void make_procs(struct churn *c, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		pid_t pid;

		if (c->live_kids >= MAX_LIVE_KIDS) {
			c->n_err++;
			continue;
		}
		pid = fork();
		if (pid < 0) {
			c->n_err++;
			continue;
		}
		if (pid == 0) {
			int fd;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			fd = connect_listener(c);
			if (fd >= 0)
				close_rst(fd);
			_exit(fd >= 0 ? 0 : 1);
		}
		c->live_kids++;
		c->n_proc++;
	}
}

static void reap(struct churn *c)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == c->leak_pid) {
			c->leak_pid = 0;
			c->n_err++;
			continue;
		}
		c->live_kids--;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			c->n_err++;
	}
}

/* The leak child: grows its heap every second and trickles bytes into a
 * connection whose receiving end it holds and never reads. */
static void leak_main(const struct churn *c, int sender, int receiver)
{
	unsigned long long held = 0;
	size_t chunk = (size_t)c->leak;
	size_t trickle = chunk / 4 ? chunk / 4 : 1;
	char *wbuf = calloc(1, trickle);

	(void)receiver;
	if (!wbuf)
		_exit(1);
	memset(wbuf, 'l', trickle);
	for (;;) {
		if (held + chunk <= c->leak_max) {
			char *p = malloc(chunk);

			if (!p)
				_exit(1);
			memset(p, 'L', chunk);
			held += chunk;
		}
		(void)!send(sender, wbuf, trickle, MSG_DONTWAIT);
		sleep(1);
	}
}

static int leak_start(struct churn *c)
{
	int s, r;

	if (!c->leak)
		return 0;
	s = connect_listener(c);
	r = s >= 0 ? accept4(c->lfd, NULL, NULL, SOCK_CLOEXEC) : -1;
	if (s < 0 || r < 0) {
		perror("churngen: leak connection");
		return -1;
	}
	c->leak_pid = fork();
	if (c->leak_pid < 0) {
		perror("churngen: fork");
		return -1;
	}
	if (c->leak_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NAME, "churngen-leak");
		close(c->lfd);
		close(c->sigfd);
		leak_main(c, r, s);
	}
	close(s);
	close(r);
	return 0;
}

static long leak_rss_kb(const struct churn *c)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	if (c->leak_pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)c->leak_pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void report(struct churn *c, const char *what, unsigned long long conns,
		   unsigned long long procs, int64_t ms)
{
	double s = ms > 0 ? ms / 1000.0 : 1;

	printf("%s t=%.1f conns=%llu procs=%llu conn_per_s=%.0f proc_per_s=%.0f leak_rss_kb=%ld errors=%llu\n",
	       what, (now_ms() - c->start_ms) / 1000.0, conns, procs, conns / s, procs / s,
	       leak_rss_kb(c), c->n_err);
	fflush(stdout);
}

static int setup(struct churn *c)
{
	socklen_t len = sizeof(c->addr);
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	c->sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	c->addr = (struct sockaddr_in){ .sin_family = AF_INET,
					.sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	c->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->sigfd < 0 || c->lfd < 0 ||
	    bind(c->lfd, (struct sockaddr *)&c->addr, sizeof(c->addr)) < 0 ||
	    listen(c->lfd, 4096) < 0 ||
	    getsockname(c->lfd, (struct sockaddr *)&c->addr, &len) < 0) {
		perror("churngen: listener");
		return -1;
	}
	return leak_start(c);
}

static void stop(struct churn *c)
{
	if (c->leak_pid > 0)
		kill(c->leak_pid, SIGKILL);
	/* The short-lived children end by themselves within a tick. */
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	drain_accept(c);
	close(c->lfd);
}

/* How many are due by el ms at rate per second, given sched already made
 * or given up: never more than a tenth of a second's worth at once, so a
 * slow machine gets a lower rate, not bursts. */
static unsigned long due_now(unsigned long rate, int64_t el, unsigned long long *sched)
{
	unsigned long long due = rate * (unsigned long long)el / 1000;
	unsigned long long most = rate / 10 + 1;
	unsigned long long n;

	if (due <= *sched)
		return 0;
	n = due - *sched;
	*sched = due;
	return (unsigned long)(n < most ? n : most);
}

static void run(struct churn *c)
{
	int64_t end = c->start_ms + (int64_t)c->duration * 1000;
	int64_t next = c->start_ms;
	unsigned long long sched_conn = 0, sched_proc = 0;

	c->report_ms = c->start_ms;
	for (;;) {
		struct signalfd_siginfo si;
		int64_t t = now_ms();

		if (t >= end || read(c->sigfd, &si, sizeof(si)) == sizeof(si))
			break;
		make_conns(c, due_now(c->conns, t - c->start_ms, &sched_conn));
		reap(c);
		make_procs(c, due_now(c->procs, t - c->start_ms, &sched_proc));
		drain_accept(c);
		reap(c);
		if (t - c->report_ms >= REPORT_MS) {
			report(c, "rate", c->n_conn - c->r_conn, c->n_proc - c->r_proc,
			       t - c->report_ms);
			c->r_conn = c->n_conn;
			c->r_proc = c->n_proc;
			c->report_ms = t;
		}
		/* One reading of the clock: with two, a preemption between them
		 * made the timeout negative, and poll() then waited for ever (a
		 * soak lost its load at 550 s, churngen asleep with SIGTERM
		 * pending). */
		next += TICK_MS;
		t = now_ms();
		if (next > t)
			poll(NULL, 0, (int)(next - t));
		else
			next = t;
	}
}

static const char usage_text[] =
	"Usage: churngen [--conns N] [--procs N] [--leak BYTES] [--leak-max BYTES]\n"
	"                [--duration S]\n"
	"Loopback churn for soak tests: N short TCP connections a second (default 2000),\n"
	"N short-lived processes a second (default 200), a child growing by BYTES a\n"
	"second (default 17476, 1 MiB a minute; 0 = none) up to --leak-max (default\n"
	"256 MiB) that also trickles a quarter of it into a socket nobody reads.\n"
	"Stops after --duration seconds (default 60, max 7200) or on SIGTERM/SIGINT.\n";

static int parse_num(const char *opt, const char *s, unsigned long long max,
		     unsigned long long *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || *out > max) {
		fprintf(stderr, "churngen: %s: expected a number from 0 to %llu, got '%s'\n", opt,
			max, s);
		return -1;
	}
	return 0;
}

static int parse_args(struct churn *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "conns", required_argument, NULL, 'c' },
		{ "procs", required_argument, NULL, 'p' },
		{ "leak", required_argument, NULL, 'l' },
		{ "leak-max", required_argument, NULL, 'm' },
		{ "duration", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int ch;

	c->conns = 2000;
	c->procs = 200;
	c->leak = 17476;
	c->leak_max = 256ULL << 20;
	c->duration = 60;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			if (parse_num("--conns", optarg, MAX_CONNS, &v) < 0)
				return -1;
			c->conns = (unsigned long)v;
			break;
		case 'p':
			if (parse_num("--procs", optarg, MAX_PROCS, &v) < 0)
				return -1;
			c->procs = (unsigned long)v;
			break;
		case 'l':
			if (parse_num("--leak", optarg, MAX_LEAK, &c->leak) < 0)
				return -1;
			break;
		case 'm':
			if (parse_num("--leak-max", optarg, MAX_LEAK_TOTAL, &c->leak_max) < 0)
				return -1;
			break;
		case 'd':
			if (parse_num("--duration", optarg, MAX_DURATION, &v) < 0 || v < 1)
				return -1;
			c->duration = (int)v;
			break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		default:
			fputs(usage_text, stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "churngen: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct churn c = { .lfd = -1, .sigfd = -1 };

	if (parse_args(&c, argc, argv) < 0)
		return 2;
	if (setup(&c) < 0) {
		stop(&c);
		return 1;
	}
	c.start_ms = now_ms();
	printf("ready pid=%d leak_pid=%d port=%u\n", (int)getpid(), (int)c.leak_pid,
	       ntohs(c.addr.sin_port));
	fflush(stdout);
	run(&c);
	report(&c, "summary", c.n_conn, c.n_proc, now_ms() - c.start_ms);
	stop(&c);
	return 0;
}
