/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tab registry, the tab bar and the body area: a table tab draws its
 * table (or, when the snapshot lacks the section, "-" and the reason from
 * the snapshot's notes, never an empty table that looks like zero); a page
 * tab draws its page.
 */
#include "config.h"

#include "tabs.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "format.h"
#include "missing.h"
#include "text.h"
#include "theme.h"

const struct tab *const tabs[TAB_COUNT] = {
	[TAB_SUSPECTS] = &tab_suspects,
	[TAB_MEMORY] = &tab_memory, [TAB_SLAB] = &tab_slab, [TAB_SOCKETS] = &tab_sockets,
	[TAB_PROCS] = &tab_procs,   [TAB_TCP] = &tab_tcp,   [TAB_VMALLOC] = &tab_vmalloc,
	[TAB_CGROUPS] = &tab_cgroups,
};

int tabs_find(const char *name)
{
	int found = -1;

	for (int i = 0; i < TAB_COUNT; i++) {
		if (!strcasecmp(tabs[i]->name, name))
			return i;
		if (!strncasecmp(tabs[i]->name, name, strlen(name)) && *name)
			found = found == -1 ? i : -2;
	}
	return found >= 0 ? found : -1;
}

/* Room the tab bar leaves for the interval and sample number on its right. */
#define BAR_RIGHT_ROOM 10

/* A tab's label: whole and padded when cut < 0 or for the active tab,
 * else its title cut to cut characters. Returns its width and the gap. */
static int tab_label(const struct app *a, int i, int cut, char *buf, size_t sz)
{
	bool on = i == a->tab;

	if (on || cut < 0)
		snprintf(buf, sz, on && theme_scheme() == THEME_MONO ? "[%d %s]" : " %d %s ", i + 1,
			 tabs[i]->title);
	else
		snprintf(buf, sz, "%d %.*s", i + 1, cut, tabs[i]->title);
	return text_width(buf) + 1;
}

/* A tab's label: whole and padded when cut < 0 or for the active tab,
 * else its title cut to cut characters. Returns its width and the gap. */
static int bar_width(const struct app *a, int cut)
{
	char buf[64];
	int x = 0;

	for (int i = 0; i < TAB_COUNT; i++)
		x += tab_label(a, i, cut, buf, sizeof(buf));
	return x;
}

/* Inactive tabs lose their padding, then their titles are cut, down to
 * BAR_CUT_MIN characters (so "2 Memory" stays whole). */
#define BAR_CUT_MIN 6

static int bar_cut(const struct app *a, int w)
{
	int cut = 15;

	if (bar_width(a, -1) <= w - BAR_RIGHT_ROOM)
		return -1;
	while (cut > BAR_CUT_MIN && bar_width(a, cut) > w - BAR_RIGHT_ROOM)
		cut--;
	return cut;
}

void tabs_draw_bar(const struct app *a, int y, int w)
{
	char buf[64];
	int x = 0, cut = bar_cut(a, w);

	text_fill(y, 0, w, theme_attr(EL_TAB));
	for (int i = 0; i < TAB_COUNT && x < w; i++) {
		bool on = i == a->tab;

		tab_label(a, i, cut, buf, sizeof(buf));
		x += text_put(y, x, buf, w - x, theme_attr(on ? EL_TAB_ACTIVE : EL_TAB));
		x += 1;
	}
}

void tabs_fmt_sbytes(int64_t v, char *out, size_t sz)
{
	char b[32];

	if (v < 0) {
		format_bytes((uint64_t)(-(v + 1)) + 1, b, sizeof(b));
		snprintf(out, sz, "-%s", b);
	} else {
		format_bytes((uint64_t)v, out, sz);
	}
}

static void draw_missing(int y, int w, const char *src, const char *why)
{
	char buf[512];

	snprintf(buf, sizeof(buf), "-  %s: %s", src, why);
	text_put(y, 0, buf, w, theme_attr(EL_MISSING));
}

void tabs_draw_body(struct app *a, int y, int h, int w)
{
	const struct tab *t = tabs[a->tab];
	const struct snapshot *s = a->diff ? a->diff->b : a->view;
	const char *why;

	if (h <= 0)
		return;
	if (!t->fields) {
		page_draw(&a->pages[a->tab], y, 0, h, w);
		return;
	}
	if (a->cgfilter.on && a->cgfilter.tab == a->tab) {
		char buf[256];

		snprintf(buf, sizeof(buf), "filter: cgroup %s (%s)   Esc: back to the cgroup",
			 a->cgfilter.name, cgroup_hier_name((enum cgroup_hier)a->cgfilter.hier));
		text_fill(y, 0, w, theme_attr(EL_WARN));
		text_put(y, 0, buf, w, theme_attr(EL_WARN));
		y++;
		if (--h <= 0)
			return;
	}
	why = t->missing_src ? missing_reason(s, t->missing_src, t->needs & ~(unsigned int)SNAP_PSS)
			     : NULL;
	if (!why && t->missing_src && a->diff_mode && a->diff && a->diff->a)
		why = missing_reason(a->diff->a, t->missing_src,
					  t->needs & ~(unsigned int)(SNAP_PSS | SNAP_OWNERS));
	if (why) {
		table_draw(&a->tables[a->tab], y, 0, 1, w, a->diff_mode);
		draw_missing(y + 1, w, t->missing_src, why);
		return;
	}
	table_draw(&a->tables[a->tab], y, 0, h, w, a->diff_mode);
	if (a->tables[a->tab].nvis == 0 && h > 1 && t->empty && !a->tables[a->tab].filter[0]) {
		char buf[256];

		t->empty(a, buf, sizeof(buf));
		text_put(y + 1, 0, buf, w, theme_attr(EL_MISSING));
	} else if (a->tables[a->tab].nvis == 0 && h > 1)
		text_put(y + 1, 0,
			 a->tables[a->tab].filter[0] ? "(no row matches the filter; Esc clears it)"
			 : a->diff_mode		     ? "(nothing changed between A and B)"
						     : "(no rows)",
			 w, theme_attr(EL_MISSING));
}

void tabs_draw_columns(struct app *a, int y, int h, int w)
{
	struct table *t = &a->tables[a->tab];
	int n = (int)t->ft->n, top = 0;
	char buf[256];

	if (h <= 1)
		return;
	text_fill(y, 0, w, theme_attr(EL_TABLE_HEAD));
	text_put(y, 0, "Columns: space shows/hides, Enter or Esc closes", w,
		 theme_attr(EL_TABLE_HEAD));
	if (a->col_cursor >= h - 1)
		top = a->col_cursor - (h - 2);
	for (int i = 0; i < h - 1 && top + i < n; i++) {
		const struct field *f = &t->ft->v[top + i];
		bool cur = top + i == a->col_cursor;

		int pad = 9 - text_width(f->title);

		snprintf(buf, sizeof(buf), "[%c] %-9s %s%*s %s", t->shown[top + i] ? 'x' : ' ',
			 f->id, f->title, pad > 0 ? pad : 0, "", f->help);
		text_fill(y + 1 + i, 0, w, theme_attr(cur ? EL_SELECTED : EL_NORMAL));
		text_put(y + 1 + i, 0, buf, w, theme_attr(cur ? EL_SELECTED : EL_NORMAL));
	}
}
