/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sparkline drawing over a series taken from the history ring. The scale is
 * the series' own range: leaktop asks "is it still growing", not "how big".
 */
#include "config.h"

#include "sparkline.h"

#include <string.h>

#include "compat.h"
#include "text.h"
#include "theme.h"

static const char *const blocks_utf8[8] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
static const char *const blocks_ascii[8] = { "_", ".", ":", "-", "=", "+", "*", "#" };

/* Block level 0..7 of each of the last w points, -1 for an absent one. */
static size_t levels(const struct trend_point *v, size_t n, int w, int *out)
{
	size_t first = n > (size_t)w ? n - (size_t)w : 0;
	int64_t lo = 0, hi = 0;
	bool any = false;

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

		if (v[i].present && hi > lo)
			level = (int)((long double)(v[i].value - lo) * 7 / (long double)(hi - lo) + 0.5L);
		out[i - first] = v[i].present ? level : -1;
	}
	return n - first;
}

int sparkline_text(const struct trend_point *v, size_t n, int w, char *out, size_t sz)
{
	int lv[512];
	size_t m, len = 0;
	int k = 0;

	if (!sz)
		return 0;
	out[0] = 0;
	if (w <= 0)
		return 0;
	if (w > (int)ARRAY_SIZE(lv))
		w = (int)ARRAY_SIZE(lv);
	m = levels(v, n, w, lv);
	for (size_t i = 0; i < m; i++) {
		const char *g = lv[i] < 0 ? " " : text_utf8() ? blocks_utf8[lv[i]] : blocks_ascii[lv[i]];
		size_t gl = strlen(g);

		if (len + gl >= sz)
			break;
		memcpy(out + len, g, gl);
		len += gl;
		k++;
	}
	out[len] = 0;
	return k;
}

void sparkline_draw(int y, int x, int w, const struct trend_point *v, size_t n, int el)
{
	char buf[512 * 4];

	if (w <= 0)
		return;
	text_fill(y, x, w, theme_attr(EL_NORMAL));
	sparkline_text(v, n, w, buf, sizeof(buf));
	text_put(y, x, buf, w, theme_attr(el));
}
