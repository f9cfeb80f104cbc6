/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Scalar parsing, line iteration, the sanitizer and whole-file reads. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "hash.h"
#include "notes.h"
#include "parse.h"
#include "strsafe.h"
#include "suites.h"

START_TEST(test_u64_decimal)
{
	const char *s = "  18446744073709551615 rest", *p = s;
	uint64_t v = 0;

	ck_assert_int_eq(parse_u64(&p, s + strlen(s), 10, &v), 0);
	ck_assert_uint_eq(v, UINT64_MAX);
	ck_assert_str_eq(p, " rest");
}
END_TEST

START_TEST(test_u64_overflow)
{
	const char *s = "18446744073709551616", *p = s;
	uint64_t v = 7;

	ck_assert_int_eq(parse_u64(&p, s + strlen(s), 10, &v), -ERANGE);
	ck_assert_uint_eq(v, 7);
	ck_assert_ptr_eq(p, s + strlen(s));
}
END_TEST

START_TEST(test_u64_nodigits)
{
	const char *s = "  kB", *p = s;
	uint64_t v;

	ck_assert_int_eq(parse_u64(&p, s + strlen(s), 10, &v), -EINVAL);
}
END_TEST

START_TEST(test_u64_hex)
{
	const char *s = "0x0100007F:1F90", *p = s;
	uint64_t v;

	ck_assert_int_eq(parse_u64(&p, s + strlen(s), 16, &v), 0);
	ck_assert_uint_eq(v, 0x0100007f);
	ck_assert_int_eq(*p, ':');
}
END_TEST

START_TEST(test_u64_bounded_by_end)
{
	const char *s = "12345", *p = s;
	uint64_t v;

	ck_assert_int_eq(parse_u64(&p, s + 3, 10, &v), 0);
	ck_assert_uint_eq(v, 123);
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

START_TEST(test_lines)
{
	const char *s = "a\n\nbc", *l, *e;
	struct line_iter it;

	line_iter_init(&it, s, strlen(s));
	ck_assert(line_iter_next(&it, &l, &e));
	ck_assert_int_eq(e - l, 1);
	ck_assert(line_iter_next(&it, &l, &e));
	ck_assert_int_eq(e - l, 0);
	ck_assert(line_iter_next(&it, &l, &e));
	ck_assert_int_eq(e - l, 2);
	ck_assert_uint_eq(it.lineno, 3);
	ck_assert(!line_iter_next(&it, &l, &e));
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

Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_u64_decimal);
	tcase_add_test(tc, test_u64_overflow);
	tcase_add_test(tc, test_u64_nodigits);
	tcase_add_test(tc, test_u64_hex);
	tcase_add_test(tc, test_u64_bounded_by_end);
	tcase_add_test(tc, test_s64);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_key_value);
	tcase_add_test(tc, test_strsafe_escapes_controls);
	tcase_add_test(tc, test_strsafe_keeps_utf8);
	tcase_add_test(tc, test_strsafe_nul_and_truncation);
	tcase_add_test(tc, test_buf_readat_limits);
	tcase_add_test(tc, test_notes_cap);
	tcase_add_test(tc, test_hash_fnv1a);
	suite_add_tcase(s, tc);
	return s;
}
