/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * diff(A, B): what changed from snapshot A to snapshot B, section by
 * section. Tables are matched by key with a merge-join (slab cache by name,
 * vmalloc by caller+kind, socket by sock_identity, process by pid+start
 * time); every row says whether it is NEW (only in B), GONE (only in A) or
 * in both, with deltas B - A and rates per second. The diff holds references
 * to A and B, so row indexes point into them.
 */
#ifndef LEAKTOP_DIFF_H
#define LEAKTOP_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "memderive.h"
#include "snapshot.h"

enum diff_status {
	DIFF_SAME,	/* in both, nothing changed */
	DIFF_CHANGED,	/* in both */
	DIFF_NEW,	/* only in B */
	DIFF_GONE,	/* only in A */
};

/* One matched row: index into A's and B's table (SIZE_MAX when absent). */
struct diff_row {
	size_t a, b;
	uint8_t status;		/* enum diff_status */
	int64_t d_bytes;	/* slab: bytes; vmalloc: RAM; tmpfs: used; socks: sock_mem; procs: rss + sock_mem;
				 * cgroups: current */
	int64_t d_count;	/* slab: objects; vmalloc: areas; socks: rqueue; procs, cgroups: sockets */
};

struct diff_rows {
	struct diff_row *v;
	size_t n;
	size_t n_new, n_gone, n_changed;
};

struct mem_delta {
	int64_t d;		/* B - A */
	double rate_per_s;	/* d / interval */
	bool present;		/* present in both */
};

struct net_counter_delta {
	const char *name;	/* points into B */
	uint64_t value;		/* in B */
	int64_t d;
	double rate_per_s;
};

struct field_table;
struct field_row;

/* The rows of one table of a diff, in one sort order, made where the diff
 * was made (a thread decoding history ahead): the step that shows the diff
 * then only draws. Empty (rows NULL) when none were made. */
struct diff_sorted_rows {
	const struct field_table *ft;	/* fields_rows(ft, d, d->b, false, false) */
	size_t sort;			/* sorted by ft->v[sort] (fields_sort) */
	bool desc;
	struct field_row *rows;		/* freed with the diff unless taken */
	size_t n;
};

struct diff {
	struct snapshot *a, *b;	/* referenced */
	struct diff_sorted_rows sorted;
	double interval_s;
	/* enum snap_section bits sampled in both A and B. A table whose section
	 * A lacks has no earlier sample: views show no deltas for it (the user
	 * just switched to that view). Slab, vmalloc and tmpfs rows are then
	 * all NEW; socket and process rows are not built (n = 0). */
	unsigned int both;
	struct mem_delta cls[MEM_CLASS_COUNT];
	struct mem_delta extra[MEM_X_COUNT];
	struct mem_delta *meminfo;	/* per B.meminfo field, same order */
	struct diff_rows slab;
	struct diff_rows vmalloc;
	struct diff_rows tmpfs;
	struct diff_rows socks;
	struct diff_rows procs;
	struct diff_rows cgroups;	/* by (hier, path), the v2 id breaking ties */
	struct net_counter_delta *counters;	/* per B.tcp.counters */
	size_t ncounters;
	struct mem_delta tcp_mem_bytes, tcp_orphan, tcp_tw, tcp_inuse;
	int64_t d_tcp_states[16];
};

/* Compute B - A. a may be NULL (no previous sample): every row is NEW and
 * deltas are 0 with present = false. Returns a diff holding refs to both. */
struct diff *diff_compute(struct snapshot *a, struct snapshot *b);
void diff_free(struct diff *d);
const char *diff_status_name(enum diff_status s);	/* "same", "changed", "new", "gone" */

#endif
