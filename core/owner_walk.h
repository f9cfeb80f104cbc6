/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Socket owners: the /proc/PID/fd walk that maps socket inodes to the
 * processes holding them (one readlinkat per fd, as ss -p does; there is no
 * kernel index), with fd and socket counts and socket memory per process.
 *
 * Owners are found incrementally between full walks: a process whose number
 * of open fds is unchanged and whose sockets of the last walk all still
 * exist (same inode and cookie) keeps the owners of that walk without its fd
 * links being read. If a socket with an inode is then left without an owner
 * and had one (or did not exist) at the last scan, every skipped process is
 * walked after all. Every OWNER_FULL_WALK_SCANS owner scans, and whenever
 * the previous scan did not record owners, every process is walked
 * regardless. sock_table.owners_full/owners_walked/owners_procs say what was
 * done.
 */
#ifndef LEAKTOP_OWNER_WALK_H
#define LEAKTOP_OWNER_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc.h"
#include "sock.h"

#define OWNER_FULL_WALK_SCANS 10

/* A socket a process held at its last fd walk; also an unowned socket. */
struct held_sock {
	uint64_t cookie;
	uint32_t inode;
	int32_t fd;
};

/* What the last fd walk of one process found, kept in the process cache so
 * that an unchanged process is not walked again. */
struct owner_memo {
	uint64_t fd_sig;	/* fd directory signature before that walk; 0: nothing to reuse */
	uint32_t fd_count, sock_count;
	uint32_t held_n, unmatched_n;
	struct held_sock *held;	/* sockets of the table, in fd order; heap */
	uint32_t *unmatched;	/* socket inodes that were not in the table; heap */
};

void owner_memo_release(struct owner_memo *m);

struct owner_walk;
struct owner_walk *owner_walk_new(void);
void owner_walk_free(struct owner_walk *w);

/*
 * Start the walks of a scan of the processes under proc_fd into pt. st
 * NULL: fd and socket counts only, no owners. Decides whether this scan may
 * reuse earlier walks (incremental) or walks every process.
 */
void owner_walk_begin(struct owner_walk *w, int proc_fd, struct proc_table *pt,
		      struct sock_table *st);
/* True when the next owner scan will walk every process (nothing to reuse):
 * such a scan can run before the socket table exists, see below. */
bool owner_walk_is_full(const struct owner_walk *w);
/*
 * Start a full walk that runs while the socket table is still being dumped
 * (by another thread): the socket fds of each process are only collected
 * (inode, fd). owner_walk_deferred_done at the end of the scan, then
 * owner_walk_attach with the finished table matches them and does what
 * owner_walk_end does; the result is the one a walk after the dump gives,
 * but for sockets opened or closed between the dump and the walk, which
 * either order can see differently. st is the table being dumped: it is
 * not read until the attach, and must be non-NULL (a walk without a table
 * counts fds only and has nothing to defer).
 */
void owner_walk_begin_deferred(struct owner_walk *w, int proc_fd, struct proc_table *pt,
			       struct sock_table *st);
void owner_walk_deferred_done(struct owner_walk *w);
/* Nothing happens unless a deferred scan got to owner_walk_deferred_done;
 * memo_at as for owner_walk_end, on the cache as it is after the scan. */
void owner_walk_attach(struct owner_walk *w, struct sock_table *st,
		       struct owner_memo *(*memo_at)(void *arg, size_t idx), void *arg);
/* A scan without fd walks: the next owner scan cannot reuse anything. */
void owner_walk_skip(struct owner_walk *w);
/*
 * The fds of the process of pdir, whose entry e in pt has its pid and start
 * time. memo is what its last walk found (memo_known: it is this process's,
 * same pid and start time) and is updated; memo_idx names it for
 * owner_walk_end. Returns 0 (e's fd fields set), or -errno when the process
 * is gone or was replaced meanwhile: nothing of it is then kept.
 */
int owner_walk_process(struct owner_walk *w, int pdir, struct proc_entry *e,
		       struct owner_memo *memo, bool memo_known, size_t memo_idx);
/*
 * Finish the scan: walk the skipped processes when an owner may be missing,
 * bucket the owners per socket (sock_entry.owner_first/owner_n, st->owners,
 * owners_scanned) and fill st's scan counters. memo_at finds a memo again
 * by the memo_idx it was given with.
 */
void owner_walk_end(struct owner_walk *w, struct owner_memo *(*memo_at)(void *arg, size_t idx),
		    void *arg);

#endif
