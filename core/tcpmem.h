/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TCP memory-pressure picture: /proc/net/sockstat{,6}, the tcp_mem,
 * tcp_rmem, tcp_wmem and tcp_max_orphans sysctls, and every counter of
 * /proc/net/netstat and /proc/net/snmp (TcpExt: TCPAbortOnMemory,
 * TCPMemoryPressures, PruneCalled, ...), kept by "Group:Name".
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
	uint64_t value;
};

struct tcpmem {
	bool has_sockstat;
	uint64_t sockets_used;
	uint64_t tcp_inuse, tcp_orphan, tcp_tw, tcp_alloc, tcp_mem_pages;
	uint64_t tcp6_inuse;
	uint64_t udp_inuse, udp_mem_pages, udp6_inuse;
	uint64_t raw_inuse, raw6_inuse, frag_inuse, frag_memory_bytes;
	uint64_t tcp_mem_bytes;		/* tcp_mem_pages * page size */

	bool has_tcp_mem;
	uint64_t tcp_mem_min, tcp_mem_pressure, tcp_mem_max;	/* pages */
	bool has_rmem, has_wmem;
	uint64_t tcp_rmem[3], tcp_wmem[3];			/* bytes */
	bool has_max_orphans;
	uint64_t tcp_max_orphans;
	bool has_pressure_flag;
	bool under_pressure;		/* /proc/net/protocols "press" for TCP */

	struct net_counter *counters;	/* sorted by name */
	size_t ncounters;
};

int tcpmem_parse_sockstat(const char *buf, size_t len, const char *source, struct tcpmem *t,
			  struct notes *notes);
/* netstat and snmp: header/value line pairs per group. */
int tcpmem_parse_counters(const char *buf, size_t len, const char *source, struct tcpmem *t,
			  struct notes *notes);
void tcpmem_sample(const struct root *r, struct tcpmem *t, struct notes *notes);
bool tcpmem_counter(const struct tcpmem *t, const char *name, uint64_t *out);
void tcpmem_free(struct tcpmem *t);

#endif
