/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Joins between the socket table and the processes of one snapshot, through
 * the owner records of the /proc/PID/fd walk: the sockets a process holds.
 * A process is named by pid and start time, so a reused pid matches nothing.
 */
#ifndef LEAKTOP_SOCKJOIN_H
#define LEAKTOP_SOCKJOIN_H

#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"

struct sockjoin_ref {
	const struct sock_entry *sock;	/* into the snapshot's socket table */
	int32_t fd;			/* the process's first fd on it */
};

/*
 * The sockets pid (started at starttime) holds in s, by socket memory,
 * largest first, into *out (malloc'd, the caller frees; NULL when none).
 * Returns how many. 0 also when the owners were not scanned: ask
 * s->socks.owners_scanned to tell the two apart.
 */
size_t sockjoin_of_proc(const struct snapshot *s, int32_t pid, uint64_t starttime,
			struct sockjoin_ref **out);

#endif
