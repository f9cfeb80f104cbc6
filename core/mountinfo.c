/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "mountinfo.h"

#include <errno.h>
#include <string.h>

#include "compat.h"
#include "xalloc.h"

char *mountinfo_decode(const struct parse_word *w)
{
	const char *s = w->s;
	size_t n = w->n;
	char *out = xmalloc(n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			*o++ = (char)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 +
				      (s[i + 3] - '0'));
			i += 3;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

static int parse_dev(const struct parse_word *w, unsigned int *maj, unsigned int *min)
{
	const char *p = w->s, *end = w->s + w->n;
	uint64_t a, b;

	if (parse_u64(&p, end, 10, &a) || p >= end || *p != ':')
		return -EINVAL;
	p++;
	if (parse_u64(&p, end, 10, &b) || p != end || a > UINT32_MAX || b > UINT32_MAX)
		return -EINVAL;
	*maj = (unsigned int)a;
	*min = (unsigned int)b;
	return 0;
}

int mountinfo_parse_line(const char *line, const char *end, unsigned int lineno,
			 const char *source, struct mountinfo_line *out, struct notes *notes)
{
	struct parse_word w[64];
	size_t nw, sep;

	memset(out, 0, sizeof(*out));
	nw = parse_split_words(line, end, w, ARRAY_SIZE(w));
	for (sep = 6; sep < nw; sep++)
		if (w[sep].n == 1 && w[sep].s[0] == '-')
			break;
	if (sep + 1 >= nw) {
		notes_add(notes, NOTE_WARN, source, lineno,
			  "expected 6 fields, ' - ' and a filesystem type");
		return -EINVAL;
	}
	if (parse_dev(&w[2], &out->dev_major, &out->dev_minor) || w[4].s[0] != '/') {
		notes_add(notes, NOTE_WARN, source, lineno, "bad device or mount point");
		return -EINVAL;
	}
	out->root = w[3];
	out->mountpoint = w[4];
	out->fstype = w[sep + 1];
	if (sep + 2 < nw)
		out->source = w[sep + 2];
	if (sep + 3 < nw)
		out->super_opts = w[sep + 3];
	return 0;
}

bool mountinfo_has_opt(const struct parse_word *w, const char *opt)
{
	size_t len = strlen(opt);
	const char *p = w->s, *end;

	if (!w->n)
		return false;	/* no such field: s may be NULL */
	end = w->s + w->n;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);

		if (n == len && memcmp(p, opt, n) == 0)
			return true;
		p += n + 1;
	}
	return false;
}
