/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "export_rows.h"

#include <stdlib.h>

const struct export_table export_sockets = {
	.t = &fields_sockets, .section = SNAP_SOCKETS,
};

/* Processes by socket memory (the question no other tool answers), ties by
 * RSS. */
const struct export_table export_procs = {
	.t = &fields_procs, .section = SNAP_PROCS, .src = SRC_PROCESSES,
	.order = { "sockmem", "rss" },
};

/* Caches and vmalloc callers by growth: the growers are what the user is
 * hunting. With no previous sample there is no growth, so by size. */
const struct export_table export_slab = {
	.t = &fields_slab, .section = SNAP_SLAB, .src = SRC_SLABINFO, .keep_gone = true,
	.order = { "dbytes", "bytes" },
};

const struct export_table export_vmalloc = {
	.t = &fields_vmalloc, .section = SNAP_VMALLOC, .src = SRC_VMALLOC,
	.order = { "dbytes", "bytes" },
};

/* Cgroups by growth of what they are charged, then by size. */
const struct export_table export_cgroups = {
	.t = &fields_cgroups, .section = SNAP_CGROUPS, .src = SRC_CGROUPS, .keep_gone = true,
	.order = { "dcurrent", "current" },
};

bool export_table_present(const struct export_table *et, const struct snapshot *s)
{
	return (s->sections & et->section) && (!et->src || snapshot_has(s, et->src));
}

size_t export_rows(const struct export_table *et, const struct diff *d,
		   const struct export_opts *o, size_t limit, struct field_row **rows,
		   struct field_ctx *ctx)
{
	size_t n = fields_rows(et->t, d, d->b, et->keep_gone, false, rows);
	const struct field *by = o->sock_sort;
	bool desc = by && by->desc != o->sock_reverse;

	fields_ctx(fields_paired(et->t, d) ? d : NULL, d->b, ctx);
	if (et->order[0]) {
		by = fields_find(et->t, et->order[0]);
		desc = true;
		/* Stable sorts: the tie-breaker first. */
		if (et->order[1])
			fields_sort(fields_find(et->t, et->order[1]), true, ctx, *rows, n);
	}
	if (by)
		return fields_top(by, desc, ctx, *rows, n, limit);
	return limit && limit < n ? limit : n;
}

const char *export_row_status(const struct export_table *et, const struct diff *d,
			      const struct field_row *r)
{
	return fields_paired(et->t, d) ? diff_status_name(r->status) : "first";
}
