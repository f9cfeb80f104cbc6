// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The trend engine. Quantities live in one dense array indexed by an open
 * addressing hash of their identity; each has a point ring. An update
 * observes every quantity of the snapshot (socket groups aggregated first,
 * in one pass over the socket table), then gives the quantities the
 * snapshot lacked an absent point and forgets those absent too long, so the
 * array only holds what exists or existed a few samples ago.
 */
#include "tracker.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_join.h"
#include "compat.h"
#include "hash.h"
#include "verdicts.h"
#include "xalloc.h"

#define KIB 1024.0

const struct tq_unit_info tq_kinds[TQ_KIND_COUNT] = {
	[TQ_MEM_CLASS] = { "mem_class", true, 1024 * KIB },
	[TQ_SLAB_BYTES] = { "slab_bytes", true, 64 * KIB },
	[TQ_SLAB_OBJS] = { "slab_objs", false, 64 },
	[TQ_VMALLOC_BYTES] = { "vmalloc_bytes", true, 64 * KIB },
	[TQ_TMPFS_USED] = { "tmpfs_used", true, 64 * KIB },
	[TQ_PROC_RSS] = { "proc_rss", true, 256 * KIB },
	[TQ_PROC_FDS] = { "proc_fds", false, 2 },
	[TQ_PROC_SOCKS] = { "proc_sockets", false, 2 },
	[TQ_PROC_SOCKMEM] = { "proc_sockmem", true, 64 * KIB },
	[TQ_SGRP_COUNT] = { "sgroup_count", false, 2 },
	[TQ_SGRP_MEM] = { "sgroup_mem", true, 16 * KIB },
	[TQ_SGRP_RECVQ] = { "sgroup_recvq", true, 16 * KIB },
	[TQ_SGRP_SENDQ] = { "sgroup_sendq", true, 16 * KIB },
	[TQ_TCP_ORPHANS] = { "tcp_orphans", false, 4 },
	[TQ_TCP_TW] = { "tcp_timewait", false, 16 },
	[TQ_TCP_MEM] = { "tcp_mem", true, 64 * KIB },
	[TQ_TCP_INUSE] = { "tcp_inuse", false, 4 },
	[TQ_TASKS] = { "tasks", false, 8 },
	[TQ_CG_CURRENT] = { "cgroup_current", true, 256 * KIB },
	[TQ_CG_ANON] = { "cgroup_anon", true, 256 * KIB },
	[TQ_CG_KERNEL] = { "cgroup_kernel", true, 64 * KIB },
	[TQ_CG_SOCK] = { "cgroup_sock", true, 64 * KIB },
};

/* One socket group of the sample being fed, before it becomes quantities. */
struct sg_agg {
	struct tq_sgroup g;
	uint64_t key[2];
	double count, mem, recvq, sendq;
	const struct sock_entry *top[4];	/* by memory, recvq, sendq (count: memory) */
	double top_v[4];
};

struct tracker {
	struct tracker_params p;
	struct tq *v;
	size_t n, cap;
	uint32_t *slots;		/* index + 1 into v; 0 = empty */
	size_t nslots;
	struct growth_est *est;		/* per quantity, valid when est_at == samples */
	uint64_t *est_at;
	uint64_t samples;
	uint64_t last_ns;
	uint64_t *times;		/* the last window sample times, a ring */
	struct sg_agg *agg;		/* scratch of the socket grouping */
	uint32_t *agg_slots;
	size_t agg_n, agg_cap, agg_nslots;
	struct tracker_watch watch;
	/* TCP ports something listens on in the newest sample, a bit each:
	 * they name the service end of an ownerless connection. */
	uint64_t listen_ports[65536 / 64];
};

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t id_hash(const struct tq_id *id)
{
	return mix64(id->k[0] ^ mix64(id->k[1] + id->kind));
}

static bool id_eq(const struct tq_id *a, const struct tq_id *b)
{
	return a->kind == b->kind && a->k[0] == b->k[0] && a->k[1] == b->k[1];
}

void tracker_params_init(struct tracker_params *p)
{
	p->window = 64;
	p->window_ns = 0;
	p->forget_after = 4;
}

struct tracker *tracker_new(const struct tracker_params *p)
{
	struct tracker *t = xcalloc(1, sizeof(*t));

	if (p)
		t->p = *p;
	else
		tracker_params_init(&t->p);
	if (t->p.window < 3)
		t->p.window = 3;
	if (!t->p.forget_after || t->p.forget_after > t->p.window)
		t->p.forget_after = t->p.window;
	t->times = xcalloc(t->p.window, sizeof(*t->times));
	return t;
}

void tracker_free(struct tracker *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		growth_ring_free(&t->v[i].ring);
	free(t->v);
	free(t->slots);
	free(t->est);
	free(t->est_at);
	free(t->times);
	free(t->agg);
	free(t->agg_slots);
	free(t);
}

/* (Re)build the index for at least `need` quantities: load at most 1/2. */
static void index_rebuild(struct tracker *t, size_t need)
{
	size_t ns = 64;

	while (ns < need * 2)
		ns *= 2;
	if (ns != t->nslots) {
		free(t->slots);
		t->slots = xcalloc(ns, sizeof(*t->slots));
		t->nslots = ns;
	} else {
		memset(t->slots, 0, ns * sizeof(*t->slots));
	}
	for (size_t i = 0; i < t->n; i++) {
		size_t h = (size_t)id_hash(&t->v[i].id) & (ns - 1);

		while (t->slots[h])
			h = (h + 1) & (ns - 1);
		t->slots[h] = (uint32_t)(i + 1);
	}
}

static struct tq *lookup(const struct tracker *t, const struct tq_id *id, size_t *slot)
{
	size_t h;

	if (!t->nslots)
		return NULL;
	h = (size_t)id_hash(id) & (t->nslots - 1);
	while (t->slots[h]) {
		struct tq *q = &t->v[t->slots[h] - 1];

		if (id_eq(&q->id, id))
			return q;
		h = (h + 1) & (t->nslots - 1);
	}
	if (slot)
		*slot = h;
	return NULL;
}

const struct tq *tracker_find(const struct tracker *t, const struct tq_id *id)
{
	return lookup(t, id, NULL);
}

/* Record value v of quantity id in the sample at t_ns; creates it when new. */
static struct tq *observe(struct tracker *t, uint8_t kind, uint64_t k0, uint64_t k1,
			  const char *label, double v, uint64_t t_ns)
{
	struct tq_id id = { .kind = kind, .k = { k0, k1 } };
	size_t slot = 0;
	struct tq *q = lookup(t, &id, &slot);

	if (!q) {
		if ((t->n + 1) * 2 > t->nslots) {
			index_rebuild(t, t->n + 1);
			lookup(t, &id, &slot);
		}
		if (t->n == t->cap) {
			xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v));
			t->est = xreallocarray(t->est, t->cap, sizeof(*t->est));
			t->est_at = xreallocarray(t->est_at, t->cap, sizeof(*t->est_at));
		}
		q = &t->v[t->n];
		memset(q, 0, sizeof(*q));
		q->id = id;
		growth_ring_init(&q->ring, t->p.window);
		q->first_seen_ns = t_ns;
		q->first_value = v;
		t->est_at[t->n] = 0;
		t->slots[slot] = (uint32_t)(++t->n);
	} else if (q->last_seen == t->samples) {
		return q;	/* seen twice in one sample (a bind mount): keep the first */
	}
	if (label && label != q->label) {
		strncpy(q->label, label, sizeof(q->label) - 1);
		q->label[sizeof(q->label) - 1] = '\0';
	}
	growth_ring_push(&q->ring, t_ns, v, true);
	q->last_value = v;
	q->present = true;
	q->last_seen = t->samples;
	return q;
}

/* ---- socket groups ----------------------------------------------------------- */

static bool inet_kind(uint8_t kind)
{
	return kind == SK_TCP || kind == SK_UDP || kind == SK_UDPLITE;
}

/* Listeners' queues count connections, not bytes. */
static bool is_listener(const struct sock_entry *e)
{
	return e->state == TCPS_LISTEN;
}

static bool listening(const struct tracker *t, uint16_t port)
{
	return t && port && (t->listen_ports[port / 64] & (1ull << (port % 64)));
}

/* The service end of an ownerless inet socket: the port a local TCP
 * listener has (its own first: a server's orphans), else the lower port.
 * Kernel-chosen listening ports come from the ephemeral range too, where
 * "the lower one" would split a client's orphans by their own ports. */
static void service_port(const struct tracker *t, const struct sock_entry *e, struct tq_sgroup *g)
{
	g->port = e->sport;
	if (e->kind == SK_TCP && listening(t, e->sport))
		return;
	if ((e->kind == SK_TCP && listening(t, e->dport)) ||
	    (e->dport && (e->dport < e->sport || !e->sport))) {
		g->port = e->dport;
		g->flags |= TQ_SG_REMOTE_PORT;
	}
}

void tracker_sgroup_of(const struct tracker *t, const struct sock_table *st,
		       const struct sock_entry *e, struct tq_sgroup *g, uint64_t key[2])
{
	memset(g, 0, sizeof(*g));
	g->kind = e->kind;
	g->state = e->state;
	if (e->owner_n > 0 && e->owner_first < st->owners_n) {
		g->pid = st->owners[e->owner_first].pid;
		g->starttime = st->owners[e->owner_first].starttime;
	} else {
		if (!e->inode)
			g->flags |= TQ_SG_NO_INODE;
		if (inet_kind(e->kind))
			service_port(t, e, g);
	}
	key[0] = (uint64_t)(uint32_t)g->pid | (uint64_t)g->kind << 32 | (uint64_t)g->state << 40 |
		 (uint64_t)g->port << 48;
	key[1] = g->pid ? g->starttime : g->flags;
}

static struct sg_agg *agg_get(struct tracker *t, const struct tq_sgroup *g, const uint64_t key[2])
{
	size_t h;

	if ((t->agg_n + 1) * 2 > t->agg_nslots) {
		size_t ns = t->agg_nslots ? t->agg_nslots * 2 : 256;

		free(t->agg_slots);
		t->agg_slots = xcalloc(ns, sizeof(*t->agg_slots));
		t->agg_nslots = ns;
		for (size_t i = 0; i < t->agg_n; i++) {
			h = (size_t)mix64(t->agg[i].key[0] ^ mix64(t->agg[i].key[1])) & (ns - 1);
			while (t->agg_slots[h])
				h = (h + 1) & (ns - 1);
			t->agg_slots[h] = (uint32_t)(i + 1);
		}
	}
	h = (size_t)mix64(key[0] ^ mix64(key[1])) & (t->agg_nslots - 1);
	while (t->agg_slots[h]) {
		struct sg_agg *a = &t->agg[t->agg_slots[h] - 1];

		if (a->key[0] == key[0] && a->key[1] == key[1])
			return a;
		h = (h + 1) & (t->agg_nslots - 1);
	}
	xgrow((void **)&t->agg, &t->agg_cap, t->agg_n + 1, sizeof(*t->agg));
	t->agg_slots[h] = (uint32_t)(t->agg_n + 1);
	memset(&t->agg[t->agg_n], 0, sizeof(t->agg[0]));
	t->agg[t->agg_n].g = *g;
	t->agg[t->agg_n].key[0] = key[0];
	t->agg[t->agg_n].key[1] = key[1];
	return &t->agg[t->agg_n++];
}

static void agg_top(struct sg_agg *a, int i, const struct sock_entry *e, double v)
{
	if (v > a->top_v[i] || !a->top[i]) {
		a->top[i] = e;
		a->top_v[i] = v;
	}
}

static void sgroup_label(const struct tq_sgroup *g, const struct snapshot *s, char *out, size_t sz)
{
	const struct proc_entry *p = g->pid ? proc_table_find(&s->procs, g->pid) : NULL;

	if (p && p->starttime == g->starttime)
		snprintf(out, sz, "%s", p->comm);
	else
		snprintf(out, sz, "%s", sock_kind_name((enum sock_kind)g->kind));
}

static void observe_sockets(struct tracker *t, const struct snapshot *s)
{
	const struct sock_table *st = &s->socks;
	static const uint8_t kinds[4] = { TQ_SGRP_MEM, TQ_SGRP_RECVQ, TQ_SGRP_SENDQ, TQ_SGRP_COUNT };

	t->agg_n = 0;
	if (t->agg_slots)
		memset(t->agg_slots, 0, t->agg_nslots * sizeof(*t->agg_slots));
	memset(t->listen_ports, 0, sizeof(t->listen_ports));
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].kind == SK_TCP && is_listener(&st->v[i]))
			t->listen_ports[st->v[i].sport / 64] |= 1ull << (st->v[i].sport % 64);
	for (size_t i = 0; i < st->n; i++) {
		const struct sock_entry *e = &st->v[i];
		struct tq_sgroup g;
		uint64_t key[2];
		struct sg_agg *a;
		double mem = (double)sock_mem_bytes(e);

		tracker_sgroup_of(t, &s->socks, e, &g, key);
		a = agg_get(t, &g, key);
		a->count += 1;
		a->mem += mem;
		agg_top(a, 0, e, mem);
		agg_top(a, 3, e, mem);
		if (!is_listener(e)) {
			a->recvq += e->rqueue;
			a->sendq += e->wqueue;
			agg_top(a, 1, e, e->rqueue);
			agg_top(a, 2, e, e->wqueue);
		}
	}
	for (size_t i = 0; i < t->agg_n; i++) {
		struct sg_agg *a = &t->agg[i];
		const double v[4] = { a->mem, a->recvq, a->sendq, a->count };
		char label[64];

		sgroup_label(&a->g, s, label, sizeof(label));
		for (int k = 0; k < 4; k++) {
			struct tq *q = observe(t, kinds[k], a->key[0], a->key[1], label, v[k],
					       s->t_mono_ns);

			q->sg = a->g;
			if (a->top[k])
				sock_identity(a->top[k], q->top_k);
		}
	}
	t->watch.sockets = st->n;
	t->watch.socket_groups = t->agg_n;
}

/* ---- the other sources ------------------------------------------------------- */

static void observe_memory(struct tracker *t, const struct snapshot *s)
{
	for (int c = 0; c < MEM_CLASS_COUNT; c++)
		if (s->mem.cls_present & (1u << c))
			observe(t, TQ_MEM_CLASS, (uint64_t)c, 0, mem_class_name((enum mem_class)c),
				(double)s->mem.cls[c], s->t_mono_ns);
}

static void observe_slab(struct tracker *t, const struct snapshot *s)
{
	for (size_t i = 0; i < s->slab.n; i++) {
		const struct slab_cache *c = &s->slab.v[i];
		uint64_t h = hash_str(c->name, HASH_INIT);

		observe(t, TQ_SLAB_BYTES, h, 0, c->name, (double)c->bytes, s->t_mono_ns);
		observe(t, TQ_SLAB_OBJS, h, 0, c->name, (double)c->active_objs, s->t_mono_ns);
	}
	t->watch.caches = s->slab.n;
}

static void observe_vmalloc(struct tracker *t, const struct snapshot *s)
{
	for (size_t i = 0; i < s->vmalloc.n; i++) {
		const struct vmalloc_caller *c = &s->vmalloc.v[i];
		uint64_t h = hash_str(c->kind, hash_str(c->caller, HASH_INIT));

		observe(t, TQ_VMALLOC_BYTES, h, 0, c->caller, (double)c->bytes, s->t_mono_ns);
	}
	t->watch.vmalloc_callers = s->vmalloc.n;
}

static void observe_tmpfs(struct tracker *t, const struct snapshot *s)
{
	t->watch.mounts = 0;
	for (size_t i = 0; i < s->tmpfs.n; i++) {
		const struct tmpfs_mount *m = &s->tmpfs.v[i];

		if (!m->has_usage)
			continue;
		observe(t, TQ_TMPFS_USED, (uint64_t)m->dev_major << 32 | m->dev_minor, 0,
			m->mountpoint, (double)m->used_bytes, s->t_mono_ns);
		t->watch.mounts++;
	}
}

static void observe_procs(struct tracker *t, const struct snapshot *s)
{
	bool fds = (s->sections & SNAP_OWNERS) && s->socks.owners_scanned;
	double tasks = 0;

	t->watch.processes = 0;
	for (size_t i = 0; i < s->procs.n; i++)
		tasks += s->procs.v[i].threads ? s->procs.v[i].threads : 1;
	/* Every task has a kernel stack and a task_struct: what process churn moves. */
	observe(t, TQ_TASKS, 0, 0, "tasks", tasks, s->t_mono_ns);
	for (size_t i = 0; i < s->procs.n; i++) {
		const struct proc_entry *p = &s->procs.v[i];
		uint64_t pid = (uint64_t)(uint32_t)p->pid;

		if (p->kthread)
			continue;
		t->watch.processes++;
		observe(t, TQ_PROC_RSS, pid, p->starttime, p->comm, (double)p->rss_bytes,
			s->t_mono_ns);
		if (!fds || p->fd_status != PROC_FD_OK)
			continue;
		observe(t, TQ_PROC_FDS, pid, p->starttime, p->comm, p->fd_count, s->t_mono_ns);
		observe(t, TQ_PROC_SOCKS, pid, p->starttime, p->comm, p->sock_count, s->t_mono_ns);
		observe(t, TQ_PROC_SOCKMEM, pid, p->starttime, p->comm, (double)p->sock_mem_bytes,
			s->t_mono_ns);
	}
}

static void observe_tcp(struct tracker *t, const struct snapshot *s)
{
	const struct tcpmem *m = &s->tcp;

	if (!m->has_sockstat)
		return;
	observe(t, TQ_TCP_ORPHANS, 0, 0, "tcp", (double)m->tcp_orphan, s->t_mono_ns);
	observe(t, TQ_TCP_TW, 0, 0, "tcp", (double)m->tcp_tw, s->t_mono_ns);
	observe(t, TQ_TCP_MEM, 0, 0, "tcp", (double)m->tcp_mem_bytes, s->t_mono_ns);
	observe(t, TQ_TCP_INUSE, 0, 0, "tcp", (double)(m->tcp_inuse + m->tcp6_inuse), s->t_mono_ns);
}

/* The root's figures are the machine's (the memory classes say it better). */
static void observe_cgroups(struct tracker *t, const struct snapshot *s)
{
	static const struct {
		uint8_t kind, val;
	} charges[] = {
		{ TQ_CG_CURRENT, CGV_CURRENT },
		{ TQ_CG_ANON, CGV_ANON },
		{ TQ_CG_KERNEL, CGV_KERNEL },
		{ TQ_CG_SOCK, CGV_SOCK },
	};
	const struct cgroup_table *ct = &s->cgroups;
	enum cgroup_hier h = cgroup_memory_hier(ct);

	t->watch.cgroups = 0;
	for (size_t i = 0; i < ct->n; i++) {
		const struct cgroup_entry *e = &ct->v[i];
		uint64_t k0;

		if (e->hier != h || !e->depth || !ct->memory[h])
			continue;
		k0 = hash_str(cgroup_path(ct, e), HASH_INIT);
		t->watch.cgroups++;
		for (size_t c = 0; c < ARRAY_SIZE(charges); c++)
			if (cgroup_has(e, (enum cgroup_val)charges[c].val))
				observe(t, charges[c].kind, k0, h, cgroup_entry_name(ct, e),
					(double)e->v[charges[c].val], s->t_mono_ns);
	}
}

/* Absent points for what this sample lacked; forget what was absent for
 * forget_after samples in a row, compacting the array. */
static void sweep(struct tracker *t, uint64_t t_ns)
{
	size_t w = 0;

	for (size_t i = 0; i < t->n; i++) {
		struct tq *q = &t->v[i];

		if (q->last_seen != t->samples) {
			q->present = false;
			if (t->samples - q->last_seen >= t->p.forget_after) {
				growth_ring_free(&q->ring);
				continue;
			}
			growth_ring_push(&q->ring, t_ns, NAN, false);
		}
		if (w != i) {
			t->v[w] = *q;
			t->est_at[w] = 0;
		}
		w++;
	}
	if (w != t->n) {
		t->n = w;
		index_rebuild(t, t->n);
	}
	/* Estimates of the previous sample are stale now. */
	for (size_t i = 0; i < t->n; i++)
		t->est_at[i] = 0;
}

int tracker_update(struct tracker *t, const struct snapshot *s)
{
	unsigned int sec = s->sections;

	if (t->samples && s->t_mono_ns / 1000000 <= t->last_ns / 1000000)
		return -1;
	t->samples++;
	t->last_ns = s->t_mono_ns;
	t->times[(t->samples - 1) % t->p.window] = s->t_mono_ns;
	if ((sec & SNAP_MEM) && s->mem.valid)
		observe_memory(t, s);
	if ((sec & SNAP_SLAB) && snapshot_has(s, SRC_SLABINFO))
		observe_slab(t, s);
	if ((sec & SNAP_VMALLOC) && snapshot_has(s, SRC_VMALLOC))
		observe_vmalloc(t, s);
	if (sec & SNAP_TMPFS)
		observe_tmpfs(t, s);
	if ((sec & SNAP_PROCS) && snapshot_has(s, SRC_PROCESSES))
		observe_procs(t, s);
	if ((sec & SNAP_SOCKETS) && snapshot_has(s, SRC_SOCKETS))
		observe_sockets(t, s);
	if (sec & SNAP_TCP)
		observe_tcp(t, s);
	if (sec & SNAP_CGROUPS)
		observe_cgroups(t, s);
	sweep(t, s->t_mono_ns);
	return 0;
}

uint64_t tracker_samples(const struct tracker *t)
{
	return t->samples;
}

uint64_t tracker_last_ns(const struct tracker *t)
{
	return t->last_ns;
}

size_t tracker_count(const struct tracker *t)
{
	return t->n;
}

const struct tq *tracker_at(const struct tracker *t, size_t i)
{
	return i < t->n ? &t->v[i] : NULL;
}

const struct growth_est *tracker_estimate(struct tracker *t, const struct tq *q)
{
	size_t i = (size_t)(q - t->v);
	struct growth_params gp;

	if (t->est_at[i] == t->samples)
		return &t->est[i];
	growth_params_init(&gp, tq_kinds[q->id.kind].noise_floor);
	gp.window_ns = t->p.window_ns;
	growth_ring_estimate(&q->ring, &gp, &t->est[i]);
	t->est_at[i] = t->samples;
	return &t->est[i];
}

/* First, lowest and last present points within the window. */
static size_t window_scan(const struct tracker *t, const struct tq *q, struct growth_point *a,
			  struct growth_point *lo, struct growth_point *b)
{
	size_t n = 0;
	uint64_t from = 0;
	struct growth_point p;

	if (t->p.window_ns && t->last_ns > t->p.window_ns)
		from = t->last_ns - t->p.window_ns;
	for (size_t i = 0; growth_ring_get(&q->ring, i, &p); i++) {
		if (!p.present || !isfinite(p.v) || p.t_ns + 1000000 <= from)
			continue;
		if (!n)
			*a = *lo = p;
		if (p.v < lo->v)
			*lo = p;
		*b = p;
		n++;
	}
	return n;
}

double tracker_net_rate(const struct tracker *t, const struct tq *q)
{
	struct growth_point a, lo, b;

	if (window_scan(t, q, &a, &lo, &b) < 2 || b.t_ns <= a.t_ns)
		return 0;
	return (b.v - a.v) / ((double)(b.t_ns - a.t_ns) / 1e9);
}

double tracker_rise_rate(const struct tracker *t, const struct tq *q)
{
	struct growth_point a, lo, b;

	if (window_scan(t, q, &a, &lo, &b) < 2 || b.t_ns <= lo.t_ns)
		return 0;
	return (b.v - lo.v) / ((double)(b.t_ns - lo.t_ns) / 1e9);
}

size_t tracker_points(const struct tracker *t, const struct tq *q)
{
	struct growth_point a, lo, b;

	return window_scan(t, q, &a, &lo, &b);
}

void tracker_watching(const struct tracker *t, struct tracker_watch *out)
{
	uint64_t held = t->samples < t->p.window ? t->samples : t->p.window;

	*out = t->watch;
	out->quantities = t->n;
	out->window_s = 0;
	if (held >= 2) {
		uint64_t oldest = t->times[(t->samples - held) % t->p.window];

		out->window_s = (double)(t->last_ns - oldest) / 1e9;
	}
}
