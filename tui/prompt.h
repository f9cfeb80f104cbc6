/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The one-line editor on the message line: the `/` filter (applied while
 * typing, Esc clears it) and the `s` interval.
 */
#ifndef LEAKTOP_PROMPT_H
#define LEAKTOP_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

enum prompt_kind {
	PROMPT_FILTER,
	PROMPT_INTERVAL,
	PROMPT_JUMP,	/* replay: a sample or time to go to */
};

struct prompt {
	int kind;		/* enum prompt_kind */
	char text[128];
	size_t len;
	char saved[128];	/* the value before editing, restored by Esc */
	bool fresh;		/* text is the shown default: typing replaces it */
};

void prompt_start(struct prompt *p, enum prompt_kind kind, const char *initial);
/* Insert a printable character; false if it was not one or there is no room. */
bool prompt_insert(struct prompt *p, int ch);
void prompt_erase(struct prompt *p);
void prompt_clear(struct prompt *p);
/* Draw "label text_" at row y across w columns. */
void prompt_draw(const struct prompt *p, int y, int w);

#endif
