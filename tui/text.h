/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The only path from a string to the screen. System strings are first made
 * safe by strsafe (text_safe); every draw then decodes UTF-8 itself, replaces
 * anything unprintable, cuts by display width (wcwidth) and, on a terminal
 * that is not UTF-8, draws ASCII only.
 */
#ifndef LEAKTOP_TEXT_H
#define LEAKTOP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Decide UTF-8 or ASCII output (from the locale's codeset). */
void text_init(bool utf8);
bool text_utf8(void);
/* u on a UTF-8 terminal, else the ASCII stand-in a. */
const char *text_glyph(const char *u, const char *a);

/* Escape a raw system string (comm, cmdline, path) through strsafe into out. */
void text_safe(const char *raw, char *out, size_t sz);

/* Display columns s takes when drawn. */
int text_width(const char *s);
/* Draw s at (y, x) in at most maxw columns with attribute attr; returns the
 * columns used. Nothing is drawn outside the screen. */
int text_put(int y, int x, const char *s, int maxw, int attr);
/* Draw s right-aligned in a field of w columns (cut on the left if longer). */
void text_put_right(int y, int x, const char *s, int w, int attr);
/* Blank w columns at (y, x) with attr. */
void text_fill(int y, int x, int w, int attr);
/* Case-insensitive substring test (ASCII folding) used by the filters. */
bool text_contains(const char *hay, const char *needle);

#endif
