/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scalar parsing, line iteration, the sanitizer and whole-file reads. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "hash.h"
#include "meminfo.h"
#include "notes.h"
#include "parse.h"
#include "procnet.h"
#include "slabinfo.h"
#include "strsafe.h"
#include "suites.h"
#include "tcpmem.h"
#include "tmpfs.h"
#include "vmalloc.h"

/* parse_u64 over [text, text + len): the value, what stops it, and a
 * value left alone on an error. */
static const struct {
	const char *text;
	size_t len;		/* 0: all of text */
	int base;
	int ret;
	uint64_t v;		/* on error: the value must stay 7 */
	const char *rest;	/* where parsing stopped; NULL: not checked */
} u64_cases[] = {
	{ "  18446744073709551615 rest", 0, 10, 0, UINT64_MAX, " rest" },
	{ "18446744073709551616", 0, 10, -ERANGE, 7, "" },
	{ "  kB", 0, 10, -EINVAL, 7, NULL },
	{ "0x0100007F:1F90", 0, 16, 0, 0x0100007f, ":1F90" },
	{ "12345", 3, 10, 0, 123, "45" },
};

START_TEST(test_u64)
{
	const char *s = u64_cases[_i].text, *p = s;
	size_t len = u64_cases[_i].len ? u64_cases[_i].len : strlen(s);
	uint64_t v = 7;

	ck_assert_int_eq(parse_u64(&p, s + len, u64_cases[_i].base, &v), u64_cases[_i].ret);
	ck_assert_uint_eq(v, u64_cases[_i].v);
	if (u64_cases[_i].rest)
		ck_assert_str_eq(p, u64_cases[_i].rest);
}
END_TEST

START_TEST(test_s64)
{
	const char *s = "-9223372036854775808", *p = s;
	int64_t v;

	ck_assert_int_eq(parse_s64(&p, s + strlen(s), &v), 0);
	ck_assert(v == INT64_MIN);
	s = "9223372036854775808";
	p = s;
	ck_assert_int_eq(parse_s64(&p, s + strlen(s), &v), -ERANGE);
}
END_TEST

/* Complete lines only: a cut last line is held back and located. */
static const struct {
	const char *text;
	unsigned int lines;	/* complete lines returned */
	size_t last_len;	/* length of the last one returned */
	unsigned int cut;	/* truncated_line */
} line_cases[] = {
	{ "a\n\nbc\n", 3, 2, 0 },
	{ "a\n\nbc", 2, 0, 3 },
	{ "a\n  \t", 1, 1, 0 },	/* trailing blanks are no line */
	{ "abc", 0, 0, 1 },
	{ "", 0, 0, 0 },
};

START_TEST(test_lines)
{
	const char *s = line_cases[_i].text, *l = NULL, *e = NULL;
	struct notes ns = { 0 };
	struct line_iter it;
	unsigned int n = 0;

	line_iter_init(&it, s, strlen(s));
	while (line_iter_next(&it, &l, &e))
		n++;
	ck_assert_uint_eq(n, line_cases[_i].lines);
	ck_assert_uint_eq(it.lineno, n);
	if (n)
		ck_assert_uint_eq((size_t)(e - l), line_cases[_i].last_len);
	ck_assert_uint_eq(it.truncated_line, line_cases[_i].cut);
	ck_assert(!line_iter_next(&it, &l, &e));
	ck_assert_int_eq(line_iter_note_truncated(&it, &ns, "f"), line_cases[_i].cut != 0);
	ck_assert_uint_eq(ns.n, line_cases[_i].cut != 0);
	if (ns.n)
		ck_assert_uint_eq(ns.v[0].line, line_cases[_i].cut);
	notes_free(&ns);
}
END_TEST

START_TEST(test_key_value)
{
	const char *s = "Active(anon):      32460 kB";
	char key[32];
	uint64_t v;
	bool kb;

	ck_assert_int_eq(parse_key_value(s, s + strlen(s), key, sizeof(key), &v, &kb), 0);
	ck_assert_str_eq(key, "Active(anon)");
	ck_assert_uint_eq(v, 32460);
	ck_assert(kb);
	s = "HugePages_Total:       0";
	ck_assert_int_eq(parse_key_value(s, s + strlen(s), key, sizeof(key), &v, &kb), 0);
	ck_assert(!kb);
	s = "no colon here";
	ck_assert_int_eq(parse_key_value(s, s + strlen(s), key, sizeof(key), &v, &kb), -ENOMSG);
}
END_TEST

START_TEST(test_strsafe_escapes_controls)
{
	const char in[] = "a\x1b]0;pwn\x07" "b\\c\x9b" "d\xc2\x9b";
	char out[64];

	strsafe_escape(in, sizeof(in) - 1, out, sizeof(out));
	ck_assert_str_eq(out, "a\\x1b]0;pwn\\x07b\\\\c\\x9bd\\xc2\\x9b");
}
END_TEST

START_TEST(test_strsafe_keeps_utf8)
{
	const char in[] = "caf\xc3\xa9 \xe5\x86\x85";
	char out[64];

	strsafe_escape(in, sizeof(in) - 1, out, sizeof(out));
	ck_assert_str_eq(out, in);
}
END_TEST

START_TEST(test_strsafe_nul_and_truncation)
{
	const char in[] = "\0abstract";
	char out[8];

	strsafe_escape(in, sizeof(in) - 1, out, sizeof(out));
	/* "\x00" (4) + "abs" (3) fits in 7 + NUL; an escape is never cut. */
	ck_assert_str_eq(out, "\\x00abs");
	strsafe_escape("\x01\x02", 2, out, 6);
	ck_assert_str_eq(out, "\\x01");
}
END_TEST

START_TEST(test_buf_readat_limits)
{
	char path[] = "/tmp/leaktop-buf-XXXXXX";
	int fd = mkstemp(path);
	struct buf b = { 0 };
	char chunk[1000];

	ck_assert_int_ge(fd, 0);
	memset(chunk, 'x', sizeof(chunk));
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(write(fd, chunk, sizeof(chunk)), (int)sizeof(chunk));
	close(fd);
	ck_assert_int_eq(buf_readat(AT_FDCWD, path, &b, 0), 0);
	ck_assert_uint_eq(b.len, 100000);
	ck_assert_int_eq(b.data[b.len], '\0');
	ck_assert_int_eq(buf_readat(AT_FDCWD, path, &b, 4096), -EFBIG);
	ck_assert_uint_eq(b.len, 4096);
	unlink(path);
	ck_assert_int_eq(buf_readat(AT_FDCWD, path, &b, 0), -ENOENT);
	ck_assert_uint_eq(b.len, 0);
	buf_free(&b);
}
END_TEST

START_TEST(test_notes_cap)
{
	struct notes ns = { 0 };

	for (int i = 0; i < NOTES_MAX + 10; i++)
		notes_add(&ns, NOTE_WARN, "x", (unsigned int)i + 1, "bad %d", i);
	ck_assert_uint_eq(ns.n, NOTES_MAX);
	ck_assert_uint_eq(ns.dropped, 10);
	/* Past the cap warnings are counted, a missing source is still kept:
	 * views must say "missing", never show the section as zeros. */
	notes_missing_errno(&ns, "slabinfo", EACCES);
	ck_assert(notes_is_missing(&ns, "slabinfo"));
	ck_assert_uint_eq(ns.n, NOTES_MAX + 1);
	notes_add(&ns, NOTE_WARN, "x", 1, "one more");
	ck_assert_uint_eq(ns.dropped, 11);
	ck_assert_str_eq(notes_find(&ns, "slabinfo")->msg,
			 geteuid() ? "permission denied (needs root)" : "not permitted, even to root");
	notes_free(&ns);
}
END_TEST

/* Published FNV-1a 64 test vectors. */
START_TEST(test_hash_fnv1a)
{
	ck_assert_uint_eq(hash_str("", HASH_INIT), 0xcbf29ce484222325ULL);
	ck_assert_uint_eq(hash_str("a", HASH_INIT), 0xaf63dc4c8601ec8cULL);
	ck_assert_uint_eq(hash_str("foobar", HASH_INIT), 0x85944171f73967e8ULL);
	ck_assert_uint_eq(hash_bytes("foo", 3, hash_str("", HASH_INIT)), hash_str("foo", HASH_INIT));
}
END_TEST

/* Every parser over the one line iterator: the same file cut inside its
 * last line loses that line's record, and says so at that line. Each run
 * returns how many records it took. */
static int run_meminfo(const char *b, size_t n, struct notes *ns)
{
	struct meminfo mi;
	int r = meminfo_parse(b, n, "f", &mi, ns) < 0 ? -1 : (int)mi.n;

	meminfo_free(&mi);
	return r;
}

static int run_slabinfo(const char *b, size_t n, struct notes *ns)
{
	struct slab_table t;
	int r = slabinfo_parse(b, n, "f", 4096, &t, ns) < 0 ? -1 : (int)t.n;

	slab_table_free(&t);
	return r;
}

static int run_vmalloc(const char *b, size_t n, struct notes *ns)
{
	struct vmalloc_table t;
	int r = vmallocinfo_parse(b, n, "f", 4096, &t, ns) < 0 ? -1 : (int)t.n;

	vmalloc_table_free(&t);
	return r;
}

static int run_mountinfo(const char *b, size_t n, struct notes *ns)
{
	struct tmpfs_table t;
	int r = tmpfs_parse_mountinfo(b, n, "f", &t, ns) < 0 ? -1 : (int)t.n;

	tmpfs_table_free(&t);
	return r;
}

static int run_tcp(const char *b, size_t n, struct notes *ns)
{
	struct sock_table t = { 0 };
	int r = procnet_parse_inet(b, n, "f", SK_TCP, AF_INET, &t, ns);

	sock_table_free(&t);
	return r;
}

static int run_unix(const char *b, size_t n, struct notes *ns)
{
	struct sock_table t = { 0 };
	int r = procnet_parse_unix(b, n, "f", &t, ns);

	sock_table_free(&t);
	return r;
}

static int run_netstat(const char *b, size_t n, struct notes *ns)
{
	struct tcpmem t;
	int r;

	memset(&t, 0, sizeof(t));
	r = tcpmem_parse_counters(b, n, "f", &t, ns) < 0 ? -1 : (int)t.ncounters;
	tcpmem_free(&t);
	return r;
}

static int run_sockstat(const char *b, size_t n, struct notes *ns)
{
	struct tcpmem t;
	bool tcp;

	memset(&t, 0, sizeof(t));
	tcpmem_parse_sockstat(b, n, "f", &t, ns);
	tcp = t.tcp_inuse == 7;
	tcpmem_free(&t);
	/* Two records: "sockets", and TCP, the line that gets cut. */
	return tcp ? 2 : 1;
}

static const struct {
	const char *name, *text;
	int (*run)(const char *b, size_t n, struct notes *ns);
	int full;		/* records of the whole text */
	int lost;		/* records lost when the last line is cut */
	unsigned int last;	/* line number of the last line */
} cut_cases[] = {
	{ "meminfo", "MemTotal: 100 kB\nMemFree: 50 kB\nCached: 1234 kB\n", run_meminfo, 3, 1, 3 },
	{ "slabinfo",
	  "slabinfo - version: 2.1\n"
	  "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
	  "kmalloc-64 100 128 64 64 1 : tunables 0 0 0 : slabdata 2 2 0\n"
	  "TCP 20 24 2432 13 8 : tunables 0 0 0 : slabdata 2 2 0\n",
	  run_slabinfo, 2, 1, 4 },
	{ "vmallocinfo",
	  "0x1-0x2 8192 a+0x1/0x2 pages=1 vmalloc\n0x3-0x4 16384 b+0x1/0x2 pages=3 vmalloc\n",
	  run_vmalloc, 2, 1, 2 },
	{ "mountinfo",
	  "22 1 0:21 / /dev/shm rw - tmpfs tmpfs rw\n"
	  "23 1 0:22 / /run rw,nosuid - tmpfs tmpfs rw,size=1024k\n",
	  run_mountinfo, 2, 1, 2 },
	{ "net/tcp",
	  "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	  "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 101 1\n"
	  "   1: 0100007F:1F91 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 102 1\n",
	  run_tcp, 2, 1, 3 },
	{ "net/unix",
	  "Num       RefCount Protocol Flags    Type St Inode Path\n"
	  "0000000000000000: 00000002 00000000 00010000 0001 01 1133780 /tmp/a.sock\n"
	  "0000000000000000: 00000002 00000000 00000000 0001 03 1133781 /tmp/b.sock\n",
	  run_unix, 2, 1, 3 },
	{ "net/netstat", "TcpExt: A B\nTcpExt: 1 2\nIpExt: C D\nIpExt: 3 4\n", run_netstat, 4, 2, 4 },
	{ "net/sockstat", "sockets: used 5\nTCP: inuse 7 orphan 3 tw 2 alloc 9 mem 5\n", run_sockstat,
	  2, 1, 2 },
};

START_TEST(test_cut_last_line)
{
	const char *text = cut_cases[_i].text;
	size_t len = strlen(text);
	struct notes ns = { 0 };
	int got;

	ck_assert_int_eq(cut_cases[_i].run(text, len, &ns), cut_cases[_i].full);
	ck_assert_msg(ns.n == 0, "%s: %s", cut_cases[_i].name, ns.n ? ns.v[0].msg : "");
	/* Cut three bytes before the end: inside the last number or path. */
	got = cut_cases[_i].run(text, len - 3, &ns);
	ck_assert_msg(got == cut_cases[_i].full - cut_cases[_i].lost, "%s: %d records",
		      cut_cases[_i].name, got);
	ck_assert_uint_ge(ns.n, 1);
	ck_assert_uint_eq(ns.v[0].line, cut_cases[_i].last);
	ck_assert_str_eq(ns.v[0].msg, "last line has no newline (truncated), ignored");
	notes_free(&ns);
}
END_TEST

Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_u64, 0, (int)ARRAY_SIZE(u64_cases));
	tcase_add_test(tc, test_s64);
	tcase_add_loop_test(tc, test_lines, 0, (int)ARRAY_SIZE(line_cases));
	tcase_add_test(tc, test_key_value);
	tcase_add_test(tc, test_strsafe_escapes_controls);
	tcase_add_test(tc, test_strsafe_keeps_utf8);
	tcase_add_test(tc, test_strsafe_nul_and_truncation);
	tcase_add_test(tc, test_buf_readat_limits);
	tcase_add_test(tc, test_notes_cap);
	tcase_add_test(tc, test_hash_fnv1a);
	tcase_add_loop_test(tc, test_cut_last_line, 0, (int)ARRAY_SIZE(cut_cases));
	suite_add_tcase(s, tc);
	return s;
}
