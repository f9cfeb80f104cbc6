/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "replay_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "keys.h"
#include "recread.h"
#include "replay.h"
#include "theme.h"
#include "xalloc.h"

/* While paused, a recording still being written is looked at this often. */
#define FOLLOW_MS 1000
/* Playing: no faster than this between samples, and no slower. */
#define PLAY_MIN_MS 50
#define PLAY_MAX_MS 10000
#define SPEED_MAX 1024.0

struct replay_src {
	struct rec_reader *r[2];	/* the recording, and --diff-with's */
	const char *path[2];
	int cur;
	bool started;
	bool fed_any;
	size_t base;			/* the first sample fed since the last reset */
	size_t fed;			/* the last sample fed to the ring and the engine */
	size_t pos;			/* the sample shown */
	bool playing;
	double speed;
};

static struct rec_reader *reader(const struct app *a)
{
	return a->replay->r[a->replay->cur];
}

int replay_view_open(struct app *a)
{
	struct replay_src *rs = xcalloc(1, sizeof(*rs));

	a->replay = rs;
	rs->speed = 1;
	rs->path[0] = a->cfg->replay;
	rs->path[1] = a->cfg->replay_other;
	rs->r[0] = replay_open(rs->path[0]);
	if (!rs->r[0])
		return -1;
	if (rs->path[1] && !(rs->r[1] = replay_open(rs->path[1])))
		return -1;
	a->frozen = true;
	return 0;
}

void replay_view_free(struct app *a)
{
	if (!a->replay)
		return;
	rec_reader_free(a->replay->r[0]);
	rec_reader_free(a->replay->r[1]);
	free(a->replay);
	a->replay = NULL;
}

/* A new run (or another recording): the ring and the engine start afresh,
 * as a new live leaktop would. The marks and the view are references and
 * stay. */
static void reset(struct app *a, size_t start)
{
	struct replay_src *rs = a->replay;
	size_t cap = a->hist.cap;
	const struct rec_entry *e = rec_reader_entry(reader(a), start);

	history_free(&a->hist);
	history_init(&a->hist, cap);
	tracker_free(a->tracker);
	a->tracker = tracker_new(NULL);
	suspect_log_free(&a->suspects);
	suspect_log_init(&a->suspects, cap);
	suspect_params_init(&a->sparams);
	/* The recorder's own sockets and memory are never a suspect. */
	a->sparams.self_pid = (int32_t)rec_reader_file(reader(a), e->file)->hdr.pid;
	rs->fed_any = false;
	rs->base = start;
}

/* Feed sample i, as a live tick would: engine, suspects, ring. */
static bool feed(struct app *a, size_t i)
{
	struct replay_src *rs = a->replay;
	const char *err;
	struct snapshot *s = rec_reader_sample(reader(a), i, &err);

	rs->fed = i;
	rs->fed_any = true;
	if (!s) {
		app_message(a, EL_WARN, "sample #%zu: %s", i + 1, err);
		return false;
	}
	app_push_sample(a, s);
	snapshot_unref(s);
	return true;
}

static bool run_between(const struct rec_reader *r, size_t from, size_t to)
{
	for (size_t i = from + 1; i <= to; i++)
		if (replay_run_starts(r, i))
			return true;
	return false;
}

/* Show sample j: from the ring when it is there, else fed forward from the
 * last sample fed, or from the start of its run. */
static void go(struct app *a, size_t j)
{
	struct replay_src *rs = a->replay;
	struct rec_reader *r = reader(a);
	struct snapshot *s;

	if (rs->fed_any && j >= rs->base && j <= rs->fed && rs->fed - j < a->hist.n) {
		s = history_get(&a->hist, rs->fed - j);
		if (s && s->seq == rec_reader_entry(r, j)->seq) {
			app_set_view(a, s);
			rs->pos = j;
			return;
		}
	}
	if (!rs->fed_any || j <= rs->fed || run_between(r, rs->fed, j)) {
		size_t start = j;

		while (!replay_run_starts(r, start))
			start--;
		reset(a, start);
		for (size_t i = start; i < j; i++)
			feed(a, i);
	} else {
		for (size_t i = rs->fed + 1; i < j; i++)
			feed(a, i);
	}
	if (feed(a, j))
		app_set_view(a, history_newest(&a->hist));
	rs->pos = j;
}

static void schedule(struct app *a)
{
	struct replay_src *rs = a->replay;
	struct rec_reader *r = reader(a);
	uint64_t ms = FOLLOW_MS;

	if (rs->playing && rs->pos + 1 < rec_reader_count(r)) {
		uint64_t t0 = rec_reader_entry(r, rs->pos)->t_ns;
		uint64_t t1 = rec_reader_entry(r, rs->pos + 1)->t_ns;

		ms = t1 > t0 ? (uint64_t)((double)(t1 - t0) / 1e6 / rs->speed) : 0;
		if (ms < PLAY_MIN_MS)
			ms = PLAY_MIN_MS;
		if (ms > PLAY_MAX_MS)
			ms = PLAY_MAX_MS;
	}
	a->next_tick_ms = app_now_ms() + ms;
}

void replay_view_tick(struct app *a)
{
	struct replay_src *rs = a->replay;
	struct rec_reader *r = reader(a);

	if (!rs->started) {
		char err[256];
		long i = replay_spec_index(r, a->cfg->replay_at, true, err, sizeof(err));

		rs->started = true;
		if (i == -2)
			app_message(a, EL_WARN, "--at: %s", err);
		else if (i == -1)
			app_message(a, EL_WARN, "--at: no sample there; showing the first");
		go(a, i < 0 ? 0 : (size_t)i);
		schedule(a);
		return;
	}
	/* Follow: a recording still being written grows. */
	for (int k = 0; k < 2; k++)
		if (rs->r[k])
			rec_reader_scan(rs->r[k]);
	if (rs->playing) {
		if (rs->pos + 1 < rec_reader_count(r)) {
			go(a, rs->pos + 1);
		} else {
			rs->playing = false;
			app_message(a, EL_FLAG, "end of the recording: paused");
		}
	}
	schedule(a);
}

int replay_view_step(struct app *a, long dir)
{
	struct replay_src *rs = a->replay;
	size_t n = rec_reader_count(reader(a));

	rs->playing = false;
	if (dir > 0 && rs->pos == 0) {
		app_message(a, EL_WARN, "at the first recorded sample");
		return KR_REDRAW;
	}
	if (dir < 0 && rs->pos + 1 >= n) {
		app_message(a, EL_WARN, "at the last recorded sample");
		return KR_REDRAW;
	}
	go(a, dir > 0 ? rs->pos - 1 : rs->pos + 1);
	return KR_REBUILD;
}

int replay_view_jump(struct app *a, const char *spec)
{
	char err[256];
	long i = replay_spec_index(reader(a), spec, true, err, sizeof(err));

	if (i == -2) {
		app_message(a, EL_WARN, "go to: %s", err);
		return KR_REDRAW;
	}
	if (i == -1) {
		app_message(a, EL_WARN, "go to: no sample at or after %s", spec);
		return KR_REDRAW;
	}
	a->replay->playing = false;
	go(a, (size_t)i);
	app_message(a, EL_FLAG, "sample %ld of %zu", i + 1, rec_reader_count(reader(a)));
	return KR_REBUILD;
}

int replay_view_play(struct app *a)
{
	struct replay_src *rs = a->replay;

	rs->playing = !rs->playing;
	if (rs->playing && rs->pos + 1 >= rec_reader_count(reader(a))) {
		rs->playing = false;
		app_message(a, EL_WARN, "at the last recorded sample");
		return KR_REDRAW;
	}
	app_message(a, EL_FLAG, rs->playing ? "playing at x%g; p pauses" : "paused", rs->speed);
	schedule(a);
	return KR_REDRAW;
}

int replay_view_speed(struct app *a, double mul)
{
	struct replay_src *rs = a->replay;
	double v = rs->speed * mul;

	if (v >= 1.0 / SPEED_MAX && v <= SPEED_MAX)
		rs->speed = v;
	app_message(a, EL_FLAG, "replay speed x%g", rs->speed);
	schedule(a);
	return KR_REDRAW;
}

int replay_view_switch(struct app *a)
{
	struct replay_src *rs = a->replay;
	size_t n;

	if (!rs->r[1]) {
		app_message(a, EL_WARN, "one recording only (--diff-with PATH opens a second)");
		return KR_REDRAW;
	}
	rs->cur = !rs->cur;
	rs->playing = false;
	rs->fed_any = false;
	n = rec_reader_count(reader(a));
	/* The same sample number, or the last. */
	go(a, rs->pos < n ? rs->pos : n - 1);
	app_message(a, EL_FLAG, "now %s; the marks stay", rs->path[rs->cur]);
	return KR_REBUILD;
}

size_t replay_view_flag(const struct app *a, char *out, size_t sz)
{
	const struct replay_src *rs = a->replay;
	const char *name = strrchr(rs->path[rs->cur], '/');
	const struct rec_entry *e;
	char when[16] = "";
	time_t t;
	struct tm tm;
	int len;

	name = name && name[1] ? name + 1 : rs->path[rs->cur];
	if (!rs->started || rs->pos >= rec_reader_count(reader(a)))
		return 0;
	e = rec_reader_entry(reader(a), rs->pos);
	t = (time_t)(e->t_ns / 1000000000u);
	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
	len = snprintf(out, sz, " REPLAY %.24s %zu/%zu %s%s ", name, rs->pos + 1,
		       rec_reader_count(reader(a)), when, rs->playing ? " PLAY" : "");
	return len < 0 ? 0 : (size_t)len < sz ? (size_t)len : sz - 1;
}
