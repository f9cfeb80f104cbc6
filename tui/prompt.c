/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal line editor: ASCII printable input only (filters match ASCII
 * case-insensitively, and the interval is a number), end-of-line editing.
 * The interval prompt opens with the current value as a default that typing
 * replaces; the filter prompt opens with the current filter to refine.
 * Backspace edits, Ctrl-U clears the line.
 */
#include "config.h"

#include "prompt.h"

#include <stdio.h>
#include <string.h>

#include "text.h"
#include "theme.h"

void prompt_start(struct prompt *p, enum prompt_kind kind, const char *initial)
{
	p->kind = kind;
	snprintf(p->text, sizeof(p->text), "%s", initial ? initial : "");
	snprintf(p->saved, sizeof(p->saved), "%s", p->text);
	p->len = strlen(p->text);
	/* A filter is refined by typing on; an interval is usually replaced. */
	p->fresh = kind == PROMPT_INTERVAL && p->len > 0;
}

bool prompt_insert(struct prompt *p, int ch)
{
	if (ch < 0x20 || ch >= 0x7f)
		return false;
	/* The current value is shown as a default, as a dialog shows a
	 * selected field: the first character typed starts a new value. */
	if (p->fresh)
		prompt_clear(p);
	if (p->len + 1 >= sizeof(p->text))
		return false;
	p->text[p->len++] = (char)ch;
	p->text[p->len] = 0;
	return true;
}

void prompt_erase(struct prompt *p)
{
	p->fresh = false;
	if (p->len)
		p->text[--p->len] = 0;
}

void prompt_clear(struct prompt *p)
{
	p->fresh = false;
	p->len = 0;
	p->text[0] = 0;
}

void prompt_draw(const struct prompt *p, int y, int w)
{
	static const char *const labels[] = {
		[PROMPT_FILTER] = "Filter: ",
		[PROMPT_INTERVAL] = "Interval (seconds): ",
		[PROMPT_JUMP] = "Go to (#N, HH:MM, -1h): ",
	};
	const char *label = labels[p->kind];
	int x;

	text_fill(y, 0, w, theme_attr(EL_NORMAL));
	x = text_put(y, 0, label, w, theme_attr(EL_STATUS_KEY));
	x += text_put(y, x, p->text, w - x - 1, theme_attr(EL_VALUE));
	text_put(y, x, "_", 1, theme_attr(EL_VALUE));
}
