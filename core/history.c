/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "history.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void history_init(struct history *h, size_t cap)
{
	memset(h, 0, sizeof(*h));
	h->cap = cap ? cap : 1;
	h->ring = xcalloc(h->cap, sizeof(*h->ring));
}

void history_push(struct history *h, struct snapshot *s)
{
	h->head = (h->head + 1) % h->cap;
	if (h->ring[h->head])
		snapshot_unref(h->ring[h->head]);
	h->ring[h->head] = snapshot_ref(s);
	if (h->n < h->cap)
		h->n++;
}

struct snapshot *history_get(const struct history *h, size_t i)
{
	if (i >= h->n)
		return NULL;
	return h->ring[(h->head + h->cap - i) % h->cap];
}

void history_free(struct history *h)
{
	for (size_t i = 0; i < h->cap; i++)
		if (h->ring[i])
			snapshot_unref(h->ring[i]);
	free(h->ring);
	memset(h, 0, sizeof(*h));
}
