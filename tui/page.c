/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Scrolled text lines. Only the visible lines are drawn; a page is rebuilt
 * from the snapshot on every refresh, and top/cur survive the rebuild.
 */
#include "config.h"

#include "page.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "text.h"
#include "theme.h"
#include "xalloc.h"

void page_clear(struct page *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].text);
	p->n = 0;
}

void page_free(struct page *p)
{
	page_clear(p);
	free(p->v);
	p->v = NULL;
	p->cap = 0;
}

static bool line_visible(const struct page *p, const struct page_line *l)
{
	if (!p->filter || !*p->filter || l->el == EL_HEADING)
		return true;
	return text_contains(l->text, p->filter);
}

void page_add(struct page *p, int el, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = xstrdup("");
	va_end(ap);
	xgrow((void **)&p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->v[p->n] = (struct page_line){ .text = s, .el = el };
	if (line_visible(p, &p->v[p->n]))
		p->n++;
	else
		free(s);
}

void page_link(struct page *p, enum page_link kind, uint64_t k0, uint64_t k1)
{
	if (!p->n)
		return;
	p->v[p->n - 1].link = (uint8_t)kind;
	p->v[p->n - 1].k[0] = k0;
	p->v[p->n - 1].k[1] = k1;
}

void page_clamp(struct page *p, int h)
{
	size_t hh = h > 0 ? (size_t)h : 1;

	if (p->cur >= p->n)
		p->cur = p->n ? p->n - 1 : 0;
	if (p->has_cursor) {
		if (p->cur < p->top)
			p->top = p->cur;
		if (p->cur >= p->top + hh)
			p->top = p->cur - hh + 1;
	}
	if (p->n <= hh)
		p->top = 0;
	else if (p->top > p->n - hh)
		p->top = p->n - hh;
}

void page_draw(struct page *p, int y, int x, int h, int w)
{
	page_clamp(p, h);
	for (int i = 0; i < h && p->top + (size_t)i < p->n; i++) {
		size_t li = p->top + (size_t)i;
		const struct page_line *l = &p->v[li];
		int el = l->el;

		if (p->has_cursor && li == p->cur) {
			text_fill(y + i, x, w, theme_attr(EL_SELECTED));
			el = EL_SELECTED;
		}
		text_put(y + i, x, l->text, w, theme_attr(el));
	}
}

void page_move(struct page *p, long delta, int h)
{
	size_t *pos = p->has_cursor ? &p->cur : &p->top;
	long v = (long)*pos + delta;

	if (delta < -(long)p->n || v < 0)
		v = 0;
	if (delta > (long)p->n || v >= (long)p->n)
		v = p->n ? (long)p->n - 1 : 0;
	*pos = (size_t)v;
	page_clamp(p, h);
}

const struct page_line *page_current(const struct page *p)
{
	if (!p->has_cursor || p->cur >= p->n)
		return NULL;
	return &p->v[p->cur];
}
