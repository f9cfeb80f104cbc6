/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The color and monochrome schemes. Monochrome uses only bold, reverse and
 * underline, so NO_COLOR, TERM=vt100 and terminals without colors show the
 * same information: meters tell classes apart by letter, not by color.
 */
#include "config.h"

#include "theme.h"

#include <curses.h>

#include "compat.h"

struct theme_color {
	short fg, bg;	/* -1: terminal default */
	int attr;
};

static const struct theme_color color_scheme[EL_COUNT] = {
	[EL_NORMAL] = { -1, -1, A_NORMAL },
	[EL_LABEL] = { COLOR_CYAN, -1, A_NORMAL },
	[EL_VALUE] = { -1, -1, A_BOLD },
	[EL_TAB] = { -1, -1, A_NORMAL },
	[EL_TAB_ACTIVE] = { COLOR_BLACK, COLOR_CYAN, A_BOLD },
	[EL_TABLE_HEAD] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL },
	[EL_TABLE_SORT] = { COLOR_BLACK, COLOR_CYAN, A_BOLD },
	[EL_SELECTED] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	[EL_DELTA_UP] = { COLOR_RED, -1, A_BOLD },
	[EL_DELTA_DOWN] = { COLOR_GREEN, -1, A_NORMAL },
	[EL_NEW] = { COLOR_YELLOW, -1, A_BOLD },
	[EL_GONE] = { COLOR_BLUE, -1, A_BOLD },
	[EL_MISSING] = { COLOR_MAGENTA, -1, A_NORMAL },
	[EL_WARN] = { COLOR_YELLOW, -1, A_BOLD },
	[EL_STATUS] = { -1, -1, A_NORMAL },
	[EL_STATUS_KEY] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	[EL_FLAG] = { COLOR_WHITE, COLOR_RED, A_BOLD },
	[EL_HEADING] = { COLOR_GREEN, -1, A_BOLD },
	[EL_METER_ANON] = { COLOR_GREEN, -1, A_BOLD },
	[EL_METER_CACHE] = { COLOR_YELLOW, -1, A_NORMAL },
	[EL_METER_SHMEM] = { COLOR_MAGENTA, -1, A_NORMAL },
	[EL_METER_SLAB_R] = { COLOR_CYAN, -1, A_NORMAL },
	[EL_METER_SLAB_U] = { COLOR_RED, -1, A_BOLD },
	[EL_METER_VMALLOC] = { COLOR_BLUE, -1, A_BOLD },
	[EL_METER_PT] = { COLOR_MAGENTA, -1, A_BOLD },
	[EL_METER_OTHER] = { COLOR_WHITE, -1, A_NORMAL },
	[EL_METER_UNACC] = { COLOR_RED, -1, A_REVERSE },
	[EL_METER_FREE] = { -1, -1, A_DIM },
	[EL_METER_TCP] = { COLOR_CYAN, -1, A_BOLD },
	[EL_METER_MARK] = { COLOR_RED, -1, A_BOLD },
	[EL_SPARK] = { COLOR_CYAN, -1, A_NORMAL },
};

static const int mono_scheme[EL_COUNT] = {
	[EL_NORMAL] = A_NORMAL,
	[EL_LABEL] = A_NORMAL,
	[EL_VALUE] = A_BOLD,
	[EL_TAB] = A_NORMAL,
	[EL_TAB_ACTIVE] = A_REVERSE,
	[EL_TABLE_HEAD] = A_REVERSE,
	[EL_TABLE_SORT] = A_REVERSE | A_BOLD | A_UNDERLINE,
	[EL_SELECTED] = A_REVERSE,
	[EL_DELTA_UP] = A_BOLD,
	[EL_DELTA_DOWN] = A_NORMAL,
	[EL_NEW] = A_BOLD,
	[EL_GONE] = A_DIM,
	[EL_MISSING] = A_NORMAL,
	[EL_WARN] = A_BOLD,
	[EL_STATUS] = A_NORMAL,
	[EL_STATUS_KEY] = A_REVERSE,
	[EL_FLAG] = A_REVERSE | A_BOLD,
	[EL_HEADING] = A_BOLD | A_UNDERLINE,
	[EL_METER_ANON] = A_BOLD,
	[EL_METER_CACHE] = A_NORMAL,
	[EL_METER_SHMEM] = A_NORMAL,
	[EL_METER_SLAB_R] = A_NORMAL,
	[EL_METER_SLAB_U] = A_BOLD,
	[EL_METER_VMALLOC] = A_NORMAL,
	[EL_METER_PT] = A_NORMAL,
	[EL_METER_OTHER] = A_NORMAL,
	[EL_METER_UNACC] = A_BOLD,
	[EL_METER_FREE] = A_NORMAL,
	[EL_METER_TCP] = A_BOLD,
	[EL_METER_MARK] = A_BOLD,
	[EL_SPARK] = A_NORMAL,
};

static enum theme_scheme scheme = THEME_MONO;

void theme_init(enum theme_scheme s, bool default_colors)
{
	scheme = s;
	if (s != THEME_COLOR)
		return;
	for (int i = 0; i < EL_COUNT; i++) {
		short fg = color_scheme[i].fg, bg = color_scheme[i].bg;

		/* Without use_default_colors, -1 is not a color: white on black. */
		if (!default_colors) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)(i + 1), fg, bg);
	}
}

enum theme_scheme theme_scheme(void)
{
	return scheme;
}

int theme_attr(enum theme_el el)
{
	if ((unsigned int)el >= EL_COUNT)
		el = EL_NORMAL;
	if (scheme == THEME_MONO)
		return mono_scheme[el];
	return (int)(COLOR_PAIR(el + 1) | (attr_t)color_scheme[el].attr);
}
