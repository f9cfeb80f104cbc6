/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/slabinfo parsing and merged-cache resolution: the captures of
 * tests/fixtures/seed001 and kisamples, corrupted copies, and a
 * /sys/kernel/slab tree of symlinks built in a temporary directory.
 */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "expect.h"
#include "notes.h"
#include "root.h"
#include "slabinfo.h"
#include "slabmerge.h"
#include "suites.h"

static int parse_fixture(const char *rel, struct slab_table *t, struct notes *ns)
{
	struct buf b = { 0 };
	int ret;

	fixture_load(rel, &b);
	ret = slabinfo_parse(b.data, b.len, "slabinfo", 4096, t, ns);
	buf_free(&b);
	return ret;
}

/* Captures and a damaged copy: cache names in order, some caches in full,
 * the total, and the notes. Lists end at a NULL name. */
static const struct capture_case {
	const char *file;
	size_t n;
	const char *order[10];
	struct {
		const char *name;
		uint64_t active_objs, num_objs, objsize, objperslab, pagesperslab, num_slabs;
		uint64_t bytes, active_bytes;
	} caches[2];
	const char *absent;
	uint64_t total_bytes;
	struct want_note notes[6];
} capture_cases[] = {
	{ "seed001/slabinfo-centos", 10,
	  { "PING", "RAW", "UDP", "bridge_fdb_cache", "flow_cache", "ip_dst_cache",
	    "ip_fib_alias", "ip_fib_trie", "request_sock_TCP", "tw_sock_TCP" },
	  { { "UDP", 120, ANY, 1088, 30, 8, 4, 4 * 8 * 4096, 120 * 1088 } },
	  "kmalloc-256",
	  88 * 4096,	/* pages: 4+0+4+4+32+0+4+32+4+4 */
	  /* The capture was pasted with an elision marker on line 13. */
	  { { 13, "expected 5 numbers after the name" } } },
	{ "kisamples/slabinfo", 2, { NULL },
	  { { "TCP", 75054, 100048, ANY, ANY, ANY, ANY, 252182528, ANY },
	    { "signal_cache", ANY, ANY, ANY, ANY, ANY, ANY, 29425664, 25144ull * 1152 } },
	  NULL, 252182528ull + 29425664, { { 0 } } },
	/* the first TCP line wins over the duplicate on line 9 */
	{ "corrupt/slabinfo-lines", 3, { "TCP", "dentry", "signal_cache" },
	  { { "TCP", 75054, ANY, ANY, ANY, ANY, ANY, ANY, ANY },
	    { "dentry", ANY, ANY, ANY, ANY, ANY, 1922, 1922 * 4096, ANY } },
	  NULL, ANY,
	  { { 4, "expected ': tunables'" },
	    { 5, "expected ': slabdata'" },
	    { 6, "number too large after the name" },
	    { 7, "expected 5 numbers after the name" },
	    { 8, "expected 5 numbers after the name" },
	    { 9, "duplicate cache 'TCP', first line kept" } } },
};

START_TEST(test_capture)
{
	const struct capture_case *cc = &capture_cases[_i];
	struct slab_table t;
	struct notes ns = { 0 };

	ck_assert_int_eq(parse_fixture(cc->file, &t, &ns), 0);
	ck_assert_uint_eq(t.n, cc->n);
	for (size_t i = 0; i < ARRAY_SIZE(cc->order) && cc->order[i]; i++)
		ck_assert_str_eq(t.v[i].name, cc->order[i]);
	for (size_t i = 0; i < ARRAY_SIZE(cc->caches) && cc->caches[i].name; i++) {
		const struct slab_cache *c = slab_table_find(&t, cc->caches[i].name);

		ck_assert_ptr_nonnull(c);
		expect_u64("active_objs", c->active_objs, cc->caches[i].active_objs);
		expect_u64("num_objs", c->num_objs, cc->caches[i].num_objs);
		expect_u64("objsize", c->objsize, cc->caches[i].objsize);
		expect_u64("objperslab", c->objperslab, cc->caches[i].objperslab);
		expect_u64("pagesperslab", c->pagesperslab, cc->caches[i].pagesperslab);
		expect_u64("num_slabs", c->num_slabs, cc->caches[i].num_slabs);
		expect_u64("bytes", c->bytes, cc->caches[i].bytes);
		expect_u64("active_bytes", c->active_bytes, cc->caches[i].active_bytes);
		ck_assert_ptr_null(c->merged_with);
	}
	if (cc->absent)
		ck_assert_ptr_null(slab_table_find(&t, cc->absent));
	expect_u64("total_bytes", t.total_bytes, cc->total_bytes);
	expect_notes(&ns, "slabinfo", cc->notes, ARRAY_SIZE(cc->notes));
	slab_table_free(&t);
	notes_free(&ns);
}
END_TEST

/* The seed's leak: three caches that each hold about 1.05 M more objects on
 * the sick box (cpe capture) than on the healthy one (centos capture), in
 * step with each other, one TSPacket per skb. */
START_TEST(test_cpe_growth)
{
	static const struct {
		const char *name;
		uint64_t d_active, d_num, bytes;
	} want[] = {
		{ "Acpi-ParseExt", 1058636, 1058680, 18905ull * 1 * 4096 },
		{ "kmalloc-2048", 1058194, 1058288, 66143ull * 8 * 4096 },
		{ "kmalloc-256", 1058462, 1058544, 66159ull * 1 * 4096 },
	};
	struct slab_table a, b;
	struct notes ns = { 0 };
	uint64_t lo = UINT64_MAX, hi = 0;

	ck_assert_int_eq(parse_fixture("seed001/slabinfo-centos", &a, &ns), 0);
	ck_assert_int_eq(parse_fixture("seed001/slabinfo-cpe", &b, &ns), 0);
	ck_assert_uint_eq(b.n, 3);
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const struct slab_cache *ca = slab_table_find(&a, want[i].name);
		const struct slab_cache *cb = slab_table_find(&b, want[i].name);
		uint64_t da, dn;

		ck_assert_ptr_nonnull(cb);
		da = cb->active_objs - (ca ? ca->active_objs : 0);
		dn = cb->num_objs - (ca ? ca->num_objs : 0);
		ck_assert_uint_eq(da, want[i].d_active);
		ck_assert_uint_eq(dn, want[i].d_num);
		ck_assert_uint_eq(cb->bytes, want[i].bytes);
		lo = da < lo ? da : lo;
		hi = da > hi ? da : hi;
	}
	ck_assert_uint_eq(hi - lo, 442);
	ck_assert_uint_eq(b.total_bytes, (18905ull + 66143 * 8 + 66159) * 4096);
	slab_table_free(&a);
	slab_table_free(&b);
	notes_free(&ns);
}
END_TEST

/* Headers the parser refuses, and a header with no cache line. */
static const struct version_case {
	const char *file;	/* NULL: text */
	const char *text;
	struct want_note note;
} version_cases[] = {
	{ "corrupt/slabinfo-v1.1", NULL,
	  { 1, "slabinfo version 1.1 not supported (expected 2.x)" } },
	{ "corrupt/slabinfo-v3.0", NULL,
	  { 1, "slabinfo version 3.0 not supported (expected 2.x)" } },
	{ NULL, "slabinfo - version: 2.0\n", { 0, "no cache line could be parsed" } },
	{ NULL, "slabinfo - version: x\n", { 1, "unreadable slabinfo version" } },
};

START_TEST(test_versions)
{
	const struct version_case *c = &version_cases[_i];
	struct slab_table t;
	struct notes ns = { 0 };

	if (c->file)
		ck_assert_int_eq(parse_fixture(c->file, &t, &ns), -1);
	else
		ck_assert_int_eq(slabinfo_parse(c->text, strlen(c->text), "slabinfo", 4096, &t,
						&ns), -1);
	ck_assert_uint_eq(t.n, 0);
	expect_notes(&ns, "slabinfo", &c->note, 1);
	notes_free(&ns);
}
END_TEST

START_TEST(test_empty_truncated_garbage)
{
	struct buf b = { 0 };
	struct slab_table t;
	struct notes ns = { 0 };
	char junk[8192];
	uint32_t x = 99;
	size_t cut;

	ck_assert_int_eq(slabinfo_parse("", 0, "slabinfo", 4096, &t, &ns), -1);
	expect_notes(&ns, "slabinfo", &(struct want_note){ 0, "empty" }, 1);
	notes_free(&ns);

	/* cut the cpe capture in the middle of its last line */
	fixture_load("seed001/slabinfo-cpe", &b);
	cut = b.len - 40;
	ck_assert_int_eq(slabinfo_parse(b.data, cut, "slabinfo", 4096, &t, &ns), 0);
	ck_assert_uint_eq(t.n, 2);
	ck_assert_ptr_null(slab_table_find(&t, "kmalloc-256"));
	expect_notes(&ns, "slabinfo",
		     &(struct want_note){ 5, "last line has no newline (truncated), ignored" }, 1);
	slab_table_free(&t);
	notes_free(&ns);
	buf_free(&b);

	for (size_t i = 0; i < sizeof(junk); i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (char)(x >> 16);
	}
	ck_assert_int_eq(slabinfo_parse(junk, sizeof(junk), "slabinfo", 4096, &t, &ns), -1);
	expect_notes(&ns, "slabinfo", &(struct want_note){ 1, "not a slabinfo header" }, 1);
	notes_free(&ns);

	/* a valid header followed by garbage: every line is noted, none kept */
	memcpy(junk, "slabinfo - version: 2.1\n", 24);
	ck_assert_int_eq(slabinfo_parse(junk, sizeof(junk), "slabinfo", 4096, &t, &ns), -1);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_uint_ge(ns.n, 2);
	notes_free(&ns);
}
END_TEST

START_TEST(test_huge)
{
	size_t len = 10u << 20, i;
	char *big = malloc(len);
	struct slab_table t;
	struct notes ns = { 0 };
	int n;

	/* 10 MB: a header, then the same cache line over and over, then junk. */
	i = (size_t)sprintf(big, "slabinfo - version: 2.1\n");
	while ((n = snprintf(big + i, len - i,
			     "c%zu 1 1 8 1 1 : tunables 0 0 0 : slabdata 1 1 0\n", i)) > 0 &&
	       (size_t)n < len - i - 1024)
		i += (size_t)n;
	memset(big + i, '\xff', len - i);
	ck_assert_int_eq(slabinfo_parse(big, len, "slabinfo", 4096, &t, &ns), 0);
	ck_assert_uint_eq(t.n, 100000);
	ck_assert_str_eq(ns.v[0].msg, "more than 100000 caches, rest ignored");
	ck_assert_uint_eq(ns.v[0].line, 100002);
	ck_assert_uint_eq(t.total_bytes, 100000ull * 4096);
	slab_table_free(&t);
	notes_free(&ns);
	free(big);
}
END_TEST

static char tree[64];

/* A fresh directory from mkdtemp's six-letter template. */
static void make_temp_dir(void)
{
	size_t n = (size_t)snprintf(tree, sizeof(tree), "/tmp/leaktop-slab-");

	memset(tree + n, 'X', 6);
	tree[n + 6] = '\0';
	ck_assert_ptr_nonnull(mkdtemp(tree));
}

static void mk(const char *rel, const char *target)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", tree, rel);
	if (target)
		ck_assert_int_eq(symlink(target, path), 0);
	else
		ck_assert_int_eq(mkdir(path, 0755), 0);
}

/* The /sys/kernel/slab of kernel-interfaces.md §2.3 and of the seed's box;
 * built at run time because release tarballs do not keep symlinks. */
static void build_tree(void)
{
	make_temp_dir();
	mk("sys", NULL);
	mk("sys/kernel", NULL);
	mk("sys/kernel/slab", NULL);
	mk("sys/kernel/slab/:A-0001152", NULL);
	mk("sys/kernel/slab/TCP", NULL);
	mk("sys/kernel/slab/:t-0000072", NULL);
	mk("sys/kernel/slab/UNIX", ":A-0001152");
	mk("sys/kernel/slab/UNIX-STREAM", ":A-0001152");
	mk("sys/kernel/slab/signal_cache", ":A-0001152");
	mk("sys/kernel/slab/Acpi-Operand", ":t-0000072");
	mk("sys/kernel/slab/Acpi-ParseExt", ":t-0000072");
	mk("sys/kernel/slab/eventpoll_pwq", ":t-0000072");
	mk("sys/kernel/slab/TSPacket", "../slab/:t-0000072");
	mk("sys/kernel/slab/kmalloc-2048", ":t-0002048");
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static void rm_tree(void)
{
	ck_assert_int_eq(nftw(tree, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

START_TEST(test_merge)
{
	struct root r;
	struct slab_aliases al;
	struct slab_table a, b;
	struct notes ns = { 0 };
	const struct slab_cache *c;

	build_tree();
	ck_assert_int_eq(root_open(&r, tree), 0);
	ck_assert_int_eq(slabmerge_read(&r, &al, &ns), 0);
	ck_assert_uint_eq(ns.n, 0);
	ck_assert_uint_eq(al.n, 8);
	ck_assert_str_eq(al.v[0].name, "Acpi-Operand");
	ck_assert_str_eq(al.v[3].name, "UNIX");
	ck_assert_str_eq(al.v[3].target, ":A-0001152");

	ck_assert_int_eq(parse_fixture("kisamples/slabinfo", &a, &ns), 0);
	slabmerge_apply(&a, &al);
	c = slab_table_find(&a, "signal_cache");
	ck_assert_str_eq(c->merged_with, "UNIX,UNIX-STREAM");
	ck_assert_str_eq(c->merged_id, ":A-0001152");
	c = slab_table_find(&a, "TCP");
	ck_assert_ptr_null(c->merged_with);
	ck_assert_ptr_null(c->merged_id);
	/* applying twice replaces, it does not leak or append */
	slabmerge_apply(&a, &al);
	ck_assert_str_eq(slab_table_find(&a, "signal_cache")->merged_with, "UNIX,UNIX-STREAM");

	ck_assert_int_eq(parse_fixture("seed001/slabinfo-cpe", &b, &ns), 0);
	slabmerge_apply(&b, &al);
	c = slab_table_find(&b, "Acpi-ParseExt");
	ck_assert_str_eq(c->merged_with, "Acpi-Operand,TSPacket,eventpoll_pwq");
	ck_assert_str_eq(c->merged_id, ":t-0000072");
	/* a lone member: merged id known, nobody else in the group */
	c = slab_table_find(&b, "kmalloc-2048");
	ck_assert_ptr_null(c->merged_with);
	ck_assert_str_eq(c->merged_id, ":t-0002048");

	slab_table_free(&a);
	slab_table_free(&b);
	slab_aliases_free(&al);
	root_close(&r);
	notes_free(&ns);
	rm_tree();
}
END_TEST

START_TEST(test_merge_missing)
{
	struct root r;
	struct slab_aliases al;
	struct notes ns = { 0 };

	make_temp_dir();
	mk("sys", NULL);
	ck_assert_int_eq(root_open(&r, tree), 0);
	ck_assert_int_eq(slabmerge_read(&r, &al, &ns), -ENOENT);
	ck_assert(notes_is_missing(&ns, "slab_merge"));
	ck_assert_str_eq(ns.v[0].msg, "not present on this kernel");
	ck_assert_uint_eq(al.n, 0);
	root_close(&r);
	notes_free(&ns);
	rm_tree();
}
END_TEST

Suite *slab_suite(void)
{
	Suite *s = suite_create("slab");
	TCase *tc = tcase_create("slabinfo");

	tcase_add_loop_test(tc, test_capture, 0, ARRAY_SIZE(capture_cases));
	tcase_add_test(tc, test_cpe_growth);
	tcase_add_loop_test(tc, test_versions, 0, ARRAY_SIZE(version_cases));
	tcase_add_test(tc, test_empty_truncated_garbage);
	tcase_add_test(tc, test_huge);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("merge");
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_merge_missing);
	suite_add_tcase(s, tc);
	return s;
}
