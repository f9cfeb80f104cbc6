/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "codec_strings.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "xalloc.h"

void str_dict_reset(struct str_dict *d)
{
	d->arena.len = 0;
	d->n = 0;
	if (d->slots)
		memset(d->slots, 0, d->nslots * sizeof(*d->slots));
}

void str_dict_free(struct str_dict *d)
{
	buf_free(&d->arena);
	free(d->off);
	free(d->len);
	free(d->slots);
	memset(d, 0, sizeof(*d));
}

uint32_t str_dict_append(struct str_dict *d, const void *p, size_t len)
{
	if (d->n == d->cap) {
		size_t cap = d->cap;

		xgrow((void **)&d->off, &cap, d->n + 1, sizeof(*d->off));
		d->len = xreallocarray(d->len, cap, sizeof(*d->len));
		d->cap = cap;
	}
	d->off[d->n] = d->arena.len;
	d->len[d->n] = (uint32_t)len;
	/* buf_append of nothing must still leave a valid arena pointer. */
	buf_reserve(&d->arena, d->arena.len + len + 1);
	if (len)
		memcpy(d->arena.data + d->arena.len, p, len);
	d->arena.len += len;
	return (uint32_t)++d->n;
}

const char *str_dict_get(const struct str_dict *d, uint64_t id, size_t *len)
{
	if (id == 0 || id > d->n)
		return NULL;
	*len = d->len[id - 1];
	return d->arena.data + d->off[id - 1];
}

static void rehash(struct str_dict *d)
{
	size_t ns = d->nslots ? d->nslots * 2 : 1024;

	free(d->slots);
	d->slots = xcalloc(ns, sizeof(*d->slots));
	d->nslots = ns;
	for (size_t i = 0; i < d->n; i++) {
		size_t h = hash_bytes(d->arena.data + d->off[i], d->len[i], HASH_INIT) & (ns - 1);

		while (d->slots[h])
			h = (h + 1) & (ns - 1);
		d->slots[h] = (uint32_t)(i + 1);
	}
}

uint32_t str_dict_intern(struct str_dict *d, const void *p, size_t len)
{
	size_t h, mask;
	uint32_t id;

	if ((d->n + 1) * 2 > d->nslots)
		rehash(d);
	mask = d->nslots - 1;
	for (h = hash_bytes(p, len, HASH_INIT) & mask; (id = d->slots[h]); h = (h + 1) & mask)
		if (d->len[id - 1] == len && !memcmp(d->arena.data + d->off[id - 1], p, len))
			return id;
	id = str_dict_append(d, p, len);
	d->slots[h] = id;
	return id;
}
