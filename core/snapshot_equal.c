/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Snapshot equality over the field tables of the sample encoding, so that
 * a field added to a table is compared too. Used by the tests of the
 * encoding and of the history that stores it.
 */
#include <stdio.h>
#include <string.h>

#include "codec_rows.h"
#include "snapshot.h"

static bool tables_equal(const struct snapshot *a, const struct snapshot *b,
			 const struct codec_table *t, struct buf sc[2], char *why, size_t sz)
{
	size_t na, nb;
	const void *ra = t->rows(a, &na), *rb = t->rows(b, &nb);

	if (na != nb) {
		snprintf(why, sz, "%s: %zu rows against %zu", t->name, na, nb);
		return false;
	}
	for (size_t i = 0; i < na; i++)
		for (size_t k = 0; k < t->nf; k++)
			if (!codec_field_same(a, ra, i, b, rb, i, t, &t->f[k], &sc[0], &sc[1])) {
				snprintf(why, sz, "%s: row %zu, field %s differs", t->name, i,
					 t->f[k].name);
				return false;
			}
	return true;
}

bool snapshot_equal(const struct snapshot *a, const struct snapshot *b, char *why, size_t sz)
{
	struct buf sc[2] = { { 0 }, { 0 } };
	bool same = true;

	if (sz)
		why[0] = '\0';
	for (size_t k = 0; same && k < codec_ntables; k++)
		same = tables_equal(a, b, codec_tables[k], sc, why, sz);
	/* Owner records are compared per socket; this catches ones no socket points at. */
	if (same && a->socks.owners_n != b->socks.owners_n) {
		snprintf(why, sz, "socket owners: %zu records against %zu", a->socks.owners_n,
			 b->socks.owners_n);
		same = false;
	}
	buf_free(&sc[0]);
	buf_free(&sc[1]);
	return same;
}
