/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Processes: /proc/PID/{stat,status,cmdline,smaps_rollup} and the fd walk
 * that maps socket inodes to owners (ss -p does the same with readlink on
 * every /proc/PID/fd entry; there is no kernel index). Keyed by pid plus
 * start time so a reused pid is a new process. Threads share the fd table:
 * only thread-group leaders are walked. A process that vanishes mid-scan is
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
	bool has_pss;
	bool kthread;
};

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

/*
 * Pure parsers over one file's bytes. Return 0, or -EINVAL when the text is
 * not what the kernel writes (the entry is then only partly filled).
 * proc_parse_stat reads after the LAST ')' since comm may hold spaces and
 * parentheses; it fills pid, comm, state, ppid, threads, starttime and kthread.
 */
int proc_parse_stat(const char *buf, size_t len, struct proc_entry *p);
int proc_parse_status(const char *buf, size_t len, struct proc_entry *p);
int proc_parse_smaps_rollup(const char *buf, size_t len, struct proc_entry *p);

/*
 * The per-process state kept between samples so a warm scan does not redo
 * what rarely changes (cmdline, see PROC_CMDLINE_REFRESH_SCANS), and the
 * buffers a scan reuses. Entries of processes not seen in a scan are dropped.
 */
struct proc_cache;
struct proc_cache *proc_cache_new(void);
void proc_cache_free(struct proc_cache *c);

/*
 * Owners are found incrementally between full walks: a process whose number
 * of open fds is unchanged and whose sockets of the last walk all still
 * exist (same inode and cookie) keeps the owners of that walk without its fd
 * links being read. If a socket with an inode is then left without an owner
 * and had one (or did not exist) at the last scan, every skipped process is
 * walked after all. Every this many owner scans, and whenever the previous
 * scan did not record owners, every process is walked regardless.
 * sock_table.owners_full/owners_walked/owners_procs say what was done.
 */
#define PROC_OWNERS_FULL_WALK_SCANS 10

enum proc_scan_flags {
	PROC_SCAN_FDS = 1 << 0,		/* walk /proc/PID/fd: owners, fd and socket counts */
	PROC_SCAN_PSS = 1 << 1,		/* read smaps_rollup (costly for big processes) */
};

/*
 * Scan every process under r into pt (its previous content is freed); with
 * PROC_SCAN_FDS also fill the owners of the sockets in st
 * (sock_entry.owner_first/owner_n, st->owners, st->owners_scanned) and each
 * process's fd and socket counts and socket memory. st may be NULL. A
 * missing proc is a NOTE_MISSING "processes"; refused fd directories are one
 * NOTE_WARN "owners" with their count.
 */
void proc_scan(const struct root *r, struct proc_cache *c, unsigned int flags,
	       struct proc_table *pt, struct sock_table *st, struct notes *notes);
const struct proc_entry *proc_table_find(const struct proc_table *pt, int32_t pid);
void proc_table_free(struct proc_table *pt);

#endif
