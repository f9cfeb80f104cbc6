/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Suspects: what is leaking, grouped, corroborated and ranked, each with a
 * one-line verdict from one table of rules (core/verdicts.c) and the key to
 * press for its evidence. Built from the trend engine (core/tracker.h) and
 * the newest snapshot; shared by the TUI's Suspects tab and header, batch
 * text and JSON, and later exporters. doc/suspects.md explains every rule
 * from the kernel's side.
 */
#ifndef LEAKTOP_SUSPECTS_H
#define LEAKTOP_SUSPECTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "snapshot.h"
#include "tracker.h"

enum suspect_kind {
	SUS_SENDQ,		/* a socket's send queue grows: its peer does not read */
	SUS_RECVQ,		/* a socket's receive queue grows: its owner does not read */
	SUS_STATE_PILE,		/* a process piles up sockets in a state (CLOSE-WAIT: never closes) */
	SUS_BACKLOG,		/* a unix or packet socket backlog nobody reads */
	SUS_SLAB,		/* a slab cache grows (with its merged aliases) */
	SUS_VMALLOC,		/* a vmalloc caller grows */
	SUS_PROC_RSS,		/* a process's RSS grows */
	SUS_PROC_FDS,		/* a process leaks file descriptors */
	SUS_TMPFS,		/* a tmpfs mount fills */
	SUS_ORPHANS,		/* orphaned TCP sockets grow */
	SUS_TCP_PRESSURE,	/* TCP memory approaches tcp_mem pressure/max */
	SUS_ORPHAN_LIMIT,	/* orphans approach tcp_max_orphans */
	SUS_UNACCOUNTED,	/* memory no counter explains grows */
	SUS_CGROUP,		/* a cgroup's charge grows and no member suspect explains it */
	SUS_KIND_COUNT
};

/* Where Enter takes the user: an existing drill-down. */
enum suspect_target {
	SUS_TO_NONE,
	SUS_TO_SOCKET,		/* k = inode, cookie (sock_identity) of the top socket */
	SUS_TO_PROCESS,		/* k = pid, starttime */
	SUS_TO_SLAB,		/* name = cache */
	SUS_TO_TAB,		/* name = tab id: "memory", "tcp", "vmalloc" */
	SUS_TO_CGROUP,		/* k = enum cgroup_hier, cgroup id; name = its path */
};

#define SUSPECT_EVIDENCE_MAX 6

/* One line of evidence: a figure and where it comes from, and whether a
 * second source agrees. */
struct suspect_evidence {
	char text[160];		/* "filp slab grows too: +120 objs/min"; raw (output sanitizes) */
	int8_t agrees;		/* 1 corroborates, -1 contradicts, 0 neutral */
};

struct suspect {
	uint8_t kind;		/* enum suspect_kind */
	uint32_t rank;		/* 1 = most likely culprit */
	struct tq_id subject;	/* the quantity the rate is about */
	char subject_text[96];	/* "pid 4242 leakgen", "dentry", "/dev/shm"; raw (views sanitize) */
	double rate_bytes_h;	/* bytes per hour (counts weighted by kernel memory per object) */
	double rate_units_h;	/* in the quantity's own unit per hour (objects, fds, sockets) */
	double growth;		/* bytes since first seen / since the run began */
	double window_s;	/* span the estimate is over */
	double confidence;	/* 0..1, from the estimate and corroboration */
	double score;		/* what the ranking sorts by */
	char verdict[200];	/* one line, plain words, with the key to press; raw */
	uint8_t target;		/* enum suspect_target */
	uint64_t target_k[2];
	char target_name[64];
	struct suspect_evidence ev[SUSPECT_EVIDENCE_MAX];
	uint8_t nev;
};

struct suspect_params {
	double threshold_bytes_h;	/* below this no suspect is shown (default 64 KiB/min) */
	double min_confidence;		/* default 0.5 */
	size_t max;			/* at most this many suspects (default 50) */
	/* leaktop's own pid (0: none): its tables grow with what it watches,
	 * so its RSS and fds are never a suspect. */
	int32_t self_pid;
};

struct suspect_list {
	struct suspect *v;	/* by rank */
	size_t n;
	struct tracker_watch watch;	/* for the empty state */
	double threshold_bytes_h;
	uint64_t samples;		/* samples behind the estimates */
	uint32_t min_samples;		/* samples before a verdict is possible */
};

void suspect_params_init(struct suspect_params *p);
/* Build the ranked list from the engine and its newest snapshot s. */
void suspects_build(struct tracker *t, const struct snapshot *s, const struct suspect_params *p,
		    struct suspect_list *out);
void suspect_list_free(struct suspect_list *l);
/* "sendq", "close-wait pile"...: the short name of a kind (JSON, the Kind column). */
const char *suspect_kind_name(enum suspect_kind k);
/* The empty state in one line: "watching 1,425 sockets, 232 caches, 187
 * processes; nothing grows above 64 KiB/min over 12 s" or "a verdict needs
 * 3 samples (1 so far)". */
void suspects_describe_empty(const struct suspect_list *l, char *out, size_t sz);

#endif
