/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/vmstat and the zoneinfo per-CPU count: a capture from the reference
 * VM, hand-made bad input; the estimates built on them (memattrib); and the
 * sampler on a tree with and without those files.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "expect.h"
#include "memattrib.h"
#include "notes.h"
#include "root.h"
#include "sampler.h"
#include "snapshot.h"
#include "suites.h"
#include "vmstat.h"

#define KB 1024ull

static void load(const char *rel, struct buf *b)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, rel);
	ck_assert_msg(buf_readat(AT_FDCWD, path, b, 0) == 0, "cannot read %s", path);
}

static int parse_str(const char *s, struct vmstat *vs, struct notes *ns)
{
	memset(vs, 0, sizeof(*vs));
	return vmstat_parse(s, strlen(s), "vmstat", vs, ns);
}

static void assert_note(const struct notes *ns, size_t i, unsigned int line, const char *msg)
{
	ck_assert_uint_lt(i, ns->n);
	ck_assert_str_eq(ns->v[i].source, "vmstat");
	ck_assert_uint_eq(ns->v[i].line, line);
	ck_assert_str_eq(ns->v[i].msg, msg);
}

START_TEST(test_capture)
{
	struct buf b = { 0 };
	struct vmstat vs = { 0 };
	struct notes ns = { 0 };
	uint64_t v;

	load("vmstat-6.18/vmstat", &b);
	ck_assert_int_eq(vmstat_parse(b.data, b.len, "vmstat", &vs, &ns), 0);
	ck_assert_uint_eq(ns.n, 0);
	ck_assert_uint_eq(vs.n, 192);
	ck_assert_str_eq(vs.v[0].name, "nr_free_pages");
	ck_assert(vmstat_get(&vs, "nr_memmap_boot_pages", &v));
	ck_assert_uint_eq(v, 98304);
	ck_assert(vmstat_get(&vs, "nr_memmap_pages", &v));
	ck_assert_uint_eq(v, 0);
	ck_assert(!vmstat_get(&vs, "nr_no_such_counter", &v));
	ck_assert(!vs.has_pcp);
	buf_free(&b);

	load("vmstat-6.18/zoneinfo", &b);
	ck_assert_int_eq(vmstat_parse_zoneinfo_pcp(b.data, b.len, "zoneinfo", &vs, &ns), 0);
	ck_assert_uint_eq(ns.n, 0);
	ck_assert(vs.has_pcp);
	ck_assert_uint_eq(vs.pcp_pages, 33906);
	buf_free(&b);
	vmstat_free(&vs);
	notes_free(&ns);
}
END_TEST

START_TEST(test_garbled)
{
	static const char text[] =
		"nr_free_pages 10\n"
		"nr_memmap_pages\n"			/* 2: no value */
		"nr_zspages 12x\n"			/* 3: junk after the number */
		"nr_bad-name 4\n"			/* 4: not a counter name */
		"nr_free_pages 99\n"			/* 5: duplicate, first kept */
		"   \n"					/* blank: skipped silently */
		"nr_huge 18446744073709551616\n"	/* 7: 2^64 */
		"nr_max 18446744073709551615\n"		/* 2^64 - 1 is a value */
		"nr_a:5\n"				/* 9: meminfo shape */
		"nr_ok 7\r\n";
	struct vmstat vs;
	struct notes ns = { 0 };
	uint64_t v;

	ck_assert_int_eq(parse_str(text, &vs, &ns), 0);
	ck_assert_uint_eq(vs.n, 3);
	ck_assert(vmstat_get(&vs, "nr_free_pages", &v));
	ck_assert_uint_eq(v, 10);
	ck_assert(vmstat_get(&vs, "nr_max", &v));
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert(vmstat_get(&vs, "nr_ok", &v));
	ck_assert_uint_eq(v, 7);
	ck_assert(!vmstat_get(&vs, "nr_memmap_pages", &v));
	ck_assert(!vmstat_get(&vs, "nr_huge", &v));
	ck_assert_uint_eq(ns.n, 6);
	assert_note(&ns, 0, 2, "expected 'name value'");
	assert_note(&ns, 1, 3, "expected 'name value'");
	assert_note(&ns, 2, 4, "expected 'name value'");
	assert_note(&ns, 3, 5, "duplicate name 'nr_free_pages', first value kept");
	assert_note(&ns, 4, 7, "value of 'nr_huge' overflows");
	assert_note(&ns, 5, 9, "expected 'name value'");
	vmstat_free(&vs);
	notes_free(&ns);
}
END_TEST

/* A cut last line is not a value: "nr_zspages 12" might have been 1234. */
START_TEST(test_truncated)
{
	struct vmstat vs;
	struct notes ns = { 0 };
	uint64_t v;

	ck_assert_int_eq(parse_str("nr_free_pages 10\nnr_zspages 12", &vs, &ns), 0);
	ck_assert_uint_eq(vs.n, 1);
	ck_assert(!vmstat_get(&vs, "nr_zspages", &v));
	ck_assert_uint_eq(ns.n, 1);
	ck_assert_uint_eq(ns.v[0].line, 2);
	vmstat_free(&vs);
	notes_free(&ns);
}
END_TEST

START_TEST(test_empty_and_garbage)
{
	static const char bin[] = "\x01\x02\xff\xfe garbage\n\n:::\n";
	struct vmstat vs;
	struct notes ns = { 0 };

	ck_assert_int_eq(parse_str("", &vs, &ns), -1);
	ck_assert_uint_eq(vs.n, 0);
	ck_assert_uint_eq(ns.n, 1);
	ck_assert_str_eq(ns.v[0].msg, "no usable line");
	memset(&vs, 0, sizeof(vs));
	ck_assert_int_eq(vmstat_parse(NULL, 100, "vmstat", &vs, &ns), -1);
	ck_assert_int_eq(parse_str(bin, &vs, &ns), -1);
	ck_assert_uint_eq(vs.n, 0);
	vmstat_free(&vs);
	notes_free(&ns);
}
END_TEST

/* An enormous file: the name table is capped, with one note. */
START_TEST(test_huge)
{
	size_t n = 5000, len = 0;
	char *text = malloc(n * 32);
	struct vmstat vs;
	struct notes ns = { 0 };

	ck_assert_ptr_nonnull(text);
	for (size_t i = 0; i < n; i++)
		len += (size_t)sprintf(text + len, "nr_c%zu %zu\n", i, i);
	memset(&vs, 0, sizeof(vs));
	ck_assert_int_eq(vmstat_parse(text, len, "vmstat", &vs, &ns), 0);
	ck_assert_uint_eq(vs.n, 2048);
	ck_assert_uint_eq(ns.n, 1);
	ck_assert_ptr_nonnull(strstr(ns.v[0].msg, "rest ignored"));
	free(text);
	vmstat_free(&vs);
	notes_free(&ns);
}
END_TEST

/*
 * Duplicates in a big table: each one found (first value kept, one note on
 * its line) whether it comes just after the name table grew, late among
 * thousands of names, or after the cap, where the cap's single note is all.
 */
START_TEST(test_many_duplicates)
{
	enum { NAMES = 2000, LATE = 200, EXTRA = 100, CAP = 2048 };
	struct {
		unsigned int line;
		char name[32];
	} dup[NAMES];
	size_t ndup = 0, len = 0, cap_line = 0;
	unsigned int line = 0;
	char *text = malloc((NAMES * 2 + EXTRA + 1) * 48);
	struct vmstat vs;
	struct notes ns = { 0 };
	char name[32], msg[96];
	uint64_t v;

	ck_assert_ptr_nonnull(text);
#define LINE(...) (line++, len += (size_t)sprintf(text + len, __VA_ARGS__))
	for (size_t i = 0; i < NAMES; i++) {
		LINE("nr_c%zu %zu\n", i, i);
		if ((i & (i + 1)) == 0) {	/* the table just reached a power of two */
			snprintf(dup[ndup].name, sizeof(dup[ndup].name), "nr_c%zu", i / 2);
			LINE("%s %zu\n", dup[ndup].name, i + 1000000);
			dup[ndup++].line = line;
		}
	}
	for (size_t i = 0; i < LATE; i++) {
		snprintf(dup[ndup].name, sizeof(dup[ndup].name), "nr_c%zu", i * 7919 % NAMES);
		LINE("%s 1\n", dup[ndup].name);
		dup[ndup++].line = line;
	}
	for (size_t i = 0; i < EXTRA; i++) {
		LINE("nr_x%zu %zu\n", i, i);
		if (NAMES + i == CAP)
			cap_line = line;
	}
	LINE("nr_c0 5\n");		/* past the cap: no duplicate note */
#undef LINE
	memset(&vs, 0, sizeof(vs));
	ck_assert_int_eq(vmstat_parse(text, len, "vmstat", &vs, &ns), 0);
	ck_assert_uint_eq(vs.n, CAP);
	for (size_t i = 0; i < NAMES; i++) {
		snprintf(name, sizeof(name), "nr_c%zu", i);
		ck_assert_msg(vmstat_get(&vs, name, &v) && v == i, "%s", name);
	}
	ck_assert(vmstat_get(&vs, "nr_x47", &v) && v == 47);
	ck_assert(!vmstat_get(&vs, "nr_x48", &v));
	ck_assert_uint_eq(ns.n, ndup + 1);
	for (size_t i = 0; i < ndup; i++) {
		snprintf(msg, sizeof(msg), "duplicate name '%s', first value kept", dup[i].name);
		assert_note(&ns, i, dup[i].line, msg);
	}
	snprintf(msg, sizeof(msg), "more than %d names, rest ignored", CAP);
	assert_note(&ns, ndup, (unsigned int)cap_line, msg);
	free(text);
	vmstat_free(&vs);
	notes_free(&ns);
}
END_TEST

START_TEST(test_zoneinfo_bad)
{
	static const char bad[] = "  pagesets\n    cpu: 0\n      count: 12\n    cpu: 1\n      count: x\n";
	static const char none[] = "Node 0, zone DMA\n  pages free 3\n";
	static const char cut[] = "  pagesets\n    cpu: 0\n      count: 12\n      count: 4";
	struct vmstat vs = { 0 };
	struct notes ns = { 0 };

	/* A partial sum would look like data: unknown instead. */
	ck_assert_int_eq(vmstat_parse_zoneinfo_pcp(bad, strlen(bad), "zoneinfo", &vs, &ns), -1);
	ck_assert(!vs.has_pcp);
	ck_assert_uint_eq(ns.n, 1);
	ck_assert_uint_eq(ns.v[0].line, 5);
	ck_assert_int_eq(vmstat_parse_zoneinfo_pcp(none, strlen(none), "zoneinfo", &vs, &ns), -1);
	ck_assert(!vs.has_pcp);
	ck_assert_int_eq(vmstat_parse_zoneinfo_pcp(cut, strlen(cut), "zoneinfo", &vs, &ns), -1);
	ck_assert(!vs.has_pcp);
	ck_assert_int_eq(vmstat_parse_zoneinfo_pcp(NULL, 0, "zoneinfo", &vs, &ns), -1);
	notes_free(&ns);
}
END_TEST

/* nr_memmap_pages counts whole; nr_zspages only beyond meminfo's Zswap. */
START_TEST(test_vmstat_other)
{
	struct vmstat vs;
	struct meminfo mi;
	struct notes ns = { 0 };
	uint64_t out = 1;
	const char *zs = "Zswap: 8 kB\n";

	ck_assert_int_eq(parse_str("nr_memmap_pages 3\nnr_zspages 5\nnr_iommu_pages 100\n", &vs,
				   &ns), 0);
	ck_assert(memattrib_vmstat_other(&vs, NULL, 4096, &out));
	ck_assert_uint_eq(out, 8 * 4096);
	ck_assert_int_eq(meminfo_parse(zs, strlen(zs), "meminfo", &mi, &ns), 0);
	ck_assert(memattrib_vmstat_other(&vs, &mi, 4096, &out));
	ck_assert_uint_eq(out, (3 + 5) * 4096 - 8 * KB);
	meminfo_free(&mi);
	zs = "Zswap: 400 kB\n";
	ck_assert_int_eq(meminfo_parse(zs, strlen(zs), "meminfo", &mi, &ns), 0);
	ck_assert(memattrib_vmstat_other(&vs, &mi, 4096, &out));
	ck_assert_uint_eq(out, 3 * 4096);
	meminfo_free(&mi);
	vmstat_free(&vs);
	/* A kernel that prints neither counter: absent, not 0. */
	ck_assert_int_eq(parse_str("nr_free_pages 3\nnr_iommu_pages 100\n", &vs, &ns), 0);
	ck_assert(!memattrib_vmstat_other(&vs, NULL, 4096, &out));
	vmstat_free(&vs);
	ck_assert(!memattrib_vmstat_other(&vs, NULL, 4096, &out));
	ck_assert_uint_eq(ns.n, 0);
	notes_free(&ns);
}
END_TEST

static struct sock_entry *add_sock(struct sock_table *t, enum sock_kind k, uint32_t r, uint32_t w,
				   uint32_t f, uint32_t q)
{
	struct sock_entry *e = sock_table_add(t);

	e->kind = (uint8_t)k;
	e->skmem_n = SKMEM_COUNT;
	e->skmem[SKMEM_RMEM_ALLOC] = r;
	e->skmem[SKMEM_WMEM_ALLOC] = w;
	e->skmem[SKMEM_FWD_ALLOC] = f;
	e->skmem[SKMEM_WMEM_QUEUED] = q;
	return e;
}

/*
 * TCP: rmem 10000 + wmem_queued 20000 (fwd_alloc 4096 and wmem_alloc not
 * counted); unix: wmem_alloc 50000; a socket without skmem adds nothing.
 * Σ 80000, less the skb caches 256 x 10 + 576 x 5 = 5440 -> 74560.
 */
START_TEST(test_sock_pages)
{
	static const char slab[] =
		"slabinfo - version: 2.1\n"
		"# name <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables "
		"<limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> "
		"<sharedavail>\n"
		"skbuff_head_cache 10 16 256 16 1 : tunables 0 0 0 : slabdata 1 1 0\n"
		"skbuff_small_head 5 14 576 14 2 : tunables 0 0 0 : slabdata 1 1 0\n"
		"kmalloc-1k 100 100 1024 16 4 : tunables 0 0 0 : slabdata 7 7 0\n";
	struct sock_table t = { 0 };
	struct slab_table st;
	struct notes ns = { 0 };
	struct sock_entry *e;
	uint64_t out = 1;

	ck_assert_int_eq(slabinfo_parse(slab, strlen(slab), "slabinfo", 4096, &st, &ns), 0);
	ck_assert_uint_eq(ns.n, 0);
	ck_assert(!memattrib_sock_pages(&t, &st, &out));
	e = add_sock(&t, SK_UNIX, 0, 0, 0, 0);
	e->skmem_n = 0;
	ck_assert(!memattrib_sock_pages(&t, &st, &out));
	add_sock(&t, SK_TCP, 10000, 7777, 4096, 20000);
	add_sock(&t, SK_UNIX, 0, 50000, 0, 0);
	ck_assert(memattrib_sock_pages(&t, &st, &out));
	ck_assert_uint_eq(out, 80000 - 5440);
	ck_assert(!memattrib_sock_pages(&t, NULL, &out));
	/* Less queued than the skb caches hold (skbs in flight): 0, not a wrap. */
	sock_table_free(&t);
	memset(&t, 0, sizeof(t));
	add_sock(&t, SK_UDP, 1000, 0, 0, 0);
	ck_assert(memattrib_sock_pages(&t, &st, &out));
	ck_assert_uint_eq(out, 0);
	sock_table_free(&t);
	slab_table_free(&st);
	notes_free(&ns);
}
END_TEST

static int64_t class_sum(const struct mem_derived *d)
{
	int64_t s = 0;

	for (int i = 0; i < MEM_CLASS_COUNT; i++)
		s += d->cls[i];
	return s;
}

/*
 * The sampler on a tree: without vmstat and zoneinfo both are noted missing
 * and unaccounted is the meminfo figure (used 600 - anon 100 - page cache
 * 50 - slab 30 - page tables 4 - stacks 2 - vmalloc 8 = 406 kB); with them,
 * pcp (10 pages) and memmap (2 pages) are carved out of it. Sockets and slab
 * are not sampled: sock_pages stays absent.
 */
START_TEST(test_sampler_tree)
{
	static const char meminfo[] =
		"MemTotal: 1000 kB\nMemFree: 400 kB\nBuffers: 0 kB\nCached: 50 kB\n"
		"SwapCached: 0 kB\nAnonPages: 100 kB\nSReclaimable: 10 kB\nSUnreclaim: 20 kB\n"
		"KernelStack: 2 kB\nPageTables: 4 kB\nVmallocUsed: 8 kB\n";
	char tmpl[] = "/tmp/leaktop-vmstat-XXXXXX", proc[64];
	struct root r;
	struct sampler *s;
	struct snapshot *snap;
	int64_t ps;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	snprintf(proc, sizeof(proc), "%s/proc", tmpl);
	ck_assert_int_eq(mkdir(proc, 0755), 0);
	write_text_in(proc, "meminfo", meminfo);
	ck_assert_int_eq(root_open(&r, tmpl), 0);
	s = sampler_new(&r);
	ps = root_page_size(&r);

	snap = sampler_tick(s, SNAP_MEM);
	ck_assert(snap->mem.valid);
	ck_assert(!snapshot_has(snap, SRC_VMSTAT));
	ck_assert(!snapshot_has(snap, SRC_ZONEINFO));
	ck_assert(snap->mem.cls_present & (1u << MEM_UNACCOUNTED));
	ck_assert(!(snap->mem.cls_present & (1u << MEM_PCP_FREE)));
	ck_assert(!(snap->mem.cls_present & (1u << MEM_VMSTAT_OTHER)));
	ck_assert(!(snap->mem.cls_present & (1u << MEM_SOCK_PAGES)));
	ck_assert_int_eq(snap->mem.cls[MEM_UNACCOUNTED], 406 * KB);
	snapshot_unref(snap);

	write_text_in(proc, "vmstat", "nr_free_pages 1\nnr_memmap_pages 2\n");
	write_text_in(proc, "zoneinfo", "  pagesets\n    cpu: 0\n      count: 4\n    cpu: 1\n"
				     "      count: 6\n");
	snap = sampler_tick(s, SNAP_MEM);
	ck_assert(snapshot_has(snap, SRC_VMSTAT));
	ck_assert(snapshot_has(snap, SRC_ZONEINFO));
	ck_assert_int_eq(snap->mem.cls[MEM_PCP_FREE], 10 * ps);
	ck_assert_int_eq(snap->mem.cls[MEM_VMSTAT_OTHER], 2 * ps);
	ck_assert(!(snap->mem.cls_present & (1u << MEM_SOCK_PAGES)));
	ck_assert_int_eq(snap->mem.cls[MEM_UNACCOUNTED], 406 * (int64_t)KB - 12 * ps);
	ck_assert_int_eq(snap->mem.extra[MEM_X_UNACC_MEMINFO], 406 * KB);
	ck_assert_int_eq(class_sum(&snap->mem), 1000 * KB);
	snapshot_unref(snap);

	sampler_free(s);
	root_close(&r);
	for (const char *const *n = (const char *const[]){ "meminfo", "vmstat", "zoneinfo", NULL };
	     *n; n++) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/%s", proc, *n);
		unlink(path);
	}
	rmdir(proc);
	rmdir(tmpl);
}
END_TEST

Suite *vmstat_suite(void)
{
	Suite *s = suite_create("vmstat");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_capture);
	tcase_add_test(tc, test_garbled);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_empty_and_garbage);
	tcase_add_test(tc, test_huge);
	tcase_add_test(tc, test_many_duplicates);
	tcase_add_test(tc, test_zoneinfo_bad);
	suite_add_tcase(s, tc);
	tc = tcase_create("attribute");
	tcase_add_test(tc, test_vmstat_other);
	tcase_add_test(tc, test_sock_pages);
	tcase_add_test(tc, test_sampler_tree);
	suite_add_tcase(s, tc);
	return s;
}
