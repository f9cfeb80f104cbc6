/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The sample worker over a fixture root: results come in order through the
 * pipe, a change of sections reaches the next sample, a waiter gets a fresh
 * sample, stop returns at once even mid-sample (the test hook's sleep
 * stands for a slow one), and on glibc free pages inside the heap go back to
 * the kernel after a sample.
 */
#include <check.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "expect.h"
#include "root.h"
#include "sample_codec.h"
#include "sample_worker.h"
#include "suites.h"

struct rig {
	struct root root;
	struct sampler *sampler;
	struct tracker *tracker;
	struct suspect_params params;
	struct sample_worker *w;
};

static void rig_start_enc(struct rig *g, unsigned int sections, double interval_s, bool encode)
{
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/kisamples-root", FIXTURES_DIR);
	ck_assert_int_eq(root_open(&g->root, dir), 0);
	g->sampler = sampler_new(&g->root);
	g->tracker = tracker_new(NULL);
	suspect_params_init(&g->params);
	g->w = sample_worker_start(g->sampler, g->tracker, &g->params, sections, interval_s, encode);
	ck_assert_ptr_nonnull(g->w);
}

static void rig_start(struct rig *g, unsigned int sections, double interval_s)
{
	rig_start_enc(g, sections, interval_s, false);
}

static void rig_stop(struct rig *g)
{
	ck_assert_int_eq(sample_worker_stop(g->w, 5000), 0);
	tracker_free(g->tracker);
	sampler_free(g->sampler);
	root_close(&g->root);
}

static uint64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The next result, waiting on the pipe as the TUI does; fails after 10 s. */
static void next_result(struct rig *g, struct sample_result *r)
{
	uint64_t until = ms_now() + 10000;

	for (;;) {
		struct pollfd p = { .fd = sample_worker_fd(g->w), .events = POLLIN };
		bool got;

		sample_worker_lock(g->w);
		got = sample_worker_take(g->w, r);
		sample_worker_unlock(g->w);
		if (got)
			return;
		ck_assert_msg(ms_now() < until, "no sample within 10 s");
		poll(&p, 1, 100);
	}
}

/* Poll the status until busy (late: until late); fails after 10 s. */
static void wait_status(struct rig *g, bool late, struct sample_worker_status *st)
{
	uint64_t until = ms_now() + 10000;

	do {
		ck_assert_msg(ms_now() < until, "the worker never got %s", late ? "late" : "busy");
		sample_worker_lock(g->w);
		sample_worker_status(g->w, ms_now(), st);
		sample_worker_unlock(g->w);
	} while (late ? !st->late : !st->busy);
}

static void drop_result(struct sample_result *r)
{
	if (r->diff)
		diff_free(r->diff);
	snapshot_unref(r->snap);
	buf_free(&r->rec);
	suspect_list_free(&r->suspects);
}

START_TEST(test_results_in_order)
{
	unsigned int sec = SNAP_MEM | SNAP_SLAB;
	struct sample_result r;
	struct rig g;

	rig_start(&g, sec, 0.01);
	for (uint64_t seq = 1; seq <= 4; seq++) {
		next_result(&g, &r);
		ck_assert_uint_eq(r.snap->seq, seq);
		ck_assert_uint_eq(r.snap->sections, sec);
		ck_assert(r.analysed);
		/* Each result comes with its diff against the one before. */
		if (seq == 1) {
			ck_assert_ptr_null(r.diff);
		} else {
			ck_assert_ptr_nonnull(r.diff);
			ck_assert_ptr_eq(r.diff->b, r.snap);
			ck_assert_uint_eq(r.diff->a->seq, seq - 1);
			ck_assert_uint_eq(r.diff->both, sec);
		}
		drop_result(&r);
	}
	rig_stop(&g);
}
END_TEST

/* Started with a ring to feed, every result carries its record: the
 * records are one stream (a decoder of our own gives back each sample
 * exactly, a keyframe exactly every HISTORY_KEYFRAME_EVERY), and pushed in
 * order they make a ring that decodes each sample back. Without, no result
 * carries one. */
START_TEST(test_records_feed_a_ring)
{
	enum { N = 2 * HISTORY_KEYFRAME_EVERY + 3 };
	unsigned int sec = SNAP_MEM | SNAP_SLAB | SNAP_VMALLOC | SNAP_TMPFS | SNAP_TCP;
	struct sample_decoder *dec = sample_decoder_new();
	struct snapshot *ours[N];	/* decoded here: the ring never sees them */
	struct sample_result r;
	struct history h;
	struct rig g;
	char why[256];

	rig_start_enc(&g, sec, 0.001, true);
	history_init(&h, N);
	h.cache_bytes = 0;	/* nothing decoded past the newest two: every get decodes */
	for (size_t i = 0; i < N; i++) {
		struct sample_record_info info;
		const char *err;

		next_result(&g, &r);
		ck_assert_uint_gt(r.rec.len, 0);
		ck_assert_int_eq(sample_record_peek(r.rec.data, r.rec.len, &info), 0);
		ck_assert_int_eq(info.keyframe, i % HISTORY_KEYFRAME_EVERY == 0);
		ours[i] = sample_decode(dec, r.rec.data, r.rec.len, i ? ours[i - 1] : NULL, &err);
		ck_assert_msg(ours[i] != NULL, "record %zu: %s", i, err);
		ck_assert_msg(snapshot_equal(r.snap, ours[i], why, sizeof(why)), "record %zu: %s", i,
			      why);
		history_push_record(&h, r.snap, &r.rec);
		ck_assert_ptr_null(r.rec.data);
		drop_result(&r);
	}
	rig_stop(&g);
	ck_assert_uint_eq(history_decoded(&h), 2);
	for (size_t i = 0; i < N; i++) {
		/* i = 0 is the newest. */
		struct snapshot *s = history_get(&h, i);

		ck_assert_msg(s != NULL, "sample %zu does not decode", i);
		ck_assert_msg(snapshot_equal(ours[N - 1 - i], s, why, sizeof(why)), "sample %zu: %s",
			      i, why);
	}
	history_free(&h);
	for (size_t i = 0; i < N; i++)
		snapshot_unref(ours[i]);
	sample_decoder_free(dec);

	rig_start(&g, sec, 0.001);
	next_result(&g, &r);
	ck_assert_uint_eq(r.rec.len, 0);
	drop_result(&r);
	rig_stop(&g);
}
END_TEST

/* The sampling thread runs SAMPLE_WORKER_NICE nicer than its starter (capped
 * at 19), while the starter keeps its own. */
START_TEST(test_worker_is_nicer)
{
	struct sample_result r;
	struct rig g;
	int base = task_nice(0), want;

	ck_assert_int_lt(base, 20);
	want = base + SAMPLE_WORKER_NICE > 19 ? 19 : base + SAMPLE_WORKER_NICE;
	rig_start(&g, SNAP_MEM, 0.01);
	next_result(&g, &r);	/* the worker has set its priority by now */
	drop_result(&r);
	ck_assert_int_eq(task_nice(0), base);
	ck_assert_int_eq(threads_with_nice(want), 1);
	rig_stop(&g);
}
END_TEST

/* A change reaches the sample after the one in progress at the latest, and
 * stays. */
START_TEST(test_sections_change)
{
	unsigned int a = SNAP_MEM, b = SNAP_MEM | SNAP_SLAB;
	struct sample_result r;
	struct rig g;

	rig_start(&g, a, 0.01);
	next_result(&g, &r);
	ck_assert_uint_eq(r.snap->sections, a);
	drop_result(&r);
	sample_worker_set_sections(g.w, b);
	for (int i = 0; i < 4; i++) {
		next_result(&g, &r);
		/* Only the sample in progress at the change may have the old. */
		if (i > 0 || r.snap->sections != a)
			ck_assert_uint_eq(r.snap->sections, b);
		drop_result(&r);
	}
	rig_stop(&g);
}
END_TEST

/* With a long interval, a waiter gets a sample started after its call. */
START_TEST(test_wait_fresh)
{
	struct sample_result r;
	struct rig g;
	uint64_t t0;

	rig_start(&g, SNAP_MEM, 3600);
	next_result(&g, &r);
	ck_assert_uint_eq(r.snap->seq, 1);
	drop_result(&r);
	sample_worker_set_sections(g.w, SNAP_SLAB);
	t0 = ms_now();
	sample_worker_lock(g.w);
	sample_worker_wait_fresh(g.w);
	ck_assert(sample_worker_take(g.w, &r));
	sample_worker_unlock(g.w);
	ck_assert_uint_lt(ms_now() - t0, 10000);
	ck_assert_uint_eq(r.snap->seq, 2);
	ck_assert_uint_eq(r.snap->sections, SNAP_SLAB);
	drop_result(&r);
	rig_stop(&g);
}
END_TEST

/* A request and a new interval are made under the lock (as the TUI's key
 * handlers make them) and take effect at once. */
START_TEST(test_request_and_interval)
{
	struct sample_result r;
	struct rig g;

	rig_start(&g, SNAP_MEM, 3600);
	next_result(&g, &r);
	drop_result(&r);
	sample_worker_lock(g.w);
	sample_worker_request(g.w);
	sample_worker_unlock(g.w);
	next_result(&g, &r);
	ck_assert_uint_eq(r.snap->seq, 2);
	drop_result(&r);
	sample_worker_lock(g.w);
	sample_worker_set_interval(g.w, 0.01);
	sample_worker_unlock(g.w);
	for (uint64_t seq = 3; seq <= 5; seq++) {
		next_result(&g, &r);
		ck_assert_uint_eq(r.snap->seq, seq);
		drop_result(&r);
	}
	rig_stop(&g);
}
END_TEST

/* Stop while a sample is in progress: the worker leaves between phases. */
START_TEST(test_stop_mid_sample)
{
	struct sample_worker_status st;
	struct rig g;
	uint64_t t0;

	setenv(SAMPLE_WORKER_DELAY_ENV, "3000", 1);
	rig_start(&g, SNAP_MEM, 3600);
	wait_status(&g, false, &st);
	/* Past the interval of 3600 s it is not; it is busy. */
	ck_assert(!st.late);
	t0 = ms_now();
	ck_assert_int_eq(sample_worker_stop(g.w, 5000), 0);
	ck_assert_uint_lt(ms_now() - t0, 1000);
	tracker_free(g.tracker);
	sampler_free(g.sampler);
	root_close(&g.root);
	unsetenv(SAMPLE_WORKER_DELAY_ENV);
}
END_TEST

/* A sample longer than the interval is late while it runs. */
START_TEST(test_late)
{
	struct sample_worker_status st;
	struct sample_result r;
	struct rig g;

	setenv(SAMPLE_WORKER_DELAY_ENV, "400", 1);
	rig_start(&g, SNAP_MEM, 0.1);
	next_result(&g, &r);
	drop_result(&r);
	wait_status(&g, true, &st);
	ck_assert(st.busy);
	ck_assert_uint_gt(st.busy_ms, 100);
	rig_stop(&g);
	unsetenv(SAMPLE_WORKER_DELAY_ENV);
}
END_TEST

/* AddressSanitizer keeps freed memory in its quarantine, out of malloc's
 * reach: nothing to give back there. */
#if defined(__SANITIZE_ADDRESS__)
#define WORKER_PLAIN_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WORKER_PLAIN_MALLOC 0
#endif
#endif
#ifndef WORKER_PLAIN_MALLOC
#define WORKER_PLAIN_MALLOC 1
#endif

#if defined(__GLIBC__) && WORKER_PLAIN_MALLOC
static long resident_kb(void)
{
	long size = 0, res = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%ld %ld", &size, &res), 2);
	fclose(f);
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* 64 MiB freed below a block still in use, as the ring's records leave holes
 * under newer ones: free() keeps those pages, the worker's trim after a
 * sample returns them. */
START_TEST(test_gives_free_pages_back)
{
	enum { NBLOCKS = 2048, BLOCK = 32 * 1024 };
	static char *blocks[NBLOCKS];
	struct sample_result r;
	struct rig g;
	long held;

	for (int i = 0; i < NBLOCKS; i++) {
		blocks[i] = malloc(BLOCK);
		ck_assert_ptr_nonnull(blocks[i]);
		memset(blocks[i], 1, BLOCK);
	}
	/* The last block, taken from the heap's top, stays: the others are
	 * freed below it, where free() cannot shrink the heap. */
	for (int i = 0; i < NBLOCKS - 1; i++)
		free(blocks[i]);
	held = resident_kb();
	rig_start(&g, SNAP_MEM, 0.01);
	/* The trim after the first sample is done before the second is queued. */
	for (int i = 0; i < 2; i++) {
		next_result(&g, &r);
		drop_result(&r);
	}
	ck_assert_int_lt(resident_kb(), held - 32 * 1024);
	rig_stop(&g);
	free(blocks[NBLOCKS - 1]);
}
END_TEST
#endif

Suite *worker_suite(void)
{
	Suite *s = suite_create("worker");
	TCase *tc = tcase_create("worker");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_results_in_order);
	tcase_add_test(tc, test_records_feed_a_ring);
	tcase_add_test(tc, test_worker_is_nicer);
	tcase_add_test(tc, test_sections_change);
	tcase_add_test(tc, test_wait_fresh);
	tcase_add_test(tc, test_request_and_interval);
	tcase_add_test(tc, test_stop_mid_sample);
	tcase_add_test(tc, test_late);
#if defined(__GLIBC__) && WORKER_PLAIN_MALLOC
	tcase_add_test(tc, test_gives_free_pages_back);
#endif
	suite_add_tcase(s, tc);
	return s;
}
