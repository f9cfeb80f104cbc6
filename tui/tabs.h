/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tabs: one `struct tab` per file (tab_memory.c, tab_slab.c, ...) and the
 * registry `tabs[]` in display order, which is also the 1-8 key order.
 * A table tab names its fields table; a page tab builds a page of lines.
 */
#ifndef LEAKTOP_TABS_H
#define LEAKTOP_TABS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "fields.h"
#include "page.h"

struct tab {
	const char *name;		/* "sockets": settings file, --tab */
	const char *title;		/* "Sockets" */
	unsigned int needs;		/* enum snap_section bits while the tab is shown */
	const char *missing_src;	/* snapshot note source saying why data is missing */
	const struct field_table *fields;	/* NULL for a page tab */
	const char *diff_sort;		/* column the diff view sorts by */
	/* The tab's own default columns ("id,id,..."), when the table's
	 * defaults do not fit 80 columns; NULL: the table's. */
	const char *columns;
	/* Page tabs: fill p from the app's view and diff. */
	void (*build_page)(struct app *a, struct page *p);
	/* Table tabs whose entities are not a snapshot's (Suspects): the rows
	 * of the shown sample (*out to free()); NULL: fields_rows. */
	size_t (*rows)(struct app *a, struct field_row **out);
	/* rows depends on nothing but the view, the diff and the cgroup
	 * filter, and is kept while they are, as fields_rows' rows are; else
	 * it is cheap and built again for each frame that needs it. */
	bool rows_kept;
	/* What an empty table means, in one line; NULL: "(no rows)". */
	void (*empty)(const struct app *a, char *out, size_t sz);
	/* Enter on a row; NULL when the tab has no drill-down. */
	void (*drill)(struct app *a, const struct field_row *r);
};

extern const struct tab tab_suspects, tab_memory, tab_slab, tab_sockets, tab_procs, tab_tcp,
	tab_vmalloc, tab_cgroups;
extern const struct tab *const tabs[TAB_COUNT];

/* The Suspects tab's empty state: what is watched, when a verdict is
 * possible, or that the shown sample's list is no longer kept. */
void tab_suspects_empty(const struct app *a, char *out, size_t sz);
/* The Cgroups tab (tab_cgroups.c). The hierarchy shown: v's choice, else
 * the one that charges memory. */
enum cgroup_hier tab_cgroups_hier(const struct app *a);
/* The row of (hier, id) in t, or NULL. */
const struct cgroup_entry *tab_cgroups_find(const struct cgroup_table *t, uint8_t hier,
					    uint64_t id);
/* The tree order of cgroup rows sorted by a column: every row right before
 * its subtree, siblings in the sort order; rows whose parent is not among
 * them are roots. The indentation of a row's name in cells. */
void tab_cgroups_tree(struct field_row *rows, size_t n, const struct field_ctx *c);
int tab_cgroups_indent(const struct field_row *r);
void tab_cgroups_set_tree(struct app *a, bool on);
/* Show the other hierarchy; false (and a message) when it is not there. */
bool tab_cgroups_switch_hier(struct app *a);
/* Open the Processes or Sockets tab narrowed to the cgroup (hier, id);
 * tab_cgroups_back returns to the cgroup's page. */
void tab_cgroups_open_members(struct app *a, int tab, uint8_t hier, uint64_t id);
void tab_cgroups_back(struct app *a);
/* The rows hook of the Processes and Sockets tabs: every row, or only the
 * cgroup filter's members while it applies to the tab. */
size_t tab_cgroups_member_rows(struct app *a, struct field_row **out);

/* Index of the tab called name (or a unique prefix of it), or -1. */
int tabs_find(const char *name);
void tabs_draw_bar(const struct app *a, int y, int w);
/* The tab's table or page, or the reason its data is missing (the
 * drill-down, when one is open, is drawn by its own module instead). */
void tabs_draw_body(struct app *a, int y, int h, int w);
/* The column chooser of the current table over the body area. */
void tabs_draw_columns(struct app *a, int y, int h, int w);
/* Bytes that may be negative ("-12.0M"), as format_bytes otherwise. */
void tabs_fmt_sbytes(int64_t v, char *out, size_t sz);
/* "ESTAB", "TIME-WAIT"... for a TCP_* state number, NULL when unknown. */
const char *tabs_tcp_state_name(int state);

#endif
