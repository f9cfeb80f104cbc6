/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/meminfo: every "Key: value [kB]" line kept, unknown keys included,
 * values converted to bytes where the kernel gave kB (1 kB = 1024 bytes);
 * unit-less lines (HugePages_*) stay counts. Parsed by key, never by
 * position. See Documentation/filesystems/proc.rst.
 */
#ifndef LEAKTOP_MEMINFO_H
#define LEAKTOP_MEMINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes.h"

struct meminfo_field {
	char name[32];		/* as the kernel spells it: "Active(anon)" */
	uint64_t value;		/* bytes when is_bytes, else a count */
	bool is_bytes;
};

struct meminfo {
	struct meminfo_field *v;	/* in file order */
	size_t n;
};

/* Parse buf. Bad lines are skipped with a NOTE_WARN naming source and line.
 * Returns 0, or -1 when nothing usable was found (empty or garbage). */
int meminfo_parse(const char *buf, size_t len, const char *source, struct meminfo *out,
		  struct notes *notes);
/* Value of a field by name; false when the kernel did not print it. */
bool meminfo_get(const struct meminfo *mi, const char *name, uint64_t *out);
void meminfo_free(struct meminfo *mi);

#endif
