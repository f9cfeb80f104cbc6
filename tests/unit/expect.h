/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the table-driven suites share: reading a fixture, writing the files
 * of a tree made for a test, and checking the notes a parser left against a
 * list of expected ones.
 */
#ifndef LEAKTOP_TEST_EXPECT_H
#define LEAKTOP_TEST_EXPECT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "notes.h"
#include "sock.h"

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
/* Write len bytes of data to dir/rel, or to the path rel when dir is NULL,
 * made or emptied: a file of a tree built in a temporary directory. The
 * test fails if it cannot be written whole. */
void write_in(const char *dir, const char *rel, const void *data, size_t len);
/* The same for a NUL-terminated text. */
void write_text_in(const char *dir, const char *rel, const char *text);
/* ns holds exactly the notes of want (at most max entries), in order, all
 * NOTE_WARN from source. */
void expect_notes(const struct notes *ns, const char *source, const struct want_note *want,
		  size_t max);
/* got == want unless want is ANY; what names the figure in the failure. */
void expect_u64(const char *what, uint64_t got, uint64_t want);

/* A figure of a socket in a table row: a member of struct sock_entry by
 * offset and size, or, with size 0, one the entry's flags and helpers give
 * (the name says which: has_rqlen, has_tcpinfo, has_cgroup, mem_bytes). */
struct want_fig {
	const char *name;
	size_t off, size;
	uint64_t value;
};

#define SOCK_FIG(m, v) { #m, offsetof(struct sock_entry, m), sizeof(((struct sock_entry *)0)->m), v }
#define SOCK_DERIVED(name, v) { name, 0, 0, v }

/* What a row expects of one socket of a table; strings NULL, not checked. */
struct want_sock {
	size_t at;		/* index in the table */
	const char *state, *local, *peer;
	struct want_fig figs[32];	/* end at the first without a name */
};

/* t->v[w->at] is in the table and matches w. */
void expect_sock(const struct sock_table *t, const struct want_sock *w);
/* Each of want (at most max; the list ends at the first entry that checks
 * nothing) matches its socket of t. */
void expect_socks(const struct sock_table *t, const struct want_sock *want, size_t max);

/* nice of thread tid of this process (field 19 of its stat; 0: the
 * calling thread), or 100 when it cannot be read. */
int task_nice(pid_t tid);
/* How many threads of this process other than the calling one run at nice
 * want. */
int threads_with_nice(int want);

#endif
