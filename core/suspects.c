// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * From tracked quantities to ranked suspects: pick the quantities that can
 * be a suspect (the rest only corroborate), skip those whose net change over
 * the window is small (no fit), fit the others, weigh counts by what each
 * object costs the kernel, check a second source, fold what describes the
 * same leak into one suspect, and rank by bytes per hour times confidence.
 * The sentences and costs come from core/verdicts.c.
 */
#include "suspects.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_join.h"
#include "compat.h"
#include "format.h"
#include "hash.h"
#include "verdicts.h"
#include "xalloc.h"

/* Fewest samples before any rate verdict: two points are always a line. */
#define SUSPECT_MIN_SAMPLES 3
/* Level suspects: TCP memory at this share of tcp_mem pressure, orphans at
 * this share of tcp_max_orphans. */
#define LEVEL_TCP_PRESSURE 0.8
#define LEVEL_ORPHANS 0.5
/* Reclaimable caches count at this share of their rate: the kernel shrinks
 * them under pressure, so their growth is often a cache, not a leak. */
#define RECLAIMABLE_WEIGHT 0.5
/* ... and must reach this rate (bytes per hour, after the weight): a
 * compile job or any file traffic moves buffer_head, the inode caches and
 * the reclaimable kmallocs by up to a MiB a minute, and pressure frees them. */
#define RECLAIMABLE_MIN_H (2.0 * 1024 * 1024 * 60)
/* Processes younger than this are held back: a compiler, a JIT or any
 * program starting up grows its RSS and fds for its first seconds. Age is
 * the snapshot's monotonic time minus the start time (clock ticks since
 * boot, USER_HZ 100 on every Linux ABI). */
#define PROC_MIN_AGE_S 5.0
#define USER_HZ 100.0
/* A second source agrees when it grows by at least this share of the rate. */
#define CORR_AGREE_SHARE 0.25
/* A suspect explains a cgroup's growth (and a child its parent's) when it
 * grows at least this share of the cgroup's rate. */
#define CGROUP_EXPLAIN_SHARE 0.5

void suspect_params_init(struct suspect_params *p)
{
	p->threshold_bytes_h = 64.0 * 1024 * 60;
	p->min_confidence = 0.5;
	p->max = 50;
	p->self_pid = 0;
}

const char *suspect_kind_name(enum suspect_kind k)
{
	return verdict_rule(k)->name;
}

struct build {
	struct tracker *t;
	const struct snapshot *s;
	const struct suspect_params *p;
	struct suspect *v;
	size_t n, cap;
	bool *dropped;
	uint64_t (*peer_key)[2];	/* SENDQ: the group key of the local peer's socket */
	uint32_t *cg_row;		/* CGROUP: its row in s->cgroups; CG_NONE otherwise */
	bool *cg_members;		/* CGROUP: its own processes' growth explains it */
};

/* Orphans that hold data or wait on it. FIN-WAIT-2 after close() is a
 * time-wait socket to the kernel (sockstat counts it under "tw", not
 * "orphan"): it waits for its peer's FIN, so when that peer is a local pile
 * of CLOSE-WAIT sockets, the pile is the leak and these are its evidence. */
static bool orphan_state(uint8_t st)
{
	return st == TCPS_FIN_WAIT1 || st == TCPS_LAST_ACK || st == TCPS_CLOSING;
}

/* The suspect kind a quantity can raise, or -1 when it only corroborates. */
static int kind_of(const struct tq *q)
{
	const struct tq_sgroup *g = &q->sg;

	switch ((enum tq_kind)q->id.kind) {
	case TQ_MEM_CLASS: return q->id.k[0] == MEM_UNACCOUNTED ? SUS_UNACCOUNTED : -1;
	case TQ_SLAB_BYTES: return SUS_SLAB;
	case TQ_VMALLOC_BYTES: return SUS_VMALLOC;
	case TQ_TMPFS_USED: return SUS_TMPFS;
	case TQ_PROC_RSS: return SUS_PROC_RSS;
	case TQ_PROC_FDS: return SUS_PROC_FDS;
	case TQ_SGRP_COUNT:
		if (g->pid)
			return g->state == TCPS_LISTEN && g->kind == SK_TCP ? -1 : SUS_STATE_PILE;
		if (g->kind == SK_TCP && (g->flags & TQ_SG_NO_INODE))
			return orphan_state(g->state) ? SUS_ORPHANS : -1;
		return (g->flags & TQ_SG_NO_INODE) ? -1 : SUS_STATE_PILE;
	case TQ_SGRP_SENDQ:
		return g->kind == SK_TCP || g->kind == SK_UNIX ? SUS_SENDQ : -1;
	case TQ_SGRP_RECVQ:
		return g->kind == SK_TCP ? SUS_RECVQ : SUS_BACKLOG;
	/* memory.current moves with the page cache: context, not a suspect. */
	case TQ_CG_ANON:
	case TQ_CG_KERNEL:
	case TQ_CG_SOCK: return SUS_CGROUP;
	default: return -1;
	}
}

/* Bytes one unit of q costs. */
static double unit_cost(const struct build *b, const struct tq *q)
{
	if (q->id.kind == TQ_SGRP_COUNT)
		return verdict_cost_socket(b->s, q->sg.kind, !(q->sg.flags & TQ_SG_NO_INODE));
	if (q->id.kind == TQ_PROC_FDS)
		return verdict_cost_fd(b->s);
	return 1.0;
}

static void ev_add(struct suspect *su, int agrees, const char *fmt, ...) ATTR_FORMAT(3, 4);

static void ev_add(struct suspect *su, int agrees, const char *fmt, ...)
{
	va_list ap;

	if (su->nev == SUSPECT_EVIDENCE_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(su->ev[su->nev].text, sizeof(su->ev[0].text), fmt, ap);
	va_end(ap);
	su->ev[su->nev++].agrees = (int8_t)agrees;
}

static void rate_text(double per_h, bool bytes, const char *unit, char *out, size_t sz)
{
	char num[16];
	double per_min = per_h / 60.0;

	if (bytes) {
		format_bytes((uint64_t)fabs(per_min), num, sizeof(num));
		snprintf(out, sz, "%s%s/min", per_min < 0 ? "-" : "+", num);
	} else if (fabs(per_min) >= 10 || per_min == 0) {
		snprintf(out, sz, "%+.0f %s/min", per_min, unit);
	} else {
		snprintf(out, sz, "%+.1f %s/min", per_min, unit);
	}
}

static const struct tq *find_q(const struct tracker *t, uint8_t kind, uint64_t k0, uint64_t k1)
{
	struct tq_id id = { .kind = kind, .k = { k0, k1 } };
	const struct tq *q = tracker_find(t, &id);

	return q && q->present ? q : NULL;
}

static const struct tq *find_slab(const struct tracker *t, uint8_t kind, const char *name)
{
	return find_q(t, kind, hash_str(name, HASH_INIT), 0);
}

/* Compare the suspect's rate with a second source's net rate, both per
 * hour in the same unit. */
static void corr_compare(struct build *b, struct suspect *su, const struct tq *second,
			 const char *what, double mine_h, bool bytes, const char *unit)
{
	char rt[32];
	double other_h;

	if (!second)
		return;
	other_h = tracker_net_rate(b->t, second) * 3600.0;
	rate_text(other_h, bytes, unit, rt, sizeof(rt));
	if (mine_h > 0 && other_h >= CORR_AGREE_SHARE * mine_h) {
		ev_add(su, 1, "%s grows too: %s", what, rt);
		su->confidence += (1.0 - su->confidence) * 0.5;
	} else if (other_h * (double)tracker_points(b->t, second) <= 0 ||
		   fabs(other_h) < 0.05 * mine_h) {
		ev_add(su, -1, "%s does not grow (%s)", what, rt);
		su->confidence *= 0.75;
	} else {
		ev_add(su, 0, "%s grows less: %s", what, rt);
	}
}

static void corroborate(struct build *b, struct suspect *su, const struct tq *q)
{
	const struct tracker *t = b->t;

	switch ((enum corr_source)verdict_rule(su->kind)->corr) {
	case CORR_SLAB_CLASS: {
		bool recl = verdict_slab_reclaimable(q->label);

		corr_compare(b, su, find_q(t, TQ_MEM_CLASS, recl ? MEM_SLAB_RECL : MEM_SLAB_UNRECL, 0),
			     recl ? "SReclaimable" : "SUnreclaim", su->rate_bytes_h, true, "");
		break;
	}
	case CORR_FILP:
		corr_compare(b, su, find_slab(t, TQ_SLAB_OBJS, "filp"), "filp slab",
			     su->rate_units_h, false, "objs");
		break;
	case CORR_SOCK_INODE:
		corr_compare(b, su, find_slab(t, TQ_SLAB_OBJS, "sock_inode_cache"),
			     "sock_inode_cache slab", su->rate_units_h, false, "objs");
		break;
	case CORR_TCP_MEM:
		if (q->sg.kind == SK_TCP)
			corr_compare(b, su, find_q(t, TQ_TCP_MEM, 0, 0), "sockstat TCP mem",
				     su->rate_bytes_h, true, "");
		break;
	case CORR_SHMEM:
		corr_compare(b, su, find_q(t, TQ_MEM_CLASS, MEM_SHMEM, 0), "Shmem", su->rate_bytes_h,
			     true, "");
		break;
	case CORR_ANON:
		corr_compare(b, su, find_q(t, TQ_MEM_CLASS, MEM_ANON, 0), "AnonPages",
			     su->rate_bytes_h, true, "");
		break;
	case CORR_VMALLOC:
		corr_compare(b, su, find_q(t, TQ_MEM_CLASS, MEM_VMALLOC, 0), "VmallocUsed",
			     su->rate_bytes_h, true, "");
		break;
	case CORR_ORPHANS:
		/* Not tcp_mem: FIN-WAIT-2 orphans hold no data. */
		corr_compare(b, su, find_q(t, TQ_TCP_ORPHANS, 0, 0), "sockstat orphan",
			     su->rate_units_h, false, "sockets");
		break;
	case CORR_NOT_SOCKETS: {
		const struct tq *tm = find_q(t, TQ_TCP_MEM, 0, 0);
		double tcp_h = tm ? tracker_net_rate(t, tm) * 3600.0 : 0;
		char rt[32];

		if (!tm)
			break;
		rate_text(tcp_h, true, "", rt, sizeof(rt));
		if (tcp_h >= 0.5 * su->rate_bytes_h) {
			ev_add(su, -1, "sockstat TCP mem grows %s: socket buffers explain it", rt);
			su->confidence *= 0.5;
		} else {
			ev_add(su, 1, "sockstat TCP mem %s: not socket buffers", rt);
			su->confidence += (1.0 - su->confidence) * 0.25;
		}
		break;
	}
	case CORR_NONE:
		break;
	}
}

/* ---- subjects and details ---------------------------------------------------- */

static void proc_subject(const struct build *b, int32_t pid, uint64_t starttime, const char *fallback,
			 char *out, size_t sz)
{
	const struct proc_entry *p = proc_table_find(&b->s->procs, pid);

	snprintf(out, sz, "pid %d %s", pid,
		 p && p->starttime == starttime ? p->comm : fallback ? fallback : "?");
}

/* The first socket with this inode (any cookie). */
static const struct sock_entry *sock_by_inode(const struct sock_table *st, uint32_t inode)
{
	size_t lo = 0, hi = st->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (st->v[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < st->n && st->v[lo].inode == inode ? &st->v[lo] : NULL;
}

/* The local end of s's connection: the socket with the reversed 4-tuple,
 * or the unix peer. Linear for TCP: done for a handful of suspects. */
static const struct sock_entry *local_peer(const struct sock_table *st, const struct sock_entry *s)
{
	uint8_t ssrc[16], sdst[16];

	if (s->kind == SK_UNIX)
		return s->u.un.peer_inode ? sock_by_inode(st, s->u.un.peer_inode) : NULL;
	if (s->kind != SK_TCP || !s->dport)
		return NULL;
	sock_inet_addrs(st, s, ssrc, sdst);
	for (size_t i = 0; i < st->n; i++) {
		const struct sock_entry *e = &st->v[i];
		uint8_t src[16], dst[16];

		if (e->kind != s->kind || e->family != s->family || e->sport != s->dport ||
		    e->dport != s->sport)
			continue;
		sock_inet_addrs(st, e, src, dst);
		if (memcmp(src, sdst, 16) == 0 && memcmp(dst, ssrc, 16) == 0)
			return e;
	}
	return NULL;
}

static const struct sock_entry *top_socket(const struct build *b, const struct tq *q)
{
	if (!q->top_k[0] && !q->top_k[1])
		return NULL;
	return sock_table_find(&b->s->socks, (uint32_t)q->top_k[0], q->top_k[1]);
}

/* SENDQ, RECVQ, BACKLOG: point at the group's top socket, name the peer. */
static void socket_detail(struct build *b, struct suspect *su, const struct tq *q, char *detail,
			  size_t dsz, uint64_t peer_key[2])
{
	const struct sock_table *st = &b->s->socks;
	const struct sock_entry *top = top_socket(b, q);
	char local[80], peer[80];

	peer_key[0] = peer_key[1] = UINT64_MAX;
	snprintf(detail, dsz, "%s", su->kind == SUS_SENDQ ? "(not a local socket)" :
				    sock_kind_name((enum sock_kind)q->sg.kind));
	if (!top)
		return;
	su->target = SUS_TO_SOCKET;
	sock_identity(top, su->target_k);
	sock_format_local(st, top, local, sizeof(local));
	sock_format_peer(st, top, peer, sizeof(peer));
	ev_add(su, 0, "top socket %s -> %s: Recv-Q %u, Send-Q %u", local, peer, top->rqueue,
	       top->wqueue);
	if (su->kind == SUS_SENDQ) {
		const struct sock_entry *pe = local_peer(st, top);
		const struct sock_owner *o = pe && pe->owner_n ? sock_owners_of(st, pe) : NULL;

		if (o) {
			char who[96];
			struct tq_sgroup g;

			proc_subject(b, o->pid, o->starttime, NULL, who, sizeof(who));
			snprintf(detail, dsz, "%.60s (%.90s)", peer, who);
			ev_add(su, 1, "peer %s holds it with Recv-Q %u", who, pe->rqueue);
			tracker_sgroup_of(b->t, st, pe, &g, peer_key);
		} else if (pe) {
			snprintf(detail, dsz, "%s (local, owner unknown)", peer);
		} else {
			snprintf(detail, dsz, "%s", peer);
		}
	}
}

/* ORPHANS: what they wait for, and, when the other end is local, who: the
 * process that holds it (its group goes to peer_key, to fold its pile). */
static void orphan_detail(struct build *b, struct suspect *su, const struct tq *q, char *detail,
			  size_t dsz, uint64_t peer_key[2])
{
	const struct sock_table *st = &b->s->socks;
	const struct sock_entry *top = top_socket(b, q);
	const struct sock_entry *pe = top ? local_peer(st, top) : NULL;
	const struct sock_owner *o = pe && pe->owner_n ? sock_owners_of(st, pe) : NULL;
	struct tq_sgroup g;
	char who[96];

	peer_key[0] = peer_key[1] = UINT64_MAX;
	snprintf(detail, dsz, "%s", verdict_orphan_wait(q->sg.state));
	if (!o)
		return;
	proc_subject(b, o->pid, o->starttime, NULL, who, sizeof(who));
	snprintf(detail, dsz, "%s: they wait for %.90s, which does not read",
		 sock_tcp_state_name(q->sg.state) ? sock_tcp_state_name(q->sg.state) : "?", who);
	ev_add(su, 0, "%s", verdict_orphan_wait(q->sg.state));
	ev_add(su, 1, "the other end is local: %s holds it with Recv-Q %u", who, pe->rqueue);
	tracker_sgroup_of(b->t, st, pe, &g, peer_key);
}

/* ---- cgroups ------------------------------------------------------------------ */

/* The charge a cgroup quantity is about, in the verdict's words. */
static const char *const cgroup_charge_words[TQ_KIND_COUNT] = {
	[TQ_CG_CURRENT] = "memory.current", [TQ_CG_ANON] = "anon memory",
	[TQ_CG_KERNEL] = "kernel memory", [TQ_CG_SOCK] = "sock memory",
};

static const char *cgroup_charge_word(uint8_t kind)
{
	return kind < TQ_KIND_COUNT && cgroup_charge_words[kind] ? cgroup_charge_words[kind] : "memory";
}

/* The row of a cgroup quantity in the newest sample, or CG_NONE. Linear:
 * done for a handful of suspects. */
static uint32_t cgroup_row_of(const struct snapshot *s, const struct tq *q)
{
	const struct cgroup_table *ct = &s->cgroups;

	for (size_t i = 0; i < ct->n; i++)
		if (ct->v[i].hier == q->id.k[1] &&
		    hash_str(cgroup_path(ct, &ct->v[i]), HASH_INIT) == q->id.k[0])
			return (uint32_t)i;
	return CG_NONE;
}

/* Row is anc or below it. */
static bool cgroup_within(const struct cgroup_table *ct, uint32_t row, uint32_t anc)
{
	for (size_t depth = 0; row != CG_NONE && row < ct->n && depth <= CG_SCAN_DEPTH; depth++) {
		if (row == anc)
			return true;
		row = ct->v[row].parent;
	}
	return false;
}

/* What the cgroup's own processes do: the growth of their RSS (for anon)
 * or socket memory (for sock) agrees; none that grows leaves the charge
 * to what no process holds (orphans, kernel objects, many small ones). */
static bool cgroup_members(struct build *b, struct suspect *su, const struct tq *q,
			   const struct cgroup_entry *e)
{
	uint8_t mine = q->id.kind == TQ_CG_SOCK ? TQ_PROC_SOCKMEM : TQ_PROC_RSS;
	size_t *ix = NULL, np, ns;
	double member_h = 0;
	char rt[32];

	np = cgroup_processes(b->s, e, &ix);
	for (size_t i = 0; i < np; i++) {
		const struct proc_entry *p = &b->s->procs.v[ix[i]];
		const struct tq *pq = find_q(b->t, mine, (uint64_t)(uint32_t)p->pid, p->starttime);

		if (pq)
			member_h += tracker_net_rate(b->t, pq) * 3600.0;
	}
	free(ix);
	/* Counted once per sample by the join: walking 100k sockets per
	 * cgroup suspect here was 3% of a sample's CPU. */
	ns = cgroup_socket_count(b->s, e);
	rate_text(member_h, true, "", rt, sizeof(rt));
	if (q->id.kind != TQ_CG_KERNEL && su->rate_bytes_h > 0 &&
	    member_h >= CORR_AGREE_SHARE * su->rate_bytes_h) {
		ev_add(su, 1, "its %zu processes' %s grows too: %s", np,
		       mine == TQ_PROC_RSS ? "RSS" : "socket memory", rt);
		su->confidence += (1.0 - su->confidence) * 0.5;
	} else {
		ev_add(su, 0, "%zu processes, %zu sockets in it; what they hold grows %s: "
			      "charged to the cgroup, not held by one process", np, ns, rt);
	}
	return q->id.kind != TQ_CG_KERNEL && su->rate_bytes_h > 0 &&
	       member_h >= CGROUP_EXPLAIN_SHARE * su->rate_bytes_h;
}

static void cgroup_detail(struct build *b, struct suspect *su, const struct tq *q, char *detail,
			  size_t dsz, uint32_t *row, bool *members)
{
	const struct cgroup_table *ct = &b->s->cgroups;
	const struct tq *cur = find_q(b->t, TQ_CG_CURRENT, q->id.k[0], q->id.k[1]);
	const struct cgroup_entry *e;
	char rt[32];

	snprintf(su->subject_text, sizeof(su->subject_text), "%s", q->label);
	snprintf(detail, dsz, "%s", cgroup_charge_word(q->id.kind));
	*row = cgroup_row_of(b->s, q);
	if (cur) {
		rate_text(tracker_net_rate(b->t, cur) * 3600.0, true, "", rt, sizeof(rt));
		ev_add(su, 0, "memory.current %s", rt);
	}
	if (*row == CG_NONE) {
		su->target = SUS_TO_NONE;
		return;
	}
	e = &ct->v[*row];
	su->target_k[0] = e->hier;
	su->target_k[1] = e->id;
	snprintf(su->target_name, sizeof(su->target_name), "%s", cgroup_path(ct, e));
	*members = cgroup_members(b, su, q, e);
}

/* ---- candidates ---------------------------------------------------------------- */

static struct suspect *push(struct build *b)
{
	if (b->n == b->cap) {
		xgrow((void **)&b->v, &b->cap, b->n + 1, sizeof(*b->v));
		b->dropped = xreallocarray(b->dropped, b->cap, sizeof(*b->dropped));
		b->peer_key = xreallocarray(b->peer_key, b->cap, sizeof(*b->peer_key));
		b->cg_row = xreallocarray(b->cg_row, b->cap, sizeof(*b->cg_row));
		b->cg_members = xreallocarray(b->cg_members, b->cap, sizeof(*b->cg_members));
	}
	memset(&b->v[b->n], 0, sizeof(b->v[0]));
	b->dropped[b->n] = false;
	b->cg_row[b->n] = CG_NONE;
	b->cg_members[b->n] = false;
	b->peer_key[b->n][0] = b->peer_key[b->n][1] = UINT64_MAX;
	return &b->v[b->n++];
}

static void describe(struct build *b, struct suspect *su, const struct tq *q, uint64_t peer_key[2],
		     uint32_t *cg_row, bool *cg_members)
{
	const struct verdict_rule *r = verdict_rule(su->kind);
	char rate[48], detail[160] = "";
	const struct tq_sgroup *g = &q->sg;

	rate_text(r->counts ? su->rate_units_h : su->rate_bytes_h, !r->counts,
		  su->kind == SUS_PROC_FDS ? "fds" : "sockets", rate, sizeof(rate));
	su->target = r->target;
	switch ((enum suspect_kind)su->kind) {
	case SUS_PROC_RSS:
	case SUS_PROC_FDS:
		proc_subject(b, (int32_t)q->id.k[0], q->id.k[1], q->label, su->subject_text,
			     sizeof(su->subject_text));
		su->target_k[0] = q->id.k[0];
		su->target_k[1] = q->id.k[1];
		snprintf(detail, sizeof(detail), "%s, now %.0f", rate, q->last_value);
		break;
	case SUS_STATE_PILE: {
		const struct verdict_state_hint *h = verdict_state_hint(g->kind, g->state);

		if (g->pid) {
			proc_subject(b, g->pid, g->starttime, q->label, su->subject_text,
				     sizeof(su->subject_text));
			su->target_k[0] = (uint64_t)(uint32_t)g->pid;
			su->target_k[1] = g->starttime;
		} else {
			snprintf(su->subject_text, sizeof(su->subject_text), "%s port %u (owner not found)",
				 sock_kind_name((enum sock_kind)g->kind), g->port);
			su->target = SUS_TO_TAB;
			snprintf(su->target_name, sizeof(su->target_name), "sockets");
		}
		snprintf(detail, sizeof(detail), "%.0f %s (%s): %s", q->last_value, h->what, rate,
			 h->why);
		break;
	}
	case SUS_ORPHANS:
		snprintf(su->subject_text, sizeof(su->subject_text), "on %s port %u",
			 (g->flags & TQ_SG_REMOTE_PORT) ? "remote" : "local", g->port);
		snprintf(su->target_name, sizeof(su->target_name), "tcp");
		ev_add(su, 0, "%.0f orphans on this port now", q->last_value);
		orphan_detail(b, su, q, detail, sizeof(detail), peer_key);
		break;
	case SUS_SENDQ:
	case SUS_RECVQ:
	case SUS_BACKLOG:
		if (g->pid)
			proc_subject(b, g->pid, g->starttime, q->label, su->subject_text,
				     sizeof(su->subject_text));
		else
			snprintf(su->subject_text, sizeof(su->subject_text), "%s sockets without owner",
				 sock_kind_name((enum sock_kind)g->kind));
		socket_detail(b, su, q, detail, sizeof(detail), peer_key);
		break;
	case SUS_SLAB: {
		const struct slab_cache *c = slab_table_find(&b->s->slab, q->label);

		snprintf(su->subject_text, sizeof(su->subject_text), "%s", q->label);
		snprintf(su->target_name, sizeof(su->target_name), "%s", q->label);
		if (c && c->merged_with)
			ev_add(su, 0, "shares its slabs with: %.120s", c->merged_with);
		if (strcmp(q->label, "dentry") == 0) {
			snprintf(detail, sizeof(detail),
				 "; negative dentries? see /proc/sys/fs/dentry-state");
			ev_add(su, 0, "confirm: /proc/sys/fs/dentry-state fields 1 (dentries), "
				      "2 (unused) and 5 (negative, 5.x+)");
		} else if (verdict_slab_reclaimable(q->label)) {
			snprintf(detail, sizeof(detail), " (reclaimable: shrinks under pressure)");
		}
		break;
	}
	case SUS_VMALLOC:
		snprintf(su->subject_text, sizeof(su->subject_text), "%s", q->label);
		snprintf(su->target_name, sizeof(su->target_name), "vmalloc");
		break;
	case SUS_TMPFS:
		snprintf(su->subject_text, sizeof(su->subject_text), "%s", q->label);
		snprintf(su->target_name, sizeof(su->target_name), "memory");
		break;
	case SUS_UNACCOUNTED:
		snprintf(su->subject_text, sizeof(su->subject_text), "unaccounted");
		snprintf(su->target_name, sizeof(su->target_name), "memory");
		break;
	case SUS_CGROUP:
		cgroup_detail(b, su, q, detail, sizeof(detail), cg_row, cg_members);
		break;
	default:
		break;
	}
	verdict_format(su->kind, su->subject_text, rate, detail, su->verdict, sizeof(su->verdict));
}

static bool young(const struct build *b, int kind, const struct tq *q)
{
	uint64_t start;

	if (kind == SUS_PROC_RSS || kind == SUS_PROC_FDS)
		start = q->id.k[1];
	else if (kind == SUS_STATE_PILE && q->sg.pid)
		start = q->sg.starttime;
	else
		return false;
	return (double)b->s->t_mono_ns / 1e9 - (double)start / USER_HZ < PROC_MIN_AGE_S;
}

static void consider(struct build *b, const struct tq *q)
{
	int kind = kind_of(q);
	const struct tq_unit_info *u = &tq_kinds[q->id.kind];
	const struct growth_est *e;
	double cost, net_h, weight = 1.0, effective;
	struct suspect su;
	uint64_t peer_key[2];
	uint32_t cg_row = CG_NONE;
	bool cg_members = false;

	if (kind < 0 || !q->present || tracker_points(b->t, q) < verdict_rule(kind)->min_points)
		return;
	if (young(b, kind, q))
		return;
	if (b->p->self_pid && (kind == SUS_PROC_RSS || kind == SUS_PROC_FDS) &&
	    (int32_t)q->id.k[0] == b->p->self_pid)
		return;
	cost = unit_cost(b, q);
	net_h = tracker_rise_rate(b->t, q) * 3600.0;
	/* The cheap filter: a quantity that did not rise from its low at half
	 * the threshold's rate is not fitted. */
	if (net_h * cost < 0.5 * b->p->threshold_bytes_h)
		return;
	e = tracker_estimate(b->t, q);
	if (e->status != GROWTH_OK || e->slope_per_s <= 0 ||
	    (e->shape != GROWTH_LINEAR && e->shape != GROWTH_RESET))
		return;
	if (e->total_growth < u->noise_floor)
		return;
	if (verdict_rule(kind)->steady_points && e->n_used < verdict_rule(kind)->steady_points &&
	    e->total_growth < verdict_rule(kind)->fast_floor)
		return;
	memset(&su, 0, sizeof(su));
	su.kind = (uint8_t)kind;
	su.subject = q->id;
	su.rate_units_h = e->slope_per_s * 3600.0;
	su.rate_bytes_h = su.rate_units_h * cost;
	su.growth = (q->last_value - q->first_value) * cost;
	su.window_s = e->span_s > 0 ? e->span_s : (double)(tracker_last_ns(b->t) - q->first_seen_ns) / 1e9;
	su.confidence = e->confidence;
	if (kind == SUS_SLAB && verdict_slab_reclaimable(q->label))
		weight = RECLAIMABLE_WEIGHT;
	effective = su.rate_bytes_h * weight;
	if (effective < b->p->threshold_bytes_h ||
	    (weight < 1.0 && effective < RECLAIMABLE_MIN_H))
		return;
	ev_add(&su, 0, "%s growth over %.0f s, %zu points, steadiness %.2f%s",
	       growth_shape_name(e->shape), su.window_s, e->n_used, e->steadiness,
	       e->shape == GROWTH_RESET ? " (since a reset)" : "");
	corroborate(b, &su, q);
	if (su.confidence < b->p->min_confidence)
		return;
	su.score = effective * su.confidence;
	describe(b, &su, q, peer_key, &cg_row, &cg_members);
	*push(b) = su;
	b->peer_key[b->n - 1][0] = peer_key[0];
	b->peer_key[b->n - 1][1] = peer_key[1];
	b->cg_row[b->n - 1] = cg_row;
	b->cg_members[b->n - 1] = cg_members;
}

/* ---- level suspects: near a kernel limit, whatever the rate -------------------- */

static void level(struct build *b, enum suspect_kind kind, double ratio, const struct tq *q,
		  const char *what)
{
	struct suspect *su = push(b);
	char rate[48], detail[48];

	su->kind = (uint8_t)kind;
	if (q)
		su->subject = q->id;
	snprintf(su->subject_text, sizeof(su->subject_text), "%s", what);
	su->rate_units_h = q ? tracker_net_rate(b->t, q) * 3600.0 : 0;
	su->rate_bytes_h = kind == SUS_ORPHAN_LIMIT
				   ? su->rate_units_h * verdict_cost_socket(b->s, SK_TCP, false)
				   : su->rate_units_h;
	su->confidence = ratio > 1 ? 1 : ratio;
	/* Near a limit outranks any rate: the kernel is about to act. */
	su->score = b->p->threshold_bytes_h * 1000.0 * ratio;
	su->target = SUS_TO_TAB;
	snprintf(su->target_name, sizeof(su->target_name), "tcp");
	snprintf(detail, sizeof(detail), "%.0f%%", ratio * 100.0);
	rate_text(su->rate_bytes_h, true, "", rate, sizeof(rate));
	verdict_format(kind, su->subject_text, rate, detail, su->verdict, sizeof(su->verdict));
}

static void levels(struct build *b)
{
	const struct tcpmem *m = &b->s->tcp;

	if (!(b->s->sections & SNAP_TCP) || !m->has_sockstat)
		return;
	if (m->has_tcp_mem && m->tcp_mem_pressure) {
		double r = (double)m->tcp_mem_pages / (double)m->tcp_mem_pressure;

		if (r >= LEVEL_TCP_PRESSURE || m->under_pressure) {
			level(b, SUS_TCP_PRESSURE, r, find_q(b->t, TQ_TCP_MEM, 0, 0), "tcp_mem");
			ev_add(&b->v[b->n - 1], 0, "tcp_mem %" PRIu64 " pages of %" PRIu64 " %" PRIu64
				   " %" PRIu64 "%s", m->tcp_mem_pages, m->tcp_mem_min,
			       m->tcp_mem_pressure, m->tcp_mem_max,
			       m->under_pressure ? "; under pressure now" : "");
		}
	}
	if (m->has_max_orphans && m->tcp_max_orphans) {
		double r = (double)m->tcp_orphan / (double)m->tcp_max_orphans;

		if (r >= LEVEL_ORPHANS) {
			level(b, SUS_ORPHAN_LIMIT, r, find_q(b->t, TQ_TCP_ORPHANS, 0, 0),
			      "tcp_max_orphans");
			ev_add(&b->v[b->n - 1], 0, "%" PRIu64 " orphans, tcp_max_orphans %" PRIu64,
			       m->tcp_orphan, m->tcp_max_orphans);
		}
	}
}

/* ---- folding what describes one leak ------------------------------------------- */

static bool same_pid(const struct suspect *a, const struct suspect *b)
{
	return a->target == SUS_TO_PROCESS && b->target == SUS_TO_PROCESS &&
	       a->target_k[0] == b->target_k[0] && a->target_k[1] == b->target_k[1];
}

/* The cache, or one merged with it, is one that rule says grows with
 * something else. */
static bool slab_follows(const struct snapshot *s, const char *name, bool (*rule)(const char *))
{
	const struct slab_cache *c = slab_table_find(&s->slab, name);
	char alias[64];

	if (rule(name))
		return true;
	for (const char *p = c ? c->merged_with : NULL; p && *p;) {
		size_t n = strcspn(p, ",");

		snprintf(alias, sizeof(alias), "%.*s", (int)(n < sizeof(alias) ? n : sizeof(alias) - 1), p);
		if (rule(alias))
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

static bool same_key(const uint64_t a[2], const uint64_t b[2])
{
	return a[0] == b[0] && a[1] == b[1];
}

static unsigned int sgroup_sock_kind(const struct suspect *su)
{
	return (unsigned int)(su->subject.k[0] >> 32) & 0xff;
}

static bool is_queue(const struct suspect *su)
{
	return su->kind == SUS_SENDQ || su->kind == SUS_RECVQ || su->kind == SUS_BACKLOG;
}

static bool is_pile(const struct suspect *su)
{
	return su->kind == SUS_STATE_PILE || su->kind == SUS_PROC_FDS || su->kind == SUS_ORPHANS;
}

/* Suspect from becomes evidence of into. Its memory adds to into's score
 * when it is other memory of the same leak (the other end's sockets), not
 * the same bytes seen twice. */
static void absorb(struct build *b, size_t into, size_t from, bool other_memory, const char *what)
{
	struct suspect *a = &b->v[into], *c = &b->v[from];
	char rt[32];

	rate_text(c->rate_bytes_h, true, "", rt, sizeof(rt));
	ev_add(a, 1, "%s: %.90s %s", what, c->subject_text, rt);
	if (other_memory)
		a->score += c->score;
	else if (c->score > a->score)
		a->score = c->score;
	b->dropped[from] = true;
}

/* A socket pile is also an fd leak of the same process: first, so that
 * the pile carries its fds wherever it is folded next. */
static void fold_fds_into_piles(struct build *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct suspect *a = &b->v[i];

		for (size_t j = 0; j < b->n && a->kind == SUS_STATE_PILE; j++) {
			struct suspect *c = &b->v[j];

			if (c->kind == SUS_PROC_FDS && !b->dropped[j] && same_pid(a, c) &&
			    a->rate_units_h >= 0.5 * c->rate_units_h) {
				ev_add(a, 1, "its fds grow too: %+.0f/min", c->rate_units_h / 60.0);
				a->confidence += (1.0 - a->confidence) * 0.5;
				b->dropped[j] = true;
			}
		}
	}
}

/* Pairs of suspects that are one leak seen from two sides. */
static void fold_pairs(struct build *b)
{
	fold_fds_into_piles(b);
	for (size_t i = 0; i < b->n; i++) {
		struct suspect *a = &b->v[i];

		for (size_t j = 0; j < b->n; j++) {
			struct suspect *c = &b->v[j];

			if (i == j || b->dropped[j] || b->dropped[i])
				continue;
			/* The peer that does not read: its receive queue is the
			 * same bytes as the sender's send queue. A unix stream
			 * keeps them in the reader's queue and charges them to
			 * the writer: the reader's backlog is the leak. */
			if (a->kind == SUS_SENDQ && (c->kind == SUS_RECVQ || c->kind == SUS_BACKLOG) &&
			    same_key(c->subject.k, b->peer_key[i])) {
				if (sgroup_sock_kind(a) == SK_UNIX) {
					absorb(b, j, i, false,
					       "the memory is charged to the writer's send queue");
					break;
				}
				ev_add(a, 1, "the peer's receive queue grows too: %.100s", c->subject_text);
				b->dropped[j] = true;
			}
			/* Orphans wait for a local peer that does not read: its
			 * pile of connections is the other end of the same
			 * leak, and their unsent data is theirs. */
			if (a->kind == SUS_ORPHANS &&
			    (((c->kind == SUS_STATE_PILE || c->kind == SUS_RECVQ) &&
			      same_key(c->subject.k, b->peer_key[i])) ||
			     (c->kind == SUS_SENDQ && same_key(c->subject.k, a->subject.k))))
				absorb(b, i, j, true, c->kind == SUS_SENDQ ? "their unsent data"
									   : "what they wait for");
		}
	}
}

/* The first surviving suspect (by score) that pred accepts, or -1. */
static long best(const struct build *b, bool (*pred)(const struct suspect *))
{
	long k = -1;

	for (size_t i = 0; i < b->n; i++)
		if (!b->dropped[i] && pred(&b->v[i]) && (k < 0 || b->v[i].score > b->v[k].score))
			k = (long)i;
	return k;
}

/* Caches whose growth a pile, an fd leak or a queue explains: evidence of
 * it, not suspects of their own, unless they outgrow it. */
static void fold_caches(struct build *b)
{
	double pile_units_h = 0, queue_bytes_h = 0;
	long pile = best(b, is_pile), queue = best(b, is_queue);
	const struct tq *tw;
	char rt[32];

	for (size_t i = 0; i < b->n; i++) {
		if (is_pile(&b->v[i]))
			pile_units_h += b->v[i].rate_units_h;
		if (is_queue(&b->v[i]) && !b->dropped[i])
			queue_bytes_h += b->v[i].rate_bytes_h;
	}
	/* tw_sock and the bind buckets grow with TIME-WAIT, bounded (60 s). */
	tw = find_q(b->t, TQ_TCP_TW, 0, 0);
	if (tw && tracker_net_rate(b->t, tw) > 0)
		pile_units_h += tracker_net_rate(b->t, tw) * 3600.0;
	for (size_t i = 0; i < b->n; i++) {
		struct suspect *su = &b->v[i];
		const struct tq *q = tracker_find(b->t, &su->subject);
		const struct tq *objs;

		if (su->kind != SUS_SLAB || !q || b->dropped[i])
			continue;
		rate_text(su->rate_bytes_h, true, "", rt, sizeof(rt));
		objs = find_slab(b->t, TQ_SLAB_OBJS, q->label);
		if (pile_units_h > 0 && slab_follows(b->s, q->label, verdict_slab_follows_sockets) &&
		    objs && tracker_net_rate(b->t, objs) * 3600.0 <= 2.0 * pile_units_h) {
			b->dropped[i] = true;
			if (pile >= 0)
				ev_add(&b->v[pile], 1, "%s slab grows with it: %s", q->label, rt);
		} else if (queue >= 0 && slab_follows(b->s, q->label, verdict_slab_follows_queues) &&
			   su->rate_bytes_h <= 2.0 * queue_bytes_h) {
			b->dropped[i] = true;
			ev_add(&b->v[queue], 1, "%s slab grows with it (the queued packets): %s",
			       q->label, rt);
		}
	}
}

/* Kernel stacks and per-task caches grow when more tasks are alive:
 * process churn, not a leak, while the task count explains them. */
static void fold_tasks(struct build *b)
{
	const struct tq *tasks = find_q(b->t, TQ_TASKS, 0, 0);
	double tasks_h = tasks ? tracker_net_rate(b->t, tasks) * 3600.0 : 0;

	for (size_t i = 0; i < b->n; i++) {
		struct suspect *su = &b->v[i];
		const struct tq *q = tracker_find(b->t, &su->subject);
		double per, units_h;

		if (!q || b->dropped[i] || (su->kind != SUS_SLAB && su->kind != SUS_VMALLOC))
			continue;
		per = verdict_task_object(q->label, su->kind == SUS_VMALLOC);
		if (per <= 0)
			continue;
		if (su->kind == SUS_SLAB) {
			const struct tq *objs = find_slab(b->t, TQ_SLAB_OBJS, q->label);

			units_h = objs ? tracker_net_rate(b->t, objs) * 3600.0 : 0;
		} else {
			units_h = su->rate_bytes_h / per;
		}
		if (units_h <= 2.0 * tasks_h + 8 * 3600.0 / su->window_s)
			b->dropped[i] = true;
	}
}

/* The process a suspect is about (its pid, 0 for none, and start time). */
static int32_t suspect_pid(const struct suspect *su, uint64_t *start)
{
	switch ((enum tq_kind)su->subject.kind) {
	case TQ_PROC_RSS:
	case TQ_PROC_FDS:
	case TQ_PROC_SOCKS:
	case TQ_PROC_SOCKMEM:
	case TQ_SGRP_COUNT:
	case TQ_SGRP_MEM:
	case TQ_SGRP_RECVQ:
	case TQ_SGRP_SENDQ:
		*start = su->subject.k[1];
		return (int32_t)(uint32_t)su->subject.k[0];
	default:
		return 0;
	}
}

/* x is about a process in the cgroup of row (or below it). */
static bool proc_in_cgroup(const struct build *b, const struct proc_entry *p, uint32_t row)
{
	const struct cgroup_table *ct = &b->s->cgroups;
	const struct cgroup_entry *e = cgroup_of_process(b->s, p, (enum cgroup_hier)ct->v[row].hier);

	return e && cgroup_within(ct, (uint32_t)(e - ct->v), row);
}

static bool in_cgroup(const struct build *b, const struct suspect *x, uint32_t row)
{
	uint64_t start = 0;
	int32_t pid = suspect_pid(x, &start);
	const struct proc_entry *p = pid ? proc_table_find(&b->s->procs, pid) : NULL;

	return p && p->starttime == start && proc_in_cgroup(b, p, row);
}

/* leaktop runs in this cgroup (or below it). */
static bool self_in_cgroup(const struct build *b, uint32_t row)
{
	const struct proc_entry *p =
		b->p->self_pid ? proc_table_find(&b->s->procs, b->p->self_pid) : NULL;

	return p && proc_in_cgroup(b, p, row);
}

/* A machine-wide suspect whose memory the kernel charges as this charge:
 * caches, vmalloc and pages no counter sees as kernel memory; queues,
 * orphans and ownerless piles as socket memory. */
static bool charged_as(const struct suspect *x, uint8_t charge)
{
	uint64_t start;

	if (suspect_pid(x, &start))
		return false;
	if (charge == TQ_CG_KERNEL)
		return x->kind == SUS_SLAB || x->kind == SUS_VMALLOC || x->kind == SUS_UNACCOUNTED;
	if (charge == TQ_CG_SOCK)
		return x->kind == SUS_ORPHANS || x->kind == SUS_STATE_PILE || is_queue(x);
	return false;
}

static bool explains(const struct suspect *x, const struct suspect *cg)
{
	return x->rate_bytes_h >= CGROUP_EXPLAIN_SHARE * cg->rate_bytes_h;
}

/* A suspect whose growth is in new fds: an fd leak, a process's pile. */
static bool grows_fds(const struct suspect *x)
{
	uint64_t start;

	return x->kind == SUS_PROC_FDS || (x->kind == SUS_STATE_PILE && suspect_pid(x, &start));
}

/* How much of cgroup suspect i's growth (bytes/h) suspect x accounts
 * for: all of x's own when x lives in the cgroup or is machine-wide memory
 * charged that way. And when leaktop itself runs in the cgroup, the proc
 * inode and dentry its owner walk leaves behind for every new fd it reads,
 * wherever that fd is: the kernel charges those to the reader's cgroup,
 * several times what the fd's own struct file costs its owner. */
static double explained_h(const struct build *b, const struct suspect *x, size_t i, bool self_in)
{
	const struct suspect *cg = &b->v[i];
	double h = 0;

	if (in_cgroup(b, x, b->cg_row[i]) || charged_as(x, cg->subject.kind))
		h = x->rate_bytes_h;
	if (self_in && cg->subject.kind == TQ_CG_KERNEL && grows_fds(x))
		h += x->rate_units_h * verdict_cost_fd_walk(b->s);
	return h;
}

/* A cgroup's growth is its members' and its children's: one row per
 * cgroup (its fastest charge), the deepest cgroup that explains a
 * parent's growth, and no row at all when a suspect inside it (or a
 * machine-wide one of the same memory) explains it: that suspect says
 * where it is charged instead. */
static void fold_cgroups(struct build *b)
{
	const struct cgroup_table *ct = &b->s->cgroups;
	char rt[32];

	for (size_t i = 0; i < b->n; i++)
		for (size_t j = 0; j < b->n && b->v[i].kind == SUS_CGROUP && !b->dropped[i]; j++) {
			struct suspect *a = &b->v[i], *c = &b->v[j];

			if (i == j || b->dropped[j] || c->kind != SUS_CGROUP ||
			    !same_key(a->subject.k, c->subject.k) || c->score > a->score)
				continue;
			rate_text(c->rate_bytes_h, true, "", rt, sizeof(rt));
			ev_add(a, 1, "its %s grows too: %s", cgroup_charge_word(c->subject.kind), rt);
			b->dropped[j] = true;
		}
	for (size_t i = 0; i < b->n; i++)
		for (size_t j = 0; j < b->n && b->v[i].kind == SUS_CGROUP && !b->dropped[i]; j++) {
			struct suspect *a = &b->v[i], *c = &b->v[j];

			if (i == j || b->dropped[j] || c->kind != SUS_CGROUP ||
			    b->cg_row[i] == CG_NONE || b->cg_row[j] == b->cg_row[i] ||
			    !cgroup_within(ct, b->cg_row[j], b->cg_row[i]) || !explains(c, a))
				continue;
			rate_text(a->rate_bytes_h, true, "", rt, sizeof(rt));
			ev_add(c, 1, "its parent %.60s grows with it: %s", a->subject_text, rt);
			b->dropped[i] = true;
		}
	for (size_t i = 0; i < b->n; i++) {
		struct suspect *cg = &b->v[i];
		long k = -1;
		bool self_in;

		if (cg->kind != SUS_CGROUP || b->dropped[i] || b->cg_row[i] == CG_NONE)
			continue;
		self_in = self_in_cgroup(b, b->cg_row[i]);
		for (size_t j = 0; j < b->n; j++) {
			const struct suspect *x = &b->v[j];

			if (x->kind == SUS_CGROUP || b->dropped[j] ||
			    explained_h(b, x, i, self_in) < CGROUP_EXPLAIN_SHARE * cg->rate_bytes_h)
				continue;
			if (k < 0 || x->score > b->v[k].score)
				k = (long)j;
		}
		/* No suspect yet, but its own processes' growth explains it
		 * (one too young to be named yet, or many together): they are
		 * what to look at, and each is named once it qualifies. */
		if (k < 0) {
			if (b->cg_members[i])
				b->dropped[i] = true;
			continue;
		}
		rate_text(cg->rate_bytes_h, true, "", rt, sizeof(rt));
		ev_add(&b->v[k], 1, "in cgroup %.60s: its %s grows %s", cg->subject_text,
		       cgroup_charge_word(cg->subject.kind), rt);
		if (self_in && cg->subject.kind == TQ_CG_KERNEL && grows_fds(&b->v[k]))
			ev_add(&b->v[k], 0, "of which the /proc entries leaktop reads for each new fd "
					    "(it runs in %.60s)", cg->subject_text);
		b->dropped[i] = true;
	}
}

static void fold(struct build *b)
{
	fold_pairs(b);
	fold_caches(b);
	fold_tasks(b);
	fold_cgroups(b);
}

static int by_score(const void *pa, const void *pb)
{
	const struct suspect *a = pa, *b = pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->subject_text, b->subject_text);
}

void suspects_build(struct tracker *t, const struct snapshot *s, const struct suspect_params *p,
		    struct suspect_list *out)
{
	struct suspect_params defaults;
	struct build b = { .t = t, .s = s, .p = p };
	size_t w = 0;

	if (!p) {
		suspect_params_init(&defaults);
		b.p = p = &defaults;
	}
	memset(out, 0, sizeof(*out));
	tracker_watching(t, &out->watch);
	out->threshold_bytes_h = p->threshold_bytes_h;
	out->samples = tracker_samples(t);
	out->min_samples = SUSPECT_MIN_SAMPLES;
	if (out->samples >= SUSPECT_MIN_SAMPLES)
		for (size_t i = 0; i < tracker_count(t); i++)
			consider(&b, tracker_at(t, i));
	levels(&b);
	fold(&b);
	for (size_t i = 0; i < b.n; i++)
		if (!b.dropped[i])
			b.v[w++] = b.v[i];
	b.n = w;
	if (!b.n) {
		free(b.v);	/* an empty list holds nothing to free */
		b.v = NULL;
	} else {
		qsort(b.v, b.n, sizeof(*b.v), by_score);
	}
	if (p->max && b.n > p->max)
		b.n = p->max;
	for (size_t i = 0; i < b.n; i++)
		b.v[i].rank = (uint32_t)(i + 1);
	free(b.dropped);
	free(b.peer_key);
	free(b.cg_row);
	free(b.cg_members);
	out->v = b.v;
	out->n = b.n;
}

void suspect_list_free(struct suspect_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void suspects_describe_empty(const struct suspect_list *l, char *out, size_t sz)
{
	const struct tracker_watch *w = &l->watch;
	char thr[16];

	if (l->samples < l->min_samples) {
		snprintf(out, sz, "a verdict needs %u samples (%" PRIu64 " so far)", l->min_samples,
			 l->samples);
		return;
	}
	format_bytes((uint64_t)(l->threshold_bytes_h / 60.0), thr, sizeof(thr));
	snprintf(out, sz,
		 "watching %zu sockets, %zu caches, %zu processes; nothing grows above %s/min over %.0f s",
		 w->sockets, w->caches, w->processes, thr, w->window_s);
}
