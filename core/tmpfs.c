/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RAM-backed filesystems and SysV shared memory. Reads <proc>/self/mountinfo
 * (keeps tmpfs, ramfs, devtmpfs and whatever is mounted on /dev/shm), statfs
 * of each such mount, and <proc>/sysvipc/shm (columns found by header name).
 * A bad mountinfo or shm line is skipped with a located note; a mount that
 * cannot be statfs'd, or whose path leads to another device than mountinfo
 * names, keeps has_usage false (with a note) instead of showing zero or
 * another filesystem's figures.
 */
#include "tmpfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "buf.h"
#include "mountinfo.h"
#include "parse.h"
#include "xalloc.h"

#define SRC_MOUNTS "tmpfs"
#define SRC_SHM "sysv_shm"

static bool keep_fstype(const char *fstype, const char *mountpoint)
{
	return strcmp(fstype, "tmpfs") == 0 || strcmp(fstype, "ramfs") == 0 ||
	       strcmp(fstype, "devtmpfs") == 0 || strcmp(mountpoint, "/dev/shm") == 0;
}

static int mount_cmp(const void *a, const void *b)
{
	const struct tmpfs_mount *x = a, *y = b;
	int r = strcmp(x->mountpoint, y->mountpoint);

	return r ? r : SPACESHIP(x->order, y->order);
}

static void mount_free(struct tmpfs_mount *m)
{
	free(m->mountpoint);
	free(m->source);
}

int tmpfs_parse_mountinfo(const char *buf, size_t len, const char *source,
			  struct tmpfs_table *out, struct notes *notes)
{
	struct line_iter it;
	const char *line, *end;
	size_t cap = 0, n = 0;
	bool any = false;

	memset(out, 0, sizeof(*out));
	if (!buf)
		len = 0;
	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &line, &end)) {
		struct mountinfo_line ml;
		struct tmpfs_mount *m;
		char fstype[sizeof(out->v->fstype)];
		char *mp;

		if (parse_skip_blank(line, end) == end)
			continue;
		if (mountinfo_parse_line(line, end, it.lineno, source, &ml, notes))
			continue;
		any = true;
		if (ml.fstype.n >= sizeof(fstype))
			continue;
		memcpy(fstype, ml.fstype.s, ml.fstype.n);
		fstype[ml.fstype.n] = '\0';
		mp = mountinfo_decode(&ml.mountpoint);
		if (!keep_fstype(fstype, mp)) {
			free(mp);
			continue;
		}
		xgrow((void **)&out->v, &cap, n + 1, sizeof(*out->v));
		m = &out->v[n++];
		memset(m, 0, sizeof(*m));
		m->mountpoint = mp;
		strcpy(m->fstype, fstype);
		m->source = mountinfo_decode(&ml.source);
		m->dev_major = ml.dev_major;
		m->dev_minor = ml.dev_minor;
		m->order = it.lineno;
	}
	line_iter_note_truncated(&it, notes, source);
	/* A mount point mounted over is hidden: only the last mount there is
	 * reachable by path, so keep that one. */
	if (n)
		qsort(out->v, n, sizeof(*out->v), mount_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && strcmp(out->v[i].mountpoint, out->v[i + 1].mountpoint) == 0) {
			mount_free(&out->v[i]);
			continue;
		}
		out->v[out->n++] = out->v[i];
	}
	if (!any) {
		notes_add(notes, NOTE_WARN, source, 0, "no mount line could be parsed");
		return -1;
	}
	return 0;
}

static ssize_t col_index(struct parse_word *w, size_t nw, const char *name)
{
	for (size_t i = 0; i < nw; i++)
		if (w[i].n == strlen(name) && memcmp(w[i].s, name, w[i].n) == 0)
			return (ssize_t)i;
	return -1;
}

int sysv_shm_parse(const char *buf, size_t len, const char *source, struct sysv_shm *out,
		   struct notes *notes)
{
	struct line_iter it;
	const char *line, *end;
	struct parse_word w[32];
	ssize_t c_size, c_nattch, c_rss, c_swap;
	size_t ncols;

	memset(out, 0, sizeof(*out));
	if (!buf)
		len = 0;
	line_iter_init(&it, buf, len);
	if (!line_iter_header(&it, &line, &end, notes, source))
		return -1;
	ncols = parse_split_words(line, end, w, ARRAY_SIZE(w));
	c_size = col_index(w, ncols, "size");
	c_nattch = col_index(w, ncols, "nattch");
	c_rss = col_index(w, ncols, "rss");
	c_swap = col_index(w, ncols, "swap");
	if (c_size < 0 || c_nattch < 0 || col_index(w, ncols, "shmid") < 0) {
		notes_add(notes, NOTE_WARN, source, 1, "header lacks shmid, size or nattch");
		return -1;
	}
	out->present = true;
	out->has_rss = c_rss >= 0;
	out->has_swap = c_swap >= 0;
	while (line_iter_next(&it, &line, &end)) {
		uint64_t size, nattch, rss = 0, swap = 0;
		size_t nw;

		if (parse_skip_blank(line, end) == end)
			continue;
		nw = parse_split_words(line, end, w, ARRAY_SIZE(w));
		if (nw != ncols) {
			notes_add(notes, NOTE_WARN, source, it.lineno,
				  "expected %zu columns, found %zu", ncols, nw);
			continue;
		}
		if (parse_word_u64(&w[c_size], &size) || parse_word_u64(&w[c_nattch], &nattch) ||
		    (c_rss >= 0 && parse_word_u64(&w[c_rss], &rss)) ||
		    (c_swap >= 0 && parse_word_u64(&w[c_swap], &swap))) {
			notes_add(notes, NOTE_WARN, source, it.lineno, "bad number");
			continue;
		}
		out->segments++;
		out->size_bytes = sat_add_u64(out->size_bytes, size);
		out->rss_bytes = sat_add_u64(out->rss_bytes, rss);
		out->swap_bytes = sat_add_u64(out->swap_bytes, swap);
		if (nattch == 0) {
			out->orphan_segments++;
			out->orphan_rss_bytes = sat_add_u64(out->orphan_rss_bytes, rss);
		}
	}
	line_iter_note_truncated(&it, notes, source);
	return 0;
}

/*
 * The path of a mount point can lead to another filesystem: one mounted on
 * top of it or on a parent directory later (only mountinfo still lists the
 * hidden one), or on a --root tree whatever holds that tree. statfs there
 * would report someone else's blocks, so the device found at the path must be
 * the one mountinfo names; otherwise the usage stays unknown, with a note.
 * stat and statfs go through one O_PATH descriptor so both see the same
 * filesystem.
 */
static void stat_mount(const struct root *r, struct tmpfs_mount *m, struct notes *notes)
{
	char path[PATH_MAX];
	struct statfs sf;
	struct stat st;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s%s", r->live ? "" : r->dir, m->mountpoint) >=
	    sizeof(path)) {
		notes_add(notes, NOTE_WARN, SRC_MOUNTS, 0, "%s: path too long", m->mountpoint);
		return;
	}
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || fstatfs(fd, &sf) < 0) {
		notes_add(notes, NOTE_WARN, SRC_MOUNTS, 0, "%s: usage unknown: %s", m->mountpoint,
			  errno == ENOENT ? "mount point not found" : notes_errno_reason(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	if (st.st_dev != makedev(m->dev_major, m->dev_minor)) {
		notes_add(notes, NOTE_WARN, SRC_MOUNTS, 0, "%s: usage unknown: %s", m->mountpoint,
			  r->live ? "shadowed by another mount"
				  : "not this filesystem under --root");
		return;
	}
	/* tmpfs without a size limit and ramfs report no block counts. */
	if (sf.f_blocks == 0)
		return;
	m->size_bytes = sat_mul_u64((uint64_t)sf.f_blocks, (uint64_t)sf.f_bsize);
	m->used_bytes = sat_mul_u64((uint64_t)(sf.f_blocks - sf.f_bfree), (uint64_t)sf.f_bsize);
	m->inodes_used = sf.f_files >= sf.f_ffree ? (uint64_t)(sf.f_files - sf.f_ffree) : 0;
	m->has_usage = true;
}

static void sum_usage(const struct root *r, struct tmpfs_table *t, struct notes *notes)
{
	for (size_t i = 0; i < t->n; i++) {
		struct tmpfs_mount *m = &t->v[i];
		bool seen = false;

		stat_mount(r, m, notes);
		if (!m->has_usage)
			continue;
		/* Bind mounts show one filesystem twice: count each device once. */
		for (size_t j = 0; j < i && !seen; j++)
			seen = t->v[j].has_usage && t->v[j].dev_major == m->dev_major &&
			       t->v[j].dev_minor == m->dev_minor;
		if (!seen)
			t->total_used_bytes = sat_add_u64(t->total_used_bytes, m->used_bytes);
	}
}

/* dst becomes a copy of src that owns its own strings. */
static void tmpfs_table_copy(struct tmpfs_table *dst, const struct tmpfs_table *src)
{
	*dst = *src;
	dst->v = NULL;
	if (!src->n)
		return;
	dst->v = xreallocarray(NULL, src->n, sizeof(*src->v));
	for (size_t i = 0; i < src->n; i++) {
		dst->v[i] = src->v[i];
		dst->v[i].mountpoint = xstrdup(src->v[i].mountpoint);
		dst->v[i].source = src->v[i].source ? xstrdup(src->v[i].source) : NULL;
	}
}

/* The mounts of b into mounts: the cache's when b is the text it parsed,
 * else a parse (kept in the cache when it gave no note). */
static void mounts_of(struct tmpfs_cache *c, const struct buf *b, struct tmpfs_table *mounts,
		      struct notes *notes)
{
	size_t notes_before = notes->n + notes->dropped;

	if (c && c->parsed && c->mountinfo.len == b->len &&
	    memcmp(c->mountinfo.data, b->data, b->len) == 0) {
		tmpfs_table_copy(mounts, &c->mounts);
		return;
	}
	tmpfs_parse_mountinfo(b->data, b->len, SRC_MOUNTS, mounts, notes);
	if (!c)
		return;
	tmpfs_table_free(&c->mounts);
	c->parsed = notes->n + notes->dropped == notes_before;
	if (!c->parsed)
		return;
	c->mountinfo.len = 0;
	buf_append(&c->mountinfo, b->data, b->len);
	tmpfs_table_copy(&c->mounts, mounts);
}

void tmpfs_sample(const struct root *r, struct tmpfs_cache *c, struct tmpfs_table *mounts,
		  struct sysv_shm *shm, struct notes *notes)
{
	struct buf b = { 0 };
	int ret;

	memset(mounts, 0, sizeof(*mounts));
	memset(shm, 0, sizeof(*shm));
	if (r->proc_fd < 0) {
		notes_missing_errno(notes, SRC_MOUNTS, r->proc_err ? r->proc_err : ENOENT);
		notes_missing_errno(notes, SRC_SHM, r->proc_err ? r->proc_err : ENOENT);
		return;
	}
	ret = buf_readat(r->proc_fd, "self/mountinfo", &b, 0);
	if (ret && ret != -EFBIG) {
		notes_missing_errno(notes, SRC_MOUNTS, ret);
	} else {
		if (ret == -EFBIG)
			notes_add(notes, NOTE_WARN, SRC_MOUNTS, 0,
				  "mountinfo too large, cut short");
		/* A file cut short is parsed every time, with its note. */
		mounts_of(ret ? NULL : c, &b, mounts, notes);
		sum_usage(r, mounts, notes);
	}
	ret = buf_readat(r->proc_fd, "sysvipc/shm", &b, 0);
	if (ret && ret != -EFBIG)
		notes_missing_errno(notes, SRC_SHM, ret);
	else
		sysv_shm_parse(b.data, b.len, SRC_SHM, shm, notes);
	buf_free(&b);
}

void tmpfs_table_free(struct tmpfs_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		mount_free(&t->v[i]);
	free(t->v);
	memset(t, 0, sizeof(*t));
}

void tmpfs_cache_free(struct tmpfs_cache *c)
{
	tmpfs_table_free(&c->mounts);
	buf_free(&c->mountinfo);
	c->parsed = false;
}
