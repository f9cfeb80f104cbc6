/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batch output. Both formats walk the same diff: the newest snapshot with
 * deltas against the previous one. A section noted missing is written as
 * missing (JSON: absent from its key, listed under "missing"; text: "-" and
 * the reason), never as zeros.
 */
#include "export.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "format.h"
#include "json.h"
#include "parse.h"
#include "strsafe.h"
#include "xalloc.h"

/* ---- row ordering --------------------------------------------------------- */

/* B's sockets in display order, at most top of them, paired with A. */
static size_t socks_in_order(const struct diff *d, const struct export_opts *o,
			     struct field_row **rows, struct field_ctx *ctx)
{
	const struct field *f = o->sock_sort;
	size_t n = fields_rows(&fields_sockets, d, d->b, false, false, rows);

	fields_ctx(d, d->b, ctx);
	if (f)
		return fields_top(f, f->desc != o->sock_reverse, ctx, *rows, n, o->top);
	return o->top && o->top < n ? o->top : n;
}

/* Processes by socket memory (the question no other tool answers), ties by
 * RSS: two stable sorts, the secondary key first. */
static size_t procs_in_order(const struct diff *d, const struct export_opts *o,
			     struct field_row **rows, struct field_ctx *ctx)
{
	size_t n = fields_rows(&fields_procs, d, d->b, false, false, rows);

	fields_ctx(d, d->b, ctx);
	fields_sort(fields_find(&fields_procs, "rss"), true, ctx, *rows, n);
	fields_sort(fields_find(&fields_procs, "sockmem"), true, ctx, *rows, n);
	return o->top && o->top < n ? o->top : n;
}

static void format_time(const struct timespec *ts, char *out, size_t sz)
{
	struct tm tm;
	char base[32];

	gmtime_r(&ts->tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, sz, "%s.%03ldZ", base, ts->tv_nsec / 1000000);
}

/* ---- JSON ----------------------------------------------------------------- */

static void json_delta(struct json *j, const char *key, const struct mem_delta *m)
{
	if (m->present)
		json_i64(j, key, m->d);
	else
		json_null(j, key);
}

static void json_memory(struct json *j, const struct diff *d)
{
	const struct snapshot *s = d->b;

	if (!snapshot_has(s, SRC_MEMINFO) || !(s->sections & SNAP_MEM))
		return;
	json_object_begin(j, "meminfo");
	for (size_t i = 0; i < s->meminfo.n; i++)
		json_u64(j, s->meminfo.v[i].name, s->meminfo.v[i].value);
	json_object_end(j);
	json_object_begin(j, "meminfo_delta");
	for (size_t i = 0; i < s->meminfo.n; i++)
		json_delta(j, s->meminfo.v[i].name, &d->meminfo[i]);
	json_object_end(j);
	if (!s->mem.valid)
		return;
	json_object_begin(j, "derived");
	for (int c = 0; c < MEM_CLASS_COUNT; c++)
		if (s->mem.cls_present & (1u << c))
			json_i64(j, mem_class_name(c), s->mem.cls[c]);
		else
			json_null(j, mem_class_name(c));
	for (int x = 0; x < MEM_X_COUNT; x++)
		if (s->mem.extra_present & (1u << x))
			json_i64(j, mem_extra_name(x), s->mem.extra[x]);
	json_bool(j, "vmap_stacks", s->mem.vmap_stacks);
	json_str(j, "vmap_stack_rule", vmap_stack_rule_text(s->mem.vmap_rule));
	json_object_end(j);
	json_object_begin(j, "derived_delta");
	for (int c = 0; c < MEM_CLASS_COUNT; c++)
		json_delta(j, mem_class_name(c), &d->cls[c]);
	for (int x = 0; x < MEM_X_COUNT; x++)
		json_delta(j, mem_extra_name(x), &d->extra[x]);
	json_object_end(j);
	json_object_begin(j, "derived_rate_per_s");
	for (int c = 0; c < MEM_CLASS_COUNT; c++)
		if (d->cls[c].present)
			json_double(j, mem_class_name(c), d->cls[c].rate_per_s);
		else
			json_null(j, mem_class_name(c));
	json_object_end(j);
}

static void json_rate(struct json *j, const char *key, const struct diff *d, int64_t delta)
{
	if (d->a && d->interval_s > 0)
		json_double(j, key, (double)delta / d->interval_s);
	else
		json_null(j, key);
}

static void json_slab_row(struct json *j, const struct diff *d, const struct diff_row *r)
{
	const struct slab_cache *c = r->b != SIZE_MAX ? &d->b->slab.v[r->b] : &d->a->slab.v[r->a];
	const struct slab_cache *old = r->a != SIZE_MAX ? &d->a->slab.v[r->a] : NULL;
	bool gone = r->b == SIZE_MAX;

	json_object_begin(j, NULL);
	json_str(j, "name", c->name);
	json_u64(j, "active_objs", gone ? 0 : c->active_objs);
	json_u64(j, "num_objs", gone ? 0 : c->num_objs);
	json_u64(j, "objsize", c->objsize);
	json_u64(j, "objperslab", c->objperslab);
	json_u64(j, "pagesperslab", c->pagesperslab);
	json_u64(j, "num_slabs", gone ? 0 : c->num_slabs);
	json_u64(j, "bytes", gone ? 0 : c->bytes);
	json_u64(j, "active_bytes", gone ? 0 : c->active_bytes);
	if (d->a) {
		json_i64(j, "delta_active_objs", r->d_count);
		json_i64(j, "delta_num_objs",
			 (int64_t)((gone ? 0 : c->num_objs) - (old ? old->num_objs : 0)));
		json_i64(j, "delta_bytes", r->d_bytes);
		json_rate(j, "rate_bytes_per_s", d, r->d_bytes);
		json_rate(j, "rate_objs_per_s", d, r->d_count);
	} else {
		json_null(j, "delta_active_objs");
		json_null(j, "delta_num_objs");
		json_null(j, "delta_bytes");
		json_null(j, "rate_bytes_per_s");
		json_null(j, "rate_objs_per_s");
	}
	json_str(j, "status", d->a ? diff_status_name(r->status) : "first");
	json_array_begin(j, "merged_with");
	for (const char *p = c->merged_with; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		json_str_raw(j, NULL, p, len);
		p += len + (comma != NULL);
	}
	json_array_end(j);
	if (c->merged_id)
		json_str(j, "merged_id", c->merged_id);
	else
		json_null(j, "merged_id");
	json_object_end(j);
}

static void json_slab(struct json *j, const struct diff *d)
{
	const struct snapshot *s = d->b;

	if (!(s->sections & SNAP_SLAB) || !snapshot_has(s, SRC_SLABINFO))
		return;
	json_u64(j, "slab_total_bytes", s->slab.total_bytes);
	json_array_begin(j, "slab");
	for (size_t i = 0; i < d->slab.n; i++)
		json_slab_row(j, d, &d->slab.v[i]);
	json_array_end(j);
}

static void json_vmalloc(struct json *j, const struct diff *d)
{
	const struct snapshot *s = d->b;

	if (!(s->sections & SNAP_VMALLOC) || !snapshot_has(s, SRC_VMALLOC))
		return;
	json_object_begin(j, "vmalloc");
	json_u64(j, "total_bytes", s->vmalloc.total_bytes);
	json_u64(j, "ioremap_vsize_bytes", s->vmalloc.ioremap_vsize_bytes);
	json_u64(j, "unpurged_areas", s->vmalloc.unpurged_areas);
	json_array_begin(j, "callers");
	for (size_t i = 0; i < d->vmalloc.n; i++) {
		const struct diff_row *r = &d->vmalloc.v[i];
		const struct vmalloc_caller *c;

		if (r->b == SIZE_MAX)
			continue;
		c = &s->vmalloc.v[r->b];
		json_object_begin(j, NULL);
		json_str(j, "caller", c->caller);
		json_str(j, "kind", c->kind);
		json_u64(j, "areas", c->areas);
		json_u64(j, "pages", c->pages);
		json_u64(j, "bytes", c->bytes);
		json_u64(j, "vsize_bytes", c->vsize_bytes);
		if (d->a)
			json_i64(j, "delta_bytes", r->d_bytes);
		else
			json_null(j, "delta_bytes");
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void json_tmpfs(struct json *j, const struct diff *d)
{
	const struct snapshot *s = d->b;

	if (!(s->sections & SNAP_TMPFS))
		return;
	json_object_begin(j, "tmpfs");
	if (snapshot_has(s, SRC_TMPFS)) {
		json_u64(j, "total_used_bytes", s->tmpfs.total_used_bytes);
		json_array_begin(j, "mounts");
		for (size_t i = 0; i < d->tmpfs.n; i++) {
			const struct diff_row *r = &d->tmpfs.v[i];
			const struct tmpfs_mount *m;

			if (r->b == SIZE_MAX)
				continue;
			m = &s->tmpfs.v[r->b];
			json_object_begin(j, NULL);
			json_str(j, "mountpoint", m->mountpoint);
			json_str(j, "fstype", m->fstype);
			if (m->has_usage) {
				json_u64(j, "size_bytes", m->size_bytes);
				json_u64(j, "used_bytes", m->used_bytes);
				json_u64(j, "inodes_used", m->inodes_used);
			} else {
				json_null(j, "used_bytes");
			}
			if (d->a)
				json_i64(j, "delta_used_bytes", r->d_bytes);
			else
				json_null(j, "delta_used_bytes");
			json_object_end(j);
		}
		json_array_end(j);
	}
	if (s->shm.present) {
		json_object_begin(j, "sysv_shm");
		json_u64(j, "segments", s->shm.segments);
		json_u64(j, "size_bytes", s->shm.size_bytes);
		json_u64(j, "rss_bytes", s->shm.rss_bytes);
		json_u64(j, "swap_bytes", s->shm.swap_bytes);
		json_u64(j, "orphan_segments", s->shm.orphan_segments);
		json_u64(j, "orphan_rss_bytes", s->shm.orphan_rss_bytes);
		json_object_end(j);
	}
	json_object_end(j);
}

static void json_addr(struct json *j, const char *key, const struct sock_table *t,
		      const struct sock_entry *e, bool local)
{
	char buf[512];

	if (local)
		sock_format_local(t, e, buf, sizeof(buf));
	else
		sock_format_peer(t, e, buf, sizeof(buf));
	/* sock_format_* already sanitized unix names; json_str keeps it so. */
	json_str(j, key, buf);
}

static void json_socket(struct json *j, const struct diff *d, const struct field_row *r)
{
	const struct sock_entry *e = r->b, *old = r->a;
	static const char *const skmem_keys[SKMEM_COUNT] = {
		"rmem_alloc", "rcvbuf", "wmem_alloc", "sndbuf", "fwd_alloc",
		"wmem_queued", "optmem", "backlog", "drops",
	};
	const struct snapshot *s = d->b;
	const struct sock_owner *ow = sock_owners_of(&s->socks, e);

	json_object_begin(j, NULL);
	json_str(j, "kind", sock_kind_name(e->kind));
	json_u64(j, "family", e->family);
	json_u64(j, "type", e->type);
	json_u64(j, "protocol", e->protocol);
	json_str(j, "state", sock_state_name(e));
	json_addr(j, "local", &s->socks, e, true);
	json_addr(j, "peer", &s->socks, e, false);
	json_u64(j, "inode", e->inode);
	json_u64(j, "cookie", e->cookie);
	json_u64(j, "uid", e->uid);
	json_u64(j, "recv_q", e->rqueue);
	json_u64(j, "send_q", e->wqueue);
	json_str(j, "source", e->source == SOCK_SRC_DIAG ? "sock_diag" : "procnet");
	if (e->skmem_n) {
		json_object_begin(j, "skmem");
		for (unsigned int i = 0; i < e->skmem_n && i < SKMEM_COUNT; i++)
			json_u64(j, skmem_keys[i], e->skmem[i]);
		json_object_end(j);
		json_u64(j, "mem_bytes", sock_mem_bytes(e));
	} else {
		json_null(j, "skmem");
		json_null(j, "mem_bytes");
	}
	if (d->a)
		json_i64(j, "delta_mem_bytes",
			 (int64_t)(sock_mem_bytes(e) - (old ? sock_mem_bytes(old) : 0)));
	else
		json_null(j, "delta_mem_bytes");
	json_str(j, "status", d->a ? diff_status_name(r->status) : "first");
	if (e->has_cgroup)
		json_u64(j, "cgroup_id", e->cgroup_id);
	if (e->family == AF_INET || e->family == AF_INET6) {
		if (e->has_tcpinfo) {
			json_object_begin(j, "tcp_info");
			json_u64(j, "retransmits", e->u.in.tcpi_retransmits);
			json_u64(j, "retrans", e->u.in.tcpi_retrans);
			json_u64(j, "total_retrans", e->u.in.tcpi_total_retrans);
			json_u64(j, "rcv_space", e->u.in.rcv_space);
			json_u64(j, "rcv_ssthresh", e->u.in.rcv_ssthresh);
			json_u64(j, "unacked", e->u.in.unacked);
			if (e->has_notsent)
				json_u64(j, "notsent_bytes", e->u.in.notsent_bytes);
			json_u64(j, "snd_wnd", e->u.in.snd_wnd);
			json_u64(j, "backoff", e->u.in.backoff);
			json_u64(j, "length", e->u.in.tcpinfo_len);
			json_object_end(j);
		}
	} else if (e->family == AF_UNIX) {
		json_u64(j, "peer_inode", e->u.un.peer_inode);
		json_u64(j, "pending", e->u.un.pending);
	} else if (e->family == AF_PACKET) {
		json_u64(j, "ifindex", e->u.pk.ifindex);
		json_u64(j, "rx_ring_bytes", e->u.pk.rx_ring_bytes);
		json_u64(j, "tx_ring_bytes", e->u.pk.tx_ring_bytes);
	}
	if (s->socks.owners_scanned) {
		json_array_begin(j, "owners");
		for (uint32_t i = 0; ow && i < e->owner_n; i++) {
			const struct proc_entry *p = proc_table_find(&s->procs, ow[i].pid);

			json_object_begin(j, NULL);
			json_i64(j, "pid", ow[i].pid);
			json_i64(j, "fd", ow[i].fd);
			if (p)
				json_str(j, "comm", p->comm);
			else
				json_null(j, "comm");
			json_object_end(j);
		}
		json_array_end(j);
	} else {
		json_null(j, "owners");
	}
	json_object_end(j);
}

static void json_sockets(struct json *j, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;
	struct field_row *rows;
	struct field_ctx ctx;
	size_t n;

	if (!(s->sections & SNAP_SOCKETS))
		return;
	json_object_begin(j, "sockets_summary");
	json_u64(j, "total", s->socks.n);
	for (int k = 0; k < SK_KIND_COUNT; k++) {
		json_object_begin(j, sock_kind_name(k));
		json_u64(j, "count", s->socks.count[k]);
		json_str(j, "source", !s->socks.kind_ok[k] ? "unavailable"
				      : s->socks.kind_source[k] == SOCK_SRC_DIAG ? "sock_diag"
										 : "procnet");
		json_object_end(j);
	}
	json_u64(j, "skipped_messages", s->socks.skipped_msgs);
	if (s->socks.owners_scanned) {
		char how[64];

		sock_owners_scan_describe(&s->socks, how, sizeof(how));
		json_str(j, "owners_scan", how);
	}
	if (d->a) {
		json_u64(j, "new", d->socks.n_new);
		json_u64(j, "gone", d->socks.n_gone);
		json_u64(j, "changed", d->socks.n_changed);
	}
	json_object_end(j);
	n = socks_in_order(d, o, &rows, &ctx);
	json_array_begin(j, "sockets");
	for (size_t i = 0; i < n; i++)
		json_socket(j, d, &rows[i]);
	json_array_end(j);
	free(rows);
}

static void json_processes(struct json *j, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;
	struct field_row *rows;
	struct field_ctx ctx;
	size_t n;

	if (!(s->sections & SNAP_PROCS) || !snapshot_has(s, SRC_PROCESSES))
		return;
	n = procs_in_order(d, o, &rows, &ctx);
	json_array_begin(j, "processes");
	for (size_t i = 0; i < n; i++) {
		const struct proc_entry *p = rows[i].b, *old = rows[i].a;

		json_object_begin(j, NULL);
		json_i64(j, "pid", p->pid);
		json_u64(j, "starttime", p->starttime);
		json_str(j, "comm", p->comm);
		if (p->cmdline)
			json_str(j, "cmdline", p->cmdline);
		else
			json_null(j, "cmdline");
		json_u64(j, "uid", p->uid);
		json_u64(j, "threads", p->threads);
		json_u64(j, "rss_bytes", p->rss_bytes);
		if (p->has_pss)
			json_u64(j, "pss_bytes", p->pss_bytes);
		else
			json_null(j, "pss_bytes");
		if (p->fd_status == PROC_FD_OK) {
			json_u64(j, "fds", p->fd_count);
			json_u64(j, "sockets", p->sock_count);
			json_u64(j, "sock_mem_bytes", p->sock_mem_bytes);
		} else {
			json_null(j, "fds");
			json_null(j, "sockets");
			json_null(j, "sock_mem_bytes");
		}
		json_str(j, "fd_status", p->fd_status == PROC_FD_OK       ? "ok"
					 : p->fd_status == PROC_FD_DENIED ? "denied"
									  : "not_scanned");
		if (d->a) {
			json_i64(j, "delta_rss_bytes",
				 (int64_t)(p->rss_bytes - (old ? old->rss_bytes : 0)));
			json_i64(j, "delta_sock_mem_bytes",
				 (int64_t)(p->sock_mem_bytes - (old ? old->sock_mem_bytes : 0)));
		} else {
			json_null(j, "delta_rss_bytes");
			json_null(j, "delta_sock_mem_bytes");
		}
		json_object_end(j);
	}
	json_array_end(j);
	free(rows);
}

static void json_tcp(struct json *j, const struct diff *d)
{
	const struct snapshot *s = d->b;
	const struct tcpmem *t = &s->tcp;

	if (!(s->sections & SNAP_TCP))
		return;
	json_object_begin(j, "tcp");
	if (t->has_sockstat) {
		json_u64(j, "sockets_used", t->sockets_used);
		json_u64(j, "inuse", t->tcp_inuse);
		json_u64(j, "inuse6", t->tcp6_inuse);
		json_u64(j, "orphan", t->tcp_orphan);
		json_u64(j, "tw", t->tcp_tw);
		json_u64(j, "alloc", t->tcp_alloc);
		json_u64(j, "mem_pages", t->tcp_mem_pages);
		json_u64(j, "mem_bytes", t->tcp_mem_bytes);
		json_u64(j, "udp_mem_pages", t->udp_mem_pages);
		json_delta(j, "delta_mem_bytes", &d->tcp_mem_bytes);
		json_delta(j, "delta_orphan", &d->tcp_orphan);
	}
	if (t->has_tcp_mem) {
		json_u64(j, "tcp_mem_min_pages", t->tcp_mem_min);
		json_u64(j, "tcp_mem_pressure_pages", t->tcp_mem_pressure);
		json_u64(j, "tcp_mem_max_pages", t->tcp_mem_max);
	}
	if (t->has_max_orphans)
		json_u64(j, "max_orphans", t->tcp_max_orphans);
	if (t->has_rmem) {
		json_array_begin(j, "tcp_rmem");
		for (int i = 0; i < 3; i++)
			json_u64(j, NULL, t->tcp_rmem[i]);
		json_array_end(j);
	}
	if (t->has_wmem) {
		json_array_begin(j, "tcp_wmem");
		for (int i = 0; i < 3; i++)
			json_u64(j, NULL, t->tcp_wmem[i]);
		json_array_end(j);
	}
	if (t->has_pressure_flag)
		json_bool(j, "under_pressure", t->under_pressure);
	if (s->sections & SNAP_SOCKETS) {
		json_object_begin(j, "states");
		for (size_t st = 1; st < ARRAY_SIZE(s->tcp_states); st++) {
			struct sock_entry probe = { .kind = SK_TCP, .state = (uint8_t)st };

			if (s->tcp_states[st])
				json_u64(j, sock_state_name(&probe), s->tcp_states[st]);
		}
		json_object_end(j);
	}
	json_object_begin(j, "counters");
	for (size_t i = 0; i < d->ncounters; i++)
		json_u64(j, d->counters[i].name, d->counters[i].value);
	json_object_end(j);
	if (d->a) {
		json_object_begin(j, "counters_delta");
		for (size_t i = 0; i < d->ncounters; i++)
			if (d->counters[i].d)
				json_i64(j, d->counters[i].name, d->counters[i].d);
		json_object_end(j);
	}
	json_object_end(j);
}

static void json_stacks(struct json *j, const struct export_opts *o)
{
	if (!o->nstacks)
		return;
	json_array_begin(j, "stacks");
	for (size_t i = 0; i < o->nstacks; i++) {
		const struct kstack_proc *p = &o->stacks[i];

		json_object_begin(j, NULL);
		json_i64(j, "pid", p->pid);
		if (p->err)
			json_str(j, "error", notes_errno_reason(p->err));
		json_u64(j, "threads_total", p->threads_total);
		json_array_begin(j, "threads");
		for (size_t t = 0; t < p->n; t++) {
			const struct kstack_thread *th = &p->threads[t];

			json_object_begin(j, NULL);
			json_i64(j, "tid", th->tid);
			json_str(j, "comm", th->comm);
			json_str_raw(j, "state", &th->state, 1);
			json_str(j, "wchan", th->wchan);
			if (th->syscall_err)
				json_str(j, "syscall_error", notes_errno_reason(th->syscall_err));
			else
				json_str(j, "syscall", th->syscall);
			if (th->stack_err) {
				json_str(j, "stack_error", notes_errno_reason(th->stack_err));
			} else {
				json_array_begin(j, "stack");
				for (size_t f = 0; f < th->nframes; f++)
					json_str(j, NULL, th->frames[f]);
				json_array_end(j);
			}
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_notes(struct json *j, const struct snapshot *s)
{
	json_object_begin(j, "missing");
	for (size_t i = 0; i < s->notes.n; i++)
		if (s->notes.v[i].kind == NOTE_MISSING)
			json_str(j, s->notes.v[i].source, s->notes.v[i].msg);
	json_object_end(j);
	json_array_begin(j, "warnings");
	for (size_t i = 0; i < s->notes.n; i++) {
		const struct note *n = &s->notes.v[i];

		if (n->kind != NOTE_WARN)
			continue;
		json_object_begin(j, NULL);
		json_str(j, "source", n->source);
		if (n->line)
			json_u64(j, "line", n->line);
		json_str(j, "message", n->msg);
		json_object_end(j);
	}
	json_array_end(j);
}

void export_json(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;
	struct json j;
	char when[48];

	json_init(&j, f);
	json_object_begin(&j, NULL);
	format_time(&s->t_real, when, sizeof(when));
	json_str(&j, "time", when);
	json_u64(&j, "seq", s->seq);
	if (d->a)
		json_double(&j, "interval_s", d->interval_s);
	else
		json_null(&j, "interval_s");
	json_double(&j, "sample_ms", (double)s->duration_ns / 1e6);
	json_u64(&j, "page_size", (uint64_t)s->page_size);
	json_memory(&j, d);
	json_slab(&j, d);
	json_vmalloc(&j, d);
	json_tmpfs(&j, d);
	json_sockets(&j, d, o);
	json_processes(&j, d, o);
	json_tcp(&j, d);
	if (o->suspects)
		export_suspects_json(&j, o->suspects);
	json_stacks(&j, o);
	json_notes(&j, s);
	json_object_end(&j);
	fputc('\n', f);
}

/* ---- text ----------------------------------------------------------------- */

/* Rows shown per table section of the text report when --top is 0. */
#define TEXT_SECTION_ROWS 15

static void text_missing(FILE *f, const struct snapshot *s, const char *src)
{
	const struct note *n = notes_find(&s->notes, src);

	fprintf(f, "  -  %s: %s\n", src, n ? n->msg : "not sampled");
}

/* False when the section was not asked for, or is missing: then its
 * heading and the reason are printed, and the caller prints nothing more. */
static bool text_section_present(FILE *f, const struct snapshot *s, unsigned int section,
				 const char *src, const char *heading)
{
	if (!(s->sections & section))
		return false;
	if (snapshot_has(s, src))
		return true;
	fprintf(f, "%s\n", heading);
	text_missing(f, s, src);
	return false;
}

static void text_memory(FILE *f, const struct diff *d)
{
	const struct snapshot *s = d->b;
	char v[16], dv[16], rate[24];

	if (!(s->sections & SNAP_MEM))
		return;
	fprintf(f, "MEMORY\n");
	if (!s->mem.valid) {
		text_missing(f, s, SRC_MEMINFO);
		return;
	}
	format_bytes((uint64_t)s->mem.extra[MEM_X_TOTAL], v, sizeof(v));
	fprintf(f, "  total %s", v);
	format_bytes((uint64_t)s->mem.extra[MEM_X_USED], v, sizeof(v));
	fprintf(f, "  used %s", v);
	if (s->mem.extra_present & (1u << MEM_X_AVAILABLE)) {
		format_bytes((uint64_t)s->mem.extra[MEM_X_AVAILABLE], v, sizeof(v));
		fprintf(f, "  available %s", v);
	}
	fprintf(f, "  (kernel stacks %s vmalloc: %s)\n", s->mem.vmap_stacks ? "inside" : "outside",
		vmap_stack_rule_text(s->mem.vmap_rule));
	fprintf(f, "  %-24s %8s %8s %10s\n", "class", "bytes", "delta", "rate");
	for (int c = 0; c < MEM_CLASS_COUNT; c++) {
		if (!(s->mem.cls_present & (1u << c))) {
			fprintf(f, "  %-24s %8s\n", mem_class_title(c), "-");
			continue;
		}
		if (s->mem.cls[c] < 0)
			format_delta_bytes(s->mem.cls[c], v, sizeof(v));
		else
			format_bytes((uint64_t)s->mem.cls[c], v, sizeof(v));
		if (d->cls[c].present) {
			format_delta_bytes(d->cls[c].d, dv, sizeof(dv));
			format_rate_bytes(d->cls[c].rate_per_s, rate, sizeof(rate));
		} else {
			snprintf(dv, sizeof(dv), "-");
			snprintf(rate, sizeof(rate), "-");
		}
		fprintf(f, "  %-24s %8s %8s %10s\n", mem_class_title(c), v, dv, rate);
	}
}

static int row_growth_cmp(const void *pa, const void *pb)
{
	const struct diff_row *a = *(const struct diff_row *const *)pa;
	const struct diff_row *b = *(const struct diff_row *const *)pb;

	if (a->d_bytes != b->d_bytes)
		return a->d_bytes > b->d_bytes ? -1 : 1;
	return SPACESHIP(a->b, b->b);
}

/* Rows of a table ordered by growth: the growers are what the user is
 * hunting; with no previous sample, by size (d_bytes of a NEW row). */
static const struct diff_row **rows_by_growth(const struct diff_rows *rows, size_t *n)
{
	const struct diff_row **v = xcalloc(rows->n ? rows->n : 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < rows->n; i++)
		v[(*n)++] = &rows->v[i];
	qsort(v, *n, sizeof(*v), row_growth_cmp);
	return v;
}

static size_t text_rows(const struct export_opts *o, size_t n)
{
	size_t lim = o->top ? o->top : TEXT_SECTION_ROWS;

	return n < lim ? n : lim;
}

static void text_slab(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;
	const struct diff_row **v;
	char tot[16];
	size_t n;

	if (!text_section_present(f, s, SNAP_SLAB, SRC_SLABINFO, "SLAB"))
		return;
	format_bytes(s->slab.total_bytes, tot, sizeof(tot));
	fprintf(f, "SLAB  %zu caches, %s; by growth\n", s->slab.n, tot);
	fprintf(f, "  %-24s %9s %9s %8s %8s  %s\n", "cache", "objs", "dobjs", "bytes", "dbytes",
		"merged with");
	v = rows_by_growth(&d->slab, &n);
	for (size_t i = 0; i < text_rows(o, n); i++) {
		const struct diff_row *r = v[i];
		const struct slab_cache *c =
			r->b != SIZE_MAX ? &s->slab.v[r->b] : &d->a->slab.v[r->a];
		char objs[16], dobjs[16], b[16], db[16];
		char *merged = c->merged_with ? strsafe_dup(c->merged_with, strlen(c->merged_with))
					      : NULL;

		format_count(r->b != SIZE_MAX ? c->active_objs : 0, objs, sizeof(objs));
		format_bytes(r->b != SIZE_MAX ? c->bytes : 0, b, sizeof(b));
		if (d->a) {
			format_delta_count(r->d_count, dobjs, sizeof(dobjs));
			format_delta_bytes(r->d_bytes, db, sizeof(db));
		} else {
			snprintf(dobjs, sizeof(dobjs), "-");
			snprintf(db, sizeof(db), "-");
		}
		fprintf(f, "  %-24.24s %9s %9s %8s %8s  %s%s\n", c->name, objs, dobjs, b, db,
			merged ? merged : "", r->status == DIFF_GONE ? " (gone)" : "");
		free(merged);
	}
	free(v);
}

static void text_vmalloc(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;
	const struct diff_row **v;
	char tot[16];
	size_t n;

	if (!text_section_present(f, s, SNAP_VMALLOC, SRC_VMALLOC, "VMALLOC"))
		return;
	format_bytes(s->vmalloc.total_bytes, tot, sizeof(tot));
	fprintf(f, "VMALLOC  %s in RAM; by growth\n", tot);
	fprintf(f, "  %-40s %-8s %7s %8s %8s\n", "caller", "kind", "areas", "bytes", "dbytes");
	v = rows_by_growth(&d->vmalloc, &n);
	for (size_t i = 0, shown = 0; i < n && shown < text_rows(o, n); i++) {
		const struct diff_row *r = v[i];
		const struct vmalloc_caller *c;
		char b[16], db[16];

		if (r->b == SIZE_MAX)
			continue;
		c = &s->vmalloc.v[r->b];
		format_bytes(c->bytes, b, sizeof(b));
		if (d->a)
			format_delta_bytes(r->d_bytes, db, sizeof(db));
		else
			snprintf(db, sizeof(db), "-");
		fprintf(f, "  %-40.40s %-8s %7" PRIu64 " %8s %8s\n", c->caller, c->kind, c->areas, b,
			db);
		shown++;
	}
	free(v);
}

static void text_tmpfs(FILE *f, const struct diff *d)
{
	const struct snapshot *s = d->b;

	if (!(s->sections & SNAP_TMPFS))
		return;
	fprintf(f, "TMPFS\n");
	if (!snapshot_has(s, SRC_TMPFS))
		text_missing(f, s, SRC_TMPFS);
	for (size_t i = 0; i < d->tmpfs.n; i++) {
		const struct diff_row *r = &d->tmpfs.v[i];
		const struct tmpfs_mount *m;
		char used[16], size[16], dv[16];
		char *mp;

		if (r->b == SIZE_MAX)
			continue;
		m = &s->tmpfs.v[r->b];
		if (!m->has_usage) {
			snprintf(used, sizeof(used), "-");
			snprintf(size, sizeof(size), "-");
		} else {
			format_bytes(m->used_bytes, used, sizeof(used));
			format_bytes(m->size_bytes, size, sizeof(size));
		}
		if (d->a)
			format_delta_bytes(r->d_bytes, dv, sizeof(dv));
		else
			snprintf(dv, sizeof(dv), "-");
		mp = strsafe_dup(m->mountpoint, strlen(m->mountpoint));
		fprintf(f, "  %-32.32s %-8s used %7s of %7s %8s\n", mp, m->fstype, used, size, dv);
		free(mp);
	}
	if (s->shm.present) {
		char rss[16], orss[16];

		format_bytes(s->shm.rss_bytes, rss, sizeof(rss));
		format_bytes(s->shm.orphan_rss_bytes, orss, sizeof(orss));
		fprintf(f, "  SysV shm: %" PRIu64 " segments, %s resident, %" PRIu64
			   " unattached holding %s\n",
			s->shm.segments, rss, s->shm.orphan_segments, orss);
	}
}

static void text_sockets(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct field *mem_field = fields_find(&fields_sockets, "skmem");
	const struct field *dmem_field = fields_find(&fields_sockets, "dskmem");
	const struct snapshot *s = d->b;
	struct field_row *rows;
	struct field_ctx ctx;
	size_t n;

	if (!(s->sections & SNAP_SOCKETS))
		return;
	fprintf(f, "SOCKETS  %zu", s->socks.n);
	for (int k = 0; k < SK_KIND_COUNT; k++)
		fprintf(f, " %s %u%s", sock_kind_name(k), s->socks.count[k],
			!s->socks.kind_ok[k]                        ? "(unavailable)"
			: s->socks.kind_source[k] == SOCK_SRC_PROCNET ? "(procnet, no skmem)"
								      : "");
	if (d->a)
		fprintf(f, "; new %zu gone %zu", d->socks.n_new, d->socks.n_gone);
	if (s->socks.owners_scanned) {
		char how[64];

		sock_owners_scan_describe(&s->socks, how, sizeof(how));
		fprintf(f, "; owners: %s", how);
	}
	fprintf(f, "; sorted by %s\n", o->sock_sort ? o->sock_sort->id : "inode");
	fprintf(f, "  %-7s %-10s %-22s %-22s %7s %7s %7s %8s %9s  %s\n", "kind", "state", "local",
		"peer", "recv-q", "send-q", "mem", "dmem", "inode", "owner");
	n = socks_in_order(d, o, &rows, &ctx);
	for (size_t i = 0; i < text_rows(o, n); i++) {
		const struct sock_entry *e = rows[i].b;
		const struct sock_owner *ow = sock_owners_of(&s->socks, e);
		char local[128], peer[128], mem[16], dmem[16], owner[96];

		sock_format_local(&s->socks, e, local, sizeof(local));
		sock_format_peer(&s->socks, e, peer, sizeof(peer));
		fields_format(mem_field, &ctx, &rows[i], mem, sizeof(mem));
		fields_format(dmem_field, &ctx, &rows[i], dmem, sizeof(dmem));
		if (ow && e->owner_n) {
			const struct proc_entry *p = proc_table_find(&s->procs, ow[0].pid);
			char comm[64];

			strsafe_escape(p ? p->comm : "?", strlen(p ? p->comm : "?"), comm,
				       sizeof(comm));
			snprintf(owner, sizeof(owner), "%s pid=%d fd=%d%s", comm, ow[0].pid, ow[0].fd,
				 e->owner_n > 1 ? " +more" : "");
		} else {
			snprintf(owner, sizeof(owner), "%s",
				 !s->socks.owners_scanned ? "-" : e->inode ? "(no fd found)"
									   : "(no fd)");
		}
		fprintf(f, "  %-7s %-10s %-22.22s %-22.22s %7u %7u %7s %8s %9u  %s\n",
			sock_kind_name(e->kind), sock_state_name(e), local, peer, e->rqueue,
			e->wqueue, mem, dmem, e->inode, owner);
	}
	free(rows);
}

static void text_processes(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;
	struct field_row *rows;
	struct field_ctx ctx;
	size_t n;

	if (!(s->sections & SNAP_PROCS))
		return;
	fprintf(f, "PROCESSES  %zu; by socket memory, then RSS\n", s->procs.n);
	if (!snapshot_has(s, SRC_PROCESSES)) {
		text_missing(f, s, SRC_PROCESSES);
		return;
	}
	fprintf(f, "  %7s %-16s %8s %8s %6s %6s %8s\n", "pid", "comm", "rss", "pss", "fds", "socks",
		"sockmem");
	n = procs_in_order(d, o, &rows, &ctx);
	for (size_t i = 0; i < text_rows(o, n); i++) {
		const struct proc_entry *p = rows[i].b;
		char comm[64], rss[16], pss[16], fds[16], socks[16], smem[16];

		strsafe_escape(p->comm, strlen(p->comm), comm, sizeof(comm));
		format_bytes(p->rss_bytes, rss, sizeof(rss));
		if (p->has_pss)
			format_bytes(p->pss_bytes, pss, sizeof(pss));
		else
			snprintf(pss, sizeof(pss), "-");
		if (p->fd_status == PROC_FD_OK) {
			snprintf(fds, sizeof(fds), "%u", p->fd_count);
			snprintf(socks, sizeof(socks), "%u", p->sock_count);
			format_bytes(p->sock_mem_bytes, smem, sizeof(smem));
		} else {
			const char *why = p->fd_status == PROC_FD_DENIED ? "denied" : "-";

			snprintf(fds, sizeof(fds), "%s", why);
			snprintf(socks, sizeof(socks), "-");
			snprintf(smem, sizeof(smem), "-");
		}
		fprintf(f, "  %7d %-16.16s %8s %8s %6s %6s %8s\n", p->pid, comm, rss, pss, fds, socks,
			smem);
	}
	free(rows);
}

static void text_tcp(FILE *f, const struct diff *d)
{
	const struct snapshot *s = d->b;
	const struct tcpmem *t = &s->tcp;
	char v[16], p[16], m[16];

	if (!(s->sections & SNAP_TCP))
		return;
	fprintf(f, "TCP\n");
	if (!t->has_sockstat) {
		text_missing(f, s, SRC_TCP);
	} else {
		format_bytes(t->tcp_mem_bytes, v, sizeof(v));
		if (t->has_tcp_mem) {
			format_bytes(sat_mul_u64(t->tcp_mem_pressure, (uint64_t)s->page_size), p,
				     sizeof(p));
			format_bytes(sat_mul_u64(t->tcp_mem_max, (uint64_t)s->page_size), m,
				     sizeof(m));
		} else {
			snprintf(p, sizeof(p), "-");
			snprintf(m, sizeof(m), "-");
		}
		fprintf(f, "  memory %s (pressure at %s, max %s)%s  orphans %" PRIu64, v, p, m,
			t->has_pressure_flag && t->under_pressure ? " UNDER PRESSURE" : "",
			t->tcp_orphan);
		if (t->has_max_orphans)
			fprintf(f, "/%" PRIu64, t->tcp_max_orphans);
		fprintf(f, "  time-wait %" PRIu64 "  inuse %" PRIu64 "\n", t->tcp_tw, t->tcp_inuse);
	}
	if (s->sections & SNAP_SOCKETS) {
		fprintf(f, "  states:");
		for (size_t st = 1; st < ARRAY_SIZE(s->tcp_states); st++) {
			struct sock_entry probe = { .kind = SK_TCP, .state = (uint8_t)st };

			if (s->tcp_states[st])
				fprintf(f, " %s %u", sock_state_name(&probe), s->tcp_states[st]);
		}
		fputc('\n', f);
	}
	if (d->a) {
		bool any = false;

		for (size_t i = 0; i < d->ncounters; i++) {
			if (!d->counters[i].d)
				continue;
			if (!any)
				fprintf(f, "  counters that moved:");
			any = true;
			fprintf(f, " %s %+" PRId64, d->counters[i].name, d->counters[i].d);
		}
		if (any)
			fputc('\n', f);
	}
}

static void text_stacks(FILE *f, const struct export_opts *o)
{
	for (size_t i = 0; i < o->nstacks; i++) {
		const struct kstack_proc *p = &o->stacks[i];

		fprintf(f, "KERNEL STACKS  pid %d", p->pid);
		if (p->err) {
			fprintf(f, ": %s\n", notes_errno_reason(p->err));
			continue;
		}
		fprintf(f, ", %zu of %zu threads\n", p->n, p->threads_total);
		for (size_t t = 0; t < p->n; t++) {
			const struct kstack_thread *th = &p->threads[t];
			char comm[sizeof(th->comm) * 4], frame[sizeof(th->frames[0]) * 4];

			strsafe_escape(th->comm, strlen(th->comm), comm, sizeof(comm));
			fprintf(f, "  tid %d %s state %c wchan %s\n", th->tid, comm,
				th->state ? th->state : '?', th->wchan[0] ? th->wchan : "-");
			if (th->stack_err)
				fprintf(f, "    stack: %s\n", notes_errno_reason(th->stack_err));
			for (size_t fr = 0; fr < th->nframes; fr++) {
				strsafe_escape(th->frames[fr], strlen(th->frames[fr]), frame,
					       sizeof(frame));
				fprintf(f, "    %s\n", frame);
			}
		}
	}
}

static void text_notes(FILE *f, const struct snapshot *s)
{
	for (size_t i = 0; i < s->notes.n; i++) {
		const struct note *n = &s->notes.v[i];
		char msg[sizeof(n->msg) * 4];

		strsafe_escape(n->msg, strlen(n->msg), msg, sizeof(msg));
		if (n->line)
			fprintf(f, "note: %s:%u: %s\n", n->source, n->line, msg);
		else
			fprintf(f, "%s: %s: %s\n", n->kind == NOTE_MISSING ? "missing" : "note",
				n->source, msg);
	}
	if (s->notes.dropped)
		fprintf(f, "note: %zu more notes not shown\n", s->notes.dropped);
}

void export_text(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;
	char when[48];

	format_time(&s->t_real, when, sizeof(when));
	fprintf(f, "leaktop %s  sample %" PRIu64, when, s->seq);
	if (d->a)
		fprintf(f, "  interval %.2fs", d->interval_s);
	fprintf(f, "  took %.1fms\n", (double)s->duration_ns / 1e6);
	text_memory(f, d);
	text_slab(f, d, o);
	text_vmalloc(f, d, o);
	text_tmpfs(f, d);
	text_sockets(f, d, o);
	text_processes(f, d, o);
	text_tcp(f, d);
	if (o->suspects)
		export_suspects_text(f, o->suspects);
	text_stacks(f, o);
	text_notes(f, s);
	fputc('\n', f);
}
