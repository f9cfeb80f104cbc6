/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tui_run: start, loop, stop. Signals (INT, TERM, HUP) only set a flag that
 * the loop reads; resize arrives as KEY_RESIZE from curses. Sampling runs on
 * the sample worker's thread (core/sample_worker.h): the loop polls the
 * terminal and the worker's pipe, so keys are answered while a sample is
 * taken, and a finished sample is pushed into the history ring and the
 * shown rows rebuilt from it (unless frozen) as soon as it arrives. The
 * loop holds the worker's lock except while it waits in poll(), so the
 * tracker it reads is never fed under it.
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
#include "history_prefetch.h"
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
/* How often "sampling 1.2s" is redrawn while it lasts. */
#define SAMPLING_TICK_MS 500
/* The window over which the UI thread's own CPU time is averaged. */
#define UI_CPU_WINDOW_MS 1000
/* On q, how long a sample in progress may hold the exit up. */
#define STOP_WAIT_MS 1000
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

/* Shrink the ring when what it holds (the records, the decoded newest two
 * and its cache) would pass the budget at N samples; the newest are kept.
 * It never grows back, so it waits for a whole keyframe group: the first
 * samples' average is one keyframe's size, ten to a hundred times a
 * delta's, and shrank the ring at 100k sockets to a tenth of what fits. */
static void history_fit(struct app *a)
{
	size_t per = a->hist.n ? history_bytes(&a->hist) / a->hist.n : 0;
	size_t one = snapshot_mem_bytes(app_newest(a)), fit;
	size_t cache = one * HISTORY_CACHE < a->hist.cache_bytes ? one * HISTORY_CACHE
								  : a->hist.cache_bytes;
	size_t fixed = one * 2 + cache;

	if (a->hist.n < HISTORY_KEYFRAME_EVERY && a->hist.n < a->hist.cap)
		return;

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

static void count_history_bytes(struct app *a)
{
	a->cost.hist_bytes = history_bytes(&a->hist);
}

/* A sample into the suspect log (when it was analysed) and the ring, with
 * its record when the worker encoded it (else it is encoded here). */
static void push_analysed(struct app *a, struct snapshot *s, struct suspect_list *l,
			  bool analysed, struct buf *rec)
{
	if (analysed)
		suspect_log_put(&a->suspects, s->seq, l);
	suspect_list_free(l);
	if (rec)
		history_push_record(&a->hist, s, rec);
	else
		history_push(&a->hist, s);
	history_fit(a);
}

/* A recorded sample (replay_view.c): analysed here, in order. */
void app_push_sample(struct app *a, struct snapshot *s)
{
	struct suspect_list l;
	bool ok = analysis_step(a->tracker, s, &a->sparams, &l) == 0;

	push_analysed(a, s, &l, ok, NULL);
}

/* One finished sample from the worker into the ring, the suspect log and,
 * unless frozen, the view. */
/* The sample before the shown one in the ring, for the deltas. */
static struct snapshot *previous_of_view(struct app *a)
{
	size_t i = history_index_of_seq(&a->hist, a->view->seq);

	return i + 1 < a->hist.n ? history_get(&a->hist, i + 1) : NULL;
}

/* The worker's diff of a new sample against the one before it is the diff
 * the tables show live (update_diff's own case), made off this thread. */
static void adopt_diff(struct app *a, struct diff *d)
{
	if (!d)
		return;
	if (a->diff_mode || d->b != a->view || d->a != previous_of_view(a) ||
	    (a->diff && a->diff->a == d->a && a->diff->b == d->b)) {
		diff_free(d);
		return;
	}
	if (a->diff)
		diff_free(a->diff);
	a->diff = d;
	a->diff_gen++;
}

static void accept_result(struct app *a, struct sample_result *r)
{
	a->cost.analysis_ns = r->analysis_cpu_ns;
	push_analysed(a, r->snap, &r->suspects, r->analysed, &r->rec);
	if (!a->frozen || !a->view)
		app_set_view(a, r->snap);
	adopt_diff(a, r->diff);
	snapshot_unref(r->snap);
}

/* Everything the worker finished since the last call (under its lock).
 * Returns whether anything came. */
static bool take_results(struct app *a)
{
	struct sample_result r;
	bool any = false;

	while (a->worker && sample_worker_take(a->worker, &r)) {
		accept_result(a, &r);
		any = true;
	}
	if (any) {
		count_history_bytes(a);
		drill_refresh(a);
	}
	return any;
}

/* The diff the tables show: B - A in the diff view, else the shown sample
 * against the one before it. Kept while its two samples stay the same. */
static void update_diff(struct app *a)
{
	struct snapshot *from, *to;

	if (a->diff_mode && a->mark_a) {
		from = a->mark_a;
		to = app_mark_b(a);
	} else {
		a->diff_mode = false;
		from = previous_of_view(a);
		to = a->view;
	}
	if (a->diff && a->diff->a == from && a->diff->b == to)
		return;
	if (a->diff)
		diff_free(a->diff);
	/* A step back: made ahead with the sample it needed. */
	a->diff = history_take_diff(&a->hist, from, to);
	if (!a->diff && from)
		a->diff = diff_compute(from, to);
	a->diff_gen++;
}

/* The cgroup filter as it applies to rows of tab: off, or the cgroup. */
static struct cgroup_filter rows_filter(const struct app *a, int tab)
{
	struct cgroup_filter f = { .on = false };

	if (a->cgfilter.on && a->cgfilter.tab == tab) {
		f.on = true;
		f.tab = tab;
		f.hier = a->cgfilter.hier;
		f.id = a->cgfilter.id;
	}
	return f;
}

/* Whether the shown tab's rows are fields_rows of the diff and the view,
 * as the prefetch thread builds them: no builder of its own (or the cgroup
 * member filter, off), not the diff view. */
static bool plain_rows(const struct app *a)
{
	const struct tab *t = tabs[a->tab];

	return !a->diff_mode && !rows_filter(a, a->tab).on &&
	       (!t->rows || t->rows == tab_cgroups_member_rows);
}

/* A user who stepped back (or froze the view) steps back again: the next
 * step needs the sample two before the view, for its deltas, and at 100k
 * sockets decoding it takes longer than a key may. It is decoded meanwhile,
 * on the ring's prefetch thread. */
static void prefetch_next_step(struct app *a)
{
	size_t i = history_index_of_seq(&a->hist, a->view->seq);
	const struct tab *t = tabs[a->tab];
	const struct table *tb = &a->tables[a->tab];
	/* And the rows of that step for the tab shown, when it builds them
	 * the plain way (no builder of its own, no tree, no cgroup filter). */
	struct prefetch_rows rows = { .ft = t->fields, .sort = (size_t)tb->sort, .desc = tb->desc };
	bool plain = t->fields && plain_rows(a) &&
		     table_sorted_rows_fit(tb, t->fields, rows.sort, rows.desc);

	if (i < a->hist.n && (i > 0 || a->frozen))
		history_prefetch(&a->hist, i + 2, plain ? &rows : NULL);
	else
		history_forget_ahead(&a->hist);
}

/* Rows are built and sorted only when what they are built from changed:
 * a tab switch or a key within the same sample reuses them, and so does a
 * new sample while the view is frozen. A tab whose own row builder reads
 * more than that (suspects, cgroups) is cheap and always rebuilt. */
static bool rows_current(const struct app *a, int tab)
{
	struct cgroup_filter f = rows_filter(a, tab);
	const struct cgroup_filter *was = &a->rows_cg[tab];

	return (!tabs[tab]->rows || tabs[tab]->rows_kept) && a->tables[tab].rows &&
	       a->rows_gen[tab] == a->diff_gen && a->rows_seq[tab] == a->view->seq &&
	       f.on == was->on && (!f.on || (f.hier == was->hier && f.id == was->id));
}

/* The rows the prefetch thread built and sorted with the shown diff, when
 * they are what this tab would build (prefetch_next_step): ownership
 * passes to the caller. */
static bool take_sorted_rows(struct app *a, const struct field_ctx *ctx, struct field_row **rows,
			     size_t *n)
{
	struct diff_sorted_rows *s = a->diff ? &a->diff->sorted : NULL;

	if (!s || !s->rows || !plain_rows(a) || ctx->tracker || a->diff->b != a->view ||
	    !table_sorted_rows_fit(&a->tables[a->tab], s->ft, s->sort, s->desc))
		return false;
	*rows = s->rows;
	*n = s->n;
	s->rows = NULL;
	s->n = 0;
	return true;
}

void app_rebuild(struct app *a)
{
	const struct tab *t = tabs[a->tab];

	update_diff(a);
	/* Rows of another sample or diff may point into snapshots that are
	 * about to go. */
	for (int i = 0; i < TAB_COUNT; i++)
		if (i != a->tab && tabs[i]->fields && !rows_current(a, i))
			table_drop_rows(&a->tables[i]);
	if (t->fields) {
		struct field_row *rows;
		struct field_ctx ctx;
		size_t n;

		if (rows_current(a, a->tab))
			return;
		fields_ctx(a->diff, a->view, &ctx);
		ctx.tracker = app_tracker_now(a);
		if (take_sorted_rows(a, &ctx, &rows, &n)) {
			table_set_sorted_rows(&a->tables[a->tab], rows, n, &ctx);
		} else {
			n = t->rows ? t->rows(a, &rows)
				    : fields_rows(t->fields, a->diff, a->view, a->diff_mode,
						  a->diff_mode, &rows);
			table_set_rows(&a->tables[a->tab], rows, n, &ctx);
		}
		a->rows_gen[a->tab] = a->diff_gen;
		a->rows_seq[a->tab] = a->view->seq;
		a->rows_cg[a->tab] = rows_filter(a, a->tab);
	} else {
		page_clear(&a->pages[a->tab]);
		t->build_page(a, &a->pages[a->tab]);
	}
}

static void draw_too_small(void)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "terminal too small (%dx%d)", COLS, LINES);
	text_put(LINES / 2, 0, "terminal too small", COLS, A_BOLD);
	if (LINES / 2 + 1 < LINES)
		text_put(LINES / 2 + 1, 0, buf + 19, COLS, A_NORMAL);
}

/* The right end of the tab bar: interval, sample number, and what leaktop
 * itself costs. */
static void draw_bar_right(const struct app *a, int y, int w)
{
	char buf[192];
	int cy, cx, used, bw;

	/* The tab names end where the cursor was left; a full line leaves it
	 * on the next one. */
	getyx(stdscr, cy, cx);
	used = cy == y ? cx + 1 : w;
	header_run_text(a, w - used, w, buf, sizeof(buf));
	bw = text_width(buf);
	if (bw)
		text_put(y, w - bw, buf, bw, theme_attr(EL_LABEL));
}

static void draw_first_sample(const struct app *a)
{
	struct sample_worker_status st = { 0 };
	char buf[96];

	if (a->worker)
		sample_worker_status(a->worker, app_now_ms(), &st);
	snprintf(buf, sizeof(buf), "leaktop: first sample... %.1fs (q quits)",
		 (double)st.busy_ms / 1000);
	text_put(0, 0, buf, COLS, A_BOLD);
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
	if (!a->view) {
		draw_first_sample(a);
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

/* workers_gone: false when the worker is still inside a sample (it was
 * left to run out): what it uses is then not freed, the process exits. */
static void app_free(struct app *a, bool worker_gone)
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
	replay_view_free(a);
	if (!worker_gone)
		return;
	tracker_free(a->tracker);
	if (a->sampler)
		sampler_free(a->sampler);
	free(a);
}

/* After a key: ask for a sample at once if the shown one lacks what is now
 * needed (a tab or drill-down was opened; the rows fill in when it comes),
 * and rebuild the rows before the next key is read, so typed-ahead keys act
 * on what they will be seen acting on. */
static void after_key(struct app *a, int res)
{
	unsigned int need = app_sections(a);

	if (a->worker) {
		sample_worker_set_sections(a->worker, need);
		if ((res & KR_SAMPLE) && !a->frozen && (a->view->sections & need) != need)
			sample_worker_request(a->worker);
	}
	if (res & KR_REBUILD)
		app_rebuild(a);
}

/* Keys typed before the first sample wait here: q still quits at once. */
struct early_keys {
	int v[32];
	size_t n;
};

static void handle_key(struct app *a, struct early_keys *early, int ch)
{
	if (ch == KEY_RESIZE)
		return;
	if (a->view) {
		after_key(a, keys_dispatch(a, ch));
		return;
	}
	if (ch == 'q')
		a->quit = true;
	else if (early->n < ARRAY_SIZE(early->v))
		early->v[early->n++] = ch;
}

static void replay_early_keys(struct app *a, struct early_keys *early)
{
	for (size_t i = 0; i < early->n && !a->quit; i++)
		after_key(a, keys_dispatch(a, early->v[i]));
	early->n = 0;
}

/* The UI thread's CPU per second, over windows of about a second. */
static void measure_ui_cpu(struct app *a, uint64_t now)
{
	struct timespec ts;
	uint64_t cpu;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return;
	cpu = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	if (!a->cost.ui_t0_ms) {
		a->cost.ui_t0_ms = now;
		a->cost.ui_cpu0_ns = cpu;
		return;
	}
	if (now - a->cost.ui_t0_ms < UI_CPU_WINDOW_MS)
		return;
	a->cost.ui_ns_per_s = (cpu - a->cost.ui_cpu0_ns) * 1000 / (now - a->cost.ui_t0_ms);
	a->cost.ui_t0_ms = now;
	a->cost.ui_cpu0_ns = cpu;
}

/* How long poll may sleep: until a message expires, and while a sample
 * runs, until its "sampling" note is due or must be updated. */
static int poll_timeout(const struct app *a, uint64_t now)
{
	struct sample_worker_status st = { 0 };
	uint64_t t = UI_CPU_WINDOW_MS;

	if (a->msg[0] && a->msg_until_ms > now && a->msg_until_ms - now < t)
		t = a->msg_until_ms - now + 1;
	/* A replay plays and follows on its own clock. */
	if (a->replay && a->next_tick_ms > now && a->next_tick_ms - now < t)
		t = a->next_tick_ms - now;
	else if (a->replay && a->next_tick_ms <= now)
		t = 0;
	if (a->worker)
		sample_worker_status(a->worker, now, &st);
	if (st.busy) {
		uint64_t next = st.busy_ms < STATUSBAR_SAMPLING_SHOW_MS
				      ? STATUSBAR_SAMPLING_SHOW_MS - st.busy_ms
				      : SAMPLING_TICK_MS - (st.busy_ms - STATUSBAR_SAMPLING_SHOW_MS) % SAMPLING_TICK_MS;

		if (next < t)
			t = next;
	}
	return (int)t;
}

/* The first sample arrived: what was typed meanwhile runs now, and
 * messages from the start (settings) count from the first frame. */
static void first_view(struct app *a, struct early_keys *early)
{
	if (a->msg[0])
		a->msg_until_ms = app_now_ms() + MESSAGE_MS;
	replay_early_keys(a, early);
}

/* The worker's lock, when there is a worker (a replay has none). */
static void worker_lock(struct app *a)
{
	if (a->worker)
		sample_worker_lock(a->worker);
}

static void worker_unlock(struct app *a)
{
	if (a->worker)
		sample_worker_unlock(a->worker);
}

static void run(struct app *a)
{
	struct early_keys early = { .n = 0 };
	bool dirty = true, noted = false;

	worker_lock(a);
	while (!a->quit && !got_signal) {
		/* poll skips a negative fd: a replay has no worker. */
		struct pollfd pfd[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = a->worker ? sample_worker_fd(a->worker) : -1, .events = POLLIN },
		};
		struct sample_worker_status st = { 0 };
		uint64_t now;
		bool had_view = a->view != NULL, note;
		int timeout, ch, r;

		if (take_results(a)) {
			if (!had_view)
				first_view(a, &early);
			app_rebuild(a);
			dirty = true;
		}
		if (a->replay && app_now_ms() >= a->next_tick_ms) {
			replay_view_tick(a);
			drill_refresh(a);
			app_rebuild(a);
			dirty = true;
		}
		if (a->worker && a->delay_s != a->worker_delay_s) {
			a->worker_delay_s = a->delay_s;
			sample_worker_set_interval(a->worker, a->delay_s);
		}
		now = app_now_ms();
		if (a->worker)
			sample_worker_status(a->worker, now, &st);
		/* The "sampling 1.2s" note: drawn while it lasts, and once
		 * more when it goes. */
		note = st.busy && st.busy_ms >= STATUSBAR_SAMPLING_SHOW_MS;
		if (note || noted)
			dirty = true;
		noted = note;
		if (dirty) {
			render(a);
			dirty = false;
			/* Only once the step is on screen: decoding ahead
			 * would take the CPU its rows and sort need. */
			if (a->view)
				prefetch_next_step(a);
		}
		measure_ui_cpu(a, now);
		timeout = poll_timeout(a, now);
		worker_unlock(a);
		r = poll(pfd, 2, timeout);
		worker_lock(a);
		if (r < 0 && errno != EINTR)
			break;
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			break;
		/* EINTR may be a SIGWINCH: curses then queues KEY_RESIZE. */
		while (!a->quit && (ch = getch()) != ERR) {
			dirty = true;
			handle_key(a, &early, ch);
		}
		if (a->msg[0] && app_now_ms() >= a->msg_until_ms) {
			a->msg[0] = 0;
			dirty = true;
		}
	}
	worker_unlock(a);
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
	a->cost.hist_want = a->hist.cap;
	a->cost.hist_budget = HISTORY_BUDGET_BYTES;
	if (cfg->replay) {
		if (replay_view_open(a) < 0) {
			app_free(a, true);
			return 1;
		}
	} else {
		a->sampler = sampler_new(cfg->root);
	}
	install_signals();
	if (screen_init(err, sizeof(err)) < 0) {
		fprintf(stderr, "leaktop: %s\n", err);
		app_free(a, true);
		return 1;
	}
	a->worker_delay_s = a->delay_s;
	if (a->sampler)
		a->worker = sample_worker_start(a->sampler, a->tracker, &a->sparams,
						app_sections(a), a->delay_s, true);
	if (a->sampler && !a->worker) {
		screen_done();
		fprintf(stderr, "leaktop: cannot start the sampling thread\n");
		app_free(a, true);
		return 1;
	}
	/* Messages from the start (settings) count from the first frame. */
	if (a->msg[0])
		a->msg_until_ms = app_now_ms() + MESSAGE_MS;
	run(a);
	/* The terminal first: a sample in progress may hold the exit up. */
	screen_done();
	app_free(a, !a->worker || sample_worker_stop(a->worker, STOP_WAIT_MS) == 0);
	return 0;
}
