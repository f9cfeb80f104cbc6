/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Processes: <proc>/PID/{stat,status,cmdline,smaps_rollup}, and on request the
 * <proc>/PID/fd walk mapping socket inodes to owners (one readlinkat per fd, as
 * ss -p does; reused for processes whose fds did not change, see proc.h). Each
 * process is read relative to its pid directory fd, and starttime is compared
 * before and after the fd walk, so a reused pid cannot mix two processes.
 * Errors: a vanished process (ENOENT/ESRCH) is skipped silently; a refused fd
 * directory is PROC_FD_DENIED, counted in one "owners" note, never "no sockets".
 */
#include <config.h>

#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "buf.h"
#include "parse.h"
#include "xalloc.h"

#define PF_KTHREAD_FLAG 0x00200000u	/* include/linux/sched.h PF_KTHREAD */
#define DENTS_BUF_SIZE (32u << 10)
#define NOTE_SRC_PROCS "processes"
#define NOTE_SRC_OWNERS "owners"

/* A socket a process held at its last fd walk; also an unowned socket. */
struct held_sock {
	uint64_t cookie;
	uint32_t inode;
	int32_t fd;
};

struct proc_cache_ent {
	int32_t pid;
	uint64_t starttime;
	char comm[64];		/* comm when cmdline was read: a change means exec */
	char *cmdline;		/* heap; NULL when empty */
	unsigned int cmdline_scan;
	/* What the last fd walk found, so that an unchanged process is not
	 * walked again (see proc_scan). */
	uint64_t fd_sig;	/* fd_dir_sig before that walk; 0: nothing to reuse */
	uint32_t fd_count, sock_count;
	uint32_t held_n, unmatched_n;
	struct held_sock *held;	/* sockets of the table, in fd order; heap */
	uint32_t *unmatched;	/* socket inodes that were not in the table; heap */
};

/* A process whose fd walk was skipped in this scan. */
struct reused_proc {
	size_t pt_idx;		/* in proc_table.v */
	size_t ce_idx;		/* in proc_cache.nv */
};

/*
 * The owner records of a scan are collected straight into sock_table.owners,
 * in walk order, and bucketed per socket in place at the end: no scratch as
 * big as the table. Until then a record's starttime holds the socket's index
 * in sock_table.v (low 32 bits) and the process's in proc_table.v (high 32
 * bits), and each socket's owner_first is the number of the last fd walk
 * that counted its memory (see next_walk).
 */
static inline uint64_t rec_pack(size_t sock, size_t proc)
{
	return (uint64_t)proc << 32 | (uint32_t)sock;
}

static inline uint32_t rec_sock(const struct sock_owner *o)
{
	return (uint32_t)o->starttime;
}

static inline uint32_t rec_proc(const struct sock_owner *o)
{
	return (uint32_t)(o->starttime >> 32);
}

static inline size_t recs_n(const struct sock_table *st)
{
	return st ? st->owners_n : 0;
}

static void recs_truncate(struct sock_table *st, size_t n)
{
	if (st)
		st->owners_n = n;
}

struct proc_cache {
	struct proc_cache_ent *v, *nv;	/* sorted by pid; nv is built by the scan */
	size_t n, cap, nv_n, nv_cap;
	unsigned int scan;
	struct buf b;
	char *dents;
	int32_t *pids;
	size_t pids_cap;
	size_t *cmd_off;		/* per proc_table entry: offset in strings, SIZE_MAX none */
	size_t cmd_off_cap;
	uint32_t walk;			/* fd walks this scan; see the socket marks above */
	/* Incremental owner scans. */
	bool owners_valid;		/* the last scan recorded every process's sockets */
	unsigned int since_full;	/* owner scans since the last full walk */
	uint32_t *unm;			/* scratch: unmatched inodes of the walk in progress */
	size_t unm_n, unm_cap;
	struct reused_proc *reused;
	size_t reused_n, reused_cap;
	struct held_sock *unowned;	/* sockets with an inode and no owner, table order */
	size_t unowned_n, unowned_cap;
};

struct scan_ctx {
	const struct root *r;
	struct proc_cache *c;
	unsigned int flags;
	struct proc_table *pt;
	struct sock_table *st;
	struct notes *notes;
	size_t unreadable;
	bool incremental;	/* a process's fd walk may be skipped */
	bool procfs;		/* the fd directory's size is its number of fds */
	uint32_t fd_procs, walked;
};

static bool errno_gone(int err)
{
	return err == ENOENT || err == ESRCH;
}

static bool errno_denied(int err)
{
	return err == EACCES || err == EPERM;
}

/* A whole token of decimal digits, as directory names are. */
static bool parse_name_u64(const char *name, uint64_t *out)
{
	const char *p = name, *end = name + strlen(name);

	if (p == end || *p < '0' || *p > '9')
		return false;
	return parse_u64(&p, end, 10, out) == 0 && p == end;
}

/* Skip to the next blank-separated token; returns its start or NULL. */
static const char *next_token(const char **pp, const char *end)
{
	const char *p = *pp, *t;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
		p++;
	if (p >= end)
		return NULL;
	t = p;
	while (p < end && *p != ' ' && *p != '\t' && *p != '\n')
		p++;
	*pp = p;
	return t;
}

int proc_parse_stat(const char *buf, size_t len, struct proc_entry *p)
{
	const char *end = buf + len, *lp, *rp, *s, *tok;
	uint64_t v, flags = 0;
	int64_t sv;
	size_t clen;
	int field;

	lp = memchr(buf, '(', len);
	rp = memrchr(buf, ')', len);
	if (!lp || !rp || rp < lp)
		return -EINVAL;
	s = buf;
	if (parse_u64(&s, lp, 10, &v) || v > INT32_MAX)
		return -EINVAL;
	p->pid = (int32_t)v;
	clen = (size_t)(rp - lp - 1);
	if (clen >= sizeof(p->comm))
		clen = sizeof(p->comm) - 1;
	memcpy(p->comm, lp + 1, clen);
	p->comm[clen] = '\0';

	/* Fields are numbered from 1; the state after ')' is field 3. */
	s = rp + 1;
	for (field = 3; field <= 22; field++) {
		const char *q;

		tok = next_token(&s, end);
		if (!tok)
			return -EINVAL;
		q = tok;
		switch (field) {
		case 3:
			p->state = *tok;
			break;
		case 4:
			if (parse_s64(&q, s, &sv) || sv < 0 || sv > INT32_MAX)
				return -EINVAL;
			p->ppid = (int32_t)sv;
			break;
		case 9:
			if (parse_u64(&q, s, 10, &flags))
				return -EINVAL;
			break;
		case 20:
			if (parse_s64(&q, s, &sv) || sv < 0 || sv > UINT32_MAX)
				return -EINVAL;
			p->threads = (uint32_t)sv;
			break;
		case 22:
			if (parse_u64(&q, s, 10, &v))
				return -EINVAL;
			p->starttime = v;
			break;
		default:
			break;
		}
	}
	p->kthread = (flags & PF_KTHREAD_FLAG) != 0;
	return 0;
}

int proc_parse_status(const char *buf, size_t len, struct proc_entry *p)
{
	struct line_iter it;
	const char *l, *le;
	bool any = false;

	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l, &le)) {
		char key[32];
		uint64_t v;
		bool kb;

		if (le - l > 4 && memcmp(l, "Uid:", 4) == 0) {
			const char *q = l + 4;
			uint64_t ruid, euid;

			if (parse_u64(&q, le, 10, &ruid) == 0 &&
			    parse_u64(&q, le, 10, &euid) == 0 && euid <= UINT32_MAX) {
				p->uid = (uint32_t)euid;
				any = true;
			}
			continue;
		}
		if (parse_key_value(l, le, key, sizeof(key), &v, &kb))
			continue;
		if (strcmp(key, "VmRSS") == 0) {
			p->rss_bytes = kb ? sat_mul_u64(v, 1024) : v;
		} else if (strcmp(key, "VmSwap") == 0) {
			p->swap_bytes = kb ? sat_mul_u64(v, 1024) : v;
		} else if (strcmp(key, "Threads") == 0) {
			if (v <= UINT32_MAX)
				p->threads = (uint32_t)v;
		} else if (strcmp(key, "Kthread") == 0) {
			p->kthread = v != 0;
		} else if (strcmp(key, "PPid") == 0) {
			if (v <= INT32_MAX)
				p->ppid = (int32_t)v;
		} else {
			continue;
		}
		any = true;
	}
	return any ? 0 : -EINVAL;
}

int proc_parse_smaps_rollup(const char *buf, size_t len, struct proc_entry *p)
{
	struct line_iter it;
	const char *l, *le;

	line_iter_init(&it, buf, len);
	while (line_iter_next(&it, &l, &le)) {
		char key[32];
		uint64_t v;
		bool kb;

		if (parse_key_value(l, le, key, sizeof(key), &v, &kb) == 0 &&
		    strcmp(key, "Pss") == 0) {
			p->pss_bytes = kb ? sat_mul_u64(v, 1024) : v;
			p->has_pss = true;
			return 0;
		}
	}
	return -EINVAL;
}

static void cache_ent_release(struct proc_cache_ent *e)
{
	free(e->cmdline);
	free(e->held);
	free(e->unmatched);
	e->cmdline = NULL;
	e->held = NULL;
	e->unmatched = NULL;
}

struct proc_cache *proc_cache_new(void)
{
	struct proc_cache *c = xcalloc(1, sizeof(*c));

	c->dents = xmalloc(DENTS_BUF_SIZE);
	return c;
}

void proc_cache_free(struct proc_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		cache_ent_release(&c->v[i]);
	for (size_t i = 0; i < c->nv_n; i++)
		cache_ent_release(&c->nv[i]);
	free(c->v);
	free(c->nv);
	buf_free(&c->b);
	free(c->dents);
	free(c->pids);
	free(c->cmd_off);
	free(c->unm);
	free(c->reused);
	free(c->unowned);
	free(c);
}

void proc_table_free(struct proc_table *pt)
{
	free(pt->v);
	free(pt->strings);
	memset(pt, 0, sizeof(*pt));
}

const struct proc_entry *proc_table_find(const struct proc_table *pt, int32_t pid)
{
	size_t lo = 0, hi = pt->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pt->v[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < pt->n && pt->v[lo].pid == pid ? &pt->v[lo] : NULL;
}

/*
 * Directory entries with a reused buffer: a DIR per process would cost an
 * allocation for each of thousands of fd directories per scan.
 */
struct dent_iter {
	int fd;
	char *buf;
	size_t len, pos;
};

/* 1 and *name set, 0 at the end, -errno on a read error. */
static int dent_next(struct dent_iter *it, const char **name)
{
	for (;;) {
		struct dirent64 *d;

		if (it->pos >= it->len) {
			ssize_t r = getdents64(it->fd, it->buf, DENTS_BUF_SIZE);

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

static int cmp_pid(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return SPACESHIP(x, y);
}

/* The numeric entries of <proc>, sorted: the table comes out sorted and the
 * cache can be merged in one pass, whatever order the directory gives. */
static size_t list_pids(struct scan_ctx *x, int *err)
{
	struct proc_cache *c = x->c;
	struct dent_iter it = { .buf = c->dents };
	const char *name;
	size_t n = 0;
	int r;

	*err = 0;
	it.fd = openat(x->r->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (it.fd < 0) {
		*err = errno;
		return 0;
	}
	while ((r = dent_next(&it, &name)) > 0) {
		uint64_t v;

		if (!parse_name_u64(name, &v) || v > INT32_MAX)
			continue;
		xgrow((void **)&c->pids, &c->pids_cap, n + 1, sizeof(*c->pids));
		c->pids[n++] = (int32_t)v;
	}
	if (r < 0)
		*err = -r;
	close(it.fd);
	/* No pid directory leaves pids NULL, and qsort wants an array. */
	if (n)
		qsort(c->pids, n, sizeof(*c->pids), cmp_pid);
	return n;
}

/* Old cache entries before pid are dead: free them. Returns the entry for
 * (pid, starttime) moved to the new cache, or a fresh one. */
static struct proc_cache_ent *cache_take(struct proc_cache *c, size_t *cursor,
					 int32_t pid, uint64_t starttime, bool *hit)
{
	struct proc_cache_ent *e;

	*hit = false;
	while (*cursor < c->n && c->v[*cursor].pid < pid) {
		cache_ent_release(&c->v[*cursor]);
		(*cursor)++;
	}
	xgrow((void **)&c->nv, &c->nv_cap, c->nv_n + 1, sizeof(*c->nv));
	e = &c->nv[c->nv_n++];
	if (*cursor < c->n && c->v[*cursor].pid == pid) {
		struct proc_cache_ent *o = &c->v[(*cursor)++];

		if (o->starttime == starttime) {
			*e = *o;
			*hit = true;
			return e;
		}
		cache_ent_release(o);
	}
	memset(e, 0, sizeof(*e));
	e->pid = pid;
	e->starttime = starttime;
	return e;
}

static void cache_finish(struct proc_cache *c, size_t cursor)
{
	struct proc_cache_ent *t;
	size_t tc;

	for (; cursor < c->n; cursor++)
		cache_ent_release(&c->v[cursor]);
	t = c->v;
	tc = c->cap;
	c->v = c->nv;
	c->cap = c->nv_cap;
	c->n = c->nv_n;
	c->nv = t;
	c->nv_cap = tc;
	c->nv_n = 0;
}

/* Read cmdline into ce; 0, or -errno when the process is gone. */
static int read_cmdline(int pdir, struct proc_cache *c, struct proc_cache_ent *ce,
			const char *comm, bool fresh)
{
	int ret = buf_readat(pdir, "cmdline", &c->b, PROC_CMDLINE_MAX);
	size_t n;

	if (ret && ret != -EFBIG) {
		if (ret == -ESRCH)
			return ret;
		c->b.len = 0;
	}
	n = c->b.len;
	while (n && c->b.data[n - 1] == '\0')
		n--;
	for (size_t i = 0; i < n; i++)
		if (c->b.data[i] == '\0')
			c->b.data[i] = ' ';
	free(ce->cmdline);
	ce->cmdline = n ? xstrndup(c->b.data, n) : NULL;
	/*
	 * A process seen for the first time gets a phase from its pid, so that
	 * processes started together are not all re-read on the same scan.
	 */
	ce->cmdline_scan = c->scan;
	if (fresh)
		ce->cmdline_scan -= (unsigned int)ce->pid % PROC_CMDLINE_REFRESH_SCANS;
	snprintf(ce->comm, sizeof(ce->comm), "%s", comm);
	return 0;
}

static size_t socket_lower_bound(const struct sock_table *st, uint32_t inode)
{
	size_t lo = 0, hi = st->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->v[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* "socket:[1133757]" -> inode. */
static bool link_socket_inode(const char *l, size_t n, uint64_t *ino)
{
	const char *p = l + 8, *end = l + n;

	if (n < 10 || memcmp(l, "socket:[", 8) != 0 || l[n - 1] != ']')
		return false;
	return parse_u64(&p, end - 1, 10, ino) == 0 && p == end - 1;
}

static void clear_marks(struct proc_cache *c, struct sock_table *st)
{
	c->walk = 0;
	if (st)
		for (size_t i = 0; i < st->n; i++)
			st->v[i].owner_first = 0;
}

/* A socket's memory counts once per process: a socket whose mark is this
 * walk's number was already counted for it. */
static uint32_t next_walk(struct proc_cache *c, struct sock_table *st)
{
	uint32_t walk = ++c->walk;

	if (walk == 0) {
		/* Wrapped: marks from 2^32 walks ago would look current. */
		clear_marks(c, st);
		walk = c->walk = 1;
	}
	return walk;
}

static void add_rec(struct sock_table *st, size_t sock, size_t proc, int32_t pid, int32_t fd)
{
	xgrow((void **)&st->owners, &st->owners_cap, st->owners_n + 1, sizeof(*st->owners));
	st->owners[st->owners_n++] = (struct sock_owner){
		.pid = pid, .fd = fd, .starttime = rec_pack(sock, proc),
	};
}

static int cmp_rec_fd(const void *a, const void *b)
{
	const struct sock_owner *x = a, *y = b;

	return SPACESHIP(x->fd, y->fd);
}

/*
 * Walk /proc/PID/fd. Returns 0 (e filled, fd_status set) or -errno when the
 * process is gone. Owner records go to st->owners; the caller drops them if
 * the process turns out to have been replaced.
 */
static int walk_fds(struct scan_ctx *x, int pdir, struct proc_entry *e)
{
	struct proc_cache *c = x->c;
	struct sock_table *st = x->st;
	struct dent_iter it = { .buf = c->dents };
	const char *name;
	char lbuf[64];
	uint32_t walk = next_walk(c, st);
	size_t recs_start = recs_n(st), proc = (size_t)(e - x->pt->v);
	int r;

	it.fd = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (it.fd < 0) {
		if (errno_gone(errno))
			return -errno;
		e->fd_status = errno_denied(errno) ? PROC_FD_DENIED : PROC_FD_NOT_SCANNED;
		return 0;
	}
	e->fd_status = PROC_FD_OK;
	while ((r = dent_next(&it, &name)) > 0) {
		ssize_t n = readlinkat(it.fd, name, lbuf, sizeof(lbuf));
		uint64_t ino, fd;
		size_t i;

		if (n < 0) {
			if (errno == ENOENT)
				continue;	/* closed since the listing */
			if (errno_denied(errno)) {
				e->fd_status = PROC_FD_DENIED;
				break;
			}
			if (errno == ESRCH) {
				r = -ESRCH;
				break;
			}
			continue;
		}
		e->fd_count++;
		if (!link_socket_inode(lbuf, (size_t)n, &ino))
			continue;
		e->sock_count++;
		if (!st || ino == 0 || ino > UINT32_MAX || !parse_name_u64(name, &fd) ||
		    fd > INT32_MAX)
			continue;
		i = socket_lower_bound(st, (uint32_t)ino);

		if (i >= st->n || st->v[i].inode != ino) {
			/* Another netns, or opened after the dump. */
			xgrow((void **)&c->unm, &c->unm_cap, c->unm_n + 1, sizeof(*c->unm));
			c->unm[c->unm_n++] = (uint32_t)ino;
			continue;
		}
		add_rec(st, i, proc, e->pid, (int32_t)fd);
		if (st->v[i].owner_first != walk) {
			st->v[i].owner_first = walk;
			e->sock_mem_bytes = sat_add_u64(e->sock_mem_bytes,
							sock_mem_bytes(&st->v[i]));
		}
	}
	close(it.fd);
	if (r < 0 && errno_gone(-r))
		return r;
	if (e->fd_status == PROC_FD_DENIED) {
		e->fd_count = e->sock_count = 0;
		e->sock_mem_bytes = 0;
		recs_truncate(st, recs_start);
		return 0;
	}
	/* procfs lists fds in order; other trees (captures) in any order. */
	for (size_t k = recs_start + 1; k < recs_n(st); k++) {
		if (st->owners[k].fd < st->owners[k - 1].fd) {
			qsort(st->owners + recs_start, st->owners_n - recs_start,
			      sizeof(*st->owners), cmp_rec_fd);
			break;
		}
	}
	return 0;
}

/*
 * What tells whether a process's fd table changed without reading its
 * links: on procfs (Linux 6.2+) the size of the fd directory is its number
 * of open fds; elsewhere, or when that size is 0, the entries are counted
 * (one getdents, no readlink). The two kinds never compare equal. 0 on error.
 */
static uint64_t fd_dir_sig(struct scan_ctx *x, int pdir)
{
	struct dent_iter it = { .buf = x->c->dents };
	const char *name;
	uint64_t n = 0;
	int r;

	if (x->procfs) {
		struct stat sb;

		if (fstatat(pdir, "fd", &sb, 0) < 0)
			return 0;
		if (sb.st_size > 0 && (uint64_t)sb.st_size < (1ull << 32))
			return (uint64_t)sb.st_size;
	}
	it.fd = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (it.fd < 0)
		return 0;
	while ((r = dent_next(&it, &name)) > 0)
		n++;
	close(it.fd);
	return r < 0 ? 0 : (1ull << 32) + n;
}

/* Keep what the walk that added st->owners[recs_start..] found, for the next scan. */
static void remember_walk(struct proc_cache *c, const struct sock_table *st,
			  struct proc_cache_ent *ce, const struct proc_entry *e, size_t recs_start,
			  uint64_t fd_sig)
{
	size_t n = recs_n(st) - recs_start;

	free(ce->held);
	free(ce->unmatched);
	ce->held = NULL;
	ce->unmatched = NULL;
	ce->held_n = ce->unmatched_n = 0;
	ce->fd_sig = 0;
	if (!st || e->fd_status != PROC_FD_OK || !fd_sig || n > UINT32_MAX ||
	    c->unm_n > UINT32_MAX)
		return;
	if (n) {
		ce->held = xmalloc(n * sizeof(*ce->held));
		for (size_t k = 0; k < n; k++) {
			const struct sock_owner *o = &st->owners[recs_start + k];
			const struct sock_entry *s = &st->v[rec_sock(o)];

			ce->held[k] = (struct held_sock){
				.cookie = s->cookie, .inode = s->inode, .fd = o->fd,
			};
		}
	}
	if (c->unm_n) {
		ce->unmatched = xmalloc(c->unm_n * sizeof(*ce->unmatched));
		memcpy(ce->unmatched, c->unm, c->unm_n * sizeof(*ce->unmatched));
	}
	ce->held_n = (uint32_t)n;
	ce->unmatched_n = (uint32_t)c->unm_n;
	ce->fd_count = e->fd_count;
	ce->sock_count = e->sock_count;
	ce->fd_sig = fd_sig;
}

/*
 * Walk the fds of the process of pdir and remember the result in ce. Returns
 * 0, or -errno when the process is gone or was replaced during the walk (the
 * caller then drops the records it added).
 */
static int walk_and_remember(struct scan_ctx *x, int pdir, struct proc_entry *e,
			     struct proc_cache_ent *ce)
{
	struct proc_cache *c = x->c;
	size_t recs_start = recs_n(x->st);
	uint64_t fd_sig = x->st ? fd_dir_sig(x, pdir) : 0;
	struct proc_entry again;
	int ret;

	c->unm_n = 0;
	x->walked++;
	ret = walk_fds(x, pdir, e);
	if (ret)
		return ret;
	memset(&again, 0, sizeof(again));
	ret = buf_readat(pdir, "stat", &c->b, 0);
	if (ret)
		return ret;
	if (proc_parse_stat(c->b.data, c->b.len, &again) || again.starttime != e->starttime)
		return -ESRCH;
	remember_walk(c, x->st, ce, e, recs_start, fd_sig);
	return 0;
}

/*
 * The owners of a process whose fd table has as many fds as at its last
 * walk, every socket it held then still in the table with the same cookie,
 * and none of the sockets that were not in the table then in it now, are
 * taken from that walk. Returns false (nothing added) when the process must
 * be walked. Where the old socket lives on elsewhere (fork, SCM_RIGHTS), a
 * socket swapped for another on the same fd is caught by proc_scan through
 * the new one being left without an owner; a socket fd replaced by a file
 * (or by a socket of another netns) is seen only at the next full walk.
 */
static bool reuse_walk(struct scan_ctx *x, int pdir, const struct proc_cache_ent *ce,
		       struct proc_entry *e)
{
	struct proc_cache *c = x->c;
	struct sock_table *st = x->st;
	size_t recs_start = st->owners_n, proc = (size_t)(e - x->pt->v);
	uint32_t walk;

	if (!ce->fd_sig || fd_dir_sig(x, pdir) != ce->fd_sig)
		return false;
	for (uint32_t k = 0; k < ce->unmatched_n; k++) {
		size_t i = socket_lower_bound(st, ce->unmatched[k]);

		if (i < st->n && st->v[i].inode == ce->unmatched[k])
			return false;
	}
	walk = next_walk(c, st);
	xgrow((void **)&st->owners, &st->owners_cap, st->owners_n + ce->held_n + 1,
	      sizeof(*st->owners));
	for (uint32_t k = 0; k < ce->held_n; k++) {
		const struct held_sock *h = &ce->held[k];
		const struct sock_entry *s = sock_table_find(st, h->inode, h->cookie);
		size_t i;

		if (!s) {
			st->owners_n = recs_start;
			e->sock_mem_bytes = 0;
			return false;
		}
		i = (size_t)(s - st->v);
		add_rec(st, i, proc, e->pid, h->fd);
		if (st->v[i].owner_first != walk) {
			st->v[i].owner_first = walk;
			e->sock_mem_bytes = sat_add_u64(e->sock_mem_bytes, sock_mem_bytes(s));
		}
	}
	e->fd_status = PROC_FD_OK;
	e->fd_count = ce->fd_count;
	e->sock_count = ce->sock_count;
	return true;
}

static void note_malformed(struct scan_ctx *x, int32_t pid, const char *file)
{
	char src[64];

	snprintf(src, sizeof(src), "/proc/%d/%s", (int)pid, file);
	notes_add(x->notes, NOTE_WARN, src, 0, "unexpected format, process skipped");
}

/*
 * One process into e. Returns 0 when e is to be kept, -errno when the process
 * vanished or could not be read at all.
 */
static int scan_one(struct scan_ctx *x, int32_t pid, struct proc_entry *e, size_t *cursor,
		    size_t *cmd_off)
{
	struct proc_cache *c = x->c;
	struct proc_cache_ent *ce;
	char name[16];
	bool hit;
	int pdir, ret;
	size_t recs_mark = recs_n(x->st);

	*cmd_off = SIZE_MAX;
	memset(e, 0, sizeof(*e));
	e->fd_status = PROC_FD_NOT_SCANNED;
	snprintf(name, sizeof(name), "%d", (int)pid);
	pdir = openat(x->r->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pdir < 0)
		return -errno;
	ret = buf_readat(pdir, "stat", &c->b, 0);
	if (ret)
		goto out;
	if (proc_parse_stat(c->b.data, c->b.len, e) || e->pid != pid) {
		note_malformed(x, pid, "stat");
		ret = -EINVAL;
		goto out;
	}
	/*
	 * stat was there: ENOENT on the other files means this kernel or tree
	 * lacks them (smaps_rollup before 4.14), ESRCH that the process died.
	 */
	ret = buf_readat(pdir, "status", &c->b, 0);
	if (ret == 0)
		proc_parse_status(c->b.data, c->b.len, e);
	else if (ret == -ESRCH)
		goto out;

	ce = cache_take(c, cursor, pid, e->starttime, &hit);
	if (!hit || c->scan - ce->cmdline_scan >= PROC_CMDLINE_REFRESH_SCANS ||
	    strcmp(ce->comm, e->comm) != 0) {
		ret = read_cmdline(pdir, c, ce, e->comm, !hit);
		if (ret)
			goto drop_cache;
	}
	if (ce->cmdline) {
		struct proc_table *pt = x->pt;
		size_t n = strlen(ce->cmdline) + 1;

		xgrow((void **)&pt->strings, &pt->strings_cap, pt->strings_len + n, 1);
		memcpy(pt->strings + pt->strings_len, ce->cmdline, n);
		*cmd_off = pt->strings_len;
		pt->strings_len += n;
	}

	if ((x->flags & PROC_SCAN_PSS) && !e->kthread) {
		ret = buf_readat(pdir, "smaps_rollup", &c->b, 0);
		if (ret == 0)
			proc_parse_smaps_rollup(c->b.data, c->b.len, e);
		else if (ret == -ESRCH)
			goto drop_cache;
	}

	if (x->flags & PROC_SCAN_FDS) {
		if (e->kthread) {
			/* Kernel threads have no file table. */
			e->fd_status = PROC_FD_OK;
			ret = 0;
			goto out;
		}
		x->fd_procs++;
		if (x->incremental && hit && reuse_walk(x, pdir, ce, e)) {
			struct reused_proc *u;

			xgrow((void **)&c->reused, &c->reused_cap, c->reused_n + 1,
			      sizeof(*c->reused));
			u = &c->reused[c->reused_n++];
			*u = (struct reused_proc){
				.pt_idx = (size_t)(e - x->pt->v), .ce_idx = (size_t)(ce - c->nv),
			};
			ret = 0;
			goto out;
		}
		ret = walk_and_remember(x, pdir, e, ce);
		if (ret) {
			/* Gone: not counted as one of the processes. */
			x->fd_procs--;
			x->walked--;
			goto drop_cache;
		}
	}
	ret = 0;
	goto out;

drop_cache:
	/* The entry just taken is the last one of the new cache. */
	c->nv_n--;
	cache_ent_release(&c->nv[c->nv_n]);
	if (*cmd_off != SIZE_MAX) {
		x->pt->strings_len = *cmd_off;
		*cmd_off = SIZE_MAX;
	}
out:
	if (ret)
		recs_truncate(x->st, recs_mark);
	close(pdir);
	return ret;
}

static bool rec_less(const struct sock_owner *a, const struct sock_owner *b)
{
	return a->pid < b->pid || (a->pid == b->pid && a->fd < b->fd);
}

/*
 * Bucket the owner records per socket in place: counts and starts first,
 * then every record is swapped into the next free slot of its socket's range
 * (following the cycles, each record moves once), then each socket's owners
 * are put in pid then fd order. The records keep their packed indexes.
 */
static void build_owners(struct sock_table *st)
{
	struct sock_owner *o = st->owners;
	uint32_t sum = 0;

	for (size_t i = 0; i < st->n; i++)
		st->v[i].owner_n = 0;
	for (size_t k = 0; k < st->owners_n; k++)
		st->v[rec_sock(&o[k])].owner_n++;
	/* owner_n now counts the records already in place. */
	for (size_t i = 0; i < st->n; i++) {
		uint32_t n = st->v[i].owner_n;

		st->v[i].owner_first = sum;
		st->v[i].owner_n = 0;
		sum += n;
	}
	for (size_t i = 0; i < st->n; i++) {
		struct sock_entry *b = &st->v[i];
		size_t end = i + 1 < st->n ? st->v[i + 1].owner_first : st->owners_n;

		for (size_t p; (p = (size_t)b->owner_first + b->owner_n) < end;) {
			struct sock_owner r = o[p];
			uint32_t s;

			while ((s = rec_sock(&r)) != i) {
				struct sock_entry *d = &st->v[s];
				size_t q = (size_t)d->owner_first + d->owner_n++;
				struct sock_owner t = o[q];

				o[q] = r;
				r = t;
			}
			o[p] = r;
			b->owner_n++;
		}
		for (size_t k = (size_t)b->owner_first + 1; k < end; k++) {
			struct sock_owner r = o[k];
			size_t j = k;

			for (; j > b->owner_first && rec_less(&r, &o[j - 1]); j--)
				o[j] = o[j - 1];
			o[j] = r;
		}
	}
	st->owners_scanned = true;
}

/* The records' packed indexes become the processes' start times. */
static void finish_owners(struct sock_table *st, const struct proc_table *pt)
{
	for (size_t k = 0; k < st->owners_n; k++)
		st->owners[k].starttime = pt->v[rec_proc(&st->owners[k])].starttime;
	/* The array grew by doubling: give the unused tail back. */
	if (st->owners_n && st->owners_cap > st->owners_n) {
		st->owners = xreallocarray(st->owners, st->owners_n, sizeof(*st->owners));
		st->owners_cap = st->owners_n;
	}
}

/* A socket with an inode, no owner now, and an owner (or none in the table)
 * at the last scan: someone may hold it in a process that was not walked. */
static bool new_unowned(const struct proc_cache *c, const struct sock_table *st)
{
	size_t j = 0;

	for (size_t i = 0; i < st->n; i++) {
		const struct sock_entry *e = &st->v[i];

		if (!e->inode || e->owner_n)
			continue;
		while (j < c->unowned_n && (c->unowned[j].inode < e->inode ||
					    (c->unowned[j].inode == e->inode &&
					     c->unowned[j].cookie < e->cookie)))
			j++;
		if (j < c->unowned_n && c->unowned[j].inode == e->inode &&
		    c->unowned[j].cookie == e->cookie)
			continue;
		return true;
	}
	return false;
}

static void remember_unowned(struct proc_cache *c, const struct sock_table *st)
{
	c->unowned_n = 0;
	for (size_t i = 0; i < st->n; i++) {
		const struct sock_entry *e = &st->v[i];

		if (!e->inode || e->owner_n)
			continue;
		xgrow((void **)&c->unowned, &c->unowned_cap, c->unowned_n + 1,
		      sizeof(*c->unowned));
		c->unowned[c->unowned_n++] = (struct held_sock){
			.cookie = e->cookie, .inode = e->inode,
		};
	}
}

/* Walk a process whose walk was skipped; when it is gone by now its fds are
 * shown as not scanned. */
static void rewalk(struct scan_ctx *x, const struct reused_proc *u)
{
	struct proc_cache *c = x->c;
	struct proc_entry *e = &x->pt->v[u->pt_idx];
	struct proc_cache_ent *ce = &c->nv[u->ce_idx];
	size_t recs_mark = recs_n(x->st);
	char name[16];
	int pdir, ret = -ESRCH;

	e->fd_count = e->sock_count = 0;
	e->sock_mem_bytes = 0;
	snprintf(name, sizeof(name), "%d", (int)e->pid);
	pdir = openat(x->r->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pdir >= 0) {
		ret = walk_and_remember(x, pdir, e, ce);
		close(pdir);
	}
	if (ret) {
		recs_truncate(x->st, recs_mark);
		e->fd_count = e->sock_count = 0;
		e->sock_mem_bytes = 0;
		e->fd_status = PROC_FD_NOT_SCANNED;
		c->unm_n = 0;
		remember_walk(c, NULL, ce, e, 0, 0);
	} else if (e->fd_status == PROC_FD_DENIED) {
		x->pt->denied++;
	}
}

/* Walk every process whose walk was skipped, in place of what was reused. */
static void walk_skipped(struct scan_ctx *x)
{
	struct proc_cache *c = x->c;
	struct sock_table *st = x->st;
	bool *skipped = xcalloc(x->pt->n ? x->pt->n : 1, sizeof(*skipped));
	size_t w = 0;

	/* The records are bucketed by now: the reused ones are found by process. */
	for (size_t k = 0; k < c->reused_n; k++)
		skipped[c->reused[k].pt_idx] = true;
	for (size_t i = 0; i < st->owners_n; i++)
		if (!skipped[rec_proc(&st->owners[i])])
			st->owners[w++] = st->owners[i];
	st->owners_n = w;
	free(skipped);
	clear_marks(c, st);
	for (size_t k = 0; k < c->reused_n; k++)
		rewalk(x, &c->reused[k]);
}

void proc_scan(const struct root *r, struct proc_cache *c, unsigned int flags,
	       struct proc_table *pt, struct sock_table *st, struct notes *notes)
{
	struct scan_ctx x = {
		.r = r, .c = c, .flags = flags, .pt = pt, .st = st, .notes = notes,
	};
	size_t npids, cursor = 0;
	int err;

	proc_table_free(pt);
	if (!(flags & PROC_SCAN_FDS))
		st = x.st = NULL;
	if (r->proc_fd < 0) {
		notes_missing_errno(notes, NOTE_SRC_PROCS, r->proc_err ? r->proc_err : ENOENT);
		return;
	}
	c->scan++;
	c->nv_n = 0;
	c->reused_n = 0;
	if (st) {
		struct statfs sf;
		bool full = !c->owners_valid || c->since_full + 1 >= PROC_OWNERS_FULL_WALK_SCANS;

		x.incremental = !full;
		c->since_full = full ? 0 : c->since_full + 1;
		x.procfs = fstatfs(r->proc_fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
	}
	c->owners_valid = false;
	npids = list_pids(&x, &err);
	if (err) {
		notes_missing_errno(notes, NOTE_SRC_PROCS, err);
		if (!npids)
			return;
	}
	if (st) {
		st->owners_n = 0;
		clear_marks(c, st);
	}
	xgrow((void **)&pt->v, &pt->cap, npids ? npids : 1, sizeof(*pt->v));
	xgrow((void **)&c->cmd_off, &c->cmd_off_cap, npids ? npids : 1, sizeof(*c->cmd_off));
	for (size_t i = 0; i < npids; i++) {
		struct proc_entry *e = &pt->v[pt->n];
		int ret = scan_one(&x, c->pids[i], e, &cursor, &c->cmd_off[pt->n]);

		if (ret == 0) {
			if (e->fd_status == PROC_FD_DENIED)
				pt->denied++;
			pt->n++;
		} else if (!errno_gone(-ret) && ret != -EINVAL) {
			x.unreadable++;
		}
	}
	if (st) {
		build_owners(st);
		st->owners_full = !x.incremental;
		if (c->reused_n && new_unowned(c, st)) {
			walk_skipped(&x);
			build_owners(st);
			st->owners_full = true;
		}
		finish_owners(st, pt);
		remember_unowned(c, st);
		st->owners_procs = x.fd_procs;
		st->owners_walked = x.walked;
		c->owners_valid = true;
	}
	cache_finish(c, cursor);
	for (size_t i = 0; i < pt->n; i++)
		pt->v[i].cmdline = c->cmd_off[i] == SIZE_MAX ? NULL : pt->strings + c->cmd_off[i];
	if (pt->denied)
		notes_add(notes, NOTE_WARN, NOTE_SRC_OWNERS, 0, "%zu processes' fds: %s", pt->denied,
			  notes_errno_reason(EACCES));
	if (x.unreadable)
		notes_add(notes, NOTE_WARN, NOTE_SRC_PROCS, 0, "%zu processes: %s", x.unreadable,
			  notes_errno_reason(EACCES));
}
