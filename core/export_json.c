/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batch output as JSON: one object per sample on one line, the schema of
 * doc/json-schema.md. The entity tables are their field tables: one key per
 * column, named by the column id, null when the value is missing. A section
 * noted missing is absent and listed under "missing", never written as 0.
 */
#include "export.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "export_rows.h"
#include "format.h"
#include "json.h"
#include "parse.h"
#include "tcpinfo.h"

/* The longest text a column gives: a whole command line, escaped. */
#define JSON_TEXT_MAX (PROC_CMDLINE_MAX * 4 + 1)

static void json_delta(struct json *j, const char *key, const struct mem_delta *m)
{
	if (m->present)
		json_i64(j, key, m->d);
	else
		json_null(j, key);
}

/* ---- entity tables -------------------------------------------------------- */

/* A column with a text getter is a string, any other a number. */
static void json_field(struct json *j, const struct field *f, const struct field_ctx *c,
		       const struct field_row *r)
{
	char text[JSON_TEXT_MAX];
	int64_t v;

	if (f->text) {
		if (fields_entity(r) && f->text(c, r, text, sizeof(text)))
			json_text(j, f->id, text);
		else
			json_null(j, f->id);
	} else if (fields_value(f, c, r, &v)) {
		json_i64(j, f->id, v);
	} else {
		json_null(j, f->id);
	}
}

/* What an entity has beyond its columns: identity, structure, status. */
typedef void (*json_extra_fn)(struct json *j, const struct diff *d, const struct field_row *r);

/* The rows of et under key: every column, then extra's keys and status. */
static void json_table(struct json *j, const char *key, const struct export_table *et,
		       const struct diff *d, const struct export_opts *o, size_t limit,
		       json_extra_fn extra)
{
	struct field_row *rows;
	struct field_ctx ctx;
	size_t n = export_rows(et, d, o, limit, &rows, &ctx);

	json_array_begin(j, key);
	for (size_t i = 0; i < n; i++) {
		json_object_begin(j, NULL);
		for (size_t k = 0; k < et->t->n; k++)
			json_field(j, &et->t->v[k], &ctx, &rows[i]);
		json_str(j, "status", export_row_status(et, d, &rows[i]));
		if (extra)
			extra(j, d, &rows[i]);
		json_object_end(j);
	}
	json_array_end(j);
	free(rows);
}

/* ---- sockets -------------------------------------------------------------- */

/* Every tcp_info field by the one table (core/tcpinfo.h): what the kernel
 * did not send is null, never 0. */
static void json_tcpinfo(struct json *j, const struct sock_entry *e)
{
	if (!e->has_tcpinfo) {
		json_null(j, "tcp_info");
		return;
	}
	json_object_begin(j, "tcp_info");
	for (int f = 0; f < TI_COUNT; f++) {
		uint64_t v;

		if (sock_tcpinfo_field(e, (enum tcpinfo_field)f, &v))
			json_u64(j, tcpinfo_fields[f].name, v);
		else
			json_null(j, tcpinfo_fields[f].name);
	}
	json_u64(j, "length", e->u.in.tcpinfo_len);
	json_object_end(j);
}

static void json_owners(struct json *j, const struct snapshot *s, const struct sock_entry *e)
{
	const struct sock_owner *ow = sock_owners_of(&s->socks, e);

	if (!s->socks.owners_scanned) {
		json_null(j, "owners");
		return;
	}
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
}

static void json_socket_extra(struct json *j, const struct diff *d, const struct field_row *r)
{
	const struct sock_entry *e = fields_entity(r);

	json_u64(j, "family", e->family);
	json_u64(j, "type", e->type);
	json_u64(j, "protocol", e->protocol);
	json_u64(j, "cookie", e->cookie);
	json_str(j, "source", e->source == SOCK_SRC_DIAG ? "sock_diag" : "procnet");
	if (e->family == AF_INET || e->family == AF_INET6) {
		json_tcpinfo(j, e);
	} else if (e->family == AF_UNIX) {
		json_u64(j, "peer_inode", e->u.un.peer_inode);
		json_u64(j, "pending", e->u.un.pending);
	} else if (e->family == AF_PACKET) {
		json_u64(j, "ifindex", e->u.pk.ifindex);
		json_u64(j, "rx_ring_bytes", e->u.pk.rx_ring_bytes);
		json_u64(j, "tx_ring_bytes", e->u.pk.tx_ring_bytes);
	}
	json_owners(j, d->b, e);
}

static void json_sockets(struct json *j, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;

	if (!export_table_present(&export_sockets, s))
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
	json_table(j, "sockets", &export_sockets, d, o, o->top, json_socket_extra);
}

/* ---- processes, slab, vmalloc ---------------------------------------------- */

static void json_proc_extra(struct json *j, const struct diff *d, const struct field_row *r)
{
	const struct proc_entry *p = fields_entity(r);

	json_u64(j, "starttime", p->starttime);
	json_str(j, "fd_status", p->fd_status == PROC_FD_OK       ? "ok"
				 : p->fd_status == PROC_FD_DENIED ? "denied"
								  : "not_scanned");
}

static void json_slab_extra(struct json *j, const struct diff *d, const struct field_row *r)
{
	const struct slab_cache *c = fields_entity(r);

	json_u64(j, "objperslab", c->objperslab);
	json_u64(j, "pagesperslab", c->pagesperslab);
	json_u64(j, "num_slabs", c->num_slabs);
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
}

static void json_vmalloc_extra(struct json *j, const struct diff *d, const struct field_row *r)
{
	const struct vmalloc_caller *c = fields_entity(r);

	json_u64(j, "pages", c->pages);
}

static void json_slab(struct json *j, const struct diff *d, const struct export_opts *o)
{
	if (!export_table_present(&export_slab, d->b))
		return;
	json_u64(j, "slab_total_bytes", d->b->slab.total_bytes);
	json_table(j, "slab", &export_slab, d, o, 0, json_slab_extra);
}

static void json_vmalloc(struct json *j, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;

	if (!export_table_present(&export_vmalloc, s))
		return;
	json_object_begin(j, "vmalloc");
	json_u64(j, "total_bytes", s->vmalloc.total_bytes);
	json_u64(j, "ioremap_vsize_bytes", s->vmalloc.ioremap_vsize_bytes);
	json_u64(j, "unpurged_areas", s->vmalloc.unpurged_areas);
	json_table(j, "callers", &export_vmalloc, d, o, 0, json_vmalloc_extra);
	json_object_end(j);
}

static void json_processes(struct json *j, const struct diff *d, const struct export_opts *o)
{
	if (!export_table_present(&export_procs, d->b))
		return;
	json_table(j, "processes", &export_procs, d, o, o->top, json_proc_extra);
}

/* ---- cgroups ------------------------------------------------------------------ */

static void json_cgroup_extra(struct json *j, const struct diff *d, const struct field_row *r)
{
	const struct snapshot *s = r->b ? d->b : d->a;
	const struct cgroup_table *t = &s->cgroups;
	const struct cgroup_entry *e = fields_entity(r);

	json_bool(j, "unlimited", e->flags & CGF_UNLIMITED);
	if (e->flags & CGF_DENIED)
		json_str(j, "error", notes_errno_reason(EACCES));
	if (e->parent != CG_NONE)
		json_str(j, "parent", cgroup_path(t, &t->v[e->parent]));
	else
		json_null(j, "parent");
	json_object_begin(j, "stat");
	for (uint32_t i = 0; i < e->kv_n; i++) {
		const struct cgroup_kv *kv = &t->kv[e->kv_first + i];

		json_u64(j, cgroup_str(t, kv->key_off), kv->value);
	}
	json_object_end(j);
	/* Only v1 gives slab caches per cgroup; v2 has no such file. */
	if (e->hier != CG_HIER_V1) {
		json_null(j, "slabinfo");
		return;
	}
	json_array_begin(j, "slabinfo");
	for (uint32_t i = 0; i < e->slab_n; i++) {
		const struct cgroup_slab *sl = &t->slabs[e->slab_first + i];

		json_object_begin(j, NULL);
		json_str(j, "name", cgroup_str(t, sl->name_off));
		json_u64(j, "active_objs", sl->active_objs);
		json_u64(j, "num_objs", sl->num_objs);
		json_u64(j, "objsize", sl->objsize);
		json_u64(j, "bytes", sl->bytes);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_cgroups(struct json *j, const struct diff *d, const struct export_opts *o)
{
	const struct cgroup_table *t = &d->b->cgroups;

	if (!export_table_present(&export_cgroups, d->b))
		return;
	json_object_begin(j, "cgroups");
	json_object_begin(j, "mounts");
	for (int h = 0; h < CG_HIER_COUNT; h++)
		if (t->mount_off[h] != CG_NONE)
			json_str(j, h == CG_HIER_V2 ? "v2" : "v1_memory",
				 cgroup_str(t, t->mount_off[h]));
		else
			json_null(j, h == CG_HIER_V2 ? "v2" : "v1_memory");
	json_object_end(j);
	json_object_begin(j, "memory_controller");
	json_bool(j, "v2", t->memory[CG_HIER_V2]);
	json_bool(j, "v1", t->memory[CG_HIER_V1]);
	json_object_end(j);
	json_bool(j, "hybrid", t->mount_off[CG_HIER_V1] != CG_NONE || t->v1_systemd);
	json_u64(j, "count", t->n);
	json_table(j, "groups", &export_cgroups, d, o, 0, json_cgroup_extra);
	json_object_end(j);
}

/* ---- memory, tmpfs, tcp, stacks, notes --------------------------------------- */

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

static void json_mount(struct json *j, const struct diff *d, const struct diff_row *r)
{
	const struct tmpfs_mount *m = &d->b->tmpfs.v[r->b];

	json_object_begin(j, NULL);
	json_str(j, "mountpoint", m->mountpoint);
	json_str(j, "fstype", m->fstype);
	if (m->has_usage) {
		json_u64(j, "size_bytes", m->size_bytes);
		json_u64(j, "used_bytes", m->used_bytes);
		json_u64(j, "inodes_used", m->inodes_used);
	} else {
		json_null(j, "size_bytes");
		json_null(j, "used_bytes");
		json_null(j, "inodes_used");
	}
	if (d->a && (d->both & SNAP_TMPFS))
		json_i64(j, "delta_used_bytes", r->d_bytes);
	else
		json_null(j, "delta_used_bytes");
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
		for (size_t i = 0; i < d->tmpfs.n; i++)
			if (d->tmpfs.v[i].b != SIZE_MAX)
				json_mount(j, d, &d->tmpfs.v[i]);
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

static void json_triple(struct json *j, const char *key, const uint64_t v[3])
{
	json_array_begin(j, key);
	for (int i = 0; i < 3; i++)
		json_u64(j, NULL, v[i]);
	json_array_end(j);
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
	if (t->has_rmem)
		json_triple(j, "tcp_rmem", t->tcp_rmem);
	if (t->has_wmem)
		json_triple(j, "tcp_wmem", t->tcp_wmem);
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

static void json_thread(struct json *j, const struct kstack_thread *th)
{
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
			json_str(j, "error", kstack_err_reason(p));
		json_u64(j, "threads_total", p->threads_total);
		json_array_begin(j, "threads");
		for (size_t t = 0; t < p->n; t++)
			json_thread(j, &p->threads[t]);
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

/* What leaktop itself spent on this sample. */
static void json_self(struct json *j, const struct snapshot *s)
{
	json_object_begin(j, "self");
	json_double(j, "cpu_ms", (double)s->self.cpu_ns / 1e6);
	if (s->self.rss_bytes)
		json_u64(j, "rss_bytes", s->self.rss_bytes);
	else
		json_null(j, "rss_bytes");
	json_double(j, "duration_ms", (double)s->duration_ns / 1e6);
	json_bool(j, "concurrent", s->self.concurrent);
	for (unsigned int p = 0; p < PHASE_COUNT; p++) {
		char key[32];

		snprintf(key, sizeof(key), "%s_ms", snapshot_phase_name(p));
		json_double(j, key, (double)s->self.phase_ns[p] / 1e6);
	}
	json_object_end(j);
}

void export_json(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;
	struct json j;
	char when[48];

	json_init(&j, f);
	json_object_begin(&j, NULL);
	format_time_utc(&s->t_real, when, sizeof(when));
	json_str(&j, "time", when);
	json_u64(&j, "seq", s->seq);
	if (d->a)
		json_double(&j, "interval_s", d->interval_s);
	else
		json_null(&j, "interval_s");
	json_double(&j, "sample_ms", (double)s->duration_ns / 1e6);
	json_u64(&j, "page_size", (uint64_t)s->page_size);
	json_self(&j, s);
	json_memory(&j, d);
	json_slab(&j, d, o);
	json_vmalloc(&j, d, o);
	json_tmpfs(&j, d);
	json_sockets(&j, d, o);
	json_processes(&j, d, o);
	json_cgroups(&j, d, o);
	json_tcp(&j, d);
	if (o->suspects)
		export_suspects_json(&j, o->suspects);
	json_stacks(&j, o);
	json_notes(&j, s);
	json_object_end(&j);
	fputc('\n', f);
}
