/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TUI's pieces that need no terminal: the table widget (sort, filter,
 * selection following the entity), text widths, the settings file and the
 * drill-down's formatting. Runs without curses being started: nothing here
 * draws.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "diff.h"
#include "drill.h"
#include "fields.h"
#include "header.h"
#include "history.h"
#include "sparkline.h"
#include "suspects.h"
#include "settings.h"
#include "sock.h"
#include "strsafe.h"
#include "table.h"
#include "tabs.h"
#include "text.h"
#include "tracker.h"
#include "xalloc.h"

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
	/* Re-sort by inode ascending: a new order shows its top. */
	table_set_sort(&t, fields_index(&fields_sockets, "inode"), false);
	ck_assert_uint_eq(row_inode(&t, 0), 100);
	ck_assert_uint_eq(t.sel, 0);
	ck_assert_uint_eq(sel_inode(&t), 100);
	/* ...and the next sample keeps following the row selected. */
	table_move(&t, 2, 10);
	load(&t, a);
	ck_assert_uint_eq(sel_inode(&t), 300);
	table_reverse(&t);
	ck_assert_uint_eq(row_inode(&t, 0), 400);
	ck_assert_uint_eq(sel_inode(&t), 400);
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

START_TEST(test_utf8_decode)
{
	static const struct {
		const char *in;
		size_t len, want;
		uint32_t cp;
	} cases[] = {
		{ "A", 1, 1, 'A' },
		{ "\xce\x94", 2, 2, 0x394 },
		{ "\xe2\x96\x81", 3, 3, 0x2581 },
		{ "\xf0\x9f\x98\x80", 4, 4, 0x1f600 },
		{ "\xc2\x9b", 2, 2, 0x9b },	/* valid; the callers refuse C1 */
		{ "\xce\x94", 1, 0, 0 },	/* cut by len */
		{ "\xc0\xaf", 2, 0, 0 },	/* overlong '/' */
		{ "\xe0\x80\xaf", 3, 0, 0 },	/* overlong */
		{ "\xed\xa0\x80", 3, 0, 0 },	/* surrogate */
		{ "\xf4\x90\x80\x80", 4, 0, 0 },	/* past U+10FFFF */
		{ "\x80", 1, 0, 0 },		/* stray continuation */
		{ "\xe2(", 2, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t cp = 0;
		size_t n = strsafe_utf8_decode(cases[i].in, cases[i].len, &cp);

		ck_assert_msg(n == cases[i].want, "case %zu: length %zu", i, n);
		if (n)
			ck_assert_uint_eq(cp, cases[i].cp);
	}
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
	/* Overlong, surrogate and cut sequences: one '?' per byte, as the
	 * sanitizer escapes one "\xNN" per byte. */
	ck_assert_int_eq(text_width("\xc0\xaf"), 2);
	ck_assert_int_eq(text_width("\xed\xa0\x80"), 3);
	ck_assert_int_eq(text_width("a\xe2\x82"), 3);
	text_init(false);
	ck_assert_int_eq(text_width("ΔSKMEM"), 6);
	ck_assert_str_eq(text_glyph("▼", "v"), "v");
}
END_TEST

static void add_proc(struct snapshot *s, int32_t pid, uint8_t fd_status, uint32_t fds)
{
	struct proc_entry *p;

	s->procs.v = xreallocarray(s->procs.v, s->procs.n + 1, sizeof(*s->procs.v));
	p = &s->procs.v[s->procs.n++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->starttime = 1;
	p->state = 'S';
	snprintf(p->comm, sizeof(p->comm), "p%d", pid);
	p->fd_status = fd_status;
	p->fd_count = fds;
}

START_TEST(test_sort_change_shows_top)
{
	struct snapshot *s = snapshot_new();
	struct field_row *rows;
	struct field_ctx c;
	struct table t;
	size_t n;

	/* PID 1's fds are refused ("-"): sorting by FDS puts it last. */
	s->sections = SNAP_PROCS;
	add_proc(s, 1, PROC_FD_DENIED, 0);
	for (int32_t pid = 2; pid <= 40; pid++)
		add_proc(s, pid, PROC_FD_OK, (uint32_t)pid);
	table_init(&t, &fields_procs);
	table_set_sort(&t, fields_index(&fields_procs, "pid"), false);
	n = fields_rows(&fields_procs, NULL, s, false, false, &rows);
	fields_ctx(NULL, s, &c);
	table_set_rows(&t, rows, n, &c);
	ck_assert_int_eq(((const struct proc_entry *)fields_entity(table_selected(&t)))->pid, 1);
	table_set_sort(&t, fields_index(&fields_procs, "fds"), true);
	ck_assert_uint_eq(t.sel, 0);
	ck_assert_uint_eq(t.top, 0);
	ck_assert_int_eq(((const struct proc_entry *)fields_entity(table_selected(&t)))->pid, 40);
	table_sort_step(&t, 1);
	ck_assert_uint_eq(t.sel, 0);
	table_free(&t);
	snapshot_unref(s);
}
END_TEST

START_TEST(test_uid_help)
{
	/* proc.c stores the effective uid (the second "Uid:" value). */
	const struct field *f = fields_find(&fields_procs, "uid");

	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->help, "effective uid");
}
END_TEST

START_TEST(test_tcp_state_names)
{
	/* The TCP tab and the socket table speak of a state in the same words:
	 * TCP_CLOSE (7) is ss's "UNCONN" in both, never "CLOSE" in one. */
	ck_assert_str_eq(tabs_tcp_state_name(7), "UNCONN");
	for (int st = 1; st <= 11; st++)
		ck_assert_str_eq(tabs_tcp_state_name(st), sock_tcp_state_name((unsigned int)st));
	ck_assert_ptr_null(tabs_tcp_state_name(0));
	ck_assert_ptr_null(tabs_tcp_state_name(12));
}
END_TEST

START_TEST(test_tpacket_version)
{
	static const struct {
		uint8_t source, version;
		const char *want;
	} cases[] = {
		/* packet_diag's pdi_version counts from TPACKET_V1 = 0. */
		{ SOCK_SRC_DIAG, 0, "TPACKET_V1" },
		{ SOCK_SRC_DIAG, 1, "TPACKET_V2" },
		{ SOCK_SRC_DIAG, 2, "TPACKET_V3" },
		{ SOCK_SRC_DIAG, 7, "TPACKET version 7 (unknown)" },
		{ SOCK_SRC_PROCNET, 0, "TPACKET version unknown (/proc/net)" },
	};
	char buf[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sock_entry e = { .kind = SK_PACKET };

		e.source = cases[i].source;
		e.u.pk.version = cases[i].version;
		drill_tpacket_version(&e, buf, sizeof(buf));
		ck_assert_str_eq(buf, cases[i].want);
	}
}
END_TEST

/* A settings file's text, what settings_load makes of it. */
static const struct settings_case {
	const char *name;
	const char *text;	/* NULL: the path is a directory */
	size_t long_line;	/* > 0: a comment line this long comes first */
	int ret;
	const char *msg;	/* substring of the message; "" when none is expected */
	int tab;
	double interval;
	const char *sort;	/* the sockets table's sort column */
	bool desc;
} settings_cases[] = {
	{ "good", "# saved\ntab = processes\ninterval = 5\nsockets.sort = inode\n"
		  "sockets.reverse = 1\nsockets.columns = inode,skmem\n",
	  0, 0, "", TAB_PROCS, 5, "inode", true },
	{ "no trailing newline", "tab = tcp", 0, 0, "", TAB_TCP, 2, "skmem", true },
	{ "broken line", "tab = slab\nthis is not a setting\n", 0, -1,
	  "settings line 2: expected key = value", TAB_SLAB, 2, "skmem", true },
	{ "bad values", "interval = 0\ntab = nosuch\nsockets.reverse = 2\n", 0, -1,
	  "settings line 1: interval must be", TAB_MEMORY, 2, "skmem", true },
	{ "unknown keys", "colour = red\nsockets.nosuch = 1\nnosuch.sort = x\ntab = vmalloc\n", 0,
	  -1, "settings line 1: unknown key", TAB_VMALLOC, 2, "skmem", true },
	{ "unknown column", "sockets.sort = nosuch\n", 0, -1, "unknown column", TAB_MEMORY, 2,
	  "skmem", true },
	/* The tail of an enormous comment line is not a line of its own. */
	{ "enormous line", "tab = processes\n", 4000, -1, "settings line 1: line too long",
	  TAB_MEMORY, 2, "skmem", true },
	{ "a directory", NULL, 0, -1, "Is a directory", TAB_MEMORY, 2, "skmem", true },
};

START_TEST(test_settings_load)
{
	const struct settings_case *tc = &settings_cases[_i];
	char dir[] = "/tmp/leaktop-settings.XXXXXX", path[256], msg[512];
	struct app *a = xcalloc(1, sizeof(*a));
	const struct table *socks;
	FILE *f;
	int ret;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
	snprintf(path, sizeof(path), "%s/leaktop", dir);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/leaktop/leaktoprc", dir);
	if (tc->text) {
		f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		if (tc->long_line) {
			fputc('#', f);
			for (size_t i = 1; i < tc->long_line; i++)
				fputc(' ', f);
			/* What a reader that splits the line would apply. */
			fputs("tab = slab\n", f);
		}
		fputs(tc->text, f);
		fclose(f);
	} else {
		ck_assert_int_eq(mkdir(path, 0700), 0);
	}
	a->delay_s = 2;
	a->tab = TAB_MEMORY;
	for (int i = 0; i < TAB_COUNT; i++)
		if (tabs[i]->fields)
			table_init(&a->tables[i], tabs[i]->fields);
	if (tc->long_line) {
		/* The good line after the long one still applies. */
		ret = settings_load(a, msg, sizeof(msg));
		ck_assert_int_eq(a->tab, TAB_PROCS);
		a->tab = TAB_MEMORY;
		ck_assert_int_eq(ret, tc->ret);
		ck_assert_msg(strstr(msg, tc->msg), "%s: message '%s'", tc->name, msg);
	} else {
		ret = settings_load(a, msg, sizeof(msg));
		ck_assert_msg(ret == tc->ret, "%s: returned %d", tc->name, ret);
		ck_assert_msg(tc->msg[0] ? strstr(msg, tc->msg) != NULL : msg[0] == 0,
			      "%s: message '%s'", tc->name, msg);
		ck_assert_int_eq(a->tab, tc->tab);
	}
	ck_assert_double_eq(a->delay_s, tc->interval);
	socks = &a->tables[TAB_SOCKETS];
	ck_assert_str_eq(socks->ft->v[socks->sort].id, tc->sort);
	ck_assert_int_eq(socks->desc, tc->desc);
	for (int i = 0; i < TAB_COUNT; i++)
		table_free(&a->tables[i]);
	free(a);
	if (tc->text)
		unlink(path);
	else
		rmdir(path);
	snprintf(path, sizeof(path), "%s/leaktop", dir);
	rmdir(path);
	rmdir(dir);
}
END_TEST

/* A suspect list of one state pile of 100 sockets a minute. */
static void one_pile(struct suspect_list *l, struct suspect *su)
{
	memset(l, 0, sizeof(*l));
	memset(su, 0, sizeof(*su));
	su->kind = SUS_STATE_PILE;
	su->rank = 1;
	su->subject.kind = TQ_SGRP_COUNT;
	snprintf(su->subject_text, sizeof(su->subject_text), "pid 4242 srv\033[31m");
	su->rate_units_h = 6000.0 * 60;
	su->rate_bytes_h = 3.0 * 1024 * 1024 * 60;
	su->growth = 2.0 * 1024 * 1024;
	su->confidence = 0.915;
	snprintf(su->verdict, sizeof(su->verdict), "pid 4242 srv piles up CLOSE-WAIT sockets");
	l->v = su;
	l->n = 1;
	l->samples = 5;
	l->min_samples = 3;
}

START_TEST(test_header_suspect_line)
{
	struct suspect_list l;
	struct suspect su;
	char buf[256];

	text_init(false);
	one_pile(&l, &su);
	header_suspect_line(&l, buf, sizeof(buf));
	/* Count rate in the quantity's unit; the control byte escaped. */
	ck_assert_str_eq(buf, "#1 state pile: pid 4242 srv\\x1b[31m +6000 sockets/min - Enter on Suspects");
	l.n = 0;
	l.samples = 1;
	header_suspect_line(&l, buf, sizeof(buf));
	ck_assert_str_eq(buf, "Suspects: a verdict needs 3 samples (1 so far)");
	header_suspect_line(NULL, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "no longer kept"));
}
END_TEST

START_TEST(test_suspect_rows)
{
	const struct field_table *ft = &fields_suspects;
	struct field_ctx ctx = { 0 };
	struct suspect_list l;
	struct suspect su;
	struct field_row *rows;
	char buf[128];
	size_t n;

	one_pile(&l, &su);
	n = fields_suspect_rows(&l, &rows);
	ck_assert_uint_eq(n, 1);
	fields_format(fields_find(ft, "rank"), &ctx, &rows[0], buf, sizeof(buf));
	ck_assert_str_eq(buf, "1");
	fields_format(fields_find(ft, "kind"), &ctx, &rows[0], buf, sizeof(buf));
	ck_assert_str_eq(buf, "state pile");
	/* Per hour in, per minute out. */
	fields_format(fields_find(ft, "rate"), &ctx, &rows[0], buf, sizeof(buf));
	ck_assert_str_eq(buf, "+3.00M/m");
	fields_format(fields_find(ft, "urate"), &ctx, &rows[0], buf, sizeof(buf));
	ck_assert_str_eq(buf, "+6000/m");
	fields_format(fields_find(ft, "conf"), &ctx, &rows[0], buf, sizeof(buf));
	ck_assert_str_eq(buf, "92%");
	fields_format(fields_find(ft, "growth"), &ctx, &rows[0], buf, sizeof(buf));
	ck_assert_str_eq(buf, "+2.00M");
	free(rows);
	/* No list (the sample's list is gone): no rows, no crash. */
	ck_assert_uint_eq(fields_suspect_rows(NULL, &rows), 0);
	free(rows);
	/* Growth columns without an engine are missing, not zero. */
	fields_format(fields_find(&fields_slab, "growth"), &ctx,
		      &(struct field_row){ .b = &(struct slab_cache){ .name = "x" } }, buf,
		      sizeof(buf));
	ck_assert_str_eq(buf, "-");
}
END_TEST

/* A rebuild keeps the Sockets tab's rows while the view, the diff and the
 * cgroup filter are the same ones (a new sample under a frozen view, a key
 * that changes nothing they are built from); narrowing the tab to a cgroup
 * and widening it again each build them anew. */
START_TEST(test_rows_kept)
{
	static const uint32_t ino[3] = { 10, 20, 30 }, rmem1[3] = { 1, 2, 3 }, rmem2[3] = { 4, 5, 6 };
	struct app *a = xcalloc(1, sizeof(*a));
	struct snapshot *s1 = snap(ino, rmem1, 3), *s2 = snap(ino, rmem2, 3);
	struct table *t = &a->tables[TAB_SOCKETS];

	s1->seq = 1;
	s2->seq = 2;
	s2->t_mono_ns = 1000000000;
	history_init(&a->hist, 10);
	history_push(&a->hist, s1);
	history_push(&a->hist, s2);
	a->tracker = tracker_new(NULL);
	a->tab = TAB_SOCKETS;
	table_init(t, &fields_sockets);
	app_set_view(a, s2);
	app_rebuild(a);
	ck_assert_uint_eq(t->n, 3);
	ck_assert_ptr_nonnull(a->diff);
	t->rows[0].status = 0xee;	/* a rebuild would not keep this */
	app_rebuild(a);
	ck_assert_uint_eq(t->rows[0].status, 0xee);
	/* Narrowed to a cgroup none of the sockets is in. */
	a->cgfilter = (struct cgroup_filter){ .on = true, .tab = TAB_SOCKETS, .hier = CG_HIER_V2,
					       .id = 5 };
	app_rebuild(a);
	ck_assert_uint_eq(t->n, 0);
	a->cgfilter.on = false;
	app_rebuild(a);
	ck_assert_uint_eq(t->n, 3);
	ck_assert_uint_ne(t->rows[0].status, 0xee);
	table_free(t);
	diff_free(a->diff);
	snapshot_unref(a->view);
	tracker_free(a->tracker);
	history_free(&a->hist);
	snapshot_unref(s1);
	snapshot_unref(s2);
	free(a);
}
END_TEST

/* A cgroup table: / with /a (/a/x) and /b (/b/y); MEM of each given. */
static struct snapshot *cg_snap(const uint64_t cur[5])
{
	static const char *const paths[5] = { "/", "/a", "/a/x", "/b", "/b/y" };
	static const uint32_t parents[5] = { CG_NONE, 0, 1, 0, 3 };
	struct snapshot *s = snapshot_new();

	s->sections = SNAP_CGROUPS;
	for (int i = 0; i < 5; i++) {
		struct cgroup_entry *e = cgroup_table_add(&s->cgroups, CG_HIER_V2, paths[i],
							  100 + (uint64_t)i);

		e->parent = parents[i];
		e->depth = (uint16_t)(i == 0 ? 0 : i == 2 || i == 4 ? 2 : 1);
		e->v[CGV_CURRENT] = cur[i];
		e->present = 1u << CGV_CURRENT;
	}
	cgroup_table_finish(&s->cgroups);
	return s;
}

static const char *cg_row_path(const struct snapshot *s, const struct field_row *r)
{
	return cgroup_path(&s->cgroups, fields_entity(r));
}

START_TEST(test_cgroup_tree)
{
	/* /b is bigger than /a, /a/x bigger than everything but the root. */
	static const uint64_t cur[5] = { 1000, 100, 900, 500, 50 };
	static const char *const flat[5] = { "/", "/a/x", "/b", "/a", "/b/y" };
	static const char *const tree[5] = { "/", "/b", "/b/y", "/a", "/a/x" };
	static const char *const asc[5] = { "/", "/a", "/a/x", "/b", "/b/y" };
	struct snapshot *s = cg_snap(cur);
	struct table t;
	struct field_row *rows;
	struct field_ctx c;
	size_t n = fields_rows(&fields_cgroups, NULL, s, false, false, &rows);

	table_init(&t, &fields_cgroups);
	ck_assert_int_eq(t.sort, fields_index(&fields_cgroups, "dcurrent"));
	table_set_sort(&t, fields_index(&fields_cgroups, "current"), true);
	fields_ctx(NULL, s, &c);
	table_set_rows(&t, rows, n, &c);
	for (int i = 0; i < 5; i++)
		ck_assert_str_eq(cg_row_path(s, &t.rows[t.vis[i]]), flat[i]);
	/* Tree: every parent right before its subtree, siblings by the sort. */
	table_set_tree(&t, tab_cgroups_tree, tab_cgroups_indent, fields_index(&fields_cgroups, "name"));
	for (int i = 0; i < 5; i++)
		ck_assert_str_eq(cg_row_path(s, &t.rows[t.vis[i]]), tree[i]);
	ck_assert_int_eq(tab_cgroups_indent(&t.rows[t.vis[0]]), 0);
	ck_assert_int_eq(tab_cgroups_indent(&t.rows[t.vis[1]]), 2);
	ck_assert_int_eq(tab_cgroups_indent(&t.rows[t.vis[2]]), 4);
	/* Sorting in the tree sorts siblings: ascending puts /a first. */
	table_reverse(&t);
	for (int i = 0; i < 5; i++)
		ck_assert_str_eq(cg_row_path(s, &t.rows[t.vis[i]]), asc[i]);
	/* Flat again: the sort order alone. */
	table_set_tree(&t, NULL, NULL, 0);
	ck_assert_str_eq(cg_row_path(s, &t.rows[t.vis[0]]), "/b/y");
	table_free(&t);

	/* Without the root, its children are roots, in sort order; a row whose
	 * parent index is bad is a root too, not lost. */
	s->cgroups.v[2].parent = 77;
	n = fields_rows(&fields_cgroups, NULL, s, false, false, &rows);
	fields_sort(fields_find(&fields_cgroups, "current"), true, &c, rows, n);
	memmove(rows, rows + 1, (n - 1) * sizeof(*rows));	/* drop / (first) */
	tab_cgroups_tree(rows, n - 1, &c);
	ck_assert_str_eq(cg_row_path(s, &rows[0]), "/a/x");
	ck_assert_str_eq(cg_row_path(s, &rows[1]), "/b");
	ck_assert_str_eq(cg_row_path(s, &rows[2]), "/b/y");
	ck_assert_str_eq(cg_row_path(s, &rows[3]), "/a");
	free(rows);
	snapshot_unref(s);
}
END_TEST

START_TEST(test_sparkline_text)
{
	struct trend_point p[5] = {
		{ 1, 10, true }, { 2, 0, false }, { 3, 20, true }, { 4, 30, true }, { 5, 40, true },
	};
	char buf[64];

	text_init(false);
	/* The last 4: an absent point is a blank, the rest scaled min to max. */
	ck_assert_int_eq(sparkline_text(p, 5, 4, buf, sizeof(buf)), 4);
	ck_assert_str_eq(buf, " _=#");
	ck_assert_int_eq(sparkline_text(p, 5, 10, buf, sizeof(buf)), 5);
	ck_assert_str_eq(buf, "_ :+#");
	/* Too small a buffer: cut at a glyph, still terminated. */
	ck_assert_int_eq(sparkline_text(p, 5, 10, buf, 3), 2);
	ck_assert_str_eq(buf, "_ ");
	text_init(true);
	sparkline_text(p, 5, 2, buf, sizeof(buf));
	ck_assert_str_eq(buf, "▁█");
	text_init(false);
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
	tcase_add_test(tc, test_utf8_decode);
	tcase_add_test(tc, test_sort_change_shows_top);
	suite_add_tcase(s, tc);
	tc = tcase_create("drill");
	tcase_add_test(tc, test_tpacket_version);
	tcase_add_test(tc, test_uid_help);
	tcase_add_test(tc, test_tcp_state_names);
	suite_add_tcase(s, tc);
	tc = tcase_create("suspects");
	tcase_add_test(tc, test_header_suspect_line);
	tcase_add_test(tc, test_suspect_rows);
	tcase_add_test(tc, test_sparkline_text);
	tcase_add_test(tc, test_cgroup_tree);
	tcase_add_test(tc, test_rows_kept);
	suite_add_tcase(s, tc);
	tc = tcase_create("settings");
	tcase_add_loop_test(tc, test_settings_load, 0,
			    (int)(sizeof(settings_cases) / sizeof(settings_cases[0])));
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
