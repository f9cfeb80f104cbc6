/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/meminfo parser. Reads nothing itself: the sampler hands it the text
 * of <proc>/meminfo. Every well-formed "Key: value [kB]" line is kept in file
 * order, unknown keys included; kB becomes bytes, unit-less lines stay
 * counts. Bad, duplicate and truncated lines are skipped with a located
 * NOTE_WARN; the first occurrence of a key wins.
 */
#include "meminfo.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "namevalue.h"
#include "parse.h"

_Static_assert(offsetof(struct meminfo_field, name) == 0, "a row begins with its name");

/* meminfo has about 60 keys; a file with thousands is not meminfo. */
static const struct nv_layout meminfo_rows = {
	.row_size = sizeof(struct meminfo_field),
	.name_size = sizeof(((struct meminfo_field *)0)->name),
	.max_rows = 1024,
	.what = "key",
};

static bool key_is_sane(const char *k)
{
	if (!*k)
		return false;
	for (const unsigned char *p = (const unsigned char *)k; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return false;
	return true;
}

/* The unit must be "kB" or nothing, and nothing may follow it. */
static int parse_unit(const char *line, const char *end, bool *has_kb)
{
	const char *colon = memchr(line, ':', (size_t)(end - line));
	const char *p = colon + 1;
	uint64_t v;

	if (parse_u64(&p, end, 10, &v) == -EINVAL)
		return -EINVAL;
	p = parse_skip_blank(p, end);
	*has_kb = false;
	if (end - p >= 2 && p[0] == 'k' && p[1] == 'B') {
		*has_kb = true;
		p += 2;
	}
	p = parse_skip_blank(p, end);
	if (p < end && *p == '\r')
		p++;
	return p == end ? 0 : -EBADMSG;
}

int meminfo_parse(const char *buf, size_t len, const char *source, struct meminfo *out,
		  struct notes *notes)
{
	struct line_iter it;
	const char *line, *end;
	struct nv_build rows = { 0 };
	struct meminfo_field *f;

	memset(out, 0, sizeof(*out));
	if (!buf)
		len = 0;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &line, &end)) {
		char key[64];
		uint64_t value;
		bool has_kb;
		int ret;

		if (parse_skip_blank(line, end) == end)
			continue;
		ret = parse_key_value(line, end, key, sizeof(key), &value, &has_kb);
		if (ret == -ENOMSG) {
			notes_add(notes, NOTE_WARN, source, it.lineno, "expected 'Key: value'");
			continue;
		}
		if (ret == -ERANGE) {
			notes_add(notes, NOTE_WARN, source, it.lineno, "value of '%.40s' overflows",
				  key_is_sane(key) ? key : "?");
			continue;
		}
		if (ret) {
			notes_add(notes, NOTE_WARN, source, it.lineno, "no number after ':'");
			continue;
		}
		if (!key_is_sane(key) || strlen(key) >= sizeof(out->v->name)) {
			notes_add(notes, NOTE_WARN, source, it.lineno, "bad key");
			continue;
		}
		if (parse_unit(line, end, &has_kb)) {
			notes_add(notes, NOTE_WARN, source, it.lineno,
				  "unexpected text after the value of '%s'", key);
			continue;
		}
		if (has_kb) {
			if (value > UINT64_MAX / 1024) {
				notes_add(notes, NOTE_WARN, source, it.lineno,
					  "value of '%s' overflows in bytes", key);
				continue;
			}
			value *= 1024;
		}
		f = nv_append(&meminfo_rows, (void **)&out->v, &out->n, &rows, key, notes,
			      source, it.lineno);
		if (f) {
			f->value = value;
			f->is_bytes = has_kb;
		}
	}
	nv_build_free(&rows);
	line_iter_note_truncated(&it, notes, source);
	if (!out->n) {
		notes_add(notes, NOTE_WARN, source, 0, "no usable line");
		return -1;
	}
	return 0;
}

bool meminfo_get(const struct meminfo *mi, const char *name, uint64_t *out)
{
	const struct meminfo_field *f = nv_find(&meminfo_rows, mi->v, mi->n, name);

	if (!f)
		return false;
	*out = f->value;
	return true;
}

void meminfo_free(struct meminfo *mi)
{
	free(mi->v);
	memset(mi, 0, sizeof(*mi));
}
