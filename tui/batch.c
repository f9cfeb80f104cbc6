/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "batch.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diff.h"
#include "kstack.h"
#include "sampler.h"
#include "suspects.h"
#include "tracker.h"
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

/*
 * The exposition for node_exporter's textfile collector: written to
 * PATH.tmp beside PATH, then renamed over it, so a scrape reads the whole
 * previous sample or the whole new one, never half of one. The temporary
 * name does not end in .prom, so the collector never reads it.
 */
static int write_textfile(const char *path, const struct diff *d, const struct om_opts *o)
{
	size_t len = strlen(path) + 5;
	char *tmp = xmalloc(len);
	int fd, err = 0;
	FILE *f;

	snprintf(tmp, len, "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		err = errno;
		if (fd >= 0)
			close(fd);
	} else {
		om_write(f, d, o);
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
	return err ? 1 : 0;
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

	if (cfg->sections & SNAP_SUSPECTS) {
		tracker = tracker_new(NULL);
		suspect_params_init(&sparams);
		sparams.self_pid = (int32_t)getpid();
		sample_bits |= SNAP_SUSPECT_SOURCES;
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
		struct diff *d;
		struct suspect_list suspects = { 0 };
		struct om_opts om = { 0 };

		if (i)
			sleep_until(&next, cfg->delay_s);
		if (stop_requested)
			break;
		cur = sampler_tick(sampler, sample_bits);
		if (tracker) {
			tracker_update(tracker, cur);
			suspects_build(tracker, cur, &sparams, &suspects);
			export.suspects = &suspects;
			/* Print only what was asked for, not what the engine needed. */
			cur->sections = cfg->sections;
		}
		d = diff_compute(prev, cur);
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
		if (cfg->textfile) {
			om.dialect = OM_PROMETHEUS;
			status |= write_textfile(cfg->textfile, d, &om);
		}
		om.dialect = OM_OPENMETRICS;
		if (cfg->format == BATCH_JSON)
			export_json(stdout, d, &export);
		else if (cfg->format == BATCH_OPENMETRICS)
			om_write(stdout, d, &om);
		else if (cfg->format == BATCH_TEXT)
			export_text(stdout, d, &export);
		for (size_t k = 0; k < cfg->n_stack_pids; k++)
			kstack_proc_free(&stacks[k]);
		suspect_list_free(&suspects);
		export.suspects = NULL;
		diff_free(d);
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
	tracker_free(tracker);
	sampler_free(sampler);
	free(stacks);
	free(starts);
	free(started);
	return status;
}
