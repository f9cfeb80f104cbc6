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

/* Section names: the `source` of a NOTE_MISSING note and the JSON keys. */
#define SRC_MEMINFO "meminfo"
#define SRC_SLABINFO "slabinfo"
#define SRC_SLABMERGE "slab_merge"
#define SRC_VMALLOC "vmallocinfo"
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
	SNAP_CGROUPS = 1 << 9,	/* the memory controller's cgroups, both hierarchies */
	SNAP_ALL = (1 << 10) - 1,
};

struct snapshot {
	int refs;
	uint64_t seq;			/* 1, 2, 3... per sampler */
	struct timespec t_real;		/* CLOCK_REALTIME at the start of the sample */
	uint64_t t_mono_ns;		/* CLOCK_MONOTONIC, for rates */
	uint64_t duration_ns;		/* how long the sample took */
	long page_size;
	unsigned int sections;		/* enum snap_section bits that were asked for */

	struct meminfo meminfo;
	struct mem_derived mem;
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
/* True unless the source was noted missing (see SRC_*). */
bool snapshot_has(const struct snapshot *s, const char *src);
/* Seconds from a to b (monotonic). */
double snapshot_interval_s(const struct snapshot *a, const struct snapshot *b);

#endif
