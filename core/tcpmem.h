/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TCP memory-pressure picture: /proc/net/sockstat{,6}, the tcp_mem,
 * tcp_rmem, tcp_wmem and tcp_max_orphans sysctls, and every counter of
 * /proc/net/netstat and /proc/net/snmp (TcpExt: TCPAbortOnMemory,
 * TCPMemoryPressures, PruneCalled, ...), kept by "Group:Name". Each file
 * that cannot be read is a NOTE_MISSING under its own name ("sockstat",
 * "tcp_mem", "netstat", ...); the rest is still filled.
 */
#ifndef LEAKTOP_TCPMEM_H
#define LEAKTOP_TCPMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes.h"
#include "root.h"

struct net_counter {
	char name[48];		/* "TcpExt:TCPAbortOnMemory" */
	uint64_t value;		/* two's complement when negative */
	bool negative;		/* only "Tcp:MaxConn" (-1) in practice */
};

/* More counters than this in netstat + snmp is not a kernel file. */
#define TCPMEM_MAX_COUNTERS 8192

struct tcpmem {
	bool has_sockstat;
	uint64_t sockets_used;
	uint64_t tcp_inuse, tcp_orphan, tcp_tw, tcp_alloc, tcp_mem_pages;
	uint64_t tcp6_inuse;
	uint64_t udp_inuse, udp_mem_pages, udp6_inuse;
	uint64_t raw_inuse, raw6_inuse, frag_inuse, frag_memory_bytes;
	uint64_t frag6_inuse, frag6_memory_bytes;
	uint64_t udplite_inuse, udplite6_inuse;
	uint64_t udp_mem_bytes;		/* udp_mem_pages * page size */
	uint64_t tcp_mem_bytes;		/* tcp_mem_pages * page size (tcpmem_sample) */

	bool has_tcp_mem;
	uint64_t tcp_mem_min, tcp_mem_pressure, tcp_mem_max;	/* pages */
	bool has_rmem, has_wmem;
	uint64_t tcp_rmem[3], tcp_wmem[3];			/* bytes */
	bool has_max_orphans;
	uint64_t tcp_max_orphans;
	bool has_pressure_flag;
	bool under_pressure;		/* /proc/net/protocols "press" for TCP */

	struct net_counter *counters;	/* sorted by name */
	size_t ncounters, counters_cap;
};

/*
 * The parsers return 0, or -EINVAL when nothing usable was found (a note says
 * why). sockstat and sockstat6 are read by keyword ("TCP:", "TCP6:", ...),
 * either file through the same parser.
 */
int tcpmem_parse_sockstat(const char *buf, size_t len, const char *source, struct tcpmem *t,
			  struct notes *notes);
/*
 * netstat and snmp: header/value line pairs per group, added to t->counters
 * (kept sorted; a name seen twice keeps its first value). A pair whose name
 * and value counts differ is noted and the group skipped.
 */
int tcpmem_parse_counters(const char *buf, size_t len, const char *source, struct tcpmem *t,
			  struct notes *notes);
/* /proc/net/protocols: the TCP row's "press" column, found by header name. */
int tcpmem_parse_protocols(const char *buf, size_t len, const char *source, struct tcpmem *t,
			   struct notes *notes);
/* Replaces t (freeing what it held) with a fresh sample. */
void tcpmem_sample(const struct root *r, struct tcpmem *t, struct notes *notes);
bool tcpmem_counter(const struct tcpmem *t, const char *name, uint64_t *out);
void tcpmem_free(struct tcpmem *t);

#endif
