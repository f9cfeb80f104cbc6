/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TUI's pieces that need no terminal: the table widget (sort, filter,
 * selection following the entity) and text widths. Runs without curses
 * being started: nothing here draws.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "table.h"
#include "text.h"

static struct snapshot *snap(const uint32_t *inodes, const uint32_t *rmem, size_t n)
{
	struct snapshot *s = snapshot_new();

	s->sections = SNAP_SOCKETS;
	for (size_t i = 0; i < n; i++) {
		struct sock_entry *e = sock_table_add(&s->socks);

		e->inode = inodes[i];
		e->cookie = 1;
		e->kind = SK_TCP;
		e->state = 1;
		e->skmem_n = SKMEM_COUNT;
		e->skmem[SKMEM_RMEM_ALLOC] = rmem[i];
	}
	sock_table_finish(&s->socks);
	return s;
}

static void load(struct table *t, const struct snapshot *s)
{
	struct field_row *rows;
	struct field_ctx c;
	size_t n = fields_rows(&fields_sockets, NULL, s, false, false, &rows);

	fields_ctx(NULL, s, &c);
	table_set_rows(t, rows, n, &c);
}

static uint32_t sel_inode(const struct table *t)
{
	const struct field_row *r = table_selected(t);

	return r ? ((const struct sock_entry *)fields_entity(r))->inode : 0;
}

static uint32_t row_inode(const struct table *t, size_t i)
{
	return ((const struct sock_entry *)fields_entity(&t->rows[t->vis[i]]))->inode;
}

START_TEST(test_sort_and_follow)
{
	static const uint32_t ino[] = { 100, 200, 300, 400 }, mem1[] = { 10, 40, 30, 20 },
			      mem2[] = { 50, 40, 30, 20 };
	struct snapshot *a = snap(ino, mem1, 4), *b = snap(ino, mem2, 4);
	struct table t;

	table_init(&t, &fields_sockets);
	ck_assert_str_eq(t.ft->v[t.sort].id, "skmem");
	ck_assert(t.desc);
	load(&t, a);
	ck_assert_uint_eq(t.nvis, 4);
	ck_assert_uint_eq(row_inode(&t, 0), 200);
	ck_assert_uint_eq(row_inode(&t, 3), 100);
	/* Select 300 (second row), then a new sample moves 100 to the top:
	 * the selection stays on 300, now the third row. */
	table_move(&t, 1, 10);
	ck_assert_uint_eq(sel_inode(&t), 300);
	load(&t, b);
	ck_assert_uint_eq(row_inode(&t, 0), 100);
	ck_assert_uint_eq(sel_inode(&t), 300);
	ck_assert_uint_eq(t.sel, 2);
	/* Re-sort by inode ascending: still on 300. */
	table_set_sort(&t, fields_index(&fields_sockets, "inode"), false);
	ck_assert_uint_eq(row_inode(&t, 0), 100);
	ck_assert_uint_eq(sel_inode(&t), 300);
	table_reverse(&t);
	ck_assert_uint_eq(row_inode(&t, 0), 400);
	ck_assert_uint_eq(sel_inode(&t), 300);
	table_free(&t);
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

START_TEST(test_filter)
{
	static const uint32_t ino[] = { 1234, 5678, 12399, 777 }, mem[] = { 1, 2, 3, 4 };
	struct snapshot *s = snap(ino, mem, 4);
	struct table t;

	table_init(&t, &fields_sockets);
	load(&t, s);
	table_set_filter(&t, "12");
	ck_assert_uint_eq(t.nvis, 2);
	/* Narrowing looks only at the rows left and agrees with a full pass. */
	table_set_filter(&t, "123");
	ck_assert_uint_eq(t.nvis, 2);
	table_set_filter(&t, "1239");
	ck_assert_uint_eq(t.nvis, 1);
	ck_assert_uint_eq(row_inode(&t, 0), 12399);
	table_set_filter(&t, "12");
	ck_assert_uint_eq(t.nvis, 2);
	table_set_filter(&t, "nothing");
	ck_assert_uint_eq(t.nvis, 0);
	ck_assert_ptr_null(table_selected(&t));
	table_set_filter(&t, "");
	ck_assert_uint_eq(t.nvis, 4);
	/* A new sample keeps the filter. */
	table_set_filter(&t, "777");
	load(&t, s);
	ck_assert_uint_eq(t.nvis, 1);
	table_free(&t);
	snapshot_unref(s);
}
END_TEST

START_TEST(test_columns_string)
{
	struct table t;
	char buf[256];

	table_init(&t, &fields_sockets);
	ck_assert_int_eq(table_columns_parse(&t, "inode,nosuch,skmem"), 1);
	table_columns_string(&t, buf, sizeof(buf));
	ck_assert_str_eq(buf, "skmem,inode");
	/* Nothing known: the columns stay as they were. */
	ck_assert_int_eq(table_columns_parse(&t, "a,b"), 2);
	table_columns_string(&t, buf, sizeof(buf));
	ck_assert_str_eq(buf, "skmem,inode");
	/* The last column cannot be hidden. */
	table_toggle_column(&t, fields_index(&fields_sockets, "skmem"));
	table_toggle_column(&t, fields_index(&fields_sockets, "inode"));
	table_columns_string(&t, buf, sizeof(buf));
	ck_assert_str_eq(buf, "inode");
	table_free(&t);
}
END_TEST

START_TEST(test_text_width)
{
	text_init(true);
	ck_assert_int_eq(text_width("abc"), 3);
	ck_assert_int_eq(text_width("ΔSKMEM"), 6);
	/* Control characters and broken UTF-8 count as one '?' each. */
	ck_assert_int_eq(text_width("a\x1b" "b"), 3);
	ck_assert_int_eq(text_width("\xff\xfe"), 2);
	ck_assert(text_contains("Hello World", "wor"));
	ck_assert(!text_contains("Hello", "xyz"));
	ck_assert(text_contains("x", ""));
	text_init(false);
	ck_assert_int_eq(text_width("ΔSKMEM"), 6);
	ck_assert_str_eq(text_glyph("▼", "v"), "v");
}
END_TEST

static Suite *tui_suite(void)
{
	Suite *s = suite_create("tui");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_sort_and_follow);
	tcase_add_test(tc, test_filter);
	tcase_add_test(tc, test_columns_string);
	tcase_add_test(tc, test_text_width);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tui_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
