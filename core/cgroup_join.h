/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Cgroups joined with the sockets and processes of the same snapshot.
 *
 * A socket is charged to the v2 cgroup whose id sock_diag gives for it
 * (INET_DIAG_CGROUP_ID: the cgroup of the task that created it, kept for
 * orphans and TIME-WAIT entries, which have no owner left); a socket
 * without one (unix, procnet rows) to the v2 cgroup of its first owning
 * process. In the v1 memory hierarchy only the owner can say: orphans are
 * charged to no v1 cgroup here. A process is in the cgroup its
 * /proc/PID/cgroup names, in each hierarchy. Counts are direct: a cgroup's
 * sockets and processes exclude its children's (its memory figures, as the
 * kernel keeps them, include them).
 */
#ifndef LEAKTOP_CGROUP_JOIN_H
#define LEAKTOP_CGROUP_JOIN_H

#include <stddef.h>

#include "snapshot.h"

/* The v2 cgroup of socket e (by id, else by owner), or NULL. */
const struct cgroup_entry *cgroup_of_socket(const struct snapshot *s, const struct sock_entry *e);
/* The cgroup of socket e in hierarchy h: v2 as above, v1 by owner. */
const struct cgroup_entry *cgroup_of_socket_in(const struct snapshot *s,
					       const struct sock_entry *e, enum cgroup_hier h);
/* The cgroup of process p in hierarchy h, or NULL. */
const struct cgroup_entry *cgroup_of_process(const struct snapshot *s, const struct proc_entry *p,
					     enum cgroup_hier h);
/* The hierarchy that charges memory on this host: v2 when its root lists
 * the memory controller, else v1 when mounted, else v2. */
enum cgroup_hier cgroup_memory_hier(const struct cgroup_table *t);

/*
 * The cgroup path (raw) of socket e, in v2: its row's path, else its
 * owner's v2 path as /proc/PID/cgroup gave it (without a cgroup table too).
 * NULL when unknown. The path of process p in h likewise.
 */
const char *cgroup_socket_path(const struct snapshot *s, const struct sock_entry *e);
const char *cgroup_process_path(const struct snapshot *s, const struct proc_entry *p,
				enum cgroup_hier h);
/* The name (cgroup_name, raw) of the socket's v2 cgroup; "#<id>" for an
 * id no row has (removed, or outside this cgroup namespace). False when
 * unknown. */
bool cgroup_socket_name(const struct snapshot *s, const struct sock_entry *e, char *out,
			size_t sz);
/* The name of the cgroup p's memory is charged to (cgroup_memory_hier;
 * without a cgroup table: v2, or v1 where v2 says only "/"). */
bool cgroup_process_name(const struct snapshot *s, const struct proc_entry *p, char *out,
			 size_t sz);

/* Indexes into s->procs.v of the processes in cg, in table order; returns
 * the count, *out a fresh array to free(). */
size_t cgroup_processes(const struct snapshot *s, const struct cgroup_entry *cg, size_t **out);
/* Indexes into s->socks.v of the sockets charged to cg (orphans included
 * for v2), in table order. */
size_t cgroup_sockets(const struct snapshot *s, const struct cgroup_entry *cg, size_t **out);
/* How many: the count cgroup_join_fill left in the row when it ran, else
 * counted as cgroup_sockets does (a walk of every socket). */
size_t cgroup_socket_count(const struct snapshot *s, const struct cgroup_entry *cg);
/* Fill every row's nprocs, nsocks and sock_mem (CGF_JOINED, CGF_SOCKS)
 * from s's processes and sockets: the sampler does it once per sample. */
void cgroup_join_fill(struct snapshot *s);

#endif
