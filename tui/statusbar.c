/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The message line and the status line. The key hints come from the key
 * table (keys with a `bar` word in the scope that applies now); the state
 * on the right says FROZEN and which samples A and B are.
 */
#include "config.h"

#include "statusbar.h"

#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "replay_view.h"
#include "tabs.h"
#include "text.h"
#include "theme.h"

static void sample_name(const struct snapshot *s, char *out, size_t sz)
{
	if (!s)
		snprintf(out, sz, "now");
	else
		snprintf(out, sz, "#%llu", (unsigned long long)s->seq);
}

/* A sample in progress, once it lasts long enough to be worth saying. */
static size_t sampling_text(const struct app *a, char *out, size_t sz)
{
	struct sample_worker_status st;

	if (!a->worker)
		return 0;
	sample_worker_status(a->worker, app_now_ms(), &st);
	if (!st.busy || st.busy_ms < STATUSBAR_SAMPLING_SHOW_MS)
		return 0;
	return (size_t)snprintf(out, sz, " sampling %.1fs%s ", (double)st.busy_ms / 1000,
				st.late ? " late" : "");
}

static void state_text(const struct app *a, char *out, size_t sz)
{
	char an[32], bn[32];
	size_t len;

	out[0] = 0;
	len = sampling_text(a, out, sz);
	if (a->replay) {
		len += replay_view_flag(a, out + len, sz - len);
	} else if (a->frozen && a->view) {
		const struct snapshot *n = app_newest(a);

		len += (size_t)snprintf(out + len, sz - len, " FROZEN #%llu of %llu ",
					(unsigned long long)a->view->seq,
					(unsigned long long)(n ? n->seq : a->view->seq));
	}
	if (a->mark_a && len < sz) {
		sample_name(a->mark_a, an, sizeof(an));
		sample_name(a->mark_b, bn, sizeof(bn));
		snprintf(out + len, sz - len, " %s A%s%s%s%s ", a->diff_mode ? "DIFF" : "marks", an,
			 text_glyph("→", "->"), a->mark_b ? "B" : "", bn);
	} else if (a->mark_b && len < sz) {
		sample_name(a->mark_b, bn, sizeof(bn));
		snprintf(out + len, sz - len, " B%s ", bn);
	}
}

static void draw_message(struct app *a, int y, int w)
{
	const struct snapshot *s = a->view;
	struct table *t = tabs[a->tab]->fields ? &a->tables[a->tab] : NULL;
	char buf[512];

	text_fill(y, 0, w, theme_attr(EL_NORMAL));
	if (a->mode == MODE_PROMPT) {
		prompt_draw(&a->prompt, y, w);
		return;
	}
	if (a->msg[0] && app_now_ms() < a->msg_until_ms) {
		text_put(y, 0, a->msg, w, theme_attr(a->msg_el));
		return;
	}
	if (t && t->filter[0] && !a->ndrill) {
		snprintf(buf, sizeof(buf), "filter \"%s\": %zu of %zu rows (/ edits, Esc clears)",
			 t->filter, t->nvis, t->n);
		text_put(y, 0, buf, w, theme_attr(EL_WARN));
		return;
	}
	if (!t && a->pages[a->tab].filter && a->pages[a->tab].filter[0] && !a->ndrill) {
		snprintf(buf, sizeof(buf), "filter \"%s\" (/ edits, Esc clears)",
			 a->pages[a->tab].filter);
		text_put(y, 0, buf, w, theme_attr(EL_WARN));
		return;
	}
	if (s && s->notes.n) {
		const struct note *n = &s->notes.v[0];
		char src[80], msg[256];

		/* What is missing matters more than what was skipped. */
		for (size_t i = 0; i < s->notes.n; i++)
			if (s->notes.v[i].kind == NOTE_MISSING) {
				n = &s->notes.v[i];
				break;
			}

		text_safe(n->source, src, sizeof(src));
		text_safe(n->msg, msg, sizeof(msg));
		if (n->line)
			snprintf(buf, sizeof(buf), "%s:%u: %s", src, n->line, msg);
		else
			snprintf(buf, sizeof(buf), "%s: %s", src, msg);
		if (s->notes.n > 1)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 "  (+%zu more notes)", s->notes.n - 1 + s->notes.dropped);
		text_put(y, 0, buf, w, theme_attr(n->kind == NOTE_MISSING ? EL_MISSING : EL_WARN));
	}
}

void statusbar_draw(struct app *a, int msg_y, int bar_y, int w)
{
	char state[128];
	int x = 0, sw;

	if (msg_y >= 0)
		draw_message(a, msg_y, w);
	text_fill(bar_y, 0, w, theme_attr(EL_STATUS));
	state_text(a, state, sizeof(state));
	sw = text_width(state);
	if (sw > w)
		sw = 0;
	for (size_t i = 0; i < keys_count; i++) {
		const struct key_binding *b = &keys_table[i];
		int need;

		if (!b->bar || !keys_available(a, b))
			continue;
		need = text_width(b->label) + text_width(b->bar) + 1;
		if (x + need > w - sw)
			break;
		x += text_put(bar_y, x, b->label, w - sw - x, theme_attr(EL_STATUS_KEY));
		x += text_put(bar_y, x, b->bar, w - sw - x, theme_attr(EL_STATUS));
		x += text_put(bar_y, x, " ", w - sw - x, theme_attr(EL_STATUS));
	}
	if (sw)
		text_put(bar_y, w - sw, state, sw, theme_attr(EL_FLAG));
}
