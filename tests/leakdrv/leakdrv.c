// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leakdrv: main, options and lifecycle. Each run makes one leak (or one
 * distraction), prints the identity of what it made, prints "ready", then
 * grows at --rate per second up to --cap until --duration, a signal or EOF
 * on stdin; on the way out it undoes everything (children, files, sockets
 * closed with an RST). Rates and totals are capped per driver so that a
 * typo cannot hurt a shared machine.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "leakdrv.h"

#define TICK_MS	100

int64_t ld_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ld_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void ld_cleanup_none(struct ld_ctx *c)
{
	(void)c;
}

void ld_put_escaped(FILE *out, const char *key, const char *s)
{
	fprintf(out, " %s=", key);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch <= ' ' || ch >= 0x7f || ch == '\\' || ch == '=')
			fprintf(out, "\\x%02x", ch);
		else
			fputc(ch, out);
	}
}

unsigned long long ld_inode(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 ? (unsigned long long)st.st_ino : 0;
}

int ld_hold_fd(struct ld_ctx *c, int fd)
{
	if (c->n_fds == c->cap_fds) {
		size_t n = c->cap_fds ? c->cap_fds * 2 : 256;
		int *p = realloc(c->fds, n * sizeof(*p));

		if (!p) {
			close(fd);
			return -1;
		}
		c->fds = p;
		c->cap_fds = n;
	}
	c->fds[c->n_fds++] = fd;
	return 0;
}

/* Sockets among them carry SO_LINGER {1, 0} from creation, so this close
 * is their RST; plain files and pipes just close. */
void ld_close_held(struct ld_ctx *c)
{
	for (size_t i = 0; i < c->n_fds; i++)
		close(c->fds[i]);
	free(c->fds);
	c->fds = NULL;
	c->n_fds = c->cap_fds = 0;
}

int ld_hold_map(struct ld_ctx *c, void *p, size_t len)
{
	if (c->n_maps == c->cap_maps) {
		size_t n = c->cap_maps ? c->cap_maps * 2 : 64;
		void **m = realloc(c->maps, n * sizeof(*m));
		size_t *l;

		if (!m)
			return -1;
		c->maps = m;
		l = realloc(c->map_len, n * sizeof(*l));
		if (!l)
			return -1;
		c->map_len = l;
		c->cap_maps = n;
	}
	c->maps[c->n_maps] = p;
	c->map_len[c->n_maps++] = len;
	return 0;
}

void ld_unmap_all(struct ld_ctx *c)
{
	for (size_t i = 0; i < c->n_maps; i++)
		munmap(c->maps[i], c->map_len[i]);
	free(c->maps);
	free(c->map_len);
	c->maps = NULL;
	c->map_len = NULL;
	c->n_maps = c->cap_maps = 0;
}

/* Anonymous memory, every page written so it is resident (RSS), not just
 * reserved. */
int ld_touch_alloc(struct ld_ctx *c, size_t len)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("leakdrv: mmap");
		return -1;
	}
	for (size_t off = 0; off < len; off += (size_t)page)
		p[off] = (char)(off / (size_t)page) | 1;
	if (ld_hold_map(c, p, len) < 0) {
		munmap(p, len);
		return -1;
	}
	return 0;
}

int ld_make_dir(struct ld_ctx *c, const char *base)
{
	int n = snprintf(c->dir, sizeof(c->dir), "%s/leakdrv.%s.XXXXXX", base, c->drv->kind);

	if (n < 0 || (size_t)n >= sizeof(c->dir) || !mkdtemp(c->dir)) {
		fprintf(stderr, "leakdrv: mkdtemp under %s: %s\n", base, strerror(errno));
		c->dir[0] = '\0';
		return -1;
	}
	return 0;
}

/* The private directory holds only plain files: one level, no recursion. */
void ld_remove_dir(struct ld_ctx *c)
{
	DIR *d;
	struct dirent *e;

	if (!c->dir[0])
		return;
	d = opendir(c->dir);
	if (d) {
		while ((e = readdir(d)) != NULL)
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	if (rmdir(c->dir) < 0 && errno != ENOENT)
		fprintf(stderr, "leakdrv: rmdir %s: %s\n", c->dir, strerror(errno));
	c->dir[0] = '\0';
}

int ld_spawn(struct ld_ctx *c, void (*fn)(struct ld_ctx *c, int ctl, void *arg), void *arg)
{
	int p[2], idx = c->n_kids;
	pid_t parent = getpid(), pid;

	if (idx >= LD_MAX_KIDS || pipe2(p, O_CLOEXEC) < 0) {
		perror("leakdrv: pipe");
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("leakdrv: fork");
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		sigset_t all;

		/* A SIGKILL of the parent takes the child down too. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		for (int i = 0; i < idx; i++)
			close(c->kids[i].ctl);
		close(p[1]);
		sigfillset(&all);
		sigprocmask(SIG_UNBLOCK, &all, NULL);
		fn(c, p[0], arg);
		_exit(0);
	}
	close(p[0]);
	c->kids[idx] = (struct ld_kid){ .pid = pid, .ctl = p[1] };
	c->n_kids++;
	return idx;
}

/* Close each control pipe, give the children 5 s, then SIGKILL. */
void ld_stop_kids(struct ld_ctx *c)
{
	int64_t end = ld_now_ms() + 5000;

	for (int i = 0; i < c->n_kids; i++)
		close(c->kids[i].ctl);
	for (int i = 0; i < c->n_kids; i++) {
		while (waitpid(c->kids[i].pid, NULL, WNOHANG) == 0) {
			if (ld_now_ms() > end) {
				kill(c->kids[i].pid, SIGKILL);
				waitpid(c->kids[i].pid, NULL, 0);
				break;
			}
			ld_sleep_ms(10);
		}
	}
	c->n_kids = 0;
}

unsigned long ld_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur <= LD_FD_RESERVE)
		return 0;
	return (unsigned long)rl.rlim_cur - LD_FD_RESERVE;
}

long long ld_read_proc_num(const char *path, int n)
{
	char buf[256], *p = buf, *end;
	long long v = -1;
	ssize_t len;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	for (int i = 0; i <= n; i++) {
		errno = 0;
		v = strtoll(p, &end, 10);
		if (end == p || errno)
			return -1;
		p = end;
	}
	return v;
}

static const struct ld_driver *find_driver(const char *kind)
{
	for (size_t i = 0; i < ld_n_net_drivers; i++)
		if (!strcmp(ld_net_drivers[i].kind, kind))
			return &ld_net_drivers[i];
	for (size_t i = 0; i < ld_n_mem_drivers; i++)
		if (!strcmp(ld_mem_drivers[i].kind, kind))
			return &ld_mem_drivers[i];
	return NULL;
}

static void print_driver_rows(FILE *out, const struct ld_driver *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "  %-15s %s\n", t[i].kind, t[i].what);
}

static void usage(FILE *out)
{
	fputs("Usage: leakdrv KIND [--rate R] [--duration S] [--cap C] [--name COMM] [--procs P]\n"
	      "Grow one leak (or run one steady distraction) at a known rate, loopback and\n"
	      "local only, and undo it on exit. KIND is one of:\n", out);
	print_driver_rows(out, ld_net_drivers, ld_n_net_drivers);
	print_driver_rows(out, ld_mem_drivers, ld_n_mem_drivers);
	fputs("Options:\n"
	      "  --rate R       units per second (sizes take K, M, G suffixes)\n"
	      "  --cap C        stop growing at C units (bigidle: bytes; staticcache: files)\n"
	      "  --duration S   exit after S seconds (default 60, max 3600)\n"
	      "  --name COMM    prctl(PR_SET_NAME) of every leakdrv process (default ld-KIND)\n"
	      "  --procs P      churn: also P short-lived processes per second (max 100)\n"
	      "  --no-stdin     do not stop on EOF of stdin\n"
	      "Output, key=value lines: identity lines of what was made, then \"ready\";\n"
	      "\"capped total= reason=\" when growth stops early; \"stop total= reason=\" at exit.\n"
	      "Stops on SIGTERM, SIGINT, SIGHUP, or EOF on stdin when stdin is a pipe or socket.\n"
	      "Exit status: 0 after a normal stop, 1 on a failure, 2 on a usage error.\n", out);
}

/* A count or size: digits with an optional K/M/G suffix (powers of 1024). */
static int parse_amount(const char *opt, const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v, mul = 1;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (end == s || errno || *s == '-')
		goto bad;
	if (*end == 'K' || *end == 'k')
		mul = LD_KIB;
	else if (*end == 'M' || *end == 'm')
		mul = LD_MIB;
	else if (*end == 'G' || *end == 'g')
		mul = LD_GIB;
	else if (*end)
		goto bad;
	if (mul > 1 && end[1])
		goto bad;
	if (v > max / mul) {
		fprintf(stderr, "leakdrv: %s %s is above the cap %llu\n", opt, s,
			(unsigned long long)max);
		return -1;
	}
	*out = v * mul;
	return 0;
bad:
	fprintf(stderr, "leakdrv: %s: not a number: %s\n", opt, s);
	return -1;
}

struct ld_args {
	const struct ld_driver *drv;
	uint64_t rate, cap, duration, procs;
	const char *name;
	bool no_stdin;
};

static int parse_args(struct ld_args *a, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "rate", required_argument, NULL, 'r' },
		{ "cap", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "name", required_argument, NULL, 'n' },
		{ "procs", required_argument, NULL, 'p' },
		{ "no-stdin", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *rate = NULL, *cap = NULL;
	int o;

	a->duration = 60;
	while ((o = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
		switch (o) {
		case 'r': rate = optarg; break;
		case 'c': cap = optarg; break;
		case 'n': a->name = optarg; break;
		case 's': a->no_stdin = true; break;
		case 'd':
			if (parse_amount("--duration", optarg, LD_MAX_DURATION, &a->duration) < 0)
				return -1;
			break;
		case 'p':
			if (parse_amount("--procs", optarg, 100, &a->procs) < 0)
				return -1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "leakdrv: exactly one KIND is needed\n");
		usage(stderr);
		return -1;
	}
	a->drv = find_driver(argv[optind]);
	if (!a->drv) {
		fprintf(stderr, "leakdrv: unknown KIND %s\n", argv[optind]);
		return -1;
	}
	a->rate = a->drv->def_rate;
	a->cap = a->drv->def_cap;
	if (rate && parse_amount("--rate", rate, a->drv->max_rate, &a->rate) < 0)
		return -1;
	if (cap && parse_amount("--cap", cap, a->drv->max_cap, &a->cap) < 0)
		return -1;
	if (a->procs && strcmp(a->drv->kind, "churn")) {
		fprintf(stderr, "leakdrv: --procs is for churn only\n");
		return -1;
	}
	return 0;
}

static void ensure_std_fds(void)
{
	int fd;

	/* Closed std fds would be reused by the first sockets and files. */
	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

enum stop_reason { STOP_NONE, STOP_DURATION, STOP_SIGNAL, STOP_EOF, STOP_FAILED };
static const char *const stop_names[] = {
	[STOP_NONE] = "none", [STOP_DURATION] = "duration", [STOP_SIGNAL] = "signal",
	[STOP_EOF] = "eof", [STOP_FAILED] = "failed",
};

/* Wait up to ms for a signal or stdin EOF. */
static enum stop_reason wait_tick(int sigfd, int stdin_fd, int ms)
{
	struct pollfd p[2] = { { .fd = sigfd, .events = POLLIN },
			       { .fd = stdin_fd, .events = POLLIN } };

	if (poll(p, 2, ms) <= 0)
		return STOP_NONE;
	if (p[0].revents) {
		struct signalfd_siginfo si;

		if (read(sigfd, &si, sizeof(si)) == sizeof(si))
			return STOP_SIGNAL;
	}
	if (p[1].revents) {
		char b[512];
		ssize_t n = read(stdin_fd, b, sizeof(b));

		if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
			return STOP_EOF;
	}
	return STOP_NONE;
}

static enum stop_reason run(struct ld_ctx *c, int sigfd, int stdin_fd, int64_t end_ms)
{
	int64_t start = ld_now_ms();

	for (;;) {
		int64_t now = ld_now_ms(), el = now - start;
		enum stop_reason r;

		if (now >= end_ms)
			return STOP_DURATION;
		if (c->drv->grow && !c->capped) {
			uint64_t target = c->rate * (uint64_t)el / 1000;

			if (target > c->cap)
				target = c->cap;
			if (c->drv->grow(c, target, el) < 0)
				return STOP_FAILED;
			if (c->done >= c->cap && !c->capped) {
				c->capped = true;
				c->cap_reason = "cap";
			}
			/* grow may also stop at a kernel limit and say which. */
			if (c->capped) {
				fprintf(c->out, "capped total=%llu unit=%s reason=%s\n",
					(unsigned long long)c->done, c->drv->unit, c->cap_reason);
				fflush(c->out);
			}
		}
		r = wait_tick(sigfd, stdin_fd, (int)(end_ms - now < TICK_MS ? end_ms - now : TICK_MS));
		if (r != STOP_NONE)
			return r;
	}
}

int main(int argc, char **argv)
{
	struct ld_args a = { 0 };
	struct ld_ctx c = { .lfd = -1, .sfd = -1, .pfd = -1, .out = stdout };
	char defname[16];
	struct rlimit rl;
	struct stat st;
	sigset_t mask;
	int sigfd, stdin_fd = -1;
	int64_t end_ms;
	enum stop_reason r;

	ensure_std_fds();
	if (parse_args(&a, argc, argv) < 0)
		return 2;
	end_ms = ld_now_ms() + (int64_t)a.duration * 1000;
	c.drv = a.drv;
	c.rate = a.rate;
	c.cap = a.cap;
	c.procs = (unsigned int)a.procs;
	snprintf(defname, sizeof(defname), "ld-%s", a.drv->kind);
	c.name = a.name ? a.name : defname;
	prctl(PR_SET_NAME, c.name);
	/* fdleak, closewait and orphans hold thousands of fds; children inherit it. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* A script's "leakdrv ... &" gets /dev/null as stdin: only a pipe or a
	 * socket can mean "stop when I go away". */
	if (!a.no_stdin && fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		stdin_fd = 0;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (sigfd < 0) {
		perror("leakdrv: signalfd");
		return 1;
	}
	fprintf(c.out, "driver kind=%s pid=%d", a.drv->kind, (int)getpid());
	ld_put_escaped(c.out, "comm", c.name);
	fprintf(c.out, " unit=%s rate=%llu cap=%llu duration=%llu\n", a.drv->unit,
		(unsigned long long)c.rate, (unsigned long long)c.cap,
		(unsigned long long)a.duration);
	if (a.drv->setup(&c) < 0) {
		r = STOP_FAILED;
	} else {
		fputs("ready\n", c.out);
		fflush(c.out);
		r = run(&c, sigfd, stdin_fd, end_ms);
	}
	fprintf(c.out, "stop total=%llu unit=%s reason=%s\n", (unsigned long long)c.done,
		a.drv->unit, stop_names[r]);
	fflush(c.out);
	a.drv->cleanup(&c);
	ld_stop_kids(&c);
	ld_close_held(&c);
	ld_unmap_all(&c);
	ld_remove_dir(&c);
	return r == STOP_FAILED ? 1 : 0;
}
