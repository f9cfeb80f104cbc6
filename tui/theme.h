/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Semantic display elements and their attributes: one table per scheme
 * (color, monochrome), indexed by element, so views never name a color.
 */
#ifndef LEAKTOP_THEME_H
#define LEAKTOP_THEME_H

#include <stdbool.h>

enum theme_el {
	EL_NORMAL,
	EL_LABEL,		/* header captions */
	EL_VALUE,		/* header figures */
	EL_TAB,
	EL_TAB_ACTIVE,
	EL_TABLE_HEAD,
	EL_TABLE_SORT,		/* the sort column's title */
	EL_SELECTED,
	EL_DELTA_UP,		/* growth */
	EL_DELTA_DOWN,
	EL_NEW,
	EL_GONE,
	EL_MISSING,		/* "-" and the reason */
	EL_WARN,
	EL_STATUS,
	EL_STATUS_KEY,
	EL_FLAG,		/* FROZEN, DIFF */
	EL_HEADING,		/* section titles in pages */
	EL_METER_ANON,
	EL_METER_CACHE,
	EL_METER_SHMEM,
	EL_METER_SLAB_R,
	EL_METER_SLAB_U,
	EL_METER_VMALLOC,
	EL_METER_PT,
	EL_METER_OTHER,
	EL_METER_UNACC,
	EL_METER_FREE,
	EL_METER_TCP,
	EL_METER_MARK,		/* pressure and max marks */
	EL_SPARK,
	EL_COUNT,
};

enum theme_scheme {
	THEME_COLOR,
	THEME_MONO,
};

/* Pick the scheme; THEME_COLOR needs start_color() to have been called.
 * default_colors: use_default_colors() worked, -1 may stand for "default". */
void theme_init(enum theme_scheme s, bool default_colors);
enum theme_scheme theme_scheme(void);
/* The curses attribute of el in the current scheme. */
int theme_attr(enum theme_el el);

#endif
