/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small trend graphs: the last points of a series drawn as block heights
 * (▁▂▃▄▅▆▇█, or " .:-=+*#" on an ASCII terminal), scaled between the
 * series' own minimum and maximum so slow growth still shows.
 */
#ifndef LEAKTOP_SPARKLINE_H
#define LEAKTOP_SPARKLINE_H

#include <stddef.h>

#include "trend.h"

/* Draw the last w of n points (oldest first) at (y, x); an absent point is
 * drawn as a blank. */
void sparkline_draw(int y, int x, int w, const struct trend_point *v, size_t n, int el);

/* The same graph as text: the last w of n points, one glyph each (a blank
 * for an absent point), NUL-terminated within sz. Returns the glyphs written. */
int sparkline_text(const struct trend_point *v, size_t n, int w, char *out, size_t sz);

#endif
