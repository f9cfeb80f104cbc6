/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Width-aware drawing of text that has already been through strsafe (or is
 * leaktop's own). A byte sequence that is not printable UTF-8 never reaches
 * the terminal: it is drawn as '?'. No locale-dependent decoding is used, so
 * a wrong LANG cannot turn a byte into a control character.
 */
#include "config.h"

#include "text.h"

#include <ctype.h>
#include <curses.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "strsafe.h"

static bool utf8_out;

void text_init(bool utf8)
{
	utf8_out = utf8;
}

bool text_utf8(void)
{
	return utf8_out;
}

const char *text_glyph(const char *u, const char *a)
{
	return utf8_out ? u : a;
}

void text_safe(const char *raw, char *out, size_t sz)
{
	strsafe_escape(raw, strlen(raw), out, sz);
}

/* Decode one UTF-8 sequence; returns its length and sets *cp, or 1 with
 * *cp = 0xfffd for a bad byte. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	size_t n = strsafe_utf8_decode((const char *)s, strnlen((const char *)s, 4), cp);

	if (n)
		return n;
	*cp = 0xfffd;
	return 1;
}

/* What is drawn for cp, and its width. */
static wchar_t shown(uint32_t cp, int *w)
{
	int cw;

	if (cp < 0x80) {
		*w = 1;
		return (cp >= 0x20 && cp < 0x7f) ? (wchar_t)cp : L'?';
	}
	if (!utf8_out) {
		*w = 1;
		return cp == 0x394 ? L'd' : L'?'; /* Δ in column titles */
	}
	if (cp >= 0x80 && cp < 0xa0) {
		*w = 1;
		return L'?';
	}
	cw = wcwidth((wchar_t)cp);
	if (cw < 0 || !iswprint((wint_t)cp)) {
		*w = 1;
		return L'?';
	}
	*w = cw;
	return (wchar_t)cp;
}

int text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int total = 0, w;
	uint32_t cp;

	while (*p) {
		p += utf8_next(p, &cp);
		shown(cp, &w);
		total += w;
	}
	return total;
}

int text_put(int y, int x, const char *s, int maxw, int attr)
{
	const unsigned char *p = (const unsigned char *)s;
	wchar_t wbuf[512];
	int used = 0, n = 0, w;
	uint32_t cp;

	if (y < 0 || y >= LINES || x < 0 || x >= COLS || maxw <= 0)
		return 0;
	if (maxw > COLS - x)
		maxw = COLS - x;
	while (*p && n < (int)(sizeof(wbuf) / sizeof(wbuf[0])) - 1) {
		wchar_t wc;

		p += utf8_next(p, &cp);
		wc = shown(cp, &w);
		if (w == 0)
			continue;
		if (used + w > maxw)
			break;
		wbuf[n++] = wc;
		used += w;
	}
	wbuf[n] = 0;
	attrset(attr);
	mvaddnwstr(y, x, wbuf, n);
	attrset(A_NORMAL);
	return used;
}

void text_put_right(int y, int x, const char *s, int w, int attr)
{
	int sw = text_width(s);

	if (sw <= w) {
		text_fill(y, x, w - sw, attr);
		text_put(y, x + w - sw, s, sw, attr);
		return;
	}
	/* Too wide: keep the end, where the units and the least significant
	 * part are. */
	while (*s && text_width(s) > w) {
		uint32_t cp;

		s += utf8_next((const unsigned char *)s, &cp);
	}
	text_put(y, x, s, w, attr);
}

void text_fill(int y, int x, int w, int attr)
{
	if (y < 0 || y >= LINES || x < 0 || x >= COLS || w <= 0)
		return;
	if (w > COLS - x)
		w = COLS - x;
	mvhline(y, x, (chtype)' ' | (chtype)attr, w);
}

bool text_contains(const char *hay, const char *needle)
{
	size_t nl = strlen(needle);

	if (!nl)
		return true;
	for (; *hay; hay++) {
		size_t i;

		for (i = 0; i < nl && hay[i]; i++)
			if (tolower((unsigned char)hay[i]) != tolower((unsigned char)needle[i]))
				break;
		if (i == nl)
			return true;
	}
	return false;
}
