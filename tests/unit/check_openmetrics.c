/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The metrics exposition from hand-built snapshots: label values escaped
 * (system strings sanitized once, then the exposition's own escapes),
 * every family bounded to N by size plus N by growth plus an exact
 * "other", HELP/TYPE/UNIT before every family's samples, "# EOF" last, and
 * a section that was not read gives no series at all.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_scan.h"
#include "diff.h"
#include "openmetrics.h"
#include "strsafe.h"
#include "suites.h"
#include "synth.h"
#include "xalloc.h"

static char *expose(struct diff *d, enum om_dialect dialect, size_t top)
{
	struct om_opts o = { .dialect = dialect, .top = top };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	om_write(f, d, &o);
	fclose(f);
	return buf;
}

/* ---- escaping ---------------------------------------------------------------- */

static const struct {
	const char *raw;
	size_t len;
	const char *want;	/* as written between the quotes */
} escapes[] = {
	{ "plain", 5, "plain" },
	{ "a\"b", 3, "a\\\"b" },
	/* strsafe doubles the backslash; the exposition escapes both. */
	{ "a\\b", 3, "a\\\\\\\\b" },
	/* Control bytes become strsafe's \xNN, whose backslash is escaped. */
	{ "a\nb", 3, "a\\\\x0ab" },
	{ "\x1b[31m", 5, "\\\\x1b[31m" },
	{ "x\xff\xfey", 4, "x\\\\xff\\\\xfey" },
	{ "caf\xc3\xa9", 5, "caf\xc3\xa9" },
	{ "\"\\\n\x1b", 4, "\\\"\\\\\\\\\\\\x0a\\\\x1b" },
};

START_TEST(test_escape_raw)
{
	char out[256];

	om_escape_raw(escapes[_i].raw, escapes[_i].len, out, sizeof(out));
	ck_assert_str_eq(out, escapes[_i].want);
}
END_TEST

START_TEST(test_escape_label)
{
	char out[16];

	om_escape_label("a\nb\"c\\d", out, sizeof(out));
	ck_assert_str_eq(out, "a\\nb\\\"c\\\\d");
	/* Cut short, never half an escape. */
	om_escape_label("ab\"", out, 4);
	ck_assert_str_eq(out, "ab");
}
END_TEST

/* ---- the bound on a family -------------------------------------------------------- */

START_TEST(test_select_bound)
{
	struct om_cand c[100];
	bool keep[100];
	int64_t rest, sum_rest = 0;
	size_t kept;

	/* Values 1..100; the five smallest grow the most. */
	for (int i = 0; i < 100; i++) {
		c[i].value = i + 1;
		c[i].has_growth = true;
		c[i].growth = i < 5 ? 1000 - i : 0;
	}
	kept = om_select(c, 100, 5, keep, &rest);
	ck_assert_uint_eq(kept, 10);
	for (int i = 0; i < 100; i++) {
		bool want = i < 5 || i >= 95;

		ck_assert_msg(keep[i] == want, "entity %d kept %d", i, keep[i]);
		if (!keep[i])
			sum_rest += c[i].value;
	}
	ck_assert_int_eq(rest, sum_rest);
	/* Shrinking is not growth. */
	for (int i = 0; i < 100; i++)
		c[i].growth = -1000;
	ck_assert_uint_eq(om_select(c, 100, 5, keep, &rest), 5);
	/* Top 0 keeps all and leaves nothing for other. */
	ck_assert_uint_eq(om_select(c, 100, 0, keep, &rest), 100);
	ck_assert_int_eq(rest, 0);
}
END_TEST

/* ---- whole expositions ----------------------------------------------------------------- */

/* The metric name of a sample line, into name. */
static void line_name(const char *line, char *name, size_t sz)
{
	size_t n = strcspn(line, "{ ");

	ck_assert_uint_lt(n, sz);
	memcpy(name, line, n);
	name[n] = '\0';
}

static bool valid_metric_name(const char *s)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_' || *s == ':'))
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == ':'))
			return false;
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

/*
 * Walk an OpenMetrics exposition: every sample's family declared by HELP
 * and TYPE (and UNIT for a name ending in _bytes or _seconds) before it,
 * counters' samples end in _total and gauges' do not, names valid, valid
 * UTF-8 throughout, "# EOF" the last line. Returns the sample count.
 */
static size_t check_exposition(const char *text)
{
	char fam[128] = "", type[16] = "", unit[64] = "";
	bool help = false, eof = false;
	size_t samples = 0;
	uint32_t cp;

	for (const char *p = text; *p;) {
		size_t n = strsafe_utf8_decode(p, strlen(p), &cp);

		ck_assert_msg(n, "invalid UTF-8 at offset %td", p - text);
		p += n;
	}
	for (const char *line = text; *line;) {
		const char *nl = strchr(line, '\n');
		char l[2048], name[128];

		ck_assert_ptr_nonnull(nl);
		ck_assert_msg(!eof, "text after # EOF");
		ck_assert_uint_lt((size_t)(nl - line), sizeof(l));
		memcpy(l, line, (size_t)(nl - line));
		l[nl - line] = '\0';
		line = nl + 1;
		if (strcmp(l, "# EOF") == 0) {
			eof = true;
		} else if (sscanf(l, "# HELP %127s", name) == 1) {
			ck_assert_msg(strcmp(name, fam) != 0, "family %s declared twice in a row", name);
			snprintf(fam, sizeof(fam), "%s", name);
			help = true;
			type[0] = unit[0] = '\0';
		} else if (sscanf(l, "# TYPE %127s %15s", name, type) == 2) {
			ck_assert_str_eq(name, fam);
		} else if (sscanf(l, "# UNIT %127s %63s", name, unit) == 2) {
			ck_assert_str_eq(name, fam);
			ck_assert_msg(ends_with(fam, unit), "%s: unit %s", fam, unit);
		} else {
			ck_assert_msg(l[0] != '#', "unknown comment %s", l);
			line_name(l, name, sizeof(name));
			ck_assert_msg(valid_metric_name(name), "bad name %s", name);
			ck_assert_msg(help && type[0], "%s: no HELP/TYPE", name);
			if (strcmp(type, "counter") == 0) {
				char want[140];

				snprintf(want, sizeof(want), "%s_total", fam);
				ck_assert_str_eq(name, want);
			} else {
				ck_assert_str_eq(name, fam);
				ck_assert_msg(!ends_with(name, "_total"), "gauge %s ends in _total", name);
			}
			if (ends_with(fam, "_bytes") || ends_with(fam, "_seconds"))
				ck_assert_msg(unit[0], "%s: no UNIT", fam);
			samples++;
		}
	}
	ck_assert_msg(eof, "no # EOF");
	return samples;
}

/* Series of family name (exact name before '{' or ' '), and their sum. */
static size_t series(const char *text, const char *name, int64_t *sum, const char *want_label)
{
	size_t n = 0, len = strlen(name);
	bool found_label = !want_label;

	*sum = 0;
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *sp;

		if (strncmp(l, name, len) != 0 || (l[len] != '{' && l[len] != ' '))
			continue;
		sp = strchr(l, ' ');
		n++;
		*sum += strtoll(sp + 1, NULL, 10);
		if (want_label && strncmp(l + len, want_label, strlen(want_label)) == 0)
			found_label = true;
	}
	ck_assert_msg(found_label, "%s: no series %s", name, want_label);
	return n;
}

/* 100 processes, RSS 1..100 MiB; in the second sample the five smallest
 * grew by 1 KiB each. */
static struct diff *hundred_processes(void)
{
	struct snapshot *a = synth_snap(0), *b = synth_snap(1);
	struct diff *d;

	for (int i = 0; i < 100; i++) {
		synth_proc(a, 100 + i, 5, "worker", (uint64_t)(i + 1) << 20, 10);
		synth_proc(b, 100 + i, 5, "worker", ((uint64_t)(i + 1) << 20) + (i < 5 ? 1024 : 0),
			   10);
	}
	synth_finish(a);
	synth_finish(b);
	d = diff_compute(a, b);
	snapshot_unref(a);
	snapshot_unref(b);
	return d;
}

START_TEST(test_family_bounded)
{
	struct diff *d = hundred_processes();
	char *text = expose(d, OM_OPENMETRICS, 5);
	int64_t sum, want = 0;
	size_t n;

	check_exposition(text);
	for (int i = 0; i < 100; i++)
		want += ((int64_t)(i + 1) << 20) + (i < 5 ? 1024 : 0);
	n = series(text, "leaktop_process_rss_bytes", &sum, "{pid=\"other\"}");
	/* 5 by size, 5 by growth, other: the rest's sum, exactly. */
	ck_assert_uint_eq(n, 11);
	ck_assert_int_eq(sum, want);
	ck_assert_ptr_nonnull(strstr(text, "leaktop_process_rss_bytes{pid=\"100\",comm=\"worker\"} "));
	ck_assert_ptr_nonnull(strstr(text, "leaktop_process_rss_bytes{pid=\"199\",comm=\"worker\"} "));
	/* Nothing grows in fds: the top 5 and other. */
	ck_assert_uint_eq(series(text, "leaktop_process_fds", &sum, NULL), 6);
	ck_assert_int_eq(sum, 1000);
	free(text);
	text = expose(d, OM_OPENMETRICS, 0);
	ck_assert_uint_eq(series(text, "leaktop_process_rss_bytes", &sum, NULL), 100);
	free(text);
	diff_free(d);
}
END_TEST

START_TEST(test_hostile_comm)
{
	struct snapshot *b = synth_snap(0);
	struct diff *d;
	char *text;

	synth_proc(b, 42, 5, "q\"b\\n\n\x1b\xff", 1 << 20, 3);
	synth_finish(b);
	d = diff_compute(NULL, b);
	text = expose(d, OM_OPENMETRICS, 20);
	check_exposition(text);
	ck_assert_msg(strstr(text, "leaktop_process_rss_bytes{pid=\"42\",comm=\"q\\\"b\\\\\\\\n\\\\x0a"
				   "\\\\x1b\\\\xff\"} 1048576\n"),
		      "%s", text);
	free(text);
	diff_free(d);
	snapshot_unref(b);
}
END_TEST

/* Every field table's families have valid names: a table added later
 * (cgroups) is checked by the same walk. */
START_TEST(test_every_table)
{
	struct snapshot *a = synth_snap(0), *b = synth_snap(1);
	struct diff *d;
	char *text;
	int64_t sum;

	synth_slab(a, "dentry", 192, 1000);
	synth_slab(b, "dentry", 192, 2000);
	synth_proc(b, 7, 5, "app", 1 << 20, 3);
	synth_sock(b, 7, 5, SK_TCP, 1, 900, 1000, 2000);
	synth_finish(a);
	synth_finish(b);
	d = diff_compute(a, b);
	text = expose(d, OM_OPENMETRICS, 20);
	ck_assert_uint_gt(check_exposition(text), 20);
	ck_assert_uint_eq(series(text, "leaktop_slab_cache_bytes", &sum, "{name=\"dentry\"}"), 1);
	ck_assert_uint_eq(series(text, "leaktop_slab_cache_allocated_objects", &sum, NULL), 1);
	ck_assert_uint_eq(series(text, "leaktop_sockets", &sum, "{kind=\"tcp\",state=\"ESTAB\"}"), 1);
	ck_assert_uint_eq(series(text, "leaktop_process_sockmem_bytes", &sum, "{pid=\"7\""), 1);
	free(text);
	/* The text format types a counter by its _total name, no UNIT, no EOF. */
	text = expose(d, OM_PROMETHEUS, 20);
	ck_assert_ptr_nonnull(strstr(text, "# TYPE leaktop_samples_total counter\n"));
	ck_assert_ptr_null(strstr(text, "# UNIT"));
	ck_assert_ptr_null(strstr(text, "# EOF"));
	free(text);
	diff_free(d);
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

/*
 * A hybrid host: "/" and "/app.service" exist in both hierarchies (v2 rows
 * first, as the scanner orders them). Every series is unique by hierarchy
 * and path, the name is a label beside them, depth and id are no family,
 * and the rest of a bounded family is one {path="other"} series.
 */
static struct snapshot *hybrid_cgroups(int seq)
{
	static const struct {
		enum cgroup_hier h;
		const char *path;
		uint16_t depth;
		uint64_t cur, anon;
	} rows[] = {
		{ CG_HIER_V2, "/", 0, 9000, 4000 },
		{ CG_HIER_V2, "/app.service", 1, 3000, 2000 },
		{ CG_HIER_V1, "/", 0, 8000, 3000 },
		{ CG_HIER_V1, "/app.service", 1, 2000, 1000 },
		{ CG_HIER_V1, "/small.service", 1, 10, 5 },
	};
	struct snapshot *s = synth_snap(seq);

	s->sections |= SNAP_CGROUPS;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cgroup_entry *e = cgroup_table_add(&s->cgroups, rows[i].h, rows[i].path,
							  500 + i);

		e->depth = rows[i].depth;
		e->parent = rows[i].depth ? (rows[i].h == CG_HIER_V2 ? 0 : 2) : CG_NONE;
		e->v[CGV_CURRENT] = rows[i].cur;
		e->v[CGV_ANON] = rows[i].anon;
		e->present = 1u << CGV_CURRENT | 1u << CGV_ANON;
	}
	cgroup_table_finish(&s->cgroups);
	synth_finish(s);
	return s;
}

/* Whether a sample line of the text has the same name and labels as an
 * earlier one. */
static bool duplicate_series(const char *text)
{
	char *copy = xstrdup(text), *save = NULL;
	char **seen = NULL;
	size_t n = 0;
	bool dup = false;

	for (char *l = strtok_r(copy, "\n", &save); l && !dup; l = strtok_r(NULL, "\n", &save)) {
		char *sp = strrchr(l, ' ');

		if (l[0] == '#' || !sp)
			continue;
		*sp = '\0';
		for (size_t i = 0; i < n && !dup; i++)
			dup = strcmp(seen[i], l) == 0;
		seen = xrealloc(seen, (n + 1) * sizeof(*seen));
		seen[n++] = l;
	}
	free(seen);
	free(copy);
	return dup;
}

START_TEST(test_cgroup_hierarchies)
{
	struct snapshot *a = hybrid_cgroups(0), *b = hybrid_cgroups(1);
	struct diff *d = diff_compute(a, b);
	char *text = expose(d, OM_OPENMETRICS, 20);
	int64_t sum;

	check_exposition(text);
	ck_assert_msg(!duplicate_series(text), "%s", text);
	ck_assert_uint_eq(series(text, "leaktop_cgroup_memory_current_bytes", &sum, NULL), 5);
	ck_assert_int_eq(sum, 9000 + 3000 + 8000 + 2000 + 10);
	ck_assert_ptr_nonnull(strstr(text, "leaktop_cgroup_memory_current_bytes{hierarchy=\"v2\","
				   "path=\"/app.service\",name=\"app.service\"} 3000\n"));
	ck_assert_ptr_nonnull(strstr(text, "leaktop_cgroup_memory_current_bytes{hierarchy=\"v1\","
				   "path=\"/app.service\",name=\"app.service\"} 2000\n"));
	ck_assert_ptr_nonnull(strstr(text, "leaktop_cgroup_anon_bytes{hierarchy=\"v1\",path=\"/\","));
	/* Identity columns are labels or nothing, never a family. */
	ck_assert_ptr_null(strstr(text, "depth"));
	ck_assert_ptr_null(strstr(text, "leaktop_cgroup_id"));
	ck_assert_ptr_null(strstr(text, "leaktop_cgroups_"));
	free(text);
	/* Bounded: the two largest, nothing grew, the rest in one series. */
	text = expose(d, OM_OPENMETRICS, 2);
	check_exposition(text);
	ck_assert_msg(!duplicate_series(text), "%s", text);
	ck_assert_uint_eq(series(text, "leaktop_cgroup_memory_current_bytes", &sum,
				 "{path=\"other\"}"), 3);
	ck_assert_int_eq(sum, 9000 + 3000 + 8000 + 2000 + 10);
	free(text);
	diff_free(d);
	snapshot_unref(a);
	snapshot_unref(b);
}
END_TEST

START_TEST(test_missing_no_series)
{
	struct snapshot *b = synth_snap(0);
	struct diff *d;
	char *text;

	b->sections = SNAP_SLAB | SNAP_VMALLOC | SNAP_TCP;
	notes_add(&b->notes, NOTE_MISSING, SRC_SLABINFO, 0, "permission denied (needs root)");
	notes_add(&b->notes, NOTE_MISSING, SRC_SLABINFO, 0, "permission denied (needs root)");
	notes_add(&b->notes, NOTE_MISSING, SRC_VMALLOC, 0, "permission denied (needs root)");
	memset(&b->tcp, 0, sizeof(b->tcp));
	d = diff_compute(NULL, b);
	text = expose(d, OM_OPENMETRICS, 20);
	check_exposition(text);
	ck_assert_ptr_null(strstr(text, "leaktop_slab"));
	ck_assert_ptr_null(strstr(text, "leaktop_vmalloc"));
	ck_assert_ptr_null(strstr(text, "leaktop_memory"));
	ck_assert_ptr_null(strstr(text, "leaktop_tcp"));
	ck_assert_ptr_null(strstr(text, "leaktop_process"));
	ck_assert_ptr_nonnull(strstr(text, "leaktop_source_missing{source=\"slabinfo\"} 1\n"));
	ck_assert_ptr_nonnull(strstr(text, "leaktop_source_missing{source=\"vmallocinfo\"} 1\n"));
	/* Noted twice, one series. */
	ck_assert_ptr_null(strstr(strstr(text, "{source=\"slabinfo\"}") + 1, "{source=\"slabinfo\"}"));
	free(text);
	diff_free(d);
	snapshot_unref(b);
}
END_TEST

Suite *openmetrics_suite(void)
{
	Suite *s = suite_create("openmetrics");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_escape_raw, 0, (int)(sizeof(escapes) / sizeof(escapes[0])));
	tcase_add_test(tc, test_escape_label);
	tcase_add_test(tc, test_select_bound);
	tcase_add_test(tc, test_family_bounded);
	tcase_add_test(tc, test_hostile_comm);
	tcase_add_test(tc, test_every_table);
	tcase_add_test(tc, test_cgroup_hierarchies);
	tcase_add_test(tc, test_missing_no_series);
	suite_add_tcase(s, tc);
	return s;
}
