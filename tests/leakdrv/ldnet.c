// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leakdrv socket drivers: a send queue toward a peer that does not read,
 * a CLOSE-WAIT pile, unix and packet backlogs, orphans, TCP memory, and the
 * churn distraction. Everything is on 127.0.0.1 with kernel-chosen ports.
 * Every TCP socket that leakdrv keeps carries SO_LINGER {1, 0} from the
 * start, so its close (or the kernel's, after a SIGKILL) is an RST and
 * nothing is left in TIME-WAIT; the peers that do not read are child
 * processes, so the peer's owner is a process of its own.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "leakdrv.h"

#define CHUNK		(64 * 1024)
#define DGRAM_BYTES	1400

static char wbuf[CHUNK];

static void linger0(int fd)
{
	struct linger l = { 1, 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

/* Try the privileged FORCE option first (no rmem_max/wmem_max ceiling),
 * then the plain one. */
static void set_buf(int fd, int force_opt, int opt, uint64_t bytes)
{
	int v = bytes > (uint64_t)(1 << 30) ? 1 << 30 : (int)bytes;

	if (setsockopt(fd, SOL_SOCKET, force_opt, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v));
}

static struct sockaddr_in lo_addr(unsigned short port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

static unsigned short local_port(int fd)
{
	struct sockaddr_in a;
	socklen_t l = sizeof(a);

	if (getsockname(fd, (struct sockaddr *)&a, &l) < 0)
		return 0;
	return ntohs(a.sin_port);
}

/* A loopback TCP listener; rcvbuf (0 = default) is inherited by what it
 * accepts and must be set before the handshake fixes the window scale. */
static int tcp_listener(struct ld_ctx *c, uint64_t rcvbuf)
{
	struct sockaddr_in a = lo_addr(0);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		perror("leakdrv: socket");
		return -1;
	}
	if (rcvbuf)
		set_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF, rcvbuf);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 4096) < 0) {
		perror("leakdrv: bind/listen 127.0.0.1");
		close(fd);
		return -1;
	}
	c->lfd = fd;
	c->port = local_port(fd);
	return 0;
}

/* A blocking connect to the driver's port; sndbuf 0 = default. */
static int tcp_connect(unsigned short port, uint64_t sndbuf)
{
	struct sockaddr_in a = lo_addr(port);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		perror("leakdrv: socket");
		return -1;
	}
	if (sndbuf)
		set_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF, sndbuf);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("leakdrv: connect 127.0.0.1");
		close(fd);
		return -1;
	}
	return fd;
}

/* Child: accept on the inherited listener and hold every connection
 * without reading, until the control pipe closes. */
static void hold_accepts(struct ld_ctx *c, int ctl, void *arg)
{
	unsigned long max = ld_fd_limit();

	(void)arg;
	for (;;) {
		struct pollfd p[2] = { { .fd = ctl, .events = POLLIN },
				       { .fd = c->lfd, .events = POLLIN } };

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			break;
		if (p[1].revents) {
			int fd = accept4(c->lfd, NULL, NULL, SOCK_CLOEXEC);

			if (fd < 0)
				continue;
			linger0(fd);
			if (c->n_fds >= max || ld_hold_fd(c, fd) < 0)
				close(fd);
		}
	}
	close(c->lfd);
	ld_close_held(c);
}

/* The listener goes to a child that accepts and never reads. */
static int spawn_peer(struct ld_ctx *c, uint64_t rcvbuf)
{
	int k;

	if (tcp_listener(c, rcvbuf) < 0)
		return -1;
	k = ld_spawn(c, hold_accepts, NULL);
	close(c->lfd);
	c->lfd = -1;
	return k;
}

static void print_peer(struct ld_ctx *c, int k, const char *role, const char *extra)
{
	fprintf(c->out, "sock kind=tcp role=%s pid=%d", role, (int)c->kids[k].pid);
	ld_put_escaped(c->out, "comm", c->name);
	fprintf(c->out, " lport=%u%s\n", c->port, extra);
}

static void print_tcp(struct ld_ctx *c, int fd, const char *role, const char *extra)
{
	fprintf(c->out, "sock kind=tcp role=%s pid=%d fd=%d inode=%llu lport=%u rport=%u%s\n",
		role, (int)getpid(), fd, ld_inode(fd), local_port(fd), c->port, extra);
}

/* Write toward target through a non-blocking socket; EAGAIN means a full
 * buffer, which the caller decides about. Returns bytes taken. */
static uint64_t write_some(int fd, uint64_t want, bool *full)
{
	uint64_t took = 0;

	*full = false;
	while (took < want) {
		size_t n = want - took > CHUNK ? CHUNK : (size_t)(want - took);
		ssize_t w = send(fd, wbuf, n, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			*full = errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS;
			break;
		}
		took += (uint64_t)w;
	}
	return took;
}

/* ---- sendq: one connection whose peer never reads ------------------------ */

static int sendq_setup(struct ld_ctx *c)
{
	int k = spawn_peer(c, 16 * LD_KIB);	/* a small window fills at once */

	if (k < 0)
		return -1;
	c->sfd = tcp_connect(c->port, c->cap + LD_MIB);
	if (c->sfd < 0)
		return -1;
	linger0(c->sfd);
	print_tcp(c, c->sfd, "sender", " state=ESTAB");
	print_peer(c, k, "receiver", " reads=never");
	return 0;
}

static int sendq_grow(struct ld_ctx *c, uint64_t target, int64_t el)
{
	bool full;

	(void)el;
	if (target <= c->done)
		return 0;
	c->done += write_some(c->sfd, target - c->done, &full);
	if (full) {
		c->capped = true;
		c->cap_reason = "sndbuf";
	}
	return 0;
}

static void close_sfd(struct ld_ctx *c)
{
	if (c->sfd >= 0)
		close(c->sfd);
	c->sfd = -1;
}

/* ---- closewait: the server never closes what its clients closed ---------- */

static int closewait_setup(struct ld_ctx *c)
{
	int k;

	if (c->cap > ld_fd_limit()) {
		fprintf(stderr, "leakdrv: --cap %llu is above the fd limit %lu\n",
			(unsigned long long)c->cap, ld_fd_limit());
		return -1;
	}
	k = spawn_peer(c, 0);
	if (k < 0)
		return -1;
	print_peer(c, k, "server", " state=CLOSE-WAIT closes=never");
	fprintf(c->out, "sock kind=tcp role=client pid=%d rport=%u closes=always\n",
		(int)getpid(), c->port);
	return 0;
}

static int closewait_grow(struct ld_ctx *c, uint64_t target, int64_t el)
{
	(void)el;
	while (c->done < target) {
		int fd = tcp_connect(c->port, 0);

		if (fd < 0)
			return -1;
		/* An orderly FIN: the server's end goes to CLOSE-WAIT; this end
		 * becomes a FIN-WAIT-2 timewait entry that the server's RST at
		 * exit removes. */
		close(fd);
		c->done++;
	}
	return 0;
}

/* ---- unix-backlog: a stream pair nobody reads ----------------------------- */

static int unix_setup(struct ld_ctx *c)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("leakdrv: socketpair");
		return -1;
	}
	/* Unix stream memory is charged to the writer's send buffer. */
	set_buf(sv[0], SO_SNDBUFFORCE, SO_SNDBUF, c->cap + LD_MIB);
	c->sfd = sv[0];
	c->pfd = sv[1];
	fprintf(c->out, "sock kind=unix role=writer pid=%d fd=%d inode=%llu peer_inode=%llu\n",
		(int)getpid(), sv[0], ld_inode(sv[0]), ld_inode(sv[1]));
	fprintf(c->out, "sock kind=unix role=reader pid=%d fd=%d inode=%llu peer_inode=%llu reads=never\n",
		(int)getpid(), sv[1], ld_inode(sv[1]), ld_inode(sv[0]));
	return 0;
}

static void close_pair(struct ld_ctx *c)
{
	close_sfd(c);
	if (c->pfd >= 0)
		close(c->pfd);
	c->pfd = -1;
}

/* ---- packet-backlog: an AF_PACKET socket on lo that never reads ---------- */

/* Accept only IPv4 UDP to our sink port: other loopback traffic on a
 * shared machine must not fill the backlog faster than --rate. */
static int attach_filter(int fd, unsigned short port)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),			/* ethertype */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 7),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 14 + 9),		/* protocol */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, 0, 5),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 14 + 6),		/* fragment */
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 3, 0),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14),		/* IP header length */
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 14 + 2),		/* UDP dest port */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0x40000),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

static int packet_setup(struct ld_ctx *c)
{
	struct sockaddr_in a = lo_addr(0);
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int one = 1, sink;

	/* The sink exists so the datagrams have a destination (no ICMP); its
	 * smallest buffer keeps its own backlog out of the picture. */
	sink = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sink < 0 || ld_hold_fd(c, sink) < 0) {
		perror("leakdrv: socket udp");
		return -1;
	}
	set_buf(sink, SO_RCVBUFFORCE, SO_RCVBUF, 1);
	if (bind(sink, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("leakdrv: bind udp 127.0.0.1");
		return -1;
	}
	c->port = local_port(sink);
	/* Protocol 0 until bind: nothing is queued before the filter is on. */
	c->pfd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (c->pfd < 0) {
		fprintf(stderr, "leakdrv: packet socket: %s%s\n", strerror(errno),
			errno == EPERM ? " (needs CAP_NET_RAW)" : "");
		return -1;
	}
	if (attach_filter(c->pfd, c->port) < 0) {
		perror("leakdrv: SO_ATTACH_FILTER");
		return -1;
	}
	/* Each datagram crosses lo twice (out and in): count it once. */
	setsockopt(c->pfd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one));
	set_buf(c->pfd, SO_RCVBUFFORCE, SO_RCVBUF, c->cap * 2 + LD_MIB);
	sll.sll_ifindex = (int)if_nametoindex("lo");
	if (!sll.sll_ifindex || bind(c->pfd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("leakdrv: bind packet to lo");
		return -1;
	}
	c->sfd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	a.sin_port = htons(c->port);
	if (c->sfd < 0 || connect(c->sfd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("leakdrv: udp sender");
		return -1;
	}
	fprintf(c->out, "sock kind=packet pid=%d fd=%d inode=%llu ifindex=%d reads=never\n",
		(int)getpid(), c->pfd, ld_inode(c->pfd), sll.sll_ifindex);
	fprintf(c->out, "sock kind=udp role=sink pid=%d fd=%d inode=%llu lport=%u reads=never\n",
		(int)getpid(), sink, ld_inode(sink), c->port);
	fprintf(c->out, "sock kind=udp role=sender pid=%d fd=%d inode=%llu lport=%u rport=%u\n",
		(int)getpid(), c->sfd, ld_inode(c->sfd), local_port(c->sfd), c->port);
	return 0;
}

static int packet_grow(struct ld_ctx *c, uint64_t target, int64_t el)
{
	(void)el;
	while (c->done + DGRAM_BYTES <= target) {
		if (send(c->sfd, wbuf, DGRAM_BYTES, MSG_NOSIGNAL) < 0) {
			if (errno == EINTR || errno == ENOBUFS || errno == EAGAIN)
				break;
			perror("leakdrv: send udp");
			return -1;
		}
		c->done += DGRAM_BYTES;
	}
	return 0;
}

/* ---- orphans: closed senders whose data the peer never takes ------------- */

static int orphans_setup(struct ld_ctx *c)
{
	int k = spawn_peer(c, 1);	/* smallest window: the data stays at the sender */

	if (k < 0)
		return -1;
	print_peer(c, k, "receiver", " reads=never");
	fprintf(c->out, "sock kind=tcp role=orphan owner=none rport=%u state=FIN-WAIT-1 made_by=%d\n",
		c->port, (int)getpid());
	return 0;
}

static int orphans_grow(struct ld_ctx *c, uint64_t target, int64_t el)
{
	(void)el;
	while (c->done < target) {
		/* A small send buffer: each orphan holds a few KiB, so the
		 * orphan count grows, not TCP memory. */
		int fd = tcp_connect(c->port, 4096);
		bool full;

		if (fd < 0)
			return -1;
		write_some(fd, 256 * LD_KIB, &full);
		close(fd);	/* FIN queued behind unsent data: FIN-WAIT-1, no owner */
		c->done++;
	}
	return 0;
}

/* ---- tcpmem: unread connections with large buffers ----------------------- */

#define TCPMEM_CONN_BUF	(8 * LD_MIB)
#define TCPMEM_MAX_PCT	90
#define TCPMEM_DEF_PCT	50

static long long tcp_mem_pages(void)
{
	char buf[4096], *p;
	ssize_t n;
	int fd = open("/proc/net/sockstat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "TCP:");
	p = p ? strstr(p, " mem ") : NULL;
	return p ? strtoll(p + 5, NULL, 10) : -1;
}

static int tcpmem_setup(struct ld_ctx *c)
{
	long long pressure = ld_read_proc_num("/proc/sys/net/ipv4/tcp_mem", 1);
	long page = sysconf(_SC_PAGESIZE);
	uint64_t limit;
	int k;

	if (pressure <= 0) {
		fprintf(stderr, "leakdrv: cannot read /proc/sys/net/ipv4/tcp_mem\n");
		return -1;
	}
	limit = (uint64_t)pressure * (uint64_t)page;
	c->aux2 = (uint64_t)pressure * TCPMEM_MAX_PCT / 100;	/* pages: global stop */
	if (c->cap == 0)
		c->cap = limit * TCPMEM_DEF_PCT / 100;
	if (c->cap > limit * TCPMEM_MAX_PCT / 100) {
		c->cap = limit * TCPMEM_MAX_PCT / 100;
		fprintf(stderr, "leakdrv: tcpmem: cap lowered to %d%% of pressure: %llu\n",
			TCPMEM_MAX_PCT, (unsigned long long)c->cap);
	}
	k = spawn_peer(c, TCPMEM_CONN_BUF);
	if (k < 0)
		return -1;
	fprintf(c->out, "tcpmem pressure_pages=%lld cap=%llu stop_at_pages=%llu\n", pressure,
		(unsigned long long)c->cap, (unsigned long long)c->aux2);
	print_peer(c, k, "receiver", " reads=never");
	fprintf(c->out, "sock kind=tcp role=sender pid=%d rport=%u\n", (int)getpid(), c->port);
	return 0;
}

/* The whole machine's TCP memory, not just ours, stays under 90% of
 * pressure, so that it is held well above leaktop's 80% level: others'
 * short connections closing, or the kernel collapsing an unread receive
 * queue, take a few hundred pages at a time. It is read before every new
 * connection, so the overshoot is at most one connection's buffers. */
static bool tcpmem_room(struct ld_ctx *c)
{
	long long pages = tcp_mem_pages();

	if (pages >= 0 && (uint64_t)pages < c->aux2)
		return true;
	c->capped = true;
	c->cap_reason = "machine_tcp_mem";
	return false;
}

static int tcpmem_grow(struct ld_ctx *c, uint64_t target, int64_t el)
{
	(void)el;
	while (c->done < target) {
		bool full;

		if (c->sfd < 0) {
			if (c->aux >= 1000) {
				c->capped = true;
				c->cap_reason = "connections";
				return 0;
			}
			if (!tcpmem_room(c))
				return 0;
			c->sfd = tcp_connect(c->port, TCPMEM_CONN_BUF);
			if (c->sfd < 0)
				return -1;
			linger0(c->sfd);
			c->aux++;
		}
		c->done += write_some(c->sfd, target - c->done, &full);
		if (!full)
			break;
		if (ld_hold_fd(c, c->sfd) < 0)
			return -1;
		c->sfd = -1;
	}
	return 0;
}

/* ---- churn: short loopback connections, optionally short processes ------- */

static int churn_setup(struct ld_ctx *c)
{
	if (tcp_listener(c, 0) < 0)
		return -1;
	fprintf(c->out, "sock kind=tcp role=listener pid=%d fd=%d inode=%llu lport=%u\n",
		(int)getpid(), c->lfd, ld_inode(c->lfd), c->port);
	if (c->procs)
		fprintf(c->out, "procs rate=%u life_ms=200\n", c->procs);
	return 0;
}

/* One complete exchange. The server closes first; the client answers the
 * FIN with an RST, so neither end lingers in TIME-WAIT afterwards. */
static int churn_once(struct ld_ctx *c)
{
	char b[64];
	int s, fd = tcp_connect(c->port, 0);

	if (fd < 0)
		return -1;
	s = accept4(c->lfd, NULL, NULL, SOCK_CLOEXEC);
	if (s < 0) {
		perror("leakdrv: accept");
		close(fd);
		return -1;
	}
	if (write(fd, wbuf, sizeof(b)) < 0 || read(s, b, sizeof(b)) < 0)
		perror("leakdrv: churn exchange");
	close(s);
	while (read(fd, b, sizeof(b)) > 0)
		;
	linger0(fd);
	close(fd);
	return 0;
}

static void short_life(void)
{
	char *p = malloc(LD_MIB);

	if (p)
		memset(p, 1, LD_MIB);
	ld_sleep_ms(200);
	free(p);
}

static int churn_grow(struct ld_ctx *c, uint64_t target, int64_t el)
{
	uint64_t want_procs = (uint64_t)c->procs * (uint64_t)el / 1000;

	while (c->done < target) {
		if (churn_once(c) < 0)
			return -1;
		c->done++;
	}
	for (; c->aux < want_procs; c->aux++) {
		pid_t pid = fork();

		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			short_life();
			_exit(0);
		}
		if (pid < 0)
			break;
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return 0;
}

static void churn_cleanup(struct ld_ctx *c)
{
	if (c->lfd >= 0)
		close(c->lfd);
	c->lfd = -1;
	while (waitpid(-1, NULL, 0) > 0)
		;
}

const struct ld_driver ld_net_drivers[] = {
	{ "sendq", "bytes", 256 * LD_KIB, 16 * LD_MIB, 32 * LD_MIB, 256 * LD_MIB,
	  "one TCP connection whose peer (a child) never reads; the send queue grows",
	  sendq_setup, sendq_grow, close_sfd },
	{ "closewait", "connections", 20, 1000, 2000, 9000,
	  "a server child never closes what its client closed: CLOSE-WAIT pile",
	  closewait_setup, closewait_grow, ld_cleanup_none },
	{ "unix-backlog", "bytes", 256 * LD_KIB, 16 * LD_MIB, 32 * LD_MIB, 256 * LD_MIB,
	  "an AF_UNIX stream pair; one end writes, nobody reads",
	  unix_setup, sendq_grow, close_pair },
	{ "packet-backlog", "bytes", 256 * LD_KIB, 16 * LD_MIB, 32 * LD_MIB, 256 * LD_MIB,
	  "an AF_PACKET socket on lo, never read, fed UDP to a local sink",
	  packet_setup, packet_grow, close_pair },
	{ "orphans", "connections", 10, 500, 1000, 8000,
	  "closed senders with unsent data toward a child that never reads",
	  orphans_setup, orphans_grow, ld_cleanup_none },
	{ "tcpmem", "bytes", 16 * LD_MIB, 128 * LD_MIB, 0, 64 * LD_GIB,
	  "unread connections with large buffers, up to half the tcp_mem pressure",
	  tcpmem_setup, tcpmem_grow, close_sfd },
	{ "churn", "connections", 200, 2000, UINT64_MAX, UINT64_MAX,
	  "distraction: short loopback connections (+ --procs short processes)",
	  churn_setup, churn_grow, churn_cleanup },
};
const size_t ld_n_net_drivers = sizeof(ld_net_drivers) / sizeof(ld_net_drivers[0]);
