/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Slab tab: /proc/slabinfo caches with their growth since the previous
 * sample (or between A and B), and the caches SLUB merged with each one.
 */
#include "config.h"

#include "drill.h"
#include "tabs.h"

static void slab_drill(struct app *a, const struct field_row *r)
{
	const struct slab_cache *c = fields_entity(r);
	uint64_t k[2];

	fields_slab.key(c, k);
	drill_push(a, DRILL_SLAB, k[0], k[1], c->name);
}

const struct tab tab_slab = {
	.name = "slab",
	.title = "Slab",
	.needs = SNAP_SLAB,
	.missing_src = SRC_SLABINFO,
	.fields = &fields_slab,
	.diff_sort = "dbytes",
	.drill = slab_drill,
};
