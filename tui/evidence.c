/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The evidence page of a suspect, built from the shown sample's suspect
 * list and, for the series, the trend engine's ring of the quantity cut at
 * the shown sample's time, so a frozen view shows the series it had.
 */
#include "config.h"

#include "evidence.h"

#include <stdio.h>
#include <string.h>

#include "compat.h"
#include "drill.h"
#include "fields.h"
#include "format.h"
#include "hash.h"
#include "keys.h"
#include "sparkline.h"
#include "tabs.h"
#include "text.h"
#include "theme.h"
#include "tracker.h"

#define SERIES_MAX 256

/* The unit word of a count quantity; NULL for bytes. */
static const char *const count_units[TQ_KIND_COUNT] = {
	[TQ_SLAB_OBJS] = "objects",   [TQ_PROC_FDS] = "fds",	    [TQ_PROC_SOCKS] = "sockets",
	[TQ_SGRP_COUNT] = "sockets",  [TQ_TCP_ORPHANS] = "orphans", [TQ_TCP_TW] = "sockets",
	[TQ_TCP_INUSE] = "sockets",
};

static const char *const target_words[] = {
	[SUS_TO_NONE] = NULL,	      [SUS_TO_SOCKET] = "the socket",
	[SUS_TO_PROCESS] = "the process", [SUS_TO_SLAB] = "the slab cache",
	[SUS_TO_TAB] = "the tab",     [SUS_TO_CGROUP] = "the cgroup",
};

void evidence_rate_text(const struct suspect *su, char *out, size_t sz)
{
	const char *unit = su->subject.kind < TQ_KIND_COUNT ? count_units[su->subject.kind] : NULL;
	char b[32];

	if (unit) {
		format_delta_count((int64_t)(su->rate_units_h / 60.0), b, sizeof(b));
		snprintf(out, sz, "%s %s/min", b, unit);
	} else {
		format_delta_bytes((int64_t)(su->rate_bytes_h / 60.0), b, sizeof(b));
		snprintf(out, sz, "%s/min", b);
	}
}

const struct suspect *evidence_find(const struct app *a, const uint64_t k[2])
{
	const struct suspect_list *l = app_suspects(a);
	uint64_t sk[2];

	for (size_t i = 0; l && i < l->n; i++) {
		fields_suspects.key(&l->v[i], sk);
		if (sk[0] == k[0] && sk[1] == k[1])
			return &l->v[i];
	}
	return NULL;
}

/* The quantity's points up to the shown sample, as a trend series. */
static size_t series_of(const struct app *a, const struct suspect *su, struct trend_point *out,
			size_t max)
{
	const struct tq *q = tracker_find(a->tracker, &su->subject);
	struct growth_point p;
	size_t n = 0;

	if (!q)
		return 0;
	for (size_t i = 0; growth_ring_get(&q->ring, i, &p); i++) {
		if (p.t_ns / 1000000 > a->view->t_mono_ns / 1000000)
			break;
		if (n == max) {
			memmove(out, out + 1, (max - 1) * sizeof(*out));
			n--;
		}
		out[n++] = (struct trend_point){ .t_mono_ns = p.t_ns,
						  .value = (int64_t)p.v,
						  .present = p.present && p.v == p.v };
	}
	return n;
}

static void series_lines(struct app *a, struct page *p, const struct suspect *su)
{
	struct trend_point pts[SERIES_MAX];
	size_t n = series_of(a, su, pts, SERIES_MAX);
	char spark[SERIES_MAX * 4], first[32], last[32];
	const char *unit = count_units[su->subject.kind < TQ_KIND_COUNT ? su->subject.kind : 0];
	size_t i0 = 0, i1 = n;

	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Series of the quantity (oldest first, up to the shown sample)");
	while (i0 < n && !pts[i0].present)
		i0++;
	while (i1 > i0 && !pts[i1 - 1].present)
		i1--;
	if (i1 <= i0) {
		page_add(p, EL_MISSING, "  - the engine holds no points of it up to this sample");
		return;
	}
	sparkline_text(pts, n, 60, spark, sizeof(spark));
	if (unit) {
		snprintf(first, sizeof(first), "%lld", (long long)pts[i0].value);
		snprintf(last, sizeof(last), "%lld %s", (long long)pts[i1 - 1].value, unit);
	} else {
		tabs_fmt_sbytes(pts[i0].value, first, sizeof(first));
		tabs_fmt_sbytes(pts[i1 - 1].value, last, sizeof(last));
	}
	page_add(p, EL_SPARK, "  %s", spark);
	page_add(p, EL_NORMAL, "  %zu points over %.0f s: %s -> %s", n,
		 (double)(pts[n - 1].t_mono_ns - pts[0].t_mono_ns) / 1e9, first, last);
}

void evidence_page(struct app *a, struct drill_view *v)
{
	struct page *p = &v->page;
	const struct suspect *su = evidence_find(a, v->k);
	char subj[200], line[512], rate[48], grown[32];

	if (!su) {
		page_add(p, EL_MISSING, "No longer a suspect in sample #%llu",
			 (unsigned long long)a->view->seq);
		return;
	}
	text_safe(su->subject_text, subj, sizeof(subj));
	page_add(p, EL_HEADING, "Suspect #%u: %s, %s", su->rank,
		 suspect_kind_name((enum suspect_kind)su->kind), subj);
	text_safe(su->verdict, line, sizeof(line));
	page_add(p, EL_WARN, "  %s", line);
	evidence_rate_text(su, rate, sizeof(rate));
	tabs_fmt_sbytes((int64_t)su->growth, grown, sizeof(grown));
	page_add(p, EL_VALUE, "  rate %s, grown %s since first seen, confidence %.0f%%, over %.0f s",
		 rate, grown, su->confidence * 100.0, su->window_s);
	page_add(p, EL_NORMAL, "%s", "");
	page_add(p, EL_HEADING, "Evidence (+ agrees, - contradicts)");
	for (size_t i = 0; i < su->nev; i++) {
		text_safe(su->ev[i].text, line, sizeof(line));
		page_add(p, su->ev[i].agrees < 0 ? EL_WARN : EL_NORMAL, "  %c %s",
			 su->ev[i].agrees > 0 ? '+' : su->ev[i].agrees < 0 ? '-' : ' ', line);
	}
	if (!su->nev)
		page_add(p, EL_NORMAL, "  (no second source for this kind)");
	series_lines(a, p, su);
	if (su->target != SUS_TO_NONE && su->target < ARRAY_SIZE(target_words)) {
		char name[96];

		text_safe(su->target_name, name, sizeof(name));
		page_add(p, EL_NORMAL, "%s", "");
		page_add(p, EL_LABEL, "> Enter here: %s%s%s", target_words[su->target],
			 name[0] ? " " : "", name);
		page_link(p, LINK_TARGET, v->k[0], v->k[1]);
	}
}

int evidence_follow(struct app *a, const struct suspect *su)
{
	int t;

	switch (su->target) {
	case SUS_TO_SOCKET:
		drill_push(a, DRILL_SOCK, su->target_k[0], su->target_k[1], NULL);
		return KR_REBUILD | KR_SAMPLE;
	case SUS_TO_PROCESS:
		drill_push(a, DRILL_PROC, su->target_k[0], su->target_k[1], NULL);
		return KR_REBUILD | KR_SAMPLE;
	case SUS_TO_SLAB:
		drill_push(a, DRILL_SLAB, hash_str(su->target_name, HASH_INIT), 0, su->target_name);
		return KR_REBUILD | KR_SAMPLE;
	case SUS_TO_CGROUP:
		drill_push(a, DRILL_CGROUP, su->target_k[0], su->target_k[1], NULL);
		return KR_REBUILD | KR_SAMPLE;
	case SUS_TO_TAB:
		t = tabs_find(su->target_name);
		if (t < 0)
			return KR_NONE;
		drill_clear(a);
		a->tab = t;
		return KR_REBUILD | KR_SAMPLE;
	default:
		return KR_NONE;
	}
}
