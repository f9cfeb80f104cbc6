/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "recread.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "sample_codec.h"
#include "xalloc.h"

/* Bytes read from a file at a time while scanning. */
#define WINDOW (4u << 20)

struct rec_reader {
	char *path;
	bool dir;
	struct rec_file *files;
	size_t nfiles, files_cap;
	struct rec_entry *v;
	size_t n, cap;
	struct notes notes;
	struct sample_decoder *dec;
	struct snapshot *cache;		/* the sample decoded last */
	size_t cache_i;
	struct buf win;			/* scan window of one file */
	uint64_t win_start;
	int win_fd;
	struct buf frame;
	char err[PATH_MAX + 256];
};

/* A view of len bytes at off (fewer at the end of the file, *avail says). */
static const uint8_t *view(struct rec_reader *r, const struct rec_file *f, uint64_t off,
			   size_t need, size_t *avail)
{
	uint64_t end = r->win_start + r->win.len;

	if (r->win_fd != f->fd || off < r->win_start ||
	    (off + need > end && end < f->size)) {
		size_t want = need > WINDOW ? need : WINDOW;
		size_t got = 0;

		if (off + want > f->size)
			want = off < f->size ? (size_t)(f->size - off) : 0;
		buf_reserve(&r->win, want + 1);
		while (got < want) {
			ssize_t k = pread(f->fd, r->win.data + got, want - got, (off_t)(off + got));

			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			got += (size_t)k;
		}
		r->win.len = got;
		r->win_start = off;
		r->win_fd = f->fd;
		end = off + got;
	}
	*avail = off < end ? (size_t)(end - off) : 0;
	return (const uint8_t *)r->win.data + (off - r->win_start);
}

/* The frame at off: REC_OK (whole and sound), REC_SHORT, REC_BAD. */
static enum rec_check frame_at(struct rec_reader *r, const struct rec_file *f, uint64_t off,
			       struct rec_frame *fr, const uint8_t **payload)
{
	size_t avail;
	const uint8_t *p = view(r, f, off, REC_FRAME_HEAD, &avail);
	enum rec_check c = rec_frame_check(p, avail, fr);

	if (c == REC_SHORT && avail >= REC_FRAME_HEAD &&
	    off + REC_FRAME_HEAD + fr->len <= f->size) {
		p = view(r, f, off, REC_FRAME_HEAD + (size_t)fr->len, &avail);
		c = rec_frame_check(p, avail, fr);
	}
	*payload = p + REC_FRAME_HEAD;
	return c;
}

/* The next sound frame after a damaged one: found by its sync word and
 * checked by its CRC. 0 when there is none (yet). */
static uint64_t resync(struct rec_reader *r, const struct rec_file *f, uint64_t from)
{
	const uint8_t sync0 = REC_SYNC & 0xff;

	for (uint64_t q = from; q + REC_FRAME_HEAD <= f->size; q++) {
		size_t avail;
		const uint8_t *p = view(r, f, q, REC_FRAME_HEAD, &avail);
		const uint8_t *hit = memchr(p, sync0, avail);
		struct rec_frame fr;
		const uint8_t *payload;

		if (!hit) {
			q += avail ? avail - 1 : 0;
			continue;
		}
		q += (uint64_t)(hit - p);
		if (frame_at(r, f, q, &fr, &payload) == REC_OK)
			return q;
	}
	return 0;
}

static void add_entry(struct rec_reader *r, uint32_t fi, uint64_t off, const struct rec_frame *fr,
		      const struct sample_record_info *info)
{
	struct rec_entry *e;

	xgrow((void **)&r->v, &r->cap, r->n + 1, sizeof(*r->v));
	e = &r->v[r->n++];
	e->file = fi;
	e->off = off;
	e->len = fr->len;
	e->t_ns = fr->t_ns;
	e->seq = info->seq;
	e->prev_seq = info->prev_seq;
	e->group = info->group;
	e->keyframe = info->keyframe;
}

static void scan_file(struct rec_reader *r, uint32_t fi)
{
	struct rec_file *f = &r->files[fi];
	struct stat st;
	uint64_t pos;

	if (f->refused || f->fd < 0 || fstat(f->fd, &st))
		return;
	f->size = (uint64_t)st.st_size;
	if (!f->have_hdr) {
		size_t avail, hlen;
		char why[160];
		const uint8_t *p = view(r, f, 0, REC_HEADER_MAX, &avail);

		switch (rec_header_parse(p, avail, &f->hdr, &hlen, why, sizeof(why))) {
		case REC_SHORT:
			return;		/* empty, or the header is being written */
		case REC_BAD:
			notes_add(&r->notes, NOTE_WARN, f->path, 0, "%s; file ignored", why);
			f->refused = true;
			return;
		case REC_OK:
			f->have_hdr = true;
			f->scanned = hlen;
			break;
		}
	}
	for (pos = f->scanned; pos < f->size;) {
		struct rec_frame fr;
		struct sample_record_info info;
		const uint8_t *payload;
		enum rec_check c = frame_at(r, f, pos, &fr, &payload);
		uint64_t next;

		if (c == REC_OK && sample_record_peek(payload, fr.len, &info) == 0) {
			add_entry(r, fi, pos, &fr, &info);
			pos += REC_FRAME_HEAD + fr.len;
			f->scanned = pos;
			continue;
		}
		next = resync(r, f, pos + 1);
		if (!next)
			break;	/* the tail: torn, or still being written */
		notes_add(&r->notes, NOTE_WARN, f->path, 0,
			  "%llu damaged bytes at offset %llu skipped (%s)",
			  (unsigned long long)(next - pos), (unsigned long long)pos,
			  c == REC_OK ? "not a sample record" : "CRC mismatch or bad frame");
		pos = next;
		f->scanned = pos;
	}
}

static void add_file(struct rec_reader *r, const char *path)
{
	struct rec_file *f;

	xgrow((void **)&r->files, &r->files_cap, r->nfiles + 1, sizeof(*r->files));
	f = &r->files[r->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (f->fd < 0)
		notes_add(&r->notes, NOTE_WARN, path, 0, "%s; file ignored", strerror(errno));
}

struct dir_name {
	time_t t;
	unsigned int n;
	char name[REC_NAME_MAX];
};

static int cmp_name(const void *a, const void *b)
{
	const struct dir_name *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (x->n > y->n) - (x->n < y->n);
}

/* New files of the directory, in time order, after those already listed. */
static void list_dir(struct rec_reader *r)
{
	DIR *d = opendir(r->path);
	struct dirent *de;
	struct dir_name *v = NULL, last = { 0 };
	size_t n = 0, cap = 0;
	bool have_last = false;

	if (!d)
		return;
	if (r->nfiles) {
		const char *base = strrchr(r->files[r->nfiles - 1].path, '/');

		have_last = rec_name_parse(base + 1, &last.t, &last.n);
	}
	while ((de = readdir(d))) {
		struct dir_name x;

		if (strlen(de->d_name) >= sizeof(x.name) || !rec_name_parse(de->d_name, &x.t, &x.n))
			continue;
		memcpy(x.name, de->d_name, strlen(de->d_name) + 1);
		if (have_last && cmp_name(&x, &last) <= 0)
			continue;
		xgrow((void **)&v, &cap, n + 1, sizeof(*v));
		v[n++] = x;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_name);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s", r->path, v[i].name);
		add_file(r, path);
	}
	free(v);
}

size_t rec_reader_scan(struct rec_reader *r)
{
	size_t before = r->n, first;

	/* Files before the newest are finished: only the newest can grow. */
	first = r->nfiles ? r->nfiles - 1 : 0;
	if (r->dir)
		list_dir(r);
	for (size_t i = first; i < r->nfiles; i++)
		scan_file(r, (uint32_t)i);
	return r->n - before;
}

struct rec_reader *rec_reader_open(const char *path, char *err, size_t errsz)
{
	struct rec_reader *r;
	struct stat st;

	if (stat(path, &st)) {
		snprintf(err, errsz, "no recording at %s: %s", path, strerror(errno));
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(path);
	r->dir = S_ISDIR(st.st_mode);
	r->win_fd = -1;
	r->dec = sample_decoder_new();
	if (!r->dir)
		add_file(r, path);
	rec_reader_scan(r);
	if (!r->nfiles) {
		snprintf(err, errsz, "no recording in %s (no leaktop-*%s files)", path, REC_SUFFIX);
		goto fail;
	}
	if (!r->dir && (r->files[0].refused || r->files[0].fd < 0)) {
		snprintf(err, errsz, "%s: %s", path, r->notes.n ? r->notes.v[0].msg : "unreadable");
		goto fail;
	}
	return r;
fail:
	rec_reader_free(r);
	return NULL;
}

void rec_reader_free(struct rec_reader *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nfiles; i++) {
		if (r->files[i].fd >= 0)
			close(r->files[i].fd);
		free(r->files[i].path);
	}
	free(r->files);
	free(r->v);
	notes_free(&r->notes);
	sample_decoder_free(r->dec);
	snapshot_unref(r->cache);
	buf_free(&r->win);
	buf_free(&r->frame);
	free(r->path);
	free(r);
}

size_t rec_reader_count(const struct rec_reader *r)
{
	return r->n;
}

const struct rec_entry *rec_reader_entry(const struct rec_reader *r, size_t i)
{
	return i < r->n ? &r->v[i] : NULL;
}

size_t rec_reader_nfiles(const struct rec_reader *r)
{
	return r->nfiles;
}

const struct rec_file *rec_reader_file(const struct rec_reader *r, size_t i)
{
	return i < r->nfiles ? &r->files[i] : NULL;
}

const struct notes *rec_reader_notes(const struct rec_reader *r)
{
	return &r->notes;
}

uint64_t rec_reader_tail(const struct rec_reader *r)
{
	const struct rec_file *f = r->nfiles ? &r->files[r->nfiles - 1] : NULL;

	if (!f || f->refused || f->size <= f->scanned)
		return 0;
	return f->size - f->scanned;
}

/* The record of entry e, read again and checked again: the file may have
 * been changed under us since the scan. */
static struct snapshot *decode_entry(struct rec_reader *r, size_t i, const struct snapshot *prev,
				     const char **err)
{
	const struct rec_entry *e = &r->v[i];
	const struct rec_file *f = &r->files[e->file];
	size_t len = REC_FRAME_HEAD + e->len, got = 0;
	struct rec_frame fr;
	struct snapshot *s;
	const char *why;

	buf_reserve(&r->frame, len);
	while (got < len) {
		ssize_t k = pread(f->fd, r->frame.data + got, len - got, (off_t)(e->off + got));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	if (got != len || rec_frame_check(r->frame.data, got, &fr) != REC_OK) {
		snprintf(r->err, sizeof(r->err), "%s: the record at offset %llu changed since it was read",
			 f->path, (unsigned long long)e->off);
		*err = r->err;
		return NULL;
	}
	s = sample_decode(r->dec, r->frame.data + REC_FRAME_HEAD, e->len, prev, &why);
	if (!s) {
		snprintf(r->err, sizeof(r->err), "%s: record at offset %llu: %s", f->path,
			 (unsigned long long)e->off, why);
		*err = r->err;
	}
	return s;
}

struct snapshot *rec_reader_sample(struct rec_reader *r, size_t i, const char **err)
{
	struct snapshot *prev = NULL;
	size_t start;

	*err = NULL;
	if (i >= r->n) {
		snprintf(r->err, sizeof(r->err), "no sample %zu (the recording has %zu)", i + 1, r->n);
		*err = r->err;
		return NULL;
	}
	if (r->cache && r->cache_i == i)
		return snapshot_ref(r->cache);
	/* The keyframe sample i builds on, in its own file. */
	for (start = i; !r->v[start].keyframe; start--)
		if (!start || r->v[start - 1].file != r->v[i].file) {
			snprintf(r->err, sizeof(r->err),
				 "sample %zu cannot be decoded: the keyframe it starts from is damaged",
				 i + 1);
			*err = r->err;
			return NULL;
		}
	/* Forward from the cache when it lies between. */
	if (r->cache && r->cache_i >= start && r->cache_i < i) {
		start = r->cache_i + 1;
		prev = r->cache;
	} else {
		snapshot_unref(r->cache);
	}
	r->cache = NULL;
	for (size_t j = start; j <= i; j++) {
		struct snapshot *s = decode_entry(r, j, prev, err);

		snapshot_unref(prev);
		prev = s;
		if (!s) {
			snprintf(r->err, sizeof(r->err),
				 "sample %zu cannot be decoded: %s (a record it builds on is damaged or missing)",
				 i + 1, *err);
			*err = r->err;
			return NULL;
		}
	}
	r->cache = prev;
	r->cache_i = i;
	return snapshot_ref(prev);
}

size_t rec_reader_at(const struct rec_reader *r, uint64_t t_ns)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].t_ns >= t_ns)
			break;
	return i;
}

/* Seconds per unit letter: a table, so both parsers agree. */
static const struct {
	char unit;
	uint64_t mult;
} duration_units[] = {
	{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 7 * 86400 },
}, size_units[] = {
	{ 'k', 1ull << 10 }, { 'K', 1ull << 10 }, { 'M', 1ull << 20 }, { 'G', 1ull << 30 },
	{ 'T', 1ull << 40 },
};

static int parse_scaled(const char *s, const void *units, size_t nunits, uint64_t *out)
{
	const struct { char unit; uint64_t mult; } *u = units;
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		return -1;
	if (*end) {
		size_t k;

		for (k = 0; k < nunits; k++)
			if (u[k].unit == *end)
				break;
		if (k == nunits || end[1])
			return -1;
		mult = u[k].mult;
	}
	if (v > UINT64_MAX / mult)
		return -1;
	*out = v * mult;
	return 0;
}

int rec_parse_duration(const char *s, uint64_t *seconds)
{
	return parse_scaled(s, duration_units, ARRAY_SIZE(duration_units), seconds);
}

int rec_parse_size(const char *s, uint64_t *bytes)
{
	return parse_scaled(s, size_units, ARRAY_SIZE(size_units), bytes);
}

/* "HH:MM[:SS[.fraction]]" at the start of s into tm and *ns; the rest in
 * *rest. The fraction lets a time printed in the JSON be pasted back. */
static bool parse_clock(const char *s, struct tm *tm, uint64_t *ns, const char **rest)
{
	const char *p = strptime(s, "%H:%M", tm);
	uint64_t scale = 100000000;

	*ns = 0;
	if (!p)
		return false;
	if (*p == ':' && !(p = strptime(p, ":%S", tm)))
		return false;
	if (*p == '.') {
		if (!isdigit((unsigned char)p[1]))
			return false;
		for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
			*ns += (uint64_t)(*p - '0') * scale;
	}
	*rest = p;
	return true;
}

int rec_time_parse(const char *spec, time_t now, uint64_t *t_ns, size_t *index, char *err,
		   size_t errsz)
{
	struct tm tm;
	const char *p;
	time_t t;
	uint64_t secs, frac;

	*t_ns = 0;
	*index = 0;
	if (spec[0] == '#') {
		char *end;
		unsigned long long n;

		errno = 0;
		n = strtoull(spec + 1, &end, 10);
		if (errno || end == spec + 1 || *end || n == 0 || spec[1] == '-')
			goto bad;
		*index = (size_t)(n - 1);
		return 0;
	}
	if (spec[0] == '-') {
		if (rec_parse_duration(spec + 1, &secs) || secs > (uint64_t)now)
			goto bad;
		*t_ns = ((uint64_t)now - secs) * 1000000000u;
		return 0;
	}
	localtime_r(&now, &tm);
	tm.tm_sec = 0;
	if (strchr(spec, 'T') || strchr(spec, '-')) {
		memset(&tm, 0, sizeof(tm));
		p = strptime(spec, "%Y-%m-%d", &tm);
		if (!p || (*p != 'T' && *p != ' ') || !parse_clock(p + 1, &tm, &frac, &p))
			goto bad;
	} else if (!parse_clock(spec, &tm, &frac, &p)) {
		goto bad;
	}
	if (strcmp(p, "Z") == 0) {
		t = timegm(&tm);
	} else if (!*p) {
		tm.tm_isdst = -1;
		t = mktime(&tm);
	} else {
		goto bad;
	}
	if (t < 0)
		goto bad;
	*t_ns = (uint64_t)t * 1000000000u + frac;
	return 0;
bad:
	snprintf(err, errsz,
		 "invalid time '%s': #N (sample number), YYYY-MM-DDTHH:MM[:SS][Z], HH:MM[:SS] (today) or -DURATION (e.g. -1h)",
		 spec);
	return -1;
}
