// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Socket scenarios of leakgen: TCP connections whose receiver never reads,
 * connections left in CLOSE_WAIT, and unix stream pairs with unread bytes.
 * Everything is on loopback. Facts are read back from the kernel (fstat
 * inode, SIOCINQ/SIOCOUTQ, TCP_INFO state), never assumed. Any failure is
 * printed to stderr and returned as -1: the process then exits non-zero
 * before "ready", and the kernel reclaims what was made.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "leakgen.h"

#define WBUF_SIZE	65536
#define BATCH_MAX	512
#define SETTLE_MAX_MS	5000
/* Looks 100 ms apart: past the 200 ms RTO and its first backoff. */
#define SETTLE_STILL	7

int64_t lg_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void lg_sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Values go into "key=value" lines: anything that could split a field or
 * reach a terminal is written as \xHH. */
void lg_print_escaped(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '\\' || *p == '=')
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
}

uint64_t lg_inode(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return 0;
	return (uint64_t)st.st_ino;
}

static unsigned int sa_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

static unsigned int local_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return 0;
	return sa_port(&ss);
}

static unsigned int remote_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0)
		return 0;
	return sa_port(&ss);
}

static const char *tcp_state_name(int fd)
{
	static const char *const names[] = {
		"UNKNOWN", "ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
		"TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
	};
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 ||
	    ti.tcpi_state >= sizeof(names) / sizeof(names[0]))
		return "UNKNOWN";
	return names[ti.tcpi_state];
}

static int queue_len(int fd, unsigned long req)
{
	int v = 0;

	if (ioctl(fd, req, &v) < 0)
		return -1;
	return v;
}

static int track(struct lgsock_set *s, int fd, bool tcp)
{
	if (s->n_fds == s->cap_fds) {
		size_t cap = s->cap_fds ? s->cap_fds * 2 : 256;
		struct lgsock_fd *v = realloc(s->fds, cap * sizeof(*v));

		if (!v) {
			fprintf(stderr, "leakgen: out of memory\n");
			return -1;
		}
		s->fds = v;
		s->cap_fds = cap;
	}
	s->fds[s->n_fds++] = (struct lgsock_fd){ .fd = fd, .tcp = tcp };
	return 0;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Write up to want bytes without blocking; the total is what the kernel
 * accepted, so it is exactly what sits in the two queues afterwards. */
static uint64_t write_unread(struct lgsock_set *s, int fd, uint64_t want)
{
	uint64_t done = 0;

	while (done < want) {
		size_t n = want - done > WBUF_SIZE ? WBUF_SIZE : (size_t)(want - done);
		ssize_t w = send(fd, s->wbuf, n, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (uint64_t)w;
	}
	return done;
}

void lgsock_init(struct lgsock_set *s, const struct lg_opts *opt, int index)
{
	memset(s, 0, sizeof(*s));
	s->opt = opt;
	s->index = index;
	s->tcp_listener = -1;
	s->unix_listener = -1;
}

static int tcp_listener_open(struct lgsock_set *s, FILE *out)
{
	const struct lg_opts *o = s->opt;
	int fd = socket(o->family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		perror("leakgen: socket(tcp listener)");
		return -1;
	}
	if (o->rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &o->rcvbuf, sizeof(o->rcvbuf)) < 0)
		perror("leakgen: SO_RCVBUF");
	s->tcp_addr_len = sizeof(s->tcp_addr);
	if (bind(fd, (const struct sockaddr *)&o->addr, o->addr_len) < 0 ||
	    listen(fd, o->backlog) < 0 ||
	    getsockname(fd, (struct sockaddr *)&s->tcp_addr, &s->tcp_addr_len) < 0) {
		perror("leakgen: tcp listener");
		close(fd);
		return -1;
	}
	s->tcp_listener = fd;
	if (track(s, fd, false) < 0)
		return -1;
	fprintf(out, "sock kind=tcp role=listener pid=%d fd=%d inode=%llu lport=%u\n",
		(int)getpid(), fd, (unsigned long long)lg_inode(fd), sa_port(&s->tcp_addr));
	return 0;
}

/* n connected pairs in batches no larger than the backlog, every queued
 * connection accepted before the next batch, so no SYN is ever dropped and
 * nothing is left in the accept queue. Accepted sockets are matched to their
 * client by port, as a stranger could connect to the listener meanwhile. */
static int tcp_pairs(struct lgsock_set *s, unsigned int n, int *cli, int *srv)
{
	const struct lg_opts *o = s->opt;
	unsigned int batch_max = (unsigned int)o->backlog / 2;

	if (batch_max > BATCH_MAX)
		batch_max = BATCH_MAX;
	if (batch_max == 0)
		batch_max = 1;
	for (unsigned int done = 0; done < n;) {
		unsigned int batch = n - done < batch_max ? n - done : batch_max;

		for (unsigned int j = 0; j < batch; j++) {
			int c = socket(o->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
			unsigned int port;

			if (c < 0) {
				perror("leakgen: socket(tcp)");
				return -1;
			}
			if (o->rcvbuf)
				setsockopt(c, SOL_SOCKET, SO_RCVBUF, &o->rcvbuf, sizeof(o->rcvbuf));
			if (connect(c, (struct sockaddr *)&s->tcp_addr, s->tcp_addr_len) < 0) {
				perror("leakgen: connect(tcp)");
				close(c);
				return -1;
			}
			port = local_port(c);
			cli[done + j] = c;
			srv[done + j] = -1;
			s->port_map[port] = (int)j + 1;
		}
		for (unsigned int got = 0; got < batch;) {
			struct pollfd p = { .fd = s->tcp_listener, .events = POLLIN };
			unsigned int port;
			int a, idx;

			if (poll(&p, 1, 5000) <= 0) {
				fprintf(stderr, "leakgen: accept: %u of %u connections never arrived\n",
					batch - got, batch);
				return -1;
			}
			a = accept4(s->tcp_listener, NULL, NULL, SOCK_CLOEXEC);
			if (a < 0) {
				if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED)
					continue;
				perror("leakgen: accept");
				return -1;
			}
			port = remote_port(a);
			idx = s->port_map[port] - 1;
			if (idx < 0 || srv[done + (unsigned int)idx] >= 0) {
				close(a);
				continue;
			}
			srv[done + (unsigned int)idx] = a;
			s->port_map[port] = 0;
			got++;
		}
		done += batch;
	}
	return 0;
}

static void emit_tcp(FILE *out, const char *role, int fd, uint64_t peer_ino, uint64_t queued)
{
	fprintf(out, "sock kind=tcp role=%s pid=%d fd=%d inode=%llu", role, (int)getpid(), fd,
		(unsigned long long)lg_inode(fd));
	if (peer_ino)
		fprintf(out, " peer_inode=%llu", (unsigned long long)peer_ino);
	fprintf(out, " lport=%u rport=%u queued=%llu inq=%d outq=%d state=%s\n", local_port(fd),
		remote_port(fd), (unsigned long long)queued, queue_len(fd, SIOCINQ),
		queue_len(fd, SIOCOUTQ), tcp_state_name(fd));
}

/* Loopback delivers in softirq, but a full receiver drops segments and takes
 * more only at the sender's retransmit (RTO 200 ms, then backoff): wait until
 * both sums hold still for 700 ms, so the numbers printed are the ones a
 * sampler will see afterwards. */
static void settle(const int *a, const int *b, unsigned int n)
{
	int64_t end = lg_now_ms() + SETTLE_MAX_MS;
	long long last_in = -1, last_out = -1;
	int still = 0;

	while (lg_now_ms() < end && still < SETTLE_STILL) {
		long long in = 0, out = 0;

		for (unsigned int i = 0; i < n; i++) {
			in += queue_len(a[i], SIOCINQ);
			out += queue_len(b[i], SIOCOUTQ);
		}
		still = in == last_in && out == last_out ? still + 1 : 0;
		last_in = in;
		last_out = out;
		lg_sleep_ms(100);
	}
}

static int tcp_unread(struct lgsock_set *s, unsigned int n, FILE *out)
{
	int *cli = calloc(n ? n : 1, sizeof(int)), *srv = calloc(n ? n : 1, sizeof(int));
	uint64_t *written = calloc(n ? n : 1, sizeof(uint64_t));
	int ret = -1;

	if (!cli || !srv || !written) {
		fprintf(stderr, "leakgen: out of memory\n");
		goto out;
	}
	if (tcp_pairs(s, n, cli, srv) < 0)
		goto out;
	for (unsigned int i = 0; i < n; i++) {
		if (track(s, cli[i], true) < 0 || track(s, srv[i], true) < 0)
			goto out;
		set_nonblock(srv[i]);
		written[i] = write_unread(s, srv[i], s->opt->bytes);
	}
	settle(cli, srv, n);
	for (unsigned int i = 0; i < n; i++) {
		uint64_t ci = lg_inode(cli[i]), si = lg_inode(srv[i]);
		int inq = queue_len(cli[i], SIOCINQ);

		emit_tcp(out, "receiver", cli[i], si, inq < 0 ? 0 : (uint64_t)inq);
		emit_tcp(out, "sender", srv[i], ci, written[i]);
	}
	ret = 0;
out:
	free(cli);
	free(srv);
	free(written);
	return ret;
}

static int tcp_close_wait(struct lgsock_set *s, unsigned int n, FILE *out)
{
	int *cli = calloc(n ? n : 1, sizeof(int)), *srv = calloc(n ? n : 1, sizeof(int));
	int64_t end = lg_now_ms() + SETTLE_MAX_MS;
	int ret = -1;

	if (!cli || !srv) {
		fprintf(stderr, "leakgen: out of memory\n");
		goto out;
	}
	if (tcp_pairs(s, n, cli, srv) < 0)
		goto out;
	for (unsigned int i = 0; i < n; i++) {
		close(srv[i]);
		if (track(s, cli[i], true) < 0)
			goto out;
	}
	for (unsigned int i = 0; i < n; i++) {
		while (strcmp(tcp_state_name(cli[i]), "CLOSE-WAIT") != 0 && lg_now_ms() < end)
			lg_sleep_ms(10);
		emit_tcp(out, "close_wait", cli[i], 0, 0);
	}
	ret = 0;
out:
	free(cli);
	free(srv);
	return ret;
}

static int unix_listener_open(struct lgsock_set *s, FILE *out)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd, len;

	if (s->index)
		len = snprintf(s->unix_path, sizeof(s->unix_path), "%s/%s.%d", s->opt->dir,
			       s->opt->unix_name, s->index);
	else
		len = snprintf(s->unix_path, sizeof(s->unix_path), "%s/%s", s->opt->dir,
			       s->opt->unix_name);
	if (len < 0 || (size_t)len >= sizeof(sun.sun_path)) {
		fprintf(stderr, "leakgen: unix path too long for sun_path\n");
		s->unix_path[0] = '\0';
		return -1;
	}
	memcpy(sun.sun_path, s->unix_path, (size_t)len + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    listen(fd, s->opt->backlog) < 0) {
		perror("leakgen: unix listener");
		s->unix_path[0] = '\0';
		if (fd >= 0)
			close(fd);
		return -1;
	}
	s->unix_listener = fd;
	if (track(s, fd, false) < 0)
		return -1;
	fprintf(out, "sock kind=unix role=listener pid=%d fd=%d inode=%llu path=", (int)getpid(),
		fd, (unsigned long long)lg_inode(fd));
	lg_print_escaped(out, s->unix_path);
	fputc('\n', out);
	return 0;
}

static int unix_pair(struct lgsock_set *s, int sv[2])
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (s->unix_listener < 0)
		return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	memcpy(sun.sun_path, s->unix_path, strlen(s->unix_path) + 1);
	sv[0] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sv[0] < 0)
		return -1;
	/* One at a time: the accepted socket is then the one just connected. */
	if (connect(sv[0], (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		close(sv[0]);
		return -1;
	}
	sv[1] = accept4(s->unix_listener, NULL, NULL, SOCK_CLOEXEC);
	if (sv[1] < 0) {
		close(sv[0]);
		return -1;
	}
	return 0;
}

static void emit_unix(FILE *out, const char *role, int fd, uint64_t peer_ino, uint64_t queued,
		      const char *path)
{
	fprintf(out, "sock kind=unix role=%s pid=%d fd=%d inode=%llu peer_inode=%llu queued=%llu "
		"inq=%d outq=%d", role, (int)getpid(), fd, (unsigned long long)lg_inode(fd),
		(unsigned long long)peer_ino, (unsigned long long)queued, queue_len(fd, SIOCINQ),
		queue_len(fd, SIOCOUTQ));
	if (path) {
		fputs(" path=", out);
		lg_print_escaped(out, path);
	}
	fputc('\n', out);
}

static int unix_unread(struct lgsock_set *s, unsigned int n, FILE *out)
{
	for (unsigned int i = 0; i < n; i++) {
		int sv[2];
		uint64_t written;
		int inq;

		if (unix_pair(s, sv) < 0) {
			perror("leakgen: unix pair");
			return -1;
		}
		if (track(s, sv[0], false) < 0 || track(s, sv[1], false) < 0)
			return -1;
		set_nonblock(sv[0]);
		written = write_unread(s, sv[0], s->opt->bytes);
		inq = queue_len(sv[1], SIOCINQ);
		emit_unix(out, "writer", sv[0], lg_inode(sv[1]), written, NULL);
		emit_unix(out, "reader", sv[1], lg_inode(sv[0]), inq < 0 ? 0 : (uint64_t)inq,
			  s->unix_listener >= 0 ? s->unix_path : NULL);
	}
	return 0;
}

static int prepare(struct lgsock_set *s)
{
	if (!s->wbuf) {
		s->wbuf = malloc(WBUF_SIZE);
		s->port_map = calloc(65536, sizeof(int));
		if (!s->wbuf || !s->port_map) {
			fprintf(stderr, "leakgen: out of memory\n");
			return -1;
		}
		for (size_t i = 0; i < WBUF_SIZE; i++)
			s->wbuf[i] = (char)('a' + i % 26);
	}
	return 0;
}

int lgsock_setup(struct lgsock_set *s, const struct lg_share *sh, FILE *out)
{
	if (prepare(s) < 0)
		return -1;
	if ((sh->tcp_unread || sh->close_wait || sh->need_tcp_listener) &&
	    tcp_listener_open(s, out) < 0)
		return -1;
	if (sh->unix_unread && s->opt->unix_name && unix_listener_open(s, out) < 0)
		return -1;
	if (sh->tcp_unread && tcp_unread(s, sh->tcp_unread, out) < 0)
		return -1;
	if (sh->close_wait && tcp_close_wait(s, sh->close_wait, out) < 0)
		return -1;
	if (sh->unix_unread && unix_unread(s, sh->unix_unread, out) < 0)
		return -1;
	return 0;
}

int lgsock_grow(struct lgsock_set *s, unsigned int n, FILE *out)
{
	if (prepare(s) < 0)
		return -1;
	if (s->tcp_listener < 0 && tcp_listener_open(s, out) < 0)
		return -1;
	return n ? tcp_unread(s, n, out) : 0;
}

void lgsock_close_all(struct lgsock_set *s)
{
	static const struct linger abort_close = { .l_onoff = 1, .l_linger = 0 };

	for (size_t i = 0; i < s->n_fds; i++) {
		if (s->fds[i].tcp)
			setsockopt(s->fds[i].fd, SOL_SOCKET, SO_LINGER, &abort_close,
				   sizeof(abort_close));
		close(s->fds[i].fd);
	}
	s->n_fds = 0;
	if (s->unix_path[0])
		unlink(s->unix_path);
	s->unix_path[0] = '\0';
	free(s->fds);
	free(s->port_map);
	free(s->wbuf);
	s->fds = NULL;
	s->cap_fds = 0;
	s->port_map = NULL;
	s->wbuf = NULL;
}
