/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * THE key table: every key leaktop answers to, with its label, its help
 * line, where it applies and its handler. Dispatch, the help screen, the
 * status bar hints and `leaktop --list-keys` (checked against the man page)
 * all read this one table, so none of them can drift.
 */
#ifndef LEAKTOP_KEYS_H
#define LEAKTOP_KEYS_H

#include <stdbool.h>
#include <stdio.h>

struct app;

/* What a handler asks the loop to do next. */
enum key_result {
	KR_NONE = 0,
	KR_REDRAW = 1 << 0,	/* draw again */
	KR_REBUILD = 1 << 1,	/* the view, marks or tab changed: rebuild rows and diff */
	KR_SAMPLE = 1 << 2,	/* take a sample now (a tab needs more sections) */
};

/* Where a key applies. */
enum key_scope {
	KS_TABLE = 1 << 0,	/* a tab with a table (Slab, Sockets, Processes, Vmalloc) */
	KS_PAGE = 1 << 1,	/* a tab that is a page (Memory, TCP) */
	KS_DRILL = 1 << 2,	/* a drill-down */
	KS_HELP = 1 << 3,
	KS_COLUMNS = 1 << 4,	/* the column chooser */
	KS_PROMPT = 1 << 5,	/* editing a filter or the interval */
};

#define KS_TAB (KS_TABLE | KS_PAGE)
#define KS_VIEWS (KS_TAB | KS_DRILL)

#define KEY_CODES_MAX 5

struct key_binding {
	int codes[KEY_CODES_MAX];	/* curses key codes; 0 ends the list */
	const char *label;		/* as the help and the man page spell it: "PgDn", "space" */
	const char *help;
	unsigned int scope;		/* enum key_scope bits */
	const char *bar;		/* short hint for the status bar, or NULL */
	int (*handler)(struct app *a, int key);
};

extern const struct key_binding keys_table[];
extern const size_t keys_count;

/* The scope bits that apply now. */
unsigned int keys_scope_now(const struct app *a);
/* True if b does something now (its scope applies, and what it acts on
 * exists); the status bar shows only those. */
bool keys_available(const struct app *a, const struct key_binding *b);
/* Handle one key; returns enum key_result bits. */
int keys_dispatch(struct app *a, int key);
/* One key per line: "LABEL<TAB>help", in table order. */
void keys_print_list(FILE *out);
/* Scope names for the help screen ("Tables", "Drill-down", ...). */
const char *keys_scope_title(unsigned int scope);

#endif
