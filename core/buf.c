/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xalloc.h"

void buf_reserve(struct buf *b, size_t need)
{
	if (need + 1 > b->cap)
		xgrow((void **)&b->data, &b->cap, need + 1, 1);
}

void buf_append(struct buf *b, const void *data, size_t len)
{
	buf_reserve(b, b->len + len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

int buf_readat(int dirfd, const char *path, struct buf *b, size_t limit)
{
	int fd, ret = 0;

	if (!limit)
		limit = BUF_READ_LIMIT;
	b->len = 0;
	buf_reserve(b, 4096);
	b->data[0] = '\0';
	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (;;) {
		size_t room;
		ssize_t r;

		if (b->len >= limit) {
			ret = -EFBIG;
			break;
		}
		if (b->cap - b->len < 2)
			buf_reserve(b, b->cap * 2);
		room = b->cap - 1 - b->len;
		if (room > limit - b->len)
			room = limit - b->len;
		r = read(fd, b->data + b->len, room);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		if (r == 0)
			break;
		b->len += (size_t)r;
	}
	b->data[b->len] = '\0';
	close(fd);
	return ret;
}

void buf_free(struct buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void buf_release(struct buf *b, size_t keep)
{
	if (b->cap > keep)
		buf_free(b);
	else
		b->len = 0;
}
