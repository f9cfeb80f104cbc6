/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The generic table widget over a core/fields table: sorted once per sample
 * (and when the sort changes), filtered once per sample (and when the filter
 * changes), drawn a screenful at a time, so 100k rows cost one sort per tick
 * and nothing per frame. The selection follows the entity's identity across
 * refreshes and filters; a new sort order starts at its first row.
 */
#ifndef LEAKTOP_TABLE_H
#define LEAKTOP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fields.h"

#define TABLE_MAX_FIELDS 64
#define TABLE_FILTER_MAX 128

struct table {
	const struct field_table *ft;
	bool shown[TABLE_MAX_FIELDS];	/* visible columns */
	int sort;			/* field index */
	bool desc;
	struct field_ctx ctx;
	struct field_row *rows;		/* owned; in sort order */
	size_t n;
	size_t *vis;			/* rows passing the filter, indexes into rows */
	size_t nvis, vis_cap;
	size_t sel, top;		/* indexes into vis */
	int hcol;			/* shown columns scrolled off to the left */
	uint64_t sel_key[2];
	bool have_key;
	char filter[TABLE_FILTER_MAX];
	/* The tree view: arrange is called after every sort, before the
	 * filter, to put the rows in tree order (NULL: the sort order stands);
	 * the column tree_col is then indented by indent(row) cells. */
	void (*arrange)(struct field_row *rows, size_t n, const struct field_ctx *c);
	int (*indent)(const struct field_row *r);
	int tree_col;
};

void table_init(struct table *t, const struct field_table *ft);
void table_free(struct table *t);
/* Forget the rows (their snapshots are about to go); keeps sort, filter,
 * columns and the selection's identity. */
void table_drop_rows(struct table *t);
/* Take ownership of rows (malloc'd), sort, filter, restore the selection. */
void table_set_rows(struct table *t, struct field_row *rows, size_t n, const struct field_ctx *c);
/* The same for rows already in the table's order (table_sorted_rows_fit). */
void table_set_sorted_rows(struct table *t, struct field_row *rows, size_t n,
			   const struct field_ctx *c);
/* Whether rows of ft sorted by field sort (desc) are in t's order: the
 * same fields and sort, and no tree to arrange. */
bool table_sorted_rows_fit(const struct table *t, const struct field_table *ft, size_t sort,
			   bool desc);
/* Sort by field index idx; selects the first row. */
void table_set_sort(struct table *t, int idx, bool desc);
/* Step the sort to the next (dir 1) or previous (-1) shown column. */
void table_sort_step(struct table *t, int dir);
void table_reverse(struct table *t);
/* Show the rows as a tree (arrange and indent, see struct table) or, with
 * NULLs, flat in sort order; reorders now and keeps the selected row. */
void table_set_tree(struct table *t,
		    void (*arrange)(struct field_row *rows, size_t n, const struct field_ctx *c),
		    int (*indent)(const struct field_row *r), int tree_col);
void table_set_filter(struct table *t, const char *f);
/* Show or hide a column; the sort column can be hidden. */
void table_toggle_column(struct table *t, int idx);
/* Columns as "id,id,..." and back (settings file). Unknown ids are
 * skipped; returns how many were unknown. */
void table_columns_string(const struct table *t, char *out, size_t sz);
int table_columns_parse(struct table *t, const char *s);

/* diff_marks: a column saying new / gone / changed for every row. */
void table_draw(struct table *t, int y, int x, int h, int w, bool diff_marks);
void table_move(struct table *t, long delta, int h);
void table_hscroll(struct table *t, int dir);
const struct field_row *table_selected(const struct table *t);

#endif
