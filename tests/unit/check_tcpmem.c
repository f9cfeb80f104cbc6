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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
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

START_TEST(test_sockstat)
{
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct buf b = { 0 };

	read_file("proc/net/sockstat", &b);
	ck_assert_int_eq(tcpmem_parse_sockstat(b.data, b.len, "sockstat", &t, &notes), 0);
	read_file("proc/net/sockstat6", &b);
	ck_assert_int_eq(tcpmem_parse_sockstat(b.data, b.len, "sockstat6", &t, &notes), 0);
	ck_assert_uint_eq(notes.n, 0);
	ck_assert(t.has_sockstat);
	ck_assert_uint_eq(t.sockets_used, 125061);
	ck_assert_uint_eq(t.tcp_inuse, 100031);
	ck_assert_uint_eq(t.tcp_orphan, 25000);
	ck_assert_uint_eq(t.tcp_tw, 0);
	ck_assert_uint_eq(t.tcp_alloc, 100036);
	ck_assert_uint_eq(t.tcp_mem_pages, 75730);
	ck_assert_uint_eq(t.udp_inuse, 2);
	ck_assert_uint_eq(t.raw_inuse, 1);
	ck_assert_uint_eq(t.tcp6_inuse, 4);
	ck_assert_uint_eq(t.udp6_inuse, 3);
	ck_assert_uint_eq(t.frag6_inuse, 1);
	ck_assert_uint_eq(t.frag6_memory_bytes, 1024);
	buf_free(&b);
	tcpmem_free(&t);
}
END_TEST

START_TEST(test_sockstat_garbled)
{
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct buf b = { 0 };

	read_file("bad/sockstat-garbled", &b);
	ck_assert_int_eq(tcpmem_parse_sockstat(b.data, b.len, "sockstat", &t, &notes), 0);
	ck_assert_uint_eq(t.sockets_used, 0);
	ck_assert_uint_eq(t.tcp_inuse, 5);
	ck_assert_uint_eq(t.tcp_tw, 0);
	ck_assert_uint_eq(t.udp_inuse, 7);
	ck_assert_uint_eq(t.udp_mem_pages, 3);
	ck_assert_uint_eq(notes.n, 3);
	ck_assert_uint_eq(notes.v[0].line, 1);
	ck_assert_str_eq(notes.v[0].msg, "sockets used: number out of range");
	ck_assert_uint_eq(notes.v[1].line, 2);
	ck_assert_uint_eq(notes.v[2].line, 3);
	ck_assert_str_eq(notes.v[2].msg, "TCP orphan: no number");
	ck_assert_str_eq(notes.v[2].source, "sockstat");
	notes_free(&notes);

	ck_assert_int_eq(tcpmem_parse_sockstat("", 0, "sockstat", &t, &notes), -EINVAL);
	ck_assert_uint_eq(notes.n, 1);
	notes_free(&notes);
	buf_free(&b);
	tcpmem_free(&t);
}
END_TEST

START_TEST(test_counters)
{
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

	ck_assert_uint_eq(counter(&t, "TcpExt:PruneCalled"), 12);
	ck_assert_uint_eq(counter(&t, "TcpExt:TCPAbortOnMemory"), 7);
	ck_assert_uint_eq(counter(&t, "TcpExt:TCPMemoryPressures"), 3);
	ck_assert_uint_eq(counter(&t, "TcpExt:TCPMemoryPressuresChrono"), 4518);
	ck_assert_uint_eq(counter(&t, "TcpExt:TCPAbortOnClose"), 144107);
	ck_assert_uint_eq(counter(&t, "TcpExt:TW"), 11);
	ck_assert_uint_eq(counter(&t, "IpExt:InOctets"), 19374935);
	ck_assert_uint_eq(counter(&t, "Tcp:CurrEstab"), 100031);
	ck_assert_uint_eq(counter(&t, "Tcp:RtoMax"), 120000);
	ck_assert_uint_eq(counter(&t, "Udp:RcvbufErrors"), 5);
	ck_assert_uint_eq(counter(&t, "IcmpMsg:InType3"), 1);
	ck_assert_uint_eq(counter(&t, "Tcp:MaxConn"), UINT64_MAX);
	ck_assert(!tcpmem_counter(&t, "TcpExt:TCPOrphans", &(uint64_t){ 0 }));
	ck_assert(!tcpmem_counter(&t, "TCPAbortOnMemory", &(uint64_t){ 0 }));
	for (size_t i = 0; i < t.ncounters; i++)
		ck_assert(t.counters[i].negative == (strcmp(t.counters[i].name, "Tcp:MaxConn") == 0));
	buf_free(&b);
	tcpmem_free(&t);
}
END_TEST

START_TEST(test_counters_mismatch)
{
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct buf b = { 0 };

	read_file("bad/netstat-mismatch", &b);
	ck_assert_int_eq(tcpmem_parse_counters(b.data, b.len, "netstat", &t, &notes), 0);
	ck_assert_uint_eq(t.ncounters, 18 + 76);
	ck_assert(!tcpmem_counter(&t, "TcpExt:PruneCalled", &(uint64_t){ 0 }));
	ck_assert_uint_eq(counter(&t, "IpExt:InOctets"), 19374935);
	ck_assert_uint_eq(notes.n, 1);
	ck_assert_str_eq(notes.v[0].source, "netstat");
	ck_assert_uint_eq(notes.v[0].line, 2);
	ck_assert_str_eq(notes.v[0].msg, "TcpExt: 135 names but 134 values, group skipped");
	notes_free(&notes);
	tcpmem_free(&t);

	read_file("bad/netstat-truncated", &b);
	ck_assert_int_eq(tcpmem_parse_counters(b.data, b.len, "netstat", &t, &notes), 0);
	ck_assert_uint_eq(t.ncounters, 18);
	/* The values line was cut: held back, so its names have no values. */
	ck_assert_uint_eq(notes.n, 2);
	ck_assert_uint_eq(notes.v[0].line, 4);
	ck_assert_str_eq(notes.v[0].msg, "last line has no newline (truncated), ignored");
	ck_assert_uint_eq(notes.v[1].line, 3);
	ck_assert_str_eq(notes.v[1].msg, "TcpExt: names without values");
	notes_free(&notes);
	tcpmem_free(&t);

	read_file("bad/netstat-headeronly", &b);
	ck_assert_int_eq(tcpmem_parse_counters(b.data, b.len, "netstat", &t, &notes), 0);
	ck_assert_uint_eq(t.ncounters, 18);
	ck_assert_uint_eq(notes.n, 1);
	ck_assert_uint_eq(notes.v[0].line, 3);
	ck_assert_str_eq(notes.v[0].msg, "TcpExt: names without values");
	notes_free(&notes);
	tcpmem_free(&t);

	/* A header followed by another group's header. */
	ck_assert_int_eq(tcpmem_parse_counters("A: x\nB: y\nB: 5\n", 15, "snmp", &t, &notes), 0);
	ck_assert_uint_eq(t.ncounters, 1);
	ck_assert_uint_eq(counter(&t, "B:y"), 5);
	ck_assert_uint_eq(notes.n, 1);
	ck_assert_str_eq(notes.v[0].msg, "A: names without values");
	notes_free(&notes);
	tcpmem_free(&t);

	ck_assert_int_eq(tcpmem_parse_counters("", 0, "snmp", &t, &notes), -EINVAL);
	ck_assert_int_eq(tcpmem_parse_counters("garbage\n\x01", 9, "snmp", &t, &notes), -EINVAL);
	notes_free(&notes);
	buf_free(&b);
	tcpmem_free(&t);
}
END_TEST

START_TEST(test_counters_overflow)
{
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct buf b = { 0 };

	read_file("bad/snmp-overflow", &b);
	ck_assert_int_eq(tcpmem_parse_counters(b.data, b.len, "snmp", &t, &notes), 0);
	ck_assert_uint_eq(t.ncounters, 83 - 2);
	ck_assert(!tcpmem_counter(&t, "Tcp:InSegs", &(uint64_t){ 0 }));
	ck_assert(!tcpmem_counter(&t, "Tcp:OutSegs", &(uint64_t){ 0 }));
	ck_assert_uint_eq(counter(&t, "Tcp:RetransSegs"), 0);
	ck_assert_uint_eq(counter(&t, "Tcp:OutRsts"), 11);
	ck_assert_uint_eq(notes.n, 2);
	ck_assert_uint_eq(notes.v[0].line, 8);
	ck_assert_str_eq(notes.v[0].msg, "Tcp:InSegs: number out of range, skipped");
	ck_assert_str_eq(notes.v[1].msg, "Tcp:OutSegs: not a number, skipped");
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

START_TEST(test_protocols)
{
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct buf b = { 0 };
	const char *no = "protocol  size sockets  memory press maxhdr\n"
			 "TCPv6 2432 0 0 yes 192\nTCP 2304 1 0 no 192\n";

	read_file("proc/net/protocols", &b);
	ck_assert_int_eq(tcpmem_parse_protocols(b.data, b.len, "protocols", &t, &notes), 0);
	ck_assert(t.has_pressure_flag);
	ck_assert(t.under_pressure);
	ck_assert_int_eq(tcpmem_parse_protocols(no, strlen(no), "protocols", &t, &notes), 0);
	ck_assert(t.has_pressure_flag);
	ck_assert(!t.under_pressure);
	ck_assert_uint_eq(notes.n, 0);

	memset(&t, 0, sizeof(t));
	read_file("bad/protocols-nopress", &b);
	ck_assert_int_eq(tcpmem_parse_protocols(b.data, b.len, "protocols", &t, &notes), -EINVAL);
	ck_assert(!t.has_pressure_flag);
	ck_assert_uint_eq(notes.n, 1);
	ck_assert_str_eq(notes.v[0].msg, "no 'press' column");
	notes_free(&notes);
	ck_assert_int_eq(tcpmem_parse_protocols("protocol press\nUDP NI\n", 22, "protocols", &t,
						&notes), -EINVAL);
	ck_assert_str_eq(notes.v[0].msg, "no TCP row");
	notes_free(&notes);
	ck_assert_int_eq(tcpmem_parse_protocols("protocol press\nTCP\n", 19, "protocols", &t,
						&notes), -EINVAL);
	ck_assert_str_eq(notes.v[0].msg, "TCP: press is ''");
	ck_assert(!t.has_pressure_flag);
	notes_free(&notes);
	buf_free(&b);
}
END_TEST

START_TEST(test_sample_fixture)
{
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct root r;

	ck_assert_int_eq(root_open(&r, TCP_DIR), 0);
	tcpmem_sample(&r, &t, &notes);
	ck_assert_uint_eq(notes.n, 0);
	ck_assert(t.has_sockstat);
	ck_assert_uint_eq(t.tcp_mem_pages, 75730);
	ck_assert_uint_eq(t.tcp_mem_bytes, 75730ull * (uint64_t)root_page_size(&r));
	ck_assert_uint_eq(t.tcp6_inuse, 4);
	ck_assert(t.has_tcp_mem);
	ck_assert_uint_eq(t.tcp_mem_min, 287901);
	ck_assert_uint_eq(t.tcp_mem_pressure, 383868);
	ck_assert_uint_eq(t.tcp_mem_max, 575802);
	ck_assert(t.has_rmem && t.has_wmem);
	ck_assert_uint_eq(t.tcp_rmem[0], 4096);
	ck_assert_uint_eq(t.tcp_rmem[1], 131072);
	ck_assert_uint_eq(t.tcp_rmem[2], 33554432);
	ck_assert_uint_eq(t.tcp_wmem[2], 4194304);
	ck_assert(t.has_max_orphans);
	ck_assert_uint_eq(t.tcp_max_orphans, 131072);
	ck_assert(t.has_pressure_flag && t.under_pressure);
	ck_assert_uint_eq(t.ncounters, 312);
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
	struct tcpmem t = { 0 };
	struct notes notes = { 0 };
	struct root r;

	ck_assert_int_eq(root_open(&r, FIXTURES_DIR "/procs"), 0);
	tcpmem_sample(&r, &t, &notes);
	ck_assert(!t.has_sockstat && !t.has_tcp_mem && !t.has_pressure_flag);
	ck_assert_uint_eq(t.ncounters, 0);
	ck_assert(notes_is_missing(&notes, "sockstat"));
	ck_assert(notes_is_missing(&notes, "sockstat6"));
	ck_assert(notes_is_missing(&notes, "tcp_mem"));
	ck_assert(notes_is_missing(&notes, "tcp_max_orphans"));
	ck_assert(notes_is_missing(&notes, "protocols"));
	ck_assert(notes_is_missing(&notes, "netstat"));
	ck_assert(notes_is_missing(&notes, "snmp"));
	ck_assert_str_eq(notes_find(&notes, "netstat")->msg, "not present on this kernel");
	ck_assert(notes_is_missing(&notes, "tcp"));
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
	tcase_add_test(tc, test_sockstat);
	tcase_add_test(tc, test_sockstat_garbled);
	tcase_add_test(tc, test_counters);
	tcase_add_test(tc, test_counters_mismatch);
	tcase_add_test(tc, test_counters_overflow);
	tcase_add_test(tc, test_counters_enormous);
	tcase_add_test(tc, test_protocols);
	tcase_add_test(tc, test_sample_fixture);
	tcase_add_test(tc, test_sample_missing);
	tcase_add_test(tc, test_sample_live);
	suite_add_tcase(s, tc);
	return s;
}
