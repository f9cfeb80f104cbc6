/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The column tables for sockets, processes, slab caches and vmalloc callers,
 * the generic compare/format/sort over them, and the building of rows from a
 * diff. Reads no files: every value comes from snapshots. System strings
 * (comm, cmdline, unix paths) go through strsafe before they leave here.
 */
#include "config.h"

#include "fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_join.h"
#include "compat.h"
#include "format.h"
#include "hash.h"
#include "radix_sort.h"
#include "strsafe.h"
#include "suspects.h"
#include "tracker.h"
#include "xalloc.h"

const void *fields_entity(const struct field_row *r)
{
	return r->b ? r->b : r->a;
}

/*
 * Delta of a numeric property between a and b. A NEW row counts from zero
 * and a GONE row down to zero: "what appeared" and "what went" are part of
 * the change. Without an earlier sample the delta is missing.
 */
static bool delta_of(const struct field_row *r, bool (*get)(const void *e, int64_t *v),
		     int64_t *out)
{
	int64_t va = 0, vb = 0;

	if (r->status == DIFF_NEW && r->b)
		return get(r->b, out);
	if (r->status == DIFF_GONE && r->a) {
		if (!get(r->a, &va))
			return false;
		*out = -va;
		return true;
	}
	if (!r->a || !r->b || !get(r->a, &va) || !get(r->b, &vb))
		return false;
	*out = vb - va;
	return true;
}

static bool rate_of(const struct field_ctx *c, const struct field_row *r,
		    bool (*get)(const void *e, int64_t *v), int64_t *out)
{
	int64_t d;

	if (c->interval_s <= 0 || !delta_of(r, get, &d))
		return false;
	*out = (int64_t)((double)d / c->interval_s);
	return true;
}

bool fields_delta(const struct field_row *r, bool (*get)(const void *e, int64_t *v),
		  int64_t *out)
{
	return delta_of(r, get, out);
}

bool fields_rate(const struct field_ctx *c, const struct field_row *r,
		 bool (*get)(const void *e, int64_t *v), int64_t *out)
{
	return rate_of(c, r, get, out);
}

static void copy_text(char *out, size_t sz, const char *s)
{
	if (sz)
		snprintf(out, sz, "%s", s);
}

/* The trend engine's growth of one quantity, per hour: missing without an
 * engine, for a quantity it does not track, or with too few points. */
static bool engine_growth(const struct field_ctx *c, enum tq_kind kind, uint64_t k0, uint64_t k1,
			  int64_t *out)
{
	struct tq_id id = { .kind = (uint8_t)kind, .k = { k0, k1 } };
	const struct growth_est *e;
	const struct tq *q;

	if (!c->tracker)
		return false;
	q = tracker_find(c->tracker, &id);
	if (!q)
		return false;
	e = tracker_estimate(c->tracker, q);
	if (e->status != GROWTH_OK)
		return false;
	*out = (int64_t)(e->slope_per_s * 3600.0);
	return true;
}

/* ---- sockets ---------------------------------------------------------------- */

#define SK(r) ((const struct sock_entry *)fields_entity(r))

const struct snapshot *fields_snapshot(const struct field_ctx *c, const struct field_row *r)
{
	return r->b ? c->b : c->a;
}


static bool sk_kind_txt(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	copy_text(o, sz, sock_kind_name(SK(r)->kind));
	return true;
}

static bool sk_kind_num(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = SK(r)->kind;
	return true;
}

static bool sk_state_txt(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	copy_text(o, sz, sock_state_name(SK(r)));
	return true;
}

static bool sk_state_num(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = SK(r)->state;
	return true;
}

static bool sk_local_txt(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	const struct snapshot *s = fields_snapshot(c, r);

	if (!s)
		return false;
	sock_format_local(&s->socks, SK(r), o, sz);
	return true;
}

static bool sk_peer_txt(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	const struct snapshot *s = fields_snapshot(c, r);

	if (!s)
		return false;
	sock_format_peer(&s->socks, SK(r), o, sz);
	return true;
}

static bool sk_inode(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = SK(r)->inode;
	return true;
}

static bool sk_uid(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = SK(r)->uid;
	return true;
}

static bool sk_recvq(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	if (!SK(r)->has_rqlen)
		return false;
	*v = SK(r)->rqueue;
	return true;
}

static bool sk_sendq(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	if (!SK(r)->has_rqlen)
		return false;
	*v = SK(r)->wqueue;
	return true;
}

static bool skmem_at(const struct sock_entry *s, int idx, int64_t *v)
{
	if (s->skmem_n <= idx)
		return false;
	*v = s->skmem[idx];
	return true;
}

#define SKMEM_GETTER(fn, idx)                                                               \
	static bool fn(const struct field_ctx *c, const struct field_row *r, int64_t *v)   \
	{                                                                                   \
		return skmem_at(SK(r), idx, v);                                             \
	}
SKMEM_GETTER(sk_rmem, SKMEM_RMEM_ALLOC)
SKMEM_GETTER(sk_rcvbuf, SKMEM_RCVBUF)
SKMEM_GETTER(sk_wmem, SKMEM_WMEM_ALLOC)
SKMEM_GETTER(sk_sndbuf, SKMEM_SNDBUF)
SKMEM_GETTER(sk_fwd, SKMEM_FWD_ALLOC)
SKMEM_GETTER(sk_wqueued, SKMEM_WMEM_QUEUED)
SKMEM_GETTER(sk_optmem, SKMEM_OPTMEM)
SKMEM_GETTER(sk_backlog, SKMEM_BACKLOG)
SKMEM_GETTER(sk_drops, SKMEM_DROPS)

static bool skmem_total(const void *e, int64_t *v)
{
	const struct sock_entry *s = e;

	if (!s->skmem_n)
		return false;
	*v = (int64_t)sock_mem_bytes(s);
	return true;
}

static bool rqueue_of(const void *e, int64_t *v)
{
	const struct sock_entry *s = e;

	if (!s->has_rqlen)
		return false;
	*v = s->rqueue;
	return true;
}

static bool sk_skmem(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return skmem_total(fields_entity(r), v);
}

static bool sk_dskmem(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return delta_of(r, skmem_total, v);
}

static bool sk_drecvq(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return delta_of(r, rqueue_of, v);
}

static bool sk_owner_num(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	const struct snapshot *s = fields_snapshot(c, r);
	const struct sock_owner *o;

	if (!s || !s->socks.owners_scanned || !SK(r)->owner_n)
		return false;
	o = sock_owners_of(&s->socks, SK(r));
	if (!o)
		return false;
	*v = o->pid;
	return true;
}

static bool sk_owner_txt(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	const struct snapshot *s = fields_snapshot(c, r);
	const struct sock_owner *ow;
	const struct proc_entry *p;
	char comm[200];
	int64_t pid;

	if (!sk_owner_num(c, r, &pid))
		return false;
	ow = sock_owners_of(&s->socks, SK(r));
	p = proc_table_find(&s->procs, ow->pid);
	if (p && p->starttime == ow->starttime) {
		strsafe_str(p->comm, comm, sizeof(comm));
		snprintf(o, sz, "%d/%s%s", ow->pid, comm, SK(r)->owner_n > 1 ? "+" : "");
	} else {
		snprintf(o, sz, "%d%s", ow->pid, SK(r)->owner_n > 1 ? "+" : "");
	}
	return true;
}

/* A cgroup name or path the join gave (raw), sanitized; false when none. */
static bool cgroup_text(bool ok, const char *raw, char *o, size_t sz)
{
	if (!ok || !raw)
		return false;
	strsafe_str(raw, o, sz);
	return true;
}

static bool sk_cgroup_txt(const struct field_ctx *c, const struct field_row *r, char *o,
			  size_t sz)
{
	const struct snapshot *s = fields_snapshot(c, r);
	char raw[256];

	return cgroup_text(s && cgroup_socket_name(s, SK(r), raw, sizeof(raw)), raw, o, sz);
}

static bool sk_cgroup_path(const struct field_ctx *c, const struct field_row *r, char *o,
			   size_t sz)
{
	const struct snapshot *s = fields_snapshot(c, r);

	return cgroup_text(s != NULL, s ? cgroup_socket_path(s, SK(r)) : NULL, o, sz);
}

static bool sk_cgroup(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	if (!SK(r)->has_cgroup)
		return false;
	*v = (int64_t)SK(r)->cgroup_id;
	return true;
}

/* Sockets are tracked by group (tracker.h): a socket's growth is its
 * group's, the memory of its process's sockets in its state. */
static bool sk_growth(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	const struct snapshot *s = r->b ? c->b : NULL;
	struct tq_sgroup g;
	uint64_t k[2];

	if (!s)
		return false;
	tracker_sgroup_of(c->tracker, &s->socks, SK(r), &g, k);
	return engine_growth(c, TQ_SGRP_MEM, k[0], k[1], v);
}

/* clang-format off */
static const struct field sock_fields[] = {
	{ .id = "kind", .title = "KIND", .width = 6, .unit = FU_STATE, .left = true, .shown = true,
	  .help = "protocol dump the socket came from (tcp, udp, unix, packet, netlink, raw)",
	  .num = sk_kind_num, .text = sk_kind_txt },
	{ .id = "state", .title = "STATE", .width = 10, .unit = FU_STATE, .left = true,
	  .shown = true,
	  .help = "socket state (ESTAB, LISTEN, CLOSE-WAIT, UNCONN...)",
	  .num = sk_state_num, .text = sk_state_txt },
	{ .id = "recvq", .title = "RECV-Q", .width = 7, .unit = FU_COUNT, .desc = true,
	  .shown = true,
	  .help = "Recv-Q as ss shows it", .num = sk_recvq },
	{ .id = "sendq", .title = "SEND-Q", .width = 7, .unit = FU_COUNT, .desc = true,
	  .help = "Send-Q as ss shows it", .num = sk_sendq },
	{ .id = "skmem", .title = "SKMEM", .width = 6, .unit = FU_BYTES, .desc = true,
	  .shown = true,
	  .help = "kernel memory the socket holds (rmem + wmem_queued + fwd for TCP)",
	  .num = sk_skmem },
	{ .id = "dskmem", .title = "ΔSKMEM", .width = 7, .unit = FU_DELTA_BYTES, .desc = true,
	  .shown = true, .help = "change of skmem since the earlier sample", .num = sk_dskmem },
	{ .id = "rmem", .title = "RMEM", .width = 6, .unit = FU_BYTES, .desc = true,
	  .help = "skmem rmem_alloc: bytes queued for receive", .num = sk_rmem },
	{ .id = "rcvbuf", .title = "RCVBUF", .width = 6, .unit = FU_BYTES, .desc = true,
	  .help = "skmem rcvbuf: receive buffer limit", .num = sk_rcvbuf },
	{ .id = "wmem", .title = "WMEM", .width = 6, .unit = FU_BYTES, .desc = true,
	  .help = "skmem wmem_alloc: bytes in flight for send", .num = sk_wmem },
	{ .id = "sndbuf", .title = "SNDBUF", .width = 6, .unit = FU_BYTES, .desc = true,
	  .help = "skmem sndbuf: send buffer limit", .num = sk_sndbuf },
	{ .id = "fwd", .title = "FWD", .width = 6, .unit = FU_BYTES, .desc = true,
	  .help = "skmem fwd_alloc: memory reserved ahead", .num = sk_fwd },
	{ .id = "wqueued", .title = "WQUEUED", .width = 7, .unit = FU_BYTES, .desc = true,
	  .help = "skmem wmem_queued: bytes queued for send", .num = sk_wqueued },
	{ .id = "optmem", .title = "OPTMEM", .width = 6, .unit = FU_BYTES, .desc = true,
	  .help = "skmem optmem: socket options and filters", .num = sk_optmem },
	{ .id = "backlog", .title = "BACKLG", .width = 6, .unit = FU_BYTES, .desc = true,
	  .help = "skmem backlog: bytes waiting while the socket was locked", .num = sk_backlog },
	{ .id = "drops", .title = "DROPS", .width = 6, .unit = FU_COUNT, .desc = true,
	  .help = "skmem drops: packets dropped", .num = sk_drops },
	{ .id = "drecvq", .title = "ΔRECVQ", .width = 7, .unit = FU_DELTA_COUNT, .desc = true,
	  .help = "change of Recv-Q since the earlier sample", .num = sk_drecvq },
	{ .id = "growth", .title = "GROWTH", .width = 8, .unit = FU_GROWTH_BYTES, .desc = true,
	  .needs = SNAP_OWNERS | SNAP_PROCS,
	  .help = "trend of the memory of the socket's group (its owner's sockets in its state), "
		  "per hour (shown per minute)",
	  .num = sk_growth },
	{ .id = "inode", .title = "INODE", .width = 10, .unit = FU_ID, .shown = true,
	  .help = "socket inode (0: no file descriptor)", .num = sk_inode },
	{ .id = "uid", .title = "UID", .width = 6, .unit = FU_ID,
	  .help = "owner uid", .num = sk_uid },
	{ .id = "owner", .title = "OWNER", .width = 16, .unit = FU_TEXT, .left = true,
	  .shown = true,
	  .needs = SNAP_OWNERS | SNAP_PROCS,
	  .help = "first owning process as pid/comm ('+': more owners)",
	  .num = sk_owner_num, .text = sk_owner_txt },
	{ .id = "cgroup", .title = "CGROUP", .width = 16, .unit = FU_TEXT, .left = true,
	  .help = "the socket's v2 cgroup by name: the id sock_diag gives (orphans too), else "
		  "its owner's", .text = sk_cgroup_txt },
	{ .id = "cgroup_id", .title = "CGROUP-ID", .width = 10, .unit = FU_ID,
	  .help = "cgroup v2 id of the socket (the cgroup directory's inode)", .num = sk_cgroup },
	{ .id = "cgroup_path", .title = "CGROUP PATH", .width = 40, .unit = FU_TEXT, .left = true,
	  .help = "path of the socket's v2 cgroup", .text = sk_cgroup_path },
	{ .id = "local", .title = "LOCAL", .width = 21, .unit = FU_TEXT, .left = true,
	  .shown = true,
	  .help = "local address, unix path or interface", .text = sk_local_txt },
	{ .id = "peer", .title = "PEER", .width = 21, .unit = FU_TEXT, .left = true, .shown = true,
	  .help = "peer address", .text = sk_peer_txt },
};
/* clang-format on */

static size_t sock_count(const struct snapshot *s)
{
	return s->socks.n;
}

static const void *sock_at(const struct snapshot *s, size_t i)
{
	return &s->socks.v[i];
}

static const struct diff_rows *sock_diff_rows(const struct diff *d)
{
	return &d->socks;
}

static void sock_key(const void *e, uint64_t k[2])
{
	sock_identity(e, k);
}

const struct field_table fields_sockets = {
	.name = "sockets", .v = sock_fields, .n = ARRAY_SIZE(sock_fields), .default_sort = "skmem",
	.needs = SNAP_SOCKETS, .count = sock_count, .at = sock_at, .diff_rows = sock_diff_rows,
	.key = sock_key,
};

/* ---- processes -------------------------------------------------------------- */

#define PR(r) ((const struct proc_entry *)fields_entity(r))

static bool pr_pid(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = PR(r)->pid;
	return true;
}

static bool pr_uid(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = PR(r)->uid;
	return true;
}

static bool pr_comm(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	strsafe_str(PR(r)->comm, o, sz);
	return true;
}

static bool pr_cmdline(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	const struct proc_entry *p = PR(r);

	char tmp[80];

	if (!p->cmdline) {
		snprintf(tmp, sizeof(tmp), "[%s]", p->comm);
		strsafe_str(tmp, o, sz);
		return true;
	}
	strsafe_str(p->cmdline, o, sz);
	return true;
}

static bool pr_state_txt(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	snprintf(o, sz, "%c", PR(r)->state ? PR(r)->state : '?');
	return true;
}

static bool pr_state_num(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = PR(r)->state;
	return true;
}

static bool pr_threads(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = PR(r)->threads;
	return true;
}

static bool rss_of(const void *e, int64_t *v)
{
	*v = (int64_t)((const struct proc_entry *)e)->rss_bytes;
	return true;
}

static bool pss_of(const void *e, int64_t *v)
{
	const struct proc_entry *p = e;

	if (!p->has_pss)
		return false;
	*v = (int64_t)p->pss_bytes;
	return true;
}

static bool fds_known(const struct proc_entry *p)
{
	return p->fd_status == PROC_FD_OK;
}

static bool sockmem_of(const void *e, int64_t *v)
{
	const struct proc_entry *p = e;

	if (!fds_known(p))
		return false;
	*v = (int64_t)p->sock_mem_bytes;
	return true;
}

static bool fds_of(const void *e, int64_t *v)
{
	const struct proc_entry *p = e;

	if (!fds_known(p))
		return false;
	*v = p->fd_count;
	return true;
}

static bool pr_rss(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return rss_of(fields_entity(r), v);
}

static bool pr_pss(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return pss_of(fields_entity(r), v);
}

static bool pr_swap(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = (int64_t)PR(r)->swap_bytes;
	return true;
}

static bool pr_fds(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return fds_of(fields_entity(r), v);
}

static bool pr_socks(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	if (!fds_known(PR(r)))
		return false;
	*v = PR(r)->sock_count;
	return true;
}

static bool pr_sockmem(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return sockmem_of(fields_entity(r), v);
}

static bool pr_drss(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return delta_of(r, rss_of, v);
}

static bool pr_dpss(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return delta_of(r, pss_of, v);
}

static bool pr_dfds(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return delta_of(r, fds_of, v);
}

static bool pr_dsockmem(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return delta_of(r, sockmem_of, v);
}

static bool pr_cgroup(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	const struct snapshot *s = fields_snapshot(c, r);
	char raw[256];

	return cgroup_text(s && cgroup_process_name(s, PR(r), raw, sizeof(raw)), raw, o, sz);
}

static bool pr_cgroup_path(const struct field_ctx *c, const struct field_row *r, char *o,
			   size_t sz, enum cgroup_hier h)
{
	const struct snapshot *s = fields_snapshot(c, r);

	return cgroup_text(s != NULL, s ? cgroup_process_path(s, PR(r), h) : NULL, o, sz);
}

static bool pr_cgroup_v2(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	return pr_cgroup_path(c, r, o, sz, CG_HIER_V2);
}

static bool pr_cgroup_v1(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	return pr_cgroup_path(c, r, o, sz, CG_HIER_V1);
}

static bool socks_of(const void *e, int64_t *v)
{
	const struct proc_entry *p = e;

	if (!fds_known(p))
		return false;
	*v = p->sock_count;
	return true;
}

static bool pr_dsocks(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return delta_of(r, socks_of, v);
}

/* Growth of one of the process's quantities; a GONE row has none. */
static bool pr_trend(const struct field_ctx *c, const struct field_row *r, enum tq_kind kind,
		     int64_t *v)
{
	if (!r->b)
		return false;
	return engine_growth(c, kind, (uint64_t)(uint32_t)PR(r)->pid, PR(r)->starttime, v);
}

static bool pr_grss(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return pr_trend(c, r, TQ_PROC_RSS, v);
}

static bool pr_gfds(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return pr_trend(c, r, TQ_PROC_FDS, v);
}

static bool pr_gsocks(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return pr_trend(c, r, TQ_PROC_SOCKS, v);
}

/* clang-format off */
static const struct field proc_fields[] = {
	{ .id = "pid", .title = "PID", .width = 7, .unit = FU_ID, .shown = true,
	  .help = "process id", .num = pr_pid },
	{ .id = "uid", .title = "UID", .width = 6, .unit = FU_ID,
	  .help = "effective uid", .num = pr_uid },
	{ .id = "state", .title = "S", .width = 1, .unit = FU_STATE, .left = true,
	  .help = "process state (R S D T Z...)", .num = pr_state_num, .text = pr_state_txt },
	{ .id = "threads", .title = "THR", .width = 4, .unit = FU_COUNT, .desc = true,
	  .help = "threads", .num = pr_threads },
	{ .id = "rss", .title = "RSS", .width = 6, .unit = FU_BYTES, .desc = true, .shown = true,
	  .help = "resident set size (VmRSS)", .num = pr_rss },
	{ .id = "drss", .title = "ΔRSS", .width = 7, .unit = FU_DELTA_BYTES, .desc = true,
	  .shown = true, .help = "change of RSS since the earlier sample", .num = pr_drss },
	{ .id = "growth", .title = "GROWTH", .width = 8, .unit = FU_GROWTH_BYTES, .desc = true,
	  .help = "trend of RSS per hour (shown per minute)", .num = pr_grss },
	{ .id = "pss", .title = "PSS", .width = 6, .unit = FU_BYTES, .desc = true,
	  .needs = SNAP_PSS, .help = "proportional set size (smaps_rollup)", .num = pr_pss },
	{ .id = "dpss", .title = "ΔPSS", .width = 7, .unit = FU_DELTA_BYTES, .desc = true,
	  .needs = SNAP_PSS, .help = "change of PSS since the earlier sample", .num = pr_dpss },
	{ .id = "swap", .title = "SWAP", .width = 6, .unit = FU_BYTES, .desc = true,
	  .help = "swapped out (VmSwap)", .num = pr_swap },
	{ .id = "fds", .title = "FDS", .width = 5, .unit = FU_COUNT, .desc = true, .shown = true,
	  .needs = SNAP_OWNERS, .help = "open file descriptors", .num = pr_fds },
	{ .id = "dfds", .title = "ΔFDS", .width = 5, .unit = FU_DELTA_COUNT, .desc = true,
	  .shown = true, .needs = SNAP_OWNERS, .help = "change of open fds", .num = pr_dfds },
	{ .id = "fdgrowth", .title = "FDS/m", .width = 6, .unit = FU_GROWTH_COUNT, .desc = true,
	  .needs = SNAP_OWNERS, .help = "trend of open fds per hour (shown per minute)",
	  .num = pr_gfds },
	{ .id = "socks", .title = "SOCKS", .width = 5, .unit = FU_COUNT, .desc = true,
	  .shown = true,
	  .needs = SNAP_OWNERS, .help = "sockets among its fds", .num = pr_socks },
	{ .id = "dsocks", .title = "ΔSOCKS", .width = 6, .unit = FU_DELTA_COUNT, .desc = true,
	  .shown = true, .needs = SNAP_OWNERS, .help = "change of sockets among its fds",
	  .num = pr_dsocks },
	{ .id = "sockgrowth", .title = "SOCKS/m", .width = 7, .unit = FU_GROWTH_COUNT,
	  .desc = true, .needs = SNAP_OWNERS,
	  .help = "trend of its sockets per hour (shown per minute)", .num = pr_gsocks },
	{ .id = "sockmem", .title = "SOCKMEM", .width = 7, .unit = FU_BYTES, .desc = true,
	  .shown = true, .needs = SNAP_OWNERS | SNAP_SOCKETS,
	  .help = "kernel memory of the sockets it holds", .num = pr_sockmem },
	{ .id = "dsockmem", .title = "ΔSOCKMEM", .width = 8, .unit = FU_DELTA_BYTES, .desc = true,
	  .needs = SNAP_OWNERS | SNAP_SOCKETS, .help = "change of socket memory",
	  .num = pr_dsockmem },
	{ .id = "cgroup", .title = "CGROUP", .width = 16, .unit = FU_TEXT, .left = true,
	  .help = "the cgroup its memory is charged to, by name", .text = pr_cgroup },
	{ .id = "cgroup_v2", .title = "CGROUP V2", .width = 40, .unit = FU_TEXT, .left = true,
	  .help = "its cgroup v2 path", .text = pr_cgroup_v2 },
	{ .id = "cgroup_v1", .title = "CGROUP V1 MEMORY", .width = 40, .unit = FU_TEXT,
	  .left = true, .help = "its cgroup path in the v1 memory hierarchy", .text = pr_cgroup_v1 },
	{ .id = "comm", .title = "COMM", .width = 15, .unit = FU_TEXT, .left = true, .shown = true,
	  .help = "command name (escaped)", .text = pr_comm },
	{ .id = "cmdline", .title = "COMMAND", .width = 40, .unit = FU_TEXT, .left = true,
	  .shown = true, .help = "command line (escaped)", .text = pr_cmdline },
};
/* clang-format on */

static size_t proc_count(const struct snapshot *s)
{
	return s->procs.n;
}

static const void *proc_at(const struct snapshot *s, size_t i)
{
	return &s->procs.v[i];
}

static const struct diff_rows *proc_diff_rows(const struct diff *d)
{
	return &d->procs;
}

static void proc_key(const void *e, uint64_t k[2])
{
	const struct proc_entry *p = e;

	k[0] = (uint64_t)(uint32_t)p->pid;
	k[1] = p->starttime;
}

const struct field_table fields_procs = {
	.name = "processes", .v = proc_fields, .n = ARRAY_SIZE(proc_fields), .default_sort = "rss",
	.needs = SNAP_PROCS, .count = proc_count, .at = proc_at, .diff_rows = proc_diff_rows,
	.key = proc_key,
};

/* ---- slab caches ------------------------------------------------------------- */

#define SL(r) ((const struct slab_cache *)fields_entity(r))

static bool sl_name(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	strsafe_str(SL(r)->name, o, sz);
	return true;
}

static bool slab_objs_of(const void *e, int64_t *v)
{
	*v = (int64_t)((const struct slab_cache *)e)->active_objs;
	return true;
}

static bool slab_bytes_of(const void *e, int64_t *v)
{
	*v = (int64_t)((const struct slab_cache *)e)->bytes;
	return true;
}

static bool sl_objs(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return slab_objs_of(fields_entity(r), v);
}

static bool sl_total(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = (int64_t)SL(r)->num_objs;
	return true;
}

static bool sl_objsize(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = (int64_t)SL(r)->objsize;
	return true;
}

static bool sl_bytes(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return slab_bytes_of(fields_entity(r), v);
}

static bool sl_active(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = (int64_t)SL(r)->active_bytes;
	return true;
}

static bool sl_dobjs(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return delta_of(r, slab_objs_of, v);
}

static bool sl_dbytes(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return delta_of(r, slab_bytes_of, v);
}

static bool sl_rate(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return rate_of(c, r, slab_bytes_of, v);
}

static bool sl_growth(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	if (!r->b)
		return false;
	return engine_growth(c, TQ_SLAB_BYTES, hash_str(SL(r)->name, HASH_INIT), 0, v);
}

static bool sl_merged(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	const struct slab_cache *s = SL(r);

	if (s->merged_with)
		strsafe_str(s->merged_with, o, sz);
	else if (s->merged_id)
		strsafe_str(s->merged_id, o, sz);
	else
		copy_text(o, sz, "");
	return true;
}

/* clang-format off */
static const struct field slab_fields[] = {
	{ .id = "objs", .title = "OBJS", .width = 7, .unit = FU_COUNT, .desc = true, .shown = true,
	  .help = "active objects", .num = sl_objs },
	{ .id = "dobjs", .title = "ΔOBJS", .width = 7, .unit = FU_DELTA_COUNT, .desc = true,
	  .shown = true, .help = "change of active objects", .num = sl_dobjs },
	{ .id = "total", .title = "TOTAL", .width = 7, .unit = FU_COUNT, .desc = true,
	  .help = "allocated objects, active or not", .num = sl_total },
	{ .id = "objsize", .title = "OBJSZ", .width = 6, .unit = FU_BYTES, .desc = true,
	  .shown = true, .help = "bytes per object", .num = sl_objsize },
	{ .id = "bytes", .title = "BYTES", .width = 6, .unit = FU_BYTES, .desc = true,
	  .shown = true,
	  .help = "memory of the cache's slabs", .num = sl_bytes },
	{ .id = "dbytes", .title = "ΔBYTES", .width = 7, .unit = FU_DELTA_BYTES, .desc = true,
	  .shown = true, .help = "change of the cache's memory", .num = sl_dbytes },
	{ .id = "rate", .title = "RATE", .width = 9, .unit = FU_RATE_BYTES, .desc = true,
	  .shown = true, .help = "growth per second", .num = sl_rate },
	{ .id = "growth", .title = "GROWTH", .width = 8, .unit = FU_GROWTH_BYTES, .desc = true,
	  .help = "trend of the cache's memory per hour (shown per minute)", .num = sl_growth },
	{ .id = "active", .title = "ACTIVE", .width = 6, .unit = FU_BYTES, .desc = true,
	  .help = "bytes of active objects", .num = sl_active },
	{ .id = "name", .title = "CACHE", .width = 24, .unit = FU_TEXT, .left = true, .shown = true,
	  .help = "cache name", .text = sl_name },
	{ .id = "merged", .title = "MERGED WITH", .width = 24, .unit = FU_TEXT, .left = true,
	  .shown = true, .help = "caches sharing this one (merged by SLUB)", .text = sl_merged },
};
/* clang-format on */

static size_t slab_count(const struct snapshot *s)
{
	return s->slab.n;
}

static const void *slab_at(const struct snapshot *s, size_t i)
{
	return &s->slab.v[i];
}

static const struct diff_rows *slab_diff_rows(const struct diff *d)
{
	return &d->slab;
}

static void slab_key(const void *e, uint64_t k[2])
{
	k[0] = hash_str(((const struct slab_cache *)e)->name, 0xcbf29ce484222325ULL);
	k[1] = 0;
}

const struct field_table fields_slab = {
	.name = "slab", .v = slab_fields, .n = ARRAY_SIZE(slab_fields), .default_sort = "bytes",
	.needs = SNAP_SLAB, .count = slab_count, .at = slab_at, .diff_rows = slab_diff_rows,
	.key = slab_key,
};

/* ---- vmalloc callers ---------------------------------------------------------- */

#define VM(r) ((const struct vmalloc_caller *)fields_entity(r))

static bool vm_caller(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	strsafe_str(VM(r)->caller, o, sz);
	return true;
}

static bool vm_kind(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	strsafe_str(VM(r)->kind, o, sz);
	return true;
}

static bool vm_bytes_of(const void *e, int64_t *v)
{
	*v = (int64_t)((const struct vmalloc_caller *)e)->bytes;
	return true;
}

static bool vm_areas_of(const void *e, int64_t *v)
{
	*v = (int64_t)((const struct vmalloc_caller *)e)->areas;
	return true;
}

static bool vm_areas(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return vm_areas_of(fields_entity(r), v);
}

static bool vm_bytes(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return vm_bytes_of(fields_entity(r), v);
}

static bool vm_vsize(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = (int64_t)VM(r)->vsize_bytes;
	return true;
}

static bool vm_dareas(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return delta_of(r, vm_areas_of, v);
}

static bool vm_dbytes(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return delta_of(r, vm_bytes_of, v);
}

static bool vm_rate(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	return rate_of(c, r, vm_bytes_of, v);
}

static bool vm_growth(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	if (!r->b)
		return false;
	return engine_growth(c, TQ_VMALLOC_BYTES,
			     hash_str(VM(r)->kind, hash_str(VM(r)->caller, HASH_INIT)), 0, v);
}

/* clang-format off */
static const struct field vmalloc_fields[] = {
	{ .id = "areas", .title = "AREAS", .width = 7, .unit = FU_COUNT, .desc = true,
	  .shown = true,
	  .help = "vmalloc areas of this caller", .num = vm_areas },
	{ .id = "dareas", .title = "ΔAREAS", .width = 7, .unit = FU_DELTA_COUNT, .desc = true,
	  .shown = true, .help = "change of areas", .num = vm_dareas },
	{ .id = "bytes", .title = "BYTES", .width = 6, .unit = FU_BYTES, .desc = true,
	  .shown = true,
	  .help = "RAM behind the areas (pages=)", .num = vm_bytes },
	{ .id = "dbytes", .title = "ΔBYTES", .width = 7, .unit = FU_DELTA_BYTES, .desc = true,
	  .shown = true, .help = "change of RAM", .num = vm_dbytes },
	{ .id = "rate", .title = "RATE", .width = 9, .unit = FU_RATE_BYTES, .desc = true,
	  .shown = true, .help = "growth per second", .num = vm_rate },
	{ .id = "growth", .title = "GROWTH", .width = 8, .unit = FU_GROWTH_BYTES, .desc = true,
	  .help = "trend of the caller's memory per hour (shown per minute)", .num = vm_growth },
	{ .id = "vsize", .title = "VSIZE", .width = 6, .unit = FU_BYTES, .desc = true,
	  .help = "address space incl. guard pages", .num = vm_vsize },
	{ .id = "kind", .title = "KIND", .width = 8, .unit = FU_TEXT, .left = true, .shown = true,
	  .help = "vmalloc, vmap, ioremap, user...", .text = vm_kind },
	{ .id = "caller", .title = "CALLER", .width = 40, .unit = FU_TEXT, .left = true,
	  .shown = true, .help = "allocating function", .text = vm_caller },
};
/* clang-format on */

static size_t vm_count(const struct snapshot *s)
{
	return s->vmalloc.n;
}

static const void *vm_at(const struct snapshot *s, size_t i)
{
	return &s->vmalloc.v[i];
}

static const struct diff_rows *vm_diff_rows(const struct diff *d)
{
	return &d->vmalloc;
}

static void vm_key(const void *e, uint64_t k[2])
{
	const struct vmalloc_caller *v = e;

	k[0] = hash_str(v->caller, 0xcbf29ce484222325ULL);
	k[1] = hash_str(v->kind, 0xcbf29ce484222325ULL);
}

const struct field_table fields_vmalloc = {
	.name = "vmalloc", .v = vmalloc_fields, .n = ARRAY_SIZE(vmalloc_fields),
	.default_sort = "bytes", .needs = SNAP_VMALLOC, .count = vm_count, .at = vm_at,
	.diff_rows = vm_diff_rows, .key = vm_key,
};

/* ---- suspects ------------------------------------------------------------------- */

#define SU(r) ((const struct suspect *)fields_entity(r))

static bool su_rank(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = SU(r)->rank;
	return true;
}

static bool su_kind_num(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = SU(r)->kind;
	return true;
}

static bool su_kind_txt(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	copy_text(o, sz, suspect_kind_name((enum suspect_kind)SU(r)->kind));
	return true;
}

static bool su_subject(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	strsafe_str(SU(r)->subject_text, o, sz);
	return true;
}

static bool su_rate(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = (int64_t)SU(r)->rate_bytes_h;
	return true;
}

static bool su_urate(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = (int64_t)SU(r)->rate_units_h;
	return true;
}

static bool su_growth(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = (int64_t)SU(r)->growth;
	return true;
}

static bool su_conf(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = (int64_t)(SU(r)->confidence * 100.0 + 0.5);
	return true;
}

static bool su_score(const struct field_ctx *c, const struct field_row *r, int64_t *v)
{
	*v = (int64_t)SU(r)->score;
	return true;
}

static bool su_verdict(const struct field_ctx *c, const struct field_row *r, char *o, size_t sz)
{
	strsafe_str(SU(r)->verdict, o, sz);
	return true;
}

/* clang-format off */
static const struct field suspect_fields[] = {
	{ .id = "rank", .title = "#", .width = 2, .unit = FU_ID, .shown = true,
	  .help = "rank: 1 is the most likely culprit", .num = su_rank },
	{ .id = "kind", .title = "KIND", .width = 12, .unit = FU_STATE, .left = true,
	  .shown = true, .help = "what leaks: sendq, state pile, slab, rss, fd leak, tmpfs...",
	  .num = su_kind_num, .text = su_kind_txt },
	{ .id = "subject", .title = "SUBJECT", .width = 18, .unit = FU_TEXT, .left = true,
	  .shown = true, .help = "the process, socket group, cache, mount or class",
	  .text = su_subject },
	{ .id = "rate", .title = "RATE", .width = 8, .unit = FU_GROWTH_BYTES, .desc = true,
	  .shown = true,
	  .help = "kernel and user memory per hour (counts weighed by what one costs), shown per "
		  "minute",
	  .num = su_rate },
	{ .id = "urate", .title = "UNITS/m", .width = 7, .unit = FU_GROWTH_COUNT, .desc = true,
	  .help = "growth in the quantity's own unit (sockets, fds, objects) per hour, shown per "
		  "minute",
	  .num = su_urate },
	{ .id = "growth", .title = "GROWN", .width = 7, .unit = FU_DELTA_BYTES, .desc = true,
	  .shown = true, .help = "bytes grown since it was first seen", .num = su_growth },
	{ .id = "conf", .title = "CONF", .width = 4, .unit = FU_PERCENT, .desc = true,
	  .shown = true, .help = "confidence that this is a leak, from the fit and a second source",
	  .num = su_conf },
	{ .id = "score", .title = "SCORE", .width = 7, .unit = FU_COUNT, .desc = true,
	  .help = "what the rank sorts by", .num = su_score },
	{ .id = "verdict", .title = "VERDICT", .width = 40, .unit = FU_TEXT, .left = true,
	  .shown = true, .help = "the verdict in one line, with the key to press",
	  .text = su_verdict },
};
/* clang-format on */

static void suspect_key(const void *e, uint64_t k[2])
{
	const struct suspect *su = e;

	k[0] = su->subject.k[0] ^ ((uint64_t)su->subject.kind << 56) ^ ((uint64_t)su->kind << 48);
	k[1] = su->subject.k[1];
}

const struct field_table fields_suspects = {
	.name = "suspects", .v = suspect_fields, .n = ARRAY_SIZE(suspect_fields),
	.default_sort = "rank", .needs = SNAP_SUSPECT_SOURCES, .key = suspect_key,
};

size_t fields_suspect_rows(const struct suspect_list *l, struct field_row **out)
{
	size_t n = l ? l->n : 0;
	struct field_row *v = xreallocarray(NULL, n ? n : 1, sizeof(*v));

	for (size_t i = 0; i < n; i++)
		v[i] = (struct field_row){ .b = &l->v[i], .status = DIFF_SAME };
	*out = v;
	return n;
}

const struct field_table *const fields_tables[] = {
	&fields_sockets, &fields_procs, &fields_slab, &fields_vmalloc, &fields_cgroups, NULL,
};

/* ---- generic ------------------------------------------------------------------- */

int fields_index(const struct field_table *t, const char *id)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].id, id))
			return (int)i;
	return -1;
}

const struct field *fields_find(const struct field_table *t, const char *id)
{
	int i = fields_index(t, id);

	return i < 0 ? NULL : &t->v[i];
}

const struct field_table *fields_table_find(const char *name)
{
	for (size_t i = 0; fields_tables[i]; i++)
		if (!strcmp(fields_tables[i]->name, name))
			return fields_tables[i];
	return NULL;
}

bool fields_value(const struct field *f, const struct field_ctx *c, const struct field_row *r,
		  int64_t *out)
{
	if (!f->num || !fields_entity(r))
		return false;
	return f->num(c, r, out);
}

/* Per hour in, per minute out: "+64.0K/m", "+12/m", "0". */
static void format_growth(bool bytes, double per_h, char *out, size_t sz)
{
	char b[24];
	double m = per_h / 60.0;

	if (m > -0.5 && m < 0.5) {
		copy_text(out, sz, "0");
		return;
	}
	if (bytes)
		format_delta_bytes((int64_t)m, b, sizeof(b));
	else
		format_delta_count((int64_t)m, b, sizeof(b));
	snprintf(out, sz, "%s/m", b);
}

void fields_format(const struct field *f, const struct field_ctx *c, const struct field_row *r,
		   char *out, size_t sz)
{
	int64_t v;

	if (!sz)
		return;
	if (!fields_entity(r)) {
		copy_text(out, sz, "-");
		return;
	}
	if (f->text) {
		if (!f->text(c, r, out, sz))
			copy_text(out, sz, "-");
		return;
	}
	if (!fields_value(f, c, r, &v)) {
		copy_text(out, sz, "-");
		return;
	}
	switch (f->unit) {
	case FU_BYTES:
		format_bytes(v < 0 ? 0 : (uint64_t)v, out, sz);
		break;
	case FU_COUNT:
		format_count(v < 0 ? 0 : (uint64_t)v, out, sz);
		break;
	case FU_DELTA_BYTES:
		format_delta_bytes(v, out, sz);
		break;
	case FU_DELTA_COUNT:
		format_delta_count(v, out, sz);
		break;
	case FU_RATE_BYTES:
		format_rate_bytes((double)v, out, sz);
		break;
	case FU_GROWTH_BYTES:
	case FU_GROWTH_COUNT:
		format_growth(f->unit == FU_GROWTH_BYTES, (double)v, out, sz);
		break;
	case FU_PERCENT:
		snprintf(out, sz, "%lld%%", (long long)v);
		break;
	default:
		snprintf(out, sz, "%lld", (long long)v);
		break;
	}
}

/* One precomputed sort key: a number or a text, and whether it is present. */
struct sort_key {
	int64_t v;
	char *s;
	size_t i;
	bool present;
};

static bool sorts_by_text(const struct field *f)
{
	return f->unit == FU_TEXT;
}

static void key_of(const struct field *f, const struct field_ctx *c, const struct field_row *r,
		   struct sort_key *k)
{
	char buf[512];

	k->s = NULL;
	k->v = 0;
	if (sorts_by_text(f)) {
		k->present = f->text && fields_entity(r) && f->text(c, r, buf, sizeof(buf));
		if (k->present)
			k->s = xstrdup(buf);
	} else {
		k->present = fields_value(f, c, r, &k->v);
	}
}

static int key_cmp(const struct sort_key *a, const struct sort_key *b)
{
	if (a->present != b->present)
		return a->present ? 1 : -1;
	if (!a->present)
		return 0;
	if (a->s || b->s)
		return strcmp(a->s ? a->s : "", b->s ? b->s : "");
	return SPACESHIP(a->v, b->v);
}

int fields_compare(const struct field *f, const struct field_ctx *c, const struct field_row *a,
		   const struct field_row *b)
{
	struct sort_key ka, kb;
	int r;

	key_of(f, c, a, &ka);
	key_of(f, c, b, &kb);
	r = key_cmp(&ka, &kb);
	free(ka.s);
	free(kb.s);
	return r;
}

static int sort_cmp(const void *pa, const void *pb, void *arg)
{
	const struct sort_key *a = pa, *b = pb;
	bool desc = *(const bool *)arg;
	int r;

	/* Missing values go last whichever way the column is sorted. */
	if (a->present != b->present)
		return a->present ? -1 : 1;
	r = key_cmp(a, b);
	if (desc)
		r = -r;
	return r ? r : SPACESHIP(a->i, b->i);
}

/* Put rows[src[j]] at j for every j by following each cycle of the
 * permutation, so that no second array of n rows is needed at 100k sockets.
 * src is used up. */
static void permute_rows(struct field_row *rows, size_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct field_row hold;
		size_t j = i;

		if (src[i] == SIZE_MAX)
			continue;
		hold = rows[i];
		for (;;) {
			size_t from = src[j];

			src[j] = SIZE_MAX;
			if (from == i) {
				rows[j] = hold;
				break;
			}
			rows[j] = rows[from];
			j = from;
		}
	}
}

/* Text columns: a comparison sort of the precomputed keys. */
static void order_by_text(const struct field *f, bool desc, const struct field_ctx *c,
			  const struct field_row *rows, size_t n, size_t *order)
{
	struct sort_key *k = xreallocarray(NULL, n, sizeof(*k));

	for (size_t i = 0; i < n; i++) {
		key_of(f, c, &rows[i], &k[i]);
		k[i].i = i;
	}
	qsort_r(k, n, sizeof(*k), sort_cmp, &desc);
	for (size_t i = 0; i < n; i++) {
		order[i] = k[i].i;
		free(k[i].s);
	}
	free(k);
}

/* Numbers: present values by a radix sort (descending: of the complemented
 * keys), then the missing ones; both stable, so equal values keep the rows'
 * order, as sort_cmp's tie on the index does. */
static void order_by_number(const struct field *f, bool desc, const struct field_ctx *c,
			    const struct field_row *rows, size_t n, size_t *order)
{
	struct radix_item *v = xreallocarray(NULL, n, sizeof(*v));
	struct radix_item *tmp = xreallocarray(NULL, n, sizeof(*tmp));
	size_t np = 0, nm = 0;

	for (size_t i = 0; i < n; i++) {
		int64_t x;

		if (fields_value(f, c, &rows[i], &x)) {
			uint64_t key = radix_key_signed(x);

			v[np].key = desc ? ~key : key;
			v[np++].i = i;
		} else {
			tmp[nm++].i = i;	/* the missing, in order */
		}
	}
	for (size_t i = 0; i < nm; i++)
		order[np + i] = tmp[i].i;
	radix_sort(v, tmp, np);
	for (size_t i = 0; i < np; i++)
		order[i] = v[i].i;
	free(v);
	free(tmp);
}

void fields_sort(const struct field *f, bool desc, const struct field_ctx *c,
		 struct field_row *rows, size_t n)
{
	size_t *order;

	if (n < 2)
		return;
	order = xreallocarray(NULL, n, sizeof(*order));
	if (sorts_by_text(f))
		order_by_text(f, desc, c, rows, n, order);
	else
		order_by_number(f, desc, c, rows, n, order);
	permute_rows(rows, order, n);
	free(order);
}

size_t fields_top(const struct field *f, bool desc, const struct field_ctx *c,
		  struct field_row *rows, size_t n, size_t top)
{
	struct sort_key *best;
	struct field_row *picked;
	size_t nbest = 0;

	if (top == 0 || top >= n || top > FIELDS_TOP_MAX) {
		fields_sort(f, desc, c, rows, n);
		return top && top < n ? top : n;
	}
	/* best[] stays sorted; a row enters only if it beats the last. */
	best = xreallocarray(NULL, top + 1, sizeof(*best));
	for (size_t i = 0; i < n; i++) {
		struct sort_key k;
		size_t lo = 0, hi = nbest;

		key_of(f, c, &rows[i], &k);
		k.i = i;
		if (nbest == top && sort_cmp(&k, &best[top - 1], &desc) >= 0) {
			free(k.s);
			continue;
		}
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (sort_cmp(&best[mid], &k, &desc) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (nbest == top)
			free(best[--nbest].s);
		memmove(&best[lo + 1], &best[lo], (nbest - lo) * sizeof(*best));
		best[lo] = k;
		nbest++;
	}
	picked = xreallocarray(NULL, nbest, sizeof(*picked));
	for (size_t i = 0; i < nbest; i++) {
		picked[i] = rows[best[i].i];
		free(best[i].s);
	}
	memcpy(rows, picked, nbest * sizeof(*rows));
	free(picked);
	free(best);
	return nbest;
}

bool fields_paired(const struct field_table *t, const struct diff *d)
{
	return d && d->a && (d->both & t->needs) == t->needs;
}

size_t fields_rows(const struct field_table *t, const struct diff *d, const struct snapshot *b,
		   bool keep_gone, bool changed_only, struct field_row **out)
{
	struct field_row *v;
	size_t n = 0;

	if (!t->count) {
		*out = xcalloc(1, sizeof(*v));
		return 0;
	}
	/* Without an earlier sample of this table (the first sample, or a
	 * view the user just switched to) there is nothing to pair: the rows
	 * are B's alone and carry no deltas, rather than all looking new. */
	if (d && !fields_paired(t, d)) {
		b = d->b;
		d = NULL;
	}
	if (d) {
		const struct diff_rows *dr = t->diff_rows(d);

		v = xreallocarray(NULL, dr->n ? dr->n : 1, sizeof(*v));
		for (size_t i = 0; i < dr->n; i++) {
			const struct diff_row *x = &dr->v[i];

			if (x->status == DIFF_GONE && !keep_gone)
				continue;
			if (x->status == DIFF_SAME && changed_only)
				continue;
			v[n].a = (x->a != SIZE_MAX && d->a) ? t->at(d->a, x->a) : NULL;
			v[n].b = x->b != SIZE_MAX ? t->at(d->b, x->b) : NULL;
			v[n].status = x->status;
			if (v[n].a || v[n].b)
				n++;
		}
	} else {
		size_t cnt = b ? t->count(b) : 0;

		v = xreallocarray(NULL, cnt ? cnt : 1, sizeof(*v));
		for (size_t i = 0; i < cnt; i++) {
			v[n].a = NULL;
			v[n].b = t->at(b, i);
			v[n].status = DIFF_SAME;
			n++;
		}
	}
	*out = v;
	return n;
}

void fields_ctx(const struct diff *d, const struct snapshot *b, struct field_ctx *out)
{
	out->tracker = NULL;
	if (d) {
		out->a = d->a;
		out->b = d->b;
		out->interval_s = d->a ? d->interval_s : 0;
	} else {
		out->a = NULL;
		out->b = b;
		out->interval_s = 0;
	}
}
