/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP pressure: sockstat{,6} from kernel-interfaces.md §7.1, netstat and snmp
 * as read on the reference machine, protocols, the sysctls, all through the
 * fixture tree fixtures/tcpmem/proc; then corrupted copies (fixtures/tcpmem/
 * bad: mismatched header/value counts, truncation, overflow, garbage) and
 * generated enormous input.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "expect.h"
#include "notes.h"
#include "root.h"
#include "suites.h"
#include "tcpmem.h"

#define TCP_DIR FIXTURES_DIR "/tcpmem"

static void read_file(const char *rel, struct buf *b)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", TCP_DIR, rel);
	ck_assert_int_eq(buf_readat(AT_FDCWD, path, b, 0), 0);
}

static uint64_t counter(const struct tcpmem *t, const char *name)
{
	uint64_t v = 0;

	ck_assert_msg(tcpmem_counter(t, name, &v), "no counter %s", name);
	return v;
}

/* Field and counter lists end at the first entry without a name. */
struct want_field {
	size_t off;		/* of a uint64_t in struct tcpmem */
	const char *name;
	uint64_t value;
};

#define FIELD(f, v) { offsetof(struct tcpmem, f), #f, v }

struct want_counter {
	const char *name;
	uint64_t value;
};

static void check_fields(const struct tcpmem *t, const struct want_field *want, size_t max)
{
	for (size_t i = 0; i < max && want[i].name; i++) {
		uint64_t v;

		memcpy(&v, (const char *)t + want[i].off, sizeof(v));
		ck_assert_msg(v == want[i].value, "%s: %llu, expected %llu", want[i].name,
			      (unsigned long long)v, (unsigned long long)want[i].value);
	}
}

static void check_counters(const struct tcpmem *t, const struct want_counter *want, size_t max)
{
	for (size_t i = 0; i < max && want[i].name; i++)
		ck_assert_uint_eq(counter(t, want[i].name), want[i].value);
}

/* sockstat and sockstat6, read in turn into one struct tcpmem. */
static const struct sockstat_case {
	const char *files[2];	/* under fixtures/tcpmem; NULL files: empty input */
	int ret;
	struct want_field fields[14];
	struct want_note notes[3];
} sockstat_cases[] = {
	{
		{ "proc/net/sockstat", "proc/net/sockstat6" }, 0,
		{ FIELD(sockets_used, 125061), FIELD(tcp_inuse, 100031), FIELD(tcp_orphan, 25000),
		  FIELD(tcp_tw, 0), FIELD(tcp_alloc, 100036), FIELD(tcp_mem_pages, 75730),
		  FIELD(udp_inuse, 2), FIELD(raw_inuse, 1), FIELD(tcp6_inuse, 4),
		  FIELD(udp6_inuse, 3), FIELD(frag6_inuse, 1), FIELD(frag6_memory_bytes, 1024) },
		{ { 0 } },
	},
	{
		{ "bad/sockstat-garbled" }, 0,
		{ FIELD(sockets_used, 0), FIELD(tcp_inuse, 5), FIELD(tcp_tw, 0), FIELD(udp_inuse, 7),
		  FIELD(udp_mem_pages, 3) },
		{ { 1, "sockets used: number out of range" },
		  { 2, "expected 'GROUP: name value ...'" },
		  { 3, "TCP orphan: no number" } },
	},
	{ { NULL }, -EINVAL, { { 0 } }, { { 0, "no known field" } } },
};

START_TEST(test_sockstat)
{
	const struct sockstat_case *c = &sockstat_cases[_i];
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct buf b = { 0 };

	if (!c->files[0])
		ck_assert_int_eq(tcpmem_parse_sockstat("", 0, "sockstat", &t, &notes), c->ret);
	for (size_t i = 0; i < ARRAY_SIZE(c->files) && c->files[i]; i++) {
		read_file(c->files[i], &b);
		ck_assert_int_eq(tcpmem_parse_sockstat(b.data, b.len, "sockstat", &t, &notes),
				 c->ret);
	}
	ck_assert_int_eq(t.has_sockstat, c->ret == 0);
	check_fields(&t, c->fields, ARRAY_SIZE(c->fields));
	expect_notes(&notes, "sockstat", c->notes, ARRAY_SIZE(c->notes));
	notes_free(&notes);
	buf_free(&b);
	tcpmem_free(&t);
}
END_TEST

START_TEST(test_counters)
{
	static const struct want_counter want[] = {
		{ "TcpExt:PruneCalled", 12 },
		{ "TcpExt:TCPAbortOnMemory", 7 },
		{ "TcpExt:TCPMemoryPressures", 3 },
		{ "TcpExt:TCPMemoryPressuresChrono", 4518 },
		{ "TcpExt:TCPAbortOnClose", 144107 },
		{ "TcpExt:TW", 11 },
		{ "IpExt:InOctets", 19374935 },
		{ "Tcp:CurrEstab", 100031 },
		{ "Tcp:RtoMax", 120000 },
		{ "Udp:RcvbufErrors", 5 },
		{ "IcmpMsg:InType3", 1 },
		{ "Tcp:MaxConn", UINT64_MAX },
	};
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct buf b = { 0 };

	read_file("proc/net/netstat", &b);
	ck_assert_int_eq(tcpmem_parse_counters(b.data, b.len, "netstat", &t, &notes), 0);
	ck_assert_uint_eq(t.ncounters, 229);
	read_file("proc/net/snmp", &b);
	ck_assert_int_eq(tcpmem_parse_counters(b.data, b.len, "snmp", &t, &notes), 0);
	ck_assert_uint_eq(t.ncounters, 229 + 83);
	ck_assert_uint_eq(notes.n, 0);
	for (size_t i = 1; i < t.ncounters; i++)
		ck_assert_int_lt(strcmp(t.counters[i - 1].name, t.counters[i].name), 0);

	check_counters(&t, want, ARRAY_SIZE(want));
	ck_assert(!tcpmem_counter(&t, "TcpExt:TCPOrphans", &(uint64_t){ 0 }));
	ck_assert(!tcpmem_counter(&t, "TCPAbortOnMemory", &(uint64_t){ 0 }));
	for (size_t i = 0; i < t.ncounters; i++)
		ck_assert(t.counters[i].negative == (strcmp(t.counters[i].name, "Tcp:MaxConn") == 0));
	buf_free(&b);
	tcpmem_free(&t);
}
END_TEST

/* Damaged counter files (netstat/snmp layout): what is kept, what is said. */
static const struct counters_case {
	const char *file;	/* under fixtures; NULL: text */
	const char *text;
	const char *source;
	int ret;
	size_t ncounters;
	struct want_counter kept[2];
	const char *dropped[2];
	struct want_note notes[3];
} counters_cases[] = {
	{ "tcpmem/bad/netstat-mismatch", NULL, "netstat", 0, 18 + 76,
	  { { "IpExt:InOctets", 19374935 } }, { "TcpExt:PruneCalled" },
	  { { 2, "TcpExt: 135 names but 134 values, group skipped" } } },
	/* The values line was cut: held back, so its names have no values. */
	{ "tcpmem/bad/netstat-truncated", NULL, "netstat", 0, 18, { { 0 } }, { NULL },
	  { { 4, "last line has no newline (truncated), ignored" },
	    { 3, "TcpExt: names without values" } } },
	{ "tcpmem/bad/netstat-headeronly", NULL, "netstat", 0, 18, { { 0 } }, { NULL },
	  { { 3, "TcpExt: names without values" } } },
	/* A header followed by another group's header. */
	{ NULL, "A: x\nB: y\nB: 5\n", "snmp", 0, 1, { { "B:y", 5 } }, { NULL },
	  { { 1, "A: names without values" } } },
	{ NULL, "", "snmp", -EINVAL, 0, { { 0 } }, { NULL }, { { 0, "no counters" } } },
	{ NULL, "garbage\n\x01", "snmp", -EINVAL, 0, { { 0 } }, { NULL },
	  { { 1, "expected 'Group: ...', line skipped" },
	    { 2, "last line has no newline (truncated), ignored" },
	    { 0, "no counters" } } },
	/* A NUL byte inside a name would cut it short ("Tcp:Ret", "Udp:In"),
	 * and two such names could collide: the counter is skipped. */
	{ "tcpmem/bad/snmp-nul", NULL, "snmp", 0, 3, { { "Tcp:OutRsts", 3 }, { "Udp:InErrors", 5 } },
	  { "Tcp:Ret", "Udp:In" },
	  { { 2, "Tcp: counter name with a NUL byte, skipped" },
	    { 4, "Udp: counter name with a NUL byte, skipped" } } },
	{ "tcpmem/bad/snmp-overflow", NULL, "snmp", 0, 83 - 2,
	  { { "Tcp:RetransSegs", 0 }, { "Tcp:OutRsts", 11 } }, { "Tcp:InSegs", "Tcp:OutSegs" },
	  { { 8, "Tcp:InSegs: number out of range, skipped" },
	    { 8, "Tcp:OutSegs: not a number, skipped" } } },
};

START_TEST(test_counters_damaged)
{
	const struct counters_case *c = &counters_cases[_i];
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct buf b = { 0 };

	case_input(c->file, c->text, &b);
	ck_assert_int_eq(tcpmem_parse_counters(b.data, b.len, c->source, &t, &notes), c->ret);
	ck_assert_uint_eq(t.ncounters, c->ncounters);
	check_counters(&t, c->kept, ARRAY_SIZE(c->kept));
	for (size_t i = 0; i < ARRAY_SIZE(c->dropped) && c->dropped[i]; i++)
		ck_assert_msg(!tcpmem_counter(&t, c->dropped[i], &(uint64_t){ 0 }), "%s kept",
			      c->dropped[i]);
	expect_notes(&notes, c->source, c->notes, ARRAY_SIZE(c->notes));
	notes_free(&notes);
	buf_free(&b);
	tcpmem_free(&t);
}
END_TEST

/* Millions of lines and a 1 MB line: capped, noted, no crash. */
START_TEST(test_counters_enormous)
{
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct buf b = { 0 };
	const char *longname = "X: a BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB c\nX: 1 2 3\n";
	char line[64];

	for (int i = 0; i < 1000000; i++) {
		int n = snprintf(line, sizeof(line), "G%d: a\nG%d: %d\n", i, i, i);

		buf_append(&b, line, (size_t)n);
	}
	ck_assert_int_eq(tcpmem_parse_counters(b.data, b.len, "netstat", &t, &notes), 0);
	ck_assert_uint_eq(t.ncounters, TCPMEM_MAX_COUNTERS);
	ck_assert_uint_eq(notes.n, 1);
	ck_assert_str_eq(notes.v[0].msg, "more than 8192 counters, the rest skipped");
	ck_assert_uint_eq(counter(&t, "G0:a"), 0);
	ck_assert_uint_eq(counter(&t, "G8191:a"), 8191);
	notes_free(&notes);
	tcpmem_free(&t);

	b.len = 0;
	buf_append(&b, "TcpExt:", 7);
	for (int i = 0; i < 100000; i++)
		buf_append(&b, " VeryLongCounterNameNumber", 26);
	buf_append(&b, "\nTcpExt: 1\n", 11);
	ck_assert_int_eq(tcpmem_parse_counters(b.data, b.len, "netstat", &t, &notes), -EINVAL);
	ck_assert_uint_eq(notes.n, 2);
	ck_assert_str_eq(notes.v[0].msg, "TcpExt: 100000 names but 1 values, group skipped");
	notes_free(&notes);

	/* A name that does not fit is skipped, its neighbours kept. */
	ck_assert_int_eq(tcpmem_parse_counters(longname, strlen(longname), "netstat", &t, &notes), 0);
	ck_assert_uint_eq(t.ncounters, 2);
	ck_assert_uint_eq(counter(&t, "X:c"), 3);
	ck_assert_uint_eq(notes.n, 1);
	notes_free(&notes);
	buf_free(&b);
	tcpmem_free(&t);
}
END_TEST

/* /proc/net/protocols: TCP's "press" column, or why there is none. */
static const struct protocols_case {
	const char *file;	/* under fixtures; NULL: text */
	const char *text;
	int ret;
	bool under_pressure;
	struct want_note notes[1];
} protocols_cases[] = {
	{ "tcpmem/proc/net/protocols", NULL, 0, true, { { 0 } } },
	{ NULL, "protocol  size sockets  memory press maxhdr\n"
		"TCPv6 2432 0 0 yes 192\nTCP 2304 1 0 no 192\n", 0, false, { { 0 } } },
	{ "tcpmem/bad/protocols-nopress", NULL, -EINVAL, false, { { 1, "no 'press' column" } } },
	{ NULL, "protocol press\nUDP NI\n", -EINVAL, false, { { 0, "no TCP row" } } },
	{ NULL, "protocol press\nTCP\n", -EINVAL, false, { { 2, "TCP: press is ''" } } },
};

START_TEST(test_protocols)
{
	const struct protocols_case *c = &protocols_cases[_i];
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct buf b = { 0 };

	case_input(c->file, c->text, &b);
	ck_assert_int_eq(tcpmem_parse_protocols(b.data, b.len, "protocols", &t, &notes), c->ret);
	ck_assert_int_eq(t.has_pressure_flag, c->ret == 0);
	ck_assert_int_eq(t.under_pressure, c->under_pressure);
	expect_notes(&notes, "protocols", c->notes, ARRAY_SIZE(c->notes));
	notes_free(&notes);
	buf_free(&b);
}
END_TEST

START_TEST(test_sample_fixture)
{
	static const struct want_field want[] = {
		FIELD(tcp_mem_pages, 75730), FIELD(tcp6_inuse, 4),
		FIELD(tcp_mem_min, 287901), FIELD(tcp_mem_pressure, 383868),
		FIELD(tcp_mem_max, 575802), FIELD(tcp_rmem[0], 4096),
		FIELD(tcp_rmem[1], 131072), FIELD(tcp_rmem[2], 33554432),
		FIELD(tcp_wmem[2], 4194304), FIELD(tcp_max_orphans, 131072),
		FIELD(ncounters, 312),
	};
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct root r;

	ck_assert_int_eq(root_open(&r, TCP_DIR), 0);
	tcpmem_sample(&r, &t, &notes);
	ck_assert_uint_eq(notes.n, 0);
	ck_assert(t.has_sockstat);
	ck_assert(t.has_tcp_mem);
	ck_assert(t.has_rmem && t.has_wmem);
	ck_assert(t.has_max_orphans);
	ck_assert(t.has_pressure_flag && t.under_pressure);
	check_fields(&t, want, ARRAY_SIZE(want));
	ck_assert_uint_eq(t.tcp_mem_bytes, 75730ull * (uint64_t)root_page_size(&r));
	ck_assert_uint_eq(counter(&t, "TcpExt:TCPAbortOnMemory"), 7);

	/* Sampling again replaces, it does not add. */
	tcpmem_sample(&r, &t, &notes);
	ck_assert_uint_eq(t.ncounters, 312);
	tcpmem_free(&t);
	root_close(&r);
	notes_free(&notes);
}
END_TEST

START_TEST(test_sample_missing)
{
	static const char *const missing[] = {
		"sockstat", "sockstat6", "tcp_mem", "tcp_max_orphans", "protocols", "netstat",
		"snmp", "tcp",
	};
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct root r;

	ck_assert_int_eq(root_open(&r, FIXTURES_DIR "/procs"), 0);
	tcpmem_sample(&r, &t, &notes);
	ck_assert(!t.has_sockstat && !t.has_tcp_mem && !t.has_pressure_flag);
	ck_assert_uint_eq(t.ncounters, 0);
	for (size_t i = 0; i < ARRAY_SIZE(missing); i++)
		ck_assert_msg(notes_is_missing(&notes, missing[i]), "%s", missing[i]);
	ck_assert_str_eq(notes_find(&notes, "netstat")->msg, "not present on this kernel");
	tcpmem_free(&t);
	root_close(&r);
	notes_free(&notes);
}
END_TEST

/* The live files parse without a note. */
START_TEST(test_sample_live)
{
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct root r;

	ck_assert_int_eq(root_open(&r, "/"), 0);
	tcpmem_sample(&r, &t, &notes);
	for (size_t i = 0; i < notes.n; i++)
		ck_assert_msg(notes.v[i].kind == NOTE_MISSING, "%s:%u: %s", notes.v[i].source,
			      notes.v[i].line, notes.v[i].msg);
	if (!notes_is_missing(&notes, "sockstat"))
		ck_assert(t.has_sockstat && t.sockets_used > 0);
	if (!notes_is_missing(&notes, "netstat"))
		ck_assert(tcpmem_counter(&t, "TcpExt:TCPAbortOnMemory", &(uint64_t){ 0 }));
	tcpmem_free(&t);
	root_close(&r);
	notes_free(&notes);
}
END_TEST

Suite *tcpmem_suite(void)
{
	Suite *s = suite_create("tcpmem");
	TCase *tc = tcase_create("parse");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_sockstat, 0, ARRAY_SIZE(sockstat_cases));
	tcase_add_test(tc, test_counters);
	tcase_add_loop_test(tc, test_counters_damaged, 0, ARRAY_SIZE(counters_cases));
	tcase_add_test(tc, test_counters_enormous);
	tcase_add_loop_test(tc, test_protocols, 0, ARRAY_SIZE(protocols_cases));
	tcase_add_test(tc, test_sample_fixture);
	tcase_add_test(tc, test_sample_missing);
	tcase_add_test(tc, test_sample_live);
	suite_add_tcase(s, tc);
	return s;
}
