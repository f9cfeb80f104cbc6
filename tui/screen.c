/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Curses setup and teardown. Every frame is drawn with erase() into stdscr
 * and sent with wnoutrefresh/doupdate, so curses sends only the cells that
 * changed (a slow SSH link sees a few bytes per tick, never a full clear).
 * The xalloc fatal hook restores the terminal before an OOM abort.
 */
#include "config.h"

#include "screen.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "theme.h"
#include "xalloc.h"

static SCREEN *term_screen;
static bool active;

static void screen_fatal_hook(void)
{
	screen_done();
}

static bool want_color(void)
{
	const char *nc = getenv("NO_COLOR");

	/* no-color.org: present and not empty disables color. */
	if (nc && *nc)
		return false;
	return has_colors();
}

int screen_init(char *err, size_t errsz)
{
	const char *cs;
	bool def = false;

	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	text_init(cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8")));
	term_screen = newterm(NULL, stdout, stdin);
	if (!term_screen) {
		snprintf(err, errsz, "cannot start the terminal (TERM=%s)",
			 getenv("TERM") ? getenv("TERM") : "unset");
		return -1;
	}
	set_term(term_screen);
	active = true;
	xalloc_set_fatal_hook(screen_fatal_hook);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* Esc must answer at once; real escape sequences arrive together. */
	set_escdelay(25);
	curs_set(0);
	if (want_color()) {
		start_color();
		def = use_default_colors() == OK;
		theme_init(THEME_COLOR, def);
	} else {
		theme_init(THEME_MONO, false);
	}
	return 0;
}

void screen_done(void)
{
	if (!active)
		return;
	active = false;
	curs_set(1);
	endwin();
	if (term_screen) {
		delscreen(term_screen);
		term_screen = NULL;
	}
}

void screen_invalidate(void)
{
	clearok(curscr, TRUE);
}

void screen_update(void)
{
	wnoutrefresh(stdscr);
	doupdate();
}
