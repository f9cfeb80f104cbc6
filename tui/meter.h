/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A stacked bar: segments of a total, each drawn with its own letter and
 * display element, so a monochrome terminal still tells them apart
 * ("[aaaaccccUUU.....]"). Marks (pressure, max) can be laid over the bar.
 */
#ifndef LEAKTOP_METER_H
#define LEAKTOP_METER_H

#include <stddef.h>
#include <stdint.h>

struct meter_seg {
	uint64_t value;
	char ch;	/* letter drawn for this segment */
	int el;		/* enum theme_el */
};

struct meter_mark {
	uint64_t at;	/* position on the same scale as the segments */
	char ch;	/* '|' */
	int el;
};

/* Draw "[...]" at (y, x) in w columns (w >= 3) for segments summing to at
 * most total; the rest is drawn as empty. */
void meter_draw(int y, int x, int w, const struct meter_seg *segs, size_t n,
		const struct meter_mark *marks, size_t nmarks, uint64_t total);

#endif
