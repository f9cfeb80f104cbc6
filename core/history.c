/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stepping back decodes forward from the nearest decoded sample of the
 * same group that the decoder can continue from (else the group's
 * keyframe), and the samples decoded on the way are what the cache keeps:
 * the ones just before the target, which are the next steps back.
 */
#include "history.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "history_prefetch.h"
#include "sample_codec.h"
#include "xalloc.h"

/* Logical index i (0 = newest) among the stored entries. */
static struct history_entry *slot(const struct history *h, size_t i)
{
	return &h->ring[(h->head + h->phys - i) % h->phys];
}

void history_init(struct history *h, size_t cap)
{
	memset(h, 0, sizeof(*h));
	h->cap = cap ? cap : 1;
	h->phys = h->cap + HISTORY_KEYFRAME_EVERY;
	h->ring = xcalloc(h->phys, sizeof(*h->ring));
	h->cache_bytes = HISTORY_CACHE_BYTES;
	h->dec = sample_decoder_new();
}

static void drop_full(struct history_entry *e)
{
	snapshot_unref(e->full);
	e->full = NULL;
}

static void entry_clear(struct history_entry *e)
{
	drop_full(e);
	snapshot_unref(e->sum);
	buf_free(&e->rec);
	memset(e, 0, sizeof(*e));
}

/* What the trends read, copied out of s without its big tables. */
static struct snapshot *summarize(const struct snapshot *s)
{
	struct snapshot *m = snapshot_new();

	m->seq = s->seq;
	m->t_real = s->t_real;
	m->t_mono_ns = s->t_mono_ns;
	m->page_size = s->page_size;
	m->sections = s->sections & (SNAP_MEM | SNAP_TCP | SNAP_SLAB);
	m->mem = s->mem;
	m->tcp = s->tcp;
	m->tcp.counters = NULL;
	m->tcp.ncounters = m->tcp.counters_cap = 0;
	m->slab.total_bytes = s->slab.total_bytes;
	m->slab.total_active_bytes = s->slab.total_active_bytes;
	if (s->slab.n) {
		m->slab.v = xcalloc(s->slab.n, sizeof(*m->slab.v));
		for (size_t i = 0; i < s->slab.n; i++) {
			memcpy(m->slab.v[i].name, s->slab.v[i].name, sizeof(m->slab.v[i].name));
			m->slab.v[i].bytes = s->slab.v[i].bytes;
		}
		m->slab.n = s->slab.n;
	}
	return m;
}

/* The hidden entries (past the visible ones) are kept only from the
 * keyframe of the oldest visible entry's group: they lead up to it. */
static void prune(struct history *h)
{
	size_t keep = h->stored;

	for (size_t j = h->n ? h->n - 1 : 0; j < h->stored; j++) {
		const struct history_entry *e = slot(h, j);

		if (e->keyframe || !e->rec.len) {
			keep = j + 1;
			break;
		}
	}
	if (!h->n)
		keep = 0;
	while (h->stored > keep && h->stored > h->n)
		entry_clear(slot(h, --h->stored));
}

/* Decoded samples beyond the newest two and the cache (its count and its
 * bytes) go, oldest use first; never keep nor keep2, the two a walk stands
 * on. A sample someone else holds too (the view, a mark, a diff) neither
 * counts nor goes: dropping the ring's reference would free nothing, and
 * the next step would decode it again. */
static void trim_cache(struct history *h, const struct history_entry *keep,
		       const struct history_entry *keep2)
{
	for (;;) {
		struct history_entry *lru = NULL;
		size_t held = 0, bytes = 0;

		for (size_t i = 2; i < h->stored; i++) {
			struct history_entry *e = slot(h, i);

			if (!e->full || !e->rec.len || atomic_load(&e->full->refs) > 1)
				continue;
			held++;
			bytes += snapshot_mem_bytes(e->full);
			if (e != keep && e != keep2 && (!lru || e->used < lru->used))
				lru = e;
		}
		if (!lru || (held <= HISTORY_CACHE && bytes <= h->cache_bytes))
			return;
		drop_full(lru);
	}
}

struct history_encoder *history_encoder_new(void)
{
	struct history_encoder *e = xcalloc(1, sizeof(*e));

	e->enc = sample_encoder_new(0);
	e->key_next = true;
	return e;
}

void history_encoder_free(struct history_encoder *e)
{
	if (!e)
		return;
	sample_encoder_free(e->enc);
	buf_free(&e->scratch);
	free(e);
}

void history_encoder_run(struct history_encoder *e, struct snapshot *s, struct buf *rec)
{
	bool key = e->key_next || e->since_key + 1 >= HISTORY_KEYFRAME_EVERY;

	rec->len = 0;
	if (sample_encode(e->enc, s, key, &e->scratch) < 0) {
		/* Kept decoded for good; the stream starts again after it. */
		e->key_next = true;
		return;
	}
	/* Sized to fit: the scratch buffer has room for the worst case. */
	buf_free(rec);
	rec->data = xmalloc(e->scratch.len + 1);
	memcpy(rec->data, e->scratch.data, e->scratch.len);
	rec->len = e->scratch.len;
	rec->cap = rec->len + 1;
	buf_release(&e->scratch, SAMPLE_BUF_KEEP);
	e->since_key = key ? 0 : e->since_key + 1;
	e->key_next = false;
}

void history_push(struct history *h, struct snapshot *s)
{
	struct buf rec = { 0 };

	if (!h->enc)
		h->enc = history_encoder_new();
	history_encoder_run(h->enc, s, &rec);
	history_push_record(h, s, &rec);
}

void history_push_record(struct history *h, struct snapshot *s, struct buf *rec)
{
	struct history_entry *e;

	if (h->stored == h->phys)	/* only with keyframes further apart than the slack */
		entry_clear(slot(h, --h->stored));
	h->head = (h->head + 1) % h->phys;
	e = &h->ring[h->head];
	entry_clear(e);
	h->stored++;
	if (h->n < h->cap)
		h->n++;
	e->seq = s->seq;
	e->full = snapshot_ref(s);
	e->sum = summarize(s);
	e->used = ++h->clock;
	if (rec->len) {
		struct sample_record_info info;

		e->rec = *rec;
		sample_record_peek(e->rec.data, e->rec.len, &info);
		e->keyframe = info.keyframe;
		if (info.keyframe)
			h->group = info.group;
		e->group = info.group;
	} else {
		buf_free(rec);
	}
	memset(rec, 0, sizeof(*rec));
	prune(h);
	trim_cache(h, NULL, NULL);
}

/* Decode entry i, the one before it (i + 1) being prev (NULL for a
 * keyframe). The decoder must hold the group's dictionary up to i + 1. */
static struct snapshot *decode_one(struct history *h, size_t i, const struct snapshot *prev)
{
	struct history_entry *e = slot(h, i);
	const char *err;
	struct snapshot *s = sample_decode(h->dec, e->rec.data, e->rec.len, prev, &err);

	h->decodes++;
	if (!s) {
		h->dec_valid = false;
		return NULL;
	}
	if (e->keyframe || !h->dec_valid || h->dec_group != e->group || h->dec_seq < e->seq) {
		h->dec_group = e->group;
		h->dec_seq = e->seq;
		h->dec_valid = true;
	}
	e->full = s;
	e->used = ++h->clock;
	return s;
}

/* The decoder holds e's group dictionary up to e. */
static bool covers(const struct history *h, const struct history_entry *e)
{
	return h->dec_valid && h->dec_group == e->group && h->dec_seq >= e->seq;
}

/* The stored index to decode forward from for target i: a decoded entry of
 * its group that the decoder can continue from, else the group's keyframe.
 * *decoded says which. h->stored when there is none. */
static size_t anchor_of(const struct history *h, size_t i, bool *decoded)
{
	const struct history_entry *t = slot(h, i);

	for (size_t j = i + 1; j < h->stored; j++) {
		const struct history_entry *e = slot(h, j);

		if (!e->rec.len || e->group != t->group)
			break;
		if (e->full && covers(h, e)) {
			*decoded = true;
			return j;
		}
		if (e->keyframe) {
			*decoded = false;
			return j;
		}
	}
	return h->stored;
}

struct snapshot *history_get(struct history *h, size_t i)
{
	struct history_entry *t;
	bool decoded = false;
	size_t a;
	struct snapshot *prev;

	if (i >= h->n)
		return NULL;
	t = slot(h, i);
	if (!t->full && h->pf)
		t->full = history_prefetch_take(h->pf, t->seq);
	if (t->full) {
		t->used = ++h->clock;
		trim_cache(h, t, NULL);
		return t->full;
	}
	if (t->keyframe) {
		a = i;
	} else {
		a = anchor_of(h, i, &decoded);
		if (a == h->stored)
			return NULL;
	}
	prev = decoded ? slot(h, a)->full : NULL;
	for (size_t j = decoded ? a - 1 : a;; j--) {
		struct history_entry *e = slot(h, j);
		const struct history_entry *before = j + 1 < h->stored ? slot(h, j + 1) : NULL;

		/* A sample decoded elsewhere (pushed, or before the decoder
		 * moved on) is decoded again so that the decoder reads its
		 * dictionary entries. */
		if (!e->full || !covers(h, e)) {
			drop_full(e);
			if (!decode_one(h, j, prev))
				return NULL;
		}
		prev = e->full;
		/* Keep the cache bounded while walking a long way; the one
		 * before the target stays too: the view's deltas are against
		 * it. */
		trim_cache(h, e, before);
		if (j == i)
			break;
	}
	return t->full;
}

void history_prefetch(struct history *h, size_t i, const struct prefetch_rows *rows)
{
	const struct history_entry *t, *e;
	const struct buf **recs;
	size_t k = i;

	if (i >= h->n)
		return;
	t = slot(h, i);
	if (t->full || !t->rec.len)
		return;
	for (;; k++) {
		if (k >= h->stored)
			return;
		e = slot(h, k);
		if (!e->rec.len || e->group != t->group)
			return;
		if (e->keyframe)
			break;
	}
	if (!h->pf)
		h->pf = history_prefetch_new();
	recs = xcalloc(k - i + 1, sizeof(*recs));
	for (size_t m = 0; m <= k - i; m++)
		recs[m] = &slot(h, k - m)->rec;
	/* The sample after it is shown once the user steps there: its
	 * deltas against this one are made ahead too. */
	history_prefetch_start(h->pf, t->seq, recs, k - i + 1, i ? slot(h, i - 1)->full : NULL,
			       rows);
	free(recs);
}

void history_forget_ahead(struct history *h)
{
	if (h->pf)
		history_prefetch_forget(h->pf);
}

struct diff *history_take_diff(struct history *h, const struct snapshot *a,
			       const struct snapshot *b)
{
	return h->pf && a && b ? history_prefetch_take_diff(h->pf, a, b) : NULL;
}

struct snapshot *history_newest(const struct history *h)
{
	return h->n ? slot(h, 0)->full : NULL;
}

const struct snapshot *history_summary(const struct history *h, size_t i)
{
	return i < h->n ? slot(h, i)->sum : NULL;
}

size_t history_index_of_seq(const struct history *h, uint64_t seq)
{
	for (size_t i = 0; i < h->n; i++)
		if (slot(h, i)->seq == seq)
			return i;
	return h->n;
}

void history_shrink(struct history *h, size_t cap)
{
	if (!cap)
		cap = 1;
	if (cap >= h->cap)
		return;
	h->cap = cap;
	if (h->n > cap)
		h->n = cap;
	prune(h);
}

size_t history_bytes(const struct history *h)
{
	size_t b = h->phys * sizeof(*h->ring);

	for (size_t i = 0; i < h->stored; i++) {
		const struct history_entry *e = slot(h, i);

		b += e->rec.cap + sizeof(*e->sum) + e->sum->slab.n * sizeof(*e->sum->slab.v);
	}
	return b;
}

size_t history_decoded(const struct history *h)
{
	size_t k = 0;

	for (size_t i = 0; i < h->stored; i++) {
		const struct snapshot *s = slot(h, i)->full;

		k += s && (i < 2 || atomic_load(&s->refs) == 1);
	}
	return k;
}

void history_free(struct history *h)
{
	for (size_t i = 0; i < h->phys; i++)
		entry_clear(&h->ring[i]);
	free(h->ring);
	history_prefetch_free(h->pf);
	history_encoder_free(h->enc);
	sample_decoder_free(h->dec);
	memset(h, 0, sizeof(*h));
}
