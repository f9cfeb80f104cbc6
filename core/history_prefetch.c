/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "history_prefetch.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "sample_codec.h"
#include "thread_priority.h"
#include "xalloc.h"

struct job {
	uint64_t seq;
	struct buf *recs;
	size_t n;
	struct snapshot *then;	/* diff the result to it; own ref; may be NULL */
	struct prefetch_rows rows;	/* rows.ft NULL: none */
};

struct history_prefetch {
	pthread_t thread;
	bool started;
	pthread_mutex_t m;
	pthread_cond_t cv;		/* a job, a result, or stop */
	struct sample_decoder *dec;	/* the thread's */

	/* Under m: */
	struct job next;		/* waiting to start; n == 0: none */
	uint64_t running;		/* seq of the job running; 0: none */
	bool stop;
	struct snapshot *result;	/* decoded, not taken yet (own ref) */
	uint64_t result_seq;
	bool result_failed;		/* result_seq could not be decoded */
	struct diff *diff;		/* of a result, taken or not, to its job's then */
	atomic_uint_fast64_t done;
	atomic_bool cancel;		/* the running job is no longer wanted */
};

/* Under m: the result goes, taken or not. */
static void clear_result(struct history_prefetch *p)
{
	p->result = NULL;
	p->result_seq = 0;
	p->result_failed = false;
}

static void job_free(struct job *j)
{
	for (size_t i = 0; i < j->n; i++)
		buf_free(&j->recs[i]);
	free(j->recs);
	snapshot_unref(j->then);
	memset(j, 0, sizeof(*j));
}

/* Under m: the diff of an earlier step goes, taken or not. */
static void drop_diff(struct history_prefetch *p)
{
	diff_free(p->diff);
	p->diff = NULL;
}

/* Under m: what was decoded ahead and not taken goes, result and diff. */
static void drop_ahead(struct history_prefetch *p)
{
	snapshot_unref(p->result);
	clear_result(p);
	drop_diff(p);
}

/* Under m: until the job of sample seq, waiting or running, has ended. */
static void wait_for_job(struct history_prefetch *p, uint64_t seq)
{
	while (!p->stop && (p->running == seq || (p->next.n && p->next.seq == seq)))
		pthread_cond_wait(&p->cv, &p->m);
}

/* Outside the lock. NULL when a record does not decode or the job was
 * called off. */
static struct snapshot *decode_job(struct history_prefetch *p, const struct job *j)
{
	struct snapshot *prev = NULL;

	for (size_t i = 0; i < j->n; i++) {
		const char *err;
		struct snapshot *s;

		if (atomic_load(&p->cancel)) {
			snapshot_unref(prev);
			return NULL;
		}
		s = sample_decode(p->dec, j->recs[i].data, j->recs[i].len, prev, &err);
		snapshot_unref(prev);
		if (!s)
			return NULL;
		prev = s;
	}
	return prev;
}

/* The rows a step to d->b shows, as the TUI builds them for a sample with
 * no trend engine: fields_rows of d, then fields_sort. */
static void sort_rows(struct diff *d, const struct prefetch_rows *r)
{
	struct diff_sorted_rows *out = &d->sorted;
	struct field_ctx ctx;

	if (r->sort >= r->ft->n)
		return;
	out->n = fields_rows(r->ft, d, d->b, false, false, &out->rows);
	fields_ctx(d, d->b, &ctx);
	fields_sort(&r->ft->v[r->sort], r->desc, &ctx, out->rows, out->n);
	out->ft = r->ft;
	out->sort = r->sort;
	out->desc = r->desc;
}

static void *prefetch_main(void *arg)
{
	struct history_prefetch *p = arg;

	/* Decoding ahead must not take the CPU the step itself needs. */
	thread_lower_priority();
	pthread_mutex_lock(&p->m);
	for (;;) {
		struct job j;
		struct snapshot *s;
		struct diff *d;

		while (!p->stop && !p->next.n)
			pthread_cond_wait(&p->cv, &p->m);
		if (p->stop)
			break;
		j = p->next;
		memset(&p->next, 0, sizeof(p->next));
		p->running = j.seq;
		atomic_store(&p->cancel, false);
		pthread_mutex_unlock(&p->m);

		s = decode_job(p, &j);
		d = s && j.then && !atomic_load(&p->cancel) ? diff_compute(s, j.then) : NULL;
		if (d && j.rows.ft && !atomic_load(&p->cancel))
			sort_rows(d, &j.rows);

		pthread_mutex_lock(&p->m);
		p->running = 0;
		if (!atomic_load(&p->cancel)) {
			snapshot_unref(p->result);
			p->result = s;
			p->result_seq = j.seq;
			p->result_failed = !s;
			drop_diff(p);
			p->diff = d;
			atomic_fetch_add(&p->done, 1);
		} else {
			diff_free(d);
			snapshot_unref(s);
		}
		job_free(&j);
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->m);
	return NULL;
}

struct history_prefetch *history_prefetch_new(void)
{
	struct history_prefetch *p = xcalloc(1, sizeof(*p));

	pthread_mutex_init(&p->m, NULL);
	pthread_cond_init(&p->cv, NULL);
	atomic_init(&p->done, 0);
	atomic_init(&p->cancel, false);
	p->dec = sample_decoder_new();
	return p;
}

/* Under m. The thread blocks every signal: they belong to the UI's thread. */
static void start_thread(struct history_prefetch *p)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	p->started = pthread_create(&p->thread, NULL, prefetch_main, p) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void history_prefetch_free(struct history_prefetch *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->m);
	p->stop = true;
	atomic_store(&p->cancel, true);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->m);
	if (p->started)
		pthread_join(p->thread, NULL);
	job_free(&p->next);
	drop_ahead(p);
	sample_decoder_free(p->dec);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->m);
	free(p);
}

void history_prefetch_start(struct history_prefetch *p, uint64_t seq, const struct buf *const *recs,
			    size_t n, struct snapshot *then, const struct prefetch_rows *rows)
{
	struct job j = { .seq = seq, .n = n };

	if (!n)
		return;
	pthread_mutex_lock(&p->m);
	if (p->running == seq || p->next.seq == seq || (p->result_seq == seq && p->result)) {
		pthread_mutex_unlock(&p->m);
		return;
	}
	pthread_mutex_unlock(&p->m);
	/* The copy outside the lock: a keyframe at 100k sockets is 1.3 MB. */
	j.recs = xcalloc(n, sizeof(*j.recs));
	for (size_t i = 0; i < n; i++)
		buf_append(&j.recs[i], recs[i]->data, recs[i]->len);
	j.then = then ? snapshot_ref(then) : NULL;
	if (rows && then)
		j.rows = *rows;
	pthread_mutex_lock(&p->m);
	job_free(&p->next);
	p->next = j;
	if (p->running)
		atomic_store(&p->cancel, true);
	if (p->result_seq != seq) {
		/* What was decoded ahead and not taken is no longer the next
		 * step: the user went elsewhere. */
		drop_ahead(p);
	}
	if (!p->started)
		start_thread(p);
	if (!p->started)
		job_free(&p->next);	/* the caller decodes it when it needs it */
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->m);
}

struct snapshot *history_prefetch_take(struct history_prefetch *p, uint64_t seq)
{
	struct snapshot *s = NULL;

	pthread_mutex_lock(&p->m);
	wait_for_job(p, seq);
	if (p->result_seq == seq && (p->result || p->result_failed)) {
		s = p->result;
		clear_result(p);
	}
	pthread_mutex_unlock(&p->m);
	return s;
}

struct diff *history_prefetch_take_diff(struct history_prefetch *p, const struct snapshot *a,
					const struct snapshot *b)
{
	struct diff *d = NULL;

	pthread_mutex_lock(&p->m);
	wait_for_job(p, a->seq);
	if (p->diff && p->diff->a == a && p->diff->b == b) {
		d = p->diff;
		p->diff = NULL;
	}
	pthread_mutex_unlock(&p->m);
	return d;
}

void history_prefetch_forget(struct history_prefetch *p)
{
	pthread_mutex_lock(&p->m);
	job_free(&p->next);
	if (p->running)
		atomic_store(&p->cancel, true);
	drop_ahead(p);
	pthread_mutex_unlock(&p->m);
}

uint64_t history_prefetch_done(const struct history_prefetch *p)
{
	return atomic_load(&p->done);
}
