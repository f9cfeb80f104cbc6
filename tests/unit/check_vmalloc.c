/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/vmallocinfo aggregation: the seed001 capture, the lines quoted in
 * kernel-interfaces.md §3, every line shape of that section, and bad input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expect.h"
#include "notes.h"
#include "suites.h"
#include "vmalloc.h"

static int parse_fixture(const char *rel, struct vmalloc_table *t, struct notes *ns)
{
	struct buf b = { 0 };
	int ret;

	fixture_load(rel, &b);
	ret = vmallocinfo_parse(b.data, b.len, "vmallocinfo", 4096, t, ns);
	buf_free(&b);
	return ret;
}

static const struct vmalloc_caller *find(const struct vmalloc_table *t, const char *caller,
					 const char *kind)
{
	const struct vmalloc_caller *c = vmalloc_table_find(t, caller, kind);

	ck_assert_msg(c != NULL, "%s/%s missing", caller, kind);
	return c;
}

/* Captures: callers by position and by name, and the table's totals. Lists
 * end at a NULL caller. */
static const struct capture_case {
	const char *file;
	size_t n;
	uint64_t total_pages, ioremap_vsize_bytes, unpurged_areas;
	bool has_stack_areas;
	struct {
		size_t i;
		const char *caller, *kind;
		uint64_t vsize_bytes;
	} at[2];
	struct {
		const char *caller, *kind;
		uint64_t areas, pages, bytes, vsize_bytes;
	} callers[6];
	struct {
		const char *caller, *kind;
	} absent[1];
} capture_cases[] = {
	{ "seed001/vmallocinfo", 5, 917, 36864, ANY, false,
	  { { 0, "acpi_os_map_memory", NULL, ANY }, { 4, "swap_cgroup_swapon", NULL, ANY } },
	  { { "alloc_large_system_hash", "vmalloc", 7, 884, 884 * 4096, 3649536 },
	    { "acpi_os_map_memory", "ioremap", 2, 0, 0, 20480 },
	    { "raw_init", "vmalloc", ANY, 32, ANY, ANY } },
	  { { "raw_init", "ioremap" } } },
	{ "kisamples/vmallocinfo", 4, 581, 8192, ANY, true, { { 0 } },
	  { { "kernel_clone", "vmalloc", ANY, 4, ANY, ANY },
	    { "htab_map_alloc", "vmalloc", ANY, 577, ANY, ANY },
	    { "pcpu_get_vm_areas", "vmalloc", 1, 0, ANY, 2097152 } },
	  { { NULL } } },
	{ "kisamples/vmallocinfo-shapes", 6, 22, ANY, 2, true,
	  { { 0, "(none)", "ioremap", ANY }, { 1, "(none)", "vm_map_ram", 4194304 } },
	  { { "kernel_clone", "vmalloc", 2, 8, ANY, 40960 },
	    { "nf_ct_alloc_hashtable [nf_conntrack]", "vmalloc", 2, ANY, 6 * 4096, ANY },
	    { "irq_init_percpu_irqstack", "vmap", ANY, 0, ANY, ANY },
	    { "bpf_prog_pack_alloc", "vmalloc", ANY, 8, ANY, ANY } },
	  { { NULL } } },
};

START_TEST(test_capture)
{
	const struct capture_case *cc = &capture_cases[_i];
	struct vmalloc_table t;
	struct notes ns = { 0 };

	ck_assert_int_eq(parse_fixture(cc->file, &t, &ns), 0);
	ck_assert_uint_eq(ns.n, 0);
	ck_assert_uint_eq(t.n, cc->n);
	for (size_t i = 0; i < ARRAY_SIZE(cc->at) && cc->at[i].caller; i++) {
		const struct vmalloc_caller *c = &t.v[cc->at[i].i];

		ck_assert_str_eq(c->caller, cc->at[i].caller);
		if (cc->at[i].kind)
			ck_assert_str_eq(c->kind, cc->at[i].kind);
		expect_u64("vsize_bytes", c->vsize_bytes, cc->at[i].vsize_bytes);
	}
	for (size_t i = 0; i < ARRAY_SIZE(cc->callers) && cc->callers[i].caller; i++) {
		const struct vmalloc_caller *c = find(&t, cc->callers[i].caller,
						      cc->callers[i].kind);

		expect_u64("areas", c->areas, cc->callers[i].areas);
		expect_u64("pages", c->pages, cc->callers[i].pages);
		expect_u64("bytes", c->bytes, cc->callers[i].bytes);
		expect_u64("vsize_bytes", c->vsize_bytes, cc->callers[i].vsize_bytes);
	}
	for (size_t i = 0; i < ARRAY_SIZE(cc->absent) && cc->absent[i].caller; i++)
		ck_assert_ptr_null(vmalloc_table_find(&t, cc->absent[i].caller,
						      cc->absent[i].kind));
	ck_assert_uint_eq(t.total_bytes, cc->total_pages * 4096);
	expect_u64("ioremap_vsize_bytes", t.ioremap_vsize_bytes, cc->ioremap_vsize_bytes);
	expect_u64("unpurged_areas", t.unpurged_areas, cc->unpurged_areas);
	ck_assert_int_eq(t.has_stack_areas, cc->has_stack_areas);
	vmalloc_table_free(&t);
	notes_free(&ns);
}
END_TEST

START_TEST(test_bad_lines)
{
	static const struct want_note bad_line_notes[] = {
		{ 2, "expected 'start-end' range" },
		{ 3, "expected the size after the range" },
		{ 4, "bad pages= value" },
		{ 5, "bad pages= value" },
		{ 6, "unknown word 'bar' ignored, area counted" },
		{ 9, "last line has no newline (truncated), ignored" },
	};
	static const char in[] =
		"0x1-0x2 20480 kernel_clone+0xb8/0x400 pages=4 vmalloc N0=4\n"
		"garbage\n"
		"0x1-0x2 notanumber foo\n"
		"0x1-0x2 8192 foo+0x1/0x2 pages=abc vmalloc\n"
		"0x1-0x2 8192 foo+0x1/0x2 pages=18446744073709551616 vmalloc\n"
		"0x1-0x2 8192 foo bar vmalloc\n"
		"0x1-0x2 8192 big+0x1/0x2 pages=18446744073709551615 vmalloc\n"
		"0x1-0x2 8192 _RNvMs0_NtNtCs9Xz1_6kernel5alloc6kvec_abcdefghijklmnopqrstuvwxyz_"
		"abcdefghijklmnopqrstuvwxyz_0123456789_0123456789+0x1/0x2 pages=2 vmalloc\n"
		"0x1-0x2 8192 cut+0x1/0x2 pages=1";
	struct vmalloc_table t;
	struct notes ns = { 0 };

	ck_assert_int_eq(vmallocinfo_parse(in, strlen(in), "vmallocinfo", 4096, &t, &ns), 0);
	ck_assert_uint_eq(t.n, 4);
	ck_assert_uint_eq(find(&t, "big", "vmalloc")->bytes, UINT64_MAX);
	/* the 120-character symbol is cut to 95 and its area still counted */
	ck_assert_uint_eq(strlen(t.v[0].caller), 95);
	ck_assert_uint_eq(t.v[0].pages, 2);
	ck_assert_uint_eq(t.total_bytes, UINT64_MAX);
	expect_notes(&ns, "vmallocinfo", bad_line_notes, ARRAY_SIZE(bad_line_notes));
	vmalloc_table_free(&t);
	notes_free(&ns);
}
END_TEST

/* A flag word a newer kernel prints: the area and its RAM still count,
 * under its caller and kind, and the word is named in a note. */
static const struct {
	const char *line;
	const char *caller, *kind, *word;
} unknown_words[] = {
	{ "0x1-0x2 20480 kernel_clone+0xb8/0x400 pages=4 vmalloc newflag N0=4\n",
	  "kernel_clone", "vmalloc", "newflag" },
	{ "0x1-0x2 20480 kernel_clone+0xb8/0x400 pages=4 execmem\n", "kernel_clone", "other",
	  "execmem" },
	{ "0x1-0x2 20480 f+0x1/0x2 pages=4 vmalloc averyveryverylongflagwordfromthefuture\n", "f",
	  "vmalloc", "averyveryverylongflagwordfromth" },
};

START_TEST(test_unknown_flag_word)
{
	const char *in = unknown_words[_i].line;
	struct vmalloc_table t;
	struct notes ns = { 0 };
	char msg[96];

	ck_assert_int_eq(vmallocinfo_parse(in, strlen(in), "vmallocinfo", 4096, &t, &ns), 0);
	ck_assert_uint_eq(t.n, 1);
	ck_assert_uint_eq(find(&t, unknown_words[_i].caller, unknown_words[_i].kind)->pages, 4);
	ck_assert_uint_eq(t.total_bytes, 4 * 4096);
	snprintf(msg, sizeof(msg), "unknown word '%s' ignored, area counted",
		 unknown_words[_i].word);
	expect_notes(&ns, "vmallocinfo", &(struct want_note){ 1, msg }, 1);
	vmalloc_table_free(&t);
	notes_free(&ns);
}
END_TEST

START_TEST(test_empty_garbage_huge)
{
	struct vmalloc_table t;
	struct notes ns = { 0 };
	size_t len = 10u << 20, i = 0;
	char *big = malloc(len);
	uint32_t x = 7;
	int n;

	ck_assert_int_eq(vmallocinfo_parse("", 0, "vmallocinfo", 4096, &t, &ns), -1);
	expect_notes(&ns, "vmallocinfo", &(struct want_note){ 0, "no area line could be parsed" }, 1);
	notes_free(&ns);

	for (size_t k = 0; k < 65536; k++) {
		x = x * 1103515245u + 12345u;
		big[k] = (char)(x >> 16);
	}
	ck_assert_int_eq(vmallocinfo_parse(big, 65536, "vmallocinfo", 4096, &t, &ns), -1);
	ck_assert_uint_eq(t.n, 0);
	ck_assert_uint_ge(ns.n, 1);
	notes_free(&ns);

	/* 10 MB of areas with distinct callers: the aggregation must scale. */
	while ((n = snprintf(big + i, len - i, "0x1-0x2 8192 f%zu+0x1/0x2 pages=1 vmalloc\n",
			     i)) > 0 && (size_t)n < len - i)
		i += (size_t)n;
	ck_assert_int_eq(vmallocinfo_parse(big, i, "vmallocinfo", 4096, &t, &ns), 0);
	ck_assert_uint_eq(ns.n, 0);
	ck_assert_uint_gt(t.n, 200000);
	ck_assert_uint_eq(t.total_bytes, t.n * 4096);
	vmalloc_table_free(&t);
	free(big);
}
END_TEST

Suite *vmalloc_suite(void)
{
	Suite *s = suite_create("vmalloc");
	TCase *tc = tcase_create("vmallocinfo");

	tcase_add_loop_test(tc, test_capture, 0, ARRAY_SIZE(capture_cases));
	tcase_add_test(tc, test_bad_lines);
	tcase_add_loop_test(tc, test_unknown_flag_word, 0, (int)ARRAY_SIZE(unknown_words));
	tcase_add_test(tc, test_empty_garbage_huge);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
