/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Snapshots built by hand for the trend engine and suspects tests: one
 * sample every SYNTH_STEP_S seconds, tables appended to and sorted the way
 * the sampler leaves them.
 */
#ifndef LEAKTOP_TEST_SYNTH_H
#define LEAKTOP_TEST_SYNTH_H

#include <stdint.h>

#include "snapshot.h"

#define SYNTH_STEP_S 2
/* The clock starts here, so processes started at 0 ticks are old. */
#define SYNTH_T0_S 1000

/* Sample i (from 0) with every section the suspects use, all present
 * and empty; memory classes valid at 0. */
struct snapshot *synth_snap(unsigned int i);
void synth_mem(struct snapshot *s, enum mem_class c, double bytes);
void synth_slab(struct snapshot *s, const char *name, uint64_t objsize, uint64_t objs);
void synth_proc(struct snapshot *s, int32_t pid, uint64_t starttime, const char *comm,
		uint64_t rss, uint32_t fds);
void synth_vmalloc(struct snapshot *s, const char *caller, uint64_t bytes);
/* A socket of pid (0: no owner); returns it for further fields. inode 0
 * makes an orphan (no fd). */
struct sock_entry *synth_sock(struct snapshot *s, int32_t pid, uint64_t starttime, uint8_t kind,
			      uint8_t state, uint32_t inode, uint16_t sport, uint16_t dport);
/* A v2 cgroup (the root "/" is added first when the table is empty; a
 * parent before its children) charged anon, kernel and sock bytes;
 * memory.current is their sum. */
void synth_cgroup(struct snapshot *s, const char *path, uint64_t id, uint64_t anon,
		  uint64_t kernel, uint64_t sock);
/* Put process pid (already added) into the v2 cgroup path. */
void synth_proc_cgroup(struct snapshot *s, int32_t pid, const char *path);
/* Sort what synth_* appended (sockets, processes, caches). */
void synth_finish(struct snapshot *s);

#endif
