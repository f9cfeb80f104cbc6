// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leakgen: loopback load generator, the oracle of leaktop's integration tests
 * and benchmarks. It makes sockets whose queues hold known amounts (TCP and
 * unix with unread bytes, CLOSE_WAIT, an AF_PACKET socket that never reads), a
 * thread blocked in read(), and prints what the kernel says about each one.
 * It reads /proc/sys/net/core/somaxconn and /proc/self/task/TID/syscall; it is
 * bounded in count and time, exits by itself, and any setup failure is a
 * stderr line and exit status 1 before "ready".
 *
 * Output (stdout, one record a line, "key=value" fields, flushed at "ready"
 * and "grown"; values that are not plain printable ASCII are written \xHH):
 *   sock kind=tcp role=listener pid= fd= inode= lport=
 *   sock kind=tcp role=receiver|sender pid= fd= inode= peer_inode= lport= rport=
 *        queued= inq= outq= state=
 *   sock kind=tcp role=close_wait pid= fd= inode= lport= rport= queued=0 inq= outq= state=
 *   sock kind=unix role=listener pid= fd= inode= path=
 *   sock kind=unix role=writer|reader pid= fd= inode= peer_inode= queued= inq= outq= [path=]
 *   sock kind=packet pid= fd= inode= ifindex= drops=
 *   sock kind=udp role=sink pid= fd= inode= lport= sent= inq= outq=
 *   skip kind=packet reason=
 *   thread pid= tid= syscall=read
 *   summary tcp= close_wait= unix= packet= udp= sockets= pids=a,b setup_ms=
 *   ready
 * and after a grow: its "sock" lines, then "grown tcp= sockets= pids=".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>

#include "leakgen.h"

#define STOP_GRACE_MS	5000

struct lg_child {
	pid_t pid;
	int out_fd;		/* its lines, relayed to stdout */
	int ctl_fd;		/* "grow N" commands; closing it stops the child */
	char *buf;
	size_t len, cap;
	unsigned int ends;	/* "end" markers seen: setup, then one per grow */
	bool eof;
};

struct lg_main {
	struct lg_config c;

	char dir[PATH_MAX];
	pid_t pid;
	int sigfd;
	int stdin_fd;		/* watched for EOF, or -1 */
	int64_t start_ms, end_ms;

	struct lg_child *kids;
	int n_kids;
	bool inline_mode;
	struct lgsock_set inline_set;
	bool main_holds;	/* the main process holds sockets or the thread */
	int packet_fd, udp_fd;
	int blocked_wr;		/* kept open so the read never returns */

	unsigned int n_tcp, n_cw, n_unix, n_packet, n_udp, n_sock, n_grown;
	bool growing, grown;
};

enum wait_result { W_DONE, W_TIMEOUT, W_STOP, W_CHILD, W_GROW };

/* Sockets must never land on 0, 1 or 2 when the caller closed them. */
static void ensure_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) < 0)
			exit(1);
}

static int read_somaxconn(void)
{
	int fd = open("/proc/sys/net/core/somaxconn", O_RDONLY | O_CLOEXEC), v = 0;
	char b[32];
	ssize_t n;

	if (fd < 0)
		return 128;
	n = read(fd, b, sizeof(b) - 1);
	close(fd);
	if (n > 0) {
		b[n] = '\0';
		v = atoi(b);
	}
	return v > 0 ? v : 128;
}

static unsigned int share_of(unsigned int total, int k, int n)
{
	return total / (unsigned int)n + ((unsigned int)k < total % (unsigned int)n);
}

/* One output line from any process: printed, and counted for the summary. */
static void out_line(struct lg_main *m, const char *line, size_t len)
{
	fwrite(line, 1, len, stdout);
	fputc('\n', stdout);
	if (len < 5 || memcmp(line, "sock ", 5) != 0)
		return;
	m->n_sock++;
	if (memmem(line, len, "kind=tcp role=receiver", 22)) {
		if (m->growing)
			m->n_grown++;
		else
			m->n_tcp++;
	} else if (memmem(line, len, "role=close_wait", 15)) {
		m->n_cw++;
	} else if (memmem(line, len, "kind=unix role=reader", 21)) {
		m->n_unix++;
	} else if (memmem(line, len, "kind=packet", 11)) {
		m->n_packet++;
	} else if (memmem(line, len, "kind=udp", 8)) {
		m->n_udp++;
	}
}

/* Split a block of lines; "end" markers are counted, not printed. */
static size_t out_lines(struct lg_main *m, char *buf, size_t len, unsigned int *ends)
{
	size_t pos = 0;

	for (;;) {
		char *nl = memchr(buf + pos, '\n', len - pos);
		size_t l;

		if (!nl)
			return pos;
		l = (size_t)(nl - (buf + pos));
		if (l == 3 && memcmp(buf + pos, "end", 3) == 0)
			(*ends)++;
		else
			out_line(m, buf + pos, l);
		pos += l + 1;
	}
}

static int child_pump(struct lg_main *m, struct lg_child *k)
{
	size_t used;
	ssize_t n;

	if (k->cap - k->len < 65536) {
		char *nb = realloc(k->buf, k->cap + 65536);

		if (!nb)
			return -1;
		k->buf = nb;
		k->cap += 65536;
	}
	n = read(k->out_fd, k->buf + k->len, k->cap - k->len);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0) {
		k->eof = true;
		return -1;
	}
	k->len += (size_t)n;
	used = out_lines(m, k->buf, k->len, &k->ends);
	memmove(k->buf, k->buf + used, k->len - used);
	k->len -= used;
	return 0;
}

static bool all_ended(const struct lg_main *m, unsigned int want)
{
	for (int i = 0; i < m->n_kids; i++)
		if (m->kids[i].ends < want)
			return false;
	return true;
}

/* The one event loop: signals, stdin EOF, child output, a deadline. With
 * want_ends > 0 it returns W_DONE once every child has printed that many
 * "end" markers; with 0 it only waits. */
static enum wait_result wait_events(struct lg_main *m, unsigned int want_ends, int64_t until)
{
	struct pollfd *p = calloc((size_t)m->n_kids + 2, sizeof(*p));
	enum wait_result r = W_TIMEOUT;

	if (!p)
		return W_CHILD;
	for (;;) {
		int64_t left = until - lg_now_ms();
		int np = 0, ready;

		if (want_ends && all_ended(m, want_ends)) {
			r = W_DONE;
			break;
		}
		if (left <= 0) {
			r = W_TIMEOUT;
			break;
		}
		p[np++] = (struct pollfd){ .fd = m->sigfd, .events = POLLIN };
		p[np++] = (struct pollfd){ .fd = m->stdin_fd, .events = POLLIN };
		for (int i = 0; i < m->n_kids; i++)
			p[np++] = (struct pollfd){ .fd = m->kids[i].eof ? -1 : m->kids[i].out_fd,
						   .events = POLLIN };
		ready = poll(p, (nfds_t)np, left > 1000 ? 1000 : (int)left);
		if (ready < 0 && errno != EINTR) {
			r = W_CHILD;
			break;
		}
		if (ready <= 0)
			continue;
		if (p[0].revents) {
			struct signalfd_siginfo si;

			if (read(m->sigfd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGUSR1) {
					if (!want_ends) {
						r = W_GROW;
						break;
					}
				} else {
					r = W_STOP;
					break;
				}
			}
		}
		if (p[1].revents) {
			char b[4096];
			ssize_t n = read(m->stdin_fd, b, sizeof(b));

			if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
				r = W_STOP;
				break;
			}
		}
		for (int i = 0; i < m->n_kids; i++)
			if (p[2 + i].revents && child_pump(m, &m->kids[i]) < 0) {
				r = W_CHILD;
				goto out;
			}
	}
out:
	free(p);
	return r;
}

static void child_main(struct lg_main *m, int idx, const struct lg_share *sh, int out_fd,
		       int ctl_fd)
{
	struct lgsock_set set;
	sigset_t term;
	char cmd[128];
	size_t clen = 0;
	FILE *out;
	int sfd;

	/* The parent may die by SIGKILL: then the kernel kills this child too. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != m->pid)
		_exit(1);
	close(m->sigfd);
	for (int i = 0; i < idx; i++) {
		close(m->kids[i].out_fd);
		close(m->kids[i].ctl_fd);
	}
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sfd = signalfd(-1, &term, SFD_CLOEXEC);
	out = fdopen(out_fd, "w");
	if (sfd < 0 || !out)
		_exit(1);
	lgsock_init(&set, &m->c.opt, idx);
	if (lgsock_setup(&set, sh, out) < 0) {
		lgsock_close_all(&set);
		_exit(1);
	}
	fputs("end\n", out);
	if (fflush(out) != 0)
		goto stop;
	for (;;) {
		struct pollfd p[2] = { { .fd = ctl_fd, .events = POLLIN },
				       { .fd = sfd, .events = POLLIN } };
		ssize_t n;
		char *nl;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents)
			break;
		if (!p[0].revents)
			continue;
		n = read(ctl_fd, cmd + clen, sizeof(cmd) - 1 - clen);
		if (n <= 0)
			break;
		clen += (size_t)n;
		cmd[clen] = '\0';
		while ((nl = strchr(cmd, '\n'))) {
			unsigned int g;

			*nl = '\0';
			if (sscanf(cmd, "grow %u", &g) == 1) {
				if (lgsock_grow(&set, g, out) < 0)
					goto fail;
				fputs("end\n", out);
				if (fflush(out) != 0)
					goto stop;
			}
			clen -= (size_t)(nl + 1 - cmd);
			memmove(cmd, nl + 1, clen + 1);
		}
		if (clen == sizeof(cmd) - 1)
			clen = 0;
	}
stop:
	lgsock_close_all(&set);
	_exit(0);
fail:
	lgsock_close_all(&set);
	_exit(1);
}

static int spawn_children(struct lg_main *m, int n)
{
	m->kids = calloc((size_t)n, sizeof(*m->kids));
	if (!m->kids)
		return -1;
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		struct lg_share sh = {
			.tcp_unread = share_of(m->c.tcp_unread, i, n),
			.close_wait = share_of(m->c.close_wait, i, n),
			.unix_unread = share_of(m->c.unix_unread, i, n),
			.need_tcp_listener = share_of(m->c.grow, i, n) > 0,
		};
		int outp[2], ctlp[2];
		pid_t pid;

		if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(ctlp, O_CLOEXEC) < 0) {
			perror("leakgen: pipe");
			return -1;
		}
		pid = fork();
		if (pid < 0) {
			perror("leakgen: fork");
			return -1;
		}
		if (pid == 0) {
			close(outp[0]);
			close(ctlp[1]);
			child_main(m, i, &sh, outp[1], ctlp[0]);
		}
		close(outp[1]);
		close(ctlp[0]);
		m->kids[i] = (struct lg_child){ .pid = pid, .out_fd = outp[0], .ctl_fd = ctlp[1] };
		m->n_kids = i + 1;
	}
	return 0;
}

static void print_pids(struct lg_main *m)
{
	const char *sep = "";

	fputs(" pids=", stdout);
	if (m->main_holds) {
		printf("%d", (int)m->pid);
		sep = ",";
	}
	for (int i = 0; i < m->n_kids; i++, sep = ",")
		printf("%s%d", sep, (int)m->kids[i].pid);
}

/* Lines printed by the scenarios inside this process go through the same
 * counting as the children's. */
static int run_inline(struct lg_main *m, bool grow, unsigned int n)
{
	const struct lg_share sh = { .tcp_unread = m->c.tcp_unread, .close_wait = m->c.close_wait,
				     .unix_unread = m->c.unix_unread };
	char *buf = NULL;
	size_t len = 0;
	unsigned int ends = 0;
	FILE *mem = open_memstream(&buf, &len);
	int r;

	if (!mem)
		return -1;
	r = grow ? lgsock_grow(&m->inline_set, n, mem) : lgsock_setup(&m->inline_set, &sh, mem);
	fclose(mem);
	if (r == 0)
		out_lines(m, buf, len, &ends);
	free(buf);
	return r;
}

static int packet_setup(struct lg_main *m)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	struct sockaddr_storage sink;
	socklen_t sink_len = sizeof(sink);
	struct tpacket_stats st = { 0 };
	socklen_t st_len = sizeof(st);
	char line[512], dgram[1000];
	unsigned int sent = 0;
	int tx, n;

	m->packet_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (m->packet_fd < 0) {
		const char *why = errno == EPERM || errno == EACCES ? "needs_CAP_NET_RAW" :
				  "no_AF_PACKET";

		fprintf(stderr, "leakgen: packet: skipped: %s\n",
			errno == EPERM || errno == EACCES ? "needs CAP_NET_RAW" : strerror(errno));
		printf("skip kind=packet reason=%s\n", why);
		return 0;
	}
	sll.sll_ifindex = (int)if_nametoindex("lo");
	if (!sll.sll_ifindex || bind(m->packet_fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("leakgen: packet: bind to lo");
		return -1;
	}
	m->udp_fd = socket(m->c.opt.family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	tx = socket(m->c.opt.family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (m->udp_fd < 0 || tx < 0 ||
	    bind(m->udp_fd, (const struct sockaddr *)&m->c.opt.addr, m->c.opt.addr_len) < 0 ||
	    getsockname(m->udp_fd, (struct sockaddr *)&sink, &sink_len) < 0) {
		perror("leakgen: packet: udp sink");
		return -1;
	}
	memset(dgram, 'p', sizeof(dgram));
	/* Bounded: the queues fill after a few hundred, the rest count as drops. */
	for (unsigned int i = 0; i < m->c.packet_count; i++) {
		if (sendto(tx, dgram, sizeof(dgram), MSG_DONTWAIT, (struct sockaddr *)&sink,
			   sink_len) == (ssize_t)sizeof(dgram))
			sent++;
		else if (errno == EAGAIN || errno == ENOBUFS)
			lg_sleep_ms(1);
	}
	close(tx);
	lg_sleep_ms(100);
	getsockopt(m->packet_fd, SOL_PACKET, PACKET_STATISTICS, &st, &st_len);
	n = snprintf(line, sizeof(line), "sock kind=packet pid=%d fd=%d inode=%llu ifindex=%d drops=%u",
		     (int)m->pid, m->packet_fd, (unsigned long long)lg_inode(m->packet_fd),
		     sll.sll_ifindex, st.tp_drops);
	out_line(m, line, (size_t)n);
	{
		int inq = 0, outq = 0;
		unsigned int port = ntohs(m->c.opt.family == AF_INET ?
				((struct sockaddr_in *)&sink)->sin_port :
				((struct sockaddr_in6 *)&sink)->sin6_port);

		ioctl(m->udp_fd, SIOCINQ, &inq);
		ioctl(m->udp_fd, SIOCOUTQ, &outq);
		n = snprintf(line, sizeof(line),
			     "sock kind=udp role=sink pid=%d fd=%d inode=%llu lport=%u sent=%u inq=%d outq=%d",
			     (int)m->pid, m->udp_fd, (unsigned long long)lg_inode(m->udp_fd), port,
			     sent, inq, outq);
		out_line(m, line, (size_t)n);
	}
	m->main_holds = true;
	return 0;
}

static int blocked_rd = -1;
static volatile pid_t blocked_tid;

static void *blocked_main(void *arg)
{
	char c;

	__atomic_store_n(&blocked_tid, (pid_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	while (read(blocked_rd, &c, 1) != 0 && errno == EINTR)
		;
	return NULL;
}

/* Printed only once /proc shows the thread inside read(): a test reading its
 * kernel stack right after "ready" must find it there. */
static int blocked_thread_setup(struct lg_main *m)
{
	int pfd[2];
	pthread_t th;
	pid_t tid = 0;
	int64_t end = lg_now_ms() + 2000;
	char path[64], b[64];

	if (pipe2(pfd, O_CLOEXEC) < 0) {
		perror("leakgen: pipe");
		return -1;
	}
	blocked_rd = pfd[0];
	m->blocked_wr = pfd[1];
	if (pthread_create(&th, NULL, blocked_main, NULL) != 0) {
		fprintf(stderr, "leakgen: pthread_create failed\n");
		return -1;
	}
	pthread_detach(th);
	while (lg_now_ms() < end) {
		int fd;
		ssize_t n;

		tid = __atomic_load_n(&blocked_tid, __ATOMIC_SEQ_CST);
		if (!tid) {
			lg_sleep_ms(5);
			continue;
		}
		snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			break;
		n = read(fd, b, sizeof(b) - 1);
		close(fd);
		if (n > 0) {
			b[n] = '\0';
			if (strtol(b, NULL, 10) == SYS_read && strchr(b, ' '))
				break;
		}
		lg_sleep_ms(5);
	}
	if (!tid) {
		fprintf(stderr, "leakgen: blocked thread did not start\n");
		return -1;
	}
	printf("thread pid=%d tid=%d syscall=read\n", (int)m->pid, (int)tid);
	m->main_holds = true;
	return 0;
}

static void remove_dir(struct lg_main *m)
{
	DIR *d;
	struct dirent *e;

	if (!m->dir[0])
		return;
	d = opendir(m->dir);
	if (d) {
		while ((e = readdir(d)))
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(m->dir);
	m->dir[0] = '\0';
}

/* Closing the control pipe asks each child to close its sockets and exit;
 * SIGTERM is the second knock, SIGKILL the last. */
static void stop_all(struct lg_main *m)
{
	int64_t end = lg_now_ms() + STOP_GRACE_MS;
	int left = m->n_kids;

	for (int i = 0; i < m->n_kids; i++) {
		close(m->kids[i].ctl_fd);
		kill(m->kids[i].pid, SIGTERM);
	}
	while (left > 0 && lg_now_ms() < end) {
		left = 0;
		for (int i = 0; i < m->n_kids; i++) {
			if (m->kids[i].pid <= 0)
				continue;
			if (waitpid(m->kids[i].pid, NULL, WNOHANG) == m->kids[i].pid)
				m->kids[i].pid = 0;
			else
				left++;
		}
		if (left)
			lg_sleep_ms(10);
	}
	for (int i = 0; i < m->n_kids; i++) {
		if (m->kids[i].pid > 0) {
			kill(m->kids[i].pid, SIGKILL);
			waitpid(m->kids[i].pid, NULL, 0);
		}
		close(m->kids[i].out_fd);
		free(m->kids[i].buf);
	}
	free(m->kids);
	m->kids = NULL;
	m->n_kids = 0;
	if (m->inline_mode)
		lgsock_close_all(&m->inline_set);
	if (m->packet_fd >= 0)
		close(m->packet_fd);
	if (m->udp_fd >= 0)
		close(m->udp_fd);
	remove_dir(m);
}

static int do_grow(struct lg_main *m)
{
	m->grown = true;
	m->growing = true;
	if (m->inline_mode) {
		if (run_inline(m, true, m->c.grow) < 0)
			return -1;
	} else {
		for (int i = 0; i < m->n_kids; i++) {
			char cmd[32];
			unsigned int g = share_of(m->c.grow, i, m->n_kids);
			int n = snprintf(cmd, sizeof(cmd), "grow %u\n", g);

			if (write(m->kids[i].ctl_fd, cmd, (size_t)n) != n)
				return -1;
		}
		if (wait_events(m, 2, m->end_ms) != W_DONE)
			return -1;
	}
	m->growing = false;
	printf("grown tcp=%u sockets=%u", m->n_grown, m->n_sock);
	print_pids(m);
	putchar('\n');
	return fflush(stdout) == 0 ? 0 : -1;
}

/* Plan the processes: each one holds at most FD_BUDGET fds. */
static int plan_children(struct lg_main *m)
{
	struct rlimit rl;
	unsigned long long fds = 2ULL * (m->c.tcp_unread + m->c.close_wait + m->c.unix_unread +
					 m->c.grow);
	unsigned long long budget = FD_BUDGET;
	int k;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < budget + 64)
		budget = rl.rlim_cur > 128 ? rl.rlim_cur - 64 : 64;
	k = (int)((fds + budget - 1) / budget);
	if (m->c.want_children > k)
		k = m->c.want_children;
	else if (m->c.want_children && m->c.want_children < k)
		fprintf(stderr, "leakgen: %d children would pass %llu fds each: using %d\n",
			m->c.want_children, budget, k);
	if (k > MAX_CHILDREN) {
		fprintf(stderr, "leakgen: would need %d children (max %d)\n", k, MAX_CHILDREN);
		return -1;
	}
	m->inline_mode = !m->c.want_children && k <= 1;
	return m->inline_mode ? 0 : k;
}

int main(int argc, char **argv)
{
	struct lg_main m = { .sigfd = -1, .stdin_fd = -1, .packet_fd = -1, .udp_fd = -1 };
	enum wait_result r;
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	sigset_t mask;
	int nkids, n, status = 1;
	int64_t grow_at;

	ensure_std_fds();
	if (lgopts_parse(&m.c, argc, argv) < 0)
		return 2;
	m.pid = getpid();
	m.start_ms = lg_now_ms();
	m.end_ms = m.start_ms + (int64_t)m.c.duration * 1000;
	grow_at = -1;
	if (m.c.grow && m.c.grow_after >= 0)
		grow_at = m.start_ms + (int64_t)m.c.grow_after * 1000;
	m.c.opt.backlog = read_somaxconn();
	if (m.c.opt.backlog > 4096)
		m.c.opt.backlog = 4096;
	/* A script's "leakgen &" gets /dev/null as stdin: only a pipe or socket
	 * can mean "stop when I go away". */
	if (!m.c.no_stdin && fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		m.stdin_fd = 0;
	if (m.c.name)
		prctl(PR_SET_NAME, m.c.name);

	/* Blocked before any thread or child exists, so only signalfd sees them. */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGUSR1);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	m.sigfd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (m.sigfd < 0) {
		perror("leakgen: signalfd");
		return 1;
	}
	/* mkdtemp wants six trailing 'X': spelled by count, not by a literal. */
	n = snprintf(m.dir, sizeof(m.dir) - 6, "%s/leakgen.", tmp && *tmp ? tmp : "/tmp");
	if (n < 0 || (size_t)n >= sizeof(m.dir) - 6) {
		fprintf(stderr, "leakgen: TMPDIR is too long\n");
		m.dir[0] = '\0';
		return 1;
	}
	memset(m.dir + n, 'X', 6);
	m.dir[n + 6] = '\0';
	if (!mkdtemp(m.dir)) {
		perror("leakgen: mkdtemp");
		m.dir[0] = '\0';
		return 1;
	}
	m.c.opt.dir = m.dir;

	nkids = plan_children(&m);
	if (nkids < 0 || (nkids > 0 && spawn_children(&m, nkids) < 0))
		goto out;
	if (m.c.packet && packet_setup(&m) < 0)
		goto out;
	if (m.c.blocked_thread && blocked_thread_setup(&m) < 0)
		goto out;
	if (m.inline_mode) {
		lgsock_init(&m.inline_set, &m.c.opt, 0);
		if (run_inline(&m, false, 0) < 0)
			goto out;
		m.main_holds = true;
	}
	if (nkids)
		r = wait_events(&m, 1, m.end_ms);
	else
		r = lg_now_ms() < m.end_ms ? W_DONE : W_TIMEOUT;
	if (r == W_STOP) {
		status = 0;
		goto out;
	}
	if (r != W_DONE) {
		fprintf(stderr, "leakgen: setup %s\n",
			r == W_TIMEOUT ? "did not finish within --duration" : "failed in a child");
		goto out;
	}
	printf("summary tcp=%u close_wait=%u unix=%u packet=%u udp=%u sockets=%u", m.n_tcp, m.n_cw,
	       m.n_unix, m.n_packet, m.n_udp, m.n_sock);
	print_pids(&m);
	printf(" setup_ms=%lld\nready\n", (long long)(lg_now_ms() - m.start_ms));
	if (fflush(stdout) != 0)
		goto out;

	for (;;) {
		int64_t until = grow_at >= 0 && !m.grown && grow_at < m.end_ms ? grow_at : m.end_ms;

		r = wait_events(&m, 0, until);
		if (r == W_TIMEOUT && lg_now_ms() < m.end_ms)
			r = W_GROW;
		if (r == W_GROW) {
			if (!m.c.grow || m.grown) {
				fprintf(stderr, "leakgen: grow ignored (no --grow, or done already)\n");
				continue;
			}
			if (do_grow(&m) < 0) {
				fprintf(stderr, "leakgen: grow failed\n");
				goto out;
			}
			continue;
		}
		status = r == W_CHILD ? 1 : 0;
		if (r == W_CHILD)
			fprintf(stderr, "leakgen: a child exited early\n");
		break;
	}
out:
	fflush(stdout);
	stop_all(&m);
	return status;
}
