/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The state every part of the TUI reads: the sampler and history, the
 * snapshot on screen, freeze and the A/B marks, the diff shown, the tabs'
 * tables, the drill-down stack and the modes (help, column chooser,
 * prompt). Owned by loop.c; views only read it, key handlers change it and
 * return what must happen next (enum key_result).
 */
#ifndef LEAKTOP_APP_H
#define LEAKTOP_APP_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis.h"
#include "diff.h"
#include "history.h"
#include "page.h"
#include "prompt.h"
#include "sample_worker.h"
#include "sampler.h"
#include "snapshot.h"
#include "table.h"
#include "tui.h"

enum tab_id {
	TAB_SUSPECTS,
	TAB_MEMORY,
	TAB_SLAB,
	TAB_SOCKETS,
	TAB_PROCS,
	TAB_TCP,
	TAB_VMALLOC,
	TAB_CGROUPS,
	TAB_COUNT,
};

enum app_mode {
	MODE_VIEW,	/* a tab, or the drill-down on top of it */
	MODE_HELP,
	MODE_COLUMNS,	/* column chooser of the current table */
	MODE_PROMPT,	/* the status line edits a filter or the interval */
};

#define DRILL_MAX 8

enum drill_kind {
	DRILL_SOCK,
	DRILL_PROC,
	DRILL_SLAB,
	DRILL_SUSPECT,	/* the evidence of a suspect, by struct suspect's table key */
	DRILL_CGROUP,	/* a cgroup, by hierarchy and id (fields_cgroups' key) */
};

/* The Processes or Sockets tab shown for one cgroup's members (Enter on
 * the cgroup page); Esc goes back to that page. */
struct cgroup_filter {
	bool on;
	int tab;			/* enum tab_id it applies to */
	uint8_t hier;			/* enum cgroup_hier */
	uint64_t id;
	char name[64];			/* sanitized, for the filter line */
};

struct kstack_proc;
struct replay_src;

/* One level of the drill-down: what it shows, by identity, and its page. */
struct drill_view {
	uint8_t kind;			/* enum drill_kind */
	uint64_t k[2];			/* inode+cookie, pid+starttime, slab name hash */
	char name[64];			/* slab cache name */
	struct page page;
	struct kstack_proc *stacks;	/* kernel stacks of the processes involved */
	size_t nstacks;
};

/* What leaktop costs, for the header: the user must be able to see that
 * the tool is not part of the problem. */
struct app_cost {
	uint64_t ui_ns_per_s;		/* CPU of the UI thread, last second or so */
	uint64_t ui_cpu0_ns, ui_t0_ms;	/* start of the window */
	uint64_t analysis_ns;		/* CPU of the newest sample's analysis step */
	size_t hist_bytes;		/* what the ring's snapshots hold */
	size_t hist_want;		/* the depth asked for (-H) */
	size_t hist_budget;		/* the ring's byte budget */
};

struct app {
	const struct tui_config *cfg;
	/* Sampling runs on the worker's thread (sample_worker.h): the sampler
	 * is never touched here, the tracker only under the worker's lock,
	 * which the loop holds except while it waits for input. */
	struct sample_worker *worker;
	struct sampler *sampler;
	struct replay_src *replay;	/* --replay on a terminal (replay_view.h), or NULL */
	struct history hist;
	/* The trend engine, fed every new sample once, in order (stepping
	 * through history feeds nothing), and each sample's suspects. */
	struct tracker *tracker;
	struct suspect_params sparams;
	struct suspect_log suspects;
	struct snapshot *view;		/* shown; own ref (== newest unless frozen) */
	struct snapshot *mark_a;	/* own ref or NULL */
	struct snapshot *mark_b;	/* own ref, or NULL: B is "now" */
	struct diff *diff;		/* what the tables show: prev->view, or A->B */
	bool frozen;
	bool diff_mode;
	double delay_s;
	uint64_t next_tick_ms;
	int tab;			/* enum tab_id */
	struct table tables[TAB_COUNT];	/* for the tabs with a fields table */
	int saved_sort[TAB_COUNT];	/* the sort before the diff view took over */
	bool saved_desc[TAB_COUNT];
	struct page pages[TAB_COUNT];	/* for the page tabs */
	char page_filters[TAB_COUNT][TABLE_FILTER_MAX];	/* pages[i].filter points here */
	struct drill_view drill[DRILL_MAX];
	size_t ndrill;
	enum app_mode mode;
	struct page help;
	int col_cursor;			/* column chooser line */
	struct prompt prompt;
	char msg[256];			/* one-off message for the message line */
	int msg_el;
	uint64_t msg_until_ms;
	bool quit;
	bool no_config;
	int body_h;			/* rows of the table/page area in the last frame */
	/* The Cgroups tab: the hierarchy chosen with v (until then the one
	 * that charges memory) and the tree view. */
	bool cg_hier_set;
	uint8_t cg_hier;		/* enum cgroup_hier */
	bool cg_tree;
	struct cgroup_filter cgfilter;
	struct app_cost cost;
	double worker_delay_s;		/* the interval the worker was last given */
	/* What each table's rows were built from (the diff's generation, the
	 * shown sample and the cgroup it was narrowed to): a rebuild with the
	 * same key keeps the rows, and a diff of the same two samples is
	 * kept, so a key costs no sort. */
	uint64_t diff_gen;
	uint64_t rows_gen[TAB_COUNT], rows_seq[TAB_COUNT];
	struct cgroup_filter rows_cg[TAB_COUNT];
};

/* Monotonic milliseconds. */
uint64_t app_now_ms(void);
/* Show a message on the message line for a few seconds. */
void app_message(struct app *a, int el, const char *fmt, ...) ATTR_FORMAT(3, 4);
/* The snapshot B of the diff view: mark B, or the newest. */
struct snapshot *app_mark_b(const struct app *a);
struct snapshot *app_newest(const struct app *a);
/* The suspects of the shown sample, or NULL when no longer kept. */
const struct suspect_list *app_suspects(const struct app *a);
/* The engine for the growth columns: only while the shown sample is the
 * newest it was fed (its estimates are of that moment), else NULL. */
struct tracker *app_tracker_now(const struct app *a);
/* Rebuild the diff and the current tab's rows after the view changed. */
void app_rebuild(struct app *a);
/* The snapshot sections the visible tab, open drill-downs and marks need. */
unsigned int app_sections(const struct app *a);
/* Show s (a new reference; the old view's is dropped). */
void app_set_view(struct app *a, struct snapshot *s);
/* A recorded sample, in order: the trend engine, its suspects, the ring. */
void app_push_sample(struct app *a, struct snapshot *s);

#endif
