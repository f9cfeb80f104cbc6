// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The trend engine on synthetic snapshots: identity across samples, the
 * socket grouping, forgetting what is gone, and the estimates it hands out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "hash.h"
#include "suites.h"
#include "synth.h"
#include "tracker.h"

#define MIB (1024.0 * 1024.0)

static const struct tq *find(const struct tracker *t, uint8_t kind, uint64_t k0, uint64_t k1)
{
	struct tq_id id = { .kind = kind, .k = { k0, k1 } };

	return tracker_find(t, &id);
}

static void feed(struct tracker *t, struct snapshot *s)
{
	synth_finish(s);
	ck_assert_int_eq(tracker_update(t, s), 0);
	snapshot_unref(s);
}

START_TEST(test_slab_line_estimated)
{
	struct tracker *t = tracker_new(NULL);
	const struct tq *q;
	const struct growth_est *e;

	/* 1000 objects of 192 bytes per 2 s sample: 96000 bytes/s. */
	for (unsigned int i = 0; i < 10; i++) {
		struct snapshot *s = synth_snap(i);

		synth_slab(s, "dentry", 192, 100000 + 1000 * i);
		feed(t, s);
	}
	q = find(t, TQ_SLAB_BYTES, hash_str("dentry", HASH_INIT), 0);
	ck_assert_ptr_nonnull(q);
	ck_assert_str_eq(q->label, "dentry");
	ck_assert(q->present);
	e = tracker_estimate(t, q);
	ck_assert_int_eq(e->status, GROWTH_OK);
	ck_assert_int_eq(e->shape, GROWTH_LINEAR);
	ck_assert_double_eq_tol(e->slope_per_s, 96000.0, 1.0);
	ck_assert_double_eq_tol(tracker_net_rate(t, q), 96000.0, 1.0);
	ck_assert_uint_eq(tracker_points(t, q), 10);
	/* Cached: the same answer until the next update. */
	ck_assert_ptr_eq(tracker_estimate(t, q), e);
	ck_assert_uint_eq(tracker_samples(t), 10);
	tracker_free(t);
}
END_TEST

START_TEST(test_time_order_rejected)
{
	struct tracker *t = tracker_new(NULL);
	struct snapshot *s = synth_snap(5), *old = synth_snap(4);

	synth_slab(s, "filp", 256, 10);
	feed(t, s);
	synth_finish(old);
	ck_assert_int_eq(tracker_update(t, old), -1);
	ck_assert_uint_eq(tracker_samples(t), 1);
	snapshot_unref(old);
	tracker_free(t);
}
END_TEST

START_TEST(test_identity_pid_and_starttime)
{
	struct tracker *t = tracker_new(NULL);

	/* Same pid, another start time: a new process, not a drop of the old. */
	for (unsigned int i = 0; i < 6; i++) {
		struct snapshot *s = synth_snap(i);

		synth_proc(s, 42, i < 3 ? 100 : 900, "worker", (uint64_t)(10 + i) << 20, 8);
		feed(t, s);
	}
	ck_assert_ptr_nonnull(find(t, TQ_PROC_RSS, 42, 900));
	ck_assert(find(t, TQ_PROC_RSS, 42, 900)->present);
	ck_assert_double_eq(find(t, TQ_PROC_RSS, 42, 900)->first_value, 13.0 * MIB);
	/* The old life is absent for three samples, not yet forgotten (4). */
	ck_assert_ptr_nonnull(find(t, TQ_PROC_RSS, 42, 100));
	ck_assert(!find(t, TQ_PROC_RSS, 42, 100)->present);
	tracker_free(t);
}
END_TEST

START_TEST(test_churn_stays_bounded)
{
	struct tracker_params p;
	struct tracker *t;
	size_t most = 0;

	tracker_params_init(&p);
	t = tracker_new(&p);
	/* 500 samples, each with 40 processes that live for one sample only,
	 * each with a socket: 20 000 processes come and go. */
	for (unsigned int i = 0; i < 500; i++) {
		struct snapshot *s = synth_snap(i);

		for (int k = 0; k < 40; k++) {
			int32_t pid = (int32_t)(1000 + i * 40 + (unsigned int)k);

			synth_proc(s, pid, 5, "cc1", 1u << 20, 4);
			synth_sock(s, pid, 5, SK_TCP, 1, (uint32_t)pid, 40000, 80);
		}
		feed(t, s);
		if (tracker_count(t) > most)
			most = tracker_count(t);
	}
	/* Per process 4 quantities and 4 of its socket group, kept for at most
	 * forget_after samples after it is gone: 40 * 8 * (4 + 1). */
	ck_assert_uint_le(most, 40u * 8 * (p.forget_after + 1) + MEM_CLASS_COUNT + 4);
	ck_assert_uint_ge(most, 40u * 8);
	tracker_free(t);
}
END_TEST

START_TEST(test_socket_groups)
{
	struct tracker *t = tracker_new(NULL);
	struct snapshot *s = synth_snap(0);
	struct tracker_watch w;
	const struct tq *q;
	struct tq_sgroup g;
	uint64_t key[2];

	for (uint32_t k = 0; k < 1000; k++)
		synth_sock(s, 77, 3, SK_TCP, 8, 5000 + k, 40000 + (uint16_t)k, 8080);
	/* Orphans of a server on port 8080, peers on ephemeral ports: one group. */
	for (uint32_t k = 0; k < 30; k++)
		synth_sock(s, 0, 0, SK_TCP, 4, 0, 8080, (uint16_t)(50000 + k));
	synth_finish(s);
	ck_assert_int_eq(tracker_update(t, s), 0);

	tracker_sgroup_of(t, &s->socks, sock_table_find(&s->socks, 5000, 5000), &g, key);
	ck_assert_int_eq(g.pid, 77);
	q = find(t, TQ_SGRP_COUNT, key[0], key[1]);
	ck_assert_ptr_nonnull(q);
	ck_assert_double_eq(q->last_value, 1000);
	ck_assert_int_eq(q->sg.state, 8);
	ck_assert_str_eq(q->label, "tcp");	/* no process table entry: the kind */

	tracker_sgroup_of(t, &s->socks, &s->socks.v[0], &g, key);
	ck_assert_int_eq(g.pid, 0);
	ck_assert_uint_eq(g.port, 8080);
	ck_assert(g.flags & TQ_SG_NO_INODE);
	ck_assert(!(g.flags & TQ_SG_REMOTE_PORT));
	q = find(t, TQ_SGRP_COUNT, key[0], key[1]);
	ck_assert_ptr_nonnull(q);
	ck_assert_double_eq(q->last_value, 30);

	tracker_watching(t, &w);
	ck_assert_uint_eq(w.sockets, 1030);
	ck_assert_uint_eq(w.socket_groups, 2);
	snapshot_unref(s);
	tracker_free(t);
}
END_TEST

/* A client's orphans to a local server whose kernel-chosen port is in the
 * ephemeral range: some of their own ports are below it, some above; the
 * listener names the service end, so they are one group. */
START_TEST(test_orphans_grouped_by_listener_port)
{
	struct tracker *t = tracker_new(NULL);
	struct snapshot *s = synth_snap(0);
	struct tq_sgroup g;
	uint64_t key[2];
	const struct tq *q;

	synth_sock(s, 90, 3, SK_TCP, 10, 7000, 45000, 0);
	for (uint32_t k = 0; k < 20; k++)
		synth_sock(s, 0, 0, SK_TCP, 4, 0, (uint16_t)(40001 + 1000 * k), 45000);
	synth_finish(s);
	ck_assert_int_eq(tracker_update(t, s), 0);
	tracker_sgroup_of(t, &s->socks, &s->socks.v[0], &g, key);
	ck_assert_int_eq(g.pid, 0);
	ck_assert_uint_eq(g.port, 45000);
	ck_assert(g.flags & TQ_SG_REMOTE_PORT);
	q = find(t, TQ_SGRP_COUNT, key[0], key[1]);
	ck_assert_ptr_nonnull(q);
	ck_assert_double_eq(q->last_value, 20);
	snapshot_unref(s);
	tracker_free(t);
}
END_TEST

START_TEST(test_absent_section_not_zero)
{
	struct tracker *t = tracker_new(NULL);
	const struct tq *q;
	struct growth_point p;

	for (unsigned int i = 0; i < 3; i++) {
		struct snapshot *s = synth_snap(i);

		if (i != 1)
			synth_slab(s, "kmalloc-64", 64, 1000);
		else
			s->sections &= ~(unsigned int)SNAP_SLAB;	/* not sampled */
		feed(t, s);
	}
	q = find(t, TQ_SLAB_OBJS, hash_str("kmalloc-64", HASH_INIT), 0);
	ck_assert_ptr_nonnull(q);
	ck_assert(growth_ring_get(&q->ring, 1, &p));
	ck_assert(!p.present);
	ck_assert_uint_eq(tracker_points(t, q), 2);
	tracker_free(t);
}
END_TEST

Suite *tracker_suite(void)
{
	Suite *s = suite_create("tracker");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_slab_line_estimated);
	tcase_add_test(tc, test_time_order_rejected);
	tcase_add_test(tc, test_identity_pid_and_starttime);
	tcase_add_test(tc, test_churn_stays_bounded);
	tcase_add_test(tc, test_socket_groups);
	tcase_add_test(tc, test_orphans_grouped_by_listener_port);
	tcase_add_test(tc, test_absent_section_not_zero);
	suite_add_tcase(s, tc);
	return s;
}
