/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The cgroup walk (see cgroup_scan.h): mounts from mountinfo, then each
 * hierarchy depth first, children in name order so that the table comes out
 * in (hier, path) order without a sort. Each directory with children is
 * opened relative to its parent's fd, a leaf is read through it; the path
 * string is only built for the row, never opened.
 */
#include <config.h>

#include "cgroup_scan.h"

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
#include "cgroup_name.h"
#include "compat.h"
#include "parse.h"
#include "slabinfo.h"
#include "xalloc.h"

#define SRC_CG "cgroups"
/* memory.stat is about 2 KiB; a file far past that is not one. */
#define CG_FILE_LIMIT (1u << 20)

enum cg_file_kind {
	CG_VALUE,	/* one number */
	CG_LIMIT,	/* one number or "max" */
	CG_STAT,	/* memory.stat */
	CG_EVENTS,	/* memory.events */
	CG_SLABINFO,	/* v1 memory.kmem.slabinfo */
};

struct cg_file {
	uint8_t hier;
	uint8_t kind;		/* enum cg_file_kind */
	uint8_t val;		/* enum cgroup_val for CG_VALUE and CG_LIMIT */
	bool slow;		/* read every CG_SLOW_REFRESH_SCANS scans (cgroup_scan.h) */
	int8_t gate;		/* charge file memory.stat is gated on: its index, or -1 */
	const char *name;
};

/* A hierarchy's charge files come before its memory.stat: whether that is
 * read depends on them. */
static const struct cg_file cg_files[] = {
	{ CG_HIER_V2, CG_VALUE, CGV_CURRENT, false, 0, "memory.current" },
	{ CG_HIER_V2, CG_LIMIT, CGV_MAX, true, -1, "memory.max" },
	{ CG_HIER_V2, CG_STAT, 0, false, -1, "memory.stat" },
	{ CG_HIER_V2, CG_EVENTS, 0, true, -1, "memory.events" },
	{ CG_HIER_V1, CG_VALUE, CGV_CURRENT, false, 0, "memory.usage_in_bytes" },
	{ CG_HIER_V1, CG_VALUE, CGV_KERNEL, false, 1, "memory.kmem.usage_in_bytes" },
	{ CG_HIER_V1, CG_VALUE, CGV_SOCK, false, 2, "memory.kmem.tcp.usage_in_bytes" },
	{ CG_HIER_V1, CG_LIMIT, CGV_MAX, true, -1, "memory.limit_in_bytes" },
	{ CG_HIER_V1, CG_STAT, 0, false, -1, "memory.stat" },
	{ CG_HIER_V1, CG_SLABINFO, 0, false, -1, "memory.kmem.slabinfo" },
};

/* The values the slow files give. */
#define CG_SLOW_VALS                                                                        \
	(1u << CGV_MAX | 1u << CGV_EV_LOW | 1u << CGV_EV_HIGH | 1u << CGV_EV_MAX |           \
	 1u << CGV_EV_OOM | 1u << CGV_EV_OOM_KILL)

/* One read fills a buffer this big for every memory file but a long v1
 * slabinfo: no second read to find EOF. */
#define CG_READ_ROOM 16384

/* A memory.stat key of the table: its length, and the memory.stat map
 * entry it fills in each hierarchy (-1 none, CG_KEY_UNRESOLVED not looked
 * up yet), so that a line costs one compare with the key of the same line
 * in the cgroup before. */
#define CG_KEY_UNRESOLVED INT8_MIN
struct cg_key {
	uint32_t off;
	uint32_t len;
	uint32_t cache_ix;	/* its index in the cache's keys, CG_NONE not looked up */
	int8_t map[CG_HIER_COUNT];
};

/* A directory's child, as listed: its name (into walk.names) and inode. */
struct cg_child {
	size_t off;
	uint64_t ino;
};

struct walk {
	const struct root *r;
	struct cgroup_table *t;
	struct notes *notes;
	enum cgroup_hier hier;
	bool memory;		/* read the memory files in this hierarchy */
	long page_size;
	struct buf b;
	char path[PATH_MAX];	/* of the directory being read */
	size_t path_len;
	char *names;		/* child names of the open directories, a stack */
	size_t names_len, names_cap;
	struct cg_child *offs;	/* their offsets and inodes, a stack too */
	size_t offs_n, offs_cap;
	size_t denied;		/* cgroups with a refused file */
	size_t kv_line;		/* line of the memory.stat being read: key guess */
	uint32_t cur;		/* row being filled */
	struct cgroup_vals *vals;	/* its values, while memory.stat is parsed */
	struct cg_key *keys;	/* t->keys as the walk met them, in that order */
	size_t keys_n, keys_cap;
	char rel[NAME_MAX + 2];	/* "name/" of a leaf read from its parent's fd, or "" */
	size_t rel_len;
	char file[NAME_MAX + 2 + 64];	/* rel + a file name */
	struct cgroup_cache *cache;	/* NULL: read every file */
	const struct cgroup_cache_ent *hit;	/* the row's cache entry, or NULL */
	bool slow_due;		/* read the slow files of the row */
	uint64_t gate[CG_GATE_FILES];	/* the row's charge files, this scan */
	uint8_t gate_present;
	bool stat_kept;		/* its memory.stat lines stand for the file */
	size_t stat_kv0;	/* its first line in the cache's nkv */
	bool leaf;		/* the row has no sub-cgroup (its link count says so) */
	bool row_clean;		/* its read gave no note, refusal or v1 slab cache */
	bool still;		/* its charge files are what they were last scan */
	bool hierarchical;	/* a child's charge reaches its parent (v1: use_hierarchy) */
};

const char *cgroup_hier_name(enum cgroup_hier h)
{
	return h == CG_HIER_V2 ? "v2" : "v1";
}

const char *cgroup_str(const struct cgroup_table *t, uint32_t off)
{
	return off == CG_NONE || off >= t->strings_len ? "" : t->strings + off;
}

uint32_t cgroup_table_add_string(struct cgroup_table *t, const char *s, size_t len)
{
	uint32_t off;

	if (t->strings_len + len + 1 > UINT32_MAX - 1)
		return CG_NONE;
	xgrow((void **)&t->strings, &t->strings_cap, t->strings_len + len + 1, 1);
	off = (uint32_t)t->strings_len;
	memcpy(t->strings + off, s, len);
	t->strings[off + len] = '\0';
	t->strings_len += len + 1;
	return off;
}

struct cgroup_entry *cgroup_table_add(struct cgroup_table *t, enum cgroup_hier h,
				      const char *path, uint64_t id)
{
	struct cgroup_entry *e;
	char name[256];

	xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v));
	e = &t->v[t->n++];
	memset(e, 0, sizeof(*e));
	e->hier = (uint8_t)h;
	e->id = id;
	e->parent = CG_NONE;
	e->path_off = cgroup_table_add_string(t, path, strlen(path));
	cgroup_name(path, name, sizeof(name));
	e->name_off = cgroup_table_add_string(t, name, strlen(name));
	e->kv_first = (uint32_t)t->kv_n;
	e->slab_first = (uint32_t)t->slabs_n;
	return e;
}

static int id_ix_cmp(const void *a, const void *b)
{
	const struct cgroup_id_ix *x = a, *y = b;

	return SPACESHIP(x->id, y->id);
}

void cgroup_table_finish(struct cgroup_table *t)
{
	free(t->by_id);
	t->by_id = xreallocarray(NULL, t->n ? t->n : 1, sizeof(*t->by_id));
	t->by_id_n = 0;
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].hier == CG_HIER_V2)
			t->by_id[t->by_id_n++] = (struct cgroup_id_ix){ t->v[i].id, (uint32_t)i };
	if (t->by_id_n)
		qsort(t->by_id, t->by_id_n, sizeof(*t->by_id), id_ix_cmp);
}

void cgroup_table_free(struct cgroup_table *t)
{
	free(t->v);
	free(t->strings);
	free(t->kv);
	free(t->slabs);
	free(t->by_id);
	free(t->keys);
	memset(t, 0, sizeof(*t));
	for (size_t h = 0; h < CG_HIER_COUNT; h++)
		t->mount_off[h] = CG_NONE;
}

/* Paths compared one component at a time: '/' sorts before any other
 * byte, so "/a/b" comes right after "/a" and before "/a-c". */
static int path_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t n = an < bn ? an : bn;

	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x == y)
			continue;
		if (x == '/')
			return -1;
		if (y == '/')
			return 1;
		return x < y ? -1 : 1;
	}
	return SPACESHIP(an, bn);
}

int cgroup_entry_cmp(const struct cgroup_table *ta, const struct cgroup_entry *a,
		     const struct cgroup_table *tb, const struct cgroup_entry *b)
{
	const char *pa, *pb;

	if (a->hier != b->hier)
		return SPACESHIP(a->hier, b->hier);
	pa = cgroup_path(ta, a);
	pb = cgroup_path(tb, b);
	return path_cmp(pa, strlen(pa), pb, strlen(pb));
}

const struct cgroup_entry *cgroup_table_find(const struct cgroup_table *t, enum cgroup_hier h,
					     const char *path, size_t len)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cgroup_entry *e = &t->v[mid];
		const char *p = cgroup_path(t, e);
		int c = e->hier != h ? SPACESHIP(e->hier, (uint8_t)h)
				     : path_cmp(p, strlen(p), path, len);

		if (c == 0)
			return e;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct cgroup_entry *cgroup_table_find_id(const struct cgroup_table *t, uint64_t id)
{
	size_t lo = 0, hi = t->by_id_n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->by_id[mid].id == id)
			return &t->v[t->by_id[mid].i];
		if (t->by_id[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- reading one cgroup ------------------------------------------------------ */

/* memory.stat lines come in the same order in every cgroup: the key of
 * line k is most likely the k-th key seen, else found by a scan. */
uint32_t cgroup_table_intern_key(struct cgroup_table *t, size_t hint, const char *key, size_t n)
{
	uint32_t off;

	if (hint < t->keys_n) {
		const char *k = t->strings + t->keys[hint];

		if (strlen(k) == n && !memcmp(k, key, n))
			return t->keys[hint];
	}
	for (size_t i = 0; i < t->keys_n; i++) {
		const char *k = t->strings + t->keys[i];

		if (strlen(k) == n && !memcmp(k, key, n))
			return t->keys[i];
	}
	off = cgroup_table_add_string(t, key, n);
	if (off != CG_NONE) {
		xgrow((void **)&t->keys, &t->keys_cap, t->keys_n + 1, sizeof(*t->keys));
		t->keys[t->keys_n++] = off;
	}
	return off;
}

/* The walk's entry for key (hint: the line it was on), interned in the
 * table when new; NULL when the string pool is full. */
static struct cg_key *walk_key(struct walk *w, size_t hint, const char *key, size_t n)
{
	struct cgroup_table *t = w->t;
	struct cg_key *k;
	uint32_t off;
	size_t i;

	if (hint < w->keys_n && w->keys[hint].len == n &&
	    !memcmp(t->strings + w->keys[hint].off, key, n))
		return &w->keys[hint];
	off = cgroup_table_intern_key(t, hint, key, n);
	if (off == CG_NONE)
		return NULL;
	for (i = 0; i < w->keys_n; i++)
		if (w->keys[i].off == off)
			return &w->keys[i];
	/* New to the table: intern_key appended it, at index keys_n. */
	xgrow((void **)&w->keys, &w->keys_cap, w->keys_n + 1, sizeof(*w->keys));
	k = &w->keys[w->keys_n++];
	k->off = off;
	k->len = (uint32_t)n;
	k->cache_ix = CG_NONE;
	for (int h = 0; h < CG_HIER_COUNT; h++)
		k->map[h] = CG_KEY_UNRESOLVED;
	return k;
}

static const struct cgroup_key_map *stat_map(enum cgroup_hier h, size_t *n)
{
	*n = h == CG_HIER_V2 ? cgroup_stat_keys_v2_n : cgroup_stat_keys_v1_n;
	return h == CG_HIER_V2 ? cgroup_stat_keys_v2 : cgroup_stat_keys_v1;
}

/* The cache's index of a memory.stat key (kept across scans, so that lines
 * carried from one scan to the next need no strings of their own); hint:
 * the line it was on. */
static uint32_t cache_key_ix(struct cgroup_cache *c, size_t hint, const char *key, size_t n)
{
	struct cgroup_cache_key *k;

	if (hint < c->key_n && c->key[hint].len == n && !memcmp(c->keys + c->key[hint].off, key, n))
		return (uint32_t)hint;
	for (size_t i = 0; i < c->key_n; i++)
		if (c->key[i].len == n && !memcmp(c->keys + c->key[i].off, key, n))
			return (uint32_t)i;
	xgrow((void **)&c->keys, &c->keys_cap, c->keys_len + n + 1, 1);
	xgrow((void **)&c->key, &c->key_cap, c->key_n + 1, sizeof(*c->key));
	k = &c->key[c->key_n];
	k->off = (uint32_t)c->keys_len;
	k->len = (uint32_t)n;
	memcpy(c->keys + c->keys_len, key, n);
	c->keys[c->keys_len + n] = '\0';
	c->keys_len += n + 1;
	return (uint32_t)c->key_n++;
}

/* A memory.stat line of the row into the cache (k: its walk key, if any). */
static void cache_kv_add(struct walk *w, struct cg_key *k, size_t line, const char *key,
			 size_t keylen, uint64_t value)
{
	struct cgroup_cache *c = w->cache;
	uint32_t ix;

	if (k && k->cache_ix != CG_NONE) {
		ix = k->cache_ix;
	} else {
		ix = cache_key_ix(c, line, key, keylen);
		if (k)
			k->cache_ix = ix;
	}
	if (c->nkv_n == c->nkv_cap)
		xgrow((void **)&c->nkv, &c->nkv_cap, c->nkv_n + 1, sizeof(*c->nkv));
	c->nkv[c->nkv_n].value = value;
	c->nkv[c->nkv_n].key = ix;
	c->nkv_n++;
}

/* A memory.stat line: the value it fills, and the line as printed. */
static void kv_add(void *arg, const char *key, size_t keylen, uint64_t value)
{
	struct walk *w = arg;
	struct cgroup_table *t = w->t;
	size_t line = w->kv_line++;
	struct cg_key *k = walk_key(w, line, key, keylen);
	size_t nmap;
	const struct cgroup_key_map *map = stat_map(w->hier, &nmap);
	int m;

	if (w->cache)
		cache_kv_add(w, k, line, key, keylen, value);
	if (!k) {
		m = cgroup_key_find(map, nmap, key, keylen);
		if (m >= 0)
			cgroup_vals_set(w->vals, &map[m], value);
		return;
	}
	if (k->map[w->hier] == CG_KEY_UNRESOLVED)
		k->map[w->hier] = (int8_t)cgroup_key_find(map, nmap, key, keylen);
	if (k->map[w->hier] >= 0)
		cgroup_vals_set(w->vals, &map[k->map[w->hier]], value);
	if (t->kv_n == t->kv_cap)
		xgrow((void **)&t->kv, &t->kv_cap, t->kv_n + 1, sizeof(*t->kv));
	t->kv[t->kv_n].value = value;
	t->kv[t->kv_n].key_off = k->off;
	t->kv_n++;
	t->v[w->cur].kv_n++;
}

/* "cgroup v2 <path>/<file>" for a note; a long path keeps its end, which
 * names the cgroup. */
static size_t src_put(char *src, size_t at, size_t sz, const char *s, size_t n)
{
	if (at + n > sz - 1)
		n = sz - 1 - at;
	memcpy(src + at, s, n);
	return at + n;
}

/* Made for every file read (the parsers take it up front), so no printf. */
static void file_source(const struct walk *w, const char *file, char *src, size_t sz)
{
	const char *p = w->path_len > 1 ? w->path : "";
	size_t n = w->path_len > 1 ? w->path_len : 0, fn = strlen(file), at;

	if (n > 24) {
		p += n - 24;
		n = 24;
	}
	at = src_put(src, 0, sz, "cgroup ", 7);
	at = src_put(src, at, sz, cgroup_hier_name(w->hier), 2);
	at = src_put(src, at, sz, " ", 1);
	at = src_put(src, at, sz, p, n);
	at = src_put(src, at, sz, "/", 1);
	at = src_put(src, at, sz, file, fn < 28 ? fn : 28);
	src[at] = '\0';
}

static void take_slabinfo(struct walk *w, const char *src)
{
	struct cgroup_table *t = w->t;
	struct slab_table st = { 0 };

	/* Kernels since 5.9 keep the file but print nothing in it. */
	if (!w->b.len || slabinfo_parse(w->b.data, w->b.len, src, w->page_size, &st, w->notes))
		goto out;
	for (size_t i = 0; i < st.n; i++) {
		struct cgroup_slab *s;

		xgrow((void **)&t->slabs, &t->slabs_cap, t->slabs_n + 1, sizeof(*t->slabs));
		s = &t->slabs[t->slabs_n++];
		s->name_off = cgroup_table_add_string(t, st.v[i].name, strlen(st.v[i].name));
		s->active_objs = st.v[i].active_objs;
		s->num_objs = st.v[i].num_objs;
		s->objsize = st.v[i].objsize;
		s->bytes = st.v[i].bytes;
		t->v[w->cur].slab_n++;
	}
out:
	slab_table_free(&st);
}

static void take_value(struct walk *w, const struct cg_file *f, struct cgroup_vals *vals,
		       const char *src)
{
	uint64_t v;
	bool is_max;
	int ret = cgroup_parse_value(w->b.data, w->b.len, &v, &is_max);

	if (ret) {
		notes_add(w->notes, NOTE_WARN, src, 1,
			  ret == -ERANGE ? "value out of range" : "not a number");
		return;
	}
	/* No limit is no number: the limit column is then missing, not 2^63. */
	if (f->kind == CG_LIMIT && (is_max || cgroup_limit_is_unlimited(v))) {
		w->t->v[w->cur].flags |= CGF_UNLIMITED;
		return;
	}
	if (is_max)
		return;
	vals->v[f->val] = v;
	vals->present |= 1u << f->val;
}

/*
 * dfd/name into w->b with one read() when the file fits CG_READ_ROOM: a
 * cgroupfs file is one seq_file show, which a read returns whole when the
 * buffer holds it, and a short read of a regular file (fixtures) is its
 * end. Only a read that fills the buffer is followed by more, as buf_readat
 * does for every file. 0 or -errno, -EFBIG past CG_FILE_LIMIT.
 */
static int cg_readat(struct walk *w, int dfd, const char *name)
{
	struct buf *b = &w->b;
	ssize_t r;
	int fd;

	buf_reserve(b, CG_READ_ROOM + 1);
	b->len = 0;
	b->data[0] = '\0';
	fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	do
		r = read(fd, b->data, CG_READ_ROOM);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	close(fd);
	if ((size_t)r < CG_READ_ROOM) {
		b->len = (size_t)r;
		b->data[b->len] = '\0';
		return 0;
	}
	return buf_readat(dfd, name, b, CG_FILE_LIMIT);
}

/* ---- the cache: slow files' values, memory.stat's lines ------------------------- */

static int cache_cmp(const struct cgroup_cache *c, const struct cgroup_cache_ent *ce,
		     enum cgroup_hier h, const char *path, size_t len)
{
	const char *p = c->strings + ce->path_off;

	if (ce->hier != h)
		return SPACESHIP(ce->hier, (uint8_t)h);
	return path_cmp(p, strlen(p), path, len);
}

/* The walk comes in table order, so the last scan's rows are met in order
 * too: one cursor finds them all. */
static const struct cgroup_cache_ent *cache_find(struct cgroup_cache *c, enum cgroup_hier h,
						 const char *path, size_t len, uint64_t id)
{
	int cmp = 1;

	while (c->cursor < c->n && (cmp = cache_cmp(c, &c->v[c->cursor], h, path, len)) < 0)
		c->cursor++;
	if (c->cursor < c->n && cmp == 0 && c->v[c->cursor].id == id)
		return &c->v[c->cursor];
	return NULL;
}

static void cache_keep(struct walk *w, const struct cgroup_entry *e)
{
	struct cgroup_cache *c = w->cache;
	struct cgroup_cache_ent *ce;
	const char *path = cgroup_path(w->t, e);
	size_t len = strlen(path);

	xgrow((void **)&c->nv, &c->ncap, c->nn + 1, sizeof(*c->nv));
	xgrow((void **)&c->nstrings, &c->nstrings_cap, c->nstrings_len + len + 1, 1);
	ce = &c->nv[c->nn++];
	memset(ce, 0, sizeof(*ce));
	ce->id = e->id;
	ce->hier = e->hier;
	ce->path_off = (uint32_t)c->nstrings_len;
	memcpy(c->nstrings + c->nstrings_len, path, len + 1);
	c->nstrings_len += len + 1;
	ce->present = e->present & CG_SLOW_VALS;
	ce->all_present = e->present;
	for (int k = 0; k < CGV_COUNT; k++)
		if (e->present & (1u << k))
			ce->v[k] = e->v[k];
	ce->flags = e->flags & CGF_UNLIMITED;
	ce->leaf = w->leaf;
	ce->row_kept = w->row_clean;
	memcpy(ce->gate, w->gate, sizeof(ce->gate));
	ce->gate_present = w->gate_present;
	ce->stat_kept = w->stat_kept;
	ce->kv_first = (uint32_t)w->stat_kv0;
	ce->kv_n = (uint32_t)(c->nkv_n - w->stat_kv0);
	if (w->slow_due) {
		/* A cgroup seen for the first time gets a phase from its inode,
		 * mixed: the inodes of a tree made at once step by the number
		 * of files per cgroup (33 on a v1 memory cgroup here, 6 in the
		 * bench's tree), and an even step would leave phases unused. */
		ce->read_scan = c->scan;
		if (!w->hit)
			ce->read_scan -= (uint32_t)(((e->id * 0x9e3779b97f4a7c15ULL) >> 32) %
						    CG_SLOW_REFRESH_SCANS);
	} else {
		ce->read_scan = w->hit->read_scan;
	}
}

static void cache_begin(struct cgroup_cache *c)
{
	c->scan++;
	c->cursor = 0;
	c->nn = 0;
	c->nstrings_len = 0;
	c->nkv_n = 0;
}

static void swap_ptr(void *a, void *b)
{
	void *t = *(void **)a;

	*(void **)a = *(void **)b;
	*(void **)b = t;
}

static void swap_size(size_t *a, size_t *b)
{
	size_t t = *a;

	*a = *b;
	*b = t;
}

/* The rows just made become the cache; the old arrays are reused next. */
static void cache_end(struct cgroup_cache *c)
{
	swap_ptr(&c->v, &c->nv);
	swap_size(&c->n, &c->nn);
	swap_size(&c->cap, &c->ncap);
	swap_ptr(&c->strings, &c->nstrings);
	swap_size(&c->strings_len, &c->nstrings_len);
	swap_size(&c->strings_cap, &c->nstrings_cap);
	swap_ptr(&c->kv, &c->nkv);
	swap_size(&c->kv_n, &c->nkv_n);
	swap_size(&c->kv_cap, &c->nkv_cap);
}

void cgroup_cache_free(struct cgroup_cache *c)
{
	free(c->v);
	free(c->nv);
	free(c->strings);
	free(c->nstrings);
	free(c->kv);
	free(c->nkv);
	free(c->keys);
	free(c->key);
	memset(c, 0, sizeof(*c));
}

/* file of the cgroup being read: under dfd itself, or under w->rel (a
 * leaf's "name/") from its parent's fd. */
static const char *rel_file(struct walk *w, const char *file)
{
	size_t n = strlen(file);

	if (!w->rel_len)
		return file;
	if (w->rel_len + n + 1 > sizeof(w->file))
		return "";
	memcpy(w->file, w->rel, w->rel_len);
	memcpy(w->file + w->rel_len, file, n + 1);
	return w->file;
}

/* Every charge file of the row, read this scan, as it was at the last
 * (each scan reads them all and the cache keeps them: a page charged or
 * uncharged moves memory.current). Without memory.current (the v2 root has
 * none) nothing says it did not move. */
static bool charge_still(const struct walk *w)
{
	const struct cgroup_cache_ent *h = w->hit;

	if (!h || !(w->gate_present & 1u) || h->gate_present != w->gate_present)
		return false;
	for (int g = 0; g < CG_GATE_FILES; g++)
		if ((w->gate_present & (1u << g)) && h->gate[g] != w->gate[g])
			return false;
	return true;
}

/* memory.stat can be carried: read whole and clean last time, not due for
 * its refresh, and the charge still. */
static bool stat_carried(const struct walk *w)
{
	return w->hit && w->hit->stat_kept && !w->slow_due && charge_still(w);
}

/* The memory.stat lines of the last read, as if read again: same values
 * (a delta of 0), same table entries. */
static void carry_stat(struct walk *w, struct cgroup_vals *vals)
{
	const struct cgroup_cache_ent *h = w->hit;
	const struct cgroup_cache *c = w->cache;

	w->kv_line = 0;
	w->vals = vals;
	for (uint32_t i = 0; i < h->kv_n; i++) {
		const struct cgroup_cache_kv *kv = &c->kv[h->kv_first + i];
		const struct cgroup_cache_key *k = &c->key[kv->key];

		kv_add(w, c->keys + k->off, k->len, kv->value);
	}
	w->stat_kept = true;
}

static size_t notes_seen(const struct notes *ns)
{
	return ns ? ns->n + ns->dropped : 0;
}

static void take_stat(struct walk *w, struct cgroup_vals *vals, const char *src)
{
	size_t n0 = notes_seen(w->notes);

	if (w->cache)
		w->cache->stat_reads++;
	/* kv_add maps the keys: once per key, not per line. */
	w->kv_line = 0;
	w->vals = vals;
	cgroup_parse_keyed(w->b.data, w->b.len, src, NULL, 0, vals, kv_add, w, w->notes);
	/* A file with notes is read again: each sample says what is wrong. */
	w->stat_kept = notes_seen(w->notes) == n0;
}

static void take_gate(struct walk *w, const struct cg_file *f, const struct cgroup_vals *vals)
{
	if (f->gate < 0 || !(vals->present & (1u << f->val)))
		return;
	w->gate[f->gate] = vals->v[f->val];
	w->gate_present |= (uint8_t)(1u << f->gate);
}

/* Read the memory files of the row w->cur from dfd. Returns false when the
 * cgroup was removed while it was read (a root cannot be: the caller keeps
 * it whatever this says). */
static bool read_files(struct walk *w, int dfd)
{
	struct cgroup_vals vals = { 0 };
	bool enoent = false, denied = false;
	struct cgroup_entry *e;
	char src[sizeof(((struct note *)0)->source)];
	size_t notes0 = notes_seen(w->notes), slabs0 = w->t->slabs_n;

	w->gate_present = 0;
	w->stat_kept = false;
	w->stat_kv0 = w->cache ? w->cache->nkv_n : 0;
	for (size_t i = 0; i < ARRAY_SIZE(cg_files); i++) {
		const struct cg_file *f = &cg_files[i];
		int ret;

		if (f->hier != w->hier || (f->slow && !w->slow_due))
			continue;
		if (f->kind == CG_STAT && stat_carried(w)) {
			carry_stat(w, &vals);
			continue;
		}
		ret = cg_readat(w, dfd, rel_file(w, f->name));
		if (ret == -ENOENT || ret == -ENODEV) {
			enoent = true;
			continue;
		}
		if (ret == -EACCES || ret == -EPERM) {
			denied = true;
			continue;
		}
		file_source(w, f->name, src, sizeof(src));
		if (ret == -EFBIG) {
			notes_add(w->notes, NOTE_WARN, src, 0, "larger than %u KiB, skipped",
				  CG_FILE_LIMIT >> 10);
			continue;
		}
		if (ret) {
			notes_add(w->notes, NOTE_WARN, src, 0, "%s", notes_errno_reason(-ret));
			continue;
		}
		switch (f->kind) {
		case CG_VALUE:
		case CG_LIMIT:
			take_value(w, f, &vals, src);
			take_gate(w, f, &vals);
			break;
		case CG_STAT:
			take_stat(w, &vals, src);
			break;
		case CG_EVENTS:
			cgroup_parse_keyed(w->b.data, w->b.len, src, cgroup_event_keys,
					   cgroup_event_keys_n, &vals, NULL, NULL, w->notes);
			break;
		case CG_SLABINFO:
			take_slabinfo(w, src);
			break;
		}
	}
	/* A child whose parent does not enable the controller has no memory
	 * files at all; one that was removed has no cgroup.procs either. */
	e = &w->t->v[w->cur];
	memcpy(e->v, vals.v, sizeof(e->v));
	e->present = vals.present;
	if (!w->slow_due) {
		for (int k = 0; k < CGV_COUNT; k++)
			if (w->hit->present & (1u << k))
				e->v[k] = w->hit->v[k];
		e->present |= w->hit->present;
		e->flags |= w->hit->flags;
	}
	if (enoent && faccessat(dfd, rel_file(w, "cgroup.procs"), F_OK, 0) < 0 &&
	    (errno == ENOENT || errno == ENODEV))
		return false;
	if (denied) {
		e->flags |= CGF_DENIED;
		w->denied++;
	}
	w->still = charge_still(w);
	w->row_clean = !denied && w->stat_kept && notes_seen(w->notes) == notes0 &&
		       w->t->slabs_n == slabs0;
	return true;
}

/* ---- the walk ------------------------------------------------------------------ */

static int name_cmp(const void *a, const void *b, void *arg)
{
	const char *names = arg;

	return strcmp(names + ((const struct cg_child *)a)->off,
		      names + ((const struct cg_child *)b)->off);
}

/* The subdirectory names (and inodes) of d onto the names stack; returns
 * how many. */
static size_t list_children(struct walk *w, DIR *d)
{
	struct dirent *de;
	size_t n = 0;

	while ((de = readdir(d))) {
		size_t len;

		if (de->d_name[0] == '.' &&
		    (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
			continue;
		len = strlen(de->d_name);
		xgrow((void **)&w->names, &w->names_cap, w->names_len + len + 1, 1);
		memcpy(w->names + w->names_len, de->d_name, len + 1);
		xgrow((void **)&w->offs, &w->offs_cap, w->offs_n + 1, sizeof(*w->offs));
		w->offs[w->offs_n].off = w->names_len;
		w->offs[w->offs_n++].ino = (uint64_t)de->d_ino;
		w->names_len += len + 1;
		n++;
	}
	if (n > 1)
		qsort_r(w->offs + w->offs_n - n, n, sizeof(*w->offs), name_cmp, w->names);
	return n;
}

static void rollback(struct cgroup_table *t, size_t n, size_t strings, size_t kv, size_t slabs)
{
	t->n = n;
	t->strings_len = strings;
	t->kv_n = kv;
	t->slabs_n = slabs;
}

/*
 * Add the row of the cgroup at dfd (or, with w->rel set, at w->rel under
 * it), whose stat is st, and read its files. Returns the row, or CG_NONE
 * when there is none (the table is full, or the cgroup went away).
 */
static uint32_t take_cgroup(struct walk *w, int dfd, const struct stat *st, uint16_t depth,
			    uint32_t parent)
{
	struct cgroup_table *t = w->t;
	size_t n0 = t->n, s0 = t->strings_len, k0 = t->kv_n, sl0 = t->slabs_n, keys0 = t->keys_n;
	size_t ckv0 = w->cache ? w->cache->nkv_n : 0;
	struct cgroup_entry *e;
	uint32_t self;

	w->still = false;
	w->leaf = st->st_nlink == 2;
	if (t->n >= CG_SCAN_MAX) {
		t->truncated = true;
		return CG_NONE;
	}
	e = cgroup_table_add(t, w->hier, w->path, (uint64_t)st->st_ino);
	e->depth = depth;
	e->parent = parent;
	self = w->cur = (uint32_t)(t->n - 1);
	w->hit = w->cache ? cache_find(w->cache, w->hier, w->path, w->path_len, e->id) : NULL;
	w->slow_due = !w->hit || w->cache->scan - w->hit->read_scan >= CG_SLOW_REFRESH_SCANS;
	if (w->slow_due && w->cache && w->memory)
		w->cache->slow_reads++;
	if (w->memory && !read_files(w, dfd) && depth > 0) {
		/* Keys interned for it stay: they are strings other rows may share. */
		if (t->keys_n == keys0)
			rollback(t, n0, s0, k0, sl0);
		else
			t->n = n0;
		if (w->cache)
			w->cache->nkv_n = ckv0;
		return CG_NONE;
	}
	if (w->cache && w->memory)
		cache_keep(w, &t->v[self]);
	return self;
}

/* The row of the leaf at w->path, listed with inode ino under a parent
 * whose charge did not move, as the cache has it: no file read. Returns
 * false when it must be read (see cgroup_scan.h for when). */
static bool carry_leaf(struct walk *w, uint64_t ino, uint16_t depth, uint32_t parent)
{
	struct cgroup_table *t = w->t;
	const struct cgroup_cache_ent *h;
	struct cgroup_vals vals = { 0 };
	struct cgroup_entry *e;

	if (!w->cache || !w->memory || t->n >= CG_SCAN_MAX)
		return false;
	h = cache_find(w->cache, w->hier, w->path, w->path_len, ino);
	if (!h || !h->leaf || !h->row_kept || w->cache->scan - h->read_scan >= CG_SLOW_REFRESH_SCANS)
		return false;
	e = cgroup_table_add(t, w->hier, w->path, ino);
	e->depth = depth;
	e->parent = parent;
	w->cur = (uint32_t)(t->n - 1);
	w->hit = h;
	w->slow_due = false;
	w->leaf = true;
	w->row_clean = true;
	w->stat_kv0 = w->cache->nkv_n;
	memcpy(w->gate, h->gate, sizeof(w->gate));
	w->gate_present = h->gate_present;
	carry_stat(w, &vals);
	e = &t->v[w->cur];
	for (int k = 0; k < CGV_COUNT; k++)
		if (h->all_present & (1u << k))
			e->v[k] = h->v[k];
	e->present = h->all_present;
	e->flags |= h->flags;
	w->cache->carried++;
	cache_keep(w, e);
	return true;
}

static void walk_children(struct walk *w, int dfd, uint16_t depth, uint32_t self, bool still);

/* The child name (listed with inode ino) of the directory open at dfd
 * (w->path is its path): a leaf is read through "name/file" from dfd,
 * without opening it; under a parent whose charge is still (still), a
 * leaf the cache knows is carried. */
static void walk_child(struct walk *w, int dfd, const char *name, size_t len, uint64_t ino,
		       uint16_t depth, uint32_t parent, bool still)
{
	struct stat st;
	uint32_t self;
	int cfd;

	if (still && carry_leaf(w, ino, depth, parent))
		return;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
		return;	/* removed since listed, or not a directory */
	/* A directory's link count is 2 + its subdirectories on cgroupfs (and
	 * on the filesystems fixtures live on): most cgroups are leaves, and
	 * reading one through its parent's fd, not opening or listing it,
	 * takes 7 system calls instead of 9. */
	if (st.st_nlink == 2) {
		memcpy(w->rel, name, len);
		w->rel[len] = '/';
		w->rel_len = len + 1;
		take_cgroup(w, dfd, &st, depth, parent);
		w->rel_len = 0;
		return;
	}
	cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cfd < 0)
		return;
	/* The directory opened is the one whose inode the row gets. */
	if (fstat(cfd, &st) < 0) {
		close(cfd);
		return;
	}
	self = take_cgroup(w, cfd, &st, depth, parent);
	if (self == CG_NONE || st.st_nlink == 2) {
		close(cfd);
		return;
	}
	walk_children(w, cfd, depth, self, w->still && w->hierarchical);
}

/* The children of the cgroup open at dfd (w->path, row self), depth
 * first; still: its charge did not move. Takes dfd. */
static void walk_children(struct walk *w, int dfd, uint16_t depth, uint32_t self, bool still)
{
	size_t base, names0, nchild, path_len = w->path_len;
	DIR *d = fdopendir(dfd);

	if (!d) {
		close(dfd);
		return;
	}
	if (depth + 1 >= CG_SCAN_DEPTH) {
		w->t->truncated = true;
		closedir(d);
		return;
	}
	base = w->offs_n;
	names0 = w->names_len;
	nchild = list_children(w, d);
	for (size_t i = 0; i < nchild; i++) {
		const char *name = w->names + w->offs[base + i].off;
		size_t len = strlen(name);

		if (path_len + 1 + len >= sizeof(w->path) || len + 1 >= sizeof(w->rel))
			continue;
		w->path_len = path_len == 1 ? 0 : path_len;
		w->path[w->path_len++] = '/';
		memcpy(w->path + w->path_len, name, len + 1);
		w->path_len += len;
		walk_child(w, dirfd(d), name, len, w->offs[base + i].ino, (uint16_t)(depth + 1),
			   self, still);
		w->path_len = path_len;
		w->path[path_len] = '\0';
	}
	w->offs_n = base;
	w->names_len = names0;
	closedir(d);
}

/* The root of a hierarchy, open at dfd. Takes dfd. */
static void walk_root(struct walk *w, int dfd)
{
	struct stat st;
	uint32_t self;

	if (fstat(dfd, &st) < 0) {
		close(dfd);
		return;
	}
	self = take_cgroup(w, dfd, &st, 0, CG_NONE);
	if (self == CG_NONE || st.st_nlink == 2) {
		close(dfd);
		return;
	}
	/* A root's charge says nothing of its children's: v2's has no
	 * memory.current, and v1's usage is summed from the machine's page
	 * statistics, whose per-CPU deltas are folded in lazily. */
	walk_children(w, dfd, 0, self, false);
}

static int open_mount(const struct root *r, const char *mp)
{
	char path[PATH_MAX];

	if (r->live)
		return open(mp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if ((size_t)snprintf(path, sizeof(path), "%s%s", r->dir, mp) >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* The unified hierarchy only has memory files where cgroup.controllers at
 * its root lists the controller (hybrid hosts often do not). */
static bool v2_has_memory(struct walk *w, int dfd)
{
	struct parse_word words[32];
	size_t n;

	if (buf_readat(dfd, "cgroup.controllers", &w->b, CG_FILE_LIMIT))
		return false;
	n = parse_split_words(w->b.data, w->b.data + w->b.len, words, ARRAY_SIZE(words));
	for (size_t i = 0; i < n; i++) {
		size_t len = words[i].n;

		if (len && words[i].s[len - 1] == '\n')
			len--;
		if (len == 6 && !memcmp(words[i].s, "memory", 6))
			return true;
	}
	return false;
}

/* v1 charges a child's pages to its parents only with use_hierarchy 1
 * (always so since Linux 5.11; before, a root could say 0, and a child
 * below a root saying 1 could not say otherwise). */
static bool v1_hierarchical(struct walk *w, int dfd)
{
	return cg_readat(w, dfd, "memory.use_hierarchy") == 0 && w->b.len >= 1 &&
	       w->b.data[0] == '1' && (w->b.len == 1 || w->b.data[1] == '\n');
}

static void walk_hier(struct walk *w, enum cgroup_hier h, const char *mp)
{
	int dfd = open_mount(w->r, mp);

	w->t->mount_off[h] = cgroup_table_add_string(w->t, mp, strlen(mp));
	if (dfd < 0) {
		notes_add(w->notes, NOTE_WARN, SRC_CG, 0, "%s hierarchy at %s: %s",
			  cgroup_hier_name(h), mp, notes_errno_reason(errno));
		return;
	}
	w->hier = h;
	w->memory = h == CG_HIER_V1 || v2_has_memory(w, dfd);
	w->hierarchical = h == CG_HIER_V2 || v1_hierarchical(w, dfd);
	w->t->memory[h] = w->memory;
	snprintf(w->path, sizeof(w->path), "/");
	w->path_len = 1;
	walk_root(w, dfd);
}

void cgroup_scan(const struct root *r, struct cgroup_table *t, struct cgroup_cache *cache,
		 struct notes *notes)
{
	struct walk w = { .r = r, .t = t, .notes = notes, .page_size = root_page_size(r),
			  .cache = cache };
	struct cgroup_mounts m;
	int ret;

	cgroup_table_free(t);
	if (r->proc_fd < 0) {
		notes_missing_errno(notes, SRC_CG, r->proc_err ? r->proc_err : ENOENT);
		return;
	}
	ret = buf_readat(r->proc_fd, "self/mountinfo", &w.b, 0);
	if (ret && ret != -EFBIG) {
		notes_add(notes, NOTE_MISSING, SRC_CG, 0, "mountinfo: %s", notes_errno_reason(-ret));
		buf_free(&w.b);
		return;
	}
	cgroup_parse_mounts(w.b.data, w.b.len, "mountinfo", &m, notes);
	if (!m.v2 && !m.v1_memory) {
		notes_add(notes, NOTE_MISSING, SRC_CG, 0, m.v1_count
			  ? "no cgroup2 mount and no v1 hierarchy with the memory controller"
			  : "cgroupfs is not mounted (no cgroup or cgroup2 line in mountinfo)");
		goto out;
	}
	t->v1_systemd = m.v1_systemd != NULL;
	if (cache) {
		/* Tables of a host are about the same size from sample to sample:
		 * no growing by doubling (and copying) through every scan. */
		xgrow((void **)&t->v, &t->cap, cache->last_n, sizeof(*t->v));
		xgrow((void **)&t->strings, &t->strings_cap, cache->last_strings, 1);
		xgrow((void **)&t->kv, &t->kv_cap, cache->last_kv, sizeof(*t->kv));
		cache_begin(cache);
	}
	if (m.v2)
		walk_hier(&w, CG_HIER_V2, m.v2);
	if (m.v1_memory)
		walk_hier(&w, CG_HIER_V1, m.v1_memory);
	if (cache) {
		cache_end(cache);
		cache->last_n = t->n;
		cache->last_strings = t->strings_len;
		cache->last_kv = t->kv_n;
	}
	cgroup_table_finish(t);
	if (!t->n)
		notes_add(notes, NOTE_MISSING, SRC_CG, 0, "no cgroup directory could be read");
	if (w.denied)
		notes_add(notes, NOTE_WARN, SRC_CG, 0, "%zu cgroups' memory files: %s", w.denied,
			  notes_errno_reason(EACCES));
	if (t->truncated)
		notes_add(notes, NOTE_WARN, SRC_CG, 0, "walk cut at %u cgroups or depth %u",
			  CG_SCAN_MAX, CG_SCAN_DEPTH);
out:
	cgroup_mounts_free(&m);
	free(w.names);
	free(w.offs);
	free(w.keys);
	buf_free(&w.b);
}
