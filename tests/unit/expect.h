/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the table-driven suites share: reading a fixture and checking the
 * notes a parser left against a list of expected ones.
 */
#ifndef LEAKTOP_TEST_EXPECT_H
#define LEAKTOP_TEST_EXPECT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "notes.h"

/* One expected NOTE_WARN; a list ends at the first entry without msg. */
struct want_note {
	unsigned int line;
	const char *msg;
};

/* In a table row: a figure the fixture does not pin down, not checked. */
#define ANY UINT64_MAX

/* Read FIXTURES_DIR/rel into b; the test fails if it cannot be read. */
void fixture_load(const char *rel, struct buf *b);
/* The input of a table row: FIXTURES_DIR/file, or text when file is NULL. */
void case_input(const char *file, const char *text, struct buf *b);
/* ns holds exactly the notes of want (at most max entries), in order, all
 * NOTE_WARN from source. */
void expect_notes(const struct notes *ns, const char *source, const struct want_note *want,
		  size_t max);
/* got == want unless want is ANY; what names the figure in the failure. */
void expect_u64(const char *what, uint64_t got, uint64_t want);

#endif
