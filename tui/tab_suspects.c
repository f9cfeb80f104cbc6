/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Suspects tab: the ranked suspects of the shown sample (core/suspects),
 * one row each through the fields_suspects columns; Enter opens a suspect's
 * evidence. Empty, it says what is watched and when a verdict is possible.
 */
#include "config.h"

#include <stdio.h>

#include "drill.h"
#include "tabs.h"

static size_t suspect_rows(struct app *a, struct field_row **out)
{
	return fields_suspect_rows(app_suspects(a), out);
}

void tab_suspects_empty(const struct app *a, char *out, size_t sz)
{
	const struct suspect_list *l = app_suspects(a);

	if (!l) {
		snprintf(out, sz, "the suspects of sample #%llu are no longer kept",
			 a->view ? (unsigned long long)a->view->seq : 0ULL);
		return;
	}
	suspects_describe_empty(l, out, sz);
}

static void suspect_drill(struct app *a, const struct field_row *r)
{
	uint64_t k[2];

	fields_suspects.key(fields_entity(r), k);
	drill_push(a, DRILL_SUSPECT, k[0], k[1], NULL);
}

const struct tab tab_suspects = {
	.name = "suspects",
	.title = "Suspects",
	.fields = &fields_suspects,
	.diff_sort = "rank",
	.rows = suspect_rows,
	.empty = tab_suspects_empty,
	.drill = suspect_drill,
};
