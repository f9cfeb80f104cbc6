/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Processes tab: RSS, PSS (smaps_rollup, read only while this tab is
 * shown), fds, sockets and the socket memory each process holds.
 */
#include "config.h"

#include "drill.h"
#include "tabs.h"

static void procs_drill(struct app *a, const struct field_row *r)
{
	const struct proc_entry *p = fields_entity(r);

	drill_push(a, DRILL_PROC, (uint64_t)(uint32_t)p->pid, p->starttime, NULL);
}

const struct tab tab_procs = {
	.name = "processes",
	.title = "Processes",
	.needs = SNAP_PROCS,
	.missing_src = SRC_PROCESSES,
	.fields = &fields_procs,
	.diff_sort = "drss",
	.rows = tab_cgroups_member_rows,
	.rows_kept = true,
	.drill = procs_drill,
};
