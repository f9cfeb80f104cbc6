/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tui_run: start, loop, stop. Signals (INT, TERM, HUP) only set a flag that
 * the loop reads; resize arrives as KEY_RESIZE from curses. Sampling is
 * single-threaded: a tick samples, pushes into the history ring, and the
 * shown rows are rebuilt from the new snapshot (unless frozen).
 */
#include "config.h"

#include "loop.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "drill.h"
#include "header.h"
#include "help.h"
#include "keys.h"
#include "replay_view.h"
#include "screen.h"
#include "settings.h"
#include "statusbar.h"
#include "tabs.h"
#include "text.h"
#include "theme.h"
#include "tui.h"
#include "xalloc.h"

#define DEFAULT_DELAY_S 2.0
#define MESSAGE_MS 4000
/* The history ring may hold at most this much: with 100k sockets a sample
 * is ~15 MB, and leaktop runs on boxes that are short of memory. */
#define HISTORY_BUDGET_BYTES ((size_t)128 << 20)

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
	got_signal = sig;
}

uint64_t app_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void app_message(struct app *a, int el, const char *fmt, ...)
{
	char buf[sizeof(a->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* A warning still on show is not wiped out by the next warning. */
	if (a->msg[0] && el == EL_WARN && a->msg_el == EL_WARN && app_now_ms() < a->msg_until_ms &&
	    strcmp(a->msg, buf)) {
		size_t len = strlen(a->msg);

		snprintf(a->msg + len, sizeof(a->msg) - len, " | %s", buf);
	} else {
		snprintf(a->msg, sizeof(a->msg), "%s", buf);
		a->msg_el = el;
	}
	a->msg_until_ms = app_now_ms() + MESSAGE_MS;
}

struct snapshot *app_newest(const struct app *a)
{
	return history_newest(&a->hist);
}

struct snapshot *app_mark_b(const struct app *a)
{
	if (a->mark_b)
		return a->mark_b;
	/* "Now" is the sample shown while frozen, so a frozen diff holds still. */
	return a->frozen ? a->view : app_newest(a);
}

unsigned int app_sections(const struct app *a)
{
	const struct tab *t = tabs[a->tab];
	/* The header always shows memory, TCP, the slab top grower and the
	 * top suspect, and the engine needs every source on every sample. */
	unsigned int s = SNAP_MEM | SNAP_TCP | SNAP_SLAB | SNAP_SUSPECT_SOURCES | t->needs;

	if (t->fields)
		for (size_t i = 0; i < t->fields->n; i++)
			if (a->tables[a->tab].shown[i])
				s |= t->fields->v[i].needs;
	s |= drill_sections(a);
	/* While a mark is held every tab must be able to diff against it. */
	if (a->mark_a || a->mark_b)
		s |= SNAP_ALL & ~(unsigned int)SNAP_PSS;
	return s;
}

void app_set_view(struct app *a, struct snapshot *s)
{
	if (s == a->view)
		return;
	snapshot_ref(s);
	if (a->view)
		snapshot_unref(a->view);
	a->view = s;
}

/* What a snapshot holds in memory, roughly (the big arrays). */
static size_t snapshot_bytes(const struct snapshot *s)
{
	return sizeof(*s) + s->socks.cap * sizeof(*s->socks.v) + s->socks.strings_cap +
	       s->socks.owners_cap * sizeof(*s->socks.owners) + s->procs.cap * sizeof(*s->procs.v) +
	       s->slab.n * sizeof(*s->slab.v) + s->vmalloc.n * sizeof(*s->vmalloc.v) +
	       s->meminfo.n * sizeof(*s->meminfo.v) + s->tcp.ncounters * sizeof(*s->tcp.counters);
}

/* Shrink the ring when what it holds (the records, the decoded newest two
 * and its cache) would pass the budget at N samples; the newest are kept.
 * It never grows back. */
static void history_fit(struct app *a)
{
	size_t per = a->hist.n ? history_bytes(&a->hist) / a->hist.n : 0;
	size_t fixed = snapshot_bytes(app_newest(a)) * (2 + HISTORY_CACHE), fit;

	if (fixed >= HISTORY_BUDGET_BYTES)
		fit = 2;
	else
		fit = per ? (HISTORY_BUDGET_BYTES - fixed) / per : a->hist.cap;
	if (fit < 2)
		fit = 2;
	if (fit >= a->hist.cap)
		return;
	history_shrink(&a->hist, fit);
	app_message(a, EL_WARN, "history: %zu samples kept (about %zu kB each, %zu MB at most)",
		    fit, per >> 10, HISTORY_BUDGET_BYTES >> 20);
}

const struct suspect_list *app_suspects(const struct app *a)
{
	return a->view ? suspect_log_find(&a->suspects, a->view->seq) : NULL;
}

struct tracker *app_tracker_now(const struct app *a)
{
	if (!a->view || a->diff_mode || !tracker_samples(a->tracker) ||
	    tracker_last_ns(a->tracker) != a->view->t_mono_ns)
		return NULL;
	return a->tracker;
}

void app_push_sample(struct app *a, struct snapshot *s)
{
	struct suspect_list l;

	if (analysis_step(a->tracker, s, &a->sparams, &l) == 0)
		suspect_log_put(&a->suspects, s->seq, &l);
	else
		suspect_list_free(&l);
	history_push(&a->hist, s);
	history_fit(a);
}

static void tick(struct app *a, unsigned int extra)
{
	struct snapshot *s;

	if (a->replay) {
		replay_view_tick(a);
		drill_refresh(a);
		return;
	}
	s = sampler_tick(a->sampler, app_sections(a) | extra);
	app_push_sample(a, s);
	if (!a->frozen || !a->view)
		app_set_view(a, s);
	snapshot_unref(s);
	a->next_tick_ms = app_now_ms() + (uint64_t)(a->delay_s * 1000);
	drill_refresh(a);
}

/* The sample before the shown one in the ring, for the deltas. */
static struct snapshot *previous_of_view(struct app *a)
{
	size_t i = history_index_of_seq(&a->hist, a->view->seq);

	return i + 1 < a->hist.n ? history_get(&a->hist, i + 1) : NULL;
}

void app_rebuild(struct app *a)
{
	const struct tab *t = tabs[a->tab];
	struct diff *old = a->diff;
	struct snapshot *prev;

	if (a->diff_mode && a->mark_a) {
		a->diff = diff_compute(a->mark_a, app_mark_b(a));
	} else {
		a->diff_mode = false;
		prev = previous_of_view(a);
		a->diff = prev ? diff_compute(prev, a->view) : NULL;
	}
	for (int i = 0; i < TAB_COUNT; i++)
		if (i != a->tab && tabs[i]->fields)
			table_drop_rows(&a->tables[i]);
	if (t->fields) {
		struct field_row *rows;
		struct field_ctx ctx;
		size_t n = t->rows ? t->rows(a, &rows)
				   : fields_rows(t->fields, a->diff, a->view, a->diff_mode,
						 a->diff_mode, &rows);

		fields_ctx(a->diff, a->view, &ctx);
		ctx.tracker = app_tracker_now(a);
		table_set_rows(&a->tables[a->tab], rows, n, &ctx);
	} else {
		page_clear(&a->pages[a->tab]);
		t->build_page(a, &a->pages[a->tab]);
	}
	if (old)
		diff_free(old);
}

void app_sample(struct app *a)
{
	tick(a, 0);
	app_rebuild(a);
}

static void draw_too_small(void)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "terminal too small (%dx%d)", COLS, LINES);
	text_put(LINES / 2, 0, "terminal too small", COLS, A_BOLD);
	if (LINES / 2 + 1 < LINES)
		text_put(LINES / 2 + 1, 0, buf + 19, COLS, A_NORMAL);
}

static void draw_bar_right(const struct app *a, int y, int w)
{
	char buf[64];
	int bw;

	snprintf(buf, sizeof(buf), " %gs #%llu ", a->delay_s,
		 a->view ? (unsigned long long)a->view->seq : 0ULL);
	bw = text_width(buf);
	if (bw < w / 4)
		text_put(y, w - bw, buf, bw, theme_attr(EL_LABEL));
}

static void render(struct app *a)
{
	int h = LINES, w = COLS, hh, body_y;

	erase();
	if (w < LOOP_MIN_COLS || h < LOOP_MIN_LINES) {
		draw_too_small();
		screen_update();
		return;
	}
	hh = header_height(h);
	header_draw(a, hh, w);
	tabs_draw_bar(a, hh, w);
	draw_bar_right(a, hh, w);
	body_y = hh + 1;
	a->body_h = h - body_y - 2;
	switch (a->mode) {
	case MODE_HELP:
		help_draw(a, body_y, a->body_h, w);
		break;
	case MODE_COLUMNS:
		tabs_draw_columns(a, body_y, a->body_h, w);
		break;
	default:
		if (a->ndrill)
			drill_draw(a, body_y, a->body_h, w);
		else
			tabs_draw_body(a, body_y, a->body_h, w);
		break;
	}
	statusbar_draw(a, h - 2, h - 1, w);
	screen_update();
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static void apply_config(struct app *a, const struct tui_config *cfg)
{
	char msg[512];

	if (!cfg->no_config && settings_load(a, msg, sizeof(msg)) < 0)
		app_message(a, EL_WARN, "%s", msg);
	if (cfg->delay_s > 0)
		a->delay_s = cfg->delay_s;
	if (cfg->initial_tab) {
		int t = tabs_find(cfg->initial_tab);

		if (t >= 0)
			a->tab = t;
		else
			app_message(a, EL_WARN, "--tab: no tab called '%s'", cfg->initial_tab);
	}
	if (cfg->sort) {
		struct table *t = &a->tables[TAB_SOCKETS];
		int idx = fields_index(t->ft, cfg->sort);

		if (idx >= 0) {
			t->sort = idx;
			t->desc = t->ft->v[idx].desc;
		} else {
			app_message(a, EL_WARN, "--sort: the sockets table has no column '%s'",
				    cfg->sort);
		}
	}
}

static void app_free(struct app *a)
{
	drill_clear(a);
	if (a->diff)
		diff_free(a->diff);
	for (int i = 0; i < TAB_COUNT; i++) {
		table_free(&a->tables[i]);
		page_free(&a->pages[i]);
	}
	page_free(&a->help);
	if (a->mark_a)
		snapshot_unref(a->mark_a);
	if (a->mark_b)
		snapshot_unref(a->mark_b);
	if (a->view)
		snapshot_unref(a->view);
	history_free(&a->hist);
	suspect_log_free(&a->suspects);
	tracker_free(a->tracker);
	replay_view_free(a);
	if (a->sampler)
		sampler_free(a->sampler);
	free(a);
}

/* After a key: sample at once if the shown sample lacks what is now needed
 * (a tab or drill-down was opened), and rebuild the rows before the next key
 * is read, so typed-ahead keys act on what they will be seen acting on. */
static void after_key(struct app *a, int res)
{
	if (res & KR_SAMPLE) {
		unsigned int need = app_sections(a);

		if (!a->frozen && (a->view->sections & need) != need) {
			tick(a, 0);
			res |= KR_REBUILD;
		}
	}
	if (res & KR_REBUILD)
		app_rebuild(a);
}

static void run(struct app *a)
{
	bool dirty = true;

	while (!a->quit && !got_signal) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		uint64_t now;
		int timeout, ch, r;

		if (dirty) {
			render(a);
			dirty = false;
		}
		now = app_now_ms();
		timeout = a->next_tick_ms > now ? (int)(a->next_tick_ms - now) : 0;
		if (a->msg[0] && a->msg_until_ms > now && a->msg_until_ms - now < (uint64_t)timeout)
			timeout = (int)(a->msg_until_ms - now) + 1;
		r = poll(&pfd, 1, timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
			break;
		/* EINTR may be a SIGWINCH: curses then queues KEY_RESIZE. */
		while (!a->quit && (ch = getch()) != ERR) {
			dirty = true;
			if (ch != KEY_RESIZE)
				after_key(a, keys_dispatch(a, ch));
		}
		if (a->msg[0] && app_now_ms() >= a->msg_until_ms) {
			a->msg[0] = 0;
			dirty = true;
		}
		if (app_now_ms() >= a->next_tick_ms) {
			tick(a, 0);
			app_rebuild(a);
			dirty = true;
		}
	}
}

int tui_run(const struct tui_config *cfg)
{
	struct app *a = xcalloc(1, sizeof(*a));
	char err[256];

	a->cfg = cfg;
	a->delay_s = DEFAULT_DELAY_S;
	a->no_config = cfg->no_config;
	a->tab = TAB_SUSPECTS;
	for (int i = 0; i < TAB_COUNT; i++)
		if (tabs[i]->fields) {
			table_init(&a->tables[i], tabs[i]->fields);
			if (tabs[i]->columns)
				table_columns_parse(&a->tables[i], tabs[i]->columns);
		}
	apply_config(a, cfg);
	history_init(&a->hist, cfg->history ? cfg->history : TUI_DEFAULT_HISTORY);
	a->tracker = tracker_new(NULL);
	suspect_params_init(&a->sparams);
	a->sparams.self_pid = (int32_t)getpid();
	/* A list for every sample the history ring can hold. */
	suspect_log_init(&a->suspects, a->hist.cap);
	if (cfg->replay) {
		if (replay_view_open(a) < 0) {
			app_free(a);
			return 1;
		}
	} else {
		a->sampler = sampler_new(cfg->root);
	}
	install_signals();
	if (screen_init(err, sizeof(err)) < 0) {
		fprintf(stderr, "leaktop: %s\n", err);
		app_free(a);
		return 1;
	}
	text_put(0, 0, "leaktop: first sample...", COLS, A_BOLD);
	screen_update();
	tick(a, 0);
	app_rebuild(a);
	/* Messages from the start (settings) count from the first frame. */
	if (a->msg[0])
		a->msg_until_ms = app_now_ms() + MESSAGE_MS;
	run(a);
	screen_done();
	app_free(a);
	return 0;
}
