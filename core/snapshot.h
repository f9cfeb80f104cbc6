/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A snapshot: one timestamped, immutable sample of everything leaktop reads.
 * Made by sampler_tick, then only read; shared by the history ring, the
 * marks A and B and the frozen view through a reference count. Each section
 * is either present or named in `notes` as NOTE_MISSING with the reason
 * ("slabinfo": "permission denied (needs root)"), so views show what is
 * missing instead of zeros.
 */
#ifndef LEAKTOP_SNAPSHOT_H
#define LEAKTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cgroup_scan.h"
#include "meminfo.h"
#include "memderive.h"
#include "notes.h"
#include "proc.h"
#include "slabinfo.h"
#include "sock.h"
#include "tcpmem.h"
#include "tmpfs.h"
#include "vmalloc.h"
#include "vmstat.h"

/* Section names: the `source` of a NOTE_MISSING note and the JSON keys. */
#define SRC_MEMINFO "meminfo"
#define SRC_SLABINFO "slabinfo"
#define SRC_SLABMERGE "slab_merge"
#define SRC_VMALLOC "vmallocinfo"
#define SRC_VMSTAT "vmstat"
#define SRC_ZONEINFO "zoneinfo"
#define SRC_TMPFS "tmpfs"
#define SRC_SYSV_SHM "sysv_shm"
#define SRC_SOCKETS "sockets"
#define SRC_OWNERS "owners"
#define SRC_PROCESSES "processes"
#define SRC_TCP "tcp"
#define SRC_CGROUPS "cgroups"

enum snap_section {
	SNAP_MEM = 1 << 0,
	SNAP_SLAB = 1 << 1,
	SNAP_VMALLOC = 1 << 2,
	SNAP_TMPFS = 1 << 3,
	SNAP_SOCKETS = 1 << 4,
	SNAP_OWNERS = 1 << 5,	/* socket owners via the /proc/<pid>/fd walk */
	SNAP_PROCS = 1 << 6,
	SNAP_TCP = 1 << 7,
	SNAP_PSS = 1 << 8,	/* smaps_rollup per process */
	/* Output only: the trend engine's suspects. Sampling for it reads
	 * SNAP_SUSPECT_SOURCES whatever else was asked for. */
	SNAP_SUSPECTS = 1 << 9,
	SNAP_CGROUPS = 1 << 10,	/* the memory controller's cgroups, both hierarchies */
	/* TCP sockets with their tcp_info. Filling it is a third of a
	 * sample's CPU at 100k sockets, and only a socket's page and the batch
	 * report show it: the TUI asks for it while a socket page is open,
	 * batch and --record with the sockets. */
	SNAP_TCPINFO = 1 << 11,
	SNAP_ALL = (1 << 12) - 1,
};

/* What the suspects are built from. */
#define SNAP_SUSPECT_SOURCES \
	(SNAP_MEM | SNAP_SLAB | SNAP_VMALLOC | SNAP_TMPFS | SNAP_SOCKETS | SNAP_OWNERS | SNAP_PROCS | \
	 SNAP_TCP | SNAP_CGROUPS)
/* The parts of a sample whose wall time is kept (snapshot.self.phase_ns). */
enum snap_phase {
	PHASE_MEMORY,		/* meminfo, zoneinfo, vmstat, vmallocinfo */
	PHASE_SLAB,		/* slabinfo and the merged caches */
	PHASE_TMPFS,		/* mountinfo, statfs, SysV shm */
	PHASE_SOCKETS,		/* the sock_diag dumps and /proc/net */
	PHASE_PROCS,		/* the process scan with the fd walk */
	PHASE_OWNERS,		/* attaching the fd walk's sockets to the socket table */
	PHASE_TCP,		/* sockstat, tcp_mem, netstat */
	PHASE_CGROUPS,		/* the cgroup walk and its joins */
	PHASE_COUNT,
};

/* What leaktop itself cost for a sample. */
struct snap_self {
	uint64_t cpu_ns;		/* CPU time of every sampling thread (user + system) */
	uint64_t rss_bytes;		/* leaktop's own resident set after the sample; 0 unknown */
	uint64_t phase_ns[PHASE_COUNT];	/* wall time per phase; 0 when not run. The socket
					 * dump and the process scan may overlap in time */
	bool concurrent;		/* the dump and the fd walk ran side by side */
};

struct snapshot {
	/* Atomic: the sampling thread and the UI hold references to the same
	 * snapshots (the worker diffs each sample against the one before). */
	_Atomic int refs;
	uint64_t seq;			/* 1, 2, 3... per sampler */
	struct timespec t_real;		/* CLOCK_REALTIME at the start of the sample */
	uint64_t t_mono_ns;		/* CLOCK_MONOTONIC, for rates */
	uint64_t duration_ns;		/* how long the sample took */
	struct snap_self self;
	long page_size;
	unsigned int sections;		/* enum snap_section bits that were asked for */

	struct meminfo meminfo;
	struct mem_derived mem;
	struct vmstat vmstat;		/* with the per-CPU free count of zoneinfo */
	struct slab_table slab;
	struct vmalloc_table vmalloc;
	struct tmpfs_table tmpfs;
	struct sysv_shm shm;
	struct sock_table socks;
	struct proc_table procs;
	struct tcpmem tcp;
	uint32_t tcp_states[16];	/* TCP sockets per state (index = TCP_* number) */
	struct cgroup_table cgroups;

	struct notes notes;		/* NOTE_MISSING per absent section, NOTE_WARN for skipped parts */
};

struct snapshot *snapshot_new(void);
struct snapshot *snapshot_ref(struct snapshot *s);
void snapshot_unref(struct snapshot *s);
/* "memory", "slab", ... for enum snap_phase; NULL out of range. */
const char *snapshot_phase_name(unsigned int phase);
/* Bytes a decoded snapshot holds in its big arrays, roughly: what keeping
 * one more costs. */
size_t snapshot_mem_bytes(const struct snapshot *s);
/* True unless the source was noted missing (see SRC_*). */
bool snapshot_has(const struct snapshot *s, const char *src);
/* Seconds from a to b (monotonic). */
double snapshot_interval_s(const struct snapshot *a, const struct snapshot *b);
/* Every section of a and b compared field by field (the field tables of
 * the sample encoding), pointers by content; false with the first
 * difference described in why. seq and times count, refs do not. */
bool snapshot_equal(const struct snapshot *a, const struct snapshot *b, char *why, size_t sz);

#endif
