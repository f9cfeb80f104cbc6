/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sort, filter and draw rows of a fields table. Formatting happens only for
 * the rows on screen (and for every row once per sample when a filter is
 * set); sorting precomputes each value once (fields_sort).
 */
#include "config.h"

#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "text.h"
#include "theme.h"
#include "xalloc.h"

void table_init(struct table *t, const struct field_table *ft)
{
	memset(t, 0, sizeof(*t));
	t->ft = ft;
	for (size_t i = 0; i < ft->n && i < TABLE_MAX_FIELDS; i++)
		t->shown[i] = ft->v[i].shown;
	t->sort = fields_index(ft, ft->default_sort);
	if (t->sort < 0)
		t->sort = 0;
	t->desc = ft->v[t->sort].desc;
}

void table_drop_rows(struct table *t)
{
	free(t->rows);
	t->rows = NULL;
	t->n = t->nvis = 0;
}

void table_free(struct table *t)
{
	free(t->rows);
	free(t->vis);
	t->rows = NULL;
	t->vis = NULL;
	t->n = t->nvis = t->vis_cap = 0;
}

static void remember_selection(struct table *t)
{
	const struct field_row *r = table_selected(t);

	if (r) {
		t->ft->key(fields_entity(r), t->sel_key);
		t->have_key = true;
	}
}

static bool row_matches(const struct table *t, const struct field_row *r)
{
	char buf[512];

	for (size_t i = 0; i < t->ft->n; i++) {
		if (!t->shown[i])
			continue;
		fields_format(&t->ft->v[i], &t->ctx, r, buf, sizeof(buf));
		if (text_contains(buf, t->filter))
			return true;
	}
	return false;
}

/* Rebuild vis from rows and put the selection back on the same entity. */
/* Put the selection back on the entity it was on. */
static void restore_selection(struct table *t)
{
	uint64_t k[2];

	if (t->have_key) {
		for (size_t i = 0; i < t->nvis; i++) {
			t->ft->key(fields_entity(&t->rows[t->vis[i]]), k);
			if (k[0] == t->sel_key[0] && k[1] == t->sel_key[1]) {
				t->sel = i;
				return;
			}
		}
	}
	if (t->sel >= t->nvis)
		t->sel = t->nvis ? t->nvis - 1 : 0;
	remember_selection(t);
}

/* Rebuild vis from rows and put the selection back on the same entity. */
static void refilter(struct table *t)
{
	xgrow((void **)&t->vis, &t->vis_cap, t->n ? t->n : 1, sizeof(*t->vis));
	t->nvis = 0;
	for (size_t i = 0; i < t->n; i++)
		if (!t->filter[0] || row_matches(t, &t->rows[i]))
			t->vis[t->nvis++] = i;
	restore_selection(t);
}

static void resort(struct table *t)
{
	fields_sort(&t->ft->v[t->sort], t->desc, &t->ctx, t->rows, t->n);
	if (t->arrange)
		t->arrange(t->rows, t->n, &t->ctx);
}

static void set_rows(struct table *t, struct field_row *rows, size_t n, const struct field_ctx *c,
		     bool sorted)
{
	/* The old rows may point into snapshots already released: the
	 * selection's identity was saved when it was last set. */
	free(t->rows);
	t->rows = rows;
	t->n = n;
	t->ctx = *c;
	if (!sorted)
		resort(t);
	refilter(t);
}

void table_set_rows(struct table *t, struct field_row *rows, size_t n, const struct field_ctx *c)
{
	set_rows(t, rows, n, c, false);
}

void table_set_sorted_rows(struct table *t, struct field_row *rows, size_t n,
			   const struct field_ctx *c)
{
	set_rows(t, rows, n, c, true);
}

bool table_sorted_rows_fit(const struct table *t, const struct field_table *ft, size_t sort,
			   bool desc)
{
	return t->ft == ft && t->sort >= 0 && (size_t)t->sort == sort && t->desc == desc &&
	       !t->arrange;
}

void table_set_sort(struct table *t, int idx, bool desc)
{
	if (idx < 0 || (size_t)idx >= t->ft->n)
		return;
	t->sort = idx;
	t->desc = desc;
	/* A new order is read from its top: keeping the old row selected
	 * would jump to wherever it sorts now (the bottom, when its value is
	 * missing). */
	t->have_key = false;
	t->sel = t->top = 0;
	resort(t);
	refilter(t);
}

void table_sort_step(struct table *t, int dir)
{
	int n = (int)t->ft->n, i = t->sort;

	for (int step = 0; step < n; step++) {
		i = (i + dir + n) % n;
		if (t->shown[i]) {
			table_set_sort(t, i, t->ft->v[i].desc);
			return;
		}
	}
}

void table_set_tree(struct table *t,
		    void (*arrange)(struct field_row *rows, size_t n, const struct field_ctx *c),
		    int (*indent)(const struct field_row *r), int tree_col)
{
	t->arrange = arrange;
	t->indent = indent;
	t->tree_col = tree_col;
	remember_selection(t);
	resort(t);
	refilter(t);
}

void table_reverse(struct table *t)
{
	table_set_sort(t, t->sort, !t->desc);
}

void table_set_filter(struct table *t, const char *f)
{
	size_t old_len = strlen(t->filter), n = 0;
	bool narrower;

	f = f ? f : "";
	/* Typing one more character can only drop rows: look at the rows
	 * still shown instead of all of them (100k rows, one key at a time). */
	narrower = old_len && !strncmp(f, t->filter, old_len);
	remember_selection(t);
	snprintf(t->filter, sizeof(t->filter), "%s", f);
	if (!narrower) {
		refilter(t);
		return;
	}
	for (size_t i = 0; i < t->nvis; i++)
		if (row_matches(t, &t->rows[t->vis[i]]))
			t->vis[n++] = t->vis[i];
	t->nvis = n;
	restore_selection(t);
}

void table_toggle_column(struct table *t, int idx)
{
	size_t shown = 0;

	if (idx < 0 || (size_t)idx >= t->ft->n)
		return;
	for (size_t i = 0; i < t->ft->n; i++)
		shown += t->shown[i];
	/* Keep at least one column. */
	if (t->shown[idx] && shown <= 1)
		return;
	t->shown[idx] = !t->shown[idx];
	if (t->filter[0])
		refilter(t);
}

void table_columns_string(const struct table *t, char *out, size_t sz)
{
	size_t len = 0;

	if (!sz)
		return;
	out[0] = 0;
	for (size_t i = 0; i < t->ft->n; i++) {
		int w;

		if (!t->shown[i])
			continue;
		w = snprintf(out + len, sz - len, "%s%s", len ? "," : "", t->ft->v[i].id);
		if (w < 0 || (size_t)w >= sz - len)
			break;
		len += (size_t)w;
	}
}

int table_columns_parse(struct table *t, const char *s)
{
	bool shown[TABLE_MAX_FIELDS] = { false };
	int unknown = 0, any = 0;
	char id[64];

	while (*s) {
		size_t n = strcspn(s, ",");
		int i;

		snprintf(id, sizeof(id), "%.*s", (int)(n < sizeof(id) ? n : sizeof(id) - 1), s);
		i = fields_index(t->ft, id);
		if (i >= 0) {
			shown[i] = true;
			any++;
		} else if (n) {
			unknown++;
		}
		s += n;
		if (*s == ',')
			s++;
	}
	if (any)
		memcpy(t->shown, shown, sizeof(shown));
	return unknown;
}

/* The shown columns after the horizontal scroll, in table order. */
static int visible_columns(const struct table *t, int *cols)
{
	int n = 0, skipped = 0;

	for (size_t i = 0; i < t->ft->n; i++) {
		if (!t->shown[i])
			continue;
		if (skipped++ < t->hcol)
			continue;
		cols[n++] = (int)i;
	}
	return n;
}

static int delta_el(const struct field *f, const struct field_ctx *c, const struct field_row *r)
{
	int64_t v;

	switch (f->unit) {
	case FU_DELTA_BYTES:
	case FU_DELTA_COUNT:
	case FU_RATE_BYTES:
	case FU_GROWTH_BYTES:
	case FU_GROWTH_COUNT:
		break;
	default:
		return EL_NORMAL;
	}
	if (!fields_value(f, c, r, &v) || v == 0)
		return EL_NORMAL;
	return v > 0 ? EL_DELTA_UP : EL_DELTA_DOWN;
}

static void draw_cell(const struct field *f, int y, int x, int w, const char *s, int el)
{
	if (f->left)
		text_put(y, x, s, w, theme_attr(el));
	else
		text_put_right(y, x, s, w, theme_attr(el));
}

/* Shift a cell right by n spaces (the tree view), within sz. */
static void indent_cell(char *buf, size_t sz, int n)
{
	size_t len = strlen(buf);

	if (n <= 0 || (size_t)n >= sz)
		return;
	if (len + (size_t)n >= sz)
		len = sz - (size_t)n - 1;
	memmove(buf + n, buf, len);
	buf[len + (size_t)n] = 0;
	memset(buf, ' ', (size_t)n);
}

static const char *mark_of(uint8_t status)
{
	switch (status) {
	case DIFF_NEW:
		return "+";
	case DIFF_GONE:
		return "-";
	case DIFF_CHANGED:
		return "~";
	default:
		return " ";
	}
}

void table_draw(struct table *t, int y, int x, int h, int w, bool diff_marks)
{
	int cols[TABLE_MAX_FIELDS], nc = visible_columns(t, cols);
	int x0 = x + (diff_marks ? 2 : 0), rows = h - 1;
	char buf[512];

	if (h <= 0 || w <= 0)
		return;
	text_fill(y, x, w, theme_attr(EL_TABLE_HEAD));
	for (int c = 0, cx = x0; c < nc && cx < x + w; c++) {
		const struct field *f = &t->ft->v[cols[c]];
		int fw = f->width, el = cols[c] == t->sort ? EL_TABLE_SORT : EL_TABLE_HEAD;

		if (c == nc - 1 && f->left)
			fw = x + w - cx;
		if (cols[c] == t->sort)
			snprintf(buf, sizeof(buf), "%s%s", f->title,
				 t->desc ? text_glyph("▼", "v") : text_glyph("▲", "^"));
		else
			snprintf(buf, sizeof(buf), "%s", f->title);
		if (cols[c] == t->sort && text_width(buf) > fw)
			fw = text_width(buf);
		draw_cell(f, y, cx, fw < x + w - cx ? fw : x + w - cx, buf, el);
		cx += fw + 1;
	}
	if (rows <= 0)
		return;
	if (t->sel >= t->nvis)
		t->sel = t->nvis ? t->nvis - 1 : 0;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + (size_t)rows)
		t->top = t->sel - (size_t)rows + 1;
	if (t->nvis <= (size_t)rows)
		t->top = 0;
	else if (t->top > t->nvis - (size_t)rows)
		t->top = t->nvis - (size_t)rows;
	for (int i = 0; i < rows && t->top + (size_t)i < t->nvis; i++) {
		size_t vi = t->top + (size_t)i;
		const struct field_row *r = &t->rows[t->vis[vi]];
		bool selected = vi == t->sel;
		int ry = y + 1 + i, base = selected ? EL_SELECTED : EL_NORMAL;

		if (r->status == DIFF_GONE && !selected)
			base = EL_GONE;
		if (selected)
			text_fill(ry, x, w, theme_attr(EL_SELECTED));
		if (diff_marks)
			text_put(ry, x, mark_of(r->status), 1,
				 theme_attr(selected		     ? EL_SELECTED
					    : r->status == DIFF_NEW  ? EL_NEW
					    : r->status == DIFF_GONE ? EL_GONE
								     : EL_NORMAL));
		for (int c = 0, cx = x0; c < nc && cx < x + w; c++) {
			const struct field *f = &t->ft->v[cols[c]];
			int fw = f->width, el = base;

			if (cols[c] == t->sort) {
				snprintf(buf, sizeof(buf), "%s ", f->title);
				if (text_width(buf) > fw)
					fw = text_width(buf);
			}
			if (c == nc - 1 && f->left)
				fw = x + w - cx;
			fields_format(f, &t->ctx, r, buf, sizeof(buf));
			if (t->indent && cols[c] == t->tree_col)
				indent_cell(buf, sizeof(buf), t->indent(r));
			if (!selected && base == EL_NORMAL) {
				if (!strcmp(buf, "-"))
					el = EL_MISSING;
				else
					el = delta_el(f, &t->ctx, r);
			}
			draw_cell(f, ry, cx, fw < x + w - cx ? fw : x + w - cx, buf, el);
			cx += fw + 1;
		}
	}
}

void table_move(struct table *t, long delta, int h)
{
	long v = (long)t->sel + delta;

	if (!t->nvis)
		return;
	if (v < 0 || delta < -(long)t->nvis)
		v = 0;
	if (v >= (long)t->nvis || delta > (long)t->nvis)
		v = (long)t->nvis - 1;
	t->sel = (size_t)v;
	remember_selection(t);
}

void table_hscroll(struct table *t, int dir)
{
	int shown = 0;

	for (size_t i = 0; i < t->ft->n; i++)
		shown += t->shown[i];
	t->hcol += dir;
	if (t->hcol > shown - 1)
		t->hcol = shown - 1;
	if (t->hcol < 0)
		t->hcol = 0;
}

const struct field_row *table_selected(const struct table *t)
{
	if (t->sel >= t->nvis)
		return NULL;
	return &t->rows[t->vis[t->sel]];
}
