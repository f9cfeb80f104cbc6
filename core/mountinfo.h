/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One line of <proc>/self/mountinfo, split into the fields leaktop uses:
 * "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
 * is id, parent, major:minor, root, mount point, mount options, optional
 * fields up to " - ", then filesystem type, source and super options. The
 * tmpfs sampler and the cgroup mount finder both read mountinfo through it.
 */
#ifndef LEAKTOP_MOUNTINFO_H
#define LEAKTOP_MOUNTINFO_H

#include "notes.h"
#include "parse.h"

struct mountinfo_line {
	unsigned int dev_major, dev_minor;
	struct parse_word root;		/* raw, octal escapes kept */
	struct parse_word mountpoint;	/* raw */
	struct parse_word fstype;
	struct parse_word source;	/* n == 0 when the line has none */
	struct parse_word super_opts;	/* n == 0 when the line has none */
};

/* Split one non-blank line. Returns 0, or -EINVAL after a NOTE_WARN at
 * lineno in source. */
int mountinfo_parse_line(const char *line, const char *end, unsigned int lineno,
			 const char *source, struct mountinfo_line *out, struct notes *notes);
/* A field with mountinfo's \ooo escapes (space, tab, newline, backslash)
 * decoded, as a fresh heap string. */
char *mountinfo_decode(const struct parse_word *w);
/* The comma-separated option list w holds opt exactly ("memory" in
 * "rw,memory" but not in "rw,memory_recursiveprot"). */
bool mountinfo_has_opt(const struct parse_word *w, const char *opt);

#endif
