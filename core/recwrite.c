/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "recwrite.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat.h"
#include "meminfo.h"
#include "sample_codec.h"
#include "xalloc.h"

struct rec_writer {
	struct rec_writer_opts o;
	struct rec_header host;
	char *path;
	bool single;			/* PATH is one .ltr file */
	int dirfd;			/* the directory (directory mode) */
	int fd;				/* the file written, -1 between files */
	char file[PATH_MAX];		/* its path, for messages */
	char name[REC_NAME_MAX];	/* its name in the directory */
	uint64_t size;			/* its length up to the last good frame */
	uint64_t in_file;		/* records in it */
	uint64_t since_key;		/* records since the last keyframe */
	bool need_key;			/* the stream broke: start over */
	unsigned int unsynced;
	struct sample_encoder *enc;
	struct buf rec, frame;
	char err[PATH_MAX + 128];
	struct rec_writer_stats st;
};

static int set_err(struct rec_writer *w, int e, const char *fmt, ...) ATTR_FORMAT(3, 4);

static int set_err(struct rec_writer *w, int e, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(w->err, sizeof(w->err), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(w->err))
		snprintf(w->err + n, sizeof(w->err) - (size_t)n, ": %s", strerror(e));
	return -e;
}

static time_t now_s(const struct rec_writer *w)
{
	return w->o.now ? w->o.now() : time(NULL);
}

/* The whole of len bytes, or -errno (ENOSPC for a write that stops short
 * without saying why). */
static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ENOSPC;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* An existing single file must be ours, of this format, this box and boot:
 * a file's header speaks for every record in it. */
static int check_existing(struct rec_writer *w, char *err, size_t errsz)
{
	char head[REC_HEADER_MAX], why[160];
	struct rec_header h;
	struct stat st;
	size_t hlen;
	ssize_t n;
	int fd = open(w->path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return errno == ENOENT ? 0 : (snprintf(err, errsz, "%s: %s", w->path, strerror(errno)), -1);
	/* A device (/dev/full, say) has no header to agree with. */
	n = fstat(fd, &st) || !S_ISREG(st.st_mode) ? 0 : pread(fd, head, sizeof(head), 0);
	close(fd);
	if (n < 0)
		return snprintf(err, errsz, "%s: %s", w->path, strerror(errno)), -1;
	if (n == 0)
		return 0;
	switch (rec_header_parse(head, (size_t)n, &h, &hlen, why, sizeof(why))) {
	case REC_OK:
		break;
	case REC_SHORT:
		snprintf(err, errsz, "%s: incomplete file header; not appending to it", w->path);
		return -1;
	case REC_BAD:
		snprintf(err, errsz, "%s: %s; not appending to it", w->path, why);
		return -1;
	}
	if (strcmp(h.boot_id, w->host.boot_id) || strcmp(h.hostname, w->host.hostname)) {
		snprintf(err, errsz,
			 "%s was recorded on %s, boot %s; record into a directory or a new file",
			 w->path, h.hostname, h.boot_id);
		return -1;
	}
	return 0;
}

struct rec_writer *rec_writer_open(const struct rec_writer_opts *o, char *err, size_t errsz)
{
	struct rec_writer *w = xcalloc(1, sizeof(*w));

	w->o = *o;
	w->host = *o->host;
	w->path = xstrdup(o->path);
	w->single = rec_path_is_file(o->path);
	w->dirfd = -1;
	w->fd = -1;
	if (!w->o.keyframe_every)
		w->o.keyframe_every = REC_KEYFRAME_EVERY;
	if (!w->o.sync_every)
		w->o.sync_every = REC_SYNC_EVERY;
	if (w->single) {
		if (check_existing(w, err, errsz))
			goto fail;
	} else {
		if (mkdir(w->path, 0750) && errno != EEXIST) {
			snprintf(err, errsz, "creating directory %s: %s", w->path, strerror(errno));
			goto fail;
		}
		w->dirfd = open(w->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (w->dirfd < 0) {
			snprintf(err, errsz, "%s: %s (a recording PATH is a directory, or a file ending in %s)",
				 w->path, strerror(errno), REC_SUFFIX);
			goto fail;
		}
		if (w->o.retain_s)
			w->st.deleted += rec_retain(w->path, now_s(w), w->o.retain_s, NULL);
	}
	w->enc = sample_encoder_new(0);
	return w;
fail:
	rec_writer_close(w);
	return NULL;
}

static void fill_header(struct rec_writer *w, const struct snapshot *s, struct rec_header *h)
{
	*h = w->host;
	h->page_size = s->page_size > 0 ? (uint64_t)s->page_size : 0;
	if (!meminfo_get(&s->meminfo, "MemTotal", &h->mem_total))
		h->mem_total = 0;
	h->start_ns = (uint64_t)s->t_real.tv_sec * 1000000000u + (uint64_t)s->t_real.tv_nsec;
	h->sections = s->sections;
	h->keyframe_every = w->o.keyframe_every;
	h->codec_version = SAMPLE_CODEC_VERSION;
}

/* Create the next file of the directory (named by s's time) or open the
 * single file, and give it a header if it has none. */
static int open_file(struct rec_writer *w, const struct snapshot *s)
{
	struct rec_header h;
	struct buf hb = { 0 };
	struct stat st;
	int ret;

	if (w->single) {
		snprintf(w->file, sizeof(w->file), "%s", w->path);
		w->fd = open(w->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0640);
	} else {
		for (unsigned int n = 0; n < 1000; n = n ? n + 1 : 2) {
			rec_name_format(w->name, sizeof(w->name), s->t_real.tv_sec, n);
			w->fd = openat(w->dirfd, w->name,
				       O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOCTTY, 0640);
			if (w->fd >= 0 || errno != EEXIST)
				break;
		}
		snprintf(w->file, sizeof(w->file), "%s/%s", w->path, w->name);
	}
	if (w->fd < 0)
		return set_err(w, errno, "creating %s", w->file);
	if (fstat(w->fd, &st)) {
		ret = set_err(w, errno, "%s", w->file);
		goto fail;
	}
	w->size = (uint64_t)st.st_size;
	w->in_file = 0;
	w->st.files++;
	if (w->size)
		return 0;	/* an existing single file: checked at open */
	fill_header(w, s, &h);
	rec_header_encode(&h, &hb);
	ret = write_all(w->fd, hb.data, hb.len);
	if (ret) {
		ret = set_err(w, -ret, "writing the header of %s", w->file);
		goto fail;
	}
	w->size = hb.len;
	buf_free(&hb);
	/* The new name must survive a crash as well as the records. */
	if (w->dirfd >= 0)
		fsync(w->dirfd);
	return 0;
fail:
	buf_free(&hb);
	/* A file without a whole header holds nothing: remove it. */
	if (!w->single || !w->size) {
		if (w->single)
			unlink(w->path);
		else
			unlinkat(w->dirfd, w->name, 0);
	}
	close(w->fd);
	w->fd = -1;
	return ret;
}

static void close_file(struct rec_writer *w)
{
	if (w->fd < 0)
		return;
	if (w->unsynced)
		fdatasync(w->fd);
	w->unsynced = 0;
	close(w->fd);
	w->fd = -1;
}

static int encode(struct rec_writer *w, struct snapshot *s, bool key)
{
	uint64_t t = (uint64_t)s->t_real.tv_sec * 1000000000u + (uint64_t)s->t_real.tv_nsec;

	if (sample_encode(w->enc, s, key, &w->rec))
		return set_err(w, ENOMEM, "encoding sample %llu", (unsigned long long)s->seq);
	w->frame.len = 0;
	rec_frame_encode(&w->frame, t, key ? REC_FLAG_KEYFRAME : 0, w->rec.data, w->rec.len);
	buf_release(&w->rec, SAMPLE_BUF_KEEP);
	return 0;
}

static int lost(struct rec_writer *w, int ret)
{
	w->st.lost++;
	w->need_key = true;
	return ret;
}

int rec_writer_append(struct rec_writer *w, struct snapshot *s)
{
	bool key;
	int ret;

	if (w->fd < 0 && (ret = open_file(w, s)))
		return lost(w, ret);
	key = w->need_key || !w->in_file || w->since_key >= w->o.keyframe_every;
	if ((ret = encode(w, s, key)))
		return lost(w, ret);
	if (!w->single && w->o.max_size && w->in_file &&
	    w->size + w->frame.len > w->o.max_size) {
		close_file(w);
		if ((ret = open_file(w, s)))
			return lost(w, ret);
		if (w->o.retain_s)
			w->st.deleted += rec_retain(w->path, now_s(w), w->o.retain_s, w->name);
		if (!key && (ret = encode(w, s, key = true)))
			return lost(w, ret);
	}
	ret = write_all(w->fd, w->frame.data, w->frame.len);
	if (ret) {
		/* Cut the torn frame off, so the file ends on its last good one. */
		if (ftruncate(w->fd, (off_t)w->size))
			(void)0;	/* the reader skips a torn tail anyway */
		return lost(w, set_err(w, -ret, "writing %s", w->file));
	}
	w->size += w->frame.len;
	w->in_file++;
	w->since_key = key ? 1 : w->since_key + 1;
	w->need_key = false;
	w->st.records++;
	w->st.bytes += w->frame.len;
	if (++w->unsynced >= w->o.sync_every) {
		w->unsynced = 0;
		if (fdatasync(w->fd)) {
			/* The page cache may have dropped it: do not build on it. */
			w->need_key = true;
			return set_err(w, errno, "syncing %s", w->file);
		}
	}
	return 0;
}

const char *rec_writer_error(const struct rec_writer *w)
{
	return w->err;
}

const char *rec_writer_file(const struct rec_writer *w)
{
	return w->file;
}

const struct rec_writer_stats *rec_writer_stats(const struct rec_writer *w)
{
	return &w->st;
}

int rec_writer_close(struct rec_writer *w)
{
	int ret = 0;

	if (!w)
		return 0;
	if (w->fd >= 0 && w->unsynced && fdatasync(w->fd))
		ret = -errno;
	w->unsynced = 0;
	close_file(w);
	if (w->dirfd >= 0)
		close(w->dirfd);
	sample_encoder_free(w->enc);
	buf_free(&w->rec);
	buf_free(&w->frame);
	free(w->path);
	free(w);
	return ret;
}

unsigned int rec_retain(const char *dir, time_t now, uint64_t retain_s, const char *keep)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned int deleted = 0;

	if (!d)
		return 0;
	while ((de = readdir(d))) {
		struct stat st;
		time_t t;
		unsigned int n;

		if (!rec_name_parse(de->d_name, &t, &n) || (keep && strcmp(de->d_name, keep) == 0))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if ((uint64_t)st.st_mtime + retain_s < (uint64_t)now &&
		    unlinkat(dirfd(d), de->d_name, 0) == 0)
			deleted++;
	}
	closedir(d);
	return deleted;
}
