/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "expect.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

void fixture_load(const char *rel, struct buf *b)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", FIXTURES_DIR, rel);
	ck_assert_msg(buf_readat(AT_FDCWD, path, b, 0) == 0, "cannot read %s", path);
}

void case_input(const char *file, const char *text, struct buf *b)
{
	if (file) {
		fixture_load(file, b);
		return;
	}
	b->len = 0;
	buf_append(b, text, strlen(text));
}

void expect_notes(const struct notes *ns, const char *source, const struct want_note *want,
		  size_t max)
{
	size_t n = 0;

	while (n < max && want[n].msg)
		n++;
	ck_assert_uint_eq(ns->n, n);
	for (size_t i = 0; i < n; i++) {
		ck_assert_str_eq(ns->v[i].source, source);
		ck_assert_uint_eq(ns->v[i].line, want[i].line);
		ck_assert_str_eq(ns->v[i].msg, want[i].msg);
		ck_assert_int_eq(ns->v[i].kind, NOTE_WARN);
	}
}

void expect_u64(const char *what, uint64_t got, uint64_t want)
{
	if (want != ANY)
		ck_assert_msg(got == want, "%s: %llu, expected %llu", what,
			      (unsigned long long)got, (unsigned long long)want);
}
