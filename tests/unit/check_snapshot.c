/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Snapshot lifetime, history ring, diff by merge-join, units, JSON writer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "fields.h"
#include "format.h"
#include "history.h"
#include "json.h"
#include "snapshot.h"
#include "suites.h"
#include "xalloc.h"

static void add_cache(struct snapshot *s, const char *name, uint64_t objs, uint64_t bytes)
{
	struct slab_cache *c;

	s->slab.v = xreallocarray(s->slab.v, s->slab.n + 1, sizeof(*s->slab.v));
	c = &s->slab.v[s->slab.n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->active_objs = c->num_objs = objs;
	c->bytes = bytes;
}

static void add_sock(struct snapshot *s, uint32_t inode, uint64_t cookie, uint32_t rmem)
{
	struct sock_entry *e = sock_table_add(&s->socks);

	e->inode = inode;
	e->cookie = cookie;
	e->kind = SK_TCP;
	e->skmem_n = SKMEM_COUNT;
	e->skmem[SKMEM_RMEM_ALLOC] = rmem;
	e->rqueue = rmem / 2;
}

static struct snapshot *snap_at(uint64_t t_ns)
{
	struct snapshot *s = snapshot_new();

	s->t_mono_ns = t_ns;
	s->sections = SNAP_ALL;
	return s;
}

START_TEST(test_diff_slab_join)
{
	struct snapshot *a = snap_at(1000000000ull), *b = snap_at(3000000000ull);
	struct diff *d;

	/* Sorted by name on both sides, as slabinfo_parse leaves them. */
	add_cache(a, "dentry", 100, 4096);
	add_cache(a, "gone_cache", 5, 8192);
	add_cache(a, "kmalloc-256", 10, 4096);
	add_cache(b, "dentry", 1050100, 215040000);
	add_cache(b, "kmalloc-256", 10, 4096);
	add_cache(b, "new_cache", 7, 4096);
	d = diff_compute(a, b);
	ck_assert_double_eq_tol(d->interval_s, 2.0, 1e-9);
	ck_assert_uint_eq(d->slab.n, 4);
	ck_assert_uint_eq(d->slab.n_new, 1);
	ck_assert_uint_eq(d->slab.n_gone, 1);
	ck_assert_uint_eq(d->slab.n_changed, 1);
	/* dentry */
	ck_assert_int_eq(d->slab.v[0].status, DIFF_CHANGED);
	ck_assert_int_eq(d->slab.v[0].d_count, 1050000);
	ck_assert_int_eq(d->slab.v[0].d_bytes, 215040000 - 4096);
	/* gone_cache: only in A, shrinks to nothing */
	ck_assert_int_eq(d->slab.v[1].status, DIFF_GONE);
	ck_assert_uint_eq(d->slab.v[1].a, 1);
	ck_assert_uint_eq(d->slab.v[1].b, SIZE_MAX);
	ck_assert_int_eq(d->slab.v[1].d_bytes, -8192);
	ck_assert_int_eq(d->slab.v[2].status, DIFF_SAME);
	ck_assert_int_eq(d->slab.v[3].status, DIFF_NEW);
	ck_assert_int_eq(d->slab.v[3].d_count, 7);
	/* The diff keeps both snapshots alive. */
	snapshot_unref(a);
	snapshot_unref(b);
	ck_assert_int_eq(d->a->refs, 1);
	ck_assert_str_eq(d->a->slab.v[0].name, "dentry");
	diff_free(d);
}
END_TEST

START_TEST(test_diff_sockets_by_inode_and_cookie)
{
	struct snapshot *a = snap_at(0), *b = snap_at(1000000000ull);
	struct diff *d;

	add_sock(a, 0, 5, 100);		/* no-fd socket, matched by cookie */
	add_sock(a, 10, 1, 1000);
	add_sock(a, 11, 2, 0);
	sock_table_finish(&a->socks);
	add_sock(b, 0, 5, 300);
	add_sock(b, 10, 1, 4000);
	add_sock(b, 11, 3, 0);		/* inode reused by a new socket: new cookie */
	sock_table_finish(&b->socks);
	d = diff_compute(a, b);
	ck_assert_uint_eq(d->socks.n, 4);
	ck_assert_int_eq(d->socks.v[0].status, DIFF_CHANGED);
	ck_assert_int_eq(d->socks.v[0].d_bytes, 200);
	ck_assert_int_eq(d->socks.v[1].d_bytes, 3000);
	ck_assert_int_eq(d->socks.v[1].d_count, 1500);
	ck_assert_int_eq(d->socks.v[2].status, DIFF_GONE);
	ck_assert_int_eq(d->socks.v[3].status, DIFF_NEW);
	diff_free(d);
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

/* Sockets with neither inode nor cookie (procnet rows, TIME_WAIT) all
 * share the key (0, 0): they are told apart by their 4-tuple and state. */
static void add_tw(struct snapshot *s, uint16_t sport, uint8_t state, uint32_t rmem)
{
	struct sock_entry *e = sock_table_add(&s->socks);

	e->kind = SK_TCP;
	e->family = 2;
	e->state = state;
	e->sport = sport;
	e->dport = 80;
	e->u.in.addr.v4.saddr[0] = 127;
	e->u.in.addr.v4.daddr[0] = 127;
	e->skmem_n = SKMEM_COUNT;
	e->skmem[SKMEM_RMEM_ALLOC] = rmem;
}

static const struct {
	const char *name;
	uint16_t a_ports[4], b_ports[4];	/* 0 ends */
	uint8_t b_state;			/* state of B's sockets (A's: TIME-WAIT) */
	size_t rows, n_new, n_gone, pairs;	/* with the inode-10 socket, a pair */
} dup_cases[] = {
	{ "one gone one new", { 1000, 1001 }, { 1001, 1002 }, 6, 4, 1, 1, 2 },
	{ "all kept", { 1000, 1001, 1002 }, { 1002, 1000, 1001 }, 6, 4, 0, 0, 4 },
	{ "disjoint", { 1000, 1001 }, { 2000, 2001 }, 6, 5, 2, 2, 1 },
	{ "state change is another socket", { 1000 }, { 1000 }, 8, 3, 1, 1, 1 },
};

START_TEST(test_diff_sockets_without_identity)
{
	struct snapshot *a = snap_at(0), *b = snap_at(1000000000ull);
	struct diff *d;
	size_t pairs = 0;

	for (int i = 0; dup_cases[_i].a_ports[i]; i++)
		add_tw(a, dup_cases[_i].a_ports[i], 6, 0);
	for (int i = 0; dup_cases[_i].b_ports[i]; i++)
		add_tw(b, dup_cases[_i].b_ports[i], dup_cases[_i].b_state, 0);
	add_sock(a, 10, 1, 0);
	add_sock(b, 10, 1, 0);
	sock_table_finish(&a->socks);
	sock_table_finish(&b->socks);
	d = diff_compute(a, b);
	ck_assert_msg(d->socks.n == dup_cases[_i].rows, "%s: %zu rows", dup_cases[_i].name,
		      d->socks.n);
	ck_assert_uint_eq(d->socks.n_new, dup_cases[_i].n_new);
	ck_assert_uint_eq(d->socks.n_gone, dup_cases[_i].n_gone);
	for (size_t i = 0; i < d->socks.n; i++) {
		const struct diff_row *r = &d->socks.v[i];
		uint64_t ka[2], kb[2];

		if (r->a == SIZE_MAX || r->b == SIZE_MAX)
			continue;
		/* A pair is one socket: the same identity on both sides. */
		ck_assert_int_eq(sock_identity_cmp(&a->socks.v[r->a], &b->socks.v[r->b]), 0);
		sock_identity(&a->socks.v[r->a], ka);
		sock_identity(&b->socks.v[r->b], kb);
		ck_assert(ka[0] == kb[0] && ka[1] == kb[1]);
		pairs++;
	}
	ck_assert_uint_eq(pairs, dup_cases[_i].pairs);
	/* Every identity-less socket is found again by its identity words. */
	for (size_t i = 0; i < b->socks.n; i++) {
		uint64_t k[2];

		sock_identity(&b->socks.v[i], k);
		ck_assert_ptr_eq(sock_table_find(&b->socks, (uint32_t)k[0], k[1]), &b->socks.v[i]);
	}
	diff_free(d);
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

START_TEST(test_diff_section_not_in_a)
{
	struct snapshot *a = snap_at(0), *b = snap_at(1000000000ull);
	struct field_row *rows;
	struct field_ctx ctx;
	struct diff *d;
	int64_t v;
	size_t n;

	/* The user just switched to the sockets view: A has no socket dump, so
	 * B's sockets are not "new", and the diff says so. */
	a->sections = SNAP_MEM;
	add_sock(b, 10, 1, 4000);
	sock_table_finish(&b->socks);
	d = diff_compute(a, b);
	ck_assert(!(d->both & SNAP_SOCKETS));
	ck_assert(d->both & SNAP_MEM);
	ck_assert_uint_eq(d->socks.n, 0);
	/* The views list B's sockets alone, with no delta. */
	n = fields_rows(&fields_sockets, d, NULL, false, false, &rows);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_null(rows[0].a);
	fields_ctx(d, NULL, &ctx);
	ck_assert(!fields_value(fields_find(&fields_sockets, "dskmem"), &ctx, &rows[0], &v));
	ck_assert(fields_value(fields_find(&fields_sockets, "skmem"), &ctx, &rows[0], &v));
	ck_assert_int_eq(v, 4000);
	free(rows);
	diff_free(d);
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

START_TEST(test_diff_first_sample)
{
	struct snapshot *b = snap_at(5);
	struct diff *d;

	add_cache(b, "dentry", 3, 4096);
	b->mem.valid = true;
	b->mem.cls_present = 1u << MEM_ANON;
	b->mem.cls[MEM_ANON] = 4096;
	d = diff_compute(NULL, b);
	ck_assert_ptr_null(d->a);
	ck_assert_double_eq(d->interval_s, 0.0);
	ck_assert_uint_eq(d->slab.n_new, 1);
	ck_assert(!d->cls[MEM_ANON].present);
	diff_free(d);
	snapshot_unref(b);
}
END_TEST

START_TEST(test_diff_memory_rates)
{
	struct snapshot *a = snap_at(0), *b = snap_at(4000000000ull);
	struct diff *d;

	a->mem.valid = b->mem.valid = true;
	a->mem.cls_present = b->mem.cls_present = (1u << MEM_SLAB_UNRECL) | (1u << MEM_UNACCOUNTED);
	a->mem.cls[MEM_SLAB_UNRECL] = 1000;
	b->mem.cls[MEM_SLAB_UNRECL] = 9000;
	a->mem.cls[MEM_UNACCOUNTED] = 500;
	b->mem.cls[MEM_UNACCOUNTED] = -100;
	/* Percpu absent on one side: no delta, not a delta of zero. */
	a->mem.cls_present |= 1u << MEM_PERCPU;
	d = diff_compute(a, b);
	ck_assert(d->cls[MEM_SLAB_UNRECL].present);
	ck_assert_int_eq(d->cls[MEM_SLAB_UNRECL].d, 8000);
	ck_assert_double_eq_tol(d->cls[MEM_SLAB_UNRECL].rate_per_s, 2000.0, 1e-9);
	ck_assert_int_eq(d->cls[MEM_UNACCOUNTED].d, -600);
	ck_assert(!d->cls[MEM_PERCPU].present);
	ck_assert(!d->cls[MEM_ANON].present);
	diff_free(d);
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

/* The whole order of a numeric column with negative values (a delta), ties
 * and a missing value: each row sorts before the next by fields_compare, or
 * ties with it and came before it in the table; both ways. */
START_TEST(test_fields_sort_total_order)
{
	struct snapshot *a = snap_at(1000000000ull), *b = snap_at(3000000000ull);
	const struct field *f = fields_find(&fields_sockets, "dskmem");
	struct field_row *rows;
	struct field_ctx ctx;
	struct diff *d;
	uint32_t x = 777;
	size_t n;

	for (uint32_t i = 1; i <= 3000; i++) {
		x = x * 1103515245u + 12345u;
		add_sock(a, i, i, 1000);
		/* Down, up and unchanged: deltas from -1000 to +1e9. */
		add_sock(b, i, i, (x >> 9) % 4 == 0 ? (x >> 8) % 900 : 1000 + (x >> 12) % 1000000000u);
	}
	b->socks.v[11].skmem_n = 0;	/* missing in B: its delta is missing */
	sock_table_finish(&a->socks);
	sock_table_finish(&b->socks);
	d = diff_compute(a, b);
	fields_ctx(d, b, &ctx);
	for (int desc = 0; desc < 2; desc++) {
		n = fields_rows(&fields_sockets, d, b, false, false, &rows);
		ck_assert_uint_eq(n, 3000);
		fields_sort(f, desc, &ctx, rows, n);
		for (size_t i = 0; i + 1 < n; i++) {
			int c = fields_compare(f, &ctx, &rows[i], &rows[i + 1]);
			int64_t v;
			bool last = !fields_value(f, &ctx, &rows[i + 1], &v);

			if (c == 0)
				ck_assert((const char *)rows[i].b < (const char *)rows[i + 1].b);
			else if (!last)
				ck_assert_msg(desc ? c > 0 : c < 0, "rows %zu and %zu out of order", i,
					      i + 1);
		}
		ck_assert_ptr_eq(rows[n - 1].b, &b->socks.v[11]);
		free(rows);
	}
	diff_free(d);
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

START_TEST(test_fields_top_matches_full_sort)
{
	struct snapshot *b = snap_at(0);
	const struct field *f = fields_find(&fields_sockets, "skmem");
	struct field_row *all, *top;
	struct field_ctx ctx;
	uint32_t x = 12345;
	size_t n, k;

	/* Ties on purpose: the top rows must be the full sort's, in order. */
	for (uint32_t i = 1; i <= 2000; i++) {
		x = x * 1103515245u + 12345u;
		add_sock(b, i, i, (x >> 8) % 300);
	}
	b->socks.v[7].skmem_n = 0;	/* a missing value sorts last */
	sock_table_finish(&b->socks);
	n = fields_rows(&fields_sockets, NULL, b, false, false, &all);
	ck_assert_uint_eq(fields_rows(&fields_sockets, NULL, b, false, false, &top), n);
	fields_ctx(NULL, b, &ctx);
	fields_sort(f, true, &ctx, all, n);
	k = fields_top(f, true, &ctx, top, n, 25);
	ck_assert_uint_eq(k, 25);
	for (size_t i = 0; i < k; i++)
		ck_assert_ptr_eq(top[i].b, all[i].b);
	/* Ascending, where the missing value still goes last. */
	fields_sort(f, false, &ctx, all, n);
	k = fields_top(f, false, &ctx, top, n, 40);
	for (size_t i = 0; i < k; i++)
		ck_assert_ptr_eq(top[i].b, all[i].b);
	ck_assert_ptr_eq(all[n - 1].b, &b->socks.v[7]);
	ck_assert_uint_eq(fields_top(f, false, &ctx, top, n, 0), n);
	ck_assert_uint_eq(fields_top(f, false, &ctx, top, 3, 10), 3);
	free(all);
	free(top);
	snapshot_unref(b);
}
END_TEST

START_TEST(test_history_ring)
{
	struct history h;
	struct snapshot *s[5];

	history_init(&h, 3);
	for (int i = 0; i < 5; i++) {
		s[i] = snap_at((uint64_t)i);
		s[i]->seq = (uint64_t)i + 1;
		history_push(&h, s[i]);
	}
	ck_assert_uint_eq(h.n, 3);
	ck_assert_uint_eq(history_get(&h, 0)->seq, 5);
	ck_assert_uint_eq(history_get(&h, 2)->seq, 3);
	ck_assert_ptr_null(history_get(&h, 3));
	/* The ring keeps only a few decoded (tests/unit/check_history.c). */
	ck_assert_uint_le(history_decoded(&h), 2 + HISTORY_CACHE);
	ck_assert_int_eq(s[4]->refs, 3);	/* ours, the ring's, the encoder's */
	history_free(&h);
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(s[i]->refs, 1);
		snapshot_unref(s[i]);
	}
}
END_TEST

/* A figure and its text; u, i or r is the figure, after the formatter's type. */
struct unit_case {
	void (*fmt)(const struct unit_case *c, char *out, size_t sz);
	uint64_t u;
	int64_t i;
	double r;
	const char *want;
};

static void fmt_bytes(const struct unit_case *c, char *out, size_t sz)
{
	format_bytes(c->u, out, sz);
}

static void fmt_delta_bytes(const struct unit_case *c, char *out, size_t sz)
{
	format_delta_bytes(c->i, out, sz);
}

static void fmt_rate_bytes(const struct unit_case *c, char *out, size_t sz)
{
	format_rate_bytes(c->r, out, sz);
}

static void fmt_count(const struct unit_case *c, char *out, size_t sz)
{
	format_count(c->u, out, sz);
}

static void fmt_delta_count(const struct unit_case *c, char *out, size_t sz)
{
	format_delta_count(c->i, out, sz);
}

static const struct unit_case unit_cases[] = {
	{ fmt_bytes, .u = 0, .want = "0B" },
	{ fmt_bytes, .u = 1023, .want = "1023B" },
	{ fmt_bytes, .u = 1536, .want = "1.50K" },
	{ fmt_bytes, .u = 12900000, .want = "12.3M" },
	{ fmt_bytes, .u = UINT64_MAX, .want = "16.0E" },
	{ fmt_delta_bytes, .i = -4096, .want = "-4.00K" },
	{ fmt_delta_bytes, .i = 0, .want = "0" },
	{ fmt_delta_bytes, .i = INT64_MIN, .want = "-8.00E" },
	{ fmt_rate_bytes, .r = 1048576.0, .want = "+1.00M/s" },
	{ fmt_count, .u = 99999, .want = "99999" },
	{ fmt_count, .u = 1050000, .want = "1.05M" },
	{ fmt_delta_count, .i = -123456, .want = "-123K" },
};

START_TEST(test_format_units)
{
	char b[16];

	unit_cases[_i].fmt(&unit_cases[_i], b, sizeof(b));
	ck_assert_str_eq(b, unit_cases[_i].want);
}
END_TEST

START_TEST(test_json_writer_escapes)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct json j;

	json_init(&j, f);
	json_object_begin(&j, NULL);
	json_str(&j, "comm", "a\"b\\c\x1b[31m");
	json_str_raw(&j, "path", "\0abs", 4);
	json_array_begin(&j, "v");
	json_u64(&j, NULL, 1);
	json_i64(&j, NULL, -2);
	json_null(&j, NULL);
	json_array_end(&j);
	json_double(&j, "r", 1.0 / 0.0);
	json_object_end(&j);
	fclose(f);
	ck_assert_str_eq(text, "{\"comm\":\"a\\\"b\\\\\\\\c\\\\x1b[31m\",\"path\":\"\\\\x00abs\","
			       "\"v\":[1,-2,null],\"r\":null}");
	free(text);
}
END_TEST

Suite *snapshot_suite(void)
{
	Suite *s = suite_create("snapshot");
	TCase *tc = tcase_create("diff");

	tcase_add_test(tc, test_diff_slab_join);
	tcase_add_test(tc, test_diff_sockets_by_inode_and_cookie);
	tcase_add_loop_test(tc, test_diff_sockets_without_identity, 0, (int)ARRAY_SIZE(dup_cases));
	tcase_add_test(tc, test_diff_section_not_in_a);
	tcase_add_test(tc, test_diff_first_sample);
	tcase_add_test(tc, test_diff_memory_rates);
	tcase_add_test(tc, test_fields_top_matches_full_sort);
	tcase_add_test(tc, test_fields_sort_total_order);
	tcase_add_test(tc, test_history_ring);
	tcase_add_loop_test(tc, test_format_units, 0, (int)ARRAY_SIZE(unit_cases));
	tcase_add_test(tc, test_json_writer_escapes);
	suite_add_tcase(s, tc);
	return s;
}
