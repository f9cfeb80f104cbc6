/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sparkline drawing over a series taken from the history ring. The scale is
 * the series' own range: leaktop asks "is it still growing", not "how big".
 */
#include "config.h"

#include "sparkline.h"

#include "text.h"
#include "theme.h"

static const char *const blocks_utf8[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
static const char *const blocks_ascii[8] = { "_", ".", ":", "-", "=", "+", "*", "#" };

void sparkline_draw(int y, int x, int w, const struct trend_point *v, size_t n, int el)
{
	size_t first = n > (size_t)w ? n - (size_t)w : 0;
	int64_t lo = 0, hi = 0;
	bool any = false;

	if (w <= 0)
		return;
	text_fill(y, x, w, theme_attr(EL_NORMAL));
	for (size_t i = first; i < n; i++) {
		if (!v[i].present)
			continue;
		if (!any || v[i].value < lo)
			lo = v[i].value;
		if (!any || v[i].value > hi)
			hi = v[i].value;
		any = true;
	}
	for (size_t i = first; i < n; i++) {
		int level = 0;

		if (!v[i].present)
			continue;
		if (hi > lo)
			level = (int)((long double)(v[i].value - lo) * 7 / (long double)(hi - lo) + 0.5L);
		text_put(y, x + (int)(i - first),
			 text_utf8() ? blocks_utf8[level] : blocks_ascii[level], 1, theme_attr(el));
	}
}
