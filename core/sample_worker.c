/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sampling thread. Its schedule is the one of the single-threaded loop
 * it replaced: the next sample is due one interval after the last one
 * finished, so a sample slower than the interval does not make the next one
 * start at once and sampling never takes a whole core.
 */
#include "sample_worker.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "compat.h"
#include "thread_priority.h"
#include "xalloc.h"

struct sample_worker {
	struct sampler *sampler;
	struct tracker *tracker;
	struct suspect_params params;
	struct snapshot *prev;		/* the last sample (own ref), diffed with the next */
	struct history_encoder *enc;	/* the consumer's ring's records, or NULL */
	pthread_t thread;
	pthread_mutex_t m;
	pthread_cond_t wake;		/* the worker: a request, a new interval, stop */
	pthread_cond_t done_cv;		/* waiters: a sample finished, or the worker ended */
	int pipe[2];			/* [0] polled by the consumer, [1] written here */
	atomic_uint sections;
	atomic_bool stop;
	unsigned int delay_ms;		/* the test hook */

	/* Under m: */
	uint64_t interval_ms;
	uint64_t due_ms;
	bool request;
	bool busy;
	uint64_t busy_since_ms;
	uint64_t started, done;		/* samples started and finished */
	bool ended;			/* the thread has left its loop */
	struct sample_result *q;	/* results not taken yet, oldest first */
	size_t nq, qcap;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static struct timespec abs_ms(uint64_t ms)
{
	return (struct timespec){ .tv_sec = (time_t)(ms / 1000),
				  .tv_nsec = (long)(ms % 1000) * 1000000 };
}

static uint64_t interval_to_ms(double s)
{
	return s > 0 ? (uint64_t)(s * 1000 + 0.5) : 1000;
}

/* The test hook's sleep, in slices so that stop is seen at once. */
static void test_delay(struct sample_worker *w)
{
	struct timespec slice = { .tv_sec = 0, .tv_nsec = 10 * 1000000 };

	for (unsigned int left = w->delay_ms; left && !atomic_load(&w->stop);
	     left -= left < 10 ? left : 10)
		nanosleep(&slice, NULL);
}

static void notify(struct sample_worker *w)
{
	char c = 1;
	ssize_t r;

	/* A full pipe already says "something waits". */
	do
		r = write(w->pipe[1], &c, 1);
	while (r < 0 && errno == EINTR);
}

/* Under m. */
static void queue_result(struct sample_worker *w, struct snapshot *snap, struct diff *d,
			 struct buf *rec)
{
	struct sample_result r = { .snap = snap, .diff = d, .rec = *rec };
	uint64_t c0 = cpu_ns();

	r.analysed = analysis_step(w->tracker, snap, &w->params, &r.suspects) == 0;
	r.analysis_cpu_ns = cpu_ns() - c0;
	xgrow((void **)&w->q, &w->qcap, w->nq + 1, sizeof(*w->q));
	w->q[w->nq++] = r;
}

/* Under m: sleep until a sample is due; false when told to stop. */
static bool wait_due(struct sample_worker *w)
{
	while (!atomic_load(&w->stop)) {
		uint64_t now = now_ms();
		struct timespec until;

		if (w->request || now >= w->due_ms)
			return true;
		until = abs_ms(w->due_ms);
		pthread_cond_timedwait(&w->wake, &w->m, &until);
	}
	return false;
}

/*
 * Give the free pages inside malloc's heaps back to the kernel. The consumer's
 * ring replaces its oldest record and decoded samples with new ones of other
 * sizes (they follow the load), and snapshots made here are freed there, so
 * what is freed is seldom at the top of a heap, the only place free() gives
 * memory back: at a 300-sample ring VmRSS crept up by 2 to 3 MiB over the ten
 * minutes after the ring filled, most of it in the main heap, while the bytes
 * in use stayed flat. One arena (M_ARENA_MAX 1) or a fixed mmap threshold left
 * the creep; malloc_trim(0) ended it for about 0.15 ms a sample
 * (doc/reliability.md, Soak). Called after each sample, outside the lock, it
 * takes what the consumer freed as the sample before entered its ring.
 */
static void release_free_pages(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

static void *worker_main(void *arg)
{
	struct sample_worker *w = arg;

	/* The dump threads the sampler starts from here inherit it. */
	thread_lower_priority();
	pthread_mutex_lock(&w->m);
	while (wait_due(w)) {
		struct snapshot *snap;
		struct diff *d;
		struct buf rec = { 0 };

		w->request = false;
		w->busy = true;
		w->busy_since_ms = now_ms();
		w->started++;
		pthread_mutex_unlock(&w->m);

		snap = sampler_tick(w->sampler, atomic_load(&w->sections));
		d = w->prev ? diff_compute(w->prev, snap) : NULL;
		snapshot_unref(w->prev);
		w->prev = snapshot_ref(snap);
		if (w->enc)
			history_encoder_run(w->enc, snap, &rec);
		test_delay(w);

		pthread_mutex_lock(&w->m);
		w->busy = false;
		if (atomic_load(&w->stop)) {
			if (d)
				diff_free(d);
			buf_free(&rec);
			snapshot_unref(snap);
			break;
		}
		queue_result(w, snap, d, &rec);
		w->done++;
		w->due_ms = now_ms() + w->interval_ms;
		pthread_cond_broadcast(&w->done_cv);
		notify(w);
		pthread_mutex_unlock(&w->m);
		release_free_pages();
		pthread_mutex_lock(&w->m);
	}
	w->ended = true;
	pthread_cond_broadcast(&w->done_cv);
	pthread_mutex_unlock(&w->m);
	return NULL;
}

static unsigned int delay_hook(void)
{
	const char *v = getenv(SAMPLE_WORKER_DELAY_ENV);
	char *end;
	unsigned long ms;

	if (!v || !*v)
		return 0;
	ms = strtoul(v, &end, 10);
	return *end || ms > 600000 ? 0 : (unsigned int)ms;
}

static void worker_free(struct sample_worker *w)
{
	for (size_t i = 0; i < w->nq; i++) {
		snapshot_unref(w->q[i].snap);
		if (w->q[i].diff)
			diff_free(w->q[i].diff);
		buf_free(&w->q[i].rec);
		suspect_list_free(&w->q[i].suspects);
	}
	snapshot_unref(w->prev);
	history_encoder_free(w->enc);
	free(w->q);
	close(w->pipe[0]);
	close(w->pipe[1]);
	pthread_cond_destroy(&w->wake);
	pthread_cond_destroy(&w->done_cv);
	pthread_mutex_destroy(&w->m);
	free(w);
}

struct sample_worker *sample_worker_start(struct sampler *s, struct tracker *t,
					  const struct suspect_params *p, unsigned int sections,
					  double interval_s, bool encode)
{
	struct sample_worker *w = xcalloc(1, sizeof(*w));
	pthread_condattr_t ca;
	sigset_t all, old;
	int err;

	w->sampler = s;
	w->tracker = t;
	w->params = *p;
	w->enc = encode ? history_encoder_new() : NULL;
	atomic_init(&w->sections, sections);
	atomic_init(&w->stop, false);
	w->delay_ms = delay_hook();
	w->interval_ms = interval_to_ms(interval_s);
	w->due_ms = 0;
	pthread_mutex_init(&w->m, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &ca);
	pthread_cond_init(&w->done_cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pipe2(w->pipe, O_CLOEXEC | O_NONBLOCK)) {
		w->pipe[0] = w->pipe[1] = -1;
		worker_free(w);
		return NULL;
	}
	/* Signals stay with the thread that started us: the new thread (and
	 * the dump threads it makes) inherit a mask that blocks them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		worker_free(w);
		return NULL;
	}
	return w;
}

int sample_worker_fd(const struct sample_worker *w)
{
	return w->pipe[0];
}

void sample_worker_set_sections(struct sample_worker *w, unsigned int sections)
{
	atomic_store(&w->sections, sections);
}

void sample_worker_set_interval(struct sample_worker *w, double interval_s)
{
	w->interval_ms = interval_to_ms(interval_s);
	w->due_ms = now_ms() + w->interval_ms;
	pthread_cond_signal(&w->wake);
}

void sample_worker_request(struct sample_worker *w)
{
	w->request = true;
	pthread_cond_signal(&w->wake);
}

void sample_worker_lock(struct sample_worker *w)
{
	pthread_mutex_lock(&w->m);
}

void sample_worker_unlock(struct sample_worker *w)
{
	pthread_mutex_unlock(&w->m);
}

bool sample_worker_take(struct sample_worker *w, struct sample_result *out)
{
	char drain[64];

	if (!w->nq) {
		/* Nothing waits: whatever the pipe holds is stale. */
		while (read(w->pipe[0], drain, sizeof(drain)) > 0)
			;
		return false;
	}
	*out = w->q[0];
	memmove(w->q, w->q + 1, (w->nq - 1) * sizeof(*w->q));
	w->nq--;
	return true;
}

void sample_worker_wait_fresh(struct sample_worker *w)
{
	/* The one in progress, if any, may have started before the call. */
	uint64_t need = w->started + 1;

	sample_worker_request(w);
	while (w->done < need && !w->ended)
		pthread_cond_wait(&w->done_cv, &w->m);
}

void sample_worker_status(const struct sample_worker *w, uint64_t now,
			  struct sample_worker_status *st)
{
	st->busy = w->busy;
	st->busy_ms = w->busy && now > w->busy_since_ms ? now - w->busy_since_ms : 0;
	st->late = w->busy && st->busy_ms > w->interval_ms;
	st->done = w->done;
}

int sample_worker_stop(struct sample_worker *w, unsigned int timeout_ms)
{
	struct timespec until = abs_ms(now_ms() + timeout_ms);
	bool ended;

	pthread_mutex_lock(&w->m);
	atomic_store(&w->stop, true);
	pthread_cond_signal(&w->wake);
	while (!w->ended)
		if (pthread_cond_timedwait(&w->done_cv, &w->m, &until) == ETIMEDOUT)
			break;
	ended = w->ended;
	pthread_mutex_unlock(&w->m);
	if (!ended) {
		pthread_detach(w->thread);
		return -1;
	}
	pthread_join(w->thread, NULL);
	worker_free(w);
	return 0;
}
