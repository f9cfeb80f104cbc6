/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "notes.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

void notes_add(struct notes *ns, enum note_kind kind, const char *source, unsigned int line,
	       const char *fmt, ...)
{
	struct note *n;
	va_list ap;

	/* The cap is for warnings: a missing source decides what a view shows
	 * ("-" and the reason, not zeros), and there is one per source. */
	if (kind != NOTE_MISSING && ns->n >= NOTES_MAX) {
		ns->dropped++;
		return;
	}
	xgrow((void **)&ns->v, &ns->cap, ns->n + 1, sizeof(*ns->v));
	n = &ns->v[ns->n++];
	n->kind = kind;
	snprintf(n->source, sizeof(n->source), "%s", source);
	n->line = line;
	va_start(ap, fmt);
	vsnprintf(n->msg, sizeof(n->msg), fmt, ap);
	va_end(ap);
}

const char *notes_errno_reason(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case EACCES:
	case EPERM:
		/* Root can be refused too (an LSM, or a target holding more
		 * capabilities, as PID 1 may); "needs root" would then mislead. */
		return geteuid() == 0 ? "not permitted, even to root" : "permission denied (needs root)";
	case ENOENT:
		return "not present on this kernel";
	case EFBIG:
		return "file too large, not read";
	default:
		return strerror(err);
	}
}

void notes_missing_errno(struct notes *ns, const char *source, int err)
{
	notes_add(ns, NOTE_MISSING, source, 0, "%s", notes_errno_reason(err));
}

const struct note *notes_find(const struct notes *ns, const char *source)
{
	for (size_t i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i].source, source) == 0)
			return &ns->v[i];
	return NULL;
}

bool notes_is_missing(const struct notes *ns, const char *source)
{
	for (size_t i = 0; i < ns->n; i++)
		if (ns->v[i].kind == NOTE_MISSING && strcmp(ns->v[i].source, source) == 0)
			return true;
	return false;
}

void notes_free(struct notes *ns)
{
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

void notes_move(struct notes *dst, struct notes *src)
{
	for (size_t i = 0; i < src->n; i++) {
		const struct note *n = &src->v[i];

		notes_add(dst, n->kind, n->source, n->line, "%s", n->msg);
	}
	dst->dropped += src->dropped;
	notes_free(src);
}
