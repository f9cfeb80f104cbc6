/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The process scan (see proc_scan.h): list <proc>, read each process's
 * stat, status, cmdline (cached) and smaps_rollup relative to its pid
 * directory fd, and hand the fd walk to owner_walk. Errors: a vanished
 * process (ENOENT/ESRCH) is skipped silently; a malformed stat is a located
 * note; other unreadable processes are counted in one note.
 */
#include <config.h>

#include "proc_scan.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cgroup_parse.h"
#include "compat.h"
#include "hash.h"
#include "proc_dir.h"
#include "proc_parse.h"
#include "xalloc.h"

#define NOTE_SRC_PROCS "processes"
#define NOTE_SRC_OWNERS "owners"

struct proc_cache_ent {
	int32_t pid;
	uint64_t starttime;
	char comm[64];		/* comm when cmdline was read: a change means exec */
	char *cmdline;		/* heap; NULL when empty */
	unsigned int cmdline_scan;
	uint64_t stat_sig;	/* hash of the stat bytes when status was last read */
	unsigned int status_scan;
	bool status_known;	/* status is from that read: */
	struct proc_entry status;	/* the entry as status left it (uid, rss, ...) */
	char *cg_v2, *cg_v1;	/* heap; cgroup paths, read with cmdline */
	struct owner_memo fds;	/* what the last fd walk found */
};

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
	struct owner_walk *walk;
};

struct scan_ctx {
	const struct root *r;
	struct proc_cache *c;
	unsigned int flags;
	struct proc_table *pt;
	struct notes *notes;
	size_t unreadable;
};

static void cache_ent_release(struct proc_cache_ent *e)
{
	free(e->cmdline);
	e->cmdline = NULL;
	free(e->cg_v2);
	free(e->cg_v1);
	e->cg_v2 = e->cg_v1 = NULL;
	owner_memo_release(&e->fds);
}

struct proc_cache *proc_cache_new(void)
{
	struct proc_cache *c = xcalloc(1, sizeof(*c));

	c->dents = xmalloc(PROC_DENTS_BUF_SIZE);
	c->walk = owner_walk_new();
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
	owner_walk_free(c->walk);
	free(c);
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

		if (!proc_name_u64(name, &v) || v > INT32_MAX)
			continue;
		xgrow((void **)&c->pids, &c->pids_cap, n + 1, sizeof(*c->pids));
		c->pids[n++] = (int32_t)v;
	}
	if (r < 0)
		*err = -r;
	close(it.fd);
	/* A tree with no process has no array: qsort wants a pointer. */
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
	n = proc_parse_cmdline(c->b.data, c->b.len);
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

/*
 * Whether the status fields of the last read still hold. A process must run
 * to change its uid, thread count or its own page counts, and running moves
 * its stat line (utime/stime, fault counts, processor, state); what others
 * do to it (reclaim, swap-out, OOM) changes its rss, which stat shows too.
 * So a byte-identical stat line means status would read the same, but for
 * one case: a process that changed its uid (or swapped a page in from the
 * swap cache) using less than one clock tick of CPU and no page fault. That
 * is caught by the re-read every PROC_STATUS_REFRESH_SCANS scans.
 */
static bool status_unchanged(const struct proc_cache *c, const struct proc_cache_ent *ce,
			     bool hit, uint64_t stat_sig)
{
	return hit && ce->status_known && ce->stat_sig == stat_sig &&
	       c->scan - ce->status_scan < PROC_STATUS_REFRESH_SCANS;
}

static void status_restore(const struct proc_cache_ent *ce, struct proc_entry *e)
{
	const struct proc_entry *k = &ce->status;

	e->uid = k->uid;
	e->threads = k->threads;
	e->ppid = k->ppid;
	e->rss_bytes = k->rss_bytes;
	e->swap_bytes = k->swap_bytes;
	e->kthread = k->kthread;
}

/* Phased by pid like cmdline, so processes started together are not all
 * re-read on the same scan. */
static void status_remember(const struct proc_cache *c, struct proc_cache_ent *ce,
			    const struct proc_entry *e, uint64_t stat_sig, bool fresh)
{
	ce->status_known = true;
	ce->stat_sig = stat_sig;
	ce->status_scan = c->scan;
	if (fresh)
		ce->status_scan -= (unsigned int)ce->pid % PROC_STATUS_REFRESH_SCANS;
	ce->status = *e;
	ce->status.cmdline = NULL;	/* a pointer into this scan's table */
}

/*
 * The process's cgroups. A process can be moved without exec, but the
 * paths are read on the schedule of cmdline (new process, exec, every
 * PROC_CMDLINE_REFRESH_SCANS scans): a warm scan does not pay one more
 * file per process.
 */
static void read_cgroup(int pdir, struct proc_cache *c, struct proc_cache_ent *ce)
{
	struct cgroup_proc_paths p;

	free(ce->cg_v2);
	free(ce->cg_v1);
	ce->cg_v2 = ce->cg_v1 = NULL;
	if (buf_readat(pdir, "cgroup", &c->b, 0) ||
	    cgroup_parse_proc(c->b.data, c->b.len, &p))
		return;
	if (p.v2)
		ce->cg_v2 = xstrndup(p.v2, p.v2_len);
	if (p.v1_memory)
		ce->cg_v1 = xstrndup(p.v1_memory, p.v1_memory_len);
}

static uint32_t pool_add(struct proc_table *pt, const char *s)
{
	size_t n;
	uint32_t off;

	if (!s || pt->strings_len >= PROC_NO_CGROUP - PATH_MAX)
		return PROC_NO_CGROUP;
	n = strlen(s) + 1;
	xgrow((void **)&pt->strings, &pt->strings_cap, pt->strings_len + n, 1);
	memcpy(pt->strings + pt->strings_len, s, n);
	off = (uint32_t)pt->strings_len;
	pt->strings_len += n;
	return off;
}

static void note_malformed(struct scan_ctx *x, int32_t pid, const char *file)
{
	char src[64];

	snprintf(src, sizeof(src), "/proc/%d/%s", (int)pid, file);
	notes_add(x->notes, NOTE_WARN, src, 0, "unexpected format, process skipped");
}

/*
 * One process into e. Returns 0 when e is to be kept, -errno when the process
 * vanished (or was replaced) or could not be read at all.
 */
static int scan_one(struct scan_ctx *x, int32_t pid, struct proc_entry *e, size_t *cursor,
		    size_t *cmd_off)
{
	struct proc_cache *c = x->c;
	struct proc_cache_ent *ce;
	char name[16];
	uint64_t stat_sig;
	bool hit;
	int pdir, ret;

	*cmd_off = SIZE_MAX;
	memset(e, 0, sizeof(*e));
	e->fd_status = PROC_FD_NOT_SCANNED;
	e->cg_v2_off = e->cg_v1_off = PROC_NO_CGROUP;
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
	stat_sig = hash_bytes(c->b.data, c->b.len, HASH_INIT);

	ce = cache_take(c, cursor, pid, e->starttime, &hit);
	/*
	 * stat was there: ENOENT on the other files means this kernel or tree
	 * lacks them (smaps_rollup before 4.14), ESRCH that the process died.
	 */
	if (status_unchanged(c, ce, hit, stat_sig)) {
		status_restore(ce, e);
	} else {
		ret = buf_readat(pdir, "status", &c->b, 0);
		if (ret == -ESRCH)
			goto drop_cache;
		if (ret == 0)
			proc_parse_status(c->b.data, c->b.len, e);
		status_remember(c, ce, e, stat_sig, !hit);
	}
	if (!hit || c->scan - ce->cmdline_scan >= PROC_CMDLINE_REFRESH_SCANS ||
	    strcmp(ce->comm, e->comm) != 0) {
		ret = read_cmdline(pdir, c, ce, e->comm, !hit);
		if (ret)
			goto drop_cache;
		read_cgroup(pdir, c, ce);
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
		} else {
			ret = owner_walk_process(c->walk, pdir, e, &ce->fds, hit,
						 (size_t)(ce - c->nv));
			if (ret)
				goto drop_cache;
		}
	}
	/* Last: nothing after this can drop the entry and its strings. */
	e->cg_v2_off = pool_add(x->pt, ce->cg_v2);
	e->cg_v1_off = pool_add(x->pt, ce->cg_v1);
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
	close(pdir);
	return ret;
}

static struct owner_memo *memo_at(void *arg, size_t idx)
{
	struct proc_cache *c = arg;

	return &c->nv[idx].fds;
}

/* After cache_finish the cache built by the scan is c->v, same indices. */
static struct owner_memo *memo_at_finished(void *arg, size_t idx)
{
	struct proc_cache *c = arg;

	return &c->v[idx].fds;
}

bool proc_scan_owners_full(const struct proc_cache *c)
{
	return owner_walk_is_full(c->walk);
}

void proc_scan_attach_owners(struct proc_cache *c, struct sock_table *st)
{
	owner_walk_attach(c->walk, st, memo_at_finished, c);
}

void proc_scan(const struct root *r, struct proc_cache *c, unsigned int flags,
	       struct proc_table *pt, struct sock_table *st, struct notes *notes)
{
	struct scan_ctx x = {
		.r = r, .c = c, .flags = flags, .pt = pt, .notes = notes,
	};
	size_t npids, cursor = 0;
	int err;

	proc_table_free(pt);
	if (r->proc_fd < 0) {
		notes_missing_errno(notes, NOTE_SRC_PROCS, r->proc_err ? r->proc_err : ENOENT);
		return;
	}
	c->scan++;
	c->nv_n = 0;
	if ((flags & PROC_SCAN_FDS) && (flags & PROC_SCAN_DEFER_OWNERS))
		owner_walk_begin_deferred(c->walk, r->proc_fd, pt, st);
	else if (flags & PROC_SCAN_FDS)
		owner_walk_begin(c->walk, r->proc_fd, pt, st);
	else
		owner_walk_skip(c->walk);
	npids = list_pids(&x, &err);
	if (err) {
		notes_missing_errno(notes, NOTE_SRC_PROCS, err);
		if (!npids)
			return;
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
		} else if (!proc_errno_gone(-ret) && ret != -EINVAL) {
			x.unreadable++;
		}
	}
	if ((flags & PROC_SCAN_FDS) && (flags & PROC_SCAN_DEFER_OWNERS))
		owner_walk_deferred_done(c->walk);
	else if (flags & PROC_SCAN_FDS)
		owner_walk_end(c->walk, memo_at, c);
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
