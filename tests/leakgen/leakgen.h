/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * leakgen: shared declarations between the coordinator (leakgen.c), the
 * options (lgopts.c) and the socket scenarios (lgsock.c). The scenarios run either inside the main
 * process or inside worker children; each process that holds sockets owns
 * one struct lgsock_set. This program is the oracle of the integration tests
 * and so deliberately uses nothing from core/.
 */
#ifndef LEAKGEN_H
#define LEAKGEN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

/* Settings shared by every process, fixed after option parsing. */
struct lg_opts {
	struct sockaddr_storage addr;	/* loopback listen address, port 0 */
	socklen_t addr_len;
	int family;			/* AF_INET or AF_INET6 */
	uint64_t bytes;			/* bytes written per unread connection or pair */
	int rcvbuf;			/* SO_RCVBUF, 0 = kernel default */
	int backlog;			/* listen backlog, <= somaxconn */
	const char *unix_name;		/* bind a unix listener under dir, or NULL */
	const char *dir;		/* private mkdtemp directory */
};

/* Bounds: leakgen refuses more. */
#define MAX_COUNT	100000U		/* per scenario */
#define MAX_SOCKETS	250000U		/* all scenarios together */
#define MAX_BYTES	(64ULL << 20)	/* per connection or pair */
#define MAX_TOTAL_BYTES	(2ULL << 30)	/* per scenario */
#define MAX_CHILDREN	64
#define FD_BUDGET	9000		/* fds per process, well under the hard limit */
#define MAX_DURATION	3600

/* What the command line asked for. */
struct lg_config {
	struct lg_opts opt;
	unsigned int tcp_unread, close_wait, unix_unread, grow, packet_count;
	int duration, grow_after, want_children;
	bool packet, blocked_thread;
	bool no_stdin;			/* stdin EOF does not stop leakgen */
	const char *name;
};

/* The share of the scenarios one process must create. */
struct lg_share {
	unsigned int tcp_unread;
	unsigned int close_wait;
	unsigned int unix_unread;
	bool need_tcp_listener;		/* grow may come later */
};

struct lgsock_fd {
	int fd;
	bool tcp;			/* closed with SO_LINGER 0 so nothing lingers */
};

struct lgsock_set {
	const struct lg_opts *opt;
	int index;			/* worker index, names the unix path */
	int tcp_listener;
	struct sockaddr_storage tcp_addr;	/* bound listener address */
	socklen_t tcp_addr_len;
	int unix_listener;
	char unix_path[108];
	struct lgsock_fd *fds;
	size_t n_fds, cap_fds;
	int *port_map;			/* local port -> batch index + 1 */
	char *wbuf;			/* pattern written to unread sockets */
};

void lgsock_init(struct lgsock_set *s, const struct lg_opts *opt, int index);
/* Create the share, let the queues settle, print one "sock" line per socket.
 * Returns 0, or -1 after printing the reason to stderr. */
int lgsock_setup(struct lgsock_set *s, const struct lg_share *sh, FILE *out);
/* Add n more unread TCP connections and print their "sock" lines. */
int lgsock_grow(struct lgsock_set *s, unsigned int n, FILE *out);
/* Abortive close of everything (no TIME_WAIT left behind), unlink the path. */
void lgsock_close_all(struct lgsock_set *s);

/* Parse argv into c; -1 after a stderr line. --help prints and exits 0. */
int lgopts_parse(struct lg_config *c, int argc, char **argv);

/* Shared helpers. */
int64_t lg_now_ms(void);
void lg_sleep_ms(int ms);
void lg_print_escaped(FILE *out, const char *s);
uint64_t lg_inode(int fd);

#endif
