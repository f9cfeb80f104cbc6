/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rows of the "name value" files, see namevalue.h. Lookups after the parse
 * are few and scan the rows; the duplicate check runs once per line, so it
 * goes through a hash index (linear probing, at most half full) that lives
 * only as long as the parse.
 */
#include "namevalue.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "xalloc.h"

#define NV_MIN_SLOTS 64

const void *nv_find(const struct nv_layout *l, const void *v, size_t n, const char *name)
{
	const char *row = v;

	for (size_t i = 0; i < n; i++, row += l->row_size)
		if (strcmp(row, name) == 0)
			return row;
	return NULL;
}

static const char *row_at(const struct nv_layout *l, const void *v, size_t i)
{
	return (const char *)v + i * l->row_size;
}

/* The slot that holds name, or the free one where it would go. */
static uint32_t *slot_for(const struct nv_layout *l, const struct nv_build *b, const void *v,
			  const char *name)
{
	size_t mask = b->nslots - 1;
	size_t i = (size_t)hash_str(name, HASH_INIT) & mask;

	while (b->slots[i] && strcmp(row_at(l, v, b->slots[i] - 1), name) != 0)
		i = (i + 1) & mask;
	return &b->slots[i];
}

/* Room for one more name with the index at most half full. */
static void index_reserve(const struct nv_layout *l, struct nv_build *b, const void *v, size_t n)
{
	size_t nslots = b->nslots ? b->nslots : NV_MIN_SLOTS;

	while (nslots < 2 * (n + 1))
		nslots *= 2;
	if (nslots == b->nslots)
		return;
	free(b->slots);
	b->slots = xcalloc(nslots, sizeof(*b->slots));
	b->nslots = nslots;
	for (size_t i = 0; i < n; i++) {
		uint32_t *slot = slot_for(l, b, v, row_at(l, v, i));

		if (!*slot)	/* rows cut to the same name: the first stays */
			*slot = (uint32_t)(i + 1);
	}
}

void *nv_append(const struct nv_layout *l, void **v, size_t *n, struct nv_build *b,
		const char *name, struct notes *notes, const char *source, unsigned int lineno)
{
	uint32_t *slot;
	size_t len;
	char *row;

	if (*n >= l->max_rows) {
		if (!b->capped)
			notes_add(notes, NOTE_WARN, source, lineno, "more than %zu %ss, rest ignored",
				  l->max_rows, l->what);
		b->capped = true;
		return NULL;
	}
	index_reserve(l, b, *v, *n);
	slot = slot_for(l, b, *v, name);
	if (*slot) {
		notes_add(notes, NOTE_WARN, source, lineno, "duplicate %s '%s', first value kept",
			  l->what, name);
		return NULL;
	}
	xgrow(v, &b->cap, *n + 1, l->row_size);
	row = (char *)*v + *n * l->row_size;
	memset(row, 0, l->row_size);
	len = strnlen(name, l->name_size - 1);
	memcpy(row, name, len);
	/* A name cut to fit is indexed as the row holds it, which is what
	 * nv_find compares. */
	if (name[len])
		slot = slot_for(l, b, *v, row);
	if (!*slot)
		*slot = (uint32_t)(*n + 1);
	(*n)++;
	return row;
}

void nv_build_free(struct nv_build *b)
{
	free(b->slots);
	memset(b, 0, sizeof(*b));
}
