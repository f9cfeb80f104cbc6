/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/meminfo parsing and the derived breakdown: real captures from
 * tests/fixtures (see README there), hand-built inputs whose unaccounted
 * figure is worked out in the comments, and corrupted inputs.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expect.h"
#include "memderive.h"
#include "meminfo.h"
#include "notes.h"
#include "suites.h"

#define KB 1024ull

static void parse_str(const char *s, struct meminfo *mi, struct notes *ns, int want)
{
	ck_assert_int_eq(meminfo_parse(s, strlen(s), "meminfo", mi, ns), want);
}

static uint64_t get(const struct meminfo *mi, const char *k)
{
	uint64_t v = 0;

	ck_assert_msg(meminfo_get(mi, k, &v), "%s missing", k);
	return v;
}

/* Captures and damaged files: keys kept with their values, keys dropped, a
 * few rows checked by position, and the notes. Lists end at a NULL name. */
static const struct parse_case {
	const char *file;
	size_t n;
	struct {
		const char *name;
		uint64_t value;
	} kept[6];
	const char *dropped[2];
	struct {
		size_t i;
		const char *name;
		bool is_bytes;
	} at[3];
	struct want_note notes[7];
} parse_cases[] = {
	{ "seed001/meminfo", 43,
	  { { "MemTotal", 1883844 * KB }, { "Active(anon)", 137008 * KB },
	    { "VmallocTotal", 34359738367ull * KB }, { "HugePages_Total", 0 },
	    { "Hugepagesize", 2048 * KB } },
	  { "KReclaimable" },
	  { { 0, "MemTotal", true }, { 42, "DirectMap2M", true }, { 36, "HugePages_Total", false } },
	  { { 0 } } },
	{ "corrupt/meminfo-lines", 5,
	  { { "MemFree", 970208 * KB }, { "HugePages_Total", 0 }, { "Hugepagesize", 2048 * KB },
	    { "Unknown_New_Key(x)", 77 * KB } },
	  { "Buffers", "AnonPages" },
	  { { 0 } },
	  { { 3, "duplicate key 'MemFree', first value kept" },
	    { 4, "value of 'Buffers' overflows in bytes" },
	    { 5, "value of 'Cached' overflows" },
	    { 6, "expected 'Key: value'" },
	    { 7, "no number after ':'" },
	    { 8, "unexpected text after the value of 'AnonPages'" },
	    { 9, "unexpected text after the value of 'Shmem'" } } },
	{ "kisamples/meminfo", 16, { { 0 } }, { NULL }, { { 0 } }, { { 0 } } },
	{ "corrupt/meminfo-truncated", 2, { { 0 } }, { "Buffers" }, { { 0 } },
	  { { 3, "last line has no newline (truncated), ignored" } } },
};

START_TEST(test_parse)
{
	const struct parse_case *c = &parse_cases[_i];
	struct buf b = { 0 };
	struct meminfo mi;
	struct notes ns = { 0 };

	fixture_load(c->file, &b);
	ck_assert_int_eq(meminfo_parse(b.data, b.len, "meminfo", &mi, &ns), 0);
	ck_assert_uint_eq(mi.n, c->n);
	for (size_t i = 0; i < ARRAY_SIZE(c->kept) && c->kept[i].name; i++)
		ck_assert_uint_eq(get(&mi, c->kept[i].name), c->kept[i].value);
	for (size_t i = 0; i < ARRAY_SIZE(c->dropped) && c->dropped[i]; i++)
		ck_assert_msg(!meminfo_get(&mi, c->dropped[i], &(uint64_t){ 0 }), "%s kept",
			      c->dropped[i]);
	for (size_t i = 0; i < ARRAY_SIZE(c->at) && c->at[i].name; i++) {
		ck_assert_str_eq(mi.v[c->at[i].i].name, c->at[i].name);
		ck_assert_int_eq(mi.v[c->at[i].i].is_bytes, c->at[i].is_bytes);
	}
	expect_notes(&ns, "meminfo", c->notes, ARRAY_SIZE(c->notes));
	meminfo_free(&mi);
	buf_free(&b);
	notes_free(&ns);
}
END_TEST

START_TEST(test_empty_and_garbage)
{
	struct meminfo mi;
	struct notes ns = { 0 };
	char junk[4096];
	uint32_t x = 12345;

	parse_str("", &mi, &ns, -1);
	ck_assert_uint_eq(mi.n, 0);
	ck_assert_uint_eq(ns.n, 1);
	ck_assert_uint_eq(ns.v[0].line, 0);
	ck_assert_str_eq(ns.v[0].msg, "no usable line");
	ck_assert_int_eq(meminfo_parse(NULL, 0, "meminfo", &mi, &ns), -1);
	notes_free(&ns);

	for (size_t i = 0; i < sizeof(junk); i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (char)(x >> 16);
	}
	ck_assert_int_eq(meminfo_parse(junk, sizeof(junk), "meminfo", &mi, &ns), -1);
	ck_assert_uint_eq(mi.n, 0);
	ck_assert_uint_ge(ns.n, 1);
	meminfo_free(&mi);
	notes_free(&ns);
}
END_TEST

START_TEST(test_huge_junk)
{
	size_t len = 10u << 20;
	char *junk = malloc(len);
	struct meminfo mi;
	struct notes ns = { 0 };

	/* 10 MB of "Key: value" lines with ever new keys, then junk: the key
	 * cap and the note cap both have to hold. */
	for (size_t i = 0, k = 0; i < len;) {
		int n = snprintf(junk + i, len - i, "K%zu: %zu kB\n", k, k);

		k++;
		if (n < 0 || (size_t)n >= len - i) {
			memset(junk + i, 'x', len - i);
			break;
		}
		i += (size_t)n;
	}
	ck_assert_int_eq(meminfo_parse(junk, len, "meminfo", &mi, &ns), 0);
	ck_assert_uint_eq(mi.n, 1024);
	ck_assert_str_eq(ns.v[0].msg, "more than 1024 keys, rest ignored");
	ck_assert_uint_eq(ns.v[0].line, 1025);
	meminfo_free(&mi);
	notes_free(&ns);
	free(junk);
}
END_TEST

static void derive_str(const char *s, enum vmap_stack_rule ev, struct mem_derived *d)
{
	struct meminfo mi;
	struct notes ns = { 0 };

	ck_assert_int_eq(meminfo_parse(s, strlen(s), "meminfo", &mi, &ns), 0);
	ck_assert_uint_eq(ns.n, 0);
	mem_derive(&mi, ev, d);
	meminfo_free(&mi);
	notes_free(&ns);
}

static int64_t class_sum(const struct mem_derived *d)
{
	int64_t s = 0;

	for (int i = 0; i < MEM_CLASS_COUNT; i++)
		s += d->cls[i];
	return s;
}

#define HAS(d, c) (((d)->cls_present >> (c)) & 1u)
#define ATTRIBUTED ((1u << MEM_PCP_FREE) | (1u << MEM_SOCK_PAGES) | (1u << MEM_VMSTAT_OTHER))

/*
 * A 6.18-style meminfo. By the formula of doc/memory-accounting.md (kB):
 *   used   = 1000000 - 400000                         = 600000
 *   user   = 150000 + 100000 + 1000 + 500              = 251500
 *   kernel = 90000 + (35000 - 30000) + 6000 + 100 + 14000 + 0 (vmap stacks) + 1200 = 116300
 *   other  = 20480 (Hugetlb wins over 5 x 2048) + 3000 + 0 + 0 = 23480
 *   unaccounted = 600000 - 251500 - 116300 - 23480     = 208720
 * Without stack evidence KernelStack is added: 208720 - 4000 = 204720.
 */
static const char modern[] =
	"MemTotal:        1000000 kB\n"
	"MemFree:          400000 kB\n"
	"MemAvailable:     700000 kB\n"
	"Buffers:            1000 kB\n"
	"Cached:           100000 kB\n"
	"SwapCached:          500 kB\n"
	"AnonPages:        150000 kB\n"
	"Shmem:             20000 kB\n"
	"KReclaimable:      35000 kB\n"
	"Slab:              90000 kB\n"
	"SReclaimable:      30000 kB\n"
	"SUnreclaim:        60000 kB\n"
	"KernelStack:        4000 kB\n"
	"PageTables:         6000 kB\n"
	"SecPageTables:       100 kB\n"
	"SwapTotal:        200000 kB\n"
	"SwapFree:         150000 kB\n"
	"Zswap:              3000 kB\n"
	"VmallocUsed:       14000 kB\n"
	"Percpu:             1200 kB\n"
	"HardwareCorrupted:     0 kB\n"
	"Balloon:               0 kB\n"
	"HugePages_Total:       5\n"
	"Hugepagesize:       2048 kB\n"
	"Hugetlb:           20480 kB\n";

/* Lists of classes end at END. */
#define END -1

/* A meminfo (fixture file or text) derived with one kind of stack evidence. */
static const struct derive_case {
	const char *file;
	const char *text;
	enum vmap_stack_rule evidence;
	enum vmap_stack_rule rule;	/* what mem_derive made of it */
	bool vmap_stacks;
	bool all_present;		/* every class mem_derive fills, every extra */
	int present[3], absent[4];	/* MEM_* */
	struct {
		int cls;
		int64_t kb;
	} cls[15], extra[6];		/* MEM_* and MEM_X_* values */
	int64_t total_kb;		/* the classes add up to this */
} derive_cases[] = {
	{ NULL, modern, VMAP_STACK_CALLERS, VMAP_STACK_CALLERS, true, true, { END }, { END },
	  { { MEM_ANON, 150000 }, { MEM_PAGE_CACHE, 81500 }, { MEM_SHMEM, 20000 },
	    { MEM_SLAB_RECL, 30000 }, { MEM_SLAB_UNRECL, 60000 }, { MEM_KRECL_OTHER, 5000 },
	    { MEM_VMALLOC, 10000 }, { MEM_KSTACK, 4000 }, { MEM_PAGETABLES, 6100 },
	    { MEM_PERCPU, 1200 }, { MEM_HUGETLB, 20480 }, { MEM_OTHER_KERNEL, 3000 },
	    { MEM_UNACCOUNTED, 208720 }, { MEM_FREE, 400000 }, { END } },
	  { { MEM_X_TOTAL, 1000000 }, { MEM_X_USED, 600000 }, { MEM_X_AVAILABLE, 700000 },
	    { MEM_X_SLAB, 90000 }, { MEM_X_SWAP_USED, 50000 }, { END } },
	  1000000 },
	{ NULL, modern, VMAP_STACK_UNKNOWN, VMAP_STACK_UNKNOWN, false, false, { END }, { END },
	  { { MEM_VMALLOC, 14000 }, { MEM_UNACCOUNTED, 204720 }, { END } }, { { END } },
	  1000000 },
	{ NULL, modern, VMAP_STACK_NO_CALLERS, VMAP_STACK_NO_CALLERS, false, false, { END },
	  { END }, { { MEM_UNACCOUNTED, 204720 }, { END } }, { { END } }, 1000000 },
	/*
	 * seed001 (an older CentOS kernel), kB:
	 *   used = 1883844 - 970208 = 913636
	 *   anon 136824, page cache 405336 - 356 + 51864 + 0 = 456844, shmem 356,
	 *   slab 52156 + 15704, vmalloc 223536, stacks 1824, page tables 3736,
	 *   hugetlb 0 x 2048, other 0 (HardwareCorrupted); no KReclaimable, no
	 *   Percpu. unaccounted = 913636 - 890980 = 22656
	 */
	{ "seed001/meminfo", NULL, VMAP_STACK_UNKNOWN, VMAP_STACK_UNKNOWN, false, false,
	  { MEM_HUGETLB, MEM_UNACCOUNTED, END }, { MEM_KRECL_OTHER, MEM_PERCPU, END },
	  { { MEM_HUGETLB, 0 }, { MEM_PAGE_CACHE, 456844 }, { MEM_VMALLOC, 223536 },
	    { MEM_UNACCOUNTED, 22656 }, { END } },
	  { { MEM_X_SWAP_USED, 0 }, { END } }, 1883844 },
	/*
	 * kernel-interfaces.md §1.1 sample (16 fields): no Hugetlb, no HugePages,
	 * no Zswap lines, so those classes are absent, not zero. used 957924;
	 * anon 32460 + cache 24828 - 8856 + 600 + shmem 8856 + slab 669572
	 * + krecl 0 + vmalloc 14300 - 1512 + stacks 1512 + page tables 1984
	 * + percpu 1000 = 744744; unaccounted 213180, the 75 004 TCP row of the
	 * §1.4 validation table.
	 */
	{ "kisamples/meminfo", NULL, VMAP_STACK_CALLERS, VMAP_STACK_CALLERS, true, false,
	  { MEM_UNACCOUNTED, END }, { MEM_HUGETLB, MEM_OTHER_KERNEL, END },
	  { { MEM_UNACCOUNTED, 213180 }, { END } }, { { MEM_X_USED, 957924 }, { END } },
	  24684092 },
	{ NULL, "MemTotal: 1000 kB\nMemFree: 100 kB\nKernelStack: 64 kB\nVmallocUsed: 32 kB\n",
	  VMAP_STACK_CALLERS, VMAP_STACK_NONE_SMALL, false, false, { END },
	  { MEM_ANON, MEM_UNACCOUNTED, END },
	  { { MEM_VMALLOC, 32 }, { MEM_KSTACK, 64 }, { MEM_UNACCOUNTED, 900 - 96 }, { END } },
	  { { END } }, 1000 },
};

START_TEST(test_derive)
{
	const struct derive_case *c = &derive_cases[_i];
	struct buf b = { 0 };
	struct meminfo mi;
	struct notes ns = { 0 };
	struct mem_derived d;

	case_input(c->file, c->text, &b);
	ck_assert_int_eq(meminfo_parse(b.data, b.len, "meminfo", &mi, &ns), 0);
	ck_assert_uint_eq(ns.n, 0);
	mem_derive(&mi, c->evidence, &d);
	ck_assert(d.valid);
	ck_assert_int_eq(d.vmap_rule, c->rule);
	ck_assert_int_eq(d.vmap_stacks, c->vmap_stacks);
	if (c->all_present) {
		/* Everything but the parts only mem_attribute fills. */
		ck_assert_uint_eq(d.cls_present, ((1u << MEM_CLASS_COUNT) - 1) & ~ATTRIBUTED);
		ck_assert_uint_eq(d.extra_present, (1u << MEM_X_COUNT) - 1);
	}
	for (size_t i = 0; c->present[i] != END; i++)
		ck_assert_msg(HAS(&d, c->present[i]), "%s absent", mem_class_name(c->present[i]));
	for (size_t i = 0; c->absent[i] != END; i++)
		ck_assert_msg(!HAS(&d, c->absent[i]), "%s present", mem_class_name(c->absent[i]));
	for (size_t i = 0; c->cls[i].cls != END; i++)
		ck_assert_msg(d.cls[c->cls[i].cls] == c->cls[i].kb * (int64_t)KB, "%s: %lld",
			      mem_class_name(c->cls[i].cls), (long long)d.cls[c->cls[i].cls]);
	for (size_t i = 0; c->extra[i].cls != END; i++)
		ck_assert_msg(d.extra[c->extra[i].cls] == c->extra[i].kb * (int64_t)KB, "%s: %lld",
			      mem_extra_name(c->extra[i].cls), (long long)d.extra[c->extra[i].cls]);
	ck_assert_int_eq(class_sum(&d), c->total_kb * (int64_t)KB);
	meminfo_free(&mi);
	buf_free(&b);
	notes_free(&ns);
}
END_TEST

START_TEST(test_derive_missing)
{
	struct mem_derived d;
	struct meminfo mi;
	struct notes ns = { 0 };
	uint64_t vmi = 3587 * 4096;
	static const char old[] = "MemTotal: 100000 kB\nMemFree: 10 kB\nVmallocUsed: 0 kB\n";

	derive_str("MemFree: 100 kB\nAnonPages: 5 kB\n", VMAP_STACK_UNKNOWN, &d);
	ck_assert(!d.valid);
	ck_assert_uint_eq(d.cls_present, 1u << MEM_ANON);
	ck_assert(!(d.extra_present & (1u << MEM_X_TOTAL)));

	/* Without Shmem the page cache keeps it and no shmem class is shown. */
	derive_str("MemTotal: 1000 kB\nMemFree: 100 kB\nCached: 50 kB\nBuffers: 1 kB\n"
		   "SwapCached: 0 kB\n", VMAP_STACK_UNKNOWN, &d);
	ck_assert(HAS(&d, MEM_PAGE_CACHE));
	ck_assert(!HAS(&d, MEM_SHMEM));
	ck_assert_int_eq(d.cls[MEM_PAGE_CACHE], 51 * KB);

	/* 4.4 to 5.2: VmallocUsed reads 0; vmallocinfo's sum replaces it. */
	ck_assert_int_eq(meminfo_parse(old, strlen(old), "meminfo", &mi, &ns), 0);
	mem_derive_vm(&mi, VMAP_STACK_UNKNOWN, &vmi, &d);
	ck_assert(d.vmalloc_from_vmallocinfo);
	ck_assert_int_eq(d.cls[MEM_VMALLOC], 14348 * KB);
	ck_assert_int_eq(class_sum(&d), 100000 * KB);
	meminfo_free(&mi);
	notes_free(&ns);
}
END_TEST

/*
 * Attribution on the modern input (vmap stacks): unaccounted 208720 kB,
 * minus pcp 100000, sockets 50000, vmstat 8000 = 50720 kB left; the
 * meminfo-only figure stays in the unaccounted_meminfo extra.
 */
START_TEST(test_attribute_all)
{
	struct mem_derived d;
	struct mem_attrib a = {
		.has_pcp = true, .pcp_bytes = 100000 * KB,
		.has_sock = true, .sock_bytes = 50000 * KB,
		.has_vmstat = true, .vmstat_bytes = 8000 * KB,
	};

	derive_str(modern, VMAP_STACK_CALLERS, &d);
	mem_attribute(&d, &a);
	ck_assert_uint_eq(d.cls_present, (1u << MEM_CLASS_COUNT) - 1);
	ck_assert_int_eq(d.cls[MEM_PCP_FREE], 100000 * KB);
	ck_assert_int_eq(d.cls[MEM_SOCK_PAGES], 50000 * KB);
	ck_assert_int_eq(d.cls[MEM_VMSTAT_OTHER], 8000 * KB);
	ck_assert_int_eq(d.cls[MEM_UNACCOUNTED], 50720 * KB);
	ck_assert_int_eq(d.extra[MEM_X_UNACC_MEMINFO], 208720 * KB);
	ck_assert_int_eq(class_sum(&d), 1000000 * KB);
	/* A second call must not carve the same memory twice. */
	mem_attribute(&d, &a);
	ck_assert_int_eq(d.cls[MEM_UNACCOUNTED], 50720 * KB);
	ck_assert_int_eq(class_sum(&d), 1000000 * KB);
}
END_TEST

/* Absent inputs leave their class absent and unaccounted as it was; a
 * present input of 0 is a present class of 0. More than unaccounted holds
 * drives it negative, and the sum still holds. */
START_TEST(test_attribute_absent)
{
	struct mem_derived d;
	struct mem_attrib a = { .has_sock = true, .sock_bytes = 0 };

	derive_str(modern, VMAP_STACK_CALLERS, &d);
	mem_attribute(&d, &a);
	ck_assert(HAS(&d, MEM_SOCK_PAGES));
	ck_assert(!HAS(&d, MEM_PCP_FREE));
	ck_assert(!HAS(&d, MEM_VMSTAT_OTHER));
	ck_assert_int_eq(d.cls[MEM_UNACCOUNTED], 208720 * KB);
	mem_attribute(&d, NULL);
	ck_assert_int_eq(d.cls[MEM_UNACCOUNTED], 208720 * KB);

	derive_str(modern, VMAP_STACK_CALLERS, &d);
	a = (struct mem_attrib){ .has_pcp = true, .pcp_bytes = 300000 * KB };
	mem_attribute(&d, &a);
	ck_assert_int_eq(d.cls[MEM_UNACCOUNTED], (208720 - 300000) * (int64_t)KB);
	ck_assert_int_eq(class_sum(&d), 1000000 * KB);
}
END_TEST

/* Without a core meminfo line unaccounted is absent, and nothing may be
 * carved from a figure that hides a missing term. */
START_TEST(test_attribute_no_unaccounted)
{
	static const char partial[] = "MemTotal: 1000 kB\nMemFree: 400 kB\nAnonPages: 100 kB\n";
	struct mem_derived d;
	struct mem_attrib a = { .has_pcp = true, .pcp_bytes = 50 * KB };

	derive_str(partial, VMAP_STACK_UNKNOWN, &d);
	mem_attribute(&d, &a);
	ck_assert(!HAS(&d, MEM_UNACCOUNTED));
	ck_assert(!HAS(&d, MEM_PCP_FREE));
	ck_assert(!(d.extra_present & (1u << MEM_X_UNACC_MEMINFO)));
	ck_assert_int_eq(class_sum(&d), 1000 * KB);
}
END_TEST

START_TEST(test_names)
{
	static const char *const want[MEM_CLASS_COUNT] = {
		"anon", "page_cache", "shmem", "slab_reclaimable", "slab_unreclaimable",
		"kreclaimable_other", "vmalloc", "kernel_stack", "page_tables", "percpu",
		"hugetlb", "other_kernel", "pcp_free", "sock_pages", "vmstat_other",
		"unaccounted", "free",
	};
	static const char *const xwant[MEM_X_COUNT] = {
		"total", "available", "used", "slab", "swap_used", "unaccounted_meminfo",
	};

	for (int i = 0; i < MEM_CLASS_COUNT; i++) {
		ck_assert_str_eq(mem_class_name(i), want[i]);
		ck_assert_ptr_nonnull(mem_class_title(i));
	}
	for (int i = 0; i < MEM_X_COUNT; i++)
		ck_assert_str_eq(mem_extra_name(i), xwant[i]);
	ck_assert_str_eq(mem_class_name(MEM_CLASS_COUNT), "?");
	ck_assert(mem_class_estimated(MEM_SOCK_PAGES));
	ck_assert(mem_class_estimated(MEM_UNACCOUNTED));
	ck_assert(!mem_class_estimated(MEM_PCP_FREE));
	ck_assert(!mem_class_estimated(MEM_CLASS_COUNT));
	ck_assert_ptr_nonnull(strstr(vmap_stack_rule_text(VMAP_STACK_NONE_SMALL), "VmallocUsed"));
}
END_TEST

Suite *meminfo_suite(void)
{
	Suite *s = suite_create("meminfo");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse, 0, ARRAY_SIZE(parse_cases));
	tcase_add_test(tc, test_empty_and_garbage);
	tcase_add_test(tc, test_huge_junk);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	tc = tcase_create("derive");
	tcase_add_loop_test(tc, test_derive, 0, ARRAY_SIZE(derive_cases));
	tcase_add_test(tc, test_derive_missing);
	tcase_add_test(tc, test_attribute_all);
	tcase_add_test(tc, test_attribute_absent);
	tcase_add_test(tc, test_attribute_no_unaccounted);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}
