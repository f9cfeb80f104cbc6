/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * codec_bench: bytes and milliseconds per encoded sample. Built with the
 * tests, never run by them: sizes and timings are measurements.
 *
 *   codec_bench synth SOCKETS [SAMPLES [K]]
 *       a synthetic box: SOCKETS sockets of which ~1% change per sample
 *       (half of them new or gone), 400 processes with a few changing,
 *       slab, vmalloc, meminfo and counters churning as on a busy host
 *   codec_bench live [SAMPLES [INTERVAL_MS [K]]]
 *       samples of the running box (every section)
 *
 * Prints the median record size after the first keyframe (all sections,
 * and the memory sections alone), the keyframe size, and median encode and
 * decode ms per sample; every decode is checked with snapshot_equal.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "root.h"
#include "sample_codec.h"
#include "sampler.h"
#include "snapshot.h"
#include "xalloc.h"

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* ---- a synthetic box ------------------------------------------------------------ */

#define NPROCS 400
#define NSLAB 220
#define NVMALLOC 150
#define NMEMINFO 56
#define NCOUNTERS 300

struct box {
	struct sock_entry *socks;	/* the live sockets; paths kept apart */
	uint16_t *path;			/* unix: path number, 0 = none */
	size_t n, cap;
	uint32_t next_inode;
	uint64_t proc_rss[NPROCS];
	uint64_t slab_objs[NSLAB];
	uint64_t vm_pages[NVMALLOC];
	uint64_t meminfo[NMEMINFO];
	uint64_t counters[NCOUNTERS];
	uint64_t seq;
};

static void box_add_sock(struct box *b)
{
	struct sock_entry *e;

	if (b->n == b->cap) {
		size_t cap = b->cap;

		xgrow((void **)&b->socks, &cap, b->n + 1, sizeof(*b->socks));
		b->path = xreallocarray(b->path, cap, sizeof(*b->path));
		b->cap = cap;
	}
	e = &b->socks[b->n];
	memset(e, 0, sizeof(*e));
	e->inode = b->next_inode += 1 + (uint32_t)(rnd() % 3);
	e->cookie = e->inode * 7ULL;
	e->uid = 1000;
	b->path[b->n] = 0;
	if (rnd() % 5 == 0) {
		e->kind = SK_UNIX;
		e->family = 1;
		e->type = 1;
		e->state = 1;
		e->u.un.peer_inode = e->inode + 1;
		b->path[b->n] = (uint16_t)(rnd() % 3 ? 0 : 1 + rnd() % 40);
	} else {
		e->kind = SK_TCP;
		e->family = 2;
		e->type = 1;
		e->protocol = 6;
		e->state = 1;
		e->sport = (uint16_t)(32768 + rnd() % 28000);
		e->dport = 5432;
		e->u.in.addr.v4.saddr[0] = e->u.in.addr.v4.daddr[0] = 10;
		e->u.in.addr.v4.saddr[3] = 5;
		e->u.in.addr.v4.daddr[3] = (uint8_t)(1 + rnd() % 8);
		e->has_tcpinfo = 1;
		e->skmem_n = SKMEM_COUNT;
		e->skmem[SKMEM_RCVBUF] = 131072;
		e->skmem[SKMEM_SNDBUF] = 87040;
		e->u.in.rcv_space = 14480;
		e->u.in.snd_wnd = 65535;
	}
	b->n++;
}

static void box_init(struct box *b, size_t nsock)
{
	memset(b, 0, sizeof(*b));
	b->next_inode = 100000;
	for (size_t i = 0; i < nsock; i++)
		box_add_sock(b);
	for (size_t i = 0; i < NPROCS; i++)
		b->proc_rss[i] = (1 + rnd() % 5000) * 4096;
	for (size_t i = 0; i < NSLAB; i++)
		b->slab_objs[i] = rnd() % 100000;
	for (size_t i = 0; i < NVMALLOC; i++)
		b->vm_pages[i] = 1 + rnd() % 64;
	for (size_t i = 0; i < NMEMINFO; i++)
		b->meminfo[i] = (rnd() % (1u << 20)) * 1024;
	for (size_t i = 0; i < NCOUNTERS; i++)
		b->counters[i] = rnd() % 1000000;
}

/* One interval: ~1% of the sockets touched (half changed, a quarter gone,
 * a quarter new), some processes and caches and most counters moving. */
static void box_step(struct box *b)
{
	size_t touch = b->n / 100;

	for (size_t k = 0; k < touch; k++) {
		size_t i = rnd() % b->n;
		struct sock_entry *e = &b->socks[i];

		switch (k % 4) {
		case 0:
		case 1:
			e->skmem[SKMEM_RMEM_ALLOC] = (uint32_t)(rnd() % 200000);
			e->rqueue = e->skmem[SKMEM_RMEM_ALLOC] / 2;
			e->u.in.rcv_space += 1448;
			break;
		case 2:
			b->socks[i] = b->socks[b->n - 1];
			b->path[i] = b->path[b->n - 1];
			b->n--;
			break;
		default:
			box_add_sock(b);
			break;
		}
	}
	for (size_t k = 0; k < NPROCS / 20; k++)
		b->proc_rss[rnd() % NPROCS] += 4096 * (rnd() % 64);
	for (size_t k = 0; k < NSLAB / 3; k++)
		b->slab_objs[rnd() % NSLAB] += rnd() % 200;
	for (size_t k = 0; k < NVMALLOC / 20; k++)
		b->vm_pages[rnd() % NVMALLOC] += 1;
	for (size_t k = 0; k < NMEMINFO / 2; k++)
		b->meminfo[rnd() % NMEMINFO] += (rnd() % 2048) * 1024;
	for (size_t k = 0; k < NCOUNTERS / 4; k++)
		b->counters[rnd() % NCOUNTERS] += rnd() % 100;
	b->seq++;
}

static int sock_qcmp(const void *a, const void *b)
{
	return sock_identity_cmp(a, b);
}

static struct snapshot *box_snapshot(const struct box *b)
{
	struct snapshot *s = snapshot_new();
	char name[96];

	s->seq = b->seq;
	s->t_mono_ns = b->seq * 60000000000ULL;
	s->t_real.tv_sec = 1700000000 + (time_t)b->seq * 60;
	s->duration_ns = 20000000 + rnd() % 1000000;
	s->page_size = 4096;
	s->sections = SNAP_ALL;

	s->meminfo.v = xcalloc(NMEMINFO, sizeof(*s->meminfo.v));
	s->meminfo.n = NMEMINFO;
	for (size_t i = 0; i < NMEMINFO; i++) {
		snprintf(s->meminfo.v[i].name, sizeof(s->meminfo.v[i].name), "Field%zu", i);
		s->meminfo.v[i].value = b->meminfo[i];
		s->meminfo.v[i].is_bytes = true;
	}
	mem_derive(&s->meminfo, VMAP_STACK_UNKNOWN, &s->mem);
	s->slab.v = xcalloc(NSLAB, sizeof(*s->slab.v));
	s->slab.n = NSLAB;
	for (size_t i = 0; i < NSLAB; i++) {
		struct slab_cache *c = &s->slab.v[i];

		snprintf(c->name, sizeof(c->name), "cache_%03zu", i);
		c->objsize = 64 << (i % 6);
		c->active_objs = c->num_objs = b->slab_objs[i];
		c->objperslab = 4096 / c->objsize + 1;
		c->pagesperslab = 1;
		c->num_slabs = c->active_slabs = c->num_objs / c->objperslab + 1;
		c->bytes = c->num_slabs * 4096;
		c->active_bytes = c->active_objs * c->objsize;
		s->slab.total_bytes += c->bytes;
		if (i % 10 == 0)
			c->merged_with = xstrdup("kmalloc-64,dentry");
	}
	s->vmalloc.v = xcalloc(NVMALLOC, sizeof(*s->vmalloc.v));
	s->vmalloc.n = NVMALLOC;
	for (size_t i = 0; i < NVMALLOC; i++) {
		struct vmalloc_caller *c = &s->vmalloc.v[i];

		snprintf(c->caller, sizeof(c->caller), "caller_%03zu [mod%zu]", i, i % 9);
		snprintf(c->kind, sizeof(c->kind), "vmalloc");
		c->areas = 1 + i % 3;
		c->pages = b->vm_pages[i];
		c->bytes = c->pages * 4096;
		c->vsize_bytes = c->bytes + 4096;
		s->vmalloc.total_bytes += c->bytes;
	}
	s->tmpfs.v = xcalloc(2, sizeof(*s->tmpfs.v));
	s->tmpfs.n = 2;
	for (size_t i = 0; i < 2; i++) {
		s->tmpfs.v[i].mountpoint = xstrdup(i ? "/run" : "/dev/shm");
		s->tmpfs.v[i].source = xstrdup("tmpfs");
		snprintf(s->tmpfs.v[i].fstype, sizeof(s->tmpfs.v[i].fstype), "tmpfs");
		s->tmpfs.v[i].used_bytes = b->meminfo[i] / 16;
		s->tmpfs.v[i].has_usage = true;
	}

	for (size_t i = 0; i < b->n; i++) {
		struct sock_entry *e = sock_table_add(&s->socks);

		*e = b->socks[i];
		if (e->kind == SK_UNIX) {
			e->u.un.path_off = UINT32_MAX;
			if (b->path[i]) {
				int n = snprintf(name, sizeof(name), "/run/service-%u/socket",
						 b->path[i]);

				e->u.un.path_off = sock_table_add_string(&s->socks, name, (size_t)n + 1);
				e->u.un.path_len = (uint32_t)n + 1;
			}
		}
	}
	qsort(s->socks.v, s->socks.n, sizeof(*s->socks.v), sock_qcmp);
	/* Owners in socket order, as proc_scan lays them out. */
	for (size_t i = 0; i < s->socks.n; i++) {
		struct sock_entry *e = &s->socks.v[i];

		e->owner_first = (uint32_t)s->socks.owners_n;
		e->owner_n = 1;
		xgrow((void **)&s->socks.owners, &s->socks.owners_cap, s->socks.owners_n + 1,
		      sizeof(*s->socks.owners));
		s->socks.owners[s->socks.owners_n++] = (struct sock_owner){
			.pid = 1000 + (int32_t)(e->inode % NPROCS), .fd = (int32_t)(e->inode % 4000),
			.starttime = 5000 + e->inode % NPROCS,
		};
	}
	s->socks.owners_scanned = s->socks.owners_full = true;

	s->procs.v = xcalloc(NPROCS, sizeof(*s->procs.v));
	s->procs.n = s->procs.cap = NPROCS;
	for (size_t i = 0; i < NPROCS; i++) {
		struct proc_entry *p = &s->procs.v[i];
		int n = snprintf(name, sizeof(name), "/usr/bin/worker --id=%zu --pool=main", i);

		p->pid = 1000 + (int32_t)i;
		p->ppid = 1;
		p->starttime = 5000 + i;
		snprintf(p->comm, sizeof(p->comm), "worker");
		p->state = 'S';
		p->threads = 4;
		p->rss_bytes = b->proc_rss[i];
		p->fd_count = 30;
		p->fd_status = PROC_FD_OK;
		xgrow((void **)&s->procs.strings, &s->procs.strings_cap,
		      s->procs.strings_len + (size_t)n + 1, 1);
		memcpy(s->procs.strings + s->procs.strings_len, name, (size_t)n + 1);
		p->cmdline = (char *)(uintptr_t)s->procs.strings_len;
		s->procs.strings_len += (size_t)n + 1;
	}
	for (size_t i = 0; i < NPROCS; i++)
		s->procs.v[i].cmdline = s->procs.strings + (uintptr_t)s->procs.v[i].cmdline;

	s->tcp.has_sockstat = true;
	s->tcp.tcp_inuse = b->n;
	s->tcp.counters = xcalloc(NCOUNTERS, sizeof(*s->tcp.counters));
	s->tcp.ncounters = s->tcp.counters_cap = NCOUNTERS;
	for (size_t i = 0; i < NCOUNTERS; i++) {
		snprintf(s->tcp.counters[i].name, sizeof(s->tcp.counters[i].name), "TcpExt:C%03zu",
			 i);
		s->tcp.counters[i].value = b->counters[i];
	}
	for (size_t i = 0; i < s->socks.n; i++)
		if (s->socks.v[i].kind == SK_TCP)
			s->tcp_states[s->socks.v[i].state]++;
	return s;
}

/* ---- measuring ---------------------------------------------------------------- */

struct run {
	size_t n;
	size_t *bytes, *mem_bytes;
	double *enc_ms, *dec_ms;
	size_t keyframe_bytes;
	struct sample_encoder *enc, *enc_mem;
	struct sample_decoder *dec;
	struct snapshot *prev;
	struct buf rec, rec_mem;
	size_t k;
};

static void run_init(struct run *r, size_t samples, size_t k)
{
	memset(r, 0, sizeof(*r));
	r->bytes = xcalloc(samples, sizeof(size_t));
	r->mem_bytes = xcalloc(samples, sizeof(size_t));
	r->enc_ms = xcalloc(samples, sizeof(double));
	r->dec_ms = xcalloc(samples, sizeof(double));
	r->enc = sample_encoder_new(0);
	r->enc_mem = sample_encoder_new(SAMPLE_ENC_MEMORY_ONLY);
	r->dec = sample_decoder_new();
	r->k = k;
}

static void run_sample(struct run *r, struct snapshot *s)
{
	bool key = r->n % r->k == 0;
	const char *err;
	struct snapshot *got;
	char why[256];
	double t0;

	t0 = now_ms();
	if (sample_encode(r->enc, s, key, &r->rec)) {
		fprintf(stderr, "codec_bench: encoding failed\n");
		exit(1);
	}
	r->enc_ms[r->n] = now_ms() - t0;
	sample_encode(r->enc_mem, s, key, &r->rec_mem);
	t0 = now_ms();
	got = sample_decode(r->dec, r->rec.data, r->rec.len, r->prev, &err);
	r->dec_ms[r->n] = now_ms() - t0;
	if (!got || !snapshot_equal(s, got, why, sizeof(why))) {
		fprintf(stderr, "codec_bench: sample %zu does not round-trip: %s\n", r->n,
			got ? why : err);
		exit(1);
	}
	if (r->n == 0)
		r->keyframe_bytes = r->rec.len;
	r->bytes[r->n] = r->rec.len;
	r->mem_bytes[r->n] = r->rec_mem.len;
	r->n++;
	snapshot_unref(r->prev);
	r->prev = got;
}

static void run_report(struct run *r, const char *what)
{
	size_t m = r->n - 1;

	if (r->n < 2) {
		fprintf(stderr, "codec_bench: need at least 2 samples\n");
		exit(2);
	}
	/* after the first keyframe: samples 1.. */
	qsort(r->bytes + 1, m, sizeof(size_t), cmp_size);
	qsort(r->mem_bytes + 1, m, sizeof(size_t), cmp_size);
	qsort(r->enc_ms + 1, m, sizeof(double), cmp_double);
	qsort(r->dec_ms + 1, m, sizeof(double), cmp_double);
	printf("%s samples=%zu K=%zu keyframe_bytes=%zu median_bytes=%zu max_bytes=%zu "
	       "median_memory_bytes=%zu median_encode_ms=%.2f median_decode_ms=%.2f "
	       "keyframe_encode_ms=%.2f keyframe_decode_ms=%.2f\n",
	       what, r->n, r->k, r->keyframe_bytes, r->bytes[1 + m / 2], r->bytes[m],
	       r->mem_bytes[1 + m / 2], r->enc_ms[1 + m / 2], r->dec_ms[1 + m / 2],
	       r->enc_ms[0], r->dec_ms[0]);
	snapshot_unref(r->prev);
	sample_encoder_free(r->enc);
	sample_encoder_free(r->enc_mem);
	sample_decoder_free(r->dec);
	buf_free(&r->rec);
	buf_free(&r->rec_mem);
	free(r->bytes);
	free(r->mem_bytes);
	free(r->enc_ms);
	free(r->dec_ms);
}

static int synth(size_t nsock, size_t samples, size_t k)
{
	struct box b;
	struct run r;
	char what[64];

	box_init(&b, nsock);
	run_init(&r, samples, k);
	for (size_t i = 0; i < samples; i++) {
		struct snapshot *s;

		box_step(&b);
		s = box_snapshot(&b);
		run_sample(&r, s);
		snapshot_unref(s);
	}
	snprintf(what, sizeof(what), "synth sockets=%zu", nsock);
	run_report(&r, what);
	free(b.socks);
	free(b.path);
	return 0;
}

static int live(size_t samples, long interval_ms, size_t k)
{
	struct root root;
	struct sampler *sm;
	struct run r;
	size_t nsock = 0;
	char what[64];

	if (root_open(&root, "/")) {
		fprintf(stderr, "codec_bench: cannot open /\n");
		return 1;
	}
	sm = sampler_new(&root);
	run_init(&r, samples, k);
	for (size_t i = 0; i < samples; i++) {
		struct snapshot *s = sampler_tick(sm, SNAP_ALL);
		struct timespec ts = { interval_ms / 1000, (interval_ms % 1000) * 1000000 };

		nsock = s->socks.n;
		run_sample(&r, s);
		snapshot_unref(s);
		if (i + 1 < samples)
			nanosleep(&ts, NULL);
	}
	snprintf(what, sizeof(what), "live sockets=%zu", nsock);
	run_report(&r, what);
	sampler_free(sm);
	root_close(&root);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "synth"))
		return synth(strtoul(argv[2], NULL, 10), argc > 3 ? strtoul(argv[3], NULL, 10) : 30,
			     argc > 4 ? strtoul(argv[4], NULL, 10) : 60);
	if (argc >= 2 && !strcmp(argv[1], "live"))
		return live(argc > 2 ? strtoul(argv[2], NULL, 10) : 10,
			    argc > 3 ? strtol(argv[3], NULL, 10) : 1000,
			    argc > 4 ? strtoul(argv[4], NULL, 10) : 60);
	fprintf(stderr, "usage: codec_bench synth SOCKETS [SAMPLES [K]] | "
			"live [SAMPLES [INTERVAL_MS [K]]]\n");
	return 2;
}
