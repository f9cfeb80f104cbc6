/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Sockets tab: every socket of every family (sock_diag, or /proc/net
 * where netlink is not available), sorted by the kernel memory it holds.
 * Owners come from the /proc/PID/fd walk, asked for only while the owner
 * column is shown or a drill-down is open.
 */
#include "config.h"

#include "drill.h"
#include "tabs.h"

static void sockets_drill(struct app *a, const struct field_row *r)
{
	const struct sock_entry *s = fields_entity(r);

	drill_push(a, DRILL_SOCK, s->inode, s->cookie, NULL);
}

const struct tab tab_sockets = {
	.name = "sockets",
	.title = "Sockets",
	.needs = SNAP_SOCKETS,
	.missing_src = SRC_SOCKETS,
	.fields = &fields_sockets,
	.diff_sort = "dskmem",
	.rows = tab_cgroups_member_rows,
	.rows_kept = true,
	.drill = sockets_drill,
};
