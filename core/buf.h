/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A growable byte buffer and the one way leaktop reads a file: the whole of
 * it, relative to a directory fd, looping on short reads (procfs generates
 * text on read; a short read is not EOF) and refusing files past a limit so
 * that an enormous or endless file cannot eat the memory of a sick box.
 */
#ifndef LEAKTOP_BUF_H
#define LEAKTOP_BUF_H

#include <stddef.h>

struct buf {
	char *data;	/* always NUL-terminated after buf_readat */
	size_t len;
	size_t cap;
};

/* Default cap for /proc text files; slabinfo and vmallocinfo are well below. */
#define BUF_READ_LIMIT (64u << 20)

/*
 * Read dirfd/path into b (replacing its content). Returns 0, or -errno:
 * -ENOENT, -EACCES, -EPERM, -ESRCH from open or read, -EFBIG past limit
 * (b then holds the first limit bytes). limit 0 means BUF_READ_LIMIT.
 */
int buf_readat(int dirfd, const char *path, struct buf *b, size_t limit);
void buf_reserve(struct buf *b, size_t need);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_free(struct buf *b);
/* Emptied for reuse; freed instead when it holds more than keep bytes (a
 * buffer sized for a rare large item need not stay that large). */
void buf_release(struct buf *b, size_t keep);

#endif
