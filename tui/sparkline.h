/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small trend graphs: the last values of a series drawn as block heights
 * (▁▂▃▄▅▆▇█, or " .:-=+*#" on an ASCII terminal), scaled between the
 * series' own minimum and maximum so slow growth still shows.
 */
#ifndef LEAKTOP_SPARKLINE_H
#define LEAKTOP_SPARKLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Draw the last w of n values (oldest first) at (y, x); a value whose
 * present[i] is false is drawn as a blank. present may be NULL. */
void sparkline_draw(int y, int x, int w, const int64_t *v, const bool *present, size_t n, int el);

#endif
