/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "batch.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "diff.h"
#include "kstack.h"
#include "recwrite.h"
#include "sampler.h"
#include "xalloc.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	stop_requested = 1;
}

/* Sleep until an absolute point of a fixed timeline, so the interval does
 * not drift by the time each sample takes. */
static void sleep_until(struct timespec *next, double delay_s)
{
	long sec = (long)delay_s;

	next->tv_sec += sec;
	next->tv_nsec += (long)((delay_s - (double)sec) * 1e9);
	if (next->tv_nsec >= 1000000000L) {
		next->tv_sec++;
		next->tv_nsec -= 1000000000L;
	}
	while (!stop_requested &&
	       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) == EINTR)
		;
}

/* The diff of b against a as the output shows it: only the sections in
 * want. The snapshots are restored after, for the encoder and the reader. */
static struct diff *print_diff(struct snapshot *a, struct snapshot *b, unsigned int want,
			       unsigned int saved[2])
{
	saved[0] = a ? a->sections : 0;
	saved[1] = b->sections;
	if (a)
		a->sections &= want;
	b->sections &= want;
	return diff_compute(a, b);
}

static void print_done(struct diff *d, struct snapshot *a, struct snapshot *b,
		       const unsigned int saved[2])
{
	diff_free(d);
	if (a)
		a->sections = saved[0];
	b->sections = saved[1];
}

void batch_print(struct snapshot *a, struct snapshot *b, unsigned int want,
		 enum batch_format format, const struct export_opts *export,
		 const struct om_opts *om)
{
	unsigned int saved[2];
	struct diff *d = print_diff(a, b, want, saved);

	if (format == BATCH_JSON) {
		export_json(stdout, d, export);
	} else if (format == BATCH_OPENMETRICS) {
		struct om_opts o = *om;

		o.dialect = OM_OPENMETRICS;
		om_write(stdout, d, &o);
	} else if (format == BATCH_TEXT) {
		export_text(stdout, d, export);
	}
	print_done(d, a, b, saved);
}

/*
 * The exposition for node_exporter's textfile collector: written to
 * PATH.tmp beside PATH, then renamed over it, so a scrape reads the whole
 * previous sample or the whole new one, never half of one. The temporary
 * name does not end in .prom, so the collector never reads it.
 */
int batch_textfile(struct snapshot *a, struct snapshot *b, unsigned int want, const char *path,
		   const struct om_opts *om)
{
	size_t len = strlen(path) + 5;
	char *tmp = xmalloc(len);
	unsigned int saved[2];
	struct diff *d = print_diff(a, b, want, saved);
	struct om_opts o = *om;
	int fd, err = 0;
	FILE *f;

	o.dialect = OM_PROMETHEUS;
	snprintf(tmp, len, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		err = errno;
		if (fd >= 0)
			close(fd);
	} else {
		om_write(f, d, &o);
		if (ferror(f))
			err = EIO;
		if (fclose(f) == EOF && !err)
			err = errno;
		if (!err && rename(tmp, path) < 0)
			err = errno;
	}
	if (err) {
		fprintf(stderr, "leaktop: writing %s: %s\n", path, strerror(err));
		unlink(tmp);
	}
	free(tmp);
	print_done(d, a, b, saved);
	return err ? 1 : 0;
}

static struct rec_writer *record_open(const struct batch_config *cfg)
{
	struct rec_header host;
	struct rec_writer_opts o = { .path = cfg->record, .max_size = cfg->max_size,
				     .retain_s = cfg->retain_s, .host = &host };
	char err[PATH_MAX + 256];
	struct rec_writer *w;

	rec_header_from_root(&host, cfg->root);
	w = rec_writer_open(&o, err, sizeof(err));
	if (!w)
		fprintf(stderr, "leaktop: --record: %s\n", err);
	return w;
}

/* Append cur; say so once when writing starts failing and once when it
 * works again, not at every interval. */
static void record_sample(struct rec_writer *w, struct snapshot *cur, bool *failing)
{
	const struct rec_writer_stats *st = rec_writer_stats(w);
	uint64_t lost = st->lost;

	if (rec_writer_append(w, cur)) {
		if (!*failing)
			fprintf(stderr,
				"leaktop: --record: %s; the recording stays valid up to its last written sample; trying again every interval\n",
				rec_writer_error(w));
		*failing = true;
	} else if (*failing) {
		fprintf(stderr, "leaktop: --record: writing %s again (%llu samples lost so far)\n",
			rec_writer_file(w), (unsigned long long)lost);
		*failing = false;
	}
}

int batch_run(const struct batch_config *cfg)
{
	struct sigaction sa;
	struct sampler *sampler = sampler_new(cfg->root);
	struct snapshot *prev = NULL;
	struct kstack_proc *stacks = xcalloc(cfg->n_stack_pids + 1, sizeof(*stacks));
	/* Each --stack pid means the process that had it when first seen. */
	uint64_t *starts = xcalloc(cfg->n_stack_pids + 1, sizeof(*starts));
	bool *started = xcalloc(cfg->n_stack_pids + 1, sizeof(*started));
	struct export_opts export = cfg->export;
	struct timespec next;
	int status = 0;
	/* The trend engine lives across the run: suspects need several samples. */
	struct tracker *tracker = NULL;
	struct suspect_params sparams;
	unsigned int sample_bits = cfg->sections;
	struct rec_writer *rec = NULL;
	bool rec_failing = false;

	if (cfg->sections & SNAP_SUSPECTS) {
		tracker = tracker_new(NULL);
		suspect_params_init(&sparams);
		sparams.self_pid = (int32_t)getpid();
		sample_bits |= SNAP_SUSPECT_SOURCES;
	}

	if (cfg->record && !(rec = record_open(cfg))) {
		tracker_free(tracker);
		sampler_free(sampler);
		free(stacks);
		free(starts);
		free(started);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A closed pipe (leaktop -b | head) is a normal end, seen as EPIPE. */
	signal(SIGPIPE, SIG_IGN);
	clock_gettime(CLOCK_MONOTONIC, &next);

	for (unsigned long i = 0; !stop_requested && (!cfg->count || i < cfg->count); i++) {
		struct snapshot *cur;
		struct suspect_list suspects = { 0 };
		struct om_opts om = { 0 };

		if (i)
			sleep_until(&next, cfg->delay_s);
		if (stop_requested)
			break;
		cur = sampler_tick(sampler, sample_bits);
		/* What the sampler keeps of this scan (the fd walk's memos and
		 * scratch, carried tables) serves only a next sample: after the
		 * last one it goes before the export, which is the run's peak
		 * (3 MB at 100k sockets). */
		if (cfg->count && i + 1 == cfg->count) {
			sampler_free(sampler);
			sampler = NULL;
		}
		/* All that was sampled, so a replay can feed the trend engine too. */
		if (rec)
			record_sample(rec, cur, &rec_failing);
		if (tracker) {
			analysis_step(tracker, cur, &sparams, &suspects);
			export.suspects = &suspects;
		}
		for (size_t k = 0; k < cfg->n_stack_pids; k++) {
			if (!started[k])
				started[k] = kstack_starttime(cfg->root, cfg->stack_pids[k],
							      &starts[k]) == 0;
			if (started[k])
				kstack_read_process(cfg->root, cfg->stack_pids[k], starts[k], 0,
						    &stacks[k]);
			else
				kstack_read(cfg->root, cfg->stack_pids[k], 0, &stacks[k]);
		}
		export.stacks = stacks;
		export.nstacks = cfg->n_stack_pids;
		om.top = cfg->metrics_top;
		om.suspects = export.suspects;
		/* Print only what was asked for, not what the engine needed. */
		if (cfg->textfile)
			status |= batch_textfile(prev, cur, cfg->sections, cfg->textfile, &om);
		if (!cfg->quiet && cfg->format != BATCH_NONE)
			batch_print(prev, cur, cfg->sections, cfg->format, &export, &om);
		for (size_t k = 0; k < cfg->n_stack_pids; k++)
			kstack_proc_free(&stacks[k]);
		suspect_list_free(&suspects);
		export.suspects = NULL;
		snapshot_unref(prev);
		prev = cur;
		if (fflush(stdout) == EOF || ferror(stdout)) {
			if (errno != EPIPE) {
				fprintf(stderr, "leaktop: writing output: %s\n", strerror(errno));
				status = 1;
			}
			break;
		}
	}
	snapshot_unref(prev);
	if (rec) {
		const struct rec_writer_stats *st = rec_writer_stats(rec);

		if (st->lost) {
			fprintf(stderr, "leaktop: --record: %llu of %llu samples could not be written\n",
				(unsigned long long)st->lost,
				(unsigned long long)(st->lost + st->records));
			if (!status)
				status = BATCH_EXIT_RECORD_LOST;
		}
		if (rec_writer_close(rec) && !status)
			status = BATCH_EXIT_RECORD_LOST;
	}
	tracker_free(tracker);
	sampler_free(sampler);
	free(stacks);
	free(starts);
	free(started);
	return status;
}
