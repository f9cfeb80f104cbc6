/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Strict scalar parsing and line iteration over in-memory text. Every parser
 * in core/ is built on these, so overflow, garbage and missing digits are
 * handled the same way everywhere.
 */
#ifndef LEAKTOP_PARSE_H
#define LEAKTOP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes.h"

/*
 * Parse an unsigned decimal (base 10) or hexadecimal (base 16, optional 0x)
 * number at *p, skipping leading blanks. On success stores it, advances *p
 * past the digits and returns 0. Returns -EINVAL if there are no digits and
 * -ERANGE on overflow (*p then points past the digits anyway).
 */
int parse_u64(const char **p, const char *end, int base, uint64_t *out);
/* Signed decimal; same contract. */
int parse_s64(const char **p, const char *end, int64_t *out);

/* Skip blanks (space, tab). */
const char *parse_skip_blank(const char *p, const char *end);
/* Copy the next whitespace-delimited word into out (truncated, NUL-terminated).
 * Returns its length in the input (0 if none) and advances *p. */
size_t parse_word(const char **p, const char *end, char *out, size_t outsz);

/* A word of a line, not copied: n bytes at s. */
struct parse_word {
	const char *s;
	size_t n;
};

/* Split [p, end) at blanks (space, tab, CR) into at most max words. Returns
 * how many were found. */
size_t parse_split_words(const char *p, const char *end, struct parse_word *w, size_t max);
/* w is exactly a decimal number (nothing before or after it). */
int parse_word_u64(const struct parse_word *w, uint64_t *v);

/*
 * The one line iterator of every /proc text parser. It returns complete
 * lines only: a file that ends inside a line was cut (a read that raced a
 * change, a file past its size limit, a damaged capture), and the cut line's
 * figures would be wrong, not merely short. That line is held back and
 * truncated_line says where it was.
 */
struct line_iter {
	const char *p, *end;
	unsigned int lineno;		/* 1-based number of the line last returned */
	unsigned int truncated_line;	/* the cut last line, 0 when none */
};

void line_iter_init(struct line_iter *it, const char *buf, size_t len);
/* Next line without its '\n'; false at the end or at a cut last line
 * (trailing blanks without a newline are no line at all). */
bool line_iter_next(struct line_iter *it, const char **line, const char **line_end);
/* After the loop: note a cut last line as a NOTE_WARN at its line, in the
 * same words for every parser. Returns whether there was one. */
bool line_iter_note_truncated(const struct line_iter *it, struct notes *notes,
			      const char *source);
/* The header line of a table file (slabinfo, sysvipc, protocols): false
 * when there is none, noted as the cut line or as "empty". */
bool line_iter_header(struct line_iter *it, const char **line, const char **line_end,
		      struct notes *notes, const char *source);

/*
 * Split "Key:   value [unit]" (meminfo, status, smaps_rollup). key gets the
 * text before ':'; value the number; *has_kb whether a "kB" unit followed.
 * Returns 0, or -EINVAL / -ERANGE as parse_u64, or -ENOMSG when there is no
 * ':' at all.
 */
int parse_key_value(const char *line, const char *end, char *key, size_t keysz,
		    uint64_t *value, bool *has_kb);

/* Saturating helpers for byte arithmetic on kernel counts. */
uint64_t sat_mul_u64(uint64_t a, uint64_t b);
uint64_t sat_add_u64(uint64_t a, uint64_t b);

#endif
