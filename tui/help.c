/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The help screen: the keys grouped by where they apply, straight from the
 * key table, then the columns of the current table from core/fields.
 */
#include "config.h"

#include "help.h"

#include "keys.h"
#include "tabs.h"
#include "text.h"
#include "theme.h"

static void add_group(struct page *p, unsigned int scope)
{
	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "%s", keys_scope_title(scope));
	for (size_t i = 0; i < keys_count; i++) {
		const struct key_binding *b = &keys_table[i];

		if (b->scope == scope)
			page_add(p, EL_NORMAL, "  %-10s %s", b->label, b->help);
	}
}

void help_open(struct app *a)
{
	struct page *p = &a->help;
	const struct tab *t = tabs[a->tab];
	unsigned int seen[32];
	size_t nseen = 0;

	page_clear(p);
	p->top = 0;
	page_add(p, EL_VALUE, "leaktop: where did the memory go, and what is still growing?");
	page_add(p, EL_NORMAL, "Up/Down/PgUp/PgDn scroll this help; any other key closes it.");
	for (size_t i = 0; i < keys_count; i++) {
		unsigned int sc = keys_table[i].scope;
		size_t j;

		for (j = 0; j < nseen; j++)
			if (seen[j] == sc)
				break;
		if (j < nseen || nseen >= ARRAY_SIZE(seen))
			continue;
		seen[nseen++] = sc;
		add_group(p, sc);
	}
	if (t->fields) {
		page_add(p, EL_NORMAL, "%s", "");
		page_add(p, EL_HEADING, "Columns of the %s table (c chooses, < > sort)", t->title);
		for (size_t i = 0; i < t->fields->n; i++)
			page_add(p, EL_NORMAL, "  %-10s %-9s %s", t->fields->v[i].id,
				 t->fields->v[i].title, t->fields->v[i].help);
	}
	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Marks and diff");
	page_add(p, EL_NORMAL,
		 "  a marks A, b marks B (B is \"now\" until marked); d shows B minus A");
	page_add(p, EL_NORMAL,
		 "  in every tab: + new, - gone, ~ changed. space freezes the display");
	page_add(p, EL_NORMAL, "  while sampling goes on; [ and ] step through the history kept.");
	page_add(p, EL_NORMAL,
		 "  \"-\" means the value is missing (the message line says why), never 0.");
	a->mode = MODE_HELP;
}

void help_draw(struct app *a, int y, int h, int w)
{
	page_draw(&a->help, y, 0, h, w);
}
