// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The encoded history ring: whatever order samples are asked for in, each
 * is the one pushed (snapshot_equal); what the caller pins survives the
 * ring wrapping; what the ring keeps decoded stays bounded.
 */
#include <check.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "diff.h"
#include "history.h"
#include "expect.h"
#include "history_prefetch.h"
#include "thread_priority.h"
#include "suites.h"
#include "synth.h"

#define PUSHES 1000
#define CAP 300

/* Sample i: a leaking process with a socket more every sample, churn among
 * the others, a growing slab cache, memory moving. */
static struct snapshot *sample(unsigned int i)
{
	struct snapshot *s = synth_snap(i);
	char comm[16];

	synth_mem(s, MEM_SLAB_UNRECL, 1e6 + i * 4096.0);
	synth_mem(s, MEM_ANON, 5e8 + (i % 7) * 1e5);
	synth_slab(s, "kmalloc-256", 256, 1000 + i);
	synth_slab(s, "dentry", 192, 5000 + (i % 13));
	for (unsigned int p = 0; p < 8; p++) {
		snprintf(comm, sizeof(comm), "proc%u", p);
		synth_proc(s, (int32_t)(100 + p), 10, comm, (p == 0 ? 1000 + i : 50) * 4096ull,
			   p == 0 ? 3 + i % 40 : 4);
	}
	for (unsigned int k = 0; k < 30; k++) {
		/* Three in ten are replaced every 10 samples. */
		uint32_t inode = 10000 + k + (k % 10 < 3 ? (i / 10) * 100 : 0);
		/* No owners: synth appends them in insertion order, which
		 * the sorted table no longer follows. */
		struct sock_entry *e = synth_sock(s, 0, 0, SK_TCP, 1, inode,
						  (uint16_t)(40000 + k), 80);

		e->rqueue = (k * i) % 977;
	}
	for (unsigned int k = 0; k < i % 40; k++)
		synth_sock(s, 0, 0, SK_TCP, 1, 50000 + k, (uint16_t)(30000 + k), 81);
	synth_finish(s);
	return s;
}

/* got is sample i, as pushed: sample() makes the same one again, so that
 * the test holds no reference to what it pushed (the ring never drops a
 * decoded sample someone else holds). */
static void assert_same(unsigned int i, const struct snapshot *got)
{
	struct snapshot *want = sample(i);
	char why[256] = "";

	ck_assert_ptr_nonnull(got);
	ck_assert_msg(snapshot_equal(want, got, why, sizeof(why)), "sample %llu: %s",
		      (unsigned long long)want->seq, why);
	snapshot_unref(want);
}

static void fill(struct history *h, unsigned int from, unsigned int to)
{
	for (unsigned int i = from; i < to; i++) {
		struct snapshot *s = sample(i);

		history_push(h, s);
		snapshot_unref(s);
		ck_assert_uint_le(history_decoded(h), 2 + HISTORY_CACHE);
	}
}

START_TEST(test_every_sample_back)
{
	struct history h;

	history_init(&h, CAP);
	fill(&h, 0, PUSHES);
	ck_assert_uint_eq(h.n, CAP);
	ck_assert_uint_le(h.stored, CAP + HISTORY_KEYFRAME_EVERY - 1);
	/* Stepping back from the newest to the oldest, as [ does. */
	for (size_t i = 0; i < h.n; i++) {
		assert_same(PUSHES - 1 - i, history_get(&h, i));
		ck_assert_uint_le(history_decoded(&h), 2 + HISTORY_CACHE);
	}
	ck_assert_ptr_null(history_get(&h, CAP));
	/* And forward again, then at random. */
	for (size_t i = h.n; i-- > 0;)
		assert_same(PUSHES - 1 - i, history_get(&h, i));
	srand(7);
	for (int k = 0; k < 200; k++) {
		size_t i = (size_t)rand() % h.n;

		assert_same(PUSHES - 1 - i, history_get(&h, i));
		ck_assert_uint_eq(history_index_of_seq(&h, PUSHES - i), i);	/* seq = i + 1 */
	}
	ck_assert_uint_le(history_decoded(&h), 2 + HISTORY_CACHE);
	history_free(&h);
}
END_TEST

/* A cache smaller than one sample holds none: the ring keeps only the
 * newest two decoded, and every sample still comes back as pushed. */
START_TEST(test_cache_bytes_bound)
{
	struct history h;

	history_init(&h, CAP);
	h.cache_bytes = 1;
	for (unsigned int i = 0; i < 400; i++) {
		struct snapshot *s = sample(i);

		history_push(&h, s);
		snapshot_unref(s);
		ck_assert_uint_le(history_decoded(&h), 2);
	}
	for (size_t i = 0; i + 1 < h.n; i += 7) {
		uint64_t d;

		bool key = h.ring[(h.head + h.phys - i) % h.phys].keyframe;

		assert_same(399 - i, history_get(&h, i));
		/* The view's previous comes with it, unless i starts a group
		 * (its previous is then in the one before). */
		d = h.decodes;
		assert_same(399 - (i + 1), history_get(&h, i + 1));
		if (!key)
			ck_assert_uint_eq(h.decodes, d);
		/* The one asked for and the one before it (the view's deltas
		 * are against it), decoded last, are what the ring holds beside
		 * the newest two until the next step. */
		ck_assert_uint_le(history_decoded(&h), 4);
	}
	history_free(&h);
}
END_TEST

START_TEST(test_pins_survive_wrap)
{
	struct history h;
	struct snapshot *pin;

	history_init(&h, CAP);
	fill(&h, 0, 400);
	/* A mark on a sample decoded from the records. */
	pin = history_get(&h, 250);
	ck_assert_int_eq(pin->refs, 1);
	snapshot_ref(pin);
	fill(&h, 400, PUSHES);
	ck_assert_uint_eq(history_index_of_seq(&h, pin->seq), h.n);
	ck_assert_int_eq(pin->refs, 1);	/* the ring let go of it */
	assert_same(399 - 250, pin);
	/* The summaries are of the same samples. */
	ck_assert_uint_eq(history_summary(&h, 5)->seq, PUSHES - 5);
	ck_assert_ptr_null(history_summary(&h, CAP));
	snapshot_unref(pin);
	history_free(&h);
}
END_TEST

START_TEST(test_memory_bounded)
{
	struct history h;
	size_t at300, at1000;

	history_init(&h, CAP);
	fill(&h, 0, CAP);
	at300 = history_bytes(&h);
	fill(&h, CAP, PUSHES);
	at1000 = history_bytes(&h);
	/* Full at 300: the next 700 replace, they do not add. Records of
	 * a later sample are a little bigger (more sockets), hence the slack. */
	ck_assert_uint_le(at1000, at300 + at300 / 4);
	/* And records are a fraction of what the samples decoded would be. */
	ck_assert_uint_lt(at1000, CAP * (history_newest(&h)->socks.n * sizeof(struct sock_entry)));
	/* A smaller ring drops the oldest, keeps the newest. */
	history_shrink(&h, 10);
	ck_assert_uint_eq(h.n, 10);
	assert_same(PUSHES - 10, history_get(&h, 9));
	ck_assert_uint_lt(history_bytes(&h), at1000 / 5);
	history_free(&h);
}
END_TEST

/* Stepping back as the TUI does: the view at i, the one before it (i + 1)
 * asked for the deltas, and i + 2 decoded ahead meanwhile. Each step then
 * decodes nothing on the caller's thread, and gives the sample pushed. A
 * newer request replaces an older one, whose sample is then decoded by the
 * caller; a ring freed while a job runs lets it go. */
START_TEST(test_prefetch_steps)
{
	struct history h;
	struct snapshot *then;
	uint64_t before, done;
	int base, refs, held;

	struct prefetch_rows rows = { .ft = &fields_sockets, .desc = true };

	/* by inode: the synthetic sockets all hold the same memory */
	rows.sort = (size_t)(fields_find(&fields_sockets, "inode") - fields_sockets.v);
	history_init(&h, CAP);
	h.cache_bytes = 1;	/* no cache: every hit is the prefetch's */
	fill(&h, 0, 400);
	ck_assert_ptr_nonnull(history_get(&h, 1));
	for (size_t i = 0; i + 2 < 60; i++) {
		struct snapshot *view, *prev;
		struct diff *d, *fresh;

		/* Every other step also asks for the sockets' rows, sorted. */
		history_prefetch(&h, i + 2, i % 2 ? NULL : &rows);
		before = h.decodes;
		/* [: the view moves to i + 1 (held), its previous is i + 2. */
		view = history_get(&h, i + 1);
		prev = history_get(&h, i + 2);
		assert_same(399 - (unsigned int)(i + 1), view);
		assert_same(399 - (unsigned int)(i + 2), prev);
		ck_assert_uint_eq(h.decodes, before);
		/* Its deltas were made ahead, as the view would make them;
		 * once only, and for no other pair. */
		ck_assert_ptr_null(history_take_diff(&h, view, prev));
		d = history_take_diff(&h, prev, view);
		ck_assert_ptr_nonnull(d);
		ck_assert_ptr_null(history_take_diff(&h, prev, view));
		fresh = diff_compute(prev, view);
		ck_assert(d->a == prev && d->b == view);
		ck_assert_uint_gt(d->socks.n, 0);
		ck_assert_uint_eq(d->socks.n, fresh->socks.n);
		ck_assert_uint_eq(d->socks.n_changed, fresh->socks.n_changed);
		ck_assert_uint_eq(d->procs.n, fresh->procs.n);
		ck_assert_uint_eq(d->both, fresh->both);
		ck_assert_mem_eq(d->cls, fresh->cls, sizeof(d->cls));
		if (i % 2) {
			ck_assert_ptr_null(d->sorted.rows);
		} else {
			/* The rows and order the view builds from its diff. */
			struct field_row *want;
			struct field_ctx ctx;
			size_t n = fields_rows(&fields_sockets, fresh, view, false, false, &want);

			fields_ctx(fresh, view, &ctx);
			fields_sort(&fields_sockets.v[rows.sort], true, &ctx, want, n);
			ck_assert_ptr_nonnull(d->sorted.rows);
			ck_assert(d->sorted.ft == &fields_sockets && d->sorted.sort == rows.sort &&
				  d->sorted.desc);
			ck_assert_uint_eq(d->sorted.n, n);
			ck_assert_uint_gt(n, 1);
			for (size_t k = 0; k < n; k++)
				ck_assert(d->sorted.rows[k].b == want[k].b &&
					  d->sorted.rows[k].a == want[k].a &&
					  d->sorted.rows[k].status == want[k].status);
			free(want);
		}
		diff_free(fresh);
		diff_free(d);
	}
	ck_assert_uint_ge(history_prefetch_done(h.pf), 50);
	/* Decoding ahead yields to the thread that steps. */
	base = task_nice(0);
	ck_assert_int_eq(threads_with_nice(base + BACKGROUND_THREAD_NICE > 19 ? 19 : base + BACKGROUND_THREAD_NICE), 1);
	/* Replaced before it was taken: 200 is decoded here, 100 comes ahead. */
	history_prefetch(&h, 200, NULL);
	history_prefetch(&h, 100, NULL);
	before = h.decodes;
	assert_same(399 - 100, history_get(&h, 100));
	ck_assert_uint_eq(h.decodes, before);
	assert_same(399 - 200, history_get(&h, 200));
	ck_assert_uint_gt(h.decodes, before);
	/* Nothing to do for a decoded sample or one past the ring. */
	history_prefetch(&h, 0, NULL);
	history_prefetch(&h, CAP, NULL);
	history_prefetch(&h, 250, NULL);
	/* Back to the newest: what was decoded ahead goes, its diff too
	 * (which held a reference to the sample after it). */
	ck_assert_ptr_nonnull(history_get(&h, 30));
	then = snapshot_ref(history_get(&h, 31));	/* kept as 30's previous */
	refs = atomic_load(&then->refs);
	done = history_prefetch_done(h.pf);
	history_prefetch(&h, 32, NULL);
	while (history_prefetch_done(h.pf) == done)
		ck_assert_int_eq(usleep(1000), 0);
	held = atomic_load(&then->refs);
	ck_assert_int_eq(held, refs + 1);	/* the diff made ahead */
	history_forget_ahead(&h);
	held = atomic_load(&then->refs);
	ck_assert_int_eq(held, refs);
	snapshot_unref(then);
	before = h.decodes;
	assert_same(399 - 32, history_get(&h, 32));
	ck_assert_uint_gt(h.decodes, before);
	history_free(&h);
}
END_TEST

Suite *history_suite(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("encoded");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_every_sample_back);
	tcase_add_test(tc, test_cache_bytes_bound);
	tcase_add_test(tc, test_pins_survive_wrap);
	tcase_add_test(tc, test_memory_bounded);
	tcase_add_test(tc, test_prefetch_steps);
	suite_add_tcase(s, tc);
	return s;
}
