/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Decoding a history sample ahead, on a thread of its own. A user stepping
 * back through an encoded ring needs, for each step, the sample before the
 * one shown (the deltas are against it), and decoding it means decoding
 * forward from its group's keyframe: at 100k sockets 44 ms for the keyframe
 * and 7 ms for each delta after it. The ring asks for that sample while the
 * user looks at the one shown (history_prefetch), so that the next step
 * finds it decoded.
 *
 * A job is a copy of the records from a keyframe to the sample wanted
 * (copied, so that the ring may drop its own while the job runs), decoded
 * with a decoder of the job's own. One job runs at a time; a newer request
 * replaces one not started yet and makes a running one stop between two
 * records. One result waits to be taken.
 *
 * The step also shows the deltas of the sample after the one decoded
 * against it (diff_compute, 5-9 ms at 100k sockets): given that sample, the
 * job computes that diff too, and it waits to be taken beside the result.
 * Asked for, the job also builds and sorts the rows of one table of that
 * diff (another 5-10 ms at 100k), kept in the diff (diff.h: sorted).
 */
#ifndef LEAKTOP_HISTORY_PREFETCH_H
#define LEAKTOP_HISTORY_PREFETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diff.h"
#include "fields.h"
#include "snapshot.h"

struct history_prefetch;

/* Which rows a job builds with its diff: those of ft in the order of
 * ft->v[sort] (largest first when desc), with no trend engine at hand (an
 * older sample has none). */
struct prefetch_rows {
	const struct field_table *ft;
	size_t sort;
	bool desc;
};

/* The thread starts with the first job; NULL never (allocation aborts). */
struct history_prefetch *history_prefetch_new(void);
/* Stops a running job between two records and joins the thread. */
void history_prefetch_free(struct history_prefetch *p);
/*
 * Decode recs[0..n) (recs[0] a keyframe, each next record a delta on the one
 * before) and keep the last, sample seq; with then (the decoded sample after
 * seq; the job holds a reference), the diff from it to then as well, and
 * with rows (may be NULL; copied) that table's sorted rows in the diff. The
 * records are copied. Does nothing when seq is already being decoded or
 * waits to be taken.
 */
void history_prefetch_start(struct history_prefetch *p, uint64_t seq, const struct buf *const *recs,
			    size_t n, struct snapshot *then, const struct prefetch_rows *rows);
/*
 * Sample seq when it was decoded: its reference passes to the caller. When
 * it is being decoded (or waits to start), waits for it. NULL otherwise, or
 * when it could not be decoded.
 */
struct snapshot *history_prefetch_take(struct history_prefetch *p, uint64_t seq);
/*
 * The diff from a to b when a job made it: it passes to the caller. Waits
 * while the job of a's sample runs. NULL for any other pair.
 */
struct diff *history_prefetch_take_diff(struct history_prefetch *p, const struct snapshot *a,
					const struct snapshot *b);
/* The user went back to the newest sample: the job waiting or running, its
 * result and its diff go (at 100k sockets they hold 20-40 MB). */
void history_prefetch_forget(struct history_prefetch *p);
/* Jobs decoded to their end, for tests and the status line. */
uint64_t history_prefetch_done(const struct history_prefetch *p);

#endif
