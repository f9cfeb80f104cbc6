/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The key table and its handlers. A handler changes the app state and
 * returns what the loop must do (rebuild, sample, redraw); it never draws.
 * Keys follow top/htop habits: digits and Tab for tabs, < > F6 r for the
 * sort, / filters, Enter drills in, Esc goes back, h ? F1 help, q F10 quit.
 */
#include "config.h"

#include "keys.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "compat.h"
#include "drill.h"
#include "help.h"
#include "replay_view.h"
#include "screen.h"
#include "settings.h"
#include "tabs.h"
#include "theme.h"

#define KEY_ESC 27
#define KEY_CTRL_L 12

static struct table *cur_table(struct app *a)
{
	return tabs[a->tab]->fields ? &a->tables[a->tab] : NULL;
}

static struct page *cur_page(struct app *a)
{
	if (a->mode == MODE_HELP)
		return &a->help;
	if (a->ndrill)
		return &a->drill[a->ndrill - 1].page;
	if (!tabs[a->tab]->fields)
		return &a->pages[a->tab];
	return NULL;
}

/* Leaving a tab closes its drill-downs and the column chooser. */
static void switch_tab(struct app *a, int idx)
{
	if (idx < 0 || idx >= TAB_COUNT)
		return;
	drill_clear(a);
	if (a->mode == MODE_COLUMNS)
		a->mode = MODE_VIEW;
	a->tab = idx;
	a->cgfilter.on = false;
}

static int k_tab(struct app *a, int key)
{
	switch_tab(a, key - '1');
	return KR_REBUILD | KR_SAMPLE;
}

static int k_tab_next(struct app *a, int key)
{
	switch_tab(a, (a->tab + 1) % TAB_COUNT);
	return KR_REBUILD | KR_SAMPLE;
}

static int k_tab_prev(struct app *a, int key)
{
	switch_tab(a, (a->tab + TAB_COUNT - 1) % TAB_COUNT);
	return KR_REBUILD | KR_SAMPLE;
}

static int move_by(struct app *a, long delta)
{
	struct page *p;
	struct table *t;
	int h = a->body_h > 1 ? a->body_h : 1;

	if (a->mode == MODE_COLUMNS) {
		long v = a->col_cursor + delta, n = (long)tabs[a->tab]->fields->n;

		a->col_cursor = (int)(v < 0 ? 0 : v >= n ? n - 1 : v);
		return KR_REDRAW;
	}
	p = cur_page(a);
	if (p) {
		page_move(p, delta, h);
		return KR_REDRAW;
	}
	t = cur_table(a);
	if (t)
		table_move(t, delta, h - 1);
	return KR_REDRAW;
}

static long page_step(const struct app *a)
{
	return a->body_h > 3 ? a->body_h - 2 : 1;
}

static int k_up(struct app *a, int key)
{
	return move_by(a, -1);
}

static int k_down(struct app *a, int key)
{
	return move_by(a, 1);
}

static int k_pgup(struct app *a, int key)
{
	return move_by(a, -page_step(a));
}

static int k_pgdn(struct app *a, int key)
{
	return move_by(a, page_step(a));
}

static int k_home(struct app *a, int key)
{
	return move_by(a, -0x7fffffffL);
}

static int k_end(struct app *a, int key)
{
	return move_by(a, 0x7fffffffL);
}

static int k_left(struct app *a, int key)
{
	table_hscroll(cur_table(a), -1);
	return KR_REDRAW;
}

static int k_right(struct app *a, int key)
{
	table_hscroll(cur_table(a), 1);
	return KR_REDRAW;
}

static int k_sort_prev(struct app *a, int key)
{
	table_sort_step(cur_table(a), -1);
	return KR_REDRAW;
}

static int k_sort_next(struct app *a, int key)
{
	table_sort_step(cur_table(a), 1);
	return KR_REDRAW;
}

static int k_reverse(struct app *a, int key)
{
	table_reverse(cur_table(a));
	return KR_REDRAW;
}

static const char *current_filter(struct app *a)
{
	struct table *t = cur_table(a);

	return t ? t->filter : a->pages[a->tab].filter ? a->pages[a->tab].filter : "";
}

static int k_filter(struct app *a, int key)
{
	prompt_start(&a->prompt, PROMPT_FILTER, current_filter(a));
	a->mode = MODE_PROMPT;
	return KR_REDRAW;
}

/* Returns what the loop must do: a table filters itself, a page is rebuilt. */
static int apply_filter(struct app *a, const char *f)
{
	struct table *t = cur_table(a);

	if (t) {
		table_set_filter(t, f);
		return KR_REDRAW;
	}
	snprintf(a->page_filters[a->tab], sizeof(a->page_filters[a->tab]), "%s", f);
	a->pages[a->tab].filter = a->page_filters[a->tab];
	a->pages[a->tab].top = 0;
	return KR_REBUILD;
}

/* Esc clears the filter; with none, a tab narrowed to a cgroup goes back
 * to that cgroup's page. */
static int k_clear_filter(struct app *a, int key)
{
	if (!current_filter(a)[0]) {
		if (!a->cgfilter.on || a->cgfilter.tab != a->tab)
			return KR_NONE;
		tab_cgroups_back(a);
		return KR_REBUILD | KR_SAMPLE;
	}
	return apply_filter(a, "");
}

static int k_cg_tree(struct app *a, int key)
{
	tab_cgroups_set_tree(a, !a->cg_tree);
	app_message(a, EL_NORMAL, "%s", a->cg_tree ? "cgroups: tree (t: flat)" : "cgroups: flat");
	return KR_REDRAW;
}

static int k_cg_hier(struct app *a, int key)
{
	return tab_cgroups_switch_hier(a) ? KR_REBUILD : KR_REDRAW;
}

static int k_enter(struct app *a, int key)
{
	const struct field_row *r;
	struct table *t;

	if (a->ndrill)
		return drill_follow(a);
	t = cur_table(a);
	r = t ? table_selected(t) : NULL;
	if (!r || !tabs[a->tab]->drill)
		return KR_NONE;
	tabs[a->tab]->drill(a, r);
	return KR_REBUILD | KR_SAMPLE;
}

static int k_back(struct app *a, int key)
{
	drill_pop(a);
	return KR_REBUILD;
}

static int k_columns(struct app *a, int key)
{
	a->mode = MODE_COLUMNS;
	a->col_cursor = 0;
	return KR_REDRAW;
}

static int k_col_toggle(struct app *a, int key)
{
	table_toggle_column(cur_table(a), a->col_cursor);
	return KR_REBUILD | KR_SAMPLE;
}

static int k_col_done(struct app *a, int key)
{
	a->mode = MODE_VIEW;
	return KR_REBUILD;
}

static void set_view(struct app *a, struct snapshot *s)
{
	if (s == a->view)
		return;
	snapshot_ref(s);
	snapshot_unref(a->view);
	a->view = s;
}

static int k_freeze(struct app *a, int key)
{
	if (a->replay)
		return replay_view_play(a);
	a->frozen = !a->frozen;
	if (!a->frozen && app_newest(a))
		set_view(a, app_newest(a));
	app_message(a, EL_FLAG, a->frozen ? "frozen: sampling goes on; space resumes, [ ] step"
					  : "resumed");
	return KR_REBUILD;
}

/* Position of the view in the history ring (0 newest), or -1 if it has
 * already left the ring. */
static long view_pos(const struct app *a)
{
	size_t i = history_index_of_seq(&a->hist, a->view->seq);

	return i < a->hist.n ? (long)i : -1;
}

static int step(struct app *a, long dir)
{
	long pos, np;
	struct snapshot *s;

	if (a->replay)
		return replay_view_step(a, dir);
	pos = view_pos(a);
	a->frozen = true;
	np = pos < 0 ? (long)a->hist.n - 1 : pos + dir;
	if (np < 0 || (size_t)np >= a->hist.n) {
		app_message(a, EL_WARN, "%s",
			    np < 0 ? "at the newest sample" : "at the oldest sample kept");
		return KR_REDRAW;
	}
	s = history_get(&a->hist, (size_t)np);
	if (s)
		set_view(a, s);
	return KR_REBUILD;
}

static int k_older(struct app *a, int key)
{
	return step(a, 1);
}

static int k_newer(struct app *a, int key)
{
	return step(a, -1);
}

static void mark(struct snapshot **m, struct snapshot *s)
{
	if (s)
		snapshot_ref(s);
	if (*m)
		snapshot_unref(*m);
	*m = s;
}

/*
 * A mark is the sample shown, at once: every tab can diff against it
 * because every sample, live or recorded, holds every section but PSS (the
 * trend engine reads them all each time: SNAP_SUSPECT_SOURCES).
 */
static int k_mark_a(struct app *a, int key)
{
	mark(&a->mark_a, a->view);
	app_message(a, EL_FLAG, "A = sample #%llu; d shows what changed since",
		    (unsigned long long)a->view->seq);
	return KR_REBUILD;
}

static int k_mark_b(struct app *a, int key)
{
	if (a->mark_b) {
		mark(&a->mark_b, NULL);
		app_message(a, EL_FLAG, "B = now");
		return KR_REBUILD;
	}
	mark(&a->mark_b, a->view);
	app_message(a, EL_FLAG, "B = sample #%llu", (unsigned long long)a->view->seq);
	return KR_REBUILD;
}

static void diff_sorts(struct app *a, bool on)
{
	for (int i = 0; i < TAB_COUNT; i++) {
		struct table *t = &a->tables[i];
		int idx;

		if (!tabs[i]->fields)
			continue;
		if (on) {
			a->saved_sort[i] = t->sort;
			a->saved_desc[i] = t->desc;
			idx = fields_index(t->ft, tabs[i]->diff_sort);
			if (idx >= 0) {
				t->sort = idx;
				t->desc = true;
			}
		} else {
			t->sort = a->saved_sort[i];
			t->desc = a->saved_desc[i];
		}
	}
}

static int k_diff(struct app *a, int key)
{
	if (!a->diff_mode && !a->mark_a) {
		app_message(a, EL_WARN, "mark A first (a), then d shows B minus A");
		return KR_REDRAW;
	}
	a->diff_mode = !a->diff_mode;
	diff_sorts(a, a->diff_mode);
	return KR_REBUILD | KR_SAMPLE;
}

static int k_clear_marks(struct app *a, int key)
{
	mark(&a->mark_a, NULL);
	mark(&a->mark_b, NULL);
	if (a->diff_mode) {
		a->diff_mode = false;
		diff_sorts(a, false);
	}
	app_message(a, EL_NORMAL, "marks cleared");
	return KR_REBUILD;
}

static int k_interval(struct app *a, int key)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%g", a->delay_s);
	prompt_start(&a->prompt, PROMPT_INTERVAL, buf);
	a->mode = MODE_PROMPT;
	return KR_REDRAW;
}

/* Replay only; live they say so. */
static bool replaying(struct app *a)
{
	if (!a->replay)
		app_message(a, EL_WARN, "replay only: leaktop --replay PATH");
	return a->replay != NULL;
}

static int k_jump(struct app *a, int key)
{
	if (!replaying(a))
		return KR_REDRAW;
	prompt_start(&a->prompt, PROMPT_JUMP, "");
	a->mode = MODE_PROMPT;
	return KR_REDRAW;
}

static int k_play(struct app *a, int key)
{
	return replaying(a) ? replay_view_play(a) : KR_REDRAW;
}

static int k_faster(struct app *a, int key)
{
	return replaying(a) ? replay_view_speed(a, 2) : KR_REDRAW;
}

static int k_slower(struct app *a, int key)
{
	return replaying(a) ? replay_view_speed(a, 0.5) : KR_REDRAW;
}

static int k_other(struct app *a, int key)
{
	return replaying(a) ? replay_view_switch(a) : KR_REDRAW;
}

static int k_save(struct app *a, int key)
{
	char msg[256];
	int r = settings_save(a, msg, sizeof(msg));

	app_message(a, r < 0 ? EL_WARN : EL_NORMAL, "%s", msg);
	return KR_REDRAW;
}

static int k_redraw(struct app *a, int key)
{
	screen_invalidate();
	return KR_REDRAW;
}

static int k_help(struct app *a, int key)
{
	help_open(a);
	return KR_REDRAW;
}

static int k_help_close(struct app *a, int key)
{
	a->mode = MODE_VIEW;
	return KR_REDRAW;
}

static int k_quit(struct app *a, int key)
{
	a->quit = true;
	return KR_NONE;
}

static int k_prompt_accept(struct app *a, int key)
{
	a->mode = MODE_VIEW;
	if (a->prompt.kind == PROMPT_INTERVAL) {
		char *end;
		double v = strtod(a->prompt.text, &end);

		if (end == a->prompt.text || *end || !(v >= 0.1 && v <= 3600)) {
			app_message(a, EL_WARN,
				    "interval: expected seconds from 0.1 to 3600, got '%s'",
				    a->prompt.text);
			return KR_REDRAW;
		}
		a->delay_s = v;
		a->next_tick_ms = app_now_ms() + (uint64_t)(v * 1000);
		app_message(a, EL_NORMAL, "interval %gs", v);
		return KR_REDRAW;
	}
	if (a->prompt.kind == PROMPT_JUMP)
		return replay_view_jump(a, a->prompt.text);
	return apply_filter(a, a->prompt.text);
}

static int k_prompt_cancel(struct app *a, int key)
{
	a->mode = MODE_VIEW;
	if (a->prompt.kind == PROMPT_FILTER)
		return apply_filter(a, "");
	return KR_REDRAW;
}

#define CTRL_U 0x15

static int k_prompt_erase(struct app *a, int key)
{
	if (key == CTRL_U)
		prompt_clear(&a->prompt);
	else
		prompt_erase(&a->prompt);
	if (a->prompt.kind == PROMPT_FILTER)
		return apply_filter(a, a->prompt.text);
	return KR_REDRAW;
}

#define NAV (KS_VIEWS | KS_HELP | KS_COLUMNS)
#define ENTER_KEYS { '\r', '\n', KEY_ENTER }
#define BACKSPACE_KEYS { KEY_BACKSPACE, 127, 8 }

/* clang-format off */
const struct key_binding keys_table[] = {
	{ { '1' }, "1", "Suspects tab: what leaks, ranked, with a verdict; Enter: the evidence",
	  KS_VIEWS, NULL, k_tab },
	{ { '2' }, "2", "Memory tab: breakdown, deltas, rates, unaccounted, tmpfs", KS_VIEWS, NULL,
	  k_tab },
	{ { '3' }, "3", "Slab tab: caches with growth and merged caches", KS_VIEWS, NULL, k_tab },
	{ { '4' }, "4", "Sockets tab: every family, by socket memory", KS_VIEWS, NULL, k_tab },
	{ { '5' }, "5", "Processes tab: RSS, PSS, fds, sockets, socket memory and their growth",
	  KS_VIEWS, NULL, k_tab },
	{ { '6' }, "6", "TCP tab: pressure, counters, states, sysctls", KS_VIEWS, NULL, k_tab },
	{ { '7' }, "7", "Vmalloc tab: vmalloc memory by caller", KS_VIEWS, NULL, k_tab },
	{ { '8' }, "8", "Cgroups tab: each charge of the memory controller per cgroup, by growth",
	  KS_VIEWS, NULL, k_tab },
	{ { '\t' }, "Tab", "next tab", KS_VIEWS, NULL, k_tab_next },
	{ { KEY_BTAB }, "Shift-Tab", "previous tab", KS_VIEWS, NULL, k_tab_prev },
	{ { KEY_UP }, "Up", "move up one line", NAV, NULL, k_up },
	{ { KEY_DOWN }, "Down", "move down one line", NAV, NULL, k_down },
	{ { KEY_PPAGE }, "PgUp", "move up one screen", NAV, NULL, k_pgup },
	{ { KEY_NPAGE }, "PgDn", "move down one screen", NAV, NULL, k_pgdn },
	{ { KEY_HOME }, "Home", "go to the first line", NAV, NULL, k_home },
	{ { KEY_END }, "End", "go to the last line", NAV, NULL, k_end },
	{ { KEY_LEFT }, "Left", "scroll the columns left", KS_TABLE, NULL, k_left },
	{ { KEY_RIGHT }, "Right", "scroll the columns right", KS_TABLE, NULL, k_right },
	{ { '<' }, "<", "sort by the column to the left", KS_TABLE, "Sort", k_sort_prev },
	{ { '>' }, ">", "sort by the column to the right", KS_TABLE, NULL, k_sort_next },
	{ { KEY_F(6) }, "F6", "sort by the next column", KS_TABLE, NULL, k_sort_next },
	{ { 'r' }, "r", "reverse the sort order", KS_TABLE, NULL, k_reverse },
	{ { '/' }, "/", "filter the rows (lines) shown; Esc clears", KS_TAB, "Filter", k_filter },
	{ { KEY_ESC }, "Esc", "clear the filter (on a tab narrowed to a cgroup: back to it)",
	  KS_TAB, NULL, k_clear_filter },
	{ ENTER_KEYS, "Enter",
	  "drill into the selected row (or the process or socket a line names)",
	  KS_TABLE | KS_DRILL, "Drill", k_enter },
	{ { KEY_ESC }, "Esc", "back from the drill-down", KS_DRILL, "Back", k_back },
	{ BACKSPACE_KEYS, "Backspace", "back from the drill-down", KS_DRILL, NULL, k_back },
	{ { 'c' }, "c", "choose the columns of the table", KS_TABLE, "Cols", k_columns },
	{ { 't' }, "t", "Cgroups tab: tree (children under their parent) or flat", KS_TABLE,
	  "Tree", k_cg_tree },
	{ { 'v' }, "v", "Cgroups tab: the other hierarchy (v1 memory or v2)", KS_TABLE, "v1/v2",
	  k_cg_hier },
	{ { ' ' }, "space", "freeze or resume the display; sampling goes on", KS_VIEWS, "Freeze",
	  k_freeze },
	{ { '[' }, "[", "show the previous sample in history (freezes)", KS_VIEWS, NULL, k_older },
	{ { ']' }, "]", "show the next sample in history", KS_VIEWS, NULL, k_newer },
	{ { 'a' }, "a", "mark A at the sample shown", KS_VIEWS, "MarkA", k_mark_a },
	{ { 'b' }, "b", "mark B at the sample shown; again: B is now", KS_VIEWS, "MarkB",
	  k_mark_b },
	{ { 'd' }, "d", "diff view: B minus A in every tab (new, gone, grown)", KS_VIEWS, "Diff",
	  k_diff },
	{ { 'x' }, "x", "clear the marks A and B and leave the diff view", KS_VIEWS, NULL,
	  k_clear_marks },
	{ { 's' }, "s", "set the sampling interval", KS_VIEWS, NULL, k_interval },
	{ { 'g' }, "g", "replay: go to a sample (#12) or time (14:05, -1h)", KS_VIEWS, NULL,
	  k_jump },
	{ { 'p' }, "p", "replay: play or pause (so does space)", KS_VIEWS, NULL, k_play },
	{ { '+' }, "+", "replay: play twice as fast", KS_VIEWS, NULL, k_faster },
	{ { '-' }, "-", "replay: play half as fast", KS_VIEWS, NULL, k_slower },
	{ { 'o' }, "o", "replay: switch to the other recording (--diff-with)", KS_VIEWS, NULL,
	  k_other },
	{ { 'S' }, "S", "save the settings (tab, sort, columns, interval)", KS_VIEWS, NULL,
	  k_save },
	{ { KEY_CTRL_L }, "Ctrl-L", "redraw the whole screen", KS_VIEWS | KS_HELP, NULL, k_redraw },
	{ { 'h' }, "h", "help", KS_VIEWS, "Help", k_help },
	{ { '?' }, "?", "help", KS_VIEWS, NULL, k_help },
	{ { KEY_F(1) }, "F1", "help", KS_VIEWS, NULL, k_help },
	{ { 'q' }, "q", "quit", KS_VIEWS, "Quit", k_quit },
	{ { KEY_F(10) }, "F10", "quit", KS_VIEWS, NULL, k_quit },
	{ { KEY_ESC, 'q', 'h', '?', KEY_F(1) }, "Esc", "close the help (so does any other key)",
	  KS_HELP, "Close", k_help_close },
	{ { ' ' }, "space", "show or hide the column under the cursor", KS_COLUMNS, "Toggle",
	  k_col_toggle },
	{ ENTER_KEYS, "Enter", "close the column chooser", KS_COLUMNS, "Done", k_col_done },
	{ { KEY_ESC, 'c' }, "Esc", "close the column chooser", KS_COLUMNS, NULL, k_col_done },
	{ ENTER_KEYS, "Enter", "accept the filter, interval or place to go to", KS_PROMPT, "Accept",
	  k_prompt_accept },
	{ { KEY_ESC }, "Esc", "cancel; for a filter, clear it", KS_PROMPT, "Cancel",
	  k_prompt_cancel },
	{ BACKSPACE_KEYS, "Backspace", "erase the last character", KS_PROMPT, NULL,
	  k_prompt_erase },
	{ { CTRL_U }, "Ctrl-U", "clear the line", KS_PROMPT, NULL, k_prompt_erase },
};
/* clang-format on */

const size_t keys_count = ARRAY_SIZE(keys_table);

unsigned int keys_scope_now(const struct app *a)
{
	switch (a->mode) {
	case MODE_HELP:
		return KS_HELP;
	case MODE_COLUMNS:
		return KS_COLUMNS;
	case MODE_PROMPT:
		return KS_PROMPT;
	default:
		break;
	}
	if (a->ndrill)
		return KS_DRILL;
	return tabs[a->tab]->fields ? KS_TABLE : KS_PAGE;
}

bool keys_available(const struct app *a, const struct key_binding *b)
{
	if (!(b->scope & keys_scope_now(a)))
		return false;
	/* Enter on a table drills only where the tab has a drill-down. */
	if (b->handler == k_enter && !a->ndrill && !tabs[a->tab]->drill)
		return false;
	if ((b->handler == k_cg_tree || b->handler == k_cg_hier) && a->tab != TAB_CGROUPS)
		return false;
	return true;
}

static bool has_code(const struct key_binding *b, int key)
{
	for (int i = 0; i < KEY_CODES_MAX && b->codes[i]; i++)
		if (b->codes[i] == key)
			return true;
	return false;
}

int keys_dispatch(struct app *a, int key)
{
	for (size_t i = 0; i < keys_count; i++) {
		const struct key_binding *b = &keys_table[i];

		if (has_code(b, key) && keys_available(a, b))
			return b->handler(a, key);
	}
	if (a->mode == MODE_PROMPT) {
		if (!prompt_insert(&a->prompt, key))
			return KR_NONE;
		if (a->prompt.kind == PROMPT_FILTER)
			return apply_filter(a, a->prompt.text);
		return KR_REDRAW;
	}
	if (a->mode == MODE_HELP && key != KEY_RESIZE)
		return k_help_close(a, key);
	return KR_NONE;
}

void keys_print_list(FILE *out)
{
	for (size_t i = 0; i < keys_count; i++)
		fprintf(out, "%s\t%s\n", keys_table[i].label, keys_table[i].help);
}

const char *keys_scope_title(unsigned int scope)
{
	if ((scope & KS_VIEWS) == KS_VIEWS)
		return "Everywhere";
	if (scope & KS_TABLE)
		return "Tables (Suspects, Slab, Sockets, Processes, Vmalloc, Cgroups)";
	if (scope & KS_TAB)
		return "Tabs";
	if (scope & KS_DRILL)
		return "Drill-down";
	if (scope & KS_HELP)
		return "Help";
	if (scope & KS_COLUMNS)
		return "Column chooser";
	return "Prompt (filter, interval)";
}
