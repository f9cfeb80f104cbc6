/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The <proc>/PID/fd walk (see owner_walk.h). Each process is read relative
 * to its pid directory fd, and its start time is compared before (by the
 * scan) and after the walk, so a reused pid cannot mix two processes.
 * Errors: a vanished process (ENOENT/ESRCH) is dropped; a refused fd
 * directory is PROC_FD_DENIED, never "no sockets".
 */
#include <config.h>

#include "owner_walk.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "parse.h"
#include "proc_dir.h"
#include "proc_parse.h"
#include "xalloc.h"

/* A process whose fd walk was skipped in this scan. */
struct reused_proc {
	size_t pt_idx;		/* in proc_table.v */
	size_t memo_idx;	/* as given to owner_walk_process */
};

/* A socket fd seen by a deferred walk, matched once the table is there. */
struct deferred_fd {
	uint32_t inode;
	int32_t fd;
};

/* A process walked before the socket table existed: its socket fds are
 * fds[first..first+n), in walk order. */
struct deferred_proc {
	size_t pt_idx, memo_idx;
	size_t first, n;
	uint64_t fd_sig;
};

/*
 * The owner records of a scan are collected straight into sock_table.owners,
 * in walk order, and bucketed per socket in place at the end: no scratch as
 * big as the table. Beside them, rec_sock[k] is the index in sock_table.v of
 * the socket of owners[k]; mark[i] is the number of the last fd walk that
 * counted socket i's memory (see next_walk).
 */
struct owner_walk {
	struct proc_table *pt;
	struct sock_table *st;	/* NULL: counts only */
	int proc_fd;
	bool active;		/* this scan walks fds */
	bool deferred;		/* socket fds are collected now and matched in owner_walk_attach */
	bool attach_ready;	/* a deferred scan got to its end */
	bool incremental;	/* a process's fd walk may be skipped */
	bool procfs;		/* the fd directory's size is its number of fds */
	bool owners_valid;	/* the last scan recorded every process's sockets */
	unsigned int since_full;	/* owner scans since the last full walk */
	uint32_t fd_procs, walked;
	uint32_t walk;		/* fd walks this scan */
	struct buf b;
	char *dents;
	uint32_t *rec_sock;
	size_t rec_sock_cap;
	uint32_t *mark;		/* per socket */
	size_t mark_cap;
	uint32_t *buckets;	/* per socket: its bucket's start, then records placed in it */
	size_t buckets_cap;
	uint32_t *unm;		/* unmatched inodes of the walk in progress */
	size_t unm_n, unm_cap;
	struct reused_proc *reused;
	size_t reused_n, reused_cap;
	struct held_sock *unowned;	/* sockets with an inode and no owner, table order */
	size_t unowned_n, unowned_cap;
	struct deferred_fd *dfd;
	size_t dfd_n, dfd_cap;
	struct deferred_proc *dproc;
	size_t dproc_n, dproc_cap;
};

static inline size_t recs_n(const struct owner_walk *w)
{
	return w->st ? w->st->owners_n : 0;
}

static void recs_truncate(struct owner_walk *w, size_t n)
{
	if (w->st)
		w->st->owners_n = n;
}

void owner_memo_release(struct owner_memo *m)
{
	free(m->held);
	free(m->unmatched);
	memset(m, 0, sizeof(*m));
}

struct owner_walk *owner_walk_new(void)
{
	struct owner_walk *w = xcalloc(1, sizeof(*w));

	w->dents = xmalloc(PROC_DENTS_BUF_SIZE);
	return w;
}

void owner_walk_free(struct owner_walk *w)
{
	if (!w)
		return;
	buf_free(&w->b);
	free(w->dents);
	free(w->rec_sock);
	free(w->mark);
	free(w->buckets);
	free(w->unm);
	free(w->reused);
	free(w->unowned);
	free(w->dfd);
	free(w->dproc);
	free(w);
}

static void clear_marks(struct owner_walk *w)
{
	w->walk = 0;
	if (w->st && w->st->n)
		memset(w->mark, 0, w->st->n * sizeof(*w->mark));
}

/* A socket's memory counts once per process: a socket whose mark is this
 * walk's number was already counted for it. */
static uint32_t next_walk(struct owner_walk *w)
{
	uint32_t walk = ++w->walk;

	if (walk == 0) {
		/* Wrapped: marks from 2^32 walks ago would look current. */
		clear_marks(w);
		walk = w->walk = 1;
	}
	return walk;
}

void owner_walk_skip(struct owner_walk *w)
{
	w->active = false;
	w->deferred = false;
	w->st = NULL;
	w->owners_valid = false;
}

bool owner_walk_is_full(const struct owner_walk *w)
{
	return !w->owners_valid || w->since_full + 1 >= OWNER_FULL_WALK_SCANS;
}

/* What every scan with fd walks starts from; deferred: see owner_walk.h. */
static void begin_scan(struct owner_walk *w, int proc_fd, struct proc_table *pt,
		       struct sock_table *st, bool deferred)
{
	w->pt = pt;
	w->st = deferred ? NULL : st;
	w->proc_fd = proc_fd;
	w->active = true;
	w->deferred = deferred;
	w->attach_ready = false;
	w->incremental = false;
	w->fd_procs = w->walked = 0;
	w->reused_n = 0;
	w->dfd_n = w->dproc_n = 0;
	if (st) {
		struct statfs sf;
		bool full = owner_walk_is_full(w);

		w->incremental = !full && !deferred;
		w->since_full = full ? 0 : w->since_full + 1;
		w->procfs = fstatfs(proc_fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
	}
	if (w->st) {
		st->owners_n = 0;
		xgrow((void **)&w->mark, &w->mark_cap, st->n ? st->n : 1, sizeof(*w->mark));
		clear_marks(w);
	}
	w->owners_valid = false;
}

void owner_walk_begin(struct owner_walk *w, int proc_fd, struct proc_table *pt,
		      struct sock_table *st)
{
	begin_scan(w, proc_fd, pt, st, false);
}

void owner_walk_begin_deferred(struct owner_walk *w, int proc_fd, struct proc_table *pt,
			       struct sock_table *st)
{
	begin_scan(w, proc_fd, pt, st, true);
}

void owner_walk_deferred_done(struct owner_walk *w)
{
	w->attach_ready = w->deferred;
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

static void add_rec(struct owner_walk *w, size_t sock, const struct proc_entry *e, int32_t fd)
{
	struct sock_table *st = w->st;

	xgrow((void **)&st->owners, &st->owners_cap, st->owners_n + 1, sizeof(*st->owners));
	xgrow((void **)&w->rec_sock, &w->rec_sock_cap, st->owners_n + 1, sizeof(*w->rec_sock));
	w->rec_sock[st->owners_n] = (uint32_t)sock;
	st->owners[st->owners_n++] = (struct sock_owner){
		.pid = e->pid, .fd = fd, .starttime = e->starttime,
	};
}

/* A record with its socket index, for sorting the two arrays together. */
struct rec_pair {
	struct sock_owner o;
	uint32_t sock;
};

static int cmp_pair_fd(const void *a, const void *b)
{
	const struct rec_pair *x = a, *y = b;

	return SPACESHIP(x->o.fd, y->o.fd);
}

/* procfs lists fds in order; other trees (captures) in any order. */
static void sort_recs_by_fd(struct owner_walk *w, size_t start)
{
	struct sock_table *st = w->st;
	size_t n = recs_n(w) - start, k;
	struct rec_pair *p;

	for (k = start + 1; k < recs_n(w); k++)
		if (st->owners[k].fd < st->owners[k - 1].fd)
			break;
	if (k >= recs_n(w))
		return;
	p = xmalloc(n * sizeof(*p));
	for (k = 0; k < n; k++)
		p[k] = (struct rec_pair){ .o = st->owners[start + k], .sock = w->rec_sock[start + k] };
	qsort(p, n, sizeof(*p), cmp_pair_fd);
	for (k = 0; k < n; k++) {
		st->owners[start + k] = p[k].o;
		w->rec_sock[start + k] = p[k].sock;
	}
	free(p);
}

static void count_sock_mem(struct owner_walk *w, size_t i, uint32_t walk, struct proc_entry *e)
{
	if (w->mark[i] != walk) {
		w->mark[i] = walk;
		e->sock_mem_bytes = sat_add_u64(e->sock_mem_bytes, sock_mem_bytes(&w->st->v[i]));
	}
}

/*
 * Walk <pdir>/fd. Returns 0 (e filled, fd_status set) or -errno when the
 * process is gone. Owner records go to st->owners; the caller drops them if
 * the process turns out to have been replaced.
 */
static int walk_fds(struct owner_walk *w, int pdir, struct proc_entry *e)
{
	struct sock_table *st = w->st;
	struct dent_iter it = { .buf = w->dents };
	const char *name;
	char lbuf[64];
	uint32_t walk = w->deferred ? 0 : next_walk(w);
	size_t recs_start = recs_n(w), dfd_start = w->dfd_n;
	int r;

	it.fd = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (it.fd < 0) {
		if (proc_errno_gone(errno))
			return -errno;
		e->fd_status = proc_errno_denied(errno) ? PROC_FD_DENIED : PROC_FD_NOT_SCANNED;
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
			if (proc_errno_denied(errno)) {
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
		if ((!st && !w->deferred) || ino == 0 || ino > UINT32_MAX ||
		    !proc_name_u64(name, &fd) || fd > INT32_MAX)
			continue;
		if (w->deferred) {
			xgrow((void **)&w->dfd, &w->dfd_cap, w->dfd_n + 1, sizeof(*w->dfd));
			w->dfd[w->dfd_n++] = (struct deferred_fd){ .inode = (uint32_t)ino,
								   .fd = (int32_t)fd };
			continue;
		}
		i = socket_lower_bound(st, (uint32_t)ino);
		if (i >= st->n || st->v[i].inode != ino) {
			/* Another netns, or opened after the dump. */
			xgrow((void **)&w->unm, &w->unm_cap, w->unm_n + 1, sizeof(*w->unm));
			w->unm[w->unm_n++] = (uint32_t)ino;
			continue;
		}
		add_rec(w, i, e, (int32_t)fd);
		count_sock_mem(w, i, walk, e);
	}
	close(it.fd);
	if (r < 0 && proc_errno_gone(-r))
		return r;
	if (e->fd_status == PROC_FD_DENIED) {
		e->fd_count = e->sock_count = 0;
		e->sock_mem_bytes = 0;
		recs_truncate(w, recs_start);
		w->dfd_n = dfd_start;
		return 0;
	}
	if (st)
		sort_recs_by_fd(w, recs_start);
	return 0;
}

/*
 * What tells whether a process's fd table changed without reading its
 * links: on procfs (Linux 6.2+) the size of the fd directory is its number
 * of open fds; elsewhere, or when that size is 0, the entries are counted
 * (one getdents, no readlink). The two kinds never compare equal. 0 on error.
 */
static uint64_t fd_dir_sig(struct owner_walk *w, int pdir)
{
	struct dent_iter it = { .buf = w->dents };
	const char *name;
	uint64_t n = 0;
	int r;

	if (w->procfs) {
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
static void remember_walk(struct owner_walk *w, struct owner_memo *m, const struct proc_entry *e,
			  size_t recs_start, uint64_t fd_sig)
{
	const struct sock_table *st = w->st;
	size_t n = recs_n(w) - recs_start;

	owner_memo_release(m);
	if (!st || e->fd_status != PROC_FD_OK || !fd_sig || n > UINT32_MAX ||
	    w->unm_n > UINT32_MAX)
		return;
	if (n) {
		m->held = xmalloc(n * sizeof(*m->held));
		for (size_t k = 0; k < n; k++) {
			const struct sock_entry *s = &st->v[w->rec_sock[recs_start + k]];

			m->held[k] = (struct held_sock){
				.cookie = s->cookie, .inode = s->inode,
				.fd = st->owners[recs_start + k].fd,
			};
		}
	}
	if (w->unm_n) {
		m->unmatched = xmalloc(w->unm_n * sizeof(*m->unmatched));
		memcpy(m->unmatched, w->unm, w->unm_n * sizeof(*m->unmatched));
	}
	m->held_n = (uint32_t)n;
	m->unmatched_n = (uint32_t)w->unm_n;
	m->fd_count = e->fd_count;
	m->sock_count = e->sock_count;
	m->fd_sig = fd_sig;
}

/*
 * Walk the fds of the process of pdir and remember the result in m. Returns
 * 0, or -errno when the process is gone or was replaced during the walk (the
 * caller then drops the records it added).
 */
static int walk_and_remember(struct owner_walk *w, int pdir, struct proc_entry *e,
			     struct owner_memo *m, size_t memo_idx)
{
	size_t recs_start = recs_n(w), dfd_start = w->dfd_n;
	uint64_t fd_sig = w->st || w->deferred ? fd_dir_sig(w, pdir) : 0;
	struct proc_entry again;
	int ret;

	w->unm_n = 0;
	w->walked++;
	ret = walk_fds(w, pdir, e);
	if (ret)
		return ret;
	memset(&again, 0, sizeof(again));
	ret = buf_readat(pdir, "stat", &w->b, 0);
	if (ret)
		return ret;
	if (proc_parse_stat(w->b.data, w->b.len, &again) || again.starttime != e->starttime)
		return -ESRCH;
	if (w->deferred) {
		xgrow((void **)&w->dproc, &w->dproc_cap, w->dproc_n + 1, sizeof(*w->dproc));
		w->dproc[w->dproc_n++] = (struct deferred_proc){
			.pt_idx = (size_t)(e - w->pt->v), .memo_idx = memo_idx,
			.first = dfd_start, .n = w->dfd_n - dfd_start, .fd_sig = fd_sig,
		};
		return 0;
	}
	remember_walk(w, m, e, recs_start, fd_sig);
	return 0;
}

/*
 * The owners of a process whose fd table has as many fds as at its last
 * walk, every socket it held then still in the table with the same cookie,
 * and none of the sockets that were not in the table then in it now, are
 * taken from that walk. Returns false (nothing added) when the process must
 * be walked. Where the old socket lives on elsewhere (fork, SCM_RIGHTS), a
 * socket swapped for another on the same fd is caught by owner_walk_end
 * through the new one being left without an owner; a socket fd replaced by a
 * file (or by a socket of another netns) is seen only at the next full walk.
 */
static bool reuse_walk(struct owner_walk *w, int pdir, const struct owner_memo *m,
		       struct proc_entry *e)
{
	struct sock_table *st = w->st;
	size_t recs_start = st->owners_n;
	uint32_t walk;

	if (!m->fd_sig || fd_dir_sig(w, pdir) != m->fd_sig)
		return false;
	for (uint32_t k = 0; k < m->unmatched_n; k++) {
		size_t i = socket_lower_bound(st, m->unmatched[k]);

		if (i < st->n && st->v[i].inode == m->unmatched[k])
			return false;
	}
	walk = next_walk(w);
	for (uint32_t k = 0; k < m->held_n; k++) {
		const struct held_sock *h = &m->held[k];
		const struct sock_entry *s = sock_table_find(st, h->inode, h->cookie);
		size_t i;

		if (!s) {
			st->owners_n = recs_start;
			e->sock_mem_bytes = 0;
			return false;
		}
		i = (size_t)(s - st->v);
		add_rec(w, i, e, h->fd);
		count_sock_mem(w, i, walk, e);
	}
	e->fd_status = PROC_FD_OK;
	e->fd_count = m->fd_count;
	e->sock_count = m->sock_count;
	return true;
}

int owner_walk_process(struct owner_walk *w, int pdir, struct proc_entry *e,
		       struct owner_memo *memo, bool memo_known, size_t memo_idx)
{
	size_t recs_mark = recs_n(w), dfd_mark = w->dfd_n;
	int ret;

	w->fd_procs++;
	if (w->incremental && memo_known && reuse_walk(w, pdir, memo, e)) {
		xgrow((void **)&w->reused, &w->reused_cap, w->reused_n + 1, sizeof(*w->reused));
		w->reused[w->reused_n++] = (struct reused_proc){
			.pt_idx = (size_t)(e - w->pt->v), .memo_idx = memo_idx,
		};
		return 0;
	}
	ret = walk_and_remember(w, pdir, e, memo, memo_idx);
	if (ret) {
		/* Gone: not counted as one of the processes, nothing of it kept. */
		w->fd_procs--;
		w->walked--;
		recs_truncate(w, recs_mark);
		w->dfd_n = dfd_mark;
		e->fd_count = e->sock_count = 0;
		e->sock_mem_bytes = 0;
	}
	return ret;
}

static bool rec_less(const struct sock_owner *a, const struct sock_owner *b)
{
	return a->pid < b->pid || (a->pid == b->pid && a->fd < b->fd);
}

/*
 * Bucket the owner records per socket in place: counts and starts first,
 * then every record is swapped into the next free slot of its socket's range
 * (following the cycles, each record moves once; its socket index moves with
 * it), then each socket's owners are put in pid then fd order.
 */
static void build_owners(struct owner_walk *w)
{
	struct sock_table *st = w->st;
	struct sock_owner *o = st->owners;
	uint32_t *rs = w->rec_sock, *first, *placed, sum = 0;
	size_t n = st->n;

	/* Starts and fill levels in arrays of their own, 4 bytes a socket,
	 * not in the rows: the cycles jump between sockets at random, and
	 * 100k rows are 16 MB against 800 KB. */
	xgrow((void **)&w->buckets, &w->buckets_cap, 2 * n + 1, sizeof(*w->buckets));
	first = w->buckets;
	placed = first + n + 1;
	memset(first, 0, (n + 1) * sizeof(*first));
	for (size_t k = 0; k < st->owners_n; k++)
		first[rs[k]]++;
	for (size_t i = 0; i < n; i++) {
		uint32_t c = first[i];

		first[i] = sum;
		placed[i] = 0;
		st->v[i].owner_first = sum;
		st->v[i].owner_n = c;
		sum += c;
	}
	first[n] = sum;
	for (size_t i = 0; i < n; i++) {
		size_t end = first[i + 1];

		for (size_t p; (p = (size_t)first[i] + placed[i]) < end;) {
			struct sock_owner r = o[p];
			uint32_t s = rs[p];

			while (s != i) {
				size_t q = (size_t)first[s] + placed[s]++;
				struct sock_owner t = o[q];
				uint32_t ts = rs[q];

				o[q] = r;
				rs[q] = s;
				r = t;
				s = ts;
			}
			o[p] = r;
			rs[p] = s;
			placed[i]++;
		}
		/* Within a bucket every socket index is i: only the records move. */
		for (size_t k = (size_t)first[i] + 1; k < end; k++) {
			struct sock_owner r = o[k];
			size_t j = k;

			for (; j > first[i] && rec_less(&r, &o[j - 1]); j--)
				o[j] = o[j - 1];
			o[j] = r;
		}
	}
	st->owners_scanned = true;
}

/* A socket with an inode, no owner now, and an owner (or none in the table)
 * at the last scan: someone may hold it in a process that was not walked. */
static bool new_unowned(const struct owner_walk *w)
{
	const struct sock_table *st = w->st;
	size_t j = 0;

	for (size_t i = 0; i < st->n; i++) {
		const struct sock_entry *e = &st->v[i];

		if (!e->inode || e->owner_n)
			continue;
		while (j < w->unowned_n && (w->unowned[j].inode < e->inode ||
					    (w->unowned[j].inode == e->inode &&
					     w->unowned[j].cookie < e->cookie)))
			j++;
		if (j < w->unowned_n && w->unowned[j].inode == e->inode &&
		    w->unowned[j].cookie == e->cookie)
			continue;
		return true;
	}
	return false;
}

static void remember_unowned(struct owner_walk *w)
{
	const struct sock_table *st = w->st;

	w->unowned_n = 0;
	for (size_t i = 0; i < st->n; i++) {
		const struct sock_entry *e = &st->v[i];

		if (!e->inode || e->owner_n)
			continue;
		xgrow((void **)&w->unowned, &w->unowned_cap, w->unowned_n + 1,
		      sizeof(*w->unowned));
		w->unowned[w->unowned_n++] = (struct held_sock){
			.cookie = e->cookie, .inode = e->inode,
		};
	}
}

/* Walk a process whose walk was skipped; when it is gone by now its fds are
 * shown as not scanned. */
static void rewalk(struct owner_walk *w, const struct reused_proc *u, struct owner_memo *m)
{
	struct proc_entry *e = &w->pt->v[u->pt_idx];
	size_t recs_mark = recs_n(w);
	char name[16];
	int pdir, ret = -ESRCH;

	e->fd_count = e->sock_count = 0;
	e->sock_mem_bytes = 0;
	snprintf(name, sizeof(name), "%d", (int)e->pid);
	pdir = openat(w->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pdir >= 0) {
		ret = walk_and_remember(w, pdir, e, m, u->memo_idx);
		close(pdir);
	}
	if (ret) {
		recs_truncate(w, recs_mark);
		e->fd_count = e->sock_count = 0;
		e->sock_mem_bytes = 0;
		e->fd_status = PROC_FD_NOT_SCANNED;
		owner_memo_release(m);
	} else if (e->fd_status == PROC_FD_DENIED) {
		w->pt->denied++;
	}
}

/* Walk every process whose walk was skipped, in place of what was reused. */
static void walk_skipped(struct owner_walk *w, struct owner_memo *(*memo_at)(void *, size_t),
			 void *arg)
{
	struct sock_table *st = w->st;
	const struct proc_table *pt = w->pt;
	bool *skipped = xcalloc(pt->n ? pt->n : 1, sizeof(*skipped));
	size_t keep = 0;

	/* The records are bucketed by now: the reused ones are found by pid
	 * (one entry per pid in a scan). */
	for (size_t k = 0; k < w->reused_n; k++)
		skipped[w->reused[k].pt_idx] = true;
	for (size_t i = 0; i < st->owners_n; i++) {
		const struct proc_entry *p = proc_table_find(pt, st->owners[i].pid);

		if (p && skipped[p - pt->v])
			continue;
		st->owners[keep] = st->owners[i];
		w->rec_sock[keep] = w->rec_sock[i];
		keep++;
	}
	st->owners_n = keep;
	free(skipped);
	clear_marks(w);
	for (size_t k = 0; k < w->reused_n; k++)
		rewalk(w, &w->reused[k], memo_at(arg, w->reused[k].memo_idx));
}

void owner_walk_end(struct owner_walk *w, struct owner_memo *(*memo_at)(void *arg, size_t idx),
		    void *arg)
{
	struct sock_table *st = w->st;

	if (!w->active || !st)
		return;
	build_owners(w);
	st->owners_full = !w->incremental;
	if (w->reused_n && new_unowned(w)) {
		walk_skipped(w, memo_at, arg);
		build_owners(w);
		st->owners_full = true;
	}
	/* The array grew by doubling: give the unused tail back. */
	if (st->owners_n && st->owners_cap > st->owners_n) {
		st->owners = xreallocarray(st->owners, st->owners_n, sizeof(*st->owners));
		st->owners_cap = st->owners_n;
	}
	remember_unowned(w);
	st->owners_procs = w->fd_procs;
	st->owners_walked = w->walked;
	w->owners_valid = true;
}

/*
 * Match the socket fds of the deferred walks against st, process by process
 * in scan order, exactly as walk_fds would have with st at hand: the same
 * records, unmatched inodes, socket memory and memos.
 */
static void match_deferred(struct owner_walk *w, struct owner_memo *(*memo_at)(void *, size_t),
			   void *arg)
{
	struct sock_table *st = w->st;

	st->owners_n = 0;
	xgrow((void **)&w->mark, &w->mark_cap, st->n ? st->n : 1, sizeof(*w->mark));
	clear_marks(w);
	for (size_t k = 0; k < w->dproc_n; k++) {
		const struct deferred_proc *d = &w->dproc[k];
		struct proc_entry *e = &w->pt->v[d->pt_idx];
		size_t recs_start = st->owners_n;
		uint32_t walk = next_walk(w);

		w->unm_n = 0;
		for (size_t j = d->first; j < d->first + d->n; j++) {
			uint32_t ino = w->dfd[j].inode;
			size_t i = socket_lower_bound(st, ino);

			if (i >= st->n || st->v[i].inode != ino) {
				xgrow((void **)&w->unm, &w->unm_cap, w->unm_n + 1, sizeof(*w->unm));
				w->unm[w->unm_n++] = ino;
				continue;
			}
			add_rec(w, i, e, w->dfd[j].fd);
			count_sock_mem(w, i, walk, e);
		}
		sort_recs_by_fd(w, recs_start);
		remember_walk(w, memo_at(arg, d->memo_idx), e, recs_start, d->fd_sig);
	}
}

void owner_walk_attach(struct owner_walk *w, struct sock_table *st,
		       struct owner_memo *(*memo_at)(void *arg, size_t idx), void *arg)
{
	bool ready = w->deferred && w->attach_ready;

	w->deferred = w->attach_ready = false;
	if (ready && st) {
		w->st = st;
		match_deferred(w, memo_at, arg);
		owner_walk_end(w, memo_at, arg);
	}
	/* Cold walks are one scan in OWNER_FULL_WALK_SCANS: the collected fds
	 * (8 bytes a socket) are not worth keeping in between. */
	free(w->dfd);
	free(w->dproc);
	w->dfd = NULL;
	w->dproc = NULL;
	w->dfd_n = w->dfd_cap = w->dproc_n = w->dproc_cap = 0;
}
