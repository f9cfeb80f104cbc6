// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * leakgen options: the --help text (which documents the output format) and
 * the command line parser. Every count, size and time is bounded here, and
 * the listen address is refused unless it is loopback; a bad option is one
 * stderr line and exit status 2 in the caller.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "leakgen.h"

static const char usage_text[] =
	"Usage: leakgen [OPTION]...\n"
	"Make loopback sockets with known queues for leaktop's tests; print what was made.\n"
	"\n"
	"Scenarios (all off by default):\n"
	"  --tcp-unread N       N TCP connections; the accepted end writes --bytes, the\n"
	"                       connecting end never reads (non-blocking writes stop at EAGAIN)\n"
	"  --bytes B            bytes per connection or unix pair (default 16384)\n"
	"  --rcvbuf B           SO_RCVBUF for the TCP sockets (default: kernel)\n"
	"  --close-wait N       N connections whose accepted end closed: CLOSE_WAIT at the\n"
	"                       connecting end, which never closes\n"
	"  --unix-unread N      N AF_UNIX stream pairs with --bytes unread in one direction\n"
	"  --unix-path NAME     make the unix pairs through a listener bound at DIR/NAME\n"
	"                       (DIR/NAME.K in child K) inside a private mkdtemp directory\n"
	"  --packet             an AF_PACKET SOCK_RAW ETH_P_ALL socket bound to lo that never\n"
	"                       reads, filled by a UDP sink that never reads either\n"
	"  --packet-count N     datagrams of 1000 bytes sent to the sink (default 2000)\n"
	"  --blocked-thread     a thread blocked in read() on a pipe nobody writes\n"
	"  --grow N             N more unread TCP connections later, at --grow-after\n"
	"  --grow-after S       seconds after start for --grow (or on SIGUSR1; once)\n"
	"  --all                --tcp-unread 8 --close-wait 4 --unix-unread 4 --packet\n"
	"                       --blocked-thread (explicit counts win)\n"
	"Process and bounds:\n"
	"  --children K         spread the sockets over K child processes (chosen\n"
	"                       automatically when one process would pass 9000 fds)\n"
	"  --name STR           prctl(PR_SET_NAME) of every leakgen process\n"
	"  --addr A             loopback listen address: 127.0.0.0/8 or ::1 (default 127.0.0.1)\n"
	"  --duration S         exit after S seconds from start (default 60, max 3600)\n"
	"  --no-stdin           do not stop on EOF of stdin\n"
	"Counts are capped at 100000 per scenario and 250000 sockets in all; bytes at\n"
	"64 MiB per socket and 2 GiB per scenario. leakgen also exits on SIGTERM, SIGINT,\n"
	"SIGHUP, or EOF on stdin when stdin is a pipe or socket; it then closes every\n"
	"TCP socket abortively (no TIME_WAIT), stops its children, removes DIR.\n"
	"\n"
	"Output, one record a line, key=value fields (non-printable bytes as \\xHH):\n"
	"  sock kind=tcp role=listener pid= fd= inode= lport=\n"
	"  sock kind=tcp role=receiver|sender pid= fd= inode= peer_inode= lport= rport=\n"
	"       queued= inq= outq= state=      receiver: queued = SIOCINQ after settling;\n"
	"                                      sender: queued = bytes the kernel accepted\n"
	"  sock kind=tcp role=close_wait pid= fd= inode= lport= rport= queued=0 inq= outq= state=\n"
	"  sock kind=unix role=listener pid= fd= inode= path=\n"
	"  sock kind=unix role=writer|reader pid= fd= inode= peer_inode= queued= inq= outq= [path=]\n"
	"  sock kind=packet pid= fd= inode= ifindex= drops=\n"
	"  sock kind=udp role=sink pid= fd= inode= lport= sent= inq= outq=\n"
	"  skip kind=packet reason=needs_CAP_NET_RAW|no_AF_PACKET\n"
	"  thread pid= tid= syscall=read\n"
	"  summary tcp= close_wait= unix= packet= udp= sockets= pids=P1,P2 setup_ms=\n"
	"  ready\n"
	"After a grow: its sock lines, then  grown tcp= sockets= pids=\n"
	"inq/outq are SIOCINQ/SIOCOUTQ (ss Recv-Q/Send-Q). Exit status: 0 after a normal\n"
	"stop, 1 when setup or a child failed, 2 on a usage error.\n";

static int parse_count(const char *opt, const char *s, unsigned long long max,
		       unsigned long long *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > max) {
		fprintf(stderr, "leakgen: %s: expected a number from 0 to %llu, got '%s'\n", opt, max,
			s);
		return -1;
	}
	*out = v;
	return 0;
}

static int parse_addr(struct lg_opts *o, const char *s)
{
	struct sockaddr_in *a4 = (struct sockaddr_in *)&o->addr;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&o->addr;

	memset(&o->addr, 0, sizeof(o->addr));
	if (inet_pton(AF_INET, s, &a4->sin_addr) == 1) {
		if ((ntohl(a4->sin_addr.s_addr) >> 24) != 127)
			goto bad;
		a4->sin_family = AF_INET;
		o->family = AF_INET;
		o->addr_len = sizeof(*a4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a6->sin6_addr) == 1 && IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr)) {
		a6->sin6_family = AF_INET6;
		o->family = AF_INET6;
		o->addr_len = sizeof(*a6);
		return 0;
	}
bad:
	fprintf(stderr, "leakgen: --addr: only 127.0.0.0/8 or ::1, got '%s'\n", s);
	return -1;
}

int lgopts_parse(struct lg_config *c, int argc, char **argv)
{
	enum { O_TCP = 256, O_BYTES, O_RCVBUF, O_CW, O_UNIX, O_UPATH, O_PACKET, O_PCOUNT, O_THREAD,
	       O_GROW, O_GROW_AFTER, O_ALL, O_CHILDREN, O_NAME, O_ADDR, O_DURATION, O_NO_STDIN,
	       O_HELP };
	static const struct option longopts[] = {
		{ "tcp-unread", required_argument, NULL, O_TCP },
		{ "bytes", required_argument, NULL, O_BYTES },
		{ "rcvbuf", required_argument, NULL, O_RCVBUF },
		{ "close-wait", required_argument, NULL, O_CW },
		{ "unix-unread", required_argument, NULL, O_UNIX },
		{ "unix-path", required_argument, NULL, O_UPATH },
		{ "packet", no_argument, NULL, O_PACKET },
		{ "packet-count", required_argument, NULL, O_PCOUNT },
		{ "blocked-thread", no_argument, NULL, O_THREAD },
		{ "grow", required_argument, NULL, O_GROW },
		{ "grow-after", required_argument, NULL, O_GROW_AFTER },
		{ "all", no_argument, NULL, O_ALL },
		{ "children", required_argument, NULL, O_CHILDREN },
		{ "name", required_argument, NULL, O_NAME },
		{ "addr", required_argument, NULL, O_ADDR },
		{ "duration", required_argument, NULL, O_DURATION },
		{ "no-stdin", no_argument, NULL, O_NO_STDIN },
		{ "help", no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 },
	};
	bool all = false, set_tcp = false, set_cw = false, set_unix = false;
	unsigned long long v;
	int ch;

	c->opt.bytes = 16384;
	c->packet_count = 2000;
	c->duration = 60;
	c->grow_after = -1;
	if (parse_addr(&c->opt, "127.0.0.1") < 0)
		return -1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		const char *n = optarg;

		switch (ch) {
		case O_TCP:
		case O_CW:
		case O_UNIX:
		case O_GROW:
		case O_PCOUNT:
			if (parse_count(ch == O_TCP ? "--tcp-unread" : ch == O_CW ? "--close-wait" :
					ch == O_UNIX ? "--unix-unread" : ch == O_GROW ? "--grow" :
					"--packet-count", n, MAX_COUNT, &v) < 0)
				return -1;
			if (ch == O_TCP)
				c->tcp_unread = (unsigned int)v, set_tcp = true;
			else if (ch == O_CW)
				c->close_wait = (unsigned int)v, set_cw = true;
			else if (ch == O_UNIX)
				c->unix_unread = (unsigned int)v, set_unix = true;
			else if (ch == O_GROW)
				c->grow = (unsigned int)v;
			else
				c->packet_count = (unsigned int)v;
			break;
		case O_BYTES:
			if (parse_count("--bytes", n, MAX_BYTES, &v) < 0)
				return -1;
			c->opt.bytes = v;
			break;
		case O_RCVBUF:
			if (parse_count("--rcvbuf", n, INT_MAX / 2, &v) < 0)
				return -1;
			c->opt.rcvbuf = (int)v;
			break;
		case O_UPATH:
			if (!*n || strchr(n, '/') || strlen(n) > 40) {
				fprintf(stderr, "leakgen: --unix-path: a file name of 1 to 40 bytes without '/'\n");
				return -1;
			}
			c->opt.unix_name = n;
			break;
		case O_PACKET:
			c->packet = true;
			break;
		case O_THREAD:
			c->blocked_thread = true;
			break;
		case O_GROW_AFTER:
		case O_DURATION:
			if (parse_count(ch == O_DURATION ? "--duration" : "--grow-after", n,
					MAX_DURATION, &v) < 0)
				return -1;
			if (ch == O_DURATION)
				c->duration = (int)v;
			else
				c->grow_after = (int)v;
			break;
		case O_ALL:
			all = true;
			break;
		case O_CHILDREN:
			if (parse_count("--children", n, MAX_CHILDREN, &v) < 0)
				return -1;
			c->want_children = (int)v;
			break;
		case O_NAME:
			c->name = n;
			break;
		case O_ADDR:
			if (parse_addr(&c->opt, n) < 0)
				return -1;
			break;
		case O_NO_STDIN:
			c->no_stdin = true;
			break;
		case O_HELP:
			fputs(usage_text, stdout);
			exit(0);
		default:
			fputs("Try 'leakgen --help'.\n", stderr);
			return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "leakgen: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	if (all) {
		c->tcp_unread = set_tcp ? c->tcp_unread : 8;
		c->close_wait = set_cw ? c->close_wait : 4;
		c->unix_unread = set_unix ? c->unix_unread : 4;
		c->packet = c->blocked_thread = true;
	}
	if (c->duration < 1) {
		fprintf(stderr, "leakgen: --duration must be at least 1\n");
		return -1;
	}
	if ((unsigned long long)c->tcp_unread * c->opt.bytes > MAX_TOTAL_BYTES ||
	    (unsigned long long)c->grow * c->opt.bytes > MAX_TOTAL_BYTES ||
	    (unsigned long long)c->unix_unread * c->opt.bytes > MAX_TOTAL_BYTES) {
		fprintf(stderr, "leakgen: count x --bytes is over 2 GiB for one scenario\n");
		return -1;
	}
	if (2ULL * (c->tcp_unread + c->close_wait + c->unix_unread + c->grow) > MAX_SOCKETS) {
		fprintf(stderr, "leakgen: more than %u sockets asked for\n", MAX_SOCKETS);
		return -1;
	}
	if (!c->tcp_unread && !c->close_wait && !c->unix_unread && !c->grow && !c->packet &&
	    !c->blocked_thread) {
		fprintf(stderr, "leakgen: nothing to do: choose a scenario or --all\n");
		return -1;
	}
	return 0;
}
