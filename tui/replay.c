/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "replay.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "diff.h"
#include "recread.h"
#include "suspects.h"
#include "tracker.h"

static void print_notes(struct rec_reader *r, size_t *shown)
{
	const struct notes *ns = rec_reader_notes(r);

	for (; *shown < ns->n; (*shown)++)
		fprintf(stderr, "leaktop: note: %s: %s\n", ns->v[*shown].source, ns->v[*shown].msg);
}

struct rec_reader *replay_open(const char *path)
{
	char err[PATH_MAX + 256];
	struct rec_reader *r = rec_reader_open(path, err, sizeof(err));
	size_t shown = 0;
	uint64_t tail;

	if (!r) {
		fprintf(stderr, "leaktop: %s\n", err);
		return NULL;
	}
	print_notes(r, &shown);
	tail = rec_reader_tail(r);
	if (tail)
		fprintf(stderr,
			"leaktop: note: %s: the last %llu bytes are not a complete record (a torn write, or one still being written); ignored\n",
			rec_reader_file(r, rec_reader_nfiles(r) - 1)->path, (unsigned long long)tail);
	if (!rec_reader_count(r)) {
		fprintf(stderr, "leaktop: %s: no samples recorded%s\n", path,
			rec_reader_file(r, 0)->have_hdr ? " (a file header only)" : " (an empty file)");
		rec_reader_free(r);
		return NULL;
	}
	return r;
}

long replay_spec_index(const struct rec_reader *r, const char *spec, bool first, char *err,
		       size_t errsz)
{
	uint64_t t;
	size_t idx, n = rec_reader_count(r);

	if (!spec)
		return first ? 0 : (long)n - 1;
	if (rec_time_parse(spec, time(NULL), &t, &idx, err, errsz))
		return -2;
	if (!t)
		return idx < n ? (long)idx : -1;
	idx = rec_reader_at(r, t);
	if (first)
		return idx < n ? (long)idx : -1;
	if (idx < n && rec_reader_entry(r, idx)->t_ns == t)
		return (long)idx;
	return (long)idx - 1;
}

/* replay_spec_index, saying why on stderr for a bad spec. */
static long resolve(const struct rec_reader *r, const char *spec, bool first, const char *opt)
{
	char err[256];
	long i = replay_spec_index(r, spec, first, err, sizeof(err));

	if (i == -2)
		fprintf(stderr, "leaktop: %s: %s\n", opt, err);
	return i;
}

/* Print b against a; 0, 1 at a closed pipe, -1 on an output error. */
static int print_sample(struct snapshot *a, struct snapshot *b, unsigned int want,
			enum batch_format format, const struct export_opts *export)
{
	struct om_opts om = { .top = OM_DEFAULT_TOP, .suspects = export->suspects };

	batch_print(a, b, want, format, export, &om);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		if (errno == EPIPE)
			return 1;
		fprintf(stderr, "leaktop: writing output: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

bool replay_run_starts(const struct rec_reader *r, size_t i)
{
	const struct rec_entry *e = rec_reader_entry(r, i), *p;

	if (!i)
		return true;
	p = rec_reader_entry(r, i - 1);
	return e->seq <= p->seq ||
	       rec_reader_file(r, e->file)->hdr.pid != rec_reader_file(r, p->file)->hdr.pid;
}

static int replay_range(struct rec_reader *r, const struct replay_config *cfg)
{
	long from = resolve(r, cfg->from, true, "--from"), to = resolve(r, cfg->to, false, "--to");
	size_t start, printed = 0, shown = rec_reader_notes(r)->n;
	struct snapshot *prev = NULL;
	struct tracker *tracker = NULL;
	struct suspect_params sparams;
	struct export_opts export = cfg->export;
	int status = 0;

	if (from == -2 || to == -2)
		return 2;
	if (from < 0 || to < 0 || from > to) {
		fprintf(stderr, "leaktop: %s: no samples between --from and --to (%zu recorded)\n",
			cfg->path, rec_reader_count(r));
		return 1;
	}
	/* Decode from the start of the run, for the trend engine and deltas. */
	for (start = (size_t)from; !replay_run_starts(r, start); start--)
		;
	for (size_t i = start; i <= (size_t)to; i++) {
		const char *err;
		struct snapshot *cur;
		struct suspect_list suspects = { 0 };
		unsigned int want;

		if (replay_run_starts(r, i)) {
			snapshot_unref(prev);
			prev = NULL;
			tracker_free(tracker);
			tracker = NULL;
		}
		cur = rec_reader_sample(r, i, &err);
		if (!cur) {
			if (i >= (size_t)from)
				fprintf(stderr, "leaktop: note: %s\n", err);
			continue;
		}
		want = cfg->sections & cur->sections;
		if (want & SNAP_SUSPECTS) {
			if (!tracker) {
				tracker = tracker_new(NULL);
				suspect_params_init(&sparams);
				sparams.self_pid =
					(int32_t)rec_reader_file(r, rec_reader_entry(r, i)->file)->hdr.pid;
			}
			tracker_update(tracker, cur);
			if (i >= (size_t)from)
				suspects_build(tracker, cur, &sparams, &suspects);
			export.suspects = &suspects;
		}
		if (i >= (size_t)from) {
			int ret = print_sample(prev, cur, want, cfg->format, &export);

			printed++;
			if (ret) {
				status = ret < 0 ? 1 : 0;
				suspect_list_free(&suspects);
				snapshot_unref(cur);
				break;
			}
		}
		suspect_list_free(&suspects);
		export.suspects = NULL;
		snapshot_unref(prev);
		prev = cur;
	}
	print_notes(r, &shown);
	snapshot_unref(prev);
	tracker_free(tracker);
	if (!printed && !status) {
		fprintf(stderr, "leaktop: %s: no sample between --from and --to could be decoded\n",
			cfg->path);
		status = 1;
	}
	return status;
}

static int replay_diff(struct rec_reader *ra, const struct replay_config *cfg)
{
	struct rec_reader *rb = replay_open(cfg->diff_with);
	struct snapshot *a = NULL, *b = NULL;
	const char *err;
	long ia, ib;
	int status = 1;

	if (!rb)
		return 1;
	ia = resolve(ra, cfg->at, true, "--at");
	ib = resolve(rb, cfg->with_at, true, "--with-at");
	if (ia == -2 || ib == -2) {
		status = 2;
		goto out;
	}
	if (ia < 0 || ib < 0) {
		fprintf(stderr, "leaktop: %s: no such sample\n", ia < 0 ? cfg->path : cfg->diff_with);
		goto out;
	}
	if (!(a = rec_reader_sample(ra, (size_t)ia, &err)) ||
	    !(b = rec_reader_sample(rb, (size_t)ib, &err))) {
		fprintf(stderr, "leaktop: %s\n", err);
		goto out;
	}
	/* Two recordings have two monotonic clocks: no rates (0), only deltas. */
	{
		uint64_t mono = b->t_mono_ns;

		b->t_mono_ns = a->t_mono_ns;
		status = print_sample(a, b, cfg->sections & a->sections & b->sections, cfg->format,
				      &cfg->export) < 0;
		b->t_mono_ns = mono;
	}
out:
	snapshot_unref(a);
	snapshot_unref(b);
	rec_reader_free(rb);
	return status;
}

int replay_run(const struct replay_config *cfg)
{
	struct rec_reader *r = replay_open(cfg->path);
	int status;

	if (!r)
		return 1;
	/* A closed pipe (leaktop -b | head) is a normal end, seen as EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	status = cfg->diff_with ? replay_diff(r, cfg) : replay_range(r, cfg);
	rec_reader_free(r);
	return status;
}
