/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Merged slab caches from the symlinks of <sys>/kernel/slab: a cache merged
 * into a shared one is a symlink to a synthetic ":[flags]-NNNNNNN" directory,
 * so grouping the links by target names every cache that /proc/slabinfo
 * shows under one row. Directory entries that are not symlinks are real
 * caches and are skipped; an unreadable link is skipped with a note.
 */
#include "slabmerge.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

#define SRC "slab_merge"

static int alias_cmp_name(const void *a, const void *b)
{
	return strcmp(((const struct slab_alias *)a)->name, ((const struct slab_alias *)b)->name);
}

int slabmerge_read(const struct root *r, struct slab_aliases *out, struct notes *notes)
{
	size_t cap = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	memset(out, 0, sizeof(*out));
	if (r->sys_fd < 0) {
		notes_missing_errno(notes, SRC, r->sys_err ? r->sys_err : ENOENT);
		return -(r->sys_err ? r->sys_err : ENOENT);
	}
	fd = openat(r->sys_fd, "kernel/slab", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		int err = errno;

		notes_missing_errno(notes, SRC, err);
		return -err;
	}
	d = fdopendir(fd);
	if (!d) {
		int err = errno;

		close(fd);
		notes_missing_errno(notes, SRC, err);
		return -err;
	}
	while ((de = readdir(d))) {
		char target[PATH_MAX];
		const char *base;
		ssize_t n;

		if (de->d_type != DT_LNK && de->d_type != DT_UNKNOWN)
			continue;
		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(fd, de->d_name, target, sizeof(target) - 1);
		if (n < 0) {
			/* EINVAL: DT_UNKNOWN entry that is a real cache directory. */
			if (errno != EINVAL && errno != ENOENT)
				notes_add(notes, NOTE_WARN, SRC, 0, "%.64s: %s", de->d_name,
					  notes_errno_reason(errno));
			continue;
		}
		target[n] = '\0';
		base = strrchr(target, '/');
		base = base ? base + 1 : target;
		if (strlen(de->d_name) >= sizeof(out->v->name) ||
		    strlen(base) >= sizeof(out->v->target)) {
			notes_add(notes, NOTE_WARN, SRC, 0, "%.64s: name too long, skipped",
				  de->d_name);
			continue;
		}
		xgrow((void **)&out->v, &cap, out->n + 1, sizeof(*out->v));
		strcpy(out->v[out->n].name, de->d_name);
		strcpy(out->v[out->n].target, base);
		out->n++;
	}
	closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), alias_cmp_name);
	return 0;
}

static int find_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct slab_alias *)elem)->name);
}

void slabmerge_apply(struct slab_table *t, const struct slab_aliases *a)
{
	for (size_t i = 0; i < t->n; i++) {
		struct slab_cache *c = &t->v[i];
		const struct slab_alias *self;
		char *list = NULL;
		size_t len = 0, cap = 0;

		free(c->merged_with);
		free(c->merged_id);
		c->merged_with = c->merged_id = NULL;
		if (!a->n)
			continue;
		self = bsearch(c->name, a->v, a->n, sizeof(*a->v), find_cmp);
		if (!self)
			continue;
		c->merged_id = xstrdup(self->target);
		/* a->v is sorted by name, so members come out sorted. */
		for (size_t j = 0; j < a->n; j++) {
			const struct slab_alias *m = &a->v[j];
			size_t l;

			if (m == self || strcmp(m->target, self->target) != 0)
				continue;
			l = strlen(m->name);
			xgrow((void **)&list, &cap, len + l + 2, 1);
			if (len)
				list[len++] = ',';
			memcpy(list + len, m->name, l);
			len += l;
			list[len] = '\0';
		}
		c->merged_with = list;
	}
}

void slab_aliases_free(struct slab_aliases *a)
{
	free(a->v);
	memset(a, 0, sizeof(*a));
}
