/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "json.h"

#include <assert.h>
#include <math.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "strsafe.h"
#include "xalloc.h"

void json_init(struct json *j, FILE *f)
{
	memset(j, 0, sizeof(*j));
	j->f = f;
	j->first[0] = true;
}

/* s is strsafe output: printable UTF-8, so only '"' and '\\' need escaping;
 * a control byte that gets here anyway still leaves valid JSON. */
static void put_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	while (*s) {
		size_t run = 0;
		unsigned char c;

		/* Runs that need no escape in one write: a locked fputc per
		 * byte was a tenth of a batch sample's CPU. */
		while ((unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\')
			run++;
		fwrite(s, 1, run, f);
		s += run;
		if (!*s)
			break;
		c = (unsigned char)*s++;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else
			fprintf(f, "\\u%04x", c);
	}
	fputc('"', f);
}

static void put_sanitized(FILE *f, const char *s, size_t len)
{
	char small[256];
	size_t cap = len * 4 + 1;
	char *safe = cap <= sizeof(small) ? small : xmalloc(cap);

	strsafe_escape(s, len, safe, cap);
	put_escaped(f, safe);
	if (safe != small)
		free(safe);
}

/* Keys are sanitized too: some come from the system (meminfo lines,
 * netstat counters, note sources). */
static void member(struct json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
	if (key) {
		put_sanitized(j->f, key, strlen(key));
		fputc(':', j->f);
	}
}

static void open_level(struct json *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->f);
	assert(j->depth + 1 < JSON_MAX_DEPTH);
	j->first[++j->depth] = true;
}

static void close_level(struct json *j, char c)
{
	assert(j->depth > 0);
	j->depth--;
	fputc(c, j->f);
}

void json_object_begin(struct json *j, const char *key)
{
	open_level(j, key, '{');
}

void json_object_end(struct json *j)
{
	close_level(j, '}');
}

void json_array_begin(struct json *j, const char *key)
{
	open_level(j, key, '[');
}

void json_array_end(struct json *j)
{
	close_level(j, ']');
}

void json_u64(struct json *j, const char *key, uint64_t v)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, v);
}

void json_i64(struct json *j, const char *key, int64_t v)
{
	member(j, key);
	fprintf(j->f, "%" PRId64, v);
}

void json_double(struct json *j, const char *key, double v)
{
	member(j, key);
	if (isfinite(v))
		fprintf(j->f, "%.3f", v);
	else
		fputs("null", j->f);
}

void json_bool(struct json *j, const char *key, bool v)
{
	member(j, key);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j, const char *key)
{
	member(j, key);
	fputs("null", j->f);
}

void json_str(struct json *j, const char *key, const char *s)
{
	json_str_raw(j, key, s, strlen(s));
}

void json_str_raw(struct json *j, const char *key, const char *s, size_t len)
{
	member(j, key);
	put_sanitized(j->f, s, len);
}

void json_text(struct json *j, const char *key, const char *safe)
{
	member(j, key);
	put_escaped(j->f, safe);
}
