/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The generic row-table delta coder of the sample encoding. Each section of
 * a snapshot is a table of rows described by a field table (codec_tables.c):
 * offset, size and kind of each field, and how rows are matched with the
 * previous sample's (an identity order, or position). A table is coded as
 * runs over a merge-join with the previous sample's table:
 *
 *   run    = varint(count << 2 | op), then the rows of a NEW or CHANGE run
 *   KEEP   = prev rows copied         GONE = prev rows dropped
 *   NEW    = every field, in field order (integers zigzag, strings by id)
 *   CHANGE = per changed field varint(gap << 1 | more) with gap the fields
 *            skipped since the last one, then its value: zigzag delta
 *            (integers) or string id
 *
 * Prev rows left after the last run are kept, so an unchanged table costs
 * nothing. The output reproduces the table's order exactly even when rows
 * are not sorted as cmp says (they only cost more then).
 *
 * Singleton tables (set_rows NULL) describe scalars of struct snapshot
 * itself: one row, integers only.
 */
#ifndef LEAKTOP_CODEC_ROWS_H
#define LEAKTOP_CODEC_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "codec_strings.h"
#include "codec_wire.h"
#include "snapshot.h"

enum codec_kind {
	CF_INT,		/* unsigned or signed integer of size 1, 2, 4 or 8 (bool, enum, char too) */
	CF_RUN,		/* uint32 offset into an array laid out in row order, with its
			 * count at off2: coded as the gap after the previous row's run */
	CF_CHARS,	/* char[size], NUL-terminated unless full */
	CF_STR,		/* char *, malloc'd per row, may be NULL */
	CF_POOLSTR,	/* char * into the table's string pool (codec_table.pool), may be NULL */
	CF_FN,		/* bytes made and restored by hooks (codec_field.get/put); off
			 * and size name the members they code (size 0: none), for
			 * the coverage test only */
};

struct codec_field {
	const char *name;
	uint32_t off;
	uint16_t size;
	uint8_t kind;
	uint32_t off2;		/* CF_RUN: offset of the uint32 count */
	/* CF_FN: the field's value as bytes appended to out; put restores it
	 * into a row of s (0, or -1 when the bytes are not a valid value). */
	void (*get)(const struct snapshot *s, const void *row, struct buf *out);
	int (*put)(struct snapshot *s, void *row, const char *p, size_t len);
	/* CF_FN, optional: the value of src's row srow into dst's row (whose
	 * other fields are final); the shortcut of get + put that makes
	 * decoding unchanged rows cheap. */
	void (*copy)(struct snapshot *dst, void *row, const struct snapshot *src, const void *srow);
};

/* A char pool owned by the table (proc cmdlines): offsets in struct snapshot. */
struct codec_pool {
	size_t data, len, cap;
};

/* At most this many fields per table (the coder keeps per-field state on the stack). */
#define CODEC_MAX_FIELDS 256

struct codec_table {
	const char *name;
	bool memory;		/* a memory section (for the size figures) */
	size_t row_size;
	const struct codec_field *f;
	size_t nf;
	int (*cmp)(const void *a, const void *b);	/* NULL: matched by position */
	/* instead of cmp, for rows whose key is in a pool of their snapshot */
	int (*cmp_in)(const struct snapshot *sa, const void *a, const struct snapshot *sb,
		      const void *b);
	const void *(*rows)(const struct snapshot *s, size_t *n);
	void (*set_rows)(struct snapshot *s, void *v, size_t n);	/* NULL: singleton */
	const struct codec_pool *pool;
};

/* Append len bytes and a NUL to the pool pl of s; returns their offset. */
size_t codec_pool_add(struct snapshot *s, const struct codec_pool *pl, const char *p, size_t len);

extern const struct codec_table *const codec_tables[];
extern const size_t codec_ntables;

/* Field helpers shared by the coder and snapshot_equal. */
uint64_t codec_int_get(const void *row, const struct codec_field *f);
/* CF_RUN: the offset minus where the previous row's run ended. */
uint64_t codec_run_gap(const void *rows, size_t i, size_t row_size, const struct codec_field *f);
/* Any string-like field as bytes; false for a NULL pointer. */
bool codec_str_get(const struct snapshot *s, const void *row, const struct codec_field *f,
		   struct buf *scratch, const char **p, size_t *len);
/* Whether field f of two rows holds the same value (CF_RUN by gap). */
bool codec_field_same(const struct snapshot *sa, const void *ra_rows, size_t ia,
		      const struct snapshot *sb, const void *rb_rows, size_t ib,
		      const struct codec_table *t, const struct codec_field *f,
		      struct buf *sa_scratch, struct buf *sb_scratch);

struct codec_enc_ctx {
	struct str_dict *dict;
	struct buf scratch[2], row;
};

/* Append table t of cur, as a delta from prev (NULL: from nothing), to out. */
void codec_table_encode(struct codec_enc_ctx *c, const struct codec_table *t,
			const struct snapshot *prev, const struct snapshot *cur, struct buf *out);
/* Decode the table of body into dst; prev NULL for a keyframe. Returns 0,
 * or -1 with a message in err. */
int codec_table_decode(const struct str_dict *dict, const struct codec_table *t,
		       const struct snapshot *prev, struct snapshot *dst, struct wire_in *in,
		       struct buf *scratch, char *err, size_t errsz);

#endif
