/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "missing.h"

const char *missing_reason(const struct snapshot *s, const char *src, unsigned int needs)
{
	const struct note *n;

	if (!s)
		return "no sample yet";
	if ((s->sections & needs) != needs)
		return "not in this sample (it was taken while another tab was shown)";
	n = notes_find(&s->notes, src);
	if (n && n->kind == NOTE_MISSING)
		return n->msg;
	return NULL;
}
