/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cgroup_bench: milliseconds per cgroup_scan() of a generated v2 tree of N
 * cgroups (default 10000: 100 slices of 99 services under the root), each
 * with memory.current, memory.max, memory.stat (the 6.x key set) and
 * memory.events, made in a temporary directory and removed after. Built
 * with the tests, never run by them: timing is not a test.
 *
 *   cgroup_bench [cgroups [rounds [dir]]]
 *   -> "cgroups=10000 rounds=20 ms_per_scan=41.2 best_ms=39.8 cpu_ms_per_scan=38.0 rows=10001"
 *
 * With dir, the tree is made there unless dir already holds one, and kept.
 * Wall time on a loaded machine is mostly waiting for a CPU: cpu_ms is the
 * process's user + system time, the cost of the scan itself. The scans keep
 * a cgroup_cache as the sampler does (limits and events re-read every
 * CG_SLOW_REFRESH_SCANS scans, memory.stat when memory.current moved or
 * with them); CGBENCH_NOCACHE=1 reads every file every scan. The tree's
 * memory.current does not change between scans (idle cgroups) unless
 * CGBENCH_CHURN=K, which before each scan writes a new value into the
 * memory.current of every K-th service of each slice and of every slice
 * (the kernel charges a child's pages to its parents too): K=1 is every
 * cgroup busy, K=10 one service in ten; the writing is not timed.
 * slow_reads and stat_reads are how many cgroups read their slow files
 * and memory.stat per scan; carried, how many leaves were carried whole
 * (their parent's charge still). CGBENCH_EACH=1 prints each scan's time
 * and the running counts on stderr.
 */
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_scan.h"
#include "root.h"

#define PER_SLICE 99

static const char stat_text[] =
	"anon 104857600\nfile 419430400\nkernel 20971520\nkernel_stack 65536\n"
	"pagetables 131072\nsec_pagetables 0\npercpu 4096\nsock 8192\nvmalloc 8192\n"
	"shmem 40960\nzswap 0\nzswapped 0\nfile_mapped 1048576\nfile_dirty 0\n"
	"file_writeback 0\nswapcached 0\nanon_thp 0\nfile_thp 0\nshmem_thp 0\n"
	"inactive_anon 104857600\nactive_anon 0\ninactive_file 419430400\nactive_file 0\n"
	"unevictable 0\nslab_reclaimable 200000\nslab_unreclaimable 300000\nslab 500000\n"
	"workingset_refault_anon 0\nworkingset_refault_file 0\nworkingset_activate_anon 0\n"
	"workingset_activate_file 0\nworkingset_restore_anon 0\nworkingset_restore_file 0\n"
	"workingset_nodereclaim 0\npgscan 0\npgsteal 0\npgscan_kswapd 0\npgscan_direct 0\n"
	"pgsteal_kswapd 0\npgsteal_direct 0\npgfault 1234\npgmajfault 0\npgrefill 0\n"
	"pgactivate 0\npgdeactivate 0\npglazyfree 0\npglazyfreed 0\nthp_fault_alloc 0\n"
	"thp_collapse_alloc 0\n";

static void put(int dfd, const char *name, const char *text)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror(name);
		exit(1);
	}
	close(fd);
}

static void make_cgroup(int dfd)
{
	put(dfd, "cgroup.procs", "");
	put(dfd, "memory.current", "524288000\n");
	put(dfd, "memory.max", "max\n");
	put(dfd, "memory.stat", stat_text);
	put(dfd, "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
}

static int sub(int dfd, const char *name)
{
	int fd;

	if (mkdirat(dfd, name, 0755) < 0 && errno != EEXIST) {
		perror(name);
		exit(1);
	}
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		perror(name);
		exit(1);
	}
	return fd;
}

/* The cgroups of build_tree, in its order: slice s, then its services. */
static void cgroup_name_at(long i, char *name, size_t sz)
{
	long s = i / (PER_SLICE + 1), k = i % (PER_SLICE + 1);

	if (k == 0)
		snprintf(name, sz, "bench-%ld.slice", s);
	else
		snprintf(name, sz, "bench-%ld.slice/unit-%ld.service", s, k - 1);
}

/* A new memory.current for every slice and every k-th service of the
 * tree under root. */
static void churn(int root, long n, long round, long every)
{
	char name[128], path[160], text[32];

	snprintf(text, sizeof(text), "%ld\n", 524288000 + round * 4096);
	for (long i = 0; i < n; i++) {
		long k = i % (PER_SLICE + 1);

		if (k > 0 && (k - 1) % every)
			continue;
		cgroup_name_at(i, name, sizeof(name));
		snprintf(path, sizeof(path), "%s/memory.current", name);
		put(root, path, text);
	}
}

static void build_tree(const char *dir, long n)
{
	int top = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), proc, self, cg, fs, root;
	char mi[512];

	proc = sub(top, "proc");
	self = sub(proc, "self");
	snprintf(mi, sizeof(mi), "1 0 0:1 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
	put(self, "mountinfo", mi);
	cg = sub(top, "sys");
	fs = sub(cg, "fs");
	root = sub(fs, "cgroup");
	put(root, "cgroup.controllers", "cpu io memory pids\n");
	put(root, "cgroup.procs", "1\n");
	for (long made = 0, s = 0; made < n; s++) {
		char name[64];
		int slice;

		snprintf(name, sizeof(name), "bench-%ld.slice", s);
		slice = sub(root, name);
		make_cgroup(slice);
		made++;
		for (int k = 0; k < PER_SLICE && made < n; k++, made++) {
			int svc;

			snprintf(name, sizeof(name), "unit-%d.service", k);
			svc = sub(slice, name);
			make_cgroup(svc);
			close(svc);
		}
		close(slice);
	}
	close(root);
	close(fs);
	close(cg);
	close(self);
	close(proc);
	close(top);
}

static double clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000, rounds = argc > 2 ? atol(argv[2]) : 20;
	char tmpl[] = "/tmp/leaktop-cgbench-XXXXXX";
	const char *dir = argc > 3 ? argv[3] : NULL;
	double total = 0, best = 1e18, cpu = 0;
	long busy = getenv("CGBENCH_CHURN") ? atol(getenv("CGBENCH_CHURN")) : 0;
	bool each = getenv("CGBENCH_EACH") != NULL;
	int cgroot = -1;
	struct stat st;
	struct cgroup_table t = { 0 };
	struct notes ns = { 0 };
	struct cgroup_cache cache = { 0 }, *cp = getenv("CGBENCH_NOCACHE") ? NULL : &cache;
	uint64_t slow0, stat0, carried0;
	struct root r;
	char cmd[256];

	if (n < 1 || rounds < 1)
		return 2;
	if (!dir) {
		dir = mkdtemp(tmpl);
		if (!dir)
			return 1;
		build_tree(dir, n);
	} else {
		char mi[4096];

		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return 1;
		snprintf(mi, sizeof(mi), "%s/proc/self/mountinfo", dir);
		if (stat(mi, &st) < 0)
			build_tree(dir, n);
	}
	if (root_open(&r, dir))
		return 1;
	cgroup_scan(&r, &t, cp, &ns);	/* warm the dentry cache (and fill the cache) once */
	slow0 = cache.slow_reads;
	stat0 = cache.stat_reads;
	carried0 = cache.carried;
	if (busy < 0)
		return 2;
	if (busy) {
		char top[4096];

		snprintf(top, sizeof(top), "%s/sys/fs/cgroup", dir);
		cgroot = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (cgroot < 0)
			return 1;
	}
	for (long i = 0; i < rounds; i++) {
		double t0, c0, dt;

		if (busy)
			churn(cgroot, n, i + 1, busy);
		t0 = clock_ms(CLOCK_MONOTONIC);
		c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
		cgroup_scan(&r, &t, cp, &ns);
		cpu += clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
		dt = clock_ms(CLOCK_MONOTONIC) - t0;
		total += dt;
		if (each)
			fprintf(stderr, "scan %ld: %.1f ms, carried %" PRIu64 ", stat_reads %" PRIu64 "\n",
				i, dt, cache.carried - carried0, cache.stat_reads - stat0);
		if (dt < best)
			best = dt;
	}
	printf("cgroups=%ld rounds=%ld ms_per_scan=%.1f best_ms=%.1f cpu_ms_per_scan=%.1f "
	       "rows=%zu notes=%zu slow_reads=%.0f stat_reads=%.0f carried=%.0f\n",
	       n, rounds, total / (double)rounds, best, cpu / (double)rounds, t.n, ns.n,
	       (double)(cache.slow_reads - slow0) / (double)rounds,
	       (double)(cache.stat_reads - stat0) / (double)rounds,
	       (double)(cache.carried - carried0) / (double)rounds);
	if (cgroot >= 0)
		close(cgroot);
	cgroup_table_free(&t);
	cgroup_cache_free(&cache);
	notes_free(&ns);
	root_close(&r);
	if (argc <= 3) {
		/* The tree is ours: remove it (the bench is run by hand, not by tests). */
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return 0;
}
