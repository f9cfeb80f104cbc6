/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cgroup table of a sample: every cgroup of the unified (v2) hierarchy
 * and of the v1 hierarchy that holds the memory controller, with what the
 * memory controller charges it (cgroup_parse.h, enum cgroup_val), memory.stat
 * as the kernel printed it, v1's per-cgroup slab caches, and, joined from
 * the socket and process tables of the same sample, its processes and the
 * sockets charged to it (cgroup_join.h).
 *
 * Found through <proc>/self/mountinfo, walked relative to directory fds
 * (openat, fdopendir; a leaf's files as "name/file" from its parent's fd):
 * no path from the mount is built to open anything, and a cgroup removed
 * during the walk is left out without a note. The v2 id of a cgroup
 * is its directory's inode number: the id sock_diag reports for a socket
 * (INET_DIAG_CGROUP_ID) and bpf and systemd use.
 *
 * The row struct is flat (fixed fields and offsets into the table's string
 * pool), so a sample can be written out and read back as it is.
 */
#ifndef LEAKTOP_CGROUP_SCAN_H
#define LEAKTOP_CGROUP_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cgroup_parse.h"
#include "notes.h"
#include "root.h"

#define CG_NONE UINT32_MAX

enum cgroup_flags {
	CGF_UNLIMITED = 1 << 0,	/* memory.max "max", or v1's no-limit value */
	CGF_DENIED = 1 << 1,	/* some of its files were refused */
	CGF_JOINED = 1 << 2,	/* nprocs, nsocks and sock_mem were computed */
	CGF_SOCKS = 1 << 3,	/* ... and the sample had sockets */
};

struct cgroup_entry {
	uint8_t hier;		/* enum cgroup_hier */
	uint8_t flags;		/* enum cgroup_flags */
	uint16_t depth;		/* 0 for the root of its hierarchy */
	uint32_t path_off;	/* into strings: "/" or "/system.slice/ssh.service", raw */
	uint32_t name_off;	/* into strings: cgroup_name() of the path, raw */
	uint32_t parent;	/* index of the parent row, CG_NONE for a root */
	uint64_t id;		/* inode of the cgroup directory (v2: the socket cgroup id) */
	uint32_t present;	/* bit (1u << enum cgroup_val) per value read */
	uint64_t v[CGV_COUNT];	/* bytes, or counts for the CGV_EV_* events */
	uint32_t kv_first, kv_n;	/* memory.stat lines, into kv */
	uint32_t slab_first, slab_n;	/* v1 memory.kmem.slabinfo caches, into slabs */
	uint32_t nprocs;	/* processes in it (CGF_JOINED) */
	uint32_t nsocks;	/* sockets charged to it (CGF_SOCKS) */
	uint64_t sock_mem;	/* their skmem bytes (sock_mem_bytes) */
};

/* One memory.stat line: key_off into strings (keys are stored once). */
struct cgroup_kv {
	uint64_t value;
	uint32_t key_off;
};

/* One cache of v1's memory.kmem.slabinfo. */
struct cgroup_slab {
	uint32_t name_off;
	uint64_t active_objs, num_objs, objsize, bytes;
};

struct cgroup_id_ix {
	uint64_t id;
	uint32_t i;
};

struct cgroup_table {
	struct cgroup_entry *v;	/* sorted by (hier, path), path compared by component:
				 * a parent comes right before its subtree */
	size_t n, cap;
	char *strings;		/* NUL-terminated strings */
	size_t strings_len, strings_cap;
	struct cgroup_kv *kv;
	size_t kv_n, kv_cap;
	struct cgroup_slab *slabs;
	size_t slabs_n, slabs_cap;
	struct cgroup_id_ix *by_id;	/* v2 rows by id */
	size_t by_id_n;
	uint32_t *keys;		/* the distinct memory.stat keys seen (offsets) */
	size_t keys_n, keys_cap;
	uint32_t mount_off[CG_HIER_COUNT];	/* mount point, CG_NONE when absent */
	bool memory[CG_HIER_COUNT];	/* the hierarchy has the memory controller */
	bool v1_systemd;	/* a v1 name=systemd hierarchy exists (hybrid) */
	bool truncated;		/* CG_SCAN_MAX reached, or a deeper tree cut */
};

/* Past this many cgroups the walk stops with a note. */
#define CG_SCAN_MAX 200000
#define CG_SCAN_DEPTH 64

/*
 * The limit (memory.max, v1 memory.limit_in_bytes) and memory.events change
 * rarely but cost two of a v2 cgroup's four file reads. A cgroup re-reads
 * them every CG_SLOW_REFRESH_SCANS scans; in between its row carries the
 * values of the last read, shown as current (so a limit or an event count
 * lags by at most that many samples). The phase of a cgroup comes from its
 * inode, so that the re-reads of a tree made at once are spread over the
 * scans.
 *
 * memory.stat is read when the charge files (memory.current; v1
 * memory.usage_in_bytes and the kmem usage files) differ from what they
 * were at its last read, and on the scans the slow files are read;
 * otherwise its lines are carried. A page charged or uncharged moves
 * memory.current, so the charge columns are exact; its event counters
 * (pgfault, workingset_*, ...) can move with the charge unchanged, and lag
 * by at most CG_SLOW_REFRESH_SCANS samples, as memory.events does.
 *
 * A leaf whose parent's charge files did not move since the last scan is
 * carried whole, without a system call: every charge of a child is charged
 * to its parent too, so a leaf's charge can move under a still parent only
 * when a sibling's moved back by as much in the same interval. Such a leaf
 * keeps the values of its last read (or carry) until its own slow refresh,
 * at most CG_SLOW_REFRESH_SCANS samples later; so does a sub-cgroup made
 * inside a leaf meanwhile (the parent's listing, read every scan, shows new
 * and removed siblings at once, and a leaf made again under the same path
 * has another inode there). A leaf is not carried when its last read gave
 * a note, a refused file or v1 slab caches, nor right under a hierarchy's
 * root (whose charge is no page counter), nor on v1 unless the
 * hierarchy's root says memory.use_hierarchy 1 (charges reach the parents).
 *
 * The cache is keyed by hierarchy, path and inode: a cgroup removed and
 * made again under the same path is another directory and inherits nothing.
 */
#define CG_SLOW_REFRESH_SCANS 8

/* The charge files memory.stat is gated on: their values at its last read. */
#define CG_GATE_FILES 3

struct cgroup_cache_ent {
	uint64_t id;
	uint64_t v[CGV_COUNT];	/* the row's values, for all_present */
	uint64_t gate[CG_GATE_FILES];	/* charge files at the last memory.stat read */
	uint32_t present;	/* the slow values among them */
	uint32_t all_present;	/* every value the row had */
	uint32_t path_off;	/* into the cache's strings */
	uint32_t read_scan;	/* scan of the last read (minus the phase) */
	uint32_t kv_first, kv_n;	/* memory.stat lines as last read, into kv */
	uint8_t gate_present;	/* bit per charge file read */
	uint8_t hier;
	uint8_t flags;		/* CGF_UNLIMITED as read */
	bool stat_kept;		/* memory.stat read whole and clean: kv can stand for it */
	bool leaf;		/* no sub-cgroup when last read */
	bool row_kept;		/* that read was clean: the row can be carried whole */
};

/* A carried memory.stat line: key index into the cache's keys. */
struct cgroup_cache_kv {
	uint64_t value;
	uint32_t key;
};

struct cgroup_cache_key {
	uint32_t off, len;	/* into the cache's keys */
};

/* Zero-initialised before the first scan; rows in table order. */
struct cgroup_cache {
	struct cgroup_cache_ent *v, *nv;	/* the last scan's rows; the ones being made */
	size_t n, cap, nn, ncap;
	char *strings, *nstrings;
	size_t strings_len, strings_cap, nstrings_len, nstrings_cap;
	struct cgroup_cache_kv *kv, *nkv;	/* memory.stat lines of v and of nv */
	size_t kv_n, kv_cap, nkv_n, nkv_cap;
	char *keys;		/* memory.stat keys met, NUL-terminated, all scans */
	size_t keys_len, keys_cap;
	struct cgroup_cache_key *key;	/* by key index */
	size_t key_n, key_cap;
	size_t cursor;		/* into v: rows before it sort before the walk's position */
	uint32_t scan;
	uint64_t slow_reads;	/* cgroups whose slow files were read, all scans */
	uint64_t stat_reads;	/* cgroups whose memory.stat was read, all scans */
	uint64_t carried;	/* leaves carried whole, all scans */
	size_t last_n, last_strings, last_kv;	/* the last table's sizes: the next is made that big */
};

/*
 * Read the cgroups under r into t (previous content freed). A hierarchy
 * that is not mounted is simply absent; neither being mounted is a
 * NOTE_MISSING "cgroups" that says so. Refused files are one NOTE_WARN
 * with their count. cache NULL reads every file of every cgroup.
 */
void cgroup_scan(const struct root *r, struct cgroup_table *t, struct cgroup_cache *cache,
		 struct notes *notes);
void cgroup_table_free(struct cgroup_table *t);
void cgroup_cache_free(struct cgroup_cache *c);

const char *cgroup_str(const struct cgroup_table *t, uint32_t off);
static inline const char *cgroup_path(const struct cgroup_table *t, const struct cgroup_entry *e)
{
	return cgroup_str(t, e->path_off);
}
static inline const char *cgroup_entry_name(const struct cgroup_table *t,
					    const struct cgroup_entry *e)
{
	return cgroup_str(t, e->name_off);
}
static inline bool cgroup_has(const struct cgroup_entry *e, enum cgroup_val v)
{
	return e->present & (1u << v);
}
const char *cgroup_hier_name(enum cgroup_hier h);	/* "v2", "v1" */

/* The row of (hier, path), or NULL. path as /proc/PID/cgroup gives it. */
const struct cgroup_entry *cgroup_table_find(const struct cgroup_table *t, enum cgroup_hier h,
					     const char *path, size_t len);
/* The v2 row with this id, or NULL. */
const struct cgroup_entry *cgroup_table_find_id(const struct cgroup_table *t, uint64_t id);
/* Order of (hier, path) as the table is sorted: -1, 0, 1. */
int cgroup_entry_cmp(const struct cgroup_table *ta, const struct cgroup_entry *a,
		     const struct cgroup_table *tb, const struct cgroup_entry *b);

/* Building a table (the scanner, tests): append a row for (hier, path)
 * with its name; returns it (valid until the next append). Rows must be
 * appended in table order; cgroup_table_finish builds the id index. */
struct cgroup_entry *cgroup_table_add(struct cgroup_table *t, enum cgroup_hier h,
				      const char *path, uint64_t id);
uint32_t cgroup_table_add_string(struct cgroup_table *t, const char *s, size_t len);
/* The offset of a memory.stat key, stored once per table (keys); hint: the
 * line it was on. CG_NONE when the pool is full. */
uint32_t cgroup_table_intern_key(struct cgroup_table *t, size_t hint, const char *key, size_t n);
void cgroup_table_finish(struct cgroup_table *t);

#endif
