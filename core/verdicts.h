/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one table of suspect rules: per kind its short name, the verdict
 * sentence, the key that leads to the evidence, where Enter goes, which
 * second source can corroborate it, and what one unit of a count costs in
 * kernel memory. doc/suspects.md explains each rule from the kernel's side.
 */
#ifndef LEAKTOP_VERDICTS_H
#define LEAKTOP_VERDICTS_H

#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"
#include "suspects.h"

/* TCP states as the kernel numbers them (include/net/tcp_states.h); unix
 * listeners report TCPS_LISTEN too. */
enum tcp_state_num {
	TCPS_ESTAB = 1, TCPS_SYN_SENT, TCPS_SYN_RECV, TCPS_FIN_WAIT1, TCPS_FIN_WAIT2,
	TCPS_TIME_WAIT, TCPS_CLOSE, TCPS_CLOSE_WAIT, TCPS_LAST_ACK, TCPS_LISTEN, TCPS_CLOSING,
};

/* The second source a suspect is checked against. */
enum corr_source {
	CORR_NONE,
	CORR_SLAB_CLASS,	/* SReclaimable or SUnreclaim, by the cache's reclaimability */
	CORR_FILP,		/* filp slab objects, against fds */
	CORR_SOCK_INODE,	/* sock_inode_cache objects, against sockets */
	CORR_TCP_MEM,		/* sockstat TCP mem, against queued bytes */
	CORR_SHMEM,		/* Shmem, against tmpfs used */
	CORR_ANON,		/* AnonPages, against RSS */
	CORR_VMALLOC,		/* VmallocUsed, against a caller */
	CORR_ORPHANS,		/* sockstat orphan count, against orphan sockets */
	CORR_NOT_SOCKETS,	/* unaccounted: TCP memory must NOT explain it */
};

struct verdict_rule {
	const char *name;	/* "sendq": JSON kind and the Kind column */
	/* The sentence; {subject}, {rate} and {detail} are filled in, then
	 * " (" key ")" is appended. */
	const char *text;
	const char *key;	/* "Enter: the socket" */
	uint8_t target;		/* enum suspect_target */
	uint8_t corr;		/* enum corr_source */
	bool counts;		/* the rate is a count weighed by a cost per object */
	uint8_t min_points;	/* fewest points in the window for this verdict */
	/* A noisy quantity: with fewer than steady_points points its total
	 * growth must reach fast_floor bytes (0: no such rule). */
	uint8_t steady_points;
	double fast_floor;
};

const struct verdict_rule *verdict_rule(enum suspect_kind k);
/* The verdict line of a suspect of kind k; raw, as its parts (output sanitizes). */
void verdict_format(enum suspect_kind k, const char *subject, const char *rate, const char *detail,
		    char *out, size_t sz);
/* What a socket state means when a process piles sockets up in it. */
struct verdict_state_hint {
	const char *what;	/* "CLOSE-WAIT sockets" */
	const char *why;	/* "it never closes what its peers closed" */
};
const struct verdict_state_hint *verdict_state_hint(uint8_t sock_kind, uint8_t state);
/* What orphans in a state wait for. */
const char *verdict_orphan_wait(uint8_t state);
/* Caches that grow with a process's fds and sockets: their growth is the
 * evidence of an fd leak or a socket pile, not a suspect of its own. */
bool verdict_slab_follows_sockets(const char *name);
/* Caches that hold queued packets (skb heads, kmalloc'd data): their growth
 * is the evidence of a growing socket queue. */
bool verdict_slab_follows_queues(const char *name);
/* Memory that comes and goes with tasks (threads): a vmalloc caller that
 * allocates kernel stacks (returns the bytes of one), or a cache of
 * per-task objects (returns 1: count its objects). 0 for anything else. */
double verdict_task_object(const char *name, bool vmalloc);

/* Kernel bytes one object costs: from the snapshot's slab table when it has
 * the cache, else a typical x86_64 figure (doc/suspects.md). */
double verdict_cost_fd(const struct snapshot *s);
/* What reading one fd's /proc/PID/fd entry leaves behind (a proc inode and
 * a dentry, kept until reclaim), charged to the reader's cgroup. */
double verdict_cost_fd_walk(const struct snapshot *s);
/* One socket of sock_kind; with_inode adds its sock_inode_cache object
 * (orphans and TIME-WAIT have none). */
double verdict_cost_socket(const struct snapshot *s, uint8_t sock_kind, bool with_inode);
/* True for the caches the kernel creates with SLAB_RECLAIM_ACCOUNT that
 * memory pressure shrinks (dentry, inode caches, ...). */
bool verdict_slab_reclaimable(const char *name);

#endif
