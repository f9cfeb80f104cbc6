/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stacked bar drawing. Cells are given to segments by cumulative rounding,
 * so the bar always sums to the same width and a small but present segment
 * is not rounded away to nothing next to a large one.
 */
#include "config.h"

#include "meter.h"

#include <curses.h>

#include "theme.h"

static int cells_for(uint64_t v, uint64_t total, int inner)
{
	if (!total)
		return 0;
	if (v >= total)
		return inner;
	return (int)((long double)v * inner / total + 0.5L);
}

void meter_draw(int y, int x, int w, const struct meter_seg *segs, size_t n,
		const struct meter_mark *marks, size_t nmarks, uint64_t total)
{
	int inner = w - 2, pos = 0;
	uint64_t cum = 0;

	if (w < 3 || y < 0 || y >= LINES)
		return;
	attrset(theme_attr(EL_LABEL));
	mvaddch(y, x, '[');
	for (size_t i = 0; i < n; i++) {
		int end;

		cum += segs[i].value;
		end = cells_for(cum, total, inner);
		/* A present segment gets at least one cell while there is room. */
		if (segs[i].value && end <= pos && pos < inner)
			end = pos + 1;
		attrset(theme_attr(segs[i].el));
		for (; pos < end && pos < inner; pos++)
			mvaddch(y, x + 1 + pos, (chtype)(unsigned char)segs[i].ch);
	}
	attrset(theme_attr(EL_METER_FREE));
	for (; pos < inner; pos++)
		mvaddch(y, x + 1 + pos, '.');
	for (size_t i = 0; i < nmarks; i++) {
		int at = cells_for(marks[i].at, total, inner);

		if (at >= inner)
			at = inner - 1;
		attrset(theme_attr(marks[i].el));
		mvaddch(y, x + 1 + at, (chtype)(unsigned char)marks[i].ch);
	}
	attrset(theme_attr(EL_LABEL));
	mvaddch(y, x + w - 1, ']');
	attrset(A_NORMAL);
}
