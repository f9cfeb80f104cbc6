/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The last N snapshots in a bounded ring, kept encoded (core/sample_codec.h:
 * a keyframe every HISTORY_KEYFRAME_EVERY, deltas between). Only the newest
 * and the one before stay decoded, plus a small cache of the samples decoded
 * last; anything else is decoded on demand from its group's keyframe, or
 * from a decoded sample before it, or ahead of time on the prefetch thread
 * (history_prefetch). What the UI pins (marks, the frozen view) it holds by
 * its own references; the ring keeps its decoded copy of those while it
 * holds the entry (it costs nothing more) but may drop it at any time:
 * identity is the sequence number, never the pointer.
 *
 * Each entry also keeps a summary: a small snapshot of the memory scalars,
 * the TCP scalars and the slab caches' sizes, enough for the trends and
 * sparklines to walk the whole ring without decoding a sample.
 *
 * A group's records are kept until the whole group has left the ring, since
 * its deltas decode only from its keyframe; those hidden records cost at
 * most one group.
 */
#ifndef LEAKTOP_HISTORY_H
#define LEAKTOP_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "snapshot.h"

/* A step back decodes at most this many records past a keyframe. */
#define HISTORY_KEYFRAME_EVERY 20
/* Decoded samples kept besides the newest two: at most this many, and at
 * most this many bytes of them (struct history's cache_bytes), so that at
 * 100k sockets (18 MB a sample) the cache does not outweigh the ring. */
#define HISTORY_CACHE 3
#define HISTORY_CACHE_BYTES (16u << 20)

struct history_prefetch;
struct prefetch_rows;
struct diff;
struct sample_encoder;
struct sample_decoder;

/* The ring's encoding side: the keyframe schedule and the encoder's
 * dictionary. The ring owns one for history_push; a producer on another
 * thread may own its own and hand the ring finished records
 * (history_push_record), so long as every sample of the ring goes through
 * it, in order. */
struct history_encoder {
	struct sample_encoder *enc;
	size_t since_key;		/* records since the last keyframe */
	bool key_next;			/* the next record must be a keyframe */
	struct buf scratch;		/* encoding output, copied out to size */
};

struct history_entry {
	uint64_t seq;
	uint64_t group;			/* keyframe group, in the ring's own stream */
	bool keyframe;
	struct buf rec;			/* the encoded record; empty if encoding failed */
	struct snapshot *sum;		/* the summary (own ref) */
	struct snapshot *full;		/* decoded (own ref), or NULL */
	uint64_t used;			/* when last decoded or read, for the cache */
};

struct history {
	struct history_entry *ring;	/* phys slots */
	size_t phys;
	size_t cap;			/* N: how many are visible at most */
	size_t n;			/* visible */
	size_t stored;			/* visible and hidden (the oldest group's start) */
	size_t head;			/* slot of the newest */
	uint64_t group;			/* of the last keyframe */
	uint64_t clock;
	/* The decoder's position: it holds the dictionary of dec_group up to
	 * the record of dec_seq. */
	uint64_t dec_group, dec_seq;
	bool dec_valid;
	size_t cache_bytes;		/* HISTORY_CACHE_BYTES unless set after init */
	struct history_encoder *enc;	/* history_push's, made on its first call */
	struct sample_decoder *dec;
	struct history_prefetch *pf;	/* history_prefetch's, made on its first call */
	uint64_t decodes;		/* records decoded by history_get itself */
};

void history_init(struct history *h, size_t cap);
/* Takes a new reference to s (it stays decoded as the newest). */
void history_push(struct history *h, struct snapshot *s);

struct history_encoder *history_encoder_new(void);
void history_encoder_free(struct history_encoder *e);
/* s as the next record of a ring, into rec (its content replaced): a
 * keyframe every HISTORY_KEYFRAME_EVERY records, deltas between. rec is
 * left empty when s cannot be encoded; the ring then keeps it decoded and
 * the next record is a keyframe. */
void history_encoder_run(struct history_encoder *e, struct snapshot *s, struct buf *rec);
/* history_push with the record history_encoder_run made of s; the record's
 * memory is taken (rec is left empty). */
void history_push_record(struct history *h, struct snapshot *s, struct buf *rec);
/*
 * i = 0 is the newest, 1 the one before... NULL past the oldest, or when
 * the record cannot be decoded. No new ref: the pointer is valid until the
 * next history_get or history_push; take a reference to keep it.
 */
struct snapshot *history_get(struct history *h, size_t i);
/*
 * Start decoding entry i on the prefetch thread (core/history_prefetch.h),
 * for a history_get(i) soon after: that call takes it, waiting for it if it
 * is still being decoded, instead of decoding it again. Does nothing when i
 * is decoded already or cannot be. With entry i - 1 decoded, the diff from
 * i to i - 1 is made there as well, for history_take_diff, and with rows
 * (may be NULL) that table's sorted rows in it.
 */
void history_prefetch(struct history *h, size_t i, const struct prefetch_rows *rows);
/* Nothing decoded ahead is wanted any more (the view is live again). */
void history_forget_ahead(struct history *h);
/* The diff from a to b when the prefetch thread made it (it passes to the
 * caller), else NULL: the caller computes it. */
struct diff *history_take_diff(struct history *h, const struct snapshot *a,
			       const struct snapshot *b);
/* The newest, never NULL while n > 0; valid until the next push. */
struct snapshot *history_newest(const struct history *h);
/* The summary of entry i (see above), NULL past the oldest. Valid while the
 * entry is in the ring. */
const struct snapshot *history_summary(const struct history *h, size_t i);
/* Index of the sample numbered seq, or h->n when it is not in the ring. */
size_t history_index_of_seq(const struct history *h, uint64_t seq);
/* Keep only the newest cap samples from now on (cap >= 1). */
void history_shrink(struct history *h, size_t cap);
/* Bytes held by the encoded records and the summaries. */
size_t history_bytes(const struct history *h);
/* Decoded samples the ring holds: the newest two, and the others nobody
 * else holds (one the view or a mark holds too costs nothing more for
 * being in the ring). */
size_t history_decoded(const struct history *h);
void history_free(struct history *h);

#endif
