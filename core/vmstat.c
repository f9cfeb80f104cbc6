/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/vmstat and the per-CPU free page count of /proc/zoneinfo. vmstat is
 * "name value" per line (mm/vmstat.c, vmstat_show); names are added and
 * removed between releases, so everything is kept by name and nothing is
 * looked up by position.
 */
#include "vmstat.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "namevalue.h"
#include "parse.h"

_Static_assert(offsetof(struct vmstat_field, name) == 0, "a row begins with its name");

/* 6.18 prints about 200 lines; thousands is not a vmstat file. */
static const struct nv_layout vmstat_rows = {
	.row_size = sizeof(struct vmstat_field),
	.name_size = sizeof(((struct vmstat_field *)0)->name),
	.max_rows = 2048,
	.what = "name",
};

static bool name_is_sane(const char *k)
{
	if (!*k)
		return false;
	for (const unsigned char *p = (const unsigned char *)k; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* One "name value" line; -EBADMSG for a bad shape, -ERANGE for overflow. */
static int parse_line(const char *line, const char *end, char *name, size_t namesz,
		      uint64_t *value)
{
	const char *p = line;
	size_t wlen = parse_word(&p, end, name, namesz);
	int ret;

	if (!wlen)
		return -EBADMSG;
	if (wlen >= namesz || !name_is_sane(name))
		return -EBADMSG;
	if (p >= end || (*p != ' ' && *p != '\t'))
		return -EBADMSG;
	ret = parse_u64(&p, end, 10, value);
	if (ret == -EINVAL)
		return -EBADMSG;
	if (ret)
		return ret;
	p = parse_skip_blank(p, end);
	if (p < end && *p == '\r')
		p++;
	return p == end ? 0 : -EBADMSG;
}

int vmstat_parse(const char *buf, size_t len, const char *source, struct vmstat *out,
		 struct notes *notes)
{
	struct line_iter it;
	const char *line, *end;
	struct nv_build rows = { 0 };
	struct vmstat_field *f;

	/* out is fresh (zeroed or vmstat_free'd); the pcp part is set apart. */
	out->v = NULL;
	out->n = 0;
	if (!buf)
		len = 0;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &line, &end)) {
		char name[sizeof(out->v->name)];
		uint64_t value;
		int ret;

		if (parse_skip_blank(line, end) == end)
			continue;
		ret = parse_line(line, end, name, sizeof(name), &value);
		if (ret == -ERANGE) {
			notes_add(notes, NOTE_WARN, source, it.lineno, "value of '%s' overflows", name);
			continue;
		}
		if (ret) {
			notes_add(notes, NOTE_WARN, source, it.lineno, "expected 'name value'");
			continue;
		}
		f = nv_append(&vmstat_rows, (void **)&out->v, &out->n, &rows, name, notes,
			      source, it.lineno);
		if (f)
			f->value = value;
	}
	nv_build_free(&rows);
	line_iter_note_truncated(&it, notes, source);
	if (!out->n) {
		notes_add(notes, NOTE_WARN, source, 0, "no usable line");
		return -1;
	}
	return 0;
}

int vmstat_parse_zoneinfo_pcp(const char *buf, size_t len, const char *source,
			      struct vmstat *out, struct notes *notes)
{
	static const char key[] = "count:";
	struct line_iter it;
	const char *line, *end;
	uint64_t sum = 0;
	size_t seen = 0;
	bool bad = false;

	out->has_pcp = false;
	out->pcp_pages = 0;
	if (!buf)
		len = 0;
	line_iter_init(&it, buf, len);
	/* "count:" is printed only inside the pagesets block, once per CPU
	 * and zone (zoneinfo_show_print in mm/vmstat.c). */
	while (line_iter_next(&it, &line, &end)) {
		const char *p = parse_skip_blank(line, end);
		uint64_t v;

		if ((size_t)(end - p) < sizeof(key) - 1 || memcmp(p, key, sizeof(key) - 1))
			continue;
		p += sizeof(key) - 1;
		if (parse_u64(&p, end, 10, &v) || parse_skip_blank(p, end) != end) {
			notes_add(notes, NOTE_WARN, source, it.lineno, "bad pageset count");
			bad = true;
			continue;
		}
		sum = sat_add_u64(sum, v);
		seen++;
	}
	if (line_iter_note_truncated(&it, notes, source))
		bad = true;
	if (!seen || bad) {
		if (!seen)
			notes_add(notes, NOTE_WARN, source, 0, "no pageset count line");
		return -1;
	}
	out->has_pcp = true;
	out->pcp_pages = sum;
	return 0;
}

bool vmstat_get(const struct vmstat *vs, const char *name, uint64_t *out)
{
	const struct vmstat_field *f = vs ? nv_find(&vmstat_rows, vs->v, vs->n, name) : NULL;

	if (!f)
		return false;
	*out = f->value;
	return true;
}

void vmstat_free(struct vmstat *vs)
{
	free(vs->v);
	memset(vs, 0, sizeof(*vs));
}
