/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/slabinfo parser (version 2.x; SLUB and SLAB print the same columns).
 * Reads nothing itself: the sampler hands it the text of <proc>/slabinfo.
 * The table comes out sorted by cache name for merge-joins and bsearch.
 * A header of another version rejects the whole file; a bad cache line is
 * skipped with a note naming its line; extra columns after slabdata (SLAB
 * statistics) are ignored.
 */
#include "slabinfo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "xalloc.h"

/* Real systems have a few hundred caches; this bounds a hostile file. */
#define SLABINFO_MAX_CACHES 100000

struct slab_row {
	struct slab_cache c;
	unsigned int line;
};

static bool at_boundary(const char *p, const char *end)
{
	return p == end || *p == ' ' || *p == '\t' || *p == '\r';
}

/* One whitespace-delimited decimal number; "12x" is not a number. */
static int next_u64(const char **p, const char *end, uint64_t *v)
{
	int ret = parse_u64(p, end, 10, v);

	if (ret == 0 && !at_boundary(*p, end))
		return -EINVAL;
	return ret;
}

static bool expect_word(const char **p, const char *end, const char *want)
{
	char w[16];
	size_t n = parse_word(p, end, w, sizeof(w));

	return n == strlen(want) && strcmp(w, want) == 0;
}

static bool name_is_sane(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < ' ' || *p == 0x7f)
			return false;
	return true;
}

/* "slabinfo - version: 2.1" (SLAB with statistics appends " (statistics)"). */
static int check_header(const char *line, const char *end, const char *source,
			struct notes *notes)
{
	static const char prefix[] = "slabinfo - version:";
	size_t plen = sizeof(prefix) - 1;
	const char *p;
	uint64_t major, minor;

	if ((size_t)(end - line) < plen || memcmp(line, prefix, plen) != 0) {
		notes_add(notes, NOTE_WARN, source, 1, "not a slabinfo header");
		return -1;
	}
	p = line + plen;
	if (parse_u64(&p, end, 10, &major) || p >= end || *p != '.' ||
	    (p++, parse_u64(&p, end, 10, &minor))) {
		notes_add(notes, NOTE_WARN, source, 1, "unreadable slabinfo version");
		return -1;
	}
	if (major != 2) {
		notes_add(notes, NOTE_WARN, source, 1,
			  "slabinfo version %llu.%llu not supported (expected 2.x)",
			  (unsigned long long)major, (unsigned long long)minor);
		return -1;
	}
	return 0;
}

/* Reads n numbers; on failure msg says which group failed and how. */
static bool numbers(const char **p, const char *end, uint64_t **v, size_t n, const char *what,
		    char *msg, size_t msgsz)
{
	for (size_t i = 0; i < n; i++) {
		int ret = next_u64(p, end, v[i]);

		if (ret == -ERANGE) {
			snprintf(msg, msgsz, "number too large %s", what);
			return false;
		}
		if (ret) {
			snprintf(msg, msgsz, "expected %zu numbers %s", n, what);
			return false;
		}
	}
	return true;
}

/* Returns true, or false with the reason in msg. */
static bool parse_line(const char *line, const char *end, long page_size, struct slab_cache *c,
		       char *msg, size_t msgsz)
{
	const char *p = line;
	uint64_t t[3];
	uint64_t *head[] = { &c->active_objs, &c->num_objs, &c->objsize, &c->objperslab,
			     &c->pagesperslab };
	uint64_t *tun[] = { &t[0], &t[1], &t[2] };
	uint64_t *data[] = { &c->active_slabs, &c->num_slabs, &t[0] };
	size_t n;

	memset(c, 0, sizeof(*c));
	n = parse_word(&p, end, c->name, sizeof(c->name));
	if (n >= sizeof(c->name)) {
		snprintf(msg, msgsz, "cache name too long");
		return false;
	}
	if (!name_is_sane(c->name)) {
		snprintf(msg, msgsz, "control character in cache name");
		return false;
	}
	if (!numbers(&p, end, head, ARRAY_SIZE(head), "after the name", msg, msgsz))
		return false;
	if (!expect_word(&p, end, ":") || !expect_word(&p, end, "tunables")) {
		snprintf(msg, msgsz, "expected ': tunables'");
		return false;
	}
	if (!numbers(&p, end, tun, ARRAY_SIZE(tun), "after ': tunables'", msg, msgsz))
		return false;
	if (!expect_word(&p, end, ":") || !expect_word(&p, end, "slabdata")) {
		snprintf(msg, msgsz, "expected ': slabdata'");
		return false;
	}
	if (!numbers(&p, end, data, ARRAY_SIZE(data), "after ': slabdata'", msg, msgsz))
		return false;
	c->bytes = sat_mul_u64(sat_mul_u64(c->num_slabs, c->pagesperslab), (uint64_t)page_size);
	c->active_bytes = sat_mul_u64(c->active_objs, c->objsize);
	return true;
}

static int row_cmp(const void *a, const void *b)
{
	const struct slab_row *x = a, *y = b;
	int r = strcmp(x->c.name, y->c.name);

	return r ? r : SPACESHIP(x->line, y->line);
}

int slabinfo_parse(const char *buf, size_t len, const char *source, long page_size,
		   struct slab_table *out, struct notes *notes)
{
	struct slab_row *rows = NULL;
	size_t nrows = 0, cap = 0;
	struct line_iter it;
	const char *line, *end;
	bool capped = false;

	memset(out, 0, sizeof(*out));
	if (page_size <= 0)
		page_size = 4096;
	if (!buf)
		len = 0;
	line_iter_init(&it, buf, len);
	if (!line_iter_header(&it, &line, &end, notes, source))
		return -1;
	if (check_header(line, end, source, notes))
		return -1;
	while (line_iter_next(&it, &line, &end)) {
		struct slab_cache c;
		char err[96];
		const char *q = parse_skip_blank(line, end);

		if (q == end || *q == '#')
			continue;
		if (!parse_line(line, end, page_size, &c, err, sizeof(err))) {
			notes_add(notes, NOTE_WARN, source, it.lineno, "%s", err);
			continue;
		}
		if (nrows >= SLABINFO_MAX_CACHES) {
			if (!capped)
				notes_add(notes, NOTE_WARN, source, it.lineno,
					  "more than %d caches, rest ignored", SLABINFO_MAX_CACHES);
			capped = true;
			continue;
		}
		xgrow((void **)&rows, &cap, nrows + 1, sizeof(*rows));
		rows[nrows].c = c;
		rows[nrows].line = it.lineno;
		nrows++;
	}
	line_iter_note_truncated(&it, notes, source);
	if (nrows)
		qsort(rows, nrows, sizeof(*rows), row_cmp);
	out->v = nrows ? xcalloc(nrows, sizeof(*out->v)) : NULL;
	for (size_t i = 0; i < nrows; i++) {
		if (out->n && strcmp(out->v[out->n - 1].name, rows[i].c.name) == 0) {
			notes_add(notes, NOTE_WARN, source, rows[i].line,
				  "duplicate cache '%s', first line kept", rows[i].c.name);
			continue;
		}
		out->v[out->n++] = rows[i].c;
		out->total_bytes = sat_add_u64(out->total_bytes, rows[i].c.bytes);
		out->total_active_bytes = sat_add_u64(out->total_active_bytes,
						      rows[i].c.active_bytes);
	}
	free(rows);
	if (!out->n) {
		notes_add(notes, NOTE_WARN, source, 0, "no cache line could be parsed");
		return -1;
	}
	return 0;
}

static int find_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct slab_cache *)elem)->name);
}

const struct slab_cache *slab_table_find(const struct slab_table *t, const char *name)
{
	if (!t->n)
		return NULL;
	return bsearch(name, t->v, t->n, sizeof(*t->v), find_cmp);
}

void slab_table_copy(struct slab_table *dst, const struct slab_table *src)
{
	*dst = *src;
	dst->v = NULL;
	if (!src->n)
		return;
	dst->v = xreallocarray(NULL, src->n, sizeof(*src->v));
	memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	for (size_t i = 0; i < src->n; i++) {
		if (src->v[i].merged_with)
			dst->v[i].merged_with = xstrdup(src->v[i].merged_with);
		if (src->v[i].merged_id)
			dst->v[i].merged_id = xstrdup(src->v[i].merged_id);
	}
}

void slab_table_free(struct slab_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].merged_with);
		free(t->v[i].merged_id);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}
