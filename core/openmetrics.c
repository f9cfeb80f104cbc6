/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The exposition writer. Families are written whole (HELP, TYPE, UNIT, then
 * their samples) and only when they have a sample: a section noted missing
 * gives no family at all, never zeros. Entity families are made from the
 * field tables (one family per byte or count column), so a column or a
 * table added there appears here without a second declaration.
 */
#include "openmetrics.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "export_rows.h"
#include "fields.h"
#include "strsafe.h"
#include "suspects.h"
#include "xalloc.h"

/* A label value: a comm or path escaped twice over at most. */
#define OM_LABEL_MAX 1024
#define OM_NAME_MAX 96
#define OM_MAX_LABELS 3

/* ---- escaping ---------------------------------------------------------------- */

size_t om_escape_label(const char *safe, char *out, size_t sz)
{
	size_t o = 0;

	if (!sz)
		return 0;
	for (const char *p = safe; *p; p++) {
		const char *esc = *p == '\\' ? "\\\\" : *p == '"' ? "\\\"" : *p == '\n' ? "\\n" : NULL;
		size_t n = esc ? 2 : 1;

		if (o + n >= sz)
			break;
		if (esc)
			memcpy(out + o, esc, 2);
		else
			out[o] = *p;
		o += n;
	}
	out[o] = '\0';
	return o;
}

size_t om_escape_raw(const char *raw, size_t len, char *out, size_t sz)
{
	char safe[OM_LABEL_MAX];

	strsafe_escape(raw, len, safe, sizeof(safe));
	return om_escape_label(safe, out, sz);
}

/* ---- bounded families ------------------------------------------------------- */

struct om_sort_ctx {
	const struct om_cand *c;
	bool by_growth;
};

/* qsort has no context argument; the selection runs on one thread. */
static struct om_sort_ctx sort_ctx;

static int cmp_desc(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int64_t va = sort_ctx.by_growth ? sort_ctx.c[a].growth : sort_ctx.c[a].value;
	int64_t vb = sort_ctx.by_growth ? sort_ctx.c[b].growth : sort_ctx.c[b].value;

	if (va != vb)
		return va > vb ? -1 : 1;
	return a < b ? -1 : a > b;
}

size_t om_select(const struct om_cand *c, size_t n, size_t top, bool *keep, int64_t *rest)
{
	size_t *idx, kept = 0, m = 0;

	*rest = 0;
	if (!top || n <= top) {
		for (size_t i = 0; i < n; i++)
			keep[i] = true;
		return n;
	}
	idx = xcalloc(n, sizeof(*idx));
	memset(keep, 0, n * sizeof(*keep));
	sort_ctx.c = c;
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	sort_ctx.by_growth = false;
	qsort(idx, n, sizeof(*idx), cmp_desc);
	for (size_t i = 0; i < top; i++)
		keep[idx[i]] = true;
	for (size_t i = 0; i < n; i++)
		if (c[i].has_growth && c[i].growth > 0)
			idx[m++] = i;
	sort_ctx.by_growth = true;
	qsort(idx, m, sizeof(*idx), cmp_desc);
	for (size_t i = 0; i < m && i < top; i++)
		keep[idx[i]] = true;
	for (size_t i = 0; i < n; i++) {
		if (keep[i])
			kept++;
		else
			*rest += c[i].value;
	}
	free(idx);
	return kept;
}

/* ---- the writer ------------------------------------------------------------------ */

struct om_w {
	FILE *f;
	enum om_dialect dialect;
	size_t top;
};

enum om_type { OM_GAUGE, OM_COUNTER };

struct om_label {
	const char *name;
	const char *value;	/* escaped already */
};

/* A counter's family is named without _total in OpenMetrics and with it in
 * the 0.0.4 text format; its samples always carry _total. */
static void family(struct om_w *w, const char *name, enum om_type type, const char *unit,
		   const char *help)
{
	const char *suffix = type == OM_COUNTER && w->dialect == OM_PROMETHEUS ? "_total" : "";

	fprintf(w->f, "# HELP %s%s %s\n", name, suffix, help);
	fprintf(w->f, "# TYPE %s%s %s\n", name, suffix, type == OM_COUNTER ? "counter" : "gauge");
	if (unit && w->dialect == OM_OPENMETRICS)
		fprintf(w->f, "# UNIT %s %s\n", name, unit);
}

static void sample_head(struct om_w *w, const char *name, const char *suffix,
			const struct om_label *l, size_t nl)
{
	fprintf(w->f, "%s%s", name, suffix);
	if (nl) {
		fputc('{', w->f);
		for (size_t i = 0; i < nl; i++)
			fprintf(w->f, "%s%s=\"%s\"", i ? "," : "", l[i].name, l[i].value);
		fputc('}', w->f);
	}
}

static void sample_i64(struct om_w *w, const char *name, const struct om_label *l, size_t nl,
		       int64_t v)
{
	sample_head(w, name, "", l, nl);
	fprintf(w->f, " %" PRId64 "\n", v);
}

static void sample_dbl(struct om_w *w, const char *name, const struct om_label *l, size_t nl,
		       double v)
{
	sample_head(w, name, "", l, nl);
	fprintf(w->f, " %.9g\n", v);
}

/* A gauge family with one unlabelled sample. */
static void gauge1(struct om_w *w, const char *name, const char *unit, const char *help,
		   int64_t v)
{
	family(w, name, OM_GAUGE, unit, help);
	sample_i64(w, name, NULL, 0, v);
}

/* ---- memory --------------------------------------------------------------------- */

static void om_memory(struct om_w *w, const struct diff *d)
{
	const struct snapshot *s = d->b;
	const struct mem_derived *m = &s->mem;
	static const char cls_name[] = "leaktop_memory_class_bytes";
	static const char x_name[] = "leaktop_memory_bytes";

	if (!(s->sections & SNAP_MEM) || !snapshot_has(s, SRC_MEMINFO) || !m->valid)
		return;
	family(w, cls_name, OM_GAUGE, "bytes",
	       "MemTotal split into classes that add up; unaccounted is what no counter explains");
	for (int c = 0; c < MEM_CLASS_COUNT; c++) {
		struct om_label l = { "class", mem_class_name(c) };

		if (m->cls_present & (1u << c))
			sample_i64(w, cls_name, &l, 1, m->cls[c]);
	}
	if (!m->extra_present)
		return;
	family(w, x_name, OM_GAUGE, "bytes",
	       "Figures beside the partition: total, available, used, slab, swap_used");
	for (int x = 0; x < MEM_X_COUNT; x++) {
		struct om_label l = { "figure", mem_extra_name(x) };

		if (m->extra_present & (1u << x))
			sample_i64(w, x_name, &l, 1, m->extra[x]);
	}
}

/* ---- entity tables ------------------------------------------------------------- */

/*
 * How a field table becomes families: their name prefix, the columns that
 * name an entity (labels, with the label name when it differs from the
 * column id) and the identity or presentation columns that are numbers but
 * no measurement (a cgroup's depth). Sockets are too many and too
 * short-lived to be series each: they are summed per kind and state instead.
 */
struct om_label_col {
	const char *column;		/* column id */
	const char *label;		/* label name; NULL: the column id */
};

struct om_table {
	const char *table;		/* field_table name */
	const char *prefix;
	struct om_label_col labels[OM_MAX_LABELS];	/* NULL-terminated */
	const char *other;		/* label of the rest series; NULL: the first */
	const char *exclude[OM_MAX_LABELS];	/* column ids that are no family */
	bool aggregate;			/* sum per labels instead of one series per entity */
};

static const struct om_table om_tables[] = {
	{ "processes", "leaktop_process", { { "pid" }, { "comm" } } },
	{ "slab", "leaktop_slab_cache", { { "name" } } },
	{ "vmalloc", "leaktop_vmalloc_caller", { { "caller" }, { "kind" } } },
	{ "sockets", "leaktop_sockets", { { "kind" }, { "state" } }, .aggregate = true },
	/* One name can be a cgroup of both hierarchies on a hybrid host: the
	 * hierarchy and the path make a series unique, the name is for people. */
	{ "cgroups", "leaktop_cgroup", { { "hier", "hierarchy" }, { "path" }, { "name" } },
	  .other = "path", .exclude = { "depth", "id" } },
};

/* A table without an entry above (one added later) is named after the
 * table and labelled by its first text column. */
static void om_table_for(const struct field_table *t, struct om_table *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < ARRAY_SIZE(om_tables); i++) {
		if (strcmp(om_tables[i].table, t->name) == 0) {
			*out = om_tables[i];
			return;
		}
	}
	out->table = t->name;
	out->prefix = NULL;
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].unit == FU_TEXT) {
			out->labels[0].column = t->v[i].id;
			break;
		}
	}
}

static const char *label_name(const struct om_label_col *lc)
{
	return lc->label ? lc->label : lc->column;
}

/* The label of the series that holds the rest of a bounded family. */
static const char *other_label(const struct om_table *ot)
{
	return ot->other ? ot->other : ot->labels[0].column ? label_name(&ot->labels[0]) : "entity";
}

/* Columns that are a level now (not deltas, rates, ids, text, labels or
 * identity numbers). */
static bool om_column(const struct om_table *ot, const struct field *f)
{
	if (f->unit != FU_BYTES && f->unit != FU_COUNT)
		return false;
	for (size_t i = 0; i < OM_MAX_LABELS && ot->labels[i].column; i++)
		if (strcmp(ot->labels[i].column, f->id) == 0)
			return false;
	for (size_t i = 0; i < OM_MAX_LABELS && ot->exclude[i]; i++)
		if (strcmp(ot->exclude[i], f->id) == 0)
			return false;
	return true;
}

/* Column ids that would make a misleading metric name: "_total" belongs
 * to counters; a cgroup's bare "current" or "max" says nothing of memory;
 * memory.events counts are named after the file. */
static const struct {
	const char *table, *column, *metric;
} om_renames[] = {
	{ "slab", "total", "allocated_objects" },
	{ "cgroups", "current", "memory_current" },
	{ "cgroups", "max", "memory_max" },
	{ "cgroups", "slab_r", "slab_reclaimable" },
	{ "cgroups", "slab_u", "slab_unreclaimable" },
	{ "cgroups", "ev_high", "memory_events_high" },
	{ "cgroups", "ev_max", "memory_events_max" },
	{ "cgroups", "oom", "memory_events_oom" },
	{ "cgroups", "oom_kill", "memory_events_oom_kill" },
};

static void metric_name(const char *prefix, const char *table, const struct field *f, char *out,
			size_t sz)
{
	const char *id = f->id;
	size_t len;
	bool bytes;

	for (size_t i = 0; i < ARRAY_SIZE(om_renames); i++)
		if (strcmp(om_renames[i].table, table) == 0 && strcmp(om_renames[i].column, id) == 0)
			id = om_renames[i].metric;
	len = strlen(id);
	bytes = f->unit == FU_BYTES && !(len >= 5 && strcmp(id + len - 5, "bytes") == 0);
	if (prefix)
		snprintf(out, sz, "%s_%s%s", prefix, id, bytes ? "_bytes" : "");
	else
		snprintf(out, sz, "leaktop_%s_%s%s", table, id, bytes ? "_bytes" : "");
}

/* The entity's labels, escaped, into buf (OM_MAX_LABELS x OM_LABEL_MAX). */
static size_t entity_labels(const struct om_table *ot, const struct field_table *t,
			    const struct field_ctx *c, const struct field_row *r,
			    char buf[][OM_LABEL_MAX], struct om_label *l)
{
	size_t n = 0;

	for (size_t i = 0; i < OM_MAX_LABELS && ot->labels[i].column; i++) {
		const struct field *f = fields_find(t, ot->labels[i].column);
		char text[OM_LABEL_MAX];

		if (!f)
			continue;
		fields_format(f, c, r, text, sizeof(text));
		om_escape_label(text, buf[n], OM_LABEL_MAX);
		l[n].name = label_name(&ot->labels[i]);
		l[n].value = buf[n];
		n++;
	}
	return n;
}

/* The value of f for the entity of r in the earlier sample. */
static bool earlier_value(const struct field *f, const struct field_ctx *c,
			  const struct field_row *r, int64_t *out)
{
	struct field_ctx ca = { .a = NULL, .b = c->a, .interval_s = 0 };
	struct field_row ra = { .b = r->a, .a = NULL, .status = DIFF_NEW };

	return c->a && r->a && fields_value(f, &ca, &ra, out);
}

static void om_entity_family(struct om_w *w, const struct om_table *ot,
			     const struct field_table *t, const struct field *f,
			     const struct field_ctx *c, const struct field_row *rows, size_t n)
{
	struct om_cand *cand = xcalloc(n + 1, sizeof(*cand));
	size_t *at = xcalloc(n + 1, sizeof(*at));
	bool *keep = xcalloc(n + 1, sizeof(*keep));
	size_t m = 0;
	char name[OM_NAME_MAX], help[256];
	int64_t rest;

	for (size_t i = 0; i < n; i++) {
		int64_t v, a;

		if (!fields_value(f, c, &rows[i], &v))
			continue;
		cand[m].value = v;
		if (earlier_value(f, c, &rows[i], &a)) {
			cand[m].growth = v - a;
			cand[m].has_growth = true;
		} else if (c->a && rows[i].status == DIFF_NEW) {
			cand[m].growth = v;
			cand[m].has_growth = true;
		}
		at[m++] = i;
	}
	if (m) {
		size_t kept = om_select(cand, m, w->top, keep, &rest);

		metric_name(ot->prefix, t->name, f, name, sizeof(name));
		snprintf(help, sizeof(help), "%s (%s; top %zu by size and by growth, rest in other)",
			 f->help, t->name, w->top);
		family(w, name, OM_GAUGE, f->unit == FU_BYTES ? "bytes" : NULL, help);
		for (size_t i = 0; i < m; i++) {
			char buf[OM_MAX_LABELS][OM_LABEL_MAX];
			struct om_label l[OM_MAX_LABELS];
			size_t nl;

			if (!keep[i])
				continue;
			nl = entity_labels(ot, t, c, &rows[at[i]], buf, l);
			sample_i64(w, name, l, nl, cand[i].value);
		}
		if (kept < m) {
			struct om_label l = { other_label(ot), "other" };

			sample_i64(w, name, &l, 1, rest);
		}
	}
	free(cand);
	free(at);
	free(keep);
}

/* One group of an aggregated table: its first row names it. */
struct om_group {
	int64_t key[2];
	size_t first;
	int64_t count;
	int64_t sum;
};

static size_t group_of(struct om_group **g, size_t *ng, const int64_t key[2], size_t row)
{
	for (size_t i = 0; i < *ng; i++)
		if ((*g)[i].key[0] == key[0] && (*g)[i].key[1] == key[1])
			return i;
	*g = xrealloc(*g, (*ng + 1) * sizeof(**g));
	memset(&(*g)[*ng], 0, sizeof(**g));
	(*g)[*ng].key[0] = key[0];
	(*g)[*ng].key[1] = key[1];
	(*g)[*ng].first = row;
	return (*ng)++;
}

/* Per group of the two label columns (state-like numbers): the entity count
 * and the sum of every level column. */
static void om_aggregate(struct om_w *w, const struct om_table *ot, const struct field_table *t,
			 const struct field_ctx *c, const struct field_row *rows, size_t n)
{
	const struct field *kf = fields_find(t, ot->labels[0].column);
	const struct field *sf = ot->labels[1].column ? fields_find(t, ot->labels[1].column) : NULL;
	struct om_group *g = NULL;
	size_t ng = 0, *gi = xcalloc(n + 1, sizeof(*gi));
	char name[OM_NAME_MAX];

	if (!kf)
		goto out;
	for (size_t i = 0; i < n; i++) {
		int64_t key[2] = { 0, 0 };

		fields_value(kf, c, &rows[i], &key[0]);
		if (sf)
			fields_value(sf, c, &rows[i], &key[1]);
		gi[i] = group_of(&g, &ng, key, i);
		g[gi[i]].count++;
	}
	if (!ng)
		goto out;
	snprintf(name, sizeof(name), "%s", ot->prefix);
	family(w, name, OM_GAUGE, NULL, "Sockets per kind and state");
	for (size_t k = 0; k < ng; k++) {
		char buf[OM_MAX_LABELS][OM_LABEL_MAX];
		struct om_label l[OM_MAX_LABELS];
		size_t nl = entity_labels(ot, t, c, &rows[g[k].first], buf, l);

		sample_i64(w, name, l, nl, g[k].count);
	}
	for (size_t fi = 0; fi < t->n; fi++) {
		const struct field *f = &t->v[fi];
		char help[256];
		bool any = false;

		if (!om_column(ot, f))
			continue;
		for (size_t k = 0; k < ng; k++)
			g[k].sum = 0;
		for (size_t i = 0; i < n; i++) {
			int64_t v;

			if (fields_value(f, c, &rows[i], &v)) {
				g[gi[i]].sum += v;
				any = true;
			}
		}
		if (!any)
			continue;
		metric_name(ot->prefix, t->name, f, name, sizeof(name));
		snprintf(help, sizeof(help), "%s, summed per kind and state", f->help);
		family(w, name, OM_GAUGE, f->unit == FU_BYTES ? "bytes" : NULL, help);
		for (size_t k = 0; k < ng; k++) {
			char buf[OM_MAX_LABELS][OM_LABEL_MAX];
			struct om_label l[OM_MAX_LABELS];
			size_t nl = entity_labels(ot, t, c, &rows[g[k].first], buf, l);

			sample_i64(w, name, l, nl, g[k].sum);
		}
	}
out:
	free(g);
	free(gi);
}

static bool table_present(const struct field_table *t, const struct snapshot *s)
{
	static const struct export_table *const known[] = {
		&export_sockets, &export_procs, &export_slab, &export_vmalloc,
	};

	for (size_t i = 0; i < ARRAY_SIZE(known); i++)
		if (known[i]->t == t)
			return export_table_present(known[i], s);
	return t->needs && (s->sections & t->needs) == t->needs;
}

static void om_entities(struct om_w *w, const struct diff *d)
{
	for (const struct field_table *const *tp = fields_tables; *tp; tp++) {
		const struct field_table *t = *tp;
		struct om_table ot;
		struct field_row *rows;
		struct field_ctx ctx;
		size_t n;

		if (!table_present(t, d->b))
			continue;
		om_table_for(t, &ot);
		n = fields_rows(t, d, d->b, false, false, &rows);
		fields_ctx(fields_paired(t, d) ? d : NULL, d->b, &ctx);
		if (ot.aggregate) {
			om_aggregate(w, &ot, t, &ctx, rows, n);
		} else {
			for (size_t fi = 0; fi < t->n; fi++)
				if (om_column(&ot, &t->v[fi]))
					om_entity_family(w, &ot, t, &t->v[fi], &ctx, rows, n);
		}
		free(rows);
	}
}

/* ---- tmpfs ------------------------------------------------------------------------ */

static void om_tmpfs(struct om_w *w, const struct diff *d)
{
	const struct snapshot *s = d->b;
	static const char name[] = "leaktop_tmpfs_used_bytes";
	struct om_cand *cand;
	size_t *at, m = 0;
	bool *keep;
	int64_t rest;

	if (!(s->sections & SNAP_TMPFS))
		return;
	if (s->shm.present) {
		gauge1(w, "leaktop_sysv_shm_rss_bytes", "bytes",
		       "Resident SysV shared memory", (int64_t)s->shm.rss_bytes);
		gauge1(w, "leaktop_sysv_shm_orphan_rss_bytes", "bytes",
		       "Resident SysV shared memory no process attaches", (int64_t)s->shm.orphan_rss_bytes);
	}
	if (!snapshot_has(s, SRC_TMPFS) || !d->tmpfs.n)
		return;
	gauge1(w, "leaktop_tmpfs_total_used_bytes", "bytes",
	       "Used bytes of every tmpfs and ramfs device, each counted once",
	       (int64_t)s->tmpfs.total_used_bytes);
	cand = xcalloc(d->tmpfs.n, sizeof(*cand));
	at = xcalloc(d->tmpfs.n, sizeof(*at));
	keep = xcalloc(d->tmpfs.n, sizeof(*keep));
	for (size_t i = 0; i < d->tmpfs.n; i++) {
		const struct diff_row *r = &d->tmpfs.v[i];

		if (r->b == SIZE_MAX || !s->tmpfs.v[r->b].has_usage)
			continue;
		/* Mounts stacked on one path are one series: the top one is
		 * what the path shows. */
		if (m && strcmp(s->tmpfs.v[at[m - 1]].mountpoint, s->tmpfs.v[r->b].mountpoint) == 0) {
			if (s->tmpfs.v[r->b].order < s->tmpfs.v[at[m - 1]].order)
				continue;
			m--;
		}
		cand[m].value = (int64_t)s->tmpfs.v[r->b].used_bytes;
		cand[m].has_growth = d->a && (d->both & SNAP_TMPFS);
		cand[m].growth = r->d_bytes;
		at[m++] = r->b;
	}
	if (m) {
		size_t kept = om_select(cand, m, w->top, keep, &rest);

		family(w, name, OM_GAUGE, "bytes",
		       "Used bytes of a tmpfs or ramfs mount (top N by size and by growth)");
		for (size_t i = 0; i < m; i++) {
			const struct tmpfs_mount *mt = &s->tmpfs.v[at[i]];
			char mp[OM_LABEL_MAX], fs[64];
			struct om_label l[2] = { { "mountpoint", mp }, { "fstype", fs } };

			if (!keep[i])
				continue;
			om_escape_raw(mt->mountpoint, strlen(mt->mountpoint), mp, sizeof(mp));
			om_escape_raw(mt->fstype, strnlen(mt->fstype, sizeof(mt->fstype)), fs,
				      sizeof(fs));
			sample_i64(w, name, l, 2, cand[i].value);
		}
		if (kept < m) {
			struct om_label l = { "mountpoint", "other" };

			sample_i64(w, name, &l, 1, rest);
		}
	}
	free(cand);
	free(at);
	free(keep);
}

/* ---- tcp ----------------------------------------------------------------------------- */

static void om_tcp(struct om_w *w, const struct diff *d)
{
	const struct snapshot *s = d->b;
	const struct tcpmem *t = &s->tcp;
	int64_t page = s->page_size;

	if (!(s->sections & SNAP_TCP))
		return;
	if (t->has_sockstat) {
		gauge1(w, "leaktop_tcp_memory_bytes", "bytes",
		       "TCP socket buffer memory the kernel charges (sockstat mem)",
		       (int64_t)t->tcp_mem_bytes);
		gauge1(w, "leaktop_tcp_orphans", NULL, "Orphaned TCP sockets (sockstat orphan)",
		       (int64_t)t->tcp_orphan);
		gauge1(w, "leaktop_tcp_time_wait", NULL, "TCP sockets in TIME-WAIT (sockstat tw)",
		       (int64_t)t->tcp_tw);
		gauge1(w, "leaktop_tcp_allocated", NULL, "Allocated TCP sockets (sockstat alloc)",
		       (int64_t)t->tcp_alloc);
		gauge1(w, "leaktop_udp_memory_bytes", "bytes", "UDP socket buffer memory (sockstat mem)",
		       (int64_t)t->udp_mem_bytes);
	}
	if (t->has_tcp_mem && page > 0) {
		static const char name[] = "leaktop_tcp_memory_limit_bytes";
		static const char *const lim[3] = { "min", "pressure", "max" };
		const uint64_t v[3] = { t->tcp_mem_min, t->tcp_mem_pressure, t->tcp_mem_max };

		family(w, name, OM_GAUGE, "bytes",
		       "net.ipv4.tcp_mem thresholds: min, pressure (the kernel starts to shrink "
		       "buffers), max (allocations fail)");
		for (int i = 0; i < 3; i++) {
			struct om_label l = { "limit", lim[i] };

			sample_i64(w, name, &l, 1, (int64_t)v[i] * page);
		}
	}
	if (t->has_max_orphans)
		gauge1(w, "leaktop_tcp_max_orphans", NULL, "net.ipv4.tcp_max_orphans",
		       (int64_t)t->tcp_max_orphans);
	if (t->has_pressure_flag)
		gauge1(w, "leaktop_tcp_under_pressure", NULL,
		       "1 while TCP is in memory pressure (/proc/net/protocols press)",
		       t->under_pressure);
	if ((s->sections & SNAP_SOCKETS) && s->socks.kind_ok[SK_TCP]) {
		static const char name[] = "leaktop_tcp_sockets";

		family(w, name, OM_GAUGE, NULL, "TCP sockets per state (sock_diag)");
		for (size_t st = 1; st < ARRAY_SIZE(s->tcp_states); st++) {
			struct sock_entry probe = { .kind = SK_TCP, .state = (uint8_t)st };
			struct om_label l = { "state", sock_state_name(&probe) };

			if (s->tcp_states[st] && l.value)
				sample_i64(w, name, &l, 1, s->tcp_states[st]);
		}
	}
}

/* ---- suspects -------------------------------------------------------------------------- */

static void om_suspects(struct om_w *w, const struct suspect_list *sl)
{
	static const char rate[] = "leaktop_suspect_rate_bytes_per_second";
	static const char conf[] = "leaktop_suspect_confidence";
	static const char grow[] = "leaktop_suspect_growth_bytes";
	size_t n = sl->n;

	if (w->top && n > w->top)
		n = w->top;
	gauge1(w, "leaktop_suspects", NULL, "Suspects above the threshold (all, not only those listed)",
	       (int64_t)sl->n);
	if (!n)
		return;
	for (int pass = 0; pass < 3; pass++) {
		const char *name = pass == 0 ? rate : pass == 1 ? conf : grow;

		if (pass == 0)
			family(w, name, OM_GAUGE, "bytes_per_second",
			       "Growth rate of a ranked leak suspect (rank 1 = most likely)");
		else if (pass == 1)
			family(w, name, OM_GAUGE, NULL, "Confidence of a suspect, 0 to 1");
		else
			family(w, name, OM_GAUGE, "bytes", "Bytes a suspect grew since first seen");
		for (size_t i = 0; i < n; i++) {
			const struct suspect *sp = &sl->v[i];
			char rank[16], subj[OM_LABEL_MAX];
			struct om_label l[3] = {
				{ "rank", rank },
				{ "kind", suspect_kind_name(sp->kind) },
				{ "subject", subj },
			};
			double v = pass == 0 ? sp->rate_bytes_h / 3600.0
				   : pass == 1 ? sp->confidence
					       : sp->growth;

			snprintf(rank, sizeof(rank), "%" PRIu32, sp->rank);
			om_escape_raw(sp->subject_text, strnlen(sp->subject_text, sizeof(sp->subject_text)),
				      subj, sizeof(subj));
			sample_dbl(w, name, l, 3, v);
		}
	}
}

/* ---- leaktop itself ------------------------------------------------------------------- */

/* A source noted missing twice is one series. */
static bool note_seen_before(const struct snapshot *s, size_t i)
{
	for (size_t k = 0; k < i; k++)
		if (s->notes.v[k].kind == NOTE_MISSING &&
		    strcmp(s->notes.v[k].source, s->notes.v[i].source) == 0)
			return true;
	return false;
}

static void om_self(struct om_w *w, const struct snapshot *s)
{
	static const char missing[] = "leaktop_source_missing";
	static const char samples[] = "leaktop_samples";
	bool any = false;

	family(w, samples, OM_COUNTER, NULL, "Samples taken since leaktop started");
	sample_head(w, samples, "_total", NULL, 0);
	fprintf(w->f, " %" PRIu64 "\n", s->seq);
	family(w, "leaktop_sample_duration_seconds", OM_GAUGE, "seconds",
	       "Wall time the last sample took");
	sample_dbl(w, "leaktop_sample_duration_seconds", NULL, 0, (double)s->duration_ns / 1e9);
	family(w, "leaktop_sample_cpu_seconds", OM_GAUGE, "seconds",
	       "CPU time leaktop spent on the last sample");
	sample_dbl(w, "leaktop_sample_cpu_seconds", NULL, 0, (double)s->self.cpu_ns / 1e9);
	if (s->self.rss_bytes)
		gauge1(w, "leaktop_self_rss_bytes", "bytes", "leaktop's own resident set",
		       (int64_t)s->self.rss_bytes);
	for (size_t i = 0; i < s->notes.n; i++) {
		char src[OM_LABEL_MAX];
		struct om_label l = { "source", src };

		if (s->notes.v[i].kind != NOTE_MISSING || note_seen_before(s, i))
			continue;
		if (!any)
			family(w, missing, OM_GAUGE, NULL,
			       "1 for a source that could not be read (its families are absent)");
		any = true;
		om_escape_raw(s->notes.v[i].source, strlen(s->notes.v[i].source), src, sizeof(src));
		sample_i64(w, missing, &l, 1, 1);
	}
}

void om_write(FILE *f, const struct diff *d, const struct om_opts *o)
{
	struct om_w w = { .f = f, .dialect = o->dialect, .top = o->top };

	om_self(&w, d->b);
	om_memory(&w, d);
	om_tmpfs(&w, d);
	om_tcp(&w, d);
	om_entities(&w, d);
	if (o->suspects)
		om_suspects(&w, o->suspects);
	if (w.dialect == OM_OPENMETRICS)
		fputs("# EOF\n", f);
}
