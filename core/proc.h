/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Processes: /proc/PID/{stat,status,cmdline,smaps_rollup} and the fd walk
 * that maps socket inodes to owners (ss -p does the same with readlink on
 * every /proc/PID/fd entry; there is no kernel index). Keyed by pid plus
 * start time so a reused pid is a new process. Threads share the fd table:
 * only thread-group leaders are walked. A process that vanishes mid-scan is
 * dropped silently; one whose fds are refused (non-root, LSM) is kept with
 * fd_status saying so, never reported as having no sockets.
 */
#ifndef LEAKTOP_PROC_H
#define LEAKTOP_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "notes.h"
#include "root.h"
#include "sock.h"

enum proc_fd_status {
	PROC_FD_OK,
	PROC_FD_DENIED,		/* EACCES/EPERM on /proc/PID/fd */
	PROC_FD_NOT_SCANNED,
};

struct proc_entry {
	int32_t pid;
	uint32_t uid;
	uint64_t starttime;	/* clock ticks since boot: identity with pid */
	char comm[64];		/* raw from stat, NOT sanitized: views run it through strsafe */
	char *cmdline;		/* NUL separators turned into spaces; raw; NULL if empty */
	char state;		/* R S D T Z ... */
	uint32_t threads;
	uint64_t rss_bytes;	/* VmRSS */
	uint64_t pss_bytes;	/* smaps_rollup Pss; valid if has_pss */
	uint64_t swap_bytes;
	uint32_t fd_count;
	uint32_t sock_count;
	uint64_t sock_mem_bytes;	/* sum of sock_mem_bytes over sockets it holds */
	uint8_t fd_status;	/* enum proc_fd_status */
	bool has_pss;
	bool kthread;
};

struct proc_table {
	struct proc_entry *v;	/* sorted by (pid, starttime) */
	size_t n, cap;
	size_t denied;		/* processes whose fds could not be read */
};

/* Pure parsers over one file's bytes. */
int proc_parse_stat(const char *buf, size_t len, struct proc_entry *p);
int proc_parse_status(const char *buf, size_t len, struct proc_entry *p);
int proc_parse_smaps_rollup(const char *buf, size_t len, struct proc_entry *p);

/*
 * The per-process state kept between samples so a warm scan does not redo
 * what cannot have changed (comm, cmdline, starttime).
 */
struct proc_cache;
struct proc_cache *proc_cache_new(void);
void proc_cache_free(struct proc_cache *c);

enum proc_scan_flags {
	PROC_SCAN_FDS = 1 << 0,		/* walk /proc/PID/fd: owners, fd and socket counts */
	PROC_SCAN_PSS = 1 << 1,		/* read smaps_rollup (costly for big processes) */
};

/*
 * Scan every process under r into pt; with PROC_SCAN_FDS also fill the owners
 * of the sockets in st (sock_entry.owner_first/owner_n, st->owners) and each
 * process's socket count and socket memory. st may be NULL.
 */
void proc_scan(const struct root *r, struct proc_cache *c, unsigned int flags,
	       struct proc_table *pt, struct sock_table *st, struct notes *notes);
const struct proc_entry *proc_table_find(const struct proc_table *pt, int32_t pid);
void proc_table_free(struct proc_table *pt);

#endif
