/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Batch output as a plain-text report. The entity tables print their
 * default columns (fields.h: title, width, alignment) through the same
 * formatting as the TUI; every string from the system is in its strsafe
 * form. A section noted missing prints its heading and the reason, and a
 * missing value prints "-", never 0.
 */
#include "export.h"

#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export_rows.h"
#include "format.h"
#include "parse.h"
#include "strsafe.h"

/* Rows shown per table section when --top is 0. */
#define TEXT_SECTION_ROWS 15
/* The widest line a table row makes (columns are cut to their width). */
#define TEXT_LINE_MAX 1024

static size_t text_limit(const struct export_opts *o)
{
	return o->top ? o->top : TEXT_SECTION_ROWS;
}

static void text_missing(FILE *f, const struct snapshot *s, const char *src)
{
	const struct note *n = notes_find(&s->notes, src);
	char msg[sizeof(n->msg) * 4];

	fprintf(f, "  -  %s: %s\n", src, n ? strsafe_str(n->msg, msg, sizeof(msg)) : "not sampled");
}

/* False when the table was not asked for, or is missing: then its heading
 * and the reason are printed, and the caller prints nothing more. */
static bool text_table_present(FILE *f, const struct snapshot *s, const struct export_table *et,
			       const char *heading)
{
	if (!(s->sections & et->section))
		return false;
	if (export_table_present(et, s))
		return true;
	fprintf(f, "%s\n", heading);
	text_missing(f, s, et->src);
	return false;
}

/* ---- entity tables -------------------------------------------------------- */

/* Appends cell s to line as column f; trailing blanks are cut at the end. */
static void text_cell(char *line, const struct field *f, const char *s)
{
	size_t len = strlen(line);

	format_cell(s, f->width, f->left, line + len, TEXT_LINE_MAX - len);
}

static void text_line_end(FILE *f, char *line, const char *suffix)
{
	size_t len = strlen(line);

	while (len && line[len - 1] == ' ')
		line[--len] = '\0';
	fprintf(f, "%s%s\n", line, suffix);
}

/* The default columns of et, a header and then up to text_limit rows. */
static void text_table(FILE *f, const struct export_table *et, const struct diff *d,
		       const struct export_opts *o)
{
	const struct field_table *t = et->t;
	char line[TEXT_LINE_MAX], cell[512];
	struct field_row *rows;
	struct field_ctx ctx;
	size_t n = export_rows(et, d, o, text_limit(o), &rows, &ctx);

	snprintf(line, sizeof(line), " ");
	for (size_t k = 0; k < t->n; k++) {
		if (!t->v[k].shown)
			continue;
		strcat(line, " ");
		text_cell(line, &t->v[k], t->v[k].title);
	}
	text_line_end(f, line, "");
	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof(line), " ");
		for (size_t k = 0; k < t->n; k++) {
			if (!t->v[k].shown)
				continue;
			fields_format(&t->v[k], &ctx, &rows[i], cell, sizeof(cell));
			strcat(line, " ");
			text_cell(line, &t->v[k], cell);
		}
		text_line_end(f, line, rows[i].status == DIFF_GONE ? "  (gone)" : "");
	}
	free(rows);
}

static void text_slab(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;
	char tot[16];

	if (!text_table_present(f, s, &export_slab, "SLAB"))
		return;
	format_bytes(s->slab.total_bytes, tot, sizeof(tot));
	fprintf(f, "SLAB  %zu caches, %s; by growth\n", s->slab.n, tot);
	text_table(f, &export_slab, d, o);
}

static void text_vmalloc(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;
	char tot[16];

	if (!text_table_present(f, s, &export_vmalloc, "VMALLOC"))
		return;
	format_bytes(s->vmalloc.total_bytes, tot, sizeof(tot));
	fprintf(f, "VMALLOC  %s in RAM; by growth\n", tot);
	text_table(f, &export_vmalloc, d, o);
}

static void text_sockets(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;

	if (!text_table_present(f, s, &export_sockets, "SOCKETS"))
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
	text_table(f, &export_sockets, d, o);
}

static void text_processes(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;

	if (!text_table_present(f, s, &export_procs, "PROCESSES"))
		return;
	fprintf(f, "PROCESSES  %zu; by socket memory, then RSS\n", s->procs.n);
	text_table(f, &export_procs, d, o);
}

static void text_cgroups(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct cgroup_table *t = &d->b->cgroups;

	if (!text_table_present(f, d->b, &export_cgroups, "CGROUPS"))
		return;
	fprintf(f, "CGROUPS  %zu", t->n);
	for (int h = 0; h < CG_HIER_COUNT; h++) {
		char mp[PATH_MAX * 4];

		if (t->mount_off[h] == CG_NONE)
			continue;
		strsafe_str(cgroup_str(t, t->mount_off[h]), mp, sizeof(mp));
		fprintf(f, "; %s at %s%s", cgroup_hier_name(h), mp,
			t->memory[h] ? " (memory)" : "");
	}
	fprintf(f, "; by growth\n");
	text_table(f, &export_cgroups, d, o);
}

/* ---- memory, tmpfs, tcp, stacks, notes --------------------------------------- */

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

static void text_mount(FILE *f, const struct diff *d, const struct diff_row *r)
{
	const struct tmpfs_mount *m = &d->b->tmpfs.v[r->b];
	char used[16], size[16], dv[16], raw[4 * 256], mp[40];
	char fs[sizeof(m->fstype) * 4];

	if (!m->has_usage) {
		snprintf(used, sizeof(used), "-");
		snprintf(size, sizeof(size), "-");
	} else {
		format_bytes(m->used_bytes, used, sizeof(used));
		format_bytes(m->size_bytes, size, sizeof(size));
	}
	if (d->a && (d->both & SNAP_TMPFS))
		format_delta_bytes(r->d_bytes, dv, sizeof(dv));
	else
		snprintf(dv, sizeof(dv), "-");
	format_cell(strsafe_str(m->mountpoint, raw, sizeof(raw)), 32, true, mp, sizeof(mp));
	fprintf(f, "  %s %-8s used %7s of %7s %8s\n", mp, strsafe_str(m->fstype, fs, sizeof(fs)),
		used, size, dv);
}

static void text_tmpfs(FILE *f, const struct diff *d)
{
	const struct snapshot *s = d->b;

	if (!(s->sections & SNAP_TMPFS))
		return;
	fprintf(f, "TMPFS\n");
	if (!snapshot_has(s, SRC_TMPFS))
		text_missing(f, s, SRC_TMPFS);
	for (size_t i = 0; i < d->tmpfs.n; i++)
		if (d->tmpfs.v[i].b != SIZE_MAX)
			text_mount(f, d, &d->tmpfs.v[i]);
	if (s->shm.present) {
		char rss[16], orss[16];

		format_bytes(s->shm.rss_bytes, rss, sizeof(rss));
		format_bytes(s->shm.orphan_rss_bytes, orss, sizeof(orss));
		fprintf(f, "  SysV shm: %" PRIu64 " segments, %s resident, %" PRIu64
			   " unattached holding %s\n",
			s->shm.segments, rss, s->shm.orphan_segments, orss);
	}
}

static void text_counters(FILE *f, const struct diff *d)
{
	bool any = false;

	if (!d->a)
		return;
	for (size_t i = 0; i < d->ncounters; i++) {
		char name[4 * sizeof(((struct net_counter *)0)->name)];

		if (!d->counters[i].d)
			continue;
		if (!any)
			fprintf(f, "  counters that moved:");
		any = true;
		fprintf(f, " %s %+" PRId64, strsafe_str(d->counters[i].name, name, sizeof(name)),
			d->counters[i].d);
	}
	if (any)
		fputc('\n', f);
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
	text_counters(f, d);
}

static void text_thread(FILE *f, const struct kstack_thread *th)
{
	char comm[sizeof(th->comm) * 4], wchan[sizeof(th->wchan) * 4];
	char frame[sizeof(th->frames[0]) * 4];

	fprintf(f, "  tid %d %s state %c wchan %s\n", th->tid,
		strsafe_str(th->comm, comm, sizeof(comm)),
		th->state > 0x20 && th->state < 0x7f ? th->state : '?',
		th->wchan[0] ? strsafe_str(th->wchan, wchan, sizeof(wchan)) : "-");
	if (th->stack_err)
		fprintf(f, "    stack: %s\n", notes_errno_reason(th->stack_err));
	for (size_t fr = 0; fr < th->nframes; fr++)
		fprintf(f, "    %s\n", strsafe_str(th->frames[fr], frame, sizeof(frame)));
}

static void text_stacks(FILE *f, const struct export_opts *o)
{
	for (size_t i = 0; i < o->nstacks; i++) {
		const struct kstack_proc *p = &o->stacks[i];

		fprintf(f, "KERNEL STACKS  pid %d", p->pid);
		if (p->err) {
			fprintf(f, ": %s\n", kstack_err_reason(p));
			continue;
		}
		fprintf(f, ", %zu of %zu threads\n", p->n, p->threads_total);
		for (size_t t = 0; t < p->n; t++)
			text_thread(f, &p->threads[t]);
	}
}

static void text_notes(FILE *f, const struct snapshot *s)
{
	for (size_t i = 0; i < s->notes.n; i++) {
		const struct note *n = &s->notes.v[i];
		char msg[sizeof(n->msg) * 4], src[sizeof(n->source) * 4];

		strsafe_str(n->msg, msg, sizeof(msg));
		strsafe_str(n->source, src, sizeof(src));
		if (n->line)
			fprintf(f, "note: %s:%u: %s\n", src, n->line, msg);
		else
			fprintf(f, "%s: %s: %s\n", n->kind == NOTE_MISSING ? "missing" : "note", src,
				msg);
	}
	if (s->notes.dropped)
		fprintf(f, "note: %zu more notes not shown\n", s->notes.dropped);
}

void export_text(FILE *f, const struct diff *d, const struct export_opts *o)
{
	const struct snapshot *s = d->b;
	char when[48];

	format_time_utc(&s->t_real, when, sizeof(when));
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
	text_cgroups(f, d, o);
	text_tcp(f, d);
	if (o->suspects)
		export_suspects_text(f, o->suspects);
	text_stacks(f, o);
	text_notes(f, s);
	fputc('\n', f);
}
