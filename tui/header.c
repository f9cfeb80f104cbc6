/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Header meters drawn from the shown snapshot; the sparklines read the
 * history ring up to that snapshot, so a frozen display is frozen all over.
 * A figure the snapshot lacks is drawn as "-" with its reason.
 */
#include "config.h"

#include "header.h"

#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "evidence.h"
#include "format.h"
#include "meter.h"
#include "parse.h"
#include "missing.h"
#include "sparkline.h"
#include "tabs.h"
#include "text.h"
#include "theme.h"
#include "trend.h"

#define SPARK_W 10

int header_height(int lines)
{
	if (lines >= 20)
		return 7;
	if (lines >= 12)
		return 3;
	return 0;
}

enum hseg {
	HS_ANON,
	HS_CACHE,
	HS_SHMEM,
	HS_SLAB_R,
	HS_SLAB_U,
	HS_VMALLOC,
	HS_PT_KSTACK,
	HS_OTHER,
	HS_UNACC,
	HS_FREE,
	HS_COUNT,
};

static const struct {
	const char *name;
	char ch;
	int el;
} hseg_info[HS_COUNT] = {
	[HS_ANON] = { "anon", 'a', EL_METER_ANON },
	[HS_CACHE] = { "cache", 'c', EL_METER_CACHE },
	[HS_SHMEM] = { "shmem", 's', EL_METER_SHMEM },
	[HS_SLAB_R] = { "slabR", 'r', EL_METER_SLAB_R },
	[HS_SLAB_U] = { "slabU", 'U', EL_METER_SLAB_U },
	[HS_VMALLOC] = { "vmalloc", 'v', EL_METER_VMALLOC },
	[HS_PT_KSTACK] = { "pt+kstk", 'p', EL_METER_PT },
	[HS_OTHER] = { "other", 'o', EL_METER_OTHER },
	[HS_UNACC] = { "unacc", '?', EL_METER_UNACC },
	[HS_FREE] = { "free", '.', EL_METER_FREE },
};

static void mem_groups(const struct mem_derived *m, int64_t g[HS_COUNT])
{
	g[HS_ANON] = m->cls[MEM_ANON];
	g[HS_CACHE] = m->cls[MEM_PAGE_CACHE];
	g[HS_SHMEM] = m->cls[MEM_SHMEM];
	g[HS_SLAB_R] = m->cls[MEM_SLAB_RECL];
	g[HS_SLAB_U] = m->cls[MEM_SLAB_UNRECL];
	g[HS_VMALLOC] = m->cls[MEM_VMALLOC];
	g[HS_PT_KSTACK] = m->cls[MEM_PAGETABLES] + m->cls[MEM_KSTACK];
	/* The parts carved out of unaccounted stay apart from it, so that
	 * "unacc" is only what nothing explains. */
	g[HS_OTHER] = m->cls[MEM_KRECL_OTHER] + m->cls[MEM_PERCPU] + m->cls[MEM_HUGETLB] +
		      m->cls[MEM_OTHER_KERNEL] + m->cls[MEM_PCP_FREE] + m->cls[MEM_SOCK_PAGES] +
		      m->cls[MEM_VMSTAT_OTHER];
	g[HS_UNACC] = m->cls[MEM_UNACCOUNTED];
	g[HS_FREE] = m->cls[MEM_FREE];
}

static int put(int y, int x, int w, const char *s, int el)
{
	if (x >= w)
		return x;
	return x + text_put(y, x, s, w - x, theme_attr(el));
}

static void draw_mem(const struct snapshot *s, int y, int w, int legend_lines)
{
	const struct mem_derived *m = &s->mem;
	struct meter_seg segs[HS_COUNT - 1];
	int64_t g[HS_COUNT];
	char used[32], total[32], buf[96];
	int x, tail_w, line = 0;
	const char *why = missing_reason(s, SRC_MEMINFO, SNAP_MEM);

	x = put(y, 0, w, "Mem", EL_LABEL);
	if (why || !m->valid) {
		snprintf(buf, sizeof(buf), " -  meminfo: %s",
			 why ? why : "MemTotal or MemFree missing");
		put(y, x, w, buf, EL_MISSING);
		return;
	}
	mem_groups(m, g);
	for (int i = 0; i < HS_FREE; i++)
		segs[i] = (struct meter_seg){ .value = g[i] > 0 ? (uint64_t)g[i] : 0,
					      .ch = hseg_info[i].ch,
					      .el = hseg_info[i].el };
	format_bytes((uint64_t)m->extra[MEM_X_USED], used, sizeof(used));
	format_bytes((uint64_t)m->extra[MEM_X_TOTAL], total, sizeof(total));
	snprintf(buf, sizeof(buf), " %s/%s", used, total);
	if (m->extra_present & (1u << MEM_X_AVAILABLE)) {
		char av[32];

		format_bytes((uint64_t)m->extra[MEM_X_AVAILABLE], av, sizeof(av));
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), " avail %s", av);
	}
	tail_w = text_width(buf);
	if (w - x - tail_w >= 10) {
		meter_draw(y, x, w - x - tail_w, segs, HS_FREE, NULL, 0,
			   (uint64_t)m->extra[MEM_X_TOTAL]);
		put(y, w - tail_w, w, buf, EL_VALUE);
	} else {
		put(y, x, w, buf, EL_VALUE);
	}
	/* Legend: letter, name, value; wrapped over the lines given. */
	x = 1;
	for (int i = 0; i < HS_COUNT && line < legend_lines; i++) {
		char v[32], item[64];
		int iw;

		tabs_fmt_sbytes(g[i], v, sizeof(v));
		snprintf(item, sizeof(item), "%c %s %s", hseg_info[i].ch, hseg_info[i].name, v);
		iw = text_width(item) + 2;
		if (x + iw > w && x > 1) {
			line++;
			x = 1;
			if (line >= legend_lines)
				break;
		}
		snprintf(buf, sizeof(buf), "%c", hseg_info[i].ch);
		put(y + 1 + line, x, w, buf, hseg_info[i].el);
		snprintf(item, sizeof(item), " %s ", hseg_info[i].name);
		put(y + 1 + line, x + 1, w, item, EL_LABEL);
		put(y + 1 + line, x + 1 + text_width(item), w, v,
		    i == HS_UNACC || i == HS_SLAB_U ? EL_WARN : EL_VALUE);
		x += iw;
	}
}

static void draw_tcp(const struct snapshot *s, int y, int w)
{
	const struct tcpmem *t = &s->tcp;
	char buf[160], a[32], b[32], c[32];
	int x = put(y, 0, w, "TCP", EL_LABEL);
	const char *why = missing_reason(s, SRC_TCP, SNAP_TCP);

	if (why || !t->has_sockstat || !t->has_tcp_mem) {
		snprintf(buf, sizeof(buf), " -  tcp: %s",
			 why		    ? why
			 : !t->has_sockstat ? "sockstat not read"
					    : "tcp_mem not read");
		put(y, x, w, buf, EL_MISSING);
		return;
	}
	format_bytes(t->tcp_mem_bytes, a, sizeof(a));
	format_bytes(sat_mul_u64(t->tcp_mem_pressure, (uint64_t)s->page_size), b, sizeof(b));
	format_bytes(sat_mul_u64(t->tcp_mem_max, (uint64_t)s->page_size), c, sizeof(c));
	snprintf(buf, sizeof(buf), " %s press %s max %s%s", a, b, c,
		 t->has_pressure_flag && t->under_pressure ? " PRESSURE" : "");
	if (t->has_max_orphans)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "  orphans %llu/%llu",
			 (unsigned long long)t->tcp_orphan, (unsigned long long)t->tcp_max_orphans);
	else
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "  orphans %llu",
			 (unsigned long long)t->tcp_orphan);
	{
		int tw = text_width(buf), bw = w - x - tw;
		struct meter_seg seg = { .value = t->tcp_mem_pages, .ch = '#', .el = EL_METER_TCP };
		struct meter_mark mk = { .at = t->tcp_mem_pressure,
					 .ch = '|',
					 .el = EL_METER_MARK };

		if (bw > 40)
			bw = 40;
		if (bw >= 8) {
			meter_draw(y, x, bw, &seg, 1, &mk, 1, t->tcp_mem_max ? t->tcp_mem_max : 1);
			x += bw;
		}
		put(y, x, w, buf, t->tcp_mem_pages >= t->tcp_mem_pressure ? EL_WARN : EL_VALUE);
	}
}

static void draw_states(const struct snapshot *s, int y, int w)
{
	char buf[96];
	int x = put(y, 0, w, "Sockets", EL_LABEL);

	if (s->sections & SNAP_SOCKETS && !notes_is_missing(&s->notes, SRC_SOCKETS)) {
		snprintf(buf, sizeof(buf), " %zu", s->socks.n);
		x = put(y, x, w, buf, EL_VALUE);
		x = put(y, x, w, " tcp:", EL_LABEL);
		for (int i = 1; i < 16; i++) {
			const char *n = tabs_tcp_state_name(i);

			if (!n || !s->tcp_states[i])
				continue;
			snprintf(buf, sizeof(buf), " %s", n);
			x = put(y, x, w, buf, EL_LABEL);
			snprintf(buf, sizeof(buf), " %u", s->tcp_states[i]);
			x = put(y, x, w, buf, i == 8 ? EL_WARN : EL_VALUE);
		}
		/* Owners may come from the last walk of most processes: say how
		 * fresh they are, as the schedule is deterministic. */
		if (s->socks.owners_scanned) {
			char how[64];

			sock_owners_scan_describe(&s->socks, how, sizeof(how));
			snprintf(buf, sizeof(buf), "  owners: %s", how);
			put(y, x, w, buf, EL_LABEL);
		}
		return;
	}
	if (s->tcp.has_sockstat) {
		snprintf(buf, sizeof(buf), " used %llu", (unsigned long long)s->tcp.sockets_used);
		x = put(y, x, w, buf, EL_VALUE);
		snprintf(buf, sizeof(buf), "  tcp inuse %llu tw %llu alloc %llu",
			 (unsigned long long)s->tcp.tcp_inuse, (unsigned long long)s->tcp.tcp_tw,
			 (unsigned long long)s->tcp.tcp_alloc);
		put(y, x, w, buf, EL_VALUE);
		return;
	}
	put(y, x, w, " -", EL_MISSING);
}

static int draw_spark(int y, int x, int w, const char *label, const struct trend_series *se)
{
	char d[32], buf[96];
	int64_t change;

	if (x + 4 >= w)
		return x;
	x = put(y, x, w, label, EL_LABEL);
	x = put(y, x, w, " ", EL_NORMAL);
	if (x + SPARK_W <= w)
		sparkline_draw(y, x, SPARK_W, se->v, se->n, EL_SPARK);
	x += SPARK_W;
	if (trend_change(se, &change)) {
		format_delta_bytes(change, d, sizeof(d));
		snprintf(buf, sizeof(buf), " %s", d);
		x = put(y, x, w, buf, change > 0 ? EL_DELTA_UP : EL_NORMAL);
	}
	return put(y, x, w, "  ", EL_NORMAL);
}

/* The whole ring up to the shown sample: a frozen header is frozen too. */
static void fill(const struct app *a, struct trend_series *se, trend_get_fn get, const void *arg)
{
	trend_series_fill(se, &a->hist, a->view, a->hist.n, get, arg);
}

static void draw_sparks(const struct app *a, int y, int w)
{
	struct trend_series se = { 0 };
	const char *top;
	char label[48];
	int64_t growth;
	int x = 0;

	fill(a, &se, trend_get_slab_unreclaimable, NULL);
	x = draw_spark(y, x, w, "SUnrecl", &se);
	fill(a, &se, trend_get_tcp_mem, NULL);
	x = draw_spark(y, x, w, "TCP", &se);
	fill(a, &se, trend_get_unaccounted, NULL);
	x = draw_spark(y, x, w, "unacc", &se);
	top = trend_top_slab_grower(&a->hist, a->view, a->hist.n, &growth);
	if (top) {
		char safe[64];

		fill(a, &se, trend_get_slab_bytes, top);
		text_safe(top, safe, sizeof(safe));
		snprintf(label, sizeof(label), "top:%.14s", safe);
		draw_spark(y, x, w, label, &se);
	}
	trend_series_free(&se);
}

void header_suspect_line(const struct suspect_list *l, char *out, size_t sz)
{
	char subj[96], rate[48], empty[200];
	const struct suspect *su;

	if (!l) {
		snprintf(out, sz, "Suspects: the list of this sample is no longer kept");
		return;
	}
	if (!l->n) {
		suspects_describe_empty(l, empty, sizeof(empty));
		snprintf(out, sz, "Suspects: %s", empty);
		return;
	}
	su = &l->v[0];
	text_safe(su->subject_text, subj, sizeof(subj));
	evidence_rate_text(su, rate, sizeof(rate));
	snprintf(out, sz, "#1 %s: %s %s %s Enter on Suspects",
		 suspect_kind_name((enum suspect_kind)su->kind), subj, rate,
		 text_glyph("—", "-"));
}

static void draw_suspect(const struct app *a, int y, int w)
{
	const struct suspect_list *l = app_suspects(a);
	char buf[256];

	header_suspect_line(l, buf, sizeof(buf));
	put(y, 0, w, buf, l && l->n ? EL_WARN : EL_LABEL);
}

/* CPU of the newest sample (sampling threads and analysis), the UI
 * thread's CPU per second, and leaktop's RSS after the sample. */
static void run_self(const struct app *a, char *out, size_t sz)
{
	const struct snapshot *n = app_newest(a);
	char rss[24];

	out[0] = 0;
	if (!n)
		return;
	if (n->self.rss_bytes)
		format_bytes(n->self.rss_bytes, rss, sizeof(rss));
	else
		snprintf(rss, sizeof(rss), "-");
	snprintf(out, sz, "  self %llums/sample ui %llums/s %s",
		 (unsigned long long)((n->self.cpu_ns + a->cost.analysis_ns) / 1000000),
		 (unsigned long long)(a->cost.ui_ns_per_s / 1000000), rss);
}

/* Samples held against the depth asked for, and the bytes they hold. */
static void run_hist(const struct app *a, char *out, size_t sz)
{
	char b[24];

	if (a->hist.cap < a->cost.hist_want) {
		format_bytes(a->cost.hist_budget, b, sizeof(b));
		snprintf(out, sz, "  hist %zu/%zu (cap %s)", a->hist.n, a->cost.hist_want, b);
		return;
	}
	format_bytes(a->cost.hist_bytes, b, sizeof(b));
	snprintf(out, sz, "  hist %zu/%zu %s", a->hist.n, a->cost.hist_want, b);
}

void header_run_text(const struct app *a, int free_w, int w, char *out, size_t sz)
{
	char base[48], self[96], hist[64];
	/* Of self and hist, how many are kept: hist goes first when the bar
	 * is short of room. The interval and sample number may cover the end
	 * of the tab names, as they always did, the rest may not. */
	int keep = 2;

	snprintf(base, sizeof(base), " %gs #%llu", a->delay_s,
		 a->view ? (unsigned long long)a->view->seq : 0ULL);
	run_self(a, self, sizeof(self));
	run_hist(a, hist, sizeof(hist));
	for (;; keep--) {
		int bw;

		snprintf(out, sz, "%s%s%s ", base, keep > 0 ? self : "", keep > 1 ? hist : "");
		bw = text_width(out);
		if (bw <= free_w || (!keep && bw < w / 4))
			return;
		if (!keep) {
			out[0] = 0;
			return;
		}
	}
}

void header_draw(struct app *a, int h, int w)
{
	const struct snapshot *s = a->view;

	if (h <= 0 || !s)
		return;
	if (h < 7) {
		draw_mem(s, 0, w, 0);
		if (h > 1)
			draw_tcp(s, 1, w);
		if (h > 2)
			draw_suspect(a, h - 1, w);
		return;
	}
	draw_mem(s, 0, w, 2);
	draw_tcp(s, 3, w);
	draw_states(s, 4, w);
	draw_sparks(a, 5, w);
	draw_suspect(a, 6, w);
}
