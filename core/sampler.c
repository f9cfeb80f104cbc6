/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One tick of sampling: each source is read once, parsed, and put into a
 * fresh snapshot. Nothing here fails: a source that cannot be read becomes a
 * NOTE_MISSING with the reason, and the rest of the sample goes on.
 *
 * A cold sample (one whose fd walk must read every process's links) runs
 * the socket dump on a second thread while this one reads the memory side
 * and walks /proc; the fd walk's sockets are matched to the table after
 * both are done (owner_walk.h). The dump thread writes only snap->socks,
 * snap->tcp_states and notes of its own, merged in after the join in the
 * order a sequential sample gives them, so the snapshot is the same either
 * way and is never touched again once the tick returns.
 */
#include "sampler.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cgroup_join.h"
#include "memattrib.h"
#include "parse.h"
#include "proc_scan.h"
#include "procnet.h"
#include "slabmerge.h"
#include "sockdiag.h"
#include "xalloc.h"

/*
 * A file that costs the kernel much to print is read again only when the
 * meminfo figure that follows it (key) moved, or REREAD_NS passed; in
 * between each snapshot gets a copy of the last table read. The time limit
 * covers what the figure does not show: entries that trade pages at an
 * unchanged total, vmap and ioremap areas (no pages of their own), slab
 * objects freed and allocated inside slabs that stay.
 */
struct reread_gate {
	uint64_t key, read_ns;
	bool ok;		/* the last read gave a table */
};

#define REREAD_NS (10 * 1000000000ull)

static bool gate_carries(const struct reread_gate *g, bool has_key, uint64_t key, uint64_t now)
{
	return g->ok && has_key && key == g->key && now - g->read_ns < REREAD_NS;
}

static void gate_read(struct reread_gate *g, bool ok, uint64_t key, uint64_t now)
{
	g->ok = ok;
	g->key = key;
	g->read_ns = now;
}

struct sampler {
	const struct root *root;
	struct proc_cache *procs;
	struct buf buf;		/* reused for every file of every tick */
	struct cgroup_cache cgroups;	/* limits, events and unmoved memory.stat between their reads */
	/* The last vmallocinfo read live. The kernel formats every area and
	 * looks up every caller's symbol to print the file (a quarter of an
	 * idle sample's CPU): read again when VmallocUsed moved. */
	struct vmalloc_table vmalloc;
	struct reread_gate vmalloc_gate;
	/* The last slab table read, merged caches applied: the kernel counts
	 * every partial slab of every cache to print slabinfo, and the merged
	 * caches cost a readlink each (together a third of an idle sample):
	 * read again when meminfo's Slab moved. */
	struct slab_table slab;
	struct reread_gate slab_gate;
	struct tmpfs_cache tmpfs;	/* the last mountinfo and its mounts */
	uint64_t seq;
};

struct sampler *sampler_new(const struct root *r)
{
	struct sampler *s = xcalloc(1, sizeof(*s));

	s->root = r;
	s->procs = proc_cache_new();
	return s;
}

void sampler_free(struct sampler *s)
{
	if (!s)
		return;
	proc_cache_free(s->procs);
	cgroup_cache_free(&s->cgroups);
	vmalloc_table_free(&s->vmalloc);
	slab_table_free(&s->slab);
	tmpfs_cache_free(&s->tmpfs);
	buf_free(&s->buf);
	free(s);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* The CPU time of the calling thread: each sampling thread adds its own. */
static uint64_t thread_cpu_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}

/*
 * leaktop's own resident set, from the real /proc (not the --root tree,
 * which may be a capture of another box). 0 when it cannot be read.
 */
static uint64_t self_rss_bytes(long page_size)
{
	char b[128];
	const char *p = b, *end;
	uint64_t size, resident;
	ssize_t n;
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	n = read(fd, b, sizeof(b));
	close(fd);
	if (n <= 0 || page_size <= 0)
		return 0;
	end = b + n;
	/* "size resident shared text lib data dt", in pages */
	if (parse_u64(&p, end, 10, &size) || (p = parse_skip_blank(p, end)) == end ||
	    parse_u64(&p, end, 10, &resident))
		return 0;
	return sat_mul_u64(resident, (uint64_t)page_size);
}

/* Read <proc>/name into the sampler's buffer; on failure note src missing. */
static bool read_proc(struct sampler *s, struct snapshot *snap, const char *name, const char *src)
{
	int ret;

	if (s->root->proc_fd < 0) {
		notes_missing_errno(&snap->notes, src, s->root->proc_err);
		return false;
	}
	ret = buf_readat(s->root->proc_fd, name, &s->buf, 0);
	if (ret == -EFBIG) {
		notes_add(&snap->notes, NOTE_WARN, src, 0,
			  "larger than %u MiB: only the first part was read", BUF_READ_LIMIT >> 20);
		return true;
	}
	if (ret) {
		notes_missing_errno(&snap->notes, src, ret);
		return false;
	}
	return true;
}

/* The vmalloc table of this sample: the last one read, when the gate
 * carries it, else a fresh read. Returns the evidence of vmalloc'd kernel
 * stacks for the memory breakdown. */
static enum vmap_stack_rule sample_vmalloc(struct sampler *s, struct snapshot *snap,
					   bool has_used, uint64_t used)
{
	if (gate_carries(&s->vmalloc_gate, has_used, used, snap->t_mono_ns)) {
		vmalloc_table_copy(&snap->vmalloc, &s->vmalloc);
	} else {
		vmalloc_table_free(&s->vmalloc);
		gate_read(&s->vmalloc_gate, false, used, snap->t_mono_ns);
		if (!read_proc(s, snap, "vmallocinfo", SRC_VMALLOC))
			return VMAP_STACK_UNKNOWN;
		if (vmallocinfo_parse(s->buf.data, s->buf.len, SRC_VMALLOC, snap->page_size,
				      &snap->vmalloc, &snap->notes)) {
			notes_add(&snap->notes, NOTE_MISSING, SRC_VMALLOC, 0, "no usable line");
			return VMAP_STACK_UNKNOWN;
		}
		vmalloc_table_copy(&s->vmalloc, &snap->vmalloc);
		gate_read(&s->vmalloc_gate, true, used, snap->t_mono_ns);
	}
	return snap->vmalloc.has_stack_areas ? VMAP_STACK_CALLERS : VMAP_STACK_NO_CALLERS;
}

static void sample_memory(struct sampler *s, struct snapshot *snap, unsigned int sections)
{
	enum vmap_stack_rule evidence;
	bool meminfo_ok = false, has_used = false;
	uint64_t used = 0;

	if ((sections & SNAP_MEM) && read_proc(s, snap, "meminfo", SRC_MEMINFO)) {
		meminfo_ok = meminfo_parse(s->buf.data, s->buf.len, SRC_MEMINFO, &snap->meminfo,
					   &snap->notes) == 0;
		if (!meminfo_ok)
			notes_add(&snap->notes, NOTE_MISSING, SRC_MEMINFO, 0, "no usable line");
		/* Kernels before 4.x print 0 here: never a reason to carry. */
		has_used = meminfo_ok && meminfo_get(&snap->meminfo, "VmallocUsed", &used) &&
			   used > 0;
	}
	/* Right after meminfo: the per-CPU free lists move by megabytes a
	 * second, and MemFree leaves them out. */
	if ((sections & SNAP_MEM) && read_proc(s, snap, "zoneinfo", SRC_ZONEINFO) &&
	    vmstat_parse_zoneinfo_pcp(s->buf.data, s->buf.len, SRC_ZONEINFO, &snap->vmstat,
				      &snap->notes))
		notes_add(&snap->notes, NOTE_MISSING, SRC_ZONEINFO, 0, "no per-CPU page count");
	if ((sections & SNAP_MEM) && read_proc(s, snap, "vmstat", SRC_VMSTAT) &&
	    vmstat_parse(s->buf.data, s->buf.len, SRC_VMSTAT, &snap->vmstat, &snap->notes))
		notes_add(&snap->notes, NOTE_MISSING, SRC_VMSTAT, 0, "no usable line");
	/* vmallocinfo is read for the memory breakdown too: it is the only
	 * evidence of whether kernel stacks are vmalloc'd (KernelStack would
	 * otherwise be counted twice). */
	evidence = sample_vmalloc(s, snap, has_used, used);
	if (meminfo_ok)
		mem_derive_vm(&snap->meminfo, evidence,
			      evidence == VMAP_STACK_UNKNOWN ? NULL : &snap->vmalloc.total_bytes,
			      &snap->mem);
}

/* After every section: the socket estimate needs the socket and slab
 * tables, which are sampled after meminfo. */
static void attribute_memory(struct snapshot *snap, unsigned int sections)
{
	struct mem_attrib a = { 0 };

	a.has_pcp = snap->vmstat.has_pcp;
	a.pcp_bytes = sat_mul_u64(snap->vmstat.pcp_pages,
				  snap->page_size > 0 ? (uint64_t)snap->page_size : 0);
	a.has_vmstat = memattrib_vmstat_other(&snap->vmstat, &snap->meminfo, snap->page_size,
					      &a.vmstat_bytes);
	if ((sections & SNAP_SOCKETS) && (sections & SNAP_SLAB) &&
	    snapshot_has(snap, SRC_SLABINFO) && snapshot_has(snap, SRC_SOCKETS))
		a.has_sock = memattrib_sock_pages(&snap->socks, &snap->slab, &a.sock_bytes);
	mem_attribute(&snap->mem, &a);
}

/* A fresh read of slabinfo and the merged caches into snap; false when
 * there is no table. */
static bool read_slab(struct sampler *s, struct snapshot *snap)
{
	struct slab_aliases aliases = { 0 };

	if (!read_proc(s, snap, "slabinfo", SRC_SLABINFO))
		return false;
	if (slabinfo_parse(s->buf.data, s->buf.len, SRC_SLABINFO, snap->page_size, &snap->slab,
			   &snap->notes) != 0) {
		notes_add(&snap->notes, NOTE_MISSING, SRC_SLABINFO, 0, "not a slabinfo 2.x file");
		return false;
	}
	if (slabmerge_read(s->root, &aliases, &snap->notes) == 0)
		slabmerge_apply(&snap->slab, &aliases);
	slab_aliases_free(&aliases);
	return true;
}

/* Slab is read after meminfo: its Slab line is the gate's key. */
static void sample_slab(struct sampler *s, struct snapshot *snap)
{
	uint64_t slab_bytes = 0;
	bool has_key = meminfo_get(&snap->meminfo, "Slab", &slab_bytes);
	bool ok;

	if (gate_carries(&s->slab_gate, has_key, slab_bytes, snap->t_mono_ns)) {
		slab_table_copy(&snap->slab, &s->slab);
		return;
	}
	slab_table_free(&s->slab);
	ok = read_slab(s, snap);
	if (ok)
		slab_table_copy(&s->slab, &snap->slab);
	gate_read(&s->slab_gate, ok, slab_bytes, snap->t_mono_ns);
}

static void sample_sockets(const struct root *r, struct snapshot *snap, struct notes *notes)
{
	struct sock_table *t = &snap->socks;
	bool any = false;

	/* Netlink sees the running kernel; on a captured tree only the
	 * /proc/net text of that tree describes its sockets. */
	if (r->live) {
		int ret = sockdiag_dump_all(t, snap->sections & SNAP_TCPINFO, notes);

		if (ret)
			notes_add(notes, NOTE_WARN, "sock_diag", 0,
				  "no NETLINK_SOCK_DIAG socket (%s): using /proc/net",
				  notes_errno_reason(ret));
	}
	procnet_fill(r, t, notes);
	sock_table_finish(t);
	for (size_t k = 0; k < SK_KIND_COUNT; k++)
		any |= t->kind_ok[k];
	/* An empty table must say why, not look like a box without sockets. */
	if (!any)
		notes_add(notes, NOTE_MISSING, SRC_SOCKETS, 0,
			  r->live ? "neither sock_diag nor /proc/net could be read"
					: "no /proc/net socket file could be read in this tree");
	for (size_t i = 0; i < t->n; i++) {
		const struct sock_entry *e = &t->v[i];

		if (e->kind == SK_TCP && e->state < ARRAY_SIZE(snap->tcp_states))
			snap->tcp_states[e->state]++;
	}
}

/* The socket dump of a concurrent sample, on its own thread. */
struct dump_job {
	const struct root *root;
	struct snapshot *snap;	/* only socks and tcp_states are written */
	struct notes notes;	/* merged into snap->notes after the join */
	uint64_t wall_ns, cpu_ns;
};

static void *dump_thread(void *arg)
{
	struct dump_job *j = arg;
	uint64_t t0 = mono_ns(), c0 = thread_cpu_ns();

	sample_sockets(j->root, j->snap, &j->notes);
	j->cpu_ns = thread_cpu_ns() - c0;
	j->wall_ns = mono_ns() - t0;
	return NULL;
}

/* Wall time of a phase, started at *t by the caller. */
static void phase_end(struct snapshot *snap, enum snap_phase p, uint64_t t0)
{
	snap->self.phase_ns[p] += mono_ns() - t0;
}

static void sample_procs(struct sampler *s, struct snapshot *snap, unsigned int scan,
			 struct notes *notes)
{
	uint64_t t0 = mono_ns();

	if (s->root->proc_fd < 0)
		notes_missing_errno(notes, SRC_PROCESSES, s->root->proc_err);
	else
		proc_scan(s->root, s->procs, scan, &snap->procs,
			  (snap->sections & SNAP_SOCKETS) ? &snap->socks : NULL, notes);
	/* A procfs always lists at least its reader: no process at all means
	 * the process directories could not be read. */
	if (!snap->procs.n && !notes_is_missing(notes, SRC_PROCESSES))
		notes_add(notes, NOTE_MISSING, SRC_PROCESSES, 0, "no process could be read");
	phase_end(snap, PHASE_PROCS, t0);
}

struct snapshot *sampler_tick(struct sampler *s, unsigned int sections)
{
	struct snapshot *snap = snapshot_new();
	struct dump_job job = { .root = s->root, .snap = snap };
	struct notes proc_notes = { 0 };
	unsigned int scan = 0;
	bool want_procs = sections & (SNAP_PROCS | SNAP_OWNERS | SNAP_PSS);
	bool threaded = false;
	pthread_t dumper;
	uint64_t t0, cpu0 = thread_cpu_ns();

	snap->seq = ++s->seq;
	snap->sections = sections;
	snap->page_size = root_page_size(s->root);
	clock_gettime(CLOCK_REALTIME, &snap->t_real);
	snap->t_mono_ns = mono_ns();

	if (sections & SNAP_OWNERS)
		scan |= PROC_SCAN_FDS;
	if (sections & SNAP_PSS)
		scan |= PROC_SCAN_PSS;
	/* Side by side only when the fd walk reads every link anyway: a warm
	 * walk needs the table to know which processes it may skip. */
	if ((sections & SNAP_SOCKETS) && (scan & PROC_SCAN_FDS) && s->root->proc_fd >= 0 &&
	    proc_scan_owners_full(s->procs)) {
		threaded = pthread_create(&dumper, NULL, dump_thread, &job) == 0;
		if (threaded)
			scan |= PROC_SCAN_DEFER_OWNERS;
	}
	snap->self.concurrent = threaded;

	t0 = mono_ns();
	if (sections & (SNAP_MEM | SNAP_VMALLOC))
		sample_memory(s, snap, sections);
	phase_end(snap, PHASE_MEMORY, t0);
	t0 = mono_ns();
	if (sections & SNAP_SLAB)
		sample_slab(s, snap);
	phase_end(snap, PHASE_SLAB, t0);
	t0 = mono_ns();
	if (sections & SNAP_TMPFS)
		tmpfs_sample(s->root, &s->tmpfs, &snap->tmpfs, &snap->shm, &snap->notes);
	phase_end(snap, PHASE_TMPFS, t0);
	if (threaded) {
		/* The notes of a sequential sample: sockets before processes. */
		if (want_procs)
			sample_procs(s, snap, scan, &proc_notes);
		pthread_join(dumper, NULL);
		snap->self.phase_ns[PHASE_SOCKETS] = job.wall_ns;
		snap->self.cpu_ns += job.cpu_ns;
		notes_move(&snap->notes, &job.notes);
		notes_move(&snap->notes, &proc_notes);
		t0 = mono_ns();
		proc_scan_attach_owners(s->procs, &snap->socks);
		phase_end(snap, PHASE_OWNERS, t0);
	} else {
		t0 = mono_ns();
		if (sections & SNAP_SOCKETS)
			sample_sockets(s->root, snap, &snap->notes);
		phase_end(snap, PHASE_SOCKETS, t0);
		if (want_procs)
			sample_procs(s, snap, scan, &snap->notes);
	}
	t0 = mono_ns();
	if (sections & SNAP_TCP)
		tcpmem_sample(s->root, &snap->tcp, &snap->notes);
	phase_end(snap, PHASE_TCP, t0);
	t0 = mono_ns();
	if (sections & SNAP_CGROUPS) {
		cgroup_scan(s->root, &snap->cgroups, &s->cgroups, &snap->notes);
		cgroup_join_fill(snap);
	}
	phase_end(snap, PHASE_CGROUPS, t0);
	if (sections & SNAP_MEM)
		attribute_memory(snap, sections);

	snap->duration_ns = mono_ns() - snap->t_mono_ns;
	snap->self.cpu_ns += thread_cpu_ns() - cpu0;
	snap->self.rss_bytes = self_rss_bytes(sysconf(_SC_PAGESIZE));
	return snap;
}
