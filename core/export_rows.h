/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The entity tables of a batch report (sockets, processes, slab caches,
 * vmalloc callers, cgroups) as both formats share them: which snapshot section and
 * source hold each, which rows are listed and in what order. The columns
 * themselves are the field tables (fields.h); the formats only print them.
 */
#ifndef LEAKTOP_EXPORT_ROWS_H
#define LEAKTOP_EXPORT_ROWS_H

#include <stdbool.h>
#include <stddef.h>

#include "export.h"
#include "fields.h"

struct export_table {
	const struct field_table *t;
	unsigned int section;	/* SNAP_* bit that asks for the table */
	const char *src;	/* SRC_* whose absence makes it missing; NULL: never */
	bool keep_gone;		/* list rows that vanished since the previous sample */
	/* Largest first by order[0], ties by order[1] (NULL: none); sockets
	 * have no order of their own: --sort decides, else inode order. */
	const char *order[2];
};

extern const struct export_table export_sockets;
extern const struct export_table export_procs;
extern const struct export_table export_slab;
extern const struct export_table export_vmalloc;
extern const struct export_table export_cgroups;

/* The table was asked for (section) and its source was read. */
bool export_table_present(const struct export_table *et, const struct snapshot *s);
/*
 * The rows of et for d in report order, at most limit of them (0: all), at
 * the front of *rows (a fresh array to free()); ctx is filled for them.
 */
size_t export_rows(const struct export_table *et, const struct diff *d,
		   const struct export_opts *o, size_t limit, struct field_row **rows,
		   struct field_ctx *ctx);
/* "same", "changed", "new", "gone"; "first" when nothing was paired. */
const char *export_row_status(const struct export_table *et, const struct diff *d,
			      const struct field_row *r);

#endif
