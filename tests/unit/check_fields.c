/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Column tables: every column is complete, sorting is total and puts
 * missing values last, deltas and rates come out of a real diff. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "fields.h"
#include "radix_sort.h"
#include "suites.h"
#include "xalloc.h"

/* Characters (not bytes) of a UTF-8 title. */
static int utf8_chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

START_TEST(test_tables_complete)
{
	for (size_t t = 0; fields_tables[t]; t++) {
		const struct field_table *ft = fields_tables[t];

		ck_assert_ptr_nonnull(fields_find(ft, ft->default_sort));
		ck_assert_ptr_eq(fields_table_find(ft->name), ft);
		for (size_t i = 0; i < ft->n; i++) {
			const struct field *f = &ft->v[i];

			ck_assert_msg(f->id && f->title && f->help && *f->help, "%s.%zu", ft->name,
				      i);
			ck_assert_msg(f->width > 0 && utf8_chars(f->title) <= f->width,
				      "%s.%s: title wider than the column", ft->name, f->id);
			ck_assert_msg(f->num || f->text, "%s.%s has no getter", ft->name, f->id);
			ck_assert_msg(f->unit != FU_TEXT || f->text, "%s.%s", ft->name, f->id);
			ck_assert_int_eq(fields_index(ft, f->id), (int)i);
		}
	}
	ck_assert_ptr_null(fields_find(&fields_sockets, "nosuch"));
	ck_assert_ptr_null(fields_table_find("nosuch"));
}
END_TEST

START_TEST(test_socket_ids)
{
	static const char *const ids[] = {
		"kind",	  "state",   "local",  "peer",	"inode",  "uid",    "recvq",
		"sendq",  "rmem",    "rcvbuf", "wmem",	"sndbuf", "fwd",    "wqueued",
		"optmem", "backlog", "drops",  "skmem", "owner",  "cgroup",
	};

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		ck_assert_msg(fields_find(&fields_sockets, ids[i]), "no socket column %s", ids[i]);
	ck_assert_str_eq(fields_sockets.default_sort, "skmem");
}
END_TEST

static struct sock_entry *add_tcp(struct sock_table *t, uint32_t inode, uint32_t rmem, int skmem_n)
{
	struct sock_entry *e = sock_table_add(t);

	e->inode = inode;
	e->cookie = inode * 10u;
	e->kind = SK_TCP;
	e->state = 1;
	e->skmem_n = (uint8_t)skmem_n;
	e->skmem[SKMEM_RMEM_ALLOC] = rmem;
	e->has_rqlen = 1;
	e->rqueue = rmem;
	return e;
}

/* Sockets 10 (4096 B), 20 (no skmem), 30 (65536 B), 40 (4096 B). */
static struct snapshot *sock_snapshot(uint64_t t_ns)
{
	struct snapshot *s = snapshot_new();

	s->t_mono_ns = t_ns;
	s->sections = SNAP_SOCKETS;
	add_tcp(&s->socks, 10, 4096, SKMEM_COUNT);
	add_tcp(&s->socks, 20, 0, 0);
	add_tcp(&s->socks, 30, 65536, SKMEM_COUNT);
	add_tcp(&s->socks, 40, 4096, SKMEM_COUNT);
	sock_table_finish(&s->socks);
	return s;
}

static void inodes_of(const struct field_row *r, size_t n, uint32_t *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = ((const struct sock_entry *)fields_entity(&r[i]))->inode;
}

START_TEST(test_sort_skmem)
{
	struct snapshot *s = sock_snapshot(0);
	const struct field *f = fields_find(&fields_sockets, "skmem");
	struct field_row *rows;
	struct field_ctx c;
	uint32_t got[4];
	size_t n = fields_rows(&fields_sockets, NULL, s, false, false, &rows);

	ck_assert_uint_eq(n, 4);
	fields_ctx(NULL, s, &c);
	fields_sort(f, true, &c, rows, n);
	inodes_of(rows, n, got);
	/* Largest first, ties in their earlier order, missing last. */
	ck_assert_uint_eq(got[0], 30);
	ck_assert_uint_eq(got[1], 10);
	ck_assert_uint_eq(got[2], 40);
	ck_assert_uint_eq(got[3], 20);
	fields_sort(f, false, &c, rows, n);
	inodes_of(rows, n, got);
	ck_assert_uint_eq(got[0], 10);
	ck_assert_uint_eq(got[1], 40);
	ck_assert_uint_eq(got[2], 30);
	ck_assert_uint_eq(got[3], 20);
	/* The comparator is antisymmetric and treats missing as smallest. */
	ck_assert_int_lt(fields_compare(f, &c, &rows[3], &rows[0]), 0);
	ck_assert_int_gt(fields_compare(f, &c, &rows[2], &rows[0]), 0);
	ck_assert_int_eq(fields_compare(f, &c, &rows[0], &rows[1]), 0);
	free(rows);
	snapshot_unref(s);
}
END_TEST

static int ref_cmp(const void *pa, const void *pb)
{
	const struct radix_item *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->i > b->i) - (a->i < b->i);
}

/* radix_sort against qsort with the index as tie-break (a stable order):
 * full-range keys, keys that share their high bytes (passes skipped), many
 * equal keys, signed values through radix_key_signed, and n of 0 and 1. */
START_TEST(test_radix_sort_stable)
{
	enum { N = 5000 };
	struct radix_item *v = xcalloc(N, sizeof(*v)), *tmp = xcalloc(N, sizeof(*tmp));
	struct radix_item *ref = xcalloc(N, sizeof(*ref));
	uint64_t x = 88172645463325252ull;

	for (int round = 0; round < 4; round++) {
		for (size_t i = 0; i < N; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			switch (round) {
			case 0: v[i].key = x; break;
			case 1: v[i].key = x % 70000; break;
			case 2: v[i].key = x % 5; break;
			default: v[i].key = radix_key_signed((int64_t)(x % 2001) - 1000); break;
			}
			v[i].i = i;
		}
		memcpy(ref, v, N * sizeof(*v));
		qsort(ref, N, sizeof(*ref), ref_cmp);
		radix_sort(v, tmp, N);
		for (size_t i = 0; i < N; i++) {
			ck_assert_uint_eq(v[i].key, ref[i].key);
			ck_assert_uint_eq(v[i].i, ref[i].i);
		}
	}
	ck_assert(radix_key_signed(-1) < radix_key_signed(0));
	ck_assert(radix_key_signed(INT64_MIN) < radix_key_signed(INT64_MAX));
	v[0].key = 9;
	radix_sort(v, tmp, 1);
	ck_assert_uint_eq(v[0].key, 9);
	radix_sort(v, tmp, 0);
	free(v);
	free(tmp);
	free(ref);
}
END_TEST

START_TEST(test_format_missing)
{
	struct snapshot *s = sock_snapshot(0);
	struct field_row *rows;
	struct field_ctx c;
	char buf[64];
	size_t n = fields_rows(&fields_sockets, NULL, s, false, false, &rows);
	int64_t v;

	ck_assert_uint_eq(n, 4);
	fields_ctx(NULL, s, &c);
	/* Inode 20 has no skmem: "-", not "0B". */
	fields_format(fields_find(&fields_sockets, "skmem"), &c, &rows[1], buf, sizeof(buf));
	ck_assert_str_eq(buf, "-");
	ck_assert(!fields_value(fields_find(&fields_sockets, "rmem"), &c, &rows[1], &v));
	/* No earlier sample: no delta. */
	fields_format(fields_find(&fields_sockets, "dskmem"), &c, &rows[0], buf, sizeof(buf));
	ck_assert_str_eq(buf, "-");
	/* Owners not scanned: missing. */
	fields_format(fields_find(&fields_sockets, "owner"), &c, &rows[0], buf, sizeof(buf));
	ck_assert_str_eq(buf, "-");
	fields_format(fields_find(&fields_sockets, "inode"), &c, &rows[2], buf, sizeof(buf));
	ck_assert_str_eq(buf, "30");
	ck_assert(fields_value(fields_find(&fields_sockets, "rmem"), &c, &rows[2], &v));
	ck_assert_int_eq(v, 65536);
	free(rows);
	snapshot_unref(s);
}
END_TEST

START_TEST(test_owner_escaped)
{
	struct snapshot *s = sock_snapshot(0);
	struct proc_entry *p;
	struct field_row *rows;
	struct field_ctx c;
	char buf[128];
	size_t n;

	s->socks.owners = xcalloc(1, sizeof(*s->socks.owners));
	s->socks.owners_n = s->socks.owners_cap = 1;
	s->socks.owners[0] = (struct sock_owner){ .pid = 77, .fd = 5, .starttime = 9 };
	s->socks.owners_scanned = true;
	s->socks.v[0].owner_first = 0;
	s->socks.v[0].owner_n = 1;
	s->procs.v = xcalloc(1, sizeof(*s->procs.v));
	s->procs.n = s->procs.cap = 1;
	p = &s->procs.v[0];
	p->pid = 77;
	p->starttime = 9;
	strcpy(p->comm, "\x1b]2;x\a");
	n = fields_rows(&fields_sockets, NULL, s, false, false, &rows);
	ck_assert_uint_eq(n, 4);
	fields_ctx(NULL, s, &c);
	fields_format(fields_find(&fields_sockets, "owner"), &c, &rows[0], buf, sizeof(buf));
	ck_assert_str_eq(buf, "77/\\x1b]2;x\\x07");
	/* Socket without owners in a scanned table: missing, not "0". */
	fields_format(fields_find(&fields_sockets, "owner"), &c, &rows[1], buf, sizeof(buf));
	ck_assert_str_eq(buf, "-");
	free(rows);
	snapshot_unref(s);
}
END_TEST

static void add_cache(struct slab_table *t, const char *name, uint64_t objs, uint64_t bytes)
{
	struct slab_cache *c;

	t->v = xreallocarray(t->v, t->n + 1, sizeof(*t->v));
	c = &t->v[t->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->active_objs = c->num_objs = objs;
	c->objsize = 64;
	c->bytes = bytes;
}

START_TEST(test_slab_deltas)
{
	struct snapshot *a = snapshot_new(), *b = snapshot_new();
	struct field_row *rows;
	struct field_ctx c;
	struct diff *d;
	int64_t v;
	size_t n;

	a->t_mono_ns = 1000000000ULL;
	b->t_mono_ns = 3000000000ULL;
	a->sections = b->sections = SNAP_SLAB;
	add_cache(&a->slab, "dentry", 100, 8192);
	add_cache(&a->slab, "gone_cache", 10, 4096);
	add_cache(&b->slab, "dentry", 164, 16384);
	add_cache(&b->slab, "kmalloc-64", 64, 4096);
	d = diff_compute(a, b);
	ck_assert_ptr_nonnull(d);
	fields_ctx(d, b, &c);
	n = fields_rows(&fields_slab, d, b, true, false, &rows);
	ck_assert_uint_eq(n, 3);
	fields_sort(fields_find(&fields_slab, "dbytes"), true, &c, rows, n);
	/* dentry +8192, kmalloc-64 new +4096, gone_cache -4096. */
	ck_assert_str_eq(((const struct slab_cache *)fields_entity(&rows[0]))->name, "dentry");
	ck_assert(fields_value(fields_find(&fields_slab, "dbytes"), &c, &rows[0], &v));
	ck_assert_int_eq(v, 8192);
	ck_assert(fields_value(fields_find(&fields_slab, "dobjs"), &c, &rows[0], &v));
	ck_assert_int_eq(v, 64);
	ck_assert(fields_value(fields_find(&fields_slab, "rate"), &c, &rows[0], &v));
	ck_assert_int_eq(v, 4096);
	ck_assert_uint_eq(rows[1].status, DIFF_NEW);
	ck_assert(fields_value(fields_find(&fields_slab, "dbytes"), &c, &rows[1], &v));
	ck_assert_int_eq(v, 4096);
	ck_assert_uint_eq(rows[2].status, DIFF_GONE);
	ck_assert_ptr_null(rows[2].b);
	ck_assert(fields_value(fields_find(&fields_slab, "dbytes"), &c, &rows[2], &v));
	ck_assert_int_eq(v, -4096);
	free(rows);
	/* Without GONE rows, and only what changed. */
	n = fields_rows(&fields_slab, d, b, false, true, &rows);
	ck_assert_uint_eq(n, 2);
	free(rows);
	diff_free(d);
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

/* Text columns give the strsafe form of what the system said, so both the
 * TUI and batch output can print it as is. */
START_TEST(test_text_columns_escaped)
{
	struct snapshot *s = snapshot_new();
	struct field_row slab_row, vm_row, proc_row;
	struct vmalloc_caller vc = { .caller = "vm\x1b[2J", .kind = "k\nd" };
	struct proc_entry p = { .pid = 1, .comm = "c\\x", .fd_status = PROC_FD_DENIED };
	static const struct {
		const struct field_table *t;
		const char *id;
		int row;		/* 0 slab, 1 vmalloc, 2 process */
		const char *want;
	} cases[] = {
		{ &fields_slab, "name", 0, "sl\\x1b\\x0a" },
		{ &fields_vmalloc, "caller", 1, "vm\\x1b[2J" },
		{ &fields_vmalloc, "kind", 1, "k\\x0ad" },
		{ &fields_procs, "comm", 2, "c\\\\x" },
		{ &fields_procs, "cmdline", 2, "[c\\\\x]" },
		/* fds unreadable: missing, not 0. */
		{ &fields_procs, "fds", 2, "-" },
		{ &fields_procs, "sockmem", 2, "-" },
	};
	const struct field_row *rows[] = { &slab_row, &vm_row, &proc_row };
	struct field_ctx c;
	char buf[128];
	int64_t v;

	s->sections = SNAP_SLAB | SNAP_VMALLOC | SNAP_PROCS;
	add_cache(&s->slab, "sl\x1b\n", 1, 4096);
	slab_row = (struct field_row){ .b = &s->slab.v[0] };
	vm_row = (struct field_row){ .b = &vc };
	proc_row = (struct field_row){ .b = &p };
	fields_ctx(NULL, s, &c);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct field *f = fields_find(cases[i].t, cases[i].id);

		ck_assert_ptr_nonnull(f);
		fields_format(f, &c, rows[cases[i].row], buf, sizeof(buf));
		ck_assert_msg(!strcmp(buf, cases[i].want), "%s.%s: got [%s], want [%s]",
			      cases[i].t->name, cases[i].id, buf, cases[i].want);
	}
	ck_assert(!fields_value(fields_find(&fields_procs, "fds"), &c, &proc_row, &v));
	snapshot_unref(s);
}
END_TEST

/* Rows are paired only when there is an earlier sample holding the
 * table's sections too. */
START_TEST(test_paired)
{
	struct snapshot *a = snapshot_new(), *b = snapshot_new();
	struct diff *d;

	a->sections = SNAP_SLAB;
	b->sections = SNAP_SLAB | SNAP_PROCS;
	d = diff_compute(NULL, b);
	ck_assert(!fields_paired(&fields_slab, d));
	diff_free(d);
	d = diff_compute(a, b);
	ck_assert(fields_paired(&fields_slab, d));
	ck_assert(!fields_paired(&fields_procs, d));
	ck_assert(!fields_paired(&fields_slab, NULL));
	diff_free(d);
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

START_TEST(test_keys_identity)
{
	struct snapshot *s = sock_snapshot(0);
	uint64_t k1[2], k2[2];
	struct slab_cache c1 = { .name = "dentry" }, c2 = { .name = "dentrz" };

	fields_sockets.key(&s->socks.v[0], k1);
	ck_assert_uint_eq(k1[0], s->socks.v[0].inode);
	ck_assert_uint_eq(k1[1], s->socks.v[0].cookie);
	fields_slab.key(&c1, k1);
	fields_slab.key(&c2, k2);
	ck_assert(k1[0] != k2[0]);
	snapshot_unref(s);
}
END_TEST

Suite *fields_suite(void)
{
	Suite *s = suite_create("fields");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_tables_complete);
	tcase_add_test(tc, test_socket_ids);
	tcase_add_test(tc, test_sort_skmem);
	tcase_add_test(tc, test_radix_sort_stable);
	tcase_add_test(tc, test_format_missing);
	tcase_add_test(tc, test_owner_escaped);
	tcase_add_test(tc, test_slab_deltas);
	tcase_add_test(tc, test_keys_identity);
	tcase_add_test(tc, test_text_columns_escaped);
	tcase_add_test(tc, test_paired);
	suite_add_tcase(s, tc);
	return s;
}
