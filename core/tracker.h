/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The trend engine: every quantity leaktop can watch grow, tracked across
 * samples by the identity the diff uses, each with a ring of recent points
 * and, on demand, a growth estimate (core/growth.h). Fed snapshots in time
 * order (live, or a replayed recording: the same code). No curses, no I/O.
 *
 * What is tracked (enum tq_kind): the memory classes (unaccounted
 * included); each slab cache's bytes; each vmalloc caller's bytes; each
 * tmpfs mount's used bytes; per process RSS, fd count, socket count and
 * socket memory; socket GROUPS, not single sockets (100k sockets with a
 * ring each would cost more than the leak): the sockets one process holds
 * in one kind and state, and the sockets nobody holds by kind, state and
 * local port, each with their count, memory, receive and send queues; TCP
 * orphans, TIME-WAIT, tcp_mem pages and sockets in use; per cgroup of the
 * memory-charging hierarchy its current, anon, kernel and sock charges.
 *
 * A quantity absent from a sample gets an absent point; one absent for a
 * whole window is forgotten, so process and socket churn does not grow the
 * engine. Estimates are computed lazily and cached per sample: a quantity
 * whose window shows no net growth above its noise floor is never fitted.
 */
#ifndef LEAKTOP_TRACKER_H
#define LEAKTOP_TRACKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "growth.h"
#include "snapshot.h"

enum tq_kind {
	TQ_MEM_CLASS,		/* k0 = enum mem_class */
	TQ_SLAB_BYTES,		/* k0 = hash of the cache name; name kept */
	TQ_SLAB_OBJS,
	TQ_VMALLOC_BYTES,	/* k0 = hash of caller and kind; caller kept */
	TQ_TMPFS_USED,		/* k0 = device major << 32 | minor; mountpoint kept */
	TQ_PROC_RSS,		/* k0 = pid, k1 = starttime */
	TQ_PROC_FDS,
	TQ_PROC_SOCKS,
	TQ_PROC_SOCKMEM,
	TQ_SGRP_COUNT,		/* socket group: see struct tq_sgroup */
	TQ_SGRP_MEM,
	TQ_SGRP_RECVQ,
	TQ_SGRP_SENDQ,
	TQ_TCP_ORPHANS,
	TQ_TCP_TW,
	TQ_TCP_MEM,		/* bytes (pages x page size) */
	TQ_TCP_INUSE,
	TQ_TASKS,		/* threads of every process, kernel threads included */
	/* The charges of each cgroup (but the root) of the hierarchy that
	 * charges memory: k0 = hash of the path, k1 = enum cgroup_hier; the
	 * name kept. */
	TQ_CG_CURRENT,
	TQ_CG_ANON,
	TQ_CG_KERNEL,
	TQ_CG_SOCK,
	TQ_KIND_COUNT
};

/* A group of sockets: held by one process (pid+starttime) in one kind and
 * state, or held by nobody (pid 0) by kind, state and service port: the
 * port of a local TCP listener at either end, else the lower of the local
 * and remote port (a server's orphans share its local port, a client's
 * their remote one; the other end is ephemeral and would make one group
 * per socket). */
enum tq_sgroup_flags {
	TQ_SG_REMOTE_PORT = 1 << 0,	/* port is the remote end's */
	TQ_SG_NO_INODE = 1 << 1,	/* no fd anywhere: orphans, TIME-WAIT, kernel */
};

struct tq_sgroup {
	int32_t pid;		/* 0: no owner found */
	uint64_t starttime;
	uint8_t kind;		/* enum sock_kind */
	uint8_t state;
	uint8_t flags;		/* enum tq_sgroup_flags; only for pid 0 */
	uint16_t port;		/* only for pid 0 and inet; else 0 */
};


struct tq_id {
	uint8_t kind;		/* enum tq_kind */
	uint64_t k[2];		/* identity within the kind, as above */
};

struct tq_unit_info {
	const char *name;	/* "slab_bytes": JSON and test name */
	bool bytes;		/* bytes (else a count) */
	double noise_floor;	/* changes this small are noise */
};
extern const struct tq_unit_info tq_kinds[TQ_KIND_COUNT];

/* One tracked quantity, read-only to callers. */
struct tq {
	struct tq_id id;
	char label[64];			/* cache name, caller, mountpoint, comm, "tcp" ...; raw */
	struct tq_sgroup sg;		/* for TQ_SGRP_* */
	/* TQ_SGRP_*: sock_identity of the group's socket with the most of this
	 * quantity (count: memory) in the newest sample; {0, 0} when none. */
	uint64_t top_k[2];
	uint64_t last_seen;		/* sample number it was last present in */
	struct growth_ring ring;	/* recent points */
	uint64_t first_seen_ns;		/* first sample it was present in */
	double first_value;
	double last_value;
	bool present;			/* in the newest sample */
};

struct tracker_params {
	uint32_t window;		/* points per ring (default 64) */
	uint64_t window_ns;		/* estimate over this span; 0 = the whole ring */
	uint32_t forget_after;		/* samples absent in a row before a quantity is
					 * forgotten (default 4; at most window) */
};

struct tracker;

void tracker_params_init(struct tracker_params *p);
struct tracker *tracker_new(const struct tracker_params *p);
void tracker_free(struct tracker *t);
/* Add one sample. Returns -1 (and changes nothing) when s is not newer than
 * the last sample fed. */
int tracker_update(struct tracker *t, const struct snapshot *s);
/* Samples fed, and the time of the newest. */
uint64_t tracker_samples(const struct tracker *t);
uint64_t tracker_last_ns(const struct tracker *t);

/* Iterate tracked quantities: i from 0 to tracker_count - 1. */
size_t tracker_count(const struct tracker *t);
const struct tq *tracker_at(const struct tracker *t, size_t i);
const struct tq *tracker_find(const struct tracker *t, const struct tq_id *id);
/* The growth estimate of q over the window (cached until the next update). */
const struct growth_est *tracker_estimate(struct tracker *t, const struct tq *q);
/* Quick pre-filter: net change over the window per second, without a fit
 * (first to last present point); 0 with fewer than two. */
double tracker_net_rate(const struct tracker *t, const struct tq *q);
/* Rise from the lowest present point in the window to the newest, per
 * second: the pre-filter that also lets a leak after a reset through. */
double tracker_rise_rate(const struct tracker *t, const struct tq *q);
/* Present points of q in the window. */
size_t tracker_points(const struct tracker *t, const struct tq *q);
/* How many of each entity are watched now: for the empty state. */
struct tracker_watch {
	size_t sockets, socket_groups, caches, vmalloc_callers, mounts, processes, cgroups,
		quantities;
	double window_s;	/* span of the points held */
};
void tracker_watching(const struct tracker *t, struct tracker_watch *out);
/* The group a socket of st (the newest sample fed to t; NULL: no
 * listeners known) belongs to, and its identity (tq_id.k). */
void tracker_sgroup_of(const struct tracker *t, const struct sock_table *st,
		       const struct sock_entry *e, struct tq_sgroup *g, uint64_t key[2]);

#endif
