/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sampling off the consumer's thread. A worker thread runs sampler_tick and
 * analysis_step at the interval, or at once on request, and queues each
 * finished snapshot with its suspects; a byte on a pipe tells a poll() that
 * something waits. The consumer takes results in order, so every sample
 * reaches its history ring and suspect log.
 *
 * One mutex guards the queue and the trend engine. The worker holds it only
 * while it feeds the engine and queues the result, never while it samples,
 * so a consumer that holds it while it reads the engine (growth columns,
 * evidence series) waits at most one analysis step, and having taken the
 * queue empty it sees the engine of the newest sample it holds.
 *
 * The sampler and the tracker belong to the worker between start and stop:
 * the consumer reads the tracker only under the lock and never touches the
 * sampler. Snapshots pass from the worker to the consumer with their one
 * reference and are not touched by the worker again.
 */
#ifndef LEAKTOP_SAMPLE_WORKER_H
#define LEAKTOP_SAMPLE_WORKER_H

#include <stdbool.h>
#include <stdint.h>

#include "sampler.h"
#include "buf.h"
#include "diff.h"
#include "history.h"
#include "snapshot.h"
#include "suspects.h"
#include "thread_priority.h"
#include "tracker.h"

/* The sampling threads run this much nicer than the thread that started
 * them: on two busy cores a 100k-socket sample keeps both busy for half a
 * second, and the UI thread must still get the CPU first when a key comes.
 * Raising one's own nice needs no privilege. */
#define SAMPLE_WORKER_NICE BACKGROUND_THREAD_NICE

/* Test hook: milliseconds the worker sleeps inside every sample, after the
 * sampler and before the analysis, so tests can catch a sample in progress
 * without a heavy load. Unset or 0 in normal use. */
#define SAMPLE_WORKER_DELAY_ENV "LEAKTOP_TEST_SAMPLE_DELAY_MS"

struct sample_worker;

/* One finished sample. */
struct sample_result {
	struct snapshot *snap;		/* one reference, now the taker's */
	/* snap against the worker's sample before it (NULL for the first),
	 * made on the worker thread so that the UI does not diff 100k rows
	 * itself; the taker's: diff_free. */
	struct diff *diff;
	/* snap as its history ring's next record (history_push_record), made
	 * here when the worker was started with a ring to feed: at 100k
	 * sockets an encode is 25 ms the UI would otherwise spend. Empty
	 * otherwise, or when it could not be encoded. The taker's: buf_free. */
	struct buf rec;
	struct suspect_list suspects;	/* the taker's: free with suspect_list_free */
	bool analysed;			/* analysis_step took it (suspects are its) */
	uint64_t analysis_cpu_ns;	/* CPU time of the analysis step */
};

struct sample_worker_status {
	bool busy;			/* a sample is being taken */
	uint64_t busy_ms;		/* since when it has been running */
	bool late;			/* busy for longer than the interval */
	uint64_t done;			/* samples finished so far */
};

/*
 * Start sampling with s and feeding t (both stay the caller's to free after
 * sample_worker_stop). p is copied. The first sample starts at once. With
 * encode, every result carries its history ring record (see rec above): the
 * taker must then push every result to one ring with history_push_record,
 * in order, and nothing else to it.
 * Returns NULL when no thread could be made.
 */
struct sample_worker *sample_worker_start(struct sampler *s, struct tracker *t,
					  const struct suspect_params *p, unsigned int sections,
					  double interval_s, bool encode);
/* Readable when results wait; sample_worker_take drains it. */
int sample_worker_fd(const struct sample_worker *w);
/* The sections of the next sample (read when it starts); lock or not. */
void sample_worker_set_sections(struct sample_worker *w, unsigned int sections);

/* The lock over the queue, the schedule and the tracker (see above). The
 * calls below are made under it. */
void sample_worker_lock(struct sample_worker *w);
void sample_worker_unlock(struct sample_worker *w);
/* A new interval; the next sample is due one interval from now. */
void sample_worker_set_interval(struct sample_worker *w, double interval_s);
/* Take a sample as soon as the one in progress, if any, is done. */
void sample_worker_request(struct sample_worker *w);
/* Under the lock: the oldest result not taken yet, into out; false when
 * none waits. */
bool sample_worker_take(struct sample_worker *w, struct sample_result *out);
/* Under the lock: wait (releasing it meanwhile) until a sample that started
 * after this call has finished, or the worker stops. */
void sample_worker_wait_fresh(struct sample_worker *w);
/* Under the lock: what the worker is doing at now_ms (monotonic). */
void sample_worker_status(const struct sample_worker *w, uint64_t now_ms,
			  struct sample_worker_status *st);

/*
 * Stop the worker: it leaves between the phases of a sample. Waits up to
 * timeout_ms for it; returns 0 when it has ended (the sampler and tracker
 * are the caller's again) and w is freed, -1 when it is still inside a
 * sample: it is then left to run out on its own and the caller must not
 * free what it uses (the process is about to exit).
 */
int sample_worker_stop(struct sample_worker *w, unsigned int timeout_ms);

#endif
