/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "parse.h"

#include <errno.h>
#include <string.h>

const char *parse_skip_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

size_t parse_split_words(const char *p, const char *end, struct parse_word *w, size_t max)
{
	size_t n = 0;

	while (p < end && n < max) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++;
		if (p >= end)
			break;
		w[n].s = p;
		while (p < end && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		w[n].n = (size_t)(p - w[n].s);
		n++;
	}
	return n;
}

static int digit_value(char c, int base)
{
	int v;

	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return v < base ? v : -1;
}

int parse_u64(const char **pp, const char *end, int base, uint64_t *out)
{
	const char *p = parse_skip_blank(*pp, end);
	uint64_t v = 0;
	bool overflow = false;
	const char *start;
	int d;

	if (base == 16 && end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    digit_value(p[2], 16) >= 0)
		p += 2;
	start = p;
	while (p < end && (d = digit_value(*p, base)) >= 0) {
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			overflow = true;
		v = v * (uint64_t)base + (uint64_t)d;
		p++;
	}
	*pp = p;
	if (p == start)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	*out = v;
	return 0;
}

int parse_s64(const char **pp, const char *end, int64_t *out)
{
	const char *p = parse_skip_blank(*pp, end);
	bool neg = false;
	uint64_t v;
	int ret;

	if (p < end && (*p == '-' || *p == '+')) {
		neg = *p == '-';
		p++;
	}
	ret = parse_u64(&p, end, 10, &v);
	*pp = p;
	if (ret)
		return ret;
	if (v > (uint64_t)INT64_MAX + neg)
		return -ERANGE;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

size_t parse_word(const char **pp, const char *end, char *out, size_t outsz)
{
	const char *p = *pp, *w;
	size_t n;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	w = p;
	while (p < end && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	n = (size_t)(p - w);
	if (outsz) {
		size_t c = n < outsz - 1 ? n : outsz - 1;

		memcpy(out, w, c);
		out[c] = '\0';
	}
	*pp = p;
	return n;
}

void line_iter_init(struct line_iter *it, const char *buf, size_t len)
{
	it->p = buf;
	it->end = buf + len;
	it->lineno = 0;
	it->truncated_line = 0;
}

bool line_iter_next(struct line_iter *it, const char **line, const char **line_end)
{
	const char *nl;

	if (it->p >= it->end)
		return false;
	nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
	if (!nl) {
		if (parse_skip_blank(it->p, it->end) != it->end)
			it->truncated_line = it->lineno + 1;
		it->p = it->end;
		return false;
	}
	*line = it->p;
	*line_end = nl;
	it->p = nl + 1;
	it->lineno++;
	return true;
}

bool line_iter_note_truncated(const struct line_iter *it, struct notes *notes,
			      const char *source)
{
	if (!it->truncated_line)
		return false;
	notes_add(notes, NOTE_WARN, source, it->truncated_line,
		  "last line has no newline (truncated), ignored");
	return true;
}

bool line_iter_header(struct line_iter *it, const char **line, const char **line_end,
		      struct notes *notes, const char *source)
{
	if (line_iter_next(it, line, line_end))
		return true;
	if (!line_iter_note_truncated(it, notes, source))
		notes_add(notes, NOTE_WARN, source, 0, "empty");
	return false;
}

int parse_key_value(const char *line, const char *end, char *key, size_t keysz,
		    uint64_t *value, bool *has_kb)
{
	const char *colon = memchr(line, ':', (size_t)(end - line));
	const char *p;
	size_t klen;
	int ret;

	if (!colon)
		return -ENOMSG;
	klen = (size_t)(colon - line);
	if (klen >= keysz)
		klen = keysz - 1;
	memcpy(key, line, klen);
	key[klen] = '\0';
	p = colon + 1;
	ret = parse_u64(&p, end, 10, value);
	if (ret)
		return ret;
	p = parse_skip_blank(p, end);
	*has_kb = end - p >= 2 && p[0] == 'k' && p[1] == 'B';
	return 0;
}

uint64_t sat_mul_u64(uint64_t a, uint64_t b)
{
	uint64_t r;

	if (__builtin_mul_overflow(a, b, &r))
		return UINT64_MAX;
	return r;
}

uint64_t sat_add_u64(uint64_t a, uint64_t b)
{
	uint64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return UINT64_MAX;
	return r;
}

int parse_word_u64(const struct parse_word *w, uint64_t *v)
{
	const char *p = w->s;
	int ret = parse_u64(&p, w->s + w->n, 10, v);

	if (ret == 0 && p != w->s + w->n)
		return -EINVAL;
	return ret;
}
