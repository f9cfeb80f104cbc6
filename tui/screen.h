/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The terminal: curses start and stop, the color decision (NO_COLOR, no
 * colors, TERM=vt100 all give the monochrome scheme) and the promise that
 * the terminal is restored however leaktop ends (quit, signal, OOM abort).
 */
#ifndef LEAKTOP_SCREEN_H
#define LEAKTOP_SCREEN_H

#include <stddef.h>

/* Start curses on the controlling terminal. Returns 0, or -1 with a reason
 * in err (no terminal, unknown TERM). */
int screen_init(char *err, size_t errsz);
/* Restore the terminal; safe to call more than once. */
void screen_done(void);
/* Force a full repaint on the next update (Ctrl-L). */
void screen_invalidate(void);
/* Send what changed since the last update: only changed cells go out. */
void screen_update(void);

#endif
