/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Trends over synthetic histories (snapshots filled by hand) and the join of
 * sockets to the process that holds them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "snapshot.h"
#include "sockjoin.h"
#include "suites.h"
#include "trend.h"
#include "xalloc.h"

#define NS 1000000000ull

/* Sample seq at seq seconds, SUnreclaim = 1000 * seq unless absent. */
static struct snapshot *mem_snap(uint64_t seq, bool with_mem)
{
	struct snapshot *s = snapshot_new();

	s->seq = seq;
	s->t_mono_ns = seq * NS;
	s->sections = SNAP_MEM;
	if (with_mem) {
		s->mem.valid = true;
		s->mem.cls_present = 1u << MEM_SLAB_UNRECL;
		s->mem.cls[MEM_SLAB_UNRECL] = (int64_t)(1000 * seq);
	}
	return s;
}

/* A ring of cap holding samples 1..n, the newest last pushed. */
static void fill_ring(struct history *h, size_t cap, size_t n)
{
	history_init(h, cap);
	for (size_t i = 1; i <= n; i++) {
		struct snapshot *s = mem_snap(i, i % 7 != 3);

		history_push(h, s);
		snapshot_unref(s);
	}
}

START_TEST(test_series_ends_at_shown_sample)
{
	struct trend_series se = { 0 };
	struct history h;
	const struct snapshot *shown;

	/* More samples than any window: the series holds the newest points
	 * up to the shown sample, which is its last point. */
	fill_ring(&h, 2000, 2000);
	shown = history_get(&h, 0);
	ck_assert_uint_eq(trend_series_fill(&se, &h, shown, 1024, trend_get_slab_unreclaimable,
					    NULL),
			  1024);
	ck_assert_uint_eq(se.v[se.n - 1].t_mono_ns, shown->t_mono_ns);
	ck_assert(se.v[se.n - 1].present);
	ck_assert_int_eq(se.v[se.n - 1].value, 2000 * 1000);
	ck_assert_uint_eq(se.v[0].t_mono_ns, (2000 - 1023) * NS);
	/* The whole ring fits when asked for. */
	ck_assert_uint_eq(trend_series_fill(&se, &h, shown, h.n, trend_get_slab_unreclaimable,
					    NULL),
			  2000);
	ck_assert_uint_eq(se.v[1999].t_mono_ns, 2000 * NS);
	ck_assert_uint_eq(se.v[0].t_mono_ns, 1 * NS);
	/* A frozen view in the middle: the series stops there, nothing newer. */
	shown = history_get(&h, 1500);
	ck_assert_uint_eq(trend_series_fill(&se, &h, shown, 1024, trend_get_slab_unreclaimable,
					    NULL),
			  500);
	ck_assert_uint_eq(se.v[se.n - 1].t_mono_ns, 500 * NS);
	ck_assert_uint_eq(se.v[0].t_mono_ns, 1 * NS);
	trend_series_free(&se);
	history_free(&h);
}
END_TEST

START_TEST(test_series_absent_and_gone)
{
	struct trend_series se = { 0 };
	struct snapshot *gone = mem_snap(99, true);
	struct history h;
	int64_t d;

	fill_ring(&h, 10, 10);
	trend_series_fill(&se, &h, history_get(&h, 0), 10, trend_get_slab_unreclaimable, NULL);
	ck_assert_uint_eq(se.n, 10);
	/* Sample 3 lacks meminfo: absent, not zero. */
	ck_assert(!se.v[2].present);
	ck_assert(se.v[3].present);
	/* Change from the first present point (1) to the last present one
	 * (9: sample 10 lacks meminfo too). */
	ck_assert(!se.v[9].present);
	ck_assert(trend_change(&se, &d));
	ck_assert_int_eq(d, 8000);
	/* A view that has left the ring has no series: newer samples must
	 * not stand in for it. */
	ck_assert_uint_eq(trend_series_fill(&se, &h, gone, 10, trend_get_slab_unreclaimable, NULL),
			  0);
	ck_assert(!trend_change(&se, &d));
	/* One point is no change. */
	trend_series_fill(&se, &h, history_get(&h, 9), 10, trend_get_slab_unreclaimable, NULL);
	ck_assert_uint_eq(se.n, 1);
	ck_assert(!trend_change(&se, &d));
	trend_series_free(&se);
	snapshot_unref(gone);
	history_free(&h);
}
END_TEST

static void add_cache(struct snapshot *s, const char *name, uint64_t bytes)
{
	struct slab_cache *c;

	s->slab.v = xreallocarray(s->slab.v, s->slab.n + 1, sizeof(*s->slab.v));
	c = &s->slab.v[s->slab.n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->bytes = bytes;
}

static struct snapshot *slab_snap(uint64_t seq, uint64_t dentry, uint64_t kmalloc)
{
	struct snapshot *s = snapshot_new();

	s->seq = seq;
	s->t_mono_ns = seq * NS;
	s->sections = SNAP_SLAB;
	add_cache(s, "dentry", dentry);
	if (kmalloc)
		add_cache(s, "kmalloc-256", kmalloc);
	return s;
}

START_TEST(test_top_slab_grower)
{
	struct trend_series se = { 0 };
	struct history h;
	struct snapshot *s;
	const char *top;
	int64_t g = 0;

	history_init(&h, 8);
	/* 1: no slab section; 2: the baseline; 3, 4: kmalloc-256 appears and
	 * grows past dentry's growth. */
	s = mem_snap(1, true);
	history_push(&h, s);
	snapshot_unref(s);
	s = slab_snap(2, 1000, 0);
	history_push(&h, s);
	snapshot_unref(s);
	s = slab_snap(3, 1500, 100);
	history_push(&h, s);
	snapshot_unref(s);
	s = slab_snap(4, 1600, 900);
	history_push(&h, s);
	snapshot_unref(s);

	top = trend_top_slab_grower(&h, history_get(&h, 0), h.n, &g);
	ck_assert_ptr_nonnull(top);
	ck_assert_str_eq(top, "kmalloc-256");
	ck_assert_int_eq(g, 900);
	trend_series_fill(&se, &h, history_get(&h, 0), h.n, trend_get_slab_bytes, top);
	ck_assert_uint_eq(se.n, 4);
	ck_assert(!se.v[0].present);
	ck_assert(!se.v[1].present);
	ck_assert_int_eq(se.v[3].value, 900);
	/* Frozen at sample 3: the window ends there and dentry led then. */
	top = trend_top_slab_grower(&h, history_get(&h, 1), h.n, &g);
	ck_assert_str_eq(top, "dentry");
	ck_assert_int_eq(g, 500);
	/* A window of two (3 and 4) has 3 as its baseline. */
	top = trend_top_slab_grower(&h, history_get(&h, 0), 2, &g);
	ck_assert_str_eq(top, "kmalloc-256");
	ck_assert_int_eq(g, 800);
	/* Only the shown sample has slab data: no baseline, no grower. */
	ck_assert_ptr_null(trend_top_slab_grower(&h, history_get(&h, 2), h.n, &g));
	trend_series_free(&se);
	history_free(&h);
}
END_TEST

static void add_owned_sock(struct snapshot *s, uint32_t inode, uint32_t rmem)
{
	struct sock_entry *e = sock_table_add(&s->socks);

	e->inode = inode;
	e->cookie = inode;
	e->kind = SK_TCP;
	e->skmem_n = SKMEM_COUNT;
	e->skmem[SKMEM_RMEM_ALLOC] = rmem;
}

static void own(struct snapshot *s, uint32_t inode, int32_t pid, int32_t fd, uint64_t start)
{
	struct sock_entry *e = (struct sock_entry *)sock_table_find(&s->socks, inode, inode);
	struct sock_owner *o;

	xgrow((void **)&s->socks.owners, &s->socks.owners_cap, s->socks.owners_n + 1,
	      sizeof(*s->socks.owners));
	o = &s->socks.owners[s->socks.owners_n];
	*o = (struct sock_owner){ .pid = pid, .fd = fd, .starttime = start };
	if (!e->owner_n)
		e->owner_first = (uint32_t)s->socks.owners_n;
	e->owner_n++;
	s->socks.owners_n++;
}

START_TEST(test_sockjoin_of_proc)
{
	struct snapshot *s = snapshot_new();
	struct sockjoin_ref *r;
	size_t n;

	s->sections = SNAP_SOCKETS | SNAP_OWNERS;
	add_owned_sock(s, 10, 100);
	add_owned_sock(s, 20, 5000);
	add_owned_sock(s, 30, 7);
	add_owned_sock(s, 40, 9000);
	sock_table_finish(&s->socks);
	/* Owners not scanned: nothing, whatever the records say. */
	ck_assert_uint_eq(sockjoin_of_proc(s, 42, 7, &r), 0);
	ck_assert_ptr_null(r);
	s->socks.owners_scanned = true;
	/* Each socket's owners are contiguous, as the fd walk leaves them. */
	own(s, 10, 42, 3, 7);
	own(s, 20, 42, 4, 7);
	own(s, 20, 43, 9, 7);
	own(s, 30, 43, 5, 7);
	own(s, 40, 42, 6, 8);	/* pid 42 reused: another process */
	n = sockjoin_of_proc(s, 42, 7, &r);
	ck_assert_uint_eq(n, 2);
	/* Largest socket memory first. */
	ck_assert_uint_eq(r[0].sock->inode, 20);
	ck_assert_int_eq(r[0].fd, 4);
	ck_assert_uint_eq(r[1].sock->inode, 10);
	ck_assert_int_eq(r[1].fd, 3);
	free(r);
	ck_assert_uint_eq(sockjoin_of_proc(s, 44, 7, &r), 0);
	snapshot_unref(s);
}
END_TEST

Suite *trend_suite(void)
{
	Suite *s = suite_create("trend");
	TCase *tc = tcase_create("trend");

	tcase_add_test(tc, test_series_ends_at_shown_sample);
	tcase_add_test(tc, test_series_absent_and_gone);
	tcase_add_test(tc, test_top_slab_grower);
	tcase_add_test(tc, test_sockjoin_of_proc);
	suite_add_tcase(s, tc);
	return s;
}
