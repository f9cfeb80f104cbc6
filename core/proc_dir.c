/* SPDX-License-Identifier: GPL-2.0-or-later */
/* <proc> directory entries through a reused buffer (see proc_dir.h). */
#include <config.h>

#include "proc_dir.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"

bool proc_name_u64(const char *name, uint64_t *out)
{
	const char *p = name, *end = name + strlen(name);

	if (p == end || *p < '0' || *p > '9')
		return false;
	return parse_u64(&p, end, 10, out) == 0 && p == end;
}

int dent_next(struct dent_iter *it, const char **name)
{
	for (;;) {
		struct dirent64 *d;

		if (it->pos >= it->len) {
			ssize_t r = getdents64(it->fd, it->buf, PROC_DENTS_BUF_SIZE);

			if (r < 0) {
				if (errno == EINTR)
					continue;
				return -errno;
			}
			if (r == 0)
				return 0;
			it->len = (size_t)r;
			it->pos = 0;
		}
		d = (struct dirent64 *)(void *)(it->buf + it->pos);
		it->pos += d->d_reclen;
		if (d->d_name[0] >= '0' && d->d_name[0] <= '9') {
			*name = d->d_name;
			return 1;
		}
	}
}

