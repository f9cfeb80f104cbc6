/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/vmallocinfo aggregation: the seed001 capture, the lines quoted in
 * kernel-interfaces.md §3, every line shape of that section, and bad input.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "notes.h"
#include "suites.h"
#include "vmalloc.h"

static int parse_fixture(const char *rel, struct vmalloc_table *t, struct notes *ns)
{
	struct buf b = { 0 };
	char path[4096];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, rel);
	ck_assert_msg(buf_readat(AT_FDCWD, path, &b, 0) == 0, "cannot read %s", path);
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

static void assert_note(const struct notes *ns, size_t i, unsigned int line, const char *msg)
{
	ck_assert_uint_lt(i, ns->n);
	ck_assert_str_eq(ns->v[i].source, "vmallocinfo");
	ck_assert_uint_eq(ns->v[i].line, line);
	ck_assert_str_eq(ns->v[i].msg, msg);
}

START_TEST(test_seed001)
{
	struct vmalloc_table t;
	struct notes ns = { 0 };
	const struct vmalloc_caller *c;

	ck_assert_int_eq(parse_fixture("seed001/vmallocinfo", &t, &ns), 0);
	ck_assert_uint_eq(ns.n, 0);
	ck_assert_uint_eq(t.n, 5);
	ck_assert_str_eq(t.v[0].caller, "acpi_os_map_memory");
	ck_assert_str_eq(t.v[4].caller, "swap_cgroup_swapon");
	c = find(&t, "alloc_large_system_hash", "vmalloc");
	ck_assert_uint_eq(c->areas, 7);
	ck_assert_uint_eq(c->pages, 884);
	ck_assert_uint_eq(c->bytes, 884 * 4096);
	ck_assert_uint_eq(c->vsize_bytes, 3649536);
	c = find(&t, "acpi_os_map_memory", "ioremap");
	ck_assert_uint_eq(c->areas, 2);
	ck_assert_uint_eq(c->pages, 0);
	ck_assert_uint_eq(c->bytes, 0);
	ck_assert_uint_eq(c->vsize_bytes, 20480);
	ck_assert_uint_eq(find(&t, "raw_init", "vmalloc")->pages, 32);
	ck_assert_uint_eq(t.total_bytes, 917 * 4096);
	ck_assert_uint_eq(t.ioremap_vsize_bytes, 36864);
	ck_assert(!t.has_stack_areas);
	ck_assert_ptr_null(vmalloc_table_find(&t, "raw_init", "ioremap"));
	vmalloc_table_free(&t);
	notes_free(&ns);
}
END_TEST

START_TEST(test_kisample)
{
	struct vmalloc_table t;
	struct notes ns = { 0 };
	const struct vmalloc_caller *c;

	ck_assert_int_eq(parse_fixture("kisamples/vmallocinfo", &t, &ns), 0);
	ck_assert_uint_eq(ns.n, 0);
	ck_assert_uint_eq(t.n, 4);
	ck_assert(t.has_stack_areas);
	ck_assert_uint_eq(find(&t, "kernel_clone", "vmalloc")->pages, 4);
	ck_assert_uint_eq(find(&t, "htab_map_alloc", "vmalloc")->pages, 577);
	c = find(&t, "pcpu_get_vm_areas", "vmalloc");
	ck_assert_uint_eq(c->areas, 1);
	ck_assert_uint_eq(c->pages, 0);
	ck_assert_uint_eq(c->vsize_bytes, 2097152);
	ck_assert_uint_eq(t.total_bytes, 581 * 4096);
	ck_assert_uint_eq(t.ioremap_vsize_bytes, 8192);
	vmalloc_table_free(&t);
	notes_free(&ns);
}
END_TEST

START_TEST(test_shapes)
{
	struct vmalloc_table t;
	struct notes ns = { 0 };
	const struct vmalloc_caller *c;

	ck_assert_int_eq(parse_fixture("kisamples/vmallocinfo-shapes", &t, &ns), 0);
	ck_assert_uint_eq(ns.n, 0);
	ck_assert_uint_eq(t.n, 6);
	ck_assert_str_eq(t.v[0].caller, "(none)");
	ck_assert_str_eq(t.v[0].kind, "ioremap");
	ck_assert_str_eq(t.v[1].caller, "(none)");
	ck_assert_str_eq(t.v[1].kind, "vm_map_ram");
	ck_assert_uint_eq(t.v[1].vsize_bytes, 4194304);
	c = find(&t, "kernel_clone", "vmalloc");
	ck_assert_uint_eq(c->areas, 2);
	ck_assert_uint_eq(c->pages, 8);
	ck_assert_uint_eq(c->vsize_bytes, 40960);
	c = find(&t, "nf_ct_alloc_hashtable [nf_conntrack]", "vmalloc");
	ck_assert_uint_eq(c->areas, 2);
	ck_assert_uint_eq(c->bytes, 6 * 4096);
	ck_assert_uint_eq(find(&t, "irq_init_percpu_irqstack", "vmap")->pages, 0);
	ck_assert_uint_eq(find(&t, "bpf_prog_pack_alloc", "vmalloc")->pages, 8);
	ck_assert_uint_eq(t.unpurged_areas, 2);
	ck_assert_uint_eq(t.total_bytes, 22 * 4096);
	ck_assert(t.has_stack_areas);
	vmalloc_table_free(&t);
	notes_free(&ns);
}
END_TEST

START_TEST(test_bad_lines)
{
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
	ck_assert_uint_eq(ns.n, 6);
	assert_note(&ns, 0, 2, "expected 'start-end' range");
	assert_note(&ns, 1, 3, "expected the size after the range");
	assert_note(&ns, 2, 4, "bad pages= value");
	assert_note(&ns, 3, 5, "bad pages= value");
	assert_note(&ns, 4, 6, "unknown word 'bar' ignored, area counted");
	assert_note(&ns, 5, 9, "last line has no newline (truncated), ignored");
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
	ck_assert_uint_eq(ns.n, 1);
	assert_note(&ns, 0, 1, msg);
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
	assert_note(&ns, 0, 0, "no area line could be parsed");
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

	tcase_add_test(tc, test_seed001);
	tcase_add_test(tc, test_kisample);
	tcase_add_test(tc, test_shapes);
	tcase_add_test(tc, test_bad_lines);
	tcase_add_loop_test(tc, test_unknown_flag_word, 0, (int)ARRAY_SIZE(unknown_words));
	tcase_add_test(tc, test_empty_garbage_huge);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
