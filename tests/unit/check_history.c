// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The encoded history ring: whatever order samples are asked for in, each
 * is the one pushed (snapshot_equal); what the caller pins survives the
 * ring wrapping; what the ring keeps decoded stays bounded.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "history.h"
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

static void assert_same(const struct snapshot *want, const struct snapshot *got)
{
	char why[256] = "";

	ck_assert_ptr_nonnull(got);
	ck_assert_msg(snapshot_equal(want, got, why, sizeof(why)), "sample %llu: %s",
		      (unsigned long long)want->seq, why);
}

static struct snapshot *pushed[PUSHES];

static void fill(struct history *h, unsigned int from, unsigned int to)
{
	for (unsigned int i = from; i < to; i++) {
		pushed[i] = sample(i);
		history_push(h, pushed[i]);
		ck_assert_uint_le(history_decoded(h), 2 + HISTORY_CACHE);
	}
}

static void unref_all(void)
{
	for (unsigned int i = 0; i < PUSHES; i++) {
		snapshot_unref(pushed[i]);
		pushed[i] = NULL;
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
		assert_same(pushed[PUSHES - 1 - i], history_get(&h, i));
		ck_assert_uint_le(history_decoded(&h), 2 + HISTORY_CACHE);
	}
	ck_assert_ptr_null(history_get(&h, CAP));
	/* And forward again, then at random. */
	for (size_t i = h.n; i-- > 0;)
		assert_same(pushed[PUSHES - 1 - i], history_get(&h, i));
	srand(7);
	for (int k = 0; k < 200; k++) {
		size_t i = (size_t)rand() % h.n;

		assert_same(pushed[PUSHES - 1 - i], history_get(&h, i));
		ck_assert_uint_eq(history_index_of_seq(&h, pushed[PUSHES - 1 - i]->seq), i);
	}
	ck_assert_uint_le(history_decoded(&h), 2 + HISTORY_CACHE);
	history_free(&h);
	/* Nothing of ours is held any more. */
	for (unsigned int i = 0; i < PUSHES; i++)
		ck_assert_int_eq(pushed[i]->refs, 1);
	unref_all();
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
		pushed[i] = sample(i);
		history_push(&h, pushed[i]);
		ck_assert_uint_le(history_decoded(&h), 2);
	}
	for (size_t i = 0; i < h.n; i += 7) {
		assert_same(pushed[399 - i], history_get(&h, i));
		/* The one asked for, decoded last, is what the ring holds
		 * beside the newest two until the next step. */
		ck_assert_uint_le(history_decoded(&h), 3);
	}
	history_free(&h);
	for (unsigned int i = 0; i < 400; i++) {
		snapshot_unref(pushed[i]);
		pushed[i] = NULL;
	}
}
END_TEST

START_TEST(test_pins_survive_wrap)
{
	struct history h;
	struct snapshot *pin, *keep;

	history_init(&h, CAP);
	fill(&h, 0, 400);
	/* A mark on a sample decoded from the records, not the pushed one. */
	pin = history_get(&h, 250);
	ck_assert_ptr_ne(pin, pushed[399 - 250]);
	snapshot_ref(pin);
	keep = pushed[399 - 250];
	fill(&h, 400, PUSHES);
	ck_assert_uint_eq(history_index_of_seq(&h, pin->seq), h.n);
	assert_same(keep, pin);
	/* The summaries are of the same samples. */
	ck_assert_uint_eq(history_summary(&h, 5)->seq, pushed[PUSHES - 6]->seq);
	ck_assert_ptr_null(history_summary(&h, CAP));
	snapshot_unref(pin);
	history_free(&h);
	unref_all();
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
	ck_assert_uint_lt(at1000, CAP * (pushed[0]->socks.n * sizeof(*pushed[0]->socks.v)));
	/* A smaller ring drops the oldest, keeps the newest. */
	history_shrink(&h, 10);
	ck_assert_uint_eq(h.n, 10);
	assert_same(pushed[PUSHES - 10], history_get(&h, 9));
	ck_assert_uint_lt(history_bytes(&h), at1000 / 5);
	history_free(&h);
	unref_all();
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
	suite_add_tcase(s, tc);
	return s;
}
