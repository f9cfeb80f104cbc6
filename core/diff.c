/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * B - A for every section. Each table of a snapshot is sorted by its key, so
 * one generic merge-join serves them all; a table-specific `delta` callback
 * says how a pair (or a lone row) changed.
 */
#include "diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

struct join_ops {
	size_t elem;
	int (*cmp)(const void *a, const void *b);
	/* Instead of cmp, for rows that need their table (strings by offset). */
	int (*cmp_in)(const void *ta, const void *a, const void *tb, const void *b);
	/* a or b is NULL for a row present on one side only. Returns whether a
	 * pair differs in anything the views show. */
	bool (*delta)(const void *a, const void *b, struct diff_row *row);
};

static int64_t sub_u64(uint64_t b, uint64_t a)
{
	return (int64_t)(b - a);
}

/* Both tables sorted by ops->cmp. Keys are meant to be unique; rows that
 * still share a key (two identical sockets) are paired in table order, one
 * with one, and the rest are gone or new: never one row paired twice. */
static void merge_join_in(const void *ta, const void *va, size_t na, const void *tb,
			  const void *vb, size_t nb, const struct join_ops *ops,
			  struct diff_rows *out)
{
	const char *pa = va, *pb = vb;
	size_t i = 0, j = 0;

	memset(out, 0, sizeof(*out));
	out->v = xcalloc(na + nb, sizeof(*out->v));
	while (i < na || j < nb) {
		struct diff_row *row = &out->v[out->n++];
		const void *ea = i < na ? pa + i * ops->elem : NULL;
		const void *eb = j < nb ? pb + j * ops->elem : NULL;
		int c = !ea   ? 1
			: !eb ? -1
			: ops->cmp_in ? ops->cmp_in(ta, ea, tb, eb)
				      : ops->cmp(ea, eb);

		row->a = row->b = SIZE_MAX;
		if (c < 0) {
			row->a = i++;
			row->status = DIFF_GONE;
			ops->delta(ea, NULL, row);
			out->n_gone++;
		} else if (c > 0) {
			row->b = j++;
			row->status = DIFF_NEW;
			ops->delta(NULL, eb, row);
			out->n_new++;
		} else {
			row->a = i++;
			row->b = j++;
			row->status = ops->delta(ea, eb, row) ? DIFF_CHANGED : DIFF_SAME;
			out->n_changed += row->status == DIFF_CHANGED;
		}
	}
}

static void merge_join(const void *va, size_t na, const void *vb, size_t nb,
		       const struct join_ops *ops, struct diff_rows *out)
{
	merge_join_in(NULL, va, na, NULL, vb, nb, ops, out);
}

/* Rows present on one side count as growth from, or shrink to, nothing. */
#define DELTA_FIELD(a, b, field) sub_u64((b) ? (b)->field : 0, (a) ? (a)->field : 0)

static int slab_cmp(const void *a, const void *b)
{
	return strcmp(((const struct slab_cache *)a)->name, ((const struct slab_cache *)b)->name);
}

static bool slab_delta(const void *va, const void *vb, struct diff_row *row)
{
	const struct slab_cache *a = va, *b = vb;

	row->d_bytes = DELTA_FIELD(a, b, bytes);
	row->d_count = DELTA_FIELD(a, b, active_objs);
	return row->d_bytes || row->d_count || (a && b && a->num_objs != b->num_objs);
}

static int vmalloc_cmp(const void *va, const void *vb)
{
	const struct vmalloc_caller *a = va, *b = vb;
	int c = strcmp(a->caller, b->caller);

	return c ? c : strcmp(a->kind, b->kind);
}

static bool vmalloc_delta(const void *va, const void *vb, struct diff_row *row)
{
	const struct vmalloc_caller *a = va, *b = vb;

	row->d_bytes = DELTA_FIELD(a, b, bytes);
	row->d_count = DELTA_FIELD(a, b, areas);
	return row->d_bytes || row->d_count || (a && b && a->vsize_bytes != b->vsize_bytes);
}

static int tmpfs_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tmpfs_mount *)a)->mountpoint,
		      ((const struct tmpfs_mount *)b)->mountpoint);
}

static bool tmpfs_delta(const void *va, const void *vb, struct diff_row *row)
{
	const struct tmpfs_mount *a = va, *b = vb;

	row->d_bytes = DELTA_FIELD(a, b, used_bytes);
	row->d_count = DELTA_FIELD(a, b, inodes_used);
	return row->d_bytes || row->d_count;
}

static int sock_cmp(const void *va, const void *vb)
{
	return sock_identity_cmp(va, vb);
}

static bool sock_delta(const void *va, const void *vb, struct diff_row *row)
{
	const struct sock_entry *a = va, *b = vb;

	row->d_bytes = sub_u64(b ? sock_mem_bytes(b) : 0, a ? sock_mem_bytes(a) : 0);
	row->d_count = (int64_t)(b ? b->rqueue : 0) - (int64_t)(a ? a->rqueue : 0);
	return row->d_bytes || row->d_count ||
	       (a && b && (a->state != b->state || a->wqueue != b->wqueue));
}

static int proc_cmp(const void *va, const void *vb)
{
	const struct proc_entry *a = va, *b = vb;

	if (a->pid != b->pid)
		return SPACESHIP(a->pid, b->pid);
	return SPACESHIP(a->starttime, b->starttime);
}

static bool proc_delta(const void *va, const void *vb, struct diff_row *row)
{
	const struct proc_entry *a = va, *b = vb;

	row->d_bytes = DELTA_FIELD(a, b, rss_bytes) + DELTA_FIELD(a, b, sock_mem_bytes);
	row->d_count = (int64_t)(b ? b->sock_count : 0) - (int64_t)(a ? a->sock_count : 0);
	return row->d_bytes || row->d_count || (a && b && a->fd_count != b->fd_count);
}

static int cgroup_cmp(const void *ta, const void *va, const void *tb, const void *vb)
{
	const struct cgroup_entry *a = va, *b = vb;
	int c = cgroup_entry_cmp(ta, a, tb, b);

	return c ? c : SPACESHIP(a->id, b->id);
}

static bool cgroup_delta(const void *va, const void *vb, struct diff_row *row)
{
	const struct cgroup_entry *a = va, *b = vb;

	row->d_bytes = DELTA_FIELD(a, b, v[CGV_CURRENT]);
	row->d_count = (int64_t)(b ? b->nsocks : 0) - (int64_t)(a ? a->nsocks : 0);
	return row->d_bytes || row->d_count ||
	       (a && b && (memcmp(a->v, b->v, sizeof(a->v)) || a->present != b->present ||
			   a->sock_mem != b->sock_mem || a->nprocs != b->nprocs));
}

static const struct join_ops slab_ops = { sizeof(struct slab_cache), slab_cmp, NULL, slab_delta };
static const struct join_ops vmalloc_ops = { sizeof(struct vmalloc_caller), vmalloc_cmp, NULL,
					     vmalloc_delta };
static const struct join_ops tmpfs_ops = { sizeof(struct tmpfs_mount), tmpfs_cmp, NULL,
					   tmpfs_delta };
static const struct join_ops sock_ops = { sizeof(struct sock_entry), sock_cmp, NULL, sock_delta };
static const struct join_ops proc_ops = { sizeof(struct proc_entry), proc_cmp, NULL, proc_delta };
static const struct join_ops cgroup_ops = { sizeof(struct cgroup_entry), NULL, cgroup_cmp,
					    cgroup_delta };

static struct mem_delta mem_delta(bool pa, int64_t a, bool pb, int64_t b, double interval)
{
	struct mem_delta d = { 0 };

	if (!pa || !pb)
		return d;
	d.present = true;
	d.d = b - a;
	d.rate_per_s = interval > 0 ? (double)d.d / interval : 0.0;
	return d;
}

static void diff_memory(struct diff *d, const struct snapshot *a, const struct snapshot *b)
{
	bool va = a && a->mem.valid, vb = b->mem.valid;

	for (int c = 0; c < MEM_CLASS_COUNT; c++)
		d->cls[c] = mem_delta(va && (a->mem.cls_present & (1u << c)), va ? a->mem.cls[c] : 0,
				      vb && (b->mem.cls_present & (1u << c)), b->mem.cls[c],
				      d->interval_s);
	for (int x = 0; x < MEM_X_COUNT; x++)
		d->extra[x] = mem_delta(va && (a->mem.extra_present & (1u << x)),
					va ? a->mem.extra[x] : 0,
					vb && (b->mem.extra_present & (1u << x)), b->mem.extra[x],
					d->interval_s);
	d->meminfo = xcalloc(b->meminfo.n ? b->meminfo.n : 1, sizeof(*d->meminfo));
	for (size_t i = 0; i < b->meminfo.n; i++) {
		const struct meminfo_field *f = &b->meminfo.v[i];
		uint64_t old = 0;
		bool had = a && meminfo_get(&a->meminfo, f->name, &old);

		d->meminfo[i] = mem_delta(had, (int64_t)old, true, (int64_t)f->value, d->interval_s);
	}
}

static void diff_tcp(struct diff *d, const struct snapshot *a, const struct snapshot *b)
{
	bool sa = a && a->tcp.has_sockstat, sb = b->tcp.has_sockstat;

	d->tcp_mem_bytes = mem_delta(sa, sa ? (int64_t)a->tcp.tcp_mem_bytes : 0, sb,
				     (int64_t)b->tcp.tcp_mem_bytes, d->interval_s);
	d->tcp_orphan = mem_delta(sa, sa ? (int64_t)a->tcp.tcp_orphan : 0, sb,
				  (int64_t)b->tcp.tcp_orphan, d->interval_s);
	d->tcp_tw = mem_delta(sa, sa ? (int64_t)a->tcp.tcp_tw : 0, sb, (int64_t)b->tcp.tcp_tw,
			      d->interval_s);
	d->tcp_inuse = mem_delta(sa, sa ? (int64_t)a->tcp.tcp_inuse : 0, sb,
				 (int64_t)b->tcp.tcp_inuse, d->interval_s);
	d->ncounters = b->tcp.ncounters;
	d->counters = xcalloc(d->ncounters ? d->ncounters : 1, sizeof(*d->counters));
	for (size_t i = 0; i < b->tcp.ncounters; i++) {
		const struct net_counter *c = &b->tcp.counters[i];
		struct net_counter_delta *cd = &d->counters[i];
		uint64_t old;

		cd->name = c->name;
		cd->value = c->value;
		if (a && tcpmem_counter(&a->tcp, c->name, &old)) {
			cd->d = sub_u64(c->value, old);
			cd->rate_per_s = d->interval_s > 0 ? (double)cd->d / d->interval_s : 0.0;
		}
	}
	for (size_t s = 0; s < ARRAY_SIZE(d->d_tcp_states); s++)
		d->d_tcp_states[s] = (int64_t)b->tcp_states[s] - (a ? (int64_t)a->tcp_states[s] : 0);
}

struct diff *diff_compute(struct snapshot *a, struct snapshot *b)
{
	static const struct slab_table no_slab;
	static const struct vmalloc_table no_vmalloc;
	static const struct tmpfs_table no_tmpfs;
	struct diff *d = xcalloc(1, sizeof(*d));

	d->a = a ? snapshot_ref(a) : NULL;
	d->b = snapshot_ref(b);
	d->interval_s = snapshot_interval_s(a, b);
	d->both = a ? a->sections & b->sections : 0;
	diff_memory(d, a, b);
	diff_tcp(d, a, b);
#define A_TABLE(sect, tbl, none) \
	(d->both & (sect) ? a->tbl.v : (none).v), (d->both & (sect) ? a->tbl.n : 0)
	merge_join(A_TABLE(SNAP_SLAB, slab, no_slab), b->slab.v, b->slab.n, &slab_ops, &d->slab);
	merge_join(A_TABLE(SNAP_VMALLOC | SNAP_MEM, vmalloc, no_vmalloc), b->vmalloc.v,
		   b->vmalloc.n, &vmalloc_ops, &d->vmalloc);
	merge_join(A_TABLE(SNAP_TMPFS, tmpfs, no_tmpfs), b->tmpfs.v, b->tmpfs.n, &tmpfs_ops,
		   &d->tmpfs);
	/* Sockets and processes can number 100k: with nothing to pair them
	 * with, their rows are not built at all (fields_rows then lists B). */
	if (d->both & SNAP_SOCKETS)
		merge_join(a->socks.v, a->socks.n, b->socks.v, b->socks.n, &sock_ops, &d->socks);
	if (d->both & SNAP_PROCS)
		merge_join(a->procs.v, a->procs.n, b->procs.v, b->procs.n, &proc_ops, &d->procs);
	if (d->both & SNAP_CGROUPS)
		merge_join_in(&a->cgroups, a->cgroups.v, a->cgroups.n, &b->cgroups, b->cgroups.v,
			      b->cgroups.n, &cgroup_ops, &d->cgroups);
#undef A_TABLE
	return d;
}

void diff_free(struct diff *d)
{
	if (!d)
		return;
	free(d->slab.v);
	free(d->vmalloc.v);
	free(d->tmpfs.v);
	free(d->socks.v);
	free(d->procs.v);
	free(d->cgroups.v);
	free(d->meminfo);
	free(d->counters);
	free(d->sorted.rows);
	snapshot_unref(d->a);
	snapshot_unref(d->b);
	free(d);
}

const char *diff_status_name(enum diff_status s)
{
	static const char *const names[] = {
		[DIFF_SAME] = "same",
		[DIFF_CHANGED] = "changed",
		[DIFF_NEW] = "new",
		[DIFF_GONE] = "gone",
	};

	return s < ARRAY_SIZE(names) ? names[s] : "?";
}
