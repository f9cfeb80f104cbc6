/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Notes: what a sample could not read, and where an input was bad.
 *
 * Every parser and sampler reports problems here instead of failing: a note
 * names its source ("slabinfo", "/proc/1234/fd", "sock_diag tcp"), the line
 * when there is one, and a short message. A note of kind NOTE_MISSING means
 * the whole source is absent from the sample (views show "-" and the reason,
 * never zeros); NOTE_WARN means the source was read but something in it was
 * skipped.
 */
#ifndef LEAKTOP_NOTES_H
#define LEAKTOP_NOTES_H

#include <stdbool.h>
#include <stddef.h>

#include "compat.h"

enum note_kind {
	NOTE_MISSING,	/* the source is absent from this sample */
	NOTE_WARN,	/* read, but part of it was skipped */
};

struct note {
	enum note_kind kind;
	char source[64];	/* "meminfo", "slabinfo", "sock_diag tcp" */
	unsigned int line;	/* 1-based line, 0 when not line-oriented */
	char msg[192];
};

struct notes {
	struct note *v;
	size_t n, cap;
	size_t dropped;		/* notes not kept once max was reached */
};

/* At most this many warnings are kept per list: a garbled 100 MB file must
 * not turn into 100 MB of messages. NOTE_MISSING notes are always kept. */
#define NOTES_MAX 256

void notes_add(struct notes *ns, enum note_kind kind, const char *source, unsigned int line,
	       const char *fmt, ...) ATTR_FORMAT(5, 6);
/* Mark a source missing because of an errno from open/read. */
void notes_missing_errno(struct notes *ns, const char *source, int err);
/* True if source was noted as missing. */
bool notes_is_missing(const struct notes *ns, const char *source);
const struct note *notes_find(const struct notes *ns, const char *source);
/* Append src's notes to dst in order (dst's cap applies; a missing source
 * is never dropped), then free src: a thread's notes joining the sample's. */
void notes_move(struct notes *dst, struct notes *src);
void notes_free(struct notes *ns);
/* EACCES/EPERM: "permission denied (needs root)", or "not permitted, even
 * to root" when running as root; strerror otherwise. */
const char *notes_errno_reason(int err);

#endif
