// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Suspects from synthetic runs: a leak beside steady distractions is rank
 * 1 with the right kind after three samples; what is not a leak (a step, a
 * sawtooth, noise, churn) raises nothing; corroboration and folding.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "suspects.h"
#include "synth.h"
#include "tracker.h"
#include "xalloc.h"

#define MIB (1024.0 * 1024.0)
#define GIB (1024.0 * MIB)

/* The run under test adds what leaks in sample i; the distractions are
 * added to every sample. */
typedef void (*scene_fn)(struct snapshot *s, unsigned int i, void *arg);

/* A big idle process, a big static cache, churn of short-lived sockets. */
static void distractions(struct snapshot *s, unsigned int i)
{
	synth_proc(s, 10, 0, "bigidle", (uint64_t)(2 * GIB), 50);
	synth_slab(s, "ext4_inode_cache", 1024, 1000000);
	synth_slab(s, "kmalloc-1k", 1024, 200000 + (i % 2) * 50);
	synth_mem(s, MEM_ANON, 3 * GIB);
	synth_mem(s, MEM_PAGE_CACHE, 4 * GIB + (i % 3) * 8 * MIB);
	synth_proc(s, 11, 0, "client", 20u << 20, 60);
	for (uint32_t k = 0; k < 40 + (i * 7) % 13; k++)
		synth_sock(s, 11, 0, SK_TCP, 1, 900000 + i * 100 + k, (uint16_t)(30000 + k), 443);
	s->tcp.tcp_inuse = 60;
	s->tcp.tcp_mem_pages = 300;
}

/* Run n samples of scene; suspects of the last, built with p (NULL: the
 * defaults). */
static struct tracker *run_with(unsigned int n, scene_fn scene, void *arg,
				const struct suspect_params *p, struct suspect_list *out)
{
	struct tracker *t = tracker_new(NULL);

	for (unsigned int i = 0; i < n; i++) {
		struct snapshot *s = synth_snap(i);

		distractions(s, i);
		scene(s, i, arg);
		synth_finish(s);
		ck_assert_int_eq(tracker_update(t, s), 0);
		if (i + 1 == n)
			suspects_build(t, s, p, out);
		snapshot_unref(s);
	}
	return t;
}

static struct tracker *run(unsigned int n, scene_fn scene, void *arg, struct suspect_list *out)
{
	return run_with(n, scene, arg, NULL, out);
}

static void dump(const struct suspect_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		fprintf(stderr, "#%u %s %.0f B/h conf %.2f: %s\n", l->v[i].rank,
			suspect_kind_name((enum suspect_kind)l->v[i].kind), l->v[i].rate_bytes_h,
			l->v[i].confidence, l->v[i].verdict);
		for (size_t e = 0; e < l->v[i].nev; e++)
			fprintf(stderr, "    %+d %s\n", l->v[i].ev[e].agrees, l->v[i].ev[e].text);
	}
}

static bool has_evidence(const struct suspect *su, const char *needle, int agrees)
{
	for (size_t e = 0; e < su->nev; e++)
		if (strstr(su->ev[e].text, needle) && su->ev[e].agrees == agrees)
			return true;
	return false;
}

static void nothing(struct snapshot *s, unsigned int i, void *arg)
{
}

START_TEST(test_distractions_alone_raise_nothing)
{
	struct suspect_list l;
	struct tracker *t = run(30, nothing, NULL, &l);
	char buf[200];

	dump(&l);
	ck_assert_uint_eq(l.n, 0);
	suspects_describe_empty(&l, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "nothing grows above 64.0K/min over 58 s"));
	tracker_free(t);
}
END_TEST

/* pid 4242 adds 100 CLOSE-WAIT sockets a sample, and as many fds; filp,
 * sock_inode_cache and TCP grow with them. */
static void close_wait_pile(struct snapshot *s, unsigned int i, void *arg)
{
	uint32_t n = 100 * (i + 1);

	synth_proc(s, 4242, 7, "leaky", 30u << 20, 10 + n);
	for (uint32_t k = 0; k < n; k++)
		synth_sock(s, 4242, 7, SK_TCP, 8, 100000 + k, 8080, (uint16_t)(20000 + k));
	synth_slab(s, "filp", 256, 5000 + n);
	synth_slab(s, "sock_inode_cache", 832, 500 + n);
	synth_slab(s, "TCP", 2432, 100 + n);
	s->tcp.tcp_inuse = 60 + n;
}

START_TEST(test_close_wait_pile_is_one_suspect)
{
	struct suspect_list l;
	struct tracker *t = run(3, close_wait_pile, NULL, &l);

	dump(&l);
	ck_assert_uint_ge(l.n, 1);
	ck_assert_uint_eq(l.v[0].rank, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_STATE_PILE);
	ck_assert_ptr_nonnull(strstr(l.v[0].verdict, "CLOSE-WAIT"));
	ck_assert_ptr_nonnull(strstr(l.v[0].verdict, "pid 4242 leaky"));
	ck_assert_int_eq(l.v[0].target, SUS_TO_PROCESS);
	ck_assert_uint_eq(l.v[0].target_k[0], 4242);
	/* 50 sockets a second, each a TCP sock, an inode and a file. */
	ck_assert_double_eq_tol(l.v[0].rate_units_h, 50.0 * 3600, 1.0);
	ck_assert_double_eq_tol(l.v[0].rate_bytes_h, 50.0 * 3600 * (2432 + 832 + 256), 3600.0);
	ck_assert(has_evidence(&l.v[0], "sock_inode_cache", 1));
	/* One suspect, not a row per socket; the fd leak, filp and the socket
	 * caches are its evidence. */
	ck_assert_uint_eq(l.n, 1);
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

START_TEST(test_no_verdict_before_three_samples)
{
	struct suspect_list l;
	struct tracker *t = run(2, close_wait_pile, NULL, &l);
	char buf[200];

	ck_assert_uint_eq(l.n, 0);
	suspects_describe_empty(&l, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a verdict needs 3 samples (2 so far)");
	tracker_free(t);
}
END_TEST

/* dentry grows 4 MiB a sample; arg: whether SReclaimable grows with it. */
static void dentry_growth(struct snapshot *s, unsigned int i, void *arg)
{
	bool corroborated = *(bool *)arg;
	uint64_t objs = 100000 + (uint64_t)i * 4 * 1024 * 1024 / 192;

	synth_slab(s, "dentry", 192, objs);
	synth_mem(s, MEM_SLAB_RECL, 500 * MIB + (corroborated ? (double)objs * 192 : 0));
}

START_TEST(test_dentry_corroborated_by_sreclaimable)
{
	struct suspect_list with, without;
	bool yes = true, no = false;
	struct tracker *t1 = run(6, dentry_growth, &yes, &with);
	struct tracker *t2 = run(6, dentry_growth, &no, &without);

	dump(&with);
	ck_assert_uint_ge(with.n, 1);
	ck_assert_int_eq(with.v[0].kind, SUS_SLAB);
	ck_assert_str_eq(with.v[0].subject_text, "dentry");
	ck_assert_ptr_nonnull(strstr(with.v[0].verdict, "/proc/sys/fs/dentry-state"));
	ck_assert(has_evidence(&with.v[0], "SReclaimable grows too", 1));
	ck_assert_uint_ge(without.n, 1);
	ck_assert(has_evidence(&without.v[0], "SReclaimable does not grow", -1));
	ck_assert(with.v[0].confidence > without.v[0].confidence);
	suspect_list_free(&with);
	suspect_list_free(&without);
	tracker_free(t1);
	tracker_free(t2);
}
END_TEST

/* pid 500 opens 300 files a sample and never closes them. */
static void fd_leak(struct snapshot *s, unsigned int i, void *arg)
{
	synth_proc(s, 500, 3, "fdleaker", 40u << 20, 100 + 300 * i);
	synth_slab(s, "filp", 256, 8000 + 300 * i);
}

START_TEST(test_fd_leak_with_filp)
{
	struct suspect_list l;
	struct tracker *t = run(4, fd_leak, NULL, &l);

	dump(&l);
	ck_assert_uint_ge(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_PROC_FDS);
	ck_assert_ptr_nonnull(strstr(l.v[0].subject_text, "fdleaker"));
	ck_assert(has_evidence(&l.v[0], "filp slab grows too", 1));
	ck_assert_double_eq_tol(l.v[0].rate_units_h, 150.0 * 3600, 1.0);
	/* The filp cache is the fd leak's evidence, not a second suspect. */
	ck_assert_uint_eq(l.n, 1);
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

/* Not leaks: a one-off step of a cache, a GC sawtooth of a process, noise. */
static void not_leaks(struct snapshot *s, unsigned int i, void *arg)
{
	static const int noise[] = { 3, -5, 1, 4, -2, -4, 5, 0, -3, 2, -1, 4, -5, 3, 0, 1 };

	synth_slab(s, "kmalloc-4k", 4096, i < 6 ? 1000 : 30000);
	synth_proc(s, 600, 2, "java", (uint64_t)((400 + 40 * (i % 4)) * MIB), 80);
	synth_slab(s, "buffer_head", 104, (uint64_t)(200000 + 20000 * noise[i % 16]));
	synth_mem(s, MEM_UNACCOUNTED, 100 * MIB + noise[(i + 5) % 16] * 3 * MIB);
}

START_TEST(test_step_sawtooth_noise_raise_nothing)
{
	struct suspect_list l;
	struct tracker *t = run(16, not_leaks, NULL, &l);

	dump(&l);
	ck_assert_uint_eq(l.n, 0);
	tracker_free(t);
}
END_TEST

/* Short processes: 30 a sample, each living two samples with its RSS
 * doubling, and short connections. */
static void churn(struct snapshot *s, unsigned int i, void *arg)
{
	for (unsigned int age = 0; age < 2; age++) {
		if (i < age)
			continue;
		for (int k = 0; k < 30; k++) {
			int32_t pid = (int32_t)(2000 + (i - age) * 30 + (unsigned int)k);
			uint64_t start = (SYNTH_T0_S + (uint64_t)(i - age) * SYNTH_STEP_S) * 100;

			synth_proc(s, pid, start, "cc1", (uint64_t)(50 + 100 * age) << 20, 5 + 10 * age);
			synth_sock(s, pid, start, SK_TCP, 1, (uint32_t)pid, 40000, 80);
		}
	}
}

START_TEST(test_churn_thirty_samples_no_suspect)
{
	struct suspect_list l;
	struct tracker *t = run(30, churn, NULL, &l);

	dump(&l);
	ck_assert_uint_eq(l.n, 0);
	/* Gone processes are forgotten: 2 x 30 alive, 4 more samples kept. */
	ck_assert_uint_le(tracker_count(t), 6u * 30 * 8 + 200);
	tracker_free(t);
}
END_TEST

/* Short connections: TIME-WAIT piles up for its 60 s, and with it
 * tw_sock_TCP and the bind buckets (merged here into eventpoll_epi). */
static void time_wait_churn(struct snapshot *s, unsigned int i, void *arg)
{
	synth_slab(s, "tw_sock_TCP", 256, 1000 + 200 * i);
	synth_slab(s, "eventpoll_epi", 128, 5000 + 200 * i);
	s->slab.v[s->slab.n - 1].merged_with = xstrdup("tcp_bind_bucket,pte_list_desc");
	s->tcp.tcp_tw = 100 + 200 * i;
}

START_TEST(test_time_wait_churn_no_suspect)
{
	struct suspect_list l;
	struct tracker *t = run(20, time_wait_churn, NULL, &l);

	dump(&l);
	ck_assert_uint_eq(l.n, 0);
	tracker_free(t);
}
END_TEST

/* pid 700 leaks 8 MiB a sample, is restarted as pid 701 at sample 5 and
 * leaks again. */
static void restarted(struct snapshot *s, unsigned int i, void *arg)
{
	if (i < 5)
		synth_proc(s, 700, 1, "leaker", (uint64_t)((10 + 8 * i) * MIB), 10);
	else
		synth_proc(s, 701, 1100, "leaker", (uint64_t)((10 + 8 * (i - 5)) * MIB), 10);
	synth_mem(s, MEM_ANON, 3 * GIB + (i % 5) * 8 * MIB);
}

START_TEST(test_restarted_leaker_named_by_new_life)
{
	struct suspect_list l;
	struct tracker *t = run(9, restarted, NULL, &l);

	dump(&l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_PROC_RSS);
	ck_assert_uint_eq(l.v[0].subject.k[0], 701);
	ck_assert_ptr_nonnull(strstr(l.v[0].verdict, "pid 701 leaker"));
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

/* A cache emptied once (a module reloaded) and leaking on: RESET. */
static void slab_reset(struct snapshot *s, unsigned int i, void *arg)
{
	synth_slab(s, "my_driver_cache", 512, i < 5 ? 50000 + 4000 * i : 4000 * (i - 5));
}

START_TEST(test_reset_then_leak)
{
	struct suspect_list l;
	struct tracker *t = run(10, slab_reset, NULL, &l);

	dump(&l);
	ck_assert_uint_ge(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_SLAB);
	ck_assert_str_eq(l.v[0].subject_text, "my_driver_cache");
	ck_assert_double_eq_tol(l.v[0].rate_bytes_h, 2000.0 * 512 * 3600, 3600.0);
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

/* A sender whose local peer never reads. */
static void sendq(struct snapshot *s, unsigned int i, void *arg)
{
	struct sock_entry *tx, *rx;

	synth_proc(s, 800, 2, "producer", 10u << 20, 10);
	synth_proc(s, 801, 2, "consumer", 10u << 20, 10);
	tx = synth_sock(s, 800, 2, SK_TCP, 1, 70001, 9000, 41000);
	tx->wqueue = 200000 + 300000 * i;
	tx->skmem[SKMEM_WMEM_QUEUED] = tx->wqueue;
	rx = synth_sock(s, 801, 2, SK_TCP, 1, 70002, 41000, 9000);
	rx->rqueue = 100000 + 100000 * i;
	rx->skmem[SKMEM_RMEM_ALLOC] = rx->rqueue;
	s->tcp.tcp_mem_pages = 300 + (400000 * i) / 4096;
}

START_TEST(test_sendq_names_local_peer)
{
	struct suspect_list l;
	struct tracker *t = run(4, sendq, NULL, &l);

	dump(&l);
	ck_assert_uint_ge(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_SENDQ);
	ck_assert_ptr_nonnull(strstr(l.v[0].verdict, "pid 801 consumer"));
	ck_assert_int_eq(l.v[0].target, SUS_TO_SOCKET);
	ck_assert_uint_eq(l.v[0].target_k[0], 70001);
	ck_assert(has_evidence(&l.v[0], "sockstat TCP mem grows too", 1));
	/* The consumer's receive queue is the same story: folded in. */
	for (size_t i = 0; i < l.n; i++)
		ck_assert_int_ne(l.v[i].kind, SUS_RECVQ);
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

static void near_limits(struct snapshot *s, unsigned int i, void *arg)
{
	s->tcp.has_tcp_mem = true;
	s->tcp.tcp_mem_min = 1000;
	s->tcp.tcp_mem_pressure = 2000;
	s->tcp.tcp_mem_max = 3000;
	s->tcp.tcp_mem_pages = 1850;
	s->tcp.has_max_orphans = true;
	s->tcp.tcp_max_orphans = 100;
	s->tcp.tcp_orphan = 60;
}

START_TEST(test_level_suspects)
{
	struct suspect_list l;
	struct tracker *t = run(1, near_limits, NULL, &l);

	dump(&l);
	/* Near a limit needs no history. */
	ck_assert_uint_eq(l.n, 2);
	ck_assert_int_eq(l.v[0].kind, SUS_TCP_PRESSURE);
	ck_assert_ptr_nonnull(strstr(l.v[0].verdict, "92% of tcp_mem pressure"));
	ck_assert_int_eq(l.v[1].kind, SUS_ORPHAN_LIMIT);
	ck_assert_ptr_nonnull(strstr(l.v[1].verdict, "Out of socket memory"));
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

/* Orphans of a server on port 8080 grow by 40 a sample. */
static void orphans(struct snapshot *s, unsigned int i, void *arg)
{
	for (uint32_t k = 0; k < 40 * (i + 1); k++)
		synth_sock(s, 0, 0, SK_TCP, 4, 0, 8080, (uint16_t)(33000 + k));
	s->tcp.tcp_orphan = 40 * (i + 1);
}

START_TEST(test_orphans_by_port)
{
	struct suspect_list l;
	struct tracker *t = run(4, orphans, NULL, &l);

	dump(&l);
	ck_assert_uint_ge(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_ORPHANS);
	ck_assert_ptr_nonnull(strstr(l.v[0].verdict, "local port 8080"));
	ck_assert(has_evidence(&l.v[0], "sockstat orphan grows too", 1));
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

/* A unix socketpair in pid 900: the writer's Send-Q (wmem: the memory is
 * charged to it) and the reader's Recv-Q grow alike; nobody reads. */
static void unix_backlog(struct snapshot *s, unsigned int i, void *arg)
{
	struct sock_entry *w, *r;
	uint32_t q = 4000000 * (i + 1);

	synth_proc(s, 900, 2, "writer", 10u << 20, 10);
	synth_proc(s, 901, 2, "reader", 10u << 20, 10);
	w = synth_sock(s, 900, 2, SK_UNIX, 1, 81000, 0, 0);
	w->u.un.peer_inode = 81001;
	w->wqueue = q + q / 4;
	r = synth_sock(s, 901, 2, SK_UNIX, 1, 81001, 0, 0);
	r->u.un.peer_inode = 81000;
	r->rqueue = q;
	synth_slab(s, "kmalloc-cg-4k", 4096, 1000 + q / 4096);
	synth_mem(s, MEM_SLAB_UNRECL, 200 * MIB + q);
}

START_TEST(test_unix_backlog_names_reader)
{
	struct suspect_list l;
	struct tracker *t = run(3, unix_backlog, NULL, &l);

	dump(&l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_BACKLOG);
	ck_assert_ptr_nonnull(strstr(l.v[0].verdict, "pid 901 reader: unix backlog"));
	ck_assert(has_evidence(&l.v[0], "charged to the writer's send queue: pid 900 writer", 1));
	ck_assert(has_evidence(&l.v[0], "kmalloc-cg-4k slab grows with it", 1));
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

/* A packet socket nobody reads: 1400-byte datagrams whose heads are in
 * kmalloc-2k, their sk_buffs in skbuff_head_cache. */
static void packet_backlog(struct snapshot *s, unsigned int i, void *arg)
{
	struct sock_entry *p;
	uint64_t pkts = 6000 * (uint64_t)(i + 1);

	synth_proc(s, 950, 2, "sniffer", 10u << 20, 10);
	p = synth_sock(s, 950, 2, SK_PACKET, 0, 82000, 0, 0);
	p->rqueue = (uint32_t)(pkts * 2800);
	synth_slab(s, "kmalloc-2k", 2048, 500 + pkts);
	synth_slab(s, "skbuff_head_cache", 256, 800 + pkts);
	synth_mem(s, MEM_SLAB_UNRECL, 200 * MIB + (double)pkts * 2304);
}

START_TEST(test_packet_backlog_folds_its_caches)
{
	struct suspect_list l;
	struct tracker *t = run(3, packet_backlog, NULL, &l);

	dump(&l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_BACKLOG);
	ck_assert_ptr_nonnull(strstr(l.v[0].verdict, "pid 950 sniffer"));
	ck_assert(has_evidence(&l.v[0], "kmalloc-2k slab grows with it", 1));
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

/* pid 510 leaks 1000 fds a sample; reading /proc/510/fd makes a proc
 * inode (about 700 bytes, reclaimable) per fd, more bytes than the fd's
 * file. */
static void fd_leak_proc_walk(struct snapshot *s, unsigned int i, void *arg)
{
	synth_proc(s, 510, 3, "fdleaker", 40u << 20, 100 + 1000 * i);
	synth_slab(s, "filp", 256, 8000 + 1000 * i);
	synth_slab(s, "proc_inode_cache", 720, 30000 + 1050 * i);
	synth_mem(s, MEM_SLAB_RECL, 300 * MIB + 1050.0 * 720 * i);
}

START_TEST(test_fd_leak_folds_proc_inodes)
{
	struct suspect_list l;
	struct tracker *t = run(3, fd_leak_proc_walk, NULL, &l);

	dump(&l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_PROC_FDS);
	ck_assert(has_evidence(&l.v[0], "proc_inode_cache slab grows with it", 1));
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

/* A client (pid 960) leaves 40 orphans a sample in FIN-WAIT-1 towards a
 * local server (pid 961, listening on 45000, a port from the ephemeral
 * range) that accepts and never reads: its ESTAB pile matches them one to
 * one. */
static void orphans_local_peer(struct snapshot *s, unsigned int i, void *arg)
{
	uint32_t n = 40 * (i + 1);

	synth_proc(s, 961, 2, "receiver", 10u << 20, 10 + n);
	synth_sock(s, 961, 2, SK_TCP, 10, 83000, 45000, 0);
	for (uint32_t k = 0; k < n; k++) {
		uint16_t cport = (uint16_t)(40001 + 53 * k);
		struct sock_entry *o = synth_sock(s, 0, 0, SK_TCP, 4, 0, cport, 45000);

		o->wqueue = 4096;
		synth_sock(s, 961, 2, SK_TCP, 1, 84000 + k, 45000, cport)->rqueue = 2048;
	}
	synth_slab(s, "TCP", 2432, 500 + 2 * n);
	s->tcp.tcp_orphan = n;
}

START_TEST(test_orphans_fold_the_peer_pile)
{
	struct suspect_list l;
	struct tracker *t = run(3, orphans_local_peer, NULL, &l);

	dump(&l);
	ck_assert_uint_ge(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_ORPHANS);
	ck_assert_ptr_nonnull(strstr(l.v[0].verdict, "remote port 45000"));
	ck_assert_ptr_nonnull(strstr(l.v[0].verdict, "pid 961 receiver, which does not read"));
	ck_assert(has_evidence(&l.v[0], "what they wait for: pid 961 receiver", 1));
	/* The receiver's pile, its fds and the orphans' unsent data are the
	 * same leak. */
	ck_assert_uint_eq(l.n, 1);
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

/* A server that never closes: its CLOSE-WAIT pile is the leak; the client
 * ends it closed wait in FIN-WAIT-2 without an owner (the kernel counts
 * them as time-wait, not orphans) and are its evidence, not a suspect. */
static void close_wait_with_fin_wait2_peers(struct snapshot *s, unsigned int i, void *arg)
{
	uint32_t n = 300 * (i + 1);

	(void)arg;
	synth_proc(s, 962, 3, "server", 10u << 20, 10 + n);
	synth_sock(s, 962, 3, SK_TCP, 10, 85000, 46000, 0);
	for (uint32_t k = 0; k < n; k++) {
		uint16_t cport = (uint16_t)(41001 + 17 * k);

		synth_sock(s, 0, 0, SK_TCP, 5, 0, cport, 46000);
		synth_sock(s, 962, 3, SK_TCP, 8, 86000 + k, 46000, cport)->rqueue = 1;
	}
	synth_slab(s, "TCP", 2432, 500 + 2 * n);
	s->tcp.tcp_tw = n;
}

START_TEST(test_close_wait_pile_over_fin_wait2)
{
	struct suspect_list l;
	struct tracker *t = run(3, close_wait_with_fin_wait2_peers, NULL, &l);

	dump(&l);
	ck_assert_uint_ge(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_STATE_PILE);
	ck_assert_ptr_nonnull(strstr(l.v[0].subject_text, "962"));
	for (size_t k = 0; k < l.n; k++)
		ck_assert_int_ne(l.v[k].kind, SUS_ORPHANS);
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

/* Memory nobody accounts for: arg is its growth per sample. */
static void unaccounted(struct snapshot *s, unsigned int i, void *arg)
{
	synth_mem(s, MEM_UNACCOUNTED, 20 * MIB + *(double *)arg * i);
}

START_TEST(test_unaccounted_fast_at_three_samples)
{
	struct suspect_list fast, slow3, slow6;
	double big = 128 * MIB, small = 3 * MIB;
	struct tracker *t1 = run(3, unaccounted, &big, &fast);
	struct tracker *t2 = run(3, unaccounted, &small, &slow3);
	struct tracker *t3 = run(6, unaccounted, &small, &slow6);

	dump(&fast);
	ck_assert_uint_eq(fast.n, 1);
	ck_assert_int_eq(fast.v[0].kind, SUS_UNACCOUNTED);
	ck_assert_ptr_nonnull(strstr(fast.v[0].verdict, "page_owner"));
	/* A few MiB over three points is within its noise; over six steady
	 * points it is a leak. */
	ck_assert_uint_eq(slow3.n, 0);
	ck_assert_uint_eq(slow6.n, 1);
	suspect_list_free(&fast);
	suspect_list_free(&slow6);
	tracker_free(t1);
	tracker_free(t2);
	tracker_free(t3);
}
END_TEST

/* File traffic of a compile job: buffer_head and the reclaimable kmalloc
 * grow by under a MiB a minute; pressure frees them. */
static void compile_caches(struct snapshot *s, unsigned int i, void *arg)
{
	synth_slab(s, "buffer_head", 104, 100000 + 640 * (uint64_t)i);
	synth_slab(s, "kmalloc-rcl-96", 96, 40000 + 630 * (uint64_t)i);
	synth_mem(s, MEM_SLAB_RECL, 300 * MIB + (640.0 * 104 + 630.0 * 96) * i);
}

START_TEST(test_compile_caches_no_suspect)
{
	struct suspect_list l;
	struct tracker *t = run(12, compile_caches, NULL, &l);

	dump(&l);
	ck_assert_uint_eq(l.n, 0);
	tracker_free(t);
}
END_TEST

/* More short-lived processes alive at each sample (a build spreading
 * out): their kernel stacks (vmalloc'd) and task_structs grow with them. */
static void more_tasks(struct snapshot *s, unsigned int i, void *arg)
{
	uint32_t n = 40 + 30 * i;

	for (uint32_t k = 0; k < n; k++)
		synth_proc(s, (int32_t)(3000 + k), 0, "make", 4u << 20, 5);
	synth_vmalloc(s, "kernel_clone", (uint64_t)(200 + n) * 16384);
	synth_slab(s, "task_struct", 9856, 200 + n);
	synth_mem(s, MEM_SLAB_UNRECL, 200 * MIB + 9856.0 * n);
	synth_mem(s, MEM_VMALLOC, 100 * MIB + 16384.0 * n);
}

START_TEST(test_stacks_follow_tasks)
{
	struct suspect_list l;
	struct tracker *t = run(6, more_tasks, NULL, &l);

	dump(&l);
	ck_assert_uint_eq(l.n, 0);
	tracker_free(t);
}
END_TEST

/* A cgroup scene: the charge that grows (TQ_CG_*) in the cgroup at path,
 * its parents growing with it (the kernel charges up the tree); a steady
 * sibling beside it. Rows in table order: path must sort before it. */
struct cg_scene {
	uint8_t charge;
	const char *path;
};

static void cgroup_charge(struct snapshot *s, unsigned int i, void *arg)
{
	const struct cg_scene *c = arg;
	uint64_t grow = (uint64_t)(i + 1) * 4 * (uint64_t)MIB;
	uint64_t anon = c->charge == TQ_CG_ANON ? grow : 0;
	uint64_t kernel = c->charge == TQ_CG_KERNEL ? grow : 0;
	uint64_t sock = c->charge == TQ_CG_SOCK ? grow : 0;
	char parent[128];

	synth_cgroup(s, "/", 1, 5 * (uint64_t)GIB + anon, (uint64_t)GIB + kernel, sock);
	/* The leaking cgroup and its ancestors below the root. */
	for (const char *p = strchr(c->path + 1, '/'); p; p = strchr(p + 1, '/')) {
		snprintf(parent, sizeof(parent), "%.*s", (int)(p - c->path), c->path);
		synth_cgroup(s, parent, 10 + (uint64_t)(p - c->path), (64u << 20) + anon,
			     (8u << 20) + kernel, sock);
	}
	synth_cgroup(s, c->path, 100, (64u << 20) + anon, (8u << 20) + kernel, sock);
	synth_cgroup(s, "/zz-idle.slice", 3, 200u << 20, 30u << 20, 0);
	synth_proc(s, 500, 7, "worker", 64u << 20, 20);
	synth_proc_cgroup(s, 500, c->path);
}

static const struct suspect *find_kind(const struct suspect_list *l, enum suspect_kind k)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].kind == k)
			return &l->v[i];
	return NULL;
}

START_TEST(test_cgroup_sock_without_member_suspect)
{
	struct cg_scene c = { TQ_CG_SOCK, "/system.slice/orphaner.service" };
	struct suspect_list l;
	struct tracker *t = run(3, cgroup_charge, &c, &l);

	dump(&l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_CGROUP);
	ck_assert_str_eq(suspect_kind_name(SUS_CGROUP), "cgroup");
	ck_assert_str_eq(l.v[0].subject_text, "orphaner.service");
	ck_assert_ptr_nonnull(strstr(l.v[0].verdict, "cgroup orphaner.service: sock memory grows +"));
	ck_assert_double_eq_tol(l.v[0].rate_bytes_h, 2 * MIB * 3600, 3600.0);
	ck_assert_int_eq(l.v[0].target, SUS_TO_CGROUP);
	ck_assert_uint_eq(l.v[0].target_k[0], CG_HIER_V2);
	ck_assert_uint_eq(l.v[0].target_k[1], 100);
	ck_assert(has_evidence(&l.v[0], "1 processes, 0 sockets in it", 0));
	ck_assert(has_evidence(&l.v[0], "not held by one process", 0));
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

/* The process leaks RSS; its cgroup's anon charge is the same memory. */
static void rss_in_cgroup(struct snapshot *s, unsigned int i, void *arg)
{
	uint64_t grow = (uint64_t)(i + 1) * 8 * (uint64_t)MIB;

	synth_mem(s, MEM_ANON, 3 * GIB + (double)grow);
	synth_cgroup(s, "/", 1, 5 * (uint64_t)GIB + grow, GIB, 0);
	synth_cgroup(s, "/system.slice", 2, (200u << 20) + grow, 30u << 20, 0);
	synth_cgroup(s, "/system.slice/hog.service", 3, (64u << 20) + grow, 8u << 20, 0);
	synth_proc(s, 600, 7, "hog", (64u << 20) + grow, 20);
	synth_proc_cgroup(s, 600, "/system.slice/hog.service");
}

START_TEST(test_cgroup_folds_into_member_process)
{
	struct suspect_list l;
	struct tracker *t = run(3, rss_in_cgroup, NULL, &l);

	dump(&l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_PROC_RSS);
	ck_assert_uint_eq(l.v[0].target_k[0], 600);
	ck_assert(has_evidence(&l.v[0], "in cgroup hog.service: its anon memory grows +", 1));
	ck_assert_ptr_null(find_kind(&l, SUS_CGROUP));
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

START_TEST(test_cgroup_child_not_parent)
{
	struct cg_scene c = { TQ_CG_KERNEL, "/user.slice/user-0.slice/session-3.scope" };
	struct suspect_list l;
	struct tracker *t = run(3, cgroup_charge, &c, &l);

	dump(&l);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_CGROUP);
	ck_assert_str_eq(l.v[0].subject_text, "session-3.scope");
	ck_assert_str_eq(l.v[0].target_name, "/user.slice/user-0.slice/session-3.scope");
	ck_assert_ptr_nonnull(strstr(l.v[0].verdict, "kernel memory grows"));
	ck_assert(has_evidence(&l.v[0], "its parent user-0.slice grows with it", 1));
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

/* A process leaks 1000 fds a sample in app.service; leaktop (pid 777)
 * runs in session-4.scope, whose kernel charge grows by the proc inode and
 * dentry its walk leaves for each of those fds. */
#define WALK_FDS_PER_SAMPLE 1000
static void fd_leak_watched_from_session(struct snapshot *s, unsigned int i, void *arg)
{
	uint64_t fds = (uint64_t)WALK_FDS_PER_SAMPLE * i;
	uint64_t walk = fds * (720 + 192), own = fds * 256;

	synth_cgroup(s, "/", 1, 5 * (uint64_t)GIB, (uint64_t)GIB + walk + own, 0);
	synth_cgroup(s, "/system.slice", 2, 200u << 20, (30u << 20) + own, 0);
	synth_cgroup(s, "/system.slice/app.service", 3, 64u << 20, (8u << 20) + own, 0);
	synth_cgroup(s, "/user.slice", 4, 100u << 20, (20u << 20) + walk, 0);
	synth_cgroup(s, "/user.slice/session-4.scope", 5, 50u << 20, (4u << 20) + walk, 0);
	synth_proc(s, 520, 3, "fdleaker", 40u << 20, (uint32_t)(100 + fds));
	synth_proc_cgroup(s, 520, "/system.slice/app.service");
	synth_proc(s, 777, 9, "leaktop", 20u << 20, 8);
	synth_proc_cgroup(s, 777, "/user.slice/session-4.scope");
	synth_slab(s, "filp", 256, 8000 + fds);
	synth_slab(s, "proc_inode_cache", 720, 30000 + fds);
	synth_slab(s, "dentry", 192, 90000 + fds);
}

START_TEST(test_cgroup_of_leaktop_folds_its_fd_walk)
{
	struct suspect_params p;
	struct suspect_list l;
	struct tracker *t;
	const struct suspect *cg;

	suspect_params_init(&p);
	/* Someone else reading the fds (pid 1 is not in the session): the
	 * session's kernel growth is a suspect of its own. */
	p.self_pid = 1;
	t = run_with(3, fd_leak_watched_from_session, NULL, &p, &l);
	dump(&l);
	cg = find_kind(&l, SUS_CGROUP);
	ck_assert_ptr_nonnull(cg);
	ck_assert_str_eq(cg->subject_text, "session-4.scope");
	suspect_list_free(&l);
	tracker_free(t);

	p.self_pid = 777;
	t = run_with(3, fd_leak_watched_from_session, NULL, &p, &l);
	dump(&l);
	ck_assert_uint_ge(l.n, 1);
	ck_assert_int_eq(l.v[0].kind, SUS_PROC_FDS);
	ck_assert_uint_eq(l.v[0].target_k[0], 520);
	ck_assert(has_evidence(&l.v[0], "in cgroup session-4.scope: its kernel memory grows +", 1));
	ck_assert(has_evidence(&l.v[0], "the /proc entries leaktop reads for each new fd", 0));
	ck_assert_ptr_null(find_kind(&l, SUS_CGROUP));
	suspect_list_free(&l);
	tracker_free(t);
}
END_TEST

Suite *suspects_suite(void)
{
	Suite *s = suite_create("suspects");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_distractions_alone_raise_nothing);
	tcase_add_test(tc, test_close_wait_pile_is_one_suspect);
	tcase_add_test(tc, test_no_verdict_before_three_samples);
	tcase_add_test(tc, test_dentry_corroborated_by_sreclaimable);
	tcase_add_test(tc, test_fd_leak_with_filp);
	tcase_add_test(tc, test_step_sawtooth_noise_raise_nothing);
	tcase_add_test(tc, test_churn_thirty_samples_no_suspect);
	tcase_add_test(tc, test_time_wait_churn_no_suspect);
	tcase_add_test(tc, test_restarted_leaker_named_by_new_life);
	tcase_add_test(tc, test_reset_then_leak);
	tcase_add_test(tc, test_sendq_names_local_peer);
	tcase_add_test(tc, test_level_suspects);
	tcase_add_test(tc, test_orphans_by_port);
	tcase_add_test(tc, test_unix_backlog_names_reader);
	tcase_add_test(tc, test_packet_backlog_folds_its_caches);
	tcase_add_test(tc, test_fd_leak_folds_proc_inodes);
	tcase_add_test(tc, test_orphans_fold_the_peer_pile);
	tcase_add_test(tc, test_close_wait_pile_over_fin_wait2);
	tcase_add_test(tc, test_unaccounted_fast_at_three_samples);
	tcase_add_test(tc, test_compile_caches_no_suspect);
	tcase_add_test(tc, test_stacks_follow_tasks);
	tcase_add_test(tc, test_cgroup_sock_without_member_suspect);
	tcase_add_test(tc, test_cgroup_folds_into_member_process);
	tcase_add_test(tc, test_cgroup_child_not_parent);
	tcase_add_test(tc, test_cgroup_of_leaktop_folds_its_fd_walk);
	suite_add_tcase(s, tc);
	return s;
}
