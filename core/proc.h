/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The process table of a sample: /proc/PID/{stat,status,cmdline,smaps_rollup}
 * per process (parsed by proc_parse.h, gathered by proc_scan.h) and, from the
 * fd walk (owner_walk.h), fd and socket counts. Keyed by pid plus start time
 * so a reused pid is a new process. Threads share the fd table: only
 * thread-group leaders are walked. A process that vanishes mid-scan is
 * dropped silently; one whose fds are refused (non-root, LSM) is kept with
 * fd_status saying so, never reported as having no sockets.
 *
 * Socket memory per process: a socket held by N processes (fork, SCM_RIGHTS)
 * counts in full for each of them, so the column does not add up to the
 * socket total; a socket held twice by one process (dup) counts once.
 */
#ifndef LEAKTOP_PROC_H
#define LEAKTOP_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum proc_fd_status {
	PROC_FD_OK,
	PROC_FD_DENIED,		/* EACCES/EPERM on /proc/PID/fd */
	PROC_FD_NOT_SCANNED,
};

struct proc_entry {
	int32_t pid;
	int32_t ppid;
	uint32_t uid;		/* effective uid (second Uid: value), as top shows */
	uint64_t starttime;	/* clock ticks since boot: identity with pid */
	char comm[64];		/* raw from stat, NOT sanitized: views run it through strsafe */
	char *cmdline;		/* NUL separators turned into spaces; raw; NULL if empty;
				 * points into proc_table.strings; at most PROC_CMDLINE_MAX */
	char state;		/* R S D T Z ... */
	uint32_t threads;
	uint64_t rss_bytes;	/* VmRSS */
	uint64_t pss_bytes;	/* smaps_rollup Pss; valid if has_pss */
	uint64_t swap_bytes;
	uint32_t fd_count;
	uint32_t sock_count;	/* fds that are sockets (a dup'd socket counts per fd) */
	uint64_t sock_mem_bytes;	/* sum of sock_mem_bytes over sockets it holds */
	uint8_t fd_status;	/* enum proc_fd_status; the three counts above are 0 unless OK */
	uint32_t cg_v2_off;	/* its v2 cgroup path, raw, into proc_table.strings */
	uint32_t cg_v1_off;	/* its v1 memory cgroup path; both PROC_NO_CGROUP when unknown */
	bool has_pss;
	bool kthread;
};

#define PROC_NO_CGROUP UINT32_MAX

struct proc_table {
	struct proc_entry *v;	/* sorted by (pid, starttime) */
	size_t n, cap;
	size_t denied;		/* processes whose fds could not be read */
	char *strings;		/* the cmdlines, NUL-terminated; owned by the table */
	size_t strings_len, strings_cap;
};

/* Longest cmdline kept (bytes); longer ones are cut. */
#define PROC_CMDLINE_MAX 4096
/*
 * cmdline can change (exec, setproctitle) but reading it for every process on
 * every tick is the costliest part of a warm scan: it is re-read when comm
 * changes (exec renames the task) and otherwise every this many scans, the
 * first time after (this - pid % this) scans so the re-reads are spread.
 */
#define PROC_CMDLINE_REFRESH_SCANS 10

/* A cgroup path of p (cg_v2_off or cg_v1_off), or NULL. */
const char *proc_cgroup_path(const struct proc_table *pt, uint32_t off);
const struct proc_entry *proc_table_find(const struct proc_table *pt, int32_t pid);
void proc_table_free(struct proc_table *pt);

#endif
