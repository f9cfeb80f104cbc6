/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The process scan: every <proc>/PID into a proc_table, with a cache kept
 * between samples so a warm scan does not redo what rarely changes, and on
 * request the fd walk of owner_walk.h.
 */
#ifndef LEAKTOP_PROC_SCAN_H
#define LEAKTOP_PROC_SCAN_H

#include "notes.h"
#include "owner_walk.h"
#include "proc.h"
#include "root.h"
#include "sock.h"

/*
 * cmdline can change (exec, setproctitle) but reading it for every process on
 * every tick is the costliest part of a warm scan: it is re-read when comm
 * changes (exec renames the task) and otherwise every this many scans, the
 * first time after (this - pid % this) scans so the re-reads are spread.
 */
#define PROC_CMDLINE_REFRESH_SCANS 10

/*
 * status (uid, VmRSS, VmSwap, threads) is not re-read for a process whose
 * stat line is byte-identical to the one of its last status read (see
 * proc_scan.c for why that is safe), except every this many scans, phased
 * by pid as cmdline is.
 */
#define PROC_STATUS_REFRESH_SCANS 10

/*
 * The per-process state kept between samples (cmdline, what the last fd walk
 * found) and the buffers a scan reuses. Entries of processes not seen in a
 * scan are dropped.
 */
struct proc_cache;
struct proc_cache *proc_cache_new(void);
void proc_cache_free(struct proc_cache *c);

enum proc_scan_flags {
	PROC_SCAN_FDS = 1 << 0,		/* walk /proc/PID/fd: owners, fd and socket counts */
	PROC_SCAN_PSS = 1 << 1,		/* read smaps_rollup (costly for big processes) */
	PROC_SCAN_DEFER_OWNERS = 1 << 2, /* with FDS: st is not read during the scan (another
					  * thread is filling it); proc_scan_attach_owners
					  * attaches the owners afterwards */
};

/*
 * Scan every process under r into pt (its previous content is freed); with
 * PROC_SCAN_FDS also fill the owners of the sockets in st
 * (sock_entry.owner_first/owner_n, st->owners, st->owners_scanned) and each
 * process's fd and socket counts and socket memory. st may be NULL. A
 * missing proc is a NOTE_MISSING "processes"; refused fd directories are one
 * NOTE_WARN "owners" with their count. A process that exits or whose pid is
 * reused during the scan is left out without a note.
 */
void proc_scan(const struct root *r, struct proc_cache *c, unsigned int flags,
	       struct proc_table *pt, struct sock_table *st, struct notes *notes);
/* True when the next owner scan walks every process: only such a scan may
 * use PROC_SCAN_DEFER_OWNERS (an incremental one needs the table to decide
 * what to skip). */
bool proc_scan_owners_full(const struct proc_cache *c);
/* After a PROC_SCAN_DEFER_OWNERS scan into pt: attach the owners found to the
 * finished st, as proc_scan would have. A no-op after any other scan. */
void proc_scan_attach_owners(struct proc_cache *c, struct sock_table *st);

#endif
