/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Series are rebuilt from the ring on demand (a few points per frame), so
 * nothing here keeps state between samples. They read the ring's summaries
 * (history_summary), so a frame never decodes a whole sample.
 */
#include "trend.h"

#include <stdlib.h>

#include "xalloc.h"

bool trend_get_slab_unreclaimable(const struct snapshot *s, const void *arg, int64_t *out)
{
	(void)arg;
	if (!s->mem.valid || !(s->mem.cls_present & (1u << MEM_SLAB_UNRECL)))
		return false;
	*out = s->mem.cls[MEM_SLAB_UNRECL];
	return true;
}

bool trend_get_unaccounted(const struct snapshot *s, const void *arg, int64_t *out)
{
	(void)arg;
	if (!s->mem.valid || !(s->mem.cls_present & (1u << MEM_UNACCOUNTED)))
		return false;
	*out = s->mem.cls[MEM_UNACCOUNTED];
	return true;
}

bool trend_get_tcp_mem(const struct snapshot *s, const void *arg, int64_t *out)
{
	(void)arg;
	if (!(s->sections & SNAP_TCP) || !s->tcp.has_sockstat)
		return false;
	*out = (int64_t)s->tcp.tcp_mem_bytes;
	return true;
}

bool trend_get_slab_bytes(const struct snapshot *s, const void *arg, int64_t *out)
{
	const struct slab_cache *c;

	if (!(s->sections & SNAP_SLAB))
		return false;
	c = slab_table_find(&s->slab, arg);
	if (!c)
		return false;
	*out = (int64_t)c->bytes;
	return true;
}

/* Ring index of end (0 = newest), or h->n when it has left the ring. By
 * sequence number: the ring may hold its own decoded copy of end, or none. */
static size_t ring_pos(const struct history *h, const struct snapshot *end)
{
	return end ? history_index_of_seq(h, end->seq) : h->n;
}

/* How many ring entries, from pos toward older ones, a window of max takes. */
static size_t window_len(const struct history *h, size_t pos, size_t max)
{
	size_t avail = h->n - pos;

	return avail < max ? avail : max;
}

size_t trend_series_fill(struct trend_series *se, const struct history *h,
			 const struct snapshot *end, size_t max, trend_get_fn get, const void *arg)
{
	size_t pos = ring_pos(h, end), len;

	se->n = 0;
	if (!end || pos == h->n)
		return 0;
	len = window_len(h, pos, max);
	xgrow((void **)&se->v, &se->cap, len ? len : 1, sizeof(*se->v));
	/* Walk from end toward older samples, so the window is always the
	 * newest one; store oldest first. */
	for (size_t k = 0; k < len; k++) {
		const struct snapshot *s = history_summary(h, pos + k);
		struct trend_point *p = &se->v[len - 1 - k];

		p->value = 0;
		p->t_mono_ns = s ? s->t_mono_ns : 0;
		p->present = s && get(s, arg, &p->value);
	}
	se->n = len;
	return len;
}

void trend_series_free(struct trend_series *se)
{
	free(se->v);
	se->v = NULL;
	se->n = se->cap = 0;
}

bool trend_change(const struct trend_series *se, int64_t *d)
{
	size_t f = se->n, l = 0;

	for (size_t i = 0; i < se->n; i++)
		if (se->v[i].present) {
			if (f == se->n)
				f = i;
			l = i;
		}
	if (f == se->n || f == l)
		return false;
	*d = se->v[l].value - se->v[f].value;
	return true;
}

const char *trend_top_slab_grower(const struct history *h, const struct snapshot *end, size_t max,
				  int64_t *growth)
{
	const struct snapshot *old = NULL;
	const char *best = NULL;
	int64_t best_d = 0;
	size_t pos, len;

	if (!end || !(end->sections & SNAP_SLAB))
		return NULL;
	pos = ring_pos(h, end);
	if (pos == h->n)
		return NULL;
	len = window_len(h, pos, max);
	for (size_t k = len; k-- > 1;) {
		old = history_summary(h, pos + k);
		if (old && (old->sections & SNAP_SLAB))
			break;
		old = NULL;
	}
	if (!old)
		return NULL;
	for (size_t i = 0; i < end->slab.n; i++) {
		const struct slab_cache *c = &end->slab.v[i];
		const struct slab_cache *oc = slab_table_find(&old->slab, c->name);
		int64_t d = (int64_t)c->bytes - (oc ? (int64_t)oc->bytes : 0);

		if (d > best_d) {
			best_d = d;
			best = c->name;
		}
	}
	if (best)
		*growth = best_d;
	return best;
}
