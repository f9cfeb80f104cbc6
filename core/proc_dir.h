/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading <proc> directories for the process scan and the owner walk:
 * entries through one reused buffer (a DIR per process would cost an
 * allocation for each of thousands of fd directories per scan), numeric
 * names, and what an errno says about the process.
 */
#ifndef LEAKTOP_PROC_DIR_H
#define LEAKTOP_PROC_DIR_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROC_DENTS_BUF_SIZE (32u << 10)

struct dent_iter {
	int fd;
	char *buf;		/* PROC_DENTS_BUF_SIZE bytes */
	size_t len, pos;
};

/* The next entry whose name starts with a digit: 1 and *name set, 0 at
 * the end, -errno on a read error. */
int dent_next(struct dent_iter *it, const char **name);
/* A whole token of decimal digits, as pid and fd names are. */
bool proc_name_u64(const char *name, uint64_t *out);

/* The process (or thread) is gone. */
static inline bool proc_errno_gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

/* Refused: not root, or an LSM. */
static inline bool proc_errno_denied(int err)
{
	return err == EACCES || err == EPERM;
}

#endif
