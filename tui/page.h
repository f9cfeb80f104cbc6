/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A page: lines of text with a display element each, scrolled as a whole,
 * optionally with a cursor line and links (a line naming a process or a
 * socket that Enter opens). The Memory and TCP tabs, the drill-downs and the
 * help screen are pages. Text added here is leaktop's own or already
 * escaped by text_safe.
 */
#ifndef LEAKTOP_PAGE_H
#define LEAKTOP_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat.h"

enum page_link {
	LINK_NONE,
	LINK_PROC,	/* k[0] pid, k[1] starttime */
	LINK_SOCK,	/* k[0] inode, k[1] cookie */
	LINK_TARGET,	/* the target of the suspect k (fields_suspects key) */
	LINK_CG_PROCS,	/* the processes of cgroup k (hier, id) */
	LINK_CG_SOCKS,	/* the sockets charged to cgroup k (hier, id) */
};

struct page_line {
	char *text;
	int el;			/* enum theme_el */
	uint8_t link;		/* enum page_link */
	uint64_t k[2];
};

struct page {
	struct page_line *v;
	size_t n, cap;
	size_t top;		/* first line shown */
	size_t cur;		/* cursor line, when has_cursor */
	bool has_cursor;
	const char *filter;	/* NULL or "": every line; else lines holding it, and headings */
};

void page_clear(struct page *p);
void page_free(struct page *p);
void page_add(struct page *p, int el, const char *fmt, ...) ATTR_FORMAT(3, 4);
/* Make the last line a link. */
void page_link(struct page *p, enum page_link kind, uint64_t k0, uint64_t k1);
/* Keep top and cur within the page for a view of h lines. */
void page_clamp(struct page *p, int h);
void page_draw(struct page *p, int y, int x, int h, int w);
/* Move the cursor (or the view when there is none) by delta lines; use
 * SIZE_MAX-like big values for Home/End. */
void page_move(struct page *p, long delta, int h);
const struct page_line *page_current(const struct page *p);

#endif
