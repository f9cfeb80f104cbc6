/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * leaktop: where did the memory go, and what is still growing?
 * Command line parsing; hands over to batch mode or the interactive TUI.
 * This is the only place that exits on a usage error.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "compat.h"
#include "fields.h"
#include "keys.h"
#include "recread.h"
#include "replay.h"
#include "root.h"
#include "snapshot.h"
#include "tui.h"

#define DEFAULT_DELAY_S 2.0
#define DEFAULT_RECORD_DELAY_S 60.0
#define DEFAULT_TOP 25
#define MAX_STACK_PIDS 32

struct section_name {
	const char *name;
	unsigned int bits;
	const char *help;
};

/* clang-format off */
static const struct section_name section_names[] = {
	{ "mem", SNAP_MEM, "/proc/meminfo breakdown and the unaccounted figure" },
	{ "slab", SNAP_SLAB, "/proc/slabinfo and merged caches (root)" },
	{ "vmalloc", SNAP_VMALLOC, "/proc/vmallocinfo by caller (root)" },
	{ "tmpfs", SNAP_TMPFS, "tmpfs/ramfs mounts and SysV shared memory" },
	{ "sockets", SNAP_SOCKETS | SNAP_TCPINFO, "every socket with skmem and tcp_info (sock_diag)" },
	{ "owners", SNAP_OWNERS | SNAP_SOCKETS | SNAP_TCPINFO | SNAP_PROCS, "socket owners: the /proc/*/fd walk" },
	{ "procs", SNAP_PROCS, "processes: RSS, fds, sockets" },
	{ "fds", SNAP_OWNERS | SNAP_PROCS, "processes with the /proc/*/fd walk (fd and socket counts), no socket dump" },
	{ "pss", SNAP_PSS | SNAP_PROCS, "PSS from smaps_rollup (slower)" },
	{ "tcp", SNAP_TCP, "sockstat, tcp_mem, TcpExt counters" },
	{ "suspects", SNAP_SUSPECTS, "what grows, ranked, with a verdict (samples what it needs)" },
	{ "cgroups", SNAP_CGROUPS, "memory cgroups, v2 and v1: charges, processes, sockets" },
	{ "all", SNAP_ALL, "everything above" },
};
/* clang-format on */

/* Batch default: everything but PSS, which walks every page table. */
#define DEFAULT_SECTIONS (SNAP_ALL & ~SNAP_PSS)

/* clang-format off */
static const struct option long_options[] = {
	{ "batch", no_argument, NULL, 'b' },
	{ "iterations", required_argument, NULL, 'n' },
	{ "delay", required_argument, NULL, 'd' },
	{ "output", required_argument, NULL, 'o' },
	{ "sort", required_argument, NULL, 'S' },
	{ "reverse", no_argument, NULL, 'R' },
	{ "top", required_argument, NULL, 't' },
	{ "sections", required_argument, NULL, 'e' },
	{ "root", required_argument, NULL, 'r' },
	{ "history", required_argument, NULL, 'H' },
	{ "tab", required_argument, NULL, 'T' },
	{ "no-config", no_argument, NULL, 'N' },
	{ "list-keys", no_argument, NULL, 'K' },
	{ "list-columns", no_argument, NULL, 'C' },
	{ "stack", required_argument, NULL, 'k' },
	{ "record", required_argument, NULL, 'w' },
	{ "max-size", required_argument, NULL, 'M' },
	{ "retain", required_argument, NULL, 'E' },
	{ "replay", required_argument, NULL, 'P' },
	{ "from", required_argument, NULL, 'F' },
	{ "to", required_argument, NULL, 'U' },
	{ "diff-with", required_argument, NULL, 'D' },
	{ "at", required_argument, NULL, 'A' },
	{ "with-at", required_argument, NULL, 'W' },
	{ "textfile", required_argument, NULL, 'x' },
	{ "metrics-top", required_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};
/* clang-format on */

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: leaktop [options]\n"
		"Shows where memory went (user space, page cache, tmpfs, slab, vmalloc, socket\n"
		"buffers, unaccounted) and what keeps growing. Interactive unless -b is given.\n"
		"\n"
		"  -b, --batch              print samples to stdout, no curses\n"
		"  -n, --iterations COUNT   batch: number of samples (default 1, 0 = until killed)\n"
		"  -d, --delay SECONDS      seconds between samples (default %.0f; 0.1 to 3600)\n"
		"  -o, --output text|json|openmetrics\n"
		"                           batch output format (default text; json: one object\n"
		"                           per sample per line; openmetrics: one exposition per\n"
		"                           sample, ending in # EOF)\n"
		"      --textfile PATH      batch: write each sample's metrics to PATH (via\n"
		"                           PATH.tmp and rename) for node_exporter's textfile\n"
		"                           collector; nothing on stdout unless -o is given\n"
		"      --metrics-top N      metrics: series per family, N largest and N fastest\n"
		"                           growing, the rest summed as other (default %d, 0 = all)\n"
		"      --sort COLUMN        sort sockets by COLUMN (default skmem; --list-columns)\n"
		"      --reverse            sort ascending instead of the column's default\n"
		"      --top N              batch: sockets and processes printed (default %d,\n"
		"                           0 = all)\n"
		"      --stack PID          batch: also print the kernel stack of every thread\n"
		"                           of PID (root; repeat for more processes)\n"
		"      --sections LIST      batch: what to sample, comma-separated (default all\n"
		"                           but pss):",
		DEFAULT_DELAY_S, OM_DEFAULT_TOP, DEFAULT_TOP);
	for (size_t i = 0; i < ARRAY_SIZE(section_names); i++)
		fprintf(out, "%s%s", i ? "," : " ", section_names[i].name);
	fprintf(out,
		"\n"
		"  -w, --record PATH        append every sample to a recording: PATH is a\n"
		"                           directory (created if missing; one file per run and\n"
		"                           rotation), or one file if it ends in .ltr; implies\n"
		"                           sampling without curses until stopped (or -n\n"
		"                           samples), -d defaults to 60; add -b to print too\n"
		"      --max-size SIZE      --record: start a new file before one passes SIZE\n"
		"                           (e.g. 64M; k, M, G, T)\n"
		"      --retain DURATION    --record: delete recording files older than\n"
		"                           DURATION (e.g. 7d, 12h; s, m, h, d, w)\n"
		"  -P, --replay PATH        print recorded samples as batch output (-b implied)\n"
		"      --from T, --to T     --replay: the first and last sample: #N (the N-th),\n"
		"                           YYYY-MM-DDTHH:MM[:SS][Z], HH:MM[:SS] (today) or\n"
		"                           -DURATION (before now)\n"
		"      --diff-with PATH     --replay: print the sample --with-at T of PATH with\n"
		"                           deltas against the sample --at T of the --replay\n"
		"                           recording (default: the last of each)\n"
		"  -r, --root DIR           read DIR/proc and DIR/sys instead of /proc and /sys\n"
		"                           (also LEAKTOP_ROOT); netlink is used only for /\n"
		"  -H, --history N          samples kept for stepping back and diffs (default %d)\n"
		"      --tab NAME           start on tab NAME (memory, slab, sockets, processes,\n"
		"                           tcp, vmalloc)\n"
		"      --no-config          neither read nor write the settings file\n"
		"      --list-keys          print every key binding and exit\n"
		"      --list-columns       print the socket columns usable with --sort and exit\n"
		"  -h, --help               this text\n"
		"  -V, --version            version\n"
		"\n"
		"Run as root for slab, vmalloc, every process's sockets and kernel stacks;\n"
		"without root leaktop shows what it can and says what is missing.\n",
		TUI_DEFAULT_HISTORY);
}

static void print_columns(const struct field_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		printf("%-10s %s%s\n", t->v[i].id, t->v[i].help,
		       strcmp(t->v[i].id, t->default_sort) == 0 ? " (default)" : "");
}

static ATTR_NORETURN ATTR_FORMAT(1, 2) void usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "leaktop: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'leaktop --help'.\n");
	exit(2);
}

static double parse_seconds(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0.1 && v <= 3600.0))
		usage_error("invalid delay '%s': seconds from 0.1 to 3600", s);
	return v;
}

static unsigned long parse_count(const char *s, const char *what, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '-' || errno || end == s || *end || v > max)
		usage_error("invalid %s '%s': a whole number from 0 to %lu", what, s, max);
	return v;
}

static unsigned int parse_sections(const char *list)
{
	unsigned int bits = 0;
	char *copy = strdup(list), *save = NULL;

	if (!copy)
		usage_error("out of memory parsing '%s'", list);
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(section_names); i++)
			if (strcmp(tok, section_names[i].name) == 0)
				break;
		if (i == ARRAY_SIZE(section_names))
			usage_error("unknown section '%s' (see --help)", tok);
		bits |= section_names[i].bits;
	}
	free(copy);
	if (!bits)
		usage_error("empty section list '%s'", list);
	return bits;
}

/* The recording options go together: each is refused where it means nothing. */
static void check_recording_options(struct batch_config *b, const struct replay_config *r,
				    const char *max_size, const char *retain)
{
	if (b->record && r->path)
		usage_error("--record and --replay: one or the other");
	if ((max_size || retain) && !b->record)
		usage_error("--max-size and --retain go with --record");
	if ((r->from || r->to || r->diff_with) && !r->path)
		usage_error("--from, --to and --diff-with go with --replay");
	if (r->with_at && !r->diff_with)
		usage_error("--with-at goes with --diff-with");
	if (r->at && !r->path)
		usage_error("--at goes with --replay");
	if (r->diff_with && (r->from || r->to))
		usage_error("--diff-with compares two samples (--at, --with-at), not a range");
	if (max_size && (rec_parse_size(max_size, &b->max_size) || b->max_size < 4096))
		usage_error("invalid size '%s': bytes, or with k, M, G, T; at least 4k", max_size);
	if (retain && (rec_parse_duration(retain, &b->retain_s) || !b->retain_s))
		usage_error("invalid duration '%s': e.g. 7d, 12h, 30m, 90s", retain);
	if (b->record && rec_path_is_file(b->record) && (max_size || retain))
		usage_error("--max-size and --retain need a directory, not one .ltr file");
}

int main(int argc, char **argv)
{
	struct batch_config batch = { 0 };
	struct tui_config tui = { 0 };
	struct root root;
	const char *root_dir = NULL, *sort = NULL, *output = NULL;
	bool batch_mode = false, reverse = false, count_given = false;
	unsigned long count = 1, top = DEFAULT_TOP, history = TUI_DEFAULT_HISTORY;
	unsigned long metrics_top = OM_DEFAULT_TOP;
	unsigned int sections = DEFAULT_SECTIONS;
	int32_t stack_pids[MAX_STACK_PIDS];
	size_t n_stack_pids = 0;
	double delay = 0;	/* 0: not given; the TUI then uses its saved interval */
	struct replay_config replay = { 0 };
	const char *max_size = NULL, *retain = NULL;
	int c, ret;

	/* A sample is arrays of megabytes (18 MB of sockets at 100k) that live
	 * a few seconds. glibc raises its mmap threshold to the size of the
	 * first such block freed, after which they come from the heap, whose
	 * free pages stay with the process between the worker's trims and
	 * fragment it: at 1 MiB they stay mmap'd and go back whole when freed
	 * (the TUI's peak at 100k sockets 193 -> 110 MB, doc/performance.md). */
	mallopt(M_MMAP_THRESHOLD, 1 << 20);

	while ((c = getopt_long(argc, argv, "bn:d:o:r:H:hVw:P:", long_options, NULL)) != -1) {
		switch (c) {
		case 'b': batch_mode = true; break;
		case 'n':
			count = parse_count(optarg, "count", 100000000);
			count_given = true;
			break;
		case 'd': delay = parse_seconds(optarg); break;
		case 'o': output = optarg; break;
		case 'S': sort = optarg; break;
		case 'R': reverse = true; break;
		case 't': top = parse_count(optarg, "--top", 100000000); break;
		case 'e': sections = parse_sections(optarg); break;
		case 'r': root_dir = optarg; break;
		case 'H': history = parse_count(optarg, "history", 100000); break;
		case 'T': tui.initial_tab = optarg; break;
		case 'N': tui.no_config = 1; break;
		case 'K': keys_print_list(stdout); return 0;
		case 'C': print_columns(&fields_sockets); return 0;
		case 'x': batch.textfile = optarg; break;
		case 'm': metrics_top = parse_count(optarg, "--metrics-top", 100000000); break;
		case 'k':
			if (n_stack_pids == MAX_STACK_PIDS)
				usage_error("at most %d --stack options", MAX_STACK_PIDS);
			stack_pids[n_stack_pids++] =
				(int32_t)parse_count(optarg, "pid", INT32_MAX);
			break;
		case 'w': batch.record = optarg; break;
		case 'M': max_size = optarg; break;
		case 'E': retain = optarg; break;
		case 'P': replay.path = optarg; break;
		case 'F': replay.from = optarg; break;
		case 'U': replay.to = optarg; break;
		case 'D': replay.diff_with = optarg; break;
		case 'A': replay.at = optarg; break;
		case 'W': replay.with_at = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("%s\n", PACKAGE_STRING); return 0;
		default: fprintf(stderr, "Try 'leaktop --help'.\n"); return 2;
		}
	}
	if (optind < argc)
		usage_error("unexpected argument '%s'", argv[optind]);
	if (history < 2)
		usage_error("invalid history '%lu': at least 2", history);
	if (!output)
		batch.format = batch.textfile ? BATCH_NONE : BATCH_TEXT;
	else if (strcmp(output, "text") == 0)
		batch.format = BATCH_TEXT;
	else if (strcmp(output, "json") == 0)
		batch.format = BATCH_JSON;
	else if (strcmp(output, "openmetrics") == 0)
		batch.format = BATCH_OPENMETRICS;
	else
		usage_error("invalid output format '%s': text, json or openmetrics", output);
	if (batch.textfile && !batch_mode && !batch.record)
		usage_error("--textfile needs batch mode (-b) or --record");
	batch.export.sock_sort = fields_find(&fields_sockets, sort ? sort : "skmem");
	if (!batch.export.sock_sort)
		usage_error("unknown socket column '%s' (see --list-columns)", sort);
	check_recording_options(&batch, &replay, max_size, retain);
	if (replay.path && !batch_mode && !output && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO)) {
		/* On a terminal: the TUI over the recording. */
		tui.replay = replay.path;
		tui.replay_other = replay.diff_with;
		tui.replay_at = replay.at;
		tui.delay_s = delay;
		tui.history = history;
		tui.sort = sort;
		return tui_run(&tui);
	}
	if (replay.path) {
		if (replay.at && !replay.diff_with)
			usage_error("--at goes with --diff-with (or with --replay on a terminal)");
		replay.format = batch.format;
		replay.sections = sections;
		replay.export = batch.export;
		replay.export.sock_reverse = reverse;
		replay.export.top = top;
		return replay_run(&replay);
	}

	ret = root_open(&root, root_dir);
	if (ret) {
		fprintf(stderr, "leaktop: root %s: %s\n",
			root_dir ? root_dir : getenv(ROOT_ENV) ? getenv(ROOT_ENV) : "/",
			strerror(-ret));
		return 1;
	}
	if (batch_mode || batch.record) {
		batch.root = &root;
		/* A recorder runs until stopped unless told otherwise. */
		batch.count = batch.record && !count_given ? 0 : count;
		batch.quiet = !batch_mode;
		batch.delay_s = delay ? delay : batch.record ? DEFAULT_RECORD_DELAY_S : DEFAULT_DELAY_S;
		batch.sections = sections;
		batch.export.sock_reverse = reverse;
		batch.export.top = top;
		batch.stack_pids = stack_pids;
		batch.n_stack_pids = n_stack_pids;
		batch.metrics_top = metrics_top;
		ret = batch_run(&batch);
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr, "leaktop: not a terminal; use -b for batch output\n");
			root_close(&root);
			return 1;
		}
		tui.root = &root;
		tui.delay_s = delay;
		tui.history = history;
		tui.sort = sort;
		ret = tui_run(&tui);
	}
	root_close(&root);
	return ret;
}
