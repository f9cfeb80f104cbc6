/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Column tables: every column of every entity table (sockets, processes,
 * slab caches, vmalloc callers) is one row of data here: id, title, width,
 * unit kind, default sort direction, which snapshot sections it needs, and a
 * numeric and/or text getter. The TUI table and batch output (--sort, --top)
 * both sort and print through these, so a column is defined in one place.
 * Values that a snapshot lacks are "missing" (printed "-"), never zero.
 */
#ifndef LEAKTOP_FIELDS_H
#define LEAKTOP_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diff.h"
#include "snapshot.h"

struct suspect_list;
struct tracker;

enum field_unit {
	FU_TEXT,		/* text getter only; sorted by text */
	FU_STATE,		/* a short state word; sorted by its numeric code */
	FU_BYTES,		/* bytes, printed by format_bytes (6 columns) */
	FU_COUNT,		/* a count, printed by format_count */
	FU_ID,			/* a number printed in full (pid, inode, uid) */
	FU_DELTA_BYTES,		/* signed bytes B - A, format_delta_bytes (7 columns) */
	FU_DELTA_COUNT,		/* signed count B - A */
	FU_RATE_BYTES,		/* signed bytes per second, format_rate_bytes */
	/* The trend engine's growth: signed, per hour (counts of a few a
	 * minute stay whole numbers), printed per minute ("+64.0K/m"). */
	FU_GROWTH_BYTES,
	FU_GROWTH_COUNT,
	FU_PERCENT,		/* 0..100 */
};

/*
 * One row of a table as the getters see it: the entity in the later
 * snapshot (b) and the same entity in the earlier one (a). Either may be
 * NULL: a is NULL when there is no earlier sample or the row is NEW, b is
 * NULL when the row is GONE. status is an enum diff_status.
 */
struct field_row {
	const void *b;
	const void *a;
	uint8_t status;
};

/* What the getters may look at besides the row: the two snapshots (for
 * owner names, unix paths) and the seconds between them (for rates). */
struct field_ctx {
	const struct snapshot *a;	/* may be NULL */
	const struct snapshot *b;
	double interval_s;		/* 0 when there is no a */
	/* The trend engine that has seen b as its newest sample, for the
	 * growth columns; NULL: they are missing (a frozen older view, a
	 * diff, no engine). Not const: estimates are cached in it. */
	struct tracker *tracker;
};

struct field {
	const char *id;		/* stable machine name: "--sort rmem", settings file, JSON key */
	const char *title;	/* at most width characters */
	const char *help;	/* one line for the column chooser and the man page */
	uint8_t unit;		/* enum field_unit */
	bool desc;		/* default sort direction: largest first */
	unsigned int needs;	/* enum snap_section bits the value needs */
	/* Presentation: used by the TUI and the text report only; the values
	 * and JSON do not depend on these. */
	int width;		/* printed width; text longer than this is cut by the view */
	bool left;		/* left-aligned (text) */
	bool shown;		/* among the default columns */
	/* Numeric value; false when missing. NULL for pure text columns. */
	bool (*num)(const struct field_ctx *c, const struct field_row *r, int64_t *out);
	/* Text value, sanitized; NULL when the unit's number formatting applies.
	 * Returns false when missing (out is then "-"). */
	bool (*text)(const struct field_ctx *c, const struct field_row *r, char *out, size_t sz);
};

struct field_table {
	const char *name;		/* "sockets", "processes", "slab", "vmalloc" */
	const struct field *v;
	size_t n;
	const char *default_sort;	/* column id */
	unsigned int needs;		/* sections needed for the table at all */
	/* The entities of one snapshot. */
	size_t (*count)(const struct snapshot *s);
	const void *(*at)(const struct snapshot *s, size_t i);
	/* The diff rows that pair this table's entities. */
	const struct diff_rows *(*diff_rows)(const struct diff *d);
	/* Identity of an entity across samples (inode+cookie, pid+starttime,
	 * a hash of the name): selection follows it. */
	void (*key)(const void *entity, uint64_t key[2]);
};

extern const struct field_table fields_sockets;
extern const struct field_table fields_procs;
extern const struct field_table fields_slab;
extern const struct field_table fields_vmalloc;
extern const struct field_table fields_cgroups;	/* cgroup_fields.c */

/* The Suspects tab: its entities are the suspects of one sample (struct
 * suspect), not a snapshot's: rows come from fields_suspect_rows, and
 * count, at and diff_rows are NULL. Not in fields_tables. */
extern const struct field_table fields_suspects;
/* One row per suspect of l, in rank order; *out is a fresh array to free(). */
size_t fields_suspect_rows(const struct suspect_list *l, struct field_row **out);

/* NULL-terminated list of the tables above. */
extern const struct field_table *const fields_tables[];

/* By id, or NULL. */
const struct field *fields_find(const struct field_table *t, const char *id);
/* Index of id in t, or -1. */
int fields_index(const struct field_table *t, const char *id);
const struct field_table *fields_table_find(const char *name);

/* The entity the row shows: b, or a for a GONE row. */
const void *fields_entity(const struct field_row *r);
/* The snapshot that holds it: c->b, or c->a for a GONE row. */
const struct snapshot *fields_snapshot(const struct field_ctx *c, const struct field_row *r);
/* For getters of other tables: B - A of get (a NEW row from zero, a GONE
 * row down to zero; missing without an earlier sample), and that per
 * second of the interval. */
bool fields_delta(const struct field_row *r, bool (*get)(const void *e, int64_t *v),
		  int64_t *out);
bool fields_rate(const struct field_ctx *c, const struct field_row *r,
		 bool (*get)(const void *e, int64_t *v), int64_t *out);
/* Numeric value of f for r; false when missing or when f is text only. */
bool fields_value(const struct field *f, const struct field_ctx *c, const struct field_row *r,
		  int64_t *out);
/* The printed form, "-" when missing; out always NUL-terminated. */
void fields_format(const struct field *f, const struct field_ctx *c, const struct field_row *r,
		   char *out, size_t sz);
/* Ascending order of a and b by f: missing values before every present one,
 * text by strcmp. Total: equal only when both values are equal. */
int fields_compare(const struct field *f, const struct field_ctx *c, const struct field_row *a,
		   const struct field_row *b);
/* Sort rows by f (desc: largest first; missing rows always last); rows with
 * equal values keep their order. Each value is computed once. */
void fields_sort(const struct field *f, bool desc, const struct field_ctx *c,
		 struct field_row *rows, size_t n);
/*
 * The first top rows of a full fields_sort, put at the front of rows in that
 * order (the rest are left in no particular order), in O(n log top) time and
 * O(top) memory: batch --top 25 over 100k sockets sorts nothing else. top 0
 * or over FIELDS_TOP_MAX sorts everything. Returns how many are in front.
 */
#define FIELDS_TOP_MAX 4096
size_t fields_top(const struct field *f, bool desc, const struct field_ctx *c,
		  struct field_row *rows, size_t n, size_t top);

/*
 * The rows of table t: paired from d when d is given (GONE rows kept only
 * when keep_gone, SAME rows dropped when changed_only), else every entity
 * of b with a = NULL. Returns the count; *out is a fresh array to free().
 */
size_t fields_rows(const struct field_table *t, const struct diff *d, const struct snapshot *b,
		   bool keep_gone, bool changed_only, struct field_row **out);
/* True when d pairs t's rows with an earlier sample (d has one, and both
 * samples hold t's sections); otherwise the rows carry no deltas. */
bool fields_paired(const struct field_table *t, const struct diff *d);
/* The context for rows of d (or of b alone when d is NULL). */
void fields_ctx(const struct diff *d, const struct snapshot *b, struct field_ctx *out);

#endif
