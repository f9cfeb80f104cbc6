/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the table-driven suites share: reading a fixture and checking the
 * notes a parser left against a list of expected ones.
 */
#ifndef LEAKTOP_TEST_EXPECT_H
#define LEAKTOP_TEST_EXPECT_H

#include <stddef.h>

#include "buf.h"
#include "notes.h"

/* One expected NOTE_WARN; a list ends at the first entry without msg. */
struct want_note {
	unsigned int line;
	const char *msg;
};

/* Read FIXTURES_DIR/rel into b; the test fails if it cannot be read. */
void fixture_load(const char *rel, struct buf *b);
/* ns holds exactly the notes of want (at most max entries), in order, all
 * NOTE_WARN from source. */
void expect_notes(const struct notes *ns, const char *source, const struct want_note *want,
		  size_t max);

#endif
